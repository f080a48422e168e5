/* fileio.c: see fileio.h. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cb_read_file(char **out, size_t *len, const char *path, size_t max, cb_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	int fd, rc = CB_OK;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return cb_fail(err, CB_ENOTFOUND, "%s: no such file", path);
		return cb_fail(err, CB_EIO, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = cb_fail(err, CB_EIO, "%s: cannot stat: %s", path, strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = cb_fail(err, CB_EIO, "%s: is a directory", path);
		goto done;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		rc = cb_fail(err, CB_ETOOBIG, "%s: file is %lld bytes, over the limit of %zu",
			     path, (long long)st.st_size, max);
		goto done;
	}
	/* Read in chunks rather than trusting st_size: pipes and files that
	 * grow while being read are handled the same way. */
	{
		size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
		if (!(data = malloc(cap))) {
			rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", path);
			goto done;
		}
		for (;;) {
			ssize_t n;
			if (got + 1 >= cap) {
				char *p;
				if (cap > max + 1) {
					rc = cb_fail(err, CB_ETOOBIG, "%s: over the limit of %zu bytes", path, max);
					goto done;
				}
				if (!(p = realloc(data, cap * 2))) {
					rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", path);
					goto done;
				}
				data = p;
				cap *= 2;
			}
			n = read(fd, data + got, cap - got - 1);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				rc = cb_fail(err, CB_EIO, "%s: cannot read: %s", path, strerror(errno));
				goto done;
			}
			if (n == 0)
				break;
			got += (size_t)n;
			if (got > max) {
				rc = cb_fail(err, CB_ETOOBIG, "%s: over the limit of %zu bytes", path, max);
				goto done;
			}
		}
	}
	data[got] = '\0';
	*out = data;
	*len = got;
	data = NULL;
done:
	free(data);
	close(fd);
	return rc;
}

int cb_write_file_atomic(const char *path, const void *data, size_t len, cb_error *err)
{
	return cb_write_file(path, data, len, 1, err);
}

int cb_write_file(const char *path, const void *data, size_t len, int durable, cb_error *err)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	const char *p = data;
	int fd = -1, rc = CB_OK;

	if (!tmp)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = cb_fail(err, CB_EIO, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = cb_fail(err, CB_EIO, "%s: cannot write: %s", path, strerror(errno));
			goto done;
		}
		p += n;
		len -= (size_t)n;
	}
	if (durable && fsync(fd) < 0) {
		rc = cb_fail(err, CB_EIO, "%s: cannot sync: %s", path, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = cb_fail(err, CB_EIO, "%s: cannot close: %s", path, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		rc = cb_fail(err, CB_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int cb_mkdirs(const char *path, cb_error *err)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof buf)
		return cb_fail(err, CB_EINVAL, "%s: bad directory name", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];
			buf[i] = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST)
				return cb_fail(err, CB_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
			buf[i] = c;
		}
	}
	return CB_OK;
}
