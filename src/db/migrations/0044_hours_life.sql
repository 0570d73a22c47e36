-- 0044: every volunteer's lifetime hours kept, for the hours and stars
-- reports (issues 12 and 15). Both summed every year total of a
-- volunteer up to the year asked for (sgz.hours_year_total, one row per
-- station, volunteer and year): their cost grew with the years kept
-- (1.2 and 1.45 s at province scope over ten years, 0.5 s over one).
--
-- sgz.hours_life_total holds one row per station and volunteer: the
-- tenths of hours and the records of all years, and of the latest year
-- with hours (last_year) and of the year before it (prior_*: none, 0).
-- A report for the year Y reads one row a station and volunteer where
-- Y is last_year or later (the whole total; the year's hours those of
-- last_year when it is Y) or the year before last_year (the total less
-- last_year's; the year's hours prior_*): this year's and last year's
-- reports, the ones people ask for. For an earlier Y the volunteers who
-- served after Y + 1 are summed from the year totals of the years up to
-- Y, as before (an index on last_year finds that there are none at once).
-- What each report returns is unchanged, byte for byte, for every as_of.
--
-- It is kept by the statement triggers that keep the year totals (0005,
-- 0007, 0018), in the same statement: the statement's rows aggregated
-- once per station, volunteer and year (the year totals' upsert), and
-- those once more per station and volunteer (the lifetime upsert, one
-- row a volunteer a statement, adding the statement's sums to what is
-- stored without reading anything else: an insert only adds, so the
-- latest year is the later of the stored one and the statement's).
-- 0020's notes measured a row per volunteer recomputed from the year
-- totals at 6.3 s for an import at province scale: an insert recomputes
-- nothing. An update or a delete, which may take a year's last hours
-- away, recomputes last_year and prior_* of the rows it touched from
-- their year totals (their index), after them.
--
-- Like the year totals: rows scoped by the station where the hours were
-- served (row-level security forced), read by the report roles (without
-- the number for all but admin, 0017), written only by the triggers as
-- the owner; emptied with the hours (TRUNCATE) and made again by
-- sgz.hours_totals_rebuild(). Published to a roll-up like the year
-- totals (sgz.rollup_tables()), its pids moved with the province's by
-- sgz.rollup_publish() (a *_pid column).

CREATE TABLE IF NOT EXISTS sgz.hours_life_total (
	station text NOT NULL,
	volunteer text NOT NULL,
	volunteer_pid bigint,
	tenths integer NOT NULL, -- hours × 10 of all years
	records integer NOT NULL,
	last_year smallint NOT NULL, -- the latest year with hours
	last_tenths integer NOT NULL,
	last_records integer NOT NULL,
	prior_tenths integer NOT NULL, -- of last_year - 1 (none: 0)
	prior_records integer NOT NULL,
	PRIMARY KEY (station, volunteer)
);

-- (Not on a roll-up: there the provinces' subscriptions copy the rows
-- when refreshed, `sgz rollup add` as `sgz migrate` says. Nor when the
-- migration runs again, as tests/db/rollup.sh has it: it may, the table
-- holding its rows already.)
INSERT INTO sgz.hours_life_total (station, volunteer, volunteer_pid, tenths, records, last_year,
				  last_tenths, last_records, prior_tenths, prior_records)
SELECT t.station, t.volunteer, max(t.volunteer_pid), sum(t.tenths), sum(t.records), max(t.m),
       sum(t.tenths) FILTER (WHERE t.year = t.m), sum(t.records) FILTER (WHERE t.year = t.m),
       coalesce(sum(t.tenths) FILTER (WHERE t.year = t.m - 1), 0),
       coalesce(sum(t.records) FILTER (WHERE t.year = t.m - 1), 0)
  FROM (SELECT y.*, max(y.year) OVER (PARTITION BY y.station, y.volunteer) AS m
	  FROM sgz.hours_year_total y) t
 WHERE NOT EXISTS (SELECT 1 FROM sgz.rollup_node n WHERE n.kind = 'rollup')
   AND NOT EXISTS (SELECT 1 FROM sgz.hours_life_total)
 GROUP BY t.station, t.volunteer;

CREATE INDEX IF NOT EXISTS hours_life_total_pid_idx ON sgz.hours_life_total (volunteer_pid);
-- the rows of volunteers who served after a report's year + 1: an index
-- range, normally empty
CREATE INDEX IF NOT EXISTS hours_life_total_year_idx ON sgz.hours_life_total (last_year, station);
ANALYZE sgz.hours_life_total;

ALTER TABLE sgz.hours_life_total ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.hours_life_total FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS scope ON sgz.hours_life_total;
CREATE POLICY scope ON sgz.hours_life_total
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));
GRANT SELECT ON sgz.hours_life_total TO sgz_admin;
GRANT SELECT (station, volunteer_pid, tenths, records, last_year, last_tenths, last_records,
	      prior_tenths, prior_records)
	ON sgz.hours_life_total TO sgz_region, sgz_county, sgz_station;

