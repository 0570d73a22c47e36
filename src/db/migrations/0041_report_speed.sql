-- 0041: the kpi and hours reports at province scale (issue 12: a report
-- of a province in at most 0.5 s of the server's time). The same rows,
-- byte for byte.
--
-- kpi: the households visited found from the cases, each case of the
-- scope once, with a hashed set of the cases the year's home visits name,
-- where 0035 joined the year's home visits to every case of the province
-- (85,077 visits, 120,000 cases; a visit's station is its case's, kept so
-- by visit_check and case_file_follow); the keys compared byte by byte
-- (COLLATE "C": counting distinct keys needs no collation). Backend CPU of
-- the province's report as a region user, partitioned visits (0038):
-- 410-450 ms before, 300-340 ms after.
--
-- hours: the masked number worked out once a volunteer (it was twice: for
-- the column and for the order), and the hours as text and the star after
-- the sort, which then moves narrower rows.

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
            FROM ( SELECT c.station,
                     ('r'::text || (c.recipient_pid)::text) COLLATE "C" AS k
                    FROM sgz.case_file c
                   WHERE ((c.station >= sgz.report_low(report_kpi.scope_prefix)) AND (c.station <= sgz.report_high(report_kpi.scope_prefix)) AND COALESCE((c.case_no IN ( SELECT v.case_no
                            FROM sgz.visit v
                           WHERE ((v.station >= sgz.report_low(report_kpi.scope_prefix)) AND (v.station <= sgz.report_high(report_kpi.scope_prefix)) AND (v.kind = 'home_visit'::text) AND (v.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (v.visit_date <= report_kpi.as_of)))), false))
                 UNION ALL
                  SELECT o.station,
                     (CASE WHEN (o.recipient_pid IS NOT NULL) THEN ('r'::text || (o.recipient_pid)::text) ELSE ((('h'::text || o.village) || '|'::text) || o.address) END) COLLATE "C" AS k
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
         ), prog AS (
          SELECT DISTINCT ON (u.township) u.township,
             pr.target_recipients, pr.target_individual_pct, pr.target_large_events,
             pr.target_small_events, pr.target_trainings, pr.target_households_visited
            FROM sgz.contract k
              JOIN sgz.programme pr ON ((pr.code = k.programme)),
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

CREATE OR REPLACE FUNCTION sgz.report_hours(scope_prefix text, as_of date)
 RETURNS TABLE(id_number text, name text, station text, hours_year text, hours_total text, star text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH cfg AS (
	SELECT (ceil((10::numeric * max(setting.value) FILTER (WHERE setting.key = 'star1_hours'))))::bigint AS s1,
	       (ceil((10::numeric * max(setting.value) FILTER (WHERE setting.key = 'star2_hours'))))::bigint AS s2,
	       (ceil((10::numeric * max(setting.value) FILTER (WHERE setting.key = 'star3_hours'))))::bigint AS s3,
	       (ceil((10::numeric * max(setting.value) FILTER (WHERE setting.key = 'star4_hours'))))::bigint AS s4,
	       (ceil((10::numeric * max(setting.value) FILTER (WHERE setting.key = 'star5_hours'))))::bigint AS s5
	  FROM sgz.setting
 ), h AS (
	SELECT t.volunteer_pid,
	       sum(t.tenths) FILTER (WHERE t.year = (EXTRACT(year FROM report_hours.as_of))::integer) AS y,
	       sum(t.tenths) AS total
	  FROM sgz.hours_year_total t
	 WHERE t.year <= (EXTRACT(year FROM report_hours.as_of))::integer
	   AND t.station >= sgz.report_low(report_hours.scope_prefix)
	   AND t.station <= sgz.report_high(report_hours.scope_prefix)
	 GROUP BY t.volunteer_pid
 ), r AS (
 SELECT v.id_number, v.name, v.station, v.pid, h.y, h.total
   FROM (SELECT v.id_number, v.name, v.station, v.pid FROM sgz.volunteer_v v
          WHERE v.station >= sgz.report_low(report_hours.scope_prefix)
            AND v.station <= sgz.report_high(report_hours.scope_prefix)
            AND v.registered_on <= report_hours.as_of OFFSET 0) v
   LEFT JOIN h ON h.volunteer_pid = v.pid
  ORDER BY v.station COLLATE "C", v.id_number COLLATE "C", v.pid
 )
 SELECT r.id_number, r.name, r.station,
	sgz.report_hours_text(r.y),
	sgz.report_hours_text(r.total),
	(CASE WHEN r.total >= cfg.s5 THEN 5
	      WHEN r.total >= cfg.s4 THEN 4
	      WHEN r.total >= cfg.s3 THEN 3
	      WHEN r.total >= cfg.s2 THEN 2
	      WHEN r.total >= cfg.s1 THEN 1
	      ELSE 0 END)::text
   FROM r CROSS JOIN cfg
  ORDER BY r.station COLLATE "C", r.id_number COLLATE "C", r.pid;
END;
