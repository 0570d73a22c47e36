-- 0003: every entity of spec/csv.md, with the rules of spec/rules.md that
-- live in the database: keys, references, CHECKs and triggers. The same
-- rules run in C through the data dictionary, so that a form or an import
-- names the field; these are the backstop no client can get round.

-- ---- identity numbers (GB 11643-1999, GB 32100-2015) ----

CREATE FUNCTION sgz.idnum_valid(id text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	w CONSTANT int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
	s int := 0;
BEGIN
	IF id !~ '^[0-9]{17}[0-9X]$' THEN
		RETURN false;
	END IF;
	FOR i IN 1..17 LOOP
		s := s + (substr(id, i, 1)::int) * w[i];
	END LOOP;
	IF substr('10X98765432', s % 11 + 1, 1) <> substr(id, 18, 1) THEN
		RETURN false;
	END IF;
	PERFORM make_date(substr(id, 7, 4)::int, substr(id, 11, 2)::int, substr(id, 13, 2)::int);
	RETURN true;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
	RETURN false;
END
$$;

CREATE FUNCTION sgz.idnum_birth(id text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT make_date(substr(id, 7, 4)::int, substr(id, 11, 2)::int, substr(id, 13, 2)::int)
$$;

CREATE FUNCTION sgz.idnum_gender(id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN substr(id, 17, 1)::int % 2 = 1 THEN 'male' ELSE 'female' END
$$;

-- Whole years of age on a day.
CREATE FUNCTION sgz.age_on(birth date, d date) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT extract(year FROM age(d, birth))::int
$$;

CREATE FUNCTION sgz.credit_code_valid(code text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	alphabet CONSTANT text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	w CONSTANT int[] := '{1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28}';
	s int := 0;
	c int;
BEGIN
	IF code !~ '^[0-9A-HJ-NPQRTUW-Y]{18}$' THEN
		RETURN false;
	END IF;
	FOR i IN 1..17 LOOP
		s := s + (strpos(alphabet, substr(code, i, 1)) - 1) * w[i];
	END LOOP;
	c := 31 - s % 31;
	IF c = 31 THEN
		c := 0;
	END IF;
	RETURN substr(alphabet, c + 1, 1) = substr(code, 18, 1);
END
$$;

CREATE FUNCTION sgz.phone_valid(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT p ~ '^1[3-9][0-9]{9}$' OR p ~ '^0[0-9]{2,3}-?[0-9]{7,8}$'
$$;

CREATE FUNCTION sgz.text_valid(t text, max_len int) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT t <> '' AND length(t) <= max_len AND t !~ '[[:cntrl:]]'
$$;

-- Multi-line text (notes, summaries): line breaks allowed, other controls not.
CREATE FUNCTION sgz.note_valid(t text, max_len int) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT t <> '' AND length(t) <= max_len AND t !~ '[\x01-\x09\x0b-\x1f\x7f]'
$$;

-- ---- settings (rules.md: each *setting* with its default) ----

CREATE TABLE sgz.setting (
	key text PRIMARY KEY,
	value numeric NOT NULL,
	description text NOT NULL,
	row_version integer NOT NULL DEFAULT 1
);

INSERT INTO sgz.setting (key, value, description) VALUES
	('star1_hours', 100, '1-star volunteer: lifetime hours (中国注册志愿者管理办法 Art. 16)'),
	('star2_hours', 300, '2-star volunteer: lifetime hours'),
	('star3_hours', 600, '3-star volunteer: lifetime hours'),
	('star4_hours', 1000, '4-star volunteer: lifetime hours'),
	('star5_hours', 1500, '5-star volunteer: lifetime hours'),
	('registration_rate_target_pct', 13, 'volunteer registration rate target, % of population (004 §1(2))'),
	('visit_interval_days', 30, 'days from a visit (or the opening) to the next one due'),
	('target_recipients_served', 40, 'annual target: recipients served per station (002 annex 2)'),
	('target_individual_pct', 50, 'annual target: % of recipients with an individual case'),
	('target_large_events', 2, 'annual target: large events per station'),
	('target_small_events', 6, 'annual target: small events per station'),
	('target_trainings', 4, 'annual target: capacity trainings per station'),
	('open_tender_threshold', 2000000, 'yuan above which procurement is by open tender'),
	('grade_excellent', 90, 'lowest score graded excellent'),
	('grade_good', 80, 'lowest score graded good'),
	('grade_pass', 60, 'lowest score graded pass'),
	('hours_due_working_days', 10, 'working days within which hours are recorded (民政部令第67号 Art. 11)');

CREATE FUNCTION sgz.setting_value(k text) RETURNS numeric
LANGUAGE sql STABLE STRICT AS $$
	SELECT value FROM sgz.setting WHERE key = k
$$;

CREATE TRIGGER setting_row_version BEFORE UPDATE ON sgz.setting
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- organisations (承接机构) ----

CREATE TABLE sgz.organization (
	credit_code text PRIMARY KEY
		CONSTRAINT organization_credit_code_valid CHECK (sgz.credit_code_valid(credit_code)),
	name text NOT NULL CONSTRAINT organization_name_valid CHECK (sgz.text_valid(name, 200)),
	registered_on date,
	registration_level text CONSTRAINT organization_registration_level_valid
		CHECK (registration_level IN ('county', 'prefecture', 'province', 'national')),
	social_work_scope boolean,
	tax_qualified boolean,
	violation_record boolean,
	fulltime_staff integer CONSTRAINT organization_fulltime_staff_valid
		CHECK (fulltime_staff BETWEEN 0 AND 100000),
	professional_staff integer CONSTRAINT organization_professional_staff_valid
		CHECK (professional_staff BETWEEN 0 AND 100000),
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT organization_professional_staff_within_fulltime
		CHECK (professional_staff <= fulltime_staff)
);

CREATE TRIGGER organization_row_version BEFORE UPDATE ON sgz.organization
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

ALTER TABLE sgz.station ADD CONSTRAINT station_organization_exists
	FOREIGN KEY (organization) REFERENCES sgz.organization (credit_code);
CREATE INDEX station_organization_idx ON sgz.station (organization);

-- ---- service points (社工点) ----

CREATE TABLE sgz.service_point (
	station text NOT NULL CONSTRAINT service_point_station_exists REFERENCES sgz.station (township),
	name text NOT NULL CONSTRAINT service_point_name_valid CHECK (sgz.text_valid(name, 100)),
	villages text[] NOT NULL DEFAULT '{}',
	established_on date,
	status text NOT NULL DEFAULT 'planned' CONSTRAINT service_point_status_valid
		CHECK (status IN ('planned', 'established', 'operating', 'suspended', 'closed')),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (station, name),
	CONSTRAINT service_point_established_needs_date
		CHECK (status = 'planned' OR established_on IS NOT NULL)
);

CREATE INDEX service_point_villages_idx ON sgz.service_point USING gin (villages);

-- rules.md: a point serves villages of its own township, and a village is
-- served by at most one point. The points of one township are serialised
-- by an advisory lock on the township, so two saves cannot both pass.
CREATE FUNCTION sgz.service_point_villages_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v text;
	other text;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('sgz.service_point'), hashtext(NEW.station));
	FOREACH v IN ARRAY NEW.villages LOOP
		IF NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = v AND d.level = 5) THEN
			RAISE EXCEPTION 'village % is not in the division list', v
				USING ERRCODE = 'foreign_key_violation', COLUMN = 'villages';
		END IF;
		IF substr(v, 1, 9) <> substr(NEW.station, 1, 9) THEN
			RAISE EXCEPTION 'village % is not in the township of station %', v, NEW.station
				USING ERRCODE = 'check_violation', COLUMN = 'villages';
		END IF;
		SELECT p.name INTO other FROM sgz.service_point p
		 WHERE p.villages @> ARRAY[v] AND (p.station, p.name) <> (NEW.station, NEW.name);
		IF FOUND THEN
			RAISE EXCEPTION 'village % is already served by the point %', v, other
				USING ERRCODE = 'unique_violation', COLUMN = 'villages';
		END IF;
	END LOOP;
	RETURN NEW;
END
$$;

CREATE TRIGGER service_point_villages_check BEFORE INSERT OR UPDATE ON sgz.service_point
	FOR EACH ROW EXECUTE FUNCTION sgz.service_point_villages_check();
CREATE TRIGGER service_point_row_version BEFORE UPDATE ON sgz.service_point
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- staff ----

CREATE TABLE sgz.staff (
	id_number text PRIMARY KEY
		CONSTRAINT staff_id_number_valid CHECK (sgz.idnum_valid(id_number)),
	name text NOT NULL CONSTRAINT staff_name_valid CHECK (sgz.text_valid(name, 50)),
	phone text CONSTRAINT staff_phone_valid CHECK (sgz.phone_valid(phone)),
	station text NOT NULL CONSTRAINT staff_station_exists REFERENCES sgz.station (township),
	role text NOT NULL CONSTRAINT staff_role_valid
		CHECK (role IN ('head', 'fulltime', 'resident', 'point_worker', 'supervisor',
				'project_lead', 'coordinator', 'assistant')),
	education text CONSTRAINT staff_education_valid
		CHECK (education IN ('below_college', 'college', 'bachelor', 'master', 'doctor')),
	qualification text NOT NULL DEFAULT 'none' CONSTRAINT staff_qualification_valid
		CHECK (qualification IN ('none', 'assistant', 'intermediate', 'senior')),
	qualified_on date,
	hired_on date NOT NULL,
	left_on date,
	employer text CONSTRAINT staff_employer_exists REFERENCES sgz.organization (credit_code),
	local_hukou boolean,
	gender text NOT NULL GENERATED ALWAYS AS (sgz.idnum_gender(id_number)) STORED,
	birth_date date NOT NULL GENERATED ALWAYS AS (sgz.idnum_birth(id_number)) STORED,
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT staff_left_on_after_hired_on CHECK (left_on IS NULL OR left_on >= hired_on),
	CONSTRAINT staff_qualified_on_needs_qualification
		CHECK (qualified_on IS NULL OR qualification <> 'none'),
	CONSTRAINT staff_qualification_needs_qualified_on
		CHECK (qualification = 'none' OR qualified_on IS NOT NULL)
);

CREATE INDEX staff_station_idx ON sgz.staff (station, id_number);
CREATE TRIGGER staff_row_version BEFORE UPDATE ON sgz.staff
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- volunteers, activities, hours ----

CREATE TABLE sgz.volunteer (
	id_number text PRIMARY KEY
		CONSTRAINT volunteer_id_number_valid CHECK (sgz.idnum_valid(id_number)),
	name text NOT NULL CONSTRAINT volunteer_name_valid CHECK (sgz.text_valid(name, 50)),
	phone text CONSTRAINT volunteer_phone_valid CHECK (sgz.phone_valid(phone)),
	station text NOT NULL CONSTRAINT volunteer_station_exists REFERENCES sgz.station (township),
	team text CONSTRAINT volunteer_team_valid CHECK (sgz.text_valid(team, 100)),
	registered_on date NOT NULL,
	skills text CONSTRAINT volunteer_skills_valid CHECK (sgz.text_valid(skills, 500)),
	gender text NOT NULL GENERATED ALWAYS AS (sgz.idnum_gender(id_number)) STORED,
	birth_date date NOT NULL GENERATED ALWAYS AS (sgz.idnum_birth(id_number)) STORED,
	row_version integer NOT NULL DEFAULT 1
);

CREATE INDEX volunteer_station_idx ON sgz.volunteer (station, id_number);
CREATE INDEX volunteer_name_idx ON sgz.volunteer (name text_pattern_ops);
CREATE TRIGGER volunteer_row_version BEFORE UPDATE ON sgz.volunteer
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

CREATE TABLE sgz.activity (
	station text NOT NULL CONSTRAINT activity_station_exists REFERENCES sgz.station (township),
	date date NOT NULL,
	title text NOT NULL CONSTRAINT activity_title_valid CHECK (sgz.text_valid(title, 200)),
	kind text NOT NULL CONSTRAINT activity_kind_valid
		CHECK (kind IN ('large_event', 'small_event', 'training', 'group_session',
				'meeting', 'other')),
	participants integer CONSTRAINT activity_participants_valid
		CHECK (participants BETWEEN 0 AND 1000000),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (station, date, title)
);

CREATE TRIGGER activity_row_version BEFORE UPDATE ON sgz.activity
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- The volunteer and the station of an hours row are references like any
-- other, but a bulk import brings a million rows for a few thousand
-- volunteers: instead of a foreign key, which locks the referenced row once
-- per row, sgz.hours_check() locks each referenced volunteer and station
-- once per statement (FOR KEY SHARE, as a foreign key does) and checks them
-- set-based; sgz.hours_referenced_guard() refuses deleting or renumbering a
-- volunteer or station that still has hours.
CREATE TABLE sgz.hours (
	volunteer text NOT NULL,
	service_date date NOT NULL,
	station text NOT NULL,
	activity text,
	hours numeric(3, 1) NOT NULL CONSTRAINT hours_hours_valid CHECK (hours > 0 AND hours <= 24),
	note text CONSTRAINT hours_note_valid CHECK (sgz.text_valid(note, 500)),
	entered_on date NOT NULL DEFAULT current_date,
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT hours_key UNIQUE NULLS NOT DISTINCT (volunteer, service_date, station, activity),
	CONSTRAINT hours_activity_exists FOREIGN KEY (station, service_date, activity)
		REFERENCES sgz.activity (station, date, title)
);

-- A volunteer's days are served by hours_key, whose first column is the
-- volunteer; one index fewer to maintain on a bulk import.
CREATE INDEX hours_station_idx ON sgz.hours (station, service_date, volunteer);
CREATE TRIGGER hours_row_version BEFORE UPDATE ON sgz.hours
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- rules.md: hours on a day add up to at most 24 for one volunteer; the date
-- is not in the future nor before the volunteer registered; the volunteer
-- and the station exist. Checked once per statement over the rows it
-- touched, so a bulk import pays a few set-based queries, not one per row.
CREATE FUNCTION sgz.hours_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	PERFORM 1 FROM sgz.volunteer v
	 WHERE v.id_number IN (SELECT DISTINCT n.volunteer FROM new_rows n)
	   FOR KEY SHARE;
	PERFORM 1 FROM sgz.station t
	 WHERE t.township IN (SELECT DISTINCT n.station FROM new_rows n)
	   FOR KEY SHARE;
	SELECT d.volunteer INTO r FROM (SELECT DISTINCT n.volunteer FROM new_rows n) d
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.volunteer v WHERE v.id_number = d.volunteer) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'volunteer % is not registered', r.volunteer
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'volunteer';
	END IF;
	SELECT d.station INTO r FROM (SELECT DISTINCT n.station FROM new_rows n) d
	 WHERE NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = d.station) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'station % does not exist', r.station
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'station';
	END IF;
	SELECT n.volunteer, n.service_date INTO r FROM new_rows n
	 WHERE n.service_date > current_date LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'hours of % on %: the date is in the future', r.volunteer, r.service_date
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;
	SELECT d.volunteer, d.service_date, v.registered_on INTO r
	  FROM (SELECT n.volunteer, min(n.service_date) AS service_date
		  FROM new_rows n GROUP BY n.volunteer) d
	  JOIN sgz.volunteer v ON v.id_number = d.volunteer
	 WHERE d.service_date < v.registered_on LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'hours of % on %: before the volunteer registered (%)',
			r.volunteer, r.service_date, r.registered_on
			USING ERRCODE = 'check_violation', COLUMN = 'service_date';
	END IF;
	SELECT h.volunteer, h.service_date, sum(h.hours) AS total INTO r
	  FROM (SELECT DISTINCT n.volunteer, n.service_date FROM new_rows n) d
	  JOIN sgz.hours h ON h.volunteer = d.volunteer AND h.service_date = d.service_date
	 GROUP BY h.volunteer, h.service_date
	HAVING sum(h.hours) > 24 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'hours of % on % add up to %, more than 24', r.volunteer,
			r.service_date, r.total
			USING ERRCODE = 'check_violation', COLUMN = 'hours';
	END IF;
	RETURN NULL;
END
$$;

-- The other side of the references of sgz.hours: a volunteer or station
-- deleted, or its key changed, while hours still name it.
CREATE FUNCTION sgz.hours_referenced_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	k text;
BEGIN
	IF TG_TABLE_NAME = 'volunteer' THEN
		SELECT o.id_number INTO k FROM old_rows o
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.volunteer v WHERE v.id_number = o.id_number)
		   AND EXISTS (SELECT 1 FROM sgz.hours h WHERE h.volunteer = o.id_number) LIMIT 1;
	ELSE
		SELECT o.township INTO k FROM old_rows o
		 WHERE NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = o.township)
		   AND EXISTS (SELECT 1 FROM sgz.hours h WHERE h.station = o.township) LIMIT 1;
	END IF;
	IF FOUND THEN
		RAISE EXCEPTION '% % still has service hours recorded', TG_TABLE_NAME, k
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER volunteer_hours_guard_delete AFTER DELETE ON sgz.volunteer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_referenced_guard();
CREATE TRIGGER volunteer_hours_guard_update AFTER UPDATE ON sgz.volunteer
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_referenced_guard();
CREATE TRIGGER station_hours_guard_delete AFTER DELETE ON sgz.station
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_referenced_guard();
CREATE TRIGGER station_hours_guard_update AFTER UPDATE ON sgz.station
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_referenced_guard();

