/*
 * extract.c: the extractor (see extract.h). A report is read in one pass:
 *
 *   1. docmeta: title, outlet, publication date, boilerplate spans;
 *   2. sentences (sentences.c), leaving out boilerplate and headings (a
 *      line without closing punctuation: headlines repeat the body);
 *   3. in each sentence, the triggers of every event type
 *      (data/rules/triggers.tsv); each match is weighed against the cues
 *      around it (data/rules/cues.tsv): negated, generic, counterfactual and
 *      charge-only mentions are dropped; the rest get a modality;
 *   4. the event's victims (counts.c, or the group last counted when the
 *      sentence points back at it), actor (actors.tsv), date (timex.h, but
 *      never a date that only says when a source spoke), place (gazetteer.h,
 *      with the codebook's conventions: a case's city carries over to its
 *      arrest, trial and sentence; a repatriation sits in the deporting
 *      state; fates feared after return sit in North Korea);
 *   5. repeats of one act (headline, lead, body; "sold" and "bought") are
 *      merged into the first mention;
 *   6. statistics (stats.c).
 *
 * Everything the rules need is data; this file holds only the mechanics.
 * The tests of the words around a trigger, a place or a date ("is this
 * place a destination?", "does this sentence open a story's next step?")
 * are in phrases.c.
 * Text that is not valid UTF-8 is copied with the bad bytes replaced by '?'
 * (each one still one code point), so offsets stay meaningful.
 */
#include "code/extract_int.h"
#include "code/phrases.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/ascii.h"
#include "util/embed.h"
#include "util/utf8.h"

#define MAX_SENTENCE 2000   /* longer "sentences" are read only this far */
#define MAX_EVENTS 4096     /* per document: beyond this a report is not prose */
#define CUE_WINDOW 90       /* bytes before a trigger that its cues may use */
#define KIND_WINDOW 240     /* ... and the kind_of cue ("incidents in which") */
#define MAX_ACTOR_RULES 32  /* actors.tsv label sets (checked when loading) */
#define DOC_SCAN 200000     /* bytes of a report scanned for places at once */

static const char *const cue_names[CUE_N] = {
	"possible", "planned", "negated", "generic", "charge", "counterfactual", "speech",
	"authority", "possible_after", "present", "anaphor", "ongoing", "new_act", "advocacy",
	"generic_sentence", "conditional_after", "subset", "kind_of"};

/* data/rules/stems.tsv: per type, the words one of which must occur in a
 * sentence before its trigger patterns are run (speed only). */
/* The types read_sentence tests a trigger rule for, known once per rule
 * (x->rule_kind) rather than by name at each sentence. */
enum { RULE_POLICY = 1, RULE_SENTENCING = 2, RULE_SURVEILLANCE = 3 };

static int load_stems(cb_extractor *x, cb_error *err)
{
	const cb_embedded *e = cb_embedded_find("rules/stems.tsv");
	size_t nr = x->triggers->n ? x->triggers->n : 1;
	x->stems = calloc(nr, sizeof *x->stems);
	x->rule_kind = calloc(nr, 1);
	if (!x->stems || !x->rule_kind)
		return cb_fail(err, CB_ENOMEM, "extractor: out of memory");
	for (size_t i = 0; i < x->triggers->n; i++) {
		const char *l = x->triggers->rules[i].label[0];
		x->rule_kind[i] = !strcmp(l, "policy")	       ? RULE_POLICY
				  : !strcmp(l, "sentencing")   ? RULE_SENTENCING
				  : !strcmp(l, "surveillance") ? RULE_SURVEILLANCE
							       : 0;
	}
	if (!e)
		return 0;
	const char *p = (const char *)e->data, *end = p + e->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(le - p));
		if (*p != '#' && tab) {
			for (size_t i = 0; i < x->triggers->n; i++) {
				const char *l = x->triggers->rules[i].label[0];
				if (strlen(l) != (size_t)(tab - p) || strncmp(l, p, (size_t)(tab - p)))
					continue;
				size_t n = (size_t)(le - tab - 1);
				char *st = malloc(n + 2);
				if (!st)
					return cb_fail(err, CB_ENOMEM, "extractor: out of memory");
				memcpy(st, tab + 1, n);
				st[n] = st[n + 1] = 0;
				for (size_t k = 0; k < n; k++)
					if (st[k] == ' ')
						st[k] = 0;
				free(x->stems[i]);
				x->stems[i] = st;
			}
		}
		p = le + 1;
	}
	return 0;
}

/* The stems of all types go into one Aho-Corasick automaton over the 26
 * letters (anything else is one more symbol, in no stem): a sentence is
 * read once, and the states it passes name the types whose stems occur. */
#define AC_SYMS 27

/* A byte's symbol in the stems' automaton: 1 + its letter, either case,
 * or 0 for any other byte (a table: the scan reads every byte of every
 * sentence). */
#define L26(c) [c] = c - 'a' + 1, [c - 32] = c - 'a' + 1
static const unsigned char AC_SYM[256] = {
	L26('a'), L26('b'), L26('c'), L26('d'), L26('e'), L26('f'), L26('g'), L26('h'), L26('i'),
	L26('j'), L26('k'), L26('l'), L26('m'), L26('n'), L26('o'), L26('p'), L26('q'), L26('r'),
	L26('s'), L26('t'), L26('u'), L26('v'), L26('w'), L26('x'), L26('y'), L26('z')};
#undef L26

static int ac_sym(unsigned char c)
{
	return AC_SYM[c];
}

/* Words that are no trigger but that a sentence is read for, found by the
 * same scan, in the bits above every rule's (rules 0..STEM_RULES-1 have
 * stems): a trial told (remember_trial), a kind of incident (the kind_of
 * cue). */
#define STEM_RULES 30
#define STEM_KIND (1u << 30)
#define STEM_TRIAL (1u << 31)
static const struct {
	const char *word;
	uint32_t bit;
} marker_stems[] = {{"trial", STEM_TRIAL}, {"tried", STEM_TRIAL}, {"incidents", STEM_KIND},
		    {"cases", STEM_KIND}, {"instances", STEM_KIND}, {NULL, 0}};

/* Adds word to the stems' trie (*n states so far), its end marked bits. */
static void trie_add(cb_extractor *x, size_t *n, const char *word, uint32_t bits)
{
	uint32_t q = 0;
	for (const char *c = word; *c; c++) {
		int sym = ac_sym((unsigned char)*c);
		if (!x->ac_go[q][sym])
			x->ac_go[q][sym] = (uint32_t)(*n)++;
		q = x->ac_go[q][sym];
	}
	x->ac_out[q] |= bits;
}

static int stems_build(cb_extractor *x, cb_error *err)
{
	size_t cap = 1, total = 0;
	for (size_t r = 0; r < x->triggers->n && r < STEM_RULES; r++)
		for (const char *st = x->stems[r]; st && *st; st += strlen(st) + 1)
			total += strlen(st);
	for (int k = 0; marker_stems[k].word; k++)
		total += strlen(marker_stems[k].word);
	cap = total + 1;
	x->ac_go = calloc(cap, sizeof *x->ac_go);
	x->ac_out = calloc(cap, sizeof *x->ac_out);
	uint32_t *fail = calloc(cap, sizeof *fail), *queue = calloc(cap, sizeof *queue);
	int rc = 0;
	if (!x->ac_go || !x->ac_out || !fail || !queue) {
		rc = cb_fail(err, CB_ENOMEM, "extractor: out of memory");
		goto done;
	}
	size_t n = 1;
	/* the trie; 0 in ac_go means no edge yet (state 0 is the root) */
	for (int k = 0; marker_stems[k].word; k++)
		trie_add(x, &n, marker_stems[k].word, marker_stems[k].bit);
	for (size_t r = 0; r < x->triggers->n && r < STEM_RULES; r++) {
		if (!x->stems[r]) {
			x->ac_always |= 1u << r;
			continue;
		}
		for (const char *st = x->stems[r]; *st; st += strlen(st) + 1)
			trie_add(x, &n, st, 1u << r);
	}
	/* failure links, breadth first; missing edges become the fallback's */
	size_t head = 0, tail = 0;
	for (int sym = 0; sym < AC_SYMS; sym++)
		if (x->ac_go[0][sym]) {
			fail[x->ac_go[0][sym]] = 0;
			queue[tail++] = x->ac_go[0][sym];
		}
	while (head < tail) {
		uint32_t q = queue[head++];
		x->ac_out[q] |= x->ac_out[fail[q]];
		for (int sym = 0; sym < AC_SYMS; sym++) {
			uint32_t nq = x->ac_go[q][sym];
			if (nq) {
				fail[nq] = x->ac_go[fail[q]][sym];
				queue[tail++] = nq;
			} else {
				x->ac_go[q][sym] = x->ac_go[fail[q]][sym];
			}
		}
	}
done:
	free(fail);
	free(queue);
	return rc;
}

/* The trigger rules (bit r for rule r) whose stems occur in s[0..len),
 * and the marker stems' bits. */
static uint32_t stem_types(const cb_extractor *x, const char *s, size_t len)
{
	uint32_t q = 0, types = x->ac_always;
	for (size_t i = 0; i < len; i++) {
		q = x->ac_go[q][ac_sym((unsigned char)s[i])];
		types |= x->ac_out[q];
	}
	return types;
}

/* data/rules/capitals.tsv into x->capitals: NUL-separated names, an empty
 * name last. */
static int load_capitals(cb_extractor *x, cb_error *err)
{
	const cb_embedded *e = cb_embedded_find("rules/capitals.tsv");
	size_t n = e ? e->len : 0, o = 0;
	x->capitals = calloc(n + 2, 1);
	if (!x->capitals)
		return cb_fail(err, CB_ENOMEM, "extractor: out of memory");
	for (const char *p = e ? (const char *)e->data : "", *end = p + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t l = (size_t)(le - p);
		if (l && p[l - 1] == '\r')
			l--;
		if (l && *p != '#') {
			memcpy(x->capitals + o, p, l);
			o += l + 1;
		}
		p = le + 1;
	}
	return 0;
}

int cb_extractor_new(cb_extractor **out, cb_error *err)
{
	cb_extractor *x = calloc(1, sizeof *x);
	int rc = 0;
	*out = NULL;
	if (!x)
		return cb_fail(err, CB_ENOMEM, "extractor: out of memory");
	if ((rc = cb_rules_load(&x->triggers, "rules/triggers.tsv", 1, err)) < 0 ||
	    (rc = cb_rules_load(&x->cues, "rules/cues.tsv", 1, err)) < 0 ||
	    (rc = cb_rules_load(&x->actors, "rules/actors.tsv", 2, err)) < 0)
		goto done;
	for (size_t i = 0; i < x->cues->n; i++)
		for (int k = 0; k < CUE_N; k++)
			if (!strcmp(x->cues->rules[i].label[0], cue_names[k]))
				x->cue[k] = x->cues->rules[i].re;
	for (int k = 0; k < CUE_N; k++)
		if (!x->cue[k]) {
			rc = cb_fail(err, CB_EFORMAT, "rules/cues.tsv: no '%s' cue", cue_names[k]);
			goto done;
		}
	if (x->actors->n > MAX_ACTOR_RULES) {
		rc = cb_fail(err, CB_EFORMAT, "rules/actors.tsv: more than %d actor kinds",
			     MAX_ACTOR_RULES);
		goto done;
	}
	for (int u = 0; u < 2; u++) {
		const void *res[MAX_ACTOR_RULES];
		unsigned char idx[MAX_ACTOR_RULES] = {0}, owner[64] = {0};
		size_t n = 0;
		for (size_t i = 0; i < x->actors->n; i++)
			if (u == 0 || strcmp(x->actors->rules[i].label[0], "perpetrator")) {
				idx[n] = (unsigned char)i;
				res[n++] = x->actors->rules[i].re;
			}
		if (!(x->actor_union[u] = cb_rule_union(res, n, owner, err))) {
			rc = cb_error_prefix(err, "rules/actors.tsv");
			goto done;
		}
		for (size_t l = 0; l < 64; l++)
			x->actor_rule[u][l] = idx[owner[l] < n ? owner[l] : 0];
	}
	if ((rc = load_stems(x, err)) < 0 || (rc = stems_build(x, err)) < 0)
		goto done;
	if ((rc = load_capitals(x, err)) < 0)
		goto done;
	/* Without places the extractor still proposes events: a missing
	 * gazetteer costs locations, not the whole run. */
	{
		cb_error gerr = CB_ERROR_INIT;
		if (cb_gazetteer_new(&x->gaz, &gerr) < 0)
			x->gaz = NULL;
	}
done:
	if (rc < 0) {
		cb_extractor_free(x);
		x = NULL;
	}
	*out = x;
	return rc;
}

void cb_extractor_free(cb_extractor *x)
{
	if (!x)
		return;
	if (x->stems && x->triggers)
		for (size_t i = 0; i < x->triggers->n; i++)
			free(x->stems[i]);
	free(x->stems);
	free(x->ac_go);
	free(x->capitals);
	free(x->ac_out);
	free(x->rule_kind);
	cb_rules_free(x->triggers);
	cb_rules_free(x->cues);
	cb_rules_free(x->actors);
	cb_rule_pattern_free(x->actor_union[0]);
	cb_rule_pattern_free(x->actor_union[1]);
	cb_gazetteer_free(x->gaz);
	free(x);
}

size_t cb_cp_at(const char *text, size_t pos)
{
	return cb_utf8_cp_count(text, pos);
}

/* ---- per-document state ---- */

