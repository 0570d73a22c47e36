-- 0022: provinces rolled up by logical replication (DESIGN.md, "Beyond one
-- machine"; sgz(7)).
--
-- Each province runs its own database, which publishes the tables the
-- reports read (sgz.rollup_publish(), `sgz rollup publish PROVINCE`); a
-- roll-up database of the same schema subscribes to several provinces
-- (sgz.rollup_subscriber(), then one SUBSCRIPTION per province, `sgz
-- rollup add`), and every report, every list and row-level security by
-- division code work there unchanged: the rows keep their division codes.
--
-- What is not published, and why:
--   * divisions, settings and organisations: reference data, the same
--     national tables everywhere (one organisation may work in several
--     provinces): the roll-up loads its own, as each province did;
--   * users (user_scope): each database has its own logins and scopes;
--   * the audit trail: it stays where the records were read and written;
--     the roll-up files its own (what its readers open);
--   * case_counter, hours_day_total: what a province's writes need only.
-- TRUNCATE is not published either: a province emptying a table must not
-- empty everyone's.
--
-- Keys: the natural keys (ID numbers, station and division codes, case
-- numbers, which begin with the station's code) are national. The pids
-- are per database, so a province's are moved into a range of its own,
-- PROVINCE * 10^10 + 1 to (PROVINCE + 1) * 10^10 - 1 (province 12:
-- 120000000001...): the identities start there and stop at its end, and
-- the people already stored are renumbered, with every column that names
-- them by pid, once, when the province is declared. Trail entries filed
-- before name a person by his old pid (new = old + PROVINCE * 10^10).
-- The audit trail's ids are not published, so they need no range.
--
-- Writes on the roll-up: a statement trigger on every subscribed table
-- refuses them, whoever sends them (the superuser too); the subscriptions'
-- apply workers run as replicas (session_replication_role), for which
-- ordinary triggers, the integrity checks, the trail and the foreign keys
-- do not fire: the province checked each row already.

-- What this database is in a roll-up: nothing (no row), a province that
-- publishes, or a roll-up that subscribes.
CREATE TABLE sgz.rollup_node (
	only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT rollup_node_one CHECK (only_row),
	kind text NOT NULL CONSTRAINT rollup_node_kind_valid CHECK (kind IN ('province', 'rollup')),
	province text CONSTRAINT rollup_node_province_valid CHECK (province ~ '^[1-9][0-9]$'),
	pid_offset bigint,
	declared_at timestamptz NOT NULL DEFAULT now(),
	declared_by text NOT NULL DEFAULT session_user,
	CONSTRAINT rollup_node_province_given CHECK ((kind = 'province') = (province IS NOT NULL))
);
GRANT SELECT ON sgz.rollup_node TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;

-- The tables a province publishes and a roll-up subscribes to.
CREATE FUNCTION sgz.rollup_tables() RETURNS regclass[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT ARRAY['sgz.station', 'sgz.service_point', 'sgz.staff', 'sgz.volunteer',
		     'sgz.activity', 'sgz.hours', 'sgz.hours_year_total', 'sgz.recipient',
		     'sgz.case_file', 'sgz.visit', 'sgz.contract', 'sgz.evaluation',
		     'sgz.plan']::regclass[]
$$;

-- The table without a key whose columns are all NOT NULL (hours_key has
-- the activity, which may be empty) sends its whole old row with an
-- update or a delete, for the roll-up to find it by.
ALTER TABLE sgz.hours REPLICA IDENTITY FULL;

-- Declares this database the province PROVINCE (two digits, 11 to 82) and
-- publishes the tables (publication sgz_rollup). Run by the schema's
-- owner or a superuser; again with the same province, it only makes the
-- publication's tables the list's (after a migration that adds one).
CREATE FUNCTION sgz.rollup_publish(province text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	node sgz.rollup_node;
	off bigint;
	t text;
	n bigint;
	tables text := (SELECT string_agg(x::text, ', ') FROM unnest(sgz.rollup_tables()) x);
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
	IF node.kind IS NULL THEN
		-- Rows of another province would reach the roll-up twice.
		IF EXISTS (SELECT 1 FROM sgz.station s WHERE NOT starts_with(s.township, province))
		   OR EXISTS (SELECT 1 FROM sgz.recipient r WHERE NOT starts_with(r.village, province))
		   OR EXISTS (SELECT 1 FROM sgz.plan p WHERE NOT starts_with(p.division, province)) THEN
			RAISE EXCEPTION 'this database holds records outside province %', province
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		-- The people: their pids moved into the province's range, with
		-- every column that names them by pid; no trigger fires (no
		-- row_version, no trail of a renumbering).
		FOREACH t IN ARRAY ARRAY['staff', 'volunteer', 'recipient', 'hours', 'case_file',
					 'visit', 'hours_year_total', 'user_scope'] LOOP
			EXECUTE format('ALTER TABLE sgz.%I DISABLE TRIGGER USER', t);
		END LOOP;
		FOREACH t IN ARRAY ARRAY['staff', 'volunteer', 'recipient'] LOOP
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
		UPDATE sgz.hours SET volunteer_pid = volunteer_pid + off WHERE volunteer_pid < 10000000000;
		UPDATE sgz.hours_year_total SET volunteer_pid = volunteer_pid + off
		 WHERE volunteer_pid < 10000000000;
		UPDATE sgz.case_file SET recipient_pid = recipient_pid + off WHERE recipient_pid < 10000000000;
		UPDATE sgz.case_file SET worker_pid = worker_pid + off WHERE worker_pid < 10000000000;
		UPDATE sgz.visit SET worker_pid = worker_pid + off WHERE worker_pid < 10000000000;
		UPDATE sgz.user_scope SET staff_pid = staff_pid + off WHERE staff_pid < 10000000000;
		FOREACH t IN ARRAY ARRAY['staff', 'volunteer', 'recipient', 'hours', 'case_file',
					 'visit', 'hours_year_total', 'user_scope'] LOOP
			EXECUTE format('ALTER TABLE sgz.%I ENABLE TRIGGER USER', t);
		END LOOP;
		INSERT INTO sgz.rollup_node (kind, province, pid_offset) VALUES ('province', province, off);
	END IF;
	IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'sgz_rollup') THEN
		EXECUTE 'ALTER PUBLICATION sgz_rollup SET TABLE ' || tables;
	ELSE
		EXECUTE 'CREATE PUBLICATION sgz_rollup FOR TABLE ' || tables
			|| ' WITH (publish = ''insert, update, delete'')';
	END IF;
	RETURN off + 1;
END
$$;

-- Refuses a write on a roll-up (a statement trigger of every subscribed
-- table there). The subscriptions' apply workers do not fire it.
CREATE FUNCTION sgz.rollup_refuse() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'this database is a roll-up of provincial databases and is read only: make the change in the province''s database'
		USING ERRCODE = 'read_only_sql_transaction';
END
$$;

-- Makes this database a roll-up: its subscribed tables refuse writes.
-- Run by the schema's owner or a superuser before the first subscription
-- (`sgz rollup add` does); again, it does nothing.
CREATE FUNCTION sgz.rollup_subscriber() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	node sgz.rollup_node;
	t regclass;
BEGIN
	IF NOT (sgz.as_owner() OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
		RAISE EXCEPTION 'only the owner of the schema or a superuser may make this database a roll-up'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	LOCK TABLE sgz.rollup_node IN EXCLUSIVE MODE;
	SELECT * INTO node FROM sgz.rollup_node;
	IF node.kind = 'province' THEN
		RAISE EXCEPTION 'this database is already province %', node.province
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF node.kind IS NULL THEN
		IF EXISTS (SELECT 1 FROM sgz.station) THEN
			RAISE EXCEPTION 'a roll-up starts empty: this database holds stations of its own'
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		INSERT INTO sgz.rollup_node (kind) VALUES ('rollup');
	END IF;
	FOREACH t IN ARRAY sgz.rollup_tables() LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = 'rollup_read_only') THEN
			EXECUTE format('CREATE TRIGGER rollup_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE '
				       'ON %s FOR EACH STATEMENT EXECUTE FUNCTION sgz.rollup_refuse()', t);
		END IF;
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION sgz.rollup_publish(text), sgz.rollup_subscriber() FROM PUBLIC;

-- The state of each province's subscription, for `sgz rollup status`:
-- readable by admins (pg_stat_subscription is everyone's; pg_subscription's
-- connection strings are not read).
CREATE FUNCTION sgz.rollup_status()
RETURNS TABLE (subscription text, enabled boolean, running boolean, tables integer,
	       tables_ready integer, last_received timestamptz, lag_seconds numeric,
	       apply_errors bigint, sync_errors bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT s.subname::text, s.subenabled,
	       EXISTS (SELECT 1 FROM pg_stat_subscription w WHERE w.subid = s.oid AND w.pid IS NOT NULL
			  AND w.relid IS NULL),
	       (SELECT count(*)::integer FROM pg_subscription_rel r WHERE r.srsubid = s.oid),
	       (SELECT count(*)::integer FROM pg_subscription_rel r
		 WHERE r.srsubid = s.oid AND r.srsubstate = 'r'),
	       w.last_msg_receipt_time,
	       round(extract(epoch FROM now() - w.last_msg_send_time)::numeric, 1),
	       e.apply_error_count, e.sync_error_count
	  FROM pg_subscription s
	  LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
	  LEFT JOIN pg_stat_subscription_stats e ON e.subid = s.oid
	 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
	   AND s.subname LIKE 'sgz\_%'
	 ORDER BY 1
$$;
REVOKE ALL ON FUNCTION sgz.rollup_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.rollup_status() TO sgz_admin;