CREATE TRIGGER hours_check_insert AFTER INSERT ON sgz.hours
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_check();
CREATE TRIGGER hours_check_update AFTER UPDATE ON sgz.hours
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.hours_check();

-- ---- recipients, cases, visits ----

CREATE TABLE sgz.recipient (
	id_number text PRIMARY KEY
		CONSTRAINT recipient_id_number_valid CHECK (sgz.idnum_valid(id_number)),
	name text NOT NULL CONSTRAINT recipient_name_valid CHECK (sgz.text_valid(name, 50)),
	phone text CONSTRAINT recipient_phone_valid CHECK (sgz.phone_valid(phone)),
	-- The village (or, where villages are not registered, the township).
	village text NOT NULL CONSTRAINT recipient_village_exists REFERENCES sgz.division (code)
		CONSTRAINT recipient_village_level CHECK (sgz.division_level(village) >= 4),
	address text CONSTRAINT recipient_address_valid CHECK (sgz.text_valid(address, 200)),
	categories text[] NOT NULL DEFAULT '{}' CONSTRAINT recipient_categories_valid
		CHECK (categories <@ ARRAY['dibao', 'dibao_edge', 'tekun', 'temporary_assistance',
			'left_behind_child', 'child_in_difficulty', 'de_facto_orphan',
			'left_behind_elderly', 'empty_nest_elderly', 'disabled_elderly', 'disabled',
			'vagrant', 'relocated', 'bereaved_parents', 'domestic_violence',
			'single_parent', 'offender_family', 'other']),
	guardian_name text CONSTRAINT recipient_guardian_name_valid
		CHECK (sgz.text_valid(guardian_name, 50)),
	guardian_phone text CONSTRAINT recipient_guardian_phone_valid
		CHECK (sgz.phone_valid(guardian_phone)),
	gender text NOT NULL GENERATED ALWAYS AS (sgz.idnum_gender(id_number)) STORED,
	birth_date date NOT NULL GENERATED ALWAYS AS (sgz.idnum_birth(id_number)) STORED,
	row_version integer NOT NULL DEFAULT 1
);

