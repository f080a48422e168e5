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

/* Similarity at or above which a document is marked a near-duplicate.
 * Measured (4-word shingles, see neardup.c) against example 01: the same
 * story under a new headline with site clutter 0.79, with its last two
 * paragraphs cut 0.78, the syndicated reword 02 0.58, cut to its first 60%
 * about 0.48, one word in eight changed 0.40, one in five 0.14; different
 * stories on the same subject 0.05 at most. So: copies, clipped copies and
 * lightly edited copies are caught; rewrites and stories clipped to half are
 * not (the corroborate stage groups those by their events). At 0.5 the LSH
 * bands (32 x 4) fetch a pair as a candidate 87% of the time, 99% at 0.6. */
#define CB_NEARDUP_THRESHOLD 0.5

#endif
