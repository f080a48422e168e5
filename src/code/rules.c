/*
 * rules.c: see rules.h. Patterns are compiled with PCRE2_UTF | PCRE2_UCP |
 * PCRE2_CASELESS; matching passes PCRE2_NO_UTF_CHECK because cb_extract
 * hands over text it has already made valid.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/embed.h"

/* Generous for a sentence, small enough that a pathological pattern
 * cannot stall the extractor. */
#define CB_RX_MATCH_LIMIT 200000u
#define CB_RX_DEPTH_LIMIT 5000u

#define BAG_WORDS 16 /* 1024 bits: two letters, five bits each */
#define WS_MAX 1024  /* word starts remembered per focus */

struct cb_rx_ctx {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	/* the focus (a sentence): the first two letters of its words */
	const char *focus;
	size_t focus_len;
	uint64_t bag[BAG_WORDS];
	/* where its words start, or nws > WS_MAX when there are too many,
	 * and the bag key of each (its first two bytes in the focus) */
	uint16_t ws[WS_MAX];
	uint16_t wkey[WS_MAX];
	size_t nws;
};

/*
 * A compiled rule. The lines of a rule are kept apart as well as joined:
 * most lines start with a literal word ("\barrest(?:s|ed)?", "\b(?:may|
 * might)"), and such a line is compiled anchored and tried only where one
 * of its first words occurs, found with a first-byte table. Lines that
 * start otherwise ("^\s*or", "\w'll") are searched as they are. The result
 * is what the joined alternation finds (the leftmost match; at one
 * position the first line in file order) at a fraction of the cost, as a
 * sentence has few places where any of a rule's words start.
 */
#define LIT_MAX 24
/* In a literal: one or more spaces (the pattern's \s+). A literal is the
 * first word and what surely follows it ("held\s+in" is "held", LIT_SPACE,
 * "in"), so that a sentence's many "in"s are not each handed to PCRE2. */
#define LIT_SPACE '\x01'

typedef struct rx_lit {
	char s[LIT_MAX]; /* lower case, ASCII, LIT_SPACE */
	unsigned char n;
	unsigned char wb; /* the line demands a word boundary before it */
	unsigned char whole; /* (while built) it is all its alternative holds */
	/* its bag key, and the bits of a key it fixes (a one-letter literal
	 * only the first letter's): text whose key differs there is no match */
	uint16_t key, key_mask;
	/* up to its first 8 bytes before a LIT_SPACE (n8 of them), to be
	 * compared at once: (text | fold) & mask == w, fold the case bit of
	 * its letters */
	unsigned char n8;
	uint64_t w, mask, fold;
} rx_lit;

typedef struct rx_line {
	pcre2_code *re;   /* anchored when nlit > 0 */
	int jit;          /* JIT code present: pcre2_jit_match may run it */
	rx_lit *lit;
	size_t nlit;
	/* A line that starts with optional words ("(?:the\s+)?police") still
	 * needs one of its words: it is searched only where they occur. */
	int gated;
	uint64_t gate[BAG_WORDS];
	uint16_t gate_nz;  /* the words of gate that are not zero, a bit each */
	int gate_back;    /* words the optional ones add before the needed word */
	/* "^(?:Many|Most)\s+": a match only at the subject's start, with one
	 * of lit there */
	int at_start;
} rx_line;

typedef struct cb_rx {
	pcre2_code *joined;     /* the whole rule: the path when lines are too many */
	int joined_jit;
	rx_line *line;
	size_t n;
	uint64_t first[256];    /* per byte: the anchored lines with a word starting so */
	uint64_t inword[256];   /* the same for lines that may start inside a word */
	uint64_t free_lines;    /* lines without a literal start */
	uint64_t nonbag;        /* lines with a literal that may start inside a word */
	uint64_t bag[BAG_WORDS]; /* the first two letters of the other literals */
	uint16_t bag_nz;        /* its words that are not zero, a bit each */
	/* per bag key, the literals of that key, by line: a word start's key
	 * names at once the few literals worth trying there, those of key k
	 * in ent[key_at[k] .. key_at[k + 1]) */
	uint16_t *key_at;
	struct rx_ent {
		uint16_t line, lit;
	} *ent;
	char **src; /* the lines' patterns, for cb_rule_union */
} cb_rx;

/* ASCII word characters: after one, no word boundary can start a word. */
static const unsigned char WORD[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1};

/* The low five bits of each letter: the same for either case. */
static inline unsigned bag_key(unsigned char a, unsigned char b)
{
	return (unsigned)(a & 31) << 5 | (b & 31);
}

static inline int bag_has(const uint64_t *bag, unsigned key)
{
	return (int)((bag[key >> 6] >> (key & 63)) & 1);
}

/* Does the literal fix its word's second letter (not a one-letter word)? */
static inline int lit_two(const rx_lit *l)
{
	return l->n > 1 && l->s[1] != LIT_SPACE;
}

/* The bag keys text starting as l may have (a one-letter literal: with
 * any second letter) into keys[]; returns how many. */
static unsigned lit_keys(const rx_lit *l, unsigned keys[32])
{
	if (lit_two(l)) {
		keys[0] = l->key;
		return 1;
	}
	for (unsigned b = 0; b < 32; b++)
		keys[b] = (l->key & ~31u) | b;
	return 32;
}

/* Adds a literal's start to a bag. */
static void bag_add(uint64_t *bag, const rx_lit *l)
{
	unsigned keys[32], nk = lit_keys(l, keys);
	for (unsigned i = 0; i < nk; i++)
		bag[keys[i] >> 6] |= 1ull << (keys[i] & 63);
}

