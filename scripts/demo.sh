#!/usr/bin/env bash
# demo.sh: the main job on the embedded default. Installs what casebook
# needs, builds it, creates a store (./demo.store, made anew), ingests the
# bundled example reports (all fictional) and shows the result: the
# documents, the events the extractor proposed, and a search; then serves
# the web workspace on http://127.0.0.1:8080/ (Ctrl-C stops it; set
# CASEBOOK_DEMO_LISTEN=ADDR:PORT for another port, CASEBOOK_DEMO_SERVE=0 to
# skip it).
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
USER=demo $cb init --store "$store"
export CASEBOOK_USER=demo
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
if [ "${CASEBOOK_DEMO_SERVE:-1}" != 0 ]; then
	listen=${CASEBOOK_DEMO_LISTEN:-127.0.0.1:8080}
	echo
	echo "== the web workspace: open http://$listen/ and sign in as 'demo' with the passphrase '$CASEBOOK_PASSPHRASE'"
	exec $cb serve --store "$store" --listen "$listen"
fi
