/*
 * timex.c: finds time expressions in report text and resolves them against
 * the publication date (the anchor), following the codebook's conventions:
 *
 *   "May 14, 2024", "2013-01-17", "17 Jan 2013"   day
 *   "on Dec. 12", "last Thursday", "on Monday"       day (needs the anchor)
 *   "late April", "mid-last month"                   month_part (1-10, 11-20, 21-end)
 *   "in February", "December 2011", "last month"     month (most recent past)
 *   "in the summer of 2019", "last winter"           season
 *   "in 2007", "last year", "two years ago"          year
 *   "between 2007 and 2009", "July 15 to 17",
 *   "late last week", "early 2023", "by the end of the year"   range
 *   "recently", "someday"                            found, but no date
 *   "now", "currently"                               present (the anchor day)
 *
 * Implementation notes. The text is read once, left to right, as a stream
 * of tokens (words, numbers, single punctuation) held in a small window on
 * the stack, so that a call costs nothing beyond the scan itself (the
 * extractor calls it once per sentence) and a 10 MB single line needs no
 * more memory than a short one. Words are classified through a small hash
 * table of the time vocabulary, built once, read by a word's two 8-byte
 * halves. At each token the matchers are tried from the most specific to
 * the least; the first that matches wins and the scan resumes after it.
 * Every match holds an anchor (a number, a month, "week", "now", ...)
 * within ANCHOR_REACH tokens of its start, so the matchers are tried only
 * there: most tokens of a sentence cost their lexing alone. Matching is by
 * rule, not by PCRE2: dates need arithmetic on what they match (weekday
 * back-off, month lengths), and a hand-written token matcher keeps the
 * pass linear.
 */
#include "code/timex.h"
#include "util/ascii.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- calendar arithmetic ---- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 30;
	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static cb_ymd ymd_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	cb_ymd r = {(int)(y + (m <= 2)), m, d};
	return r;
}

/* ISO weekday: Monday 1 .. Sunday 7. 1970-01-01 was a Thursday. */
static int weekday_of(long days)
{
	return (int)(((days + 3) % 7 + 7) % 7) + 1;
}

