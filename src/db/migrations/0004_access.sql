-- 0004: access and audit (DESIGN.md, Database; spec/rules.md, Access).
--
-- Who may do what is decided here, in the database, never by the client:
--
--   * users are PostgreSQL roles that log in; each is a member of the group
--     role of its kind, which holds the kind's privileges (the GRANTs below);
--   * sgz.user_scope gives each role its scope, a division code;
--   * row-level security limits every scoped table, for reading and for
--     writing, to the rows whose division code lies under that scope. The
--     scope is looked up by the session's login role through a SECURITY
--     DEFINER function, never from a setting: set_config() and SET ROLE
--     cannot change session_user, so nothing a user types in psql widens it;
--   * every insert, update and delete of every table lands in sgz.audit, in
--     the same transaction, by statement-level triggers that no user can
--     bypass and whose rows no user can change.
--
-- The owner of the schema (who runs sgz migrate) needs CREATEROLE, or to be
-- a superuser: the group roles below and the users of sgz user add are
-- roles, and roles belong to the cluster, not to the database.

-- ---- group roles, one per kind ----

-- Created only when missing: another database of the same cluster may have
-- created them already. Membership alone opens nothing in a database where
-- the role has no row in sgz.user_scope (see scope_prefix).
DO $$
DECLARE
	g text;
BEGIN
	FOREACH g IN ARRAY ARRAY['sgz_admin', 'sgz_region', 'sgz_county', 'sgz_station',
				 'sgz_evaluator'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', g);
		END IF;
	END LOOP;
END
$$;

-- ---- who is who ----

CREATE TABLE sgz.user_scope (
	-- The login name on the SSH host, which peer authentication maps to the
	-- role of the same name.
	role text PRIMARY KEY
		CONSTRAINT user_scope_role_valid CHECK (role ~ '^[a-z_][a-z0-9_.-]{0,62}$'),
	kind text NOT NULL CONSTRAINT user_scope_kind_valid
		CHECK (kind IN ('admin', 'region', 'county', 'station', 'evaluator')),
	-- A division of the list: the role sees the rows whose division code
	-- starts with its significant digits.
	scope text NOT NULL CONSTRAINT user_scope_scope_exists REFERENCES sgz.division (code),
	added_on timestamptz NOT NULL DEFAULT now(),
	added_by text NOT NULL DEFAULT session_user
);

-- The scope of the session as a code prefix: '' (everything) for superusers,
-- the owner of the schema and admins; the significant digits (2, 4, 6, 9 or
-- 12) of the scope for other users; NULL, which matches nothing, for a role
-- without a row. Keyed on session_user: SET ROLE changes current_user only,
-- and SET SESSION AUTHORIZATION is for superusers. Policies call it as
-- (SELECT sgz.scope_prefix()), so it runs once per query, not once per row.
CREATE FUNCTION sgz.scope_prefix() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN r.rolsuper THEN ''
		WHEN r.oid = (SELECT n.nspowner FROM pg_namespace n WHERE n.nspname = 'sgz') THEN ''
		WHEN u.kind = 'admin' THEN ''
		ELSE left(u.scope, (ARRAY[2, 4, 6, 9, 12])[sgz.division_level(u.scope)])
	END
	  FROM pg_roles r
	  LEFT JOIN sgz.user_scope u ON u.role = r.rolname
	 WHERE r.rolname = session_user
$$;

-- The kind of the session's role (admin for superusers and the owner), or
-- NULL. For the interface, to show what the user may do.
CREATE FUNCTION sgz.current_kind() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN r.rolsuper THEN 'admin'
		WHEN r.oid = (SELECT n.nspowner FROM pg_namespace n WHERE n.nspname = 'sgz')
			THEN 'admin'
		ELSE u.kind
	END
	  FROM pg_roles r
	  LEFT JOIN sgz.user_scope u ON u.role = r.rolname
	 WHERE r.rolname = session_user
$$;

-- The scope as the range of 12-digit codes it covers: 120110 is
-- 120110000000 .. 120110999999. Equal-length strings of digits sort the same
-- in every collation, so the range is exactly the prefix test; unlike LIKE
-- with a pattern known only at run time, it can use the indexes on the
-- division code columns. NULL (a role without a scope) matches nothing.
CREATE FUNCTION sgz.scope_low() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT rpad(sgz.scope_prefix(), 12, '0')
$$;

CREATE FUNCTION sgz.scope_high() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT rpad(sgz.scope_prefix(), 12, '9')
$$;

-- The test of every policy's WITH CHECK: true, or an error that names the
-- column and the value, so that a form or an import can say which field of
-- which line is outside the user's scope (a bare policy failure names
-- neither). Class 23, like any other constraint the data breaks.
CREATE FUNCTION sgz.scope_ok(ok boolean, col text, val text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
	prefix text;
BEGIN
	IF ok THEN
		RETURN true;
	END IF;
	prefix := sgz.scope_prefix();
	IF prefix IS NULL THEN
		RAISE EXCEPTION 'role % has no scope in this database', session_user
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'an administrator gives one with sgz user add';
	END IF;
	RAISE EXCEPTION '% % is outside your scope (%)', col, val, prefix
		USING ERRCODE = 'check_violation', COLUMN = col;
END
$$;

-- ---- row-level security ----
--
-- One policy per scoped table, for every command: USING filters what a
-- role sees, updates and deletes (rows outside are simply not there);
-- WITH CHECK refuses a new or changed row outside the scope. The privileges
-- of the kind (below) decide which commands a role may run at all. FORCE
-- makes the owner of the tables obey the policies too; scope_prefix() gives
-- the owner everything, but a forgotten case fails closed.
--
-- The bounds are written as (SELECT ...) so that each is computed once per
-- query (an initplan), and the comparison stays inline so that it costs one
-- comparison per row, or an index range.

ALTER TABLE sgz.station ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.station FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.station
	USING (township BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		township BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'township', township));

