-- 0005: the reports of spec/csv.md (Reports), one function each, with the
-- definitions of spec/rules.md.
--
-- Every report is sgz.report_NAME(scope_prefix, as_of) and returns exactly
-- the report's columns, in order, as the CSV text (percentages and hours
-- with one decimal, booleans yes/no, unknown NULL), sorted as csv.md says:
--
--   scope_prefix  the significant digits of a division code ('' for
--                 everything, '13', '1301', '130102', '130102001', or 12
--                 digits); NULL matches nothing, as sgz.scope_prefix() does
--                 for a role without a scope. sgz report passes --scope, or
--                 the caller's own sgz.scope_prefix().
--   as_of         the day D the figures are taken on: 31 December of the
--                 year asked for, or today; for progress the last day of the
--                 month. Y is D's year; "in Y" means from 1 January Y to D.
--                 Yearly hours come from running totals by calendar year
--                 (below): exact for those days, since no hours are
--                 recorded after today.
--
-- They are single-SELECT SQL functions, STABLE, neither STRICT nor SECURITY
-- DEFINER, so that the planner inlines them into the caller's query (planned
-- with the actual scope and date) and row-level security applies to the
-- caller; PARALLEL SAFE, because the planner decides on parallel workers
-- before it inlines them. Settings are read once per query (the cfg CTEs),
-- never per row.
--
-- The scope is tested as a range of 12-digit codes, as the policies of 0004
-- do: rpad(prefix, 12, '0') .. rpad(prefix, 12, '9'). Codes of one length
-- sort the same in every collation, so the range is the prefix test, and it
-- can use the indexes. Rows are sorted bytewise (COLLATE "C"): the same
-- order for codes and ID numbers, a fixed one for contract numbers, and the
-- cheapest sort.
--
-- Decisions where rules.md is silent:
-- - Counties: the rows of coverage and progress are the county-level
--   divisions, and the prefecture-level cities without counties (东莞, 中山,
--   儋州), whose townships hang directly under the prefecture: they are
--   grouped by their parent, so a township's county is the first 6 digits
--   of its code padded with zeros, which for those cities is the
--   prefecture's own code. A scope below county level keeps its county's row
--   and counts only what lies within the scope.
-- - A zone (digits 7-9 in 400-599) counts as a township when it has a
--   station counted in stations_planned.
-- - stations_planned counts the stations planned by Y (batch year <= Y) and
--   those established on D whatever their batch year: an established station
--   was planned.
-- - staffing: when several contracts cover a station on D, the one that
--   started last (then the greatest contract_no) binds it; a NULL requirement
--   binds nothing, and both NULL is no requirement (compliant empty).
-- - Scope applies to every row a figure reads, as row-level security does,
--   so --scope X gives an administrator what a user of scope X sees: hours
--   count where they were served (hours.station), cases and visits at their
--   station, staff and volunteers at theirs. Volunteers count from their
--   registration (registered_on <= D).
-- - A case is open on D when opened_on <= D and it was not closed by D
--   (closed_on NULL or > D); it is open at some time in Y when opened_on <= D
--   and closed_on is NULL or >= 1 January Y.
-- - caseload: a worker is a staff member (any role) of a station in scope who
--   is active on D, or holds an open case on D, or made a visit in Y. A
--   visit counts for its worker, else for the case's worker. The last visit
--   is the latest on or before D; of several that day, the latest next_due.
-- - kpi: a percentage target is met by the exact share, not the rounded one;
--   with nobody served the share is unknown and meets only a target of 0.
-- - contracts: the deciding evaluation is the latest annual or final one,
--   whenever it was made (a year is evaluated after it ends); of an annual
--   and a final one on the same day, the final. A contract is in scope when
--   its purchaser or one of its stations is (as 0004's read policy).

-- ---- running totals of volunteer hours ----
--
-- Every volunteer's lifetime hours (hours, stars) would read every hours
-- record: 5,000,000 at province scale, more than the second a report may
-- take. This table keeps the hours per station, volunteer and calendar
-- year up to date, by statement-level triggers on sgz.hours (one aggregate
-- per statement, so a bulk import pays once). Service dates are never in
-- the future, so a year's total is its total as of 31 December and as of
-- today, the days the yearly reports take. (The monthly figure of progress
-- reads sgz.hours: one month of a province is cheap enough, and a second
-- table would cost every import as much again.)
--
-- Like sgz.hours, rows are scoped by the station where the hours were
-- served. They are written only by the triggers (as the owner); a load that
-- bypasses triggers (session_replication_role = replica) must be followed
-- by SELECT sgz.hours_totals_rebuild().

CREATE TABLE sgz.hours_year_total (
	station text NOT NULL,
	volunteer text NOT NULL,
	year smallint NOT NULL,
	tenths integer NOT NULL, -- hours × 10: integer sums are the cheap ones
	records integer NOT NULL,
	PRIMARY KEY (station, volunteer, year)
);

-- Adds the rows of the statement (new_rows) and subtracts those it replaced
-- or deleted (old_rows), in key order, so that concurrent statements lock
-- the totals in the same order; totals left with no records go. The
-- transition tables a trigger has depend on its event, hence the SQL is
-- put together here (from constant text only).
CREATE FUNCTION sgz.hours_totals_apply() RETURNS trigger
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
		SELECT d.station, d.volunteer, extract(year FROM d.service_date),
		       sum(d.tenths), sum(d.records)
		  FROM (%s) d
		 GROUP BY 1, 2, 3
		HAVING sum(d.tenths) <> 0 OR sum(d.records) <> 0
		 ORDER BY 1, 2, 3
		ON CONFLICT (station, volunteer, year) DO UPDATE
		   SET tenths = t.tenths + excluded.tenths, records = t.records + excluded.records
		$q$, delta);
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format($q$
			DELETE FROM sgz.hours_year_total t
			 USING (SELECT DISTINCT station, volunteer,
					extract(year FROM service_date) AS year FROM (%s) o) g
			 WHERE t.station = g.station AND t.volunteer = g.volunteer
			   AND t.year = g.year AND t.records = 0
			$q$, minus);
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION sgz.hours_totals_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total;
	RETURN NULL;
