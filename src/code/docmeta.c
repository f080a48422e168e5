/*
 * docmeta.c: the document record (stub until the real reader lands).
 */
#include "code/docmeta.h"

#include <stdlib.h>
#include <string.h>

int cb_docmeta_extract(cb_docmeta **out, const char *text, size_t len,
		       const cb_doc_hints *hints, cb_error *err)
{
	cb_docmeta *m = calloc(1, sizeof *m);
	if (!m)
		return cb_fail(err, CB_ENOMEM, "docmeta: out of memory");
	strcpy(m->language, "en");
	*out = m;
	return CB_OK;
}

void cb_docmeta_free(cb_docmeta *m)
{
	size_t i;
	if (!m)
		return;
	free(m->title);
	free(m->outlet);
	for (i = 0; i < m->n_authors; i++)
		free(m->authors[i]);
	free(m->authors);
	for (i = 0; i < m->n_translators; i++)
		free(m->translators[i]);
	free(m->translators);
	free(m->boilerplate);
	free(m);
}

int cb_docmeta_in_boilerplate(const cb_docmeta *m, size_t pos)
{
	size_t i;
	for (i = 0; m && i < m->n_boilerplate; i++)
		if (pos >= m->boilerplate[i].start && pos < m->boilerplate[i].end)
			return 1;
	return 0;
}
