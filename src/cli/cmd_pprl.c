/* cmd_pprl.c: casebook pprl - privacy-preserving linkage
 * (corroborate/pprl.c). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "corroborate/corroborate.h"
#include "util/fileio.h"

static const char USAGE[] =
	"usage: casebook pprl encode LIST.csv --map FIELD=COLUMN,... --key-file KEY\n"
	"                            [--xor-fold] [--out FILE.clk]\n"
	"       casebook pprl link A.clk B.clk [--threshold 0.8] [--evaluate]\n"
	"                          [--format table|json]\n"
	"\n"
	"Links two groups' lists without either seeing the other's names. Each\n"
	"group encodes its own list with a secret key both agreed on (KEY: a file\n"
	"of at least 16 random bytes, e.g. 'head -c 32 /dev/urandom > KEY', passed\n"
	"between the groups by hand, never with the lists): every person becomes a\n"
	"1024-bit Bloom filter of their name bigrams, birth digits and other\n"
	"fields under keyed BLAKE2b. The .clk files can be exchanged; 'link'\n"
	"pairs records whose filters' Dice similarity reaches --threshold, one to\n"
	"one, best first. --map is as for 'casebook link'; ids (id=COLUMN) are\n"
	"carried so each group can find its own rows again.\n"
	"\n"
	"  --xor-fold   fold each filter to 512 bits: harder to attack, a little\n"
	"               less accurate\n"
	"  --evaluate   precision, recall and F1 against FEBRL-style ids\n";

static int read_key(unsigned char **key, size_t *len, const char *path, cb_error *err)
{
	char *data = NULL;
	size_t n = 0;
	int rc = cb_read_file(&data, &n, path, 4096, err);
	if (rc < 0)
		return rc;
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	if (n < 16) {
		sodium_memzero(data, n);
		free(data);
		return cb_fail(err, CB_EINVAL, "%s: a key needs at least 16 bytes", path);
	}
	/* a longer file is hashed down to the 32 bytes BLAKE2b takes */
	*key = malloc(32);
	if (!*key) {
		free(data);
		return cb_fail(err, CB_ENOMEM, "out of memory");
	}
	crypto_generichash(*key, 32, (const unsigned char *)data, n, NULL, 0);
	sodium_memzero(data, n);
	free(data);
	*len = 32;
	return CB_OK;
}

static long entity(const char *id)
{
	const char *p = strstr(id, "rec-");
	return p ? strtol(p + 4, NULL, 10) : -1;
}

