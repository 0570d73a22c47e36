-- 0023: 三社联动 and the work around cases (issue 14, spec/programmes.md):
-- community organisations, outreach visits without a case, supervision
-- and training of the staff, charitable resources; the plan's new
-- targets; the KPI's households visited counting outreach visits.
--
-- Every rule is the database's as well as the import's (the same
-- messages): row-local ones as constraints, those that read other rows
-- (an attendee active on the day, a visit's worker) in triggers that run
-- as the owner and lock the staff rows they read FOR SHARE, so that a
-- staff member's dates cannot change under a writer's feet; a change to a
-- staff member's dates is checked against what he attended (staff_attended).
-- People are kept by pid beside their numbers (0012): the numbers are the
-- admins' to read, everybody else reads the masking views (0017).

-- ---- settings and plans ----

INSERT INTO sgz.setting (key, value, description) VALUES
	('community_orgs_urban_target', 10,
	 'community organisations per urban community (residents'' committee) (004 §1(1))'),
	('community_orgs_rural_target', 5,
	 'community organisations per rural community (villagers'' committee) (004 §1(1))');

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
		('community_orgs_urban_target', 0, 1000), ('community_orgs_rural_target', 0, 1000)
	) AS r(key, low, high)
	WHERE r.key = k
$$;

ALTER TABLE sgz.plan
	ADD COLUMN qualified_target integer CONSTRAINT plan_qualified_target_valid
		CHECK (qualified_target BETWEEN 0 AND 10000000),
	ADD COLUMN volunteer_rate_target_pct numeric(4, 1)
		CONSTRAINT plan_volunteer_rate_target_pct_valid
		CHECK (volunteer_rate_target_pct BETWEEN 0 AND 100),
	ADD COLUMN community_orgs_urban_target integer
		CONSTRAINT plan_community_orgs_urban_target_valid
		CHECK (community_orgs_urban_target BETWEEN 0 AND 1000),
	ADD COLUMN community_orgs_rural_target integer
		CONSTRAINT plan_community_orgs_rural_target_valid
		CHECK (community_orgs_rural_target BETWEEN 0 AND 1000);

-- ---- community organisations (社区社会组织) ----