typedef struct doc {
	const cb_extractor *x;
	cb_rx_ctx *cx;
	const char *text;
	size_t len;
	const cb_docmeta *meta;
	cb_ymd anchor;
	int has_anchor;
	cb_event *ev;
	size_t nev, cap;
	/* the people last counted, for "them", "the women" */
	long gmin, gmax;
	/* the last group of more than one: "they" after "a woman" of the same
	 * story still means the group */
	long pmin, pmax;
	char pgender;
	char pnat[3];
	char ggender;
	char gnat[3];
	size_t gstart, gend;
	/* the main group: the largest number of people (North Korean or of no
	 * stated nationality) counted so far, for "all of them" */
	long mmin, mmax;
	char mgender;
	/* the case's city, when the report is about one place */
	const cb_place *case_city;
	/* the places of text[0..dscan), from one scan; NULL when not made */
	cb_place_mention *dpm;
	size_t ndpm, dscan;
	/* the place of the authority last named with one ("police in Yanji",
	 * "Yanji police"), and the end of its sentence, for "the police" in
	 * the next sentence */
	const cb_place *auth_place;
	size_t auth_sent_end;
	/* the date of the last actual event dated in its own sentence */
	int has_case_date;
	cb_event case_date;
	/* the date of the last trial told, and the end of its sentence */
	int has_trial;
	cb_event trial_date;
	/* the actor unions' first matches in the sentence at act_sent, each
	 * found when first asked (act_done) */
	int act_valid;
	size_t act_sent;
	unsigned char act_done[2], act_hit[2], act_rule[2];
	size_t act_s[2], act_e[2];
	/* code points: a running conversion (positions mostly grow) */
	cb_cp_cursor cp;
} doc;

static size_t cp_of(doc *d, size_t pos)
{
	return cb_cp_cursor_at(&d->cp, pos);
}

/* A window cut at a count of bytes ("40 before the trigger") moved onto
 * character boundaries, its ends inward: PCRE2 is told the text it reads
 * is valid UTF-8, and a window starting inside a character is not. */
static size_t char_start(const char *t, size_t len, size_t pos)
{
	while (pos < len && ((unsigned char)t[pos] & 0xC0) == 0x80)
		pos++;
	return pos;
}

