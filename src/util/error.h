/*
 * error.h: the one error convention of casebook.
 *
 * Every fallible function returns an int status: CB_OK (0) on success, a
 * negative cb_code on failure. Results come back through OUT pointer
 * parameters that come first in the argument list. The human message goes
 * into a cb_error that the caller passes down (never a global "last error"),
 * so that a message cannot go stale between calls or threads.
 *
 *   cb_error err = CB_ERROR_INIT;
 *   if ((rc = cb_store_open(&st, dir, &err)) < 0) goto done;
 *   ...
 * done:
 *   if (rc < 0) fprintf(stderr, "casebook: %s\n", err.msg);
 *
 * A function that fails sets err with cb_fail() and returns the code in the
 * same statement: `return cb_fail(err, CB_EINVAL, "%s: empty file", path);`.
 * Callers that add context use cb_error_prefix(). err may be NULL.
 */
#ifndef CB_ERROR_H
#define CB_ERROR_H

#include <stddef.h>

typedef enum cb_code {
	CB_OK = 0,
	CB_ERR = -1,        /* anything not listed below */
	CB_ENOMEM = -2,     /* allocation failed */
	CB_EINVAL = -3,     /* bad argument or usage */
	CB_ENOTFOUND = -4,  /* no such file, document, event, ... */
	CB_EEXISTS = -5,    /* already there (a store, a document) */
	CB_EIO = -6,        /* read/write/permission failure */
	CB_EFORMAT = -7,    /* input that is not what it claims (binary, bad UTF-8, bad JSON) */
	CB_ETOOBIG = -8,    /* input over a configured limit */
	CB_ESTORE = -9,     /* not a store, or the database refused */
	CB_ESCHEMA = -10,   /* store schema newer than this program */
	CB_EAUTH = -11,     /* wrong passphrase or missing key */
	CB_EINTEGRITY = -12 /* stored data fails its checks */
} cb_code;

#define CB_ERROR_MSG_MAX 1024

typedef struct cb_error {
	int code;                    /* last cb_code set, CB_OK if none */
	char msg[CB_ERROR_MSG_MAX];  /* one line, no trailing newline */
} cb_error;

#define CB_ERROR_INIT {CB_OK, {0}}

/* Set err (if non-NULL) to code and a printf-style message; returns code. */
int cb_fail(cb_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepend "PREFIX: " to the message already in err; returns err->code. */
int cb_error_prefix(cb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void cb_error_clear(cb_error *err);

/* A short name for a code ("not found", "bad format", ...). */
const char *cb_code_name(int code);

/* The process exit status for a code: 0 ok, 1 failure, 2 usage,
 * 3 authentication, 4 integrity. Documented in `casebook --help`. */
int cb_exit_status(int code);

#endif