CREATE INDEX recipient_village_idx ON sgz.recipient (village, id_number);
CREATE TRIGGER recipient_row_version BEFORE UPDATE ON sgz.recipient
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- rules.md: child categories need an age under 18 (留守儿童 under 16),
-- elderly ones 60 or over; age from the ID number, today.
CREATE FUNCTION sgz.recipient_category_problem(categories text[], birth date, on_day date)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN 'left_behind_child' = ANY (categories) AND sgz.age_on(birth, on_day) >= 16
			THEN format('left_behind_child (农村留守儿童) needs an age under 16, not %s',
				    sgz.age_on(birth, on_day))
		WHEN categories && ARRAY['child_in_difficulty', 'de_facto_orphan']
		     AND sgz.age_on(birth, on_day) >= 18
			THEN format('child categories need an age under 18, not %s',
				    sgz.age_on(birth, on_day))
		WHEN categories && ARRAY['left_behind_elderly', 'empty_nest_elderly', 'disabled_elderly']
		     AND sgz.age_on(birth, on_day) < 60
			THEN format('elderly categories need an age of 60 or over, not %s',
				    sgz.age_on(birth, on_day))
	END
$$;

CREATE FUNCTION sgz.recipient_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	problem text := sgz.recipient_category_problem(NEW.categories,
		sgz.idnum_birth(NEW.id_number), current_date);
