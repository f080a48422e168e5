/*
 * session.c: who is signed in to `casebook serve`.
 *
 * A person signs in with their store user and passphrase; the passphrase
 * unlocks their own keys (Argon2id, as on the command line), which the
 * session keeps in locked memory until sign-out or expiry, so that their
 * changes are signed with their key and their role decides what they see.
 * The browser holds only a random 256-bit session id in an HttpOnly,
 * SameSite=Strict cookie (Secure under TLS); every state-changing request
 * must also carry the session's CSRF token.
 *
 * Guessing passphrases is slowed and then stopped: each failure for a user
 * or from an address waits longer before it is answered, and after
 * MAX_FAILS failures in FAIL_WINDOW seconds that user or address is refused
 * (429) until the window has passed.
 */
#include "serve/serve_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "protect/keyring.h"

#define MAX_SESSIONS 512
#define SESSION_ABSOLUTE (24 * 3600) /* sign in again at least daily */
#define MAX_FAILS_USER 5
#define MAX_FAILS_ADDR 20
#define FAIL_WINDOW 900
#define MAX_THROTTLE 256

typedef struct session_entry {
	char id[65];
	cb_session pub;
	cb_keys *keys;
	time_t created, last;
} session_entry;

typedef struct throttle_entry {
	char key[100]; /* "u:NAME" or "a:ADDRESS" */
	int fails;
	time_t first;
} throttle_entry;

struct cb_sessions {
	session_entry v[MAX_SESSIONS];
	size_t n;
	pthread_mutex_t tlock; /* the throttle table: sign-ins run unlocked */
	throttle_entry t[MAX_THROTTLE];
	size_t nt;
};

int cb_sessions_new(cb_sessions **out, cb_error *err)
{
	cb_sessions *s = calloc(1, sizeof *s);
	if (!s)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	pthread_mutex_init(&s->tlock, NULL);
	*out = s;
	return CB_OK;
}

static void drop(cb_sessions *s, size_t i)
{
	cb_keys_free(s->v[i].keys);
	sodium_memzero(&s->v[i], sizeof s->v[i]);
	s->v[i] = s->v[--s->n];
}

void cb_sessions_free(cb_sessions *s)
{
	if (!s)
		return;
	while (s->n)
		drop(s, s->n - 1);
	pthread_mutex_destroy(&s->tlock);
	free(s);
}

const cb_session *cb_sessions_find(cb_sessions *s, const char *id, cb_keys **keys, unsigned ttl)
{
	time_t now = time(NULL);
	size_t idl = strlen(id);
	*keys = NULL;
	if (idl != 64)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		session_entry *e = &s->v[i];
		if (sodium_memcmp(e->id, id, 64))
			continue;
		if (now - e->last > (time_t)ttl || now - e->created > SESSION_ABSOLUTE) {
			drop(s, i);
			return NULL;
		}
		e->last = now;
		*keys = e->keys;
		return &e->pub;
	}
	return NULL;
}

/* ---- throttling ------------------------------------------------------ */

static throttle_entry *throttle_get(cb_sessions *s, const char *key, time_t now)
{
	size_t oldest = 0;
	for (size_t i = 0; i < s->nt; i++) {
		if (!strcmp(s->t[i].key, key)) {
			if (now - s->t[i].first > FAIL_WINDOW) {
				s->t[i].fails = 0;
				s->t[i].first = now;
			}
			return &s->t[i];
		}
		if (s->t[i].first < s->t[oldest].first)
			oldest = i;
	}
	if (s->nt < MAX_THROTTLE)
		oldest = s->nt++;
	snprintf(s->t[oldest].key, sizeof s->t[oldest].key, "%s", key);
	s->t[oldest].fails = 0;
	s->t[oldest].first = now;
	return &s->t[oldest];
}

/* Whether user from addr may try now; if not, *wait is the seconds left. */
static int throttle_allows(cb_sessions *s, const char *user, const char *addr, long *wait)
{
	char ku[100], ka[100];
	time_t now = time(NULL);
	throttle_entry *u, *a;
	int ok;
	snprintf(ku, sizeof ku, "u:%.90s", user);
	snprintf(ka, sizeof ka, "a:%.90s", addr);
	pthread_mutex_lock(&s->tlock);
	u = throttle_get(s, ku, now);
	a = throttle_get(s, ka, now);
	ok = u->fails < MAX_FAILS_USER && a->fails < MAX_FAILS_ADDR;
	if (!ok) {
		time_t f = u->fails >= MAX_FAILS_USER ? u->first : a->first;
		*wait = (long)(FAIL_WINDOW - (now - f));
	}
	pthread_mutex_unlock(&s->tlock);
	return ok;
}

/* Records a failure and returns how many this user has in the window. */
static int throttle_fail(cb_sessions *s, const char *user, const char *addr)
{
	char ku[100], ka[100];
	time_t now = time(NULL);
	int n;
	snprintf(ku, sizeof ku, "u:%.90s", user);
	snprintf(ka, sizeof ka, "a:%.90s", addr);
	pthread_mutex_lock(&s->tlock);
	n = ++throttle_get(s, ku, now)->fails;
	throttle_get(s, ka, now)->fails++;
	pthread_mutex_unlock(&s->tlock);
	return n;
}

static void throttle_clear_user(cb_sessions *s, const char *user)
{
	char ku[100];
	snprintf(ku, sizeof ku, "u:%.90s", user);
	pthread_mutex_lock(&s->tlock);
	throttle_get(s, ku, time(NULL))->fails = 0;
	pthread_mutex_unlock(&s->tlock);
}

