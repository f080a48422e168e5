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

/*
 * The band index is a log-structured merge of sorted runs.
 *
 * Band keys are random. In one B-tree keyed by them every probe and every
 * insert lands on a random leaf: at 100k documents (3.2M keys) the table
 * outgrew the page cache, each of a document's 32 probes read a leaf and
 * each commit's keys rewrote nearly every leaf - 132 page reads and 56
 * writes per document, each page decrypted or sealed (sealvfs.c).
 *
 * So the keys live in immutable runs, each sorted by key, clustered by run
 * in document_band_chunks(run, first_key, data) (schema.c): a run's rows
 * (key, doc) are packed in order into chunks of about CHUNK_ROWS, one row
 * of the table each, so that writing, merging or deleting a run costs a
 * B-tree operation per chunk rather than per key (32 per document):
 *  - the keys of the open transaction wait in memory, where lookups find
 *    them through a small hash table;
 *  - at commit they become a new run with a higher number than any other,
 *    so writing it appends pages at the end of the table and rewrites none;
 *  - runs merge size-tiered: a run of d documents is at level log4(d), and
 *    RUN_FANOUT runs of one level merge (k-way, a chunk of each at a
 *    time: constant memory) into one of the next. A key is rewritten once per level (4
 *    times by 100k documents ingested in batches of 1024, 5 by 1M) and a
 *    level holds at most 3 runs;
 *  - each run has a Bloom filter over its keys (document_band_runs),
 *    loaded once per connection. A probe reads a run only when the filter
 *    lets the key through; almost every key is in no run, so a document
 *    costs about 32 x runs x 1% page reads instead of 32.
 * Recall is that of the bands (neardup.h): a filter has no false negatives
 * and every run is searched. Memory: the pending keys (at most
 * PENDING_MAX_DOCS documents; a longer transaction writes a run early),
 * a merge's chunk buffers, and the filters - 1.25 bytes a key, 40 a stored
 * document - up to FILTER_MEMORY_MAX; runs past it are probed without one.
 * Band rows of a deleted document stay (no trigger: a lookup by doc_id
 * would scan the table); they only add a candidate whose signature the
 * lookup reads and rejects.
 */
#define RUN_FANOUT 4
#define PENDING_MAX_DOCS 4096
/* Rows per chunk, 16 bytes each (row_put): 3,840 bytes, which a 16 KiB
 * page of a WITHOUT ROWID table holds in the cell itself, no overflow
 * page. A chunk ends only where the key changes, so the one chunk that can
 * hold a key is the last starting at or before it; a key that many
 * documents share makes one longer chunk. */
#define CHUNK_ROWS 240
#define ROW_BYTES 16
/* Upkeep (merging, deleting merged-away rows) per commit: this many rows
 * of work per row added, plus a floor for small commits. */
#define UPKEEP_PER_ROW 12
#define UPKEEP_MIN 4096
/* 10 bits a key, 7 of them set in one 512-bit block (a cache line per
 * probe): about 1% false positives. */
#define FILTER_BITS_PER_KEY 10
#define FILTER_HASHES 7
#define FILTER_MEMORY_MAX ((size_t)48 << 20)
/* Documents taken per key, over all runs: a story syndicated a thousand
 * times must not make each new copy verify a thousand signatures. */
#define PROBE_LIMIT 16
#define SIG_CACHE 4096

typedef struct band_row {
	int64_t key, doc;
} band_row;

enum { RUN_LIVE, RUN_BUILDING, RUN_DEAD }; /* document_band_runs.state */

struct band_run {
	int64_t id, rows;
	int state;    /* only live runs are searched */
	int64_t into; /* a live run being merged: the run it goes into, or 0 */
	unsigned char *filter; /* NULL: not held (memory cap), always probed */
	size_t filter_len;
};

struct cb_bands_pending {
	band_row *rows; /* this transaction's keys, in arrival order until flushed */
	size_t n, cap;
	uint32_t *slots; /* open addressing over rows: index + 1, 0 = empty */
	size_t nslots;   /* a power of two, at least twice n */
	struct band_run *runs; /* the stored runs in id order, once loaded */
	int nruns, capruns, loaded;
	int64_t next_id;      /* above every run number in the table */
	int64_t data_version; /* PRAGMA data_version when the runs were loaded */
	size_t filter_bytes;
	/* Signatures of recent candidates, by id mod SIG_CACHE: the same
	 * documents come back as candidates again and again (their bands
	 * hold phrases many reports share), and reading one from its row
	 * walks the text's overflow pages. */
	struct sig_entry {
		int64_t id;
		uint32_t v[CB_MINHASH_K];
	} *sigs;
};

