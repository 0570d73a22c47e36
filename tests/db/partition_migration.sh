#!/bin/sh
# partition_migration.sh - 0038 on a database that holds rows: the schema
# made up to 0037 (each migration file applied as sgz migrate applies it,
# the later ones marked applied so that sgz imports the fixtures), then
# sgz migrate applies 0038 alone. Every row of the hours, the visits and
# the trail is in its year's partition, none lost, and the catalogue of
# the three tables is what it was (pg_depend's dependents, triggers,
# policies, grants of the tables and of their columns, constraints,
# indexes, row-level security, replica identity, the views' grants),
# the trail's key aside, which takes its partition column. Then the later
# migrations apply on top, 0043 partitioning the volunteers' day totals:
# every day's total in its year's partition, none lost, its catalogue as
# it was (key, policy, forced row-level security, grants, owner). The database is owned by a role that is not a
# superuser (CREATEROLE, as sgz(1) deploys it).
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 16

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
M=$SGZ_SRCDIR/src/db/migrations
cd "$T" || bail "cd $T"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
q() { psql -XAtc "$1" 2>&1; }
own() { PGUSER=sgz_owner psql -XAtq -v ON_ERROR_STOP=1 "$@" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

own -c "CREATE SCHEMA sgz;
	CREATE TABLE sgz.schema_migration (version integer PRIMARY KEY, name text NOT NULL,
		checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
		applied_by text NOT NULL DEFAULT current_user)" >/dev/null || bail "bootstrap"
later=""
for f in "$M"/*.sql; do
	name=$(basename "$f" .sql)
	v=$(echo "$name" | sed 's/_.*//; s/^0*//')
	if [ "$v" -lt 38 ]; then
		out=$( (echo "BEGIN; SELECT set_config('sgz.migration', '$name', true);"; cat "$f";
			echo "; INSERT INTO sgz.schema_migration (version, name, checksum) VALUES ($v, '$name', md5('x')); COMMIT;") |
			own) || bail "$name: $out"
	else
		later="$later $v"
		own -c "INSERT INTO sgz.schema_migration (version, name, checksum) VALUES ($v, '$name', 'x')" >/dev/null
	fi
done
is "the tables are plain before 0038" \
	"$(q "SELECT string_agg(relkind::text, ' ') FROM pg_class WHERE oid IN ('sgz.hours'::regclass, 'sgz.visit'::regclass, 'sgz.audit'::regclass)")" \
	"r r r"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations service_points staff volunteers activities hours recipients cases visits; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# rows of years before the partitions' first, and a user who reads the trail
q "INSERT INTO sgz.audit (at, table_name, action, division) VALUES ('2012-06-01 08:00+08', 'hours', 'open', '120110001000')" >/dev/null
sgz user add dongli --scope 120110 --kind county >/dev/null 2>&1 || bail "user dongli"

# the catalogue of the three tables, by name
cat >cat.sql <<'EOF'
SET search_path = pg_catalog;
WITH t(oid) AS (SELECT unnest(ARRAY['sgz.hours', 'sgz.visit', 'sgz.audit']::regclass[]))
SELECT line FROM (
 SELECT 'col ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
	|| ' ' || a.attnotnull || ' ' || a.attidentity::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
	|| ' ' || coalesce(a.attacl::text, '') AS line
   FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 UNION ALL SELECT 'con ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
   FROM t JOIN pg_constraint c ON c.conrelid = t.oid
 UNION ALL SELECT 'idx ' || replace(pg_get_indexdef(i.indexrelid), ' ONLY ', ' ')
   FROM t JOIN pg_index i ON i.indrelid = t.oid
 UNION ALL SELECT 'trg ' || pg_get_triggerdef(g.oid) || ' ' || g.tgenabled::text
   FROM t JOIN pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal
 UNION ALL SELECT 'pol ' || p.tablename || ' ' || p.policyname || ' ' || p.permissive || ' ' || p.roles::text
	|| ' ' || p.cmd || ' ' || coalesce(p.qual, '') || ' / ' || coalesce(p.with_check, '')
   FROM pg_policies p WHERE p.schemaname = 'sgz' AND p.tablename IN ('hours', 'visit', 'audit')
 UNION ALL SELECT 'rel ' || c.oid::regclass || ' ' || c.relacl::text || ' ' || c.relreplident::text || ' '
	|| c.relrowsecurity || c.relforcerowsecurity || ' ' || pg_get_userbyid(c.relowner)
   FROM t JOIN pg_class c ON c.oid = t.oid
 UNION ALL SELECT DISTINCT 'dep ' || coalesce(
	(SELECT w.ev_class::regclass::text || ' ' || coalesce(v.reloptions::text, '') || ' ' || coalesce(v.relacl::text, '')
	   FROM pg_rewrite w JOIN pg_class v ON v.oid = w.ev_class WHERE w.oid = d.objid AND d.classid = 'pg_rewrite'::regclass),
	(SELECT p.oid::regprocedure::text || ' ' || coalesce(p.proacl::text, '') FROM pg_proc p
	  WHERE p.oid = d.objid AND d.classid = 'pg_proc'::regclass),
	(SELECT p.polname || ' on ' || p.polrelid::regclass FROM pg_policy p
	  WHERE p.oid = d.objid AND d.classid = 'pg_policy'::regclass)) || ' -> ' || d.refobjid::regclass
   FROM t JOIN pg_depend d ON d.refobjid = t.oid AND d.refclassid = 'pg_class'::regclass
  WHERE d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass, 'pg_policy'::regclass)
) x WHERE line IS NOT NULL ORDER BY 1;
EOF
rows() {
	q "SELECT (SELECT count(*) || ':' || md5(string_agg(h::text, '' ORDER BY h::text)) FROM sgz.hours h)
	    || ' ' || (SELECT count(*) || ':' || md5(string_agg(v::text, '' ORDER BY v::text)) FROM sgz.visit v)
	    || ' ' || (SELECT count(*) || ':' || md5(string_agg(a::text, '' ORDER BY a::text)) FROM sgz.audit a)"
}
psql -XAtq -f cat.sql >before.txt 2>&1 || bail "catalogue: $(cat before.txt)"
sed "s/ARRAY\['sgz.hours', 'sgz.visit', 'sgz.audit'\]/ARRAY['sgz.hours_day_total']/;
     s/IN ('hours', 'visit', 'audit')/IN ('hours_day_total')/" cat.sql >catd.sql
