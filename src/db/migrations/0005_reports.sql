-- 0005: the reports of spec/csv.md (Reports), one function each, with the
-- definitions of spec/rules.md.
--
-- Every function is report_NAME(scope_prefix, as_of) and returns exactly the
-- report's columns, in order, as the CSV text (percentages and hours with one
-- decimal, booleans yes/no, unknown NULL), sorted as csv.md says:
--
--   scope_prefix  the significant digits of a division code ('13', '1301',
--                 '130102', '130102001'); '' or NULL for every row the
--                 caller may see.
--   as_of         the day D the figures are taken on: 31 December of the
--                 year asked for, or today; for progress the last day of the
--                 month. "In Y" means from 1 January of D's year up to D.
--
-- They are single-SELECT SQL functions, STABLE, not STRICT and SECURITY
-- INVOKER, so that the planner inlines them into the caller's query (and
-- plans them with the actual scope and date), and row-level security applies
-- to the caller. Settings are read once per query (the cfg CTEs), never per
-- row.
--
-- Decisions where rules.md is silent:
-- - Counties: the rows of coverage and progress are the county-level
--   divisions, and the prefecture-level cities without counties (东莞, 中山,
--   儋州), whose townships hang directly under the prefecture: a township's
--   county is the first 6 digits of its code padded with zeros, which is the
--   prefecture's own code for those cities. A scope below county level keeps
--   the county's row and counts only what lies within the scope.
-- - A zone (digits 7-9 in 400-599) counts as a township when it has a station
--   that is planned by Y or established on D (as the stations counted).
-- - stations_planned counts the stations planned by Y (batch year <= Y) and
--   those established on D whatever their batch year: an established station
--   was planned.
-- - staffing: when several contracts cover a station on D, the one that
--   started last (then the greatest contract_no) binds it; a NULL requirement
--   of that contract binds nothing, and both NULL is no requirement.
-- - Volunteers count from their registration: hours and stars list the
--   volunteers registered on or before D. A volunteer's hours are all their
--   records (wherever served); kpi.volunteer_hours are the hours served at
--   the station.
-- - A case is open on D when opened_on <= D and it was not closed by D
--   (closed_on NULL or > D); it is open at some time in Y when opened_on <= D
--   and closed_on is NULL or >= 1 January Y.
-- - caseload: a worker is a staff member (any role) of a station in scope who
--   is active on D, or holds an open case on D, or made a visit in Y. A
--   visit is the visit's worker's, else the case's worker's. The last visit
--   is the latest on or before D; of several that day, the latest next_due.
-- - contracts: the deciding evaluation is the latest annual or final one
--   whenever it was made (evaluations of a year come after it); of an annual
--   and a final one on the same day, the final. A contract is in scope when
--   its purchaser or one of its stations is.

-- The county-level rows of a scope (see above), with their 6-digit key.
CREATE FUNCTION sgz.report_counties(scope_prefix text)
RETURNS TABLE (code text, name text, k text)
LANGUAGE sql STABLE AS $$
	SELECT d.code, d.name, substr(d.code, 1, 6)
	  FROM sgz.division d
	 WHERE substr(d.code, 1, 6) LIKE left(coalesce(scope_prefix, ''), 6) || '%'
	   AND (d.level = 3
		OR (d.level = 2 AND EXISTS (SELECT 1 FROM sgz.division t
					     WHERE t.parent = d.code AND t.level = 4)))
$$;

