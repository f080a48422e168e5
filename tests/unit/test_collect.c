/*
 * test_collect.c: the collect stage on good and bad files from
 * tests/data/collect (small, committed) and on inputs built here (big or
 * deeply nested ones, which would be silly to commit), plus the example
 * reports in examples/reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "collect/collect.h"
#include "util/fileio.h"

static char path_buf[4096];

static const char *data_path(const char *name)
{
	const char *dir = getenv("CB_TEST_DATA");
	snprintf(path_buf, sizeof path_buf, "%s/collect/%s", dir ? dir : "tests/data", name);
	return path_buf;
}

static cb_collected *collect_ok(const char *name)
{
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	int rc = cb_collect_file(&c, data_path(name), 0, &err);
	if (rc < 0)
		fail_msg("%s: unexpected failure: %s", name, err.msg);
	assert_non_null(c);
	assert_int_equal(strlen(c->text), c->len);
	return c;
}

/* The file fails with code, and the one-line message names it and says why. */
static void collect_fails(const char *name, int code, const char *why)
{
	cb_collected *c = (cb_collected *)1;
	cb_error err = CB_ERROR_INIT;
	const char *path = data_path(name);
	int rc = cb_collect_file(&c, path, 0, &err);

	if (rc != code)
		fail_msg("%s: expected code %d, got %d (%s)", name, code, rc, err.msg);
	assert_null(c);
	if (!strstr(err.msg, path) || !strstr(err.msg, why))
		fail_msg("%s: message \"%s\" lacks the path or \"%s\"", name, err.msg, why);
	assert_null(strchr(err.msg, '\n'));
}

static void test_bad_text_files(void **state)
{
	(void)state;
	collect_fails("empty.txt", CB_EFORMAT, "empty file");
	collect_fails("whitespace.txt", CB_EFORMAT, "empty file");
	collect_fails("nul.txt", CB_EFORMAT, "binary file");
	collect_fails("control.txt", CB_EFORMAT, "binary file");
	collect_fails("invalid-utf8.txt", CB_EFORMAT, "invalid UTF-8 at byte 63");
	collect_fails("overlong-utf8.txt", CB_EFORMAT, "invalid UTF-8 at byte");
	collect_fails("surrogate-utf8.txt", CB_EFORMAT, "invalid UTF-8 at byte");
	collect_fails("truncated-utf8.txt", CB_EFORMAT, "invalid UTF-8 at byte 96 (truncated");
	collect_fails("utf16.txt", CB_EFORMAT, "UTF-16");
	collect_fails("no-such-file.txt", CB_ENOTFOUND, "no such file");
	collect_fails("report.pdf", CB_EINVAL, "unsupported file type");
}

static void test_bad_html_files(void **state)
{
	(void)state;
	collect_fails("notext.html", CB_EFORMAT, "no text found");
	collect_fails("invalid-utf8.html", CB_EFORMAT, "invalid UTF-8 at byte 78");
	collect_fails("bad-charset.html", CB_EFORMAT, "not valid in the declared charset shift_jis");
}

static void test_too_big(void **state)
{
	char dir[] = "/tmp/cb-test-collect-XXXXXX", path[256], *big;
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/big.txt", dir);
	if (!(big = malloc(5000)))
		return;
	memset(big, 'a', 5000);
	assert_int_equal(cb_write_file_atomic(path, big, 5000, &err), 0);
	assert_int_equal(cb_collect_file(&c, path, 4096, &err), CB_ETOOBIG);
	assert_null(c);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "too big"));
	/* Just under the limit is fine. */
	assert_int_equal(cb_collect_file(&c, path, 5000, &err), 0);
	assert_int_equal(c->len, 5000);
	cb_collected_free(c);
	unlink(path);
	rmdir(dir);
	free(big);
}

static void test_bom_crlf(void **state)
{
	cb_collected *c = collect_ok("bom-crlf.txt");
	(void)state;
	assert_int_equal(c->format, CB_FORMAT_TEXT);
	assert_memory_equal(c->text, "[Fictional", 10); /* BOM gone */
	assert_null(strchr(c->text, '\r'));
	assert_non_null(strstr(c->text, "\nLine two\nLine three\nLine four\n"));
	/* The hash is of the bytes as read, BOM and CRs included. */
	assert_int_equal(c->orig_len, c->len + 3 + 3);
	cb_collected_free(c);
}

