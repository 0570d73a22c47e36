-- 0025: programmes as data (spec/programmes.md, issue 13): programmes with
-- their cycle, budget, targets and indicator set; indicator sets; an
-- evaluation of a contract year or of a station, scored indicator by
-- indicator; a contract's programme; payments; submissions.
--
-- Existing data moves as it is: an evaluation keeps its contract (station
-- empty), a contract has no programme and keeps the 3-year cycle.
--
-- The rules hold whoever writes: the checks that must see rows outside
-- the writer's scope run as the owner (SECURITY DEFINER, 0010), and the
-- rules across rows queue concurrent writers on a lock first and read
-- afterwards (each statement of a PL/pgSQL function takes a new snapshot
-- at READ COMMITTED, sgz's level): a contract cycle on an advisory lock,
-- a contract's payments and grade on the contract's row, an indicator
-- set on an advisory lock, an evaluation's total on its row.

-- ---- indicator sets ----

CREATE TABLE sgz.indicator (
	indicator_set text NOT NULL CONSTRAINT indicator_indicator_set_valid
		CHECK (sgz.text_valid(indicator_set, 50)),
	code text NOT NULL CONSTRAINT indicator_code_valid CHECK (sgz.text_valid(code, 20)),
	name text NOT NULL CONSTRAINT indicator_name_valid CHECK (sgz.text_valid(name, 200)),
	parent text,
	weight numeric(4, 1) NOT NULL CONSTRAINT indicator_weight_valid
		CHECK (weight > 0 AND weight <= 100),
	guidance text CONSTRAINT indicator_guidance_valid CHECK (sgz.note_valid(guidance, 2000)),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (indicator_set, code),
	CONSTRAINT indicator_parent_exists FOREIGN KEY (indicator_set, parent)
		REFERENCES sgz.indicator (indicator_set, code),
	CONSTRAINT indicator_parent_not_itself CHECK (parent <> code)
);

CREATE TRIGGER indicator_row_version BEFORE UPDATE ON sgz.indicator
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- Each set a statement touched, whole: a parent is a first-level
-- indicator; the first-level weights add up to 100; a parent's children
-- to its weight. Writers of one set queue on its lock, then read.
CREATE FUNCTION sgz.indicator_sets_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
	r record;
BEGIN
	FOR s IN SELECT DISTINCT x.indicator_set FROM changed_rows x ORDER BY 1 LOOP
		PERFORM pg_advisory_xact_lock(hashtext('sgz.indicator_set'), hashtext(s));
		SELECT i.code, i.parent INTO r
		  FROM sgz.indicator i JOIN sgz.indicator p
		    ON p.indicator_set = i.indicator_set AND p.code = i.parent
		 WHERE i.indicator_set = s AND p.parent IS NOT NULL
		 ORDER BY i.code LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'indicator %: its parent % is not a first-level indicator',
				r.code, r.parent
				USING ERRCODE = 'check_violation', COLUMN = 'parent';
		END IF;
		SELECT sum(i.weight) AS total INTO r
		  FROM sgz.indicator i WHERE i.indicator_set = s AND i.parent IS NULL;
		IF r.total IS NOT NULL AND r.total <> 100 THEN
			RAISE EXCEPTION 'indicator set %: the first-level weights add up to %, not 100',
				s, r.total
				USING ERRCODE = 'check_violation', COLUMN = 'weight';
		END IF;
		SELECT p.code, p.weight, sum(i.weight) AS total INTO r
		  FROM sgz.indicator i JOIN sgz.indicator p
		    ON p.indicator_set = i.indicator_set AND p.code = i.parent
		 WHERE i.indicator_set = s
		 GROUP BY p.code, p.weight
		HAVING sum(i.weight) <> p.weight
		 ORDER BY p.code LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'indicator set %: the indicators under % add up to %, not its weight %',
				s, r.code, r.total, r.weight
				USING ERRCODE = 'check_violation', COLUMN = 'weight';
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

CREATE TRIGGER indicator_sets_insert AFTER INSERT ON sgz.indicator
	REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_sets_check();
CREATE TRIGGER indicator_sets_update AFTER UPDATE ON sgz.indicator
	REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_sets_check();
CREATE TRIGGER indicator_sets_delete AFTER DELETE ON sgz.indicator
	REFERENCING OLD TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_sets_check();

-- ---- programmes ----

CREATE TABLE sgz.programme (
	code text PRIMARY KEY CONSTRAINT programme_code_valid CHECK (sgz.text_valid(code, 50)),
	name text NOT NULL CONSTRAINT programme_name_valid CHECK (sgz.text_valid(name, 200)),
	purchaser text NOT NULL CONSTRAINT programme_purchaser_exists
		REFERENCES sgz.division (code)
		CONSTRAINT programme_purchaser_level CHECK (sgz.division_level(purchaser) <= 4),
	kind text NOT NULL CONSTRAINT programme_kind_valid
		CHECK (kind IN ('station_operation', 'community_package', 'other')),
	cycle_years smallint NOT NULL DEFAULT 3 CONSTRAINT programme_cycle_years_valid
		CHECK (cycle_years BETWEEN 1 AND 5),
	budget_per_station numeric(14, 2) CONSTRAINT programme_budget_per_station_valid
		CHECK (budget_per_station >= 0 AND budget_per_station < 1e12),
	indicator_set text,
	target_recipients integer CONSTRAINT programme_target_recipients_valid
		CHECK (target_recipients BETWEEN 0 AND 1000000),
	target_individual_pct numeric(4, 1) CONSTRAINT programme_target_individual_pct_valid
		CHECK (target_individual_pct BETWEEN 0 AND 100),
	target_large_events integer CONSTRAINT programme_target_large_events_valid
		CHECK (target_large_events BETWEEN 0 AND 10000),
	target_small_events integer CONSTRAINT programme_target_small_events_valid
		CHECK (target_small_events BETWEEN 0 AND 10000),
	target_trainings integer CONSTRAINT programme_target_trainings_valid
		CHECK (target_trainings BETWEEN 0 AND 10000),
	target_households_visited integer CONSTRAINT programme_target_households_visited_valid
		CHECK (target_households_visited BETWEEN 0 AND 1000000),
	row_version integer NOT NULL DEFAULT 1
);

CREATE INDEX programme_purchaser_idx ON sgz.programme (purchaser, code);

CREATE TRIGGER programme_row_version BEFORE UPDATE ON sgz.programme
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- The set named exists; the cycle still holds the contracts of the
-- programme (a cycle cannot become shorter than a year stored).
CREATE FUNCTION sgz.programme_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF NEW.indicator_set IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM sgz.indicator i WHERE i.indicator_set = NEW.indicator_set)
	THEN
		RAISE EXCEPTION '% does not exist: import its indicators first', NEW.indicator_set
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'indicator_set';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		SELECT c.contract_no, c.year_no INTO r FROM sgz.contract c
		 WHERE c.programme = NEW.code AND c.year_no > NEW.cycle_years
		 ORDER BY c.contract_no LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'contract % is year % of the cycle: the cycle cannot be shorter',
				r.contract_no, r.year_no
				USING ERRCODE = 'check_violation', COLUMN = 'cycle_years';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER programme_check BEFORE INSERT OR UPDATE ON sgz.programme
	FOR EACH ROW EXECUTE FUNCTION sgz.programme_check();

