#!/bin/sh
# cli_errors.sh - bad configuration, unreachable databases and usage errors:
# one clear message naming what and where, and the exit status of spec/cli.md.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 38

T=$tap_tmp
export HOME="$T/home"
mkdir -p "$HOME"
unset SGZ_CONFIG SGZ_DB XDG_STATE_HOME
"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"

out=$("$SGZ_BIN" -c "$T/missing.ini" migrate --status 2>&1)
is "a missing --config file exits 2" "$?" 2
like "and names the file" "$out" "$T/missing.ini"

printf '[database]\nconninfo = ""\n\n[ui]\ncolour = never\n' >"$T/unknown.ini"
out=$("$SGZ_BIN" -c "$T/unknown.ini" migrate --status 2>&1)
is "an unknown key exits 2" "$?" 2
like "and names file, line and key" "$out" "$T/unknown.ini:5:"
like "the key itself is named" "$out" "colour"

printf '[database]\nlock_timeout = 99999999999\n' >"$T/range.ini"
out=$("$SGZ_BIN" -c "$T/range.ini" migrate --status 2>&1)
is "a value out of range exits 2" "$?" 2
like "and names line and key" "$out" "$T/range.ini:2: database.lock_timeout"

mkdir "$T/dir.ini"
out=$(SGZ_CONFIG="$T/dir.ini" "$SGZ_BIN" migrate --status 2>&1)
is "an unreadable \$SGZ_CONFIG exits 2" "$?" 2
like "and names it" "$out" "$T/dir.ini"

mkdir -p "$HOME/.config/sgz"
printf '[database]\nbulk_statement_timeout = 1\n' >"$HOME/.config/sgz/sgz.ini"
out=$("$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" 2>&1)
is "~/.config/sgz/sgz.ini is read: its bulk_statement_timeout cancels a long import" "$?" 2
like "the cancellation is reported" "$out" "statement timeout"
is "and nothing was imported" "$(psql -XAtc 'SELECT count(*) FROM sgz.division')" 0
rm "$HOME/.config/sgz/sgz.ini"

out=$("$SGZ_BIN" -d "host=$T/nowhere connect_timeout=2" migrate 2>&1)
is "an unreachable database exits 2" "$?" 2
like "with a message that says so" "$out" "cannot connect to the database"
out=$(SGZ_DB="host=$T/nowhere" "$SGZ_BIN" migrate --status 2>&1)
is "\$SGZ_DB is used" "$?" 2
SGZ_DB="host=$T/nowhere" "$SGZ_BIN" -d "host=$PGHOST" migrate --status >/dev/null 2>&1
is "--db overrides \$SGZ_DB" "$?" 0

out=$("$SGZ_BIN" frobnicate 2>&1)
is "an unknown command exits 2" "$?" 2
out=$("$SGZ_BIN" --lang fr migrate --status 2>&1)
is "an unknown language exits 2" "$?" 2
out=$("$SGZ_BIN" import 2>&1)
is "import without arguments exits 2" "$?" 2
out=$("$SGZ_BIN" import nonsense "$T/x.csv" 2>&1)
like "an unknown entity is named with the list" "$out" "'nonsense' is not an entity"
out=$("$SGZ_BIN" import divisions "$T/absent.csv" 2>&1)
is "a missing input file exits 2" "$?" 2
like "and names the file" "$out" "$T/absent.csv"

out=$(LC_ALL=zh_CN.GB18030 "$SGZ_BIN" 2>&1 </dev/null)
is "the interface refuses a locale of another character set with status 2" "$?" 2
like "and says how to fix it" "$out" \
	"Fix: set the terminal (or the SSH client) to the UTF-8 character set, and LANG to"
# C names no character set (an SSH client without LANG): sgz goes on in
# C.UTF-8, and here finds no terminal
out=$(env -u LANG -u LC_CTYPE LC_ALL=C "$SGZ_BIN" 2>&1 </dev/null)
like "C or no locale is not refused" "$out" "needs a terminal"

out=$(LC_ALL=en_US.ISO-8859-1 "$SGZ_BIN" demo 2>&1 </dev/null)
is "sgz demo checks the locale before building anything" "$?:$(ls "$HOME/.local/state/sgz" 2>/dev/null | grep -c demo)" "2:0"
out=$(LC_ALL=C.UTF-8 "$SGZ_BIN" demo 2>&1 </dev/null)
like "and the terminal: a script gets told to use the subcommands" "$out" "needs a terminal"

psql -XqAtc "CREATE ROLE stranger LOGIN" >/dev/null
out=$(PGUSER=stranger "$SGZ_BIN" export divisions 2>&1)
is "a login role that is no sgz user exits 2" "$?" 2
like "and is told to ask an administrator" "$out" "stranger is not a user of sgz in this database"

# --- CSV files whose messages named the wrong line, or nothing one can see ---
printf 'code,name,population\r110101001000,东华门街道,50000\r110101002000,景山街道,abc\r' >"$T/cr.csv"
out=$("$SGZ_BIN" import divisions "$T/cr.csv" 2>&1)
is "a file with CR line ends (old Mac) and a bad row exits 1" "$?" 1
like "and names the bad row's line, not line 1" "$out" "$T/cr.csv:3:population: not a whole number"

{
	printf 'code,name\n110101001000,东华门街道\n110101003000,交道口街道\n'
	printf '110101004000,安定门街道\n110101002000,\276\260\311\275\275\326\265\300\n' # GBK
	printf '110101005000,北新桥街道\n'
} >"$T/gbline.csv"
out=$("$SGZ_BIN" import divisions "$T/gbline.csv" 2>&1)
is "a UTF-8 file with one GBK line exits 1" "$?" 1
like "and names that line" "$out" "$T/gbline.csv:5: invalid UTF-8 (byte 0xBE)"

printf '\357\273\277\357\273\277code,name\n110101001000,东华门街道\n' >"$T/bom2.csv"
out=$("$SGZ_BIN" import divisions "$T/bom2.csv" 2>&1)
is "a file with two byte-order marks exits 1" "$?" 1
like "and says so" "$out" "$T/bom2.csv:1: a second byte-order mark (U+FEFF, an invisible character)"
unlike "instead of an unknown column with an invisible name" "$out" "unknown column"

awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "%sx%d", (i ? "," : ""), i; print "" }' >"$T/wide.csv"
out=$("$SGZ_BIN" import volunteers "$T/wide.csv" 2>&1)
is "a header of a million columns exits 1" "$?" 1
is "with one message, not a million (they took 250 MB)" "$(printf '%s\n' "$out" | head -n 1)" \
	"$T/wide.csv:1: more than 1024 fields in one row: no table of sgz has that many columns (is this the right file?)"
