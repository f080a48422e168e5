/*
 * test_utf8.c: code-point offsets of byte positions - counted directly,
 * and through the cursor that long documents use, going forward, backward
 * and to the same place again.
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
	assert_int_equal(cb_cp_cursor_at(&c, 10), 9);   /* backward: counted again */
	assert_int_equal(cb_cp_cursor_at(&c, len), 13);
	for (size_t p = 0; p <= len; p++) {
		if (p < len && ((unsigned char)t[p] & 0xC0) == 0x80)
			continue; /* not a character boundary */
		assert_int_equal(cb_cp_cursor_at(&c, p), cb_utf8_cp_count(t, p));
		assert_int_equal(cb_utf8_byte_offset(t, len, cb_utf8_cp_count(t, p)), p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_cursor)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
