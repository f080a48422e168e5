/*
 * cmd_import_events.c: casebook import-events - coded events from codebook
 * JSON files, so a store can hold a team's existing coding (or gold
 * annotations) beside the extractor's proposals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"
#include "util/fileio.h"

static const char USAGE[] =
	"usage: casebook import-events [--store DIR] [--doc DOC-ID] [--status proposed|accepted]\n"
	"                              FILE.json...\n"
	"\n"
	"Imports events in the codebook's JSON format\n"
	"  {\"document\": {...}, \"events\": [...], \"statistics\": [...]}\n"
	"(or a bare array of events) and attaches them to a stored document:\n"
	"the one named by --doc, else the one ingested from NAME.txt or NAME.html\n"
	"for FILE NAME.json, else the one whose title matches document.title.\n"
	"Every event is checked against the codebook first; a file with a bad\n"
	"event is refused whole, naming the event and field.\n"
	"\n"
	"  --status S   status of the imported events (default accepted: coded by a person)\n";

/* The document a file's events belong to. */
static int find_doc(cb_store *st, int64_t *id, const char *path, json_t *rec, cb_error *err)
{
	const char *base = strrchr(path, '/');
	char stem[512];
	json_t *docs = NULL, *d;
	size_t i;
	int rc;

	base = base ? base + 1 : path;
	snprintf(stem, sizeof stem, "%s", base);
	if (strrchr(stem, '.'))
		*strrchr(stem, '.') = '\0';
	if ((rc = cb_store_list_documents(st, &docs, err)) < 0)
		return rc;
	*id = 0;
	json_array_foreach(docs, i, d) {
		const char *src = json_string_value(json_object_get(d, "source_name"));
		size_t n = strlen(stem);
		if (src && !strncmp(src, stem, n) && src[n] == '.' && !strchr(src + n + 1, '.')) {
			*id = json_integer_value(json_object_get(d, "id"));
			break;
		}
	}
	if (!*id && json_is_object(rec)) {
		const char *title = json_string_value(json_object_get(json_object_get(rec, "document"), "title"));
		json_array_foreach(docs, i, d) {
			const char *t = json_string_value(json_object_get(d, "title"));
			if (title && t && !strcmp(title, t)) {
				*id = json_integer_value(json_object_get(d, "id"));
				break;
			}
		}
	}
	json_decref(docs);
	if (!*id)
		return cb_fail(err, CB_ENOTFOUND,
			       "%s: no stored document matches (by source name %s.* or by title); say --doc DOC-ID",
			       path, stem);
	return CB_OK;
}

static int import_file(cb_store *st, const char *path, const char *doc_ref, const char *status,
		       int *n_events, cb_error *err)
{
	char *data = NULL;
	size_t len;
	json_t *rec = NULL, *events, *ids = json_array(), *detail = NULL;
	json_error_t jerr;
	int64_t id;
	int rc;

	if ((rc = cb_read_file(&data, &len, path, 64u << 20, err)) < 0)
		goto done;
	if (len == 0) {
		rc = cb_fail(err, CB_EFORMAT, "%s: empty file", path);
		goto done;
	}
	if (!(rec = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr))) {
		rc = cb_fail(err, CB_EFORMAT, "%s: not valid JSON at line %d, column %d: %s", path, jerr.line,
			     jerr.column, jerr.text);
		goto done;
	}
	events = json_is_array(rec) ? rec : json_object_get(rec, "events");
	if (!json_is_array(events)) {
		rc = cb_fail(err, CB_EFORMAT, "%s: no \"events\" array (expected the codebook format)", path);
		goto done;
	}
	if (doc_ref ? (rc = cb_store_resolve_document(st, &id, doc_ref, err)) < 0
		    : (rc = find_doc(st, &id, path, rec, err)) < 0)
		goto done;
	if ((rc = cb_store_begin(st, err)) < 0)
		goto done;
	if ((rc = cb_store_add_events(st, id, events, status, "import", ids, err)) < 0 ||
	    (json_is_object(rec) &&
	     (rc = cb_store_add_statistics(st, id, json_object_get(rec, "statistics"), err)) < 0)) {
		cb_error_prefix(err, "%s", path);
		goto done;
	}
	detail = json_pack("{s:s, s:O}", "file", path, "events", ids);
	{
		char target[48];
		snprintf(target, sizeof target, "document:%lld", (long long)id);
		if ((rc = cb_store_log(st, "import-events", target, detail, err)) < 0)
			goto done;
	}
	if ((rc = cb_store_commit(st, err)) < 0)
		goto done;
	*n_events = (int)json_array_size(ids);
	printf("%s: %d event%s added to document %lld\n", path, *n_events, *n_events == 1 ? "" : "s",
	       (long long)id);
done:
	if (rc < 0)
		cb_store_rollback(st);
	json_decref(detail);
	json_decref(ids);
	json_decref(rec);
	free(data);
	return rc;
}

int cmd_import_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"doc", required_argument, NULL, 'd'},
		{"status", required_argument, NULL, 'S'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const STATUSES[] = {"proposed", "accepted", NULL};
	const char *dir = NULL, *doc = NULL, *status_name = "accepted", *user = NULL;
	cb_store *st = NULL;
	int c, status, failed = 0;

	while ((c = cli_getopt(argc, argv, ":s:d:S:u:h", opts, "import-events")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'd': doc = optarg; break;
		case 'S':
			if (cli_choice("import-events", "--status", optarg, STATUSES) < 0)
				return 2;
			status_name = optarg;
			break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("import-events", "name at least one FILE.json");
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	for (int i = optind; i < argc; i++) {
		cb_error err = CB_ERROR_INIT;
		int n = 0;
		if (import_file(st, argv[i], doc, status_name, &n, &err) < 0) {
			status = cli_fail(&err);
			failed++;
		}
	}
	cb_store_close(st);
	return failed ? (status ? status : 1) : 0;
}
