#!/bin/sh
# access.sh - rules.md, Access: users of each kind with a scope, row-level
# security on every scoped table, and the audit trail. Checked by direct SQL
# as each role (PGUSER=role psql), not only through sgz: a county role sees
# and changes nothing outside its county by any path, the trail included.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 136

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"
q() { psql -XAtc "$1" 2>&1; }
# as ROLE SQL - one statement (or a script) as the role, errors included.
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { "$SGZ_BIN" "$@" 2>&1; }
ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
for e in $ENTITIES; do
	"$SGZ_BIN" import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "fixture $e"
done

# A second county, 120111 西青区, with a row in every scoped table, and a
# contract of the city (1201) that lists a station of each county.
mkdir x
printf 'code,name\n120111001201,西营门示范村\n' >x/divisions.csv
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >x/stations.csv
printf 'station,name,villages,established_on,status\n120111001000,西营门社工点,120111001201,2022-03-01,operating\n' >x/service_points.csv
printf 'id_number,name,station,role,hired_on\n120111198808080030,陈刚,120111001000,head,2021-09-01\n' >x/staff.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >x/volunteers.csv
printf 'station,date,title,kind\n120111001000,2024-03-05,西营门志愿服务日,large_event\n' >x/activities.csv
printf 'volunteer,service_date,station,activity,hours\n120111199202020046,2024-03-05,120111001000,西营门志愿服务日,5\n120111199202020046,2024-03-06,120111001000,,2\n' >x/hours.csv
printf 'id_number,name,village,categories\n120111194505050055,周大爷,120111001201,empty_nest_elderly\n' >x/recipients.csv
printf 'case_no,recipient,station,worker,method,opened_on,status\n,120111194505050055,120111001000,120111198808080030,individual,2024-02-01,intake\n' >x/cases.csv
printf 'case_no,visit_date,kind\n120111001-2024-0001,2024-02-10,home_visit\n' >x/visits.csv
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations
printf '%s\nXQ-2024-001,120111,52120110MJ0000001Y,competitive_consultation,2024,1,2024-01-01,2024-12-31,200000,120111001000\nTJ-2024-001,120100,52120110MJ0000001Y,competitive_consultation,2024,1,2024-01-01,2024-12-31,900000,120110001000;120111001000\n' "$K" >x/contracts.csv
printf 'contract_no,kind,evaluated_on,score\nXQ-2024-001,annual,2024-12-20,91\nTJ-2024-001,annual,2024-12-21,88\n' >x/evaluations.csv
printf 'division,year,stations_target\n120111,2024,9\n120100,2024,30\n' >x/plans.csv
for e in $ENTITIES; do
	[ -f "x/$e.csv" ] || continue
	"$SGZ_BIN" import "$e" "x/$e.csv" >/dev/null 2>&1 || bail "second county: $e"
done

# --- the schema: every table is covered ---

# Tables outside these lists must be scoped: a new table without policies
# fails here rather than leak.
# (rollup_node: what this database is in a roll-up, read by all, written
# by the owner's sgz rollup, which records who and when in the row itself)
REFERENCE="'division', 'setting', 'organization', 'indicator', 'user_scope', 'schema_migration', 'rollup_node'"
is "every table of sgz but the reference data has row-level security" \
	"$(q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	       WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind IN ('r', 'p')
	         AND NOT c.relispartition
	         AND c.relname NOT IN ($REFERENCE) AND NOT c.relrowsecurity")" ""
is "forced, so that the owner's functions obey it too" \
	"$(q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	       WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind IN ('r', 'p')
	         AND NOT c.relispartition
	         AND c.relname NOT IN ($REFERENCE) AND NOT c.relforcerowsecurity")" ""
# A partition (0038) is read and written only through its root, whose
# policies apply: no grant, and row-level security with no policy.
is "every partition of sgz has no grant but its owner's and row-level security" \
	"$(q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	       WHERE c.relnamespace = 'sgz'::regnamespace AND c.relispartition AND c.relkind = 'r'
	         AND (NOT c.relrowsecurity
	              OR EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)
	              OR EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attacl IS NOT NULL)
	              OR EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))")" ""