BEGIN
	IF problem IS NOT NULL THEN
		RAISE EXCEPTION '%', problem USING ERRCODE = 'check_violation', COLUMN = 'categories';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER recipient_check BEFORE INSERT OR UPDATE ON sgz.recipient
	FOR EACH ROW EXECUTE FUNCTION sgz.recipient_check();

CREATE TABLE sgz.case_file (
	case_no text PRIMARY KEY CONSTRAINT case_file_case_no_valid
		CHECK (case_no ~ '^[0-9]{9}-[0-9]{4}-[0-9]{4,}$'),
	recipient text NOT NULL CONSTRAINT case_file_recipient_exists
		REFERENCES sgz.recipient (id_number),
	station text NOT NULL CONSTRAINT case_file_station_exists REFERENCES sgz.station (township),
	worker text NOT NULL CONSTRAINT case_file_worker_exists REFERENCES sgz.staff (id_number),
	method text NOT NULL CONSTRAINT case_file_method_valid
		CHECK (method IN ('individual', 'group', 'community')),
	opened_on date NOT NULL,
	status text NOT NULL DEFAULT 'intake' CONSTRAINT case_file_status_valid
		CHECK (status IN ('intake', 'assessment', 'planning', 'intervention', 'review', 'closed')),
	risk text CONSTRAINT case_file_risk_valid CHECK (risk IN ('low', 'medium', 'high', 'critical')),
	closed_on date,
	close_reason text CONSTRAINT case_file_close_reason_valid
		CHECK (sgz.text_valid(close_reason, 500)),
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT case_file_closed_on_needed CHECK (status <> 'closed' OR closed_on IS NOT NULL),
	CONSTRAINT case_file_close_reason_needed
		CHECK (status <> 'closed' OR close_reason IS NOT NULL),
	CONSTRAINT case_file_closed_on_only_when_closed CHECK (status = 'closed' OR closed_on IS NULL),
	CONSTRAINT case_file_closed_on_after_opened_on CHECK (closed_on IS NULL OR closed_on >= opened_on)
);

