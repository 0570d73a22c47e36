-- 0026: the reports community and training of spec/programmes.md.
--
-- community: one row per village or community in scope (12-digit codes
-- whose last three digits are not 000), its active organisations
-- (programmes.md: active organisations count) of which registered and
-- filed, against the target of its kind, urban 10 / rural 5: the plan of
-- its county for the year when it gives one (and the reader may read that
-- plan), else the settings community_orgs_urban_target and
-- community_orgs_rural_target. An organisation filed after the day of the
-- figures is not counted yet.
--
-- training: one row per staff member in scope employed at some time in
-- the year up to the day of the figures, his trainings and supervisions
-- of that year and their hours; numbers masked, as every report shows them.
--
-- Both run with the reader's rights (his row-level security), their bodies
-- bound when created.
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE FUNCTION sgz.report_community(scope_prefix text, as_of date)
RETURNS TABLE (community_code text, community_name text, urban_rural text, orgs_active text,
	       orgs_registered text, orgs_filed text, orgs_target text, target_met text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH cfg AS (
	SELECT max(s.value) FILTER (WHERE s.key = 'community_orgs_urban_target') AS urban,
	       max(s.value) FILTER (WHERE s.key = 'community_orgs_rural_target') AS rural
	  FROM sgz.setting s
), o AS (
	SELECT o.community,
	       count(*) AS active,
	       count(*) FILTER (WHERE o.registration = 'registered') AS registered,
	       count(*) FILTER (WHERE o.registration = 'filed') AS filed
	  FROM sgz.community_org o
	 WHERE o.community BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND o.status = 'active' AND (o.filed_on IS NULL OR o.filed_on <= as_of)
	 GROUP BY o.community
), p AS (
	SELECT p.division, p.community_orgs_urban_target AS urban,
	       p.community_orgs_rural_target AS rural
	  FROM sgz.plan p
	 WHERE p.year = extract(year FROM as_of)::int
	   AND p.division BETWEEN sgz.report_low(left(scope_prefix, 6))
			      AND sgz.report_high(left(scope_prefix, 6))
), c AS (
	SELECT d.code, d.name, sgz.community_urban(d.code) AS urban,
	       coalesce(o.active, 0) AS active, coalesce(o.registered, 0) AS registered,
	       coalesce(o.filed, 0) AS filed,
	       CASE WHEN sgz.community_urban(d.code) THEN coalesce(p.urban, cfg.urban)
		    ELSE coalesce(p.rural, cfg.rural) END AS target
	  FROM sgz.division d
	  LEFT JOIN o ON o.community = d.code
	  LEFT JOIN p ON p.division = left(d.code, 6) || '000000'
	 CROSS JOIN cfg
	 WHERE d.code BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND substr(d.code, 10) <> '000'
)
SELECT c.code, c.name, CASE WHEN c.urban THEN 'urban' ELSE 'rural' END,
       c.active::text, c.registered::text, c.filed::text, c.target::int::text,
       sgz.report_yesno(c.active >= c.target)
  FROM c
 ORDER BY c.code COLLATE "C";
END;

CREATE FUNCTION sgz.report_training(scope_prefix text, as_of date)
RETURNS TABLE (id_number text, name text, station text, trainings text, training_hours text,
	       supervisions text, supervision_hours text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH tr AS (
	SELECT a.pid, count(*) AS n, sum(t.hours) AS h
	  FROM sgz.training t CROSS JOIN LATERAL unnest(t.attendee_pids) a(pid)
	 WHERE t.starts_on BETWEEN sgz.report_year_start(as_of) AND as_of
	 GROUP BY a.pid
), su AS (
	SELECT a.pid, count(*) AS n, sum(s.hours) AS h
	  FROM sgz.supervision s CROSS JOIN LATERAL unnest(s.attendee_pids) a(pid)
	 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
	   AND s.held_on BETWEEN sgz.report_year_start(as_of) AND as_of
	 GROUP BY a.pid
)
SELECT s.id_number, s.name, s.station, coalesce(tr.n, 0)::text,
       to_char(coalesce(tr.h, 0), 'FM999999990.0'), coalesce(su.n, 0)::text,
       to_char(coalesce(su.h, 0), 'FM999999990.0')
  FROM sgz.staff_v s
  LEFT JOIN tr ON tr.pid = s.pid
  LEFT JOIN su ON su.pid = s.pid
 WHERE s.station BETWEEN sgz.report_low(scope_prefix) AND sgz.report_high(scope_prefix)
   AND s.hired_on <= as_of
   AND (s.left_on IS NULL OR s.left_on >= sgz.report_year_start(as_of))
 ORDER BY s.station COLLATE "C", s.id_number COLLATE "C", s.pid;
END;
