-- 0018: writes as fast under the pids (0012) and the owner's policies
-- (0010) as before them.
--
-- 1. sgz.as_owner() in PL/pgSQL. As an SQL function it was planned again
--    on every call from a policy's initplan, about 0.25 ms, and a trigger's
--    statement run once per row (a case's counter and worker, a person's
--    pid) pays it several times a row: 12,000 cases took 9 s, three
--    quarters of it there, as the owner and as a superuser alike (who runs
--    the SECURITY DEFINER triggers as the owner). PL/pgSQL keeps its plan
--    for the session (0009 did the same for the scope bounds).
-- 2. The pair (number, pid) of a row naming a person is filled by the
--    per-row triggers of 0012 only when one of the two is missing, or
--    changed by an update; a writer that gives both (sgz's import, which
--    looks the pids up once per person) is checked once per statement:
--    every pair must be a person's (sgz.pids_agree()). A person's number
--    cannot change while a row names him (0003's foreign keys, 0007's
--    hours_referenced_guard), so a pair that agreed when written keeps
--    agreeing: nothing per row is needed on the people's side.
-- 3. The year totals of the hours take the pid from the hours rows in the
--    same statement that adds them up, instead of a look-up per total.
-- 4. A person's pid is not looked at by an update that leaves it alone.
-- 5. sgz.mask_id() is inlined where it is used: as STRICT, with a body
--    (CASE) that is not, it never was, and every masked number of a
--    masking view, a report or a search cost a call of an SQL function
--    (200,000 twice for the hours report of a province: most of its
--    1.6 s). A NULL number still gives NULL.

-- ---- 1 ----

CREATE OR REPLACE FUNCTION sgz.as_owner() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN coalesce((SELECT pg_get_userbyid(n.nspowner) = current_user
			   FROM pg_namespace n WHERE n.nspname = 'sgz'), false);
END
$$;

-- ---- 2 ----

-- Every pair (number column, pid column, people table) of TG_ARGV, taken
-- three by three, of the statement's rows names one person: the pid is
-- the pid of the person with that number. Both empty passes (a visit
-- without a worker). As the owner: the people may be outside the
-- writer's scope (that is scope_refs()'s to say), and the writer may not
-- read their numbers (0017).
CREATE FUNCTION sgz.pids_agree() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
	n bigint;
BEGIN
	FOR i IN 0 .. TG_NARGS / 3 - 1 LOOP
		EXECUTE format('SELECT n.%1$I AS num, n.%2$I AS pid FROM new_rows n'
			       ' WHERE (n.%1$I IS NOT NULL OR n.%2$I IS NOT NULL)'
			       '   AND NOT EXISTS (SELECT 1 FROM sgz.%3$I p'
			       '                    WHERE p.pid = n.%2$I AND p.id_number = n.%1$I)'
			       ' LIMIT 1',
			       TG_ARGV[3 * i], TG_ARGV[3 * i + 1], TG_ARGV[3 * i + 2])
			INTO r;
		GET DIAGNOSTICS n = ROW_COUNT;
		IF n > 0 THEN
			RAISE EXCEPTION 'ID number % and pid % are not one person',
				coalesce(sgz.mask_id(r.num), ''), coalesce(r.pid::text, '')
				USING ERRCODE = 'foreign_key_violation', COLUMN = TG_ARGV[3 * i],
				      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION sgz.pids_agree() FROM PUBLIC;

-- (After triggers fire by name: a_pids_agree_* first, so that a pair that
-- does not agree is said before what it would upset.)
DROP TRIGGER a_pids ON sgz.hours;
CREATE TRIGGER a_pids BEFORE INSERT ON sgz.hours
	FOR EACH ROW WHEN (NEW.volunteer IS NULL OR NEW.volunteer_pid IS NULL)
	EXECUTE FUNCTION sgz.hours_pids();
CREATE TRIGGER a_pids_update BEFORE UPDATE ON sgz.hours
	FOR EACH ROW WHEN (NEW.volunteer IS DISTINCT FROM OLD.volunteer
			   OR NEW.volunteer_pid IS DISTINCT FROM OLD.volunteer_pid)
	EXECUTE FUNCTION sgz.hours_pids();
CREATE TRIGGER a_pids_agree_insert AFTER INSERT ON sgz.hours
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('volunteer', 'volunteer_pid', 'volunteer');
CREATE TRIGGER a_pids_agree_update AFTER UPDATE ON sgz.hours
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('volunteer', 'volunteer_pid', 'volunteer');

DROP TRIGGER a_pids ON sgz.case_file;
CREATE TRIGGER a_pids BEFORE INSERT ON sgz.case_file
	FOR EACH ROW WHEN (NEW.recipient IS NULL OR NEW.recipient_pid IS NULL
			   OR NEW.worker IS NULL OR NEW.worker_pid IS NULL)
	EXECUTE FUNCTION sgz.case_file_pids();
CREATE TRIGGER a_pids_update BEFORE UPDATE ON sgz.case_file
	FOR EACH ROW WHEN (NEW.recipient IS DISTINCT FROM OLD.recipient
			   OR NEW.recipient_pid IS DISTINCT FROM OLD.recipient_pid
			   OR NEW.worker IS DISTINCT FROM OLD.worker
			   OR NEW.worker_pid IS DISTINCT FROM OLD.worker_pid)
	EXECUTE FUNCTION sgz.case_file_pids();
