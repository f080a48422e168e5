/*
 * docmeta.c: the document record of a report (see docmeta.h).
 *
 * How each field is read:
 *   boilerplate  line by line, from the patterns in data/docmeta/boilerplate.tsv
 *                (weather widgets and the city/date lines under them, "Read
 *                in Korean", contact and copyright lines, captions, source
 *                lists, the headlines listed under "Most Popular
 *                Articles"), navigation and header bars (segments between
 *                "|", "·" or "•" holding a site or section name, a date, the
 *                weather, "Read in ..."), rows of section names set apart by
 *                wide gaps, a breadcrumb beside a stamp (the stamp itself is
 *                not furniture), and the second copy of a paragraph
 *                repeated verbatim.
 *   published    the article's own stamp, in this order: a wire dateline
 *                ("SEOUL, March 5 (Yonhap) --", the year from the page's
 *                copyright line or the hints when the dateline has none); a
 *                line that is only a date ("May 29, 2013 at 10:59AM",
 *                "Posted Feb. 14, 2012 06:42"), a stamp led by its word
 *                ("Posted by ..., 3 December 2023") or set in a column
 *                beside a breadcrumb, unless it sits under a weather
 *                widget, where it is the site's today (so is a weekday's
 *                date with no time, "Tuesday, March 11, 2025", when the
 *                page has another stamp); a Thai
 *                Buddhist-calendar stamp; then hints.published; then a date
 *                in hints.url; last the date in the site's header bar (the
 *                article's own stamp wins over it).
 *   title        the first line that is neither furniture, a date, a byline
 *                nor a dateline paragraph, if it is headline-sized (but past
 *                a masthead in capitals, "NAME -- LABEL", and its stamp,
 *                the headline standing over the body); else hints.title.
 *   outlet       hints.outlet; else the strongest clue from
 *                data/docmeta/outlets.tsv ("(Yonhap)" in a dateline beats a
 *                copyright line); the site's name heading its header bar,
 *                a masthead "NAME -- ..." or the poster of a stamp line
 *                (names checked against data/docmeta/orgwords.tsv); the
 *                host of hints.url (named through data/docmeta/hosts.tsv);
 *                the owner a copyright line names; a mention in the body.
 *   authors      "By Name Surname", "Reporter: Name" lines; translators:
 *                "Translated by X".
 *
 * Patterns are compiled once per process (pthread_once) and matched without
 * PCRE2's UTF mode, so that no input can make a match fail on encoding; only
 * short lines are matched against the furniture patterns and only the head
 * and tail of a long report are searched for outlet clues, which keeps the
 * pass linear and cheap on a 10 MB single line. Most patterns match nothing
 * in most reports, so a pattern is only tried where what was read off it
 * when the rules were built allows: the bytes a line must start with (lead
 * gates), or literals one of which any match holds and a rare byte it
 * needs, found for every line and outlet window in one pass over the
 * report (literal gates).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "code/docmeta.h"

#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/embed.h"
#include "util/ascii.h"

#define MAX_PATTERNS 96
#define LINE_PATTERN_MAX 600 /* longer lines are report text, not furniture */
#define OUTLET_HEAD 16384
#define OUTLET_TAIL 8192
#define TOP_LINES 12 /* non-blank lines where a site's header may stand */

enum bp_kind { BK_LINE, BK_WEATHER, BK_CAPTION, BK_SOURCES, BK_LIST };

#define MAX_ORGWORDS 128
#define GATE_LITS 64     /* gate literals in all; patterns past them go ungated */
#define GATE_LIT_MAX 48  /* a longer literal is cut: its prefix is as much required */
#define GATE_ALTS 8      /* literals one pattern may need one of */
#define LEAD 4           /* a line's first bytes read off a "^" pattern (see lead_read) */
#define BP_WORDS ((MAX_PATTERNS + 63) / 64)

typedef struct pat {
	pcre2_code *re;
	int kind;           /* enum bp_kind for furniture; priority for outlets */
	const char *outlet; /* outlets only */
	uint64_t lits;      /* the gate literals one of which any match holds; 0: none */
	int need;           /* furniture: a byte (lower case) any match holds; -1: none */
	size_t n_lead;      /* furniture: the line's first places lead[] tells */
	unsigned char lead[LEAD][32]; /* the bytes each may hold for a match, a bit each */
} pat;

static struct rules {
	pat bp[MAX_PATTERNS];
	size_t n_bp;
	/* per first byte of a line, the furniture patterns its lead allows
	 * (all that have none), a bit each */
	uint64_t bp_first[256][BP_WORDS];
	pat out[MAX_PATTERNS];
	size_t n_out;
	/* the gate literals of the patterns (see gate_add); per byte, those
	 * that start with it, those whose second byte it is, and those whose
	 * third byte it is or that have no third */
	struct gate_lit {
		char s[GATE_LIT_MAX]; /* lower case when caseless */
		unsigned char n, caseless;
	} lit[GATE_LITS];
	size_t n_lit;
	uint64_t lit_first[256], lit_second[256], lit_third[256];
	uint64_t lit_two; /* those of two bytes */
	pcre2_code *dateline;
	char *hosts[MAX_PATTERNS][2]; /* host suffix, outlet */
	size_t n_hosts;
	char *orgwords[MAX_ORGWORDS]; /* words of organisation and site names */
	unsigned char orgsite[MAX_ORGWORDS]; /* 1: names a news site only */
	size_t orgword_len[MAX_ORGWORDS];
	size_t n_orgwords;
	char *strings;
	int failed;
	char msg[256];
} R;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static pcre2_code *compile(const char *p, uint32_t opts)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED, opts, &ec, &eo, NULL);
	/* JIT is fine to fail (patterns then run interpreted); it is skipped
	 * when asked, as under valgrind, which cannot follow JIT code. */
	if (re && !getenv("CASEBOOK_NO_JIT"))
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	else
		snprintf(R.msg, sizeof R.msg, "docmeta: bad pattern at %zu: %s", (size_t)eo, p);
	return re;
}

/* ---- literal gates ----
 *
 * Most reports name none of the outlets, yet each outlet pattern would be
 * searched over every report's head. So each pattern is given, when the
 * rules are built, a few literals one of which every match of it contains
 * (read off the pattern below), and one pass over the head tells which
 * literals occur there: a pattern none of whose literals occurs cannot
 * match and is not searched. The reader knows the syntax the tables use;
 * a pattern with anything else in it simply goes ungated.
 */

typedef struct gate {
	size_t n; /* alternatives; 0: no literal known */
	unsigned char len[GATE_ALTS];
	char s[GATE_ALTS][GATE_LIT_MAX];
} gate;

/* The shortest alternative's length: the gate's strength. */
static size_t gate_weakest(const gate *g)
{
	size_t w = g->n ? GATE_LIT_MAX : 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->len[i] < w)
			w = g->len[i];
	return w;
}

static void gate_keep(gate *best, const gate *g)
{
	if (gate_weakest(g) > gate_weakest(best))
		*best = *g;
}

/* Ends the literal run being read, keeping it if it beats *best. */
static void gate_end_run(gate *best, const char *run, size_t *rn)
{
	if (*rn) {
		gate g = {.n = 1};
		g.len[0] = (unsigned char)*rn;
		memcpy(g.s[0], run, *rn);
		gate_keep(best, &g);
	}
	*rn = 0;
}

/* Passes over a quantifier at *pp; returns the least count it allows (1
 * when there is none), or -1 for a "{" that is no quantifier. */
