/*
 * cmd_ingest.c: casebook ingest - collect report files and folders into
 * the store, one transaction per file, with a progress bar on a terminal
 * and a closing summary that names every failure.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "collect/collect.h"
#include "collect/ingest.h"

static const char USAGE[] =
	"usage: casebook ingest [--store DIR] [--outlet NAME] [--url URL]\n"
	"                       [--max-size BYTES] [--no-extract] [--format text|json] PATH...\n"
	"\n"
	"Collects reports into the store. PATH is a .txt or .html file, or a folder,\n"
	"whose .txt, .text, .html and .htm files are taken (sub-folders too).\n"
	"\n"
	"Each file is one transaction: it is stored whole or not at all. The same\n"
	"bytes twice are one document (a duplicate); the same story reworded or\n"
	"syndicated is stored and marked as a near-duplicate of the first. The\n"
	"extractor proposes events for each new report, for review with\n"
	"'casebook events' and 'casebook review'.\n"
	"\n"
	"  --outlet NAME     the outlet that published these reports (e.g. \"Daily NK\")\n"
	"  --url URL         where the report came from (provenance)\n"
	"  --max-size BYTES  refuse files larger than this (default 20000000; k/M suffixes)\n"
	"  --no-extract      store the reports without proposing events\n"
	"  --format json     print the results as JSON (one entry per file)\n"
	"  --user NAME       who the change log records (default $USER)\n"
	"\n"
	"Exit status: 0 when every file was stored or was already there, 1 if any failed.\n";

/* Files per commit: large enough that commits cost little, small enough
 * that an interrupted run loses little; and a commit at least every
 * BATCH_SECONDS. $CASEBOOK_BATCH overrides the count (tests use it to make
 * many commits out of few files). */
#define BATCH 1024
#define BATCH_SECONDS 2.0

static size_t batch_size(void)
{
	const char *e = getenv("CASEBOOK_BATCH");
	long v = e ? strtol(e, NULL, 10) : 0;
	return v > 0 && v <= 1000000 ? (size_t)v : BATCH;
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct file_list {
	char **paths;
	size_t n, cap;
} file_list;

static int add_path(file_list *l, const char *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **np = realloc(l->paths, cap * sizeof *np);
		if (!np)
			return -1;
		l->paths = np;
		l->cap = cap;
	}
	if (!(l->paths[l->n] = strdup(p)))
		return -1;
	l->n++;
	return 0;
}

static int walkable(const char *name)
{
	const char *dot = strrchr(name, '.');
	return name[0] != '.' && dot &&
	       (!strcmp(dot, ".txt") || !strcmp(dot, ".text") || !strcmp(dot, ".html") || !strcmp(dot, ".htm"));
}

/* Adds the report files under dir, in name order, so that runs repeat. */
static int walk(file_list *l, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return add_path(l, dir); /* collect will name the reason */
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat sb;
		const char *name = ents[i]->d_name;
		if (name[0] == '.' || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
			free(ents[i]);
			continue;
		}
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (depth < 32)
				walk(l, path, depth + 1);
		} else if (walkable(name)) {
			add_path(l, path);
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static size_t parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0)
		return 0;
	if (*end == 'k' || *end == 'K')
		v *= 1e3, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1e6, end++;
	else if (*end == 'G' || *end == 'g')
		v *= 1e9, end++;
	return *end ? 0 : (size_t)v;
}

