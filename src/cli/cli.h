/*
 * cli.h: what the subcommands share - option parsing with one style of
 * error, opening the store, printing JSON and aligned tables.
 */
#ifndef CB_CLI_H
#define CB_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "protect/keyring.h"
#include "store/store.h"
#include "util/error.h"

/* Prints "casebook: MESSAGE" on stderr and returns the exit status for
 * err's code. */
int cli_fail(const cb_error *err);

/* Prints "casebook CMD: MESSAGE; see 'casebook CMD --help'" and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* getopt_long with casebook's messages. Returns the option, -1 at the end,
 * or '?' after printing an error (the caller returns 2). */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       const char *cmd);

/* Opens the store (dir NULL = default) as user (NULL: $CASEBOOK_USER, else
 * the only or first owner), unlocking it with the passphrase from
 * cli_passphrase_file, $CASEBOOK_PASSPHRASE_FILE, $CASEBOOK_PASSPHRASE or
 * the terminal. On failure prints the error and returns the exit status
 * (3 wrong passphrase or unknown user, 4 damaged store); 0 on success. */
int cli_open_store(cb_store **out, const char *dir, const char *user);

/* Set by `casebook --passphrase-file FILE COMMAND ...` (main.c); borrowed. */
extern const char *cli_passphrase_file;

/* A new passphrase (init, user add, passwd): from file if non-NULL, else
 * from $env_name if set (env_name NULL: $CASEBOOK_PASSPHRASE), else asked
 * twice on the terminal without echo. Free *out with cb_passphrase_free. */
int cli_new_passphrase(char **out, size_t *len, const char *file, const char *env_name,
		       const char *who, cb_error *err);

/* Checks that value is one of the NULL-terminated allowed list; returns its
 * index, or prints a usage error and returns -1. */
int cli_choice(const char *cmd, const char *option, const char *value, const char *const *allowed);

/* Parses a positive integer id ("12"); -1 if it is not one. */
long long cli_parse_id(const char *s);

/* Splits "A,B,C" into at most max names pointing into *buf, a copy of s
 * (the caller frees it; NULL when out of memory, and 0 returned). Returns
 * how many names there are, max + 1 if there are more than max. */
size_t cli_split_names(char **buf, const char **names, size_t max, const char *s);

/* Prints v as indented JSON followed by a newline on stdout. */
void cli_print_json(json_t *v);

/* An aligned text table: columns sized to their content (capped), text
 * cut with an ellipsis where it does not fit. */
typedef struct cli_table cli_table;
cli_table *cli_table_new(const char *const *headers, const int *max_widths);
void cli_table_add(cli_table *t, const char *const *cells); /* cells copied; NULL = "" */
void cli_table_print(cli_table *t, FILE *out);
void cli_table_free(cli_table *t);

/* For a user who may not open identities (a viewer): masks people's names
 * (store.h cb_store_mask_text) in the string members keys (NULL-ended)
 * of every object of arr, in place. Holders' arrays are left alone. */
int cli_mask_members(cb_store *st, json_t *arr, const char *const *keys, cb_error *err);

/* A JSON value as display text in buf ("" for null). */
const char *cli_json_text(json_t *v, char *buf, size_t n);

#endif
