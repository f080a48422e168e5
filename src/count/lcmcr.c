/*
 * lcmcr.c: the Bayesian non-parametric latent-class model for capture-
 * recapture of Manrique-Vallier (2016, Biometrics 72), sampled by Gibbs.
 *
 * The model. Each of the N people belongs to one of K latent classes
 * (K is a truncation of a Dirichlet process); in class k a person is on
 * list j with probability lambda[j][k], independently across lists. Class
 * weights come from a stick-breaking prior with concentration alpha ~
 * Gamma(a_alpha, b_alpha); lambda ~ Beta(1, 1); N has the improper prior
 * 1/N. Dependence between lists and heterogeneity between people are both
 * absorbed by the mixture, which is why the model needs no choice of
 * interactions.
 *
 * The sampler augments the data with the n0 = N - n unobserved people (all
 * on no list) and cycles through:
 *   1. classes of the observed people, counted per distinct pattern (a
 *      multinomial draw per pattern instead of one draw per person);
 *   2. lambda[j][k] ~ Beta(1 + on, 1 + off) from class counts of observed
 *      and unobserved people;
 *   3. stick-breaking weights V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l);
 *   4. n0 ~ NegBinomial(n, 1 - p0), p0 the probability of being on no
 *      list (this is where the 1/N prior gives a closed form), redrawn if
 *      over 20 n as in the R package, which keeps the chain off absurd N;
 *   5. classes of the n0 unobserved people (one multinomial draw);
 *   6. alpha ~ Gamma(a_alpha + K - 1, b_alpha - log(weight of class K)).
 * Probabilities are kept in logs (lambda near 0 or 1 and tiny class
 * weights are common). Start: lambda at each list's share of the observed,
 * weights from the prior, then 500 warm-up sweeps with alpha fixed (as the
 * R package does) before the burn-in proper.
 *
 * Reading of the model and its updates follows the paper and the R package
 * LCMCR's documented behaviour; the code is written here from scratch.
 */
#include "count/count.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define WARMUP 500
#define MAX_ITERATIONS 2000000000L

void cb_lcmcr_defaults(cb_lcmcr_options *o)
{
	memset(o, 0, sizeof *o);
	o->K = 10;
	o->a_alpha = 0.25;
	o->b_alpha = 0.25;
	o->burnin = 10000;
	o->samples = 1000;
	o->thin = 100;
	o->seed = 1;
}

void cb_lcmcr_result_free(cb_lcmcr_result *r)
{
	if (!r)
		return;
	free(r->N);
	free(r);
}

typedef struct chain {
	int J, K, M;
	long long n;
	const uint32_t *pat;    /* M distinct observed patterns */
	const unsigned *freq;   /* their counts */
	double *l1, *l0;        /* J x K: lambda and 1 - lambda */
	double *log_nu;         /* K class weights, in logs */
	double *nu;             /* the same, as probabilities */
	unsigned *cnt;          /* M x K: observed people per pattern and class */
	unsigned *cnt0;         /* K: unobserved people per class */
	long long *nk;          /* K: people per class */
	long long *on;          /* J x K: people in class k on list j */
	double *w;              /* K scratch */
	int *order;             /* K: classes by falling nu */
	double alpha, a_alpha, b_alpha;
	long long n0;
	gsl_rng *rng;
} chain;

/* log of a Gamma(a, 1) draw, also for a tiny a whose draw underflows:
 * G(a) = G(a + 1) U^(1/a). */
static double log_gamma_draw(gsl_rng *r, double a)
{
	if (a >= 1.0)
		return log(gsl_ran_gamma(r, a, 1.0));
	return log(gsl_ran_gamma(r, a + 1.0, 1.0)) + log(gsl_rng_uniform_pos(r)) / a;
}

/* out[0..K) ~ Multinomial(n, w / sum w) by conditional binomials (GSL's),
 * the classes taken by falling class weight (c->order, from
 * sample_weights; any order is exact): the few heavy classes take nearly
 * everyone and the rest are skipped once nobody is left, where
 * gsl_ran_multinomial would draw a binomial for every class. */
static void multinomial(chain *c, unsigned n, const double *w, unsigned *out)
{
	int K = c->K, *ord = c->order;
	double rest = 0.0;
	for (int k = 0; k < K; k++) {
		rest += w[k];
		out[k] = 0;
	}
	for (int i = 0; i < K && n > 0; i++) {
		int k = ord[i];
		double p = rest > 0.0 ? w[k] / rest : 1.0;
		unsigned x = (i == K - 1 || p >= 1.0) ? n : gsl_ran_binomial(c->rng, p, n);
		out[k] = x;
		n -= x;
		rest -= w[k];
	}
}

