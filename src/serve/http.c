/*
 * http.c: the parsing of what a browser sends, kept apart from the socket
 * code so that it can be fuzzed on bytes alone (fuzz/fuzz_http.c): request
 * paths, urlencoded forms, multipart/form-data bodies, cookies.
 *
 * Everything here reads untrusted input: every length is checked before it
 * is used, nothing is trusted to be NUL-terminated, and a malformed input
 * is an error with a one-line reason, never a partial result.
 */
#define _GNU_SOURCE /* memmem */
#include "serve/http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

static int utf8_ok(const char *s, size_t n)
{
	return cb_utf8_invalid_at(s, n) == n;
}

int cb_http_path_check(const char *path, size_t len, cb_error *err)
{
	if (!len || path[0] != '/')
		return cb_fail(err, CB_EINVAL, "the path must start with '/'");
	if (len > CB_HTTP_MAX_PATH)
		return cb_fail(err, CB_ETOOBIG, "the path is longer than %d bytes", CB_HTTP_MAX_PATH);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7f)
			return cb_fail(err, CB_EINVAL, "the path holds a control character");
		if (c == '\\')
			return cb_fail(err, CB_EINVAL, "the path holds a backslash");
	}
	/* A ".." segment is refused whatever follows: no route needs one and
	 * the static files must never be escaped from. */
	for (size_t i = 0; i + 1 < len; i++) {
		if (path[i] == '.' && path[i + 1] == '.' && (i == 0 || path[i - 1] == '/') &&
		    (i + 2 == len || path[i + 2] == '/'))
			return cb_fail(err, CB_EINVAL, "the path holds a '..' segment");
	}
	if (!utf8_ok(path, len))
		return cb_fail(err, CB_EFORMAT, "the path is not valid UTF-8");
	return CB_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t cb_http_unescape(char *s, size_t len, int plus_is_space)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			int c = hi * 16 + lo;
			/* %00 would cut the string short where C code reads
			 * it: it becomes a control character that the checks
			 * refuse instead. */
			s[o++] = (char)(c ? c : 0x01);
			i += 2;
		} else if (plus_is_space && s[i] == '+') {
			s[o++] = ' ';
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

void cb_fields_free(cb_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free((char *)f->v[i].name);
		free((char *)f->v[i].filename);
		free((char *)f->v[i].data);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Appends a field; name and data are copied (n bytes each), filename may
 * be NULL. */
static int add_field(cb_fields *f, const char *name, size_t nlen, const char *filename,
		     size_t flen, const char *data, size_t dlen, cb_error *err)
{
	cb_field *nf;
	if (f->n >= CB_HTTP_MAX_FIELDS)
		return cb_fail(err, CB_ETOOBIG, "more than %d form fields", CB_HTTP_MAX_FIELDS);
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		cb_field *v = realloc(f->v, cap * sizeof *v);
		if (!v)
			return cb_fail(err, CB_ENOMEM, "out of memory");
		f->v = v;
		f->cap = cap;
	}
	nf = &f->v[f->n];
	memset(nf, 0, sizeof *nf);
	nf->name = dup_n(name, nlen);
	nf->data = dup_n(data, dlen);
	nf->len = dlen;
	if (filename)
		nf->filename = dup_n(filename, flen);
	if (!nf->name || !nf->data || (filename && !nf->filename)) {
		free((char *)nf->name);
		free((char *)nf->data);
		free((char *)nf->filename);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	f->n++;
	return CB_OK;
}

int cb_http_parse_urlencoded(cb_fields *out, const char *body, size_t len, cb_error *err)
{
	size_t i = 0;
	int rc = CB_OK;
	while (i < len) {
		size_t end = i, eq;
		char *name = NULL, *val = NULL;
		size_t nl, vl;
		while (end < len && body[end] != '&')
			end++;
		for (eq = i; eq < end && body[eq] != '='; eq++)
			;
		if (end > i) {
			if (!(name = dup_n(body + i, eq - i)) ||
			    !(val = dup_n(eq < end ? body + eq + 1 : "", eq < end ? end - eq - 1 : 0))) {
				free(name);
				rc = cb_fail(err, CB_ENOMEM, "out of memory");
				goto done;
			}
			nl = cb_http_unescape(name, eq - i, 1);
			vl = cb_http_unescape(val, eq < end ? end - eq - 1 : 0, 1);
			if (!utf8_ok(name, nl) || !utf8_ok(val, vl))
				rc = cb_fail(err, CB_EFORMAT, "a form field is not valid UTF-8");
			else if (memchr(name, 0x01, nl) || memchr(val, 0x01, vl))
				rc = cb_fail(err, CB_EINVAL, "a form field holds a NUL byte");
			else
				rc = add_field(out, name, nl, NULL, 0, val, vl, err);
			free(name);
			free(val);
			if (rc < 0)
				goto done;
		}
		i = end + 1;
	}
done:
	if (rc < 0)
		cb_fields_free(out);
	return rc;
}

/* The value of parameter key in a header value such as
 * `form-data; name="a"; filename="b.txt"` or `multipart/form-data;
 * boundary=XYZ`: its start and length, or -1 if absent. Quoted values may
 * not hold quotes (browsers escape them as %22). */
static int header_param(const char *h, size_t hl, const char *key, const char **v, size_t *vl)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < hl; i++) {
		if (h[i] != ';')
			continue;
		size_t j = i + 1;
		while (j < hl && (h[j] == ' ' || h[j] == '\t'))
			j++;
		if (j + kl + 1 > hl || strncasecmp(h + j, key, kl) || h[j + kl] != '=')
			continue;
		j += kl + 1;
		if (j < hl && h[j] == '"') {
			size_t e = j + 1;
			while (e < hl && h[e] != '"')
				e++;
			if (e >= hl)
				return -1;
			*v = h + j + 1;
			*vl = e - j - 1;
		} else {
			size_t e = j;
			while (e < hl && h[e] != ';' && h[e] != ' ' && h[e] != '\t')
				e++;
			*v = h + j;
			*vl = e - j;
		}
		return 0;
	}
	return -1;
}

