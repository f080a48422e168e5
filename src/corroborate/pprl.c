/*
 * pprl.c: privacy-preserving record linkage. Two groups that cannot share
 * names each encode their list with a secret key they agree on, and link
 * the encodings: neither sees the other's names.
 *
 * Each record becomes a cryptographic long-term key (Schnell's CLK): a
 * 1024-bit Bloom filter into which every token of its fields is hashed k
 * times - given and family name bigrams (padded, so that first and last
 * letters count), birth date digits with their positions, town and street
 * bigrams, and the other fields' characters by position. The hashes are
 * keyed BLAKE2b (libsodium crypto_generichash with the shared key), split
 * into two 64-bit halves for double hashing (h1 + i*h2 mod 1024). Names and
 * the birth date get twice the hash functions of the other fields, and the
 * base k is chosen from the fields the lists share so that about 70% of the
 * bits are set (see FILL). Similar records share
 * most tokens, hence most bits: the Dice coefficient of two filters
 * approximates the similarity of the records.
 *
 * Hardening: --xor-fold folds each filter onto itself (512 bits), which
 * makes the frequency attacks on single bits harder at a small cost in
 * accuracy.
 */
#include "corroborate/corroborate.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"

/* The share of bits a filter should have set. Measured on FEBRL 4 at Dice
 * 0.8 (precision 1.000 throughout): half the bits gave recall 0.923, 60%
 * 0.967, 67% 0.989, 70% 0.992 - the figure clkhash reports for its tuned
 * schema at about 690 of 1,024 bits. Fuller filters make near-identical
 * records agree more; past about 75% all filters start to look alike. */
#define FILL 0.7

/* Weight of each field: how many times the base k its tokens are hashed. */
static const int WEIGHT[CB_PF_N] = {
	[CB_PF_GIVEN] = 2, [CB_PF_FAMILY] = 2, [CB_PF_BIRTH] = 2, [CB_PF_AGE] = 0,
	[CB_PF_TOWN] = 1,  [CB_PF_SEX] = 1,    [CB_PF_POSTCODE] = 1, [CB_PF_STREET] = 1,
	[CB_PF_NUMBER] = 1, [CB_PF_STATE] = 1, [CB_PF_IDNUM] = 1,
};

/* Positional tokens for codes and dates, bigrams for words. */
static int positional(int f)
{
	return f == CB_PF_BIRTH || f == CB_PF_POSTCODE || f == CB_PF_NUMBER || f == CB_PF_IDNUM ||
	       f == CB_PF_SEX || f == CB_PF_STATE;
}

typedef void (*token_fn)(void *ctx, int field, const char *tok, size_t n);

static void tokens(const cb_prec *r, token_fn fn, void *ctx)
{
	for (int f = 0; f < CB_PF_N; f++) {
		const char *v = r->f[f];
		char t[16];
		if (!v || !WEIGHT[f])
			continue;
		size_t n = strlen(v);
		if (positional(f)) {
			for (size_t i = 0; i < n && i < 32; i++) {
				int l = snprintf(t, sizeof t, "%zu%c", i, v[i]);
				fn(ctx, f, t, (size_t)l);
			}
		} else {
			/* padded bigrams: "_k", "ki", "im", "m_" */
			for (size_t i = 0; i <= n; i++) {
				t[0] = i ? v[i - 1] : '_';
				t[1] = i < n ? v[i] : '_';
				fn(ctx, f, t, 2);
			}
		}
	}
}

/* Tokens a field typically gives: bigrams of a name of 6 letters, the 8
 * digits of a birth date, ... */
static const double TYPICAL_TOKENS[CB_PF_N] = {
	[CB_PF_GIVEN] = 7, [CB_PF_FAMILY] = 7, [CB_PF_BIRTH] = 8, [CB_PF_AGE] = 0,
	[CB_PF_TOWN] = 10, [CB_PF_SEX] = 1, [CB_PF_POSTCODE] = 4, [CB_PF_STREET] = 14,
	[CB_PF_NUMBER] = 2, [CB_PF_STATE] = 3, [CB_PF_IDNUM] = 7,
};

typedef struct enc_ctx {
	cb_clk *c;
	const unsigned char *key;
	size_t keylen;
	int k;
} enc_ctx;

