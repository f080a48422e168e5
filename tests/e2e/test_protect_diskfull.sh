#!/usr/bin/env bash
# Disk full: a store on a small tmpfs runs out of space in the middle of an
# ingest. casebook says so in one line and stops; the store stays whole
# (verify passes, what was committed is there) and takes the rest once
# there is room again. Skipped (77) where a tmpfs cannot be mounted.
. "$(dirname "$0")/lib.sh"
M="$T/small"
mkdir -p "$M"
if ! mount -t tmpfs -o size=4m tmpfs "$M" 2>/dev/null; then
	echo "cannot mount a tmpfs here (needs root): skipped"
	exit 77
fi
trap 'umount "$M" 2>/dev/null; chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT

G="$T/reports"
mkdir -p "$G"
for i in $(seq 1 400); do
	for k in 1 2 3 4 5 6; do
		echo "This is fictional test report $i, paragraph $k, written for a disk-full test: officers in town $i held $((i % 7 + 2)) people for $((k + 3)) days."
		echo
	done >"$G/r$(printf %04d "$i").txt"
done

S="$M/s.store"
run 0 init --store "$S"
run 0 ingest --store "$S" --no-extract "$G/r000"*
# Leave a little room, then ingest more than fits.
head -c $(( $(df -k --output=avail "$M" | tail -1) * 1024 - 200 * 1024 )) /dev/zero >"$M/filler" 2>/dev/null || true
run 1 ingest --store "$S" --no-extract "$G"
contains "$ERR" "full" "disk full named"
lacks "$ERR" "Segmentation" "no crash"
before=$(sql "$S" "SELECT count(*) FROM documents")
run 0 verify --store "$S"
rm -f "$M/filler"
run 0 verify --store "$S"
run 0 ingest --store "$S" --no-extract "$G"
equals "$(sql "$S" "SELECT count(*) FROM documents")" "400" "every file once there is room"
CHECKS=$((CHECKS + 1))
[ "$before" -lt 400 ] || fail "the small disk held everything: the test did not fill it"
run 0 verify --store "$S"
finish