#define RX_MAX_LINES 64

cb_rx_ctx *cb_rx_ctx_new(void)
{
	/* not calloc: the word tables (4 KB) are written before they are read */
	cb_rx_ctx *cx = malloc(sizeof *cx);
	if (!cx)
		return NULL;
	memset(cx, 0, offsetof(cb_rx_ctx, ws));
	cx->nws = 0;
	cx->md = pcre2_match_data_create(4, NULL);
	cx->mc = pcre2_match_context_create(NULL);
	if (!cx->md || !cx->mc) {
		cb_rx_ctx_free(cx);
		return NULL;
	}
	pcre2_set_match_limit(cx->mc, CB_RX_MATCH_LIMIT);
	pcre2_set_depth_limit(cx->mc, CB_RX_DEPTH_LIMIT);
	return cx;
}

void cb_rx_ctx_free(cb_rx_ctx *cx)
{
	if (!cx)
		return;
	pcre2_match_data_free(cx->md);
	pcre2_match_context_free(cx->mc);
	free(cx);
}

static pcre2_code *compile_flags(const char *pattern, uint32_t extra, int *jit, cb_error *err)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | extra, &ec, &eo,
				       NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		cb_fail(err, CB_EFORMAT, "bad pattern at offset %zu: %s", (size_t)eo,
			(const char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable the interpreter runs. */
	/* No JIT when asked (CASEBOOK_NO_JIT, as under valgrind, which cannot
	 * follow JIT code): the patterns then run interpreted, same results. */
	int j = !getenv("CASEBOOK_NO_JIT") && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	if (jit)
		*jit = j;
	return re;
}

static void rx_free(cb_rx *rx)
{
	if (!rx)
		return;
	pcre2_code_free(rx->joined);
	for (size_t i = 0; i < rx->n; i++) {
		pcre2_code_free(rx->line[i].re);
		free(rx->line[i].lit);
	}
	for (size_t i = 0; rx->src && i < rx->n; i++)
		free(rx->src[i]);
	free(rx->src);
	free(rx->line);
	free(rx->key_at);
	free(rx->ent);
	free(rx);
}

/* ---- literal starts of a pattern ---- */

typedef struct litset {
	rx_lit *v;
	size_t n, cap;
} litset;

static void lit_key(rx_lit *l)
{
	l->key = (uint16_t)bag_key((unsigned char)l->s[0], lit_two(l) ? (unsigned char)l->s[1] : 0);
	l->key_mask = lit_two(l) ? 0x3ff : 0x3e0;
	unsigned char w[8] = {0}, mask[8] = {0}, fold[8] = {0};
	l->n8 = 0;
	while (l->n8 < 8 && l->n8 < l->n && l->s[l->n8] != LIT_SPACE) {
		char c = l->s[l->n8];
		w[l->n8] = (unsigned char)c;
		mask[l->n8] = 0xff;
		fold[l->n8] = c >= 'a' && c <= 'z' ? 0x20 : 0;
		l->n8++;
	}
	memcpy(&l->w, w, 8);
	memcpy(&l->mask, mask, 8);
	memcpy(&l->fold, fold, 8);
}

static int lit_add(litset *ls, const char *s, size_t n, int wb)
{
	if (n == 0 || n >= LIT_MAX)
		return -1;
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? ls->cap * 2 : 8;
		rx_lit *v = realloc(ls->v, nc * sizeof *v);
		if (!v)
			return -1;
		ls->v = v;
		ls->cap = nc;
	}
	rx_lit *l = &ls->v[ls->n++];
	for (size_t i = 0; i < n; i++)
		l->s[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	l->s[n] = 0;
	l->n = (unsigned char)n;
	/* a boundary test only means something before a word character */
	l->wb = wb && ((l->s[0] >= 'a' && l->s[0] <= 'z') || (l->s[0] >= '0' && l->s[0] <= '9'));
	l->whole = 0;
	lit_key(l);
	return 0;
}

static int lit_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ' ' || c == '\'' || c == '-' || c == ',';
}

