/*
 * test_rules.c: cb_rule_find takes short cuts (a rule's lines tried only
 * where their first words start, literals run on past \s+, lines needing a
 * word searched only where the focus has it). Whatever it skips, it must
 * find what the rule's joined alternation finds in one PCRE2 run. Checked
 * here for every rule of the extractor's tables on the sentences of the
 * project's fictional reports, and on the same sentences upper-cased, with
 * spaces doubled, with tabs and no-break spaces, in windows as the
 * extractor cuts them, with and without the sentence as the focus. And the
 * actor rules joined in one (cb_rule_union) must find the actor the rules
 * one by one find.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/rules.h"
#include "code/sentences.h"
#include "util/buf.h"
#include "util/fileio.h"

static const char *const tables[][2] = {
	{"rules/triggers.tsv", "1"}, {"rules/cues.tsv", "1"}, {"rules/actors.tsv", "2"}};

typedef struct check {
	cb_ruleset *rs[3];
	cb_rx_ctx *cx;
	size_t searches, found;
	/* the actor rules as one (as set_actor searches them) */
	void *actors;
	unsigned char owner[64];
} check;

/* The union's match must be the leftmost of the rules' own, at a tie the
 * first rule's, and name that rule. */
static void same_union(check *c, const char *s, size_t len, size_t from)
{
	const cb_ruleset *rs = c->rs[2];
	size_t bs = 0, be = 0, best = rs->n;
	for (size_t i = 0; i < rs->n; i++) {
		size_t ms, me;
		if (cb_rule_find(rs->rules[i].re, c->cx, s, len, from, &ms, &me) &&
		    (best == rs->n || ms < bs))
			best = i, bs = ms, be = me;
	}
	size_t us = 0, ue = 0, line = 0;
	int hit = cb_rule_find_line(c->actors, c->cx, s, len, from, &us, &ue, &line);
	if (hit != (best < rs->n) || (hit && (us != bs || ue != be || c->owner[line] != best))) {
		fprintf(stderr, "actor union: from %zu in \"%.*s\": got %d [%zu,%zu) rule %d, "
				"want rule %zu [%zu,%zu)\n",
			from, (int)len, s, hit, us, ue, hit ? c->owner[line] : -1, best, bs, be);
		fail();
	}
}

/* One search both ways; a difference fails the test, naming it. */
static void same(check *c, const cb_rule *r, const char *s, size_t len, size_t from)
{
	size_t ms = 0, me = 0, js = 0, je = 0;
	int got = cb_rule_find(r->re, c->cx, s, len, from, &ms, &me);
	int want = cb_rule_find_joined(r->re, c->cx, s, len, from, &js, &je);
	c->searches++;
	c->found += (size_t)want;
	if (got != want || (got && (ms != js || me != je))) {
		fprintf(stderr, "rule %s (%s): from %zu in \"%.*s\": got %d [%zu,%zu) want %d [%zu,%zu)\n",
			r->label[0], r->label[1] ? r->label[1] : "", from, (int)len, s, got, ms, me,
			want, js, je);
		fail();
	}
}

/* Every rule on the sentence s[0..len): whole, from each word on, and in
 * windows before and after each word (where cues are looked for). */
static void sentence(check *c, const char *s, size_t len, int focus)
{
	if (focus)
		cb_rx_focus(c->cx, s, len);
	same_union(c, s, len, 0);
	for (int t = 0; t < 3; t++)
		for (size_t i = 0; i < c->rs[t]->n; i++) {
			const cb_rule *r = &c->rs[t]->rules[i];
			same(c, r, s, len, 0);
			for (size_t p = 1; p < len; p++) {
				if (s[p - 1] != ' ')
					continue;
				same(c, r, s, len, p);
				/* cut as the extractor cuts them: on characters */
				size_t a = p > 40 ? p - 40 : 0, b = p + 50 < len ? p + 50 : len;
				while (a < p && ((unsigned char)s[a] & 0xC0) == 0x80)
					a++;
				while (b > p && b < len && ((unsigned char)s[b] & 0xC0) == 0x80)
					b--;
				same(c, r, s + a, p - a, 0);
				same(c, r, s + p, b - p, 0);
			}
		}
}

