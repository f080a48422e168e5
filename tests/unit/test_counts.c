/* test_counts.c: people-count phrases (code/counts.h) - the ranges of
 * "nearly", "at least", ranges and words; a range is never upside down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "code/counts.h"

static cb_count first(const char *s)
{
	cb_count c[8];
	size_t n = cb_counts_find(c, 8, s, strlen(s));
	assert_true(n >= 1);
	return c[0];
}

static void test_nearly(void **state)
{
	(void)state;
	cb_count c = first("Nearly 2,000 North Koreans are held");
	assert_int_equal(c.min, 1800);
	assert_int_equal(c.max, 1999);
	/* small numbers: a tenth below would be nothing; never min > max */
	c = first("nearly 8 North Korean women were sold");
	assert_int_equal(c.min, 7);
	assert_int_equal(c.max, 7);
	c = first("almost 1 woman");
	assert_true(c.min <= c.max);
}

static void test_ranges(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		long min, max;
	} cases[] = {
		{"at least 20 women were arrested", 20, CB_COUNT_NONE},
		{"70 to 80 defectors", 70, 80},
		{"twelve North Koreans", 12, 12},
		/* a dozen, with and without a modifier */
		{"at least a dozen women were held", 12, CB_COUNT_NONE},
		{"a dozen defectors", 12, 12},
		{"half a dozen refugees", 6, 6},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cb_count c = first(cases[i].text);
		if (c.min != cases[i].min || c.max != cases[i].max)
			fail_msg("'%s': %ld..%ld, want %ld..%ld", cases[i].text, c.min, c.max,
				 cases[i].min, cases[i].max);
	}
}

/* Every number from 1 to 3000 after every modifier: min <= max. */
static void test_never_upside_down(void **state)
{
	static const char *const MODS[] = {"", "nearly ", "almost ", "at least ", "more than ",
					   "up to ", "about ", "some "};
	(void)state;
	for (size_t m = 0; m < sizeof MODS / sizeof MODS[0]; m++)
		for (long v = 1; v <= 3000; v += (v < 30 ? 1 : 37)) {
			char buf[96];
			cb_count c[4];
			snprintf(buf, sizeof buf, "%s%ld North Korean women", MODS[m], v);
			size_t n = cb_counts_find(c, 4, buf, strlen(buf));
			for (size_t i = 0; i < n; i++)
				if (c[i].min != CB_COUNT_NONE && c[i].max != CB_COUNT_NONE && c[i].min > c[i].max)
					fail_msg("'%s': %ld..%ld", buf, c[i].min, c[i].max);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nearly),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_never_upside_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
