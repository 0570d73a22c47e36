-- 0028: the report plan of spec/programmes.md, one row per county (or
-- prefecture with townships of its own) in scope: its stations, social
-- workers and qualified ones (rules.md counts: every role but coordinator
-- and assistant, active on the day), service point coverage of its villages
-- (as the coverage report counts it) and the volunteer registration rate,
-- the registered volunteers of its stations over its population (004
-- §1(2)), each beside the target of the county's plan row for the year.
-- The rate's target, where the plan gives none, is the setting
-- registration_rate_target_pct (13): the settings' one use until now.
-- targets_met: yes when every target given is met, no when one is not,
-- empty when none is given; a share without its base (no villages, no
-- population) is not held against the county. Actuals as of the day of the figures (31
-- December of a past year).
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION sgz.report_plan(scope_prefix text, as_of date)
RETURNS TABLE (division_code text, division_name text, year text, stations text,
	       stations_target text, social_workers text, social_workers_target text,
	       qualified text, qualified_target text, point_coverage_pct text,
	       point_coverage_target_pct text, volunteer_rate_pct text,
	       volunteer_rate_target_pct text, targets_met text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH st AS (
	SELECT left(s.township, 6) AS k, count(*) AS n
	  FROM sgz.station s
	 WHERE s.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.status <> 'planned' AND s.established_on <= as_of
	 GROUP BY 1
), sw AS (
	SELECT left(s.station, 6) AS k, count(*) AS n,
	       count(*) FILTER (WHERE s.qualification <> 'none' AND s.qualified_on <= as_of) AS q
	  FROM sgz.staff s
	 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.role NOT IN ('coordinator', 'assistant')
	   AND s.hired_on <= as_of AND (s.left_on IS NULL OR s.left_on > as_of)
	 GROUP BY 1
), served AS (
	SELECT DISTINCT u.village
	  FROM sgz.service_point p, unnest(p.villages) AS u(village)
	 WHERE p.status <> 'planned' AND p.established_on <= as_of
	   AND p.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
), vk AS (
	SELECT left(v.code, 6) AS k, count(*) AS villages, count(sv.village) AS with_point
	  FROM sgz.division v
	  LEFT JOIN served sv ON sv.village = v.code
	 WHERE v.level = 5
	   AND v.code BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 GROUP BY 1
), vo AS (
	SELECT left(v.station, 6) AS k, count(*) AS n
	  FROM sgz.volunteer v
	 WHERE v.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND v.registered_on <= as_of
	 GROUP BY 1
), cfg AS (
	SELECT s.value AS rate FROM sgz.setting s WHERE s.key = 'registration_rate_target_pct'
), r AS (
	SELECT c.code, c.name,
	       coalesce(st.n, 0) AS stations, pl.stations_target,
	       coalesce(sw.n, 0) AS social_workers, pl.social_workers_target,
	       coalesce(sw.q, 0) AS qualified, pl.qualified_target,
	       CASE WHEN vk.villages > 0 THEN round(100.0 * vk.with_point / vk.villages, 1) END
		       AS coverage,
	       pl.point_coverage_target_pct,
	       CASE WHEN d.population > 0 THEN round(100.0 * coalesce(vo.n, 0) / d.population, 1) END
		       AS rate,
	       coalesce(pl.volunteer_rate_target_pct, (SELECT cfg.rate FROM cfg)) AS rate_target
	  FROM sgz.report_counties(scope_prefix) c
	  JOIN sgz.division d ON d.code = c.code
	  LEFT JOIN st ON st.k = c.k
	  LEFT JOIN sw ON sw.k = c.k
	  LEFT JOIN vk ON vk.k = c.k
	  LEFT JOIN vo ON vo.k = c.k
	  LEFT JOIN sgz.plan pl ON pl.division = c.code AND pl.year = extract(year FROM as_of)::int
)
SELECT r.code, r.name, extract(year FROM as_of)::int::text,
       r.stations::text, r.stations_target::text,
       r.social_workers::text, r.social_workers_target::text,
       r.qualified::text, r.qualified_target::text,
       r.coverage::text, r.point_coverage_target_pct::text,
       r.rate::text, r.rate_target::numeric(4, 1)::text,
       CASE WHEN r.stations_target IS NULL AND r.social_workers_target IS NULL
		 AND r.qualified_target IS NULL AND r.point_coverage_target_pct IS NULL
		 AND r.rate_target IS NULL THEN NULL
	    ELSE sgz.report_yesno(coalesce(r.stations >= r.stations_target, true)
		 AND coalesce(r.social_workers >= r.social_workers_target, true)
		 AND coalesce(r.qualified >= r.qualified_target, true)
		 AND coalesce(r.coverage >= r.point_coverage_target_pct, true)
		 AND coalesce(r.rate >= r.rate_target, true)) END
  FROM r
 ORDER BY r.code COLLATE "C";
END;
