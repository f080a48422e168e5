/*
 * cmd_list_import.c: `casebook list-import` - a group's list of people
 * (a roster of the detained or repatriated) into the store, every row a
 * person with its identity sealed (store/lists.c), for `casebook link
 * --lists` and `casebook estimate --lists`. The file is checked whole
 * before anything is written, and written in one transaction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/csv.h"
#include "util/fileio.h"
#include "util/utf8.h"

static const char USAGE[] =
	"usage: casebook list-import NAME FILE.csv --map FIELD=COLUMN,... [--year YYYY]\n"
	"       casebook list-import --show [--format table|json]\n"
	"   (each with [--store DIR] [--user NAME])\n"
	"\n"
	"Imports a list of people - one group's roster of the detained, the\n"
	"repatriated, the trafficked - as list NAME (letters, digits, '.', '_',\n"
	"'-'). Every row becomes a person known by a pseudonym; the names and\n"
	"other identifying fields are sealed to the owners and editors, as for\n"
	"'casebook person add'. --map says which CSV column holds which field:\n"
	"  given, family   names (romanised or in Hangul, as the list has them)\n"
	"  birth           birth date: YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD\n"
	"  age             age in years when the list was drawn up (--year)\n"
	"  town            home town\n"
	"  sex             as the list writes it\n"
	"  contact         a contact line (sealed like the rest)\n"
	"The first row is the header. A row with neither name nor birth date, a\n"
	"bad date or age, invalid UTF-8 or a field over 512 bytes stops the\n"
	"import, naming the line; nothing is stored then. The import is one\n"
	"entry in the signed log (the list's name, size and file hash; never a\n"
	"name in it). Only owners and editors can import.\n"
	"\n"
	"Then: casebook link --lists A,B,C    who on these lists is the same person\n"
	"      casebook estimate --lists A,B,C   how many no list recorded\n"
	"\n"
	"  --year YYYY     the year the list was drawn up (ages become birth years)\n"
	"  --show          the lists in the store, their sizes and linkage run\n"
	"  --max-size N    refuse files over N MB (default 64)\n"
	"\n"
	"example:\n"
	"  casebook list-import nkdb-2019 roster.csv --year 2019 \\\n"
	"    --map given=Given,family=Family,birth=Born,town=Hometown\n";

enum { F_GIVEN, F_FAMILY, F_BIRTH, F_AGE, F_TOWN, F_SEX, F_CONTACT, F_N };
static const char *const FIELD_NAMES[F_N] = {"given", "family", "birth", "age",
					     "town", "sex", "contact"};

typedef struct import_rows {
	cb_person_new *v;
	char **owned;    /* every string the rows point to */
	size_t n, nowned;
} import_rows;

static void rows_free(import_rows *r)
{
	for (size_t i = 0; i < r->nowned; i++) {
		sodium_memzero(r->owned[i], strlen(r->owned[i]));
		free(r->owned[i]);
	}
	free(r->owned);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* Birth dates as the store keeps them: YYYY[-MM[-DD]]; YYYYMMDD and
 * YYYY/MM/DD are rewritten. 0 when it is none of these. */
static int birth_iso(char out[11], const char *s, size_t n)
{
	char d[8];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (k == 8)
				return 0;
			d[k++] = s[i];
		} else if (!(s[i] == '-' || s[i] == '/') || (i != 4 && i != 7)) {
			return 0;
		}
	}
	if (k == 4)
		snprintf(out, 11, "%.4s", d);
	else if (k == 6)
		snprintf(out, 11, "%.4s-%.2s", d, d + 4);
	else if (k == 8)
		snprintf(out, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
	else
		return 0;
	return 1;
}

/* Reads path into rows, checking every value (errors name the line), and
 * its BLAKE2b-256 into hex. */
