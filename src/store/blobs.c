/*
 * blobs.c: the original files, content-addressed by BLAKE2b-256.
 *
 * Originals are appended to pack files, blobs/pack-NNNNNN (a new pack
 * after 256 MB), and the table blobs maps each hash to (pack, offset,
 * length), as git does with its packs. Appends happen only inside a store
 * transaction - whose BEGIN IMMEDIATE makes writers take turns, so two
 * processes never append at once - at the pack's current end (fstat), and
 * the pack is fsynced once before the outermost commit: a committed row
 * never points at bytes that did not reach the disk. A rollback cuts the
 * pack back to its size before the transaction; bytes left by a crash
 * after an append but before its commit belong to no row and harm nothing
 * (the next append goes after them).
 *
 * Each original is sealed on its own (protect/blobseal.h: secretstream,
 * its content hash as associated data), so a record read back under
 * another hash, or altered, truncated or swapped, fails to open and is
 * named by pack and offset. The table keeps the plaintext length; the
 * record on disk is cb_blobseal_sealed_size() of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"

#define PACK_MAX ((off_t)256 << 20)

#ifdef CB_BENCH_PLAIN
/* Only in bench/'s casebook-plain (store.c, open_db): originals kept as
 * they are, to measure what sealing costs. */
static size_t sealed_size(size_t len)
{
	return len;
}

