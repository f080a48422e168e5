/*
 * gazetteer.c: places (stub until the real tables land).
 */
#include "code/gazetteer.h"

#include <stdlib.h>

struct cb_gazetteer {
	int unused;
};

int cb_gazetteer_new(cb_gazetteer **out, cb_error *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return cb_fail(err, CB_ENOMEM, "gazetteer: out of memory");
	return CB_OK;
}

void cb_gazetteer_free(cb_gazetteer *g)
{
	free(g);
}

const cb_place *cb_gazetteer_lookup(const cb_gazetteer *g, const char *name, size_t len)
{
	return NULL;
}

int cb_gazetteer_scan(cb_place_mention **out, size_t *n, const cb_gazetteer *g,
		      const char *text, size_t len, cb_error *err)
{
	*out = NULL;
	*n = 0;
	return CB_OK;
}
