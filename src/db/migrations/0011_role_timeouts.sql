-- 0011: the timeouts of the configuration hold for a user's psql too.
--
-- sgz sets statement_timeout, lock_timeout and
-- idle_in_transaction_session_timeout on every connection it opens
-- ([database] in sgz.ini), but staff can also reach the database with psql
-- (peer authentication lets them), where nothing limited them: a county
-- user's LOCK TABLE left open in a transaction blocked everyone else. The
-- timeouts become settings of each user's role, which PostgreSQL applies
-- at every login, whatever the client. sgz user add takes them from the
-- session that adds the user (sgz sets the configuration's values on its
-- connection); a session without them (psql) gives sgz's defaults.

-- The role settings for the timeouts of the calling session.
CREATE FUNCTION sgz.user_timeouts(role_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
	v text;
BEGIN
	FOREACH k IN ARRAY ARRAY['statement_timeout', 'lock_timeout',
				 'idle_in_transaction_session_timeout'] LOOP
		v := current_setting(k);
		IF v = '0' THEN
			v := CASE k WHEN 'statement_timeout' THEN '30s'
				    WHEN 'lock_timeout' THEN '5s'
				    ELSE '60s' END;
		END IF;
		EXECUTE format('ALTER ROLE %I SET %I = %L', role_name, k, v);
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION sgz.user_timeouts(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION sgz.user_add(role_name text, scope_code text, user_kind text)
RETURNS text
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
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE sgz_users', role_name);
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
	PERFORM sgz.user_timeouts(role_name);
	INSERT INTO sgz.user_scope AS u (role, kind, scope)
	VALUES (role_name, user_kind, scope_code)
	ON CONFLICT (role) DO UPDATE SET kind = EXCLUDED.kind, scope = EXCLUDED.scope,
		added_on = now(), added_by = session_user
	 WHERE (u.kind, u.scope) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.scope);
	RETURN CASE WHEN created THEN 'created' ELSE 'updated' END;
END
$$;

-- The users sgz has today get them too.
DO $$
DECLARE
	u text;
BEGIN
	FOR u IN SELECT s.role FROM sgz.user_scope s
		   JOIN pg_roles r ON r.rolname = s.role
		  WHERE pg_has_role(r.oid, 'sgz_users', 'MEMBER') AND NOT r.rolsuper
		    AND NOT r.rolcreaterole LOOP
		PERFORM sgz.user_timeouts(u);
	END LOOP;
END
$$;
