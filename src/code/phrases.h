/*
 * phrases.h: tests of the words around a place, a date or a trigger in a
 * report's text, for the extractor's rules (extract.c): the word before or
 * after a position, whether a place is a destination, a departure or a
 * landmark, whether a position lies in an aside, whether a sentence opens
 * a story's next step. Each reads text[..] between the offsets it is given
 * (a sentence's, usually) and nothing else: no state, no allocation.
 */
#ifndef CB_PHRASES_H
#define CB_PHRASES_H

#include <stddef.h>

/* The word (letters) just before t[..b), past spaces, not before lo: its
 * start, and its end in *we (start == *we when there is none). */
size_t cb_word_before(const char *t, size_t lo, size_t b, size_t *we);

/* The word (letters) at or after t[pos..), past spaces, not past hi: its
 * start, and its end in *we. */
size_t cb_word_after(const char *t, size_t pos, size_t hi, size_t *we);

/* Is t[s..e) one of ws (ignoring case; the words of ws in lower case)? */
int cb_word_in(const char *t, size_t s, size_t e, const char *const *ws);

/* Is the trigger at t[ms..me) a word of a name: capitalised inside the
 * sentence and followed by another capitalised word ("the Database
 * Center for North Korean Human Rights", "a Detention Watch report")? */
int cb_in_proper_name(const char *t, size_t ss, size_t ms, size_t me, size_t se);

/* Is the word at t[ms..) a noun naming new acts: "make arrests", "mass
 * arrests", "more arrests"? ("the arrests" points back to acts told.) */
int cb_noun_use(const char *t, size_t ss, size_t ms);

/* Does the trigger t[ms..me) name fates as a choice: " or " inside it
 * ("torture or death")? */
int cb_names_choice(const char *t, size_t ms, size_t me);

/* Is there " and was", " and were", " and had" (a verb of its own
 * joined on) in t[from..to)? */
int cb_next_verb_between(const char *t, size_t from, size_t to);

/* Is the place at t[s..) where someone lives or was born ("lives in",
 * "living in", "born in")? */
int cb_residence_at(const char *t, size_t ss, size_t s);

/* Is there "found that", "said that", "revealed that" in t[from..to)? */
int cb_reported_between(const char *t, size_t from, size_t to);

/* Is the place at t[s..) a landmark another place is told by: "across
 * the border from X", "across the river from X", "opposite X"? */
int cb_landmark_at(const char *t, size_t ss, size_t s);

/* Is t[a..b) an apposition leading to a place: ", the capital of ",
 * ", a city in China's "? */
int cb_apposition_at(const char *t, size_t a, size_t b);

/* Is the country named at t[s..) the place of a phrase "in China",
 * "across China", "in other regions of China"? */
int cb_country_wide(const char *t, size_t ss, size_t s);

/* "sent back to", "forcibly returned to": the place after is where people
 * are taken, not where they flee. Is such a word just before t[..b)? */
int cb_returned_before(const char *t, size_t ss, size_t b);

/* The first word before text[..s) that is not one of skip, at most max
 * words back: its start, and its end in *we (start == *we when none). */
size_t cb_word_past(const char *t, size_t ss, size_t s, const char *const *skip, int max,
			size_t *we);

/* Is the place named at text[s..) one people are taken from: "from",
 * "through", "via" just before it (past "the border city of"), or "held
 * in", "detained in"? */
int cb_departure_at(const char *t, size_t ss, size_t s);

/* Is the place named at text[s..) a destination: "to", "into", "toward",
 * "reach", "enter" (any inflection) or "arrived in" just before it, past
 * "the" and "neighbouring"? */
int cb_destination_at(const char *t, size_t ss, size_t s);

/* Does the sentence starting at start follow the one ending at end in the
 * same paragraph (nothing but a few spaces and one line break between)? */
int cb_next_in_paragraph(const char *t, size_t end, size_t start);

/* Is text[s..e) inside an aside set off by commas, opened at most reach
 * bytes before s and closed before the trigger at trig? Its commas in *c1
 * (just past the first) and *c2. */
int cb_aside_around(const char *t, size_t ss, size_t s, size_t e, size_t trig, size_t reach,
			size_t *c1, size_t *c2);

/* Is the place at text[s..e) inside an aside that names a partner, set
 * off by commas before the trigger at trig: "police in Songyuan, working
 * in cooperation with police in Baishan, arrested ..."? */
int cb_partner_aside(const char *t, size_t ss, size_t s, size_t e, size_t trig);

/* Is text[s..) inside an aside set off by commas before the trigger at
 * trig that tells of someone with a relative clause: "Ms. Choi, a woman
 * from Hoeryong who escaped in 2017, was among those detained"? What the
 * aside tells (its time, its places) is not the act's. */
int cb_relative_aside(const char *t, size_t ss, size_t s, size_t trig);

/* Is the trigger at t[ms..) in a relative clause of what its people had
 * done before: "who had", "who have", "that had" (and an adverb) just
 * before it, within its clause from cs? Where "who" starts, else 0. */
size_t cb_earlier_relative(const char *t, size_t cs, size_t ms);

/* Does the sentence text[ss..se) open with a word of sequence: "Then",
 * "After that", "Afterwards", "Later", "Soon after", "Shortly after",
 * "From there", "Next"? */
int cb_opens_sequence(const char *t, size_t ss, size_t se);

/* Does the story go on from the sentence ending at end to the one at
 * start: in the same paragraph or the next, within a few sentences? */
int cb_story_goes_on(const char *t, size_t end, size_t start);

/* Does text[ss..se) tell of a trial: "trial", "trials", or "tried" not
 * followed by "to" ("were tried in April", not "tried to cross")? */
int cb_trial_at(const char *t, size_t ss, size_t se);

#endif
