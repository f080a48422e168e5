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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>

#include "store/store_int.h"
#include "util/fileio.h"

#define DB_NAME "casebook.db"
#define KEYS_NAME "keys"
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

	/* A page that failed authentication is named by the VFS: file and
	 * page, exit status 4, rather than SQLite's "disk I/O error". */
	if (st && st->db && (rc = cb_sealvfs_explain(st->db, err)) < 0)
		return rc;

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

void cb_store_library_init(void)
{
	/* SQLITE_MISUSE if SQLite was already started: then it keeps its
	 * defaults, which are correct, just slower under threads. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Argon2id cost for new or rewrapped users: $CASEBOOK_KDF "OPS:KIB" (tests
 * and small machines), else the keyring's defaults (kdf = NULL). */
static const cb_kdf_params *kdf_from_env(cb_kdf_params *buf)
{
	const char *e = getenv("CASEBOOK_KDF");
	unsigned long long ops, kib;
	if (!e || sscanf(e, "%llu:%llu", &ops, &kib) != 2 || ops < 1 || kib < 8)
		return NULL;
	buf->opslimit = ops;
	buf->memlimit = kib * 1024;
	return buf;
}

/* A VFS name of its own for each open store in this process. */
static void vfs_name(char buf[48])
{
	static unsigned counter;
	snprintf(buf, 48, "cbseal-%ld-%u", (long)getpid(), ++counter);
}

/* Registers the sealing VFS with the store's database subkey and opens
 * dir/casebook.db through it; the blob subkey goes to st->blob_key. */
static int open_db(cb_store *st, int create, cb_error *err)
{
	unsigned char dbkey[32];
	char *path = NULL;
	int rc = CB_OK, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (!(path = join(st->dir, DB_NAME)) ||
	    !(st->blob_key = sodium_malloc(32))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	cb_keys_subkey(st->blob_key, st->keys, CB_SUBKEY_BLOB);
	cb_keys_subkey(dbkey, st->keys, CB_SUBKEY_DB);
#ifdef CB_BENCH_PLAIN
	/* Only in bench/'s casebook-plain (never installed): the same store on
	 * SQLite's own VFS, unsealed, to measure what sealing costs. */
	sodium_memzero(dbkey, sizeof dbkey);
	if (sqlite3_open_v2(path, &st->db, flags | (create ? SQLITE_OPEN_CREATE : 0), NULL) != SQLITE_OK) {
		rc = cb_fail(err, CB_ESTORE, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	if (create) { /* the encrypted store's page size, for a fair comparison */
		char sql[48];
		snprintf(sql, sizeof sql, "PRAGMA page_size = %d", CB_SEALVFS_STORE_PAGE_SIZE);
		rc = cb_sql_exec(st, sql, err);
	}
	goto done;
#endif
	vfs_name(st->vfs);
	rc = cb_sealvfs_register(st->vfs, dbkey, err);
	sodium_memzero(dbkey, sizeof dbkey);
	if (rc < 0) {
		st->vfs[0] = '\0';
		goto done;
	}
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if ((rc = cb_sealvfs_open_sized(&st->db, path, flags, st->vfs, CB_SEALVFS_STORE_PAGE_SIZE,
					err)) < 0) {
		st->db = NULL;
		/* The keyring just proved the key right, so a page 1 that
		 * does not open is damage, not a wrong passphrase. */
		if (rc == CB_EAUTH || rc == CB_ESTORE)
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s/%s: page 1 does not open with the store's key (damaged, or the "
				     "database of another store)", st->dir, DB_NAME);
		goto done;
	}
	sqlite3_busy_timeout(st->db, 5000);
done:
	free(path);
	return rc;
}

static cb_store *store_new(const char *dir, cb_error *err)
{
	cb_store *st;
	if (sodium_init() < 0) {
		cb_fail(err, CB_ERR, "libsodium failed to initialise");
		return NULL;
	}
	/* Keys are about to be held: no core dumps, no ptrace by others. */
	prctl(PR_SET_DUMPABLE, 0);
	st = calloc(1, sizeof *st);
	if (st) {
		st->pack_fd = -1;
		st->pack_start = -1;
	}
	if (!st || !(st->dir = strdup(dir))) {
		free(st);
		cb_fail(err, CB_ENOMEM, "out of memory");
		return NULL;
	}
	return st;
}

static int set_pragmas(cb_store *st, cb_error *err)
{
	return cb_sql_exec(st,
			   "PRAGMA journal_mode = WAL;"
			   "PRAGMA synchronous = NORMAL;"
			   "PRAGMA foreign_keys = ON;"
			   /* temporary tables and sort runs stay in memory: the
			    * sealing VFS encrypts temp files too, but memory
			    * is cheaper and never reaches the disk. */
			   "PRAGMA temp_store = MEMORY;"
			   /* 32 MB of page cache: ingest rewrites the same index
			    * pages many times per commit. */
			   "PRAGMA cache_size = -32768;"
			   /* Dirty pages stay in memory until the commit rather
			    * than spilling into the log mid-transaction: a spilled
			    * page that changes again is rewritten in place in the
			    * WAL, which the sealing VFS refuses (sealvfs.c,
			    * wal_read). Transactions are bounded (ingest commits
			    * every 1024 files or 2 s), so memory stays bounded. */
			   "PRAGMA cache_spill = OFF;",
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

static void hex32(char out[65], const unsigned char in[32])
{
	sodium_bin2hex(out, 65, in, 32);
}

/* The detail logged when a user's signing key enters the store: verify
 * trusts the key the log recorded (signed by an owner) for that name. */
static json_t *user_detail(const char *name, int role, const unsigned char sign_pk[32])
{
	char hex[65];
	hex32(hex, sign_pk);
	return json_pack("{s:s, s:s, s:s}", "user", name, "role", cb_role_name(role), "sign_key", hex);
}

static int read_pass(char **pw, size_t *n, const cb_store_auth *a, const char *user,
		     cb_error *err)
{
	char prompt[128];
	if (a && a->pass) {
		if (!a->passlen)
			return cb_fail(err, CB_EINVAL, "empty passphrase");
		if (!(*pw = sodium_malloc(a->passlen + 1)))
			return cb_fail(err, CB_ENOMEM, "out of memory");
		memcpy(*pw, a->pass, a->passlen);
		(*pw)[a->passlen] = '\0';
		*n = a->passlen;
		return CB_OK;
	}
	snprintf(prompt, sizeof prompt, "Passphrase for %s: ", user);
	return cb_passphrase_read(pw, n, a ? a->passfile : NULL, prompt, err);
}

int cb_store_create(const char *dir, const cb_store_auth *auth, unsigned char recovery[32],
		    cb_error *err)
{
	cb_store *st = NULL;
	struct stat sb;
	char *db = join(dir, DB_NAME), *blobs = join(dir, "blobs"), *keys = join(dir, KEYS_NAME);
	char *pw = NULL;
	size_t pwlen = 0;
	cb_kdf_params kdfbuf;
	const char *user = auth && auth->user ? auth->user : default_user();
	char now[32];
	int rc = CB_OK;

	if (!db || !blobs || !keys) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if (stat(db, &sb) == 0 || stat(keys, &sb) == 0) {
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
	if (!(st = store_new(dir, err))) {
		rc = err && err->code < 0 ? err->code : CB_ENOMEM;
		goto done;
	}
	if ((rc = read_pass(&pw, &pwlen, auth, user, err)) < 0)
		goto done;
	if ((rc = cb_keyring_create(&st->kr, &st->keys, user, pw, pwlen, kdf_from_env(&kdfbuf),
				    recovery, err)) < 0)
		goto done;
	if (!(st->user = strdup(st->keys->user))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = cb_mkdirs(dir, err)) < 0 || (rc = cb_mkdirs(blobs, err)) < 0)
		goto done;
	chmod(dir, 0700);
	/* The keys first: a database without them could never be opened. */
	if ((rc = cb_keyring_save(st->kr, keys, err)) < 0)
		goto done;
	if ((rc = open_db(st, 1, err)) < 0)
		goto done;
	if ((rc = set_pragmas(st, err)) < 0 || (rc = cb_schema_migrate(st, err)) < 0)
		goto done;
	cb_now_iso(now);
	{
		sqlite3_stmt *s;
		json_t *detail;
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
		detail = user_detail(st->user, CB_ROLE_OWNER, st->keys->sign_pk);
		rc = cb_store_log(st, "init", NULL, detail, err);
		json_decref(detail);
	}
done:
	cb_passphrase_free(pw);
	cb_store_close(st);
	free(db);
	free(blobs);
	free(keys);
	return rc;
}

int cb_store_init(const char *dir, const char *user, cb_error *err)
{
	cb_store_auth a = {.user = user};
	return cb_store_create(dir, &a, NULL, err);
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
		if ((rc = cb_sealvfs_explain(st->db, err)) < 0)
			return rc;
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
			       NULL) != SQLITE_OK) {
		if ((rc = cb_sealvfs_explain(st->db, err)) < 0)
			return rc;
		return cb_fail(err, CB_ESTORE, "%s: not a casebook store (no store metadata)", st->dir);
	}
	step = sqlite3_step(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, st->dir);
	else if (step != SQLITE_ROW || !sqlite3_column_text(s, 0) ||
		 strcmp((const char *)sqlite3_column_text(s, 0), STORE_FORMAT))
		rc = cb_fail(err, CB_ESTORE, "%s: not a casebook store (unknown format)", st->dir);
	sqlite3_finalize(s);
	return rc;
}

/* The user to act as when none is named: the only owner, else the first. */
static const char *pick_user(const cb_keyring *kr)
{
	const char *name = NULL;
	int role;
	for (size_t i = 0; i < cb_keyring_count(kr); i++) {
		cb_keyring_user(kr, i, &name, &role, NULL, NULL);
		if (role == CB_ROLE_OWNER)
			return name;
	}
	return name; /* a keyring always has an owner; this is not reached */
}

int cb_store_open_as(cb_store **out, const char *dir, const cb_store_auth *auth, cb_error *err)
{
	cb_store *st = NULL;
	struct stat sb;
	char *db = join(dir, DB_NAME), *keys = join(dir, KEYS_NAME), *pw = NULL;
	const char *user;
	size_t pwlen = 0;
	int rc = CB_OK;

	*out = NULL;
	if (!db || !keys) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if (stat(dir, &sb) < 0) {
		rc = cb_fail(err, CB_ENOTFOUND, "%s: no store here; create one with 'casebook init --store %s'",
			     dir, dir);
		goto done;
	}
	if (!S_ISDIR(sb.st_mode) || stat(db, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		rc = cb_fail(err, CB_ESTORE, "%s: not a casebook store (no %s)", dir, DB_NAME);
		goto done;
	}
	if (stat(keys, &sb) < 0) {
		rc = cb_fail(err, CB_ESTORE, "%s: not a casebook store (no key file '%s')", dir, KEYS_NAME);
		goto done;
	}
	if (!(st = store_new(dir, err))) {
		rc = err && err->code < 0 ? err->code : CB_ENOMEM;
		goto done;
	}
	if ((rc = cb_keyring_load(&st->kr, keys, err)) < 0)
		goto done;
	user = auth && auth->user ? auth->user : getenv("CASEBOOK_USER");
	if (!user || !*user)
		user = pick_user(st->kr);
	if (cb_keyring_find(st->kr, user) < 0) {
		rc = cb_fail(err, CB_EAUTH, "%s: no user '%s' in this store", dir, user);
		goto done;
	}
	if (auth && auth->recovery) {
		/* the recovery key stands in for a forgotten passphrase */
		if (!cb_keyring_has_recovery(st->kr)) {
			rc = cb_fail(err, CB_EAUTH, "%s: this store has no recovery key", dir);
			goto done;
		}
		if ((rc = cb_keyring_unlock_recovery(&st->keys, st->kr, user, auth->recovery, err)) < 0) {
			if (rc == CB_EAUTH)
				rc = cb_fail(err, CB_EAUTH, "%s: the recovery key does not fit", dir);
			goto done;
		}
	} else if ((rc = read_pass(&pw, &pwlen, auth, user, err)) < 0) {
		goto done;
	} else if ((rc = cb_keyring_unlock(&st->keys, st->kr, user, pw, pwlen, err)) < 0) {
		if (rc == CB_EAUTH)
			rc = cb_fail(err, CB_EAUTH, "%s: wrong passphrase for user '%s'", dir, user);
		goto done;
	}
	if (!(st->user = strdup(st->keys->user))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = open_db(st, 0, err)) < 0)
		goto done;
	if ((rc = check_store(st, err)) < 0 || (rc = set_pragmas(st, err)) < 0 ||
	    (rc = cb_schema_migrate(st, err)) < 0)
		goto done;
done:
	cb_passphrase_free(pw);
	free(db);
	free(keys);
	if (rc < 0)
		cb_store_close(st);
	else
		*out = st;
	return rc;
}

int cb_store_open(cb_store **out, const char *dir, cb_error *err)
{
	return cb_store_open_as(out, dir, NULL, err);
}

int cb_store_unlock_user(cb_store *st, cb_keys **out, const char *user, const char *pass,
			 size_t passlen, cb_error *err)
{
	int rc;
	*out = NULL;
	if (!user || !*user || cb_keyring_find(st->kr, user) < 0 || !pass || !passlen)
		return cb_fail(err, CB_EAUTH, "unknown user or wrong passphrase");
	rc = cb_keyring_unlock(out, st->kr, user, pass, passlen, err);
	if (rc == CB_EAUTH || rc == CB_ENOTFOUND)
		return cb_fail(err, CB_EAUTH, "unknown user or wrong passphrase");
	return rc;
}

cb_keys *cb_keys_slot_new(void)
{
	cb_keys *k = sodium_malloc(sizeof *k);
	if (k)
		sodium_memzero(k, sizeof *k);
	return k;
}

void cb_keys_copy(cb_keys *dst, const cb_keys *src)
{
	memcpy(dst, src, sizeof *dst);
}

int cb_store_clone(cb_store **out, cb_store *src, int cache_kib, cb_error *err)
{
	cb_store *st = NULL;
	const cb_keys *k = src->opener_keys ? src->opener_keys : src->keys;
	char *keys = join(src->dir, KEYS_NAME), *path = join(src->dir, DB_NAME), pragma[64];
	int rc = CB_OK;

	*out = NULL;
	if (!keys || !path || !(st = store_new(src->dir, err))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = cb_keyring_load(&st->kr, keys, err)) < 0)
		goto done;
	if (!(st->keys = cb_keys_slot_new()) || !(st->blob_key = sodium_malloc(32)) ||
	    !(st->user = strdup(src->opener_user ? src->opener_user : src->user))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	cb_keys_copy(st->keys, k);
	memcpy(st->blob_key, src->blob_key, 32);
	memcpy(st->vfs, src->vfs, sizeof st->vfs);
	st->vfs_borrowed = 1;
	if ((rc = cb_sealvfs_open(&st->db, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, st->vfs,
				  err)) < 0) {
		st->db = NULL;
		goto done;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if ((rc = set_pragmas(st, err)) < 0)
		goto done;
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%d;", cache_kib > 0 ? cache_kib : 8192);
	rc = cb_sql_exec(st, pragma, err);
done:
	free(keys);
	free(path);
	if (rc < 0)
		cb_store_close(st);
	else
		*out = st;
	return rc;
}

void cb_store_act_as(cb_store *st, cb_keys *k)
{
	if (!st->opener_keys) {
		if (!k)
			return;
		st->opener_keys = st->keys;
		st->opener_user = st->user;
	}
	if (k) {
		st->keys = k;
		st->user = k->user;
	} else {
		st->keys = st->opener_keys;
		st->user = st->opener_user;
		st->opener_keys = NULL;
		st->opener_user = NULL;
	}
	st->head_valid = 0;
}

void cb_store_close(cb_store *st)
{
	if (!st)
		return;
	cb_store_act_as(st, NULL);
	cb_checkpoint_stop(st);
	cb_bands_discard(st);
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	cb_blobs_close(st);
	if (st->db) {
		if (st->depth)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(st->db);
	}
	if (st->vfs[0] && !st->vfs_borrowed)
		cb_sealvfs_unregister(st->vfs, NULL);
	if (st->blob_key)
		sodium_free(st->blob_key);
	cb_keys_free(st->keys);
	cb_keyring_free(st->kr);
	free(st->dir);
	free(st->user);
	free(st);
}

int cb_store_set_user(cb_store *st, const char *user, cb_error *err)
{
	if (!user || !*user)
		return cb_fail(err, CB_EINVAL, "empty user name");
	/* Changes are signed by the user whose keys opened the store: the
	 * actor cannot be renamed afterwards. */
	if (strcmp(user, st->user))
		return cb_fail(err, CB_EAUTH, "%s: opened as '%s', not '%s'", st->dir, st->user, user);
	return CB_OK;
}

int cb_store_role(const cb_store *st)
{
	return st->keys ? st->keys->role : CB_ROLE_VIEWER;
}

const char *cb_store_user(const cb_store *st) { return st->user; }
const char *cb_store_dir(const cb_store *st) { return st->dir; }

static int begin_tx(cb_store *st, cb_error *err)
{
	int rc;
	if (st->depth == 0) {
		if ((rc = cb_sql_exec(st, "BEGIN IMMEDIATE", err)) < 0)
			return rc;
		st->failed = 0;
		st->pack_start = -1;
		st->head_valid = 0; /* another process may have logged since */
	}
	st->depth++;
	return CB_OK;
}

/* Viewers read: every change to the record (ingest, import, review, edit)
 * runs in a transaction, so this is the one place that refuses them. */
int cb_store_begin(cb_store *st, cb_error *err)
{
	if (cb_store_role(st) == CB_ROLE_VIEWER)
		return cb_fail(err, CB_EAUTH, "%s: '%s' is a viewer and cannot change the store",
			       st->dir, st->user);
	return begin_tx(st, err);
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
	if ((rc = cb_bands_flush(st, err)) < 0 || (rc = index_new_documents(st, err)) < 0 ||
	    (rc = cb_blobs_sync(st, err)) < 0 ||
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
	cb_bands_discard(st);
	st->head_valid = 0;
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

/* The columns a log entry is signed over, in cb_log_entry order. */
#define LOG_COLS "seq, ts, actor, action, target, detail, prev, sig"

/* Fills e from a row of LOG_COLS (strings borrowed from the statement). */
static int log_row(cb_log_entry *e, sqlite3_stmt *s)
{
	memset(e, 0, sizeof *e);
	e->seq = (uint64_t)sqlite3_column_int64(s, 0);
	e->time = sqlite3_column_int64(s, 1);
	e->user = (const char *)sqlite3_column_text(s, 2);
	e->action = (const char *)sqlite3_column_text(s, 3);
	e->target = (const char *)sqlite3_column_text(s, 4);
	e->detail = (const char *)sqlite3_column_text(s, 5);
	if (!e->user || !e->action || sqlite3_column_bytes(s, 6) != 32 ||
	    sqlite3_column_bytes(s, 7) != 64)
		return -1;
	memcpy(e->prev, sqlite3_column_blob(s, 6), 32);
	memcpy(e->sig, sqlite3_column_blob(s, 7), 64);
	return 0;
}

/* Reads the newest entry's hash and the next seq into st. */
static int load_head(cb_store *st, cb_error *err)
{
	sqlite3_stmt *s;
	cb_log_entry e;
	int rc = CB_OK, step;

	if ((rc = cb_sql_cached(st, &s, "SELECT " LOG_COLS " FROM change_log ORDER BY seq DESC LIMIT 1",
				err)) < 0)
		return rc;
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		if (log_row(&e, s) < 0)
			rc = cb_fail(err, CB_EINTEGRITY, "%s: change log entry %lld is malformed", st->dir,
				     (long long)sqlite3_column_int64(s, 0));
		else if ((rc = cb_log_hash(st->head, &e, err)) == CB_OK)
			st->next_seq = e.seq + 1;
	} else if (step == SQLITE_DONE) {
		memset(st->head, 0, sizeof st->head);
		st->next_seq = 0;
	} else {
		rc = cb_sql_fail(st, err, "reading the change log");
	}
	cb_sql_done(s);
	if (rc == CB_OK)
		st->head_valid = 1;
	return rc;
}

int cb_store_log(cb_store *st, const char *action, const char *target, json_t *detail,
		 cb_error *err)
{
	sqlite3_stmt *s;
	cb_log_entry e;
	unsigned char head[32];
	char *dtext = NULL;
	int rc;

	if (!st->head_valid && (rc = load_head(st, err)) < 0)
		return rc;
	if (detail && !json_is_null(detail) &&
	    !(dtext = json_dumps(detail, JSON_COMPACT | JSON_ENCODE_ANY)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memset(&e, 0, sizeof e);
	e.seq = st->next_seq;
	e.time = (int64_t)time(NULL);
	e.user = st->keys->user;
	e.action = action;
	e.target = target;
	e.detail = dtext;
	if ((rc = cb_log_sign(&e, e.seq ? st->head : NULL, st->keys->sign_sk, err)) < 0 ||
	    (rc = cb_log_hash(head, &e, err)) < 0)
		goto done;
	if ((rc = cb_sql_cached(st, &s,
				"INSERT INTO change_log(id, " LOG_COLS ")"
				" VALUES (?1 + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)e.seq);
	sqlite3_bind_int64(s, 2, e.time);
	sqlite3_bind_text(s, 3, e.user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, action, -1, SQLITE_STATIC);
	cb_sql_bind_text(s, 5, target);
	if (dtext)
		sqlite3_bind_text(s, 6, dtext, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 7, e.prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, e.sig, 64, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "writing the change log");
	cb_sql_done(s);
	if (rc == CB_OK) {
		memcpy(st->head, head, 32);
		st->next_seq++;
		/* Outside a transaction the next writer may be another process. */
		if (st->depth == 0)
			st->head_valid = 0;
	}
done:
	free(dtext);
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
				 "SELECT seq, strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch'), actor,"
				 " action, target, detail FROM change_log ORDER BY seq",
				 err)) < 0) {
		json_decref(arr);
		return rc;
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
						     "id", (json_int_t)sqlite3_column_int64(s, 0) + 1,
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

/* ---- users ------------------------------------------------------------ */

int cb_store_list_users(cb_store *st, json_t **out, cb_error *err)
{
	json_t *arr = json_array();
	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < cb_keyring_count(st->kr); i++) {
		const char *name;
		int role;
		unsigned char pk[32];
		char hex[65];
		cb_keyring_user(st->kr, i, &name, &role, pk, NULL);
		hex32(hex, pk);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", name, "role",
						     cb_role_name(role), "sign_key", hex));
	}
	*out = arr;
	return CB_OK;
}

/* Logs action in a transaction and saves the keyring before it commits:
 * the key file changes only if the log entry can be written, and a commit
 * that fails afterwards leaves a user the log does not know, which verify
 * reports rather than hides. */
static int keyring_change(cb_store *st, const char *action, const char *target, json_t *detail,
			  cb_error *err)
{
	char *keys = join(st->dir, KEYS_NAME);
	int rc;
	if (!keys)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = begin_tx(st, err)) < 0)
		goto done;
	if ((rc = cb_store_log(st, action, target, detail, err)) < 0 ||
	    (rc = cb_keyring_save(st->kr, keys, err)) < 0) {
		cb_store_rollback(st);
		goto done;
	}
	rc = cb_store_commit(st, err);
done:
	free(keys);
	return rc;
}

static int need_owner(cb_store *st, const char *what, cb_error *err)
{
	if (cb_store_role(st) != CB_ROLE_OWNER)
		return cb_fail(err, CB_EAUTH, "%s: only an owner can %s ('%s' is %s)", st->dir, what,
			       st->user, cb_role_name(cb_store_role(st)));
	return CB_OK;
}

int cb_store_add_user(cb_store *st, const char *name, int role, const char *pass,
		      size_t passlen, cb_error *err)
{
	cb_kdf_params kdfbuf;
	unsigned char pk[32];
	char target[80];
	json_t *detail;
	long i;
	int rc;

	if ((rc = need_owner(st, "add users", err)) < 0)
		return rc;
	if ((rc = cb_keyring_add_user(st->kr, st->keys, name, role, pass, passlen,
				      kdf_from_env(&kdfbuf), err)) < 0)
		return rc;
	i = cb_keyring_find(st->kr, name);
	cb_keyring_user(st->kr, (size_t)i, NULL, NULL, pk, NULL);
	snprintf(target, sizeof target, "user:%s", name);
	if (!(detail = user_detail(name, role, pk)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	rc = keyring_change(st, "user-add", target, detail, err);
	json_decref(detail);
	if (rc < 0) /* the keyring in memory must match the file again */
		cb_keyring_remove_user(st->kr, name, NULL);
	return rc;
}

int cb_store_remove_user(cb_store *st, const char *name, cb_error *err)
{
	cb_keyring *kr = NULL;
	char target[80];
	int rc;

	if ((rc = need_owner(st, "remove users", err)) < 0)
		return rc;
	if (!strcmp(name, st->user))
		return cb_fail(err, CB_EINVAL, "%s: '%s' cannot remove themselves; ask another owner",
			       st->dir, name);
	if (cb_keyring_find(st->kr, name) < 0)
		return cb_fail(err, CB_ENOTFOUND, "%s: no user '%s'", st->dir, name);
	if ((rc = cb_keyring_remove_user(st->kr, name, err)) < 0)
		return rc;
	snprintf(target, sizeof target, "user:%s", name);
	if ((rc = keyring_change(st, "user-remove", target, NULL, err)) < 0) {
		/* Reload what is on disk rather than rebuild the removed user. */
		char *keys = join(st->dir, KEYS_NAME);
		if (keys && cb_keyring_load(&kr, keys, NULL) == CB_OK) {
			cb_keyring_free(st->kr);
			st->kr = kr;
		}
		free(keys);
	}
	return rc;
}

int cb_store_passwd(cb_store *st, const char *pass, size_t passlen, cb_error *err)
{
	cb_kdf_params kdfbuf;
	char target[80];
	int rc;
	if ((rc = cb_keyring_passwd(st->kr, st->keys, pass, passlen, kdf_from_env(&kdfbuf), err)) < 0)
		return rc;
	snprintf(target, sizeof target, "user:%s", st->user);
	return keyring_change(st, "passwd", target, NULL, err);
}

/* ---- verification ------------------------------------------------------ */

/* Signing keys by user name: those the log itself recorded (init,
 * user-add; each entry checked before its key is trusted) win over the
 * key file's, so that entries of removed users still verify. */
typedef struct keymap {
	json_t *logged; /* name -> hex */
	const cb_keyring *kr;
} keymap;

static int key_for(keymap *m, const char *user, unsigned char pk[32])
{
	const char *hex = json_string_value(json_object_get(m->logged, user));
	long i;
	if (hex)
		return sodium_hex2bin(pk, 32, hex, strlen(hex), NULL, NULL, NULL) == 0 ? 0 : -1;
	if ((i = cb_keyring_find(m->kr, user)) < 0)
		return -1;
	return cb_keyring_user(m->kr, (size_t)i, NULL, NULL, pk, NULL) == CB_OK ? 0 : -1;
}

int cb_store_verify_log(cb_store *st, size_t *entries, size_t at, char head_at[65], cb_error *err)
{
	sqlite3_stmt *s;
	cb_log_verifier v;
	keymap m = {json_object(), st->kr};
	int rc = CB_OK, step;

	*entries = 0;
	if (!m.logged)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	cb_log_verifier_init(&v);
	if ((rc = cb_sql_prepare(st, &s, "SELECT " LOG_COLS ", id FROM change_log ORDER BY seq", err)) < 0)
		goto done;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		cb_log_entry e;
		unsigned char pk[32];
		int have;
		if (log_row(&e, s) < 0 || sqlite3_column_int64(s, 8) != (sqlite3_int64)e.seq + 1) {
			rc = cb_fail(err, CB_EINTEGRITY, "change log entry %llu is malformed",
				     (unsigned long long)*entries + 1);
			break;
		}
		have = key_for(&m, e.user, pk) == 0;
		if ((rc = cb_log_verifier_step(&v, &e, have ? pk : NULL, err)) < 0) {
			cb_error_prefix(err, "change log entry %llu (%s by %s)",
					(unsigned long long)v.index + 1, e.action, e.user);
			break;
		}
		if ((!strcmp(e.action, "init") || !strcmp(e.action, "user-add")) && e.detail) {
			json_t *d = json_loads(e.detail, 0, NULL);
			const char *u = json_string_value(json_object_get(d, "user"));
			json_t *k = json_object_get(d, "sign_key");
			if (u && json_is_string(k))
				json_object_set(m.logged, u, k);
			json_decref(d);
		}
		(*entries)++;
		if (head_at && *entries == at)
			hex32(head_at, v.head);
	}
	if (rc == CB_OK && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading the change log");
	sqlite3_finalize(s);
	if (rc < 0)
		goto done;
	memcpy(st->head, v.head, 32);
	/* The key file must not have swapped a user's key behind the log. */
	for (size_t i = 0; i < cb_keyring_count(st->kr); i++) {
		const char *name, *hex;
		unsigned char pk[32];
		char have[65];
		cb_keyring_user(st->kr, i, &name, NULL, pk, NULL);
		hex32(have, pk);
		if ((hex = json_string_value(json_object_get(m.logged, name))) && strcmp(hex, have)) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s/%s: the signing key of '%s' differs from the one the change log recorded",
				     st->dir, KEYS_NAME, name);
			goto done;
		}
		if (!hex) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s/%s: user '%s' is not in the change log (added behind casebook's back?)",
				     st->dir, KEYS_NAME, name);
			goto done;
		}
	}
done:
	json_decref(m.logged);
	return rc;
}

static int hash_matches(const char *hex, const void *data, size_t len)
{
	unsigned char sum[32];
	char h[65];
	crypto_generichash(sum, sizeof sum, data, len, NULL, 0);
	hex32(h, sum);
	return !strcmp(h, hex);
}

int cb_store_verify(cb_store *st, cb_store_check *out, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char *path = join(st->dir, DB_NAME);
	int rc = CB_OK, step;
	size_t at = out->head_at_entries; /* the one input */

	memset(out, 0, sizeof *out);
	out->head_at_entries = at;
	if (!path)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	rc = cb_sealvfs_verify(&out->pages, path, st->vfs, err);
	free(path);
	if (rc < 0)
		return rc;
	if ((rc = cb_sql_prepare(st, &s, "SELECT hash FROM blobs ORDER BY pack, offset", err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(s, 0);
		char *data;
		size_t len;
		if (!hash) {
			rc = cb_fail(err, CB_EINTEGRITY, "%s: an original without a hash", st->dir);
			break;
		}
		if ((rc = cb_store_get_blob(st, &data, &len, hash, err)) < 0)
			break;
		if (!hash_matches(hash, data, len))
			rc = cb_fail(err, CB_EINTEGRITY, "%s: original %.12s... does not match its hash",
				     st->dir, hash);
		free(data);
		if (rc < 0)
			break;
		out->originals++;
	}
	if (rc == CB_OK && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading the originals");
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	/* A document whose original is its own text is checked by its text. */
	if ((rc = cb_sql_prepare(st, &s,
				 "SELECT d.id, d.hash, d.text, b.hash IS NOT NULL FROM documents d"
				 " LEFT JOIN blobs b ON b.hash = d.hash ORDER BY d.id", err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(s, 1);
		if (!sqlite3_column_int(s, 3) &&
		    (!hash || !hash_matches(hash, sqlite3_column_blob(s, 2),
					    (size_t)sqlite3_column_bytes(s, 2)))) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s: document %lld: no original stored and its text does not match its hash",
				     st->dir, (long long)sqlite3_column_int64(s, 0));
			break;
		}
		out->documents++;
	}
	if (rc == CB_OK && step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading the documents");
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	out->head_at[0] = '\0';
	if ((rc = cb_store_verify_log(st, &out->log, out->head_at_entries, out->head_at, err)) < 0)
		return rc;
	if (out->log)
		hex32(out->head, st->head);
	st->head_valid = 0;
	return CB_OK;
}
