#!/bin/sh
# point_villages.sh - a service point's villages (0048): the check of each
# village written reads the points of the village's township through the
# primary key, not every point of the policy's range, and the import's
# check of the file's earlier lines joins them by village. Checked on the
# plans PostgreSQL's auto_explain logs for the statements inside
# sgz.service_point_villages_check() while the owner writes a point for
# every township of Tianjin in one statement into the empty table (an
# import's upsert) and a county user writes one more, in a database owned
# by a role that is not a superuser, as sgz(1) deploys it (the owner is
# held to the policy). Plans, not times: a regression test, not a
# benchmark. Then the rules and their messages, through sgz import and
# the database.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 11

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
own() { PGUSER=sgz_owner psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# a station in every township of Tianjin and three villages in each
own "INSERT INTO sgz.station (township, batch_year, status, established_on)
	SELECT d.code, 2021, 'operating', date '2021-07-01' FROM sgz.division d
	 WHERE d.level = 4 AND d.code LIKE '12%'
	   AND NOT EXISTS (SELECT 1 FROM sgz.station s WHERE s.township = d.code)" >/dev/null || bail "stations"
own "INSERT INTO sgz.division (code, name)
	SELECT substr(s.township, 1, 9) || k, '村' || k FROM sgz.station s, unnest('{101,102,103}'::text[]) k
	ON CONFLICT DO NOTHING" >/dev/null || bail "villages"
n=$(own "SELECT count(*) FROM sgz.station")
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"

# plans ROLE SQL... - each statement's plans, those of the statements
# inside the functions and triggers it runs included, as ROLE, on stdout
plans() {
	_role=$1
	shift
	{
		printf '%s\n' "LOAD 'auto_explain';" \
			"SET auto_explain.log_min_duration = 0;" \
			"SET auto_explain.log_nested_statements = on;" \
			"SET auto_explain.log_analyze = on;" \
			"SET auto_explain.log_level = notice;" \
			"SET client_min_messages = notice;" \
			"SET SESSION AUTHORIZATION $_role;"
		for s in "$@"; do
			printf '%s\n' "$s"
		done
	} | psql -Xq -v ON_ERROR_STOP=1 2>&1 >/dev/null
}
# lookups FILE - each scan of sgz.service_point for a village's other
# point in the plans: "index" when it reads the primary key and removes
# fewer than 10 rows, "wide" otherwise; then how many there were
lookups() {
	awk 'function done() { if (node && txt ~ /villages @> /) { n++; print ((txt ~ /Index Scan using service_point_pkey/ && txt !~ /Removed by Filter: [0-9][0-9]/) ? "index" : "wide") }; node = 0 }
	     /->|Query Text:|NOTICE:/ { done() }
	     / on service_point p / { node = 1; txt = "" }
	     node { txt = txt " " $0 }
	     END { done() }' "$1" | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = " " }'
}

plans sgz_owner "INSERT INTO sgz.service_point (station, name, villages, status)
	SELECT s.township, '社工点', ARRAY[substr(s.township, 1, 9) || '101', substr(s.township, 1, 9) || '102'],
	       'planned'
	  FROM sgz.station s ORDER BY s.township;" >import.log
is "the owner's $n points in one statement into the empty table: each village's check by the primary key" \
	"$(lookups import.log)" "index:$((n * 2))"
own "VACUUM ANALYZE sgz.service_point" >/dev/null
plans dongli "INSERT INTO sgz.service_point (station, name, villages, status)
	VALUES ('120110001000', '第三社工点', '{120110001103}', 'planned');" >county.log
is "a county user's point: its village's check by the primary key" "$(lookups county.log)" "index:1"
is "the settings hold only inside the function" \
	"$(PGUSER=sgz_owner psql -XAtqc "INSERT INTO sgz.service_point (station, name, villages, status)
		VALUES ('120110002000', '第四社工点', '{120110002103}', 'planned')" \
		-c "SELECT current_setting('enable_seqscan') || ' ' || current_setting('enable_bitmapscan')")" \
	"on on"

# the rules, as before
out=$(own "INSERT INTO sgz.service_point (station, name, villages, status)
	VALUES ('120110001000', 'x', '{120110001101}', 'planned')")
like "the database refuses a village another point serves, naming it" "$out" \
	"village 120110001101 is already served by the point 社工点"
out=$(own "UPDATE sgz.service_point SET villages = '{120110001102,120110002101}'
	WHERE station = '120110001000' AND name = '社工点'")
like "and a village of another township" "$out" \
	"village 120110002101 is not in the township of station 120110001000"
out=$(own "INSERT INTO sgz.service_point (station, name, villages, status)
	VALUES ('120110001000', 'y', '{120110001999}', 'planned')")
like "and a village not in the division list" "$out" "village 120110001999 is not in the division list"
is "a point's own villages written again are its own" \
	"$(own "UPDATE sgz.service_point SET villages = '{120110001102,120110001101}'
		WHERE station = '120110001000' AND name = '社工点' RETURNING cardinality(villages)")" "2"

printf 'station,name,villages,status\n%s\n%s\n%s\n' \
	"120110003000,甲点,120110003103,planned" \
	"120110003000,乙点,120110003103,planned" \
	"120110004000,丙点,120110004101,planned" >dup.csv
out=$(sgz import service_points dup.csv)
like "an import: a village on an earlier line of the file, naming its point" "$out" \
	"dup.csv:3:villages: village 120110003103 is already served by the point 甲点"
like "an import: a village a stored point serves, naming it" "$out" \
	"dup.csv:4:villages: village 120110004101 is already served by the point 社工点"
unlike "an import: the first line of a village is not refused" "$out" "dup.csv:2:"
printf 'station,name,villages,status\n%s\n' "120110003000,丁点,120110003103,planned" >ok.csv
is "an import of a point serving free villages" "$(sgz import service_points ok.csv)" "1 rows imported"