static void set_token(void *ctx, int field, const char *tok, size_t n)
{
	enc_ctx *e = ctx;
	unsigned char in[40], h[16];
	uint64_t h1, h2;
	in[0] = (unsigned char)field; /* the same bigram in two fields sets other bits */
	memcpy(in + 1, tok, n);
	crypto_generichash(h, sizeof h, in, n + 1, e->key, e->keylen);
	memcpy(&h1, h, 8);
	memcpy(&h2, h + 8, 8);
	h2 |= 1;
	for (int i = 0; i < e->k * WEIGHT[field]; i++) {
		unsigned bit = (unsigned)((h1 + (uint64_t)i * h2) % CB_CLK_BITS);
		e->c->bits[bit / 64] |= 1ULL << (bit % 64);
	}
}

static int popcount(const cb_clk *c)
{
	int n = 0;
	for (int w = 0; w < CB_CLK_WORDS; w++)
		n += __builtin_popcountll(c->bits[w]);
	return n;
}

int cb_clk_encode(cb_clks *out, const cb_plist *l, const unsigned char *key, size_t keylen,
		  int xor_fold, cb_error *err)
{
	double weighted = 0;
	memset(out, 0, sizeof *out);
	if (keylen < 16 || keylen > crypto_generichash_KEYBYTES_MAX)
		return cb_fail(err, CB_EINVAL, "the key must hold 16 to %d bytes, not %zu",
			       crypto_generichash_KEYBYTES_MAX, keylen);
	if (!l->n)
		return cb_fail(err, CB_EINVAL, "an empty list");
	if (!(out->v = calloc(l->n, sizeof *out->v)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	/* k must be the same for both groups, so it cannot come from one
	 * list's own lengths: it comes from the fields the list has (its
	 * --map, which both groups share) at their typical token counts. */
	{
		int has[CB_PF_N] = {0};
		for (size_t i = 0; i < l->n; i++)
			for (int f = 0; f < CB_PF_N; f++)
				has[f] |= l->v[i].f[f] != NULL;
		for (int f = 0; f < CB_PF_N; f++)
			if (has[f])
				weighted += WEIGHT[f] * TYPICAL_TOKENS[f];
	}
	/* 1 - exp(-k * W / 1024) = FILL for the weighted token count W */
	out->k = weighted > 0 ? (int)lround(-log(1.0 - FILL) * CB_CLK_BITS / weighted) : 1;
	if (out->k < 1)
		out->k = 1;
	out->folded = xor_fold;
	for (size_t i = 0; i < l->n; i++) {
		enc_ctx e = {&out->v[i], key, keylen, out->k};
		tokens(&l->v[i], set_token, &e);
		if (xor_fold) {
			for (int w = 0; w < CB_CLK_WORDS / 2; w++) {
				out->v[i].bits[w] ^= out->v[i].bits[w + CB_CLK_WORDS / 2];
				out->v[i].bits[w + CB_CLK_WORDS / 2] = 0;
			}
		}
		out->v[i].popcount = popcount(&out->v[i]);
		if (!(out->v[i].id = strdup(l->v[i].id ? l->v[i].id : ""))) {
			out->n = i;
			cb_clks_free(out);
			return cb_fail(err, CB_ENOMEM, "out of memory");
		}
		out->n = i + 1;
	}
	return CB_OK;
}

void cb_clks_free(cb_clks *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].id);
	free(c->v);
	memset(c, 0, sizeof *c);
}

double cb_clk_dice(const cb_clk *a, const cb_clk *b)
{
	int common = 0;
	for (int w = 0; w < CB_CLK_WORDS; w++)
		common += __builtin_popcountll(a->bits[w] & b->bits[w]);
	return a->popcount + b->popcount ? 2.0 * common / (a->popcount + b->popcount) : 0.0;
}

int cb_clk_write(const cb_clks *c, const char *path, cb_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	char hex[CB_CLK_BITS / 4 + 1];
	if (!f)
		return cb_fail(err, CB_EIO, "%s: cannot write", path);
	fprintf(f, "casebook-clk 1 bits=%d k=%d folded=%d records=%zu\n", CB_CLK_BITS, c->k, c->folded,
		c->n);
	for (size_t i = 0; i < c->n; i++) {
		sodium_bin2hex(hex, sizeof hex, (const unsigned char *)c->v[i].bits, CB_CLK_BITS / 8);
		/* ids are the partner's own row ids; commas would break the line */
		for (const char *p = c->v[i].id; *p; p++)
			fputc(*p == ',' || *p == '\n' ? '_' : *p, f);
		fprintf(f, ",%s\n", hex);
	}
	if (f != stdout ? fclose(f) : fflush(f))
		return cb_fail(err, CB_EIO, "%s: write failed", path);
	return CB_OK;
}

