-- 0016: the masking views (0012) keep each reader to his scope whoever
-- owns them, and what users' own statements run (the hours' check, the
-- kpi and stars reports, the trail's changes one by one) reads people by
-- pid, never by number, ready for 0017, which takes the numbers away.

-- What the users' own statements run (the hours' check, reports, the
-- trail's changes one by one) reads people by pid, never by number.
CREATE OR REPLACE FUNCTION sgz.hours_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	r record;
	missing bigint;
	future boolean;
	early boolean;
BEGIN
	SELECT count(*) AS found,
	       count(*) FILTER (WHERE j.service_date > current_date) AS future,
	       count(*) FILTER (WHERE j.service_date < j.registered_on) AS early
	  INTO r
	  FROM (SELECT n.service_date, v.registered_on
		  FROM new_rows n JOIN sgz.volunteer v ON v.pid = n.volunteer_pid
		   FOR KEY SHARE OF v) j;
	future := r.future > 0;
	early := r.early > 0;
	IF r.found < (SELECT count(*) FROM new_rows) THEN
		SELECT d.volunteer INTO r
		  FROM (SELECT DISTINCT n.volunteer, n.volunteer_pid FROM new_rows n) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.volunteer v WHERE v.pid = d.volunteer_pid)
		 LIMIT 1;
		RAISE EXCEPTION 'volunteer % is not registered', r.volunteer
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'volunteer';
	END IF;

	WITH d AS MATERIALIZED (SELECT DISTINCT n.station FROM new_rows n),
	t AS MATERIALIZED (
		SELECT t.township FROM sgz.station t
		 WHERE t.township IN (SELECT d.station FROM d)
		   FOR KEY SHARE)
	SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM t) INTO missing;
	IF missing > 0 THEN
		SELECT d.station INTO r FROM (SELECT DISTINCT n.station FROM new_rows n) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = d.station)
		 LIMIT 1;
		RAISE EXCEPTION 'station % does not exist', r.station
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'station';
	END IF;

	IF future THEN
		SELECT n.volunteer, n.service_date INTO r FROM new_rows n
		 WHERE n.service_date > current_date LIMIT 1;
		RAISE EXCEPTION 'hours of % on %: the date is in the future',
			sgz.mask_id(r.volunteer), r.service_date
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;
	IF early THEN
		SELECT d.volunteer, d.service_date, v.registered_on INTO r
		  FROM (SELECT n.volunteer, n.volunteer_pid, min(n.service_date) AS service_date
			  FROM new_rows n GROUP BY n.volunteer, n.volunteer_pid) d
		  JOIN sgz.volunteer v ON v.pid = d.volunteer_pid
		 WHERE d.service_date < v.registered_on LIMIT 1;
		RAISE EXCEPTION 'hours of % on %: before the volunteer registered (%)',
			sgz.mask_id(r.volunteer), r.service_date, r.registered_on
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;

	WITH d AS MATERIALIZED (
		SELECT DISTINCT n.station, n.service_date, n.activity FROM new_rows n
		 WHERE n.activity IS NOT NULL),
	a AS MATERIALIZED (
		SELECT a.station FROM sgz.activity a
		 WHERE (a.station, a.date, a.title) IN (SELECT d.station, d.service_date, d.activity
							  FROM d)
		   FOR KEY SHARE)
	SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM a) INTO missing;
	IF missing > 0 THEN
		SELECT d.* INTO r FROM (SELECT DISTINCT n.station, n.service_date, n.activity
					  FROM new_rows n WHERE n.activity IS NOT NULL) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.activity a WHERE a.station = d.station
				     AND a.date = d.service_date AND a.title = d.activity)
		 LIMIT 1;
		RAISE EXCEPTION 'no activity % at station % on %', r.activity, r.station,
			r.service_date
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'activity';
	END IF;
	RETURN NULL;
