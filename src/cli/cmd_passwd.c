/* cmd_passwd.c: casebook passwd - change your own passphrase (keys rewrapped, data untouched). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook passwd [--store DIR] [--user NAME] [--new-passphrase-file FILE]\n"
	"                       [--recovery-file FILE]\n"
	"\n"
	"Changes NAME's passphrase (default: the first owner). The current one\n"
	"unlocks the store as usual; the new one comes from FILE, else from\n"
	"$CASEBOOK_NEW_PASSPHRASE, else is asked twice on the terminal. Only the\n"
	"user's wrapped keys change: no data is re-encrypted. Logged.\n"
	"\n"
	"A forgotten passphrase: --recovery-file FILE unlocks with the recovery\n"
	"key printed once by 'casebook init --recovery' (64 hex digits in FILE)\n"
	"instead of the current passphrase, then sets the new one.\n";

/* The recovery key from a file: 64 hex digits (spaces and newlines ignored). */
static int read_recovery(unsigned char key[32], const char *path, cb_error *err)
{
	char buf[256], hex[65];
	size_t n = 0, h = 0, bin = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return cb_fail(err, CB_ENOTFOUND, "%s: cannot read the recovery key", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	for (size_t i = 0; i < n && h < 65; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t')
			hex[h++] = buf[i];
	sodium_memzero(buf, sizeof buf);
	if (h != 64 || sodium_hex2bin(key, 32, hex, 64, NULL, &bin, NULL) != 0 || bin != 32) {
		sodium_memzero(hex, sizeof hex);
		return cb_fail(err, CB_EFORMAT, "%s: not a recovery key (64 hex digits)", path);
	}
	sodium_memzero(hex, sizeof hex);
	return CB_OK;
}

int cmd_passwd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"new-passphrase-file", required_argument, NULL, 'n'},
		{"recovery-file", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL, *newfile = NULL, *recfile = NULL;
	unsigned char rec[32];
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	char *pw = NULL;
	size_t n = 0;
	int c, status = 0;

	while ((c = cli_getopt(argc, argv, ":s:u:n:r:h", opts, "passwd")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'n': newfile = optarg; break;
		case 'r': recfile = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("passwd", "unexpected argument '%s'", argv[optind]);
	if (recfile) {
		cb_store_auth a = {0};
		a.user = user;
		a.recovery = rec;
		if (read_recovery(rec, recfile, &err) < 0)
			return cli_fail(&err);
		int rc = cb_store_open_as(&st, cb_store_default_dir(dir), &a, &err);
		sodium_memzero(rec, sizeof rec);
		if (rc < 0)
			return cli_fail(&err);
	} else if ((status = cli_open_store(&st, dir, user)) != 0) {
		return status;
	}
	if (cli_new_passphrase(&pw, &n, newfile, "CASEBOOK_NEW_PASSPHRASE", cb_store_user(st), &err) < 0 ||
	    cb_store_passwd(st, pw, n, &err) < 0)
		status = cli_fail(&err);
	else
		printf("passphrase of %s changed\n", cb_store_user(st));
	cb_passphrase_free(pw);
	cb_store_close(st);
	return status;
}
