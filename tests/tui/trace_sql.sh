#!/bin/sh
# trace_sql.sh - SGZ_TRACE_SQL, the trace of the SQL sgz sends (sgz(1),
# ENVIRONMENT; src/db/db.c), against what the server itself received: the
# server logs every statement (log_statement = all), and a county user's
# sgz export, sgz report and list screen in tmux (paging, a filter with a
# quote in it) are traced. The trace holds every statement the server
# logged for those sessions, byte for byte, with their parameters; replayed
# by psql as the same role, it sends the same statements in the same order,
# fails where sgz failed and returns what sgz exported. The file is the
# user's alone (0600), appended to, never reached through a link, and
# locked mode ignores the variable.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"
. "$SGZ_SRCDIR/tests/lib/sqltrace.sh"

plan 24

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE SGZ_TRACE_SQL
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME
T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtqc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations staff volunteers activities hours; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add tr_county --scope 120110 --kind county >>"$T/setup.out" 2>&1 ||
	bail "sgz user add failed"

# Every statement into the server's log, each line of it marked with the
# backend and the application.
q "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
q "ALTER SYSTEM SET log_duration = on" >/dev/null
q "ALTER SYSTEM SET log_line_prefix = '$SQLTRACE_LOG_PREFIX'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
i=0
until [ "$(q 'SHOW log_statement')" = all ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && bail "the server did not take log_statement = all"
	sleep 0.05
done
server_log=$SGZ_PG_DIR/server.log
[ -r "$server_log" ] || bail "no server log at $server_log"

trace=$T/trace.sql
cd "$T" || bail "no scratch directory"

# 1. Commands.
PGUSER=tr_county SGZ_TRACE_SQL=$trace "$SGZ_BIN" export volunteers >"$T/export.csv" 2>"$T/err"
is "sgz export runs with the trace on" "$?:$(cat "$T/err")" "0:"
is "the trace is a file of the user's alone" "$(stat -c '%F %a %u' "$trace")" \
	"regular file 600 $(id -u)"
like "the export's COPY is in it" "$(cat "$trace")" "COPY (SELECT n0.id_number AS \"id_number\""
year=$(date +%Y)
PGUSER=tr_county SGZ_TRACE_SQL=$trace "$SGZ_BIN" report coverage --scope 120110 \
	--year "$year" >"$T/report.txt" 2>"$T/err"
is "sgz report runs with the trace on" "$?:$(cat "$T/err")" "0:"
# a statement that fails is traced too
PGUSER=tr_county SGZ_TRACE_SQL=$trace "$SGZ_BIN" user list >/dev/null 2>"$T/err"
like "a statement the database refuses is traced too" "$?:$(cat "$T/err")" "2:sgz user list: permission denied"

# 2. The list screen: a page, a filter with a quote (a parameter written
# as E'...'), the end and the start again.
tmux_start env PGUSER=tr_county SGZ_TRACE_SQL="$trace" "$SGZ_BIN" --lang en
wait_for "q quit" || bail "sgz did not start"
tmux_keys 2 1
ok "the volunteers list opens" wait_for "赵磊"
tmux_keys /
wait_for "Enter" || bail "no filter prompt"
tmux_keys -l "张'"
tmux_keys Enter
ok "a filter with a quote finds nobody" wait_gone "赵磊"
tmux_keys / Escape
wait_for "赵磊" || bail "the filter did not clear"
tmux_keys End
tmux_keys Home
tmux_keys / && tmux_keys -l "敏" && tmux_keys Enter
ok "a filter of a name's character" wait_gone "赵磊"
tmux_keys Escape Escape q
is "sgz ends" "$(wait_exit)" 0

# 3. The trace against the server's log.
n=$(sqltrace_split "$trace" "$T/trace") || bail "the trace is not well formed"
ok "the trace has a record for each statement ($n)" test "$n" -gt 20
backends=$(for h in "$T"/trace/*.hdr; do sqltrace_field "$h" backend; done | sort -u)
users=$(for h in "$T"/trace/*.hdr; do sqltrace_field "$h" user; done | sort -u)
is "every record names its role" "$users" tr_county
is "four processes appended to one file" "$(for h in "$T"/trace/*.hdr; do
	sqltrace_field "$h" pid; done | sort -u | wc -l)" 4
# shellcheck disable=SC2086
m=$(sqltrace_log "$server_log" sgz "$T/log" $backends)
is "the server got as many statements from those sessions as the trace has" "$m" "$n"
differ=""
k=0
for f in "$T"/log/*.sql; do
	k=$((k + 1))
	b=${f##*/}
	cmp -s "$f" "$T/trace/$b" || differ="$differ $b"
done
is "each is the statement the server got, byte for byte" "$differ" ""

# The parameters as the server logs them: $1 = 'it''s', $2 = NULL.
as_logged() {
	LC_ALL=C awk '
	function hex(h,   i, n, c) {
		n = 0
		for (i = 1; i <= 2; i++) {
			c = index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
			n = n * 16 + c
		}
		return n
	}
	{
		s = $0
		sub(/^EXECUTE sgz_trace\(/, "", s)
		sub(/\);$/, "", s)
		out = ""
		i = 1
		k = 0
		while (i <= length(s)) {
			k++
			if (substr(s, i, 4) == "NULL") {
				v = "NULL"
				i += 4
			} else {
				e = substr(s, i, 1) == "E"
				i += e ? 2 : 1
				v = ""
				for (;;) {
					c = substr(s, i, 1)
					if (c == "") {
						print "unterminated literal" > "/dev/stderr"
						exit 1
					}
					if (c == "\047") {
						i++
						break
					}
					if (e && c == "\\") {
						d = substr(s, i + 1, 1)
						if (d == "n") v = v "\n"
						else if (d == "r") v = v "\r"
						else if (d == "t") v = v "\t"
						else if (d == "x") {
							v = v sprintf("%c", hex(substr(s, i + 2, 2)))
							i += 2
						} else v = v d
						i += 2
						continue
					}
					v = v c
					i++
				}
				gsub(/\047/, "\047\047", v)
				v = "\047" v "\047"
			}
			out = out (k > 1 ? ", " : "") "$" k " = " v
			if (substr(s, i, 2) == ", ")
				i += 2
		}
		print out
	}' "$1"
}
differ=""
quoted=0
for f in "$T"/trace/*.exec; do
	b=${f##*/}
	b=${b%.exec}
	grep -q "E'" "$f" && quoted=$((quoted + 1))
	# (a statement refused before it ran is logged without them)
	[ -e "$T/log/$b.early" ] && continue
	as_logged "$f" >"$T/params"
	cmp -s "$T/params" "$T/log/$b.params" || differ="$differ $b"
