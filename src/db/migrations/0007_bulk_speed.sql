-- 0007: the speed of a bulk import of hours (issue 4, items 7 and 8).
--
-- A million hours rows cost 20 s, 35 times a bare COPY of the file. Most
-- of it was here: sgz.hours_check() went over the statement's rows in six
-- passes, each spilling to disk; the foreign key of the activity looked
-- each row up; the totals of 0005 sorted them by the database's collation;
-- and the audit trail built a jsonb object for every row and wrote a row
-- of its own for each. The rules are the same, checked in fewer set-based
-- passes, and the trail keeps what it kept in fewer, larger rows.

-- ---- the rules of hours, once per statement ----
--
-- rules.md: hours on a day add up to at most 24 for one volunteer; the date
-- is not in the future nor before the volunteer registered; the volunteer,
-- the station and the activity exist. Each volunteer, station and activity
-- the statement names is locked FOR KEY SHARE, as a foreign key locks it,
-- so that it cannot go while the rows that name it are being written; the
-- guards (hours_referenced_guard, activity_hours_guard) refuse it going
-- afterwards. The errors are those of 0003, and one for the activity in
-- place of the foreign key's.
--
-- A day's total needs the table's other rows of that day only when the
-- volunteer had hours in that year before the statement, and the totals
-- of 0005 say which did without reading sgz.hours: a large insert (an
-- import) reads the table only for their days. hours_year_total is
-- updated by hours_totals_insert, which fires after this trigger (the
-- triggers of one event fire in the order of their names), so for an
-- insert it still holds the totals from before the statement. A small
-- statement (a form, a grid, a county's import into a province's table),
-- and an update, read the table for every day they touch: a few lookups by
-- hours_key cost less than reading all the totals, which have no index by
-- volunteer (one more index to keep up on every import).
CREATE OR REPLACE FUNCTION sgz.hours_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	missing bigint;
	large boolean;
	future boolean;
	early boolean;