static int gate_quant(const char **pp)
{
	const char *p = *pp;
	int min = 1;
	if (*p == '?' || *p == '*') {
		min = 0;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{') {
		p++;
		if (!cb_isdigit((unsigned char)*p))
			return -1;
		min = 0;
		while (cb_isdigit((unsigned char)*p))
			min = min < 2 ? min * 10 + (*p++ - '0') : 2;
		if (*p == ',')
			for (p++; cb_isdigit((unsigned char)*p); p++)
				;
		if (*p++ != '}')
			return -1;
	} else {
		return 1;
	}
	if (*p == '?' || *p == '+') /* lazy, possessive */
		p++;
	*pp = p;
	return min;
}

static int gate_alts(const char **pp, int top, int caseless, gate *g, int *need);

/* One alternative, up to its "|", ")" or the end: *best gets the
 * strongest of the literals and groups all its matches must hold, and
 * *need (when not NULL) the first byte of those literals that is no letter,
 * digit or space (rare in text), or -1. */
static int gate_seq(const char **pp, int caseless, gate *best, int *need)
{
	const char *p = *pp;
	char run[GATE_LIT_MAX];
	size_t rn = 0;
	best->n = 0;
	while (*p && *p != '|' && *p != ')') {
		char c = *p, lit;
		if (c == '(') {
			gate_end_run(best, run, &rn);
			p++;
			if (*p == '?' && p[1] != ':')
				return -1;
			p += *p == '?' ? 2 : 0;
			gate g;
			if (gate_alts(&p, 0, caseless, &g, NULL) < 0)
				return -1;
			int min = gate_quant(&p);
			if (min < 0)
				return -1;
			if (min > 0)
				gate_keep(best, &g);
			continue;
		}
		if (c == '[' || c == '.' || c == '^' || c == '$' ||
		    (c == '\\' && p[1] && strchr("sSdDwWbB", p[1]))) {
			gate_end_run(best, run, &rn);
			if (c == '[') {
				p++;
				p += *p == '^';
				p += *p == ']';
				for (; *p && *p != ']'; p++)
					if ((*p == '\\' && !*++p) || (*p == '[' && p[1] == ':'))
						return -1;
				if (!*p)
					return -1;
			}
			p += c == '\\' ? 2 : 1;
			if (gate_quant(&p) < 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			if (!p[1] || cb_isalnum((unsigned char)p[1]))
				return -1; /* \x.., \Q, back references: not read here */
			lit = p[1];
			p += 2;
		} else if (strchr("?*+{", c)) {
			return -1;
		} else {
			lit = c;
			p++;
		}
		const char *q = p;
		int min = gate_quant(&p);
		if (min < 0)
			return -1;
		if (min == 0) {
			gate_end_run(best, run, &rn);
			continue;
		}
		if (need && *need < 0 && !cb_isalnum((unsigned char)lit) && lit != ' ')
			*need = (unsigned char)lit;
		run[rn++] = caseless ? (char)cb_tolower((unsigned char)lit) : lit;
		if (p != q || rn == GATE_LIT_MAX - 1)
			gate_end_run(best, run, &rn);
	}
	gate_end_run(best, run, &rn);
	*pp = p;
	return 0;
}

/* Alternatives up to the ")" closing them (past it on return), or to the
 * end of the pattern when top: *g gets every alternative's literals, or
 * none when one alternative has none; *need (when not NULL) the rare byte
 * of the one alternative (see gate_seq), or -1 when there are more. */
static int gate_alts(const char **pp, int top, int caseless, gate *g, int *need)
{
	int none = 0;
	g->n = 0;
	if (need)
		*need = -1;
	for (int alt = 0;; alt++) {
		gate a;
		int nd = -1;
		if (gate_seq(pp, caseless, &a, &nd) < 0)
			return -1;
		if (need)
			*need = alt ? -1 : nd;
		if (!a.n || g->n + a.n > GATE_ALTS)
			none = 1;
		for (size_t i = 0; !none && i < a.n; i++) {
			g->len[g->n] = a.len[i];
			memcpy(g->s[g->n++], a.s[i], a.len[i]);
		}
		if (**pp == '|') {
			(*pp)++;
			continue;
		}
		if ((**pp == ')') == top)
			return -1; /* unbalanced */
		*pp += !top;
		break;
	}
	if (none)
		g->n = 0;
	return 0;
}

/* The gate literals of pattern p (compiled caseless or not; a leading
 * "(?i)" makes it so), entered into R.lit: the mask of them, or 0 when p
 * gives none worth the test. *need gets a byte every match holds, rare in
 * text or all that p gives (lower case when caseless), or -1. */
static uint64_t gate_add(const char *p, int caseless, int *need)
{
	gate g;
	*need = -1;
	if (p[0] == '(' && p[1] == '?' && p[2] != ':') {
		const char *o = p + 2;
		for (; *o && strchr("ims", *o); o++)
			caseless |= *o == 'i';
		if (*o != ')')
			return 0;
		p = o + 1;
	}
	if (gate_alts(&p, 1, caseless, &g, need) < 0)
		return 0;
	if (*need < 0 && g.n == 1 && g.len[0] == 1)
		*need = (unsigned char)g.s[0][0];
	if (gate_weakest(&g) < 2)
		return 0;
	if (R.n_lit + g.n > GATE_LITS)
		return 0;
	uint64_t mask = 0;
	for (size_t i = 0; i < g.n; i++) {
		size_t k = 0;
		while (k < R.n_lit && !(R.lit[k].n == g.len[i] && R.lit[k].caseless == caseless &&
					!memcmp(R.lit[k].s, g.s[i], g.len[i])))
			k++;
		if (k == R.n_lit) {
			struct gate_lit *l = &R.lit[R.n_lit++];
			memcpy(l->s, g.s[i], g.len[i]);
			l->n = g.len[i];
			l->caseless = (unsigned char)caseless;
			for (int b = 0; b < 3 && b < l->n; b++) {
				unsigned char c = (unsigned char)l->s[b];
				uint64_t *t = b == 2 ? R.lit_third : b ? R.lit_second : R.lit_first;
				t[c] |= 1ull << k;
				if (caseless)
					t[toupper(c)] |= 1ull << k;
			}
			if (l->n == 2) {
				R.lit_two |= 1ull << k;
				for (int c = 0; c < 256; c++)
					R.lit_third[c] |= 1ull << k;
			}
		}
		mask |= 1ull << k;
	}
	return mask;
}

/* ---- lead gates ----
 *
 * A furniture pattern that starts with "^" is tried at a line's start
 * only, and most start with a word ("^Advertisement$", "^(?:Latest|Top)
 * ..."). So the bytes each of a line's first LEAD places may hold for a
 * match are read off the pattern when the rules are built, case aside (the
 * furniture patterns are caseless), and a line whose start does not fit is
 * not searched. The reading stops where the places become uncertain: after
 * a repeat, or alternatives of unequal length. An optional element adds
 * its bytes to its place and lets the next element add its own, and the
 * reading stops after that place. Syntax not read here leaves the
 * pattern without a lead.
 */

typedef struct cur {
	size_t p;     /* the place the next element takes */
	size_t known; /* places from here on are uncertain */
} cur;

static void set_bytes(unsigned char *set, unsigned a, unsigned b)
{
	for (unsigned c = a; c <= b; c++)
		set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

/* The bytes \c matches, into set; -1 for an escape not read here. */
static int lead_escape(char c, unsigned char *set)
{
	if (c == 'd') {
		set_bytes(set, '0', '9');
	} else if (c == 'w') {
		set_bytes(set, '0', '9');
		set_bytes(set, 'A', 'Z');
		set_bytes(set, 'a', 'z');
		set_bytes(set, '_', '_');
		set_bytes(set, 0x80, 0xFF);
	} else if (c == 's') {
		set_bytes(set, '\t', '\r');
		set_bytes(set, ' ', ' ');
		set_bytes(set, 0x85, 0x85);
		set_bytes(set, 0xA0, 0xA0);
	} else if (c == 'D' || c == 'W' || c == 'S') {
		set_bytes(set, 0, 0xFF);
	} else if (c && !cb_isalnum((unsigned char)c)) {
		set_bytes(set, (unsigned char)c, (unsigned char)c);
	} else {
		return -1;
	}
	return 0;
}

/* A class "[...]" at *pp (past it on return), its bytes into set. */
static int lead_class(const char **pp, unsigned char *set)
{
	const char *p = *pp + 1;
	unsigned char in[32] = {0};
	int neg = *p == '^';
	p += neg;
	for (int first = 1; *p && (*p != ']' || first); first = 0) {
		unsigned a;
		if (*p == '[' && p[1] == ':')
			return -1;
		if (*p == '\\') {
			if (p[1] && strchr("dwsDWS", p[1])) {
				lead_escape(p[1], in);
				p += 2;
				continue;
			}
			if (!p[1] || cb_isalnum((unsigned char)p[1]))
				return -1;
			a = (unsigned char)p[1];
			p += 2;
		} else {
			a = (unsigned char)*p++;
		}
		if (*p == '-' && p[1] && p[1] != ']') {
			unsigned b = (unsigned char)p[1];
			if (b == '\\' || b == '[' || b < a)
				return -1;
			set_bytes(in, a, b);
			p += 2;
		} else {
			set_bytes(in, a, a);
		}
	}
	if (!*p)
		return -1;
	*pp = p + 1;
	for (int b = 0; b < 32; b++)
		set[b] |= neg ? 0xFF : in[b];
	return 0;
}

static int lead_alts(const char **pp, int top, pat *pt, cur *c);

/* One alternative: its elements fill pt->lead from place c->p on. */
static int lead_seq(const char **pp, pat *pt, cur *c)
{
	const char *p = *pp;
	while (*p && *p != '|' && *p != ')') {
		unsigned char el[32] = {0};
		size_t at = c->p;
		if (*p == '^' || *p == '$' || (*p == '\\' && (p[1] == 'b' || p[1] == 'B'))) {
			p += *p == '\\' ? 2 : 1; /* they match no byte */
			continue;
		}
		if (*p == '(') {
			p++;
			if (*p == '?' && p[1] != ':')
				return -1;
			p += *p == '?' ? 2 : 0;
			cur g = *c;
			if (lead_alts(&p, 0, pt, &g) < 0)
				return -1;
			const char *q = p;
			int min = gate_quant(&p);
			if (min < 0)
				return -1;
			if (min == 0) {
				/* the group's bytes or the next element's take place at */
				size_t k = g.known > at ? at + 1 : at;
				if (c->known > k)
					c->known = k;
				continue;
			}
			if (p != q && g.p < g.known)
				g.known = g.p; /* repeated */
			*c = g;
			continue;
		}
		if (*p == '[') {
			if (lead_class(&p, el) < 0)
				return -1;
		} else if (*p == '.') {
			set_bytes(el, 0, 0xFF);
			p++;
		} else if (*p == '\\') {
			if (lead_escape(p[1], el) < 0)
				return -1;
			p += 2;
		} else if (strchr("?*+{", *p)) {
			return -1;
		} else {
			set_bytes(el, (unsigned char)*p, (unsigned char)*p);
			p++;
		}
		const char *q = p;
		int min = gate_quant(&p);
		if (min < 0)
			return -1;
		if (at < c->known && at < LEAD)
			for (int b = 0; b < 32; b++)
				pt->lead[at][b] |= el[b];
		if (min == 0) {
			if (c->known > at + 1)
				c->known = at + 1;
			continue;
		}
		c->p = at + 1;
		if (p != q && c->known > c->p)
			c->known = c->p; /* repeated */
	}
	*pp = p;
	return 0;
}

/* Alternatives from place c->p, up to the ")" closing them (past it on
 * return), or to the end of the pattern when top, where each must start
 * with "^". c gets where they all end, or the places they all tell. */
static int lead_alts(const char **pp, int top, pat *pt, cur *c)
{
	size_t at = c->p, end = 0, known = c->known;
	int same = 1;
	for (int i = 0;; i++) {
		cur a = {at, c->known};
		if (top && **pp != '^')
			return -1;
		if (lead_seq(pp, pt, &a) < 0)
			return -1;
		size_t told = a.known < a.p ? a.known : a.p;
		if (told < known)
			known = told;
		if (i == 0)
			end = a.p;
		else if (a.p != end)
			same = 0;
		if (**pp == '|') {
			(*pp)++;
			continue;
		}
		if ((**pp == ')') == top)
			return -1; /* unbalanced */
		*pp += !top;
		break;
	}
	/* all of a length and certain: the next element follows at end;
	 * else the places all of them tell are all that is known */
	if (same && known >= end) {
		c->p = end;
	} else {
		c->p = known;
		c->known = known;
	}
	return 0;
}

/* Reads pattern k's lead (none when unread) and enters it in R.bp_first. */
static void lead_read(size_t k, const char *p)
{
	pat *b = &R.bp[k];
	cur c = {0, (size_t)-1};
	memset(b->lead, 0, sizeof b->lead);
	b->n_lead = 0;
	if (lead_alts(&p, 1, b, &c) == 0) {
		b->n_lead = c.known < c.p ? c.known : c.p;
		if (b->n_lead > LEAD)
			b->n_lead = LEAD;
	}
	/* caseless: a letter in either case stands for both */
	for (size_t j = 0; j < b->n_lead; j++)
		for (unsigned x = 'a'; x <= 'z'; x++) {
			unsigned X = x - 32;
			if ((b->lead[j][x >> 3] >> (x & 7) & 1) || (b->lead[j][X >> 3] >> (X & 7) & 1)) {
				set_bytes(b->lead[j], x, x);
				set_bytes(b->lead[j], X, X);
			}
		}
	for (unsigned x = 0; x < 256; x++)
		if (!b->n_lead || (b->lead[0][x >> 3] >> (x & 7) & 1))
			R.bp_first[x][k / 64] |= 1ull << (k % 64);
}

/* Whether furniture pattern k may match the line s[0..n) (n > 0), which
 * holds the gate literals lits: its lead past the first byte (R.bp_first
 * tells that), its literals and its needed byte are there. */
static int bp_may(size_t k, const char *s, size_t n, uint64_t lits)
{
	const pat *b = &R.bp[k];
	for (size_t j = 1; j < b->n_lead; j++) {
		if (j >= n)
			return 0;
		unsigned char x = (unsigned char)s[j];
		if (!(b->lead[j][x >> 3] >> (x & 7) & 1))
			return 0;
	}
	if (b->lits && !(b->lits & lits))
		return 0;
	return b->need < 0 || memchr(s, b->need, n) ||
	       (cb_isalpha(b->need) && memchr(s, toupper(b->need), n));
}

/* Reads "a<TAB>b[<TAB>c]" rows of an embedded file into the tables. */
static void load_file(const char *name, int outlets)
{
	const cb_embedded *e = cb_embedded_find(name);
	if (!e) {
		snprintf(R.msg, sizeof R.msg, "docmeta: data file %s missing", name);
		R.failed = 1;
		return;
	}
	const char *p = (const char *)e->data, *end = p + e->len;
	while (p < end && !R.failed) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[1024];
		const char *s = p;
		p = nl ? nl + 1 : end;
		if (n == 0 || s[0] == '#' || n >= sizeof line)
			continue;
		memcpy(line, s, n);
		line[n] = '\0';
		char *f2 = strchr(line, '\t');
		if (!f2)
			continue;
		*f2++ = '\0';
		char *f3 = strchr(f2, '\t');
		if (f3)
			*f3++ = '\0';
		if (outlets == 3) {
			if (R.n_orgwords == MAX_ORGWORDS)
				continue;
			R.orgsite[R.n_orgwords] = !strcmp(line, "site");
			R.orgword_len[R.n_orgwords] = strlen(f2);
			if (!(R.orgwords[R.n_orgwords++] = strdup(f2)))
				R.failed = 1;
		} else if (outlets == 2) {
			if (R.n_hosts == MAX_PATTERNS)
				continue;
			R.hosts[R.n_hosts][0] = strdup(line);
			R.hosts[R.n_hosts][1] = strdup(f2);
			if (!R.hosts[R.n_hosts][0] || !R.hosts[R.n_hosts][1]) {
				R.failed = 1;
				return;
			}
			R.n_hosts++;
		} else if (outlets) {
			if (!f3 || R.n_out == MAX_PATTERNS)
				continue;
			pat *o = &R.out[R.n_out];
			o->re = compile(f2, 0);
			o->lits = gate_add(f2, 0, &o->need);
			o->kind = atoi(line);
			o->outlet = strdup(f3);
			if (!o->re || !o->outlet) {
				R.failed = 1;
				return;
			}
			R.n_out++;
		} else {
			if (R.n_bp == MAX_PATTERNS)
				continue;
			pat *b = &R.bp[R.n_bp];
			b->kind = !strcmp(line, "weather")   ? BK_WEATHER
				  : !strcmp(line, "caption") ? BK_CAPTION
				  : !strcmp(line, "sources") ? BK_SOURCES
				  : !strcmp(line, "list")    ? BK_LIST
							     : BK_LINE;
			b->re = compile(f2, PCRE2_CASELESS);
			if (!b->re) {
				R.failed = 1;
				return;
			}
			/* a lead that allows a few first bytes is gate enough; other
			 * patterns are gated by their literals */
			lead_read(R.n_bp, f2);
			size_t firsts = 0;
			for (int x = 0; b->n_lead && x < 32; x++)
				firsts += (size_t)__builtin_popcount(b->lead[0][x]);
			b->need = -1;
			if (!b->n_lead || firsts > 64)
				b->lits = gate_add(f2, 1, &b->need);
			R.n_bp++;
		}
	}
}

static void rules_build(void)
{
	load_file("docmeta/boilerplate.tsv", 0);
	load_file("docmeta/outlets.tsv", 1);
	load_file("docmeta/hosts.tsv", 2);
	load_file("docmeta/orgwords.tsv", 3);
	if (R.failed)
		return;
	/* CITY[, Country], DATE [(Agency)] -- : the wire dateline */
	R.dateline = compile("^\\s*[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}"
			     "(?:, [A-Z][A-Za-z.' -]{1,30}?)?,\\s+(.{3,40}?)\\s*"
			     "(?:\\([A-Za-z .-]{2,40}\\))?\\s*(?:--|\xe2\x80\x93|\xe2\x80\x94|-)\\s",
			     0);
	if (!R.dateline)
		R.failed = 1;
}

/* ---- lines ---- */

typedef struct line {
	size_t s, e;      /* trimmed of trailing space; s keeps leading space */
	size_t ts;        /* first non-space byte */
	unsigned char bp; /* boilerplate */
	unsigned char blank;
	unsigned char weather_block; /* under a weather widget */
	unsigned char stamp;         /* a date stamp in a column beside furniture */
	cb_ymd sd;                   /* that stamp's date */
	size_t fs, fe;               /* the furniture beside it, when fe > fs */
	uint64_t lits;               /* the gate literals that start in it */
} line;

typedef struct scan {
	const unsigned char *s;
	size_t len, head, tail, li, nl;
	line *L;
	uint64_t in_head, in_tail;
} scan;

/* Enters the literals m (those whose first three bytes are there) that
 * start at place i. */
static void scan_at(scan *g, size_t i, uint64_t m)
{
	for (; m; m &= m - 1) {
		int k = __builtin_ctzll(m);
		const struct gate_lit *l = &R.lit[k];
		const unsigned char *t = g->s + i, *w = (const unsigned char *)l->s;
		size_t j = 2;
		if (l->n > g->len - i)
			continue;
		if (l->caseless)
			while (j < l->n && (t[j] >= 'A' && t[j] <= 'Z' ? t[j] + 32 : t[j]) == w[j])
				j++;
		else
			while (j < l->n && t[j] == w[j])
				j++;
		if (j < l->n)
			continue;
		if (i + l->n <= g->head)
			g->in_head |= 1ull << k;
		if (i >= g->tail)
			g->in_tail |= 1ull << k;
		while (g->li + 1 < g->nl && g->L[g->li + 1].s <= i)
			g->li++;
		g->L[g->li].lits |= 1ull << k;
	}
}

/* The gate literals that start at places [a, b). */
static void scan_range(scan *g, size_t a, size_t b)
{
	const unsigned char *s = g->s;
	const uint64_t *f = R.lit_first, *sc = R.lit_second, *th = R.lit_third;
	size_t i = a, len = g->len, lim = len < 2 ? 0 : b < len - 2 ? b : len - 2;
	/* four places at a time (the last reading two bytes on): most start
	 * no literal; the third byte weeds out most of the rest */
	for (; i + 4 <= lim; i += 4) {
		uint64_t m0 = f[s[i]] & sc[s[i + 1]], m1 = f[s[i + 1]] & sc[s[i + 2]];
		uint64_t m2 = f[s[i + 2]] & sc[s[i + 3]], m3 = f[s[i + 3]] & sc[s[i + 4]];
		if (!(m0 | m1 | m2 | m3))
			continue;
		if (m0 && (m0 &= th[s[i + 2]]))
			scan_at(g, i, m0);
		if (m1 && (m1 &= th[s[i + 3]]))
			scan_at(g, i + 1, m1);
		if (m2 && (m2 &= th[s[i + 4]]))
			scan_at(g, i + 2, m2);
		if (m3 && (m3 &= th[s[i + 5]]))
			scan_at(g, i + 3, m3);
	}
	for (; i < b && i + 1 < len; i++) {
		uint64_t m = f[s[i]] & sc[s[i + 1]] & (i + 2 < len ? th[s[i + 2]] : R.lit_two);
		if (m)
			scan_at(g, i, m);
	}
}

/* One pass over text[0..len) for the gate literals: each line's (in
 * L[].lits, for the furniture patterns), and those wholly inside the
 * outlet windows [0, head) and [tail, len). A literal holds no newline,
 * so it lies in the line it starts in. Of a line too long for the
 * furniture patterns only the parts in the windows are read. */
static void gate_scan(const char *text, size_t len, line *L, size_t nl, size_t head, size_t tail,
		      uint64_t *in_head, uint64_t *in_tail)
{
	scan g = {(const unsigned char *)text, len, head, tail, 0, nl, L, 0, 0};
	size_t a = 0, b = 0; /* the run of short lines to read */
	for (size_t k = 0; k < nl; k++) {
		size_t ls = L[k].s, le = k + 1 < nl ? L[k + 1].s : len;
		if (L[k].e - L[k].ts <= LINE_PATTERN_MAX) {
			b = le;
			continue;
		}
		scan_range(&g, a, b);
		scan_range(&g, ls, le < head ? le : head);
		scan_range(&g, ls > tail ? ls : tail, le);
		a = b = le;
	}
	scan_range(&g, a, b);
	*in_head = g.in_head;
	*in_tail = g.in_tail;
}

static int match_re(pcre2_code *re, pcre2_match_data *md, const char *s, size_t n)
{
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

/* ASCII letters outnumbered by other letters: a line in another script. */
static int foreign_line(const char *s, size_t n)
{
	size_t ascii = 0, other = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (cb_isalpha(c))
			ascii++;
		else if (c >= 0xC0)
			other++;
	}
	return other > ascii;
}

/* A navigation bar: short segments between " | ", no digits. */
static int nav_line(const char *s, size_t n)
{
	size_t pipes = 0, words = 0, maxw = 0;
	if (n > 160 || !memchr(s, '|', n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (cb_isdigit((unsigned char)s[i]))
			return 0;
		if (s[i] == '|') {
			pipes++;
			if (words > maxw)
				maxw = words;
			words = 0;
		} else if (cb_isalpha((unsigned char)s[i]) && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '|')) {
			words++;
		}
	}
	if (words > maxw)
		maxw = words;
	return pipes >= 1 && maxw <= 4;
}

/* An item of a list of links: "1. Headline", "- Headline", "• Headline". */
static int list_item(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && cb_isdigit((unsigned char)s[i]))
		i++;
	if (i > 0)
		return i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
	if (n > 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
		return 1;
	return n > 4 && !memcmp(s, "\xe2\x80\xa2 ", 4);
}

/* Words that may stand beside a date on a stamp line. */
static int stamp_word(const char *w, size_t n)
{
	static const char *const ok[] = {"at", "posted", "updated", "published", "date", "on",
					 "am", "pm", "a.m", "p.m", "kst", "gmt", "utc", "est",
					 "edt", "ict", "last", "modified", "monday", "tuesday",
					 "wednesday", "thursday", "friday", "saturday", "sunday",
					 "mon", "tue", "wed", "thu", "fri", "sat", "sun", "time",
					 "first", "uploaded", "edited", "created", NULL};
	int digits = 1;
	for (size_t i = 0; i < n; i++)
		if (!cb_isdigit((unsigned char)w[i]) && w[i] != ':' && w[i] != '.')
			digits = 0;
	if (digits)
		return 1;
	/* "12:30PM" */
	size_t k = 0;
	while (k < n && (cb_isdigit((unsigned char)w[k]) || w[k] == ':'))
		k++;
	if (k > 0 && n - k == 2 && (cb_tolower((unsigned char)w[k]) == 'a' ||
				    cb_tolower((unsigned char)w[k]) == 'p') &&
	    cb_tolower((unsigned char)w[k + 1]) == 'm')
		return 1;
	for (int i = 0; ok[i]; i++)
		if (strlen(ok[i]) == n && !strncasecmp(ok[i], w, n))
			return 1;
	return 0;
}

static int residual_ok(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (cb_isalnum(c)) {
			size_t j = i;
			while (j < n && (cb_isalnum((unsigned char)s[j]) || s[j] == ':' || s[j] == '.'))
				j++;
			size_t wl = j - i;
			while (wl > 0 && (s[i + wl - 1] == '.' || s[i + wl - 1] == ':'))
				wl--; /* "Updated:" */
			if (!stamp_word(s + i, wl))
				return 0;
			i = j;
		} else if (c >= 0x80) {
			return 0;
		} else {
			i++;
		}
	}
	return 1;
}

/* Whether s[0..n) holds four digits in a row. Such a run has a digit at a
 * place 3 mod 4, so only those places are looked at first. */
static int four_digits(const char *s, size_t n)
{
	for (size_t i = 3; i < n; i += 4) {
		if (!cb_isdigit((unsigned char)s[i]))
			continue;
		size_t a = i, b = i + 1;
		while (a > 0 && cb_isdigit((unsigned char)s[a - 1]))
			a--;
		while (b < n && cb_isdigit((unsigned char)s[b]))
			b++;
		if (b - a >= 4)
			return 1;
	}
	return 0;
}

/* Does the line open with a weekday ("Tuesday, March 11, 2025") and name
 * no time of day (no "13:10", "4:15PM")? */
static int weekday_date(const char *s, size_t n)
{
	static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday",
		"friday", "saturday", "sunday", NULL};
	int day = 0;
	for (int k = 0; days[k] && !day; k++) {
		size_t dl = strlen(days[k]);
		day = n > dl && !strncasecmp(s, days[k], dl) && !cb_isalpha((unsigned char)s[dl]);
	}
	if (!day)
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == ':' && cb_isdigit((unsigned char)s[i + 1]))
			return 0;
	return 1;
}

