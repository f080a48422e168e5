/*
 * ingest.c: see ingest.h. The order of work matters for "nothing half
 * written": everything that can fail on bad input (collecting, extracting)
 * happens before the transaction opens, and only writes happen inside it.
 * Inside a caller's batch (an outer transaction), a failure among the
 * writes marks the batch failed (cb_store_failed) and the caller redoes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "collect/ingest.h"
#include "collect/neardup.h"
#include "util/utf8.h"

static const char *json_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

struct cb_ingest_prep {
	char *path;                 /* as given: the source name is its last part */
	cb_collected *c;
	json_t *extracted;          /* the extractor's result, or NULL */
	int extract_done;           /* extracted is final (eager preparation) */
	cb_minhash sig;
	uint64_t bands[CB_MINHASH_BANDS];
};

void cb_ingest_prep_free(cb_ingest_prep *p)
{
	if (!p)
		return;
	cb_collected_free(p->c);
	json_decref(p->extracted);
	free(p->path);
	free(p);
}

/* The extractor's reading of the text (nothing without an extractor). */
static int run_extractor(cb_ingest_prep *p, const cb_ingest_opts *o, cb_error *err)
{
	cb_collected *c = p->c;
	cb_doc_hints hints = {c->title, c->published, o->outlet ? o->outlet : c->site_name,
			      o->url ? o->url : c->canonical_url};
	int rc = CB_OK;
	if (o->x && !p->extract_done)
		rc = cb_extract(&p->extracted, o->x, c->text, c->len, &hints, err);
	p->extract_done = 1;
	return rc;
}

/* Takes c (owned from now on, freed on failure too). eager runs the
 * extractor now; otherwise it runs once the file is known to be new. */
