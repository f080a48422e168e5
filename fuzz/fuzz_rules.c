/*
 * fuzz_rules.c: cb_rule_find against the rule's joined alternation
 * (cb_rule_find_joined), for every rule of the extractor's tables, on any
 * text: the two must find the same span, with and without the text as the
 * focus, from any word and in windows cut on characters. The input is
 * taken up to its first invalid UTF-8 byte (the extractor hands the rules
 * valid text only), and up to 2,000 bytes (a sentence, as the extractor
 * reads it). A difference aborts with both spans.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "code/rules.h"
#include "util/utf8.h"

static cb_ruleset *rs[3];
static cb_rx_ctx *cx;
static void *actors; /* the actor rules as one, as set_actor searches them */
static unsigned char owner[64];

static void setup(void)
{
	cb_error err = CB_ERROR_INIT;
	if (cb_rules_load(&rs[0], "rules/triggers.tsv", 1, &err) < 0 ||
	    cb_rules_load(&rs[1], "rules/cues.tsv", 1, &err) < 0 ||
	    cb_rules_load(&rs[2], "rules/actors.tsv", 2, &err) < 0 || !(cx = cb_rx_ctx_new()))
		abort();
	const void *res[64];
	if (rs[2]->n > 64)
		abort();
	for (size_t i = 0; i < rs[2]->n; i++)
		res[i] = rs[2]->rules[i].re;
	if (!(actors = cb_rule_union(res, rs[2]->n, owner, &err)))
		abort();
}

/* The union's match: the leftmost of the actor rules', a tie the first's. */
static void same_union(const char *s, size_t len)
{
	size_t bs = 0, be = 0, best = rs[2]->n, us = 0, ue = 0, line = 0;
	for (size_t i = 0; i < rs[2]->n; i++) {
		size_t ms, me;
		if (cb_rule_find(rs[2]->rules[i].re, cx, s, len, 0, &ms, &me) &&
		    (best == rs[2]->n || ms < bs))
			best = i, bs = ms, be = me;
	}
	int hit = cb_rule_find_line(actors, cx, s, len, 0, &us, &ue, &line);
	if (hit != (best < rs[2]->n) || (hit && (us != bs || ue != be || owner[line] != best))) {
		fprintf(stderr, "actor union: got %d [%zu,%zu), want rule %zu [%zu,%zu)\n", hit, us,
			ue, best, bs, be);
		abort();
	}
}

static void same(const cb_rule *r, const char *s, size_t len, size_t from)
{
	size_t ms = 0, me = 0, js = 0, je = 0;
	int got = cb_rule_find(r->re, cx, s, len, from, &ms, &me);
	int want = cb_rule_find_joined(r->re, cx, s, len, from, &js, &je);
	if (got != want || (got && (ms != js || me != je))) {
		fprintf(stderr, "rule %s: from %zu of %zu: got %d [%zu,%zu) want %d [%zu,%zu)\n",
			r->label[0], from, len, got, ms, me, want, js, je);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cx)
		setup();
	const char *s = (const char *)data;
	size_t len = cb_utf8_invalid_at(s, size);
	if (len > 2000)
		len = 2000;
	while (len > 0 && len < size && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--; /* not inside a character */
	for (int focus = 0; focus < 2; focus++) {
		if (focus)
			cb_rx_focus(cx, s, len);
		same_union(s, len);
		for (int t = 0; t < 3; t++)
			for (size_t i = 0; i < rs[t]->n; i++) {
				const cb_rule *r = &rs[t]->rules[i];
				same(r, s, len, 0);
				/* from a few places on, and in windows around them */
				for (size_t p = 1; p < len; p += 1 + p / 3) {
					if (((unsigned char)s[p] & 0xC0) == 0x80)
						continue;
					same(r, s, len, p);
					size_t a = p > 40 ? p - 40 : 0;
					while (a < p && ((unsigned char)s[a] & 0xC0) == 0x80)
						a++;
					same(r, s + a, p - a, 0);
				}
			}
	}
	return 0;
}
