/*
 * facets.c: what a search's matches are made of - how many reports per
 * outlet and per year, and how many of their events (not rejected) per
 * type and per province - so that a person can narrow a search by clicking
 * rather than guessing. See search.h.
 *
 * The counts cover the CB_SEARCH_RANK_WINDOW newest matches, as ranking
 * does: for a query that matches most of a large store they describe its
 * recent part, which is what a person narrowing it looks at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/search.h"
#include "store/store_int.h"
#include "util/buf.h"

/* The ids of the matching documents, newest first, at most the window:
 * for the query's text (or every document when it has none) and its
 * filters, as a JSON array in *ids for the facet queries (json_each). */
static int matching_ids(char **ids, cb_store *st, const cb_search_query *q, const char *fts,
			cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char sql[1024];
	cb_buf b = CB_BUF_INIT;
	int rc, step, n = 0;
	if (fts && !q->outlet && !q->from && !q->to)
		snprintf(sql, sizeof sql, /* the index alone, newest first */
			 "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1"
			 " AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL"
			 " ORDER BY rowid DESC LIMIT " CB_SEARCH_RANK_WINDOW_STR);
	else
	snprintf(sql, sizeof sql,
		 "SELECT d.id FROM documents d WHERE %s"
		 " AND (?2 IS NULL OR d.outlet = ?2 COLLATE NOCASE)"
		 " AND (?3 IS NULL OR d.published >= ?3) AND (?4 IS NULL OR d.published <= ?4 || '~')"
		 " ORDER BY d.id DESC LIMIT " CB_SEARCH_RANK_WINDOW_STR,
		 fts ? "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1)" : "?1 IS NULL");
	if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0)
		return rc;
	cb_sql_bind_text(s, 1, fts);
	cb_sql_bind_text(s, 2, q->outlet);
	cb_sql_bind_text(s, 3, q->from);
	cb_sql_bind_text(s, 4, q->to);
	cb_buf_putc(&b, '[', NULL);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		cb_buf_printf(&b, NULL, "%s%lld", n++ ? "," : "", (long long)sqlite3_column_int64(s, 0));
	cb_buf_putc(&b, ']', NULL);
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "search facets");
	sqlite3_finalize(s);
	if (rc == CB_OK && !b.ptr)
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
	if (rc < 0) {
		cb_buf_free(&b);
		return rc;
	}
	*ids = cb_buf_detach(&b);
	return CB_OK;
}

/* One facet: select reads f(id), the matching ids. */
static int facet(json_t *out, cb_store *st, const char *name, const char *select, const char *ids,
		 cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char sql[1024];
	json_t *arr = json_array();
	int rc, step;
	snprintf(sql, sizeof sql, "WITH f(id) AS (SELECT value FROM json_each(?1)) %s", select);
	if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0) {
		json_decref(arr);
		return rc;
	}
	sqlite3_bind_text(s, 1, ids, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			continue;
		json_array_append_new(arr, json_pack("{s:s,s:I}", "value",
						     (const char *)sqlite3_column_text(s, 0), "count",
						     (json_int_t)sqlite3_column_int64(s, 1)));
	}
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "search facets");
	sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		json_object_set_new(out, name, arr);
	return rc;
}

int cb_search_facets(json_t **out, cb_store *st, const cb_search_query *q, cb_error *err)
{
	json_t *o = json_object();
	const char *fts = q->text && *q->text ? q->text : NULL;
	char *ids = NULL;
	int rc;
	*out = NULL;
	if ((rc = matching_ids(&ids, st, q, fts, err)) < 0) {
		json_decref(o);
		return rc;
	}
	if ((rc = facet(o, st, "outlet",
			"SELECT d.outlet, count(*) FROM f JOIN documents d ON d.id = f.id"
			" GROUP BY d.outlet COLLATE NOCASE ORDER BY 2 DESC, 1 LIMIT 30",
			ids, err)) < 0 ||
	    (rc = facet(o, st, "year",
			"SELECT substr(d.published, 1, 4), count(*) FROM f JOIN documents d ON d.id = f.id"
			" GROUP BY 1 ORDER BY 1 DESC LIMIT 50",
			ids, err)) < 0 ||
	    (rc = facet(o, st, "type",
			"SELECT e.type, count(*) FROM f JOIN events e ON e.doc_id = f.id"
			" WHERE e.status <> 'rejected' GROUP BY e.type ORDER BY 2 DESC, 1",
			ids, err)) < 0 ||
	    (rc = facet(o, st, "admin1",
			"SELECT e.admin1, count(*) FROM f JOIN events e ON e.doc_id = f.id"
			" WHERE e.status <> 'rejected' GROUP BY e.admin1 COLLATE NOCASE"
			" ORDER BY 2 DESC, 1 LIMIT 40",
			ids, err)) < 0) {
		free(ids);
		json_decref(o);
		return rc;
	}
	free(ids);
	*out = o;
	return CB_OK;
}
