#!/usr/bin/env bash
# bench/serve/run.sh [N]: casebook serve under load. Builds a store of N
# synthetic reports (default 100000; bench/collect's generator, with the
# extractor on so that there are events), starts the server, signs in, and
# drives it from wrk on loopback - a second process - at 16 and 64
# connections: search, report views, event lists, and the mix of the three
# (5:3:2), each beside a static file served by the same server in the same
# run (the baseline: the server's own cost with no store work). Prints
# requests/s and latency p50/p99 per kind and the ratio to the baseline,
# then the server's memory over a long mixed run (BENCH_LONG seconds,
# default 300) to show it stays flat. Work goes to $BENCH_DIR (bench/out);
# the build to $BENCH_BUILD (default build/; BENCH_NO_BUILD=1 uses it as is).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-100000}
out=${BENCH_DIR:-$root/bench/out}
dur=${BENCH_SECS:-15}
long=${BENCH_LONG:-300}
command -v wrk >/dev/null || { echo "bench/serve needs wrk (scripts/install-deps.sh)" >&2; exit 1; }
build=${BENCH_BUILD:-$root/build}
[ -n "${BENCH_NO_BUILD:-}" ] || "$root/scripts/build.sh" "$build" >/dev/null
cb="$build/casebook"
export CASEBOOK_PASSPHRASE=bench-only-passphrase CASEBOOK_USER=bench
mkdir -p "$out"
docs="$out/reports-$n"
if [ ! -f "$docs/.done" ]; then
	rm -rf "$docs"
	python3 "$root/bench/collect/gen_reports.py" "$n" "$docs"
	touch "$docs/.done"
fi
store="$out/serve-store-$n"
if [ ! -f "$store/.done" ]; then
	rm -rf "$store"
	USER=bench "$cb" init --store "$store" >/dev/null
	echo "ingesting $n reports with extraction (once; kept in $store)" >&2
	"$cb" ingest --store "$store" "$docs" >"$out/serve-ingest-$n.log"
	touch "$store/.done"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$cb" serve --store "$store" --listen "127.0.0.1:$port" --quiet >"$out/serve.out" 2>"$out/serve.err" &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
until grep -q serving "$out/serve.out" 2>/dev/null; do sleep 0.2; done
cookie=$(curl -s -i -X POST -H 'Content-Type: application/json' \
	-d "{\"user\":\"bench\",\"passphrase\":\"$CASEBOOK_PASSPHRASE\"}" "http://127.0.0.1:$port/api/signin" |
	tr -d '\r' | sed -n 's/^Set-Cookie: \(cb_session=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
export COOKIE=$cookie QUERIES="$root/bench/collect/queries.txt" NDOCS=$n
rss() { awk '/VmRSS/ {print $2}' "/proc/$srv/status"; }

# wrk's summary: requests/s, p50 and p99 in ms, non-2xx and socket errors
measure() { # KIND CONNECTIONS SECONDS
	MIX=$1 wrk -t2 -c"$2" -d"$3"s --latency -s "$here/mix.lua" "http://127.0.0.1:$port/" >"$out/wrk-$1-$2.log" 2>&1
	python3 -c '
import re, sys
t = sys.stdin.read()
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    if not m:
        sys.exit("wrk printed a latency I cannot read: " + s)
    v, u = m.groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: (.*)", t)
errs = err.group(1).replace(" ", "") if err else "none"
print("%.0f %.2f %.2f %s %s" % (rps, p50, p99, non2xx.group(1) if non2xx else 0, errs))
' <"$out/wrk-$1-$2.log"
}
# Steady state: each reader's page cache (decrypted pages) starts empty, so
# the first seconds after a start measure the disk and the decryption, not
# the server. A mixed run, not counted, warms them first.
MIX=mix wrk -t2 -c16 -d"${BENCH_WARMUP:-10}"s -s "$here/mix.lua" "http://127.0.0.1:$port/" >/dev/null 2>&1
echo "casebook serve, $n reports, wrk on loopback, ${dur} s per run ($(nproc) cores)"
printf '%-7s %-6s %10s %9s %9s %8s %8s %s\n' kind conns req_s p50_ms p99_ms vs_static non2xx socket_errors
for c in 16 64; do
	read -r srps sp50 sp99 snon serr < <(measure static $c "$dur")
	printf '%-7s %-6s %10s %9s %9s %8s %8s %s\n' static $c "$srps" "$sp50" "$sp99" 1.00 "$snon" "$serr"
	for k in search view events mix; do
		read -r rps p50 p99 non err < <(measure $k $c "$dur")
		printf '%-7s %-6s %10s %9s %9s %8s %8s %s\n' $k $c "$rps" "$p50" "$p99" \
			"$(python3 -c "print(f'{$rps/$srps:.3f}')")" "$non" "$err"
	done
done
echo "memory over a ${long} s mixed run at 16 connections (server RSS, MB):"
MIX=mix wrk -t2 -c16 -d"${long}"s -s "$here/mix.lua" "http://127.0.0.1:$port/" >"$out/serve-long.log" 2>&1 &
w=$!
samples=()
while kill -0 $w 2>/dev/null; do
	samples+=("$(( $(rss) / 1024 ))")
	sleep 10
done
echo "  ${samples[*]}"
grep -E "Requests/sec|Non-2xx|Socket errors" "$out/serve-long.log" | sed 's/^/  /'