-- An indicator set a programme names keeps at least one indicator.
CREATE FUNCTION sgz.indicator_set_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	SELECT p.code, p.indicator_set INTO r FROM sgz.programme p
	 WHERE p.indicator_set IN (SELECT o.indicator_set FROM old_rows o)
	   AND NOT EXISTS (SELECT 1 FROM sgz.indicator i WHERE i.indicator_set = p.indicator_set)
	 ORDER BY p.code LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'indicator set % is still named by programme %', r.indicator_set, r.code
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER indicator_set_guard_delete AFTER DELETE ON sgz.indicator
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_set_guard();
CREATE TRIGGER indicator_set_guard_update AFTER UPDATE ON sgz.indicator
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_set_guard();

-- ---- contracts: a programme, its cycle ----

ALTER TABLE sgz.contract ADD COLUMN programme text CONSTRAINT contract_programme_exists
	REFERENCES sgz.programme (code);
ALTER TABLE sgz.contract DROP CONSTRAINT contract_year_no_valid;
ALTER TABLE sgz.contract ADD CONSTRAINT contract_year_no_valid CHECK (year_no BETWEEN 1 AND 5);
CREATE INDEX contract_programme_idx ON sgz.contract (programme) WHERE programme IS NOT NULL;
CREATE INDEX contract_cycle_idx ON sgz.contract (purchaser, organization, cycle_start, year_no);