/* ---- sign-in and sign-out --------------------------------------------- */

/* A "next" that stays on this site: a path, never "//host" or a scheme. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 1000)
		return "/reports";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20)
			return "/reports";
	return next;
}

static void signin_failed(const cb_req *r, cb_resp *out, int api, int status, const char *next,
			  const char *why)
{
	if (api) {
		cb_resp_error(r, out, status, "%s", why);
		return;
	}
	/* Back to the form, which says what went wrong. */
	char loc[1200];
	cb_buf n = CB_BUF_INIT;
	for (const char *p = safe_next(next); *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x80 && (ch == '/' || ch == '-' || ch == '_' || ch == '.' ||
				  (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')))
			cb_buf_putc(&n, (char)ch, NULL);
		else
			cb_buf_printf(&n, NULL, "%%%02X", ch);
	}
	snprintf(loc, sizeof loc, "/signin?error=%s&next=%s", status == 429 ? "throttled" : "failed",
		 n.ptr ? n.ptr : "/reports");
	cb_buf_free(&n);
	cb_resp_redirect(out, loc);
}

int cb_session_signin(cb_server *srv, const cb_req *r, const char *client, cb_resp *out)
{
	cb_sessions *s = cb_server_sessions(srv);
	int api = !strncmp(r->path, "/api/", 5);
	const char *user = NULL, *pass = NULL, *next = NULL;
	json_t *body = NULL;
	cb_keys *keys = NULL;
	cb_error err = CB_ERROR_INIT;
	unsigned char rnd[32];
	session_entry *e;
	long wait = 0;
	int rc;

	if (api) {
		json_error_t je;
		if (!(body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je)) ||
		    !json_is_object(body)) {
			cb_resp_error(r, out, 400, "the body must be a JSON object {\"user\", \"passphrase\"}");
			goto done;
		}
		user = json_string_value(json_object_get(body, "user"));
		pass = json_string_value(json_object_get(body, "passphrase"));
	} else {
		user = cb_req_param(r, "user");
		pass = cb_req_param(r, "passphrase");
		next = cb_req_param(r, "next");
	}
	if (!user || !*user || !pass || !*pass || strlen(user) > 64 || strlen(pass) > 4096) {
		signin_failed(r, out, api, 400, next, "give a user and a passphrase");
		goto done;
	}
	if (!throttle_allows(s, user, client, &wait)) {
		signin_failed(r, out, api, 429, next,
			      "too many failed sign-ins; try again in a few minutes");
		goto done;
	}
	rc = cb_store_unlock_user(cb_server_store(srv), &keys, user, pass, strlen(pass), &err);
	if (rc < 0) {
		int n = throttle_fail(s, user, client);
		/* Each failure waits longer: 0.25 s, 0.5 s, 1 s, ... at most 4 s. */
		useconds_t us = 250000u << (n > 5 ? 4 : n - 1);
		usleep(us);
		signin_failed(r, out, api, rc == CB_EAUTH ? 401 : 500, next,
			      rc == CB_EAUTH ? "unknown user or wrong passphrase" : err.msg);
		goto done;
	}
	throttle_clear_user(s, user);

	cb_server_lock(srv);
	if (s->n == MAX_SESSIONS) { /* the least recently used goes */
		size_t old = 0;
		for (size_t i = 1; i < s->n; i++)
			if (s->v[i].last < s->v[old].last)
				old = i;
		drop(s, old);
	}
	e = &s->v[s->n++];
	memset(e, 0, sizeof *e);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(e->id, sizeof e->id, rnd, 32);
	randombytes_buf(rnd, 20);
	sodium_bin2hex(e->pub.csrf, sizeof e->pub.csrf, rnd, 20);
	sodium_memzero(rnd, sizeof rnd);
	snprintf(e->pub.user, sizeof e->pub.user, "%s", keys->user);
	e->pub.role = keys->role;
	e->keys = keys;
	keys = NULL;
	e->created = e->last = time(NULL);
	{
		char cookie[256];
		snprintf(cookie, sizeof cookie,
			 "cb_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%u%s", e->id,
			 cb_server_session_ttl(srv), cb_server_tls(srv) ? "; Secure" : "");
		out->set_cookie = strdup(cookie);
	}
	if (api)
		cb_resp_json(out, 200,
			     json_pack("{s:s,s:s,s:s}", "user", e->pub.user, "role",
				       cb_role_name(e->pub.role), "csrf", e->pub.csrf));
	else
		cb_resp_redirect(out, safe_next(next));
	cb_server_unlock(srv);
done:
	cb_keys_free(keys);
	json_decref(body);
	return CB_OK;
}

int cb_session_signout(cb_server *srv, const cb_req *r, const char *cookie_id, cb_resp *out)
{
	cb_sessions *s = cb_server_sessions(srv);
	for (size_t i = 0; i < s->n; i++)
		if (!sodium_memcmp(s->v[i].id, cookie_id, 64) && strlen(cookie_id) == 64) {
			drop(s, i);
			break;
		}
	out->set_cookie = strdup("cb_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	if (!strncmp(r->path, "/api/", 5))
		return cb_resp_json(out, 200, json_pack("{s:b}", "signed_out", 1));
	return cb_resp_redirect(out, "/signin");
}

int cb_session_info(const cb_req *r, cb_resp *out)
{
	return cb_resp_json(out, 200,
			    json_pack("{s:s,s:s,s:s,s:s}", "user", r->session->user, "role",
				      cb_role_name(r->session->role), "csrf", r->session->csrf,
				      "store", cb_store_dir(cb_server_store(r->srv))));
}
