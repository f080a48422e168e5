/*
 * search.h: full-text search over the stored reports (SQLite FTS5, ranked
 * by cbrank - bm25's per-document part without its collection-wide IDF,
 * see rank.c - with titles weighted above body text; highlighted
 * snippets), filtered by outlet and publication date.
 *
 * A query that matches more than CB_SEARCH_RANK_WINDOW reports is ranked
 * among the CB_SEARCH_RANK_WINDOW most recently stored of them (with
 * --from/--to/--outlet narrowing first): ranking every match of a common
 * word in a large collection would make each search slow, and a person
 * narrows such a query anyway.
 *
 * Queries are FTS5 syntax (words, "phrases", prefix*, AND/OR/NOT, NEAR;
 * a prefix word is searched as the index's words that begin so, which
 * finds the same reports faster: prefix.c);
 * a query that is not valid FTS5 (stray quotes, "N.Korea") is searched as
 * plain words instead of failing, so that people can type what they see.
 */
#ifndef CB_SEARCH_H
#define CB_SEARCH_H

#include <jansson.h>

#include "store/store.h"

typedef struct cb_search_query {
	const char *text;   /* the query */
	const char *outlet; /* NULL = any; case-insensitive */
	const char *from;   /* ISO date, inclusive; NULL = open */
	const char *to;     /* ISO date, inclusive; NULL = open */
	int limit;          /* 0 = 20 */
	int offset;
} cb_search_query;

#define CB_SEARCH_RANK_WINDOW 1000
#define CB_SEARCH_RANK_WINDOW_STR "1000" /* the same, for SQL text */

/* Snippet highlight markers. */
#define CB_SNIPPET_OPEN "["
#define CB_SNIPPET_CLOSE "]"

/* Matching documents, best first, as a JSON array of {"id", "title",
 * "outlet", "published", "source_name", "score" (bm25: lower is better),
 * "snippet"}; caller owns *out. */
int cb_search(json_t **out, cb_store *st, const cb_search_query *q, cb_error *err);

/* Facets of a search (q->text may be empty: every document), with the
 * same filters: {"outlet": [{"value", "count"}], "year": [...], "type":
 * [...] (events not rejected), "admin1": [...]}, most frequent first; over
 * the CB_SEARCH_RANK_WINDOW newest matches. Caller owns *out. A query that
 * is not valid FTS5 fails with CB_ESTORE (cb_search retries it as plain
 * words; do the same). */
int cb_search_facets(json_t **out, cb_store *st, const cb_search_query *q, cb_error *err);

#endif
