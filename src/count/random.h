/*
 * random.h: the random numbers of the LCMCR sampler, internal to count/.
 *
 * A small, fast, seedable generator (xoshiro256**, seeded through
 * splitmix64) and the variates the Gibbs sampler needs: uniform, normal,
 * gamma (Marsaglia-Tsang), beta, binomial (inversion for small means,
 * Hormann's BTRS transformed rejection otherwise), Poisson (inversion or
 * Hormann's PTRS), negative binomial (a gamma-Poisson mixture) and the
 * multinomial (conditional binomials). Everything is deterministic given
 * the seed. The state lives in the caller's struct: no globals.
 */
#ifndef CB_COUNT_RANDOM_H
#define CB_COUNT_RANDOM_H

#include <stdint.h>

typedef struct cb_rng {
	uint64_t s[4];
} cb_rng;

void cb_rng_seed(cb_rng *r, uint64_t seed);
uint64_t cb_rng_next(cb_rng *r);
/* Uniform on the open interval (0, 1). */
double cb_rng_uniform(cb_rng *r);
double cb_rng_normal(cb_rng *r);
/* Gamma with shape a > 0 and scale 1. */
double cb_rng_gamma(cb_rng *r, double a);
/* log of a Gamma(a, 1) draw, accurate also for tiny a where the draw
 * itself underflows. */
double cb_rng_log_gamma(cb_rng *r, double a);
/* Beta(a, b) as log x and log(1 - x), stable for extreme a, b. */
void cb_rng_log_beta(cb_rng *r, double a, double b, double *log_x, double *log_1mx);
long long cb_rng_binomial(cb_rng *r, long long n, double p);
long long cb_rng_poisson(cb_rng *r, double mean);
/* Failures before `size` successes with success probability p. */
long long cb_rng_negbin(cb_rng *r, double size, double p);
/* counts[0..k-1] ~ Multinomial(n, w / sum w); w need not be normalised. */
void cb_rng_multinomial(cb_rng *r, long long n, const double *w, int k, long long *counts);

#endif
