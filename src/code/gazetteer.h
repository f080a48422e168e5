/*
 * gazetteer.h: places. Built on libgeonames (the Debian package's 24k cities
 * with province and country) plus the project's own tables in
 * data/gazetteer/ (provinces of China and North Korea, spelling variants such
 * as Hoeryong/Hoeryŏng, North Hamgyong/Hamgyŏng-bukto, Ryanggang/Yanggang,
 * Inner Mongolia/Nei Mongol, countries and their demonyms).
 */
#ifndef CB_GAZETTEER_H
#define CB_GAZETTEER_H

#include <stddef.h>

#include "util/error.h"

typedef enum cb_place_kind {
	CB_PLACE_COUNTRY,
	CB_PLACE_ADMIN1, /* province, state, autonomous region */
	CB_PLACE_CITY    /* city, county, town */
} cb_place_kind;

typedef struct cb_place {
	const char *name;    /* canonical English name: "Songyuan", "Jilin", "North Hamgyong" */
	const char *admin1;  /* codebook admin1 ("Jilin", "Inner Mongolia"); NULL for a country */
	const char *country; /* ISO 3166 alpha-2 ("CN", "KP") */
	cb_place_kind kind;
	long population;     /* 0 when unknown */
} cb_place;

/* Read-only once built; owned by the gazetteer, valid until it is freed. */
typedef struct cb_gazetteer cb_gazetteer;

/* Builds the gazetteer once per process; later calls share it (each
 * cb_gazetteer_new needs its cb_gazetteer_free; the last one frees it). */
int cb_gazetteer_new(cb_gazetteer **out, cb_error *err);
void cb_gazetteer_free(cb_gazetteer *g);

/* The place called name[0..len) (any known spelling, case-insensitive,
 * diacritics ignored), or NULL. Ambiguous names resolve to the place most
 * likely in this domain (China, the Koreas and their neighbours first). */
const cb_place *cb_gazetteer_lookup(const cb_gazetteer *g, const char *name, size_t len);

typedef struct cb_place_mention {
	size_t start, end;      /* byte span in the text */
	const cb_place *place;  /* owned by the gazetteer */
} cb_place_mention;

/* Every place named in text[0..len), longest match first, in text order.
 * *out is a malloc'd array of *n entries; the caller frees it (free()). */
int cb_gazetteer_scan(cb_place_mention **out, size_t *n, const cb_gazetteer *g,
		      const char *text, size_t len, cb_error *err);

/* The country code ("KP") of a demonym ("North Korean", "Laotian",
 * "Chinese"), or NULL. The string is owned by the gazetteer. */
const char *cb_gazetteer_demonym(const cb_gazetteer *g, const char *word, size_t len);

#endif
