/*
 * persons.c: people in the record, by pseudonym. A person's identifying
 * fields (names, birth date, home town, contact) are one JSON value sealed
 * with cb_field_seal to every owner and editor of the store (the holders):
 * a viewer holds the data key and so reads every page, but not these. See
 * docs/security.md for the threat this answers and where it stops.
 *
 * Masking: viewers must not read a protected name in an evidence quote or a
 * report's text either, yet they cannot open the sealed names. So when a
 * person is added, the holder's casebook also stores keyed BLAKE2b tags of
 * each name word (casefolded), under a key derived from the data key; the
 * viewer's casebook tags each word of a text the same way and masks those
 * whose tag is stored. The tags let a viewer confirm a guessed name - the
 * price of masking without the names (documented in docs/security.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "store/store_int.h"
#include "util/utf8.h"

#define TAG_LEN 16
#define FIELD_MAX 512
#define MAX_TAGS 256 /* per person: far more name words than any name has */

static const char *const FIELDS[] = {"given_name", "family_name", "birth_date", "home_town",
				     "contact", "age", "sex", NULL};
#define NFIELDS 7
static const char *const ROLES[] = {"victim", "witness", "source", "perpetrator", "other", NULL};

int cb_store_is_holder(const cb_store *st)
{
	int r = cb_store_role(st);
	return r == CB_ROLE_OWNER || r == CB_ROLE_EDITOR;
}

static int need_keys(cb_store *st, cb_error *err)
{
	if (!st->keys || !st->kr)
		return cb_fail(err, CB_EAUTH, "%s: the store is not unlocked", st->dir);
	return CB_OK;
}

/* The tag key: one use of the data key, so that a tag says nothing to
 * someone without the store's key. */
static void mask_key(unsigned char key[32], const cb_store *st)
{
	static const char ctx[] = "casebook person name tags v1";
	unsigned char db[32];
	cb_keys_subkey(db, st->keys, CB_SUBKEY_DB);
	crypto_generichash(key, 32, (const unsigned char *)ctx, sizeof ctx - 1, db, sizeof db);
	sodium_memzero(db, sizeof db);
}

/* ---- words ------------------------------------------------------------ */