static int is_quant(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/*
 * Lengthens literal l with what the pattern at p surely matches next:
 * "\s+" (LIT_SPACE) and literal runs, passing over "\b" (an assertion
 * only loosens nothing it skips). Returns 1 when the whole of it up to the
 * end of its alternative ('|', ')' or the end) went in, so that what
 * follows a group may lengthen it further; 0 when it stopped short.
 */
static int lit_extend(rx_lit *l, const char *p)
{
	for (;;) {
		if (l->n >= LIT_MAX - 1)
			return 0;
		if (p[0] == '\\' && p[1] == 's' && p[2] == '+') {
			if (is_quant(p[3]) || l->s[l->n - 1] == LIT_SPACE)
				return 0;
			l->s[l->n++] = LIT_SPACE;
			p += 3;
		} else if (p[0] == '\\' && p[1] == 'b') {
			p += 2;
		} else if (lit_char(*p)) {
			const char *q = p;
			while (lit_char(*q))
				q++;
			int cut = is_quant(*q);
			if (cut)
				q--;
			for (; p < q && l->n < LIT_MAX - 1; p++)
				l->s[l->n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
			if (cut || p < q)
				return 0;
		} else {
			l->s[l->n] = 0;
			lit_key(l);
			return *p == '|' || *p == ')' || !*p;
		}
		l->s[l->n] = 0;
		lit_key(l);
	}
}

/* Skips to the end of the current alternative: *p at '|' or ')' of this
 * depth, or at the end of the pattern. Returns -1 on an unbalanced pattern. */
static int skip_alt(const char **pp)
{
	const char *p = *pp;
	int depth = 0;
	while (*p) {
		if (*p == '\\') {
			if (!p[1])
				return -1;
			p += 2;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return -1;
			p++;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')') {
			if (depth == 0)
				break;
			depth--;
		} else if (*p == '|' && depth == 0)
			break;
		p++;
	}
	*pp = p;
	return 0;
}

/*
 * The literal prefixes of the alternatives of a group whose body starts at
 * *pp ("(?:" already read; top says the body is the whole pattern). Every
 * match of the group starts with one of them (ignoring case). Returns -1
 * when some alternative does not start with a literal.
 */
/* The ')' closing the group whose body starts at p, or NULL (unbalanced). */
static const char *group_close(const char *p)
{
	for (;;) {
		if (skip_alt(&p) < 0)
			return NULL;
		if (*p != '|')
			return *p == ')' ? p : NULL;
		p++;
	}
}

/* Is the group body p[0..n) one word and the spaces after it ("the\s+",
 * "[A-Z][\w-]+\s+"): nothing in it but the final \s+ matches a space? */
static int one_word_then_spaces(const char *p, size_t n)
{
	if (n < 4 || strncmp(p + n - 3, "\\s+", 3))
		return 0;
	n -= 3;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '.' || p[i] == '(' || (p[i] == '[' && p[i + 1] == '^'))
			return 0;
		if (p[i] == '\\') {
			if (i + 1 >= n || !strchr("wdb-", p[i + 1]))
				return 0;
			i++;
		}
	}
	return 1;
}

static int group_lits_b(const char **pp, int top, int wb_outer, int gate, litset *ls,
			int *back);

static int group_lits(const char **pp, int top, int wb_outer, int gate, litset *ls)
{
	return group_lits_b(pp, top, wb_outer, gate, ls, NULL);
}

static int group_lits_b(const char **pp, int top, int wb_outer, int gate, litset *ls, int *back)
{
	const char *p = *pp;
	for (;;) {
		int wb = wb_outer;
		int words = 0;
		if (p[0] == '\\' && p[1] == 'b')
			wb = 1, p += 2;
		/* gate: optional words ending in spaces are passed over, so what
		 * follows them starts a word (after the spaces, or at the \b) */
		while (gate && wb && !strncmp(p, "(?:", 3)) {
			const char *q = group_close(p + 3);
			if (!q || q[1] != '?' || q - p < 6 || strncmp(q - 3, "\\s+", 3))
				break;
			if (!one_word_then_spaces(p + 3, (size_t)(q - p - 3)))
				words = 1000; /* more than a word: no bound on how far back */
			words++;
			p = q + 2;
		}
		if (back && words > *back)
			*back = words;
		if (!strncmp(p, "(?:", 3)) {
			size_t n0 = ls->n;
			p += 3;
			if (group_lits_b(&p, 0, wb, gate, ls, back) < 0)
				return -1;
			/* an optional group is no anchor */
			if (*p == '?' || *p == '*' || (*p == '{' && p[1] == '0'))
				return -1;
			/* what follows the group follows each of its whole words */
			int whole = !is_quant(*p);
			for (size_t k = n0; k < ls->n; k++) {
				if (whole && ls->v[k].whole)
					ls->v[k].whole = (unsigned char)lit_extend(&ls->v[k], p);
				else
					ls->v[k].whole = 0;
			}
		} else if (p[0] == '\\' && p[1] == 'd') {
			/* a number: any digit starts it */
			for (char c = '0'; c <= '9'; c++)
				if (lit_add(ls, &c, 1, wb) < 0)
					return -1;
		} else {
			const char *q = p;
			while (lit_char(*q))
				q++;
			size_t n = (size_t)(q - p);
			if (*q == '?' || *q == '*' || *q == '{')
				n = n ? n - 1 : 0;
			if (lit_add(ls, p, n, wb) < 0)
				return -1;
			/* a run a quantifier ends ("sends?", "a+") is not whole */
			rx_lit *l = &ls->v[ls->n - 1];
			l->whole = !is_quant(*q) && (unsigned char)lit_extend(l, q);
		}
		if (skip_alt(&p) < 0)
			return -1;
		if (*p == '|') {
			p++;
			continue;
		}
		if (*p == ')') {
			if (top)
				return -1;
			*pp = p + 1;
			return 0;
		}
		/* end of the pattern */
		if (!top)
			return -1;
		*pp = p;
		return 0;
	}
}

/* Does the pattern have a '|' outside every group? */
static int top_alternation(const char *p)
{
	return skip_alt(&p) < 0 || *p != 0;
}

/* A line "^" and literal words ("^(?:Many|Most)\s+"): those words, which
 * only the subject's start can hold. -1 for any other line. */
static int start_lits(const char *p, litset *ls)
{
	if (*p != '^' || top_alternation(p))
		return -1;
	p++;
	if (group_lits(&p, 1, 0, 0, ls) < 0 || ls->n == 0)
		return -1;
	return 0;
}

enum { NKEYS = BAG_WORDS * 64 };

/* Walks the anchored lines' word-start literals in line order, each under
 * every key it may have: counts them per key into rx->key_at[key + 1]
 * (fill NULL), or writes them to rx->ent at fill[key]++. Returns how many. */
