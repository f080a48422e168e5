/*
 * search_int.h: what the files of src/search/ share.
 */
#ifndef CB_SEARCH_INT_H
#define CB_SEARCH_INT_H

#include <sqlite3.h>

/* Registers the ranking function cbrank (rank.c) on a connection. */
int cb_search_register_rank(sqlite3 *db);

typedef struct cb_store cb_store;

/* The query with its prefix words ("sentenc*") replaced by an OR of the
 * index's words that begin so (prefix.c); NULL when nothing was replaced
 * (or on no memory: the query then runs as written). Caller frees. */
char *cb_search_expand_prefixes(cb_store *st, const char *q);

#endif
