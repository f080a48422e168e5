/*
 * test_persons.c: persons and their sealed identities (store/persons.c) -
 * pseudonym format, identities opened by owners and editors and refused to
 * viewers, a holder added later locked out until an owner reseals, bad
 * identity fields named, and names masked whole-word and casefolded.
 * Every name here is made up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store_int.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	setenv("CASEBOOK_KDF", "1:8192", 1);
	unsetenv("CASEBOOK_USER");
	unsetenv("CASEBOOK_PASSPHRASE");
	snprintf(dir, sizeof dir, "/tmp/cb-test-persons-XXXXXX");
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

static cb_store *open_as(const char *user, const char *pass)
{
	cb_store_auth a = {.user = user, .pass = pass, .passlen = strlen(pass)};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	if (cb_store_open_as(&st, dir, &a, &err) != CB_OK)
		fail_msg("open as %s: %s", user, err.msg);
	return st;
}

static void check_masked(cb_store *st, const char *in, const char *want)
{
	cb_error err = CB_ERROR_INIT;
	char *out = NULL;
	assert_int_equal(cb_store_mask_text(st, &out, in, NULL, &err), CB_OK);
	if (strcmp(out, want))
		fail_msg("mask '%s': got '%s', wanted '%s'", in, out, want);
	free(out);
}

static void test_persons(void **state)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_person_new p = {.given_name = "Chol-su", .family_name = "Pyon", .birth_date = "1988",
			   .home_town = "Musan", .contact = "made-up contact"};
	cb_error err = CB_ERROR_INIT;
	cb_store *st;
	json_t *v = NULL;
	char ps[16], ps2[16], want[128], *long_name;
	size_t n, skipped;
	(void)state;

	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_OK);
	st = open_as("ana", "pw-ana");
	assert_int_equal(cb_store_add_person(st, ps, &p, &err), CB_OK);
	assert_true(cb_person_pseudonym_valid(ps));
	assert_int_equal(strlen(ps), 10);
	assert_int_equal(cb_store_add_person(st, ps2, &(cb_person_new){.family_name = "Pyon"}, &err), CB_OK);
	assert_string_not_equal(ps, ps2);
	assert_false(cb_person_pseudonym_valid("P-ABCDEFG1")); /* 1 is not base32 */
	assert_false(cb_person_pseudonym_valid("P-ABCDEFGH2"));

	/* bad fields are named, and nothing is added */
	assert_int_equal(cb_store_add_person(st, ps2, &(cb_person_new){.birth_date = "1988-02-30x"}, &err),
			 CB_EINVAL);
	assert_int_equal(cb_store_add_person(st, ps2, &(cb_person_new){.given_name = "\xff\xfe"}, &err),
			 CB_EFORMAT);
	assert_non_null(strstr(err.msg, "given_name"));
	assert_int_equal(cb_store_add_person(st, ps2, &(cb_person_new){.home_town = "a\nb"}, &err),
			 CB_EFORMAT);
	long_name = malloc(2000);
	memset(long_name, 'a', 1999);
	long_name[1999] = '\0';
	assert_int_equal(cb_store_add_person(st, ps2, &(cb_person_new){.contact = long_name}, &err),
			 CB_ETOOBIG);
	free(long_name);
	assert_int_equal(cb_store_link_person(st, ps, 999, "victim", &err), CB_ENOTFOUND);
	assert_int_equal(cb_store_link_person(st, ps, 1, "boss", &err), CB_EINVAL);

	/* the owner opens the identity */
	assert_int_equal(cb_store_get_person(st, &v, ps, 1, &err), CB_OK);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "identity"), "home_town")),
			    "Musan");
	json_decref(v);
	assert_int_equal(cb_store_list_persons(st, &v, 1, &err), CB_OK);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);

	/* masking: whole words, any case, one mask for a whole name */
	snprintf(want, sizeof want, "Police held [%s] and [%s] in Musan; Pyonyang is not a name.", ps, ps);
	check_masked(st, "Police held Pyon Chol-su and PYON in Musan; Pyonyang is not a name.", want);
	check_masked(st, "", "");
	check_masked(st, "no names here", "no names here");
	snprintf(want, sizeof want, "[%s], [%s].", ps, ps);
	check_masked(st, "chol, SU.", want);

	assert_int_equal(cb_store_add_user(st, "vic", CB_ROLE_VIEWER, "pw-vic", 6, &err), CB_OK);
	assert_int_equal(cb_store_add_user(st, "eve", CB_ROLE_EDITOR, "pw-eve", 6, &err), CB_OK);
	cb_store_close(st);

	/* a viewer: pseudonyms yes, identities no, and masks like anyone */
	st = open_as("vic", "pw-vic");
	assert_false(cb_store_is_holder(st));
	assert_int_equal(cb_store_list_persons(st, &v, 0, &err), CB_OK);
	assert_int_equal(json_array_size(v), 2);
	assert_null(json_object_get(json_array_get(v, 0), "identity"));
	json_decref(v);
	assert_int_equal(cb_store_list_persons(st, &v, 1, &err), CB_EAUTH);
	assert_int_equal(cb_store_get_person(st, &v, ps, 1, &err), CB_EAUTH);
	assert_int_equal(cb_store_add_person(st, ps2, &p, &err), CB_EAUTH);
	assert_int_equal(cb_store_reseal_persons(st, &n, &skipped, &err), CB_EAUTH);
	snprintf(want, sizeof want, "[%s] fled.", ps);
	check_masked(st, "Pyon Chol-su fled.", want);
	{	/* even with the viewer's own keys, the sealed blob does not open */
		sqlite3_stmt *s;
		unsigned char *plain = NULL;
		size_t plen;
		assert_int_equal(cb_sql_prepare(st, &s, "SELECT sealed FROM person_identities LIMIT 1", &err),
				 CB_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(cb_field_open(&plain, &plen, sqlite3_column_blob(s, 0),
					       (size_t)sqlite3_column_bytes(s, 0), st->keys->box_pk,
					       st->keys->box_sk, &err), CB_EAUTH);
		sqlite3_finalize(s);
	}
	cb_store_close(st);

	/* an editor added after the seal: locked out until an owner reseals */
	st = open_as("eve", "pw-eve");
	assert_true(cb_store_is_holder(st));
	assert_int_equal(cb_store_get_person(st, &v, ps, 1, &err), CB_EAUTH);
	assert_non_null(strstr(err.msg, "reseal"));
	assert_int_equal(cb_store_list_persons(st, &v, 1, &err), CB_OK);
	assert_true(json_is_null(json_object_get(json_array_get(v, 0), "identity")));
	json_decref(v);
	cb_store_close(st);
	st = open_as("ana", "pw-ana");
	assert_int_equal(cb_store_reseal_persons(st, &n, &skipped, &err), CB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(skipped, 0);
	cb_store_close(st);
	st = open_as("eve", "pw-eve");
	assert_int_equal(cb_store_get_person(st, &v, ps, 1, &err), CB_OK);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "identity"), "given_name")),
			    "Chol-su");
	json_decref(v);
	cb_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_persons, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