psql -XAtq -f catd.sql >days_before.txt 2>&1 || bail "catalogue: $(cat days_before.txt)"
days() {
	q "SELECT count(*) || ':' || md5(string_agg(d::text, '' ORDER BY d::text)) FROM sgz.hours_day_total d"
}
days_before=$(days)
drel() {
	q "SELECT relrowsecurity || ' ' || relforcerowsecurity || ' ' || pg_get_userbyid(relowner) || ' '
		  || coalesce(relacl::text, '-') || ' ' || relreplident::text
	     FROM pg_class WHERE oid = 'sgz.hours_day_total'::regclass"
}
drel_before=$(drel)
rows_before=$(rows)
trail_before=$(PGUSER=dongli psql -XAtc "SELECT count(*) FROM sgz.audit_v")
seq_before=$(q "SELECT last_value FROM sgz.audit_id_seq")

own -c "DELETE FROM sgz.schema_migration WHERE version = 38" >/dev/null
out=$(sgz migrate)
like "sgz migrate applies 0038 alone" "$out" "applied 1 migration"
is "the three tables are partitioned" \
	"$(q "SELECT string_agg(relkind::text, ' ') FROM pg_class WHERE oid IN ('sgz.hours'::regclass, 'sgz.visit'::regclass, 'sgz.audit'::regclass)")" \
	"p p p"
is "every row moved, none lost or changed" "$(rows)" "$rows_before"
is "each in its year's partition, the trail's of 2012 too" \
	"$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ' ORDER BY tableoid::regclass::text) FROM sgz.hours")
$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ') FROM sgz.audit WHERE at < '2013-01-01'")" \
	"sgz.hours_2024
sgz.audit_2012"
is "the defaults are empty" \
	"$(q "SELECT (SELECT count(*) FROM sgz.hours_default) + (SELECT count(*) FROM sgz.visit_default) + (SELECT count(*) FROM sgz.audit_default)")" 0
psql -XAtq -f cat.sql >after.txt 2>&1 || bail "catalogue: $(cat after.txt)"
is "the catalogue of the tables is what it was, but the trail's key" \
	"$(diff before.txt after.txt | grep '^[<>]')" \
	"< con sgz.audit audit_pkey PRIMARY KEY (id)
> con sgz.audit audit_pkey PRIMARY KEY (id, at)
< idx CREATE UNIQUE INDEX audit_pkey ON sgz.audit USING btree (id)
> idx CREATE UNIQUE INDEX audit_pkey ON sgz.audit USING btree (id, at)"
is "and there was something to compare" "$(grep -c '^trg \|^pol \|^dep ' before.txt)" \
	"$(grep -c '^trg \|^pol \|^dep ' after.txt)"
ok "dependents: the masking views, the reports, the policies" \
	sh -c "grep -q '^dep sgz.hours_v ' after.txt && grep -q '^dep sgz.report_caseload' after.txt && grep -q '^dep sgz.audit_v ' after.txt && grep -q '^pol audit scope_read' after.txt"
is "the trail's numbers go on from where they were" \
	"$(q "INSERT INTO sgz.audit (table_name, action) VALUES ('x', 'open') RETURNING id" | head -1)" \
	"$((seq_before + 1))"
is "the county reads the trail it read" \
	"$(PGUSER=dongli psql -XAtc "SELECT count(*) FROM sgz.audit_v")" "$trail_before"

own -c "DELETE FROM sgz.schema_migration WHERE version > 38" >/dev/null
out=$(sgz migrate)
like "the later migrations apply on the partitioned tables" "$out" \
	"applied $(echo $later | wc -w | awk '{ print $1 - 1 }') migration"
is "the day totals are partitioned" \
	"$(q "SELECT relkind FROM pg_class WHERE oid = 'sgz.hours_day_total'::regclass")" p
is "every day's total moved, none lost or changed" "$(days)" "$days_before"
is "each in its year's partition, none in the default" \
	"$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ' ') FROM sgz.hours_day_total")" \
	"sgz.hours_day_total_2024"
psql -XAtq -f catd.sql >days_after.txt 2>&1 || bail "catalogue: $(cat days_after.txt)"
is "the catalogue of the day totals is what it was" \
	"$(diff days_before.txt days_after.txt | grep '^[<>]')$(grep -c '^con \|^pol \|^idx ' days_after.txt) $(drel)" \
	"3 $drel_before"