/* The chunk of run ?1 that holds key ?2, if the run has it. */
static const char SQL_CHUNK_AT[] = "SELECT first_key, data FROM document_band_chunks"
				   " WHERE run = ?1 AND first_key <= ?2 ORDER BY first_key DESC LIMIT 1";
/* The chunk after the one that starts at ?2. */
static const char SQL_CHUNK_NEXT[] = "SELECT first_key, data FROM document_band_chunks"
				     " WHERE run = ?1 AND first_key > ?2 ORDER BY first_key LIMIT 1";
static const char SQL_CHUNK_INSERT[] = "INSERT INTO document_band_chunks(run, first_key, data) VALUES (?1, ?2, ?3)";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

static int cmp_band_row(const void *a, const void *b)
{
	const band_row *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->doc > y->doc) - (x->doc < y->doc);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static size_t filter_len_for(int64_t keys)
{
	uint64_t blocks = ((uint64_t)(keys > 0 ? keys : 0) * FILTER_BITS_PER_KEY + 511) / 512;
	return (size_t)(blocks ? blocks : 1) * 64;
}

/* The filter block of key and, in *g, the bits to test in it. */
static unsigned char *filter_block(const unsigned char *f, size_t len, int64_t key, uint64_t *g)
{
	uint64_t h = mix64((uint64_t)key), nblocks = len / 64;
	*g = mix64(h ^ 0x9E3779B97F4A7C15ull);
	return (unsigned char *)f + (((h >> 32) * nblocks) >> 32) * 64;
}

static void filter_add(unsigned char *f, size_t len, int64_t key)
{
	uint64_t g;
	unsigned char *b = filter_block(f, len, key, &g);
	for (int i = 0; i < FILTER_HASHES; i++, g >>= 9)
		b[(g & 511) >> 3] |= (unsigned char)(1u << (g & 7));
}

static int filter_maybe(const unsigned char *f, size_t len, int64_t key)
{
	uint64_t g;
	const unsigned char *b = filter_block(f, len, key, &g);
	for (int i = 0; i < FILTER_HASHES; i++, g >>= 9)
		if (!(b[(g & 511) >> 3] & (1u << (g & 7))))
			return 0;
	return 1;
}

static void runs_free(struct cb_bands_pending *p)
{
	free(p->sigs);
	p->sigs = NULL;
	for (int i = 0; i < p->nruns; i++)
		free(p->runs[i].filter);
	free(p->runs);
	p->runs = NULL;
	p->nruns = p->capruns = p->loaded = 0;
	p->filter_bytes = 0;
}

void cb_bands_discard(cb_store *st)
{
	if (st->bands) {
		runs_free(st->bands);
		free(st->bands->rows);
		free(st->bands->slots);
		free(st->bands);
		st->bands = NULL;
	}
}

