/*
 * documents.c: documents in the store - insertion with the near-duplicate
 * band index, lookup by hash or by what a user typed, and reading back as
 * JSON.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/neardup.h"
#include "store/store_int.h"

int cb_store_find_document(cb_store *st, int64_t *id, const char *hash_hex, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	*id = 0;
	if ((rc = cb_sql_cached(st, &s, "SELECT id FROM documents WHERE hash = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, hash_hex, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (step == SQLITE_DONE)
		rc = CB_ENOTFOUND; /* an answer, not an error: no message */
	else
		rc = cb_sql_fail(st, err, "looking up a document");
	cb_sql_done(s);
	return rc;
}

/* Band keys carry their band number, so equal rows in different bands do
 * not collide. */
static uint64_t band_key(const uint64_t *bands, int i)
{
	return bands[i] ^ ((uint64_t)i * 0x9E3779B97F4A7C15ull);
}

/* The band keys of documents added in the open transaction: the index
 * gets them in one go at commit, in key order (the keys are random, so
 * inserted as they come every batch would walk the whole index), and until
 * then lookups search them here. */
struct cb_bands_pending {
	size_t n, cap;
	struct pending_doc {
		int64_t id;
		uint64_t keys[CB_MINHASH_BANDS];
	} *docs;
};

void cb_bands_discard(cb_store *st)
{
	if (st->bands) {
		free(st->bands->docs);
		free(st->bands);
		st->bands = NULL;
	}
}

typedef struct band_row {
	int64_t key, doc;
} band_row;

static int cmp_band_row(const void *a, const void *b)
{
	const band_row *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->doc > y->doc) - (x->doc < y->doc);
}

