/*
 * sentences.c: see sentences.h.
 *
 * A sentence ends at '.', '!' or '?' (after any closing quotes or
 * brackets) when whitespace follows and the next word starts like a
 * sentence (capital, digit, opening quote), unless the word before the
 * full stop is an abbreviation or a single capital ("N.", "U.S.").
 * "p.m." and month abbreviations followed by a capital are ambiguous; the
 * table below resolves them toward not splitting, which costs at worst one
 * merged sentence and never a split name.
 */
#include "sentences.h"
#include "util/ascii.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const abbrevs[] = {
	"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "lt", "sgt",
	"capt", "rev", "gov", "sen", "rep", "pres", "jan", "feb", "mar", "apr", "jun",
	"jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "inc",
	"co", "corp", "ltd", "dept", "est", "approx", "a.m", "p.m", "u.s", "u.n",
	"u.k", "e.g", "i.e", "mt", "ft", "fig", "vol", NULL};

/* The bytes the splitter stops at; every other byte is passed at once. */
static const unsigned char STOP[256] = {['\n'] = 1, ['.'] = 1, ['!'] = 1, ['?'] = 1};

/* A word of up to 8 bytes as one number (its bytes in order, zero after). */
static uint64_t word_key(const char *w, size_t n)
{
	unsigned char b[8] = {0};
	memcpy(b, w, n);
	uint64_t k = 0;
	for (size_t i = 0; i < 8; i++)
		k = k << 8 | b[i];
	return k;
}

/* The table as numbers, made once: a lookup is then one compare per
 * entry instead of a string compare. */
static uint64_t abbrev_keys[sizeof abbrevs / sizeof *abbrevs];
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;

static void abbrev_keys_make(void)
{
	for (size_t i = 0; abbrevs[i]; i++)
		abbrev_keys[i] = word_key(abbrevs[i], strlen(abbrevs[i]));
}

static int abbrev_in_table(const char *w, size_t n)
{
	pthread_once(&abbrev_once, abbrev_keys_make);
	uint64_t k = word_key(w, n);
	for (size_t i = 0; abbrevs[i]; i++)
		if (abbrev_keys[i] == k)
			return 1;
	return 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0;
}

/* The bytes of the space at text[i..len): 1 for an ASCII one, 2 or 3 for
 * the Unicode spaces pages put between sentences and at line ends (no-break
 * U+00A0, U+2000..U+200A, narrow no-break U+202F, ideographic U+3000), 0
 * for none. HTML's "&nbsp;" after a full stop is the common case. */
static inline size_t space_at(const char *text, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)text + i;
	if (i >= len)
		return 0;
	if (is_space(u[0]))
		return 1;
	if (u[0] == 0xC2 && i + 1 < len && u[1] == 0xA0)
		return 2;
	if (i + 2 < len && ((u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xAF)) ||
			    (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)))
		return 3;
	return 0;
}

/* The bytes of the space ending just before text[e], not before s. */
static inline size_t space_before(const char *text, size_t s, size_t e)
{
	const unsigned char *u = (const unsigned char *)text;
	if (e <= s)
		return 0;
	if (is_space(u[e - 1]))
		return 1;
	if (e - s >= 2 && u[e - 2] == 0xC2 && u[e - 1] == 0xA0)
		return 2;
	if (e - s >= 3 && space_at(text, e, e - 3) == 3)
		return 3;
	return 0;
}

/* Is the word ending just before the '.' at text[dot] an abbreviation? */
static int is_abbrev(const char *text, size_t dot)
{
	size_t b = dot;
	while (b > 0 && (cb_isalpha((unsigned char)text[b - 1]) || text[b - 1] == '.'))
		b--;
	size_t n = dot - b;
	if (n == 0)
		return 0;
	/* A single capital ("N.", "J.") or a dotted acronym ("U.S"). */
	if (n == 1 && cb_isupper((unsigned char)text[b]))
		return 1;
	if (n <= 8 && memchr(text + b, '.', n) != NULL)
		return 1;
	if (n > 6)
		return 0;
	char w[8];
	for (size_t i = 0; i < n; i++)
		w[i] = (char)cb_tolower((unsigned char)text[b + i]);
	return abbrev_in_table(w, n);
}

