/*
 * server.c: the HTTP core of `casebook serve` (serve.h, serve_int.h).
 *
 * libmicrohttpd runs a pool of threads that read requests; each request's
 * body is gathered (up to max_body, past which it is drained and answered
 * 413), its path and form parsed by http.c, its session looked up, and then
 * one handler runs on a store handle acting as the signed-in user. Reads
 * (GET) run on a pool of read handles, one per thread, in parallel - SQLite
 * in WAL mode lets readers see the last commit while a write goes on -
 * and writes (POST) take turns on the store as it was opened.
 */
#include "serve/serve_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "protect/keyring.h"
#include "serve/http.h"
#include "serve/map.h"
#include "util/embed.h"
#include "util/fileio.h"

struct cb_server {
	cb_store *st;           /* the store as opened: the one writer */
	pthread_mutex_t lock;   /* the sessions table */
	pthread_mutex_t wlock;  /* st */
	cb_keys *wslot;         /* the acting user's keys while st is held */
	cb_store **readers;     /* clones of st for reads, one per thread */
	pthread_mutex_t *rlocks;
	cb_keys **rslots;
	unsigned nreaders;
	unsigned next_reader;
	cb_sessions *sessions;
	cb_serve_config cfg;
	char assets[PATH_MAX];
	int tls;
};

/* One request's state across libmicrohttpd's calls. */
typedef struct conn_ctx {
	char *uri;          /* raw, with the query string */
	cb_buf body;
	int too_big;
	int headers_seen; /* the first call, with headers only, has passed */
	struct timespec t0;
} conn_ctx;

/* ---- small accessors ------------------------------------------------- */

void cb_server_lock(cb_server *srv) { pthread_mutex_lock(&srv->lock); }
void cb_server_unlock(cb_server *srv) { pthread_mutex_unlock(&srv->lock); }
cb_store *cb_server_store(cb_server *srv) { return srv->st; }
int cb_server_tls(const cb_server *srv) { return srv->tls; }
unsigned cb_server_session_ttl(const cb_server *srv) { return srv->cfg.session_ttl; }
cb_sessions *cb_server_sessions(cb_server *srv) { return srv->sessions; }
const char *cb_server_assets_dir(const cb_server *srv) { return srv->assets; }

/* A store handle for one request: the writer for changes, else a free
 * reader (or the next one, waited for). Its slot receives the user's keys. */
typedef struct handle {
	cb_store *st;
	cb_keys *slot;
	pthread_mutex_t *lock;
} handle;

static void handle_set(handle *h, cb_store *st, cb_keys *slot, pthread_mutex_t *lock)
{
	h->st = st;
	h->slot = slot;
	h->lock = lock;
}

static void handle_get(cb_server *srv, handle *h, int write)
{
	if (write || !srv->nreaders) {
		pthread_mutex_lock(&srv->wlock);
		handle_set(h, srv->st, srv->wslot, &srv->wlock);
		return;
	}
	unsigned start = __atomic_fetch_add(&srv->next_reader, 1, __ATOMIC_RELAXED), k;
	for (unsigned i = 0; i < srv->nreaders; i++) {
		k = (start + i) % srv->nreaders;
		if (pthread_mutex_trylock(&srv->rlocks[k]) == 0) {
			handle_set(h, srv->readers[k], srv->rslots[k], &srv->rlocks[k]);
			return;
		}
	}
	k = start % srv->nreaders;
	pthread_mutex_lock(&srv->rlocks[k]);
	handle_set(h, srv->readers[k], srv->rslots[k], &srv->rlocks[k]);
}

static void handle_put(handle *h)
{
	if (h->st && cb_store_in_transaction(h->st))
		cb_store_rollback(h->st); /* a handler that forgot: nothing half-done */
	if (h->st)
		cb_store_act_as(h->st, NULL);
	sodium_memzero(h->slot, sizeof *h->slot);
	pthread_mutex_unlock(h->lock);
	h->st = NULL;
}