/* A line that is only a date stamp; fills *d. */
static int date_line(const char *s, size_t n, cb_ymd *d)
{
	size_t ds, de;
	/* Without a year hint cb_date_parse reads only dates with their year
	 * written, so a line with no four digits in a row is spared the parse
	 * (most lines it is asked about). */
	if (n > 80 || !four_digits(s, n) || !cb_date_parse(d, &ds, &de, s, n, 0))
		return 0;
	return residual_ok(s, ds) && residual_ok(s + de, n - de);
}

/* ---- page furniture made of segments ---- */

/* memmem and memrchr are GNU extensions; these are all that is needed.
 * The first occurrence of nd[0..nn), nn >= 1. memchr looks for the
 * needle's first byte that is no space: spaces are everywhere in text. */
static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn)
{
	size_t j = 0;
	while (j + 1 < nn && nd[j] == ' ')
		j++;
	for (size_t i = 0; nn <= hn && i <= hn - nn; i++) {
		const char *p = memchr(h + i + j, nd[j], hn - nn - i + 1);
		if (!p)
			return NULL;
		i = (size_t)(p - h) - j;
		if (!memcmp(h + i, nd, nn))
			return h + i;
	}
	return NULL;
}

/* The widest gap in s[0..n): 3 for a tab or a run of three spaces or
 * more, 2 for two spaces, else less than 2. */
