#!/usr/bin/env bash
# The researcher's loop: ingest runs the extractor and stores its events as
# proposed, linked to their document and evidence; events lists them with
# filters; review and edit change them, each change in the signed log; the
# record (accepted events) comes out in the export.
. "$(dirname "$0")/lib.sh"
D="$CB_TEST_DATA/e2e"
S="$T/s.store"
run 0 init --store "$S" --user ana

run 0 ingest --store "$S" --format json "$D/wire-helong.txt" "$D/ngo-dandong.html"
contains "$OUT" '"events": ' "ingest reports proposed events"
total=$(sql "$S" "SELECT count(*) FROM events")
CHECKS=$((CHECKS + 1))
[ "$total" -gt 0 ] || fail "the extractor proposed no events on two reports"
equals "$(sql "$S" "SELECT count(*) FROM events WHERE status <> 'proposed' OR origin <> 'extractor'")" "0" "all proposed by the extractor"

# Each event points into its document: the quote is the text at the span.
equals "$(sql "$S" "SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc_id
	WHERE substr(d.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) <> e.evidence_quote")" "0" \
	"evidence quotes match their spans"

run 0 events --store "$S" --status proposed --format json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d and all(e["status"]=="proposed" and e["evidence"]["quote"] for e in d)' <<<"$OUT" ||
	fail "events --format json"
run 0 events --store "$S" --type sentencing --format json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(e["type"]=="sentencing" for e in d)' <<<"$OUT" ||
	fail "type filter"
run 0 events --store "$S" --admin1 Liaoning --format json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(e["location"]["admin1"]=="Liaoning" for e in d)' <<<"$OUT" ||
	fail "admin1 filter"
run 0 events --store "$S" --from 2030-01-01
contains "$OUT" "0 events" "date filter"

first=$(sql "$S" "SELECT min(id) FROM events")
last=$(sql "$S" "SELECT max(id) FROM events")
run 0 review --store "$S" "$first" accept
run 0 review --store "$S" "$last" reject
run 0 edit --store "$S" "$first" victims.count_min=3 victims.count_max=3 location.place=Helong location.admin1=Jilin
run 0 events --store "$S" --status accepted --format json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==1 and d[0]["victims"]["count_max"]==3 and d[0]["location"]["place"]=="Helong" and d[0]["reviewed_by"]=="ana"' <<<"$OUT" ||
	fail "accepted and edited event"
equals "$(sql "$S" "SELECT group_concat(action, ' ') FROM (SELECT action FROM change_log WHERE action IN ('review','edit') ORDER BY seq)")" "review review edit" "changes logged in order"

run 0 export --store "$S" --format csv --what events --status accepted
equals "$(printf '%s\n' "$OUT" | grep -c 'Helong')" "1" "the accepted event in the export"
run 0 verify --store "$S"
finish