-- A village or community: 12 digits whose last three are not 000.
CREATE FUNCTION sgz.is_village(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT code ~ '^[0-9]{12}$' AND substr(code, 10) <> '000'
$$;

-- programmes.md: urban when the code's digits 10-12 are 001-199 (a
-- residents' committee), else rural.
CREATE FUNCTION sgz.community_urban(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT substr(code, 10, 3) BETWEEN '001' AND '199'
$$;

CREATE TABLE sgz.community_org (
	community text NOT NULL CONSTRAINT community_org_community_exists
		REFERENCES sgz.division (code)
		CONSTRAINT community_org_community_valid CHECK (sgz.is_village(community)),
	name text NOT NULL CONSTRAINT community_org_name_valid CHECK (sgz.text_valid(name, 200)),
	kind text CONSTRAINT community_org_kind_valid
		CHECK (kind IN ('elderly', 'children', 'disability', 'volunteer', 'culture',
				'mediation', 'charity', 'other')),
	registration text NOT NULL CONSTRAINT community_org_registration_valid
		CHECK (registration IN ('registered', 'filed')),
	credit_code text CONSTRAINT community_org_credit_code_valid
		CHECK (sgz.credit_code_valid(credit_code)),
	filed_on date,
	members integer CONSTRAINT community_org_members_valid CHECK (members BETWEEN 0 AND 1000000),
	leader_name text CONSTRAINT community_org_leader_name_valid
		CHECK (sgz.text_valid(leader_name, 50)),
	leader_phone text,
	incubated_by text CONSTRAINT community_org_incubated_by_exists
		REFERENCES sgz.organization (credit_code),
	status text NOT NULL DEFAULT 'active' CONSTRAINT community_org_status_valid
		CHECK (status IN ('active', 'dormant', 'dissolved')),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (community, name),
	CONSTRAINT community_org_registered_needs_credit_code
		CHECK (registration <> 'registered' OR credit_code LIKE '5%'),
	CONSTRAINT community_org_filed_needs_filed_on
		CHECK (registration <> 'filed' OR filed_on IS NOT NULL)
);

CREATE INDEX community_org_incubated_by_idx ON sgz.community_org (incubated_by);

CREATE TRIGGER community_org_row_version BEFORE UPDATE ON sgz.community_org
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- outreach visits (入户走访 without a case) ----

CREATE TABLE sgz.outreach_visit (
	station text NOT NULL CONSTRAINT outreach_visit_station_exists
		REFERENCES sgz.station (township),
	visit_date date NOT NULL,
	village text NOT NULL CONSTRAINT outreach_visit_village_exists
		REFERENCES sgz.division (code)
		CONSTRAINT outreach_visit_village_valid CHECK (sgz.is_village(village)),
	address text NOT NULL CONSTRAINT outreach_visit_address_valid
		CHECK (sgz.text_valid(address, 200)),
	worker text NOT NULL CONSTRAINT outreach_visit_worker_exists
		REFERENCES sgz.staff (id_number),
	worker_pid bigint,
	persons integer CONSTRAINT outreach_visit_persons_valid CHECK (persons BETWEEN 0 AND 100),
	needs text[] CONSTRAINT outreach_visit_needs_valid
		CHECK (needs <@ ARRAY['dibao', 'dibao_edge', 'tekun', 'temporary_assistance',
			'left_behind_child', 'child_in_difficulty', 'de_facto_orphan',
			'left_behind_elderly', 'empty_nest_elderly', 'disabled_elderly', 'disabled',
			'vagrant', 'relocated', 'bereaved_parents', 'domestic_violence',
			'single_parent', 'offender_family', 'other']),
	recipient text CONSTRAINT outreach_visit_recipient_exists
		REFERENCES sgz.recipient (id_number),
	recipient_pid bigint,
	summary text CONSTRAINT outreach_visit_summary_valid CHECK (sgz.note_valid(summary, 4000)),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (station, visit_date, village, address),
	CONSTRAINT outreach_visit_village_in_township
		CHECK (left(village, 9) = left(station, 9))
);

CREATE INDEX outreach_visit_worker_idx ON sgz.outreach_visit (worker_pid);
CREATE INDEX outreach_visit_recipient_idx ON sgz.outreach_visit (recipient_pid);

CREATE TRIGGER outreach_visit_row_version BEFORE UPDATE ON sgz.outreach_visit
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- The pids of the worker and the recipient from their numbers or the
-- numbers from the pids (a user who is not an admin writes the pid), and
-- the worker active at the station on the day.
CREATE FUNCTION sgz.outreach_visit_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NEW.worker IS NULL AND NEW.worker_pid IS NOT NULL
	   OR TG_OP = 'UPDATE' AND NEW.worker IS NOT DISTINCT FROM OLD.worker
	      AND NEW.worker_pid IS DISTINCT FROM OLD.worker_pid THEN
		NEW.worker := (SELECT s.id_number FROM sgz.staff s WHERE s.pid = NEW.worker_pid);
	ELSIF NEW.worker_pid IS NULL OR TG_OP = 'UPDATE' AND NEW.worker IS DISTINCT FROM OLD.worker THEN
		NEW.worker_pid := (SELECT s.pid FROM sgz.staff s WHERE s.id_number = NEW.worker);
	END IF;
	IF NEW.recipient IS NULL AND NEW.recipient_pid IS NOT NULL
	   OR TG_OP = 'UPDATE' AND NEW.recipient IS NOT DISTINCT FROM OLD.recipient
	      AND NEW.recipient_pid IS DISTINCT FROM OLD.recipient_pid THEN
		NEW.recipient := (SELECT r.id_number FROM sgz.recipient r WHERE r.pid = NEW.recipient_pid);
	ELSIF NEW.recipient_pid IS NULL OR TG_OP = 'UPDATE'
	      AND NEW.recipient IS DISTINCT FROM OLD.recipient THEN
		NEW.recipient_pid := (SELECT r.pid FROM sgz.recipient r
				       WHERE r.id_number = NEW.recipient);
	END IF;
	IF NEW.visit_date > current_date THEN
		RAISE EXCEPTION '% is in the future', NEW.visit_date
			USING ERRCODE = 'check_violation', COLUMN = 'visit_date';
	END IF;
	PERFORM 1 FROM sgz.staff s
	  WHERE s.pid = NEW.worker_pid AND s.station = NEW.station
	    AND s.hired_on <= NEW.visit_date
	    AND (s.left_on IS NULL OR s.left_on > NEW.visit_date)
	    FOR SHARE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'worker % is not an active staff member of station % on %',
			coalesce(sgz.mask_id(NEW.worker), ''), NEW.station, NEW.visit_date
			USING ERRCODE = 'check_violation', COLUMN = 'worker';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER a_check BEFORE INSERT OR UPDATE ON sgz.outreach_visit
	FOR EACH ROW EXECUTE FUNCTION sgz.outreach_visit_check();
CREATE TRIGGER a_pids_agree_insert AFTER INSERT ON sgz.outreach_visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('worker', 'worker_pid', 'staff',
					'recipient', 'recipient_pid', 'recipient');
CREATE TRIGGER a_pids_agree_update AFTER UPDATE ON sgz.outreach_visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.pids_agree('worker', 'worker_pid', 'staff',
					'recipient', 'recipient_pid', 'recipient');

-- ---- supervision (督导) and training (培训) of the staff ----

-- The attendees of a supervision or a training: the text column holds
-- their numbers, ';'-separated and sorted, as the file has them (the
-- admins' to read); attendee_pids their pids, which everybody else reads
-- and writes. An element may also be "#pid" (a person picked) or, on an
-- update, a number masked as the view shows it that stands for the
-- attendee of the row who has that masked number (a form sent back by a
-- user who cannot read the numbers). Each must be a staff member active
-- on dt (of station st, when given), locked until the writer commits.
CREATE FUNCTION sgz.attendees_resolve(lst text, old_pids bigint[], st text, dt date,
				      OUT numbers text, OUT pids bigint[])
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e text;
	p bigint;
	s record;
	found_pids bigint[] := '{}';
BEGIN
	IF lst IS NULL OR btrim(lst) = '' THEN
		RAISE EXCEPTION 'no attendees: name at least one staff member'
			USING ERRCODE = 'check_violation', COLUMN = 'attendees';
	END IF;
	FOREACH e IN ARRAY string_to_array(lst, ';') LOOP
		e := btrim(e);
		CONTINUE WHEN e = '';
		p := NULL;
		IF e ~ '^#[0-9]+$' THEN
			p := substr(e, 2)::bigint;
		ELSIF e ~ '^[0-9]{4}\*{10}[0-9]{3}[0-9X]$' THEN
			SELECT t.pid INTO p FROM sgz.staff t
			 WHERE t.pid = ANY (coalesce(old_pids, '{}')) AND sgz.mask_id(t.id_number) = e
			 LIMIT 1;
		ELSE
			SELECT t.pid INTO p FROM sgz.staff t WHERE t.id_number = e;
		END IF;
		SELECT t.pid, t.id_number INTO s FROM sgz.staff t
		 WHERE t.pid = p AND (st IS NULL OR t.station = st)
		   AND t.hired_on <= dt AND (t.left_on IS NULL OR t.left_on > dt)
		   FOR SHARE;
		IF NOT FOUND THEN
			IF st IS NULL THEN
				RAISE EXCEPTION 'attendee % is not a staff member active on %',
					CASE WHEN e ~ '^#' THEN e ELSE sgz.mask_id(e) END, dt
					USING ERRCODE = 'check_violation', COLUMN = 'attendees';
			END IF;
			RAISE EXCEPTION 'attendee % is not an active staff member of station % on %',
				CASE WHEN e ~ '^#' THEN e ELSE sgz.mask_id(e) END, st, dt
				USING ERRCODE = 'check_violation', COLUMN = 'attendees';
		END IF;
		IF NOT s.pid = ANY (found_pids) THEN
			found_pids := found_pids || s.pid;
		END IF;
	END LOOP;
	SELECT string_agg(t.id_number, ';' ORDER BY t.id_number),
	       array_agg(t.pid ORDER BY t.id_number)
	  INTO numbers, pids
	  FROM sgz.staff t WHERE t.pid = ANY (found_pids);
END
$$;
REVOKE ALL ON FUNCTION sgz.attendees_resolve(text, bigint[], text, date) FROM PUBLIC;

CREATE TABLE sgz.supervision (
	station text NOT NULL CONSTRAINT supervision_station_exists
		REFERENCES sgz.station (township),
	held_on date NOT NULL,
	kind text NOT NULL CONSTRAINT supervision_kind_valid
		CHECK (kind IN ('individual', 'group', 'on_site', 'remote')),
	supervisor text CONSTRAINT supervision_supervisor_valid
		CHECK (sgz.text_valid(supervisor, 100)),
	hours numeric(4, 1) NOT NULL CONSTRAINT supervision_hours_valid
		CHECK (hours BETWEEN 0.5 AND 200),
	attendees text NOT NULL,
	attendee_pids bigint[] NOT NULL DEFAULT '{}',
	topics text CONSTRAINT supervision_topics_valid CHECK (sgz.note_valid(topics, 4000)),
	-- the row's own number: the masking view and the import pair by it
	pid bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (station, held_on, kind)
);

CREATE INDEX supervision_attendee_idx ON sgz.supervision USING gin (attendee_pids);

CREATE TRIGGER supervision_row_version BEFORE UPDATE ON sgz.supervision
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

CREATE TABLE sgz.training (
	title text NOT NULL CONSTRAINT training_title_valid CHECK (sgz.text_valid(title, 200)),
	starts_on date NOT NULL,
	organiser text CONSTRAINT training_organiser_valid CHECK (sgz.text_valid(organiser, 200)),
	level text CONSTRAINT training_level_valid
		CHECK (level IN ('county', 'prefecture', 'province', 'national')),
	kind text CONSTRAINT training_kind_valid
		CHECK (kind IN ('induction', 'continuing', 'exam_prep', 'cadre')),
	hours numeric(4, 1) NOT NULL CONSTRAINT training_hours_valid
		CHECK (hours BETWEEN 0.5 AND 200),
	attendees text NOT NULL,
	attendee_pids bigint[] NOT NULL DEFAULT '{}',
	pid bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (title, starts_on)
);

CREATE INDEX training_attendee_idx ON sgz.training USING gin (attendee_pids);

CREATE TRIGGER training_row_version BEFORE UPDATE ON sgz.training
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

CREATE FUNCTION sgz.attendees_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF TG_TABLE_NAME = 'supervision' THEN
		r := sgz.attendees_resolve(NEW.attendees,
			CASE WHEN TG_OP = 'UPDATE' THEN OLD.attendee_pids END, NEW.station, NEW.held_on);
	ELSE
		r := sgz.attendees_resolve(NEW.attendees,
			CASE WHEN TG_OP = 'UPDATE' THEN OLD.attendee_pids END, NULL, NEW.starts_on);
	END IF;
	NEW.attendees := r.numbers;
	NEW.attendee_pids := r.pids;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION sgz.attendees_check() FROM PUBLIC;

CREATE TRIGGER a_attendees BEFORE INSERT OR UPDATE ON sgz.supervision
	FOR EACH ROW EXECUTE FUNCTION sgz.attendees_check();
CREATE TRIGGER a_attendees BEFORE INSERT OR UPDATE ON sgz.training
	FOR EACH ROW EXECUTE FUNCTION sgz.attendees_check();

-- A staff member's dates or station changed, or the staff member removed,
-- while outreach visits, supervisions or trainings name him on a day he
-- would no longer be active.
CREATE FUNCTION sgz.staff_attended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x record;
	col text;
BEGIN
	SELECT * INTO x FROM (
		SELECT 1 AS w, o.visit_date AS d, o.address AS a
		  FROM sgz.outreach_visit o
		 WHERE o.worker_pid = OLD.pid
		   AND (TG_OP = 'DELETE' OR NOT (o.station = NEW.station AND NEW.hired_on <= o.visit_date
			AND (NEW.left_on IS NULL OR NEW.left_on > o.visit_date)))
		UNION ALL
		SELECT 2, s.held_on, s.station
		  FROM sgz.supervision s
		 WHERE s.attendee_pids @> ARRAY[OLD.pid]
		   AND (TG_OP = 'DELETE' OR NOT (s.station = NEW.station AND NEW.hired_on <= s.held_on
			AND (NEW.left_on IS NULL OR NEW.left_on > s.held_on)))
		UNION ALL
		SELECT 3, t.starts_on, t.title
		  FROM sgz.training t
		 WHERE t.attendee_pids @> ARRAY[OLD.pid]
		   AND (TG_OP = 'DELETE' OR NOT (NEW.hired_on <= t.starts_on
			AND (NEW.left_on IS NULL OR NEW.left_on > t.starts_on)))
		ORDER BY 1, 2, 3 LIMIT 1) y;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	col := CASE WHEN TG_OP = 'DELETE' THEN 'id_number'
		    WHEN NEW.station IS DISTINCT FROM OLD.station THEN 'station'
		    WHEN NEW.left_on IS DISTINCT FROM OLD.left_on THEN 'left_on'
		    ELSE 'hired_on' END;
	IF x.w = 1 THEN
		RAISE EXCEPTION 'staff member % made the outreach visit of % at %: change that record first',
			OLD.name, x.d, x.a USING ERRCODE = 'check_violation', COLUMN = col;
	ELSIF x.w = 2 THEN
		RAISE EXCEPTION 'staff member % attended the supervision of % at station %: change that record first',
			OLD.name, x.d, x.a USING ERRCODE = 'check_violation', COLUMN = col;
	END IF;
	RAISE EXCEPTION 'staff member % attended the training % of %: change that record first',
		OLD.name, x.a, x.d USING ERRCODE = 'check_violation', COLUMN = col;
END
$$;
REVOKE ALL ON FUNCTION sgz.staff_attended() FROM PUBLIC;

CREATE TRIGGER staff_attended AFTER UPDATE OF station, hired_on, left_on ON sgz.staff
	FOR EACH ROW EXECUTE FUNCTION sgz.staff_attended();
CREATE TRIGGER staff_attended_delete AFTER DELETE ON sgz.staff
	FOR EACH ROW EXECUTE FUNCTION sgz.staff_attended();

-- ---- charitable resources (慈善资源) ----

CREATE TABLE sgz.resource (
	station text NOT NULL CONSTRAINT resource_station_exists REFERENCES sgz.station (township),
	received_on date NOT NULL,
	donor text NOT NULL CONSTRAINT resource_donor_valid CHECK (sgz.text_valid(donor, 200)),
	kind text NOT NULL CONSTRAINT resource_kind_valid
		CHECK (kind IN ('money', 'goods', 'service', 'venue')),
	value numeric(14, 2) CONSTRAINT resource_value_valid CHECK (value BETWEEN 0 AND 999999999999.99),
	description text CONSTRAINT resource_description_valid
		CHECK (sgz.note_valid(description, 4000)),
	case_no text CONSTRAINT resource_case_no_exists REFERENCES sgz.case_file (case_no),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (station, received_on, donor)
);

CREATE INDEX resource_case_no_idx ON sgz.resource (case_no);

CREATE TRIGGER resource_row_version BEFORE UPDATE ON sgz.resource
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- A resource given to a case is the case's station's.
CREATE FUNCTION sgz.resource_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	st text;
BEGIN
	IF NEW.case_no IS NOT NULL THEN
		SELECT f.station INTO st FROM sgz.case_file f WHERE f.case_no = NEW.case_no FOR KEY SHARE;
		IF FOUND AND st <> NEW.station THEN
			RAISE EXCEPTION 'case % is of station %, not %', NEW.case_no, st, NEW.station
				USING ERRCODE = 'check_violation', COLUMN = 'case_no';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION sgz.resource_check() FROM PUBLIC;

CREATE TRIGGER a_check BEFORE INSERT OR UPDATE OF station, case_no ON sgz.resource
	FOR EACH ROW EXECUTE FUNCTION sgz.resource_check();

-- ---- row-level security: the community's or the station's division;
-- a training is seen by whoever has one of its attendees in scope, and
-- written by whoever has all of them (0004's pattern) ----

ALTER TABLE sgz.community_org ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.community_org FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.community_org
	USING (community BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		community BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'community', community));

ALTER TABLE sgz.outreach_visit ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.outreach_visit FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.outreach_visit
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.supervision ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.supervision FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.supervision
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.resource ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.resource FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.resource
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

-- The stations of a training's attendees (as the owner: the check is the
-- policy's, not the reader's rights on the staff).
CREATE FUNCTION sgz.training_stations(pids bigint[]) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(array_agg(DISTINCT s.station), '{}') FROM sgz.staff s WHERE s.pid = ANY (pids)
$$;
REVOKE ALL ON FUNCTION sgz.training_stations(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.training_stations(bigint[])
	TO sgz_admin, sgz_region, sgz_county, sgz_station;

ALTER TABLE sgz.training ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.training FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.training FOR SELECT
	USING ((SELECT sgz.scope_prefix()) = '' OR (current_user <> session_user AND sgz.as_owner())
	       OR EXISTS (SELECT 1 FROM unnest(sgz.training_stations(attendee_pids)) s
			   WHERE s BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())));
CREATE POLICY scope_insert ON sgz.training FOR INSERT
	WITH CHECK (sgz.scope_ok(NOT EXISTS (
		SELECT 1 FROM unnest(sgz.training_stations(attendee_pids)) s
		 WHERE s NOT BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())),
		'attendees', array_to_string(sgz.training_stations(attendee_pids), ';')));
CREATE POLICY scope_update ON sgz.training FOR UPDATE
	USING (NOT EXISTS (SELECT 1 FROM unnest(sgz.training_stations(attendee_pids)) s
		 WHERE s NOT BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())))
	WITH CHECK (sgz.scope_ok(NOT EXISTS (
		SELECT 1 FROM unnest(sgz.training_stations(attendee_pids)) s
		 WHERE s NOT BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())),
		'attendees', array_to_string(sgz.training_stations(attendee_pids), ';')));
