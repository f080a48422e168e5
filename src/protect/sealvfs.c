/*
 * sealvfs.c: see sealvfs.h. The idea of keeping per-page metadata in the
 * bytes SQLite reserves at the end of each page comes from SQLite's
 * ext/misc/cksumvfs.c; here those bytes hold an AEAD nonce and tag.
 *
 * On-disk format (every kind of file SQLite writes):
 *
 *   main database   each page: ciphertext(pgsz-40) | nonce(24) | tag(16).
 *                   Page 1 keeps its first 24 bytes in plaintext ("SQLite
 *                   format 3", page size, reserve byte) so that the page
 *                   size can be learned before decrypting; those bytes are
 *                   authenticated as associated data.
 *   WAL             the 32-byte WAL header and the 24-byte frame headers are
 *                   plaintext (page numbers, salts, checksums: no content);
 *                   each frame's page image is sealed as above.
 *   rollback        journal headers, page numbers and checksums plaintext;
 *   journal         each page image sealed as above.
 *   temporary files (temp db, sub-journals, sorter spills): XChaCha20 stream
 *                   cipher keyed per file with a random key held only in
 *                   memory; no tag (the file dies with the handle).
 *   -shm            not encrypted: it is memory-mapped and holds only frame
 *                   and page numbers, salts and checksums.
 *
 * Associated data for each sealed page: "cbseal1" | kind ('D', 'W', 'J') |
 * page number (u32 BE) | WAL frame index (u32 BE, 0 elsewhere) | WAL frame
 * header bytes 0..15 (page number, commit size, salts) | page 1's plaintext
 * prefix. So a page moved to another position, another file, another
 * frame or another WAL generation fails to open.
 *
 * How writes are recognised (SQLite's I/O patterns, relied on here and
 * covered by tests):
 *   - the database is written in whole, aligned pages only;
 *   - WAL: header (32 bytes at 0), frame header (24 bytes), page image
 *     (pgsz bytes at frame+24), or a whole frame; anything else is refused
 *     (never written in plaintext) with SQLITE_IOERR_WRITE;
 *   - journal: a page image is the pgsz-byte write or read at an offset
 *     = 4 (mod 8), right after its 4-byte page number. Journal headers sit
 *     at multiples of the sector size (>= 32), records are pgsz+8 bytes
 *     long, so images are always at 4 (mod 8) and headers never are.
 *
 * Crash safety: WAL recovery reads whole frames. A frame whose image fails
 * to open is treated like SQLite treats a bad checksum (the end of the log)
 * only when it is the tail: stale salts, or no later frame of the current
 * generation follows it (a crash between writing a frame header and its
 * image). A bad frame followed by a valid one is tampering: an error.
 *
 * Errors: a page that fails to open makes xRead return SQLITE_IOERR_DATA
 * (as cksumvfs does) and records file, page and frame in the main
 * database's file object, where cb_sealvfs_explain() finds them through a
 * private file-control code.
 */
#include "sealvfs.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RES CB_SEALVFS_RESERVE
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES /* 24 */
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES      /* 16 */
#define PREFIX1 24   /* plaintext bytes at the start of page 1 */
#define WAL_HDR 32
#define FRAME_HDR 24
#define FCNTL_FAILURE 0x43425331 /* private file-control code ("CBS1") */

typedef struct seal_vfs {
	sqlite3_vfs base; /* first: SQLite sees a plain sqlite3_vfs */
	sqlite3_vfs *orig;
	unsigned char *key; /* sodium_malloc'd, 32 bytes */
	int nopen;
	char name[64];
} seal_vfs;

typedef struct seal_failure {
	int set;
	int kind;
	uint32_t pgno, frame;
	char file[256];
} seal_failure;

typedef struct seal_file {
	sqlite3_file base; /* first */
	seal_vfs *vfs;
	int kind;          /* 'D', 'W', 'J' or 'T' */
	const char *zname; /* SQLite's; valid while the file is open */
	uint32_t pgsz;     /* 0 until known */
	unsigned char *scratch;
	size_t scratch_cap;
	/* WAL: the last frame header written, reused for its image */
	sqlite3_int64 hdr_off;
	unsigned char hdr[FRAME_HDR];
	/* journal: the last 4-byte read or write (a page number) */
	sqlite3_int64 j4_off;
	uint32_t j4_val;
	/* temp files */
	unsigned char tkey[32], tnonce[24];
	/* main database: the last authentication failure of it or its WAL/journal */
	seal_failure fail;
} seal_file;

#define ORIG(p) ((sqlite3_file *)(((seal_file *)(p)) + 1))

static const sqlite3_io_methods seal_io;

/* ---- helpers -------------------------------------------------------- */

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

/* Page size from bytes 16-17 of a database header; 0 if not a valid one. */
static uint32_t header_pgsz(const unsigned char *h)
{
	uint32_t v = (uint32_t)h[16] << 8 | h[17];
	if (v == 1)
		v = 65536;
	if (v < 512 || v > 65536 || (v & (v - 1)))
		return 0;
	return v;
}

static int valid_pgsz(uint32_t v)
{
	return v >= 512 && v <= 65536 && !(v & (v - 1));
}

