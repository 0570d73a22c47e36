-- 0012: masking in the database (spec/rules.md: display masks the middle
-- of an ID number, every reveal is audited; a child's name is 刘* for
-- everyone but admins), so that what psql shows a user is what sgz shows.
--
-- A person (staff member, volunteer, recipient) gets a number of no
-- meaning, pid, that never changes; the tables that name a person keep the
-- ID number (the foreign keys, the checks and the triggers stay as they
-- are) and carry the person's pid beside it, kept equal by a trigger in
-- both directions: a writer may give either. The *_v views show every
-- column of the people tables and of the tables that name people, with the
-- numbers masked, a child's name masked, the birth date only to admins,
-- and the pids by which a row is addressed. Migration 0014 takes the full
-- numbers away from every role but admin; until then both routes work.
--
-- Full numbers come only from functions that file the audit row: the
-- reveal of one (admins), the numbers of an export, the name of a child.
-- A number typed in full is the user's own: it is looked up (in the
-- user's scope) without a reveal.

-- ---- who is asking ----

-- The session's kind is admin: sees numbers after a reveal, names of
-- children, birth dates. In a view, (SELECT sgz.is_admin()) runs once.
CREATE FUNCTION sgz.is_admin() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(sgz.current_kind() = 'admin', false)
$$;