CREATE POLICY scope_delete ON sgz.training FOR DELETE
	USING (NOT EXISTS (SELECT 1 FROM unnest(sgz.training_stations(attendee_pids)) s
		 WHERE s NOT BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())));

-- ---- the trail ----

DO $$
DECLARE
	t record;
	args text;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('community_org', 'r.community', ARRAY['community', 'name']),
		('outreach_visit', 'r.station', ARRAY['station', 'visit_date', 'village', 'address']),
		('supervision', 'r.station', ARRAY['station', 'held_on', 'kind']),
		('training', '(sgz.training_stations(r.attendee_pids))[1]', ARRAY['title', 'starts_on']),
		('resource', 'r.station', ARRAY['station', 'received_on', 'donor'])
	) AS v (name, division, keys) LOOP
		SELECT string_agg(quote_literal(a), ', ') INTO args
		  FROM unnest(t.division || t.keys) a;
		EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON sgz.%I'
			       ' REFERENCING NEW TABLE AS new_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON sgz.%I'
			       ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON sgz.%I'
			       ' REFERENCING OLD TABLE AS old_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_truncate AFTER TRUNCATE ON sgz.%I'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
	END LOOP;
END
$$;

-- The trail as readers who are not admins see it (0012): a number in a
-- ';' list (attendees) masked too.
CREATE OR REPLACE FUNCTION sgz.audit_mask(tbl text, j jsonb) RETURNS jsonb
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
	-- (a number alone, or one of a ';' list: the attendees)
	RETURN regexp_replace(j::text, '(["\;])(\d{4})\d{10}(\d{3}[0-9X])(?=[";])',
			      '\1\2**********\3', 'g')::jsonb;