ALTER TABLE sgz.service_point ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.service_point FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.service_point
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.staff FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.staff
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.volunteer ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.volunteer FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.volunteer
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.activity FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.activity
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.hours FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.hours
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.recipient ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.recipient FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.recipient
	USING (village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		village BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'village', village));

ALTER TABLE sgz.case_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.case_file FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.case_file
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

-- visit.station is copied from the case by visit_check, which reads the
-- case under these policies: a case out of scope "does not exist".
ALTER TABLE sgz.visit ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.visit FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.visit
	USING (station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		station BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'station', station));

ALTER TABLE sgz.plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.plan FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.plan
	USING (division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'division', division));

-- A contract is read by whoever has its purchaser in scope, and by whoever
-- has one of its stations in scope: a station's staff see the contract that
-- binds their station (rules.md, Stations). It is written, though, only
-- within the purchaser's scope: a county must not delete the region's
-- contract because it lists one of the county's stations.
ALTER TABLE sgz.contract ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.contract FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.contract FOR SELECT
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())
	       OR EXISTS (SELECT 1 FROM unnest(stations) s
			   WHERE s BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())));
CREATE POLICY scope_insert ON sgz.contract FOR INSERT
	WITH CHECK (sgz.scope_ok(
		purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'purchaser', purchaser));
CREATE POLICY scope_update ON sgz.contract FOR UPDATE
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()))
	WITH CHECK (sgz.scope_ok(
		purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()),
		'purchaser', purchaser));
CREATE POLICY scope_delete ON sgz.contract FOR DELETE
	USING (purchaser BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));

