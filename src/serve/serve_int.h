/*
 * serve_int.h: what the files of src/serve/ share. The server core
 * (server.c: libmicrohttpd, body limits, routing; session.c: sign-in,
 * cookies, CSRF, throttling) turns each HTTP request into a cb_req, calls
 * one handler, and sends the cb_resp it filled. Handlers live in api.c
 * (JSON under /api/) and pages*.c (HTML); they never touch libmicrohttpd.
 *
 * A handler runs with the store locked for it and set to act as the
 * signed-in user (cb_store_act_as), so every store call it makes is checked
 * against that user's role and logged under that user's key.
 *
 * Ownership: a cb_req and everything it points to belong to the core and
 * live for the handler call only. A handler writes its output into the
 * cb_resp it is given (body is a cb_buf it appends to); the core frees it.
 */
#ifndef CB_SERVE_INT_H
#define CB_SERVE_INT_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "serve/serve.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct cb_server cb_server;

/* A signed-in person. */
typedef struct cb_session {
	char user[65];
	int role;          /* CB_ROLE_OWNER, _EDITOR, _VIEWER */
	char csrf[48];     /* the token every state-changing request must carry */
} cb_session;

/* One uploaded file or form field of a POST body (urlencoded or
 * multipart/form-data). */
typedef struct cb_field {
	const char *name;
	const char *filename; /* NULL for a plain field */
	const char *data;     /* NUL-terminated; len bytes */
	size_t len;
} cb_field;

typedef struct cb_req {
	cb_server *srv;
	cb_store *st;             /* acting as session->user; NULL if no session */
	const cb_session *session; /* NULL if not signed in */
	const char *method;       /* "GET", "POST", ... */
	const char *path;         /* decoded, without the query string */
	const char *body;         /* raw body, NUL-terminated (len body_len) */
	size_t body_len;
	const char *content_type; /* may be NULL */
	const cb_field *fields;   /* parsed form fields and uploads */
	size_t nfields;
	void *conn;               /* the core's; handlers pass it back only */
} cb_req;

typedef struct cb_resp {
	int status;               /* 200 unless set */
	const char *content_type; /* static string; NULL = text/html; charset=utf-8 */
	cb_buf body;
	char *location;           /* malloc'd; set with status 303 for redirects */
	char *content_disposition; /* malloc'd; downloads */
	char *set_cookie;         /* malloc'd; the session cookie (session.c) */
	int cacheable;            /* static files: may be cached; else no-store */
} cb_resp;

/* A query-string argument (URL-decoded), or NULL. */
const char *cb_req_query(const cb_req *r, const char *name);
/* A form field (POST body) by name, or NULL. The first of that name. */
const cb_field *cb_req_field(const cb_req *r, const char *name);
/* The value of a form field, else of the query argument, else NULL. */
const char *cb_req_param(const cb_req *r, const char *name);

/* Sets a JSON body: v is stolen (decref'd here). */
int cb_resp_json(cb_resp *out, int status, json_t *v);
/* An error as JSON {"error": {"status": N, "message": "..."}} (API) or as an
 * HTML page (pages), by the request's path. Returns CB_OK so handlers can
 * `return cb_resp_error(...)`. */
int cb_resp_error(const cb_req *r, cb_resp *out, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The HTTP status for a library error code (CB_ENOTFOUND 404, CB_EINVAL and
 * CB_EFORMAT 400, CB_ETOOBIG 413, CB_EAUTH 403, others 500). */
int cb_http_status(int code);
/* 303 See Other to location (copied). */
int cb_resp_redirect(cb_resp *out, const char *location);

/* HTML-escapes s (NULL = nothing) onto b: & < > " '. */
int cb_html_escape(cb_buf *b, const char *s, cb_error *err);

typedef int (*cb_handler)(const cb_req *r, cb_resp *out);

/* Route flags. */
enum {
	CB_ROUTE_PUBLIC = 1,  /* no sign-in needed (sign-in page, static files) */
	CB_ROUTE_WRITE = 2,   /* changes state: needs the CSRF token and a role
			       * above viewer */
	CB_ROUTE_API = 4,     /* answers JSON, errors as JSON */
	CB_ROUTE_PREFIX = 8   /* pattern is a prefix ("/reports/" matches
			       * "/reports/12") */
};

typedef struct cb_route {
	const char *method;
	const char *pattern;
	cb_handler fn;
	int flags;
} cb_route;

/* The route tables (api.c, pages.c), each ended by an entry with fn NULL. */
extern const cb_route cb_api_routes[];
extern const cb_route cb_page_routes[];

/* The front-end packages folder (config assets_dir), for the map. */
const char *cb_server_assets_dir(const cb_server *srv);

/* ---- what pages share with the API (api.c) ---------------------------- */

/* Upload: ingests the request's "file" parts (with "outlet", "url"), each in
 * its own transaction; *results gets [{"name", "status" (new, duplicate,
 * near-duplicate, failed), "document", "events", "error"}] and the return is
 * the HTTP status (200 if any file went in, else 400). With no file at all
 * it answers out itself and leaves *results NULL. */
int cb_api_upload(const cb_req *r, cb_resp *out, json_t **results);
/* Search from the query string (q, outlet, from, to, limit, offset):
 * {"query", "results": [...], "facets": {...}}, masked for viewers. */
int cb_api_search(const cb_req *r, json_t **out, cb_error *err);
/* An event filter from the query string (type, status, admin1, from, to,
 * document, limit); strings borrowed from r. */
int cb_api_event_filter(const cb_req *r, cb_event_filter *f, cb_error *err);
/* GET export (what, format, include_protected, event filters) into out. */
int cb_api_export(const cb_req *r, cb_resp *out);
/* Frees what the API built once (the extractor); at server stop. */
void cb_api_cleanup(void);

/* ---- the core's own parts (server.c, session.c) ------------------------ */

/* The store, locked for one request at a time. */
void cb_server_lock(cb_server *srv);
void cb_server_unlock(cb_server *srv);
cb_store *cb_server_store(cb_server *srv);
int cb_server_tls(const cb_server *srv);
unsigned cb_server_session_ttl(const cb_server *srv);

/* Sessions (session.c). The table lives in the server; its functions that
 * touch it are called with the server locked, except sign-in's passphrase
 * check, which runs unlocked (Argon2id takes a while). */
typedef struct cb_sessions cb_sessions;
int cb_sessions_new(cb_sessions **out, cb_error *err);
void cb_sessions_free(cb_sessions *s);
/* The session of cookie value id, or NULL (expired ones are dropped); its
 * keys in *keys (borrowed while the server is locked). */
const cb_session *cb_sessions_find(cb_sessions *s, const char *id, cb_keys **keys,
				   unsigned ttl);
cb_sessions *cb_server_sessions(cb_server *srv);

/* POST /signin (form) and /api/signin (JSON), POST /signout and
 * /api/signout, GET /api/session. client is the peer's address as text,
 * for throttling. Called unlocked; they lock what they need. */
int cb_session_signin(cb_server *srv, const cb_req *r, const char *client, cb_resp *out);
int cb_session_signout(cb_server *srv, const cb_req *r, const char *cookie_id, cb_resp *out);
int cb_session_info(const cb_req *r, cb_resp *out);

#endif
