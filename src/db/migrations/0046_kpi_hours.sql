-- 0046: the kpi report's volunteer hours from the lifetime totals
-- (0044), as the hours and stars reports read them. Its hours were the
-- year totals of the year asked for, found through the year totals' key
-- (station, volunteer, year): the planner, which cannot see the scope's
-- bounds under row-level security, reads the key's whole station range,
-- every year's rows (2,000,000 on ten years of the province set, 235 ms
-- of the report's 545) for the 200,000 of one year. The lifetime totals
-- hold a row per station and volunteer with the hours of its latest
-- year and of the year before: this year's and last year's figures read
-- those, one row a volunteer; a volunteer with hours after the year
-- after Y adds Y's year total, as before (none for this year's report,
-- found at once by the index on last_year). The same figures, byte for
-- byte, for every day (tests/db/hours_life.sh).

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
           WHERE ((c.station >= sgz.report_low(report_kpi.scope_prefix)) AND (c.station <= sgz.report_high(report_kpi.scope_prefix)) AND (c.opened_on <= report_kpi.as_of) AND ((c.closed_on IS NULL) OR (c.closed_on >= sgz.report_year_start(report_kpi.as_of))))
           GROUP BY c.station
         ), visited AS (
          SELECT x.station,
             count(DISTINCT x.k) AS households
            FROM ( SELECT c.station,
                     (('r'::text || (c.recipient_pid)::text) COLLATE "C") AS k
                    FROM sgz.case_file c
                   WHERE ((c.station >= sgz.report_low(report_kpi.scope_prefix)) AND (c.station <= sgz.report_high(report_kpi.scope_prefix)) AND COALESCE((c.case_no IN ( SELECT v.case_no
                            FROM sgz.visit v
                           WHERE ((v.station >= sgz.report_low(report_kpi.scope_prefix)) AND (v.station <= sgz.report_high(report_kpi.scope_prefix)) AND (v.kind = 'home_visit'::text) AND (v.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (v.visit_date <= report_kpi.as_of)))), false))
                 UNION ALL
                  SELECT o.station,
                     (
                         CASE
                             WHEN (o.recipient_pid IS NOT NULL) THEN ('r'::text || (o.recipient_pid)::text)
                             ELSE ((('h'::text || o.village) || '|'::text) || o.address)
                         END COLLATE "C") AS k
                    FROM sgz.outreach_visit o
                   WHERE ((o.station >= sgz.report_low(report_kpi.scope_prefix)) AND (o.station <= sgz.report_high(report_kpi.scope_prefix)) AND (o.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (o.visit_date <= report_kpi.as_of))) x
           GROUP BY x.station
         ), act AS (
          SELECT a.station,
             count(*) FILTER (WHERE (a.kind = 'large_event'::text)) AS large,
             count(*) FILTER (WHERE (a.kind = 'small_event'::text)) AS small,
             count(*) FILTER (WHERE (a.kind = 'training'::text)) AS trainings
            FROM sgz.activity a
           WHERE ((a.station >= sgz.report_low(report_kpi.scope_prefix)) AND (a.station <= sgz.report_high(report_kpi.scope_prefix)) AND (a.date >= sgz.report_year_start(report_kpi.as_of)) AND (a.date <= report_kpi.as_of))
           GROUP BY a.station
         ), hrs AS (
          SELECT u.station,
             sum(u.tenths) AS tenths
            FROM ( SELECT l.station,
                        CASE
                            WHEN (l.last_year = (EXTRACT(year FROM report_kpi.as_of))::integer) THEN l.last_tenths
                            WHEN ((l.last_year = ((EXTRACT(year FROM report_kpi.as_of))::integer + 1)) AND (l.prior_records > 0)) THEN l.prior_tenths
                            ELSE NULL::integer
                        END AS tenths
                   FROM sgz.hours_life_total l
                  WHERE ((l.station >= sgz.report_low(report_kpi.scope_prefix)) AND (l.station <= sgz.report_high(report_kpi.scope_prefix)) AND (l.last_year >= (EXTRACT(year FROM report_kpi.as_of))::integer) AND (l.last_year <= ((EXTRACT(year FROM report_kpi.as_of))::integer + 1)))
                UNION ALL
                 SELECT t.station,
                    t.tenths
                   FROM sgz.hours_year_total t
                  WHERE ((t.station >= sgz.report_low(report_kpi.scope_prefix)) AND (t.station <= sgz.report_high(report_kpi.scope_prefix)) AND (t.year = (EXTRACT(year FROM report_kpi.as_of))::integer) AND (EXISTS ( SELECT 1
                           FROM sgz.hours_life_total x
                          WHERE ((x.last_year > ((EXTRACT(year FROM report_kpi.as_of))::integer + 1)) AND (x.station >= sgz.report_low(report_kpi.scope_prefix)) AND (x.station <= sgz.report_high(report_kpi.scope_prefix))))) AND (EXISTS ( SELECT 1
                           FROM sgz.hours_life_total l
                          WHERE ((l.station = t.station) AND (l.volunteer_pid = t.volunteer_pid) AND (l.last_year > ((EXTRACT(year FROM report_kpi.as_of))::integer + 1))))))) u
           GROUP BY u.station
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
         ), prog AS (
          SELECT DISTINCT ON (u.township) u.township,
             pr.target_recipients,
             pr.target_individual_pct,
             pr.target_large_events,
             pr.target_small_events,
             pr.target_trainings,
             pr.target_households_visited
            FROM (sgz.contract k
              JOIN sgz.programme pr ON ((pr.code = k.programme))),
             LATERAL unnest(k.stations) u(township)
           WHERE ((k.starts_on <= report_kpi.as_of) AND (k.ends_on >= report_kpi.as_of) AND (u.township >= sgz.report_low(report_kpi.scope_prefix)) AND (u.township <= sgz.report_high(report_kpi.scope_prefix)))
           ORDER BY u.township, k.starts_on DESC, k.contract_no
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
     sgz.report_yesno((((p.served)::numeric >= COALESCE((g.target_recipients)::numeric, cfg.served)) AND ((COALESCE(g.target_individual_pct, cfg.individual_pct) <= (0)::numeric) OR ((p.served > 0) AND (((100 * p.individual))::numeric >= (COALESCE(g.target_individual_pct, cfg.individual_pct) * (p.served)::numeric)))) AND ((p.large)::numeric >= COALESCE((g.target_large_events)::numeric, cfg.large)) AND ((p.small)::numeric >= COALESCE((g.target_small_events)::numeric, cfg.small)) AND ((p.trainings)::numeric >= COALESCE((g.target_trainings)::numeric, cfg.trainings)) AND ((g.target_households_visited IS NULL) OR (p.households >= g.target_households_visited)))) AS report_yesno
    FROM ((per p
      CROSS JOIN cfg)
      LEFT JOIN prog g ON ((g.township = p.township)))
   ORDER BY (p.township COLLATE "C");
END;
