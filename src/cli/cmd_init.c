/* cmd_init.c: casebook init - create a store. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook init [--store DIR] [--user NAME]\n"
	"\n"
	"Creates a new, empty store: a folder holding the database and the\n"
	"original reports. DIR defaults to $CASEBOOK_STORE, else ./casebook.store.\n"
	"An existing store, or a folder with other files in it, is left alone.\n"
	"\n"
	"  --store DIR   where to create the store\n"
	"  --user NAME   who the change log records as its creator (default $USER)\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL;
	cb_error err = CB_ERROR_INIT;
	int c;

	while ((c = cli_getopt(argc, argv, ":s:u:h", opts, "init")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
	dir = cb_store_default_dir(dir);
	if (cb_store_init(dir, user, &err) < 0)
		return cli_fail(&err);
	printf("created store %s\n", dir);
	return 0;
}
