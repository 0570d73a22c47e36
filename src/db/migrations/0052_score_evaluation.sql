-- 0052: a score's evaluation found by its key's index.
--
-- sgz.evaluation_score_check() (0025), the row trigger of every score
-- written, found the score's evaluation by IS NOT DISTINCT FROM on its
-- contract and station, which no index serves: each score read every
-- evaluation, the policy of sgz.evaluation (a contract's through
-- sgz.contract's policy) tested on each as the owner, 3,336 times for the
-- province's scores over its 834 evaluations. The same evaluation by
-- equality on whichever of the two the score gives (the key's index, or
-- the stations' index), the other tested as before. The rules and their
-- messages are 0025's.
CREATE OR REPLACE FUNCTION sgz.evaluation_score_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text;
	w numeric;
BEGIN
	IF NEW.contract_no IS NOT NULL THEN
		SELECT e.id INTO NEW.evaluation_id FROM sgz.evaluation e
		 WHERE e.contract_no = NEW.contract_no
		   AND e.station IS NOT DISTINCT FROM NEW.station
		   AND e.kind = NEW.kind AND e.evaluated_on = NEW.evaluated_on;
	ELSIF NEW.station IS NOT NULL THEN
		SELECT e.id INTO NEW.evaluation_id FROM sgz.evaluation e
		 WHERE e.station = NEW.station AND e.contract_no IS NULL
		   AND e.kind = NEW.kind AND e.evaluated_on = NEW.evaluated_on;
	ELSE
		SELECT e.id INTO NEW.evaluation_id FROM sgz.evaluation e
		 WHERE e.contract_no IS NULL AND e.station IS NULL
		   AND e.kind = NEW.kind AND e.evaluated_on = NEW.evaluated_on;
	END IF;
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

