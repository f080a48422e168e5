/*
 * fuzz_extract.c: libFuzzer harness for the extractor. Any bytes go to
 * cb_extract (which must cope with invalid UTF-8 and NUL bytes) and to the
 * sentence splitter; the result must be the three-part codebook object.
 */
#include <stdint.h>
#include <stdlib.h>

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
