/*
 * stats.c: statistics, the general figures a report quotes ("80 percent of
 * the North Koreans living clandestinely in China are women", "between
 * 50,000 and 300,000 North Koreans are hiding in China"), with who claims
 * them. A sentence holds a statistic when it gives a percentage, or a
 * population figure (a count of people of a thousand or more, or a vague
 * "thousands") in the present tense. The claimant is the subject of a verb
 * of saying or estimating around it ("Activists say", ", rights watchers
 * estimate").
 */
#include "code/extract_int.h"
#include "util/utf8.h"
#include "util/ascii.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int has_word(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= len; i++)
		if (cb_tolower((unsigned char)s[i]) == cb_tolower((unsigned char)w[0]) &&
		    (i == 0 || !cb_isalpha((unsigned char)s[i - 1])) && !strncasecmp(s + i, w, wl) &&
		    (i + wl == len || !cb_isalpha((unsigned char)s[i + wl])))
			return 1;
	return 0;
}

static const char *const say_verbs[] = {" say", " says", " said", " estimate", " estimated",
	" estimates", " believe", " report", " reported", NULL};

/* "Activists say ..." (subject before the verb, at the start) or
 * "..., rights watchers estimate." (at the end). */
static void claimant(cb_jw *w, const char *s, size_t len)
{
	for (int k = 0; say_verbs[k]; k++) {
		size_t vl = strlen(say_verbs[k]);
		for (size_t i = 1; i + vl <= len && i < 60; i++) {
			if (strncasecmp(s + i, say_verbs[k], vl) ||
			    (i + vl < len && cb_isalpha((unsigned char)s[i + vl])))
				continue;
			if (!cb_isupper((unsigned char)s[0]))
				break;
			cb_jw_strn(w, s, i);
			return;
		}
	}
	/* ", X estimate." */
	const char *comma = NULL;
	for (size_t i = len; i > 0 && len - i < 60; i--)
		if (s[i - 1] == ',') {
			comma = s + i;
			break;
		}
	if (comma) {
		size_t rl = (size_t)(s + len - comma);
		for (int k = 0; say_verbs[k]; k++) {
			size_t vl = strlen(say_verbs[k]);
			for (size_t i = 1; i + vl <= rl; i++)
				if (!strncasecmp(comma + i, say_verbs[k], vl) &&
				    (i + vl == rl || !cb_isalpha((unsigned char)comma[i + vl]))) {
					size_t b = 0;
					while (b < i && comma[b] == ' ')
						b++;
					cb_jw_strn(w, comma + b, i - b);
					return;
				}
		}
	}
	cb_jw_null(w);
}

/* The bytes the pass over a sentence stops at: digits, a comma inside a
 * figure, the 't' of "thousand". Every other byte costs one lookup. */
enum { S_DIGIT = 1, S_COMMA = 2, S_T = 4 };
static const unsigned char stat_byte[256] = {['0'] = S_DIGIT, ['1'] = S_DIGIT, ['2'] = S_DIGIT,
	['3'] = S_DIGIT, ['4'] = S_DIGIT, ['5'] = S_DIGIT, ['6'] = S_DIGIT, ['7'] = S_DIGIT,
	['8'] = S_DIGIT, ['9'] = S_DIGIT, [','] = S_COMMA, ['t'] = S_T, ['T'] = S_T};

