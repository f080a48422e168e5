#!/usr/bin/env bash
# bench/link/run.sh: record linkage speed, each figure beside its target or
# baseline in the same run:
#   1. FEBRL 4 (5,000 x 5,000) linked in the clear: seconds (target < 1 s)
#      with precision/recall/F1;
#   2. a synthetic list of N persons (default 1,000,000) with 10% duplicates
#      deduplicated: seconds (target < 60 s on 2 cores; Splink publishes about
#      a minute for a million records on a laptop), peak memory, P/R/F1;
#   3. PPRL Dice comparisons per second on one core beside a plain popcount
#      loop over the same bit arrays (anonlink publishes 1.1-1.4e8/s).
# Work goes to $BENCH_DIR (default bench/out).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-1000000}
out=${BENCH_DIR:-$root/bench/out}
[ -n "${BENCH_NO_BUILD:-}" ] || "$root/scripts/build.sh" "$root/build" >/dev/null
cb="$root/build/casebook"
mkdir -p "$out"
D=${CB_SHARED:-$root/../shared}/data/linkage
M="id=rec_id,given=given_name,family=surname,birth=date_of_birth,town=suburb,postcode=postcode,street=address_1,number=street_number,state=state,idnum=soc_sec_id"
echo "== FEBRL 4 in the clear (target: under 1 s, F1 >= 0.97)"
t0=$(date +%s.%N)
"$cb" link "$D/febrl_dataset4a.csv" "$D/febrl_dataset4b.csv" --map "$M" --evaluate
t1=$(date +%s.%N)
python3 -c "print('  wall %.3f s (whole command, reading included)' % ($t1 - $t0))"

echo "== $n synthetic persons + 10% duplicates, dedupe (target: under 60 s)"
list="$out/persons-$n.csv"
[ -f "$list" ] || python3 "$here/gen_persons.py" "$n" 10 "$list"
t0=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$out/link-mem" "$cb" link "$list" --map id=id,given=given,family=family,birth=born,town=town --evaluate
t1=$(date +%s.%N)
python3 -c "print('  wall %.1f s, peak memory %.0f MB' % ($t1 - $t0, $(cat "$out/link-mem") / 1024))"

echo "== PPRL: Dice comparisons per second, one core"
head -c 32 /dev/urandom >"$out/pprl.key"
"$cb" pprl encode "$D/febrl_dataset4a.csv" --map "$M" --key-file "$out/pprl.key" --out "$out/a.clk"
"$cb" pprl encode "$D/febrl_dataset4b.csv" --map "$M" --key-file "$out/pprl.key" --out "$out/b.clk"
"$root/build/bench/link/bench_dice" "$out/a.clk" "$out/b.clk"
"$cb" pprl link "$out/a.clk" "$out/b.clk" --threshold 0.8 --evaluate
