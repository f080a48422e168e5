/*
 * schema.c: the store's schema as numbered migrations. Migration N brings a
 * store from version N-1 to N (PRAGMA user_version) and runs in one
 * transaction with the version bump, so a store is always at a whole
 * version. Never edit a migration that has shipped: add the next one.
 *
 * The data model follows HURIDOCS' Events Standard Formats as the codebook
 * (../shared/codebook.md) adapts them: documents (the source material),
 * events (one act, with its evidence span), statistics, incidents (groups of
 * events across documents), persons (pseudonymous ids; their identifying
 * fields in a table of their own, to be sealed separately) and an
 * append-only change log.
 */
#include <stdio.h>

#include "store/store_int.h"

/* A migration is SQL, and for some a step in C after it (same transaction). */
static const struct migration {
	const char *sql;
	int (*then)(cb_store *st, cb_error *err);
} migrations[] = {
	/* 1: the first schema */
	{"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"

	"CREATE TABLE documents("
	" id INTEGER PRIMARY KEY,"
	" hash TEXT NOT NULL UNIQUE CHECK(length(hash) = 64),"
	" source_name TEXT NOT NULL,"
	" format TEXT NOT NULL CHECK(format IN ('text','html')),"
	" url TEXT, outlet TEXT, title TEXT,"
	" published TEXT CHECK(published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]*'),"
	" language TEXT,"
	" authors TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(authors)),"
	" translators TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(translators)),"
	" boilerplate TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(boilerplate)),"
	" minhash BLOB,"
	/* No foreign key here: it would make every insert open a statement
	 * journal (a copy of each page it touches). ingest sets it to an id
	 * it has just read. */
	" near_duplicate_of INTEGER,"
	" similarity REAL,"
	" ingested_at TEXT NOT NULL, ingested_by TEXT NOT NULL,"
	/* The text comes last: a column after a long text is read only by
	 * walking the text's overflow pages, and listings and near-duplicate
	 * checks read the other columns of many documents. */
	" text TEXT NOT NULL);"
	"CREATE INDEX documents_published ON documents(published);"
	"CREATE INDEX documents_outlet ON documents(outlet COLLATE NOCASE);"

	/* LSH band keys of each document's MinHash: near-duplicate candidates
	 * come from index lookups, not a scan of every document. The keys sit
	 * in sorted runs, each written at a commit or merged from others a
	 * little at each commit, with a Bloom filter per run so that most
	 * probes read nothing (documents.c, "The band index"). state: 0 live
	 * (searched), 1 being merged into, 2 merged away (rows being deleted).
	 * No foreign key (it would make every insert open a statement journal)
	 * and no delete trigger: a deleted document's rows only yield a
	 * candidate that fails its check. */
	"CREATE TABLE document_bands(run INTEGER NOT NULL, key INTEGER NOT NULL,"
	" doc_id INTEGER NOT NULL, PRIMARY KEY(run, key, doc_id)) WITHOUT ROWID;"
	"CREATE TABLE document_band_runs(run INTEGER PRIMARY KEY, rows INTEGER NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK(state IN (0, 1, 2)), merging_into INTEGER,"
	" filter BLOB NOT NULL);"

	/* The original files, by BLAKE2b-256 of their bytes, appended to pack
	 * files blobs/pack-NNNNNN (one file per report would cost a file
	 * creation, a rename and a sync each: ten times the rest of ingest). */
	"CREATE TABLE blobs(hash TEXT PRIMARY KEY CHECK(length(hash) = 64),"
	" pack INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL) WITHOUT ROWID;"

	"CREATE VIRTUAL TABLE documents_fts USING fts5(title, text,"
	" content='documents', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	/* Search ranks by bm25 with a title match worth five in the body. */
	"INSERT INTO documents_fts(documents_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');"
	/* New documents are indexed in one statement just before each commit
	 * (store.c, index_new_documents), not by an insert trigger: FTS5
	 * writes out its pending index at every statement savepoint, and a
	 * trigger or a foreign key makes every insert one, so a trigger would
	 * cost an index segment per document. meta 'fts_upto' is the last
	 * document indexed; it commits with the documents it covers. */
	"INSERT INTO meta(key, value) VALUES ('fts_upto', '0');"
	"CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
	" INSERT INTO documents_fts(documents_fts, rowid, title, text)"
	" VALUES ('delete', old.id, old.title, old.text); END;"
	"CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN"
	" INSERT INTO documents_fts(documents_fts, rowid, title, text)"
	" VALUES ('delete', old.id, old.title, old.text);"
	" INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END;"

	"CREATE TABLE incidents(id INTEGER PRIMARY KEY, label TEXT,"
	" created_at TEXT NOT NULL, created_by TEXT NOT NULL);"

	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" incident_id INTEGER REFERENCES incidents(id),"
	" type TEXT NOT NULL CHECK(type IN ('trafficking','arrest','detention','interrogation',"
	"  'surveillance','sentencing','repatriation','abuse','escape','release','policy','death')),"
	" modality TEXT NOT NULL DEFAULT 'actual' CHECK(modality IN ('actual','planned','possible')),"
	" date_start TEXT, date_end TEXT,"
	" date_precision TEXT CHECK(date_precision IS NULL OR date_precision IN"
	"  ('day','month_part','month','season','year','range')),"
	" date_text TEXT,"
	" country TEXT, admin1 TEXT, place TEXT, location_text TEXT,"
	" has_location INTEGER NOT NULL DEFAULT 0,"
	" actors TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(actors)),"
	" victim_count_min INTEGER, victim_count_max INTEGER,"
	" victim_gender TEXT CHECK(victim_gender IS NULL OR victim_gender IN ('female','male','mixed')),"
	" victim_nationality TEXT, victim_text TEXT,"
	" sentence_years REAL,"
	" evidence_start INTEGER, evidence_end INTEGER, evidence_quote TEXT,"
	" evidence_also TEXT CHECK(evidence_also IS NULL OR json_valid(evidence_also)),"
	" status TEXT NOT NULL DEFAULT 'proposed' CHECK(status IN ('proposed','accepted','rejected')),"
	" origin TEXT NOT NULL CHECK(origin IN ('extractor','import','manual')),"
	" created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
	" reviewed_at TEXT, reviewed_by TEXT);"
	"CREATE INDEX events_doc ON events(doc_id);"
	"CREATE INDEX events_type ON events(type, status);"
	"CREATE INDEX events_admin1 ON events(admin1 COLLATE NOCASE);"

	"CREATE TABLE statistics("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" text TEXT, quantity_min REAL, quantity_max REAL, unit TEXT, about TEXT,"
	" attributed_to TEXT, evidence_start INTEGER, evidence_end INTEGER,"
	" created_at TEXT NOT NULL, created_by TEXT NOT NULL);"
	"CREATE INDEX statistics_doc ON statistics(doc_id);"

	/* People appear everywhere by pseudonym only. Their identifying fields
	 * (names, birth date, home town, contact) are one JSON value sealed to
	 * the owners and editors (persons.c; protect/logchain.h): no column
	 * holds them in the clear. name_tags are keyed hashes of the name
	 * words, for masking them in text shown to viewers (docs/security.md). */
	"CREATE TABLE persons(id INTEGER PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE,"
	" created_at TEXT NOT NULL, created_by TEXT NOT NULL);"
	"CREATE TABLE person_identities("
	" person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,"
	" sealed BLOB NOT NULL, name_tags BLOB NOT NULL DEFAULT x'');"
	"CREATE TABLE event_persons("
	" event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	" person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
	" role TEXT NOT NULL CHECK(role IN ('victim','witness','source','perpetrator','other')),"
	" PRIMARY KEY(event_id, person_id, role));"

	/* The change log: append-only, enforced by the database itself, and
	 * tamper-evident (protect/logchain.h): entry seq (id = seq + 1) is
	 * signed by its actor over seq, ts (Unix seconds), actor, action,
	 * target, detail and prev, the BLAKE2b hash of entry seq - 1. */
	"CREATE TABLE change_log(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,"
	" ts INTEGER NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, target TEXT, detail TEXT CHECK(detail IS NULL OR json_valid(detail)),"
	" prev BLOB NOT NULL, sig BLOB NOT NULL);"
	"CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log BEGIN"
	" SELECT RAISE(ABORT, 'the change log is append-only'); END;"
	"CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN"
	" SELECT RAISE(ABORT, 'the change log is append-only'); END;", NULL},

	{/* 2: lists of people (count/, corroborate/). A list is a group's
	 * roster; each row is a person of its own (identity sealed as any
	 * person's), so the same human on two lists is two persons until
	 * linkage says otherwise. A linkage run puts each person of its lists
	 * in a cluster (named by the person id of one member); estimation counts
	 * clusters by the lists they touch, and only from one run that covered
	 * every list asked for. A researcher's decision on a pair (confirmed:
	 * the same person; split: not) overrides the model in later runs. */
	"CREATE TABLE lists(id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK(length(name) BETWEEN 1 AND 64),"
	" year INTEGER, source_hash TEXT NOT NULL, rows INTEGER NOT NULL,"
	" imported_at TEXT NOT NULL, imported_by TEXT NOT NULL);"
	"CREATE TABLE list_rows(list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,"
	" row INTEGER NOT NULL,"
	" person_id INTEGER NOT NULL UNIQUE REFERENCES persons(id) ON DELETE CASCADE,"
	" PRIMARY KEY(list_id, row));"
	"CREATE TABLE link_runs(id INTEGER PRIMARY KEY, lists TEXT NOT NULL CHECK(json_valid(lists)),"
	" threshold REAL NOT NULL, links INTEGER NOT NULL, clusters INTEGER NOT NULL,"
	" run_at TEXT NOT NULL, run_by TEXT NOT NULL);"
	"CREATE TABLE person_clusters("
	" person_id INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,"
	" cluster INTEGER NOT NULL, run INTEGER NOT NULL REFERENCES link_runs(id));"
	"CREATE INDEX person_clusters_run ON person_clusters(run, cluster);"
	"CREATE TABLE link_decisions("
	" a INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
	" b INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
	" decision TEXT NOT NULL CHECK(decision IN ('confirmed', 'split')),"
	" decided_at TEXT NOT NULL, decided_by TEXT NOT NULL,"
	" PRIMARY KEY(a, b), CHECK(a < b));", NULL},

	/* 3: the band index's runs in chunks: a run's rows (key, doc_id),
	 * packed in order, CHUNK_ROWS or so to a row of this table keyed by
	 * its first key (documents.c, "The band index"). One row per key cost
	 * 32 B-tree inserts a document, each rewritten at every merge: most
	 * of ingest's time in the store. cb_bands_convert() moves the rows of
	 * document_bands over and drops it. */
	{"CREATE TABLE document_band_chunks(run INTEGER NOT NULL, first_key INTEGER NOT NULL,"
	 " data BLOB NOT NULL, PRIMARY KEY(run, first_key)) WITHOUT ROWID;",
	 cb_bands_convert},
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(N_MIGRATIONS == CB_SCHEMA_VERSION, "one migration per schema version");

static int user_version(cb_store *st, int *out, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = cb_sql_prepare(st, &s, "PRAGMA user_version", err)) < 0)
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = cb_sql_fail(st, err, "reading the schema version");
	} else {
		*out = sqlite3_column_int(s, 0);
		rc = CB_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

int cb_schema_migrate(cb_store *st, cb_error *err)
{
	int version = 0, rc;

	if ((rc = user_version(st, &version, err)) < 0)
		return rc;
	if (version > CB_SCHEMA_VERSION)
		return cb_fail(err, CB_ESCHEMA,
			       "%s: store schema version %d is newer than this casebook knows (%d); "
			       "use a newer casebook",
			       st->dir, version, CB_SCHEMA_VERSION);
	for (int v = version; v < CB_SCHEMA_VERSION; v++) {
		char bump[64];

		if ((rc = cb_sql_exec(st, "BEGIN IMMEDIATE", err)) < 0)
			return rc;
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if ((rc = cb_sql_exec(st, migrations[v].sql, err)) < 0 ||
		    (migrations[v].then && (rc = migrations[v].then(st, err)) < 0) ||
		    (rc = cb_sql_exec(st, bump, err)) < 0 ||
		    (rc = cb_sql_exec(st, "COMMIT", err)) < 0) {
			cb_error_prefix(err, "%s: migration %d", st->dir, v + 1);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	return CB_OK;
}
