/*
 * test_gazetteer.c: places, driven by tests/data/gazetteer/lookup.tsv
 * (spelling -> place) and scan.tsv (sentence -> mentions), plus hostile
 * inputs and the time the gazetteer takes to build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "code/gazetteer.h"

static cb_gazetteer *gaz;

static int setup(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (cb_gazetteer_new(&gaz, &err) < 0) {
		fprintf(stderr, "gazetteer: %s\n", err.msg);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "gazetteer built in %.1f ms\n",
		(double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cb_gazetteer_free(gaz);
	return 0;
}

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

static char *next_line(FILE *f, char *line, size_t cap, char **a, char **b)
{
	while (fgets(line, (int)cap, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		*a = line;
		*b = tab + 1;
		return line;
	}
	return NULL;
}

static const char *kind_name(cb_place_kind k)
{
	return k == CB_PLACE_COUNTRY ? "country" : k == CB_PLACE_ADMIN1 ? "admin1" : "city";
}

static void test_lookup_table(void **state)
{
	(void)state;
	FILE *f = open_data("gazetteer/lookup.tsv");
	assert_non_null(f);
	char line[1024], got[512], *name, *want;
	int lines = 0, bad = 0;
	while (next_line(f, line, sizeof line, &name, &want)) {
		const cb_place *p = cb_gazetteer_lookup(gaz, name, strlen(name));
		if (p)
			snprintf(got, sizeof got, "%s|%s|%s|%s", p->name, p->admin1 ? p->admin1 : "-",
				 p->country, kind_name(p->kind));
		else
			snprintf(got, sizeof got, "-");
		if (strcmp(got, want)) {
			fprintf(stderr, "lookup %s\n  want %s\n  got  %s\n", name, want, got);
			bad++;
		}
		lines++;
	}
	fclose(f);
	assert_true(lines > 20);
	assert_int_equal(bad, 0);
}

static void test_scan_table(void **state)
{
	(void)state;
	FILE *f = open_data("gazetteer/scan.tsv");
	assert_non_null(f);
	char line[2048], got[2048], *text, *want;
	int lines = 0, bad = 0;
	while (next_line(f, line, sizeof line, &text, &want)) {
		cb_place_mention *m = NULL;
		size_t n = 0, off = 0;
		assert_int_equal(cb_gazetteer_scan(&m, &n, gaz, text, strlen(text), NULL), 0);
		got[0] = '\0';
		if (!n)
			snprintf(got, sizeof got, "-");
		for (size_t i = 0; i < n && off < sizeof got; i++)
			off += (size_t)snprintf(got + off, sizeof got - off, "%s%.*s=%s/%s/%s",
						i ? " ; " : "", (int)(m[i].end - m[i].start),
						text + m[i].start, m[i].place->name,
						m[i].place->admin1 ? m[i].place->admin1 : "-",
						m[i].place->country);
		if (strcmp(got, want)) {
			fprintf(stderr, "scan %s\n  want %s\n  got  %s\n", text, want, got);
			bad++;
		}
		free(m);
		lines++;
	}
	fclose(f);
	assert_true(lines > 10);
	assert_int_equal(bad, 0);
}

static void test_demonym(void **state)
{
	(void)state;
	assert_string_equal(cb_gazetteer_demonym(gaz, "North Korean", 12), "KP");
	assert_string_equal(cb_gazetteer_demonym(gaz, "Laotian", 7), "LA");
	assert_null(cb_gazetteer_demonym(gaz, "Martian", 7));
}

/* Binary, invalid UTF-8, a huge single line: no crash, spans in range,
 * and the scan keeps a useful speed. */
static void test_hostile(void **state)
{
	(void)state;
	size_t big = 8u << 20;
	char *s = malloc(big);
	assert_non_null(s);
	static const char unit[] = "Police in Yanji \xff\xfe\x01 North Hamgyong-\xc3 The North X ";
	for (size_t i = 0; i < big; i++)
		s[i] = unit[i % (sizeof unit - 1)];
	cb_place_mention *m = NULL;
	size_t n = 0;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(cb_gazetteer_scan(&m, &n, gaz, s, big, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	fprintf(stderr, "scan of %zu bytes: %.1f ms (%.1f MB/s), %zu mentions\n", big, ms,
		(double)big / ms / 1e3, n);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		assert_true(m[i].start < m[i].end && m[i].end <= big);
	free(m);
	assert_int_equal(cb_gazetteer_scan(&m, &n, gaz, "", 0, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cb_gazetteer_scan(&m, &n, gaz, "Hamgyong-", 9, NULL), 0);
	free(m);
	assert_null(cb_gazetteer_lookup(gaz, s, big));
	free(s);
}

/* A second gazetteer is the first one, shared, and outlives its twin. */
static void test_shared(void **state)
{
	(void)state;
	cb_gazetteer *g2 = NULL;
	assert_int_equal(cb_gazetteer_new(&g2, NULL), 0);
	assert_ptr_equal(g2, gaz);
	cb_gazetteer_free(g2);
	assert_non_null(cb_gazetteer_lookup(gaz, "Yanji", 5));
	cb_gazetteer_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_table),
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_demonym),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_shared),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
