#!/bin/bash
# accuracy.sh [BUILD_DIR]: the extractor's accuracy, scored by
# ../shared/tools/score-events, on the project's own annotated reports
# (tests/data/accuracy) and, when ../shared is there, on its dev corpus.
# Prints each scorer's full table. bench/extract/diff-events.py shows
# the misses of one set event by event.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$SRC/build}
SCORER=$SRC/../shared/tools/score-events
if [ ! -x "$SCORER" ]; then
	echo "accuracy.sh: $SCORER not found (the shared corpus is not beside this checkout)" >&2
	exit 2
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/cb-acc.XXXXXX")
trap 'rm -rf "$T"' EXIT
for set in "$SRC/tests/data/accuracy" "$SRC/../shared/corpus/dev"; do
	[ -d "$set/docs" ] || continue
	name=$(basename "$(dirname "$set/x")")
	mkdir -p "$T/$name"
	"$B/casebook" extract --format json --out "$T/$name" "$set"/docs/*.txt >/dev/null
	echo "== $set"
	"$SCORER" "$set" "$T/$name"
	echo
done