/* Classes of the observed people, one multinomial per distinct pattern.
 * Lambda is kept as probabilities (its Beta parameters are at least 1, so
 * no draw is near underflow), which makes each pattern's class weights a
 * product of J + 1 factors: no exp or log here. */
static void sample_observed_classes(chain *c)
{
	int J = c->J, K = c->K;
	for (int m = 0; m < c->M; m++) {
		uint32_t h = c->pat[m];
		for (int k = 0; k < K; k++)
			c->w[k] = c->nu[k];
		for (int j = 0; j < J; j++) {
			const double *f = (h >> j & 1) ? c->l1 + j * K : c->l0 + j * K;
			for (int k = 0; k < K; k++)
				c->w[k] *= f[k];
		}
		multinomial(c, c->freq[m], c->w, c->cnt + (size_t)m * K);
	}
}

static void tally(chain *c)
{
	int J = c->J, K = c->K;
	for (int k = 0; k < K; k++)
		c->nk[k] = c->cnt0[k];
	memset(c->on, 0, sizeof *c->on * (size_t)J * (size_t)K);
	for (int m = 0; m < c->M; m++) {
		const unsigned *row = c->cnt + (size_t)m * K;
		uint32_t h = c->pat[m];
		for (int k = 0; k < K; k++)
			c->nk[k] += row[k];
		for (int j = 0; j < J; j++)
			if (h >> j & 1)
				for (int k = 0; k < K; k++)
					c->on[j * K + k] += row[k];
	}
}

/* lambda[j][k] ~ Beta(1 + on, 1 + off) as a ratio of gammas, so that
 * 1 - lambda comes without cancellation. */
static void sample_lambda(chain *c)
{
	int J = c->J, K = c->K;
	for (int j = 0; j < J; j++)
		for (int k = 0; k < K; k++) {
			double on = (double)c->on[j * K + k], off = (double)(c->nk[k] - c->on[j * K + k]);
			double x = gsl_ran_gamma(c->rng, 1.0 + on, 1.0);
			double y = gsl_ran_gamma(c->rng, 1.0 + off, 1.0);
			c->l1[j * K + k] = x / (x + y);
			c->l0[j * K + k] = y / (x + y);
		}
}

/* Stick-breaking weights in logs: alpha may be tiny, and a stick's
 * remainder with it. */
static void sample_weights(chain *c)
{
	int K = c->K;
	long long rest = c->n + c->n0;
	double acc = 0.0;
	for (int k = 0; k < K - 1; k++) {
		rest -= c->nk[k];
		double la = log_gamma_draw(c->rng, 1.0 + (double)c->nk[k]);
		double lb = log_gamma_draw(c->rng, c->alpha + (double)rest);
		double top = la > lb ? la : lb;
		double ls = top + log(exp(la - top) + exp(lb - top));
		c->log_nu[k] = la - ls + acc;
		acc += lb - ls;
	}
	c->log_nu[K - 1] = acc;
	for (int k = 0; k < K; k++) {
		int i = k;
		c->nu[k] = exp(c->log_nu[k]);
		while (i > 0 && c->nu[c->order[i - 1]] < c->nu[k]) {
			c->order[i] = c->order[i - 1];
			i--;
		}
		c->order[i] = k;
	}
}

/* Unobserved count and their classes. */
static void sample_missing(chain *c)
{
	int J = c->J, K = c->K;
	double p0 = 0.0;
	for (int k = 0; k < K; k++) {
		double lp = c->nu[k];
		for (int j = 0; j < J; j++)
			lp *= c->l0[j * K + k];
		c->w[k] = lp;
		p0 += lp;
	}
	if (p0 > 1.0 - 1e-12)
		p0 = 1.0 - 1e-12;
	/* NegBinomial(n, 1 - p0) as its gamma-Poisson mixture, drawn in two
	 * steps so that an absurd mean is refused before a Poisson draw
	 * could overflow. */
	long long n0 = 20 * c->n;
	for (int tries = 0; tries < 1000; tries++) {
		double mean = gsl_ran_gamma(c->rng, (double)c->n, p0 / (1.0 - p0));
		if (mean > 40.0 * (double)c->n)
			continue;
		long long d = gsl_ran_poisson(c->rng, mean);
		if (d <= 20 * c->n) {
			n0 = d;
			break;
		}
	}
	c->n0 = n0;
	multinomial(c, (unsigned)n0, c->w, c->cnt0);
}

static void sample_alpha(chain *c)
{
	double rate = c->b_alpha - c->log_nu[c->K - 1];
	c->alpha = gsl_ran_gamma(c->rng, c->a_alpha + c->K - 1.0, 1.0) / rate;
	if (c->alpha < 1e-300)
		c->alpha = 1e-300;
}

