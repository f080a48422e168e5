/*
 * test_jsonw.c: the JSON writer. One sequence of calls is written as text
 * (with and without ASCII escapes, indented and not) and as a tree; the
 * text must be byte for byte what jansson dumps for that tree, so that
 * `casebook extract` prints what it printed through jansson. Then the
 * failures: calls out of order, nesting too deep, invalid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/jsonw.h"

/* Strings with every kind of escape: quotes, backslash, controls, DEL,
 * a slash, two- and three-byte characters, one past the BMP (a surrogate
 * pair under ASCII). */
static const char *const strings[] = {
	"",
	"plain",
	"say \"no\" \\ back/slash",
	"tab\there\nline\r\f\b\x01\x1f\x7f",
	"Hoery\xc5\x8fng \xed\x9a\x8c\xeb\xa0\xb9",
	"emoji \xf0\x9f\x98\x80 end",
};

static void write_sample(cb_jw *w)
{
	cb_jw_object(w);
	cb_jw_key(w, "strings");
	cb_jw_array(w);
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
		cb_jw_str(w, strings[i]);
	cb_jw_end(w);
	cb_jw_key(w, "empty_object");
	cb_jw_object(w);
	cb_jw_end(w);
	cb_jw_key(w, "empty_array");
	cb_jw_array(w);
	cb_jw_end(w);
	cb_jw_key(w, "numbers");
	cb_jw_array(w);
	cb_jw_int(w, 0);
	cb_jw_int(w, -42);
	cb_jw_int(w, 9007199254740993LL);
	cb_jw_real(w, 10);
	cb_jw_real(w, 1.5);
	cb_jw_real(w, 0.1);
	cb_jw_real(w, -2.5e-7);
	cb_jw_real(w, 1e300);
	cb_jw_real(w, 123456789012345678.0);
	cb_jw_end(w);
	cb_jw_key(w, "nested");
	cb_jw_object(w);
	cb_jw_key(w, "a");
	cb_jw_array(w);
	cb_jw_object(w);
	cb_jw_key(w, "b");
	cb_jw_null(w);
	cb_jw_end(w);
	cb_jw_end(w);
	cb_jw_key(w, "none");
	cb_jw_str(w, NULL);
	cb_jw_end(w);
	cb_jw_end(w);
}

static void check_layout(size_t indent, int ascii)
{
	cb_error err = CB_ERROR_INIT;
	cb_jw w;
	json_t *tree = NULL;
	cb_jw_tree(&w);
	write_sample(&w);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), 0);
	assert_non_null(tree);
	char *want = json_dumps(tree, JSON_INDENT(indent) | (ascii ? JSON_ENSURE_ASCII : 0));
	assert_non_null(want);

	cb_buf out = CB_BUF_INIT;
	cb_jw_text(&w, &out, (int)indent, ascii);
	write_sample(&w);
	assert_int_equal(cb_jw_finish(&w, NULL, &err), 0);
	assert_string_equal(out.ptr, want);
	cb_buf_free(&out);
	free(want);
	json_decref(tree);
}

static void test_layout_as_jansson(void **state)
{
	(void)state;
	check_layout(2, 0);
	check_layout(2, 1);
	check_layout(4, 1);
	check_layout(0, 0);
}

static void test_out_of_order(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_buf out = CB_BUF_INIT;
	cb_jw w;
	json_t *tree = (json_t *)&w;

	/* a value in an object without its key */
	cb_jw_tree(&w);
	cb_jw_object(&w);
	cb_jw_int(&w, 1);
	cb_jw_end(&w);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), CB_EINVAL);
	assert_null(tree);
	assert_non_null(strstr(err.msg, "out of place"));

	/* a key in an array; an end too many; two values at the top */
	cb_jw_text(&w, &out, 2, 0);
	cb_jw_array(&w);
	cb_jw_key(&w, "k");
	assert_int_equal(cb_jw_finish(&w, NULL, &err), CB_EINVAL);
	cb_jw_text(&w, &out, 2, 0);
	cb_jw_array(&w);
	cb_jw_end(&w);
	cb_jw_end(&w);
	assert_int_equal(cb_jw_finish(&w, NULL, &err), CB_EINVAL);
	cb_jw_tree(&w);
	cb_jw_int(&w, 1);
	cb_jw_int(&w, 2);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), CB_EINVAL);
	assert_null(tree);

	/* unclosed, and nothing at all */
	cb_jw_tree(&w);
	cb_jw_object(&w);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), CB_EINVAL);
	cb_jw_tree(&w);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), CB_EINVAL);

	/* too deep: the tree built so far is freed (no leak under ASan) */
	cb_jw_tree(&w);
	for (int i = 0; i < CB_JW_MAX_DEPTH + 1; i++)
		cb_jw_array(&w);
	assert_int_equal(cb_jw_finish(&w, &tree, &err), CB_EINVAL);
	assert_null(tree);
	cb_buf_free(&out);
}

static void test_invalid_utf8_is_null(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_buf out = CB_BUF_INIT;
	cb_jw w;
	cb_jw_text(&w, &out, 0, 0);
	cb_jw_array(&w);
	cb_jw_strn(&w, "a\xc5", 2);     /* truncated */
	cb_jw_strn(&w, "\xed\xa0\x80", 3); /* a surrogate */
	cb_jw_strn(&w, "ok", 2);
	cb_jw_end(&w);
	assert_int_equal(cb_jw_finish(&w, NULL, &err), 0);
	assert_string_equal(out.ptr, "[null, null, \"ok\"]");
	cb_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_layout_as_jansson),
					   cmocka_unit_test(test_out_of_order),
					   cmocka_unit_test(test_invalid_utf8_is_null)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
