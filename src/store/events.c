/*
 * events.c: events and statistics in the store. Events arrive in the
 * codebook's JSON (from the extractor or from import-events) and are checked
 * field by field before anything is written, so that a bad file names its
 * first bad field and leaves the store as it was. They go back out in the
 * same shape, with their store fields (id, status, who, when) added.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char *const TYPES[] = {"trafficking", "arrest", "detention", "interrogation",
				    "surveillance", "sentencing", "repatriation", "abuse",
				    "escape", "release", "policy", "death", NULL};
static const char *const MODALITIES[] = {"actual", "planned", "possible", NULL};
static const char *const PRECISIONS[] = {"day", "month_part", "month", "season",
					 "year", "range", NULL};
static const char *const ROLES[] = {"perpetrator", "authority", "other", NULL};
static const char *const KINDS[] = {"police", "court", "state_security", "border_guard",
				    "government", "trafficker", "buyer", "family", "ngo",
				    "other", NULL};
static const char *const GENDERS[] = {"female", "male", "mixed", NULL};
static const char *const STATUSES[] = {"proposed", "accepted", "rejected", NULL};

static int one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(v, *list))
			return 1;
	return 0;
}

static void join_list(char *buf, size_t n, const char *const *list)
{
	buf[0] = '\0';
	for (size_t used = 0; *list; list++) {
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *list);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

/* A string that must be one of list (or null when nullable). */
static int check_enum(json_t *v, const char *field, const char *const *list, int nullable,
		      int idx, cb_error *err)
{
	char allowed[256];
	if ((!v || json_is_null(v)) && nullable)
		return CB_OK;
	if (json_is_string(v) && one_of(json_string_value(v), list))
		return CB_OK;
	join_list(allowed, sizeof allowed, list);
	return cb_fail(err, CB_EFORMAT, "event %d: %s must be one of: %s%s", idx, field, allowed,
		       nullable ? " (or null)" : "");
}

/* YYYY, YYYY-MM or YYYY-MM-DD with plausible numbers. */
static int iso_date_ok(const char *s)
{
	size_t n = strlen(s);
	int y, m = 1, d = 1;
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	if (n >= 7)
		m = atoi(s + 5);
	if (n == 10)
		d = atoi(s + 8);
	return y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int check_date_field(json_t *v, const char *field, int idx, cb_error *err)
{
	if (!v || json_is_null(v))
		return CB_OK;
	if (json_is_string(v) && iso_date_ok(json_string_value(v)))
		return CB_OK;
	return cb_fail(err, CB_EFORMAT, "event %d: %s must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
		       idx, field);
}

static int check_count(json_t *v, const char *field, int idx, cb_error *err)
{
	if (!v || json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 0))
		return CB_OK;
	return cb_fail(err, CB_EFORMAT, "event %d: %s must be a whole number >= 0 or null", idx, field);
}

static int check_text(json_t *v, const char *field, int idx, cb_error *err)
{
	if (!v || json_is_null(v) || json_is_string(v))
		return CB_OK;
	return cb_fail(err, CB_EFORMAT, "event %d: %s must be a string or null", idx, field);
}

