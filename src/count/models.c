/*
 * models.c: the log-linear models of closed-population capture-recapture,
 * as design matrices over the 2^t - 1 observable capture patterns, and the
 * estimate of N each one gives.
 *
 * Every model has an intercept, whose exponential is the fitted count of
 * the unobservable pattern (every other column is 0 there), so N = n +
 * exp(intercept). The columns follow Rivest and Baillargeon's Rcapture so
 * that figures can be compared: M0 has the number of captures k, Mt one
 * indicator per list, and the heterogeneity forms add a function of k:
 * Poisson2 2^k - 1, Darroch k^2/2, Gamma3.5 log 3.5 - log(3.5 + k), and
 * Chao's lower bound the t - 2 columns (k - 2)+, ..., (k - t + 1)+, whose
 * negative coefficients are dropped and the model refitted (Rcapture's
 * default). Two-way interactions are products of two list indicators.
 *
 * The standard error is Rcapture's: var N = exp(b0) + exp(2 b0) var(b0),
 * the first term for the randomness of n itself. The interval is the
 * profile likelihood of N under the multinomial model (Cormack 1992): for a
 * given N the table is completed with N - n people on no list, the same
 * model is fitted to all 2^t cells, and the log-likelihood is -D/2 plus the
 * combinatorial term log N! - log (N-n)! + (N-n) log(N-n) - N log N. The
 * interval is where it stays within chi2(1, level)/2 of its maximum.
 */
#include "count/count.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An estimate of the unobserved count beyond this is no estimate. */
#define MAX_HIDDEN 1e12
/* The profile interval looks no further than this. */
#define MAX_N_CI 1e9

int cb_pair_index(int t, int i, int j)
{
	/* pairs ordered (0,1), (0,2), ..., (0,t-1), (1,2), ... */
	return i * t - i * (i + 1) / 2 + (j - i - 1);
}

static int npairs(int t)
{
	return t * (t - 1) / 2;
}

static const char *het_name(cb_het h)
{
	switch (h) {
	case CB_HET_CHAO: return "Chao (LB)";
	case CB_HET_POISSON2: return "Poisson2";
	case CB_HET_DARROCH: return "Darroch";
	case CB_HET_GAMMA35: return "Gamma3.5";
	default: return "";
	}
}

static void model_name(char *out, size_t n, const cb_patterns *p, const cb_model_spec *s)
{
	int t = p->nlists, P = npairs(t), len;
	uint64_t full = P >= 64 ? ~0ULL : ((1ULL << P) - 1);
	if (!s->het)
		len = snprintf(out, n, "%s", s->time ? "Mt" : "M0");
	else
		len = snprintf(out, n, "%s %s", s->time ? "Mth" : "Mh", het_name(s->het));
	if (!s->pairs || len < 0 || (size_t)len >= n)
		return;
	uint64_t missing = full & ~s->pairs;
	if (P >= 3 && s->pairs == full) {
		snprintf(out + len, n - (size_t)len, " + all 2-way");
		return;
	}
	if (P >= 3 && !(missing & (missing - 1))) {
		/* all but one */
		for (int i = 0; i < t; i++)
			for (int j = i + 1; j < t; j++)
				if (missing >> cb_pair_index(t, i, j) & 1)
					snprintf(out + len, n - (size_t)len, " + all 2-way - %s:%s",
						 p->names[i], p->names[j]);
		return;
	}
	for (int i = 0; i < t; i++)
		for (int j = i + 1; j < t; j++)
			if (s->pairs >> cb_pair_index(t, i, j) & 1) {
				int w = snprintf(out + len, n - (size_t)len, " + %s:%s", p->names[i],
						 p->names[j]);
				if (w < 0 || (size_t)(len + w) >= n)
					return;
				len += w;
			}
}

/* Number of columns of spec's design, with chao_keep (bit c: keep Chao
 * column c) for the Chao form. */
static int design_width(int t, const cb_model_spec *s, uint32_t chao_keep)
{
	int p = 1 + (s->time ? t : 1);
	for (uint64_t b = s->pairs; b; b &= b - 1)
		p++;
	if (s->het == CB_HET_CHAO)
		p += __builtin_popcount(chao_keep);
	else if (s->het)
		p++;
	return p;
}

/* Fills X (rows x width) for patterns h = first .. 2^t - 1 (first is 0 for
 * the completed table, 1 for the observed one). */
