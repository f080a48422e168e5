/*
 * prefix.c: prefix words of a query ("sentenc*") turned into the words of
 * the index that begin so ("sentence" OR "sentenced" OR ...).
 *
 * Why: FTS5 without a prefix index answers "sentenc*" by merging the
 * posting lists of every such word into one list in memory, for every
 * cursor that runs the query - and a search runs two (the rank window,
 * then the ranked page). On 100,000 reports that is 15-20 ms a search,
 * most of a server's time under load. An OR of the words themselves is
 * read lazily and seeks, so the rank window's walk back over the newest
 * matches reads only what it needs. A prefix index (FTS5's prefix=) would
 * do the same at the price of a larger index and a slower ingest.
 *
 * Only plain ASCII prefix words outside quotes and NEAR() groups are
 * rewritten, and only when 1 to CB_PREFIX_MAX_WORDS words of the index
 * begin so; anything else is left to FTS5 as it was written.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "search/search_int.h"
#include "store/store_int.h"
#include "util/buf.h"

#define CB_PREFIX_MAX_WORDS 48

static int vocab_ready(cb_store *st)
{
	if (st->vocab_ready)
		return 1;
	if (sqlite3_exec(st->db,
			 "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cb_vocab"
			 " USING fts5vocab(main, documents_fts, row)",
			 NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	st->vocab_ready = 1;
	return 1;
}

/* Appends ("w1" OR "w2" ...) for the index words that begin with pre (n
 * bytes, ASCII, lower case); 0 when there are none or too many. */
static int append_words(cb_store *st, cb_buf *b, const char *pre, size_t n)
{
	sqlite3_stmt *s = NULL;
	char lo[64], hi[64];
	const char *words[CB_PREFIX_MAX_WORDS + 1];
	cb_error err = CB_ERROR_INIT;
	int count = 0, ok = 0;

	if (n == 0 || n >= sizeof lo)
		return 0;
	memcpy(lo, pre, n);
	lo[n] = '\0';
	memcpy(hi, pre, n);
	hi[n - 1]++; /* ASCII letters and digits: no overflow past 0x7f */
	hi[n] = '\0';
	if (cb_sql_cached(st, &s,
			  "SELECT term FROM temp.cb_vocab WHERE term >= ?1 AND term < ?2"
			  " ORDER BY term LIMIT ?3",
			  &err) < 0)
		return 0; /* the query runs as written */
	sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, CB_PREFIX_MAX_WORDS + 1);
	while (count <= CB_PREFIX_MAX_WORDS && sqlite3_step(s) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(s, 0);
		if (!w || !(words[count] = strdup(w)))
			goto done;
		count++;
	}
	if (count < 1 || count > CB_PREFIX_MAX_WORDS)
		goto done;
	cb_buf_putc(b, '(', NULL);
	for (int i = 0; i < count; i++) {
		if (i)
			cb_buf_puts(b, " OR ", NULL);
		cb_buf_putc(b, '"', NULL);
		for (const char *p = words[i]; *p; p++) {
			if (*p == '"')
				cb_buf_putc(b, '"', NULL);
			cb_buf_putc(b, *p, NULL);
		}
		cb_buf_putc(b, '"', NULL);
	}
	cb_buf_putc(b, ')', NULL);
	ok = 1;
done:
	for (int i = 0; i < count; i++)
		free((char *)words[i]);
	cb_sql_done(s);
	return ok;
}

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

char *cb_search_expand_prefixes(cb_store *st, const char *q)
{
	cb_buf b = CB_BUF_INIT;
	const char *p = q;
	int changed = 0, near_depth = 0, paren = 0;

	if (!strchr(q, '*') || !vocab_ready(st))
		return NULL;
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') { /* a quoted phrase, "" inside doubled: as written */
			const char *e = p + 1;
			while (*e && !(*e == '"' && e[1] != '"'))
				e += *e == '"' ? 2 : 1;
			if (*e)
				e++;
			cb_buf_put(&b, p, (size_t)(e - p), NULL);
			p = e;
			continue;
		}
		if (c == '(') {
			paren++;
			cb_buf_putc(&b, '(', NULL);
			p++;
			continue;
		}
		if (c == ')') {
			if (near_depth && paren == near_depth)
				near_depth = 0;
			paren -= paren > 0;
			cb_buf_putc(&b, ')', NULL);
			p++;
			continue;
		}
		if (word_char(c)) {
			const char *s = p;
			int ascii = 1;
			while (word_char((unsigned char)*p)) {
				ascii &= (unsigned char)*p < 0x80;
				p++;
			}
			size_t n = (size_t)(p - s);
			if (n == 4 && !strncmp(s, "NEAR", 4) && *p == '(') {
				near_depth = paren + 1;
			} else if (*p == '*' && ascii && !near_depth && (s == q || s[-1] != '^')) {
				char low[64];
				if (n < sizeof low) {
					for (size_t i = 0; i < n; i++)
						low[i] = (char)tolower((unsigned char)s[i]);
					if (append_words(st, &b, low, n)) {
						p++; /* the '*' */
						changed = 1;
						continue;
					}
				}
			}
			cb_buf_put(&b, s, n, NULL);
			continue;
		}
		cb_buf_putc(&b, (char)c, NULL);
		p++;
	}
	if (!changed) {
		cb_buf_free(&b);
		return NULL;
	}
	return cb_buf_detach(&b);
}
