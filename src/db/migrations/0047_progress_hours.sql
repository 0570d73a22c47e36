-- 0047: the progress report's hours of the month read station by station.
-- They were summed from one scan of the hours' index on (station,
-- service_date, ...) across the scope's whole station range: a btree
-- cannot skip from one station's month to the next, so a province's
-- report read every index entry of the year's partition (5,000,000 on
-- the province set) for the month's 418,000, 0.6-1.1 s. Each station
-- of the scope now reads its own month, a range of the same index (2,000
-- ranges for a province): 130-160 ms. Every hour belongs to a station
-- (the hours' references are checked on write, a station with hours is
-- never deleted), under the same row-level security, so the sums are
-- the same (tests/db/hours_life.sh compares the report with the old one
-- for every scope and day).

CREATE OR REPLACE FUNCTION sgz.report_progress(scope_prefix text, as_of date)
 RETURNS TABLE(county_code text, county_name text, month text, stations_cum text, stations_month text, service_points_cum text, staff_cum text, qualified_cum text, volunteers_cum text, hours_month text, open_cases text, visits_month text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH st AS (
          SELECT "left"(s.township, 6) AS k,
             count(*) AS cum,
             count(*) FILTER (WHERE (s.established_on >= sgz.report_month_start(report_progress.as_of))) AS month
            FROM sgz.station s
           WHERE ((s.township >= sgz.report_low(report_progress.scope_prefix)) AND (s.township <= sgz.report_high(report_progress.scope_prefix)) AND (s.status <> 'planned'::text) AND (s.established_on <= report_progress.as_of))
           GROUP BY ("left"(s.township, 6))
         ), sp AS (
          SELECT "left"(p.station, 6) AS k,
             count(*) AS cum
            FROM sgz.service_point p
           WHERE ((p.station >= sgz.report_low(report_progress.scope_prefix)) AND (p.station <= sgz.report_high(report_progress.scope_prefix)) AND (p.status <> 'planned'::text) AND (p.established_on <= report_progress.as_of))
           GROUP BY ("left"(p.station, 6))
         ), sf AS (
          SELECT "left"(s.station, 6) AS k,
             count(*) AS cum,
             count(*) FILTER (WHERE ((s.qualification <> 'none'::text) AND (s.qualified_on <= report_progress.as_of))) AS qualified
            FROM sgz.staff s
           WHERE ((s.station >= sgz.report_low(report_progress.scope_prefix)) AND (s.station <= sgz.report_high(report_progress.scope_prefix)) AND (s.role <> ALL (ARRAY['coordinator'::text, 'assistant'::text])) AND (s.hired_on <= report_progress.as_of) AND ((s.left_on IS NULL) OR (s.left_on > report_progress.as_of)))
           GROUP BY ("left"(s.station, 6))
         ), vo AS (
          SELECT "left"(v.station, 6) AS k,
             count(*) AS cum
            FROM sgz.volunteer v
           WHERE ((v.station >= sgz.report_low(report_progress.scope_prefix)) AND (v.station <= sgz.report_high(report_progress.scope_prefix)) AND (v.registered_on <= report_progress.as_of))
           GROUP BY ("left"(v.station, 6))
         ), hr AS (
          SELECT "left"(s.township, 6) AS k,
             (sum(x.tenths))::bigint AS tenths
            FROM (sgz.station s
              CROSS JOIN LATERAL ( SELECT sum(((h.hours * (10)::numeric))::integer) AS tenths
                    FROM sgz.hours h
                   WHERE ((h.station = s.township) AND (h.service_date >= sgz.report_month_start(report_progress.as_of)) AND (h.service_date <= report_progress.as_of))) x)
           WHERE ((s.township >= sgz.report_low(report_progress.scope_prefix)) AND (s.township <= sgz.report_high(report_progress.scope_prefix)))
           GROUP BY ("left"(s.township, 6))
         ), oc AS (
          SELECT "left"(c_1.station, 6) AS k,
             count(*) AS open
            FROM sgz.case_file c_1
           WHERE ((c_1.station >= sgz.report_low(report_progress.scope_prefix)) AND (c_1.station <= sgz.report_high(report_progress.scope_prefix)) AND (c_1.opened_on <= report_progress.as_of) AND ((c_1.closed_on IS NULL) OR (c_1.closed_on > report_progress.as_of)))
           GROUP BY ("left"(c_1.station, 6))
         ), vm AS (
          SELECT "left"(v.station, 6) AS k,
             count(*) AS visits
            FROM sgz.visit v
           WHERE ((v.station >= sgz.report_low(report_progress.scope_prefix)) AND (v.station <= sgz.report_high(report_progress.scope_prefix)) AND (v.visit_date >= sgz.report_month_start(report_progress.as_of)) AND (v.visit_date <= report_progress.as_of))
           GROUP BY ("left"(v.station, 6))
         ), own AS (
          SELECT d.code,
             d.name
            FROM sgz.division d
           WHERE ((length(report_progress.scope_prefix) > 6) AND (d.code = rpad(report_progress.scope_prefix, 12, '0'::text)))
         )
  SELECT COALESCE(own.code, c.code) AS "coalesce",
     COALESCE(own.name, c.name) AS "coalesce",
     to_char((report_progress.as_of)::timestamp with time zone, 'YYYY-MM'::text) AS to_char,
     (COALESCE(st.cum, (0)::bigint))::text AS "coalesce",
     (COALESCE(st.month, (0)::bigint))::text AS "coalesce",
     (COALESCE(sp.cum, (0)::bigint))::text AS "coalesce",
     (COALESCE(sf.cum, (0)::bigint))::text AS "coalesce",
     (COALESCE(sf.qualified, (0)::bigint))::text AS "coalesce",
     (COALESCE(vo.cum, (0)::bigint))::text AS "coalesce",
     sgz.report_hours_text(hr.tenths) AS report_hours_text,
     (COALESCE(oc.open, (0)::bigint))::text AS "coalesce",
     (COALESCE(vm.visits, (0)::bigint))::text AS "coalesce"
    FROM ((((((((sgz.report_counties(report_progress.scope_prefix) c(code, name, k)
      LEFT JOIN own ON (true))
      LEFT JOIN st ON ((st.k = c.k)))
      LEFT JOIN sp ON ((sp.k = c.k)))
      LEFT JOIN sf ON ((sf.k = c.k)))
      LEFT JOIN vo ON ((vo.k = c.k)))
      LEFT JOIN hr ON ((hr.k = c.k)))
      LEFT JOIN oc ON ((oc.k = c.k)))
      LEFT JOIN vm ON ((vm.k = c.k)))
   ORDER BY (c.code COLLATE "C");
END;
