/*
 * utf8.h: the few UTF-8 facts every stage needs. Evidence spans in the
 * codebook count Unicode code points, while C works in bytes: these convert.
 * Text handed between modules is always valid UTF-8 (collect checks it).
 */
#ifndef CB_UTF8_H
#define CB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first invalid byte, or len if s[0..len) is valid UTF-8
 * (shortest form, no surrogates, at most U+10FFFF). */
size_t cb_utf8_invalid_at(const char *s, size_t len);

/* Number of code points in s[0..len) (which must be valid). */
size_t cb_utf8_cp_count(const char *s, size_t len);

/* Code-point offsets of byte positions that mostly grow, without counting
 * from the start each time (which makes long documents quadratic): the
 * cursor remembers where it was and counts on (or back) from there. */
typedef struct cb_cp_cursor {
	const char *text;
	size_t pos, cp;
} cb_cp_cursor;
static inline void cb_cp_cursor_init(cb_cp_cursor *c, const char *text)
{
	c->text = text;
	c->pos = c->cp = 0;
}
/* The code-point offset of byte pos (a character boundary of valid text). */
size_t cb_cp_cursor_at(cb_cp_cursor *c, size_t pos);

/* Byte offset of code point number cp in s[0..len); len if past the end. */
size_t cb_utf8_byte_offset(const char *s, size_t len, size_t cp);

/* Decodes one code point at s (valid UTF-8, n > 0); stores it in *cp and
 * returns its length in bytes. */
size_t cb_utf8_decode(const char *s, size_t n, int32_t *cp);

#endif
