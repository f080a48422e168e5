#!/usr/bin/env bash
# Stores: created once, refused when they are not stores or are newer than
# this casebook, and left unchanged by every refusal.
. "$(dirname "$0")/lib.sh"

S="$T/a.store"
run 0 init --store "$S"
contains "$OUT" "created store" "init"
[ -f "$S/casebook.db" ] || fail "init made no database"
equals "$(sql "$S" 'PRAGMA journal_mode')" "wal" "journal mode"
equals "$(sql "$S" 'PRAGMA user_version')" "3" "schema version"

before=$(store_sum "$S")
run 1 init --store "$S"
contains "$ERR" "a store already exists" "init twice"
equals "$(store_sum "$S")" "$before" "store unchanged by a second init"

# The default store: $CASEBOOK_STORE.
run 0 init
[ -f "$CASEBOOK_STORE/casebook.db" ] || fail "init did not use \$CASEBOOK_STORE"
run 0 list
contains "$OUT" "0 documents" "empty list"

# A folder with other things in it is not made into a store.
mkdir -p "$T/papers" && echo hello >"$T/papers/note.txt"
run 1 init --store "$T/papers"
contains "$ERR" "not empty" "init in a busy folder"

# Not a store.
run 1 list --store "$T/papers"
contains "$ERR" "not a casebook store" "plain folder"
one_line "$ERR" "plain folder"
run 1 list --store "$T/nowhere"
contains "$ERR" "no store here" "missing store"
mkdir -p "$T/fake" && head -c 4096 /dev/urandom >"$T/fake/casebook.db"
fsum=$(store_sum "$T/fake")
run 1 list --store "$T/fake"
contains "$ERR" "not a casebook store" "random bytes as database"
equals "$(store_sum "$T/fake")" "$fsum" "fake store unchanged"
mkdir -p "$T/other" && sqlite3 "$T/other/casebook.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
osum=$(store_sum "$T/other")
run 1 list --store "$T/other"
contains "$ERR" "not a casebook store" "another program's database"
equals "$(store_sum "$T/other")" "$osum" "other database unchanged"

# A newer schema is refused, not misread.
cp -r "$S" "$T/newer.store"
sql "$T/newer.store" "PRAGMA user_version = 99"
nsum=$(store_sum "$T/newer.store")
run 1 list --store "$T/newer.store"
contains "$ERR" "newer than this casebook knows" "newer schema"
one_line "$ERR" "newer schema"
equals "$(store_sum "$T/newer.store")" "$nsum" "newer store unchanged"

# The change log is append-only, enforced by the database.
if sql "$S" "UPDATE change_log SET actor = 'mallory'" 2>/dev/null; then
	fail "change log accepted an UPDATE"
fi
if sql "$S" "DELETE FROM change_log" 2>/dev/null; then
	fail "change log accepted a DELETE"
fi
equals "$(sql "$S" "SELECT action FROM change_log")" "init" "init logged"
# A transaction larger than the page cache, which rewrites pages it has
# already changed, commits and verifies (the sealed log never has a frame
# rewritten in place: dirty pages stay in memory until the commit).
sql "$S" "BEGIN; CREATE TABLE big(a INTEGER PRIMARY KEY, b BLOB);
	WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 15000)
	INSERT INTO big SELECT i, randomblob(3000) FROM c; DELETE FROM big WHERE a % 2 = 0; COMMIT;" ||
	fail "a transaction larger than the page cache failed"
run 0 verify --store "$S"
finish
