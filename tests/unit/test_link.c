/*
 * test_link.c: the pieces of record linkage and PPRL (corroborate/):
 * Jaro-Winkler against textbook values, name keys (romanisations, joined
 * given names), CSV lists with quotes and bad input, field levels, and
 * the CLK encoding (fill, keyed, Dice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "corroborate/compare.h"
#include "corroborate/corroborate.h"

static void test_jaro_winkler(void **state)
{
	(void)state;
	/* the values of Winkler's 1990 paper */
	assert_true(cb_jaro_winkler("martha", "marhta") > 0.960 && cb_jaro_winkler("martha", "marhta") < 0.962);
	assert_true(cb_jaro_winkler("dwayne", "duane") > 0.839 && cb_jaro_winkler("dwayne", "duane") < 0.841);
	assert_true(cb_jaro_winkler("dixon", "dicksonx") > 0.812 && cb_jaro_winkler("dixon", "dicksonx") < 0.814);
	assert_true(cb_jaro_winkler("abc", "abc") == 1.0);
	assert_true(cb_jaro_winkler("abc", "xyz") == 0.0);
	assert_true(cb_jaro_winkler("", "") == 1.0);
}

static void test_name_keys(void **state)
{
	(void)state;
	char a[64], b[64];
	static const char *const same[][2] = {{"Choi", "Choe"}, {"Chwe", "CHOI"}, {"Lee", "Ri"},
					      {"Yi", "Rhee"}, {"Park", "Pak"}, {"Bak", "PARK"},
					      {"Kim", "Gim"}, {"Jung", "Chung"}, {"Ryom", "Yeom"}};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		cb_name_key(a, sizeof a, same[i][0], 1);
		cb_name_key(b, sizeof b, same[i][1], 1);
		assert_string_equal(a, b);
	}
	cb_name_key(a, sizeof a, "Kim", 1);
	cb_name_key(b, sizeof b, "Park", 1);
	assert_string_not_equal(a, b);
	/* given names joined, case and diacritics folded */
	cb_name_key(a, sizeof a, "Mi-young", 0);
	cb_name_key(b, sizeof b, "mi young", 0);
	assert_string_equal(a, b);
	cb_name_key(b, sizeof b, "Miyoung", 0);
	assert_string_equal(a, b);
	cb_name_key(a, sizeof a, "Hoeryŏng", 0);
	assert_string_equal(a, "hoeryong");
}

static char *write_tmp(const char *content, size_t len)
{
	char *path = strdup("/tmp/cb-test-link-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_lists(void **state)
{
	(void)state;
	static const char csv[] =
		"id,first,last,born,place\r\n"
		"a1,\"Mi-young\",Choi,1990-03-05,\"Hyesan, Ryanggang\"\r\n"
		"a2,Sun Hee,Lee,1985,Musan\r\n"
		"a3,Young-ho,\"Park \"\"Jr\"\"\",,Onsong\r\n";
	cb_error err = CB_ERROR_INIT;
	cb_plist l = {0};
	char *p = write_tmp(csv, sizeof csv - 1);
	assert_int_equal(cb_plist_read_csv(&l, p, "id=id,given=first,family=last,birth=born,town=place", 0, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "a1");
	assert_string_equal(l.v[0].f[CB_PF_GIVEN], "miyoung");
	assert_string_equal(l.v[0].f[CB_PF_FAMILY], "choe");
	assert_string_equal(l.v[0].f[CB_PF_BIRTH], "19900305");
	assert_int_equal(l.v[0].birth_year, 1990);
	assert_string_equal(l.v[0].f[CB_PF_TOWN], "hyesan ryanggang");
	assert_int_equal(l.v[1].birth_year, 1985);
	assert_null(l.v[2].f[CB_PF_BIRTH]);
	/* levels: the same person spelled another way */
	uint8_t lv[CB_PF_N];
	cb_prec other = l.v[0];
	char g[] = "mi young", f[] = "choe";
	(void)g;
	other.f[CB_PF_FAMILY] = f;
	cb_compare(lv, &l.v[0], &other);
	assert_int_equal(lv[CB_PF_GIVEN], 2);
	assert_int_equal(lv[CB_PF_FAMILY], 2);
	assert_int_equal(lv[CB_PF_BIRTH], 2);
	cb_compare(lv, &l.v[0], &l.v[1]);
	assert_int_equal(lv[CB_PF_BIRTH], 0);
	cb_plist_free(&l);
	/* bad input: unknown column, unknown field, empty file, bad UTF-8, open quote */
	assert_true(cb_plist_read_csv(&l, p, "given=nosuch", 0, &err) < 0);
	assert_non_null(strstr(err.msg, "nosuch"));
	assert_true(cb_plist_read_csv(&l, p, "eyes=first", 0, &err) < 0);
	unlink(p);
	free(p);
	p = write_tmp("", 0);
	assert_true(cb_plist_read_csv(&l, p, "given=first", 0, &err) < 0);
	assert_non_null(strstr(err.msg, "empty"));
	unlink(p);
	free(p);
	p = write_tmp("first\n\xff\xfe\n", 9);
	assert_true(cb_plist_read_csv(&l, p, "given=first", 0, &err) < 0);
	assert_non_null(strstr(err.msg, "UTF-8"));
	unlink(p);
	free(p);
	p = write_tmp("first\n\"open\n", 12);
	assert_true(cb_plist_read_csv(&l, p, "given=first", 0, &err) < 0);
	assert_non_null(strstr(err.msg, "line 2"));
	unlink(p);
	free(p);
	assert_int_equal(l.n, 0);
}

static void test_clk(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_plist l = {0};
	cb_clks a = {0}, b = {0};
	unsigned char k1[32] = {1}, k2[32] = {2};
	static const char csv[] = "given,family,born,town\n"
				  "sunhee,ryom,19880412,hyesan\n"
				  "sunhi,ryom,19880412,hyesan\n"
				  "chol,kim,19700101,pyongyang\n";
	char *p = write_tmp(csv, sizeof csv - 1);
	assert_int_equal(cb_plist_read_csv(&l, p, "given=given,family=family,birth=born,town=town", 0, &err), 0);
	assert_int_equal(cb_clk_encode(&a, &l, k1, 32, 0, &err), 0);
	assert_int_equal(cb_clk_encode(&b, &l, k2, 32, 0, &err), 0);
	assert_int_equal(a.n, 3);
	for (size_t i = 0; i < a.n; i++)
		assert_true(a.v[i].popcount > 450 && a.v[i].popcount < 900);
	assert_true(cb_clk_dice(&a.v[0], &a.v[0]) == 1.0);
	/* a one-letter difference stays close, another person does not */
	assert_true(cb_clk_dice(&a.v[0], &a.v[1]) > 0.85);
	assert_true(cb_clk_dice(&a.v[0], &a.v[2]) < 0.75);
	/* another key, other bits */
	assert_true(cb_clk_dice(&a.v[0], &b.v[0]) < 0.8);
	/* a short key is refused */
	cb_clks c = {0};
	assert_true(cb_clk_encode(&c, &l, k1, 8, 0, &err) < 0);
	cb_clks_free(&a);
	cb_clks_free(&b);
	cb_plist_free(&l);
	unlink(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_name_keys),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_clk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
