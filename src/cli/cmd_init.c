/* cmd_init.c: casebook init - create a store, encrypted, with its first owner. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook init [--store DIR] [--user NAME] [--passphrase-file FILE] [--recovery]\n"
	"\n"
	"Creates a new, empty store: a folder holding the database, the original\n"
	"reports and the key file, all encrypted at rest. DIR defaults to\n"
	"$CASEBOOK_STORE, else ./casebook.store. An existing store, or a folder with\n"
	"other files in it, is left alone.\n"
	"\n"
	"  --store DIR             where to create the store\n"
	"  --user NAME             the first owner (default $USER)\n"
	"  --passphrase-file FILE  their passphrase, the file's first line; else\n"
	"                          $CASEBOOK_PASSPHRASE (least safe), else asked twice\n"
	"                          on the terminal\n"
	"  --recovery              also make a recovery key and print it, once: it\n"
	"                          unlocks every user if a passphrase is lost\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"recovery", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL, *passfile = cli_passphrase_file;
	cb_error err = CB_ERROR_INIT;
	cb_store_auth auth = {0};
	unsigned char *rec = NULL;
	char *pw = NULL;
	int c, want_recovery = 0, status = 0;

	while ((c = cli_getopt(argc, argv, ":s:u:p:rh", opts, "init")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'p': passfile = optarg; break;
		case 'r': want_recovery = 1; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
	dir = cb_store_default_dir(dir);
	if (!user) {
		user = getenv("USER");
		if (!user || !*user)
			user = "casebook";
	}
	if (want_recovery && (sodium_init() < 0 || !(rec = sodium_malloc(32)))) {
		fputs("casebook: out of memory\n", stderr);
		return 1;
	}
	if (cli_new_passphrase(&pw, &auth.passlen, passfile, NULL, user, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	auth.user = user;
	auth.pass = pw;
	if (cb_store_create(dir, &auth, rec, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	printf("created store %s (encrypted; owner %s)\n", dir, user);
	if (rec) {
		char hex[65];
		sodium_bin2hex(hex, sizeof hex, rec, 32);
		printf("recovery key (shown only now; keep it offline):\n%s\n", hex);
		sodium_memzero(hex, sizeof hex);
	}
done:
	cb_passphrase_free(pw);
	if (rec)
		sodium_free(rec);
	return status;
}