int cb_bands_flush(cb_store *st, cb_error *err)
{
	sqlite3_stmt *s;
	band_row *rows;
	size_t n;
	int rc = CB_OK;

	if (!st->bands || st->bands->n == 0)
		return CB_OK;
	n = st->bands->n * CB_MINHASH_BANDS;
	if (!(rows = malloc(n * sizeof *rows)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->bands->n; i++)
		for (int b = 0; b < CB_MINHASH_BANDS; b++) {
			rows[i * CB_MINHASH_BANDS + b].key = (int64_t)st->bands->docs[i].keys[b];
			rows[i * CB_MINHASH_BANDS + b].doc = st->bands->docs[i].id;
		}
	qsort(rows, n, sizeof *rows, cmp_band_row);
	if ((rc = cb_sql_cached(st, &s, "INSERT OR IGNORE INTO document_bands(key, doc_id) VALUES (?1, ?2)",
				err)) < 0) {
		free(rows);
		return rc;
	}
	for (size_t i = 0; i < n && rc == CB_OK; i++) {
		sqlite3_bind_int64(s, 1, rows[i].key);
		sqlite3_bind_int64(s, 2, rows[i].doc);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = cb_sql_fail(st, err, "indexing documents for near-duplicates");
		sqlite3_reset(s);
	}
	cb_sql_done(s);
	free(rows);
	if (rc == CB_OK)
		st->bands->n = 0;
	return rc;
}

static int bands_add(cb_store *st, int64_t id, const uint64_t *bands, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	if (!p && !(p = st->bands = calloc(1, sizeof *p)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct pending_doc *d = realloc(p->docs, cap * sizeof *d);
		if (!d)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		p->docs = d;
		p->cap = cap;
	}
	p->docs[p->n].id = id;
	for (int b = 0; b < CB_MINHASH_BANDS; b++)
		p->docs[p->n].keys[b] = band_key(bands, b);
	p->n++;
	return CB_OK;
}

static void add_candidate(int64_t *cand, int *ncand, int max, int64_t c)
{
	for (int k = 0; k < *ncand; k++)
		if (cand[k] == c)
			return;
	if (*ncand < max)
		cand[(*ncand)++] = c;
}

int cb_store_find_near_duplicate(cb_store *st, int64_t *id, double *sim, const cb_doc_new *d,
				 double threshold, cb_error *err)
{
	sqlite3_stmt *s;
	cb_minhash mine;
	uint64_t keys[CB_MINHASH_BANDS];
	int64_t cand[64];
	int ncand = 0, rc, step;
	const int max = (int)(sizeof cand / sizeof cand[0]);

	*id = 0;
	*sim = 0;
	if (!d->minhash || !d->minhash_bands)
		return CB_OK;
	memcpy(mine.v, d->minhash, sizeof mine.v);
	for (int b = 0; b < CB_MINHASH_BANDS; b++)
		keys[b] = band_key(d->minhash_bands, b);
	/* Candidates among this transaction's documents... */
	if (st->bands)
		for (size_t i = 0; i < st->bands->n; i++)
			for (int b = 0; b < CB_MINHASH_BANDS; b++)
				if (st->bands->docs[i].keys[b] == keys[b]) {
					add_candidate(cand, &ncand, max, st->bands->docs[i].id);
					break;
				}
	/* ... and among the stored ones: any shared band key. */
	if ((rc = cb_sql_cached(st, &s, "SELECT doc_id FROM document_bands WHERE key = ?1 LIMIT 16", err)) < 0)
		return rc;
	for (int b = 0; b < CB_MINHASH_BANDS; b++) {
		sqlite3_bind_int64(s, 1, (int64_t)keys[b]);
		while ((step = sqlite3_step(s)) == SQLITE_ROW)
			add_candidate(cand, &ncand, max, sqlite3_column_int64(s, 0));
		sqlite3_reset(s);
		if (step != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "looking for near-duplicates");
			cb_sql_done(s);
			return rc;
		}
	}
	cb_sql_done(s);
	if (ncand == 0)
		return CB_OK;
	if ((rc = cb_sql_cached(st, &s, "SELECT minhash FROM documents WHERE id = ?1", err)) < 0)
		return rc;
	for (int k = 0; k < ncand; k++) {
		cb_minhash other;
		double j;
		sqlite3_bind_int64(s, 1, cand[k]);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == (int)sizeof other.v) {
			memcpy(other.v, sqlite3_column_blob(s, 0), sizeof other.v);
			j = cb_minhash_similarity(&mine, &other);
			/* The earliest similar document is the original others copy. */
			if (j >= threshold && (*id == 0 || cand[k] < *id)) {
				*id = cand[k];
				*sim = j;
			}
		}
		sqlite3_reset(s);
	}
	cb_sql_done(s);
	return CB_OK;
}

int cb_store_add_document(cb_store *st, int64_t *id, const cb_doc_new *d, int64_t near_dup_of,
			  double similarity, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char now[32];
	int rc;

	*id = 0;
	cb_now_iso(now);
	if ((rc = cb_sql_cached(st, &s,
				 "INSERT INTO documents(hash, source_name, format, url, outlet, title,"
				 " published, language, authors, translators, boilerplate, text,"
				 " near_duplicate_of, similarity, minhash, ingested_at, ingested_by)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, '[]'),"
				 " coalesce(?10, '[]'), coalesce(?11, '[]'), ?12, ?13, ?14, ?15, ?16, ?17)",
				 err)) < 0)
		return rc;
	cb_sql_bind_text(s, 1, d->hash_hex);
	cb_sql_bind_text(s, 2, d->source_name);
	cb_sql_bind_text(s, 3, d->format);
	cb_sql_bind_text(s, 4, d->url);
	cb_sql_bind_text(s, 5, d->outlet);
	cb_sql_bind_text(s, 6, d->title);
	cb_sql_bind_text(s, 7, d->published);
	cb_sql_bind_text(s, 8, d->language);
	cb_sql_bind_json(s, 9, d->authors);
	cb_sql_bind_json(s, 10, d->translators);
	cb_sql_bind_json(s, 11, d->boilerplate);
	sqlite3_bind_text(s, 12, d->text, (int)d->text_len, SQLITE_STATIC);
	if (near_dup_of > 0) {
		sqlite3_bind_int64(s, 13, near_dup_of);
		sqlite3_bind_double(s, 14, similarity);
	}
	if (d->minhash)
		sqlite3_bind_blob(s, 15, d->minhash, CB_MINHASH_K * (int)sizeof(uint32_t), SQLITE_STATIC);
	sqlite3_bind_text(s, 16, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 17, st->user, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "storing the document");
		goto done;
	}
	*id = sqlite3_last_insert_rowid(st->db);
	st->unindexed = 1;
	cb_sql_done(s);
	s = NULL;
	if (d->minhash_bands)
		rc = bands_add(st, *id, d->minhash_bands, err);
