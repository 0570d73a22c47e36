#!/bin/sh
# masking.sh - what psql shows a user is what sgz shows him (issue 9, item
# 3; spec/rules.md: ID numbers masked, every reveal audited, a child's
# name 刘* for everyone but admins). Every user is a real role of its kind
# with a real scope, asking with psql; the database is owned by a role that
# is not a superuser.
#
# The sweep at the end reads, as each kind of user, every column of every
# table and view of the schema that the user may read, and fails on any
# value that holds a full ID number.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 55

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"
sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in $ENTITIES; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# A second county, 120111 西青区, with a volunteer and a recipient.
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'code,name\n120111001201,西营门示范村\n' >dv.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >vo.csv
printf 'id_number,name,village,categories\n120111194505050055,周大爷,120111001201,empty_nest_elderly\n' >re.csv
sgz import divisions dv.csv >/dev/null && sgz import stations st.csv >/dev/null &&
	sgz import volunteers vo.csv >/dev/null && sgz import recipients re.csv >/dev/null ||
	bail "second county"

sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add tj --scope 12 --kind region >/dev/null || bail "user tj"
sgz user add pg --scope 12 --kind evaluator >/dev/null || bail "user pg"
sgz user add root1 --scope 12 --kind admin >/dev/null || bail "user root1"

CHILD=120110201506010051 # 小明, born 2015: a child
ADULT=120110195001010066 # 刘大爷
VOL=120110197007070042	 # 张敏, volunteer at 120110001000
pid_of() { own "SELECT pid FROM sgz.$1 WHERE id_number = '$2'"; }
CHILD_PID=$(pid_of recipient $CHILD)
ADULT_PID=$(pid_of recipient $ADULT)
VOL_PID=$(pid_of volunteer $VOL)
XQ_PID=$(pid_of volunteer 120111199202020046)
trail() { own "SELECT count(*) FROM sgz.audit WHERE action = 'open' AND new->>'key' = '$1'"; }

# ---- the views ----

is "a station user reads masked numbers and the pid" \
	"$(as zgz "SELECT id_number, pid FROM sgz.volunteer_v WHERE pid = $VOL_PID")" \
	"1201**********0042|$VOL_PID"
is "a child's name is masked for a station user" \
	"$(as zgz "SELECT name, initials FROM sgz.recipient_v WHERE pid = $CHILD_PID")" "小*|x"
is "and in the case that names the child" \
	"$(as zgz "SELECT recipient, recipient_name FROM sgz.case_file_v WHERE recipient_pid = $CHILD_PID")" \
	"1201**********0051|小*"
is "a county user likewise" \
	"$(as dongli "SELECT name FROM sgz.recipient_v WHERE pid = $CHILD_PID")" "小*"
is "an adult's name is shown" \
	"$(as zgz "SELECT name FROM sgz.recipient_v WHERE pid = $ADULT_PID")" "刘大爷"
is "an admin sees the child's name and birth date, the number masked" \
	"$(as root1 "SELECT id_number, name, birth_date FROM sgz.recipient_v WHERE pid = $CHILD_PID")" \
	"1201**********0051|小明|2015-06-01"
is "the birth date (the middle of the number) only to admins; the age to all" \
	"$(as dongli "SELECT coalesce(birth_date::text, '-'), age > 70 FROM sgz.recipient_v WHERE pid = $ADULT_PID")" \
	"-|t"
is "hours name the volunteer by name and masked number" \
	"$(as zgz "SELECT DISTINCT volunteer, volunteer_name FROM sgz.hours_v WHERE volunteer_pid = $VOL_PID")" \
	"1201**********0042|张敏"
is "the views keep each user's scope" \
	"$(as zgz "SELECT count(*) FROM sgz.volunteer_v WHERE pid = $XQ_PID")" "0"
is "a region user sees both counties" \
	"$(as tj "SELECT count(*) FROM sgz.volunteer_v WHERE pid IN ($XQ_PID, $VOL_PID)")" "2"
like "an evaluator reads no people" "$(as pg "SELECT count(*) FROM sgz.volunteer_v")" \
	"permission denied"

# ---- full numbers and names, audited ----

like "a county user may not reveal a number" \
	"$(as dongli "SELECT sgz.person_reveal('volunteers', $VOL_PID)")" "permission denied"
