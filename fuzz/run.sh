#!/bin/bash
# run.sh: builds the fuzz harnesses with clang (instrumented core) and runs
# one for a while. usage: fuzz/run.sh [HARNESS] [SECONDS]
# The seed corpus is the project's own fictional reports; the corpus the
# fuzzer grows is kept in the build folder (corpus-HARNESS) between runs.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
H=${1:-fuzz_extract}
SECS=${2:-600}
# one build folder per harness, so that two harnesses can run at once
B=${CB_FUZZ_BUILD:-$SRC/build-fuzz-$H}
CC=clang cmake -S "$SRC" -B "$B" -DCB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
make -C "$B" -j2 "$H" >/dev/null
SEEDS=$B/seeds-$H
mkdir -p "$SEEDS"
cp "$SRC"/examples/reports/*.txt "$SRC"/tests/data/extract/*.txt "$SEEDS"/ 2>/dev/null || true
# Key files are binary: fuzz_keyring writes valid ones as its own seeds.
# Import and collect harnesses start from their own kinds of file too.
[ "$H" != fuzz_import ] || cp "$SRC"/tests/data/e2e/*.json "$SEEDS"/
[ "$H" != fuzz_collect ] || cp "$SRC"/examples/reports/*.html "$SRC"/tests/data/collect/* "$SEEDS"/ 2>/dev/null || true
[ "$H" != fuzz_http ] || { rm -f "$SEEDS"/*; cp "$SRC"/fuzz/corpus/http/* "$SEEDS"/; }
[ "$H" != fuzz_keyring ] || { rm -f "$SEEDS"/*; CB_FUZZ_SEED_DIR=$SEEDS "$B/fuzz/$H" -runs=0 "$SEEDS" >/dev/null 2>&1 || true; }
CORPUS=$B/corpus-$H
mkdir -p "$CORPUS"
cd "$B"
exec "$B/fuzz/$H" -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 "$CORPUS" "$SEEDS"
