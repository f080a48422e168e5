/*
 * checkpoint.c: WAL checkpoints on a thread of their own, for a writer
 * that commits often for a long time (ingest).
 *
 * SQLite copies the log back into the database (a checkpoint) in the
 * commit that takes the log past 1,000 pages, on the committing thread:
 * each page read from the log is opened and sealed again for the database
 * (sealvfs.c), a fifth of ingest's writer time. A second connection on the
 * same store can do it instead, in parallel with the next batch's writes:
 * a PASSIVE checkpoint takes no lock a writer needs, and copies only what
 * no reader still needs. So the writer's log hook (sqlite3_wal_hook, which
 * replaces the automatic checkpoint) wakes the thread at the same 1,000
 * pages instead of checkpointing itself.
 *
 * What readers see, what a crash keeps and what is synced are unchanged:
 * a checkpoint only moves committed pages. The log restarts from its
 * start once a checkpoint has caught up by the writer's next commit, as
 * before; should the thread fall behind (LOG_LIMIT pages), the writer
 * checkpoints itself, so the log stays bounded. A checkpoint that fails
 * (busy with another process's) is left for the next one, as SQLite's
 * own automatic checkpoint does; and the connection's close checkpoints
 * what is left.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/store_int.h"

#define CHECKPOINT_PAGES 1000 /* SQLite's automatic checkpoint threshold */
#define LOG_LIMIT 16000       /* 256 MB of 16 KiB pages */

struct cb_checkpointer {
	cb_store *clone; /* the thread's connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int pending, stop;
};

static void *run(void *arg)
{
	struct cb_checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->pending && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->pending = 0;
		pthread_mutex_unlock(&c->lock);
		sqlite3_wal_checkpoint_v2(c->clone->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* After each commit of the writer: pages is the log's length. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct cb_checkpointer *c = arg;
	if (pages >= LOG_LIMIT) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	} else if (pages >= CHECKPOINT_PAGES) {
		pthread_mutex_lock(&c->lock);
		c->pending = 1;
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
	}
	return SQLITE_OK;
}

int cb_store_checkpoint_behind(cb_store *st, cb_error *err)
{
	struct cb_checkpointer *c;
	int rc;

	if (st->ckpt)
		return CB_OK;
	if (!(c = calloc(1, sizeof *c)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	/* A small cache: a checkpoint reads each page once. */
	if ((rc = cb_store_clone(&c->clone, st, 1024, err)) < 0) {
		free(c);
		return rc;
	}
	/* The clone opens its log here, on this thread, not in the thread's
	 * first checkpoint. */
	if ((rc = cb_sql_exec(c->clone, "SELECT count(*) FROM meta", err)) < 0) {
		cb_store_close(c->clone);
		free(c);
		return rc;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, run, c) != 0) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		cb_store_close(c->clone);
		free(c);
		return cb_fail(err, CB_ERR, "could not start a thread");
	}
	st->ckpt = c;
	sqlite3_wal_hook(st->db, on_commit, c);
	return CB_OK;
}

void cb_checkpoint_stop(cb_store *st)
{
	struct cb_checkpointer *c = st->ckpt;
	if (!c)
		return;
	sqlite3_wal_autocheckpoint(st->db, CHECKPOINT_PAGES); /* SQLite's own hook again */
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	cb_store_close(c->clone);
	free(c);
	st->ckpt = NULL;
}
