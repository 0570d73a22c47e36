-- 0024: a roll-up through later migrations (sgz(7), 0022), and the
-- tables of 0023 rolled up.
--
-- A migration that rewrites rows of a subscribed table (a column
-- recomputed, a table moved into partitions) runs on the roll-up too: the
-- statement trigger lets the migration runner's own transaction through
-- (`sgz migrate` sets sgz.migration, transaction-local, to the migration's
-- name; only the schema's owner or a superuser runs migrations, and
-- either could drop the trigger anyway), and refuses everyone else as before.
--
-- A published table that becomes partitioned (the hours and the visits
-- by year) publishes its rows as the partitioned table's
-- (publish_via_partition_root), so the roll-up's table receives them
-- however it is partitioned itself; after such a migration, `sgz rollup
-- publish` again on each province and `sgz rollup add` again on the
-- roll-up (ALTER SUBSCRIPTION ... REFRESH PUBLICATION) take the new table.
--
-- 0023's tables: community organisations, outreach visits, supervision
-- and charitable resources are published (the KPI report reads the
-- outreach visits); training is not: it has no division of its own (it
-- is scoped by its attendees' stations) and its key, the title and the
-- date, is the same for a national course recorded in two provinces,
-- which would stop the roll-up's subscription on a duplicate key. The
-- pids are moved as 0022's were: the outreach visits' worker and
-- recipient, the attendees of supervision and training (arrays), and
-- supervision's own row numbers, which the roll-up holds from several
-- provinces. sgz rollup publish moves whatever pid is still below the
-- ranges each time it runs (nothing, once moved), so a province declared
-- before a migration that adds pids is put right by publishing again.

CREATE OR REPLACE FUNCTION sgz.rollup_refuse() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF coalesce(current_setting('sgz.migration', true), '') <> ''
	   AND (sgz.as_owner() OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
		RETURN NULL;
	END IF;
	RAISE EXCEPTION 'this database is a roll-up of provincial databases and is read only: make the change in the province''s database'
		USING ERRCODE = 'read_only_sql_transaction';
END
$$;

CREATE OR REPLACE FUNCTION sgz.rollup_tables() RETURNS regclass[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT ARRAY['sgz.station', 'sgz.service_point', 'sgz.staff', 'sgz.volunteer',
		     'sgz.activity', 'sgz.hours', 'sgz.hours_year_total', 'sgz.recipient',
		     'sgz.case_file', 'sgz.visit', 'sgz.contract', 'sgz.evaluation',
		     'sgz.plan', 'sgz.community_org', 'sgz.outreach_visit', 'sgz.supervision',
		     'sgz.resource']::regclass[]
$$;

-- Declares this database the province PROVINCE (two digits, 11 to 82) and
-- publishes the tables (publication sgz_rollup). Run by the schema's
-- owner or a superuser; again with the same province, it moves the pids
-- given since below the range (none, unless a migration added some) and
-- makes the publication's tables the list's. It locks the tables of
-- people for the time (ALTER TABLE): run it at a quiet hour.
CREATE OR REPLACE FUNCTION sgz.rollup_publish(province text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	node sgz.rollup_node;
	off bigint;
	t text;
	c text;
	n bigint;
	tables text := (SELECT string_agg(x::text, ', ') FROM unnest(sgz.rollup_tables()) x);
	-- the rows numbered by an identity of pids, each given the range
	idents text[] := ARRAY['staff', 'volunteer', 'recipient', 'supervision'];
	-- the columns that name a person by pid: table.column
	refs text[] := ARRAY['hours.volunteer_pid', 'hours_year_total.volunteer_pid',
			     'case_file.recipient_pid', 'case_file.worker_pid', 'visit.worker_pid',
			     'user_scope.staff_pid', 'outreach_visit.worker_pid',
			     'outreach_visit.recipient_pid'];
	arrays text[] := ARRAY['supervision.attendee_pids', 'training.attendee_pids'];
	touched text[] := ARRAY['staff', 'volunteer', 'recipient', 'supervision', 'training', 'hours',
				'hours_year_total', 'case_file', 'visit', 'user_scope', 'outreach_visit'];
BEGIN
	IF NOT (sgz.as_owner() OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
		RAISE EXCEPTION 'only the owner of the schema or a superuser may publish this database to a roll-up'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF province IS NULL OR province !~ '^[1-9][0-9]$'
	   OR NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = province || '0000000000') THEN
		RAISE EXCEPTION 'province % is not the first two digits of a province''s division code',
			coalesce(province, '')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	LOCK TABLE sgz.rollup_node IN EXCLUSIVE MODE;
	SELECT * INTO node FROM sgz.rollup_node;
	IF node.kind = 'rollup' THEN
		RAISE EXCEPTION 'this database is a roll-up: it subscribes to provinces and publishes nothing'
			USING ERRCODE = 'object_not_in_prerequisite_state';
	ELSIF node.kind = 'province' AND node.province <> province THEN
		RAISE EXCEPTION 'this database is already province %', node.province
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	off := province::bigint * 10000000000;
	-- Rows of another province would reach the roll-up twice.
	IF EXISTS (SELECT 1 FROM sgz.station s WHERE NOT starts_with(s.township, province))
	   OR EXISTS (SELECT 1 FROM sgz.recipient r WHERE NOT starts_with(r.village, province))
	   OR EXISTS (SELECT 1 FROM sgz.plan p WHERE NOT starts_with(p.division, province))
	   OR EXISTS (SELECT 1 FROM sgz.community_org o WHERE NOT starts_with(o.community, province)) THEN
		RAISE EXCEPTION 'this database holds records outside province %', province
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	-- The pids below the ranges moved into the province's, with every
	-- column that names them; no trigger fires (no row_version, no trail
	-- of a renumbering, no attendee list read again).
	FOREACH t IN ARRAY touched LOOP
		EXECUTE format('ALTER TABLE sgz.%I DISABLE TRIGGER USER', t);
	END LOOP;
	FOREACH t IN ARRAY idents LOOP
		EXECUTE format('ALTER TABLE sgz.%I ALTER COLUMN pid SET GENERATED BY DEFAULT', t);
		EXECUTE format('UPDATE sgz.%I SET pid = pid + $1 WHERE pid < 10000000000', t) USING off;
		EXECUTE format('SELECT count(*) FROM sgz.%I WHERE pid NOT BETWEEN $1 + 1 AND $1 + 9999999999', t)
			INTO n USING off;
		IF n > 0 THEN
			RAISE EXCEPTION 'this database holds records outside province %', province
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		EXECUTE format('SELECT coalesce(max(pid), $1) + 1 FROM sgz.%I', t) INTO n USING off;
		EXECUTE format('ALTER TABLE sgz.%I ALTER COLUMN pid SET GENERATED ALWAYS '
			       'SET MINVALUE %s SET MAXVALUE %s SET START WITH %s RESTART',
			       t, off + 1, off + 9999999999, n);
	END LOOP;
	FOREACH c IN ARRAY refs LOOP
		EXECUTE format('UPDATE sgz.%I SET %I = %I + $1 WHERE %I < 10000000000',
			       split_part(c, '.', 1), split_part(c, '.', 2), split_part(c, '.', 2),
			       split_part(c, '.', 2)) USING off;
	END LOOP;
	FOREACH c IN ARRAY arrays LOOP
		EXECUTE format('UPDATE sgz.%1$I SET %2$I = ARRAY(SELECT CASE WHEN p < 10000000000 '
			       'THEN p + $1 ELSE p END FROM unnest(%2$I) WITH ORDINALITY AS u(p, i) ORDER BY i) '
			       'WHERE EXISTS (SELECT 1 FROM unnest(%2$I) p WHERE p < 10000000000)',
			       split_part(c, '.', 1), split_part(c, '.', 2)) USING off;
	END LOOP;
	FOREACH t IN ARRAY touched LOOP
		EXECUTE format('ALTER TABLE sgz.%I ENABLE TRIGGER USER', t);
	END LOOP;
	IF node.kind IS NULL THEN
		INSERT INTO sgz.rollup_node (kind, province, pid_offset) VALUES ('province', province, off);
	END IF;
	IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'sgz_rollup') THEN
		EXECUTE 'ALTER PUBLICATION sgz_rollup SET TABLE ' || tables;
		ALTER PUBLICATION sgz_rollup SET (publish = 'insert, update, delete',
						  publish_via_partition_root = true);
	ELSE
		EXECUTE 'CREATE PUBLICATION sgz_rollup FOR TABLE ' || tables
			|| ' WITH (publish = ''insert, update, delete'', publish_via_partition_root = true)';
	END IF;
	RETURN off + 1;
END
$$;

REVOKE ALL ON FUNCTION sgz.rollup_publish(text) FROM PUBLIC;