END
$$;

-- ---- the masking views (0012, 0016) ----

CREATE VIEW sgz.outreach_visit_v AS
SELECT o.station, o.visit_date, o.village, o.address, sgz.mask_id(o.worker) AS worker,
       o.persons, o.needs, sgz.mask_id(o.recipient) AS recipient, o.summary, o.row_version,
       o.worker_pid, o.recipient_pid, s.name AS worker_name,
       sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) AS recipient_name
  FROM sgz.outreach_visit o
  LEFT JOIN sgz.staff s ON s.pid = o.worker_pid
       AND s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
  LEFT JOIN sgz.recipient r ON r.pid = o.recipient_pid
       AND r.village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
 WHERE o.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

-- The attendees' numbers masked and their names (those in the reader's
-- scope), in the order of the numbers.
CREATE FUNCTION sgz.attendees_masked(pids bigint[], OUT numbers text, OUT names text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT string_agg(sgz.mask_id(s.id_number), ';' ORDER BY s.id_number),
	       string_agg(s.name, '、' ORDER BY s.id_number)
	       FILTER (WHERE sgz.session_covers(s.station))
	  FROM sgz.staff s WHERE s.pid = ANY (pids)
$$;
REVOKE ALL ON FUNCTION sgz.attendees_masked(bigint[]) FROM PUBLIC;

CREATE VIEW sgz.supervision_v AS
SELECT t.station, t.held_on, t.kind, t.supervisor, t.hours, a.numbers AS attendees,
       t.topics, t.row_version, t.pid, t.attendee_pids, a.names AS attendee_names
  FROM sgz.supervision t CROSS JOIN LATERAL sgz.attendees_masked(t.attendee_pids) a
 WHERE t.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE VIEW sgz.training_v AS
SELECT t.title, t.starts_on, t.organiser, t.level, t.kind, t.hours, a.numbers AS attendees,
       t.row_version, t.pid, t.attendee_pids, a.names AS attendee_names
  FROM sgz.training t CROSS JOIN LATERAL sgz.attendees_masked(t.attendee_pids) a
 WHERE (SELECT sgz.scope_prefix()) = ''
    OR EXISTS (SELECT 1 FROM unnest(sgz.training_stations(t.attendee_pids)) s
		WHERE s BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));