static const char *find(const char *hay, size_t hl, const char *needle, size_t nl)
{
	return nl <= hl ? memmem(hay, hl, needle, nl) : NULL;
}

int cb_http_parse_multipart(cb_fields *out, const char *content_type, const char *body,
			    size_t len, cb_error *err)
{
	const char *bv, *p, *end = body + len;
	size_t bvl, dl;
	char delim[80];
	int rc = CB_OK;

	if (!content_type ||
	    header_param(content_type, strlen(content_type), "boundary", &bv, &bvl) < 0 || !bvl ||
	    bvl > 70)
		return cb_fail(err, CB_EFORMAT, "multipart body without a valid boundary");
	/* delim = CRLF "--" boundary; the first one may come without CRLF */
	dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%.*s", (int)bvl, bv);
	if (len < dl - 2 || memcmp(body, delim + 2, dl - 2))
		return cb_fail(err, CB_EFORMAT, "multipart body does not start with its boundary");
	p = body + dl - 2;
	for (;;) {
		const char *hdr_end, *next, *name = NULL, *fname = NULL, *h;
		size_t nl = 0, fl = 0;
		int has_fname = 0;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			rc = cb_fail(err, CB_EFORMAT, "multipart body is truncated or malformed");
			goto done;
		}
		p += 2;
		if (!(hdr_end = find(p, (size_t)(end - p), "\r\n\r\n", 4))) {
			rc = cb_fail(err, CB_EFORMAT, "multipart part without the end of its headers");
			goto done;
		}
		/* the part's headers, one per line */
		for (h = p; h < hdr_end;) {
			const char *le = find(h, (size_t)(hdr_end - h), "\r\n", 2);
			size_t ll = le ? (size_t)(le - h) : (size_t)(hdr_end - h);
			static const char cd[] = "content-disposition:";
			if (ll > sizeof cd - 1 && !strncasecmp(h, cd, sizeof cd - 1)) {
				/* parameters start after "form-data" */
				const char *semi = memchr(h, ';', ll);
				if (semi) {
					size_t rest = ll - (size_t)(semi - h);
					if (header_param(semi, rest, "name", &name, &nl) < 0)
						name = NULL;
					if (header_param(semi, rest, "filename", &fname, &fl) == 0)
						has_fname = 1;
				}
			}
			h += ll + 2;
		}
		if (!name || !nl) {
			rc = cb_fail(err, CB_EFORMAT, "multipart part without a field name");
			goto done;
		}
		p = hdr_end + 4;
		if (!(next = find(p, (size_t)(end - p), delim, dl))) {
			rc = cb_fail(err, CB_EFORMAT, "multipart body is truncated (no closing boundary)");
			goto done;
		}
		if (!utf8_ok(name, nl) || (has_fname && !utf8_ok(fname, fl))) {
			rc = cb_fail(err, CB_EFORMAT, "a multipart field or file name is not valid UTF-8");
			goto done;
		}
		if (!has_fname && !utf8_ok(p, (size_t)(next - p))) {
			rc = cb_fail(err, CB_EFORMAT, "form field '%.*s' is not valid UTF-8",
				     (int)(nl > 40 ? 40 : nl), name);
			goto done;
		}
		if ((rc = add_field(out, name, nl, has_fname ? fname : NULL, fl, p, (size_t)(next - p),
				    err)) < 0)
			goto done;
		p = next + dl;
	}
done:
	if (rc < 0)
		cb_fields_free(out);
	return rc;
}

int cb_http_parse_body(cb_fields *out, const char *content_type, const char *body, size_t len,
		       cb_error *err)
{
	if (!content_type || !len)
		return CB_OK;
	if (!strncasecmp(content_type, "application/x-www-form-urlencoded", 33))
		return cb_http_parse_urlencoded(out, body, len, err);
	if (!strncasecmp(content_type, "multipart/form-data", 19))
		return cb_http_parse_multipart(out, content_type, body, len, err);
	return CB_OK; /* JSON and others: the handler reads the raw body */
}

int cb_http_cookie(char *out, size_t outlen, const char *header, const char *name)
{
	size_t nl = strlen(name);
	const char *p = header;
	if (!header)
		return -1;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = strcspn(v, ";");
			if (vl >= outlen)
				return -1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 0;
		}
		p += strcspn(p, ";");
	}
	return -1;
}
