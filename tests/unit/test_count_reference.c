/*
 * test_count_reference.c: the estimation stage against published and
 * reference figures, on the data sets in ../shared/data/mse (see its
 * README): Rcapture's printed results for the hare and HIV examples
 * (estimate, s.e., deviance, AIC and the profile interval), the Kosovo
 * log-linear reference fits, Mth Darroch on the lesbian data, and the
 * LCMCR reference posterior for Kosovo. Every test is skipped when
 * $CB_SHARED (or the file) is absent, so a fresh clone without the shared
 * data still passes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "count/count.h"

/* The table in $CB_SHARED/data/mse/NAME, or NULL (the test is skipped). */
static cb_patterns *load(const char *name)
{
	const char *dir = getenv("CB_SHARED");
	char path[4096];
	cb_patterns *p = NULL;
	cb_error err = CB_ERROR_INIT;
	if (!dir || !*dir)
		return NULL;
	snprintf(path, sizeof path, "%s/data/mse/%s", dir, name);
	if (access(path, R_OK) != 0)
		return NULL;
	if (cb_patterns_read(&p, path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		fail();
	}
	return p;
}

#define LOAD_OR_SKIP(var, name)         \
	cb_patterns *var = load(name);  \
	if (!var) {                     \
		skip();                 \
		return;                 \
	}

static void near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol)) {
		fprintf(stderr, "%s: got %.4f, want %.4f (+/- %g)\n", what, got, want, tol);
		fail();
	}
}

static cb_model_result fit_ci(const cb_patterns *p, int time, cb_het het, uint64_t pairs)
{
	cb_model_result m;
	cb_error err = CB_ERROR_INIT;
	cb_model_spec s = {time, het, pairs};
	assert_int_equal(cb_model_fit(&m, p, &s, &err), CB_OK);
	assert_int_equal(m.status, CB_MODEL_OK);
	assert_int_equal(cb_model_profile_ci(&m, p, 0.95, &err), CB_OK);
	assert_true(m.has_ci);
	return m;
}

/* Rcapture's closedp.t(hare) and closedpCI.t(hare, m="Mth", h="Poisson"),
 * as printed in the package's examples. */
static void test_hare(void **state)
{
	(void)state;
	LOAD_OR_SKIP(p, "rcapture_hare.csv");
	assert_int_equal(p->n, 68);
	cb_model_result m = fit_ci(p, 1, CB_HET_POISSON2, 0);
	near(m.N, 81.1, 0.05, "Mth Poisson2 N");
	near(m.se, 5.6, 0.05, "Mth Poisson2 s.e.");
	near(m.deviance, 48.137, 0.0005, "Mth Poisson2 deviance");
	assert_int_equal(m.df, 55);
	near(m.aic, 146.327, 0.0005, "Mth Poisson2 AIC");
	near(m.N_prof, 80.1, 0.05, "profile N");
	near(m.ci_lo, 71.8, 0.05, "profile lower");
	near(m.ci_hi, 93.8, 0.05, "profile upper");

	static const struct {
		int time;
		cb_het het;
		double N, se, dev;
		int df;
		double aic;
	} want[] = {
		{0, CB_HET_NONE, 75.4, 3.5, 68.516, 61, 154.707},
		{1, CB_HET_NONE, 75.1, 3.4, 58.314, 56, 154.505},
		{0, CB_HET_CHAO, 79.8, 6.4, 58.023, 58, 150.214},
		{0, CB_HET_POISSON2, 81.5, 5.7, 59.107, 60, 147.298},
		{0, CB_HET_DARROCH, 90.4, 11.6, 61.600, 60, 149.791},
		{0, CB_HET_GAMMA35, 100.6, 21.7, 62.771, 60, 150.961},
		{1, CB_HET_CHAO, 79.6, 6.3, 47.115, 52, 151.305},
		{1, CB_HET_DARROCH, 90.5, 11.7, 50.706, 55, 148.896},
		{1, CB_HET_GAMMA35, 101.6, 22.4, 51.956, 55, 150.147},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		cb_model_result r;
		cb_error err = CB_ERROR_INIT;
		cb_model_spec s = {want[i].time, want[i].het, 0};
		assert_int_equal(cb_model_fit(&r, p, &s, &err), CB_OK);
		near(r.N, want[i].N, 0.05, r.name);
		near(r.se, want[i].se, 0.05, r.name);
		near(r.deviance, want[i].dev, 0.0005, r.name);
		assert_int_equal(r.df, want[i].df);
		near(r.aic, want[i].aic, 0.0005, r.name);
	}

	/* The best model by AIC is Mth Poisson2, as Rcapture's docs say. */
	cb_model_result *all = NULL;
	size_t n = 0;
	cb_error err = CB_ERROR_INIT;
	cb_loglin_options o = {1, 0.95, 0};
	assert_int_equal(cb_loglin_estimate(&all, &n, NULL, p, &o, &err), CB_OK);
	for (size_t i = 0; i < n; i++)
		if (all[i].rank_aic == 1)
			assert_string_equal(all[i].name, "Mth Poisson2");
	free(all);
	cb_patterns_free(p);
}

