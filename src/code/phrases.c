/*
 * phrases.c: see phrases.h.
 */
#include "code/phrases.h"

#include "util/ascii.h"

#include <string.h>
#include <strings.h>

/* The word (letters) just before t[..b), past spaces, not before lo: its
 * start, and its end in *we (start == *we when there is none). */
size_t cb_word_before(const char *t, size_t lo, size_t b, size_t *we)
{
	size_t e = b;
	while (e > lo && t[e - 1] == ' ')
		e--;
	size_t w = e;
	while (w > lo && cb_isalpha((unsigned char)t[w - 1]))
		w--;
	*we = e;
	return w;
}

/* The word (letters) at or after t[pos..), past spaces, not past hi: its
 * start, and its end in *we. */
size_t cb_word_after(const char *t, size_t pos, size_t hi, size_t *we)
{
	while (pos < hi && t[pos] == ' ')
		pos++;
	size_t e = pos;
	while (e < hi && cb_isalpha((unsigned char)t[e]))
		e++;
	*we = e;
	return pos;
}

/* Is t[s..e) one of ws (ignoring case; the words of ws in lower case)? */
int cb_word_in(const char *t, size_t s, size_t e, const char *const *ws)
{
	if (e <= s)
		return 0;
	unsigned char c0 = (unsigned char)cb_tolower((unsigned char)t[s]);
	for (int k = 0; ws[k]; k++)
		if ((unsigned char)ws[k][0] == c0 && strlen(ws[k]) == e - s &&
		    !strncasecmp(t + s, ws[k], e - s))
			return 1;
	return 0;
}

/* Is the trigger at t[ms..me) a word of a name: capitalised inside the
 * sentence and followed by another capitalised word ("the Database
 * Center for North Korean Human Rights", "a Detention Watch report")? */
int cb_in_proper_name(const char *t, size_t ss, size_t ms, size_t me, size_t se)
{
	if (!cb_isupper((unsigned char)t[ms]) || ms == ss)
		return 0;
	/* the sentence's first word, past an opening quote, is capitalised
	 * anyway */
	size_t b = ms;
	while (b > ss && !cb_isalnum((unsigned char)t[b - 1]) && t[b - 1] != ' ')
		b--;
	if (b == ss)
		return 0;
	size_t e = me;
	while (e < se && cb_isalpha((unsigned char)t[e]))
		e++; /* the rest of the word the trigger ends in */
	if (e >= se || t[e] != ' ')
		return 0;
	return e + 1 < se && cb_isupper((unsigned char)t[e + 1]);
}

/* Is the word at t[ms..) a noun naming new acts: "make arrests", "mass
 * arrests", "more arrests"? ("the arrests" points back to acts told.) */
int cb_noun_use(const char *t, size_t ss, size_t ms)
{
	static const char *const before[] = {"make", "makes", "made", "making", "mass", "more",
		"further", "new", "many", "several", NULL};
	size_t we, w = cb_word_before(t, ss, ms, &we);
	return w < we && cb_word_in(t, w, we, before);
}

/* Does the trigger t[ms..me) name fates as a choice: " or " inside it
 * ("torture or death")? */
int cb_names_choice(const char *t, size_t ms, size_t me)
{
	for (size_t i = ms; i + 4 <= me; i++)
		if (t[i] == ' ' && t[i + 1] == 'o' && t[i + 2] == 'r' && t[i + 3] == ' ')
			return 1;
	return 0;
}

/* Is there " and was", " and were", " and had" (a verb of its own
 * joined on) in t[from..to)? */
int cb_next_verb_between(const char *t, size_t from, size_t to)
{
	static const char *const aux[] = {"was", "were", "had", "is", "are", "has", "have", NULL};
	for (size_t i = from; i + 8 <= to; i++) {
		if (t[i] != ' ' || t[i + 1] != 'a' || t[i + 2] != 'n' || t[i + 3] != 'd' ||
		    t[i + 4] != ' ')
			continue;
		size_t we, w = cb_word_after(t, i + 5, to, &we);
		if (we < to && t[we] == ' ' && cb_word_in(t, w, we, aux))
			return 1;
	}
	return 0;
}

