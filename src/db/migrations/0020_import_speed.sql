-- 0020: a people import without a look-up per row.
--
-- A person inserted with the number of a person already stored takes
-- that person's pid (0012's person_pid_keep(), a SECURITY DEFINER look-up
-- of the number per row): about half of an import of volunteers (1.0 of
-- 2.2 s for 20,000). sgz's import has found the pids of the stored people
-- its file names before it writes (sgz.person_lookup(), one statement
-- for the file), and inserts only the others: for them the look-up finds
-- nobody, unless the number is stored out of the importing user's scope
-- or by another session meanwhile, and then the table's key on the number
-- refuses the row either way. The import says so with the
-- transaction-local setting sgz.pids_found = 'on', and the look-up is
-- skipped while it is on.
--
-- Anyone can set it (a custom setting is no privilege). What it can do is
-- only that: without the look-up, a row with a stored number keeps the
-- pid it was given (a new one from the sequence), and the primary key on
-- the number refuses it; an upsert by pid (ON CONFLICT (pid)) finds no
-- conflict on the pid and is refused the same way. A person's pid still
-- never changes (the update trigger does not look at the setting), and no
-- number can be stored twice: a person inserted with an existing number
-- still ends up as that person, with his pid, or not at all.

DROP TRIGGER staff_pid ON sgz.staff;
DROP TRIGGER volunteer_pid ON sgz.volunteer;
DROP TRIGGER recipient_pid ON sgz.recipient;
CREATE TRIGGER staff_pid BEFORE INSERT ON sgz.staff
	FOR EACH ROW WHEN (current_setting('sgz.pids_found', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER volunteer_pid BEFORE INSERT ON sgz.volunteer
	FOR EACH ROW WHEN (current_setting('sgz.pids_found', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION sgz.person_pid_keep();
CREATE TRIGGER recipient_pid BEFORE INSERT ON sgz.recipient
	FOR EACH ROW WHEN (current_setting('sgz.pids_found', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION sgz.person_pid_keep();
