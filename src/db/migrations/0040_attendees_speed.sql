-- 0040: the attendees of supervisions and trainings (0023) checked and
-- locked once per statement, as 0018 did for the people the hours name.
-- 0023's row trigger resolved each attendee of each row with look-ups of
-- its own, each locking the staff row FOR SHARE: a province's 15,584
-- supervisions spent 5.9 s of their import there (and 12.8 s in the
-- import's check, one sgz.person_lookup() call an attendee, now one call
-- a file), a training of 1,940 attendees 3,881 statements.
--
-- A writer may now give the pids beside the numbers (attendee_pids in the
-- order of the attendees, the list sorted by number, each once, as 0023
-- keeps them): sgz import does, where it found every number of the row in
-- the user's scope. The row trigger then does not fire; it still resolves
-- a row written without them (a form, a #pid, a number masked as shown) or
-- whose list changed while its pids did not, as before. After every
-- statement, sgz.attendees_held() locks every attendee of its rows FOR
-- SHARE, in pid order (writers queue, never deadlock on each other), and
-- checks them as locked: each pid a staff member whose number is the
-- list's at that place, the list in order, each active on the day (of
-- the station): a staff member's dates changed by another session
-- meanwhile make the write wait for it and then refuse, with 0023's
-- messages; a change of his dates waits for the write and then sees it
-- (staff_attended). The same guarantees, whoever writes.

DROP TRIGGER a_attendees ON sgz.supervision;
DROP TRIGGER a_attendees ON sgz.training;
CREATE TRIGGER a_attendees_insert BEFORE INSERT ON sgz.supervision
	FOR EACH ROW WHEN (coalesce(cardinality(NEW.attendee_pids), 0) = 0)
	EXECUTE FUNCTION sgz.attendees_check();
CREATE TRIGGER a_attendees_update BEFORE UPDATE ON sgz.supervision
	FOR EACH ROW WHEN (coalesce(cardinality(NEW.attendee_pids), 0) = 0
			   OR (NEW.attendees IS DISTINCT FROM OLD.attendees
			       AND NEW.attendee_pids IS NOT DISTINCT FROM OLD.attendee_pids)
			   OR NEW.* IS NOT DISTINCT FROM OLD.*)
	EXECUTE FUNCTION sgz.attendees_check();
CREATE TRIGGER a_attendees_insert BEFORE INSERT ON sgz.training
	FOR EACH ROW WHEN (coalesce(cardinality(NEW.attendee_pids), 0) = 0)
	EXECUTE FUNCTION sgz.attendees_check();
CREATE TRIGGER a_attendees_update BEFORE UPDATE ON sgz.training
	FOR EACH ROW WHEN (coalesce(cardinality(NEW.attendee_pids), 0) = 0
			   OR (NEW.attendees IS DISTINCT FROM OLD.attendees
			       AND NEW.attendee_pids IS NOT DISTINCT FROM OLD.attendee_pids)
			   OR NEW.* IS NOT DISTINCT FROM OLD.*)
	EXECUTE FUNCTION sgz.attendees_check();

