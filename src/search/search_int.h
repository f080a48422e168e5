/*
 * search_int.h: what the files of src/search/ share.
 */
#ifndef CB_SEARCH_INT_H
#define CB_SEARCH_INT_H

#include <sqlite3.h>

/* Registers the ranking function cbrank (rank.c) on a connection. */
int cb_search_register_rank(sqlite3 *db);

#endif
