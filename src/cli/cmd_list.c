/* cmd_list.c: casebook list - the documents in the store. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook list [--store DIR] [--user NAME] [--format table|json]\n"
	"\n"
	"Lists the documents in the store, oldest first: id, publication date,\n"
	"outlet, title, the number of events coded from it, and, for a\n"
	"near-duplicate, the document it copies. Ids are what 'casebook show'\n"
	"takes (a hash prefix of 6+ digits works too).\n";

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *user = NULL;
	const char *dir = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	json_t *docs = NULL, *d;
	size_t i;
	int c, fmt = 0, status;

	while ((c = cli_getopt(argc, argv, ":s:f:hu:", opts, "list")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'f':
			if ((fmt = cli_choice("list", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	static const char *const MASKED[] = {"title", NULL};
	if (cb_store_list_documents(st, &docs, &err) < 0 || cli_mask_members(st, docs, MASKED, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if (fmt == 1) {
		cli_print_json(docs);
	} else {
		static const char *const H[] = {"ID", "PUBLISHED", "OUTLET", "TITLE", "EVENTS", "COPY OF", NULL};
		static const int W[] = {0, 10, 20, 60, 0, 0};
		cli_table *t = cli_table_new(H, W);
		json_array_foreach(docs, i, d) {
			char b[6][64];
			const char *title = cli_json_text(json_object_get(d, "title"), b[3], sizeof b[3]);
			const char *row[] = {
				cli_json_text(json_object_get(d, "id"), b[0], sizeof b[0]),
				cli_json_text(json_object_get(d, "published"), b[1], sizeof b[1]),
				cli_json_text(json_object_get(d, "outlet"), b[2], sizeof b[2]),
				*title ? title : cli_json_text(json_object_get(d, "source_name"), b[3], sizeof b[3]),
				cli_json_text(json_object_get(d, "events"), b[4], sizeof b[4]),
				cli_json_text(json_object_get(d, "near_duplicate_of"), b[5], sizeof b[5])};
			cli_table_add(t, row);
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf("%zu document%s\n", json_array_size(docs), json_array_size(docs) == 1 ? "" : "s");
	}
done:
	json_decref(docs);
	cb_store_close(st);
	return status;
}
