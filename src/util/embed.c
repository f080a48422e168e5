/* embed.c: lookup in the generated table (a handful of files: linear). */
#include "embed.h"

#include <string.h>

const cb_embedded *cb_embedded_find(const char *name)
{
	for (const cb_embedded *e = cb_embedded_files; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}