static size_t key_walk(cb_rx *rx, uint16_t *fill)
{
	size_t total = 0;
	unsigned keys[32];
	for (size_t i = 0; i < rx->n; i++) {
		const rx_line *l = &rx->line[i];
		if (!l->re || (rx->free_lines >> i & 1))
			continue;
		for (size_t k = 0; k < l->nlit; k++) {
			if (!l->lit[k].wb)
				continue;
			unsigned nk = lit_keys(&l->lit[k], keys);
			for (unsigned j = 0; j < nk; j++) {
				if (!fill) {
					rx->key_at[keys[j] + 1]++;
					continue;
				}
				struct rx_ent *e = &rx->ent[fill[keys[j]]++];
				e->line = (uint16_t)i;
				e->lit = (uint16_t)k;
			}
			total += nk;
		}
	}
	return total;
}

/* rx->key_at and rx->ent: the literals of each key in line order, the
 * order try_at must keep. */
static int key_index(cb_rx *rx, cb_error *err)
{
	if (!(rx->key_at = calloc(NKEYS + 1, sizeof *rx->key_at)))
		return cb_fail(err, CB_ENOMEM, "rules: out of memory");
	size_t total = key_walk(rx, NULL);
	if (total > UINT16_MAX)
		return cb_fail(err, CB_EFORMAT, "rules: a rule whose words start more than %u ways",
			       UINT16_MAX);
	for (size_t k = 0; k < NKEYS; k++)
		rx->key_at[k + 1] = (uint16_t)(rx->key_at[k + 1] + rx->key_at[k]);
	if (!(rx->ent = malloc((total ? total : 1) * sizeof *rx->ent)))
		return cb_fail(err, CB_ENOMEM, "rules: out of memory");
	uint16_t fill[NKEYS];
	memcpy(fill, rx->key_at, sizeof fill);
	key_walk(rx, fill);
	return 0;
}

/* Does the group body p[0..n) end so that what follows it starts a word:
 * in spaces ("\w+\s+"), or in a mark and maybe spaces (",\s*")? */
static int ends_before_word(const char *p, size_t n)
{
	if (n >= 3 && !strncmp(p + n - 3, "\\s+", 3))
		return 1;
	if (n >= 3 && !strncmp(p + n - 3, "\\s*", 3))
		n -= 3;
	return n >= 1 && strchr(",;:.!?", p[n - 1]) && (n < 2 || p[n - 2] != '\\');
}

/*
 * A line "^\s*(?:\w+\s+){0,3}?if\b": past the start, spaces and groups that
 * may match nothing, one of the words lit must start a word (after a space,
 * a mark, or at the subject's start). Those words into ls; -1 when the line
 * is not of that shape.
 */
static int start_word_lits(const char *p, litset *ls)
{
	if (*p != '^' || top_alternation(p))
		return -1;
	p++;
	for (;;) {
		if (p[0] == '\\' && p[1] == 's' && (p[2] == '*' || p[2] == '+')) {
			p += 3;
		} else if (!strncmp(p, "(?:", 3)) {
			const char *q = group_close(p + 3);
			if (!q || !ends_before_word(p + 3, (size_t)(q - p - 3)))
				return -1;
			q++;
			if (*q == '?' || *q == '*') {
				q++;
			} else if (q[0] == '{' && q[1] == '0' && (q[2] == ',' || q[2] == '}')) {
				while (*q && *q != '}')
					q++;
				if (!*q)
					return -1;
				q++;
			} else {
				return -1;
			}
			if (*q == '?' || *q == '+')
				q++; /* lazy, possessive */
			p = q;
		} else {
			break;
		}
	}
	if (group_lits(&p, 1, 0, 0, ls) < 0 || ls->n == 0)
		return -1;
	for (size_t k = 0; k < ls->n; k++)
		if (!WORD[(unsigned char)ls->v[k].s[0]] || ls->v[k].s[0] == '_')
			return -1;
	return 0;
}

/* The lines as one alternation, "(?:a)|(?:b)" (one line as it is; none,
 * a pattern that matches nothing) into *out; -1 when too long. */
static int join_lines(cb_buf *out, char *const *lines, size_t n, cb_error *err)
{
	if (n == 0)
		return cb_buf_puts(out, "(?!)", err);
	if (n == 1)
		return cb_buf_puts(out, lines[0], err);
	for (size_t i = 0; i < n; i++)
		if ((i && cb_buf_putc(out, '|', err) < 0) || cb_buf_puts(out, "(?:", err) < 0 ||
		    cb_buf_puts(out, lines[i], err) < 0 || cb_buf_putc(out, ')', err) < 0)
			return -1;
	return 0;
}

