-- 0045: each case's last visit of each year kept as its visits are
-- written, so that the caseload report no longer looks for each open
-- case's last visit among every visit of every year (issues 15 and 12: a
-- report of a year in at most 0.5 s whatever the years kept). On ten
-- years of a province (4,000,000 visits) the report sorted every visit of
-- the open cases: 3.3 s.
--
-- sgz.case_last_visit holds, for each case and each year it has visits
-- in, the greatest of those visits by (visit_date, next_due, a visit
-- without one the lesser): the order of the report's DISTINCT ON
-- (visit_date DESC, next_due DESC NULLS LAST). A case's last visit on a
-- day is its row of that day's year when not after the day, else its
-- last visit of that year up to the day, else its row of the latest year
-- before. Kept by year, the row is exact for the figures at the end of
-- any year (the reports of a past year) and for today; only a day in the
-- past within a year looks at that year's visits (one partition), and
-- only for the cases visited after it. Its station is the case's (a
-- visit's station is its case's, kept so by visit_check and
-- case_file_follow): the rows are scoped by it, as the visits are. It is
-- a table of its own, not a column of the case, so that a visit neither
-- bumps the case's row_version (a form open on the case would be told it
-- changed) nor writes the case's trail.
--
-- Written only by the triggers of sgz.visit, as the owner, a statement at
-- a time (transition tables, on the partitioned root):
--   * an INSERT (an import: one statement for the whole file) upserts the
--     greatest new visit of each case and year, keeping the stored one
--     where it is the greater: the conflict's row is locked and compared
--     as last committed, so concurrent inserts leave the greatest;
--   * an UPDATE whose rows change a case's visits' dates, next_due or
--     station (a visit moved to another case, date or year; a case moved
--     to another station), and a DELETE, find the last visits of the
--     cases and years they touch again: their rows are made if missing
--     and locked in key order, then the visits are read by the next
--     statement, whose snapshot holds whatever was committed before the
--     lock was had; a writer that comes later waits on the lock and then
--     sees this one's work. A year left without visits loses its row.
-- An UPDATE that changes none of those (a summary, a worker, the pids)
-- costs only the comparison of its transition tables.
--
-- A load that bypasses triggers (session_replication_role = replica) must
-- be followed by SELECT sgz.case_last_visit_rebuild(). On a roll-up the
-- table is published and subscribed like hours_year_total (the provinces'
-- rows, written there by their own triggers), so the migration leaves it
-- empty there: the subscriptions copy it when refreshed (`sgz rollup add`).
--
-- sgz.report_caseload reads it, and is restated so that no plan of it
-- depends on the planner's estimates of scoped rows (a few dozen where
-- there are tens of thousands): each open case's stored row is a look-up
-- by its key, the counts of the open cases, of the year's visits and the
-- staff are added up by worker in one grouping instead of joined. The
-- same rows, byte for byte, for every day (tests/db/last_visit.sh).

CREATE TABLE sgz.case_last_visit (
	case_no text NOT NULL,
	year integer NOT NULL,
	station text NOT NULL,
	visit_date date NOT NULL,
	next_due date,
	PRIMARY KEY (case_no, year)
);
COMMENT ON TABLE sgz.case_last_visit IS
	'each case''s last visit of each year (visit_date, then next_due, none the least); written by sgz.visit''s triggers only';

-- Inserted visits: the greatest of each case and year, kept where the
-- stored one is not lesser. In key order, the order every writer locks in.
CREATE FUNCTION sgz.case_last_visit_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO sgz.case_last_visit AS l (case_no, year, station, visit_date, next_due)
	SELECT DISTINCT ON (n.case_no, extract(year FROM n.visit_date)::integer)
	       n.case_no, extract(year FROM n.visit_date)::integer, n.station, n.visit_date, n.next_due
	  FROM new_rows n
	 ORDER BY n.case_no, extract(year FROM n.visit_date)::integer, n.visit_date DESC,
		  n.next_due DESC NULLS LAST
	ON CONFLICT (case_no, year) DO UPDATE
	   SET station = excluded.station, visit_date = excluded.visit_date, next_due = excluded.next_due
	 WHERE (excluded.visit_date, coalesce(excluded.next_due, '-infinity'::date))
	       > (l.visit_date, coalesce(l.next_due, '-infinity'::date));
	RETURN NULL;