CREATE INDEX case_file_station_idx ON sgz.case_file (station, case_no);
CREATE INDEX case_file_worker_idx ON sgz.case_file (worker);
CREATE INDEX case_file_recipient_idx ON sgz.case_file (recipient);

-- Case numbers: {9-digit township}-{year opened}-{4-digit sequence}
-- (csv.md), from a counter row per township and year, so that concurrent
-- saves wait for each other instead of taking the same number.
CREATE TABLE sgz.case_counter (
	prefix text PRIMARY KEY,
	last integer NOT NULL
);

CREATE FUNCTION sgz.case_file_assign() RETURNS trigger
LANGUAGE plpgsql AS $$
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
		NEW.case_no := p || '-' || lpad(n::text, 4, '0');
	END IF;
	-- rules.md: the responsible worker is an active staff member of the
	-- case's station.
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

CREATE TRIGGER case_file_assign BEFORE INSERT OR UPDATE ON sgz.case_file
	FOR EACH ROW EXECUTE FUNCTION sgz.case_file_assign();
CREATE TRIGGER case_file_row_version BEFORE UPDATE ON sgz.case_file
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

CREATE TABLE sgz.visit (
	case_no text NOT NULL CONSTRAINT visit_case_no_exists REFERENCES sgz.case_file (case_no),
	visit_date date NOT NULL,
	kind text NOT NULL CONSTRAINT visit_kind_valid
		CHECK (kind IN ('home_visit', 'phone', 'office', 'outreach', 'referral', 'group_session')),
	worker text CONSTRAINT visit_worker_exists REFERENCES sgz.staff (id_number),
	summary text CONSTRAINT visit_summary_valid CHECK (sgz.note_valid(summary, 4000)),
	next_due date,
	-- The case's station, kept here for the scope of the row.
	station text NOT NULL,
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (case_no, visit_date, kind),
	CONSTRAINT visit_next_due_after_visit_date CHECK (next_due IS NULL OR next_due > visit_date)
);

