#!/usr/bin/env bash
# Events: import in the codebook format, list with filters, review, edit;
# each change in the log; bad files refused whole.
. "$(dirname "$0")/lib.sh"
D="$CB_TEST_DATA/e2e"
S="$T/s.store"
run 0 init --store "$S" --user ana
run 0 ingest --store "$S" --no-extract "$D/wire-helong.txt"
equals "$(sql "$S" "SELECT count(*) FROM events")" "0" "no events without the extractor"

cp "$D/events-helong.json" "$T/wire-helong.json"
run 0 import-events --store "$S" "$T/wire-helong.json"
contains "$OUT" "2 events added to document 1" "import by source name"
run 0 events --store "$S" --type arrest
contains "$OUT" "Helong, Jilin, CN" "event place"
contains "$OUT" "1 event" "type filter"
run 0 events --store "$S" --admin1 jilin --format json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==1 and d[0]["victims"]["count_min"]==3 and d[0]["status"]=="accepted"' <<<"$OUT" ||
	fail "events json"
run 2 events --store "$S" --type kidnap
contains "$ERR" "not an event type" "bad type filter"

run 0 import-events --store "$S" --doc 1 --status proposed "$D/events-helong.json"
id=$(sql "$S" "SELECT max(id) FROM events")
run 0 review --store "$S" --user ana "$id" reject
equals "$(sql "$S" "SELECT status || '/' || reviewed_by FROM events WHERE id = $id")" "rejected/ana" "review recorded"
run 0 edit --store "$S" --user ana "$id" location.place=Yanji victims.count_max=5 date.start=2024-03
equals "$(sql "$S" "SELECT place || '/' || victim_count_max || '/' || date_start FROM events WHERE id = $id")" "Yanji/5/2024-03" "edit applied"
contains "$(sql "$S" "SELECT detail FROM change_log WHERE action = 'edit'")" '"old":3' "old value logged"

before=$(store_sum "$S")
run 2 edit --store "$S" "$id" victims.gender=unknown
run 2 edit --store "$S" "$id" location.place=Tumen victims.gender=unknown
contains "$ERR" "victims.gender must be one of" "bad edit value"
equals "$(sql "$S" "SELECT place FROM events WHERE id = $id")" "Yanji" "a failed edit changes nothing"
run 1 edit --store "$S" 9999 type=arrest
contains "$ERR" "no event 9999" "unknown event"
run 1 review --store "$S" 9999 accept
contains "$ERR" "no event 9999" "review unknown event"

# Bad import files: nothing written.
before=$(store_sum "$S")
run 1 import-events --store "$S" --doc 1 "$D/events-bad-type.json"
contains "$ERR" "event 1: type must be one of" "bad event type named"
one_line "$ERR" "bad import"
printf '{"events": [' >"$T/cut.json"
run 1 import-events --store "$S" --doc 1 "$T/cut.json"
contains "$ERR" "not valid JSON at line" "truncated JSON"
: >"$T/empty.json"
run 1 import-events --store "$S" --doc 1 "$T/empty.json"
contains "$ERR" "empty file" "empty JSON"
printf '{"events": [{"type": "arrest", "evidence": {"start": 0, "end": 999999}}]}' >"$T/span.json"
run 1 import-events --store "$S" --doc 1 "$T/span.json"
contains "$ERR" "outside the document" "evidence outside the text"
run 1 import-events --store "$S" "$T/span.json"
contains "$ERR" "no stored document matches" "no matching document"
equals "$(sql "$S" "SELECT count(*) FROM events")" "4" "bad imports wrote nothing"
equals "$(sql "$S" "SELECT group_concat(action, ' ') FROM change_log")" "init ingest import-events import-events review edit" "change log"
finish
