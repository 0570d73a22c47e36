-- 0042: the attendees' look-ups by pid read the pid's index.
--
-- sgz.training_stations(), sgz.attendees_masked(), sgz.staff_numbers()
-- and sgz.attendees_resolve() run as the owner and find staff members by
-- pid. The owner is held to sgz.staff's policy too (FORCE ROW LEVEL
-- SECURITY), whose bounds are initplans the planner cannot see: it
-- expects the station range to hold a handful of rows and reads it
-- through staff_station_pid_idx, testing the pids on every staff member
-- of the province (6,000 at scale 1) once per call. The training policy
-- calls sgz.training_stations() for every training a scoped user reads,
-- and the training and supervision lists call sgz.attendees_masked() for
-- every row: 2.4 ms a call, 1.0 s for a year's 399 trainings on the
-- province set as a region user. Without index-only and bitmap scans the
-- pid's unique index is the cheapest plan the planner sees (39 against
-- 55 for the station range, whatever the table's size), and a call takes
-- 0.1 ms. The settings hold only while each function runs.
ALTER FUNCTION sgz.training_stations(bigint[])
	SET enable_indexonlyscan = off SET enable_bitmapscan = off;
ALTER FUNCTION sgz.attendees_masked(bigint[])
	SET enable_indexonlyscan = off SET enable_bitmapscan = off;
ALTER FUNCTION sgz.staff_numbers(bigint[])
	SET enable_indexonlyscan = off SET enable_bitmapscan = off;
ALTER FUNCTION sgz.attendees_resolve(text, bigint[], text, date)
	SET enable_indexonlyscan = off SET enable_bitmapscan = off;