static size_t gap_width(const char *s, size_t n)
{
	size_t best = 0;
	if (memchr(s, '\t', n))
		return 3;
	/* two spaces in a row have one at an even place: only those are looked at */
	for (size_t i = 0; i < n; i += 2) {
		if (s[i] != ' ')
			continue;
		size_t a = i, b = i + 1;
		while (a > 0 && s[a - 1] == ' ')
			a--;
		while (b < n && s[b] == ' ')
			b++;
		if (b - a >= 3)
			return 3;
		if (b - a > best)
			best = b - a;
	}
	return best;
}

static const char *find_last(const char *s, char c, size_t n)
{
	while (n-- > 0)
		if (s[n] == c)
			return s + n;
	return NULL;
}

typedef struct seg {
	size_t s, e; /* relative to the line */
} seg;

#define BAR_MAX 12

static int space_at(const char *s, size_t n, size_t i)
{
	return s[i] == ' ' || s[i] == '\t' ||
	       ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0);
}

static void trim_seg(const char *s, size_t n, size_t *a, size_t *b)
{
	while (*a < *b && space_at(s, n, *a))
		*a += (unsigned char)s[*a] == 0xC2 ? 2 : 1;
	while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' ||
			   ((unsigned char)s[*b - 1] == 0xA0 && *b - 1 > *a &&
			    (unsigned char)s[*b - 2] == 0xC2)))
		*b -= (unsigned char)s[*b - 1] == 0xA0 ? 2 : 1;
}

/* Width of a bar separator at s[i]: "|", "·" or "•"; 0 if none. */
static size_t bar_sep(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c == '|')
		return 1;
	if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xB7)
		return 2;
	if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0xA2)
		return 3;
	return 0;
}

/* Splits a line at bar separators into trimmed, non-empty segments.
 * Returns their number, or 0 without a separator or past BAR_MAX. */
static size_t bar_split(const char *s, size_t n, seg *g)
{
	size_t k = 0, a = 0, seps = 0;
	for (size_t i = 0;; ) {
		size_t w = i < n ? bar_sep(s, n, i) : 0;
		if (i < n && !w) {
			i++;
			continue;
		}
		size_t x = a, y = i;
		trim_seg(s, n, &x, &y);
		if (y > x) {
			if (k == BAR_MAX)
				return 0;
			g[k].s = x;
			g[k].e = y;
			k++;
		}
		if (i >= n)
			break;
		seps++;
		i += w;
		a = i;
	}
	return seps ? k : 0;
}

/* Splits a line at runs of three or more spaces (or a tab): the columns of
 * a page laid out in text. Returns their number, 0 past max. */
static size_t gap_split(const char *s, size_t n, seg *g, size_t max, size_t gap)
{
	size_t k = 0, a = 0;
	for (size_t i = 0; i <= n;) {
		size_t r = 0;
		int tab = 0;
		while (i + r < n && (s[i + r] == ' ' || s[i + r] == '\t')) {
			tab |= s[i + r] == '\t';
			r++;
		}
		if (i < n && !(r >= gap || (tab && r)) ) {
			i += r ? r : 1;
			continue;
		}
		if (i > a) {
			if (k == max)
				return 0;
			g[k].s = a;
			g[k].e = i;
			k++;
		}
		if (i >= n)
			break;
		i += r;
		a = i;
	}
	return k;
}

/* Words in s[0..n): runs starting with a letter. */
static size_t count_words(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if ((cb_isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0xC0) &&
		    (i == 0 || s[i - 1] == ' '))
			w++;
	return w;
}

/* A weather reading: "14°C", "Sunny, 14 C", "57.2 F". */
static int weather_seg(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!cb_isdigit((unsigned char)s[i]) || (i > 0 && cb_isalnum((unsigned char)s[i - 1])))
			continue;
		size_t j = i;
		while (j < n && (cb_isdigit((unsigned char)s[j]) || s[j] == '.'))
			j++;
		if (j < n && s[j] == ' ')
			j++;
		if (j + 1 < n && (unsigned char)s[j] == 0xC2 && (unsigned char)s[j + 1] == 0xB0)
			return 1;
		if (j < n && (s[j] == 'C' || s[j] == 'F') &&
		    (j + 1 == n || !cb_isalnum((unsigned char)s[j + 1])))
			return 1;
		i = j;
	}
	return 0;
}

enum { SEG_NONE, SEG_SHORT, SEG_DATE, SEG_WEATHER };

/* What one segment of a bar is: a date, a weather reading, a short name or
 * link ("North Korea", "Read in Korean", "Log in"), or none of these (text). */
static int bar_seg_kind(const char *s, size_t n, cb_ymd *d)
{
	if (date_line(s, n, d))
		return SEG_DATE;
	size_t w = count_words(s, n);
	if (weather_seg(s, n) && w <= 4 && n <= 60)
		return SEG_WEATHER;
	if (w <= 5 && n <= 48 && !strchr(".?!", s[n - 1]))
		return SEG_SHORT;
	return SEG_NONE;
}

/* A site's header or navigation bar: segments between "|", "·" or "•",
 * each a site or section name, a date, a weather reading or a link; three
 * or more of them, or fewer with a date or the weather in them. *date gets
 * the bar's date (y 0 if none), *name the first segment. */
static int header_bar(const char *s, size_t n, cb_ymd *date, seg *name)
{
	seg g[BAR_MAX];
	date->y = 0;
	if (n > 300)
		return 0;
	if (!memchr(s, '|', n)) {
		/* a "·" or "•": look only where their lead bytes are */
		int any = 0;
		for (const char *p = s; !any && (p = memchr(p, 0xC2, n - (size_t)(p - s))); p++)
			any = bar_sep(s, n, (size_t)(p - s)) > 0;
		for (const char *p = s; !any && (p = memchr(p, 0xE2, n - (size_t)(p - s))); p++)
			any = bar_sep(s, n, (size_t)(p - s)) > 0;
		if (!any)
			return 0;
	}
	size_t k = bar_split(s, n, g);
	if (k < 2)
		return 0;
	int dated = 0, weather = 0;
	for (size_t i = 0; i < k; i++) {
		cb_ymd d;
		int kind = bar_seg_kind(s + g[i].s, g[i].e - g[i].s, &d);
		if (kind == SEG_NONE)
			return 0;
		if (kind == SEG_DATE && !dated) {
			*date = d;
			dated = 1;
		}
		weather |= kind == SEG_WEATHER;
	}
	if (k < 3 && !dated && !weather)
		return 0;
	*name = g[0];
	return 1;
}

/* A row of section links set apart by wide gaps, in capitals or with each
 * word capitalised: "NEWS   POLITICS   NORTH KOREA   ECONOMY". */
static int gap_nav(const char *s, size_t n, size_t gap)
{
	seg g[16];
	if (n > 200 || gap < 2)
		return 0;
	size_t k = gap_split(s, n, g, 16, 2);
	if (k < 3)
		return 0;
	for (size_t i = 0; i < k; i++) {
		size_t w = 0;
		for (size_t j = g[i].s; j < g[i].e; j++) {
			unsigned char c = (unsigned char)s[j];
			if (cb_isalpha(c)) {
				if (j == g[i].s || s[j - 1] == ' ') {
					if (!cb_isupper(c))
						return 0;
					w++;
				}
			} else if (c != ' ' && c != '&' && c != '-' && c != '\'') {
				return 0;
			}
		}
		if (w == 0 || w > 3)
			return 0;
	}
	return 1;
}

/* A column of furniture beside a stamp: a breadcrumb or a short label. */
static int crumb_column(const char *s, size_t n, int *crumb)
{
	*crumb = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '>' || (i + 1 < n && (unsigned char)s[i] == 0xC2 &&
				    (unsigned char)s[i + 1] == 0xBB) ||
		    (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
		     (unsigned char)s[i + 2] == 0xBA))
			*crumb = 1;
	return n <= 80 && count_words(s, n) <= 8 && !strchr(".?!", s[n - 1]);
}

/* A date stamp set in a column beside page furniture, as on a saved page:
 * "North Korea > Human Rights        Updated: 2023.05.16 17:42". Fills *d;
 * [*fs, *fe) is the breadcrumb beside it (empty when the other columns are
 * no breadcrumb, as a byline is not furniture). */
static int column_stamp(const char *s, size_t n, size_t gap, cb_ymd *d, size_t *fs, size_t *fe)
{
	seg g[6];
	if (n > 200 || gap < 3)
		return 0;
	size_t k = gap_split(s, n, g, 6, 3), di = 6;
	int crumbs = 0;
	if (k < 2)
		return 0;
	for (size_t i = 0; i < k; i++) {
		cb_ymd x;
		int c;
		if (date_line(s + g[i].s, g[i].e - g[i].s, &x)) {
			if (di != 6)
				return 0;
			di = i;
			*d = x;
		} else if (crumb_column(s + g[i].s, g[i].e - g[i].s, &c)) {
			crumbs |= c;
		} else {
			return 0;
		}
	}
	if (di != 0 && di != k - 1)
		return 0;
	*fs = *fe = 0;
	if (crumbs) {
		*fs = g[di == 0 ? 1 : 0].s;
		*fe = g[di == 0 ? k - 1 : k - 2].e;
	}
	return 1;
}

/* "Seoul, 14 January 2025": a press release's place and date, a line of
 * its own (a capitalised place of at most three words, a comma, a date
 * line). */
static int place_date_line(const char *s, size_t n, cb_ymd *d)
{
	if (n < 8 || n > 60 || !cb_isupper((unsigned char)s[0]))
		return 0;
	size_t p = 1, words = 1;
	while (p < n && p < 32 && s[p] != ',') {
		if (s[p] == ' ')
			words++;
		else if (!cb_isalpha((unsigned char)s[p]) && s[p] != '-' && s[p] != '.')
			return 0;
		p++;
	}
	if (p >= n - 2 || s[p] != ',' || s[p + 1] != ' ' || words > 3)
		return 0;
	return date_line(s + p + 2, n - p - 2, d);
}