is "every table of sgz but the counter, the trail and derived totals has its audit triggers" \
	"$(q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	       WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind IN ('r', 'p')
	         AND NOT c.relispartition
	         AND c.relname NOT IN ('case_counter', 'audit', 'schema_migration', 'rollup_node',
	                               'hours_year_total', 'hours_life_total', 'hours_month_total',
	                               'hours_day_total', 'case_last_visit')
	         AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid
	               AND t.tgname IN ('audit_insert', 'audit_update', 'audit_delete',
	                                'audit_truncate')) <> 4")" ""
# The masking views (0012) run with their owner's rights, so that they
# read what their readers may not: the policies still apply, forced on the
# owner, with current_user the reader.
is "every view of sgz runs with the invoker's rights or reads only tables whose policies bind the owner" \
	"$(q "SELECT string_agg(DISTINCT v.relname || ':' || t.relname, ' ')
	       FROM pg_class v
	       JOIN pg_rewrite rw ON rw.ev_class = v.oid
	       JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
	       JOIN pg_class t ON t.oid = d.refobjid AND t.relkind IN ('r', 'p') AND t.oid <> v.oid
	      WHERE v.relnamespace = 'sgz'::regnamespace AND v.relkind = 'v'
	        AND NOT coalesce('security_invoker=true' = ANY (v.reloptions), false)
	        AND NOT (t.relrowsecurity AND t.relforcerowsecurity)")" ""
is "and those views are the masking views" \
	"$(q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	       WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind = 'v'
	         AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)")" \
	"audit_change_v audit_v case_file_v hours_v hours_year_total_v outreach_visit_v recipient_v staff_v supervision_v training_v visit_v volunteer_v"

# --- sgz user add ---

out=$(sgz user add dongli --scope 120110 --kind county)
is "user add creates a county user" "$?" 0
like "and says so, with the scope's name" "$out" "created user dongli: kind county, scope 120110000000 东丽区"
sgz user add zgz --scope 120110001 --kind station >/dev/null
is "a station user" "$?" 0
sgz user add xiqing --scope 120111 --kind county >/dev/null
is "a county user of the other county" "$?" 0
sgz user add tianjin --scope 1201 --kind region >/dev/null
is "a region user" "$?" 0
sgz user add pinggu --scope 120110 --kind evaluator >/dev/null
is "an evaluator" "$?" 0
is "the roles log in, without a password, each in its kind's group" \
	"$(q "SELECT string_agg(r.rolname || ':' || g.rolname || ':' || r.rolcanlogin
	          || ':' || (r.rolpassword IS NULL), ' ' ORDER BY r.rolname)
	        FROM pg_authid r JOIN pg_auth_members m ON m.member = r.oid
	        JOIN pg_roles g ON g.oid = m.roleid AND g.rolname <> 'sgz_users'
	       WHERE r.rolname IN ('dongli', 'zgz', 'xiqing', 'tianjin', 'pinggu')")" \
	"dongli:sgz_county:true:true pinggu:sgz_evaluator:true:true tianjin:sgz_region:true:true xiqing:sgz_county:true:true zgz:sgz_station:true:true"

out=$(sgz user add nobody1 --scope 120110 --kind boss)
is "an unknown kind is refused with 1" "$?" 1
like "naming the kinds" "$out" "'boss' is not one of admin region county station evaluator"
out=$(sgz user add nobody1 --scope 120199 --kind county)
is "a scope that is not in the division list is refused with 1" "$?" 1
like "and said so" "$out" "scope 120199000000 is not in the division list"
out=$(sgz user add nobody1 --scope 1201x --kind county)
is "a scope that is no code is refused with 1" "$?" 1
out=$(sgz user add '"x"; DROP ROLE dongli; --' --scope 120110 --kind county)
is "a role name that is no login name is refused with 1" "$?" 1
out=$(sgz user add sgz_test --scope 120110 --kind county)
is "a superuser is not turned into a user of sgz" "$?:$(q "SELECT count(*) FROM sgz.user_scope WHERE role = 'sgz_test'")" "1:0"
like "with the reason" "$out" "role sgz_test is a superuser"
out=$(sgz user add nobody1 --kind county)
is "user add without --scope is a usage error" "$?" 2
is "nothing was created by the refusals" \
	"$(q "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'nobody%' OR rolname LIKE '%DROP%'")" 0