static unsigned char *scratch(seal_file *p, size_t n)
{
	if (p->scratch_cap < n) {
		unsigned char *s = realloc(p->scratch, n);
		if (!s)
			return NULL;
		p->scratch = s;
		p->scratch_cap = n;
	}
	return p->scratch;
}

static size_t make_ad(unsigned char *ad, int kind, uint32_t pgno, uint32_t frame,
		      const unsigned char *fhdr, const unsigned char *page)
{
	size_t n = 0;
	memcpy(ad, "cbseal1", 7);
	n = 7;
	ad[n++] = (unsigned char)kind;
	put32(ad + n, pgno);
	n += 4;
	put32(ad + n, frame);
	n += 4;
	if (fhdr) {
		memcpy(ad + n, fhdr, 16);
		n += 16;
	}
	if (pgno == 1) {
		memcpy(ad + n, page, PREFIX1);
		n += PREFIX1;
	}
	return n;
}

/* A fresh nonce for every sealed page: 16 random bytes drawn once per
 * thread and process, then a 64-bit counter. XChaCha20's 192-bit nonces
 * make random prefixes safe across processes and threads, and the counter
 * makes them unique within one, without a getrandom() system call per page
 * write. A forked child draws its own prefix (the pid check), so parent
 * and child never share a nonce. */
static void next_nonce(unsigned char *nonce)
{
	static _Thread_local unsigned char prefix[16];
	static _Thread_local uint64_t counter;
	static _Thread_local pid_t owner;
	pid_t pid = getpid();
	uint64_t c;

	if (owner != pid) {
		randombytes_buf(prefix, sizeof prefix);
		counter = 0;
		owner = pid;
	}
	_Static_assert(NONCE_LEN == 24, "16-byte prefix + 8-byte counter");
	memcpy(nonce, prefix, 16);
	c = counter++;
	for (int i = 0; i < 8; i++)
		nonce[16 + i] = (unsigned char)(c >> (8 * i));
}

/* Seals the page in into out (both pgsz bytes). */
static void seal_page(const unsigned char *key, int kind, uint32_t pgno, uint32_t frame,
		      const unsigned char *fhdr, const unsigned char *in, unsigned char *out,
		      uint32_t pgsz)
{
	unsigned char ad[64];
	size_t start = pgno == 1 ? PREFIX1 : 0;
	size_t adlen = make_ad(ad, kind, pgno, frame, fhdr, in);
	unsigned char *nonce = out + pgsz - RES;

	memcpy(out, in, start);
	next_nonce(nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out + start, out + pgsz - TAG_LEN, NULL,
							    in + start, pgsz - RES - start, ad, adlen,
							    NULL, nonce, key);
}

/* Opens a sealed page in place; 0 if authentic, -1 if not. */
static int open_page(const unsigned char *key, int kind, uint32_t pgno, uint32_t frame,
		     const unsigned char *fhdr, unsigned char *buf, uint32_t pgsz)
{
	unsigned char ad[64];
	size_t start = pgno == 1 ? PREFIX1 : 0;
	size_t adlen = make_ad(ad, kind, pgno, frame, fhdr, buf);

	if (pgno == 1 && header_pgsz(buf) != pgsz)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
		    buf + start, NULL, buf + start, pgsz - RES - start, buf + pgsz - TAG_LEN, ad,
		    adlen, buf + pgsz - RES, key))
		return -1;
	/* SQLite sees zeros in the reserved bytes, as on a page it creates:
	 * its WAL checksums cover the whole page and must come out the same
	 * when the page is read back. */
	memset(buf + pgsz - RES, 0, RES);
	return 0;
}

