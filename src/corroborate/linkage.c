/*
 * linkage.c: who on these lists is the same person.
 *
 * 1. Blocking: each record gets a handful of keys (birth date with the
 *    family or the given initial; the first letters of given and family name; family name and birth year; postcode
 *    and initial; given name and town; id number; street and number), and
 *    records sharing a key become candidate pairs. Several passes keep
 *    recall high where one key has a typo; a key shared by too many records
 *    (a common family name and year) says little and is skipped.
 * 2. Each candidate pair is compared field by field in levels (compare.c).
 * 3. Fellegi-Sunter: each level of each field has a probability m among
 *    true matches and u among non-matches. u is that of two records drawn
 *    at random (exact agreement from value frequencies, partial from random
 *    pairs); m starts from the candidates that agree on every other field
 *    and is refined by EM, as is the prior chance that two random records
 *    match (fit_population: Splink's training, not fastLink's free EM over
 *    the candidates, which on a large list of common Korean names found
 *    "same family name" instead of "same person": precision 0.03 at a
 *    million records, 0.99 now). A pair's weight is log2 of its likelihood
 *    ratio, its posterior the probability of a match; the threshold is on
 *    the posterior (0.5: more likely a match than not), so it comes from
 *    the fitted model, not from a guess.
 * 4. Dedupe: pairs above the threshold join clusters, strongest first, and a
 *    cluster never grows past max_cluster records - the guard against
 *    chaining A~B~C~... through near neighbours. Link (two lists): a
 *    greedy one-to-one assignment, strongest first.
 */
#include "corroborate/corroborate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corroborate/compare.h"

#define NPASS 9
#define MAX_RUN 60 /* records sharing one key, beyond which the key is skipped */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

typedef struct bkey {
	uint64_t h;
	uint32_t rec;
} bkey;

