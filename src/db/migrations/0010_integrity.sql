-- 0010: integrity under concurrency and across scopes (issue 8).
--
-- The rules of 0003-0009 held for one writer who could see every row they
-- depend on. Here they hold whoever writes: two transactions at once,
-- writers of different scopes, a row changed after the rows that depend on
-- it were checked, and a session whose search_path is hostile.
--
--   * Checks that must see the whole table run as the owner (SECURITY
--     DEFINER, search_path pinned) and say only their verdict. Inside such a
--     function current_user is the owner of the schema, and the policies
--     give the owner every row (sgz.as_owner() below): the policies follow
--     session_user for people and current_user only for this.
--   * A volunteer's day is one row of sgz.hours_day_total, updated by every
--     statement that writes hours of that day: two writers of the same day
--     queue on that row, the second sees the first's hours, at every
--     isolation level (REPEATABLE READ gets a serialisation failure).
--   * Case numbers: the township part is the case's own township; the
--     counter moves past every number taken, in any scope.
--   * Rows whose scope comes from a parent follow it (a case's visits).
--   * A change to a row that others refer to is checked against them.
--   * Column privileges: a station's standing is the county's (rules.md).
--   * sgz manages only the roles it created (members of sgz_users), and
--     gives each the timeouts of the configuration.
--   * Every function of the schema pins its search_path, or is an SQL
--     function whose body was bound when it was created (BEGIN ATOMIC):
--     a function public.rpad() or an operator public.> of a user's own
--     changes nothing sgz computes.

-- ---- the owner sees every row ----

-- True inside a SECURITY DEFINER function of the schema's owner (and for
-- the owner's own sessions, which see everything anyway). Not SECURITY
-- DEFINER itself: it reads current_user as the caller has it.
CREATE FUNCTION sgz.as_owner() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n
			JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
		       WHERE n.nspname = 'sgz' AND r.rolname = CURRENT_USER);
END;

-- The policies' bounds (0004), with the owner's case first: a check that
-- runs as the owner must see rows outside the session's scope, whoever
-- the session is. PL/pgSQL, so the plans are kept for the session (0009).
-- A user's own statement (current_user is session_user) skips the look-up
-- of the owner: the owner's own sessions get everything from scope_prefix().
CREATE OR REPLACE FUNCTION sgz.scope_low() RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF current_user <> session_user AND sgz.as_owner() THEN
		RETURN '000000000000';
	END IF;
	RETURN pg_catalog.rpad(sgz.scope_prefix(), 12, '0');
END
$$;

CREATE OR REPLACE FUNCTION sgz.scope_high() RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF current_user <> session_user AND sgz.as_owner() THEN
		RETURN '999999999999';
	END IF;
	RETURN pg_catalog.rpad(sgz.scope_prefix(), 12, '9');
END
$$;

-- The counter's policy tested the session's prefix alone.
DROP POLICY scope ON sgz.case_counter;
CREATE POLICY scope ON sgz.case_counter
	USING ((SELECT sgz.as_owner()) OR prefix LIKE (SELECT sgz.scope_prefix()) || '%')
	WITH CHECK ((SELECT sgz.as_owner())
		    OR sgz.scope_ok(prefix LIKE (SELECT sgz.scope_prefix()) || '%',
				    'case_no', prefix));