static void design_fill(double *X, int t, const cb_model_spec *s, uint32_t chao_keep,
			size_t first, int width)
{
	size_t ncell = (size_t)1 << t;
	for (size_t h = first; h < ncell; h++) {
		double *x = X + (h - first) * (size_t)width;
		int k = __builtin_popcount((unsigned)h), c = 0;
		x[c++] = 1.0;
		if (s->time)
			for (int j = 0; j < t; j++)
				x[c++] = (double)(h >> j & 1);
		else
			x[c++] = k;
		for (int i = 0; i < t; i++)
			for (int j = i + 1; j < t; j++)
				if (s->pairs >> cb_pair_index(t, i, j) & 1)
					x[c++] = (double)((h >> i & 1) & (h >> j & 1));
		switch (s->het) {
		case CB_HET_CHAO:
			for (int j = 3; j <= t; j++)
				if (chao_keep >> (j - 3) & 1)
					x[c++] = k - j + 1 > 0 ? k - j + 1 : 0;
			break;
		case CB_HET_POISSON2: x[c++] = ldexp(1.0, k) - 1.0; break;
		case CB_HET_DARROCH: x[c++] = 0.5 * k * k; break;
		case CB_HET_GAMMA35: x[c++] = log(3.5) - log(3.5 + k); break;
		default: break;
		}
	}
}

/* The design and counts of spec on the observed (first = 1) or completed
 * (first = 0, y[0] left 0) table. Caller frees *X and *y. */
