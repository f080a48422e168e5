/*
 * collect_int.h: what the files of src/collect share and nobody else needs:
 * the text clean-up pipeline (text.c) and the HTML extractor (html.c).
 */
#ifndef CB_COLLECT_INT_H
#define CB_COLLECT_INT_H

#include <stddef.h>

#include "collect/collect.h"

/* Checks raw bytes of a plain-text report and turns them into casebook text:
 * refuses binary content, invalid UTF-8 (naming the byte offset into data)
 * and empty or whitespace-only text; drops a leading BOM, turns CRLF and
 * lone CR into LF and normalises to NFC. name is for messages only.
 * On success *out is a new NUL-terminated string (caller frees) of *out_len
 * bytes. */
int cb_text_from_bytes(char **out, size_t *out_len, const char *name, const char *data,
		       size_t len, cb_error *err);

/* The tail of that pipeline for text known to be valid UTF-8 (extracted from
 * HTML): CR/CRLF to LF and NFC. *out is new (caller frees). */
int cb_text_normalize(char **out, size_t *out_len, const char *name, const char *s,
		      size_t len, cb_error *err);

/* 1 if s[0..len) holds nothing but white space (ASCII and Unicode spaces). */
int cb_text_is_blank(const char *s, size_t len);

/* Fills c->text/len, title, published, site_name and canonical_url from an
 * HTML document. Fails with "no text found" when the page has no text. */
int cb_html_extract(cb_collected *c, const char *name, const char *data, size_t len,
		    cb_error *err);

#endif
