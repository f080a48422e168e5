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
# Always ./demo.store, never $CASEBOOK_STORE: the demo starts from scratch
# and must not touch a real store.
store=demo.store
unset CASEBOOK_STORE
rm -rf "$store"
# Stores are encrypted at rest. A real store asks for its passphrase on the
# terminal; the demo passes one through the environment (the least safe
# way) so that it runs unattended.
export CASEBOOK_PASSPHRASE=${CASEBOOK_PASSPHRASE:-demo passphrase - not for real use}
echo "note: the demo store's passphrase comes from \$CASEBOOK_PASSPHRASE ('$CASEBOOK_PASSPHRASE')"
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