done:
	cb_sql_done(s);
	return rc;
}

int cb_store_get_original(cb_store *st, char **out, size_t *len, int64_t id, cb_error *err)
{
	sqlite3_stmt *s;
	char hash[65] = "";
	unsigned char sum[32];
	char *text = NULL;
	size_t n = 0;
	int rc, step;

	*out = NULL;
	*len = 0;
	if ((rc = cb_sql_prepare(st, &s, "SELECT hash, text FROM documents WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW && sqlite3_column_text(s, 0)) {
		snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(s, 0));
		n = (size_t)sqlite3_column_bytes(s, 1);
		if ((text = malloc(n + 1))) {
			memcpy(text, sqlite3_column_blob(s, 1), n);
			text[n] = '\0';
		}
	}
	sqlite3_finalize(s);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? cb_fail(err, CB_ENOTFOUND, "no document %lld in %s", (long long)id, st->dir)
					   : cb_sql_fail(st, err, "reading a document");
	if (!text)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	rc = cb_store_get_blob(st, out, len, hash, err);
	if (rc != CB_ENOTFOUND) {
		free(text);
		return rc;
	}
	cb_error_clear(err);
	crypto_generichash(sum, sizeof sum, (const unsigned char *)text, n, NULL, 0);
	for (int i = 0; i < 32; i++) {
		static const char hex[] = "0123456789abcdef";
		if (hash[2 * i] != hex[sum[i] >> 4] || hash[2 * i + 1] != hex[sum[i] & 15]) {
			free(text);
			return cb_fail(err, CB_EINTEGRITY,
				       "%s: document %lld: its original is missing and its text does not match its hash",
				       st->dir, (long long)id);
		}
	}
	*out = text;
	*len = n;
	return CB_OK;
}

int cb_store_resolve_document(cb_store *st, int64_t *id, const char *ref, cb_error *err)
{
	sqlite3_stmt *s;
	size_t n = strlen(ref);
	int rc = CB_OK, step, matches = 0;

	*id = 0;
	if (n > 0 && n <= 18 && strspn(ref, "0123456789") == n) {
		if ((rc = cb_sql_prepare(st, &s, "SELECT id FROM documents WHERE id = ?1", err)) < 0)
			return rc;
		sqlite3_bind_int64(s, 1, strtoll(ref, NULL, 10));
	} else if (n >= 6 && n <= 64 && strspn(ref, "0123456789abcdef") == n) {
		if ((rc = cb_sql_prepare(st, &s,
					 "SELECT id FROM documents WHERE hash >= ?1 AND hash < ?1 || 'g' LIMIT 2",
					 err)) < 0)
			return rc;
		sqlite3_bind_text(s, 1, ref, -1, SQLITE_TRANSIENT);
	} else {
		return cb_fail(err, CB_EINVAL,
			       "'%.80s' is not a document id (a number, or 6+ hex digits of its hash)", ref);
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		matches++;
	}
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "looking up a document");
	else if (matches == 0)
		rc = cb_fail(err, CB_ENOTFOUND, "no document '%.80s' in %s", ref, st->dir);
	else if (matches > 1)
		rc = cb_fail(err, CB_EINVAL, "'%.80s' matches several documents; give more digits", ref);
	sqlite3_finalize(s);
	return rc;
}