-- The deciding evaluation of a contract year (rules.md): the latest
-- annual or final one with a score, the final first on the same day.
CREATE FUNCTION sgz.contract_deciding(contract text,
	OUT kind text, OUT evaluated_on date, OUT score numeric, OUT grade text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	SELECT e.kind, e.evaluated_on, e.score, sgz.grade(e.score)
	  INTO kind, evaluated_on, score, grade
	  FROM sgz.evaluation e
	 WHERE e.contract_no = contract AND e.kind IN ('annual', 'final') AND e.score IS NOT NULL
	 ORDER BY e.evaluated_on DESC, e.kind = 'final' DESC LIMIT 1;
END
$$;

CREATE FUNCTION sgz.cycle_lock(purchaser text, organization text, cycle_start smallint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('sgz.cycle'),
				      hashtext(purchaser || '/' || organization || '/' || cycle_start));
END
$$;

-- programmes.md, Cycle and renewal: year_no within the programme's cycle
-- (3 without one); year N+1 of a cycle whose year N was graded fail is
-- refused, naming the evaluation; the amount covers what was paid.
CREATE FUNCTION sgz.contract_cycle_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cycle smallint := 3;
	prev text;
	d record;
	paid numeric;
BEGIN
	IF NEW.programme IS NOT NULL THEN
		SELECT p.cycle_years INTO cycle FROM sgz.programme p WHERE p.code = NEW.programme;
		IF NEW.year_no > cycle THEN
			RAISE EXCEPTION 'year % is past the %-year cycle of programme %', NEW.year_no,
				cycle, NEW.programme
				USING ERRCODE = 'check_violation', COLUMN = 'year_no';
		END IF;
	ELSIF NEW.year_no > cycle THEN
		RAISE EXCEPTION 'year % is past the 3-year cycle of a contract without a programme',
			NEW.year_no
			USING ERRCODE = 'check_violation', COLUMN = 'year_no';
	END IF;
	IF TG_OP = 'INSERT' OR NEW.year_no IS DISTINCT FROM OLD.year_no
	   OR NEW.cycle_start IS DISTINCT FROM OLD.cycle_start
	   OR NEW.purchaser IS DISTINCT FROM OLD.purchaser
	   OR NEW.organization IS DISTINCT FROM OLD.organization THEN
		PERFORM sgz.cycle_lock(NEW.purchaser, NEW.organization, NEW.cycle_start);
		SELECT c.contract_no INTO prev FROM sgz.contract c
		 WHERE c.purchaser = NEW.purchaser AND c.organization = NEW.organization
		   AND c.cycle_start = NEW.cycle_start AND c.year_no = NEW.year_no - 1
		   AND c.contract_no <> NEW.contract_no
		 ORDER BY c.contract_no LIMIT 1;
		IF FOUND THEN
			SELECT * INTO d FROM sgz.contract_deciding(prev);
			IF d.grade = 'fail' THEN
				RAISE EXCEPTION 'year % was graded fail (contract %, % evaluation of %, score %): procure anew',
					NEW.year_no - 1, prev, d.kind, d.evaluated_on, d.score
					USING ERRCODE = 'check_violation', COLUMN = 'year_no';
			END IF;
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.amount < OLD.amount THEN
		SELECT sum(p.amount) INTO paid FROM sgz.payment p WHERE p.contract_no = NEW.contract_no;
		IF paid > NEW.amount THEN
			RAISE EXCEPTION 'payments of contract % add up to %, % more than its amount %',
				NEW.contract_no, paid, paid - NEW.amount, NEW.amount
				USING ERRCODE = 'check_violation', COLUMN = 'amount';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

-- ---- evaluations: of a contract year or of a station ----

ALTER TABLE sgz.evaluation ADD COLUMN station text CONSTRAINT evaluation_station_exists
	REFERENCES sgz.station (township);
ALTER TABLE sgz.evaluation ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE sgz.evaluation ADD CONSTRAINT evaluation_id_key UNIQUE (id);
ALTER TABLE sgz.evaluation DROP CONSTRAINT evaluation_pkey;
ALTER TABLE sgz.evaluation ALTER COLUMN contract_no DROP NOT NULL;
ALTER TABLE sgz.evaluation ALTER COLUMN score DROP NOT NULL;
ALTER TABLE sgz.evaluation ADD CONSTRAINT evaluation_key
	UNIQUE NULLS NOT DISTINCT (contract_no, station, kind, evaluated_on);
ALTER TABLE sgz.evaluation ADD CONSTRAINT evaluation_contract_no_or_station
	CHECK ((contract_no IS NULL) <> (station IS NULL));
CREATE INDEX evaluation_station_idx ON sgz.evaluation (station, evaluated_on)
	WHERE station IS NOT NULL;

-- The indicator set an evaluation is scored by: its contract's
-- programme's; a station's, that of the programme of the nearest
-- purchaser above the station that has a set (the code first of two).
CREATE FUNCTION sgz.evaluation_set(contract text, township text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
BEGIN
	IF contract IS NOT NULL THEN
		SELECT p.indicator_set INTO s FROM sgz.contract c
		  JOIN sgz.programme p ON p.code = c.programme
		 WHERE c.contract_no = contract;
		RETURN s;
	END IF;
	SELECT p.indicator_set INTO s FROM sgz.programme p
	 WHERE p.indicator_set IS NOT NULL
	   AND township LIKE sgz.division_prefix(p.purchaser) || '%'
	 ORDER BY length(sgz.division_prefix(p.purchaser)) DESC, p.code LIMIT 1;
	RETURN s;
END
$$;

-- One of contract and station; a score differs from its indicators' sum
-- in no evaluation (left empty, it is the sum).
CREATE FUNCTION sgz.evaluation_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	total numeric;
BEGIN
	IF (NEW.contract_no IS NULL) = (NEW.station IS NULL) THEN
		RAISE EXCEPTION 'an evaluation is of a contract year or of a station: give one of them'
			USING ERRCODE = 'check_violation', COLUMN = 'contract_no';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		SELECT sum(s.score) INTO total FROM sgz.evaluation_score s
		 WHERE s.evaluation_id = NEW.id;
		IF total IS NOT NULL AND NEW.score IS NULL THEN
			NEW.score := total;
		ELSIF total IS NOT NULL AND NEW.score <> total THEN
			RAISE EXCEPTION 'score % differs from the sum of its indicator scores, %',
				NEW.score, total
				USING ERRCODE = 'check_violation', COLUMN = 'score';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER evaluation_check BEFORE INSERT OR UPDATE ON sgz.evaluation
	FOR EACH ROW EXECUTE FUNCTION sgz.evaluation_check();

-- What a contract year's grade decides, whoever changes it: after a year
-- graded fail no year follows in its cycle; a year with a performance
-- payment is graded good or better.
CREATE FUNCTION sgz.contract_grade_check(contract text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c record;
	d record;
	nxt text;
BEGIN
	SELECT k.contract_no, k.purchaser, k.organization, k.cycle_start, k.year_no INTO c
	  FROM sgz.contract k WHERE k.contract_no = contract FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	PERFORM sgz.cycle_lock(c.purchaser, c.organization, c.cycle_start);
	SELECT * INTO d FROM sgz.contract_deciding(contract);
	IF d.grade = 'fail' THEN
		SELECT k.contract_no INTO nxt FROM sgz.contract k
		 WHERE k.purchaser = c.purchaser AND k.organization = c.organization
		   AND k.cycle_start = c.cycle_start AND k.year_no = c.year_no + 1
		 ORDER BY k.contract_no LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'contract % is year % of the same cycle: a year graded fail ends its cycle',
				nxt, c.year_no + 1
				USING ERRCODE = 'check_violation', COLUMN = 'score';
		END IF;
	END IF;
	IF d.grade IN ('pass', 'fail')
	   AND EXISTS (SELECT 1 FROM sgz.payment p
			WHERE p.contract_no = contract AND p.kind = 'performance') THEN
		RAISE EXCEPTION 'contract % has a performance payment: its year cannot be graded %',
			contract, d.grade
			USING ERRCODE = 'check_violation', COLUMN = 'score';
	END IF;
END
$$;

CREATE FUNCTION sgz.evaluation_grade_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP <> 'DELETE' AND NEW.contract_no IS NOT NULL THEN
		PERFORM sgz.contract_grade_check(NEW.contract_no);
	END IF;
	IF TG_OP <> 'INSERT' AND OLD.contract_no IS NOT NULL
	   AND OLD.contract_no IS DISTINCT FROM NEW.contract_no THEN
		PERFORM sgz.contract_grade_check(OLD.contract_no);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER evaluation_grade_check AFTER INSERT OR UPDATE OR DELETE ON sgz.evaluation
	FOR EACH ROW EXECUTE FUNCTION sgz.evaluation_grade_check();

CREATE TRIGGER contract_cycle_check BEFORE INSERT OR UPDATE ON sgz.contract
	FOR EACH ROW EXECUTE FUNCTION sgz.contract_cycle_check();

-- ---- evaluation scores: the indicator sheet ----

CREATE TABLE sgz.evaluation_score (
	contract_no text,
	station text,
	kind text NOT NULL,
	evaluated_on date NOT NULL,
	indicator text NOT NULL,
	score numeric(4, 1) NOT NULL CONSTRAINT evaluation_score_score_valid
		CHECK (score BETWEEN 0 AND 100),
	note text CONSTRAINT evaluation_score_note_valid CHECK (sgz.note_valid(note, 1000)),
	evaluation_id bigint NOT NULL CONSTRAINT evaluation_score_evaluation_exists
		REFERENCES sgz.evaluation (id) ON DELETE CASCADE,
	row_version integer NOT NULL DEFAULT 1,
	CONSTRAINT evaluation_score_key
		UNIQUE NULLS NOT DISTINCT (contract_no, station, kind, evaluated_on, indicator)
);

CREATE INDEX evaluation_score_evaluation_idx ON sgz.evaluation_score (evaluation_id);

CREATE TRIGGER evaluation_score_row_version BEFORE UPDATE ON sgz.evaluation_score
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- A score belongs to a stored evaluation and scores a leaf of its set,
-- within the leaf's weight.
CREATE FUNCTION sgz.evaluation_score_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
	w numeric;
BEGIN
	SELECT e.id INTO NEW.evaluation_id FROM sgz.evaluation e
	 WHERE e.contract_no IS NOT DISTINCT FROM NEW.contract_no
	   AND e.station IS NOT DISTINCT FROM NEW.station
	   AND e.kind = NEW.kind AND e.evaluated_on = NEW.evaluated_on;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no % evaluation of % on %: import the evaluation first', NEW.kind,
			coalesce(NEW.contract_no, NEW.station), NEW.evaluated_on
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'evaluated_on';
	END IF;
	s := sgz.evaluation_set(NEW.contract_no, NEW.station);
	IF s IS NULL THEN
		RAISE EXCEPTION 'the evaluation of % has no indicator set: give its programme one',
			coalesce(NEW.contract_no, NEW.station)
			USING ERRCODE = 'check_violation', COLUMN = 'indicator';
	END IF;
	SELECT i.weight INTO w FROM sgz.indicator i
	 WHERE i.indicator_set = s AND i.code = NEW.indicator;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'indicator % is not in the set % of the evaluation', NEW.indicator, s
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'indicator';
	END IF;
	IF EXISTS (SELECT 1 FROM sgz.indicator i
		    WHERE i.indicator_set = s AND i.parent = NEW.indicator) THEN
		RAISE EXCEPTION 'indicator % has indicators under it: score those', NEW.indicator
			USING ERRCODE = 'check_violation', COLUMN = 'indicator';
	END IF;
	IF NEW.score > w THEN
		RAISE EXCEPTION 'score % of indicator % is above its weight %', NEW.score,
			NEW.indicator, w
			USING ERRCODE = 'check_violation', COLUMN = 'score';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER evaluation_score_check BEFORE INSERT OR UPDATE ON sgz.evaluation_score
	FOR EACH ROW EXECUTE FUNCTION sgz.evaluation_score_check();

-- The total is the sum: the evaluations a statement scored, locked first,
-- then summed (their update runs evaluation_check and the grade's rules).
CREATE FUNCTION sgz.evaluation_score_total() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	ids bigint[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(DISTINCT n.evaluation_id) INTO ids FROM new_rows n;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(DISTINCT o.evaluation_id) INTO ids FROM old_rows o;
	ELSE
		SELECT array_agg(DISTINCT x.id) INTO ids
		  FROM (SELECT n.evaluation_id AS id FROM new_rows n
			UNION SELECT o.evaluation_id FROM old_rows o) x;
	END IF;
	PERFORM 1 FROM sgz.evaluation e WHERE e.id = ANY (ids) ORDER BY e.id FOR UPDATE;
	UPDATE sgz.evaluation e SET score = t.total
	  FROM (SELECT s.evaluation_id, sum(s.score) AS total FROM sgz.evaluation_score s
		 WHERE s.evaluation_id = ANY (ids) GROUP BY s.evaluation_id) t
	 WHERE e.id = t.evaluation_id AND e.score IS DISTINCT FROM t.total;
	RETURN NULL;
END
$$;

CREATE TRIGGER evaluation_score_total_insert AFTER INSERT ON sgz.evaluation_score
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.evaluation_score_total();
CREATE TRIGGER evaluation_score_total_update AFTER UPDATE ON sgz.evaluation_score
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.evaluation_score_total();
CREATE TRIGGER evaluation_score_total_delete AFTER DELETE ON sgz.evaluation_score
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.evaluation_score_total();

-- An evaluation whose key changes takes its scores along.
CREATE FUNCTION sgz.evaluation_scores_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE sgz.evaluation_score s
	   SET contract_no = NEW.contract_no, station = NEW.station, kind = NEW.kind,
	       evaluated_on = NEW.evaluated_on
	 WHERE s.evaluation_id = NEW.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER evaluation_scores_follow
	AFTER UPDATE OF contract_no, station, kind, evaluated_on ON sgz.evaluation
	FOR EACH ROW EXECUTE FUNCTION sgz.evaluation_scores_follow();

-- ---- payments ----

CREATE TABLE sgz.payment (
	contract_no text NOT NULL CONSTRAINT payment_contract_no_exists
		REFERENCES sgz.contract (contract_no),
	paid_on date NOT NULL,
	kind text NOT NULL CONSTRAINT payment_kind_valid
		CHECK (kind IN ('advance', 'installment', 'final', 'performance')),
	amount numeric(14, 2) NOT NULL CONSTRAINT payment_amount_valid
		CHECK (amount > 0 AND amount < 1e12),
	funding_source text CONSTRAINT payment_funding_source_valid
		CHECK (funding_source IN ('social_assistance', 'lottery_welfare', 'fiscal_budget',
			'paired_aid', 'community_welfare_subsidy', 'charity', 'other')),
	note text CONSTRAINT payment_note_valid CHECK (sgz.note_valid(note, 1000)),
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (contract_no, paid_on, kind)
);

CREATE TRIGGER payment_row_version BEFORE UPDATE ON sgz.payment
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- programmes.md, Money: a contract's payments add up to at most its
-- amount; a performance payment only for a year graded good or better.
-- The contracts a statement paid are locked first, then read.
CREATE FUNCTION sgz.payment_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
	d record;
BEGIN
	PERFORM 1 FROM sgz.contract c
	 WHERE c.contract_no IN (SELECT n.contract_no FROM new_rows n)
	 ORDER BY c.contract_no FOR UPDATE;
	SELECT c.contract_no, c.amount, sum(p.amount) AS paid INTO r
	  FROM sgz.contract c JOIN sgz.payment p ON p.contract_no = c.contract_no
	 WHERE c.contract_no IN (SELECT n.contract_no FROM new_rows n)
	 GROUP BY c.contract_no, c.amount
	HAVING sum(p.amount) > c.amount
	 ORDER BY c.contract_no LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'payments of contract % add up to %, % more than its amount %',
			r.contract_no, r.paid, r.paid - r.amount, r.amount
			USING ERRCODE = 'check_violation', COLUMN = 'amount';
	END IF;
	FOR r IN SELECT DISTINCT n.contract_no FROM new_rows n WHERE n.kind = 'performance'
		 ORDER BY 1 LOOP
		SELECT * INTO d FROM sgz.contract_deciding(r.contract_no);
		IF d.grade IN ('pass', 'fail') THEN
			RAISE EXCEPTION 'a performance payment needs a year graded good or better: contract % is graded %',
				r.contract_no, d.grade
				USING ERRCODE = 'check_violation', COLUMN = 'kind';
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

CREATE TRIGGER payment_check_insert AFTER INSERT ON sgz.payment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.payment_check();
CREATE TRIGGER payment_check_update AFTER UPDATE ON sgz.payment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.payment_check();

-- ---- submissions ----

CREATE TABLE sgz.submission (
	division text NOT NULL CONSTRAINT submission_division_exists
		REFERENCES sgz.division (code)
		CONSTRAINT submission_division_level CHECK (sgz.division_level(division) = 3),
	report text NOT NULL CONSTRAINT submission_report_valid CHECK (report IN ('progress')),
	period text NOT NULL CONSTRAINT submission_period_valid
		CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	submitted_on date,
	submitted_by text CONSTRAINT submission_submitted_by_valid
		CHECK (sgz.text_valid(submitted_by, 100)),
	-- what sgz submit stored: the report's row as submitted, and when
	submitted_at timestamptz,
	snapshot jsonb,
	row_version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (division, report, period)
);

CREATE TRIGGER submission_row_version BEFORE UPDATE ON sgz.submission
	FOR EACH ROW EXECUTE FUNCTION sgz.bump_row_version();

-- ---- row-level security (0004's patterns) ----

-- A programme is read within its purchaser's scope and by whoever lies
-- below its purchaser (a station's staff see the district's programme);
-- written within the purchaser's scope.
ALTER TABLE sgz.programme ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.programme FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.programme FOR SELECT
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
	       OR (SELECT sgz.scope_low()) LIKE sgz.division_prefix(purchaser) || '%');
CREATE POLICY scope_insert ON sgz.programme FOR INSERT
	WITH CHECK (sgz.scope_ok(
		purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'purchaser', purchaser));
CREATE POLICY scope_update ON sgz.programme FOR UPDATE
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'purchaser', purchaser));
CREATE POLICY scope_delete ON sgz.programme FOR DELETE
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));

-- An evaluation of a contract year as 0004's; of a station, within the
-- station's scope.
DROP POLICY scope_read ON sgz.evaluation;
DROP POLICY scope_insert ON sgz.evaluation;
DROP POLICY scope_update ON sgz.evaluation;
DROP POLICY scope_delete ON sgz.evaluation;

-- Whether the user may write the evaluations of this contract or station.
CREATE FUNCTION sgz.evaluation_writable(contract text, township text) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF contract IS NOT NULL THEN
		RETURN EXISTS (SELECT 1 FROM sgz.contract k
				WHERE k.contract_no = contract
				  AND k.purchaser BETWEEN sgz.scope_low() AND sgz.scope_high());
	END IF;
	RETURN township BETWEEN sgz.scope_low() AND sgz.scope_high();
END
$$;

CREATE POLICY scope_read ON sgz.evaluation FOR SELECT
	USING (CASE WHEN contract_no IS NOT NULL
		    THEN EXISTS (SELECT 1 FROM sgz.contract k WHERE k.contract_no = evaluation.contract_no)
		    ELSE station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()) END);
