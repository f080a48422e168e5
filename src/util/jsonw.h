/*
 * jsonw.h: writes JSON as it is produced, either as text or as a jansson
 * tree, from one sequence of calls. The extractor writes its codebook JSON
 * once: as text for `casebook extract` (no tree built only to be dumped and
 * freed) and as a tree for ingest, which reads the values back.
 *
 * The text is laid out byte for byte as jansson's json_dumps() lays out the
 * same tree with JSON_INDENT(indent) (and JSON_ENSURE_ASCII when ascii is
 * set): members in the order written, ": " after a key, an indented line
 * per member, "{}" and "[]" when empty, reals as "%.17g" with a ".0" where
 * the digits alone would read as an integer.
 *
 *   cb_buf out = CB_BUF_INIT; cb_jw w;
 *   cb_jw_text(&w, &out, 2, 0);
 *   cb_jw_object(&w); cb_jw_key(&w, "n"); cb_jw_int(&w, 3); cb_jw_end(&w);
 *   if (cb_jw_finish(&w, NULL, &err) < 0) ...   // out.ptr holds the text
 *
 * Errors are sticky: after a failure (no memory, nesting past
 * CB_JW_MAX_DEPTH, a value where none may go) every call does nothing and
 * cb_jw_finish() reports it, so an emitter need not test each call.
 * Strings are taken as UTF-8; one that is not valid is written as null.
 */
#ifndef CB_JSONW_H
#define CB_JSONW_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"

#define CB_JW_MAX_DEPTH 16

typedef struct cb_jw {
	cb_buf *out;     /* text: appended to (borrowed); NULL for a tree */
	int indent, ascii;
	int depth;       /* open containers */
	int failed;      /* a cb_error code, or 0 */
	int done;        /* the top value has begun */
	unsigned char members[CB_JW_MAX_DEPTH];   /* any written yet, per open container */
	unsigned char is_object[CB_JW_MAX_DEPTH];
	unsigned char keyed;                      /* a key waits for its value */
	/* tree mode */
	json_t *stack[CB_JW_MAX_DEPTH];
	json_t *root;
	char key[64];
} cb_jw;

/* Text into out (its memory stays the caller's). */
void cb_jw_text(cb_jw *w, cb_buf *out, int indent, int ascii);
/* A jansson tree, handed over by cb_jw_finish(). */
void cb_jw_tree(cb_jw *w);

void cb_jw_object(cb_jw *w);
void cb_jw_array(cb_jw *w);
void cb_jw_end(cb_jw *w); /* closes the innermost object or array */

/* A member's name: ASCII without characters to escape, under 64 bytes.
 * (Inline so that the length of a literal is known where it is written.) */
void cb_jw_keyn(cb_jw *w, const char *key, size_t n);
static inline void cb_jw_key(cb_jw *w, const char *key)
{
	cb_jw_keyn(w, key, strlen(key));
}

void cb_jw_strn(cb_jw *w, const char *s, size_t n);
/* The same for text known to be valid UTF-8: no second check. */
void cb_jw_strn_valid(cb_jw *w, const char *s, size_t n);
void cb_jw_str(cb_jw *w, const char *s); /* NULL writes null */
void cb_jw_int(cb_jw *w, long long v);
void cb_jw_real(cb_jw *w, double v);
void cb_jw_null(cb_jw *w);

/*
 * Ends the writing. Returns 0, or the first failure (CB_ENOMEM, CB_EINVAL
 * for calls out of order) with its message in err. In tree mode *tree is
 * the value written, which the caller owns (json_decref); on failure it is
 * NULL and nothing is left allocated. In text mode tree may be NULL.
 */
int cb_jw_finish(cb_jw *w, json_t **tree, cb_error *err);

#endif