/* Does a sentence plausibly start at text[i]? */
static int starts_sentence(const char *text, size_t len, size_t i)
{
	if (i >= len)
		return 1;
	unsigned char c = (unsigned char)text[i];
	if (cb_isupper(c) || cb_isdigit(c) || c == '"' || c == '\'' || c == '(' || c == '[')
		return 1;
	if (c >= 0xC0) /* a non-ASCII letter or a curly quote: treat as a start */
		return 1;
	return 0;
}

static int push(cb_sentence **arr, size_t *n, size_t *cap, const char *text, size_t s,
		size_t e, cb_error *err)
{
	for (size_t k; s < e && ((k = space_at(text, e, s)) || text[s] == '\n');)
		s += k ? k : 1;
	for (size_t k; e > s && ((k = space_before(text, s, e)) || text[e - 1] == '\n');)
		e -= k ? k : 1;
	if (e <= s)
		return 0;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		cb_sentence *p = realloc(*arr, nc * sizeof *p);
		if (!p)
			return cb_fail(err, CB_ENOMEM, "sentence splitter: out of memory");
		*arr = p;
		*cap = nc;
	}
	(*arr)[*n].start = s;
	(*arr)[*n].end = e;
	(*n)++;
	return 0;
}

int cb_sentences_split(cb_sentence **out, size_t *n, const char *text, size_t len,
		       cb_error *err)
{
	cb_sentence *arr = NULL;
	size_t cnt = 0, cap = 0, start = 0;
	int rc = 0;

	const unsigned char *u = (const unsigned char *)text;
	for (size_t i = 0; i < len; i++) {
		while (i < len && !STOP[u[i]])
			i++;
		if (i >= len)
			break;
		char c = text[i];
		if (c == '\n') {
			if ((rc = push(&arr, &cnt, &cap, text, start, i, err)) < 0)
				goto done;
			start = i + 1;
			continue;
		}
		if (c != '.' && c != '!' && c != '?')
			continue;
		size_t j = i + 1;
		/* An ellipsis or a run of marks: look past it. */
		while (j < len && (text[j] == '.' || text[j] == '!' || text[j] == '?'))
			j++;
		/* Closing quotes and brackets belong to the sentence. */
		for (;;) {
			if (j < len && (text[j] == '"' || text[j] == '\'' || text[j] == ')' ||
					text[j] == ']')) {
				j++;
			} else if (j + 2 < len && (unsigned char)text[j] == 0xE2 &&
				   (unsigned char)text[j + 1] == 0x80 &&
				   ((unsigned char)text[j + 2] == 0x9D ||
				    (unsigned char)text[j + 2] == 0x99)) {
				j += 3; /* ” or ’ */
			} else {
				break;
			}
		}
		if (j < len && !space_at(text, len, j) && text[j] != '\n')
			continue; /* "3.6", "U.S.-led", "example.com" */
		if (c == '.' && j == i + 1 && is_abbrev(text, i))
			continue;
		size_t k = j;
		for (size_t sp; (sp = space_at(text, len, k));)
			k += sp;
		if (k < len && text[k] != '\n' && !starts_sentence(text, len, k))
			continue;
		if ((rc = push(&arr, &cnt, &cap, text, start, j, err)) < 0)
			goto done;
		start = j;
		i = j - 1;
	}
	rc = push(&arr, &cnt, &cap, text, start, len, err);
done:
	if (rc < 0) {
		free(arr);
		arr = NULL;
		cnt = 0;
	}
	*out = arr;
	*n = cnt;
	return rc;
}
