#!/usr/bin/env bash
# Protection: encryption at rest (no report text in any store file), wrong
# passphrases, damaged files, users and roles, and the signed change log
# catching an insider who edits the database with the key.
. "$(dirname "$0")/lib.sh"
S="$T/p.store"
R="$CB_SRC/examples/reports"

run 0 init --store "$S" --user ana --recovery
contains "$OUT" "recovery key" "recovery key shown at init"
rec=$(printf '%s\n' "$OUT" | tail -1)
equals "${#rec}" "64" "recovery key is 32 bytes in hex"
[ -f "$S/keys" ] || fail "init made no key file"
run 0 ingest --store "$S" "$R"
contains "$OUT" "ingested" "ingest into a sealed store"

# No text of the reports anywhere in the store: take their longer words
# and look for each in every printable run of the store's files.
cat "$R"/* | sed 's/<[^>]*>/ /g' | tr -cs 'A-Za-z' '\n' | awk 'length >= 8' | sort -u >"$T/words"
[ "$(wc -l <"$T/words")" -gt 50 ] || fail "too few words to look for"
find "$S" -type f -exec strings -n 6 {} + >"$T/strings"
CHECKS=$((CHECKS + 1))
if grep -qiF -f "$T/words" "$T/strings"; then
	fail "report text in the store: $(grep -oiF -f "$T/words" "$T/strings" | head -5 | tr '\n' ' ')"
fi
# ... while casebook itself reads them back.
run 0 search --store "$S" Yanji
contains "$OUT" "Yanji" "search on a sealed store"

run 0 verify --store "$S"
contains "$OUT" "ok:" "verify a good store"

# A wrong passphrase: one line, exit 3, nothing written.
sum=$(store_sum "$S")
CASEBOOK_PASSPHRASE="not it" run 3 list --store "$S"
contains "$ERR" "wrong passphrase" "wrong passphrase named"
one_line "$ERR" "wrong passphrase"
CASEBOOK_PASSPHRASE="not it" run 3 ingest --store "$S" "$R"
equals "$(store_sum "$S")" "$sum" "store unchanged by wrong passphrases"
CASEBOOK_USER=nobody run 3 list --store "$S"
contains "$ERR" "no user" "unknown user"
# Passphrase from a file, given before the command.
printf 'e2e passphrase\n' >"$T/pass"
CASEBOOK_PASSPHRASE= run 0 --passphrase-file "$T/pass" list --store "$S"
CASEBOOK_PASSPHRASE= run 3 list --store "$S" </dev/null
contains "$ERR" "no passphrase" "no passphrase anywhere"

# Users and roles.
CASEBOOK_NEW_PASSPHRASE="viewer pass" run 0 user add vic --role viewer --store "$S"
CASEBOOK_NEW_PASSPHRASE="editor pass" run 0 user add eve --role editor --store "$S"
run 2 user add x --role boss --store "$S"
run 0 user list --store "$S"
contains "$OUT" "vic" "user list"
contains "$OUT" "editor" "user list roles"
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 0 search --store "$S" Yanji
contains "$OUT" "Yanji" "a viewer reads"
CASEBOOK_PASSPHRASE="viewer pass" run 3 review --store "$S" --user vic 1 accept
contains "$ERR" "viewer" "a viewer cannot review"
CASEBOOK_PASSPHRASE="viewer pass" run 3 ingest --store "$S" --user vic "$R"
CASEBOOK_PASSPHRASE="viewer pass" run 3 user add z --role owner --store "$S" --user vic
CASEBOOK_PASSPHRASE="editor pass" run 0 review --store "$S" --user eve 1 accept
CASEBOOK_PASSPHRASE="editor pass" run 3 user remove vic --store "$S" --user eve
# passwd: the old passphrase stops working, the new one opens, data intact.
CASEBOOK_PASSPHRASE="editor pass" CASEBOOK_NEW_PASSPHRASE="editor new" run 0 passwd --store "$S" --user eve
CASEBOOK_USER=eve CASEBOOK_PASSPHRASE="editor pass" run 3 list --store "$S"
CASEBOOK_USER=eve CASEBOOK_PASSPHRASE="editor new" run 0 list --store "$S"
contains "$OUT" "Yanji" "list after passwd"
run 0 user remove vic --store "$S"
CASEBOOK_USER=vic CASEBOOK_PASSPHRASE="viewer pass" run 3 list --store "$S"
run 2 user remove ana --store "$S"
run 0 verify --store "$S"
contains "$OUT" "ok:" "verify after user changes"
equals "$(sql "$S" "SELECT group_concat(action, ' ') FROM change_log WHERE action LIKE 'user%' OR action = 'passwd'")" \
	"user-add user-add passwd user-remove" "user changes logged"

# Damage: a flipped byte in any store file is an integrity error (exit 4)
# naming the file, never a crash.
flip() { # flip FILE OFFSET
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(((b ^ 1) & 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
for f in casebook.db blobs/pack-000001 keys; do
	size=$(stat -c %s "$S/$f")
	for off in 30 $((size / 3)) $((size / 2 + 7)) $((size - 5)); do
		rm -rf "$T/d.store" && cp -r "$S" "$T/d.store"
		flip "$T/d.store/$f" "$off"
		run 4 verify --store "$T/d.store"
		contains "$ERR" "$f" "flip at $off of $f named"
		one_line "$ERR" "flip at $off of $f"
		# Other commands: fine or exit 4, never a crash or garbage.
		set +e
		cb export --store "$T/d.store" --what documents --format json >/dev/null 2>"$T/err"
		st=$?
		set -e
		CHECKS=$((CHECKS + 1))
		case $st in 0 | 4) ;; *) fail "export after flip at $off of $f exited $st: $(cat "$T/err")" ;; esac
	done
done

# An insider with the key edits the database behind casebook's back: the
# signed chain names the entry.
cp -r "$S" "$T/t1.store"
sql "$T/t1.store" "DROP TRIGGER change_log_no_update; UPDATE change_log SET actor = 'eve' WHERE seq = 1"
run 4 verify --store "$T/t1.store"
contains "$ERR" "change log entry 2" "edited log entry named"
cp -r "$S" "$T/t2.store"
sql "$T/t2.store" "DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE seq = 3"
run 4 verify --store "$T/t2.store"
contains "$ERR" "change log entry" "dropped log entry found"
cp -r "$S" "$T/t3.store"
sql "$T/t3.store" "UPDATE documents SET text = replace(text, 'Yanji', 'Helong') WHERE format = 'text'"
run 4 verify --store "$T/t3.store"
contains "$ERR" "does not match its hash" "edited document text found"
cp -r "$S" "$T/t4.store"
sql "$T/t4.store" "UPDATE blobs SET hash = (SELECT hash FROM documents WHERE format = 'text' LIMIT 1) WHERE rowid IN (SELECT rowid FROM blobs LIMIT 1)" 2>/dev/null ||
	sql "$T/t4.store" "UPDATE blobs SET hash = (SELECT hash FROM documents WHERE format = 'text' LIMIT 1) WHERE hash = (SELECT min(hash) FROM blobs)"
run 4 verify --store "$T/t4.store"
contains "$ERR" "pack-000001" "original under another hash found"
finish
