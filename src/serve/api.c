/*
 * api.c: the JSON API under /api/ (docs/api.md). Each handler reads its
 * parameters, calls the same library function the CLI calls, and answers
 * its JSON; a library error becomes its HTTP status with the library's
 * message. What a viewer reads has people's names masked by pseudonym
 * (cb_store_mask_json/_text), as on the command line.
 */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/extract.h"
#include "code/gazetteer.h"
#include "collect/ingest.h"
#include "export/export.h"
#include "protect/keyring.h"
#include "search/search.h"
#include "serve/serve_int.h"

/* ---- shared pieces ---------------------------------------------------- */

static int is_viewer(const cb_req *r)
{
	return !r->session || r->session->role == CB_ROLE_VIEWER;
}

static int fail(const cb_req *r, cb_resp *out, int code, const cb_error *err)
{
	return cb_resp_error(r, out, cb_http_status(code), "%s", err->msg[0] ? err->msg : cb_code_name(code));
}

/* Masks people's names in v for viewers (holders see them). */
static int mask_for(const cb_req *r, json_t *v, cb_error *err)
{
	if (!is_viewer(r))
		return CB_OK;
	return cb_store_mask_json(r->st, v, NULL, err);
}

static int mask_string_member(const cb_req *r, json_t *o, const char *key, cb_error *err)
{
	const char *s = json_string_value(json_object_get(o, key));
	char *m = NULL;
	int rc;
	if (!s || !is_viewer(r))
		return CB_OK;
	if ((rc = cb_store_mask_text(r->st, &m, s, NULL, err)) < 0)
		return rc;
	json_object_set_new(o, key, json_string(m));
	free(m);
	return CB_OK;
}

/* A positive integer id from the path after prefix ("/api/events/12/edit"
 * gives 12 and rest "/edit"); -1 if there is none. */
static long long path_id(const char *path, const char *prefix, const char **rest)
{
	const char *p = path + strlen(prefix);
	long long v = 0;
	if (*p < '1' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (v > 100000000000LL)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	if (rest)
		*rest = p;
	else if (*p)
		return -1;
	return v;
}

/* An integer query parameter in [lo, hi], def if absent; -1 if bad. */
static long qint(const cb_req *r, const char *name, long def, long lo, long hi)
{
	const char *v = cb_req_query(r, name);
	char *end;
	long n;
	if (!v || !*v)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || n < lo || n > hi)
		return -1;
	return n;
}

/* The request body as a JSON object, or NULL with a 400 answered. */
static json_t *json_body(const cb_req *r, cb_resp *out)
{
	json_error_t je;
	json_t *v;
	if (!r->body_len) {
		cb_resp_error(r, out, 400, "the request needs a JSON object body");
		return NULL;
	}
	v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		cb_resp_error(r, out, 400, "malformed JSON at line %d: %s", je.line, je.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		cb_resp_error(r, out, 400, "the body must be a JSON object");
		return NULL;
	}
	return v;
}

static int is_json_request(const cb_req *r)
{
	return r->content_type && !strncasecmp(r->content_type, "application/json", 16);
}

/* ---- documents ------------------------------------------------------- */

static int documents_list(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *page = NULL, *d;
	long limit = qint(r, "limit", 50, 1, 1000), offset = qint(r, "offset", 0, 0, 1L << 40);
	int64_t total = 0;
	size_t i;
	int rc;
	if (limit < 0 || offset < 0)
		return cb_resp_error(r, out, 400, "limit must be 1-1000 and offset 0 or more");
	if ((rc = cb_store_page_documents(r->st, &page, &total, offset, limit, &err)) < 0)
		return fail(r, out, rc, &err);
	json_array_foreach(page, i, d) {
		if ((rc = mask_string_member(r, d, "title", &err)) < 0) {
			json_decref(page);
			return fail(r, out, rc, &err);
		}
	}
	return cb_resp_json(out, 200,
			    json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "offset",
				      (json_int_t)offset, "limit", (json_int_t)limit, "documents", page));
}