static int all_zero(const unsigned char *b, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

/* Reads n bytes at off from the underlying file; 1 if all were there. */
static int raw_read(seal_file *p, void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	return o->pMethods->xRead(o, buf, n, off) == SQLITE_OK;
}

static seal_file *main_of(seal_file *p)
{
	sqlite3_file *m;
	if (p->kind == 'D')
		return p;
	if (!p->zname || (p->kind != 'W' && p->kind != 'J'))
		return NULL;
	m = sqlite3_database_file_object(p->zname);
	return m && m->pMethods == &seal_io ? (seal_file *)m : NULL;
}

static int note_failure(seal_file *p, uint32_t pgno, uint32_t frame)
{
	seal_file *m = main_of(p);
	const char *name = p->zname ? p->zname : "(temporary file)";
	if (m) {
		m->fail.set = 1;
		m->fail.kind = p->kind;
		m->fail.pgno = pgno;
		m->fail.frame = frame;
		snprintf(m->fail.file, sizeof m->fail.file, "%s", name);
	}
	sqlite3_log(SQLITE_IOERR_DATA, "sealvfs: %s: page %u failed authentication", name,
		    (unsigned)pgno);
	return SQLITE_IOERR_DATA;
}

/* ---- main database ---------------------------------------------------- */

static uint32_t db_pgsz(seal_file *p)
{
	unsigned char h[PREFIX1];
	if (!p->pgsz && raw_read(p, h, PREFIX1, 0))
		p->pgsz = header_pgsz(h);
	return p->pgsz;
}

/* Reads page pgno whole into buf and opens it. SQLITE_IOERR_SHORT_READ
 * (buf zeroed) if the page lies past the end of the file. */
static int db_read_page(seal_file *p, unsigned char *buf, uint32_t pgno)
{
	sqlite3_file *o = ORIG(p);
	uint32_t pgsz = p->pgsz;
	int rc = o->pMethods->xRead(o, buf, (int)pgsz, (sqlite3_int64)(pgno - 1) * pgsz);
	if (rc == SQLITE_IOERR_SHORT_READ && all_zero(buf, pgsz))
		return rc;
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	if (rc == SQLITE_IOERR_SHORT_READ || open_page(p->vfs->key, 'D', pgno, 0, NULL, buf, pgsz))
		return note_failure(p, pgno, 0);
	return SQLITE_OK;
}

static int db_read(seal_file *p, unsigned char *out, int amt, sqlite3_int64 off)
{
	uint32_t pgsz = db_pgsz(p);
	int short_read = 0;

	if (!pgsz) /* empty (or not a database): nothing sealed to open */
		return ORIG(p)->pMethods->xRead(ORIG(p), out, amt, off);
	if (off % pgsz == 0 && (uint32_t)amt == pgsz)
		return db_read_page(p, out, (uint32_t)(off / pgsz) + 1);
	/* Partial reads (the 100-byte header, the change counter): open each
	 * page the range touches and copy the slice. */
	unsigned char *buf = scratch(p, pgsz);
	if (!buf)
		return SQLITE_IOERR_NOMEM;
	while (amt > 0) {
		uint32_t pgno = (uint32_t)(off / pgsz) + 1;
		size_t in = (size_t)(off % pgsz), n = pgsz - in;
		int rc = db_read_page(p, buf, pgno);
		if (n > (size_t)amt)
			n = (size_t)amt;
		if (rc == SQLITE_IOERR_SHORT_READ)
			short_read = 1;
		else if (rc != SQLITE_OK)
			return rc;
		memcpy(out, buf + in, n);
		out += n;
		off += (sqlite3_int64)n;
		amt -= (int)n;
	}
	return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

static int db_write(seal_file *p, const unsigned char *in, int amt, sqlite3_int64 off)
{
	unsigned char *out;
	uint32_t pgsz;

	if (off == 0 && amt >= PREFIX1) {
		/* Page 1 tells the page size; without the reserve there is no
		 * room for nonce and tag, and plaintext must not be written. */
		if (header_pgsz(in) != (uint32_t)amt || in[20] != RES) {
			sqlite3_log(SQLITE_IOERR_WRITE,
				    "sealvfs: page 1 without %d reserved bytes refused", RES);
			return SQLITE_IOERR_WRITE;
		}
		p->pgsz = (uint32_t)amt;
	}
	pgsz = db_pgsz(p);
	if (!pgsz || off % pgsz || (uint32_t)amt != pgsz)
		return SQLITE_IOERR_WRITE;
	if (!(out = scratch(p, pgsz)))
		return SQLITE_IOERR_NOMEM;
	seal_page(p->vfs->key, 'D', (uint32_t)(off / pgsz) + 1, 0, NULL, in, out, pgsz);
	return ORIG(p)->pMethods->xWrite(ORIG(p), out, amt, off);
}

/* ---- WAL ---------------------------------------------------------------- */

static uint32_t wal_pgsz(seal_file *p)
{
	unsigned char h[WAL_HDR];
	if (!p->pgsz && raw_read(p, h, WAL_HDR, 0) && valid_pgsz(get32(h + 8)))
		p->pgsz = get32(h + 8);
	return p->pgsz;
}

/* The frame header (its first 16 bytes matter) for the image at off. */
static int wal_frame_header(seal_file *p, unsigned char *hdr, sqlite3_int64 hoff)
{
	if (p->hdr_off == hoff && hoff) {
		memcpy(hdr, p->hdr, FRAME_HDR);
		return 1;
	}
	return raw_read(p, hdr, FRAME_HDR, hoff);
}

/* A whole frame at hoff failed to open during recovery: is it the torn
 * tail of a crash (fine: SQLite discards it) or a damaged frame inside the
 * log (an error)? */
static int wal_is_tail(seal_file *p, const unsigned char *fhdr, sqlite3_int64 hoff)
{
	unsigned char wh[WAL_HDR], next[16];
	if (!raw_read(p, wh, WAL_HDR, 0) || memcmp(wh + 16, fhdr + 8, 8))
		return 1; /* stale salts: SQLite ignores the frame anyway */
	if (!raw_read(p, next, 16, hoff + FRAME_HDR + p->pgsz))
		return 1;
	return memcmp(next + 8, fhdr + 8, 8) != 0;
}

static int wal_read(seal_file *p, unsigned char *out, int amt, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	uint32_t pgsz = wal_pgsz(p);
	sqlite3_int64 fsz, rel, within;
	uint32_t frame;
	unsigned char hdr[FRAME_HDR];
	int rc;

	if (!pgsz || off < WAL_HDR)
		return o->pMethods->xRead(o, out, amt, off);
	fsz = pgsz + FRAME_HDR;
	rel = off - WAL_HDR;
	frame = (uint32_t)(rel / fsz);
	within = rel % fsz;
	if (within == 0 && amt <= FRAME_HDR)
		return o->pMethods->xRead(o, out, amt, off);
	if (!(within == 0 && amt == fsz) && !(within == FRAME_HDR && (uint32_t)amt == pgsz))
		return SQLITE_IOERR_READ;
	rc = o->pMethods->xRead(o, out, amt, off);
	if (rc == SQLITE_IOERR_SHORT_READ && all_zero(out, (size_t)amt))
		return rc;
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	if (within == 0) { /* recovery: header and image together */
		unsigned char *img = out + FRAME_HDR;
		if (rc == SQLITE_OK &&
		    !open_page(p->vfs->key, 'W', get32(out), frame, out, img, pgsz))
			return SQLITE_OK;
		if (wal_is_tail(p, out, off)) {
			/* A zeroed image fails SQLite's checksum: the log ends here. */
			memset(img, 0, pgsz);
			return SQLITE_OK;
		}
		return note_failure(p, get32(out), frame + 1);
	}
	if (rc != SQLITE_OK || !wal_frame_header(p, hdr, off - FRAME_HDR) ||
	    open_page(p->vfs->key, 'W', get32(hdr), frame, hdr, out, pgsz))
		return note_failure(p, rc == SQLITE_OK ? get32(hdr) : 0, frame + 1);
	return SQLITE_OK;
}

static int wal_write(seal_file *p, const unsigned char *in, int amt, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	sqlite3_int64 fsz, rel, within;
	unsigned char hdr[FRAME_HDR], *out;
	uint32_t pgsz, frame;

	if (off == 0 && amt >= WAL_HDR && valid_pgsz(get32(in + 8))) {
		p->pgsz = get32(in + 8);
		p->hdr_off = 0;
		return o->pMethods->xWrite(o, in, amt, off);
	}
	if (!(pgsz = wal_pgsz(p)) || off < WAL_HDR)
		return SQLITE_IOERR_WRITE;
	fsz = pgsz + FRAME_HDR;
	rel = off - WAL_HDR;
	frame = (uint32_t)(rel / fsz);
	within = rel % fsz;
	if (within == 0 && amt == FRAME_HDR) {
		p->hdr_off = off;
		memcpy(p->hdr, in, FRAME_HDR);
		return o->pMethods->xWrite(o, in, amt, off);
	}
	if (!(out = scratch(p, (size_t)fsz)))
		return SQLITE_IOERR_NOMEM;
	if (within == 0 && amt == fsz) {
		memcpy(out, in, FRAME_HDR);
		seal_page(p->vfs->key, 'W', get32(in), frame, in, in + FRAME_HDR, out + FRAME_HDR,
			  pgsz);
		return o->pMethods->xWrite(o, out, amt, off);
	}
	if (within != FRAME_HDR || (uint32_t)amt != pgsz || !wal_frame_header(p, hdr, off - FRAME_HDR))
		return SQLITE_IOERR_WRITE;
	seal_page(p->vfs->key, 'W', get32(hdr), frame, hdr, in, out, pgsz);
	return o->pMethods->xWrite(o, out, amt, off);
}

/* ---- rollback journal ------------------------------------------------ */

static uint32_t jrnl_pgsz(seal_file *p)
{
	seal_file *m;
	unsigned char b[4];
	if (p->pgsz)
		return p->pgsz;
	if ((m = main_of(p)) && db_pgsz(m))
		p->pgsz = m->pgsz;
	else if (raw_read(p, b, 4, 24) && valid_pgsz(get32(b)))
		p->pgsz = get32(b);
	return p->pgsz;
}

/* Is (amt, off) a page image, and of which page? */
static int jrnl_image(seal_file *p, uint32_t *pgno, int amt, sqlite3_int64 off)
{
	uint32_t pgsz = jrnl_pgsz(p);
	unsigned char b[4];
	if (!pgsz || (uint32_t)amt != pgsz || off % 8 != 4)
		return 0;
	if (p->j4_off == off - 4)
		*pgno = p->j4_val;
	else if (raw_read(p, b, 4, off - 4))
		*pgno = get32(b);
	else
		return 0;
	/* The super-journal pointer uses the pending-byte page's number and
	 * is never a page image. */
	return *pgno != 0x40000000u / pgsz + 1;
}

static int jrnl_read(seal_file *p, unsigned char *out, int amt, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	uint32_t pgno = 0;
	int rc = o->pMethods->xRead(o, out, amt, off);

	if (amt == 4 && rc == SQLITE_OK) {
		p->j4_off = off;
		p->j4_val = get32(out);
		return rc;
	}
	if (!jrnl_image(p, &pgno, amt, off))
		return rc;
	if (rc == SQLITE_IOERR_SHORT_READ && all_zero(out, (size_t)amt))
		return rc;
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	if (rc != SQLITE_OK || open_page(p->vfs->key, 'J', pgno, 0, NULL, out, p->pgsz))
		return note_failure(p, pgno, 0);
	return SQLITE_OK;
}

static int jrnl_write(seal_file *p, const unsigned char *in, int amt, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	uint32_t pgno;
	unsigned char *out;

	if (amt == 4) {
		p->j4_off = off;
		p->j4_val = get32(in);
	}
	if (!jrnl_image(p, &pgno, amt, off))
		return o->pMethods->xWrite(o, in, amt, off);
	if (pgno == 1 && in[20] != RES)
		return SQLITE_IOERR_WRITE;
	if (!(out = scratch(p, p->pgsz)))
		return SQLITE_IOERR_NOMEM;
	seal_page(p->vfs->key, 'J', pgno, 0, NULL, in, out, p->pgsz);
	return o->pMethods->xWrite(o, out, amt, off);
}

/* ---- temporary files ------------------------------------------------- */

/* XORs the key stream for bytes [off, off+n) of this file into buf. */
static void temp_xor(seal_file *p, unsigned char *buf, size_t n, sqlite3_int64 off)
{
	uint64_t block = (uint64_t)off / 64;
	size_t skip = (size_t)((uint64_t)off % 64);

	if (skip && n) {
		unsigned char ks[64] = {0};
		size_t k = 64 - skip < n ? 64 - skip : n;
		crypto_stream_xchacha20_xor_ic(ks, ks, 64, p->tnonce, block, p->tkey);
		for (size_t i = 0; i < k; i++)
			buf[i] ^= ks[skip + i];
		sodium_memzero(ks, sizeof ks);
		buf += k;
		n -= k;
		block++;
	}
	if (n)
		crypto_stream_xchacha20_xor_ic(buf, buf, n, p->tnonce, block, p->tkey);
}

static int temp_read(seal_file *p, unsigned char *out, int amt, sqlite3_int64 off)
{
	sqlite3_file *o = ORIG(p);
	int rc = o->pMethods->xRead(o, out, amt, off);
	if (rc == SQLITE_OK) {
		temp_xor(p, out, (size_t)amt, off);
	} else if (rc == SQLITE_IOERR_SHORT_READ) {
		sqlite3_int64 size = 0;
		if (o->pMethods->xFileSize(o, &size) != SQLITE_OK)
			return SQLITE_IOERR_READ;
		if (size > off) {
			size_t got = (size_t)(size - off) < (size_t)amt ? (size_t)(size - off) : (size_t)amt;
			temp_xor(p, out, got, off);
		}
	}
	return rc;
}

static int temp_write(seal_file *p, const unsigned char *in, int amt, sqlite3_int64 off)
{
	unsigned char *out = scratch(p, (size_t)amt);
	if (!out)
		return SQLITE_IOERR_NOMEM;
	memcpy(out, in, (size_t)amt);
	temp_xor(p, out, (size_t)amt, off);
	return ORIG(p)->pMethods->xWrite(ORIG(p), out, amt, off);
}

/* ---- io methods -------------------------------------------------------- */

static int sv_close(sqlite3_file *f)
{
	seal_file *p = (seal_file *)f;
	int rc = ORIG(p)->pMethods->xClose(ORIG(p));
	if (p->scratch) {
		sodium_memzero(p->scratch, p->scratch_cap);
		free(p->scratch);
	}
	sodium_munlock(p->tkey, sizeof p->tkey); /* also wipes it */
	__atomic_sub_fetch(&p->vfs->nopen, 1, __ATOMIC_SEQ_CST);
	return rc;
}

static int sv_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	seal_file *p = (seal_file *)f;
	switch (p->kind) {
	case 'D': return db_read(p, buf, amt, off);
	case 'W': return wal_read(p, buf, amt, off);
	case 'J': return jrnl_read(p, buf, amt, off);
	default: return temp_read(p, buf, amt, off);
	}
}

static int sv_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	seal_file *p = (seal_file *)f;
	switch (p->kind) {
	case 'D': return db_write(p, buf, amt, off);
	case 'W': return wal_write(p, buf, amt, off);
	case 'J': return jrnl_write(p, buf, amt, off);
	default: return temp_write(p, buf, amt, off);
	}
}