static size_t char_end(const char *t, size_t len, size_t from, size_t pos)
{
	while (pos > from && pos < len && ((unsigned char)t[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

static int cue(doc *d, int kind, size_t from, size_t to)
{
	size_t s, e;
	from = char_start(d->text, d->len, from);
	to = char_end(d->text, d->len, from, to);
	if (to <= from)
		return 0;
	return cb_rule_find(d->x->cue[kind], d->cx, d->text + from, to - from, 0, &s, &e);
}

/* Start of the clause holding pos: after the last ; : -- or ", and/but/
 * where/while/when" before it, within the sentence and CUE_WINDOW. */
static size_t clause_start(const doc *d, size_t sent_start, size_t pos)
{
	size_t lo = pos > sent_start + CUE_WINDOW ? pos - CUE_WINDOW : sent_start;
	const char *t = d->text;
	/* the bytes that may end a clause: one lookup for each other byte */
	static const unsigned char mark[256] = {[';'] = 1, [':'] = 1, ['-'] = 2, [','] = 3};
	for (size_t i = pos; i > lo; i--) {
		char c = t[i - 1];
		unsigned m = mark[(unsigned char)c];
		if (!m)
			continue;
		if (m == 1)
			return i;
		if (m == 2) {
			if (i >= 2 && t[i - 2] == '-')
				return i;
			continue;
		}
		const char *w = t + i;
		size_t rest = pos - i;
		static const char *const joins[] = {" and ", " but ", " where ", " while ",
			" when ", " after ", " before ", " because ", NULL};
		if (rest < 5 || w[0] != ' ')
			continue;
		for (int k = 0; joins[k]; k++) {
			size_t jl = strlen(joins[k]);
			if (w[1] == joins[k][1] && rest >= jl && !strncmp(w, joins[k], jl))
				return i;
		}
	}
	/* move to a word start */
	while (lo > sent_start && lo < pos && !isspace((unsigned char)t[lo - 1]))
		lo++;
	return lo;
}

/* End of the clause holding pos: the next ; : -- or ", and/but" before
 * se. */
static size_t clause_end(const char *t, size_t pos, size_t se)
{
	for (size_t i = pos; i < se; i++) {
		if (t[i] == ';' || t[i] == ':' || (t[i] == '-' && i + 1 < se && t[i + 1] == '-'))
			return i;
		if (t[i] == ',' && se - i >= 6 &&
		    (!strncmp(t + i, ", and ", 6) || !strncmp(t + i, ", but ", 6)))
			return i;
	}
	return se;
}

static int add_event(doc *d, const cb_event *e)
{
	if (d->nev >= MAX_EVENTS)
		return 0;
	if (d->nev == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 32;
		cb_event *p = realloc(d->ev, nc * sizeof *p);
		if (!p)
			return CB_ENOMEM;
		d->ev = p;
		d->cap = nc;
	}
	d->ev[d->nev++] = *e;
	return 0;
}

/* Does the trigger text start with a word ending in "ing"? */
static int trigger_is_ing(const char *t, size_t s, size_t e)
{
	size_t w = s;
	while (w < e && cb_isalpha((unsigned char)t[w]))
		w++;
	return w - s > 3 && !strncasecmp(t + w - 3, "ing", 3);
}

/* "repatriated defectors", "arrested traffickers": a participle used as an
 * adjective names people, not an act. */
static int participle_before_person(const char *t, size_t ms, size_t me, size_t se)
{
	static const char *const nouns[] = {"defectors", "women", "refugees", "people", "men",
		"North Koreans", "traffickers", "brokers", "suspects", "escapees", NULL};
	for (size_t i = ms; i < me; i++)
		if (!cb_isalpha((unsigned char)t[i]))
			return 0; /* several words: a phrase, not an adjective */
	if (me - ms < 4 || strncasecmp(t + me - 2, "ed", 2))
		return 0;
	if (me + 1 >= se || t[me] != ' ')
		return 0;
	for (int k = 0; nouns[k]; k++) {
		size_t n = strlen(nouns[k]);
		if (me + 1 + n <= se && !strncasecmp(t + me + 1, nouns[k], n))
			return 1;
	}
	return 0;
}

/* ---- victims ---- */

/* A count of people may be the report's main group. */
static void remember_main(doc *d, const cb_count *c)
{
	if (!c->person || c->after_prep || c->vague || c->min < 2 || (c->nat[0] && strcmp(c->nat, "KP")))
		return;
	if (d->mmin == CB_COUNT_NONE || c->min > d->mmin) {
		d->mmin = c->min;
		d->mmax = c->max;
		d->mgender = c->gender;
	}
}

static void remember_plural(doc *d)
{
	if (d->gmax > 1 || (d->gmax < 0 && d->gmin > 1)) {
		d->pmin = d->gmin;
		d->pmax = d->gmax;
		d->pgender = d->ggender;
		memcpy(d->pnat, d->gnat, 3);
	}
}

/* No auxiliary ("were", "was", "been", ...) between a subject ending at
 * from and a verb starting at to: the verb is active. */
static int active_between(const char *t, size_t from, size_t to)
{
	static const char *const aux[] = {"were", "was", "been", "being", "be", "is", "are", "got", NULL};
	if (to <= from || to - from > 80)
		return 0;
	/* "women, sold to buyers": a participle after a comma is passive */
	for (size_t i = from; i < to; i++)
		if (t[i] == ',' || t[i] == '(' || t[i] == '-')
			return 0;
	for (size_t i = from; i < to; i++) {
		if (i > from && cb_isalpha((unsigned char)t[i - 1]))
			continue;
		char c0 = (char)(t[i] | 32);
		if (c0 != 'w' && c0 != 'b' && c0 != 'i' && c0 != 'a' && c0 != 'g')
			continue; /* what the words start with */
		for (int k = 0; aux[k]; k++) {
			if (aux[k][0] != c0)
				continue;
			size_t n = strlen(aux[k]);
			if (i + n <= to && !strncasecmp(t + i, aux[k], n) &&
			    (i + n == to || !cb_isalpha((unsigned char)t[i + n])))
				return 0;
		}
	}
	return 1;
}

/* When the words w[0..n) pointing back name people by their arrest ("the
 * suspects", "the detainees", "the arrested women"): the last actual arrest
 * with a count, else NULL. */
static const cb_event *people_arrested(const doc *d, const char *w, size_t n)
{
	static const char *const marks[] = {"suspects", "detainees", "detained", "arrested",
		"captured", NULL};
	int marked = 0;
	for (int k = 0; marks[k] && !marked; k++) {
		size_t ml = strlen(marks[k]);
		for (size_t i = 0; i + ml <= n && !marked; i++)
			marked = !strncasecmp(w + i, marks[k], ml);
	}
	if (!marked)
		return NULL;
	for (size_t i = d->nev; i-- > 0;) {
		const cb_event *e = &d->ev[i];
		if (!strcmp(e->type, "arrest") && !strcmp(e->modality, "actual") &&
		    (e->vmin >= 0 || e->vmax >= 0) && !e->subset)
			return e;
	}
	return NULL;
}

/* The first "she" or "her" in t[from..to), or (size_t)-1. */
static size_t female_pronoun(const char *t, size_t from, size_t to)
{
	for (size_t i = from; i + 3 <= to; i++)
		if (((t[i] | 32) == 's' || (t[i] | 32) == 'h') &&
		    (i == from || !cb_isalpha((unsigned char)t[i - 1])) &&
		    (!strncasecmp(t + i, "she", 3) || !strncasecmp(t + i, "her", 3)) &&
		    (i + 3 == to || !cb_isalpha((unsigned char)t[i + 3])))
			return i;
	return (size_t)-1;
}

/* "I", "me": the teller of a testimony (or the speaker of a quote), one
 * person. Where the word starts, or (size_t)-1. */
static size_t first_person(const char *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (i > from && cb_isalpha((unsigned char)t[i - 1]))
			continue;
		size_t n = t[i] == 'I' ? 1 : (t[i] | 32) == 'm' && i + 1 < to && (t[i + 1] | 32) == 'e' ? 2 : 0;
		/* "I'm", "I've" are the word too; "I." may be an initial */
		if (n && (i + n == to || (!cb_isalnum((unsigned char)t[i + n]) && t[i + n] != '.')))
			return i;
	}
	return (size_t)-1;
}

/* "70 percent of the women were sold", "half of them": a sentence that
 * gives a share of a population is a statistic about it, not an act. */
/* Is the mark t[i..i+n) ("%", "percent") a share: a figure right before
 * it, " of " after? */
static int share_at(const char *t, size_t ss, size_t se, size_t i, size_t n)
{
	if (se - i - n < 4 || strncmp(t + i + n, " of ", 4))
		return 0;
	size_t b = i;
	while (b > ss && t[b - 1] == ' ')
		b--;
	return b > ss && cb_isdigit((unsigned char)t[b - 1]);
}

static int states_a_share(const char *t, size_t ss, size_t se)
{
	/* the marks found with memchr: most sentences have none */
	const char *end = t + se;
	for (const char *p = t + ss; (p = memchr(p, '%', (size_t)(end - p))); p++)
		if (share_at(t, ss, se, (size_t)(p - t), 1))
			return 1;
	for (int c = 'p';; c = 'P') {
		for (const char *p = t + ss; (p = memchr(p, c, (size_t)(end - p))); p++) {
			size_t i = (size_t)(p - t);
			if ((se - i >= 7 && !strncasecmp(p, "percent", 7) && share_at(t, ss, se, i, 7)) ||
			    (se - i >= 8 && !strncasecmp(p, "per cent", 8) && share_at(t, ss, se, i, 8)))
				return 1;
		}
		if (c == 'P')
			return 0;
	}
}

/* The victim is the one woman named by the pronoun at t[at..at+3). */
static void set_one_woman(const doc *d, cb_event *ev, size_t at)
{
	ev->vmin = ev->vmax = 1;
	ev->gender = 'f';
	if (!strcmp(d->gnat, "KP") || !d->gnat[0])
		memcpy(ev->nat, "KP", 3);
	ev->vic_start = at;
	ev->vic_end = at + 3;
}

/* "together with some 60 other North Koreans", "along with five South
 * Koreans": people counted as joined to the act's own, or NULL. */
static const cb_count *companions(const doc *d, size_t ss, const cb_count *cs, size_t nc)
{
	static const char *const joined[] = {"together", "along", NULL};
	const char *t = d->text;
	for (size_t i = 0; i < nc; i++) {
		size_t at = ss + cs[i].start, we;
		if (!cs[i].person || cs[i].min < 1 || at < ss + 5 || t[at - 1] != ' ' ||
		    (t[at - 5] | 32) != 'w' || strncasecmp(t + at - 5, "with", 4))
			continue;
		size_t w = cb_word_before(t, ss, at - 5, &we);
		if (cb_word_in(t, w, we, joined))
			return &cs[i];
	}
	return NULL;
}

/* The victims of ev from the sentence's counts cs[0..nc), else from the
 * words pointing back or naming one person at or after text[lo]. */
static void victims_of(doc *d, cb_event *ev, const cb_count *cs, size_t nc, size_t lo)
{
	const cb_count *best = NULL;
	ev->vmin = ev->vmax = CB_COUNT_NONE;
	for (size_t i = 0; i < nc; i++) {
		if (cs[i].after_prep && best)
			continue;
		if (!best || (best->after_prep && !cs[i].after_prep))
			best = &cs[i];
	}
	size_t ss = ev->sent_start, from = lo - ss;
	/* "the pair made the women work", "three brokers sold 20 women": a
	 * count before an active verb is its subject, the agent; the victims
	 * are the verb's object - a count or a group word after it. */
	if (best && !best->most_of && ss + best->end <= ev->trig_start &&
	    active_between(d->text, ss + best->end, ev->trig_start)) {
		const cb_count *after = NULL;
		size_t as, ae;
		size_t obj = ss + best->end;
		for (size_t i = 0; i < nc && !after; i++)
			if (ss + cs[i].start >= obj && !cs[i].after_prep && cs[i].person && cs[i].min >= 2)
				after = &cs[i];
		if (after) {
			best = after;
		} else if (obj < ev->sent_end &&
			   cb_rule_find(d->x->cue[CUE_ANAPHOR], d->cx, d->text + obj, ev->sent_end - obj, 0,
					&as, &ae)) {
			best = NULL;
			from = obj - ss;
		}
	}
	/* "All of them were handed back, and nine of the ten could be
	 * repatriated": a count in a later clause is that clause's; words in
	 * the trigger's own clause pointing back name its victims */
	if (best && ss + best->start >= clause_end(d->text, ev->trig_end, ev->sent_end)) {
		size_t cls = ev->clause;
		size_t cle = clause_end(d->text, ev->trig_end, ev->sent_end), as, ae;
		if (cb_rule_find(d->x->cue[CUE_ANAPHOR], d->cx, d->text + cls, cle - cls, 0, &as,
				 &ae)) {
			best = NULL;
			from = cls - ss;
		}
	}
	if (best && best->most_of) {
		if (d->gmax > 0) {
			ev->vmin = d->gmax / 2 + 1;
			ev->vmax = d->gmax;
		}
		ev->gender = d->ggender;
		memcpy(ev->nat, d->gnat, 3);
		ev->vic_start = ss + best->start;
		ev->vic_end = ss + best->end;
		return;
	}
	if (best) {
		ev->vmin = best->min;
		ev->vmax = best->max;
		/* "a Chinese broker", "the three sessions": one person or a bare
		 * number says less than "four foreign nationals" */
		ev->vstrong = !(best->min == 1 && best->max == 1);
		ev->gender = best->gender;
		memcpy(ev->nat, best->nat, 3);
		ev->vic_start = ss + best->start;
		ev->vic_end = ss + best->end;
		if (!best->person && d->gmax > 0) {
			/* "the nine": the same people as before, if their number fits */
			ev->gender = ev->gender ? ev->gender : d->ggender;
			if (!ev->nat[0])
				memcpy(ev->nat, d->gnat, 3);
		}
		remember_main(d, best);
		if (best->min > 0 || best->max > 0) {
			d->gmin = best->min;
			d->gmax = best->max;
			d->ggender = ev->gender;
			memcpy(d->gnat, ev->nat, 3);
			remember_plural(d);
		}
		return;
	}
	size_t as, ae;
	if (cb_rule_find(d->x->cue[CUE_ANAPHOR], d->cx, d->text + ss + from, ev->sent_end - ss - from,
			 0, &as, &ae)) {
		as += from;
		ae += from;
		/* "they persuaded her", "the suspects had drawn the victims in":
		 * words pointing back before an active verb are its subject; the
		 * victims are its object */
		if (ss + ae <= ev->trig_start && active_between(d->text, ss + ae, ev->trig_start)) {
			size_t obj = ev->trig_start, os, oe, ps; /* "persuaded her to" */
			if (obj < ev->sent_end &&
			    cb_rule_find(d->x->cue[CUE_ANAPHOR], d->cx, d->text + obj,
					 ev->sent_end - obj, 0, &os, &oe)) {
				as = obj - ss + os;
				ae = obj - ss + oe;
			} else if ((ps = female_pronoun(d->text, obj, ev->sent_end)) != (size_t)-1) {
				set_one_woman(d, ev, ps);
				return;
			} else if ((ps = first_person(d->text, obj, ev->sent_end)) != (size_t)-1) {
				ev->vmin = ev->vmax = 1; /* "they kept me" */
				ev->vic_start = ps;
				ev->vic_end = ps + (d->text[ps] == 'I' ? 1 : 2);
				return;
			}
		}
		ev->vmin = d->gmin;
		ev->vmax = d->gmax;
		ev->gender = d->ggender;
		memcpy(ev->nat, d->gnat, 3);
		/* the words that point back are plural: a group of one is not it */
		if (d->gmin == 1 && d->gmax == 1 && d->pmin != CB_COUNT_NONE) {
			ev->vmin = d->pmin;
			ev->vmax = d->pmax;
			ev->gender = d->pgender;
			memcpy(ev->nat, d->pnat, 3);
		}
		/* "the suspects", "the detainees", "the arrested women": the
		 * people of the last arrest, whoever was counted since */
		{
			/* not "among the detainees were ...": a part of them, counted */
			const cb_event *arr = ev->subset ? NULL
					      : people_arrested(d, d->text + ss + as, ae - as);
			if (arr) {
				ev->vmin = arr->vmin;
				ev->vmax = arr->vmax;
				ev->gender = arr->gender;
				memcpy(ev->nat, arr->nat, 3);
			}
		}
		/* "all of them", "all the defectors": the whole group, which
		 * may be more than the part counted last */
		if (ae - as > 3 && !strncasecmp(d->text + ss + as, "all", 3) &&
		    d->mmin != CB_COUNT_NONE && (ev->vmin == CB_COUNT_NONE || d->mmin > ev->vmin)) {
			ev->vmin = d->mmin;
			ev->vmax = d->mmax;
			ev->gender = d->mgender;
		}
		ev->vstrong = !(ev->vmin == 1 && ev->vmax == 1);
		ev->vic_start = ss + as;
		ev->vic_end = ss + ae;
		return;
	}
	/* "the woman", "the father", "she", "her": one person (the first of the words in
	 * this order that the sentence has, found in one pass) */
	{
		static const char *const one[] = {"woman", "girl", "mother", "man", "boy", "father",
			NULL};
		static const char gender[] = "fffmmm";
		size_t at[6] = {(size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1};
		size_t end[6] = {0};
		const char *t = d->text;
		size_t se = ev->sent_end;
		for (size_t i = lo; i + 7 <= se; i++) {
			if ((t[i] | 32) != 't' || t[i + 3] != ' ' || strncasecmp(t + i, "the", 3) ||
			    (i > lo && cb_isalpha((unsigned char)t[i - 1])))
				continue;
			/* "the woman", and past up to two words naming her: "the
			 * North Korean woman", "the young man" */
			size_t we, w = cb_word_after(t, i + 3, se, &we);
			for (int words = 0; words < 3 && w < we; words++) {
				int k = 0;
				while (one[k] && (strlen(one[k]) != we - w ||
						  strncasecmp(t + w, one[k], we - w)))
					k++;
				if (one[k]) {
					if (at[k] == (size_t)-1)
						at[k] = i, end[k] = we;
					break;
				}
				if (we >= se || t[we] != ' ')
					break;
				w = cb_word_after(t, we, se, &we);
			}
		}
		for (int k = 0; k < 6; k++)
			if (at[k] != (size_t)-1) {
				ev->vmin = ev->vmax = 1;
				ev->gender = gender[k];
				ev->vic_start = at[k];
				ev->vic_end = end[k];
				return;
			}
	}
	size_t ps = female_pronoun(d->text, lo, ev->sent_end);
	if (ps != (size_t)-1) {
		set_one_woman(d, ev, ps);
		return;
	}
	if ((ps = first_person(d->text, lo, ev->sent_end)) != (size_t)-1) {
		ev->vmin = ev->vmax = 1;
		ev->vic_start = ps;
		ev->vic_end = ps + (d->text[ps] == 'I' ? 1 : 2);
	}
}

/* The victims of ev (see victims_of). People joined to the act's own
 * ("Ms. Ri was arrested ... and repatriated together with some 60 other
 * North Koreans") are not its victims alone, but count with them for the
 * act just before them (1 + 60). */
static void set_victims(doc *d, cb_event *ev, const cb_count *cs, size_t nc, size_t lo)
{
	const cb_count *with = companions(d, ev->sent_start, cs, nc);
	if (!with) {
		victims_of(d, ev, cs, nc, lo);
		return;
	}
	cb_count own[16];
	size_t n = 0;
	for (size_t i = 0; i < nc && n < 16; i++)
		if (&cs[i] != with)
			own[n++] = cs[i];
	victims_of(d, ev, own, n, lo);
	size_t at = ev->sent_start + with->start;
	if (at >= ev->trig_end && at <= ev->trig_end + 40 && ev->vmin >= 1) {
		ev->vmin += with->min;
		ev->vmax = ev->vmax < 0 || with->max < 0 ? CB_COUNT_NONE : ev->vmax + with->max;
	}
}

/* ---- sentence years ---- */

/* The term of a sentence told in s[0..len), in years ("10-year
 * sentence", "given three years", "18 months" 1.5), or -1; *lo is the
 * shortest term of a range ("between five and eight years" 5, 8), else
 * the term itself. */
static double sentence_years(const char *s, size_t len, double *lo)
{
	long first = -1; /* the number just before, joined by "and", "to", "-" */
	size_t first_end = 0;
	*lo = -1;
	for (size_t i = 0; i < len; i++) {
		if (!cb_isalnum((unsigned char)s[i]) || (i > 0 && cb_isalnum((unsigned char)s[i - 1])))
			continue;
		size_t e = i;
		while (e < len && cb_isalnum((unsigned char)s[e]))
			e++;
		long v = cb_number_parse(s + i, e - i);
		if (v <= 0 || v > 99)
			continue;
		/* "five and eight years", "five to eight years", "5-8 years" */
		int ranged = first > 0 && first < v &&
			     ((i == first_end + 1 && s[first_end] == '-') ||
			      (i == first_end + 5 && !strncasecmp(s + first_end, " and ", 5)) ||
			      (i == first_end + 4 && !strncasecmp(s + first_end, " to ", 4)));
		size_t k = e;
		if (k < len && (s[k] == '-' || s[k] == ' '))
			k++;
		double div = len - k >= 4 && !strncasecmp(s + k, "year", 4)    ? 1.0
			     : len - k >= 5 && !strncasecmp(s + k, "month", 5) ? 12.0
									      : 0;
		if (div > 0) {
			*lo = (ranged ? first : v) / div;
			return v / div;
		}
		first = v;
		first_end = e;
	}
	return -1;
}

/* ---- places ---- */

static int country_is(const cb_place *p, const char *cc)
{
	return p && p->country && !strcmp(p->country, cc);
}

/* A state other than the two Koreas and China: Laos, Vietnam, Thailand. */
static int third_country(const char *cc)
{
	return cc && strcmp(cc, "KP") && strcmp(cc, "CN") && strcmp(cc, "KR");
}

static void set_place_from(cb_event *ev, const cb_place *p, size_t s, size_t e)
{
	ev->country = p->country;
	ev->admin1 = p->kind == CB_PLACE_COUNTRY ? NULL : (p->admin1 ? p->admin1 : p->name);
	ev->place = p->kind == CB_PLACE_CITY ? p->name : NULL;
	ev->place_start = s;
	ev->place_end = e;
}

/* The country of a state body named just before the trigger by its
 * demonym ("South Korean police", "the Lao authorities", "Vietnamese border
 * guards"), or NULL. */
static const char *actor_country(doc *d, const cb_event *ev)
{
	static const char *const bodies[] = {"police", "authorities", "officials", "officers",
		"security", "court", "border", "guards", "government", "immigration", NULL};
	const char *t = d->text;
	size_t ss = ev->sent_start;
	if (!d->x->gaz || ev->trig_start <= ss)
		return NULL;
	/* the first letters of the bodies, to pass over other words at once */
	static const unsigned char first[256] = {['p'] = 1, ['a'] = 1, ['o'] = 1, ['s'] = 1,
		['c'] = 1, ['b'] = 1, ['g'] = 1, ['i'] = 1, ['P'] = 1, ['A'] = 1, ['O'] = 1,
		['S'] = 1, ['C'] = 1, ['B'] = 1, ['G'] = 1, ['I'] = 1};
	/* word by word: [i, e) a run of letters or one other byte */
	for (size_t i = ss, e; i < ev->trig_start; i = e) {
		e = i + 1;
		if (!cb_isalpha((unsigned char)t[i]))
			continue;
		while (e < ev->sent_end && cb_isalpha((unsigned char)t[e]))
			e++;
		if (!first[(unsigned char)t[i]] || e > ev->trig_start)
			continue;
		unsigned char c0 = (unsigned char)cb_tolower((unsigned char)t[i]);
		for (int k = 0; bodies[k]; k++) {
			if ((unsigned char)bodies[k][0] != c0)
				continue;
			size_t n = strlen(bodies[k]);
			if (e - i != n || strncasecmp(t + i, bodies[k], n))
				continue;
			/* the one or two words before it: "South Korean", "Lao" */
			size_t we, b = cb_word_before(t, ss, i, &we);
			if (b == we)
				continue;
			const char *cc = cb_gazetteer_demonym(d->x->gaz, t + b, we - b);
			size_t b2, b3 = cb_word_before(t, ss, b, &b2);
			if (b3 < b2) {
				const char *cc2 = cb_gazetteer_demonym(d->x->gaz, t + b3, we - b3);
				if (cc2)
					cc = cc2;
			}
			if (cc)
				return cc;
		}
	}
	return NULL;
}

/* An escape is placed at its destination where one is named (the first
 * after the trigger, else the last before it), or NULL. A country is
 * narrowed by a place in it named next ("into China near Helong"). */
static const cb_place_mention *escape_destination(const doc *d, const cb_event *ev,
						  const cb_place_mention *pm, size_t np)
{
	const cb_place_mention *to = NULL;
	size_t at = 0;
	for (size_t i = 0; i < np; i++) {
		if (!pm[i].place || !cb_destination_at(d->text, ev->sent_start, pm[i].start))
			continue;
		to = &pm[i];
		at = i;
		if (pm[i].start >= ev->trig_start)
			break;
	}
	if (to && to->place->kind == CB_PLACE_COUNTRY && at + 1 < np) {
		const cb_place_mention *next = &pm[at + 1];
		if (next->place && next->place->kind != CB_PLACE_COUNTRY &&
		    country_is(next->place, to->place->country) && next->start < to->end + 40)
			return next;
	}
	return to;
}

/* "police in Yanji", "Yanji police", "the authorities of Tumen": the
 * place of an authority named in the sentence ending at se, kept for the
 * sentence after it. */
static void remember_authority_place(doc *d, const cb_place_mention *pm, size_t np, size_t se)
{
	static const char *const bodies[] = {"police", "authorities", "officers", "officials",
		"court", NULL};
	static const char *const of[] = {"in", "of", "from", NULL};
	const char *t = d->text;
	for (size_t i = 0; i < np; i++) {
		const cb_place *p = pm[i].place;
		if (!p || p->kind == CB_PLACE_COUNTRY)
			continue;
		size_t ae, a = cb_word_after(t, pm[i].end, se, &ae); /* "Yanji police" */
		size_t we, w = cb_word_before(t, 0, pm[i].start, &we), be, bw = cb_word_before(t, 0, w, &be);
		if (cb_word_in(t, a, ae, bodies) || (cb_word_in(t, w, we, of) && cb_word_in(t, bw, be, bodies))) {
			d->auth_place = p;
			d->auth_sent_end = se;
			return;
		}
	}
}

/* "The police also traced ...": an authority named without a place in
 * the sentence right after one that placed it is the same one, there. */
static const cb_place *authority_place(const doc *d, const cb_event *ev)
{
	static const char *const the[] = {"the", NULL};
	static const char *const bodies[] = {"police", "authorities", "officers", "officials", NULL};
	if (!d->auth_place || !cb_next_in_paragraph(d->text, d->auth_sent_end, ev->sent_start))
		return NULL;
	const char *t = d->text;
	size_t e, s = cb_word_after(t, ev->sent_start, ev->sent_end, &e);
	if (cb_word_in(t, s, e, the))
		s = cb_word_after(t, e, ev->sent_end, &e);
	return cb_word_in(t, s, e, bodies) ? d->auth_place : NULL;
}

/* Are the cities named at l and r joined: "X and Y", "X or Y", "X, Y",
 * "X, and Y"? */
static int cities_joined(const char *t, const cb_place_mention *l, const cb_place_mention *r)
{
	static const char *const joins[] = {" and ", " or ", ", ", ", and ", ", or ", NULL};
	if (!l->place || !r->place || l->place->kind != CB_PLACE_CITY ||
	    r->place->kind != CB_PLACE_CITY || !country_is(l->place, r->place->country))
		return 0;
	for (int k = 0; joins[k]; k++) {
		size_t n = strlen(joins[k]);
		if (r->start == l->end + n && !strncmp(t + l->end, joins[k], n))
			return 1;
	}
	return 0;
}

/* "arrested in Changchun and Yanji", "in Yanji, Longjing and Tumen":
 * cities joined tell of none alone. The act is placed in the province
 * they share, else only in their country. */
static void joined_cities(const doc *d, cb_event *ev, const cb_place_mention *pm, size_t np,
			  const cb_place_mention *best)
{
	size_t i = (size_t)(best - pm), a = i, b = i;
	while (a > 0 && cities_joined(d->text, &pm[a - 1], &pm[a]))
		a--;
	while (b + 1 < np && cities_joined(d->text, &pm[b], &pm[b + 1]))
		b++;
	if (a == b)
		return;
	ev->place = NULL;
	for (size_t k = a; k <= b; k++)
		if (!pm[k].place->admin1 || !ev->admin1 || strcmp(pm[k].place->admin1, ev->admin1))
			ev->admin1 = NULL;
	ev->place_start = pm[a].start;
	ev->place_end = pm[b].end;
}

static void set_location(doc *d, cb_event *ev, const cb_place_mention *pm, size_t np)
{
	const char *type = ev->type;
	int feared_fate = strcmp(ev->modality, "possible") == 0 &&
			  (!strcmp(type, "death") || !strcmp(type, "abuse") ||
			   !strcmp(type, "detention"));
	ev->country = NULL;
	ev->admin1 = ev->place = NULL;
	/* The nearest province or city in the sentence. */
	const cb_place_mention *best = NULL, *country = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < np; i++) {
		const cb_place *p = pm[i].place;
		if (!p)
			continue;
		size_t dist = pm[i].start >= ev->trig_end ? pm[i].start - ev->trig_end
			      : pm[i].end <= ev->trig_start ? ev->trig_start - pm[i].end : 0;
		if (p->kind == CB_PLACE_COUNTRY) {
			if (!country)
				country = &pm[i];
			continue;
		}
		/* no nearer than the best so far: the tests below cannot matter */
		if (dist >= bestd)
			continue;
		/* "questioning found that the group had set out from X": what was
		 * found happened elsewhere */
		if (pm[i].start > ev->trig_end && cb_reported_between(d->text, ev->trig_end, pm[i].start))
			continue;
		/* "whose daughter lives in Seoul": where someone lives, not the act */
		if (cb_residence_at(d->text, ev->sent_start, pm[i].start))
			continue;
		/* "had crossed the river in 2019 and were sold to farmers in
		 * Hunchun": a place past the next verb joined by "and" is that
		 * act's */
		if (pm[i].start > ev->trig_end &&
		    cb_next_verb_between(d->text, ev->trig_end, pm[i].start))
			continue;
		/* "in Pingxiang, across the border from Lang Son": a landmark */
		if (cb_landmark_at(d->text, ev->sent_start, pm[i].start))
			continue;
		/* "police in Songyuan, working with police in Baishan,
		 * arrested": a partner's place; "Ms. Choi, a woman from
		 * Hoeryong who escaped, was detained": a person's */
		if (pm[i].end <= ev->trig_start &&
		    (cb_partner_aside(d->text, ev->sent_start, pm[i].start, pm[i].end, ev->trig_start) ||
		     cb_relative_aside(d->text, ev->sent_start, pm[i].start, ev->trig_start)))
			continue;
		bestd = dist;
		best = &pm[i];
	}
	/* "Yanji, a city in Jilin Province": a province right after a city of
	 * its own names where the city is, not another place */
	if (best && best->place->kind == CB_PLACE_ADMIN1)
		for (size_t i = 0; i < np; i++) {
			const cb_place *p = pm[i].place;
			if (p && p->kind == CB_PLACE_CITY && p->admin1 &&
			    !strcmp(p->admin1, best->place->name) && pm[i].end <= best->start &&
			    best->start - pm[i].end <= 30)
				best = &pm[i];
		}
	/* "Yanji, the capital of China's Yanbian Korean Autonomous
	 * Prefecture", "Longjing, a town in Yanbian": a place in apposition
	 * to a city tells where the city is; the city is the place */
	if (best && best->place->kind != CB_PLACE_COUNTRY)
		for (size_t i = 0; i < np; i++) {
			const cb_place *p = pm[i].place;
			if (p && p != best->place && p->kind == CB_PLACE_CITY && pm[i].end <= best->start &&
			    best->start - pm[i].end <= 40 &&
			    cb_apposition_at(d->text, pm[i].end, best->start)) {
				best = &pm[i];
				break;
			}
		}
	if (!strcmp(type, "repatriation")) {
		/* The deporting state: a third country named in the sentence
		 * (Laos, Vietnam) hands people over; otherwise China. */
		ev->country = "CN";
		for (size_t i = 0; i < np; i++) {
			const cb_place *p = pm[i].place;
			if (p && p->kind == CB_PLACE_COUNTRY && third_country(p->country) &&
			    pm[i].start < ev->trig_start) {
				ev->country = p->country;
				/* "handed to the embassy in Vientiane": where in it */
				if (best && country_is(best->place, p->country))
					set_place_from(ev, best->place, best->start, best->end);
				return;
			}
		}
		/* a city of a third country ("the embassy in Vientiane"), or its
		 * state acting ("the Lao government ... handed") */
		if (best && third_country(best->place->country)) {
			set_place_from(ev, best->place, best->start, best->end);
			return;
		}
		/* "repatriated with 60 others held in Jilin Province", "sent
		 * back from Tumen", "through Dandong": a place in China the
		 * people leave from */
		for (size_t i = 0; i < np && strcmp(ev->modality, "possible"); i++)
			if (pm[i].place && country_is(pm[i].place, "CN") &&
			    cb_departure_at(d->text, ev->sent_start, pm[i].start)) {
				set_place_from(ev, pm[i].place, pm[i].start, pm[i].end);
				return;
			}
		{
			const char *cc = actor_country(d, ev);
			if (third_country(cc)) {
				ev->country = cc;
				if (d->case_city && country_is(d->case_city, cc))
					set_place_from(ev, d->case_city, 0, 0);
				return;
			}
		}
		const cb_place *ap = strcmp(ev->modality, "possible") ? authority_place(d, ev) : NULL;
		/* "Chinese police in Helong caught a couple ... and handed
		 * them over": the returning authority's place, told in the
		 * sentence itself */
		if (!ap && d->auth_place && d->auth_sent_end == ev->sent_end &&
		    strcmp(ev->modality, "possible"))
			ap = d->auth_place;
		/* the case's city, unless in the North: a return is from
		 * where the people were held, not to where they are taken */
		if (ap && country_is(ap, "CN"))
			set_place_from(ev, ap, 0, 0);
		else if (d->case_city && strcmp(ev->modality, "possible") &&
			 !country_is(d->case_city, "KP"))
			set_place_from(ev, d->case_city, 0, 0);
		return;
	}
	if (feared_fate) {
		ev->country = "KP";
		if (best && country_is(best->place, "KP"))
			set_place_from(ev, best->place, best->start, best->end);
		return;
	}
	if (!strcmp(type, "escape")) {
		const cb_place_mention *to = escape_destination(d, ev, pm, np);
		if (to) {
			set_place_from(ev, to->place, to->start, to->end);
			return;
		}
	}
	if (best) {
		set_place_from(ev, best->place, best->start, best->end);
		joined_cities(d, ev, pm, np, best);
		return;
	}
	/* "China regards North Koreans who cross its border as illegal
	 * migrants": a state's policy, named by the state itself and no
	 * place, holds in the whole country */
	if (!strcmp(type, "policy") && country && country->start < ev->trig_start) {
		ev->country = country->place->country;
		return;
	}
	/* "South Korean police arrested", "Lao authorities detained": the
	 * state that acts is where it happens, when no place is named */
	{
		const char *cc = actor_country(d, ev);
		if (cc) {
			ev->country = cc;
			if (d->case_city && d->case_city->country && !strcmp(d->case_city->country, cc))
				set_place_from(ev, d->case_city, 0, 0);
			return;
		}
	}
	{
		const cb_place *ap = authority_place(d, ev);
		if (ap) {
			set_place_from(ev, ap, 0, 0);
			return;
		}
	}
	/* "police in other regions of China", "women living in China": the
	 * sentence places itself in the country at large, not the case's city */
	if (country && d->case_city && country_is(d->case_city, country->place->country) &&
	    cb_country_wide(d->text, ev->sent_start, country->start)) {
		ev->country = country->place->country;
		return;
	}
	static const char *const case_types[] = {"arrest", "sentencing", "interrogation", "policy",
		"surveillance", "detention", NULL};
	for (int i = 0; d->case_city && case_types[i]; i++)
		if (!strcmp(type, case_types[i])) {
			set_place_from(ev, d->case_city, 0, 0);
			return;
		}
	if (country) {
		ev->country = country->place->country;
		return;
	}
	ev->country = "CN";
}

/* The end of a dateline opening the sentence ("BEIJING, Nov. 18 (UPI) --",
 * "CHIANG RAI, 9 June 2014 –"): a place in capitals and a comma, then a
 * dash within the first hundred bytes. ss when there is none. */
static size_t dateline_end(const char *t, size_t ss, size_t se)
{
	size_t i = ss, caps = 0;
	while (i < se && (cb_isupper((unsigned char)t[i]) || t[i] == ' ' || t[i] == '-' ||
			  t[i] == '.' || t[i] == '\''))
		caps += cb_isupper((unsigned char)t[i]) != 0, i++;
	if (caps < 2 || i >= se || t[i] != ',' || (i > ss && cb_islower((unsigned char)t[i - 1])))
		return ss;
	/* the word before the comma is all capitals (not "Yanji,") */
	if (i >= ss + 2 && !cb_isupper((unsigned char)t[i - 2]))
		return ss;
	size_t lim = ss + 100 < se ? ss + 100 : se;
	for (; i + 3 <= lim; i++) {
		if (t[i] == ' ' && t[i + 1] == '-' && t[i + 2] == '-')
			return i + 3;
		if (t[i] == ' ' && i + 4 <= lim && (unsigned char)t[i + 1] == 0xE2 &&
		    (unsigned char)t[i + 2] == 0x80 &&
		    ((unsigned char)t[i + 3] == 0x93 || (unsigned char)t[i + 3] == 0x94))
			return i + 4;
	}
	return ss;
}

/* Is pos inside a dateline (at the start of its line)? */
static int in_dateline(const doc *d, size_t pos)
{
	size_t ls = pos, le = pos;
	while (ls > 0 && d->text[ls - 1] != '\n' && pos - ls < 200)
		ls--;
	while (le < d->len && d->text[le] != '\n' && le - pos < 200)
		le++;
	return pos < dateline_end(d->text, ls, le);
}

/* data/rules/capitals.tsv: is name one of the capitals standing for a state? */
static int is_capital(const cb_extractor *x, const char *name)
{
	for (const char *c = x->capitals; c && *c; c += strlen(c) + 1)
		if ((*c | 32) == (*name | 32) && !strcasecmp(c, name))
			return 1;
	return 0;
}

/* "the government in Vientiane", "the regime in Pyongyang": a capital
 * after a word for a state stands for it. Is such a word just before t[..b)? */
static int state_before(const char *t, size_t b)
{
	static const char *const states[] = {"government", "regime", "leadership", NULL};
	size_t e, w = cb_word_before(t, 0, b, &e);
	return cb_word_in(t, w, e, states);
}

static int usable_capital(const doc *d, const cb_place_mention *pm, int capital);

/* Is the place named at text[s..e) a place of the story? Not in "Seoul-based"
 * or "a Beijing-led", nor a capital standing for its state ("accused
 * Beijing of"): a capital counts only after a word of place. */
static int place_usable(const doc *d, const cb_place_mention *pm)
{
	return pm->place && usable_capital(d, pm, pm->place->kind == CB_PLACE_CITY &&
						      is_capital(d->x, pm->place->name));
}

/* place_usable for a place known to be a capital city or not (find_case_city
 * asks is_capital once per place). */
static int usable_capital(const doc *d, const cb_place_mention *pm, int capital)
{
	const char *t = d->text;
	if (!pm->place)
		return 0;
	if (pm->end + 1 < d->len && t[pm->end] == '-' &&
	    (!strncasecmp(t + pm->end + 1, "based", 5) || !strncasecmp(t + pm->end + 1, "led", 3)))
		return 0;
	/* "the Tumen River", "the Yalu river": a river that shares a city's
	 * name (and runs a whole border) is no place of an act */
	if (pm->end + 6 <= d->len && t[pm->end] == ' ' && !strncasecmp(t + pm->end + 1, "river", 5) &&
	    (pm->end + 6 == d->len || !cb_isalpha((unsigned char)t[pm->end + 6])))
		return 0;
	if (pm->place->kind != CB_PLACE_CITY || !capital)
		return 1;
	static const char *const preps[] = {"in", "at", "to", "from", "near", "into", "outside",
		"around", "via", "through", "of", "reached", "toward", "towards", NULL};
	/* "Seoul police", "Beijing city authorities": the city's own bodies */
	static const char *const bodies[] = {"police", "city", "court", "prosecutors",
		"municipal", "metropolitan", NULL};
	for (int k = 0; bodies[k]; k++) {
		size_t n = strlen(bodies[k]);
		if (pm->end + 1 + n <= d->len && t[pm->end] == ' ' &&
		    !strncasecmp(t + pm->end + 1, bodies[k], n) &&
		    !cb_isalpha((unsigned char)t[pm->end + 1 + n]))
			return 1;
	}
	size_t e, b = cb_word_before(t, 0, pm->start, &e);
	return cb_word_in(t, b, e, preps) && !state_before(t, b);
}

/* The report's one city, when most city mentions name it. */
static const cb_place *find_case_city(doc *d)
{
	if (!d->x->gaz)
		return NULL;
	cb_place_mention *pm = NULL;
	size_t np = 0;
	cb_error err = CB_ERROR_INIT;
	size_t scan = d->len < DOC_SCAN ? d->len : DOC_SCAN;
	if (cb_gazetteer_scan(&pm, &np, d->x->gaz, d->text, scan, &err) < 0)
		return NULL;
	/* The sentences take their places from this one scan (a copy: the
	 * tally below drops some). */
	free(d->dpm);
	d->ndpm = 0;
	d->dscan = 0;
	if ((d->dpm = malloc((np ? np : 1) * sizeof *pm))) {
		if (np) /* pm may be NULL when nothing was found */
			memcpy(d->dpm, pm, np * sizeof *pm);
		d->ndpm = np;
		d->dscan = scan;
	}
	/* Each place once, in a table by its address: how often the scan named
	 * it, how many of those the tally has dropped so far, whether it is a
	 * capital. A city's count is what is left of its mentions (it was a
	 * pass over every mention per city mention). Without memory for the
	 * table, that pass. */
	struct tally {
		const cb_place *place;
		size_t named, dropped;
		int capital; /* -1 until asked */
	} *tl;
	size_t tmask = 15;
	while (tmask < np) /* more slots than places */
		tmask = tmask * 2 + 1;
	if ((tl = calloc(tmask + 1, sizeof *tl)))
		for (size_t i = 0; i < np; i++) {
			if (!pm[i].place)
				continue;
			size_t k = (size_t)((uintptr_t)pm[i].place / sizeof(cb_place)) & tmask;
			while (tl[k].place && tl[k].place != pm[i].place)
				k = (k + 1) & tmask;
			tl[k].place = pm[i].place;
			tl[k].named++;
			tl[k].capital = -1;
		}
	const cb_place *best = NULL;
	size_t bestn = 0, cities = 0;
	const char *province = NULL;
	const cb_place *province_place = NULL;
	int one_province = 1;
	/* in_dateline walks to both ends of the mention's line; most mentions
	 * are far from any dateline. The line's start is found going forward
	 * with the mentions, and dateline_end reads no more than a hundred
	 * bytes of a line: only a mention that near its line's start can be in
	 * a dateline, and the line's end matters only that far. in_dateline
	 * has the last word where there is one. */
	size_t line = 0;
	const char *nl = memchr(d->text, '\n', scan);
	for (size_t i = 0; i < np; i++) {
		if (!pm[i].place || pm[i].place->kind == CB_PLACE_COUNTRY)
			continue;
		if (d->meta && cb_docmeta_in_boilerplate(d->meta, pm[i].start))
			continue;
		while (nl && (size_t)(nl - d->text) < pm[i].start) {
			line = (size_t)(nl - d->text) + 1;
			nl = memchr(d->text + line, '\n', scan - line);
		}
		int in_dl = 0;
		if (pm[i].start - line < 100) {
			size_t e = line + 100 < d->len ? line + 100 : d->len;
			const char *q = memchr(d->text + pm[i].start, '\n', e - pm[i].start);
			in_dl = pm[i].start < dateline_end(d->text, line, q ? (size_t)(q - d->text) : e) &&
				in_dateline(d, pm[i].start);
		}
		struct tally *t = NULL;
		int capital;
		if (tl) {
			size_t k = (size_t)((uintptr_t)pm[i].place / sizeof(cb_place)) & tmask;
			while (tl[k].place != pm[i].place)
				k = (k + 1) & tmask;
			t = &tl[k];
			if (t->capital < 0)
				t->capital = is_capital(d->x, pm[i].place->name);
			capital = t->capital;
		} else {
			capital = is_capital(d->x, pm[i].place->name);
		}
		/* a capital is where governments sit, not where a case happens */
		if (capital || in_dl || !usable_capital(d, &pm[i], 0)) {
			if (t)
				t->dropped++;
			pm[i].place = NULL;
			continue;
		}
		/* provinces: one named alone is the case's province */
		const char *a1 = pm[i].place->admin1 ? pm[i].place->admin1 : pm[i].place->name;
		if (!province)
			province = a1;
		else if (strcmp(province, a1))
			one_province = 0;
		if (pm[i].place->kind != CB_PLACE_CITY) {
			if (!province_place)
				province_place = pm[i].place;
			continue;
		}
		cities++;
		size_t n = 0;
		if (t)
			n = t->named - t->dropped;
		else
			for (size_t j = 0; j < np; j++)
				if (pm[j].place == pm[i].place)
					n++;
		if (n > bestn) {
			bestn = n;
			best = pm[i].place;
		}
	}
	free(tl);
	free(pm);
	if (best && bestn >= 2 && bestn * 3 >= cities * 2)
		return best;
	/* No city stands out, but every place named lies in one province
	 * ("a village in Liaoning Province"): the case is there. */
	if (one_province && province_place && !cities)
		return province_place;
	return NULL;
}

/* ---- dates ---- */

/* Gives ev the date of from (its span too): an act dated by another. */
static void copy_date(cb_event *ev, const cb_event *from)
{
	ev->has_date = 1;
	memcpy(ev->date_from, from->date_from, sizeof ev->date_from);
	memcpy(ev->date_to, from->date_to, sizeof ev->date_to);
	ev->precision = from->precision;
	ev->date_start = from->date_start;
	ev->date_end = from->date_end;
}

/* "A day later", "two weeks later", "the next day", "the following
 * morning": the date of the last act told with a day, moved on. Sets
 * ev's date and returns 1, or 0 when the sentence says none of these or
 * no act before it has a day. */
static int date_later(doc *d, cb_event *ev, size_t from, size_t to, int same)
{
	static const char *const next[] = {"next", "following", NULL};
	static const char *const part[] = {"day", "morning", "evening", "night", NULL};
	static const char *const units[] = {"day", "days", "week", "weeks", "month", "months", NULL};
	static const char *const later[] = {"later", "afterwards", NULL};
	const char *t = d->text;
	size_t ss = ev->sent_start, se = ev->sent_end;
	long n = -1;
	int unit = 0; /* 0 days, 1 weeks, 2 months */
	size_t ms = 0, me = 0;
	/* only words starting as "later", "afterwards", "next", "following" */
	static const unsigned char first[256] = {['l'] = 1, ['a'] = 1, ['n'] = 1, ['f'] = 1,
		['L'] = 1, ['A'] = 1, ['N'] = 1, ['F'] = 1};
	/* word by word: [i, e) a run of letters or one other byte */
	for (size_t i = from, e; i < to && n < 0; i = e) {
		e = i + 1;
		if (!cb_isalpha((unsigned char)t[i]))
			continue;
		while (e < se && cb_isalpha((unsigned char)t[e]))
			e++;
		if (!first[(unsigned char)t[i]])
			continue;
		if (cb_word_in(t, i, e, later)) {
			/* back over the unit and its number: "a day", "three weeks" */
			size_t ue, u = cb_word_before(t, ss, i, &ue), ne, w;
			if (u == ue || !cb_word_in(t, u, ue, units))
				continue;
			w = u;
			while (w > ss && t[w - 1] == ' ')
				w--;
			ne = w;
			while (w > ss && cb_isalnum((unsigned char)t[w - 1]))
				w--;
			long v = ne - w == 1 && (t[w] | 32) == 'a' ? 1 : cb_number_parse(t + w, ne - w);
			if (v <= 0 || v > 366)
				continue;
			n = v;
			unit = (t[u] | 32) == 'd' ? 0 : (t[u] | 32) == 'w' ? 1 : 2;
			ms = w;
			me = e;
		} else if (cb_word_in(t, i, e, next)) {
			/* "the next day", "the following morning" */
			size_t pe, p = cb_word_after(t, e, se, &pe);
			if (cb_word_in(t, p, pe, part)) {
				n = 1;
				ms = i;
				me = pe;
			}
		}
	}
	if (n < 0)
		return 0;
	const cb_event *before = NULL;
	for (size_t i = d->nev; i-- > 0 && !before;)
		if (d->ev[i].has_date && strlen(d->ev[i].date_to) == 10 &&
		    (same ? d->ev[i].sent_start == ss && d->ev[i].trig_end <= ev->trig_start
			  : d->ev[i].sent_start < ss))
			before = &d->ev[i];
	if (!before)
		return 0;
	const char *b = before->date_to;
	cb_ymd r = {atoi(b), atoi(b + 5), atoi(b + 8)};
	if (unit == 2) {
		int m = r.m - 1 + (int)n;
		r.y += m / 12;
		r.m = m % 12 + 1;
		r.d = 0;
	} else {
		r = cb_ymd_add_days(&r, n * (unit ? 7 : 1));
		if (unit)
			r.d = 0; /* "three weeks later": the month, not the day */
	}
	ev->has_date = 1;
	cb_ymd_format(ev->date_from, &r);
	memcpy(ev->date_to, ev->date_from, sizeof ev->date_to);
	ev->precision = r.d ? "day" : "month";
	ev->date_start = ms;
	ev->date_end = me;
	return 1;
}

static void set_date(doc *d, cb_event *ev, const cb_timex *tx, size_t nt)
{
	/* "arrested them on August 9 and handed them over four days later":
	 * the later act's day counts from the earlier act's, in the words
	 * between that act and just past this one */
	if (d->nev && d->ev[d->nev - 1].sent_start == ev->sent_start &&
	    d->ev[d->nev - 1].trig_end <= ev->trig_start) {
		size_t to = ev->trig_end + 60 < ev->sent_end ? ev->trig_end + 60 : ev->sent_end;
		if (date_later(d, ev, d->ev[d->nev - 1].trig_end, to, 1))
			return;
	}
	const cb_timex *best = NULL;
	size_t bestd = (size_t)-1;
	size_t own_clause = ev->clause;
	/* "arrested 12 defectors on Wednesday who had set out from Yanji":
	 * what the people had done before is told in its own time too */
	size_t before = cb_earlier_relative(d->text, ev->clause, ev->trig_start);
	if (before > own_clause)
		own_clause = before;
	for (size_t i = 0; i < nt; i++) {
		if (tx[i].precision == CB_PREC_NONE || !tx[i].from[0] || tx[i].present)
			continue;
		/* a feared or planned act is dated only in its own clause: "crossed
		 * on May 10 ..., where they could be executed" */
		if ((before || ev->second || strcmp(ev->modality, "actual")) &&
		    tx[i].end <= own_clause)
			continue;
		/* "Ms. Choi, a woman who escaped in 2017, was detained": the
		 * time of an aside about someone */
		if (tx[i].end <= ev->trig_start &&
		    cb_relative_aside(d->text, ev->sent_start, tx[i].start, ev->trig_start))
			continue;
		/* "a source said on Tuesday": the date of the saying */
		size_t ws = tx[i].start > ev->sent_start + 40 ? tx[i].start - 40 : ev->sent_start;
		if (cue(d, CUE_SPEECH, ws, tx[i].start))
			continue;
		size_t dist = tx[i].start >= ev->trig_end ? tx[i].start - ev->trig_end
			      : tx[i].end <= ev->trig_start ? ev->trig_start - tx[i].end : 0;
		if (dist < bestd) {
			bestd = dist;
			best = &tx[i];
		}
	}
	if (best) {
		ev->has_date = 1;
		memcpy(ev->date_from, best->from, sizeof ev->date_from);
		memcpy(ev->date_to, best->to[0] ? best->to : best->from, sizeof ev->date_to);
		ev->precision = cb_precision_name(best->precision);
		ev->date_start = best->start;
		ev->date_end = best->end;
		return;
	}
	if (date_later(d, ev, ev->sent_start, ev->sent_end, 0))
		return;
	/* "put on trial in late April. The two men were given three years":
	 * a sentence is passed at the trial told just before it */
	if (d->has_trial && !strcmp(ev->type, "sentencing") &&
	    cb_next_in_paragraph(d->text, d->trial_date.sent_end, ev->sent_start)) {
		copy_date(ev, &d->trial_date);
		return;
	}
	/* "are being held": a state at publication */
	size_t cs = ev->clause;
	if (d->has_anchor && cue(d, CUE_ONGOING, cs, ev->trig_end + 20 < ev->sent_end
					     ? ev->trig_end + 20 : ev->sent_end)) {
		ev->has_date = 1;
		cb_ymd_format(ev->date_from, &d->anchor);
		memcpy(ev->date_to, ev->date_from, sizeof ev->date_to);
		ev->precision = "day";
		ev->date_start = ev->trig_start;
		ev->date_end = ev->trig_end;
	}
}

/* An act of a case told without a date ("20 of them had been seized in
 * X") happened when the case's last dated act did; the date carries over
 * to later sentences, for the acts that make up a case. */
static void carry_date(doc *d, cb_event *ev)
{
	static const char *const carried[] = {"arrest", "detention", "abuse", "trafficking",
		"interrogation", NULL};
	if (strcmp(ev->modality, "actual"))
		return;
	if (ev->has_date) {
		if (ev->date_end > ev->date_start) {
			d->has_case_date = 1;
			d->case_date = *ev;
		}
		return;
	}
	if (!d->has_case_date)
		return;
	/* "Then they sent me back", "After that I was sent to a camp": a
	 * story told on in order keeps its time for an act of any kind, past
	 * a sentence or a paragraph break */
	int story = cb_opens_sequence(d->text, ev->sent_start, ev->sent_end) &&
		    cb_story_goes_on(d->text, d->case_date.sent_end, ev->sent_start);
	/* otherwise only the acts that make up a case, into the next
	 * sentence of the same paragraph */
	int carry = story;
	for (int k = 0; !carry && carried[k]; k++)
		carry = !strcmp(ev->type, carried[k]) &&
			cb_next_in_paragraph(d->text, d->case_date.sent_end, ev->sent_start);
	if (!carry)
		return;
	copy_date(ev, &d->case_date);
	/* a story told sentence by sentence keeps its time: the next
	 * sentence may take it from this one */
	d->case_date.sent_end = ev->sent_end;
}

/* ---- actors ---- */

static void set_actor(doc *d, cb_event *ev)
{
	/* Perpetrators only act in trafficking and abuse. */
	int u = strcmp(ev->type, "trafficking") && strcmp(ev->type, "abuse");
	/* The first match in the sentence is the same for all its events:
	 * found once per sentence. */
	if (!d->act_valid || d->act_sent != ev->sent_start) {
		d->act_valid = 1;
		d->act_sent = ev->sent_start;
		d->act_done[0] = d->act_done[1] = 0;
	}
	if (!d->act_done[u]) {
		size_t line = 0;
		d->act_done[u] = 1;
		d->act_hit[u] = (unsigned char)cb_rule_find_line(d->x->actor_union[u], d->cx, d->text,
								  ev->sent_end, ev->sent_start,
								  &d->act_s[u], &d->act_e[u], &line);
		d->act_rule[u] = line < 64 ? d->x->actor_rule[u][line] : 0;
	}
	if (d->act_hit[u]) {
		const cb_rule *best = &d->x->actors->rules[d->act_rule[u]];
		ev->actor_role = best->label[0];
		ev->actor_kind = best->label[1];
		ev->actor_start = d->act_s[u];
		ev->actor_end = d->act_e[u];
	}
}

/* ---- one sentence ---- */

static int is_heading(const char *t, size_t s, size_t e)
{
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	if (e == s)
		return 1;
	/* one word and a stop ("Repatriation.") labels a section */
	size_t w = s;
	while (w < e && t[w] == ' ')
		w++;
	while (w < e && t[w] != ' ')
		w++;
	if (w == e)
		return 1;
	unsigned char c = (unsigned char)t[e - 1];
	if (c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')')
		return 0;
	/* ” and ’ */
	if (e - s >= 3 && (unsigned char)t[e - 3] == 0xE2 && (unsigned char)t[e - 2] == 0x80 &&
	    (c == 0x9D || c == 0x99))
		return 0;
	return 1;
}

/* Does the sentence before name a state actor? Asked only by a policy
 * trigger, so found only then. */
static int authority_in(doc *d, const cb_sentence *prev)
{
	if (!prev)
		return 0;
	size_t e = prev->end - prev->start > MAX_SENTENCE ? prev->start + MAX_SENTENCE : prev->end;
	return cue(d, CUE_AUTHORITY, prev->start, e);
}

/* The places named in text[ss..se), from the report's scan: 1 and a new
 * array in *pm (the caller frees it), or 0 when that scan does not cover
 * the sentence (or no memory): then the sentence is scanned alone. */
static int places_of(doc *d, cb_place_mention **pm, size_t *np, size_t ss, size_t se)
{
	if (!d->dpm || (d->dscan < d->len && se + 64 > d->dscan))
		return 0;
	size_t lo = 0, hi = d->ndpm;
	while (lo < hi) { /* first mention starting at or after ss */
		size_t mid = lo + (hi - lo) / 2;
		if (d->dpm[mid].start < ss)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	while (lo + n < d->ndpm && d->dpm[lo + n].start < se)
		n++;
	/* a name running past the sentence's end is not the sentence's */
	while (n > 0 && d->dpm[lo + n - 1].end > se)
		n--;
	if (!(*pm = malloc((n ? n : 1) * sizeof **pm)))
		return 0;
	memcpy(*pm, d->dpm + lo, n * sizeof **pm);
	*np = n;
	return 1;
}

/* "20 had been seized in Qingdao and the remaining nine in Kunming": a
 * second act of the same kind with its verb left out, a count and a place
 * after "and". Fills *gap from ev and returns 1 when the sentence has one. */
static int gapped_event(const doc *d, const cb_event *ev, const cb_count *cs, size_t nc,
			const cb_place_mention *pm, size_t np, cb_event *gap)
{
	static const char *const and_[] = {"and", NULL}, *const at[] = {"in", "at", "near", NULL};
	const char *t = d->text;
	size_t ss = ev->sent_start;
	if (strcmp(ev->modality, "actual") || !ev->place_end || ev->vic_end > ev->trig_start ||
	    ev->vic_end <= ss)
		return 0;
	for (size_t k = 0; k < nc; k++) {
		size_t cs0 = ss + cs[k].start, ce0 = ss + cs[k].end, we, pe;
		if (cs0 < ev->trig_end || cs[k].min <= 0 || cs[k].after_prep)
			continue;
		size_t w = cb_word_before(t, ev->trig_end, cs0, &we);
		if (!cb_word_in(t, w, we, and_))
			return 0;
		size_t p = cb_word_after(t, ce0, ev->sent_end, &pe);
		if (!cb_word_in(t, p, pe, at))
			return 0;
		pe = cb_word_after(t, pe, ev->sent_end, &we); /* where the place starts */
		for (size_t i = 0; i < np; i++) {
			if (pm[i].start != pe || !pm[i].place || pm[i].place->kind == CB_PLACE_COUNTRY)
				continue;
			*gap = *ev;
			gap->vmin = cs[k].min;
			gap->vmax = cs[k].max;
			if (cs[k].gender)
				gap->gender = cs[k].gender;
			if (cs[k].nat[0])
				memcpy(gap->nat, cs[k].nat, 3);
			gap->vic_start = cs0;
			gap->vic_end = ce0;
			gap->trig_start = cs0;
			gap->trig_end = pm[i].end;
			set_place_from(gap, pm[i].place, pm[i].start, pm[i].end);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* Reads one sentence; prev is the sentence read before it (NULL if none). */
/* Where a clause of its own starts for the trigger at t[ms..), after the
 * same kind of act ending at first: a subordinate word ("after",
 * "before", "when", "while", "whereas") between them and, after it, a
 * count of people (counts, offsets from ss) before the trigger. 0 when
 * there is none. */
static size_t own_subject(const char *t, size_t first, size_t ms, const cb_count *counts,
			  size_t ncounts, size_t ss)
{
	static const char *const subs[] = {"after", "before", "when", "while", "whereas", NULL};
	for (size_t i = first, e; i < ms; i = e) {
		size_t w = cb_word_after(t, i, ms, &e);
		if (w == e) {
			e = w + 1;
			continue;
		}
		if (!cb_word_in(t, w, e, subs))
			continue;
		for (size_t c = 0; c < ncounts; c++)
			if (counts[c].person && ss + counts[c].start >= e &&
			    ss + counts[c].end <= ms)
				return w;
	}
	return 0;
}

/* ev is a second act of its type in its sentence, in the clause from
 * ev->clause: each act's evidence is its own clause ("The two men were
 * given three years" | "the woman was given 10 years"). The act before it
 * ends where ev's clause starts, past the comma and the joining word. */
static void split_evidence(doc *d, cb_event *ev)
{
	static const char *const joins[] = {"and", "but", "while", "whereas", "where", "when",
		NULL};
	const char *t = d->text;
	size_t ss = ev->sent_start, se = ev->sent_end, b = ev->clause, we;
	size_t a = cb_word_after(t, ev->clause, se, &we);
	if (cb_word_in(t, a, we, joins) && we < ev->trig_start)
		a = cb_word_after(t, we, se, &we);
	while (b > ss && (t[b - 1] == ' ' || t[b - 1] == ','))
		b--;
	ev->ev_start = a;
	ev->ev_end = se;
	for (size_t i = d->nev; i-- > 0 && d->ev[i].sent_start == ss;) {
		cb_event *p = &d->ev[i];
		if (strcmp(p->type, ev->type) || p->trig_start >= ev->clause)
			continue;
		if (!p->ev_end)
			p->ev_start = ss;
		if (b > p->ev_start)
			p->ev_end = b;
		break;
	}
}

/* The times named in text[ss..se), resolved against the report's date,
 * into *tx (the caller frees it; NULL and 0 when there are none or no
 * memory). A dateline's date says when the report was filed, not when
 * an act was: it is kept unresolved. */
static void times_of(doc *d, cb_timex **tx, size_t *nt, size_t ss, size_t se)
{
	cb_error err = CB_ERROR_INIT;
	if (cb_timex_scan(tx, nt, d->text + ss, se - ss, d->has_anchor ? &d->anchor : NULL,
			  &err) < 0) {
		*tx = NULL;
		*nt = 0;
	}
	size_t dl = dateline_end(d->text, ss, se);
	for (size_t i = 0; i < *nt; i++) {
		(*tx)[i].start += ss, (*tx)[i].end += ss;
		if ((*tx)[i].start < dl)
			(*tx)[i].precision = CB_PREC_NONE;
	}
}

/* Keeps the date of a trial told in the sentence text[ss..se) (the first
 * time named that is not when someone spoke), for the sentencing told in
 * the sentence after it. */
static void remember_trial(doc *d, const cb_timex *tx, size_t nt, size_t ss, size_t se)
{
	for (size_t i = 0; i < nt; i++) {
		if (tx[i].precision == CB_PREC_NONE || !tx[i].from[0] || tx[i].present)
			continue;
		size_t ws = tx[i].start > ss + 40 ? tx[i].start - 40 : ss;
		if (cue(d, CUE_SPEECH, ws, tx[i].start))
			continue;
		cb_event *tr = &d->trial_date;
		d->has_trial = 1;
		memcpy(tr->date_from, tx[i].from, sizeof tr->date_from);
		memcpy(tr->date_to, tx[i].to[0] ? tx[i].to : tx[i].from, sizeof tr->date_to);
		tr->precision = cb_precision_name(tx[i].precision);
		tr->date_start = tx[i].start;
		tr->date_end = tx[i].end;
		tr->sent_end = se;
		return;
	}
}

static int read_sentence(doc *d, const cb_sentence *sn, const cb_sentence *prev)
{
	const cb_extractor *x = d->x;
	const char *t = d->text;
	size_t ss = sn->start, se = sn->end;
	int rc = 0;
	cb_timex *tx = NULL;
	cb_place_mention *pm = NULL;
	size_t nt = 0, np = 0;
	int scanned = 0;
	cb_count counts[16];
	size_t ncounts;
	int counted = 0, subset = -1;

	if (se - ss > MAX_SENTENCE)
		se = char_end(t, d->len, ss, ss + MAX_SENTENCE);
	cb_rx_focus(d->cx, t + ss, se - ss);
	if (cue(d, CUE_GENERIC_SENTENCE, ss, se))
		goto done;
	ncounts = cb_counts_find(counts, 16, t + ss, se - ss);
	/* A NUL ends the text the stems are looked for in (as it did when
	 * they were looked up with strstr). */
	const char *nul = memchr(t + ss, 0, se - ss);
	uint32_t types = stem_types(x, t + ss, nul ? (size_t)(nul - (t + ss)) : se - ss);
	int share = types && states_a_share(t, ss, se);
	for (size_t r = 0; r < x->triggers->n; r++) {
		const char *type = x->triggers->rules[r].label[0];

		const char *seen_modality[3] = {NULL, NULL, NULL};
		double first_years = -1; /* the sentence's first term, and its end */
		size_t first_end = 0;
		if (share || (r < STEM_RULES && !(types >> r & 1)))
			continue;
		/* the types some tests below are for, known once per rule */
		int policy = x->rule_kind[r] == RULE_POLICY;
		int sentencing = x->rule_kind[r] == RULE_SENTENCING;
		size_t from = ss;
		size_t ms, me;
		while (from < se &&
		       cb_rule_find(x->triggers->rules[r].re, d->cx, t, se, from, &ms, &me)) {
			from = me > ms ? me : ms + 1;
			size_t cs = clause_start(d, ss, ms);
			/* "warned that they will face ... and reminded the men": a
			 * measure's verb joined to another's starts its own clause */
			int second_measure = policy && ms >= ss + 5 &&
					     !strncmp(t + ms - 5, " and ", 5) &&
					     (seen_modality[0] || seen_modality[1] || seen_modality[2]);
			if (second_measure)
				cs = ms - 4;
			size_t near = ms > ss + 40 ? ms - 40 : ss;
			if (near < cs)
				near = cs;
			if (cue(d, CUE_NEGATED, near, ms) || cue(d, CUE_COUNTERFACTUAL, cs, ms) ||
			    cue(d, CUE_CHARGE, near, ms))
				continue;
			if (participle_before_person(t, ms, me, se))
				continue;
			if (cb_in_proper_name(t, ss, ms, me, se))
				continue;
			/* "incidents in which women were married ... and later
			 * escaped": a relative clause of a kind of incident runs on
			 * past the clause marks, so it is looked for further back */
			if ((types & STEM_KIND) &&
			    cue(d, CUE_KIND_OF, ms > ss + KIND_WINDOW ? ms - KIND_WINDOW : ss, ms))
				continue;
			if (!strcmp(type, "arrest") && ms >= ss + 6 && !strncasecmp(t + ms - 6, "being ", 6))
				continue;
			/* "sent back if caught": a hypothetical act, not an event,
			 * unless told as possible or threatened ("could be
			 * repatriated at any time if their husbands stop protecting
			 * them", "will be fined if they are found") */
			int conditional = 0;
			{
				size_t ce = char_end(t, se, me, me + 50 < se ? me + 50 : se), a, b;
				conditional = cb_rule_find(x->cue[CUE_CONDITIONAL_AFTER], d->cx, t + me,
							   ce - me, 0, &a, &b);
			}
			if (cue(d, CUE_GENERIC, cs, ms)) {
				/* "are/is" before a participle is a general claim, but
				 * "is awaiting", "are being held" are states now. */
				size_t gs, ge;
				int only_be = cb_rule_find(x->cue[CUE_GENERIC], d->cx, t, ms, cs, &gs,
							   &ge) &&
					      ge == ms && trigger_is_ing(t, ms, me) &&
					      (!strncasecmp(t + gs, "is", 2) || !strncasecmp(t + gs, "are", 3) ||
					       !strncasecmp(t + gs, "get", 3));
				if (!only_be && !(policy && ge == ms))
					continue;
			}
			/* "who flee", "who cross": a general description (not "make
			 * arrests": the word as a noun) */
			if (ms >= ss + 4 && cue(d, CUE_PRESENT, ms, me) && !cb_noun_use(t, ss, ms)) {
				size_t w = ms > ss + 12 ? ms - 12 : ss;
				const char *p = t + w;
				size_t pl = ms - w;
				int who = 0;
				for (size_t i = 0; i + 3 <= pl && !who; i++)
					if ((p[i] | 32) == 'w' && !strncasecmp(p + i, "who", 3))
						who = 1;
				/* a bare present verb in running text is habitual too */
				if (who || !policy)
					continue;
			}
			if (policy) {
				if (!cue(d, CUE_AUTHORITY, ss, ms) && !authority_in(d, prev))
					continue;
				if (cue(d, CUE_ADVOCACY, ss, ms))
					continue;
			}
			const char *mod = "actual";
			size_t ae = char_end(t, se, me, me + 40 < se ? me + 40 : se), pa, pb;
			/* a sentence trigger may itself say the sentence is feared:
			 * "face ten years in prison" (not "now face prison terms", a
			 * measure) */
			/* ... and a trigger that names fates as a choice ("torture
			 * or death") tells what may happen, not what did */
			if (cue(d, CUE_POSSIBLE, cs, ms) || (me - ms > 6 && sentencing &&
			     (!strncasecmp(t + ms, "face ", 5) ||
						  !strncasecmp(t + ms, "faces ", 6) ||
						  !strncasecmp(t + ms, "facing ", 7))) ||
			    cb_names_choice(t, ms, me) ||
			    cb_rule_find(x->cue[CUE_POSSIBLE_AFTER], d->cx, t + me, ae - me, 0, &pa,
					 &pb))
				mod = "possible";
			else if (cue(d, CUE_PLANNED, cs, ms))
				mod = "planned";
			/* a duty laid on people holds under its condition: "to
			 * report any change of address if they move" */
			if (conditional && !strcmp(mod, "actual") && !policy &&
			    x->rule_kind[r] != RULE_SURVEILLANCE)
				continue;
			/* one event per type and modality in a sentence, but an
			 * authority's second measure, its own verb joined by "and"
			 * ("warned that ... and reminded ..."), is another */
			int k = !strcmp(mod, "actual") ? 0 : !strcmp(mod, "planned") ? 1 : 2;
			/* "The two men were given three years, while the woman was
			 * given 10 years": a second term in its own clause is
			 * another sentencing, of that clause's people */
			double years = -1, years_lo = -1;
			int second_term = 0;
			if (sentencing) {
				years = sentence_years(t + ms, se - ms, &years_lo);
				second_term = seen_modality[k] && years >= 0 && first_years >= 0 &&
					      fabs(years - first_years) > 0.01 && cs > first_end;
			}
			/* "were arrested in early February after one of their
			 * clients was caught": an act of the same kind on people
			 * counted in a clause of its own is another */
			size_t sub = 0;
			if (seen_modality[k] && !second_term && !second_measure && !sentencing &&
			    (sub = own_subject(t, first_end, ms, counts, ncounts, ss)))
				cs = sub;
			int second_act = second_term || sub;
			if (seen_modality[k] && !(second_measure && k == 0) && !second_act)
				continue;
			if (!seen_modality[0] && !seen_modality[1] && !seen_modality[2]) {
				first_years = years;
				first_end = me;
			}
			/* "announced plans to crack down": the measure announced is
			 * the announcement's, one policy */
			if (k && seen_modality[0] && policy)
				continue;
			seen_modality[k] = mod;

			cb_event ev;
			memset(&ev, 0, sizeof ev);
			ev.type = type;
			ev.modality = mod;
			ev.sent_start = ss;
			ev.sent_end = sn->end;
			ev.trig_start = ms;
			ev.trig_end = me;
			ev.clause = cs;
			ev.sentence_years = ev.years_lo = -1;
			ev.new_act = cue(d, CUE_NEW_ACT, ms > cs + 40 ? ms - 40 : cs, ms);
			ev.second = sub != 0; /* a subordinate clause keeps its own time */
			if (subset < 0) /* the sentence's, the same for each of its acts */
				subset = cue(d, CUE_SUBSET, ss, se);
			ev.subset = subset;
			if (!scanned) {
				cb_error e2 = CB_ERROR_INIT;
				scanned = 1;
				times_of(d, &tx, &nt, ss, se);
				if (x->gaz && !places_of(d, &pm, &np, ss, se)) {
					if (cb_gazetteer_scan(&pm, &np, x->gaz, t + ss, se - ss,
							      &e2) < 0) {
						pm = NULL;
						np = 0;
					}
					for (size_t i = 0; i < np; i++)
						pm[i].start += ss, pm[i].end += ss;
				}
				/* A dateline's place says where the report was filed,
				 * not where the act was. */
				size_t dl = dateline_end(t, ss, se);
				for (size_t i = 0; i < np; i++)
					if (pm[i].start < dl || !place_usable(d, &pm[i]))
						pm[i].place = NULL;
				remember_authority_place(d, pm, np, se);
			}
			/* Counts update the group once per sentence; a second term
			 * is of the people counted in its own clause. */
			const cb_count *own = counts;
			size_t nown = ncounts;
			while (second_act && nown && ss + own->start < cs)
				own++, nown--;
			if (!counted) {
				set_victims(d, &ev, own, nown, second_act ? cs : ss);
				counted = 1;
			} else {
				long a = d->gmin, b = d->gmax, qa = d->pmin, qb = d->pmax;
				char g = d->ggender, pg = d->pgender;
				set_victims(d, &ev, own, nown, second_act ? cs : ss);
				d->gmin = a, d->gmax = b, d->ggender = g;
				d->pmin = qa, d->pmax = qb, d->pgender = pg;
			}
			set_date(d, &ev, tx, nt);
			carry_date(d, &ev);
			set_location(d, &ev, pm, np);
			set_actor(d, &ev);
			if (sentencing) {
				ev.sentence_years = years;
				ev.years_lo = years_lo;
			}
			/* An act on thousands is a total, a statistic: not one event. */
			if (!strcmp(mod, "actual") && ev.vmin >= 1000)
				continue;
			if (second_act || second_measure)
				split_evidence(d, &ev);
			if ((rc = add_event(d, &ev)) < 0) {
				rc = CB_ENOMEM;
				goto done;
			}
			cb_event gap;
			if (gapped_event(d, &ev, counts, ncounts, pm, np, &gap) &&
			    (rc = add_event(d, &gap)) < 0) {
				rc = CB_ENOMEM;
				goto done;
			}
		}
	}
	/* "The trio were put on trial in late April.": when the sentences
	 * told next were passed */
	if ((types & STEM_TRIAL) && cb_trial_at(t, ss, se)) {
		if (!scanned) {
			scanned = 1;
			times_of(d, &tx, &nt, ss, se);
		}
		remember_trial(d, tx, nt, ss, sn->end);
	}
	/* The group is updated even by sentences without events. */
	if (!counted && ncounts) {
		for (size_t i = 0; i < ncounts; i++)
			if (counts[i].person && !counts[i].after_prep && counts[i].min > 0 &&
			    !counts[i].vague) {
				remember_main(d, &counts[i]);
				d->gmin = counts[i].min;
				d->gmax = counts[i].max;
				d->ggender = counts[i].gender;
				memcpy(d->gnat, counts[i].nat, 3);
				remember_plural(d);
				break;
			}
	}
done:
	free(tx);
	free(pm);
	return rc;
}

/* ---- repeats ---- */

static int ranges_meet(long a0, long a1, long b0, long b1)
{
	long alo = a0 < 0 ? 0 : a0, ahi = a1 < 0 ? 1000000000L : a1;
	long blo = b0 < 0 ? 0 : b0, bhi = b1 < 0 ? 1000000000L : b1;
	return alo <= bhi && blo <= ahi;
}

static int detail(const cb_event *e)
{
	/* a date (finer than a year more so), a place, a count */
	return (e->has_date ? 8 + (strlen(e->date_from) > 4) : 0) + (e->place_end ? 4 : 0) +
	       ((e->vmin >= 0 || e->vmax >= 0) && !e->subset ? 2 : 0);
}

static int same_first_word(const char *t, size_t as, size_t ae, size_t bs, size_t be)
{
	size_t al = 0, bl = 0;
	while (as + al < ae && cb_isalpha((unsigned char)t[as + al]))
		al++;
	while (bs + bl < be && cb_isalpha((unsigned char)t[bs + bl]))
		bl++;
	return al == bl && !strncasecmp(t + as, t + bs, al);
}

/* Is b's term a's, or within a's range? */
static int term_within(const cb_event *a, const cb_event *b)
{
	return b->sentence_years >= a->years_lo - 0.01 &&
	       b->sentence_years <= a->sentence_years + 0.01;
}

static void merge_repeats(doc *d)
{
	for (size_t j = 0; j < d->nev; j++) {
		cb_event *b = &d->ev[j];
		if (b->new_act)
			continue;
		for (size_t i = 0; i < j; i++) {
			cb_event *a = &d->ev[i];
			if (a->dead || strcmp(a->type, b->type) || strcmp(a->modality, b->modality))
				continue;
			if (a->sent_start == b->sent_start)
				continue;
			int aknown = a->vmin >= 0 || a->vmax >= 0;
			int bknown = b->vmin >= 0 || b->vmax >= 0;
			if (aknown && bknown && a->vstrong && b->vstrong && !a->subset && !b->subset &&
			    !ranges_meet(a->vmin, a->vmax, b->vmin, b->vmax))
				continue;
			/* Measures and registrations are many: only the same word
			 * ("crackdown" twice) tells the same one. */
			if ((!strcmp(a->type, "policy") || !strcmp(a->type, "surveillance")) &&
			    !same_first_word(d->text, a->trig_start, a->trig_end, b->trig_start,
					     b->trig_end))
				continue;
			/* Each border crossing is its own escape. */
			if (!strcmp(a->type, "escape") && a->country && b->country &&
			    strcmp(a->country, b->country))
				continue;
			/* dates that differ, not one within the other ("last year"
			 * and "in April" of it) */
			if (a->has_date && b->has_date) {
				size_t la = strlen(a->date_from), lb = strlen(b->date_from);
				size_t n = la < lb ? la : lb;
				if (strncmp(a->date_from, b->date_from, n < 7 ? n : 7))
					continue;
				/* two days told, not the same one: two acts */
				if (!strcmp(a->precision, "day") && !strcmp(b->precision, "day") &&
				    strcmp(a->date_from, b->date_from))
					continue;
			}
			if (a->admin1 && b->admin1 && a->place_end && b->place_end &&
			    strcmp(a->admin1, b->admin1))
				continue;
			/* terms that differ, not one within the other's range
			 * ("five and eight years", then "five years each") */
			if (a->sentence_years >= 0 && b->sentence_years >= 0 &&
			    !term_within(a, b) && !term_within(b, a))
				continue;
			/* b repeats a. The fuller mention (a date, a place, a count)
			 * is the one annotators cite: it survives, the other fills in. */
			if (detail(b) > detail(a)) {
				cb_event tmp = *a;
				*a = *b;
				*b = tmp;
			}
			/* known-ness follows the swap, or the fuller count is lost */
			aknown = a->vmin >= 0 || a->vmax >= 0;
			bknown = b->vmin >= 0 || b->vmax >= 0;
			if (!a->has_date && b->has_date)
				copy_date(a, b);
			if (!a->place_end && b->place_end) {
				a->country = b->country;
				a->admin1 = b->admin1;
				a->place = b->place;
				a->place_start = b->place_start;
				a->place_end = b->place_end;
			}
			if (!aknown && bknown) {
				a->vmin = b->vmin;
				a->vmax = b->vmax;
				a->vic_start = b->vic_start;
				a->vic_end = b->vic_end;
			}
			if (!a->gender)
				a->gender = b->gender;
			if (!a->nat[0])
				memcpy(a->nat, b->nat, 3);
			if (a->sentence_years < 0) {
				a->sentence_years = b->sentence_years;
				a->years_lo = b->years_lo;
			}
			if (!a->actor_role && b->actor_role) {
				a->actor_role = b->actor_role;
				a->actor_kind = b->actor_kind;
				a->actor_start = b->actor_start;
				a->actor_end = b->actor_end;
			}
			b->dead = 1;
			break;
		}
	}
}

static int event_order(const void *pa, const void *pb)
{
	const cb_event *a = pa, *b = pb;
	if (a->sent_start != b->sent_start)
		return a->sent_start < b->sent_start ? -1 : 1;
	if (a->trig_start != b->trig_start)
		return a->trig_start < b->trig_start ? -1 : 1;
	int c = strcmp(a->type, b->type);
	return c ? c : strcmp(a->modality, b->modality);
}

/* ---- JSON ---- */

/* The text is valid UTF-8 (cb_extract checked it), so a span between two
 * character boundaries is too and needs no second check. */
static void write_span(cb_jw *w, const doc *d, size_t s, size_t e)
{
	const unsigned char *u = (const unsigned char *)d->text;
	if (e <= s)
		cb_jw_null(w);
	else if (e <= d->len && (u[s] & 0xC0) != 0x80 && (e == d->len || (u[e] & 0xC0) != 0x80))
		cb_jw_strn_valid(w, d->text + s, e - s);
	else
		cb_jw_strn(w, d->text + s, e - s);
}

static void write_count(cb_jw *w, long v)
{
	if (v < 0)
		cb_jw_null(w);
	else
		cb_jw_int(w, v);
}

/* Keys are ASCII literals, and so are the codebook's values (types,
 * modalities, ISO dates, roles): those go out unchecked (NULL: null). */
static void write_code(cb_jw *w, const char *key, const char *v)
{
	cb_jw_key(w, key);
	if (v)
		cb_jw_strn_valid(w, v, strlen(v));
	else
		cb_jw_null(w);
}

static void write_event(cb_jw *w, doc *d, const cb_event *e)
{
	const char *t = d->text;
	cb_jw_object(w);
	write_code(w, "type", e->type);
	write_code(w, "modality", e->modality);
	cb_jw_key(w, "date");
	if (e->has_date) {
		cb_jw_object(w);
		write_code(w, "start", e->date_from);
		write_code(w, "end", e->date_to);
		write_code(w, "precision", e->precision);
		cb_jw_key(w, "text");
		write_span(w, d, e->date_start, e->date_end);
		cb_jw_end(w);
	} else {
		cb_jw_null(w);
	}
	cb_jw_key(w, "location");
	if (e->country) {
		cb_jw_object(w);
		cb_jw_key(w, "country");
		cb_jw_str(w, e->country);
		cb_jw_key(w, "admin1");
		cb_jw_str(w, e->admin1);
		cb_jw_key(w, "place");
		cb_jw_str(w, e->place);
		cb_jw_key(w, "text");
		write_span(w, d, e->place_start, e->place_end);
		cb_jw_end(w);
	} else {
		cb_jw_null(w);
	}
	cb_jw_key(w, "actors");
	cb_jw_array(w);
	if (e->actor_role) {
		cb_jw_object(w);
		write_code(w, "role", e->actor_role);
		write_code(w, "kind", e->actor_kind);
		cb_jw_key(w, "text");
		write_span(w, d, e->actor_start, e->actor_end);
		cb_jw_end(w);
	}
	cb_jw_end(w);
	cb_jw_key(w, "victims");
	cb_jw_object(w);
	cb_jw_key(w, "count_min");
	write_count(w, e->vmin);
	cb_jw_key(w, "count_max");
	write_count(w, e->vmax);
	cb_jw_key(w, "gender");
	cb_jw_str(w, e->gender == 'f' ? "female" : e->gender == 'm' ? "male"
		     : e->gender == 'x' ? "mixed" : NULL);
	cb_jw_key(w, "nationality");
	cb_jw_str(w, e->nat[0] ? e->nat : NULL);
	cb_jw_key(w, "text");
	write_span(w, d, e->vic_start, e->vic_end);
	cb_jw_end(w);
	cb_jw_key(w, "sentence_years");
	if (e->sentence_years >= 0)
		cb_jw_real(w, e->sentence_years);
	else
		cb_jw_null(w);
	cb_jw_key(w, "evidence");
	cb_jw_object(w);
	size_t es = e->ev_end ? e->ev_start : e->sent_start, ee = e->ev_end ? e->ev_end : e->sent_end;
	size_t cs = cp_of(d, es);
	size_t ce = cs + cb_utf8_cp_count(t + es, ee - es);
	cb_jw_key(w, "start");
	cb_jw_int(w, (long long)cs);
	cb_jw_key(w, "end");
	cb_jw_int(w, (long long)ce);
	cb_jw_key(w, "quote");
	write_span(w, d, es, ee);
	cb_jw_end(w);
	cb_jw_end(w);
}

static void write_document(cb_jw *w, doc *d)
{
	const cb_docmeta *m = d->meta;
	cb_jw_object(w);
	cb_jw_key(w, "title");
	cb_jw_str(w, m ? m->title : NULL);
	cb_jw_key(w, "outlet");
	cb_jw_str(w, m ? m->outlet : NULL);
	cb_jw_key(w, "published");
	if (m && m->published.y > 0) {
		char buf[11];
		cb_ymd_format(buf, &m->published);
		cb_jw_str(w, buf);
	} else {
		cb_jw_null(w);
	}
	cb_jw_key(w, "authors");
	cb_jw_array(w);
	for (size_t i = 0; m && i < m->n_authors; i++)
		cb_jw_str(w, m->authors[i]);
	cb_jw_end(w);
	cb_jw_key(w, "translators");
	cb_jw_array(w);
	for (size_t i = 0; m && i < m->n_translators; i++)
		cb_jw_str(w, m->translators[i]);
	cb_jw_end(w);
	cb_jw_key(w, "language");
	cb_jw_str(w, m && m->language[0] ? m->language : "en");
	cb_jw_key(w, "boilerplate");
	cb_jw_array(w);
	for (size_t i = 0; m && i < m->n_boilerplate; i++) {
		if (m->boilerplate[i].start > d->len || m->boilerplate[i].end > d->len ||
		    m->boilerplate[i].end < m->boilerplate[i].start)
			continue;
		cb_jw_object(w);
		cb_jw_key(w, "start");
		cb_jw_int(w, (long long)cp_of(d, m->boilerplate[i].start));
		cb_jw_key(w, "end");
		cb_jw_int(w, (long long)cp_of(d, m->boilerplate[i].end));
		cb_jw_end(w);
	}
	cb_jw_end(w);
	cb_jw_end(w);
}

/* ---- the whole ---- */

/* Reads the report and writes the codebook JSON of what it tells into w. */
static int extract_into(cb_jw *w, const cb_extractor *x, const char *text, size_t len,
			const cb_doc_hints *hints, cb_error *err)
{
	doc d;
	int rc = 0;
	char *copy = NULL;
	cb_sentence *sents = NULL;
	size_t nsent = 0;
	cb_docmeta *meta = NULL;
	unsigned char *skip = NULL;

	memset(&d, 0, sizeof d);
	if (!x)
		return cb_fail(err, CB_EINVAL, "extract: no extractor");
	if (!text)
		len = 0;
	/* Be defensive about the UTF-8 promise; NUL bytes become spaces too.
	 * The stages read a copy that ends in a NUL: the caller's text need
	 * not, and a stage that stops at a NUL then cannot read past it. */
	if (len) {
		copy = malloc(len + 1);
		if (!copy) {
			rc = cb_fail(err, CB_ENOMEM, "extract: out of memory");
			goto done;
		}
		memcpy(copy, text, len);
		copy[len] = 0;
	}
	if (len && (cb_utf8_invalid_at(text, len) != len || memchr(text, 0, len))) {
		size_t i = 0;
		while (i < len) {
			size_t bad = cb_utf8_invalid_at(text + i, len - i);
			memcpy(copy + i, text + i, bad);
			for (size_t k = i; k < i + bad; k++)
				if (!copy[k])
					copy[k] = ' ';
			i += bad;
			if (i < len)
				copy[i++] = '?';
		}
		copy[len] = 0;
	}
	if (copy)
		text = copy;
	d.x = x;
	d.text = text ? text : "";
	d.len = len;
	d.gmin = d.gmax = CB_COUNT_NONE;
	d.mmin = d.mmax = CB_COUNT_NONE;
	cb_cp_cursor_init(&d.cp, d.text);
	d.pmin = d.pmax = CB_COUNT_NONE;
	if (!(d.cx = cb_rx_ctx_new())) {
		rc = cb_fail(err, CB_ENOMEM, "extract: out of memory");
		goto done;
	}
	{
		cb_error merr = CB_ERROR_INIT;
		int mrc = cb_docmeta_extract(&meta, d.text, len, hints, &merr);
		if (mrc == CB_ENOMEM) {
			rc = cb_fail(err, CB_ENOMEM, "extract: out of memory");
			goto done;
		}
		if (mrc < 0)
			meta = NULL;
	}
	d.meta = meta;
	if (meta && meta->published.y > 0) {
		d.anchor = meta->published;
		d.has_anchor = 1;
	}
	if ((rc = cb_sentences_split(&sents, &nsent, d.text, len, err)) < 0)
		goto done;
	skip = calloc(nsent ? nsent : 1, 1);
	if (!skip) {
		rc = cb_fail(err, CB_ENOMEM, "extract: out of memory");
		goto done;
	}
	for (size_t i = 0; i < nsent; i++) {
		const cb_sentence *s = &sents[i];
		if (meta && cb_docmeta_in_boilerplate(meta, s->start))
			skip[i] = 1;
		else if (is_heading(d.text, s->start, s->end))
			skip[i] = 1;
		else if (meta && meta->title && strlen(meta->title) == s->end - s->start &&
			 !memcmp(meta->title, d.text + s->start, s->end - s->start))
			skip[i] = 1;
	}
	d.case_city = find_case_city(&d);
	const cb_sentence *prev = NULL;
	for (size_t i = 0; i < nsent; i++) {
		if (skip[i])
			continue;
		if ((rc = read_sentence(&d, &sents[i], prev)) < 0) {
			rc = cb_fail(err, CB_ENOMEM, "extract: out of memory");
			goto done;
		}
		prev = &sents[i];
	}
	merge_repeats(&d);
	/* in the order the report tells them: by sentence, then trigger */
	if (d.nev > 1)
		qsort(d.ev, d.nev, sizeof *d.ev, event_order);

	cb_jw_object(w);
	cb_jw_key(w, "document");
	write_document(w, &d);
	cb_jw_key(w, "events");
	cb_jw_array(w);
	for (size_t i = 0; i < d.nev; i++)
		if (!d.ev[i].dead)
			write_event(w, &d, &d.ev[i]);
	cb_jw_end(w);
	cb_jw_key(w, "statistics");
	cb_jw_array(w);
	if ((rc = cb_stats_collect(w, x, d.cx, d.text, len, sents, nsent, skip, err)) < 0)
		goto done;
	cb_jw_end(w);
	cb_jw_end(w);
done:
	cb_docmeta_free(meta);
	cb_rx_ctx_free(d.cx);
	free(d.ev);
	free(d.dpm);
	free(sents);
	free(skip);
	free(copy);
	return rc;
}

int cb_extract(json_t **out, const cb_extractor *x, const char *text, size_t len,
	       const cb_doc_hints *hints, cb_error *err)
{
	cb_jw w;
	*out = NULL;
	cb_jw_tree(&w);
	int rc = extract_into(&w, x, text, len, hints, err);
	if (rc < 0) {
		cb_jw_finish(&w, NULL, NULL);
		return rc;
	}
	if ((rc = cb_jw_finish(&w, out, err)) < 0)
		return cb_error_prefix(err, "extract");
	return 0;
}

int cb_extract_text(cb_buf *out, int flags, const cb_extractor *x, const char *text,
		    size_t len, const cb_doc_hints *hints, cb_error *err)
{
	cb_jw w;
	cb_jw_text(&w, out, 2, (flags & CB_EXTRACT_ASCII) != 0);
	int rc = extract_into(&w, x, text, len, hints, err);
	if (rc < 0) {
		cb_jw_finish(&w, NULL, NULL);
		cb_buf_free(out);
		return rc;
	}
	if ((rc = cb_jw_finish(&w, NULL, err)) < 0) {
		cb_buf_free(out);
		return cb_error_prefix(err, "extract");
	}
	return 0;
}
