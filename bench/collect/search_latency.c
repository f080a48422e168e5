/*
 * search_latency.c: times casebook's own search call (the library function
 * the CLI and the web server use) over a list of queries on an open store,
 * and prints the median and 99th percentile in milliseconds.
 *
 * usage: bench_search_latency STORE QUERY-FILE   (one query a line)
 * prints: queries p50_ms p99_ms mean_hits
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search/search.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	cb_store *st;
	FILE *f;
	char line[512];
	double t[4096];
	long hits = 0;
	int n = 0;

	if (argc != 3 || !(f = fopen(argv[2], "r"))) {
		fprintf(stderr, "usage: bench_search_latency STORE QUERY-FILE\n");
		return 2;
	}
	if (cb_store_open(&st, argv[1], &err) < 0) {
		fprintf(stderr, "bench_search_latency: %s\n", err.msg);
		return 1;
	}
	while (n < 4096 && fgets(line, sizeof line, f)) {
		cb_search_query q = {0};
		json_t *res = NULL;
		double t0;
		line[strcspn(line, "\n")] = '\0';
		q.text = line;
		q.limit = 20;
		t0 = now();
		if (cb_search(&res, st, &q, &err) < 0) {
			fprintf(stderr, "bench_search_latency: %s: %s\n", line, err.msg);
			continue;
		}
		t[n++] = (now() - t0) * 1e3;
		if (getenv("CB_BENCH_VERBOSE"))
			fprintf(stderr, "%8.3f ms  %3zu hits  %s\n", t[n - 1], json_array_size(res), line);
		hits += (long)json_array_size(res);
		json_decref(res);
	}
	fclose(f);
	cb_store_close(st);
	if (!n)
		return 1;
	qsort(t, (size_t)n, sizeof t[0], cmp);
	printf("%d %.3f %.3f %.1f\n", n, t[n / 2], t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1],
	       (double)hits / n);
	return 0;
}