/* closedpCI.t(HIV, mX = ~ . + c1:c2) and mX = ~ (c1+c2+c3+c4)^2. */
static void test_hiv(void **state)
{
	(void)state;
	LOAD_OR_SKIP(p, "rcapture_HIV.csv");
	assert_int_equal(p->n, 1896);
	cb_model_result m = fit_ci(p, 1, CB_HET_NONE, 1ULL << cb_pair_index(4, 0, 1));
	near(m.N, 12318.5, 0.05, "Mt+c1:c2 N");
	near(m.se, 1188.7, 0.05, "Mt+c1:c2 s.e.");
	near(m.deviance, 7.614, 0.0005, "Mt+c1:c2 deviance");
	near(m.aic, 86.65, 0.005, "Mt+c1:c2 AIC");
	near(m.N_prof, 12308, 0.5, "profile N");
	near(m.ci_lo, 10266, 0.5, "profile lower");
	near(m.ci_hi, 14992.3, 0.05, "profile upper");

	m = fit_ci(p, 1, CB_HET_NONE, 0x3f);
	near(m.N, 23443.5, 0.05, "all two-way N");
	near(m.se, 9594.9, 0.05, "all two-way s.e.");
	near(m.deviance, 3.037, 0.0005, "all two-way deviance");
	assert_int_equal(m.df, 4);
	near(m.aic, 92.073, 0.0005, "all two-way AIC");
	/* s.e. 9,595: the profile is so flat at its top that a change of
	 * 3e-11 in the log-likelihood (the last digits of a Cholesky solve)
	 * moves its argmax by 0.07; so the same 0.5 as for 12,308 above. */
	near(m.N_prof, 23269.8, 0.5, "profile N");
	near(m.ci_lo, 10027.6, 0.05, "profile lower");
	near(m.ci_hi, 50046.3, 0.05, "profile upper");
	cb_patterns_free(p);
}

/* The README's reference fits (confirmed with R's glm). */
static void test_kosovo_loglin(void **state)
{
	cb_model_result *all = NULL, m;
	size_t n = 0;
	cb_error err = CB_ERROR_INIT;
	cb_loglin_options o = {1, 0.95, 0};
	(void)state;
	LOAD_OR_SKIP(p, "kosovo_aggregate_patterns.csv");
	assert_int_equal(p->n, 4400);
	cb_model_spec s0 = {0, CB_HET_NONE, 0}, st = {1, CB_HET_NONE, 0};
	assert_int_equal(cb_model_fit(&m, p, &s0, &err), CB_OK);
	near(m.N, 7608.4, 0.05, "M0");
	near(m.deviance, 1104.00, 0.005, "M0 deviance");
	assert_int_equal(cb_model_fit(&m, p, &st, &err), CB_OK);
	near(m.N, 7394.6, 0.05, "Mt");
	near(m.deviance, 245.94, 0.005, "Mt deviance");
	assert_int_equal(m.df, 10);
	cb_model_spec sp = {1, CB_HET_POISSON2, 0}, sd = {1, CB_HET_DARROCH, 0};
	assert_int_equal(cb_model_fit(&m, p, &sp, &err), CB_OK);
	near(m.N, 9327.8, 0.05, "Mth Poisson2");
	near(m.deviance, 139.19, 0.005, "Mth Poisson2 deviance");
	assert_int_equal(cb_model_fit(&m, p, &sd, &err), CB_OK);
	near(m.N, 12797.3, 0.05, "Mth Darroch");
	near(m.deviance, 119.45, 0.005, "Mth Darroch deviance");
	cb_model_spec sa = {1, CB_HET_NONE, 0x3f};
	assert_int_equal(cb_model_fit(&m, p, &sa, &err), CB_OK);
	near(m.N, 14402.5, 0.05, "all two-way");
	near(m.deviance, 39.83, 0.005, "all two-way deviance");
	assert_int_equal(m.df, 4);

	/* Best AIC among Mt + subsets of two-way terms drops ABA:HRW. */
	assert_int_equal(cb_loglin_estimate(&all, &n, NULL, p, &o, &err), CB_OK);
	const cb_model_result *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (all[i].status == CB_MODEL_OK && all[i].spec.time && !all[i].spec.het &&
		    (!best || all[i].aic < best->aic))
			best = &all[i];
	assert_non_null(best);
	assert_string_equal(best->name, "Mt + all 2-way - ABA:HRW");
	near(best->N, 14342, 0.5, "best subset");
	near(best->deviance, 39.89, 0.005, "best subset deviance");
	free(all);
	cb_patterns_free(p);
}

