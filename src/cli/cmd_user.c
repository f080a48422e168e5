/* cmd_user.c: casebook user add|list|remove - the people who hold keys to a store. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook user add NAME --role owner|editor|viewer [--new-passphrase-file FILE]\n"
	"       casebook user list\n"
	"       casebook user remove NAME\n"
	"   (each with [--store DIR] [--user ACTING_USER])\n"
	"\n"
	"Owners add and remove users; anyone may list them. A new user gets key\n"
	"pairs of their own and a copy of the store's key wrapped under their\n"
	"passphrase, which comes from FILE, else $CASEBOOK_NEW_PASSPHRASE, else is\n"
	"asked twice on the terminal. Roles: owner (everything, users too), editor\n"
	"(ingest, review, edit, export), viewer (read and search only). Every change\n"
	"is in the signed change log.\n"
	"\n"
	"Removing a user takes their wrapped key out of the key file; whoever kept\n"
	"a copy of that file from before can still open older copies of the store.\n";

static int do_list(cb_store *st)
{
	static const char *const head[] = {"NAME", "ROLE", "SIGNING KEY", NULL};
	cb_error err = CB_ERROR_INIT;
	json_t *users, *u;
	cli_table *t;
	size_t i;
	if (cb_store_list_users(st, &users, &err) < 0)
		return cli_fail(&err);
	t = cli_table_new(head, NULL);
	json_array_foreach(users, i, u) {
		char key[20];
		const char *row[4];
		snprintf(key, sizeof key, "%.16s", json_string_value(json_object_get(u, "sign_key")));
		row[0] = json_string_value(json_object_get(u, "name"));
		row[1] = json_string_value(json_object_get(u, "role"));
		row[2] = key;
		row[3] = NULL;
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	json_decref(users);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"role", required_argument, NULL, 'r'},
		{"new-passphrase-file", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const roles[] = {"owner", "editor", "viewer", NULL};
	const char *dir = NULL, *user = NULL, *role_s = NULL, *newfile = NULL, *verb, *name = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	char *pw = NULL;
	size_t n = 0;
	int c, status, role = -1;

	while ((c = cli_getopt(argc, argv, ":s:u:r:n:h", opts, "user")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'r': role_s = optarg; break;
		case 'n': newfile = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("user", "say add, list or remove");
	verb = argv[optind++];
	if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_usage_error("user", "unexpected argument '%s'", argv[optind]);
	} else if (!strcmp(verb, "add") || !strcmp(verb, "remove")) {
		if (optind >= argc)
			return cli_usage_error("user", "%s needs a user name", verb);
		name = argv[optind++];
		if (optind < argc)
			return cli_usage_error("user", "unexpected argument '%s'", argv[optind]);
		if (!strcmp(verb, "add")) {
			if (!role_s)
				return cli_usage_error("user", "add needs --role owner|editor|viewer");
			if ((role = cli_choice("user", "--role", role_s, roles)) < 0)
				return 2;
		}
	} else {
		return cli_usage_error("user", "'%s' is not add, list or remove", verb);
	}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (!strcmp(verb, "list")) {
		status = do_list(st);
	} else if (!strcmp(verb, "add")) {
		if (cb_store_role(st) != CB_ROLE_OWNER) /* before asking for a passphrase */
			status = cli_fail(&(cb_error){CB_EAUTH, "only an owner can add users"});
		else if (cli_new_passphrase(&pw, &n, newfile, "CASEBOOK_NEW_PASSPHRASE", name, &err) < 0 ||
			 cb_store_add_user(st, name, role, pw, n, &err) < 0)
			status = cli_fail(&err);
		else {
			printf("added %s (%s)\n", name, roles[role]);
			/* A new holder cannot open identities sealed before them: the
			 * acting owner reseals at once (logged) rather than leave a step. */
			size_t nres = 0, skipped = 0;
			if (role != CB_ROLE_VIEWER) {
				if (cb_store_reseal_persons(st, &nres, &skipped, &err) < 0)
					status = cli_fail(&err);
				else if (nres || skipped)
					printf("resealed %zu identit%s so %s can open them%s\n", nres,
					       nres == 1 ? "y" : "ies", name,
					       skipped ? "; some were sealed before you were an owner:"
							 " another owner must run 'casebook person reseal'" : "");
			}
		}
	} else {
		if (cb_store_remove_user(st, name, &err) < 0)
			status = cli_fail(&err);
		else
			printf("removed %s\n", name);
	}
	cb_passphrase_free(pw);
	cb_store_close(st);
	return status;
}