static int sv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	seal_file *p = (seal_file *)f;
	if (p->kind == 'W' && size < WAL_HDR)
		p->pgsz = 0, p->hdr_off = 0;
	if (p->kind == 'J' && size == 0)
		p->pgsz = 0, p->j4_off = 0;
	return ORIG(f)->pMethods->xTruncate(ORIG(f), size);
}

static int sv_sync(sqlite3_file *f, int flags)
{
	return ORIG(f)->pMethods->xSync(ORIG(f), flags);
}

static int sv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return ORIG(f)->pMethods->xFileSize(ORIG(f), size);
}

static int sv_lock(sqlite3_file *f, int level)
{
	return ORIG(f)->pMethods->xLock(ORIG(f), level);
}

static int sv_unlock(sqlite3_file *f, int level)
{
	return ORIG(f)->pMethods->xUnlock(ORIG(f), level);
}

static int sv_check_reserved(sqlite3_file *f, int *out)
{
	return ORIG(f)->pMethods->xCheckReservedLock(ORIG(f), out);
}

static int sv_file_control(sqlite3_file *f, int op, void *arg)
{
	seal_file *p = (seal_file *)f;
	if (op == FCNTL_FAILURE) {
		if (p->kind != 'D')
			return SQLITE_NOTFOUND;
		*(seal_failure **)arg = &p->fail;
		return SQLITE_OK;
	}
	return ORIG(f)->pMethods->xFileControl(ORIG(f), op, arg);
}