CREATE INDEX visit_station_idx ON sgz.visit (station, visit_date);

CREATE FUNCTION sgz.visit_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	c record;
BEGIN
	SELECT f.station, f.opened_on INTO c FROM sgz.case_file f WHERE f.case_no = NEW.case_no;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % does not exist', NEW.case_no
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'case_no';
	END IF;
	NEW.station := c.station;
	IF NEW.visit_date < c.opened_on THEN
		RAISE EXCEPTION 'visit on % is before case % was opened (%)', NEW.visit_date,
			NEW.case_no, c.opened_on
			USING ERRCODE = 'check_violation', COLUMN = 'visit_date';
	END IF;
	IF NEW.visit_date > current_date THEN
		RAISE EXCEPTION 'visit on % is in the future', NEW.visit_date
			USING ERRCODE = 'check_violation', COLUMN = 'visit_date';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER visit_check BEFORE INSERT OR UPDATE ON sgz.visit
	FOR EACH ROW EXECUTE FUNCTION sgz.visit_check();
CREATE TRIGGER visit_row_version BEFORE UPDATE ON sgz.visit
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- contracts and evaluations ----

CREATE TABLE sgz.contract (
	contract_no text PRIMARY KEY CONSTRAINT contract_contract_no_valid
		CHECK (sgz.text_valid(contract_no, 50)),
	purchaser text NOT NULL CONSTRAINT contract_purchaser_exists REFERENCES sgz.division (code)
		CONSTRAINT contract_purchaser_level CHECK (sgz.division_level(purchaser) <= 4),
	purchaser_name text CONSTRAINT contract_purchaser_name_valid
		CHECK (sgz.text_valid(purchaser_name, 200)),
	organization text NOT NULL CONSTRAINT contract_organization_exists
		REFERENCES sgz.organization (credit_code),
	procurement_method text NOT NULL CONSTRAINT contract_procurement_method_valid
		CHECK (procurement_method IN ('open_tender', 'invited_tender', 'competitive_negotiation',
			'competitive_consultation', 'single_source', 'inquiry')),
	cycle_start smallint NOT NULL CONSTRAINT contract_cycle_start_valid
		CHECK (cycle_start BETWEEN 2000 AND 2100),
	year_no smallint NOT NULL CONSTRAINT contract_year_no_valid CHECK (year_no BETWEEN 1 AND 3),
	signed_on date,
	starts_on date NOT NULL,
	ends_on date NOT NULL,
	amount numeric(14, 2) NOT NULL CONSTRAINT contract_amount_valid
		CHECK (amount >= 0 AND amount < 1e12),
	funding_source text[] NOT NULL DEFAULT '{}' CONSTRAINT contract_funding_source_valid
		CHECK (funding_source <@ ARRAY['social_assistance', 'lottery_welfare', 'fiscal_budget',
			'paired_aid', 'community_welfare_subsidy', 'charity', 'other']),
	stations text[] NOT NULL DEFAULT '{}',
	required_staff smallint CONSTRAINT contract_required_staff_valid
		CHECK (required_staff BETWEEN 0 AND 1000),
	required_qualified smallint CONSTRAINT contract_required_qualified_valid
		CHECK (required_qualified BETWEEN 0 AND 1000),
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT contract_ends_on_after_starts_on CHECK (ends_on >= starts_on),
	CONSTRAINT contract_required_qualified_within_staff
		CHECK (required_qualified <= required_staff)
);

