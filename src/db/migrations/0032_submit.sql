-- 0032: the monthly progress report submitted (spec/programmes.md,
-- Submission): the setting progress_due_day, sgz submit progress's work
-- in the database, the submissions report.

INSERT INTO sgz.setting (key, value, description) VALUES
	('progress_due_day', 26, 'day of the month the monthly progress report is due (003)');

CREATE OR REPLACE FUNCTION sgz.setting_range(k text, OUT low numeric, OUT high numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT r.low, r.high FROM (VALUES
		('star1_hours', 1, 100000), ('star2_hours', 1, 100000),
		('star3_hours', 1, 100000), ('star4_hours', 1, 100000),
		('star5_hours', 1, 100000),
		('registration_rate_target_pct', 0, 100),
		('visit_interval_days', 1, 366),
		('target_recipients_served', 0, 100000),
		('target_individual_pct', 0, 100),
		('target_large_events', 0, 1000), ('target_small_events', 0, 1000),
		('target_trainings', 0, 1000),
		('open_tender_threshold', 0, 1000000000000),
		('grade_excellent', 0, 100), ('grade_good', 0, 100), ('grade_pass', 0, 100),
		('hours_due_working_days', 1, 365),
		('community_orgs_urban_target', 0, 1000), ('community_orgs_rural_target', 0, 1000),
		('progress_due_day', 1, 28)
	) AS r(key, low, high)
	WHERE r.key = k
$$;

-- The due date of month period (YYYY-MM): its progress_due_day.
CREATE FUNCTION sgz.progress_due(period text) RETURNS date
LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT make_date(substr(period, 1, 4)::int, substr(period, 6, 2)::int,
			 sgz.setting_value('progress_due_day')::int);
END;

-- sgz submit progress: the county's progress figures of month (YYYY-MM) as
-- the progress report gives them now (a snapshot), with the day, the time
-- and the role; again replaces them (an update, in the trail). The month
-- must have ended, or be this month on or after its due day. county_code NULL:
-- the user's own scope, which must be a county. Written as the user: the
-- submission's policy keeps him to his scope. Returns the day's date and
-- whether it is late (after the due day).
CREATE FUNCTION sgz.submit_progress(county_code text, month text,
	OUT submitted_on date, OUT due_on date, OUT late boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c text := rpad(county_code, 12, '0');
	month_end date;
	snap jsonb;
BEGIN
	IF month IS NULL OR month !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
		RAISE EXCEPTION 'not a month (YYYY-MM, e.g. 2024-03)'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF c IS NULL THEN
		c := rpad(sgz.scope_prefix(), 12, '0');
	END IF;
	IF sgz.division_level(c) <> 3 THEN
		RAISE EXCEPTION '% is no county: give the county with --scope', c
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	due_on := sgz.progress_due(month);
	month_end := (date_trunc('month', due_on) + interval '1 month - 1 day')::date;
	IF current_date <= month_end AND current_date < due_on THEN
		RAISE EXCEPTION 'the progress report of % is not due yet: it is due on %', month,
			due_on
			USING ERRCODE = 'check_violation';
	END IF;
	SELECT to_jsonb(r) INTO snap
	  FROM sgz.report_progress(sgz.division_prefix(c), least(month_end, current_date)) r
	 WHERE r.county_code = c;
	INSERT INTO sgz.submission AS s (division, report, period, submitted_on, submitted_by,
					submitted_at, snapshot)
	VALUES (c, 'progress', month, current_date, session_user, now(),
		coalesce(snap, '{}'::jsonb))
	ON CONFLICT (division, report, period) DO UPDATE
	   SET submitted_on = EXCLUDED.submitted_on, submitted_by = EXCLUDED.submitted_by,
	       submitted_at = EXCLUDED.submitted_at, snapshot = EXCLUDED.snapshot;
	submitted_on := current_date;
	late := current_date > due_on;
END
$$;

REVOKE ALL ON FUNCTION sgz.submit_progress(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.submit_progress(text, text) TO sgz_admin, sgz_county;

-- ---- submissions: one row per county with stations in scope ----
--
-- For the month of as_of: its due day, the day it was submitted, and
-- on_time, late (submitted after the due day) or missing (none, and the
-- due day has passed; before that, empty).
CREATE FUNCTION sgz.report_submissions(scope_prefix text, as_of date)
RETURNS TABLE (county_code text, county_name text, month text, due_on text,
	       submitted_on text, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH k AS (
	SELECT DISTINCT rpad(left(t.township, 6), 12, '0') AS code
	  FROM sgz.station t
	 WHERE t.township BETWEEN sgz.report_low(report_submissions.scope_prefix)
			      AND sgz.report_high(report_submissions.scope_prefix)
), m AS (
	SELECT to_char(report_submissions.as_of, 'YYYY-MM') AS period
)
SELECT k.code,
       d.name,
       m.period,
       sgz.progress_due(m.period)::text,
       s.submitted_on::text,
       CASE WHEN s.submitted_on IS NOT NULL THEN
		 CASE WHEN s.submitted_on <= sgz.progress_due(m.period) THEN 'on_time'
		      ELSE 'late' END
	    WHEN current_date > sgz.progress_due(m.period) THEN 'missing' END
  FROM k
 CROSS JOIN m
  LEFT JOIN sgz.division d ON d.code = k.code
  LEFT JOIN sgz.submission s
    ON s.division = k.code AND s.report = 'progress' AND s.period = m.period
 ORDER BY k.code COLLATE "C";
END;
