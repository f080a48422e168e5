/* cmd_export.c: casebook export - documents or events as CSV or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "export/export.h"

static const char USAGE[] =
	"usage: casebook export [--store DIR] --format csv|json [--what documents|events|persons]\n"
	"                       [--status S] [--out FILE] [--include-protected]\n"
	"\n"
	"Writes the record out for analysis elsewhere.\n"
	"\n"
	"  --what documents  one row per document (CSV), or per document its codebook\n"
	"                    record with text, events and statistics (JSON); the default\n"
	"  --what events     one row per event (CSV) or a JSON array of codebook events\n"
	"  --what persons    one row per person: pseudonym, events, identity (CSV), or\n"
	"                    {\"persons\", \"redacted\"} (JSON)\n"
	"  --status S        events only: proposed, accepted or rejected\n"
	"  --include-protected  persons' identities in, names unmasked (owners and\n"
	"                    editors only); by default persons appear by pseudonym,\n"
	"                    their names masked in text, and the export says so\n"
	"  --out FILE        write to FILE (complete or not at all) instead of stdout\n"
	"\n"
	"CSV follows RFC 4180 (a header row, CRLF line ends, quoted fields), dates ISO.\n"
	"Every export is recorded in the change log.\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"what", required_argument, NULL, 'w'},
		{"status", required_argument, NULL, 'S'},
		{"out", required_argument, NULL, 'o'},
		{"user", required_argument, NULL, 'u'},
		{"include-protected", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"csv", "json", NULL};
	static const char *const WHATS[] = {"documents", "events", "persons", NULL};
	cb_export_redaction red = {0};
	const char *dir = NULL, *out_path = NULL, *user = NULL;
	cb_event_filter f = {0};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	FILE *out = stdout;
	char *tmp = NULL;
	int c, fmt = -1, what = 0, status, rc;

	while ((c = cli_getopt(argc, argv, ":s:f:w:S:o:u:Ph", opts, "export")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'f':
			if ((fmt = cli_choice("export", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'w':
			if ((what = cli_choice("export", "--what", optarg, WHATS)) < 0)
				return 2;
			break;
		case 'S': f.status = optarg; break;
		case 'o': out_path = optarg; break;
		case 'u': user = optarg; break;
		case 'P': red.include_protected = 1; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (fmt < 0)
		return cli_usage_error("export", "say --format csv or --format json");
	if (optind < argc)
		return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (red.include_protected && !cb_store_is_holder(st)) { /* before any file is made */
		cb_fail(&err, CB_EAUTH, "--include-protected needs an owner's or editor's key; '%s' is a viewer",
			cb_store_user(st));
		status = cli_fail(&err);
		goto done;
	}
	if (out_path) {
		size_t n = strlen(out_path) + 16;
		int fd;
		tmp = malloc(n);
		snprintf(tmp, n, "%s.tmp-XXXXXX", out_path);
		if ((fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "w"))) {
			cb_fail(&err, CB_EIO, "%s: cannot write", out_path);
			status = cli_fail(&err);
			out = NULL;
			goto done;
		}
	}
	rc = what == 0 ? cb_export_documents(st, out, (cb_export_format)fmt, &red, &err)
	     : what == 1 ? cb_export_events(st, out, (cb_export_format)fmt, &f, &red, &err)
			 : cb_export_persons(st, out, (cb_export_format)fmt, &red, &err);
	if (out_path) {
		if (fflush(out) != 0 || fsync(fileno(out)) != 0)
			rc = rc < 0 ? rc : cb_fail(&err, CB_EIO, "%s: cannot write", out_path);
		fclose(out);
		out = NULL;
		if (rc == 0 && rename(tmp, out_path) != 0)
			rc = cb_fail(&err, CB_EIO, "%s: cannot write", out_path);
		if (rc < 0)
			unlink(tmp);
	}
	if (rc < 0)
		status = cli_fail(&err);
	else if (red.include_protected)
		fprintf(stderr, "casebook export: protected fields included (identities, unmasked names);"
			" logged\n");
	else if (red.persons)
		fprintf(stderr, "casebook export: redacted: identities of %zu person%s (pseudonyms only),"
			" %zu name word%s masked; --include-protected to include them\n", red.persons,
			red.persons == 1 ? "" : "s", red.masked, red.masked == 1 ? "" : "s");
done:
	free(tmp);
	cb_store_close(st);
	return status;
}
