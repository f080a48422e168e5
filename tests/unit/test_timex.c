/*
 * test_timex.c: time expressions, driven by tests/data/timex/scan.tsv
 * (anchor, sentence, expected expressions) and parse.tsv (page stamps).
 * Each failing line is printed; the test fails if any line does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "code/timex.h"

static FILE *open_data(const char *name)
{
	const char *dir = getenv("CB_TEST_DATA");
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "cannot open %s\n", path);
	return f;
}

/* Splits line at tabs into at most n fields; returns the count. */
static int split_tabs(char *line, char **f, int n)
{
	int k = 0;
	line[strcspn(line, "\r\n")] = '\0';
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

static void describe(char *buf, size_t cap, const char *text, const cb_timex *t, size_t n)
{
	size_t off = 0;
	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, cap, "-");
		return;
	}
	for (size_t i = 0; i < n && off < cap; i++) {
		const char *p = cb_precision_name(t[i].precision);
		off += (size_t)snprintf(buf + off, cap - off, "%s%.*s|%s|%s|%s", i ? " ; " : "",
					(int)(t[i].end - t[i].start), text + t[i].start,
					p ? p : "-", t[i].from, t[i].to);
	}
}

static void test_scan_table(void **state)
{
	(void)state;
	FILE *f = open_data("timex/scan.tsv");
	assert_non_null(f);
	char line[2048], got[2048];
	int lines = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		char *fld[3];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(split_tabs(line, fld, 3), 3);
		cb_ymd a = {0, 0, 0}, *ap = NULL;
		if (strcmp(fld[0], "-")) {
			assert_int_equal(sscanf(fld[0], "%d-%d-%d", &a.y, &a.m, &a.d), 3);
			ap = &a;
		}
		cb_timex *t = NULL;
		size_t n = 0;
		cb_error err = CB_ERROR_INIT;
		assert_int_equal(cb_timex_scan(&t, &n, fld[1], strlen(fld[1]), ap, &err), 0);
		describe(got, sizeof got, fld[1], t, n);
		if (strcmp(got, fld[2])) {
			fprintf(stderr, "timex: %s [%s]\n  want %s\n  got  %s\n", fld[1], fld[0],
				fld[2], got);
			bad++;
		}
		free(t);
		lines++;
	}
	fclose(f);
	assert_true(lines > 20);
	assert_int_equal(bad, 0);
}

static void test_parse_table(void **state)
{
	(void)state;
	FILE *f = open_data("timex/parse.tsv");
	assert_non_null(f);
	char line[2048], got[512];
	int lines = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		char *fld[3];
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(split_tabs(line, fld, 3), 3);
		cb_ymd d;
		size_t s = 0, e = 0;
		if (cb_date_parse(&d, &s, &e, fld[1], strlen(fld[1]), atoi(fld[0]))) {
			char iso[11];
			cb_ymd_format(iso, &d);
			snprintf(got, sizeof got, "%s|%.*s", iso, (int)(e - s), fld[1] + s);
		} else {
			snprintf(got, sizeof got, "-");
		}
		if (strcmp(got, fld[2])) {
			fprintf(stderr, "date_parse: %s\n  want %s\n  got  %s\n", fld[1], fld[2], got);
			bad++;
		}
		lines++;
	}
	fclose(f);
	assert_true(lines > 10);
	assert_int_equal(bad, 0);
}

/* Hostile inputs: no crash, no hang, sane spans. */
static void test_hostile(void **state)
{
	(void)state;
	cb_ymd a = {2024, 5, 14};
	size_t big = 4u << 20;
	char *s = malloc(big);
	assert_non_null(s);
	static const char unit[] = "May 1, 20240 in - late last\x01\xff 9\n";
	for (size_t i = 0; i < big; i++)
		s[i] = unit[i % (sizeof unit - 1)];
	cb_timex *t = NULL;
	size_t n = 0;
	assert_int_equal(cb_timex_scan(&t, &n, s, big, &a, NULL), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(t[i].start < t[i].end && t[i].end <= big);
	free(t);
	memset(s, '9', big);
	assert_int_equal(cb_timex_scan(&t, &n, s, big, &a, NULL), 0);
	free(t);
	assert_int_equal(cb_timex_scan(&t, &n, "", 0, &a, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cb_timex_scan(&t, &n, "in 2007", 7, NULL, NULL), 0);
	assert_int_equal(n, 1);
	free(t);
	/* text ending inside an expression */
	assert_int_equal(cb_timex_scan(&t, &n, "late", 4, &a, NULL), 0);
	free(t);
	cb_ymd d;
	assert_int_equal(cb_date_parse(&d, NULL, NULL, s, big, 0), 0);
	free(s);
}

static void test_format(void **state)
{
	(void)state;
	char b[11];
	cb_ymd d = {2024, 5, 0};
	cb_ymd_format(b, &d);
	assert_string_equal(b, "2024-05");
	d.m = 0;
	cb_ymd_format(b, &d);
	assert_string_equal(b, "2024");
	d.y = 0;
	cb_ymd_format(b, &d);
	assert_string_equal(b, "");
	assert_null(cb_precision_name(CB_PREC_NONE));
	assert_string_equal(cb_precision_name(CB_PREC_MONTH_PART), "month_part");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
