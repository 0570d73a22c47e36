#!/bin/sh
# partitions.sh - the hours, the visits, the audit trail and the
# volunteers' day totals partitioned by year (0038, 0043, issue 15): rows
# land in their year's partition, a row of a year without one in the
# default, `sgz migrate` moves it into a new year partition; the keys, the
# hours' rules under two concurrent writers, the scopes and the trail hold
# as before; no role but the owner reaches a partition directly. An import
# of a year without partitions makes them first (sgz.partitions_for()), as
# a county user, two imports at once, never for a year far off. The database is owned by a role that is not a
# superuser (CREATEROLE, as sgz(1) deploys it).
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 67

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
is "and the volunteers' day totals" "$(years hours_day_total)" "$want"
is "partitioned by range on the date" \
	"$(q "SELECT string_agg(c.relname || ':' || pg_get_partkeydef(c.oid), ' ' ORDER BY c.relname)
	     FROM pg_class c WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind = 'p'")" \
	"audit:RANGE (at) hours:RANGE (service_date) hours_day_total:RANGE (service_date) visit:RANGE (visit_date)"
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
ZMPID=$(q "SELECT pid FROM sgz.volunteer WHERE id_number = '$ZM'")
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
is "their days' totals each in its year's partition of the day totals" \
	"$(q "SELECT string_agg(tableoid::regclass::text || '=' || tenths, ' ' ORDER BY service_date)
	       FROM sgz.hours_day_total
	       WHERE volunteer = '$ZM' AND service_date IN ('2022-06-01', '2023-06-01', '2025-06-01')")" \
	"sgz.hours_day_total_2022=20 sgz.hours_day_total_2023=30 sgz.hours_day_total_2025=40"
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
is "and their days' totals into the day totals' default" \
	"$(q "SELECT string_agg(tableoid::regclass::text || '=' || tenths, ' ' ORDER BY service_date)
	       FROM sgz.hours_day_total WHERE volunteer = '$OLD'")" \
	"sgz.hours_day_total_default=200 sgz.hours_day_total_default=60"
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
	"sgz migrate: added 9 partitions (a year's hours, visits or audit trail)"
is "the default's rows are in their years' new partitions" \
	"$(q "SELECT string_agg(tableoid::regclass::text, ' ' ORDER BY service_date) FROM sgz.hours
	       WHERE volunteer = '$OLD'")" "sgz.hours_$old1 sgz.hours_$old2"
is "the day totals' too, with the years between" \
	"$(q "SELECT string_agg(tableoid::regclass::text || '=' || tenths, ' ' ORDER BY service_date)
	       FROM sgz.hours_day_total WHERE volunteer = '$OLD'") $(years hours_day_total | cut -d' ' -f1-3)" \
	"sgz.hours_day_total_$old1=200 sgz.hours_day_total_$old2=60 $old1 $old2 $((first - 1))"
is "the trail's too" \
	"$(q "SELECT tableoid::regclass FROM sgz.audit WHERE at < '$first-01-01'")" "sgz.audit_$old1"
is "the defaults are empty" \
	"$(q "SELECT (SELECT count(*) FROM sgz.hours_default) + (SELECT count(*) FROM sgz.audit_default)
		  + (SELECT count(*) FROM sgz.hours_day_total_default)")" 0
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
is "and so do the day totals, each day in its year's partition" \
	"$(q "SELECT string_agg(tableoid::regclass::text || '=' || tenths, ' ' ORDER BY service_date)
	       FROM sgz.hours_day_total WHERE volunteer = '$ZM' AND service_date IN ('2023-12-31', '2024-01-01')")" \
	"sgz.hours_day_total_2023=160 sgz.hours_day_total_2024=160"
