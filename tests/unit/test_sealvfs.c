/*
 * test_sealvfs.c: the page-sealing SQLite VFS. Each test works in its own
 * temporary folder: it writes a database through the VFS, then attacks the
 * files on disk (wrong key, flipped byte, swapped pages, crash without
 * checkpoint) and checks that casebook gets a clean, named error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "protect/sealvfs.h"

#define SECRET "Pyongyang-secret-witness-name"

static unsigned char key1[32], key2[32];
static char dir[64], dbpath[128];

static int setup(void **state)
{
	cb_error err = CB_ERROR_INIT;
	strcpy(dir, "/tmp/cb-sealvfs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	memset(key1, 0x11, 32);
	memset(key2, 0x22, 32);
	/* A failed test may leave a connection (and so its VFS) behind. */
	if (!sqlite3_vfs_find("seal1"))
		assert_int_equal(cb_sealvfs_register("seal1", key1, &err), CB_OK);
	if (!sqlite3_vfs_find("seal2"))
		assert_int_equal(cb_sealvfs_register("seal2", key2, &err), CB_OK);
	return 0;
}

static int teardown(void **state)
{
	cb_error err = CB_ERROR_INIT;
	char cmd[160];
	cb_sealvfs_unregister("seal1", &err);
	cb_sealvfs_unregister("seal2", &err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static sqlite3 *open_ok(const char *vfs)
{
	cb_error err = CB_ERROR_INIT;
	sqlite3 *db = NULL;
	int rc = cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs, &err);
	if (rc != CB_OK)
		fail_msg("open: %s", err.msg);
	return db;
}

/* Fills a database: rows with the secret and long values (overflow pages). */
static void fill(sqlite3 *db, int wal, int rows)
{
	char sql[256];
	exec(db, wal ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE");
	exec(db, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, pad BLOB)");
	exec(db, "BEGIN");
	for (int i = 0; i < rows; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO t(name, pad) VALUES ('%s %d', zeroblob(%d))", SECRET, i,
			 (i % 7) * 900);
		exec(db, sql);
	}
	exec(db, "COMMIT");
}

static int64_t count_rows(sqlite3 *db)
{
	sqlite3_stmt *s;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE name LIKE '%secret%'",
					    -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Does the file at path contain needle anywhere? */
static int file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len;
	char *buf;
	int found = 0;
	if (!f)
		return 0;
	buf = malloc(64 << 20);
	len = fread(buf, 1, 64 << 20, f);
	fclose(f);
	for (size_t i = 0; i + n <= len && !found; i++)
		found = !memcmp(buf + i, needle, n);
	free(buf);
	return found;
}

static void patch(const char *path, long off, const void *data, size_t n)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void flip(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	int c;
	assert_non_null(f);
	fseek(f, off, SEEK_SET);
	c = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(c ^ 0x01, f);
	fclose(f);
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Runs a full scan; returns the cb code cb_sealvfs_explain gives. */
static int scan(const char *vfs, cb_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, vfs, err);
	if (rc < 0)
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT sum(length(name) + length(pad)) FROM t", -1, &s, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = cb_sealvfs_explain(db, err);
	if (rc == CB_OK) {
		sqlite3_finalize(s);
		s = NULL;
		if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW)
			rc = cb_sealvfs_explain(db, err);
		else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") &&
			 (rc = cb_sealvfs_explain(db, err)) == CB_OK)
			rc = cb_fail(err, CB_EINTEGRITY, "integrity_check: %s", sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

static void test_roundtrip_rollback_journal(void **state)
{
	sqlite3 *db = open_ok("seal1");
	cb_error err = CB_ERROR_INIT;
	size_t pages;

	fill(db, 0, 200);
	/* A rolled-back transaction exercises journal write and read-back. */
	exec(db, "BEGIN; UPDATE t SET name = 'x'; DELETE FROM t WHERE id > 10; ROLLBACK");
	assert_int_equal(count_rows(db), 200);
	sqlite3_close(db);
	db = open_ok("seal1");
	assert_int_equal(count_rows(db), 200);
	sqlite3_close(db);
	assert_false(file_contains(dbpath, SECRET));
	assert_false(file_contains(dbpath, "CREATE TABLE"));
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_OK);
	assert_true(pages > 10);
}

static void test_wal_and_crash(void **state)
{
	char wal[160];
	pid_t pid;
	int status;
	cb_error err = CB_ERROR_INIT;
	size_t pages;

	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	/* A child writes in WAL mode and dies without checkpoint or close. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db = NULL;
		if (cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "seal1",
				    NULL) < 0)
			_exit(2);
		sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
		fill(db, 1, 300);
		exec(db, "BEGIN; UPDATE t SET name = name || ' again' WHERE id % 3 = 0; COMMIT");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(file_size(wal) > 4096);
	assert_false(file_contains(wal, SECRET));
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_OK);

	sqlite3 *db = open_ok("seal1");
	assert_int_equal(count_rows(db), 300);
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	/* Another transaction after checkpoint reuses the WAL. */
	exec(db, "INSERT INTO t(name) VALUES ('" SECRET " late')");
	sqlite3_close(db);
	db = open_ok("seal1");
	assert_int_equal(count_rows(db), 301);
	sqlite3_close(db);
	assert_false(file_contains(dbpath, SECRET));
	assert_int_equal(scan("seal1", &err), CB_OK);
}

static void test_hot_journal(void **state)
{
	char jrnl[160];
	pid_t pid;
	int status;

	snprintf(jrnl, sizeof jrnl, "%s-journal", dbpath);
	sqlite3 *db = open_ok("seal1");
	fill(db, 0, 300);
	sqlite3_close(db);
	/* A child changes everything with a tiny cache (so dirty pages reach
	 * the database before commit) and dies mid-transaction. */
	pid = fork();
	if (pid == 0) {
		sqlite3 *c = NULL;
		if (cb_sealvfs_open(&c, dbpath, SQLITE_OPEN_READWRITE, "seal1", NULL) < 0)
			_exit(2);
		sqlite3_exec(c, "PRAGMA cache_size=2; BEGIN; UPDATE t SET name = 'gone', pad = zeroblob(3000)",
			     NULL, NULL, NULL);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(file_size(jrnl) > 4096);
	assert_false(file_contains(jrnl, SECRET));
	db = open_ok("seal1");
	assert_int_equal(count_rows(db), 300);
	sqlite3_close(db);
	cb_error err = CB_ERROR_INIT;
	assert_int_equal(scan("seal1", &err), CB_OK);
}

static void test_wrong_key(void **state)
{
	sqlite3 *db = open_ok("seal1");
	cb_error err = CB_ERROR_INIT;
	size_t pages;

	fill(db, 0, 50);
	sqlite3_close(db);
	db = NULL;
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "seal2", &err), CB_EAUTH);
	assert_null(db);
	assert_non_null(strstr(err.msg, "t.db"));
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal2", &err), CB_EAUTH);
	/* The right key still opens it: a failed attempt changed nothing. */
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "seal1", &err), CB_OK);
	sqlite3_close(db);
}

