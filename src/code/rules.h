/*
 * rules.h: the extractor's pattern tables. Each table is a TSV file under
 * data/rules/ (embedded in the binary): one rule a line, "#" comments, the
 * last column a PCRE2 pattern (caseless, UTF), the columns before it the
 * rule's labels (an event type, a cue kind, an actor's role and kind).
 * Lines with the same labels are joined into one alternation and JIT
 * compiled, so a sentence costs one scan per label set, not per line.
 *
 * Matching runs under match and depth limits, so no pattern can backtrack
 * for long on hostile text: a match that hits a limit counts as no match.
 *
 *   cb_ruleset *rs; cb_rules_load(&rs, "rules/triggers.tsv", 1, &err);
 *   cb_rx_ctx *cx = cb_rx_ctx_new();
 *   size_t s, e; if (cb_rule_find(rs->rules[i].re, cx, text, len, 0, &s, &e)) ...
 *   cb_rx_ctx_free(cx); cb_rules_free(rs);
 */
#ifndef CB_RULES_H
#define CB_RULES_H

#include <stddef.h>

#include "util/error.h"

typedef struct cb_rule {
	char *label[2];   /* up to two label columns ("arrest"; "authority", "police") */
	void *re;         /* pcre2_code_8 * */
} cb_rule;

typedef struct cb_ruleset {
	cb_rule *rules;
	size_t n;
} cb_ruleset;

/* Loads the embedded table name ("rules/triggers.tsv") whose lines have
 * nlabels label columns before the pattern. *out is new; free with
 * cb_rules_free(). Fails with CB_ENOTFOUND or CB_EFORMAT (a bad pattern:
 * the message names the file, line and PCRE2's reason). */
int cb_rules_load(cb_ruleset **out, const char *name, int nlabels, cb_error *err);

/* The same from a table in memory (tests, fuzzing). */
int cb_rules_parse(cb_ruleset **out, const char *name, const char *data, size_t len,
		   int nlabels, cb_error *err);

void cb_rules_free(cb_ruleset *rs);

/* Per-thread matching state (match data, limits). Free with cb_rx_ctx_free(). */
typedef struct cb_rx_ctx cb_rx_ctx;
cb_rx_ctx *cb_rx_ctx_new(void);
void cb_rx_ctx_free(cb_rx_ctx *cx);

/* Tells cx that the next searches lie mostly in s[0..len) (a sentence):
 * rules none of whose first words occur there are then skipped at once.
 * Searches outside it are not affected. s must outlive the searches. */
void cb_rx_focus(cb_rx_ctx *cx, const char *s, size_t len);

/* Finds the first match of re in s[from..len); on a match returns 1 and
 * the byte span [*ms, *me), else 0 (also when a limit was hit). */
int cb_rule_find(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
		 size_t *ms, size_t *me);

/* cb_rule_find, also telling which of the rule's lines matched (in file
 * order from 0; (size_t)-1 for a rule of more than 64 lines). */
int cb_rule_find_line(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
		      size_t *ms, size_t *me, size_t *line);

/* One rule made of the lines of res[0..n) in that order (at most 64 in
 * all): its first match is the leftmost of theirs, at one place the
 * first of them in that order. owner[line] is the k of res[k] a line of
 * it came from (line as cb_rule_find_line tells it). Free with
 * cb_rule_pattern_free(); NULL on failure. */
void *cb_rule_union(const void *const *res, size_t n, unsigned char owner[64], cb_error *err);

/* The same search by the rule's joined alternation alone, in one PCRE2
 * run: the reference cb_rule_find must agree with (tests, fuzzing). */
int cb_rule_find_joined(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
			size_t *ms, size_t *me);

/* Compiles one pattern with the table's flags (caseless, UTF); NULL on a
 * bad pattern. Free with cb_rule_pattern_free(). */
void *cb_rule_compile(const char *pattern, cb_error *err);
void cb_rule_pattern_free(void *re);

#endif
