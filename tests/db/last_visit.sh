#!/bin/sh
# last_visit.sh - each case's last visit of each year kept by sgz.visit's triggers
# (0045, sgz.case_last_visit) and the caseload report that reads it: the
# table equals the last visit found from the visits (visit_date, then
# next_due, none the least) after inserts of several years in any order,
# deletes, visits moved to another case, date or partition, next_due
# changed, a case moved to another station, an import, a truncate; two
# writers of the same case at once leave the right one; the report gives
# the same rows, in the same order, as the query it replaced, for every
# day from before the first case to after the last visit, as a county, a
# station and a province user; a visit changes neither its case's
# row_version nor its trail; nobody writes the table but the triggers, and
# each reads only his scope's rows.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 49

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
q() { psql -XAtc "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations staff recipients; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# a second county, 120111, and a worker at the county's second station
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'code,name\n120111001201,西营门示范村\n' >dv.csv
printf 'id_number,name,station,role,hired_on\n120111198808080030,陈刚,120111001000,head,2021-09-01\n' >sf.csv
printf 'id_number,name,village,categories\n120111194505050055,周大爷,120111001201,empty_nest_elderly\n' >re.csv
sgz import divisions dv.csv >/dev/null && sgz import stations st.csv >/dev/null &&
	sgz import staff sf.csv >/dev/null && sgz import recipients re.csv >/dev/null || bail "second county"
q "INSERT INTO sgz.staff (id_number, name, station, role, hired_on)
	VALUES ('120110198001010019', '周洁', '120110002000', 'head', '2023-01-01')" >/dev/null ||
	bail "staff at the second station"
S1=120110001000
S2=120110002000
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add xiqing --scope 120111 --kind county >/dev/null || bail "user xiqing"
sgz user add hebei --scope 12 --kind region >/dev/null || bail "user hebei"

# Cases of five years (40 at 张贵庄, 15 at 西青), a third of them closed;
# their visits every 11 to 39 days to their closing or 2026-11-30, every
# fifth day of visits two visits on the day (a home visit and a call), one
# of each pair's next_due none or earlier, a quarter of them with none.
q "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on, status, risk,
		closed_on, close_reason)
	SELECT CASE WHEN i <= 40 THEN '120110195001010066' ELSE '120111194505050055' END,
	       CASE WHEN i <= 40 THEN '$S1' ELSE '120111001000' END,
	       CASE WHEN i > 40 THEN '120111198808080030' WHEN i % 2 = 0 THEN '12011019850315002X'
		    ELSE '12011019900101003X' END,
	       'individual', o,
	       CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'intervention' END,
	       (ARRAY['low', 'medium', 'high', 'critical'])[1 + i % 4],
	       CASE WHEN i % 3 = 0 THEN least(o + 20 + (i * 53) % 700, date '2026-11-30') END,
	       CASE WHEN i % 3 = 0 THEN '目标达成' END
	  FROM generate_series(1, 55) i, LATERAL (SELECT date '2021-10-01' + (i * 37) % 1500 AS o) x" \
	>/dev/null || bail "cases: $(q "SELECT 1")"
q "CREATE TABLE public.gen_visit AS
	WITH RECURSIVE d(case_no, k, visit_date, last) AS (
		SELECT c.case_no, 0, c.opened_on, coalesce(c.closed_on, date '2026-11-30')
		  FROM sgz.case_file c
		UNION ALL
		SELECT d.case_no, d.k + 1,
		       d.visit_date + 11 + (d.k * 7 + ascii(right(d.case_no, 1))) % 29, d.last
		  FROM d WHERE d.visit_date + 11 + (d.k * 7 + ascii(right(d.case_no, 1))) % 29 <= d.last)
	SELECT d.case_no, d.visit_date, 'home_visit' AS kind,
	       CASE WHEN (d.k + ascii(right(d.case_no, 1))) % 4 = 0 THEN NULL
		    ELSE d.visit_date + 14 + (d.k * 5) % 31 END AS next_due
	  FROM d
	UNION ALL
	SELECT d.case_no, d.visit_date, 'phone',
	       CASE WHEN d.k % 2 = 0 THEN NULL ELSE d.visit_date + 10 + (d.k * 3) % 20 END
	  FROM d WHERE d.k % 5 = 2" >/dev/null || bail "visits generated"

