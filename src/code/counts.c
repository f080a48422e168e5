/*
 * counts.c: see counts.h. A small hand-written scanner over words: a
 * quantity (with its modifiers), up to four describing words, then a noun
 * for people. Compounds joined by "and" add up; a breakdown after "--" or
 * a comma ("12 defectors -- four men and eight women") only refines the
 * gender of the total.
 *
 * Implementation notes. The extractor asks on nearly every sentence, and
 * most hold no count, so the cost is the tokenizer's: a word is looked up
 * once, by its two 8-byte halves, in one table of every list (vocab), and
 * keeps the halves so that each later test for a word is a compare. A
 * phrase is tried only within six tokens before a key (W_KEY): a sentence
 * without one costs its tokens and nothing more.
 */
#include "counts.h"
#include "util/ascii.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a word is to the scanner (bits of tok.kind): the lists it is in. */
enum {
	W_START = 1, /* starters and number words: a count phrase may begin here */
	W_PERSON = 2,
	W_DESCRIBER = 4,
	W_LINK = 8,
	W_THING = 16,
	W_FEM = 32,
	W_MAL = 64,
	/* Every count phrase holds, at most KEY_REACH tokens past its start, a
	 * token marked W_KEY: a figure, a number word, one of key_words[] or
	 * an article that a person word follows ("a 25-year-old North Korean
	 * woman"); phrase() is tried only there (see cb_counts_find). A form
	 * of phrase that can do without must add its word to key_words[]. */
	W_KEY = 128,
	W_ARTICLE = 256, /* "a", "an" */
};

typedef struct tok {
	size_t s, e;
	uint64_t lo, hi; /* its bytes lower-cased as two NUL-padded halves (see is()) */
	long num;      /* cb_number_parse of the token */
	unsigned kind; /* W_ bits */
} tok;

#define MAXTOK 512
/* How far past its start a phrase may hold its first key: "all other as
 * many as between 20 and 30", the number six tokens on. */
#define KEY_REACH 6

static inline int digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

static inline int lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* 8 bytes from p as a number whose low byte is p[0], on any byte order:
 * what the halves of words below are made of. */
static inline uint64_t load8(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The low n bytes of a half set, n <= 8. */
static inline uint64_t low_bytes(size_t n)
{
	return n >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * n)) - 1;
}

#define VOCAB_MAXLEN 16 /* longer words are no number word nor in a list */

/* Half h (bytes 8h to 8h+7) of the literal w[0..n), lower-cased and
 * NUL-padded as a token's: a constant where w is a literal (written out,
 * not a loop, so that the compiler folds it). */
#define LIT_BYTE(w, n, i) ((uint64_t)((i) < (n) ? lc((unsigned char)(w)[i]) : 0) << (8 * ((i) % 8)))
#define LIT_HALF(w, n, h)                                                                 \
	(LIT_BYTE(w, n, 8 * (h)) | LIT_BYTE(w, n, 8 * (h) + 1) | LIT_BYTE(w, n, 8 * (h) + 2) | \
	 LIT_BYTE(w, n, 8 * (h) + 3) | LIT_BYTE(w, n, 8 * (h) + 4) | LIT_BYTE(w, n, 8 * (h) + 5) | \
	 LIT_BYTE(w, n, 8 * (h) + 6) | LIT_BYTE(w, n, 8 * (h) + 7))

/* Tests for one word, after the token's kind has narrowed what it can be:
 * the length decides most of them, one compare (two past 8 bytes) the
 * rest, against the halves the tokenizer made. is() takes a literal, so
 * that its length and halves are constants. */
#define is(s, t, w)                                                                  \
	word_is((s), (t), "" w, sizeof(w) - 1, LIT_HALF(w, sizeof(w) - 1, 0),        \
		LIT_HALF(w, sizeof(w) - 1, 1))
static inline int word_is(const char *s, const tok *t, const char *w, size_t n, uint64_t lo,
			  uint64_t hi)
{
	if (t->e - t->s != n)
		return 0;
	if (n >= VOCAB_MAXLEN) { /* no halves: compared in place */
		const char *p = s + t->s;
		for (size_t i = 0; i < n; i++)
			if (lc((unsigned char)p[i]) != lc((unsigned char)w[i]))
				return 0;
		return 1;
	}
	return t->lo == lo && (n <= 8 || t->hi == hi);
}

static const char *const units[] = {"zero", "one", "two", "three", "four", "five", "six",
	"seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
	"fifteen", "sixteen", "seventeen", "eighteen", "nineteen", NULL};
static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty",
	"seventy", "eighty", "ninety", NULL};

/* The words a count phrase may start with besides figures and number words. */
static const char *const starters[] = {"most", "the", "all", "another", "at", "more", "over",
	"nearly", "almost", "up", "as", "about", "around", "roughly", "approximately", "some",
	"a", "an", "between", "tens", "dozens", "hundreds", "thousands", "several", "hundred",
	"half", NULL};