static int word_cp(int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* The next word of s[*pos..n) (valid UTF-8): its start and end in bytes;
 * 0 at the end. Words are runs of letters, marks and digits. */
static int next_word(const char *s, size_t n, size_t *pos, size_t *ws, size_t *we)
{
	size_t i = *pos;
	int32_t c;
	size_t k;
	while (i < n) {
		k = cb_utf8_decode(s + i, n - i, &c);
		if (word_cp(c))
			break;
		i += k;
	}
	if (i >= n) {
		*pos = n;
		return 0;
	}
	*ws = i;
	while (i < n) {
		k = cb_utf8_decode(s + i, n - i, &c);
		if (!word_cp(c))
			break;
		i += k;
	}
	*we = *pos = i;
	return 1;
}

/* The tag of a word: keyed BLAKE2b of its NFC casefolded form. Words shorter
 * than 2 bytes (initials) get no tag: -1. */
static int word_tag(unsigned char tag[TAG_LEN], const unsigned char key[32], const char *w,
		    size_t n)
{
	utf8proc_uint8_t *fold = NULL;
	utf8proc_ssize_t len;
	if (n < 2)
		return -1;
	len = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &fold,
			   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (len < 0)
		return -1;
	crypto_generichash(tag, TAG_LEN, fold, (size_t)len, key, 32);
	free(fold);
	return 0;
}

/* Appends the tags of the words of s to tags (room for MAX_TAGS). */
static void add_tags(unsigned char *tags, size_t *n, const unsigned char key[32], const char *s,
		     size_t len)
{
	size_t pos = 0, ws, we;
	while (*n < MAX_TAGS && next_word(s, len, &pos, &ws, &we))
		if (word_tag(tags + *n * TAG_LEN, key, s + ws, we - ws) == 0)
			(*n)++;
}

/* ---- input checks ----------------------------------------------------- */

static int check_field(const char *name, const char *v, cb_error *err)
{
	size_t n = strlen(v);
	if (n == 0)
		return cb_fail(err, CB_EINVAL, "%s: empty", name);
	if (n > FIELD_MAX)
		return cb_fail(err, CB_ETOOBIG, "%s: longer than %d bytes", name, FIELD_MAX);
	if (cb_utf8_invalid_at(v, n) != n)
		return cb_fail(err, CB_EFORMAT, "%s: not valid UTF-8", name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return cb_fail(err, CB_EFORMAT, "%s: holds a control character", name);
	return CB_OK;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31. */
static int check_date(const char *d, cb_error *err)
{
	size_t n = strlen(d);
	int ok = (n == 4 || n == 7 || n == 10) && digits(d, 4);
	if (ok && n >= 7)
		ok = d[4] == '-' && digits(d + 5, 2) && atoi(d + 5) >= 1 && atoi(d + 5) <= 12;
	if (ok && n == 10)
		ok = d[7] == '-' && digits(d + 8, 2) && atoi(d + 8) >= 1 && atoi(d + 8) <= 31;
	if (!ok)
		return cb_fail(err, CB_EINVAL, "birth date '%.40s': not YYYY[-MM[-DD]]", d);
	return CB_OK;
}

/* An age in whole years, 0-130. */
static int check_age(const char *a, cb_error *err)
{
	size_t n = strlen(a);
	if (n < 1 || n > 3 || !digits(a, (int)n) || atoi(a) > 130)
		return cb_fail(err, CB_EINVAL, "age '%.40s': not a whole number of years (0-130)", a);
	return CB_OK;
}

/* ---- sealing ---------------------------------------------------------- */

/* The holders' X25519 public keys (owners and editors), malloc'd. */
static int holders(cb_store *st, unsigned char (**out)[32], size_t *n, cb_error *err)
{
	size_t count = cb_keyring_count(st->kr), k = 0;
	unsigned char(*pk)[32] = malloc((count ? count : 1) * sizeof *pk);
	*out = NULL;
	*n = 0;
	if (!pk)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		const char *name;
		int role;
		if (cb_keyring_user(st->kr, i, &name, &role, NULL, pk[k]) == 0 &&
		    (role == CB_ROLE_OWNER || role == CB_ROLE_EDITOR))
			k++;
	}
	if (k == 0) {
		free(pk);
		return cb_fail(err, CB_EAUTH, "%s: no owner or editor to seal to", st->dir);
	}
	*out = pk;
	*n = k;
	return CB_OK;
}

static int seal_identity(cb_store *st, unsigned char **out, size_t *len, json_t *ident,
			 cb_error *err)
{
	unsigned char(*pk)[32] = NULL;
	size_t npk;
	char *txt = NULL;
	int rc;
	*out = NULL;
	if ((rc = holders(st, &pk, &npk, err)) < 0)
		goto done;
	if (!(txt = json_dumps(ident, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	rc = cb_field_seal(out, len, txt, strlen(txt), (const unsigned char(*)[32])pk, npk, err);
done:
	if (txt) {
		sodium_memzero(txt, strlen(txt));
		free(txt);
	}
	free(pk);
	return rc;
}

/* Opens a sealed identity with the acting user's key: CB_EAUTH for a
 * viewer, or for a holder added after it was sealed. */
static int open_identity(cb_store *st, json_t **out, const void *sealed, size_t len,
			 const char *pseudonym, cb_error *err)
{
	unsigned char *plain = NULL;
	size_t n = 0;
	json_error_t jerr;
	int rc;
	*out = NULL;
	if (!cb_store_is_holder(st))
		return cb_fail(err, CB_EAUTH, "%s: identities are sealed to owners and editors; '%s' is a viewer",
			       pseudonym, st->user);
	rc = cb_field_open(&plain, &n, sealed, len, st->keys->box_pk, st->keys->box_sk, err);
	if (rc == CB_EAUTH) {
		return cb_fail(err, CB_EAUTH,
			       "%s: sealed before '%s' became a holder; an owner can run 'casebook person reseal'",
			       pseudonym, st->user);
	}
	if (rc < 0)
		return cb_fail(err, rc, "%s: identity: %s", pseudonym, err->msg);
	*out = json_loadb((const char *)plain, n, 0, &jerr);
	sodium_memzero(plain, n);
	free(plain);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cb_fail(err, CB_EINTEGRITY, "%s: sealed identity is not a JSON object", pseudonym);
	}
	return CB_OK;
}

/* ---- writes ----------------------------------------------------------- */

static void new_pseudonym(char out[16])
{
	static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char r[5];
	uint64_t v = 0;
	randombytes_buf(r, sizeof r);
	for (int i = 0; i < 5; i++)
		v = v << 8 | r[i];
	out[0] = 'P';
	out[1] = '-';
	for (int i = 0; i < 8; i++)
		out[2 + i] = B32[(v >> (35 - 5 * i)) & 31];
	out[10] = '\0';
}

int cb_person_pseudonym_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[0] != 'P' || s[1] != '-')
		return 0;
	for (int i = 2; i < 10; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '2' && s[i] <= '7')))
			return 0;
	return 1;
}