# the last visits as the report found them, from the visits themselves
found="SELECT DISTINCT ON (v.case_no, extract(year FROM v.visit_date))
	       v.case_no, extract(year FROM v.visit_date)::integer, v.station, v.visit_date, v.next_due
	  FROM sgz.visit v
	 ORDER BY v.case_no, extract(year FROM v.visit_date), v.visit_date DESC, v.next_due DESC NULLS LAST"
drift() { # what the table and the visits disagree on, as text
	q "SELECT count(*) || coalesce(' ' || string_agg(x::text, ' '), '') FROM (
		(SELECT case_no, year, station, visit_date, next_due FROM sgz.case_last_visit EXCEPT ALL ($found))
		UNION ALL
		(($found) EXCEPT ALL SELECT case_no, year, station, visit_date, next_due FROM sgz.case_last_visit)) x"
}

# the years inserted out of order, each year a statement (the upsert keeps
# the greater), the last two in one statement as the county user
for y in 2024 2022 2021 2023; do
	q "INSERT INTO sgz.visit (case_no, visit_date, kind, worker, next_due)
		SELECT g.case_no, g.visit_date, g.kind, c.worker, g.next_due
		  FROM public.gen_visit g JOIN sgz.case_file c USING (case_no)
		 WHERE extract(year FROM g.visit_date) = $y" >/dev/null || bail "visits of $y"
done
is "inserted a year at a time, out of order: each case's last visit of each year" "$(drift)" 0
q "GRANT SELECT ON public.gen_visit TO dongli, xiqing" >/dev/null
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due)
	SELECT g.case_no, g.visit_date, g.kind, g.next_due FROM public.gen_visit g
	 WHERE g.visit_date >= '2025-01-01' AND g.case_no LIKE '120110%'")
