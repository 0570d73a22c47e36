#!/bin/sh
# integrity.sh - the rules hold whoever writes (issue 8): two sessions at
# once, writers of different scopes, a row changed after the rows that
# depend on it, a hostile search_path. Every user is a real role with a
# real scope, checked by psql as that role; the database is owned by a
# role that is not a superuser (CREATEROLE, as sgz(1) deploys it), so the
# checks that run as the owner are held to what such an owner can do.
#
# The concurrent cases are made deterministic by a gate: a session of the
# test holds an advisory lock; the first writer takes the same lock after
# its write, inside its transaction, and so stops there; the test waits in
# pg_stat_activity until the second writer has either finished or is
# waiting for a lock, then opens the gate.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 76

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
# q SQL - as the superuser of the cluster; own SQL - as the owner of sgz.
q() { psql -XAtc "$1" 2>&1; }
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }
# pid TABLE NUMBER - the person's pid: users name people by it (0012, 0016)
pid() { q "SELECT pid FROM sgz.$1 WHERE id_number = '$2'"; }

ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"
sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in $ENTITIES; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# A second county, 120111 西青区, with a volunteer, a recipient and a worker.
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'code,name\n120111001201,西营门示范村\n' >dv.csv
printf 'id_number,name,station,role,hired_on\n120111198808080030,陈刚,120111001000,head,2021-09-01\n' >sf.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >vo.csv
printf 'id_number,name,village,categories\n120111194505050055,周大爷,120111001201,empty_nest_elderly\n' >re.csv
sgz import divisions dv.csv >/dev/null && sgz import stations st.csv >/dev/null &&
	sgz import staff sf.csv >/dev/null && sgz import volunteers vo.csv >/dev/null &&
	sgz import recipients re.csv >/dev/null || bail "second county"
# A staff member at the county's second station, 120110002000.
own "INSERT INTO sgz.staff (id_number, name, station, role, hired_on)
	VALUES ('120110198001010019', '周洁', '120110002000', 'head', '2023-01-01')" >/dev/null ||
	bail "staff at the second station"

sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add jxz --scope 120110002 --kind station >/dev/null || bail "user jxz"
sgz user add xiqing --scope 120111 --kind county >/dev/null || bail "user xiqing"

ZM=120110197007070042 # 张敏, a volunteer of 120110001000
S1=120110001000
S2=120110002000

# --- the gate ---

