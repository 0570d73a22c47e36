-- 0019: a user's own staff record, for the desk (spec/work.md, Work
-- screens 1) and the default worker (Forms that help): sgz user add ROLE
-- ... --staff ID links a login to the staff member it is.
--
-- The link is the staff member's pid, never his ID number: user_scope is
-- read by admins, and an admin's list shows the person as every list
-- does, by name and masked number (sgz.staff_v). The number typed is
-- looked up with sgz.person_lookup(), in the scope of the admin who
-- types it, and must lie in the scope of the user it is linked to. A
-- staff member deleted leaves the login unlinked.

ALTER TABLE sgz.user_scope ADD COLUMN staff_pid bigint
	CONSTRAINT user_scope_staff_pid_exists REFERENCES sgz.staff (pid) ON DELETE SET NULL;

-- The foreign key's check on a staff member's delete.
CREATE INDEX user_scope_staff_pid_idx ON sgz.user_scope (staff_pid);

-- sgz user add ... --staff ID: as the three-argument sgz.user_add(), then
-- the link: staff_id NULL leaves it as it is, '' removes it, a number
-- links the staff member of that number.
CREATE FUNCTION sgz.user_add(role_name text, scope_code text, user_kind text, staff_id text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	done text := sgz.user_add(role_name, scope_code, user_kind);
	person bigint;
	station text;
	prefix text;
BEGIN
	IF staff_id IS NULL THEN
		RETURN done;
	END IF;
	IF staff_id <> '' THEN
		SELECT l.pid INTO person FROM sgz.person_lookup('staff', ARRAY[staff_id]) l;
		IF person IS NULL THEN
			RAISE EXCEPTION 'staff member % is not in the staff list', sgz.mask_id(staff_id)
				USING ERRCODE = 'foreign_key_violation',
				      HINT = 'give the ID number of a staff member of the user''s station';
		END IF;
		SELECT s.station INTO station FROM sgz.staff s WHERE s.pid = person;
		prefix := left(scope_code, (ARRAY[2, 4, 6, 9, 12])[sgz.division_level(scope_code)]);
		IF NOT starts_with(station, prefix) THEN
			RAISE EXCEPTION 'staff member % is outside scope %', sgz.mask_id(staff_id),
				scope_code
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	UPDATE sgz.user_scope u SET staff_pid = person
	 WHERE u.role = role_name AND u.staff_pid IS DISTINCT FROM person;
	RETURN done;
END
$$;

REVOKE ALL ON FUNCTION sgz.user_add(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.user_add(text, text, text, text) TO sgz_admin;

-- The session user's own staff member (pid), or NULL: each user reads his
-- own link, and nobody else's. The person himself is read through
-- sgz.staff_v, in the reader's scope.
CREATE FUNCTION sgz.user_staff() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT u.staff_pid FROM sgz.user_scope u WHERE u.role = session_user
$$;

REVOKE ALL ON FUNCTION sgz.user_staff() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.user_staff()
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;
