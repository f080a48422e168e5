/* buf.c: see buf.h. Growth doubles, so appends are amortised O(1). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_buf_init(cb_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

static int grow(cb_buf *b, size_t extra, cb_error *err)
{
	size_t need, cap;
	char *p;

	if (extra > b->max - b->len) {
		size_t max = b->max;
		cb_buf_free(b);
		b->max = max;
		return cb_fail(err, CB_ETOOBIG, "over the limit of %zu bytes", max);
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return CB_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (!(p = realloc(b->ptr, cap))) {
		size_t max = b->max;
		cb_buf_free(b);
		b->max = max;
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	b->ptr = p;
	b->cap = cap;
	return CB_OK;
}

int cb_buf_reserve(cb_buf *b, size_t extra, cb_error *err)
{
	return grow(b, extra, err);
}

int cb_buf_put(cb_buf *b, const void *data, size_t n, cb_error *err)
{
	int rc;
	if ((rc = grow(b, n, err)) < 0)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return CB_OK;
}

int cb_buf_puts(cb_buf *b, const char *s, cb_error *err)
{
	return cb_buf_put(b, s, strlen(s), err);
}

int cb_buf_putc(cb_buf *b, char c, cb_error *err)
{
	return cb_buf_put(b, &c, 1, err);
}

int cb_buf_printf(cb_buf *b, cb_error *err, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return cb_fail(err, CB_EINVAL, "bad format string");
	if ((rc = grow(b, (size_t)n, err)) < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CB_OK;
}

char *cb_buf_detach(cb_buf *b)
{
	char *p = b->ptr;
	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void cb_buf_reset(cb_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void cb_buf_free(cb_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
