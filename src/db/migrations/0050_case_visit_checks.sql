-- 0050: the cases' and visits' rules checked once per statement.
--
-- Imports of cases and visits spent most of their time in statements run
-- once per row under row-level security, whose bounds (the initplans of
-- sgz.scope_low() and sgz.scope_high(), each a call of
-- sgz.scope_prefix()) are worked out again on every run: on the province
-- set at scale 0.1, visit_check()'s look-up of the case 3.8 s of a 7.4 s
-- import of 40,000 visits, case_file_assign()'s test of the worker 0.56 s
-- of a 2.9 s import of 12,000 cases. The rules stay, for every writer:
--
-- * A case's worker is an active staff member of its station on the day
--   it was opened: tested for the statement's rows at once, after them
--   (sgz.case_file_worker_check()), with the same message. The test reads
--   sgz.staff by its key, row by row (a nested loop without a
--   materialised scan of the staff under the policy's bounds, which the
--   planner takes for a handful of rows), or hashed for many rows.
--
-- * A case number given (a historic case's) moves its township's counter
--   past it, so that the numbers drawn later do not take it: once per
--   statement, the greatest number of each township and year, after the
--   rows (sgz.case_counters_follow(); 0.69 s of the 12,000 cases row by
--   row). An import takes the counters of its numbers first, before its
--   rows (the dictionary's stage_sql), as the row trigger did, so that a
--   save drawing a number of the same township meanwhile waits for the
--   counter rather than for a row of the import it would collide with.
--
-- * A visit's station is its case's. visit_check() still fills it, as
--   before, for a visit written without one (every save of the form and
--   the grid) and on every update; a visit inserted with its station (an
--   import, which finds the stations of its cases in one statement) is
--   checked with the statement's other rows after them
--   (sgz.visit_check_rows(), as the writer, the case under the writer's
--   scope as visit_check() reads it): the case exists, the station is
--   its case's, the visit is neither before the case was opened nor in
--   the future, with visit_check()'s messages.
--
-- * The pairs of number and pid (sgz.pids_agree(), 0018) are compared
--   once per distinct pair: the planner took the staff under the policy's
--   bounds for a handful of rows and compared every visit with every staff
--   member of the province (0.57 s of the 40,000 visits).

CREATE FUNCTION sgz.case_file_worker_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_material = off AS $$
DECLARE
	r record;
BEGIN
	SELECT n.worker, n.station, n.opened_on INTO r FROM new_rows n
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.staff s
			    WHERE s.id_number = n.worker AND s.station = n.station
			      AND s.hired_on <= n.opened_on
			      AND (s.left_on IS NULL OR s.left_on > n.opened_on))
	 LIMIT 1;
	IF FOUND THEN
		-- rules.md: the responsible worker is an active staff member of
		-- the case's station (whose scope is the writer's: the policy
		-- sees to it).
		RAISE EXCEPTION 'worker % is not an active staff member of station % on %',
			r.worker, r.station, r.opened_on
			USING ERRCODE = 'check_violation', COLUMN = 'worker';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER a_worker_check_insert AFTER INSERT ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_file_worker_check();
CREATE TRIGGER a_worker_check_update AFTER UPDATE ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_file_worker_check();

-- 0010's function, but the worker's test and the counter of a number
-- given, which the statement's triggers make now.
CREATE OR REPLACE FUNCTION sgz.case_file_assign() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p text;
	n integer;
BEGIN
	IF NEW.case_no IS NULL OR NEW.case_no = '' THEN
		p := substr(NEW.station, 1, 9) || '-' || extract(year FROM NEW.opened_on)::int;
		INSERT INTO sgz.case_counter AS c (prefix, last)
		VALUES (p, 1 + coalesce((SELECT max(split_part(f.case_no, '-', 3)::int)
					   FROM sgz.case_file f
					  WHERE f.case_no LIKE p || '-%'), 0))
		ON CONFLICT (prefix) DO UPDATE SET last = c.last + 1
		RETURNING last INTO n;
		WHILE EXISTS (SELECT 1 FROM sgz.case_file f
			       WHERE f.case_no = p || '-' || lpad(n::text, 4, '0')) LOOP
			UPDATE sgz.case_counter c SET last = c.last + 1 WHERE c.prefix = p
			RETURNING last INTO n;
		END LOOP;
		NEW.case_no := p || '-' || lpad(n::text, 4, '0');
	ELSIF TG_OP = 'INSERT' OR NEW.case_no IS DISTINCT FROM OLD.case_no THEN
		-- (OLD is NULL on INSERT: the second test is then NULL, not an error.)
		IF substr(NEW.case_no, 1, 9) <> substr(NEW.station, 1, 9) THEN
			RAISE EXCEPTION 'case number % is not of the township of station %',
				NEW.case_no, NEW.station
				USING ERRCODE = 'check_violation', COLUMN = 'case_no';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

