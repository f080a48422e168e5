/*
 * store.c: opening, creating and closing a store; transactions; original
 * files; the change log; the small SQL helpers the other store files share.
 *
 * Opening is careful not to change what it opens: a folder that is not a
 * store, or a store from a newer casebook, is refused before any pragma
 * that writes (journal mode, migrations) runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "store/store_int.h"
#include "util/fileio.h"

#define DB_NAME "casebook.db"
#define STORE_FORMAT "casebook-store"

const char *cb_store_default_dir(const char *dir)
{
	const char *env;
	if (dir && *dir)
		return dir;
	if ((env = getenv("CASEBOOK_STORE")) && *env)
		return env;
	return "casebook.store";
}

void cb_now_iso(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cb_sql_fail(cb_store *st, cb_error *err, const char *what)
{
	int code = st && st->db ? sqlite3_errcode(st->db) : SQLITE_ERROR;
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) : "no database";
	int rc;

	switch (code & 0xff) {
	case SQLITE_NOMEM: rc = CB_ENOMEM; break;
	case SQLITE_IOERR: case SQLITE_FULL: case SQLITE_CANTOPEN: case SQLITE_READONLY:
		rc = CB_EIO; break;
	case SQLITE_CORRUPT: rc = CB_EINTEGRITY; break;
	case SQLITE_CONSTRAINT: rc = CB_EFORMAT; break;
	default: rc = CB_ESTORE;
	}
	return cb_fail(err, rc, "%s: %s", what, msg);
}

int cb_sql_prepare(cb_store *st, sqlite3_stmt **out, const char *sql, cb_error *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return cb_sql_fail(st, err, st->dir);
	}
	return CB_OK;
}

int cb_sql_cached(cb_store *st, sqlite3_stmt **out, const char *sql, cb_error *err)
{
	int i;
	for (i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql) {
			*out = st->cache[i].stmt;
			return CB_OK;
		}
	if (i == (int)(sizeof st->cache / sizeof st->cache[0]))
		return cb_fail(err, CB_ERR, "statement cache full (raise its size in store_int.h)");
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return cb_sql_fail(st, err, st->dir);
	}
	st->cache[i].sql = sql;
	st->cache[i].stmt = *out;
	st->ncache++;
	return CB_OK;
}

void cb_sql_done(sqlite3_stmt *s)
{
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

int cb_sql_exec(cb_store *st, const char *sql, cb_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cb_sql_fail(st, err, st->dir);
	return CB_OK;
}

int cb_sql_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

int cb_sql_bind_json(sqlite3_stmt *s, int i, json_t *v)
{
	char *txt;
	int rc;
	if (!v || json_is_null(v))
		return sqlite3_bind_null(s, i);
	if (!(txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)))
		return SQLITE_NOMEM;
	rc = sqlite3_bind_text(s, i, txt, -1, free);
	return rc;
}

json_t *cb_sql_column_json_string(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? json_stringn((const char *)t, (size_t)sqlite3_column_bytes(s, i)) : json_null();
}

json_t *cb_sql_column_json(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	json_t *v;
	if (!t)
		return json_null();
	v = json_loadb(t, (size_t)sqlite3_column_bytes(s, i), JSON_DECODE_ANY, NULL);
	return v ? v : json_null();
}

json_t *cb_sql_column_json_int(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
							  : json_integer(sqlite3_column_int64(s, i));
}

json_t *cb_sql_column_json_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
							  : json_real(sqlite3_column_double(s, i));
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

static const char *default_user(void)
{
	const char *u = getenv("USER");
	return u && *u ? u : "casebook";
}

/* Opens dir/casebook.db; create says whether it may be created. */
static int open_db(cb_store **out, const char *dir, int create, cb_error *err)
{
	cb_store *st = calloc(1, sizeof *st);
	char *path = NULL;
	int rc = CB_OK, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (st) {
		st->pack_fd = -1;
		st->pack_start = -1;
	}
	if (!st || !(st->dir = strdup(dir)) || !(st->user = strdup(default_user())) ||
	    !(path = join(dir, DB_NAME))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = cb_sql_fail(st, err, dir);
		goto done;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
done:
	free(path);
	if (rc < 0)
		cb_store_close(st);
	else
		*out = st;
	return rc;
}

static int set_pragmas(cb_store *st, cb_error *err)
{
	return cb_sql_exec(st,
			   "PRAGMA journal_mode = WAL;"
			   "PRAGMA synchronous = NORMAL;"
			   "PRAGMA foreign_keys = ON;"
			   /* 32 MB of page cache: ingest rewrites the same index
			    * pages many times per commit. */
			   "PRAGMA cache_size = -32768;",
			   err);
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;
	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

int cb_store_init(const char *dir, const char *user, cb_error *err)
{
	cb_store *st = NULL;
	struct stat sb;
	char *db = join(dir, DB_NAME), *blobs = join(dir, "blobs");
	char now[32];
	int rc = CB_OK;

	if (!db || !blobs) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if (stat(db, &sb) == 0) {
		rc = cb_fail(err, CB_EEXISTS, "%s: a store already exists here", dir);
		goto done;
	}
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			rc = cb_fail(err, CB_EEXISTS, "%s: exists and is not a folder", dir);
			goto done;
		}
		if (!dir_is_empty(dir)) {
			rc = cb_fail(err, CB_EEXISTS,
				     "%s: folder is not empty and holds no store; choose a new folder", dir);
			goto done;
		}
	}
	if ((rc = cb_mkdirs(dir, err)) < 0 || (rc = cb_mkdirs(blobs, err)) < 0)
		goto done;
	if ((rc = open_db(&st, dir, 1, err)) < 0)
		goto done;
	if (user && (rc = cb_store_set_user(st, user, err)) < 0)
		goto done;
	if ((rc = set_pragmas(st, err)) < 0 || (rc = cb_schema_migrate(st, err)) < 0)
		goto done;
	cb_now_iso(now);
	{
		sqlite3_stmt *s;
		if ((rc = cb_sql_prepare(st, &s,
					 "INSERT INTO meta(key, value) VALUES ('format', '" STORE_FORMAT "'),"
					 " ('created_at', ?1), ('created_by', ?2)", err)) < 0)
			goto done;
		sqlite3_bind_text(s, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, st->user, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = cb_sql_fail(st, err, dir);
		sqlite3_finalize(s);
		if (rc < 0)
			goto done;
	}
	rc = cb_store_log(st, "init", NULL, NULL, err);
done:
	cb_store_close(st);
	free(db);
	free(blobs);
	return rc;
}

/* Checks that the open database is a casebook store and not a newer one,
 * reading only. */
static int check_store(cb_store *st, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	int version = 0, rc = CB_OK, step;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		int code = sqlite3_errcode(st->db) & 0xff;
		sqlite3_finalize(s);
		if (code == SQLITE_NOTADB)
			return cb_fail(err, CB_ESTORE, "%s: not a casebook store (%s is not a database)",
				       st->dir, DB_NAME);
		return cb_sql_fail(st, err, st->dir);
	}
	version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > CB_SCHEMA_VERSION)
		return cb_fail(err, CB_ESCHEMA,
			       "%s: store schema version %d is newer than this casebook knows (%d); "
			       "use a newer casebook",
			       st->dir, version, CB_SCHEMA_VERSION);
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'format'", -1, &s,
			       NULL) != SQLITE_OK)
		return cb_fail(err, CB_ESTORE, "%s: not a casebook store (no store metadata)", st->dir);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW || !sqlite3_column_text(s, 0) ||
	    strcmp((const char *)sqlite3_column_text(s, 0), STORE_FORMAT))
		rc = cb_fail(err, CB_ESTORE, "%s: not a casebook store (unknown format)", st->dir);
	sqlite3_finalize(s);
	return rc;
}