out=$(as dongli "UPDATE sgz.hours SET hours = 9 WHERE volunteer_pid = $ZMPID AND service_date IN ('2023-12-31', '2024-01-01')")
is "an update of both days, one statement" "$out" "UPDATE 2"
is "moves each day's total in its partition" \
	"$(q "SELECT string_agg(tableoid::regclass::text || '=' || tenths, ' ' ORDER BY service_date)
	       FROM sgz.hours_day_total WHERE volunteer = '$ZM' AND service_date IN ('2023-12-31', '2024-01-01')")" \
	"sgz.hours_day_total_2023=90 sgz.hours_day_total_2024=90"
out=$(as dongli "DELETE FROM sgz.hours WHERE volunteer_pid = $ZMPID AND service_date IN ('2023-12-31', '2024-01-01')")
is "a delete of both" "$out" "DELETE 2"
is "leaves neither day a total" \
	"$(q "SELECT count(*) FROM sgz.hours_day_total WHERE volunteer = '$ZM'
	       AND service_date IN ('2023-12-31', '2024-01-01')")" 0
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
is "nor the day totals or a partition of them" \
	"$(as dongli "SELECT count(*) FROM sgz.hours_day_total" | head -1) / $(as zgz "SELECT count(*) FROM sgz.hours_day_total_2024" | head -1)" \
	"ERROR:  permission denied for table hours_day_total / ERROR:  permission denied for table hours_day_total_2024"
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

# --- an import of a year without partitions makes them first ---

# nobody ran `sgz migrate` last December: this year's hours and day totals
# have no partition
own "DROP TABLE sgz.hours_$this, sgz.hours_day_total_$this" >/dev/null || bail "drop this year"
printf 'volunteer,service_date,station,hours\n%s,%s-01-01,%s,2\n' $ZM $this $S1 >new.csv
out=$(PGUSER=dongli "$SGZ_BIN" import hours new.csv 2>&1)
is "a county user imports hours of a year without partitions: they are made first" \
	"$(echo "$out" | grep -v warning)" \
	"new.csv: added 2 partitions for the file's years
1 rows imported"
is "the rows and their day's total in the year's new partitions" \
	"$(q "SELECT h.tableoid::regclass || ' ' || d.tableoid::regclass || '=' || d.tenths
	       FROM sgz.hours h JOIN sgz.hours_day_total d USING (volunteer, service_date)
	      WHERE h.volunteer = '$ZM' AND h.service_date = '$this-01-01'")" \
	"sgz.hours_$this sgz.hours_day_total_$this=20"
is "made as the owner's, dressed as the others" \
	"$(q "SELECT string_agg(i.indexrelid::regclass::text, ' ' ORDER BY 1) || ' ' || c.relrowsecurity
	        || ' ' || (c.relacl::text = '{sgz_owner=arwdDxt/sgz_owner}') || ' ' || pg_get_userbyid(c.relowner)
	       FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid WHERE c.relname = 'hours_$this'
	      GROUP BY c.oid")" \
	"sgz.hours_key_$this sgz.hours_pid_key_$this sgz.hours_station_idx_$this true true sgz_owner"
out=$(PGUSER=dongli "$SGZ_BIN" import hours new.csv 2>&1)
is "again: nothing to make, the row updated" "$(echo "$out" | grep -v warning)" "1 rows imported"

# visits too
own "DROP TABLE sgz.visit_$this" >/dev/null || bail "drop this year's visits"
printf 'case_no,visit_date,kind,worker,summary\n120110001-2024-0001,%s-01-02,phone,12011019850315002X,电话回访\n' \
	$this >visit.csv
out=$(PGUSER=dongli "$SGZ_BIN" import visits visit.csv 2>&1)
is "an import of visits makes their year's partition" "$(echo "$out" | grep -v warning)" \
	"visit.csv: added 1 partition for the file's years
1 rows imported"
is "the visit in it" "$(q "SELECT tableoid::regclass FROM sgz.visit WHERE visit_date = '$this-01-02'")" \
	"sgz.visit_$this"

