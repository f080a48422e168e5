/*
 * test_count.c: the estimation stage on small hand-made tables whose
 * answers are worked out by hand: Lincoln-Petersen for two lists (the
 * independence model in closed form, its standard error and its profile
 * interval found by brute force), a table that fits independence exactly,
 * the Cholesky factor of a 2 x 2 matrix, the CSV reader's refusals, the
 * degenerate tables that must not give a number, the random variates'
 * moments, and the LCMCR sampler's determinism. All data are fictional.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "count/count.h"

static cb_patterns *parse_ok(const char *csv)
{
	cb_patterns *p = NULL;
	cb_error err = CB_ERROR_INIT;
	int rc = cb_patterns_parse(&p, csv, strlen(csv), "t.csv", &err);
	if (rc < 0)
		fprintf(stderr, "unexpected: %s\n", err.msg);
	assert_int_equal(rc, CB_OK);
	return p;
}

static void parse_fails(const char *csv, size_t len, const char *want)
{
	cb_patterns *p = NULL;
	cb_error err = CB_ERROR_INIT;
	int rc = cb_patterns_parse(&p, csv, len, "t.csv", &err);
	assert_true(rc < 0);
	assert_null(p);
	if (!strstr(err.msg, want))
		fprintf(stderr, "message '%s' lacks '%s'\n", err.msg, want);
	assert_non_null(strstr(err.msg, want));
	assert_non_null(strstr(err.msg, "t.csv"));
	assert_null(strchr(err.msg, '\n'));
}

static const cb_model_result *find(const cb_model_result *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

static void test_cholesky(void **state)
{
	double a[4] = {4, 2, 2, 3};
	double s[4] = {1, 2, 2, 4}; /* singular */
	(void)state;
	assert_int_equal(cb_cholesky(a, 2), 0);
	assert_true(fabs(a[0] - 2.0) < 1e-15);
	assert_true(fabs(a[2] - 1.0) < 1e-15);
	assert_true(fabs(a[3] - sqrt(2.0)) < 1e-15);
	assert_int_equal(cb_cholesky(s, 2), -1);
}

/* Two lists: 80 on A only, 30 on B only, 20 on both. Independence gives
 * Lincoln-Petersen: N = (80+20)(30+20)/20 = 250, the hidden cell
 * 80*30/20 = 120, and (the model being saturated) var(log 120) =
 * 1/80 + 1/30 + 1/20. */
static void test_lincoln_petersen(void **state)
{
	long long cells[4] = {0, 80, 30, 20};
	cb_patterns *p = NULL;
	cb_model_result m;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	assert_int_equal(cb_patterns_from_cells(&p, 2, cells, NULL, &err), CB_OK);
	assert_int_equal(p->n, 130);
	cb_model_spec mt = {1, CB_HET_NONE, 0};
	assert_int_equal(cb_model_fit(&m, p, &mt, &err), CB_OK);
	assert_int_equal(m.status, CB_MODEL_OK);
	assert_string_equal(m.name, "Mt");
	assert_true(fabs(m.N - 250.0) < 1e-6);
	assert_int_equal(m.df, 0);
	assert_true(fabs(m.deviance) < 1e-8);
	double se = sqrt(120.0 + 120.0 * 120.0 * (1.0 / 80 + 1.0 / 30 + 1.0 / 20));
	assert_true(fabs(m.se - se) < 1e-6);

	/* The profile interval, by brute force: for a given N the
	 * multinomial MLEs of the two capture probabilities are n_A/N and
	 * n_B/N, so the profile log-likelihood has a closed form. */
	assert_int_equal(cb_model_profile_ci(&m, p, 0.95, &err), CB_OK);
	assert_true(m.has_ci);
	double best = -INFINITY, bestN = 0, lo = 0, hi = 0;
	double nA = 100, nB = 50, n = 130;
	for (int pass = 0; pass < 2; pass++)
		for (double N = n; N < 2000; N += 0.01) {
			double l = lgamma(N + 1) - lgamma(N - n + 1) + nA * log(nA / N) +
				   (N - nA) * log(1 - nA / N) + nB * log(nB / N) +
				   (N - nB) * log(1 - nB / N);
			if (pass == 0 && l > best) {
				best = l;
				bestN = N;
			}
			if (pass == 1 && l >= best - 0.5 * 3.841458820694124) {
				if (lo == 0)
					lo = N;
				hi = N;
			}
		}
	assert_true(fabs(m.N_prof - bestN) < 0.05);
	assert_true(fabs(m.ci_lo - lo) < 0.05);
	assert_true(fabs(m.ci_hi - hi) < 0.05);
	assert_true(m.ci_lo < 250 && m.ci_hi > 250);

	/* With two lists only M0 and Mt are fitted. */
	cb_model_result *all = NULL;
	size_t nall = 0;
	unsigned char *shown = NULL;
	cb_loglin_options o = {1, 0.95, 0};
	assert_int_equal(cb_loglin_estimate(&all, &nall, &shown, p, &o, &err), CB_OK);
	assert_int_equal(nall, 2);
	assert_non_null(find(all, nall, "M0"));
	free(all);
	free(shown);
	cb_patterns_free(p);
}

