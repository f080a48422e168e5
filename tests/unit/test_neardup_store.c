/*
 * test_neardup_store.c: the store's near-duplicate band index (documents.c)
 * - a lightly edited copy is found whether its original waits in the open
 * transaction, sits in a run of its own or was merged into a larger one,
 * after reopening and from a second connection; different stories are not
 * matched; rolled-back documents are not found; runs merge (few of them).
 * The texts are fictional word salad made from a seeded generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "collect/neardup.h"
#include "store/store_int.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	setenv("CASEBOOK_KDF", "1:8192", 1);
	unsetenv("CASEBOOK_USER");
	unsetenv("CASEBOOK_PASSPHRASE");
	snprintf(dir, sizeof dir, "/tmp/cb-test-ndstore-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	strcat(dir, "/s");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dir) - 2), dir);
	return system(cmd) == 0 ? 0 : -1;
}

static cb_store *open_store(void)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	if (cb_store_open_as(&st, dir, &a, &err) != CB_OK)
		fail_msg("open: %s", err.msg);
	return st;
}

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

#define WORDS 220

/* Story `story`, with one word in `edit_every` replaced (0: none) using
 * edit seed `edit`: a fictional text of made-up words. */
static void story_text(char *out, size_t cap, int story, int edit_every, int edit)
{
	static const char *const syl[] = {"ka", "lo", "mi", "ne", "su", "ta", "vo", "ri", "de", "pa",
					  "go", "hu", "ze", "bi", "fo", "ja"};
	uint64_t s = 1000003u * (uint64_t)story + 17, e = 7919u * (uint64_t)edit + 5;
	size_t n = 0;

	for (int w = 0; w < WORDS; w++) {
		uint64_t r = rng(&s);
		if (edit_every && rng(&e) % (uint64_t)edit_every == 0)
			r = rng(&e);
		char word[16];
		int len = 2 + (int)(r % 3), k = 0;
		for (int i = 0; i < len; i++, r >>= 4)
			k += snprintf(word + k, sizeof word - (size_t)k, "%s", syl[r & 15]);
		n += (size_t)snprintf(out + n, cap - n, "%s%s", w ? " " : "", word);
	}
}

typedef struct doc {
	char text[WORDS * 8];
	char hash[65];
	cb_minhash m;
	uint64_t bands[CB_MINHASH_BANDS];
	cb_doc_new d;
} doc;

static void make_doc(doc *x, int story, int edit_every, int edit)
{
	unsigned char h[32];
	story_text(x->text, sizeof x->text, story, edit_every, edit);
	crypto_generichash(h, 32, (const unsigned char *)x->text, strlen(x->text), NULL, 0);
	sodium_bin2hex(x->hash, 65, h, 32);
	cb_minhash_compute(&x->m, x->text, strlen(x->text));
	cb_minhash_bands(x->bands, &x->m);
	x->d = (cb_doc_new){.hash_hex = x->hash, .source_name = "fictional.txt", .format = "text",
			    .text = x->text, .text_len = strlen(x->text), .minhash = x->m.v,
			    .minhash_bands = x->bands};
}

/* The near-duplicate the store finds for x (0 if none). */
static int64_t find(cb_store *st, const doc *x)
{
	cb_error err = CB_ERROR_INIT;
	int64_t id = -1;
	double sim = 0;
	if (cb_store_find_near_duplicate(st, &id, &sim, &x->d, CB_NEARDUP_THRESHOLD, &err) != CB_OK)
		fail_msg("find: %s", err.msg);
	return id;
}

static int64_t add(cb_store *st, const doc *x)
{
	cb_error err = CB_ERROR_INIT;
	int64_t id = 0;
	if (cb_store_add_document(st, &id, &x->d, 0, 0, &err) != CB_OK)
		fail_msg("add: %s", err.msg);
	return id;
}