static void test_wrong_key_with_wal(void **state)
{
	sqlite3 *db = open_ok("seal1"), *db2 = NULL;
	cb_error err = CB_ERROR_INIT;

	exec(db, "PRAGMA wal_autocheckpoint=0");
	fill(db, 1, 100);
	/* Keep db open so the WAL stays; a second connection with the other key. */
	assert_int_equal(cb_sealvfs_open(&db2, dbpath, SQLITE_OPEN_READWRITE, "seal2", &err), CB_EAUTH);
	sqlite3_close(db);
}

static void test_plain_db_refused(void **state)
{
	sqlite3 *db = NULL;
	cb_error err = CB_ERROR_INIT;
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES ('" SECRET "')");
	sqlite3_close(db);
	db = NULL;
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "seal1", &err), CB_EAUTH);
}

static void test_flip_byte_everywhere(void **state)
{
	sqlite3 *db = open_ok("seal1");
	cb_error err = CB_ERROR_INIT;
	long size;
	size_t pages;
	char cmd[300], copy[160];

	fill(db, 0, 120);
	sqlite3_close(db);
	size = file_size(dbpath);
	assert_true(size >= 4096 * 4);
	snprintf(copy, sizeof copy, "%s.orig", dbpath);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", dbpath, copy);
	assert_int_equal(system(cmd), 0);
	/* One byte in each page and in page 1's plaintext prefix and tag. */
	long offs[] = {3, 17, 20, 50, 4096 - 1, 4096 - 30, 4096 + 7, 2 * 4096 + 100,
		       size - 1, size - 41, size - 4096};
	for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", copy, dbpath);
		assert_int_equal(system(cmd), 0);
		flip(dbpath, offs[i]);
		int rc = cb_sealvfs_verify(&pages, dbpath, "seal1", &err);
		assert_true(rc == CB_EINTEGRITY || rc == CB_EAUTH);
		if (offs[i] >= 4096) {
			char want[64];
			snprintf(want, sizeof want, "page %ld ", offs[i] / 4096 + 1);
			assert_int_equal(rc, CB_EINTEGRITY);
			assert_non_null(strstr(err.msg, want));
		}
		/* Through SQLite: an error, never garbage or a crash. */
		rc = scan("seal1", &err);
		if (offs[i] < 4096)
			assert_true(rc == CB_EINTEGRITY || rc == CB_EAUTH || rc == CB_ESTORE);
		else {
			if (rc != CB_EINTEGRITY || !strstr(err.msg, "t.db: page"))
				fail_msg("offset %ld: %d %s", offs[i], rc, err.msg);
		}
	}
}