/* The person's row and sealed identity, inside the caller's transaction;
 * *fields (new array) names the fields given. */
static int insert_person(cb_store *st, char pseudonym[16], sqlite3_int64 *id_out,
			 const cb_person_new *p, json_t **fields_out, size_t *ntags_out, cb_error *err)
{
	const char *vals[NFIELDS];
	unsigned char key[32], tags[MAX_TAGS * TAG_LEN], *sealed = NULL;
	size_t ntags = 0, slen = 0;
	json_t *ident = NULL, *fields = NULL;
	sqlite3_stmt *s = NULL;
	sqlite3_int64 id = 0;
	char now[32];
	int rc;

	pseudonym[0] = '\0';
	*fields_out = NULL;
	vals[0] = p->given_name;
	vals[1] = p->family_name;
	vals[2] = p->birth_date;
	vals[3] = p->home_town;
	vals[4] = p->contact;
	vals[5] = p->age;
	vals[6] = p->sex;
	ident = json_object();
	fields = json_array();
	if (!ident || !fields) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	mask_key(key, st);
	for (int i = 0; i < NFIELDS; i++) {
		if (!vals[i])
			continue;
		if ((rc = check_field(FIELDS[i], vals[i], err)) < 0 ||
		    (i == 2 && (rc = check_date(vals[i], err)) < 0) ||
		    (i == 5 && (rc = check_age(vals[i], err)) < 0))
			goto done;
		json_object_set_new(ident, FIELDS[i], json_string(vals[i]));
		json_array_append_new(fields, json_string(FIELDS[i]));
		if (i < 2)
			add_tags(tags, &ntags, key, vals[i], strlen(vals[i]));
	}
	/* Written together, as in Korean ("김영희"): family then given name. */
	if (p->family_name && p->given_name && ntags < MAX_TAGS) {
		size_t a = strlen(p->family_name), b = strlen(p->given_name);
		char *joined = malloc(a + b + 1);
		size_t pos = 0, ws, we, m = 0;
		if (!joined) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		/* the words of both, without what is between them */
		while (next_word(p->family_name, a, &pos, &ws, &we)) {
			memcpy(joined + m, p->family_name + ws, we - ws);
			m += we - ws;
		}
		pos = 0;
		while (next_word(p->given_name, b, &pos, &ws, &we)) {
			memcpy(joined + m, p->given_name + ws, we - ws);
			m += we - ws;
		}
		if (m && word_tag(tags + ntags * TAG_LEN, key, joined, m) == 0)
			ntags++;
		sodium_memzero(joined, a + b + 1);
		free(joined);
	}
	sodium_memzero(key, sizeof key);
	if ((rc = seal_identity(st, &sealed, &slen, ident, err)) < 0)
		goto done;
	cb_now_iso(now);
	for (int tries = 0;; tries++) {
		new_pseudonym(pseudonym);
		if ((rc = cb_sql_prepare(st, &s, "INSERT INTO persons(pseudonym, created_at, created_by)"
					 " VALUES (?, ?, ?) ON CONFLICT(pseudonym) DO NOTHING", err)) < 0)
			goto done;
		sqlite3_bind_text(s, 1, pseudonym, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, st->user, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "adding a person");
			goto done;
		}
		sqlite3_finalize(s);
		s = NULL;
		if (sqlite3_changes(st->db) == 1)
			break;
		if (tries >= 16) { /* 40 random bits: this means a broken generator */
			rc = cb_fail(err, CB_ERR, "no free pseudonym after %d tries", tries + 1);
			goto done;
		}
	}
	id = sqlite3_last_insert_rowid(st->db);
	if ((rc = cb_sql_prepare(st, &s, "INSERT INTO person_identities(person_id, sealed, name_tags)"
				 " VALUES (?, ?, ?)", err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, sealed, (int)slen, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, ntags ? (const void *)tags : "", (int)(ntags * TAG_LEN), SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "adding a person");
		goto done;
	}
	*id_out = id;
	*ntags_out = ntags;
	*fields_out = fields;
	fields = NULL;
	rc = CB_OK;
done:
	if (s)
		sqlite3_finalize(s);
	if (rc < 0)
		pseudonym[0] = '\0';
	sodium_memzero(tags, sizeof tags);
	free(sealed);
	json_decref(ident);
	json_decref(fields);
	return rc;
}

