/*
 * store.h: the casebook store. One folder holding
 *
 *   casebook.db      SQLite (WAL, foreign keys on, numbered migrations
 *                    applied on open; see schema.c)
 *   blobs/pack-NNNNNN the original files, content-addressed by BLAKE2b-256
 *                    (see blobs.c)
 *   keys             the users: each one's copy of the data key, wrapped
 *                    under their passphrase, and their key pairs
 *                    (protect/keyring.h)
 *
 * Everything is sealed at rest (protect/): the database's pages through a
 * sealing VFS, each original in the packs with its own AEAD stream, the
 * change log signed and hash-chained by the acting user. Opening a store
 * unlocks it as one user, once (Argon2id runs once per open).
 *
 * Every file and database access of casebook goes through this module, so
 * that the protection layer (src/protect/) slots in underneath - an SQLite
 * VFS that seals pages, sealed blobs - without touching any caller.
 *
 * Query results come back as jansson values in the codebook's shapes
 * (documents, events, statistics), which the CLI prints and the web server
 * sends as they are. Every function that returns a json_t * through an OUT
 * parameter hands ownership to the caller (json_decref).
 *
 *   cb_store *st;
 *   if ((rc = cb_store_open(&st, cb_store_default_dir(NULL), &err)) < 0) ...
 *   ...
 *   cb_store_close(st);
 *
 * Writes that belong together run in one transaction (cb_store_begin /
 * cb_store_commit / cb_store_rollback): a failure leaves nothing behind.
 * Every change appends a row to the change log (append-only: the database
 * refuses UPDATE and DELETE on it).
 */
#ifndef CB_STORE_H
#define CB_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The schema version this program writes; a store with a higher one is
 * refused (CB_ESCHEMA) rather than misread. */
#define CB_SCHEMA_VERSION 3

typedef struct cb_store cb_store;

/* Process-wide SQLite settings, before any other SQLite call (the CLI's
 * main does this first; without it everything works, only slower): no
 * global memory statistics, whose mutex every allocation of every thread
 * takes - under `casebook serve` the readers queued on it. */
void cb_store_library_init(void);
typedef struct cb_keys cb_keys; /* protect/keyring.h */

/* The store folder to use: dir if non-NULL, else $CASEBOOK_STORE, else
 * "casebook.store". The string is borrowed (static or dir itself). */
const char *cb_store_default_dir(const char *dir);

/* Who opens a store, and with what. Every field may be NULL:
 *   user      the keyring user to act as; NULL: $CASEBOOK_USER, else the
 *             only owner, else the first one
 *   passfile  read the passphrase from this file's first line
 *   pass      the passphrase itself (wins over passfile); else it is read
 *             from passfile, $CASEBOOK_PASSPHRASE or the terminal
 *             (cb_passphrase_read) only once the store is found */
typedef struct cb_store_auth {
	const char *user;
	const char *passfile;
	const char *pass;
	size_t passlen;
	const unsigned char *recovery; /* 32 bytes: unlock with the recovery
					* key instead (a forgotten passphrase) */
} cb_store_auth;

/* Creates a new store in dir (created if missing; an existing store there
 * is CB_EEXISTS, an existing non-empty folder that is not a store is
 * refused), with auth->user (default $USER) as its first owner. If
 * recovery is non-NULL a recovery key is made and its secret written there
 * (show it once, then wipe it). Argon2id costs come from $CASEBOOK_KDF
 * ("OPS:MEMORY_KIB", for tests and small machines) or the defaults. */
int cb_store_create(const char *dir, const cb_store_auth *auth, unsigned char recovery[32],
		    cb_error *err);
/* cb_store_create without recovery key; user NULL = $USER; passphrase from
 * $CASEBOOK_PASSPHRASE or the terminal. */
int cb_store_init(const char *dir, const char *user, cb_error *err);

/* Opens the store in dir as auth's user, applying pending migrations.
 * CB_ENOTFOUND if dir does not exist, CB_ESTORE if it is not a casebook
 * store, CB_ESCHEMA if it was written by a newer casebook, CB_EAUTH for an
 * unknown user or a wrong passphrase (nothing is written before the
 * passphrase is checked), CB_EINTEGRITY if a store file is damaged (the
 * message names the file and page or record). *out is closed with
 * cb_store_close(). */
int cb_store_open_as(cb_store **out, const char *dir, const cb_store_auth *auth, cb_error *err);
/* cb_store_open_as with every auth field NULL. */
int cb_store_open(cb_store **out, const char *dir, cb_error *err);
void cb_store_close(cb_store *st);

