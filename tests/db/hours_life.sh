#!/bin/sh
# hours_life.sh - the lifetime totals of volunteer hours (migration NNNN_hours_life) and the
# hours, stars, kpi (0046) and progress (0047) reports that read them. The schema is made up to the
# migration before it (each file applied as sgz migrate applies it), the
# reports of that schema kept aside (schema old, their definitions as the
# database had them), seven years of hours written; then sgz migrate
# applies it on the rows (the lifetime totals made from the year
# totals). For every scope and every as_of (past years, this year, before
# any hours) the new reports give the old ones' rows byte for byte, as the
# owner and as a region user; again after hours moved to another station,
# year and volunteer, changed and deleted; the totals always equal the
# records, under two concurrent writers too, after sgz.hours_totals_rebuild()
# and a TRUNCATE. The totals are read by scope and never written by users.
# The database is owned by a role that is not a superuser.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 23

T=$tap_tmp
M=$SGZ_SRCDIR/src/db/migrations
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
q() { psql -XAtc "$1" 2>&1; }
own() { PGUSER=sgz_owner psql -XAtq -v ON_ERROR_STOP=1 "$@" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

# ---- the schema before the lifetime totals' migration, number LV ----
LV=$(basename "$M"/*_hours_life.sql | sed 's/_.*//; s/^0*//')
own -c "CREATE SCHEMA sgz;
	CREATE TABLE sgz.schema_migration (version integer PRIMARY KEY, name text NOT NULL,
		checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
		applied_by text NOT NULL DEFAULT current_user)" >/dev/null || bail "bootstrap"
for f in "$M"/*.sql; do
	name=$(basename "$f" .sql)
	v=$(echo "$name" | sed 's/_.*//; s/^0*//')
	if [ "$v" -lt "$LV" ]; then
		out=$( (echo "BEGIN; SELECT set_config('sgz.migration', '$name', true);"; cat "$f";
			echo "; INSERT INTO sgz.schema_migration (version, name, checksum) VALUES ($v, '$name', md5('x')); COMMIT;") |
			own) || bail "$name: $out"
	else
		own -c "INSERT INTO sgz.schema_migration (version, name, checksum) VALUES ($v, '$name', 'x')" >/dev/null
	fi
done
is "no lifetime totals before their migration" "$(q "SELECT to_regclass('sgz.hours_life_total') IS NULL")" t

# the reports as they were, in a schema of their own
own -c "CREATE SCHEMA old" >/dev/null
for f in report_hours report_stars report_kpi report_progress; do
	own -c "SELECT pg_get_functiondef('sgz.$f(text, date)'::regprocedure)" |
		sed "1s/FUNCTION sgz\.$f(/FUNCTION old.$f(/" | own >/dev/null || bail "old $f"
done

# ---- the data: seven years of hours ----
cat >stations.csv <<'EOF'
township,name,batch_year,status,established_on
130102001000,,2018,operating,2018-01-01
130102002000,,2018,operating,2018-01-01
130104001000,,2018,operating,2018-01-01
130105001000,,2018,operating,2018-01-01
131182206000,,2018,operating,2018-01-01
EOF
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
sgz import stations stations.csv >/dev/null || bail "stations: $(sgz import stations stations.csv)"
# 80 volunteers, 16 a station, ID numbers with their check digit; a few
# registered in the middle of the years
own -c "CREATE FUNCTION pg_temp.idn(b text) RETURNS text LANGUAGE sql AS \$\$
	SELECT b || substr('10X98765432', (SELECT sum(substr(b, i, 1)::int
		* (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
		FROM generate_series(1, 17) i)::int % 11 + 1, 1) \$\$;
	INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	SELECT pg_temp.idn(substr(s.township, 1, 6) || to_char(date '1970-01-01' + g * 97, 'YYYYMMDD')
			   || lpad((g % 1000)::text, 3, '0')),
	       '志愿者' || g, s.township,
	       CASE WHEN g % 9 = 0 THEN make_date(extract(year FROM current_date)::int - 3, 6, 1)
		    ELSE date '2018-01-01' END
	  FROM generate_series(0, 79) g
	  JOIN (SELECT township, row_number() OVER (ORDER BY township) - 1 AS n FROM sgz.station) s
	    ON s.n = g % 5" >/dev/null || bail "volunteers"
is "80 volunteers" "$(q "SELECT count(*) FROM sgz.volunteer")" 80
# hours(YEAR) - a year of hours: 3 to 32 days a volunteer at his station,
# every seventh volunteer a few days at the next station too (another
# county, or another prefecture); no day twice; this year up to today
hours() {
	out=$(own -c "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	SELECT DISTINCT ON (x.volunteer, x.d) x.volunteer, x.d, x.station, x.h
	  FROM (SELECT v.id_number AS volunteer, v.g,
		       make_date($1, 1, 1) + ((v.g * 37 + i * 11) % n.days)::int AS d,
		       CASE WHEN i % 7 = 6 AND v.g % 7 = 0 THEN v.other ELSE v.station END AS station,
		       ((v.g + i + $1) % 9 + 1 + (i % 2) * 0.5)::numeric(3, 1) AS h
		  FROM (SELECT t.id_number, t.station, t.registered_on,
			       row_number() OVER (ORDER BY t.id_number) AS g,
			       coalesce((SELECT min(s.township) FROM sgz.station s
				  WHERE s.township > t.station), '130102001000') AS other
			  FROM sgz.volunteer t) v,
		       (SELECT CASE WHEN $1 = extract(year FROM current_date)
				    THEN current_date - make_date($1, 1, 1) + 1 ELSE 365 END AS days) n,
		       generate_series(1, 3 + (v.g * 13 + $1) % 30) i
		 WHERE (v.g + $1) % 6 <> 0) x
	  JOIN sgz.volunteer w ON w.id_number = x.volunteer AND w.registered_on <= x.d
	 ORDER BY x.volunteer, x.d, x.station") || bail "hours of $1: $out"
}
Y=$(date +%Y)
for y in $((Y - 6)) $((Y - 5)) $((Y - 4)) $((Y - 3)) $((Y - 2)) $((Y - 1)) $Y; do
	hours $y
done
is "hours in seven years, at more than one station a volunteer too" \
	"$(q "SELECT count(DISTINCT extract(year FROM service_date)) || ' '
		|| (SELECT (count(*) > 0)::text FROM (SELECT volunteer FROM sgz.hours GROUP BY volunteer
					     HAVING count(DISTINCT station) > 1) m)
	      FROM sgz.hours")" "7 true"

# ---- the migration ----
own -c "DELETE FROM sgz.schema_migration WHERE version >= $LV" >/dev/null
like "sgz migrate applies it on the rows" "$(sgz migrate)" "applied"

# life_diff - lifetime totals that differ from the records (both ways):
# all years, the latest year with hours and the year before it
cat >truth.sql <<'EOF'
CREATE TEMP VIEW truth AS
SELECT station, volunteer, volunteer_pid, sum(tenths)::bigint AS tenths, sum(records)::int AS records,
       max(m) AS last_year, sum(tenths) FILTER (WHERE year = m)::int AS last_tenths,
       sum(records) FILTER (WHERE year = m)::int AS last_records,
       coalesce(sum(tenths) FILTER (WHERE year = m - 1), 0)::int AS prior_tenths,
       coalesce(sum(records) FILTER (WHERE year = m - 1), 0)::int AS prior_records
  FROM (SELECT y.*, max(year) OVER (PARTITION BY station, volunteer) AS m
	  FROM (SELECT station, volunteer, volunteer_pid, extract(year FROM service_date)::int AS year,
		       sum((hours * 10)::int) AS tenths, count(*) AS records
		  FROM sgz.hours GROUP BY 1, 2, 3, 4) y) x
 GROUP BY 1, 2, 3;
CREATE TEMP VIEW life AS
SELECT station, volunteer, volunteer_pid, tenths::bigint, records, last_year::int, last_tenths,
       last_records, prior_tenths, prior_records FROM sgz.hours_life_total;
SELECT count(*) FROM ((TABLE life EXCEPT TABLE truth) UNION ALL (TABLE truth EXCEPT TABLE life)) x;
EOF
life_diff() {
	psql -XAtq -f truth.sql 2>&1
}
year_diff() {
	q "SELECT count(*) FROM (
		(SELECT station, volunteer, year::int, tenths::bigint, records FROM sgz.hours_year_total
		 EXCEPT SELECT station, volunteer, extract(year FROM service_date)::int,
			       sum((hours * 10)::int), count(*)::int FROM sgz.hours GROUP BY 1, 2, 3)
		UNION ALL
		(SELECT station, volunteer, extract(year FROM service_date)::int,
			sum((hours * 10)::int), count(*)::int FROM sgz.hours GROUP BY 1, 2, 3
		 EXCEPT SELECT station, volunteer, year::int, tenths::bigint, records
			  FROM sgz.hours_year_total)) x"
}
is "the migration made the lifetime totals of the records" "$(life_diff) $(q "SELECT count(*) > 80 FROM sgz.hours_life_total")" "0 t"

# compare ROLE - the scopes and days whose report differs from the old
# one's, as ROLE (the owner: every scope; a region user: his)
cat >compare.sql <<EOF
SELECT string_agg(f || ' ' || s || ' ' || d, ', ' ORDER BY f, s, d)
  FROM unnest(:'scopes'::text[]) s,
       unnest(ARRAY['2017-12-31', '$((Y - 6))-03-01', '$((Y - 5))-12-31', '$((Y - 4))-06-30',
		    '$((Y - 3))-01-01', '$((Y - 3))-05-31', '$((Y - 2))-12-31', '$((Y - 1))-11-30',
		    current_date::text]::date[]) d,
       unnest(ARRAY['hours', 'stars', 'kpi', 'progress']) f
 WHERE CASE f
	WHEN 'hours' THEN
		(SELECT string_agg(row(a, b, c, e, g, h)::text, E'\n' ORDER BY n)
		   FROM sgz.report_hours(s, d) WITH ORDINALITY x(a, b, c, e, g, h, n))
		IS DISTINCT FROM
		(SELECT string_agg(row(a, b, c, e, g, h)::text, E'\n' ORDER BY n)
		   FROM old.report_hours(s, d) WITH ORDINALITY x(a, b, c, e, g, h, n))
	WHEN 'progress' THEN
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l, m, o)::text, E'\n' ORDER BY n)
		   FROM sgz.report_progress(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, m, o, n))
		IS DISTINCT FROM
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l, m, o)::text, E'\n' ORDER BY n)
		   FROM old.report_progress(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, m, o, n))
	WHEN 'kpi' THEN
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l)::text, E'\n' ORDER BY n)
		   FROM sgz.report_kpi(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, n))
		IS DISTINCT FROM
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l)::text, E'\n' ORDER BY n)
		   FROM old.report_kpi(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, n))
	ELSE
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l)::text, E'\n' ORDER BY n)
		   FROM sgz.report_stars(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, n))
		IS DISTINCT FROM
		(SELECT string_agg(row(a, b, c, e, g, h, i, j, k, l)::text, E'\n' ORDER BY n)
		   FROM old.report_stars(s, d) WITH ORDINALITY x(a, b, c, e, g, h, i, j, k, l, n))
	END;
