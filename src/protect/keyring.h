/*
 * keyring.h: who holds which keys. One random 256-bit data key encrypts the
 * store; each user holds it, wrapped with a key derived from their own
 * passphrase by Argon2id, together with their Ed25519 (signing) and X25519
 * (sealed-box) secret keys. See protect.h and docs/protection.md.
 *
 *   cb_keyring *kr; cb_keys *k;
 *   cb_keyring_create(&kr, &k, "ana", pass, passlen, NULL, recovery, &err); // init
 *   cb_keyring_save(kr, "store/keys", &err);
 *   ...
 *   cb_keyring_load(&kr, "store/keys", &err);
 *   cb_keyring_unlock(&k, kr, "ana", pass, passlen, &err);  // CB_EAUTH: wrong passphrase
 *   cb_keys_subkey(dbkey, k, CB_SUBKEY_DB);                 // for sealvfs
 *   cb_keys_free(k); cb_keyring_free(kr);
 *
 * The key file ("CBKEYS1\n", version 1, big-endian binary, described in
 * docs/protection.md) holds no secret in the clear: per user the name,
 * role, public keys, the Argon2id parameters and salt, and the wrapped
 * secrets (XChaCha20-Poly1305; name, role, public keys and KDF parameters
 * are its associated data, so none of them can be edited without the
 * passphrase). With a recovery key, the data key and each user's secret
 * keys are also sealed (crypto_box_seal) to the recovery public key, so
 * users added later are covered without the recovery secret at hand.
 *
 * Ownership: cb_keyring (public material) is freed with cb_keyring_free();
 * cb_keys (secrets, in sodium_malloc'd guarded memory, mlocked, wiped on
 * free) with cb_keys_free(). Strings returned by accessors are borrowed
 * from the keyring. Passphrases from cb_passphrase_read() are freed with
 * cb_passphrase_free().
 */
#ifndef CB_KEYRING_H
#define CB_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum cb_role { CB_ROLE_OWNER = 0, CB_ROLE_EDITOR = 1, CB_ROLE_VIEWER = 2 };

/* Argon2id cost. Recorded per user, so it can be raised on the next
 * passphrase change; NULL anywhere means CB_KDF_DEFAULT. */
typedef struct cb_kdf_params {
	uint64_t opslimit; /* passes, 1..100 */
	uint64_t memlimit; /* bytes, 8 KiB..4 GiB */
} cb_kdf_params;

#define CB_KDF_DEFAULT_OPS 3
#define CB_KDF_DEFAULT_MEM (64u << 20)

/* Subkeys of the data key, one per use (crypto_kdf, context "casebook"). */
enum cb_subkey { CB_SUBKEY_DB = 1, CB_SUBKEY_BLOB = 2 };

typedef struct cb_keyring cb_keyring;

/* The unlocked secrets of one user. */
typedef struct cb_keys {
	unsigned char data_key[32];
	unsigned char sign_pk[32], sign_sk[64]; /* Ed25519 */
	unsigned char box_pk[32], box_sk[32];   /* X25519 */
	int role;
	char user[65];
} cb_keys;

/* A new keyring with a fresh data key and one owner. If recovery is
 * non-NULL, a recovery key pair is made and its 32-byte secret written
 * there (show it once, then sodium_memzero it). *keys_out (may be NULL) gets
 * the owner's unlocked keys. */
int cb_keyring_create(cb_keyring **out, cb_keys **keys_out, const char *owner, const char *pass,
		      size_t passlen, const cb_kdf_params *kdf, unsigned char recovery[32],
		      cb_error *err);

/* CB_ENOTFOUND: no such user; CB_EAUTH: wrong passphrase (the only error
 * that says anything about the passphrase). */
int cb_keyring_unlock(cb_keys **out, const cb_keyring *kr, const char *user, const char *pass,
		      size_t passlen, cb_error *err);

/* Unlocks user with the recovery secret instead of a passphrase (then
 * cb_keyring_passwd sets a new one). CB_EAUTH if it does not fit. */
int cb_keyring_unlock_recovery(cb_keys **out, const cb_keyring *kr, const char *user,
			       const unsigned char recovery[32], cb_error *err);

/* Adds a user with fresh key pairs; by must be an owner's keys. */
int cb_keyring_add_user(cb_keyring *kr, const cb_keys *by, const char *name, int role,
			const char *pass, size_t passlen, const cb_kdf_params *kdf, cb_error *err);

/* Removes a user (not the last owner). Their copy of the data key goes
 * with them; rotating the data key is the store's business. */
int cb_keyring_remove_user(cb_keyring *kr, const char *name, cb_error *err);

/* Rewraps keys->user's secrets under a new passphrase (new salt; kdf may
 * raise the cost). No data is re-encrypted. */
int cb_keyring_passwd(cb_keyring *kr, const cb_keys *keys, const char *newpass, size_t passlen,
		      const cb_kdf_params *kdf, cb_error *err);

size_t cb_keyring_count(const cb_keyring *kr);
/* User i (0-based): name (borrowed), role, public keys (may be NULL). */
int cb_keyring_user(const cb_keyring *kr, size_t i, const char **name, int *role,
		    unsigned char sign_pk[32], unsigned char box_pk[32]);
/* Index of name, or -1. */
long cb_keyring_find(const cb_keyring *kr, const char *name);
int cb_keyring_has_recovery(const cb_keyring *kr);

/* Serialises to a malloc'd buffer (caller frees). */
int cb_keyring_serialize(unsigned char **out, size_t *len, const cb_keyring *kr, cb_error *err);
/* Parses (strictly: bad magic, version, lengths, names, roles, KDF
 * parameters, duplicate users, truncation and trailing bytes are
 * CB_EFORMAT). Never runs the KDF. */
int cb_keyring_parse(cb_keyring **out, const unsigned char *data, size_t len, cb_error *err);
int cb_keyring_save(const cb_keyring *kr, const char *path, cb_error *err); /* atomic */
int cb_keyring_load(cb_keyring **out, const char *path, cb_error *err);

void cb_keyring_free(cb_keyring *kr);
void cb_keys_free(cb_keys *k);

/* A 32-byte subkey of the data key for one use (enum cb_subkey). */
void cb_keys_subkey(unsigned char out[32], const cb_keys *k, int which);

const char *cb_role_name(int role);
int cb_role_parse(const char *s); /* -1 if unknown */

/* Reads a passphrase: from file (first line) if non-NULL, else from
 * $CASEBOOK_PASSPHRASE (least safe: other processes may see it), else from
 * the terminal (/dev/tty) without echo after printing prompt. The result is
 * NUL-terminated in sodium_malloc'd memory; free with cb_passphrase_free.
 * Empty passphrases are refused. */
int cb_passphrase_read(char **out, size_t *len, const char *file, const char *prompt,
		       cb_error *err);
void cb_passphrase_free(char *p);

#endif
