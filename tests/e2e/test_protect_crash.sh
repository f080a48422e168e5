#!/usr/bin/env bash
# Crash safety: a large ingest killed with SIGKILL at random points, 24
# times. Each time the store must reopen, verify must pass (every page,
# every original, every document against its hash, the signed log), and
# the documents must be whole files; finishing the ingest afterwards
# stores every file exactly once.
. "$(dirname "$0")/lib.sh"

# Made-up reports (fictional, generated here): distinct texts, a few
# kilobytes each, some as HTML so that originals go to the packs.
G="$T/reports"
mkdir -p "$G"
N=700
for i in $(seq 1 $N); do
	body="This is fictional test report number $i, made up for a crash test. Officers in town $i detained $((i % 9 + 2)) people on day $((i % 28 + 1)) of month $((i % 12 + 1)) in 2023, a source said."
	if [ $((i % 5)) = 0 ]; then
		{ echo "<html><head><title>Fictional report $i</title></head><body><article>"
		  for k in 1 2 3 4 5 6 7 8; do echo "<p>$body Paragraph $k of report $i.</p>"; done
		  echo "</article></body></html>"; } >"$G/r$(printf %04d "$i").html"
	else
		for k in 1 2 3 4 5 6 7 8; do echo "$body Paragraph $k of report $i."; echo; done >"$G/r$(printf %04d "$i").txt"
	fi
done

# How long a whole ingest takes here (with the extractor, the slower kind).
"$CASEBOOK" init --store "$T/time.store" >/dev/null
t0=$(date +%s%N)
"$CASEBOOK" ingest --store "$T/time.store" "$G" >/dev/null 2>&1
full_ms=$((($(date +%s%N) - t0) / 1000000))
rm -rf "$T/time.store"
echo "a whole ingest takes $full_ms ms"

# Small batches, so that a kill lands between commits as well as inside
# one. Rounds go on until 24 ingests were killed while running (a round
# whose ingest had already finished does not count), at most 60 rounds.
export CASEBOOK_BATCH=40
killed=0
round=0
while [ "$killed" -lt 24 ] && [ "$round" -lt 60 ]; do
	round=$((round + 1))
	S="$T/c$round.store"
	"$CASEBOOK" init --store "$S" >/dev/null
	extract=--no-extract
	[ $((round % 3)) = 0 ] && extract=
	"$CASEBOOK" ingest --store "$S" $extract "$G" >/dev/null 2>&1 &
	pid=$!
	# Somewhere in the first 80% of the ingest (without the extractor it
	# is faster, so those rounds use the first 30%).
	span=$((full_ms * 8 / 10))
	[ -n "$extract" ] && span=$((full_ms * 3 / 10))
	ms=$((RANDOM % (span + 1) + 5))
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
	wait "$pid" 2>/dev/null || true
	run 0 verify --store "$S"
	n=$(sql "$S" "SELECT count(*) FROM documents")
	CHECKS=$((CHECKS + 1))
	[ "$n" -le "$N" ] || fail "round $round: $n documents from $N files"
	printf "%s " "$n"
	# A document is a whole file: its text holds its last paragraph.
	bad=$(sql "$S" "SELECT count(*) FROM documents WHERE text NOT LIKE '%Paragraph 8 of report %'")
	equals "$bad" "0" "round $round: partial documents"
	# The log says ingest exactly once per document.
	equals "$(sql "$S" "SELECT count(*) FROM change_log WHERE action = 'ingest'")" "$n" "round $round: one log entry per document"
	if [ $((round % 8)) = 0 ]; then
		run 0 ingest --store "$S" --no-extract "$G"
		equals "$(sql "$S" "SELECT count(*) FROM documents")" "$N" "round $round: finished ingest has every file"
		equals "$(sql "$S" "SELECT count(DISTINCT hash) FROM documents")" "$N" "round $round: each once"
		run 0 verify --store "$S"
	fi
	rm -rf "$S"
done
unset CASEBOOK_BATCH
CHECKS=$((CHECKS + 1))
[ "$killed" -ge 20 ] || fail "only $killed ingests in $round rounds were still running when killed"
echo
echo "killed $killed ingests in $round rounds"
finish
