-- 0030: a station's KPI targets are its programme's (spec/programmes.md,
-- Targets per programme): on the report's date, those of the programme of
-- the contract that covers the station then (the latest to start, the
-- first by number of two); a target the programme leaves empty, or a
-- station no contract with a programme covers, takes the setting
-- (rules.md). The programme's households target has no setting: without
-- it the households visited are not judged. Otherwise 0023's report.
--
-- Staffing (programmes.md): a station is compliant only if it also has an
-- active head; otherwise 0005's report.

CREATE OR REPLACE FUNCTION sgz.report_kpi(scope_prefix text, as_of date)
 RETURNS TABLE(township_code text, station_name text, recipients_served text, individual_pct text, households_visited text, large_events text, small_events text, trainings text, volunteer_hours text, meets_targets text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH cfg AS (
          SELECT max(setting.value) FILTER (WHERE (setting.key = 'target_recipients_served'::text)) AS served,
             max(setting.value) FILTER (WHERE (setting.key = 'target_individual_pct'::text)) AS individual_pct,
             max(setting.value) FILTER (WHERE (setting.key = 'target_large_events'::text)) AS large,
             max(setting.value) FILTER (WHERE (setting.key = 'target_small_events'::text)) AS small,
             max(setting.value) FILTER (WHERE (setting.key = 'target_trainings'::text)) AS trainings
            FROM sgz.setting
         ), served AS (
          SELECT c.station,
             count(DISTINCT c.recipient_pid) AS served,
             count(DISTINCT c.recipient_pid) FILTER (WHERE (c.method = 'individual'::text)) AS individual
            FROM sgz.case_file c
           WHERE (((c.station >= sgz.report_low(report_kpi.scope_prefix)) AND (c.station <= sgz.report_high(report_kpi.scope_prefix))) AND (c.opened_on <= report_kpi.as_of) AND ((c.closed_on IS NULL) OR (c.closed_on >= sgz.report_year_start(report_kpi.as_of))))
           GROUP BY c.station
         ), visited AS (
          SELECT x.station,
             count(DISTINCT x.k) AS households
            FROM ( SELECT v.station,
                     ('r'::text || (c.recipient_pid)::text) AS k
                    FROM (sgz.visit v
                      JOIN sgz.case_file c ON ((c.case_no = v.case_no)))
                   WHERE (((v.station >= sgz.report_low(report_kpi.scope_prefix)) AND (v.station <= sgz.report_high(report_kpi.scope_prefix))) AND (v.kind = 'home_visit'::text) AND (v.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (v.visit_date <= report_kpi.as_of))
                 UNION ALL
                  SELECT o.station,
                     CASE WHEN (o.recipient_pid IS NOT NULL) THEN ('r'::text || (o.recipient_pid)::text) ELSE ((('h'::text || o.village) || '|'::text) || o.address) END AS k
                    FROM sgz.outreach_visit o
                   WHERE (((o.station >= sgz.report_low(report_kpi.scope_prefix)) AND (o.station <= sgz.report_high(report_kpi.scope_prefix))) AND (o.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (o.visit_date <= report_kpi.as_of))) x
           GROUP BY x.station
         ), act AS (
          SELECT a.station,
             count(*) FILTER (WHERE (a.kind = 'large_event'::text)) AS large,
             count(*) FILTER (WHERE (a.kind = 'small_event'::text)) AS small,
             count(*) FILTER (WHERE (a.kind = 'training'::text)) AS trainings
            FROM sgz.activity a
           WHERE (((a.station >= sgz.report_low(report_kpi.scope_prefix)) AND (a.station <= sgz.report_high(report_kpi.scope_prefix))) AND (a.date >= sgz.report_year_start(report_kpi.as_of)) AND (a.date <= report_kpi.as_of))
           GROUP BY a.station
         ), hrs AS (
          SELECT t.station,
             sum(t.tenths) AS tenths
            FROM sgz.hours_year_total t
           WHERE (((t.station >= sgz.report_low(report_kpi.scope_prefix)) AND (t.station <= sgz.report_high(report_kpi.scope_prefix))) AND (t.year = (EXTRACT(year FROM report_kpi.as_of))::integer))
           GROUP BY t.station
         ), per AS (
          SELECT t.township,
             t.name,
             COALESCE(s.served, (0)::bigint) AS served,
             COALESCE(s.individual, (0)::bigint) AS individual,
             COALESCE(vi.households, (0)::bigint) AS households,
             COALESCE(a.large, (0)::bigint) AS large,
             COALESCE(a.small, (0)::bigint) AS small,
             COALESCE(a.trainings, (0)::bigint) AS trainings,
             h.tenths
            FROM ((((sgz.station t
              LEFT JOIN served s ON ((s.station = t.township)))
              LEFT JOIN visited vi ON ((vi.station = t.township)))
              LEFT JOIN act a ON ((a.station = t.township)))
              LEFT JOIN hrs h ON ((h.station = t.township)))
           WHERE ((t.township >= sgz.report_low(report_kpi.scope_prefix)) AND (t.township <= sgz.report_high(report_kpi.scope_prefix)))
         ), tgt AS (
          SELECT p.township,
             COALESCE((g.target_recipients)::numeric, cfg.served) AS served,
             COALESCE(g.target_individual_pct, cfg.individual_pct) AS individual_pct,
             COALESCE((g.target_large_events)::numeric, cfg.large) AS large,
             COALESCE((g.target_small_events)::numeric, cfg.small) AS small,
             COALESCE((g.target_trainings)::numeric, cfg.trainings) AS trainings,
             g.target_households_visited AS households
            FROM (per p
              CROSS JOIN cfg)
              LEFT JOIN LATERAL ( SELECT pr.target_recipients, pr.target_individual_pct,
                     pr.target_large_events, pr.target_small_events, pr.target_trainings,
                     pr.target_households_visited
                    FROM (sgz.contract k
                      JOIN sgz.programme pr ON ((pr.code = k.programme)))
                   WHERE ((k.stations @> ARRAY[p.township]) AND (k.starts_on <= report_kpi.as_of) AND (k.ends_on >= report_kpi.as_of))
                   ORDER BY k.starts_on DESC, k.contract_no
                  LIMIT 1) g ON (true)
         )
  SELECT p.township,
     p.name,
     (p.served)::text AS served,
     sgz.report_pct((p.individual)::numeric, (p.served)::numeric) AS report_pct,
     (p.households)::text AS households,
     (p.large)::text AS large,
     (p.small)::text AS small,
     (p.trainings)::text AS trainings,
     sgz.report_hours_text(p.tenths) AS report_hours_text,
     sgz.report_yesno((((p.served)::numeric >= g.served) AND ((g.individual_pct <= (0)::numeric) OR ((p.served > 0) AND (((100 * p.individual))::numeric >= (g.individual_pct * (p.served)::numeric)))) AND ((p.large)::numeric >= g.large) AND ((p.small)::numeric >= g.small) AND ((p.trainings)::numeric >= g.trainings) AND ((g.households IS NULL) OR (p.households >= g.households)))) AS report_yesno
    FROM (per p
      JOIN tgt g ON ((g.township = p.township)))
   ORDER BY (p.township COLLATE "C");
END;

CREATE OR REPLACE FUNCTION sgz.report_staffing(scope_prefix text, as_of date)
RETURNS TABLE (township_code text, station_name text, staff text, fulltime text,
	       qualified text, qualified_pct text, overdue_unqualified text,
	       required_staff text, required_qualified text, compliant text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
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
	       count(*) FILTER (WHERE role = 'head') AS heads,
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
				AND coalesce(p.qualified, 0) >= coalesce(r.required_qualified, 0)
				AND coalesce(p.heads, 0) > 0)
       END
  FROM sgz.station t
  LEFT JOIN per p ON p.station = t.township
  LEFT JOIN req r ON r.township = t.township
 WHERE t.township BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
 ORDER BY t.township COLLATE "C";
END;

-- Every kind reads the lists of the contracts menu (0025 left a station
-- and an evaluator without the submissions, an evaluator without the
-- payments): the policies still give each its scope's rows only.
GRANT SELECT ON sgz.submission TO sgz_station, sgz_evaluator;
GRANT SELECT ON sgz.payment TO sgz_evaluator;

-- ---- funds: one row per contract year in scope (programmes.md) ----
--
-- A contract year is that of --year as the contracts report has it
-- (cycle_start + year_no - 1); in scope as 0004's read policy. Its amount
-- a station over the programme's budget a station; paid: every payment
-- stored for it (a final payment is often made after the year ends);
-- unpaid the rest; the grade of its deciding evaluation.
CREATE FUNCTION sgz.report_funds(scope_prefix text, as_of date)
RETURNS TABLE (contract_no text, programme text, organization text, year text, stations text,
	       amount text, per_station text, budget_per_station text, paid text, unpaid text,
	       grade text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT c.contract_no,
       c.programme,
       c.organization,
       (c.cycle_start + c.year_no - 1)::text,
       cardinality(c.stations)::text,
       c.amount::text,
       CASE WHEN cardinality(c.stations) > 0
	    THEN round(c.amount / cardinality(c.stations), 2)::text END,
       p.budget_per_station::text,
       coalesce(y.paid, 0)::numeric(14, 2)::text,
       (c.amount - coalesce(y.paid, 0))::numeric(14, 2)::text,
       (SELECT d.grade FROM sgz.contract_deciding(c.contract_no) d)
  FROM sgz.contract c
  LEFT JOIN sgz.programme p ON p.code = c.programme
  LEFT JOIN LATERAL (SELECT sum(x.amount) AS paid FROM sgz.payment x
		      WHERE x.contract_no = c.contract_no) y ON true
 WHERE c.cycle_start + c.year_no - 1 = extract(year FROM report_funds.as_of)
   AND (c.purchaser BETWEEN sgz.report_low(report_funds.scope_prefix)
			AND sgz.report_high(report_funds.scope_prefix)
	OR EXISTS (SELECT 1 FROM unnest(c.stations) AS u(township)
		    WHERE u.township BETWEEN sgz.report_low(report_funds.scope_prefix)
					 AND sgz.report_high(report_funds.scope_prefix)))
 ORDER BY c.contract_no COLLATE "C";
END;

GRANT EXECUTE ON FUNCTION sgz.report_funds(text, date)
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;