/* Three lists each catching half of N = 1000 independently: every one of
 * the 7 observable cells holds 125, independence fits exactly and gives
 * back 1000, and so does the saturated model (all two-way terms, df 0). */
static void test_exact_independence(void **state)
{
	cb_patterns *p = parse_ok("A,B,C,count\n1,0,0,125\n0,1,0,125\n0,0,1,125\n"
				  "1,1,0,125\n1,0,1,125\n0,1,1,125\n1,1,1,125\n");
	cb_model_result *m = NULL;
	size_t nm = 0;
	unsigned char *shown = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_loglin_options o = {1, 0.95, 0};
	(void)state;

	assert_int_equal(p->n, 875);
	assert_int_equal(cb_loglin_estimate(&m, &nm, &shown, p, &o, &err), CB_OK);
	const cb_model_result *mt = find(m, nm, "Mt");
	assert_non_null(mt);
	assert_true(fabs(mt->N - 1000.0) < 1e-6);
	assert_true(fabs(mt->deviance) < 1e-8);
	assert_int_equal(mt->df, 3);
	const cb_model_result *sat = find(m, nm, "Mt + all 2-way");
	assert_non_null(sat);
	assert_int_equal(sat->df, 0);
	assert_true(fabs(sat->N - 1000.0) < 1e-4);
	/* One interaction: A:B, names in the header's order. */
	assert_non_null(find(m, nm, "Mt + A:B"));
	assert_non_null(find(m, nm, "Mt + all 2-way - B:C"));
	/* AIC ranks: a model with more parameters and the same fit ranks
	 * below Mt; M0 fits as well as Mt here with fewer parameters. */
	const cb_model_result *m0 = find(m, nm, "M0");
	assert_true(m0->rank_aic == 1);
	assert_true(mt->rank_aic < sat->rank_aic);
	free(m);
	free(shown);
	cb_patterns_free(p);
}

static void test_parse_shapes(void **state)
{
	(void)state;
	/* One row per person, CRLF, BOM, comment, blank line: rows add up. */
	cb_patterns *p = parse_ok("\xEF\xBB\xBF"
				  "x,y,z\r\n# a comment\r\n1,0,1\r\n1,0,1\r\n\r\n0,1,0\r\n");
	assert_int_equal(p->nlists, 3);
	assert_string_equal(p->names[0], "x");
	assert_int_equal(p->n, 3);
	assert_int_equal(p->cells[5], 2);
	assert_int_equal(p->cells[2], 1);
	assert_int_equal(p->nonzero, 2);
	cb_patterns_free(p);
	/* Count column first, named Freq, quoted names, zero counts, a count
	 * written 12.0, repeated patterns summed. */
	p = parse_ok("\"Freq\",\"L1\",\"L2\"\n12.0,1,0\n3,1,1\n0,0,1\n4,1,1\n");
	assert_int_equal(p->nlists, 2);
	assert_string_equal(p->names[1], "L2");
	assert_int_equal(p->cells[1], 12);
	assert_int_equal(p->cells[3], 7);
	assert_int_equal(p->cells[2], 0);
	cb_patterns_free(p);
	/* Tabs; the all-zero pattern with count 0 is allowed. */
	p = parse_ok("A\tB\tcount\n0\t0\t0\n1\t1\t5\n1\t0\t2\n");
	assert_int_equal(p->n, 7);
	cb_patterns_free(p);
}