int cb_clk_read(cb_clks *out, const char *path, cb_error *err)
{
	char *data = NULL;
	size_t len = 0, cap = 0, line = 1;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = cb_read_file(&data, &len, path, 1u << 31, err)) < 0)
		return rc;
	char *p = data, *end = data + len, *nl = memchr(p, '\n', len);
	if (!nl || sscanf(p, "casebook-clk 1 bits=1024 k=%d folded=%d", &out->k, &out->folded) != 2) {
		free(data);
		return cb_fail(err, CB_EFORMAT, "%s: not a casebook .clk file (header)", path);
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		char *comma = memchr(p, ',', (size_t)(nl - p));
		if (nl == p)
			continue;
		if (!comma || nl - comma - 1 != CB_CLK_BITS / 4) {
			rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: not ID,HEX of %d bits", path, line, CB_CLK_BITS);
			break;
		}
		if (out->n == cap) {
			cb_clk *nv = realloc(out->v, (cap = cap ? cap * 2 : 1024) * sizeof *nv);
			if (!nv) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				break;
			}
			out->v = nv;
		}
		cb_clk *c = &out->v[out->n];
		memset(c, 0, sizeof *c);
		size_t bl = 0;
		if (sodium_hex2bin((unsigned char *)c->bits, CB_CLK_BITS / 8, comma + 1, (size_t)(nl - comma - 1),
				   NULL, &bl, NULL) != 0 || bl != CB_CLK_BITS / 8) {
			rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: bad hex", path, line);
			break;
		}
		c->popcount = popcount(c);
		if (!(c->id = malloc((size_t)(comma - p) + 1))) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			break;
		}
		memcpy(c->id, p, (size_t)(comma - p));
		c->id[comma - p] = '\0';
		out->n++;
	}
	free(data);
	if (rc == CB_OK && !out->n)
		rc = cb_fail(err, CB_EFORMAT, "%s: no records", path);
	if (rc < 0)
		cb_clks_free(out);
	return rc;
}

static int pair_prob_desc(const void *a, const void *b)
{
	float x = ((const cb_pair *)a)->prob, y = ((const cb_pair *)b)->prob;
	if (x != y)
		return (x < y) - (x > y);
	const cb_pair *p = a, *q = b;
	return p->a != q->a ? (p->a > q->a) - (p->a < q->a) : (p->b > q->b) - (p->b < q->b);
}

int cb_clk_link(cb_pair **out, size_t *n, const cb_clks *A, const cb_clks *B, double threshold,
		uint64_t *compared, cb_error *err)
{
	cb_pair *cand = NULL, *res = NULL;
	size_t nc = 0, cap = 0, nr = 0;
	unsigned char *usedA = NULL, *usedB = NULL;
	uint64_t cmp = 0;
	*out = NULL;
	*n = 0;
	if (A->k != B->k || A->folded != B->folded)
		return cb_fail(err, CB_EINVAL, "the two lists were encoded differently (k %d/%d, folded %d/%d)",
			       A->k, B->k, A->folded, B->folded);
	for (size_t i = 0; i < A->n; i++) {
		const cb_clk *a = &A->v[i];
		for (size_t j = 0; j < B->n; j++) {
			const cb_clk *b = &B->v[j];
			/* Dice cannot reach t unless the counts are close */
			int pa = a->popcount, pb = b->popcount;
			if (2.0 * (pa < pb ? pa : pb) < threshold * (pa + pb))
				continue;
			cmp++;
			double d = cb_clk_dice(a, b);
			if (d < threshold)
				continue;
			if (nc == cap) {
				cb_pair *nv = realloc(cand, (cap = cap ? cap * 2 : 4096) * sizeof *nv);
				if (!nv) {
					free(cand);
					return cb_fail(err, CB_ENOMEM, "out of memory");
				}
				cand = nv;
			}
			cand[nc++] = (cb_pair){(uint32_t)i, (uint32_t)j, (float)d, (float)d};
		}
	}
	qsort(cand, nc, sizeof *cand, pair_prob_desc);
	usedA = calloc(A->n, 1);
	usedB = calloc(B->n, 1);
	res = malloc((nc ? nc : 1) * sizeof *res);
	if (!usedA || !usedB || !res) {
		free(cand);
		free(usedA);
		free(usedB);
		free(res);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nc; i++)
		if (!usedA[cand[i].a] && !usedB[cand[i].b]) {
			usedA[cand[i].a] = usedB[cand[i].b] = 1;
			res[nr++] = cand[i];
		}
	free(cand);
	free(usedA);
	free(usedB);
	*out = res;
	*n = nr;
	if (compared)
		*compared = cmp;
	return CB_OK;
}
