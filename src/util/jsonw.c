/*
 * jsonw.c: see jsonw.h. The text mode follows jansson's dump.c in what it
 * writes (so that `casebook extract` prints what json_dumps printed before
 * this writer existed, and tests compare the two), not in how: spans of
 * bytes that need no escape are appended whole.
 */
#include "jsonw.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

static void fail(cb_jw *w, int code)
{
	if (!w->failed)
		w->failed = code;
}

void cb_jw_text(cb_jw *w, cb_buf *out, int indent, int ascii)
{
	memset(w, 0, offsetof(cb_jw, stack));
	w->out = out;
	w->indent = indent;
	w->ascii = ascii;
	w->root = NULL;
}

void cb_jw_tree(cb_jw *w)
{
	memset(w, 0, offsetof(cb_jw, stack));
	w->root = NULL;
}

/* ---- text ---- */

static void put_slow(cb_jw *w, const char *s, size_t n)
{
	if (!w->failed && cb_buf_put(w->out, s, n, NULL) < 0)
		fail(w, CB_ENOMEM);
}

/* Appends: most appends fit what the buffer has, and then cost a copy.
 * (A buffer freed by a failure has no room: those go the slow way.) */
static inline void put(cb_jw *w, const char *s, size_t n)
{
	cb_buf *b = w->out;
	if (b->len + n < b->cap) {
		memcpy(b->ptr + b->len, s, n);
		b->len += n;
		b->ptr[b->len] = 0;
		return;
	}
	put_slow(w, s, n);
}

/* Room for n more bytes at the end of the text, or NULL (failed). The
 * caller writes them and adds what it wrote to len (then the NUL). */
static inline char *room(cb_jw *w, size_t n)
{
	cb_buf *b = w->out;
	if (b->len + n < b->cap)
		return b->ptr + b->len;
	if (w->failed || cb_buf_reserve(b, n, NULL) < 0) {
		fail(w, CB_ENOMEM);
		return NULL;
	}
	return b->ptr + b->len;
}

static void newline(cb_jw *w, int depth)
{
	static const char spaces[] = "\n                                "
				     "                                ";
	size_t n = (size_t)(depth * w->indent);
	if (w->indent <= 0)
		return;
	if (n + 1 < sizeof spaces) {
		put(w, spaces, n + 1);
		return;
	}
	put(w, "\n", 1);
	for (size_t i = 0; i < n; i++)
		put(w, " ", 1);
}

/* Before a value or a key in the open container: the comma and the line. */
static int text_slot(cb_jw *w)
{
	if (w->depth == 0)
		return 0;
	int after = w->members[w->depth - 1];
	w->members[w->depth - 1] = 1;
	if (w->indent > 0) {
		if (after)
			put(w, ",", 1);
		newline(w, w->depth);
	} else if (after) {
		put(w, ", ", 2); /* jansson's layout without an indent */
	}
	return 0;
}

static const char HEX[] = "0123456789ABCDEF";

static void put_u(cb_jw *w, unsigned v)
{
	char e[6] = {'\\', 'u', HEX[v >> 12 & 15], HEX[v >> 8 & 15], HEX[v >> 4 & 15], HEX[v & 15]};
	put(w, e, 6);
}

/* Bytes a string cannot hold as they are: 1 always, 2 under ASCII. */
static const unsigned char ESCAPE[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
	[0x80] = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};