/* ---- users (the keyring; see protect/keyring.h) ---------------------- */

/* The acting user's role (CB_ROLE_OWNER, _EDITOR, _VIEWER). */
int cb_store_role(const cb_store *st);
/* [{"name", "role", "sign_key" (hex)}, ...] in keyring order. */
int cb_store_list_users(cb_store *st, json_t **out, cb_error *err);
/* Owners only (CB_EAUTH otherwise); logged. */
int cb_store_add_user(cb_store *st, const char *name, int role, const char *pass,
		      size_t passlen, cb_error *err);
int cb_store_remove_user(cb_store *st, const char *name, cb_error *err);
/* The acting user's new passphrase: their keys are rewrapped, no data is
 * re-encrypted; logged. */
int cb_store_passwd(cb_store *st, const char *pass, size_t passlen, cb_error *err);

/* ---- acting as another user (the web server) ---------------------------- */

/* Checks user's passphrase against the store's keyring (Argon2id: slow by
 * design; call it without holding a lock others wait on) and returns that
 * user's unlocked keys in *out (free with cb_keys_free). CB_EAUTH for an
 * unknown user or a wrong passphrase, with the same message for both. */
int cb_store_unlock_user(cb_store *st, cb_keys **out, const char *user, const char *pass,
			 size_t passlen, cb_error *err);

/* Makes the store act as the user of k (borrowed: it must outlive the
 * acting, until cb_store_act_as(st, NULL) returns to the opener): role
 * checks, the change log's user and signature, and the opening of sealed
 * identities follow k. Not during a transaction. One store handle serves
 * one request at a time; the caller serialises. */
void cb_store_act_as(cb_store *st, cb_keys *k);

/* A second handle on the same open store, for another thread: its own
 * database connection (with a page cache of cache_kib KiB), the opener's
 * keys copied, the same sealing VFS. The clone must be closed before src.
 * Used by the web server for reads in parallel with one writer (WAL lets
 * readers see the last commit while a write goes on). */
int cb_store_clone(cb_store **out, cb_store *src, int cache_kib, cb_error *err);

/* Moves the WAL checkpoints of st's commits to a thread with a second
 * connection (checkpoint.c), for a long run of commits (ingest): the
 * commits no longer wait for them. Until cb_store_close(). */
int cb_store_checkpoint_behind(cb_store *st, cb_error *err);

/* A cb_keys in locked memory for cb_store_act_as, and a copy into it. */
cb_keys *cb_keys_slot_new(void);
void cb_keys_copy(cb_keys *dst, const cb_keys *src);

/* ---- verification ---------------------------------------------------- */

typedef struct cb_store_check {
	size_t pages;     /* database pages and WAL frames authenticated */
	size_t originals; /* originals opened and hashed */
	size_t documents; /* documents checked against their content hash */
	size_t log;       /* change-log entries whose chain and signature hold */
	char head[65];    /* hex hash of the newest log entry ("" if none) */
	/* in: a number of entries to report the chain's hash after (a head
	 * saved earlier, kept outside the store); 0 = none. out: that hash,
	 * "" if the log no longer has that many entries. */
	size_t head_at_entries;
	char head_at[65];
} cb_store_check;

/* Checks every page, every original against its hash, every document's
 * original, and the whole signed change log; stops at the first break with
 * CB_EINTEGRITY naming it. What passed is counted in *out either way. */
int cb_store_verify(cb_store *st, cb_store_check *out, cb_error *err);

/* Who the changes are logged as (default: $USER, else "casebook"). The
 * string is copied. */
int cb_store_set_user(cb_store *st, const char *user, cb_error *err);
const char *cb_store_user(const cb_store *st);
const char *cb_store_dir(const cb_store *st);

/* Transactions nest by joining: an inner begin/commit pair joins the
 * outer transaction, so a batch of files shares one commit (the full-text
 * index writes a segment per commit, and per savepoint too, which is why
 * inner ones are not savepoints). An inner rollback cannot undo its part
 * alone: it marks the outer transaction failed, and the outer commit then
 * rolls everything back and returns CB_ERR; cb_store_failed() tells the
 * caller, who may redo the batch's good parts one by one.
 * Originals appended during a transaction are synced to disk just before
 * the outermost commit, and cut off again by the outermost rollback. */
int cb_store_begin(cb_store *st, cb_error *err);
int cb_store_commit(cb_store *st, cb_error *err);
void cb_store_rollback(cb_store *st); /* the innermost; safe with none open */
int cb_store_failed(const cb_store *st); /* an inner part of the open transaction failed */
int cb_store_in_transaction(const cb_store *st);

