/*
 * error.c: see error.h. Messages are truncated, never overflowed; any
 * newline in a message becomes a space so that every error stays one line.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int cb_fail(cb_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		one_line(err->msg);
		err->code = code;
	}
	return code;
}

int cb_error_prefix(cb_error *err, const char *fmt, ...)
{
	char prefix[CB_ERROR_MSG_MAX], old[CB_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return CB_ERR;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Both halves fit; the join may not, and truncation is what we want. */
	size_t n = strlen(prefix);
	if (n > sizeof err->msg - 3)
		n = sizeof err->msg - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	size_t m = strnlen(old, sizeof old);
	if (m > sizeof err->msg - 1 - n)
		m = sizeof err->msg - 1 - n;
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
	one_line(err->msg);
	return err->code;
}

void cb_error_clear(cb_error *err)
{
	if (err) {
		err->code = CB_OK;
		err->msg[0] = '\0';
	}
}

const char *cb_code_name(int code)
{
	switch (code) {
	case CB_OK: return "ok";
	case CB_ENOMEM: return "out of memory";
	case CB_EINVAL: return "invalid argument";
	case CB_ENOTFOUND: return "not found";
	case CB_EEXISTS: return "already exists";
	case CB_EIO: return "input/output error";
	case CB_EFORMAT: return "bad format";
	case CB_ETOOBIG: return "too big";
	case CB_ESTORE: return "store error";
	case CB_ESCHEMA: return "schema too new";
	case CB_EAUTH: return "authentication failed";
	case CB_EINTEGRITY: return "integrity check failed";
	default: return "error";
	}
}

int cb_exit_status(int code)
{
	switch (code) {
	case CB_OK: return 0;
	case CB_EINVAL: return 2;
	case CB_EAUTH: return 3;
	case CB_EINTEGRITY: return 4;
	default: return 1;
	}
}
