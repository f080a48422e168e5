#!/usr/bin/env bash
# Ingest: text and HTML, duplicates and near-duplicates, the closing summary,
# and every bad input: a one-line error naming the input and the reason, a
# non-zero exit, and the store unchanged.
. "$(dirname "$0")/lib.sh"
D="$CB_TEST_DATA/e2e"
S="$T/s.store"
run 0 init --store "$S"

run 0 ingest --store "$S" --outlet Yonhap "$D/wire-helong.txt"
contains "$OUT" "ingested 1, duplicates 0, near-duplicates 0, failed 0" "first ingest"
run 0 ingest --store "$S" "$D/wire-helong.txt"
contains "$OUT" "ingested 0, duplicates 1, near-duplicates 0, failed 0" "same bytes twice"
run 0 ingest --store "$S" --outlet "Example Bulletin" "$D/bulletin-helong.txt"
contains "$OUT" "near-duplicates 1" "reworded copy"
equals "$(sql "$S" "SELECT near_duplicate_of FROM documents WHERE source_name = 'bulletin-helong.txt'")" "1" "near-duplicate of the first"
run 0 ingest --store "$S" --url https://example.org/dandong "$D/ngo-dandong.html"
equals "$(sql "$S" "SELECT title FROM documents WHERE format = 'html'")" "Dandong court sentences broker" "HTML title"
equals "$(sql "$S" "SELECT published FROM documents WHERE format = 'html'")" "2024-09-18" "HTML meta date"
equals "$(sql "$S" "SELECT url FROM documents WHERE format = 'html'")" "https://example.org/dandong" "provenance URL"
lacks "$(sql "$S" "SELECT text FROM documents WHERE format = 'html'")" "Home" "HTML navigation dropped"
equals "$(sql "$S" "SELECT count(*) FROM documents")" "3" "three documents"
# Originals: kept byte for byte; a text file that is its own text is not stored twice.
equals "$(sql "$S" "SELECT count(*) FROM blobs")" "1" "only the HTML page needs a separate original"
hash=$(sql "$S" "SELECT hash FROM documents WHERE id = 1")
equals "$(b2sum -l 256 "$D/wire-helong.txt" | cut -d' ' -f1)" "$hash" "content address is BLAKE2b-256"
hhash=$(sql "$S" "SELECT hash FROM documents WHERE format = 'html'")
equals "$(sql "$S" "SELECT count(*) FROM blobs WHERE hash = '$hhash'")" "1" "HTML original stored under its hash"
printf '\xef\xbb\xbf[Fictional.]\r\nPolice in Musan detained five women.\r\n' >"$T/crlf.txt"
run 0 ingest --store "$S" "$T/crlf.txt"
cid=$(sql "$S" "SELECT id FROM documents WHERE source_name = 'crlf.txt'")
lacks "$(sql "$S" "SELECT text FROM documents WHERE id = $cid")" $'\r' "CRLF becomes LF in the text"
cb show --store "$S" --original "$cid" >"$T/orig-crlf"
cmp -s "$T/orig-crlf" "$T/crlf.txt" || fail "BOM and CRLF original kept byte for byte"
cb show --store "$S" --original 1 >"$T/orig-1"
cmp -s "$T/orig-1" "$D/wire-helong.txt" || fail "show --original does not give back the bytes ingested"
cb show --store "$S" --original "${hash:0:8}" >"$T/orig-3"
cmp -s "$T/orig-3" "$D/wire-helong.txt" || fail "show by hash prefix"
cb show --store "$S" --original "$(sql "$S" "SELECT id FROM documents WHERE format = 'html'")" >"$T/orig-html"
cmp -s "$T/orig-html" "$D/ngo-dandong.html" || fail "HTML original kept byte for byte"

# A folder: its report files, sub-folders too; JSON output for scripts.
mkdir -p "$T/folder/sub"
printf '[Fictional test report.]\n\nBorder guards in Hyesan caught two women crossing the Yalu River in January.\n' >"$T/folder/a.txt"
printf '[Fictional test report.]\n\nA court in Yanji sentenced a broker to five years in prison for trafficking women.\n' >"$T/folder/sub/b.txt"
echo "not a report" >"$T/folder/notes.csv"
run 0 ingest --store "$S" --format json "$T/folder"
contains "$OUT" '"ingested": 2' "folder ingest json"
lacks "$OUT" "notes.csv" "folder walk skips non-report files"

# Bad inputs. Each: one line naming the file and the reason; exit 1; store unchanged.
bad() { # bad FILE REASON [OPTIONS...]
	local f=$1 why=$2
	shift 2
	local before
	before=$(store_sum "$S")
	run 1 ingest --store "$S" "$@" "$f"
	contains "$ERR" "$(basename "$f")" "error names $f"
	contains "$ERR" "$why" "reason for $f"
	one_line "$ERR" "error for $f"
	contains "$OUT" "failed 1" "summary counts the failure of $f"
	equals "$(store_sum "$S")" "$before" "store unchanged by $f"
}
bad "$T/missing.txt" "no such file"
: >"$T/empty.txt"
bad "$T/empty.txt" "empty"
printf '   \n\n\t\n' >"$T/blank.txt"
bad "$T/blank.txt" "empty"
head -c 3000 /dev/urandom >"$T/binary.txt"
printf '\0\0\0' >>"$T/binary.txt"
bad "$T/binary.txt" "binary"
printf '[Fictional.] Police arrested two women in Yanji \xff\xfe last week.\n' >"$T/latin1.txt"
bad "$T/latin1.txt" "invalid UTF-8"
printf '[Fictional.] A report cut short in the middle of a character: \xe5\xb9' >"$T/truncated.txt"
bad "$T/truncated.txt" "invalid UTF-8"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/huge.txt"
bad "$T/huge.txt" "limit" --max-size 100k
printf '<html><body><div><div><span></span></div></body>' >"$T/empty.html"
bad "$T/empty.html" "no text"
printf '<html><head><title>x</title></head><body><p>Police arrested <b>two <i>women</p></b> in <<<>>> Yanji</div></body>' >"$T/malformed.html"
run 0 ingest --store "$S" "$T/malformed.html"
contains "$OUT" "ingested 1" "malformed but readable HTML is recovered"
mkdir -p "$T/dir.txt"
bad "$T/dir.txt" "" 
if [ "$(id -u)" != 0 ]; then
	echo "secret" >"$T/locked.txt" && chmod 000 "$T/locked.txt"
	bad "$T/locked.txt" "cannot open"
fi

# Several files, some bad: the good ones are stored, each failure named.
printf '[Fictional.]\n\nPolice in Tumen detained four North Korean men last month.\n' >"$T/good.txt"
run 1 ingest --store "$S" "$T/good.txt" "$T/empty.txt" "$T/binary.txt"
contains "$OUT" "ingested 1, duplicates 0, near-duplicates 0, failed 2" "mixed batch summary"
contains "$ERR" "empty.txt" "mixed batch names empty.txt"
contains "$ERR" "binary.txt" "mixed batch names binary.txt"
finish
