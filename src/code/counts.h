/*
 * counts.h: how many people a phrase names, in the codebook's ranges.
 * "12 North Korean women" 12..12, "nearly 2,000 North Koreans" 1800..1999,
 * "at least 20 women" 20..null, "more than 30" 31..null, "up to 600"
 * null..600, "70 to 80", "between 50,000 and 300,000", "dozens of" 24..99,
 * "hundreds" 200..999, "thousands" 2000..9999, "tens of thousands"
 * 20000..99999, "several"/"a handful" 3..9, "a woman" 1..1, "the nine",
 * "five more", "another 18", "nine of the ten" 9, "two Chinese men and one
 * female North Korean defector" 3 (mixed), "a couple and their two sons"
 * 4, "she and her two sons" 3, "Ms. Ri" 1 (female). Gender and
 * nationality come from the words of the phrase.
 */
#ifndef CB_COUNTS_H
#define CB_COUNTS_H

#include <stddef.h>

#define CB_COUNT_NONE (-1L)

typedef struct cb_count {
	size_t start, end;   /* byte span of the phrase */
	long min, max;       /* CB_COUNT_NONE where open */
	char gender;         /* 'f', 'm', 'x' (mixed) or 0 */
	char nat[3];         /* "KP", "CN", "KR", ... or "" */
	int person;          /* 1 if a noun for people follows (not a bare "the nine") */
	int most_of;         /* "most of those ..." : a share of the group before */
	int after_prep;      /* preceded by to/by/from/with: a recipient or agent */
	int vague;           /* a number word like "thousands", not a figure */
} cb_count;

/* Finds the people-count phrases in s[0..len) (ASCII-folded words; other
 * bytes are separators), at most max of them, in text order. Returns how
 * many were stored in out. */
size_t cb_counts_find(cb_count *out, size_t max, const char *s, size_t len);

/* Parses a number written in digits ("2,000") or words ("twelve",
 * "twenty-five"); returns -1 if w[0..n) is not one. */
long cb_number_parse(const char *w, size_t n);

/* Gender ('f', 'm' or 0) of the people named in s[0..len), from its words. */
char cb_gender_of(const char *s, size_t len);

/* Nationality code of the people named in s[0..len), or "" (static). */
const char *cb_nationality_of(const char *s, size_t len);

#endif