like "the county user writes two years in one statement" "$out" "INSERT 0"
out=$(as xiqing "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due)
	SELECT g.case_no, g.visit_date, g.kind, g.next_due FROM public.gen_visit g
	 WHERE g.visit_date >= '2025-01-01' AND g.case_no LIKE '120111%'")
like "and the other county's" "$out" "INSERT 0"
is "every case's last visit" "$(drift)" 0
is "a row a case and year with visits" "$(q "SELECT count(*) FROM sgz.case_last_visit")" \
	"$(q "SELECT count(DISTINCT (case_no, extract(year FROM visit_date))) FROM sgz.visit")"
is "the visits span the years (partitions) 2021 to 2026" \
	"$(q "SELECT string_agg(DISTINCT extract(year FROM visit_date)::text, ' ') FROM sgz.visit")" \
	"2021 2022 2023 2024 2025 2026"
ok "days with two visits of a case, one's next_due none or earlier" \
	[ "$(q "SELECT count(*) FROM sgz.visit a JOIN sgz.visit b USING (case_no, visit_date)
		 WHERE a.kind = 'home_visit' AND b.kind = 'phone'
		   AND b.next_due IS DISTINCT FROM a.next_due")" -gt 20 ]

# --- who reads and writes it ---
is "a station user reads his station's rows only" \
	"$(as zgz "SELECT string_agg(DISTINCT station, ' ') FROM sgz.case_last_visit")" "$S1"
is "a county user his county's" \
	"$(as xiqing "SELECT string_agg(DISTINCT station, ' ') FROM sgz.case_last_visit")" "120111001000"
is "the region user all" \
	"$(as hebei "SELECT count(*) FROM sgz.case_last_visit")" \
	"$(q "SELECT count(*) FROM sgz.case_last_visit")"
like "a user cannot write it" \
	"$(as dongli "UPDATE sgz.case_last_visit SET next_due = NULL")" "permission denied"
like "nor insert into it" \
	"$(as dongli "INSERT INTO sgz.case_last_visit VALUES ('120110001-2024-0099', 2024, '$S1', '2024-01-01', NULL)")" \
	"permission denied"
is "no role of sgz's may write it, or run its functions" \
	"$(q "SELECT count(*) FROM (VALUES ('sgz_admin'), ('sgz_region'), ('sgz_county'), ('sgz_station')) r(r)
		WHERE has_table_privilege(r, 'sgz.case_last_visit', 'INSERT, UPDATE, DELETE, TRUNCATE')
		   OR has_function_privilege(r, 'sgz.case_last_visit_refresh(text[], integer[])', 'EXECUTE')
		   OR has_function_privilege(r, 'sgz.case_last_visit_rebuild()', 'EXECUTE')")" 0
is "its functions pin search_path" \
	"$(q "SELECT count(*) FROM pg_proc WHERE proname LIKE 'case_last_visit%'
		AND NOT 'search_path=pg_catalog, pg_temp' = ANY (coalesce(proconfig, '{}'))")" 0

# --- a visit leaves its case as it was ---
C1=$(q "SELECT case_no FROM sgz.case_file WHERE status <> 'closed' AND station = '$S1' ORDER BY case_no LIMIT 1")
rv=$(q "SELECT row_version FROM sgz.case_file WHERE case_no = '$C1'")
tr=$(q "SELECT count(*) FROM sgz.audit WHERE table_name = 'case_file'")
as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES ('$C1', '2026-12-01', 'office', '2026-12-20')" >/dev/null
is "a new last visit is the case's" \
	"$(q "SELECT visit_date || ' ' || next_due FROM sgz.case_last_visit WHERE case_no = '$C1' ORDER BY year DESC LIMIT 1")" \
	"2026-12-01 2026-12-20"
is "its case's row_version is unchanged" "$(q "SELECT row_version FROM sgz.case_file WHERE case_no = '$C1'")" "$rv"
is "and the case's trail" "$(q "SELECT count(*) FROM sgz.audit WHERE table_name = 'case_file'")" "$tr"
as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind) VALUES ('$C1', '2026-12-01', 'phone')" >/dev/null
is "a visit of the same day without next_due is the lesser" \
	"$(q "SELECT visit_date || ' ' || next_due FROM sgz.case_last_visit WHERE case_no = '$C1' ORDER BY year DESC LIMIT 1")" \
	"2026-12-01 2026-12-20"
as dongli "UPDATE sgz.visit SET next_due = NULL WHERE case_no = '$C1' AND visit_date = '2026-12-01'" >/dev/null
is "both without: that day, none due" \
	"$(q "SELECT visit_date || ' ' || coalesce(next_due::text, '-') FROM sgz.case_last_visit WHERE case_no = '$C1' ORDER BY year DESC LIMIT 1")" \
	"2026-12-01 -"
as dongli "DELETE FROM sgz.visit WHERE case_no = '$C1' AND visit_date = '2026-12-01'" >/dev/null
is "deleted: the one before again" "$(drift)" 0

# --- deletes, moves, changes ---
as dongli "DELETE FROM sgz.visit v USING sgz.case_last_visit l
	WHERE v.case_no = l.case_no AND v.visit_date = l.visit_date AND right(l.case_no, 1) IN ('1', '4', '7')" \
	>/dev/null
is "the last visits of some cases deleted" "$(drift)" 0
q "DELETE FROM sgz.visit WHERE visit_date BETWEEN '2023-03-01' AND '2024-04-15' AND right(case_no, 1) <> '2'" >/dev/null
is "a year's worth of visits deleted" "$(drift)" 0
# moved to the first case of the station (opened first), where its key is free
C0=$(q "SELECT case_no FROM sgz.case_file WHERE station = '$S1' ORDER BY opened_on, case_no LIMIT 1")
out=$(as dongli "UPDATE sgz.visit v SET case_no = '$C0' WHERE v.case_no = (SELECT min(case_no) FROM sgz.visit
	WHERE station = '$S1' AND right(case_no, 1) IN ('3', '5'))
	AND v.visit_date > (SELECT opened_on FROM sgz.case_file WHERE case_no = '$C0')
	AND NOT EXISTS (SELECT 1 FROM sgz.visit w WHERE w.case_no = '$C0' AND w.visit_date = v.visit_date)
	AND v.kind = 'home_visit'")