static int document_get(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *doc = NULL, *events = NULL, *stats = NULL;
	cb_event_filter f = {0};
	long long id = path_id(r->path, "/api/documents/", NULL);
	int rc;
	if (id < 0)
		return cb_resp_error(r, out, 404, "%s: no such document (give a numeric id)", r->path);
	f.doc_id = id;
	if ((rc = cb_store_get_document(r->st, &doc, id, 1, &err)) < 0 ||
	    (rc = cb_store_list_events(r->st, &events, &f, &err)) < 0 ||
	    (rc = cb_store_list_statistics(r->st, &stats, id, &err)) < 0 ||
	    (rc = mask_for(r, doc, &err)) < 0 || (rc = mask_for(r, events, &err)) < 0) {
		json_decref(doc);
		json_decref(events);
		json_decref(stats);
		return fail(r, out, rc, &err);
	}
	return cb_resp_json(out, 200,
			    json_pack("{s:o,s:o,s:o}", "document", doc, "events", events, "statistics",
				      stats));
}

/* The extractor and the gazetteer, built once (their tables take a while)
 * and shared by the threads: both are read-only once built. One once for
 * both, as the extractor holds the gazetteer too. */
static cb_extractor *g_extractor;
static cb_gazetteer *g_gazetteer;
static pthread_once_t g_extractor_once = PTHREAD_ONCE_INIT;
static void extractor_init(void)
{
	if (cb_extractor_new(&g_extractor, NULL) < 0)
		g_extractor = NULL;
	if (cb_gazetteer_new(&g_gazetteer, NULL) < 0)
		g_gazetteer = NULL;
}

/* The gazetteer for place lookups, built once and shared by the threads
 * (read-only once built). */

void cb_api_cleanup(void)
{
	cb_extractor_free(g_extractor);
	g_extractor = NULL;
	cb_gazetteer_free(g_gazetteer);
	g_gazetteer = NULL;
}

static const char *ingest_status_name(cb_ingest_status s)
{
	return s == CB_INGEST_NEW ? "new" : s == CB_INGEST_DUPLICATE ? "duplicate" : "near-duplicate";
}

/* POST /api/documents: multipart, one or more "file" parts, with optional
 * "outlet" and "url". Each file is its own transaction, as in the CLI. */
int cb_api_upload(const cb_req *r, cb_resp *out, json_t **results)
{
	cb_ingest_opts io = {0};
	json_t *res = json_array();
	size_t nfiles = 0, ok = 0;
	const cb_field *f;

	*results = NULL;
	pthread_once(&g_extractor_once, extractor_init);
	io.x = g_extractor;
	if ((f = cb_req_field(r, "outlet")) && *f->data)
		io.outlet = f->data;
	if ((f = cb_req_field(r, "url")) && *f->data)
		io.url = f->data;
	for (size_t i = 0; i < r->nfields; i++) {
		const cb_field *ff = &r->fields[i];
		cb_ingest_result ir;
		cb_error err = CB_ERROR_INIT;
		int rc;
		if (!ff->filename || strcmp(ff->name, "file"))
			continue;
		nfiles++;
		if (!*ff->filename) {
			if (!ff->len) {
				nfiles--; /* an empty file input: nothing chosen */
				continue;
			}
		}
		memset(&ir, 0, sizeof ir);
		if ((rc = cb_store_begin(r->st, &err)) < 0 ||
		    (rc = cb_ingest_bytes(&ir, r->st, *ff->filename ? ff->filename : "upload.txt",
					  ff->data, ff->len, &io, &err)) < 0 ||
		    (rc = cb_store_commit(r->st, &err)) < 0) {
			cb_store_rollback(r->st);
			json_array_append_new(res, json_pack("{s:s,s:s,s:s}", "name", ff->filename,
							     "status", "failed", "error", err.msg));
			continue;
		}
		ok++;
		json_array_append_new(res, json_pack("{s:s,s:s,s:I,s:i}", "name", ff->filename, "status",
						     ingest_status_name(ir.status), "document",
						     (json_int_t)ir.doc_id, "events", ir.n_events));
	}
	if (!nfiles) {
		json_decref(res);
		return cb_resp_error(r, out, 400, "no file: send multipart/form-data with one or more 'file' parts");
	}
	*results = res;
	return ok ? 200 : 400;
}