static int bands_state(cb_store *st, struct cb_bands_pending **out, cb_error *err)
{
	if (!st->bands && !(st->bands = calloc(1, sizeof *st->bands)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	*out = st->bands;
	return CB_OK;
}

/* Adds a run to the list; its filter (malloc'd or NULL) is kept only
 * within the memory cap. */
static int runs_push(struct cb_bands_pending *p, int64_t id, int64_t rows, int state, unsigned char *filter,
		     size_t len, cb_error *err)
{
	if (p->nruns == p->capruns) {
		int cap = p->capruns ? p->capruns * 2 : 16;
		struct band_run *r = realloc(p->runs, (size_t)cap * sizeof *r);
		if (!r) {
			free(filter);
			return cb_fail(err, CB_ENOMEM, "out of memory");
		}
		p->runs = r;
		p->capruns = cap;
	}
	if (filter && p->filter_bytes + len > FILTER_MEMORY_MAX) {
		free(filter);
		filter = NULL;
	}
	p->runs[p->nruns++] = (struct band_run){.id = id, .rows = rows, .state = state, .filter = filter,
						 .filter_len = filter ? len : 0};
	if (filter)
		p->filter_bytes += len;
	if (id >= p->next_id)
		p->next_id = id + 1;
	return CB_OK;
}

static int read_int(cb_store *st, int64_t *out, const char *sql, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;
	if ((rc = cb_sql_cached(st, &s, sql, err)) < 0)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = cb_sql_fail(st, err, "reading the near-duplicate index");
	cb_sql_done(s);
	return rc;
}

/* Reads the list of runs and their filters, unless the copy in memory is
 * current (another connection's commit changes data_version; this one's
 * keep the list up to date themselves, and a rollback drops it). */
static int runs_load(cb_store *st, cb_error *err)
{
	struct cb_bands_pending *p = NULL;
	sqlite3_stmt *s = NULL;
	sqlite3_blob *blob = NULL;
	int64_t version = 0, top = 0;
	int rc, step;

	if ((rc = bands_state(st, &p, err)) < 0 || (rc = read_int(st, &version, SQL_DATA_VERSION, err)) < 0)
		return rc;
	if (p->loaded && version == p->data_version)
		return CB_OK;
	runs_free(p);
	if ((rc = read_int(st, &top, "SELECT coalesce(max(run), 0) FROM document_band_chunks", err)) < 0)
		return rc;
	p->next_id = top + 1;
	if ((rc = cb_sql_prepare(st, &s, "SELECT run, rows, state, coalesce(merging_into, 0), length(filter)"
				 " FROM document_band_runs ORDER BY run",
				 err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0), rows = sqlite3_column_int64(s, 1);
		int state = sqlite3_column_int(s, 2), len = sqlite3_column_int(s, 4);
		unsigned char *filter = NULL;

		/* A filter of the wrong shape is ignored: the run is probed. */
		if (state == RUN_LIVE && len > 0 && len % 64 == 0 && p->filter_bytes + (size_t)len <= FILTER_MEMORY_MAX) {
			if (!(filter = malloc((size_t)len))) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			if (sqlite3_blob_open(st->db, "main", "document_band_runs", "filter", id, 0, &blob) != SQLITE_OK ||
			    sqlite3_blob_read(blob, filter, len, 0) != SQLITE_OK) {
				free(filter);
				rc = cb_sql_fail(st, err, "reading the near-duplicate index");
				goto done;
			}
			sqlite3_blob_close(blob);
			blob = NULL;
		}
		if ((rc = runs_push(p, id, rows, state, filter, (size_t)len, err)) < 0)
			goto done;
		p->runs[p->nruns - 1].into = sqlite3_column_int64(s, 3);
	}
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "reading the near-duplicate index");
		goto done;
	}
	p->loaded = 1;
	p->data_version = version;
done:
	if (blob)
		sqlite3_blob_close(blob);
	sqlite3_finalize(s);
	if (rc < 0)
		runs_free(p);
	return rc;
}

/* Chunks (schema.c, migration 3) hold rows in (key, doc) order, each two
 * 64-bit little-endian integers. */
static void row_put(unsigned char *b, const band_row *r)
{
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)((uint64_t)r->key >> (8 * i));
		b[8 + i] = (unsigned char)((uint64_t)r->doc >> (8 * i));
	}
}

static int64_t i64_get(const unsigned char *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return (int64_t)v;
}

/* Writes a run, or goes on with one (a merge): rows in (key, doc) order
 * through run_add, then run_flush; a new run's filter (expect > 0) is
 * recorded by run_finish. Chunks already written stay if a later step
 * fails: the caller rolls the transaction back. */
typedef struct run_writer {
	int64_t id, rows;     /* rows added, the same row twice counted once */
	unsigned char *filter;
	size_t len;
	unsigned char *chunk; /* the rows of the chunk being filled */
	size_t n, cap;
	band_row last;        /* the last row of the run, if any */
	int any;              /* the run has a row */
} run_writer;

