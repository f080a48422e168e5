/* search.c: see search.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "search/search.h"
#include "search/search_int.h"
#include "store/store_int.h"
#include "util/buf.h"

/* Turns free text into an FTS5 query of quoted words: every run of
 * letters/digits (and any non-ASCII byte) becomes "word". */
static char *as_plain_words(const char *q)
{
	cb_buf b = CB_BUF_INIT;
	const unsigned char *p = (const unsigned char *)q;

	while (*p) {
		if (isalnum(*p) || *p >= 0x80) {
			cb_buf_putc(&b, '"', NULL);
			while (*p && (isalnum(*p) || *p >= 0x80 || *p == '*'))
				if (*p != '*')
					cb_buf_putc(&b, (char)*p++, NULL);
				else
					p++;
			cb_buf_puts(&b, "\" ", NULL);
		} else {
			p++;
		}
	}
	return cb_buf_detach(&b);
}

/* The lowest document id a query is ranked over: 0 when it matches at
 * most CB_SEARCH_RANK_WINDOW reports, else the id of the
 * CB_SEARCH_RANK_WINDOW-th newest match. bm25 has to score every row it
 * ranks, so a word found in half of a large collection would cost tens of
 * milliseconds; walking the index backwards to the cut costs little. */
static int rank_floor(cb_store *st, int64_t *floor, const char *fts, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	*floor = 0;
	if ((rc = cb_sql_cached(st, &s,
				"SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1"
				" ORDER BY rowid DESC LIMIT 1 OFFSET ?2", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, CB_SEARCH_RANK_WINDOW - 1);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*floor = sqlite3_column_int64(s, 0);
	else if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "search");
	cb_sql_done(s);
	return rc;
}

static int run(json_t **out, cb_store *st, const cb_search_query *q, const char *fts, cb_error *err)
{
	sqlite3_stmt *s;
	json_t *arr = json_array();
	int64_t floor = 0;
	int rc, step;

	*out = NULL;
	if (!st->rank_ready) {
		if (cb_search_register_rank(st->db) != SQLITE_OK) {
			json_decref(arr);
			return cb_fail(err, CB_ESTORE, "search: cannot register the ranking function");
		}
		st->rank_ready = 1;
	}
	if ((rc = rank_floor(st, &floor, fts, err)) < 0) {
		json_decref(arr);
		return rc;
	}
	/* ORDER BY rank (cbrank with titles weighted 5:1; rank.c) lets
	 * FTS5 rank on its index and hand back rows in order, so the snippet -
	 * which reads a document's whole position lists - is built only for
	 * the rows shown. The document's own columns are read for those rows,
	 * and for the filters when there are any. */
	if ((rc = cb_sql_cached(st, &s,
				"SELECT d.id, d.title, d.outlet, d.published, d.source_name, h.score, h.snip FROM"
				" (SELECT rowid AS id, rank AS score,"
				"  snippet(documents_fts, 1, '" CB_SNIPPET_OPEN "', '" CB_SNIPPET_CLOSE "', '…', 16) AS snip"
				"  FROM documents_fts WHERE documents_fts MATCH ?1 AND rank MATCH 'cbrank(5.0, 1.0)'"
				"  AND rowid >= ?7"
				"  AND (?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL OR rowid IN"
				"   (SELECT id FROM documents WHERE (?2 IS NULL OR outlet = ?2 COLLATE NOCASE)"
				"    AND (?3 IS NULL OR published >= ?3) AND (?4 IS NULL OR published <= ?4 || '~')))"
				"  ORDER BY rank LIMIT ?5 OFFSET ?6) h"
				" JOIN documents d ON d.id = h.id ORDER BY h.score", err)) < 0) {
		json_decref(arr);
		return rc;
	}
	sqlite3_bind_text(s, 1, fts, -1, SQLITE_TRANSIENT);
	cb_sql_bind_text(s, 2, q->outlet);
	cb_sql_bind_text(s, 3, q->from);
	cb_sql_bind_text(s, 4, q->to);
	sqlite3_bind_int(s, 5, q->limit > 0 ? q->limit : 20);
	sqlite3_bind_int(s, 6, q->offset > 0 ? q->offset : 0);
	sqlite3_bind_int64(s, 7, floor);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:o, s:o, s:f, s:o}",
				"id", (json_int_t)sqlite3_column_int64(s, 0),
				"title", cb_sql_column_json_string(s, 1),
				"outlet", cb_sql_column_json_string(s, 2),
				"published", cb_sql_column_json_string(s, 3),
				"source_name", cb_sql_column_json_string(s, 4),
				"score", sqlite3_column_double(s, 5),
				"snippet", cb_sql_column_json_string(s, 6)));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "search");
	cb_sql_done(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int cb_search(json_t **out, cb_store *st, const cb_search_query *q, cb_error *err)
{
	char *plain;
	int rc;

	*out = NULL;
	if (!q->text || !*q->text)
		return cb_fail(err, CB_EINVAL, "empty search query");
	{
		char *expanded = cb_search_expand_prefixes(st, q->text);
		if (expanded) {
			rc = run(out, st, q, expanded, err);
			free(expanded);
			if (rc != CB_ESTORE)
				return rc;
			cb_error_clear(err);
		}
	}
	rc = run(out, st, q, q->text, err);
	if (rc != CB_ESTORE)
		return rc;
	/* Not valid FTS5 syntax: search the words as typed. */
	if (!(plain = as_plain_words(q->text)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (!*plain) {
		free(plain);
		return cb_fail(err, CB_EINVAL, "search query '%.80s' has no words", q->text);
	}
	cb_error_clear(err);
	rc = run(out, st, q, plain, err);
	free(plain);
	return rc;
}
