/* cmd_link.c: casebook link - who on these lists is the same person
 * (corroborate/corroborate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "corroborate/corroborate.h"

/* Lists linked at once from the store (capture patterns go to 16). */
#define CB_LINK_MAX_LISTS 16

static const char USAGE[] =
	"usage: casebook link LIST.csv [LIST2.csv] --map FIELD=COLUMN,... [--map2 ...]\n"
	"                     [--threshold P] [--max-cluster N] [--show] [--evaluate]\n"
	"                     [--format table|json]\n"
	"       casebook link --lists A,B,... [--threshold P] [--max-cluster N] [--show]\n"
	"       casebook link --confirm P-XXXXXXXX,P-YYYYYYYY | --split P-X...,P-Y...\n"
	"       casebook link --decisions\n"
	"   (the last three with [--store DIR] [--user NAME])\n"
	"\n"
	"--lists links the lists imported with 'casebook list-import' (owners and\n"
	"editors: it opens their identities) and saves the clusters in the store,\n"
	"for 'casebook estimate --lists'. Everyone on them is compared with\n"
	"everyone, within and across lists. Uncertain pairs (--show) are named by\n"
	"pseudonym: --confirm records that two persons are one, --split that they\n"
	"are not; each decision is logged and holds in every later run (a confirmed\n"
	"pair is always joined, a split pair is never joined by the model). Run\n"
	"--lists again after deciding.\n"
	"\n"
	"Finds the people who appear more than once: within one list (dedupe), or\n"
	"across two lists (link, one-to-one). --map names the columns of the CSV:\n"
	"  given, family, birth (YYYYMMDD, YYYY-MM-DD or YYYY), age, town, sex,\n"
	"  postcode, street, number, state, idnum, and id (the row's own id).\n"
	"--map2 does the same for the second list (default: as --map).\n"
	"\n"
	"Names are compared after folding case and diacritics, joining given names\n"
	"(Mi-young = Mi Young = Miyoung), mapping romanisations of Korean family\n"
	"names to one form (Choi/Choe, Lee/Yi/Ri, Park/Pak/Bak, Kim/Gim) and trying\n"
	"given and family names swapped; birth dates agree in part when the year and\n"
	"month or day do; an age gives a birth year. Candidate pairs come from\n"
	"several blocking keys; each field's agreement is weighed by Fellegi-Sunter\n"
	"with m and u fitted by EM; a pair links when its posterior probability\n"
	"reaches --threshold (default 0.5). Clusters never grow past --max-cluster\n"
	"records (default 10), so that near neighbours do not chain.\n"
	"\n"
	"  --show       list the uncertain pairs (probability 0.2 to 0.8) for a\n"
	"               person to confirm or split\n"
	"  --evaluate   precision, recall and F1 against ids of the form\n"
	"               rec-N-org / rec-N-dup-J (the FEBRL benchmark files)\n"
	"\n"
	"example:\n"
	"  casebook link febrl_dataset4a.csv febrl_dataset4b.csv --evaluate \\\n"
	"    --map id=rec_id,given=given_name,family=surname,birth=date_of_birth,town=suburb,\\\n"
	"postcode=postcode,street=address_1,number=street_number,state=state,idnum=soc_sec_id\n";

static void print_rec(const cb_prec *r)
{
	printf("  %-22s", r->id);
	for (int f = 0; f < CB_PF_N; f++)
		if (r->f[f])
			printf(" %s=%s", cb_pfield_names[f], r->f[f]);
	printf("\n");
}

/* How many clusters, and how many of them hold more than one record. */
static void count_clusters(const cb_links *k, size_t n, size_t *clusters, size_t *multi)
{
	uint32_t *sz = calloc(n ? n : 1, sizeof *sz);
	*clusters = *multi = 0;
	for (size_t i = 0; sz && i < n; i++)
		sz[k->cluster[i]]++;
	for (size_t i = 0; sz && i < n; i++) {
		*clusters += sz[i] > 0;
		*multi += sz[i] > 1;
	}
	free(sz);
}

/* ---- lists kept in the store ------------------------------------------- */

typedef struct rows_ctx {
	cb_plist *l;
	const int *years;
} rows_ctx;