/* The request's private parts, beside the public cb_req. */
typedef struct req_ext {
	cb_req r;
	cb_fields query;
	cb_fields form;
	cb_fields all; /* form then query, what handlers see in r.fields */
} req_ext;

static const cb_field *fields_find(const cb_fields *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return &f->v[i];
	return NULL;
}

const char *cb_req_query(const cb_req *r, const char *name)
{
	const req_ext *x = (const req_ext *)r;
	const cb_field *f = fields_find(&x->query, name);
	return f ? f->data : NULL;
}

const cb_field *cb_req_field(const cb_req *r, const char *name)
{
	return fields_find(&((const req_ext *)r)->form, name);
}

const char *cb_req_param(const cb_req *r, const char *name)
{
	const cb_field *f = cb_req_field(r, name);
	return f ? f->data : cb_req_query(r, name);
}

/* ---- responses ----------------------------------------------------- */

int cb_resp_json(cb_resp *out, int status, json_t *v)
{
	char *s;
	out->status = status;
	out->content_type = "application/json";
	cb_buf_reset(&out->body);
	if (!v)
		return CB_ENOMEM;
	s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(v);
	if (!s)
		return CB_ENOMEM;
	cb_buf_puts(&out->body, s, NULL);
	free(s);
	return CB_OK;
}

int cb_http_status(int code)
{
	switch (code) {
	case CB_OK:
		return 200;
	case CB_ENOTFOUND:
		return 404;
	case CB_EINVAL:
	case CB_EFORMAT:
		return 400;
	case CB_ETOOBIG:
		return 413;
	case CB_EAUTH:
		return 403;
	case CB_EEXISTS:
		return 409;
	default:
		return 500;
	}
}

static const char *status_text(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Sign-in needed";
	case 403: return "Not allowed";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Too large";
	case 429: return "Too many attempts";
	default: return status >= 500 ? "Server error" : "Error";
	}
}

int cb_html_escape(cb_buf *b, const char *s, cb_error *err)
{
	int rc = CB_OK;
	if (!s)
		return CB_OK;
	for (const char *p = s; *p && rc == CB_OK; p++) {
		switch (*p) {
		case '&': rc = cb_buf_puts(b, "&amp;", err); break;
		case '<': rc = cb_buf_puts(b, "&lt;", err); break;
		case '>': rc = cb_buf_puts(b, "&gt;", err); break;
		case '"': rc = cb_buf_puts(b, "&quot;", err); break;
		case '\'': rc = cb_buf_puts(b, "&#39;", err); break;
		default: rc = cb_buf_putc(b, *p, err);
		}
	}
	return rc;
}

static int is_api_path(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
}

int cb_resp_error(const cb_req *r, cb_resp *out, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!r || is_api_path(r->path)) {
		return cb_resp_json(out, status,
				    json_pack("{s:{s:i,s:s}}", "error", "status", status, "message", msg));
	}
	out->status = status;
	out->content_type = NULL;
	cb_buf_reset(&out->body);
	cb_buf_puts(&out->body,
		    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>casebook: error</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
		    "</head><body><main class=\"error\"><h1>",
		    NULL);
	cb_buf_printf(&out->body, NULL, "%d %s", status, status_text(status));
	cb_buf_puts(&out->body, "</h1><p>", NULL);
	cb_html_escape(&out->body, msg, NULL);
	cb_buf_puts(&out->body, "</p><p><a href=\"/reports\">Back to the reports</a></p></main></body></html>\n",
		    NULL);
	return CB_OK;
}

int cb_resp_redirect(cb_resp *out, const char *location)
{
	free(out->location);
	out->status = 303;
	if (!(out->location = strdup(location)))
		return CB_ENOMEM;
	return CB_OK;
}

/* ---- static files ------------------------------------------------------ */

