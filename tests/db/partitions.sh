#!/bin/sh
# partitions.sh - the hours, the visits and the audit trail partitioned by
# year (0038, issue 15): rows land in their year's partition, a row of a
# year without one in the default, `sgz migrate` moves it into a new year
# partition; the keys, the hours' rules under two concurrent writers, the
# scopes and the trail hold as before; no role but the owner reaches a
# partition directly. The database is owned by a role that is not a
# superuser (CREATEROLE, as sgz(1) deploys it).
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 40

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
q() { psql -XAtc "$1" 2>&1; }
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

this=$(q "SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer")
first=$((this - 10))
next=$((this + 1))

out=$(sgz migrate) || bail "migrate failed: $out"
is "a new database: no partition made after the migrations' own" \
	"$(echo "$out" | grep -c added)" 0
years() { # TABLE - its partitions, as year list and default
	q "SELECT string_agg(substr(c.relname, length('$1') + 2), ' ' ORDER BY c.relname)
	     FROM pg_partition_tree('sgz.$1') t JOIN pg_class c ON c.oid = t.relid WHERE t.level = 1"
}
want=$(seq "$first" "$next" | tr '\n' ' ')default
is "the hours: a partition a year, ten years back to next year, and the default" \
	"$(years hours)" "$want"
is "the visits too" "$(years visit)" "$want"
is "and the trail" "$(years audit)" "$want"
is "partitioned by range on the date" \
	"$(q "SELECT string_agg(c.relname || ':' || pg_get_partkeydef(c.oid), ' ' ORDER BY c.relname)
	     FROM pg_class c WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind = 'p'")" \
	"audit:RANGE (at) hours:RANGE (service_date) visit:RANGE (visit_date)"
is "a year of the trail runs from midnight of 1 January in China" \
	"$(q "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'audit_$this'")" \
	"FOR VALUES FROM ('$((this - 1))-12-31 16:00:00+00') TO ('$this-12-31 16:00:00+00')"
is "the trail's key holds its partition column" \
	"$(q "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'audit_pkey'")" \
	"PRIMARY KEY (id, at)"

ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in $ENTITIES; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
sgz import stations st.csv >/dev/null || bail "second county"
# a volunteer of long standing, for hours older than the partitions
ZM=120110197007070042
OLD=120110196601010013
printf 'id_number,name,station,registered_on\n%s,钱老,120110001000,2005-03-01\n' $OLD >vo.csv
sgz import volunteers vo.csv >/dev/null || bail "old volunteer: $(sgz import volunteers vo.csv)"
S1=120110001000
S2=120110002000
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add xiqing --scope 120111 --kind county >/dev/null || bail "user xiqing"

# --- rows land in their year's partition ---

out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$ZM', '2022-06-01', '$S1', 2), ('$ZM', '2023-06-01', '$S1', 3), ('$ZM', '2025-06-01', '$S1', 4)")
is "a station user writes hours of three years in one statement" "$out" "INSERT 0 3"
is "each in its own year's partition" \
	"$(q "SELECT string_agg(tableoid::regclass::text, ' ' ORDER BY service_date) FROM sgz.hours
	       WHERE volunteer = '$ZM' AND service_date IN ('2022-06-01', '2023-06-01', '2025-06-01')")" \
	"sgz.hours_2022 sgz.hours_2023 sgz.hours_2025"
is "the fixtures' hours of 2024 are all in hours_2024" \
	"$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ') FROM sgz.hours
	       WHERE service_date BETWEEN '2024-01-01' AND '2024-12-31'")" "sgz.hours_2024"
is "and the visits in visit_2024" \
	"$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ') FROM sgz.visit")" "sgz.visit_2024"
is "the trail of those writes in this year's partition" \
	"$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ') FROM sgz.audit
	       WHERE table_name = 'hours' AND who = 'zgz'")" "sgz.audit_$this"

# --- a year without a partition: the default, then its own ---