-- A division code's significant digits, by its level: 120110000000 is
-- 120110, 120000000000 is 12. Never by trimming zeros: 120110 trimmed is
-- 12011, which 120111 (another county) also starts with.
CREATE FUNCTION sgz.division_prefix(code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT left(code, (ARRAY[2, 4, 6, 9, 12])[sgz.division_level(code)]);
END;

-- A resident ID number as the lists show it (rules.md: display masks).
CREATE FUNCTION sgz.mask_id(id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN length(id) > 8 THEN left(id, 4) || repeat('*', length(id) - 8) || right(id, 4)
		    ELSE id END;
END;

-- ---- a volunteer's day: at most 24 hours, whoever writes ----

CREATE TABLE sgz.hours_day_total (
	volunteer text NOT NULL,
	service_date date NOT NULL,
	tenths integer NOT NULL, -- hours × 10
	PRIMARY KEY (volunteer, service_date)
);

-- Written by the triggers as the owner, read by nobody else: it adds up
-- hours of every station.
ALTER TABLE sgz.hours_day_total ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.hours_day_total FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON sgz.hours_day_total USING ((SELECT sgz.as_owner()));

INSERT INTO sgz.hours_day_total (volunteer, service_date, tenths)
SELECT h.volunteer, h.service_date, sum((h.hours * 10)::integer)
  FROM sgz.hours h
 GROUP BY 1, 2;

-- Adds the statement's hours to their days and takes away what it replaced
-- or deleted, in one upsert in key order (bytewise), so that statements
-- naming the same days lock them in the same order and cannot deadlock.
-- The upsert waits for a concurrent writer of the same day and then adds
-- to the total that writer left: the day's new total comes back from it,
-- and a day that grew past 24 hours is refused. A day that was over 24
-- before this migration may still shrink.
CREATE FUNCTION sgz.hours_day_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	plus CONSTANT text := 'SELECT volunteer, service_date, (hours * 10)::int AS tenths '
			      'FROM new_rows';
	minus CONSTANT text := 'SELECT volunteer, service_date, -(hours * 10)::int AS tenths '
			       'FROM old_rows';
	r record;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		TRUNCATE sgz.hours_day_total;
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		-- Every day only grows: the totals that come back over 24 are
		-- the refused ones, with no need to pair them with their delta.
		WITH up AS (
			INSERT INTO sgz.hours_day_total AS t (volunteer, service_date, tenths)
			SELECT n.volunteer, n.service_date, sum((n.hours * 10)::integer)
			  FROM new_rows n
			 GROUP BY 1, 2
			 ORDER BY n.volunteer COLLATE "C", n.service_date
			ON CONFLICT (volunteer, service_date) DO UPDATE
			   SET tenths = t.tenths + excluded.tenths
			RETURNING t.volunteer, t.service_date, t.tenths)
		SELECT up.volunteer, up.service_date INTO r FROM up WHERE up.tenths > 240 LIMIT 1;
	ELSE
		EXECUTE format($q$
			WITH delta AS MATERIALIZED (
				SELECT d.volunteer, d.service_date, sum(d.tenths) AS tenths
				  FROM (%s) d
				 GROUP BY 1, 2
				HAVING sum(d.tenths) <> 0),
			up AS (
				INSERT INTO sgz.hours_day_total AS t (volunteer, service_date, tenths)
				SELECT d.volunteer, d.service_date, d.tenths FROM delta d
				 ORDER BY d.volunteer COLLATE "C", d.service_date
				ON CONFLICT (volunteer, service_date) DO UPDATE
				   SET tenths = t.tenths + excluded.tenths
				RETURNING t.volunteer, t.service_date, t.tenths)
			SELECT up.volunteer, up.service_date FROM up
			  JOIN delta d ON d.volunteer = up.volunteer
				      AND d.service_date = up.service_date
			 WHERE d.tenths > 0 AND up.tenths > 240
			 ORDER BY up.volunteer COLLATE "C", up.service_date LIMIT 1
			$q$, CASE TG_OP WHEN 'UPDATE' THEN plus || ' UNION ALL ' || minus
					ELSE minus END)
			INTO r;
	END IF;
	IF r.volunteer IS NOT NULL THEN
		-- The writer has the volunteer in scope (hours_check and
		-- scope_refs refuse others): the name is theirs to see; the
		-- number is masked, and the other stations' hours are not told.
		RAISE EXCEPTION 'hours of % on % add up to more than 24',
			(SELECT v.name || ' (' || sgz.mask_id(v.id_number) || ')'
			   FROM sgz.volunteer v WHERE v.id_number = r.volunteer),
			r.service_date
			USING ERRCODE = 'check_violation', COLUMN = 'hours';
	END IF;
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format($q$
			DELETE FROM sgz.hours_day_total t
			 USING (SELECT DISTINCT volunteer, service_date FROM (%s) o) g
			 WHERE t.volunteer = g.volunteer AND t.service_date = g.service_date
			   AND t.tenths = 0
			$q$, minus);
	END IF;
	RETURN NULL;
END
$$;

-- Named to fire after hours_check_* (which refuses a volunteer the writer
-- cannot see before anything is said about their day) and before
-- hours_totals_* (the triggers of one event fire in the order of names).
CREATE TRIGGER hours_day_insert AFTER INSERT ON sgz.hours
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_day_apply();
CREATE TRIGGER hours_day_update AFTER UPDATE ON sgz.hours
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_day_apply();
CREATE TRIGGER hours_day_delete AFTER DELETE ON sgz.hours
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_day_apply();
CREATE TRIGGER hours_day_truncate AFTER TRUNCATE ON sgz.hours
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_day_apply();

-- hours_totals_rebuild() (0005) rebuilds the days too.
CREATE OR REPLACE FUNCTION sgz.hours_totals_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	TRUNCATE sgz.hours_year_total;
	INSERT INTO sgz.hours_year_total (station, volunteer, year, tenths, records)
	SELECT h.station, h.volunteer, extract(year FROM h.service_date), sum((h.hours * 10)::int),
	       count(*)
	  FROM sgz.hours h
	 GROUP BY 1, 2, 3;
	TRUNCATE sgz.hours_day_total;
	INSERT INTO sgz.hours_day_total (volunteer, service_date, tenths)
	SELECT h.volunteer, h.service_date, sum((h.hours * 10)::integer)
	  FROM sgz.hours h
	 GROUP BY 1, 2;
END
$$;

-- hours_check (0007) less the day's total, which hours_day_apply keeps,
-- and with the volunteer's number masked in its messages, as the lists
-- show it.
-- It stays the writer's own: a volunteer, station or activity outside the
-- writer's scope is "not registered" / "does not exist", as one that is
-- nowhere.
CREATE OR REPLACE FUNCTION sgz.hours_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
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
		  FROM new_rows n JOIN sgz.volunteer v ON v.id_number = n.volunteer
		   FOR KEY SHARE OF v) j;
	future := r.future > 0;
	early := r.early > 0;
	IF r.found < (SELECT count(*) FROM new_rows) THEN
		SELECT d.volunteer INTO r FROM (SELECT DISTINCT n.volunteer FROM new_rows n) d
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.volunteer v WHERE v.id_number = d.volunteer)
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
		  FROM (SELECT n.volunteer, min(n.service_date) AS service_date
			  FROM new_rows n GROUP BY n.volunteer) d
		  JOIN sgz.volunteer v ON v.id_number = d.volunteer
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
$$;

