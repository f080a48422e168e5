/* export.c: see export.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

void cb_csv_field(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* A JSON value as a CSV field: strings as they are, numbers printed,
 * arrays of strings joined with "; ", null empty. */
static void csv_json(FILE *out, json_t *v)
{
	char num[64];
	if (!v || json_is_null(v))
		return;
	if (json_is_string(v)) {
		cb_csv_field(out, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		fputs(num, out);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof num, "%g", json_real_value(v));
		fputs(num, out);
	} else {
		char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		cb_csv_field(out, txt);
		free(txt);
	}
}

static void csv_row(FILE *out, json_t *const *vals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		csv_json(out, vals[i]);
	}
	fputs("\r\n", out);
}

static void csv_header(FILE *out, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			fputc(',', out);
		fputs(names[i], out);
	}
	fputs("\r\n", out);
}

static const char *str_or_empty(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_t *path(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	return b ? json_object_get(v, b) : v;
}

/* "authority/police: police in Yanji; perpetrator/buyer: buyers" */
static json_t *actors_text(json_t *actors)
{
	size_t i, used = 0;
	json_t *a;
	char buf[2048] = "";
	json_array_foreach(actors, i, a) {
		int w = snprintf(buf + used, sizeof buf - used, "%s%s/%s: %s", used ? "; " : "",
				 str_or_empty(json_object_get(a, "role")),
				 str_or_empty(json_object_get(a, "kind")),
				 str_or_empty(json_object_get(a, "text")));
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	return json_string(buf);
}

/* ---- persons and protected fields (export.h) ------------------------- */

/* Checks who may include protected fields, and loads the persons: a map
 * pseudonym -> identity in *idents when they are included (else NULL). */
static int prot_begin(cb_store *st, cb_export_redaction *red, json_t **idents, cb_error *err)
{
	json_t *all = NULL, *p;
	size_t i;
	int rc;
	*idents = NULL;
	red->persons = red->masked = 0;
	if (red->include_protected && !cb_store_is_holder(st))
		return cb_fail(err, CB_EAUTH, "--include-protected needs an owner's or editor's key;"
			       " '%s' is a viewer", cb_store_user(st));
	if ((rc = cb_store_list_persons(st, &all, red->include_protected, err)) < 0)
		return rc;
	if (red->include_protected) {
		*idents = json_object();
		json_array_foreach(all, i, p)
			json_object_set(*idents, json_string_value(json_object_get(p, "pseudonym")),
					json_object_get(p, "identity"));
	} else {
		red->persons = json_array_size(all);
	}
	json_decref(all);
	return CB_OK;
}

/* What a record leaves out, for its "redacted" field. */
static json_t *redacted_list(const cb_export_redaction *red)
{
	if (red->include_protected)
		return json_array();
	return json_pack("[s, s]", "identities of persons (pseudonyms only)",
			 "names of persons in text, titles and quotes (masked)");
}

/* Each event gets its "persons" (with identities if idents) and, unless
 * protected fields are included, masked names. */
static int add_persons(cb_store *st, json_t *events, json_t *idents, cb_export_redaction *red,
		       cb_error *err)
{
	size_t i, j;
	json_t *e, *ps, *p;
	int rc;
	json_array_foreach(events, i, e) {
		if ((rc = cb_store_event_persons(st, &ps, json_integer_value(json_object_get(e, "id")),
						 err)) < 0)
			return rc;
		json_array_foreach(ps, j, p)
			if (idents)
				json_object_set(p, "identity", json_object_get(idents,
					json_string_value(json_object_get(p, "pseudonym"))));
		json_object_set_new(e, "persons", ps);
		if (!red->include_protected)
			json_object_set_new(e, "redacted", redacted_list(red));
	}
	if (!red->include_protected)
		return cb_store_mask_json(st, events, &red->masked, err);
	return CB_OK;
}

/* "P-XXXXXXXX:victim; P-YYYYYYYY:witness" */
static json_t *persons_text(json_t *ps)
{
	size_t i, used = 0;
	json_t *p;
	char buf[2048] = "";
	json_array_foreach(ps, i, p) {
		int w = snprintf(buf + used, sizeof buf - used, "%s%s:%s", used ? "; " : "",
				 str_or_empty(json_object_get(p, "pseudonym")),
				 str_or_empty(json_object_get(p, "role")));
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	return json_string(buf);
}

/* ---- end of persons ---------------------------------------------------- */

static const char *const EVENT_CSV[] = {
	"id", "document", "status", "type", "modality", "date_start", "date_end",
	"date_precision", "date_text", "country", "admin1", "place", "location_text",
	"actors", "victim_count_min", "victim_count_max", "victim_gender",
	"victim_nationality", "victim_text", "sentence_years", "evidence_start",
	"evidence_end", "evidence_quote", "origin", "created_at", "created_by",
	"reviewed_at", "reviewed_by", "incident", "persons", NULL};

static void event_csv(FILE *out, json_t *e)
{
	json_t *actors = actors_text(json_object_get(e, "actors"));
	json_t *persons = persons_text(json_object_get(e, "persons"));
	json_t *vals[] = {
		path(e, "id", NULL), path(e, "document", NULL), path(e, "status", NULL),
		path(e, "type", NULL), path(e, "modality", NULL), path(e, "date", "start"),
		path(e, "date", "end"), path(e, "date", "precision"), path(e, "date", "text"),
		path(e, "location", "country"), path(e, "location", "admin1"),
		path(e, "location", "place"), path(e, "location", "text"), actors,
		path(e, "victims", "count_min"), path(e, "victims", "count_max"),
		path(e, "victims", "gender"), path(e, "victims", "nationality"),
		path(e, "victims", "text"), path(e, "sentence_years", NULL),
		path(e, "evidence", "start"), path(e, "evidence", "end"),
		path(e, "evidence", "quote"), path(e, "origin", NULL), path(e, "created_at", NULL),
		path(e, "created_by", NULL), path(e, "reviewed_at", NULL),
		path(e, "reviewed_by", NULL), path(e, "incident", NULL), persons};
	csv_row(out, vals, sizeof vals / sizeof vals[0]);
	json_decref(actors);
	json_decref(persons);
}

static const char *const DOC_CSV[] = {
	"id", "hash", "source_name", "format", "url", "outlet", "title", "published",
	"language", "authors", "translators", "near_duplicate_of", "similarity",
	"ingested_at", "ingested_by", "events", NULL};

typedef struct doc_ctx {
	cb_store *st;
	FILE *out;
	cb_export_format fmt;
	int n;
	cb_error *err;
	cb_export_redaction *red;
	json_t *idents;
} doc_ctx;

static json_t *joined(json_t *arr)
{
	size_t i, used = 0;
	json_t *a;
	char buf[1024] = "";
	json_array_foreach(arr, i, a) {
		int w = snprintf(buf + used, sizeof buf - used, "%s%s", used ? "; " : "",
				 str_or_empty(a));
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	return json_string(buf);
}

static int export_doc(void *ctx, json_t *doc)
{
	doc_ctx *c = ctx;
	int rc = CB_OK;

	if (!c->red->include_protected && (rc = cb_store_mask_json(c->st, doc, &c->red->masked, c->err)) < 0)
		return rc;
	if (c->fmt == CB_EXPORT_CSV) {
		json_t *authors = joined(json_object_get(doc, "authors"));
		json_t *translators = joined(json_object_get(doc, "translators"));
		json_t *vals[] = {
			path(doc, "id", NULL), path(doc, "hash", NULL), path(doc, "source_name", NULL),
			path(doc, "format", NULL), path(doc, "url", NULL), path(doc, "outlet", NULL),
			path(doc, "title", NULL), path(doc, "published", NULL),
			path(doc, "language", NULL), authors, translators,
			path(doc, "near_duplicate_of", NULL), path(doc, "similarity", NULL),
			path(doc, "ingested_at", NULL), path(doc, "ingested_by", NULL),
			path(doc, "events", NULL)};
		csv_row(c->out, vals, sizeof vals / sizeof vals[0]);
		json_decref(authors);
		json_decref(translators);
	} else {
		cb_event_filter f = {0};
		json_t *events = NULL, *stats = NULL, *rec;
		int64_t id = json_integer_value(json_object_get(doc, "id"));
		f.doc_id = id;
		if ((rc = cb_store_list_events(c->st, &events, &f, c->err)) < 0 ||
		    (rc = cb_store_list_statistics(c->st, &stats, id, c->err)) < 0 ||
		    (rc = add_persons(c->st, events, c->idents, c->red, c->err)) < 0) {
			json_decref(events);
			json_decref(stats);
			return rc;
		}
		json_object_del(doc, "events");
		rec = json_pack("{s:O, s:o, s:o, s:o}", "document", doc, "events", events, "statistics", stats,
				"redacted", redacted_list(c->red));
		fputs(c->n ? ",\n" : "\n", c->out);
		json_dumpf(rec, c->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(rec);
	}
	c->n++;
	if (ferror(c->out))
		return cb_fail(c->err, CB_EIO, "cannot write the export");
	return rc;
}

static int log_export(cb_store *st, const char *what, cb_export_format fmt, int n,
		      const cb_export_redaction *red, cb_error *err)
{
	json_t *detail = json_pack("{s:s, s:s, s:i, s:b, s:I}", "what", what,
				   "format", fmt == CB_EXPORT_CSV ? "csv" : "json", "count", n,
				   "include_protected", red->include_protected,
				   "masked", (json_int_t)red->masked);
	int rc = cb_store_log(st, "export", NULL, detail, err);
	json_decref(detail);
	return rc;
}

int cb_export_documents(cb_store *st, FILE *out, cb_export_format fmt, cb_export_redaction *red,
			cb_error *err)
{
	cb_export_redaction none = {0};
	doc_ctx c = {st, out, fmt, 0, err, red ? red : &none, NULL};
	int rc;

	if ((rc = prot_begin(st, c.red, &c.idents, err)) < 0)
		return rc;
	if (fmt == CB_EXPORT_CSV)
		csv_header(out, DOC_CSV);
	else
		fputc('[', out);
	rc = cb_store_each_document(st, fmt == CB_EXPORT_JSON, export_doc, &c, err);
	json_decref(c.idents);
	if (rc < 0)
		return rc;
	if (fmt == CB_EXPORT_JSON)
		fputs(c.n ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out))
		return cb_fail(err, CB_EIO, "cannot write the export");
	return log_export(st, "documents", fmt, c.n, c.red, err);
}

int cb_export_events(cb_store *st, FILE *out, cb_export_format fmt, const cb_event_filter *f,
		     cb_export_redaction *red, cb_error *err)
{
	cb_export_redaction none = {0};
	json_t *events = NULL, *e, *idents = NULL;
	size_t i;
	int rc;

	if (!red)
		red = &none;
	if ((rc = prot_begin(st, red, &idents, err)) < 0)
		return rc;
	rc = cb_store_list_events(st, &events, f, err);
	if (rc == CB_OK)
		rc = add_persons(st, events, idents, red, err);
	json_decref(idents);
	if (rc < 0) {
		json_decref(events);
		return rc;
	}
	if (fmt == CB_EXPORT_CSV) {
		csv_header(out, EVENT_CSV);
		json_array_foreach(events, i, e)
			event_csv(out, e);
	} else {
		json_dumpf(events, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	}
	if (fflush(out) != 0 || ferror(out))
		rc = cb_fail(err, CB_EIO, "cannot write the export");
	else
		rc = log_export(st, "events", fmt, (int)json_array_size(events), red, err);
	json_decref(events);
	return rc;
}

static const char *const PERSON_CSV[] = {
	"pseudonym", "events", "given_name", "family_name", "birth_date", "home_town", "contact",
	"created_at", "created_by", NULL};

int cb_export_persons(cb_store *st, FILE *out, cb_export_format fmt, cb_export_redaction *red,
		      cb_error *err)
{
	cb_export_redaction none = {0};
	json_t *persons = NULL, *p, *idents = NULL, *doc;
	size_t i;
	int rc;

	if (!red)
		red = &none;
	if ((rc = prot_begin(st, red, &idents, err)) < 0)
		return rc;
	json_decref(idents);
	if ((rc = cb_store_list_persons(st, &persons, red->include_protected, err)) < 0)
		return rc;
	if (fmt == CB_EXPORT_CSV) {
		csv_header(out, PERSON_CSV);
		json_array_foreach(persons, i, p) {
			json_t *id = json_object_get(p, "identity"), *ev = json_array(), *evs, *e;
			size_t j;
			json_array_foreach(json_object_get(p, "events"), j, e)
				json_array_append_new(ev, json_sprintf("%lld:%s",
					(long long)json_integer_value(json_object_get(e, "event")),
					str_or_empty(json_object_get(e, "role"))));
			evs = joined(ev);
			json_t *vals[] = {
				path(p, "pseudonym", NULL), evs, path(id, "given_name", NULL),
				path(id, "family_name", NULL), path(id, "birth_date", NULL),
				path(id, "home_town", NULL), path(id, "contact", NULL),
				path(p, "created_at", NULL), path(p, "created_by", NULL)};
			csv_row(out, vals, sizeof vals / sizeof vals[0]);
			json_decref(ev);
			json_decref(evs);
		}
	} else {
		doc = json_pack("{s:O, s:o}", "persons", persons, "redacted", redacted_list(red));
		json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(doc);
	}
	if (fflush(out) != 0 || ferror(out))
		rc = cb_fail(err, CB_EIO, "cannot write the export");
	else
		rc = log_export(st, "persons", fmt, (int)json_array_size(persons), red, err);
	json_decref(persons);
	return rc;
}
