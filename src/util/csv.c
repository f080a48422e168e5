/* csv.c: see csv.h. */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

void cb_csv_init(cb_csv *r, const char *data, size_t len, int skip_space)
{
	memset(r, 0, sizeof *r);
	r->p = data;
	r->end = data + len;
	r->skip_space = skip_space;
	/* a UTF-8 byte order mark is not part of the first field */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		r->p += 3;
}

void cb_csv_free(cb_csv *r)
{
	free(r->scratch);
	r->scratch = NULL;
	r->scap = 0;
}

int cb_csv_next(cb_csv *r, cb_error *err)
{
	size_t used = 0, offs[CB_CSV_MAX_FIELDS];
	int quoted_any = 0, isq[CB_CSV_MAX_FIELDS];

	r->nfields = 0;
	if (r->p >= r->end)
		return 0;
	size_t start = ++r->line;
	/* The scratch holds every quoted field of the record; it is at most
	 * as long as the rest of the input. */
	size_t need = (size_t)(r->end - r->p) + 1;
	for (;;) {
		const char *s;
		if (r->nfields == CB_CSV_MAX_FIELDS)
			return cb_fail(err, CB_ETOOBIG, "line %zu: more than %d fields", r->line,
				       CB_CSV_MAX_FIELDS);
		if (r->skip_space)
			while (r->p < r->end && *r->p == ' ')
				r->p++;
		if (r->p < r->end && *r->p == '"') {
			size_t o;
			if (!quoted_any) {
				if (need > r->scap) {
					char *ns = realloc(r->scratch, need);
					if (!ns)
						return cb_fail(err, CB_ENOMEM, "out of memory");
					r->scratch = ns;
					r->scap = need;
				}
				quoted_any = 1;
			}
			o = used;
			r->p++;
			for (;;) {
				if (r->p >= r->end)
					return cb_fail(err, CB_EFORMAT,
						       "line %zu: a quoted field is not closed", start);
				if (*r->p == '"') {
					if (r->p + 1 < r->end && r->p[1] == '"') {
						r->scratch[used++] = '"';
						r->p += 2;
						continue;
					}
					r->p++;
					break;
				}
				if (*r->p == '\n')
					r->line++;
				r->scratch[used++] = *r->p++;
			}
			offs[r->nfields] = o;
			r->flen[r->nfields] = used - o;
			isq[r->nfields] = 1;
			if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
				return cb_fail(err, CB_EFORMAT, "line %zu: text after a closing quote",
					       r->line);
		} else {
			s = r->p;
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
				if (*r->p == '"')
					return cb_fail(err, CB_EFORMAT, "line %zu: a quote inside an unquoted field",
						       r->line);
				r->p++;
			}
			r->field[r->nfields] = s;
			r->flen[r->nfields] = (size_t)(r->p - s);
			isq[r->nfields] = 0;
		}
		r->nfields++;
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		break;
	}
	for (size_t i = 0; i < r->nfields; i++)
		if (isq[i])
			r->field[i] = r->scratch + offs[i];
	return 1;
}
