/*
 * export.h: the record out of the store, for analysis elsewhere: documents
 * or events as CSV (RFC 4180: one header row, CRLF line ends, fields quoted
 * where needed, ISO dates) or JSON (the codebook's shapes). Output streams
 * document by document, so memory stays flat however large the store.
 * Every export is written to the change log.
 */
#ifndef CB_EXPORT_H
#define CB_EXPORT_H

#include <stdio.h>

#include "store/store.h"

typedef enum cb_export_format { CB_EXPORT_CSV, CB_EXPORT_JSON } cb_export_format;

/* Protected fields (store/persons.c). By default (red NULL or
 * include_protected 0) an export names persons by pseudonym only and masks
 * their names in text, titles and quotes, and each JSON record says so in
 * "redacted" (a list of what was left out; empty when nothing was).
 * include_protected needs an owner or editor (CB_EAUTH otherwise, before
 * anything is written), adds each person's "identity" and masks nothing;
 * the change log records which kind of export it was. */
typedef struct cb_export_redaction {
	int include_protected; /* in */
	size_t persons;        /* out: persons named by pseudonym only */
	size_t masked;         /* out: name words masked */
} cb_export_redaction;

/* Documents: CSV has one row per document (no text); JSON is an array of
 * codebook records {"document": {..., "text"}, "events": [...],
 * "statistics": [...], "redacted": [...]}, each event with its "persons"
 * [{"pseudonym", "role"}]. */
int cb_export_documents(cb_store *st, FILE *out, cb_export_format fmt, cb_export_redaction *red,
			cb_error *err);

/* Events matching f (NULL = all): one CSV row each (with a "persons"
 * column: "P-XXXXXXXX:victim; ..."), or a JSON array, each event with its
 * "persons" and "redacted". */
int cb_export_events(cb_store *st, FILE *out, cb_export_format fmt, const cb_event_filter *f,
		     cb_export_redaction *red, cb_error *err);

/* Persons: CSV rows pseudonym, events, then the identity fields (empty
 * unless include_protected); JSON {"persons": [...], "redacted": [...]}. */
int cb_export_persons(cb_store *st, FILE *out, cb_export_format fmt, cb_export_redaction *red,
		      cb_error *err);

/* Writes one RFC 4180 field (quoted if it holds a comma, quote, CR or LF;
 * NULL writes an empty field). */
void cb_csv_field(FILE *out, const char *s);

#endif