static const char *const person_nouns[] = {"women", "woman", "men", "man", "defectors",
	"defector", "refugees", "refugee", "people", "persons", "person", "North Koreans",
	"Koreans", "Korean", "nationals", "national", "foreigners", "foreigner", "citizens",
	"citizen", "members", "children", "child", "girls", "girl", "boys", "boy",
	"teenagers", "orphans", "suspects", "suspect", "helpers", "missionaries",
	"missionary", "brides", "escapees", "individuals", "inmates", "prisoners",
	"victims", "residents", "families", "males", "females", "infants", "infant",
	"baby", "activists", "brokers", "traffickers", "Chinese", "others", "minors",
	"minor", "wives", "wife", "smugglers", "guards", "students", "workers", "soldiers", "mothers",
	"sons", "son", "daughters", "daughter", "sisters", "brothers", "parents", "relatives",
	"grandchildren", "clients", "client", "passengers", "couriers", "drivers", "guides",
	NULL};
static const char *const describers[] = {"North", "South", "Korean", "Chinese", "young",
	"female", "male", "ethnic", "other", "more", "remaining", "defector", "refugee",
	"Vietnamese", "Lao", "Laotian", "Thai", "Russian", "Mongolian", "foreign",
	"unmarried", "pregnant", "elderly", "older", "teenage", "adult", "fellow",
	"undocumented", "illegal", "registered", "escaped", "detained", "arrested",
	"missing", "former", NULL};

/* Words that may follow a noun for people: verbs and prepositions. */
static const char *const link_words[] = {"were", "was", "are", "is", "had", "have", "has",
	"who", "and", "or", "in", "at", "on", "from", "to", "with", "by", "of", "for", "into",
	"near", "across", "had", "would", "could", "will", "may", "might", "also", "still",
	"remain", "remained", "said", "say", "says", "being", "been", "all", "each", "among",
	"inside", "out", "but", NULL};

/* Not people: "the three years", "the 18 days". */
static const char *const things[] = {"years", "days", "months", "weeks", "rooms", "sessions",
	"times", "percent", "hours", "cases", "occasions", "trips", "counts", "charges", NULL};

static const char *const fem[] = {"women", "woman", "female", "females", "girls", "girl",
	"wives", "wife", "mother", "mothers", "brides", "bride", "she", "her", "sister", "sisters",
	"daughter", "daughters", NULL};
static const char *const mal[] = {"men", "man", "male", "males", "boys", "boy", "husband",
	"he", "him", "his", "brother", "father", "brothers", "son", "sons", NULL};

/* The words that make a count phrase (see W_KEY): "most of", "the trio",
 * "half a dozen", vague numbers. Number words and figures are keys too. */
static const char *const key_words[] = {"most", "trio", "pair", "couple", "dozen", "half", "dozens",
	"hundreds", "thousands", "tens", "several", "handful", NULL};
static const char *const articles[] = {"a", "an", NULL};
/* "Ms. Ri", "Mr. Kim": one person named with a title; "she and her two
 * sons": one person heading a family */
static const char *const titles[] = {"ms", "mrs", "mr", "miss", "she", "he", NULL};

static const struct {
	const char *const *words;
	unsigned kind;
} word_lists[] = {{starters, W_START}, {person_nouns, W_PERSON}, {describers, W_DESCRIBER},
	{link_words, W_LINK}, {things, W_THING}, {fem, W_FEM}, {mal, W_MAL}, {key_words, W_KEY},
	{articles, W_ARTICLE}, {titles, W_START | W_KEY}};

/* Every word of the lists above and every number word, lower-cased, with
 * its kind and value: a token is looked up once, when it is made, where
 * each test against a list compared it with every word of the list.
 *
 * The lookup runs once per word of every sentence, so it reads a word as
 * two 8-byte halves (lower-cased, NUL-padded to VOCAB_MAXLEN as the table
 * holds them): a multiply hashes them and two compares decide a slot, with
 * no loop over the letters. */
#define VOCAB_SLOTS 1024
typedef struct vword {
	uint64_t lo, hi; /* the word's bytes 0-7 and 8-15, padded with NULs */
	unsigned char len; /* 0: an empty slot */
	unsigned kind;
	long num; /* its value as a number word, else -1 */
} vword;
static vword vocab[VOCAB_SLOTS];
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;

/* Bytes as the tokenizer sees them (ASCII only, as the scanner always
 * did): a table lookup per byte instead of a chain of comparisons.
 * B_JOIN: the bytes that may continue a word when what follows allows. */
enum { B_ALNUM = 1, B_JOIN = 2 };
static unsigned char bclass[256], blower[256];

/* The slot of a word's halves: where it is, or the empty one where it
 * would go. */
