/*
 * records.c: lists of people read from CSV, with every value normalised
 * once, so that comparing two records later is plain string work.
 *
 * Names: case and diacritics folded (utf8proc), spaces, hyphens and
 * apostrophes dropped ("Mi-young", "Mi Young" and "Miyoung" agree), and
 * family names mapped through data/linkage/romanisation.tsv to one form
 * (Choi/Choe/Chwe, Lee/Yi/Ri/Rhee, Park/Pak/Bak, Kim/Gim). Birth dates keep
 * their digits (YYYYMMDD, or YYYY alone); an age becomes a birth year.
 */
#include "corroborate/corroborate.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "util/csv.h"
#include "util/embed.h"
#include "util/fileio.h"
#include "util/utf8.h"

const char *const cb_pfield_names[CB_PF_N] = {"given", "family", "birth", "age", "town", "sex",
					      "postcode", "street", "number", "state", "idnum"};

/* ---- the romanisation table --------------------------------------------- */

typedef struct roman {
	char from[16], to[16];
} roman;
static roman *g_roman;
static size_t g_nroman;
static pthread_once_t g_roman_once = PTHREAD_ONCE_INIT;

static int roman_cmp(const void *a, const void *b)
{
	return strcmp(((const roman *)a)->from, ((const roman *)b)->from);
}

static void roman_load(void)
{
	const cb_embedded *e = cb_embedded_find("linkage/romanisation.tsv");
	const char *p, *end;
	size_t cap = 0;
	if (!e)
		return;
	for (p = (const char *)e->data, end = p + e->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll && *p != '#' && (tab = memchr(p, '\t', ll))) {
			char form[16];
			snprintf(form, sizeof form, "%.*s", (int)(tab - p), p);
			const char *v = tab + 1, *le = p + ll;
			while (v < le) {
				const char *bar = memchr(v, '|', (size_t)(le - v));
				size_t vl = bar ? (size_t)(bar - v) : (size_t)(le - v);
				if (g_nroman == cap) {
					roman *nr = realloc(g_roman, (cap = cap ? cap * 2 : 128) * sizeof *nr);
					if (!nr)
						return;
					g_roman = nr;
				}
				snprintf(g_roman[g_nroman].from, 16, "%.*s", (int)vl, v);
				snprintf(g_roman[g_nroman].to, 16, "%s", form);
				g_nroman++;
				v += vl + 1;
			}
		}
		p += ll + 1;
	}
	qsort(g_roman, g_nroman, sizeof *g_roman, roman_cmp);
}

/* ---- normalisation ------------------------------------------------------ */

/* Folds case and diacritics into out (ASCII letters and digits, single
 * spaces between words); keep_space 0 drops the spaces too. */
static void fold(char *out, size_t n, const char *s, size_t len, int keep_space)
{
	utf8proc_uint8_t *m = NULL;
	size_t o = 0;
	int space = 0;
	utf8proc_ssize_t ml = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
					   UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
						   UTF8PROC_COMPAT);
	const char *src = ml >= 0 ? (const char *)m : s;
	size_t sl = ml >= 0 ? (size_t)ml : len;
	for (size_t i = 0; i < sl && o + 1 < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (isalnum(c)) {
			if (space && o && keep_space && o + 2 < n)
				out[o++] = ' ';
			space = 0;
			out[o++] = (char)tolower(c);
		} else if (c >= 0x80) {
			/* letters of other scripts stay as they are */
			if (space && o && keep_space && o + 2 < n)
				out[o++] = ' ';
			space = 0;
			out[o++] = (char)c;
		} else {
			space = 1;
		}
	}
	out[o] = '\0';
	free(m);
}