CREATE INDEX contract_purchaser_idx ON sgz.contract (purchaser, contract_no);
CREATE INDEX contract_stations_idx ON sgz.contract USING gin (stations);

CREATE FUNCTION sgz.contract_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	s text;
	prefix text := rtrim(NEW.purchaser, '0');
BEGIN
	FOREACH s IN ARRAY NEW.stations LOOP
		IF NOT EXISTS (SELECT 1 FROM sgz.station t WHERE t.township = s) THEN
			RAISE EXCEPTION 'station % does not exist', s
				USING ERRCODE = 'foreign_key_violation', COLUMN = 'stations';
		END IF;
		IF s NOT LIKE prefix || '%' THEN
			RAISE EXCEPTION 'station % is not within the purchaser %', s, NEW.purchaser
				USING ERRCODE = 'check_violation', COLUMN = 'stations';
		END IF;
	END LOOP;
	RETURN NEW;
END
$$;

CREATE TRIGGER contract_check BEFORE INSERT OR UPDATE ON sgz.contract
	FOR EACH ROW EXECUTE FUNCTION sgz.contract_check();
CREATE TRIGGER contract_row_version BEFORE UPDATE ON sgz.contract
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

CREATE TABLE sgz.evaluation (
	contract_no text NOT NULL CONSTRAINT evaluation_contract_no_exists
		REFERENCES sgz.contract (contract_no),
	kind text NOT NULL CONSTRAINT evaluation_kind_valid
		CHECK (kind IN ('mid_term', 'annual', 'final')),
	evaluated_on date NOT NULL,
	evaluator text CONSTRAINT evaluation_evaluator_valid CHECK (sgz.text_valid(evaluator, 200)),
	score numeric(4, 1) NOT NULL CONSTRAINT evaluation_score_valid CHECK (score BETWEEN 0 AND 100),
	notes text CONSTRAINT evaluation_notes_valid CHECK (sgz.note_valid(notes, 4000)),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (contract_no, kind, evaluated_on)
);