BEGIN
	-- Large: over 1,000 rows, and more than a fiftieth of the totals (a
	-- lookup by hours_key costs about what reading fifty totals does).
	large := TG_OP = 'INSERT'
		 AND (SELECT count(*) FROM new_rows)
		     > greatest(1000, (SELECT c.reltuples / 50 FROM pg_class c
				       WHERE c.oid = 'sgz.hours_year_total'::regclass));
	-- Volunteers: one join of the rows with their volunteers locks them,
	-- and counts the rows without one, in the future and before the
	-- registration; an offending row is looked for only when there is one.
	-- (Joined per row, not per distinct volunteer: the planner knows how
	-- many rows a transition table has, but assumes 200 distinct values
	-- in any column of it, and would look a million rows' volunteers up
	-- one by one. Locking a row this statement has locked already is
	-- cheap.)
	SELECT count(*) AS found,
	       count(*) FILTER (WHERE j.service_date > current_date) AS future,
	       count(*) FILTER (WHERE j.service_date < j.registered_on) AS early
	  INTO r
	  FROM (SELECT n.service_date, v.registered_on
		  FROM new_rows n JOIN sgz.volunteer v ON v.id_number = n.volunteer
		   FOR KEY SHARE OF v) j;
	future := r.future > 0;
	early := r.early > 0;
	IF r.found < (SELECT count(*) FROM new_rows) THEN
		SELECT d.volunteer INTO r FROM (SELECT DISTINCT n.volunteer FROM new_rows n) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.volunteer v WHERE v.id_number = d.volunteer)
		 LIMIT 1;
		RAISE EXCEPTION 'volunteer % is not registered', r.volunteer
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'volunteer';
	END IF;

	WITH d AS MATERIALIZED (SELECT DISTINCT n.station FROM new_rows n),
	t AS MATERIALIZED (
		SELECT t.township FROM sgz.station t
		 WHERE t.township IN (SELECT d.station FROM d)
		   FOR KEY SHARE)
	SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM t) INTO missing;
	IF missing > 0 THEN
		SELECT d.station INTO r FROM (SELECT DISTINCT n.station FROM new_rows n) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = d.station)
		 LIMIT 1;
		RAISE EXCEPTION 'station % does not exist', r.station
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'station';
	END IF;

	IF future THEN
		SELECT n.volunteer, n.service_date INTO r FROM new_rows n
		 WHERE n.service_date > current_date LIMIT 1;
		RAISE EXCEPTION 'hours of % on %: the date is in the future', r.volunteer,
			r.service_date
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;
	IF early THEN
		SELECT d.volunteer, d.service_date, v.registered_on INTO r
		  FROM (SELECT n.volunteer, min(n.service_date) AS service_date
			  FROM new_rows n GROUP BY n.volunteer) d
		  JOIN sgz.volunteer v ON v.id_number = d.volunteer
		 WHERE d.service_date < v.registered_on LIMIT 1;
		RAISE EXCEPTION 'hours of % on %: before the volunteer registered (%)',
			r.volunteer, r.service_date, r.registered_on
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;

	-- Activities, in place of the foreign key of 0003 (one lookup per row).
	WITH d AS MATERIALIZED (
		SELECT DISTINCT n.station, n.service_date, n.activity FROM new_rows n
		 WHERE n.activity IS NOT NULL),
	a AS MATERIALIZED (
		SELECT a.station FROM sgz.activity a
		 WHERE (a.station, a.date, a.title) IN (SELECT d.station, d.service_date, d.activity
							  FROM d)
		   FOR KEY SHARE)
	SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM a) INTO missing;
	IF missing > 0 THEN
		SELECT d.* INTO r FROM (SELECT DISTINCT n.station, n.service_date, n.activity
					  FROM new_rows n WHERE n.activity IS NOT NULL) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.activity a WHERE a.station = d.station
				     AND a.date = d.service_date AND a.title = d.activity)
		 LIMIT 1;
		RAISE EXCEPTION 'no activity % at station % on %', r.activity, r.station,
			r.service_date
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'activity';
	END IF;

	-- Days: the statement's rows of each day, plus the table's other rows
	-- of that day where there may be some. Summed in tenths: an integer
	-- sum is a fraction of a numeric one over a million days.
	WITH day AS (
		SELECT n.volunteer, n.service_date, sum((n.hours * 10)::integer) AS tenths
		  FROM new_rows n GROUP BY n.volunteer, n.service_date),
	seen AS (
		SELECT DISTINCT t.volunteer, t.year FROM sgz.hours_year_total t
		 WHERE large AND t.records > 0
		   AND t.volunteer IN (SELECT n.volunteer FROM new_rows n))
	SELECT x.volunteer, x.service_date, (x.tenths / 10.0)::numeric(6, 1) AS total INTO r
	  FROM (SELECT day.volunteer, day.service_date,
		       CASE WHEN large AND s.volunteer IS NULL THEN day.tenths
			    ELSE (SELECT sum((h.hours * 10)::integer) FROM sgz.hours h
				   WHERE h.volunteer = day.volunteer
				     AND h.service_date = day.service_date) END AS tenths
		  FROM day
		  LEFT JOIN seen s ON s.volunteer = day.volunteer
				  AND s.year = extract(year FROM day.service_date)::smallint) x
	 WHERE x.tenths > 240 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'hours of % on % add up to %, more than 24', r.volunteer,
			r.service_date, r.total
			USING ERRCODE = 'check_violation', COLUMN = 'hours';
	END IF;
	RETURN NULL;
END
$$;