/* Checks one codebook event; text_cp is the document's length in code points. */
static int check_event(json_t *e, int idx, long long text_cp, cb_error *err)
{
	json_t *v, *o;
	int rc;

	if (!json_is_object(e))
		return cb_fail(err, CB_EFORMAT, "event %d: not a JSON object", idx);
	if ((rc = check_enum(json_object_get(e, "type"), "type", TYPES, 0, idx, err)) < 0 ||
	    (rc = check_enum(json_object_get(e, "modality"), "modality", MODALITIES, 1, idx, err)) < 0)
		return rc;
	o = json_object_get(e, "date");
	if (o && !json_is_null(o)) {
		if (!json_is_object(o))
			return cb_fail(err, CB_EFORMAT, "event %d: date must be an object or null", idx);
		if ((rc = check_date_field(json_object_get(o, "start"), "date.start", idx, err)) < 0 ||
		    (rc = check_date_field(json_object_get(o, "end"), "date.end", idx, err)) < 0 ||
		    (rc = check_enum(json_object_get(o, "precision"), "date.precision", PRECISIONS, 1,
				     idx, err)) < 0 ||
		    (rc = check_text(json_object_get(o, "text"), "date.text", idx, err)) < 0)
			return rc;
	}
	o = json_object_get(e, "location");
	if (o && !json_is_null(o)) {
		if (!json_is_object(o))
			return cb_fail(err, CB_EFORMAT, "event %d: location must be an object or null", idx);
		v = json_object_get(o, "country");
		if (v && !json_is_null(v) &&
		    !(json_is_string(v) && strlen(json_string_value(v)) == 2 &&
		      isupper((unsigned char)json_string_value(v)[0]) &&
		      isupper((unsigned char)json_string_value(v)[1])))
			return cb_fail(err, CB_EFORMAT,
				       "event %d: location.country must be an ISO 3166 alpha-2 code", idx);
		if ((rc = check_text(json_object_get(o, "admin1"), "location.admin1", idx, err)) < 0 ||
		    (rc = check_text(json_object_get(o, "place"), "location.place", idx, err)) < 0 ||
		    (rc = check_text(json_object_get(o, "text"), "location.text", idx, err)) < 0)
			return rc;
	}
	o = json_object_get(e, "actors");
	if (o && !json_is_null(o)) {
		size_t i;
		json_t *a;
		if (!json_is_array(o))
			return cb_fail(err, CB_EFORMAT, "event %d: actors must be an array", idx);
		json_array_foreach(o, i, a) {
			if (!json_is_object(a))
				return cb_fail(err, CB_EFORMAT, "event %d: actors[%zu] must be an object", idx, i);
			if ((rc = check_enum(json_object_get(a, "role"), "actors[].role", ROLES, 0, idx, err)) < 0 ||
			    (rc = check_enum(json_object_get(a, "kind"), "actors[].kind", KINDS, 0, idx, err)) < 0 ||
			    (rc = check_text(json_object_get(a, "text"), "actors[].text", idx, err)) < 0)
				return rc;
		}
	}
	o = json_object_get(e, "victims");
	if (o && !json_is_null(o)) {
		json_t *lo, *hi;
		if (!json_is_object(o))
			return cb_fail(err, CB_EFORMAT, "event %d: victims must be an object or null", idx);
		lo = json_object_get(o, "count_min");
		hi = json_object_get(o, "count_max");
		if ((rc = check_count(lo, "victims.count_min", idx, err)) < 0 ||
		    (rc = check_count(hi, "victims.count_max", idx, err)) < 0 ||
		    (rc = check_enum(json_object_get(o, "gender"), "victims.gender", GENDERS, 1, idx, err)) < 0 ||
		    (rc = check_text(json_object_get(o, "nationality"), "victims.nationality", idx, err)) < 0 ||
		    (rc = check_text(json_object_get(o, "text"), "victims.text", idx, err)) < 0)
			return rc;
		if (json_is_integer(lo) && json_is_integer(hi) &&
		    json_integer_value(lo) > json_integer_value(hi))
			return cb_fail(err, CB_EFORMAT, "event %d: victims.count_min is above count_max", idx);
	}
	v = json_object_get(e, "sentence_years");
	if (v && !json_is_null(v) && !(json_is_number(v) && json_number_value(v) >= 0))
		return cb_fail(err, CB_EFORMAT, "event %d: sentence_years must be a number >= 0 or null", idx);
	o = json_object_get(e, "evidence");
	if (o && !json_is_null(o)) {
		json_t *s, *en;
		if (!json_is_object(o))
			return cb_fail(err, CB_EFORMAT, "event %d: evidence must be an object", idx);
		s = json_object_get(o, "start");
		en = json_object_get(o, "end");
		if (!json_is_integer(s) || !json_is_integer(en))
			return cb_fail(err, CB_EFORMAT, "event %d: evidence.start and .end must be integers", idx);
		if (json_integer_value(s) < 0 || json_integer_value(s) > json_integer_value(en) ||
		    json_integer_value(en) > text_cp)
			return cb_fail(err, CB_EFORMAT,
				       "event %d: evidence span %lld..%lld lies outside the document (%lld characters)",
				       idx, (long long)json_integer_value(s), (long long)json_integer_value(en),
				       text_cp);
	}
	return CB_OK;
}