static const char *mime_of(const char *name)
{
	static const char *const TYPES[][2] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},           {".png", "image/png"},
		{".json", "application/json"},       {".txt", "text/plain; charset=utf-8"}};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof TYPES / sizeof *TYPES; i++)
		if (!strcmp(dot, TYPES[i][0]))
			return TYPES[i][1];
	return "application/octet-stream";
}

/* GET /static/NAME: data/web/NAME, compiled into the binary. */
static int serve_static(const cb_req *r, cb_resp *out)
{
	char name[256];
	const cb_embedded *e;
	const char *rel = r->path + strlen("/static/");
	if (!*rel || strlen(rel) > 200 || strchr(rel, '/'))
		return cb_resp_error(r, out, 404, "%s: no such file", r->path);
	snprintf(name, sizeof name, "web/%s", rel);
	if (!(e = cb_embedded_find(name)))
		return cb_resp_error(r, out, 404, "%s: no such file", r->path);
	out->content_type = mime_of(rel);
	out->cacheable = 1;
	return cb_buf_put(&out->body, e->data, e->len, NULL);
}

/* ---- routing -------------------------------------------------------- */

static int route_matches(const cb_route *rt, const char *path)
{
	if (rt->flags & CB_ROUTE_PREFIX)
		return !strncmp(path, rt->pattern, strlen(rt->pattern));
	return !strcmp(path, rt->pattern);
}

/* The route for method and path in *found; returns 404, 405 or 0. */
static int find_route(const cb_route **found, const char *method, const char *path)
{
	const cb_route *tables[] = {cb_api_routes, cb_page_routes};
	int path_known = 0;
	*found = NULL;
	/* Exact patterns win over prefixes, whatever the table order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t t = 0; t < 2; t++)
			for (const cb_route *rt = tables[t]; rt->fn; rt++) {
				if (!!(rt->flags & CB_ROUTE_PREFIX) != pass || !route_matches(rt, path))
					continue;
				path_known = 1;
				if (!strcmp(rt->method, method) ||
				    (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET"))) {
					*found = rt;
					return 0;
				}
			}
	return path_known ? 405 : 404;
}

/* ---- one request ------------------------------------------------------ */

static void client_address(char out[64], struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strcpy(out, "unknown");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, 64);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out,
			  64);
}

static int csrf_ok(const cb_req *r, const cb_session *s, struct MHD_Connection *c)
{
	const char *tok = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	size_t n = strlen(s->csrf);
	if (!tok) {
		const cb_field *f = cb_req_field(r, "csrf");
		tok = f ? f->data : NULL;
	}
	return tok && strlen(tok) == n && sodium_memcmp(tok, s->csrf, n) == 0;
}