-- A division code inside the session user's scope, whoever runs the check
-- (scope_prefix() reads session_user, so it holds inside SECURITY DEFINER
-- functions, where the policies give the owner every row).
CREATE FUNCTION sgz.session_covers(code text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT code IS NOT NULL AND starts_with(code, sgz.scope_prefix())
$$;

-- A name as a list shows it: a child's (under 14 today) is its first
-- character and a star, except to admins (PIPL Art. 28).
CREATE FUNCTION sgz.mask_name(name text, birth date, admin boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN NOT admin AND birth IS NOT NULL AND sgz.age_on(birth, current_date) < 14
		    THEN left(name, 1) || '*' ELSE name END
$$;

-- ---- pids ----

ALTER TABLE sgz.staff ADD COLUMN pid bigint GENERATED ALWAYS AS IDENTITY,
	ADD CONSTRAINT staff_pid_key UNIQUE (pid);
ALTER TABLE sgz.volunteer ADD COLUMN pid bigint GENERATED ALWAYS AS IDENTITY,
	ADD CONSTRAINT volunteer_pid_key UNIQUE (pid);
ALTER TABLE sgz.recipient ADD COLUMN pid bigint GENERATED ALWAYS AS IDENTITY,
	ADD CONSTRAINT recipient_pid_key UNIQUE (pid);

-- The lists of people page by their division and pid.
CREATE INDEX staff_station_pid_idx ON sgz.staff (station, pid);
CREATE INDEX volunteer_station_pid_idx ON sgz.volunteer (station, pid);
CREATE INDEX recipient_village_pid_idx ON sgz.recipient (village, pid);

-- A person's pid is given once: a row inserted with the number of a
-- person already there takes that person's pid, so an upsert's conflict
-- on pid is the conflict on the number (0014: users cannot read numbers,
-- so they cannot name them as the conflict target); an update keeps it.
CREATE FUNCTION sgz.person_pid_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p bigint;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.pid := OLD.pid;
		RETURN NEW;
	END IF;
	EXECUTE format('SELECT pid FROM %I.%I WHERE id_number = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
	   INTO p USING NEW.id_number;
	IF p IS NOT NULL THEN
		NEW.pid := p;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER staff_pid BEFORE INSERT OR UPDATE ON sgz.staff
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER volunteer_pid BEFORE INSERT OR UPDATE ON sgz.volunteer
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER recipient_pid BEFORE INSERT OR UPDATE ON sgz.recipient
	FOR EACH ROW EXECUTE FUNCTION sgz.person_pid_keep();

-- ---- the pids beside the numbers that name people ----

ALTER TABLE sgz.hours DISABLE TRIGGER USER;
ALTER TABLE sgz.case_file DISABLE TRIGGER USER;
ALTER TABLE sgz.visit DISABLE TRIGGER USER;
ALTER TABLE sgz.hours_year_total DISABLE TRIGGER USER;

ALTER TABLE sgz.hours ADD COLUMN volunteer_pid bigint;
UPDATE sgz.hours h SET volunteer_pid = v.pid FROM sgz.volunteer v WHERE v.id_number = h.volunteer;
ALTER TABLE sgz.hours ALTER COLUMN volunteer_pid SET NOT NULL;

ALTER TABLE sgz.case_file ADD COLUMN recipient_pid bigint, ADD COLUMN worker_pid bigint;
UPDATE sgz.case_file c SET recipient_pid = r.pid FROM sgz.recipient r WHERE r.id_number = c.recipient;
UPDATE sgz.case_file c SET worker_pid = s.pid FROM sgz.staff s WHERE s.id_number = c.worker;
ALTER TABLE sgz.case_file ALTER COLUMN recipient_pid SET NOT NULL,
	ALTER COLUMN worker_pid SET NOT NULL;

ALTER TABLE sgz.visit ADD COLUMN worker_pid bigint;
UPDATE sgz.visit v SET worker_pid = s.pid FROM sgz.staff s WHERE s.id_number = v.worker;

ALTER TABLE sgz.hours_year_total ADD COLUMN volunteer_pid bigint;
UPDATE sgz.hours_year_total t SET volunteer_pid = v.pid
  FROM sgz.volunteer v WHERE v.id_number = t.volunteer;

ALTER TABLE sgz.hours ENABLE TRIGGER USER;
ALTER TABLE sgz.case_file ENABLE TRIGGER USER;
ALTER TABLE sgz.visit ENABLE TRIGGER USER;
ALTER TABLE sgz.hours_year_total ENABLE TRIGGER USER;

-- An hours row is the same row whichever of its volunteer's two names is
-- used: an upsert names the pid.
ALTER TABLE sgz.hours ADD CONSTRAINT hours_pid_key
	UNIQUE NULLS NOT DISTINCT (volunteer_pid, service_date, station, activity);
CREATE INDEX case_file_recipient_pid_idx ON sgz.case_file (recipient_pid);
CREATE INDEX case_file_worker_pid_idx ON sgz.case_file (worker_pid);

-- The number from the pid when only the pid was given (or changed), else
-- the pid from the number, before the other row triggers, which read the
-- number (triggers fire by name: a_pids first). For a number or pid that
-- names nobody, what the foreign key says to a user under row-level
-- security of a key outside his scope (0010's scope_refs): not the key.
CREATE FUNCTION sgz.hours_pids() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NEW.volunteer IS NULL OR (TG_OP = 'UPDATE' AND NEW.volunteer = OLD.volunteer
				     AND NEW.volunteer_pid IS DISTINCT FROM OLD.volunteer_pid) THEN
		NEW.volunteer := (SELECT v.id_number FROM sgz.volunteer v WHERE v.pid = NEW.volunteer_pid);
		IF NEW.volunteer IS NULL THEN
			RAISE EXCEPTION 'volunteer % is not registered', coalesce(NEW.volunteer_pid::text, '')
			      USING ERRCODE = '23503';
		END IF;
	ELSIF TG_OP = 'INSERT' OR NEW.volunteer <> OLD.volunteer THEN
		NEW.volunteer_pid := (SELECT v.pid FROM sgz.volunteer v WHERE v.id_number = NEW.volunteer);
		IF NEW.volunteer_pid IS NULL THEN
			RAISE EXCEPTION 'volunteer % is not registered', NEW.volunteer USING ERRCODE = '23503';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER a_pids BEFORE INSERT OR UPDATE ON sgz.hours
	FOR EACH ROW EXECUTE FUNCTION sgz.hours_pids();

CREATE FUNCTION sgz.case_file_pids() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NEW.recipient IS NULL OR (TG_OP = 'UPDATE' AND NEW.recipient = OLD.recipient
				     AND NEW.recipient_pid IS DISTINCT FROM OLD.recipient_pid) THEN
		NEW.recipient := (SELECT r.id_number FROM sgz.recipient r WHERE r.pid = NEW.recipient_pid);
		IF NEW.recipient IS NULL AND NEW.recipient_pid IS NOT NULL THEN
			RAISE EXCEPTION 'insert or update on table "case_file" violates foreign key constraint "case_file_recipient_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'case_file_recipient_exists',
				    TABLE = 'case_file', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "recipient".';
		END IF;
	ELSIF TG_OP = 'INSERT' OR NEW.recipient <> OLD.recipient THEN
		NEW.recipient_pid := (SELECT r.pid FROM sgz.recipient r WHERE r.id_number = NEW.recipient);
		IF NEW.recipient_pid IS NULL THEN
			RAISE EXCEPTION 'insert or update on table "case_file" violates foreign key constraint "case_file_recipient_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'case_file_recipient_exists',
				    TABLE = 'case_file', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "recipient".';
		END IF;
	END IF;
	IF NEW.worker IS NULL OR (TG_OP = 'UPDATE' AND NEW.worker = OLD.worker
				  AND NEW.worker_pid IS DISTINCT FROM OLD.worker_pid) THEN
		NEW.worker := (SELECT s.id_number FROM sgz.staff s WHERE s.pid = NEW.worker_pid);
		IF NEW.worker IS NULL AND NEW.worker_pid IS NOT NULL THEN
			RAISE EXCEPTION 'insert or update on table "case_file" violates foreign key constraint "case_file_worker_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'case_file_worker_exists',
				    TABLE = 'case_file', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "staff".';
		END IF;
	ELSIF TG_OP = 'INSERT' OR NEW.worker <> OLD.worker THEN
		NEW.worker_pid := (SELECT s.pid FROM sgz.staff s WHERE s.id_number = NEW.worker);
		IF NEW.worker_pid IS NULL THEN
			RAISE EXCEPTION 'insert or update on table "case_file" violates foreign key constraint "case_file_worker_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'case_file_worker_exists',
				    TABLE = 'case_file', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "staff".';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER a_pids BEFORE INSERT OR UPDATE ON sgz.case_file
	FOR EACH ROW EXECUTE FUNCTION sgz.case_file_pids();

-- A visit's worker may be left empty (the case's worker made it).
CREATE FUNCTION sgz.visit_pids() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF (TG_OP = 'INSERT' AND NEW.worker IS NULL AND NEW.worker_pid IS NOT NULL)
	   OR (TG_OP = 'UPDATE' AND NEW.worker IS NOT DISTINCT FROM OLD.worker
	       AND NEW.worker_pid IS DISTINCT FROM OLD.worker_pid) THEN
		NEW.worker := (SELECT s.id_number FROM sgz.staff s WHERE s.pid = NEW.worker_pid);
		IF NEW.worker IS NULL AND NEW.worker_pid IS NOT NULL THEN
			RAISE EXCEPTION 'insert or update on table "visit" violates foreign key constraint "visit_worker_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'visit_worker_exists',
				    TABLE = 'visit', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "staff".';
		END IF;
	ELSIF TG_OP = 'INSERT' OR NEW.worker IS DISTINCT FROM OLD.worker THEN
		NEW.worker_pid := (SELECT s.pid FROM sgz.staff s WHERE s.id_number = NEW.worker);
		IF NEW.worker_pid IS NULL AND NEW.worker IS NOT NULL THEN
			RAISE EXCEPTION 'insert or update on table "visit" violates foreign key constraint "visit_worker_exists"'
			      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'visit_worker_exists',
				    TABLE = 'visit', SCHEMA = 'sgz',
				    DETAIL = 'Key is not present in table "staff".';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER a_pids BEFORE INSERT OR UPDATE ON sgz.visit
	FOR EACH ROW EXECUTE FUNCTION sgz.visit_pids();

-- The year totals the reports read, by pid too (kept by 0005's triggers,
-- which write the number).
CREATE FUNCTION sgz.hours_year_total_pid() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.volunteer <> OLD.volunteer THEN
		NEW.volunteer_pid := (SELECT v.pid FROM sgz.volunteer v WHERE v.id_number = NEW.volunteer);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER hours_year_total_pid BEFORE INSERT OR UPDATE ON sgz.hours_year_total
	FOR EACH ROW EXECUTE FUNCTION sgz.hours_year_total_pid();
CREATE INDEX hours_year_total_pid_idx ON sgz.hours_year_total (volunteer_pid);

-- ---- the views ----

-- Plain views (not security_invoker): they read the tables with the
-- owner's privileges, and the policies, forced on the owner, still apply
-- with current_user the reader: each reader sees his scope, masked.
CREATE VIEW sgz.staff_v AS
SELECT s.pid, sgz.mask_id(s.id_number) AS id_number, s.name, s.phone, s.station, s.role,
       s.education, s.qualification, s.qualified_on, s.hired_on, s.left_on, s.employer,
       s.local_hukou, s.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN s.birth_date END AS birth_date,
       sgz.age_on(s.birth_date, current_date) AS age,
       s.row_version, s.initials
  FROM sgz.staff s;

CREATE VIEW sgz.volunteer_v AS
SELECT v.pid, sgz.mask_id(v.id_number) AS id_number, v.name, v.phone, v.station, v.team,
       v.registered_on, v.skills, v.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN v.birth_date END AS birth_date,
       sgz.age_on(v.birth_date, current_date) AS age,
       v.row_version, v.initials
  FROM sgz.volunteer v;

CREATE VIEW sgz.recipient_v AS
SELECT r.pid, sgz.mask_id(r.id_number) AS id_number,
       sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) AS name,
       r.phone, r.village, r.address, r.categories, r.guardian_name, r.guardian_phone, r.gender,
       CASE WHEN (SELECT sgz.is_admin()) THEN r.birth_date END AS birth_date,
       sgz.age_on(r.birth_date, current_date) AS age,
       r.row_version,
       CASE WHEN sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) = r.name
	    THEN r.initials ELSE left(r.initials, 1) END AS initials
  FROM sgz.recipient r;

CREATE VIEW sgz.hours_v AS
SELECT sgz.mask_id(h.volunteer) AS volunteer, h.service_date, h.station, h.activity, h.hours,
       h.note, h.entered_on, h.row_version, h.volunteer_pid, v.name AS volunteer_name
  FROM sgz.hours h
  LEFT JOIN sgz.volunteer v ON v.pid = h.volunteer_pid;

CREATE VIEW sgz.case_file_v AS
SELECT c.case_no, sgz.mask_id(c.recipient) AS recipient, c.station, sgz.mask_id(c.worker) AS worker,
       c.method, c.opened_on, c.status, c.risk, c.closed_on, c.close_reason, c.row_version,
       c.recipient_pid, c.worker_pid,
       sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) AS recipient_name,
       s.name AS worker_name
  FROM sgz.case_file c
  LEFT JOIN sgz.recipient r ON r.pid = c.recipient_pid
  LEFT JOIN sgz.staff s ON s.pid = c.worker_pid;

