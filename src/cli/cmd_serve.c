/* cmd_serve.c: casebook serve - the web workspace (serve/serve.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "serve/serve.h"

static const char USAGE[] =
	"usage: casebook serve [--store DIR] [--user NAME] [--listen ADDR:PORT]\n"
	"                      [--tls-cert FILE --tls-key FILE] [--threads N]\n"
	"                      [--assets DIR] [--max-body MIB] [--quiet]\n"
	"\n"
	"Serves the store as a web workspace for a documentation team: reports\n"
	"(upload, search with facets, each report with its events highlighted),\n"
	"the review queue of proposed events, and the record (table, timeline,\n"
	"map), plus a JSON API under /api/ for scripts (docs/api.md).\n"
	"\n"
	"Whoever starts the server unlocks the store once (as --user, with their\n"
	"passphrase, as for any command). People then sign in in the browser\n"
	"with their own store user and passphrase ('casebook user add'); each\n"
	"acts as themselves: their role decides what they see and may change\n"
	"(viewers see people by pseudonym only and change nothing), and their\n"
	"changes are signed with their own key in the change log.\n"
	"\n"
	"options:\n"
	"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080). An\n"
	"                      address other than loopback is refused unless\n"
	"                      --tls-cert and --tls-key are given: passphrases\n"
	"                      and reports must not cross a network in clear.\n"
	"  --tls-cert FILE, --tls-key FILE   PEM certificate and key (HTTPS)\n"
	"  --threads N         request threads (default: one per core, at least 2)\n"
	"  --assets DIR        the front-end packages (npm's node_modules) for\n"
	"                      the map; default $CASEBOOK_ASSETS or web/node_modules\n"
	"  --max-body MIB      the largest request body, uploads included (default 32)\n"
	"  --quiet             no request log on stderr\n"
	"\n"
	"example:\n"
	"  casebook serve --store team.store\n"
	"  # then open http://127.0.0.1:8080/ and sign in\n";

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"listen", required_argument, NULL, 'l'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"threads", required_argument, NULL, 't'},
		{"assets", required_argument, NULL, 'a'},
		{"quiet", no_argument, NULL, 'q'},
		{"max-body", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *user = NULL;
	cb_serve_config cfg = {0};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	int c, status;
	char *end;
	long n;

	while ((c = cli_getopt(argc, argv, ":s:u:l:c:k:t:a:m:qh", opts, "serve")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 'c': cfg.tls_cert = optarg; break;
		case 'k': cfg.tls_key = optarg; break;
		case 'a': cfg.assets_dir = optarg; break;
		case 'q': cfg.quiet = 1; break;
		case 't':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 64)
				return cli_usage_error("serve", "--threads must be 1-64, not '%s'", optarg);
			cfg.threads = (unsigned)n;
			break;
		case 'm':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1024)
				return cli_usage_error("serve", "--max-body must be 1-1024 (MiB), not '%s'", optarg);
			cfg.max_body = (size_t)n << 20;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!!cfg.tls_cert != !!cfg.tls_key)
		return cli_usage_error("serve", "give both --tls-cert and --tls-key, or neither");
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	status = cb_serve_run(st, &cfg, &err) < 0 ? cli_fail(&err) : 0;
	cb_store_close(st);
	return status;
}
