#!/bin/sh
# tests/bench/years.sh [--years N] [--scale X] DIR load|measure|migrate|stop -
# the ten-year figures of issue 15 (partitions by year): a province set of
# N years of hours and visits (gen --years N: 50,000,000 hours rows at
# scale 1 and N = 10) in a cluster of its own kept in DIR between the
# steps, so that the same database is measured before and after the
# migration that partitions it. Not part of make check: a benchmark.
#
#   SGZ_BIN=$PWD/_build/dev/sgz sh tests/bench/years.sh /work/y load     # generate, import
#   SGZ_BIN=... sh tests/bench/years.sh /work/y measure                   # the figures
#   SGZ_BIN=<newer sgz> sh tests/bench/years.sh /work/y migrate           # sgz migrate, timed
#   SGZ_BIN=<newer sgz> sh tests/bench/years.sh /work/y measure           # again
#   sh tests/bench/years.sh /work/y stop                                  # stop the server
#
# load: gen's files (every entity; the hours one file a year), a cluster in
# DIR/pg (initdb, a Unix socket in DIR/pg only, fsync=off as tests/with-pg,
# max_wal_size 2GB), a database owned by bench_owner (CREATEROLE, not a
# superuser) who runs sgz migrate and every import: the hours of every year
# but the last through sgz import, a year a file, each timed (the import of
# a year into a table holding the years before it). The last year's file
# is left for measure.
#
# measure: sgz import of the last year's hours file as an admin user (scope
# 13), timed (when a measure before imported it, its rows are deleted first
# by the superuser, not timed); then sgz driven in tmux at 80x24 as a county
# user (the county with the most volunteers) with SGZ_TRACE_SQL on, in the
# volunteers, hours and visits lists: first page, Page Down, End, Page Up,
# a record saved; each statement it sent timed as that role (trace.sh) with the key of row 1,
# the middle row and the last page's; every report of sgz report for the
# last whole year at province scope as a region user (scope 13), its
# statements' server time and the command's wall time; the tables' sizes
# and rows.
#
# migrate: sgz migrate as the owner, timed (moving the rows into partitions).
#
# Environment: SGZ_BIN, SGZ_BENCH_RUNS (best of, 5), SGZ_BENCH_PEER_RUNS (2),
# SGZ_YEARS_STEPS (the parts of measure to take: "import lists reports
# sizes"), SGZ_YEARS_LISTS ("volunteers hours visits"), SGZ_BENCH_GEN (where
# to build the generator), CC.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/data/divisions-2022.csv
now() { date +%s.%N; }
years=10 scale=1
while [ $# -gt 0 ]; do
	case $1 in
	--years) years=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	-h | --help) sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "usage: tests/bench/years.sh [--years N] [--scale X] DIR load|measure|migrate|stop" >&2
		exit 2 ;;
	*) break ;;
	esac
