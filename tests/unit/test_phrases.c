/*
 * test_phrases.c: the tests of the words around a trigger, a place or a
 * date (code/phrases.h), on fictional sentences written for the project.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "code/phrases.h"

/* Where needle starts in hay (the test's own sentences always hold it). */
static size_t at(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	assert_non_null(p);
	return (size_t)(p - hay);
}

static void test_words(void **state)
{
	(void)state;
	const char *t = "Police  arrested five women";
	size_t we, w = cb_word_before(t, 0, at(t, "five"), &we);
	assert_int_equal(w, at(t, "arrested"));
	assert_int_equal(we, at(t, "arrested") + 8);
	w = cb_word_after(t, at(t, "Police") + 6, strlen(t), &we);
	assert_int_equal(w, at(t, "arrested"));
	static const char *const verbs[] = {"arrested", "detained", NULL};
	assert_true(cb_word_in(t, w, we, verbs));
	assert_false(cb_word_in(t, 0, 6, verbs));
	assert_false(cb_word_in(t, 3, 3, verbs)); /* an empty word is none */
}

static void test_places(void **state)
{
	(void)state;
	const char *t = "The nine crossed into China and were held in Baishan before being "
			"sent through the border city of Dandong, across the river from Sinuiju.";
	assert_true(cb_destination_at(t, 0, at(t, "China")));
	assert_false(cb_destination_at(t, 0, at(t, "Baishan")));
	assert_true(cb_departure_at(t, 0, at(t, "Baishan")));
	assert_true(cb_departure_at(t, 0, at(t, "Dandong")));
	assert_false(cb_departure_at(t, 0, at(t, "China")));
	assert_true(cb_landmark_at(t, 0, at(t, "Sinuiju")));
	assert_false(cb_landmark_at(t, 0, at(t, "Dandong")));

	const char *r = "Two women whose daughter lives in Seoul were sent back to North Korea.";
	assert_true(cb_residence_at(r, 0, at(r, "Seoul")));
	/* "sent back to": where people are taken, not where they flee */
	assert_false(cb_destination_at(r, 0, at(r, "North Korea")));
}

static void test_asides(void **state)
{
	(void)state;
	const char *p = "Police in Songyuan, working with police in Baishan, arrested three.";
	size_t trig = at(p, "arrested");
	assert_true(cb_partner_aside(p, 0, at(p, "Baishan"), at(p, "Baishan") + 7, trig));
	assert_false(cb_partner_aside(p, 0, at(p, "Songyuan"), at(p, "Songyuan") + 8, trig));

	const char *r = "Ms. Choi, a woman from Hoeryong who escaped in 2017, was detained.";
	trig = at(r, "detained");
	assert_true(cb_relative_aside(r, 0, at(r, "Hoeryong"), trig));
	assert_true(cb_relative_aside(r, 0, at(r, "2017"), trig));
	const char *n = "Police, on May 3, arrested five women.";
	assert_false(cb_relative_aside(n, 0, at(n, "May"), at(n, "arrested")));

	const char *v = "They had crossed the river in 2019 and were sold to farmers in Hunchun.";
	assert_true(cb_next_verb_between(v, at(v, "crossed") + 7, at(v, "Hunchun")));
	assert_false(cb_next_verb_between(v, at(v, "crossed") + 7, at(v, "2019")));

	const char *e = "Police arrested 12 defectors who had already set out from Yanji.";
	assert_int_equal(cb_earlier_relative(e, 0, at(e, "set out")), at(e, "who"));
	assert_int_equal(cb_earlier_relative(e, 0, at(e, "arrested")), 0);
}

static void test_story_and_trial(void **state)
{
	(void)state;
	const char *t = "Then they sent me back.";
	assert_true(cb_opens_sequence(t, 0, strlen(t)));
	const char *a = "After that I was sent to a camp.";
	assert_true(cb_opens_sequence(a, 0, strlen(a)));
	const char *th = "Thereafter nothing was heard.";
	assert_false(cb_opens_sequence(th, 0, strlen(th)));
	const char *af = "After the raid the women hid.";
	assert_false(cb_opens_sequence(af, 0, strlen(af)));

	const char *p = "One.\n\nTwo.\n\nThree.";
	assert_true(cb_story_goes_on(p, at(p, "One.") + 4, at(p, "Two.")));
	assert_false(cb_story_goes_on(p, at(p, "One.") + 4, at(p, "Three.")));
	assert_true(cb_next_in_paragraph(p, at(p, "Two.") + 4, at(p, "Two.") + 4));
	assert_false(cb_next_in_paragraph(p, at(p, "One.") + 4, at(p, "Two.")));

	const char *tr[] = {"The trio were put on trial in late April.", "They were tried in May.",
			    "Trials were held in public."};
	for (size_t i = 0; i < 3; i++)
		assert_true(cb_trial_at(tr[i], 0, strlen(tr[i])));
	const char *no[] = {"She tried to cross the river.", "An industrial town near Hunchun."};
	for (size_t i = 0; i < 2; i++)
		assert_false(cb_trial_at(no[i], 0, strlen(no[i])));
}

static void test_words_of_triggers(void **state)
{
	(void)state;
	const char *n = "A director at the Database Center for Fictional Rights said so.";
	size_t d = at(n, "Database");
	assert_true(cb_in_proper_name(n, 0, d, d + 8, strlen(n)));
	const char *s = "Database records were kept.";
	assert_false(cb_in_proper_name(s, 0, 0, 8, strlen(s)));
	const char *l = "Police built a database of the women.";
	d = at(l, "database");
	assert_false(cb_in_proper_name(l, 0, d, d + 8, strlen(l)));

	const char *m = "The police will make arrests.";
	assert_true(cb_noun_use(m, 0, at(m, "arrests")));
	const char *b = "The arrests follow a raid.";
	assert_false(cb_noun_use(b, 0, at(b, "arrests")));

	const char *c = "handing them over to torture or death";
	assert_true(cb_names_choice(c, at(c, "torture"), strlen(c)));
	assert_false(cb_names_choice(c, at(c, "death"), strlen(c)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_asides),
		cmocka_unit_test(test_story_and_trial),
		cmocka_unit_test(test_words_of_triggers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
