/*
 * main.c: the casebook command line. A thin dispatcher over the library:
 * each subcommand lives in cli/cmd_NAME.c (see commands.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{"init", cmd_init, "create a store"},
	{"ingest", cmd_ingest, "collect .txt/.html reports (files or folders) into the store"},
	{"list", cmd_list, "list the documents in the store"},
	{"show", cmd_show, "show one document with its events"},
	{"search", cmd_search, "full-text search over the reports"},
	{"export", cmd_export, "export documents or events as CSV or JSON"},
	{"import-events", cmd_import_events, "import coded events from codebook JSON files"},
	{"extract", cmd_extract, "propose events for report files (no store needed)"},
	{"events", cmd_events, "list events, with filters"},
	{"review", cmd_review, "accept or reject a proposed event"},
	{"edit", cmd_edit, "change fields of an event"},
	{"person", cmd_person, "add, list or show people by pseudonym (identities sealed)"},
	{"user", cmd_user, "add, list or remove the users of a store (owners)"},
	{"passwd", cmd_passwd, "change your passphrase"},
	{"verify", cmd_verify, "check every page, original and log entry of a store"},
	{"list-import", cmd_list_import, "import a list of people (CSV) for linkage and estimation"},
	{"link", cmd_link, "link persons across and within lists (record linkage)"},
	{"pprl", cmd_pprl, "privacy-preserving linkage: encode a list, link encoded lists"},
	{"serve", cmd_serve, "the web workspace: search, review, record (HTTP on loopback)"},
	{"estimate", cmd_estimate, "estimate how many people no list recorded (--patterns FILE.csv)"},
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: casebook COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"casebook turns reports on North Korean refugees (news articles, NGO\n"
		"bulletins, testimonies) into a structured, searchable record of who did\n"
		"what to whom, where and when, according to which source.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Every command takes --help. The store is --store DIR, else $CASEBOOK_STORE,\n"
		"else ./casebook.store. Stores are encrypted: every command acts as one user\n"
		"(--user NAME, else $CASEBOOK_USER, else the first owner) and asks for that\n"
		"user's passphrase on the terminal, unless 'casebook --passphrase-file FILE\n"
		"COMMAND ...' or $CASEBOOK_PASSPHRASE_FILE names a file holding it, or\n"
		"$CASEBOOK_PASSPHRASE holds it (least safe: other programs may see it).\n"
		"\n"
		"A first session:\n"
		"  casebook init --store my.store\n"
		"  casebook ingest --store my.store --outlet \"Daily NK\" reports/\n"
		"  casebook search --store my.store 'repatriat*' --from 2024-01-01\n"
		"  casebook events --store my.store --type arrest --format json\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 bad usage, 3 authentication failed,\n"
		"4 integrity check failed.\n");
}

int main(int argc, char **argv)
{
	cb_store_library_init();
	/* Options before the command that every command shares. */
	while (argc >= 3 && !strcmp(argv[1], "--passphrase-file")) {
		cli_passphrase_file = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("casebook %s\n", CB_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "casebook: '%s' is not a command; see 'casebook --help'\n", argv[1]);
	return 2;
}