static int sv_sector_size(sqlite3_file *f)
{
	return ORIG(f)->pMethods->xSectorSize(ORIG(f));
}

static int sv_device_chars(sqlite3_file *f)
{
	return ORIG(f)->pMethods->xDeviceCharacteristics(ORIG(f));
}

static int sv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return ORIG(f)->pMethods->xShmMap(ORIG(f), pg, pgsz, extend, pp);
}

static int sv_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return ORIG(f)->pMethods->xShmLock(ORIG(f), offset, n, flags);
}

static void sv_shm_barrier(sqlite3_file *f)
{
	ORIG(f)->pMethods->xShmBarrier(ORIG(f));
}

static int sv_shm_unmap(sqlite3_file *f, int del)
{
	return ORIG(f)->pMethods->xShmUnmap(ORIG(f), del);
}

/* Version 2: shared memory for WAL, but no xFetch, so SQLite never maps
 * the (sealed) database into memory and reads around the VFS. */
static const sqlite3_io_methods seal_io = {
	2, sv_close, sv_read, sv_write, sv_truncate, sv_sync, sv_file_size, sv_lock, sv_unlock,
	sv_check_reserved, sv_file_control, sv_sector_size, sv_device_chars, sv_shm_map,
	sv_shm_lock, sv_shm_barrier, sv_shm_unmap, NULL, NULL,
};