-- 100 × part / whole, one decimal, half away from zero; NULL for an empty
-- whole. Pure arithmetic: inlined.
CREATE FUNCTION sgz.report_pct(part numeric, whole numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN whole > 0 THEN round(100 * part / whole, 1)::text END
$$;

CREATE FUNCTION sgz.report_yesno(b boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN b THEN 'yes' WHEN NOT b THEN 'no' END
$$;

-- 1 January of d's year, and the first day of d's month, as dates.
CREATE FUNCTION sgz.report_year_start(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT make_date(extract(year FROM d)::int, 1, 1)
$$;

CREATE FUNCTION sgz.report_month_start(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT make_date(extract(year FROM d)::int, extract(month FROM d)::int, 1)
$$;

-- ---- coverage: one row per county ----

CREATE FUNCTION sgz.report_coverage(scope_prefix text, as_of date)
RETURNS TABLE (county_code text, county_name text, townships text, stations_planned text,
	       stations_established text, coverage_pct text, villages text,
	       villages_with_point text, village_coverage_pct text, target_stations text,
	       target_met text)
LANGUAGE sql STABLE AS $$
WITH town AS (
	SELECT substr(t.code, 1, 6) AS k,
	       substr(t.code, 7, 3)::int < 400 AS counted,
	       s.township IS NOT NULL
		AND (s.batch_year <= extract(year FROM as_of)
		     OR (s.status <> 'planned' AND s.established_on <= as_of)) AS planned,
	       s.township IS NOT NULL
		AND s.status <> 'planned' AND s.established_on <= as_of AS established
	  FROM sgz.division t
	  LEFT JOIN sgz.station s ON s.township = t.code
	 WHERE t.level = 4 AND t.code LIKE coalesce(scope_prefix, '') || '%'
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
	   AND p.station LIKE coalesce(scope_prefix, '') || '%'
), village_k AS (
	SELECT substr(v.code, 1, 6) AS k,
	       count(*) AS villages,
	       count(sv.village) AS with_point
	  FROM sgz.division v
	  LEFT JOIN served sv ON sv.village = v.code
	 WHERE v.level = 5 AND v.code LIKE coalesce(scope_prefix, '') || '%'
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
LANGUAGE sql STABLE AS $$
WITH active AS (
	SELECT s.station, s.role, s.hired_on,
	       s.qualification <> 'none' AND s.qualified_on <= as_of AS qualified
	  FROM sgz.staff s
	 WHERE s.station LIKE coalesce(scope_prefix, '') || '%'
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
	SELECT DISTINCT ON (u.township) u.township, c.required_staff, c.required_qualified
	  FROM sgz.contract c, unnest(c.stations) AS u(township)
	 WHERE c.starts_on <= as_of AND c.ends_on >= as_of
	   AND u.township LIKE coalesce(scope_prefix, '') || '%'
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
 WHERE t.township LIKE coalesce(scope_prefix, '') || '%'
 ORDER BY t.township COLLATE "C"
$$;

-- ---- hours: one row per volunteer ----

CREATE FUNCTION sgz.report_hours(scope_prefix text, as_of date)
RETURNS TABLE (id_number text, name text, station text, hours_year text, hours_total text,
	       star text)
LANGUAGE sql STABLE AS $$
WITH cfg AS (
	SELECT max(value) FILTER (WHERE key = 'star1_hours') AS s1,
	       max(value) FILTER (WHERE key = 'star2_hours') AS s2,
	       max(value) FILTER (WHERE key = 'star3_hours') AS s3,
	       max(value) FILTER (WHERE key = 'star4_hours') AS s4,
	       max(value) FILTER (WHERE key = 'star5_hours') AS s5
	  FROM sgz.setting
), vol AS (
	SELECT v.id_number, v.name, v.station
	  FROM sgz.volunteer v
	 WHERE v.station LIKE coalesce(scope_prefix, '') || '%' AND v.registered_on <= as_of
), h AS (
	SELECT h.volunteer,
	       sum(h.hours) FILTER (WHERE h.service_date >= sgz.report_year_start(as_of)) AS y,
	       sum(h.hours) AS total
	  FROM sgz.hours h
	 WHERE h.service_date <= as_of
	   AND h.volunteer IN (SELECT id_number FROM vol)
	 GROUP BY h.volunteer
)
SELECT v.id_number,
       v.name,
       v.station,
       round(coalesce(h.y, 0), 1)::text,
       round(coalesce(h.total, 0), 1)::text,
       (CASE WHEN h.total >= cfg.s5 THEN 5
	     WHEN h.total >= cfg.s4 THEN 4
	     WHEN h.total >= cfg.s3 THEN 3
	     WHEN h.total >= cfg.s2 THEN 2
	     WHEN h.total >= cfg.s1 THEN 1
	     ELSE 0 END)::text
  FROM vol v
  LEFT JOIN h ON h.volunteer = v.id_number
 CROSS JOIN cfg
 ORDER BY v.station COLLATE "C", v.id_number COLLATE "C"
$$;

-- ---- stars: one row per station ----

CREATE FUNCTION sgz.report_stars(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, volunteers text,
	       active_volunteers text, hours_year text, star1 text, star2 text, star3 text,
	       star4 text, star5 text)
LANGUAGE sql STABLE AS $$
WITH cfg AS (
	SELECT max(value) FILTER (WHERE key = 'star1_hours') AS s1,
	       max(value) FILTER (WHERE key = 'star2_hours') AS s2,
	       max(value) FILTER (WHERE key = 'star3_hours') AS s3,
	       max(value) FILTER (WHERE key = 'star4_hours') AS s4,
	       max(value) FILTER (WHERE key = 'star5_hours') AS s5
	  FROM sgz.setting
), vol AS (
	SELECT v.id_number, v.station
	  FROM sgz.volunteer v
	 WHERE v.station LIKE coalesce(scope_prefix, '') || '%' AND v.registered_on <= as_of
), h AS (
	SELECT h.volunteer,
	       sum(h.hours) FILTER (WHERE h.service_date >= sgz.report_year_start(as_of)) AS y,
	       sum(h.hours) AS total
	  FROM sgz.hours h
	 WHERE h.service_date <= as_of
	   AND h.volunteer IN (SELECT id_number FROM vol)
	 GROUP BY h.volunteer
), lv AS (
	SELECT v.station, h.y,
	       CASE WHEN h.total >= cfg.s5 THEN 5
		    WHEN h.total >= cfg.s4 THEN 4
		    WHEN h.total >= cfg.s3 THEN 3
		    WHEN h.total >= cfg.s2 THEN 2
		    WHEN h.total >= cfg.s1 THEN 1
		    ELSE 0 END AS star
	  FROM vol v
	  LEFT JOIN h ON h.volunteer = v.id_number
	 CROSS JOIN cfg
), per AS (
	SELECT station,
	       count(*) AS volunteers,
	       count(*) FILTER (WHERE y IS NOT NULL) AS active,
	       sum(y) AS y,
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
       round(coalesce(p.y, 0), 1)::text,
       coalesce(p.s1, 0)::text,
       coalesce(p.s2, 0)::text,
       coalesce(p.s3, 0)::text,
       coalesce(p.s4, 0)::text,
       coalesce(p.s5, 0)::text
  FROM sgz.station t
  LEFT JOIN per p ON p.station = t.township
 WHERE t.township LIKE coalesce(scope_prefix, '') || '%'
 ORDER BY t.township COLLATE "C"
$$;

-- ---- caseload: one row per worker ----

CREATE FUNCTION sgz.report_caseload(scope_prefix text, as_of date)
RETURNS TABLE (worker text, worker_name text, station text, open_cases text,
	       high_risk text, visits_year text, overdue_visits text)
LANGUAGE sql STABLE AS $$
WITH cfg AS (
	SELECT max(value)::int AS interval_days FROM sgz.setting WHERE key = 'visit_interval_days'
), staff AS (
	SELECT s.id_number, s.name, s.station,
	       s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of) AS active
	  FROM sgz.staff s
	 WHERE s.station LIKE coalesce(scope_prefix, '') || '%'
), open_case AS (
	SELECT c.case_no, c.worker, c.opened_on, c.risk IN ('high', 'critical') AS high
	  FROM sgz.case_file c
	 WHERE c.opened_on <= as_of AND (c.closed_on IS NULL OR c.closed_on > as_of)
	   AND c.worker IN (SELECT id_number FROM staff)
), last_visit AS (
	SELECT DISTINCT ON (v.case_no) v.case_no, v.visit_date, v.next_due
	  FROM sgz.visit v
	 WHERE v.visit_date <= as_of AND v.case_no IN (SELECT case_no FROM open_case)
	 ORDER BY v.case_no, v.visit_date DESC, v.next_due DESC NULLS LAST
), per_case AS (
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
	 WHERE v.visit_date >= sgz.report_year_start(as_of) AND v.visit_date <= as_of
	   AND coalesce(v.worker, c.worker) IN (SELECT id_number FROM staff)
	 GROUP BY 1
)
SELECT s.id_number,
       s.name,
       s.station,
       coalesce(pc.open_cases, 0)::text,
       coalesce(pc.high_risk, 0)::text,
       coalesce(pv.visits, 0)::text,
       coalesce(pc.overdue, 0)::text
  FROM staff s
  LEFT JOIN per_case pc ON pc.worker = s.id_number
  LEFT JOIN per_visit pv ON pv.worker = s.id_number
 WHERE s.active OR pc.worker IS NOT NULL OR pv.worker IS NOT NULL
 ORDER BY s.station COLLATE "C", s.id_number COLLATE "C"
$$;

-- ---- kpi: one row per station ----

CREATE FUNCTION sgz.report_kpi(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, recipients_served text,
	       individual_pct text, households_visited text, large_events text,
	       small_events text, trainings text, volunteer_hours text, meets_targets text)
LANGUAGE sql STABLE AS $$
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
	 WHERE c.station LIKE coalesce(scope_prefix, '') || '%'
	   AND c.opened_on <= as_of
	   AND (c.closed_on IS NULL OR c.closed_on >= sgz.report_year_start(as_of))
	 GROUP BY c.station
), visited AS (
	SELECT v.station, count(DISTINCT c.recipient) AS households
	  FROM sgz.visit v
	  JOIN sgz.case_file c ON c.case_no = v.case_no
	 WHERE v.station LIKE coalesce(scope_prefix, '') || '%' AND v.kind = 'home_visit'
	   AND v.visit_date >= sgz.report_year_start(as_of) AND v.visit_date <= as_of
	 GROUP BY v.station
), act AS (
	SELECT a.station,
	       count(*) FILTER (WHERE a.kind = 'large_event') AS large,
	       count(*) FILTER (WHERE a.kind = 'small_event') AS small,
	       count(*) FILTER (WHERE a.kind = 'training') AS trainings
	  FROM sgz.activity a
	 WHERE a.station LIKE coalesce(scope_prefix, '') || '%'
	   AND a.date >= sgz.report_year_start(as_of) AND a.date <= as_of
	 GROUP BY a.station
), hrs AS (
	SELECT h.station, sum(h.hours) AS hours
	  FROM sgz.hours h
	 WHERE h.station LIKE coalesce(scope_prefix, '') || '%'
	   AND h.service_date >= sgz.report_year_start(as_of) AND h.service_date <= as_of
	 GROUP BY h.station
), per AS (
	SELECT t.township, t.name,
	       coalesce(s.served, 0) AS served, coalesce(s.individual, 0) AS individual,
	       coalesce(vi.households, 0) AS households,
	       coalesce(a.large, 0) AS large, coalesce(a.small, 0) AS small,
	       coalesce(a.trainings, 0) AS trainings, coalesce(h.hours, 0) AS hours
	  FROM sgz.station t
	  LEFT JOIN served s ON s.station = t.township
	  LEFT JOIN visited vi ON vi.station = t.township
	  LEFT JOIN act a ON a.station = t.township
	  LEFT JOIN hrs h ON h.station = t.township
	 WHERE t.township LIKE coalesce(scope_prefix, '') || '%'
)
SELECT p.township,
       p.name,
       p.served::text,
       sgz.report_pct(p.individual, p.served),
       p.households::text,
       p.large::text,
       p.small::text,
       p.trainings::text,
       round(p.hours, 1)::text,
       -- An unknown share (nobody served) meets only a target of 0.
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
LANGUAGE sql STABLE AS $$
WITH cfg AS (
	SELECT max(value) FILTER (WHERE key = 'grade_excellent') AS excellent,
	       max(value) FILTER (WHERE key = 'grade_good') AS good,
	       max(value) FILTER (WHERE key = 'grade_pass') AS pass
	  FROM sgz.setting
), c AS (
	SELECT c.contract_no, c.organization, c.purchaser, c.year_no, c.amount
	  FROM sgz.contract c
	 WHERE c.cycle_start + c.year_no - 1 = extract(year FROM as_of)
	   AND (c.purchaser LIKE coalesce(scope_prefix, '') || '%'
		OR EXISTS (SELECT 1 FROM unnest(c.stations) AS u(township)
			    WHERE u.township LIKE coalesce(scope_prefix, '') || '%'))
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
LANGUAGE sql STABLE AS $$
WITH st AS (
	SELECT substr(s.township, 1, 6) AS k,
	       count(*) AS cum,
	       count(*) FILTER (WHERE s.established_on >= sgz.report_month_start(as_of)) AS month
	  FROM sgz.station s
	 WHERE s.township LIKE coalesce(scope_prefix, '') || '%'
	   AND s.status <> 'planned' AND s.established_on <= as_of
	 GROUP BY 1
), sp AS (
	SELECT substr(p.station, 1, 6) AS k, count(*) AS cum
	  FROM sgz.service_point p
	 WHERE p.station LIKE coalesce(scope_prefix, '') || '%'
	   AND p.status <> 'planned' AND p.established_on <= as_of
	 GROUP BY 1
), sf AS (
	SELECT substr(s.station, 1, 6) AS k,
	       count(*) AS cum,
	       count(*) FILTER (WHERE s.qualification <> 'none' AND s.qualified_on <= as_of)
		       AS qualified
	  FROM sgz.staff s
	 WHERE s.station LIKE coalesce(scope_prefix, '') || '%'
	   AND s.role NOT IN ('coordinator', 'assistant')
	   AND s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of)
	 GROUP BY 1
), vo AS (
	SELECT substr(v.station, 1, 6) AS k, count(*) AS cum
	  FROM sgz.volunteer v
	 WHERE v.station LIKE coalesce(scope_prefix, '') || '%' AND v.registered_on <= as_of
	 GROUP BY 1
), hr AS (
	SELECT substr(h.station, 1, 6) AS k, sum(h.hours) AS hours
	  FROM sgz.hours h
	 WHERE h.station LIKE coalesce(scope_prefix, '') || '%'
	   AND h.service_date >= sgz.report_month_start(as_of) AND h.service_date <= as_of
	 GROUP BY 1
), oc AS (
	SELECT substr(c.station, 1, 6) AS k, count(*) AS open
	  FROM sgz.case_file c
	 WHERE c.station LIKE coalesce(scope_prefix, '') || '%'
	   AND c.opened_on <= as_of AND (c.closed_on IS NULL OR c.closed_on > as_of)
	 GROUP BY 1
), vm AS (
	SELECT substr(v.station, 1, 6) AS k, count(*) AS visits
	  FROM sgz.visit v
	 WHERE v.station LIKE coalesce(scope_prefix, '') || '%'
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
       round(coalesce(hr.hours, 0), 1)::text,
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