static vword *vocab_slot(uint64_t lo, uint64_t hi)
{
	uint64_t x = (lo ^ (hi * 0xff51afd7ed558ccdu)) * 0x9e3779b97f4a7c15u;
	for (size_t h = (size_t)(x >> 54);; h = (h + 1) & (VOCAB_SLOTS - 1)) { /* 10 bits */
		vword *v = &vocab[h];
		if (!v->len || (v->lo == lo && v->hi == hi))
			return v;
	}
}

static void vocab_add(const char *w, unsigned kind, long num)
{
	unsigned char low[VOCAB_MAXLEN] = {0};
	size_t n = strlen(w);
	if (n == 0 || n >= VOCAB_MAXLEN)
		abort(); /* a word added to a list longer than the table holds */
	for (size_t i = 0; i < n; i++)
		low[i] = (unsigned char)lc((unsigned char)w[i]);
	vword *v = vocab_slot(load8(low), load8(low + 8));
	if (!v->len) {
		v->lo = load8(low);
		v->hi = load8(low + 8);
		v->len = (unsigned char)n;
		v->num = -1;
	}
	v->kind |= kind;
	if (num >= 0)
		v->num = num;
}

static void vocab_build(void)
{
	for (int c = 0; c < 256; c++) {
		blower[c] = (unsigned char)lc((unsigned char)c);
		bclass[c] = (unsigned char)((blower[c] >= 'a' && blower[c] <= 'z') ||
						    digit((unsigned char)c)
					    ? B_ALNUM
					    : 0);
	}
	bclass['\''] = bclass['-'] = bclass[','] = B_JOIN;
	for (size_t l = 0; l < sizeof word_lists / sizeof word_lists[0]; l++)
		for (size_t i = 0; word_lists[l].words[i]; i++)
			vocab_add(word_lists[l].words[i], word_lists[l].kind, -1);
	for (int i = 0; units[i]; i++)
		vocab_add(units[i], W_START | W_KEY, i);
	for (int i = 2; tens[i]; i++) {
		vocab_add(tens[i], W_START | W_KEY, 10L * i);
		for (int u = 1; u <= 9; u++) {
			char b[VOCAB_MAXLEN];
			size_t tl = strlen(tens[i]), ul = strlen(units[u]);
			if (tl + 1 + ul >= sizeof b)
				abort();
			memcpy(b, tens[i], tl);
			b[tl] = '-';
			memcpy(b + tl + 1, units[u], ul + 1);
			vocab_add(b, W_START | W_KEY, 10L * i + u);
		}
	}
	vocab_add("hundred", W_START | W_KEY, 100);
}

/* The entry of any bytes w[0..n) (ASCII case folded), or NULL. */
static const vword *vocab_find(const char *w, size_t n)
{
	unsigned char low[VOCAB_MAXLEN] = {0};
	if (n == 0 || n >= VOCAB_MAXLEN)
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = blower[(unsigned char)w[i]];
	const vword *v = vocab_slot(load8(low), load8(low + 8));
	return v->len ? v : NULL;
}

/* The halves of a token w[0..n) that lies in a text ending at end, into
 * t: its bytes are letters, digits, '\'', '-' and ',', for which c | 0x20
 * folds case as blower does, and none is a NUL, so halves match only the
 * whole word. Both 0 where it is VOCAB_MAXLEN bytes or longer. */
static inline void halves(tok *t, const unsigned char *w, size_t n, const unsigned char *end)
{
	const uint64_t fold = 0x2020202020202020u;
	if (n >= VOCAB_MAXLEN) {
		t->lo = t->hi = 0;
	} else if (end - w >= VOCAB_MAXLEN) { /* read in place */
		if (n >= 8) {
			t->lo = load8(w) | fold;
			t->hi = (load8(w + 8) | fold) & low_bytes(n - 8);
		} else {
			t->lo = (load8(w) | fold) & low_bytes(n);
			t->hi = 0;
		}
	} else { /* near the end of the text: copied */
		unsigned char low[VOCAB_MAXLEN] = {0};
		for (size_t i = 0; i < n; i++)
			low[i] = w[i] | 0x20;
		t->lo = load8(low);
		t->hi = load8(low + 8);
	}
}

long cb_number_parse(const char *w, size_t n)
{
	if (n == 0 || n > 40)
		return -1;
	if (cb_isdigit((unsigned char)w[0])) {
		long v = 0;
		for (size_t i = 0; i < n; i++) {
			if (w[i] == ',')
				continue;
			if (!cb_isdigit((unsigned char)w[i]))
				return -1;
			if (v > 100000000L)
				return -1;
			v = v * 10 + (w[i] - '0');
		}
		return v;
	}
	pthread_once(&vocab_once, vocab_build);
	const vword *v = vocab_find(w, n);
	return v ? v->num : -1;
}

/* Words of s, each with its kind and value; a comma or "--" standing alone
 * becomes its own token. A figure is marked W_KEY, and so is an article
 * that a person word follows close enough for phrase() (the article, up to
 * four describers, the noun). Returns the number of tokens; bit i of
 * keys[] (MAXTOK bits) is set where token i is marked W_KEY. */