CREATE POLICY scope_insert ON sgz.evaluation FOR INSERT
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, station),
		CASE WHEN contract_no IS NOT NULL THEN 'contract_no' ELSE 'station' END,
		coalesce(contract_no, station)));
CREATE POLICY scope_update ON sgz.evaluation FOR UPDATE
	USING (sgz.evaluation_writable(contract_no, station))
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, station),
		CASE WHEN contract_no IS NOT NULL THEN 'contract_no' ELSE 'station' END,
		coalesce(contract_no, station)));
CREATE POLICY scope_delete ON sgz.evaluation FOR DELETE
	USING (sgz.evaluation_writable(contract_no, station));

-- Scores as their evaluation.
ALTER TABLE sgz.evaluation_score ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.evaluation_score FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.evaluation_score FOR SELECT
	USING (EXISTS (SELECT 1 FROM sgz.evaluation e WHERE e.id = evaluation_score.evaluation_id));
CREATE POLICY scope_insert ON sgz.evaluation_score FOR INSERT
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, station),
		CASE WHEN contract_no IS NOT NULL THEN 'contract_no' ELSE 'station' END,
		coalesce(contract_no, station)));
CREATE POLICY scope_update ON sgz.evaluation_score FOR UPDATE
	USING (sgz.evaluation_writable(contract_no, station))
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, station),
		CASE WHEN contract_no IS NOT NULL THEN 'contract_no' ELSE 'station' END,
		coalesce(contract_no, station)));
