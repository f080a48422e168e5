/*
 * timex.c: time expressions (stub until the real scanner lands).
 */
#include "code/timex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cb_precision_name(cb_precision p)
{
	switch (p) {
	case CB_PREC_DAY: return "day";
	case CB_PREC_MONTH_PART: return "month_part";
	case CB_PREC_MONTH: return "month";
	case CB_PREC_SEASON: return "season";
	case CB_PREC_YEAR: return "year";
	case CB_PREC_RANGE: return "range";
	default: return NULL;
	}
}

int cb_timex_scan(cb_timex **out, size_t *n, const char *text, size_t len,
		  const cb_ymd *anchor, cb_error *err)
{
	*out = NULL;
	*n = 0;
	return CB_OK;
}

int cb_date_parse(cb_ymd *out, size_t *start, size_t *end, const char *s, size_t len,
		  int year_hint)
{
	return 0;
}

void cb_ymd_format(char *buf, const cb_ymd *d)
{
	if (d->y <= 0)
		buf[0] = '\0';
	else if (d->m <= 0)
		snprintf(buf, 11, "%04d", d->y % 10000);
	else if (d->d <= 0)
		snprintf(buf, 11, "%04d-%02d", d->y % 10000, d->m % 100);
	else
		snprintf(buf, 11, "%04d-%02d-%02d", d->y % 10000, d->m % 100, d->d % 100);
}