END
$function$;

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
          SELECT v.station,
             count(DISTINCT c.recipient_pid) AS households
            FROM (sgz.visit v
              JOIN sgz.case_file c ON ((c.case_no = v.case_no)))
           WHERE (((v.station >= sgz.report_low(report_kpi.scope_prefix)) AND (v.station <= sgz.report_high(report_kpi.scope_prefix))) AND (v.kind = 'home_visit'::text) AND (v.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (v.visit_date <= report_kpi.as_of))
           GROUP BY v.station
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
     sgz.report_yesno((((p.served)::numeric >= cfg.served) AND ((cfg.individual_pct <= (0)::numeric) OR ((p.served > 0) AND (((100 * p.individual))::numeric >= (cfg.individual_pct * (p.served)::numeric)))) AND ((p.large)::numeric >= cfg.large) AND ((p.small)::numeric >= cfg.small) AND ((p.trainings)::numeric >= cfg.trainings))) AS report_yesno
    FROM (per p
      CROSS JOIN cfg)
   ORDER BY (p.township COLLATE "C");
END;

CREATE OR REPLACE FUNCTION sgz.report_stars(scope_prefix text, as_of date)
 RETURNS TABLE(township_code text, station_name text, volunteers text, active_volunteers text, hours_year text, star1 text, star2 text, star3 text, star4 text, star5 text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH cfg AS (
          SELECT (ceil(((10)::numeric * max(setting.value) FILTER (WHERE (setting.key = 'star1_hours'::text)))))::bigint AS s1,
             (ceil(((10)::numeric * max(setting.value) FILTER (WHERE (setting.key = 'star2_hours'::text)))))::bigint AS s2,
             (ceil(((10)::numeric * max(setting.value) FILTER (WHERE (setting.key = 'star3_hours'::text)))))::bigint AS s3,
             (ceil(((10)::numeric * max(setting.value) FILTER (WHERE (setting.key = 'star4_hours'::text)))))::bigint AS s4,
             (ceil(((10)::numeric * max(setting.value) FILTER (WHERE (setting.key = 'star5_hours'::text)))))::bigint AS s5
            FROM sgz.setting
         ), h AS (
          SELECT t_1.volunteer_pid,
             sum(t_1.tenths) FILTER (WHERE (t_1.year = (EXTRACT(year FROM report_stars.as_of))::integer)) AS y,
             sum(t_1.tenths) AS total
            FROM sgz.hours_year_total t_1
           WHERE ((t_1.year <= (EXTRACT(year FROM report_stars.as_of))::integer) AND ((t_1.station >= sgz.report_low(report_stars.scope_prefix)) AND (t_1.station <= sgz.report_high(report_stars.scope_prefix))))
           GROUP BY t_1.volunteer_pid
         ), lv AS (
          SELECT v.station,
             h.y,
                 CASE
                     WHEN (h.total >= cfg.s5) THEN 5
                     WHEN (h.total >= cfg.s4) THEN 4
                     WHEN (h.total >= cfg.s3) THEN 3
                     WHEN (h.total >= cfg.s2) THEN 2
                     WHEN (h.total >= cfg.s1) THEN 1
                     ELSE 0
                 END AS star
            FROM ((sgz.volunteer v
              LEFT JOIN h ON ((h.volunteer_pid = v.pid)))
              CROSS JOIN cfg)
           WHERE (((v.station >= sgz.report_low(report_stars.scope_prefix)) AND (v.station <= sgz.report_high(report_stars.scope_prefix))) AND (v.registered_on <= report_stars.as_of))
         ), per AS (
          SELECT lv.station,
             count(*) AS volunteers,
             count(lv.y) AS active,
             (sum(lv.y))::bigint AS y,
             count(*) FILTER (WHERE (lv.star = 1)) AS s1,
             count(*) FILTER (WHERE (lv.star = 2)) AS s2,
             count(*) FILTER (WHERE (lv.star = 3)) AS s3,
             count(*) FILTER (WHERE (lv.star = 4)) AS s4,
             count(*) FILTER (WHERE (lv.star = 5)) AS s5
            FROM lv
           GROUP BY lv.station
         )
  SELECT t.township,
     t.name,
     (COALESCE(p.volunteers, (0)::bigint))::text AS "coalesce",
     (COALESCE(p.active, (0)::bigint))::text AS "coalesce",
     sgz.report_hours_text(p.y) AS report_hours_text,
     (COALESCE(p.s1, (0)::bigint))::text AS "coalesce",
     (COALESCE(p.s2, (0)::bigint))::text AS "coalesce",
     (COALESCE(p.s3, (0)::bigint))::text AS "coalesce",
     (COALESCE(p.s4, (0)::bigint))::text AS "coalesce",
     (COALESCE(p.s5, (0)::bigint))::text AS "coalesce"
    FROM (sgz.station t
      LEFT JOIN per p ON ((p.station = t.township)))
   WHERE ((t.township >= sgz.report_low(report_stars.scope_prefix)) AND (t.township <= sgz.report_high(report_stars.scope_prefix)))
   ORDER BY (t.township COLLATE "C");
END;

-- The masking views (0012) read with their owner's rights and leave the
-- scope to the tables' policies, which bind the owner (FORCE ROW LEVEL
-- SECURITY) unless the owner is a superuser, whom no policy binds: a
-- schema migrated by the postgres role (the demo's, a test's) would have
-- shown every reader every row. Each view says its scope itself, as the
-- policies do (the reader is current_user there), and so does each row it
-- joins.
CREATE OR REPLACE VIEW sgz.staff_v AS
SELECT s.pid, sgz.mask_id(s.id_number) AS id_number, s.name, s.phone, s.station, s.role,
       s.education, s.qualification, s.qualified_on, s.hired_on, s.left_on, s.employer,
       s.local_hukou, s.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN s.birth_date END AS birth_date,
       sgz.age_on(s.birth_date, current_date) AS age,
       s.row_version, s.initials
  FROM sgz.staff s
 WHERE s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.volunteer_v AS
SELECT v.pid, sgz.mask_id(v.id_number) AS id_number, v.name, v.phone, v.station, v.team,
       v.registered_on, v.skills, v.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN v.birth_date END AS birth_date,
       sgz.age_on(v.birth_date, current_date) AS age,
       v.row_version, v.initials
  FROM sgz.volunteer v
 WHERE v.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.recipient_v AS
SELECT r.pid, sgz.mask_id(r.id_number) AS id_number,
       sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) AS name,
       r.phone, r.village, r.address, r.categories, r.guardian_name, r.guardian_phone, r.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN r.birth_date END AS birth_date,
       sgz.age_on(r.birth_date, current_date) AS age,
       r.row_version,
       CASE WHEN sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) = r.name
	    THEN r.initials ELSE left(r.initials, 1) END AS initials
  FROM sgz.recipient r
 WHERE r.village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.hours_v AS
