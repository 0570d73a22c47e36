-- 0027: a supervision or a training written again unchanged is left as it
-- is. A user who is not an admin cannot read the attendees' numbers
-- (0017), so an import of his compares the file's with the masked ones
-- and writes every row again: the attendees resolve to the same people,
-- and the row, its row_version and the trail now stay as they were (the
-- BEFORE trigger skips the update). A re-import of an export changes
-- nothing, whoever imports it.
CREATE OR REPLACE FUNCTION sgz.attendees_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF TG_TABLE_NAME = 'supervision' THEN
		r := sgz.attendees_resolve(NEW.attendees,
			CASE WHEN TG_OP = 'UPDATE' THEN OLD.attendee_pids END, NEW.station, NEW.held_on);
	ELSE
		r := sgz.attendees_resolve(NEW.attendees,
			CASE WHEN TG_OP = 'UPDATE' THEN OLD.attendee_pids END, NULL, NEW.starts_on);
	END IF;
	NEW.attendees := r.numbers;
	NEW.attendee_pids := r.pids;
	-- (a_attendees fires before the row_version trigger: NEW still has OLD's)
	IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END
$$;