static int add_row(void *ctx, size_t list, const char *pseudonym, json_t *ident, cb_error *err)
{
	rows_ctx *c = ctx;
	const char *vals[CB_PF_N] = {0};
	vals[CB_PF_GIVEN] = json_string_value(json_object_get(ident, "given_name"));
	vals[CB_PF_FAMILY] = json_string_value(json_object_get(ident, "family_name"));
	vals[CB_PF_BIRTH] = json_string_value(json_object_get(ident, "birth_date"));
	vals[CB_PF_AGE] = json_string_value(json_object_get(ident, "age"));
	vals[CB_PF_TOWN] = json_string_value(json_object_get(ident, "home_town"));
	vals[CB_PF_SEX] = json_string_value(json_object_get(ident, "sex"));
	return cb_plist_add(c->l, (int)list, pseudonym, vals, c->years[list], err);
}

/* Records by id (a pseudonym), for finding the pairs of decisions. */
typedef struct id_index {
	const char *id;
	uint32_t rec;
} id_index;

static int by_id(const void *a, const void *b)
{
	return strcmp(((const id_index *)a)->id, ((const id_index *)b)->id);
}

static long find_id(const id_index *order, size_t n, const char *id)
{
	id_index key = {id ? id : "", 0};
	const id_index *hit = bsearch(&key, order, n, sizeof *order, by_id);
	return hit ? (long)hit->rec : -1;
}

