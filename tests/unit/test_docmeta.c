/*
 * test_docmeta.c: the document record, driven by fictional reports in
 * tests/data/docmeta/NAME.txt and what is expected of each in NAME.expect
 * ("key: value" lines; "hint.*" lines are the hints given; every "bp:" line
 * is one boilerplate line, in order). Plus hostile inputs.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "code/docmeta.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		*len = (size_t)n;
	}
	return b;
}

static void join(char *out, size_t cap, char **items, size_t n)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? "; " : "", items[i]);
}

/* Returns the number of mismatches for one case. */
static int run_case(const char *dir, const char *name)
{
	char path[1200];
	size_t tlen, elen;
	snprintf(path, sizeof path, "%s/%.*s.txt", dir, (int)(strlen(name) - 7), name);
	char *text = slurp(path, &tlen);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *exp = slurp(path, &elen);
	if (!text || !exp) {
		fprintf(stderr, "docmeta: cannot read case %s\n", name);
		free(text);
		free(exp);
		return 1;
	}
	cb_doc_hints h = {0};
	char got[4096], want[4096];
	int bad = 0;
	for (char *l = strtok(exp, "\n"); l; l = strtok(NULL, "\n")) {
		if (!strncmp(l, "hint.published: ", 16))
			h.published = l + 16;
		else if (!strncmp(l, "hint.url: ", 10))
			h.url = l + 10;
		else if (!strncmp(l, "hint.outlet: ", 13))
			h.outlet = l + 13;
		else if (!strncmp(l, "hint.title: ", 12))
			h.title = l + 12;
	}
	/* strtok cut exp into lines; walk them again */
	cb_docmeta *m = NULL;
	cb_error err = CB_ERROR_INIT;
	if (cb_docmeta_extract(&m, text, tlen, &h, &err) < 0) {
		fprintf(stderr, "docmeta %s: %s\n", name, err.msg);
		free(text);
		free(exp);
		return 1;
	}
	size_t bp_seen = 0;
	for (char *l = exp; l < exp + elen; l += strlen(l) + 1) {
		char *colon = strstr(l, ": ");
		const char *val = colon ? colon + 2 : "";
		if (!colon && l[strlen(l) - 1] == ':')
			colon = l + strlen(l) - 1;
		if (!colon || !strncmp(l, "hint.", 5))
			continue;
		size_t kl = (size_t)(colon - l);
		snprintf(want, sizeof want, "%s", val);
		if (!strncmp(l, "published", kl)) {
			cb_ymd_format(got, &m->published);
			if (!got[0])
				strcpy(got, "null");
		} else if (!strncmp(l, "title", kl)) {
			snprintf(got, sizeof got, "%s", m->title ? m->title : "null");
		} else if (!strncmp(l, "outlet", kl)) {
			snprintf(got, sizeof got, "%s", m->outlet ? m->outlet : "null");
		} else if (!strncmp(l, "authors", kl)) {
			join(got, sizeof got, m->authors, m->n_authors);
		} else if (!strncmp(l, "translators", kl)) {
			join(got, sizeof got, m->translators, m->n_translators);
		} else if (!strncmp(l, "bp", kl)) {
			if (bp_seen < m->n_boilerplate) {
				const cb_span *s = &m->boilerplate[bp_seen];
				size_t a = s->start;
				while (a < s->end && text[a] == ' ')
					a++;
				snprintf(got, sizeof got, "%.*s", (int)(s->end - a), text + a);
			} else {
				strcpy(got, "(none)");
			}
			bp_seen++;
		} else {
			continue;
		}
		if (strcmp(got, want)) {
			fprintf(stderr, "docmeta %s: %.*s\n  want %s\n  got  %s\n", name, (int)kl, l,
				want, got);
			bad++;
		}
	}
	if (bp_seen != m->n_boilerplate) {
		fprintf(stderr, "docmeta %s: %zu boilerplate spans, want %zu\n", name,
			m->n_boilerplate, bp_seen);
		for (size_t i = bp_seen; i < m->n_boilerplate; i++)
			fprintf(stderr, "  extra: %.*s\n",
				(int)(m->boilerplate[i].end - m->boilerplate[i].start),
				text + m->boilerplate[i].start);
		bad++;
	}
	cb_docmeta_free(m);
	free(text);
	free(exp);
	return bad;
}

static void test_cases(void **state)
{
	(void)state;
	const char *root = getenv("CB_TEST_DATA");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/docmeta", root ? root : "tests/data");
	DIR *d = opendir(dir);
	assert_non_null(d);
	int cases = 0, bad = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 8 || strcmp(e->d_name + n - 7, ".expect"))
			continue;
		bad += run_case(dir, e->d_name);
		cases++;
	}
	closedir(d);
	assert_true(cases >= 6);
	assert_int_equal(bad, 0);
}