static size_t tokenize(tok *t, size_t max, const char *s, size_t len, uint64_t *keys)
{
	const unsigned char *p = (const unsigned char *)s, *end, *q = p;
	size_t n = 0, article = (size_t)-1; /* the last "a"/"an" */
	pthread_once(&vocab_once, vocab_build);
	memset(keys, 0, MAXTOK / 8);
	if (max > MAXTOK)
		max = MAXTOK; /* what keys[] holds */
	if (!len)
		return 0;
	end = p + len;
	/* pointers, and the bounds tested once per byte: the loops below are
	 * the per-byte cost of every sentence */
	while (n < max) {
		while (q < end && !bclass[*q])
			q++;
		if (q == end)
			break;
		const unsigned char *w = q;
		if (!(bclass[*q] & B_ALNUM)) {
			/* a comma or "--" standing alone is a token, a lone '-' or
			 * '\'' nothing */
			if (*q == ',' || (*q == '-' && q + 1 < end && q[1] == '-')) {
				q += *q == ',' ? 1 : 2;
				t[n].s = (size_t)(w - p);
				t[n].e = (size_t)(q - p);
				halves(&t[n], w, (size_t)(q - w), end);
				t[n].num = -1;
				t[n].kind = 0;
				n++;
			} else {
				q++;
			}
			continue;
		}
		int joined = 0; /* past a '\'' or '-' */
		for (q++;;) {
			/* two bytes a bound test */
			while (end - q >= 2 && (bclass[q[0]] & bclass[q[1]] & B_ALNUM))
				q += 2;
			if (q < end && (bclass[*q] & B_ALNUM))
				q++;
			if (q == end || !(bclass[*q] & B_JOIN))
				break;
			if (*q == '\'' || (*q == '-' && !(q + 1 < end && q[1] == '-')))
				q++, joined = 1;
			/* a comma inside a word only between digits ("2,000") */
			else if (*q == ',' && q + 1 < end && digit(q[1]) && digit(q[-1]))
				q++;
			else
				break;
		}
		/* not past w[0], a letter or digit */
		if (joined)
			while (q[-1] == '-' || q[-1] == '\'')
				q--;
		size_t wl = (size_t)(q - w);
		t[n].s = (size_t)(w - p);
		t[n].e = (size_t)(q - p);
		halves(&t[n], w, wl, end);
		t[n].num = -1;
		t[n].kind = 0;
		if (digit(*w)) {
			t[n].num = cb_number_parse((const char *)w, wl);
			t[n].kind = W_START | W_KEY;
			keys[n >> 6] |= (uint64_t)1 << (n & 63);
		} else if (wl < VOCAB_MAXLEN) {
			const vword *v = vocab_slot(t[n].lo, t[n].hi);
			if (v->len) {
				t[n].num = v->num, t[n].kind = v->kind;
				if (v->kind & W_KEY)
					keys[n >> 6] |= (uint64_t)1 << (n & 63);
				if (v->kind & W_ARTICLE)
					article = n;
				/* the article, up to four describers, the noun */
				else if ((v->kind & W_PERSON) && article != (size_t)-1 &&
					 n - article <= 5) {
					t[article].kind |= W_KEY;
					keys[article >> 6] |= (uint64_t)1 << (article & 63);
				}
			}
		}
		n++;
	}
	return n;
}

static int is_describer(const char *s, const tok *t)
{
	if (t->kind & W_DESCRIBER)
		return 1;
	/* "25-year-old", "11-month-old" */
	size_t n = t->e - t->s;
	return n > 4 && strncasecmp(s + t->e - 4, "-old", 4) == 0;
}

/* Gender of the people named by tokens [a, b). */
static char gender_toks(const tok *t, size_t a, size_t b)
{
	unsigned k = 0;
	for (size_t i = a; i < b; i++)
		k |= t[i].kind;
	int f = (k & W_FEM) != 0, m = (k & W_MAL) != 0;
	return f && m ? 'x' : f ? 'f' : m ? 'm' : 0;
}

/* Nationality of the people named by tokens [a, b) of s. */
static const char *nationality_toks(const char *s, const tok *t, size_t a, size_t n)
{
	const char *nat = "";
	for (size_t i = a; i < n; i++) {
		if (is(s, &t[i], "North") && i + 1 < n &&
		    (is(s, &t[i + 1], "Korean") || is(s, &t[i + 1], "Koreans")))
			nat = "KP", i++;
		else if (is(s, &t[i], "South") && i + 1 < n &&
			 (is(s, &t[i + 1], "Korean") || is(s, &t[i + 1], "Koreans")))
			nat = "KR", i++;
		else if (is(s, &t[i], "Chinese"))
			nat = "CN";
		else if (is(s, &t[i], "Vietnamese"))
			nat = "VN";
		else if (is(s, &t[i], "Lao") || is(s, &t[i], "Laotian"))
			nat = "LA";
		else if (is(s, &t[i], "Thai"))
			nat = "TH";
		else if (!*nat && (is(s, &t[i], "defectors") || is(s, &t[i], "defector") ||
				   is(s, &t[i], "refugees") || is(s, &t[i], "refugee") ||
				   is(s, &t[i], "escapees")))
			nat = "KP";
	}
	return nat;
}

