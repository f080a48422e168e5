/*
 * store_int.h: the store's private parts, shared by the files of src/store/
 * and by the modules that query the database through it (search, export).
 * Nothing outside those includes this header: callers use store.h.
 */
#ifndef CB_STORE_INT_H
#define CB_STORE_INT_H

#include <sqlite3.h>

#include "protect/protect.h"
#include "store/store.h"

struct cb_store {
	char *dir;      /* the store folder */
	char *user;     /* who changes are logged as */
	sqlite3 *db;
	int depth;      /* open transactions: 1 = BEGIN, more = joined inner ones */
	int failed;     /* an inner transaction rolled back: the outer one must too */
	int unindexed;  /* documents added in this transaction await the full-text index */
	int rank_ready; /* search's ranking function is registered (search/rank.c) */
	int vocab_ready; /* search's temp.cb_vocab exists (search/prefix.c) */
	struct cb_bands_pending *bands; /* near-duplicate keys awaiting the commit (documents.c) */
	struct cb_checkpointer *ckpt;   /* checkpoints on a thread, or NULL (checkpoint.c) */
	int unsynced;   /* originals appended without fsync since the outer BEGIN */
	int pack_fd;    /* the pack file being appended to, or -1 */
	int pack_no;    /* its number */
	long long pack_start; /* its size before this transaction's first append, or -1 */
	struct {        /* statements kept prepared for the hot paths */
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[24];
	int ncache;
	/* protection (see protect.h): the users, the acting user's unlocked
	 * keys, the originals' key, this connection's sealing VFS */
	cb_keyring *kr;
	cb_keys *keys;           /* the acting user's (see cb_store_act_as) */
	cb_keys *opener_keys;    /* while another user acts: the opener's keys */
	char *opener_user;       /* and name, both owned; restored before close */
	unsigned char *blob_key; /* 32 bytes, sodium_malloc'd */
	char vfs[48];            /* "" until registered */
	int vfs_borrowed;        /* a clone: the VFS is its origin's (cb_store_clone) */
	/* the change log's head: hash of the newest entry and the next seq,
	 * valid inside the current write transaction only */
	unsigned char head[32];
	unsigned long long next_seq;
	int head_valid;
};

/* Sets err from the database's last message, "WHAT: MESSAGE", and returns
 * CB_ESTORE (or CB_ENOMEM, CB_EIO, CB_EINTEGRITY as SQLite's code says). */
int cb_sql_fail(cb_store *st, cb_error *err, const char *what);

/* Prepares sql on the store's connection. */
int cb_sql_prepare(cb_store *st, sqlite3_stmt **out, const char *sql, cb_error *err);

/* A statement prepared once per connection and kept, for the paths that
 * run per document (ingest). sql must be a string literal: its address is
 * the key. Hand it back with cb_sql_done(), never sqlite3_finalize(). */
int cb_sql_cached(cb_store *st, sqlite3_stmt **out, const char *sql, cb_error *err);
void cb_sql_done(sqlite3_stmt *s);

/* Runs sql (no results, no parameters). */
int cb_sql_exec(cb_store *st, const char *sql, cb_error *err);

/* Binds a nullable C string / JSON value (serialised compactly). */
int cb_sql_bind_text(sqlite3_stmt *s, int i, const char *v);
int cb_sql_bind_json(sqlite3_stmt *s, int i, json_t *v);

/* Column i as a new JSON string, or json_null() for NULL. */
json_t *cb_sql_column_json_string(sqlite3_stmt *s, int i);
/* Column i (JSON text) parsed, or json_null() for NULL or unparsable. */
json_t *cb_sql_column_json(sqlite3_stmt *s, int i);
/* Column i as a JSON integer/real, or null. */
json_t *cb_sql_column_json_int(sqlite3_stmt *s, int i);
json_t *cb_sql_column_json_real(sqlite3_stmt *s, int i);

/* Applies the numbered migrations (schema.c) up to CB_SCHEMA_VERSION. */
int cb_schema_migrate(cb_store *st, cb_error *err);

/* Near-duplicate band keys of the documents added in this transaction
 * (documents.c): written to the index just before the outer commit, or
 * dropped by a rollback; freed at close. */
int cb_bands_flush(cb_store *st, cb_error *err);
void cb_bands_discard(cb_store *st);
/* Migration 3 (schema.c): the rows of document_bands, one a key, become
 * chunks of document_band_chunks, and the old table is dropped. */
int cb_bands_convert(cb_store *st, cb_error *err);

/* Ends cb_store_checkpoint_behind (checkpoint.c): joins the thread and
 * closes its connection; SQLite checkpoints on this one again. */
void cb_checkpoint_stop(cb_store *st);

/* Original files (blobs.c): fsync the pack before the outer commit; cut
 * off what this transaction appended, after a rollback; close. */
int cb_blobs_sync(cb_store *st, cb_error *err);
void cb_blobs_undo(cb_store *st);
void cb_blobs_close(cb_store *st);

/* Verification of the originals and the log (store.c). */
/* head_at (may be NULL) gets the hex hash of the chain after `at` entries
 * ("" if the log is shorter). */
int cb_store_verify_log(cb_store *st, size_t *entries, size_t at, char head_at[65], cb_error *err);

/* persons.c, for lists.c: a person added inside the caller's transaction
 * and not logged (the caller logs the whole list); the id of the new row
 * in *id. Holders only. */
int cb_person_insert(cb_store *st, char pseudonym[16], int64_t *id, const cb_person_new *p,
		     cb_error *err);
/* Opens a sealed identity (holders; CB_EAUTH otherwise). */
int cb_person_open(cb_store *st, json_t **out, const void *sealed, size_t len,
		   const char *pseudonym, cb_error *err);

/* The current UTC time as ISO 8601 ("2026-11-22T08:02:35Z") in buf[32]. */
void cb_now_iso(char buf[32]);

#endif