done
[ $# = 2 ] || { echo "usage: tests/bench/years.sh [--years N] [--scale X] DIR load|measure|migrate|stop" >&2; exit 2; }
dir=$1 cmd=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# ---- the cluster: DIR/pg, kept between the steps ----
bindir=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
	[ -x "$d/pg_ctl" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || { echo "years: no PostgreSQL server (apt-get install postgresql)" >&2; exit 2; }
as_pg=""
[ "$(id -u)" = 0 ] && as_pg="runuser -u postgres --"
pg=$dir/pg
server_log=$pg/server.log
pg_up() {
	if [ ! -d "$pg/data" ]; then
		mkdir -p "$pg/data"
		chmod 755 "$dir" "$pg"
		[ -n "$as_pg" ] && chown postgres: "$pg" "$pg/data"
		$as_pg "$bindir/initdb" -D "$pg/data" -U sgz_test -A trust -E UTF8 --locale=C.UTF-8 \
			>"$pg/initdb.log" 2>&1 || { cat "$pg/initdb.log" >&2; exit 1; }
	fi
	$as_pg "$bindir/pg_ctl" -D "$pg/data" status >/dev/null 2>&1 && return 0
	$as_pg "$bindir/pg_ctl" -D "$pg/data" -l "$server_log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$pg' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=2GB" \
		start >/dev/null || { tail -20 "$server_log" >&2; exit 1; }
}
if [ "$cmd" = stop ]; then
	$as_pg "$bindir/pg_ctl" -D "$pg/data" -m fast -w stop
	exit 0
fi
bin=${SGZ_BIN:-$top/_build/dev/sgz}
[ -x "$bin" ] || { echo "years: no sgz at $bin: give SGZ_BIN" >&2; exit 2; }
SGZ_BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
pg_up
unset PGSERVICE PGSERVICEFILE PGPASSWORD PGPASSFILE PGOPTIONS PGSSLMODE PGHOSTADDR SGZ_DB SGZ_CONFIG
PGHOST=$pg PGPORT=5432 PGDATABASE=sgz PGUSER=bench_owner
export PGHOST PGPORT PGDATABASE PGUSER SGZ_BIN
su=sgz_test
su_psql() { PGUSER=$su psql -XAtq "$@"; }
work=$dir/work
mkdir -p "$work"
chmod 755 "$work"
runs=${SGZ_BENCH_RUNS:-5}
peer_runs=${SGZ_BENCH_PEER_RUNS:-2}
timing=$work/timing
notes=$work/notes
logf=$work/import.log
: >"$notes"
printf '[database]\nstatement_timeout = 0\n' >"$work/no-timeout.ini"
PGOPTIONS='-c client_min_messages=warning'
export PGOPTIONS
commas() { echo "$1" | awk '{ s = $1; o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b <= 0) print "-"; else if (a > 0 && a / b < 0.01) printf "1/%dx", b / a
		else if (a / b < 0.1) printf "%.2fx", a / b; else printf "%.1fx", a / b }'
}
row() {
	printf '%-58s %9.3fs  %s\n' "$1" "$2" "$3"
}
row_q() {
	_miss=$(awk -v a="$2" -v t="$4" 'BEGIN { if (a > t) print "  MISS" }')
	if [ "$3" = - ]; then
		printf '%-58s %8.3fms %10s %8s  <= %s ms%s\n' "$1" "$2" - - "$4" "$_miss"
	else
		printf '%-58s %8.3fms %8.3fms %8s  <= %s ms%s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" \
			"$4" "$_miss"
	fi
}
best_of() {
	_n=$1
	shift
	_b=""
	for _ in $(seq "$_n"); do
		"$@" >/dev/null 2>"$work/err" || { echo "years: failed: $*" >&2; head -20 "$work/err" >&2; exit 1; }
		_t=$(cat "$timing")
		_b=$(echo "$_t $_b" | awk '{ if ($2 == "" || $1 < $2) print $1; else print $2 }')
	done
	echo "$_b"
}
timed() {
	_ts=$(now)
	"$@"
	_te=$(now)
	awk -v s="$_ts" -v e="$_te" 'BEGIN { print e - s }' >"$timing"
}
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
# sgz import ENTITY FILE [ROLE], statement_timeout off, timed
sgz_import() {
	_rc=0
	_ts=$(now)
	PGUSER=${3:-bench_owner} SGZ_CONFIG=$work/no-timeout.ini "$SGZ_BIN" import "$1" "$2" \
		>"$logf" 2>&1 || _rc=$?
	_te=$(now)
	awk -v s="$_ts" -v e="$_te" 'BEGIN { print e - s }' >"$timing"
	if [ "$_rc" != 0 ]; then
		echo "years: sgz import $1 $2 failed:" >&2
		grep -v ': warning: ' "$logf" | head -20 >&2
		return 1
	fi
}
imported() { sed -n 's/^\([0-9]*\) rows imported$/\1/p' "$logf" | tail -1; }

gen=${SGZ_BENCH_GEN:-$(dirname "$SGZ_BIN")/bench-gen}
today_file=$dir/today
if [ "$cmd" = load ]; then
	[ -f "$today_file" ] || date +%Y-%m-%d >"$today_file"
fi
[ -f "$today_file" ] || { echo "years: $dir holds no loaded set: run load first" >&2; exit 2; }
today=$(cat "$today_file")
# the years of the set: what load was given (kept), or --years
[ -f "$dir/years" ] && years=$(cat "$dir/years") && scale=$(cat "$dir/scale")
end_year=$(date -d "$today - 1 day" +%Y)
first_year=$((end_year - years + 1))
last_file=$dir/gen/h$end_year/hours.csv

case $cmd in
load)
	if [ ! -x "$gen" ] || [ "$top/tests/bench/gen.c" -nt "$gen" ]; then
		${CC:-cc} -std=c11 -O2 -o "$gen" "$top/tests/bench/gen.c"
	fi
	echo "$years" >"$dir/years"
	echo "$scale" >"$dir/scale"
	rest=divisions,organizations,stations,service_points,staff,volunteers,activities,recipients
	rest=$rest,cases,visits,indicators,programmes,contracts,evaluations,evaluation_scores
	rest=$rest,payments,plans,community_orgs,supervisions,trainings
	s=$(now)
	g="$gen --divisions $data --scale $scale --today $today --years $years"
	$g --only "$rest" --out "$dir/gen" 2>"$work/gen.log" || { cat "$work/gen.log" >&2; exit 1; }
	for y in $(seq "$first_year" "$end_year"); do
		$g --year "$y" --only hours --out "$dir/gen/h$y" 2>>"$work/gen.log"
	done
	chmod -R a+rX "$dir/gen"
	awk -v s="$s" -v e="$(now)" -v sc="$scale" -v y="$years" -v t="$today" 'BEGIN {
		printf "data: province 13 at scale %s, %d years to %s, generated in %.1f s\n", sc, y, t, e - s }'
	grep '^gen: .*\.csv' "$work/gen.log" | awk '{ print "  " $2, $3 }' | sort | uniq -c |
		awk '{ printf "%s%s %s%s", n++ ? ", " : "  ", $2, $3, ($1 > 1 ? " (x" $1 ")" : "") } END { print "" }' |
		fold -s -w 100
	su_psql -d postgres -c "CREATE ROLE bench_owner LOGIN CREATEROLE" \
		-c "CREATE DATABASE sgz OWNER bench_owner"
	"$SGZ_BIN" migrate >/dev/null
	echo "sgz: $SGZ_BIN ($("$SGZ_BIN" --version | head -1)), load average $(load_avg)"
	echo
	printf '%-58s %10s\n' figure time
	import_one() { # ENTITY FILE LABEL
		sgz_import "$1" "$2" || { [ "${4:-}" = optional ] && echo "note: $3 refused" >>"$notes" && return 0; exit 1; }
		row "import $3 ($(commas "$(imported)") rows)" "$(cat "$timing")" "load $(load_avg)"
	}
	import_one divisions "$data" divisions
	import_one divisions "$dir/gen/divisions-villages.csv" villages
	for e in organizations stations service_points staff volunteers activities; do
		import_one "$e" "$dir/gen/$e.csv" "$e"
	done
	for y in $(seq "$first_year" $((end_year - 1))); do
		import_one hours "$dir/gen/h$y/hours.csv" "hours of $y"
		psql -Xqc "ANALYZE sgz.hours"
	done
	for e in recipients cases visits indicators programmes contracts evaluations \
		evaluation_scores payments plans; do
		import_one "$e" "$dir/gen/$e.csv" "$e"
	done
	for e in community_orgs supervisions trainings; do
		import_one "$e" "$dir/gen/$e.csv" "$e" optional
	done
	su_psql -d sgz -c "VACUUM ANALYZE"
	cat "$notes"
	exit 0
	;;
