/*
 * ingest.h: one report into the store - collect it, recognise an exact copy
 * (same bytes) or a near-duplicate (same story reworded or syndicated), run
 * the extractor for its document record and proposed events, and write it
 * all in one transaction. A failure leaves nothing of the file behind: no
 * row, no blob. The CLI's `ingest` and the web server's upload both call
 * this.
 */
#ifndef CB_INGEST_H
#define CB_INGEST_H

#include <stdint.h>

#include "code/extract.h"
#include "store/store.h"
#include "util/error.h"

typedef struct cb_ingest_opts {
	const char *outlet;         /* --outlet: wins over what the text says; may be NULL */
	const char *url;            /* --url: provenance; may be NULL */
	size_t max_bytes;           /* file size limit; 0 = CB_COLLECT_DEFAULT_MAX */
	const cb_extractor *x;      /* extractor for metadata and proposed events; NULL = none */
} cb_ingest_opts;

typedef enum cb_ingest_status {
	CB_INGEST_NEW = 0,          /* stored as a new document */
	CB_INGEST_DUPLICATE,        /* the same bytes are already stored: nothing written */
	CB_INGEST_NEAR_DUPLICATE    /* stored, and marked as a near-duplicate of an earlier one */
} cb_ingest_status;

typedef struct cb_ingest_result {
	cb_ingest_status status;
	int64_t doc_id;             /* the new document, or the stored copy for a duplicate */
	int64_t near_duplicate_of;  /* for CB_INGEST_NEAR_DUPLICATE */
	double similarity;
	int n_events;               /* events proposed by the extractor */
	int dropped;                /* proposals the store would refuse, left out */
	char dropped_why[160];      /* the first one's reason */
} cb_ingest_result;

/* Ingests the file at path (.txt or .html). */
int cb_ingest_file(cb_ingest_result *res, cb_store *st, const char *path,
		   const cb_ingest_opts *opts, cb_error *err);

/* Ingests a report already in memory (name gives the format and is
 * recorded as its source name). */
int cb_ingest_bytes(cb_ingest_result *res, cb_store *st, const char *name, const void *data,
		    size_t len, const cb_ingest_opts *opts, cb_error *err);

/* The two halves of cb_ingest_file, for a caller that prepares files on
 * another thread ahead of the writes (cmd_ingest): prepare needs no store
 * (collect, near-duplicate signature, and the extractor, run now); the
 * second half checks for copies and writes. A prepared file is the
 * caller's (cb_ingest_prep_free); cb_ingest_prepared does not free it.
 * The extractor may serve both threads (extract.h). */
typedef struct cb_ingest_prep cb_ingest_prep;
int cb_ingest_prepare(cb_ingest_prep **out, const char *path, const cb_ingest_opts *opts,
		      cb_error *err);
int cb_ingest_prepared(cb_ingest_result *res, cb_store *st, cb_ingest_prep *p,
		       const cb_ingest_opts *opts, cb_error *err);
void cb_ingest_prep_free(cb_ingest_prep *p);

#endif
