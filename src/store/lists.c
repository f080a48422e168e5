/*
 * lists.c: lists of people - a group's roster of the detained or the
 * repatriated - kept in the store for linkage (corroborate/) and estimation
 * (count/). Every row becomes a person of its own, identity sealed like any
 * other (persons.c); which list and row it came from is in list_rows.
 *
 * A linkage run (casebook link --lists) puts each person of its lists in a
 * cluster. Estimation reads the capture patterns off those clusters, and
 * only from one run that covered every list it is asked about: clusters of
 * two separate runs do not describe one set of people. Researchers' pair
 * decisions (confirmed, split) are kept apart from the runs, so that a new
 * run starts from them instead of undoing them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int cb_list_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* The id of the list called name: CB_ENOTFOUND with the names known. */
static int list_id(cb_store *st, sqlite3_int64 *id, const char *name, cb_error *err)
{
	sqlite3_stmt *s;
	int rc;
	if ((rc = cb_sql_prepare(st, &s, "SELECT id FROM lists WHERE name = ?", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = CB_OK;
	} else if (rc == SQLITE_DONE) {
		rc = cb_fail(err, CB_ENOTFOUND, "%s: no list called '%s' (casebook list-import --show lists them)",
			     st->dir, name);
	} else {
		rc = cb_sql_fail(st, err, "reading lists");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The ids of names, each once; a repeated or unknown name is an error. */
static int list_ids(cb_store *st, sqlite3_int64 *ids, const char *const *names, size_t n,
		    cb_error *err)
{
	int rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = list_id(st, &ids[i], names[i], err)) < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return cb_fail(err, CB_EINVAL, "list '%s' is named twice", names[i]);
	}
	return CB_OK;
}

int cb_store_import_list(cb_store *st, const char *name, int year, const char *source_hash,
			 const cb_person_new *rows, size_t n, cb_store_progress_fn progress, void *ctx,
			 cb_error *err)
{
	sqlite3_stmt *s = NULL, *row = NULL;
	sqlite3_int64 lid, pid;
	json_t *detail = NULL;
	char now[32], target[80], pseudonym[16];
	int rc;

	if (!cb_list_name_valid(name))
		return cb_fail(err, CB_EINVAL,
			       "list name '%.80s': use 1-64 letters, digits, '.', '_' or '-'", name);
	if (!n)
		return cb_fail(err, CB_EINVAL, "list '%s': no rows to import", name);
	if (!cb_store_is_holder(st))
		return cb_fail(err, CB_EAUTH, "%s: '%s' is a viewer and cannot import lists of people",
			       st->dir, st->user);
	if ((rc = cb_store_begin(st, err)) < 0)
		return rc;
	cb_now_iso(now);
	if ((rc = cb_sql_prepare(st, &s, "INSERT INTO lists(name, year, source_hash, rows, imported_at,"
				 " imported_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING",
				 err)) < 0)
		goto done;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (year)
		sqlite3_bind_int(s, 2, year);
	sqlite3_bind_text(s, 3, source_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)n);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, st->user, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "adding a list");
		goto done;
	}
	if (sqlite3_changes(st->db) != 1) {
		rc = cb_fail(err, CB_EEXISTS, "%s: there is already a list called '%s'", st->dir, name);
		goto done;
	}
	lid = sqlite3_last_insert_rowid(st->db);
	if ((rc = cb_sql_prepare(st, &row, "INSERT INTO list_rows(list_id, row, person_id)"
				 " VALUES (?, ?, ?)", err)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		if ((rc = cb_person_insert(st, pseudonym, &id, &rows[i], err)) < 0) {
			cb_error_prefix(err, "row %zu", i + 1);
			goto done;
		}
		pid = id;
		sqlite3_reset(row);
		sqlite3_bind_int64(row, 1, lid);
		sqlite3_bind_int64(row, 2, (sqlite3_int64)(i + 1));
		sqlite3_bind_int64(row, 3, pid);
		if (sqlite3_step(row) != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "adding a list row");
			goto done;
		}
		if (progress && ((i + 1) % 256 == 0 || i + 1 == n))
			progress(ctx, i + 1, n);
	}
	/* One entry for the whole list: its name, size and file, never a name
	 * of a person in it. */
	snprintf(target, sizeof target, "list:%s", name);
	detail = json_pack("{s:I, s:s, s:o}", "rows", (json_int_t)n, "source_hash", source_hash,
			   "year", year ? json_integer(year) : json_null());
	if ((rc = cb_store_log(st, "list-import", target, detail, err)) < 0)
		goto done;
	rc = cb_store_commit(st, err);
