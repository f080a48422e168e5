#!/usr/bin/env bash
# casebook list-import, link --lists and estimate --lists on three fictional
# lists of one made-up population (tests/data/lists/gen_lists.py writes them
# with the truth): the capture patterns read off the linked lists match the
# truth; researchers' decisions change the clusters; bad lists get a one-line
# error and leave the store unchanged; the store never holds a name in clear.
. "$(dirname "$0")/lib.sh"

S="$T/s.store"
run 0 init --store "$S"
python3 "$CB_SRC/tests/data/lists/gen_lists.py" "$T" 600 11
MAPA='given=Given,family=Family,birth=Born,town=Hometown,sex=Sex'
MAPB='given=first name,family=surname,birth=dob,town=town'
MAPC='given=given,family=family,age=age,town=home'

# --- bad lists: each a one-line error naming the file, nothing stored
before=$(store_sum "$S")
printf '' >"$T/empty.csv"
run 1 list-import E "$T/empty.csv" --store "$S" --map given=Given
one_line "$ERR" "empty list"
contains "$ERR" "empty.csv: empty file" "empty list named"
head -c 4000 /dev/urandom >"$T/bin.csv"
run 1 list-import E "$T/bin.csv" --store "$S" --map given=Given
one_line "$ERR" "binary list"
contains "$ERR" "bin.csv" "binary list named"
printf 'Given,Family\nAnna,K\xffm\n' >"$T/bad.csv"
run 1 list-import E "$T/bad.csv" --store "$S" --map given=Given
contains "$ERR" "UTF-8" "invalid UTF-8 named"
printf 'Given,Family,Born\nAnna,Kim,1990-01-01\nBora,Lee,someday\n' >"$T/date.csv"
run 2 list-import E "$T/date.csv" --store "$S" --map given=Given,birth=Born
contains "$ERR" "date.csv: line 3" "a bad birth date names its line"
printf 'Given,Family\nAnna,Kim\n,\n' >"$T/noname.csv"
run 2 list-import E "$T/noname.csv" --store "$S" --map given=Given,family=Family
contains "$ERR" "line 3: no name" "a row without a name names its line"
run 2 list-import E "$T/A.csv" --store "$S" --map given=Nope
contains "$ERR" "no column 'Nope'" "an unknown column is named"
run 2 list-import E "$T/A.csv" --store "$S" --map eyes=Given
contains "$ERR" "unknown field 'eyes'" "an unknown field is named"
run 2 list-import 'bad name' "$T/A.csv" --store "$S" --map given=Given
contains "$ERR" "list name" "a bad list name is refused"
printf 'Given\n"open\n' >"$T/open.csv"
run 1 list-import E "$T/open.csv" --store "$S" --map given=Given
one_line "$ERR" "an open quote"
head -c 300 "$T/A.csv" >"$T/cut.csv"
printf '"' >>"$T/cut.csv"
run 1 list-import E "$T/cut.csv" --store "$S" --map given=Given
one_line "$ERR" "a truncated list"
run 1 list-import E "$T/nosuch.csv" --store "$S" --map given=Given
contains "$ERR" "nosuch.csv" "a missing file is named"
equals "$(store_sum "$S")" "$before" "bad lists leave the store unchanged"

# --- three lists
run 0 list-import A "$T/A.csv" --store "$S" --map "$MAPA"
contains "$OUT" "imported list 'A'" "list A imported"
run 0 list-import B "$T/B.csv" --store "$S" --map "$MAPB"
run 0 list-import C "$T/C.csv" --store "$S" --year 2020 --map "$MAPC"
run 1 list-import C "$T/C.csv" --store "$S" --map "$MAPC"
contains "$ERR" "already a list called 'C'" "a list name is used once"
run 0 list-import --show --store "$S" --format json
equals "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([(l["name"], l["rows"], l["link_run"]) for l in json.load(sys.stdin)])')" \
	"$(python3 -c "import sys; n=[sum(1 for _ in open('$T/'+x+'.csv'))-1 for x in 'ABC']; print([('A', n[0], None), ('B', n[1], None), ('C', n[2], None)])")" \
	"--show lists the lists, unlinked"
