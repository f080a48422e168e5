/*
 * random.c: see random.h.
 *
 * Implementation notes. The binomial and Poisson samplers use Hormann's
 * transformed rejection (BTRS, PTRS; "The generation of binomial random
 * variates", J. Stat. Comput. Simul. 46, 1993, and the Poisson paper of the
 * same year) above a mean of 10, where their acceptance rate is over 90% and
 * the cost does not grow with the mean; below it, plain inversion is
 * cheaper. The LCMCR sampler draws about a hundred multinomial counts per
 * iteration, so these two decide its speed.
 */
#include "count/random.h"

#include <math.h>

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void cb_rng_seed(cb_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t cb_rng_next(cb_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double cb_rng_uniform(cb_rng *r)
{
	/* 53 random bits, centred in their interval: never exactly 0 or 1, so
	 * log(u) and 1/u are always finite. */
	return ((double)(cb_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

double cb_rng_normal(cb_rng *r)
{
	double u, v, s;
	do {
		u = 2.0 * cb_rng_uniform(r) - 1.0;
		v = 2.0 * cb_rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

/* Marsaglia and Tsang (2000) for shape >= 1. */
static double gamma_ge1(cb_rng *r, double a)
{
	double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x = cb_rng_normal(r), v = 1.0 + c * x;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		double u = cb_rng_uniform(r), x2 = x * x;
		if (u < 1.0 - 0.0331 * x2 * x2)
			return d * v;
		if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
			return d * v;
	}
}

double cb_rng_gamma(cb_rng *r, double a)
{
	if (a < 1.0)
		return gamma_ge1(r, a + 1.0) * pow(cb_rng_uniform(r), 1.0 / a);
	return gamma_ge1(r, a);
}

double cb_rng_log_gamma(cb_rng *r, double a)
{
	/* Gamma(a) = Gamma(a+1) * U^(1/a): in logs this stays finite when a is
	 * so small that the draw itself would round to zero. */
	if (a < 1.0)
		return log(gamma_ge1(r, a + 1.0)) + log(cb_rng_uniform(r)) / a;
	return log(gamma_ge1(r, a));
}

void cb_rng_log_beta(cb_rng *r, double a, double b, double *log_x, double *log_1mx)
{
	double ga = cb_rng_log_gamma(r, a), gb = cb_rng_log_gamma(r, b);
	double m = ga > gb ? ga : gb;
	double lse = m + log(exp(ga - m) + exp(gb - m));
	*log_x = ga - lse;
	*log_1mx = gb - lse;
}

static long long binomial_inversion(cb_rng *r, long long n, double p)
{
	double q = 1.0 - p, s = p / q, a = (double)(n + 1) * s, r0 = pow(q, (double)n);
	for (;;) {
		double u = cb_rng_uniform(r), f = r0;
		long long x = 0;
		while (u > f) {
			u -= f;
			x++;
			if (x > n)
				break;
			f *= a / (double)x - s;
		}
		if (x <= n)
			return x;
	}
}

static long long binomial_btrs(cb_rng *r, long long n, double p)
{
	double q = 1.0 - p, spq = sqrt((double)n * p * q);
	double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p;
	double c = (double)n * p + 0.5, vr = 0.92 - 4.2 / b;
	double alpha = (2.83 + 5.1 / b) * spq, lpq = log(p / q);
	double m = floor((double)(n + 1) * p);
	double h = lgamma(m + 1.0) + lgamma((double)n - m + 1.0);
	for (;;) {
		double u = cb_rng_uniform(r) - 0.5, v = cb_rng_uniform(r);
		double us = 0.5 - fabs(u);
		double k = floor((2.0 * a / us + b) * u + c);
		if (k < 0.0 || k > (double)n)
			continue;
		if (us >= 0.07 && v <= vr)
			return (long long)k;
		v = log(v * alpha / (a / (us * us) + b));
		if (v <= h - lgamma(k + 1.0) - lgamma((double)n - k + 1.0) + (k - m) * lpq)
			return (long long)k;
	}
}

long long cb_rng_binomial(cb_rng *r, long long n, double p)
{
	if (n <= 0 || p <= 0.0)
		return 0;
	if (p >= 1.0)
		return n;
	if (p > 0.5)
		return n - cb_rng_binomial(r, n, 1.0 - p);
	if ((double)n * p < 10.0)
		return binomial_inversion(r, n, p);
	return binomial_btrs(r, n, p);
}

long long cb_rng_poisson(cb_rng *r, double mean)
{
	if (!(mean > 0.0))
		return 0;
	if (mean < 10.0) {
		double L = exp(-mean), prod = cb_rng_uniform(r);
		long long k = 0;
		while (prod > L) {
			prod *= cb_rng_uniform(r);
			k++;
		}
		return k;
	}
	double slam = sqrt(mean), loglam = log(mean);
	double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
	double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
	for (;;) {
		double u = cb_rng_uniform(r) - 0.5, v = cb_rng_uniform(r);
		double us = 0.5 - fabs(u);
		double k = floor((2.0 * a / us + b) * u + mean + 0.43);
		if (us >= 0.07 && v <= vr)
			return (long long)k;
		if (k < 0.0 || (us < 0.013 && v > us))
			continue;
		if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
		    -mean + k * loglam - lgamma(k + 1.0))
			return (long long)k;
	}
}

long long cb_rng_negbin(cb_rng *r, double size, double p)
{
	if (p >= 1.0)
		return 0;
	return cb_rng_poisson(r, cb_rng_gamma(r, size) * (1.0 - p) / p);
}

void cb_rng_multinomial(cb_rng *r, long long n, const double *w, int k, long long *counts)
{
	double rest = 0.0;
	for (int i = 0; i < k; i++)
		rest += w[i];
	for (int i = 0; i < k - 1; i++) {
		long long c = 0;
		if (n > 0 && w[i] > 0.0)
			c = w[i] < rest * (1.0 - 1e-14) ? cb_rng_binomial(r, n, w[i] / rest) : n;
		counts[i] = c;
		n -= c;
		rest -= w[i];
	}
	counts[k - 1] = n;
}
