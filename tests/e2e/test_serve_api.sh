#!/usr/bin/env bash
# casebook serve's JSON API: every endpoint, each role, and each bad request
# (serve_api_client.py), against a real server on a free loopback port -
# under valgrind too, which must find no leak or error once it stops.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: needs python3" >&2; exit 77; }
S="$T/s"
USER=owner run 0 init --store "$S"
export CASEBOOK_USER=owner
CASEBOOK_NEW_PASSPHRASE=editor-pass run 0 user add ed --role editor --store "$S"
CASEBOOK_NEW_PASSPHRASE=viewer-pass run 0 user add vi --role viewer --store "$S"
run 0 ingest --store "$S" --outlet "Test Wire" "$CB_SRC/tests/browser/named-report.txt"
run 0 person add --store "$S" --given Sunhee --family Ryom --event 1 --role victim
PSEUDO=$OUT
# the owner starts the server (passphrase from lib.sh's environment)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# refusals before anything listens
run 2 serve --store "$S" --tls-cert /nonexistent
contains "$ERR" "--tls-key" "half a TLS pair is a usage error"
run 2 serve --store "$S" --listen 0.0.0.0:$PORT
contains "$ERR" "loopback" "a non-loopback address without TLS is refused"
run 2 serve --store "$S" --listen 127.0.0.1:99999
contains "$ERR" "port" "a bad port is refused"

cb_bg serve --store "$S" --listen "127.0.0.1:$PORT" --max-body 1 --quiet >"$T/serve.out" 2>"$T/serve.err"
SRV=$CB_BG_PID
for _ in $(seq 1 300); do grep -q serving "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
contains "$(cat "$T/serve.out")" "serving http://127.0.0.1:$PORT/" "the server says where it listens"
CHECKS=$((CHECKS + 1))
if ! CB_PORT=$PORT CB_UPLOAD="$CB_SRC/tests/browser/upload-report.txt" CB_MAX_BODY=1048576 \
	CB_OWNER_PASS="$CASEBOOK_PASSPHRASE" CB_PERSON_NAME=Sunhee CB_PSEUDONYM="$PSEUDO" python3 "$(dirname "$0")/serve_api_client.py"; then
	fail "API checks failed"
fi
kill -TERM $SRV
set +e
wait $SRV
rc=$?
set -e
equals "$rc" 0 "the server stops cleanly on SIGTERM (valgrind: no leak, no error)"
[ "$rc" = 0 ] || cat "$T/serve.err" >&2
# every change the API made is in the signed log, under who made it
run 0 verify --store "$S"
run 0 events --store "$S" --format json --status accepted
contains "$OUT" '"reviewed_by": "ed"' "the API's review is recorded under the editor"
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