/* ---- vfs methods ----------------------------------------------------- */

#define VORIG(v) (((seal_vfs *)(v))->orig)

static int sv_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
		   int *out_flags)
{
	seal_vfs *v = (seal_vfs *)vfs;
	seal_file *p = (seal_file *)f;
	int rc;

	memset(p, 0, sizeof *p);
	/* A super-journal lists file names in plaintext and must outlive the
	 * process; casebook never attaches a second database. */
	if (flags & SQLITE_OPEN_SUPER_JOURNAL)
		return SQLITE_CANTOPEN;
	p->vfs = v;
	p->zname = name;
	p->kind = flags & SQLITE_OPEN_MAIN_DB ? 'D'
		: flags & SQLITE_OPEN_WAL ? 'W'
		: flags & SQLITE_OPEN_MAIN_JOURNAL ? 'J' : 'T';
	rc = v->orig->xOpen(v->orig, name, ORIG(p), flags, out_flags);
	if (rc != SQLITE_OK)
		return rc;
	if (p->kind == 'T') {
		sodium_mlock(p->tkey, sizeof p->tkey); /* best effort */
		randombytes_buf(p->tkey, sizeof p->tkey);
		randombytes_buf(p->tnonce, sizeof p->tnonce);
	}
	__atomic_add_fetch(&v->nopen, 1, __ATOMIC_SEQ_CST);
	f->pMethods = &seal_io;
	return SQLITE_OK;
}

static int sv_delete(sqlite3_vfs *v, const char *name, int sync)
{
	return VORIG(v)->xDelete(VORIG(v), name, sync);
}

static int sv_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return VORIG(v)->xAccess(VORIG(v), name, flags, out);
}

static int sv_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	return VORIG(v)->xFullPathname(VORIG(v), name, n, out);
}

static void *sv_dlopen(sqlite3_vfs *v, const char *path)
{
	return VORIG(v)->xDlOpen(VORIG(v), path);
}

static void sv_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	VORIG(v)->xDlError(VORIG(v), n, msg);
}

static void (*sv_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	return VORIG(v)->xDlSym(VORIG(v), h, sym);
}

static void sv_dlclose(sqlite3_vfs *v, void *h)
{
	VORIG(v)->xDlClose(VORIG(v), h);
}

static int sv_randomness(sqlite3_vfs *v, int n, char *out)
{
	randombytes_buf(out, (size_t)n);
	return n;
}

static int sv_sleep(sqlite3_vfs *v, int us)
{
	return VORIG(v)->xSleep(VORIG(v), us);
}

static int sv_current_time(sqlite3_vfs *v, double *t)
{
	return VORIG(v)->xCurrentTime(VORIG(v), t);
}

static int sv_last_error(sqlite3_vfs *v, int n, char *msg)
{
	return VORIG(v)->xGetLastError(VORIG(v), n, msg);
}

static int sv_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	return VORIG(v)->xCurrentTimeInt64(VORIG(v), t);
}

/* ---- public API ------------------------------------------------------- */

static seal_vfs *find_seal(const char *name)
{
	sqlite3_vfs *v = name ? sqlite3_vfs_find(name) : NULL;
	return v && v->xOpen == sv_open ? (seal_vfs *)v : NULL;
}

