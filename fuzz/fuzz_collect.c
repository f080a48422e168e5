/*
 * fuzz_collect.c: libFuzzer harness for the collect stage. Each input goes
 * through cb_collect_bytes twice, as plain text and as HTML, and, when
 * collected, through the near-duplicate signature; the harness checks the
 * promises collect.h makes about its output (valid UTF-8, no CR, length
 * right, NUL-terminated) and that failures come with a one-line message.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz_collect.c \
 *         src/collect/[a-z]*.c src/util/{buf,error,fileio,utf8}.c \
 *         $(pkg-config --cflags --libs libxml-2.0 libsodium libutf8proc)
 *   ./a.out -max_len=65536 corpus/
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "collect/neardup.h"
#include "util/utf8.h"

static void check(const char *name, const uint8_t *data, size_t size)
{
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	int rc = cb_collect_bytes(&c, name, data, size, &err);

	if (rc < 0) {
		if (c || !err.msg[0] || strchr(err.msg, '\n') || strncmp(err.msg, name, strlen(name)))
			abort();
		return;
	}
	if (!c || !c->text || strlen(c->text) != c->len || c->len == 0 ||
	    cb_utf8_invalid_at(c->text, c->len) != c->len || memchr(c->text, '\r', c->len) ||
	    c->orig_len != size || (size && memcmp(c->orig, data, size)))
		abort();
	if (c->published && strlen(c->published) != 10)
		abort();
	{
		cb_minhash m;
		uint64_t bands[CB_MINHASH_BANDS];
		cb_minhash_compute(&m, c->text, c->len);
		cb_minhash_bands(bands, &m);
		if (cb_minhash_similarity(&m, &m) != (cb_minhash_is_empty(&m) ? 0.0 : 1.0))
			abort();
	}
	cb_collected_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check("x.txt", data, size);
	check("x.html", data, size);
	return 0;
}
