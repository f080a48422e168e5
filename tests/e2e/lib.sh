# lib.sh: shared by the end-to-end tests. Each test runs the built binary
# ($CASEBOOK) on real files in a fresh temporary folder ($T) and checks its
# output, exit status and the store. With CB_VALGRIND=1 every casebook run
# goes through valgrind, and a leak or memory error fails the test.
set -euo pipefail
: "${CASEBOOK:?CASEBOOK must name the built binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/casebook-e2e.XXXXXX")
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
export CASEBOOK_STORE="$T/default.store"
# Stores are encrypted: the tests unlock them through the environment (the
# least safe way, fine for throwaway stores), with a cheap Argon2id so that
# every command does not spend a quarter second deriving the key.
export CASEBOOK_PASSPHRASE="e2e passphrase"
export CASEBOOK_KDF="1:8192"
unset CASEBOOK_USER CASEBOOK_PASSPHRASE_FILE CASEBOOK_NEW_PASSPHRASE
# PCRE2's JIT code reads ahead in ways valgrind cannot follow: under
# valgrind the patterns run interpreted (same results, slower).
[ -z "${CB_VALGRIND:-}" ] || export CASEBOOK_NO_JIT=1
FAILS=0
CHECKS=0

cb() {
	if [ -n "${CB_VALGRIND:-}" ]; then
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
			"$CASEBOOK" "$@"
	else
		"$CASEBOOK" "$@"
	fi
}

# cb_bg ARGS...: starts casebook in the background (under valgrind when
# asked) as its own process, so that $CB_BG_PID can be signalled directly.
cb_bg() {
	if [ -n "${CB_VALGRIND:-}" ]; then
		(exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
			"$CASEBOOK" "$@") &
	else
		(exec "$CASEBOOK" "$@") &
	fi
	CB_BG_PID=$!
}

fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}

# run EXPECTED_STATUS CMD...: runs casebook, keeps stdout in $OUT, stderr in $ERR.
run() {
	local want=$1
	shift
	CHECKS=$((CHECKS + 1))
	set +e
	cb "$@" >"$T/out" 2>"$T/err"
	local got=$?
	set -e
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	if [ "$got" != "$want" ]; then
		fail "casebook $* exited $got, wanted $want; stderr: $ERR"
		return 0
	fi
}

contains() { # contains HAYSTACK NEEDLE WHAT
	CHECKS=$((CHECKS + 1))
	case "$1" in *"$2"*) ;; *) fail "$3: expected '$2' in: $1" ;; esac
}

lacks() {
	CHECKS=$((CHECKS + 1))
	case "$1" in *"$2"*) fail "$3: did not expect '$2' in: $1" ;; *) ;; esac
}

equals() {
	CHECKS=$((CHECKS + 1))
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

one_line() { # the error is a single line naming something
	CHECKS=$((CHECKS + 1))
	local n
	n=$(printf '%s\n' "$1" | grep -c .)
	[ "$n" = 1 ] || fail "$2: expected a one-line error, got $n lines: $1"
}

# A fingerprint of everything in a store folder, to show it is unchanged.
store_sum() {
	(cd "$1" && find . -type f ! -name '*-shm' -print0 | sort -z | xargs -0 sha256sum) | sha256sum
}

# sql STORE QUERY: SQL on a sealed store, through tests/tools/cb_sql.c
# (it unlocks the store as casebook does; the sqlite3 shell sees only
# ciphertext).
: "${CB_SQL:=$(dirname "$CASEBOOK")/tests/cb_sql}"
sql() { "$CB_SQL" "$1" "$2"; }

finish() {
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" = 0 ]
}