before=$(trail $VOL)
is "an admin reveals a number" \
	"$(as root1 "SELECT sgz.person_reveal('volunteers', $VOL_PID, 'test')")" "$VOL"
is "and the reveal is in the trail, by the admin" \
	"$(own "SELECT count(*) FROM sgz.audit WHERE action = 'open' AND who = 'root1'
		AND new->>'key' = '$VOL' AND new->>'revealed' = 'id_number'")" "1"
before=$(trail $CHILD)
is "a station user opening the child's record gets the name" \
	"$(as zgz "SELECT sgz.person_name('recipients', $CHILD_PID, 'form')")" "小明"
is "and the open is in the trail" "$(trail $CHILD)" "$((before + 1))"
before=$(trail $ADULT)
is "an adult's name needs no trail entry" \
	"$(as zgz "SELECT sgz.person_name('recipients', $ADULT_PID)")|$(trail $ADULT)" "刘大爷|$before"
is "a person outside the scope has no name" \
	"$(as zgz "SELECT coalesce(sgz.person_name('volunteers', $XQ_PID), 'none')")" "none"
like "a table that is not of people is refused" \
	"$(as zgz "SELECT sgz.person_name('stations', 1)")" "not a table of people"
before=$(trail $CHILD)
is "a station user is told whether a child's name is the one he has, and no more" \
	"$(as zgz "SELECT sgz.person_name_is('recipients', $CHILD_PID, '小明'),
			  sgz.person_name_is('recipients', $CHILD_PID, '小红')")|$(trail $CHILD)" "t|f|$before"
is "nor of anyone outside his scope" \
	"$(as zgz "SELECT coalesce(sgz.person_name_is('volunteers', $XQ_PID, 'x')::text, 'none')")" "none"

is "a number typed in full is found in the scope" \
	"$(as zgz "SELECT pid FROM sgz.person_lookup('volunteers', ARRAY['$VOL', '120111199202020046'])")" \
	"$VOL_PID"
is "a prefix typed finds the people it starts, in the scope" \
	"$(as dongli "SELECT string_agg(pid::text, ',') FROM sgz.person_find('volunteers', '1201', 10)")" \
	"$(own "SELECT string_agg(pid::text, ',' ORDER BY id_number) FROM sgz.volunteer WHERE station LIKE '120110%'")"
is "a prefix that is not digits finds nobody" \
	"$(as dongli "SELECT count(*) FROM sgz.person_find('volunteers', '%', 10)")" "0"
n=$(own "SELECT count(*) FROM sgz.audit WHERE action = 'export'")
is "the numbers of an export come in full, in the scope" \
	"$(as dongli "SELECT count(*), count(*) FILTER (WHERE id_number = '$VOL') FROM sgz.person_numbers('volunteers')")" \
	"$(own "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '120110%'")|1"
is "and leave one trail entry with their count" \
	"$(own "SELECT count(*), max(new->>'numbers') FROM sgz.audit WHERE action = 'export' AND id > 0
		AND who = 'dongli'")" \
	"1|$(own "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '120110%'")"

# ---- the trail, masked ----

unlike "a county user's trail has no full number" \
	"$(as dongli "SELECT key::text || old::text || new::text FROM sgz.audit_change_v
		WHERE old IS NOT NULL OR new IS NOT NULL")" "$CHILD"
like "and the child's name is masked in it" \
	"$(as dongli "SELECT new->>'name' FROM sgz.audit_change_v WHERE table_name = 'recipient'
		AND action = 'insert'")" "小*"
unlike "and no birth date" \
	"$(as dongli "SELECT new::text FROM sgz.audit_v WHERE table_name = 'recipient'")" "2015-06-01"
like "an admin's trail keeps them" \
	"$(as root1 "SELECT new->>'name' FROM sgz.audit_change_v WHERE table_name = 'recipient'
		AND action = 'insert'")" "小明"

# ---- the pids follow the numbers, and the numbers the pids ----

as zgz "INSERT INTO sgz.hours (volunteer_pid, service_date, station, hours)
	VALUES ($VOL_PID, '2024-03-07', '120110001000', 1.5)" >/dev/null
is "hours written by pid get the number" \
	"$(own "SELECT volunteer FROM sgz.hours WHERE service_date = '2024-03-07'")" "$VOL"
