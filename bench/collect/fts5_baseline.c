/*
 * fts5_baseline.c: the baseline for bench/collect - the same report files
 * loaded into a bare SQLite FTS5 table (one transaction, default
 * tokenizer, nothing else), so casebook's ingest rate can be read as a
 * ratio rather than a bare time.
 *
 * usage: bench_fts5_baseline DB FILE-LIST   (FILE-LIST: one path a line)
 * prints: files bytes seconds
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *ins;
	FILE *list;
	char path[4096];
	long files = 0;
	long long bytes = 0;
	double t0;

	if (argc != 3 || !(list = fopen(argv[2], "r"))) {
		fprintf(stderr, "usage: bench_fts5_baseline DB FILE-LIST\n");
		return 2;
	}
	t0 = now();
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			     "CREATE VIRTUAL TABLE docs USING fts5(text); BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO docs(text) VALUES (?1)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_fts5_baseline: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	while (fgets(path, sizeof path, list)) {
		FILE *f;
		char *buf;
		long n;
		path[strcspn(path, "\n")] = '\0';
		if (!(f = fopen(path, "rb")))
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)n + 1);
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			fclose(f);
			continue;
		}
		fclose(f);
		sqlite3_bind_text(ins, 1, buf, (int)n, free);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "bench_fts5_baseline: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(ins);
		files++;
		bytes += n;
	}
	sqlite3_finalize(ins);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	fclose(list);
	printf("%ld %lld %.3f\n", files, bytes, now() - t0);
	return 0;
}
