/*
 * logchain.h: the tamper-evident change log and protected fields.
 *
 * Log: each entry is signed (Ed25519) by the acting user and carries the
 * BLAKE2b-256 hash of the previous entry, so editing, dropping, inserting
 * or reordering entries breaks the chain at a point verification names.
 *
 *   canonical bytes = "cblog1\0" | seq u64 | time i64 | prev[32] |
 *                     user | action | target | detail   (each u32 len + bytes)
 *   sig   = Ed25519(canonical bytes)
 *   hash  = BLAKE2b-256(canonical bytes | sig); the first entry's prev is 32 zeros
 *
 *   cb_log_entry e = {.seq = n, .time = now, .user = "ana", .action = "ingest", ...};
 *   cb_log_sign(&e, prev_hash, keys->sign_sk, &err);   // sets e.prev, e.sig
 *   cb_log_hash(next_prev, &e, &err);                   // keep for the next entry
 *
 * Verification streams (the store reads rows one by one):
 *   cb_log_verifier v; cb_log_verifier_init(&v);
 *   for each row: cb_log_verifier_step(&v, &e, user_sign_pk, &err);
 * It fails with CB_EINTEGRITY at the first break, with v.index the 0-based
 * index of the bad entry and the message saying why. cb_log_verify_chain()
 * does the same over an array.
 *
 * Dropping the newest entries leaves a valid shorter chain: the store
 * should keep the head hash and count somewhere else as well (the signed
 * head in the key file, or printed by `verify`) to detect it.
 *
 * Protected fields: a value sealed once with a random field key
 * (XChaCha20-Poly1305), the field key sealed (crypto_box_seal) to each
 * holder's X25519 public key:
 *
 *   "CBPF1" | n u16 | n x (holder box_pk[32] | sealed field key[80]) |
 *   nonce[24] | ciphertext + tag
 *
 * Strings in cb_log_entry are borrowed. Buffers returned through
 * unsigned char ** are malloc'd and the caller's to free().
 */
#ifndef CB_LOGCHAIN_H
#define CB_LOGCHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct cb_log_entry {
	uint64_t seq;       /* 0-based position in the log */
	int64_t time;       /* Unix seconds */
	const char *user;   /* acting user (never NULL) */
	const char *action; /* "ingest", "edit", ... (never NULL) */
	const char *target; /* may be NULL (hashed as empty) */
	const char *detail; /* JSON text or NULL */
	unsigned char prev[32];
	unsigned char sig[64];
} cb_log_entry;

int cb_log_canonical(unsigned char **out, size_t *len, const cb_log_entry *e, cb_error *err);
/* Sets e->prev from prev_hash (NULL: first entry) and signs. */
int cb_log_sign(cb_log_entry *e, const unsigned char prev_hash[32],
		const unsigned char sign_sk[64], cb_error *err);
/* The hash of a signed entry, which the next entry must carry. */
int cb_log_hash(unsigned char out[32], const cb_log_entry *e, cb_error *err);

typedef struct cb_log_verifier {
	unsigned char head[32]; /* hash of the last good entry */
	uint64_t index;         /* entries accepted so far = index of the next */
} cb_log_verifier;

void cb_log_verifier_init(cb_log_verifier *v);
/* Checks e against the chain so far; sign_pk is e->user's public key (NULL:
 * unknown user, itself a break). */
int cb_log_verifier_step(cb_log_verifier *v, const cb_log_entry *e,
			 const unsigned char sign_pk[32], cb_error *err);

/* Looks up a user's signing key: 0 and pk filled, or -1. */
typedef int (*cb_log_key_fn)(void *ctx, const char *user, unsigned char pk[32]);
/* Verifies entries[0..n); on a break returns CB_EINTEGRITY and *bad = index. */
int cb_log_verify_chain(size_t *bad, const cb_log_entry *entries, size_t n, cb_log_key_fn keys,
			void *ctx, cb_error *err);

/* ---- protected fields ------------------------------------------------- */

int cb_field_seal(unsigned char **out, size_t *out_len, const void *value, size_t len,
		  const unsigned char (*holders)[32], size_t nholders, cb_error *err);
/* Opens a sealed field with one holder's key pair; CB_EAUTH if not a
 * holder, CB_EFORMAT / CB_EINTEGRITY if malformed or altered. The value
 * goes to a malloc'd, NUL-terminated buffer in *out. */
int cb_field_open(unsigned char **out, size_t *out_len, const unsigned char *sealed, size_t len,
		  const unsigned char box_pk[32], const unsigned char box_sk[32], cb_error *err);

#endif