int cb_sealvfs_register(const char *name, const unsigned char key[32], cb_error *err)
{
	seal_vfs *v;
	sqlite3_vfs *orig;

	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (!name || !*name || strlen(name) >= sizeof v->name)
		return cb_fail(err, CB_EINVAL, "sealvfs: bad VFS name");
	if (sqlite3_vfs_find(name))
		return cb_fail(err, CB_EEXISTS, "sealvfs: a VFS called '%s' exists", name);
	if (!(orig = sqlite3_vfs_find(NULL)))
		return cb_fail(err, CB_ESTORE, "sealvfs: SQLite has no default VFS");
	if (!(v = calloc(1, sizeof *v)) || !(v->key = sodium_malloc(32))) {
		free(v);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	memcpy(v->key, key, 32);
	sodium_mprotect_readonly(v->key);
	snprintf(v->name, sizeof v->name, "%s", name);
	v->orig = orig;
	v->base.iVersion = 2;
	v->base.szOsFile = (int)sizeof(seal_file) + orig->szOsFile;
	v->base.mxPathname = orig->mxPathname;
	v->base.zName = v->name;
	v->base.pAppData = v;
	v->base.xOpen = sv_open;
	v->base.xDelete = sv_delete;
	v->base.xAccess = sv_access;
	v->base.xFullPathname = sv_full_pathname;
	v->base.xDlOpen = sv_dlopen;
	v->base.xDlError = sv_dlerror;
	v->base.xDlSym = sv_dlsym;
	v->base.xDlClose = sv_dlclose;
	v->base.xRandomness = sv_randomness;
	v->base.xSleep = sv_sleep;
	v->base.xCurrentTime = sv_current_time;
	v->base.xGetLastError = sv_last_error;
	v->base.xCurrentTimeInt64 = sv_current_time64;
	if (sqlite3_vfs_register(&v->base, 0) != SQLITE_OK) {
		sodium_free(v->key);
		free(v);
		return cb_fail(err, CB_ESTORE, "sealvfs: cannot register '%s'", name);
	}
	return CB_OK;
}

int cb_sealvfs_unregister(const char *name, cb_error *err)
{
	seal_vfs *v = find_seal(name);
	if (!v)
		return cb_fail(err, CB_ENOTFOUND, "sealvfs: no sealing VFS called '%s'",
			       name ? name : "(null)");
	if (__atomic_load_n(&v->nopen, __ATOMIC_SEQ_CST) > 0)
		return cb_fail(err, CB_EINVAL, "sealvfs: '%s' still has %d open files", name,
			       v->nopen);
	sqlite3_vfs_unregister(&v->base);
	sodium_free(v->key); /* wipes */
	free(v);
	return CB_OK;
}

/* Does page pgno of the sealed database file at path open with key? */
static int raw_page_ok(const unsigned char *key, const char *path, uint32_t pgno)
{
	unsigned char h[PREFIX1], *buf = NULL;
	uint32_t pgsz;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, h, PREFIX1, 0) == PREFIX1 && (pgsz = header_pgsz(h)) &&
	    (buf = malloc(pgsz)) &&
	    pread(fd, buf, pgsz, (off_t)(pgno - 1) * pgsz) == (ssize_t)pgsz)
		ok = open_page(key, 'D', pgno, 0, NULL, buf, pgsz) == 0;
	free(buf);
	close(fd);
	return ok;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int cb_sealvfs_explain(sqlite3 *db, cb_error *err)
{
	seal_failure *f = NULL, copy;
	sqlite3_vfs *vfs = NULL;
	const char *dbfile;

	if (!db || sqlite3_file_control(db, "main", FCNTL_FAILURE, &f) != SQLITE_OK || !f ||
	    !f->set)
		return CB_OK;
	/* Whatever SQLite made of it (an I/O error, or a line in the output of
	 * PRAGMA integrity_check), a page that failed to open is the news. */
	copy = *f;
	f->set = 0; /* one failure, explained once */
	sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
	dbfile = sqlite3_db_filename(db, "main");
	if (vfs && vfs->xOpen == sv_open && dbfile &&
	    !raw_page_ok(((seal_vfs *)vfs)->key, dbfile, 1) &&
	    !raw_page_ok(((seal_vfs *)vfs)->key, dbfile, 2))
		return cb_fail(err, CB_EAUTH,
			       "%s: cannot be opened with this key (wrong passphrase, or not a "
			       "casebook database)", base_name(dbfile));
	if (copy.kind == 'W')
		return cb_fail(err, CB_EINTEGRITY,
			       "%s: frame %u (page %u) failed authentication: the file was altered "
			       "or damaged", base_name(copy.file), copy.frame, copy.pgno);
	return cb_fail(err, CB_EINTEGRITY,
		       "%s: page %u failed authentication: the file was altered or damaged",
		       base_name(copy.file), copy.pgno);
}

int cb_sealvfs_open(sqlite3 **out, const char *path, int flags, const char *vfs_name,
		    cb_error *err)
{
	return cb_sealvfs_open_sized(out, path, flags, vfs_name, 0, err);
}

