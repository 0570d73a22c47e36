-- 0008: two rules the database held differently from the forms and the
-- import.

-- A village of a township of a prefecture without counties (441900003001,
-- a community of 东莞's 东城街道 441900003000) is a valid code, as
-- src/core/division.c has it; 0001 refused it. The county digits alone may
-- be 00 above a township and a village.
CREATE OR REPLACE FUNCTION sgz.division_code_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT code ~ '^[0-9]{12}$'
	   AND substr(code, 1, 2) <> '00'
	   AND (substr(code, 3, 2) <> '00' OR substr(code, 5) = '00000000')
	   AND (substr(code, 7, 3) <> '000' OR substr(code, 10) = '000')
$$;

-- The settings' rules, as the administration screen checks them
-- (src/model/admin.c): each value within what its rule can mean, and the
-- star and grade thresholds in their order. An admin with psql is held to
-- the same rules as one at the screen.

-- The range of setting k, or NULL for a key rules.md does not name.
CREATE FUNCTION sgz.setting_range(k text, OUT low numeric, OUT high numeric)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
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
		('hours_due_working_days', 1, 365)
	) AS r(key, low, high)
	WHERE r.key = k
$$;

ALTER TABLE sgz.setting ADD CONSTRAINT setting_value_in_range CHECK (
	value BETWEEN coalesce((sgz.setting_range(key)).low, value)
		  AND coalesce((sgz.setting_range(key)).high, value));

-- Thresholds that only make sense in order: a 2-star volunteer has served
-- more than a 1-star one, an excellent score is above a good one. Checked
-- once per statement, so that one UPDATE may move several of them.
CREATE FUNCTION sgz.setting_order_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	SELECT a.key AS lower_key, a.value AS lower_value, b.key AS upper_key, b.value AS upper_value
	  INTO r
	  FROM (VALUES ('star1_hours', 'star2_hours'), ('star2_hours', 'star3_hours'),
		       ('star3_hours', 'star4_hours'), ('star4_hours', 'star5_hours'),
		       ('grade_pass', 'grade_good'), ('grade_good', 'grade_excellent')) o(lo, hi)
	  JOIN sgz.setting a ON a.key = o.lo
	  JOIN sgz.setting b ON b.key = o.hi
	 WHERE a.value >= b.value
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'setting %: % must be more than % (%)', r.upper_key, r.upper_value,
			r.lower_key, r.lower_value
			USING ERRCODE = 'check_violation', COLUMN = 'value';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER setting_order AFTER INSERT OR UPDATE ON sgz.setting
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.setting_order_check();