CREATE POLICY scope_delete ON sgz.evaluation_score FOR DELETE
	USING (sgz.evaluation_writable(contract_no, station));

-- Payments as their contract: read with it, written within its purchaser.
ALTER TABLE sgz.payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.payment FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.payment FOR SELECT
	USING (EXISTS (SELECT 1 FROM sgz.contract k WHERE k.contract_no = payment.contract_no));
CREATE POLICY scope_insert ON sgz.payment FOR INSERT
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, NULL),
		'contract_no', contract_no));
CREATE POLICY scope_update ON sgz.payment FOR UPDATE
	USING (sgz.evaluation_writable(contract_no, NULL))
	WITH CHECK (sgz.scope_ok(sgz.evaluation_writable(contract_no, NULL),
		'contract_no', contract_no));
CREATE POLICY scope_delete ON sgz.payment FOR DELETE
	USING (sgz.evaluation_writable(contract_no, NULL));

-- A submission is its county's.
ALTER TABLE sgz.submission ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.submission FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.submission
	USING (division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'division', division));

-- Indicator sets are reference data, like the organisations: read by
-- everyone, kept by admins and counties.

-- ---- the trail (0004, 0007) ----

DROP TRIGGER audit_insert ON sgz.evaluation;
DROP TRIGGER audit_update ON sgz.evaluation;
DROP TRIGGER audit_delete ON sgz.evaluation;
DROP TRIGGER audit_truncate ON sgz.evaluation;

