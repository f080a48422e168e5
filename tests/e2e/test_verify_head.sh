#!/usr/bin/env bash
# The change log's head kept outside the store: verify --save-head writes
# it, verify --head-file checks the log still holds it. A store rolled back
# to a copy from before the save (entries dropped) fails with exit 4 and
# one line; so does a head file from another store (the log "rewritten");
# later entries are fine.
. "$(dirname "$0")/lib.sh"
S="$T/s"
USER=owner run 0 init --store "$S"
run 0 ingest --store "$S" "$CB_SRC/examples/reports/01-wire-yanji-arrests.txt"
cp -a "$S" "$T/old-copy"
run 0 ingest --store "$S" "$CB_SRC/examples/reports/03-ngo-bulletin-songyuan-trafficking.txt"
run 0 verify --store "$S" --save-head "$T/head"
contains "$OUT" "head saved" "the head is saved"
contains "$(cat "$T/head")" "casebook-log-head" "the head file names itself"

# later changes keep the saved head in the chain
run 0 review --store "$S" 1 accept
run 0 verify --store "$S" --head-file "$T/head"
contains "$OUT" "is in the log" "the saved head is still in the log after more changes"

# the store rolled back to before the save
rm -rf "$S" && cp -a "$T/old-copy" "$S"
run 0 verify --store "$S"
run 4 verify --store "$S" --head-file "$T/head"
one_line "$ERR" "rolled back store"
contains "$ERR" "fewer than" "a rollback is named as missing entries"

# a head from another store: the entry at that position differs
S2="$T/s2"
USER=owner run 0 init --store "$S2"
run 0 ingest --store "$S2" "$CB_SRC/examples/reports/07-wire-helong-escape.txt"
run 0 ingest --store "$S2" "$CB_SRC/examples/reports/09-court-sentencing-hoeryong.txt"
run 0 ingest --store "$S2" "$CB_SRC/examples/reports/10-wire-tumen-detention.txt"
run 4 verify --store "$S2" --head-file "$T/head"
contains "$ERR" "rewritten" "another log at that entry is named as rewritten"

printf 'garbage\n' >"$T/bad"
run 1 verify --store "$S2" --head-file "$T/bad"
contains "$ERR" "not a head file" "a malformed head file is refused"
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