int cb_person_insert(cb_store *st, char pseudonym[16], int64_t *id, const cb_person_new *p,
		     cb_error *err)
{
	json_t *fields = NULL;
	size_t ntags = 0;
	sqlite3_int64 rid = 0;
	int rc;

	if ((rc = need_keys(st, err)) < 0)
		return rc;
	if (!cb_store_is_holder(st))
		return cb_fail(err, CB_EAUTH, "%s: '%s' is a viewer and cannot add persons", st->dir,
			       st->user);
	rc = insert_person(st, pseudonym, &rid, p, &fields, &ntags, err);
	json_decref(fields);
	if (id)
		*id = rid;
	return rc;
}

int cb_person_open(cb_store *st, json_t **out, const void *sealed, size_t len,
		   const char *pseudonym, cb_error *err)
{
	int rc = need_keys(st, err);
	return rc < 0 ? rc : open_identity(st, out, sealed, len, pseudonym, err);
}

int cb_store_add_person(cb_store *st, char pseudonym[16], const cb_person_new *p, cb_error *err)
{
	json_t *fields = NULL, *detail = NULL;
	sqlite3_int64 id;
	size_t ntags = 0;
	char target[32];
	int rc;

	pseudonym[0] = '\0';
	if ((rc = need_keys(st, err)) < 0)
		return rc;
	if (!cb_store_is_holder(st))
		return cb_fail(err, CB_EAUTH, "%s: '%s' is a viewer and cannot add persons", st->dir,
			       st->user);
	if ((rc = cb_store_begin(st, err)) < 0)
		return rc;
	if ((rc = insert_person(st, pseudonym, &id, p, &fields, &ntags, err)) < 0)
		goto done;
	/* The log names which fields were given, never their values: viewers
	 * read the log. */
	snprintf(target, sizeof target, "person:%s", pseudonym);
	detail = json_pack("{s:O, s:i}", "fields", fields, "name_tags", (int)ntags);
	if ((rc = cb_store_log(st, "person-add", target, detail, err)) < 0)
		goto done;
	rc = cb_store_commit(st, err);
done:
	if (rc < 0) {
		cb_store_rollback(st);
		pseudonym[0] = '\0';
	}
	json_decref(fields);
	json_decref(detail);
	return rc;
}