/* "Posted by a volunteer of X, 3 December 2023", "Updated: Jan. 5, 2024":
 * a stamp led by its word and a colon or "by" (or the date right after it),
 * ending in its date (and time); the date needs its year. "Updated figures
 * released on May 2, 2024 show ..." is report text. */
static int posted_line(const char *s, size_t n, cb_ymd *d)
{
	static const char *const keys[] = {"posted", "published", "updated", "last updated",
					   "first published", "filed", "uploaded", NULL};
	int c = n ? cb_tolower((unsigned char)s[0]) : 0;
	if (n > 200 || (c != 'p' && c != 'u' && c != 'l' && c != 'f')) /* the keys' first letters */
		return 0;
	for (int i = 0; keys[i]; i++) {
		if (keys[i][0] != c)
			continue;
		size_t kl = strlen(keys[i]), a, b;
		if (n <= kl || strncasecmp(s, keys[i], kl) || (s[kl] != ' ' && s[kl] != ':'))
			continue;
		if (!cb_date_parse(d, &a, &b, s, n, 0) || !residual_ok(s + b, n - b))
			return 0;
		if (s[kl] == ':' || (n - kl > 4 && !strncasecmp(s + kl, " by ", 4)))
			return 1;
		return residual_ok(s + kl, a - kl); /* "Posted on 3 May 2024" */
	}
	return 0;
}

static int orgword(const char *w, size_t n, int sites)
{
	for (size_t i = 0; i < R.n_orgwords; i++)
		if ((sites || !R.orgsite[i]) && R.orgword_len[i] == n &&
		    cb_tolower((unsigned char)R.orgwords[i][0]) == cb_tolower((unsigned char)w[0]) &&
		    !strncasecmp(R.orgwords[i], w, n))
			return 1;
	return 0;
}

static int small_word(const char *w, size_t n)
{
	static const char *const small[] = {"of", "the", "and", "for", "in", "on", "at", "to",
					    "de", "&", NULL};
	for (int i = 0; small[i]; i++)
		if (strlen(small[i]) == n && !strncasecmp(small[i], w, n))
			return 1;
	return 0;
}

/* A name of 1 to 7 words, each capitalised but for small ones, no digits;
 * want_org: 1 its last word must be an organisation word, 2 any word must be
 * an organisation's or a news site's. */
static int org_name(const char *s, size_t n, int want_org)
{
	size_t words = 0;
	int org = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		const char *w = s + i;
		size_t wl = j - i;
		for (size_t q = 0; q < wl; q++)
			if (!(cb_isalpha((unsigned char)w[q]) || w[q] == '&' || w[q] == '\'' ||
			      w[q] == '-' || w[q] == '.'))
				return 0;
		if (!small_word(w, wl) && !cb_isupper((unsigned char)w[0]))
			return 0;
		if (++words > 7)
			return 0;
		int ow = orgword(w, wl, want_org == 2);
		org = want_org == 1 ? ow : (org || ow);
		i = j;
		while (i < n && s[i] == ' ')
			i++;
	}
	return words >= 1 && (!want_org || org);
}

/* A masthead "NAME -- WHAT" (or with an en or em dash): an organisation's
 * name, ending in an organisation word, before a short title. [*a, *b) is
 * the name without a parenthetical after it. */
static int masthead(const char *s, size_t n, size_t *a, size_t *b)
{
	static const char *const dash[] = {" -- ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", NULL};
	if (n > 200)
		return 0;
	for (int k = 0; dash[k]; k++) {
		const char *p = find_bytes(s, n < 100 ? n : 100, dash[k], strlen(dash[k]));
		if (!p)
			continue;
		size_t e = (size_t)(p - s), rest = n - e - strlen(dash[k]);
		if (rest == 0 || rest > 120)
			return 0;
		while (e > 0 && s[e - 1] == ' ')
			e--;
		if (e > 0 && s[e - 1] == ')') {
			const char *o = find_last(s, '(', e);
			if (!o)
				return 0;
			e = (size_t)(o - s);
			while (e > 0 && s[e - 1] == ' ')
				e--;
		}
		if (e < 3 || !org_name(s, e, 1))
			return 0;
		*a = 0;
		*b = e;
		return 1;
	}
	return 0;
}

/* The group a stamp line names as its poster: "Posted by a volunteer of the
 * Hand in Hand Mission, 3 December 2023" -> "Hand in Hand Mission". */
static int posted_org(const char *s, size_t n, size_t *a, size_t *b)
{
	for (const char *p = s; (p = find_bytes(p, n - (size_t)(p - s), " of ", 4)); p += 4) {
		size_t i = (size_t)(p - s) + 4, e;
		if (n - i > 4 && !strncasecmp(s + i, "the ", 4))
			i += 4;
		for (e = i; e < n && s[e] != ',' && s[e] != ';' && s[e] != '('; e++)
			if (e + 4 <= n && !memcmp(s + e, " on ", 4))
				break;
		while (e > i && s[e - 1] == ' ')
			e--;
		if (e > i && cb_isupper((unsigned char)s[i]) && org_name(s + i, e - i, 1)) {
			*a = i;
			*b = e;
			return 1;
		}
	}
	return 0;
}

/* The owner a copyright line names: "Copyright (c) 2023 The Hanbit Times.
 * All rights reserved." -> "The Hanbit Times". */
static int copyright_owner(const char *s, size_t n, size_t *a, size_t *b)
{
	size_t i = 0;
	int lead = 0;
	if (n > 200)
		return 0;
	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (n - i >= 9 && !strncasecmp(s + i, "copyright", 9))
			i += 9;
		else if (n - i >= 3 && !strncasecmp(s + i, "(c)", 3))
			i += 3;
		else if (n - i >= 2 && !memcmp(s + i, "\xc2\xa9", 2))
			i += 2;
		else if (lead && cb_isdigit((unsigned char)s[i]))
			while (i < n && (cb_isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == ','))
				i++;
		else if (lead && n - i >= 3 && !strncasecmp(s + i, "by ", 3))
			i += 3;
		else
			break;
		lead = 1;
	}
	if (!lead)
		return 0;
	size_t e = i;
	while (e < n && s[e] != ',' && s[e] != ';' && s[e] != '|' &&
	       !(s[e] == '.' && (e + 1 == n || s[e + 1] == ' ')))
		e++;
	while (e > i && s[e - 1] == ' ')
		e--;
	if (e <= i || !cb_isupper((unsigned char)s[i]) || !org_name(s + i, e - i, 0))
		return 0;
	/* "All rights reserved" right after the name, without a full stop */
	const char *all = find_bytes(s + i, e - i, " All ", 5);
	if (all)
		e = (size_t)(all - s);
	if (e <= i)
		return 0;
	*a = i;
	*b = e;
	return 1;
}

/* Whether name (case aside) recurs as whole words in the searched head and
 * tail of text, outside [skip_s, skip_e); *mixed is the first such place
 * not written in capitals, or (size_t)-1. */
static int recurs(const char *text, size_t len, const char *name, size_t nn, size_t skip_s,
		  size_t skip_e, size_t *mixed)
{
	size_t win[2][2] = {{0, len < OUTLET_HEAD ? len : OUTLET_HEAD},
			    {len > OUTLET_HEAD + OUTLET_TAIL ? len - OUTLET_TAIL : len, len}};
	int found = 0;
	*mixed = (size_t)-1;
	if (nn == 0)
		return 0;
	/* the places come from memchr for the name's rarest byte (letters by
	 * their frequency in English, others rarer, spaces never), in either
	 * case, o bytes into it */
	static const char freq[] = "etaoinshrdlcumwfgypbvkjxqz";
	size_t o = 0;
	int rank = -2;
	for (size_t q = 0; q < nn; q++) {
		int c = cb_tolower((unsigned char)name[q]);
		const char *f = cb_isalpha(c) ? strchr(freq, c) : NULL;
		int r = f ? (int)(f - freq) : c == ' ' ? -1 : 26;
		if (r > rank) {
			rank = r;
			o = q;
		}
	}
	int lo = cb_tolower((unsigned char)name[o]), up = toupper(lo);
	for (int w = 0; w < 2; w++) {
		if (win[w][1] < win[w][0] + nn)
			continue;
		const char *end = text + win[w][1] - nn + o + 1, *p = text + win[w][0] + o;
		const char *pl = memchr(p, lo, (size_t)(end - p));
		const char *pu = up == lo ? NULL : memchr(p, up, (size_t)(end - p));
		while (pl || pu) {
			size_t i;
			if (pl && (!pu || pl < pu)) {
				i = (size_t)(pl - text) - o;
				pl = memchr(pl + 1, lo, (size_t)(end - pl - 1));
			} else {
				i = (size_t)(pu - text) - o;
				pu = memchr(pu + 1, up, (size_t)(end - pu - 1));
			}
			if ((i >= skip_s && i < skip_e) ||
			    (i > 0 && cb_isalnum((unsigned char)text[i - 1])) ||
			    (i + nn < len && cb_isalnum((unsigned char)text[i + nn])) ||
			    strncasecmp(text + i, name, nn))
				continue;
			found = 1;
			for (size_t q = 0; q < nn; q++)
				if (cb_islower((unsigned char)text[i + q])) {
					*mixed = i;
					return 1;
				}
		}
	}
	return found;
}

/* An outlet's name as the page spells it: as given unless it is all in
 * capitals, else as it recurs elsewhere in mixed case, else in title case
 * (short words lower, two-letter acronyms kept). With need_recur, *out is
 * NULL unless the name (less a leading "The") recurs outside
 * [skip_s, skip_e). *out is malloc'd; returns -1 when out of memory. */
static int outlet_name(char **out, const char *text, size_t len, const char *name, size_t nn,
		       size_t skip_s, size_t skip_e, int need_recur)
{
	int the = nn > 4 && !strncasecmp(name, "the ", 4);
	const char *core = the ? name + 4 : name;
	size_t cn = the ? nn - 4 : nn, mixed;
	*out = NULL;
	int found = recurs(text, len, core, cn, skip_s, skip_e, &mixed);
	if (need_recur && !found)
		return 0;
	char *r = malloc(nn + 1);
	if (!r)
		return -1;
	int caps = 1;
	for (size_t q = 0; q < nn; q++)
		if (cb_islower((unsigned char)name[q]))
			caps = 0;
	size_t o = 0;
	if (!caps) {
		memcpy(r, name, nn);
	} else {
		if (the) {
			memcpy(r, "The ", 4);
			o = 4;
		}
		if (mixed != (size_t)-1) {
			memcpy(r + o, text + mixed, cn);
		} else {
			for (size_t i = 0; i < cn;) {
				size_t j = i;
				while (j < cn && core[j] != ' ')
					j++;
				int keep = j - i <= 2 && !small_word(core + i, j - i);
				int low = i > 0 && small_word(core + i, j - i);
				for (size_t q = i; q < j; q++)
					r[o + q] = keep ? core[q]
						   : (q == i && !low) ? (char)toupper((unsigned char)core[q])
								      : (char)cb_tolower((unsigned char)core[q]);
				for (; j < cn && core[j] == ' '; j++)
					r[o + j] = ' ';
				i = j;
			}
		}
	}
	r[nn] = '\0';
	*out = r;
	return 0;
}