END
$$;

-- The last visits of the cases and years (CASES[i], YEARS[i]) found again
-- from sgz.visit, under their rows' locks. Each statement takes a
-- snapshot of its own (READ COMMITTED): the reads follow the locks.
CREATE FUNCTION sgz.case_last_visit_refresh(cases text[], years integer[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF cases IS NULL OR cardinality(cases) = 0 THEN
		RETURN;
	END IF;
	-- a row to lock for each, made from one of its visits if missing
	INSERT INTO sgz.case_last_visit (case_no, year, station, visit_date, next_due)
	SELECT k.case_no, k.year, f.station, f.visit_date, f.next_due
	  FROM unnest(cases, years) k(case_no, year)
	 CROSS JOIN LATERAL (SELECT v.station, v.visit_date, v.next_due FROM sgz.visit v
			      WHERE v.case_no = k.case_no AND v.visit_date >= make_date(k.year, 1, 1)
				AND v.visit_date < make_date(k.year + 1, 1, 1)
			      LIMIT 1) f
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.case_last_visit l
			    WHERE l.case_no = k.case_no AND l.year = k.year)
	 ORDER BY k.case_no, k.year
	ON CONFLICT (case_no, year) DO NOTHING;
	PERFORM 1 FROM sgz.case_last_visit l, unnest(cases, years) k(case_no, year)
	  WHERE l.case_no = k.case_no AND l.year = k.year
	  ORDER BY l.case_no, l.year FOR UPDATE OF l;
	UPDATE sgz.case_last_visit l
	   SET station = m.station, visit_date = m.visit_date, next_due = m.next_due
	  FROM (SELECT k.case_no, k.year, f.station, f.visit_date, f.next_due
		  FROM unnest(cases, years) k(case_no, year)
		 CROSS JOIN LATERAL (SELECT v.station, v.visit_date, v.next_due FROM sgz.visit v
				      WHERE v.case_no = k.case_no AND v.visit_date >= make_date(k.year, 1, 1)
					AND v.visit_date < make_date(k.year + 1, 1, 1)
				      ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST LIMIT 1) f) m
	 WHERE l.case_no = m.case_no AND l.year = m.year
	   AND (l.station, l.visit_date, l.next_due) IS DISTINCT FROM (m.station, m.visit_date, m.next_due);
	DELETE FROM sgz.case_last_visit l
	 USING unnest(cases, years) k(case_no, year)
	 WHERE l.case_no = k.case_no AND l.year = k.year
	   AND NOT EXISTS (SELECT 1 FROM sgz.visit v
			    WHERE v.case_no = l.case_no AND v.visit_date >= make_date(l.year, 1, 1)
			      AND v.visit_date < make_date(l.year + 1, 1, 1));
END
$$;

-- Updated or deleted visits: the cases and years whose visits' (station,
-- date, next_due) changed, found again. The transition tables a trigger
-- has depend on its event, hence the SQL is put together here (from
-- constant text only).
CREATE FUNCTION sgz.case_last_visit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	changed CONSTANT text := CASE TG_OP WHEN 'UPDATE' THEN
		'(SELECT case_no, station, visit_date, next_due FROM old_rows
		  EXCEPT ALL SELECT case_no, station, visit_date, next_due FROM new_rows)
		 UNION ALL
		 (SELECT case_no, station, visit_date, next_due FROM new_rows
		  EXCEPT ALL SELECT case_no, station, visit_date, next_due FROM old_rows)'
		ELSE 'SELECT case_no, visit_date FROM old_rows' END;
	cases text[];
	years integer[];
BEGIN
	EXECUTE format($q$
		SELECT array_agg(k.case_no ORDER BY k.case_no, k.year),
		       array_agg(k.year ORDER BY k.case_no, k.year)
		  FROM (SELECT DISTINCT d.case_no, extract(year FROM d.visit_date)::integer AS year
			  FROM (%s) d) k
		$q$, changed) INTO cases, years;
	PERFORM sgz.case_last_visit_refresh(cases, years);
	RETURN NULL;