static int person_id(cb_store *st, sqlite3_int64 *id, const char *pseudonym, cb_error *err)
{
	sqlite3_stmt *s;
	int rc, step;
	if (!cb_person_pseudonym_valid(pseudonym))
		return cb_fail(err, CB_EINVAL, "'%.40s' is not a pseudonym (P- and 8 letters or digits 2-7)",
			       pseudonym ? pseudonym : "");
	if ((rc = cb_sql_prepare(st, &s, "SELECT id FROM persons WHERE pseudonym = ?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, pseudonym, -1, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (step == SQLITE_DONE)
		rc = cb_fail(err, CB_ENOTFOUND, "%s: no such person", pseudonym);
	else
		rc = cb_sql_fail(st, err, "looking up a person");
	sqlite3_finalize(s);
	return rc;
}

int cb_store_link_person(cb_store *st, const char *pseudonym, int64_t event_id, const char *role,
			 cb_error *err)
{
	sqlite3_stmt *s = NULL;
	sqlite3_int64 pid = 0;
	json_t *detail = NULL;
	char target[48];
	int rc, r, began = 0, step;

	for (r = 0; ROLES[r] && (!role || strcmp(ROLES[r], role)); r++)
		;
	if (!ROLES[r])
		return cb_fail(err, CB_EINVAL, "role '%.40s': not victim, witness, source, perpetrator or other",
			       role ? role : "");
	if ((rc = cb_store_begin(st, err)) < 0)
		return rc;
	began = 1;
	if ((rc = person_id(st, &pid, pseudonym, err)) < 0 ||
	    (rc = cb_sql_prepare(st, &s, "SELECT 1 FROM events WHERE id = ?", err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, event_id);
	step = sqlite3_step(s);
	sqlite3_finalize(s);
	s = NULL;
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? cb_fail(err, CB_ENOTFOUND, "event %lld: no such event", (long long)event_id)
					 : cb_sql_fail(st, err, "looking up an event");
		goto done;
	}
	if ((rc = cb_sql_prepare(st, &s, "INSERT OR IGNORE INTO event_persons(event_id, person_id, role)"
				 " VALUES (?, ?, ?)", err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, event_id);
	sqlite3_bind_int64(s, 2, pid);
	sqlite3_bind_text(s, 3, ROLES[r], -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "linking a person");
		goto done;
	}
	snprintf(target, sizeof target, "event:%lld", (long long)event_id);
	detail = json_pack("{s:s, s:s}", "person", pseudonym, "role", ROLES[r]);
	if ((rc = cb_store_log(st, "person-link", target, detail, err)) < 0)
		goto done;
	rc = cb_store_commit(st, err);
	began = 0;
done:
	if (s)
		sqlite3_finalize(s);
	if (began)
		cb_store_rollback(st);
	json_decref(detail);
	return rc;
}

/* ---- reads ------------------------------------------------------------ */

int cb_store_event_persons(cb_store *st, json_t **out, int64_t event_id, cb_error *err)
{
	sqlite3_stmt *s;
	json_t *arr = json_array();
	int rc, step;
	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = cb_sql_cached(st, &s, "SELECT p.pseudonym, ep.role FROM event_persons ep"
				" JOIN persons p ON p.id = ep.person_id WHERE ep.event_id = ?"
				" ORDER BY p.id, ep.role", err)) < 0) {
		json_decref(arr);
		return rc;
	}
	sqlite3_bind_int64(s, 1, event_id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "pseudonym",
						     (const char *)sqlite3_column_text(s, 0), "role",
						     (const char *)sqlite3_column_text(s, 1)));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading an event's persons");
	cb_sql_done(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

/* The persons (all, or the one with pseudonym), each with its events and,
 * if with_identity, its opened identity. */
static int read_persons(cb_store *st, json_t **out, const char *pseudonym, int with_identity,
			cb_error *err)
{
	sqlite3_stmt *s = NULL, *ev = NULL;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = need_keys(st, err)) < 0)
		goto done;
	if (with_identity && !cb_store_is_holder(st)) {
		rc = cb_fail(err, CB_EAUTH, "%s: identities are sealed to owners and editors; '%s' is a viewer",
			     st->dir, st->user);
		goto done;
	}
	if ((rc = cb_sql_prepare(st, &s, "SELECT p.id, p.pseudonym, p.created_at, p.created_by, i.sealed"
				 " FROM persons p LEFT JOIN person_identities i ON i.person_id = p.id"
				 " WHERE ?1 IS NULL OR p.pseudonym = ?1 ORDER BY p.id", err)) < 0 ||
	    (rc = cb_sql_prepare(st, &ev, "SELECT event_id, role FROM event_persons WHERE person_id = ?"
				 " ORDER BY event_id, role", err)) < 0)
		goto done;
	cb_sql_bind_text(s, 1, pseudonym);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *ps = (const char *)sqlite3_column_text(s, 1);
		json_t *events = json_array(), *o;
		int evstep;
		o = json_pack("{s:s, s:s, s:s, s:o}", "pseudonym", ps, "created_at",
			      (const char *)sqlite3_column_text(s, 2), "created_by",
			      (const char *)sqlite3_column_text(s, 3), "events", events);
		json_array_append_new(arr, o);
		sqlite3_reset(ev);
		sqlite3_bind_int64(ev, 1, sqlite3_column_int64(s, 0));
		while ((evstep = sqlite3_step(ev)) == SQLITE_ROW)
			json_array_append_new(events, json_pack("{s:I, s:s}", "event",
								(json_int_t)sqlite3_column_int64(ev, 0), "role",
								(const char *)sqlite3_column_text(ev, 1)));
		if (evstep != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "reading a person's events");
			goto done;
		}
		if (with_identity) {
			json_t *ident = NULL;
			const void *blob = sqlite3_column_blob(s, 4);
			int n = sqlite3_column_bytes(s, 4);
			if (!blob) {
				rc = cb_fail(err, CB_EINTEGRITY, "%s: no sealed identity", ps);
				goto done;
			}
			rc = open_identity(st, &ident, blob, (size_t)n, ps, err);
			if (rc == CB_EAUTH && !pseudonym) {
				/* a listing still shows the rest; show says why */
				json_object_set_new(o, "identity", json_null());
				json_object_set_new(o, "note", json_string("sealed before you were a holder"));
				rc = CB_OK;
				continue;
			}
			if (rc < 0)
				goto done;
			json_object_set_new(o, "identity", ident);
		}
	}
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading persons");
	else if (pseudonym && json_array_size(arr) == 0)
		rc = cb_fail(err, CB_ENOTFOUND, "%s: no such person", pseudonym);
done:
	if (s)
		sqlite3_finalize(s);
	if (ev)
		sqlite3_finalize(ev);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int cb_store_list_persons(cb_store *st, json_t **out, int with_identity, cb_error *err)
{
	return read_persons(st, out, NULL, with_identity, err);
}

int cb_store_get_person(cb_store *st, json_t **out, const char *pseudonym, int with_identity,
			cb_error *err)
{
	json_t *arr = NULL;
	int rc;
	*out = NULL;
	if (!cb_person_pseudonym_valid(pseudonym))
		return cb_fail(err, CB_EINVAL, "'%.40s' is not a pseudonym (P- and 8 letters or digits 2-7)",
			       pseudonym ? pseudonym : "");
	if ((rc = read_persons(st, &arr, pseudonym, with_identity, err)) < 0)
		return rc;
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return CB_OK;
}

int cb_store_reseal_persons(cb_store *st, size_t *count, size_t *skipped_out, cb_error *err)
{
	sqlite3_stmt *s = NULL, *up = NULL;
	json_t *detail = NULL;
	size_t done_n = 0, skipped = 0;
	int rc, step, began = 0;

	*count = 0;
	*skipped_out = 0;
	if ((rc = need_keys(st, err)) < 0)
		return rc;
	if (cb_store_role(st) != CB_ROLE_OWNER)
		return cb_fail(err, CB_EAUTH, "%s: only an owner can reseal identities ('%s' is %s)",
			       st->dir, st->user, cb_role_name(cb_store_role(st)));
	if ((rc = cb_store_begin(st, err)) < 0)
		return rc;
	began = 1;
	if ((rc = cb_sql_prepare(st, &s, "SELECT p.pseudonym, i.person_id, i.sealed FROM persons p"
				 " JOIN person_identities i ON i.person_id = p.id ORDER BY p.id", err)) < 0 ||
	    (rc = cb_sql_prepare(st, &up, "UPDATE person_identities SET sealed = ? WHERE person_id = ?",
				 err)) < 0)
		goto done;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *ps = (const char *)sqlite3_column_text(s, 0);
		json_t *ident = NULL;
		unsigned char *sealed = NULL;
		size_t slen;
		rc = open_identity(st, &ident, sqlite3_column_blob(s, 2),
				   (size_t)sqlite3_column_bytes(s, 2), ps, err);
		if (rc == CB_EAUTH) { /* sealed before this owner was one: another owner must */
			skipped++;
			rc = CB_OK;
			continue;
		}
		if (rc < 0)
			goto done;
		rc = seal_identity(st, &sealed, &slen, ident, err);
		json_decref(ident);
		if (rc < 0)
			goto done;
		sqlite3_reset(up);
		sqlite3_bind_blob(up, 1, sealed, (int)slen, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 2, sqlite3_column_int64(s, 1));
		step = sqlite3_step(up);
		free(sealed);
		if (step != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "resealing an identity");
			goto done;
		}
		done_n++;
	}
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "reading persons");
		goto done;
	}
	detail = json_pack("{s:I, s:I}", "resealed", (json_int_t)done_n, "skipped", (json_int_t)skipped);
	if ((rc = cb_store_log(st, "person-reseal", NULL, detail, err)) < 0)
		goto done;
	sqlite3_finalize(s);
	sqlite3_finalize(up);
	s = up = NULL;
	rc = cb_store_commit(st, err);
	began = 0;
	*count = done_n;
	*skipped_out = skipped;
