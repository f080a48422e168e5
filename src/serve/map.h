/*
 * map.h: the record's pictures as SVG, drawn on the server (map.c).
 * Both append to a cb_buf the caller owns; events is a codebook events
 * array (borrowed).
 */
#ifndef CB_MAP_H
#define CB_MAP_H

#include <jansson.h>

#include "serve/serve_int.h"
#include "util/buf.h"
#include "util/error.h"

/* A map of north-east China and the Koreas (Natural Earth shapes from
 * assets/world-atlas/countries-50m.json, read once) with a circle per city
 * or province sized by its events. Without the shapes it still draws the
 * circles and says how to get them. */
int cb_map_svg(cb_buf *out, const char *assets, json_t *events, cb_error *err);

/* Events per month, stacked by type. */
int cb_timeline_svg(cb_buf *out, json_t *events, cb_error *err);

/* Frees the shapes (server stop). */
void cb_map_cleanup(void);

#endif
