/*
 * gazetteer.c: places, from libgeonames' cities and the project's tables in
 * data/gazetteer/ (admin1.tsv, places.tsv, countries.tsv, stoplist.tsv).
 *
 * Implementation notes. Every spelling of every place goes, folded (lower
 * case, diacritics and apostrophes dropped, hyphens as spaces), into one
 * open-addressing hash table built once in cb_gazetteer_new. Where two
 * places share a spelling, the stronger claim keeps it: the project's own
 * cities, then countries, then provinces, then libgeonames cities in China,
 * the Koreas and their neighbours, then other cities by population. Every
 * word-prefix of a multi-word name is in the table too (marked as a
 * prefix), so that the scanner extends a candidate only while some name
 * still starts that way: one left-to-right pass, a few lookups per
 * capitalised word.
 *
 * Most bytes of a report are lower-case words, which name nothing: the
 * scan passes over them sixteen bytes at a time (skip_plain, with SSE2
 * where the compiler has it), and reads a word of plain ASCII letters,
 * its end and folded form, in one go (ascii_word). Both are shortcuts of
 * word_end and fold_append and must agree with them byte for byte; where
 * they cannot tell, they leave the word to them.
 *
 * libgeonames spells provinces its own way ("Hamgyŏng-bukto", "Inner
 * Mongolia Autonomous Region"); they are mapped to the codebook's admin1
 * names through admin1.tsv, or by dropping "Province"/"Municipality".
 */
#include "code/gazetteer.h"

#include <ctype.h>
#include <geonames.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/embed.h"

/* Countries, cities in them and their neighbours rank first when a name is
 * shared ("Jilin" is a province before a city in ...). */
static const char *const DOMAIN[] = {"CN", "KP", "KR", "LA", "VN", "TH", "MN", "RU",
				     "KH", "MM", NULL};

enum {
	PRI_OTHER = 0,     /* + up to 99 by population */
	PRI_DOMAIN = 100,  /* + up to 99 by population */
	PRI_ADMIN1 = 200,
	PRI_COUNTRY = 250,
	PRI_CURATED = 300
};

enum { F_PREFIX = 1, F_STOP = 2, F_NAME = 4 };

typedef struct entry {
	const char *key; /* folded, in the arena */
	uint32_t hash;
	int32_t place;   /* index into places, -1 for a prefix or stop-only entry */
	short pri;
	unsigned char flags;
} entry;

typedef struct demonym {
	const char *key;
	char cc[3];
} demonym;

struct cb_gazetteer {
	cb_place *places;
	size_t n_places, cap_places;
	entry *tab;
	size_t tab_cap; /* power of two */
	size_t tab_used;
	char **blocks;  /* arena blocks */
	size_t n_blocks;
	char *blk;
	size_t blk_left;
	demonym *dem;
	size_t n_dem;
	size_t max_words; /* words in the longest name */
	int the_names;    /* "the" alone names a place: the scan reads every "the" */
};

/* ---- arena ---- */

static char *arena_dup(cb_gazetteer *g, const char *s, size_t n)
{
	if (n + 1 > g->blk_left) {
		size_t sz = n + 1 > 65536 ? n + 1 : 65536;
		char **nb = realloc(g->blocks, (g->n_blocks + 1) * sizeof *nb);
		if (!nb)
			return NULL;
		g->blocks = nb;
		g->blk = malloc(sz);
		if (!g->blk)
			return NULL;
		g->blocks[g->n_blocks++] = g->blk;
		g->blk_left = sz;
	}
	char *r = g->blk;
	memcpy(r, s, n);
	r[n] = '\0';
	g->blk += n + 1;
	g->blk_left -= n + 1;
	return r;
}

/* ---- folding ---- */

/* ASCII letters and digits (1; upper-case letters 2), without locale
 * lookups: the scan and the folding test every byte of a report. */
