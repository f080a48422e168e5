/*
 * test_keyring.c: keys and passphrases. Argon2id runs with the smallest
 * parameters here (the cost is a parameter) so the tests stay fast.
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

#include "protect/keyring.h"

static const cb_kdf_params fast = {1, 8192};
static const cb_kdf_params faster2 = {2, 16384};

#define PW(s) s, strlen(s)

static void test_create_unlock(void **state)
{
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr;
	cb_keys *k0, *k1;
	unsigned char sk[32], sk2[32];

	assert_int_equal(cb_keyring_create(&kr, &k0, "ana", PW("correct horse"), &fast, NULL, &err),
			 CB_OK);
	assert_int_equal(cb_keyring_count(kr), 1);
	assert_int_equal(k0->role, CB_ROLE_OWNER);
	assert_int_equal(cb_keyring_unlock(&k1, kr, "ana", PW("correct horse"), &err), CB_OK);
	assert_memory_equal(k0->data_key, k1->data_key, 32);
	assert_memory_equal(k0->sign_sk, k1->sign_sk, 64);
	cb_keys_subkey(sk, k1, CB_SUBKEY_DB);
	cb_keys_subkey(sk2, k1, CB_SUBKEY_BLOB);
	assert_memory_not_equal(sk, sk2, 32);
	assert_memory_not_equal(sk, k1->data_key, 32);
	cb_keys_free(k1);
	k1 = (cb_keys *)1;
	assert_int_equal(cb_keyring_unlock(&k1, kr, "ana", PW("correct horsf"), &err), CB_EAUTH);
	assert_null(k1);
	assert_non_null(strstr(err.msg, "wrong passphrase"));
	assert_null(strstr(err.msg, "horse"));
	assert_int_equal(cb_keyring_unlock(&k1, kr, "bob", PW("x"), &err), CB_ENOTFOUND);
	cb_keys_free(k0);
	cb_keyring_free(kr);
}

static void test_users_roles_passwd(void **state)
{
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr, *kr2;
	cb_keys *own, *ed, *ed2;
	unsigned char *b;
	size_t n;
	const char *name;
	int role;

	assert_int_equal(cb_keyring_create(&kr, &own, "ana", PW("pw-ana"), &fast, NULL, &err), CB_OK);
	assert_int_equal(cb_keyring_add_user(kr, own, "ed", CB_ROLE_EDITOR, PW("pw-ed"), &fast, &err),
			 CB_OK);
	assert_int_equal(cb_keyring_add_user(kr, own, "vi", CB_ROLE_VIEWER, PW("pw-vi"), &fast, &err),
			 CB_OK);
	assert_int_equal(cb_keyring_add_user(kr, own, "ed", CB_ROLE_VIEWER, PW("x"), &fast, &err),
			 CB_EEXISTS);
	assert_int_equal(cb_keyring_add_user(kr, own, "bad name", 1, PW("x"), &fast, &err), CB_EINVAL);
	assert_int_equal(cb_keyring_add_user(kr, own, "z", 7, PW("x"), &fast, &err), CB_EINVAL);
	assert_int_equal(cb_keyring_add_user(kr, own, "z", 1, "", 0, &fast, &err), CB_EINVAL);
	assert_int_equal(cb_keyring_unlock(&ed, kr, "ed", PW("pw-ed"), &err), CB_OK);
	assert_int_equal(cb_keyring_add_user(kr, ed, "z", 1, PW("x"), &fast, &err), CB_EAUTH);
	assert_memory_equal(ed->data_key, own->data_key, 32);
	assert_memory_not_equal(ed->sign_pk, own->sign_pk, 32);
	assert_int_equal(cb_keyring_user(kr, 1, &name, &role, NULL, NULL), CB_OK);
	assert_string_equal(name, "ed");
	assert_int_equal(role, CB_ROLE_EDITOR);

	/* passwd: new passphrase works, old one does not, data key unchanged,
	 * raised cost recorded. */
	assert_int_equal(cb_keyring_passwd(kr, ed, PW("new-ed"), &faster2, &err), CB_OK);
	assert_int_equal(cb_keyring_serialize(&b, &n, kr, &err), CB_OK);
	assert_int_equal(cb_keyring_parse(&kr2, b, n, &err), CB_OK);
	free(b);
	assert_int_equal(cb_keyring_unlock(&ed2, kr2, "ed", PW("pw-ed"), &err), CB_EAUTH);
	assert_int_equal(cb_keyring_unlock(&ed2, kr2, "ed", PW("new-ed"), &err), CB_OK);
	assert_memory_equal(ed2->data_key, own->data_key, 32);
	assert_memory_equal(ed2->box_sk, ed->box_sk, 32);
	cb_keys_free(ed2);
	assert_int_equal(cb_keyring_unlock(&ed2, kr2, "vi", PW("pw-vi"), &err), CB_OK);
	assert_int_equal(ed2->role, CB_ROLE_VIEWER);
	cb_keys_free(ed2);

	assert_int_equal(cb_keyring_remove_user(kr2, "ana", &err), CB_EINVAL); /* last owner */
	assert_int_equal(cb_keyring_remove_user(kr2, "vi", &err), CB_OK);
	assert_int_equal(cb_keyring_count(kr2), 2);
	assert_int_equal(cb_keyring_find(kr2, "vi"), -1);
	assert_int_equal(cb_keyring_remove_user(kr2, "vi", &err), CB_ENOTFOUND);
	cb_keyring_free(kr2);
	cb_keys_free(ed);
	cb_keys_free(own);
	cb_keyring_free(kr);
}

