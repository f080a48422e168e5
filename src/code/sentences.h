/*
 * sentences.h: the sentence splitter of the extractor. Splits report text
 * into sentences as byte spans, surviving the abbreviations news copy is
 * full of ("Dec. 12", "U.S.", "N. Korean", "Mr. Park", "6 p.m. on"),
 * closing quotes after the full stop, and ellipses. A line break always ends
 * a sentence: headlines, datelines and captions stand on their own lines.
 *
 * Pure and allocation-light: one malloc'd array per call.
 */
#ifndef CB_SENTENCES_H
#define CB_SENTENCES_H

#include <stddef.h>

#include "util/error.h"

typedef struct cb_sentence {
	size_t start, end; /* byte span, end exclusive, trimmed of spaces */
} cb_sentence;

/* Splits text[0..len) (any bytes; NUL bytes are treated as spaces).
 * *out is a malloc'd array of *n sentences in text order (NULL when *n is
 * 0); the caller frees it (free()). Fails only on no memory. */
int cb_sentences_split(cb_sentence **out, size_t *n, const char *text, size_t len,
		       cb_error *err);

#endif
