/*
 * patterns.c: the table of capture patterns, read from CSV and checked.
 *
 * Two CSV shapes are accepted (the two Rcapture calls "format 1" and
 * "format 2"): one 0/1 column per list plus a count column, one row per
 * pattern; or the 0/1 columns alone, one row per person. Commas separate
 * fields (tabs or semicolons when the header has no comma); fields may be
 * quoted but never contain a separator. Blank lines and lines starting with
 * '#' are skipped. Every refusal names the file, the line and the reason,
 * on one line, and nothing is half-built on failure.
 */
#include "count/count.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/fileio.h"
#include "util/utf8.h"

#define MAX_FIELDS 64
#define MAX_NAME 64
/* Bigger counts than this are surely a mistake, and keep sums far from
 * overflow. */
#define MAX_COUNT 1000000000000LL

void cb_patterns_free(cb_patterns *p)
{
	if (!p)
		return;
	if (p->names)
		for (int i = 0; i < p->nlists; i++)
			free(p->names[i]);
	free(p->names);
	free(p->cells);
	free(p);
}

/* A new table with t lists and zero cells (names left NULL). */
static int table_new(cb_patterns **out, int t, cb_error *err)
{
	cb_patterns *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	p->nlists = t;
	p->names = calloc((size_t)t, sizeof *p->names);
	p->cells = calloc((size_t)1 << t, sizeof *p->cells);
	if (!p->names || !p->cells) {
		cb_patterns_free(p);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	*out = p;
	return CB_OK;
}

static void table_totals(cb_patterns *p)
{
	p->n = 0;
	p->nonzero = 0;
	p->cells[0] = 0;
	for (size_t h = 1; h < (size_t)1 << p->nlists; h++) {
		p->n += p->cells[h];
		p->nonzero += p->cells[h] > 0;
	}
}

int cb_patterns_from_cells(cb_patterns **out, int nlists, const long long *cells,
			   const char *const *names, cb_error *err)
{
	cb_patterns *p = NULL;
	int rc;
	*out = NULL;
	if (nlists < 2 || nlists > CB_COUNT_MAX_LISTS)
		return cb_fail(err, CB_EINVAL, "%d lists: need 2 to %d", nlists, CB_COUNT_MAX_LISTS);
	if ((rc = table_new(&p, nlists, err)) < 0)
		return rc;
	for (int j = 0; j < nlists; j++) {
		char dflt[8];
		snprintf(dflt, sizeof dflt, "%c", 'A' + j);
		if (!(p->names[j] = strdup(names && names[j] ? names[j] : dflt))) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
	}
	for (size_t h = 1; h < (size_t)1 << nlists; h++) {
		if (cells[h] < 0 || cells[h] > MAX_COUNT) {
			rc = cb_fail(err, CB_EINVAL, "pattern %zu: count %lld out of range", h, cells[h]);
			goto done;
		}
		p->cells[h] = cells[h];
	}
	table_totals(p);
	*out = p;
	p = NULL;
done:
	cb_patterns_free(p);
	return rc;
}

/* Splits line[0..len) at sep into trimmed, unquoted fields (pointers into
 * buf, which must hold len + 1 bytes). Returns the number of fields, or -1
 * when there are more than MAX_FIELDS. */
static int split_fields(char *buf, const char *line, size_t len, char sep, char **fields)
{
	int nf = 0;
	memcpy(buf, line, len);
	buf[len] = 0;
	char *s = buf;
	for (;;) {
		char *end = strchr(s, sep);
		if (end)
			*end = 0;
		if (nf == MAX_FIELDS)
			return -1;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t l = strlen(s);
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			s[--l] = 0;
		if (l >= 2 && s[0] == '"' && s[l - 1] == '"') {
			s[l - 1] = 0;
			s++;
		}
		fields[nf++] = s;
		if (!end)
			break;
		s = end + 1;
	}
	return nf;
}

static int is_count_name(const char *s)
{
	return !strcasecmp(s, "count") || !strcasecmp(s, "freq") || !strcasecmp(s, "frequency") ||
	       !strcasecmp(s, "n");
}

/* Parses a non-negative whole number; 0 on success, else the reason. */
static const char *parse_count(const char *s, long long *v)
{
	long long x = 0;
	if (*s == '-' && isdigit((unsigned char)s[1]))
		return "is negative";
	if (!*s)
		return "is empty";
	for (const char *c = s; *c; c++) {
		if (!isdigit((unsigned char)*c)) {
			/* "12.0" is a whole number written as a float: accept it. */
			if (*c == '.' && c > s) {
				for (const char *d = c + 1; *d; d++)
					if (*d != '0')
						return "is not a whole number";
				break;
			}
			return "is not a whole number";
		}
		if (x > MAX_COUNT / 10)
			return "is too large";
		x = x * 10 + (*c - '0');
	}
	if (x > MAX_COUNT)
		return "is too large";
	*v = x;
	return NULL;
}

int cb_patterns_parse(cb_patterns **out, const char *text, size_t len, const char *name,
		      cb_error *err)
{
	cb_patterns *p = NULL;
	char *buf = NULL, *fields[MAX_FIELDS], **header = NULL;
	int rc = CB_OK, nh = 0, count_col = -1, t = 0, listcol[MAX_FIELDS];
	char sep = ',';
	size_t lineno = 0, rows = 0, off = 0;

	*out = NULL;
	if (len == 0)
		return cb_fail(err, CB_EFORMAT, "%s: empty file", name);
	if (memchr(text, 0, len))
		return cb_fail(err, CB_EFORMAT, "%s: binary data (a NUL byte), not CSV", name);
	size_t bad = cb_utf8_invalid_at(text, len);
	if (bad < len) {
		size_t l = 1;
		for (size_t i = 0; i < bad; i++)
			l += text[i] == '\n';
		return cb_fail(err, CB_EFORMAT, "%s: line %zu: invalid UTF-8", name, l);
	}
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		off = 3;
	if (!(buf = malloc(len + 1)) || !(header = calloc(MAX_FIELDS, sizeof *header))) {
		rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
		goto done;
	}

	while (off < len) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		off += ll + (nl ? 1 : 0);
		lineno++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		size_t k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == ll || line[k] == '#')
			continue;

		if (!nh) {
			/* The header: list names and perhaps the count column. */
			if (!memchr(line, ',', ll)) {
				if (memchr(line, '\t', ll))
					sep = '\t';
				else if (memchr(line, ';', ll))
					sep = ';';
			}
			int nf = split_fields(buf, line, ll, sep, fields);
			if (nf < 0) {
				rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: more than %d columns", name,
					     lineno, MAX_FIELDS);
				goto done;
			}
			for (int i = 0; i < nf; i++) {
				const char *f = fields[i];
				if (!*f) {
					rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: column %d has no name",
						     name, lineno, i + 1);
					goto done;
				}
				if (strlen(f) > MAX_NAME) {
					rc = cb_fail(err, CB_EFORMAT,
						     "%s: line %zu: column %d: name longer than %d bytes",
						     name, lineno, i + 1, MAX_NAME);
					goto done;
				}
				for (const char *c = f; *c; c++)
					if ((unsigned char)*c < 0x20 || *c == 0x7f) {
						rc = cb_fail(err, CB_EFORMAT,
							     "%s: line %zu: column %d: control character in name",
							     name, lineno, i + 1);
						goto done;
					}
				if (isdigit((unsigned char)f[0]) && strspn(f, "0123456789") == strlen(f)) {
					rc = cb_fail(err, CB_EFORMAT,
						     "%s: line %zu: the first line must name the columns "
						     "(lists and count), not hold a pattern",
						     name, lineno);
					goto done;
				}
				if (!strcasecmp(f, "nbcap")) {
					rc = cb_fail(err, CB_EFORMAT,
						     "%s: line %zu: counts of captures per person ('nbcap') "
						     "are not supported: give one 0/1 column per list",
						     name, lineno);
					goto done;
				}
				for (int j = 0; j < i; j++)
					if (!strcmp(header[j], f)) {
						rc = cb_fail(err, CB_EFORMAT,
							     "%s: line %zu: column '%s' named twice", name,
							     lineno, f);
						goto done;
					}
				if (!(header[i] = strdup(f))) {
					rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
					goto done;
				}
				nh = i + 1;
				if (is_count_name(f)) {
					if (count_col >= 0) {
						rc = cb_fail(err, CB_EFORMAT,
							     "%s: line %zu: two count columns ('%s' and '%s')",
							     name, lineno, header[count_col], f);
						goto done;
					}
					count_col = i;
				} else {
					listcol[t++] = i;
				}
			}
			if (t < 2) {
				rc = cb_fail(err, CB_EFORMAT,
					     "%s: line %zu: %d list column%s: estimation needs at least "
					     "two lists",
					     name, lineno, t, t == 1 ? " only" : "s");
				goto done;
			}
			if (t > CB_COUNT_MAX_LISTS) {
				rc = cb_fail(err, CB_ETOOBIG, "%s: line %zu: %d lists, at most %d supported",
					     name, lineno, t, CB_COUNT_MAX_LISTS);
				goto done;
			}
			if ((rc = table_new(&p, t, err)) < 0) {
				cb_error_prefix(err, "%s", name);
				goto done;
			}
			for (int j = 0; j < t; j++) {
				p->names[j] = header[listcol[j]];
				header[listcol[j]] = NULL;
			}
			continue;
		}

		/* A pattern row. */
		int nf = split_fields(buf, line, ll, sep, fields);
		if (nf != nh) {
			rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: %s%d field%s, the header has %d", name,
				     lineno, nf < 0 ? "over " : "", nf < 0 ? MAX_FIELDS : nf,
				     nf == 1 ? "" : "s", nh);
			goto done;
		}
		uint32_t h = 0;
		for (int j = 0; j < t; j++) {
			const char *f = fields[listcol[j]];
			if (!strcmp(f, "1")) {
				h |= 1u << j;
			} else if (strcmp(f, "0")) {
				long long v;
				int looks_count = count_col < 0 && !parse_count(f, &v);
				rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: column '%s' is '%.20s', not 0 or 1%s",
					     name, lineno, p->names[j], f,
					     looks_count ? " (a column of counts must be named 'count' or "
							   "'freq')"
							 : "");
				goto done;
			}
		}
		long long c = 1;
		if (count_col >= 0) {
			const char *why = parse_count(fields[count_col], &c);
			if (why) {
				rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: count '%.20s' %s", name, lineno,
					     fields[count_col], why);
				goto done;
			}
		}
		if (h == 0 && c > 0) {
			rc = cb_fail(err, CB_EFORMAT,
				     "%s: line %zu: %lld people on no list: nobody on no list can have "
				     "been observed",
				     name, lineno, c);
			goto done;
		}
		if (p->cells[h] + c > MAX_COUNT) {
			rc = cb_fail(err, CB_EFORMAT, "%s: line %zu: counts for one pattern add up past %lld",
				     name, lineno, MAX_COUNT);
			goto done;
		}
		p->cells[h] += c;
		rows++;
	}
	if (!nh) {
		rc = cb_fail(err, CB_EFORMAT, "%s: empty file (no header line)", name);
		goto done;
	}
	if (!rows) {
		rc = cb_fail(err, CB_EFORMAT, "%s: no patterns after the header", name);
		goto done;
	}
	table_totals(p);
	if (p->n > MAX_COUNT) {
		rc = cb_fail(err, CB_EFORMAT, "%s: %lld people in all, over %lld", name, p->n, MAX_COUNT);
		goto done;
	}
	*out = p;
	p = NULL;