-- 0005's totals, kept as before; the statement's totals are written in
-- the byte order of their key ("C"), which is as much one order for every
-- statement (no two lock the same totals in opposite orders) and sorts
-- several times faster than the database's collation. A million rows
-- spilled to disk with the default work_mem; an import raises it.
CREATE OR REPLACE FUNCTION sgz.hours_totals_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	plus CONSTANT text := 'SELECT station, volunteer, service_date, (hours * 10)::int AS tenths, '
			      '1 AS records FROM new_rows';
	minus CONSTANT text :=
		'SELECT station, volunteer, service_date, -(hours * 10)::int AS tenths, '
		'-1 AS records FROM old_rows';
	delta text;
BEGIN
	delta := CASE TG_OP WHEN 'INSERT' THEN plus
			    WHEN 'UPDATE' THEN plus || ' UNION ALL ' || minus
			    ELSE minus END;
	EXECUTE format($q$
		INSERT INTO sgz.hours_year_total AS t (station, volunteer, year, tenths, records)
		SELECT d.station, d.volunteer, date_part('year', d.service_date)::smallint,
		       sum(d.tenths), sum(d.records)
		  FROM (%s) d
		 GROUP BY 1, 2, 3
		HAVING sum(d.tenths) <> 0 OR sum(d.records) <> 0
		 ORDER BY d.station COLLATE "C", d.volunteer COLLATE "C", 3
		ON CONFLICT (station, volunteer, year) DO UPDATE
		   SET tenths = t.tenths + excluded.tenths, records = t.records + excluded.records
		$q$, delta);
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format($q$
			DELETE FROM sgz.hours_year_total t
			 USING (SELECT DISTINCT station, volunteer,
					date_part('year', service_date)::smallint AS year
				  FROM (%s) o) g
			 WHERE t.station = g.station AND t.volunteer = g.volunteer
			   AND t.year = g.year AND t.records = 0
			$q$, minus);
	END IF;
	RETURN NULL;
END
$$;

-- The other side of the activity of an hours row: an activity deleted, or
-- its key changed, while hours still name it (what the foreign key refused).
CREATE FUNCTION sgz.activity_hours_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	SELECT o.station, o.date, o.title INTO r FROM old_rows o
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.activity a WHERE a.station = o.station
			     AND a.date = o.date AND a.title = o.title)
	   AND EXISTS (SELECT 1 FROM sgz.hours h WHERE h.station = o.station
			 AND h.service_date = o.date AND h.activity = o.title) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'activity % at station % on % still has service hours recorded',
			r.title, r.station, r.date
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

-- TRUNCATE, which the foreign key refused too while hours named an
-- activity (TRUNCATE sgz.hours, sgz.activity together is the way). The
-- owner alone may truncate.
CREATE FUNCTION sgz.activity_hours_truncate_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM sgz.hours h WHERE h.activity IS NOT NULL) THEN
		RAISE EXCEPTION 'activities cannot be truncated while service hours name them'
			USING ERRCODE = 'foreign_key_violation',
			      HINT = 'truncate sgz.hours with them';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER activity_hours_guard_truncate AFTER TRUNCATE ON sgz.activity
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.activity_hours_truncate_guard();
CREATE TRIGGER activity_hours_guard_delete AFTER DELETE ON sgz.activity
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.activity_hours_guard();
CREATE TRIGGER activity_hours_guard_update AFTER UPDATE ON sgz.activity
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.activity_hours_guard();

ALTER TABLE sgz.hours DROP CONSTRAINT hours_activity_exists;

-- ---- the audit trail: one row per statement and division ----
--
-- 0004 wrote one row of sgz.audit per row changed, each row image a jsonb
-- object: for a million hours that was a million jsonb objects built and a
-- million trail rows written, five times the cost of writing the hours
-- themselves. The rules stay (rules.md, Access; 0004): every insert, update
-- and delete, in the same transaction, with who, when, the table, the key,
-- the action and the old and new values, append-only, read within the
-- reader's scope. What changes is the unit: a statement's changes of one
-- action under one division are one row of the trail, a batch, whose old
-- and new hold the rows column by column, {"column": [value, ...], ...}
-- (the rows' n-th values are those of its n-th change, paired old and new
-- for an update), and whose key_columns name the key. Column by column is
-- what an aggregate writes cheaply: one array per column, no object per
-- row. changes is the number of changes in the batch; events (export,
-- open, truncate) and the rows of the trail written before this migration
-- have none and keep their shape.
--
-- sgz.audit_change reads the trail one change per row, as 0004 wrote it:
-- key, old and new as objects of the row's columns.