static int design_build(double **X, double **y, size_t *rows, int *width, const cb_patterns *p,
			const cb_model_spec *s, uint32_t chao_keep, size_t first, cb_error *err)
{
	int t = p->nlists;
	size_t ncell = (size_t)1 << t;
	*rows = ncell - first;
	*width = design_width(t, s, chao_keep);
	*X = malloc(sizeof **X * *rows * (size_t)*width);
	*y = malloc(sizeof **y * *rows);
	if (!*X || !*y) {
		free(*X);
		free(*y);
		*X = *y = NULL;
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	design_fill(*X, t, s, chao_keep, first, *width);
	for (size_t h = first; h < ncell; h++)
		(*y)[h - first] = (double)p->cells[h];
	return CB_OK;
}

/* Chao columns actually used by a fitted result (kept in the spec's upper
 * bits would be hidden; recomputed by fitting instead). */
typedef struct fitted {
	cb_glm g;
	uint32_t chao_keep;
} fitted;

/* Fits spec; for Chao drops negative heterogeneity coefficients and refits
 * until none is left. rc < 0 only for out-of-memory; a model that cannot
 * be fitted comes back with *why set. */
static int fit_spec(fitted *f, const cb_patterns *p, const cb_model_spec *s, const char **why,
		    cb_error *err)
{
	int t = p->nlists, rc = CB_OK, width;
	double *X = NULL, *y = NULL;
	size_t rows;
	cb_error ferr = CB_ERROR_INIT;

	memset(f, 0, sizeof *f);
	*why = NULL;
	f->chao_keep = s->het == CB_HET_CHAO && t >= 3 ? (1u << (t - 2)) - 1 : 0;
	for (;;) {
		if ((rc = design_build(&X, &y, &rows, &width, p, s, f->chao_keep, 1, err)) < 0)
			return rc;
		if ((size_t)width > rows) {
			*why = "more parameters than cells";
			goto done;
		}
		if (cb_glm_poisson(&f->g, X, y, rows, width, NULL, &ferr) < 0) {
			if (ferr.code == CB_ENOMEM) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			*why = "singular design: the model's terms are not identifiable here";
			goto done;
		}
		if (s->het != CB_HET_CHAO || !f->chao_keep)
			break;
		/* The Chao coefficients are the last columns, in order. */
		uint32_t keep = f->chao_keep;
		int c = width - __builtin_popcount(f->chao_keep);
		for (int j = 0; j < t - 2; j++)
			if (f->chao_keep >> j & 1) {
				if (f->g.beta[c] < 0)
					keep &= ~(1u << j);
				c++;
			}
		if (keep == f->chao_keep)
			break;
		f->chao_keep = keep;
		cb_glm_clear(&f->g);
		free(X);
		free(y);
		X = y = NULL;
	}
done:
	free(X);
	free(y);
	if (*why || rc < 0)
		cb_glm_clear(&f->g);
	return rc;
}

int cb_model_fit(cb_model_result *out, const cb_patterns *p, const cb_model_spec *spec,
		 cb_error *err)
{
	fitted f;
	const char *why = NULL;
	int rc, t = p->nlists;

	memset(out, 0, sizeof *out);
	out->spec = *spec;
	out->N = out->se = out->ci_lo = out->ci_hi = out->N_prof = NAN;
	model_name(out->name, sizeof out->name, p, spec);
	if (spec->het && t < 3) {
		out->status = CB_MODEL_FAILED;
		snprintf(out->note, sizeof out->note, "heterogeneity models need 3 or more lists");
		return CB_OK;
	}
	if (spec->pairs && (npairs(t) > 64 || (npairs(t) < 64 && spec->pairs >> npairs(t))))
		return cb_fail(err, CB_EINVAL, "interaction bits beyond the %d pairs", npairs(t));
	if ((rc = fit_spec(&f, p, spec, &why, err)) < 0)
		return rc;
	if (why) {
		out->status = CB_MODEL_FAILED;
		snprintf(out->note, sizeof out->note, "%s", why);
		return CB_OK;
	}
	cb_glm *g = &f.g;
	out->npar = g->p;
	out->deviance = g->deviance;
	out->df = (int)(((size_t)1 << t) - 1) - g->p;
	out->aic = -2.0 * g->loglik + 2.0 * g->p;
	out->bic = -2.0 * g->loglik + log((double)p->n) * g->p;
	double hidden = exp(g->beta[0]);
	if (!g->converged) {
		out->status = CB_MODEL_FAILED;
		snprintf(out->note, sizeof out->note, "did not converge in %d iterations",
			 g->iterations);
	} else if (!(hidden < MAX_HIDDEN) || g->beta[0] >= 699.0) {
		out->status = CB_MODEL_FAILED;
		snprintf(out->note, sizeof out->note,
			 "no finite estimate: the model lets the unobserved count grow without bound");
	} else {
		out->N = (double)p->n + hidden;
		double v0 = g->cov[0];
		out->se = isfinite(v0) ? sqrt(hidden + hidden * hidden * v0) : NAN;
		if (g->boundary)
			snprintf(out->note, sizeof out->note,
				 "boundary: a fitted cell is 0 (a term with nobody in it)");
		if (spec->het == CB_HET_CHAO && f.chao_keep != (1u << (t - 2)) - 1) {
			size_t l = strlen(out->note);
			snprintf(out->note + l, sizeof out->note - l, "%snegative Chao terms dropped",
				 l ? "; " : "");
			out->npar = g->p;
		}
	}
	cb_glm_clear(g);
	return CB_OK;
}

/* ---- profile likelihood -------------------------------------------- */

typedef struct profile {
	const cb_patterns *p;
	double *X, *y;
	size_t rows;
	int width;
	double *beta;   /* warm start, NULL before the first fit */
	int evals;
} profile;

/* The multinomial profile log-likelihood at N (up to a constant). Sets
 * *ok = 0 when the fit fails. */
static double profile_ll(profile *pr, double N, int *ok, cb_error *err)
{
	double n = (double)pr->p->n, n0 = N - n;
	cb_glm g;
	cb_error ferr = CB_ERROR_INIT;
	pr->y[0] = n0;
	pr->evals++;
	if (cb_glm_poisson(&g, pr->X, pr->y, pr->rows, pr->width, pr->beta, &ferr) < 0 ||
	    !isfinite(g.deviance)) {
		if (ferr.code == CB_ENOMEM)
			cb_fail(err, CB_ENOMEM, "out of memory");
		*ok = 0;
		return -INFINITY;
	}
	if (!pr->beta)
		pr->beta = malloc(sizeof *pr->beta * (size_t)pr->width);
	if (pr->beta)
		memcpy(pr->beta, g.beta, sizeof *pr->beta * (size_t)pr->width);
	double ct = lgamma(N + 1.0) - lgamma(n0 + 1.0) - N * log(N);
	if (n0 > 0)
		ct += n0 * log(n0);
	double ll = -0.5 * g.deviance + ct;
	cb_glm_clear(&g);
	return ll;
}

int cb_model_profile_ci(cb_model_result *m, const cb_patterns *p, double level, cb_error *err)
{
	profile pr = {0};
	uint32_t chao_keep = 0;
	int rc = CB_OK, ok = 1, t = p->nlists;
	double n = (double)p->n;

	m->has_ci = 0;
	if (m->status != CB_MODEL_OK || !(level > 0 && level < 1))
		return CB_OK;
	if (m->spec.het == CB_HET_CHAO) {
		/* Refit to learn which Chao columns the estimate kept. */
		fitted f;
		const char *why;
		if ((rc = fit_spec(&f, p, &m->spec, &why, err)) < 0)
			return rc;
		if (why)
			return CB_OK;
		chao_keep = f.chao_keep;
		cb_glm_clear(&f.g);
	} else if (t >= 3) {
		chao_keep = (1u << (t - 2)) - 1;
	}
	pr.p = p;
	if ((rc = design_build(&pr.X, &pr.y, &pr.rows, &pr.width, p, &m->spec, chao_keep, 0, err)) <
	    0)
		return rc;

	/* chi-square(1) quantile at level: the square of the normal one. */
	double z = 0.0;
	{
		/* Normal quantile by bisection on erfc: exact enough and short. */
		double lo = 0.0, hi = 10.0, tail = 1.0 - level;
		for (int i = 0; i < 100; i++) {
			double mid = 0.5 * (lo + hi);
			if (erfc(mid / sqrt(2.0)) > tail)
				lo = mid;
			else
				hi = mid;
		}
		z = 0.5 * (lo + hi);
	}
	double drop = 0.5 * z * z;

	/* Maximise on [n, max(1.5 N, n + 10)] by golden section. */
	double a = n, b = fmax(1.5 * m->N, n + 10.0), gr = 0.5 * (sqrt(5.0) - 1.0);
	double x1 = b - gr * (b - a), x2 = a + gr * (b - a);
	double f1 = profile_ll(&pr, x1, &ok, err), f2 = profile_ll(&pr, x2, &ok, err);
	while (ok && b - a > 1e-7 * b) {
		if (f1 >= f2) {
			b = x2;
			x2 = x1;
			f2 = f1;
			x1 = b - gr * (b - a);
			f1 = profile_ll(&pr, x1, &ok, err);
		} else {
			a = x1;
			x1 = x2;
			f1 = f2;
			x2 = a + gr * (b - a);
			f2 = profile_ll(&pr, x2, &ok, err);
		}
	}
	double Nmax = f1 >= f2 ? x1 : x2, lmax = fmax(f1, f2);
	double fn = profile_ll(&pr, n, &ok, err);
	if (ok && fn > lmax) {
		Nmax = n;
		lmax = fn;
	}
	if (!ok)
		goto done;
	double target = lmax - drop;

	/* Lower end. */
	double lo_end;
	if (fn >= target) {
		lo_end = n;
	} else {
		double lo = n, hi = Nmax;
		for (int i = 0; i < 200 && hi - lo > 1e-6 * hi; i++) {
			double mid = 0.5 * (lo + hi);
			if (profile_ll(&pr, mid, &ok, err) >= target)
				hi = mid;
			else
				lo = mid;
			if (!ok)
				goto done;
		}
		lo_end = 0.5 * (lo + hi);
	}
	/* Upper end: step out until below the target, then bisect. */
	double hi_end = INFINITY, lo = Nmax, hi = Nmax;
	double step = fmax(Nmax - n, 10.0);
	for (;;) {
		hi = lo + step;
		if (hi > MAX_N_CI)
			break;
		if (profile_ll(&pr, hi, &ok, err) < target)
			break;
		if (!ok)
			goto done;
		lo = hi;
		step *= 2.0;
	}
	if (hi <= MAX_N_CI) {
		for (int i = 0; i < 200 && hi - lo > 1e-6 * hi; i++) {
			double mid = 0.5 * (lo + hi);
			if (profile_ll(&pr, mid, &ok, err) >= target)
				lo = mid;
			else
				hi = mid;
			if (!ok)
				goto done;
		}
		hi_end = 0.5 * (lo + hi);
	}
	m->has_ci = 1;
	m->N_prof = Nmax;
	m->ci_lo = lo_end;
	m->ci_hi = hi_end;
done:
	if (!ok && err && err->code == CB_ENOMEM)
		rc = CB_ENOMEM;
	free(pr.X);
	free(pr.y);
	free(pr.beta);
	return rc;
}

/* ---- the set of models ---------------------------------------------- */

typedef struct model_list {
	cb_model_result *m;
	unsigned char *shown;
	size_t n, cap;
} model_list;

static int list_has(const model_list *l, const cb_model_spec *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->m[i].spec.time == s->time && l->m[i].spec.het == s->het &&
		    l->m[i].spec.pairs == s->pairs)
			return 1;
	return 0;
}

