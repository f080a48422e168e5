/* cmd_events.c: casebook events - list events with filters. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook events [--store DIR] [--user NAME] [--type T] [--status S] [--admin1 P]\n"
	"                       [--from DATE] [--to DATE] [--doc DOC-ID] [--limit N]\n"
	"                       [--format table|json]\n"
	"\n"
	"Lists coded events: what happened (type, modality), when, where, to how\n"
	"many, and their review status. Proposed events come from the extractor;\n"
	"accept or reject them with 'casebook review', correct them with\n"
	"'casebook edit'.\n"
	"\n"
	"  --type T      trafficking, arrest, detention, interrogation, surveillance,\n"
	"                sentencing, repatriation, abuse, escape, release, policy, death\n"
	"  --status S    proposed, accepted or rejected\n"
	"  --admin1 P    province, e.g. Jilin, \"North Hamgyong\"\n"
	"  --from DATE   events that end on or after DATE (YYYY[-MM[-DD]])\n"
	"  --to DATE     events that start on or before DATE\n"
	"  --doc ID      events of one document\n"
	"  --format json the events in the codebook's JSON, with their ids and status\n";

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"type", required_argument, NULL, 't'},
		{"status", required_argument, NULL, 'S'},
		{"admin1", required_argument, NULL, 'a'},
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"doc", required_argument, NULL, 'd'},
		{"limit", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *user = NULL;
	const char *dir = NULL, *doc = NULL;
	cb_event_filter f = {0};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	json_t *events = NULL, *e;
	size_t i;
	int c, fmt = 0, status;

	while ((c = cli_getopt(argc, argv, ":s:t:S:a:F:T:d:l:f:hu:", opts, "events")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 't': f.type = optarg; break;
		case 'S': f.status = optarg; break;
		case 'a': f.admin1 = optarg; break;
		case 'F': f.from = optarg; break;
		case 'T': f.to = optarg; break;
		case 'd': doc = optarg; break;
		case 'l':
			if ((f.limit = (int)cli_parse_id(optarg)) <= 0)
				return cli_usage_error("events", "--limit must be a positive number, not '%s'", optarg);
			break;
		case 'f':
			if ((fmt = cli_choice("events", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("events", "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if ((doc && cb_store_resolve_document(st, &f.doc_id, doc, &err) < 0) ||
	    cb_store_list_events(st, &events, &f, &err) < 0) {
		status = err.code == CB_EINVAL ? (fprintf(stderr, "casebook events: %s\n", err.msg), 2)
					       : cli_fail(&err);
		goto done;
	}
	/* persons: viewers see protected names masked (store/persons.c) */
	if (!cb_store_is_holder(st) && cb_store_mask_json(st, events, NULL, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if (fmt == 1) {
		cli_print_json(events);
	} else {
		static const char *const H[] = {"ID", "DOC", "STATUS", "TYPE", "MODALITY", "DATE",
						"PLACE", "VICTIMS", "EVIDENCE", NULL};
		static const int W[] = {0, 0, 0, 0, 0, 21, 24, 0, 60};
		cli_table *t = cli_table_new(H, W);
		json_array_foreach(events, i, e) {
			char b[9][96], date[64] = "", place[128] = "", victims[64] = "";
			json_t *d = json_object_get(e, "date"), *l = json_object_get(e, "location");
			json_t *v = json_object_get(e, "victims");
			if (json_is_object(d)) {
				const char *s = cli_json_text(json_object_get(d, "start"), b[0], sizeof b[0]);
				const char *en = cli_json_text(json_object_get(d, "end"), b[1], sizeof b[1]);
				snprintf(date, sizeof date, "%s%s%s", s, *en && strcmp(s, en) ? ".." : "",
					 *en && strcmp(s, en) ? en : "");
			}
			if (json_is_object(l)) {
				const char *p = cli_json_text(json_object_get(l, "place"), b[2], sizeof b[2]);
				const char *a = cli_json_text(json_object_get(l, "admin1"), b[3], sizeof b[3]);
				const char *co = cli_json_text(json_object_get(l, "country"), b[4], sizeof b[4]);
				snprintf(place, sizeof place, "%s%s%s%s%s", p, *p ? ", " : "", a, *a ? ", " : "", co);
			}
			if (json_is_object(v)) {
				const char *lo = cli_json_text(json_object_get(v, "count_min"), b[5], sizeof b[5]);
				const char *hi = cli_json_text(json_object_get(v, "count_max"), b[6], sizeof b[6]);
				if (*lo || *hi)
					snprintf(victims, sizeof victims, "%s%s%s", *lo ? lo : "?",
						 strcmp(lo, hi) ? ".." : "", strcmp(lo, hi) ? (*hi ? hi : "?") : "");
			}
			{
				char idb[32], docb[32];
				const char *row[] = {
					cli_json_text(json_object_get(e, "id"), idb, sizeof idb),
					cli_json_text(json_object_get(e, "document"), docb, sizeof docb),
					json_string_value(json_object_get(e, "status")),
					json_string_value(json_object_get(e, "type")),
					json_string_value(json_object_get(e, "modality")),
					date, place, victims,
					cli_json_text(json_object_get(json_object_get(e, "evidence"), "quote"), b[7], sizeof b[7])};
				cli_table_add(t, row);
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf("%zu event%s\n", json_array_size(events), json_array_size(events) == 1 ? "" : "s");
	}
done:
	json_decref(events);
	cb_store_close(st);
	return status;
}