-- ---- guards of what still refers to a row: they see every scope ----

-- A volunteer whose hours another station recorded is still referred to,
-- whether or not the one deleting them can see those hours.
ALTER FUNCTION sgz.hours_referenced_guard() SECURITY DEFINER;
ALTER FUNCTION sgz.activity_hours_guard() SECURITY DEFINER;
ALTER FUNCTION sgz.activity_hours_truncate_guard() SECURITY DEFINER;
ALTER FUNCTION sgz.service_point_villages_check() SECURITY DEFINER;

-- A station named by a contract is referred to like one named by a
-- foreign key.
CREATE FUNCTION sgz.station_contract_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	SELECT o.township INTO k FROM old_rows o
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = o.township)
	   AND EXISTS (SELECT 1 FROM sgz.contract c WHERE c.stations @> ARRAY[o.township])
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'station % is still named by a contract', k
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER station_contract_guard_delete AFTER DELETE ON sgz.station
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.station_contract_guard();
CREATE TRIGGER station_contract_guard_update AFTER UPDATE ON sgz.station
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.station_contract_guard();

-- ---- case numbers ----

-- 0003's, as the owner: the township part of a number given by hand must
-- be the case's own township; a number given by hand moves the counter
-- past it; a number drawn skips any taken, in whatever scope, so that a
-- township can always open a case.
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
		IF NEW.case_no ~ '^[0-9]{9}-[0-9]{4}-[0-9]{4,9}$' THEN
			p := split_part(NEW.case_no, '-', 1) || '-' || split_part(NEW.case_no, '-', 2);
			n := split_part(NEW.case_no, '-', 3)::int;
			INSERT INTO sgz.case_counter AS c (prefix, last) VALUES (p, n)
			ON CONFLICT (prefix) DO UPDATE SET last = greatest(c.last, excluded.last);
		END IF;
	END IF;
	-- rules.md: the responsible worker is an active staff member of the
	-- case's station (whose scope is the writer's: the policy sees to it).
	IF NOT EXISTS (SELECT 1 FROM sgz.staff s
			WHERE s.id_number = NEW.worker AND s.station = NEW.station
			  AND s.hired_on <= NEW.opened_on
			  AND (s.left_on IS NULL OR s.left_on > NEW.opened_on)) THEN
		RAISE EXCEPTION 'worker % is not an active staff member of station % on %',
			NEW.worker, NEW.station, NEW.opened_on
			USING ERRCODE = 'check_violation', COLUMN = 'worker';
	END IF;
	RETURN NEW;
