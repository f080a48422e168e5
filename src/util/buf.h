/*
 * buf.h: a growable byte buffer with a hard maximum size, for building
 * strings and for reading untrusted input (after curl's dynbuf).
 *
 * The buffer owns its memory; cb_buf_free() releases it and leaves an empty
 * buffer. Contents are always NUL-terminated (the NUL is not counted in len).
 * An append that would exceed max fails with CB_ETOOBIG and, like an
 * allocation failure, frees the buffer so that no half-built value escapes.
 */
#ifndef CB_BUF_H
#define CB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

typedef struct cb_buf {
	char *ptr;   /* NUL-terminated contents, or NULL while empty */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* the most len may grow to */
} cb_buf;

#define CB_BUF_NOLIMIT ((size_t)-1 / 2)
#define CB_BUF_INIT {NULL, 0, 0, CB_BUF_NOLIMIT}

void cb_buf_init(cb_buf *b, size_t max);
int cb_buf_put(cb_buf *b, const void *data, size_t n, cb_error *err);
int cb_buf_puts(cb_buf *b, const char *s, cb_error *err);
int cb_buf_putc(cb_buf *b, char c, cb_error *err);
/* Makes room for extra more bytes (and the NUL) past len, which it leaves
 * as it is: a writer may then fill ptr[len..len+extra) in place. */
int cb_buf_reserve(cb_buf *b, size_t extra, cb_error *err);
int cb_buf_printf(cb_buf *b, cb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Hands the contents to the caller (free() them) and empties the buffer.
 * Returns an empty malloc'd string for an empty buffer, NULL on no memory. */
char *cb_buf_detach(cb_buf *b);
void cb_buf_reset(cb_buf *b);  /* len = 0, memory kept */
void cb_buf_free(cb_buf *b);

#endif