static const unsigned char ascii_alnum[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2,
	['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2,
	['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2,
	['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2,
};

/* The folded form of an ASCII letter or digit, 0 for any other byte (the
 * scan folds a capitalised word as it reads it). */
static const unsigned char ascii_fold[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5',
	['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['a'] = 'a', ['b'] = 'b',
	['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h',
	['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
	['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
	['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l',
	['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
	['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x',
	['Y'] = 'y', ['Z'] = 'z',
};

/* Decodes one code point (s valid or not: never reads past n). */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
	utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, cp);
	if (k <= 0) {
		*cp = -1;
		return 1;
	}
	return (size_t)k;
}

static int is_apostrophe(int32_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB || c == '`';
}

static int cp_is_letter(int32_t c)
{
	if (c < 0)
		return 0;
	if (c < 0x80)
		return ascii_alnum[c] != 0;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}


/* Appends the folded form of s[0..n) to out (cap bytes); returns the new
 * length, or cap when it does not fit. Spaces and hyphens become one
 * space; apostrophes and periods vanish; letters lose case and marks. */
static size_t fold_append(char *out, size_t len, size_t cap, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			if (ascii_alnum[c]) {
				if (len + 1 >= cap)
					return cap;
				out[len++] = (char)(ascii_alnum[c] == 2 ? c + 32 : c);
			} else if (c == ' ' || c == '-' || c == '_' || c == '\t') {
				if (len > 0 && out[len - 1] != ' ') {
					if (len + 1 >= cap)
						return cap;
					out[len++] = ' ';
				}
			}
			continue;
		}
		int32_t cp;
		i += decode(s + i, n - i, &cp);
		if (cp < 0 || is_apostrophe(cp))
			continue;
		if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x00A0) {
			if (len > 0 && out[len - 1] != ' ') {
				if (len + 1 >= cap)
					return cap;
				out[len++] = ' ';
			}
			continue;
		}
		if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0) { /* Đ đ: no decomposition */
			if (len + 1 >= cap)
				return cap;
			out[len++] = 'd';
			continue;
		}
		utf8proc_int32_t dec[8];
		int last = 0;
		utf8proc_ssize_t k = utf8proc_decompose_char(
			cp, dec, 8,
			UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT,
			&last);
		if (k < 0 || k > 8)
			continue;
		for (utf8proc_ssize_t j = 0; j < k; j++) {
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t e = utf8proc_encode_char(dec[j], enc);
			if (len + (size_t)e >= cap)
				return cap;
			memcpy(out + len, enc, (size_t)e);
			len += (size_t)e;
		}
	}
	return len;
}

static size_t fold(char *out, size_t cap, const char *s, size_t n)
{
	size_t len = fold_append(out, 0, cap, s, n);
	if (len >= cap)
		return 0;
	while (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
	return len;
}

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The table's hash of a folded key, eight bytes at a time (the scan hashes
 * every capitalised word of a report). The last eight are padded with
 * zeros; key_hash_padded reads them from a key that is followed by eight
 * zero bytes, and gives the same hash. */
#define KEY_MUL 0x9E3779B97F4A7C15u

static uint32_t key_mix(uint64_t h)
{
	h ^= h >> 29; /* the top bytes of the last eight reach the low bits */
	h *= KEY_MUL;
	return (uint32_t)(h >> 32);
}

static uint32_t key_hash(const char *s, size_t n)
{
	uint64_t h = 0, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * KEY_MUL;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * KEY_MUL;
	}
	return key_mix(h);
}

static uint32_t key_hash_padded(const char *s, size_t n)
{
	uint64_t h = 0, w;
	for (size_t i = 0; i < n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * KEY_MUL;
	}
	return key_mix(h);
}

/* ---- table ---- */

static entry *tab_find(const cb_gazetteer *g, const char *key, size_t n, uint32_t h)
{
	size_t mask = g->tab_cap - 1, i = h & mask;
	while (g->tab[i].key) {
		if (g->tab[i].hash == h && !strncmp(g->tab[i].key, key, n) && !g->tab[i].key[n])
			return &g->tab[i];
		i = (i + 1) & mask;
	}
	return NULL;
}

static int tab_grow(cb_gazetteer *g)
{
	size_t nc = g->tab_cap ? g->tab_cap * 2 : 131072;
	entry *nt = calloc(nc, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < g->tab_cap; i++) {
		if (!g->tab[i].key)
			continue;
		size_t j = g->tab[i].hash & (nc - 1);
		while (nt[j].key)
			j = (j + 1) & (nc - 1);
		nt[j] = g->tab[i];
	}
	free(g->tab);
	g->tab = nt;
	g->tab_cap = nc;
	return 0;
}

/* The entry for key, created empty when absent; NULL on no memory. */
static entry *tab_get(cb_gazetteer *g, const char *key, size_t n)
{
	if ((g->tab_used + 1) * 2 > g->tab_cap && tab_grow(g) < 0)
		return NULL;
	uint32_t h = key_hash(key, n);
	entry *e = tab_find(g, key, n, h);
	if (e)
		return e;
	size_t mask = g->tab_cap - 1, i = h & mask;
	while (g->tab[i].key)
		i = (i + 1) & mask;
	e = &g->tab[i];
	e->key = arena_dup(g, key, n);
	if (!e->key)
		return NULL;
	e->hash = h;
	e->place = -1;
	e->pri = -1;
	e->flags = 0;
	g->tab_used++;
	return e;
}

/* Files a spelling of place pi with priority pri. */
static int add_key(cb_gazetteer *g, const char *key, size_t kl, int32_t pi, int pri);

static int add_name(cb_gazetteer *g, const char *name, size_t n, int32_t pi, int pri)
{
	char key[256];
	size_t kl = fold(key, sizeof key, name, n);
	if (!kl)
		return 0;
	return add_key(g, key, kl, pi, pri);
}

/* Files an already folded spelling. */
static int add_key(cb_gazetteer *g, const char *key, size_t kl, int32_t pi, int pri)
{
	entry *e = tab_get(g, key, kl);
	if (!e)
		return -1;
	if (!(e->flags & F_NAME) || pri > e->pri) {
		e->place = pi;
		e->pri = (short)pri;
	}
	e->flags |= F_NAME;
	/* every shorter word-prefix, so that the scanner knows to go on */
	size_t words = 1;
	for (size_t i = 0; i < kl; i++) {
		if (key[i] != ' ')
			continue;
		words++;
		entry *p = tab_get(g, key, i);
		if (!p)
			return -1;
		p->flags |= F_PREFIX;
	}
	if (words > g->max_words)
		g->max_words = words;
	return 0;
}

static int32_t new_place(cb_gazetteer *g, const char *name, const char *admin1,
			 const char *cc, cb_place_kind kind, long pop)
{
	if (g->n_places == g->cap_places) {
		size_t nc = g->cap_places ? g->cap_places * 2 : 32768;
		cb_place *np = realloc(g->places, nc * sizeof *np);
		if (!np)
			return -1;
		g->places = np;
		g->cap_places = nc;
	}
	cb_place *p = &g->places[g->n_places];
	p->name = name;
	p->admin1 = admin1;
	p->country = cc;
	p->kind = kind;
	p->population = pop;
	return (int32_t)g->n_places++;
}

/* Interned two-letter country codes. */
static const char *intern_cc(cb_gazetteer *g, const char *cc)
{
	static const char *const fixed[] = {"CN", "KP", "KR", "LA", "VN", "TH", "MN", "RU",
					    "KH", "MM", "JP", "PH", NULL};
	for (int i = 0; fixed[i]; i++)
		if (!strcmp(fixed[i], cc))
			return fixed[i];
	return arena_dup(g, cc, strlen(cc));
}

static int in_domain(const char *cc)
{
	for (int i = 0; DOMAIN[i]; i++)
		if (!strcmp(DOMAIN[i], cc))
			return 1;
	return 0;
}

/* ---- data files ---- */

/* Iterates the lines of an embedded TSV file: skips comments and blanks,
 * splits at tabs (fields point into a copy in line). */
typedef struct tsv {
	const char *p, *end;
	char line[2048];
	char *f[8];
	int nf;
} tsv;

static int tsv_open(tsv *t, const char *name)
{
	const cb_embedded *e = cb_embedded_find(name);
	if (!e)
		return -1;
	t->p = (const char *)e->data;
	t->end = t->p + e->len;
	return 0;
}

static int tsv_next(tsv *t)
{
	while (t->p < t->end) {
		const char *nl = memchr(t->p, '\n', (size_t)(t->end - t->p));
		size_t n = nl ? (size_t)(nl - t->p) : (size_t)(t->end - t->p);
		const char *s = t->p;
		t->p = nl ? nl + 1 : t->end;
		if (n && s[n - 1] == '\r')
			n--;
		if (n == 0 || s[0] == '#' || n >= sizeof t->line)
			continue;
		memcpy(t->line, s, n);
		t->line[n] = '\0';
		t->nf = 0;
		t->f[t->nf++] = t->line;
		for (char *q = t->line; *q && t->nf < 8; q++)
			if (*q == '\t') {
				*q = '\0';
				t->f[t->nf++] = q + 1;
			}
		for (int i = t->nf; i < 8; i++)
			t->f[i] = "";
		return 1;
	}
	return 0;
}

/* Calls add_name for every '|'-separated variant. */
static int add_variants(cb_gazetteer *g, const char *list, int32_t pi, int pri)
{
	const char *s = list;
	while (*s) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		if (n && add_name(g, s, n, pi, pri) < 0)
			return -1;
		if (!bar)
			break;
		s = bar + 1;
	}
	return 0;
}

/* The canonical admin1 name for a spelling in country cc, or NULL. */
static const char *admin1_of(const cb_gazetteer *g, const char *name, const char *cc)
{
	char key[256];
	size_t kl = fold(key, sizeof key, name, strlen(name));
	if (!kl)
		return NULL;
	entry *e = tab_find(g, key, kl, key_hash(key, kl));
	if (!e || e->place < 0)
		return NULL;
	const cb_place *p = &g->places[e->place];
	if (strcmp(p->country, cc) || !p->admin1)
		return NULL;
	return p->admin1;
}

static int load_tables(cb_gazetteer *g, cb_error *err)
{
	tsv t;
	/* admin1 first: places.tsv names its provinces by these names */
	if (tsv_open(&t, "gazetteer/admin1.tsv") < 0)
		return cb_fail(err, CB_ENOTFOUND, "gazetteer: data file admin1.tsv missing");
	while (tsv_next(&t)) {
		if (t.nf < 2 || strlen(t.f[1]) != 2)
			continue;
		char *name = arena_dup(g, t.f[0], strlen(t.f[0]));
		const char *cc = intern_cc(g, t.f[1]);
		if (!name || !cc)
			goto nomem;
		int32_t pi = new_place(g, name, name, cc, CB_PLACE_ADMIN1, 0);
		if (pi < 0 || add_name(g, name, strlen(name), pi, PRI_ADMIN1) < 0 ||
		    add_variants(g, t.f[2], pi, PRI_ADMIN1) < 0)
			goto nomem;
	}
	if (tsv_open(&t, "gazetteer/countries.tsv") < 0)
		return cb_fail(err, CB_ENOTFOUND, "gazetteer: data file countries.tsv missing");
	while (tsv_next(&t)) {
		if (t.nf < 2 || strlen(t.f[0]) != 2)
			continue;
		const char *cc = intern_cc(g, t.f[0]);
		char *name = arena_dup(g, t.f[1], strlen(t.f[1]));
		if (!name || !cc)
			goto nomem;
		int32_t pi = new_place(g, name, NULL, cc, CB_PLACE_COUNTRY, 0);
		if (pi < 0 || add_name(g, name, strlen(name), pi, PRI_COUNTRY) < 0 ||
		    add_variants(g, t.f[2], pi, PRI_COUNTRY) < 0)
			goto nomem;
		/* demonyms, kept apart: never places */
		const char *s = t.f[3];
		while (*s) {
			const char *bar = strchr(s, '|');
			size_t n = bar ? (size_t)(bar - s) : strlen(s);
			char key[128];
			size_t kl = fold(key, sizeof key, s, n);
			if (kl) {
				demonym *nd = realloc(g->dem, (g->n_dem + 1) * sizeof *nd);
				if (!nd)
					goto nomem;
				g->dem = nd;
				nd[g->n_dem].key = arena_dup(g, key, kl);
				if (!nd[g->n_dem].key)
					goto nomem;
				memcpy(nd[g->n_dem].cc, cc, 3);
				g->n_dem++;
			}
			if (!bar)
				break;
			s = bar + 1;
		}
	}
	if (tsv_open(&t, "gazetteer/places.tsv") < 0)
		return cb_fail(err, CB_ENOTFOUND, "gazetteer: data file places.tsv missing");
	while (tsv_next(&t)) {
		if (t.nf < 3 || strlen(t.f[2]) != 2)
			continue;
		const char *cc = intern_cc(g, t.f[2]);
		const char *a1 = admin1_of(g, t.f[1], cc);
		char *name = arena_dup(g, t.f[0], strlen(t.f[0]));
		if (!cc || !name)
			goto nomem;
		if (!a1 && t.f[1][0] && !(a1 = arena_dup(g, t.f[1], strlen(t.f[1]))))
			goto nomem;
		int32_t pi = new_place(g, name, a1, cc, CB_PLACE_CITY, atol(t.f[3]));
		if (pi < 0 || add_name(g, name, strlen(name), pi, PRI_CURATED) < 0 ||
		    add_variants(g, t.f[4], pi, PRI_CURATED) < 0)
			goto nomem;
	}
	if (tsv_open(&t, "gazetteer/stoplist.tsv") < 0)
		return cb_fail(err, CB_ENOTFOUND, "gazetteer: data file stoplist.tsv missing");
	while (tsv_next(&t)) {
		char key[256];
		size_t kl = fold(key, sizeof key, t.f[0], strlen(t.f[0]));
		if (!kl)
			continue;
		entry *e = tab_get(g, key, kl);
		if (!e)
			goto nomem;
		e->flags |= F_STOP;
	}
	return CB_OK;
nomem:
	return cb_fail(err, CB_ENOMEM, "gazetteer: out of memory loading tables");
}

/* "Liaoning Province" -> "Liaoning"; "Vientiane Prefecture" stays. */
static const char *plain_admin1(cb_gazetteer *g, const char *state, const char *cc)
{
	const char *a = admin1_of(g, state, cc);
	if (a)
		return a;
	static const char *const suffixes[] = {" Province", " Municipality", " Autonomous Region",
					       NULL};
	size_t n = strlen(state);
	for (int i = 0; suffixes[i]; i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && !strcmp(state + n - k, suffixes[i])) {
			n -= k;
			break;
		}
	}
	return arena_dup(g, state, n);
}

/* A direct-mapped cache so 24k cities do not each look up and copy their
 * state's name. */
typedef struct state_memo {
	const char *state, *cc, *admin1;
} state_memo;

#define MEMO_SLOTS 512

static int load_geonames(cb_gazetteer *g, cb_error *err)
{
	int n = geonames_get_n_cities();
	state_memo *memo = calloc(MEMO_SLOTS, sizeof *memo);
	int rc = CB_OK;

	if (!memo)
		return cb_fail(err, CB_ENOMEM, "gazetteer: out of memory loading cities");

	for (int i = 0; i < n; i++) {
		GeonamesCity *c = geonames_get_city(i);
		if (!c)
			continue;
		const char *name = geonames_city_get_name(c);
		const char *state = geonames_city_get_state(c);
		const char *ccs = geonames_city_get_country_code(c);
		long pop = (long)geonames_city_get_population(c);
		if (!name || !*name || !ccs || strlen(ccs) != 2) {
			geonames_city_free(c);
			continue;
		}
		int dom = in_domain(ccs);
		int pri = (dom ? PRI_DOMAIN : PRI_OTHER) +
			  (pop >= 5000000 ? 99 : (int)(pop / 50505));
		/* a name the project's own tables already hold wins: skip the lookups */
		char key[256];
		size_t kl = fold(key, sizeof key, name, strlen(name));
		entry *old = kl ? tab_find(g, key, kl, key_hash(key, kl)) : NULL;
		if (!kl || (old && (old->flags & F_NAME) && old->pri >= pri)) {
			geonames_city_free(c);
			continue;
		}
		const char *cc = intern_cc(g, ccs);
		const char *a1 = NULL;
		if (state && *state && cc) {
			size_t sl = strlen(state);
			state_memo *m = &memo[(hash_str(state, sl) ^ (uint32_t)cc[0]) % MEMO_SLOTS];
			if (m->state && m->cc == cc && !strcmp(m->state, state)) {
				a1 = m->admin1;
			} else {
				a1 = plain_admin1(g, state, cc);
				char *st = arena_dup(g, state, sl);
				if (a1 && st) {
					m->state = st;
					m->cc = cc;
					m->admin1 = a1;
				}
			}
		}
		char *nm = arena_dup(g, name, strlen(name));
		int missing = state && *state && !a1;
		geonames_city_free(c);
		if (!cc || !nm || missing) {
			rc = cb_fail(err, CB_ENOMEM, "gazetteer: out of memory loading cities");
			goto done;
		}
		int32_t pi = new_place(g, nm, a1, cc, CB_PLACE_CITY, pop);
		if (pi < 0 || add_key(g, key, kl, pi, pri) < 0) {
			rc = cb_fail(err, CB_ENOMEM, "gazetteer: out of memory loading cities");
			goto done;
		}
	}
done:
	free(memo);
	return rc;
}

/* One gazetteer per process, shared by every cb_gazetteer_new() caller and
 * freed with the last cb_gazetteer_free(): building it costs tens of
 * milliseconds (most of it libgeonames unpacking its cities), and it never
 * changes once built. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static cb_gazetteer *shared;
static size_t shared_refs;

static int build(cb_gazetteer **out, cb_error *err);
static void destroy(cb_gazetteer *g);

int cb_gazetteer_new(cb_gazetteer **out, cb_error *err)
{
	int rc = CB_OK;
	*out = NULL;
	pthread_mutex_lock(&shared_lock);
	if (!shared)
		rc = build(&shared, err);
	if (rc == CB_OK) {
		shared_refs++;
		*out = shared;
	}
	pthread_mutex_unlock(&shared_lock);
	return rc;
}

void cb_gazetteer_free(cb_gazetteer *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&shared_lock);
	if (g == shared && shared_refs > 0 && --shared_refs == 0) {
		destroy(shared);
		shared = NULL;
	}
	pthread_mutex_unlock(&shared_lock);
}

static int build(cb_gazetteer **out, cb_error *err)
{
	int rc;
	cb_gazetteer *g = calloc(1, sizeof *g);
	*out = NULL;
	if (!g)
		return cb_fail(err, CB_ENOMEM, "gazetteer: out of memory");
	if (tab_grow(g) < 0) {
		rc = cb_fail(err, CB_ENOMEM, "gazetteer: out of memory");
		goto done;
	}
	if ((rc = load_tables(g, err)) < 0)
		goto done;
	if ((rc = load_geonames(g, err)) < 0)
		goto done;
	const entry *the = tab_find(g, "the", 3, key_hash("the", 3));
	g->the_names = the && (the->flags & F_NAME) && the->place >= 0;
	*out = g;
	g = NULL;
done:
	destroy(g);
	return rc;
}

static void destroy(cb_gazetteer *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_blocks; i++)
		free(g->blocks[i]);
	free(g->blocks);
	free(g->tab);
	free(g->places);
	free(g->dem);
	free(g);
}

/* Provinces, counties... after a name: "Jilin Province", "Oudomxay
 * province", "Chiang Saen District". Tried when the plain name is not
 * found and skipped over after a match. */
static const char *const SUFFIXES[] = {"province", "provinces", "prefecture", "county",
				       "district", "region", "autonomous region", "city",
				       "municipality", "sheng", "shi", NULL};

/* Can a word starting with byte c fold to one of SUFFIXES? Only an ASCII
 * letter or digit is sure to fold to itself (an apostrophe vanishes, and
 * non-ASCII letters fold to who knows what). */
static int may_be_suffix(unsigned char c)
{
	if (c >= 0x80 || !ascii_alnum[c])
		return 1;
	c |= 0x20;
	for (int i = 0; SUFFIXES[i]; i++)
		if (SUFFIXES[i][0] == c)
			return 1;
	return 0;
}

static size_t strip_suffix(const char *key, size_t kl)
{
	for (int i = 0; SUFFIXES[i]; i++) {
		size_t k = strlen(SUFFIXES[i]);
		if (kl > k + 1 && key[kl - k - 1] == ' ' && !memcmp(key + kl - k, SUFFIXES[i], k))
			return kl - k - 1;
	}
	return kl;
}

const cb_place *cb_gazetteer_lookup(const cb_gazetteer *g, const char *name, size_t len)
{
	char key[256];
	if (!g || !name || !len || len > 200)
		return NULL;
	size_t kl = fold(key, sizeof key, name, len);
	if (kl >= 4 && !memcmp(key, "the ", 4) && !tab_find(g, key, kl, key_hash(key, kl))) {
		memmove(key, key + 4, kl - 3);
		kl -= 4;
	}
	for (int pass = 0; pass < 2 && kl; pass++) {
		entry *e = tab_find(g, key, kl, key_hash(key, kl));
		if (e && e->place >= 0 && (e->flags & F_NAME))
			return &g->places[e->place];
		size_t k = strip_suffix(key, kl);
		if (k == kl)
			break;
		kl = k;
		key[kl] = '\0';
	}
	return NULL;
}

/* The country code of a demonym ("North Korean" -> "KP"), or NULL. */
const char *cb_gazetteer_demonym(const cb_gazetteer *g, const char *word, size_t len)
{
	char key[128];
	if (!g || !word || !len || len > 100)
		return NULL;
	size_t kl = fold(key, sizeof key, word, len);
	for (size_t i = 0; kl && i < g->n_dem; i++)
		if (g->dem[i].key[0] == key[0] && !strcmp(g->dem[i].key, key))
			return g->places ? g->dem[i].cc : NULL;
	return NULL;
}

/* ---- scanning ---- */

enum { KEY_CAP = 256 }; /* bytes of a folded name in the scan, as fold_append counts */

/* One word of text at s[p]: letters and digits, with inner apostrophes
 * ("P'yŏngan", not "China's") and inner periods ("N.Korea", "U.S"). */
static size_t word_end(const unsigned char *s, size_t n, size_t p)
{
	while (p < n) {
		if (s[p] < 0x80 && ascii_alnum[s[p]]) {
			p++;
			continue;
		}
		int32_t cp;
		size_t k = s[p] < 0x80 ? (cp = s[p], 1) : decode(s + p, n - p, &cp);
		if (cp_is_letter(cp)) {
			p += k;
			continue;
		}
		if ((is_apostrophe(cp) || cp == '.') && p + k < n) {
			int32_t nx;
			size_t k2 = s[p + k] < 0x80 ? (nx = s[p + k], 1)
						    : decode(s + p + k, n - p - k, &nx);
			if (!cp_is_letter(nx))
				break;
			/* "China's": the possessive is not part of the name */
			if (is_apostrophe(cp) && (nx == 's' || nx == 'S') &&
			    (p + k + k2 >= n || !cp_is_letter(s[p + k + k2] < 0x80
								  ? s[p + k + k2] : 'x')))
				break;
			p += k;
			continue;
		}
		break;
	}
	return p;
}

static int is_upper_start(const unsigned char *s, size_t n, size_t p)
{
	if (s[p] < 0x80)
		return ascii_alnum[s[p]] == 2;
	int32_t cp;
	decode(s + p, n - p, &cp);
	return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static int word_start_at(const unsigned char *s, size_t n, size_t p)
{
	if (p >= n)
		return 0;
	int32_t cp;
	if (s[p] < 0x80)
		cp = s[p];
	else
		decode(s + p, n - p, &cp);
	return cp_is_letter(cp);
}

/* Which lower-case words may continue a name ("Hamgyong-bukto", "Chiang Saen
 * District" is handled by the suffix list). */
static int lower_ok(const unsigned char *s, size_t a, size_t b, int after_hyphen)
{
	(void)s;
	(void)a;
	(void)b;
	return after_hyphen;
}

/* The rest of a word that began lower case, from s[p] on: letters and
 * digits, then word_end's rules where an apostrophe, a period or a
 * non-ASCII byte may run it on. */
static size_t finish_lower(const unsigned char *s, size_t n, size_t p)
{
	while (p < n && s[p] < 0x80 && ascii_alnum[s[p]])
		p++;
	if (p < n && (s[p] >= 0x80 || s[p] == '\'' || s[p] == '.'))
		p = word_end(s, n, p);
	return p;
}

/* Most of a report is lower-case words and the spaces between them, which
 * name no place: from p, where no word is open, skips them sixteen bytes
 * at a time to the first byte the scanner must look at, a capital or
 * non-ASCII byte or "the" opening a word, or a non-ASCII byte, apostrophe
 * or period that may run a lower-case word on. *in_word: that word is
 * open there (finish it with finish_lower); else a word may start there.
 * Stops short of the last 19 bytes, left to the scanner's own steps. */
static size_t skip_plain(const cb_gazetteer *g, const unsigned char *s, size_t n, size_t p,
			 int *in_word)
{
	unsigned carry = 0; /* the byte before is a letter or digit */
#ifdef __SSE2__
	/* x + bias lands on the lowest signed bytes, below lim, just where x is
	 * in the range; bytes from 0x80 up never do */
	const __m128i case_bit = _mm_set1_epi8(0x20);
	const __m128i a_bias = _mm_set1_epi8((char)(0x80 - 'a')), a_lim = _mm_set1_epi8(-128 + 26);
	const __m128i d_bias = _mm_set1_epi8((char)(0x80 - '0')), d_lim = _mm_set1_epi8(-128 + 10);
	while (p + 20 <= n) { /* up to four bytes past the sixteen are read for "the" */
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
		__m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, case_bit), a_bias), a_lim);
		__m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, d_bias), d_lim);
		__m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
					    _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
		unsigned letters = (unsigned)_mm_movemask_epi8(letter);
		unsigned alnum = letters | (unsigned)_mm_movemask_epi8(digit);
		/* each byte's case bit (0x20) moved to its top bit */
		unsigned lower = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
		unsigned high = (unsigned)_mm_movemask_epi8(v);
		unsigned ts = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('t')));
		unsigned stops = (unsigned)_mm_movemask_epi8(stop);
		unsigned after = alnum << 1 | carry;
		/* the first "the" opening a word, but "the" before a lower-case
		 * word, "the dog", names nothing */
		unsigned thes = 0;
		for (ts &= ~after; ts; ts &= ts - 1) {
			unsigned k = (unsigned)__builtin_ctz(ts);
			const unsigned char *t = s + p + k;
			if (t[1] != 'h' || t[2] != 'e')
				continue;
			if (g->the_names || t[3] != ' ' || t[4] >= 0x80 || ascii_alnum[t[4]] == 2) {
				thes = 1u << k;
				break;
			}
		}
		/* an apostrophe or period runs a word on only before a letter (the
		 * last of the sixteen is looked at whatever follows it) */
		unsigned before = (alnum | high) >> 1 | 0x8000;
		unsigned look = high | (letters & ~lower & ~after) | thes | (stops & after & before);
		if (look) {
			unsigned k = (unsigned)__builtin_ctz(look);
			*in_word = (int)(after >> k & 1);
			return p + k;
		}
		carry = alnum >> 15;
		p += 16;
	}
