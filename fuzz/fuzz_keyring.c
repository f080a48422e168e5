/*
 * fuzz_keyring.c: libFuzzer harness for the key-file parser, the one parser
 * that reads a store file before any key is known (protect/keyring.h).
 * Each input is parsed as it is; what parses must serialise back to the
 * same bytes (the format has one encoding) and parse again; what fails must
 * say so in one line. The parser never runs Argon2id, so inputs are cheap.
 *
 *   fuzz/run.sh fuzz_keyring 600   (seeds: key files made by seed mode below)
 *   CB_FUZZ_SEED_DIR=DIR build-fuzz/fuzz/fuzz_keyring -runs=0 DIR  writes seeds
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protect/keyring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cb_error err = CB_ERROR_INIT;
	cb_keyring *kr = NULL, *kr2 = NULL;
	unsigned char *out = NULL;
	size_t n = 0;
	int rc = cb_keyring_parse(&kr, data, size, &err);

	if (rc < 0) {
		if (kr || !err.msg[0] || strchr(err.msg, '\n'))
			abort();
		return 0;
	}
	if (cb_keyring_count(kr) == 0 || cb_keyring_serialize(&out, &n, kr, &err) < 0)
		abort();
	if (n != size || memcmp(out, data, size))
		abort();
	if (cb_keyring_parse(&kr2, out, n, &err) < 0 || cb_keyring_count(kr2) != cb_keyring_count(kr))
		abort();
	for (size_t i = 0; i < cb_keyring_count(kr); i++) {
		const char *name;
		int role;
		if (cb_keyring_user(kr, i, &name, &role, NULL, NULL) < 0 || cb_keyring_find(kr, name) != (long)i ||
		    !cb_role_name(role))
			abort();
	}
	free(out);
	cb_keyring_free(kr);
	cb_keyring_free(kr2);
	return 0;
}

/* Seeds: `fuzz_keyring -seed_out=DIR` is not a libFuzzer flag, so seeds
 * come from LLVMFuzzerInitialize when CB_FUZZ_SEED_DIR is set. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("CB_FUZZ_SEED_DIR");
	static const cb_kdf_params fast = {1, 8192};
	(void)argc;
	(void)argv;
	if (!dir)
		return 0;
	for (int variant = 0; variant < 3; variant++) {
		cb_keyring *kr;
		cb_keys *k;
		unsigned char rec[32], *b;
		size_t n;
		char path[4096];
		FILE *f;
		if (cb_keyring_create(&kr, &k, "ana", "pw", 2, &fast, variant ? rec : NULL, NULL) < 0)
			continue;
		if (variant == 2) {
			cb_keyring_add_user(kr, k, "vic", CB_ROLE_VIEWER, "pv", 2, &fast, NULL);
			cb_keyring_add_user(kr, k, "eve.x", CB_ROLE_EDITOR, "pe", 2, &fast, NULL);
		}
		if (cb_keyring_serialize(&b, &n, kr, NULL) == CB_OK) {
			snprintf(path, sizeof path, "%s/keys-%d", dir, variant);
			if ((f = fopen(path, "wb"))) {
				fwrite(b, 1, n, f);
				fclose(f);
			}
			free(b);
		}
		cb_keys_free(k);
		cb_keyring_free(kr);
	}
	return 0;
}