# a far-off year: no partition, the row refused by the rules as before
printf 'volunteer,service_date,station,hours\n%s,2206-05-01,%s,2\n' $ZM $S1 >far.csv
out=$(PGUSER=dongli "$SGZ_BIN" import hours far.csv 2>&1)
like "a year in the future is refused" "$out" "far.csv:2:service_date: 2206-05-01 is in the future"
is "and makes no partition" \
	"$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '%_2206'")$(echo "$out" | grep -c added)" 00
is "nor does the function, asked directly" \
	"$(as dongli "SELECT sgz.partitions_for('hours', '{2206, $((this - 31))}')")" 0
is "the function makes partitions of the hours' and the visits' tables only" \
	"$(as zgz "SELECT sgz.partitions_for('recipient', '{$this}')" | head -1)" \
	"ERROR:  no partitions are made for recipient"
is "nor may a role without a writer's kind call it" \
	"$(psql -XAtqc "CREATE ROLE nobody LOGIN; GRANT USAGE ON SCHEMA sgz TO nobody" 2>&1
	   as nobody "SELECT sgz.partitions_for('hours', '{2010}')" | head -1)" \
	"ERROR:  permission denied for function partitions_for"

# two imports of the same new year at once: the second waits for the first
# and finds the partitions made; readers go on meanwhile
Y=$((first - 6))
printf 'volunteer,service_date,station,hours\n%s,%s-03-01,%s,2\n' $OLD $Y $S1 >y1.csv
printf 'volunteer,service_date,station,hours\n%s,%s-03-02,%s,3\n' $OLD $Y $S2 >y2.csv
printf '[database]\nlock_timeout = 60000\n' >slow.ini
echo "BEGIN; LOCK TABLE sgz.hours IN SHARE UPDATE EXCLUSIVE MODE;" >&3
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'sgz.hours'::regclass
	   AND mode = 'ShareUpdateExclusiveLock' AND granted)" || bail "the table lock was not taken"
(PGUSER=zgz SGZ_CONFIG=$T/slow.ini "$SGZ_BIN" import hours y1.csv >y1.out 2>&1; echo $? >y1.rc) &
(PGUSER=dongli SGZ_CONFIG=$T/slow.ini "$SGZ_BIN" import hours y2.csv >y2.out 2>&1; echo $? >y2.rc) &
ok "both imports wait to make the year's partitions" \
	wait_for "SELECT count(*) = 2 FROM pg_stat_activity WHERE usename IN ('zgz', 'dongli')
		   AND wait_event_type = 'Lock' AND query LIKE '%partitions_for%'"
is "a reader of the hours does not wait for them" \
	"$(PGOPTIONS='-c lock_timeout=2000' psql -XAtc "SELECT count(*) > 0 FROM sgz.hours" 2>&1)" t
echo "COMMIT;" >&3
ended y1 && ended y2 || bail "the imports did not end"
is "both imported" "$(cat y1.rc) $(cat y2.rc) $(cat y1.out y2.out | grep -c 'rows imported')" "0 0 2"
is "one of them made the partitions, the other found them" \
	"$(cat y1.out y2.out | grep added)" \
	"$(if grep -q added y1.out; then echo y1.csv; else echo y2.csv; fi): added 2 partitions for the file's years"
is "both files' rows in the year's partition, their days' totals in theirs" \
	"$(q "SELECT string_agg(h.tableoid::regclass || ' ' || d.tableoid::regclass || '=' || d.tenths, ' / '
		ORDER BY h.service_date)
	       FROM sgz.hours h JOIN sgz.hours_day_total d USING (volunteer, service_date)
	      WHERE h.volunteer = '$OLD' AND h.service_date BETWEEN '$Y-01-01' AND '$Y-12-31'")" \
	"sgz.hours_$Y sgz.hours_day_total_$Y=20 / sgz.hours_$Y sgz.hours_day_total_$Y=30"
is "the defaults hold nothing" \
	"$(q "SELECT (SELECT count(*) FROM sgz.hours_default) + (SELECT count(*) FROM sgz.hours_day_total_default)
		  + (SELECT count(*) FROM sgz.visit_default)")" 0