done
is "the parameters of each are those the server got" "$differ" ""
ok "a parameter with a quote is among them" test "$quoted" -gt 0

# 4. Replayed by psql as the same role: the same statements, the same failures,
# the same rows.
PGUSER=tr_county PGAPPNAME=sgz_replay psql -X -f "$trace" >"$T/replay.out" 2>"$T/replay.err"
r=$(sqltrace_log "$server_log" sgz_replay "$T/replay")
mkdir "$T/replayed"
k=0
for f in "$T"/replay/*.sql; do
	sqltrace_unprepare "$f" || continue
	k=$((k + 1))
	cp "$f" "$T/replayed/$(printf %06d $k).sql"
done
is "the replay sent as many statements ($r with its EXECUTEs)" "$k" "$n"
differ=""
for f in "$T"/trace/*.sql; do
	cmp -s "$f" "$T/replayed/${f##*/}" || differ="$differ ${f##*/}"
done
is "the same statements, byte for byte" "$differ" ""
# the n-th statement of each that failed (an EXECUTE's failure is its PREPARE's)
failed() {
	for e in $(cat "$1/errors"); do
		k=0
		for f in "$1"/*.sql; do
			case $(head -c 8 "$f") in "EXECUTE " | DEALLOCA) ;; *) k=$((k + 1)) ;; esac
			[ "$f" = "$1/$(printf %06d "$e").sql" ] && break
		done
		echo "$k"
	done | sort -un | tr '\n' ' '
}
sgz_failed=$(failed "$T/log")
ok "sgz's statements include one that failed" test -n "$sgz_failed"
is "the replay failed where sgz failed" "$(failed "$T/replay")" "$sgz_failed"
is "the replay's COPY gave the rows sgz exported" \
	"$(grep -cFx -f "$T/export.csv" "$T/replay.out")" "$(wc -l <"$T/export.csv")"

# 5. Refusals, and locked mode.
: >"$T/target"
ln -s "$T/target" "$T/link"
PGUSER=tr_county SGZ_TRACE_SQL=$T/link "$SGZ_BIN" export stations >/dev/null 2>"$T/err"
is "a link at the trace's name is not followed" "$?:$(cat "$T/err"):$(wc -c <"$T/target")" \
	"2:sgz: SGZ_TRACE_SQL: $T/link: cannot open the trace: it is a symbolic link:0"
: >"$T/open.sql"
chmod 644 "$T/open.sql"
PGUSER=tr_county SGZ_TRACE_SQL=$T/open.sql "$SGZ_BIN" export stations >/dev/null 2>"$T/err"
is "a trace others may read is refused" "$?:$(wc -c <"$T/open.sql")" "2:0"
mkdir -p "$T/etc" "$T/home"
printf '[database]\nconninfo = "host=%s port=%s user=%s dbname=%s"\n[security]\nlocked = yes\n' \
	"$PGHOST" "$PGPORT" "$PGUSER" "$PGDATABASE" >"$T/etc/sgz.ini"
SGZ_TEST_SYSCONFDIR=$T/etc SGZ_TEST_PASSWD_HOME=$T/home SGZ_TRACE_SQL=$T/locked.sql \
	"$SGZ_BIN" migrate --status >/dev/null 2>"$T/err"
is "locked, sgz runs and writes no trace" "$?:$(cat "$T/err"):$([ -e "$T/locked.sql" ] && echo there)" \
	"0::"