/* ---- original files (content-addressed) ---------------------------- */

/* Stores data under its hash (hex, 64 chars), inside a transaction.
 * Idempotent. See blobs.c for how originals are kept. */
int cb_store_put_blob(cb_store *st, const char *hash_hex, const void *data, size_t len,
		      cb_error *err);
/* Reads a blob into a malloc'd buffer in *out (caller frees). */
int cb_store_get_blob(cb_store *st, char **out, size_t *len, const char *hash_hex,
		      cb_error *err);

/* ---- documents ------------------------------------------------------ */

typedef struct cb_doc_new {
	const char *hash_hex;    /* BLAKE2b-256 of the original bytes */
	const char *source_name; /* file name as given */
	const char *format;      /* "text" or "html" */
	const char *url;         /* may be NULL */
	const char *outlet;      /* may be NULL */
	const char *title;       /* may be NULL */
	const char *published;   /* ISO date, may be NULL */
	const char *language;    /* may be NULL */
	json_t *authors;         /* JSON array or NULL; borrowed */
	json_t *translators;     /* JSON array or NULL; borrowed */
	json_t *boilerplate;     /* JSON array of {start,end} in code points, or NULL; borrowed */
	const char *text;        /* NFC UTF-8 */
	size_t text_len;
	const uint32_t *minhash;     /* CB_MINHASH_K values, or NULL */
	const uint64_t *minhash_bands; /* CB_MINHASH_BANDS keys, or NULL */
} cb_doc_new;

/* Id of the document with this content hash in *id, or CB_ENOTFOUND. */
int cb_store_find_document(cb_store *st, int64_t *id, const char *hash_hex, cb_error *err);

/* The earliest stored document whose MinHash is at least threshold
 * similar to d's (candidates from the LSH band index): its id in *id and
 * the similarity in *sim; *id = 0 if none. */
int cb_store_find_near_duplicate(cb_store *st, int64_t *id, double *sim, const cb_doc_new *d,
				 double threshold, cb_error *err);

/* Inserts a document (call inside a transaction); near_dup_of is 0 or the
 * id it copies, with its similarity. Its id goes to *id. */
int cb_store_add_document(cb_store *st, int64_t *id, const cb_doc_new *d, int64_t near_dup_of,
			  double similarity, cb_error *err);

/* The original bytes of document id, as ingested, in a malloc'd buffer in
 * *out (caller frees): its stored original, or - for a text file that was
 * its own text byte for byte, which ingest does not store twice - its text,
 * checked against the document's hash. */
int cb_store_get_original(cb_store *st, char **out, size_t *len, int64_t id, cb_error *err);

/* Resolves what a user typed (a number, or a hash prefix of at least 6 hex
 * digits) to a document id. */
int cb_store_resolve_document(cb_store *st, int64_t *id, const char *ref, cb_error *err);

/* One document as JSON: {"id", "hash", "source_name", "format", "url",
 * "outlet", "title", "published", "language", "authors", "translators",
 * "boilerplate", "near_duplicate_of", "similarity", "ingested_at",
 * "ingested_by", "events": n, "text" (only if with_text)}. */
int cb_store_get_document(cb_store *st, json_t **out, int64_t id, int with_text, cb_error *err);

/* One page of documents, without text, newest first: limit of them after
 * skipping offset; *total is how many there are in all. */
int cb_store_page_documents(cb_store *st, json_t **out, int64_t *total, int64_t offset,
			    int64_t limit, cb_error *err);

/* All documents, without text, oldest first. */
int cb_store_list_documents(cb_store *st, json_t **out, cb_error *err);

/* Calls fn for each document (with its text if with_text) in id order;
 * stops early and returns fn's value if it is non-zero. The document is
 * borrowed for the call. Streams: memory stays flat. */
int cb_store_each_document(cb_store *st, int with_text, int (*fn)(void *ctx, json_t *doc),
			   void *ctx, cb_error *err);

/* ---- events and statistics ------------------------------------------ */

/* Checks a codebook "events" array against the codebook (what
 * cb_store_add_events checks before writing), for a document of text_cp
 * code points; the message names the first bad event and field. */
int cb_events_check(json_t *events, long long text_cp, cb_error *err);
/* The same for one event, named "event IDX" in the message. */
int cb_event_check(json_t *event, int idx, long long text_cp, cb_error *err);