/* Builds and runs the request into out. */
static void dispatch(cb_server *srv, struct MHD_Connection *c, conn_ctx *cx, const char *method,
		     cb_resp *out)
{
	req_ext x;
	cb_req *r = &x.r;
	cb_error err = CB_ERROR_INIT;
	char *path = NULL, cookie[96], client[64];
	const char *q, *cookie_hdr;
	const cb_route *rt = NULL;
	const cb_session *sess = NULL;
	cb_session me;
	cb_keys *keys = NULL;
	handle h = {0};
	size_t plen;
	int st, write;

	memset(&x, 0, sizeof x);
	memset(&me, 0, sizeof me);
	r->srv = srv;
	r->method = method;
	r->conn = c;
	r->path = "/";
	client_address(client, c);

	/* the path and the query string, decoded by us (http.c) */
	q = strchr(cx->uri ? cx->uri : "/", '?');
	plen = q ? (size_t)(q - cx->uri) : strlen(cx->uri ? cx->uri : "/");
	if (!(path = malloc(plen + 1))) {
		cb_resp_error(NULL, out, 500, "out of memory");
		goto done;
	}
	memcpy(path, cx->uri ? cx->uri : "/", plen);
	plen = cb_http_unescape(path, plen, 0);
	r->path = path;
	if (cb_http_path_check(path, plen, &err) < 0) {
		r->path = path[0] == '/' && !strncmp(path, "/api/", 5) ? "/api/" : "/";
		cb_resp_error(r, out, err.code == CB_ETOOBIG ? 414 : 400, "bad path: %s", err.msg);
		goto done;
	}
	if (cx->too_big) {
		cb_resp_error(r, out, 413, "the request body is over the limit of %zu bytes",
			      srv->cfg.max_body);
		goto done;
	}
	if (q && cb_http_parse_urlencoded(&x.query, q + 1, strlen(q + 1), &err) < 0) {
		cb_resp_error(r, out, 400, "bad query string: %s", err.msg);
		goto done;
	}
	r->body = cx->body.ptr ? cx->body.ptr : "";
	r->body_len = cx->body.len;
	r->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (cb_http_parse_body(&x.form, r->content_type, r->body, r->body_len, &err) < 0) {
		cb_resp_error(r, out, 400, "bad form: %s", err.msg);
		goto done;
	}
	r->fields = x.form.v;
	r->nfields = x.form.n;

	cookie_hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	if (cb_http_cookie(cookie, sizeof cookie, cookie_hdr, "cb_session") < 0)
		cookie[0] = '\0';

	/* the core's own routes */
	if (!strcmp(path, "/signin") && !strcmp(method, "POST")) {
		cb_session_signin(srv, r, client, out);
		goto done;
	}
	if (!strcmp(path, "/api/signin")) {
		if (strcmp(method, "POST"))
			cb_resp_error(r, out, 405, "%s %s: use POST", method, path);
		else
			cb_session_signin(srv, r, client, out);
		goto done;
	}
	if (!strncmp(path, "/static/", 8) && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
		serve_static(r, out);
		goto done;
	}

	/* the route decides the handle: reads in parallel, writes in turn */
	st = find_route(&rt, method, path);
	write = (rt && (rt->flags & CB_ROUTE_WRITE)) || !strcmp(path, "/signout") ||
		!strcmp(path, "/api/signout");
	handle_get(srv, &h, write);
	cb_server_lock(srv);
	if (cookie[0] && (sess = cb_sessions_find(srv->sessions, cookie, &keys, srv->cfg.session_ttl))) {
		me = *sess;
		cb_keys_copy(h.slot, keys);
		r->session = &me;
	}
	if ((!strcmp(path, "/signout") || !strcmp(path, "/api/signout")) && !strcmp(method, "POST") &&
	    r->session && csrf_ok(r, r->session, c)) {
		cb_session_signout(srv, r, cookie, out);
		cb_server_unlock(srv);
		goto done;
	}
	cb_server_unlock(srv);

	if (!strcmp(path, "/signout") || !strcmp(path, "/api/signout")) {
		if (strcmp(method, "POST"))
			cb_resp_error(r, out, 405, "%s %s: use POST", method, path);
		else if (!r->session)
			cb_resp_error(r, out, 401, "not signed in");
		else
			cb_resp_error(r, out, 403, "missing or wrong CSRF token");
		goto done;
	}
	if (!strcmp(path, "/api/session")) {
		if (strcmp(method, "GET"))
			cb_resp_error(r, out, 405, "%s %s: use GET", method, path);
		else if (!r->session)
			cb_resp_error(r, out, 401, "not signed in");
		else
			cb_session_info(r, out);
		goto done;
	}

	if (st) {
		if (st == 404 && !r->session && !is_api_path(path))
			goto need_signin; /* no hints about what exists */
		cb_resp_error(r, out, st, st == 405 ? "%s %s: method not allowed" : "%s %s: not found",
			      method, path);
		goto done;
	}
	if (!(rt->flags & CB_ROUTE_PUBLIC) && !r->session) {
	need_signin:
		if (is_api_path(path)) {
			cb_resp_error(r, out, 401, "sign in first (POST /api/signin)");
		} else {
			cb_buf loc = CB_BUF_INIT;
			cb_buf_puts(&loc, "/signin?next=", NULL);
			for (const char *p = path; *p; p++) {
				unsigned char ch = (unsigned char)*p;
				if (ch < 0x80 && (ch == '/' || ch == '-' || ch == '_' || ch == '.' ||
						  (ch >= '0' && ch <= '9') || (ch | 0x20) >= 'a'))
					cb_buf_putc(&loc, (char)ch, NULL);
				else
					cb_buf_printf(&loc, NULL, "%%%02X", ch);
			}
			cb_resp_redirect(out, loc.ptr ? loc.ptr : "/signin");
			cb_buf_free(&loc);
		}
		goto done;
	}
	if (rt->flags & CB_ROUTE_WRITE) {
		if (!r->session || !csrf_ok(r, r->session, c)) {
			cb_resp_error(r, out, 403, "missing or wrong CSRF token");
			goto done;
		}
		if (r->session->role == CB_ROLE_VIEWER) {
			cb_resp_error(r, out, 403, "viewers cannot change the record");
			goto done;
		}
	}
	if (r->session) {
		r->st = h.st;
		cb_store_act_as(h.st, h.slot);
	}
	rt->fn(r, out);
done:
	if (h.st)
		handle_put(&h);
	sodium_memzero(&me, sizeof me);
	cb_fields_free(&x.query);
	cb_fields_free(&x.form);
	if (r->path != path)
		r->path = path;
	free(path);
}

