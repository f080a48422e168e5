/*
 * extract_int.h: the extractor's insides, shared by extract.c, events.c and
 * stats.c (not part of the public API in extract.h).
 */
#ifndef CB_EXTRACT_INT_H
#define CB_EXTRACT_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "code/counts.h"
#include "code/docmeta.h"
#include "code/extract.h"
#include "code/gazetteer.h"
#include "code/rules.h"
#include "code/sentences.h"
#include "code/timex.h"
#include "util/jsonw.h"

/* Cue kinds of data/rules/cues.tsv, in the order extract.c looks them up. */
enum {
	CUE_POSSIBLE, CUE_PLANNED, CUE_NEGATED, CUE_GENERIC, CUE_CHARGE,
	CUE_COUNTERFACTUAL, CUE_SPEECH, CUE_AUTHORITY, CUE_POSSIBLE_AFTER,
	CUE_PRESENT, CUE_ANAPHOR, CUE_ONGOING, CUE_NEW_ACT, CUE_ADVOCACY, CUE_GENERIC_SENTENCE,
	CUE_CONDITIONAL_AFTER, CUE_SUBSET, CUE_KIND_OF, CUE_N
};

struct cb_extractor {
	cb_ruleset *triggers; /* label: event type */
	cb_ruleset *cues;     /* label: cue kind */
	cb_ruleset *actors;   /* labels: role, kind */
	/* The actor rules as one search a sentence: [0] all of them (for
	 * trafficking and abuse), [1] without the perpetrators (the rest);
	 * actor_rule[u][line] the rule a matching line is of */
	void *actor_union[2];
	unsigned char actor_rule[2][64];
	const void *cue[CUE_N];
	cb_gazetteer *gaz;    /* NULL when the gazetteer failed to load */
	char **stems;         /* per trigger rule: NUL-separated stems, or NULL (no filter) */
	unsigned char *rule_kind; /* per trigger rule: its RULE_ kind (extract.c) or 0 */
	uint32_t (*ac_go)[27]; /* the stems' automaton (extract.c): transitions */
	uint32_t *ac_out;      /* per state: the rules whose stems end there */
	uint32_t ac_always;    /* rules without stems */
	char *capitals;        /* data/rules/capitals.tsv: NUL-separated, "" last */
};

/* One proposed event while a document is being read. */
typedef struct cb_event {
	const char *type;
	const char *modality;       /* "actual", "planned", "possible" */
	size_t sent_start, sent_end; /* evidence: the sentence, bytes */
	size_t trig_start, trig_end;
	size_t clause;               /* where the trigger's clause starts (clause_start) */
	size_t ev_start, ev_end;     /* the evidence when it is a clause of the sentence
					(one of several acts of a type); ev_end 0 when not */
	/* date */
	int has_date;
	char date_from[11], date_to[11];
	const char *precision;
	size_t date_start, date_end;
	/* place */
	const char *country, *admin1, *place;
	size_t place_start, place_end; /* 0,0 when inferred */
	/* actor */
	const char *actor_role, *actor_kind;
	size_t actor_start, actor_end;
	/* victims */
	long vmin, vmax;
	char gender;
	char nat[3];
	size_t vic_start, vic_end;
	double sentence_years; /* < 0 when none */
	double years_lo;       /* the shortest term of a range told, else sentence_years */
	int new_act;           /* "also", "another": not a repeat of an earlier act */
	int subset;            /* "among those arrested": the count is of a part */
	int vstrong;           /* the count is a figure naming people, in its own sentence */
	int dead;              /* merged into another */
	int second;            /* a second act of its type, in a subordinate clause of its own
				  ("after one of them was caught"): dated only there */
} cb_event;

/* Finds the statistics of text (sentences sents) and writes each, an
 * object, into the array open in w. Failures are w's (see jsonw.h). */
int cb_stats_collect(cb_jw *w, const cb_extractor *x, cb_rx_ctx *cx, const char *text,
		     size_t len, const cb_sentence *sents, size_t nsent,
		     const unsigned char *skip, cb_error *err);

/* Code-point offset of byte pos in text (valid UTF-8). */
size_t cb_cp_at(const char *text, size_t pos);

#endif
