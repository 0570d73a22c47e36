#!/bin/sh
# rollup.sh - provinces rolled up by logical replication (sgz(7),
# migration 0022): two provincial clusters (wal_level=logical) and one
# roll-up cluster (with-pg's own), Unix sockets only, the same binaries,
# as the postgres user when run as root; the provinces are copies of the
# roll-up's cluster once migrated and given the divisions (so each loads
# the same national table, and none is replicated), stopped and removed
# at exit. Tianjin's fixtures go into one province, Lhasa's into the
# other; each publishes (`sgz rollup publish`, its pids moved into its
# province's range), the roll-up subscribes to both (`sgz rollup add`);
# then the roll-up's coverage, staffing and progress reports (and the
# others) for the nation are the provinces' rows together, a scoped user
# there sees only his province, writes to the roll-up are refused in the
# reader's language, and a change on a province reaches the roll-up.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 48

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
L=$F/lhasa
R=$SGZ_PG_DIR
ENTITIES="organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans community_orgs outreach_visits
	supervisions trainings resources"
# every report sgz has, as it lists them
REPORTS=$("$SGZ_BIN" --lang en report --help 2>&1 | sed -n 's/^Reports: //p')
[ -n "$REPORTS" ] || bail "sgz report --help lists no reports"
NREPORTS=$(echo $REPORTS | wc -w)
as_pg=""
[ "$(id -u)" = 0 ] && as_pg="runuser -u postgres --"