-- The year totals and the lifetime totals in one statement, in the byte
-- order of their keys (one order for every statement: no two lock the
-- same totals in opposite orders). An update or a delete then drops the
-- totals left with no records and works out the latest years of the
-- lifetime totals it touched again, from their year totals.
CREATE OR REPLACE FUNCTION sgz.hours_totals_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	plus CONSTANT text := 'SELECT station, volunteer, volunteer_pid, service_date, '
			      '(hours * 10)::int AS tenths, 1 AS records FROM new_rows';
	minus CONSTANT text :=
		'SELECT station, volunteer, volunteer_pid, service_date, '
		'-(hours * 10)::int AS tenths, -1 AS records FROM old_rows';
	delta text;
BEGIN
	delta := CASE TG_OP WHEN 'INSERT' THEN plus
			    WHEN 'UPDATE' THEN plus || ' UNION ALL ' || minus
			    ELSE minus END;
	EXECUTE format($q$
		WITH d AS MATERIALIZED (
			SELECT d.station, d.volunteer, d.volunteer_pid,
			       date_part('year', d.service_date)::smallint AS year,
			       sum(d.tenths) AS tenths, sum(d.records) AS records
			  FROM (%s) d
			 GROUP BY 1, 2, 3, 4
			HAVING sum(d.tenths) <> 0 OR sum(d.records) <> 0),
		y AS (
			INSERT INTO sgz.hours_year_total AS t (station, volunteer, volunteer_pid, year,
							      tenths, records)
			SELECT d.station, d.volunteer, d.volunteer_pid, d.year, d.tenths, d.records
			  FROM d
			 ORDER BY d.station COLLATE "C", d.volunteer COLLATE "C", d.year
			ON CONFLICT (station, volunteer, year) DO UPDATE
			   SET tenths = t.tenths + excluded.tenths, records = t.records + excluded.records)
		INSERT INTO sgz.hours_life_total AS t (station, volunteer, volunteer_pid, tenths, records,
						      last_year, last_tenths, last_records,
						      prior_tenths, prior_records)
		SELECT x.station, x.volunteer, max(x.volunteer_pid), sum(x.tenths), sum(x.records),
		       max(x.m), coalesce(sum(x.tenths) FILTER (WHERE x.year = x.m), 0),
		       coalesce(sum(x.records) FILTER (WHERE x.year = x.m), 0),
		       coalesce(sum(x.tenths) FILTER (WHERE x.year = x.m - 1), 0),
		       coalesce(sum(x.records) FILTER (WHERE x.year = x.m - 1), 0)
		  FROM (SELECT d.*, max(d.year) OVER (PARTITION BY d.station COLLATE "C",
								 d.volunteer COLLATE "C") AS m
			  FROM d) x
		 GROUP BY x.station COLLATE "C", x.volunteer COLLATE "C", x.station, x.volunteer
		HAVING sum(x.tenths) <> 0 OR sum(x.records) <> 0
		 ORDER BY x.station COLLATE "C", x.volunteer COLLATE "C"
		ON CONFLICT (station, volunteer) DO UPDATE
		   SET tenths = t.tenths + excluded.tenths, records = t.records + excluded.records,
		       last_year = greatest(t.last_year, excluded.last_year),
		       last_tenths = CASE WHEN excluded.last_year > t.last_year THEN excluded.last_tenths
					  WHEN excluded.last_year = t.last_year
					  THEN t.last_tenths + excluded.last_tenths
					  ELSE t.last_tenths END,
		       last_records = CASE WHEN excluded.last_year > t.last_year THEN excluded.last_records
					   WHEN excluded.last_year = t.last_year
					   THEN t.last_records + excluded.last_records
					   ELSE t.last_records END,
		       prior_tenths = CASE WHEN excluded.last_year > t.last_year + 1 THEN excluded.prior_tenths
					   WHEN excluded.last_year = t.last_year + 1
					   THEN t.last_tenths + excluded.prior_tenths
					   WHEN excluded.last_year = t.last_year
					   THEN t.prior_tenths + excluded.prior_tenths
					   WHEN excluded.last_year = t.last_year - 1
					   THEN t.prior_tenths + excluded.last_tenths
					   ELSE t.prior_tenths END,
		       prior_records = CASE WHEN excluded.last_year > t.last_year + 1 THEN excluded.prior_records
					    WHEN excluded.last_year = t.last_year + 1
					    THEN t.last_records + excluded.prior_records
					    WHEN excluded.last_year = t.last_year
					    THEN t.prior_records + excluded.prior_records
					    WHEN excluded.last_year = t.last_year - 1
					    THEN t.prior_records + excluded.last_records
					    ELSE t.prior_records END
		$q$, delta);
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format($q$
			WITH o AS MATERIALIZED (
				SELECT DISTINCT station, volunteer,
				       date_part('year', service_date)::smallint AS year
				  FROM (%s) o),
			g AS MATERIALIZED (SELECT DISTINCT o.station, o.volunteer FROM o),
			y AS (
				DELETE FROM sgz.hours_year_total t
				 USING o
				 WHERE t.station = o.station AND t.volunteer = o.volunteer
				   AND t.year = o.year AND t.records = 0),
			l AS (
				DELETE FROM sgz.hours_life_total t
				 USING g
				 WHERE t.station = g.station AND t.volunteer = g.volunteer
				   AND t.records = 0)
			UPDATE sgz.hours_life_total t
			   SET (last_year, last_tenths, last_records, prior_tenths, prior_records) =
				(SELECT m.year, m.tenths, m.records, coalesce(p.tenths, 0),
					coalesce(p.records, 0)
				   FROM (SELECT u.year, u.tenths, u.records FROM sgz.hours_year_total u
					  WHERE u.station = t.station AND u.volunteer = t.volunteer
					    AND u.records > 0
					  ORDER BY u.year DESC LIMIT 1) m
				   LEFT JOIN sgz.hours_year_total p
					  ON p.station = t.station AND p.volunteer = t.volunteer
					 AND p.year = m.year - 1 AND p.records > 0)
			  FROM g
			 WHERE t.station = g.station AND t.volunteer = g.volunteer AND t.records > 0
			$q$, delta);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION sgz.hours_totals_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total, sgz.hours_life_total;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION sgz.hours_totals_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total, sgz.hours_life_total;
	INSERT INTO sgz.hours_year_total (station, volunteer, volunteer_pid, year, tenths, records)
	SELECT h.station, h.volunteer, h.volunteer_pid, extract(year FROM h.service_date),
	       sum((h.hours * 10)::int), count(*)
	  FROM sgz.hours h
	 GROUP BY 1, 2, 3, 4;
	INSERT INTO sgz.hours_life_total (station, volunteer, volunteer_pid, tenths, records,
					  last_year, last_tenths, last_records, prior_tenths,
					  prior_records)
	SELECT t.station, t.volunteer, max(t.volunteer_pid), sum(t.tenths), sum(t.records),
	       max(t.m), sum(t.tenths) FILTER (WHERE t.year = t.m),
	       sum(t.records) FILTER (WHERE t.year = t.m),
	       coalesce(sum(t.tenths) FILTER (WHERE t.year = t.m - 1), 0),
	       coalesce(sum(t.records) FILTER (WHERE t.year = t.m - 1), 0)
	  FROM (SELECT y.*, max(y.year) OVER (PARTITION BY y.station, y.volunteer) AS m
		  FROM sgz.hours_year_total y) t
	 GROUP BY t.station, t.volunteer;
	TRUNCATE sgz.hours_day_total;
	INSERT INTO sgz.hours_day_total (volunteer, service_date, tenths)
	SELECT h.volunteer, h.service_date, sum((h.hours * 10)::integer)
	  FROM sgz.hours h
	 GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION sgz.hours_totals_apply(), sgz.hours_totals_truncate(),
	sgz.hours_totals_rebuild() FROM PUBLIC;

