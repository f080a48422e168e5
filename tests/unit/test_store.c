/*
 * test_store.c: the store with its protection layer - create and open as a
 * user, wrong passphrase and unknown user refused before anything is
 * written, viewers refused writes, sealed originals read back (and a
 * damaged one named), the signed change log verified and a forged entry
 * caught. Argon2id runs at its smallest cost ($CASEBOOK_KDF).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "store/store_int.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	setenv("CASEBOOK_KDF", "1:8192", 1);
	unsetenv("CASEBOOK_USER");
	unsetenv("CASEBOOK_PASSPHRASE");
	snprintf(dir, sizeof dir, "/tmp/cb-test-store-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	strcat(dir, "/s");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dir) - 2), dir);
	return system(cmd) == 0 ? 0 : -1;
}

static cb_store *open_as(const char *user, const char *pass, int want)
{
	cb_store_auth a = {.user = user, .pass = pass, .passlen = strlen(pass)};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	int rc = cb_store_open_as(&st, dir, &a, &err);
	if (rc != want)
		fail_msg("open as %s: got %d (%s), wanted %d", user ? user : "(default)", rc, err.msg, want);
	return st;
}

static void hash_hex(char out[65], const char *data, size_t n)
{
	unsigned char h[32];
	crypto_generichash(h, 32, (const unsigned char *)data, n, NULL, 0);
	sodium_bin2hex(out, 65, h, 32);
}

static void test_store_protected(void **state)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_error err = CB_ERROR_INIT;
	cb_store_check chk;
	cb_store *st;
	const char *orig = "fictional original, kept sealed";
	char h[65], *back = NULL, path[128];
	size_t n;
	(void)state;

	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_OK);
	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_EEXISTS);

	/* Wrong passphrase, unknown user: CB_EAUTH. */
	assert_null(open_as("ana", "nope", CB_EAUTH));
	assert_null(open_as("bob", "pw-ana", CB_EAUTH));

	/* The default user is the first owner. */
	st = open_as(NULL, "pw-ana", CB_OK);
	assert_non_null(st);
	assert_string_equal(cb_store_user(st), "ana");
	assert_int_equal(cb_store_role(st), CB_ROLE_OWNER);
	assert_int_equal(cb_store_add_user(st, "vic", CB_ROLE_VIEWER, "pw-vic", 6, &err), CB_OK);
	assert_int_equal(cb_store_add_user(st, "vic", CB_ROLE_VIEWER, "pw-vic", 6, &err), CB_EEXISTS);

	/* An original in, and back out. */
	hash_hex(h, orig, strlen(orig));
	assert_int_equal(cb_store_begin(st, &err), CB_OK);
	assert_int_equal(cb_store_put_blob(st, h, orig, strlen(orig), &err), CB_OK);
	assert_int_equal(cb_store_log(st, "test", "blob", NULL, &err), CB_OK);
	assert_int_equal(cb_store_commit(st, &err), CB_OK);
	assert_int_equal(cb_store_get_blob(st, &back, &n, h, &err), CB_OK);
	assert_int_equal(n, strlen(orig));
	assert_memory_equal(back, orig, n);
	free(back);
	assert_int_equal(cb_store_verify(st, &chk, &err), CB_OK);
	assert_int_equal(chk.originals, 1);
	assert_int_equal(chk.log, 3); /* init, user-add, test */
	assert_true(chk.pages > 0);
	cb_store_close(st);

	/* A viewer reads but cannot begin a change. */
	st = open_as("vic", "pw-vic", CB_OK);
	assert_non_null(st);
	assert_int_equal(cb_store_begin(st, &err), CB_EAUTH);
	assert_non_null(strstr(err.msg, "viewer"));
	assert_int_equal(cb_store_add_user(st, "x", CB_ROLE_OWNER, "pw", 2, &err), CB_EAUTH);
	assert_int_equal(cb_store_verify(st, &chk, &err), CB_OK);
	cb_store_close(st);

	/* passwd: the old passphrase stops working. */
	st = open_as("vic", "pw-vic", CB_OK);
	assert_int_equal(cb_store_passwd(st, "new-vic", 7, &err), CB_OK);
	cb_store_close(st);
	assert_null(open_as("vic", "pw-vic", CB_EAUTH));
	st = open_as("vic", "new-vic", CB_OK);
	assert_non_null(st);
	cb_store_close(st);

	/* A forged log entry (the key, but not ana's signing key). */
	st = open_as("ana", "pw-ana", CB_OK);
	assert_int_equal(sqlite3_exec(st->db,
				      "DROP TRIGGER change_log_no_update;"
				      "UPDATE change_log SET target = 'other' WHERE seq = 2",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_store_verify(st, &chk, &err), CB_EINTEGRITY);
	assert_non_null(strstr(err.msg, "change log entry 3"));
	cb_store_close(st);

	/* A flipped byte in the pack: named by file and record. */
	snprintf(path, sizeof path, "%s/blobs/pack-000001", dir);
	{
		FILE *f = fopen(path, "r+b");
		int c;
		assert_non_null(f);
		fseek(f, 40, SEEK_SET);
		c = fgetc(f);
		fseek(f, 40, SEEK_SET);
		fputc(c ^ 0x20, f);
		fclose(f);
	}
	st = open_as("ana", "pw-ana", CB_OK);
	assert_int_equal(cb_store_get_blob(st, &back, &n, h, &err), CB_EINTEGRITY);
	assert_non_null(strstr(err.msg, "pack-000001"));
	assert_non_null(strstr(err.msg, "offset 0"));
	cb_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_protected, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