#define DOC_COLUMNS                                                                  \
	"d.id, d.hash, d.source_name, d.format, d.url, d.outlet, d.title, d.published, " \
	"d.language, d.authors, d.translators, d.boilerplate, d.near_duplicate_of, "     \
	"d.similarity, d.ingested_at, d.ingested_by, "                                  \
	"(SELECT count(*) FROM events e WHERE e.doc_id = d.id), d.text"
#define DOC_COLUMNS_NOTEXT                                                           \
	"d.id, d.hash, d.source_name, d.format, d.url, d.outlet, d.title, d.published, " \
	"d.language, d.authors, d.translators, d.boilerplate, d.near_duplicate_of, "     \
	"d.similarity, d.ingested_at, d.ingested_by, "                                  \
	"(SELECT count(*) FROM events e WHERE e.doc_id = d.id), NULL"

static json_t *doc_row(sqlite3_stmt *s, int with_text)
{
	json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			      " s:o, s:o, s:o, s:I}",
			      "id", (json_int_t)sqlite3_column_int64(s, 0),
			      "hash", cb_sql_column_json_string(s, 1),
			      "source_name", cb_sql_column_json_string(s, 2),
			      "format", cb_sql_column_json_string(s, 3),
			      "url", cb_sql_column_json_string(s, 4),
			      "outlet", cb_sql_column_json_string(s, 5),
			      "title", cb_sql_column_json_string(s, 6),
			      "published", cb_sql_column_json_string(s, 7),
			      "language", cb_sql_column_json_string(s, 8),
			      "authors", cb_sql_column_json(s, 9),
			      "translators", cb_sql_column_json(s, 10),
			      "boilerplate", cb_sql_column_json(s, 11),
			      "near_duplicate_of", cb_sql_column_json_int(s, 12),
			      "similarity", cb_sql_column_json_real(s, 13),
			      "ingested_at", cb_sql_column_json_string(s, 14),
			      "ingested_by", cb_sql_column_json_string(s, 15),
			      "events", (json_int_t)sqlite3_column_int64(s, 16));
	if (o && with_text)
		json_object_set_new(o, "text", cb_sql_column_json_string(s, 17));
	return o;
}

int cb_store_get_document(cb_store *st, json_t **out, int64_t id, int with_text, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	*out = NULL;
	if ((rc = cb_sql_prepare(st, &s, "SELECT " DOC_COLUMNS " FROM documents d WHERE d.id = ?1",
				 err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		if (!(*out = doc_row(s, with_text)))
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
	} else if (step == SQLITE_DONE) {
		rc = cb_fail(err, CB_ENOTFOUND, "no document %lld in %s", (long long)id, st->dir);
	} else {
		rc = cb_sql_fail(st, err, "reading a document");
	}
	sqlite3_finalize(s);
	return rc;
}

int cb_store_each_document(cb_store *st, int with_text, int (*fn)(void *ctx, json_t *doc),
			   void *ctx, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	/* Without text, the text column is read as NULL rather than loaded. */
	if ((rc = cb_sql_prepare(st, &s,
				 with_text ? "SELECT " DOC_COLUMNS " FROM documents d ORDER BY d.id"
					   : "SELECT " DOC_COLUMNS_NOTEXT " FROM documents d ORDER BY d.id",
				 err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *doc = doc_row(s, with_text);
		if (!doc) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			break;
		}
		rc = fn(ctx, doc);
		json_decref(doc);
		if (rc)
			break;
	}
	if (rc == CB_OK && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading documents");
	sqlite3_finalize(s);
	return rc;
}

static int append_doc(void *ctx, json_t *doc)
{
	return json_array_append(ctx, doc) ? CB_ENOMEM : CB_OK;
}

int cb_store_list_documents(cb_store *st, json_t **out, cb_error *err)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = cb_store_each_document(st, 0, append_doc, arr, err)) < 0) {
		if (rc == CB_ENOMEM)
			cb_fail(err, rc, "out of memory");
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return CB_OK;
}