char cb_gender_of(const char *s, size_t len)
{
	tok t[MAXTOK];
	uint64_t keys[MAXTOK / 64];
	return gender_toks(t, 0, tokenize(t, MAXTOK, s, len, keys));
}

const char *cb_nationality_of(const char *s, size_t len)
{
	tok t[MAXTOK];
	uint64_t keys[MAXTOK / 64];
	return nationality_toks(s, t, 0, tokenize(t, MAXTOK, s, len, keys));
}

/* A quantity at token i: sets min, max and vague; returns tokens used (0 if none). */
static size_t quantity(const char *s, const tok *t, size_t n, size_t i, long *min, long *max,
		       int *vague)
{
	size_t k = i;
	enum { EXACT, ATLEAST, MORETHAN, NEARLY, UPTO } mod = EXACT;
	*vague = 0;
	if (k + 1 < n && is(s, &t[k], "at") && (is(s, &t[k + 1], "least")))
		mod = ATLEAST, k += 2;
	else if (k + 1 < n && (is(s, &t[k], "more") || is(s, &t[k], "over")) &&
		 is(s, &t[k + 1], "than"))
		mod = MORETHAN, k += 2;
	else if (k < n && (is(s, &t[k], "over")))
		mod = MORETHAN, k += 1;
	else if (k < n && (is(s, &t[k], "nearly") || is(s, &t[k], "almost")))
		mod = NEARLY, k += 1;
	else if (k + 1 < n && is(s, &t[k], "up") && is(s, &t[k + 1], "to"))
		mod = UPTO, k += 2;
	else if (k + 2 < n && is(s, &t[k], "as") && is(s, &t[k + 1], "many") &&
		 is(s, &t[k + 2], "as"))
		mod = UPTO, k += 3;
	else if (k < n && (is(s, &t[k], "about") || is(s, &t[k], "around") ||
			   is(s, &t[k], "roughly") || is(s, &t[k], "approximately") ||
			   is(s, &t[k], "some")) && k + 1 < n &&
		 t[k + 1].num >= 0)
		k += 1;
	else if (k + 2 < n && is(s, &t[k], "a") && is(s, &t[k + 1], "total") &&
		 is(s, &t[k + 2], "of"))
		k += 3;
	if (k >= n)
		return 0;
	long lo, hi;
	/* between N and M */
	if (is(s, &t[k], "between") && k + 3 < n) {
		long a = t[k + 1].num;
		long b = t[k + 3].num;
		if (a >= 0 && b >= a && is(s, &t[k + 2], "and")) {
			*min = a;
			*max = b;
			return k + 4 - i;
		}
		return 0;
	}
	if (k + 2 < n && is(s, &t[k], "tens") && is(s, &t[k + 1], "of") &&
	    is(s, &t[k + 2], "thousands")) {
		*min = 20000, *max = 99999, *vague = 1;
		k += 3;
		if (k < n && is(s, &t[k], "of"))
			k++;
		return k - i;
	}
	if (is(s, &t[k], "dozens") || is(s, &t[k], "hundreds") || is(s, &t[k], "thousands")) {
		if (is(s, &t[k], "dozens"))
			lo = 24, hi = 99;
		else if (is(s, &t[k], "hundreds"))
			lo = 200, hi = 999;
		else
			lo = 2000, hi = 9999;
		*vague = 1;
		k++;
		if (k < n && is(s, &t[k], "of"))
			k++;
		*min = lo, *max = hi;
		return k - i;
	}
	if (is(s, &t[k], "several") || (k + 1 < n && is(s, &t[k], "a") &&
					is(s, &t[k + 1], "handful"))) {
		k += is(s, &t[k], "several") ? 1 : 2;
		if (k < n && is(s, &t[k], "of"))
			k++;
		*min = 3, *max = 9, *vague = 1;
		return k - i;
	}
	long v;
	/* "a dozen", "at least a dozen", "half a dozen" */
	if (k + 1 < n && is(s, &t[k], "a") && is(s, &t[k + 1], "dozen")) {
		v = 12;
		k += 2;
	} else if (k + 2 < n && is(s, &t[k], "half") && is(s, &t[k + 1], "a") &&
		   is(s, &t[k + 2], "dozen")) {
		v = 6;
		k += 3;
	} else {
		if ((is(s, &t[k], "a") || is(s, &t[k], "an")) && mod == EXACT) {
			*min = *max = 1;
			return k + 1 - i;
		}
		/* "70-80" in one token */
		const char *w = s + t[k].s;
		size_t wl = t[k].e - t[k].s;
		const char *dash = memchr(w, '-', wl);
		if (dash && cb_isdigit((unsigned char)w[0])) {
			long a = cb_number_parse(w, (size_t)(dash - w));
			long b = cb_number_parse(dash + 1, wl - (size_t)(dash - w) - 1);
			if (a >= 0 && b > a) {
				*min = a, *max = b;
				return k + 1 - i;
			}
			return 0;
		}
		if ((v = t[k].num) < 0)
			return 0;
		k++;
	}
	/* "two million" is not a count of people in these reports; "hundred" is */
	if (k < n && is(s, &t[k], "hundred"))
		v *= 100, k++;
	if (k < n && is(s, &t[k], "thousand"))
		v *= 1000, k++;
	lo = hi = v;
	/* N to M, N or M */
	if (k + 1 < n && (is(s, &t[k], "to") || is(s, &t[k], "or"))) {
		long b = t[k + 1].num;
		if (b > v)
			hi = b, k += 2;
	}
	switch (mod) {
	case ATLEAST: hi = CB_COUNT_NONE; break;
	case MORETHAN: lo = v + 1; hi = CB_COUNT_NONE; break;
	case NEARLY: {
		/* "nearly 2,000": 1800..1999; "nearly 8": 7..7 (a tenth below,
		 * at least one, never above the top) */
		long top = (hi > v ? hi : v) - 1;
		hi = top > 0 ? top : 0;
		lo = v - (v >= 10 ? v / 10 : 1);
		lo = lo < 0 ? 0 : lo > hi ? hi : lo;
		break;
	}
	case UPTO: lo = CB_COUNT_NONE; break;
	default: break;
	}
	*min = lo, *max = hi;
	return k - i;
}