static void test_lesbian(void **state)
{
	cb_model_result m;
	cb_error err = CB_ERROR_INIT;
	(void)state;
	LOAD_OR_SKIP(p, "rcapture_lesbian.csv");
	assert_int_equal(p->n, 2185);
	cb_model_spec s = {1, CB_HET_DARROCH, 0};
	assert_int_equal(cb_model_fit(&m, p, &s, &err), CB_OK);
	near(m.N, 6963.7, 0.05, "Mth Darroch");
	near(m.deviance, 98.13, 0.005, "Mth Darroch deviance");
	assert_int_equal(m.df, 9);
	cb_patterns_free(p);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* LCMCR reference (R package, K = 10, 0.25/0.25, long run): median 10,388,
 * 95% interval 8,843 to 13,667. Short seeded runs (23,000 iterations each,
 * well under a second) have an effective sample of only 10 - 150, so one
 * run's tail quantile wanders (seen: 97.5% from 12,800 to 21,000); the
 * median over three seeds of each figure must put the median within 5% and
 * the interval ends within 20%; the package's own short runs spread
 * 10,194 - 10,484. */
static void test_kosovo_lcmcr(void **state)
{
	cb_lcmcr_options o;
	cb_error err = CB_ERROR_INIT;
	double q50[3], q025[3], q975[3];
	(void)state;
	LOAD_OR_SKIP(p, "kosovo_aggregate_patterns.csv");
	cb_lcmcr_defaults(&o);
	o.burnin = 3000;
	o.samples = 1000;
	o.thin = 20;
	for (int i = 0; i < 3; i++) {
		cb_lcmcr_result *r = NULL;
		o.seed = (uint64_t)i + 1;
		assert_int_equal(cb_lcmcr_run(&r, p, &o, &err), CB_OK);
		fprintf(stderr, "LCMCR Kosovo seed %d: median %.0f, 95%% %.0f - %.0f, ESS %.0f, %.2f s\n",
			i + 1, r->q50, r->q025, r->q975, r->ess, r->seconds);
		q50[i] = r->q50;
		q025[i] = r->q025;
		q975[i] = r->q975;
		cb_lcmcr_result_free(r);
	}
	qsort(q50, 3, sizeof *q50, cmp_d);
	qsort(q025, 3, sizeof *q025, cmp_d);
	qsort(q975, 3, sizeof *q975, cmp_d);
	near(q50[1], 10388, 0.05 * 10388, "LCMCR median");
	near(q025[1], 8843, 0.20 * 8843, "LCMCR 2.5%");
	near(q975[1], 13667, 0.20 * 13667, "LCMCR 97.5%");
	cb_patterns_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hare),
		cmocka_unit_test(test_hiv),
		cmocka_unit_test(test_kosovo_loglin),
		cmocka_unit_test(test_lesbian),
		cmocka_unit_test(test_kosovo_lcmcr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
