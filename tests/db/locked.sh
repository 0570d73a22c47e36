#!/bin/sh
# locked.sh - the configuration an SSH front end relies on, against a real
# PostgreSQL: the system file, then the user's over it key by key (a user's
# file that sets only the language no longer hides the system's database);
# locked ([security] locked = yes, or --locked), the system file decides
# and --db, --config, $SGZ_CONFIG, $SGZ_DB, the PG* variables and a user's
# file cannot move sgz to another database. Which database sgz reached is
# told by `sgz migrate --status`: 0 on the migrated "sgzdb", 1 on the empty
# "postgres".
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 30

T=$tap_tmp
export HOME="$T/home"
mkdir -p "$HOME/.config/sgz" "$T/etc"
unset SGZ_CONFIG SGZ_DB XDG_STATE_HOME
# the system file, and the home of the password database (locked, sgz
# does not take $HOME), of the tests' sgz
SGZ_TEST_SYSCONFDIR=$T/etc
SGZ_TEST_PASSWD_HOME=$HOME
export SGZ_TEST_SYSCONFDIR SGZ_TEST_PASSWD_HOME

createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" sgzdb || bail "createdb failed"
"$SGZ_BIN" -d dbname=sgzdb migrate >"$T/setup.out" 2>&1 || bail "migrate failed"
"$SGZ_BIN" migrate --status >/dev/null 2>&1
[ $? = 1 ] || bail "the postgres database should have pending migrations"