void cb_name_key(char *out, size_t n, const char *name, int family)
{
	fold(out, n, name, strlen(name), 0);
	if (!family || !*out)
		return;
	pthread_once(&g_roman_once, roman_load);
	roman key, *hit;
	snprintf(key.from, sizeof key.from, "%s", out);
	hit = g_nroman ? bsearch(&key, g_roman, g_nroman, sizeof *g_roman, roman_cmp) : NULL;
	if (hit)
		snprintf(out, n, "%s", hit->to);
}

/* ref_year: the year ages were given in; 0 = this year. */
static char *normalise(int field, const char *s, size_t len, int *year, int ref_year)
{
	char buf[256];
	if (field == CB_PF_GIVEN || field == CB_PF_FAMILY) {
		char tmp[256];
		snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 255 ? len : 255), s);
		cb_name_key(buf, sizeof buf, tmp, field == CB_PF_FAMILY);
	} else if (field == CB_PF_BIRTH || field == CB_PF_AGE || field == CB_PF_POSTCODE ||
		   field == CB_PF_NUMBER || field == CB_PF_IDNUM) {
		size_t o = 0;
		for (size_t i = 0; i < len && o + 1 < sizeof buf; i++)
			if (isdigit((unsigned char)s[i]) || (field == CB_PF_IDNUM && isalpha((unsigned char)s[i])))
				buf[o++] = (char)tolower((unsigned char)s[i]);
		buf[o] = '\0';
		if (field == CB_PF_BIRTH && o >= 4) {
			int y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 + (buf[2] - '0') * 10 + (buf[3] - '0');
			if (y >= 1880 && y <= 2100)
				*year = y;
		}
		if (field == CB_PF_AGE && o >= 1 && o <= 3 && !*year) {
			if (!ref_year) {
				time_t now = time(NULL);
				struct tm tm;
				gmtime_r(&now, &tm);
				ref_year = tm.tm_year + 1900;
			}
			*year = ref_year - atoi(buf);
		}
	} else {
		fold(buf, sizeof buf, s, len, 1);
	}
	return *buf ? strdup(buf) : NULL;
}

/* ---- reading a list -------------------------------------------------------- */

void cb_plist_free(cb_plist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (int f = 0; f < CB_PF_N; f++)
			free(l->v[i].f[f]);
		free(l->v[i].id);
		free(l->v[i].given_as_family);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* A fresh zeroed record at the end of out (not yet counted in out->n). */
static cb_prec *next_rec(cb_plist *out, int list, cb_error *err)
{
	cb_prec *p;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 1024;
		cb_prec *nv = realloc(out->v, cap * sizeof *nv);
		if (!nv) {
			cb_fail(err, CB_ENOMEM, "out of memory");
			return NULL;
		}
		out->v = nv;
		out->cap = cap;
	}
	p = &out->v[out->n];
	memset(p, 0, sizeof *p);
	p->list = list;
	return p;
}

/* The given name read as a family name, for swapped names. */
static void set_given_as_family(cb_prec *p)
{
	if (p->f[CB_PF_GIVEN]) {
		char gk[64];
		cb_name_key(gk, sizeof gk, p->f[CB_PF_GIVEN], 1);
		p->given_as_family = strdup(gk);
	}
}

