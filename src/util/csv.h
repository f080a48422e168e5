/*
 * csv.h: reading CSV (RFC 4180: fields quoted with '"', doubled quotes
 * inside, CRLF or LF line ends) from a buffer, one record at a time,
 * without copying where no unquoting is needed.
 *
 *   cb_csv r;
 *   cb_csv_init(&r, data, len, 1);         // 1: skip spaces after commas
 *   while ((rc = cb_csv_next(&r, &err)) > 0)
 *       for (size_t i = 0; i < r.nfields; i++) use(r.field[i], r.flen[i]);
 *   cb_csv_free(&r);
 *
 * Fields point into the buffer or into the reader's own scratch memory;
 * they are valid until the next call. Limits: CB_CSV_MAX_FIELDS fields a
 * record; a quote left open is an error naming the line.
 */
#ifndef CB_CSV_H
#define CB_CSV_H

#include <stddef.h>

#include "util/error.h"

#define CB_CSV_MAX_FIELDS 256

typedef struct cb_csv {
	const char *p, *end;
	int skip_space;
	size_t line;             /* line of the record just read (1-based) */
	const char *field[CB_CSV_MAX_FIELDS];
	size_t flen[CB_CSV_MAX_FIELDS];
	size_t nfields;
	char *scratch;           /* unquoted copies */
	size_t scap;
} cb_csv;

void cb_csv_init(cb_csv *r, const char *data, size_t len, int skip_space);
/* 1 with a record in r, 0 at the end, < 0 on a malformed record. */
int cb_csv_next(cb_csv *r, cb_error *err);
void cb_csv_free(cb_csv *r);

#endif
