/*
 * neardup.c: MinHash signatures over word shingles (see neardup.h).
 *
 * Shingles. A document is reduced to its words (runs of ASCII letters and
 * digits, ASCII lower-cased; every byte >= 0x80 counts as a letter, so Korean
 * or Chinese runs are words too, kept as they are because case folding them
 * would cost more than it could gain) and the set of its overlapping
 * CB_SHINGLE_WORDS-word sequences. Why 4: a syndicated copy keeps long runs of
 * identical wording, so it shares most 4-word sequences with the original;
 * every reworded word breaks 4 of them, against 5 with 5-word shingles, so
 * copies score higher; while two different stories on the same subject share
 * only the stock phrases of the subject ("North Korean defectors", "were
 * repatriated to"), 2 to 3 words long, which mostly vanish at 4 words. Exact
 * Jaccard on examples/reports, copy pair (01/02) against the most similar
 * pair of different stories: 2 words 0.71/0.08, 3 words 0.67/0.03, 4 words
 * 0.63/0.02, 5 words 0.60/0.02. 2-word shingles let topic vocabulary in;
 * 3 to 5 all separate well, and 4 is the middle ground between robustness
 * to rewording and to shared boilerplate (monthly bulletins of one NGO).
 *
 * Hashing. Each word gets a 64-bit FNV-1a hash as it is scanned; a shingle's
 * hash combines its words' hashes by position and goes through a 64-bit
 * finaliser, so one pass over the bytes does all the hashing. The
 * CB_MINHASH_K hash functions are derived from that single 64-bit value x,
 * split into 32-bit halves lo and hi: h_k(x) = a_k * lo + c_k * hi mod 2^32
 * with odd a_k, c_k from a fixed splitmix64 sequence (so signatures are the
 * same across runs, builds and machines, and can be stored). For each k this
 * is a bijection of lo for a given hi, and different k order the shingles
 * independently enough: on synthetic pairs the estimate's mean matches the
 * exact Jaccard similarity within 0.02 and its spread is close to the ideal
 * sqrt(J(1-J)/K) (about 0.045 at J = 0.5). Two multiplies and an add per
 * function in 32-bit lanes, which vectorise; this loop is all of the cost.
 *
 * Signatures. v[k] is the minimum of h_k over all shingles. 0xFFFFFFFF is
 * kept out of the range of h_k so that an all-0xFFFFFFFF signature can mean
 * "too few words to judge" and match nothing, not even another such one.
 *
 * LSH. The signature is cut into CB_MINHASH_BANDS bands of r rows; a band's
 * key is a hash of its rows. Two documents with Jaccard similarity s share at
 * least one band with probability 1 - (1 - s^r)^b: with b = 32, r = 4 that is
 * 0.99 at s = 0.6, 0.87 at s = 0.5 (the threshold), 0.56 at s = 0.4 and 0.05
 * at s = 0.2, so copies are nearly never missed and different stories (s
 * below 0.1) are nearly never fetched as candidates.
 */
#include <string.h>

#include "collect/neardup.h"

#define CB_SHINGLE_WORDS 4
/* Below this many words a signature would rest on a handful of shingles and
 * mark unrelated short notes as copies of each other. */
#define CB_MINHASH_MIN_WORDS 12

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static inline int is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Folds one shingle hash into the signature: 32-bit lanes, no branches, so
 * that the compiler vectorises it (4 or 8 lanes at a time). */
static inline void fold(uint32_t *restrict sig, const uint32_t *restrict a,
			const uint32_t *restrict c, uint64_t x)
{
	uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);

	for (int k = 0; k < CB_MINHASH_K; k++) {
		uint32_t h = a[k] * lo + c[k] * hi;
		sig[k] = h < sig[k] ? h : sig[k];
	}
}

/* The fold loop is nearly all of the time spent here; on x86-64 an AVX2
 * copy (native 8-lane 32-bit multiplies, which SSE2 has to emulate) is
 * picked at load time where the CPU has it, for about four times the speed. */
#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
__attribute__((target_clones("avx2", "default")))
#endif
#endif
static void compute(cb_minhash *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t a[CB_MINHASH_K], b[CB_MINHASH_K];
	uint64_t seed = 0x636173656b6f6f62ull; /* "casebook" */
	uint64_t ring[CB_SHINGLE_WORDS];
	size_t words = 0, i = 0;

	for (int k = 0; k < CB_MINHASH_K; k++) {
		a[k] = (uint32_t)splitmix64(&seed) | 1;
		b[k] = (uint32_t)splitmix64(&seed) | 1;
		out->v[k] = 0xFFFFFFFFu;
	}
	while (i < len) {
		uint64_t h = FNV_OFFSET;
		while (i < len && !is_word_byte(s[i]))
			i++;
		if (i >= len)
			break;
		while (i < len && is_word_byte(s[i])) {
			unsigned char c = s[i++];
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			h = (h ^ c) * FNV_PRIME;
		}
		ring[words % CB_SHINGLE_WORDS] = h;
		words++;
		if (words >= CB_SHINGLE_WORDS) {
			/* Oldest word first, each position rotated differently so
			 * that the same words in another order differ. */
			uint64_t x = 0;
			for (size_t j = 0; j < CB_SHINGLE_WORDS; j++) {
				uint64_t w = ring[(words + j) % CB_SHINGLE_WORDS];
				x = (x << 7 | x >> 57) ^ w;
			}
			fold(out->v, a, b, fmix64(x));
		}
	}
	if (words < CB_MINHASH_MIN_WORDS) {
		memset(out->v, 0xFF, sizeof out->v);
		return;
	}
	/* 0xFFFFFFFF means "no signature"; a real minimum of that value (one
	 * chance in 2^32 per function) is moved out of its way. */
	for (int k = 0; k < CB_MINHASH_K; k++)
		out->v[k] -= out->v[k] == 0xFFFFFFFFu;
}

/* The clones live behind a static function: clang 14 emits the dispatcher of
 * an exported one only in the files that call it. */
void cb_minhash_compute(cb_minhash *out, const char *text, size_t len)
{
	compute(out, text, len);
}

int cb_minhash_is_empty(const cb_minhash *m)
{
	for (int k = 0; k < CB_MINHASH_K; k++)
		if (m->v[k] != 0xFFFFFFFFu)
			return 0;
	return 1;
}

double cb_minhash_similarity(const cb_minhash *a, const cb_minhash *b)
{
	int same = 0;

	for (int k = 0; k < CB_MINHASH_K; k++)
		same += a->v[k] == b->v[k] && a->v[k] != 0xFFFFFFFFu;
	return (double)same / CB_MINHASH_K;
}

void cb_minhash_bands(uint64_t out[CB_MINHASH_BANDS], const cb_minhash *m)
{
	enum { ROWS = CB_MINHASH_K / CB_MINHASH_BANDS };

	for (int i = 0; i < CB_MINHASH_BANDS; i++) {
		uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
		for (int r = 0; r < ROWS; r++)
			h = fmix64(h ^ m->v[i * ROWS + r]);
		out[i] = h;
	}
}
