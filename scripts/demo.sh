#!/usr/bin/env bash
# demo.sh: the main job on the embedded default. Installs what casebook
# needs, builds it, creates a store (./demo.store, made anew), ingests the
# bundled example reports (all fictional) and shows the result: the
# documents, the events the extractor proposed, and a search.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cb=./build/casebook
store=${CASEBOOK_STORE:-demo.store}
rm -rf "$store"
$cb init --store "$store"
$cb ingest --store "$store" examples/reports
echo
$cb list --store "$store"
echo
$cb events --store "$store" --limit 15
echo
echo '$ casebook search Songyuan'
$cb search --store "$store" Songyuan
echo
echo "The store is in $store; try: $cb --help"
