-- 0006: finding people by the pinyin initials of their names.
--
-- Staff at a township office look a volunteer up the way they would say
-- the name: "zm" for 张敏, "oyxm" for 欧阳晓明 (spec/bench.md, search). The
-- initials are kept in a stored generated column beside each person's name,
-- so the list filter and the F5 picker compare a short column instead of
-- converting every name they pass.

-- The initial letter of each character of s: Latin letters and digits as
-- themselves (lower case), each Chinese character of GB 2312's first level
-- (the 3,755 common characters, which GB 2312 orders by pinyin, so the
-- letter follows from the code's range) as the first letter of its common
-- reading; other characters (GB 2312's second level, rare ones) are left
-- out. The GB 18030 conversion is PostgreSQL's own and never changes, so
-- the function is immutable, as a generated column needs.
CREATE FUNCTION sgz.pinyin_initials(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	b bytea := convert_to(s, 'GB18030');
	n integer := length(b);
	i integer := 0;
	c integer;
	code integer;
	k integer;
	out text := '';
	-- the first code of each letter's run, then the end of the first level
	bounds constant integer[] := ARRAY[
		45217, 45253, 45761, 46318, 46826, 47010, 47297, 47614, 48119, 49062, 49324, 49896,
		50371, 50614, 50622, 50906, 51387, 51446, 52218, 52698, 52980, 53689, 54481, 55290];
	letters constant text := 'abcdefghjklmnopqrstwxyz';
BEGIN
	WHILE i < n LOOP
		c := get_byte(b, i);
		IF c < 128 THEN
			IF chr(c) ~ '[A-Za-z0-9]' THEN
				out := out || lower(chr(c));
			END IF;
			i := i + 1;
		ELSIF i + 1 < n AND get_byte(b, i + 1) BETWEEN 48 AND 57 THEN
			i := i + 4; -- a four-byte character: outside GB 2312
		ELSE
			code := c * 256 + get_byte(b, i + 1);
			IF code >= bounds[1] AND code < bounds[24] THEN
				k := 1;
				WHILE code >= bounds[k + 1] LOOP
					k := k + 1;
				END LOOP;
				out := out || substr(letters, k, 1);
			END IF;
			i := i + 2;
		END IF;
	END LOOP;
	RETURN out;
END
$$;

ALTER TABLE sgz.staff
	ADD COLUMN initials text GENERATED ALWAYS AS (sgz.pinyin_initials(name)) STORED;
ALTER TABLE sgz.volunteer
	ADD COLUMN initials text GENERATED ALWAYS AS (sgz.pinyin_initials(name)) STORED;
ALTER TABLE sgz.recipient
	ADD COLUMN initials text GENERATED ALWAYS AS (sgz.pinyin_initials(name)) STORED;

-- A province-wide user's search by initials; a scoped user's rows are
-- few once row-level security has chosen them by station or village.
CREATE INDEX staff_initials_idx ON sgz.staff (initials text_pattern_ops);
CREATE INDEX volunteer_initials_idx ON sgz.volunteer (initials text_pattern_ops);
CREATE INDEX recipient_initials_idx ON sgz.recipient (initials text_pattern_ops);