static int seal(unsigned char **out, size_t *out_len, const unsigned char key[32], const char *label,
		const void *data, size_t len, cb_error *err)
{
	if (!(*out = malloc(len ? len : 1)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memcpy(*out, data, len);
	*out_len = len;
	return CB_OK;
}

static int unseal(unsigned char **out, size_t *out_len, const unsigned char key[32], const char *label,
		  const unsigned char *sealed, size_t sealed_len, size_t max, const char *name,
		  cb_error *err)
{
	if (!(*out = malloc(sealed_len + 1)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	memcpy(*out, sealed, sealed_len);
	(*out)[sealed_len] = '\0';
	*out_len = sealed_len;
	return CB_OK;
}
#else
#define sealed_size cb_blobseal_sealed_size
#define seal cb_blobseal_seal
#define unseal cb_blobseal_open
#endif

static int hash_ok(const char *h)
{
	return h && strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64;
}

static void pack_path(char *buf, size_t n, const cb_store *st, int pack)
{
	snprintf(buf, n, "%s/blobs/pack-%06d", st->dir, pack);
}

static int open_pack(cb_store *st, int pack, int for_write, int *fd, cb_error *err)
{
	char path[4096];
	pack_path(path, sizeof path, st, pack);
	*fd = open(path, for_write ? O_RDWR | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC, 0600);
	if (*fd < 0)
		return cb_fail(err, errno == ENOENT ? CB_EINTEGRITY : CB_EIO, "%s: cannot open: %s", path,
			       strerror(errno));
	return CB_OK;
}

/* The pack to append to: the highest one, or the next when it is full. */
static int current_pack(cb_store *st, cb_error *err)
{
	sqlite3_stmt *s;
	struct stat sb;
	int rc, pack = 1;

	if (st->pack_fd >= 0 && fstat(st->pack_fd, &sb) == 0 && sb.st_size < PACK_MAX)
		return CB_OK;
	if ((rc = cb_sql_cached(st, &s, "SELECT coalesce(max(pack), 1) FROM blobs", err)) < 0)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		pack = sqlite3_column_int(s, 0);
	cb_sql_done(s);
	if (st->pack_fd >= 0) {
		close(st->pack_fd);
		st->pack_fd = -1;
	}
	st->pack_start = -1; /* a new pack: nothing of ours in it yet */
	for (;; pack++) {
		if ((rc = open_pack(st, pack, 1, &st->pack_fd, err)) < 0)
			return rc;
		if (fstat(st->pack_fd, &sb) == 0 && sb.st_size < PACK_MAX)
			break;
		close(st->pack_fd);
		st->pack_fd = -1;
	}
	st->pack_no = pack;
	return CB_OK;
}

int cb_store_put_blob(cb_store *st, const char *hash_hex, const void *data, size_t len,
		      cb_error *err)
{
	sqlite3_stmt *s;
	struct stat sb;
	unsigned char *sealed = NULL;
	const char *p;
	off_t off;
	size_t left, slen = 0;
	int rc, step;

	if (!hash_ok(hash_hex))
		return cb_fail(err, CB_EINVAL, "bad content hash '%.70s'", hash_hex);
	if (st->depth == 0)
		return cb_fail(err, CB_EINVAL, "%s: originals are stored inside a transaction", st->dir);
	if ((rc = cb_sql_cached(st, &s, "SELECT 1 FROM blobs WHERE hash = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, hash_hex, 64, SQLITE_STATIC);
	step = sqlite3_step(s);
	cb_sql_done(s);
	if (step == SQLITE_ROW)
		return CB_OK; /* content-addressed: already there */
	if ((rc = current_pack(st, err)) < 0)
		return rc;
	if (fstat(st->pack_fd, &sb) < 0)
		return cb_fail(err, CB_EIO, "%s: pack %d: %s", st->dir, st->pack_no, strerror(errno));
	off = sb.st_size;
	if ((rc = seal(&sealed, &slen, st->blob_key, hash_hex, data, len, err)) < 0)
		return rc;
	p = (const char *)sealed;
	left = slen;
	while (left > 0) {
		ssize_t n = pwrite(st->pack_fd, p, left, off + (off_t)(slen - left));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = cb_fail(err, CB_EIO, "%s: cannot store the original: %s", st->dir, strerror(errno));
			if (ftruncate(st->pack_fd, off) < 0) {
				/* The tail belongs to no row; it is harmless. */
			}
			free(sealed);
			return rc;
		}
		p += n;
		left -= (size_t)n;
	}
	free(sealed);
	if ((rc = cb_sql_cached(st, &s, "INSERT INTO blobs(hash, pack, offset, length) VALUES (?1, ?2, ?3, ?4)",
				err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, hash_hex, 64, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, st->pack_no);
	sqlite3_bind_int64(s, 3, off);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)len);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "recording the original");
	cb_sql_done(s);
	if (st->pack_start < 0)
		st->pack_start = off;
	st->unsynced = 1;
	return rc;
}

int cb_store_get_blob(cb_store *st, char **out, size_t *len, const char *hash_hex, cb_error *err)
{
	sqlite3_stmt *s;
	long long off = 0, n = 0;
	int pack = 0, fd, rc, step;
	unsigned char *buf, *plain = NULL;
	size_t slen, plen = 0;
	ssize_t got;
	char name[4200];

	*out = NULL;
	*len = 0;
	if (!hash_ok(hash_hex))
		return cb_fail(err, CB_EINVAL, "bad content hash '%.70s'", hash_hex);
	if ((rc = cb_sql_cached(st, &s, "SELECT pack, offset, length FROM blobs WHERE hash = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, hash_hex, 64, SQLITE_STATIC);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		pack = sqlite3_column_int(s, 0);
		off = sqlite3_column_int64(s, 1);
		n = sqlite3_column_int64(s, 2);
	}
	cb_sql_done(s);
	if (step != SQLITE_ROW)
		return cb_fail(err, CB_ENOTFOUND, "%s: no original with hash %.12s...", st->dir, hash_hex);
	if (n < 0 || off < 0 || n > ((long long)1 << 31))
		return cb_fail(err, CB_EINTEGRITY, "%s: bad entry for original %.12s...", st->dir, hash_hex);
	if ((rc = open_pack(st, pack, 0, &fd, err)) < 0)
		return rc;
	slen = sealed_size((size_t)n);
	if (!(buf = malloc(slen))) {
		close(fd);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	pack_path(name, sizeof name, st, pack);
	snprintf(name + strlen(name), sizeof name - strlen(name), " (record at offset %lld, original %.12s...)",
		 off, hash_hex);
	got = pread(fd, buf, slen, (off_t)off);
	close(fd);
	if (got != (ssize_t)slen) {
		free(buf);
		return cb_fail(err, CB_EINTEGRITY, "%s: the pack is shorter than its index says", name);
	}
	rc = unseal(&plain, &plen, st->blob_key, hash_hex, buf, slen, (size_t)n, name, err);
	free(buf);
	if (rc == CB_EFORMAT || rc == CB_ETOOBIG) { /* on disk, either is damage */
		if (err)
			err->code = CB_EINTEGRITY;
		return CB_EINTEGRITY;
	}
	if (rc < 0)
		return rc;
	if (plen != (size_t)n) {
		free(plain);
		return cb_fail(err, CB_EINTEGRITY, "%s: length differs from its index", name);
	}
	*out = (char *)plain;
	*len = plen;
	return CB_OK;
}

void cb_blobs_undo(cb_store *st)
{
	/* Only this transaction appended past pack_start (writers take turns),
	 * and a transaction never spans two packs' worth of switching: if the
	 * pack changed, the new pack's start is 0 and the old one keeps a
	 * harmless tail. */
	if (st->pack_fd >= 0 && st->pack_start >= 0) {
		if (ftruncate(st->pack_fd, (off_t)st->pack_start) < 0) {
			/* A tail no row points at: harmless, and the next append
			 * goes after it. */
		}
	}
	st->pack_start = -1;
	st->unsynced = 0;
}

int cb_blobs_sync(cb_store *st, cb_error *err)
{
	if (!st->unsynced || st->pack_fd < 0)
		return CB_OK;
	if (fdatasync(st->pack_fd) < 0)
		return cb_fail(err, CB_EIO, "%s: cannot sync pack %d: %s", st->dir, st->pack_no, strerror(errno));
	st->unsynced = 0;
	return CB_OK;
}

void cb_blobs_close(cb_store *st)
{
	if (st->pack_fd >= 0)
		close(st->pack_fd);
	st->pack_fd = -1;
}
