-- 0031: sgz.person_match() (0021) finds a child by every pattern of
-- initials that what the view shows of them matches. Its candidates were
-- the people whose full initials matched, and a child's shown initials
-- are the first letter alone: a pattern without a wildcard ('l', where the
-- lists' filter always sends 'l%') left out a child whom the view shows as
-- 'l' unless his full initials were 'l' too, which told a caller calling
-- it by hand something of initials the view does not show. The candidates
-- now include the first letter, so the result is exactly the people whose
-- name or initials as the view shows them match.

SET LOCAL search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION sgz.person_match(entity text, pattern text, initials text)
RETURNS TABLE (pid bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record := sgz.person_table(entity);
	pat ALIAS FOR $2;
	ini ALIAS FOR $3;
	lo text := rpad(sgz.scope_prefix(), 12, '0');
	hi text := rpad(sgz.scope_prefix(), 12, '9');
	adm boolean := sgz.is_admin();
BEGIN
	IF pat IS NULL AND ini IS NULL THEN
		RETURN;
	END IF;
	IF t.tbl = 'recipient' THEN
		RETURN QUERY
		SELECT p.pid FROM sgz.recipient p
		 WHERE p.village BETWEEN lo AND hi
		   AND (p.name ILIKE pat OR (left(p.name, 1) || '*') ILIKE pat
			OR p.initials LIKE ini OR left(p.initials, 1) LIKE ini)
		   AND (sgz.mask_name(p.name, p.birth_date, adm) ILIKE pat
			OR CASE WHEN sgz.mask_name(p.name, p.birth_date, adm) = p.name
				THEN p.initials ELSE left(p.initials, 1) END LIKE ini);
		RETURN;
	END IF;
	-- static statements: planned once a session, as the scope look-ups
	IF t.tbl = 'staff' THEN
		RETURN QUERY
		SELECT p.pid FROM sgz.staff p
		 WHERE p.station BETWEEN lo AND hi AND (p.name ILIKE pat OR p.initials LIKE ini);
	ELSE
		RETURN QUERY
		SELECT p.pid FROM sgz.volunteer p
		 WHERE p.station BETWEEN lo AND hi AND (p.name ILIKE pat OR p.initials LIKE ini);
	END IF;
END
$$;

