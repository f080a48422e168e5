#!/usr/bin/env bash
# Persons and protected fields: an owner adds a person linked to an event;
# a viewer sees pseudonyms only, cannot open identities, and sees the name
# masked in show and events; exports redact by default and say so;
# --include-protected works for an owner (logged) and not for a viewer.
. "$(dirname "$0")/lib.sh"
S="$T/p.store"

# A fictional report (made up for this test) naming one person.
mkdir "$T/r"
cat >"$T/r/fictional.txt" <<'EOF'
Fictional test report: no real person or case.

Chinese police arrested Ryang Sun-ok, a North Korean woman, in Yanji on 3 March 2024, a church worker said. RYANG was later moved to Tumen.
EOF
run 0 init --store "$S" --user ana
run 0 ingest --store "$S" "$T/r"
run 0 events --store "$S" --format json
ev=$(printf '%s\n' "$OUT" | sed -n 's/^    "id": \([0-9]*\),$/\1/p' | head -1)
[ -n "$ev" ] || fail "no event extracted from the fictional report"
contains "$OUT" "Ryang Sun-ok" "the owner reads the name in the quote"

# Owner adds the person, linked to the event.
run 0 person add --store "$S" --given Sun-ok --family Ryang --birth 1991-04 --town Musan \
	--contact "fictional-contact" --event "$ev" --role victim
P=$OUT
[[ "$P" =~ ^P-[A-Z2-7]{8}$ ]] || fail "pseudonym format: '$P'"
run 0 person list --store "$S"
contains "$OUT" "$P" "owner lists the pseudonym"
contains "$OUT" "Sun-ok" "owner lists the identity"
run 0 person show --store "$S" "$P"
contains "$OUT" "Musan" "owner shows the identity"
contains "$OUT" "event $ev as victim" "the link"
run 2 person add --store "$S" --birth 1991-13
run 2 person add --store "$S" --given X --event "$ev" --role boss
run 1 person show --store "$S" P-AAAAAAAA
contains "$ERR" "no such person" "unknown pseudonym"
run 2 person show --store "$S" not-a-pseudonym
run 0 person link --store "$S" "$P" --event "$ev" --role witness
run 0 person show --store "$S" "$P"
contains "$OUT" "event $ev as witness" "person link"
run 1 person link --store "$S" "$P" --event 9999 --role witness
contains "$ERR" "no such event" "link to a missing event"
run 2 person link --store "$S" "$P" --given X --event "$ev" --role witness
# The identity is nowhere in the clear in the store files.
CHECKS=$((CHECKS + 1))
if find "$S" -type f -exec strings -n 5 {} + | grep -q "fictional-contact"; then
	fail "contact in the clear in the store"
fi
# ... nor in the change log (viewers read it).
equals "$(sql "$S" "SELECT count(*) FROM change_log WHERE detail LIKE '%Musan%' OR detail LIKE '%Sun-ok%'")" \
	"0" "no identity in the change log"
equals "$(sql "$S" "SELECT count(*) FROM change_log WHERE action IN ('person-add', 'person-link')")" \
	"3" "add and links logged"

# A viewer: pseudonyms only, no identities, names masked.
CASEBOOK_NEW_PASSPHRASE="viewer pass" run 0 user add vic --role viewer --store "$S"
V=(env CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass")
CHECKS=$((CHECKS + 1))
"${V[@]}" "$CASEBOOK" person list --store "$S" >"$T/vl" 2>&1 || fail "viewer person list failed"
grep -q "$P" "$T/vl" || fail "viewer sees the pseudonym"
! grep -q "Sun-ok\|Musan" "$T/vl" || fail "viewer sees the identity in person list"
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 3 person show --store "$S" "$P"
contains "$ERR" "sealed" "viewer refused identities"
lacks "$OUT" "Musan" "no identity shown to the viewer"
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 3 person add --store "$S" --given X
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 0 show --store "$S" 1
contains "$OUT" "arrested [$P], a North" "viewer sees the name masked in show"
contains "$OUT" "[$P] was later" "upper-case name masked too"
lacks "$OUT" "Ryang" "no family name in show"
lacks "$OUT" "Sun-ok" "no given name in show"
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 0 events --store "$S" --format json
contains "$OUT" "[$P]" "viewer sees the name masked in events"
lacks "$OUT" "Ryang" "no name in events"
run 0 show --store "$S" 1
contains "$OUT" "Ryang Sun-ok" "the owner is not masked"

# Export: redacted by default, and says so.
for what in documents events persons; do
	run 0 export --store "$S" --format json --what $what
	contains "$ERR" "redacted" "export $what says it redacted"
	contains "$OUT" '"redacted"' "export $what: redacted field"
	lacks "$OUT" "Ryang" "export $what: no name"
	lacks "$OUT" "Musan" "export $what: no identity"
done
run 0 export --store "$S" --format json --what events
contains "$OUT" "\"pseudonym\": \"$P\"" "events carry their persons"
run 0 export --store "$S" --format csv --what events
contains "$OUT" "$P:victim" "events CSV names persons"
# --include-protected: an owner's export has the identities, and is logged.
run 0 export --store "$S" --format json --what persons --include-protected
contains "$OUT" "Musan" "owner's protected export has the identity"
contains "$ERR" "included" "protected export said so"
equals "$(sql "$S" "SELECT json_extract(detail, '\$.include_protected') FROM change_log WHERE action = 'export' ORDER BY seq DESC LIMIT 1")" \
	"1" "protected export logged as such"
run 0 export --store "$S" --format json --what documents --include-protected
contains "$OUT" "Ryang Sun-ok" "protected export unmasked"
# ... refused to a viewer, with nothing written.
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 3 export --store "$S" --format json \
	--what persons --include-protected --out "$T/x.json"
contains "$ERR" "viewer" "viewer refused the protected export"
[ ! -e "$T/x.json" ] || fail "refused export left a file"

# An editor added later: user add by an owner reseals the old identity at once.
CASEBOOK_NEW_PASSPHRASE="editor pass" run 0 user add eve --role editor --store "$S"
contains "$OUT" "resealed 1" "user add of an editor reseals"
run 0 person reseal --store "$S"
contains "$OUT" "resealed 1" "reseal"
CASEBOOK_USER=eve CASEBOOK_PASSPHRASE="editor pass" run 0 person show --store "$S" "$P"
contains "$OUT" "Musan" "the editor reads it after the reseal"
CASEBOOK_USER=eve CASEBOOK_PASSPHRASE="editor pass" run 3 person reseal --store "$S"

run 0 verify --store "$S"
finish
