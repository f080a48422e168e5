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

/* Documents: CSV has one row per document (no text); JSON is an array of
 * codebook records {"document": {..., "text"}, "events": [...],
 * "statistics": [...]}. */
int cb_export_documents(cb_store *st, FILE *out, cb_export_format fmt, cb_error *err);

/* Events matching f (NULL = all): one CSV row each, or a JSON array. */
int cb_export_events(cb_store *st, FILE *out, cb_export_format fmt, const cb_event_filter *f,
		     cb_error *err);

/* Writes one RFC 4180 field (quoted if it holds a comma, quote, CR or LF;
 * NULL writes an empty field). */
void cb_csv_field(FILE *out, const char *s);

#endif