static int read_rows(import_rows *rows, char hex[65], const char *path, const char *map,
		     size_t max_bytes, cb_error *err)
{
	char *data = NULL, *m = NULL;
	size_t len = 0, ncap = 0, ocap = 0;
	const char *want[F_N] = {0};
	int col[F_N], rc;
	cb_csv r;
	int csv_open = 0;

	for (int f = 0; f < F_N; f++)
		col[f] = -1;
	if ((rc = cb_read_file(&data, &len, path, max_bytes, err)) < 0)
		return rc;
	{
		unsigned char hash[32];
		crypto_generichash(hash, sizeof hash, (const unsigned char *)data, len, NULL, 0);
		sodium_bin2hex(hex, 65, hash, sizeof hash);
	}
	if (!len) {
		rc = cb_fail(err, CB_EFORMAT, "%s: empty file", path);
		goto done;
	}
	if (memchr(data, '\0', len)) {
		rc = cb_fail(err, CB_EFORMAT, "%s: a binary file, not CSV text", path);
		goto done;
	}
	if (cb_utf8_invalid_at(data, len) != len) {
		rc = cb_fail(err, CB_EFORMAT, "%s: not valid UTF-8 (byte %zu)", path,
			     cb_utf8_invalid_at(data, len));
		goto done;
	}
	if (!(m = strdup(map))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (char *save = NULL, *tok = strtok_r(m, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int f;
		if (!eq || eq == tok || !eq[1]) {
			rc = cb_fail(err, CB_EINVAL, "--map: '%s' is not FIELD=COLUMN", tok);
			goto done;
		}
		*eq = '\0';
		for (f = 0; f < F_N && strcmp(tok, FIELD_NAMES[f]); f++)
			;
		if (f == F_N) {
			rc = cb_fail(err, CB_EINVAL,
				     "--map: unknown field '%s' (given, family, birth, age, town, sex, contact)",
				     tok);
			goto done;
		}
		want[f] = eq + 1;
	}
	if (!want[F_GIVEN] && !want[F_FAMILY] && !want[F_BIRTH]) {
		rc = cb_fail(err, CB_EINVAL, "--map: name a column for given, family or birth at least");
		goto done;
	}
	{
		/* a BOM before the header is allowed */
		size_t skip = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
		cb_csv_init(&r, data + skip, len - skip, 1);
		csv_open = 1;
	}
	if ((rc = cb_csv_next(&r, err)) <= 0) {
		rc = rc < 0 ? cb_error_prefix(err, "%s", path)
			    : cb_fail(err, CB_EFORMAT, "%s: no header row", path);
		goto done;
	}
	for (int f = 0; f < F_N; f++) {
		size_t c;
		if (!want[f])
			continue;
		for (c = 0; c < r.nfields; c++)
			if (strlen(want[f]) == r.flen[c] && !strncmp(r.field[c], want[f], r.flen[c]))
				break;
		if (c == r.nfields) {
			rc = cb_fail(err, CB_EINVAL, "%s: no column '%s' in the header", path, want[f]);
			goto done;
		}
		col[f] = (int)c;
	}
	while ((rc = cb_csv_next(&r, err)) > 0) {
		cb_person_new *p;
		const char **slot[F_N];
		int any = 0;
		if (r.nfields == 1 && r.flen[0] == 0)
			continue; /* a blank line */
		if (rows->n == ncap) {
			size_t cap = ncap ? ncap * 2 : 256;
			cb_person_new *nv = realloc(rows->v, cap * sizeof *nv);
			if (!nv) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			rows->v = nv;
			ncap = cap;
		}
		if (rows->nowned + F_N > ocap) {
			size_t cap = ocap ? ocap * 2 : 1024;
			char **no = realloc(rows->owned, cap * sizeof *no);
			if (!no) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			rows->owned = no;
			ocap = cap;
		}
		p = &rows->v[rows->n];
		memset(p, 0, sizeof *p);
		slot[F_GIVEN] = &p->given_name;
		slot[F_FAMILY] = &p->family_name;
		slot[F_BIRTH] = &p->birth_date;
		slot[F_AGE] = &p->age;
		slot[F_TOWN] = &p->home_town;
		slot[F_SEX] = &p->sex;
		slot[F_CONTACT] = &p->contact;
		for (int f = 0; f < F_N; f++) {
			const char *v;
			size_t vl;
			char iso[11], *copy;
			if (col[f] < 0 || (size_t)col[f] >= r.nfields)
				continue;
			v = r.field[col[f]];
			vl = r.flen[col[f]];
			while (vl && isspace((unsigned char)*v))
				v++, vl--;
			while (vl && isspace((unsigned char)v[vl - 1]))
				vl--;
			if (!vl)
				continue;
			if (vl > 512) {
				rc = cb_fail(err, CB_ETOOBIG, "%s: line %zu: %s is longer than 512 bytes",
					     path, r.line, FIELD_NAMES[f]);
				goto done;
			}
			if (f == F_BIRTH) {
				if (!birth_iso(iso, v, vl)) {
					rc = cb_fail(err, CB_EINVAL,
						     "%s: line %zu: birth '%.*s' is not YYYY, YYYY-MM, "
						     "YYYY-MM-DD or YYYYMMDD",
						     path, r.line, (int)(vl < 40 ? vl : 40), v);
					goto done;
				}
				v = iso;
				vl = strlen(iso);
			}
			if (!(copy = malloc(vl + 1))) {
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			memcpy(copy, v, vl);
			copy[vl] = '\0';
			rows->owned[rows->nowned++] = copy;
			*slot[f] = copy;
			any |= f == F_GIVEN || f == F_FAMILY || f == F_BIRTH;
		}
		if (!any) {
			rc = cb_fail(err, CB_EINVAL, "%s: line %zu: no name and no birth date", path, r.line);
			goto done;
		}
		rows->n++;
	}
	if (rc < 0)
		cb_error_prefix(err, "%s", path);
	else if (!rows->n)
		rc = cb_fail(err, CB_EFORMAT, "%s: a header but no rows", path);
	else
		rc = CB_OK;
done:
	if (csv_open)
		cb_csv_free(&r);
	free(m);
	if (data) {
		sodium_memzero(data, len);
		free(data);
	}
	return rc;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	fprintf(stderr, "\rsealing and storing: %zu of %zu rows", done, total);
	if (done == total)
		fprintf(stderr, "\r%60s\r", "");
	fflush(stderr);
}

static int show_lists(cb_store *st, int fmt)
{
	cb_error err = CB_ERROR_INIT;
	json_t *lists = NULL, *l;
	size_t i;
	if (cb_store_lists(st, &lists, &err) < 0)
		return cli_fail(&err);
	if (fmt == 1) {
		cli_print_json(lists);
	} else {
		static const char *const H[] = {"NAME", "ROWS", "YEAR", "IMPORTED", "BY", "LINK RUN", NULL};
		cli_table *t = cli_table_new(H, NULL);
		json_array_foreach(lists, i, l) {
			char rows[32], year[32], run[32], at[64], by[64];
			const char *cells[7];
			cells[0] = json_string_value(json_object_get(l, "name"));
			cells[1] = cli_json_text(json_object_get(l, "rows"), rows, sizeof rows);
			cells[2] = cli_json_text(json_object_get(l, "year"), year, sizeof year);
			cells[3] = cli_json_text(json_object_get(l, "imported_at"), at, sizeof at);
			cells[4] = cli_json_text(json_object_get(l, "imported_by"), by, sizeof by);
			cells[5] = json_is_null(json_object_get(l, "link_run"))
					   ? "not linked"
					   : cli_json_text(json_object_get(l, "link_run"), run, sizeof run);
			cells[6] = NULL;
			cli_table_add(t, cells);
		}
		if (json_array_size(lists))
			cli_table_print(t, stdout);
		else
			printf("no lists yet: casebook list-import NAME FILE.csv --map ...\n");
		cli_table_free(t);
	}
	json_decref(lists);
	return 0;
}

int cmd_list_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"map", required_argument, NULL, 'm'},
		{"year", required_argument, NULL, 'y'},
		{"show", no_argument, NULL, 'S'},
		{"format", required_argument, NULL, 'f'},
		{"max-size", required_argument, NULL, 'z'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *dir = NULL, *user = NULL, *map = NULL, *name, *path;
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	import_rows rows = {0};
	char hex[65];
	size_t max_mb = 64;
	int c, status, year = 0, show = 0, fmt = 0, quiet = 0;
	char *end;

	while ((c = cli_getopt(argc, argv, ":s:u:m:y:Sf:z:qh", opts, "list-import")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'm': map = optarg; break;
		case 'y':
			year = (int)strtol(optarg, &end, 10);
			if (*end || year < 1900 || year > 2200)
				return cli_usage_error("list-import", "--year must be a year such as 2019, not '%s'",
						       optarg);
			break;
		case 'S': show = 1; break;
		case 'f':
			if ((fmt = cli_choice("list-import", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'z':
			max_mb = (size_t)strtoul(optarg, &end, 10);
			if (*end || !max_mb || max_mb > 1024)
				return cli_usage_error("list-import", "--max-size must be 1 to 1024 (MB), not '%s'",
						       optarg);
			break;
		case 'q': quiet = 1; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (show) {
		if (optind < argc)
			return cli_usage_error("list-import", "--show takes no list or file");
		if ((status = cli_open_store(&st, dir, user)) != 0)
			return status;
		status = show_lists(st, fmt);
		cb_store_close(st);
		return status;
	}
	if (argc - optind != 2)
		return cli_usage_error("list-import", "give a list name and one CSV file");
	name = argv[optind];
	path = argv[optind + 1];
	if (!cb_list_name_valid(name))
		return cli_usage_error("list-import", "list name '%s': use 1-64 letters, digits, '.', '_' or '-'",
				       name);
	if (!map)
		return cli_usage_error("list-import", "--map is needed: which columns hold the names, birth, ...");
	/* The whole file is checked before the store is opened. */
	if (read_rows(&rows, hex, path, map, max_mb << 20, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		goto done;
	if (cb_store_import_list(st, name, year, hex, rows.v, rows.n,
				 !quiet && isatty(STDERR_FILENO) && rows.n > 500 ? on_progress : NULL, NULL,
				 &err) < 0) {
		cb_error_prefix(&err, "%s", path);
		status = cli_fail(&err);
		goto done;
	}
	printf("imported list '%s': %zu persons from %s\n", name, rows.n, path);
	status = 0;
done:
	rows_free(&rows);
	if (st)
		cb_store_close(st);
	return status;
}
