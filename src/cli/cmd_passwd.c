/* cmd_passwd.c: casebook passwd - change your own passphrase (keys rewrapped, data untouched). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook passwd [--store DIR] [--user NAME] [--new-passphrase-file FILE]\n"
	"\n"
	"Changes NAME's passphrase (default: the first owner). The current one\n"
	"unlocks the store as usual; the new one comes from FILE, else from\n"
	"$CASEBOOK_NEW_PASSPHRASE, else is asked twice on the terminal. Only the\n"
	"user's wrapped keys change: no data is re-encrypted. Logged.\n";

int cmd_passwd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"new-passphrase-file", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL, *newfile = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	char *pw = NULL;
	size_t n = 0;
	int c, status;

	while ((c = cli_getopt(argc, argv, ":s:u:n:h", opts, "passwd")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'n': newfile = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("passwd", "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (cli_new_passphrase(&pw, &n, newfile, "CASEBOOK_NEW_PASSPHRASE", cb_store_user(st), &err) < 0 ||
	    cb_store_passwd(st, pw, n, &err) < 0)
		status = cli_fail(&err);
	else
		printf("passphrase of %s changed\n", cb_store_user(st));
	cb_passphrase_free(pw);
	cb_store_close(st);
	return status;
}
