#!/bin/sh
# cli_errors.sh - bad configuration, unreachable databases and usage errors:
# one clear message naming what and where, and the exit status of spec/cli.md.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 28

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

out=$(LC_ALL=C "$SGZ_BIN" 2>&1 </dev/null)
is "the interface refuses a non-UTF-8 locale with status 2" "$?" 2
like "and says how to fix it" "$out" "export LANG=C.UTF-8"

out=$(LC_ALL=C "$SGZ_BIN" demo 2>&1 </dev/null)
is "sgz demo checks the locale before building anything" "$?:$(ls "$HOME/.local/state/sgz" 2>/dev/null | grep -c demo)" "2:0"
out=$(LC_ALL=C.UTF-8 "$SGZ_BIN" demo 2>&1 </dev/null)
like "and the terminal: a script gets told to use the subcommands" "$out" "needs a terminal"

psql -XqAtc "CREATE ROLE stranger LOGIN" >/dev/null
out=$(PGUSER=stranger "$SGZ_BIN" export divisions 2>&1)
is "a login role that is no sgz user exits 2" "$?" 2
like "and is told to ask an administrator" "$out" "stranger is not a user of sgz in this database"
