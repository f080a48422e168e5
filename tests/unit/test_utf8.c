/*
 * test_utf8.c: code-point offsets of byte positions - counted directly,
 * and through the cursor that long documents use, going forward, backward
 * and to the same place again; the validator and the counter, which take
 * eight bytes at a time, at every alignment of their non-ASCII bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/utf8.h"

static void test_cursor(void **state)
{
	(void)state;
	/* "Hoeryŏng 회령 x": ŏ is 2 bytes, each hangul syllable 3 */
	const char *t = "Hoery\xc5\x8fng \xed\x9a\x8c\xeb\xa0\xb9 x";
	size_t len = strlen(t);
	cb_cp_cursor c;
	cb_cp_cursor_init(&c, t);
	assert_int_equal(cb_utf8_cp_count(t, len), 13);
	assert_int_equal(cb_cp_cursor_at(&c, 0), 0);
	assert_int_equal(cb_cp_cursor_at(&c, 5), 5);    /* before ŏ */
	assert_int_equal(cb_cp_cursor_at(&c, 7), 6);    /* after ŏ */
	assert_int_equal(cb_cp_cursor_at(&c, 16), 11);  /* after the hangul */
	assert_int_equal(cb_cp_cursor_at(&c, 16), 11);  /* the same place again */
	assert_int_equal(cb_cp_cursor_at(&c, 10), 9);   /* backward: counted back */
	assert_int_equal(cb_cp_cursor_at(&c, 1), 1);    /* far back: from the start */
	assert_int_equal(cb_cp_cursor_at(&c, len), 13);
	for (size_t p = 0; p <= len; p++) {
		if (p < len && ((unsigned char)t[p] & 0xC0) == 0x80)
			continue; /* not a character boundary */
		assert_int_equal(cb_cp_cursor_at(&c, p), cb_utf8_cp_count(t, p));
		assert_int_equal(cb_utf8_byte_offset(t, len, cb_utf8_cp_count(t, p)), p);
	}
}

/* cb_utf8_cp_count and cb_utf8_invalid_at against a byte-at-a-time count,
 * with a two-byte, a three-byte and a bad byte at each offset of a text
 * longer than a few words of eight bytes */
static void test_wordwise(void **state)
{
	(void)state;
	static const char *const ins[] = {"\xc5\x8f", "\xed\x9a\x8c", "\xf0\x9f\x98\x80"};
	char buf[64];
	for (size_t k = 0; k < 3; k++)
		for (size_t at = 0; at + 4 < 40; at++) {
			memset(buf, 'a', 40);
			size_t il = strlen(ins[k]);
			memcpy(buf + at, ins[k], il);
			for (size_t len = 0; len <= 40; len++) {
				size_t expect = 0;
				for (size_t i = 0; i < len; i++)
					expect += ((unsigned char)buf[i] & 0xC0) != 0x80;
				assert_int_equal(cb_utf8_cp_count(buf, len), expect);
			}
			assert_int_equal(cb_utf8_invalid_at(buf, 40), 40);
			buf[at + il - 1] = 'a'; /* truncate the sequence */
			assert_int_equal(cb_utf8_invalid_at(buf, 40), at);
			buf[at] = (char)0xff;
			assert_int_equal(cb_utf8_invalid_at(buf, 40), at);
		}
}

/* Long runs of continuation bytes: the word-at-a-time count sums its lanes
 * in blocks, and a block of all-continuation words must not overflow. */
static void test_long_runs(void **state)
{
	(void)state;
	enum { N = 5000 };
	static char buf[3 * N];
	for (size_t i = 0; i < N; i++)
		memcpy(buf + 3 * i, "\xed\x9a\x8c", 3); /* three bytes, one code point */
	for (size_t len = 0; len <= 3 * N; len += len < 600 ? 1 : 997)
		assert_int_equal(cb_utf8_cp_count(buf, len), (len + 2) / 3);
	memset(buf, 0xbf, sizeof buf); /* nothing but continuation bytes */
	assert_int_equal(cb_utf8_cp_count(buf, sizeof buf), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_cursor),
					   cmocka_unit_test(test_wordwise),
					   cmocka_unit_test(test_long_runs)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
