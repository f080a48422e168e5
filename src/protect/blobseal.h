/*
 * blobseal.h: original files sealed at rest with libsodium's secretstream
 * (XChaCha20-Poly1305, chunked). See protect.h for the layer as a whole.
 *
 * Format of a sealed blob:
 *
 *   "CBBLOB1\n" (8) | secretstream header (24) | chunk* 
 *   chunk = secretstream message of up to 64 KiB of plaintext + 17 bytes;
 *           the last chunk (possibly empty) carries the FINAL tag.
 *
 * Every chunk carries the blob's label (the store uses the content hash)
 * as associated data, so a sealed file moved under another name fails to
 * open. Truncation (no FINAL chunk), bytes after the FINAL chunk, a
 * reordered, dropped or altered chunk, and a wrong key all fail with
 * CB_EINTEGRITY naming the file and the chunk.
 *
 *   cb_blobseal_write(path, key, hash_hex, data, len, &err);
 *   cb_blobseal_read(&buf, &n, path, key, hash_hex, max, &err);  // free(buf)
 *
 * Keys are 32 bytes (the store derives one with cb_keys_subkey(...,
 * CB_SUBKEY_BLOB)); they are only read. Every returned buffer is malloc'd
 * and the caller's to free().
 */
#ifndef CB_BLOBSEAL_H
#define CB_BLOBSEAL_H

#include <stddef.h>

#include "util/error.h"

#define CB_BLOBSEAL_CHUNK 65536

/* The sealed size of len bytes of plaintext. */
size_t cb_blobseal_sealed_size(size_t len);

/* Seals data into a malloc'd buffer in *out (caller frees) of *out_len
 * bytes. label may be NULL (no associated data). */
int cb_blobseal_seal(unsigned char **out, size_t *out_len, const unsigned char key[32],
		     const char *label, const void *data, size_t len, cb_error *err);

/* Opens a sealed buffer; the plaintext goes to a malloc'd buffer in *out
 * (caller frees; NUL-terminated for convenience, the NUL not counted).
 * CB_ETOOBIG if the plaintext would exceed max bytes, CB_EINTEGRITY if it
 * fails authentication, CB_EFORMAT if it is not a sealed blob. name is
 * used in messages only. */
int cb_blobseal_open(unsigned char **out, size_t *out_len, const unsigned char key[32],
		     const char *label, const unsigned char *sealed, size_t sealed_len,
		     size_t max, const char *name, cb_error *err);

/* Seals data and writes it to path atomically (temporary file, fsync,
 * rename, fsync of the folder): a crash leaves the old file or the new
 * one, never a part. */
int cb_blobseal_write(const char *path, const unsigned char key[32], const char *label,
		      const void *data, size_t len, cb_error *err);

/* Reads and opens the sealed file at path (plaintext at most max bytes)
 * into a malloc'd buffer in *out (caller frees). */
int cb_blobseal_read(unsigned char **out, size_t *out_len, const char *path,
		     const unsigned char key[32], const char *label, size_t max, cb_error *err);

#endif
