#!/usr/bin/env bash
# Search (bm25, snippets, filters, JSON) and export (CSV RFC 4180, JSON).
. "$(dirname "$0")/lib.sh"
D="$CB_TEST_DATA/e2e"
S="$T/s.store"
run 0 init --store "$S"
run 0 ingest --store "$S" --outlet Yonhap "$D/wire-helong.txt"
run 0 ingest --store "$S" "$D/ngo-dandong.html"

run 0 search --store "$S" Helong
contains "$OUT" "[Helong]" "highlighted snippet"
contains "$OUT" "1 result" "one hit"
run 0 search --store "$S" --format json fingerprints
contains "$OUT" '"snippet"' "json search"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==1 and d[0]["id"]==1' <<<"$OUT" ||
	fail "search json is not what scripts expect"
run 0 search --store "$S" dandong --outlet Yonhap
contains "$OUT" "0 results" "outlet filter"
run 0 search --store "$S" broker --from 2024-09-01 --to 2024-09-30
contains "$OUT" "1 result" "date filter keeps"
run 0 search --store "$S" broker --from 2025
contains "$OUT" "0 results" "date filter drops"
run 0 search --store "$S" 'N.Korean "unbalanced'
contains "$OUT" "result" "query that is not FTS5 syntax still searches"
run 0 search --store "$S" 'hoeryŏng OR helong'
contains "$OUT" "1 result" "diacritics folded, OR"
# Prefix words are answered from the index's own words (search/prefix.c):
# the same reports as FTS5's own prefix search, in every position a prefix
# may take, and untouched inside quotes and NEAR().
for q in 'Hel*' 'hel*' 'Hel* AND broker' 'broker AND hel*' '(hel* OR dandong)' 'text: hel*' \
	'NEAR(hel* broker, 50)' '"hel"*' 'zzzz*' 'a*' 'hel* NOT zzz'; do
	run 0 search --store "$S" --format json "$q"
	got=$(python3 -c 'import json,sys; print(sorted(d["id"] for d in json.load(sys.stdin)))' <<<"$OUT")
	want=$(sql "$S" "SELECT rowid FROM documents_fts WHERE documents_fts MATCH '$(printf '%s' "$q" | sed "s/'/''/g")' ORDER BY rowid" |
		python3 -c 'import sys; print(sorted(int(l) for l in sys.stdin if l.strip()))')
	equals "$got" "$want" "prefix query '$q' finds what FTS5 finds"
done

run 0 export --store "$S" --format csv
python3 - "$T/out" <<'PY' || fail "documents CSV does not parse as RFC 4180"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0][0] == 'id' and len(rows) == 3, rows
assert all(len(r) == len(rows[0]) for r in rows)
PY
CHECKS=$((CHECKS + 1))
grep -q $'\r$' "$T/out" || fail "CSV lines must end in CRLF"
run 0 export --store "$S" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==2 and "text" in d[0]["document"] and "events" in d[0]' "$T/out" ||
	fail "documents JSON export"
run 0 export --store "$S" --format csv --what events --out "$T/events.csv"
[ -s "$T/events.csv" ] || fail "export --out wrote nothing"
head -1 "$T/events.csv" | grep -q '^id,document,status,type' || fail "events CSV header"
run 2 export --store "$S"
contains "$ERR" "--format" "export needs a format"
equals "$(sql "$S" "SELECT count(*) FROM change_log WHERE action = 'export'")" "3" "exports logged"

# On the shared dev corpus, when it is there: Songyuan is found with a snippet.
if [ -d "${CB_SHARED:-}/corpus/dev/docs" ]; then
	run 0 ingest --store "$S" "$CB_SHARED/corpus/dev/docs"
	contains "$OUT" "failed 0" "dev corpus ingests"
	run 0 search --store "$S" Songyuan
	contains "$OUT" "[Songyuan]" "Songyuan found with a snippet"
fi
finish