out=$(PGUSER=dongli "$SGZ_BIN" user add nobody2 --scope 120110 --kind admin 2>&1)
is "a county user running user add gets 2" "$?" 2
like "with a plain reason" "$out" "permission denied: only an administrator of sgz"
is "and no role appears" "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'nobody2'")" 0
out=$(as dongli "SELECT sgz.user_add('nobody2', '120000000000', 'admin')")
like "nor by calling the function in psql" "$out" "permission denied for function user_add"
out=$(as dongli "UPDATE sgz.user_scope SET scope = '120000000000'")
like "nor by writing the scope table" "$out" "permission denied"

sgz user add boss --scope 12 --kind admin >/dev/null
out=$(PGUSER=boss "$SGZ_BIN" user add helper --scope 120111001 --kind station 2>&1)
is "an admin (not a superuser) adds users" "$?" 0
out=$(sgz user list)
is "user list" "$?" 0
is "lists role, kind, scope and the scope's name, aligned" "$(printf '%s\n' "$out" | sed -n 2,3p)" \
"dongli   county     120110000000  东丽区
helper   station    120111001000  西营门街道"
is "one line per user" "$(printf '%s\n' "$out" | wc -l)" 7

# --- a county user, by direct SQL ---

# table|scope column: rows the county sees inside and outside 120110.
for tc in station:township service_point:station staff:station volunteer:station \
	activity:station hours:station recipient:village case_file:station visit:station \
	plan:division; do
	t=${tc%%:*}
	c=${tc#*:}
	all=$(q "SELECT count(*) FILTER (WHERE $c LIKE '120110%') || '/' || count(*) FROM sgz.$t")
	got=$(as dongli "SELECT count(*) FILTER (WHERE $c LIKE '120110%') || '/' || count(*) FROM sgz.$t")
	is "county: sgz.$t shows all of 120110 and nothing else" "$got" "${all%/*}/${all%/*}"
done
is "county: contracts of its county and the city's one that lists its station" \
	"$(as dongli "SELECT string_agg(contract_no, ' ' ORDER BY contract_no) FROM sgz.contract")" \
	"DL-2024-001 TJ-2024-001"
is "county: the evaluations of those contracts only" \
	"$(as dongli "SELECT string_agg(DISTINCT contract_no, ' ') FROM sgz.evaluation")" \
	"DL-2024-001 TJ-2024-001"
is "the other county sees its own, not 120110's" \
	"$(as xiqing "SELECT count(*) FROM sgz.hours WHERE station NOT LIKE '120111%'")" 0

out=$(as dongli "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	VALUES ('120111199909090064', '外人', '120111001000', '2023-01-01')")
like "county: inserting a row of another county is refused, naming it" "$out" \
	"station 120111001000 is outside your scope (120110)"
out=$(as dongli "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	VALUES ('120111199202020046', '2024-03-09', '120110001000', 1)")
like "county: hours at its station for the other county's volunteer are refused" "$out" \
	"ERROR:  volunteer 120111199202020046 is "
out=$(as dongli "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on)
	VALUES ('120111194505050055', '120110001000', '12011019850315002X', 'individual', '2024-06-01')")
like "county: a case for the other county's recipient is refused, as one that is nowhere" \
	"$out" 'violates foreign key constraint "case_file_recipient_exists"'
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind, worker)
	VALUES ('120110001-2024-0001', '2024-03-01', 'phone', '120111198808080030')")
like "county: a visit by the other county's worker is refused, as one that is nowhere" \
	"$out" 'violates foreign key constraint "visit_worker_exists"'
out=$(as dongli "INSERT INTO sgz.visit (case_no, visit_date, kind)
	VALUES ('120111001-2024-0001', '2024-03-01', 'phone')")
like "county: a visit to the other county's case is refused" "$out" "does not exist"
before=$(q "SELECT md5(string_agg(h::text, '|' ORDER BY h::text)) FROM sgz.hours h WHERE station LIKE '120111%'")
is "county: updating the other county's hours changes nothing" \
	"$(as dongli "UPDATE sgz.hours SET hours = 9 WHERE station LIKE '120111%'")" "UPDATE 0"
is "county: nor does deleting them" \
	"$(as dongli "DELETE FROM sgz.hours WHERE station LIKE '120111%'")" "DELETE 0"
is "county: a blanket update touches its own rows only" "$(as dongli "UPDATE sgz.hours SET note = '改' WHERE note IS NULL")" "UPDATE 2"
is "county: the other county's hours are as they were" \
	"$(q "SELECT md5(string_agg(h::text, '|' ORDER BY h::text)) FROM sgz.hours h WHERE station LIKE '120111%'")" "$before"
is "county: deleting the other county's visits and cases changes nothing" \
	"$(as dongli "DELETE FROM sgz.visit WHERE case_no LIKE '120111%'; DELETE FROM sgz.case_file WHERE station LIKE '120111%'" | tr '\n' ' ')" \
	"DELETE 0 DELETE 0 "
out=$(as dongli "UPDATE sgz.recipient SET village = '120111001201'
	WHERE pid = $(q "SELECT pid FROM sgz.recipient WHERE name = '小明'")")
like "county: moving its own row into the other county is refused" "$out" \
	"village 120111001201 is outside your scope (120110)"
is "county: the city's contract it can read, it cannot change or delete" \
	"$(as dongli "UPDATE sgz.contract SET amount = 1 WHERE contract_no = 'TJ-2024-001'; DELETE FROM sgz.contract WHERE contract_no = 'TJ-2024-001'; DELETE FROM sgz.evaluation WHERE contract_no = 'TJ-2024-001'" | tr '\n' ' ')" \
	"UPDATE 0 DELETE 0 DELETE 0 "
is "county: nor the other county's case-number sequence" \
	"$(as dongli "UPDATE sgz.case_counter SET last = 999 WHERE prefix LIKE '120111%'")" "UPDATE 0"
like "county: divisions are read only" "$(as dongli "UPDATE sgz.division SET name = 'x' WHERE code = '120111000000'")" \
	"permission denied for table division"
like "county: settings are read only" "$(as dongli "UPDATE sgz.setting SET value = 1")" \
	"permission denied for table setting"
like "county: TRUNCATE, which skips the policies, is not granted" "$(as dongli "TRUNCATE sgz.hours")" \
	"permission denied for table hours"
is "county: it reads the reference data" \
	"$(as dongli "SELECT count(*) > 44000 FROM sgz.division; SELECT count(*) FROM sgz.setting WHERE key = 'star1_hours'" | tr '\n' ' ')" "t 1 "

# Its own county it does change (so the refusals above are about scope).
is "county: it inserts in its county" \
	"$(as dongli "INSERT INTO sgz.volunteer (id_number, name, station, registered_on) VALUES ('120110199909090017', '新人', '120110002000', '2023-01-01')")" \
	"INSERT 0 1"
is "county: and opens a case there, drawing the next number" \
	"$(as dongli "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on) VALUES ('120110195001010066', '120110001000', '12011019850315002X', 'individual', '2024-06-01') RETURNING case_no" | head -1)" \
	"120110001-2024-0003"

# Nothing the user can set widens the scope.
got=$(as dongli "SELECT set_config('sgz.scope', '', false), set_config('sgz.export_scope', '12', false),
	set_config('sgz.scope_prefix', '', false);
	SET search_path = pg_temp, sgz, public;
	SELECT count(*) FROM sgz.hours WHERE station NOT LIKE '120110%'" | tail -1)
is "county: set_config of any custom variable and search_path have no effect" "$got" 0
like "county: SET ROLE to the admins' group is refused" "$(as dongli "SET ROLE sgz_admin")" \
	"permission denied to set role"
like "county: SET SESSION AUTHORIZATION is refused" "$(as dongli "SET SESSION AUTHORIZATION sgz_test")" \
	"permission denied"
got=$(as dongli "SET ROLE sgz_county; SELECT count(*) FROM sgz.hours WHERE station NOT LIKE '120110%'" | tail -1)
is "county: SET ROLE to its own group keeps its scope" "$got" 0
like "county: no objects of its own in the schema" \
	"$(as dongli "CREATE FUNCTION sgz.scope_prefix2() RETURNS text LANGUAGE sql AS 'SELECT '''''")" \
	"permission denied for schema sgz"

# --- the audit trail, as the county ---

is "county: it reads the trail of its county" \
	"$(as dongli "SELECT count(*) > 0 FROM sgz.audit_v WHERE table_name = 'hours'")" t
is "county: and nothing of the trail outside it (nor unscoped rows)" \
	"$(as dongli "SELECT count(*) FROM sgz.audit_v WHERE division IS NULL OR division NOT LIKE '120110%'")" 0
is "the other county's hours are in the trail all the same" \
	"$(q "SELECT count(*) > 0 FROM sgz.audit WHERE table_name = 'hours' AND division LIKE '120111%'")" t
like "county: cannot UPDATE the trail" "$(as dongli "UPDATE sgz.audit SET who = 'x'")" "permission denied for table audit"
like "county: cannot DELETE from it" "$(as dongli "DELETE FROM sgz.audit")" "permission denied for table audit"
like "county: cannot TRUNCATE it" "$(as dongli "TRUNCATE sgz.audit")" "permission denied for table audit"
like "county: cannot INSERT into it directly" \
	"$(as dongli "INSERT INTO sgz.audit (table_name, action) VALUES ('hours', 'delete')")" \
	"permission denied for table audit"
like "county: cannot forge a change through the event function" \
	"$(as dongli "SELECT sgz.audit_event('delete', 'hours', '{}')")" "audit events are export or open"
as dongli "SELECT sgz.audit_event('open', 'recipient', '{\"key\": {\"id_number\": \"120111194505050055\"}}', '120111001201')" >/dev/null
is "county: an event it files under the other county lands in its own" \
	"$(q "SELECT who || ' ' || division || ' ' || (key->>'id_number') FROM sgz.audit WHERE action = 'open'")" \
	"dongli 120110000000 120111194505050055"
like "even the owner cannot UPDATE the trail" "$(q "UPDATE sgz.audit SET who = 'x'")" "the audit trail is append-only"
like "nor DELETE from it" "$(q "DELETE FROM sgz.audit WHERE id = 1")" "the audit trail is append-only"
like "nor TRUNCATE it" "$(q "TRUNCATE sgz.audit")" "the audit trail is append-only"

as dongli "UPDATE sgz.hours SET hours = 3 WHERE service_date = '2024-03-06' AND station = '120110001000'" >/dev/null
is "county: an update is in the trail: who, key (a NULL part pairs too), old and new" \
	"$(q "SELECT who || ' ' || (key->>'service_date') || ' ' || coalesce(key->>'activity', 'NULL') || ' '
	        || (old->>'hours') || '>' || (new->>'hours') || ' ' || division
	        FROM sgz.audit_change WHERE table_name = 'hours' AND action = 'update' AND new->>'hours' = '3.0'")" \
	"dongli 2024-03-06 NULL 2.0>3.0 120110001000"
as dongli "DELETE FROM sgz.visit WHERE kind = 'phone'" >/dev/null
is "county: a delete is in the trail with the old row" \
	"$(q "SELECT who || ' ' || (key->>'case_no') || ' ' || (old->>'summary') || ' ' || coalesce(new::text, 'NULL')
	        FROM sgz.audit_change WHERE table_name = 'visit' AND action = 'delete'")" \
	"dongli 120110001-2024-0001 电话回访 NULL"
n=$(q "SELECT count(*) FROM sgz.audit")
as dongli "BEGIN; UPDATE sgz.hours SET hours = 4 WHERE station = '120110001000'; ROLLBACK" >/dev/null
is "the trail is written in the same transaction: a rollback leaves nothing" \
	"$(q "SELECT count(*) FROM sgz.audit")" "$n"

# An admin moves a recipient from one county to the other: each county reads
# only its half of the change.
q "UPDATE sgz.recipient SET village = '120111001201' WHERE id_number = '120110201506010051'" >/dev/null
is "a row moved across counties: the old county reads the old half only" \
	"$(as dongli "SELECT (old->>'village') || ' ' || coalesce(new::text, 'NULL') FROM sgz.audit_change_v
	               WHERE table_name = 'recipient' AND action = 'update'")" "120110001201 NULL"
is "and the new county the new half only" \
	"$(as xiqing "SELECT coalesce(old::text, 'NULL') || ' ' || (new->>'village') FROM sgz.audit_change_v
	               WHERE table_name = 'recipient' AND action = 'update'")" "NULL 120111001201"
q "UPDATE sgz.recipient SET village = '120110001201' WHERE id_number = '120110201506010051'" >/dev/null

# --- a station user ---

is "station: its township's rows only" \
	"$(as zgz "SELECT (SELECT string_agg(township, ' ') FROM sgz.station) || ' '
	            || (SELECT count(*) FROM sgz.hours WHERE station <> '120110001000') || ' '
	            || (SELECT count(*) FROM sgz.volunteer WHERE station <> '120110001000')")" \
	"120110001000 0 0"
is "station: it reads the contracts that bind its station" \
	"$(as zgz "SELECT string_agg(contract_no, ' ' ORDER BY contract_no) FROM sgz.contract")" \
	"DL-2024-001 TJ-2024-001"
like "station: a volunteer of another township of the same county is refused" \
	"$(as zgz "INSERT INTO sgz.volunteer (id_number, name, station, registered_on) VALUES ('120110199909090033', '邻居', '120110002000', '2023-01-01')")" \
	"station 120110002000 is outside your scope (120110001)"
is "station: its own township it writes" \
	"$(as zgz "INSERT INTO sgz.volunteer (id_number, name, station, registered_on) VALUES ('120110199909090033', '本站', '120110001000', '2023-01-01')")" \
	"INSERT 0 1"
like "station: stations are opened by the county" \
	"$(as zgz "INSERT INTO sgz.station (township, batch_year) VALUES ('120110001000', 2025)")" \
	"permission denied for table station"
like "station: contracts are read only" "$(as zgz "UPDATE sgz.contract SET amount = 1")" \
	"permission denied for table contract"
like "station: the trail is not for stations" "$(as zgz "SELECT count(*) FROM sgz.audit")" \
	"permission denied for table audit"
like "nor its masked view" "$(as zgz "SELECT count(*) FROM sgz.audit_v")" \
	"permission denied for view audit_v"
# This database's schema is the superuser's, whom no policy binds: the
# masking views, which read with their owner's rights, keep the scope
# themselves (0016).
is "station: the masking views hold its township's people only" \
	"$(as zgz "SELECT (SELECT count(*) FROM sgz.volunteer_v WHERE station NOT LIKE '120110001%')
	              + (SELECT count(*) FROM sgz.hours_v WHERE station NOT LIKE '120110001%')
	              + (SELECT count(*) FROM sgz.recipient_v WHERE village NOT LIKE '120110001%')
	              + (SELECT count(*) FROM sgz.case_file_v WHERE station NOT LIKE '120110001%')")" 0
is "and all of them" "$(as zgz "SELECT count(*) FROM sgz.volunteer_v")" \
	"$(q "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '120110001%'")"

# --- a region user ---

is "region: reads both counties" \
	"$(as tianjin "SELECT count(DISTINCT left(station, 6)) FROM sgz.hours")" 2
is "region: and their trail" \
	"$(as tianjin "SELECT count(DISTINCT left(division, 6)) FROM sgz.audit_v WHERE table_name = 'hours'")" 2
like "region: cannot insert" \
	"$(as tianjin "INSERT INTO sgz.plan (division, year) VALUES ('120100000000', 2030)")" \
	"permission denied for table plan"
like "region: cannot update" "$(as tianjin "UPDATE sgz.hours SET hours = 1")" "permission denied for table hours"
like "region: cannot delete" "$(as tianjin "DELETE FROM sgz.visit")" "permission denied for table visit"

# --- an evaluator ---

is "evaluator: writes an evaluation of a contract in scope" \
	"$(as pinggu "INSERT INTO sgz.evaluation (contract_no, kind, evaluated_on, score) VALUES ('DL-2024-001', 'final', '2024-12-30', 92)")" \
	"INSERT 0 1"
like "evaluator: not of a contract outside it" \
	"$(as pinggu "INSERT INTO sgz.evaluation (contract_no, kind, evaluated_on, score) VALUES ('XQ-2024-001', 'final', '2024-12-30', 92)")" \
	"contract_no XQ-2024-001 is outside your scope (120110)"
like "evaluator: not of the city's contract it can read" \
	"$(as pinggu "INSERT INTO sgz.evaluation (contract_no, kind, evaluated_on, score) VALUES ('TJ-2024-001', 'final', '2024-12-30', 92)")" \
	"contract_no TJ-2024-001 is outside your scope"
like "evaluator: cannot change the contract" \
	"$(as pinggu "UPDATE sgz.contract SET amount = 1 WHERE contract_no = 'DL-2024-001'")" \
	"permission denied for table contract"
like "evaluator: reads nothing else" "$(as pinggu "SELECT count(*) FROM sgz.hours")" \
	"permission denied for table hours"

# --- a role without a scope sees nothing ---

q "CREATE ROLE stray LOGIN; GRANT sgz_county TO stray" >/dev/null
is "a role in a group but without a scope sees nothing" \
	"$(as stray "SELECT (SELECT count(*) FROM sgz.hours) + (SELECT count(*) FROM sgz.contract)
	              + (SELECT count(*) FROM sgz.evaluation) + (SELECT count(*) FROM sgz.audit_v)")" 0
like "and writes nothing, being told why" \
	"$(as stray "INSERT INTO sgz.plan (division, year) VALUES ('120110000000', 2031)")" \
	"role stray has no scope in this database"
like "a role in no group reads nothing at all" \
	"$(q "CREATE ROLE outsider LOGIN" >/dev/null; as outsider "SELECT count(*) FROM sgz.division")" \
	"permission denied for schema sgz"

# --- import and export as the county ---

printf 'township,name,batch_year,status,established_on\n120110002000,,2021,established,2021-08-03\n120111002000,,2022,planned,\n' >imp1.csv
st_before=$(q "SELECT md5(string_agg(s::text, '|' ORDER BY township)) FROM sgz.station s")
out=$(PGUSER=dongli "$SGZ_BIN" import stations imp1.csv 2>&1)
is "import as the county: a row of the other county refuses the file (1)" "$?" 1
like "naming the line and the column" "$out" "imp1.csv:3:township: "
like "and the scope" "$out" "120111002000 is outside your scope (120110)"
is "and nothing is written, not even the good line" \
	"$(q "SELECT md5(string_agg(s::text, '|' ORDER BY township)) FROM sgz.station s")" "$st_before"
printf 'volunteer,service_date,station,activity,hours\n120110197007070042,2024-03-08,120110001000,,1\n120111199202020046,2024-03-08,120111001000,,1\n' >imp2.csv
out=$(PGUSER=dongli "$SGZ_BIN" import hours imp2.csv 2>&1)
is "import of hours with a line of the other county: refused (1)" "$?" 1
like "naming that line" "$out" "imp2.csv:3:"
unlike "and only that line" "$out" "imp2.csv:2:hours"
is "nothing written" "$(q "SELECT count(*) FROM sgz.hours WHERE service_date = '2024-03-08'")" 0

printf 'volunteer,service_date,station,activity,hours\n120110197007070042,2024-03-08,120110001000,,1\n120110199512310077,2024-03-08,120110001000,,2\n' >imp3.csv
PGUSER=dongli "$SGZ_BIN" import hours imp3.csv >/dev/null 2>&1
is "import as the county of its own rows" "$?" 0
is "is in the trail as the county's inserts" \
	"$(q "SELECT string_agg(who || ' ' || action || ' ' || (new->>'hours'), ', ' ORDER BY new->>'hours')
	        FROM sgz.audit_change WHERE table_name = 'hours' AND key->>'service_date' = '2024-03-08'")" \
	"dongli insert 1.0, dongli insert 2.0"
# The trail keeps a statement's changes under one division as one row
# (migration 0007): the two inserts above are one batch of two.
is "the trail holds them as one batch of the statement, column by column" \
	"$(q "SELECT changes || ' ' || division || ' ' || (new->'hours')::text || ' ' || key_columns::text
	        FROM sgz.audit WHERE table_name = 'hours' AND new->'service_date' @> '[\"2024-03-08\"]'")" \
	"2 120110001000 [1.0, 2.0] {volunteer,service_date,station,activity}"
is "every change of the trail is a row of audit_change" \
	"$(q "SELECT (SELECT sum(coalesce(changes, 1)) FROM sgz.audit) = (SELECT count(*) FROM sgz.audit_change)")" t
is "county: audit_change is read within the scope too" \
	"$(as dongli "SELECT count(*) FROM sgz.audit_change_v WHERE division IS NULL OR division NOT LIKE '120110%'")" 0

out=$(PGUSER=dongli "$SGZ_BIN" export hours --scope 12 -o exp.csv 2>&1)
is "export as the county" "$?" 0
is "holds its rows only, even asked for the whole province" \
	"$(tail -n +2 exp.csv | cut -d, -f3 | cut -c1-6 | sort -u | tr '\n' ' ')" "120110 "
is "all of them" "$(($(wc -l <exp.csv) - 1))" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE station LIKE '120110%'")"
is "and the export is an event in the trail: who, entity, scope, rows, filed under the county" \
	"$(q "SELECT who || ' ' || table_name || ' ' || (new->>'entity') || ' ' || (new->>'scope') || ' '
	        || (new->>'rows') || ' ' || division FROM sgz.audit WHERE action = 'export'
	        AND new ? 'rows'")" \
	"dongli hours hours 120000000000 $(($(wc -l <exp.csv) - 1)) 120110000000"
is "which the county reads, and the other county does not" \
	"$(as dongli "SELECT count(*) FROM sgz.audit_v WHERE action = 'export' AND new ? 'rows'"):$(as xiqing "SELECT count(*) FROM sgz.audit_v WHERE action = 'export'")" \
	"1:0"

# --- user management is audited; kinds change; users go ---

is "user changes are in the trail, for admins" \
	"$(q "SELECT count(*) FROM sgz.audit WHERE table_name = 'user_scope' AND action = 'insert'")" 7
sgz user add pinggu --scope 120110 --kind region >/dev/null
is "user add again changes the kind: one group at a time" \
	"$(q "SELECT string_agg(g.rolname, ' ' ORDER BY g.rolname) FROM pg_auth_members m
	       JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = 'pinggu'::regrole")" \
	"sgz_region sgz_users"
out=$(sgz user remove zgz)
is "user remove" "$?" 0
like "says so" "$out" "removed user zgz"
is "the role and its scope are gone" \
	"$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'zgz'"):$(q "SELECT count(*) FROM sgz.user_scope WHERE role = 'zgz'")" "0:0"
out=$(sgz user remove zgz)
is "removing a user that does not exist is refused (1)" "$?" 1
like "and said so" "$out" "there is no user zgz"
out=$(sgz user remove outsider)
is "a role that is no user of sgz is not dropped" "$?:$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'outsider'")" "1:1"
out=$(PGUSER=dongli "$SGZ_BIN" user remove xiqing 2>&1)
is "a county user cannot remove users (2)" "$?:$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'xiqing'")" "2:1"