EOF
compare() {
	PGUSER=$1 psql -XAtq -v ON_ERROR_STOP=1 -v scopes="$2" -f compare.sql 2>&1
}
SCOPES='{13,1301,130102,130102001,130104,1311,131182206,44}'
sgz user add reg13 --scope 13 --kind region >/dev/null || bail "user reg13"
sgz user add zt --scope 130102001 --kind station >/dev/null || bail "user zt"
own -c "GRANT USAGE ON SCHEMA old TO reg13, zt" >/dev/null
is "every report, scope and day as before (owner)" "$(compare sgz_owner "$SCOPES")" ""
is "and as a region user" "$(compare reg13 '{13,1301,130102,1311,131182206}')" ""
# the figures are not trivial: stars, a past year's total below today's
is "the reports have stars, and a past day's totals are not today's" \
	"$(q "SELECT (SELECT count(*) > 5 FROM sgz.report_hours('13', current_date) WHERE star <> '0')
	      AND (SELECT sum(hours_total::numeric) FROM sgz.report_hours('13', make_date($Y - 3, 6, 30)))
		  < (SELECT sum(hours_total::numeric) FROM sgz.report_hours('13', current_date))
	      AND (SELECT count(*) FROM sgz.report_hours('13', make_date($Y - 3, 6, 30)) WHERE hours_total = '0.0')
		  > (SELECT count(*) FROM sgz.report_hours('13', current_date) WHERE hours_total = '0.0')")" t

