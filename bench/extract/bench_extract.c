/*
 * bench_extract.c: extraction speed, in MB of report text per second on one
 * core, against a baseline in the same run: reading the same text and
 * splitting it into sentences (the least any extractor must do).
 *
 * usage: bench_extract CORPUS_FILE [SECONDS [base|extract|tree]]
 * CORPUS_FILE holds reports separated by a line "\f" (run.sh builds it
 * from examples/reports/). Prints both rates and their ratio. Building the
 * extractor (compiling patterns, loading the gazetteer) happens once per
 * process, not per megabyte: it is timed and printed on its own, outside
 * both rates. A third argument runs one phase only (for profilers): base,
 * extract (to JSON text) or tree (to a jansson tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "code/extract.h"
#include "code/sentences.h"
#include "util/buf.h"
#include "util/fileio.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_extract CORPUS_FILE [SECONDS [base|extract|tree]]\n");
		return 2;
	}
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	const char *only = argc > 3 ? argv[3] : "";
	int run_base = !*only || !strcmp(only, "base"), run_ext = !*only || !strcmp(only, "extract"),
	    run_tree = !*only || !strcmp(only, "tree");
	cb_error err = CB_ERROR_INIT;
	char *all = NULL;
	size_t len = 0;
	if (cb_read_file(&all, &len, argv[1], 512u << 20, &err) < 0) {
		fprintf(stderr, "bench_extract: %s\n", err.msg);
		return 1;
	}
	/* the reports */
	size_t nd = 0, cap = 1024;
	char **docs = malloc(cap * sizeof *docs);
	size_t *lens = malloc(cap * sizeof *lens);
	for (char *p = all; p && *p;) {
		char *q = strstr(p, "\n\f\n");
		size_t l = q ? (size_t)(q - p) : strlen(p);
		if (nd == cap) {
			cap *= 2;
			docs = realloc(docs, cap * sizeof *docs);
			lens = realloc(lens, cap * sizeof *lens);
		}
		docs[nd] = p;
		lens[nd++] = l;
		p = q ? q + 3 : NULL;
	}
	cb_extractor *x;
	double t0 = now();
	if (cb_extractor_new(&x, &err) < 0) {
		fprintf(stderr, "bench_extract: %s\n", err.msg);
		return 1;
	}
	double setup = now() - t0;
	/* baseline: split sentences */
	double bytes = 0, sink = 0;
	t0 = now();
	while (run_base && now() - t0 < secs)
		for (size_t i = 0; i < nd; i++) {
			cb_sentence *s;
			size_t n;
			cb_sentences_split(&s, &n, docs[i], lens[i], &err);
			sink += n;
			free(s);
			bytes += lens[i];
		}
	double base = bytes / (now() - t0) / 1e6;
	/* the full pipeline: report text in, codebook JSON text out, as
	 * `casebook extract` prints it */
	cb_buf out = CB_BUF_INIT;
	t0 = now();
	bytes = 0;
	while (run_ext && now() - t0 < secs)
		for (size_t i = 0; i < nd; i++) {
			cb_buf_reset(&out);
			if (cb_extract_text(&out, 0, x, docs[i], lens[i], NULL, &err) < 0) {
				fprintf(stderr, "bench_extract: %s\n", err.msg);
				return 1;
			}
			sink += out.len;
			bytes += lens[i];
		}
	double ext_bytes = bytes;
	double rate = bytes / (now() - t0) / 1e6;
	cb_buf_free(&out);
	/* the same into a jansson tree, as ingest reads it; and the events */
	size_t events = 0;
	double tree = 0;
	t0 = now();
	bytes = 0;
	for (int pass = 0; run_tree && (pass == 0 || now() - t0 < secs / 2); pass++)
		for (size_t i = 0; i < nd; i++) {
			json_t *doc;
			if (cb_extract(&doc, x, docs[i], lens[i], NULL, &err) < 0) {
				fprintf(stderr, "bench_extract: %s\n", err.msg);
				return 1;
			}
			if (pass == 0)
				events += json_array_size(json_object_get(doc, "events"));
			json_decref(doc);
			bytes += lens[i];
		}
	if (run_tree)
		tree = bytes / (now() - t0) / 1e6;
	printf("reports: %zu (%.1f KB), events per pass: %zu\n", nd, len / 1024.0, events);
	printf("extractor setup (once, not in the rates): %.3f s\n", setup);
	printf("baseline (read + split sentences): %8.2f MB/s per core\n", base);
	printf("extract (full pipeline):           %8.2f MB/s per core\n", rate);
	printf("  (text to JSON text, as 'casebook extract' prints it; into a jansson\n"
	       "   tree, as ingest reads it: %.2f MB/s)\n", tree);
	printf("ratio extract/baseline:            %8.3f\n", rate / base);
	printf("extracted bytes: %.0f\n", ext_bytes);
	(void)sink;
	cb_extractor_free(x);
	free(docs);
	free(lens);
	free(all);
	return 0;
}