END
$$;

CREATE FUNCTION sgz.case_last_visit_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.case_last_visit;
	RETURN NULL;
END
$$;

-- Every case's last visit of each year from sgz.visit (which the owner
-- reads whole).
CREATE FUNCTION sgz.case_last_visit_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	LOCK TABLE sgz.case_last_visit IN EXCLUSIVE MODE;
	DELETE FROM sgz.case_last_visit;
	INSERT INTO sgz.case_last_visit (case_no, year, station, visit_date, next_due)
	SELECT DISTINCT ON (v.case_no, extract(year FROM v.visit_date)::integer)
	       v.case_no, extract(year FROM v.visit_date)::integer, v.station, v.visit_date, v.next_due
	  FROM sgz.visit v
	 ORDER BY v.case_no, extract(year FROM v.visit_date)::integer, v.visit_date DESC,
		  v.next_due DESC NULLS LAST;
END
$$;

CREATE TRIGGER case_last_visit_insert AFTER INSERT ON sgz.visit
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_last_visit_insert();
CREATE TRIGGER case_last_visit_update AFTER UPDATE ON sgz.visit
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_last_visit_change();
CREATE TRIGGER case_last_visit_delete AFTER DELETE ON sgz.visit
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_last_visit_change();
CREATE TRIGGER case_last_visit_truncate AFTER TRUNCATE ON sgz.visit
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_last_visit_truncate();

-- Read as the visits are read: by whoever may read them, within the scope.
ALTER TABLE sgz.case_last_visit ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.case_last_visit FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.case_last_visit
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));
GRANT SELECT ON sgz.case_last_visit TO sgz_admin, sgz_region, sgz_county, sgz_station;
REVOKE ALL ON FUNCTION sgz.case_last_visit_insert(), sgz.case_last_visit_change(),
	sgz.case_last_visit_refresh(text[], integer[]), sgz.case_last_visit_truncate(),
	sgz.case_last_visit_rebuild() FROM PUBLIC;

