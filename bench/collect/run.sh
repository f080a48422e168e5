#!/usr/bin/env bash
# bench/collect/run.sh [--encrypted] [N...]: casebook's ingest against a
# bare SQLite FTS5 load of the same texts, in the same run, for each N
# (default 10000 100000): MB/s, documents/s, the ratio, peak memory, and
# search latency p50/p99 over the 200 queries of queries.txt on the store.
#
# --encrypted: also ingest and search the same reports with casebook-plain,
# a benchmark-only build of the same program whose pages and originals are
# not sealed (bench/CMakeLists.txt, CB_BENCH_PLAIN), and print how fast the
# encrypted store is against it (1.00 = as fast; issue 4 asks for >= 0.75).
#
# Ingest runs without the extractor (--no-extract): this measures
# collection and storage; bench/extract measures the extractor. Work goes
# to $BENCH_DIR (default bench/out); the build to $BENCH_BUILD (default
# build/; BENCH_NO_BUILD=1 uses it as it is).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_DIR:-$root/bench/out}
build=${BENCH_BUILD:-$root/build}
plain=0
if [ "${1:-}" = "--encrypted" ]; then
	plain=1
	shift
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
if [ -z "${BENCH_NO_BUILD:-}" ]; then
	"$root/scripts/build.sh" "$build" >/dev/null
	if [ $plain = 1 ]; then
		cmake --build "$build" -j "$(nproc)" --target casebook-plain bench_search_latency_plain \
			-- --no-print-directory >/dev/null
	fi
fi
# Throwaway stores: their passphrase may as well be known.
export CASEBOOK_PASSPHRASE=${CASEBOOK_PASSPHRASE:-bench-only-passphrase}
mkdir -p "$out"
stamp=$(sha1sum "$here/gen_reports.py" | cut -c1-16)

# ingest_store NAME BINARY SEARCH-BINARY N: prints MB/s docs/s peak_MB p50 p99
ingest_store() {
	local name=$1 cb=$2 search=$3 n=$4 t0 t1
	rm -rf "$out/$name-$n"
	"$cb" init --store "$out/$name-$n" >/dev/null
	t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$out/mem-$name-$n" "$cb" ingest --no-extract --store "$out/$name-$n" \
		"$out/reports-$n" >"$out/ingest-$name-$n.log"
	t1=$(date +%s.%N)
	read -r nq p50 p99 hits < <("$search" "$out/$name-$n" "$here/queries.txt")
	python3 -c 'import sys; n, by, t0, t1, mem = sys.argv[1:6]; s = float(t1) - float(t0)
print("%.2f %.0f %.1f" % (int(by) / 1e6 / s, int(n) / s, int(mem) / 1024), *sys.argv[6:])' \
		"$n" "$bytes" "$t0" "$t1" "$(cat "$out/mem-$name-$n")" "$p50" "$p99"
}

printf '%-7s %-6s %-14s %-8s %-7s %-7s %-8s %-8s %-9s\n' N MB store ingest_MBs docs_s peak_MB \
	search_p50 search_p99 vs_fts5
for n in "${sizes[@]}"; do
	docs="$out/reports-$n"
	if [ "$(cat "$docs/.done" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$docs"
		python3 "$here/gen_reports.py" "$n" "$docs"
		echo "$stamp" >"$docs/.done"
	fi
	find "$docs/" -name '*.txt' | sort >"$out/list-$n"
	# Warm the page cache for every contender alike.
	xargs -a "$out/list-$n" cat >/dev/null

	rm -rf "$out/fts5-$n.db"*
	read -r bf bytes bsec < <("$build/bench/bench_fts5_baseline" "$out/fts5-$n.db" "$out/list-$n")
	fts5=$(python3 -c "import sys; print('%.2f' % ($bytes / 1e6 / $bsec))")
	mb=$(python3 -c "print('%.1f' % ($bytes / 1e6))")
	printf '%-7s %-6s %-14s %-10s %-7.0f\n' "$n" "$mb" "bare FTS5" "$fts5" \
		"$(python3 -c "print($bf / $bsec)")"

	read -r e_mbs e_docs e_mem e_p50 e_p99 < <(ingest_store store "$build/casebook" \
		"$build/bench/bench_search_latency" "$n")
	printf '%-7s %-6s %-14s %-10s %-7s %-7s %-10s %-10s %-9s\n' "$n" "$mb" "casebook" "$e_mbs" \
		"$e_docs" "$e_mem" "$e_p50" "$e_p99" \
		"$(python3 -c "print('%.2f' % ($e_mbs / $fts5))")"
	tail -1 "$out/ingest-store-$n.log" >&2

	if [ $plain = 1 ]; then
		read -r p_mbs p_docs p_mem p_p50 p_p99 < <(ingest_store plain "$build/bench/casebook-plain" \
			"$build/bench/bench_search_latency_plain" "$n")
		printf '%-7s %-6s %-14s %-10s %-7s %-7s %-10s %-10s %-9s\n' "$n" "$mb" "casebook-plain" \
			"$p_mbs" "$p_docs" "$p_mem" "$p_p50" "$p_p99" \
			"$(python3 -c "print('%.2f' % ($p_mbs / $fts5))")"
		tail -1 "$out/ingest-plain-$n.log" >&2
		# Speed of the encrypted store as a share of the plain one's.
		python3 -c 'import sys; n, a, b, c, d, e, f = sys.argv[1:]
print("%-7s encrypted/plain: ingest %.2f, search p50 %.2f, p99 %.2f (target >= 0.75)" % (
    n, float(a) / float(b), float(d) / float(c), float(f) / float(e)))' \
			"$n" "$e_mbs" "$p_mbs" "$e_p50" "$p_p50" "$e_p99" "$p_p99"
	fi
done
