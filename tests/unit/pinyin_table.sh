#!/bin/sh
# pinyin_table.sh - build-aux/pinyin-table, which makes the initials table of
# migration 0013 from Debian's unicode-data: its rules on made-up data (the
# first letter of the first kMandarin reading, tone marks, compatibility
# ideographs by decomposition, refusals), then the table in the migration
# against what it makes of this system's Unihan, when that is the Unicode
# version the table says it was made from. unicode-data is a build
# dependency: without it this test fails.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 12

gen=$SGZ_SRCDIR/build-aux/pinyin-table
migration=$SGZ_SRCDIR/src/db/migrations/0013_pinyin.sql
unicode=/usr/share/unicode

# letter FILE HEX - the table's byte for code point U+HEX in FILE
letter() {
	c=$((0x$2))
	line=$(printf 'U+%04X' $((c - c % 64)))
	grep -- "-- $line\$" "$1" | cut -c $((c % 64 + 2))
}

d=$tap_tmp/ucd
mkdir "$d"
printf '%s\n' '# Unicode version: 99.0.0' \
	"$(printf 'U+3400\tkMandarin\tqiū')" \
	"$(printf 'U+4E00\tkDefinition\tone')" \
	"$(printf 'U+4E00\tkMandarin\tyī')" \
	"$(printf 'U+5514\tkMandarin\tń ňg')" \
	"$(printf 'U+5463\tkMandarin\tḿ')" \
	"$(printf 'U+6B38\tkMandarin\tê̄ ǎi')" \
	"$(printf 'U+963F\tkMandarin\tā ē')" \
	"$(printf 'U+8C48\tkMandarin\tqǐ kǎi')" \
	"$(printf 'U+20000\tkMandarin\thē')" \
	"$(printf 'U+2F800\tkMandarin\tsī')" >"$d/Unihan_Readings.txt"
printf '%s\n' 'F900;CJK COMPATIBILITY IDEOGRAPH-F900;Lo;0;L;8C48;;;;N;;;;;' \
	'FA0E;CJK COMPATIBILITY IDEOGRAPH-FA0E;Lo;0;L;;;;;N;;;;;' \
	'2F801;CJK COMPATIBILITY IDEOGRAPH-2F801;Lo;0;L;4E00;;;;N;;;;;' \
	'2F800;CJK COMPATIBILITY IDEOGRAPH-2F800;Lo;0;L;4E3D;;;;N;;;;;' >"$d/UnicodeData.txt"

sh "$gen" "$d" >"$tap_tmp/made" 2>"$tap_tmp/err"
is "the script makes a table of made-up data" "$?" 0
is "one line of 64 code points each for the three ranges, between two marks" \
	"$(grep -c "^'[a-z-]\{64\}' -- U+[0-9A-F]*\$" "$tap_tmp/made") $(grep -c '^-- pinyin-table' "$tap_tmp/made")" \
	"1608 2"
like "the first mark names the Unicode version and the counts" "$(head -1 "$tap_tmp/made")" \
	"(Unihan 99.0.0, kMandarin: 9 code points, 2 compatibility ideographs by decomposition)"
is "the first letter of the first reading; tone marks on a, e, m, n read as the letter" \
	"$(for c in 4E00 3400 963F 5514 5463 6B38 20000; do letter "$tap_tmp/made" $c; done | tr -d '\n')" \
	"yqanmeh"
is "a compatibility ideograph without a reading takes its decomposition's" \
	"$(letter "$tap_tmp/made" F900)$(letter "$tap_tmp/made" 2F801)" "qy"
is "its own reading first; none and no decomposition is none" \
	"$(letter "$tap_tmp/made" 2F800)$(letter "$tap_tmp/made" FA0E)$(letter "$tap_tmp/made" 4E01)" "s--"

printf 'U+4E00\tkMandarin\tüe\n' >>"$d/Unihan_Readings.txt"
out=$(sh "$gen" "$d" 2>&1 >/dev/null)
rc=$?
is "a reading starting with a letter it does not know is refused" "$rc:$out" \
	"1:pinyin-table: U+4E00: reading \"üe\" starts with a letter not known here"
sed -i '$d' "$d/Unihan_Readings.txt"
printf 'U+3007\tkMandarin\tlíng\n' >>"$d/Unihan_Readings.txt"
out=$(sh "$gen" "$d" 2>&1 >/dev/null)
is "a reading outside the table's ranges is refused" "$?:$out" \
	"1:pinyin-table: U+3007 has a reading outside the ranges of the table"
out=$(sh "$gen" "$tap_tmp/nowhere" 2>&1 >/dev/null)
is "no Unihan: refused, naming the package" "$?:$out" \
	"1:pinyin-table: no $tap_tmp/nowhere/Unihan_Readings.txt(.bz2): install unicode-data"

# --- the table of 0013 against this system's unicode-data ---
sed -n '/^-- pinyin-table: begin/,/^-- pinyin-table: end/p' "$migration" >"$tap_tmp/committed"
if [ ! -r "$unicode/Unihan_Readings.txt.bz2" ] && [ ! -r "$unicode/Unihan_Readings.txt" ]; then
	fail "this system's unicode-data" "no $unicode/Unihan_Readings.txt.bz2: install unicode-data"
	fail "the table of 0013 is what the script makes of it" "no unicode-data"
	fail "the migration's table is the one it names" "no unicode-data"
	exit 1
fi
sh "$gen" "$unicode" >"$tap_tmp/system" 2>"$tap_tmp/err"
is "the script makes a table of this system's unicode-data" "$?" 0
have=$(sed -n '1s/.*(Unihan \([^,]*\),.*/\1/p' "$tap_tmp/system")
want=$(sed -n '1s/.*(Unihan \([^,]*\),.*/\1/p' "$tap_tmp/committed")
if [ "$have" = "$want" ]; then
	if cmp -s "$tap_tmp/committed" "$tap_tmp/system"; then
		pass "the table of 0013 is what the script makes of Unihan $have"
	else
		fail "the table of 0013 is what the script makes of Unihan $have" \
			"$(diff "$tap_tmp/committed" "$tap_tmp/system" | head -20)"
	fi
else
	# A released migration never changes: a newer Unicode is a new one.
	pass "the table of 0013 is what the script makes # SKIP 0013 is of Unihan $want, this system has $have"
fi
like "the table of 0013 names Debian 12's Unihan" "$(head -1 "$tap_tmp/committed")" \
	"-- pinyin-table: begin (Unihan 15.0.0, kMandarin: 41419 code points"