ALTER TABLE sgz.audit ADD COLUMN changes integer, ADD COLUMN key_columns text[];

-- Batches of a large statement are large values: lz4 compresses them
-- several times faster than the default pglz, where the server has it.
DO $$
BEGIN
	ALTER TABLE sgz.audit ALTER COLUMN old SET COMPRESSION lz4,
		ALTER COLUMN new SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END
$$;

-- As 0004's: TG_ARGV[0] is the row's division code as an expression over
-- the row r, the others are the key columns. The batches of an update pair
-- old and new rows by key (as jsonb, so that a NULL key column pairs); a
-- row whose key changed is an old half and a new half, each in a batch of
-- its own, and so is a row moved to another division, each half under its
-- own division, so that neither side reads the other's. A batch holds at
-- most 100,000 changes (consecutive rows of the statement): whatever one
-- statement writes under one division, far from the 256 MB a jsonb value
-- can hold. The memory for the arrays is the session's work_mem (an import
-- raises it).
CREATE OR REPLACE FUNCTION sgz.audit_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off
SET enable_mergejoin = off AS $$
DECLARE
	division text := TG_ARGV[0];
	keys text[] := TG_ARGV[1:TG_NARGS - 1];
	cols text;  -- the table's columns over r
	img text;   -- the image of a batch of rows s
	ocols text; -- for an update: the old row's columns, as o_*
	ncols text; -- and the new one's, as n_*
	oimg text;  -- the image of the old rows of a batch of pairs p
	nimg text;  -- and of the new ones
	k text;     -- the key of a row r, as jsonb
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		INSERT INTO sgz.audit (who, table_name, action)
		VALUES (session_user, TG_TABLE_NAME, 'truncate');
		RETURN NULL;
	END IF;
	-- One array per column: array_agg, then one conversion; jsonb_agg for
	-- a column that is an array itself, which array_agg would stack into
	-- one array of two dimensions.
	SELECT string_agg(format('r.%I', c.name), ', ' ORDER BY c.num),
	       string_agg(format(c.agg, c.name, format('s.%I', c.name)), ', ' ORDER BY c.num),
	       string_agg(format('o.%I AS %I', c.name, 'o_' || c.name), ', ' ORDER BY c.num),
	       string_agg(format('n.%I AS %I', c.name, 'n_' || c.name), ', ' ORDER BY c.num),
	       string_agg(format(c.agg, c.name, format('p.%I', 'o_' || c.name)), ', '
			  ORDER BY c.num),
	       string_agg(format(c.agg, c.name, format('p.%I', 'n_' || c.name)), ', '
			  ORDER BY c.num)
	  INTO cols, img, ocols, ncols, oimg, nimg
	  FROM (SELECT a.attnum AS num, a.attname::text AS name,
		       CASE WHEN t.typcategory = 'A' THEN '%L, jsonb_agg(%s)'
			    ELSE '%L, to_jsonb(array_agg(%s))' END AS agg
		  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		 WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped) c;
	IF TG_OP = 'INSERT' OR TG_OP = 'DELETE' THEN
		EXECUTE format($q$
			INSERT INTO sgz.audit (who, table_name, action, key_columns, changes, %1$s,
					       division)
			SELECT session_user, %2$L, %3$L, %4$L::text[], count(*), jsonb_build_object(%5$s),
			       s._audit_division
			  FROM (SELECT %6$s, %7$s AS _audit_division,
				       (row_number() OVER () - 1) / 100000 AS _audit_part
				  FROM %8$s r) s
			 GROUP BY s._audit_division, s._audit_part
			$q$, CASE TG_OP WHEN 'INSERT' THEN 'new' ELSE 'old' END, TG_TABLE_NAME,
			lower(TG_OP), keys, img, cols, division,
			CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END);
		RETURN NULL;
	END IF;
	SELECT 'jsonb_build_array(' || string_agg(format('r.%I', c), ', ') || ')' INTO k
	  FROM unnest(keys) c;
	-- The pairs p; each is filed as a pair under its division, or, when its
	-- key or division changed, as an old half and a new half (f.side).
	EXECUTE format($q$
		WITH o AS (SELECT %1$s AS _audit_key, %2$s AS _audit_division, %3$s
			     FROM old_rows r),
		     n AS (SELECT %1$s AS _audit_key, %2$s AS _audit_division, %3$s
			     FROM new_rows r),
		     p AS (SELECT o._audit_key AS ok, n._audit_key AS nk,
				  o._audit_division AS od, n._audit_division AS nd,
				  o._audit_key IS NOT NULL AND n._audit_key IS NOT NULL
				  AND o._audit_division IS NOT DISTINCT FROM n._audit_division
				  AS paired,
				  (row_number() OVER () - 1) / 100000 AS part,
				  %4$s, %5$s
			     FROM o FULL JOIN n ON n._audit_key = o._audit_key)
		INSERT INTO sgz.audit (who, table_name, action, key_columns, changes, old, new,
				       division)
		SELECT session_user, %6$L, 'update', %7$L::text[], count(*),
		       CASE WHEN f.side <> 'new' THEN jsonb_build_object(%8$s) END,
		       CASE WHEN f.side <> 'old' THEN jsonb_build_object(%9$s) END, f.division
		  FROM p CROSS JOIN LATERAL (
			SELECT 'pair', p.nd WHERE p.paired
			UNION ALL SELECT 'old', p.od WHERE p.ok IS NOT NULL AND NOT p.paired
			UNION ALL SELECT 'new', p.nd WHERE p.nk IS NOT NULL AND NOT p.paired
		       ) f (side, division)
		 GROUP BY f.side, f.division, p.part
		$q$, k, division, cols, ocols, ncols, TG_TABLE_NAME, keys, oimg, nimg);
	RETURN NULL;