DO $$
DECLARE
	t record;
	args text;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('indicator', 'NULL::text', ARRAY['indicator_set', 'code']),
		('programme', 'r.purchaser', ARRAY['code']),
		('evaluation',
		 'coalesce((SELECT k.purchaser FROM sgz.contract k WHERE k.contract_no = r.contract_no), r.station)',
		 ARRAY['contract_no', 'station', 'kind', 'evaluated_on']),
		('evaluation_score',
		 'coalesce((SELECT k.purchaser FROM sgz.contract k WHERE k.contract_no = r.contract_no), r.station)',
		 ARRAY['contract_no', 'station', 'kind', 'evaluated_on', 'indicator']),
		('payment',
		 '(SELECT k.purchaser FROM sgz.contract k WHERE k.contract_no = r.contract_no)',
		 ARRAY['contract_no', 'paid_on', 'kind']),
		('submission', 'r.division', ARRAY['division', 'report', 'period'])
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

-- ---- privileges (0004) ----

GRANT SELECT ON sgz.indicator, sgz.programme
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;
GRANT INSERT, UPDATE, DELETE ON sgz.indicator, sgz.programme TO sgz_admin, sgz_county;
GRANT SELECT, INSERT, UPDATE, DELETE ON sgz.evaluation_score, sgz.payment, sgz.submission
	TO sgz_admin, sgz_county;