static void add_common_headers(struct MHD_Response *resp, const cb_resp *out, int tls)
{
	MHD_add_response_header(resp, "Content-Type",
				out->content_type ? out->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "Cache-Control",
				out->cacheable ? "public, max-age=3600" : "no-store");
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (out->location)
		MHD_add_response_header(resp, "Location", out->location);
	if (out->content_disposition)
		MHD_add_response_header(resp, "Content-Disposition", out->content_disposition);
	if (out->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", out->set_cookie);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	cb_server *srv = cls;
	conn_ctx *cx = *con_cls;
	cb_resp out;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	char *body;
	(void)url;
	(void)version;

	if (!cx)
		return MHD_NO; /* the URI callback did not run: out of memory */
	if (!cx->headers_seen) {
		cx->headers_seen = 1;
		return MHD_YES; /* the body, if any, comes in the next calls */
	}
	if (*upload_size) {
		if (!cx->too_big) {
			if (cx->body.len + *upload_size > srv->cfg.max_body ||
			    cb_buf_put(&cx->body, upload, *upload_size, NULL) < 0) {
				cx->too_big = 1;
				cb_buf_free(&cx->body);
			}
		}
		*upload_size = 0; /* drained either way: the answer comes at the end */
		return MHD_YES;
	}

	memset(&out, 0, sizeof out);
	cb_buf_init(&out.body, CB_BUF_NOLIMIT);
	out.status = 200;
	dispatch(srv, c, cx, method, &out);

	len = out.body.len;
	body = cb_buf_detach(&out.body);
	if (!body) {
		body = strdup("");
		len = 0;
	}
	if (!strcmp(method, "HEAD")) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		free(body);
	} else {
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp) {
		free(body);
		ret = MHD_NO;
	} else {
		add_common_headers(resp, &out, srv->tls);
		ret = MHD_queue_response(c, (unsigned)out.status, resp);
		MHD_destroy_response(resp);
	}
	if (!srv->cfg.quiet) {
		const char *u = cx->uri ? cx->uri : "?";
		int ul = (int)strcspn(u, "?");
		fprintf(stderr, "%s %.*s %d %.1f ms\n", method, ul > 200 ? 200 : ul, u, out.status,
			ms_since(&cx->t0));
	}
	free(out.location);
	free(out.content_disposition);
	free(out.set_cookie);
	return ret;
}