static void progress(size_t done, size_t total, const char *name)
{
	char bar[31];
	size_t fill = total ? done * 30 / total : 0;
	for (size_t i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r\033[K[%s] %zu/%zu %.40s", bar, done, total, name);
	fflush(stderr);
}

static void clear_progress(int shown)
{
	if (shown)
		fputs("\r\033[K", stderr);
}

/* What became of each file; the first three are cb_ingest_status. */
#define OUT_FAILED 3

/* ---- preparing files ahead of the writes -------------------------------
 *
 * Reading, parsing, normalising, hashing, the near-duplicate signature and
 * the extractor need no store, and are most of the work; the writes must
 * happen one at a time, in order. So preparer threads work ahead (at most
 * AHEAD files, which bounds the memory) while this one writes: on two
 * cores the halves overlap, and with the extractor two preparers share it. Results are taken in the order of the list,
 * so what is stored, and the report, are as without the thread. */

#define AHEAD 32
#define MAX_PREPARERS 4

typedef struct prep_slot {
	cb_ingest_prep *prep;
	cb_error err;
	int rc;
	int ready;
} prep_slot;

typedef struct prep_queue {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	prep_slot slot[AHEAD];
	const file_list *files;
	const cb_ingest_opts *io;
	size_t taken;          /* results handed to the writer so far */
	size_t next;           /* the next file to prepare */
	int stop;
} prep_queue;

static void *prepare_ahead(void *arg)
{
	prep_queue *q = arg;
	for (;;) {
		cb_ingest_prep *p = NULL;
		cb_error err = CB_ERROR_INIT;
		size_t i;
		int rc;

		pthread_mutex_lock(&q->lock);
		while (!q->stop && q->next < q->files->n && q->next >= q->taken + AHEAD)
			pthread_cond_wait(&q->changed, &q->lock);
		if (q->stop || q->next >= q->files->n) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		i = q->next++;
		pthread_mutex_unlock(&q->lock);
		rc = cb_ingest_prepare(&p, q->files->paths[i], q->io, &err);
		pthread_mutex_lock(&q->lock);
		q->slot[i % AHEAD].prep = p;
		q->slot[i % AHEAD].err = err;
		q->slot[i % AHEAD].rc = rc;
		q->slot[i % AHEAD].ready = 1;
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->lock);
	}
	return NULL;
}

/* File i's preparation (the caller frees *prep); waits for it. */
static int prepared_next(prep_queue *q, size_t i, cb_ingest_prep **prep, cb_error *err)
{
	prep_slot *s = &q->slot[i % AHEAD];
	int rc;
	pthread_mutex_lock(&q->lock);
	while (!s->ready)
		pthread_cond_wait(&q->changed, &q->lock);
	*prep = s->prep;
	*err = s->err;
	rc = s->rc;
	s->prep = NULL;
	s->ready = 0;
	q->taken = i + 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return rc;
}

static void prep_queue_stop(prep_queue *q, pthread_t *th, int nth)
{
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	for (size_t k = 0; k < AHEAD; k++) {
		cb_ingest_prep_free(q->slot[k].prep);
		q->slot[k].prep = NULL;
	}
}

/* Says what happened to one file: an error on stderr, a JSON entry. */
static void note(const cb_error *err, const cb_ingest_result *res, const char *path, json_t *report,
		 int bar)
{
	static const char *const NAMES[] = {"ingested", "duplicate", "near-duplicate"};
	if (err) {
		cb_error e = *err;
		clear_progress(bar);
		/* collect's messages name the file; the store's may not. */
		if (!strstr(e.msg, path))
			cb_error_prefix(&e, "%s", path);
		fprintf(stderr, "casebook: %s\n", e.msg);
		if (report)
			json_array_append_new(report, json_pack("{s:s, s:s, s:s}", "path", path, "status", "failed",
								"error", e.msg));
		return;
	}
	if (res->dropped) {
		clear_progress(bar);
		fprintf(stderr, "casebook: %s: warning: %d of the extractor's proposals left out (%s)\n",
			path, res->dropped, res->dropped_why);
	}
	if (report) {
		json_t *r = json_pack("{s:s, s:s, s:I, s:i}", "path", path, "status", NAMES[res->status],
				      "document", (json_int_t)res->doc_id, "events", res->n_events);
		if (res->dropped)
			json_object_set_new(r, "proposals_left_out", json_integer(res->dropped));
		if (res->status == CB_INGEST_NEAR_DUPLICATE) {
			json_object_set_new(r, "near_duplicate_of", json_integer(res->near_duplicate_of));
			json_object_set_new(r, "similarity", json_real(res->similarity));
		}
		json_array_append_new(report, r);
	}
}

/* Stores one file in a transaction of its own (after its batch failed). */
static int redo_alone(cb_store *st, const char *path, const cb_ingest_opts *io, int bar)
{
	cb_error err = CB_ERROR_INIT;
	cb_ingest_result res;
	if (cb_store_begin(st, &err) < 0 || cb_ingest_file(&res, st, path, io, &err) < 0 ||
	    cb_store_commit(st, &err) < 0) {
		cb_store_rollback(st);
		note(&err, NULL, path, NULL, bar);
		return OUT_FAILED;
	}
	return (int)res.status;
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"outlet", required_argument, NULL, 'o'},
		{"url", required_argument, NULL, 'U'},
		{"max-size", required_argument, NULL, 'm'},
		{"no-extract", no_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'},
		{"user", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const FORMATS[] = {"text", "json", NULL};
	const char *dir = NULL, *user = NULL;
	cb_ingest_opts io = {0};
	cb_extractor *x = NULL;
	cb_store *st = NULL;
	file_list files = {0};
	json_t *report = NULL;
	int c, json = 0, no_extract = 0, status = 0, bar;
	size_t counts[4] = {0}; /* new, duplicate, near-duplicate, failed */
	int *outcome = NULL;
	prep_queue q = {.files = &files, .io = &io};
	pthread_t preparer[MAX_PREPARERS];
	int threaded = 0; /* preparer threads running */

	while ((c = cli_getopt(argc, argv, ":s:o:U:m:nf:u:h", opts, "ingest")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'o': io.outlet = optarg; break;
		case 'U': io.url = optarg; break;
		case 'm':
			if (!(io.max_bytes = parse_size(optarg)))
				return cli_usage_error("ingest", "--max-size must be a size such as 5000000 or 5M, not '%s'",
						       optarg);
			break;
		case 'n': no_extract = 1; break;
		case 'f':
			if ((json = cli_choice("ingest", "--format", optarg, FORMATS)) < 0)
				return 2;
			break;
		case 'u': user = optarg; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("ingest", "name at least one file or folder");
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.changed, NULL);
	if (!no_extract) {
		cb_error err = CB_ERROR_INIT;
		if (cb_extractor_new(&x, &err) < 0) {
			status = cli_fail(&err);
			goto done;
		}
		io.x = x;
	}
	if (json)
		report = json_array();
	for (int i = optind; i < argc; i++) {
		struct stat sb;
		size_t before = files.n;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk(&files, argv[i], 0);
			if (files.n == before) {
				/* Nothing to take is worth saying: a wrong folder, probably. */
				fprintf(stderr, "casebook: %s: no .txt, .text, .html or .htm files in this folder\n",
					argv[i]);
				counts[3]++;
				if (report)
					json_array_append_new(report, json_pack("{s:s, s:s, s:s}", "path", argv[i],
										"status", "failed", "error",
										"no report files in this folder"));
			}
		} else {
			add_path(&files, argv[i]);
		}
	}
	bar = isatty(STDERR_FILENO) && files.n > 3;
	if (!(outcome = calloc(files.n ? files.n : 1, sizeof *outcome))) {
		fprintf(stderr, "casebook: out of memory\n");
		status = 1;
		goto done;
	}
	const size_t batch = batch_size();
	double batch_t0 = 0;
	if (files.n > 1 && !getenv("CASEBOOK_ONE_THREAD")) {
		/* The extractor is most of the work: as many preparers as cores
		 * then (the writer mostly waits); without it one is enough. */
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		int want = io.x ? (int)(cores < 1 ? 1 : cores > MAX_PREPARERS ? MAX_PREPARERS : cores) : 1;
		cb_error cerr = CB_ERROR_INIT;
		while (threaded < want &&
		       pthread_create(&preparer[threaded], NULL, prepare_ahead, &q) == 0)
			threaded++;
		/* Only faster: where it cannot start, commits checkpoint as usual. */
		cb_store_checkpoint_behind(st, &cerr);
	}
	for (size_t i = 0, start = 0; i < files.n; i++) {
		cb_error err = CB_ERROR_INIT;
		cb_ingest_result res;
		int rc;

		if (bar)
			progress(i, files.n, files.paths[i]);
		/* Files share a commit, in batches: see cb_store_begin(). */
		if (!cb_store_in_transaction(st)) {
			if ((rc = cb_store_begin(st, &err)) < 0) {
				clear_progress(bar);
				status = cli_fail(&err);
				goto done;
			}
			start = i;
			batch_t0 = seconds_now();
		}
		if (threaded) {
			cb_ingest_prep *prep = NULL;
			if ((rc = prepared_next(&q, i, &prep, &err)) == CB_OK)
				rc = cb_ingest_prepared(&res, st, prep, &io, &err);
			cb_ingest_prep_free(prep);
		} else {
			rc = cb_ingest_file(&res, st, files.paths[i], &io, &err);
		}
		outcome[i] = rc < 0 ? OUT_FAILED : (int)res.status;
		note(rc < 0 ? &err : NULL, &res, files.paths[i], report, bar);
		if (rc < 0 && cb_store_failed(st)) {
			/* A write failed inside the batch, so none of it can be
			 * committed: store the batch's earlier files again, each in
			 * a transaction of its own. */
			cb_store_rollback(st);
			for (size_t j = start; j < i; j++)
				if (outcome[j] != OUT_FAILED)
					outcome[j] = redo_alone(st, files.paths[j], &io, bar);
			continue;
		}
		if (i + 1 - start >= batch || i + 1 == files.n || seconds_now() - batch_t0 >= BATCH_SECONDS) {
			cb_error cerr = CB_ERROR_INIT;
			if (cb_store_commit(st, &cerr) < 0) {
				clear_progress(bar);
				fprintf(stderr, "casebook: %s: could not store files %zu to %zu of this run: %s\n",
					cb_store_dir(st), start + 1, i + 1, cerr.msg);
				for (size_t j = start; j <= i; j++)
					outcome[j] = OUT_FAILED;
			}
		}
	}
	if (threaded) {
		prep_queue_stop(&q, preparer, threaded);
		threaded = 0;
	}
	for (size_t i = 0; i < files.n; i++)
		counts[outcome[i]]++;
	clear_progress(bar);
	if (report) {
		json_t *out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "ingested", (json_int_t)(counts[0] + counts[2]),
					"duplicates", (json_int_t)counts[1], "near_duplicates", (json_int_t)counts[2],
					"failed", (json_int_t)counts[3], "files", report);
		cli_print_json(out);
		json_decref(out);
	} else {
		/* Near-duplicates are stored too, so they count as ingested. */
		printf("ingested %zu, duplicates %zu, near-duplicates %zu, failed %zu\n",
		       counts[0] + counts[2], counts[1], counts[2], counts[3]);
	}
	status = counts[3] ? 1 : 0;
done:
	if (threaded)
		prep_queue_stop(&q, preparer, threaded); /* also frees what they had prepared */
	pthread_mutex_destroy(&q.lock);
	pthread_cond_destroy(&q.changed);
	for (size_t i = 0; i < files.n; i++)
		free(files.paths[i]);
	free(files.paths);
	free(outcome);
	cb_extractor_free(x);
	cb_store_close(st);
	return status;
}