CREATE FUNCTION sgz.attendees_held() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	x record;
BEGIN
	PERFORM 1 FROM sgz.staff t
	  WHERE t.pid IN (SELECT unnest(n.attendee_pids) FROM new_rows n)
	  ORDER BY t.pid
	  FOR SHARE OF t;
	-- each row's attendees in order, and what is wrong with the first bad
	-- one: w 1 none named, 2 number and pid not one person or the list
	-- out of order, 3 not active on the day (of the station)
	IF TG_TABLE_NAME = 'supervision' THEN
	SELECT y.* INTO x FROM (
		SELECT CASE WHEN a.pid IS NULL AND a.num IS NULL THEN 1
			    WHEN a.pid IS NULL OR a.num IS NULL THEN 2
			    WHEN t.pid IS NOT NULL AND (t.id_number <> a.num
				 OR NOT coalesce(a.prev < a.num, true)) THEN 2
			    WHEN t.pid IS NULL OR (a.st IS NOT NULL AND t.station <> a.st)
				 OR t.hired_on > a.dt OR (t.left_on IS NOT NULL AND t.left_on <= a.dt) THEN 3
		       END AS w,
		       a.k1, a.k2, a.k3, a.i, a.num, a.pid, a.st, a.dt
		  FROM (SELECT n.k1, n.k2, n.k3, n.st, n.dt, e.i, e.pid, e.num,
			       lag(e.num) OVER (PARTITION BY n.k1, n.k2, n.k3 ORDER BY e.i) AS prev
			  FROM (SELECT r.station AS k1, r.held_on AS k2, r.kind AS k3, r.station AS st,
				       r.held_on AS dt, r.attendee_pids AS pids,
				       string_to_array(r.attendees, ';') AS nums
				  FROM new_rows r) n
			 CROSS JOIN LATERAL (
				SELECT g.i, n.pids[g.i] AS pid, n.nums[g.i] AS num
				  FROM generate_series(1, greatest(coalesce(cardinality(n.pids), 0),
								   coalesce(cardinality(n.nums), 0), 1)) g(i)) e) a
		  LEFT JOIN sgz.staff t ON t.pid = a.pid) y
	 WHERE y.w IS NOT NULL
	 ORDER BY y.k1, y.k2, y.k3, y.i
	 LIMIT 1;
	ELSE
	SELECT y.* INTO x FROM (
		SELECT CASE WHEN a.pid IS NULL AND a.num IS NULL THEN 1
			    WHEN a.pid IS NULL OR a.num IS NULL THEN 2
			    WHEN t.pid IS NOT NULL AND (t.id_number <> a.num
				 OR NOT coalesce(a.prev < a.num, true)) THEN 2
			    WHEN t.pid IS NULL OR (a.st IS NOT NULL AND t.station <> a.st)
				 OR t.hired_on > a.dt OR (t.left_on IS NOT NULL AND t.left_on <= a.dt) THEN 3
		       END AS w,
		       a.k1, a.k2, a.k3, a.i, a.num, a.pid, a.st, a.dt
		  FROM (SELECT n.k1, n.k2, n.k3, n.st, n.dt, e.i, e.pid, e.num,
			       lag(e.num) OVER (PARTITION BY n.k1, n.k2, n.k3 ORDER BY e.i) AS prev
			  FROM (SELECT r.title AS k1, r.starts_on AS k2, NULL::text AS k3, NULL::text AS st,
				       r.starts_on AS dt, r.attendee_pids AS pids,
				       string_to_array(r.attendees, ';') AS nums
				  FROM new_rows r) n
			 CROSS JOIN LATERAL (
				SELECT g.i, n.pids[g.i] AS pid, n.nums[g.i] AS num
				  FROM generate_series(1, greatest(coalesce(cardinality(n.pids), 0),
								   coalesce(cardinality(n.nums), 0), 1)) g(i)) e) a
		  LEFT JOIN sgz.staff t ON t.pid = a.pid) y
	 WHERE y.w IS NOT NULL
	 ORDER BY y.k1, y.k2, y.k3, y.i
	 LIMIT 1;
	END IF;
	IF NOT FOUND THEN
		RETURN NULL;
	ELSIF x.w = 1 THEN
		RAISE EXCEPTION 'no attendees: name at least one staff member'
			USING ERRCODE = 'check_violation', COLUMN = 'attendees';
	ELSIF x.w = 2 THEN
		RAISE EXCEPTION 'ID number % and pid % are not one person',
			coalesce(sgz.mask_id(x.num), ''), coalesce(x.pid::text, '')
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'attendees',
			      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	ELSIF x.st IS NULL THEN
		RAISE EXCEPTION 'attendee % is not a staff member active on %',
			sgz.mask_id(x.num), x.dt
			USING ERRCODE = 'check_violation', COLUMN = 'attendees';
	END IF;
	RAISE EXCEPTION 'attendee % is not an active staff member of station % on %',
		sgz.mask_id(x.num), x.st, x.dt
		USING ERRCODE = 'check_violation', COLUMN = 'attendees';
END
$$;
REVOKE ALL ON FUNCTION sgz.attendees_held() FROM PUBLIC;

CREATE TRIGGER a_attendees_held_insert AFTER INSERT ON sgz.supervision
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.attendees_held();
CREATE TRIGGER a_attendees_held_update AFTER UPDATE ON sgz.supervision
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.attendees_held();
CREATE TRIGGER a_attendees_held_insert AFTER INSERT ON sgz.training
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.attendees_held();
CREATE TRIGGER a_attendees_held_update AFTER UPDATE ON sgz.training
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.attendees_held();