int cb_plist_add(cb_plist *out, int list, const char *id, const char *const vals[CB_PF_N],
		 int ref_year, cb_error *err)
{
	cb_prec *p = next_rec(out, list, err);
	if (!p)
		return err->code;
	for (int f = 0; f < CB_PF_N; f++)
		if (vals[f] && *vals[f])
			p->f[f] = normalise(f, vals[f], strlen(vals[f]), &p->birth_year, ref_year);
	set_given_as_family(p);
	if (!(p->id = strdup(id))) {
		for (int f = 0; f < CB_PF_N; f++)
			free(p->f[f]);
		free(p->given_as_family);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	out->n++;
	return CB_OK;
}

int cb_plist_read_csv(cb_plist *out, const char *path, const char *map, int list, cb_error *err)
{
	char *data = NULL, *m = NULL;
	size_t len = 0;
	cb_csv r;
	int col[CB_PF_N], idcol = -1, rc, nrows = 0;
	const char *want[CB_PF_N + 1] = {0};

	for (int f = 0; f < CB_PF_N; f++)
		col[f] = -1;
	if ((rc = cb_read_file(&data, &len, path, 1u << 30, err)) < 0)
		return rc;
	if (!len) {
		free(data);
		return cb_fail(err, CB_EFORMAT, "%s: empty file", path);
	}
	if (cb_utf8_invalid_at(data, len) != len) {
		size_t at = cb_utf8_invalid_at(data, len);
		free(data);
		return cb_fail(err, CB_EFORMAT, "%s: not valid UTF-8 (byte %zu)", path, at);
	}
	/* --map: field=column pairs */
	if (!(m = strdup(map ? map : ""))) {
		free(data);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	for (char *tok = strtok(m, ","); tok; tok = strtok(NULL, ",")) {
		char *eq = strchr(tok, '=');
		int f;
		if (!eq) {
			rc = cb_fail(err, CB_EINVAL, "--map: '%s' is not FIELD=COLUMN", tok);
			goto done;
		}
		*eq = '\0';
		if (!strcmp(tok, "id")) {
			want[CB_PF_N] = eq + 1;
			continue;
		}
		for (f = 0; f < CB_PF_N && strcmp(tok, cb_pfield_names[f]); f++)
			;
		if (f == CB_PF_N) {
			rc = cb_fail(err, CB_EINVAL,
				     "--map: unknown field '%s' (given, family, birth, age, town, sex, "
				     "postcode, street, number, state, idnum, id)", tok);
			goto done;
		}
		want[f] = eq + 1;
	}
	cb_csv_init(&r, data, len, 1);
	if ((rc = cb_csv_next(&r, err)) <= 0) {
		rc = rc < 0 ? cb_error_prefix(err, "%s", path) : cb_fail(err, CB_EFORMAT, "%s: no header row", path);
		goto done_csv;
	}
	for (int f = 0; f <= CB_PF_N; f++) {
		if (!want[f])
			continue;
		size_t c;
		for (c = 0; c < r.nfields; c++)
			if (strlen(want[f]) == r.flen[c] && !strncmp(r.field[c], want[f], r.flen[c]))
				break;
		if (c == r.nfields) {
			rc = cb_fail(err, CB_EINVAL, "%s: no column '%s' in the header", path, want[f]);
			goto done_csv;
		}
		if (f == CB_PF_N)
			idcol = (int)c;
		else
			col[f] = (int)c;
	}
	while ((rc = cb_csv_next(&r, err)) > 0) {
		cb_prec *p;
		if (r.nfields == 1 && r.flen[0] == 0)
			continue; /* a blank line */
		if (!(p = next_rec(out, list, err))) {
			rc = err->code;
			break;
		}
		for (int f = 0; f < CB_PF_N; f++)
			if (col[f] >= 0 && (size_t)col[f] < r.nfields && r.flen[col[f]])
				p->f[f] = normalise(f, r.field[col[f]], r.flen[col[f]], &p->birth_year, 0);
		set_given_as_family(p);
		if (idcol >= 0 && (size_t)idcol < r.nfields) {
			char *id = malloc(r.flen[idcol] + 1);
			if (id) {
				memcpy(id, r.field[idcol], r.flen[idcol]);
				id[r.flen[idcol]] = '\0';
			}
			p->id = id;
		} else {
			char b[32];
			snprintf(b, sizeof b, "%s:%zu", path, r.line);
			p->id = strdup(b);
		}
		out->n++;
		nrows++;
	}
	if (rc < 0)
		cb_error_prefix(err, "%s", path);
	else if (!nrows)
		rc = cb_fail(err, CB_EFORMAT, "%s: a header but no rows", path);
	else
		rc = CB_OK;
done_csv:
	cb_csv_free(&r);
done:
	free(m);
	free(data);
	return rc;
}