old1=$((first - 3))
old2=$((first - 2))
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$OLD', '$old1-05-01', '$S1', 20), ('$OLD', '$old2-05-01', '$S1', 6)")
is "hours of years without a partition are taken" "$out" "INSERT 0 2"
is "into the default partition" \
	"$(q "SELECT string_agg(tableoid::regclass::text, ' ' ORDER BY service_date) FROM sgz.hours
	       WHERE volunteer = '$OLD'")" "sgz.hours_default sgz.hours_default"
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$OLD', '$old1-05-01', '$S1', 1)")
like "the key refuses a duplicate in the default" "$out" "hours_key"
out=$(as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, activity, hours) VALUES
	('$OLD', '$old1-05-01', '$S2', NULL, 5)")
like "the day's 24 hours hold in the default" "$out" "add up to more than 24"
own "INSERT INTO sgz.audit (at, table_name, action, division) VALUES ('$old1-07-01 12:00+08', 'hours', 'open', '$S1')" >/dev/null
before=$(q "SELECT count(*) || ':' || sum(hours) FROM sgz.hours")
trail=$(q "SELECT count(*) FROM sgz.audit")

out=$(sgz migrate)
is "sgz migrate adds the years the default held and those between, each table" \
	"$(echo "$out" | grep -v 'the schema is current')" \
	"sgz migrate: added 6 partitions (a year's hours, visits or audit trail)"
is "the default's rows are in their years' new partitions" \
	"$(q "SELECT string_agg(tableoid::regclass::text, ' ' ORDER BY service_date) FROM sgz.hours
	       WHERE volunteer = '$OLD'")" "sgz.hours_$old1 sgz.hours_$old2"
is "the trail's too" \
	"$(q "SELECT tableoid::regclass FROM sgz.audit WHERE at < '$first-01-01'")" "sgz.audit_$old1"
is "the defaults are empty" \
	"$(q "SELECT (SELECT count(*) FROM sgz.hours_default) + (SELECT count(*) FROM sgz.audit_default)")" 0
is "no row lost or gained" "$(q "SELECT count(*) || ':' || sum(hours) FROM sgz.hours")" "$before"
is "nothing written to the trail by the move" "$(q "SELECT count(*) FROM sgz.audit")" "$trail"
is "the years from the first to ten years back are there" \
	"$(q "SELECT count(*) FROM pg_class WHERE relname ~ '^hours_[0-9]{4}$'")" "$((next - old1 + 1))"
is "a moved partition is dressed as the others: indexes, no grant, row-level security" \
	"$(q "SELECT string_agg(i.indexrelid::regclass::text, ' ' ORDER BY 1) || ' ' || c.relrowsecurity
	        || ' ' || (c.relacl::text = '{sgz_owner=arwdDxt/sgz_owner}') || ' ' || c.relreplident::text
	       FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid WHERE c.relname = 'hours_$old1'
	      GROUP BY c.oid")" \
	"sgz.hours_key_$old1 sgz.hours_pid_key_$old1 sgz.hours_station_idx_$old1 true true f"
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$OLD', '$old1-05-01', '$S1', 1)")
like "the key refuses the duplicate in its new partition" "$out" "hours_key"
out=$(sgz migrate)
is "sgz migrate again: nothing to add" "$(echo "$out" | grep -c added)" 0
is "a user cannot add partitions" "$(as dongli "SELECT sgz.partitions_ahead()")" \
	"ERROR:  permission denied for function partitions_ahead"

# --- the hours' rules across partitions, two writers at once ---

mkfifo gate || bail "mkfifo"
psql -XAtq <gate >gate.out 2>&1 &
exec 3>gate
echo "SELECT pg_advisory_lock(4242);" >&3
wait_for() {
	i=0
	while [ "$(q "$1")" != t ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.05
	done
	return 0
}
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242
	   AND granted)" || bail "the gate did not close"