static void test_nfc(void **state)
{
	cb_collected *c = collect_ok("nfd.txt");
	(void)state;
	assert_non_null(strstr(c->text, "Caf\xc3\xa9 in Seoul"));     /* e + U+0301 -> U+00E9 */
	assert_non_null(strstr(c->text, "\xed\x95\x9c (Hangul jamo)")); /* jamo -> U+D55C */
	cb_collected_free(c);
	/* Text already NFC is left byte for byte as it was. */
	c = collect_ok("good-utf8.txt");
	assert_int_equal(c->len, c->orig_len);
	assert_memory_equal(c->text, c->orig, c->len);
	cb_collected_free(c);
}

/* The code points text.c lets skip utf8proc really are unchanged by NFC
 * (checked against utf8proc itself), and collect leaves them alone. */
static void test_nfc_fast_path(void **state)
{
	static const int32_t ranges[][2] = {{0xA0, 0x2FF},     {0x2010, 0x2027}, {0x2030, 0x205E},
					    {0x20A0, 0x20BF},  {0x3000, 0x3029}, {0x4E00, 0x9FFF},
					    {0xAC00, 0xD7A3},  {0xFF01, 0xFFEF}};
	size_t cap = 400000, n = 0;
	char *text = malloc(cap);
	utf8proc_uint8_t *nfc;
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	if (!text)
		return;
	n = (size_t)snprintf(text, cap, "[Fictional test input written for casebook.]\n");
	for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
		for (int32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)text + n);
			text[n++] = ' ';
		}
	text[n] = '\0';
	assert_true(n < cap);
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)text);
	assert_non_null(nfc);
	assert_string_equal((const char *)nfc, text);
	free(nfc);
	assert_int_equal(cb_collect_bytes(&c, "ranges.txt", text, n, &err), 0);
	assert_int_equal(c->len, n);
	assert_memory_equal(c->text, text, n);
	cb_collected_free(c);
	free(text);
}

static void test_hash(void **state)
{
	static const char text[] = "hello world, this is casebook\n";
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	assert_int_equal(cb_collect_bytes(&c, "mem.txt", text, strlen(text), &err), 0);
	/* BLAKE2b-256 from Python's hashlib.blake2b(digest_size=32). */
	assert_string_equal(c->hash_hex,
			    "db1ec5ac373f5f3601d66899844c2c9606418f415aae488201a468aa7b6bcdb4");
	assert_int_equal(c->hash[0], 0xdb);
	assert_string_equal(c->text, text);
	cb_collected_free(c);
}

static void test_supported(void **state)
{
	(void)state;
	assert_true(cb_collect_is_supported("a/b/report.txt"));
	assert_true(cb_collect_is_supported("REPORT.HTML"));
	assert_true(cb_collect_is_supported("x.htm"));
	assert_true(cb_collect_is_supported("notes.md"));
	assert_false(cb_collect_is_supported("x.pdf"));
	assert_false(cb_collect_is_supported("dir.txt/noext"));
	assert_false(cb_collect_is_supported("txt"));
}

static void test_html_meta_and_clutter(void **state)
{
	cb_collected *c = collect_ok("meta-dates.html");
	(void)state;
	assert_int_equal(c->format, CB_FORMAT_HTML);
	assert_string_equal(c->title, "Raid in Tumen"); /* " - Example Wire" dropped */
	assert_string_equal(c->site_name, "Example Wire");
	assert_string_equal(c->published, "2022-11-30"); /* DC.date.issued beats date */
	assert_string_equal(c->canonical_url, "https://wire.example.org/tumen-raid");
	assert_non_null(strstr(c->text, "Raid in Tumen\n\nPolice in Tumen detained three"));
	assert_non_null(strstr(c->text, "detention center.\nA second line.\n\none\n\ntwo"));
	assert_null(strstr(c->text, "SCRIPT TEXT"));
	assert_null(strstr(c->text, "Weather"));
	assert_null(strstr(c->text, "Most read"));
	assert_null(strstr(c->text, "Home | World"));
	assert_null(strstr(c->text, "Example Wire"));
	assert_true(c->text[c->len - 1] != '\n' && c->text[0] != '\n');
	cb_collected_free(c);
}