static void test_parse_refusals(void **state)
{
	static const char bin[] = "A,B,count\n1,0\0,3\n";
	(void)state;
	parse_fails("", strlen(""), "empty file");
	parse_fails("\n\n# only a comment\n", strlen("\n\n# only a comment\n"), "no header");
	parse_fails("A,B,count\n", strlen("A,B,count\n"), "no patterns");
	parse_fails(bin, sizeof bin - 1, "binary");
	parse_fails("A,B,count\n1,\xff,3\n", strlen("A,B,count\n1,\xff,3\n"), "line 2: invalid UTF-8");
	parse_fails("A,B,count\n1,0,3\n1,2,4\n", strlen("A,B,count\n1,0,3\n1,2,4\n"), "line 3: column 'B' is '2', not 0 or 1");
	parse_fails("A,B,count\n1,0,-3\n", strlen("A,B,count\n1,0,-3\n"), "line 2: count '-3' is negative");
	parse_fails("A,B,count\n1,0,2.5\n", strlen("A,B,count\n1,0,2.5\n"), "not a whole number");
	parse_fails("A,B,count\n1,0,99999999999999999999\n", strlen("A,B,count\n1,0,99999999999999999999\n"), "too large");
	parse_fails("A,B,count\n1,0\n", strlen("A,B,count\n1,0\n"), "line 2: 2 fields, the header has 3");
	parse_fails("A,count\n1,5\n0,0\n", strlen("A,count\n1,5\n0,0\n"), "1 list column only");
	parse_fails("A,B,n_people\n1,0,5\n", strlen("A,B,n_people\n1,0,5\n"),
		    "column 'n_people' is '5', not 0 or 1 (a column of counts must be named");
	parse_fails("A,B,count\n0,0,4\n", strlen("A,B,count\n0,0,4\n"), "line 2: 4 people on no list");
	parse_fails("A,A,count\n1,0,4\n", strlen("A,A,count\n1,0,4\n"), "named twice");
	parse_fails("A,,count\n1,0,4\n", strlen("A,,count\n1,0,4\n"), "column 2 has no name");
	parse_fails("1,0,3\n0,1,4\n", strlen("1,0,3\n0,1,4\n"), "must name the columns");
	parse_fails("nbcap,freq\n1,1645\n", strlen("nbcap,freq\n1,1645\n"), "nbcap");
	parse_fails("A,B,count,freq\n1,0,4,4\n", strlen("A,B,count,freq\n1,0,4,4\n"), "two count columns");
}

static void check_refused(const char *csv, const char *want)
{
	cb_patterns *p = parse_ok(csv);
	cb_error err = CB_ERROR_INIT;
	cb_model_result *m = NULL;
	size_t nm = 0;
	cb_lcmcr_result *r = NULL;
	assert_true(cb_patterns_check(p, &err) < 0);
	assert_non_null(strstr(err.msg, want));
	assert_true(cb_loglin_estimate(&m, &nm, NULL, p, NULL, &err) < 0);
	assert_null(m);
	cb_lcmcr_options o;
	cb_lcmcr_defaults(&o);
	o.burnin = 10;
	o.samples = 10;
	o.thin = 1;
	assert_true(cb_lcmcr_run(&r, p, &o, &err) < 0);
	assert_null(r);
	cb_patterns_free(p);
}