#else
	(void)g;
	(void)s;
	(void)n;
#endif
	*in_word = (int)carry;
	return p;
}

/* Does word_end stop at s[q], after a letter or digit, where s[q] is none
 * (or q is n)? 0 also where only decoding would tell. */
static int ascii_stop(const unsigned char *s, size_t n, size_t q)
{
	if (q >= n)
		return 1;
	unsigned c = s[q];
	if (c >= 0x80)
		return 0;
	if (c != '\'' && c != '.' && c != '`')
		return 1;
	if (q + 1 >= n)
		return 1;
	unsigned nx = s[q + 1];
	if (nx >= 0x80)
		return 0;
	if (!ascii_alnum[nx])
		return 1;
	/* "China's" */
	return c != '.' && (nx | 0x20) == 's' &&
	       (q + 2 >= n || (s[q + 2] < 0x80 && !ascii_alnum[s[q + 2]]));
}

/* A word of ASCII letters and digits at s[p], ending where word_end would:
 * its end, with its folded form in key (room bytes at most, fewer than
 * fold_append would allow). 0 when the word goes on past ASCII, an
 * apostrophe or a period, or past room: then word_end and fold_append must
 * read it. */
static size_t ascii_word(const unsigned char *s, size_t n, size_t p, char *key, size_t room)
{
	size_t q = p, lim = n - p > room ? p + room : n;
#ifdef __SSE2__
	/* a word shorter than sixteen bytes: found and folded at once (key has
	 * the room for all sixteen) */
	if (lim - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
		__m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
							     _mm_set1_epi8((char)(0x80 - 'a'))),
						_mm_set1_epi8(-128 + 26));
		__m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
					       _mm_set1_epi8(-128 + 10));
		unsigned alnum = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
		if (alnum != 0xFFFF) {
			__m128i low = _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20)));
			_mm_storeu_si128((__m128i *)(void *)key, low);
			q = p + (size_t)__builtin_ctz(~alnum); /* the loop below stops there */
		}
	}
