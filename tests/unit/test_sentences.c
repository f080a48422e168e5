/*
 * test_sentences.c: the sentence splitter, driven by
 * tests/data/extract/sentences.tsv (fictional text and its sentences).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/sentences.h"
#include "util/buf.h"
#include "util/fileio.h"

static void test_split_cases(void **state)
{
	(void)state;
	const char *dir = getenv("CB_TEST_DATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/extract/sentences.tsv", dir ? dir : "tests/data");
	char *data = NULL;
	size_t len = 0;
	cb_error err = CB_ERROR_INIT;
	int failures = 0, cases = 0;
	assert_int_equal(cb_read_file(&data, &len, path, 1 << 20, &err), 0);
	char *save = NULL;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		*tab = 0;
		/* "\n" in the input stands for a line break */
		cb_buf in = CB_BUF_INIT, got = CB_BUF_INIT;
		for (const char *p = line; *p; p++) {
			if (p[0] == '\\' && p[1] == 'n') {
				cb_buf_putc(&in, '\n', NULL);
				p++;
			} else {
				cb_buf_putc(&in, *p, NULL);
			}
		}
		cb_sentence *s = NULL;
		size_t n = 0;
		assert_int_equal(cb_sentences_split(&s, &n, in.ptr ? in.ptr : "", in.len, &err), 0);
		for (size_t i = 0; i < n; i++) {
			if (i)
				cb_buf_puts(&got, " | ", NULL);
			cb_buf_put(&got, in.ptr + s[i].start, s[i].end - s[i].start, NULL);
		}
		cases++;
		if (strcmp(got.ptr ? got.ptr : "", tab + 1)) {
			fprintf(stderr, "FAIL: %s\n  want: %s\n  got:  %s\n", line, tab + 1,
				got.ptr ? got.ptr : "");
			failures++;
		}
		free(s);
		cb_buf_free(&in);
		cb_buf_free(&got);
	}
	assert_true(cases >= 4);
	assert_int_equal(failures, 0);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_split_cases)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