/* Is the place at t[s..) where someone lives or was born ("lives in",
 * "living in", "born in")? */
int cb_residence_at(const char *t, size_t ss, size_t s)
{
	static const char *const in[] = {"in", NULL};
	static const char *const live[] = {"lives", "live", "lived", "living", "resides",
		"reside", "resided", "residing", "born", NULL};
	size_t e, b = cb_word_before(t, ss, s, &e);
	if (!cb_word_in(t, b, e, in))
		return 0;
	size_t ve, v = cb_word_before(t, ss, b, &ve);
	return cb_word_in(t, v, ve, live);
}

/* Is there "found that", "said that", "revealed that" in t[from..to)? */
int cb_reported_between(const char *t, size_t from, size_t to)
{
	static const char *const verbs[] = {"found", "said", "says", "showed", "revealed",
		"learned", "reported", "confirmed", "determined", "discovered", "concluded",
		"indicated", "claimed", "told", NULL};
	for (size_t i = from; i + 6 <= to; i++) {
		if (t[i] != ' ' || strncmp(t + i, " that ", 6))
			continue;
		size_t we, w = cb_word_before(t, from, i, &we);
		if (cb_word_in(t, w, we, verbs))
			return 1;
	}
	return 0;
}

/* Is the place at t[s..) a landmark another place is told by: "across
 * the border from X", "across the river from X", "opposite X"? */
int cb_landmark_at(const char *t, size_t ss, size_t s)
{
	static const char *const before[] = {"across the border from ", "across the river from ",
		"across from ", "opposite ", NULL};
	for (int k = 0; before[k]; k++) {
		size_t n = strlen(before[k]);
		if (s >= ss + n && !strncasecmp(t + s - n, before[k], n))
			return 1;
	}
	return 0;
}

/* Is t[a..b) an apposition leading to a place: ", the capital of ",
 * ", a city in China's "? */
int cb_apposition_at(const char *t, size_t a, size_t b)
{
	static const char *const heads[] = {"capital of ", "city in ", "city of ", "town in ",
		"county in ", "village in ", "district of ", "part of ", NULL};
	if (a >= b || t[a] != ',')
		return 0;
	for (int k = 0; heads[k]; k++) {
		size_t n = strlen(heads[k]);
		for (size_t i = a + 1; i + n <= b; i++)
			if ((t[i] | 32) == heads[k][0] && !strncasecmp(t + i, heads[k], n))
				return 1;
	}
	return 0;
}

/* Is the country named at t[s..) the place of a phrase "in China",
 * "across China", "in other regions of China"? */
int cb_country_wide(const char *t, size_t ss, size_t s)
{
	static const char *const in[] = {"in", "across", "throughout", "elsewhere", NULL};
	static const char *const part[] = {"the", "these", "those", "other", "many", "various",
		"all", "over", "of", "regions", "parts", "areas", "provinces", "cities", NULL};
	size_t e = s;
	for (int words = 0; words < 6; words++) {
		size_t b = cb_word_before(t, ss, e, &e);
		if (b == e)
			return 0;
		if (cb_word_in(t, b, e, in))
			return 1;
		if (!cb_word_in(t, b, e, part))
			return 0;
		e = b;
	}
	return 0;
}

/* "sent back to", "forcibly returned to": the place after is where people
 * are taken, not where they flee. Is such a word just before t[..b)? */
int cb_returned_before(const char *t, size_t ss, size_t b)
{
	static const char *const verbs[] = {"returned", "sent", "deported", "repatriated",
		"handed", "transferred", "extradited", "back", "taken", "brought", "driven", "sold",
		"trafficked", NULL};
	size_t e, w = cb_word_before(t, ss, b, &e);
	return cb_word_in(t, w, e, verbs);
}

/* The first word before text[..s) that is not one of skip, at most max
 * words back: its start, and its end in *we (start == *we when none). */