static int list_add(model_list *l, const cb_patterns *p, int time, cb_het het, uint64_t pairs,
		    int shown, cb_error *err)
{
	cb_model_spec s = {time, het, pairs};
	int rc;
	if (list_has(l, &s))
		return CB_OK;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		cb_model_result *m = realloc(l->m, cap * sizeof *m);
		if (!m)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		l->m = m;
		unsigned char *sh = realloc(l->shown, cap);
		if (!sh)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		l->shown = sh;
		l->cap = cap;
	}
	if ((rc = cb_model_fit(&l->m[l->n], p, &s, err)) < 0)
		return rc;
	l->shown[l->n] = (unsigned char)shown;
	l->n++;
	return CB_OK;
}

typedef struct ranked {
	double key;
	size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	double u = ((const ranked *)a)->key, v = ((const ranked *)b)->key;
	return (u > v) - (u < v);
}

/* Ranks the fitted models by AIC and BIC and marks the three best of each
 * as shown. */
static int rank_models(model_list *l, cb_error *err)
{
	ranked *r = malloc(sizeof *r * (l->n ? l->n : 1));
	if (!r)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;
		for (size_t i = 0; i < l->n; i++)
			if (l->m[i].status == CB_MODEL_OK)
				r[k++] = (ranked){pass == 0 ? l->m[i].aic : l->m[i].bic, i};
		qsort(r, k, sizeof *r, cmp_ranked);
		for (size_t j = 0; j < k; j++) {
			if (pass == 0)
				l->m[r[j].i].rank_aic = (int)j + 1;
			else
				l->m[r[j].i].rank_bic = (int)j + 1;
			if (j < 3)
				l->shown[r[j].i] = 1;
		}
	}
	free(r);
	return CB_OK;
}

