/*
 * text.c: turning the raw bytes of a report into casebook text.
 *
 * Every report, plain or extracted from HTML, ends up as NFC UTF-8 with LF
 * line ends. The order of the checks matters for the messages users see:
 * binary content is recognised before UTF-8 is validated (a PDF or an image
 * renamed .txt should say "binary file", not "invalid UTF-8 at byte 11"),
 * and emptiness is judged last, on the cleaned text, so that a file holding
 * only a BOM and line breaks is "empty" too.
 *
 * Offsets: evidence spans point into the text produced here, so everything
 * after this stage must leave that text alone. Only three changes are made:
 * a leading BOM goes, CR and CRLF become LF, and NFC composition (which
 * changes nothing in text that is already NFC, as nearly all text is).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "collect/collect_int.h"
#include "util/utf8.h"

/* Above this share of control characters a file is taken for binary:
 * real reports have none besides tab and line breaks, while binary formats
 * without a NUL in their first bytes are still full of them. */
#define CB_BINARY_CTRL_PERCENT 2

static int is_odd_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ||
	       c == 0x7F;
}

int cb_text_is_blank(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;
		if (c < 0x80) {
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
				return 0;
			i++;
			continue;
		}
		i += cb_utf8_decode(s + i, len - i, &cp);
		if (!(cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
		      cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
		      cp == 0x3000 || cp == 0xFEFF))
			return 0;
	}
	return 1;
}

/* 1 if NFC certainly leaves s[0..len) as it is: every code point is a
 * starter that never composes with what precedes it and has no canonical
 * singleton mapping. Checked over a few ranges that cover what reports are
 * written in (Latin-1 and Latin Extended, typographic punctuation,
 * currency signs, CJK ideographs and punctuation, precomposed Hangul,
 * full-width forms); anything else goes through utf8proc, which is exact but
 * slower by two orders of magnitude. Combining marks, conjoining Hangul jamo
 * and singletons such as U+2000 are outside every range. */
static int nfc_certainly_unchanged(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += cb_utf8_decode(s + i, len - i, &cp);
		if (!(cp < 0x300 || (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
		      (cp >= 0x20A0 && cp <= 0x20BF) || (cp >= 0x3000 && cp <= 0x3029) ||
		      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
		      (cp >= 0xFF01 && cp <= 0xFFEF)))
			return 0;
	}
	return 1;
}

int cb_text_normalize(char **out, size_t *out_len, const char *name, const char *s,
		      size_t len, cb_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	int ascii = 1, rc = CB_OK;

	*out = NULL;
	*out_len = 0;
	if (!(buf = malloc(len + 1)))
		return cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\r') {
			buf[n++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			continue;
		}
		if ((unsigned char)c >= 0x80)
			ascii = 0;
		buf[n++] = c;
	}
	buf[n] = '\0';
	/* ASCII is NFC by definition, and so is most other text; skipping
	 * utf8proc for it keeps the common case at memory speed. */
	if (!ascii && !nfc_certainly_unchanged(buf, n)) {
		utf8proc_uint8_t *nfc = NULL;
		utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)buf, (utf8proc_ssize_t)n,
						  &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (m < 0) {
			rc = cb_fail(err, m == UTF8PROC_ERROR_NOMEM ? CB_ENOMEM : CB_EFORMAT,
				     "%s: cannot normalise text: %s", name, utf8proc_errmsg(m));
			goto done;
		}
		free(buf);
		buf = (char *)nfc;
		n = (size_t)m;
	}
	*out = buf;
	*out_len = n;
	buf = NULL;
done:
	free(buf);
	return rc;
}

/* 1 if the invalid sequence at bad is a character cut off by the end of the
 * file (a truncated download or copy), which deserves its own message. */
static int truncated_at_end(const unsigned char *u, size_t bad, size_t len)
{
	size_t need = u[bad] >= 0xF0 ? 4 : u[bad] >= 0xE0 ? 3 : u[bad] >= 0xC2 ? 2 : 0;

	if (need == 0 || u[bad] > 0xF4 || bad + need <= len)
		return 0;
	for (size_t i = bad + 1; i < len; i++)
		if ((u[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

int cb_text_from_bytes(char **out, size_t *out_len, const char *name, const char *data,
		       size_t len, cb_error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t ctrl = 0, bad;
	int ascii = 1, rc;

	*out = NULL;
	*out_len = 0;
	if (len == 0)
		return cb_fail(err, CB_EFORMAT, "%s: empty file", name);
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return cb_fail(err, CB_EFORMAT, "%s: UTF-16 text; convert it to UTF-8 first", name);
	for (size_t i = 0; i < len; i++) {
		if (u[i] == 0)
			return cb_fail(err, CB_EFORMAT, "%s: binary file (NUL byte at byte %zu)", name, i);
		if (u[i] >= 0x80)
			ascii = 0;
		else if (is_odd_control(u[i]))
			ctrl++;
	}
	if (ctrl * 100 > len * CB_BINARY_CTRL_PERCENT)
		return cb_fail(err, CB_EFORMAT, "%s: binary file (%zu control characters in %zu bytes)",
			       name, ctrl, len);
	if (!ascii && (bad = cb_utf8_invalid_at(data, len)) < len) {
		if (truncated_at_end(u, bad, len))
			return cb_fail(err, CB_EFORMAT,
				       "%s: invalid UTF-8 at byte %zu (truncated character at the end)",
				       name, bad);
		return cb_fail(err, CB_EFORMAT, "%s: invalid UTF-8 at byte %zu", name, bad);
	}
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3;
		len -= 3;
	}
	if ((rc = cb_text_normalize(out, out_len, name, data, len, err)) < 0)
		return rc;
	if (cb_text_is_blank(*out, *out_len)) {
		free(*out);
		*out = NULL;
		*out_len = 0;
		return cb_fail(err, CB_EFORMAT, "%s: empty file (only white space)", name);
	}
	return CB_OK;
}