as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('$VOL', '2024-03-08', '120110001000', 1.5)" >/dev/null
is "hours written by number get the pid" \
	"$(own "SELECT volunteer_pid FROM sgz.hours WHERE service_date = '2024-03-08'")" "$VOL_PID"
OTHER_PID=$(pid_of volunteer 120110199512310077)
as zgz "UPDATE sgz.hours SET volunteer_pid = $OTHER_PID WHERE service_date = '2024-03-08'" >/dev/null
is "a pid changed changes the number" \
	"$(own "SELECT volunteer FROM sgz.hours WHERE service_date = '2024-03-08'")" "120110199512310077"
like "a pid of nobody is refused as not registered" \
	"$(as zgz "INSERT INTO sgz.hours (volunteer_pid, service_date, station, hours)
		VALUES (999999, '2024-03-09', '120110001000', 1)")" "is not registered"
is "an upsert on the pid conflict updates the hours in place" \
	"$(as zgz "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
		VALUES ('$VOL', '2024-03-07', '120110001000', 2.5)
		ON CONFLICT (volunteer_pid, service_date, station, activity)
		DO UPDATE SET hours = excluded.hours" >/dev/null;
	  own "SELECT hours, volunteer_pid FROM sgz.hours WHERE service_date = '2024-03-07'")" \
	"2.5|$VOL_PID"
is "a volunteer imported again keeps the pid (the upsert's conflict)" \
	"$(as zgz "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
		VALUES ('$VOL', '张敏', '120110001000', '2023-01-01')
		ON CONFLICT (pid) DO UPDATE SET registered_on = excluded.registered_on" >/dev/null;
	  own "SELECT pid, registered_on FROM sgz.volunteer WHERE id_number = '$VOL'")" \
	"$VOL_PID|2023-01-01"
as zgz "UPDATE sgz.volunteer SET pid = 1 WHERE pid = $VOL_PID" >/dev/null 2>&1
is "a pid never changes" "$(pid_of volunteer $VOL)" "$VOL_PID"
# sgz.pids_found (0020): the import's word that it found the stored pids
# itself. Set by a psql user, it only turns the upsert by pid into a
# refusal by the key on the number: the person keeps his pid and his row.
like "with sgz.pids_found on, a stored number inserted again is refused by its key" \
	"$(as zgz "SET sgz.pids_found = on;
		INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
		VALUES ('$VOL', '张敏', '120110001000', '2023-06-01')
		ON CONFLICT (pid) DO UPDATE SET registered_on = excluded.registered_on")" \
	'duplicate key value violates unique constraint "volunteer_pkey"'
is "and the person keeps his pid and his row" \
	"$(own "SELECT pid, registered_on FROM sgz.volunteer WHERE id_number = '$VOL'")" \
	"$VOL_PID|2023-01-01"
WORKER=$(own "SELECT worker_pid FROM sgz.case_file WHERE recipient = '$ADULT'")
as zgz "INSERT INTO sgz.case_file (case_no, recipient_pid, station, worker_pid, method, opened_on)
	VALUES ('120110001-2024-0009', $ADULT_PID, '120110001000', $WORKER, 'individual',
		'2024-05-01')" >/dev/null
is "a case written by pids gets the numbers" \
	"$(own "SELECT recipient FROM sgz.case_file WHERE case_no = '120110001-2024-0009'")" "$ADULT"
like "a recipient pid of nobody is refused as the foreign key refuses" \
	"$(as zgz "INSERT INTO sgz.case_file (case_no, recipient_pid, station, worker_pid, method,
		opened_on) VALUES ('120110001-2024-0010', 999999, '120110001000', $WORKER,
		'individual', '2024-05-01')")" "case_file_recipient_exists"
as zgz "INSERT INTO sgz.visit (case_no, visit_date, kind, worker_pid, station)
	VALUES ('120110001-2024-0009', '2024-05-02', 'home_visit', $WORKER, '120110001000')" >/dev/null
is "a visit written by the worker's pid gets the number" \
	"$(own "SELECT worker = (SELECT worker FROM sgz.case_file WHERE case_no = '120110001-2024-0009')
		FROM sgz.visit WHERE case_no = '120110001-2024-0009'")" "t"

