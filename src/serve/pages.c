/*
 * pages.c: the HTML pages of the web workspace - reports (search, facets,
 * upload, one report with its events over the text), the review queue, and
 * the record (table, timeline, map). Pages are whole HTML from the server
 * and work without JavaScript; /static/app.js only adds keyboard shortcuts.
 *
 * Every query goes through the same library calls as the CLI and the API
 * (api.c's cb_api_* for search, upload and export); a page only lays out
 * what they return. Text a viewer reads has people's names masked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protect/keyring.h"
#include "serve/map.h"
#include "serve/serve_int.h"
#include "util/utf8.h"

static const char *const TYPES[] = {"trafficking", "arrest", "detention", "interrogation",
				    "surveillance", "sentencing", "repatriation", "abuse",
				    "escape", "release", "policy", "death", NULL};

/* ---- building blocks ----------------------------------------------------- */

static void put(cb_resp *out, const char *s) { cb_buf_puts(&out->body, s, NULL); }
static void esc(cb_resp *out, const char *s) { cb_html_escape(&out->body, s, NULL); }
static void putf(cb_resp *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(cb_resp *out, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(out, tmp);
}

static int viewer(const cb_req *r)
{
	return !r->session || r->session->role == CB_ROLE_VIEWER;
}

/* URL-encodes s for a query string. */
static void url_enc(cb_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
		    *p == '-' || *p == '_' || *p == '.')
			cb_buf_putc(b, (char)*p, NULL);
		else
			cb_buf_printf(b, NULL, "%%%02X", *p);
	}
}

/* Text a viewer may read: names masked (holders get s as it is). The
 * result is malloc'd. */
static char *readable(const cb_req *r, const char *s)
{
	char *m = NULL;
	if (!s)
		return NULL;
	if (!viewer(r) || cb_store_mask_text(r->st, &m, s, NULL, NULL) < 0)
		return strdup(s);
	return m;
}

