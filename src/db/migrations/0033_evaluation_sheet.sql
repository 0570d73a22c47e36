-- 0033: the evaluation sheet (issue 13, programmes.md): an evaluation and
-- its indicators' scores saved in one statement, all or nothing.
--
-- sgz.evaluation_sheet_save(contract, station, kind, evaluated_on,
-- indicators, scores) stores the evaluation of a contract year or of a
-- station if it is not stored yet, then its scores as given: an indicator
-- given a score is scored (inserted or changed), one given none or not
-- given loses its score. 0025's triggers check each score (a leaf of the
-- set, within its weight: the message names the indicator) and keep the
-- total the sum; its row-level security decides who may write (it runs
-- as the caller). Returns the evaluation's stored score.

CREATE FUNCTION sgz.evaluation_sheet_save(contract text, township text, kind text,
	evaluated_on date, indicators text[], scores numeric[])
RETURNS numeric
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	eid bigint;
	removed bigint;
	total numeric;
BEGIN
	IF coalesce(array_length(indicators, 1), 0) <> coalesce(array_length(scores, 1), 0) THEN
		RAISE EXCEPTION 'the indicators and their scores differ in number'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO sgz.evaluation (contract_no, station, kind, evaluated_on)
	VALUES (contract, township, kind, evaluated_on)
	ON CONFLICT ON CONSTRAINT evaluation_key DO NOTHING;
	SELECT e.id INTO eid FROM sgz.evaluation e
	 WHERE e.contract_no IS NOT DISTINCT FROM contract AND e.station IS NOT DISTINCT FROM township
	   AND e.kind = evaluation_sheet_save.kind
	   AND e.evaluated_on = evaluation_sheet_save.evaluated_on
	   FOR UPDATE;
	DELETE FROM sgz.evaluation_score s
	 WHERE s.evaluation_id = eid
	   AND NOT EXISTS (SELECT 1 FROM unnest(indicators, scores) AS u (code, score)
			    WHERE u.code = s.indicator AND u.score IS NOT NULL);
	GET DIAGNOSTICS removed = ROW_COUNT;
	INSERT INTO sgz.evaluation_score AS s (contract_no, station, kind, evaluated_on, indicator,
					      score)
	SELECT contract, township, evaluation_sheet_save.kind, evaluation_sheet_save.evaluated_on,
	       u.code, u.score
	  FROM unnest(indicators, scores) AS u (code, score)
	 WHERE u.score IS NOT NULL
	ON CONFLICT ON CONSTRAINT evaluation_score_key DO UPDATE SET score = EXCLUDED.score
	 WHERE s.score IS DISTINCT FROM EXCLUDED.score;
	-- every score removed: the evaluation is not scored any more
	IF removed > 0 AND NOT EXISTS (SELECT 1 FROM sgz.evaluation_score s
					WHERE s.evaluation_id = eid) THEN
		UPDATE sgz.evaluation e SET score = NULL WHERE e.id = eid;
	END IF;
	SELECT e.score INTO total FROM sgz.evaluation e WHERE e.id = eid;
	RETURN total;
END
$$;

REVOKE ALL ON FUNCTION sgz.evaluation_sheet_save(text, text, text, date, text[], numeric[])
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.evaluation_sheet_save(text, text, text, date, text[], numeric[])
	TO sgz_admin, sgz_county, sgz_evaluator;
