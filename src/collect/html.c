/* html.c: extraction of a report's text and metadata from HTML (libxml2). */
#include "collect/collect_int.h"

int cb_html_extract(cb_collected *c, const char *name, const char *data, size_t len,
		    cb_error *err)
{
	(void)c;
	(void)data;
	(void)len;
	return cb_fail(err, CB_EFORMAT, "%s: HTML is not supported yet", name);
}