static void esc_readable(cb_resp *out, const cb_req *r, const char *s)
{
	char *m = readable(r, s);
	esc(out, m);
	free(m);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void page_begin(cb_resp *out, const cb_req *r, const char *title, const char *active)
{
	out->content_type = "text/html; charset=utf-8";
	put(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<title>");
	esc(out, title);
	put(out, " · casebook</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
		 "<script src=\"/static/app.js\" defer></script></head><body>\n"
		 "<header class=\"top\"><a class=\"brand\" href=\"/reports\">casebook</a>");
	if (r->session) {
		static const char *const NAV[][2] = {{"reports", "Reports"}, {"review", "Review"},
						     {"record", "Record"}};
		put(out, "<nav>");
		for (size_t i = 0; i < 3; i++)
			putf(out, "<a href=\"/%s\"%s>%s</a>", NAV[i][0],
			     active && !strcmp(active, NAV[i][0]) ? " class=\"active\" aria-current=\"page\"" : "",
			     NAV[i][1]);
		put(out, "</nav><div class=\"who\"><span class=\"user\">");
		esc(out, r->session->user);
		putf(out, "</span> <span class=\"role role-%s\">%s</span>", cb_role_name(r->session->role),
		     cb_role_name(r->session->role));
		put(out, "<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"");
		esc(out, r->session->csrf);
		put(out, "\"><button class=\"link\">Sign out</button></form></div>");
	}
	put(out, "</header>\n<main>\n");
}

static void page_end(cb_resp *out)
{
	put(out, "</main>\n<footer>casebook · the record of what happened, and to whom, by pseudonym. "
		 "Nothing here is for finding anyone.</footer></body></html>\n");
}

static void csrf_field(cb_resp *out, const cb_req *r)
{
	put(out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(out, r->session->csrf);
	put(out, "\">");
}

static int page_error(const cb_req *r, cb_resp *out, int code, const cb_error *err)
{
	return cb_resp_error(r, out, cb_http_status(code), "%s", err->msg);
}

/* A snippet: "[" "]" around hits become <mark>; a viewer's masks
 * "[P-XXXXXXXX]" stay as pseudonyms. */
static void put_snippet(cb_resp *out, const char *s)
{
	cb_buf b = CB_BUF_INIT;
	for (const char *p = s; p && *p; p++) {
		if (*p == '[' && !strncmp(p + 1, "P-", 2) && strlen(p) >= 12 && p[11] == ']') {
			cb_buf_puts(&b, "<span class=\"pseudonym\">", NULL);
			cb_buf_put(&b, p + 1, 10, NULL);
			cb_buf_puts(&b, "</span>", NULL);
			p += 11;
		} else if (*p == '[') {
			cb_buf_puts(&b, "<mark>", NULL);
		} else if (*p == ']') {
			cb_buf_puts(&b, "</mark>", NULL);
		} else {
			char c[2] = {*p, 0};
			cb_html_escape(&b, c, NULL);
		}
	}
	if (b.ptr)
		put(out, b.ptr);
	cb_buf_free(&b);
}

/* ---- sign-in ----------------------------------------------------------- */

static int signin_page(const cb_req *r, cb_resp *out)
{
	const char *next = cb_req_query(r, "next"), *error = cb_req_query(r, "error");
	cb_req anon = *r;
	anon.session = NULL; /* the form, whoever asks */
	page_begin(out, &anon, "Sign in", NULL);
	put(out, "<section class=\"signin\"><h1>Sign in</h1>"
		 "<p class=\"hint\">Use your casebook user and passphrase (the same as on the command "
		 "line). Your role decides what you see and may change.</p>");
	if (error)
		put(out, !strcmp(error, "throttled")
				 ? "<p class=\"alert\" role=\"alert\">Too many failed sign-ins. Wait a few minutes, then try again.</p>"
				 : "<p class=\"alert\" role=\"alert\">Unknown user or wrong passphrase.</p>");
	put(out, "<form method=\"post\" action=\"/signin\" class=\"stack\">"
		 "<label>User <input name=\"user\" autocomplete=\"username\" required autofocus></label>"
		 "<label>Passphrase <input name=\"passphrase\" type=\"password\" "
		 "autocomplete=\"current-password\" required></label>"
		 "<input type=\"hidden\" name=\"next\" value=\"");
	esc(out, next && next[0] == '/' ? next : "/reports");
	put(out, "\"><button class=\"primary\">Sign in</button></form></section>");
	page_end(out);
	return CB_OK;
}

static int home(const cb_req *r, cb_resp *out)
{
	(void)r;
	return cb_resp_redirect(out, "/reports");
}

/* ---- reports --------------------------------------------------------------- */

/* A link to /reports with the current search and one parameter changed. */
static void search_link(cb_resp *out, const cb_req *r, const char *key, const char *val,
			const char *key2, const char *val2)
{
	static const char *const KEYS[] = {"q", "outlet", "from", "to", NULL};
	cb_buf b = CB_BUF_INIT;
	cb_buf_puts(&b, "/reports?", NULL);
	for (size_t i = 0; KEYS[i]; i++) {
		const char *v = cb_req_query(r, KEYS[i]);
		if (!strcmp(KEYS[i], key))
			v = val;
		else if (key2 && !strcmp(KEYS[i], key2))
			v = val2;
		if (!v || !*v)
			continue;
		cb_buf_printf(&b, NULL, "%s=", KEYS[i]);
		url_enc(&b, v);
		cb_buf_putc(&b, '&', NULL);
	}
	esc(out, b.ptr);
	cb_buf_free(&b);
}

static void put_facets(cb_resp *out, const cb_req *r, json_t *facets)
{
	static const char *const F[][2] = {{"outlet", "Outlet"}, {"year", "Year"},
					   {"type", "Event type"}, {"admin1", "Province"}};
	put(out, "<aside class=\"facets\" aria-label=\"Narrow the search\">");
	for (size_t f = 0; f < 4; f++) {
		json_t *arr = json_object_get(facets, F[f][0]), *v;
		size_t i;
		if (!json_array_size(arr))
			continue;
		putf(out, "<h3>%s</h3><ul>", F[f][1]);
		json_array_foreach(arr, i, v) {
			const char *val = jstr(v, "value");
			long long n = (long long)json_integer_value(json_object_get(v, "count"));
			char from[16], to[16];
			if (!val)
				continue;
			put(out, "<li><a href=\"");
			if (f == 0) {
				search_link(out, r, "outlet", val, NULL, NULL);
			} else if (f == 1) {
				snprintf(from, sizeof from, "%.4s-01-01", val);
				snprintf(to, sizeof to, "%.4s-12-31", val);
				search_link(out, r, "from", from, "to", to);
			} else {
				cb_buf b = CB_BUF_INIT;
				cb_buf_puts(&b, f == 2 ? "/record?status=&type=" : "/record?status=&admin1=", NULL);
				url_enc(&b, val);
				esc(out, b.ptr);
				cb_buf_free(&b);
			}
			put(out, "\">");
			esc(out, val);
			putf(out, "</a> <span class=\"n\">%lld</span></li>", n);
		}
		put(out, "</ul>");
	}
	put(out, "</aside>");
}

static void upload_form(cb_resp *out, const cb_req *r)
{
	if (viewer(r))
		return;
	put(out, "<details class=\"upload\"><summary>Add reports</summary>"
		 "<form method=\"post\" action=\"/reports/upload\" enctype=\"multipart/form-data\" class=\"stack\">");
	csrf_field(out, r);
	put(out, "<label>Files (.txt, .html) <input type=\"file\" name=\"file\" multiple required "
		 "accept=\".txt,.html,.htm,text/plain,text/html\"></label>"
		 "<label>Outlet <input name=\"outlet\" placeholder=\"as the report names it, if empty\"></label>"
		 "<label>URL <input name=\"url\" type=\"url\" placeholder=\"where it was published\"></label>"
		 "<button class=\"primary\">Upload and extract</button></form></details>");
}

static int reports(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *res = NULL, *hits, *h, *docs = NULL;
	const char *q = cb_req_query(r, "q");
	const char *fields[] = {"q", "outlet", "from", "to"};
	size_t i;
	int rc;

	if ((rc = cb_api_search(r, &res, &err)) < 0)
		return page_error(r, out, rc, &err);
	page_begin(out, r, q && *q ? q : "Reports", "reports");
	put(out, "<div class=\"bar\"><h1>Reports</h1>");
	upload_form(out, r);
	put(out, "</div><form class=\"search\" method=\"get\" action=\"/reports\" role=\"search\">");
	for (i = 0; i < 4; i++) {
		const char *v = cb_req_query(r, fields[i]);
		static const char *const LABEL[] = {"Search", "Outlet", "From", "To"};
		static const char *const TYPE[] = {"search", "text", "date", "date"};
		putf(out, "<label class=\"f-%s\">%s <input name=\"%s\" type=\"%s\" value=\"", fields[i],
		     LABEL[i], fields[i], TYPE[i]);
		esc(out, v ? v : "");
		put(out, i == 0 ? "\" placeholder=\"words, &quot;a phrase&quot;, repatriat*\"></label>" : "\"></label>");
	}
	put(out, "<button class=\"primary\">Search</button></form><div class=\"cols\">");
	put_facets(out, r, json_object_get(res, "facets"));
	put(out, "<section class=\"results\">");
	hits = json_object_get(res, "results");
	if (q && *q) {
		putf(out, "<p class=\"count\">%zu report%s shown, best match first.</p><ol class=\"hits\">",
		     json_array_size(hits), json_array_size(hits) == 1 ? "" : "s");
		json_array_foreach(hits, i, h) {
			long long id = (long long)json_integer_value(json_object_get(h, "id"));
			const char *title = jstr(h, "title");
			putf(out, "<li><a class=\"title\" href=\"/reports/%lld\">", id);
			esc(out, title && *title ? title : jstr(h, "source_name"));
			put(out, "</a><div class=\"meta\">");
			esc(out, jstr(h, "outlet") ? jstr(h, "outlet") : "outlet unknown");
			put(out, " · ");
			esc(out, jstr(h, "published") ? jstr(h, "published") : "date unknown");
			put(out, "</div><p class=\"snippet\">");
			put_snippet(out, jstr(h, "snippet"));
			put(out, "</p></li>");
		}
		put(out, "</ol>");
		if (!json_array_size(hits))
			put(out, "<p class=\"empty\">Nothing matches. Try fewer words, or a prefix such as "
				 "<code>repatriat*</code>.</p>");
	} else {
		long offset = 0;
		int64_t total = 0;
		const char *o = cb_req_query(r, "offset");
		if (o)
			offset = strtol(o, NULL, 10);
		if (offset < 0 || offset > 100000000)
			offset = 0;
		if ((rc = cb_store_page_documents(r->st, &docs, &total, offset, 50, &err)) < 0) {
			json_decref(res);
			cb_buf_reset(&out->body);
			return page_error(r, out, rc, &err);
		}
		size_t n = json_array_size(docs);
		putf(out, "<p class=\"count\">%lld report%s in the store, newest first%s.</p><ol class=\"hits\">",
		     (long long)total, total == 1 ? "" : "s", offset ? " (continued)" : "");
		for (i = 0; i < n; i++) {
			json_t *d = json_array_get(docs, i);
			long long id = (long long)json_integer_value(json_object_get(d, "id"));
			const char *title = jstr(d, "title");
			long long nev = (long long)json_integer_value(json_object_get(d, "events"));
			putf(out, "<li><a class=\"title\" href=\"/reports/%lld\">", id);
			esc_readable(out, r, title && *title ? title : jstr(d, "source_name"));
			put(out, "</a><div class=\"meta\">");
			esc(out, jstr(d, "outlet") ? jstr(d, "outlet") : "outlet unknown");
			put(out, " · ");
			esc(out, jstr(d, "published") ? jstr(d, "published") : "date unknown");
			putf(out, " · %lld event%s", nev, nev == 1 ? "" : "s");
			if (json_is_integer(json_object_get(d, "near_duplicate_of")))
				putf(out, " · <span class=\"dup\">copy of #%lld</span>",
				     (long long)json_integer_value(json_object_get(d, "near_duplicate_of")));
			put(out, "</div></li>");
		}
		put(out, "</ol><nav class=\"pager\">");
		if (offset > 0)
			putf(out, "<a href=\"/reports?offset=%ld\">← newer</a>", offset > 50 ? offset - 50 : 0);
		if (offset + (long)n < total)
			putf(out, "<a href=\"/reports?offset=%ld\">older →</a>", offset + 50);
		put(out, "</nav>");
		if (!total)
			put(out, "<p class=\"empty\">No reports yet. Add some with <em>Add reports</em> above.</p>");
	}
	put(out, "</section></div>");
	page_end(out);
	json_decref(res);
	json_decref(docs);
	return CB_OK;
}

static int reports_upload(const cb_req *r, cb_resp *out)
{
	json_t *res = NULL, *x;
	size_t i;
	int status = cb_api_upload(r, out, &res);
	if (!res)
		return CB_OK;
	cb_buf_reset(&out->body);
	out->status = status;
	page_begin(out, r, "Upload", "reports");
	put(out, "<h1>Upload</h1><ul class=\"upload-results\">");
	json_array_foreach(res, i, x) {
		const char *st = jstr(x, "status");
		putf(out, "<li class=\"st-%s\">", st);
		esc(out, jstr(x, "name"));
		put(out, ": ");
		if (!strcmp(st, "failed")) {
			put(out, "<strong>failed</strong> — ");
			esc(out, jstr(x, "error"));
		} else {
			long long id = (long long)json_integer_value(json_object_get(x, "document"));
			int nev = (int)json_integer_value(json_object_get(x, "events"));
			putf(out, "%s, <a href=\"/reports/%lld\">report #%lld</a>, %d event%s proposed", st, id,
			     id, nev, nev == 1 ? "" : "s");
			if (nev)
				putf(out, " — <a href=\"/review?document=%lld\">review them</a>", id);
		}
		put(out, "</li>");
	}
	put(out, "</ul><p><a href=\"/reports\">Back to the reports</a></p>");
	page_end(out);
	json_decref(res);
	return CB_OK;
}

typedef struct span {
	size_t start, end; /* bytes */
	long long id;
	const char *status, *type;
} span;

static int by_start(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->id > y->id) - (x->id < y->id);
}

/* text[from..to) for the reader: masked for viewers, escaped. */
static void put_text_part(cb_resp *out, const cb_req *r, const char *text, size_t from, size_t to)
{
	char *part = malloc(to - from + 1);
	if (!part)
		return;
	memcpy(part, text + from, to - from);
	part[to - from] = '\0';
	esc_readable(out, r, part);
	free(part);
}

/* The text with each event's evidence marked, spans clipped so that they
 * never overlap (an earlier event's span wins). */
static void put_marked_text(cb_resp *out, const cb_req *r, const char *text, json_t *events,
			    long long focus)
{
	size_t len = strlen(text), n = 0, pos = 0, i;
	span *sp = calloc(json_array_size(events) + 1, sizeof *sp);
	json_t *e;
	if (!sp)
		return;
	json_array_foreach(events, i, e) {
		json_t *ev = json_object_get(e, "evidence");
		json_int_t s = json_integer_value(json_object_get(ev, "start"));
		json_int_t t = json_integer_value(json_object_get(ev, "end"));
		if (!json_is_integer(json_object_get(ev, "start")) || t <= s || s < 0)
			continue;
		sp[n].start = cb_utf8_byte_offset(text, len, (size_t)s);
		sp[n].end = cb_utf8_byte_offset(text, len, (size_t)t);
		sp[n].id = (long long)json_integer_value(json_object_get(e, "id"));
		sp[n].status = jstr(e, "status");
		sp[n].type = jstr(e, "type");
		n++;
	}
	qsort(sp, n, sizeof *sp, by_start);
	put(out, "<div class=\"text\">");
	for (i = 0; i < n; i++) {
		size_t s = sp[i].start < pos ? pos : sp[i].start;
		if (s >= sp[i].end)
			continue;
		put_text_part(out, r, text, pos, s);
		putf(out, "<mark class=\"ev st-%s%s\" id=\"ev-%lld\" title=\"#%lld %s (%s)\">",
		     sp[i].status ? sp[i].status : "proposed", sp[i].id == focus ? " focus" : "", sp[i].id,
		     sp[i].id, sp[i].type ? sp[i].type : "", sp[i].status ? sp[i].status : "");
		put_text_part(out, r, text, s, sp[i].end);
		putf(out, "<a class=\"evtag\" href=\"/review?event=%lld\">%s</a></mark>", sp[i].id,
		     sp[i].type ? sp[i].type : "event");
		pos = sp[i].end;
	}
	put_text_part(out, r, text, pos, len);
	put(out, "</div>");
	free(sp);
}

/* A victim count: "7", "7–9", with "people"/"person" if with_noun;
 * nothing when there is none. */
static void put_count(cb_resp *out, json_t *victims, int with_noun)
{
	json_t *lo = json_object_get(victims, "count_min"), *hi = json_object_get(victims, "count_max");
	long long a, b;
	if (!json_is_integer(lo))
		return;
	a = (long long)json_integer_value(lo);
	b = json_is_integer(hi) ? (long long)json_integer_value(hi) : a;
	if (b > a)
		putf(out, "%lld–%lld%s", a, b, with_noun ? " people" : "");
	else
		putf(out, "%lld%s", a, with_noun ? (a == 1 ? " person" : " people") : "");
}

static void put_event_summary(cb_resp *out, const cb_req *r, json_t *e)
{
	json_t *loc = json_object_get(e, "location"), *vic = json_object_get(e, "victims");
	json_t *date = json_object_get(e, "date");
	const char *place = jstr(loc, "place"), *admin1 = jstr(loc, "admin1");
	(void)r;
	putf(out, "<span class=\"type t-%s\">%s</span>", jstr(e, "type"), jstr(e, "type"));
	if (jstr(e, "modality") && strcmp(jstr(e, "modality"), "actual"))
		putf(out, " <span class=\"modality\">%s</span>", jstr(e, "modality"));
	put(out, " <span class=\"when\">");
	esc(out, jstr(date, "start") ? jstr(date, "start") : "undated");
	put(out, "</span> <span class=\"where\">");
	if (place) {
		esc(out, place);
		put(out, ", ");
	}
	esc(out, admin1 ? admin1 : jstr(loc, "country") ? jstr(loc, "country") : "place unknown");
	put(out, "</span>");
	if (json_is_integer(json_object_get(vic, "count_min"))) {
		put(out, " <span class=\"count\">");
		put_count(out, vic, 1);
		put(out, "</span>");
	}
	if (json_is_number(json_object_get(e, "sentence_years")))
		putf(out, " <span class=\"sentence\">%g years</span>",
		     json_number_value(json_object_get(e, "sentence_years")));
}

static long long id_after(const char *path, const char *prefix)
{
	const char *p = path + strlen(prefix);
	long long v = 0;
	if (*p < '1' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9' && v < 100000000000LL)
		v = v * 10 + (*p++ - '0');
	return *p ? -1 : v;
}

static int report(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	json_t *doc = NULL, *events = NULL, *e;
	cb_event_filter f = {0};
	long long id = id_after(r->path, "/reports/");
	size_t i;
	int rc;
	if (id < 0)
		return cb_resp_error(r, out, 404, "%s: no such report", r->path);
	f.doc_id = id;
	if ((rc = cb_store_get_document(r->st, &doc, id, 1, &err)) < 0 ||
	    (rc = cb_store_list_events(r->st, &events, &f, &err)) < 0) {
		json_decref(doc);
		return page_error(r, out, rc, &err);
	}
	{
		char *title = readable(r, jstr(doc, "title") ? jstr(doc, "title") : jstr(doc, "source_name"));
		page_begin(out, r, title ? title : "Report", "reports");
		put(out, "<article class=\"report\"><h1>");
		esc(out, title);
		put(out, "</h1>");
		free(title);
	}
	put(out, "<dl class=\"docmeta\">");
	static const char *const META[][2] = {{"outlet", "Outlet"}, {"published", "Published"},
					      {"url", "URL"}, {"source_name", "File"},
					      {"ingested_at", "Added"}, {"ingested_by", "By"}};
	for (i = 0; i < 6; i++) {
		const char *v = jstr(doc, META[i][0]);
		if (!v)
			continue;
		putf(out, "<dt>%s</dt><dd>", META[i][1]);
		esc(out, v);
		put(out, "</dd>");
	}
	if (json_is_integer(json_object_get(doc, "near_duplicate_of")))
		putf(out, "<dt>Copy of</dt><dd><a href=\"/reports/%lld\">report #%lld</a></dd>",
		     (long long)json_integer_value(json_object_get(doc, "near_duplicate_of")),
		     (long long)json_integer_value(json_object_get(doc, "near_duplicate_of")));
	putf(out, "</dl><div class=\"cols report-cols\"><section aria-label=\"Text\">");
	put_marked_text(out, r, jstr(doc, "text") ? jstr(doc, "text") : "", events, 0);
	put(out, "</section><aside class=\"events\"><h2>Events</h2>");
	if (!json_array_size(events))
		put(out, "<p class=\"empty\">No events coded from this report.</p>");
	put(out, "<ol>");
	json_array_foreach(events, i, e) {
		long long eid = (long long)json_integer_value(json_object_get(e, "id"));
		putf(out, "<li class=\"st-%s\"><a href=\"#ev-%lld\">#%lld</a> ", jstr(e, "status"), eid, eid);
		put_event_summary(out, r, e);
		putf(out, " <span class=\"status\">%s</span> <a href=\"/review?event=%lld\">%s</a></li>",
		     jstr(e, "status"), eid, viewer(r) ? "view" : "review");
	}
	put(out, "</ol></aside></div></article>");
	page_end(out);
	json_decref(doc);
	json_decref(events);
	return CB_OK;
}

/* ---- review queue ---------------------------------------------------------- */

/* The value of an editable field as a person would type it, into buf. */
static const char *field_text(json_t *e, const char *field, char *buf, size_t n)
{
	char obj[32];
	const char *dot = strchr(field, '.');
	json_t *v;
	if (dot) {
		snprintf(obj, sizeof obj, "%.*s", (int)(dot - field), field);
		v = json_object_get(json_object_get(e, obj), dot + 1);
	} else {
		v = json_object_get(e, field);
	}
	if (!strcmp(field, "actors")) {
		char *s = json_dumps(v ? v : json_array(), JSON_COMPACT | JSON_ENSURE_ASCII);
		snprintf(buf, n, "%s", s ? s : "[]");
		free(s);
		return buf;
	}
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%g", json_real_value(v));
	else
		buf[0] = '\0';
	return buf;
}

typedef struct edit_field {
	const char *name, *label;
	const char *const *choices; /* NULL: a text input */
	const char *input_type;
} edit_field;

static const char *const MODALITY[] = {"actual", "planned", "possible", NULL};
static const char *const PRECISION[] = {"", "day", "month_part", "month", "season", "year", "range", NULL};
static const char *const GENDER[] = {"", "female", "male", "mixed", NULL};

static const edit_field EDIT[] = {
	{"type", "Type", TYPES, NULL},
	{"modality", "Modality", MODALITY, NULL},
	{"date.start", "Date from", NULL, "text"},
	{"date.end", "Date to", NULL, "text"},
	{"date.precision", "Precision", PRECISION, NULL},
	{"location.place", "Place", NULL, "text"},
	{"location.admin1", "Province", NULL, "text"},
	{"location.country", "Country", NULL, "text"},
	{"victims.count_min", "People (at least)", NULL, "number"},
	{"victims.count_max", "People (at most)", NULL, "number"},
	{"victims.gender", "Gender", GENDER, NULL},
	{"victims.nationality", "Nationality", NULL, "text"},
	{"sentence_years", "Sentence (years)", NULL, "number"},
	{"actors", "Actors (JSON)", NULL, "text"},
};
#define NEDIT (sizeof EDIT / sizeof *EDIT)

/* The opening of a form that posts to /review/ID: the CSRF token, the
 * action (NULL: chosen by the button pressed) and the report being
 * reviewed, if the queue is one report's. */
static void review_form(cb_resp *out, const cb_req *r, long long id, long long docid,
			const char *action, const char *attrs)
{
	putf(out, "<form method=\"post\" action=\"/review/%lld\"%s>", id, attrs ? attrs : "");
	csrf_field(out, r);
	if (action)
		putf(out, "<input type=\"hidden\" name=\"action\" value=\"%s\">", action);
	if (docid)
		putf(out, "<input type=\"hidden\" name=\"document\" value=\"%lld\">", docid);
}

static int review(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	cb_event_filter f = {0};
	json_t *queue = NULL, *ev = NULL, *doc = NULL, *persons = NULL;
	const char *evq = cb_req_query(r, "event"), *docq = cb_req_query(r, "document");
	const char *saved = cb_req_query(r, "done");
	long long id = 0, prev = 0, next = 0, docid = 0;
	size_t i, nq;
	int rc;

	if (evq && (id = id_after(evq, "")) < 0)
		return cb_resp_error(r, out, 400, "event must be a numeric id");
	if (docq && *docq && (docid = id_after(docq, "")) < 0)
		return cb_resp_error(r, out, 400, "document must be a numeric id");
	f.status = "proposed";
	f.doc_id = docid;
	f.limit = 2000;
	if ((rc = cb_store_list_events(r->st, &queue, &f, &err)) < 0)
		return page_error(r, out, rc, &err);
	nq = json_array_size(queue);
	if (!id && nq)
		id = (long long)json_integer_value(json_object_get(json_array_get(queue, 0), "id"));
	for (i = 0; i < nq; i++) {
		long long qid = (long long)json_integer_value(json_object_get(json_array_get(queue, i), "id"));
		if (qid < id)
			prev = qid;
		if (qid > id && !next)
			next = qid;
	}
	page_begin(out, r, "Review", "review");
	putf(out, "<div class=\"bar\"><h1>Review</h1><p class=\"count\">%zu%s proposed event%s waiting%s.</p></div>",
	     nq, nq == 2000 ? "+" : "", nq == 1 ? "" : "s", docid ? " in this report" : "");
	if (saved)
		putf(out, "<p class=\"notice\" role=\"status\">Event #%s %s.</p>",
		     cb_req_query(r, "last") ? cb_req_query(r, "last") : "", !strcmp(saved, "accept") ? "accepted" : !strcmp(saved, "reject") ? "rejected" : "saved");
	if (!id) {
		put(out, "<p class=\"empty\">Nothing waiting. The extractor's proposals appear here as "
			 "reports are added.</p>");
		page_end(out);
		json_decref(queue);
		return CB_OK;
	}
	if ((rc = cb_store_get_event(r->st, &ev, id, &err)) < 0 ||
	    (rc = cb_store_get_document(r->st, &doc,
					(long long)json_integer_value(json_object_get(ev, "document")), 1,
					&err)) < 0 ||
	    (rc = cb_store_event_persons(r->st, &persons, id, &err)) < 0) {
		json_decref(queue);
		json_decref(ev);
		json_decref(doc);
		cb_buf_reset(&out->body);
		return page_error(r, out, rc, &err);
	}
	{
		const char *text = jstr(doc, "text") ? jstr(doc, "text") : "";
		size_t len = strlen(text);
		json_t *evd = json_object_get(ev, "evidence");
		size_t s = cb_utf8_byte_offset(text, len, (size_t)json_integer_value(json_object_get(evd, "start")));
		size_t t = cb_utf8_byte_offset(text, len, (size_t)json_integer_value(json_object_get(evd, "end")));
		size_t a = s > 600 ? s - 600 : 0, b = t + 600 < len ? t + 600 : len;
		while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80)
			a--;
		while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
			b++;
		put(out, "<div class=\"cols review-cols\"><section class=\"evidence\" aria-label=\"Evidence\">"
			 "<h2><a href=\"/reports/");
		putf(out, "%lld#ev-%lld\">", (long long)json_integer_value(json_object_get(doc, "id")), id);
		esc_readable(out, r, jstr(doc, "title") ? jstr(doc, "title") : jstr(doc, "source_name"));
		put(out, "</a></h2><div class=\"meta\">");
		esc(out, jstr(doc, "outlet") ? jstr(doc, "outlet") : "outlet unknown");
		put(out, " · ");
		esc(out, jstr(doc, "published") ? jstr(doc, "published") : "date unknown");
		put(out, "</div><div class=\"text context\">");
		if (a > 0)
			put(out, "… ");
		put_text_part(out, r, text, a, s);
		put(out, "<mark class=\"ev focus\">");
		put_text_part(out, r, text, s, t);
		put(out, "</mark>");
		put_text_part(out, r, text, t, b);
		if (b < len)
			put(out, " …");
		put(out, "</div></section><section class=\"proposal\" aria-label=\"Proposed event\">");
	}
	putf(out, "<h2>Event #%lld <span class=\"status st-%s\">%s</span></h2><p class=\"summary\">", id,
	     jstr(ev, "status"), jstr(ev, "status"));
	put_event_summary(out, r, ev);
	put(out, "</p>");
	if (json_array_size(persons)) {
		json_t *p;
		put(out, "<p class=\"persons\">People: ");
		json_array_foreach(persons, i, p) {
			putf(out, "%s<span class=\"pseudonym\">", i ? ", " : "");
			esc(out, jstr(p, "pseudonym"));
			put(out, "</span> (");
			esc(out, jstr(p, "role"));
			put(out, ")");
		}
		put(out, "</p>");
	}
	if (!viewer(r)) {
		put(out, "<div class=\"actions\">");
		review_form(out, r, id, docid, "accept", NULL);
		put(out, "<button class=\"primary\" id=\"accept\" accesskey=\"a\">Accept <kbd>a</kbd></button></form>");
		review_form(out, r, id, docid, "reject", NULL);
		put(out, "<button class=\"danger\" id=\"reject\" accesskey=\"r\">Reject <kbd>r</kbd></button></form></div>");
		review_form(out, r, id, docid, NULL, " class=\"edit grid\" id=\"edit\"");
		for (i = 0; i < NEDIT; i++) {
			char buf[4096];
			const char *cur = field_text(ev, EDIT[i].name, buf, sizeof buf);
			putf(out, "<label>%s ", EDIT[i].label);
			if (EDIT[i].choices) {
				putf(out, "<select name=\"%s\">", EDIT[i].name);
				for (const char *const *c = EDIT[i].choices; *c; c++) {
					putf(out, "<option value=\"%s\"%s>%s</option>", *c,
					     !strcmp(*c, cur) ? " selected" : "", **c ? *c : "—");
				}
				put(out, "</select>");
			} else {
				putf(out, "<input name=\"%s\" type=\"%s\"%s%s value=\"", EDIT[i].name,
				     EDIT[i].input_type, !strcmp(EDIT[i].input_type, "number") ? " step=\"any\" min=\"0\"" : "", "");
				esc(out, cur);
				put(out, "\">");
			}
			put(out, "</label>");
		}
		put(out, "<div class=\"edit-actions\"><button name=\"action\" value=\"save-accept\" class=\"primary\">"
			 "Save and accept</button> <button name=\"action\" value=\"save\">Save</button> "
			 "<span class=\"hint\">Only the fields you change are written (and logged); empty a "
			 "field to clear it.</span></div></form>");
	}
	put(out, "<nav class=\"pager\">");
	if (prev)
		putf(out, "<a id=\"prev\" href=\"/review?event=%lld%s%s\">← previous <kbd>k</kbd></a>", prev,
		     docid ? "&amp;document=" : "", docid ? docq : "");
	if (next)
		putf(out, "<a id=\"next\" href=\"/review?event=%lld%s%s\">next <kbd>j</kbd> →</a>", next,
		     docid ? "&amp;document=" : "", docid ? docq : "");
	put(out, "</nav><p class=\"hint keys\">Keys: <kbd>a</kbd> accept · <kbd>r</kbd> reject · "
		 "<kbd>e</kbd> edit · <kbd>j</kbd>/<kbd>k</kbd> next/previous</p></section></div>");
	page_end(out);
	json_decref(queue);
	json_decref(ev);
	json_decref(doc);
	json_decref(persons);
	return CB_OK;
}

/* POST /review/ID: action accept | reject | save | save-accept. A saved
 * field is changed only if it differs from what is stored, so the log
 * records what the person changed and nothing else. */
static int review_post(const cb_req *r, cb_resp *out)
{
	cb_error err = CB_ERROR_INIT;
	long long id = id_after(r->path, "/review/");
	const cb_field *act = cb_req_field(r, "action");
	const cb_field *docf = cb_req_field(r, "document");
	json_t *ev = NULL;
	char loc[256];
	int rc = CB_OK;
	if (id < 0)
		return cb_resp_error(r, out, 404, "%s: no such event", r->path);
	if (!act)
		return cb_resp_error(r, out, 400, "give an action: accept, reject, save or save-accept");
	if (!strcmp(act->data, "accept") || !strcmp(act->data, "reject")) {
		rc = cb_store_review_event(r->st, id, !strcmp(act->data, "accept") ? "accepted" : "rejected", &err);
	} else if (!strcmp(act->data, "save") || !strcmp(act->data, "save-accept")) {
		if ((rc = cb_store_get_event(r->st, &ev, id, &err)) == CB_OK &&
		    (rc = cb_store_begin(r->st, &err)) == CB_OK) {
			for (size_t i = 0; i < NEDIT && rc == CB_OK; i++) {
				const cb_field *fv = cb_req_field(r, EDIT[i].name);
				char buf[4096];
				if (!fv || !strcmp(fv->data, field_text(ev, EDIT[i].name, buf, sizeof buf)))
					continue;
				rc = cb_store_edit_event(r->st, id, EDIT[i].name, *fv->data ? fv->data : "null", &err);
			}
			if (rc == CB_OK && !strcmp(act->data, "save-accept"))
				rc = cb_store_review_event(r->st, id, "accepted", &err);
			if (rc < 0)
				cb_store_rollback(r->st);
			else
				rc = cb_store_commit(r->st, &err);
		}
		json_decref(ev);
	} else {
		return cb_resp_error(r, out, 400, "unknown action '%s'", act->data);
	}
	if (rc < 0)
		return page_error(r, out, rc, &err);
	if (!strcmp(act->data, "save"))
		snprintf(loc, sizeof loc, "/review?event=%lld&done=save&last=%lld", id, id);
	else
		snprintf(loc, sizeof loc, "/review?done=%s&last=%lld%s%s",
			 !strcmp(act->data, "reject") ? "reject" : "accept", id,
			 docf && *docf->data ? "&document=" : "", docf && *docf->data && id_after(docf->data, "") > 0 ? docf->data : "");
	return cb_resp_redirect(out, loc);
}

/* ---- the record -------------------------------------------------------- */

static const char *sort_key(json_t *e, const char *by, char *buf, size_t n)
{
	if (!strcmp(by, "type"))
		return field_text(e, "type", buf, n);
	if (!strcmp(by, "admin1"))
		return field_text(e, "location.admin1", buf, n);
	if (!strcmp(by, "place"))
		return field_text(e, "location.place", buf, n);
	return field_text(e, "date.start", buf, n);
}

static _Thread_local const char *g_sort_by; /* qsort has no context */
static int by_key(const void *a, const void *b)
{
	char x[256], y[256];
	json_t *ea = *(json_t *const *)a, *eb = *(json_t *const *)b;
	if (!strcmp(g_sort_by, "count")) {
		json_int_t ca = json_integer_value(json_object_get(json_object_get(ea, "victims"), "count_min"));
		json_int_t cb = json_integer_value(json_object_get(json_object_get(eb, "victims"), "count_min"));
		return (cb > ca) - (cb < ca);
	}
	int c = strcmp(sort_key(ea, g_sort_by, x, sizeof x), sort_key(eb, g_sort_by, y, sizeof y));
	return c;
}

static int record(const cb_req *r, cb_resp *out)
{
	static const char *const SORTS[] = {"date", "type", "admin1", "place", "count", NULL};
	cb_error err = CB_ERROR_INIT;
	cb_event_filter f;
	json_t *events = NULL, *e, **rows = NULL;
	const char *sort = cb_req_query(r, "sort"), *status = cb_req_query(r, "status");
	cb_buf qs = CB_BUF_INIT;
	size_t i, n;
	int rc, s_ok = 0;

	if ((rc = cb_api_event_filter(r, &f, &err)) < 0)
		return page_error(r, out, rc, &err);
	if (!status)
		f.status = "accepted"; /* the record is what was accepted, unless asked */
	f.limit = 0;
	for (i = 0; sort && SORTS[i]; i++)
		s_ok |= !strcmp(sort, SORTS[i]);
	if (!s_ok)
		sort = "date";
	if ((rc = cb_store_list_events(r->st, &events, &f, &err)) < 0)
		return page_error(r, out, rc, &err);
	n = json_array_size(events);
	/* the filters, for links that keep them */
	{
		static const char *const K[] = {"type", "admin1", "from", "to", NULL};
		cb_buf_puts(&qs, "status=", NULL);
		url_enc(&qs, f.status ? f.status : "");
		for (i = 0; K[i]; i++) {
			const char *v = cb_req_query(r, K[i]);
			if (v && *v) {
				cb_buf_printf(&qs, NULL, "&%s=", K[i]);
				url_enc(&qs, v);
			}
		}
	}
	page_begin(out, r, "Record", "record");
	putf(out, "<div class=\"bar\"><h1>Record</h1><p class=\"count\">%zu %s event%s.</p>"
		  "<p class=\"export\">Export: <a href=\"/api/export?what=events&amp;format=csv&amp;",
	     n, f.status && *f.status ? f.status : "", n == 1 ? "" : "s");
	esc(out, qs.ptr);
	put(out, "\">CSV</a> · <a href=\"/api/export?what=events&amp;format=json&amp;");
	esc(out, qs.ptr);
	put(out, "\">JSON</a></p></div>");
	/* filters */
	put(out, "<form class=\"filters\" method=\"get\" action=\"/record\"><label>Type <select name=\"type\"><option value=\"\">any</option>");
	for (i = 0; TYPES[i]; i++)
		putf(out, "<option%s>%s</option>", f.type && !strcmp(f.type, TYPES[i]) ? " selected" : "", TYPES[i]);
	put(out, "</select></label><label>Status <select name=\"status\">");
	{
		static const char *const ST[] = {"accepted", "proposed", "rejected", "", NULL};
		for (i = 0; ST[i]; i++)
			putf(out, "<option value=\"%s\"%s>%s</option>", ST[i],
			     !strcmp(f.status ? f.status : "", ST[i]) ? " selected" : "", *ST[i] ? ST[i] : "any");
	}
	put(out, "</select></label><label>Province <input name=\"admin1\" value=\"");
	esc(out, f.admin1 ? f.admin1 : "");
	put(out, "\"></label><label>From <input type=\"date\" name=\"from\" value=\"");
	esc(out, f.from ? f.from : "");
	put(out, "\"></label><label>To <input type=\"date\" name=\"to\" value=\"");
	esc(out, f.to ? f.to : "");
	put(out, "\"></label><input type=\"hidden\" name=\"sort\" value=\"");
	esc(out, sort);
	put(out, "\"><button class=\"primary\">Filter</button></form>");

	put(out, "<div class=\"figures\"><section><h2>Events per month</h2>");
	cb_timeline_svg(&out->body, events, NULL);
	put(out, "</section><section><h2>Where</h2>");
	cb_map_svg(&out->body, cb_server_assets_dir(r->srv), events, NULL);
	put(out, "</section></div>");

	/* the table */
	if (n && (rows = malloc(n * sizeof *rows))) {
		json_array_foreach(events, i, e) rows[i] = e;
		g_sort_by = sort;
		qsort(rows, n, sizeof *rows, by_key);
	}
	put(out, "<table class=\"record\"><thead><tr><th>#</th>");
	{
		static const char *const COLS[][2] = {{"date", "Date"}, {"type", "Type"}, {"place", "Place"},
						      {"admin1", "Province"}, {"count", "People"}};
		for (i = 0; i < 5; i++) {
			putf(out, "<th%s><a href=\"/record?", !strcmp(sort, COLS[i][0]) ? " aria-sort=\"ascending\"" : "");
			esc(out, qs.ptr);
			putf(out, "&amp;sort=%s\">%s</a></th>", COLS[i][0], COLS[i][1]);
		}
	}
	put(out, "<th>Actors</th><th>Sentence</th><th>Report</th><th>Status</th></tr></thead><tbody>");
	for (i = 0; rows && i < n; i++) {
		char buf[4][256];
		json_t *ac = json_object_get(rows[i], "actors"), *a;
		size_t k;
		e = rows[i];
		long long eid = (long long)json_integer_value(json_object_get(e, "id"));
		putf(out, "<tr><td><a href=\"/review?event=%lld\">%lld</a></td><td>", eid, eid);
		esc(out, field_text(e, "date.start", buf[0], sizeof buf[0]));
		putf(out, "</td><td><span class=\"type t-%s\">%s</span></td><td>", jstr(e, "type"), jstr(e, "type"));
		esc(out, field_text(e, "location.place", buf[1], sizeof buf[1]));
		put(out, "</td><td>");
		esc(out, field_text(e, "location.admin1", buf[2], sizeof buf[2]));
		put(out, "</td><td class=\"num\">");
		put_count(out, json_object_get(e, "victims"), 0);
		put(out, "</td><td>");
		json_array_foreach(ac, k, a) {
			if (k)
				put(out, "; ");
			esc(out, jstr(a, "kind") ? jstr(a, "kind") : jstr(a, "text"));
		}
		put(out, "</td><td class=\"num\">");
		esc(out, field_text(e, "sentence_years", buf[3], sizeof buf[3]));
		putf(out, "</td><td><a href=\"/reports/%lld#ev-%lld\">#%lld</a></td><td class=\"st-%s\">%s</td></tr>",
		     (long long)json_integer_value(json_object_get(e, "document")), eid,
		     (long long)json_integer_value(json_object_get(e, "document")), jstr(e, "status"),
		     jstr(e, "status"));
	}
	put(out, "</tbody></table>");
	if (!n)
		put(out, "<p class=\"empty\">No events match. Accepted events appear here once reviewed.</p>");
	page_end(out);
	free(rows);
	cb_buf_free(&qs);
	json_decref(events);
	return CB_OK;
}

const cb_route cb_page_routes[] = {
	{"GET", "/", home, 0},
	{"GET", "/signin", signin_page, CB_ROUTE_PUBLIC},
	{"GET", "/reports", reports, 0},
	{"POST", "/reports/upload", reports_upload, CB_ROUTE_WRITE},
	{"GET", "/reports/", report, CB_ROUTE_PREFIX},
	{"GET", "/review", review, 0},
	{"POST", "/review/", review_post, CB_ROUTE_WRITE | CB_ROUTE_PREFIX},
	{"GET", "/record", record, 0},
	{NULL, NULL, NULL, 0},
};
