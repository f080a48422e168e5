/*
 * fuzz_http.c: libFuzzer harness for what a browser sends to `casebook
 * serve` (serve/http.c): the request path with its query string, the
 * Content-Type header, the Cookie header and the body. The first three
 * bytes choose how the input is split; the parsers must accept or refuse
 * each part with a one-line reason, never crash, and a refused parse must
 * leave no fields behind.
 *
 *   fuzz/run.sh fuzz_http 600
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"

static void check_fields(const cb_fields *f, int rc, const cb_error *err)
{
	if (rc < 0) {
		if (f->n || f->v || !err->msg[0] || strchr(err->msg, '\n'))
			abort();
		return;
	}
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].name || !f->v[i].data || f->v[i].data[f->v[i].len] != '\0')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cb_error err = CB_ERROR_INIT;
	cb_fields f = {0};
	char *path, *ctype, cookie[96];
	size_t plen, clen, rest;
	int rc;

	if (size < 3)
		return 0;
	plen = data[0] % 64 * 4;
	clen = data[1] % 128;
	data += 3;
	size -= 3;
	if (plen > size)
		plen = size;
	if (clen > size - plen)
		clen = size - plen;
	rest = size - plen - clen;

	/* the path: decoded, then checked; the query string: a form */
	path = malloc(plen + 1);
	memcpy(path, data, plen);
	path[plen] = '\0';
	plen = strlen(path); /* the server gets the URI as a C string */
	char *q = memchr(path, '?', plen);
	size_t pl = q ? (size_t)(q - path) : plen;
	char *p = malloc(pl + 1);
	memcpy(p, path, pl);
	pl = cb_http_unescape(p, pl, 0);
	if (strlen(p) != pl)
		abort(); /* a decoded NUL must never cut the string short */
	rc = cb_http_path_check(p, pl, &err);
	if (rc < 0 && (!err.msg[0] || strchr(err.msg, '\n')))
		abort();
	free(p);
	if (q) {
		cb_error_clear(&err);
		rc = cb_http_parse_urlencoded(&f, q + 1, plen - (size_t)(q + 1 - path), &err);
		check_fields(&f, rc, &err);
		cb_fields_free(&f);
	}
	free(path);

	/* the content type (also used as a cookie header) and the body */
	ctype = malloc(clen + 40);
	memcpy(ctype, "multipart/form-data; boundary=", 30);
	memcpy(ctype + 30, data + plen, clen);
	ctype[30 + clen] = '\0';
	cb_error_clear(&err);
	rc = cb_http_parse_multipart(&f, ctype, (const char *)data + plen + clen, rest, &err);
	check_fields(&f, rc, &err);
	cb_fields_free(&f);
	cb_error_clear(&err);
	rc = cb_http_parse_body(&f, "application/x-www-form-urlencoded",
				(const char *)data + plen + clen, rest, &err);
	check_fields(&f, rc, &err);
	cb_fields_free(&f);
	(void)cb_http_cookie(cookie, sizeof cookie, ctype + 30, "cb_session");
	free(ctype);
	return 0;
}