CREATE TRIGGER evaluation_row_version BEFORE UPDATE ON sgz.evaluation
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- rules.md: the grade bands are settings.
CREATE FUNCTION sgz.grade(score numeric) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
	SELECT CASE
		WHEN score >= sgz.setting_value('grade_excellent') THEN 'excellent'
		WHEN score >= sgz.setting_value('grade_good') THEN 'good'
		WHEN score >= sgz.setting_value('grade_pass') THEN 'pass'
		ELSE 'fail'
	END
$$;

-- ---- plans ----

CREATE TABLE sgz.plan (
	division text NOT NULL CONSTRAINT plan_division_exists REFERENCES sgz.division (code),
	year smallint NOT NULL CONSTRAINT plan_year_valid CHECK (year BETWEEN 2000 AND 2100),
	stations_target integer CONSTRAINT plan_stations_target_valid
		CHECK (stations_target BETWEEN 0 AND 1000000),
	social_workers_target integer CONSTRAINT plan_social_workers_target_valid
		CHECK (social_workers_target BETWEEN 0 AND 10000000),
	point_coverage_target_pct numeric(4, 1) CONSTRAINT plan_point_coverage_target_pct_valid
		CHECK (point_coverage_target_pct BETWEEN 0 AND 100),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (division, year)
);

CREATE TRIGGER plan_row_version BEFORE UPDATE ON sgz.plan
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();