END
$$;

-- ---- rows that take their scope from a parent follow it ----

-- A case moved to another station takes its visits along: visit.station
-- is the case's (visit_check copies it on every write of the visit).
CREATE FUNCTION sgz.case_file_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE sgz.visit v SET station = NEW.station
	 WHERE v.case_no = NEW.case_no AND v.station IS DISTINCT FROM NEW.station;
	RETURN NULL;
END
$$;

CREATE TRIGGER case_file_follow AFTER UPDATE OF station ON sgz.case_file
	FOR EACH ROW WHEN (OLD.station IS DISTINCT FROM NEW.station)
	EXECUTE FUNCTION sgz.case_file_follow();

-- ---- a change to a row is checked against the rows that refer to it ----

-- A volunteer's registration date after hours they served.
CREATE FUNCTION sgz.volunteer_registered_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM sgz.hours h
		    WHERE h.volunteer = NEW.id_number AND h.service_date < NEW.registered_on) THEN
		RAISE EXCEPTION 'volunteer % has service hours recorded before %',
			sgz.mask_id(NEW.id_number), NEW.registered_on
			USING ERRCODE = 'check_violation', COLUMN = 'registered_on';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER volunteer_registered_check AFTER UPDATE OF registered_on ON sgz.volunteer
	FOR EACH ROW WHEN (NEW.registered_on > OLD.registered_on)
	EXECUTE FUNCTION sgz.volunteer_registered_check();

-- A staff member moved to another station, or leaving, while still the
-- worker of open cases: the cases need another worker first (rules.md: the
-- responsible worker is an active staff member of the case's station).
CREATE FUNCTION sgz.staff_cases_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c text;
BEGIN
	SELECT f.case_no INTO c FROM sgz.case_file f
	 WHERE f.worker = NEW.id_number AND f.status <> 'closed'
	   AND NOT (f.station = NEW.station AND NEW.hired_on <= f.opened_on
		    AND (NEW.left_on IS NULL OR NEW.left_on > greatest(f.opened_on, current_date)))
	 ORDER BY f.case_no LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'staff member % is the worker of open case %: give the case another worker first',
			NEW.name, c
			USING ERRCODE = 'check_violation',
			      COLUMN = CASE WHEN NEW.station IS DISTINCT FROM OLD.station THEN 'station'
					    WHEN NEW.left_on IS DISTINCT FROM OLD.left_on THEN 'left_on'
					    ELSE 'hired_on' END;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER staff_cases_check AFTER UPDATE OF station, hired_on, left_on ON sgz.staff
	FOR EACH ROW
	WHEN ((OLD.station, OLD.hired_on, OLD.left_on) IS DISTINCT FROM
	      (NEW.station, NEW.hired_on, NEW.left_on))
	EXECUTE FUNCTION sgz.staff_cases_check();

-- A case's opening date after its visits.
CREATE FUNCTION sgz.case_file_visits_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	d date;
BEGIN
	SELECT min(v.visit_date) INTO d FROM sgz.visit v WHERE v.case_no = NEW.case_no;
	IF d < NEW.opened_on THEN
		RAISE EXCEPTION 'visit on % is before case % was opened (%)', d, NEW.case_no,
			NEW.opened_on
			USING ERRCODE = 'check_violation', COLUMN = 'opened_on';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER case_file_visits_check AFTER UPDATE OF opened_on ON sgz.case_file
	FOR EACH ROW WHEN (NEW.opened_on > OLD.opened_on)
	EXECUTE FUNCTION sgz.case_file_visits_check();

-- ---- contracts: within the purchaser by its level ----

-- The purchaser's prefix by level (0003 trimmed zeros: 120110 became
-- 12011). The scope first, then existence: a station outside the
-- purchaser is refused the same whether it exists or not.
CREATE OR REPLACE FUNCTION sgz.contract_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
	prefix text := sgz.division_prefix(NEW.purchaser);
