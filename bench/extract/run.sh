#!/bin/bash
# run.sh: builds a synthetic corpus from the project's own fictional example
# reports (examples/reports/ and tests/data/extract/, shuffled sentences
# and repeated to ~4 MB) and runs bench_extract on it.
# usage: bench/extract/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$SRC/build}
SECS=${2:-3}
make -C "$B" bench_extract >/dev/null
C=$(mktemp "${TMPDIR:-/tmp}/cb-bench.XXXXXX")
trap 'rm -f "$C"' EXIT
python3 - "$SRC" "$C" <<'PY'
import glob, random, sys
src, out = sys.argv[1], sys.argv[2]
texts = [open(f, encoding="utf-8").read() for f in
         sorted(glob.glob(src + "/examples/reports/*.txt") + glob.glob(src + "/tests/data/extract/*.txt"))]
paras = [p for t in texts for p in t.split("\n\n") if p.strip()]
rng = random.Random(7)
docs, size = [], 0
while size < 4_000_000:
    d = "\n\n".join(rng.sample(paras, min(12, len(paras))))
    docs.append(d)
    size += len(d)
open(out, "w", encoding="utf-8").write("\n\f\n".join(docs))
PY
"$B/bench/extract/bench_extract" "$C" "$SECS"