static int documents_upload(const cb_req *r, cb_resp *out)
{
	json_t *res = NULL;
	int status = cb_api_upload(r, out, &res);
	if (!res)
		return CB_OK; /* answered */
	return cb_resp_json(out, status, json_pack("{s:o}", "results", res));
}

/* ---- search ---------------------------------------------------------- */

/* Runs cb_search_facets, retrying a query that is not FTS5 as words. */
static int facets_of(json_t **out, cb_store *st, cb_search_query *q, cb_error *err)
{
	int rc = cb_search_facets(out, st, q, err);
	if (rc == CB_ESTORE && q->text) {
		/* the words of the query, quoted, as cb_search does */
		cb_buf b = CB_BUF_INIT;
		const char *t = q->text;
		for (const unsigned char *p = (const unsigned char *)t; *p;) {
			if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
			    *p >= 0x80) {
				cb_buf_putc(&b, '"', NULL);
				while ((*p >= '0' && *p <= '9') ||
				       ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p >= 0x80)
					cb_buf_putc(&b, (char)*p++, NULL);
				cb_buf_puts(&b, "\" ", NULL);
			} else {
				p++;
			}
		}
		cb_error_clear(err);
		q->text = b.ptr ? b.ptr : "";
		rc = b.ptr ? cb_search_facets(out, st, q, err) : CB_OK;
		if (!b.ptr)
			*out = json_object();
		q->text = t;
		cb_buf_free(&b);
	}
	return rc;
}

int cb_api_search(const cb_req *r, json_t **out, cb_error *err)
{
	cb_search_query q = {0};
	json_t *hits = NULL, *facets = NULL, *h;
	long limit = qint(r, "limit", 20, 1, 200), offset = qint(r, "offset", 0, 0, 100000);
	size_t i;
	int rc;
	*out = NULL;
	if (limit < 0 || offset < 0)
		return cb_fail(err, CB_EINVAL, "limit must be 1-200 and offset 0-100000");
	q.text = cb_req_query(r, "q");
	q.outlet = cb_req_query(r, "outlet");
	q.from = cb_req_query(r, "from");
	q.to = cb_req_query(r, "to");
	if (q.outlet && !*q.outlet)
		q.outlet = NULL;
	if (q.from && !*q.from)
		q.from = NULL;
	if (q.to && !*q.to)
		q.to = NULL;
	q.limit = (int)limit;
	q.offset = (int)offset;
	if (q.text && *q.text) {
		if ((rc = cb_search(&hits, r->st, &q, err)) < 0)
			return rc;
	} else {
		q.text = NULL;
		hits = json_array();
	}
	if (!cb_req_query(r, "nofacets") && (rc = facets_of(&facets, r->st, &q, err)) < 0) {
		json_decref(hits);
		return rc;
	}
	json_array_foreach(hits, i, h) {
		if ((rc = mask_string_member(r, h, "title", err)) < 0 ||
		    (rc = mask_string_member(r, h, "snippet", err)) < 0) {
			json_decref(hits);
			json_decref(facets);
			return rc;
		}
	}
	*out = json_pack("{s:s?,s:o,s:o}", "query", q.text, "results", hits, "facets",
			 facets ? facets : json_object());
	return *out ? CB_OK : cb_fail(err, CB_ENOMEM, "out of memory");
}

static int search(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *v;
	int rc = cb_api_search(r, &v, &err);
	if (rc < 0)
		return fail(r, out, rc, &err);
	return cb_resp_json(out, 200, v);
}

/* ---- events ------------------------------------------------------------ */