static cb_rx *rx_build(char *const *lines, size_t n, cb_error *err)
{
	cb_rx *rx = calloc(1, sizeof *rx);
	if (!rx) {
		cb_fail(err, CB_ENOMEM, "rules: out of memory");
		return NULL;
	}
	cb_buf joined;
	cb_buf_init(&joined, 1u << 20);
	if (join_lines(&joined, lines, n, err) < 0 ||
	    !(rx->joined = compile_flags(joined.ptr, 0, &rx->joined_jit, err))) {
		cb_buf_free(&joined);
		goto fail;
	}
	cb_buf_free(&joined);
	if (n > RX_MAX_LINES)
		return rx; /* the joined pattern serves alone */
	if (!(rx->line = calloc(n ? n : 1, sizeof *rx->line)) ||
	    !(rx->src = calloc(n ? n : 1, sizeof *rx->src))) {
		cb_fail(err, CB_ENOMEM, "rules: out of memory");
		goto fail;
	}
	rx->n = n;
	for (size_t i = 0; i < n; i++)
		if (!(rx->src[i] = strdup(lines[i]))) {
			cb_fail(err, CB_ENOMEM, "rules: out of memory");
			goto fail;
		}
	for (size_t i = 0; i < n; i++) {
		litset ls = {0};
		const char *p = lines[i];
		int ok = group_lits(&p, 1, 0, 0, &ls) == 0 && ls.n > 0;
		rx_line *l = &rx->line[i];
		if (!ok) {
			/* gated: every literal found passing optional words must
			 * start a word */
			ls.n = 0;
			p = lines[i];
			int back = 0;
			if (group_lits_b(&p, 1, 0, 1, &ls, &back) == 0 && ls.n > 0) {
				l->gated = 1;
				for (size_t k = 0; k < ls.n; k++) {
					if (!ls.v[k].wb)
						l->gated = 0;
					bag_add(l->gate, &ls.v[k]);
				}
				l->gate_back = back < 1000 ? back : -1;
				if (l->gated && l->gate_back >= 0) {
					/* its words, to find where a search may begin */
					l->lit = ls.v;
					l->nlit = ls.n;
					ls.v = NULL;
				}
			}
			free(ls.v);
			ls.v = NULL;
		}
		if (ok) {
			l->lit = ls.v;
			ls.v = NULL;
			l->nlit = ls.n;
			for (size_t k = 0; k < ls.n; k++) {
				unsigned char c = (unsigned char)l->lit[k].s[0];
				rx->first[c] |= 1ull << i;
				if (c >= 'a' && c <= 'z')
					rx->first[c - 32] |= 1ull << i;
				if (l->lit[k].wb)
					bag_add(rx->bag, &l->lit[k]);
				else
					rx->nonbag |= 1ull << i;
				if (!l->lit[k].wb) {
					rx->inword[c] |= 1ull << i;
					if (c >= 'a' && c <= 'z')
						rx->inword[c - 32] |= 1ull << i;
				}
			}
		} else {
			rx->free_lines |= 1ull << i;
			if (!l->lit) {
				litset nl = {0};
				if (start_lits(lines[i], &nl) == 0) {
					l->gated = 0;
					l->at_start = 1;
					l->lit = nl.v;
					l->nlit = nl.n;
					nl.v = NULL;
				} else if ((nl.n = 0, start_word_lits(lines[i], &nl)) == 0) {
					/* searched only where the focus has one of its words */
					l->gated = 1;
					l->gate_back = -1;
					for (size_t k = 0; k < nl.n; k++)
						bag_add(l->gate, &nl.v[k]);
				}
				free(nl.v);
			}
		}
		if (!(l->re = compile_flags(lines[i], ok ? PCRE2_ANCHORED : 0, &l->jit, err)))
			goto fail;
		for (int k = 0; k < BAG_WORDS; k++)
			if (l->gate[k])
				l->gate_nz |= (uint16_t)(1u << k);
	}
	for (int k = 0; k < BAG_WORDS; k++)
		if (rx->bag[k])
			rx->bag_nz |= (uint16_t)(1u << k);
	if (key_index(rx, err) < 0)
		goto fail;
	return rx;
fail:
	rx_free(rx);
	return NULL;
}

void *cb_rule_compile(const char *pattern, cb_error *err)
{
	char *one = (char *)pattern;
	return rx_build(&one, 1, err);
}

void cb_rule_pattern_free(void *re)
{
	rx_free((cb_rx *)re);
}

/* One match of re at or after from; -1 none (or a limit hit), else the
 * match start, its end in *me. */
static long run(const pcre2_code *re, int jit, cb_rx_ctx *cx, const char *s, size_t len,
		size_t from, size_t *me)
{
	int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK, cx->md,
				       cx->mc)
		     : pcre2_match(re, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK, cx->md,
				   cx->mc);
	if (rc <= 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cx->md);
	if (ov[0] > ov[1] || ov[1] > len)
		return -1;
	*me = ov[1];
	return (long)ov[0];
}


void cb_rx_focus(cb_rx_ctx *cx, const char *s, size_t len)
{
	memset(cx->bag, 0, sizeof cx->bag);
	cx->focus = s;
	cx->focus_len = len;
	cx->nws = len > UINT16_MAX ? WS_MAX + 1 : 0;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0;;) {
		/* over the gap to the next word, and then over the word */
		while (i < len && !WORD[u[i]])
			i++;
		if (i >= len)
			break;
		unsigned key = bag_key(u[i], i + 1 < len ? u[i + 1] : 0);
		cx->bag[key >> 6] |= 1ull << (key & 63);
		if (cx->nws < WS_MAX) {
			cx->ws[cx->nws] = (uint16_t)i;
			cx->wkey[cx->nws] = (uint16_t)key;
		}
		cx->nws++;
		while (i < len && WORD[u[i]])
			i++;
	}
}

/* May a word starting as one in bag occur in s[from..len)? Not when the
 * window lies in the focus and none of the focus's words starts so (nor
 * the window's first word, which may start inside one of them). */