like "visits moved to another case" "$out" "UPDATE"
is "both cases' last visits" "$(drift)" 0
out=$(as dongli "UPDATE sgz.visit v SET visit_date = v.visit_date - 400
	WHERE right(v.case_no, 1) IN ('6', '8') AND v.visit_date - 400 >= (SELECT opened_on FROM sgz.case_file c WHERE c.case_no = v.case_no)
	  AND NOT EXISTS (SELECT 1 FROM sgz.visit w WHERE w.case_no = v.case_no AND w.kind = v.kind
			  AND w.visit_date = v.visit_date - 400)")
like "visits moved a year back (another partition)" "$out" "UPDATE"
is "their cases' last visits" "$(drift)" 0
out=$(as dongli "UPDATE sgz.visit v SET next_due = CASE WHEN v.next_due IS NULL THEN v.visit_date + 60 END
	WHERE right(v.case_no, 1) IN ('0', '9')")
like "next_due changed: none given, some taken away" "$out" "UPDATE"
is "the last visits follow" "$(drift)" 0
as dongli "UPDATE sgz.visit SET summary = '再访' WHERE right(case_no, 1) = '2'" >/dev/null
is "a summary changed: nothing to do" "$(drift)" 0
C2=$(q "SELECT case_no FROM sgz.case_file WHERE station = '$S1' AND status <> 'closed' AND opened_on > '2023-01-01'
	AND case_no IN (SELECT case_no FROM sgz.visit) ORDER BY case_no LIMIT 1")
out=$(as dongli "UPDATE sgz.case_file SET station = '$S2', worker = '120110198001010019' WHERE case_no = '$C2'")
is "a case moved to the second station" "$out" "UPDATE 1"
is "its last visits' station follows" \
	"$(q "SELECT string_agg(DISTINCT station, ' ') FROM sgz.case_last_visit WHERE case_no = '$C2'") $(drift)" "$S2 0"
C3=$(q "SELECT case_no FROM sgz.case_file WHERE station = '$S1' AND case_no IN (SELECT case_no FROM sgz.visit)
	ORDER BY case_no DESC LIMIT 1")
as dongli "DELETE FROM sgz.visit WHERE case_no = '$C3'" >/dev/null
is "a case without visits: no row" \
	"$(q "SELECT count(*) FROM sgz.case_last_visit WHERE case_no = '$C3'") $(drift)" "0 0"
# an import: a visit changed, one added, one of a case without visits
printf 'case_no,visit_date,kind,worker,summary,next_due\n' >vi.csv
q "SELECT case_no || ',' || visit_date || ',' || kind || ',,' || ',' || (visit_date + 3)
	FROM sgz.visit WHERE case_no = '$C0' ORDER BY visit_date DESC LIMIT 1" >>vi.csv
printf '%s,2026-11-30,office,,,2026-12-24\n%s,2026-11-29,office,,,\n' "$C1" "$C3" >>vi.csv
out=$(PGUSER=dongli "$SGZ_BIN" import visits vi.csv 2>&1)
is "an import of visits as the county user" "$?" 0
is "the last visits after the import" \
	"$(q "SELECT count(*) FROM sgz.case_last_visit WHERE case_no = '$C3'") $(drift)" "1 0"

# --- two writers of the same case at once ---
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
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted)" ||
	bail "the gate did not close"
bg() {
	(PGAPPNAME=$1 PGUSER=$2 psql -XAt -v ON_ERROR_STOP=1 -c "$3" >"$1.out" 2>&1
	echo $? >"$1.rc") &
}
held() {
	wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1'
		   AND wait_event_type = 'Lock' AND wait_event = 'advisory')"
}
waits() { # NAME - waits on a lock other than the gate
	wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1'
		   AND wait_event_type = 'Lock' AND wait_event <> 'advisory')"
}
ended() {
	i=0
	while [ ! -f "$1.rc" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.05
	done
}
open_gate() {
	echo "SELECT pg_advisory_unlock(4242); SELECT pg_advisory_lock(4242);" >&3
}
last() { q "SELECT visit_date || ' ' || coalesce(next_due::text, '-') FROM sgz.case_last_visit WHERE case_no = '$1' ORDER BY year DESC LIMIT 1"; }
X=$C1
as dongli "DELETE FROM sgz.visit WHERE case_no = '$X' AND visit_date >= '2026-09-01'" >/dev/null
as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES
	('$X', '2026-09-10', 'office', '2026-10-01'), ('$X', '2026-09-20', 'office', '2026-10-10')" >/dev/null
# 1: the first deletes the last visit and waits; the second adds one
# between the two, then waits for the first's lock
bg a1 dongli "BEGIN; DELETE FROM sgz.visit WHERE case_no = '$X' AND visit_date = '2026-09-20';
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a1 || bail "a1 did not reach the gate"
bg b1 zgz "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES ('$X', '2026-09-15', 'phone', '2026-09-30')"
waits b1 || bail "b1 did not wait for a1"
open_gate
ended a1 && ended b1 || bail "the writers did not end"
is "a delete, then an insert of the same case waiting for it: the inserted" \
	"$(cat a1.rc b1.rc | tr '\n' ' ')$(last "$X")" "0 0 2026-09-15 2026-09-30"
rm -f ./*.rc
# 2: the first adds a later visit and waits; the second deletes the last:
# it waits for the lock, then must see the first's visit
bg a2 dongli "BEGIN; INSERT INTO sgz.visit (case_no, visit_date, kind) VALUES ('$X', '2026-09-25', 'phone');
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a2 || bail "a2 did not reach the gate"
bg b2 zgz "DELETE FROM sgz.visit WHERE case_no = '$X' AND visit_date = '2026-09-15'"
waits b2 || bail "b2 did not wait for a2"
open_gate
ended a2 && ended b2 || bail "the writers did not end"
is "an insert, then a delete of the same case waiting for it: the inserted" \
	"$(cat a2.rc b2.rc | tr '\n' ' ')$(last "$X")" "0 0 2026-09-25 -"
rm -f ./*.rc
# 3: both delete, the second the one the first's recount found
bg a3 dongli "BEGIN; DELETE FROM sgz.visit WHERE case_no = '$X' AND visit_date = '2026-09-25';
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a3 || bail "a3 did not reach the gate"
bg b3 zgz "DELETE FROM sgz.visit WHERE case_no = '$X' AND visit_date = '2026-09-10'"
waits b3 || bail "b3 did not wait for a3"
open_gate
ended a3 && ended b3 || bail "the writers did not end"
is "two deletes of the same case: what is left" "$(cat a3.rc b3.rc | tr '\n' ' ')$(drift)" "0 0 0"
rm -f ./*.rc
# 4: both insert, the first the later visit
bg a4 dongli "BEGIN; INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES ('$X', '2026-10-05', 'phone', '2026-10-20');
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a4 || bail "a4 did not reach the gate"
bg b4 zgz "INSERT INTO sgz.visit (case_no, visit_date, kind, next_due) VALUES ('$X', '2026-10-05', 'office', '2026-10-12')"
waits b4 || bail "b4 did not wait for a4"
open_gate
ended a4 && ended b4 || bail "the writers did not end"
is "two inserts of the same day: the greater next_due" \
	"$(cat a4.rc b4.rc | tr '\n' ' ')$(last "$X")" "0 0 2026-10-05 2026-10-20"
rm -f ./*.rc
# 5: a visit moved to a case without visits while another writer gives
# that case its first
Y=$C3
as dongli "DELETE FROM sgz.visit WHERE case_no = '$Y'" >/dev/null
bg a5 dongli "BEGIN; INSERT INTO sgz.visit (case_no, visit_date, kind) VALUES ('$Y', '2026-11-01', 'phone');
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a5 || bail "a5 did not reach the gate"
bg b5 zgz "UPDATE sgz.visit SET case_no = '$Y', visit_date = '2026-11-02', next_due = NULL WHERE case_no = '$X' AND visit_date = '2026-10-05' AND kind = 'phone'"
waits b5 || bail "b5 did not wait for a5: $(cat b5.out a5.out)"
open_gate
ended a5 && ended b5 || bail "the writers did not end"
is "a visit moved to a case another writer gives its first: both cases right" \
	"$(cat a5.rc b5.rc | tr '\n' ' ')$(last "$Y") $(last "$X") $(drift)" "0 0 2026-11-02 - 2026-10-05 2026-10-12 0"
rm -f ./*.rc
exec 3>&-

# --- the report: the same rows as the query it replaced, every day ---
q "CREATE SCHEMA ref; GRANT USAGE ON SCHEMA ref TO PUBLIC;
CREATE FUNCTION ref.caseload(scope_prefix text, as_of date)
 RETURNS TABLE(worker text, worker_name text, station text, open_cases text, high_risk text, visits_year text, overdue_visits text)
 LANGUAGE sql STABLE
BEGIN ATOMIC
 WITH cfg AS (
	SELECT (max(setting.value))::integer AS interval_days FROM sgz.setting
	 WHERE setting.key = 'visit_interval_days'
 ), open_case AS NOT MATERIALIZED (
	SELECT c.case_no, c.worker_pid, c.opened_on, c.risk = ANY (ARRAY['high', 'critical']) AS high
	  FROM sgz.case_file c
	 WHERE c.station >= sgz.report_low(caseload.scope_prefix)
	   AND c.station <= sgz.report_high(caseload.scope_prefix)
	   AND c.opened_on <= caseload.as_of
	   AND (c.closed_on IS NULL OR c.closed_on > caseload.as_of)
 ), last_visit AS (
	SELECT DISTINCT ON (v.case_no) v.case_no, v.visit_date, v.next_due
	  FROM sgz.visit v JOIN open_case oc ON oc.case_no = v.case_no
	 WHERE v.visit_date <= caseload.as_of
	 ORDER BY v.case_no, v.visit_date DESC, v.next_due DESC NULLS LAST
 ), per_case AS (
	SELECT oc.worker_pid, count(*) AS open_cases, count(*) FILTER (WHERE oc.high) AS high_risk,
	       count(*) FILTER (WHERE COALESCE(lv.next_due, lv.visit_date + cfg.interval_days,
					       oc.opened_on + cfg.interval_days) < caseload.as_of) AS overdue
	  FROM open_case oc LEFT JOIN last_visit lv ON lv.case_no = oc.case_no CROSS JOIN cfg
	 GROUP BY oc.worker_pid
 ), per_visit AS (
	SELECT COALESCE(v.worker_pid, c.worker_pid) AS worker_pid, count(*) AS visits
	  FROM sgz.visit v JOIN sgz.case_file c ON c.case_no = v.case_no
	 WHERE v.station >= sgz.report_low(caseload.scope_prefix)
	   AND v.station <= sgz.report_high(caseload.scope_prefix)
	   AND v.visit_date >= sgz.report_year_start(caseload.as_of)
	   AND v.visit_date <= caseload.as_of
	 GROUP BY COALESCE(v.worker_pid, c.worker_pid)
 )
 SELECT s.id_number, s.name, s.station, COALESCE(pc.open_cases, 0)::text,
	COALESCE(pc.high_risk, 0)::text, COALESCE(pv.visits, 0)::text, COALESCE(pc.overdue, 0)::text
   FROM sgz.staff_v s
   LEFT JOIN per_case pc ON pc.worker_pid = s.pid
   LEFT JOIN per_visit pv ON pv.worker_pid = s.pid
  WHERE s.station >= sgz.report_low(caseload.scope_prefix)
    AND s.station <= sgz.report_high(caseload.scope_prefix)
    AND ((s.hired_on <= caseload.as_of AND (s.left_on IS NULL OR s.left_on > caseload.as_of))
	 OR pc.worker_pid IS NOT NULL OR pv.worker_pid IS NOT NULL)
  ORDER BY s.station COLLATE \"C\", s.id_number COLLATE \"C\", s.pid;
END;
CREATE FUNCTION ref.differ(scope text, first date, step integer) RETURNS text LANGUAGE sql STABLE BEGIN ATOMIC
 SELECT count(*) || coalesce(' ' || string_agg(d::date::text, ' ' ORDER BY d), '')
   FROM generate_series(first, date '2027-01-31', step * interval '1 day') d
  WHERE ARRAY(SELECT r::text FROM sgz.report_caseload(scope, d::date) WITH ORDINALITY r ORDER BY r.ordinality)
	IS DISTINCT FROM
	ARRAY(SELECT r::text FROM ref.caseload(scope, d::date) WITH ORDINALITY r ORDER BY r.ordinality);
END;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ref TO PUBLIC" >/dev/null || bail "the old report"
ok "the report's figures are not all nought (overdue cases, visits of the year)" \
	[ "$(as dongli "SELECT count(*) FROM sgz.report_caseload('120110', '2025-06-30')
		WHERE overdue_visits <> '0' OR visits_year <> '0'")" -gt 0 ]
ok "on a past day most open cases' stored last visit is later" \
	[ "$(q "SELECT count(*) FROM sgz.case_file c JOIN sgz.case_last_visit l USING (case_no)
		WHERE c.opened_on <= '2024-06-30' AND (c.closed_on IS NULL OR c.closed_on > '2024-06-30')
		  AND l.visit_date > '2024-06-30'")" -gt 10 ]
ok "and some had no visit in that day's year before it (their row of the year before)" \
	[ "$(q "SELECT count(*) FROM sgz.case_file c
		WHERE c.opened_on <= '2024-04-30' AND (c.closed_on IS NULL OR c.closed_on > '2024-04-30')
		  AND EXISTS (SELECT 1 FROM sgz.visit v WHERE v.case_no = c.case_no AND v.visit_date < '2024-01-01')
		  AND NOT EXISTS (SELECT 1 FROM sgz.visit v WHERE v.case_no = c.case_no
				   AND v.visit_date BETWEEN '2024-01-01' AND '2024-04-30')")" -gt 0 ]
# every other day as the county user and the station user (together every
# day of the station), every fifth as the others; no statement timeout
is "the same rows as before, every other day 2021-09-30 to 2027-01-31, the county user" \
	"$(PGOPTIONS='-c statement_timeout=0' as dongli "SELECT ref.differ('120110', '2021-09-30', 2)")" 0
is "the station user, the days between" \
	"$(PGOPTIONS='-c statement_timeout=0' as zgz "SELECT ref.differ('120110001', '2021-10-01', 2)")" 0
is "the region user, the province" \
	"$(PGOPTIONS='-c statement_timeout=0' as hebei "SELECT ref.differ('12', '2021-10-02', 5)")" 0
is "the other county's user" \
	"$(PGOPTIONS='-c statement_timeout=0' as xiqing "SELECT ref.differ('120111', '2021-10-03', 5)")" 0

# --- a load that bypassed the triggers, then the rebuild; truncate ---
q "SET session_replication_role = replica; DELETE FROM sgz.visit WHERE right(case_no, 1) = '2'" >/dev/null
ok "a load without triggers leaves the table behind" [ "$(drift)" != 0 ]
q "SELECT sgz.case_last_visit_rebuild()" >/dev/null
is "sgz.case_last_visit_rebuild() puts it right" "$(drift)" 0
q "TRUNCATE sgz.visit" >/dev/null
is "the visits truncated: no last visits" "$(q "SELECT count(*) FROM sgz.case_last_visit")" 0