static void test_html_jsonld_and_main(void **state)
{
	cb_collected *c = collect_ok("jsonld.html");
	(void)state;
	assert_string_equal(c->published, "2023-10-02");
	assert_string_equal(c->title, "Sentenced in Hoeryong");
	assert_null(c->site_name);
	/* The <article> outside <main> is a teaser. */
	assert_string_equal(c->text, "Five people were sentenced at a public trial in Hoeryong.");
	cb_collected_free(c);
}

/* An <article> that is a small card inside the story is not the story;
 * with no <title> the first <h1> is the title. */
static void test_html_teaser_card(void **state)
{
	cb_collected *c = collect_ok("teaser.html");
	(void)state;
	assert_string_equal(c->title, "Women detained in Longjing");
	assert_non_null(strstr(c->text, "Police in Longjing detained two"));
	assert_non_null(strstr(c->text, "sent back to North Korea within weeks."));
	assert_null(c->published);
	cb_collected_free(c);
}

static void test_html_time_in_article(void **state)
{
	cb_collected *c = collect_ok("time-in-article.html");
	(void)state;
	assert_string_equal(c->title, "Escape near Helong");
	assert_string_equal(c->site_name, "Border Notes");
	assert_string_equal(c->canonical_url, "https://notes.example.org/helong");
	assert_string_equal(c->published, "2023-08-21"); /* not the sidebar's 1999 */
	assert_non_null(strstr(c->text, "Two soldiers crossed the river near Helong."));
	assert_null(strstr(c->text, "Teaser"));
	assert_null(strstr(c->text, "Share"));
	cb_collected_free(c);
}

static void test_html_charset_and_malformed(void **state)
{
	cb_collected *c = collect_ok("latin1.html");
	(void)state;
	assert_string_equal(c->title, "Caf\xc3\xa9");
	assert_string_equal(c->text, "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e in Dandong.");
	cb_collected_free(c);

	c = collect_ok("malformed.html");
	assert_non_null(strstr(c->text, "First paragraph never closed and nested wrong"));
	assert_non_null(strstr(c->text, "cell one cell two"));
	assert_non_null(strstr(c->text, "Last words & an entity \xc3\xa9"));
	cb_collected_free(c);
}

/* Nesting: libxml2 stops at 256 levels; a page cut short there is refused,
 * not silently truncated. */
static size_t append(char *dst, size_t at, const char *s)
{
	size_t n = strlen(s);
	memcpy(dst + at, s, n);
	return at + n;
}

static void test_html_nesting(void **state)
{
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	size_t n = 0, depth;
	static char page[2000000];
	(void)state;

	for (int pass = 0; pass < 3; pass++) {
		depth = pass == 0 ? 200 : pass == 1 ? 300 : 100000;
		n = append(page, 0, "<p>before</p>");
		for (size_t i = 0; i < depth; i++)
			n = append(page, n, "<div>");
		n = append(page, n, "deep");
		for (size_t i = 0; i < depth; i++)
			n = append(page, n, "</div>");
		int rc = cb_collect_bytes(&c, "deep.html", page, n, &err);
		if (pass == 0) {
			assert_int_equal(rc, 0);
			assert_string_equal(c->text, "before\n\ndeep");
			cb_collected_free(c);
		} else {
			assert_int_equal(rc, CB_EFORMAT);
			assert_non_null(strstr(err.msg, "deep.html: malformed HTML"));
			assert_non_null(strstr(err.msg, "nested"));
		}
	}
}

/* A large page (about 8 MB, many paragraphs) goes through whole. */
static void test_html_large(void **state)
{
	size_t cap = 9000000, n = 0, paras = 0;
	char *page = malloc(cap);
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	if (!page)
		fail_msg("out of memory");
	if (!page)
		return;
	n += (size_t)sprintf(page, "<html><body><article>");
	while (n + 200 < cap - 100) {
		n += (size_t)sprintf(page + n, "<p>Paragraph %zu of a long fictional test page.</p>\n",
				     paras++);
	}
	n += (size_t)sprintf(page + n, "</article></body></html>");
	assert_int_equal(cb_collect_bytes(&c, "big.html", page, n, &err), 0);
	assert_non_null(strstr(c->text, "Paragraph 0 of"));
	{
		char last[64];
		snprintf(last, sizeof last, "Paragraph %zu of", paras - 1);
		assert_non_null(strstr(c->text, last));
	}
	cb_collected_free(c);
	free(page);
}