static int valid_ymd(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

static int anchor_ok(const cb_ymd *a)
{
	return a && valid_ymd(a->y, a->m, a->d);
}

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

/* Writes v (0 <= v < 10^n) in n digits, zero-padded. */
static char *put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* What snprintf's "%04d-%02d-%02d" wrote, digit by digit: a call to it
 * cost more than the scan that found the date. */
void cb_ymd_format(char *buf, const cb_ymd *d)
{
	char *p = buf;
	if (d && d->y > 0 && d->y <= 9999) {
		p = put_digits(p, d->y, 4);
		if (d->m > 0 && d->m <= 12) {
			*p++ = '-';
			p = put_digits(p, d->m, 2);
			if (d->d > 0 && d->d <= 31) {
				*p++ = '-';
				p = put_digits(p, d->d, 2);
			}
		}
	}
	*p = '\0';
}

/* ---- vocabulary ---- */

enum lex_kind {
	L_NONE = 0,
	L_MONTH,    /* val 1..12; abbr set for "Jan", "Sept" */
	L_WEEKDAY,  /* val 1..7, Monday 1 */
	L_NUMWORD,  /* val: "two" 2, "a" 1 */
	L_UNIT,     /* val: 1 day, 2 week, 3 month, 4 year, 5 decade */
	L_SEASON,   /* val: 1 spring, 2 summer, 3 autumn, 4 winter */
	L_PART,     /* val: 1 early, 2 mid, 3 late */
	L_EDGE,     /* val: 1 beginning/start, 2 middle, 3 end */
	L_REL,      /* val: -1 last/past/previous, 0 this, 1 next/coming */
	L_SHIFT,    /* val: -1 earlier, 1 later */
	L_DAYWORD,  /* val: -1 yesterday, 0 today/tonight, 1 tomorrow */
	L_NOW,      /* now, currently, presently, nowadays */
	L_VAGUE,    /* recently, someday, lately, soon */
	L_WORD      /* a function word we test by id */
};

enum word_id {
	W_NONE = 0, W_IN, W_ON, W_SINCE, W_FROM, W_BETWEEN, W_AND, W_TO, W_UNTIL,
	W_THROUGH, W_BY, W_DURING, W_OF, W_THE, W_AT, W_BEFORE, W_AFTER, W_AGO,
	W_WEEKEND, W_PRESENT, W_MOMENT, W_THESE, W_DAYS, W_YEAREND, W_AROUND,
	W_FEW, W_SEVERAL, W_OR
};

typedef struct lex {
	const char *w;
	unsigned char kind, abbr;
	signed char val;
} lex;

static const lex LEXICON[] = {
	{"january", L_MONTH, 0, 1}, {"jan", L_MONTH, 1, 1}, {"february", L_MONTH, 0, 2},
	{"feb", L_MONTH, 1, 2}, {"march", L_MONTH, 0, 3}, {"mar", L_MONTH, 1, 3},
	{"april", L_MONTH, 0, 4}, {"apr", L_MONTH, 1, 4}, {"may", L_MONTH, 0, 5},
	{"june", L_MONTH, 0, 6}, {"jun", L_MONTH, 1, 6}, {"july", L_MONTH, 0, 7},
	{"jul", L_MONTH, 1, 7}, {"august", L_MONTH, 0, 8}, {"aug", L_MONTH, 1, 8},
	{"september", L_MONTH, 0, 9}, {"sep", L_MONTH, 1, 9}, {"sept", L_MONTH, 1, 9},
	{"october", L_MONTH, 0, 10}, {"oct", L_MONTH, 1, 10}, {"november", L_MONTH, 0, 11},
	{"nov", L_MONTH, 1, 11}, {"december", L_MONTH, 0, 12}, {"dec", L_MONTH, 1, 12},
	{"monday", L_WEEKDAY, 0, 1}, {"tuesday", L_WEEKDAY, 0, 2}, {"wednesday", L_WEEKDAY, 0, 3},
	{"thursday", L_WEEKDAY, 0, 4}, {"friday", L_WEEKDAY, 0, 5}, {"saturday", L_WEEKDAY, 0, 6},
	{"sunday", L_WEEKDAY, 0, 7}, {"mon", L_WEEKDAY, 1, 1}, {"tue", L_WEEKDAY, 1, 2},
	{"tues", L_WEEKDAY, 1, 2}, {"wed", L_WEEKDAY, 1, 3}, {"thu", L_WEEKDAY, 1, 4},
	{"thur", L_WEEKDAY, 1, 4}, {"thurs", L_WEEKDAY, 1, 4}, {"fri", L_WEEKDAY, 1, 5},
	{"sat", L_WEEKDAY, 1, 6}, {"sun", L_WEEKDAY, 1, 7},
	{"a", L_NUMWORD, 0, 1}, {"an", L_NUMWORD, 0, 1}, {"one", L_NUMWORD, 0, 1},
	{"two", L_NUMWORD, 0, 2}, {"three", L_NUMWORD, 0, 3}, {"four", L_NUMWORD, 0, 4},
	{"five", L_NUMWORD, 0, 5}, {"six", L_NUMWORD, 0, 6}, {"seven", L_NUMWORD, 0, 7},
	{"eight", L_NUMWORD, 0, 8}, {"nine", L_NUMWORD, 0, 9}, {"ten", L_NUMWORD, 0, 10},
	{"eleven", L_NUMWORD, 0, 11}, {"twelve", L_NUMWORD, 0, 12},
	{"fifteen", L_NUMWORD, 0, 15}, {"twenty", L_NUMWORD, 0, 20},
	{"day", L_UNIT, 0, 1}, {"days", L_UNIT, 0, 1}, {"week", L_UNIT, 0, 2},
	{"weeks", L_UNIT, 0, 2}, {"month", L_UNIT, 0, 3}, {"months", L_UNIT, 0, 3},
	{"year", L_UNIT, 0, 4}, {"years", L_UNIT, 0, 4}, {"decade", L_UNIT, 0, 5},
	{"decades", L_UNIT, 0, 5},
	{"spring", L_SEASON, 0, 1}, {"summer", L_SEASON, 0, 2}, {"autumn", L_SEASON, 0, 3},
	{"fall", L_SEASON, 0, 3}, {"winter", L_SEASON, 0, 4},
	{"early", L_PART, 0, 1}, {"mid", L_PART, 0, 2}, {"late", L_PART, 0, 3},
	{"beginning", L_EDGE, 0, 1}, {"start", L_EDGE, 0, 1}, {"middle", L_EDGE, 0, 2},
	{"end", L_EDGE, 0, 3},
	{"last", L_REL, 0, -1}, {"past", L_REL, 0, -1}, {"previous", L_REL, 0, -1},
	{"this", L_REL, 0, 0}, {"next", L_REL, 0, 1}, {"coming", L_REL, 0, 1},
	{"earlier", L_SHIFT, 0, -1}, {"later", L_SHIFT, 0, 1},
	{"yesterday", L_DAYWORD, 0, -1}, {"today", L_DAYWORD, 0, 0},
	{"tonight", L_DAYWORD, 0, 0}, {"tomorrow", L_DAYWORD, 0, 1},
	{"now", L_NOW, 0, 0}, {"currently", L_NOW, 0, 0}, {"presently", L_NOW, 0, 0},
	{"nowadays", L_NOW, 0, 0},
	{"recently", L_VAGUE, 0, 0}, {"lately", L_VAGUE, 0, 0}, {"someday", L_VAGUE, 0, 0},
	{"soon", L_VAGUE, 0, 0}, {"sometime", L_VAGUE, 0, 0},
	{"in", L_WORD, 0, W_IN}, {"on", L_WORD, 0, W_ON}, {"since", L_WORD, 0, W_SINCE},
	{"from", L_WORD, 0, W_FROM}, {"between", L_WORD, 0, W_BETWEEN},
	{"and", L_WORD, 0, W_AND}, {"to", L_WORD, 0, W_TO}, {"until", L_WORD, 0, W_UNTIL},
	{"till", L_WORD, 0, W_UNTIL}, {"through", L_WORD, 0, W_THROUGH},
	{"by", L_WORD, 0, W_BY}, {"during", L_WORD, 0, W_DURING}, {"of", L_WORD, 0, W_OF},
	{"the", L_WORD, 0, W_THE}, {"at", L_WORD, 0, W_AT}, {"before", L_WORD, 0, W_BEFORE},
	{"after", L_WORD, 0, W_AFTER}, {"ago", L_WORD, 0, W_AGO},
	{"weekend", L_WORD, 0, W_WEEKEND}, {"present", L_WORD, 0, W_PRESENT},
	{"moment", L_WORD, 0, W_MOMENT}, {"these", L_WORD, 0, W_THESE},
	{"yearend", L_WORD, 0, W_YEAREND}, {"around", L_WORD, 0, W_AROUND},
	{"few", L_WORD, 0, W_FEW}, {"several", L_WORD, 0, W_SEVERAL}, {"or", L_WORD, 0, W_OR},
};

/* The lexicon's words in a hash table, each held as two 8-byte halves
 * (lower-cased, NUL-padded): a word of the text is looked up with one
 * multiply and two compares, no loop over its letters (see lex_find). */
#define LEX_SLOTS 512
#define LEX_MAXLEN 16 /* longer words are in no entry */
static struct lex_slot {
	uint64_t lo, hi;
	const lex *l; /* NULL: an empty slot */
	int anchor;   /* see lex_anchor */
} lex_table[LEX_SLOTS];
/* Bit l % 32 of lex_ends[n][f % 32]: an entry of n bytes runs from byte f
 * to byte l (lower-case). Two thirds of the words of a text are told
 * apart by it alone, before any hashing. */
static uint32_t lex_ends[LEX_MAXLEN][32];
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

/* Byte classes for the lexer, as <ctype.h> has them in the C locale (the
 * program never changes locale), but a table lookup instead of a call per
 * byte: the lexer reads every byte of every sentence it is given. */
enum { C_SPACE = 1, C_DIGIT = 2, C_UPPER = 4, C_LOWER = 8, C_HIGH = 16, C_WORD = 32 };
static unsigned char cclass[256];

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* load8(ones + 8 - n): the first n bytes (in memory order) set, n <= 8 */
static const unsigned char ones[16] = {255, 255, 255, 255, 255, 255, 255, 255};

/* The slot of a word's halves: where it is, or the empty one where it
 * would go. */
static struct lex_slot *lex_slot(uint64_t lo, uint64_t hi)
{
	uint64_t x = (lo ^ (hi * 0xff51afd7ed558ccdu)) * 0x9e3779b97f4a7c15u;
	for (size_t h = (size_t)(x >> 55);; h = (h + 1) & (LEX_SLOTS - 1)) { /* 9 bits */
		struct lex_slot *e = &lex_table[h];
		if (!e->l || (e->lo == lo && e->hi == hi))
			return e;
	}
}

/* Whether a word can hold a time expression up: every matcher that
 * succeeds has read a number or one of these (a month, "week", "spring",
 * "now", "at present", ...), at most ANCHOR_REACH tokens from where it
 * began. A matcher that can do without must add its word here. */
static int lex_anchor(const lex *l)
{
	switch (l->kind) {
	case L_MONTH: case L_WEEKDAY: case L_UNIT: case L_SEASON: case L_DAYWORD: case L_NOW:
	case L_VAGUE:
		return 1;
	case L_WORD:
		return l->val == W_PRESENT || l->val == W_MOMENT || l->val == W_WEEKEND;
	default:
		return 0;
	}
}

static void lex_build(void)
{
	for (int c = 0; c < 256; c++)
		cclass[c] = (unsigned char)((c == ' ' || (c >= '\t' && c <= '\r') ? C_SPACE : 0) |
					    (c >= '0' && c <= '9' ? C_DIGIT : 0) |
					    (c >= 'A' && c <= 'Z' ? C_UPPER : 0) |
					    (c >= 'a' && c <= 'z' ? C_LOWER : 0) | (c >= 0x80 ? C_HIGH : 0));
	for (int c = 0; c < 256; c++)
		if (cclass[c] & (C_UPPER | C_LOWER | C_HIGH))
			cclass[c] |= C_WORD;
	for (size_t i = 0; i < sizeof LEXICON / sizeof LEXICON[0]; i++) {
		unsigned char low[LEX_MAXLEN] = {0};
		size_t n = strlen(LEXICON[i].w);
		if (n == 0 || n >= LEX_MAXLEN)
			abort(); /* an entry longer than the table holds */
		memcpy(low, LEXICON[i].w, n);
		lex_ends[n][low[0] % 32] |= 1u << (low[n - 1] % 32);
		struct lex_slot *e = lex_slot(load8(low), load8(low + 8));
		if (!e->l) /* the first entry of a word is the one found */
			*e = (struct lex_slot){load8(low), load8(low + 8), &LEXICON[i],
					       lex_anchor(&LEXICON[i])};
	}
}

/* The slot of the word w[0..n) of a text that ends at end (an empty one,
 * l NULL, where it is no entry; NULL where it is too long for any). A
 * word's bytes are letters or bytes above 0x7F, none a NUL: c | 0x20 folds
 * the upper-case ones as the lexer always did and leaves every other byte
 * one that is in no entry, so the halves match only the whole word. */
static inline const struct lex_slot *lex_find(const unsigned char *w, size_t n,
					      const unsigned char *end)
{
	const uint64_t fold = 0x2020202020202020u;
	uint64_t lo, hi = 0;
	static const struct lex_slot none = {0};
	if (n == 0 || n >= LEX_MAXLEN)
		return NULL;
	if (!(lex_ends[n][(w[0] | 0x20) % 32] >> ((w[n - 1] | 0x20) % 32) & 1))
		return &none;
	if (end - w >= LEX_MAXLEN) { /* read in place */
		if (n >= 8) {
			lo = load8(w) | fold;
			hi = (load8(w + 8) | fold) & load8(ones + 16 - n);
		} else {
			lo = (load8(w) | fold) & load8(ones + 8 - n);
		}
	} else { /* near the end of the text: copied */
		unsigned char low[LEX_MAXLEN] = {0};
		for (size_t i = 0; i < n; i++)
			low[i] = w[i] | 0x20;
		lo = load8(low);
		hi = load8(low + 8);
	}
	return lex_slot(lo, hi);
}

/* ---- tokens ---- */

enum tok_kind { T_END = 0, T_WORD, T_NUM, T_PUNCT };

typedef struct tok {
	size_t start, end;  /* bytes; for numbers, end includes an ordinal suffix */
	unsigned char kind;
	unsigned char cap;  /* word starts with an upper-case letter */
	unsigned char ndig; /* digits in a number */
	unsigned char ord;  /* number had "st", "nd", "rd" or "th" */
	unsigned char decade; /* "1990s" */
	unsigned char lk;   /* lex kind of a word */
	unsigned char abbr;
	signed char lv;     /* lex value */
	char c;             /* the punctuation character (first byte) */
	unsigned char anchor; /* a number, or a word lex_anchor takes */
	unsigned char near; /* an anchor is at most ANCHOR_REACH tokens on (see tk_fill) */
	int num;            /* value of a number (-1 if more than 6 digits) */
} tok;

#define WIN 64   /* tokens kept; matchers look at most 2 back and 14 ahead */
/* Tokens lexed past the one asked for, while at it: one call serves many
 * requests. Asked for at most 14 + ANCHOR_REACH tokens ahead of the scan,
 * the window keeps the WIN - 1 - LEX_AHEAD - 19 = 12 behind it, past the 2
 * read. */
#define LEX_AHEAD 32
/* How far past its first token a match may find its first anchor: "the end
 * of the last year" */
#define ANCHOR_REACH 5

typedef struct stream {
	const char *s;
	size_t len, pos;
	tok w[WIN];
	size_t base, count; /* w holds tokens base .. base+count-1 (ring) */
} stream;

static int is_word_byte(unsigned char c)
{
	return (cclass[c] & C_WORD) != 0;
}

/* Lexes the token of s[0..n) at or after byte p into t; returns where the
 * next one is looked for. */
static size_t lex_token(const unsigned char *s, size_t n, size_t p, tok *t)
{
	unsigned c = 0; /* the class of s[p], read once */
	memset(t, 0, sizeof *t);
	for (; p < n; p++) {
		if ((c = cclass[s[p]]) & C_SPACE)
			continue;
		if (s[p] != 0xC2 || p + 1 >= n || s[p + 1] != 0xA0)
			break;
		p++; /* a no-break space */
	}
	t->start = p;
	if (p >= n) {
		t->kind = T_END;
		t->end = p;
		return p;
	}
	if (c & C_DIGIT) {
		long v = 0;
		size_t q = p;
		while (q < n && cclass[s[q]] & C_DIGIT) {
			if (q - p < 7)
				v = v * 10 + (s[q] - '0');
			q++;
		}
		t->kind = T_NUM;
		t->anchor = 1;
		t->ndig = (unsigned char)(q - p > 255 ? 255 : q - p);
		t->num = q - p > 6 ? -1 : (int)v;
		if (q + 1 < n + 0 && q + 2 <= n) {
			char a = (char)cb_tolower(s[q]), b = q + 1 < n ? (char)cb_tolower(s[q + 1]) : 0;
			int tail_ok = q + 2 >= n || !is_word_byte(s[q + 2]);
			if (tail_ok && ((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
					(a == 'r' && b == 'd') || (a == 't' && b == 'h'))) {
				t->ord = 1;
				q += 2;
			}
		}
		if (!t->ord && q < n && s[q] == 's' && (q + 1 >= n || !is_word_byte(s[q + 1]))) {
			t->decade = 1;
			q++;
		} else if (!t->ord && q + 1 < n && s[q] == '\'' && s[q + 1] == 's') {
			t->decade = 1;
			q += 2;
		}
		t->end = q;
	} else if (c & C_WORD) {
		size_t q = p + 1;
		/* two bytes a bound test */
		while (n - q >= 2 && (cclass[s[q]] & cclass[s[q + 1]] & C_WORD))
			q += 2;
		if (q < n && is_word_byte(s[q]))
			q++;
		t->kind = T_WORD;
		t->end = q;
		t->cap = c & C_UPPER ? 1 : 0;
		const struct lex_slot *e = lex_find(s + p, q - p, s + n);
		if (e && e->l) {
			t->lk = e->l->kind;
			t->lv = e->l->val;
			t->abbr = e->l->abbr;
			t->anchor = (unsigned char)e->anchor;
		}
	} else {
		size_t q = p + 1;
		/* a UTF-8 dash or other multi-byte punctuation is one token */
		if (s[p] >= 0x80)
			while (q < n && (s[q] & 0xC0) == 0x80)
				q++;
		t->kind = T_PUNCT;
		t->end = q;
		t->c = (char)s[p];
		if (s[p] == 0xE2 && q - p == 3 && s[p + 1] == 0x80 &&
		    (s[p + 2] == 0x93 || s[p + 2] == 0x94))
			t->c = '-'; /* en or em dash */
	}
	return t->end;
}

/* Lexes tokens until token i is in the window (tk's slow path), and a
 * few past it, so that one call serves the next few requests (the window
 * still keeps what the matchers look back at). Each anchor marks itself
 * and the ANCHOR_REACH tokens before it near. */
static const tok *tk_fill(stream *st, size_t i)
{
	static const tok end_tok = {0};
	/* before the window, or an index that wrapped below zero */
	if (i < st->base || i - st->base > st->count + WIN)
		return &end_tok;
	/* the stream's fields in locals: stores to the tokens could alias them */
	const unsigned char *s = (const unsigned char *)st->s;
	size_t n = st->len, pos = st->pos, base = st->base, count = st->count;
	const tok *r = NULL;
	while (i + LEX_AHEAD >= base + count) {
		if (count == WIN) {
			base++;
			count--;
		}
		size_t k = base + count;
		tok *t = &st->w[k % WIN];
		pos = lex_token(s, n, pos, t);
		count++;
		if (t->anchor)
			for (size_t j = k - base < ANCHOR_REACH ? k - base : ANCHOR_REACH;; j--) {
				st->w[(k - j) % WIN].near = 1;
				if (!j)
					break;
			}
		if (t->kind == T_END) {
			if (i >= base + count)
				r = t;
			break;
		}
	}
	st->pos = pos;
	st->base = base;
	st->count = count;
	return r ? r : &st->w[i % WIN];
}

/* Token number i of the stream (i >= base). Past the end: a T_END token.
 * The matchers ask for the same few tokens over and over: one already in
 * the window is returned inline, without a call. */
static inline const tok *tk(stream *st, size_t i)
{
	if (i - st->base < st->count) /* also false for i < base (wraps) */
		return &st->w[i % WIN];
	return tk_fill(st, i);
}

static int is_word(const tok *t, int id)
{
	return t->kind == T_WORD && t->lk == L_WORD && t->lv == id;
}

static int is_punct(const tok *t, char c)
{
	return t->kind == T_PUNCT && t->c == c;
}

/* Two tokens with nothing between them ("mid-March", "2013-01-17"). */
static int adjacent(const tok *a, const tok *b)
{
	return a->end == b->start;
}

static int is_year(const tok *t)
{
	return t->kind == T_NUM && t->ndig == 4 && !t->ord && !t->decade && t->num >= 1900 &&
	       t->num <= 2100;
}

static int is_mday(const tok *t)
{
	return t->kind == T_NUM && t->ndig <= 2 && !t->decade && t->num >= 1 && t->num <= 31;
}

/* A month word: full names must be capitalised ("may" is a verb); "May" at
 * all only when a day or year follows, or a preposition leads (checked by
 * callers through may_ok). Abbreviations need a period or a number after. */
static int month_at(stream *st, size_t i, size_t *after)
{
	const tok *t = tk(st, i);
	if (t->kind != T_WORD || t->lk != L_MONTH || !t->cap)
		return 0;
	size_t j = i + 1;
	if (t->abbr && is_punct(tk(st, j), '.') && adjacent(t, tk(st, j)))
		j++;
	else if (t->abbr && tk(st, j)->kind != T_NUM)
		return 0;
	*after = j;
	return t->lv;
}

/* ---- results ---- */

typedef struct res {
	cb_precision prec;
	cb_ymd from, to;
	int relative, present, vague;
	size_t end_tok; /* first token after the match */
} res;

static void set_day(res *r, cb_ymd d)
{
	r->prec = CB_PREC_DAY;
	r->from = r->to = d;
}

static cb_ymd ymd(int y, int m, int d)
{
	cb_ymd r = {y, m, d};
	return r;
}

/* Month part: early 1-10, mid 11-20, late 21-end. */
static void set_month_part(res *r, int y, int m, int part)
{
	r->prec = CB_PREC_MONTH_PART;
	int a = part == 1 ? 1 : part == 2 ? 11 : 21;
	int b = part == 1 ? 10 : part == 2 ? 20 : month_days(y, m);
	r->from = ymd(y, m, a);
	r->to = ymd(y, m, b);
}

/* early/mid/late of a year: Jan-Apr, May-Aug, Sep-Dec. */
static void set_year_part(res *r, int y, int part)
{
	r->prec = CB_PREC_RANGE;
	r->from = ymd(y, part == 1 ? 1 : part == 2 ? 5 : 9, 0);
	r->to = ymd(y, part == 1 ? 4 : part == 2 ? 8 : 12, 0);
}

static void set_season(res *r, int y, int season)
{
	r->prec = CB_PREC_SEASON;
	switch (season) {
	case 1: r->from = ymd(y, 3, 0); r->to = ymd(y, 5, 0); break;
	case 2: r->from = ymd(y, 6, 0); r->to = ymd(y, 8, 0); break;
	case 3: r->from = ymd(y, 9, 0); r->to = ymd(y, 11, 0); break;
	default: r->from = ymd(y, 12, 0); r->to = ymd(y + 1, 2, 0); break;
	}
}

/* The most recent past (or current) month m relative to anchor a. */
static int past_month_year(const cb_ymd *a, int m, int strict)
{
	if (m < a->m || (!strict && m == a->m))
		return a->y;
	return a->y - 1;
}

/* Month and day without a year: the anchor's year, unless that lands more
 * than 60 days after the anchor (then the year before: "Dec. 28" read on
 * Jan. 5 is last December's). */
static int guess_year(const cb_ymd *a, int m, int d)
{
	long an = days_from_ymd(a->y, a->m, a->d);
	int dd = d > month_days(a->y, m) ? month_days(a->y, m) : d;
	if (days_from_ymd(a->y, m, dd) > an + 60)
		return a->y - 1;
	return a->y;
}

/* The most recent weekday wd on or before the anchor (strictly before when
 * strict); dir > 0: the next one after it. */
static cb_ymd weekday_near(const cb_ymd *a, int wd, int dir, int strict)
{
	long an = days_from_ymd(a->y, a->m, a->d);
	int aw = weekday_of(an);
	long back;
	if (dir > 0) {
		long fwd = (wd - aw + 7) % 7;
		if (fwd == 0)
			fwd = 7;
		return ymd_from_days(an + fwd);
	}
	back = (aw - wd + 7) % 7;
	if (back == 0 && strict)
		back = 7;
	return ymd_from_days(an - back);
}

static long anchor_days(const cb_ymd *a)
{
	return days_from_ymd(a->y, a->m, a->d);
}

/* ---- absolute dates ---- */

/* "2013-01-17", "2013/01/17", "2013.01.17" */
static int m_iso(stream *st, size_t i, res *r)
{
	const tok *a = tk(st, i);
	if (!is_year(a))
		return 0;
	const tok *s1 = tk(st, i + 1), *b = tk(st, i + 2), *s2 = tk(st, i + 3), *c = tk(st, i + 4);
	if (s1->kind != T_PUNCT || (s1->c != '-' && s1->c != '/' && s1->c != '.') ||
	    !adjacent(a, s1) || !adjacent(s1, b) || b->kind != T_NUM || b->ndig > 2 ||
	    !is_punct(s2, s1->c) || !adjacent(b, s2) || !adjacent(s2, c) || c->kind != T_NUM ||
	    c->ndig > 2)
		return 0;
	if (!valid_ymd(a->num, b->num, c->num))
		return 0;
	set_day(r, ymd(a->num, b->num, c->num));
	r->end_tok = i + 5;
	return 1;
}

/* A year after a month-day: ", 2024" or " 2024". */
static int year_after(stream *st, size_t j, size_t *after)
{
	if (is_punct(tk(st, j), ',') && is_year(tk(st, j + 1))) {
		*after = j + 2;
		return tk(st, j + 1)->num;
	}
	if (is_year(tk(st, j))) {
		*after = j + 1;
		return tk(st, j)->num;
	}
	return 0;
}

/* Resolves month m, day d, year y (0 = from the anchor) into r. */
static int put_mdy(res *r, const cb_ymd *anchor, int y, int m, int d)
{
	if (!y) {
		r->relative = 1;
		if (!anchor_ok(anchor)) {
			r->prec = CB_PREC_NONE;
			return 1;
		}
		y = guess_year(anchor, m, d);
	}
	if (!valid_ymd(y, m, d))
		return 0;
	set_day(r, ymd(y, m, d));
	return 1;
}

/* The second end of "July 15 to 17", "July 15 - August 2", "between May 3
 * and 9": fills r as a range when present. */
static void day_range_tail(stream *st, size_t j, res *r, int m, int y_given, const cb_ymd *anchor,
			   int between)
{
	const tok *c = tk(st, j);
	int ok = between ? is_word(c, W_AND)
			 : (is_word(c, W_TO) || is_word(c, W_UNTIL) || is_word(c, W_THROUGH) ||
			    is_punct(c, '-'));
	if (!ok || r->prec != CB_PREC_DAY)
		return;
	size_t k = j + 1, after;
	int m2 = m;
	int mm = month_at(st, k, &after);
	if (mm) {
		m2 = mm;
		k = after;
	}
	if (!is_mday(tk(st, k)))
		return;
	int d2 = tk(st, k)->num;
	size_t after_y = k + 1;
	int y2 = year_after(st, k + 1, &after_y);
	int y = y2 ? y2 : r->from.y;
	if (!valid_ymd(y, m2, d2))
		return;
	cb_ymd to = ymd(y, m2, d2);
	if (y2 && !y_given && r->from.y != y2)
		r->from.y = y2; /* "July 15 to August 2, 2014" */
	if (days_from_ymd(to.y, to.m, to.d) <= days_from_ymd(r->from.y, r->from.m, r->from.d))
		return;
	r->prec = CB_PREC_RANGE;
	r->to = to;
	r->end_tok = after_y;
	(void)anchor;
}

/* "May 14, 2024", "Dec. 12", "June 30th, 2023", "December 2011" */
static int m_month_first(stream *st, size_t i, res *r, const cb_ymd *anchor, int between)
{
	size_t j;
	int m = month_at(st, i, &j);
	if (!m)
		return 0;
	const tok *d = tk(st, j);
	if (is_mday(d) && !(d->ndig == 2 && is_year(d))) {
		/* "May 2" but not "May 2,000" */
		if (is_punct(tk(st, j + 1), ',') && tk(st, j + 2)->kind == T_NUM &&
		    tk(st, j + 2)->ndig == 3)
			return 0;
		size_t after = j + 1;
		int y = year_after(st, j + 1, &after);
		if (!put_mdy(r, anchor, y, m, d->num))
			return 0;
		r->end_tok = after;
		day_range_tail(st, after, r, m, y, anchor, between);
		return 1;
	}
	size_t after;
	int y = year_after(st, j, &after);
	if (y) {
		r->prec = CB_PREC_MONTH;
		r->from = r->to = ymd(y, m, 0);
		r->end_tok = after;
		return 1;
	}
	return 0;
}

/* "17 Jan 2013", "9 June 2014", "30th June", "2 March 2008" */
static int m_day_first(stream *st, size_t i, res *r, const cb_ymd *anchor, int between)
{
	const tok *d = tk(st, i);
	if (!is_mday(d))
		return 0;
	size_t j = i + 1;
	if (is_word(tk(st, j), W_OF) && d->ord)
		j++;
	size_t k;
	int m = month_at(st, j, &k);
	if (!m)
		return 0;
	size_t after = k;
	int y = is_year(tk(st, k)) ? tk(st, k)->num : 0;
	if (y)
		after = k + 1;
	else if (!d->ord && !is_word(tk(st, i - 1), W_ON) && !is_word(tk(st, i - 1), W_BY))
		return 0; /* "12 March" alone is too often a count: "12 May be..." */
	if (!put_mdy(r, anchor, y, m, d->num))
		return 0;
	r->end_tok = after;
	(void)between;
	return 1;
}

/* ---- relative expressions ---- */

/* early/mid/late + month/year/"last week" */
static int m_part(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	int part, edge = 1;
	size_t j = i + 1;
	if (t->kind == T_WORD && t->lk == L_PART) {
		edge = 0;
		part = t->lv;
		if (is_punct(tk(st, j), '-') && adjacent(t, tk(st, j)))
			j++;
	} else if (is_word(t, W_THE) && tk(st, i + 1)->lk == L_EDGE &&
		   is_word(tk(st, i + 2), W_OF)) {
		part = tk(st, i + 1)->lv;
		j = i + 3;
		if (is_word(tk(st, j), W_THE) && tk(st, j + 1)->lk != L_UNIT)
			j++;
	} else if (t->kind == T_WORD && t->lk == L_EDGE && is_word(tk(st, i + 1), W_OF)) {
		part = t->lv;
		j = i + 2;
	} else {
		return 0;
	}
	const tok *u = tk(st, j);
	size_t after;
	int m = month_at(st, j, &after);
	if (m) {
		int y = is_year(tk(st, after)) ? tk(st, after)->num : 0;
		if (y)
			after++;
		else if (is_punct(tk(st, after), ',') && is_year(tk(st, after + 1))) {
			y = tk(st, after + 1)->num;
			after += 2;
		}
		if (!y) {
			r->relative = 1;
			if (!anchor_ok(anchor)) {
				r->end_tok = after;
				return 1;
			}
			/* "until the end of March": ahead of the anchor */
			const tok *lead = tk(st, i - 1);
			if (is_word(lead, W_UNTIL) || is_word(lead, W_BY))
				y = m >= anchor->m ? anchor->y : anchor->y + 1;
			else
				y = past_month_year(anchor, m, 0);
		}
		set_month_part(r, y, m, part);
		r->end_tok = after;
		return 1;
	}
	if (is_year(u)) {
		set_year_part(r, u->num, part);
		r->end_tok = j + 1;
		return 1;
	}
	if (u->kind == T_NUM && u->decade && u->ndig == 4) {
		int base = u->num - u->num % 10;
		r->prec = CB_PREC_RANGE;
		r->from = ymd(base + (part == 1 ? 0 : part == 2 ? 3 : 7), 0, 0);
		r->to = ymd(base + (part == 1 ? 3 : part == 2 ? 6 : 9), 0, 0);
		r->end_tok = j + 1;
		return 1;
	}
	/* "late last week", "mid-last month", "early this year", "end of the year" */
	int rel = 0, has_rel = 0;
	if (u->lk == L_REL) {
		rel = u->lv;
		has_rel = 1;
		j++;
	} else if (is_word(u, W_THE)) {
		j++;
	}
	const tok *unit = tk(st, j);
	if (unit->lk != L_UNIT || unit->lv < 2 || unit->lv > 4 ||
	    tk(st, j)->end - tk(st, j)->start > 5)
		return 0;
	if (!has_rel && !is_word(u, W_THE))
		return 0;
	r->relative = 1;
	r->end_tok = j + 1;
	if (!anchor_ok(anchor))
		return 1;
	long an = anchor_days(anchor);
	if (unit->lv == 2) {
		long mon = an - (weekday_of(an) - 1) + 7L * rel;
		long a = part == 1 ? 0 : part == 2 ? 1 : 3, b = part == 1 ? 2 : part == 2 ? 3 : 6;
		r->prec = CB_PREC_RANGE;
		r->from = ymd_from_days(mon + a);
		r->to = ymd_from_days(mon + b);
		return 1;
	}
	if (unit->lv == 3) {
		int y = anchor->y, m2 = anchor->m + rel;
		if (m2 < 1) { m2 += 12; y--; }
		if (m2 > 12) { m2 -= 12; y++; }
		/* "(by) the end of the month", as of the year: what remains */
		if (edge && part == 3 && rel == 0 && anchor->d > 0) {
			int ny = m2 == 12 ? y + 1 : y, nm = m2 == 12 ? 1 : m2 + 1;
			r->prec = CB_PREC_RANGE;
			r->from = *anchor;
			r->to = ymd_from_days(days_from_ymd(ny, nm, 1) - 1);
			return 1;
		}
		set_month_part(r, y, m2, part);
		return 1;
	}
	/* a year: "(by) the end of the year" in a report is what remains of it;
	 * "the end of last year" its last days, "the beginning of" its first */
	if (edge && part == 3 && rel == 0) {
		r->prec = CB_PREC_RANGE;
		r->from = *anchor;
		r->to = ymd(anchor->y, 12, 31);
		return 1;
	}
	if (edge && part != 2) {
		set_month_part(r, anchor->y + rel, part == 1 ? 1 : 12, part);
		return 1;
	}
	set_year_part(r, anchor->y + rel, part);
	return 1;
}

/* last/this/next + weekday, week, month, year, season, month name */
static int m_rel(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	size_t j = i + 1;
	if (is_word(t, W_THE) && tk(st, i + 1)->lk == L_REL && tk(st, i + 1)->lv == -1 &&
	    tk(st, i + 2)->lk == L_UNIT) {
		t = tk(st, i + 1); /* "the past week" */
		j = i + 2;
	}
	if (t->kind != T_WORD || t->lk != L_REL)
		return 0;
	if (t->lv == -1 && strncasecmp(st->s + t->start, "last", 4) && j == i + 1 &&
	    tk(st, j)->lk != L_WEEKDAY)
		return 0; /* "past", "previous" alone: only "the past week" or a weekday */
	int rel = t->lv;
	const tok *u = tk(st, j);
	size_t after;
	r->relative = 1;
	if (u->kind == T_WORD && u->lk == L_WEEKDAY && u->cap && !u->abbr) {
		r->end_tok = j + 1;
		if (!anchor_ok(anchor))
			return 1;
		set_day(r, rel > 0 ? weekday_near(anchor, u->lv, 1, 0)
				   : weekday_near(anchor, u->lv, -1, rel < 0));
		return 1;
	}
	int m = month_at(st, j, &after);
	if (m) {
		r->end_tok = after;
		if (!anchor_ok(anchor))
			return 1;
		int y = rel < 0 ? past_month_year(anchor, m, 1)
		      : rel == 0 ? anchor->y
				 : (m > anchor->m ? anchor->y : anchor->y + 1);
		r->prec = CB_PREC_MONTH;
		r->from = r->to = ymd(y, m, 0);
		return 1;
	}
	if (u->kind == T_WORD && u->lk == L_SEASON) {
		r->end_tok = j + 1;
		if (!anchor_ok(anchor))
			return 1;
		int s = u->lv;
		/* season of the anchor: winter spans the new year */
		int as = anchor->m >= 3 && anchor->m <= 5 ? 1 : anchor->m >= 6 && anchor->m <= 8 ? 2
			 : anchor->m >= 9 && anchor->m <= 11 ? 3 : 4;
		int ay = anchor->m <= 2 ? anchor->y - 1 : anchor->y;
		int y = ay;
		if (rel < 0)
			y = s < as ? ay : ay - 1;
		else if (rel > 0)
			y = s > as ? ay : ay + 1;
		else if (s > as)
			y = ay; /* "this summer" said in spring */
		set_season(r, y, s);
		return 1;
	}
	if (is_word(u, W_WEEKEND)) {
		r->end_tok = j + 1;
		if (!anchor_ok(anchor))
			return 1;
		long an = anchor_days(anchor);
		long mon = an - (weekday_of(an) - 1) + 7L * (rel < 0 ? -1 : rel);
		r->prec = CB_PREC_RANGE;
		r->from = ymd_from_days(mon + 5);
		r->to = ymd_from_days(mon + 6);
		return 1;
	}
	if (u->kind == T_WORD && u->lk == L_UNIT && u->lv >= 2 && u->lv <= 4 &&
	    u->end - u->start <= 5) {
		r->end_tok = j + 1;
		if (!anchor_ok(anchor))
			return 1;
		long an = anchor_days(anchor);
		if (u->lv == 2) {
			long mon = an - (weekday_of(an) - 1) + 7L * rel;
			r->prec = CB_PREC_RANGE;
			r->from = ymd_from_days(mon);
			r->to = rel == 0 ? *anchor : ymd_from_days(mon + 6);
		} else if (u->lv == 3) {
			int y = anchor->y, m2 = anchor->m + rel;
			if (m2 < 1) { m2 += 12; y--; }
			if (m2 > 12) { m2 -= 12; y++; }
			r->prec = CB_PREC_MONTH;
			r->from = r->to = ymd(y, m2, 0);
		} else {
			r->prec = CB_PREC_YEAR;
			r->from = r->to = ymd(anchor->y + rel, 0, 0);
		}
		return 1;
	}
	r->relative = 0;
	return 0;
}

/* "earlier this year", "later this month", "earlier this week" */
static int m_shift(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	if (t->lk != L_SHIFT || tk(st, i + 1)->lk != L_REL || tk(st, i + 1)->lv != 0)
		return 0;
	const tok *u = tk(st, i + 2);
	if (u->lk != L_UNIT || u->lv < 2 || u->lv > 4 || u->end - u->start > 5)
		return 0;
	r->relative = 1;
	r->end_tok = i + 3;
	if (!anchor_ok(anchor))
		return 1;
	long an = anchor_days(anchor);
	cb_ymd first = u->lv == 2 ? ymd_from_days(an - (weekday_of(an) - 1))
		     : u->lv == 3 ? ymd(anchor->y, anchor->m, 1) : ymd(anchor->y, 1, 1);
	cb_ymd last = u->lv == 2 ? ymd_from_days(an - (weekday_of(an) - 1) + 6)
		    : u->lv == 3 ? ymd(anchor->y, anchor->m, month_days(anchor->y, anchor->m))
				 : ymd(anchor->y, 12, 31);
	r->prec = CB_PREC_RANGE;
	if (t->lv < 0) {
		r->from = first;
		r->to = *anchor;
	} else {
		r->from = *anchor;
		r->to = last;
	}
	return 1;
}

/* A count: "two", "12", "a", "a few", "several" (3). */
static int count_at(stream *st, size_t i, size_t *after)
{
	const tok *t = tk(st, i);
	if (t->kind == T_NUM && !t->ord && !t->decade && t->num > 0 && t->num < 1000) {
		*after = i + 1;
		return t->num;
	}
	if (t->lk == L_NUMWORD) {
		if (t->lv == 1 && is_word(tk(st, i + 1), W_FEW)) {
			*after = i + 2;
			return 3;
		}
		*after = i + 1;
		return t->lv;
	}
	if (is_word(t, W_SEVERAL)) {
		*after = i + 1;
		return 3;
	}
	return 0;
}

/* "two years ago", "three weeks ago", "a month ago" */
static int m_ago(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	size_t j;
	int n = count_at(st, i, &j);
	if (!n)
		return 0;
	const tok *u = tk(st, j);
	if (u->lk != L_UNIT || !is_word(tk(st, j + 1), W_AGO))
		return 0;
	r->relative = 1;
	r->end_tok = j + 2;
	if (!anchor_ok(anchor))
		return 1;
	long an = anchor_days(anchor);
	switch (u->lv) {
	case 1: set_day(r, ymd_from_days(an - n)); break;
	case 2: set_day(r, ymd_from_days(an - 7L * n)); break;
	case 3: {
		int y = anchor->y, m = anchor->m - n;
		while (m < 1) { m += 12; y--; }
		r->prec = CB_PREC_MONTH;
		r->from = r->to = ymd(y, m, 0);
		break;
	}
	case 4:
		r->prec = CB_PREC_YEAR;
		r->from = r->to = ymd(anchor->y - n, 0, 0);
		break;
	default:
		r->prec = CB_PREC_YEAR;
		r->from = r->to = ymd(anchor->y - 10 * n, 0, 0);
		break;
	}
	return 1;
}

/* Years: "between 2007 and 2009", "from 2007 to 2009", "2007-2009",
 * "in 2007", "the 1990s". Bare four-digit numbers count only where a
 * preposition or punctuation makes them a year, not a quantity. */
static int m_year(stream *st, size_t i, res *r)
{
	const tok *t = tk(st, i);
	size_t j = i;
	int between = 0, from = 0;
	if (is_word(t, W_BETWEEN)) {
		between = 1;
		j++;
	} else if (is_word(t, W_FROM)) {
		from = 1;
		j++;
	}
	const tok *y = tk(st, j);
	if (y->kind == T_NUM && y->decade && y->ndig == 4 && y->num >= 1900 && y->num <= 2090 &&
	    y->num % 10 == 0) {
		r->prec = CB_PREC_RANGE;
		r->from = ymd(y->num, 0, 0);
		r->to = ymd(y->num + 9, 0, 0);
		r->end_tok = j + 1;
		return 1;
	}
	if (!is_year(y))
		return 0;
	const tok *c = tk(st, j + 1), *y2 = tk(st, j + 2);
	int joined = between ? is_word(c, W_AND)
			     : (is_word(c, W_TO) || is_word(c, W_UNTIL) || is_word(c, W_THROUGH) ||
				(is_punct(c, '-') && !from) || (from && is_punct(c, '-')));
	if (joined && y2->kind == T_NUM && !y2->ord) {
		int to = -1;
		if (is_year(y2))
			to = y2->num;
		else if (y2->ndig == 2 && is_punct(c, '-')) /* "2007-09" is a month, not a range */
			to = -1;
		if (to > y->num && to - y->num < 200) {
			r->prec = CB_PREC_RANGE;
			r->from = ymd(y->num, 0, 0);
			r->to = ymd(to, 0, 0);
			r->end_tok = j + 3;
			return 1;
		}
	}
	if (between || from) {
		if (!from)
			return 0;
	}
	/* a single year: needs a context that makes it a year */
	const tok *p = tk(st, i - 1), *n = tk(st, j + 1);
	int ctx = from || is_word(p, W_IN) || is_word(p, W_SINCE) || is_word(p, W_BY) ||
		  is_word(p, W_UNTIL) || is_word(p, W_DURING) || is_word(p, W_OF) ||
		  is_word(p, W_BEFORE) || is_word(p, W_AFTER) || is_word(p, W_THROUGH) ||
		  is_word(p, W_AROUND) || is_word(p, W_AND) || is_word(p, W_OR) ||
		  is_word(p, W_TO) || is_word(p, W_THE) || is_word(p, W_AT) ||
		  (p->kind == T_WORD && p->lk == L_UNIT && p->lv == 4) ||
		  is_punct(p, '(') || is_punct(p, '-') ||
		  (p->kind == T_WORD && p->lk == L_SEASON) || p->kind == T_END;
	if (!ctx && (is_punct(n, ',') || is_punct(n, '.') || is_punct(n, ')')) &&
	    p->kind == T_PUNCT)
		ctx = 1;
	if (!ctx)
		return 0;
	/* not "2000 won", "1200 people" */
	if (n->kind == T_WORD && !n->cap && n->lk != L_WORD && n->lk != L_SHIFT) {
		static const char *ok_after[] = {"when", "as", "that", "after", "before", "but",
						 "with", "while", "until", "for", "because", NULL};
		int fine = 0;
		for (int k = 0; ok_after[k]; k++)
			if (n->end - n->start == strlen(ok_after[k]) &&
			    !strncasecmp(st->s + n->start, ok_after[k], n->end - n->start))
				fine = 1;
		if (!fine && !is_word(p, W_IN) && !is_word(p, W_SINCE) && !is_word(p, W_OF) &&
		    !is_word(p, W_DURING))
			return 0;
	}
	r->prec = CB_PREC_YEAR;
	r->from = r->to = ymd(y->num, 0, 0);
	r->end_tok = j + 1;
	return 1;
}

/* Seasons: "in the summer of 2019", "winter 2012", "in spring". */
static int m_season(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	size_t j = i;
	int lead = 0;
	if (is_word(tk(st, j), W_IN) || is_word(tk(st, j), W_DURING)) {
		lead = 1;
		j++;
	}
	if (is_word(tk(st, j), W_THE))
		j++;
	const tok *s = tk(st, j);
	if (s->kind != T_WORD || s->lk != L_SEASON)
		return 0;
	size_t k = j + 1;
	if (is_word(tk(st, k), W_OF))
		k++;
	if (is_year(tk(st, k))) {
		set_season(r, tk(st, k)->num, s->lv);
		r->end_tok = k + 1;
		return 1;
	}
	if (!lead || (s->lv == 3 && !s->cap && strncasecmp(st->s + s->start, "autumn", 6)))
		return 0; /* "fall" alone is a verb more often than not */
	r->relative = 1;
	r->end_tok = j + 1;
	if (!anchor_ok(anchor))
		return 1;
	/* most recent such season that has begun by the anchor */
	int sm = s->lv == 1 ? 3 : s->lv == 2 ? 6 : s->lv == 3 ? 9 : 12;
	int y = anchor->m >= sm ? anchor->y : anchor->y - 1;
	if (s->lv == 4 && anchor->m <= 2)
		y = anchor->y - 1;
	set_season(r, y, s->lv);
	return 1;
}

/* "by the end of the year" and friends are handled by m_part via "the end
 * of"; here "by Feb. 20", "until March 3": a range from the anchor when the
 * date lies ahead of it. */
static int m_by(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	if (!is_word(t, W_BY) && !is_word(t, W_UNTIL))
		return 0;
	res inner;
	memset(&inner, 0, sizeof inner);
	if (!m_month_first(st, i + 1, &inner, anchor, 0) &&
	    !m_day_first(st, i + 1, &inner, anchor, 0))
		return 0;
	*r = inner;
	if (inner.prec == CB_PREC_DAY && anchor_ok(anchor) &&
	    days_from_ymd(inner.from.y, inner.from.m, inner.from.d) > anchor_days(anchor)) {
		r->prec = CB_PREC_RANGE;
		r->from = *anchor;
		r->to = inner.from;
	}
	return 1;
}

/* yesterday, today, now, currently, at present, recently, someday */
static int m_words(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	if (t->kind != T_WORD)
		return 0;
	if (t->lk == L_DAYWORD) {
		r->relative = 1;
		r->end_tok = i + 1;
		if (anchor_ok(anchor))
			set_day(r, ymd_from_days(anchor_days(anchor) + t->lv));
		return 1;
	}
	int present = t->lk == L_NOW;
	size_t end = i + 1;
	if (!present && is_word(t, W_AT) && is_word(tk(st, i + 1), W_PRESENT)) {
		present = 1;
		end = i + 2;
	} else if (!present && is_word(t, W_AT) && is_word(tk(st, i + 1), W_THE) &&
		   is_word(tk(st, i + 2), W_MOMENT)) {
		present = 1;
		end = i + 3;
	} else if (!present && is_word(t, W_THESE) && tk(st, i + 1)->lk == L_UNIT &&
		   tk(st, i + 1)->lv == 1 && tk(st, i + 1)->end - tk(st, i + 1)->start == 4) {
		present = 1;
		end = i + 2;
	}
	if (present) {
		/* "now that", "until now", "by now": still the present */
		r->relative = 1;
		r->present = 1;
		r->end_tok = end;
		if (anchor_ok(anchor))
			set_day(r, *anchor);
		return 1;
	}
	if (t->lk == L_VAGUE) {
		r->relative = 1;
		r->vague = 1;
		r->prec = CB_PREC_NONE;
		r->end_tok = i + 1;
		return 1;
	}
	return 0;
}

/* A weekday alone or after "on": the most recent one on or before the
 * anchor ("on Monday" in a Tuesday report is the day before). */
static int m_weekday(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	if (t->kind != T_WORD || t->lk != L_WEEKDAY || !t->cap || t->abbr)
		return 0;
	/* "Friday, December 13, 2024": the full date follows */
	size_t j = i + 1;
	if (is_punct(tk(st, j), ','))
		j++;
	res full;
	memset(&full, 0, sizeof full);
	if ((m_month_first(st, j, &full, anchor, 0) || m_day_first(st, j, &full, anchor, 0)) &&
	    full.prec == CB_PREC_DAY) {
		*r = full;
		return 1;
	}
	r->relative = 1;
	r->end_tok = i + 1;
	if (anchor_ok(anchor))
		set_day(r, weekday_near(anchor, t->lv, -1, 0));
	return 1;
}

/* A month alone: "in February" is the most recent past February. */
static int m_month_alone(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	size_t after;
	int m = month_at(st, i, &after);
	if (!m)
		return 0;
	const tok *p = tk(st, i - 1);
	const tok *t = tk(st, i);
	int lead = is_word(p, W_IN) || is_word(p, W_SINCE) || is_word(p, W_UNTIL) ||
		   is_word(p, W_BY) || is_word(p, W_DURING) || is_word(p, W_OF) ||
		   is_word(p, W_FROM) || is_word(p, W_TO) || is_word(p, W_BEFORE) ||
		   is_word(p, W_AFTER) || is_word(p, W_THROUGH) || is_word(p, W_BETWEEN);
	if (t->lv == 5 && !lead)
		return 0; /* "May" is also a modal verb */
	if (t->lv == 3 && !lead && after == i + 1)
		return 0; /* and "March" a verb */
	if (!lead && after == i + 1) {
		/* a bare capitalised month name mid-sentence is still a month */
		if (p->kind == T_END || is_punct(p, '.'))
			return 0;
	}
	r->relative = 1;
	r->end_tok = after;
	if (!anchor_ok(anchor))
		return 1;
	r->prec = CB_PREC_MONTH;
	if (is_word(p, W_UNTIL) || is_word(p, W_BY))
		r->from = r->to = ymd(m >= anchor->m ? anchor->y : anchor->y + 1, m, 0);
	else
		r->from = r->to = ymd(past_month_year(anchor, m, 0), m, 0);
	return 1;
}

/* Tries every matcher at token i, most specific first. */
static int match_at(stream *st, size_t i, res *r, const cb_ymd *anchor)
{
	const tok *t = tk(st, i);
	memset(r, 0, sizeof *r);
	if (t->kind == T_PUNCT || t->kind == T_END)
		return 0;
	if (t->kind == T_NUM) {
		if (m_iso(st, i, r) || m_day_first(st, i, r, anchor, 0))
			return 1;
		memset(r, 0, sizeof *r);
		if (m_ago(st, i, r, anchor))
			return 1;
		memset(r, 0, sizeof *r);
		return m_year(st, i, r);
	}
	if (t->lk == L_NONE)
		return 0;
	if (is_word(t, W_BETWEEN) || is_word(t, W_FROM)) {
		/* "between May 3 and 9", "from 2007 to 2009" */
		if (m_year(st, i, r))
			return 1;
		memset(r, 0, sizeof *r);
		if (m_month_first(st, i + 1, r, anchor, is_word(t, W_BETWEEN)) &&
		    r->prec == CB_PREC_RANGE)
			return 1;
		memset(r, 0, sizeof *r);
		return 0;
	}
	if (m_part(st, i, r, anchor))
		return 1;
	memset(r, 0, sizeof *r);
	if (m_by(st, i, r, anchor))
		return 1;
	memset(r, 0, sizeof *r);
	if (t->lk == L_MONTH) {
		if (m_month_first(st, i, r, anchor, 0))
			return 1;
		memset(r, 0, sizeof *r);
		return m_month_alone(st, i, r, anchor);
	}
	if (t->lk == L_WEEKDAY)
		return m_weekday(st, i, r, anchor);
	if (m_rel(st, i, r, anchor) || m_shift(st, i, r, anchor))
		return 1;
	memset(r, 0, sizeof *r);
	if (m_ago(st, i, r, anchor))
		return 1;
	memset(r, 0, sizeof *r);
	if (m_season(st, i, r, anchor))
		return 1;
	memset(r, 0, sizeof *r);
	return m_words(st, i, r, anchor);
}

static void stream_init(stream *st, const char *s, size_t len)
{
	pthread_once(&lex_once, lex_build);
	st->s = s ? s : "";
	st->len = s ? len : 0;
	st->pos = 0;
	st->base = 0;
	st->count = 0;
}

int cb_timex_scan(cb_timex **out, size_t *n, const char *text, size_t len,
		  const cb_ymd *anchor, cb_error *err)
{
	stream st;
	cb_timex *arr = NULL;
	size_t cnt = 0, cap = 0;
	int rc = CB_OK;

	*out = NULL;
	*n = 0;
	if (!text || len == 0)
		return CB_OK;
	stream_init(&st, text, len);
	for (size_t i = 0;;) {
		/* Lexed through i + ANCHOR_REACH (or to the end, which i never
		 * passes), token i is in the window and its near flag final: no
		 * matcher succeeds without an anchor in reach. */
		(void)tk(&st, i + ANCHOR_REACH);
		const tok *t = &st.w[i % WIN];
		if (t->kind == T_END)
			break;
		res r;
		if (!t->near || !match_at(&st, i, &r, anchor) || r.end_tok <= i) {
			i++;
			continue;
		}
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 8;
			cb_timex *na = realloc(arr, nc * sizeof *na);
			if (!na) {
				rc = cb_fail(err, CB_ENOMEM, "timex: out of memory");
				goto done;
			}
			arr = na;
			cap = nc;
		}
		cb_timex *x = &arr[cnt++];
		memset(x, 0, sizeof *x);
		x->start = t->start;
		x->end = tk(&st, r.end_tok - 1)->end;
		x->precision = r.prec;
		x->relative = r.relative;
		x->present = r.present;
		if (r.prec != CB_PREC_NONE) {
			cb_ymd_format(x->from, &r.from);
			cb_ymd_format(x->to, &r.to);
		}
		i = r.end_tok;
	}
	*out = arr;
	*n = cnt;
	arr = NULL;
done:
	free(arr);
	return rc;
}

int cb_date_parse(cb_ymd *out, size_t *start, size_t *end, const char *s, size_t len,
		  int year_hint)
{
	stream st;
	cb_ymd hint = {year_hint, 12, 31};

	if (!s || !len)
		return 0;
	stream_init(&st, s, len);
	for (size_t i = 0;; i++) {
		const tok *t = tk(&st, i);
		if (t->kind == T_END)
			return 0;
		if (t->kind == T_PUNCT)
			continue;
		res r;
		memset(&r, 0, sizeof r);
		size_t first = i;
		int ok = 0;
		if (t->kind == T_NUM)
			ok = m_iso(&st, i, &r) ||
			     (memset(&r, 0, sizeof r), m_day_first(&st, i, &r, NULL, 0));
		else if (t->lk == L_MONTH)
			ok = m_month_first(&st, i, &r, NULL, 0);
		else if (t->lk == L_WEEKDAY) {
			size_t j = i + 1;
			if (is_punct(tk(&st, j), ','))
				j++;
			ok = m_month_first(&st, j, &r, NULL, 0) ||
			     (memset(&r, 0, sizeof r), m_day_first(&st, j, &r, NULL, 0));
		}
		if (!ok)
			continue;
		if (r.prec == CB_PREC_NONE && r.relative) {
			/* no year written: take the hint's */
			if (year_hint <= 0)
				continue;
			res h;
			memset(&h, 0, sizeof h);
			if (t->kind == T_NUM)
				m_day_first(&st, i, &h, &hint, 0);
			else if (t->lk == L_MONTH)
				m_month_first(&st, i, &h, &hint, 0);
			else {
				size_t j = i + 1;
				if (is_punct(tk(&st, j), ','))
					j++;
				if (!m_month_first(&st, j, &h, &hint, 0))
					m_day_first(&st, j, &h, &hint, 0);
			}
			if (h.prec != CB_PREC_DAY && h.prec != CB_PREC_RANGE)
				continue;
			h.from.y = year_hint;
			if (!valid_ymd(h.from.y, h.from.m, h.from.d))
				continue;
			r = h;
		}
		if (r.prec != CB_PREC_DAY && r.prec != CB_PREC_RANGE)
			continue;
		*out = r.from;
		if (start)
			*start = tk(&st, first)->start;
		if (end)
			*end = tk(&st, r.end_tok - 1)->end;
		return 1;
	}
}

cb_ymd cb_ymd_add_days(const cb_ymd *d, long days)
{
	return ymd_from_days(days_from_ymd(d->y, d->m, d->d) + days);
}