static int bkey_cmp(const void *a, const void *b)
{
	const bkey *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h ? 1 : (x->rec > y->rec) - (x->rec < y->rec);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The blocking key of record r in pass k, or 0 if it has none. */
static uint64_t block_key(const cb_prec *r, int k)
{
	char b[96];
	const char *g = r->f[CB_PF_GIVEN], *f = r->f[CB_PF_FAMILY];
	switch (k) {
	case 0: /* a birth date alone is shared by dozens in a large list */
		if (!r->f[CB_PF_BIRTH] || strlen(r->f[CB_PF_BIRTH]) < 8)
			return 0;
		snprintf(b, sizeof b, "B%s|%.1s", r->f[CB_PF_BIRTH], f ? f : "");
		break;
	case 8: { /* the two names in either order: "Kim Chol" and "Chol Kim"
		   (the given name read as a family name too, for its romanisation) */
		const char *gk = r->given_as_family;
		if (!gk || !f)
			return 0;
		snprintf(b, sizeof b, "W%.40s|%.40s", strcmp(gk, f) < 0 ? gk : f, strcmp(gk, f) < 0 ? f : gk);
		break;
	}
	case 7:
		if (!r->f[CB_PF_BIRTH] || strlen(r->f[CB_PF_BIRTH]) < 8 || !g)
			return 0;
		snprintf(b, sizeof b, "C%s|%.1s", r->f[CB_PF_BIRTH], g);
		break;
	case 1:
		if (!g || !f)
			return 0;
		snprintf(b, sizeof b, "N%.3s|%.3s", g, f);
		break;
	case 2:
		if (!f || !r->birth_year)
			return 0;
		snprintf(b, sizeof b, "F%s|%d", f, r->birth_year);
		break;
	case 3:
		if (!g)
			return 0;
		if (r->f[CB_PF_POSTCODE])
			snprintf(b, sizeof b, "P%s|%.1s", r->f[CB_PF_POSTCODE], g);
		else if (r->f[CB_PF_TOWN])
			snprintf(b, sizeof b, "T%.4s|%.1s|%d", r->f[CB_PF_TOWN], g, r->birth_year / 10);
		else
			return 0;
		break;
	case 4:
		if (!g || !r->f[CB_PF_TOWN])
			return 0;
		snprintf(b, sizeof b, "G%s|%.3s", g, r->f[CB_PF_TOWN]);
		break;
	case 5:
		if (!r->f[CB_PF_IDNUM])
			return 0;
		snprintf(b, sizeof b, "I%s", r->f[CB_PF_IDNUM]);
		break;
	case 6:
		if (!r->f[CB_PF_STREET] || !r->f[CB_PF_NUMBER])
			return 0;
		snprintf(b, sizeof b, "S%.6s|%s", r->f[CB_PF_STREET], r->f[CB_PF_NUMBER]);
		break;
	default:
		return 0;
	}
	uint64_t h = fnv(b, 0xcbf29ce484222325ULL);
	return h ? h : 1;
}

/* Candidate pairs as sorted, unique (a << 32 | b) with a < b. */
static int candidates(uint64_t **out, size_t *n, const cb_plist *l, int link_only, size_t per_pass[12],
		      cb_error *err)
{
	bkey *keys = malloc(l->n * sizeof *keys);
	uint64_t *pairs = NULL;
	size_t np = 0, cap = 0;
	if (!keys)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (int k = 0; k < NPASS; k++) {
		size_t nk = 0, before = np;
		for (size_t i = 0; i < l->n; i++) {
			uint64_t h = block_key(&l->v[i], k);
			if (h)
				keys[nk++] = (bkey){h, (uint32_t)i};
		}
		qsort(keys, nk, sizeof *keys, bkey_cmp);
		for (size_t i = 0; i < nk;) {
			size_t j = i;
			while (j < nk && keys[j].h == keys[i].h)
				j++;
			if (j - i <= MAX_RUN)
				for (size_t a = i; a < j; a++)
					for (size_t b = a + 1; b < j; b++) {
						uint32_t x = keys[a].rec, y = keys[b].rec;
						if (link_only && l->v[x].list == l->v[y].list)
							continue;
						if (np == cap) {
							size_t nc = cap ? cap * 2 : 1 << 16;
							uint64_t *nv = realloc(pairs, nc * sizeof *nv);
							if (!nv) {
								free(keys);
								free(pairs);
								return cb_fail(err, CB_ENOMEM, "out of memory");
							}
							pairs = nv;
							cap = nc;
						}
						pairs[np++] = x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
					}
			i = j;
		}
		per_pass[k] = np - before;
	}
	/* every pass's pairs, once */
	qsort(pairs, np, sizeof *pairs, u64_cmp);
	{
		size_t u = 0;
		for (size_t i = 0; i < np; i++)
			if (!u || pairs[i] != pairs[u - 1])
				pairs[u++] = pairs[i];
		np = u;
	}
	free(keys);
	*out = pairs;
	*n = np;
	return CB_OK;
}

static uint32_t pack(const uint8_t lv[CB_PF_N])
{
	uint32_t p = 0;
	for (int f = 0; f < CB_PF_N; f++)
		p |= (uint32_t)lv[f] << (2 * f);
	return p;
}

static int level_of(uint32_t pat, int f)
{
	return (int)(pat >> (2 * f)) & 3;
}

/* A pattern and how many candidate pairs have it. */
typedef struct pat_count {
	uint32_t pat;
	size_t n;
	double prob, weight;
} pat_count;

static int pat_cmp(const void *a, const void *b)
{
	uint32_t x = ((const pat_count *)a)->pat, y = ((const pat_count *)b)->pat;
	return (x > y) - (x < y);
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int pair_weight_desc(const void *a, const void *b)
{
	float x = ((const cb_pair *)a)->weight, y = ((const cb_pair *)b)->weight;
	return (x < y) - (x > y);
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Whether merging clusters a and b would put a split pair together. */
static int split_between(uint32_t *parent, const cb_link_opts *o, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < o->nsplit; i++) {
		uint32_t x = find(parent, o->split[i][0]), y = find(parent, o->split[i][1]);
		if ((x == a && y == b) || (x == b && y == a))
			return 1;
	}
	return 0;
}

/* ---- the model fitted to the population -------------------------------- */

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* u of full agreement on field f: the chance that two records drawn at
 * random hold the same value, from the values' frequencies (exact, where
 * a sample of pairs sees common names only). -1 if f is never given. */
static double u_agree_exact(const cb_plist *l, int f)
{
	const char **v = malloc(l->n * sizeof *v);
	size_t n = 0;
	double same = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].f[f])
			v[n++] = l->v[i].f[f];
	if (n < 2) {
		free(v);
		return -1;
	}
	qsort(v, n, sizeof *v, str_ptr_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(v[j], v[i]))
			j++;
		same += (double)(j - i) * (double)(j - i - 1);
		i = j;
	}
	free(v);
	return same / ((double)n * (double)(n - 1));
}