/* Binary and empty bytes through cb_collect_bytes, as the fuzzer sends. */
static void test_bytes_edge_cases(void **state)
{
	cb_collected *c = NULL;
	cb_error err = CB_ERROR_INIT;
	(void)state;

	assert_int_equal(cb_collect_bytes(&c, "x.txt", "", 0, &err), CB_EFORMAT);
	assert_int_equal(cb_collect_bytes(&c, "x.html", "", 0, &err), CB_EFORMAT);
	assert_int_equal(cb_collect_bytes(&c, "x.html", "   \n", 4, &err), CB_EFORMAT);
	assert_int_equal(cb_collect_bytes(&c, "x.html", "<p>a\0b</p>", 10, &err), CB_EFORMAT);
	assert_non_null(strstr(err.msg, "binary"));
	assert_int_equal(cb_collect_bytes(&c, "x.html", "<", 1, &err), CB_EFORMAT);
	assert_int_equal(cb_collect_bytes(&c, "x.txt", "\xef\xbb\xbf", 3, &err), CB_EFORMAT);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(cb_collect_bytes(&c, "x.txt", "a\rb", 3, &err), 0);
	assert_string_equal(c->text, "a\nb");
	cb_collected_free(c);
	cb_collected_free(NULL);
}

/* Every example report collects; the HTML one yields its metadata and no
 * page furniture. */
static void test_examples(void **state)
{
	static const char *const names[] = {
		"01-wire-yanji-arrests.txt", "02-syndicated-yanji-arrests.txt",
		"03-ngo-bulletin-songyuan-trafficking.txt", "04-testimony-hyesan-interrogation.txt",
		"05-webpage-baishan-registration.txt", "06-repatriation-dandong.html",
		"07-wire-helong-escape.txt", "08-ngo-prostitution-shenyang.txt",
		"09-court-sentencing-hoeryong.txt", "10-wire-tumen-detention.txt",
		"11-blog-yanji-church-raid.txt", "12-ngo-monthly-windows.txt"};
	const char *dir = getenv("CB_TEST_DATA");
	(void)state;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[4096];
		cb_collected *c = NULL;
		cb_error err = CB_ERROR_INIT;
		snprintf(path, sizeof path, "%s/../../examples/reports/%s", dir ? dir : "tests/data",
			 names[i]);
		if (cb_collect_file(&c, path, 0, &err) < 0)
			fail_msg("%s", err.msg);
		assert_non_null(strstr(c->text, "Fictional example report"));
		assert_null(strchr(c->text, '\r'));
		if (strstr(names[i], ".html")) {
			assert_string_equal(c->title,
					    "Sixty defectors sent back through Dandong, sources say");
			assert_string_equal(c->site_name, "Borderline Review");
			assert_string_equal(c->published, "2023-06-12");
			assert_string_equal(c->canonical_url,
					    "https://borderline.example.org/2023/06/dandong-repatriation");
			assert_non_null(strstr(c->text, "Sixty defectors sent back through Dandong"));
			assert_non_null(strstr(c->text, "Sino-Korean Friendship Bridge"));
			assert_null(strstr(c->text, "dataLayer"));
			assert_null(strstr(c->text, "Share this story"));
			assert_null(strstr(c->text, "All rights reserved"));
			assert_null(strstr(c->text, "Related"));
			assert_null(strstr(c->text, "Analysis"));
		}
		cb_collected_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_text_files),
		cmocka_unit_test(test_bad_html_files),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_nfc_fast_path),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_supported),
		cmocka_unit_test(test_html_meta_and_clutter),
		cmocka_unit_test(test_html_jsonld_and_main),
		cmocka_unit_test(test_html_time_in_article),
		cmocka_unit_test(test_html_teaser_card),
		cmocka_unit_test(test_html_charset_and_malformed),
		cmocka_unit_test(test_html_nesting),
		cmocka_unit_test(test_html_large),
		cmocka_unit_test(test_bytes_edge_cases),
		cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
