/*
 * count.h: multiple systems estimation (capture-recapture) - how many people
 * no list recorded, from how the lists overlap.
 *
 * Input is a table of capture patterns: for each combination of lists a
 * person can be on, how many people were on exactly those lists
 * (cb_patterns, read from CSV by patterns.c). Two families of estimators
 * work on it:
 *
 *   - log-linear models (models.c over loglin.c): a Poisson GLM on the
 *     2^t - 1 observable cells; the fitted count of the unobservable cell
 *     (on no list) plus the observed total is the estimate of N. Models:
 *     M0, Mt (independence), Mt with two-way list interactions, and the
 *     heterogeneity models Mh/Mth of Rcapture (Chao lower bound, Poisson2,
 *     Darroch, Gamma3.5). Each comes with a standard error, AIC, BIC and a
 *     profile-likelihood interval for N from the multinomial likelihood.
 *   - LCMCR (lcmcr.c): the Bayesian latent-class model of Manrique-Vallier
 *     (2016) with a truncated stick-breaking prior, sampled by Gibbs; the
 *     posterior of N is summarised by quantiles.
 *
 * Memory: every cb_*_free() accepts NULL. Objects returned through an OUT
 * pointer belong to the caller, who frees them with the function named
 * beside the constructor. Nothing here keeps global state; the samplers
 * take their seed from the options, so a run is reproducible.
 */
#ifndef CB_COUNT_H
#define CB_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Lists beyond this make the full table of patterns (2^t cells) too big for
 * the log-linear models; LCMCR works on observed patterns only but shares
 * the limit so that one table type serves both. */
#define CB_COUNT_MAX_LISTS 16
/* A patterns file bigger than this is refused (64 MiB). */
#define CB_COUNT_MAX_FILE ((size_t)64 << 20)

/* ---- patterns.c ---------------------------------------------------- */

typedef struct cb_patterns {
	int nlists;            /* t, 2..CB_COUNT_MAX_LISTS */
	char **names;          /* t list names, from the CSV header */
	/* cells[h] = people whose pattern is h (bit j set = on list j), for
	 * h = 0 .. 2^t - 1; cells[0] (on no list) is always 0. */
	long long *cells;
	long long n;           /* people observed: the sum of cells */
	size_t nonzero;        /* patterns with a positive count */
} cb_patterns;

/* Parses CSV text: a header naming the lists and optionally a count column
 * (named count, freq, frequency or n, any case), then one row per pattern
 * (with the count) or one row per person (without it; equal rows add up).
 * Values are 0/1; counts are non-negative integers; the all-zero pattern
 * may appear only with count 0. name is used in messages ("FILE: line N:
 * reason"). On success *out is a new table (free with cb_patterns_free). */
int cb_patterns_parse(cb_patterns **out, const char *text, size_t len, const char *name,
		      cb_error *err);

/* cb_patterns_parse on the contents of path (at most CB_COUNT_MAX_FILE). */
int cb_patterns_read(cb_patterns **out, const char *path, cb_error *err);

/* A table from counts in memory: cells has 2^nlists entries (cells[0]
 * ignored), names may be NULL (lists are then called A, B, ...). For tests
 * and for callers that build tables from linked lists. */
int cb_patterns_from_cells(cb_patterns **out, int nlists, const long long *cells,
			   const char *const *names, cb_error *err);

void cb_patterns_free(cb_patterns *p);

/* CB_OK when the table can carry an estimate at all; otherwise CB_ERR
 * with the reason (nobody observed, nobody on two lists, everybody on
 * every list, a list with nobody or everybody on it). */
int cb_patterns_check(const cb_patterns *p, cb_error *err);

/* ---- loglin.c: Poisson regression by IRLS -------------------------- */

typedef struct cb_glm {
	int p;            /* parameters */
	double *beta;     /* p coefficients */
	double *cov;      /* p x p inverse Fisher information, row-major */
	double *mu;       /* fitted means, one per row */
	double deviance;  /* 2 sum y log(y/mu) - (y - mu) */
	double loglik;    /* Poisson log-likelihood, with the log y! terms */
	int iterations;
	int converged;    /* 0: hit the iteration limit */
	int boundary;     /* some fitted mean went to 0 for a cell (an
			   * interaction with no one in it): the MLE sits on
			   * the edge of the parameter space */
} cb_glm;

/* Fits log E[y] = X beta by iteratively reweighted least squares (Cholesky
 * of X'WX). X is rows x p, row-major; start (p values, may be NULL) warm-
 * starts the iteration. Fails with CB_EINVAL when X'WX is singular (columns
 * that are not independent on these rows). On success the caller frees
 * out's arrays with cb_glm_clear. */
int cb_glm_poisson(cb_glm *out, const double *X, const double *y, size_t rows, int p,
		   const double *start, cb_error *err);
void cb_glm_clear(cb_glm *g);

/* Cholesky factorisation of the symmetric positive definite n x n matrix a
 * in place (lower triangle = L, row-major); -1 when not positive definite
 * to working precision. Exposed for the tests. */
int cb_cholesky(double *a, int n);

/* ---- models.c: the log-linear models of capture-recapture ---------- */

typedef enum cb_het {
	CB_HET_NONE = 0,
	CB_HET_CHAO,     /* Chao's lower bound: (k-2)+, ..., (k-t+1)+; negative
			  * coefficients are dropped, as Rcapture does */
	CB_HET_POISSON2, /* 2^k - 1 */
	CB_HET_DARROCH,  /* k^2 / 2 */
	CB_HET_GAMMA35   /* log(3.5) - log(3.5 + k) */
} cb_het;