-- An evaluation has no division of its own: it is seen with its contract
-- (the subquery obeys the contract's policies) and written within the
-- contract's purchaser.
ALTER TABLE sgz.evaluation ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.evaluation FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.evaluation FOR SELECT
	USING (EXISTS (SELECT 1 FROM sgz.contract k WHERE k.contract_no = evaluation.contract_no));
CREATE POLICY scope_insert ON sgz.evaluation FOR INSERT
	WITH CHECK (sgz.scope_ok(
		EXISTS (SELECT 1 FROM sgz.contract k
			 WHERE k.contract_no = evaluation.contract_no
			   AND k.purchaser BETWEEN (SELECT sgz.scope_low())
					       AND (SELECT sgz.scope_high())),
		'contract_no', contract_no));
CREATE POLICY scope_update ON sgz.evaluation FOR UPDATE
	USING (EXISTS (SELECT 1 FROM sgz.contract k
			WHERE k.contract_no = evaluation.contract_no
			  AND k.purchaser BETWEEN (SELECT sgz.scope_low())
					      AND (SELECT sgz.scope_high())))
	WITH CHECK (sgz.scope_ok(
		EXISTS (SELECT 1 FROM sgz.contract k
			 WHERE k.contract_no = evaluation.contract_no
			   AND k.purchaser BETWEEN (SELECT sgz.scope_low())
					       AND (SELECT sgz.scope_high())),
		'contract_no', contract_no));
CREATE POLICY scope_delete ON sgz.evaluation FOR DELETE
	USING (EXISTS (SELECT 1 FROM sgz.contract k
			WHERE k.contract_no = evaluation.contract_no
			  AND k.purchaser BETWEEN (SELECT sgz.scope_low())
					      AND (SELECT sgz.scope_high())));

-- The case-number counter is written by case_file_assign as the user who
-- saves the case. Its prefix ('120110001-2024') starts with the township,
-- not a whole code, hence the prefix test here.
ALTER TABLE sgz.case_counter ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.case_counter FORCE ROW LEVEL SECURITY;
CREATE POLICY scope ON sgz.case_counter
	USING (prefix LIKE (SELECT sgz.scope_prefix()) || '%')
	WITH CHECK (sgz.scope_ok(prefix LIKE (SELECT sgz.scope_prefix()) || '%',
				 'case_no', prefix));

-- Foreign keys are checked past row-level security, so a row in scope
-- could name a volunteer (a recipient, a worker) of another county and add
-- to that county's figures. The person a row refers to must be in the
-- user's scope too. Checked once per statement over the distinct people it
-- names, not once per row: a bulk import pays one join. The join is by the
-- key, as the owner, with the scope's bounds as parameters, so that the
-- plan follows the real numbers (under the policies, whose bounds the
-- planner cannot see, it chose a nested loop over every volunteer of the
-- county for every row). (The worker of a case is checked already by
-- case_file_assign: an active staff member of the case's own station.)
-- TG_ARGV: the referring column, the table referred to, its key column and
-- its division code column.
CREATE FUNCTION sgz.scope_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	prefix text := sgz.scope_prefix();
	bad text;
BEGIN
	-- Everything is in scope; or nothing, and the row's own policy has
	-- refused it already.
	IF prefix IS NULL OR prefix = '' THEN
		RETURN NULL;
	END IF;
	EXECUTE format('SELECT d.v FROM (SELECT DISTINCT n.%1$I AS v FROM new_rows n) d'
		       '  JOIN %2$s r ON r.%3$I = d.v'
		       ' WHERE r.%4$I NOT BETWEEN $1 AND $2 LIMIT 1',
		       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3])
		INTO bad USING rpad(prefix, 12, '0'), rpad(prefix, 12, '9');
	IF bad IS NOT NULL THEN
		PERFORM sgz.scope_ok(false, TG_ARGV[0], bad);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER scope_refs_insert AFTER INSERT ON sgz.hours
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('volunteer', 'sgz.volunteer', 'id_number', 'station');
CREATE TRIGGER scope_refs_update AFTER UPDATE ON sgz.hours
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('volunteer', 'sgz.volunteer', 'id_number', 'station');
CREATE TRIGGER scope_refs_insert AFTER INSERT ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('recipient', 'sgz.recipient', 'id_number', 'village');
CREATE TRIGGER scope_refs_update AFTER UPDATE ON sgz.case_file
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('recipient', 'sgz.recipient', 'id_number', 'village');
CREATE TRIGGER scope_refs_insert AFTER INSERT ON sgz.visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('worker', 'sgz.staff', 'id_number', 'station');
CREATE TRIGGER scope_refs_update AFTER UPDATE ON sgz.visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION sgz.scope_refs('worker', 'sgz.staff', 'id_number', 'station');

-- Divisions, settings and organisations are reference data, read by every
-- kind; only the grants below limit who writes them. sgz.user_scope is read
-- by admins and written only through user_add() and user_remove().

-- ---- the audit trail ----

CREATE TABLE sgz.audit (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	-- The login role: the person, whatever role they SET.
	who text NOT NULL DEFAULT session_user,
	-- The transaction: the rows of one import or one save share it.
	xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
	table_name text NOT NULL,
	action text NOT NULL CONSTRAINT audit_action_valid
		CHECK (action IN ('insert', 'update', 'delete', 'truncate', 'export', 'open')),
	-- The row's key as {"column": value, ...}; NULL for events.
	key jsonb,
	-- The whole row before and after; the event's details in new.
	old jsonb,
	new jsonb,
	-- The division code of the row (or of the event), so that scoped
	-- readers see the part of the trail about their own rows. NULL (admins
	-- only) for reference data and for events of unscoped users.
	division text
);

-- Cheap to keep up during a bulk import, and enough for "what happened
-- between these dates".
CREATE INDEX audit_at_idx ON sgz.audit USING brin (at);

-- Writes the rows of one statement into the trail, from the transition
-- tables: one INSERT ... SELECT per statement, not one per row, so that an
-- import of a million rows pays one pass. TG_ARGV[0] is the row's division
-- code as an expression over the row r; the others are the key columns.
-- SECURITY DEFINER: application roles have no privilege on sgz.audit.
--
-- Each row becomes jsonb once (OFFSET 0 keeps the planner from repeating
-- to_jsonb per use); its key is that jsonb less the other columns, which is
-- cheaper than building a second object. The pairing of an update's old and
-- new rows is a hash join: a merge join would sort jsonb, several times
-- slower, and JIT compiling costs more than it saves on these plans.
CREATE FUNCTION sgz.audit_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off
SET enable_mergejoin = off
SET work_mem = '128MB' AS $$
DECLARE
	division text := TG_ARGV[0];
	others text[];
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		INSERT INTO sgz.audit (who, table_name, action)
		VALUES (session_user, TG_TABLE_NAME, 'truncate');
		RETURN NULL;
	END IF;
	SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}') INTO others
	  FROM pg_attribute a
	 WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
	   AND a.attname <> ALL (TG_ARGV[1:TG_NARGS - 1]);
	IF TG_OP = 'INSERT' THEN
		EXECUTE format($q$
			INSERT INTO sgz.audit (who, table_name, action, key, new, division)
			SELECT session_user, %L, 'insert', j - %L::text[], j, d
			  FROM (SELECT to_jsonb(r) AS j, %s AS d FROM new_rows r OFFSET 0) s
			$q$, TG_TABLE_NAME, others, division);
	ELSIF TG_OP = 'DELETE' THEN
		EXECUTE format($q$
			INSERT INTO sgz.audit (who, table_name, action, key, old, division)
			SELECT session_user, %L, 'delete', j - %L::text[], j, d
			  FROM (SELECT to_jsonb(r) AS j, %s AS d FROM old_rows r OFFSET 0) s
			$q$, TG_TABLE_NAME, others, division);
	ELSE
		-- The old and new rows of an update paired by key (jsonb, so a
		-- NULL key column, hours without an activity, pairs too). A row
		-- whose key changed shows as an old half and a new half. A row
		-- moved to another division is also written as two halves, each
		-- under its own division, so that neither side reads the other's.
		EXECUTE format($q$
			WITH o AS (SELECT j - %1$L::text[] AS k, d, j
				     FROM (SELECT to_jsonb(r) AS j, %2$s AS d
					     FROM old_rows r OFFSET 0) s),
			     n AS (SELECT j - %1$L::text[] AS k, d, j
				     FROM (SELECT to_jsonb(r) AS j, %2$s AS d
					     FROM new_rows r OFFSET 0) s),
			     p AS (SELECT coalesce(n.k, o.k) AS k, o.d AS od, n.d AS nd,
					  o.j AS oj, n.j AS nj,
					  o.j IS NOT NULL AND n.j IS NOT NULL
					  AND o.d IS DISTINCT FROM n.d AS moved
				     FROM o FULL JOIN n ON n.k = o.k)
			INSERT INTO sgz.audit (who, table_name, action, key, old, new, division)
			SELECT session_user, %3$L, 'update', k, oj, nj, coalesce(nd, od)
			  FROM p WHERE NOT moved
			UNION ALL
			SELECT session_user, %3$L, 'update', k, oj, NULL, od FROM p WHERE moved
			UNION ALL
			SELECT session_user, %3$L, 'update', k, NULL, nj, nd FROM p WHERE moved
			$q$, others, division, TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END
$$;

-- Every table but the counter (its changes are the case numbers, audited
-- with the cases) and the trail itself. Transition tables allow one event
-- per trigger, hence three triggers, and a fourth for TRUNCATE.
DO $$
DECLARE
	t record;
	args text;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('division', 'r.code', ARRAY['code']),
		('setting', 'NULL::text', ARRAY['key']),
		('organization', 'NULL::text', ARRAY['credit_code']),
		('station', 'r.township', ARRAY['township']),
		('service_point', 'r.station', ARRAY['station', 'name']),
		('staff', 'r.station', ARRAY['id_number']),
		('volunteer', 'r.station', ARRAY['id_number']),
		('activity', 'r.station', ARRAY['station', 'date', 'title']),
		('hours', 'r.station', ARRAY['volunteer', 'service_date', 'station', 'activity']),
		('recipient', 'r.village', ARRAY['id_number']),
		('case_file', 'r.station', ARRAY['case_no']),
		('visit', 'r.station', ARRAY['case_no', 'visit_date', 'kind']),
		('contract', 'r.purchaser', ARRAY['contract_no']),
		('evaluation',
		 '(SELECT k.purchaser FROM sgz.contract k WHERE k.contract_no = r.contract_no)',
		 ARRAY['contract_no', 'kind', 'evaluated_on']),
		('plan', 'r.division', ARRAY['division', 'year']),
		('user_scope', 'NULL::text', ARRAY['role'])
	) AS v (name, division, keys) LOOP
		SELECT string_agg(quote_literal(a), ', ') INTO args
		  FROM unnest(t.division || t.keys) a;
		EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON sgz.%I'
			       ' REFERENCING NEW TABLE AS new_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON sgz.%I'
			       ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON sgz.%I'
			       ' REFERENCING OLD TABLE AS old_rows'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
		EXECUTE format('CREATE TRIGGER audit_truncate AFTER TRUNCATE ON sgz.%I'
			       ' FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_rows(%s)',
			       t.name, args);
	END LOOP;