migrate)
	echo "sgz: $SGZ_BIN ($("$SGZ_BIN" --version | head -1)), load average $(load_avg)"
	before=$(psql -XAtqc "SELECT max(version) FROM sgz.schema_migration" 2>/dev/null || echo '?')
	timed env SGZ_CONFIG="$work/no-timeout.ini" "$SGZ_BIN" migrate
	after=$(psql -XAtqc "SELECT max(version) FROM sgz.schema_migration" 2>/dev/null || echo '?')
	row "sgz migrate ($before to $after)" "$(cat "$timing")" "load $(load_avg)"
	# the moved rows vacuumed and analysed, as load leaves the tables
	timed su_psql -d sgz -c "VACUUM ANALYZE sgz.hours" -c "VACUUM ANALYZE sgz.visit" \
		-c "VACUUM ANALYZE sgz.audit"
	row "then VACUUM ANALYZE of hours, visit, audit (superuser)" "$(cat "$timing")" "load $(load_avg)"
	exit 0
	;;
measure) ;;
*) echo "years: unknown step $cmd" >&2; exit 2 ;;
esac

# ---- measure ----
ver=$(psql -XAtqc "SELECT max(version) FROM sgz.schema_migration" 2>/dev/null || echo '?')
parts=$(psql -XAtqc "SELECT count(*) FROM pg_inherits WHERE inhparent = 'sgz.hours'::regclass")
echo "sgz: $SGZ_BIN, schema $ver, sgz.hours in $parts partitions; load average $(load_avg)"
tap_tmp=$work/tmux
rm -rf "$tap_tmp"
mkdir -p "$tap_tmp"
bail() {
	echo "years: $*" >&2
	exit 1
}
. "$top/tests/lib/tmux.sh"
trap 'set +e; tmux_stop; rm -rf "$tap_tmp"' EXIT
. "$top/tests/lib/sqltrace.sh"
. "$top/tests/bench/trace.sh"
LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE SGZ_TRACE_SQL
XDG_STATE_HOME=$work/state
export XDG_STATE_HOME
rm -rf "$work/trace"
mkdir -p "$work/trace"

