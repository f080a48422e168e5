#!/usr/bin/env bash
# A viewer never reads a protected name on the command line: search (table
# and JSON, titles and snippets), list, show, events and export all show
# the pseudonym; show --original is refused (an original cannot be masked
# reliably). An editor reads the name.
. "$(dirname "$0")/lib.sh"
S="$T/s"
USER=owner run 0 init --store "$S"
export CASEBOOK_USER=owner
CASEBOOK_NEW_PASSPHRASE=viewer-pass run 0 user add vi --role viewer --store "$S"
CASEBOOK_NEW_PASSPHRASE=editor-pass run 0 user add ed --role editor --store "$S"
run 0 ingest --store "$S" --outlet "Test Wire" "$CB_SRC/tests/browser/named-report.txt"
run 0 person add --store "$S" --given Sunhee --family Ryom --event 1 --role victim
P=$OUT
run 0 person reseal --store "$S"

export CASEBOOK_USER=vi CASEBOOK_PASSPHRASE=viewer-pass
for args in "search --store $S Ryom" "search --store $S Helong --format json" "list --store $S" \
	"list --store $S --format json" "show --store $S 1" "show --store $S 1 --format json" \
	"events --store $S" "events --store $S --format json" "export --store $S --format json --what documents" \
	"export --store $S --format csv --what events"; do
	# shellcheck disable=SC2086
	run 0 $args
	lacks "$OUT" "Sunhee" "viewer: casebook $args shows no given name"
	lacks "$OUT" "Ryom Sunhee" "viewer: casebook $args shows no full name"
done
run 0 show --store "$S" 1
contains "$OUT" "$P" "viewer: the name reads as its pseudonym"
run 3 show --store "$S" 1 --original
one_line "$ERR" "viewer: --original refused"
contains "$ERR" "viewers cannot read originals" "viewer: --original says why"
lacks "$OUT" "Sunhee" "viewer: nothing of the original was written"

export CASEBOOK_USER=ed CASEBOOK_PASSPHRASE=editor-pass
run 0 show --store "$S" 1 --original
contains "$OUT" "Ryom Sunhee" "editor: the original as ingested"
run 0 search --store "$S" Helong --format json
contains "$OUT" "Ryom" "editor: search shows the name"
# An editor added after the person was sealed reads the name at once: user
# add by an owner reseals the identities (and says so).
CASEBOOK_USER=owner CASEBOOK_PASSPHRASE="e2e passphrase" CASEBOOK_NEW_PASSPHRASE=late-pass \
	run 0 user add late --role editor --store "$S"
contains "$OUT" "resealed 1" "user add of an editor reseals"
CASEBOOK_USER=late CASEBOOK_PASSPHRASE=late-pass run 0 person list --store "$S" --format json
contains "$OUT" "Ryom" "the late editor reads the identity"
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
