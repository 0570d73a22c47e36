-- 0049: the names the lists show beside their rows (a volunteer's beside
-- her hours, a worker's beside his visits and cases, a recipient's beside
-- his cases) looked up by pid for each row a page returns, not joined to
-- every row before the page's limit; and sgz.mask_name() inlined.
--
-- The masking views joined the person's table: under the policies' bounds
-- (initplans the planner cannot see) it expects a hundredth of the scope's
-- people, so for an admin user it read them all once and compared every
-- one with each row of the page (395,300 comparisons for a page of the
-- hours on a tenth of the province set, 20 to 45 ms; the visits' staff,
-- 7 to 16 ms at depth on the province set). A subquery in the select list
-- is worked out only for the rows the page returns: one look-up of the
-- pid's key each, whatever the planner expects. The names are the same:
-- a pid is unique in its table, and the subquery keeps the join's scope.
--
-- sgz.mask_name(), called for every recipient a list shows, was a
-- function of its own search_path, called for each row with its settings
-- set and reset (0.045 ms a row: a county user's first page of the visits
-- 2.2 times the admin's); as SQL of a standard body it is inlined into
-- the statement that calls it, as sgz.mask_id() is (0018).

CREATE OR REPLACE FUNCTION sgz.mask_name(name text, birth date, admin boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN NOT admin AND birth IS NOT NULL AND sgz.age_on(birth, current_date) < 14
		    THEN left(name, 1) || '*' ELSE name END;
END;

CREATE OR REPLACE VIEW sgz.hours_v AS
SELECT sgz.mask_id(h.volunteer) AS volunteer, h.service_date, h.station, h.activity, h.hours,
       h.note, h.entered_on, h.row_version, h.volunteer_pid,
       (SELECT v.name FROM sgz.volunteer v
         WHERE v.pid = h.volunteer_pid
           AND v.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	   AS volunteer_name
  FROM sgz.hours h
 WHERE h.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.case_file_v AS
SELECT c.case_no, sgz.mask_id(c.recipient) AS recipient, c.station, sgz.mask_id(c.worker) AS worker,
       c.method, c.opened_on, c.status, c.risk, c.closed_on, c.close_reason, c.row_version,
       c.recipient_pid, c.worker_pid,
       (SELECT sgz.mask_name(r.name, r.birth_date, (SELECT sgz.is_admin())) FROM sgz.recipient r
         WHERE r.pid = c.recipient_pid
           AND r.village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	   AS recipient_name,
       (SELECT s.name FROM sgz.staff s
         WHERE s.pid = c.worker_pid
           AND s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	   AS worker_name
  FROM sgz.case_file c
 WHERE c.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

CREATE OR REPLACE VIEW sgz.visit_v AS
SELECT v.case_no, v.visit_date, v.kind, sgz.mask_id(v.worker) AS worker, v.summary, v.next_due,
       v.station, v.row_version, v.worker_pid,
       (SELECT s.name FROM sgz.staff s
         WHERE s.pid = v.worker_pid
           AND s.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	   AS worker_name
  FROM sgz.visit v
 WHERE v.station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high());

-- The visits' index by station and day holds the rest of the list's order
-- (the case and the kind of contact, the key's other columns): a page of
-- the visits is then a merge of the partitions' index ranges in the
-- list's order with nothing to sort. Before, the rows of each day were
-- sorted after the merge, and the planner, costing that sort's first
-- day as a share of every partition's range, sorted a small scope's
-- whole range instead (3,140 visits for a page on a test's county). The
-- index keeps its name; its partitions' are given theirs again
-- (visit_station_idx_2025), as sgz.partition_dress() names them.
DROP INDEX sgz.visit_station_idx;
CREATE INDEX visit_station_idx ON sgz.visit (station, visit_date, case_no, kind);
DO $$
DECLARE
	rec record;
BEGIN
	FOR rec IN SELECT c.relname AS have,
			  'visit_station_idx_' || substr(t.relname, length('visit_') + 1) AS want
		     FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
		     JOIN pg_index i ON i.indexrelid = c.oid
		     JOIN pg_class t ON t.oid = i.indrelid
		    WHERE h.inhparent = 'sgz.visit_station_idx'::regclass
	LOOP
		IF rec.have <> rec.want THEN
			EXECUTE format('ALTER INDEX sgz.%I RENAME TO %I', rec.have, rec.want);
		END IF;
	END LOOP;
END
$$;