BEGIN
	FOREACH s IN ARRAY NEW.stations LOOP
		IF s NOT LIKE prefix || '%' THEN
			RAISE EXCEPTION 'station % is not within the purchaser %', s, NEW.purchaser
				USING ERRCODE = 'check_violation', COLUMN = 'stations';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = s) THEN
			RAISE EXCEPTION 'station % does not exist', s
				USING ERRCODE = 'foreign_key_violation', COLUMN = 'stations';
		END IF;
	END LOOP;
	RETURN NEW;
END
$$;

-- ---- a person out of scope is a person who is not there ----

-- 0004's check of the people a row names, saying what a foreign key says
-- of a key that is nowhere, to a user under row-level security (who is
-- not shown the key): the constraint is named <table>_<column>_exists as
-- the foreign keys of 0003 are.
CREATE OR REPLACE FUNCTION sgz.scope_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	prefix text := sgz.scope_prefix();
	bad text;
BEGIN
	IF prefix IS NULL OR prefix = '' THEN
		RETURN NULL;
	END IF;
	EXECUTE format('SELECT d.v FROM (SELECT DISTINCT n.%1$I AS v FROM new_rows n) d'
		       '  JOIN %2$s r ON r.%3$I = d.v'
		       ' WHERE r.%4$I NOT BETWEEN $1 AND $2 LIMIT 1',
		       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3])
		INTO bad USING rpad(prefix, 12, '0'), rpad(prefix, 12, '9');
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
			TG_TABLE_NAME, TG_TABLE_NAME || '_' || TG_ARGV[0] || '_exists'
			USING ERRCODE = 'foreign_key_violation',
			      CONSTRAINT = TG_TABLE_NAME || '_' || TG_ARGV[0] || '_exists',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA,
			      DETAIL = format('Key is not present in table "%s".',
					      split_part(TG_ARGV[1], '.', 2));
	END IF;
	RETURN NULL;
END
$$;

-- ---- column privileges: a station's standing is the county's ----

-- rules.md, Access: status, batch year, operation mode, organisation (and
-- with them the name, the date established and the site tags) are set by
-- the county; station users keep the facilities, signage and party group.
REVOKE UPDATE ON sgz.station FROM sgz_station;
GRANT UPDATE (facilities, signage, party_group) ON sgz.station TO sgz_station;

-- ---- sgz manages only the roles it created ----

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sgz_users') THEN
		CREATE ROLE sgz_users NOLOGIN;
	END IF;
END
$$;


