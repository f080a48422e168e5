/* cmd_search.c: casebook search - full-text search over the reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "search/search.h"
#include "util/buf.h"

static const char USAGE[] =
	"usage: casebook search [--store DIR] [--user NAME] QUERY [--outlet X] [--from DATE] [--to DATE]\n"
	"                       [--limit N] [--format table|json]\n"
	"\n"
	"Searches the text and titles of the stored reports, best match first\n"
	"(bm25's term weighting), with a snippet around the match; matches are\n"
	"[bracketed]. Viewers see people's names masked by pseudonym.\n"
	"\n"
	"QUERY is words (all must occur), \"a phrase\", prefix* , OR, NOT, and\n"
	"NEAR(a b, 10). Diacritics and case are ignored: hoeryong finds Hoeryŏng.\n"
	"Several arguments are joined into one query.\n"
	"\n"
	"  --outlet X     only reports from this outlet\n"
	"  --from DATE    only reports published on or after DATE (YYYY[-MM[-DD]])\n"
	"  --to DATE      only reports published on or before DATE\n"
	"  --limit N      at most N results (default 20)\n"
	"  --format json  results as JSON, for scripts\n"
	"\n"
	"Examples:\n"
	"  casebook search Songyuan\n"
	"  casebook search 'repatriat* AND women' --from 2013 --to 2014-06\n";

static int date_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"outlet", required_argument, NULL, 'o'},
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"limit", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *user = NULL;
	const char *dir = NULL;
	cb_search_query q = {0};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	cb_buf query = CB_BUF_INIT;
	json_t *hits = NULL, *h;
	size_t i;
	int c, fmt = 0, status;

	while ((c = cli_getopt(argc, argv, ":s:o:F:T:l:f:hu:", opts, "search")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'o': q.outlet = optarg; break;
		case 'F': q.from = optarg; break;
		case 'T': q.to = optarg; break;
		case 'l':
			if ((q.limit = (int)cli_parse_id(optarg)) <= 0)
				return cli_usage_error("search", "--limit must be a positive number, not '%s'", optarg);
			break;
		case 'f':
			if ((fmt = cli_choice("search", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if ((q.from && !date_ok(q.from)) || (q.to && !date_ok(q.to)))
		return cli_usage_error("search", "dates are YYYY, YYYY-MM or YYYY-MM-DD");
	if (optind >= argc)
		return cli_usage_error("search", "give a QUERY");
	for (int k = optind; k < argc; k++) {
		if (k > optind)
			cb_buf_putc(&query, ' ', NULL);
		cb_buf_puts(&query, argv[k], NULL);
	}
	q.text = query.ptr;
	if ((status = cli_open_store(&st, dir, user)) != 0)
		goto done;
	static const char *const MASKED[] = {"title", "snippet", NULL};
	if (cb_search(&hits, st, &q, &err) < 0 || cli_mask_members(st, hits, MASKED, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if (fmt == 1) {
		cli_print_json(hits);
		goto done;
	}
	json_array_foreach(hits, i, h) {
		char b[4][64];
		const char *snippet = json_string_value(json_object_get(h, "snippet"));
		const char *title = cli_json_text(json_object_get(h, "title"), b[2], sizeof b[2]);
		const char *pub = cli_json_text(json_object_get(h, "published"), b[1], sizeof b[1]);
		printf("%s  %s  %s  %s\n", cli_json_text(json_object_get(h, "id"), b[0], sizeof b[0]),
		       *pub ? pub : "----------", cli_json_text(json_object_get(h, "outlet"), b[3], sizeof b[3]),
		       *title ? title : json_string_value(json_object_get(h, "source_name")));
		if (snippet) {
			int tty = isatty(STDOUT_FILENO);
			fputs("    ", stdout);
			for (const char *p = snippet; *p; p++) {
				if (*p == '\n')
					fputc(' ', stdout);
				else if (tty && *p == CB_SNIPPET_OPEN[0])
					fputs("\033[1m", stdout);
				else if (tty && *p == CB_SNIPPET_CLOSE[0])
					fputs("\033[0m", stdout);
				else
					fputc(*p, stdout);
			}
			fputc('\n', stdout);
		}
	}
	printf("%zu result%s\n", json_array_size(hits), json_array_size(hits) == 1 ? "" : "s");
done:
	cb_buf_free(&query);
	json_decref(hits);
	cb_store_close(st);
	return status;
}