/* Thai Buddhist-calendar stamp: "12 เม.ย. 2554". */
static int thai_date(const char *s, size_t n, cb_ymd *d)
{
	static const char *const months[12] = {
		"\xe0\xb8\xa1.\xe0\xb8\x84.",                         /* ม.ค. */
		"\xe0\xb8\x81.\xe0\xb8\x9e.",                         /* ก.พ. */
		"\xe0\xb8\xa1\xe0\xb8\xb5.\xe0\xb8\x84.",             /* มี.ค. */
		"\xe0\xb9\x80\xe0\xb8\xa1.\xe0\xb8\xa2.",             /* เม.ย. */
		"\xe0\xb8\x9e.\xe0\xb8\x84.",                         /* พ.ค. */
		"\xe0\xb8\xa1\xe0\xb8\xb4.\xe0\xb8\xa2.",             /* มิ.ย. */
		"\xe0\xb8\x81.\xe0\xb8\x84.",                         /* ก.ค. */
		"\xe0\xb8\xaa.\xe0\xb8\x84.",                         /* ส.ค. */
		"\xe0\xb8\x81.\xe0\xb8\xa2.",                         /* ก.ย. */
		"\xe0\xb8\x95.\xe0\xb8\x84.",                         /* ต.ค. */
		"\xe0\xb8\x9e.\xe0\xb8\xa2.",                         /* พ.ย. */
		"\xe0\xb8\x98.\xe0\xb8\x84.",                         /* ธ.ค. */
	};
	/* every Thai letter's UTF-8 starts with 0xE0 */
	if (n > 200 || !memchr(s, 0xE0, n))
		return 0;
	for (int m = 0; m < 12; m++) {
		size_t ml = strlen(months[m]);
		for (size_t i = 0; i + ml <= n; i++) {
			if (memcmp(s + i, months[m], ml))
				continue;
			/* "D MONTH YYYY" around it */
			size_t a = i;
			while (a > 0 && s[a - 1] == ' ')
				a--;
			size_t b = a;
			while (b > 0 && cb_isdigit((unsigned char)s[b - 1]))
				b--;
			size_t c = i + ml;
			while (c < n && s[c] == ' ')
				c++;
			size_t e = c;
			while (e < n && cb_isdigit((unsigned char)s[e]))
				e++;
			if (b == a || a - b > 2 || e - c != 4)
				continue;
			int day = atoi(s + b), year = atoi(s + c);
			if (year > 2400)
				year -= 543;
			if (day < 1 || day > 31 || year < 1900 || year > 2100)
				continue;
			d->y = year;
			d->m = m + 1;
			d->d = day;
			return 1;
		}
	}
	return 0;
}

static int parse_iso(const char *s, cb_ymd *d)
{
	int y, m, dd;
	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) != 3)
		return 0;
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || dd < 1 || dd > 31)
		return 0;
	d->y = y;
	d->m = m;
	d->d = dd;
	return 1;
}

/* A date in a URL path: /2013/01/17/, 2013-jun-02, 20130117. */
static int url_date(const char *u, cb_ymd *d)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sep", "oct", "nov", "dec"};
	if (!u)
		return 0;
	size_t n = strlen(u);
	for (size_t i = 0; i + 8 <= n; i++) {
		if (!(u[i] == '1' && u[i + 1] == '9') && !(u[i] == '2' && u[i + 1] == '0'))
			continue;
		if (i > 0 && cb_isdigit((unsigned char)u[i - 1]))
			continue;
		if (!cb_isdigit((unsigned char)u[i + 2]) || !cb_isdigit((unsigned char)u[i + 3]))
			continue;
		int y = (u[i] - '0') * 1000 + (u[i + 1] - '0') * 100 + (u[i + 2] - '0') * 10 + (u[i + 3] - '0');
		const char *p = u + i + 4;
		int m = 0, dd = 0;
		if ((*p == '/' || *p == '-') && cb_isdigit((unsigned char)p[1]) &&
		    cb_isdigit((unsigned char)p[2]) && (p[3] == '/' || p[3] == '-') &&
		    cb_isdigit((unsigned char)p[4]) && cb_isdigit((unsigned char)p[5])) {
			m = (p[1] - '0') * 10 + (p[2] - '0');
			dd = (p[4] - '0') * 10 + (p[5] - '0');
		} else if (*p == '-' && (size_t)(p - u) + 7 <= n && p[4] == '-' &&
			   cb_isdigit((unsigned char)p[5]) && cb_isdigit((unsigned char)p[6])) {
			for (int k = 0; k < 12; k++)
				if (!strncasecmp(p + 1, mon[k], 3))
					m = k + 1;
			dd = (p[5] - '0') * 10 + (p[6] - '0');
		} else if (cb_isdigit((unsigned char)p[0]) && cb_isdigit((unsigned char)p[1]) &&
			   cb_isdigit((unsigned char)p[2]) && cb_isdigit((unsigned char)p[3]) &&
			   !cb_isdigit((unsigned char)p[4])) {
			m = (p[0] - '0') * 10 + (p[1] - '0');
			dd = (p[2] - '0') * 10 + (p[3] - '0');
		}
		if (m >= 1 && m <= 12 && dd >= 1 && dd <= 31 && y >= 1990 && y <= 2100) {
			d->y = y;
			d->m = m;
			d->d = dd;
			return 1;
		}
	}
	return 0;
}

/* A copyright year: "(c) 2008", "Copyright 2015", "© 2013". */
static int copyright_year(const char *s, size_t n)
{
	if (n > 200 || n < 3 || (s[0] != '(' && s[0] != 'c' && s[0] != 'C' && s[0] != '\xc2'))
		return 0;
	if (!((!strncasecmp(s, "(c)", 3) || !strncasecmp(s, "copyright", 9) ||
			 !strncmp(s, "\xc2\xa9", 2))))
		return 0;
	for (size_t i = 0; i + 4 <= n; i++)
		if ((s[i] == '1' || s[i] == '2') && cb_isdigit((unsigned char)s[i + 1]) &&
		    cb_isdigit((unsigned char)s[i + 2]) && cb_isdigit((unsigned char)s[i + 3]) &&
		    (i == 0 || !cb_isdigit((unsigned char)s[i - 1])) &&
		    (i + 4 == n || !cb_isdigit((unsigned char)s[i + 4]))) {
			int y = atoi(s + i);
			if (y >= 1990 && y <= 2100)
				return y;
		}
	return 0;
}

/* The outlet a URL's host names: a known site's name from hosts.tsv, else
 * the host without "www."; NULL when url has no host. malloc'd. */
static char *host_outlet(const char *url)
{
	if (!url)
		return NULL;
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, "/:?#");
	if (n == 0 || n > 253 || !memchr(h, '.', n))
		return NULL;
	for (size_t k = 0; k < R.n_hosts; k++) {
		size_t sl = strlen(R.hosts[k][0]);
		if (n >= sl && !strncasecmp(h + n - sl, R.hosts[k][0], sl) &&
		    (n == sl || h[n - sl - 1] == '.'))
			return strdup(R.hosts[k][1]);
	}
	if (n > 4 && !strncasecmp(h, "www.", 4)) {
		h += 4;
		n -= 4;
	}
	char *r = strndup(h, n);
	for (size_t i = 0; r && r[i]; i++)
		r[i] = (char)cb_tolower((unsigned char)r[i]);
	return r;
}

/* ---- output helpers ---- */

static int push_str(char ***arr, size_t *n, const char *s, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*arr)[i]) == len && !memcmp((*arr)[i], s, len))
			return 0;
	char **na = realloc(*arr, (*n + 1) * sizeof *na);
	if (!na)
		return -1;
	*arr = na;
	na[*n] = strndup(s, len);
	if (!na[*n])
		return -1;
	(*n)++;
	return 0;
}

static int push_span(cb_docmeta *m, size_t *cap, size_t s, size_t e)
{
	if (m->n_boilerplate == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		cb_span *na = realloc(m->boilerplate, nc * sizeof *na);
		if (!na)
			return -1;
		m->boilerplate = na;
		*cap = nc;
	}
	m->boilerplate[m->n_boilerplate].start = s;
	m->boilerplate[m->n_boilerplate].end = e;
	m->n_boilerplate++;
	return 0;
}

/* "By Elizabeth Shim", "Reporter: Lee Da-eun": two to four capitalised
 * words, no organisation. */
static int byline(const char *s, size_t n, size_t *ns, size_t *ne)
{
	static const char *const lead[] = {"by ", "written by ", "reporter:", "correspondent:",
					   "writer:", NULL};
	size_t i = 0, words = 0;
	if (n < 5 || n > 60)
		return 0;
	for (int k = 0; lead[k] && !i; k++)
		if (cb_tolower((unsigned char)s[0]) == lead[k][0] &&
		    !strncasecmp(s, lead[k], strlen(lead[k])))
			i = strlen(lead[k]);
	if (!i)
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	size_t start = i;
	while (i < n) {
		if (!cb_isupper((unsigned char)s[i]))
			return 0;
		size_t j = i;
		while (j < n && (cb_isalpha((unsigned char)s[j]) || s[j] == '-' || s[j] == '.' ||
				 s[j] == '\'' || (unsigned char)s[j] >= 0x80))
			j++;
		static const char *const org[] = {"The", "News", "Media", "Ilbo", "Agency",
						  "Times", "Team", "Staff", "Reporter", "Press",
						  "Daily", "Online", "Post", "Journal", NULL};
		for (int k = 0; org[k]; k++)
			if (j - i == strlen(org[k]) && !strncmp(s + i, org[k], j - i))
				return 0;
		words++;
		i = j;
		if (i < n && s[i] == ',')
			break; /* "By Name, Staff Writer" */
		if (i < n && s[i] != ' ')
			return 0;
		while (i < n && s[i] == ' ')
			i++;
	}
	if (words < 2 || words > 4)
		return 0;
	size_t e = i;
	while (e > start && (s[e - 1] == ' ' || s[e - 1] == ','))
		e--;
	*ns = start;
	*ne = e;
	return 1;
}

/* "Translated by David Black. Edited by ..." -> "David Black" */
static int translator(const char *s, size_t n, size_t *ts, size_t *te)
{
	static const char key[] = "translated by ";
	size_t kl = sizeof key - 1;
	if (n > 300)
		return 0;
	for (size_t i = 0; i + kl <= n && i < 8; i++) {
		if (cb_tolower((unsigned char)s[i]) != 't' || strncasecmp(s + i, key, kl))
			continue;
		size_t a = i + kl;
		if (n - a > 4 && !strncasecmp(s + a, "the ", 4))
			a += 4;
		size_t b = a;
		while (b < n) {
			if (s[b] == ',' || s[b] == ';' || (s[b] == '.' && (b + 1 == n || s[b + 1] == ' ')))
				break;
			if (b + 5 <= n && !strncasecmp(s + b, " and ", 5))
				break;
			b++;
		}
		while (b > a && s[b - 1] == ' ')
			b--;
		if (b <= a || b - a > 80)
			return 0;
		*ts = a;
		*te = b;
		return 1;
	}
	return 0;
}

/* ---- the record ---- */

/* Are a and b the same name, but for case and a leading "The "? */
static int same_name(const char *a, const char *b)
{
	if (!strncasecmp(a, "the ", 4))
		a += 4;
	if (!strncasecmp(b, "the ", 4))
		b += 4;
	return !strcasecmp(a, b);
}

