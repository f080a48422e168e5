/* cli.c: see cli.h. */
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/utf8.h"

int cli_fail(const cb_error *err)
{
	fprintf(stderr, "casebook: %s\n", err->msg[0] ? err->msg : cb_code_name(err->code));
	return cb_exit_status(err->code);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "casebook %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'casebook %s --help'\n", cmd);
	return 2;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       const char *cmd)
{
	int c;
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		const char *arg = argv[optind - 1];
		if (optopt && strchr(shortopts, optopt))
			cli_usage_error(cmd, "option '-%c' needs a value", optopt);
		else if (optopt)
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		else if (arg && strchr(arg, '='))
			cli_usage_error(cmd, "unknown option '%.*s'", (int)(strchr(arg, '=') - arg), arg);
		else
			cli_usage_error(cmd, "unknown option or missing value: '%s'", arg ? arg : "");
	} else if (c == ':') {
		cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		c = '?';
	}
	return c;
}

const char *cli_passphrase_file;

int cli_open_store(cb_store **out, const char *dir, const char *user)
{
	cb_error err = CB_ERROR_INIT;
	cb_store_auth auth = {.user = user, .passfile = cli_passphrase_file};
	const char *env = getenv("CASEBOOK_PASSPHRASE_FILE");
	if (!auth.passfile && env && *env)
		auth.passfile = env;
	if (cb_store_open_as(out, cb_store_default_dir(dir), &auth, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int cli_new_passphrase(char **out, size_t *len, const char *file, const char *env_name,
		       const char *who, cb_error *err)
{
	char prompt[160], *again = NULL;
	size_t n2 = 0;
	const char *env = env_name ? getenv(env_name) : NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (!file && env && *env) {
		/* cb_passphrase_read takes CASEBOOK_PASSPHRASE; another variable
		 * is copied the same way, into guarded memory. */
		if (!(*out = sodium_malloc(strlen(env) + 1)))
			return cb_fail(err, CB_ENOMEM, "out of memory");
		memcpy(*out, env, strlen(env) + 1);
		*len = strlen(env);
		return CB_OK;
	}
	if (file || (!env_name && getenv("CASEBOOK_PASSPHRASE") && *getenv("CASEBOOK_PASSPHRASE")))
		return cb_passphrase_read(out, len, file, NULL, err);
	snprintf(prompt, sizeof prompt, "New passphrase for %s: ", who);
	if ((rc = cb_passphrase_read(out, len, NULL, prompt, err)) < 0)
		return rc;
	if ((rc = cb_passphrase_read(&again, &n2, NULL, "Again: ", err)) < 0)
		goto done;
	if (n2 != *len || sodium_memcmp(again, *out, n2))
		rc = cb_fail(err, CB_EINVAL, "the two passphrases differ; nothing was changed");
done:
	cb_passphrase_free(again);
	if (rc < 0) {
		cb_passphrase_free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}

int cli_choice(const char *cmd, const char *option, const char *value, const char *const *allowed)
{
	char list[256] = "";
	size_t used = 0;
	for (int i = 0; allowed[i]; i++)
		if (!strcmp(value, allowed[i]))
			return i;
	for (int i = 0; allowed[i]; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	cli_usage_error(cmd, "%s must be one of %s, not '%s'", option, list, value);
	return -1;
}

long long cli_parse_id(const char *s)
{
	char *end;
	long long v;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return -1;
	v = strtoll(s, &end, 10);
	return v > 0 ? v : -1;
}

void cli_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	fputc('\n', stdout);
}

int cli_mask_members(cb_store *st, json_t *arr, const char *const *keys, cb_error *err)
{
	size_t i;
	json_t *o;
	if (cb_store_is_holder(st))
		return CB_OK;
	json_array_foreach(arr, i, o) {
		for (const char *const *k = keys; *k; k++) {
			const char *s = json_string_value(json_object_get(o, *k));
			char *m = NULL;
			int rc;
			if (!s)
				continue;
			if ((rc = cb_store_mask_text(st, &m, s, NULL, err)) < 0)
				return rc;
			json_object_set_new(o, *k, json_string(m));
			free(m);
		}
	}
	return CB_OK;
}

const char *cli_json_text(json_t *v, char *buf, size_t n)
{
	if (!v || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%g", json_real_value(v));
	else
		snprintf(buf, n, "%s", json_is_true(v) ? "yes" : json_is_false(v) ? "no" : "...");
	return buf;
}

/* ---- tables -------------------------------------------------------- */

struct cli_table {
	size_t ncols, nrows, cap;
	char **cells;   /* nrows * ncols, row-major; row 0 is the header */
	int *max;       /* per-column cap on width, 0 = none */
};

cli_table *cli_table_new(const char *const *headers, const int *max_widths)
{
	cli_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	while (headers[t->ncols])
		t->ncols++;
	if (!(t->max = calloc(t->ncols, sizeof *t->max))) {
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < t->ncols && max_widths; i++)
		t->max[i] = max_widths[i];
	cli_table_add(t, headers);
	return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
	if (!t)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
		if (!p)
			return;
		t->cells = p;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		char *copy = strdup(c);
		/* A table cell is one line. */
		for (char *q = copy; q && *q; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
		t->cells[t->nrows * t->ncols + i] = copy;
	}
	t->nrows++;
}

static size_t width(const char *s)
{
	return s ? cb_utf8_cp_count(s, strlen(s)) : 0;
}

/* Prints s padded or cut to w code points. */
static void put_cell(FILE *out, const char *s, size_t w, int last)
{
	size_t n = width(s);
	if (n > w) {
		size_t cut = cb_utf8_byte_offset(s, strlen(s), w ? w - 1 : 0);
		fwrite(s, 1, cut, out);
		fputs("…", out);
		n = w;
	} else {
		fputs(s, out);
	}
	if (!last)
		for (; n < w + 2; n++)
			fputc(' ', out);
}

void cli_table_print(cli_table *t, FILE *out)
{
	size_t *w;
	if (!t || !(w = calloc(t->ncols, sizeof *w)))
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t n = width(t->cells[r * t->ncols + c]);
			if (n > w[c])
				w[c] = n;
		}
	for (size_t c = 0; c < t->ncols; c++)
		if (t->max[c] > 0 && w[c] > (size_t)t->max[c])
			w[c] = (size_t)t->max[c];
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			put_cell(out, t->cells[r * t->ncols + c], w[c], c + 1 == t->ncols);
		fputc('\n', out);
	}
	free(w);
}

void cli_table_free(cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->max);
	free(t);
}

size_t cli_split_names(char **buf, const char **names, size_t max, const char *s)
{
	size_t n = 0;
	char *save = NULL;
	if (!(*buf = strdup(s)))
		return 0;
	for (char *t = strtok_r(*buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return max + 1;
		names[n++] = t;
	}
	return n;
}