CREATE OR REPLACE FUNCTION sgz.user_manageable(role_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF role_name IS NULL OR role_name !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
		RAISE EXCEPTION 'role name "%" is not a login name: lower-case letters, digits, '
			'_ . -, starting with a letter or _, at most 63 characters', role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF role_name LIKE 'pg\_%'
	   OR role_name IN ('public', 'none', 'sgz_admin', 'sgz_region', 'sgz_county',
			    'sgz_station', 'sgz_evaluator', 'sgz_users') THEN
		RAISE EXCEPTION 'role name % is reserved', role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = role_name;
	IF FOUND AND (r.rolsuper OR r.rolcreaterole OR r.rolbypassrls OR r.rolreplication
		      OR r.oid = (SELECT n.nspowner FROM pg_namespace n
				   WHERE n.nspname = 'sgz')) THEN
		RAISE EXCEPTION 'role % is a superuser, holds CREATEROLE, BYPASSRLS or '
			'REPLICATION, or owns the database schema: sgz does not manage it',
			role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- A role of the cluster that sgz did not create belongs to someone
	-- else (another application, a person's own login): not taken over.
	IF FOUND AND NOT pg_has_role(r.oid, 'sgz_users', 'MEMBER') THEN
		RAISE EXCEPTION 'role % exists and was not created by sgz: sgz does not manage it',
			role_name
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'choose another name, or have the database administrator '
				     'GRANT sgz_users TO it to hand it to sgz';
	END IF;
END
$$;

-- The configuration's timeouts hold for a user's psql too. sgz sets
-- statement_timeout, lock_timeout and idle_in_transaction_session_timeout
-- on every connection it opens ([database] in sgz.ini), but staff can
-- also reach the database with psql (peer authentication lets them), where
-- nothing limited them: a county user's LOCK TABLE left open in a
-- transaction blocked everyone else. The timeouts become settings of each
-- user's role, which PostgreSQL applies at every login, whatever the
-- client. sgz user add takes them from the session that adds the user (sgz
-- sets the configuration's values on its connection); a session without
-- them (psql) gives sgz's defaults.
-- The role settings for the timeouts of the calling session.
CREATE FUNCTION sgz.user_timeouts(role_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
	v text;
BEGIN
	FOREACH k IN ARRAY ARRAY['statement_timeout', 'lock_timeout',
				 'idle_in_transaction_session_timeout'] LOOP
		v := current_setting(k);
		IF v = '0' THEN
			v := CASE k WHEN 'statement_timeout' THEN '30s'
				    WHEN 'lock_timeout' THEN '5s'
				    ELSE '60s' END;
		END IF;
		EXECUTE format('ALTER ROLE %I SET %I = %L', role_name, k, v);
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION sgz.user_timeouts(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION sgz.user_add(role_name text, scope_code text, user_kind text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	g text;
	created boolean := false;
BEGIN
	PERFORM sgz.require_admin();
	PERFORM sgz.user_manageable(role_name);
	IF user_kind IS NULL
	   OR user_kind NOT IN ('admin', 'region', 'county', 'station', 'evaluator') THEN
		RAISE EXCEPTION 'kind % is not one of admin, region, county, station, evaluator',
			coalesce(user_kind, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = scope_code) THEN
		RAISE EXCEPTION 'scope % is not in the division list', coalesce(scope_code, 'NULL')
			USING ERRCODE = 'foreign_key_violation',
			      HINT = 'give the code of a division of the list '
				     '(sgz import divisions)';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE sgz_users', role_name);
		created := true;
	END IF;
	FOREACH g IN ARRAY ARRAY['sgz_admin', 'sgz_region', 'sgz_county', 'sgz_station',
				 'sgz_evaluator'] LOOP
		IF EXISTS (SELECT 1 FROM pg_auth_members m
			    WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = g)
			      AND m.member = (SELECT oid FROM pg_roles
					       WHERE rolname = role_name)) THEN
			IF g <> 'sgz_' || user_kind THEN
				EXECUTE format('REVOKE %I FROM %I', g, role_name);
			END IF;
		ELSIF g = 'sgz_' || user_kind THEN
			EXECUTE format('GRANT %I TO %I', g, role_name);
		END IF;
	END LOOP;
	PERFORM sgz.user_timeouts(role_name);
	INSERT INTO sgz.user_scope AS u (role, kind, scope)
	VALUES (role_name, user_kind, scope_code)
	ON CONFLICT (role) DO UPDATE SET kind = EXCLUDED.kind, scope = EXCLUDED.scope,
		added_on = now(), added_by = session_user
	 WHERE (u.kind, u.scope) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.scope);
	RETURN CASE WHEN created THEN 'created' ELSE 'updated' END;
END
$$;

-- sgz user remove: only a role sgz created (user_manageable), never one
-- that merely has a scope row left from before.
CREATE OR REPLACE FUNCTION sgz.user_remove(role_name text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	role_exists boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name);
	scoped boolean := EXISTS (SELECT 1 FROM sgz.user_scope u WHERE u.role = role_name);
BEGIN
	PERFORM sgz.require_admin();
	IF NOT role_exists AND NOT scoped THEN
		RETURN false;
	END IF;
	PERFORM sgz.user_manageable(role_name);
	IF role_name = session_user THEN
		RAISE EXCEPTION 'you cannot remove yourself'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	DELETE FROM sgz.user_scope u WHERE u.role = role_name;
	IF role_exists THEN
		EXECUTE format('DROP ROLE %I', role_name);
	END IF;
	RETURN true;
END
$$;

-- The users sgz has today were made or taken on by sgz user add: they
-- are sgz's, and get the timeouts.
DO $$
DECLARE
	u text;
BEGIN
	FOR u IN SELECT s.role FROM sgz.user_scope s
		   JOIN pg_roles r ON r.rolname = s.role
		  WHERE NOT r.rolsuper AND NOT r.rolcreaterole LOOP
		EXECUTE format('GRANT sgz_users TO %I', u);
		PERFORM sgz.user_timeouts(u);
	END LOOP;
END
$$;

-- ---- every function pins its search_path ----

-- A session may put a schema of its own before pg_catalog. Functions the
-- policies and triggers call then resolved rpad(), ~ or > there: a county
-- user's public.rpad() widened the scope to everything. From here on,
-- every function of the schema runs with pg_catalog first, whatever the
-- session says. SQL functions get a body bound at creation (BEGIN ATOMIC),
-- which the planner still inlines (a SET clause would stop that, and the
-- reports of 0005 are planned inlined); the others a SET clause.
--
-- Run as the migration runs, with the search_path the bodies were written
-- for: nothing but pg_catalog (and temporary objects last).
SET LOCAL search_path = pg_catalog, pg_temp;

DO $$
DECLARE
	f record;
	def text;
BEGIN
	FOR f IN SELECT p.oid, p.prosrc
		   FROM pg_proc p
		   JOIN pg_language l ON l.oid = p.prolang
		  WHERE p.pronamespace = 'sgz'::regnamespace AND l.lanname = 'sql'
		    AND p.prosqlbody IS NULL AND p.proconfig IS NULL
		  ORDER BY p.oid LOOP
		def := pg_get_functiondef(f.oid);
		-- "AS $function$ ... $function$": the body, as created, becomes
		-- one statement of BEGIN ATOMIC.
		def := regexp_replace(def, '\nAS \$function\$.*\$function\$\s*$',
				      E'\nBEGIN ATOMIC\n'
				      || regexp_replace(f.prosrc, ';?\s*$', '') || E';\nEND');
		EXECUTE def;
	END LOOP;
	FOR f IN SELECT p.oid
		   FROM pg_proc p
		   JOIN pg_language l ON l.oid = p.prolang
		  WHERE p.pronamespace = 'sgz'::regnamespace AND l.lanname <> 'sql'
		    AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
				     WHERE c LIKE 'search\_path=%')
		  ORDER BY p.oid LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp',
			       f.oid::regprocedure);
	END LOOP;
END
$$;

-- The functions of the schema that would take a caller's search_path:
-- none, and the test suite says so after every migration.
CREATE FUNCTION sgz.unpinned_functions() RETURNS SETOF regprocedure
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT p.oid::regprocedure
	  FROM pg_proc p
	 WHERE p.pronamespace = 'sgz'::regnamespace
	   AND p.prosqlbody IS NULL
	   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%')
	 ORDER BY 1
$$;

-- Nobody of sgz creates objects in public, where a session could put them
-- before pg_catalog (before PostgreSQL 15, every user could). Where the
-- owner of the migration does not own public, this changes nothing and
-- says so as a warning.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM sgz_admin, sgz_region, sgz_county, sgz_station,
	sgz_evaluator, sgz_users;