pg_stop() { $as_pg "$SGZ_PG_BINDIR/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1; }
trap 'pg_stop "$T/p12"; pg_stop "$T/p54"; rm -rf "$T"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# pg_start DIR OPTIONS - a server on DIR/data, its socket in DIR
pg_start() {
	$as_pg "$SGZ_PG_BINDIR/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$1' -c fsync=off $2" \
		start >/dev/null 2>&1 || bail "the server of $1 did not start: $(cat "$1/server.log")"
}
P12="host=$T/p12 port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
P54="host=$T/p54 port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
sgz12() { "$SGZ_BIN" --db "$P12" "$@"; }
sgz54() { "$SGZ_BIN" --db "$P54" "$@"; }
q() { psql -XAtqc "$1" 2>&1; }
q12() { PGHOST=$T/p12 psql -XAtqc "$1" 2>&1; }
q54() { PGHOST=$T/p54 psql -XAtqc "$1" 2>&1; }

start=$(date +%s)
# ------------------------------------------- three clusters, one schema
"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
"$SGZ_BIN" import divisions "$F/divisions.csv" >/dev/null 2>&1 || bail "fixture divisions"
"$SGZ_BIN" import divisions "$L/divisions.csv" >/dev/null 2>&1 || bail "Lhasa's divisions"
q ANALYZE >/dev/null
$as_pg "$SGZ_PG_BINDIR/pg_ctl" -D "$R/data" -m fast -w stop >/dev/null 2>&1 || bail "stop"
for p in p12 p54; do
	mkdir "$T/$p" && [ -z "$as_pg" ] || chown postgres: "$T/$p"
	$as_pg cp -a "$R/data" "$T/$p/data" || bail "copy the cluster"
	pg_start "$T/$p" "-c wal_level=logical"
done
# the roll-up: room for both provinces' workers, failed ones retried soon
pg_start "$R" "-c synchronous_commit=off -c max_logical_replication_workers=8 \
-c max_worker_processes=16 -c max_sync_workers_per_subscription=4 -c wal_retrieve_retry_interval=200ms"

for e in $ENTITIES; do
	sgz12 import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "Tianjin's $e"
	sgz54 import "$e" "$L/$e.csv" >/dev/null 2>"$T/err" || bail "Lhasa's $e: $(cat "$T/err")"
done
is "each province holds its own stations" \
	"$(q12 'SELECT string_agg(DISTINCT left(township, 2), $$ $$) FROM sgz.station') $(q54 'SELECT string_agg(DISTINCT left(township, 2), $$ $$) FROM sgz.station')" \
	"12 54"
is "and both gave their people the same pids" \
	"$(q12 'SELECT min(pid) FROM sgz.volunteer') $(q54 'SELECT min(pid) FROM sgz.volunteer')" "1 1"

# ------------------------------------------------------------- publish
out=$(sgz54 rollup publish 12 2>&1)
rc=$?
is "a province that holds another's rows is refused" "$rc" 2
like "saying so" "$out" "outside province 12"
out=$(sgz12 rollup publish 12 2>&1)
is "Tianjin publishes" "$?" 0
like "its pids from 120000000001" "$out" "120000000001"
sgz54 rollup publish 54 >/dev/null 2>&1 || bail "publish 54"
is "the people's pids moved into the province's range" \
	"$(q12 'SELECT min(pid) FROM sgz.volunteer') $(q54 'SELECT min(pid) FROM sgz.volunteer')" \
	"120000000001 540000000001"
is "with every column that names them by pid" \
	"$(q54 "SELECT count(*) FROM sgz.hours h JOIN sgz.volunteer v ON v.pid = h.volunteer_pid
		 AND v.id_number = h.volunteer") $(q54 "SELECT count(*) FROM sgz.case_file c
		 JOIN sgz.recipient r ON r.pid = c.recipient_pid JOIN sgz.staff s ON s.pid = c.worker_pid")" \
	"4 2"
printf 'id_number,name,phone,station,team,registered_on,skills\n540102199901010017,新志愿者,,540102002000,,2024-01-02,\n' \
	>"$T/v.csv"
sgz54 import volunteers "$T/v.csv" >/dev/null 2>&1 || bail "one more volunteer"
is "a new person's pid is taken from the range" \
	"$(q54 "SELECT pid FROM sgz.volunteer WHERE id_number = '540102199901010017'")" 540000000004
is "publishing again with another province is refused" \
	"$(sgz12 rollup publish 54 >/dev/null 2>&1; echo $?)" 2
# A table a migration adds is published (sgz.rollup_tables()) or named
# here as each database's own, and sgz(7) says which.
is "every table of sgz is published, but each database's own" \
	"$(q12 "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'sgz' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND NOT c.oid = ANY (sgz.rollup_tables())")" \
	"audit case_counter division hours_day_total indicator organization rollup_node schema_migration setting user_scope"
is "a published table without a primary key has a replica identity (evaluation: its number), its partitions too" \
	"$(q12 "SELECT string_agg(relname || ':' || relreplident::text, ' ' ORDER BY relname) FROM pg_class
		WHERE oid IN ('sgz.evaluation'::regclass, 'sgz.evaluation_score'::regclass, 'sgz.hours'::regclass,
			      'sgz.hours_2024'::regclass, 'sgz.hours_default'::regclass)")" \
	"evaluation:i evaluation_score:f hours:f hours_2024:f hours_default:f"
is "the foreign key to a renumbered number is made again" \
	"$(q12 "SELECT convalidated FROM pg_constraint WHERE conname = 'evaluation_score_evaluation_exists'")" t
is "the publication lists the tables the reports read, and no reference data" \
	"$(q12 "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_publication_tables
		WHERE pubname = 'sgz_rollup'")" \
	"activity case_file case_last_visit community_org contract evaluation evaluation_score hours hours_life_total hours_year_total outreach_visit payment plan programme recipient resource service_point staff station submission supervision training visit volunteer"

# ------------------------------------------------------------ subscribe
out=$("$SGZ_BIN" rollup add "$P12" 2>&1)
is "the roll-up subscribes to Tianjin" "$?" 0
like "named by its province" "$out" "sgz_12"
# Lhasa's as sgz(7) says: a role of its own, REPLICATION and BYPASSRLS
q54 "CREATE ROLE rollup LOGIN REPLICATION BYPASSRLS; GRANT USAGE ON SCHEMA sgz TO rollup;
	GRANT SELECT ON ALL TABLES IN SCHEMA sgz TO rollup" >/dev/null
out=$("$SGZ_BIN" rollup add "host=$R port=$PGPORT dbname=$PGDATABASE" 2>&1)
like "a database that is no published province is not subscribed to" "$out" "is not a published province"
"$SGZ_BIN" rollup add "host=$T/p54 port=$PGPORT user=rollup dbname=$PGDATABASE" >/dev/null 2>&1 ||
	bail "subscribe to 54"
# wait_ready - until every table of both subscriptions is copied and streams
wait_ready() {
	i=0
	while [ "$(q "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" != 0 ] ||
		[ "$(q 'SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL AND relid IS NULL')" != 2 ]; do
		i=$((i + 1))
		[ $i -lt 600 ] || return 1
		sleep 0.1
	done
}
if wait_ready; then
	pass "both provinces' tables are copied"
else
	fail "both provinces' tables are copied" "$(grep -E 'ERROR|DETAIL' "$R/server.log" | sed 's/^.*\(ERROR\|DETAIL\)/\1/' | sort | uniq -c | sort -rn | head -5)"
fi
out=$("$SGZ_BIN" rollup status 2>&1)
like "rollup status shows Tianjin streaming" "$out" "12  streaming  tables 24/24 ready"
like "and Lhasa" "$out" "54  streaming  tables 24/24 ready"
out=$("$SGZ_BIN" --lang zh_CN rollup status 2>&1)
like "in Chinese too" "$out" "12  同步中"
# a later migration (0029 again, and NNNN_hours_life, which lists the
# tables after it): the province publishes again, the roll-up readies its tables, and
# both still follow
# (0029 and 0044 state the list of published tables of their day: the
# latest migrations' list is put back after them, the province published again)
tables=$(q12 "SELECT pg_get_functiondef('sgz.rollup_tables()'::regprocedure)")
LV=$(basename "$SGZ_SRCDIR"/src/db/migrations/*_hours_life.sql | sed 's/_.*//; s/^0*//')
q12 "DELETE FROM sgz.schema_migration WHERE version IN (29, $LV); DROP FUNCTION sgz.rollup_identities()" >/dev/null
like "sgz migrate on a province publishes it again" "$(sgz12 migrate 2>&1)" "province 12 published again"
q12 "$tables" >/dev/null && q12 "SELECT sgz.rollup_publish('12')" >/dev/null || bail "published again"
q "DELETE FROM sgz.schema_migration WHERE version IN (29, $LV); DROP FUNCTION sgz.rollup_identities()" >/dev/null
like "and on the roll-up says to add the provinces again" "$("$SGZ_BIN" --lang zh_CN migrate 2>&1)" \
	"请对每个省再运行一次"
q "$tables" >/dev/null
out=$(sgz12 rollup status 2>&1)
like "on a province it names the province" "$out" "province 12"
like "and the roll-up's slot, connected, with the WAL kept for it" "$out" "sgz_12  connected  WAL kept for it"
# wait_caught_up - until the roll-up has applied all each province has written
wait_caught_up() {
	for p in 12 54; do
		lsn=$(PGHOST=$T/p$p psql -XAtqc 'SELECT pg_current_wal_lsn()')
		i=0
		while [ "$(q "SELECT coalesce(bool_and(latest_end_lsn >= '$lsn'), false)
			FROM pg_stat_subscription s JOIN pg_subscription u ON u.oid = s.subid
			WHERE u.subname = 'sgz_$p' AND s.relid IS NULL")" != t ]; do
			i=$((i + 1))
			[ $i -lt 300 ] || return 1
			sleep 0.1
		done
	done
}

# ------------------------------------------- the nation is the provinces
# rep CONNINFO NAME [USER [SCOPE]] - the report's CSV, its rows sorted
rep() {
	case $2 in
	progress) p="--month 2024-12" ;;
	*) p="--year 2024" ;;
	esac
	PGUSER=${3:-$PGUSER} "$SGZ_BIN" --db "$1" report "$2" $p ${4:+--scope "$4"} --format csv \
		2>"$T/err" >"$T/rep.csv" || echo "# report $2: $(cat "$T/err")" >&2
	head -1 "$T/rep.csv"
	tail -n +2 "$T/rep.csv" | LC_ALL=C sort
}
RU="host=$R port=$PGPORT dbname=$PGDATABASE"
# both NAME - the provinces' reports for the nation together: each
# province's own rows (a report of counties lists the other province's
# too, with nothing in them: those are taken from the province itself)
both() {
	rep "$P12" "$1" | head -1
	{ rep "$P12" "$1" | tail -n +2 | grep -v '^54'; rep "$P54" "$1" | tail -n +2 | grep -v '^12'; } |
		LC_ALL=C sort -u
}
for c in "$R" "$T/p12" "$T/p54"; do PGHOST=$c psql -XAtqc ANALYZE; done
same=0 rows=0
for n in $REPORTS; do
	rep "$RU" "$n" >"$T/ru.csv"
	both "$n" >"$T/sum.csv"
	if cmp -s "$T/ru.csv" "$T/sum.csv"; then
		same=$((same + 1))
	else
		echo "# $n differs:" && diff "$T/sum.csv" "$T/ru.csv" | head -20 | sed 's/^/# /'
	fi
	rows=$((rows + $(grep -c '^12\|^54\|^DL\|^CG' "$T/ru.csv")))
done
is "all $NREPORTS reports for the nation on the roll-up are the provinces' rows together" "$same" "$NREPORTS"
ok "with rows of both provinces in them ($rows)" test "$rows" -gt 40
is "supervisions' own numbers and attendees in their province's range too" \
	"$(q "SELECT count(*), count(DISTINCT pid), count(*) FILTER (WHERE pid / 10000000000 = left(station, 2)::bigint
		AND attendee_pids <@ ARRAY(SELECT pid FROM sgz.staff)) FROM sgz.supervision")" "3|3|3"
is "trainings and evaluations: numbers of their province's range" \
	"$(q "SELECT count(*), count(DISTINCT pid), count(*) FILTER (WHERE attendee_pids <@ ARRAY(SELECT pid FROM sgz.staff)) FROM sgz.training") $(q "SELECT count(*), count(DISTINCT id) FROM sgz.evaluation")" \
	"3|3|3 3|3"
is "each person once, by a pid of his province" \
	"$(q "SELECT count(*), count(DISTINCT pid), count(*) FILTER (WHERE pid / 10000000000 = left(station, 2)::bigint) FROM sgz.volunteer")" \
	"6|6|6"

# --------------------------------------- row-level security, unchanged
"$SGZ_BIN" user add tj --scope 12 --kind region >/dev/null 2>&1 || bail "user tj"
"$SGZ_BIN" user add cg --scope 540102 --kind county >/dev/null 2>&1 || bail "user cg"
is "on the roll-up a Tianjin officer sees Tianjin's stations only" \
	"$(PGUSER=tj psql -XAtqc 'SELECT string_agg(DISTINCT left(township, 2), $$ $$) FROM sgz.station' 2>&1)" 12
same=0
for n in coverage staffing progress; do
	rep "$RU" "$n" tj >"$T/tj.csv"
	rep "$P12" "$n" "" 12 >"$T/p.csv"
	cmp -s "$T/tj.csv" "$T/p.csv" && same=$((same + 1)) || diff "$T/p.csv" "$T/tj.csv" | head -10 | sed 's/^/# /'
done
is "and his coverage, staffing and progress reports are his province's" "$same" 3
is "a county officer of Lhasa his county's volunteers, masked" \
	"$(PGUSER=cg psql -XAtqc 'SELECT count(*), min(id_number) FROM sgz.volunteer_v' 2>&1)" \
	"4|5401**********0017"

# ------------------------------------------------------------ no writes
out=$("$SGZ_BIN" import volunteers "$T/v.csv" 2>&1)
rc=$?
ok "an import into the roll-up is refused ($rc)" test "$rc" -ne 0
like "saying why" "$out" "roll-up of provincial databases and is read only"
out=$("$SGZ_BIN" --lang zh_CN import volunteers "$T/v.csv" 2>&1)
like "in Chinese" "$out" "汇总库"
out=$(q "UPDATE sgz.station SET name = 'x'")
like "even the superuser's UPDATE" "$out" "read only"
out=$(PGUSER=tj psql -XAtqc "DELETE FROM sgz.hours" 2>&1)
like "and a region officer's DELETE" "$out" "permission denied"
out=$(PGUSER=cg psql -XAtqc "SELECT set_config('sgz.migration', '0099_x', false);
	UPDATE sgz.station SET signage = signage WHERE township LIKE '540102%'" 2>&1)
like "and a county officer's, who claims to be a migration" "$out" "read only"
out=$(q "BEGIN; SELECT set_config('sgz.migration', '0099_x', true);
	UPDATE sgz.station SET signage = signage WHERE false; ROLLBACK")
is "while sgz migrate's own transaction may rewrite rows there (as the owner)" "$out" "0099_x"
is "a province publishes a partitioned table as its root" \
	"$(q12 "SELECT pubviaroot FROM pg_publication WHERE pubname = 'sgz_rollup'")" t

# ------------------------------------------------ changes reach the roll-up
printf 'id_number,name,phone,station,role,education,qualification,qualified_on,hired_on,left_on,employer,local_hukou\n540102199303030018,索朗,,540102003000,fulltime,college,none,,2024-03-01,,,yes\n' \
	>"$T/staff.csv"
sgz54 import staff "$T/staff.csv" >/dev/null 2>&1 || bail "one more social worker"
q12 "UPDATE sgz.hours SET hours = 6 WHERE volunteer = '120110199512310077'" >/dev/null
q12 "DELETE FROM sgz.hours WHERE note = '入户探访'" >/dev/null
q54 "UPDATE sgz.station SET status = 'operating' WHERE township = '540102004000'" >/dev/null
q12 "UPDATE sgz.evaluation SET score = 91 WHERE kind = 'annual'" >/dev/null
q12 "DELETE FROM sgz.visit WHERE case_no = '120110001-2024-0001' AND visit_date = '2024-02-14'" >/dev/null
q54 "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES ('540102002-2024-0001', '2024-04-01', 'office', '2024-04-20')" >/dev/null
ok "the roll-up catches up" wait_caught_up
lv() { "$@" "SELECT string_agg(concat_ws(' ', case_no, year, station, visit_date, next_due), ', '
	ORDER BY case_no, year) FROM sgz.case_last_visit"; }
want="$(lv q12), $(lv q54)"
i=0
while [ "$(lv q)" != "$want" ] && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
is "the cases' last visits there are the provinces' (a case's last visit deleted in one, a visit added in the other)" \
	"$(lv q)" "$want"
same=0
for n in staffing hours coverage contracts caseload; do
	rep "$RU" "$n" >"$T/ru.csv"
	both "$n" >"$T/sum.csv"
	cmp -s "$T/ru.csv" "$T/sum.csv" && same=$((same + 1)) || diff "$T/sum.csv" "$T/ru.csv" | head -20 | sed 's/^/# /'
done
is "a new staff member, an hours row changed and one deleted, a station's status, an evaluation's score, visits: the reports follow" \
	"$same" 5
is "the hours the roll-up holds are the provinces'" \
	"$(q 'SELECT count(*), sum(hours) FROM sgz.hours')" \
	"$(($(q12 'SELECT count(*) FROM sgz.hours') + $(q54 'SELECT count(*) FROM sgz.hours')))|$(q "SELECT $(q12 'SELECT sum(hours) FROM sgz.hours') + $(q54 'SELECT sum(hours) FROM sgz.hours')")"
is "the lifetime totals of the hours on the roll-up are its hours', by the provinces' pids" \
	"$(q "SELECT count(*) FROM (
		(SELECT station, volunteer_pid, tenths::bigint, records FROM sgz.hours_life_total
		 EXCEPT SELECT station, volunteer_pid, sum((hours * 10)::int), count(*)::int
			  FROM sgz.hours GROUP BY 1, 2)
		UNION ALL
		(SELECT station, volunteer_pid, sum((hours * 10)::int), count(*)::int FROM sgz.hours
		  GROUP BY 1, 2
		 EXCEPT SELECT station, volunteer_pid, tenths::bigint, records FROM sgz.hours_life_total)) x")
	$(q "SELECT count(DISTINCT left(station, 2)) FROM sgz.hours_life_total")" "0
	2"
is "the roll-up's hours and visits are partitioned by year too, the provinces' rows in their years'" \
	"$(q "SELECT string_agg(c.relkind::text, ' ' ORDER BY c.relname) FROM pg_class c
		WHERE c.oid IN ('sgz.hours'::regclass, 'sgz.visit'::regclass)") $(q "SELECT count(*) FROM sgz.hours_default")
	$(q "SELECT count(DISTINCT tableoid) > 0 FROM sgz.hours")" "p p 0
	t"
is "a province's TRUNCATE is not published" \
	"$(q12 "SELECT pubtruncate FROM pg_publication WHERE pubname = 'sgz_rollup'")" f
# the time it took, for the CI budget (a figure, not a test: bench.md)
echo "# three clusters, publish, subscribe, compare, follow: $(($(date +%s) - start)) s"