size_t cb_word_past(const char *t, size_t ss, size_t s, const char *const *skip, int max,
			size_t *we)
{
	size_t e = s;
	for (int words = 0; words < max; words++) {
		size_t b = cb_word_before(t, ss, e, &e);
		if (b == e || !cb_word_in(t, b, e, skip)) {
			*we = e;
			return b;
		}
		e = b;
	}
	*we = s;
	return s;
}

/* Is the place named at text[s..) one people are taken from: "from",
 * "through", "via" just before it (past "the border city of"), or "held
 * in", "detained in"? */
int cb_departure_at(const char *t, size_t ss, size_t s)
{
	static const char *const from[] = {"from", "through", "via", NULL};
	static const char *const in[] = {"in", "at", NULL};
	static const char *const held[] = {"held", "detained", "kept", "jailed", "imprisoned",
		NULL};
	static const char *const skip[] = {"the", "border", "city", "town", "of", "crossing",
		"bridge", NULL};
	size_t e, b = cb_word_past(t, ss, s, skip, 5, &e), he, h;
	if (cb_word_in(t, b, e, from))
		return 1;
	h = cb_word_before(t, ss, b, &he);
	return cb_word_in(t, b, e, in) && cb_word_in(t, h, he, held);
}

/* Is the place named at text[s..) a destination: "to", "into", "toward",
 * "reach", "enter" (any inflection) or "arrived in" just before it, past
 * "the" and "neighbouring"? */
int cb_destination_at(const char *t, size_t ss, size_t s)
{
	static const char *const skip[] = {"the", "neighbouring", "neighboring", "nearby", NULL};
	static const char *const to[] = {"to", "into", "toward", "towards", "reach", "reached",
		"reaching", "enter", "entered", "entering", NULL};
	static const char *const in[] = {"in", NULL}, *const arrived[] = {"arrived", NULL};
	size_t e, b = cb_word_past(t, ss, s, skip, 3, &e), ae, a;
	if (cb_word_in(t, b, e, to))
		return !cb_returned_before(t, ss, b);
	a = cb_word_before(t, ss, b, &ae);
	return cb_word_in(t, b, e, in) && cb_word_in(t, a, ae, arrived);
}

/* Does the sentence starting at start follow the one ending at end in the
 * same paragraph (nothing but a few spaces and one line break between)? */
int cb_next_in_paragraph(const char *t, size_t end, size_t start)
{
	size_t gap_nl = 0, i = end;
	if (end > start)
		return 0;
	while (i < start && i - end < 8) {
		if (t[i] == '\n')
			gap_nl++;
		else if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r')
			return 0;
		i++;
	}
	return i == start && gap_nl <= 1;
}

/* Is text[s..e) inside an aside set off by commas, opened at most reach
 * bytes before s and closed before the trigger at trig? Its commas in *c1
 * (just past the first) and *c2. */
int cb_aside_around(const char *t, size_t ss, size_t s, size_t e, size_t trig, size_t reach,
			size_t *c1, size_t *c2)
{
	size_t a = s, b = e;
	while (a > ss && t[a - 1] != ',')
		a--;
	while (b < trig && t[b] != ',')
		b++;
	*c1 = a;
	*c2 = b;
	return a > ss && b < trig && s - a <= reach;
}

/* Is the place at text[s..e) inside an aside that names a partner, set
 * off by commas before the trigger at trig: "police in Songyuan, working
 * in cooperation with police in Baishan, arrested ..."? */
int cb_partner_aside(const char *t, size_t ss, size_t s, size_t e, size_t trig)
{
	static const char *const opens[] = {"working", "acting", "cooperating", "together",
		"along", "with", "aided", "assisted", "helped", "backed", "joined", "supported",
		NULL};
	size_t c1, c2;
	if (!cb_aside_around(t, ss, s, e, trig, 80, &c1, &c2))
		return 0;
	size_t we, w = cb_word_after(t, c1, s, &we);
	return cb_word_in(t, w, we, opens);
}

/* Is text[s..) inside an aside set off by commas before the trigger at
 * trig that tells of someone with a relative clause: "Ms. Choi, a woman
 * from Hoeryong who escaped in 2017, was among those detained"? What the
 * aside tells (its time, its places) is not the act's. */
