/*
 * test_logchain.c: the signed, hash-chained change log and protected
 * fields. A chain of entries by two users is built, then altered in each
 * way an insider could (edit, drop, insert, reorder, re-sign as another
 * user), and verification must name the first broken entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "protect/logchain.h"

static unsigned char pk_a[32], sk_a[64], pk_b[32], sk_b[64];

static int keys(void *ctx, const char *user, unsigned char pk[32])
{
	if (!strcmp(user, "ana"))
		memcpy(pk, pk_a, 32);
	else if (!strcmp(user, "bob"))
		memcpy(pk, pk_b, 32);
	else
		return -1;
	return 0;
}

#define N 6
static cb_log_entry chain[N];
static char details[N][64];

static void build(void)
{
	static const char *actions[N] = {"init", "ingest", "extract", "review", "edit", "export"};
	unsigned char prev[32];
	cb_error err = CB_ERROR_INIT;
	for (int i = 0; i < N; i++) {
		cb_log_entry *e = &chain[i];
		memset(e, 0, sizeof *e);
		snprintf(details[i], sizeof details[i], "{\"n\":%d}", i);
		e->seq = (uint64_t)i;
		e->time = 1700000000 + i;
		e->user = i % 2 ? "bob" : "ana";
		e->action = actions[i];
		e->target = i ? "document:1" : NULL;
		e->detail = details[i];
		assert_int_equal(cb_log_sign(e, i ? prev : NULL, i % 2 ? sk_b : sk_a, &err), CB_OK);
		assert_int_equal(cb_log_hash(prev, e, &err), CB_OK);
	}
}

static void expect_break(const cb_log_entry *c, size_t n, size_t at, const char *why)
{
	size_t bad = 99;
	cb_error err = CB_ERROR_INIT;
	if (cb_log_verify_chain(&bad, c, n, keys, NULL, &err) != CB_EINTEGRITY)
		fail_msg("no break found, want %zu %s", at, why);
	if (bad != at || !strstr(err.msg, why))
		fail_msg("break at %zu '%s', want %zu '%s'", bad, err.msg, at, why);
}

static void test_chain_ok_and_breaks(void **state)
{
	cb_log_entry c[N + 1];
	size_t bad;
	cb_error err = CB_ERROR_INIT;

	build();
	assert_int_equal(cb_log_verify_chain(&bad, chain, N, keys, NULL, &err), CB_OK);
	assert_int_equal(bad, N);

	memcpy(c, chain, sizeof chain);
	c[3].detail = "{\"n\":33}"; /* edited behind casebook's back */
	expect_break(c, N, 3, "bad signature");

	memcpy(c, chain, sizeof chain);
	c[2].time++;
	expect_break(c, N, 2, "bad signature");

	memcpy(c, chain, sizeof chain);
	c[4].user = "bob"; /* ana's entry claimed by another author */
	expect_break(c, N, 4, "bad signature");

	memcpy(c, chain, sizeof chain);
	c[1].user = "mallory";
	expect_break(c, N, 1, "unknown user");

	/* Entry 2 dropped. */
	memcpy(c, chain, 2 * sizeof *c);
	memcpy(c + 2, chain + 3, 3 * sizeof *c);
	expect_break(c, N - 1, 2, "sequence");

	/* Entries 2 and 3 swapped. */
	memcpy(c, chain, sizeof chain);
	c[2] = chain[3];
	c[3] = chain[2];
	expect_break(c, N, 2, "sequence");

	/* A re-signed replacement for entry 3 by a key holder: its own
	 * signature is good, but entry 4 no longer follows it. */
	memcpy(c, chain, sizeof chain);
	c[3].detail = "{\"n\":\"forged\"}";
	unsigned char prev[32];
	assert_int_equal(cb_log_hash(prev, &chain[2], &err), CB_OK);
	assert_int_equal(cb_log_sign(&c[3], prev, sk_b, &err), CB_OK);
	expect_break(c, N, 4, "hash chain");

	/* A forged prev hash with the right sequence number. */
	memcpy(c, chain, sizeof chain);
	c[5].prev[0] ^= 1;
	expect_break(c, N, 5, "hash chain");

	/* Canonical bytes are unambiguous: moving text between fields changes them. */
	cb_log_entry x = chain[1], y = chain[1];
	unsigned char *cx, *cy;
	size_t nx, ny;
	x.action = "ab";
	x.target = "c";
	y.action = "a";
	y.target = "bc";
	assert_int_equal(cb_log_canonical(&cx, &nx, &x, &err), CB_OK);
	assert_int_equal(cb_log_canonical(&cy, &ny, &y, &err), CB_OK);
	assert_true(nx != ny || memcmp(cx, cy, nx));
	free(cx);
	free(cy);
	x.user = NULL;
	assert_int_equal(cb_log_canonical(&cx, &nx, &x, &err), CB_EINVAL);
}

static void test_fields(void **state)
{
	unsigned char apk[32], ask[32], bpk[32], bsk[32], cpk[32], csk[32];
	unsigned char holders[2][32], *sealed, *plain;
	size_t slen, plen;
	cb_error err = CB_ERROR_INIT;
	const char *name = "Kim (fictional witness), born 1990, from Hyesan";

	crypto_box_keypair(apk, ask);
	crypto_box_keypair(bpk, bsk);
	crypto_box_keypair(cpk, csk);
	memcpy(holders[0], apk, 32);
	memcpy(holders[1], bpk, 32);
	assert_int_equal(cb_field_seal(&sealed, &slen, name, strlen(name),
				       (const unsigned char (*)[32])holders, 2, &err), CB_OK);
	for (size_t i = 0; i + 5 <= slen; i++)
		assert_false(!memcmp(sealed + i, "Hyesan", 5));
	assert_int_equal(cb_field_open(&plain, &plen, sealed, slen, bpk, bsk, &err), CB_OK);
	assert_int_equal(plen, strlen(name));
	assert_string_equal((char *)plain, name);
	free(plain);
	/* A viewer's key is not a holder. */
	assert_int_equal(cb_field_open(&plain, &plen, sealed, slen, cpk, csk, &err), CB_EAUTH);
	assert_null(plain);
	/* Any flipped byte fails; truncations fail; none crashes. */
	for (size_t i = 0; i < slen; i++) {
		sealed[i] ^= 0x20;
		int rc = cb_field_open(&plain, &plen, sealed, slen, apk, ask, &err);
		assert_true(rc == CB_EFORMAT || rc == CB_EAUTH || rc == CB_EINTEGRITY);
		sealed[i] ^= 0x20;
	}
	for (size_t cut = 0; cut < slen; cut++)
		assert_int_not_equal(cb_field_open(&plain, &plen, sealed, cut, apk, ask, &err), CB_OK);
	/* The holder's own key swapped in for another's fails too. */
	memcpy(sealed + 7, cpk, 32);
	assert_int_not_equal(cb_field_open(&plain, &plen, sealed, slen, cpk, csk, &err), CB_OK);
	free(sealed);
	assert_int_equal(cb_field_seal(&sealed, &slen, "x", 1, NULL, 0, &err), CB_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_ok_and_breaks),
		cmocka_unit_test(test_fields),
	};
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk_a, sk_a);
	crypto_sign_keypair(pk_b, sk_b);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
