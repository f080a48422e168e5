/*
 * timex.h: time expressions. Finds dates in report text ("last Thursday",
 * "in February", "late April", "mid-last month", "earlier this year",
 * "on Dec. 12", "in 2007", "two years ago", "between 2007 and 2009") and
 * resolves them against the publication date, with the codebook's precision;
 * and parses the absolute date stamps that pages print.
 */
#ifndef CB_TIMEX_H
#define CB_TIMEX_H

#include <stddef.h>

#include "util/error.h"

typedef enum cb_precision {
	CB_PREC_NONE = 0,
	CB_PREC_DAY,
	CB_PREC_MONTH_PART, /* early/mid/late a month */
	CB_PREC_MONTH,
	CB_PREC_SEASON,
	CB_PREC_YEAR,
	CB_PREC_RANGE
} cb_precision;

/* "day", "month_part", "month", "season", "year", "range"; NULL for NONE. */
const char *cb_precision_name(cb_precision p);

/* A calendar date; m and d are 0 where unknown. */
typedef struct cb_ymd {
	int y, m, d;
} cb_ymd;

/* One time expression found in a text. */
typedef struct cb_timex {
	size_t start, end;      /* byte span in the text, end exclusive */
	cb_precision precision; /* CB_PREC_NONE when it could not be resolved */
	char from[11], to[11];  /* ISO "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" if unresolved */
	int relative;           /* 1 if it needed the anchor ("last Thursday") */
	int present;            /* 1 for "now", "currently", present-tense anchors */
} cb_timex;

/*
 * Finds every time expression in text[0..len) and resolves each against
 * anchor (the publication date; NULL when unknown, in which case relative
 * expressions come back with precision CB_PREC_NONE). *out is a malloc'd
 * array of *n entries in text order; the caller frees it (free()).
 */
int cb_timex_scan(cb_timex **out, size_t *n, const char *text, size_t len,
		  const cb_ymd *anchor, cb_error *err);

/*
 * Finds the first absolute date stamp in s[0..len), in the forms pages print:
 * "May 14, 2024 at 12:30PM", "Friday, December 13, 2024", "2013-01-17",
 * "17 Jan 2013", "9 June 2014", "Jan. 17" (year from year_hint, 0 = none).
 * Returns 1 and fills *out and the byte span [*start, *end), or 0 if none.
 */
int cb_date_parse(cb_ymd *out, size_t *start, size_t *end, const char *s, size_t len,
		  int year_hint);

/* The date days after d (before it when negative); d is a whole date. */
cb_ymd cb_ymd_add_days(const cb_ymd *d, long days);

/* Writes d as ISO (precision decides how much) into buf (at least 11 bytes). */
void cb_ymd_format(char *buf, const cb_ymd *d);

#endif
