/*
 * cmd_estimate.c: `casebook estimate` - how many people no list recorded,
 * from a table of capture patterns (multiple systems estimation). Reads the
 * CSV (count/patterns.c), fits the log-linear models (count/models.c) and
 * runs the LCMCR sampler (count/lcmcr.c), and prints a table or JSON. A
 * table that cannot carry an estimate (one list, no overlaps, everybody on
 * every list) gets a one-line reason and exit status 1, never a number.
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "count/count.h"
#include "util/error.h"

static void help(FILE *f)
{
	fprintf(f,
		"usage: casebook estimate --patterns FILE.csv [--method all|loglin|lcmcr]\n"
		"                         [--format table|json] [OPTIONS]\n"
		"       casebook estimate --lists A,B,... [--store DIR] [--user NAME] [OPTIONS]\n"
		"\n"
		"Estimates the total number of people - those on at least one list and\n"
		"those on none - from how several lists overlap (multiple systems\n"
		"estimation, or capture-recapture). FILE.csv has one 0/1 column per list\n"
		"and a column 'count' (or 'freq') with the number of people on exactly\n"
		"those lists; without a count column each row is one person:\n"
		"  A,B,C,count\n"
		"  1,0,0,120\n"
		"  1,1,0,14\n"
		"  ...\n"
		"Methods (docs/estimation.md says what each assumes):\n"
		"  loglin  log-linear Poisson models: M0, Mt (independent lists), Mt with\n"
		"          two-way list interactions, and the heterogeneity models Mh/Mth\n"
		"          (Chao lower bound, Poisson2, Darroch, Gamma3.5) of Rcapture;\n"
		"          ranked by AIC and BIC, with profile-likelihood intervals\n"
		"  lcmcr   the Bayesian latent-class model of Manrique-Vallier (2016):\n"
		"          posterior median and quantiles of N\n"
		"\n"
		"--lists reads the table off lists in the store (casebook list-import),\n"
		"after 'casebook link --lists' with all of them: each cluster of linked\n"
		"persons is one person, on the lists its members came from.\n"
		"\n"
		"Options:\n"
		"  --patterns FILE    the table of capture patterns\n"
		"  --lists A,B,...    or the linked lists of the store\n"
		"  --method M         all (default), loglin or lcmcr\n"
		"  --plot FILE.svg    draw LCMCR's posterior of N: a histogram with the\n"
		"                     observed count, the median and the 95%% interval\n"
		"  --format F         table (default) or json\n"
		"  --level X          interval level, default 0.95\n"
		"  --all-models       list every log-linear model fitted, not only the\n"
		"                     standard ones and the three best by AIC and BIC\n"
		"  --no-search        do not search the subsets of two-way interactions\n"
		"  --seed N           LCMCR random seed (default 1); same seed, same result\n"
		"  -K N               LCMCR latent classes (default 10)\n"
		"  --a-alpha X, --b-alpha X  Gamma prior of the concentration (0.25, 0.25)\n"
		"  --burnin N         LCMCR iterations discarded first (default 10000)\n"
		"  --samples N        LCMCR draws kept (default 1000)\n"
		"  --thin N           iterations between kept draws (default 100)\n"
		"  --quiet            no progress line on the terminal\n"
		"  -h, --help         show this help\n"
		"\n"
		"Examples:\n"
		"  casebook estimate --patterns lists.csv\n"
		"  casebook estimate --patterns lists.csv --method lcmcr --seed 7 --format json\n"
		"\n"
		"Exit status: 0 estimated, 1 the file cannot be read or the table cannot\n"
		"carry an estimate (the reason is printed), 2 bad usage.\n");
}

typedef struct progress_state {
	double last;
	int shown;
} progress_state;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void on_progress(void *ctx, long done, long total)
{
	progress_state *ps = ctx;
	double t = now_s();
	if (done < total && t - ps->last < 0.25)
		return;
	ps->last = t;
	ps->shown = 1;
	fprintf(stderr, "\rLCMCR: %3d%% (%ld of %ld iterations)", (int)(100.0 * done / total), done,
		total);
	if (done >= total)
		fprintf(stderr, "\r%60s\r", "");
	fflush(stderr);
}

static void fmt_num(char *buf, size_t n, double v, int dec)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (isinf(v))
		snprintf(buf, n, "inf");
	else
		snprintf(buf, n, "%.*f", dec, v);
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static long parse_long(const char *s, long min, long max, int *ok)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		*ok = 0;
	return v;
}

static double parse_double(const char *s, double min, double max, int *ok)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= min && v <= max))
		*ok = 0;
	return v;
}

static void print_models_table(const cb_model_result *m, size_t n, const unsigned char *shown,
			       int all, double level)
{
	static const char *const heads[] = {"model",  "par", "deviance", "df",    "AIC",
					    "BIC",    "rank", "N",       "s.e.",  "profile N",
					    "lower",  "upper", NULL};
	static const int widths[] = {64, 4, 10, 5, 10, 10, 5, 10, 9, 10, 10, 10};
	cli_table *tab = cli_table_new(heads, widths);
	size_t *order = malloc(sizeof *order * (n ? n : 1)), k = 0;
	if (!tab || !order) {
		cli_table_free(tab);
		free(order);
		return;
	}
	/* Ranked models by AIC, then the ones that could not be fitted. */
	for (int r = 1; r <= (int)n; r++)
		for (size_t i = 0; i < n; i++)
			if (m[i].rank_aic == r && (all || shown[i]))
				order[k++] = i;
	for (size_t i = 0; i < n; i++)
		if (m[i].status != CB_MODEL_OK && (all || shown[i]))
			order[k++] = i;
	for (size_t j = 0; j < k; j++) {
		const cb_model_result *x = &m[order[j]];
		char c[11][32];
		snprintf(c[0], 32, "%d", x->npar);
		fmt_num(c[1], 32, x->status == CB_MODEL_OK ? x->deviance : NAN, 3);
		snprintf(c[2], 32, "%d", x->df);
		fmt_num(c[3], 32, x->status == CB_MODEL_OK ? x->aic : NAN, 2);
		fmt_num(c[4], 32, x->status == CB_MODEL_OK ? x->bic : NAN, 2);
		snprintf(c[5], 32, "%d", x->rank_aic);
		fmt_num(c[6], 32, x->N, 1);
		fmt_num(c[7], 32, x->se, 1);
		fmt_num(c[8], 32, x->has_ci ? x->N_prof : NAN, 1);
		fmt_num(c[9], 32, x->has_ci ? x->ci_lo : NAN, 1);
		fmt_num(c[10], 32, x->has_ci ? x->ci_hi : NAN, 1);
		const char *cells[12] = {x->name, c[0], c[1], c[2], c[3], c[4],
					 x->status == CB_MODEL_OK ? c[5] : "-",
					 c[6], c[7], c[8], c[9], c[10]};
		if (x->status != CB_MODEL_OK)
			cells[1] = c[0];
		cli_table_add(tab, cells);
	}
	cli_table_print(tab, stdout);
	cli_table_free(tab);
	for (size_t j = 0; j < k; j++)
		if (m[order[j]].note[0])
			printf("  note: %s: %s\n", m[order[j]].name, m[order[j]].note);
	const cb_model_result *ba = NULL, *bb = NULL;
	for (size_t i = 0; i < n; i++) {
		if (m[i].rank_aic == 1)
			ba = &m[i];
		if (m[i].rank_bic == 1)
			bb = &m[i];
	}
	if (ba) {
		char hi[32];
		fmt_num(hi, sizeof hi, ba->ci_hi, 1);
		printf("Best by AIC: %s, N = %.1f", ba->name, ba->N);
		if (ba->has_ci)
			printf(" (%g%% profile interval %.1f to %s)", 100 * level, ba->ci_lo,
			       isinf(ba->ci_hi) ? "unbounded" : hi);
		printf("\n");
	}
	if (bb)
		printf("Best by BIC: %s, N = %.1f\n", bb->name, bb->N);
	free(order);
}

