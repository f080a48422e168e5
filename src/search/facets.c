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
#include <string.h>

#include "search/search.h"
#include "store/store_int.h"

/* The matching documents as a temporary set of ids: for the query's text
 * (or every document when it has none) and its filters. */
static const char *const MATCH_SQL =
	"WITH m(id) AS ("
	"  SELECT rowid FROM documents_fts WHERE ?1 IS NOT NULL AND documents_fts MATCH ?1"
	"  UNION ALL SELECT id FROM documents WHERE ?1 IS NULL"
	"  ORDER BY 1 DESC LIMIT " CB_SEARCH_RANK_WINDOW_STR "),"
	" f(id) AS (SELECT d.id FROM m JOIN documents d ON d.id = m.id"
	"  WHERE (?2 IS NULL OR d.outlet = ?2 COLLATE NOCASE)"
	"  AND (?3 IS NULL OR d.published >= ?3) AND (?4 IS NULL OR d.published <= ?4 || '~'))";

static int facet(json_t *out, cb_store *st, const char *name, const char *select,
		 const cb_search_query *q, const char *fts, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char sql[2048];
	json_t *arr = json_array();
	int rc, step;
	snprintf(sql, sizeof sql, "%s %s", MATCH_SQL, select);
	if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0) {
		json_decref(arr);
		return rc;
	}
	cb_sql_bind_text(s, 1, fts);
	cb_sql_bind_text(s, 2, q->outlet);
	cb_sql_bind_text(s, 3, q->from);
	cb_sql_bind_text(s, 4, q->to);
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
	int rc;
	*out = NULL;
	if ((rc = facet(o, st, "outlet",
			"SELECT d.outlet, count(*) FROM f JOIN documents d ON d.id = f.id"
			" GROUP BY d.outlet COLLATE NOCASE ORDER BY 2 DESC, 1 LIMIT 30",
			q, fts, err)) < 0 ||
	    (rc = facet(o, st, "year",
			"SELECT substr(d.published, 1, 4), count(*) FROM f JOIN documents d ON d.id = f.id"
			" GROUP BY 1 ORDER BY 1 DESC LIMIT 50",
			q, fts, err)) < 0 ||
	    (rc = facet(o, st, "type",
			"SELECT e.type, count(*) FROM f JOIN events e ON e.doc_id = f.id"
			" WHERE e.status <> 'rejected' GROUP BY e.type ORDER BY 2 DESC, 1",
			q, fts, err)) < 0 ||
	    (rc = facet(o, st, "admin1",
			"SELECT e.admin1, count(*) FROM f JOIN events e ON e.doc_id = f.id"
			" WHERE e.status <> 'rejected' GROUP BY e.admin1 COLLATE NOCASE"
			" ORDER BY 2 DESC, 1 LIMIT 40",
			q, fts, err)) < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return CB_OK;
}
