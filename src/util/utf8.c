/* utf8.c: see utf8.h. The validator follows RFC 3629 table 3-7. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t cb_utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			/* most text is ASCII: skip it eight bytes at a time */
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ull)))
				i += 8;
			if (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) n = 1;
		else if (c == 0xE0) { n = 2; lo = 0xA0; }
		else if (c >= 0xE1 && c <= 0xEC) n = 2;
		else if (c == 0xED) { n = 2; hi = 0x9F; }
		else if (c >= 0xEE && c <= 0xEF) n = 2;
		else if (c == 0xF0) { n = 3; lo = 0x90; }
		else if (c >= 0xF1 && c <= 0xF3) n = 3;
		else if (c == 0xF4) { n = 3; hi = 0x8F; }
		else return i;
		if (len - i <= n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

size_t cb_utf8_cp_count(const char *s, size_t len)
{
	/* eight bytes at a time: a continuation byte is 10xxxxxx, so it has
	 * bit 7 set and bit 6 clear */
	size_t n = len, i = 0;
	while (i + 8 <= len) {
		/* per byte lane a 0/1 count, summed over up to 31 words and
		 * then across the lanes by one multiply, whose top byte holds
		 * the sum while it is under 256 (8 lanes x 31) (a popcount per
		 * word is a library call on CPUs the build cannot assume) */
		uint64_t acc = 0;
		for (int k = 0; k < 31 && i + 8 <= len; k++, i += 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			acc += (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
		}
		n -= (size_t)((acc * 0x0101010101010101ull) >> 56);
	}
	for (; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			n--;
	return n;
}

size_t cb_utf8_byte_offset(const char *s, size_t len, size_t cp)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (n == cp)
				return i;
			n++;
		}
	}
	return len;
}

size_t cb_utf8_decode(const char *str, size_t n, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = 1;
	int32_t c = s[0];

	if (c >= 0xF0 && n >= 4) {
		c = ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		len = 4;
	} else if (c >= 0xE0 && n >= 3) {
		c = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		len = 3;
	} else if (c >= 0xC0 && n >= 2) {
		c = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		len = 2;
	}
	*cp = c;
	return len;
}

size_t cb_cp_cursor_at(cb_cp_cursor *c, size_t pos)
{
	/* back from here, or on from the start, whichever is the shorter way */
	if (pos < c->pos && c->pos - pos < pos)
		c->cp -= cb_utf8_cp_count(c->text + pos, c->pos - pos);
	else if (pos < c->pos)
		c->pos = c->cp = 0;
	if (pos >= c->pos)
		c->cp += cb_utf8_cp_count(c->text + c->pos, pos - c->pos);
	c->pos = pos;
	return c->cp;
}