/* Fellegi-Sunter fitted to the population rather than to the candidates:
 *  - u: how often two records drawn at random agree - exact agreement from
 *    value frequencies, partial agreement from random pairs (the caller's
 *    sample in out->u);
 *  - m of each field from the candidate pairs that agree on every other
 *    field given (at least two): such pairs are the same person nearly
 *    always, and were not chosen for this field's agreement, so its
 *    levels among them are its levels among matches;
 *  - the prior: the chance that two records drawn at random match, by EM
 *    with m and u held (one parameter: it cannot wander off to "same
 *    family name", which a blocked sample makes common).
 * Blocking only chooses which pairs to score; each pair is then weighed as
 * if drawn at random, so the candidates' skew does not enter the model. */
static void fit_population(cb_links *out, pat_count *pc, size_t npc, const cb_plist *l,
			   int link_only, int iters)
{
	double total_pairs, lambda;
	size_t per_list[2] = {0, 0};

	for (int f = 0; f < CB_PF_N; f++) {
		double ua = u_agree_exact(l, f);
		if (ua < 0)
			continue;
		if (ua < 1e-9)
			ua = 1e-9;
		out->u[f][2] = ua;
		if (out->u[f][1] > 1 - ua - 1e-9)
			out->u[f][1] = (1 - ua) / 2;
		out->u[f][0] = 1 - ua - out->u[f][1];
	}
	for (int f = 0; f < CB_PF_N; f++) {
		double c[3] = {0, 0, 0};
		for (int strict = 1; strict >= 0; strict--) {
			c[0] = c[1] = c[2] = 0;
			for (size_t i = 0; i < npc; i++) {
				int v = level_of(pc[i].pat, f), others = 0, agree = 0;
				if (v >= 3)
					continue;
				for (int g = 0; g < CB_PF_N; g++) {
					int w = level_of(pc[i].pat, g);
					if (g == f || w >= 3)
						continue;
					others++;
					agree += w == 2;
				}
				if (agree >= 2 && agree >= others - (strict ? 0 : 1))
					c[v] += (double)pc[i].n;
			}
			if (c[0] + c[1] + c[2] >= 30)
				break;
		}
		if (c[0] + c[1] + c[2] >= 30) {
			double t = c[0] + c[1] + c[2] + 3e-2;
			for (int v = 0; v < 3; v++)
				out->m[f][v] = (c[v] + 1e-2) / t;
		}
		/* the same person agrees at least as often as two strangers */
		if (out->m[f][2] < out->u[f][2]) {
			out->m[f][2] = out->u[f][2];
			out->m[f][0] = (1 - out->m[f][2]) / 2;
			out->m[f][1] = (1 - out->m[f][2]) / 2;
		}
	}
	for (size_t i = 0; i < l->n; i++)
		per_list[l->v[i].list ? 1 : 0]++;
	total_pairs = link_only ? (double)per_list[0] * (double)per_list[1]
				: (double)l->n * (double)(l->n - 1) / 2;
	lambda = 1.0 / total_pairs;
	/* Rounds: the prior by EM with m held; then m once more from every
	 * candidate weighed by its posterior (the leave-one-out start lets in
	 * the strangers who agree on all other fields by chance). */
	for (int round = 0; round < 3; round++) {
		double am[CB_PF_N][3] = {{0}};
		for (size_t i = 0; i < npc; i++) {
			double lm = 0, lu = 0;
			for (int f = 0; f < CB_PF_N; f++) {
				int v = level_of(pc[i].pat, f);
				if (v < 3) {
					lm += log(out->m[f][v]);
					lu += log(out->u[f][v]);
				}
			}
			pc[i].weight = (lm - lu) / log(2.0);
		}
		for (int it = 0; it < iters; it++) {
			double expected = 0, logit0 = log(lambda / (1 - lambda));
			for (size_t i = 0; i < npc; i++)
				expected += (double)pc[i].n / (1 + exp(-(logit0 + pc[i].weight * log(2.0))));
			double next = expected / total_pairs;
			if (next < 1e-15)
				next = 1e-15;
			if (fabs(next - lambda) <= 1e-6 * lambda) {
				lambda = next;
				break;
			}
			lambda = next;
		}
		for (size_t i = 0; i < npc; i++) {
			pc[i].prob = 1 / (1 + exp(-(log(lambda / (1 - lambda)) + pc[i].weight * log(2.0))));
			for (int f = 0; f < CB_PF_N; f++) {
				int v = level_of(pc[i].pat, f);
				if (v < 3)
					am[f][v] += pc[i].prob * (double)pc[i].n;
			}
		}
		if (round == 2)
			break;
		for (int f = 0; f < CB_PF_N; f++) {
			double t = am[f][0] + am[f][1] + am[f][2];
			if (t < 30)
				continue;
			for (int v = 0; v < 3; v++)
				out->m[f][v] = (am[f][v] + 1e-2) / (t + 3e-2);
			if (out->m[f][2] < out->u[f][2]) {
				out->m[f][2] = out->u[f][2];
				out->m[f][0] = out->m[f][1] = (1 - out->m[f][2]) / 2;
			}
		}
	}
	out->p = lambda * total_pairs; /* expected matches, turned into a share below */
}