/* Adds the events of one codebook "events" array to document doc_id with
 * the given status ("proposed" or "accepted") and origin ("extractor",
 * "import", "manual"). Validates each event against the codebook (types,
 * modality, precision, roles, kinds, offsets inside the text) and fails
 * with CB_EFORMAT naming the first bad field. Ids of the new events are
 * appended to ids if it is non-NULL (a JSON array; borrowed). */
int cb_store_add_events(cb_store *st, int64_t doc_id, json_t *events, const char *status,
			const char *origin, json_t *ids, cb_error *err);

/* Adds a codebook "statistics" array to document doc_id. */
int cb_store_add_statistics(cb_store *st, int64_t doc_id, json_t *stats, cb_error *err);

typedef struct cb_event_filter {
	const char *type;     /* NULL = any */
	const char *status;   /* NULL = any */
	const char *admin1;   /* NULL = any; case-insensitive */
	const char *from;     /* ISO date; events whose date ends before it are out */
	const char *to;       /* ISO date; events whose date starts after it are out */
	int64_t doc_id;       /* 0 = any */
	int limit;            /* 0 = no limit */
} cb_event_filter;

/* Events matching f as a JSON array of codebook events, each with "id",
 * "document", "status", "origin", "created_at", "created_by",
 * "reviewed_at", "reviewed_by" added. */
int cb_store_list_events(cb_store *st, json_t **out, const cb_event_filter *f, cb_error *err);

/* Statistics of one document (doc_id > 0) or of all, as a JSON array. */
int cb_store_list_statistics(cb_store *st, json_t **out, int64_t doc_id, cb_error *err);

int cb_store_get_event(cb_store *st, json_t **out, int64_t id, cb_error *err);

/* Sets the status of event id to "accepted", "rejected" or "proposed". */
int cb_store_review_event(cb_store *st, int64_t id, const char *status, cb_error *err);

/* Sets one field of event id from a string, as a person types it:
 * type, modality, date.start, date.end, date.precision, date.text,
 * location.country, location.admin1, location.place, location.text,
 * victims.count_min, victims.count_max, victims.gender,
 * victims.nationality, victims.text, sentence_years, actors (JSON),
 * incident. "null" or "" clears a field that may be empty. */
int cb_store_edit_event(cb_store *st, int64_t id, const char *field, const char *value,
			cb_error *err);

/* ---- persons (persons.c) --------------------------------------------- */

/* People appear by pseudonym ("P-" and 8 random base32 characters). Their
 * identifying fields are one JSON value sealed to every owner and editor
 * (the holders) at the time it is sealed; viewers cannot open it even with
 * their own program. Names also leave keyed tags for masking (below). */
typedef struct cb_person_new {
	const char *given_name;  /* each may be NULL; UTF-8, at most 512 bytes */
	const char *family_name;
	const char *birth_date;  /* YYYY[-MM[-DD]] */
	const char *home_town;
	const char *contact;
	const char *age;         /* whole years, as a list gives it ("34") */
	const char *sex;
} cb_person_new;

/* The acting user is an owner or editor. */
int cb_store_is_holder(const cb_store *st);
/* s has the shape of a pseudonym. */
int cb_person_pseudonym_valid(const char *s);

/* Adds a person (holders only: CB_EAUTH for viewers) in a transaction of
 * its own; the new pseudonym goes to pseudonym (NUL-terminated). Logged
 * with the names of the fields given, never their values. */
int cb_store_add_person(cb_store *st, char pseudonym[16], const cb_person_new *p, cb_error *err);

/* Links a person to an event with a role (victim, witness, source,
 * perpetrator, other); idempotent; logged. */
int cb_store_link_person(cb_store *st, const char *pseudonym, int64_t event_id, const char *role,
			 cb_error *err);

/* Persons, oldest first: [{"pseudonym", "created_at", "created_by",
 * "events": [{"event", "role"}], "identity": {...} (only with_identity)}].
 * with_identity needs a holder (CB_EAUTH otherwise); a person sealed before
 * the acting holder was added gets "identity": null and a "note". */
int cb_store_list_persons(cb_store *st, json_t **out, int with_identity, cb_error *err);
/* One person, as above; with_identity and unopenable: CB_EAUTH. */
int cb_store_get_person(cb_store *st, json_t **out, const char *pseudonym, int with_identity,
			cb_error *err);
/* [{"pseudonym", "role"}] of one event. */
int cb_store_event_persons(cb_store *st, json_t **out, int64_t event_id, cb_error *err);