county=$(psql -XAtqc "SELECT left(station, 6) FROM sgz.volunteer GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
"$SGZ_BIN" user add bench_admin --scope 13 --kind admin >/dev/null 2>&1 || true
"$SGZ_BIN" user add bench_region --scope 13 --kind region >/dev/null 2>&1 || true
"$SGZ_BIN" user add bench_county --scope "$county" --kind county >/dev/null 2>&1 || true
for r in bench_admin bench_region bench_county; do
	su_psql -c "ALTER ROLE $r SET log_statement = 'all'" -c "ALTER ROLE $r SET log_duration = on" >/dev/null
done
su_psql -c "ALTER SYSTEM SET log_line_prefix = '$SQLTRACE_LOG_PREFIX'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1

# SGZ_YEARS_STEPS: which of these to take (all by default)
steps=${SGZ_YEARS_STEPS:-import lists reports sizes}
want() { case " $steps " in *" $1 "*) return 0 ;; esac; return 1; }
echo
printf '%-58s %10s %10s %8s  %s\n' figure sgz peer ratio target

# -- one year's hours imported into the table of the years before, as an
# admin user: the last year's rows, when a measure before left them,
# deleted first (the superuser, not timed) --
if want import; then
if [ "$(psql -XAtqc "SELECT EXISTS (SELECT 1 FROM sgz.hours WHERE service_date >= '$end_year-01-01')")" = t ]; then
	s=$(now)
	su_psql -d sgz -c "SET statement_timeout = 0" \
		-c "DELETE FROM sgz.hours WHERE service_date >= '$end_year-01-01'" \
		-c "VACUUM ANALYZE sgz.hours"
	awk -v s="$s" -v e="$(now)" -v y="$end_year" 'BEGIN {
		printf "note: the %s rows a measure before imported deleted first in %.1f s (superuser, not a figure)\n", y, e - s }' >>"$notes"