int cb_link(cb_links *out, const cb_plist *l, const cb_link_opts *o, cb_error *err)
{
	static const cb_link_opts defaults = {0};
	uint64_t *cand = NULL, seed;
	uint32_t *pats = NULL, *parent = NULL, *size = NULL;
	pat_count *pc = NULL;
	size_t nc = 0, npc = 0;
	double t0, thr;
	int iters, maxc, rc = CB_OK;

	memset(out, 0, sizeof *out);
	if (!o)
		o = &defaults;
	thr = o->threshold > 0 ? o->threshold : 0.5;
	iters = o->em_iterations > 0 ? o->em_iterations : 30;
	maxc = o->max_cluster > 0 ? o->max_cluster : 10;
	seed = o->seed ? o->seed : 0x5eed;
	if (l->n < 2 || l->n > 0xfffffff0u)
		return cb_fail(err, CB_EINVAL, "linkage needs between 2 and 4e9 records, not %zu", l->n);

	/* 1. blocking */
	t0 = now();
	if ((rc = candidates(&cand, &nc, l, o->link_only, out->candidates_per_pass, err)) < 0)
		return rc;
	out->seconds_block = now() - t0;

	/* 2. comparison patterns */
	t0 = now();
	if (!(pats = malloc((nc ? nc : 1) * sizeof *pats))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		uint8_t lv[CB_PF_N];
		cb_compare(lv, &l->v[cand[i] >> 32], &l->v[(uint32_t)cand[i]]);
		pats[i] = pack(lv);
	}
	out->seconds_score = now() - t0;

	/* 3. u from random pairs, m and p by EM over the patterns */
	t0 = now();
	{
		double cnt[CB_PF_N][3] = {{0}};
		size_t samples = l->n * 4 < 400000 ? l->n * 4 : 400000;
		for (size_t s = 0; s < samples; s++) {
			uint32_t a = (uint32_t)(rnd(&seed) % l->n), b = (uint32_t)(rnd(&seed) % l->n);
			uint8_t lv[CB_PF_N];
			if (a == b || (o->link_only && l->v[a].list == l->v[b].list))
				continue;
			cb_compare(lv, &l->v[a], &l->v[b]);
			for (int f = 0; f < CB_PF_N; f++)
				if (lv[f] < 3)
					cnt[f][lv[f]] += 1;
		}
		for (int f = 0; f < CB_PF_N; f++) {
			double tot = cnt[f][0] + cnt[f][1] + cnt[f][2] + 3e-3;
			for (int v = 0; v < 3; v++)
				out->u[f][v] = (cnt[f][v] + 1e-3) / tot;
			out->m[f][0] = 0.05, out->m[f][1] = 0.15, out->m[f][2] = 0.80;
		}
	}
	/* the distinct patterns and their counts: a pattern is 2 bits a field,
	 * so a direct table of 4^CB_PF_N counters finds them in one pass */
	{
		size_t *tab = calloc((size_t)1 << (2 * CB_PF_N), sizeof *tab);
		if (!tab) {
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < nc; i++)
			tab[pats[i]]++;
		for (size_t v = 0; v < (size_t)1 << (2 * CB_PF_N); v++)
			npc += tab[v] != 0;
		if (!(pc = calloc(npc ? npc : 1, sizeof *pc))) {
			free(tab);
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		npc = 0;
		for (size_t v = 0; v < (size_t)1 << (2 * CB_PF_N); v++)
			if (tab[v])
				pc[npc].pat = (uint32_t)v, pc[npc++].n = tab[v];
		free(tab);
	}
	fit_population(out, pc, npc, l, o->link_only, iters);
	out->p = nc ? out->p / (double)nc : 0;
	out->seconds_em = now() - t0;

	/* scored pairs */
	if (!(out->pairs = malloc((nc ? nc : 1) * sizeof *out->pairs))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		pat_count key = {.pat = pats[i]};
		pat_count *hit = bsearch(&key, pc, npc, sizeof *pc, pat_cmp);
		out->pairs[i] = (cb_pair){(uint32_t)(cand[i] >> 32), (uint32_t)cand[i],
					  hit ? (float)hit->prob : 0, hit ? (float)hit->weight : 0};
	}
	out->npairs = nc;

	/* 4. clusters or one-to-one links */
	t0 = now();
	{
		size_t nm = 0;
		cb_pair *m = malloc((nc + o->nconfirmed + 1) * sizeof *m);
		parent = malloc(l->n * sizeof *parent);
		size = malloc(l->n * sizeof *size);
		out->cluster = malloc(l->n * sizeof *out->cluster);
		if (!m || !parent || !size || !out->cluster) {
			free(m);
			rc = cb_fail(err, CB_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < nc; i++)
			if (out->pairs[i].prob >= thr)
				m[nm++] = out->pairs[i];
		qsort(m, nm, sizeof *m, pair_weight_desc);
		for (size_t i = 0; i < l->n; i++)
			parent[i] = (uint32_t)i, size[i] = 1;
		size_t kept = 0;
		/* A researcher's confirmed pairs come first and past the guard:
		 * they are known, not inferred. */
		size_t nconf = 0;
		for (size_t i = 0; !o->link_only && i < o->nconfirmed; i++)
			nconf += o->confirmed[i][0] < l->n && o->confirmed[i][1] < l->n &&
				 o->confirmed[i][0] != o->confirmed[i][1];
		memmove(m + nconf, m, nm * sizeof *m);
		nm += nconf;
		for (size_t i = 0; nconf && i < o->nconfirmed; i++) {
			uint32_t x = o->confirmed[i][0], y = o->confirmed[i][1], a, b;
			if (x >= l->n || y >= l->n || x == y)
				continue;
			a = find(parent, x);
			b = find(parent, y);
			if (a != b) {
				parent[a < b ? b : a] = a < b ? a : b;
				size[a < b ? a : b] += size[a < b ? b : a];
			}
			m[kept++] = (cb_pair){x < y ? x : y, x < y ? y : x, 1.0f, 0.0f};
		}
		for (size_t i = kept; i < nm; i++) {
			uint32_t a = find(parent, m[i].a), b = find(parent, m[i].b);
			if (!o->link_only && a != b && split_between(parent, o, a, b))
				continue;
			if (o->link_only) {
				/* one-to-one: each record links at most once */
				if (size[a] > 1 || size[b] > 1)
					continue;
			} else if (a == b) {
				m[kept++] = m[i];
				continue;
			} else if (size[a] + size[b] > (uint32_t)maxc) {
				continue;
			}
			if (a < b) {
				parent[b] = a;
				size[a] += size[b];
			} else {
				parent[a] = b;
				size[b] += size[a];
			}
			m[kept++] = m[i];
		}
		for (size_t i = 0; i < l->n; i++)
			out->cluster[i] = find(parent, (uint32_t)i);
		out->matches = m;
		out->nmatches = kept;
	}
	out->seconds_cluster = now() - t0;
done:
	free(cand);
	free(pats);
	free(pc);
	free(parent);
	free(size);
	if (rc < 0)
		cb_links_free(out);
	return rc;
}

void cb_links_free(cb_links *k)
{
	free(k->pairs);
	free(k->cluster);
	free(k->matches);
	memset(k, 0, sizeof *k);
}

/* FEBRL's entity: N of "rec-N-org" / "rec-N-dup-J"; -1 if not that form. */
static long entity_of(const char *id)
{
	const char *p = id ? strstr(id, "rec-") : NULL;
	char *end;
	long n;
	if (!p)
		return -1;
	n = strtol(p + 4, &end, 10);
	return end == p + 4 ? -1 : n;
}

typedef struct ent_rec {
	long cluster, entity;
} ent_rec;

static int er_cmp(const void *a, const void *b)
{
	const ent_rec *x = a, *y = b;
	if (x->cluster != y->cluster)
		return (x->cluster > y->cluster) - (x->cluster < y->cluster);
	return (x->entity > y->entity) - (x->entity < y->entity);
}

static int long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int cb_link_evaluate(cb_link_eval *out, const cb_plist *l, const cb_links *k, int link_only,
		     cb_error *err)
{
	memset(out, 0, sizeof *out);
	long *ents = malloc(l->n * sizeof *ents);
	if (!ents)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	for (size_t i = 0; i < l->n; i++)
		if ((ents[i] = entity_of(l->v[i].id)) < 0) {
			free(ents);
			return cb_fail(err, CB_EINVAL, "record id '%s' does not name its entity (rec-N-...)",
				       l->v[i].id);
		}
	if (link_only) {
		/* true pairs: an entity in list 0 and list 1 */
		long *a = malloc(l->n * sizeof *a);
		size_t na = 0;
		for (size_t i = 0; a && i < l->n; i++)
			if (l->v[i].list == 0)
				a[na++] = ents[i];
		qsort(a, na, sizeof *a, long_cmp);
		for (size_t i = 0; a && i < l->n; i++)
			if (l->v[i].list == 1 && bsearch(&ents[i], a, na, sizeof *a, long_cmp))
				out->true_pairs++;
		free(a);
		out->predicted = k->nmatches;
		for (size_t i = 0; i < k->nmatches; i++)
			if (ents[k->matches[i].a] == ents[k->matches[i].b])
				out->correct++;
	} else {
		ent_rec *er = malloc(l->n * sizeof *er);
		long *e2 = malloc(l->n * sizeof *e2);
		if (!er || !e2) {
			free(er);
			free(e2);
			free(ents);
			return cb_fail(err, CB_ENOMEM, "out of memory");
		}
		memcpy(e2, ents, l->n * sizeof *e2);
		qsort(e2, l->n, sizeof *e2, long_cmp);
		for (size_t i = 0; i < l->n;) {
			size_t j = i;
			while (j < l->n && e2[j] == e2[i])
				j++;
			out->true_pairs += (j - i) * (j - i - 1) / 2;
			i = j;
		}
		for (size_t i = 0; i < l->n; i++)
			er[i] = (ent_rec){k->cluster[i], ents[i]};
		qsort(er, l->n, sizeof *er, er_cmp);
		for (size_t i = 0; i < l->n;) {
			size_t j = i;
			while (j < l->n && er[j].cluster == er[i].cluster)
				j++;
			out->predicted += (j - i) * (j - i - 1) / 2;
			for (size_t a = i; a < j;) {
				size_t b = a;
				while (b < j && er[b].entity == er[a].entity)
					b++;
				out->correct += (b - a) * (b - a - 1) / 2;
				a = b;
			}
			i = j;
		}
		free(er);
		free(e2);
	}
	free(ents);
	out->precision = out->predicted ? (double)out->correct / out->predicted : 0;
	out->recall = out->true_pairs ? (double)out->correct / out->true_pairs : 0;
	out->f1 = out->precision + out->recall > 0
			  ? 2 * out->precision * out->recall / (out->precision + out->recall)
			  : 0;
	return CB_OK;
}
