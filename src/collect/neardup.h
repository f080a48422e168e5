/*
 * neardup.h: near-duplicate detection for reworded or syndicated copies of
 * the same story: word shingles, MinHash signatures, and LSH bands for
 * finding candidates in the store with an index lookup rather than a scan.
 */
#ifndef CB_NEARDUP_H
#define CB_NEARDUP_H

#include <stddef.h>
#include <stdint.h>

#define CB_MINHASH_K 128     /* hash functions in a signature */
#define CB_MINHASH_BANDS 32  /* LSH bands of CB_MINHASH_K / CB_MINHASH_BANDS rows */

typedef struct cb_minhash {
	uint32_t v[CB_MINHASH_K];
} cb_minhash;

/* Signature of text[0..len) over its lower-cased word shingles. A text with
 * too few words gets an all-0xFFFFFFFF signature, which matches nothing. */
void cb_minhash_compute(cb_minhash *out, const char *text, size_t len);

/* 1 if m is the "too few words" signature that matches nothing; the store
 * need not index its bands (they would all be equal). */
int cb_minhash_is_empty(const cb_minhash *m);

/* Estimated Jaccard similarity of the shingle sets, 0..1. */
double cb_minhash_similarity(const cb_minhash *a, const cb_minhash *b);

/* One 64-bit key per band; two texts sharing any key are candidates. */
void cb_minhash_bands(uint64_t out[CB_MINHASH_BANDS], const cb_minhash *m);

/* Similarity at or above which a document is marked a near-duplicate. */
#define CB_NEARDUP_THRESHOLD 0.5

#endif