/* Owners only: opens every identity the acting owner can and seals it
 * again to the current owners and editors (so holders added since can read
 * it, and removed ones no longer can). Counts in *count and, for those
 * sealed before this owner was one (another owner must reseal them), in
 * *skipped. Logged. */
int cb_store_reseal_persons(cb_store *st, size_t *count, size_t *skipped, cb_error *err);

/* Masking for those who cannot open identities: every word of text whose
 * keyed tag matches a person's name word becomes "[P-XXXXXXXX]" (words
 * compared casefolded and whole; neighbouring words of one name make one
 * mask). *out is malloc'd (caller frees); *masked (may be NULL) counts the
 * words masked. The caller decides whom to mask for. */
int cb_store_mask_text(cb_store *st, char **out, const char *text, size_t *masked, cb_error *err);
/* The same in place on a JSON value: an array of events (each
 * evidence.quote) or a document object ("text" and "title"). */
int cb_store_mask_json(cb_store *st, json_t *v, size_t *masked, cb_error *err);

/* ---- lists of people (lists.c) -------------------------------------- */

/* Called now and then during long work with how much is done of a total. */
typedef void (*cb_store_progress_fn)(void *ctx, size_t done, size_t total);

/* A list's name: 1-64 letters, digits, '.', '_' or '-' (it becomes a
 * column of the capture-pattern table and an item of --lists A,B). */
int cb_list_name_valid(const char *s);

/* Imports a list of n people (holders only): each row becomes a person
 * with its identity sealed, tied to the list and its row number, all in
 * one transaction and one log entry (the name, the row count, source_hash
 * - the hex hash of the file - and year: the year the list was drawn up,
 * for ages; 0 unknown). A list of that name already there: CB_EEXISTS. A
 * bad row fails the whole import naming the row. progress may be NULL. */
int cb_store_import_list(cb_store *st, const char *name, int year, const char *source_hash,
			 const cb_person_new *rows, size_t n, cb_store_progress_fn progress, void *ctx,
			 cb_error *err);

/* The lists, oldest first: [{"name", "year", "rows", "imported_at",
 * "imported_by", "link_run"}]; link_run is the linkage run all its persons
 * were last clustered by, or null. *out is the caller's. */
int cb_store_lists(cb_store *st, json_t **out, cb_error *err);

/* Calls fn for every row of the named lists (list by list, in row order)
 * with the index of its list in names, its pseudonym and its opened
 * identity (borrowed for the call). Holders only. fn returning < 0 stops
 * the walk with that status. */
typedef int (*cb_list_row_fn)(void *ctx, size_t list, const char *pseudonym, json_t *identity,
			      cb_error *err);
int cb_store_list_rows(cb_store *st, const char *const *names, size_t n, cb_list_row_fn fn,
		       void *ctx, cb_error *err);

/* Saves a linkage run over the named lists: persons pseudonyms[0..n), in
 * clusters given by cluster[i], the index of the member that names person
 * i's cluster. Replaces these persons' earlier clusters; logged. */
int cb_store_save_linkage(cb_store *st, const char *const *names, size_t nlists,
			  const char *const *pseudonyms, const size_t *cluster, size_t n,
			  double threshold, size_t links, cb_error *err);

/* A researcher's decision on a pair of persons: "confirmed" (the same
 * person) or "split" (not); it replaces an earlier one; logged. Linkage
 * runs apply them over the model. */
int cb_store_decide_link(cb_store *st, const char *a, const char *b, const char *decision,
			 cb_error *err);
/* Every decision: [{"a", "b", "decision", "by", "at"}] by pseudonym. */
int cb_store_link_decisions(cb_store *st, json_t **out, cb_error *err);

/* The capture patterns of the named lists (2 to 16), from the clusters of
 * one linkage run that covered all of them: (*cells)[h] (2^n entries,
 * malloc'd, the caller's) counts the clusters on exactly the lists of the
 * bits of h (bit i = names[i]). Lists never linked, or linked in
 * different runs, are an error that says what to run. */
int cb_store_list_patterns(cb_store *st, const char *const *names, size_t n, long long **cells,
			   cb_error *err);

/* ---- change log ------------------------------------------------------ */

/* Appends one entry: action ("ingest", "import-events", "review", ...),
 * target ("document:12", "event:40"), detail (JSON object or NULL,
 * borrowed). */
int cb_store_log(cb_store *st, const char *action, const char *target, json_t *detail,
		 cb_error *err);

/* The log as a JSON array, oldest first. */
int cb_store_list_log(cb_store *st, json_t **out, cb_error *err);

#endif