END
$$;

-- Recomputes the totals from sgz.hours (which the owner reads whole).
CREATE FUNCTION sgz.hours_totals_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total;
	INSERT INTO sgz.hours_year_total (station, volunteer, year, tenths, records)
	SELECT h.station, h.volunteer, extract(year FROM h.service_date), sum((h.hours * 10)::int),
	       count(*)
	  FROM sgz.hours h
	 GROUP BY 1, 2, 3;
END
$$;

CREATE TRIGGER hours_totals_insert AFTER INSERT ON sgz.hours
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_totals_apply();
CREATE TRIGGER hours_totals_update AFTER UPDATE ON sgz.hours
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_totals_apply();
CREATE TRIGGER hours_totals_delete AFTER DELETE ON sgz.hours
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_totals_apply();
CREATE TRIGGER hours_totals_truncate AFTER TRUNCATE ON sgz.hours
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_totals_truncate();

SELECT sgz.hours_totals_rebuild();
ANALYZE sgz.hours_year_total;

-- Read as sgz.hours is read: by whoever may read hours, within the scope.
-- Forced, as every scoped table: the triggers write as the owner, within
-- the scope of the session (sgz.scope_prefix() follows session_user), which
-- is where 0004's policies keep the hours they total.
ALTER TABLE sgz.hours_year_total ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.hours_year_total FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.hours_year_total
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));
GRANT SELECT ON sgz.hours_year_total TO sgz_admin, sgz_region, sgz_county, sgz_station;
REVOKE ALL ON FUNCTION sgz.hours_totals_apply(), sgz.hours_totals_truncate(),
	sgz.hours_totals_rebuild() FROM PUBLIC;

