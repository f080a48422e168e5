/*
 * collect.h: the "collect" stage. Turns a file (.txt or .html) into a
 * report's text with its provenance: UTF-8 checked, a leading BOM dropped,
 * CRLF turned into LF, Unicode normalised to NFC (utf8proc); for HTML the
 * main text, <title>, the site name and the publication date from the usual
 * meta tags (libxml2's HTML parser). Also the content hash (BLAKE2b-256 of
 * the original bytes) and the near-duplicate signature (neardup.h).
 *
 * Collection never touches the store: cli/ingest hands the result to it.
 */
#ifndef CB_COLLECT_H
#define CB_COLLECT_H

#include <stddef.h>

#include "util/error.h"

#define CB_COLLECT_DEFAULT_MAX (20u * 1024 * 1024) /* 20 MB */

typedef enum cb_doc_format { CB_FORMAT_TEXT, CB_FORMAT_HTML } cb_doc_format;

typedef struct cb_collected {
	cb_doc_format format;
	char *text;          /* the report's text: NFC UTF-8, LF line ends, NUL-terminated */
	size_t len;          /* bytes of text */
	char *title;         /* HTML <title>/og:title, or NULL */
	char *published;     /* YYYY-MM-DD from HTML meta, or NULL */
	char *site_name;     /* og:site_name or similar, or NULL */
	char *canonical_url; /* <link rel=canonical>/og:url, or NULL */
	unsigned char *orig; /* the original bytes as read */
	size_t orig_len;
	unsigned char hash[32]; /* BLAKE2b-256 of orig */
	char hash_hex[65];
} cb_collected;

/*
 * Reads and converts path. The format comes from the extension (.txt, .text,
 * .md: text; .html, .htm: HTML); others are refused. Fails, with a one-line
 * message naming path and the reason, on: a missing or unreadable file, an
 * empty file (or one with no text), binary content, invalid UTF-8 (with the
 * byte offset), more than max_bytes, HTML that yields no text.
 * On success *out is new; free with cb_collected_free().
 */
int cb_collect_file(cb_collected **out, const char *path, size_t max_bytes, cb_error *err);

/* The same on bytes already in memory; name is used in messages and to pick
 * the format. data is copied. */
int cb_collect_bytes(cb_collected **out, const char *name, const void *data, size_t len,
		     cb_error *err);

void cb_collected_free(cb_collected *c);

/* 1 if path has an extension collect reads. */
int cb_collect_is_supported(const char *path);

#endif