/*
 * The headline: the first line that is neither furniture, a date, a byline,
 * a weather widget's nor a dateline paragraph, if it is headline-sized (else none),
 * passing over lines that are the name skip. Sets m->title and *at, its
 * line; -1 without memory.
 */
/* A masthead in capitals: "NAME -- LABEL", its letters upper case. */
static int masthead_caps(const char *s, size_t n)
{
	int dash = 0;
	for (size_t i = 0; i + 4 <= n && !dash; i++)
		dash = s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == '-' && s[i + 3] == ' ';
	if (!dash)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cb_islower((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The headline after a masthead at line i: past blank lines and date
 * stamps, a line in mixed case that ends in no stop, opens no numbered
 * section ("1. Raids in ...") or note ("(Prepared for donors.)"), and
 * stands over a paragraph of body. Its line, or 0 when there is none. */
static size_t headline_after(const char *text, const line *L, size_t nl, size_t i)
{
	size_t j = i + 1;
	cb_ymd d;
	while (j < nl && (L[j].blank || L[j].stamp ||
			  date_line(text + L[j].ts, L[j].e - L[j].ts, &d) ||
			  posted_line(text + L[j].ts, L[j].e - L[j].ts, &d)))
		j++;
	if (j >= nl)
		return 0;
	const char *s = text + L[j].ts;
	size_t n = L[j].e - L[j].ts, k = j + 1;
	if (n < 8 || n > 200 || !cb_isupper((unsigned char)s[0]) || cb_isdigit((unsigned char)s[0]) ||
	    strchr(".:;!?)", s[n - 1]) || masthead_caps(s, n))
		return 0;
	while (k < nl && L[k].blank)
		k++;
	if (k >= nl || L[k].e - L[k].ts < 60 || !strchr(".!?\"'", text[L[k].e - 1]))
		return 0;
	return j;
}

static int pick_title(cb_docmeta *m, const char *text, const line *L, size_t nl,
		      const char *skip, pcre2_match_data *md, size_t *at)
{
	for (size_t i = 0; i < nl && i < 40; i++) {
		const line *l = &L[i];
		if (l->blank || l->bp)
			continue;
		const char *s = text + l->ts;
		size_t n = l->e - l->ts;
		cb_ymd d;
		size_t a, b;
		if (skip && strlen(skip) == n && !strncasecmp(s, skip, n))
			continue;
		/* A line wholly in brackets is an editor's note ("[Updated ...]",
		 * "[Translation]"), not the headline. */
		if (l->stamp || date_line(s, n, &d) || byline(s, n, &a, &b) || foreign_line(s, n) ||
		    thai_date(s, n, &d) || !strncasecmp(s, "posted", 6) || posted_line(s, n, &d) ||
		    place_date_line(s, n, &d) || (n == 21 && !strncasecmp(s, "for immediate release", 21)) ||
		    (n >= 2 && s[0] == '[' && s[n - 1] == ']') ||
		    (count_words(s, n) <= 5 && weather_seg(s, n)))
			continue; /* the last: a weather widget's line ("Seoul 3°C Clear") */
		if (n > 200 || n < 8 || (s[n - 1] == ':'))
			break; /* the report starts without a headline */
		if (n > 10 && cb_isupper((unsigned char)s[0]) && cb_isupper((unsigned char)s[1]) &&
		    pcre2_match(R.dateline, (PCRE2_SPTR)s, n < 160 ? n : 160, 0, 0, md, NULL) >= 0)
			break;
		/* "NORTHERN LIGHTS RESCUE -- CASE UPDATE", a stamp, then a
		 * headline over the body: the masthead names the series, the
		 * headline the report */
		size_t h = masthead_caps(s, n) ? headline_after(text, L, nl, i) : 0;
		if (h) {
			s = text + L[h].ts;
			n = L[h].e - L[h].ts;
			i = h;
		}
		if (!(m->title = strndup(s, n)))
			return -1;
		*at = i;
		break;
	}
	return 0;
}

int cb_docmeta_extract(cb_docmeta **out, const char *text, size_t len,
		       const cb_doc_hints *hints, cb_error *err)
{
	int rc = CB_OK;
	cb_docmeta *m = NULL;
	line *L = NULL;
	size_t nl = 0, bp_cap = 0;
	size_t top = 0, site_s = 0, site_e = 0, site_line = 0;
	cb_ymd hdr = {0, 0, 0}; /* the site header's date */
	char *cand = NULL;
	pcre2_match_data *md = NULL;
	size_t *seen = NULL; /* line numbers + 1 of the paragraphs seen */
	size_t seen_cap = 0;

	*out = NULL;
	pthread_once(&rules_once, rules_build);
	if (R.failed)
		return cb_fail(err, CB_ERR, "%s", R.msg[0] ? R.msg : "docmeta: rules failed");
	m = calloc(1, sizeof *m);
	if (!m)
		return cb_fail(err, CB_ENOMEM, "docmeta: out of memory");
	strcpy(m->language, "en");
	if (!text)
		len = 0;
	md = pcre2_match_data_create(8, NULL);
	if (!md)
		goto nomem;

	/* lines */
	size_t cap_l = 64;
	L = malloc(cap_l * sizeof *L);
	if (!L)
		goto nomem;
	for (size_t p = 0; len && p <= len;) {
		const char *nlp = memchr(text + p, '\n', len - p);
		size_t e = nlp ? (size_t)(nlp - text) : len;
		if (nl == cap_l) {
			line *na = realloc(L, cap_l * 2 * sizeof *na);
			if (!na)
				goto nomem;
			L = na;
			cap_l *= 2;
		}
		line *l = &L[nl++];
		memset(l, 0, sizeof *l);
		l->s = p;
		l->e = e;
		while (l->e > l->s && isspace((unsigned char)text[l->e - 1]))
			l->e--;
		l->ts = l->s;
		while (l->ts < l->e && (isspace((unsigned char)text[l->ts]) ||
					((unsigned char)text[l->ts] == 0xC2 && l->ts + 1 < l->e &&
					 (unsigned char)text[l->ts + 1] == 0xA0)))
			l->ts += (unsigned char)text[l->ts] == 0xC2 ? 2 : 1;
		l->blank = l->ts >= l->e;
		p = e + 1;
		if (!nlp)
			break;
	}

	/* the gate literals the report holds, per line and where the outlet
	 * patterns are searched */
	size_t out_head = len < OUTLET_HEAD ? len : OUTLET_HEAD;
	size_t out_tail = len > OUTLET_HEAD + OUTLET_TAIL ? len - OUTLET_TAIL : out_head;
	uint64_t lits_head, lits_tail;
	gate_scan(text, len, L, nl, out_head, out_tail, &lits_head, &lits_tail);
	/* the furniture patterns whose literals and needed byte the report
	 * holds somewhere: the others are not looked at on any line */
	uint64_t lits_any = 0, live[BP_WORDS] = {0};
	for (size_t i = 0; i < nl; i++)
		lits_any |= L[i].lits;
	for (size_t k = 0; k < R.n_bp; k++) {
		int nb = R.bp[k].need;
		if ((!R.bp[k].lits || (R.bp[k].lits & lits_any)) &&
		    (nb < 0 || memchr(text, nb, len) || (cb_isalpha(nb) && memchr(text, toupper(nb), len))))
			live[k / 64] |= 1ull << (k % 64);
	}

	/* boilerplate */
	for (size_t i = 0; i < nl; i++) {
		line *l = &L[i];
		if (l->blank)
			continue;
		const char *s = text + l->ts;
		size_t n = l->e - l->ts;
		/* rows and columns of furniture are short and end in no
		 * sentence's punctuation; most report lines are spared the scan */
		size_t fs, fe;
		size_t gap = n <= 200 && !strchr(".,;:?!\"'", s[n - 1]) ? gap_width(s, n) : 0;
		top += top < TOP_LINES;
		/* only at the top: columns further down are a bulletin's tables */
		if (top < TOP_LINES && column_stamp(s, n, gap, &l->sd, &fs, &fe)) {
			/* the stamp is the article's; only the breadcrumb is furniture */
			l->stamp = 1;
			l->fs = l->ts + fs;
			l->fe = l->ts + fe;
			continue;
		}
		if (n <= LINE_PATTERN_MAX) {
			/* the patterns that may match, in table order: the first that
			 * does says what the line is (unless a line above said so) */
			size_t k = R.n_bp;
			const uint64_t *may = R.bp_first[(unsigned char)s[0]];
			for (size_t w = 0; !l->bp && k == R.n_bp && w < BP_WORDS; w++)
				for (uint64_t b = may[w] & live[w]; b; b &= b - 1) {
					size_t x = w * 64 + (size_t)__builtin_ctzll(b);
					if (bp_may(x, s, n, l->lits) && match_re(R.bp[x].re, md, s, n)) {
						k = x;
						break;
					}
				}
			if (k < R.n_bp) {
				l->bp = 1;
				if (R.bp[k].kind == BK_WEATHER) {
					/* the city and the date printed under it */
					for (size_t j = i + 1; j < nl && j <= i + 2 && !L[j].blank; j++) {
						cb_ymd d;
						const char *t = text + L[j].ts;
						size_t tn = L[j].e - L[j].ts;
						int city = tn <= 30 && !memchr(t, ',', tn) &&
							   !memchr(t, '.', tn);
						if (date_line(t, tn, &d) || city) {
							L[j].bp = 1;
							L[j].weather_block = 1;
						} else {
							break;
						}
					}
				} else if (R.bp[k].kind == BK_CAPTION && i > 0 && !L[i - 1].blank &&
					   L[i - 1].e - L[i - 1].ts <= 40 &&
					   !strchr(".!?:", text[L[i - 1].e - 1])) {
					L[i - 1].bp = 1; /* the image's alt text */
				} else if (R.bp[k].kind == BK_LIST) {
					/* the numbered or bulleted headlines listed under it */
					for (size_t j = i + 1; j < nl && !L[j].blank; j++) {
						if (L[j].e - L[j].ts > 200 ||
						    !list_item(text + L[j].ts, L[j].e - L[j].ts))
							break;
						L[j].bp = 1;
					}
				} else if (R.bp[k].kind == BK_SOURCES) {
					/* source lines under it: "Outlet – Title – date" */
					for (size_t j = i + 1; j < nl; j++) {
						if (L[j].blank)
							continue;
						const char *t = text + L[j].ts;
						size_t tn = L[j].e - L[j].ts;
						int dash = 0, year = 0;
						for (size_t q = 0; q + 3 <= tn; q++) {
							if (!memcmp(t + q, "\xe2\x80\x93", 3) ||
							    !memcmp(t + q, " - ", 3))
								dash = 1;
							if (q + 4 <= tn && (t[q] == '1' || t[q] == '2') &&
							    (t[q + 1] == '9' || t[q + 1] == '0') &&
							    cb_isdigit((unsigned char)t[q + 2]) &&
							    cb_isdigit((unsigned char)t[q + 3]) &&
							    (q + 4 == tn || !cb_isdigit((unsigned char)t[q + 4])))
								year = 1;
						}
						if (tn > 300 || !dash || !year)
							break;
						L[j].bp = 1;
					}
				}
			}
			cb_ymd hd1 = {0, 0, 0}, dd;
			seg name = {0, 0}, g[BAR_MAX];
			int bar = 0;
			if (!l->bp && nav_line(s, n)) {
				l->bp = 1;
				if ((bar = bar_split(s, n, g) > 0))
					name = g[0];
			} else if (!l->bp && header_bar(s, n, &hd1, &name) && !date_line(s, n, &dd)) {
				l->bp = bar = 1;
			}
			/* a bar at the top of the page is the site's header: its date
			 * stands in for a missing stamp, its first segment may be the
			 * site's name (two or more words, one of a site's) */
			if (bar && top < TOP_LINES) {
				if (!hdr.y && hd1.y)
					hdr = hd1;
				if (!site_e && count_words(s + name.s, name.e - name.s) >= 2 &&
				    org_name(s + name.s, name.e - name.s, 2)) {
					site_s = l->ts + name.s;
					site_e = l->ts + name.e;
					site_line = i;
				}
			}
			if (!l->bp && gap_nav(s, n, gap))
				l->bp = 1;
		}
	}
	/* a paragraph repeated verbatim: its second copy */
	for (size_t i = 0; i < nl; i++) {
		line *l = &L[i];
		size_t n = l->e - l->ts;
		if (l->blank || n < 60)
			continue;
		if (!seen) {
			seen_cap = 64;
			while (seen_cap < nl * 2)
				seen_cap *= 2;
			seen = calloc(seen_cap, sizeof *seen);
			if (!seen)
				goto nomem;
		}
		/* keyed by its length and first and last eight bytes, not by a
		 * hash of every byte; a copy is confirmed byte for byte */
		const char *t = text + l->ts;
		uint64_t a, z;
		memcpy(&a, t, 8);
		memcpy(&z, t + n - 8, 8);
		uint64_t h = ((a * 0x9E3779B97F4A7C15ull) ^ z ^ n) * 0xC2B2AE3D27D4EB4Full;
		h ^= h >> 29;
		size_t slot = (size_t)(h & (seen_cap - 1));
		int dup = 0;
		while (seen[slot]) {
			const line *o = &L[seen[slot] - 1];
			if (o->e - o->ts == n && !memcmp(text + o->ts, t, n)) {
				dup = 1;
				break;
			}
			slot = (slot + 1) & (seen_cap - 1);
		}
		if (dup)
			l->bp = 1;
		else
			seen[slot] = i + 1;
	}
	for (size_t i = 0; i < nl; i++)
		if ((L[i].bp && push_span(m, &bp_cap, L[i].s, L[i].e) < 0) ||
		    (!L[i].bp && L[i].fe > L[i].fs && push_span(m, &bp_cap, L[i].fs, L[i].fe) < 0))
			goto nomem;

	/* year hint: the hints, the URL, a copyright line, then any stamp */
	int year_hint = 0;
	cb_ymd hd = {0, 0, 0};
	if (hints && parse_iso(hints->published, &hd))
		year_hint = hd.y;
	else if (hints && url_date(hints->url, &hd))
		year_hint = hd.y;
	for (size_t i = nl; i-- > 0 && !year_hint;)
		if (!L[i].blank)
			year_hint = copyright_year(text + L[i].ts, L[i].e - L[i].ts);

	/* published */
	cb_ymd dl = {0, 0, 0}, stamp = {0, 0, 0}, thai = {0, 0, 0}, today = {0, 0, 0};
	for (size_t i = 0; i < nl; i++) {
		line *l = &L[i];
		if (l->blank)
			continue;
		const char *s = text + l->ts;
		size_t n = l->e - l->ts;
		cb_ymd d;
		if (!l->weather_block && !stamp.y &&
		    (l->stamp ? (d = l->sd, 1)
			      : date_line(s, n, &d) || posted_line(s, n, &d) ||
					place_date_line(s, n, &d))) {
			/* "Tuesday, March 11, 2025" and no time: a site's today
			 * more often than the article's stamp, which then wins
			 * ("March 10, 2025 at 4:15PM" below the article) */
			if (!l->stamp && weekday_date(s, n)) {
				if (!today.y)
					today = d;
				continue;
			}
			stamp = d;
			continue;
		}
		if (!thai.y && n <= 200)
			thai_date(s, n, &thai);
	}
	if (!stamp.y)
		stamp = today;
	/* a dateline without a year takes it from the page */
	int yh = year_hint ? year_hint : stamp.y ? stamp.y : thai.y ? thai.y : hdr.y;
	int yh_hdr = !year_hint && !stamp.y && !thai.y && hdr.y;
	for (size_t i = 0; i < nl && !dl.y; i++) {
		line *l = &L[i];
		const char *s = text + l->ts;
		size_t n = l->e - l->ts;
		if (l->blank || l->bp || n <= 10 || !cb_isupper((unsigned char)s[0]) ||
		    !cb_isupper((unsigned char)s[1]))
			continue;
		size_t head = n < 160 ? n : 160;
		if (pcre2_match(R.dateline, (PCRE2_SPTR)s, head, 0, 0, md, NULL) >= 2) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t ds, de;
			cb_ymd d;
			if (cb_date_parse(&d, &ds, &de, s + ov[2], ov[3] - ov[2], yh)) {
				dl = d;
				/* a header's date is the day the page was shown: the
				 * dateline's day is on or before it */
				if (yh_hdr && dl.y == hdr.y &&
				    (dl.m > hdr.m || (dl.m == hdr.m && dl.d > hdr.d)))
					dl.y--;
			}
		}
	}
	if (dl.y)
		m->published = dl;
	else if (stamp.y)
		m->published = stamp;
	else if (thai.y)
		m->published = thai;
	else if (hints && parse_iso(hints->published, &hd))
		m->published = hd;
	else if (hints && url_date(hints->url, &hd))
		m->published = hd;
	else if (hdr.y)
		m->published = hdr;

	/* title */
	size_t title_line = nl;
	if (pick_title(m, text, L, nl, NULL, md, &title_line) < 0)
		goto nomem;
	if (!m->title && hints && hints->title && hints->title[0]) {
		m->title = strdup(hints->title);
		if (!m->title)
			goto nomem;
	}

	/* outlet */
	if (hints && hints->outlet && hints->outlet[0]) {
		m->outlet = strdup(hints->outlet);
		if (!m->outlet)
			goto nomem;
	} else {
		int best = -1;
		size_t best_pos = (size_t)-1;
		const char *best_name = NULL;
		size_t head = len < OUTLET_HEAD ? len : OUTLET_HEAD;
		size_t tail = len > OUTLET_HEAD + OUTLET_TAIL ? len - OUTLET_TAIL : head;
		for (size_t k = 0; len && k < R.n_out; k++) {
			if (R.out[k].kind < best)
				continue;
			size_t pos = (size_t)-1;
			uint64_t lits = R.out[k].lits;
			if ((!lits || (lits & lits_head)) &&
			    pcre2_match(R.out[k].re, (PCRE2_SPTR)text, head, 0, 0, md, NULL) >= 0) {
				pos = pcre2_get_ovector_pointer(md)[0];
			} else if (tail < len) {
				if ((!lits || (lits & lits_tail)) &&
				    pcre2_match(R.out[k].re, (PCRE2_SPTR)text + tail, len - tail, 0, 0,
						md, NULL) >= 0)
					pos = tail + pcre2_get_ovector_pointer(md)[0];
			}
			if (pos == (size_t)-1)
				continue;
			if (cb_docmeta_in_boilerplate(m, pos) && R.out[k].kind < 2)
				continue;
			if (R.out[k].kind > best || pos < best_pos) {
				best = R.out[k].kind;
				best_pos = pos;
				best_name = R.out[k].outlet;
			}
		}
		/* Table priorities count double here, so that a copyright line's
		 * owner (3) ranks under the table's own furniture clues (4) and over a
		 * mention in the body (2). A site header's name and a masthead are
		 * the site's own furniture (4); the table wins a tie. */
		best = best < 0 ? -1 : best * 2;
		if (best < 4 && site_e &&
		    outlet_name(&cand, text, len, text + site_s, site_e - site_s, L[site_line].s,
				L[site_line].e, 1) < 0)
			goto nomem;
		for (size_t i = 0, seen_nb = 0; !cand && best < 4 && i < nl && seen_nb < TOP_LINES;
		     i++) {
			const char *s = text + L[i].ts;
			size_t n = L[i].e - L[i].ts, a, b;
			if (L[i].blank || L[i].bp)
				continue;
			seen_nb++;
			cb_ymd d;
			if ((masthead(s, n, &a, &b) || (posted_line(s, n, &d) && posted_org(s, n, &a, &b))) &&
			    outlet_name(&cand, text, len, s + a, b - a, L[i].s, L[i].e, 0) < 0)
				goto nomem;
		}
		if (cand) {
			best = 4;
			best_name = cand;
		}
		for (size_t i = nl; !cand && best < 3 && i-- > 0;) {
			const char *s = text + L[i].ts;
			size_t n = L[i].e - L[i].ts, a, b;
			if (!L[i].blank && (*s == 'C' || *s == 'c' || *s == '(' || *s == '\xc2') &&
			    copyright_owner(s, n, &a, &b)) {
				if (!(cand = strndup(s + a, b - a)))
					goto nomem;
				best = 3;
				best_name = cand;
			}
		}
		/* the site's own host outranks a mere mention in the body */
		char *host = best < 4 && hints ? host_outlet(hints->url) : NULL;
		if (host)
			m->outlet = host;
		else if (best_name && !(m->outlet = strdup(best_name)))
			goto nomem;
	}

	/* A site's name on a line of its own ("Daily NK") is its masthead,
	 * not the headline: the headline is then looked for below it. */
	if (m->title && m->outlet && title_line < nl && same_name(m->title, m->outlet)) {
		free(m->title);
		m->title = NULL;
		if (pick_title(m, text, L, nl, m->outlet, md, &title_line) < 0)
			goto nomem;
		if (!m->title && hints && hints->title && hints->title[0] &&
		    !(m->title = strdup(hints->title)))
			goto nomem;
	}

	/* authors and translators */
	for (size_t i = 0; i < nl; i++) {
		line *l = &L[i];
		if (l->blank)
			continue;
		const char *s = text + l->ts;
		size_t n = l->e - l->ts;
		size_t a, b;
		if (*s == '*' || *s == '-') {
			s++;
			n--;
		}
		if (n < 300 && byline(s, n, &a, &b) &&
		    push_str(&m->authors, &m->n_authors, s + a, b - a) < 0)
			goto nomem;
		if (translator(s, n, &a, &b) &&
		    push_str(&m->translators, &m->n_translators, s + a, b - a) < 0)
			goto nomem;
	}

	*out = m;
	m = NULL;
	goto done;
nomem:
	rc = cb_fail(err, CB_ENOMEM, "docmeta: out of memory");
done:
	cb_docmeta_free(m);
	free(L);
	free(seen);
	free(cand);
	pcre2_match_data_free(md);
	return rc;
}

void cb_docmeta_free(cb_docmeta *m)
{
	size_t i;
	if (!m)
		return;
	free(m->title);
	free(m->outlet);
	for (i = 0; i < m->n_authors; i++)
		free(m->authors[i]);
	free(m->authors);
	for (i = 0; i < m->n_translators; i++)
		free(m->translators[i]);
	free(m->translators);
	free(m->boilerplate);
	free(m);
}

int cb_docmeta_in_boilerplate(const cb_docmeta *m, size_t pos)
{
	if (!m || !m->n_boilerplate)
		return 0;
	/* spans are in text order and do not overlap: binary search */
	size_t lo = 0, hi = m->n_boilerplate;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->boilerplate[mid].end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_boilerplate && pos >= m->boilerplate[lo].start &&
	       pos < m->boilerplate[lo].end;
}
