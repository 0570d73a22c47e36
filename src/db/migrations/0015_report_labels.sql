-- 0015: the progress report of a scope below a county is labelled with
-- that scope.
--
-- With --scope 120110001 the figures of 0005's sgz.report_progress are
-- those of 张贵庄街道 alone, yet its row was labelled with the county
-- (120110000000 东丽区): a report handed upward would claim a township's
-- figures for the whole county. Below county level (a prefix of more than
-- 6 digits) the row now carries the scope's own code and name; at county
-- level and above nothing changes. The figures are 0005's, unchanged.
--
-- The body is bound when it is created (BEGIN ATOMIC, as 0010 made every
-- SQL function of the schema), so it resolves its names as written here.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION sgz.report_progress(scope_prefix text, as_of date)
RETURNS TABLE (county_code text, county_name text, month text, stations_cum text,
	       stations_month text, service_points_cum text, staff_cum text,
	       qualified_cum text, volunteers_cum text, hours_month text, open_cases text,
	       visits_month text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
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
), own AS (
	-- the scope itself when it lies below county level
	SELECT d.code, d.name
	  FROM sgz.division d
	 WHERE length(scope_prefix) > 6 AND d.code = rpad(scope_prefix, 12, '0')
)
SELECT coalesce(own.code, c.code),
       coalesce(own.name, c.name),
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
  LEFT JOIN own ON true
  LEFT JOIN st ON st.k = c.k
  LEFT JOIN sp ON sp.k = c.k
  LEFT JOIN sf ON sf.k = c.k
  LEFT JOIN vo ON vo.k = c.k
  LEFT JOIN hr ON hr.k = c.k
  LEFT JOIN oc ON oc.k = c.k
  LEFT JOIN vm ON vm.k = c.k
 ORDER BY c.code COLLATE "C";
END;