/* The capture patterns of lists linked in the store ("A,B,C"). Prints
 * its own errors; returns the exit status. */
static int patterns_from_store(cb_patterns **out, const char *dir, const char *user,
			       const char *spec)
{
	const char *names[CB_COUNT_MAX_LISTS];
	char *buf = NULL;
	long long *cells = NULL;
	cb_store *st = NULL;
	cb_error err = CB_ERROR_INIT;
	size_t n = cli_split_names(&buf, names, CB_COUNT_MAX_LISTS, spec);
	int status;

	if (!buf)
		return cli_usage_error("estimate", "out of memory");
	for (size_t i = 0; i < n && n <= CB_COUNT_MAX_LISTS; i++)
		if (!cb_list_name_valid(names[i]))
			n = CB_COUNT_MAX_LISTS + 1;
	if (n > CB_COUNT_MAX_LISTS) {
		free(buf);
		return cli_usage_error("estimate", "--lists takes 2 to %d list names, comma-separated",
				       CB_COUNT_MAX_LISTS);
	}
	if (n < 2) {
		free(buf);
		return cli_usage_error("estimate", "--lists needs at least two lists to compare");
	}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		goto done;
	if (cb_store_list_patterns(st, names, n, &cells, &err) < 0 ||
	    cb_patterns_from_cells(out, (int)n, cells, names, &err) < 0)
		status = cli_fail(&err);
done:
	if (st)
		cb_store_close(st);
	free(cells);
	free(buf);
	return status;
}