int cb_loglin_estimate(cb_model_result **out, size_t *nout, unsigned char **shown,
		       const cb_patterns *p, const cb_loglin_options *opt, cb_error *err)
{
	model_list l = {0};
	int rc, t = p->nlists, P = npairs(t);
	static const cb_het hets[] = {CB_HET_CHAO, CB_HET_POISSON2, CB_HET_DARROCH, CB_HET_GAMMA35};

	*out = NULL;
	*nout = 0;
	if (shown)
		*shown = NULL;
	if ((rc = cb_patterns_check(p, err)) < 0)
		return rc;
	if (t > CB_LOGLIN_MAX_LISTS)
		return cb_fail(err, CB_ERR,
			       "%d lists: the log-linear models take at most %d (the table has 2^t "
			       "cells); use LCMCR",
			       t, CB_LOGLIN_MAX_LISTS);
	if ((rc = list_add(&l, p, 0, CB_HET_NONE, 0, 1, err)) < 0 ||
	    (rc = list_add(&l, p, 1, CB_HET_NONE, 0, 1, err)) < 0)
		goto done;
	if (t >= 3) {
		for (int time = 0; time <= 1; time++)
			for (size_t h = 0; h < 4; h++)
				if ((rc = list_add(&l, p, time, hets[h], 0, 1, err)) < 0)
					goto done;
	}
	if (t >= 3 && P <= 64) {
		uint64_t full = P == 64 ? ~0ULL : (1ULL << P) - 1;
		for (int b = 0; b < P; b++)
			if ((rc = list_add(&l, p, 1, CB_HET_NONE, 1ULL << b, 1, err)) < 0)
				goto done;
		/* Beyond 8 lists a model with every pair has over 37 terms on
		 * 511+ cells, and there are P of them: too slow to be useful. */
		if (t <= 8 && (rc = list_add(&l, p, 1, CB_HET_NONE, full, 1, err)) < 0)
			goto done;
		for (int b = 0; b < P && P >= 3 && t <= 8; b++)
			if ((rc = list_add(&l, p, 1, CB_HET_NONE, full & ~(1ULL << b), 1, err)) < 0)
				goto done;
		if (opt && opt->search && t <= 5) {
			for (uint64_t s = 1; s <= full; s++)
				if ((rc = list_add(&l, p, 1, CB_HET_NONE, s, 0, err)) < 0)
					goto done;
			if (t <= 4)
				for (size_t h = 0; h < 4; h++)
					for (uint64_t s = 1; s <= full; s++)
						if ((rc = list_add(&l, p, 1, hets[h], s, 0, err)) < 0)
							goto done;
		}
	}
	if ((rc = rank_models(&l, err)) < 0)
		goto done;
	double level = opt && opt->level > 0 ? opt->level : 0.95;
	for (size_t i = 0; i < l.n; i++)
		if ((opt && opt->ci_all) || l.shown[i])
			if ((rc = cb_model_profile_ci(&l.m[i], p, level, err)) < 0)
				goto done;
	*out = l.m;
	*nout = l.n;
	if (shown)
		*shown = l.shown;
	else
		free(l.shown);
	l.m = NULL;
	l.shown = NULL;
done:
	free(l.m);
	free(l.shown);
	return rc;
}