done:
	if (s)
		sqlite3_finalize(s);
	if (up)
		sqlite3_finalize(up);
	if (began)
		cb_store_rollback(st);
	json_decref(detail);
	return rc;
}

/* ---- masking ---------------------------------------------------------- */

typedef struct tag_entry {
	unsigned char tag[TAG_LEN];
	char pseudonym[16];
	size_t order; /* persons' order: of equal tags, the oldest person's comes first */
} tag_entry;

typedef struct cb_masker {
	unsigned char key[32];
	tag_entry *tags;
	size_t n;
} cb_masker;

static int tag_cmp(const void *a, const void *b)
{
	return memcmp(a, b, TAG_LEN);
}

static int entry_cmp(const void *a, const void *b)
{
	const tag_entry *x = a, *y = b;
	int c = memcmp(x->tag, y->tag, TAG_LEN);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void masker_free(cb_masker *m)
{
	if (!m)
		return;
	sodium_memzero(m->key, sizeof m->key);
	free(m->tags);
	free(m);
}

static int masker_load(cb_store *st, cb_masker **out, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	cb_masker *m = calloc(1, sizeof *m);
	size_t cap = 0;
	int rc, step;
	*out = NULL;
	if (!m)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = need_keys(st, err)) < 0)
		goto done;
	mask_key(m->key, st);
	if ((rc = cb_sql_prepare(st, &s, "SELECT p.pseudonym, i.name_tags FROM persons p"
				 " JOIN person_identities i ON i.person_id = p.id ORDER BY p.id", err)) < 0)
		goto done;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_blob(s, 1);
		size_t nt = (size_t)sqlite3_column_bytes(s, 1) / TAG_LEN;
		for (size_t i = 0; i < nt; i++) {
			if (m->n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				tag_entry *g = realloc(m->tags, nc * sizeof *g);
				if (!g) {
					rc = cb_fail(err, CB_ENOMEM, "out of memory");
					goto done;
				}
				m->tags = g;
				cap = nc;
			}
			memcpy(m->tags[m->n].tag, t + i * TAG_LEN, TAG_LEN);
			snprintf(m->tags[m->n].pseudonym, sizeof m->tags[m->n].pseudonym, "%s",
				 (const char *)sqlite3_column_text(s, 0));
			m->tags[m->n].order = m->n;
			m->n++;
		}
	}
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "reading name tags");
		goto done;
	}
	/* of equal tags (a shared family name) the oldest person's comes first */
	if (m->n)
		qsort(m->tags, m->n, sizeof *m->tags, entry_cmp);
