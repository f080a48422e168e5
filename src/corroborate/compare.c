/*
 * compare.c: how alike two values of one field are, in three levels - 2
 * agree, 1 agree in part, 0 disagree - or missing (3) when either record
 * lacks the field. Levels, not raw similarities, are what the
 * Fellegi-Sunter model of linkage.c weighs: each level of each field gets
 * its own m and u probability.
 */
#include "corroborate/compare.h"

#include <stdlib.h>
#include <string.h>

double cb_jaro_winkler(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char ma[64] = {0}, mb[64] = {0};
	size_t m = 0, t = 0, k = 0, win;
	double j;
	if (!la || !lb)
		return la == lb ? 1.0 : 0.0;
	if (la > 64)
		la = 64;
	if (lb > 64)
		lb = 64;
	win = (la > lb ? la : lb) / 2;
	win = win ? win - 1 : 0;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
		for (size_t q = lo; q < hi; q++)
			if (!mb[q] && a[i] == b[q]) {
				ma[i] = mb[q] = 1;
				m++;
				break;
			}
	}
	if (!m)
		return 0.0;
	for (size_t i = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	j = ((double)m / la + (double)m / lb + (double)(m - t / 2) / m) / 3.0;
	/* Winkler: a shared prefix of up to four characters counts extra */
	size_t p = 0;
	while (p < 4 && p < la && p < lb && a[p] == b[p])
		p++;
	return j + p * 0.1 * (1.0 - j);
}

/* Same length and one substitution, or one adjacent transposition. */
static int one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d = 0, first = 0;
	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		if (a[i] != b[i]) {
			if (!d)
				first = i;
			d++;
		}
	if (d == 1)
		return 1;
	return d == 2 && first + 1 < la && a[first] == b[first + 1] && a[first + 1] == b[first];
}

static int level_string(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 2;
	/* only equal values agree fully: in short names from few syllables
	 * ("minyoung", "minjung") a high similarity is no agreement */
	double s = cb_jaro_winkler(a, b);
	return s >= 0.88 ? 1 : 0;
}

static int level_exact(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 2;
	return one_edit(a, b) ? 1 : 0;
}

/* Birth dates: all digits agree; else the same year with the month or
 * day agreeing (or swapped), or one digit off; ages give years only. */
static int level_birth(const cb_prec *x, const cb_prec *y)
{
	const char *a = x->f[CB_PF_BIRTH], *b = y->f[CB_PF_BIRTH];
	if (a && b && strlen(a) >= 8 && strlen(b) >= 8) {
		if (!strcmp(a, b))
			return 2;
		if (one_edit(a, b))
			return 1;
		if (!strncmp(a, b, 4) && (!strncmp(a + 4, b + 4, 2) || !strncmp(a + 6, b + 6, 2) ||
					   (!strncmp(a + 4, b + 6, 2) && !strncmp(a + 6, b + 4, 2))))
			return 1;
		return 0;
	}
	if (x->birth_year && y->birth_year) {
		int d = abs(x->birth_year - y->birth_year);
		return d == 0 ? (a && b ? 2 : 1) : d == 1 ? 1 : 0;
	}
	return CB_LEVEL_MISSING;
}

void cb_compare(uint8_t lv[CB_PF_N], const cb_prec *x, const cb_prec *y)
{
	for (int f = 0; f < CB_PF_N; f++) {
		const char *a = x->f[f], *b = y->f[f];
		if (f == CB_PF_BIRTH) {
			lv[f] = (uint8_t)level_birth(x, y);
			continue;
		}
		if (f == CB_PF_AGE) {
			lv[f] = CB_LEVEL_MISSING; /* folded into birth */
			continue;
		}
		if (!a || !b) {
			lv[f] = CB_LEVEL_MISSING;
			continue;
		}
		switch (f) {
		case CB_PF_POSTCODE:
		case CB_PF_NUMBER:
		case CB_PF_IDNUM:
		case CB_PF_STATE:
		case CB_PF_SEX:
			lv[f] = (uint8_t)level_exact(a, b);
			break;
		default:
			lv[f] = (uint8_t)level_string(a, b);
		}
	}
	/* given and family written the other way round; the given name read
	 * as a family name too, for its romanisation (Kim = Gim) */
	if (lv[CB_PF_GIVEN] == 0 && lv[CB_PF_FAMILY] == 0 && x->f[CB_PF_GIVEN] && y->f[CB_PF_FAMILY] &&
	    x->f[CB_PF_FAMILY] && y->f[CB_PF_GIVEN] && x->given_as_family && y->given_as_family &&
	    !strcmp(x->given_as_family, y->f[CB_PF_FAMILY]) && !strcmp(x->f[CB_PF_FAMILY], y->given_as_family))
		lv[CB_PF_GIVEN] = lv[CB_PF_FAMILY] = 2;
}