int cb_relative_aside(const char *t, size_t ss, size_t s, size_t trig)
{
	static const char *const who[] = {"who", "which", "whose", NULL};
	size_t c1, c2;
	if (!cb_aside_around(t, ss, s, s, trig, 120, &c1, &c2))
		return 0;
	for (size_t i = c1, e; i < c2; i = e) {
		size_t w = cb_word_after(t, i, c2, &e);
		if (w == e) {
			e = w + 1;
			continue;
		}
		if (cb_word_in(t, w, e, who))
			return 1;
	}
	return 0;
}

/* Is the trigger at t[ms..) in a relative clause of what its people had
 * done before: "who had", "who have", "that had" (and an adverb) just
 * before it, within its clause from cs? Where "who" starts, else 0. */
size_t cb_earlier_relative(const char *t, size_t cs, size_t ms)
{
	static const char *const had[] = {"had", "have", "has", NULL};
	static const char *const who[] = {"who", "that", "which", NULL};
	static const char *const adverbs[] = {"already", "also", "just", "since", "once",
		"earlier", NULL};
	size_t e, b = cb_word_before(t, cs, ms, &e);
	/* "who had already", "who had recently" */
	if (b < e &&
	    ((e - b > 2 && !strncasecmp(t + e - 2, "ly", 2)) || cb_word_in(t, b, e, adverbs)))
		b = cb_word_before(t, cs, b, &e);
	if (b == e || !cb_word_in(t, b, e, had))
		return 0;
	size_t we, w = cb_word_before(t, cs, b, &we);
	return cb_word_in(t, w, we, who) ? w : 0;
}

/* Does the sentence text[ss..se) open with a word of sequence: "Then",
 * "After that", "Afterwards", "Later", "Soon after", "Shortly after",
 * "From there", "Next"? */
int cb_opens_sequence(const char *t, size_t ss, size_t se)
{
	static const char *const first[] = {"then", "afterwards", "afterward", "later", "next",
		NULL};
	static const char *const after[] = {"after", NULL}, *const soon[] = {"soon", "shortly",
		NULL}, *const that[] = {"that", "this", "which", "wards", NULL},
		*const from[] = {"from", NULL}, *const there[] = {"there", NULL};
	size_t e, s = cb_word_after(t, ss, se, &e), e2, s2 = cb_word_after(t, e, se, &e2);
	if (s == e)
		return 0;
	if (cb_word_in(t, s, e, first))
		return e == se || !cb_isalpha((unsigned char)t[e]);
	if (cb_word_in(t, s, e, soon))
		return cb_word_in(t, s2, e2, after);
	if (cb_word_in(t, s, e, after))
		return cb_word_in(t, s2, e2, that);
	return cb_word_in(t, s, e, from) && cb_word_in(t, s2, e2, there);
}

/* Does the story go on from the sentence ending at end to the one at
 * start: in the same paragraph or the next, within a few sentences? */
int cb_story_goes_on(const char *t, size_t end, size_t start)
{
	if (end > start || start - end > 600)
		return 0;
	int breaks = 0;
	for (size_t i = end; i + 1 < start; i++)
		if (t[i] == '\n' && t[i + 1] == '\n' && ++breaks > 1)
			return 0;
	return 1;
}

/* Does text[ss..se) tell of a trial: "trial", "trials", or "tried" not
 * followed by "to" ("were tried in April", not "tried to cross")? */
int cb_trial_at(const char *t, size_t ss, size_t se)
{
	for (size_t i = ss; i + 5 <= se; i++) {
		if ((t[i] | 32) != 't' || (t[i + 1] | 32) != 'r' ||
		    (i > ss && cb_isalpha((unsigned char)t[i - 1])))
			continue;
		int end = i + 5 == se || !cb_isalpha((unsigned char)t[i + 5]);
		if (!strncasecmp(t + i, "trial", 5) && (end || (t[i + 5] | 32) == 's'))
			return 1;
		if (!strncasecmp(t + i, "tried", 5) && end &&
		    !(i + 8 <= se && !strncasecmp(t + i + 5, " to", 3)))
			return 1;
	}
	return 0;
}
