/*
 * keyring.c: see keyring.h. The secrets of a user travel as one 128-byte
 * block, data key | Ed25519 secret key | X25519 secret key, wrapped with
 * XChaCha20-Poly1305 under Argon2id(passphrase). Secret blocks and derived
 * keys live only in sodium_malloc'd memory and are wiped on every path.
 */
#include "keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util/fileio.h"

#define MAGIC "CBKEYS1\n"
#define VERSION 1
#define ALG_ARGON2ID 2
#define SECRET_LEN 128 /* data key 32 | sign sk 64 | box sk 32 */
#define WRAPPED_LEN (SECRET_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define REC_USER_LEN (96 + crypto_box_SEALBYTES)
#define REC_DATA_LEN (32 + crypto_box_SEALBYTES)
#define MAX_USERS 1000
#define MAX_KEYFILE (1u << 20)

typedef struct kr_user {
	char name[65];
	int role;
	uint64_t ops, mem;
	unsigned char salt[crypto_pwhash_SALTBYTES];
	unsigned char sign_pk[32], box_pk[32];
	unsigned char nonce[24];
	unsigned char wrapped[WRAPPED_LEN];
	unsigned char rec_sealed[REC_USER_LEN];
} kr_user;

struct cb_keyring {
	size_t n;
	kr_user *users;
	int has_recovery;
	unsigned char rec_pk[32];
	unsigned char rec_data[REC_DATA_LEN];
};

const char *cb_role_name(int role)
{
	switch (role) {
	case CB_ROLE_OWNER: return "owner";
	case CB_ROLE_EDITOR: return "editor";
	case CB_ROLE_VIEWER: return "viewer";
	default: return "?";
	}
}

int cb_role_parse(const char *s)
{
	for (int r = CB_ROLE_OWNER; r <= CB_ROLE_VIEWER; r++)
		if (s && !strcmp(s, cb_role_name(r)))
			return r;
	return -1;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int valid_kdf(uint64_t ops, uint64_t mem)
{
	return ops >= 1 && ops <= 100 && mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= (4ull << 30);
}

static void kdf_or_default(uint64_t *ops, uint64_t *mem, const cb_kdf_params *kdf)
{
	*ops = kdf ? kdf->opslimit : CB_KDF_DEFAULT_OPS;
	*mem = kdf ? kdf->memlimit : CB_KDF_DEFAULT_MEM;
}

static void put64(unsigned char *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)v;
}

