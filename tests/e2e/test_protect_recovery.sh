#!/usr/bin/env bash
# A forgotten passphrase: the recovery key printed once at `init --recovery`
# unlocks the store for `passwd --recovery-file`, which sets a new
# passphrase; the old one no longer opens it, the data is all there, and a
# wrong or malformed recovery key, or a store made without one, is refused
# with one line and exit 3 (or 1 for a malformed file), nothing changed.
. "$(dirname "$0")/lib.sh"
S="$T/s"
USER=owner run 0 init --store "$S" --recovery
contains "$OUT" "recovery key" "init --recovery prints the key"
printf '%s\n' "$OUT" | tail -1 >"$T/rec.key"
CHECKS=$((CHECKS + 1))
grep -Eq '^[0-9a-f]{64}$' "$T/rec.key" || fail "the recovery key is 64 hex digits"
run 0 ingest --store "$S" "$CB_SRC/examples/reports/01-wire-yanji-arrests.txt"

# wrong and malformed recovery keys change nothing
before=$(store_sum "$S")
printf '%064d\n' 0 >"$T/wrong.key"
run 3 passwd --store "$S" --recovery-file "$T/wrong.key"
one_line "$ERR" "a wrong recovery key"
contains "$ERR" "does not fit" "a wrong recovery key is named as such"
printf 'not hex\n' >"$T/bad.key"
run 1 passwd --store "$S" --recovery-file "$T/bad.key"
contains "$ERR" "64 hex digits" "a malformed recovery file is named"
equals "$(store_sum "$S")" "$before" "failed recoveries leave the store as it was"

# the passphrase is forgotten: recover and set a new one
CASEBOOK_PASSPHRASE="not the passphrase any more" CASEBOOK_NEW_PASSPHRASE="new after recovery" \
	run 0 passwd --store "$S" --recovery-file "$T/rec.key"
contains "$OUT" "changed" "passwd with the recovery key sets a new passphrase"
run 3 list --store "$S"
contains "$ERR" "wrong passphrase" "the old passphrase no longer opens the store"
CASEBOOK_PASSPHRASE="new after recovery" run 0 list --store "$S"
contains "$OUT" "1 document" "the data is all there under the new passphrase"
CASEBOOK_PASSPHRASE="new after recovery" run 0 verify --store "$S"

# a store made without a recovery key
S2="$T/s2"
USER=owner run 0 init --store "$S2"
run 3 passwd --store "$S2" --recovery-file "$T/rec.key"
contains "$ERR" "no recovery key" "a store without one says so"
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