done:
	if (s)
		sqlite3_finalize(s);
	if (row)
		sqlite3_finalize(row);
	if (rc < 0)
		cb_store_rollback(st);
	json_decref(detail);
	return rc;
}

int cb_store_lists(cb_store *st, json_t **out, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	/* The run a list was last linked in: that of its persons, if they all
	 * share one. */
	if ((rc = cb_sql_prepare(st, &s,
				 "SELECT l.name, l.year, l.rows, l.imported_at, l.imported_by,"
				 " (SELECT CASE WHEN count(DISTINCT coalesce(pc.run, 0)) = 1"
				 "  THEN max(pc.run) END FROM list_rows r"
				 "  LEFT JOIN person_clusters pc ON pc.person_id = r.person_id"
				 "  WHERE r.list_id = l.id)"
				 " FROM lists l ORDER BY l.id", err)) < 0)
		goto done;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:o, s:I, s:s, s:s, s:o}", "name",
						     (const char *)sqlite3_column_text(s, 0), "year",
						     cb_sql_column_json_int(s, 1), "rows",
						     (json_int_t)sqlite3_column_int64(s, 2), "imported_at",
						     (const char *)sqlite3_column_text(s, 3), "imported_by",
						     (const char *)sqlite3_column_text(s, 4), "link_run",
						     cb_sql_column_json_int(s, 5)));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading lists");
done:
	if (s)
		sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int cb_store_list_rows(cb_store *st, const char *const *names, size_t n, cb_list_row_fn fn,
		       void *ctx, cb_error *err)
{
	sqlite3_int64 *ids = calloc(n ? n : 1, sizeof *ids);
	sqlite3_stmt *s = NULL;
	int rc, step = SQLITE_DONE;

	if (!ids)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (!cb_store_is_holder(st)) {
		rc = cb_fail(err, CB_EAUTH, "%s: identities are sealed to owners and editors; '%s' is a viewer",
			     st->dir, st->user);
		goto done;
	}
	if ((rc = list_ids(st, ids, names, n, err)) < 0 ||
	    (rc = cb_sql_prepare(st, &s, "SELECT p.pseudonym, i.sealed FROM list_rows r"
				 " JOIN persons p ON p.id = r.person_id"
				 " JOIN person_identities i ON i.person_id = r.person_id"
				 " WHERE r.list_id = ? ORDER BY r.row", err)) < 0)
		goto done;
	for (size_t l = 0; l < n && rc == CB_OK; l++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, ids[l]);
		while (rc == CB_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
			const char *ps = (const char *)sqlite3_column_text(s, 0);
			json_t *ident = NULL;
			if ((rc = cb_person_open(st, &ident, sqlite3_column_blob(s, 1),
						 (size_t)sqlite3_column_bytes(s, 1), ps, err)) < 0)
				break;
			rc = fn(ctx, l, ps, ident, err);
			json_decref(ident);
		}
		if (rc == CB_OK && step != SQLITE_DONE)
			rc = cb_sql_fail(st, err, "reading a list");
	}
done:
	if (s)
		sqlite3_finalize(s);
	free(ids);
	return rc;
}

/* The id of a person by pseudonym. */
static int pid_of(cb_store *st, sqlite3_stmt *s, const char *pseudonym, sqlite3_int64 *id,
		  cb_error *err)
{
	int step;
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, pseudonym, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		return CB_OK;
	}
	if (step == SQLITE_DONE)
		return cb_fail(err, CB_ENOTFOUND, "%s: no such person", pseudonym);
	return cb_sql_fail(st, err, "reading persons");
}