# names are sealed: not in any store file
first=$(sed -n 2p "$T/A.csv" | cut -d, -f1)
if grep -rqa "$first" "$S"; then fail "a name from list A is readable in the store"; fi
CHECKS=$((CHECKS + 1))

# --- estimation needs linkage first
run 1 estimate --lists A,B,C --store "$S"
contains "$ERR" "not linked" "estimate before link says what to run"
run 2 estimate --lists A --store "$S"
contains "$ERR" "two lists" "one list cannot be estimated"
run 1 estimate --lists A,Z --store "$S"
contains "$ERR" "no list called 'Z'" "an unknown list is named"

# --- link the three, then the patterns match the truth
run 0 link --lists A,B,C --store "$S" --show
contains "$OUT" "linked" "link --lists reports"
run 0 estimate --lists A,B,C --store "$S" --format json --method loglin
printf '%s' "$OUT" >"$T/est.json"
python3 - "$T/est.json" "$T/truth.json" <<'PY' || fail "patterns off the linked lists are near the truth"
import json, sys
est, truth = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cells, want = est["input"]["cells"], truth["patterns"]
off = sum(abs(cells.get(k, 0) - want.get(k, 0)) for k in set(cells) | set(want))
print("cells", cells, "truth", want, "off by", off)
sys.exit(0 if off <= 0.03 * truth["observed"] else 1)
PY
CHECKS=$((CHECKS + 1))
run 0 list-import --show --store "$S" --format json
contains "$OUT" '"link_run": 1' "the lists are marked linked"

# --- researchers' decisions: split two joined records, confirm two others
run 0 person list --store "$S" --format json
printf '%s' "$OUT" >"$T/persons.json"
read -r a b c d < <(python3 - "$T/persons.json" <<'PY'
import json, sys
ps = json.load(open(sys.argv[1]))
by = {}
for p in ps:
    i = p.get("identity") or {}
    if "birth_date" in i:
        by.setdefault(i["birth_date"], []).append(p["pseudonym"])
same = next(v for v in by.values() if len(v) == 2)
single = [v[0] for v in by.values() if len(v) == 1]
print(same[0], same[1], single[0], single[1])
PY
)
clusters() {
	run 0 link --lists A,B,C --store "$S" --format json
	printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["clusters"])'
}
n0=$(clusters)
run 0 link --split "$a,$b" --store "$S"
contains "$OUT" "split" "a split is recorded"
equals "$(clusters)" "$((n0 + 1))" "a split pair falls apart on the next run"
run 0 link --confirm "$c,$d" --store "$S"
equals "$(clusters)" "$n0" "a confirmed pair is joined on the next run"
run 0 link --decisions --store "$S" --format json
contains "$OUT" '"decision": "split"' "decisions are listed"
run 2 link --split "$a" --store "$S"
contains "$ERR" "two pseudonyms" "a decision needs two persons"
run 1 link --split "$a,P-AAAAAAAA" --store "$S"
contains "$ERR" "no such person" "an unknown person is named"
run 0 verify --store "$S"

# --- lists linked in different runs are not estimated together
run 0 link --lists A,B --store "$S"
run 1 estimate --lists A,B,C --store "$S"
contains "$ERR" "different runs" "runs are not mixed"
run 0 estimate --lists A,B --store "$S" --method loglin
contains "$OUT" "Mt" "two lists linked together are estimated"

# --- a viewer cannot open the lists
CASEBOOK_NEW_PASSPHRASE=viewer-pass run 0 user add vi --role viewer --store "$S"
CASEBOOK_USER=vi CASEBOOK_PASSPHRASE=viewer-pass run 3 link --lists A,B --store "$S"
contains "$ERR" "viewer" "a viewer cannot link the lists"
CASEBOOK_USER=vi CASEBOOK_PASSPHRASE=viewer-pass run 3 list-import D "$T/A.csv" --store "$S" --map "$MAPA"
contains "$ERR" "viewer" "a viewer cannot import a list"
finish
