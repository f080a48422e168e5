#!/bin/bash
# test_estimate.sh: `casebook estimate` on a small fictional patterns file
# (table and JSON, log-linear and LCMCR, seeded runs repeat exactly), the
# row-per-person shape, and bad inputs: each a one-line error naming the
# file and the reason, never a number (empty, binary, non-0/1 values,
# negative counts, a count column under another name, one list only, no
# overlaps, everybody on every list), and bad options.
. "$(dirname "$0")/lib.sh"

# Fictional: three lists of detained people kept by three imaginary groups.
P="$T/lists.csv"
cat >"$P" <<'CSV'
# fictional capture patterns, for tests only
GroupA,GroupB,GroupC,count
1,0,0,60
0,1,0,45
0,0,1,50
1,1,0,15
1,0,1,18
0,1,1,12
1,1,1,5
CSV
FAST="--burnin 200 --samples 200 --thin 2"

run 0 estimate --help
contains "$OUT" "--patterns FILE" "help names --patterns"
contains "$OUT" "Exit status" "help explains the exit status"

run 0 estimate --patterns "$P" $FAST --seed 3
contains "$OUT" "3 lists (GroupA, GroupB, GroupC), 7 patterns, 205 people observed" "summary line"
contains "$OUT" "Mth Poisson2" "heterogeneity models listed"
contains "$OUT" "Mt + GroupA:GroupB" "interaction models listed"
contains "$OUT" "Best by AIC:" "best model named"
contains "$OUT" "LCMCR (K=10" "LCMCR section"
contains "$OUT" "N posterior median" "posterior median printed"
lacks "$ERR" "LCMCR:" "no progress line when stderr is not a terminal"

run 0 estimate --patterns "$P" --method loglin --format json
echo "$OUT" | python3 -c '
import json,sys
d=json.load(sys.stdin)
assert d["input"]["observed"]==205 and d["input"]["lists"]==["GroupA","GroupB","GroupC"], d["input"]
assert "lcmcr" not in d
ms={m["model"]:m for m in d["loglinear"]["models"]}
mt=ms["Mt"]
assert mt["status"]=="ok" and mt["df"]==3 and mt["parameters"]==4, mt
assert mt["lower"] <= mt["profile_N"] <= mt["upper"] and mt["N"] > 205, mt
assert d["loglinear"]["best_aic"] in ms
' || fail "loglin JSON has the models with intervals"

run 0 estimate --patterns "$P" --method lcmcr --format json $FAST --seed 11
A="$OUT"
run 0 estimate --patterns "$P" --method lcmcr --format json $FAST --seed 11
equals "$(echo "$OUT" | grep -v seconds)" "$(echo "$A" | grep -v seconds)" "same seed, same posterior"
echo "$OUT" | python3 -c '
import json,sys
l=json.load(sys.stdin)["lcmcr"]; q=l["quantiles"]
assert l["K"]==10 and l["samples"]==200, l
assert 205 <= q["0.025"] <= q["0.5"] <= q["0.975"], q
' || fail "LCMCR JSON quantiles ordered and above the observed count"

# One row per person, no count column.
printf 'A,B\n1,0\n1,1\n0,1\n1,1\n1,0\n0,1\n1,0\n' >"$T/rows.csv"
run 0 estimate --patterns "$T/rows.csv" --method loglin
contains "$OUT" "2 lists (A, B), 3 patterns, 7 people observed" "rows per person add up"

bad() { # bad NAME CONTENT EXPECTED-REASON
	printf '%b' "$2" >"$T/$1.csv"
	run 1 estimate --patterns "$T/$1.csv" --method loglin
	one_line "$ERR" "$1"
	contains "$ERR" "$T/$1.csv" "$1: error names the file"
	contains "$ERR" "$3" "$1: reason"
	equals "$OUT" "" "$1: nothing on stdout"
}
bad empty "" "empty file"
bad binary 'A,B,count\n1,0,\0003\n' "binary"
bad notbinary 'A,B,count\n1,yes,3\n' "line 2: column 'B' is 'yes', not 0 or 1"
bad twos 'A,B,count\n1,0,3\n2,1,4\n' "line 3: column 'A' is '2', not 0 or 1"
bad negative 'A,B,count\n1,0,3\n1,1,-4\n' "line 3: count '-4' is negative"
bad nocount 'A,B,people\n1,0,3\n1,1,4\n' "a column of counts must be named 'count' or 'freq'"
bad short 'A,B,count\n1,0,3\n1,1\n' "line 3: 2 fields, the header has 3"
bad onelist 'A,count\n1,30\n' "estimation needs at least two lists"
bad nooverlap 'A,B,C,count\n1,0,0,3\n0,1,0,4\n0,0,1,5\n' "nobody is on more than one list"
bad allones 'A,B,C,count\n1,1,1,40\n' "everybody observed is on every list"
bad onnolist 'A,B,count\n0,0,7\n1,1,2\n' "on no list"
bad utf8 'A,B,count\n1,0,3\xff\n' "invalid UTF-8"

run 1 estimate --patterns "$T/missing.csv"
contains "$ERR" "no such file" "missing file"
one_line "$ERR" "missing file"
run 2 estimate
contains "$ERR" "give --patterns FILE or --lists" "--patterns or --lists required"
run 2 estimate --patterns "$P" --method bayes
run 2 estimate --patterns "$P" -K 1
contains "$ERR" "bad value '1'" "K below 2 refused"
run 2 estimate --patterns "$P" --thin 0
run 2 estimate --patterns "$P" --seed -4

# --plot: an SVG of the posterior with the observed count, median and interval
run 0 estimate --patterns "$P" --method lcmcr --seed 5 --burnin 200 --samples 200 --thin 2 --plot "$T/post.svg"
contains "$(cat "$T/post.svg")" "<svg" "the plot is SVG"
contains "$(cat "$T/post.svg")" "observed 205" "the plot marks the observed count"
contains "$(cat "$T/post.svg")" "95% interval" "the plot marks the interval"
run 2 estimate --patterns "$P" --method loglin --plot "$T/x.svg"
contains "$ERR" "--plot" "--plot needs LCMCR"
run 1 estimate --patterns "$P" --method lcmcr --seed 5 --burnin 10 --samples 20 --plot /nonexistent/dir/p.svg
one_line "$ERR" "an unwritable plot path"

finish