-- A number given (a historic case's) moves its township's counter past it,
-- for the statement's rows at once: the greatest number of each township
-- and year, the counters locked in their order. (An import takes them
-- before its rows, as the row trigger did: a save that draws a number of
-- the same township meanwhile waits for it rather than for the row it would
-- collide with.) On an update, only the numbers the statement gives anew.
CREATE FUNCTION sgz.case_counters_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO sgz.case_counter AS c (prefix, last)
		SELECT left(n.case_no, 14), max(split_part(n.case_no, '-', 3)::int)
		  FROM new_rows n WHERE n.case_no ~ '^[0-9]{9}-[0-9]{4}-[0-9]{4,9}$'
		 GROUP BY 1 ORDER BY 1
		ON CONFLICT (prefix) DO UPDATE SET last = excluded.last WHERE c.last < excluded.last;
	ELSE
		INSERT INTO sgz.case_counter AS c (prefix, last)
		SELECT left(n.case_no, 14), max(split_part(n.case_no, '-', 3)::int)
		  FROM new_rows n WHERE n.case_no ~ '^[0-9]{9}-[0-9]{4}-[0-9]{4,9}$'
		   AND NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.case_no = n.case_no)
		 GROUP BY 1 ORDER BY 1
		ON CONFLICT (prefix) DO UPDATE SET last = excluded.last WHERE c.last < excluded.last;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER a_counters_insert AFTER INSERT ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_counters_follow();
CREATE TRIGGER a_counters_update AFTER UPDATE ON sgz.case_file
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.case_counters_follow();

-- A visit inserted with its station is checked by the statement's
-- trigger; updates, and inserts without a station, as before.
DROP TRIGGER visit_check ON sgz.visit;
CREATE TRIGGER visit_check BEFORE INSERT ON sgz.visit
	FOR EACH ROW WHEN (NEW.station IS NULL) EXECUTE FUNCTION sgz.visit_check();
CREATE TRIGGER visit_check_update BEFORE UPDATE ON sgz.visit
	FOR EACH ROW EXECUTE FUNCTION sgz.visit_check();

CREATE FUNCTION sgz.visit_check_rows() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET enable_material = off AS $$
DECLARE
	r record;
BEGIN
	-- the first row at fault, by visit_check()'s order of tests
	SELECT n.case_no, n.visit_date, n.station AS given, c.station, c.opened_on,
	       c.case_no IS NULL AS missing
	  INTO r
	  FROM new_rows n LEFT JOIN sgz.case_file c ON c.case_no = n.case_no
	 WHERE c.case_no IS NULL OR c.station <> n.station OR n.visit_date < c.opened_on
	    OR n.visit_date > current_date
	 ORDER BY c.case_no IS NULL DESC, c.station <> n.station DESC,
		  n.visit_date < c.opened_on DESC
	 LIMIT 1;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF r.missing THEN
		RAISE EXCEPTION 'case % does not exist', r.case_no
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'case_no';
	END IF;
	IF r.station <> r.given THEN
		RAISE EXCEPTION 'a visit of case % is of its station %, not %', r.case_no,
			r.station, r.given
			USING ERRCODE = 'check_violation', COLUMN = 'station';
	END IF;
	IF r.visit_date < r.opened_on THEN
		RAISE EXCEPTION 'visit on % is before case % was opened (%)', r.visit_date,
			r.case_no, r.opened_on
			USING ERRCODE = 'check_violation', COLUMN = 'visit_date';
	END IF;
	RAISE EXCEPTION 'visit on % is in the future', r.visit_date
		USING ERRCODE = 'check_violation', COLUMN = 'visit_date';
END
$$;

CREATE TRIGGER a_check_rows AFTER INSERT ON sgz.visit
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.visit_check_rows();

-- 0018's function, each distinct pair compared once.
CREATE OR REPLACE FUNCTION sgz.pids_agree() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
	n bigint;
BEGIN
	FOR i IN 0 .. TG_NARGS / 3 - 1 LOOP
		EXECUTE format('SELECT n.num, n.pid FROM (SELECT DISTINCT n.%1$I AS num, n.%2$I AS pid'
			       '                           FROM new_rows n'
			       '                          WHERE n.%1$I IS NOT NULL OR n.%2$I IS NOT NULL) n'
			       ' WHERE NOT EXISTS (SELECT 1 FROM sgz.%3$I p'
			       '                    WHERE p.pid = n.pid AND p.id_number = n.num)'
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