# status [ENV=VALUE...] -- [ARG...]: sgz migrate --status's exit status
# with that environment and those global options; its stderr in $T/err.
status() {
	envs=""
	while [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	env $envs "$SGZ_BIN" "$@" migrate --status >/dev/null 2>"$T/err"
	echo $?
}

sys="host=$PGHOST port=$PGPORT user=$PGUSER dbname=sgzdb"
printf '[database]\nconninfo = "%s"\n' "$sys" >"$T/etc/sgz.ini"
printf '[database]\nconninfo = dbname=postgres\n' >"$T/other.ini"

# 1. Not locked: merged, key by key; the user's side still chooses.
printf '[ui]\nlanguage = zh_CN\n' >"$HOME/.config/sgz/sgz.ini"
is "a user's file with only the language keeps the system file's database" "$(status --)" 0
printf '[database]\nconninfo = dbname=postgres\n' >"$HOME/.config/sgz/sgz.ini"
is "a user's file that names a database wins, not locked" "$(status --)" 1
rm "$HOME/.config/sgz/sgz.ini"
is "--config replaces the user's file, not the system file" \
	"$(status -- -c "$T/etc/../other.ini")" 1
printf '[ui]\ncolor = never\n' >"$T/colour.ini"
is "so a --config without a database keeps the system's" "$(status -- -c "$T/colour.ini")" 0
is "--db wins, not locked" "$(status -- -d dbname=postgres)" 1
is "\$SGZ_DB wins, not locked" "$(status SGZ_DB=dbname=postgres --)" 1
is "\$SGZ_CONFIG is read, not locked" "$(status SGZ_CONFIG="$T/other.ini" --)" 1
printf '[database]\nconninfo = "port=%s dbname=sgzdb"\n' "$PGPORT" >"$T/etc/sgz.ini"
is "PGHOST reaches libpq, not locked" "$(status PGHOST=/nonexistent --)" 2
printf '[database]\nconninfo = "%s"\n' "$sys" >"$T/etc/sgz.ini"
is "PGSERVICE reaches libpq, not locked" "$(status PGSERVICE=nowhere --)" 2

# 2. Locked by the system file.
printf '[database]\nconninfo = "%s"\n[security]\nlocked = yes\n' "$sys" >"$T/etc/sgz.ini"
is "locked: the system's database" "$(status --)" 0
is "locked: --db is ignored" "$(status -- -d dbname=postgres)" 0
like "and the user is told so" "$(cat "$T/err")" "sgz: locked: --db ignored"
is "locked: --config is ignored" "$(status -- -c "$T/other.ini")" 0
is "locked: \$SGZ_DB is ignored" "$(status SGZ_DB=dbname=postgres --)" 0
is "locked: \$SGZ_CONFIG is ignored" "$(status SGZ_CONFIG="$T/other.ini" --)" 0
is "locked: PGSERVICE, PGHOST, PGOPTIONS, PGSERVICEFILE are ignored" \
	"$(status PGSERVICE=nowhere PGHOST=/nonexistent PGOPTIONS=-cdefault_transaction_read_only=on \
		PGSERVICEFILE="$T/other.ini" --)" 0
printf '[database]\nconninfo = dbname=postgres\n[ui]\nlanguage = en\n' >"$HOME/.config/sgz/sgz.ini"
is "locked: the user's file cannot name the database" "$(status --)" 0
printf '[database]\nconnect_timeout = soon\n[ui]\ncolor = purple\n' >"$HOME/.config/sgz/sgz.ini"
is "locked: a user's file that is wrong is skipped" "$(status --)" 0
like "with a warning that names it (what it may not set is not even read)" "$(cat "$T/err")" \
	"sgz: warning: $HOME/.config/sgz/sgz.ini:4: ui.color: \"purple\" is not one of auto, always, never (skipped: sgz is locked)"
rm "$HOME/.config/sgz/sgz.ini"

# The command line's files: locked, -o FILE is refused (the interface
# writes into the export directory); standard output still works.
out=$("$SGZ_BIN" export divisions -o "$T/bashrc" 2>&1)
is "locked: sgz export -o FILE exits 2" "$?:$(ls "$T/bashrc" 2>/dev/null)" "2:"
like "saying why" "$out" "sgz export: -o $T/bashrc: refused: sgz is locked"
out=$("$SGZ_BIN" report coverage --format csv -o "$T/report.csv" 2>&1)
is "locked: sgz report -o FILE exits 2, writing nothing" "$?:$(ls "$T/report.csv" 2>/dev/null)" "2:"
"$SGZ_BIN" export divisions -o - >"$T/stdout.csv" 2>"$T/err"
is "locked: sgz export to standard output works" "$?:$(head -c 4 "$T/stdout.csv")" "0:code"

# 3. --locked without the file saying so: the same.
printf '[database]\nconninfo = "%s"\n' "$sys" >"$T/etc/sgz.ini"
is "--locked: --db, \$SGZ_DB, \$SGZ_CONFIG and PG* are ignored" \
	"$(status SGZ_DB=dbname=postgres SGZ_CONFIG="$T/other.ini" PGSERVICE=nowhere -- \
		--locked -d dbname=postgres)" 0
"$SGZ_BIN" export divisions -o "$T/plain.csv" >/dev/null 2>&1
is "not locked, sgz export -o FILE writes FILE" "$?:$(ls "$T/plain.csv")" "0:$T/plain.csv"
"$SGZ_BIN" --locked export divisions -o "$T/locked.csv" >/dev/null 2>&1
is "--locked, it is refused" "$?:$(ls "$T/locked.csv" 2>/dev/null)" "2:"

# 4. A system file that is wrong stops sgz, locked or not: a front end is
# never left unlocked by a typo.
printf '[database]\nconninfo = "%s"\n[security]\nlocked = ja\n' "$sys" >"$T/etc/sgz.ini"
is "a broken system file stops sgz" "$(status -- -d dbname=sgzdb)" 2
like "naming file, line and key" "$(cat "$T/err")" "$T/etc/sgz.ini:4: security.locked"

# 5. Only the binary the tests run takes the system file's directory from
# the environment; the installed sgz names configure's.
release=$(dirname "$SGZ_BIN")/../sgz
like "the tests' sgz reads \$SGZ_TEST_SYSCONFDIR" "$("$SGZ_BIN" --help)" "$T/etc/sgz.ini"
unlike "the installed sgz does not" "$("$release" --help)" "$T/etc/sgz.ini"