done:
	if (s)
		sqlite3_finalize(s);
	if (rc < 0)
		masker_free(m);
	else
		*out = m;
	return rc;
}

/* Masks the name words of text: malloc'd result in *out, words masked
 * added to *masked. Neighbouring words of one person, apart only by
 * spaces or hyphens, become one mask. */
static int mask_with(const cb_masker *m, char **out, const char *text, size_t *masked,
		     cb_error *err)
{
	size_t n = strlen(text), pos = 0, ws, we, copied = 0, used = 0, cap = n + 64;
	const char *last = NULL; /* pseudonym of the mask just written */
	size_t last_end = 0;
	char *buf;

	*out = NULL;
	if (cb_utf8_invalid_at(text, n) != n)
		return cb_fail(err, CB_EFORMAT, "text to mask is not valid UTF-8");
	if (!(buf = malloc(cap)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	while (m->n && next_word(text, n, &pos, &ws, &we)) {
		unsigned char tag[TAG_LEN];
		const tag_entry *hit;
		size_t k, gap_ok = 1;
		if (word_tag(tag, m->key, text + ws, we - ws) < 0 ||
		    !(hit = bsearch(tag, m->tags, m->n, sizeof *m->tags, tag_cmp))) {
			last = NULL;
			continue;
		}
		while (hit > m->tags && !memcmp(hit[-1].tag, tag, TAG_LEN))
			hit--;
		if (last && !strcmp(last, hit->pseudonym)) {
			for (k = last_end; k < ws; k++)
				if (text[k] != ' ' && text[k] != '-')
					gap_ok = 0;
		} else {
			gap_ok = 0;
		}
		if (used + (ws - copied) + 16 >= cap) {
			char *b;
			cap = (used + (ws - copied) + 16) * 2;
			if (!(b = realloc(buf, cap))) {
				free(buf);
				return cb_fail(err, CB_ENOMEM, "out of memory");
			}
			buf = b;
		}
		if (!gap_ok) {
			memcpy(buf + used, text + copied, ws - copied);
			used += ws - copied;
			used += (size_t)sprintf(buf + used, "[%s]", hit->pseudonym);
		}
		copied = we;
		last = hit->pseudonym;
		last_end = we;
		(*masked)++;
	}
	if (used + (n - copied) + 1 > cap) {
		char *b;
		cap = used + (n - copied) + 1;
		if (!(b = realloc(buf, cap))) {
			free(buf);
			return cb_fail(err, CB_ENOMEM, "out of memory");
		}
		buf = b;
	}
	memcpy(buf + used, text + copied, n - copied);
	used += n - copied;
	buf[used] = '\0';
	*out = buf;
	return CB_OK;
}

int cb_store_mask_text(cb_store *st, char **out, const char *text, size_t *masked, cb_error *err)
{
	cb_masker *m = NULL;
	size_t dummy = 0;
	int rc;
	*out = NULL;
	if ((rc = masker_load(st, &m, err)) < 0)
		return rc;
	rc = mask_with(m, out, text, masked ? masked : &dummy, err);
	masker_free(m);
	return rc;
}

/* Replaces the string at o[key] with its masked form. */
static int mask_member(const cb_masker *m, json_t *o, const char *key, size_t *masked,
		       cb_error *err)
{
	json_t *v = json_object_get(o, key);
	char *txt = NULL;
	size_t before = *masked;
	int rc;
	if (!json_is_string(v))
		return CB_OK;
	if ((rc = mask_with(m, &txt, json_string_value(v), masked, err)) < 0)
		return rc;
	if (*masked != before)
		json_object_set_new(o, key, json_string(txt));
	free(txt);
	return CB_OK;
}

int cb_store_mask_json(cb_store *st, json_t *v, size_t *masked, cb_error *err)
{
	cb_masker *m = NULL;
	size_t dummy = 0, i;
	json_t *e;
	int rc;
	if (!masked)
		masked = &dummy;
	if ((rc = masker_load(st, &m, err)) < 0)
		return rc;
	if (json_is_array(v)) { /* events */
		json_array_foreach(v, i, e)
			if ((rc = mask_member(m, json_object_get(e, "evidence"), "quote", masked, err)) < 0)
				break;
	} else if (json_is_object(v)) { /* a document */
		rc = mask_member(m, v, "text", masked, err);
		if (rc == CB_OK)
			rc = mask_member(m, v, "title", masked, err);
	}
	masker_free(m);
	return rc;
}