fi
hours_before=$(psql -XAtqc "SELECT count(*) FROM sgz.hours")
sgz_import hours "$last_file" bench_admin || exit 1
row "import hours of $end_year ($(commas "$(imported)") rows) into $(commas "$hours_before")" \
	"$(cat "$timing")" "load $(load_avg)"
su_psql -d sgz -c "VACUUM ANALYZE sgz.volunteer" -c "VACUUM ANALYZE sgz.hours" -c "VACUUM ANALYZE sgz.visit"
fi

# -- the county user's lists --
if want lists; then
sgz_start bench_county county
lists=${SGZ_YEARS_LISTS:-volunteers hours visits}
for spec in volunteers:2:1:Skills hours:2:3:Note visits:3:3:Summary; do
	case " $lists " in *" ${spec%%:*} "*) ;; *) continue ;; esac
	# shellcheck disable=SC2086
	set -- $(echo "$spec" | tr : ' ')
	list=$1 field=$4
	act "$list" first "$2" "$3"
	act "$list" pgdn NPage
	act "$list" end End
	act "$list" pgup PPage
	tmux_keys Down Down Down
	act "$list" open Enter
	focus "$field"
	tmux_keys x
	act "$list" save F2
	tmux_keys Escape Escape
	wait_for "q quit" 30 || bail "county: the main menu did not come back from $list"
done
sgz_stop
trace_split county
n=$(trace_check county)
echo "note: the county user's trace: $n statements, each what the server logged, byte for byte" >>"$notes"

last_param() { printf '%s\n' "$1" | sed "s/.*, //; s/^'//; s/'\$//"; }
key_params() { printf '%s\n' "$1" | sed 's/, [^,]*$//'; }
nparams() { printf '%s\n' "$1" | awk -F ', ' '{ print NF }'; }
kind=county
for list in $lists; do
	first=$(stmt county "$list" first)
	after=$(stmt county "$list" pgdn)
	last=$(stmt county "$list" end)
	before=$(stmt county "$list" pgup)
	h=$(last_param "$(params_of "$(rec county "$first")")")
	ap=$(params_of "$(rec county "$after")")
	nk=$(($(nparams "$ap") - 1))
	total=$(rows_of county "$first")
	kh=$(row_key county "$first" "$h" "$nk")
	[ "$kh" = "$(key_params "$ap")" ] || bail "county, $list: the key of row $h is not the one sgz sent"
	label="$list, county ($(commas "$total") rows)"
	x=$work/explain.$list
	row_q "$label: first page" "$(time_rec county "$first" "" "$x.first")" - 5
	row_q "$list, county: End (last page)" "$(time_rec county "$last" "" "$x.last")" - 5
	rb=$(stmt county "$list" save 1)
	ra=$(stmt county "$list" save 2)
	[ "$(kind_of "$(rec county "$rb").sql")" = before ] && [ "$(kind_of "$(rec county "$ra").sql")" = after ] ||
		bail "county, $list: the save did not fetch the rows before and after the record"
	k1=$(last_param "$(params_of "$(rec county "$rb")")")
	ra_n=$(last_param "$(params_of "$(rec county "$ra")")")
	for depth in "$h" $((total / 2)) $((total - h)); do
		[ "$depth" -lt "$h" ] && depth=$h
		key=$(row_key county "$first" "$depth" "$nk")
		[ -n "$key" ] || bail "county, $list: no row $depth"
		at="row $(commas "$depth")"
		ms=$(time_rec county "$after" "$key, '$h'" "$x.after.$depth")
		sed "s/ LIMIT \\(\\\$[0-9]*::bigint\\|(SELECT \\\$[0-9]*::bigint)\\)\$/ OFFSET $depth LIMIT \\1/" \
			"$(rec county "$first").sql" >"$work/offset.sql"
		pm=$(peer_ms bench_county "$work/offset.sql" "'$h'")
		row_q "$list, county: next page after $at" "$ms" "$pm" 5
		row_q "$list, county: previous page before $at" \
			"$(time_rec county "$before" "$key, '$h'" "$x.before.$depth")" - 5
		if [ "$depth" -gt "$k1" ]; then
			k2=$(row_key county "$first" $((depth - k1)) "$nk")
			m1=$(time_rec county "$rb" "$key, '$k1'" "$x.rb.$depth")
			m2=$(time_rec county "$ra" "$k2, '$ra_n'" "$x.ra.$depth")
			row_q "$list, county: reposition after a save, $at" \
				"$(awk -v a="$m1" -v b="$m2" 'BEGIN { print a + b }')" - 5
		fi
	done