/* The filter from the query string (strings borrowed from r). */
int cb_api_event_filter(const cb_req *r, cb_event_filter *f, cb_error *err)
{
	static const char *const STATUS[] = {"proposed", "accepted", "rejected", NULL};
	const char *doc = cb_req_query(r, "document");
	long limit = qint(r, "limit", 500, 1, 100000);
	memset(f, 0, sizeof *f);
	f->type = cb_req_query(r, "type");
	f->status = cb_req_query(r, "status");
	f->admin1 = cb_req_query(r, "admin1");
	f->from = cb_req_query(r, "from");
	f->to = cb_req_query(r, "to");
	if (f->type && !*f->type)
		f->type = NULL;
	if (f->admin1 && !*f->admin1)
		f->admin1 = NULL;
	if (f->from && !*f->from)
		f->from = NULL;
	if (f->to && !*f->to)
		f->to = NULL;
	if (f->status && !*f->status)
		f->status = NULL;
	if (f->status) {
		int ok = 0;
		for (size_t i = 0; STATUS[i]; i++)
			ok |= !strcmp(f->status, STATUS[i]);
		if (!ok)
			return cb_fail(err, CB_EINVAL, "status must be proposed, accepted or rejected");
	}
	if (limit < 0)
		return cb_fail(err, CB_EINVAL, "limit must be 1-100000");
	f->limit = (int)limit;
	if (doc && *doc) {
		long long id = path_id(doc, "", NULL);
		if (id < 0)
			return cb_fail(err, CB_EINVAL, "document must be a numeric id");
		f->doc_id = id;
	}
	return CB_OK;
}

static int events_list(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	cb_event_filter f;
	json_t *events = NULL;
	int rc;
	if ((rc = cb_api_event_filter(r, &f, &err)) < 0 ||
	    (rc = cb_store_list_events(r->st, &events, &f, &err)) < 0 ||
	    (rc = mask_for(r, events, &err)) < 0) {
		json_decref(events);
		return fail(r, out, rc, &err);
	}
	return cb_resp_json(out, 200, json_pack("{s:o}", "events", events));
}

static int event_get(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *ev = NULL, *persons = NULL, *wrap;
	long long id = path_id(r->path, "/api/events/", NULL);
	int rc;
	if (id < 0)
		return cb_resp_error(r, out, 404, "%s: no such event (give a numeric id)", r->path);
	if ((rc = cb_store_get_event(r->st, &ev, id, &err)) < 0 ||
	    (rc = cb_store_event_persons(r->st, &persons, id, &err)) < 0) {
		json_decref(ev);
		return fail(r, out, rc, &err);
	}
	json_object_set_new(ev, "persons", persons);
	wrap = json_pack("[O]", ev);
	rc = mask_for(r, wrap, &err);
	json_decref(wrap);
	if (rc < 0) {
		json_decref(ev);
		return fail(r, out, rc, &err);
	}
	return cb_resp_json(out, 200, ev);
}

/* POST /api/events/ID/review {"status"} and /api/events/ID/edit
 * {"field": "value", ...} (every field in one transaction). Form bodies
 * work too (status=..., or field=value pairs), for pages without JS. */
