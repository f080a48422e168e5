#!/usr/bin/env bash
# casebook link and casebook pprl on real files: bad inputs get a one-line
# error and a non-zero exit; a small fictional list is deduplicated; and,
# where ../shared holds the FEBRL benchmark files, the accuracy targets of
# the linkage issue are checked (F1 >= 0.97 on febrl4 in the clear; PPRL at
# Dice 0.8 precision and recall >= 0.99).
. "$(dirname "$0")/lib.sh"

# --- bad input
printf '' >"$T/empty.csv"
run 1 link "$T/empty.csv" --map given=first
one_line "$ERR" "empty list"
contains "$ERR" "empty" "empty list named"
printf 'first,last\nAnna,Kim\n' >"$T/one.csv"
run 2 link "$T/one.csv" --map given=nosuch
contains "$ERR" "nosuch" "unknown column named"
run 2 link "$T/one.csv" --map eyes=first
contains "$ERR" "unknown field" "unknown field named"
printf 'first\n\xff\xfe\n' >"$T/bad.csv"
run 1 link "$T/bad.csv" --map given=first
contains "$ERR" "UTF-8" "invalid UTF-8 named"
printf 'first\n"open\n' >"$T/open.csv"
run 1 link "$T/open.csv" --map given=first
contains "$ERR" "not closed" "an open quote named"
head -c 3000 /dev/urandom >"$T/bin.csv"
run 1 link "$T/bin.csv" --map given=first
one_line "$ERR" "binary list"
run 2 link "$T/one.csv"
contains "$ERR" "--map" "--map is required"
run 2 link --lists a,b --map given=first
contains "$ERR" "store's lists" "--lists does not mix with CSV files"
printf 'short' >"$T/short.key"
run 2 pprl encode "$T/one.csv" --map given=first --key-file "$T/short.key"
contains "$ERR" "16 bytes" "a short key is refused"
printf 'not a clk\n' >"$T/x.clk"
run 1 pprl link "$T/x.clk" "$T/x.clk"
contains "$ERR" "not a casebook .clk" "a bad .clk file is refused"

# --- a small fictional list with romanised and reordered names
cat >"$T/list.csv" <<'CSV'
id,given,family,born,town
r1,Mi-young,Choi,1990-03-05,Hyesan
r2,Mi Young,Choe,1990-03-05,Hyesan
r3,Chol,Kim,1975-11-20,Musan
r4,Kim,Chol,1975-11-20,Musan
r5,Sunhee,Ryom,1988-04-12,Onsong
r6,Young-ho,Park,1962-07-30,Sinuiju
CSV
run 0 link "$T/list.csv" --map id=id,given=given,family=family,birth=born,town=town --format json
contains "$OUT" '"r1"' "the clusters name their records"
printf '%s' "$OUT" >"$T/out.json"
python3 - "$T/out.json" <<'PY' || fail "Choi/Choe and swapped names should cluster; Ryom and Park stay alone"
import json, sys
o = json.load(open(sys.argv[1]))
cl = [sorted(c) for c in o["clusters"]]
assert ["r1", "r2"] in cl and ["r3", "r4"] in cl, cl
assert not any("r5" in c or "r6" in c for c in cl), cl
PY

# --- FEBRL accuracy, where the benchmark files are at hand
D=${CB_SHARED:-}/data/linkage
if [ -f "$D/febrl_dataset4a.csv" ]; then
	M="id=rec_id,given=given_name,family=surname,birth=date_of_birth,town=suburb,postcode=postcode,street=address_1,number=street_number,state=state,idnum=soc_sec_id"
	run 0 link "$D/febrl_dataset4a.csv" "$D/febrl_dataset4b.csv" --map "$M" --evaluate --format json
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["evaluation"]; assert e["f1"] >= 0.97, e' "$T/out" ||
		fail "febrl4 in the clear: F1 below 0.97"
	for s in 1 2 3; do
		run 0 link "$D/febrl_dataset$s.csv" --map "$M" --evaluate --format json
		python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["evaluation"]; assert e["f1"] >= 0.95, e' "$T/out" ||
			fail "febrl$s dedupe: F1 below 0.95"
	done
	head -c 32 /dev/urandom >"$T/k"
	run 0 pprl encode "$D/febrl_dataset4a.csv" --map "$M" --key-file "$T/k" --out "$T/a.clk"
	run 0 pprl encode "$D/febrl_dataset4b.csv" --map "$M" --key-file "$T/k" --out "$T/b.clk"
	lacks "$(cat "$T/a.clk")" "michaela" "a .clk file holds no names"
	run 0 pprl link "$T/a.clk" "$T/b.clk" --threshold 0.8 --evaluate --format json
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["evaluation"]; assert e["precision"] >= 0.99 and e["recall"] >= 0.99, e' "$T/out" ||
		fail "PPRL at Dice 0.8: precision and recall should reach 0.99"
else
	echo "note: FEBRL files not found under \$CB_SHARED; accuracy not checked here" >&2
fi
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