static int run_begin(run_writer *w, int64_t id, int64_t expect, cb_error *err)
{
	memset(w, 0, sizeof *w);
	w->id = id;
	w->cap = 2 * CHUNK_ROWS;
	if (!(w->chunk = malloc(w->cap * ROW_BYTES)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (expect > 0) {
		w->len = filter_len_for(expect);
		if (!(w->filter = calloc(1, w->len)))
			return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	return CB_OK;
}

/* Stores the rows gathered as one chunk. */
static int run_flush(cb_store *st, run_writer *w, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;
	if (w->n == 0)
		return CB_OK;
	if ((rc = cb_sql_cached(st, &s, SQL_CHUNK_INSERT, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, w->id);
	sqlite3_bind_int64(s, 2, i64_get(w->chunk));
	sqlite3_bind_blob64(s, 3, w->chunk, w->n * ROW_BYTES, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "writing the near-duplicate index");
	cb_sql_done(s);
	w->n = 0;
	return rc;
}

static int run_add(cb_store *st, run_writer *w, const band_row *r, cb_error *err)
{
	int rc;
	if (w->any && w->last.key == r->key && w->last.doc == r->doc)
		return CB_OK; /* the same row twice: stored once */
	if (w->n >= CHUNK_ROWS && r->key != w->last.key && (rc = run_flush(st, w, err)) < 0)
		return rc;
	if (w->n == w->cap) {
		unsigned char *c = realloc(w->chunk, 2 * w->cap * ROW_BYTES);
		if (!c)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		w->chunk = c;
		w->cap *= 2;
	}
	row_put(w->chunk + w->n++ * ROW_BYTES, r);
	if (w->filter)
		filter_add(w->filter, w->len, r->key);
	w->last = *r;
	w->any = 1;
	w->rows++;
	return CB_OK;
}

/* Records the new run with its filter, which the run list takes over. */
static int run_finish(cb_store *st, run_writer *w, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = run_flush(st, w, err)) < 0)
		return rc;
	if ((rc = cb_sql_prepare(st, &s, "INSERT INTO document_band_runs(run, rows, filter) VALUES (?1, ?2, ?3)",
				 err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, w->id);
	sqlite3_bind_int64(s, 2, w->rows);
	sqlite3_bind_blob64(s, 3, w->filter, w->len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "writing the near-duplicate index");
	sqlite3_finalize(s);
	if (rc == CB_OK) {
		rc = runs_push(st->bands, w->id, w->rows, RUN_LIVE, w->filter, w->len, err);
		w->filter = NULL;
	}
	return rc;
}

static void run_abandon(run_writer *w)
{
	free(w->filter);
	free(w->chunk);
	w->filter = NULL;
	w->chunk = NULL;
}

static int run_level(int64_t rows)
{
	int level = 0;
	for (int64_t docs = rows / CB_MINHASH_BANDS; docs >= RUN_FANOUT; docs /= RUN_FANOUT)
		level++;
	return level;
}

static void run_drop(struct cb_bands_pending *p, struct band_run *r)
{
	p->filter_bytes -= r->filter_len;
	free(r->filter);
	r->filter = NULL;
	r->filter_len = 0;
}

static int exec_ids(cb_store *st, const char *sql, int64_t a, int64_t b, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;
	if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "maintaining the near-duplicate index");
	sqlite3_finalize(s);
	return rc;
}

/* Reads a run in (key, doc) order, a chunk at a time. */
typedef struct run_cursor {
	int64_t run;
	int64_t first;   /* the first key of the chunk held */
	band_row *rows;  /* its rows, decoded */
	size_t n, pos, cap;
	int done;        /* no chunk after the one held */
} run_cursor;

/* Loads the chunk that sql (SQL_CHUNK_AT or SQL_CHUNK_NEXT) finds for key;
 * none found: empty, and done. */
static int cursor_load(cb_store *st, run_cursor *c, const char *sql, int64_t key, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	c->n = c->pos = 0;
	if ((rc = cb_sql_cached(st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, c->run);
	sqlite3_bind_int64(s, 2, key);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(s, 1);
		size_t n = (size_t)sqlite3_column_bytes(s, 1) / ROW_BYTES;
		c->first = sqlite3_column_int64(s, 0);
		if (n > c->cap) {
			band_row *r = realloc(c->rows, n * sizeof *r);
			if (!r) {
				cb_sql_done(s);
				return cb_fail(err, CB_ENOMEM, "out of memory");
			}
			c->rows = r;
			c->cap = n;
		}
		for (size_t i = 0; i < n; i++)
			c->rows[i] = (band_row){i64_get(b + i * ROW_BYTES), i64_get(b + i * ROW_BYTES + 8)};
		c->n = n;
	} else if (step == SQLITE_DONE) {
		c->done = 1;
	} else {
		rc = cb_sql_fail(st, err, "reading the near-duplicate index");
	}
	cb_sql_done(s);
	return rc;
}

/* Positions c on run's first row after `after`. */
static int cursor_seek(cb_store *st, run_cursor *c, int64_t run, band_row after, cb_error *err)
{
	int rc;
	c->run = run;
	c->done = 0;
	if ((rc = cursor_load(st, c, SQL_CHUNK_AT, after.key, err)) < 0)
		return rc;
	if (c->n == 0) { /* every chunk starts after after.key */
		c->done = 0;
		return cursor_load(st, c, SQL_CHUNK_NEXT, after.key, err);
	}
	while (c->pos < c->n && cmp_band_row(&c->rows[c->pos], &after) <= 0)
		c->pos++;
	return CB_OK;
}

/* The row at the cursor in *r (1), or 0 at the end of the run. */
static int cursor_peek(cb_store *st, run_cursor *c, const band_row **r, cb_error *err)
{
	int rc;
	while (c->pos == c->n) {
		if (c->done)
			return 0;
		if ((rc = cursor_load(st, c, SQL_CHUNK_NEXT, c->first, err)) < 0)
			return rc;
	}
	*r = &c->rows[c->pos];
	return 1;
}

/* A merge that has written all its rows: the output gets its filter (from
 * a read of the run, no writes) and replaces its inputs, whose rows later
 * steps delete. */
static int merge_finish(cb_store *st, struct band_run *out, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	size_t len = filter_len_for(out->rows);
	unsigned char *filter = calloc(1, len);
	sqlite3_stmt *s = NULL;
	int rc = CB_OK, step;

	if (!filter) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = cb_sql_prepare(st, &s, "SELECT data FROM document_band_chunks WHERE run = ?1 ORDER BY first_key",
				 err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, out->id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0) / ROW_BYTES;
		for (size_t i = 0; i < n; i++)
			filter_add(filter, len, i64_get(b + i * ROW_BYTES));
	}
	sqlite3_finalize(s);
	s = NULL;
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "merging the near-duplicate index");
		goto done;
	}
	if ((rc = cb_sql_prepare(st, &s, "UPDATE document_band_runs SET state = 0, filter = ?2 WHERE run = ?1",
				 err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, out->id);
	sqlite3_bind_blob64(s, 2, filter, len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "maintaining the near-duplicate index");
		goto done;
	}
	if ((rc = exec_ids(st, "UPDATE document_band_runs SET state = 2, merging_into = NULL"
			       " WHERE merging_into = ?1 AND ?2 = ?2",
			   out->id, 0, err)) < 0)
		goto done;
	for (int i = 0; i < p->nruns; i++)
		if (p->runs[i].into == out->id) {
			run_drop(p, &p->runs[i]);
			p->runs[i].state = RUN_DEAD;
			p->runs[i].into = 0;
		}
	out->state = RUN_LIVE;
	if (p->filter_bytes + len <= FILTER_MEMORY_MAX) {
		out->filter = filter;
		out->filter_len = len;
		p->filter_bytes += len;
		filter = NULL;
	}
done:
	sqlite3_finalize(s);
	free(filter);
	return rc;
}

/* Reopens the last chunk of w's run: it leaves the table and its rows
 * fill w's chunk again, so that the rows a merge step adds continue it as
 * if the merge had not stopped (a key's rows stay in one chunk). */
static int run_reopen(cb_store *st, run_writer *w, cb_error *err)
{
	sqlite3_stmt *s;
	int64_t first = 0;
	int rc, step;

	if ((rc = cb_sql_prepare(st, &s, "SELECT first_key, data FROM document_band_chunks WHERE run = ?1"
					 " ORDER BY first_key DESC LIMIT 1",
				 err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, w->id);
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		size_t nb = (size_t)sqlite3_column_bytes(s, 1) / ROW_BYTES;
		first = sqlite3_column_int64(s, 0);
		if (nb > w->cap) {
			unsigned char *c = realloc(w->chunk, nb * ROW_BYTES);
			if (!c) {
				sqlite3_finalize(s);
				return cb_fail(err, CB_ENOMEM, "out of memory");
			}
			w->chunk = c;
			w->cap = nb;
		}
		if (nb > 0) {
			memcpy(w->chunk, sqlite3_column_blob(s, 1), nb * ROW_BYTES);
			w->n = nb;
			w->last = (band_row){i64_get(w->chunk + (nb - 1) * ROW_BYTES),
					     i64_get(w->chunk + (nb - 1) * ROW_BYTES + 8)};
			w->any = 1;
		}
	}
	sqlite3_finalize(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return cb_sql_fail(st, err, "merging the near-duplicate index");
	if (step == SQLITE_ROW)
		rc = exec_ids(st, "DELETE FROM document_band_chunks WHERE run = ?1 AND first_key = ?2", w->id, first,
			      err);
	return rc;
}

/* Up to budget rows of the merge into out, resumed after its last row. */
static int merge_step(cb_store *st, struct band_run *out, int64_t budget, int64_t *used, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	run_cursor in[RUN_FANOUT] = {{0}};
	band_row last = {INT64_MIN, INT64_MIN};
	run_writer w = {0};
	int n = 0, rc, complete = 0;
	int64_t id = out->id;

	*used = 0;
	if ((rc = run_begin(&w, id, 0, err)) < 0 || (rc = run_reopen(st, &w, err)) < 0)
		goto done;
	if (w.any)
		last = w.last;
	for (int i = 0; i < p->nruns && n < RUN_FANOUT; i++)
		if (p->runs[i].into == id && (rc = cursor_seek(st, &in[n++], p->runs[i].id, last, err)) < 0)
			goto done;
	for (;;) {
		const band_row *best = NULL, *r;
		int from = -1;
		for (int i = 0; i < n; i++) {
			if ((rc = cursor_peek(st, &in[i], &r, err)) < 0)
				goto done;
			if (rc == 1 && (!best || cmp_band_row(r, best) < 0)) {
				best = r;
				from = i;
			}
		}
		rc = CB_OK;
		if (!best) {
			complete = 1;
			break;
		}
		if (w.rows >= budget)
			break;
		if ((rc = run_add(st, &w, best, err)) < 0)
			goto done;
		in[from].pos++;
	}
	if ((rc = run_flush(st, &w, err)) < 0)
		goto done;
	out->rows += w.rows;
	*used = w.rows;
	if ((rc = exec_ids(st, "UPDATE document_band_runs SET rows = ?2 WHERE run = ?1", id, out->rows, err)) < 0)
		goto done;
	if (complete)
		rc = merge_finish(st, out, err);
done:
	run_abandon(&w);
	for (int i = 0; i < n; i++)
		free(in[i].rows);
	return rc;
}

/* Deletes about budget rows of a merged-away run, in whole chunks; the
 * run is gone once it has none left. */
static int delete_step(cb_store *st, struct band_run *dead, int64_t budget, int64_t *used, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	sqlite3_stmt *s;
	int64_t chunks = budget / CHUNK_ROWS > 0 ? budget / CHUNK_ROWS : 1;
	int rc, step;

	*used = 0;
	if ((rc = cb_sql_prepare(st, &s, "SELECT first_key FROM document_band_chunks WHERE run = ?1"
					 " ORDER BY first_key LIMIT 1 OFFSET ?2",
				 err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, dead->id);
	sqlite3_bind_int64(s, 2, chunks - 1);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		int64_t key = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		if ((rc = exec_ids(st, "DELETE FROM document_band_chunks WHERE run = ?1 AND first_key <= ?2",
				   dead->id, key, err)) < 0)
			return rc;
		*used = sqlite3_changes(st->db) * (int64_t)CHUNK_ROWS;
		return CB_OK;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return cb_sql_fail(st, err, "maintaining the near-duplicate index");
	if ((rc = exec_ids(st, "DELETE FROM document_band_chunks WHERE run = ?1 AND ?2 = ?2", dead->id, 0, err)) < 0)
		return rc;
	*used = (sqlite3_changes(st->db) + 1) * (int64_t)CHUNK_ROWS;
	if ((rc = exec_ids(st, "DELETE FROM document_band_runs WHERE run = ?1 AND ?2 = ?2", dead->id, 0, err)) < 0)
		return rc;
	run_drop(p, dead);
	*dead = p->runs[--p->nruns];
	return CB_OK;
}

/* Starts a merge of RUN_FANOUT live runs of the lowest level that has
 * them; 0 if there is none to merge. */
static int merge_start(cb_store *st, int *started, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	int pick[RUN_FANOUT], found = 0, rc;
	int64_t out;

	*started = 0;
	for (int level = 0; level < 64 && !found; level++) {
		int n = 0;
		for (int i = 0; i < p->nruns && n < RUN_FANOUT; i++)
			if (p->runs[i].state == RUN_LIVE && !p->runs[i].into && run_level(p->runs[i].rows) == level)
				pick[n++] = i;
		found = n == RUN_FANOUT;
	}
	if (!found)
		return CB_OK;
	out = p->next_id;
	if ((rc = exec_ids(st, "INSERT INTO document_band_runs(run, rows, state, filter) VALUES (?1, ?2, 1, x'')",
			   out, 0, err)) < 0)
		return rc;
	for (int i = 0; i < RUN_FANOUT; i++) {
		if ((rc = exec_ids(st, "UPDATE document_band_runs SET merging_into = ?2 WHERE run = ?1",
				   p->runs[pick[i]].id, out, err)) < 0)
			return rc;
		p->runs[pick[i]].into = out;
	}
	*started = 1;
	return runs_push(p, out, 0, RUN_BUILDING, NULL, 0, err);
}

/* Index upkeep after a run was written: deletes merged-away rows, then
 * advances or starts a merge, budget rows of work in all. The work per
 * commit is bounded (a commit's dirty pages must fit the page cache) and
 * a multiple of the rows added, so upkeep keeps pace: each key is merged
 * and deleted once per level. */
static int maintain(cb_store *st, int64_t budget, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	int rc;

	while (budget > 0) {
		struct band_run *dead = NULL, *building = NULL;
		int64_t used = 0;
		int started;

		for (int i = 0; i < p->nruns; i++) {
			if (p->runs[i].state == RUN_DEAD && !dead)
				dead = &p->runs[i];
			if (p->runs[i].state == RUN_BUILDING && !building)
				building = &p->runs[i];
		}
		if (dead)
			rc = delete_step(st, dead, budget, &used, err);
		else if (building)
			rc = merge_step(st, building, budget, &used, err);
		else if ((rc = merge_start(st, &started, err)) == CB_OK && !started)
			break;
		if (rc < 0)
			return rc;
		budget -= used;
	}
	return CB_OK;
}

int cb_bands_flush(cb_store *st, cb_error *err)
{
	struct cb_bands_pending *p = st->bands;
	run_writer w;
	int64_t added;
	int rc;

	if (!p || p->n == 0)
		return CB_OK;
	if ((rc = runs_load(st, err)) < 0)
		return rc;
	qsort(p->rows, p->n, sizeof *p->rows, cmp_band_row);
	if ((rc = run_begin(&w, p->next_id, (int64_t)p->n, err)) < 0)
		goto done;
	for (size_t i = 0; i < p->n; i++)
		if ((rc = run_add(st, &w, &p->rows[i], err)) < 0)
			goto done;
	if ((rc = run_finish(st, &w, err)) < 0)
		goto done;
	added = (int64_t)p->n;
	p->n = 0;
	memset(p->slots, 0, p->nslots * sizeof *p->slots);
	rc = maintain(st, UPKEEP_PER_ROW * added + UPKEEP_MIN, err);
done:
	run_abandon(&w);
	/* After a failure the list may not match the table: read it again
	 * (the caller rolls the transaction back). */
	if (rc < 0)
		runs_free(p);
	return rc;
}

int cb_bands_convert(cb_store *st, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	run_writer w = {0};
	int rc, step, open = 0;

	if ((rc = cb_sql_prepare(st, &s, "SELECT run, key, doc_id FROM document_bands ORDER BY run, key, doc_id",
				 err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(s, 0);
		band_row r = {sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)};
		if (!open || run != w.id) {
			if (open && (rc = run_flush(st, &w, err)) < 0)
				goto done;
			run_abandon(&w);
			if ((rc = run_begin(&w, run, 0, err)) < 0)
				goto done;
			open = 1;
		}
		if ((rc = run_add(st, &w, &r, err)) < 0)
			goto done;
	}
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "converting the near-duplicate index");
		goto done;
	}
	if (open && (rc = run_flush(st, &w, err)) < 0)
		goto done;
	sqlite3_finalize(s);
	s = NULL;
	rc = cb_sql_exec(st, "DROP TABLE document_bands", err);
done:
	sqlite3_finalize(s);
	run_abandon(&w);
	return rc;
}

static void pending_index(struct cb_bands_pending *p, size_t i)
{
	size_t mask = p->nslots - 1, s = (size_t)((uint64_t)p->rows[i].key & mask);
	while (p->slots[s])
		s = (s + 1) & mask;
	p->slots[s] = (uint32_t)(i + 1);
}

static int bands_add(cb_store *st, int64_t id, const uint64_t *bands, cb_error *err)
{
	struct cb_bands_pending *p = NULL;
	size_t need;
	int rc;

	if ((rc = bands_state(st, &p, err)) < 0)
		return rc;
	/* A long transaction writes a run early: memory stays bounded and
	 * lookups find the run like any other. */
	if (p->n >= (size_t)PENDING_MAX_DOCS * CB_MINHASH_BANDS && (rc = cb_bands_flush(st, err)) < 0)
		return rc;
	need = p->n + CB_MINHASH_BANDS;
	if (need > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64 * CB_MINHASH_BANDS;
		band_row *r = realloc(p->rows, cap * sizeof *r);
		if (!r)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		p->rows = r;
		p->cap = cap;
	}
	if (need * 2 > p->nslots) {
		size_t nslots = p->nslots ? p->nslots * 2 : 256 * CB_MINHASH_BANDS;
		uint32_t *slots = calloc(nslots, sizeof *slots);
		if (!slots)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		free(p->slots);
		p->slots = slots;
		p->nslots = nslots;
		for (size_t i = 0; i < p->n; i++)
			pending_index(p, i);
	}
	for (int b = 0; b < CB_MINHASH_BANDS; b++) {
		p->rows[p->n] = (band_row){(int64_t)band_key(bands, b), id};
		pending_index(p, p->n);
		p->n++;
	}
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
	struct cb_bands_pending *p = NULL;
	sqlite3_stmt *s = NULL;
	run_cursor cur = {0};
	cb_minhash mine;
	int64_t keys[CB_MINHASH_BANDS];
	int64_t cand[128];
	int taken[CB_MINHASH_BANDS] = {0};
	int ncand = 0, rc;
	const int max = (int)(sizeof cand / sizeof cand[0]);

	*id = 0;
	*sim = 0;
	if (!d->minhash || !d->minhash_bands)
		return CB_OK;
	memcpy(mine.v, d->minhash, sizeof mine.v);
	for (int b = 0; b < CB_MINHASH_BANDS; b++)
		keys[b] = (int64_t)band_key(d->minhash_bands, b);
	if ((rc = runs_load(st, err)) < 0)
		return rc;
	p = st->bands;
	/* Candidates among this transaction's documents... */
	if (p->n > 0)
		for (int b = 0; b < CB_MINHASH_BANDS; b++) {
			size_t mask = p->nslots - 1;
			for (size_t i = (size_t)((uint64_t)keys[b] & mask); p->slots[i]; i = (i + 1) & mask)
				if (p->rows[p->slots[i] - 1].key == keys[b])
					add_candidate(cand, &ncand, max, p->rows[p->slots[i] - 1].doc);
		}
	/* ... and in the runs whose filters let a key through: the one chunk
	 * that can hold the key, its rows for the key in doc order. */
	for (int r = 0; r < p->nruns; r++) {
		const struct band_run *run = &p->runs[r];
		if (run->state != RUN_LIVE)
			continue;
		for (int b = 0; b < CB_MINHASH_BANDS; b++) {
			size_t lo = 0, hi;
			if (taken[b] >= PROBE_LIMIT ||
			    (run->filter && !filter_maybe(run->filter, run->filter_len, keys[b])))
				continue;
			cur.run = run->id;
			if ((rc = cursor_load(st, &cur, SQL_CHUNK_AT, keys[b], err)) < 0)
				goto done;
			for (hi = cur.n; lo < hi;) {
				size_t mid = lo + (hi - lo) / 2;
				if (cur.rows[mid].key < keys[b])
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < cur.n && cur.rows[lo].key == keys[b] && taken[b] < PROBE_LIMIT; lo++, taken[b]++)
				add_candidate(cand, &ncand, max, cur.rows[lo].doc);
		}
	}
	if (ncand == 0)
		goto done;
	if ((rc = cb_sql_cached(st, &s, "SELECT minhash FROM documents WHERE id = ?1", err)) < 0)
		goto done;
	if (!p->sigs && (p->sigs = calloc(SIG_CACHE, sizeof *p->sigs)) == NULL) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (int k = 0; k < ncand; k++) {
		struct sig_entry *e = &p->sigs[(uint64_t)cand[k] % SIG_CACHE];
		cb_minhash other;
		double j;
		if (e->id != cand[k]) {
			sqlite3_bind_int64(s, 1, cand[k]);
			if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == (int)sizeof e->v) {
				memcpy(e->v, sqlite3_column_blob(s, 0), sizeof e->v);
				e->id = cand[k];
			}
			sqlite3_reset(s);
		}
		if (e->id == cand[k]) {
			memcpy(other.v, e->v, sizeof other.v);
			j = cb_minhash_similarity(&mine, &other);
			/* The earliest similar document is the original others copy. */
			if (j >= threshold && (*id == 0 || cand[k] < *id)) {
				*id = cand[k];
				*sim = j;
			}
		}
	}
done:
	cb_sql_done(s);
	free(cur.rows);
	return rc;
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

int cb_store_page_documents(cb_store *st, json_t **out, int64_t *total, int64_t offset,
			    int64_t limit, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	*total = 0;
	/* count(*) walks the smallest index (hashes), not the texts */
	if ((rc = cb_sql_prepare(st, &s, "SELECT count(*) FROM documents", err)) < 0)
		goto done;
	if (sqlite3_step(s) == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if ((rc = cb_sql_prepare(st, &s,
				 "SELECT " DOC_COLUMNS_NOTEXT " FROM documents d ORDER BY d.id DESC"
				 " LIMIT ?1 OFFSET ?2",
				 err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, limit);
	sqlite3_bind_int64(s, 2, offset);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *doc = doc_row(s, 0);
		if (!doc || json_array_append_new(arr, doc)) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			break;
		}
	}
	if (rc == CB_OK && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading documents");
	sqlite3_finalize(s);
done:
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
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
