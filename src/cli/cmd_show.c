/* cmd_show.c: casebook show - one document with its events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook show [--store DIR] [--user NAME] DOC-ID [--format text|json]\n"
	"\n"
	"Shows one document: its provenance (source file, hash, URL, outlet,\n"
	"publication date), its text, and the events coded from it with their\n"
	"status and evidence. DOC-ID is the id from 'casebook list' or 6+ hex\n"
	"digits of the document's hash. --format json prints the codebook record\n"
	"{\"document\", \"events\", \"statistics\"}. --original writes the file as it\n"
	"was ingested, byte for byte, to stdout.\n";

static void print_event_line(json_t *e)
{
	char b[8][64];
	json_t *date = json_object_get(e, "date"), *loc = json_object_get(e, "location");
	json_t *vic = json_object_get(e, "victims");
	const char *place = cli_json_text(json_object_get(loc, "place"), b[3], sizeof b[3]);
	const char *admin1 = cli_json_text(json_object_get(loc, "admin1"), b[4], sizeof b[4]);

	printf("  #%s %-12s %-8s %-8s date %s  place %s%s%s  victims %s..%s\n",
	       cli_json_text(json_object_get(e, "id"), b[0], sizeof b[0]),
	       json_string_value(json_object_get(e, "type")),
	       json_string_value(json_object_get(e, "modality")),
	       json_string_value(json_object_get(e, "status")),
	       json_is_object(date) ? cli_json_text(json_object_get(date, "start"), b[1], sizeof b[1]) : "-",
	       *place ? place : "", *place && *admin1 ? ", " : "", *admin1 ? admin1 : (*place ? "" : "-"),
	       cli_json_text(json_object_get(vic, "count_min"), b[5], sizeof b[5]),
	       cli_json_text(json_object_get(vic, "count_max"), b[6], sizeof b[6]));
	printf("      \"%s\"\n", cli_json_text(json_object_get(json_object_get(e, "evidence"), "quote"),
					 b[7], sizeof b[7]));
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"original", no_argument, NULL, 'o'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"text", "json", NULL};
	const char *user = NULL;
	const char *dir = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	cb_event_filter f = {0};
	json_t *doc = NULL, *events = NULL, *stats = NULL;
	int64_t id;
	int c, fmt = 0, status, original = 0;

	while ((c = cli_getopt(argc, argv, ":s:f:ohu:", opts, "show")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'o': original = 1; break;
		case 'f':
			if ((fmt = cli_choice("show", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("show", "give exactly one DOC-ID");
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (cb_store_resolve_document(st, &id, argv[optind], &err) < 0 ||
	    cb_store_get_document(st, &doc, id, 1, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if (original) {
		char *data = NULL;
		size_t len;
		/* An original may name anyone, in any form (HTML, a name split
		 * by markup): it cannot be masked reliably, so viewers read the
		 * masked text instead. */
		if (!cb_store_is_holder(st)) {
			cb_fail(&err, CB_EAUTH,
				"viewers cannot read originals (they may name people); 'casebook show %s' "
				"gives the text with names masked",
				argv[optind]);
			status = cli_fail(&err);
			goto done;
		}
		if (cb_store_get_original(st, &data, &len, id, &err) < 0) {
			status = cli_fail(&err);
			goto done;
		}
		fwrite(data, 1, len, stdout);
		free(data);
		goto done;
	}
	if (
	    (f.doc_id = id, cb_store_list_events(st, &events, &f, &err)) < 0 ||
	    cb_store_list_statistics(st, &stats, id, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	/* persons: viewers see protected names masked (store/persons.c) */
	if (!cb_store_is_holder(st) &&
	    (cb_store_mask_json(st, doc, NULL, &err) < 0 || cb_store_mask_json(st, events, NULL, &err) < 0)) {
		status = cli_fail(&err);
		goto done;
	}
	if (fmt == 1) {
		json_t *rec = json_pack("{s:O, s:O, s:O}", "document", doc, "events", events, "statistics", stats);
		cli_print_json(rec);
		json_decref(rec);
	} else {
		static const char *const FIELDS[] = {"title", "outlet", "published", "source_name", "format",
						     "url", "hash", "language", "near_duplicate_of",
						     "similarity", "ingested_at", "ingested_by", NULL};
		size_t i;
		json_t *e;
		printf("document %lld\n", (long long)id);
		for (int k = 0; FIELDS[k]; k++) {
			char b[64];
			const char *v = cli_json_text(json_object_get(doc, FIELDS[k]), b, sizeof b);
			if (*v)
				printf("  %-18s %s\n", FIELDS[k], v);
		}
		printf("\n%s\n", json_string_value(json_object_get(doc, "text")));
		printf("\n%zu event%s\n", json_array_size(events), json_array_size(events) == 1 ? "" : "s");
		json_array_foreach(events, i, e)
			print_event_line(e);
		if (json_array_size(stats))
			printf("\n%zu statistic%s\n", json_array_size(stats), json_array_size(stats) == 1 ? "" : "s");
		json_array_foreach(stats, i, e) {
			char b[64];
			printf("  %s\n", cli_json_text(json_object_get(e, "text"), b, sizeof b));
		}
	}
done:
	json_decref(doc);
	json_decref(events);
	json_decref(stats);
	cb_store_close(st);
	return status;
}