static int bag_may(const uint64_t *bag, unsigned nz, const cb_rx_ctx *cx, const char *s,
		   size_t len, size_t from)
{
	if (!cx->focus || s + from < cx->focus || s + len > cx->focus + cx->focus_len)
		return 1;
	uint64_t any = 0;
	for (; nz; nz &= nz - 1) { /* a rule's letters fill few of the words */
		int k = __builtin_ctz(nz);
		any |= bag[k] & cx->bag[k];
	}
	if (any)
		return 1;
	if (from < len)
		return bag_has(bag, bag_key((unsigned char)s[from],
					    from + 1 < len ? (unsigned char)s[from + 1] : 0));
	return 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* lit_at past the first i bytes of l, matched at s[pos..j). */
static int lit_rest(const rx_lit *l, const char *s, size_t len, size_t i, size_t j)
{
	const unsigned char *u = (const unsigned char *)s;
	int past = 0;
	for (; i < l->n; i++) {
		if (j >= len)
			return 0;
		unsigned char c = u[j];
		if (l->s[i] == LIT_SPACE) {
			if (c >= 0x80)
				return 1;
			if (!is_space(c))
				return 0;
			while (j < len && is_space(u[j]))
				j++;
			past = 1;
			continue;
		}
		if (past && c >= 0x80)
			return 1;
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (unsigned char)l->s[i])
			return 0;
		j++;
	}
	return 1;
}

/* May a match of l's line start at pos? 0 when the text there surely
 * differs. Past the first word a byte outside ASCII may be a space or a
 * letter PCRE2 folds to an ASCII one: there the answer is yes. */
static inline int lit_at(const rx_lit *l, const char *s, size_t len, size_t pos)
{
	if (l->n > len - pos)
		return 0;
	size_t i = 0;
	if (len - pos >= 8) {
		uint64_t t;
		memcpy(&t, s + pos, 8);
		if (((t | l->fold) & l->mask) != l->w)
			return 0;
		i = l->n8;
	}
	if (l->wb && pos > 0 && WORD[(unsigned char)s[pos - 1]])
		return 0;
	return i == l->n || lit_rest(l, s, len, i, pos + i);
}

/* Does one of a gated line's needed words start at pos, a word start? */
static inline int gate_word_at(const rx_line *l, const char *s, size_t len, size_t pos)
{
	const unsigned char *u = (const unsigned char *)s;
	if (pos > 0 && WORD[u[pos - 1]])
		return 0;
	if (!bag_has(l->gate, bag_key(u[pos], pos + 1 < len ? u[pos + 1] : 0)))
		return 0;
	for (size_t k = 0; k < l->nlit; k++)
		if (lit_at(&l->lit[k], s, len, pos))
			return 1;
	return 0;
}

/* Where a gated line's search may begin: a match holds one of its words
 * at a word start, with at most gate_back words before it, so the search
 * starts that many words before the first such word ((size_t)-1: none). */
static size_t gate_start(const rx_line *l, const cb_rx_ctx *cx, const char *s, size_t len,
			 size_t from)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p0 = (size_t)-1;
	/* In the focus its words are known: only they are looked at (a
	 * needed word starts a word, its first letter a word character). */
	if (cx->focus && s + from >= cx->focus && s + len <= cx->focus + cx->focus_len &&
	    cx->nws <= WS_MAX) {
		/* the window's first word, which may start inside one of them */
		if (from < len && gate_word_at(l, s, len, from))
			p0 = from;
		for (size_t k = 0; k < cx->nws && p0 == (size_t)-1; k++) {
			const char *w = cx->focus + cx->ws[k];
			if (w < s + from)
				continue;
			size_t pos = (size_t)(w - s);
			if (pos >= len)
				break;
			if (gate_word_at(l, s, len, pos))
				p0 = pos;
		}
	} else {
		for (size_t pos = from; pos < len && p0 == (size_t)-1; pos++)
			if (gate_word_at(l, s, len, pos))
				p0 = pos;
	}
	if (p0 == (size_t)-1)
		return p0;
	/* words here are runs of anything but ASCII spaces: a Unicode space
	 * only makes the step back longer */
	size_t i = p0;
	for (int w = 0; w < l->gate_back; w++) {
		while (i > from && is_space(u[i - 1]))
			i--;
		while (i > from && !is_space(u[i - 1]))
			i--;
	}
	return i;
}

/* Does one of l's literals start at pos? */
static int lits_at(const rx_line *l, const char *s, size_t len, size_t pos)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned key = bag_key(u[pos], pos + 1 < len ? u[pos + 1] : 0);
	for (size_t k = 0; k < l->nlit; k++)
		if (!((key ^ l->lit[k].key) & l->lit[k].key_mask) && lit_at(&l->lit[k], s, len, pos))
			return 1;
	return 0;
}

/* The anchored lines of rx with a literal of the bag key of the word at
 * pos tried there, in line order: 1 and the match in [*ms, *me) if one
 * matches (at best, only lines before best_line). */
static inline int try_at(const cb_rx *rx, cb_rx_ctx *cx, const char *s, size_t len,
			 size_t pos, unsigned key, size_t best, size_t best_line, size_t *ms,
			 size_t *me, size_t *line)
{
	size_t lim = pos == best ? best_line : RX_MAX_LINES, tried = RX_MAX_LINES;
	for (size_t x = rx->key_at[key], end = rx->key_at[key + 1]; x < end; x++) {
		size_t i = rx->ent[x].line, e;
		if (i >= lim)
			break;
		if (i == tried)
			continue;
		const rx_line *l = &rx->line[i];
		if (!lit_at(&l->lit[rx->ent[x].lit], s, len, pos))
			continue;
		tried = i;
		long st = run(l->re, l->jit, cx, s, len, pos, &e);
		if (st >= 0) {
			*ms = (size_t)st;
			*me = e;
			*line = i;
			return 1;
		}
	}
	return 0;
}

