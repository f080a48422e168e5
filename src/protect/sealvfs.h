/*
 * sealvfs.h: an SQLite VFS shim that encrypts and authenticates every page
 * SQLite writes (main database, WAL, rollback journal) and encrypts its
 * temporary files. See protect.h for the layer as a whole and
 * docs/protection.md for the on-disk format and the threat model.
 *
 * How to use (this is all the store has to do):
 *
 *   unsigned char dbkey[32];            // e.g. cb_keyring_subkey(..., CB_SUBKEY_DB)
 *   cb_sealvfs_register("cbseal-1", dbkey, &err);   // copies the key
 *   sodium_memzero(dbkey, sizeof dbkey);
 *   cb_sealvfs_open(&db, "store/casebook.db",
 *                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "cbseal-1", &err);
 *   ... PRAGMA journal_mode=WAL, ordinary SQL ...
 *   // on any SQLite failure, before building a message:
 *   rc = cb_sealvfs_explain(db, &err);  // CB_EINTEGRITY/CB_EAUTH + file and page
 *   sqlite3_close(db);
 *   cb_sealvfs_unregister("cbseal-1");  // wipes the key copy
 *
 * cb_sealvfs_open() must be used (rather than a bare sqlite3_open_v2) when
 * the database may be new: it reserves the 40 bytes per page that hold the
 * nonce and tag (SQLITE_FCNTL_RESERVE_BYTES) before SQLite writes page 1,
 * and for an existing database it reads page 1 at once so that a wrong key
 * fails at open (CB_EAUTH) and not at the first query. A page-1 write
 * without the 40 reserved bytes is refused, so plaintext never reaches the
 * disk even if a caller forgets.
 *
 * Why one VFS per key (and not a key in the URI): the connection's VFS is
 * also the one SQLite uses for its temporary files, so they are covered with
 * no extra plumbing; the key never travels through a file name, which SQLite
 * copies into error messages and logs; there is no global key table to look
 * up. Two stores open in one process register two names.
 *
 * Memory: the VFS keeps its own copy of the key in sodium_malloc'd, mlocked
 * memory, wiped by cb_sealvfs_unregister(). Nothing returned here is owned
 * by the caller except the sqlite3 handle from cb_sealvfs_open()
 * (sqlite3_close()).
 */
#ifndef CB_SEALVFS_H
#define CB_SEALVFS_H

#include <sqlite3.h>
#include <stddef.h>

#include "util/error.h"

/* Bytes reserved at the end of every page: 24-byte nonce + 16-byte tag. */
#define CB_SEALVFS_RESERVE 40

/* Registers a VFS called name (at most 63 characters) that seals with key
 * (32 bytes, copied). It is layered over the default VFS and is never made
 * the default. CB_EEXISTS if a VFS of that name exists. */
int cb_sealvfs_register(const char *name, const unsigned char key[32], cb_error *err);

/* Unregisters name and wipes its key. CB_EINVAL if files opened through it
 * are still open (close every connection first), CB_ENOTFOUND if it is not
 * a sealvfs. */
int cb_sealvfs_unregister(const char *name, cb_error *err);

/* Opens (or creates, with SQLITE_OPEN_CREATE in flags) the database at path
 * through the sealvfs vfs_name. On success *out is an open connection with
 * extended result codes on; the caller closes it with sqlite3_close().
 * Errors: CB_EAUTH (the key does not open page 1: wrong key, or not a
 * sealed database), CB_EINTEGRITY (a page is damaged; the message names file
 * and page), CB_ESTORE (SQLite refused otherwise). */
int cb_sealvfs_open(sqlite3 **out, const char *path, int flags, const char *vfs_name,
		    cb_error *err);

/* cb_sealvfs_open(), and a new database gets pages of page_size bytes (a
 * power of two from 512 to 65536; 0 = SQLite's default, 4096). An existing
 * database keeps the page size it has: the size is read from page 1's
 * plaintext header, so stores of any page size open alike. Fewer, larger
 * pages mean fewer seals per byte written (each seal also costs an
 * HChaCha20 block, a Poly1305 key block and the associated data) and fewer
 * B-tree pages and WAL frames; the store uses CB_SEALVFS_STORE_PAGE_SIZE. */
int cb_sealvfs_open_sized(sqlite3 **out, const char *path, int flags, const char *vfs_name,
			  unsigned page_size, cb_error *err);

/* The page size of a new store's database (store.c, open_db): at 10,000
 * reports, 16 KiB pages ingest about a third faster than 4 KiB ones
 * (bench/collect), and a report of 2-6 KB sits in one page instead of a
 * page and an overflow chain. */
#define CB_SEALVFS_STORE_PAGE_SIZE 16384

/* After an SQLite call on db failed (or PRAGMA integrity_check reported a
 * problem): if a page failed authentication since the last call, sets err
 * to a one-line message naming the file and the page (or WAL frame) and
 * returns CB_EINTEGRITY, or CB_EAUTH when neither page 1 nor page 2 of the
 * database opens with the key (a wrong key). Otherwise returns CB_OK and
 * leaves err alone, so the caller reports the SQLite error as usual. */
int cb_sealvfs_explain(sqlite3 *db, cb_error *err);

/* Checks every page of the database file at path and every frame of the
 * current generation of its WAL (path-wal) against the key of vfs_name,
 * without going through SQLite (for `casebook verify`; may run while the
 * store is open). The first bad page is reported as CB_EINTEGRITY naming
 * file and page. A torn last frame left by a crash is not an error (SQLite
 * discards it too). *pages gets the number of pages and frames checked. */
int cb_sealvfs_verify(size_t *pages, const char *path, const char *vfs_name, cb_error *err);

#endif
