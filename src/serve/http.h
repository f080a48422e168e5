/*
 * http.h: parsing what a browser sends (http.c), apart from any socket so
 * that fuzz/fuzz_http.c can drive it with bytes alone.
 *
 * Ownership: a cb_fields owns its array and every string in it; free it
 * with cb_fields_free(). On failure a parser frees what it had built and
 * leaves *out empty.
 */
#ifndef CB_HTTP_H
#define CB_HTTP_H

#include <stddef.h>

#include "serve/serve_int.h"
#include "util/error.h"

#define CB_HTTP_MAX_PATH 2048
#define CB_HTTP_MAX_FIELDS 1000

typedef struct cb_fields {
	cb_field *v;
	size_t n, cap;
} cb_fields;

/* A decoded request path is acceptable: starts with '/', at most
 * CB_HTTP_MAX_PATH bytes, valid UTF-8, no control characters (a decoded
 * %00 is one), no backslash, no ".." segment. CB_EINVAL / CB_EFORMAT /
 * CB_ETOOBIG with the reason. */
int cb_http_path_check(const char *path, size_t len, cb_error *err);

/* Decodes %XX escapes (and '+' as a space if plus_is_space) in place;
 * returns the new length and NUL-terminates. A decoded NUL becomes 0x01,
 * which the checks refuse, so that no string is cut short unseen. */
size_t cb_http_unescape(char *s, size_t len, int plus_is_space);

/* application/x-www-form-urlencoded: name=value&... (values decoded,
 * valid UTF-8, no NUL). */
int cb_http_parse_urlencoded(cb_fields *out, const char *body, size_t len, cb_error *err);

/* multipart/form-data with the boundary from content_type: each part's
 * name, filename (uploads) and bytes. Non-file fields must be UTF-8. */
int cb_http_parse_multipart(cb_fields *out, const char *content_type, const char *body,
			    size_t len, cb_error *err);

/* Either of the two by content type; other types (JSON) parse nothing. */
int cb_http_parse_body(cb_fields *out, const char *content_type, const char *body, size_t len,
		       cb_error *err);

/* The value of cookie name in a Cookie header, copied into out (at most
 * outlen - 1 bytes): 0, or -1 if absent or too long. */
int cb_http_cookie(char *out, size_t outlen, const char *header, const char *name);

void cb_fields_free(cb_fields *f);

#endif