/* Whether a count phrase can start at t: a starter, a number word or a
 * figure (which the tokenizer marks W_START too). */
static inline int may_start(const tok *t)
{
	return (t->kind & W_START) != 0;
}

/* One relative named after "his", "her", "their": "and her son". */
static int one_relative(const char *s, const tok *t)
{
	return is(s, t, "son") || is(s, t, "daughter") || is(s, t, "child") || is(s, t, "baby") ||
	       is(s, t, "wife") || is(s, t, "husband") || is(s, t, "mother") ||
	       is(s, t, "father") || is(s, t, "brother") || is(s, t, "sister");
}

/* A count phrase at token i; returns tokens used, 0 if none. */
static size_t phrase(const char *s, const tok *t, size_t n, size_t i, cb_count *c)
{
	long lo, hi;
	int vague;
	if (i >= n || !may_start(&t[i]))
		return 0;
	memset(c, 0, sizeof *c);
	c->min = c->max = CB_COUNT_NONE;
	/* "most of those executed", "most of the victims" */
	if (i + 2 < n && is(s, &t[i], "most") && is(s, &t[i + 1], "of") &&
	    (is(s, &t[i + 2], "those") || is(s, &t[i + 2], "the") || is(s, &t[i + 2], "them"))) {
		c->most_of = 1;
		c->start = t[i].s;
		c->end = t[i + 2].e;
		return 3;
	}
	/* "Ms. Ri", "Mrs. Kim", "Mr. Park": one named person (the title's
	 * stop, then a name) */
	if (i + 1 < n && (is(s, &t[i], "ms") || is(s, &t[i], "mrs") || is(s, &t[i], "mr") ||
			  is(s, &t[i], "miss"))) {
		int miss = is(s, &t[i], "miss");
		if ((miss || s[t[i].e] == '.') && t[i + 1].s <= t[i].e + 2 &&
		    s[t[i + 1].s] >= 'A' && s[t[i + 1].s] <= 'Z') {
			c->min = c->max = 1;
			c->person = 1;
			c->gender = is(s, &t[i], "mr") ? 'm' : 'f';
			c->start = t[i].s, c->end = t[i + 1].e;
			return 2;
		}
		return 0;
	}
	/* "she and her two sons", "he and his wife": one person, whose family
	 * the compound below adds */
	if (i + 2 < n && (is(s, &t[i], "she") || is(s, &t[i], "he")))  {
		if (!is(s, &t[i + 1], "and") ||
		    !(is(s, &t[i + 2], "her") || is(s, &t[i + 2], "his") || is(s, &t[i + 2], "their")))
			return 0;
		c->min = c->max = 1;
		c->person = 1;
		c->start = t[i].s, c->end = t[i].e;
		return 1;
	}
	/* "the trio", "the pair", "both" */
	if (i + 1 < n && is(s, &t[i], "the") && (is(s, &t[i + 1], "trio") || is(s, &t[i + 1], "pair"))) {
		c->min = c->max = is(s, &t[i + 1], "trio") ? 3 : 2;
		c->start = t[i].s, c->end = t[i + 1].e;
		return 2;
	}
	/* "a couple", "the couple": two people, a man and a woman ("a couple
	 * of days" is a few of a thing) */
	if (i + 1 < n && (is(s, &t[i], "the") || is(s, &t[i], "a")) && is(s, &t[i + 1], "couple") &&
	    !(i + 2 < n && is(s, &t[i + 2], "of"))) {
		c->min = c->max = 2;
		c->gender = 'x';
		c->person = 1;
		c->start = t[i].s, c->end = t[i + 1].e;
		return 2;
	}
	size_t k = i;
	int bare_ok = 0;
	if (k < n && (is(s, &t[k], "the") || is(s, &t[k], "all") || is(s, &t[k], "another"))) {
		bare_ok = !is(s, &t[k], "another");
		k++;
		if (k < n && (is(s, &t[k], "other") || is(s, &t[k], "remaining")))
			k++, bare_ok = 1;
	}
	size_t q = quantity(s, t, n, k, &lo, &hi, &vague);
	if (q == 0)
		return 0;
	/* "a" alone must be followed by a person word soon ("a man", "a 25-year-old woman") */
	int is_article = is(s, &t[k], "a") || is(s, &t[k], "an");
	if (is_article && k != i)
		return 0;
	size_t j = k + q;
	c->min = lo, c->max = hi, c->vague = vague;
	c->start = t[i].s;
	/* "nine of the ten", "20 of the defectors", "13 of them" */
	if (!is_article && j < n && is(s, &t[j], "of") && j + 1 < n &&
	    (is(s, &t[j + 1], "the") || is(s, &t[j + 1], "them") || is(s, &t[j + 1], "those"))) {
		c->end = t[j + 1].e;
		c->person = 1;
		size_t m = j + 2;
		if (m < n && t[m].num >= 0)
			c->end = t[m].e, m++;
		else if (m < n && (t[m].kind & W_PERSON))
			c->end = t[m].e, m++;
		return m - i;
	}
	/* "one of their clients", "two of these women": a part of people
	 * named after a possessive or a demonstrative */
	if (!is_article && j + 2 < n && is(s, &t[j], "of") &&
	    (is(s, &t[j + 1], "their") || is(s, &t[j + 1], "these") || is(s, &t[j + 1], "our") ||
	     is(s, &t[j + 1], "his") || is(s, &t[j + 1], "her")) &&
	    (t[j + 2].kind & W_PERSON)) {
		c->person = 1;
		c->end = t[j + 2].e;
		return j + 3 - i;
	}
	size_t d = 0;
	while (j + d < n && d < 4 && is_describer(s, &t[j + d]) && !(t[j + d].kind & W_PERSON))
		d++;
	/* "North Koreans": "North" is a describer, "Koreans" the noun */
	if (j + d < n && (t[j + d].kind & W_PERSON)) {
		/* "Chinese men", "Korean women": the last noun of the run */
		while (j + d + 1 < n && (t[j + d + 1].kind & W_PERSON))
			d++;
		/* "a Chinese passport", "two Korean cities": a nationality word
		 * before a thing is an adjective; before a verb or a preposition
		 * ("five Chinese were", "a Korean in") it names people */
		if ((is(s, &t[j + d], "Chinese") || is(s, &t[j + d], "Korean")) && j + d + 1 < n &&
		    cb_islower((unsigned char)s[t[j + d + 1].s]) && !(t[j + d + 1].kind & W_LINK))
			return 0;
		c->person = 1;
		c->end = t[j + d].e;
		return j + d + 1 - i;
	}
	if (is_article || vague)
		return 0;
	/* bare: "the nine", "five more", "all three", "another 18" */
	if (bare_ok || (j < n && is(s, &t[j], "more"))) {
		if (j < n && is(s, &t[j], "more"))
			j++;
		/* not "the three years", "the 18 days", nor past a word or two
		 * of description: "the three interrogation sessions" */
		for (size_t w = j; w < n && w < j + 3; w++) {
			if (t[w].kind & W_THING)
				return 0;
			if (!cb_islower((unsigned char)s[t[w].s]) || (t[w].kind & W_LINK))
				break;
		}
		c->end = t[j - 1].e;
		return j - i;
	}
	return 0;
}

