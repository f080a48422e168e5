/* cmd_verify.c: casebook verify - check a store's pages, originals and signed log. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook verify [--store DIR] [--user NAME]\n"
	"\n"
	"Checks, without changing anything: every page of the database and its\n"
	"write-ahead log against its seal; every original report against its\n"
	"content hash; every document's text where the text is its own original;\n"
	"and the whole change log: each entry's signature by its user and its link\n"
	"to the entry before. Names the first break and exits 4; exits 0 and prints\n"
	"the counts and the newest log entry's hash when all is well. Note that hash\n"
	"somewhere else: a store rolled back to an older state verifies, but its\n"
	"head hash differs.\n";

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store_check chk;
	cb_store *st = NULL;
	int c, status;

	while ((c = cli_getopt(argc, argv, ":s:u:h", opts, "verify")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (cb_store_verify(st, &chk, &err) < 0) {
		status = cli_fail(&err);
	} else {
		printf("ok: %zu pages, %zu originals, %zu documents, %zu log entries\n", chk.pages,
		       chk.originals, chk.documents, chk.log);
		printf("log head: %s\n", chk.head[0] ? chk.head : "(empty)");
	}
	cb_store_close(st);
	return status;
}