END
$$;

-- The trail one change per row, as 0004 wrote it: a batch's n-th values
-- put back together as objects, its key from the key columns. (id, item)
-- names a change; item is 1 for the rows that are not batches.
CREATE VIEW sgz.audit_change WITH (security_invoker = true) AS
SELECT a.id, 1::bigint AS item, a.at, a.who, a.xact, a.table_name, a.action, a.key, a.old,
       a.new, a.division
  FROM sgz.audit a
 WHERE a.changes IS NULL
UNION ALL
SELECT a.id, r.item, a.at, a.who, a.xact, a.table_name, a.action,
       (SELECT jsonb_object_agg(c, coalesce(r.new, r.old) -> c) FROM unnest(a.key_columns) c),
       r.old, r.new, a.division
  FROM sgz.audit a
 CROSS JOIN LATERAL (
	SELECT e.item,
	       jsonb_object_agg(e.col, e.v) FILTER (WHERE e.side = 'old') AS old,
	       jsonb_object_agg(e.col, e.v) FILTER (WHERE e.side = 'new') AS new
	  FROM (SELECT 'old' AS side, c.key AS col, x.v, x.item
		  FROM jsonb_each(a.old) c, jsonb_array_elements(c.value) WITH ORDINALITY x(v, item)
		UNION ALL
		SELECT 'new', c.key, x.v, x.item
		  FROM jsonb_each(a.new) c, jsonb_array_elements(c.value) WITH ORDINALITY x(v, item)) e
	 GROUP BY e.item) r
 WHERE a.changes IS NOT NULL;

GRANT SELECT ON sgz.audit_change TO sgz_admin, sgz_region, sgz_county;