END
$$;

-- Append-only, whatever the privileges: no role is granted UPDATE, DELETE
-- or TRUNCATE, and this refuses them even to the owner. (A superuser can
-- still disable the trigger: the trail guards against users, not against
-- whoever runs the server.)
CREATE FUNCTION sgz.audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON sgz.audit
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.audit_refuse();

-- Admins read the whole trail; scoped readers the rows of their divisions.
-- Rows are added only by the SECURITY DEFINER functions above and below,
-- as the owner: no application role has INSERT, so the permissive INSERT
-- policy opens nothing to them.
ALTER TABLE sgz.audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE sgz.audit FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON sgz.audit FOR SELECT
	USING ((SELECT sgz.scope_prefix()) = ''
	       OR division BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high()));
CREATE POLICY append ON sgz.audit FOR INSERT WITH CHECK (true);

-- Records an event that changes no row (rules.md: every export and every
-- open of a sensitive record is audited): action 'export' or 'open', the
-- table, and the details (the key of the record opened, the scope and
-- row count of an export). The event is filed under the division given,
-- when it lies within the caller's scope, else under the caller's own
-- scope, so that a user cannot file events in another county's trail.
CREATE FUNCTION sgz.audit_event(action text, table_name text, detail jsonb,
				division text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	prefix text := sgz.scope_prefix();
	filed text;
BEGIN
	IF action IS NULL OR action NOT IN ('export', 'open') THEN
		RAISE EXCEPTION 'audit events are export or open, not %', coalesce(action, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF prefix IS NULL THEN
		RAISE EXCEPTION 'role % has no scope in this database', session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF division IS NOT NULL AND NOT coalesce(sgz.division_code_valid(division), false) THEN
		RAISE EXCEPTION 'division % is not a 12-digit division code', division
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF division LIKE prefix || '%' THEN
		filed := division;
	ELSIF prefix <> '' THEN
		filed := rpad(prefix, 12, '0');
	END IF;
	INSERT INTO sgz.audit (who, table_name, action, key, new, division)
	VALUES (session_user, regexp_replace(coalesce(table_name, ''), '^sgz\.', ''), action,
		detail -> 'key', detail, filed);
END
$$;

-- ---- users ----

-- Superusers, the owner and admins manage users.
CREATE FUNCTION sgz.require_admin() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF sgz.scope_prefix() IS DISTINCT FROM '' THEN
		RAISE EXCEPTION 'permission denied: only an administrator manages the users of sgz'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- A role sgz may manage: not a group role of sgz, not reserved, not one
-- that holds powers of its own (superuser, CREATEROLE, BYPASSRLS,
-- REPLICATION) or owns the schema. An admin cannot grow into more than an
-- admin, nor take away the owner.
CREATE FUNCTION sgz.user_manageable(role_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF role_name IS NULL OR role_name !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
		RAISE EXCEPTION 'role name "%" is not a login name: lower-case letters, digits, '
			'_ . -, starting with a letter or _, at most 63 characters', role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF role_name LIKE 'pg\_%'
	   OR role_name IN ('public', 'none', 'sgz_admin', 'sgz_region', 'sgz_county',
			    'sgz_station', 'sgz_evaluator') THEN
		RAISE EXCEPTION 'role name % is reserved', role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = role_name;
	IF FOUND AND (r.rolsuper OR r.rolcreaterole OR r.rolbypassrls OR r.rolreplication
		      OR r.oid = (SELECT n.nspowner FROM pg_namespace n
				   WHERE n.nspname = 'sgz')) THEN
		RAISE EXCEPTION 'role % is a superuser, holds CREATEROLE, BYPASSRLS or '
			'REPLICATION, or owns the database schema: sgz does not manage it',
			role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;

-- sgz user add: creates the login role if missing (no password: peer
-- authentication), makes it a member of its kind's group and of no other,
-- and sets its scope. Returns 'created' or 'updated'. Identifiers are
-- quoted by format('%I'); the values never reach SQL text.
CREATE FUNCTION sgz.user_add(role_name text, scope_code text, user_kind text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	g text;
	created boolean := false;
BEGIN
	PERFORM sgz.require_admin();
	PERFORM sgz.user_manageable(role_name);
	IF user_kind IS NULL
	   OR user_kind NOT IN ('admin', 'region', 'county', 'station', 'evaluator') THEN
		RAISE EXCEPTION 'kind % is not one of admin, region, county, station, evaluator',
			coalesce(user_kind, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = scope_code) THEN
		RAISE EXCEPTION 'scope % is not in the division list', coalesce(scope_code, 'NULL')
			USING ERRCODE = 'foreign_key_violation',
			      HINT = 'give the code of a division of the list '
				     '(sgz import divisions)';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
		EXECUTE format('CREATE ROLE %I LOGIN', role_name);
		created := true;
	END IF;
	FOREACH g IN ARRAY ARRAY['sgz_admin', 'sgz_region', 'sgz_county', 'sgz_station',
				 'sgz_evaluator'] LOOP
		IF EXISTS (SELECT 1 FROM pg_auth_members m
			    WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = g)
			      AND m.member = (SELECT oid FROM pg_roles
					       WHERE rolname = role_name)) THEN
			IF g <> 'sgz_' || user_kind THEN
				EXECUTE format('REVOKE %I FROM %I', g, role_name);
			END IF;
		ELSIF g = 'sgz_' || user_kind THEN
			EXECUTE format('GRANT %I TO %I', g, role_name);
		END IF;
	END LOOP;
	INSERT INTO sgz.user_scope AS u (role, kind, scope)
	VALUES (role_name, user_kind, scope_code)
	ON CONFLICT (role) DO UPDATE SET kind = EXCLUDED.kind, scope = EXCLUDED.scope,
		added_on = now(), added_by = session_user
	 WHERE (u.kind, u.scope) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.scope);
	RETURN CASE WHEN created THEN 'created' ELSE 'updated' END;
END
$$;

-- sgz user remove: drops the scope row and the role. false when there is
-- neither; refuses a role that exists but is no user of sgz, and oneself.
CREATE FUNCTION sgz.user_remove(role_name text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	role_exists boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name);
	scoped boolean := EXISTS (SELECT 1 FROM sgz.user_scope u WHERE u.role = role_name);
BEGIN
	PERFORM sgz.require_admin();
	IF NOT role_exists AND NOT scoped THEN
		RETURN false;
	END IF;
	PERFORM sgz.user_manageable(role_name);
	IF role_exists AND NOT scoped AND NOT EXISTS (
		SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
		 WHERE g.rolname IN ('sgz_admin', 'sgz_region', 'sgz_county', 'sgz_station',
				     'sgz_evaluator')
		   AND m.member = (SELECT oid FROM pg_roles WHERE rolname = role_name)) THEN
		RAISE EXCEPTION 'role % is not a user of sgz: not dropped', role_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF role_name = session_user THEN
		RAISE EXCEPTION 'you cannot remove yourself'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	DELETE FROM sgz.user_scope u WHERE u.role = role_name;
	IF role_exists THEN
		EXECUTE format('DROP ROLE %I', role_name);
	END IF;
	RETURN true;
END
$$;

-- ---- privileges by kind (rules.md, Access) ----
--
-- Privileges say which commands a kind may run; the policies above, which
-- rows. Nothing is granted to PUBLIC: a role outside the five kinds reads
-- nothing at all. Nobody but the owner may TRUNCATE (it skips the policies)
-- or create objects in the schema.

REVOKE ALL ON SCHEMA sgz FROM PUBLIC;
GRANT USAGE ON SCHEMA sgz TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;

-- Reference data and the schema version (every command checks it).
GRANT SELECT ON sgz.division, sgz.setting, sgz.organization, sgz.schema_migration
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;

-- admin: everything, within the policies (which give admins every row).
GRANT INSERT, UPDATE, DELETE ON sgz.division, sgz.setting, sgz.organization TO sgz_admin;
GRANT SELECT, INSERT, UPDATE, DELETE
	ON sgz.station, sgz.service_point, sgz.staff, sgz.volunteer, sgz.activity, sgz.hours,
	   sgz.recipient, sgz.case_file, sgz.visit, sgz.contract, sgz.evaluation, sgz.plan
	TO sgz_admin, sgz_county;
GRANT SELECT ON sgz.user_scope TO sgz_admin;

-- region: reads everything in scope.
GRANT SELECT
	ON sgz.station, sgz.service_point, sgz.staff, sgz.volunteer, sgz.activity, sgz.hours,
	   sgz.recipient, sgz.case_file, sgz.visit, sgz.contract, sgz.evaluation, sgz.plan
	TO sgz_region;

-- county: reads and writes everything in scope (above), and keeps the
-- register of undertaking organisations with the admins.
GRANT INSERT, UPDATE ON sgz.organization TO sgz_county;

-- station: the township's own records; its station row may be updated
-- (facilities, signage) but stations are opened and closed by the county;
-- contracts, evaluations and plans are read only.
GRANT SELECT, INSERT, UPDATE, DELETE
	ON sgz.service_point, sgz.staff, sgz.volunteer, sgz.activity, sgz.hours, sgz.recipient,
	   sgz.case_file, sgz.visit
	TO sgz_station;
GRANT SELECT, UPDATE ON sgz.station TO sgz_station;
GRANT SELECT ON sgz.contract, sgz.evaluation, sgz.plan TO sgz_station;

-- evaluator: reads the contracts in scope, writes their evaluations.
GRANT SELECT ON sgz.contract TO sgz_evaluator;
GRANT SELECT, INSERT, UPDATE ON sgz.evaluation TO sgz_evaluator;

-- Whoever saves a case draws its number.
GRANT SELECT, INSERT, UPDATE ON sgz.case_counter TO sgz_admin, sgz_county, sgz_station;

-- The trail: admins all of it, region and county officers their part.
GRANT SELECT ON sgz.audit TO sgz_admin, sgz_region, sgz_county;

REVOKE ALL ON FUNCTION sgz.audit_rows(), sgz.audit_refuse(), sgz.scope_refs() FROM PUBLIC;
REVOKE ALL ON FUNCTION sgz.audit_event(text, text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.audit_event(text, text, jsonb, text)
	TO sgz_admin, sgz_region, sgz_county, sgz_station, sgz_evaluator;
REVOKE ALL ON FUNCTION sgz.user_add(text, text, text), sgz.user_remove(text),
	sgz.user_manageable(text), sgz.require_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.user_add(text, text, text), sgz.user_remove(text) TO sgz_admin;