done
echo "note: list pages: server time (EXPLAIN ANALYZE, TIMING OFF, best of $runs) of the statement" \
	"sgz sent, as the county user of $county, with the key of row N; peer of the next page: its" \
	"first page with OFFSET N (best of $peer_runs)" >>"$notes"
fi

# -- reports: the last whole year, province scope, as a region user --
if want reports; then
year=$((end_year - 1))
month=$year-12
trace_file=$work/trace/reports.sql
: >"$work/reports.windows"
for r in coverage staffing hours stars caseload kpi contracts progress community training \
	plan funds submissions evaluation; do
	case $r in
	progress | submissions) set -- --month "$month" ;;
	*) set -- --year "$year" ;;
	esac
	from=$(($(trace_count) + 1))
	if ! PGUSER=bench_region SGZ_TRACE_SQL=$trace_file "$SGZ_BIN" report "$r" --scope 13 \
		--format csv "$@" -o /dev/null 2>"$work/err"; then
		printf '%-58s %10s  %s\n' "report $r" failed "$(head -1 "$work/err")"
		continue
	fi
	echo "$r $from $(trace_count)" >>"$work/reports.windows"
done
trace_split reports
trace_check reports >/dev/null
while read -r r from to; do
	case $r in progress | submissions) p="--month $month" ;; *) p="--year $year" ;; esac
	sum=0
	for k in $(awk -v f="$from" -v t="$to" '$1 >= f && $1 <= t' "$work/trace/reports.d/index" |
		awk '$5 == "BEGIN" { on = 1; next } $5 == "COMMIT" { on = 0 } on { print $1 }'); do
		ms=$(time_rec reports "$k" "" "$work/x")
		sum=$(awk -v a="$sum" -v b="$ms" 'BEGIN { print a + b }')
	done
	rep() {
		# shellcheck disable=SC2086
		timed env PGUSER=bench_region "$SGZ_BIN" report "$r" --scope 13 --format csv $p -o /dev/null
	}
	t=$(best_of 3 rep)
	printf '%-58s %8.3fms %9.3fs %8s  %s%s\n' "report $r (13, $p), server / wall" "$sum" "$t" - \
		"<= 500 ms" "$(awk -v a="$sum" 'BEGIN { if (a > 500) print "  MISS" }')"
done <"$work/reports.windows"
echo "note: reports: server time of the statements of sgz report's transaction as a region user" \
	"of scope 13 (best of $runs each), and the wall time of the whole command (best of 3)" >>"$notes"
fi

# -- rows and sizes, the last year in --
if want sizes; then
echo
printf '%-30s %14s %12s\n' table rows size
for t in sgz.hours sgz.visit sgz.audit sgz.hours_day_total sgz.hours_year_total sgz.volunteer; do
	psql -XAtqc "SELECT to_regclass('$t') IS NOT NULL" | grep -q t || continue
	psql -XAtq -F ' ' -c "SELECT (SELECT count(*) FROM $t),
		pg_size_pretty((SELECT sum(pg_total_relation_size(c))::bigint FROM
			(SELECT '$t'::regclass c UNION SELECT inhrelid FROM pg_inherits
			 WHERE inhparent = '$t'::regclass) s))" |
		while read -r c s1 s2; do printf '%-30s %14s %12s\n' "$t" "$(commas "$c")" "$s1 $s2"; done
done
printf '%-30s %14s %12s\n' database - "$(psql -XAtqc "SELECT pg_size_pretty(pg_database_size('sgz'))")"
fi

echo
cat "$notes"