static void test_recovery(void **state)
{
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr;
	cb_keys *own, *rec;
	unsigned char rk[32], wrong[32];

	assert_int_equal(cb_keyring_create(&kr, &own, "ana", PW("pw"), &fast, rk, &err), CB_OK);
	assert_true(cb_keyring_has_recovery(kr));
	assert_int_equal(cb_keyring_add_user(kr, own, "ed", CB_ROLE_EDITOR, PW("e"), &fast, &err), CB_OK);
	assert_int_equal(cb_keyring_unlock_recovery(&rec, kr, "ed", rk, &err), CB_OK);
	assert_memory_equal(rec->data_key, own->data_key, 32);
	assert_int_equal(cb_keyring_passwd(kr, rec, PW("forgot-no-more"), &fast, &err), CB_OK);
	cb_keys_free(rec);
	assert_int_equal(cb_keyring_unlock(&rec, kr, "ed", PW("forgot-no-more"), &err), CB_OK);
	cb_keys_free(rec);
	memcpy(wrong, rk, 32);
	wrong[5] ^= 1; /* not bit 0: X25519 clamps the low bits away */
	assert_int_equal(cb_keyring_unlock_recovery(&rec, kr, "ed", wrong, &err), CB_EAUTH);
	cb_keys_free(own);
	cb_keyring_free(kr);
}

/* Every truncation and every single-byte change of a key file is either
 * refused by the parser or caught when unlocking; none crashes. */
static void test_parse_hostile(void **state)
{
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr, *p;
	cb_keys *own, *k;
	unsigned char *b, *c;
	size_t n;

	assert_int_equal(cb_keyring_create(&kr, &own, "ana", PW("pw"), &fast, (unsigned char[32]){0}, &err), CB_OK);
	assert_int_equal(cb_keyring_add_user(kr, own, "ed", CB_ROLE_VIEWER, PW("e"), &fast, &err), CB_OK);
	assert_int_equal(cb_keyring_serialize(&b, &n, kr, &err), CB_OK);
	for (size_t cut = 0; cut < n; cut++) {
		p = (cb_keyring *)1;
		assert_int_equal(cb_keyring_parse(&p, b, cut, &err), CB_EFORMAT);
		assert_null(p);
	}
	c = malloc(n + 1);
	memcpy(c, b, n);
	c[n] = 0;
	assert_int_equal(cb_keyring_parse(&p, c, n + 1, &err), CB_EFORMAT);
	assert_non_null(strstr(err.msg, "trailing"));
	/* Flip each byte of ed's record (the last one, before recovery data):
	 * the parser refuses it or unlocking fails; the role cannot be raised. */
	size_t ed_start = n - (1 + 2 + 1 + 1 + 16 + 16 + 64 + 24 + 144 + 144);
	for (size_t i = ed_start; i < n - 144; i++) {
		memcpy(c, b, n);
		c[i] ^= 0x01;
		if (cb_keyring_parse(&p, c, n, &err) != CB_OK)
			continue;
		int rc = cb_keyring_unlock(&k, p, "ed", PW("e"), &err);
		if (rc == CB_OK)
			fail_msg("byte %zu flipped and still unlocked", i);
		cb_keyring_free(p);
	}
	assert_int_equal(cb_keyring_parse(&p, (const unsigned char *)"CBKEYS1\n\0\2\0", 11, &err),
			 CB_EFORMAT);
	assert_non_null(strstr(err.msg, "version"));
	assert_int_equal(cb_keyring_parse(&p, NULL, 0, &err), CB_EFORMAT);
	free(c);
	free(b);
	cb_keys_free(own);
	cb_keyring_free(kr);
}

static void test_save_load_passphrase(void **state)
{
	char dir[] = "/tmp/cb-keyring-XXXXXX", path[128], pf[128];
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr, *kr2;
	cb_keys *k;
	char *pw;
	size_t pwlen;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/keys", dir);
	snprintf(pf, sizeof pf, "%s/pass", dir);
	f = fopen(pf, "w");
	fputs("from a file\nsecond line ignored\n", f);
	fclose(f);
	assert_int_equal(cb_passphrase_read(&pw, &pwlen, pf, NULL, &err), CB_OK);
	assert_string_equal(pw, "from a file");
	assert_int_equal(cb_keyring_create(&kr, NULL, "ana", pw, pwlen, &fast, NULL, &err), CB_OK);
	cb_passphrase_free(pw);
	assert_int_equal(cb_keyring_save(kr, path, &err), CB_OK);
	assert_int_equal(cb_keyring_load(&kr2, path, &err), CB_OK);
	setenv("CASEBOOK_PASSPHRASE", "from a file", 1);
	assert_int_equal(cb_passphrase_read(&pw, &pwlen, NULL, NULL, &err), CB_OK);
	assert_int_equal(cb_keyring_unlock(&k, kr2, "ana", pw, pwlen, &err), CB_OK);
	cb_passphrase_free(pw);
	cb_keys_free(k);
	unsetenv("CASEBOOK_PASSPHRASE");
	f = fopen(pf, "w");
	fputs("\n", f);
	fclose(f);
	assert_int_equal(cb_passphrase_read(&pw, &pwlen, pf, NULL, &err), CB_EINVAL);
	cb_keyring_free(kr2);
	assert_int_equal(cb_keyring_load(&kr2 /* fails: nothing to free */, pf, &err), CB_EFORMAT);
	assert_non_null(strstr(err.msg, pf));
	cb_keyring_free(kr);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_unlock),
		cmocka_unit_test(test_users_roles_passwd),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_save_load_passphrase),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
