#!/bin/sh
# attendee_lookup.sh - the functions that find training and supervision
# attendees by pid as the owner (0042) read sgz.staff through its pid's
# index, not through the station range of its policy: checked on the
# plans PostgreSQL's auto_explain logs for every statement inside them
# while a county user reads trainings and supervisions, exports them,
# runs the training report and writes a training, with 3,000 staff
# members in the database (the province set has 6,000). The database is
# owned by a role that is not a superuser, as sgz(1) deploys it, so the
# owner is held to sgz.staff's policy as in production. Plans, not
# times: a regression test, not a benchmark.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 9

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations staff supervisions trainings; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# The province set's shape, smaller: a station in every township of
# Tianjin and 3,000 more staff members over them, each with a valid
# number (ISO 7064 MOD 11-2), as the owner writes them.
own "INSERT INTO sgz.station (township, batch_year, status, established_on)
	SELECT d.code, 2021, 'operating', date '2021-07-01' FROM sgz.division d
	 WHERE d.level = 4 AND d.code LIKE '12%'
	   AND NOT EXISTS (SELECT 1 FROM sgz.station s WHERE s.township = d.code)" >/dev/null || bail "stations"
own "INSERT INTO sgz.staff (id_number, name, station, role, hired_on)
	SELECT b17 || substr('10X98765432', (SELECT sum(substr(b17, k, 1)::int
			* (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[k])
			FROM generate_series(1, 17) k)::int % 11 + 1, 1),
	       '张伟', st[1 + i % cardinality(st)], 'fulltime', date '2020-01-01'
	  FROM (SELECT i, '120110' || to_char(date '1960-01-01' + i, 'YYYYMMDD')
			|| lpad((i % 1000)::text, 3, '0') AS b17
		  FROM generate_series(1, 3000) i) b,
	       (SELECT array_agg(township ORDER BY township) AS st FROM sgz.station) s" >/dev/null || bail "staff"
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
a1=$(own "SELECT pid FROM sgz.staff WHERE id_number = '12011019850315002X'")
a2=$(own "SELECT pid FROM sgz.staff WHERE station = '120110002000' ORDER BY pid DESC LIMIT 1")

# vacuumed, as autovacuum leaves a table in use: an index-only scan of the
# station range then looks cheap to the planner
own "VACUUM (FREEZE, ANALYZE) sgz.staff" >/dev/null
own "VACUUM sgz.staff" >/dev/null
# plans SQL... - each statement's plans, those of the statements inside the
# functions it calls included, as the county user, on stdout
plans() {
	{
		printf '%s\n' "LOAD 'auto_explain';" \
			"SET auto_explain.log_min_duration = 0;" \
			"SET auto_explain.log_nested_statements = on;" \
			"SET auto_explain.log_analyze = on;" \
			"SET auto_explain.log_level = notice;" \
			"SET client_min_messages = notice;" \
			"SET SESSION AUTHORIZATION dongli;"
		for s in "$@"; do
			printf '%s\n' "$s"
		done
	} | psql -Xq -v ON_ERROR_STOP=1 2>&1 >/dev/null
}
# lookups FILE - each scan of sgz.staff by pid in the plans (a node whose
# condition or filter tests the pid): "index" when it reads staff_pid_key
# and removes fewer than 100 rows, "wide" otherwise
lookups() {
	awk 'function done() { if (node && txt ~ /pid = /) print ((txt ~ /staff_pid_key/ && txt !~ /Removed by Filter: [0-9][0-9][0-9]/) ? "index" : "wide"); node = 0 }
	     /->|Query Text:|NOTICE:/ { done() }
	     / on staff / { node = 1; txt = "" }
	     node { txt = txt " " $0 }
	     END { done() }' "$1" | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, ($1 > 0 ? "yes" : "no"); sep = " " }'
}

is "the staff's pages are all visible, as autovacuum leaves them" \
	"$(psql -XAtc "SELECT relallvisible = relpages AND relpages > 10 FROM pg_class WHERE oid = 'sgz.staff'::regclass")" t
plans "SELECT sum(length(x::text)) FROM sgz.training_v x;" >read.log
is "reading trainings: the policy's stations and the masked attendees by the pid's index" \
	"$(lookups read.log)" "index:yes"
plans "SELECT sum(length(x::text)) FROM sgz.supervision_v x;" >sup.log
is "reading supervisions: the masked attendees by the pid's index" "$(lookups sup.log)" "index:yes"
plans "SELECT sum(length(x::text)) FROM sgz.report_training('120110', '2024-12-31') x;" >report.log
is "the training report: the policy's stations by the pid's index" "$(lookups report.log)" "index:yes"
plans "SELECT sum(length(sgz.staff_numbers(attendee_pids))) FROM sgz.training;" >export.log
is "an export's full numbers by the pid's index" "$(lookups export.log)" "index:yes"
plans "INSERT INTO sgz.training (title, starts_on, hours, attendees)
	VALUES ('岗位培训', '2024-06-01', 8, '#$a1;#$a2');" >write.log
is "a training written: its attendees resolved and held by the pid's index" \
	"$(lookups write.log)" "index:yes"
is "the training written has both attendees" \
	"$(own "SELECT cardinality(attendee_pids) FROM sgz.training WHERE title = '岗位培训'")" 2
is "the county user reads his county's trainings, the new one too" \
	"$(PGUSER=dongli psql -XAtc "SELECT count(*) FROM sgz.training_v")" 3
is "the settings hold only inside the functions" \
	"$(PGUSER=sgz_owner psql -XAtc "SELECT sgz.training_stations(ARRAY[$a1]::bigint[]) IS NOT NULL,
		current_setting('enable_indexonlyscan')" | tr '|' ' ')" "t on"