int cb_stats_collect(cb_jw *w, const cb_extractor *x, cb_rx_ctx *cx, const char *text,
		     size_t len, const cb_sentence *sents, size_t nsent,
		     const unsigned char *skip, cb_error *err)
{
	cb_cp_cursor cur; /* sentences come in text order */
	cb_cp_cursor_init(&cur, text);
	for (size_t i = 0; i < nsent; i++) {
		if (skip[i])
			continue;
		const char *s = text + sents[i].start;
		size_t sl = sents[i].end - sents[i].start;
		if (sl > 1000)
			continue;
		long qmin = -1, qmax = -1;
		const char *unit = NULL;
		int large = 0;
		size_t digits = 0;
		/* percentages: "80 percent", "between 80 percent and 90 percent";
		 * in the same pass over the bytes, whether the sentence can name a
		 * thousand people or more: only with a figure of four digits or
		 * more ("2,000", "1500") or the word "thousand" */
		for (size_t k = 0; k < sl && !unit; k++) {
			unsigned b = stat_byte[(unsigned char)s[k]];
			if (!b) {
				while (k + 1 < sl && !stat_byte[(unsigned char)s[k + 1]])
					k++;
				digits = 0;
				continue;
			}
			if (b == S_COMMA)
				continue;
			if (b == S_T) {
				digits = 0;
				if (!large && sl - k >= 8 && (s[k + 1] | 32) == 'h' &&
				    (s[k + 2] | 32) == 'o' && !strncasecmp(s + k, "thousand", 8))
					large = 1;
				continue;
			}
			if (++digits >= 4)
				large = 1;
			if (k && cb_isalnum((unsigned char)s[k - 1]))
				continue;
			size_t e = k;
			while (e < sl && cb_isdigit((unsigned char)s[e]))
				e++;
			size_t p = e;
			while (p < sl && s[p] == ' ')
				p++;
			if (p < sl && (s[p] == '%' ||
				       ((s[p] | 32) == 'p' &&
					((sl - p >= 7 && !strncasecmp(s + p, "percent", 7)) ||
					 (sl - p >= 8 && !strncasecmp(s + p, "per cent", 8)))))) {
				long v = cb_number_parse(s + k, e - k);
				qmin = qmax = v;
				unit = "percent";
				/* "... and 90 percent" */
				/* bounded: the text need not end in a NUL */
				for (size_t a = p; a + 6 < sl && a < p + 12; a++)
					if (!strncmp(s + a, " and ", 5) && cb_isdigit((unsigned char)s[a + 5])) {
						size_t q = a + 5, qe2 = q;
						while (qe2 < sl && cb_isdigit((unsigned char)s[qe2]))
							qe2++;
						long hi = cb_number_parse(s + q, qe2 - q);
						if (hi > v)
							qmax = hi;
						break;
					}
			}
		}
		size_t qs = 0, qe = sl;
		if (!unit && large) {
			cb_count cs[8];
			size_t nc = cb_counts_find(cs, 8, s, sl);
			for (size_t k = 0; k < nc; k++) {
				long hi = cs[k].max >= 0 ? cs[k].max : cs[k].min;
				if (!cs[k].person || hi < 1000)
					continue;
				/* present tense: a standing figure, not an act */
				const char *rest = s + cs[k].end;
				size_t rl = sl - cs[k].end;
				if (!has_word(rest, rl, "are") && !has_word(rest, rl, "remain") &&
				    !has_word(rest, rl, "live"))
					continue;
				qmin = cs[k].min;
				qmax = cs[k].max;
				unit = "people";
				qs = cs[k].start;
				/* a vague figure in a clause of its own: "thousands more remain" */
				if (cs[k].vague) {
					size_t b = cs[k].start;
					while (b > 0 && s[b - 1] != ';' && s[b - 1] != ':')
						b--;
					qs = b;
				} else {
					qs = 0;
				}
				break;
			}
		}
		if (!unit)
			continue;
		while (qs < sl && s[qs] == ' ')
			qs++;
		const char *about = "population";
		if (has_word(s, sl, "held") || has_word(s, sl, "detained") ||
		    has_word(s, sl, "detention"))
			about = "detention";
		else if (has_word(s, sl, "trafficking") || has_word(s, sl, "sold"))
			about = "trafficking";
		size_t b0 = sents[i].start + qs, b1 = sents[i].start + qe;
		cb_jw_object(w);
		cb_jw_key(w, "text");
		cb_jw_strn(w, text + b0, b1 - b0);
		cb_jw_key(w, "quantity_min");
		if (qmin >= 0)
			cb_jw_int(w, qmin);
		else
			cb_jw_null(w);
		cb_jw_key(w, "quantity_max");
		if (qmax >= 0)
			cb_jw_int(w, qmax);
		else
			cb_jw_null(w);
		cb_jw_key(w, "unit");
		cb_jw_str(w, unit);
		cb_jw_key(w, "about");
		cb_jw_str(w, about);
		cb_jw_key(w, "attributed_to");
		claimant(w, s, sl);
		cb_jw_key(w, "evidence");
		cb_jw_object(w);
		cb_jw_key(w, "start");
		cb_jw_int(w, (long long)cb_cp_cursor_at(&cur, b0));
		cb_jw_key(w, "end");
		cb_jw_int(w, (long long)cb_cp_cursor_at(&cur, b1));
		cb_jw_end(w);
		cb_jw_end(w);
	}
	(void)x;
	(void)cx;
	(void)len;
	(void)err;
	return 0;
}