-- The bounds of a scope prefix as 12-digit codes. Inlined and folded to
-- constants when the prefix is one.
CREATE FUNCTION sgz.report_low(prefix text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT rpad(prefix, 12, '0')
$$;

CREATE FUNCTION sgz.report_high(prefix text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT rpad(prefix, 12, '9')
$$;

-- 100 × part / whole, one decimal, half away from zero (numeric round());
-- NULL for an empty whole.
CREATE FUNCTION sgz.report_pct(part numeric, whole numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN whole > 0 THEN round(100 * part / whole, 1)::text END
$$;

CREATE FUNCTION sgz.report_yesno(b boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN b THEN 'yes' WHEN NOT b THEN 'no' END
$$;

-- Tenths of hours as hours with one decimal, by integer arithmetic (it
-- runs for every volunteer); none is 0.0.
CREATE FUNCTION sgz.report_hours_text(tenths bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT (coalesce(tenths, 0) / 10)::text || '.' || (coalesce(tenths, 0) % 10)::text
$$;

-- 1 January of d's year, and the first day of d's month.
CREATE FUNCTION sgz.report_year_start(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT make_date(extract(year FROM d)::int, 1, 1)
$$;

CREATE FUNCTION sgz.report_month_start(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT make_date(extract(year FROM d)::int, extract(month FROM d)::int, 1)
$$;

-- The county-level rows of a scope (see above) with their 6-digit key k:
-- counties, and prefectures whose townships hang directly under them.
CREATE FUNCTION sgz.report_counties(scope_prefix text)
RETURNS TABLE (code text, name text, k text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT d.code, d.name, left(d.code, 6)
	  FROM sgz.division d
	 WHERE d.code BETWEEN sgz.report_low(left(scope_prefix, 6))
			  AND sgz.report_high(left(scope_prefix, 6))
	   AND (d.level = 3
		OR (d.level = 2 AND EXISTS (SELECT 1 FROM sgz.division t
					     WHERE t.parent = d.code AND t.level = 4)))
$$;

-- ---- coverage: one row per county ----

CREATE FUNCTION sgz.report_coverage(scope_prefix text, as_of date)
RETURNS TABLE (county_code text, county_name text, townships text, stations_planned text,
	       stations_established text, coverage_pct text, villages text,
	       villages_with_point text, village_coverage_pct text, target_stations text,
	       target_met text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH town AS (
	SELECT left(t.code, 6) AS k,
	       substr(t.code, 7, 3)::int < 400 AS counted,
	       s.township IS NOT NULL
		AND s.status <> 'planned' AND s.established_on <= as_of AS established,
	       s.township IS NOT NULL
		AND (s.batch_year <= extract(year FROM as_of)
		     OR (s.status <> 'planned' AND s.established_on <= as_of)) AS planned
	  FROM sgz.division t
	  LEFT JOIN sgz.station s ON s.township = t.code
	 WHERE t.level = 4
	   AND t.code BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
), town_k AS (
	SELECT k,
	       count(*) FILTER (WHERE counted OR planned) AS townships,
	       count(*) FILTER (WHERE planned) AS planned,
	       count(*) FILTER (WHERE established) AS established
	  FROM town
	 GROUP BY k
), served AS (
	SELECT DISTINCT u.village
	  FROM sgz.service_point p, unnest(p.villages) AS u(village)
	 WHERE p.status <> 'planned' AND p.established_on <= as_of
	   AND p.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
), village_k AS (
	SELECT left(v.code, 6) AS k,
	       count(*) AS villages,
	       count(sv.village) AS with_point
	  FROM sgz.division v
	  LEFT JOIN served sv ON sv.village = v.code
	 WHERE v.level = 5
	   AND v.code BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 GROUP BY 1
)
SELECT c.code,
       c.name,
       coalesce(t.townships, 0)::text,
       coalesce(t.planned, 0)::text,
       coalesce(t.established, 0)::text,
       sgz.report_pct(t.established, t.townships),
       coalesce(v.villages, 0)::text,
       coalesce(v.with_point, 0)::text,
       sgz.report_pct(v.with_point, v.villages),
       pl.stations_target::text,
       sgz.report_yesno(coalesce(t.established, 0) >= pl.stations_target)
  FROM sgz.report_counties(scope_prefix) c
  LEFT JOIN town_k t ON t.k = c.k
  LEFT JOIN village_k v ON v.k = c.k
  LEFT JOIN sgz.plan pl ON pl.division = c.code AND pl.year = extract(year FROM as_of)
 ORDER BY c.code COLLATE "C"
$$;

-- ---- staffing: one row per station ----

CREATE FUNCTION sgz.report_staffing(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, staff text, fulltime text,
	       qualified text, qualified_pct text, overdue_unqualified text,
	       required_staff text, required_qualified text, compliant text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH active AS (
	-- Social-work staff active on D.
	SELECT s.station, s.role, s.hired_on,
	       s.qualification <> 'none' AND s.qualified_on <= as_of AS qualified
	  FROM sgz.staff s
	 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.role NOT IN ('coordinator', 'assistant')
	   AND s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of)
), per AS (
	SELECT station,
	       count(*) AS staff,
	       count(*) FILTER (WHERE role IN ('head', 'fulltime', 'resident')) AS fulltime,
	       count(*) FILTER (WHERE qualified) AS qualified,
	       count(*) FILTER (WHERE NOT qualified
				 AND (hired_on + interval '2 years')::date < as_of) AS overdue
	  FROM active
	 GROUP BY station
), req AS (
	-- The contract that binds each station on D.
	SELECT DISTINCT ON (u.township) u.township, c.required_staff, c.required_qualified
	  FROM sgz.contract c, unnest(c.stations) AS u(township)
	 WHERE c.starts_on <= as_of AND c.ends_on >= as_of
	   AND u.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 ORDER BY u.township, c.starts_on DESC, c.contract_no COLLATE "C" DESC
)
SELECT t.township,
       t.name,
       coalesce(p.staff, 0)::text,
       coalesce(p.fulltime, 0)::text,
       coalesce(p.qualified, 0)::text,
       sgz.report_pct(p.qualified, p.staff),
       coalesce(p.overdue, 0)::text,
       r.required_staff::text,
       r.required_qualified::text,
       CASE WHEN r.required_staff IS NOT NULL OR r.required_qualified IS NOT NULL THEN
	       sgz.report_yesno(coalesce(p.staff, 0) >= coalesce(r.required_staff, 0)
				AND coalesce(p.qualified, 0) >= coalesce(r.required_qualified, 0))
       END
  FROM sgz.station t
  LEFT JOIN per p ON p.station = t.township
  LEFT JOIN req r ON r.township = t.township
 WHERE t.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
 ORDER BY t.township COLLATE "C"
$$;

-- ---- hours: one row per volunteer ----

CREATE FUNCTION sgz.report_hours(scope_prefix text, as_of date)
RETURNS TABLE (id_number text, name text, station text, hours_year text, hours_total text,
	       star text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH cfg AS (
	-- The star thresholds in tenths of hours.
	SELECT ceil(10 * max(value) FILTER (WHERE key = 'star1_hours'))::bigint AS s1,
	       ceil(10 * max(value) FILTER (WHERE key = 'star2_hours'))::bigint AS s2,
	       ceil(10 * max(value) FILTER (WHERE key = 'star3_hours'))::bigint AS s3,
	       ceil(10 * max(value) FILTER (WHERE key = 'star4_hours'))::bigint AS s4,
	       ceil(10 * max(value) FILTER (WHERE key = 'star5_hours'))::bigint AS s5
	  FROM sgz.setting
), h AS (
	-- Each volunteer's hours in Y and up to Y, where served in scope.
	SELECT t.volunteer,
	       sum(t.tenths) FILTER (WHERE t.year = extract(year FROM as_of)::int) AS y,
	       sum(t.tenths) AS total
	  FROM sgz.hours_year_total t
	 WHERE t.year <= extract(year FROM as_of)::int
	   AND t.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 GROUP BY t.volunteer
)
SELECT v.id_number,
       v.name,
       v.station,
       sgz.report_hours_text(h.y),
       sgz.report_hours_text(h.total),
       (CASE WHEN h.total >= cfg.s5 THEN 5
	     WHEN h.total >= cfg.s4 THEN 4
	     WHEN h.total >= cfg.s3 THEN 3
	     WHEN h.total >= cfg.s2 THEN 2
	     WHEN h.total >= cfg.s1 THEN 1
	     ELSE 0 END)::text
  FROM sgz.volunteer v
  LEFT JOIN h ON h.volunteer = v.id_number
 CROSS JOIN cfg
 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
   AND v.registered_on <= as_of
 ORDER BY v.station COLLATE "C", v.id_number COLLATE "C"
$$;

-- ---- stars: one row per station ----

CREATE FUNCTION sgz.report_stars(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, volunteers text,
	       active_volunteers text, hours_year text, star1 text, star2 text, star3 text,
	       star4 text, star5 text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH cfg AS (
	-- The star thresholds in tenths of hours.
	SELECT ceil(10 * max(value) FILTER (WHERE key = 'star1_hours'))::bigint AS s1,
	       ceil(10 * max(value) FILTER (WHERE key = 'star2_hours'))::bigint AS s2,
	       ceil(10 * max(value) FILTER (WHERE key = 'star3_hours'))::bigint AS s3,
	       ceil(10 * max(value) FILTER (WHERE key = 'star4_hours'))::bigint AS s4,
	       ceil(10 * max(value) FILTER (WHERE key = 'star5_hours'))::bigint AS s5
	  FROM sgz.setting
), h AS (
	-- Each volunteer's hours in Y and up to Y, where served in scope.
	SELECT t.volunteer,
	       sum(t.tenths) FILTER (WHERE t.year = extract(year FROM as_of)::int) AS y,
	       sum(t.tenths) AS total
	  FROM sgz.hours_year_total t
	 WHERE t.year <= extract(year FROM as_of)::int
	   AND t.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 GROUP BY t.volunteer
), lv AS (
	-- Each registered volunteer's hours in Y (NULL: not active) and level.
	SELECT v.station, h.y,
	       CASE WHEN h.total >= cfg.s5 THEN 5
		    WHEN h.total >= cfg.s4 THEN 4
		    WHEN h.total >= cfg.s3 THEN 3
		    WHEN h.total >= cfg.s2 THEN 2
		    WHEN h.total >= cfg.s1 THEN 1
		    ELSE 0 END AS star
	  FROM sgz.volunteer v
	  LEFT JOIN h ON h.volunteer = v.id_number
	 CROSS JOIN cfg
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.registered_on <= as_of
), per AS (
	SELECT station,
	       count(*) AS volunteers,
	       count(y) AS active,
	       sum(y)::bigint AS y,
	       count(*) FILTER (WHERE star = 1) AS s1,
	       count(*) FILTER (WHERE star = 2) AS s2,
	       count(*) FILTER (WHERE star = 3) AS s3,
	       count(*) FILTER (WHERE star = 4) AS s4,
	       count(*) FILTER (WHERE star = 5) AS s5
	  FROM lv
	 GROUP BY station
)
SELECT t.township,
       t.name,
       coalesce(p.volunteers, 0)::text,
       coalesce(p.active, 0)::text,
       sgz.report_hours_text(p.y),
       coalesce(p.s1, 0)::text,
       coalesce(p.s2, 0)::text,
       coalesce(p.s3, 0)::text,
       coalesce(p.s4, 0)::text,
       coalesce(p.s5, 0)::text
  FROM sgz.station t
  LEFT JOIN per p ON p.station = t.township
 WHERE t.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
 ORDER BY t.township COLLATE "C"
$$;

-- ---- caseload: one row per worker ----

CREATE FUNCTION sgz.report_caseload(scope_prefix text, as_of date)
RETURNS TABLE (worker text, worker_name text, station text, open_cases text,
	       high_risk text, visits_year text, overdue_visits text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH cfg AS (
	SELECT max(value)::int AS interval_days FROM sgz.setting WHERE key = 'visit_interval_days'
), open_case AS NOT MATERIALIZED (
	SELECT c.case_no, c.worker, c.opened_on, c.risk IN ('high', 'critical') AS high
	  FROM sgz.case_file c
	 WHERE c.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND c.opened_on <= as_of AND (c.closed_on IS NULL OR c.closed_on > as_of)
), last_visit AS (
	SELECT DISTINCT ON (v.case_no) v.case_no, v.visit_date, v.next_due
	  FROM sgz.visit v
	  JOIN open_case oc ON oc.case_no = v.case_no
	 WHERE v.visit_date <= as_of
	 ORDER BY v.case_no, v.visit_date DESC, v.next_due DESC NULLS LAST
), per_case AS (
	-- Due: the last visit's next_due, else its date + the interval, else
	-- the opening + the interval; overdue when before D.
	SELECT oc.worker,
	       count(*) AS open_cases,
	       count(*) FILTER (WHERE oc.high) AS high_risk,
	       count(*) FILTER (WHERE coalesce(lv.next_due, lv.visit_date + cfg.interval_days,
					       oc.opened_on + cfg.interval_days) < as_of) AS overdue
	  FROM open_case oc
	  LEFT JOIN last_visit lv ON lv.case_no = oc.case_no
	 CROSS JOIN cfg
	 GROUP BY oc.worker
), per_visit AS (
	SELECT coalesce(v.worker, c.worker) AS worker, count(*) AS visits
	  FROM sgz.visit v
	  JOIN sgz.case_file c ON c.case_no = v.case_no
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.visit_date >= sgz.report_year_start(as_of) AND v.visit_date <= as_of
	 GROUP BY 1
)
SELECT s.id_number,
       s.name,
       s.station,
       coalesce(pc.open_cases, 0)::text,
       coalesce(pc.high_risk, 0)::text,
       coalesce(pv.visits, 0)::text,
       coalesce(pc.overdue, 0)::text
  FROM sgz.staff s
  LEFT JOIN per_case pc ON pc.worker = s.id_number
  LEFT JOIN per_visit pv ON pv.worker = s.id_number
 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
   AND ((s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of))
	OR pc.worker IS NOT NULL OR pv.worker IS NOT NULL)
 ORDER BY s.station COLLATE "C", s.id_number COLLATE "C"
$$;

-- ---- kpi: one row per station ----

CREATE FUNCTION sgz.report_kpi(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, recipients_served text,
	       individual_pct text, households_visited text, large_events text,
	       small_events text, trainings text, volunteer_hours text, meets_targets text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH cfg AS (
	SELECT max(value) FILTER (WHERE key = 'target_recipients_served') AS served,
	       max(value) FILTER (WHERE key = 'target_individual_pct') AS individual_pct,
	       max(value) FILTER (WHERE key = 'target_large_events') AS large,
	       max(value) FILTER (WHERE key = 'target_small_events') AS small,
	       max(value) FILTER (WHERE key = 'target_trainings') AS trainings
	  FROM sgz.setting
), served AS (
	SELECT c.station,
	       count(DISTINCT c.recipient) AS served,
	       count(DISTINCT c.recipient) FILTER (WHERE c.method = 'individual') AS individual
	  FROM sgz.case_file c
	 WHERE c.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND c.opened_on <= as_of
	   AND (c.closed_on IS NULL OR c.closed_on >= sgz.report_year_start(as_of))
	 GROUP BY c.station
), visited AS (
	SELECT v.station, count(DISTINCT c.recipient) AS households
	  FROM sgz.visit v
	  JOIN sgz.case_file c ON c.case_no = v.case_no
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.kind = 'home_visit'
	   AND v.visit_date >= sgz.report_year_start(as_of) AND v.visit_date <= as_of
	 GROUP BY v.station
), act AS (
	SELECT a.station,
	       count(*) FILTER (WHERE a.kind = 'large_event') AS large,
	       count(*) FILTER (WHERE a.kind = 'small_event') AS small,
	       count(*) FILTER (WHERE a.kind = 'training') AS trainings
	  FROM sgz.activity a
	 WHERE a.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND a.date >= sgz.report_year_start(as_of) AND a.date <= as_of
	 GROUP BY a.station
), hrs AS (
	SELECT t.station, sum(t.tenths) AS tenths
	  FROM sgz.hours_year_total t
	 WHERE t.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND t.year = extract(year FROM as_of)::int
	 GROUP BY t.station
), per AS (
	SELECT t.township, t.name,
	       coalesce(s.served, 0) AS served, coalesce(s.individual, 0) AS individual,
	       coalesce(vi.households, 0) AS households,
	       coalesce(a.large, 0) AS large, coalesce(a.small, 0) AS small,
	       coalesce(a.trainings, 0) AS trainings, h.tenths
	  FROM sgz.station t
	  LEFT JOIN served s ON s.station = t.township
	  LEFT JOIN visited vi ON vi.station = t.township
	  LEFT JOIN act a ON a.station = t.township
	  LEFT JOIN hrs h ON h.station = t.township
	 WHERE t.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
)
SELECT p.township,
       p.name,
       p.served::text,
       sgz.report_pct(p.individual, p.served),
       p.households::text,
       p.large::text,
       p.small::text,
       p.trainings::text,
       sgz.report_hours_text(p.tenths),
       sgz.report_yesno(p.served >= cfg.served
			AND (cfg.individual_pct <= 0
			     OR (p.served > 0 AND 100 * p.individual >= cfg.individual_pct * p.served))
			AND p.large >= cfg.large AND p.small >= cfg.small
			AND p.trainings >= cfg.trainings)
  FROM per p
 CROSS JOIN cfg
 ORDER BY p.township COLLATE "C"
$$;

-- ---- contracts: one row per contract year ----

CREATE FUNCTION sgz.report_contracts(scope_prefix text, as_of date)
RETURNS TABLE (contract_no text, organization text, purchaser text, year_no text,
	       amount text, score text, grade text, decision text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH cfg AS (
	SELECT max(value) FILTER (WHERE key = 'grade_excellent') AS excellent,
	       max(value) FILTER (WHERE key = 'grade_good') AS good,
	       max(value) FILTER (WHERE key = 'grade_pass') AS pass
	  FROM sgz.setting
), c AS (
	SELECT c.contract_no, c.organization, c.purchaser, c.year_no, c.amount
	  FROM sgz.contract c
	 WHERE c.cycle_start + c.year_no - 1 = extract(year FROM as_of)
	   AND (c.purchaser BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
		OR EXISTS (SELECT 1 FROM unnest(c.stations) AS u(township)
			    WHERE u.township BETWEEN sgz.report_low(scope_prefix)
						 AND sgz.report_high(scope_prefix)))
), deciding AS (
	SELECT DISTINCT ON (e.contract_no) e.contract_no, e.score
	  FROM sgz.evaluation e
	 WHERE e.kind IN ('annual', 'final') AND e.contract_no IN (SELECT contract_no FROM c)
	 ORDER BY e.contract_no, e.evaluated_on DESC, e.kind = 'final' DESC
), graded AS (
	SELECT c.*, d.score,
	       CASE WHEN d.score IS NULL THEN NULL
		    WHEN d.score >= cfg.excellent THEN 'excellent'
		    WHEN d.score >= cfg.good THEN 'good'
		    WHEN d.score >= cfg.pass THEN 'pass'
		    ELSE 'fail' END AS grade
	  FROM c
	  LEFT JOIN deciding d ON d.contract_no = c.contract_no
	 CROSS JOIN cfg
)
SELECT g.contract_no,
       g.organization,
       g.purchaser,
       g.year_no::text,
       g.amount::text,
       g.score::text,
       g.grade,
       CASE WHEN g.grade IS NULL THEN 'pending'
	    WHEN g.grade = 'fail' THEN 'reprocure'
	    WHEN g.year_no < 3 THEN 'renew'
	    ELSE 'cycle_end' END
  FROM graded g
 ORDER BY g.contract_no COLLATE "C"
$$;

-- ---- progress: one row per county, for a month (as_of = its last day) ----

CREATE FUNCTION sgz.report_progress(scope_prefix text, as_of date)
RETURNS TABLE (county_code text, county_name text, month text, stations_cum text,
	       stations_month text, service_points_cum text, staff_cum text,
	       qualified_cum text, volunteers_cum text, hours_month text, open_cases text,
	       visits_month text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
WITH st AS (
	SELECT left(s.township, 6) AS k,
	       count(*) AS cum,
	       count(*) FILTER (WHERE s.established_on >= sgz.report_month_start(as_of)) AS month
	  FROM sgz.station s
	 WHERE s.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.status <> 'planned' AND s.established_on <= as_of
	 GROUP BY 1
), sp AS (
	SELECT left(p.station, 6) AS k, count(*) AS cum
	  FROM sgz.service_point p
	 WHERE p.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND p.status <> 'planned' AND p.established_on <= as_of
	 GROUP BY 1
), sf AS (
	SELECT left(s.station, 6) AS k,
	       count(*) AS cum,
	       count(*) FILTER (WHERE s.qualification <> 'none' AND s.qualified_on <= as_of)
		       AS qualified
	  FROM sgz.staff s
	 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.role NOT IN ('coordinator', 'assistant')
	   AND s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of)
	 GROUP BY 1
), vo AS (
	SELECT left(v.station, 6) AS k, count(*) AS cum
	  FROM sgz.volunteer v
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.registered_on <= as_of
	 GROUP BY 1
), hr AS (
	SELECT left(h.station, 6) AS k, sum((h.hours * 10)::int) AS tenths
	  FROM sgz.hours h
	 WHERE h.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND h.service_date >= sgz.report_month_start(as_of) AND h.service_date <= as_of
	 GROUP BY 1
), oc AS (
	SELECT left(c.station, 6) AS k, count(*) AS open
	  FROM sgz.case_file c
	 WHERE c.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND c.opened_on <= as_of AND (c.closed_on IS NULL OR c.closed_on > as_of)
	 GROUP BY 1
), vm AS (
	SELECT left(v.station, 6) AS k, count(*) AS visits
	  FROM sgz.visit v
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.visit_date >= sgz.report_month_start(as_of) AND v.visit_date <= as_of
	 GROUP BY 1
)
SELECT c.code,
       c.name,
       to_char(as_of, 'YYYY-MM'),
       coalesce(st.cum, 0)::text,
       coalesce(st.month, 0)::text,
       coalesce(sp.cum, 0)::text,
       coalesce(sf.cum, 0)::text,
       coalesce(sf.qualified, 0)::text,
       coalesce(vo.cum, 0)::text,
       sgz.report_hours_text(hr.tenths),
       coalesce(oc.open, 0)::text,
       coalesce(vm.visits, 0)::text
  FROM sgz.report_counties(scope_prefix) c
  LEFT JOIN st ON st.k = c.k
  LEFT JOIN sp ON sp.k = c.k
  LEFT JOIN sf ON sf.k = c.k
  LEFT JOIN vo ON vo.k = c.k
  LEFT JOIN hr ON hr.k = c.k
  LEFT JOIN oc ON oc.k = c.k
  LEFT JOIN vm ON vm.k = c.k
 ORDER BY c.code COLLATE "C"
$$;
