#!/usr/bin/env bash
# bench/estimate/run.sh: the LCMCR Gibbs sampler's speed - 110,000
# iterations on the Kosovo capture patterns with K = 10 (10,000 burn-in, then
# 1,000 draws thinned by 100), three seeds - in iterations per second,
# beside the figure for the R package LCMCR (C++) on this kind of machine,
# about 48,000 per second (the issue's figure; R is not installed here, so
# it is quoted, not measured in the same run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -n "${BENCH_NO_BUILD:-}" ] || "$root/scripts/build.sh" "$root/build" >/dev/null
cb="$root/build/casebook"
data=${CB_SHARED:-$root/../shared}/data/mse/kosovo_aggregate_patterns.csv
R_LCMCR=48000
printf '%-6s %-10s %-10s %-12s %-8s %s\n' seed seconds iter_s vs_R_LCMCR median interval_95
for seed in 1 2 3; do
	"$cb" estimate --patterns "$data" --method lcmcr -K 10 --burnin 10000 --samples 1000 --thin 100 \
		--seed $seed --format json --quiet >"${TMPDIR:-/tmp}/cb-bench-estimate.json"
	python3 - "${TMPDIR:-/tmp}/cb-bench-estimate.json" $seed $R_LCMCR <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))["lcmcr"]
it, sec = o["burnin"] + o["samples"] * o["thin"], o["seconds"]
q = o["quantiles"]
r = it / sec
print("%-6s %-10.2f %-10.0f %-12.2f %-8.0f %.0f-%.0f" % (sys.argv[2], sec, r, r / float(sys.argv[3]),
      q["0.5"], q["0.025"], q["0.975"]))
PY
done