# A writer may give both, as sgz's import does (0018): the pair is checked
# once per statement.
like "hours whose number and pid are two people are refused" \
	"$(as zgz "INSERT INTO sgz.hours (volunteer, volunteer_pid, service_date, station, hours)
		VALUES ('$VOL', $OTHER_PID, '2024-03-10', '120110001000', 1)")" \
	"ID number 1201**********0042 and pid $OTHER_PID are not one person"
is "hours whose number and pid agree are written as given" \
	"$(as zgz "INSERT INTO sgz.hours (volunteer, volunteer_pid, service_date, station, hours)
		VALUES ('$VOL', $VOL_PID, '2024-03-10', '120110001000', 1)" >/dev/null;
	  own "SELECT volunteer_pid FROM sgz.hours WHERE service_date = '2024-03-10'")" "$VOL_PID"
WORKER_NO=$(own "SELECT worker FROM sgz.case_file WHERE case_no = '120110001-2024-0009'")
like "a case whose recipient's number and pid are two people is refused" \
	"$(as zgz "INSERT INTO sgz.case_file (case_no, recipient, recipient_pid, station, worker,
		worker_pid, method, opened_on) VALUES ('120110001-2024-0011', '$ADULT', $CHILD_PID,
		'120110001000', '$WORKER_NO', $WORKER, 'individual', '2024-05-01')")" \
	"and pid $CHILD_PID are not one person"
is "the year totals carry each volunteer's pid" \
	"$(own "SELECT count(*) FROM sgz.hours_year_total t
		 WHERE t.volunteer_pid IS DISTINCT FROM
		       (SELECT v.pid FROM sgz.volunteer v WHERE v.id_number = t.volunteer)")" "0"

# ---- reports ----

like "the hours report masks numbers" \
	"$(as dongli "SELECT id_number FROM sgz.report_hours('120110', '2024-12-31')")" \
	"1201**********0042"
unlike "and shows none in full" \
	"$(as dongli "SELECT id_number FROM sgz.report_hours('120110', '2024-12-31')")" "$VOL"
is "the caseload report counts by pid" \
	"$(as dongli "SELECT open_cases FROM sgz.report_caseload('120110', '2024-12-31')
		WHERE worker_name = (SELECT name FROM sgz.staff WHERE pid = $WORKER)")" \
	"$(own "SELECT count(*) FROM sgz.case_file WHERE worker_pid = $WORKER AND closed_on IS NULL
		AND opened_on <= '2024-12-31'")"
is "the hours report's figures are the volunteer's" \
	"$(as zgz "SELECT hours_total FROM sgz.report_hours('120110001', '2024-12-31')
		WHERE id_number = '1201**********0042'")" \
	"$(own "SELECT sum(hours) FROM sgz.hours WHERE volunteer = '$VOL'")"

# ---- the sweep ----

# sweep ROLE - every value of every column ROLE may read in schema sgz,
# tables and views, that is a full ID number: "relation.column" lines.
sweep() {
	PGUSER=$1 psql -XAt -v ON_ERROR_STOP=1 2>&1 <<'EOF'
DO $$
DECLARE
	c record;
	n bigint;
	found text := '';
BEGIN
	FOR c IN
		SELECT cl.relname, a.attname
		  FROM pg_class cl
		  JOIN pg_namespace ns ON ns.oid = cl.relnamespace AND ns.nspname = 'sgz'
		  JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
		 WHERE cl.relkind IN ('r', 'v', 'm', 'p')
		   AND has_column_privilege(cl.oid, a.attnum, 'SELECT')
		 ORDER BY 1, 2
	LOOP
		EXECUTE format('SELECT count(*) FROM sgz.%I WHERE %I::text ~ ''[0-9]{6}(19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9X]''',
			       c.relname, c.attname) INTO n;
		IF n > 0 THEN
			found := found || c.relname || '.' || c.attname || ' ';
		END IF;
	END LOOP;
	RAISE NOTICE 'found: %', found;
END
$$;
EOF
}
for r in zgz dongli tj pg; do
	is "the sweep: $r reads no full ID number anywhere" "$(sweep $r | sed -n 's/.*found: //p')" ""
done
like "the sweep sees full numbers where an admin may read them" "$(sweep root1)" "volunteer.id_number"