# ---- hours moved, changed, deleted ----
(own -c "UPDATE sgz.hours SET station = '130104001000'
	 WHERE station = '130102001000' AND extract(day FROM service_date) < 8;
	UPDATE sgz.hours h SET service_date = h.service_date - 366
	 WHERE h.station = '130102002000' AND extract(month FROM h.service_date) = 7
	   AND h.service_date - 366 >= '2018-01-01'
	   AND NOT EXISTS (SELECT 1 FROM sgz.hours o WHERE o.volunteer = h.volunteer
			     AND o.service_date = h.service_date - 366);
	UPDATE sgz.hours h SET volunteer = (SELECT min(v.id_number) FROM sgz.volunteer v
					     WHERE v.station = '130105001000'
					       AND v.registered_on = '2018-01-01')
	 WHERE h.station = '130105001000' AND extract(month FROM h.service_date) = 3
	   AND h.volunteer = (SELECT max(v.id_number) FROM sgz.volunteer v
			       WHERE v.station = '130105001000' AND v.registered_on = '2018-01-01')
	   AND NOT EXISTS (SELECT 1 FROM sgz.hours o WHERE o.service_date = h.service_date
			     AND o.volunteer = (SELECT min(v.id_number) FROM sgz.volunteer v
						 WHERE v.station = '130105001000'
						   AND v.registered_on = '2018-01-01'));
	UPDATE sgz.hours SET hours = 0.5 WHERE extract(day FROM service_date) = 9;
	DELETE FROM sgz.hours WHERE extract(day FROM service_date) = 10;
	DELETE FROM sgz.hours WHERE station = '131182206000'
	   AND volunteer = (SELECT min(volunteer) FROM sgz.hours WHERE station = '131182206000');
	DELETE FROM sgz.hours WHERE volunteer = (SELECT max(volunteer) FROM sgz.hours
						  WHERE station = '130104001000')
	   AND service_date >= make_date($Y - 2, 1, 1)" >out) || bail "changes: $(cat out)"
# hours of years before the latest of each volunteer's, added later: the
# year before it, and two years before
out=$(own -c "INSERT INTO sgz.hours (volunteer, service_date, station, hours)
	SELECT l.volunteer, make_date(l.last_year - k, 12, 30), l.station, 1.5
	  FROM sgz.hours_life_total l, generate_series(1, 2) k
	 WHERE l.last_year - k >= 2018 AND right(l.volunteer, 2) < '60'
	   AND NOT EXISTS (SELECT 1 FROM sgz.hours h WHERE h.volunteer = l.volunteer
			     AND h.service_date = make_date(l.last_year - k, 12, 30))
	   AND (SELECT registered_on FROM sgz.volunteer v WHERE v.id_number = l.volunteer)
		<= make_date(l.last_year - k, 12, 30)
	ON CONFLICT DO NOTHING") || bail "earlier years: $out"
is "after moves, changes and deletes: the lifetime totals are the records" "$(life_diff)" 0
is "the year totals too" "$(year_diff)" 0
is "every report, scope and day as before (owner)" "$(compare sgz_owner "$SCOPES")" ""
is "and as a region user" "$(compare reg13 '{13,1301,131182206}')" ""
is "and as a station user" "$(compare zt '{130102001}')" ""

# ---- two writers at once ----
# A holds its insert open at the gate (an advisory lock); B writes the
# same volunteer at the same station meanwhile, then deletes; both land.
V1=$(q "SELECT min(id_number) FROM sgz.volunteer WHERE station = '130102002000' AND registered_on = '2018-01-01'")
V2=$(q "SELECT max(id_number) FROM sgz.volunteer WHERE station = '130105001000' AND registered_on = '2018-01-01'")
q "DELETE FROM sgz.hours WHERE volunteer IN ('$V1', '$V2') AND service_date IN ('2018-02-01', '2018-02-02', '2018-02-03')" >/dev/null
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
}
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted)" ||
	bail "the gate did not close"