GRANT SELECT ON sgz.evaluation_score, sgz.payment, sgz.submission TO sgz_region;
GRANT SELECT ON sgz.evaluation_score, sgz.payment TO sgz_station;
GRANT SELECT, INSERT, UPDATE, DELETE ON sgz.evaluation_score TO sgz_evaluator;
GRANT DELETE ON sgz.evaluation TO sgz_evaluator;

REVOKE ALL ON FUNCTION sgz.indicator_sets_check(), sgz.programme_check(),
	sgz.indicator_set_guard(), sgz.contract_cycle_check(), sgz.evaluation_check(),
	sgz.evaluation_grade_check(), sgz.contract_grade_check(text),
	sgz.evaluation_score_check(), sgz.evaluation_score_total(),
	sgz.evaluation_scores_follow(), sgz.payment_check(),
	sgz.contract_deciding(text), sgz.evaluation_set(text, text) FROM PUBLIC;
-- The dictionary's checks read a contract year's grade and an evaluation's
-- set as the user: what they tell is the user's to know (the contract and
-- the station are his, or the write is refused anyway).
GRANT EXECUTE ON FUNCTION sgz.contract_deciding(text), sgz.evaluation_set(text, text)
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;

-- ---- reports: the decision by the programme's cycle ----

-- programmes.md, Cycle and renewal: no deciding evaluation, pending; fail,
-- reprocure; pass or better, renew before the last year of the cycle
-- (the programme's cycle_years, 3 without a programme), else cycle_end.
CREATE OR REPLACE FUNCTION sgz.report_contracts(scope_prefix text, as_of date)
RETURNS TABLE (contract_no text, organization text, purchaser text, year_no text,
	       amount text, score text, grade text, decision text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH cfg AS (
	SELECT max(s.value) FILTER (WHERE s.key = 'grade_excellent') AS excellent,
	       max(s.value) FILTER (WHERE s.key = 'grade_good') AS good,
	       max(s.value) FILTER (WHERE s.key = 'grade_pass') AS pass
	  FROM sgz.setting s
), c AS (
	SELECT c.contract_no, c.organization, c.purchaser, c.year_no, c.amount,
	       coalesce((SELECT p.cycle_years FROM sgz.programme p WHERE p.code = c.programme),
			3) AS cycle_years
	  FROM sgz.contract c
	 WHERE c.cycle_start + c.year_no - 1 = extract(year FROM report_contracts.as_of)
	   AND (c.purchaser BETWEEN sgz.report_low(report_contracts.scope_prefix)
				AND sgz.report_high(report_contracts.scope_prefix)
		OR EXISTS (SELECT 1 FROM unnest(c.stations) AS u(township)
			    WHERE u.township BETWEEN sgz.report_low(report_contracts.scope_prefix)
						 AND sgz.report_high(report_contracts.scope_prefix)))
), deciding AS (
	SELECT DISTINCT ON (e.contract_no) e.contract_no, e.score
	  FROM sgz.evaluation e
	 WHERE e.kind IN ('annual', 'final') AND e.score IS NOT NULL
	   AND e.contract_no IN (SELECT c.contract_no FROM c)
	 ORDER BY e.contract_no, e.evaluated_on DESC, e.kind = 'final' DESC
), graded AS (
	SELECT c.contract_no, c.organization, c.purchaser, c.year_no, c.amount, c.cycle_years,
	       d.score,
	       CASE WHEN d.score IS NULL THEN NULL
		    WHEN d.score >= cfg.excellent THEN 'excellent'
		    WHEN d.score >= cfg.good THEN 'good'
		    WHEN d.score >= cfg.pass THEN 'pass'
		    ELSE 'fail' END AS grade
	  FROM c
	  LEFT JOIN deciding d ON d.contract_no = c.contract_no
	 CROSS JOIN cfg
)
SELECT g.contract_no,
       g.organization,
       g.purchaser,
       g.year_no::text,
       g.amount::text,
       g.score::text,
       g.grade,
       CASE WHEN g.grade IS NULL THEN 'pending'
	    WHEN g.grade = 'fail' THEN 'reprocure'
	    WHEN g.year_no < g.cycle_years THEN 'renew'
	    ELSE 'cycle_end' END
  FROM graded g
 ORDER BY g.contract_no COLLATE "C";
END;