-- The attendees' full numbers, for an export by a user who may not read
-- the column (0017): those of the staff in his scope, sorted as stored;
-- the trail gets one entry per transaction.
CREATE FUNCTION sgz.staff_numbers(pids bigint[]) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r text;
BEGIN
	SELECT string_agg(s.id_number, ';' ORDER BY s.id_number) INTO r
	  FROM sgz.staff s WHERE s.pid = ANY (pids) AND sgz.session_covers(s.station);
	IF current_setting('sgz.staff_numbers_filed', true) IS DISTINCT FROM txid_current()::text THEN
		PERFORM set_config('sgz.staff_numbers_filed', txid_current()::text, true);
		PERFORM sgz.audit_event('export', 'sgz.staff',
			jsonb_build_object('entity', 'staff', 'reason', 'attendees',
					   'scope', sgz.scope_prefix()),
			NULL);
	END IF;
	RETURN r;
END
$$;
REVOKE ALL ON FUNCTION sgz.staff_numbers(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.staff_numbers(bigint[])
	TO sgz_admin, sgz_region, sgz_county, sgz_station;

-- ---- privileges (0004's kinds, 0017's columns) ----

GRANT SELECT, INSERT, UPDATE, DELETE
	ON sgz.community_org, sgz.outreach_visit, sgz.supervision, sgz.training, sgz.resource
	TO sgz_admin;
GRANT INSERT, UPDATE, DELETE
	ON sgz.community_org, sgz.outreach_visit, sgz.supervision, sgz.training, sgz.resource
	TO sgz_county, sgz_station;
GRANT SELECT ON sgz.community_org, sgz.resource TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (station, visit_date, village, address, worker_pid, persons, needs, recipient_pid,
	      summary, row_version)
	ON sgz.outreach_visit TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (station, held_on, kind, supervisor, hours, attendee_pids, topics, pid, row_version)
	ON sgz.supervision TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (title, starts_on, organiser, level, kind, hours, attendee_pids, pid, row_version)
	ON sgz.training TO sgz_region, sgz_county, sgz_station;
GRANT SELECT ON sgz.outreach_visit_v, sgz.supervision_v, sgz.training_v
	TO sgz_admin, sgz_region, sgz_county, sgz_station;
GRANT EXECUTE ON FUNCTION sgz.attendees_masked(bigint[])
	TO sgz_admin, sgz_region, sgz_county, sgz_station;

-- ---- KPI: households visited (rules.md, extended) ----

-- households_visited: the distinct recipients with a home visit (of a case,
-- or an outreach visit naming the recipient) plus the distinct (village,
-- address) of outreach visits naming none, in the year to as_of.
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
            FROM ( SELECT v.station,
                     ('r'::text || (c.recipient_pid)::text) AS k
                    FROM (sgz.visit v
                      JOIN sgz.case_file c ON ((c.case_no = v.case_no)))
                   WHERE (((v.station >= sgz.report_low(report_kpi.scope_prefix)) AND (v.station <= sgz.report_high(report_kpi.scope_prefix))) AND (v.kind = 'home_visit'::text) AND (v.visit_date >= sgz.report_year_start(report_kpi.as_of)) AND (v.visit_date <= report_kpi.as_of))
                 UNION ALL
                  SELECT o.station,
                     CASE WHEN (o.recipient_pid IS NOT NULL) THEN ('r'::text || (o.recipient_pid)::text) ELSE ((('h'::text || o.village) || '|'::text) || o.address) END AS k
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
