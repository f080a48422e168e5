/*
 * test_extract.c: the extractor's rules, driven by
 * tests/data/extract/events.tsv: each line a fictional sentence and the
 * events expected from it ("type/modality/min-max"). A failing case prints
 * the input, what was expected and what came out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/extract.h"
#include "util/buf.h"
#include "util/fileio.h"

static char *data_path(const char *name)
{
	const char *dir = getenv("CB_TEST_DATA");
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/extract/%s", dir ? dir : "tests/data", name);
	return buf;
}

/* "type/modality/min-max ..." for the events of doc. */
static void summarise(cb_buf *b, json_t *doc)
{
	json_t *events = json_object_get(doc, "events");
	size_t i;
	json_t *e;
	if (json_array_size(events) == 0) {
		cb_buf_puts(b, "none", NULL);
		return;
	}
	json_array_foreach(events, i, e) {
		json_t *v = json_object_get(e, "victims");
		json_t *lo = json_object_get(v, "count_min"), *hi = json_object_get(v, "count_max");
		if (i)
			cb_buf_putc(b, ' ', NULL);
		cb_buf_printf(b, NULL, "%s/%s/", json_string_value(json_object_get(e, "type")),
			      json_string_value(json_object_get(e, "modality")));
		if (!json_is_integer(lo) && !json_is_integer(hi)) {
			cb_buf_putc(b, '-', NULL);
			continue;
		}
		if (json_is_integer(lo))
			cb_buf_printf(b, NULL, "%lld", (long long)json_integer_value(lo));
		cb_buf_putc(b, '-', NULL);
		if (json_is_integer(hi))
			cb_buf_printf(b, NULL, "%lld", (long long)json_integer_value(hi));
	}
}

static void test_event_rules(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_extractor *x = NULL;
	char *data = NULL;
	size_t len = 0;
	int failures = 0, cases = 0;

	assert_int_equal(cb_extractor_new(&x, &err), 0);
	assert_int_equal(cb_read_file(&data, &len, data_path("events.tsv"), 1 << 20, &err), 0);
	for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !strchr(line, '\t'))
			continue;
		char *tab = strchr(line, '\t');
		*tab = 0;
		const char *want = tab + 1;
		cb_buf text = CB_BUF_INIT, got = CB_BUF_INIT;
		cb_buf_printf(&text, NULL, "Fictional test report\n\n%s\n", line);
		json_t *doc = NULL;
		assert_int_equal(cb_extract(&doc, x, text.ptr, text.len, NULL, &err), 0);
		summarise(&got, doc);
		cases++;
		if (strcmp(got.ptr, want)) {
			fprintf(stderr, "FAIL: %s\n  want: %s\n  got:  %s\n", line, want, got.ptr);
			failures++;
		}
		json_decref(doc);
		cb_buf_free(&text);
		cb_buf_free(&got);
	}
	fprintf(stderr, "%d of %d event cases pass\n", cases - failures, cases);
	assert_true(cases > 20);
	assert_int_equal(failures, 0);
	free(data);
	cb_extractor_free(x);
}

/* Odd inputs never crash and always give the three parts. */
/* "type@date@admin1 ..." for the events of doc ("-" for none). */
/* Each event as "type@date@admin1", or "type@date@admin1/place" when
 * with_place ("-" for none). */
static void summarise_slots(cb_buf *b, json_t *doc, int with_place)
{
	json_t *events = json_object_get(doc, "events");
	size_t i;
	json_t *e;
	if (json_array_size(events) == 0) {
		cb_buf_puts(b, "none", NULL);
		return;
	}
	json_array_foreach(events, i, e) {
		const char *date = json_string_value(json_object_get(json_object_get(e, "date"), "start"));
		const char *a1 = json_string_value(json_object_get(json_object_get(e, "location"), "admin1"));
		const char *pl = json_string_value(json_object_get(json_object_get(e, "location"), "place"));
		cb_buf_printf(b, NULL, "%s%s@%s@%s", i ? " " : "",
			      json_string_value(json_object_get(e, "type")), date ? date : "-",
			      a1 ? a1 : "-");
		if (with_place)
			cb_buf_printf(b, NULL, "/%s", pl ? pl : "-");
	}
}