CREATE VIEW sgz.visit_v AS
SELECT v.case_no, v.visit_date, v.kind, sgz.mask_id(v.worker) AS worker, v.summary, v.next_due,
       v.station, v.row_version, v.worker_pid, s.name AS worker_name
  FROM sgz.visit v
  LEFT JOIN sgz.staff s ON s.pid = v.worker_pid;

-- The year totals without the numbers.
CREATE VIEW sgz.hours_year_total_v AS
SELECT t.station, sgz.mask_id(t.volunteer) AS volunteer, t.year, t.tenths, t.records,
       t.volunteer_pid
  FROM sgz.hours_year_total t;

-- ---- the trail, masked ----

-- What the trail keeps of a row, as a reader who is not an admin may see
-- it: every ID number masked, birth dates and a recipient's initials
-- left out, a child's name masked. Both shapes of 0007 (a row: column →
-- value; a statement: column → array of values, one per row).
CREATE FUNCTION sgz.audit_mask(tbl text, j jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	b jsonb;
	n jsonb;
BEGIN
	IF j IS NULL THEN
		RETURN j;
	END IF;
	IF jsonb_typeof(j) = 'object' AND tbl IN ('recipient', 'sgz.recipient') AND j ? 'name' AND j ? 'id_number' THEN
		b := j -> 'id_number';
		n := j -> 'name';
		IF jsonb_typeof(n) = 'array' AND jsonb_typeof(b) = 'array' THEN
			SELECT jsonb_agg(CASE WHEN jsonb_typeof(y.id) = 'string' AND jsonb_typeof(x.nm) = 'string'
						   AND sgz.idnum_valid(y.id #>> '{}')
					      THEN to_jsonb(sgz.mask_name(x.nm #>> '{}',
						   sgz.idnum_birth(y.id #>> '{}'), false))
					      ELSE x.nm END ORDER BY x.i)
			  INTO n
			  FROM jsonb_array_elements(n) WITH ORDINALITY x(nm, i)
			  LEFT JOIN jsonb_array_elements(b) WITH ORDINALITY y(id, i2) ON y.i2 = x.i;
		ELSIF jsonb_typeof(n) = 'string' AND jsonb_typeof(b) = 'string'
		      AND sgz.idnum_valid(b #>> '{}') THEN
			n := to_jsonb(sgz.mask_name(n #>> '{}', sgz.idnum_birth(b #>> '{}'), false));
		END IF;
		IF n IS NOT NULL THEN
			j := jsonb_set(j, '{name}', n);
		END IF;
		j := j - 'initials';
	END IF;
	IF jsonb_typeof(j) = 'object' THEN
		j := j - 'birth_date';
	END IF;
	RETURN regexp_replace(j::text, '"(\d{4})\d{10}(\d{3}[0-9X])"',
			      '"\1**********\2"', 'g')::jsonb;
END
$$;

CREATE VIEW sgz.audit_v AS
SELECT a.id, a.at, a.who, a.xact, a.table_name, a.action,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.key ELSE sgz.audit_mask(a.table_name, a.key) END AS key,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.old ELSE sgz.audit_mask(a.table_name, a.old) END AS old,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.new ELSE sgz.audit_mask(a.table_name, a.new) END AS new,
       a.division, a.changes, a.key_columns
  FROM sgz.audit a;

CREATE VIEW sgz.audit_change_v AS
SELECT a.id, a.item, a.at, a.who, a.xact, a.table_name, a.action,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.key ELSE sgz.audit_mask(a.table_name, a.key) END AS key,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.old ELSE sgz.audit_mask(a.table_name, a.old) END AS old,
       CASE WHEN (SELECT sgz.is_admin()) THEN a.new ELSE sgz.audit_mask(a.table_name, a.new) END AS new,
       a.division
  FROM sgz.audit_change a;

-- ---- full numbers and names, audited ----

-- The people tables by entity or table name, and the column of their
-- division; anything else is refused.
CREATE FUNCTION sgz.person_table(entity text, OUT tbl text, OUT division text)
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	CASE entity
	WHEN 'staff', 'sgz.staff' THEN tbl := 'staff'; division := 'station';
	WHEN 'volunteers', 'sgz.volunteer' THEN tbl := 'volunteer'; division := 'station';
	WHEN 'recipients', 'sgz.recipient' THEN tbl := 'recipient'; division := 'village';
	ELSE
		RAISE EXCEPTION 'not a table of people: %', entity USING ERRCODE = '22023';
	END CASE;
END
$$;

-- One person's full ID number, for an admin who asked to see it; the
-- reveal is filed in the trail in the same statement.
CREATE FUNCTION sgz.person_reveal(entity text, person bigint, shown text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
	id text;
	div text;
BEGIN
	IF NOT sgz.is_admin() THEN
		RAISE EXCEPTION 'only an administrator may see a full ID number'
		      USING ERRCODE = '42501';
	END IF;
	EXECUTE format('SELECT id_number, %I FROM sgz.%I WHERE pid = $1', t.division, t.tbl)
	   INTO id, div USING person;
	IF id IS NOT NULL THEN
		PERFORM sgz.audit_event('open', 'sgz.' || t.tbl,
			jsonb_build_object('entity', entity, 'key', id, 'pid', person,
					   'revealed', 'id_number', 'shown', shown), div);
	END IF;
	RETURN id;
END
$$;

-- A person's name as written, for the form of his own record: a child's
-- open is filed in the trail (rules.md: every open of a child's record is
-- audited). Only within the caller's scope.
CREATE FUNCTION sgz.person_name(entity text, person bigint, shown text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
	nm text;
	id text;
	div text;
	birth date;
BEGIN
	EXECUTE format('SELECT name, id_number, %I, birth_date FROM sgz.%I WHERE pid = $1',
		       t.division, t.tbl)
	   INTO nm, id, div, birth USING person;
	IF nm IS NULL OR NOT sgz.session_covers(div) THEN
		RETURN NULL;
	END IF;
	IF sgz.mask_name(nm, birth, false) <> nm THEN
		PERFORM sgz.audit_event('open', 'sgz.' || t.tbl,
			jsonb_build_object('entity', entity, 'key', id, 'pid', person,
					   'shown', shown), div);
	END IF;
	RETURN nm;
END
$$;

-- The pids of the numbers a user typed or imports, in the user's scope:
-- a number the user has is not revealed by finding it.
CREATE FUNCTION sgz.person_lookup(entity text, ids text[])
RETURNS TABLE (id_number text, pid bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
BEGIN
	RETURN QUERY EXECUTE format(
		'SELECT p.id_number, p.pid FROM sgz.%I p
		  WHERE p.id_number = ANY ($1)
		    AND p.%I BETWEEN rpad($2, 12, ''0'') AND rpad($2, 12, ''9'')',
		t.tbl, t.division) USING ids, sgz.scope_prefix();
END
$$;

-- The pids of the people in the user's scope whose number starts with
-- prefix (what the user types to find someone), at most lim of them, in
-- the order of their numbers.
CREATE FUNCTION sgz.person_find(entity text, prefix text, lim integer)
RETURNS TABLE (pid bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
BEGIN
	IF prefix !~ '^[0-9]{1,17}[0-9X]?$' THEN
		RETURN;
	END IF;
	RETURN QUERY EXECUTE format(
		'SELECT p.pid FROM sgz.%I p
		  WHERE p.id_number >= $1 AND p.id_number < $1 || ''Z''
		    AND p.%I BETWEEN rpad($2, 12, ''0'') AND rpad($2, 12, ''9'')
		  ORDER BY p.id_number LIMIT $3',
		t.tbl, t.division) USING prefix, sgz.scope_prefix(), lim;
END
$$;

-- The full numbers of the people in the user's scope, for an export in
-- the import format: one trail entry says how many numbers left, and why.
CREATE FUNCTION sgz.person_numbers(entity text, reason text DEFAULT 'export')
RETURNS TABLE (pid bigint, id_number text, name text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
	n bigint;
BEGIN
	RETURN QUERY EXECUTE format(
		'SELECT p.pid, p.id_number, p.name FROM sgz.%I p
		  WHERE p.%I BETWEEN rpad($1, 12, ''0'') AND rpad($1, 12, ''9'')',
		t.tbl, t.division) USING sgz.scope_prefix();
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM sgz.audit_event('export', 'sgz.' || t.tbl,
		jsonb_build_object('entity', entity, 'numbers', n, 'reason', reason,
				   'scope', sgz.scope_prefix()),
		NULL);
END
$$;

-- ---- the reports, by pid, numbers masked ----

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
 )
 SELECT v.id_number,
	v.name,
	v.station,
	sgz.report_hours_text(h.y),
	sgz.report_hours_text(h.total),
	(CASE WHEN h.total >= cfg.s5 THEN 5
	      WHEN h.total >= cfg.s4 THEN 4
	      WHEN h.total >= cfg.s3 THEN 3
	      WHEN h.total >= cfg.s2 THEN 2
	      WHEN h.total >= cfg.s1 THEN 1
	      ELSE 0 END)::text
   FROM sgz.volunteer_v v
   LEFT JOIN h ON h.volunteer_pid = v.pid
  CROSS JOIN cfg
  WHERE v.station >= sgz.report_low(report_hours.scope_prefix)
    AND v.station <= sgz.report_high(report_hours.scope_prefix)
    AND v.registered_on <= report_hours.as_of
  ORDER BY v.station COLLATE "C", v.id_number COLLATE "C", v.pid;
END;

CREATE OR REPLACE FUNCTION sgz.report_caseload(scope_prefix text, as_of date)
 RETURNS TABLE(worker text, worker_name text, station text, open_cases text, high_risk text, visits_year text, overdue_visits text)
 LANGUAGE sql
 STABLE PARALLEL SAFE
BEGIN ATOMIC
 WITH cfg AS (
	SELECT (max(setting.value))::integer AS interval_days
	  FROM sgz.setting
	 WHERE setting.key = 'visit_interval_days'
 ), open_case AS NOT MATERIALIZED (
	SELECT c.case_no, c.worker_pid, c.opened_on, c.risk = ANY (ARRAY['high', 'critical']) AS high
	  FROM sgz.case_file c
	 WHERE c.station >= sgz.report_low(report_caseload.scope_prefix)
	   AND c.station <= sgz.report_high(report_caseload.scope_prefix)
	   AND c.opened_on <= report_caseload.as_of
	   AND (c.closed_on IS NULL OR c.closed_on > report_caseload.as_of)
 ), last_visit AS (
	SELECT DISTINCT ON (v.case_no) v.case_no, v.visit_date, v.next_due
	  FROM sgz.visit v
	  JOIN open_case oc ON oc.case_no = v.case_no
	 WHERE v.visit_date <= report_caseload.as_of
	 ORDER BY v.case_no, v.visit_date DESC, v.next_due DESC NULLS LAST
 ), per_case AS (
	SELECT oc.worker_pid,
	       count(*) AS open_cases,
	       count(*) FILTER (WHERE oc.high) AS high_risk,
	       count(*) FILTER (WHERE COALESCE(lv.next_due, lv.visit_date + cfg.interval_days,
					       oc.opened_on + cfg.interval_days) < report_caseload.as_of) AS overdue
	  FROM open_case oc
	  LEFT JOIN last_visit lv ON lv.case_no = oc.case_no
	 CROSS JOIN cfg
	 GROUP BY oc.worker_pid
 ), per_visit AS (
	SELECT COALESCE(v.worker_pid, c.worker_pid) AS worker_pid, count(*) AS visits
	  FROM sgz.visit v
	  JOIN sgz.case_file c ON c.case_no = v.case_no
	 WHERE v.station >= sgz.report_low(report_caseload.scope_prefix)
	   AND v.station <= sgz.report_high(report_caseload.scope_prefix)
	   AND v.visit_date >= sgz.report_year_start(report_caseload.as_of)
	   AND v.visit_date <= report_caseload.as_of
	 GROUP BY COALESCE(v.worker_pid, c.worker_pid)
 )
 SELECT s.id_number,
	s.name,
	s.station,
	COALESCE(pc.open_cases, 0)::text,
	COALESCE(pc.high_risk, 0)::text,
	COALESCE(pv.visits, 0)::text,
	COALESCE(pc.overdue, 0)::text
   FROM sgz.staff_v s
   LEFT JOIN per_case pc ON pc.worker_pid = s.pid
   LEFT JOIN per_visit pv ON pv.worker_pid = s.pid
  WHERE s.station >= sgz.report_low(report_caseload.scope_prefix)
    AND s.station <= sgz.report_high(report_caseload.scope_prefix)
    AND ((s.hired_on <= report_caseload.as_of
	  AND (s.left_on IS NULL OR s.left_on > report_caseload.as_of))
	 OR pc.worker_pid IS NOT NULL OR pv.worker_pid IS NOT NULL)
  ORDER BY s.station COLLATE "C", s.id_number COLLATE "C", s.pid;
END;

-- ---- who may use what ----

GRANT SELECT ON sgz.staff_v, sgz.volunteer_v, sgz.recipient_v, sgz.hours_v, sgz.case_file_v,
	sgz.visit_v TO sgz_admin, sgz_region, sgz_county, sgz_station;
GRANT SELECT ON sgz.hours_year_total_v TO sgz_admin, sgz_region, sgz_county, sgz_station;
GRANT SELECT ON sgz.audit_v, sgz.audit_change_v TO sgz_admin, sgz_region, sgz_county;

REVOKE ALL ON FUNCTION sgz.person_reveal(text, bigint, text), sgz.person_name(text, bigint, text),
	sgz.person_lookup(text, text[]), sgz.person_find(text, text, integer),
	sgz.person_numbers(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.person_reveal(text, bigint, text) TO sgz_admin;
GRANT EXECUTE ON FUNCTION sgz.person_name(text, bigint, text), sgz.person_lookup(text, text[]),
	sgz.person_find(text, text, integer), sgz.person_numbers(text, text)
	TO sgz_admin, sgz_region, sgz_county, sgz_station;
REVOKE ALL ON FUNCTION sgz.person_pid_keep(), sgz.hours_pids(), sgz.case_file_pids(),
	sgz.visit_pids(), sgz.hours_year_total_pid() FROM PUBLIC;
