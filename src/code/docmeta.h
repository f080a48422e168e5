/*
 * docmeta.h: the document record of a report: title, outlet, publication
 * date, authors, translators, language, and the boilerplate spans (site
 * furniture that is not the report: weather and date headers, "Read in
 * Korean", "Most Popular Articles", contact lines, source lists, captions,
 * a paragraph repeated verbatim). Where a page shows several dates, the
 * article's own stamp wins over a site's header date.
 */
#ifndef CB_DOCMETA_H
#define CB_DOCMETA_H

#include <stddef.h>

#include "code/extract.h"
#include "code/timex.h"
#include "util/error.h"

typedef struct cb_span {
	size_t start, end; /* byte span, end exclusive */
} cb_span;

typedef struct cb_docmeta {
	char *title;           /* or NULL */
	char *outlet;          /* or NULL */
	cb_ymd published;      /* y == 0 when the report gives no date of its own */
	char **authors;        /* n_authors strings */
	size_t n_authors;
	char **translators;    /* n_translators strings */
	size_t n_translators;
	char language[8];      /* ISO 639-1, "en" */
	cb_span *boilerplate;  /* n_boilerplate byte spans, in text order */
	size_t n_boilerplate;
} cb_docmeta;

/* Reads the document record from text[0..len) (valid UTF-8), using hints
 * (may be NULL; a hint wins where the text is silent or ambiguous).
 * *out is new; free with cb_docmeta_free(), which owns every string in it. */
int cb_docmeta_extract(cb_docmeta **out, const char *text, size_t len,
		       const cb_doc_hints *hints, cb_error *err);
void cb_docmeta_free(cb_docmeta *m);

/* 1 if byte offset pos lies in a boilerplate span of m. */
int cb_docmeta_in_boilerplate(const cb_docmeta *m, size_t pos);

#endif