int cb_sealvfs_open_sized(sqlite3 **out, const char *path, int flags, const char *vfs_name,
			  unsigned page_size, cb_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = CB_OK, n = RES;
	sqlite3_int64 pages = 0;

	*out = NULL;
	if (!find_seal(vfs_name))
		return cb_fail(err, CB_EINVAL, "sealvfs: no sealing VFS called '%s'",
			       vfs_name ? vfs_name : "(null)");
	if (page_size && !valid_pgsz(page_size))
		return cb_fail(err, CB_EINVAL, "sealvfs: bad page size %u", page_size);
	if (sqlite3_open_v2(path, &db, flags, vfs_name) != SQLITE_OK) {
		/* Opening may already read page 1 (a WAL database does). */
		if (db && (rc = cb_sealvfs_explain(db, err)) < 0)
			goto done;
		if (db && (sqlite3_errcode(db) == SQLITE_IOERR || sqlite3_errcode(db) == SQLITE_NOTADB) &&
		    !raw_page_ok(find_seal(vfs_name)->key, path, 1) &&
		    !raw_page_ok(find_seal(vfs_name)->key, path, 2)) {
			rc = cb_fail(err, CB_EAUTH,
				     "%s: cannot be opened with this key (wrong passphrase, or not "
				     "a casebook database)", base_name(path));
			goto done;
		}
		rc = cb_fail(err, CB_ESTORE, "%s: cannot open database: %s", path,
			     db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(db, 1);
	/* page_count reads page 1 (and recovers the WAL): a wrong key fails here. */
	if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		if ((rc = cb_sealvfs_explain(db, err)) == CB_OK)
			rc = cb_fail(err, CB_ESTORE, "%s: %s", path, sqlite3_errmsg(db));
		goto done;
	}
	pages = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s); /* no statement may be open while the page size is set */
	s = NULL;
	if (pages == 0) {
		/* New database: reserve room for nonce and tag before page 1. */
		sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &n);
		if (page_size) {
			char sql[48];
			snprintf(sql, sizeof sql, "PRAGMA page_size = %u", page_size);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
				rc = cb_fail(err, CB_ESTORE, "%s: %s", path, sqlite3_errmsg(db));
				goto done;
			}
		}
	} else {
		n = -1;
		sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &n);
		if (n != RES) {
			rc = cb_fail(err, CB_ESTORE, "%s: not a sealed database (reserve %d)", path, n);
			goto done;
		}
	}
done:
	sqlite3_finalize(s);
	if (rc < 0)
		sqlite3_close(db);
	else
		*out = db;
	return rc;
}

/* ---- verification ----------------------------------------------------- */

static int verify_wal(size_t *pages, const unsigned char *key, const char *path, cb_error *err)
{
	unsigned char wh[WAL_HDR], *buf = NULL;
	struct stat sb;
	uint32_t pgsz;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = CB_OK;

	if (fd < 0)
		return CB_OK; /* no WAL: nothing to check */
	if (fstat(fd, &sb) < 0 || sb.st_size < WAL_HDR || pread(fd, wh, WAL_HDR, 0) != WAL_HDR)
		goto done;
	pgsz = get32(wh + 8);
	if (!valid_pgsz(pgsz)) {
		rc = cb_fail(err, CB_EINTEGRITY, "%s: bad WAL header", base_name(path));
		goto done;
	}
	if (!(buf = malloc(pgsz + FRAME_HDR))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (uint32_t k = 0;; k++) {
		off_t off = WAL_HDR + (off_t)k * (pgsz + FRAME_HDR);
		unsigned char next[16];
		if (off + pgsz + FRAME_HDR > sb.st_size ||
		    pread(fd, buf, pgsz + FRAME_HDR, off) != (ssize_t)(pgsz + FRAME_HDR))
			break;
		if (memcmp(buf + 8, wh + 16, 8))
			break; /* an earlier generation: not part of the log */
		if (open_page(key, 'W', get32(buf), k, buf, buf + FRAME_HDR, pgsz) == 0) {
			(*pages)++;
			continue;
		}
		if (pread(fd, next, 16, off + pgsz + FRAME_HDR) == 16 && !memcmp(next + 8, wh + 16, 8)) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s: frame %u (page %u) failed authentication: the file was "
				     "altered or damaged", base_name(path), k + 1, get32(buf));
			goto done;
		}
		break; /* torn last frame of a crash */
	}
done:
	free(buf);
	close(fd);
	return rc;
}

int cb_sealvfs_verify(size_t *pages, const char *path, const char *vfs_name, cb_error *err)
{
	seal_vfs *v = find_seal(vfs_name);
	unsigned char h[PREFIX1], *buf = NULL;
	struct stat sb;
	uint32_t pgsz, npages;
	char *wal = NULL;
	int fd = -1, rc = CB_OK;

	*pages = 0;
	if (!v)
		return cb_fail(err, CB_EINVAL, "sealvfs: no sealing VFS called '%s'",
			       vfs_name ? vfs_name : "(null)");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) < 0) {
		rc = cb_fail(err, CB_ENOTFOUND, "%s: cannot open", path);
		goto done;
	}
	if (sb.st_size > 0) {
		if (pread(fd, h, PREFIX1, 0) != PREFIX1 || !(pgsz = header_pgsz(h)) ||
		    sb.st_size % pgsz) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s: size or header is not that of a sealed database",
				     base_name(path));
			goto done;
		}
		if (!(buf = malloc(pgsz))) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		npages = (uint32_t)(sb.st_size / pgsz);
		for (uint32_t i = 1; i <= npages; i++) {
			if (pread(fd, buf, pgsz, (off_t)(i - 1) * pgsz) != (ssize_t)pgsz ||
			    open_page(v->key, 'D', i, 0, NULL, buf, pgsz)) {
				if (i == 1 && !raw_page_ok(v->key, path, 2))
					rc = cb_fail(err, CB_EAUTH,
						     "%s: cannot be opened with this key",
						     base_name(path));
				else
					rc = cb_fail(err, CB_EINTEGRITY,
						     "%s: page %u failed authentication: the file was "
						     "altered or damaged", base_name(path), i);
				goto done;
			}
			(*pages)++;
		}
	}
	if (!(wal = malloc(strlen(path) + 5))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	sprintf(wal, "%s-wal", path);
	rc = verify_wal(pages, v->key, wal, err);
done:
	free(wal);
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