#endif
	for (unsigned c; q < lim && (c = ascii_fold[s[q]]); q++)
		key[q - p] = (char)c;
	if ((q == lim && q < n) || !ascii_stop(s, n, q))
		return 0;
	return q;
}

static int keep_place(const cb_gazetteer *g, const entry *e)
{
	const cb_place *p = &g->places[e->place];
	if (e->flags & F_STOP)
		return 0;
	/* far-away towns that happen to share a word: only big cities count */
	if (e->pri < PRI_DOMAIN && p->population < 1000000)
		return 0;
	return 1;
}

int cb_gazetteer_scan(cb_place_mention **out, size_t *n, const cb_gazetteer *g,
		      const char *text, size_t len, cb_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	cb_place_mention *arr = NULL;
	size_t cnt = 0, cap = 0;
	int rc = CB_OK;

	*out = NULL;
	*n = 0;
	if (!g || !text || !len)
		return CB_OK;
	size_t p = 0;
	while (p < len) {
		int in_word;
		p = skip_plain(g, s, len, p, &in_word);
		if (in_word) {
			p = finish_lower(s, len, p);
			continue;
		}
		if (p >= len)
			break;
		/* KEY_CAP for the folded name, then room for key_hash_padded's zeros */
		char key[KEY_CAP + 8];
		size_t plain = 0;
		int capital;
		if (s[p] < 0x80) {
			unsigned a = ascii_alnum[s[p]];
			if (!a) {
				p++;
				continue;
			}
			/* a lower-case ASCII word other than "the" names no place: skip it fast */
			if (a == 1 && !(s[p] == 't' && p + 3 <= len && s[p + 1] == 'h' && s[p + 2] == 'e')) {
				p = finish_lower(s, len, p);
				continue;
			}
			capital = a == 2;
			plain = ascii_word(s, len, p, key, KEY_CAP - 2);
		} else if (!word_start_at(s, len, p)) {
			/* to the next word start */
			p++;
			while (p < len && (s[p] & 0xC0) == 0x80)
				p++;
			continue;
		} else {
			capital = is_upper_start(s, len, p);
		}
		size_t we = plain ? plain : word_end(s, len, p);
		if (we <= p) {
			p++;
			continue;
		}
		int the = (we - p == 3 && (s[p] == 't' || s[p] == 'T') && s[p + 1] == 'h' &&
			   s[p + 2] == 'e');
		if (!capital && !the) {
			p = we;
			continue;
		}
		/* grow the key word by word while some name starts this way */
		size_t kl = 0, q = p, wend = we, best_end = 0;
		int folded = plain != 0; /* ascii_word has put s[q..wend) in the key */
		const entry *best = NULL;
		for (size_t words = 0; words < g->max_words + 1; words++) {
			size_t before = kl;
			if (words && kl + 1 < KEY_CAP)
				key[kl++] = ' ';
			if (folded) {
				kl += wend - q;
			} else {
				size_t nk = fold_append(key, kl, KEY_CAP, text + q, wend - q);
				if (nk >= KEY_CAP || nk == kl) {
					kl = before;
					break;
				}
				kl = nk;
			}
			memset(key + kl, 0, 8);
			entry *e = tab_find(g, key, kl, key_hash_padded(key, kl));
			if (!e)
				break;
			if ((e->flags & F_NAME) && e->place >= 0) {
				best = e;
				best_end = wend;
			} else if ((e->flags & F_STOP) && !(e->flags & F_PREFIX)) {
				best = e; /* a stop-listed name swallows its words */
				best_end = wend;
			}
			if (!(e->flags & F_PREFIX))
				break;
			/* separator: one space or hyphen, or ". " after an initial */
			size_t sp = wend;
			int hyphen = 0;
			if (sp < len && (s[sp] == ' ' || s[sp] == '-')) {
				hyphen = s[sp] == '-';
				sp++;
			} else if (sp + 1 < len && s[sp] == '.' && s[sp + 1] == ' ' && wend - q == 1) {
				sp += 2;
			} else {
				break;
			}
			if (!word_start_at(s, len, sp))
				break;
			/* most words after a prefix ("the dog") end it: no need to read them */
			int upper = is_upper_start(s, len, sp);
			if (!upper && !hyphen)
				break;
			/* folded after the space that the next round puts at key[kl] */
			size_t room = kl + 3 < KEY_CAP ? KEY_CAP - 3 - kl : 0;
			size_t ne = s[sp] < 0x80 ? ascii_word(s, len, sp, key + kl + 1, room) : 0;
			folded = ne != 0;
			if (!ne)
				ne = word_end(s, len, sp);
			if (!upper && !lower_ok(s, sp, ne, hyphen))
				break;
			q = sp;
			wend = ne;
		}
		if (!best || (best->flags & F_STOP) || best->place < 0 || !keep_place(g, best)) {
			p = best ? best_end : we;
			continue;
		}
		size_t end = best_end;
		/* "the North" is the country, "the North Korean border" is not */
		if (best->key[0] == 't' && !strncmp(best->key, "the ", 4) && end + 1 < len &&
		    s[end] == ' ' && is_upper_start(s, len, end + 1)) {
			p = we;
			continue;
		}
		/* swallow a following "Province", "county", "City" ... */
		if (end + 1 < len && s[end] == ' ' && may_be_suffix(s[end + 1])) {
			size_t a = end + 1, wl;
			char w[24];
			size_t b = s[a] < 0x80 ? ascii_word(s, len, a, w, sizeof w - 2) : 0;
			if (b) {
				wl = b - a;
				w[wl] = '\0';
			} else {
				b = word_end(s, len, a);
				wl = b > a && b - a < sizeof w ? fold(w, sizeof w, text + a, b - a) : 0;
			}
			for (int i = 0; wl && SUFFIXES[i]; i++)
				if (w[0] == SUFFIXES[i][0] && !strcmp(w, SUFFIXES[i]) &&
				    !strchr(SUFFIXES[i], ' ')) {
					/* "Jilin city" and "Yanji City" both name the city */
					end = b;
					break;
				}
		}
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			cb_place_mention *na = realloc(arr, nc * sizeof *na);
			if (!na) {
				rc = cb_fail(err, CB_ENOMEM, "gazetteer: out of memory scanning");
				goto done;
			}
			arr = na;
			cap = nc;
		}
		arr[cnt].start = p;
		arr[cnt].end = end;
		arr[cnt].place = &g->places[best->place];
		cnt++;
		p = end;
	}
	*out = arr;
	*n = cnt;
	arr = NULL;
done:
	free(arr);
	return rc;
}