typedef struct cb_model_spec {
	int time;             /* 1: one effect per list (Mt); 0: one effect of the
			       * number of captures (M0) */
	cb_het het;
	uint64_t pairs;       /* two-way interactions, bit cb_pair_index(i, j) */
} cb_model_spec;

/* The bit of the pair of lists i < j among the t(t-1)/2 pairs. */
int cb_pair_index(int t, int i, int j);

typedef enum cb_model_status {
	CB_MODEL_OK = 0,
	CB_MODEL_FAILED    /* did not converge, singular, or N out of range:
			    * note says which; not ranked */
} cb_model_status;

typedef struct cb_model_result {
	cb_model_spec spec;
	char name[160];     /* "Mt", "Mth Poisson2", "Mt + EXH:ABA + ..." */
	int status;
	char note[120];     /* why it failed, or "boundary" remarks */
	int npar;
	double N, se;       /* Poisson estimate n + exp(intercept), its s.e. */
	double deviance;
	int df;
	double aic, bic;    /* -2 loglik + 2p, -2 loglik + log(n) p */
	/* Profile-likelihood interval from the multinomial likelihood; filled
	 * by cb_model_profile_ci. N_prof is its maximiser. ci_hi is INFINITY
	 * when the likelihood does not drop enough before 1e9. */
	int has_ci;
	double N_prof, ci_lo, ci_hi;
	int rank_aic, rank_bic;  /* 1 = best among the OK models; 0 = unranked */
} cb_model_result;

/* Fits one model to p. Always returns a result (status says whether it
 * could be fitted); fails only for CB_ENOMEM or a bad spec. */
int cb_model_fit(cb_model_result *out, const cb_patterns *p, const cb_model_spec *spec,
		 cb_error *err);

/* Adds the profile-likelihood interval at level (0.95) to a fitted model. */
int cb_model_profile_ci(cb_model_result *m, const cb_patterns *p, double level, cb_error *err);

/* The log-linear set is fitted for at most this many lists (1023 cells). */
#define CB_LOGLIN_MAX_LISTS 10

typedef struct cb_loglin_options {
	int search;     /* 1: also every subset of two-way terms (t <= 5) and,
			 * for t <= 4, each heterogeneity form with them */
	double level;   /* interval level, 0.95 */
	int ci_all;     /* 1: intervals for every model; 0: only the ones
			 * cb_loglin_estimate marks as shown */
} cb_loglin_options;

/* Fits the standard set: M0, Mt, Mh and Mth with the four heterogeneity
 * forms, Mt with each single two-way term, all two-way terms and all but
 * one (up to 8 lists),
 * and with opt->search the subsets; ranks by AIC and BIC. *out is a
 * malloc'd array of *nout results (free it with free()); *shown (may be
 * NULL) gets a malloc'd array of *nout flags saying which to print by
 * default: the standard ones and the three best by AIC and BIC. More than
 * CB_LOGLIN_MAX_LISTS lists fail with CB_ERR (use LCMCR). */
int cb_loglin_estimate(cb_model_result **out, size_t *nout, unsigned char **shown,
		       const cb_patterns *p, const cb_loglin_options *opt, cb_error *err);

/* ---- lcmcr.c: Bayesian latent-class model (Manrique-Vallier 2016) -- */

typedef void (*cb_progress_fn)(void *ctx, long done, long total);

typedef struct cb_lcmcr_options {
	int K;              /* latent classes (truncation), default 10 */
	double a_alpha;     /* Gamma prior on the stick-breaking concentration */
	double b_alpha;     /*   shape a, rate b; defaults 0.25, 0.25 */
	long burnin;        /* iterations discarded, default 10000 */
	long samples;       /* draws of N kept, default 1000 */
	long thin;          /* iterations between kept draws, default 100 */
	uint64_t seed;      /* same seed, same table, same options: same draws */
	cb_progress_fn progress;  /* may be NULL; called about every 1% */
	void *progress_ctx;
} cb_lcmcr_options;

/* The package's example settings (K=10, 0.25/0.25, 10000/1000/100, seed 1). */
void cb_lcmcr_defaults(cb_lcmcr_options *o);

typedef struct cb_lcmcr_result {
	long nsamples;
	double *N;            /* the kept draws of N, in order (nsamples) */
	double mean, sd;
	double q025, q05, q50, q95, q975;
	/* Convergence: the effective sample size of the N draws (initial
	 * positive sequence of autocorrelations) and Geweke's z comparing the
	 * first 10% with the last 50% of the draws (|z| > 2 is a warning). */
	double ess, geweke_z;
	double mean_classes;  /* average number of occupied classes */
	long iterations;
	double seconds;       /* wall time of the sampler */
} cb_lcmcr_result;

/* Runs the Gibbs sampler on p. *out is new (free with
 * cb_lcmcr_result_free). Fails with CB_EINVAL for bad options, or with
 * cb_patterns_check's error for a table that cannot carry an estimate. */
int cb_lcmcr_run(cb_lcmcr_result **out, const cb_patterns *p, const cb_lcmcr_options *opt,
		 cb_error *err);
void cb_lcmcr_result_free(cb_lcmcr_result *r);

/* plot.c: writes an SVG of the posterior of N (a histogram of r's draws)
 * with the observed count, the median and the 95% interval marked, to path
 * (atomically). title may be NULL. */
int cb_posterior_svg(const char *path, const cb_lcmcr_result *r, double observed, const char *title,
		     cb_error *err);

#endif