/* Runs first for each request, with the raw URI: our own context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	cb_server *srv = cls;
	conn_ctx *cx = calloc(1, sizeof *cx);
	(void)c;
	if (!cx)
		return NULL;
	cb_buf_init(&cx->body, srv->cfg.max_body + 1);
	cx->uri = strdup(uri ? uri : "/");
	clock_gettime(CLOCK_MONOTONIC, &cx->t0);
	return cx;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	conn_ctx *cx = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (!cx)
		return;
	cb_buf_free(&cx->body);
	free(cx->uri);
	free(cx);
	*con_cls = NULL;
}

/* The path decoding is ours (dispatch); MHD must leave the URI alone. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* ---- start and stop ----------------------------------------------------- */

static int parse_listen(struct sockaddr_storage *ss, socklen_t *sl, int *loopback,
			const char *listen, cb_error *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	long port;
	char *end;
	size_t hl;
	memset(ss, 0, sizeof *ss);
	if (!colon || colon == listen)
		return cb_fail(err, CB_EINVAL, "--listen %s: give ADDRESS:PORT, e.g. 127.0.0.1:8080", listen);
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return cb_fail(err, CB_EINVAL, "--listen %s: the port must be 1-65535", listen);
	hl = (size_t)(colon - listen);
	if (listen[0] == '[' && hl >= 2 && listen[hl - 1] == ']') {
		listen++;
		hl -= 2;
	}
	if (hl >= sizeof host)
		return cb_fail(err, CB_EINVAL, "--listen %s: address too long", listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*sl = sizeof *v4;
		*loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*sl = sizeof *v6;
		*loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
	} else {
		return cb_fail(err, CB_EINVAL, "--listen %s: '%s' is not an IP address", listen, host);
	}
	return CB_OK;
}

static void find_assets(cb_server *srv)
{
	const char *a = srv->cfg.assets_dir;
	if (!a || !*a)
		a = getenv("CASEBOOK_ASSETS");
#ifdef CB_SOURCE_DIR
	if (!a || !*a)
		a = CB_SOURCE_DIR "/web/node_modules";
#endif
	if (!a || !*a)
		a = "web/node_modules";
	snprintf(srv->assets, sizeof srv->assets, "%s", a);
}