int cb_store_save_linkage(cb_store *st, const char *const *names, size_t nlists,
			  const char *const *pseudonyms, const size_t *cluster, size_t n,
			  double threshold, size_t links, cb_error *err)
{
	sqlite3_int64 *ids = calloc(nlists ? nlists : 1, sizeof *ids), *pid = NULL, run;
	sqlite3_stmt *s = NULL, *find = NULL, *ins = NULL;
	json_t *lists = json_array(), *detail = NULL;
	size_t nclusters = 0;
	char now[32];
	int rc;

	if (!ids || !lists || !(pid = malloc((n ? n : 1) * sizeof *pid))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nlists; i++)
		json_array_append_new(lists, json_string(names[i]));
	for (size_t i = 0; i < n; i++)
		nclusters += cluster[i] == i;
	if ((rc = cb_store_begin(st, err)) < 0)
		goto out;
	if ((rc = list_ids(st, ids, names, nlists, err)) < 0 ||
	    (rc = cb_sql_prepare(st, &find, "SELECT id FROM persons WHERE pseudonym = ?", err)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		if ((rc = pid_of(st, find, pseudonyms[i], &pid[i], err)) < 0)
			goto done;
	cb_now_iso(now);
	if ((rc = cb_sql_prepare(st, &s, "INSERT INTO link_runs(lists, threshold, links, clusters,"
				 " run_at, run_by) VALUES (?, ?, ?, ?, ?, ?)", err)) < 0)
		goto done;
	cb_sql_bind_json(s, 1, lists);
	sqlite3_bind_double(s, 2, threshold);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)links);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)nclusters);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, st->user, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "saving a linkage run");
		goto done;
	}
	run = sqlite3_last_insert_rowid(st->db);
	/* INSERT OR REPLACE: a person of these lists leaves its earlier run. */
	if ((rc = cb_sql_prepare(st, &ins, "INSERT OR REPLACE INTO person_clusters(person_id, cluster,"
				 " run) VALUES (?, ?, ?)", err)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		sqlite3_int64 c = pid[cluster[i]];
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, pid[i]);
		sqlite3_bind_int64(ins, 2, c);
		sqlite3_bind_int64(ins, 3, run);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = cb_sql_fail(st, err, "saving clusters");
			goto done;
		}
	}
	detail = json_pack("{s:O, s:I, s:I, s:I, s:f}", "lists", lists, "persons", (json_int_t)n,
			   "links", (json_int_t)links, "clusters", (json_int_t)nclusters, "threshold",
			   threshold);
	if ((rc = cb_store_log(st, "link", "lists", detail, err)) < 0)
		goto done;
	rc = cb_store_commit(st, err);
done:
	if (rc < 0)
		cb_store_rollback(st);
out:
	if (s)
		sqlite3_finalize(s);
	if (find)
		sqlite3_finalize(find);
	if (ins)
		sqlite3_finalize(ins);
	free(ids);
	free(pid);
	json_decref(lists);
	json_decref(detail);
	return rc;
}

int cb_store_decide_link(cb_store *st, const char *a, const char *b, const char *decision,
			 cb_error *err)
{
	sqlite3_stmt *find = NULL, *s = NULL;
	sqlite3_int64 ia = 0, ib = 0;
	json_t *detail = NULL;
	char now[32];
	int rc;

	if (strcmp(decision, "confirmed") && strcmp(decision, "split"))
		return cb_fail(err, CB_EINVAL, "a link decision is 'confirmed' or 'split', not '%s'", decision);
	if (!strcmp(a, b))
		return cb_fail(err, CB_EINVAL, "%s: a pair needs two different persons", a);
	if ((rc = cb_store_begin(st, err)) < 0)
		return rc;
	if ((rc = cb_sql_prepare(st, &find, "SELECT id FROM persons WHERE pseudonym = ?", err)) < 0 ||
	    (rc = pid_of(st, find, a, &ia, err)) < 0 || (rc = pid_of(st, find, b, &ib, err)) < 0)
		goto done;
	cb_now_iso(now);
	if ((rc = cb_sql_prepare(st, &s, "INSERT OR REPLACE INTO link_decisions(a, b, decision,"
				 " decided_at, decided_by) VALUES (?, ?, ?, ?, ?)", err)) < 0)
		goto done;
	sqlite3_bind_int64(s, 1, ia < ib ? ia : ib);
	sqlite3_bind_int64(s, 2, ia < ib ? ib : ia);
	sqlite3_bind_text(s, 3, decision, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, st->user, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "saving a link decision");
		goto done;
	}
	detail = json_pack("{s:s, s:s, s:s}", "a", a, "b", b, "decision", decision);
	if ((rc = cb_store_log(st, "link-decide", "persons", detail, err)) < 0)
		goto done;
	rc = cb_store_commit(st, err);
