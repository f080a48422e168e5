/*
 * test_neardup.c: MinHash signatures: copies are similar, different stories
 * are not, on synthetic text and on the example reports (01 and 02 are a
 * syndicated pair, every other pair is a different story).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collect/collect.h"
#include "collect/neardup.h"

/* n words of fictional filler, word i depending on seed and i. */
static size_t words(char *out, size_t n, unsigned seed, int every, unsigned seed2)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned s = (every && i % (size_t)every == 0) ? seed2 : seed;
		len += (size_t)sprintf(out + len, "w%ux%zu ", s * 2654435761u % 100000u, i);
	}
	return len;
}

static void test_identical_and_case(void **state)
{
	static const char a[] = "Police in Yanji arrested eleven North Korean defectors on "
				"Tuesday, including four women and a child, activists said.";
	static const char b[] = "POLICE IN YANJI ARRESTED ELEVEN NORTH KOREAN DEFECTORS ON "
				"TUESDAY -- including four women and a child; activists said!";
	cb_minhash ma, mb;
	(void)state;

	cb_minhash_compute(&ma, a, strlen(a));
	cb_minhash_compute(&mb, b, strlen(b));
	assert_false(cb_minhash_is_empty(&ma));
	assert_true(cb_minhash_similarity(&ma, &ma) == 1.0);
	assert_true(cb_minhash_similarity(&ma, &mb) == 1.0); /* case and punctuation ignored */
}

static void test_short_text_matches_nothing(void **state)
{
	static const char a[] = "Eleven arrested in Yanji.";
	cb_minhash m, e;
	uint64_t b1[CB_MINHASH_BANDS];
	(void)state;

	cb_minhash_compute(&m, a, strlen(a));
	assert_true(cb_minhash_is_empty(&m));
	assert_true(cb_minhash_similarity(&m, &m) == 0.0);
	cb_minhash_compute(&e, "", 0);
	assert_true(cb_minhash_is_empty(&e));
	assert_true(cb_minhash_similarity(&m, &e) == 0.0);
	cb_minhash_bands(b1, &m); /* must not crash; keys are whatever */
}

/* Signatures are stored: the same text must give the same signature in
 * every build and on every machine. A change here needs a migration that
 * recomputes stored signatures. */
static void test_signature_is_stable(void **state)
{
	static const char a[] = "one two three four five six seven eight nine ten eleven twelve";
	cb_minhash m;
	(void)state;

	cb_minhash_compute(&m, a, strlen(a));
	assert_int_equal(m.v[0], 761027763u);
	assert_int_equal(m.v[127], 1105663000u);
}

/* The estimate follows the true Jaccard similarity of 4-word shingles. */
static void test_estimate_tracks_jaccard(void **state)
{
	char *a = malloc(20000), *b = malloc(20000);
	cb_minhash ma, mb;
	(void)state;

	if (!a || !b)
		fail_msg("out of memory");
	if (!a || !b)
		return;
	for (unsigned t = 0; t < 5; t++) {
		size_t la = words(a, 500, 7 + t, 0, 0), lb = words(b, 500, 7 + t, 12, 99 + t);
		/* Replacing every 12th word keeps 8 of each 12 shingles:
		 * J = 333/(2*497 - 333) = 0.504. */
		cb_minhash_compute(&ma, a, la);
		cb_minhash_compute(&mb, b, lb);
		double s = cb_minhash_similarity(&ma, &mb);
		if (s < 0.36 || s > 0.65)
			fail_msg("estimate %.3f far from 0.504", s);
		/* Unrelated text. */
		lb = words(b, 500, 1000 + t, 0, 0);
		cb_minhash_compute(&mb, b, lb);
		assert_true(cb_minhash_similarity(&ma, &mb) < 0.05);
	}
	free(a);
	free(b);
}

static void test_bands(void **state)
{
	char *a = malloc(20000), *b = malloc(20000);
	cb_minhash ma, mb;
	uint64_t ba[CB_MINHASH_BANDS], bb[CB_MINHASH_BANDS];
	int shared = 0;
	(void)state;

	if (!a || !b)
		fail_msg("out of memory");
	if (!a || !b)
		return;

	size_t la = words(a, 400, 5, 0, 0), lb = words(b, 400, 5, 25, 77);
	cb_minhash_compute(&ma, a, la);
	cb_minhash_compute(&mb, b, lb);
	cb_minhash_bands(ba, &ma);
	cb_minhash_bands(bb, &mb);
	for (int i = 0; i < CB_MINHASH_BANDS; i++)
		shared += ba[i] == bb[i];
	assert_true(shared > 0);
	lb = words(b, 400, 6, 0, 0);
	cb_minhash_compute(&mb, b, lb);
	cb_minhash_bands(bb, &mb);
	shared = 0;
	for (int i = 0; i < CB_MINHASH_BANDS; i++)
		shared += ba[i] == bb[i];
	assert_int_equal(shared, 0);
	free(a);
	free(b);
}

/* The examples: 02 is a syndicated, reworded copy of 01 with site clutter
 * and must reach the threshold; other pairs, several about the same subject
 * (arrests and detention in Yanbian), must stay far below it. */