static int link_store_lists(const char *dir, const char *user, const char *spec, cb_link_opts *o,
			    int show, int fmt)
{
	const char *names[CB_LINK_MAX_LISTS + 1];
	int years[CB_LINK_MAX_LISTS] = {0};
	size_t nl, per_list[CB_LINK_MAX_LISTS] = {0}, nconf = 0, nsplit = 0, multi = 0, clusters = 0;
	char *buf = NULL;
	cb_store *st = NULL;
	cb_error err = CB_ERROR_INIT;
	cb_plist l = {0};
	cb_links k = {0};
	json_t *lists = NULL, *dec = NULL, *v;
	id_index *order = NULL;
	uint32_t (*conf)[2] = NULL, (*split)[2] = NULL;
	size_t *cluster = NULL;
	const char **ids = NULL;
	int status = 1;
	size_t i;

	nl = cli_split_names(&buf, names, CB_LINK_MAX_LISTS, spec);
	if (nl < 1 || nl > CB_LINK_MAX_LISTS) {
		free(buf);
		return cli_usage_error("link", "--lists takes 1 to %d list names, comma-separated",
				       CB_LINK_MAX_LISTS);
	}
	for (i = 0; i < nl; i++)
		if (!cb_list_name_valid(names[i])) {
			free(buf);
			return cli_usage_error("link", "--lists: '%s' is not a list name", names[i]);
		}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		goto done;
	status = 1;
	if (cb_store_lists(st, &lists, &err) < 0)
		goto fail;
	json_array_foreach(lists, i, v)
		for (size_t j = 0; j < nl; j++)
			if (!strcmp(json_string_value(json_object_get(v, "name")), names[j]))
				years[j] = (int)json_integer_value(json_object_get(v, "year"));
	{
		rows_ctx rc = {&l, years};
		if (cb_store_list_rows(st, names, nl, add_row, &rc, &err) < 0)
			goto fail;
	}
	for (i = 0; i < l.n; i++)
		per_list[l.v[i].list]++;
	/* the researchers' decisions, as record pairs */
	if (cb_store_link_decisions(st, &dec, &err) < 0)
		goto fail;
	order = malloc((l.n ? l.n : 1) * sizeof *order);
	conf = malloc((json_array_size(dec) + 1) * sizeof *conf);
	split = malloc((json_array_size(dec) + 1) * sizeof *split);
	if (!order || !conf || !split) {
		cb_fail(&err, CB_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < l.n; i++)
		order[i] = (id_index){l.v[i].id, (uint32_t)i};
	qsort(order, l.n, sizeof *order, by_id);
	json_array_foreach(dec, i, v) {
		long a = find_id(order, l.n, json_string_value(json_object_get(v, "a"))),
		     b = find_id(order, l.n, json_string_value(json_object_get(v, "b")));
		if (a < 0 || b < 0)
			continue; /* a person on none of these lists */
		if (!strcmp(json_string_value(json_object_get(v, "decision")), "confirmed")) {
			conf[nconf][0] = (uint32_t)a;
			conf[nconf++][1] = (uint32_t)b;
		} else {
			split[nsplit][0] = (uint32_t)a;
			split[nsplit++][1] = (uint32_t)b;
		}
	}
	o->link_only = 0;
	o->confirmed = (const uint32_t(*)[2])conf;
	o->nconfirmed = nconf;
	o->split = (const uint32_t(*)[2])split;
	o->nsplit = nsplit;
	if (cb_link(&k, &l, o, &err) < 0)
		goto fail;
	cluster = malloc((l.n ? l.n : 1) * sizeof *cluster);
	ids = malloc((l.n ? l.n : 1) * sizeof *ids);
	if (!cluster || !ids) {
		cb_fail(&err, CB_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < l.n; i++) {
		cluster[i] = k.cluster[i];
		ids[i] = l.v[i].id;
	}
	count_clusters(&k, l.n, &clusters, &multi);
	if (cb_store_save_linkage(st, names, nl, ids, cluster, l.n,
				  o->threshold > 0 ? o->threshold : 0.5, k.nmatches, &err) < 0)
		goto fail;
	if (fmt == 1) {
		json_t *out = json_pack("{s:[], s:I, s:I, s:I, s:I, s:I, s:f, s:{s:I, s:I}}", "lists",
					"persons", (json_int_t)l.n, "candidate_pairs", (json_int_t)k.npairs,
					"links", (json_int_t)k.nmatches, "clusters", (json_int_t)clusters,
					"clusters_with_more_than_one", (json_int_t)multi, "match_share", k.p,
					"decisions_applied", "confirmed", (json_int_t)nconf, "split",
					(json_int_t)nsplit);
		json_t *arr = json_object_get(out, "lists"), *unc = json_array();
		for (size_t j = 0; j < nl; j++)
			json_array_append_new(arr, json_pack("{s:s, s:I}", "name", names[j], "persons",
							     (json_int_t)per_list[j]));
		for (i = 0; show && i < k.npairs; i++)
			if (k.pairs[i].prob >= 0.2 && k.pairs[i].prob < 0.8)
				json_array_append_new(
					unc, json_pack("{s:s, s:s, s:s, s:s, s:f, s:b}", "a", l.v[k.pairs[i].a].id,
						       "a_list", names[l.v[k.pairs[i].a].list], "b",
						       l.v[k.pairs[i].b].id, "b_list", names[l.v[k.pairs[i].b].list],
						       "probability", (double)k.pairs[i].prob, "joined",
						       k.cluster[k.pairs[i].a] == k.cluster[k.pairs[i].b]));
		if (show)
			json_object_set_new(out, "uncertain_pairs", unc);
		else
			json_decref(unc);
		cli_print_json(out);
		json_decref(out);
	} else {
		printf("linked %zu persons on", l.n);
		for (size_t j = 0; j < nl; j++)
			printf("%s %s (%zu)", j ? "," : "", names[j], per_list[j]);
		printf(": %zu links, %zu clusters of which %zu hold more than one person\n", k.nmatches,
		       clusters, multi);
		if (nconf || nsplit)
			printf("researchers' decisions applied: %zu confirmed, %zu split\n", nconf, nsplit);
		printf("saved in the store; next: casebook estimate --lists %s\n", spec);
		if (show) {
			size_t shown = 0;
			printf("uncertain pairs (probability 0.2-0.8): confirm or split with\n"
			       "  casebook link --confirm A,B  |  casebook link --split A,B\n");
			for (i = 0; i < k.npairs && shown < 200; i++) {
				const cb_pair *p = &k.pairs[i];
				if (p->prob < 0.2 || p->prob >= 0.8)
					continue;
				printf("p=%.2f %s: %s (%s) ~ %s (%s)\n", p->prob,
				       k.cluster[p->a] == k.cluster[p->b] ? "joined" : "apart", l.v[p->a].id,
				       names[l.v[p->a].list], l.v[p->b].id, names[l.v[p->b].list]);
				print_rec(&l.v[p->a]);
				print_rec(&l.v[p->b]);
				shown++;
			}
			if (!shown)
				printf("  none\n");
		}
	}
	status = 0;
	goto done;
fail:
	status = cli_fail(&err);
done:
	cb_links_free(&k);
	cb_plist_free(&l);
	json_decref(lists);
	json_decref(dec);
	free(order);
	free(conf);
	free(split);
	free(cluster);
	free(ids);
	free(buf);
	if (st)
		cb_store_close(st);
	return status;
}

static int link_decide(const char *dir, const char *user, const char *decision, const char *pair)
{
	const char *names[3];
	char *buf = NULL;
	cb_store *st = NULL;
	cb_error err = CB_ERROR_INIT;
	int status;
	size_t n = cli_split_names(&buf, names, 3, pair);
	if (n != 2 || !cb_person_pseudonym_valid(names[0]) || !cb_person_pseudonym_valid(names[1])) {
		free(buf);
		return cli_usage_error("link", "--%s takes two pseudonyms: P-XXXXXXXX,P-YYYYYYYY",
				       !strcmp(decision, "split") ? "split" : "confirm");
	}
	if ((status = cli_open_store(&st, dir, user)) == 0) {
		if (cb_store_decide_link(st, names[0], names[1], decision, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s %s and %s: %s; run 'casebook link --lists ...' again to apply it\n",
			       !strcmp(decision, "split") ? "split" : "confirmed", names[0], names[1],
			       !strcmp(decision, "split") ? "not the same person" : "the same person");
		cb_store_close(st);
	}
	free(buf);
	return status;
}

static int link_decisions(const char *dir, const char *user, int fmt)
{
	cb_store *st = NULL;
	cb_error err = CB_ERROR_INIT;
	json_t *dec = NULL, *v;
	size_t i;
	int status;
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (cb_store_link_decisions(st, &dec, &err) < 0) {
		status = cli_fail(&err);
	} else if (fmt == 1) {
		cli_print_json(dec);
	} else {
		json_array_foreach(dec, i, v)
			printf("%-9s %s %s  by %s at %s\n",
			       json_string_value(json_object_get(v, "decision")),
			       json_string_value(json_object_get(v, "a")),
			       json_string_value(json_object_get(v, "b")),
			       json_string_value(json_object_get(v, "by")),
			       json_string_value(json_object_get(v, "at")));
		if (!json_array_size(dec))
			printf("no decisions yet\n");
	}
	json_decref(dec);
	cb_store_close(st);
	return status;
}

int cmd_link(int argc, char **argv)
{
	static const struct option opts[] = {
		{"map", required_argument, NULL, 'm'},
		{"map2", required_argument, NULL, 'M'},
		{"threshold", required_argument, NULL, 't'},
		{"max-cluster", required_argument, NULL, 'c'},
		{"show", no_argument, NULL, 's'},
		{"evaluate", no_argument, NULL, 'e'},
		{"format", required_argument, NULL, 'f'},
		{"lists", required_argument, NULL, 'L'},
		{"store", required_argument, NULL, 'S'},
		{"user", required_argument, NULL, 'u'},
		{"confirm", required_argument, NULL, 'C'},
		{"split", required_argument, NULL, 'X'},
		{"decisions", no_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *map = NULL, *map2 = NULL, *lists = NULL, *dir = NULL, *user = NULL;
	const char *decide = NULL, *pair = NULL;
	int decisions = 0;
	cb_link_opts o = {0};
	cb_error err = CB_ERROR_INIT;
	cb_plist l = {0};
	cb_links k = {0};
	int c, fmt = 0, show = 0, eval = 0, status = 0;
	char *end;

	while ((c = cli_getopt(argc, argv, ":m:M:t:c:sef:L:S:u:C:X:Dh", opts, "link")) != -1) {
		switch (c) {
		case 'm': map = optarg; break;
		case 'M': map2 = optarg; break;
		case 't':
			o.threshold = strtod(optarg, &end);
			if (*end || o.threshold <= 0 || o.threshold >= 1)
				return cli_usage_error("link", "--threshold must be between 0 and 1, not '%s'", optarg);
			break;
		case 'c':
			o.max_cluster = (int)strtol(optarg, &end, 10);
			if (*end || o.max_cluster < 2 || o.max_cluster > 100000)
				return cli_usage_error("link", "--max-cluster must be 2 or more, not '%s'", optarg);
			break;
		case 's': show = 1; break;
		case 'e': eval = 1; break;
		case 'f':
			if ((fmt = cli_choice("link", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'L': lists = optarg; break;
		case 'S': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'C':
		case 'X':
			if (decide)
				return cli_usage_error("link", "one --confirm or --split at a time");
			decide = c == 'C' ? "confirmed" : "split";
			pair = optarg;
			break;
		case 'D': decisions = 1; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (lists || decide || decisions) {
		if (optind < argc || map || map2 || eval)
			return cli_usage_error("link", "--lists, --confirm, --split and --decisions work on "
					       "the store's lists: no CSV files, --map or --evaluate");
		if (!!lists + !!decide + decisions > 1)
			return cli_usage_error("link", "one of --lists, --confirm/--split, --decisions");
		if (decide)
			return link_decide(dir, user, decide, pair);
		if (decisions)
			return link_decisions(dir, user, fmt);
		return link_store_lists(dir, user, lists, &o, show, fmt);
	}
	if (optind >= argc || argc - optind > 2)
		return cli_usage_error("link", "give one list (dedupe) or two (link)");
	if (!map)
		return cli_usage_error("link", "--map is needed: which columns hold the names, birth, ...");
	for (int i = optind; i < argc; i++)
		if (cb_plist_read_csv(&l, argv[i], i == optind ? map : (map2 ? map2 : map), i - optind,
				      &err) < 0) {
			status = cli_fail(&err);
			goto done;
		}
	o.link_only = argc - optind == 2;
	if (cb_link(&k, &l, &o, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	size_t clusters = 0, multi = 0;
	count_clusters(&k, l.n, &clusters, &multi);
	cb_link_eval ev = {0};
	if (eval && cb_link_evaluate(&ev, &l, &k, o.link_only, &err) < 0) {
		status = cli_fail(&err);
		goto done;
	}
	if (fmt == 1) {
		json_t *out = json_pack("{s:s,s:I,s:I,s:I,s:f,s:{s:f,s:f,s:f,s:f}}", "mode",
					o.link_only ? "link" : "dedupe", "records", (json_int_t)l.n,
					"candidate_pairs", (json_int_t)k.npairs, "links", (json_int_t)k.nmatches,
					"match_share", k.p, "seconds", "blocking", k.seconds_block,
					"comparing", k.seconds_score, "em", k.seconds_em, "clustering",
					k.seconds_cluster);
		json_t *cl = json_array(), *pairs = json_array();
		if (!o.link_only) {
			for (size_t i = 0; i < l.n; i++) {
				if (k.cluster[i] != i)
					continue;
				json_t *members = json_array();
				for (size_t j = i; j < l.n; j++)
					if (k.cluster[j] == i)
						json_array_append_new(members, json_string(l.v[j].id));
				if (json_array_size(members) > 1)
					json_array_append_new(cl, members);
				else
					json_decref(members);
			}
			json_object_set_new(out, "clusters", cl);
		} else {
			json_decref(cl);
		}
		for (size_t i = 0; i < k.nmatches; i++)
			json_array_append_new(pairs, json_pack("{s:s,s:s,s:f,s:f}", "a", l.v[k.matches[i].a].id,
							       "b", l.v[k.matches[i].b].id, "probability",
							       (double)k.matches[i].prob, "weight",
							       (double)k.matches[i].weight));
		json_object_set_new(out, "links_accepted", pairs);
		if (eval)
			json_object_set_new(out, "evaluation",
					    json_pack("{s:I,s:I,s:I,s:f,s:f,s:f}", "true_pairs",
						      (json_int_t)ev.true_pairs, "predicted_pairs",
						      (json_int_t)ev.predicted, "correct", (json_int_t)ev.correct,
						      "precision", ev.precision, "recall", ev.recall, "f1", ev.f1));
		cli_print_json(out);
		json_decref(out);
	} else {
		printf("%s: %zu records, %zu candidate pairs, %zu links; %zu clusters of which %zu hold "
		       "more than one record\n",
		       o.link_only ? "link" : "dedupe", l.n, k.npairs, k.nmatches, clusters, multi);
		printf("fitted: matches are %.2f%% of candidates; time: blocking %.3f s, comparing %.3f s, "
		       "EM %.3f s, clustering %.3f s\n",
		       100 * k.p, k.seconds_block, k.seconds_score, k.seconds_em, k.seconds_cluster);
		printf("fitted levels (m among matches / u among non-matches; disagree, part, agree):\n");
		for (int f = 0; f < CB_PF_N; f++) {
			int seen = 0;
			for (size_t i = 0; i < l.n && !seen; i++)
				seen = l.v[i].f[f] != NULL;
			if (seen)
				printf("  %-9s m %.3f %.3f %.3f   u %.3f %.3f %.3f\n", cb_pfield_names[f], k.m[f][0],
				       k.m[f][1], k.m[f][2], k.u[f][0], k.u[f][1], k.u[f][2]);
		}
		if (eval)
			printf("evaluation: true pairs %zu, predicted %zu, correct %zu; precision %.4f, recall "
			       "%.4f, F1 %.4f\n",
			       ev.true_pairs, ev.predicted, ev.correct, ev.precision, ev.recall, ev.f1);
	}
	if (show) {
		size_t shown = 0;
		printf("uncertain pairs (probability 0.2-0.8), for a person to confirm or split:\n");
		for (size_t i = 0; i < k.npairs && shown < 200; i++) {
			if (k.pairs[i].prob < 0.2 || k.pairs[i].prob >= 0.8)
				continue;
			printf("p=%.2f weight=%.1f\n", k.pairs[i].prob, k.pairs[i].weight);
			print_rec(&l.v[k.pairs[i].a]);
			print_rec(&l.v[k.pairs[i].b]);
			shown++;
		}
		if (!shown)
			printf("  none\n");
	}
done:
	cb_links_free(&k);
	cb_plist_free(&l);
	return status;
}
