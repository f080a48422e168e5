/*
 * cmd_extract.c: `casebook extract` - propose events for report files
 * without a store. Each file goes through collect (UTF-8 check, NFC, HTML
 * to text) and the extractor; the codebook JSON goes to stdout, or to
 * DIR/NAME.json with --out. A file that cannot be read gets a one-line
 * error naming it; the others are still processed, and the exit status
 * says that something failed.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "code/extract.h"
#include "collect/collect.h"
#include "util/error.h"
#include "util/fileio.h"

static void help(FILE *f)
{
	fprintf(f,
		"usage: casebook extract [--format json|table] [--out DIR] FILE...\n"
		"\n"
		"Reads report files (.txt, .md, .html) and proposes the events they tell,\n"
		"coded as in the codebook: for each file one JSON object\n"
		"  {\"document\": {...}, \"events\": [...], \"statistics\": [...]}\n"
		"with the document record (title, outlet, publication date, boilerplate),\n"
		"each event's type, modality, date, place, actors, victims and the\n"
		"evidence span (code-point offsets into the report's text), and the\n"
		"statistics the report quotes. Nothing is stored: use 'casebook ingest'\n"
		"to keep documents and their proposed events.\n"
		"\n"
		"Options:\n"
		"  --format json   print the codebook JSON (default)\n"
		"  --format table  print one line per event: type, modality, date,\n"
		"                  place, victims, evidence\n"
		"  --out DIR       write DIR/NAME.json for each FILE (NAME without its\n"
		"                  extension) instead of printing; DIR is created\n"
		"  -h, --help      show this help\n"
		"\n"
		"Examples:\n"
		"  casebook extract report.txt\n"
		"  casebook extract --format table reports/*.html\n"
		"  casebook extract --out coded/ reports/*.txt\n"
		"\n"
		"Exit status: 0 when every file was read, 1 when some file failed (each\n"
		"failure is reported on stderr with the file's name), 2 on bad usage.\n");
}

static const char *str_or(json_t *v, const char *dflt)
{
	return json_is_string(v) ? json_string_value(v) : dflt;
}

static void print_table(const char *path, json_t *doc)
{
	json_t *events = json_object_get(doc, "events");
	size_t i;
	json_t *e;
	printf("%s: %zu events\n", path, json_array_size(events));
	json_array_foreach(events, i, e) {
		json_t *d = json_object_get(e, "date"), *l = json_object_get(e, "location");
		json_t *v = json_object_get(e, "victims");
		char cnt[48] = "-";
		json_t *lo = json_object_get(v, "count_min"), *hi = json_object_get(v, "count_max");
		if (json_is_integer(lo) || json_is_integer(hi))
			snprintf(cnt, sizeof cnt, "%s..%s",
				 json_is_integer(lo) ? "" : "?", json_is_integer(hi) ? "" : "?");
		if (json_is_integer(lo) || json_is_integer(hi)) {
			char a[20] = "?", b[20] = "?";
			if (json_is_integer(lo))
				snprintf(a, sizeof a, "%lld", (long long)json_integer_value(lo));
			if (json_is_integer(hi))
				snprintf(b, sizeof b, "%lld", (long long)json_integer_value(hi));
			snprintf(cnt, sizeof cnt, "%s..%s", a, b);
		}
		const char *quote = str_or(json_object_get(json_object_get(e, "evidence"), "quote"), "");
		printf("  %-13s %-8s %-10s %-16s %-12s %.70s%s\n",
		       str_or(json_object_get(e, "type"), "?"),
		       str_or(json_object_get(e, "modality"), "?"),
		       str_or(json_object_get(d, "start"), "-"),
		       str_or(json_object_get(l, "place"), str_or(json_object_get(l, "admin1"),
				str_or(json_object_get(l, "country"), "-"))),
		       cnt, quote, strlen(quote) > 70 ? "..." : "");
	}
}

/* DIR/NAME.json for path. Returns a malloc'd string or NULL. */
static char *out_path(const char *dir, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	const char *dot = strrchr(base, '.');
	if (dot && dot != base)
		bl = (size_t)(dot - base);
	size_t n = strlen(dir) + bl + 8;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%.*s.json", dir, (int)bl, base);
	return p;
}

static int extract_one(const cb_extractor *x, const char *path, int table, const char *outdir,
		       cb_error *err)
{
	cb_collected *c = NULL;
	json_t *doc = NULL;
	cb_buf text = CB_BUF_INIT;
	char *op = NULL;
	int rc;

	if ((rc = cb_collect_file(&c, path, CB_COLLECT_DEFAULT_MAX, err)) < 0)
		goto done;
	cb_doc_hints hints = {c->title, c->published, c->site_name, c->canonical_url};
	if (table) {
		if ((rc = cb_extract(&doc, x, c->text, c->len, &hints, err)) < 0) {
			cb_error_prefix(err, "%s", path);
			goto done;
		}
		print_table(path, doc);
		goto done;
	}
	/* The JSON is written as text straight away: no tree to build, dump
	 * and free. In a file non-ASCII is escaped, so any tool reads it. */
	if ((rc = cb_extract_text(&text, outdir ? CB_EXTRACT_ASCII : 0, x, c->text, c->len,
				  &hints, err)) < 0) {
		cb_error_prefix(err, "%s", path);
		goto done;
	}
	if (outdir) {
		if (!(op = out_path(outdir, path))) {
			rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", path);
			goto done;
		}
		if ((rc = cb_write_file_atomic(op, text.ptr, text.len, err)) < 0)
			goto done;
	} else {
		fwrite(text.ptr, 1, text.len, stdout);
		fputc('\n', stdout);
	}
done:
	cb_buf_free(&text);
	free(op);
	json_decref(doc);
	cb_collected_free(c);
	return rc;
}

int cmd_extract(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *format = "json", *outdir = NULL;
	cb_extractor *x = NULL;
	cb_error err = CB_ERROR_INIT;
	int c, status = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': outdir = optarg; break;
		case 'h': help(stdout); return 0;
		default:
			fprintf(stderr, "casebook extract: bad option '%s'; see 'casebook extract --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (strcmp(format, "json") && strcmp(format, "table")) {
		fprintf(stderr, "casebook extract: --format must be json or table, not '%s'\n", format);
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "casebook extract: no FILE given; see 'casebook extract --help'\n");
		return 2;
	}
	if (outdir && cb_mkdirs(outdir, &err) < 0) {
		fprintf(stderr, "casebook extract: %s\n", err.msg);
		return cb_exit_status(err.code);
	}
	if (cb_extractor_new(&x, &err) < 0) {
		fprintf(stderr, "casebook extract: %s\n", err.msg);
		return cb_exit_status(err.code);
	}
	for (int i = optind; i < argc; i++) {
		cb_error_clear(&err);
		if (extract_one(x, argv[i], !strcmp(format, "table"), outdir, &err) < 0) {
			fprintf(stderr, "casebook extract: %s\n", err.msg);
			status = 1;
		}
	}
	cb_extractor_free(x);
	return status;
}