static void test_degenerate_tables(void **state)
{
	(void)state;
	check_refused("A,B,C,count\n1,0,0,5\n0,1,0,7\n0,0,1,2\n", "nobody is on more than one");
	check_refused("A,B,count\n1,1,9\n", "everybody observed is on every list");
	check_refused("A,B,count\n1,0,0\n0,1,0\n", "nobody is observed");
	check_refused("A,B,C,count\n1,0,0,5\n1,1,0,7\n1,0,1,2\n", "list 'A' holds everybody");
	check_refused("A,B,C,count\n1,0,0,5\n1,1,0,7\n0,1,0,2\n", "list 'C' has nobody");
}

/* Overlaps so small that some models lose the hidden count: never a
 * crash, and the result says why. */
static void test_unbounded_model(void **state)
{
	cb_patterns *p = parse_ok("A,B,C,count\n1,0,0,50\n0,1,0,60\n0,0,1,70\n1,1,0,1\n");
	cb_model_result *m = NULL;
	size_t nm = 0;
	unsigned char *shown = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_loglin_options o = {1, 0.95, 1};
	(void)state;
	assert_int_equal(cb_loglin_estimate(&m, &nm, &shown, p, &o, &err), CB_OK);
	for (size_t i = 0; i < nm; i++) {
		if (m[i].status == CB_MODEL_OK) {
			assert_true(isfinite(m[i].N));
			assert_true(m[i].N >= (double)p->n);
		} else {
			assert_true(m[i].note[0] != 0);
		}
		if (m[i].has_ci)
			assert_true(m[i].ci_lo <= m[i].N_prof && m[i].N_prof <= m[i].ci_hi);
	}
	free(m);
	free(shown);
	cb_patterns_free(p);
}

static void test_lcmcr_deterministic(void **state)
{
	cb_patterns *p = parse_ok("A,B,C,count\n1,0,0,125\n0,1,0,125\n0,0,1,125\n"
				  "1,1,0,125\n1,0,1,125\n0,1,1,125\n1,1,1,125\n");
	cb_lcmcr_options o;
	cb_lcmcr_result *a = NULL, *b = NULL, *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;
	cb_lcmcr_defaults(&o);
	o.burnin = 500;
	o.samples = 400;
	o.thin = 5;
	o.seed = 7;
	assert_int_equal(cb_lcmcr_run(&a, p, &o, &err), CB_OK);
	assert_int_equal(cb_lcmcr_run(&b, p, &o, &err), CB_OK);
	o.seed = 8;
	assert_int_equal(cb_lcmcr_run(&c, p, &o, &err), CB_OK);
	assert_int_equal(a->nsamples, 400);
	assert_memory_equal(a->N, b->N, sizeof *a->N * 400);
	assert_memory_not_equal(a->N, c->N, sizeof *a->N * 400);
	/* Independent lists catching half each: N near 1000 (the posterior
	 * sd is about 15 with 875 seen). */
	assert_true(a->q50 > 960 && a->q50 < 1040);
	assert_true(a->q025 >= 875 && a->q025 <= a->q50 && a->q50 <= a->q975);
	assert_true(a->mean_classes >= 1);
	for (long i = 0; i < a->nsamples; i++)
		assert_true(a->N[i] >= 875);
	/* Bad options are refused, not run. */
	cb_lcmcr_result *d = NULL;
	o.K = 1;
	assert_true(cb_lcmcr_run(&d, p, &o, &err) < 0);
	assert_non_null(strstr(err.msg, "K = 1"));
	cb_lcmcr_result_free(a);
	cb_lcmcr_result_free(b);
	cb_lcmcr_result_free(c);
	cb_patterns_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cholesky),
		cmocka_unit_test(test_lincoln_petersen),
		cmocka_unit_test(test_exact_independence),
		cmocka_unit_test(test_parse_shapes),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_degenerate_tables),
		cmocka_unit_test(test_unbounded_model),
		cmocka_unit_test(test_lcmcr_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