-- The visits there are now, in one statement; on a roll-up, none (the
-- subscriptions copy the provinces').
INSERT INTO sgz.case_last_visit (case_no, year, station, visit_date, next_due)
SELECT DISTINCT ON (v.case_no, extract(year FROM v.visit_date)::integer)
       v.case_no, extract(year FROM v.visit_date)::integer, v.station, v.visit_date, v.next_due
  FROM sgz.visit v
 WHERE NOT coalesce((SELECT n.kind = 'rollup' FROM sgz.rollup_node n), false)
 ORDER BY v.case_no, extract(year FROM v.visit_date)::integer, v.visit_date DESC,
	  v.next_due DESC NULLS LAST;
ANALYZE sgz.case_last_visit;

-- Published to roll-ups, as the visits are (0044's list and this table).
CREATE OR REPLACE FUNCTION sgz.rollup_tables() RETURNS regclass[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT ARRAY['sgz.station', 'sgz.service_point', 'sgz.staff', 'sgz.volunteer',
		     'sgz.activity', 'sgz.hours', 'sgz.hours_year_total', 'sgz.hours_life_total',
		     'sgz.recipient', 'sgz.case_file', 'sgz.visit', 'sgz.contract', 'sgz.evaluation',
		     'sgz.plan', 'sgz.community_org', 'sgz.outreach_visit', 'sgz.supervision',
		     'sgz.resource', 'sgz.training', 'sgz.programme', 'sgz.evaluation_score',
		     'sgz.payment', 'sgz.submission', 'sgz.case_last_visit']::regclass[]
$$;

CREATE OR REPLACE FUNCTION sgz.report_caseload(scope_prefix text, as_of date)
 RETURNS TABLE(worker text, worker_name text, station text, open_cases text, high_risk text, visits_year text, overdue_visits text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH cfg AS (
	SELECT (max(setting.value))::integer AS interval_days
	  FROM sgz.setting
	 WHERE setting.key = 'visit_interval_days'
 ), open_case AS MATERIALIZED (
	-- each open case's last visit on the day: its stored row of the
	-- day's year or the latest before; when that is after the day, its
	-- last visit of the year up to the day, else its row of the year before
	SELECT o.worker_pid, o.opened_on, o.high,
	       CASE WHEN o.stored[1] <= report_caseload.as_of THEN o.stored
		    WHEN o.stored IS NOT NULL THEN COALESCE(
			(SELECT ARRAY[v.visit_date, v.next_due]
			   FROM sgz.visit v
			  WHERE v.case_no = o.case_no
			    AND v.visit_date >= sgz.report_year_start(report_caseload.as_of)
			    AND v.visit_date <= report_caseload.as_of
			  ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST
			  LIMIT 1),
			(SELECT ARRAY[l.visit_date, l.next_due]
			   FROM sgz.case_last_visit l
			  WHERE l.case_no = o.case_no
			    AND l.year < extract(year FROM report_caseload.as_of)::integer
			  ORDER BY l.year DESC
			  LIMIT 1)) END AS last_visit
	  FROM (SELECT c.case_no, c.worker_pid, c.opened_on, c.risk = ANY (ARRAY['high', 'critical']) AS high,
		       (SELECT ARRAY[l.visit_date, l.next_due]
			  FROM sgz.case_last_visit l
			 WHERE l.case_no = c.case_no
			   AND l.year <= extract(year FROM report_caseload.as_of)::integer
			 ORDER BY l.year DESC
			 LIMIT 1) AS stored
		  FROM sgz.case_file c
		 WHERE c.station >= sgz.report_low(report_caseload.scope_prefix)
		   AND c.station <= sgz.report_high(report_caseload.scope_prefix)
		   AND c.opened_on <= report_caseload.as_of
		   AND (c.closed_on IS NULL OR c.closed_on > report_caseload.as_of)
		OFFSET 0) o
 ), tally AS (
	-- by worker: the staff of the scope, the open cases, the year's visits
	SELECT s.pid AS worker_pid, s.id_number, s.name, s.station,
	       s.hired_on <= report_caseload.as_of AND (s.left_on IS NULL OR s.left_on > report_caseload.as_of) AS active,
	       0 AS open_cases, 0 AS high_risk, 0 AS overdue, 0 AS visits
	  FROM sgz.staff_v s
	 WHERE s.station >= sgz.report_low(report_caseload.scope_prefix)
	   AND s.station <= sgz.report_high(report_caseload.scope_prefix)
	UNION ALL
	SELECT oc.worker_pid, NULL, NULL, NULL, false, count(*), count(*) FILTER (WHERE oc.high),
	       count(*) FILTER (WHERE COALESCE(oc.last_visit[2], oc.last_visit[1] + cfg.interval_days,
					       oc.opened_on + cfg.interval_days) < report_caseload.as_of), 0
	  FROM open_case oc CROSS JOIN cfg
	 GROUP BY oc.worker_pid
	UNION ALL
	SELECT COALESCE(v.worker_pid, (SELECT c.worker_pid FROM sgz.case_file c WHERE c.case_no = v.case_no)),
	       NULL, NULL, NULL, false, 0, 0, 0, count(*)
	  FROM sgz.visit v
	 WHERE v.station >= sgz.report_low(report_caseload.scope_prefix)
	   AND v.station <= sgz.report_high(report_caseload.scope_prefix)
	   AND v.visit_date >= sgz.report_year_start(report_caseload.as_of)
	   AND v.visit_date <= report_caseload.as_of
	 GROUP BY 1
 ), per_worker AS (
	SELECT t.worker_pid, max(t.id_number) AS id_number, max(t.name) AS name,
	       max(t.station) AS station, bool_or(t.active) AS active,
	       sum(t.open_cases) AS open_cases, sum(t.high_risk) AS high_risk,
	       sum(t.overdue) AS overdue, sum(t.visits) AS visits
	  FROM tally t
	 GROUP BY t.worker_pid
 )
 SELECT w.id_number, w.name, w.station, w.open_cases::text, w.high_risk::text, w.visits::text,
	w.overdue::text
   FROM per_worker w
  WHERE w.station IS NOT NULL AND (w.active OR w.open_cases > 0 OR w.visits > 0)
  ORDER BY w.station COLLATE "C", w.id_number COLLATE "C", w.worker_pid;
END;