/* Past an age given after a noun for people, from token j: "between 15 and
 * 23 years old", "aged 20", "aged 20 to 30", "aged between 20 and 30",
 * "in their twenties" (up to "old"/"of age" when given). Returns the token
 * after it, or j if there is none. */
static size_t skip_age(const char *s, const tok *t, size_t n, size_t j)
{
	size_t k = j;
	int num = 0;
	if (k < n && is(s, &t[k], "aged"))
		k++;
	if (k + 2 < n && is(s, &t[k], "in") && is(s, &t[k + 1], "their") &&
	    t[k + 2].e - t[k + 2].s > 4 && !strncasecmp(s + t[k + 2].e - 3, "ies", 3))
		return k + 3;
	if (k < n && is(s, &t[k], "between"))
		k++;
	while (k < n && t[k].num >= 0) {
		num = 1;
		k++;
		if (k + 1 < n && (is(s, &t[k], "and") || is(s, &t[k], "to")) &&
		    t[k + 1].num >= 0)
			k++;
		else
			break;
	}
	if (!num)
		return j;
	if (k < n && (is(s, &t[k], "years") || is(s, &t[k], "year"))) {
		k++;
		if (k < n && is(s, &t[k], "old"))
			k++;
		else if (k + 1 < n && is(s, &t[k], "of") && is(s, &t[k + 1], "age"))
			k += 2;
		return k;
	}
	/* bare numbers only after "aged": "15 and 23" alone could be counts */
	return is(s, &t[j], "aged") ? k : j;
}