static void test_examples(void **state)
{
	static const char *const names[] = {
		"01-wire-yanji-arrests.txt", "02-syndicated-yanji-arrests.txt",
		"03-ngo-bulletin-songyuan-trafficking.txt", "04-testimony-hyesan-interrogation.txt",
		"05-webpage-baishan-registration.txt", "06-repatriation-dandong.html",
		"07-wire-helong-escape.txt", "08-ngo-prostitution-shenyang.txt",
		"09-court-sentencing-hoeryong.txt", "10-wire-tumen-detention.txt",
		"11-blog-yanji-church-raid.txt", "12-ngo-monthly-windows.txt"};
	enum { N = sizeof names / sizeof *names };
	cb_minhash m[N];
	const char *dir = getenv("CB_TEST_DATA");
	(void)state;

	for (size_t i = 0; i < N; i++) {
		char path[4096];
		cb_collected *c = NULL;
		cb_error err = CB_ERROR_INIT;
		snprintf(path, sizeof path, "%s/../../examples/reports/%s", dir ? dir : "tests/data",
			 names[i]);
		if (cb_collect_file(&c, path, 0, &err) < 0)
			fail_msg("%s", err.msg);
		cb_minhash_compute(&m[i], c->text, c->len);
		cb_collected_free(c);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t j = i + 1; j < N; j++) {
			double s = cb_minhash_similarity(&m[i], &m[j]);
			if (i == 0 && j == 1) {
				print_message("01/02 similarity %.3f\n", s);
				if (s < CB_NEARDUP_THRESHOLD)
					fail_msg("syndicated copy only %.3f similar", s);
			} else if (s >= 0.15) {
				fail_msg("%s and %s: %.3f", names[i], names[j], s);
			}
		}
}

/* Syndication variants of example 01 built here: a new headline and site
 * clutter around the story, and the story cut after its first paragraphs,
 * must stay at or above the threshold; systematic rewording of one word in
 * five is a rewrite, not a copy, and must fall below it. */
static void test_syndication_variants(void **state)
{
	static const char clutter_head[] =
		"DAILY BORDER WATCH | Seoul 12C cloudy | Read in Korean | Subscribe | Log in\n"
		"Home > North Korea > Human Rights   Font size A+ A-   Print   Share\n\n"
		"Eleven caught in dawn raid in Chinese border city, child among them\n\n";
	static const char clutter_tail[] =
		"\n\nMost Popular Articles\n1. Markets in Pyongyang report rising rice prices\n"
		"2. New fence seen along the Yalu near Hyesan\n3. Opinion: what Seoul can do now\n"
		"Tags: defectors, China, Yanji\nCopyright (c) Daily Border Watch. All rights reserved.\n";
	const char *dir = getenv("CB_TEST_DATA");
	char path[4096], *v = NULL;
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_minhash orig, var;
	const char *story, *cut;
	size_t n = 0;
	(void)state;

	snprintf(path, sizeof path, "%s/../../examples/reports/01-wire-yanji-arrests.txt",
		 dir ? dir : "tests/data");
	if (cb_collect_file(&c, path, 0, &err) < 0)
		fail_msg("%s", err.msg);
	cb_minhash_compute(&orig, c->text, c->len);
	story = strstr(c->text, "SEOUL, March 4");
	assert_non_null(story);
	v = malloc(c->len * 2 + sizeof clutter_head + sizeof clutter_tail);
	if (!v || !story)
		fail_msg("setup");
	if (!v || !story)
		return;

	n = (size_t)sprintf(v, "%s%s%s", clutter_head, story, clutter_tail);
	cb_minhash_compute(&var, v, n);
	print_message("new headline + clutter: %.3f\n", cb_minhash_similarity(&orig, &var));
	assert_true(cb_minhash_similarity(&orig, &var) >= CB_NEARDUP_THRESHOLD);

	cut = strstr(story, "South Korea's foreign ministry"); /* the last two paragraphs cut */
	assert_non_null(cut);
	cb_minhash_compute(&var, story, (size_t)(cut - story));
	print_message("first paragraphs only: %.3f\n", cb_minhash_similarity(&orig, &var));
	assert_true(cb_minhash_similarity(&orig, &var) >= CB_NEARDUP_THRESHOLD);

	n = 0;
	for (size_t i = 0, w = 0; i < c->len; i++) {
		int start = (i == 0 || c->text[i - 1] == ' ') && c->text[i] != ' ';
		if (start && w++ % 5 == 0)
			v[n++] = 'Q'; /* a changed word */
		v[n++] = c->text[i];
	}
	cb_minhash_compute(&var, v, n);
	print_message("one word in five changed: %.3f\n", cb_minhash_similarity(&orig, &var));
	assert_true(cb_minhash_similarity(&orig, &var) < CB_NEARDUP_THRESHOLD);
	free(v);
	cb_collected_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_and_case),
		cmocka_unit_test(test_short_text_matches_nothing),
		cmocka_unit_test(test_signature_is_stable),
		cmocka_unit_test(test_estimate_tracks_jaccard),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_syndication_variants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
