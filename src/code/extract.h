/*
 * extract.h: the extractor, casebook's "code" stage. It reads one report and
 * proposes the events it tells, in the schema of the codebook
 * (the codebook, ../shared/codebook.md; summarised in docs/events.md), each
 * with its evidence span.
 *
 * Deterministic and offline: rules (PCRE2 patterns and tables under data/,
 * embedded in the binary) and the gazetteer (libgeonames plus
 * data/gazetteer/). No model weights.
 *
 *   cb_extractor *x;
 *   if ((rc = cb_extractor_new(&x, &err)) < 0) ...;
 *   json_t *doc;
 *   rc = cb_extract(&doc, x, text, len, &hints, &err);
 *   ... json_object_get(doc, "events") ...; json_decref(doc);
 * or, for the JSON text alone (what `casebook extract` prints):
 *   cb_buf out = CB_BUF_INIT;
 *   rc = cb_extract_text(&out, 0, x, text, len, &hints, &err);
 *   ... fwrite(out.ptr, 1, out.len, stdout); cb_buf_free(&out);
 *   cb_extractor_free(x);
 */
#ifndef CB_EXTRACT_H
#define CB_EXTRACT_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* Loaded rules and gazetteer. Read-only once built: one extractor may serve
 * many threads at once. Free with cb_extractor_free(). */
typedef struct cb_extractor cb_extractor;

int cb_extractor_new(cb_extractor **out, cb_error *err);
void cb_extractor_free(cb_extractor *x);

/* What collection already knows about a document. Every field may be NULL;
 * the strings are borrowed for the duration of the call. */
typedef struct cb_doc_hints {
	const char *title;     /* HTML <title> or og:title */
	const char *published; /* YYYY-MM-DD from HTML meta tags */
	const char *outlet;    /* --outlet, or the site name from HTML meta */
	const char *url;       /* provenance URL: a date in its path is a hint */
} cb_doc_hints;

/*
 * Extracts one report. text[0..len) is valid UTF-8 (as collect hands it over).
 * On success *out is a new JSON object in the codebook format:
 *   {"document": {...}, "events": [...], "statistics": [...]}
 * with evidence offsets in code points of text. The caller owns *out
 * (json_decref). Never fails on odd text: only on no memory.
 */
int cb_extract(json_t **out, const cb_extractor *x, const char *text, size_t len,
	       const cb_doc_hints *hints, cb_error *err);

#define CB_EXTRACT_ASCII 1 /* \u escapes for every non-ASCII character */

/*
 * The same result as JSON text appended to out, laid out as jansson's
 * json_dumps(JSON_INDENT(2)) lays out the object cb_extract() makes (with
 * JSON_ENSURE_ASCII under CB_EXTRACT_ASCII), without building that object.
 * out stays the caller's; on failure it is freed (see buf.h).
 */
int cb_extract_text(cb_buf *out, int flags, const cb_extractor *x, const char *text,
		    size_t len, const cb_doc_hints *hints, cb_error *err);

#endif