mkfifo gate || bail "mkfifo"
psql -XAtq <gate >gate.out 2>&1 &
exec 3>gate
echo "SELECT pg_advisory_lock(4242);" >&3
# wait_for SQL - until SQL (as the superuser) says t; 30 s at most.
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
# bg NAME ROLE SQL - SQL as ROLE in the background, as application NAME;
# NAME.out gets what it says, NAME.rc its exit status.
bg() {
	(PGAPPNAME=$1 PGUSER=$2 psql -XAt -v ON_ERROR_STOP=1 -c "$3" >"$1.out" 2>&1
	echo $? >"$1.rc") &
}
# held NAME - the session NAME waits at the gate.
held() {
	wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1'
		   AND wait_event_type = 'Lock' AND wait_event = 'advisory')"
}
# stuck_or_done NAME - the session NAME waits for a lock, or has ended.
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
open_gate() {
	echo "SELECT pg_advisory_unlock(4242); SELECT pg_advisory_lock(4242);" >&3
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

# --- 1. the 24-hour day under two concurrent writers ---

# Two transactions of one county user, 16 h each at two stations, the
# second written while the first is still open.
bg a1 dongli "BEGIN;
	INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('$ZM', '2024-04-01', '$S1', 16);
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a1 || bail "a1 did not reach the gate"
bg b1 dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('$ZM', '2024-04-01', '$S2', 16)"
stuck_or_done b1 || bail "b1 neither waited nor ended"
open_gate
ended a1 && ended b1 || bail "the writers did not end"
is "24 h, concurrent: the first writer commits" "$(cat a1.rc)" 0
is "the second, written while the first was open, is refused" "$(cat b1.rc)" 1
like "saying why, with the volunteer's name and masked number" "$(cat b1.out)" \
	"hours of 张敏 (1201**********0042) on 2024-04-01 add up to more than 24"
is "the day holds 16 h, not 32" "$(day_total $ZM 2024-04-01)" "16.0"

# The same in REPEATABLE READ: the second cannot see the first's hours in
# its snapshot, and is refused as a serialisation failure instead.
bg a2 dongli "BEGIN;
	INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('$ZM', '2024-04-02', '$S1', 16);
	SELECT pg_advisory_xact_lock_shared(4242); COMMIT;"
held a2 || bail "a2 did not reach the gate"
bg b2 dongli "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM sgz.hours;
	INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('$ZM', '2024-04-02', '$S2', 16);
	COMMIT;"
stuck_or_done b2 || bail "b2 neither waited nor ended"
open_gate
ended a2 && ended b2 || bail "the writers did not end"
is "repeatable read: the first commits" "$(cat a2.rc)" 0
like "the second fails to serialise" "$(cat b2.out)" "could not serialize access"
is "the day holds 16 h" "$(day_total $ZM 2024-04-02)" "16.0"

# Two imports of the same day by the county and by the station, at once.
printf 'volunteer,service_date,station,activity,hours\n%s,2024-04-03,%s,,15\n' $ZM $S2 >i1.csv
printf 'volunteer,service_date,station,activity,hours\n%s,2024-04-03,%s,,15\n' $ZM $S1 >i2.csv
(PGUSER=dongli "$SGZ_BIN" import hours i1.csv >i1.out 2>&1; echo $? >i1.rc) &
(PGUSER=zgz "$SGZ_BIN" import hours i2.csv >i2.out 2>&1; echo $? >i2.rc) &
ended i1 && ended i2 || bail "the imports did not end"
is "two imports of one day at once: one is refused" "$(cat i1.rc i2.rc | sort | tr '\n' ' ')" "0 1 "
is "and the day holds 15 h" "$(day_total $ZM 2024-04-03)" "15.0"

# --- 2. case numbers ---

out=$(as dongli "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on)
	VALUES ('120111001-2024-0002', '120110195001010066', '$S1', '12011019850315002X',
		'individual', '2024-05-01')")
like "a case number of another township is refused" "$out" \
	"case number 120111001-2024-0002 is not of the township of station $S1"
newcase() { # ROLE [CASE_NO]
	as "$1" "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on)
		VALUES ('${2:-}', '120110195001010066', '$S1', '12011019850315002X', 'individual',
			'2025-01-05') RETURNING case_no"
}
is "a township's first case of a year is numbered 0001" "$(newcase zgz | head -1)" \
	"120110001-2025-0001"
is "a historic number is accepted" "$(newcase dongli 120110001-2025-0003 | head -1)" \
	"120110001-2025-0003"
is "the next drawn moves past the historic 0003" "$(newcase zgz | head -1)" \
	"120110001-2025-0004"
is "and so on" "$(newcase zgz | head -1)" "120110001-2025-0005"
q "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on)
	SELECT '120110001-2025-000' || n, '120110195001010066', '$S1', '12011019850315002X',
	       'individual', '2025-01-05' FROM generate_series(6, 8) n" >/dev/null
q "UPDATE sgz.case_counter SET last = 5 WHERE prefix = '120110001-2025'" >/dev/null
is "a counter behind numbers taken does not block the township" "$(newcase zgz | head -1)" \
	"120110001-2025-0009"

# --- 3. the 24-hour day across scopes ---

as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('$ZM', '2024-05-01', '$S2', 16)" >/dev/null
out=$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('$ZM', '2024-05-01', '$S1', 16)")
like "a station user's hours are added to hours it cannot see" "$out" "add up to more than 24"
is "the station user never sees the other station's hours" \
	"$(as zgz "SELECT count(*) FROM sgz.hours WHERE service_date = '2024-05-01'")" 0
is "the day holds 16 h" "$(day_total $ZM 2024-05-01)" "16.0"

# --- 4. references the deleting user cannot see ---

as zgz "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	VALUES ('120110199001010013', '钱多', '$S1', '2024-01-01')" >/dev/null
as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('120110199001010013', '2024-06-01', '$S2', 2)" >/dev/null
out=$(as zgz "DELETE FROM sgz.volunteer WHERE pid = $(pid volunteer 120110199001010013)")
like "a volunteer with hours at another station cannot be deleted" "$out" \
	"still has service hours recorded"
is "the volunteer is kept" "$(q "SELECT count(*) FROM sgz.volunteer
	WHERE id_number = '120110199001010013'")" 1
out=$(as zgz "UPDATE sgz.volunteer SET registered_on = '2024-07-01'
	WHERE pid = $(pid volunteer 120110199001010013)")
like "nor registered after hours another station recorded" "$out" \
	"has service hours recorded before 2024-07-01"

# --- 8. a change to a row checked against what refers to it ---

out=$(as dongli "UPDATE sgz.volunteer SET registered_on = '2024-03-06' WHERE pid = $(pid volunteer $ZM)")
like "a registration date after hours served is refused" "$out" \
	"volunteer 1201**********0042 has service hours recorded before 2024-03-06"
out=$(as dongli "UPDATE sgz.staff SET station = '$S2' WHERE pid = $(pid staff 12011019850315002X)")
like "moving the worker of open cases to another station is refused" "$out" \
	"staff member 王芳 is the worker of open case 120110001-2024-0001"
out=$(as dongli "UPDATE sgz.staff SET left_on = '2024-12-31' WHERE pid = $(pid staff 12011019850315002X)")
like "so is her leaving" "$out" "give the case another worker first"
is "a staff member without open cases may move" \
	"$(as dongli "UPDATE sgz.staff SET station = '$S2' WHERE pid = $(pid staff 12011019900101003X)")" \
	"UPDATE 1"
out=$(as dongli "UPDATE sgz.case_file SET opened_on = '2024-02-01' WHERE case_no = '120110001-2024-0001'")
like "a case opened after its visits is refused" "$out" \
	"visit on 2024-01-15 is before case 120110001-2024-0001 was opened (2024-02-01)"

# --- 5. rows that take their scope from a parent follow it ---

visits0=$(q "SELECT count(*) FROM sgz.visit WHERE case_no = '120110001-2024-0001'")
is "moving a case with its worker to the other station" \
	"$(as dongli "UPDATE sgz.case_file SET station = '$S2', worker = '120110198001010019'
		WHERE case_no = '120110001-2024-0001'")" "UPDATE 1"
is "its visits are the new station's" \
	"$(as jxz "SELECT count(*) FROM sgz.visit WHERE case_no = '120110001-2024-0001'")" "$visits0"
is "and no longer the old station's" \
	"$(as zgz "SELECT count(*) FROM sgz.visit WHERE case_no = '120110001-2024-0001'")" 0
is "the new station's caseload has the case" \
	"$(as jxz "SELECT open_cases FROM sgz.report_caseload('120110002', '2024-12-31')
		WHERE worker_name = '周洁'")" 1

# --- 6. a contract's stations lie within its purchaser, by level ---

out=$(own "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method,
		cycle_start, year_no, starts_on, ends_on, amount, stations)
	VALUES ('X-1', '120110000000', '52120110MJ0000001Y', 'single_source', 2024, 1,
		'2024-01-01', '2024-12-31', 1, '{120111001000}')")
like "a county's contract naming another county's station is refused" "$out" \
	"station 120111001000 is not within the purchaser 120110000000"
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations
printf '%s\nX-2,120110,52120110MJ0000001Y,single_source,2024,1,2024-01-01,2024-12-31,1,120111001000\n' \
	"$K" >k.csv
out=$(sgz import contracts k.csv)
like "and so is its import, naming the line" "$out" \
	"k.csv:2:stations: station 120111001000 is not within the purchaser 120110000000"
is "the other county reads no such contract" "$(as xiqing "SELECT count(*) FROM sgz.contract")" 0

# --- 7. what a station user may change of its station ---

for col in "status = 'closed'" "batch_year = 2020" "operation_mode = 'integrated'" \
	"organization = NULL" "name = '改名站'" "established_on = '2021-01-01'" \
	"site_tags = '{}'"; do
	out=$(as zgz "UPDATE sgz.station SET $col WHERE township = '$S1'")
	like "a station user cannot set its station's ${col%% =*}" "$out" "permission denied"
done
is "it keeps the facilities, signage and party group" \
	"$(as zgz "UPDATE sgz.station SET facilities = '{office,computer,printer}', signage = true,
		party_group = true WHERE township = '$S1'")" "UPDATE 1"
is "the county sets the status" \
	"$(as dongli "UPDATE sgz.station SET status = 'operating' WHERE township = '$S1'")" "UPDATE 1"
is "the station is still operating" "$(q "SELECT status FROM sgz.station WHERE township = '$S1'")" \
	operating

# --- 9. out of scope is the same as nowhere ---

# unname MSG ID - the message with the ID number taken out.
# (A PL/pgSQL check's CONTEXT line, which psql adds, is not the message.)
unname() { printf '%s\n' "$1" | grep -v '^CONTEXT:' | sed "s/$2/X/g"; }
out1=$(as dongli "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on)
	VALUES ('120111194505050055', '$S1', '12011019850315002X', 'individual', '2024-06-01')")
out2=$(as dongli "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on)
	VALUES ('$ZM', '$S1', '12011019850315002X', 'individual', '2024-06-01')")
is "a recipient of another county is told as one who does not exist" \
	"$(unname "$out1" 120111194505050055)" "$(unname "$out2" $ZM)"
unlike "and scope is not mentioned" "$out1" "outside your scope"
out1=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, worker)
	VALUES ('120110001-2024-0002', '2024-03-01', 'phone', '120111198808080030')")
out2=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, worker)
	VALUES ('120110001-2024-0002', '2024-03-01', 'phone', '$ZM')")
is "so is a worker of another county" "$(unname "$out1" 120111198808080030)" "$(unname "$out2" $ZM)"
out1=$(as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('120111199202020046', '2024-03-09', '$S1', 1)")
out2=$(as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('120110195001010066', '2024-03-09', '$S1', 1)")
is "and a volunteer" "$(unname "$out1" 120111199202020046)" "$(unname "$out2" 120110195001010066)"

# --- 11. the rules a statement's rows are checked by at once (0050) ---

out=$(as dongli "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on)
	VALUES ('120110001-2025-0030', '120110195001010066', '$S1', '12011019850315002X', 'individual',
		'2025-02-01'),
	       ('120110001-2025-0031', '120110195001010066', '$S1', '120110198001010019', 'individual',
		'2025-02-01')")
like "a case's worker of another station, in a statement of two, is refused" "$out" \
	"worker 120110198001010019 is not an active staff member of station $S1 on 2025-02-01"
is "and neither case is written" \
	"$(q "SELECT count(*) FROM sgz.case_file WHERE case_no LIKE '120110001-2025-003%'")" 0
printf 'case_no,recipient,station,worker,method,opened_on,status\n120110001-2025-0020,120110195001010066,%s,12011019850315002X,individual,2025-02-01,intake\n' \
	"$S1" >c48.csv
PGUSER=dongli "$SGZ_BIN" import cases c48.csv >c48.out 2>&1 || bail "import c48.csv: $(cat c48.out)"
is "the next number drawn moves past one an import gave" "$(newcase zgz | head -1)" \
	"120110001-2025-0021"
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, station)
	VALUES ('120110001-2024-0002', '2024-03-02', 'office', '$S2')")
like "a visit written with a station not its case's is refused" "$out" \
	"a visit of case 120110001-2024-0002 is of its station $S1, not $S2"
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, station)
	VALUES ('120110001-2024-0002', '2024-03-03', 'office', '$S1'),
	       ('120110001-2024-0002', '2024-01-20', 'office', '$S1')")
like "one visit of two before its case was opened, the station given" "$out" \
	"visit on 2024-01-20 is before case 120110001-2024-0002 was opened (2024-02-01)"
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, station)
	VALUES ('120110001-2024-0002', current_date + 3, 'office', '$S1')")
like "or in the future" "$out" "is in the future"
out=$(as zgz "INSERT INTO sgz.visit (case_no, visit_date, kind, station)
	VALUES ('120110001-2024-0001', '2024-03-04', 'office', '$S1')")
like "a case of another station does not exist for its writer, the station given" "$out" \
	"case 120110001-2024-0001 does not exist"
is "a visit with its case's station is written" \
	"$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, station)
		VALUES ('120110001-2024-0002', '2024-03-05', 'office', '$S1')")" "INSERT 0 1"
is "none of the refused ones is" \
	"$(q "SELECT string_agg(visit_date::text, ' ') FROM sgz.visit
		WHERE case_no = '120110001-2024-0002' AND kind = 'office'")" "2024-03-05"

# --- 10. sgz manages only the roles it created ---

q "CREATE ROLE otherapp LOGIN" >/dev/null
out=$(own "SELECT sgz.user_add('otherapp', '120110', 'county')")
like "an existing role of another application is not taken over" "$out" \
	"role otherapp exists and was not created by sgz"
out=$(own "SELECT sgz.user_remove('otherapp')")
like "nor dropped" "$out" "was not created by sgz"
is "the role is still there, in no group of sgz" \
	"$(q "SELECT count(*) FROM pg_roles r WHERE r.rolname = 'otherapp'
	       AND NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)")" 1
out=$(sgz user add otherapp --scope 120110 --kind county)
like "sgz user add says so too" "$out" "was not created by sgz"
is "a user sgz created is removed" "$(sgz user remove xiqing >/dev/null; echo $?)" 0

# --- the configuration's timeouts hold in a user's own psql ---

is "a user's psql session has sgz's timeouts" \
	"$(as dongli "SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')
		|| ' ' || current_setting('idle_in_transaction_session_timeout')")" "30s 5s 1min"

# --- resident ID numbers checked without a subtransaction ---

is "a query over people run in parallel checks ID numbers" \
	"$(PGOPTIONS="-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2" \
		q "SELECT count(*) FROM sgz.volunteer WHERE sgz.idnum_valid(id_number)")" \
	"$(q "SELECT count(*) FROM sgz.volunteer")"
is "the calendar: 29 February of 2000, not of 1900 nor 1949; no month 13, day 0 or year 0" \
	"$(q "SELECT string_agg(sgz.idnum_valid(x)::text, ' ' ORDER BY o) FROM (VALUES
		(1, '110105200002290013'), (2, '110105190002290017'), (3, '110105194902290010'),
		(4, '110105194913010010'), (5, '110105194912000013'), (6, '11010500000101001X'),
		(7, '11010519491231002X')) v(o, x)")" "true false false false false false true"

# --- 11. a hostile search_path changes nothing ---

is "no function of the schema takes the caller's search_path" \
	"$(q "SELECT count(*) FROM sgz.unpinned_functions()")" 0
out=$(as dongli "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'")
like "after migrate, sgz users cannot create in public" "$out" "permission denied"
# As on a cluster from before PostgreSQL 15, or one whose owner granted it.
q "GRANT CREATE ON SCHEMA public TO PUBLIC" >/dev/null
as dongli "CREATE FUNCTION public.rpad(text, integer, text) RETURNS text LANGUAGE sql
	AS \$\$SELECT CASE WHEN \$3 = '0' THEN '000000000000' ELSE '999999999999' END\$\$;
	CREATE FUNCTION public.never(date, date) RETURNS boolean LANGUAGE sql AS 'SELECT false';
	CREATE OPERATOR public.> (LEFTARG = date, RIGHTARG = date, FUNCTION = public.never);
	CREATE FUNCTION public.never2(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT false';
	CREATE OPERATOR public.!~ (LEFTARG = text, RIGHTARG = text, FUNCTION = public.never2);" \
	>/dev/null || bail "the hostile functions were not created"
hostile() { PGOPTIONS="-c search_path=public,pg_catalog" as dongli "$1"; }
for t in volunteer hours recipient case_file staff station audit; do
	is "a hostile rpad() shows dongli no more of sgz.$t" \
		"$(hostile "SELECT count(*) FROM sgz.$t")" "$(as dongli "SELECT count(*) FROM sgz.$t")"
done
out=$(hostile "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('$ZM', current_date + 3, '$S1', 1)")
like "a hostile > lets no hours into the future" "$out" "the date is in the future"
out=$(hostile "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	VALUES ('12011019900101003X', 'a' || chr(7), '$S1', '2024-01-01')")
like "a hostile !~ lets no control character into a name" "$out" "volunteer_name_valid"
out=$(hostile "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	VALUES ('12011119900101001X', '外', '120111001000', '2024-01-01')")
like "nor a write into the other county" "$out" "outside your scope"

exec 3>&-
wait
