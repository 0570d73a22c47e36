-- 0017: the full numbers only through 0012's views and functions. Every
-- role but admin loses the columns that hold a resident ID number in full
-- (and a recipient's name and initials, a child's among them, and the
-- birth dates, the middle of the number); it keeps every other column, so
-- it still writes the tables, addressing people by pid. The trail is read
-- through the masking views.

REVOKE SELECT ON sgz.staff, sgz.volunteer, sgz.recipient, sgz.hours, sgz.case_file, sgz.visit,
	sgz.hours_year_total
	FROM sgz_region, sgz_county, sgz_station;

GRANT SELECT (pid, name, phone, station, role, education, qualification, qualified_on, hired_on,
	      left_on, employer, local_hukou, gender, row_version, initials)
	ON sgz.staff TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (pid, name, phone, station, team, registered_on, skills, gender, row_version,
	      initials)
	ON sgz.volunteer TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (pid, phone, village, address, categories, guardian_name, guardian_phone, gender,
	      row_version)
	ON sgz.recipient TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (service_date, station, activity, hours, note, entered_on, row_version,
	      volunteer_pid)
	ON sgz.hours TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (case_no, station, method, opened_on, status, risk, closed_on, close_reason,
	      row_version, recipient_pid, worker_pid)
	ON sgz.case_file TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (case_no, visit_date, kind, summary, next_due, station, row_version, worker_pid)
	ON sgz.visit TO sgz_region, sgz_county, sgz_station;
GRANT SELECT (station, year, tenths, records, volunteer_pid)
	ON sgz.hours_year_total TO sgz_region, sgz_county, sgz_station;

REVOKE SELECT ON sgz.audit, sgz.audit_change FROM sgz_region, sgz_county;


-- Whether the stored name of a person in the user's scope is nm (NULL when
-- the person is not in it), for an import that writes a row only when the
-- file changes it: a recipient's name, a child's among them, is not the
-- user's to read, but the file in his hands already holds it, and being
-- told that it is the same reveals nothing he could not learn by writing
-- it. Nothing is shown, so nothing is filed in the trail.
CREATE FUNCTION sgz.person_name_is(entity text, person bigint, nm text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT p.name = nm
	  FROM (SELECT name, station AS division FROM sgz.staff
		 WHERE entity IN ('staff', 'sgz.staff') AND pid = person
		UNION ALL
		SELECT name, station FROM sgz.volunteer
		 WHERE entity IN ('volunteers', 'sgz.volunteer') AND pid = person
		UNION ALL
		SELECT name, village FROM sgz.recipient
		 WHERE entity IN ('recipients', 'sgz.recipient') AND pid = person) p
	 WHERE sgz.session_covers(p.division)
$$;
REVOKE ALL ON FUNCTION sgz.person_name_is(text, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.person_name_is(text, bigint, text)
	TO sgz_admin, sgz_region, sgz_county, sgz_station;