int cmd_pprl(int argc, char **argv)
{
	static const struct option opts[] = {
		{"map", required_argument, NULL, 'm'},
		{"key-file", required_argument, NULL, 'k'},
		{"xor-fold", no_argument, NULL, 'x'},
		{"out", required_argument, NULL, 'o'},
		{"threshold", required_argument, NULL, 't'},
		{"evaluate", no_argument, NULL, 'e'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"table", "json", NULL};
	const char *map = NULL, *keyfile = NULL, *outp = "-";
	double thr = 0.8;
	int c, fold = 0, eval = 0, fmt = 0, status = 0;
	cb_error err = CB_ERROR_INIT;
	char *end;

	while ((c = cli_getopt(argc, argv, ":m:k:xo:t:ef:h", opts, "pprl")) != -1) {
		switch (c) {
		case 'm': map = optarg; break;
		case 'k': keyfile = optarg; break;
		case 'x': fold = 1; break;
		case 'o': outp = optarg; break;
		case 't':
			thr = strtod(optarg, &end);
			if (*end || thr <= 0 || thr > 1)
				return cli_usage_error("pprl", "--threshold must be in (0, 1], not '%s'", optarg);
			break;
		case 'e': eval = 1; break;
		case 'f':
			if ((fmt = cli_choice("pprl", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("pprl", "give 'encode LIST.csv' or 'link A.clk B.clk'");
	if (!strcmp(argv[optind], "encode")) {
		cb_plist l = {0};
		cb_clks cl = {0};
		unsigned char *key = NULL;
		size_t keylen = 0;
		if (argc - optind != 2)
			return cli_usage_error("pprl", "encode takes one list");
		if (!map || !keyfile)
			return cli_usage_error("pprl", "encode needs --map and --key-file");
		if (read_key(&key, &keylen, keyfile, &err) < 0 ||
		    cb_plist_read_csv(&l, argv[optind + 1], map, 0, &err) < 0 ||
		    cb_clk_encode(&cl, &l, key, keylen, fold, &err) < 0 ||
		    cb_clk_write(&cl, outp, &err) < 0)
			status = cli_fail(&err);
		else if (strcmp(outp, "-"))
			fprintf(stderr, "casebook: encoded %zu records (k = %d) into %s\n", cl.n, cl.k, outp);
		if (key) {
			sodium_memzero(key, keylen);
			free(key);
		}
		cb_clks_free(&cl);
		cb_plist_free(&l);
		return status;
	}
	if (!strcmp(argv[optind], "link")) {
		cb_clks A = {0}, B = {0};
		cb_pair *pairs = NULL;
		size_t np = 0, correct = 0, truth = 0;
		uint64_t compared = 0;
		if (argc - optind != 3)
			return cli_usage_error("pprl", "link takes two .clk files");
		if (cb_clk_read(&A, argv[optind + 1], &err) < 0 || cb_clk_read(&B, argv[optind + 2], &err) < 0 ||
		    cb_clk_link(&pairs, &np, &A, &B, thr, &compared, &err) < 0) {
			status = cli_fail(&err);
			goto link_done;
		}
		if (eval) {
			for (size_t i = 0; i < np; i++)
				correct += entity(A.v[pairs[i].a].id) == entity(B.v[pairs[i].b].id);
			/* entities present on both sides */
			long *ea = malloc(A.n * sizeof *ea);
			for (size_t i = 0; ea && i < A.n; i++)
				ea[i] = entity(A.v[i].id);
			for (size_t j = 0; ea && j < B.n; j++) {
				long e = entity(B.v[j].id);
				for (size_t i = 0; i < A.n; i++)
					if (ea[i] == e) {
						truth++;
						break;
					}
			}
			free(ea);
		}
		double p = np ? (double)correct / np : 0, r = truth ? (double)correct / truth : 0;
		double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
		if (fmt == 1) {
			json_t *o = json_pack("{s:f,s:I,s:I,s:I}", "threshold", thr, "compared",
					      (json_int_t)compared, "links", (json_int_t)np, "records_a",
					      (json_int_t)A.n);
			json_t *arr = json_array();
			for (size_t i = 0; i < np; i++)
				json_array_append_new(arr, json_pack("{s:s,s:s,s:f}", "a", A.v[pairs[i].a].id, "b",
								     B.v[pairs[i].b].id, "dice",
								     (double)pairs[i].prob));
			json_object_set_new(o, "pairs", arr);
			if (eval)
				json_object_set_new(o, "evaluation",
						    json_pack("{s:f,s:f,s:f}", "precision", p, "recall", r, "f1", f1));
			cli_print_json(o);
			json_decref(o);
		} else {
			printf("pprl link: %zu x %zu records, %llu Dice comparisons, %zu links at Dice >= %.2f\n",
			       A.n, B.n, (unsigned long long)compared, np, thr);
			if (eval)
				printf("evaluation: true pairs %zu, correct %zu; precision %.4f, recall %.4f, F1 %.4f\n",
				       truth, correct, p, r, f1);
			else
				for (size_t i = 0; i < np; i++)
					printf("%s,%s,%.4f\n", A.v[pairs[i].a].id, B.v[pairs[i].b].id,
					       (double)pairs[i].prob);
		}
	link_done:
		free(pairs);
		cb_clks_free(&A);
		cb_clks_free(&B);
		return status;
	}
	return cli_usage_error("pprl", "unknown subcommand '%s' (encode or link)", argv[optind]);
}