/* The first token at or after i whose bit is set in keys (see tokenize),
 * or n if none. */
static size_t next_key(const uint64_t *keys, size_t n, size_t i)
{
	for (size_t w = i >> 6; w << 6 < n; w++) {
		uint64_t m = keys[w] & (w == i >> 6 ? ~(uint64_t)0 << (i & 63) : ~(uint64_t)0);
		if (m)
			return (w << 6) + (size_t)__builtin_ctzll(m);
	}
	return n;
}

size_t cb_counts_find(cb_count *out, size_t max, const char *s, size_t len)
{
	tok t[MAXTOK];
	uint64_t keys[MAXTOK / 64];
	size_t n = tokenize(t, MAXTOK, s, len, keys), nout = 0;
	size_t key = next_key(keys, n, 0); /* the first W_KEY token at or after i */
	for (size_t i = 0; i < n && nout < max;) {
		cb_count c;
		if (key < i)
			key = next_key(keys, n, i);
		if (key == n)
			break;
		if (key > i + KEY_REACH) {
			i = key - KEY_REACH; /* no phrase starts before: none holds a key */
			continue;
		}
		/* most tokens start nothing: not even a call for them */
		size_t used = may_start(&t[i]) ? phrase(s, t, n, i, &c) : 0;
		if (used == 0) {
			i++;
			continue;
		}
		size_t j = i + used;
		if (i > 0 && (is(s, &t[i - 1], "to") || is(s, &t[i - 1], "by") ||
			      is(s, &t[i - 1], "from") || is(s, &t[i - 1], "with")))
			c.after_prep = 1;
		/* A compound: "four foreigners and one Chinese national", also
		 * past an age: "seven males between 15 and 23 years old and two
		 * females", "three women aged 20 to 30 and a boy". */
		for (;;) {
			size_t a = c.person && c.min >= 0 && c.max >= 0 ? skip_age(s, t, n, j) : j;
			cb_count d;
			size_t u;
			if (!(a + 1 < n && is(s, &t[a], "and") && c.person && c.min >= 0 && c.max >= 0))
				break;
			/* a family: "a couple and their two sons", "a woman and her
			 * three children" */
			if (a + 2 < n && (is(s, &t[a + 1], "their") || is(s, &t[a + 1], "her") ||
					  is(s, &t[a + 1], "his"))) {
				a++;
				/* "and her daughter": one */
				if (one_relative(s, &t[a + 1])) {
					c.min++, c.max++;
					c.end = t[a + 1].e;
					j = a + 2;
					continue;
				}
			}
			u = phrase(s, t, n, a + 1, &d);
			if (!u || !d.person || d.min < 0 || d.max < 0)
				break;
			c.min += d.min;
			c.max += d.max;
			c.end = d.end;
			j = a + 1 + u;
		}
		size_t cj = j; /* the tokens of c: [i, cj) */
		/* A breakdown: "12 defectors -- four men and eight women",
		 * "Fifteen people, 13 of them women and two of them men". */
		if (j < n && (is(s, &t[j], "--") || is(s, &t[j], ","))) {
			cb_count d;
			size_t u = phrase(s, t, n, j + 1, &d);
			if (u && d.min >= 0 && c.min >= 0 && d.min <= c.min) {
				size_t e = j + 1 + u;
				while (e + 1 < n && is(s, &t[e], "and")) {
					cb_count d2;
					size_t u2 = phrase(s, t, n, e + 1, &d2);
					if (!u2)
						break;
					d.end = d2.end;
					e += 1 + u2;
				}
				char g = gender_toks(t, j + 1, e);
				if (g)
					c.gender = g;
				j = e;
			}
		}
		if (!c.gender)
			c.gender = gender_toks(t, i, cj);
		const char *nat = nationality_toks(s, t, i, cj);
		memcpy(c.nat, nat, strlen(nat) + 1);
		out[nout++] = c;
		i = j;
	}
	return nout;
}
