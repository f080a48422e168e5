/*
 * rules.c: see rules.h. Patterns are compiled with PCRE2_UTF | PCRE2_UCP |
 * PCRE2_CASELESS; matching passes PCRE2_NO_UTF_CHECK because cb_extract
 * hands over text it has already made valid.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/embed.h"

/* Generous for a sentence, small enough that a pathological pattern
 * cannot stall the extractor. */
#define CB_RX_MATCH_LIMIT 200000u
#define CB_RX_DEPTH_LIMIT 5000u

struct cb_rx_ctx {
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

cb_rx_ctx *cb_rx_ctx_new(void)
{
	cb_rx_ctx *cx = calloc(1, sizeof *cx);
	if (!cx)
		return NULL;
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

void *cb_rule_compile(const char *pattern, cb_error *err)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eo, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		cb_fail(err, CB_EFORMAT, "bad pattern at offset %zu: %s", (size_t)eo,
			(const char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable the interpreter runs. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

void cb_rule_pattern_free(void *re)
{
	pcre2_code_free((pcre2_code *)re);
}

int cb_rule_find(const void *re, cb_rx_ctx *cx, const char *s, size_t len, size_t from,
		 size_t *ms, size_t *me)
{
	if (!re || !cx || from > len)
		return 0;
	int rc = pcre2_match((const pcre2_code *)re, (PCRE2_SPTR)s, len, from,
			     PCRE2_NO_UTF_CHECK, cx->md, cx->mc);
	if (rc <= 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cx->md);
	if (ov[0] > ov[1] || ov[1] > len)
		return 0;
	*ms = ov[0];
	*me = ov[1];
	return 1;
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
	cb_buf pat;
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
			cb_buf_init(&pend[npend].pat, 1u << 20);
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
		void *t = cb_rule_compile(one, err);
		free(one);
		if (!t) {
			rc = cb_error_prefix(err, "%s:%zu", name, lineno);
			goto done;
		}
		cb_rule_pattern_free(t);
		if ((pend[k].pat.len && (rc = cb_buf_putc(&pend[k].pat, '|', err)) < 0) ||
		    (rc = cb_buf_puts(&pend[k].pat, "(?:", err)) < 0 ||
		    (rc = cb_buf_put(&pend[k].pat, col[nlabels], cl[nlabels], err)) < 0 ||
		    (rc = cb_buf_putc(&pend[k].pat, ')', err)) < 0)
			goto done;
	}
	rs = calloc(1, sizeof *rs);
	if (!rs || (npend && !(rs->rules = calloc(npend, sizeof *rs->rules)))) {
		rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	for (size_t k = 0; k < npend; k++) {
		cb_rule *r = &rs->rules[rs->n];
		r->re = cb_rule_compile(pend[k].pat.ptr, err);
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
		cb_buf_free(&pend[k].pat);
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