/* s rewritten: 0 as it is, 1 upper case, 2 spaces doubled, 3 every other
 * space a tab, 4 every third space a no-break space (U+00A0). */
static void variant(cb_buf *out, const char *s, size_t len, int how)
{
	out->len = 0;
	size_t spaces = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (how == 1 && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 32);
		if (ch == ' ') {
			spaces++;
			if (how == 2)
				cb_buf_putc(out, ' ', NULL);
			if (how == 3 && spaces % 2 == 0)
				ch = '\t';
			if (how == 4 && spaces % 3 == 0) {
				cb_buf_put(out, "\xc2\xa0", 2, NULL);
				continue;
			}
		}
		cb_buf_putc(out, ch, NULL);
	}
}

static void report(check *c, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	cb_error err = CB_ERROR_INIT;
	assert_int_equal(cb_read_file(&text, &len, path, 1u << 20, &err), 0);
	cb_sentence *sn = NULL;
	size_t n = 0;
	assert_int_equal(cb_sentences_split(&sn, &n, text, len, &err), 0);
	cb_buf v = CB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		size_t sl = sn[i].end - sn[i].start;
		if (sl > 600)
			continue;
		for (int how = 0; how < 5; how++) {
			variant(&v, text + sn[i].start, sl, how);
			/* the focus path is taken only for the first variants: the
			 * rest are slow enough without it twice */
			sentence(c, v.ptr, v.len, 1);
			if (how < 2)
				sentence(c, v.ptr, v.len, 0);
		}
	}
	cb_buf_free(&v);
	free(sn);
	free(text);
}

static void test_agrees_with_joined(void **state)
{
	(void)state;
	check c = {0};
	cb_error err = CB_ERROR_INIT;
	for (int t = 0; t < 3; t++)
		assert_int_equal(cb_rules_load(&c.rs[t], tables[t][0], atoi(tables[t][1]), &err), 0);
	assert_non_null(c.cx = cb_rx_ctx_new());
	{
		const void *res[64];
		assert_true(c.rs[2]->n <= 64);
		for (size_t i = 0; i < c.rs[2]->n; i++)
			res[i] = c.rs[2]->rules[i].re;
		assert_non_null(c.actors = cb_rule_union(res, c.rs[2]->n, c.owner, &err));
	}

	/* the examples and the rule tests: reports written for the project */
	const char *dir = getenv("CB_TEST_DATA");
	char path[8192];
	const char *sub[] = {"/extract", "/accuracy/docs", "/../../examples/reports"};
	size_t files = 0;
	for (int k = 0; k < 3; k++) {
		char d[4096];
		snprintf(d, sizeof d, "%s%s", dir ? dir : "tests/data", sub[k]);
		DIR *dh = opendir(d);
		assert_non_null(dh);
		struct dirent *de;
		while ((de = readdir(dh))) {
			size_t nl = strlen(de->d_name);
			if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt"))
				continue;
			snprintf(path, sizeof path, "%s/%s", d, de->d_name);
			report(&c, path);
			files++;
		}
		closedir(dh);
	}
	assert_true(files >= 10);

	/* hand-made edges: a line's words at the very start and end, a
	 * one-letter word, words run together, a bare stop */
	static const char *const edges[] = {
		"Many of them are sent back.",
		"Most women end up sold.",
		"if they are caught, or even executed",
		", or death",
		"were held in a camp",
		"were  held",
		"arrested",
		"a",
		"",
		"The police in the city of Yanji arrested 12 North Korean women.",
		"She was handed over to North Korean authorities.",
		"a 10-year sentence and a ten-year sentence",
		"into the hands of the police",
		"heldin heldheld held-in held",
	};
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
		for (int focus = 0; focus < 2; focus++)
			sentence(&c, edges[i], strlen(edges[i]), focus);

	fprintf(stderr, "%zu searches on %zu reports, %zu matches, all as the joined rule\n",
		c.searches, files, c.found);
	assert_true(c.found > 1000);
	cb_rule_pattern_free(c.actors);
	cb_rx_ctx_free(c.cx);
	for (int t = 0; t < 3; t++)
		cb_rules_free(c.rs[t]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_agrees_with_joined)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
