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

# Hostile inputs: a one-line error or a result, never a crash or a hang.
python3 -c 'import sys; sys.stdout.write("Police arrested five women near Yanji and " * 240000)' >"$T/long.txt"
CHECKS=$((CHECKS + 1))
st=0
timeout 120 "$CASEBOOK" extract --format json "$T/long.txt" >"$T/long.json" 2>"$T/long.err" || st=$?
[ "$st" = 0 ] || fail "10 MB on one line: status $st $(head -c 200 "$T/long.err")"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/long.json" || fail "10 MB line: JSON out"
printf 'Police arrested \xc3\x28 five women.\n' >"$T/badutf8.txt"
run 1 extract "$T/badutf8.txt"
contains "$ERR" "badutf8.txt" "invalid UTF-8 named"
python3 -c 'import sys; sys.stdout.write("<div>" * 100000 + "<p>Police arrested two women.</p>" + "</div>" * 100000)' >"$T/nest.html"
CHECKS=$((CHECKS + 1))
st=0
timeout 60 "$CASEBOOK" extract "$T/nest.html" >/dev/null 2>"$T/nest.err" || st=$?
[ "$st" -le 1 ] || fail "deeply nested HTML: status $st"
# A dateline says where and when the report was filed, not the act.
printf 'Fictional test report\n\nHARBIN, March 3, 2011 (Fictional Wire) -- Police detained four North Korean women on Feb. 20, 2011 in Yanji.\n' >"$T/dateline.txt"
run 0 extract "$T/dateline.txt"
echo "$OUT" | python3 -c '
import json,sys
e=json.load(sys.stdin)["events"][0]
assert e["date"]["start"]=="2011-02-20", e["date"]
assert e["location"]["admin1"]=="Jilin", e["location"]
' || fail "dateline date and place are not the event's"

# Accuracy, where the shared scorer is beside the checkout: on the project's
# own annotated reports and on the shared dev corpus, event F1 stays well
# above the 0.80 the extractor must reach (a rule change that costs more
# than a few events fails here).
if [ -x "$CB_SHARED/tools/score-events" ]; then
	for set in "$CB_TEST_DATA/accuracy" "$CB_SHARED/corpus/dev"; do
		[ -d "$set/docs" ] || continue
		rm -rf "$T/acc"
		"$CASEBOOK" extract --out "$T/acc" "$set"/docs/*.txt >/dev/null 2>&1
		f1=$("$CB_SHARED/tools/score-events" "$set" "$T/acc" | sed -n 's/^event F1: //p')
		CHECKS=$((CHECKS + 1))
		python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.85 else 1)' "${f1:-0}" \
			|| fail "event F1 on $set: ${f1:-none} (< 0.85)"
	done
fi

run 2 extract --format xml "$R"
run 2 extract
finish