/* tests/data/extract/slots.tsv: the date and province of each event (and
 * its place, where the line asks "admin1/place"). The input may hold "\n"
 * for a line break (datelines, paragraphs). */
static void test_slot_rules(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_extractor *x = NULL;
	char *data = NULL;
	size_t len = 0;
	int failures = 0, cases = 0;

	assert_int_equal(cb_extractor_new(&x, &err), 0);
	assert_int_equal(cb_read_file(&data, &len, data_path("slots.tsv"), 1 << 20, &err), 0);
	for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !strchr(line, '\t'))
			continue;
		char *tab = strchr(line, '\t');
		*tab = 0;
		const char *want = tab + 1;
		cb_buf text = CB_BUF_INIT, got = CB_BUF_INIT;
		cb_buf_puts(&text, "Fictional test report\n\n", NULL);
		for (const char *c = line; *c; c++) {
			if (c[0] == '\\' && c[1] == 'n')
				cb_buf_putc(&text, '\n', NULL), c++;
			else
				cb_buf_putc(&text, *c, NULL);
		}
		cb_buf_putc(&text, '\n', NULL);
		json_t *doc = NULL;
		assert_int_equal(cb_extract(&doc, x, text.ptr, text.len, NULL, &err), 0);
		summarise_slots(&got, doc, strchr(want, '/') != NULL);
		cases++;
		if (strcmp(got.ptr, want)) {
			fprintf(stderr, "FAIL: %s\n  want: %s\n  got:  %s\n", line, want, got.ptr);
			failures++;
		}
		json_decref(doc);
		cb_buf_free(&text);
		cb_buf_free(&got);
	}
	fprintf(stderr, "%d of %d slot cases pass\n", cases - failures, cases);
	assert_true(cases >= 3);
	assert_int_equal(failures, 0);
	free(data);
	cb_extractor_free(x);
}

/* Two acts of a type in one sentence: each one's evidence is its clause,
 * in code points of the text as given. */
static void test_clause_evidence(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_extractor *x = NULL;
	const char *text = "Fictional test report\n\nThe two brokers were given three years in "
			   "prison, while the woman was given ten years.\n";
	const char *want[] = {"The two brokers were given three years in prison",
			      "the woman was given ten years."};
	json_t *doc = NULL;
	assert_int_equal(cb_extractor_new(&x, &err), 0);
	assert_int_equal(cb_extract(&doc, x, text, strlen(text), NULL, &err), 0);
	json_t *events = json_object_get(doc, "events");
	assert_int_equal(json_array_size(events), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *ev = json_object_get(json_array_get(events, i), "evidence");
		const char *quote = json_string_value(json_object_get(ev, "quote"));
		long long start = json_integer_value(json_object_get(ev, "start"));
		long long end = json_integer_value(json_object_get(ev, "end"));
		assert_string_equal(quote, want[i]);
		assert_int_equal(end - start, (long long)strlen(want[i]));
		assert_memory_equal(text + start, want[i], strlen(want[i]));
	}
	json_decref(doc);
	cb_extractor_free(x);
}

static void test_odd_inputs(void **state)
{
	(void)state;
	cb_error err = CB_ERROR_INIT;
	cb_extractor *x = NULL;
	assert_int_equal(cb_extractor_new(&x, &err), 0);
	const char *cases[] = {"", "\n\n\n", "....!!!???", "\xff\xfe\x00garbage\x80", "a", NULL};
	size_t lens[] = {0, 3, 10, 12, 1};
	for (int i = 0; cases[i]; i++) {
		json_t *doc = NULL;
		assert_int_equal(cb_extract(&doc, x, cases[i], lens[i], NULL, &err), 0);
		assert_non_null(json_object_get(doc, "document"));
		assert_true(json_is_array(json_object_get(doc, "events")));
		assert_true(json_is_array(json_object_get(doc, "statistics")));
		json_decref(doc);
	}
	/* One long line with no full stop, and one with a trigger every few words. */
	size_t n = 2u << 20;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = "police arrested seven women and "[i % 32];
	json_t *doc = NULL;
	assert_int_equal(cb_extract(&doc, x, big, n, NULL, &err), 0);
	json_decref(doc);
	free(big);
	cb_extractor_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_rules),
		cmocka_unit_test(test_slot_rules),
		cmocka_unit_test(test_clause_evidence),
		cmocka_unit_test(test_odd_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