bg() {
	(PGAPPNAME=$1 PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$2" >"$1.out" 2>&1
	echo $? >"$1.rc") &
}
ended() {
	i=0
	while [ ! -f "$1.rc" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.05
	done
}
# a new (station, volunteer) by both, and a stored one
bg a "BEGIN; INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$V1', '2018-02-01', '131182206000', 2), ('$V2', '2018-02-01', '130105001000', 3);
	SELECT pg_advisory_lock(4242); COMMIT"
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'a'
	   AND wait_event_type = 'Lock' AND wait_event = 'advisory')" || bail "a is not at the gate"
bg b "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$V1', '2018-02-02', '131182206000', 4), ('$V2', '2018-02-02', '130105001000', 5)"
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'b'
	   AND wait_event_type = 'Lock')" || bail "b does not wait for a"
echo "SELECT pg_advisory_unlock(4242);" >&3
ended a && ended b || bail "a writer did not end"
is "two writers of the same totals: both land" "$(cat a.rc b.rc | tr '\n' ' ')" "0 0 "
is "their sums are in the totals" \
	"$(q "SELECT tenths || '/' || records FROM sgz.hours_life_total WHERE volunteer = '$V1' AND station = '131182206000'")" \
	"60/2"
echo "SELECT pg_advisory_lock(4242);" >&3
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted)" ||
	bail "the gate did not close"