done:
	if (header)
		for (int i = 0; i < MAX_FIELDS; i++)
			free(header[i]);
	free(header);
	free(buf);
	cb_patterns_free(p);
	return rc;
}

int cb_patterns_read(cb_patterns **out, const char *path, cb_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = cb_read_file(&text, &len, path, CB_COUNT_MAX_FILE, err)) < 0)
		return rc;
	rc = cb_patterns_parse(out, text, len, path, err);
	free(text);
	return rc;
}

int cb_patterns_check(const cb_patterns *p, cb_error *err)
{
	int t = p->nlists;
	size_t ncell = (size_t)1 << t;
	long long multi = 0;
	if (p->n <= 0)
		return cb_fail(err, CB_ERR, "nobody is observed (every count is 0)");
	for (size_t h = 1; h < ncell; h++)
		if (h & (h - 1))
			multi += p->cells[h];
	if (multi == 0)
		return cb_fail(err, CB_ERR,
			       "nobody is on more than one list: without overlaps the lists say "
			       "nothing about how many they all missed");
	if (p->cells[ncell - 1] == p->n)
		return cb_fail(err, CB_ERR,
			       "everybody observed is on every list: no list shows anyone the others "
			       "missed, so there is nothing to estimate from");
	for (int j = 0; j < t; j++) {
		long long on = 0;
		for (size_t h = 1; h < ncell; h++)
			if (h & ((size_t)1 << j))
				on += p->cells[h];
		if (on == 0)
			return cb_fail(err, CB_ERR, "list '%s' has nobody on it: leave it out",
				       p->names[j]);
		if (on == p->n)
			return cb_fail(err, CB_ERR,
				       "list '%s' holds everybody observed: the other lists show no "
				       "one it missed, so the overlaps cannot measure what all missed",
				       p->names[j]);
	}
	return CB_OK;
}
