/*
 * serve.h: `casebook serve`, the web workspace of a documentation team: a
 * local HTTP(S) server (libmicrohttpd, thread pool) with pages for reports,
 * the review queue and the record, and a JSON API under /api/ for
 * everything the pages do (docs/api.md).
 *
 * The store is opened once, by whoever starts the server, with the data
 * key. People then sign in with their own store user and passphrase; each
 * request acts as its signed-in user (role, signing key for the change
 * log, sealed identities), exactly as the CLI would with --user. Pages and
 * API call the same library functions as the CLI: no second
 * implementation of any query.
 */
#ifndef CB_SERVE_H
#define CB_SERVE_H

#include <stddef.h>

#include "store/store.h"
#include "util/error.h"

typedef struct cb_serve_config {
	const char *listen;     /* "ADDR:PORT"; NULL = "127.0.0.1:8080" */
	const char *tls_cert;   /* PEM files; both or neither. Without them a */
	const char *tls_key;    /* non-loopback address is refused. */
	const char *assets_dir; /* where npm put the front-end packages
				 * (node_modules); NULL = $CASEBOOK_ASSETS, else
				 * web/node_modules beside the binary's source */
	unsigned threads;       /* 0 = one per core, 2 to 16 */
	size_t max_body;        /* 0 = 32 MiB (uploads) */
	unsigned session_ttl;   /* seconds of idleness before a session ends; 0 = 8 h */
	int quiet;              /* no request log on stderr */
} cb_serve_config;

/* Runs the server on st (borrowed; the caller closes it afterwards) until
 * SIGINT or SIGTERM. Prints "casebook: serving http://ADDR:PORT/" on
 * stdout once it listens. */
int cb_serve_run(cb_store *st, const cb_serve_config *cfg, cb_error *err);

#endif
