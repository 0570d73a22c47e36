-- 0034: the evaluation report (programmes.md: every scored indicator of
-- each evaluation of the year in scope) and the plan report by division
-- level (--by province|prefecture|county|township).

SET LOCAL search_path = pg_catalog, pg_temp;

-- One row per score of an evaluation dated in the year of as_of: a
-- contract year's when its purchaser or one of its stations is in scope
-- (the contracts report's scope), a station's when the station is. The
-- caller's row-level security applies (the evaluations' and scores'
-- policies): this function reads as its caller. The indicator's name
-- and weight are those of the set the evaluation is scored by
-- (sgz.evaluation_set()), computed once an evaluation.
CREATE FUNCTION sgz.report_evaluation(scope_prefix text, as_of date)
RETURNS TABLE (contract_no text, station text, kind text, evaluated_on text, indicator text,
	       indicator_name text, weight text, score text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH e AS (
	SELECT e.id, e.contract_no, e.station, e.kind, e.evaluated_on,
	       sgz.evaluation_set(e.contract_no, e.station) AS indicator_set
	  FROM sgz.evaluation e
	 WHERE e.evaluated_on BETWEEN make_date(extract(year FROM report_evaluation.as_of)::int, 1, 1)
				  AND make_date(extract(year FROM report_evaluation.as_of)::int, 12, 31)
	   AND CASE WHEN e.contract_no IS NULL
		    THEN e.station BETWEEN sgz.report_low(report_evaluation.scope_prefix)
				       AND sgz.report_high(report_evaluation.scope_prefix)
		    ELSE EXISTS (SELECT 1 FROM sgz.contract c
				  WHERE c.contract_no = e.contract_no
				    AND (c.purchaser BETWEEN sgz.report_low(report_evaluation.scope_prefix)
							 AND sgz.report_high(report_evaluation.scope_prefix)
					 OR EXISTS (SELECT 1 FROM unnest(c.stations) AS u(township)
						     WHERE u.township
							   BETWEEN sgz.report_low(report_evaluation.scope_prefix)
							       AND sgz.report_high(report_evaluation.scope_prefix))))
	       END
)
SELECT e.contract_no, e.station, e.kind, e.evaluated_on::text, s.indicator, i.name,
       i.weight::text, s.score::text
  FROM e
  JOIN sgz.evaluation_score s ON s.evaluation_id = e.id
  LEFT JOIN sgz.indicator i ON i.indicator_set = e.indicator_set AND i.code = s.indicator
 ORDER BY e.contract_no COLLATE "C", e.station COLLATE "C", e.evaluated_on,
	  s.indicator COLLATE "C";
END;

GRANT EXECUTE ON FUNCTION sgz.report_evaluation(text, date)
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;

-- The plan report at a level: 1 province, 2 prefecture, 3 county (0028's:
-- a prefecture whose townships are directly under it counts as one), 4
-- township. One row per division of that level in scope, or the one a
-- narrower scope lies in (its figures those of the scope, as 0028's
-- county of a township user). Figures as 0028's, added up by the first
-- 2, 4, 6 or 9 digits of the division's code; targets from the plan row
-- of that division and year.
DROP FUNCTION sgz.report_plan(text, date);

CREATE FUNCTION sgz.report_plan(scope_prefix text, as_of date, by_level integer)
RETURNS TABLE (division_code text, division_name text, year text, stations text,
	       stations_target text, social_workers text, social_workers_target text,
	       qualified text, qualified_target text, point_coverage_pct text,
	       point_coverage_target_pct text, volunteer_rate_pct text,
	       volunteer_rate_target_pct text, targets_met text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH lv AS (
	SELECT coalesce(by_level, 3) AS level,
	       (ARRAY[2, 4, 6, 9])[coalesce(by_level, 3)] AS n
), dv AS (
	SELECT c.code, c.name, c.k
	  FROM sgz.report_counties(scope_prefix) c, lv
	 WHERE lv.level = 3
	UNION ALL
	SELECT d.code, d.name, left(d.code, lv.n)
	  FROM sgz.division d, lv
	 WHERE lv.level <> 3 AND d.level = lv.level
	   AND d.code BETWEEN sgz.report_low(left(scope_prefix, lv.n))
			  AND sgz.report_high(left(scope_prefix, lv.n))
), st AS (
	SELECT left(s.township, (SELECT lv.n FROM lv)) AS k, count(*) AS n
	  FROM sgz.station s
	 WHERE s.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.status <> 'planned' AND s.established_on <= as_of
	 GROUP BY 1
), sw AS (
	SELECT left(s.station, (SELECT lv.n FROM lv)) AS k, count(*) AS n,
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
	SELECT left(v.code, (SELECT lv.n FROM lv)) AS k, count(*) AS villages,
	       count(sv.village) AS with_point
	  FROM sgz.division v
	  LEFT JOIN served sv ON sv.village = v.code
	 WHERE v.level = 5
	   AND v.code BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	 GROUP BY 1
), vo AS (
	SELECT left(v.station, (SELECT lv.n FROM lv)) AS k, count(*) AS n
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
	  FROM dv c
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

GRANT EXECUTE ON FUNCTION sgz.report_plan(text, date, integer)
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;