static void test_hostile(void **state)
{
	(void)state;
	cb_docmeta *m = NULL;
	assert_int_equal(cb_docmeta_extract(&m, "", 0, NULL, NULL), 0);
	assert_non_null(m);
	assert_null(m->title);
	assert_int_equal(m->published.y, 0);
	assert_string_equal(m->language, "en");
	assert_int_equal(cb_docmeta_in_boilerplate(m, 0), 0);
	cb_docmeta_free(m);

	/* 8 MB of one line, binary and invalid UTF-8 in it */
	size_t big = 8u << 20;
	char *s = malloc(big);
	assert_non_null(s);
	for (size_t i = 0; i < big; i++)
		s[i] = "SEOUL, May 2 (UPI) -- \xff\xfe\x01 Copyright 2020 x "[i % 43];
	assert_int_equal(cb_docmeta_extract(&m, s, big, NULL, NULL), 0);
	cb_docmeta_free(m);
	/* many short lines */
	for (size_t i = 0; i < big; i++)
		s[i] = "Advertisement\n22 C\n\n|\n"[i % 22];
	assert_int_equal(cb_docmeta_extract(&m, s, big, NULL, NULL), 0);
	assert_true(m->n_boilerplate > 0);
	for (size_t i = 1; i < m->n_boilerplate; i++)
		assert_true(m->boilerplate[i - 1].end <= m->boilerplate[i].start);
	assert_int_equal(cb_docmeta_in_boilerplate(m, 0), 1);
	cb_docmeta_free(m);
	/* page furniture cut short: bars of bare separators, a lead byte of
	 * "·" at the end of a line, columns of nothing, a masthead without a
	 * name, a copyright line without an owner, "Posted by" without a date */
	static const char *const bits[] = {
		"| | |\n", "\xc2\n", "\xe2\x80\n", "A | \xc2\xb7 |\n", "   \t   \n",
		"X   \n", " -- \n", "(fictional) -- x\n", "NETWORK -- \n", "Copyright (c) \n",
		"\xc2\xa9\n", "Posted by\n", "Updated:\n", "Home > |   Updated: 2024.01.01\n",
		"THE A TIMES | 31 C | Sat, Mar 4, 2023\n", "1. \n", "Most Popular Articles\n"};
	size_t nb = sizeof bits / sizeof bits[0];
	big /= 8; /* 1 MB of it: every line meets every pattern */
	for (size_t i = 0, k = 0; i < big; k++) {
		const char *b = bits[(k * 7) % nb];
		size_t bl = strlen(b);
		if (i + bl > big)
			bl = big - i;
		memcpy(s + i, b, bl);
		i += bl;
	}
	for (size_t cut = 0; cut < 64; cut++) {
		assert_int_equal(cb_docmeta_extract(&m, s, cut, NULL, NULL), 0);
		cb_docmeta_free(m);
	}
	assert_int_equal(cb_docmeta_extract(&m, s, big, NULL, NULL), 0);
	for (size_t i = 1; i < m->n_boilerplate; i++)
		assert_true(m->boilerplate[i - 1].end <= m->boilerplate[i].start);
	cb_docmeta_free(m);
	/* bad hints are ignored, not trusted */
	cb_doc_hints h = {"t", "2020-13-45", "", "http://x/99999999/"};
	assert_int_equal(cb_docmeta_extract(&m, "Hello there\n", 12, &h, NULL), 0);
	assert_int_equal(m->published.y, 0);
	cb_docmeta_free(m);
	free(s);
}

/* A line the line above made furniture is not matched again: the second
 * reading below takes the two lines under the first as its city and date,
 * and the lines under it are not the widget's (the gates that spare most
 * lines the patterns must keep this). */
static void test_furniture_once(void **state)
{
	(void)state;
	static const char text[] = "12 C\n12 C\nSeoul\nPyongyang\n\n"
				   "The report itself starts here, in a paragraph of its own.\n";
	cb_docmeta *m = NULL;
	assert_int_equal(cb_docmeta_extract(&m, text, sizeof text - 1, NULL, NULL), 0);
	assert_int_equal(m->n_boilerplate, 3);
	assert_int_equal(cb_docmeta_in_boilerplate(m, (size_t)(strstr(text, "Pyongyang") - text)), 0);
	assert_string_equal(m->title, "Pyongyang");
	cb_docmeta_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_furniture_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