static const char *str_at(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void bind_int_or_null(sqlite3_stmt *s, int i, json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(s, i, json_integer_value(v));
	else
		sqlite3_bind_null(s, i);
}

static int doc_length(cb_store *st, long long *cp, int64_t doc_id, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;
	if ((rc = cb_sql_cached(st, &s, "SELECT length(text) FROM documents WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, doc_id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*cp = sqlite3_column_int64(s, 0);
	else if (step == SQLITE_DONE)
		rc = cb_fail(err, CB_ENOTFOUND, "no document %lld in %s", (long long)doc_id, st->dir);
	else
		rc = cb_sql_fail(st, err, "reading a document");
	cb_sql_done(s);
	return rc;
}

int cb_event_check(json_t *event, int idx, long long text_cp, cb_error *err)
{
	return check_event(event, idx, text_cp, err);
}

int cb_events_check(json_t *events, long long text_cp, cb_error *err)
{
	size_t i;
	json_t *e;
	int rc;

	if (!json_is_array(events))
		return cb_fail(err, CB_EFORMAT, "\"events\" must be an array");
	json_array_foreach(events, i, e)
		if ((rc = check_event(e, (int)i, text_cp, err)) < 0)
			return rc;
	return CB_OK;
}

int cb_store_add_events(cb_store *st, int64_t doc_id, json_t *events, const char *status,
			const char *origin, json_t *ids, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	long long text_cp = 0;
	char now[32];
	size_t i;
	json_t *e;
	int rc;

	if (!one_of(status, STATUSES))
		return cb_fail(err, CB_EINVAL, "bad event status '%s'", status);
	if ((rc = doc_length(st, &text_cp, doc_id, err)) < 0)
		return rc;
	/* Check everything first: a bad event anywhere means none is written. */
	if ((rc = cb_events_check(events, text_cp, err)) < 0)
		return rc;
	cb_now_iso(now);
	if ((rc = cb_sql_cached(st, &s,
				 "INSERT INTO events(doc_id, type, modality, date_start, date_end,"
				 " date_precision, date_text, country, admin1, place, location_text,"
				 " has_location, actors, victim_count_min, victim_count_max, victim_gender,"
				 " victim_nationality, victim_text, sentence_years, evidence_start,"
				 " evidence_end, evidence_quote, evidence_also, status, origin,"
				 " created_at, created_by) VALUES (?1, ?2, coalesce(?3, 'actual'), ?4, ?5,"
				 " ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?13, '[]'), ?14, ?15, ?16, ?17,"
				 " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)", err)) < 0)
		return rc;
	json_array_foreach(events, i, e) {
		json_t *date = json_object_get(e, "date"), *loc = json_object_get(e, "location");
		json_t *vic = json_object_get(e, "victims"), *ev = json_object_get(e, "evidence");
		json_t *sy = json_object_get(e, "sentence_years"), *actors = json_object_get(e, "actors");

		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		sqlite3_bind_int64(s, 1, doc_id);
		cb_sql_bind_text(s, 2, str_at(e, "type"));
		cb_sql_bind_text(s, 3, str_at(e, "modality"));
		if (json_is_object(date)) {
			cb_sql_bind_text(s, 4, str_at(date, "start"));
			cb_sql_bind_text(s, 5, str_at(date, "end"));
			cb_sql_bind_text(s, 6, str_at(date, "precision"));
			cb_sql_bind_text(s, 7, str_at(date, "text"));
		}
		if (json_is_object(loc)) {
			cb_sql_bind_text(s, 8, str_at(loc, "country"));
			cb_sql_bind_text(s, 9, str_at(loc, "admin1"));
			cb_sql_bind_text(s, 10, str_at(loc, "place"));
			cb_sql_bind_text(s, 11, str_at(loc, "text"));
		}
		sqlite3_bind_int(s, 12, json_is_object(loc));
		cb_sql_bind_json(s, 13, json_is_array(actors) ? actors : NULL);
		if (json_is_object(vic)) {
			bind_int_or_null(s, 14, json_object_get(vic, "count_min"));
			bind_int_or_null(s, 15, json_object_get(vic, "count_max"));
			cb_sql_bind_text(s, 16, str_at(vic, "gender"));
			cb_sql_bind_text(s, 17, str_at(vic, "nationality"));
			cb_sql_bind_text(s, 18, str_at(vic, "text"));
		}
		if (json_is_number(sy))
			sqlite3_bind_double(s, 19, json_number_value(sy));
		if (json_is_object(ev)) {
			bind_int_or_null(s, 20, json_object_get(ev, "start"));
			bind_int_or_null(s, 21, json_object_get(ev, "end"));
			cb_sql_bind_text(s, 22, str_at(ev, "quote"));
			if (json_is_array(json_object_get(ev, "also")))
				cb_sql_bind_json(s, 23, json_object_get(ev, "also"));
		}
		sqlite3_bind_text(s, 24, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 25, origin, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 26, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 27, st->user, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "storing an event");
			cb_error_prefix(err, "event %zu", i);
			break;
		}
		if (ids)
			json_array_append_new(ids, json_integer(sqlite3_last_insert_rowid(st->db)));
	}
	cb_sql_done(s);
	return rc;
}

int cb_store_add_statistics(cb_store *st, int64_t doc_id, json_t *stats, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	char now[32];
	size_t i;
	json_t *e;
	int rc;

	if (!stats || json_is_null(stats))
		return CB_OK;
	if (!json_is_array(stats))
		return cb_fail(err, CB_EFORMAT, "\"statistics\" must be an array");
	json_array_foreach(stats, i, e) {
		json_t *lo = json_object_get(e, "quantity_min"), *hi = json_object_get(e, "quantity_max");
		if (!json_is_object(e))
			return cb_fail(err, CB_EFORMAT, "statistic %zu: not a JSON object", i);
		if ((lo && !json_is_null(lo) && !json_is_number(lo)) ||
		    (hi && !json_is_null(hi) && !json_is_number(hi)))
			return cb_fail(err, CB_EFORMAT, "statistic %zu: quantities must be numbers or null", i);
	}
	cb_now_iso(now);
	if ((rc = cb_sql_cached(st, &s,
				 "INSERT INTO statistics(doc_id, text, quantity_min, quantity_max, unit,"
				 " about, attributed_to, evidence_start, evidence_end, created_at, created_by)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err)) < 0)
		return rc;
	json_array_foreach(stats, i, e) {
		json_t *ev = json_object_get(e, "evidence"), *v;
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		sqlite3_bind_int64(s, 1, doc_id);
		cb_sql_bind_text(s, 2, str_at(e, "text"));
		if (json_is_number(v = json_object_get(e, "quantity_min")))
			sqlite3_bind_double(s, 3, json_number_value(v));
		if (json_is_number(v = json_object_get(e, "quantity_max")))
			sqlite3_bind_double(s, 4, json_number_value(v));
		cb_sql_bind_text(s, 5, str_at(e, "unit"));
		cb_sql_bind_text(s, 6, str_at(e, "about"));
		cb_sql_bind_text(s, 7, str_at(e, "attributed_to"));
		if (json_is_object(ev)) {
			bind_int_or_null(s, 8, json_object_get(ev, "start"));
			bind_int_or_null(s, 9, json_object_get(ev, "end"));
		}
		sqlite3_bind_text(s, 10, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 11, st->user, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "storing a statistic");
			break;
		}
	}
	cb_sql_done(s);
	return rc;
}

/* ---- reading ------------------------------------------------------- */

#define EVENT_COLUMNS                                                                    \
	"id, doc_id, type, modality, date_start, date_end, date_precision, date_text, "     \
	"country, admin1, place, location_text, has_location, actors, victim_count_min, "   \
	"victim_count_max, victim_gender, victim_nationality, victim_text, sentence_years, " \
	"evidence_start, evidence_end, evidence_quote, evidence_also, status, origin, "      \
	"created_at, created_by, reviewed_at, reviewed_by, incident_id"

static json_t *event_row(sqlite3_stmt *s)
{
	json_t *date = json_null(), *loc = json_null(), *ev, *e;

	if (sqlite3_column_type(s, 4) != SQLITE_NULL || sqlite3_column_type(s, 5) != SQLITE_NULL ||
	    sqlite3_column_type(s, 6) != SQLITE_NULL || sqlite3_column_type(s, 7) != SQLITE_NULL)
		date = json_pack("{s:o, s:o, s:o, s:o}", "start", cb_sql_column_json_string(s, 4),
				 "end", cb_sql_column_json_string(s, 5),
				 "precision", cb_sql_column_json_string(s, 6),
				 "text", cb_sql_column_json_string(s, 7));
	if (sqlite3_column_int(s, 12))
		loc = json_pack("{s:o, s:o, s:o, s:o}", "country", cb_sql_column_json_string(s, 8),
				"admin1", cb_sql_column_json_string(s, 9),
				"place", cb_sql_column_json_string(s, 10),
				"text", cb_sql_column_json_string(s, 11));
	ev = json_pack("{s:o, s:o, s:o}", "start", cb_sql_column_json_int(s, 20),
		       "end", cb_sql_column_json_int(s, 21),
		       "quote", cb_sql_column_json_string(s, 22));
	if (ev && sqlite3_column_type(s, 23) != SQLITE_NULL)
		json_object_set_new(ev, "also", cb_sql_column_json(s, 23));
	e = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o,"
		      " s:{s:o, s:o, s:o, s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		      "id", (json_int_t)sqlite3_column_int64(s, 0),
		      "document", (json_int_t)sqlite3_column_int64(s, 1),
		      "type", cb_sql_column_json_string(s, 2),
		      "modality", cb_sql_column_json_string(s, 3),
		      "date", date, "location", loc,
		      "actors", cb_sql_column_json(s, 13),
		      "victims", "count_min", cb_sql_column_json_int(s, 14),
		      "count_max", cb_sql_column_json_int(s, 15),
		      "gender", cb_sql_column_json_string(s, 16),
		      "nationality", cb_sql_column_json_string(s, 17),
		      "text", cb_sql_column_json_string(s, 18),
		      "sentence_years", cb_sql_column_json_real(s, 19),
		      "evidence", ev,
		      "status", cb_sql_column_json_string(s, 24),
		      "origin", cb_sql_column_json_string(s, 25),
		      "created_at", cb_sql_column_json_string(s, 26),
		      "created_by", cb_sql_column_json_string(s, 27),
		      "reviewed_at", cb_sql_column_json_string(s, 28),
		      "reviewed_by", cb_sql_column_json_string(s, 29),
		      "incident", cb_sql_column_json_int(s, 30));
	return e;
}

int cb_store_list_events(cb_store *st, json_t **out, const cb_event_filter *f, cb_error *err)
{
	static const cb_event_filter none = {0};
	sqlite3_stmt *s;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if (!f)
		f = &none;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (f->type && !one_of(f->type, TYPES)) {
		char allowed[256];
		json_decref(arr);
		join_list(allowed, sizeof allowed, TYPES);
		return cb_fail(err, CB_EINVAL, "'%s' is not an event type (%s)", f->type, allowed);
	}
	if (f->status && !one_of(f->status, STATUSES)) {
		json_decref(arr);
		return cb_fail(err, CB_EINVAL, "'%s' is not a status (proposed, accepted, rejected)", f->status);
	}
	/* Dates compare as ISO strings: a "YYYY" or "YYYY-MM" bound covers its
	 * whole year or month because ranges test end >= from, start <= to||'~'.
	 * Only the filters given go into the SQL, so that SQLite can use the
	 * index of each (a "?6 = 0 OR doc_id = ?6" form would scan the table). */
	{
		char sql[1024];
		size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT " EVENT_COLUMNS " FROM events WHERE 1");
		/* With a limit, walking the events in report order and stopping
		 * at the limit beats sorting every event of a type: "+type"
		 * keeps the planner off the type index then. */
		if (f->type)
			n += (size_t)snprintf(sql + n, sizeof sql - n,
					      f->limit > 0 && !f->doc_id ? " AND +type = ?1" : " AND type = ?1");
		if (f->status)
			n += (size_t)snprintf(sql + n, sizeof sql - n, " AND status = ?2");
		if (f->admin1)
			n += (size_t)snprintf(sql + n, sizeof sql - n, " AND admin1 = ?3 COLLATE NOCASE");
		if (f->from)
			n += (size_t)snprintf(sql + n, sizeof sql - n,
					      " AND coalesce(date_end, date_start) >= ?4");
		if (f->to)
			n += (size_t)snprintf(sql + n, sizeof sql - n,
					      " AND coalesce(date_start, date_end) <= ?5 || '~'");
		if (f->doc_id)
			n += (size_t)snprintf(sql + n, sizeof sql - n, " AND doc_id = ?6");
		snprintf(sql + n, sizeof sql - n, " ORDER BY doc_id, evidence_start, id LIMIT ?7");
		if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0) {
			json_decref(arr);
			return rc;
		}
	}
	cb_sql_bind_text(s, 1, f->type);
	cb_sql_bind_text(s, 2, f->status);
	cb_sql_bind_text(s, 3, f->admin1);
	cb_sql_bind_text(s, 4, f->from);
	cb_sql_bind_text(s, 5, f->to);
	sqlite3_bind_int64(s, 6, f->doc_id);
	sqlite3_bind_int64(s, 7, f->limit > 0 ? f->limit : -1);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, event_row(s));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading events");
	sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int cb_store_get_event(cb_store *st, json_t **out, int64_t id, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;

	*out = NULL;
	if ((rc = cb_sql_prepare(st, &s, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*out = event_row(s);
	else if (step == SQLITE_DONE)
		rc = cb_fail(err, CB_ENOTFOUND, "no event %lld in %s", (long long)id, st->dir);
	else
		rc = cb_sql_fail(st, err, "reading an event");
	sqlite3_finalize(s);
	return rc;
}

int cb_store_list_statistics(cb_store *st, json_t **out, int64_t doc_id, cb_error *err)
{
	sqlite3_stmt *s;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if ((rc = cb_sql_prepare(st, &s,
				 doc_id ? "SELECT id, doc_id, text, quantity_min, quantity_max, unit, about,"
					  " attributed_to, evidence_start, evidence_end FROM statistics"
					  " WHERE doc_id = ?1 ORDER BY id"
					: "SELECT id, doc_id, text, quantity_min, quantity_max, unit, about,"
					  " attributed_to, evidence_start, evidence_end FROM statistics"
					  " WHERE ?1 = 0 ORDER BY doc_id, id",
				 err)) < 0) {
		json_decref(arr);
		return rc;
	}
	sqlite3_bind_int64(s, 1, doc_id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}}",
				"id", (json_int_t)sqlite3_column_int64(s, 0),
				"document", (json_int_t)sqlite3_column_int64(s, 1),
				"text", cb_sql_column_json_string(s, 2),
				"quantity_min", cb_sql_column_json_real(s, 3),
				"quantity_max", cb_sql_column_json_real(s, 4),
				"unit", cb_sql_column_json_string(s, 5),
				"about", cb_sql_column_json_string(s, 6),
				"attributed_to", cb_sql_column_json_string(s, 7),
				"evidence", "start", cb_sql_column_json_int(s, 8),
				"end", cb_sql_column_json_int(s, 9)));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading statistics");
	sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

/* ---- changing ------------------------------------------------------ */

static int update_one(cb_store *st, int64_t id, const char *sql, const char *text, int kind,
		      cb_error *err)
{
	sqlite3_stmt *s;
	int rc;
	if ((rc = cb_sql_prepare(st, &s, sql, err)) < 0)
		return rc;
	if (!text)
		sqlite3_bind_null(s, 1);
	else if (kind == 'i')
		sqlite3_bind_int64(s, 1, strtoll(text, NULL, 10));
	else if (kind == 'r')
		sqlite3_bind_double(s, 1, strtod(text, NULL));
	else
		sqlite3_bind_text(s, 1, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "changing an event");
	else if (sqlite3_changes(st->db) == 0)
		rc = cb_fail(err, CB_ENOTFOUND, "no event %lld in %s", (long long)id, st->dir);
	sqlite3_finalize(s);
	return rc;
}

int cb_store_review_event(cb_store *st, int64_t id, const char *status, cb_error *err)
{
	sqlite3_stmt *s;
	char now[32];
	int rc;

	if (!one_of(status, STATUSES))
		return cb_fail(err, CB_EINVAL, "'%s' is not a status (proposed, accepted, rejected)", status);
	cb_now_iso(now);
	if ((rc = cb_sql_prepare(st, &s,
				 "UPDATE events SET status = ?1, reviewed_at = ?2, reviewed_by = ?3"
				 " WHERE id = ?4", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, st->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reviewing an event");
	else if (sqlite3_changes(st->db) == 0)
		rc = cb_fail(err, CB_ENOTFOUND, "no event %lld in %s", (long long)id, st->dir);
	sqlite3_finalize(s);
	return rc;
}

/* The fields a person may edit: name, column, value kind, and its check. */
typedef struct editable {
	const char *field;
	const char *column;
	char kind; /* 't' text, 'i' integer, 'r' real, 'e' enum, 'd' ISO date, 'j' JSON, 'c' country */
	const char *const *values;
	int nullable;
} editable;

static const editable EDITABLE[] = {
	{"type", "type", 'e', TYPES, 0},
	{"modality", "modality", 'e', MODALITIES, 0},
	{"date.start", "date_start", 'd', NULL, 1},
	{"date.end", "date_end", 'd', NULL, 1},
	{"date.precision", "date_precision", 'e', PRECISIONS, 1},
	{"date.text", "date_text", 't', NULL, 1},
	{"location.country", "country", 'c', NULL, 1},
	{"location.admin1", "admin1", 't', NULL, 1},
	{"location.place", "place", 't', NULL, 1},
	{"location.text", "location_text", 't', NULL, 1},
	{"victims.count_min", "victim_count_min", 'i', NULL, 1},
	{"victims.count_max", "victim_count_max", 'i', NULL, 1},
	{"victims.gender", "victim_gender", 'e', GENDERS, 1},
	{"victims.nationality", "victim_nationality", 'c', NULL, 1},
	{"victims.text", "victim_text", 't', NULL, 1},
	{"sentence_years", "sentence_years", 'r', NULL, 1},
	{"actors", "actors", 'j', NULL, 0},
	{"incident", "incident_id", 'i', NULL, 1},
	{NULL, NULL, 0, NULL, 0},
};

static int check_value(const editable *f, const char *v, cb_error *err)
{
	char *end;
	switch (f->kind) {
	case 'e':
		if (!one_of(v, f->values)) {
			char allowed[256];
			join_list(allowed, sizeof allowed, f->values);
			return cb_fail(err, CB_EINVAL, "%s must be one of: %s", f->field, allowed);
		}
		return CB_OK;
	case 'd':
		return iso_date_ok(v) ? CB_OK
				      : cb_fail(err, CB_EINVAL, "%s must be YYYY, YYYY-MM or YYYY-MM-DD", f->field);
	case 'i':
		if (strtoll(v, &end, 10) < 0 || *end || end == v)
			return cb_fail(err, CB_EINVAL, "%s must be a whole number >= 0", f->field);
		return CB_OK;
	case 'r':
		if (strtod(v, &end) < 0 || *end || end == v)
			return cb_fail(err, CB_EINVAL, "%s must be a number >= 0", f->field);
		return CB_OK;
	case 'c':
		if (strlen(v) != 2 || !isupper((unsigned char)v[0]) || !isupper((unsigned char)v[1]))
			return cb_fail(err, CB_EINVAL, "%s must be an ISO 3166 alpha-2 code such as CN or KP",
				       f->field);
		return CB_OK;
	case 'j': {
		json_t *j = json_loads(v, 0, NULL);
		size_t i;
		json_t *a;
		int rc = CB_OK;
		if (!json_is_array(j))
			rc = cb_fail(err, CB_EINVAL, "%s must be a JSON array of {role, kind, text}", f->field);
		else
			json_array_foreach(j, i, a)
				if (!json_is_object(a) || !json_is_string(json_object_get(a, "role")) ||
				    !one_of(json_string_value(json_object_get(a, "role")), ROLES) ||
				    !json_is_string(json_object_get(a, "kind")) ||
				    !one_of(json_string_value(json_object_get(a, "kind")), KINDS)) {
					rc = cb_fail(err, CB_EINVAL,
						     "actors[%zu] needs a role (perpetrator, authority, other) and a kind", i);
					break;
				}
		json_decref(j);
		return rc;
	}
	default:
		return CB_OK;
	}
}

int cb_store_edit_event(cb_store *st, int64_t id, const char *field, const char *value,
			cb_error *err)
{
	const editable *f;
	char sql[160];
	int rc;

	for (f = EDITABLE; f->field && strcmp(f->field, field); f++)
		;
	if (!f->field) {
		char names[512] = "";
		size_t used = 0;
		for (const editable *g = EDITABLE; g->field; g++) {
			int w = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", g->field);
			if (w < 0 || (size_t)w >= sizeof names - used)
				break;
			used += (size_t)w;
		}
		return cb_fail(err, CB_EINVAL, "'%s' is not an editable field (%s)", field, names);
	}
	if (!*value || !strcmp(value, "null")) {
		if (!f->nullable)
			return cb_fail(err, CB_EINVAL, "%s cannot be empty", f->field);
		value = NULL;
	} else if ((rc = check_value(f, value, err)) < 0) {
		return rc;
	}
	snprintf(sql, sizeof sql, "UPDATE events SET %s = ?1%s WHERE id = ?2", f->column,
		 !strncmp(f->field, "location.", 9) ? ", has_location = 1" : "");
	return update_one(st, id, sql, value, f->kind, err);
}
