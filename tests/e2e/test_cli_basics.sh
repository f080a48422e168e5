#!/usr/bin/env bash
# The CLI teaches: --help everywhere, --version, clear usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

run 0 --help
contains "$OUT" "Commands:" "casebook --help"
for c in init ingest list show search export import-events extract events review edit; do
	run 0 "$c" --help
	contains "$OUT" "usage: casebook $c" "casebook $c --help"
done
run 0 --version
contains "$OUT" "casebook " "--version"
run 2
run 2 frobnicate
contains "$ERR" "'frobnicate' is not a command" "unknown command"
run 2 list --colour
contains "$ERR" "unknown option" "unknown option"
one_line "$ERR" "unknown option"
run 2 list --format xml
contains "$ERR" "--format must be one of table, json" "bad --format"
run 2 search
contains "$ERR" "give a QUERY" "search without query"
run 2 edit 12 nonsense
contains "$ERR" "is not FIELD=VALUE" "edit without ="
finish