static int64_t count(cb_store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

#define BATCH 32
#define BATCHES 21
#define STORIES (BATCH * BATCHES)

static void test_copies_found_across_runs(void **state)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_error err = CB_ERROR_INIT;
	static int64_t ids[STORIES + 1];
	doc *x = malloc(sizeof *x), *c = malloc(sizeof *c);
	cb_store *st, *other;
	int found = 0, tried = 0;
	(void)state;

	assert_non_null(x);
	assert_non_null(c);
	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_OK);
	st = open_store();
	/* Another connection, open from the start: it must see what st adds. */
	other = open_store();
	assert_int_equal(find(other, (make_doc(x, 1, 0, 0), x)), 0);

	/* Distinct stories in batches: none is anyone's near-duplicate, and a
	 * copy of a story of this batch (still pending) is found. */
	for (int b = 0; b < BATCHES; b++) {
		assert_int_equal(cb_store_begin(st, &err), CB_OK);
		for (int i = 0; i < BATCH; i++) {
			int story = b * BATCH + i + 1;
			make_doc(x, story, 0, 0);
			assert_int_equal(find(st, x), 0);
			ids[story] = add(st, x);
		}
		make_doc(c, b * BATCH + 3, 50, b);
		assert_int_equal(find(st, c), ids[b * BATCH + 3]);
		assert_int_equal(cb_store_commit(st, &err), CB_OK);
	}
	/* 21 runs of 32 documents merged as they came (4 of a level make one
	 * of the next): 1 of 512, 1 of 128, 1 of 32 remain. */
	assert_int_equal(count(st, "SELECT count(*) FROM document_band_runs WHERE state = 0"), 3);
	assert_int_equal(count(st, "SELECT count(*) FROM document_band_runs"), 3);
	assert_int_equal(count(st, "SELECT sum(length(data)) / 16 FROM document_band_chunks"),
			 (int64_t)STORIES * CB_MINHASH_BANDS);
	assert_int_equal(count(st, "SELECT sum(rows) FROM document_band_runs"), (int64_t)STORIES * CB_MINHASH_BANDS);

	/* Copies (one word in 50 changed) of every fourth story: in the
	 * big merged run, the middle one, the newest. Different edits per copy. */
	for (int story = 1; story <= STORIES; story += 4) {
		make_doc(c, story, 50, 1000 + story);
		tried++;
		found += find(st, c) == ids[story];
		/* Whatever is found is the right one. */
		int64_t got = find(st, c);
		assert_true(got == 0 || got == ids[story]);
	}
	/* Similarity about 0.8: the bands catch all but one in 10^5 of such
	 * pairs. */
	assert_true(found >= tried - 2);

	/* Heavier edits (one word in 25, similarity 0.4-0.7, around the
	 * threshold):
	 * the index must find every pair the bands themselves pair - exactly
	 * what a scan comparing every stored document's bands would find. */
	for (int story = 2; story <= STORIES; story += 3) {
		int shares = 0;
		make_doc(x, story, 0, 0);
		make_doc(c, story, 25, 2000 + story);
		for (int b = 0; b < CB_MINHASH_BANDS; b++)
			shares |= x->bands[b] == c->bands[b];
		if (shares && cb_minhash_similarity(&x->m, &c->m) >= CB_NEARDUP_THRESHOLD)
			assert_int_equal(find(st, c), ids[story]);
		else
			assert_int_equal(find(st, c), 0);
	}

	/* The other connection, whose view was loaded before any of this. */
	make_doc(c, STORIES, 50, 77);
	assert_int_equal(find(other, c), ids[STORIES]);
	make_doc(c, 5, 50, 78);
	assert_int_equal(find(other, c), ids[5]);
	cb_store_close(other);

	/* A rolled-back document is not found, and the index stays usable. */
	assert_int_equal(cb_store_begin(st, &err), CB_OK);
	make_doc(x, 900001, 0, 0);
	add(st, x);
	make_doc(c, 900001, 50, 1);
	assert_true(find(st, c) > 0);
	assert_int_equal(cb_store_commit(st, &err), CB_OK);
	assert_int_equal(cb_store_begin(st, &err), CB_OK);
	make_doc(x, 900002, 0, 0);
	add(st, x);
	cb_store_rollback(st);
	make_doc(c, 900002, 50, 1);
	assert_int_equal(find(st, c), 0);
	make_doc(c, 9, 50, 79);
	assert_int_equal(find(st, c), ids[9]);
	cb_store_close(st);

	/* Reopened: filters come from the store. */
	st = open_store();
	make_doc(c, 2, 50, 80);
	assert_int_equal(find(st, c), ids[2]);
	make_doc(c, 900001, 50, 2);
	assert_true(find(st, c) > 0);
	make_doc(x, 123456, 0, 0);
	assert_int_equal(find(st, x), 0);
	cb_store_close(st);
	free(x);
	free(c);
}

