/*
 * fileio.h: reading a whole file with a size limit, and writing one
 * atomically (temporary file, fsync, rename) so that a crash or a full disk
 * never leaves a half-written file under the final name.
 */
#ifndef CB_FILEIO_H
#define CB_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Reads path into a malloc'd, NUL-terminated buffer in *out (caller frees)
 * and its length in *len. Fails with CB_ENOTFOUND, CB_EIO (unreadable, a
 * directory) or CB_ETOOBIG (over max bytes); the message names the path. */
int cb_read_file(char **out, size_t *len, const char *path, size_t max, cb_error *err);

/* Writes data to path through path.tmp-XXXXXX + fsync + rename. */
int cb_write_file_atomic(const char *path, const void *data, size_t len, cb_error *err);

/* The same, with the fsync only if durable: for callers that sync many
 * files at once later (syncfs). A crash still leaves either the whole
 * file or none under path. */
int cb_write_file(const char *path, const void *data, size_t len, int durable, cb_error *err);

/* mkdir -p with mode 0700 (stores hold sensitive material). */
int cb_mkdirs(const char *path, cb_error *err);

#endif
