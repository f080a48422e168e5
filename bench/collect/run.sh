#!/usr/bin/env bash
# bench/collect/run.sh [N...]: casebook's ingest against a bare SQLite FTS5
# load of the same texts, in the same run, for each N (default 10000 100000):
# MB/s, documents/s, the ratio, peak memory, and search latency p50/p99 over
# 200 queries on the store. Work goes to $BENCH_DIR (default bench/out).
# Ingest runs without the extractor (--no-extract): this measures collection
# and storage; bench/extract measures the extractor.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_DIR:-$root/bench/out}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
[ -n "${BENCH_NO_BUILD:-}" ] || "$root/scripts/build.sh" "$root/build" >/dev/null
cb="$root/build/casebook"
# A throwaway store: its passphrase may as well be known.
export CASEBOOK_PASSPHRASE=${CASEBOOK_PASSPHRASE:-bench-only-passphrase}
mkdir -p "$out"
# The store is encrypted; the passphrase comes through the environment.
export CASEBOOK_PASSPHRASE=${CASEBOOK_PASSPHRASE:-bench passphrase}
printf '%-8s %-9s %-10s %-10s %-10s %-10s %-7s %-9s %-9s %-9s\n' N MB casebook_MBs docs_s fts5_MBs fts5_docs_s ratio peak_MB search_p50 search_p99
for n in "${sizes[@]}"; do
	docs="$out/reports-$n"
	if [ ! -f "$docs/.done" ]; then
		rm -rf "$docs"
		python3 "$here/gen_reports.py" "$n" "$docs"
		touch "$docs/.done"
	fi
	find "$docs" -name '*.txt' | sort >"$out/list-$n"
	# Warm the page cache for both contenders alike.
	cat $(head -1000 "$out/list-$n") >/dev/null
	xargs -a "$out/list-$n" cat >/dev/null

	rm -rf "$out/store-$n" "$out/fts5-$n.db"*
	"$cb" init --store "$out/store-$n" >/dev/null
	t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$out/mem-$n" "$cb" ingest --no-extract --store "$out/store-$n" "$docs" >"$out/ingest-$n.log"
	t1=$(date +%s.%N)
	read -r bf bytes bsec < <("$root/build/bench/bench_fts5_baseline" "$out/fts5-$n.db" "$out/list-$n")
	read -r nq p50 p99 hits < <("$root/build/bench/bench_search_latency" "$out/store-$n" "$here/queries.txt")
	python3 - "$n" "$bytes" "$t0" "$t1" "$bf" "$bsec" "$(cat "$out/mem-$n")" "$p50" "$p99" <<'PY'
import sys
n, by, t0, t1, bf, bs, mem, p50, p99 = sys.argv[1:]
n, by, bf = int(n), int(by), int(bf)
cs = float(t1) - float(t0); bs = float(bs)
mb = by / 1e6
print("%-8d %-9.1f %-12.2f %-10.0f %-10.2f %-11.0f %-7.2f %-9.1f %-10s %-9s" % (
    n, mb, mb / cs, n / cs, mb / bs, bf / bs, (mb / cs) / (mb / bs), int(mem) / 1024, p50, p99))
PY
	tail -1 "$out/ingest-$n.log" >&2
done
