/*
 * embed.h: the data files under data/ compiled into the binary
 * (cmake/embed.cmake generates the table), so casebook needs no install
 * step to find its gazetteer and rule tables. Data stays data in the repo.
 *
 * Each file's bytes are followed by a NUL (not counted in len), so text
 * files can be used as C strings. Memory is static: never free it.
 */
#ifndef CB_EMBED_H
#define CB_EMBED_H

#include <stddef.h>

typedef struct cb_embedded {
	const char *name;           /* path relative to data/, e.g. "gazetteer/provinces.tsv" */
	const unsigned char *data;
	size_t len;
} cb_embedded;

/* The table, ended by an entry whose name is NULL. */
extern const cb_embedded cb_embedded_files[];

/* The file called name, or NULL. */
const cb_embedded *cb_embedded_find(const char *name);

#endif