CREATE TRIGGER a_pids_agree_insert AFTER INSERT ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('recipient', 'recipient_pid', 'recipient',
					'worker', 'worker_pid', 'staff');
CREATE TRIGGER a_pids_agree_update AFTER UPDATE ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('recipient', 'recipient_pid', 'recipient',
					'worker', 'worker_pid', 'staff');

-- (A visit's worker may be empty: both empty need nothing.)
DROP TRIGGER a_pids ON sgz.visit;
CREATE TRIGGER a_pids BEFORE INSERT ON sgz.visit
	FOR EACH ROW WHEN ((NEW.worker IS NULL) <> (NEW.worker_pid IS NULL))
	EXECUTE FUNCTION sgz.visit_pids();
CREATE TRIGGER a_pids_update BEFORE UPDATE ON sgz.visit
	FOR EACH ROW WHEN (NEW.worker IS DISTINCT FROM OLD.worker
			   OR NEW.worker_pid IS DISTINCT FROM OLD.worker_pid)
	EXECUTE FUNCTION sgz.visit_pids();
CREATE TRIGGER a_pids_agree_insert AFTER INSERT ON sgz.visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('worker', 'worker_pid', 'staff');
CREATE TRIGGER a_pids_agree_update AFTER UPDATE ON sgz.visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('worker', 'worker_pid', 'staff');

-- ---- 3 ----

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
		INSERT INTO sgz.hours_year_total AS t (station, volunteer, volunteer_pid, year,
						      tenths, records)
		SELECT d.station, d.volunteer, d.volunteer_pid,
		       date_part('year', d.service_date)::smallint, sum(d.tenths), sum(d.records)
		  FROM (%s) d
		 GROUP BY 1, 2, 3, 4
		HAVING sum(d.tenths) <> 0 OR sum(d.records) <> 0
		 ORDER BY d.station COLLATE "C", d.volunteer COLLATE "C", 4
		ON CONFLICT (station, volunteer, year) DO UPDATE
		   SET tenths = t.tenths + excluded.tenths, records = t.records + excluded.records
		$q$, delta);
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format($q$
			DELETE FROM sgz.hours_year_total t
			 USING (SELECT DISTINCT station, volunteer,
					date_part('year', service_date)::smallint AS year
				  FROM (%s) o) g
			 WHERE t.station = g.station AND t.volunteer = g.volunteer
			   AND t.year = g.year AND t.records = 0
			$q$, minus);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION sgz.hours_totals_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total;
	INSERT INTO sgz.hours_year_total (station, volunteer, volunteer_pid, year, tenths, records)
	SELECT h.station, h.volunteer, h.volunteer_pid, extract(year FROM h.service_date),
	       sum((h.hours * 10)::int), count(*)
	  FROM sgz.hours h
	 GROUP BY 1, 2, 3, 4;
	TRUNCATE sgz.hours_day_total;
	INSERT INTO sgz.hours_day_total (volunteer, service_date, tenths)
	SELECT h.volunteer, h.service_date, sum((h.hours * 10)::integer)
	  FROM sgz.hours h
	 GROUP BY 1, 2;
END
$$;

-- The look-up stays for a writer that gives no pid, or renames.
DROP TRIGGER hours_year_total_pid ON sgz.hours_year_total;
CREATE TRIGGER hours_year_total_pid BEFORE INSERT ON sgz.hours_year_total
	FOR EACH ROW WHEN (NEW.volunteer_pid IS NULL)
	EXECUTE FUNCTION sgz.hours_year_total_pid();
CREATE TRIGGER hours_year_total_pid_update BEFORE UPDATE ON sgz.hours_year_total
	FOR EACH ROW WHEN (NEW.volunteer IS DISTINCT FROM OLD.volunteer)
	EXECUTE FUNCTION sgz.hours_year_total_pid();

-- ---- 4 ----

-- (The look-up on insert stays dynamic, planned for each row: a plan kept
-- for the session, made while the table was still empty, scanned the whole
-- table for every row of a first import.)
DROP TRIGGER staff_pid ON sgz.staff;
DROP TRIGGER volunteer_pid ON sgz.volunteer;
DROP TRIGGER recipient_pid ON sgz.recipient;
CREATE TRIGGER staff_pid BEFORE INSERT ON sgz.staff
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER staff_pid_update BEFORE UPDATE ON sgz.staff
	FOR EACH ROW WHEN (NEW.pid IS DISTINCT FROM OLD.pid)
	EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER volunteer_pid BEFORE INSERT ON sgz.volunteer
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER volunteer_pid_update BEFORE UPDATE ON sgz.volunteer
	FOR EACH ROW WHEN (NEW.pid IS DISTINCT FROM OLD.pid)
	EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER recipient_pid BEFORE INSERT ON sgz.recipient
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER recipient_pid_update BEFORE UPDATE ON sgz.recipient
	FOR EACH ROW WHEN (NEW.pid IS DISTINCT FROM OLD.pid)
	EXECUTE FUNCTION sgz.person_pid_keep();

-- ---- 5 ----

ALTER FUNCTION sgz.mask_id(text) CALLED ON NULL INPUT;
