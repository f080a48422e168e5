/*
 * cb_sql.c: a test-only tool, never installed. `cb_sql STORE SQL` unlocks a
 * store the way casebook does ($CASEBOOK_USER, $CASEBOOK_PASSPHRASE) and
 * runs SQL on its sealed database, printing rows as the sqlite3 shell does
 * in list mode (columns joined by '|', NULL as nothing). The end-to-end
 * tests use it to look inside a store, and to change one behind casebook's
 * back (with the key, as an insider could) to show that verify notices.
 */
#include <stdio.h>

#include "store/store_int.h"

static int print_row(void *ctx, int n, char **vals, char **cols)
{
	(void)ctx;
	(void)cols;
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "|" : "", vals[i] ? vals[i] : "");
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	cb_store *st;
	char *msg = NULL;
	int rc;

	if (argc != 3) {
		fputs("usage: cb_sql STORE SQL\n", stderr);
		return 2;
	}
	if ((rc = cb_store_open(&st, argv[1], &err)) < 0) {
		fprintf(stderr, "cb_sql: %s\n", err.msg);
		return cb_exit_status(rc);
	}
	rc = sqlite3_exec(st->db, argv[2], print_row, NULL, &msg) == SQLITE_OK ? 0 : 1;
	if (rc) {
		cb_error e2 = CB_ERROR_INIT;
		if (cb_sealvfs_explain(st->db, &e2) < 0)
			fprintf(stderr, "cb_sql: %s\n", e2.msg);
		else
			fprintf(stderr, "cb_sql: %s\n", msg ? msg : "failed");
	}
	sqlite3_free(msg);
	cb_store_close(st);
	return rc;
}
