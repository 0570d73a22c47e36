-- 0048: a service point's villages checked against the points of its own
-- township only.
--
-- sgz.service_point_villages_check() looks, for each village of a point
-- written, for another point serving it. It runs as the owner, who is
-- held to sgz.service_point's policy (FORCE ROW LEVEL SECURITY), whose
-- bounds are initplans the planner cannot see: it expects the station
-- range to hold a handful of rows and reads every point of the scope
-- through the primary key, testing the villages of each, once per village
-- written (or, planned while the table was empty, reads the whole table):
-- the province's 2,927 points took 2.5 s to import, growing as the square
-- of their number. A village is of one township, and a point serves only
-- villages of its station's township (the rule checked just before), so
-- a point serving it is of a station whose code begins with the
-- township's nine digits: that range of the primary key, a row or two.
-- Without sequential and bitmap scans it is the only plan the planner
-- has, however many points it thinks the table holds (a plan kept from
-- when it was empty reads it whole); the settings hold only while the
-- function runs. The rules, their messages and the lock are 0003's.
CREATE OR REPLACE FUNCTION sgz.service_point_villages_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off SET enable_bitmapscan = off AS $$
DECLARE
	v text;
	other text;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('sgz.service_point'), hashtext(NEW.station));
	FOREACH v IN ARRAY NEW.villages LOOP
		IF NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = v AND d.level = 5) THEN
			RAISE EXCEPTION 'village % is not in the division list', v
				USING ERRCODE = 'foreign_key_violation', COLUMN = 'villages';
		END IF;
		IF substr(v, 1, 9) <> substr(NEW.station, 1, 9) THEN
			RAISE EXCEPTION 'village % is not in the township of station %', v, NEW.station
				USING ERRCODE = 'check_violation', COLUMN = 'villages';
		END IF;
		SELECT p.name INTO other FROM sgz.service_point p
		 WHERE p.station BETWEEN substr(v, 1, 9) AND substr(v, 1, 9) || '999'
		   AND p.villages @> ARRAY[v] AND (p.station, p.name) <> (NEW.station, NEW.name);
		IF FOUND THEN
			RAISE EXCEPTION 'village % is already served by the point %', v, other
				USING ERRCODE = 'unique_violation', COLUMN = 'villages';
		END IF;
	END LOOP;
	RETURN NEW;
END
$$;
