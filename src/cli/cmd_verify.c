/* cmd_verify.c: casebook verify - check a store's pages, originals and signed log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/fileio.h"

static const char USAGE[] =
	"usage: casebook verify [--store DIR] [--user NAME] [--save-head FILE]\n"
	"                       [--head-file FILE]\n"
	"\n"
	"Checks, without changing anything: every page of the database and its\n"
	"write-ahead log against its seal; every original report against its\n"
	"content hash; every document's text where the text is its own original;\n"
	"and the whole change log: each entry's signature by its user and its link\n"
	"to the entry before. Names the first break and exits 4; exits 0 and prints\n"
	"the counts and the newest log entry's hash when all is well. Note that hash\n"
	"somewhere else: a store rolled back to an older state verifies, but its\n"
	"head hash differs.\n"
	"\n"
	"  --save-head FILE   write the number of log entries and the head hash to\n"
	"                     FILE - keep it off the machine (a USB key, a colleague)\n"
	"  --head-file FILE   check that the log still holds that head: the entry\n"
	"                     saved is there, with the same hash, and the chain goes\n"
	"                     on from it. Dropped or rewritten entries, or a store\n"
	"                     rolled back to before the save, fail with exit 4.\n";

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"save-head", required_argument, NULL, 'S'},
		{"head-file", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL, *save = NULL, *headfile = NULL;
	unsigned long long want_n = 0;
	char want[65] = "";
	cb_error err = CB_ERROR_INIT;
	cb_store_check chk;
	cb_store *st = NULL;
	int c, status;

	while ((c = cli_getopt(argc, argv, ":s:u:S:H:h", opts, "verify")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'S': save = optarg; break;
		case 'H': headfile = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	memset(&chk, 0, sizeof chk);
	if (headfile) {
		FILE *f = fopen(headfile, "r");
		int ok = f && fscanf(f, "casebook-log-head %llu %64s", &want_n, want) == 2 &&
			 strlen(want) == 64 && want_n > 0;
		if (f)
			fclose(f);
		if (!ok) {
			cb_fail(&err, CB_EFORMAT, "%s: not a head file written by 'casebook verify --save-head'",
				headfile);
			return cli_fail(&err);
		}
		chk.head_at_entries = (size_t)want_n;
	}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (cb_store_verify(st, &chk, &err) < 0) {
		status = cli_fail(&err);
	} else if (headfile && !chk.head_at[0]) {
		cb_fail(&err, CB_EINTEGRITY,
			"%s: the change log has %zu entries, fewer than the %llu of the head saved in %s: "
			"entries were dropped or the store rolled back",
			cb_store_dir(st), chk.log, want_n, headfile);
		status = cli_fail(&err);
	} else if (headfile && strcmp(chk.head_at, want)) {
		cb_fail(&err, CB_EINTEGRITY,
			"%s: change log entry %llu is not the one saved in %s: the log was rewritten",
			cb_store_dir(st), want_n, headfile);
		status = cli_fail(&err);
	} else {
		printf("ok: %zu pages, %zu originals, %zu documents, %zu log entries\n", chk.pages,
		       chk.originals, chk.documents, chk.log);
		printf("log head: %s\n", chk.head[0] ? chk.head : "(empty)");
		if (headfile)
			printf("the head saved in %s (entry %llu) is in the log\n", headfile, want_n);
		if (save) {
			char line[128];
			cb_error werr = CB_ERROR_INIT;
			int n = snprintf(line, sizeof line, "casebook-log-head %zu %s\n", chk.log, chk.head);
			if (!chk.log || cb_write_file_atomic(save, line, (size_t)n, &werr) < 0) {
				if (!chk.log)
					cb_fail(&werr, CB_EINVAL, "the change log is empty: no head to save");
				status = cli_fail(&werr);
			} else {
				printf("head saved in %s\n", save);
			}
		}
	}
	cb_store_close(st);
	return status;
}
