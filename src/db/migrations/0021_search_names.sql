-- 0021: search finds what lists show (spec/work.md), within bench.md's
-- 10 ms as a county user at province scale.
--
--   * People by what the masking views show of their names: sgz.person_match()
--     gives the pids of the people of the reader's scope whose name, as the
--     view shows it, holds the text, or whose initials, as the view shows
--     them, start with the initials typed. The lists' filter and the pickers
--     read it instead of the views' masked names: the views work out a
--     recipient's masked name row by row (sgz.mask_name(), a function call
--     with its own search_path each), for every recipient of a county
--     (16-27 ms for a county's case list); here the name is compared first,
--     and only a candidate's mask is worked out. It reveals nothing the views
--     do not show: a child under 14 is found by "刘*" and by the first
--     initial only, except by admins, as sgz.recipient_v shows him.
--   * Pinyin initials of what is no person's name: a division's name
--     (a station is shown by its township's: "zgz" finds 张贵庄街道) and an
--     activity's title ("sdbkt" finds 四点半课堂), kept beside them as the
--     people's are (0006) but read without the surnames of 0013 (单县 is
--     "dx"), by sgz.text_initials().

SET LOCAL search_path = pg_catalog, pg_temp;

-- The initials of a text that is not a person's name: 0013's characters,
-- no surname reading for the first one (an ASCII letter before it is kept
-- as itself, and read by no surname).
CREATE FUNCTION sgz.text_initials(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT substr(sgz.pinyin_initials('a' || s), 2)
$$;

ALTER TABLE sgz.division
	ADD COLUMN initials text GENERATED ALWAYS AS (sgz.text_initials(name)) STORED;
ALTER TABLE sgz.activity
	ADD COLUMN initials text GENERATED ALWAYS AS (sgz.text_initials(title)) STORED;

-- The people of entity (staff, volunteers, recipients: their tables or
-- entity names, as sgz.person_table()) in the session user's scope whose
-- name as sgz.*_v shows it to the session matches pattern (ILIKE, the
-- filter's "%text%"), or whose initials as the view shows them match
-- initials (LIKE, "text%"; NULL: not compared). Candidates are found by
-- the stored name and initials first (a child's masked name is its first
-- character and a star; its initials, the first letter); each is kept only
-- if what the view shows of it matches, by the views' own expressions.
CREATE FUNCTION sgz.person_match(entity text, pattern text, initials text)
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
		   AND (p.name ILIKE pat OR (left(p.name, 1) || '*') ILIKE pat OR p.initials LIKE ini)
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

REVOKE ALL ON FUNCTION sgz.person_match(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.person_match(text, text, text)
	TO sgz_admin, sgz_region, sgz_county, sgz_station;
