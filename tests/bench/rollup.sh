#!/bin/sh
# rollup.sh - what a roll-up costs (sgz(7), "PROVINCES AND A ROLL-UP"): a
# generated province (gen.c, province 13) in a cluster of its own with
# wal_level=logical, and with-pg's cluster as its roll-up. Times publish
# (the pids moved), the first copy of everything but the hours, an import
# of the hours on the province and how long after its commit the roll-up
# has it, the WAL it wrote, the sizes of both databases, three reports on
# each. Measurements, not a test: nothing here fails.
#
#   SGZ_BIN=$PWD/_build/dev/sgz sh tests/with-pg sh tests/bench/rollup.sh [SCALE]
#
# SCALE is gen's (default 0.1: 20,000 volunteers, 500,000 hours rows).
set -u
: "${SGZ_PG_BINDIR:?run inside tests/with-pg}"
src=$(cd "$(dirname "$0")/../.." && pwd)
B=${SGZ_BIN:?SGZ_BIN=path of sgz}
scale=${1:-0.1}
T=$(mktemp -d "${TMPDIR:-/tmp}/sgz-rollup-bench.XXXXXX") || exit 2
chmod 755 "$T"
R=$SGZ_PG_DIR
as=""
[ "$(id -u)" = 0 ] && as="runuser -u postgres --"
trap '$as "$SGZ_PG_BINDIR/pg_ctl" -D "$T/p/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$T"' EXIT

t() { date +%s.%N; }
el() { echo "$2 - $1" | bc; }
qp() { PGHOST=$T/p psql -XAtqc "$1"; }
q() { psql -XAtqc "$1"; }

cc -std=c11 -O2 -o "$T/gen" "$src/tests/bench/gen.c" || exit 2
"$T/gen" --divisions "$src/data/divisions-2022.csv" --province 13 --scale "$scale" --seed 42 \
	--out "$T/data" >/dev/null || exit 2
"$B" migrate >/dev/null 2>&1 || exit 2
"$B" import divisions "$src/data/divisions-2022.csv" >/dev/null 2>&1 || exit 2
"$B" import divisions "$T/data/divisions-villages.csv" >/dev/null 2>&1 || exit 2
q ANALYZE
# the province: a copy of the roll-up's cluster, migrated with the divisions
$as "$SGZ_PG_BINDIR/pg_ctl" -D "$R/data" -m fast -w stop >/dev/null || exit 2
mkdir "$T/p" && { [ -z "$as" ] || chown postgres: "$T/p"; }
$as cp -a "$R/data" "$T/p/data" || exit 2
$as "$SGZ_PG_BINDIR/pg_ctl" -D "$T/p/data" -l "$T/p/log" -w -o "-c listen_addresses='' \
-c unix_socket_directories='$T/p' -c fsync=off -c wal_level=logical" start >/dev/null || exit 2
$as "$SGZ_PG_BINDIR/pg_ctl" -D "$R/data" -l "$R/server.log" -w -o "-c listen_addresses='' \
-c unix_socket_directories='$R' -c fsync=off -c synchronous_commit=off" start >/dev/null || exit 2
P="host=$T/p port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
for e in organizations stations service_points staff volunteers activities recipients cases visits \
	indicators programmes contracts evaluations evaluation_scores payments plans; do
	"$B" --db "$P" import "$e" "$T/data/$e.csv" >/dev/null 2>&1 || echo "import $e failed"
done
qp ANALYZE

a=$(t)
"$B" --db "$P" rollup publish 13 >/dev/null 2>&1 || exit 1
b=$(t)
echo "publish (the pids of $(qp 'SELECT count(*) FROM sgz.volunteer') volunteers, $(qp 'SELECT count(*) FROM sgz.staff') staff, $(qp 'SELECT count(*) FROM sgz.recipient') recipients moved): $(el "$a" "$b") s"
a=$(t)
"$B" rollup add "$P" >/dev/null 2>&1 || exit 1
while [ "$(q "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" != 0 ]; do sleep 0.2; done
b=$(t)
echo "first copy of everything but the hours: $(el "$a" "$b") s"
l0=$(qp 'SELECT pg_current_wal_lsn()')
a=$(t)
"$B" --db "$P" import hours "$T/data/hours.csv" >/dev/null 2>&1 || echo "import hours failed"
b=$(t)
l1=$(qp 'SELECT pg_current_wal_lsn()')
while [ "$(q "SELECT coalesce(bool_and(latest_end_lsn >= '$l1'), false) FROM pg_stat_subscription WHERE relid IS NULL")" != t ]; do
	sleep 0.2
done
c=$(t)
echo "import hours ($(qp 'SELECT count(*) FROM sgz.hours') rows) on the province: $(el "$a" "$b") s; on the roll-up $(el "$b" "$c") s after; WAL $(qp "SELECT pg_size_pretty(pg_wal_lsn_diff('$l1', '$l0'))")"
echo "database: province $(qp 'SELECT pg_size_pretty(pg_database_size(current_database()))'), roll-up $(q 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
for tb in hours volunteer visit audit hours_day_total; do
	echo "  $tb: province $(qp "SELECT pg_size_pretty(pg_total_relation_size('sgz.$tb'))"), roll-up $(q "SELECT pg_size_pretty(pg_total_relation_size('sgz.$tb'))")"
done
q ANALYZE
for n in coverage staffing kpi; do
	a=$(t)
	"$B" report "$n" --scope 13 --format csv >/dev/null 2>&1
	b=$(t)
	"$B" --db "$P" report "$n" --scope 13 --format csv >/dev/null 2>&1
	c=$(t)
	echo "report $n (province 13, wall): roll-up $(el "$a" "$b") s, province $(el "$b" "$c") s"
done
"$B" --db "$P" rollup status
"$B" rollup status