rm -f a.rc b.rc
# one deletes what the other adds to
bg a "BEGIN; DELETE FROM sgz.hours WHERE volunteer = '$V1' AND station = '131182206000';
	SELECT pg_advisory_lock(4242); COMMIT"
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'a'
	   AND wait_event_type = 'Lock' AND wait_event = 'advisory')" || bail "a is not at the gate"
bg b "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES
	('$V1', '2018-02-03', '131182206000', 1.5)"
wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'b'
	   AND wait_event_type = 'Lock')" || bail "b does not wait for a"
echo "SELECT pg_advisory_unlock(4242);" >&3
ended a && ended b || bail "a writer did not end"
is "a delete and an insert at once: both land" "$(cat a.rc b.rc | tr '\n' ' ')" "0 0 "
is "the totals are the records after both" \
	"$(life_diff) $(year_diff) $(q "SELECT tenths || '/' || records FROM sgz.hours_life_total WHERE volunteer = '$V1' AND station = '131182206000'")" \
	"0 0 15/1"
exec 3>&-
wait

# ---- read by scope, written by nobody ----
is "a station user reads the lifetime totals of his station only" \
	"$(PGUSER=zt psql -XAtc "SELECT string_agg(DISTINCT station, ' ') FROM sgz.hours_life_total" 2>&1)" \
	"130102001000"
like "not the numbers" \
	"$(PGUSER=reg13 psql -XAtc "SELECT volunteer FROM sgz.hours_life_total LIMIT 1" 2>&1)" \
	"permission denied"
like "and writes none" \
	"$(PGUSER=reg13 psql -XAtc "UPDATE sgz.hours_life_total SET tenths = 0" 2>&1)" \
	"permission denied"

# ---- rebuilt, emptied ----
q "UPDATE sgz.hours_life_total SET tenths = 0 WHERE station = '130104001000'" >/dev/null
own -c "SELECT sgz.hours_totals_rebuild()" >/dev/null
is "sgz.hours_totals_rebuild() makes them again" "$(life_diff) $(year_diff)" "0 0"
is "the reports as before after the rebuild" "$(compare sgz_owner '{13,1301,1311}')" ""
own -c "TRUNCATE sgz.hours" >/dev/null
is "a TRUNCATE of the hours empties them" "$(q "SELECT count(*) FROM sgz.hours_life_total")" 0