bg() {
	(PGAPPNAME=$1 PGUSER=$2 psql -XAt -v ON_ERROR_STOP=1 -c "$3" >"$1.out" 2>&1
	echo $? >"$1.rc") &
}
held() {
	wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1'
		   AND wait_event_type = 'Lock' AND wait_event = 'advisory')"
}
stuck_or_done() {
	i=0
	while [ ! -f "$1.rc" ] && [ "$(q "SELECT EXISTS (SELECT 1 FROM pg_stat_activity
		WHERE application_name = '$1' AND wait_event_type = 'Lock')")" != t ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.05
	done
	return 0
}
ended() {
	i=0
	while [ ! -f "$1.rc" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.05
	done
}
day_total() {
	q "SELECT coalesce(sum(hours), 0) FROM sgz.hours WHERE volunteer = '$1' AND service_date = '$2'"
}
# The first writer's statement spans two partitions (the last day of one
# year and the first of the next); the second writes the same two days.
bg a1 dongli "BEGIN;
	INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
		('$ZM', '2023-12-31', '$S1', 16), ('$ZM', '2024-01-01', '$S1', 16);
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a1 || bail "a1 did not reach the gate"
bg b1 dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$ZM', '2024-01-01', '$S2', 10), ('$ZM', '2023-12-31', '$S2', 2)"
stuck_or_done b1 || bail "b1 neither waited nor ended"
echo "SELECT pg_advisory_unlock(4242); SELECT pg_advisory_lock(4242);" >&3
ended a1 && ended b1 || bail "the writers did not end"
is "two writers across two partitions: the first commits" "$(cat a1.rc)" 0
like "the second is refused for the day it takes over 24" "$(cat b1.out)" \
	"hours of 张敏 (1201**********0042) on 2024-01-01 add up to more than 24"
is "each day holds the first writer's 16 h" \
	"$(day_total $ZM 2023-12-31) $(day_total $ZM 2024-01-01)" "16.0 16.0"
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$ZM', current_date + 400, '$S1', 1)")
like "hours in the future are refused, in next year's partition or the default" "$out" "future"
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$ZM', '2021-01-05', '$S1', 1)")
like "hours before the volunteer registered are refused" "$out" "registered"

# --- scopes: the root's policies, no partition reached directly ---

is "a station user reads no partition directly" \
	"$(as zgz "SELECT count(*) FROM sgz.hours_2024")" \
	"ERROR:  permission denied for table hours_2024"
is "nor writes one" \
	"$(as zgz "INSERT INTO sgz.hours_$this (volunteer, service_date, station, hours)
		   VALUES ('$ZM', current_date, '$S1', 1)")" \
	"ERROR:  permission denied for table hours_$this"
is "nor the default, the visits' or the trail's, as a county user" \
	"$(as dongli "SELECT count(*) FROM sgz.hours_default" | head -1) / $(as dongli "SELECT count(*) FROM sgz.visit_2024" | head -1) / $(as dongli "SELECT count(*) FROM sgz.audit_$this" | head -1)" \
	"ERROR:  permission denied for table hours_default / ERROR:  permission denied for table visit_2024 / ERROR:  permission denied for table audit_$this"
is "through the root, a station user reads its station's hours, all years" \
	"$(as zgz "SELECT count(*) FROM sgz.hours_v")" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE station = '$S1'")"
is "the other county's user none of them" "$(as xiqing "SELECT count(*) FROM sgz.hours_v")" 0
like "nor writes one" \
	"$(as xiqing "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
		   VALUES ('$ZM', '2024-02-02', '$S1', 1)" | head -1)" \
	"station 120110001000 is outside your scope (120111)"
is "the county reads the trail of its station's writes, all partitions" \
	"$(as dongli "SELECT count(*) > 0 FROM sgz.audit_v WHERE table_name = 'hours' AND who = 'zgz'")" t
is "the other county does not" \
	"$(as xiqing "SELECT count(*) FROM sgz.audit_v WHERE table_name = 'hours'")" 0