int cmd_estimate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"patterns", required_argument, NULL, 'p'}, {"format", required_argument, NULL, 'f'},
		{"method", required_argument, NULL, 'm'},   {"level", required_argument, NULL, 'l'},
		{"all-models", no_argument, NULL, 'A'},     {"no-search", no_argument, NULL, 'S'},
		{"seed", required_argument, NULL, 's'},     {"a-alpha", required_argument, NULL, 'a'},
		{"b-alpha", required_argument, NULL, 'b'},  {"burnin", required_argument, NULL, 'B'},
		{"samples", required_argument, NULL, 'n'},  {"thin", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
		{"plot", required_argument, NULL, 'P'},
		{"lists", required_argument, NULL, 'L'},    {"store", required_argument, NULL, 'D'},
		{"user", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0}};
	static const char *const formats[] = {"table", "json", NULL};
	static const char *const methods[] = {"all", "loglin", "lcmcr", NULL};
	const char *path = NULL, *list_spec = NULL, *dir = NULL, *user = NULL;
	char label[160];
	int c, json = 0, method = 0, all = 0, search = 1, quiet = 0, ok = 1, rc = 0;
	const char *plot = NULL;
	double level = 0.95;
	cb_lcmcr_options lo;
	cb_error err = CB_ERROR_INIT;
	cb_patterns *p = NULL;
	cb_model_result *models = NULL;
	unsigned char *shown = NULL;
	size_t nmodels = 0;
	cb_lcmcr_result *lr = NULL;
	progress_state ps = {0, 0};

	cb_lcmcr_defaults(&lo);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "hK:", opts, "estimate")) != -1) {
		switch (c) {
		case 'p': path = optarg; break;
		case 'f':
			if ((json = cli_choice("estimate", "--format", optarg, formats)) < 0)
				return 2;
			break;
		case 'm':
			if ((method = cli_choice("estimate", "--method", optarg, methods)) < 0)
				return 2;
			break;
		case 'l': level = parse_double(optarg, 0.5, 0.999, &ok); break;
		case 'A': all = 1; break;
		case 'S': search = 0; break;
		case 's': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-')
				ok = 0;
			lo.seed = v;
			break;
		}
		case 'K': lo.K = (int)parse_long(optarg, 2, 100, &ok); break;
		case 'a': lo.a_alpha = parse_double(optarg, 1e-6, 1e6, &ok); break;
		case 'b': lo.b_alpha = parse_double(optarg, 1e-6, 1e6, &ok); break;
		case 'B': lo.burnin = parse_long(optarg, 0, 100000000, &ok); break;
		case 'n': lo.samples = parse_long(optarg, 10, 10000000, &ok); break;
		case 't': lo.thin = parse_long(optarg, 1, 100000, &ok); break;
		case 'q': quiet = 1; break;
		case 'P': plot = optarg; break;
		case 'L': list_spec = optarg; break;
		case 'D': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'h': help(stdout); return 0;
		default: return 2;
		}
		if (!ok)
			return cli_usage_error("estimate", "bad value '%s' for %s", optarg,
					       argv[optind - 1][0] == '-' && !strchr(argv[optind - 1], '=')
						       ? argv[optind - 2]
						       : argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("estimate", "unexpected argument '%s'", argv[optind]);
	if (!path == !list_spec)
		return cli_usage_error("estimate", "give --patterns FILE or --lists A,B,...");
	if (path && (dir || user))
		return cli_usage_error("estimate", "--store and --user go with --lists");
	if (plot && method == 1)
		return cli_usage_error("estimate", "--plot draws LCMCR's posterior: not with --method loglin");

	if (list_spec) {
		snprintf(label, sizeof label, "lists %.140s", list_spec);
		path = label;
		if ((rc = patterns_from_store(&p, dir, user, list_spec)) != 0)
			goto done;
	} else if (cb_patterns_read(&p, path, &err) < 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (cb_patterns_check(p, &err) < 0) {
		cb_error_prefix(&err, "%s: cannot estimate", path);
		rc = cli_fail(&err);
		goto done;
	}
	if (method == 0 && p->nlists > CB_LOGLIN_MAX_LISTS) {
		fprintf(stderr, "casebook estimate: %d lists: log-linear models skipped (at most %d); "
				"LCMCR only\n",
			p->nlists, CB_LOGLIN_MAX_LISTS);
		method = 2;
	}
	if (method != 2) {
		cb_loglin_options o = {search, level, 0};
		if (cb_loglin_estimate(&models, &nmodels, &shown, p, &o, &err) < 0) {
			cb_error_prefix(&err, "%s", path);
			rc = cli_fail(&err);
			goto done;
		}
	}
	if (method != 1) {
		if (!quiet && isatty(2)) {
			lo.progress = on_progress;
			lo.progress_ctx = &ps;
		}
		if (cb_lcmcr_run(&lr, p, &lo, &err) < 0) {
			cb_error_prefix(&err, "%s: LCMCR", path);
			rc = cli_fail(&err);
			goto done;
		}
		if (plot && cb_posterior_svg(plot, lr, (double)p->n, "Posterior of N (LCMCR)", &err) < 0) {
			rc = cli_fail(&err);
			goto done;
		}
	}

	if (json) {
		json_t *root = json_object(), *in = json_object(), *lists = json_array();
		for (int j = 0; j < p->nlists; j++)
			json_array_append_new(lists, json_string(p->names[j]));
		json_object_set_new(in, "file", json_string(path));
		json_object_set_new(in, "lists", lists);
		json_object_set_new(in, "patterns", json_integer((json_int_t)p->nonzero));
		json_object_set_new(in, "observed", json_integer(p->n));
		{
			/* the table itself: "101" = on the first and third lists */
			json_t *cells = json_object();
			for (size_t h = 1; h < ((size_t)1 << p->nlists); h++) {
				char key[CB_COUNT_MAX_LISTS + 1];
				if (!p->cells[h])
					continue;
				for (int j = 0; j < p->nlists; j++)
					key[j] = (char)('0' + ((h >> j) & 1));
				key[p->nlists] = '\0';
				json_object_set_new(cells, key, json_integer(p->cells[h]));
			}
			json_object_set_new(in, "cells", cells);
		}
		json_object_set_new(root, "input", in);
		if (models) {
			json_t *ll = json_object(), *arr = json_array();
			json_object_set_new(ll, "level", json_real(level));
			for (size_t i = 0; i < nmodels; i++) {
				const cb_model_result *x = &models[i];
				if (!all && !shown[i])
					continue;
				json_t *o = json_object();
				json_object_set_new(o, "model", json_string(x->name));
				json_object_set_new(o, "status", json_string(x->status == CB_MODEL_OK
										 ? "ok"
										 : "failed"));
				if (x->note[0])
					json_object_set_new(o, "note", json_string(x->note));
				json_object_set_new(o, "parameters", json_integer(x->npar));
				json_object_set_new(o, "df", json_integer(x->df));
				if (x->status == CB_MODEL_OK) {
					json_object_set_new(o, "deviance", json_real(x->deviance));
					json_object_set_new(o, "aic", json_real(x->aic));
					json_object_set_new(o, "bic", json_real(x->bic));
					json_object_set_new(o, "rank_aic", json_integer(x->rank_aic));
					json_object_set_new(o, "rank_bic", json_integer(x->rank_bic));
					json_object_set_new(o, "N", num_or_null(x->N));
					json_object_set_new(o, "se", num_or_null(x->se));
				}
				if (x->has_ci) {
					json_object_set_new(o, "profile_N", num_or_null(x->N_prof));
					json_object_set_new(o, "lower", num_or_null(x->ci_lo));
					json_object_set_new(o, "upper", num_or_null(x->ci_hi));
				}
				json_array_append_new(arr, o);
			}
			json_object_set_new(ll, "models", arr);
			for (size_t i = 0; i < nmodels; i++) {
				if (models[i].rank_aic == 1)
					json_object_set_new(ll, "best_aic", json_string(models[i].name));
				if (models[i].rank_bic == 1)
					json_object_set_new(ll, "best_bic", json_string(models[i].name));
			}
			json_object_set_new(root, "loglinear", ll);
		}
		if (lr) {
			json_t *o = json_object(), *q = json_object();
			json_object_set_new(o, "K", json_integer(lo.K));
			json_object_set_new(o, "a_alpha", json_real(lo.a_alpha));
			json_object_set_new(o, "b_alpha", json_real(lo.b_alpha));
			json_object_set_new(o, "seed", json_integer((json_int_t)lo.seed));
			json_object_set_new(o, "burnin", json_integer(lo.burnin));
			json_object_set_new(o, "samples", json_integer(lo.samples));
			json_object_set_new(o, "thin", json_integer(lo.thin));
			json_object_set_new(o, "mean", json_real(lr->mean));
			json_object_set_new(o, "sd", json_real(lr->sd));
			json_object_set_new(q, "0.025", json_real(lr->q025));
			json_object_set_new(q, "0.05", json_real(lr->q05));
			json_object_set_new(q, "0.5", json_real(lr->q50));
			json_object_set_new(q, "0.95", json_real(lr->q95));
			json_object_set_new(q, "0.975", json_real(lr->q975));
			json_object_set_new(o, "quantiles", q);
			json_object_set_new(o, "ess", num_or_null(lr->ess));
			json_object_set_new(o, "geweke_z", num_or_null(lr->geweke_z));
			json_object_set_new(o, "mean_classes", json_real(lr->mean_classes));
			json_object_set_new(o, "seconds", json_real(lr->seconds));
			json_object_set_new(root, "lcmcr", o);
		}
		cli_print_json(root);
		json_decref(root);
		goto done;
	}

	printf("%s: %d lists (", path, p->nlists);
	for (int j = 0; j < p->nlists; j++)
		printf("%s%s", j ? ", " : "", p->names[j]);
	printf("), %zu patterns, %lld people observed\n", p->nonzero, p->n);
	if (models) {
		printf("\nLog-linear models (Poisson GLM; N = observed + fitted count on no list;\n"
		       "rank by AIC; profile N and interval from the multinomial likelihood, %g%%):\n",
		       100 * level);
		print_models_table(models, nmodels, shown, all, level);
	}
	if (lr) {
		printf("\nLCMCR (K=%d, a_alpha=%g, b_alpha=%g, seed %llu; %ld burn-in, %ld draws "
		       "thinned by %ld; %.1f s):\n",
		       lo.K, lo.a_alpha, lo.b_alpha, (unsigned long long)lo.seed, lo.burnin, lo.samples,
		       lo.thin, lr->seconds);
		printf("  N posterior median %.0f, mean %.0f; 95%% interval %.0f to %.0f; 90%% interval "
		       "%.0f to %.0f\n",
		       lr->q50, lr->mean, lr->q025, lr->q975, lr->q05, lr->q95);
		char gz[32];
		fmt_num(gz, sizeof gz, lr->geweke_z, 2);
		printf("  convergence: effective sample size %.0f of %ld draws, Geweke z %s%s\n",
		       lr->ess, lr->nsamples, gz,
		       fabs(lr->geweke_z) > 2 || lr->ess < 100
			       ? " (low: the quantiles carry Monte Carlo error; run longer with\n"
				 "  --burnin, --samples, --thin)"
			       : "");
	}
done:
	free(models);
	free(shown);
	cb_lcmcr_result_free(lr);
	cb_patterns_free(p);
	return rc;
}