int cb_store_open(cb_store **out, const char *dir, cb_error *err)
{
	cb_store *st = NULL;
	struct stat sb;
	char *db = join(dir, DB_NAME);
	int rc;

	*out = NULL;
	if (!db)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (stat(dir, &sb) < 0) {
		free(db);
		return cb_fail(err, CB_ENOTFOUND, "%s: no store here; create one with 'casebook init --store %s'",
			       dir, dir);
	}
	if (!S_ISDIR(sb.st_mode) || stat(db, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		free(db);
		return cb_fail(err, CB_ESTORE, "%s: not a casebook store (no %s)", dir, DB_NAME);
	}
	free(db);
	if ((rc = open_db(&st, dir, 0, err)) < 0)
		return rc;
	if ((rc = check_store(st, err)) < 0 || (rc = set_pragmas(st, err)) < 0 ||
	    (rc = cb_schema_migrate(st, err)) < 0) {
		cb_store_close(st);
		return rc;
	}
	*out = st;
	return CB_OK;
}

void cb_store_close(cb_store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	cb_blobs_close(st);
	if (st->db) {
		if (st->depth)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(st->db);
	}
	free(st->dir);
	free(st->user);
	free(st);
}

int cb_store_set_user(cb_store *st, const char *user, cb_error *err)
{
	char *u;
	if (!user || !*user)
		return cb_fail(err, CB_EINVAL, "empty user name");
	if (!(u = strdup(user)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	free(st->user);
	st->user = u;
	return CB_OK;
}

const char *cb_store_user(const cb_store *st) { return st->user; }
const char *cb_store_dir(const cb_store *st) { return st->dir; }

int cb_store_begin(cb_store *st, cb_error *err)
{
	int rc;
	if (st->depth == 0) {
		if ((rc = cb_sql_exec(st, "BEGIN IMMEDIATE", err)) < 0)
			return rc;
		st->failed = 0;
		st->pack_start = -1;
	}
	st->depth++;
	return CB_OK;
}

/* Adds the documents added since the last commit to the full-text index,
 * all in one statement (see schema.c on why not a trigger). */
static int index_new_documents(cb_store *st, cb_error *err)
{
	int rc;
	if (!st->unindexed)
		return CB_OK;
	rc = cb_sql_exec(st,
			 "INSERT INTO documents_fts(rowid, title, text)"
			 " SELECT id, title, text FROM documents"
			 " WHERE id > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto')"
			 " ORDER BY id;"
			 "UPDATE meta SET value = (SELECT coalesce(max(id), 0) FROM documents)"
			 " WHERE key = 'fts_upto';",
			 err);
	if (rc == CB_OK)
		st->unindexed = 0;
	return rc;
}

int cb_store_commit(cb_store *st, cb_error *err)
{
	int rc;
	if (st->depth == 0)
		return cb_fail(err, CB_EINVAL, "%s: no transaction is open", st->dir);
	if (st->depth > 1) {
		st->depth--;
		return CB_OK;
	}
	if (st->failed) {
		cb_store_rollback(st);
		return cb_fail(err, CB_ERR, "%s: part of the transaction failed; nothing was stored", st->dir);
	}
	if ((rc = index_new_documents(st, err)) < 0 || (rc = cb_blobs_sync(st, err)) < 0 ||
	    (rc = cb_sql_exec(st, "COMMIT", err)) < 0) {
		cb_store_rollback(st);
		return rc;
	}
	st->depth = 0;
	st->pack_start = -1;
	return CB_OK;
}

void cb_store_rollback(cb_store *st)
{
	if (!st || st->depth == 0)
		return;
	if (st->depth > 1) {
		st->depth--;
		st->failed = 1;
		return;
	}
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	cb_blobs_undo(st);
	st->depth = 0;
	st->failed = 0;
	st->unindexed = 0;
}

int cb_store_failed(const cb_store *st)
{
	return st->failed;
}

int cb_store_in_transaction(const cb_store *st)
{
	return st->depth > 0;
}

/* ---- change log ---------------------------------------------------- */

int cb_store_log(cb_store *st, const char *action, const char *target, json_t *detail,
		 cb_error *err)
{
	sqlite3_stmt *s;
	char now[32];
	int rc;

	cb_now_iso(now);
	if ((rc = cb_sql_cached(st, &s,
				"INSERT INTO change_log(at, actor, action, target, detail)"
				" VALUES (?1, ?2, ?3, ?4, ?5)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, st->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_TRANSIENT);
	cb_sql_bind_text(s, 4, target);
	cb_sql_bind_json(s, 5, detail);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "writing the change log");
	cb_sql_done(s);
	return rc;
}

int cb_store_list_log(cb_store *st, json_t **out, cb_error *err)
{
	sqlite3_stmt *s;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = cb_sql_prepare(st, &s,
				 "SELECT id, at, actor, action, target, detail FROM change_log ORDER BY id",
				 err)) < 0) {
		json_decref(arr);
		return rc;
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
						     "id", (json_int_t)sqlite3_column_int64(s, 0),
						     "at", cb_sql_column_json_string(s, 1),
						     "actor", cb_sql_column_json_string(s, 2),
						     "action", cb_sql_column_json_string(s, 3),
						     "target", cb_sql_column_json_string(s, 4),
						     "detail", cb_sql_column_json(s, 5)));
	}
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading the change log");
	sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}
