/*
 * test_sealvfs_pagesize.c: cb_sealvfs_open_sized - a new sealed database
 * gets the page size asked for (sealed pages, 40 reserved bytes, the
 * secret nowhere in the file, a flipped byte named by its page); an
 * existing database keeps its own page size whatever is asked; a bad size
 * is refused before anything is created.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "protect/sealvfs.h"

#define SECRET "Fictional-witness-name-Onsong"

static unsigned char key[32];
static char dir[64], dbpath[128];

static int setup(void **state)
{
	cb_error err = CB_ERROR_INIT;
	(void)state;
	strcpy(dir, "/tmp/cb-sealvfs-ps-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	memset(key, 0x33, sizeof key);
	if (!sqlite3_vfs_find("sealps"))
		assert_int_equal(cb_sealvfs_register("sealps", key, &err), CB_OK);
	return 0;
}

static int teardown(void **state)
{
	cb_error err = CB_ERROR_INIT;
	char cmd[160];
	(void)state;
	cb_sealvfs_unregister("sealps", &err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static sqlite3 *open_sized(unsigned size)
{
	cb_error err = CB_ERROR_INIT;
	sqlite3 *db = NULL;
	if (cb_sealvfs_open_sized(&db, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "sealps", size,
				  &err) != CB_OK)
		fail_msg("open: %s", err.msg);
	return db;
}

static void fill(sqlite3 *db)
{
	exec(db, "PRAGMA journal_mode=WAL");
	exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, pad BLOB)");
	exec(db, "BEGIN");
	for (int i = 0; i < 300; i++)
		exec(db, "INSERT INTO t(name, pad) VALUES ('" SECRET "', zeroblob(3000))");
	exec(db, "COMMIT");
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

static long file_size(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), got;
	char *buf;
	int found = 0;
	long size = file_size(path);
	assert_non_null(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	got = fread(buf, 1, (size_t)size, f);
	fclose(f);
	for (size_t i = 0; i + n <= got && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

static void flip(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	int c;
	assert_non_null(f);
	fseek(f, off, SEEK_SET);
	c = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(c ^ 0x40, f);
	fclose(f);
}

static void test_new_database_gets_the_size(void **state)
{
	cb_error err = CB_ERROR_INIT;
	sqlite3 *db = open_sized(16384);
	size_t pages = 0;
	char want[64];
	(void)state;

	fill(db);
	assert_int_equal(one(db, "PRAGMA page_size"), 16384);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE name = '" SECRET "'"), 300);
	sqlite3_close(db);
	assert_int_equal(file_size(dbpath) % 16384, 0);
	assert_false(file_has(dbpath, SECRET));
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "sealps", &err), CB_OK);
	assert_int_equal((long)pages, file_size(dbpath) / 16384);

	/* Reopened without asking: the size is read from the file. */
	assert_int_equal(cb_sealvfs_open(&db, dbpath, SQLITE_OPEN_READWRITE, "sealps", &err), CB_OK);
	assert_int_equal(one(db, "PRAGMA page_size"), 16384);
	assert_int_equal(one(db, "SELECT count(*) FROM t"), 300);
	sqlite3_close(db);

	/* A flipped byte in the third 16 KiB page is named as page 3. */
	flip(dbpath, 2 * 16384 + 5000);
	assert_int_equal(cb_sealvfs_verify(&pages, dbpath, "sealps", &err), CB_EINTEGRITY);
	snprintf(want, sizeof want, "page %d ", 3);
	assert_non_null(strstr(err.msg, want));
}

static void test_existing_database_keeps_its_size(void **state)
{
	sqlite3 *db = open_sized(0); /* SQLite's default */
	(void)state;

	fill(db);
	assert_int_equal(one(db, "PRAGMA page_size"), 4096);
	sqlite3_close(db);
	db = open_sized(16384);
	assert_int_equal(one(db, "PRAGMA page_size"), 4096);
	assert_int_equal(one(db, "SELECT count(*) FROM t"), 300);
	exec(db, "INSERT INTO t(name) VALUES ('more')");
	sqlite3_close(db);
	assert_int_equal(file_size(dbpath) % 4096, 0);
}

static void test_bad_size_refused(void **state)
{
	cb_error err = CB_ERROR_INIT;
	sqlite3 *db = NULL;
	unsigned bad[] = {1000, 256, 131072, 3};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cb_error_clear(&err);
		assert_int_equal(cb_sealvfs_open_sized(&db, dbpath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
						       "sealps", bad[i], &err),
				 CB_EINVAL);
		assert_null(db);
		assert_non_null(strstr(err.msg, "page size"));
	}
	assert_int_equal(file_size(dbpath), -1); /* nothing created */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_database_gets_the_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existing_database_keeps_its_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_size_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
