/*
 * test_blobseal.c: sealed original files. Round trips at chunk boundaries,
 * then every way of damaging a sealed file: flipped bytes, truncation,
 * appended bytes, swapped chunks, another key, another name, a size limit.
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
#include <sodium.h>

#include "protect/blobseal.h"

static unsigned char key[32], key2[32];

static unsigned char *pattern(size_t n)
{
	unsigned char *b = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)("Fictional report about a border crossing. "[i % 43]);
	return b;
}

static int contains(const unsigned char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(h + i, needle, m))
			return 1;
	return 0;
}

static void test_roundtrip_sizes(void **state)
{
	size_t sizes[] = {0, 1, 100, CB_BLOBSEAL_CHUNK - 1, CB_BLOBSEAL_CHUNK,
			  CB_BLOBSEAL_CHUNK + 1, 3 * CB_BLOBSEAL_CHUNK, 200000};
	cb_error err = CB_ERROR_INIT;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *data = pattern(sizes[i]), *sealed, *plain;
		size_t slen, plen;
		assert_int_equal(cb_blobseal_seal(&sealed, &slen, key, "abc", data, sizes[i], &err), CB_OK);
		assert_int_equal(slen, cb_blobseal_sealed_size(sizes[i]));
		if (sizes[i] >= 43)
			assert_false(contains(sealed, slen, "border crossing"));
		assert_int_equal(cb_blobseal_open(&plain, &plen, key, "abc", sealed, slen, 1 << 20,
						  "x", &err), CB_OK);
		assert_int_equal(plen, sizes[i]);
		assert_memory_equal(plain, data, sizes[i]);
		assert_int_equal(plain[plen], 0);
		free(plain);
		free(sealed);
		free(data);
	}
}

static void expect_fail(const unsigned char *sealed, size_t slen, const unsigned char *k,
			const char *label, int code, const char *needle)
{
	cb_error err = CB_ERROR_INIT;
	unsigned char *plain = (unsigned char *)"not touched";
	size_t plen = 99;
	int rc = cb_blobseal_open(&plain, &plen, k, label, sealed, slen, 1 << 20, "b1", &err);
	if (rc != code || (needle && !strstr(err.msg, needle)))
		fail_msg("got %d '%s', want %d '%s'", rc, err.msg, code, needle ? needle : "");
	assert_null(plain);
	assert_int_equal(plen, 0);
	assert_non_null(strstr(err.msg, "b1"));
}

static void test_tampering(void **state)
{
	size_t n = 2 * CB_BLOBSEAL_CHUNK + 500, slen;
	unsigned char *data = pattern(n), *sealed, *copy;
	cb_error err = CB_ERROR_INIT;

	assert_int_equal(cb_blobseal_seal(&sealed, &slen, key, "h1", data, n, &err), CB_OK);
	copy = malloc(slen);
	/* Every 997th byte flipped in turn: the magic gives a format error,
	 * everything else an integrity error. */
	for (size_t off = 0; off < slen; off += 997) {
		memcpy(copy, sealed, slen);
		copy[off] ^= 0x40;
		expect_fail(copy, slen, key, "h1", off < 8 ? CB_EFORMAT : CB_EINTEGRITY, NULL);
	}
	memcpy(copy, sealed, slen);
	copy[slen - 1] ^= 1;
	expect_fail(copy, slen, key, "h1", CB_EINTEGRITY, "chunk 3");
	/* Truncation at a chunk boundary and in the middle of a chunk. */
	size_t c1 = 8 + 24 + CB_BLOBSEAL_CHUNK + 17;
	expect_fail(sealed, c1, key, "h1", CB_EINTEGRITY, "truncated");
	expect_fail(sealed, c1 + c1 - 32, key, "h1", CB_EINTEGRITY, "truncated");
	expect_fail(sealed, slen - 5, key, "h1", CB_EINTEGRITY, NULL);
	expect_fail(sealed, 20, key, "h1", CB_EFORMAT, NULL);
	expect_fail(sealed, 0, key, "h1", CB_EFORMAT, NULL);
	/* Bytes appended after the final chunk. */
	unsigned char *longer = malloc(slen + 10);
	memcpy(longer, sealed, slen);
	memset(longer + slen, 'A', 10);
	expect_fail(longer, slen + 10, key, "h1", CB_EINTEGRITY, "chunk 3");
	free(longer);
	/* Chunks 1 and 2 swapped. */
	memcpy(copy, sealed, slen);
	memcpy(copy + 32, sealed + 32 + (c1 - 32), c1 - 32);
	memcpy(copy + c1, sealed + 32, c1 - 32);
	expect_fail(copy, slen, key, "h1", CB_EINTEGRITY, "chunk 1");
	/* Another key, another name (a blob moved under another hash). */
	expect_fail(sealed, slen, key2, "h1", CB_EINTEGRITY, "chunk 1");
	expect_fail(sealed, slen, key, "h2", CB_EINTEGRITY, "chunk 1");
	expect_fail(sealed, slen, key, NULL, CB_EINTEGRITY, "chunk 1");
	free(copy);
	free(sealed);
	free(data);
}

static void test_files_and_limit(void **state)
{
	char dir[] = "/tmp/cb-blobseal-XXXXXX", path[128], cmd[160];
	unsigned char *data = pattern(100000), *plain;
	size_t plen;
	cb_error err = CB_ERROR_INIT;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ab", dir);
	assert_int_equal(cb_blobseal_write(path, key, "ab", data, 100000, &err), CB_OK);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 100000, &err), CB_OK);
	assert_int_equal(plen, 100000);
	assert_memory_equal(plain, data, plen);
	free(plain);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 99999, &err), CB_ETOOBIG);
	assert_null(plain);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 10, &err), CB_ETOOBIG);
	/* Overwrite keeps one complete file, no temporary left behind. */
	assert_int_equal(cb_blobseal_write(path, key, "ab", "short", 5, &err), CB_OK);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 10, &err), CB_OK);
	assert_memory_equal(plain, "short", 5);
	free(plain);
	snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	/* A plain file, a missing file, an unwritable place. */
	f = fopen(path, "wb");
	fputs("just text, never sealed", f);
	fclose(f);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 100, &err), CB_EFORMAT);
	assert_non_null(strstr(err.msg, path));
	snprintf(path, sizeof path, "%s/missing", dir);
	assert_int_equal(cb_blobseal_read(&plain, &plen, path, key, "ab", 100, &err), CB_ENOTFOUND);
	snprintf(path, sizeof path, "%s/no/such/dir/x", dir);
	assert_int_equal(cb_blobseal_write(path, key, "x", "a", 1, &err), CB_EIO);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_sizes),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_files_and_limit),
	};
	if (sodium_init() < 0)
		return 1;
	randombytes_buf(key, sizeof key);
	randombytes_buf(key2, sizeof key2);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