done:
	if (find)
		sqlite3_finalize(find);
	if (s)
		sqlite3_finalize(s);
	if (rc < 0)
		cb_store_rollback(st);
	json_decref(detail);
	return rc;
}

int cb_store_link_decisions(cb_store *st, json_t **out, cb_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();
	int rc, step;

	*out = NULL;
	if (!arr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if ((rc = cb_sql_prepare(st, &s, "SELECT pa.pseudonym, pb.pseudonym, d.decision, d.decided_by,"
				 " d.decided_at FROM link_decisions d JOIN persons pa ON pa.id = d.a"
				 " JOIN persons pb ON pb.id = d.b ORDER BY d.a, d.b", err)) < 0)
		goto done;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "a",
						     (const char *)sqlite3_column_text(s, 0), "b",
						     (const char *)sqlite3_column_text(s, 1), "decision",
						     (const char *)sqlite3_column_text(s, 2), "by",
						     (const char *)sqlite3_column_text(s, 3), "at",
						     (const char *)sqlite3_column_text(s, 4)));
	if (step != SQLITE_DONE)
		rc = cb_sql_fail(st, err, "reading link decisions");
done:
	if (s)
		sqlite3_finalize(s);
	if (rc < 0)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int cb_store_list_patterns(cb_store *st, const char *const *names, size_t n, long long **cells_out,
			   cb_error *err)
{
	sqlite3_int64 *ids = calloc(n ? n : 1, sizeof *ids), cur = 0, run = -1;
	sqlite3_stmt *s = NULL;
	long long *cells = NULL;
	unsigned mask = 0;
	int rc, step, have = 0;

	*cells_out = NULL;
	if (!ids)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	if (n < 2 || n > 16) {
		rc = cb_fail(err, CB_EINVAL, "estimation needs 2 to 16 lists, not %zu", n);
		goto done;
	}
	if ((rc = list_ids(st, ids, names, n, err)) < 0)
		goto done;
	if (!(cells = calloc((size_t)1 << n, sizeof *cells))) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}
	/* Every person of the lists, by cluster; a person never linked has
	 * no cluster and stops us. */
	if ((rc = cb_sql_prepare(st, &s, "SELECT pc.cluster, pc.run, r.list_id, l.name FROM list_rows r"
				 " JOIN lists l ON l.id = r.list_id"
				 " LEFT JOIN person_clusters pc ON pc.person_id = r.person_id"
				 " WHERE r.list_id IN (SELECT value FROM json_each(?))"
				 " ORDER BY pc.cluster IS NOT NULL, pc.cluster", err)) < 0)
		goto done;
	{
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_integer(ids[i]));
		cb_sql_bind_json(s, 1, arr);
		json_decref(arr);
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 c = sqlite3_column_int64(s, 0), r = sqlite3_column_int64(s, 1),
			      l = sqlite3_column_int64(s, 2);
		size_t j;
		if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
			rc = cb_fail(err, CB_ERR,
				     "list '%s' has persons not linked yet: run 'casebook link --lists' "
				     "with all the lists to estimate from first",
				     (const char *)sqlite3_column_text(s, 3));
			goto done;
		}
		if (run >= 0 && r != run) {
			rc = cb_fail(err, CB_ERR,
				     "these lists were linked in different runs; link them together "
				     "('casebook link --lists' with all of them) before estimating");
			goto done;
		}
		run = r;
		if (have && c != cur) {
			cells[mask]++;
			mask = 0;
		}
		cur = c;
		have = 1;
		for (j = 0; j < n && ids[j] != l; j++)
			;
		mask |= 1u << j;
	}
	if (step != SQLITE_DONE) {
		rc = cb_sql_fail(st, err, "reading list patterns");
		goto done;
	}
	if (have)
		cells[mask]++;
	*cells_out = cells;
	cells = NULL;
	rc = CB_OK;
done:
	if (s)
		sqlite3_finalize(s);
	free(ids);
	free(cells);
	return rc;
}
