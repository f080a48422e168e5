/*
 * collect.c: the entry points of the collect stage (see collect.h): picking
 * the format from the file name, reading with a size limit, hashing the
 * original bytes, and handing the bytes to text.c or html.c.
 *
 * The original bytes are kept beside the text because the store keeps them
 * (content-addressed by the hash computed here) as the evidence of record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "collect/collect.h"
#include "collect/collect_int.h"
#include "util/fileio.h"

static const char *extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	return dot ? dot + 1 : "";
}

/* -1 if the extension is not one collect reads. */
static int format_of(const char *path)
{
	const char *ext = extension(path);

	if (!strcasecmp(ext, "txt") || !strcasecmp(ext, "text") || !strcasecmp(ext, "md"))
		return CB_FORMAT_TEXT;
	if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml"))
		return CB_FORMAT_HTML;
	return -1;
}

int cb_collect_is_supported(const char *path)
{
	return path && format_of(path) >= 0;
}

void cb_collected_free(cb_collected *c)
{
	if (!c)
		return;
	free(c->text);
	free(c->title);
	free(c->published);
	free(c->site_name);
	free(c->canonical_url);
	free(c->orig);
	free(c);
}

/* Takes ownership of data (malloc'd, len bytes plus a NUL) whatever happens. */
static int collect_owned(cb_collected **out, const char *name, unsigned char *data, size_t len,
			 cb_error *err)
{
	cb_collected *c = NULL;
	int fmt = format_of(name), rc = CB_OK;

	*out = NULL;
	if (fmt < 0) {
		rc = cb_fail(err, CB_EINVAL,
			     "%s: unsupported file type (collect reads .txt, .text, .md, .html, .htm)",
			     name);
		goto done;
	}
	if (!(c = calloc(1, sizeof *c))) {
		rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	c->format = (cb_doc_format)fmt;
	c->orig = data;
	c->orig_len = len;
	data = NULL;
	if (sodium_init() < 0) {
		rc = cb_fail(err, CB_ERR, "%s: libsodium failed to initialise", name);
		goto done;
	}
	crypto_generichash(c->hash, sizeof c->hash, c->orig, c->orig_len, NULL, 0);
	sodium_bin2hex(c->hash_hex, sizeof c->hash_hex, c->hash, sizeof c->hash);

	if (c->format == CB_FORMAT_TEXT)
		rc = cb_text_from_bytes(&c->text, &c->len, name, (const char *)c->orig, c->orig_len,
					err);
	else
		rc = cb_html_extract(c, name, (const char *)c->orig, c->orig_len, err);
	if (rc < 0)
		goto done;
	*out = c;
	c = NULL;
done:
	free(data);
	cb_collected_free(c);
	return rc;
}

int cb_collect_file(cb_collected **out, const char *path, size_t max_bytes, cb_error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (format_of(path) < 0)
		return cb_fail(err, CB_EINVAL,
			       "%s: unsupported file type (collect reads .txt, .text, .md, .html, .htm)",
			       path);
	if ((rc = cb_read_file(&data, &len, path, max_bytes ? max_bytes : CB_COLLECT_DEFAULT_MAX,
			       err)) < 0) {
		/* Say "too big" in so many words, after the path like every
		 * other collect message. */
		if (rc == CB_ETOOBIG && err) {
			size_t n = strlen(path);
			char rest[CB_ERROR_MSG_MAX];
			if (!strncmp(err->msg, path, n) && !strncmp(err->msg + n, ": ", 2)) {
				snprintf(rest, sizeof rest, "%s", err->msg + n + 2);
				cb_fail(err, rc, "%s: too big: %s", path, rest);
			}
		}
		return rc;
	}
	return collect_owned(out, path, (unsigned char *)data, len, err);
}

int cb_collect_bytes(cb_collected **out, const char *name, const void *data, size_t len,
		     cb_error *err)
{
	unsigned char *copy;

	*out = NULL;
	if (!(copy = malloc(len + 1)))
		return cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return collect_owned(out, name, copy, len, err);
}
