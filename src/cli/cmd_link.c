/* cmd_link.c: casebook link - who on these lists is the same person
 * (corroborate/corroborate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "corroborate/corroborate.h"

static const char USAGE[] =
	"usage: casebook link LIST.csv [LIST2.csv] --map FIELD=COLUMN,... [--map2 ...]\n"
	"                     [--threshold P] [--max-cluster N] [--show] [--evaluate]\n"
	"                     [--format table|json]\n"
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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *map = NULL, *map2 = NULL;
	cb_link_opts o = {0};
	cb_error err = CB_ERROR_INIT;
	cb_plist l = {0};
	cb_links k = {0};
	int c, fmt = 0, show = 0, eval = 0, status = 0;
	char *end;

	while ((c = cli_getopt(argc, argv, ":m:M:t:c:sef:L:h", opts, "link")) != -1) {
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
		case 'L':
			cb_fail(&err, CB_EINVAL,
				"--lists: linking lists kept in a store needs 'casebook list-import', which is "
				"not built yet; link the CSV files directly");
			return cli_fail(&err);
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
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
	{
		uint32_t *sz = calloc(l.n, sizeof *sz);
		for (size_t i = 0; sz && i < l.n; i++)
			sz[k.cluster[i]]++;
		for (size_t i = 0; sz && i < l.n; i++) {
			clusters += sz[i] > 0;
			multi += sz[i] > 1;
		}
		free(sz);
	}
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
