/*
 * corroborate.h: linking the people of several lists - the same person on
 * one group's testimonies, another's case files and a news count - so that
 * the count stage can estimate how many no list recorded (count/).
 *
 *   records.c   lists of people from CSV, fields normalised for comparison
 *               (case, diacritics, Korean romanisations, joined given names)
 *   compare.c   Jaro-Winkler and the field comparisons, in levels
 *   linkage.c   blocking, Fellegi-Sunter weights with m and u fitted by EM,
 *               clusters with a guard against chaining, one-to-one links
 *   pprl.c      privacy-preserving linkage: cryptographic long-term keys
 *               (Bloom filters under a keyed BLAKE2b) and Dice matching
 *
 * Ownership: a cb_plist owns its records and every string in them
 * (cb_plist_free); a cb_links owns its arrays (cb_links_free).
 */
#ifndef CB_CORROBORATE_H
#define CB_CORROBORATE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The fields a list may give for a person. */
enum cb_pfield {
	CB_PF_GIVEN, CB_PF_FAMILY, CB_PF_BIRTH, CB_PF_AGE, CB_PF_TOWN, CB_PF_SEX,
	CB_PF_POSTCODE, CB_PF_STREET, CB_PF_NUMBER, CB_PF_STATE, CB_PF_IDNUM, CB_PF_N
};

/* The names used in --map (given=COL,...), in enum order. */
extern const char *const cb_pfield_names[CB_PF_N];

typedef struct cb_prec {
	char *f[CB_PF_N];   /* normalised; NULL when missing */
	char *id;           /* the row's own id (--map id=COL), else its row number */
	int list;           /* which list it came from (0, 1, ...) */
	int birth_year;     /* from birth, else from age and the list's year; 0 unknown */
	char *given_as_family; /* the given name's key read as a family name (Kim =
				* Gim), for names written the other way round */
} cb_prec;

typedef struct cb_plist {
	cb_prec *v;
	size_t n, cap;
} cb_plist;

/* Reads a CSV list (header row; map "given=COL,family=COL,..." names the
 * columns, "id=COL" the record id) and appends its rows to out as list
 * number `list`. Values are normalised (records.c). A bad file, an
 * unknown column or invalid UTF-8 is an error naming the file and line. */
int cb_plist_read_csv(cb_plist *out, const char *path, const char *map, int list,
		      cb_error *err);
void cb_plist_free(cb_plist *l);

/* Appends one record (values as given, any of them NULL; normalised here)
 * as list number `list` with a copy of id. ref_year is the year ages were
 * recorded (0 = this year). */
int cb_plist_add(cb_plist *out, int list, const char *id, const char *const vals[CB_PF_N],
		 int ref_year, cb_error *err);

/* Normalises a name for comparison into out (at most n bytes with the
 * NUL): lower case, no diacritics, no spaces, hyphens or apostrophes
 * ("Mi-young" = "Mi Young" = "miyoung"), and for family names the
 * romanisation variants mapped to one form (Choi/Choe/Chwe -> choe). */
void cb_name_key(char *out, size_t n, const char *name, int family);

/* Jaro-Winkler similarity of two strings, 0..1. */
double cb_jaro_winkler(const char *a, const char *b);

/* ---- linkage ------------------------------------------------------------ */

typedef struct cb_link_opts {
	int link_only;       /* pairs across lists only (two lists); else dedupe */
	int max_cluster;     /* the guard against chaining: clusters grow no larger (0 = 10) */
	double threshold;    /* posterior match probability; 0 = 0.5 */
	int em_iterations;   /* 0 = 30 */
	uint64_t seed;
	/* A researcher's decisions (dedupe only), as record index pairs:
	 * confirmed pairs are always in one cluster; split pairs are never
	 * put together by the model (they can still meet through confirmed
	 * pairs). Borrowed. */
	const uint32_t (*confirmed)[2];
	size_t nconfirmed;
	const uint32_t (*split)[2];
	size_t nsplit;
} cb_link_opts;

typedef struct cb_pair {
	uint32_t a, b;       /* record indexes, a < b */
	float prob;          /* posterior match probability */
	float weight;        /* log2 likelihood ratio */
} cb_pair;

typedef struct cb_links {
	cb_pair *pairs;      /* candidate pairs with their scores */
	size_t npairs;
	uint32_t *cluster;   /* per record: its cluster (the smallest record index in it) */
	cb_pair *matches;    /* the accepted links: in clusters (dedupe) or one-to-one (link) */
	size_t nmatches;
	double p;            /* fitted share of matches among candidates */
	double m[CB_PF_N][3], u[CB_PF_N][3];
	size_t candidates_per_pass[12];
	double seconds_block, seconds_score, seconds_em, seconds_cluster;
} cb_links;

int cb_link(cb_links *out, const cb_plist *l, const cb_link_opts *o, cb_error *err);
void cb_links_free(cb_links *k);

/* Precision, recall and F1 of the accepted links against the truth given
 * by the record ids: FEBRL's "rec-N-org" / "rec-N-dup-J" name entity N.
 * dedupe: every pair within a predicted cluster against every pair within
 * an entity; link: the accepted pairs. */
typedef struct cb_link_eval {
	size_t true_pairs, predicted, correct;
	double precision, recall, f1;
} cb_link_eval;
int cb_link_evaluate(cb_link_eval *out, const cb_plist *l, const cb_links *k, int link_only,
		     cb_error *err);

/* ---- privacy-preserving linkage ---------------------------------------- */

#define CB_CLK_BITS 1024
#define CB_CLK_WORDS (CB_CLK_BITS / 64)

typedef struct cb_clk {
	uint64_t bits[CB_CLK_WORDS];
	int popcount;
	char *id;
} cb_clk;

typedef struct cb_clks {
	cb_clk *v;
	size_t n;
	int k;            /* hash functions per token (the base; names and birth x2) */
	int folded;       /* XOR-folded to 512 bits */
} cb_clks;

/* Encodes a list with a secret key (32 bytes or more): each record a
 * 1024-bit Bloom filter of its given and family name bigrams, birth date
 * digits by position, town bigrams and the other fields given. The number
 * of hash functions is chosen so that about half the bits are set.
 * xor_fold folds each filter to 512 bits (hardening). */
int cb_clk_encode(cb_clks *out, const cb_plist *l, const unsigned char *key, size_t keylen,
		  int xor_fold, cb_error *err);
/* Writes / reads the .clk text form: a header line, then "id,hex" lines. */
int cb_clk_write(const cb_clks *c, const char *path, cb_error *err);
int cb_clk_read(cb_clks *out, const char *path, cb_error *err);
void cb_clks_free(cb_clks *c);

/* Dice coefficient of two encodings. */
double cb_clk_dice(const cb_clk *a, const cb_clk *b);

/* Links two encoded lists: every pair with Dice >= threshold, then a
 * greedy one-to-one assignment by descending Dice. *out (malloc'd) holds
 * the accepted pairs (a indexes in A, b in B). *compared counts Dice
 * computations. */
int cb_clk_link(cb_pair **out, size_t *n, const cb_clks *A, const cb_clks *B, double threshold,
		uint64_t *compared, cb_error *err);

#endif