int cb_rule_find_joined(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
			size_t *ms, size_t *me)
{
	const cb_rx *rx = re;
	if (!rx || !cx || from > len)
		return 0;
	long st = run(rx->joined, rx->joined_jit, cx, s, len, from, me);
	if (st < 0)
		return 0;
	*ms = (size_t)st;
	return 1;
}

/* cb_rule_find and cb_rule_find_line, one body made twice: the search is
 * the extractor's hottest path, and the line it may be asked for costs
 * the other nothing. */
__attribute__((always_inline)) static inline int find_line(const void *re, cb_rx_ctx *cx,
							   const char *s, size_t len,
							   size_t from, size_t *ms, size_t *me,
							   size_t *line)
{
	const cb_rx *rx = re;
	if (!rx || !cx || from > len)
		return 0;
	*line = (size_t)-1;
	if (!rx->line) {
		long st = run(rx->joined, rx->joined_jit, cx, s, len, from, me);
		if (st < 0)
			return 0;
		*ms = (size_t)st;
		return 1;
	}
	/* Lines without a literal start: searched whole. */
	size_t best = (size_t)-1, best_end = 0, best_line = RX_MAX_LINES;
	for (uint64_t m = rx->free_lines; m; m &= m - 1) {
		size_t i = (size_t)__builtin_ctzll(m), e;
		const rx_line *l = &rx->line[i];
		if (l->gated && !bag_may(l->gate, l->gate_nz, cx, s, len, from))
			continue;
		if (l->at_start && (from > 0 || from >= len || !lits_at(l, s, len, 0)))
			continue;
		size_t start = from;
		if (l->gated && l->nlit && (start = gate_start(l, cx, s, len, from)) == (size_t)-1)
			continue;
		long st = run(l->re, l->jit, cx, s, len, start, &e);
		if (st >= 0 && (size_t)st < best) {
			best = (size_t)st;
			best_end = e;
			best_line = i;
		}
	}
	/* Anchored lines, position by position, up to the best so far. */
	size_t stop = best < len ? best + 1 : len;
	if (!rx->nonbag && !bag_may(rx->bag, rx->bag_nz, cx, s, len, from))
		stop = from;
	const unsigned char *u = (const unsigned char *)s;
	unsigned char prev = from > 0 ? u[from - 1] : ' ';
	/* Lines that start words can only start where the focus's words do:
	 * those are visited instead of every byte (the window's first byte
	 * too, which starts a word of the window). */
	if (!rx->nonbag && cx->focus && s + from >= cx->focus &&
	    s + len <= cx->focus + cx->focus_len && cx->nws <= WS_MAX) {
		if (from < stop && !WORD[prev] &&
		    try_at(rx, cx, s, len, from, bag_key(u[from], from + 1 < len ? u[from + 1] : 0),
			   best, best_line, ms, me, line))
			return 1;
		/* the first word start after from */
		size_t lo = 0, hi = cx->nws;
		/* most searches start at the focus's start: no search for it */
		if (s + from <= cx->focus) {
			while (lo < hi && cx->focus + cx->ws[lo] <= s + from)
				lo++;
		} else {
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (cx->focus + cx->ws[mid] <= s + from)
					lo = mid + 1;
				else
					hi = mid;
			}
		}
		for (size_t k = lo; k < cx->nws; k++) {
			const char *w = cx->focus + cx->ws[k];
			size_t pos = (size_t)(w - s);
			if (pos >= stop)
				break;
			/* the key looks at the focus, not the window: for a
			 * word on the window's last byte its second letter is
			 * one no literal that fits the window (of one letter)
			 * looks at */
			if (bag_has(rx->bag, cx->wkey[k]) &&
			    try_at(rx, cx, s, len, pos, cx->wkey[k], best, best_line, ms, me, line))
				return 1;
		}
		stop = from; /* done */
	}
	for (size_t pos = from; pos < stop; pos++) {
		unsigned char c = u[pos];
		uint64_t m;
		if (WORD[prev]) {
			m = rx->inword[c];
		} else {
			m = rx->first[c];
			/* the first two letters rule out most word starts */
			if (m && !bag_has(rx->bag, bag_key(c, pos + 1 < len ? u[pos + 1] : 0)))
				m &= rx->nonbag;
		}
		prev = c;
		if (!m)
			continue;
		if (pos == best)
			m &= (1ull << best_line) - 1; /* only lines before the free one */
		for (; m; m &= m - 1) {
			size_t i = (size_t)__builtin_ctzll(m), e;
			const rx_line *l = &rx->line[i];
			int hit = 0;
			for (size_t k = 0; k < l->nlit && !hit; k++)
				hit = lit_at(&l->lit[k], s, len, pos);
			if (!hit)
				continue;
			long st = run(l->re, l->jit, cx, s, len, pos, &e);
			if (st >= 0) {
				*ms = (size_t)st;
				*me = e;
				*line = i;
				return 1;
			}
		}
	}
	if (best == (size_t)-1)
		return 0;
	*ms = best;
	*me = best_end;
	*line = best_line;
	return 1;
}

int cb_rule_find(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
		 size_t *ms, size_t *me)
{
	size_t line;
	return find_line(re, cx, s, len, from, ms, me, &line);
}

int cb_rule_find_line(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
		      size_t *ms, size_t *me, size_t *line)
{
	return find_line(re, cx, s, len, from, ms, me, line);
}

