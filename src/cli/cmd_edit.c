/* cmd_edit.c: casebook edit - change fields of an event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook edit [--store DIR] [--user NAME] EVENT-ID FIELD=VALUE...\n"
	"\n"
	"Corrects an event. All changes are made together or not at all, and\n"
	"each is recorded in the change log with the old value.\n"
	"\n"
	"Fields: type, modality, date.start, date.end, date.precision, date.text,\n"
	"location.country, location.admin1, location.place, location.text,\n"
	"victims.count_min, victims.count_max, victims.gender, victims.nationality,\n"
	"victims.text, sentence_years, actors (JSON), incident.\n"
	"VALUE null (or empty) clears a field.\n"
	"\n"
	"Example:\n"
	"  casebook edit 12 location.place=Helong location.admin1=Jilin victims.count_min=3\n";

/* The current value of a dotted field in an event, as JSON. */
static json_t *old_value(json_t *e, const char *field)
{
	const char *dot = strchr(field, '.');
	char head[32];
	if (!dot)
		return json_object_get(e, !strcmp(field, "incident") ? "incident" : field);
	snprintf(head, sizeof head, "%.*s", (int)(dot - field), field);
	return json_object_get(json_object_get(e, head), dot + 1);
}

int cmd_edit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	json_t *before = NULL, *changes = NULL;
	long long id;
	int c, status, rc = 0;

	while ((c = cli_getopt(argc, argv, ":s:u:h", opts, "edit")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("edit", "give EVENT-ID and at least one FIELD=VALUE");
	if ((id = cli_parse_id(argv[optind])) < 0)
		return cli_usage_error("edit", "'%s' is not an event id", argv[optind]);
	for (int i = optind + 1; i < argc; i++)
		if (!strchr(argv[i], '=') || argv[i][0] == '=')
			return cli_usage_error("edit", "'%s' is not FIELD=VALUE", argv[i]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	changes = json_object();
	if ((rc = cb_store_get_event(st, &before, id, &err)) < 0 || (rc = cb_store_begin(st, &err)) < 0)
		goto done;
	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		*eq = '\0';
		if ((rc = cb_store_edit_event(st, id, argv[i], eq + 1, &err)) < 0) {
			cb_error_prefix(&err, "event %lld", id);
			goto done;
		}
		json_object_set_new(changes, argv[i],
				    json_pack("{s:O?, s:s}", "old", old_value(before, argv[i]), "new", eq + 1));
	}
	{
		char target[48];
		snprintf(target, sizeof target, "event:%lld", id);
		if ((rc = cb_store_log(st, "edit", target, changes, &err)) < 0 ||
		    (rc = cb_store_commit(st, &err)) < 0)
			goto done;
	}
	printf("event %lld changed (%d field%s)\n", id, argc - optind - 1, argc - optind - 1 == 1 ? "" : "s");
done:
	if (rc < 0) {
		cb_store_rollback(st);
		status = cli_fail(&err);
	}
	json_decref(before);
	json_decref(changes);
	cb_store_close(st);
	return status;
}
