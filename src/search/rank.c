/*
 * rank.c: casebook's ranking function for full-text search, "cbrank".
 *
 * FTS5's bm25() weighs each query term by its inverse document frequency,
 * which it learns by walking the term's whole doclist once per query: for
 * a common word or a prefix such as "arrest*" in a store of 100,000
 * reports, that walk costs more than everything else the search does.
 * cbrank keeps bm25's per-document part - term frequency saturated by k1
 * and normalised by the column's length against its average (b), titles
 * weighted above body text - and drops the collection-wide IDF. Every
 * value it reads is the current row's or a stored total, so a search costs
 * in proportion to the rows it ranks, not to the size of the store.
 *
 * What is lost: in an OR query a rare word no longer outweighs a common
 * one. Searches here are mostly conjunctions (every word must match),
 * where IDF only reorders rows that all match every term anyway, and the
 * rank window (search.h) already favours recent reports.
 *
 *   ... WHERE documents_fts MATCH ?1 AND rank MATCH 'cbrank(5.0, 1.0)'
 *   ORDER BY rank
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "search/search_int.h"

#define K1 1.2
#define B 0.75
#define MAX_COLS 8
/* Phrases scored: a prefix word becomes up to 48 words (prefix.c), and
 * each must count. */
#define MAX_PHRASES 64

static void cbrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		   int nval, sqlite3_value **vals)
{
	int ncol = api->xColumnCount(fts), ninst = 0;
	double w[MAX_COLS], avg[MAX_COLS], len[MAX_COLS], tf[MAX_COLS][MAX_PHRASES];
	int nphrase = api->xPhraseCount(fts);
	sqlite3_int64 rows = 0;
	double score = 0;

	if (ncol > MAX_COLS)
		ncol = MAX_COLS;
	if (nphrase > MAX_PHRASES)
		nphrase = MAX_PHRASES;
	if (api->xRowCount(fts, &rows) != SQLITE_OK || rows < 1)
		rows = 1;
	for (int c = 0; c < ncol; c++) {
		sqlite3_int64 total = 0;
		int n = 0;
		w[c] = c < nval ? sqlite3_value_double(vals[c]) : 1.0;
		api->xColumnTotalSize(fts, c, &total);
		avg[c] = (double)total / (double)rows;
		if (avg[c] <= 0)
			avg[c] = 1;
		api->xColumnSize(fts, c, &n);
		len[c] = n;
	}
	for (int c = 0; c < ncol; c++)
		memset(tf[c], 0, (size_t)nphrase * sizeof tf[c][0]);
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "cbrank: cannot read the matches", -1);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int p, c, off;
		if (api->xInst(fts, i, &p, &c, &off) == SQLITE_OK && p < nphrase && c < ncol)
			tf[c][p] += 1;
	}
	for (int c = 0; c < ncol; c++)
		for (int p = 0; p < nphrase; p++) {
			double f = tf[c][p];
			if (f > 0)
				score += w[c] * f * (K1 + 1) / (f + K1 * (1 - B + B * len[c] / avg[c]));
		}
	/* lower is better, as with bm25(), so that ORDER BY rank works alike */
	sqlite3_result_double(ctx, -score);
}

int cb_search_register_rank(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "cbrank", NULL, cbrank, NULL);
}