static int prepare(cb_ingest_prep **out, const char *path, cb_collected *c,
		   const cb_ingest_opts *o, int eager, cb_error *err)
{
	cb_ingest_prep *p = calloc(1, sizeof *p);
	int rc;
	*out = NULL;
	if (!p || !(p->path = strdup(path))) {
		free(p);
		cb_collected_free(c);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	p->c = c;
	cb_minhash_compute(&p->sig, c->text, c->len);
	cb_minhash_bands(p->bands, &p->sig);
	if (eager && (rc = run_extractor(p, o, err)) < 0) {
		cb_ingest_prep_free(p);
		return rc;
	}
	*out = p;
	return CB_OK;
}

int cb_ingest_prepare(cb_ingest_prep **out, const char *path, const cb_ingest_opts *opts,
		      cb_error *err)
{
	static const cb_ingest_opts none = {0};
	cb_collected *c = NULL;
	int rc;
	*out = NULL;
	if (!opts)
		opts = &none;
	if ((rc = cb_collect_file(&c, path, opts->max_bytes ? opts->max_bytes : CB_COLLECT_DEFAULT_MAX,
				  err)) < 0)
		return rc;
	return prepare(out, path, c, opts, 1, err);
}

/* The extractor's proposals are suggestions: one the store would refuse
 * (an extractor bug) is dropped and counted, so that the report itself is
 * never lost over it. */
static void drop_invalid(cb_ingest_result *res, json_t *events, const cb_collected *c)
{
	long long cp = (long long)cb_utf8_cp_count(c->text, c->len);
	size_t i = 0;
	if (!json_is_array(events))
		return;
	for (int idx = 0; i < json_array_size(events); idx++) {
		cb_error why = CB_ERROR_INIT;
		if (cb_event_check(json_array_get(events, i), idx, cp, &why) < 0) {
			if (!res->dropped++)
				snprintf(res->dropped_why, sizeof res->dropped_why, "%.150s", why.msg);
			json_array_remove(events, i);
		} else {
			i++;
		}
	}
}

int cb_ingest_prepared(cb_ingest_result *res, cb_store *st, cb_ingest_prep *p,
		       const cb_ingest_opts *o, cb_error *err)
{
	static const cb_ingest_opts none = {0};
	cb_collected *c = p->c;
	json_t *extracted, *doc = NULL, *detail = NULL;
	cb_doc_new d = {0};
	int64_t existing = 0, near = 0;
	double sim = 0;
	int rc;

	if (!o)
		o = &none;
	memset(res, 0, sizeof *res);
	rc = cb_store_find_document(st, &existing, c->hash_hex, err);
	if (rc == CB_OK) {
		res->status = CB_INGEST_DUPLICATE;
		res->doc_id = existing;
		return CB_OK;
	}
	if (rc != CB_ENOTFOUND)
		return rc;
	if ((rc = run_extractor(p, o, err)) < 0)
		return rc;
	extracted = p->extracted;
	if (extracted)
		drop_invalid(res, json_object_get(extracted, "events"), c);
	if (extracted)
		doc = json_object_get(extracted, "document");

	d.hash_hex = c->hash_hex;
	d.source_name = base_name(p->path);
	d.format = c->format == CB_FORMAT_HTML ? "html" : "text";
	d.url = o->url ? o->url : c->canonical_url;
	d.outlet = o->outlet ? o->outlet : doc && json_str(doc, "outlet") ? json_str(doc, "outlet") : c->site_name;
	/* A page's own metadata (<title>, article:published_time) is what its
	 * publisher says; the extractor's reading of the text comes second. */
	d.title = c->title ? c->title : doc ? json_str(doc, "title") : NULL;
	d.published = c->published ? c->published : doc ? json_str(doc, "published") : NULL;
	d.language = doc && json_str(doc, "language") ? json_str(doc, "language") : NULL;
	d.authors = doc ? json_object_get(doc, "authors") : NULL;
	d.translators = doc ? json_object_get(doc, "translators") : NULL;
	d.boilerplate = doc ? json_object_get(doc, "boilerplate") : NULL;
	d.text = c->text;
	d.text_len = c->len;
	/* A text too short to judge has the empty signature: no band keys, or
	 * every short note would fetch every other as a candidate. */
	d.minhash = p->sig.v;
	d.minhash_bands = cb_minhash_is_empty(&p->sig) ? NULL : p->bands;
	if ((rc = cb_store_begin(st, err)) < 0)
		goto done;
	if ((rc = cb_store_find_near_duplicate(st, &near, &sim, &d, CB_NEARDUP_THRESHOLD, err)) < 0)
		goto done;
	/* Most text files are their own text, byte for byte (UTF-8, NFC, LF
	 * already): then the stored text is the original, and a second copy
	 * would only cost disk and time. cb_store_get_original() knows. */
	if ((c->orig_len != c->len || memcmp(c->orig, c->text, c->len) != 0) &&
	    (rc = cb_store_put_blob(st, c->hash_hex, c->orig, c->orig_len, err)) < 0)
		goto done;
	if ((rc = cb_store_add_document(st, &res->doc_id, &d, near, sim, err)) < 0)
		goto done;
	if (extracted) {
		json_t *events = json_object_get(extracted, "events");
		if ((rc = cb_store_add_events(st, res->doc_id, events, "proposed", "extractor", NULL, err)) < 0 ||
		    (rc = cb_store_add_statistics(st, res->doc_id, json_object_get(extracted, "statistics"),
						  err)) < 0)
			goto done;
		res->n_events = (int)json_array_size(events);
	}
	detail = json_pack("{s:s, s:s, s:i}", "source", d.source_name, "hash", c->hash_hex,
			   "events", res->n_events);
	if (near)
		json_object_set_new(detail, "near_duplicate_of", json_integer(near));
	{
		char target[48];
		snprintf(target, sizeof target, "document:%lld", (long long)res->doc_id);
		if ((rc = cb_store_log(st, "ingest", target, detail, err)) < 0)
			goto done;
	}
	if ((rc = cb_store_commit(st, err)) < 0)
		goto done;
	res->status = near ? CB_INGEST_NEAR_DUPLICATE : CB_INGEST_NEW;
	res->near_duplicate_of = near;
	res->similarity = sim;
done:
	if (rc < 0) {
		cb_store_rollback(st);
		res->doc_id = 0;
	}
	json_decref(detail);
	return rc;
}

int cb_ingest_file(cb_ingest_result *res, cb_store *st, const char *path,
		   const cb_ingest_opts *opts, cb_error *err)
{
	static const cb_ingest_opts none = {0};
	cb_collected *c = NULL;
	int rc;

	if (!opts)
		opts = &none;
	cb_ingest_prep *p = NULL;
	if ((rc = cb_collect_file(&c, path, opts->max_bytes ? opts->max_bytes : CB_COLLECT_DEFAULT_MAX,
				  err)) < 0 ||
	    (rc = prepare(&p, path, c, opts, 0, err)) < 0)
		return rc;
	rc = cb_ingest_prepared(res, st, p, opts, err);
	cb_ingest_prep_free(p);
	return rc;
}

int cb_ingest_bytes(cb_ingest_result *res, cb_store *st, const char *name, const void *data,
		    size_t len, const cb_ingest_opts *opts, cb_error *err)
{
	static const cb_ingest_opts none = {0};
	cb_collected *c = NULL;
	int rc;

	if (!opts)
		opts = &none;
	if (len > (opts->max_bytes ? opts->max_bytes : CB_COLLECT_DEFAULT_MAX))
		return cb_fail(err, CB_ETOOBIG, "%s: %zu bytes, over the limit", name, len);
	cb_ingest_prep *p = NULL;
	if ((rc = cb_collect_bytes(&c, name, data, len, err)) < 0 ||
	    (rc = prepare(&p, name, c, opts, 0, err)) < 0)
		return rc;
	rc = cb_ingest_prepared(res, st, p, opts, err);
	cb_ingest_prep_free(p);
	return rc;
}