int cb_serve_run(cb_store *st, const cb_serve_config *cfg, cb_error *err)
{
	cb_server srv;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	int loopback = 0, rc = CB_OK, lock_ok = 0, wlock_ok = 0;
	char *cert = NULL, *key = NULL;
	size_t n;
	struct MHD_Daemon *d = NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	sigset_t stopset, oldmask;
	int sig, mask_set = 0;

	memset(&srv, 0, sizeof srv);
	srv.st = st;
	if (cfg)
		srv.cfg = *cfg;
	if (!srv.cfg.listen)
		srv.cfg.listen = "127.0.0.1:8080";
	if (!srv.cfg.threads) {
		/* One per core: each thread answers its connections one request
		 * at a time, so more threads than cores only time-slice slow
		 * searches against each other (bench/serve, 2 cores, search at
		 * 16 connections: 2 threads p99 63 ms, 4 threads 103, 16 threads
		 * 122, at the same throughput). At least 2, so that one slow
		 * request does not hold every connection. */
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		srv.cfg.threads = cores < 2 ? 2 : cores > 16 ? 16 : (unsigned)cores;
	}
	if (!srv.cfg.max_body)
		srv.cfg.max_body = 32u << 20;
	if (!srv.cfg.session_ttl)
		srv.cfg.session_ttl = 8 * 3600;
	find_assets(&srv);

	if ((rc = parse_listen(&ss, &sl, &loopback, srv.cfg.listen, err)) < 0)
		return rc;
	if (!!srv.cfg.tls_cert != !!srv.cfg.tls_key)
		return cb_fail(err, CB_EINVAL, "give both --tls-cert and --tls-key, or neither");
	srv.tls = srv.cfg.tls_cert != NULL;
	if (!loopback && !srv.tls)
		return cb_fail(err, CB_EINVAL,
			       "--listen %s: not a loopback address; serving beyond this machine needs "
			       "--tls-cert and --tls-key",
			       srv.cfg.listen);
	if (srv.tls) {
		if ((rc = cb_read_file(&cert, &n, srv.cfg.tls_cert, 1 << 20, err)) < 0 ||
		    (rc = cb_read_file(&key, &n, srv.cfg.tls_key, 1 << 20, err)) < 0)
			goto done;
		flags |= MHD_USE_TLS;
	}
	if (pthread_mutex_init(&srv.lock, NULL)) {
		rc = cb_fail(err, CB_ERR, "cannot create a lock");
		goto done;
	}
	lock_ok = 1;
	if ((rc = cb_sessions_new(&srv.sessions, err)) < 0)
		goto done;
	if (pthread_mutex_init(&srv.wlock, NULL) || !(srv.wslot = cb_keys_slot_new())) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	wlock_ok = 1;
	/* a read handle per thread (each with an 8 MiB page cache) */
	if (!(srv.readers = calloc(srv.cfg.threads, sizeof *srv.readers)) ||
	    !(srv.rlocks = calloc(srv.cfg.threads, sizeof *srv.rlocks)) ||
	    !(srv.rslots = calloc(srv.cfg.threads, sizeof *srv.rslots))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (; srv.nreaders < srv.cfg.threads; srv.nreaders++) {
		unsigned i = srv.nreaders;
		if ((rc = cb_store_clone(&srv.readers[i], st, 8192, err)) < 0)
			goto done;
		if (!(srv.rslots[i] = cb_keys_slot_new())) {
			cb_store_close(srv.readers[i]);
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		pthread_mutex_init(&srv.rlocks[i], NULL);
	}

	/* The pool's threads inherit a mask that blocks the stop signals, so
	 * that they reach sigwait below and not a worker. */
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stopset, &oldmask);
	mask_set = 1;
	if (srv.tls)
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR,
				     (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
				     srv.cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				     MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
				     MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, &srv,
				     MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
				     MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR,
				     (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
				     srv.cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				     MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
				     MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, &srv,
				     MHD_OPTION_END);
	if (!d) {
		rc = cb_fail(err, CB_EIO, "cannot listen on %s: %s", srv.cfg.listen,
			     errno ? strerror(errno) : "libmicrohttpd refused (address in use?)");
		goto done;
	}

	printf("casebook: serving %s://%s/ (store %s; Ctrl-C stops)\n", srv.tls ? "https" : "http",
	       srv.cfg.listen, cb_store_dir(st));
	fflush(stdout);
	while (sigwait(&stopset, &sig) != 0)
		;
	MHD_stop_daemon(d);
	cb_api_cleanup();
	cb_map_cleanup();
	if (!srv.cfg.quiet)
		fprintf(stderr, "casebook: stopped\n");
done:
	if (mask_set)
		pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	for (unsigned i = 0; i < srv.nreaders; i++) {
		cb_store_close(srv.readers[i]);
		cb_keys_free(srv.rslots[i]);
		pthread_mutex_destroy(&srv.rlocks[i]);
	}
	free(srv.readers);
	free(srv.rlocks);
	free(srv.rslots);
	if (wlock_ok)
		pthread_mutex_destroy(&srv.wlock);
	cb_keys_free(srv.wslot);
	if (srv.sessions)
		cb_sessions_free(srv.sessions);
	if (lock_ok)
		pthread_mutex_destroy(&srv.lock);
	if (key) {
		sodium_memzero(key, strlen(key));
		free(key);
	}
	free(cert);
	return rc;
}