static int event_change(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	const char *rest = NULL;
	long long id = path_id(r->path, "/api/events/", &rest);
	json_t *body = NULL, *ev = NULL, *v;
	const char *key;
	int rc = CB_OK;

	if (id < 0 || !rest || (strcmp(rest, "/review") && strcmp(rest, "/edit")))
		return cb_resp_error(r, out, 404, "%s: not found (POST /api/events/ID/review or /edit)",
				     r->path);
	if (is_json_request(r)) {
		if (!(body = json_body(r, out)))
			return CB_OK;
	} else {
		body = json_object();
		for (size_t i = 0; i < r->nfields; i++)
			if (strcmp(r->fields[i].name, "csrf") && !r->fields[i].filename)
				json_object_set_new(body, r->fields[i].name, json_string(r->fields[i].data));
	}
	if (!strcmp(rest, "/review")) {
		const char *status = json_string_value(json_object_get(body, "status"));
		if (!status) {
			json_decref(body);
			return cb_resp_error(r, out, 400, "give \"status\": accepted, rejected or proposed");
		}
		rc = cb_store_review_event(r->st, id, status, &err);
	} else {
		if (!json_object_size(body)) {
			json_decref(body);
			return cb_resp_error(r, out, 400, "give the fields to change, e.g. {\"type\": \"arrest\"}");
		}
		if ((rc = cb_store_begin(r->st, &err)) == CB_OK) {
			json_object_foreach(body, key, v) {
				char num[64];
				const char *val;
				if (json_is_string(v))
					val = json_string_value(v);
				else if (json_is_null(v))
					val = "null";
				else if (json_is_integer(v))
					snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), val = num;
				else if (json_is_real(v))
					snprintf(num, sizeof num, "%g", json_real_value(v)), val = num;
				else
					val = NULL;
				char *dumped = NULL;
				if (!val && (json_is_array(v) || json_is_object(v)))
					val = dumped = json_dumps(v, JSON_COMPACT);
				if (!val)
					rc = cb_fail(&err, CB_EINVAL, "%s: give a string, number or null", key);
				else
					rc = cb_store_edit_event(r->st, id, key, val, &err);
				free(dumped);
				if (rc < 0)
					break;
			}
			if (rc < 0)
				cb_store_rollback(r->st);
			else
				rc = cb_store_commit(r->st, &err);
		}
	}
	json_decref(body);
	if (rc < 0)
		return fail(r, out, rc, &err);
	if ((rc = cb_store_get_event(r->st, &ev, id, &err)) < 0)
		return fail(r, out, rc, &err);
	return cb_resp_json(out, 200, ev);
}

/* ---- incidents, statistics, gazetteer, users ---------------------------- */

static int incidents(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	cb_event_filter f = {0};
	json_t *events = NULL, *by = json_object(), *list = json_array(), *e, *v;
	const char *key;
	size_t i;
	int rc;
	if ((rc = cb_store_list_events(r->st, &events, &f, &err)) < 0 ||
	    (rc = mask_for(r, events, &err)) < 0) {
		json_decref(events);
		json_decref(by);
		json_decref(list);
		return fail(r, out, rc, &err);
	}
	json_array_foreach(events, i, e) {
		json_t *inc = json_object_get(e, "incident");
		char k[32];
		if (!json_is_integer(inc))
			continue;
		snprintf(k, sizeof k, "%lld", (long long)json_integer_value(inc));
		if (!(v = json_object_get(by, k))) {
			v = json_pack("{s:I,s:[]}", "id", (json_int_t)json_integer_value(inc), "events");
			json_object_set_new(by, k, v);
		}
		json_array_append(json_object_get(v, "events"), e);
	}
	json_object_foreach(by, key, v) json_array_append(list, v);
	json_decref(by);
	json_decref(events);
	return cb_resp_json(out, 200, json_pack("{s:o}", "incidents", list));
}

static int statistics(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *stats = NULL;
	const char *doc = cb_req_query(r, "document");
	long long id = 0;
	int rc;
	if (doc && *doc && (id = path_id(doc, "", NULL)) < 0)
		return cb_resp_error(r, out, 400, "document must be a numeric id");
	if ((rc = cb_store_list_statistics(r->st, &stats, id, &err)) < 0)
		return fail(r, out, rc, &err);
	return cb_resp_json(out, 200, json_pack("{s:o}", "statistics", stats));
}

static int gazetteer(const cb_req *r, cb_resp *out)
{
	static const char *const KIND[] = {"country", "admin1", "city"};
	const cb_place *p;
	const char *q = cb_req_query(r, "q");
	if (!q || !*q || strlen(q) > 200)
		return cb_resp_error(r, out, 400, "give q, a place name (at most 200 bytes)");
	pthread_once(&g_extractor_once, extractor_init);
	if (!g_gazetteer)
		return cb_resp_error(r, out, 500, "the gazetteer could not be built");
	p = cb_gazetteer_lookup(g_gazetteer, q, strlen(q));
	if (!p)
		return cb_resp_error(r, out, 404, "'%s': no such place in the gazetteer", q);
	return cb_resp_json(out, 200,
			    json_pack("{s:s,s:s?,s:s,s:s,s:I}", "name", p->name, "admin1", p->admin1,
				      "country", p->country, "kind", KIND[p->kind], "population",
				      (json_int_t)p->population));
}