static void test_swap_pages(void **state)
{
	sqlite3 *db = open_ok("seal1");
	cb_error err = CB_ERROR_INIT;
	unsigned char a[4096], b[4096];
	size_t pages;
	FILE *f;

	fill(db, 0, 120);
	sqlite3_close(db);
	f = fopen(dbpath, "rb");
	fseek(f, 2 * 4096, SEEK_SET);
	assert_int_equal(fread(a, 1, 4096, f), 4096);
	fseek(f, 3 * 4096, SEEK_SET);
	assert_int_equal(fread(b, 1, 4096, f), 4096);
	fclose(f);
	patch(dbpath, 2 * 4096, b, 4096);
	patch(dbpath, 3 * 4096, a, 4096);
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_EINTEGRITY);
	assert_non_null(strstr(err.msg, "page 3 "));
	assert_int_equal(scan("seal1", &err), CB_EINTEGRITY);
}

static void test_zeroed_page(void **state)
{
	sqlite3 *db = open_ok("seal1");
	cb_error err = CB_ERROR_INIT;
	unsigned char z[4096] = {0};

	fill(db, 0, 120);
	sqlite3_close(db);
	patch(dbpath, 4 * 4096, z, sizeof z);
	assert_int_equal(scan("seal1", &err), CB_EINTEGRITY);
	/* A truncated file: the page count in the header no longer matches. */
	assert_int_equal(truncate(dbpath, file_size(dbpath) - 100), 0);
	size_t pages;
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_EINTEGRITY);
}

static void test_wal_tamper(void **state)
{
	char wal[160];
	sqlite3 *db;
	pid_t pid;
	int status;
	cb_error err = CB_ERROR_INIT;
	size_t pages;

	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	pid = fork();
	if (pid == 0) {
		sqlite3 *c = NULL;
		if (cb_sealvfs_open(&c, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "seal1",
				    NULL) < 0)
			_exit(2);
		sqlite3_exec(c, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
		fill(c, 1, 200);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	/* A byte of the image of frame 2 (not the tail). */
	flip(wal, 32 + (4096 + 24) + 24 + 500);
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_EINTEGRITY);
	assert_non_null(strstr(err.msg, "t.db-wal: frame 2"));
	db = NULL;
	int rc = cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "seal1", &err);
	if (rc == CB_OK) {
		rc = count_rows(db) == 200 ? CB_OK : cb_sealvfs_explain(db, &err);
		sqlite3_close(db);
	}
	assert_int_equal(rc, CB_EINTEGRITY);
	assert_non_null(strstr(err.msg, "t.db-wal: frame 2"));
}

static void test_torn_wal_tail(void **state)
{
	char wal[160];
	pid_t pid;
	int status;
	long size;
	cb_error err = CB_ERROR_INIT;
	size_t pages;

	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	pid = fork();
	if (pid == 0) {
		sqlite3 *c = NULL;
		if (cb_sealvfs_open(&c, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "seal1",
				    NULL) < 0)
			_exit(2);
		sqlite3_exec(c, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
		fill(c, 1, 100);
		exec(c, "INSERT INTO t(name) VALUES ('" SECRET " last')");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Damage the image of the very last frame, as a crash between frame
	 * header and image would: the last transaction is lost, nothing else. */
	size = file_size(wal);
	flip(wal, size - 100);
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "seal1", &err), CB_OK);
	sqlite3 *db = open_ok("seal1");
	assert_int_equal(count_rows(db), 100);
	sqlite3_close(db);
}

static void test_temp_files(void **state)
{
	sqlite3 *db = open_ok("seal1");
	exec(db, "PRAGMA temp_store=FILE");
	exec(db, "PRAGMA cache_size=10");
	fill(db, 1, 400);
	/* A temp table and a big sort spill into temporary files. */
	exec(db, "CREATE TEMP TABLE tt AS SELECT * FROM t");
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT count(DISTINCT name || randomblob(100)) FROM (SELECT name FROM tt UNION ALL "
		"SELECT name FROM tt UNION ALL SELECT name FROM tt) ORDER BY 1", -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1200);
	sqlite3_finalize(s);
	assert_int_equal(count_rows(db), 400);
	sqlite3_close(db);
}

static void test_api_errors(void **state)
{
	cb_error err = CB_ERROR_INIT;
	sqlite3 *db = NULL;
	assert_int_equal(cb_sealvfs_register("seal1", key1, &err), CB_EEXISTS);
	assert_int_equal(cb_sealvfs_register("", key1, &err), CB_EINVAL);
	assert_int_equal(cb_sealvfs_unregister("unix", &err), CB_ENOTFOUND);
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "nope", &err), CB_EINVAL);
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "seal1", &err),
			 CB_ESTORE); /* missing, no CREATE */
	db = open_ok("seal1");
	assert_int_equal(cb_sealvfs_unregister("seal1", &err), CB_EINVAL); /* still open */
	sqlite3_close(db);
	/* A plain (unsealed) page 1 write is refused, never written. */
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, "seal1"), SQLITE_OK);
	sqlite3_close(db);
	char other[160];
	snprintf(other, sizeof other, "%s/plain.db", dir);
	assert_int_equal(sqlite3_open_v2(other, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 "seal1"), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "CREATE TABLE x(" SECRET "y)", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
	assert_false(file_contains(other, SECRET));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_rollback_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_and_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hot_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_with_wal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_db_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flip_byte_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swap_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zeroed_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_wal_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temp_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
