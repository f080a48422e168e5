/* cmd_review.c: casebook review - accept or reject a proposed event. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook review [--store DIR] [--user NAME] EVENT-ID accept|reject|reopen\n"
	"\n"
	"Records a researcher's decision on an event the extractor proposed:\n"
	"accept it into the record, reject it, or reopen it (back to proposed).\n"
	"The decision, who made it and when are kept with the event and in the\n"
	"change log. Several EVENT-IDs may be given before the decision.\n";

int cmd_review(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const DECISIONS[] = {"accept", "reject", "reopen", NULL};
	static const char *const STATUS[] = {"accepted", "rejected", "proposed"};
	const char *dir = NULL, *user = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	int c, status, decision, rc = 0;

	while ((c = cli_getopt(argc, argv, ":s:u:h", opts, "review")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("review", "give EVENT-ID and accept, reject or reopen");
	if ((decision = cli_choice("review", "the decision", argv[argc - 1], DECISIONS)) < 0)
		return 2;
	for (int i = optind; i < argc - 1; i++)
		if (cli_parse_id(argv[i]) < 0)
			return cli_usage_error("review", "'%s' is not an event id", argv[i]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if ((rc = cb_store_begin(st, &err)) < 0)
		goto done;
	for (int i = optind; i < argc - 1; i++) {
		char target[48];
		long long id = cli_parse_id(argv[i]);
		json_t *detail = json_pack("{s:s}", "status", STATUS[decision]);
		snprintf(target, sizeof target, "event:%lld", id);
		rc = cb_store_review_event(st, id, STATUS[decision], &err);
		if (rc == 0)
			rc = cb_store_log(st, "review", target, detail, &err);
		json_decref(detail);
		if (rc < 0)
			goto done;
	}
	if ((rc = cb_store_commit(st, &err)) < 0)
		goto done;
	for (int i = optind; i < argc - 1; i++)
		printf("event %s %s\n", argv[i], STATUS[decision]);
done:
	if (rc < 0) {
		cb_store_rollback(st);
		status = cli_fail(&err);
	}
	cb_store_close(st);
	return status;
}