-- Published to a roll-up beside the year totals.
CREATE OR REPLACE FUNCTION sgz.rollup_tables() RETURNS regclass[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT ARRAY['sgz.station', 'sgz.service_point', 'sgz.staff', 'sgz.volunteer',
		     'sgz.activity', 'sgz.hours', 'sgz.hours_year_total', 'sgz.hours_life_total',
		     'sgz.recipient', 'sgz.case_file', 'sgz.visit', 'sgz.contract', 'sgz.evaluation',
		     'sgz.plan', 'sgz.community_org', 'sgz.outreach_visit', 'sgz.supervision',
		     'sgz.resource', 'sgz.training', 'sgz.programme', 'sgz.evaluation_score',
		     'sgz.payment', 'sgz.submission']::regclass[]
$$;

-- The reports. A volunteer's figures of the scope for the year Y of as_of:
-- y, his hours of Y (none: NULL), total, his hours up to Y (none: NULL),
-- summed by pid over his lifetime totals whose last_year is at most Y + 1
-- and the year totals up to Y of the others (the second branch: gated
-- off at once when there are none, as for this year's and last year's
-- reports).
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
 ), u AS (
	SELECT l.volunteer_pid,
	       CASE WHEN l.last_year = (EXTRACT(year FROM report_hours.as_of))::integer THEN l.last_tenths
		    WHEN l.prior_records > 0 AND l.last_year = (EXTRACT(year FROM report_hours.as_of))::integer + 1
		    THEN l.prior_tenths END AS y,
	       CASE WHEN l.last_year <= (EXTRACT(year FROM report_hours.as_of))::integer THEN l.tenths
		    ELSE l.tenths - l.last_tenths END AS total,
	       CASE WHEN l.last_year <= (EXTRACT(year FROM report_hours.as_of))::integer THEN l.records
		    ELSE l.records - l.last_records END AS records
	  FROM sgz.hours_life_total l
	 WHERE l.station >= sgz.report_low(report_hours.scope_prefix)
	   AND l.station <= sgz.report_high(report_hours.scope_prefix)
	   AND l.last_year <= (EXTRACT(year FROM report_hours.as_of))::integer + 1
	UNION ALL
	SELECT t.volunteer_pid,
	       CASE WHEN t.year = (EXTRACT(year FROM report_hours.as_of))::integer THEN t.tenths END,
	       t.tenths, t.records
	  FROM sgz.hours_year_total t
	 WHERE t.year <= (EXTRACT(year FROM report_hours.as_of))::integer
	   AND t.station >= sgz.report_low(report_hours.scope_prefix)
	   AND t.station <= sgz.report_high(report_hours.scope_prefix)
	   AND EXISTS (SELECT 1 FROM sgz.hours_life_total x
			WHERE x.last_year > (EXTRACT(year FROM report_hours.as_of))::integer + 1
			  AND x.station >= sgz.report_low(report_hours.scope_prefix)
			  AND x.station <= sgz.report_high(report_hours.scope_prefix))
	   AND EXISTS (SELECT 1 FROM sgz.hours_life_total l
			WHERE l.station = t.station AND l.volunteer_pid = t.volunteer_pid
			  AND l.last_year > (EXTRACT(year FROM report_hours.as_of))::integer + 1)
 ), h AS (
	SELECT u.volunteer_pid, sum(u.y) AS y,
	       CASE WHEN sum(u.records) > 0 THEN sum(u.total) END AS total
	  FROM u
	 GROUP BY u.volunteer_pid
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

CREATE OR REPLACE FUNCTION sgz.report_stars(scope_prefix text, as_of date)
 RETURNS TABLE(township_code text, station_name text, volunteers text, active_volunteers text, hours_year text, star1 text, star2 text, star3 text, star4 text, star5 text)
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
 ), u AS (
	SELECT l.volunteer_pid,
	       CASE WHEN l.last_year = (EXTRACT(year FROM report_stars.as_of))::integer THEN l.last_tenths
		    WHEN l.prior_records > 0 AND l.last_year = (EXTRACT(year FROM report_stars.as_of))::integer + 1
		    THEN l.prior_tenths END AS y,
	       CASE WHEN l.last_year <= (EXTRACT(year FROM report_stars.as_of))::integer THEN l.tenths
		    ELSE l.tenths - l.last_tenths END AS total,
	       CASE WHEN l.last_year <= (EXTRACT(year FROM report_stars.as_of))::integer THEN l.records
		    ELSE l.records - l.last_records END AS records
	  FROM sgz.hours_life_total l
	 WHERE l.station >= sgz.report_low(report_stars.scope_prefix)
	   AND l.station <= sgz.report_high(report_stars.scope_prefix)
	   AND l.last_year <= (EXTRACT(year FROM report_stars.as_of))::integer + 1
	UNION ALL
	SELECT t.volunteer_pid,
	       CASE WHEN t.year = (EXTRACT(year FROM report_stars.as_of))::integer THEN t.tenths END,
	       t.tenths, t.records
	  FROM sgz.hours_year_total t
	 WHERE t.year <= (EXTRACT(year FROM report_stars.as_of))::integer
	   AND t.station >= sgz.report_low(report_stars.scope_prefix)
	   AND t.station <= sgz.report_high(report_stars.scope_prefix)
	   AND EXISTS (SELECT 1 FROM sgz.hours_life_total x
			WHERE x.last_year > (EXTRACT(year FROM report_stars.as_of))::integer + 1
			  AND x.station >= sgz.report_low(report_stars.scope_prefix)
			  AND x.station <= sgz.report_high(report_stars.scope_prefix))
	   AND EXISTS (SELECT 1 FROM sgz.hours_life_total l
			WHERE l.station = t.station AND l.volunteer_pid = t.volunteer_pid
			  AND l.last_year > (EXTRACT(year FROM report_stars.as_of))::integer + 1)
 ), h AS (
	SELECT u.volunteer_pid, sum(u.y) AS y,
	       CASE WHEN sum(u.records) > 0 THEN sum(u.total) END AS total
	  FROM u
	 GROUP BY u.volunteer_pid
 ), lv AS (
	SELECT v.station,
	       h.y,
	       CASE WHEN (h.total >= cfg.s5) THEN 5
		    WHEN (h.total >= cfg.s4) THEN 4
		    WHEN (h.total >= cfg.s3) THEN 3
		    WHEN (h.total >= cfg.s2) THEN 2
		    WHEN (h.total >= cfg.s1) THEN 1
		    ELSE 0 END AS star
	  FROM ((sgz.volunteer v
	    LEFT JOIN h ON ((h.volunteer_pid = v.pid)))
	    CROSS JOIN cfg)
	 WHERE v.station >= sgz.report_low(report_stars.scope_prefix)
	   AND v.station <= sgz.report_high(report_stars.scope_prefix)
	   AND v.registered_on <= report_stars.as_of
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
	(COALESCE(p.volunteers, (0)::bigint))::text,
	(COALESCE(p.active, (0)::bigint))::text,
	sgz.report_hours_text(p.y),
	(COALESCE(p.s1, (0)::bigint))::text,
	(COALESCE(p.s2, (0)::bigint))::text,
	(COALESCE(p.s3, (0)::bigint))::text,
	(COALESCE(p.s4, (0)::bigint))::text,
	(COALESCE(p.s5, (0)::bigint))::text
   FROM (sgz.station t
     LEFT JOIN per p ON ((p.station = t.township)))
  WHERE t.township >= sgz.report_low(report_stars.scope_prefix)
    AND t.township <= sgz.report_high(report_stars.scope_prefix)
  ORDER BY (t.township COLLATE "C");
END;