static void sweep(chain *c, int with_alpha)
{
	sample_observed_classes(c);
	tally(c);
	sample_lambda(c);
	sample_weights(c);
	sample_missing(c);
	if (with_alpha)
		sample_alpha(c);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Quantile of sorted x[0..n) as R's type 7. */
static double quantile(const double *x, long n, double q)
{
	double h = (double)(n - 1) * q;
	long lo = (long)floor(h);
	if (lo >= n - 1)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* Effective sample size by Geyer's initial positive sequence; *var gets
 * the sample variance. */
static double ess_of(const double *x, long n, double *var)
{
	double mean = 0.0, v = 0.0;
	for (long i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (long i = 0; i < n; i++)
		v += (x[i] - mean) * (x[i] - mean);
	v /= (double)n;
	*var = v;
	if (n < 4 || v <= 0.0)
		return (double)n;
	double sum = 0.0;
	long maxlag = n / 2 < 5000 ? n / 2 : 5000;
	for (long lag = 0; lag + 1 < maxlag; lag += 2) {
		double r0 = 0.0, r1 = 0.0;
		for (long i = 0; i + lag < n; i++)
			r0 += (x[i] - mean) * (x[i + lag] - mean);
		for (long i = 0; i + lag + 1 < n; i++)
			r1 += (x[i] - mean) * (x[i + lag + 1] - mean);
		double pair = (r0 + r1) / ((double)n * v);
		if (pair <= 0.0)
			break;
		sum += pair;
	}
	double tau = 2.0 * sum - 1.0;
	if (tau < 1.0 / (double)n)
		tau = 1.0 / (double)n;
	double e = (double)n / tau;
	return e < (double)n ? e : (double)n;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cb_lcmcr_run(cb_lcmcr_result **out, const cb_patterns *p, const cb_lcmcr_options *opt,
		 cb_error *err)
{
	cb_lcmcr_options o;
	chain c;
	cb_lcmcr_result *res = NULL;
	uint32_t *pat = NULL;
	unsigned *freq = NULL;
	double *sorted = NULL, classes = 0.0;
	int rc = CB_OK;

	*out = NULL;
	memset(&c, 0, sizeof c);
	if (opt)
		o = *opt;
	else
		cb_lcmcr_defaults(&o);
	if (o.K < 2 || o.K > 1000)
		return cb_fail(err, CB_EINVAL, "K = %d: need 2 to 1000 latent classes", o.K);
	if (!(o.a_alpha > 0) || !(o.b_alpha > 0))
		return cb_fail(err, CB_EINVAL, "a_alpha and b_alpha must be positive");
	if (o.burnin < 0 || o.samples < 1 || o.thin < 1 ||
	    (double)o.burnin + (double)o.samples * (double)o.thin > (double)MAX_ITERATIONS)
		return cb_fail(err, CB_EINVAL,
			       "burn-in %ld, %ld samples thinned by %ld: need samples and thinning "
			       "of at least 1 and at most %ld iterations",
			       o.burnin, o.samples, o.thin, MAX_ITERATIONS);
	if ((rc = cb_patterns_check(p, err)) < 0)
		return rc;
	/* GSL's multinomial counts in unsigned int; N is kept under 21 n. */
	if (p->n > (long long)(UINT_MAX / 21))
		return cb_fail(err, CB_EINVAL, "%lld people observed: at most %u for LCMCR", p->n,
			       UINT_MAX / 21);

	int J = p->nlists, K = o.K;
	size_t ncell = (size_t)1 << J;
	c.J = J;
	c.K = K;
	c.n = p->n;
	c.a_alpha = o.a_alpha;
	c.b_alpha = o.b_alpha;
	pat = malloc(sizeof *pat * p->nonzero);
	freq = malloc(sizeof *freq * p->nonzero);
	c.l1 = malloc(sizeof *c.l1 * (size_t)J * K);
	c.l0 = malloc(sizeof *c.l0 * (size_t)J * K);
	c.log_nu = malloc(sizeof *c.log_nu * (size_t)K);
	c.nu = malloc(sizeof *c.nu * (size_t)K);
	c.rng = gsl_rng_alloc(gsl_rng_taus2);
	c.cnt = calloc(p->nonzero * (size_t)K, sizeof *c.cnt);
	c.cnt0 = calloc((size_t)K, sizeof *c.cnt0);
	c.nk = calloc((size_t)K, sizeof *c.nk);
	c.on = calloc((size_t)J * K, sizeof *c.on);
	c.w = malloc(sizeof *c.w * (size_t)K);
	c.order = malloc(sizeof *c.order * (size_t)K);
	res = calloc(1, sizeof *res);
	if (res)
		res->N = malloc(sizeof *res->N * (size_t)o.samples);
	sorted = malloc(sizeof *sorted * (size_t)o.samples);
	if (!pat || !freq || !c.l1 || !c.l0 || !c.log_nu || !c.nu || !c.rng || !c.cnt || !c.cnt0 || !c.nk ||
	    !c.on || !c.w || !c.order || !res || !res->N || !sorted) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t h = 1; h < ncell; h++)
		if (p->cells[h] > 0) {
			pat[c.M] = (uint32_t)h;
			freq[c.M] = (unsigned)p->cells[h];
			c.M++;
		}
	c.pat = pat;
	c.freq = freq;
	gsl_rng_set(c.rng, (unsigned long)o.seed);

	/* Start: every class at the observed share of each list; weights
	 * from the prior with alpha = 1. */
	for (int j = 0; j < J; j++) {
		long long onj = 0;
		for (size_t h = 1; h < ncell; h++)
			if (h >> j & 1)
				onj += p->cells[h];
		double share = (double)onj / (double)p->n;
		for (int k = 0; k < K; k++) {
			c.l1[j * K + k] = share;
			c.l0[j * K + k] = 1.0 - share;
		}
	}
	c.alpha = 1.0;
	sample_weights(&c);
	c.alpha = 0.3 / K;
	for (int i = 0; i < WARMUP; i++)
		sweep(&c, 0);

	long total = o.burnin + o.samples * o.thin, done_it = 0;
	long every = total / 100 > 0 ? total / 100 : 1;
	double t0 = now_s();
	for (long i = 0; i < o.burnin; i++) {
		sweep(&c, 1);
		if (o.progress && ++done_it % every == 0)
			o.progress(o.progress_ctx, done_it, total);
	}
	done_it = o.burnin;
	for (long s = 0; s < o.samples; s++) {
		for (long i = 0; i < o.thin; i++) {
			sweep(&c, 1);
			if (o.progress && ++done_it % every == 0)
				o.progress(o.progress_ctx, done_it, total);
		}
		res->N[s] = (double)(c.n + c.n0);
		int occupied = 0;
		for (int k = 0; k < K; k++)
			occupied += c.nk[k] > 0;
		classes += occupied;
	}
	if (o.progress)
		o.progress(o.progress_ctx, total, total);
	res->seconds = now_s() - t0;
	res->iterations = total;
	res->nsamples = o.samples;
	res->mean_classes = classes / (double)o.samples;

	memcpy(sorted, res->N, sizeof *sorted * (size_t)o.samples);
	qsort(sorted, (size_t)o.samples, sizeof *sorted, cmp_double);
	res->q025 = quantile(sorted, o.samples, 0.025);
	res->q05 = quantile(sorted, o.samples, 0.05);
	res->q50 = quantile(sorted, o.samples, 0.5);
	res->q95 = quantile(sorted, o.samples, 0.95);
	res->q975 = quantile(sorted, o.samples, 0.975);
	double var;
	res->ess = ess_of(res->N, o.samples, &var);
	res->sd = sqrt(var * (double)o.samples / (double)(o.samples > 1 ? o.samples - 1 : 1));
	double sum = 0.0;
	for (long s = 0; s < o.samples; s++)
		sum += res->N[s];
	res->mean = sum / (double)o.samples;
	/* Geweke: first 10% against last 50%, each mean's variance from its
	 * own effective sample size. */
	long na = o.samples / 10, nb = o.samples / 2;
	res->geweke_z = NAN;
	if (na >= 5) {
		double va, vb, ma = 0.0, mb = 0.0;
		double ea = ess_of(res->N, na, &va), eb = ess_of(res->N + o.samples - nb, nb, &vb);
		for (long s = 0; s < na; s++)
			ma += res->N[s];
		for (long s = o.samples - nb; s < o.samples; s++)
			mb += res->N[s];
		ma /= (double)na;
		mb /= (double)nb;
		double se2 = va / ea + vb / eb;
		res->geweke_z = se2 > 0 ? (ma - mb) / sqrt(se2) : 0.0;
	}
	*out = res;
	res = NULL;
done:
	cb_lcmcr_result_free(res);
	free(sorted);
	free(pat);
	free(freq);
	free(c.l1);
	free(c.l0);
	free(c.log_nu);
	free(c.nu);
	gsl_rng_free(c.rng);
	free(c.cnt);
	free(c.cnt0);
	free(c.nk);
	free(c.on);
	free(c.w);
	free(c.order);
	return rc;
}