static uint64_t get64(const unsigned char *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* What the wrapped block is bound to: everything else in the record. */
static size_t user_ad(unsigned char *ad, const kr_user *u)
{
	size_t n = strlen(u->name), k = 0;
	memcpy(ad, "cbkeys1", 7);
	k = 7;
	ad[k++] = (unsigned char)n;
	memcpy(ad + k, u->name, n);
	k += n;
	ad[k++] = (unsigned char)u->role;
	put64(ad + k, u->ops);
	put64(ad + k + 8, u->mem);
	k += 16;
	memcpy(ad + k, u->salt, sizeof u->salt);
	k += sizeof u->salt;
	memcpy(ad + k, u->sign_pk, 32);
	memcpy(ad + k + 32, u->box_pk, 32);
	return k + 64;
}

static int derive(unsigned char *key, const kr_user *u, const char *pass, size_t passlen,
		  cb_error *err)
{
	if (crypto_pwhash(key, 32, pass, passlen, u->salt, u->ops, (size_t)u->mem,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return cb_fail(err, CB_ENOMEM, "key derivation for '%s' needs %llu bytes of memory",
			       u->name, (unsigned long long)u->mem);
	return CB_OK;
}

/* (Re)wraps secret (SECRET_LEN bytes) for u under pass, with fresh salt. */
static int wrap_user(kr_user *u, const unsigned char *secret, const char *pass, size_t passlen,
		     const cb_kdf_params *kdf, cb_error *err)
{
	unsigned char ad[256], *key = sodium_malloc(32);
	int rc;

	if (!key)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (!pass || passlen == 0) {
		rc = cb_fail(err, CB_EINVAL, "empty passphrase for '%s'", u->name);
		goto done;
	}
	kdf_or_default(&u->ops, &u->mem, kdf);
	if (!valid_kdf(u->ops, u->mem)) {
		rc = cb_fail(err, CB_EINVAL, "Argon2id parameters out of range");
		goto done;
	}
	randombytes_buf(u->salt, sizeof u->salt);
	randombytes_buf(u->nonce, sizeof u->nonce);
	if ((rc = derive(key, u, pass, passlen, err)) < 0)
		goto done;
	crypto_aead_xchacha20poly1305_ietf_encrypt(u->wrapped, NULL, secret, SECRET_LEN, ad,
						   user_ad(ad, u), NULL, u->nonce, key);
done:
	sodium_free(key);
	return rc;
}

static int keys_from_secret(cb_keys **out, const kr_user *u, const unsigned char *secret,
			    cb_error *err)
{
	cb_keys *k = sodium_malloc(sizeof *k);
	if (!k)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memcpy(k->data_key, secret, 32);
	memcpy(k->sign_sk, secret + 32, 64);
	memcpy(k->box_sk, secret + 96, 32);
	memcpy(k->sign_pk, u->sign_pk, 32);
	memcpy(k->box_pk, u->box_pk, 32);
	k->role = u->role;
	snprintf(k->user, sizeof k->user, "%s", u->name);
	/* The secret keys must match the public ones on record. */
	unsigned char pk[32];
	if (memcmp(k->sign_sk + 32, u->sign_pk, 32) || crypto_scalarmult_base(pk, k->box_sk) ||
	    memcmp(pk, u->box_pk, 32)) {
		sodium_free(k);
		return cb_fail(err, CB_EINTEGRITY, "keys of '%s' do not match their public keys",
			       u->name);
	}
	*out = k;
	return CB_OK;
}

static void secret_of(unsigned char *secret, const cb_keys *k)
{
	memcpy(secret, k->data_key, 32);
	memcpy(secret + 32, k->sign_sk, 64);
	memcpy(secret + 96, k->box_sk, 32);
}

static int grow(cb_keyring *kr, cb_error *err)
{
	kr_user *u = realloc(kr->users, (kr->n + 1) * sizeof *u);
	if (!u)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	kr->users = u;
	memset(&u[kr->n], 0, sizeof *u);
	return CB_OK;
}

/* Appends a user with fresh key pairs holding data_key. */
static int new_user(cb_keyring *kr, cb_keys **keys_out, const char *name, int role,
		    const unsigned char *data_key, const char *pass, size_t passlen,
		    const cb_kdf_params *kdf, cb_error *err)
{
	unsigned char *secret = sodium_malloc(SECRET_LEN);
	kr_user *u;
	int rc;

	if (!secret)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (!name || !valid_name(name, strlen(name))) {
		rc = cb_fail(err, CB_EINVAL,
			     "bad user name '%.64s' (1-64 of letters, digits, '.', '_', '-')",
			     name ? name : "");
		goto done;
	}
	if (cb_keyring_find(kr, name) >= 0) {
		rc = cb_fail(err, CB_EEXISTS, "user '%s' exists", name);
		goto done;
	}
	if (role < CB_ROLE_OWNER || role > CB_ROLE_VIEWER) {
		rc = cb_fail(err, CB_EINVAL, "bad role %d", role);
		goto done;
	}
	if (kr->n >= MAX_USERS) {
		rc = cb_fail(err, CB_ETOOBIG, "too many users");
		goto done;
	}
	if ((rc = grow(kr, err)) < 0)
		goto done;
	u = &kr->users[kr->n];
	snprintf(u->name, sizeof u->name, "%s", name);
	u->role = role;
	memcpy(secret, data_key, 32);
	crypto_sign_keypair(u->sign_pk, secret + 32);
	crypto_box_keypair(u->box_pk, secret + 96);
	if ((rc = wrap_user(u, secret, pass, passlen, kdf, err)) < 0)
		goto done;
	if (kr->has_recovery)
		crypto_box_seal(u->rec_sealed, secret + 32, 96, kr->rec_pk);
	if (keys_out && (rc = keys_from_secret(keys_out, u, secret, err)) < 0)
		goto done;
	kr->n++;
done:
	sodium_free(secret);
	return rc;
}

int cb_keyring_create(cb_keyring **out, cb_keys **keys_out, const char *owner, const char *pass,
		      size_t passlen, const cb_kdf_params *kdf, unsigned char recovery[32],
		      cb_error *err)
{
	cb_keyring *kr;
	unsigned char *data_key;
	int rc;

	*out = NULL;
	if (keys_out)
		*keys_out = NULL;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (!(kr = calloc(1, sizeof *kr)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (!(data_key = sodium_malloc(32))) {
		free(kr);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	crypto_kdf_keygen(data_key);
	if (recovery) {
		kr->has_recovery = 1;
		crypto_box_keypair(kr->rec_pk, recovery);
		crypto_box_seal(kr->rec_data, data_key, 32, kr->rec_pk);
	}
	rc = new_user(kr, keys_out, owner, CB_ROLE_OWNER, data_key, pass, passlen, kdf, err);
	sodium_free(data_key);
	if (rc < 0) {
		if (recovery)
			sodium_memzero(recovery, 32);
		cb_keyring_free(kr);
		return rc;
	}
	*out = kr;
	return CB_OK;
}

long cb_keyring_find(const cb_keyring *kr, const char *name)
{
	for (size_t i = 0; kr && name && i < kr->n; i++)
		if (!strcmp(kr->users[i].name, name))
			return (long)i;
	return -1;
}

int cb_keyring_unlock(cb_keys **out, const cb_keyring *kr, const char *user, const char *pass,
		      size_t passlen, cb_error *err)
{
	unsigned char ad[256], *key = NULL, *secret = NULL;
	long i = cb_keyring_find(kr, user);
	const kr_user *u;
	int rc;

	*out = NULL;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (i < 0)
		return cb_fail(err, CB_ENOTFOUND, "no user '%.64s' in this store", user ? user : "");
	u = &kr->users[i];
	if (!(key = sodium_malloc(32)) || !(secret = sodium_malloc(SECRET_LEN))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = derive(key, u, pass, passlen, err)) < 0)
		goto done;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret, NULL, NULL, u->wrapped, WRAPPED_LEN,
						       ad, user_ad(ad, u), u->nonce, key) != 0) {
		rc = cb_fail(err, CB_EAUTH, "wrong passphrase for user '%s'", u->name);
		goto done;
	}
	rc = keys_from_secret(out, u, secret, err);
done:
	sodium_free(key);
	sodium_free(secret);
	return rc;
}

int cb_keyring_unlock_recovery(cb_keys **out, const cb_keyring *kr, const char *user,
			       const unsigned char recovery[32], cb_error *err)
{
	unsigned char pk[32], *secret = NULL;
	long i = cb_keyring_find(kr, user);
	int rc = CB_OK;

	*out = NULL;
	if (i < 0)
		return cb_fail(err, CB_ENOTFOUND, "no user '%.64s' in this store", user ? user : "");
	if (!kr->has_recovery)
		return cb_fail(err, CB_EAUTH, "this store has no recovery key");
	if (crypto_scalarmult_base(pk, recovery) || memcmp(pk, kr->rec_pk, 32))
		return cb_fail(err, CB_EAUTH, "wrong recovery key");
	if (!(secret = sodium_malloc(SECRET_LEN)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (crypto_box_seal_open(secret, kr->rec_data, REC_DATA_LEN, kr->rec_pk, recovery) ||
	    crypto_box_seal_open(secret + 32, kr->users[i].rec_sealed, REC_USER_LEN, kr->rec_pk,
				 recovery)) {
		rc = cb_fail(err, CB_EINTEGRITY, "recovery data of '%s' fails to open", user);
		goto done;
	}
	rc = keys_from_secret(out, &kr->users[i], secret, err);
done:
	sodium_free(secret);
	return rc;
}

int cb_keyring_add_user(cb_keyring *kr, const cb_keys *by, const char *name, int role,
			const char *pass, size_t passlen, const cb_kdf_params *kdf, cb_error *err)
{
	if (!by || by->role != CB_ROLE_OWNER || cb_keyring_find(kr, by->user) < 0)
		return cb_fail(err, CB_EAUTH, "only an owner can add users");
	return new_user(kr, NULL, name, role, by->data_key, pass, passlen, kdf, err);
}

int cb_keyring_remove_user(cb_keyring *kr, const char *name, cb_error *err)
{
	long i = cb_keyring_find(kr, name);
	size_t owners = 0;
	if (i < 0)
		return cb_fail(err, CB_ENOTFOUND, "no user '%.64s' in this store", name ? name : "");
	for (size_t j = 0; j < kr->n; j++)
		owners += kr->users[j].role == CB_ROLE_OWNER;
	if (kr->users[i].role == CB_ROLE_OWNER && owners == 1)
		return cb_fail(err, CB_EINVAL, "'%s' is the last owner", name);
	memmove(&kr->users[i], &kr->users[i + 1], (kr->n - (size_t)i - 1) * sizeof *kr->users);
	kr->n--;
	return CB_OK;
}

int cb_keyring_passwd(cb_keyring *kr, const cb_keys *keys, const char *newpass, size_t passlen,
		      const cb_kdf_params *kdf, cb_error *err)
{
	long i = keys ? cb_keyring_find(kr, keys->user) : -1;
	unsigned char *secret;
	kr_user tmp;
	int rc;

	if (i < 0)
		return cb_fail(err, CB_ENOTFOUND, "no such user in this store");
	if (memcmp(kr->users[i].sign_pk, keys->sign_pk, 32))
		return cb_fail(err, CB_EAUTH, "keys do not belong to '%s'", keys->user);
	if (!(secret = sodium_malloc(SECRET_LEN)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	secret_of(secret, keys);
	/* Wrap into a copy: a failure leaves the old passphrase working. */
	tmp = kr->users[i];
	if ((rc = wrap_user(&tmp, secret, newpass, passlen, kdf, err)) == CB_OK)
		kr->users[i] = tmp;
	sodium_free(secret);
	return rc;
}

size_t cb_keyring_count(const cb_keyring *kr)
{
	return kr ? kr->n : 0;
}

int cb_keyring_user(const cb_keyring *kr, size_t i, const char **name, int *role,
		    unsigned char sign_pk[32], unsigned char box_pk[32])
{
	if (!kr || i >= kr->n)
		return CB_ENOTFOUND;
	if (name)
		*name = kr->users[i].name;
	if (role)
		*role = kr->users[i].role;
	if (sign_pk)
		memcpy(sign_pk, kr->users[i].sign_pk, 32);
	if (box_pk)
		memcpy(box_pk, kr->users[i].box_pk, 32);
	return CB_OK;
}

int cb_keyring_has_recovery(const cb_keyring *kr)
{
	return kr && kr->has_recovery;
}

void cb_keyring_free(cb_keyring *kr)
{
	if (!kr)
		return;
	free(kr->users);
	free(kr);
}

void cb_keys_free(cb_keys *k)
{
	if (k)
		sodium_free(k); /* wipes and unlocks */
}

void cb_keys_subkey(unsigned char out[32], const cb_keys *k, int which)
{
	crypto_kdf_derive_from_key(out, 32, (uint64_t)which, "casebook", k->data_key);
}

/* ---- serialisation ---------------------------------------------------- */

#define USER_FIXED (1 + 1 + 8 + 8 + crypto_pwhash_SALTBYTES + 32 + 32 + 24 + WRAPPED_LEN)

int cb_keyring_serialize(unsigned char **out, size_t *len, const cb_keyring *kr, cb_error *err)
{
	size_t cap = 8 + 2 + 1 + 32 + REC_DATA_LEN + 2 + kr->n * (1 + 64 + USER_FIXED + REC_USER_LEN);
	unsigned char *b = malloc(cap), *p = b;

	*out = NULL;
	*len = 0;
	if (!b)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memcpy(p, MAGIC, 8);
	p += 8;
	*p++ = 0;
	*p++ = VERSION;
	*p++ = (unsigned char)kr->has_recovery;
	if (kr->has_recovery) {
		memcpy(p, kr->rec_pk, 32);
		memcpy(p + 32, kr->rec_data, REC_DATA_LEN);
		p += 32 + REC_DATA_LEN;
	}
	*p++ = (unsigned char)(kr->n >> 8);
	*p++ = (unsigned char)kr->n;
	for (size_t i = 0; i < kr->n; i++) {
		const kr_user *u = &kr->users[i];
		size_t nl = strlen(u->name);
		*p++ = (unsigned char)nl;
		memcpy(p, u->name, nl);
		p += nl;
		*p++ = (unsigned char)u->role;
		*p++ = ALG_ARGON2ID;
		put64(p, u->ops);
		put64(p + 8, u->mem);
		p += 16;
		memcpy(p, u->salt, sizeof u->salt);
		p += sizeof u->salt;
		memcpy(p, u->sign_pk, 32);
		memcpy(p + 32, u->box_pk, 32);
		memcpy(p + 64, u->nonce, 24);
		memcpy(p + 88, u->wrapped, WRAPPED_LEN);
		p += 88 + WRAPPED_LEN;
		if (kr->has_recovery) {
			memcpy(p, u->rec_sealed, REC_USER_LEN);
			p += REC_USER_LEN;
		}
	}
	*out = b;
	*len = (size_t)(p - b);
	return CB_OK;
}

/* A bounds-checked reader: take() fails once, and then for good. */
typedef struct reader {
	const unsigned char *p;
	size_t left;
} reader;

static const unsigned char *take(reader *r, size_t n)
{
	const unsigned char *p = r->p;
	if (n > r->left)
		return NULL;
	r->p += n;
	r->left -= n;
	return p;
}

int cb_keyring_parse(cb_keyring **out, const unsigned char *data, size_t len, cb_error *err)
{
	reader r = {data, len};
	const unsigned char *p;
	cb_keyring *kr = NULL;
	size_t n;
	int rc = CB_OK;

#define NEED(ptr, k, what)                                                                  \
	do {                                                                                \
		if (!((ptr) = take(&r, (k)))) {                                             \
			rc = cb_fail(err, CB_EFORMAT, "key file truncated in %s", what);    \
			goto done;                                                          \
		}                                                                           \
	} while (0)

	*out = NULL;
	if (!data || len < 8 || memcmp(data, MAGIC, 8))
		return cb_fail(err, CB_EFORMAT, "not a casebook key file");
	take(&r, 8);
	if (!(kr = calloc(1, sizeof *kr)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	NEED(p, 3, "header");
	if (p[0] != 0 || p[1] != VERSION) {
		rc = cb_fail(err, CB_EFORMAT, "key file version %u is not supported",
			     (unsigned)(p[0] << 8 | p[1]));
		goto done;
	}
	if (p[2] > 1) {
		rc = cb_fail(err, CB_EFORMAT, "key file: bad recovery flag");
		goto done;
	}
	kr->has_recovery = p[2];
	if (kr->has_recovery) {
		NEED(p, 32 + REC_DATA_LEN, "recovery key");
		memcpy(kr->rec_pk, p, 32);
		memcpy(kr->rec_data, p + 32, REC_DATA_LEN);
	}
	NEED(p, 2, "user count");
	n = (size_t)p[0] << 8 | p[1];
	if (n == 0 || n > MAX_USERS) {
		rc = cb_fail(err, CB_EFORMAT, "key file: %zu users", n);
		goto done;
	}
	if (!(kr->users = calloc(n, sizeof *kr->users))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		kr_user *u = &kr->users[i];
		size_t nl;
		NEED(p, 1, "user name");
		nl = p[0];
		NEED(p, nl, "user name");
		if (!valid_name((const char *)p, nl)) {
			rc = cb_fail(err, CB_EFORMAT, "key file: bad name for user %zu", i + 1);
			goto done;
		}
		memcpy(u->name, p, nl);
		u->name[nl] = '\0';
		if (cb_keyring_find(kr, u->name) >= 0) {
			rc = cb_fail(err, CB_EFORMAT, "key file: user '%s' twice", u->name);
			goto done;
		}
		NEED(p, USER_FIXED, "user record");
		if (p[0] > CB_ROLE_VIEWER || p[1] != ALG_ARGON2ID) {
			rc = cb_fail(err, CB_EFORMAT, "key file: bad role or algorithm for '%s'", u->name);
			goto done;
		}
		u->role = p[0];
		u->ops = get64(p + 2);
		u->mem = get64(p + 10);
		if (!valid_kdf(u->ops, u->mem)) {
			rc = cb_fail(err, CB_EFORMAT, "key file: Argon2id parameters of '%s' out of range",
				     u->name);
			goto done;
		}
		p += 18;
		memcpy(u->salt, p, sizeof u->salt);
		p += sizeof u->salt;
		memcpy(u->sign_pk, p, 32);
		memcpy(u->box_pk, p + 32, 32);
		memcpy(u->nonce, p + 64, 24);
		memcpy(u->wrapped, p + 88, WRAPPED_LEN);
		if (kr->has_recovery) {
			NEED(p, REC_USER_LEN, "recovery data");
			memcpy(u->rec_sealed, p, REC_USER_LEN);
		}
		kr->n = i + 1;
	}
	if (r.left) {
		rc = cb_fail(err, CB_EFORMAT, "key file: %zu bytes of trailing garbage", r.left);
		goto done;
	}
	{
		size_t owners = 0;
		for (size_t i = 0; i < kr->n; i++)
			owners += kr->users[i].role == CB_ROLE_OWNER;
		if (!owners) {
			rc = cb_fail(err, CB_EFORMAT, "key file: no owner");
			goto done;
		}
	}
#undef NEED
done:
	if (rc < 0)
		cb_keyring_free(kr);
	else
		*out = kr;
	return rc;
}

/* On disk the serialised keyring is followed by an unkeyed BLAKE2b-256 of
 * it: the wrapped secrets are authenticated anyway, but without the sum a
 * flipped bit in a name or a public key would look like a wrong
 * passphrase; with it, damage is an integrity error naming the file. */
#define SUM_LEN 32

int cb_keyring_save(const cb_keyring *kr, const char *path, cb_error *err)
{
	unsigned char *b, *full;
	size_t n;
	int rc;
	if ((rc = cb_keyring_serialize(&b, &n, kr, err)) < 0)
		return rc;
	if (!(full = realloc(b, n + SUM_LEN))) {
		free(b);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	crypto_generichash(full + n, SUM_LEN, full, n, NULL, 0);
	rc = cb_write_file_atomic(path, full, n + SUM_LEN, err);
	free(full);
	return rc;
}

int cb_keyring_load(cb_keyring **out, const char *path, cb_error *err)
{
	unsigned char sum[SUM_LEN];
	char *b;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = cb_read_file(&b, &n, path, MAX_KEYFILE, err)) < 0)
		return rc;
	if (n >= 8 + SUM_LEN && !memcmp(b, MAGIC, 8)) {
		crypto_generichash(sum, SUM_LEN, (unsigned char *)b, n - SUM_LEN, NULL, 0);
		if (sodium_memcmp(sum, b + n - SUM_LEN, SUM_LEN)) {
			free(b);
			return cb_fail(err, CB_EINTEGRITY,
				       "%s: key file damaged (its checksum does not match)", path);
		}
		n -= SUM_LEN;
	}
	if ((rc = cb_keyring_parse(out, (unsigned char *)b, n, err)) < 0)
		cb_error_prefix(err, "%s", path);
	free(b);
	return rc;
}

/* ---- passphrases ------------------------------------------------------ */

static int secure_copy(char **out, size_t *len, const char *s, size_t n, const char *from,
		       cb_error *err)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return cb_fail(err, CB_EINVAL, "empty passphrase from %s", from);
	if (memchr(s, '\0', n))
		return cb_fail(err, CB_EINVAL, "passphrase from %s contains a NUL byte", from);
	if (!(*out = sodium_malloc(n + 1)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memcpy(*out, s, n);
	(*out)[n] = '\0';
	*len = n;
	return CB_OK;
}

int cb_passphrase_read(char **out, size_t *len, const char *file, const char *prompt,
		       cb_error *err)
{
	const char *env;
	char line[1024];
	int rc;

	*out = NULL;
	*len = 0;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (file) {
		char *buf;
		size_t n, first;
		if ((rc = cb_read_file(&buf, &n, file, 4096, err)) < 0)
			return rc;
		first = strcspn(buf, "\n");
		rc = secure_copy(out, len, buf, first, file, err);
		sodium_memzero(buf, n);
		free(buf);
		return rc;
	}
	if ((env = getenv("CASEBOOK_PASSPHRASE")) && *env)
		return secure_copy(out, len, env, strlen(env), "CASEBOOK_PASSPHRASE", err);
	{
		struct termios old, quiet;
		int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
		ssize_t n = 0, got;
		if (fd < 0)
			return cb_fail(err, CB_EAUTH,
				       "no passphrase: no terminal, no --passphrase-file, no "
				       "CASEBOOK_PASSPHRASE");
		if (tcgetattr(fd, &old) < 0) {
			close(fd);
			return cb_fail(err, CB_EIO, "cannot read the terminal settings");
		}
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		if (prompt && write(fd, prompt, strlen(prompt)) < 0)
			(void)0;
		tcsetattr(fd, TCSAFLUSH, &quiet);
		while (n < (ssize_t)sizeof line - 1) {
			got = read(fd, line + n, 1);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0 || line[n] == '\n')
				break;
			n++;
		}
		tcsetattr(fd, TCSAFLUSH, &old);
		if (write(fd, "\n", 1) < 0)
			(void)0;
		close(fd);
		rc = secure_copy(out, len, line, (size_t)n, "the terminal", err);
		sodium_memzero(line, sizeof line);
		return rc;
	}
}

void cb_passphrase_free(char *p)
{
	if (p)
		sodium_free(p);
}
