/*
 * blobseal.c: see blobseal.h. Sealing happens in memory (casebook's
 * originals are news reports, bounded by the collector's size limit), then
 * the whole sealed file is written through util/fileio's atomic writer.
 */
#include "blobseal.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileio.h"

#define MAGIC "CBBLOB1\n"
#define MAGIC_LEN 8
#define HDR crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define CHUNK CB_BLOBSEAL_CHUNK

size_t cb_blobseal_sealed_size(size_t len)
{
	size_t chunks = len / CHUNK + 1; /* the last, FINAL chunk may be short or empty */
	return MAGIC_LEN + HDR + len + chunks * ABYTES;
}

static size_t label_len(const char *label)
{
	return label ? strlen(label) : 0;
}

int cb_blobseal_seal(unsigned char **out, size_t *out_len, const unsigned char key[32],
		     const char *label, const void *data, size_t len, cb_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	const unsigned char *in = data;
	unsigned char *buf, *p;
	size_t total;

	*out = NULL;
	*out_len = 0;
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (len > SIZE_MAX / 2)
		return cb_fail(err, CB_ETOOBIG, "blob of %zu bytes is too big to seal", len);
	total = cb_blobseal_sealed_size(len);
	if (!(buf = malloc(total)))
		return cb_fail(err, CB_ENOMEM, "out of memory sealing %zu bytes", len);
	memcpy(buf, MAGIC, MAGIC_LEN);
	crypto_secretstream_xchacha20poly1305_init_push(&st, buf + MAGIC_LEN, key);
	p = buf + MAGIC_LEN + HDR;
	for (;;) {
		size_t n = len < CHUNK ? len : CHUNK;
		/* A chunk of exactly CHUNK bytes is never FINAL: the reader
		 * then knows every full-size chunk is followed by another. */
		unsigned char tag = len < CHUNK ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
		crypto_secretstream_xchacha20poly1305_push(&st, p, NULL, in, n,
							   (const unsigned char *)label,
							   label_len(label), tag);
		p += n + ABYTES;
		in += n;
		len -= n;
		if (tag)
			break;
	}
	sodium_memzero(&st, sizeof st);
	*out = buf;
	*out_len = (size_t)(p - buf);
	return CB_OK;
}

int cb_blobseal_open(unsigned char **out, size_t *out_len, const unsigned char key[32],
		     const char *label, const unsigned char *sealed, size_t sealed_len,
		     size_t max, const char *name, cb_error *err)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char *plain = NULL, tag = 0;
	const unsigned char *p;
	size_t left, got = 0, plain_max, chunk = 0;
	int rc = CB_OK;

	*out = NULL;
	*out_len = 0;
	if (!name)
		name = "blob";
	if (sodium_init() < 0)
		return cb_fail(err, CB_ERR, "libsodium failed to initialise");
	if (sealed_len < MAGIC_LEN + HDR || memcmp(sealed, MAGIC, MAGIC_LEN))
		return cb_fail(err, CB_EFORMAT, "%s: not a sealed casebook file", name);
	left = sealed_len - MAGIC_LEN - HDR;
	if (left < ABYTES)
		return cb_fail(err, CB_EINTEGRITY, "%s: truncated (no final chunk)", name);
	/* The plaintext is shorter than the rest of the input, and the loop
	 * below stops at max: allocate no more than either. */
	plain_max = left - ABYTES < max ? left - ABYTES : max;
	if (!(plain = malloc(plain_max + 1)))
		return cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, sealed + MAGIC_LEN, key) != 0) {
		rc = cb_fail(err, CB_EINTEGRITY, "%s: bad stream header", name);
		goto done;
	}
	p = sealed + MAGIC_LEN + HDR;
	while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		size_t clen = left < CHUNK + ABYTES ? left : CHUNK + ABYTES;
		unsigned long long mlen;
		if (clen < ABYTES) {
			rc = cb_fail(err, CB_EINTEGRITY, "%s: truncated after chunk %zu", name, chunk);
			goto done;
		}
		if (got + clen - ABYTES > max) {
			rc = cb_fail(err, CB_ETOOBIG, "%s: more than the limit of %zu bytes", name, max);
			goto done;
		}
		if (crypto_secretstream_xchacha20poly1305_pull(&st, plain + got, &mlen, &tag, p, clen,
							       (const unsigned char *)label,
							       label_len(label)) != 0) {
			rc = cb_fail(err, CB_EINTEGRITY,
				     "%s: chunk %zu failed authentication (altered, reordered, "
				     "or another key or name)", name, chunk + 1);
			goto done;
		}
		if (tag != 0 && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
			rc = cb_fail(err, CB_EINTEGRITY, "%s: unexpected tag in chunk %zu", name,
				     chunk + 1);
			goto done;
		}
		got += (size_t)mlen;
		p += clen;
		left -= clen;
		chunk++;
		if (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL && left == 0) {
			rc = cb_fail(err, CB_EINTEGRITY, "%s: truncated after chunk %zu", name, chunk);
			goto done;
		}
	}
	if (left) {
		rc = cb_fail(err, CB_EINTEGRITY, "%s: %zu bytes after the final chunk", name, left);
		goto done;
	}
	plain[got] = '\0';
	*out = plain;
	*out_len = got;
	plain = NULL;
done:
	sodium_memzero(&st, sizeof st);
	if (plain) {
		sodium_memzero(plain, plain_max + 1);
		free(plain);
	}
	return rc;
}

/* Makes the rename durable: without it a crash may forget the new name. */
static void sync_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	else
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

int cb_blobseal_write(const char *path, const unsigned char key[32], const char *label,
		      const void *data, size_t len, cb_error *err)
{
	unsigned char *sealed = NULL;
	size_t n;
	int rc;
	if ((rc = cb_blobseal_seal(&sealed, &n, key, label, data, len, err)) < 0)
		return cb_error_prefix(err, "%s", path);
	rc = cb_write_file_atomic(path, sealed, n, err);
	free(sealed);
	if (rc == CB_OK)
		sync_parent(path);
	return rc;
}

int cb_blobseal_read(unsigned char **out, size_t *out_len, const char *path,
		     const unsigned char key[32], const char *label, size_t max, cb_error *err)
{
	char *sealed = NULL;
	size_t n, limit = max > SIZE_MAX / 2 ? SIZE_MAX / 2 : cb_blobseal_sealed_size(max);
	int rc;

	*out = NULL;
	*out_len = 0;
	if ((rc = cb_read_file(&sealed, &n, path, limit, err)) < 0)
		return rc;
	rc = cb_blobseal_open(out, out_len, key, label, (unsigned char *)sealed, n, max, path, err);
	free(sealed);
	return rc;
}
