/*
 * fuzz_extract.c: libFuzzer harness for the extractor. Any bytes go to
 * cb_extract (which must cope with invalid UTF-8 and NUL bytes) and to the
 * sentence splitter; the result must be the three-part codebook object.
 * The same report written as text (what `casebook extract` prints, with
 * and without ASCII escapes) must parse back to that very object: the two
 * ways out of util/jsonw.c must never disagree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "code/extract.h"
#include "code/sentences.h"

static cb_extractor *x;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cb_error err = CB_ERROR_INIT;
	if (!x && cb_extractor_new(&x, &err) < 0)
		abort();
	json_t *doc = NULL;
	if (cb_extract(&doc, x, (const char *)data, size, NULL, &err) < 0)
		abort(); /* only out of memory may fail */
	if (!json_object_get(doc, "document") || !json_is_array(json_object_get(doc, "events")))
		abort();
	for (int ascii = 0; ascii < 2; ascii++) {
		cb_buf text = CB_BUF_INIT;
		if (cb_extract_text(&text, ascii ? CB_EXTRACT_ASCII : 0, x, (const char *)data, size,
				    NULL, &err) < 0)
			abort();
		json_error_t je;
		json_t *back = json_loadb(text.ptr, text.len, 0, &je);
		if (!back || !json_equal(back, doc))
			abort();
		char *dump = json_dumps(doc, JSON_INDENT(2) | (ascii ? JSON_ENSURE_ASCII : 0));
		if (!dump || strcmp(dump, text.ptr))
			abort(); /* laid out as jansson lays it out */
		free(dump);
		json_decref(back);
		cb_buf_free(&text);
	}
	json_decref(doc);
	cb_sentence *s = NULL;
	size_t n = 0;
	if (cb_sentences_split(&s, &n, (const char *)data, size, &err) == 0) {
		for (size_t i = 0; i < n; i++)
			if (s[i].start >= s[i].end || s[i].end > size)
				abort();
		free(s);
	}
	return 0;
}