void *cb_rule_union(const void *const *res, size_t n, unsigned char owner[64], cb_error *err)
{
	size_t total = 0;
	for (size_t k = 0; k < n; k++) {
		const cb_rx *rx = res[k];
		if (!rx->src) {
			cb_fail(err, CB_EINVAL, "rules: a rule of more than %d lines joins no union",
				RX_MAX_LINES);
			return NULL;
		}
		total += rx->n;
	}
	if (total > RX_MAX_LINES) {
		cb_fail(err, CB_EINVAL, "rules: a union of more than %d lines", RX_MAX_LINES);
		return NULL;
	}
	char *lines[RX_MAX_LINES];
	size_t nl = 0;
	for (size_t k = 0; k < n; k++) {
		const cb_rx *rx = res[k];
		for (size_t i = 0; i < rx->n; i++) {
			owner[nl] = (unsigned char)k;
			lines[nl++] = rx->src[i];
		}
	}
	return rx_build(lines, nl, err);
}

void cb_rules_free(cb_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->rules[i].label[0]);
		free(rs->rules[i].label[1]);
		cb_rule_pattern_free(rs->rules[i].re);
	}
	free(rs->rules);
	free(rs);
}

/* A group of lines sharing labels, before compilation. */
typedef struct pending {
	char *label[2];
	char **line; /* each line's pattern alone */
	size_t nline;
} pending;

int cb_rules_parse(cb_ruleset **out, const char *name, const char *data, size_t len,
		   int nlabels, cb_error *err)
{
	cb_ruleset *rs = NULL;
	pending *pend = NULL;
	size_t npend = 0;
	int rc = 0;
	size_t lineno = 0;

	*out = NULL;
	if (nlabels < 0 || nlabels > 2)
		return cb_fail(err, CB_EINVAL, "%s: bad label count", name);
	for (size_t p = 0; p < len;) {
		size_t e = p;
		while (e < len && data[e] != '\n')
			e++;
		lineno++;
		const char *line = data + p;
		size_t ll = e - p;
		p = e + 1;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		const char *col[3];
		size_t cl[3];
		int nc = 0;
		size_t cs = 0;
		for (size_t i = 0; i <= ll && nc < 3; i++) {
			if (i == ll || (line[i] == '\t' && nc < nlabels)) {
				col[nc] = line + cs;
				cl[nc] = i - cs;
				nc++;
				cs = i + 1;
				if (nc == nlabels) {
					col[nc] = line + cs;
					cl[nc] = ll - cs;
					nc++;
					break;
				}
			}
		}
		if (nc != nlabels + 1 || cl[nlabels] == 0) {
			rc = cb_fail(err, CB_EFORMAT, "%s:%zu: expected %d labels and a pattern",
				     name, lineno, nlabels);
			goto done;
		}
		size_t k;
		for (k = 0; k < npend; k++) {
			int same = 1;
			for (int l = 0; l < nlabels; l++)
				if (strlen(pend[k].label[l]) != cl[l] ||
				    memcmp(pend[k].label[l], col[l], cl[l]) != 0)
					same = 0;
			if (same)
				break;
		}
		if (k == npend) {
			pending *np = realloc(pend, (npend + 1) * sizeof *np);
			if (!np) {
				rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
				goto done;
			}
			pend = np;
			memset(&pend[npend], 0, sizeof pend[npend]);
			npend++;
			for (int l = 0; l < nlabels; l++) {
				pend[k].label[l] = strndup(col[l], cl[l]);
				if (!pend[k].label[l]) {
					rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
					goto done;
				}
			}
		}
		/* Check each line alone so that an error names its line. */
		char *one = strndup(col[nlabels], cl[nlabels]);
		if (!one) {
			rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
			goto done;
		}
		pcre2_code *t = compile_flags(one, 0, NULL, err);
		if (!t) {
			free(one);
			rc = cb_error_prefix(err, "%s:%zu", name, lineno);
			goto done;
		}
		pcre2_code_free(t);
		char **nl = realloc(pend[k].line, (pend[k].nline + 1) * sizeof *nl);
		if (!nl) {
			free(one);
			rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
			goto done;
		}
		pend[k].line = nl;
		nl[pend[k].nline++] = one;
	}
	rs = calloc(1, sizeof *rs);
	if (!rs || (npend && !(rs->rules = calloc(npend, sizeof *rs->rules)))) {
		rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	for (size_t k = 0; k < npend; k++) {
		cb_rule *r = &rs->rules[rs->n];
		r->re = rx_build(pend[k].line, pend[k].nline, err);
		if (!r->re) {
			rc = cb_error_prefix(err, "%s", name);
			goto done;
		}
		r->label[0] = pend[k].label[0];
		r->label[1] = pend[k].label[1];
		pend[k].label[0] = pend[k].label[1] = NULL;
		rs->n++;
	}
done:
	for (size_t k = 0; k < npend; k++) {
		free(pend[k].label[0]);
		free(pend[k].label[1]);
		for (size_t i = 0; i < pend[k].nline; i++)
			free(pend[k].line[i]);
		free(pend[k].line);
	}
	free(pend);
	if (rc < 0) {
		cb_rules_free(rs);
		rs = NULL;
	}
	*out = rs;
	return rc;
}

int cb_rules_load(cb_ruleset **out, const char *name, int nlabels, cb_error *err)
{
	const cb_embedded *e = cb_embedded_find(name);
	*out = NULL;
	if (!e)
		return cb_fail(err, CB_ENOTFOUND, "rule table %s is not embedded", name);
	return cb_rules_parse(out, name, (const char *)e->data, e->len, nlabels, err);
}