static int users(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *u = NULL;
	int rc;
	if (r->session->role != CB_ROLE_OWNER)
		return cb_resp_error(r, out, 403, "only owners see the users");
	if ((rc = cb_store_list_users(r->st, &u, &err)) < 0)
		return fail(r, out, rc, &err);
	return cb_resp_json(out, 200, json_pack("{s:o}", "users", u));
}

/* ---- export ------------------------------------------------------------ */

int cb_api_export(const cb_req *r, cb_resp *out)
{
	static const char *const WHAT[] = {"events", "documents", "persons", NULL};
	cb_error err = CB_ERROR_INIT;
	cb_export_redaction red = {0};
	cb_event_filter f;
	const char *what = cb_req_query(r, "what"), *fmt = cb_req_query(r, "format");
	const char *inc = cb_req_query(r, "include_protected");
	char *buf = NULL, cd[128];
	size_t len = 0, w;
	FILE *mem;
	int rc, csv;

	if (!what)
		what = "events";
	if (!fmt)
		fmt = "json";
	for (w = 0; WHAT[w] && strcmp(WHAT[w], what); w++)
		;
	if (!WHAT[w])
		return cb_resp_error(r, out, 400, "what must be events, documents or persons");
	if (strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return cb_resp_error(r, out, 400, "format must be csv or json");
	csv = !strcmp(fmt, "csv");
	red.include_protected = inc && (!strcmp(inc, "1") || !strcmp(inc, "true"));
	if (red.include_protected && is_viewer(r))
		return cb_resp_error(r, out, 403, "viewers cannot export protected fields");
	if ((rc = cb_api_event_filter(r, &f, &err)) < 0)
		return fail(r, out, rc, &err);
	if (!(mem = open_memstream(&buf, &len)))
		return cb_resp_error(r, out, 500, "out of memory");
	if (w == 0)
		rc = cb_export_events(r->st, mem, csv ? CB_EXPORT_CSV : CB_EXPORT_JSON, &f, &red, &err);
	else if (w == 1)
		rc = cb_export_documents(r->st, mem, csv ? CB_EXPORT_CSV : CB_EXPORT_JSON, &red, &err);
	else
		rc = cb_export_persons(r->st, mem, csv ? CB_EXPORT_CSV : CB_EXPORT_JSON, &red, &err);
	fclose(mem);
	if (rc < 0) {
		free(buf);
		return fail(r, out, rc, &err);
	}
	out->status = 200;
	out->content_type = csv ? "text/csv; charset=utf-8" : "application/json";
	snprintf(cd, sizeof cd, "attachment; filename=\"casebook-%s.%s\"", what, fmt);
	out->content_disposition = strdup(cd);
	rc = cb_buf_put(&out->body, buf, len, NULL);
	free(buf);
	return rc;
}

const cb_route cb_api_routes[] = {
	{"GET", "/api/documents", documents_list, CB_ROUTE_API},
	{"POST", "/api/documents", documents_upload, CB_ROUTE_API | CB_ROUTE_WRITE},
	{"GET", "/api/documents/", document_get, CB_ROUTE_API | CB_ROUTE_PREFIX},
	{"GET", "/api/search", search, CB_ROUTE_API},
	{"GET", "/api/events", events_list, CB_ROUTE_API},
	{"GET", "/api/events/", event_get, CB_ROUTE_API | CB_ROUTE_PREFIX},
	{"POST", "/api/events/", event_change, CB_ROUTE_API | CB_ROUTE_WRITE | CB_ROUTE_PREFIX},
	{"GET", "/api/incidents", incidents, CB_ROUTE_API},
	{"GET", "/api/statistics", statistics, CB_ROUTE_API},
	{"GET", "/api/export", cb_api_export, CB_ROUTE_API},
	{"GET", "/api/gazetteer", gazetteer, CB_ROUTE_API},
	{"GET", "/api/users", users, CB_ROUTE_API},
	{NULL, NULL, NULL, 0},
};
