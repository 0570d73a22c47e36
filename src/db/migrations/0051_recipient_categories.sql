-- 0051: a recipient's categories against his age, the age worked out once.
--
-- sgz.recipient_category_problem() (0003), which the import's check and
-- the recipients' row trigger call for every row, was an SQL function
-- that could not be inlined (format() is stable): run by the SQL function
-- executor at each call, working out the age up to twice through
-- sgz.age_on(), itself never inlined (age() of timestamps with time zone
-- is stable too), 10 microseconds each. 1.7 s of the province's 100,000
-- recipients, for the 40 per cent of them in an age category. The same
-- rules and messages in PL/pgSQL: no age for a recipient in no age
-- category, else once, as sgz.age_on() has it. And the row trigger fires
-- only for a recipient in one of the age categories (the others have no
-- problem to find): a condition the executor tests without calling
-- PL/pgSQL.
CREATE OR REPLACE FUNCTION sgz.recipient_category_problem(categories text[], birth date,
							   on_day date)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	a int;
BEGIN
	IF NOT categories && '{left_behind_child,child_in_difficulty,de_facto_orphan,left_behind_elderly,empty_nest_elderly,disabled_elderly}'::text[] THEN
		RETURN NULL;
	END IF;
	a := extract(year FROM age(on_day, birth))::int;
	RETURN CASE
		WHEN 'left_behind_child' = ANY (categories) AND a >= 16
			THEN format('left_behind_child (农村留守儿童) needs an age under 16, not %s', a)
		WHEN categories && ARRAY['child_in_difficulty', 'de_facto_orphan'] AND a >= 18
			THEN format('child categories need an age under 18, not %s', a)
		WHEN categories && ARRAY['left_behind_elderly', 'empty_nest_elderly', 'disabled_elderly']
		     AND a < 60
			THEN format('elderly categories need an age of 60 or over, not %s', a)
	END;
END
$$;

DROP TRIGGER recipient_check ON sgz.recipient;
CREATE TRIGGER recipient_check BEFORE INSERT OR UPDATE ON sgz.recipient
	FOR EACH ROW
	WHEN (NEW.categories && '{left_behind_child,child_in_difficulty,de_facto_orphan,left_behind_elderly,empty_nest_elderly,disabled_elderly}'::text[])
	EXECUTE FUNCTION sgz.recipient_check();
