/* logchain.c: see logchain.h. */
#include "logchain.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define DOMAIN "cblog1"

static void put_u64(unsigned char *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)v;
}

static int put_str(cb_buf *b, const char *s, cb_error *err)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	int rc;
	if (n > 0xffffffffu)
		return cb_fail(err, CB_ETOOBIG, "log field too long");
	if ((rc = cb_buf_put(b, len, 4, err)) < 0)
		return rc;
	return n ? cb_buf_put(b, s, n, err) : CB_OK;
}

int cb_log_canonical(unsigned char **out, size_t *len, const cb_log_entry *e, cb_error *err)
{
	cb_buf b = CB_BUF_INIT;
	unsigned char num[16];
	int rc;

	*out = NULL;
	*len = 0;
	if (!e->user || !e->action)
		return cb_fail(err, CB_EINVAL, "log entry without user or action");
	put_u64(num, e->seq);
	put_u64(num + 8, (uint64_t)e->time);
	if ((rc = cb_buf_put(&b, DOMAIN, sizeof DOMAIN, err)) < 0 ||
	    (rc = cb_buf_put(&b, num, 16, err)) < 0 || (rc = cb_buf_put(&b, e->prev, 32, err)) < 0 ||
	    (rc = put_str(&b, e->user, err)) < 0 || (rc = put_str(&b, e->action, err)) < 0 ||
	    (rc = put_str(&b, e->target, err)) < 0 || (rc = put_str(&b, e->detail, err)) < 0)
		return rc;
	*len = b.len;
	if (!(*out = (unsigned char *)cb_buf_detach(&b)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	return CB_OK;
}

int cb_log_sign(cb_log_entry *e, const unsigned char prev_hash[32],
		const unsigned char sign_sk[64], cb_error *err)
{
	unsigned char *c;
	size_t n;
	int rc;
	if (prev_hash)
		memcpy(e->prev, prev_hash, 32);
	else
		memset(e->prev, 0, 32);
	if ((rc = cb_log_canonical(&c, &n, e, err)) < 0)
		return rc;
	crypto_sign_detached(e->sig, NULL, c, n, sign_sk);
	free(c);
	return CB_OK;
}

int cb_log_hash(unsigned char out[32], const cb_log_entry *e, cb_error *err)
{
	crypto_generichash_state st;
	unsigned char *c;
	size_t n;
	int rc;
	if ((rc = cb_log_canonical(&c, &n, e, err)) < 0)
		return rc;
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, c, n);
	crypto_generichash_update(&st, e->sig, 64);
	crypto_generichash_final(&st, out, 32);
	free(c);
	return CB_OK;
}

void cb_log_verifier_init(cb_log_verifier *v)
{
	memset(v, 0, sizeof *v);
}

int cb_log_verifier_step(cb_log_verifier *v, const cb_log_entry *e,
			 const unsigned char sign_pk[32], cb_error *err)
{
	unsigned char *c = NULL, h[32];
	size_t n;
	int rc;
	uint64_t i = v->index;

	if (e->seq != i)
		return cb_fail(err, CB_EINTEGRITY, "log entry %llu: sequence number %llu (entries "
			       "missing, inserted or reordered)", (unsigned long long)i,
			       (unsigned long long)e->seq);
	if (sodium_memcmp(e->prev, v->head, 32) != 0)
		return cb_fail(err, CB_EINTEGRITY, "log entry %llu: does not follow the previous "
			       "entry (hash chain broken)", (unsigned long long)i);
	if (!sign_pk)
		return cb_fail(err, CB_EINTEGRITY, "log entry %llu: unknown user '%.64s'",
			       (unsigned long long)i, e->user ? e->user : "");
	if ((rc = cb_log_canonical(&c, &n, e, err)) < 0)
		return rc;
	if (crypto_sign_verify_detached(e->sig, c, n, sign_pk) != 0) {
		free(c);
		return cb_fail(err, CB_EINTEGRITY, "log entry %llu (%s by %.64s): bad signature "
			       "(entry altered or not signed by that user)", (unsigned long long)i,
			       e->action, e->user);
	}
	free(c);
	if ((rc = cb_log_hash(h, e, err)) < 0)
		return rc;
	memcpy(v->head, h, 32);
	v->index++;
	return CB_OK;
}

int cb_log_verify_chain(size_t *bad, const cb_log_entry *entries, size_t n, cb_log_key_fn keys,
			void *ctx, cb_error *err)
{
	cb_log_verifier v;
	unsigned char pk[32];
	int rc;

	cb_log_verifier_init(&v);
	*bad = n;
	for (size_t i = 0; i < n; i++) {
		int known = entries[i].user && keys(ctx, entries[i].user, pk) == 0;
		if ((rc = cb_log_verifier_step(&v, &entries[i], known ? pk : NULL, err)) < 0) {
			*bad = i;
			return rc;
		}
	}
	return CB_OK;
}

/* ---- protected fields ------------------------------------------------- */

#define FMAGIC "CBPF1"
#define FMAGIC_LEN 5
#define SEALED_KEY (32 + crypto_box_SEALBYTES)
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

int cb_field_seal(unsigned char **out, size_t *out_len, const void *value, size_t len,
		  const unsigned char (*holders)[32], size_t nholders, cb_error *err)
{
	unsigned char *b, *p, *fkey;
	size_t total;

	*out = NULL;
	*out_len = 0;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (nholders == 0 || nholders > 0xffff)
		return cb_fail(err, CB_EINVAL, "a protected field needs 1 to 65535 holders");
	if (len > SIZE_MAX / 2)
		return cb_fail(err, CB_ETOOBIG, "protected field too long");
	total = FMAGIC_LEN + 2 + nholders * (32 + SEALED_KEY) + NONCE + len + TAG;
	if (!(b = malloc(total)) || !(fkey = sodium_malloc(32))) {
		free(b);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	crypto_aead_xchacha20poly1305_ietf_keygen(fkey);
	memcpy(b, FMAGIC, FMAGIC_LEN);
	b[5] = (unsigned char)(nholders >> 8);
	b[6] = (unsigned char)nholders;
	p = b + 7;
	for (size_t i = 0; i < nholders; i++) {
		memcpy(p, holders[i], 32);
		crypto_box_seal(p + 32, fkey, 32, holders[i]);
		p += 32 + SEALED_KEY;
	}
	randombytes_buf(p, NONCE);
	/* The holder list is associated data: nobody can drop or add a
	 * holder without the field key. */
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + NONCE, NULL, value, len, b, (size_t)(p - b),
						   NULL, p, fkey);
	sodium_free(fkey);
	*out = b;
	*out_len = total;
	return CB_OK;
}

int cb_field_open(unsigned char **out, size_t *out_len, const unsigned char *sealed, size_t len,
		  const unsigned char box_pk[32], const unsigned char box_sk[32], cb_error *err)
{
	const unsigned char *p, *mine = NULL;
	unsigned char *fkey = NULL, *plain = NULL;
	size_t n, hdr, clen;
	int rc = CB_OK;

	*out = NULL;
	*out_len = 0;
	if (!sealed || len < FMAGIC_LEN + 2 || memcmp(sealed, FMAGIC, FMAGIC_LEN))
		return cb_fail(err, CB_EFORMAT, "not a protected field");
	n = (size_t)sealed[5] << 8 | sealed[6];
	hdr = 7 + n * (32 + SEALED_KEY);
	if (n == 0 || len < hdr + NONCE + TAG)
		return cb_fail(err, CB_EFORMAT, "protected field truncated");
	for (size_t i = 0; i < n; i++) {
		p = sealed + 7 + i * (32 + SEALED_KEY);
		if (!memcmp(p, box_pk, 32))
			mine = p + 32;
	}
	if (!mine)
		return cb_fail(err, CB_EAUTH, "this key does not hold the protected field");
	clen = len - hdr - NONCE;
	if (!(fkey = sodium_malloc(32)) || !(plain = malloc(clen - TAG + 1))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	if (crypto_box_seal_open(fkey, mine, SEALED_KEY, box_pk, box_sk) != 0 ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, sealed + hdr + NONCE, clen,
						       sealed, hdr, sealed + hdr, fkey) != 0) {
		rc = cb_fail(err, CB_EINTEGRITY, "protected field fails authentication");
		goto done;
	}
	plain[clen - TAG] = '\0';
	*out = plain;
	*out_len = clen - TAG;
	plain = NULL;
done:
	sodium_free(fkey);
	free(plain);
	return rc;
}