/* Short texts (no signature) and documents without bands are skipped,
 * never matched. */
static void test_no_signature(void **state)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_error err = CB_ERROR_INIT;
	doc *x = malloc(sizeof *x);
	cb_store *st;
	(void)state;

	assert_non_null(x);
	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_OK);
	st = open_store();
	make_doc(x, 1, 0, 0);
	x->d.minhash_bands = NULL;
	assert_int_equal(find(st, x), 0);
	assert_int_equal(cb_store_begin(st, &err), CB_OK);
	add(st, x);
	assert_int_equal(cb_store_commit(st, &err), CB_OK);
	make_doc(x, 1, 0, 0);
	assert_int_equal(find(st, x), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM document_band_runs"), 0);
	cb_store_close(st);
	free(x);
}

/* A store of schema 2 kept its band index one row a key: opening it
 * converts the rows to chunks, and copies are found as before. The old
 * table is made here from the new one's chunks (the same rows). */
static void test_old_index_converted(void **state)
{
	cb_store_auth a = {.user = "ana", .pass = "pw-ana", .passlen = 6};
	cb_error err = CB_ERROR_INIT;
	static int64_t ids[STORIES + 1];
	doc *x = malloc(sizeof *x);
	sqlite3_stmt *s, *ins;
	cb_store *st;
	(void)state;

	assert_non_null(x);
	assert_int_equal(cb_store_create(dir, &a, NULL, &err), CB_OK);
	st = open_store();
	for (int b = 0; b < 6; b++) {
		assert_int_equal(cb_store_begin(st, &err), CB_OK);
		for (int i = 0; i < BATCH; i++) {
			int story = b * BATCH + i + 1;
			make_doc(x, story, 0, 0);
			ids[story] = add(st, x);
		}
		assert_int_equal(cb_store_commit(st, &err), CB_OK);
	}
	assert_int_equal(sqlite3_exec(st->db, "BEGIN; CREATE TABLE document_bands(run INTEGER NOT NULL,"
					      " key INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
					      " PRIMARY KEY(run, key, doc_id)) WITHOUT ROWID",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT run, data FROM document_band_chunks", -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(st->db, "INSERT INTO document_bands VALUES (?1, ?2, ?3)", -1, &ins,
					    NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(s, 1);
		for (int r = 0; r < sqlite3_column_bytes(s, 1) / 16; r++) {
			uint64_t key = 0, id = 0;
			for (int i = 7; i >= 0; i--) {
				key = key << 8 | b[16 * r + i];
				id = id << 8 | b[16 * r + 8 + i];
			}
			sqlite3_bind_int64(ins, 1, sqlite3_column_int64(s, 0));
			sqlite3_bind_int64(ins, 2, (int64_t)key);
			sqlite3_bind_int64(ins, 3, (int64_t)id);
			assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
			sqlite3_reset(ins);
		}
	}
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_exec(st->db, "DROP TABLE document_band_chunks; PRAGMA user_version = 2; COMMIT",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	cb_store_close(st);

	st = open_store();
	assert_int_equal(count(st, "PRAGMA user_version"), 3);
	assert_int_equal(count(st, "SELECT count(*) FROM sqlite_schema WHERE name = 'document_bands'"), 0);
	assert_int_equal(count(st, "SELECT sum(length(data)) / 16 FROM document_band_chunks"),
			 (int64_t)6 * BATCH * CB_MINHASH_BANDS);
	for (int story = 1; story <= 6 * BATCH; story += 7) {
		make_doc(x, story, 50, 3000 + story);
		int64_t got = find(st, x);
		assert_true(got == 0 || got == ids[story]);
		make_doc(x, story, 0, 0);
		assert_int_equal(find(st, x), ids[story]);
	}
	cb_store_close(st);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copies_found_across_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_index_converted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
