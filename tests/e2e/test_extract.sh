#!/bin/bash
# test_extract.sh: `casebook extract` on a fictional report, --out, --format
# table, --help, and bad files (each a one-line error naming the file while
# the other files are still processed).
. "$(dirname "$0")/lib.sh"
R="$CB_TEST_DATA/extract/report-songhwa.txt"

run 0 extract --help
contains "$OUT" "--out DIR" "help names --out"
contains "$OUT" "Exit status" "help explains the exit status"

run 0 extract "$R"
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert set(d)=={"document","events","statistics"}, d.keys()' \
	|| fail "extract prints one codebook object"
contains "$OUT" '"type": "arrest"' "arrest found"
contains "$OUT" '"type": "repatriation"' "repatriation found"
contains "$OUT" '"type": "trafficking"' "trafficking found"
contains "$OUT" '"unit": "percent"' "statistic found"
# Evidence offsets are code points and quote the text.
echo "$OUT" | python3 -c '
import json,sys
d=json.load(sys.stdin); t=open(sys.argv[1],encoding="utf-8").read()
for e in d["events"]:
    ev=e["evidence"]; assert t[ev["start"]:ev["end"]]==ev["quote"], ev
    for k in ("type","modality","date","location","actors","victims","sentence_years"): assert k in e, k
' "$R" || fail "evidence spans quote the report"

run 0 extract --format table "$R"
contains "$OUT" "arrest" "table lists events"

printf '\x00\x01\x02binary' >"$T/bin.txt"
: >"$T/empty.txt"
run 1 extract --out "$T/o" "$T/bin.txt" "$R" "$T/empty.txt" "$T/missing.txt"
contains "$ERR" "bin.txt" "binary file named"
contains "$ERR" "empty.txt" "empty file named"
contains "$ERR" "missing.txt" "missing file named"
CHECKS=$((CHECKS + 1))
[ -s "$T/o/report-songhwa.json" ] || fail "the good file was still extracted"
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$ERR" | grep -c .)" = 3 ] || fail "one line per bad file: $ERR"

run 2 extract --format xml "$R"
run 2 extract
finish
