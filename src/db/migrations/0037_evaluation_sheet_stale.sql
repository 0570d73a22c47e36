-- 0037: the evaluation sheet's save refuses a stale sheet (issue 13): two
-- evaluators open the same sheet, the first saves, the second's save
-- must not overwrite it silently.
--
-- sgz.evaluation_sheet_version(contract, station, kind, evaluated_on) is
-- what a sheet is read as: '' while the evaluation is not stored, else the
-- time it was read and a digest of the transactions that last wrote the
-- evaluation and each of its scores (their xmin: any write of a row, an
-- insert, an update or a score deleted, changes it; a write that changes
-- nothing, which the save skips, does not).
--
-- sgz.evaluation_sheet_save() takes it as read_as, still one statement:
-- the evaluation row is locked first (inserted if new, else SELECT ... FOR
-- UPDATE), so that concurrent savers queue on it; then, read again under
-- the lock, a sheet that is not what read_as says is refused, nothing
-- written, with who saved it and when where the trail says (the writer of
-- the newest change since it was read), else that it changed since it was
-- opened. It returns the stored score and the sheet's new version, for
-- the next save from the same screen. 0033's function of six arguments is
-- dropped: no save goes round the check.

CREATE FUNCTION sgz.evaluation_sheet_version(contract text, township text, kind text,
	evaluated_on date)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(
		(SELECT floor(extract(epoch FROM statement_timestamp()))::bigint::text || ':'
			|| md5(e.xmin::text || ';'
			       || coalesce((SELECT string_agg(s.indicator || '=' || s.xmin::text, ','
							       ORDER BY s.indicator COLLATE "C")
					      FROM sgz.evaluation_score s
					     WHERE s.evaluation_id = e.id), ''))
		   FROM sgz.evaluation e
		  WHERE e.contract_no IS NOT DISTINCT FROM $1 AND e.station IS NOT DISTINCT FROM $2
		    AND e.kind = $3 AND e.evaluated_on = $4),
		'')
$$;

-- Who wrote the evaluation or its scores in one of the transactions xids
-- since since, and when: the trail's newest entry of them. The trail is
-- the administrators'; this gives a saver only the name and the time of
-- the change that made his sheet stale.
CREATE FUNCTION sgz.evaluation_sheet_writer(xids xid[], since timestamptz,
	OUT who text, OUT at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.who, a.at
	  FROM sgz.audit a
	 WHERE a.at >= since AND a.table_name IN ('evaluation', 'evaluation_score')
	   AND a.xact::xid = ANY (xids)
	 ORDER BY a.at DESC, a.id DESC
	 LIMIT 1
$$;

REVOKE ALL ON FUNCTION sgz.evaluation_sheet_writer(xid[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.evaluation_sheet_writer(xid[], timestamptz)
	TO sgz_admin, sgz_county, sgz_evaluator;

DROP FUNCTION sgz.evaluation_sheet_save(text, text, text, date, text[], numeric[]);

CREATE FUNCTION sgz.evaluation_sheet_save(contract text, township text, kind text,
	evaluated_on date, indicators text[], scores numeric[], read_as text,
	OUT total numeric, OUT version text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	eid bigint;
	removed bigint;
	stale boolean := false;
	stored text;
	read_at timestamptz;
	xids xid[];
	w record;
	subject text := coalesce(contract, township);
BEGIN
	IF coalesce(array_length(indicators, 1), 0) <> coalesce(array_length(scores, 1), 0) THEN
		RAISE EXCEPTION 'the indicators and their scores differ in number'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF read_as IS NULL OR (read_as <> '' AND read_as !~ '^[0-9]+:[0-9a-f]{32}$') THEN
		RAISE EXCEPTION 'the evaluation sheet is saved with what it was read as'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- the evaluation locked: a new one inserted (a concurrent inserter
	-- waits on its key), a stored one FOR UPDATE
	INSERT INTO sgz.evaluation AS e (contract_no, station, kind, evaluated_on)
	VALUES (contract, township, kind, evaluated_on)
	ON CONFLICT ON CONSTRAINT evaluation_key DO NOTHING
	RETURNING e.id INTO eid;
	IF eid IS NOT NULL THEN
		-- not stored until now: stale when it was read stored (and
		-- deleted since)
		stale := read_as <> '';
	ELSE
		SELECT e.id INTO eid FROM sgz.evaluation e
		 WHERE e.contract_no IS NOT DISTINCT FROM contract
		   AND e.station IS NOT DISTINCT FROM township
		   AND e.kind = evaluation_sheet_save.kind
		   AND e.evaluated_on = evaluation_sheet_save.evaluated_on
		   FOR UPDATE;
		stored := sgz.evaluation_sheet_version(contract, township, kind, evaluated_on);
		stale := read_as = '' OR split_part(stored, ':', 2) <> split_part(read_as, ':', 2);
	END IF;
	IF stale THEN
		read_at := CASE WHEN read_as = '' THEN '-infinity'::timestamptz
				ELSE to_timestamp(split_part(read_as, ':', 1)::bigint) END;
		SELECT array_agg(x) INTO xids
		  FROM (SELECT e.xmin AS x FROM sgz.evaluation e WHERE e.id = eid
			UNION ALL
			SELECT s.xmin FROM sgz.evaluation_score s WHERE s.evaluation_id = eid) t;
		SELECT * INTO w FROM sgz.evaluation_sheet_writer(xids, read_at - interval '1 second');
		IF w.who IS NOT NULL THEN
			RAISE EXCEPTION 'the evaluation sheet of % on % was saved by % at % since it was opened: nothing was saved',
				subject, evaluated_on, w.who, to_char(w.at, 'YYYY-MM-DD HH24:MI')
				USING ERRCODE = 'serialization_failure';
		END IF;
		RAISE EXCEPTION 'the evaluation sheet of % on % changed since it was opened: nothing was saved',
			subject, evaluated_on
			USING ERRCODE = 'serialization_failure';
	END IF;
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
	version := sgz.evaluation_sheet_version(contract, township, kind, evaluated_on);
END
$$;

REVOKE ALL ON FUNCTION sgz.evaluation_sheet_save(text, text, text, date, text[], numeric[], text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.evaluation_sheet_save(text, text, text, date, text[], numeric[], text)
	TO sgz_admin, sgz_county, sgz_evaluator;