SELECT sgz.mask_id(h.volunteer) AS volunteer, h.service_date, h.station, h.activity, h.hours,
       h.note, h.entered_on, h.row_version, h.volunteer_pid, v.name AS volunteer_name
  FROM sgz.hours h
  LEFT JOIN sgz.volunteer v ON v.pid = h.volunteer_pid AND v.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
 WHERE h.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.case_file_v AS
SELECT c.case_no, sgz.mask_id(c.recipient) AS recipient, c.station, sgz.mask_id(c.worker) AS worker,
       c.method, c.opened_on, c.status, c.risk, c.closed_on, c.close_reason, c.row_version,
       c.recipient_pid, c.worker_pid,
       sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) AS recipient_name,
       s.name AS worker_name
  FROM sgz.case_file c
  LEFT JOIN sgz.recipient r ON r.pid = c.recipient_pid AND r.village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
  LEFT JOIN sgz.staff s ON s.pid = c.worker_pid AND s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
 WHERE c.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.visit_v AS
SELECT v.case_no, v.visit_date, v.kind, sgz.mask_id(v.worker) AS worker, v.summary, v.next_due,
       v.station, v.row_version, v.worker_pid, s.name AS worker_name
  FROM sgz.visit v
  LEFT JOIN sgz.staff s ON s.pid = v.worker_pid AND s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
 WHERE v.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.hours_year_total_v AS
SELECT t.station, sgz.mask_id(t.volunteer) AS volunteer, t.year, t.tenths, t.records,
       t.volunteer_pid
  FROM sgz.hours_year_total t
 WHERE t.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.audit_v AS
SELECT a.id, a.at, a.who, a.xact, a.table_name, a.action,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.key ELSE sgz.audit_mask(a.table_name, a.key) END AS key,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.old ELSE sgz.audit_mask(a.table_name, a.old) END AS old,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.new ELSE sgz.audit_mask(a.table_name, a.new) END AS new,
       a.division, a.changes, a.key_columns
  FROM sgz.audit a
 WHERE (SELECT sgz.scope_prefix()) = '' OR a.division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

-- 0007's audit_change runs with its reader's rights, who no longer reads
-- sgz.audit: the changes one by one of the masked trail.
CREATE OR REPLACE VIEW sgz.audit_change_v AS
 SELECT a.id,
    1::bigint AS item,
    a.at,
    a.who,
    a.xact,
    a.table_name,
    a.action,
    a.key,
    a.old,
    a.new,
    a.division
   FROM sgz.audit_v a
  WHERE a.changes IS NULL
UNION ALL
 SELECT a.id,
    r.item,
    a.at,
    a.who,
    a.xact,
    a.table_name,
    a.action,
    ( SELECT jsonb_object_agg(c.c, COALESCE(r.new, r.old) -> c.c) AS jsonb_object_agg
           FROM unnest(a.key_columns) c(c)) AS key,
    r.old,
    r.new,
    a.division
   FROM sgz.audit_v a
     CROSS JOIN LATERAL ( SELECT e.item,
            jsonb_object_agg(e.col, e.v) FILTER (WHERE e.side = 'old'::text) AS old,
            jsonb_object_agg(e.col, e.v) FILTER (WHERE e.side = 'new'::text) AS new
           FROM ( SELECT 'old'::text AS side,
                    c.key AS col,
                    x.v,
                    x.item
                   FROM jsonb_each(a.old) c(key, value),
                    LATERAL jsonb_array_elements(c.value) WITH ORDINALITY x(v, item)
                UNION ALL
                 SELECT 'new'::text,
                    c.key,
                    x.v,
                    x.item
                   FROM jsonb_each(a.new) c(key, value),
                    LATERAL jsonb_array_elements(c.value) WITH ORDINALITY x(v, item)) e
          GROUP BY e.item) r
  WHERE a.changes IS NOT NULL;