/* s[0..n) is valid UTF-8. */
static void text_string(cb_jw *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned stop = w->ascii ? 3 : 1;
	size_t run = 0, i = 0;
	put(w, "\"", 1);
	while (i < n) {
		/* eight bytes at a time while none needs a look: no control
		 * byte, quote or backslash (nor, for ASCII, a high bit) */
		while (i + 8 <= n) {
			uint64_t x;
			memcpy(&x, u + i, 8);
			const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
			uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
			uint64_t hit = ((x - ones * 0x20) | (q - ones) | (b - ones)) & ~x;
			if (w->ascii)
				hit |= x;
			if (hit & highs)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned char c = u[i];
		if (!(ESCAPE[c] & stop)) {
			i++;
			continue;
		}
		put(w, s + run, i - run);
		if (c >= 0x80) {
			int32_t cp;
			size_t k = cb_utf8_decode(s + i, n - i, &cp);
			if (k == 0 || cp < 0) { /* cannot be: the caller checked */
				fail(w, CB_EINVAL);
				return;
			}
			if (cp >= 0x10000) {
				unsigned v = (unsigned)cp - 0x10000;
				put_u(w, 0xD800 | (v >> 10));
				put_u(w, 0xDC00 | (v & 0x3FF));
			} else {
				put_u(w, (unsigned)cp);
			}
			i += k;
		} else {
			const char *e = NULL;
			switch (c) {
			case '"': e = "\\\""; break;
			case '\\': e = "\\\\"; break;
			case '\b': e = "\\b"; break;
			case '\f': e = "\\f"; break;
			case '\n': e = "\\n"; break;
			case '\r': e = "\\r"; break;
			case '\t': e = "\\t"; break;
			}
			if (e)
				put(w, e, 2);
			else
				put_u(w, c);
			i++;
		}
		run = i;
	}
	put(w, s + run, n - run);
	put(w, "\"", 1);
}

/* ---- tree ---- */

/* Hands v (a new reference, or NULL: no memory) to the open container, or
 * makes it the root. */
static void tree_add(cb_jw *w, json_t *v)
{
	if (!v) {
		fail(w, CB_ENOMEM);
		return;
	}
	if (w->depth == 0) {
		w->root = v;
		return;
	}
	json_t *c = w->stack[w->depth - 1];
	/* both steal v, also when they fail */
	int rc = json_is_object(c) ? json_object_set_new_nocheck(c, w->key, v)
				   : json_array_append_new(c, v);
	if (rc < 0)
		fail(w, CB_ENOMEM);
}

/* ---- both ---- */

/* Before a value: is one allowed here (after its key in an object, once
 * at the top)? In text, the comma and the new line. */
static int value_begin(cb_jw *w)
{
	if (w->failed)
		return 0;
	if (w->depth == 0) {
		if (w->done) {
			fail(w, CB_EINVAL);
			return 0;
		}
		w->done = 1;
		return 1;
	}
	if (w->is_object[w->depth - 1]) {
		if (!w->keyed) {
			fail(w, CB_EINVAL);
			return 0;
		}
		w->keyed = 0;
		return 1;
	}
	if (w->out)
		text_slot(w);
	return 1;
}

void cb_jw_keyn(cb_jw *w, const char *key, size_t n)
{
	if (w->failed)
		return;
	if (w->depth == 0 || !w->is_object[w->depth - 1] || w->keyed || n >= sizeof w->key) {
		fail(w, CB_EINVAL);
		return;
	}
	w->keyed = 1;
	if (w->out && w->indent > 0 && w->depth * w->indent <= 64) {
		/* the most written thing: ",\n", the indent and '"key": ' in
		 * one go */
		size_t ind = (size_t)(w->depth * w->indent);
		char *p = room(w, n + ind + 6), *p0 = p;
		if (!p)
			return;
		if (w->members[w->depth - 1])
			*p++ = ',';
		w->members[w->depth - 1] = 1;
		*p++ = '\n';
		memset(p, ' ', ind);
		p += ind;
		*p++ = '"';
		memcpy(p, key, n);
		p += n;
		memcpy(p, "\": ", 3);
		p += 3;
		w->out->len += (size_t)(p - p0);
		w->out->ptr[w->out->len] = 0;
	} else if (w->out) {
		text_slot(w);
		put(w, "\"", 1);
		put(w, key, n);
		put(w, "\": ", 3);
	} else {
		memcpy(w->key, key, n + 1);
	}
}

static void begin_container(cb_jw *w, int object)
{
	if (!value_begin(w))
		return;
	if (w->depth >= CB_JW_MAX_DEPTH) {
		fail(w, CB_EINVAL);
		return;
	}
	if (w->out) {
		put(w, object ? "{" : "[", 1);
	} else {
		json_t *c = object ? json_object() : json_array();
		tree_add(w, c);
		if (w->failed)
			return;
		w->stack[w->depth] = c; /* borrowed: its parent (or root) owns it */
	}
	w->is_object[w->depth] = (unsigned char)object;
	w->members[w->depth++] = 0;
}

void cb_jw_object(cb_jw *w)
{
	begin_container(w, 1);
}

void cb_jw_array(cb_jw *w)
{
	begin_container(w, 0);
}

void cb_jw_end(cb_jw *w)
{
	if (w->failed)
		return;
	if (w->depth == 0 || w->keyed) {
		fail(w, CB_EINVAL);
		return;
	}
	int object = w->is_object[--w->depth];
	if (w->out) {
		if (w->members[w->depth])
			newline(w, w->depth);
		put(w, object ? "}" : "]", 1);
	}
}

void cb_jw_strn(cb_jw *w, const char *s, size_t n)
{
	if (cb_utf8_invalid_at(s, n) != n)
		cb_jw_null(w);
	else
		cb_jw_strn_valid(w, s, n);
}

void cb_jw_strn_valid(cb_jw *w, const char *s, size_t n)
{
	if (!value_begin(w))
		return;
	if (w->out)
		text_string(w, s, n);
	else
		tree_add(w, json_stringn_nocheck(s, n));
}

void cb_jw_str(cb_jw *w, const char *s)
{
	if (s)
		cb_jw_strn(w, s, strlen(s));
	else
		cb_jw_null(w);
}

void cb_jw_int(cb_jw *w, long long v)
{
	if (!value_begin(w))
		return;
	if (w->out) {
		char b[24], *p = b + sizeof b;
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (v < 0)
			*--p = '-';
		put(w, p, (size_t)(b + sizeof b - p));
	} else {
		tree_add(w, json_integer((json_int_t)v));
	}
}

/* As jansson writes a real: the shortest "%.17g", with ".0" when that
 * reads as an integer, and an exponent without '+' or leading zeros. */
static size_t real_text(char *b, size_t cap, double v)
{
	int n = snprintf(b, cap, "%.17g", v);
	if (n < 0 || (size_t)n >= cap - 3)
		return 0;
	if (!strchr(b, '.') && !strchr(b, 'e')) {
		memcpy(b + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(b, 'e');
	if (e) {
		char *p = e + 1, *q = p;
		if (*q == '+')
			q++;
		else if (*q == '-')
			p++, q++;
		while (*q == '0' && q[1])
			q++;
		memmove(p, q, strlen(q) + 1);
		n = (int)strlen(b);
	}
	return (size_t)n;
}

void cb_jw_real(cb_jw *w, double v)
{
	if (v != v || v - v != 0) { /* NaN and infinities are not JSON */
		cb_jw_null(w);
		return;
	}
	if (!value_begin(w))
		return;
	if (w->out) {
		char b[40];
		size_t n = real_text(b, sizeof b, v);
		if (!n)
			fail(w, CB_EINVAL);
		else
			put(w, b, n);
	} else {
		tree_add(w, json_real(v));
	}
}

void cb_jw_null(cb_jw *w)
{
	if (!value_begin(w))
		return;
	if (w->out)
		put(w, "null", 4);
	else
		tree_add(w, json_null());
}

int cb_jw_finish(cb_jw *w, json_t **tree, cb_error *err)
{
	if (!w->failed && (w->depth || w->keyed || !w->done))
		w->failed = CB_EINVAL;
	if (tree)
		*tree = NULL;
	if (w->failed) {
		json_decref(w->root);
		w->root = NULL;
		return cb_fail(err, w->failed,
			       w->failed == CB_ENOMEM ? "JSON: out of memory"
						      : "JSON: a value or a key out of place");
	}
	if (tree)
		*tree = w->root;
	else
		json_decref(w->root);
	w->root = NULL;
	return 0;
}
