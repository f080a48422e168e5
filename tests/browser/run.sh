#!/bin/sh
# The browser tests of `casebook serve`: a store with an owner, an editor
# and a viewer, a person whose name appears in a report, the server on a
# free loopback port, and tests/browser/workspace.mjs driving Debian's
# chromium through playwright-core. Screenshots go to $CB_SHOTS (default
# ./browser-shots). Exit 77 (skipped) without chromium or web/node_modules.
set -eu
: "${CASEBOOK:?}" "${CB_SRC:?}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
MODS="$CB_SRC/web/node_modules"
if [ ! -x "$CHROMIUM" ] || [ ! -d "$MODS/playwright-core" ] || ! command -v node >/dev/null; then
	echo "skipped: needs $CHROMIUM, node and 'npm ci' in web/" >&2
	exit 77
fi
T=$(mktemp -d)
SRV_PID=
cleanup() {
	if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null || true; wait "$SRV_PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
export CASEBOOK_KDF=1:8192
S="$T/store"
CASEBOOK_PASSPHRASE=owner-pass USER=owner "$CASEBOOK" init --store "$S" >/dev/null
export CASEBOOK_PASSPHRASE=owner-pass CASEBOOK_USER=owner
CASEBOOK_NEW_PASSPHRASE=editor-pass "$CASEBOOK" user add ed --role editor --store "$S" >/dev/null
CASEBOOK_NEW_PASSPHRASE=viewer-pass "$CASEBOOK" user add vi --role viewer --store "$S" >/dev/null
# A report naming a person, and that person with a sealed identity.
"$CASEBOOK" ingest --store "$S" --outlet "Test Wire" "$CB_SRC/tests/browser/named-report.txt" >/dev/null
EV=$("$CASEBOOK" events --store "$S" --format json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(JSON.parse(s)[0].id)})')
PSEUDO=$("$CASEBOOK" person add --store "$S" --given Sunhee --family Ryom --event "$EV" --role victim)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$CASEBOOK" serve --store "$S" --listen "127.0.0.1:$PORT" --quiet --assets "$MODS" >"$T/serve.out" 2>"$T/serve.err" &
SRV_PID=$!
i=0
until grep -q serving "$T/serve.out" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then echo "server did not start:" >&2; cat "$T/serve.err" >&2; exit 1; fi
	sleep 0.1
done
export CB_URL="http://127.0.0.1:$PORT" CB_PERSON_NAME="Sunhee" CB_PERSON_FAMILY="Ryom" CB_PSEUDONYM="$PSEUDO"
export CB_UPLOAD="$CB_SRC/tests/browser/upload-report.txt" CB_SHOTS="${CB_SHOTS:-$PWD/browser-shots}"
export NODE_PATH="$MODS"
rc=0
node "$CB_SRC/tests/browser/workspace.mjs" || rc=$?
# The server must stop cleanly on SIGTERM (under ASan, with no leak).
kill -TERM "$SRV_PID"
if ! wait "$SRV_PID"; then
	echo "FAIL the server did not stop cleanly:" >&2
	cat "$T/serve.err" >&2
	rc=1
fi
SRV_PID=
exit $rc
