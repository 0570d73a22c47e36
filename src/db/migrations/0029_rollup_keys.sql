-- 0029: the roll-up (0022, 0024) after 0025, and from now on whatever
-- keys a migration adds.
--
-- 0025 gave every evaluation a number of its own (an identity, which
-- evaluation_score names by a foreign key) and took the evaluation's
-- primary key away: a published table without a replica identity refuses
-- every update and delete on the province, and two provinces' evaluation
-- numbers collide on the roll-up. So sgz.rollup_publish() now finds in
-- the catalogue what 0022 and 0024 listed by hand:
--   * every identity of the schema's tables (the trail's aside, which is
--     not published) is moved into the province's range, with the columns
--     that name its values: the foreign keys to it (dropped, moved with it
--     and made again, checked) and the columns named *_pid (bigint) and
--     *_pids (bigint[]), sgz's names for a person or a row by its number;
--     all ranges are the same, so a column moves whatever it names;
--   * a published table without a primary key gets a replica identity:
--     a unique index whose columns are all NOT NULL (evaluation: its id),
--     else its whole row (FULL), on the province and on the roll-up
--     (sgz.rollup_subscriber(), which `sgz rollup add` runs);
-- and it runs each time (moving nothing, once moved). `sgz migrate` runs
-- it on a province after the migrations it applied, and
-- sgz.rollup_subscriber() on a roll-up (cmd_migrate.c), so that a
-- migration that adds a key or drops a primary key is put right at once.
--
-- 0025's tables on the roll-up: the programmes (the contracts report reads
-- their cycle), the evaluations' scores, the payments and the
-- submissions, each of a division; the indicator sets stay each
-- database's own, like the settings (reference data, keyed by a code).
-- The trainings are published now (0026's training report reads them),
-- which 0024 kept back for their key, the title and the first day: a
-- course recorded in two provinces under the same title on the same day
-- stops the second one's subscription on the roll-up until one of them
-- is renamed (sgz(7)).

CREATE OR REPLACE FUNCTION sgz.rollup_tables() RETURNS regclass[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp AS $$
	SELECT ARRAY['sgz.station', 'sgz.service_point', 'sgz.staff', 'sgz.volunteer',
		     'sgz.activity', 'sgz.hours', 'sgz.hours_year_total', 'sgz.recipient',
		     'sgz.case_file', 'sgz.visit', 'sgz.contract', 'sgz.evaluation',
		     'sgz.plan', 'sgz.community_org', 'sgz.outreach_visit', 'sgz.supervision',
		     'sgz.resource', 'sgz.training', 'sgz.programme', 'sgz.evaluation_score',
		     'sgz.payment', 'sgz.submission']::regclass[]
$$;

-- A replica identity for every published table without a primary key, on
-- a province (for its updates and deletes to be published) and on a
-- roll-up (for them to find their rows): a unique index whose columns are
-- all NOT NULL, else the whole row.
CREATE FUNCTION sgz.rollup_identities() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rec record;
BEGIN
	FOR rec IN
		SELECT c.oid::regclass AS tab,
		       (SELECT i.indexrelid::regclass FROM pg_index i
			 WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate
			   AND i.indpred IS NULL AND i.indexprs IS NULL AND NOT i.indnullsnotdistinct
			   AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a
					    ON a.attrelid = c.oid AND a.attnum = k WHERE NOT a.attnotnull)
			 ORDER BY i.indnatts, i.indexrelid LIMIT 1) AS idx
		  FROM pg_class c
		 WHERE c.oid = ANY (sgz.rollup_tables()) AND c.relreplident = 'd'
		   AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
	LOOP
		IF rec.idx IS NOT NULL THEN
			EXECUTE format('ALTER TABLE %s REPLICA IDENTITY USING INDEX %I', rec.tab,
				       (SELECT relname FROM pg_class WHERE oid = rec.idx));
		ELSE
			EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', rec.tab);
		END IF;
	END LOOP;

END
$$;
REVOKE ALL ON FUNCTION sgz.rollup_identities() FROM PUBLIC;

CREATE OR REPLACE FUNCTION sgz.rollup_publish(province text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	node sgz.rollup_node;
	off bigint;
	rec record;
	n bigint;
	tables text := (SELECT string_agg(x::text, ', ') FROM unnest(sgz.rollup_tables()) x);
	touched regclass[];
	fk_tab regclass[];
	fk_name text[];
	fk_def text[];
	fk_cols text[];
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
	   OR EXISTS (SELECT 1 FROM sgz.community_org o WHERE NOT starts_with(o.community, province))
	   OR EXISTS (SELECT 1 FROM sgz.programme p WHERE NOT starts_with(p.purchaser, province))
	   OR EXISTS (SELECT 1 FROM sgz.submission s WHERE NOT starts_with(s.division, province)) THEN
		RAISE EXCEPTION 'this database holds records outside province %', province
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;

	PERFORM sgz.rollup_identities();

	-- The numbers below the ranges moved into the province's: no trigger
	-- fires (no row_version, no trail of a renumbering, no attendee list
	-- read again), the foreign keys to an identity made again after.
	touched := ARRAY(
		SELECT DISTINCT c.oid::regclass
		  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		 WHERE s.nspname = 'sgz' AND c.relkind IN ('r', 'p') AND c.relname <> 'audit'
		   AND (a.attidentity <> ''
			OR (a.attname ~ '_pid$' AND a.atttypid = 'bigint'::regtype)
			OR (a.attname ~ '_pids$' AND a.atttypid = 'bigint[]'::regtype)));
	SELECT array_agg(f.conrelid::regclass ORDER BY f.oid), array_agg(f.conname::text ORDER BY f.oid),
	       array_agg(pg_get_constraintdef(f.oid) ORDER BY f.oid)
	  INTO fk_tab, fk_name, fk_def
	  FROM pg_constraint f
	 WHERE f.contype = 'f' AND f.confrelid = ANY (touched)
	   AND EXISTS (SELECT 1 FROM unnest(f.confkey) k JOIN pg_attribute a
			ON a.attrelid = f.confrelid AND a.attnum = k WHERE a.attidentity <> '');
	-- their columns, as table.column
	fk_cols := ARRAY(
		SELECT DISTINCT f.conrelid::regclass::text || '.' || a.attname
		  FROM pg_constraint f, unnest(f.conkey) k, pg_attribute a
		 WHERE f.contype = 'f' AND f.confrelid = ANY (touched)
		   AND a.attrelid = f.conrelid AND a.attnum = k
		   AND EXISTS (SELECT 1 FROM unnest(f.confkey) k2 JOIN pg_attribute b
				ON b.attrelid = f.confrelid AND b.attnum = k2 WHERE b.attidentity <> ''));
	FOR i IN 1 .. coalesce(array_length(fk_tab, 1), 0) LOOP
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk_tab[i], fk_name[i]);
		touched := touched || fk_tab[i];
	END LOOP;
	FOR i IN 1 .. coalesce(array_length(touched, 1), 0) LOOP
		EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', touched[i]);
	END LOOP;
	FOR rec IN
		SELECT c.oid::regclass AS tab, a.attname::text AS col
		  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		 WHERE c.oid = ANY (touched) AND a.attidentity <> '' AND NOT a.attisdropped
	LOOP
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED BY DEFAULT', rec.tab, rec.col);
		EXECUTE format('UPDATE %s SET %I = %I + $1 WHERE %I < 10000000000', rec.tab, rec.col, rec.col, rec.col)
			USING off;
		EXECUTE format('SELECT count(*) FROM %s WHERE %I NOT BETWEEN $1 + 1 AND $1 + 9999999999',
			       rec.tab, rec.col) INTO n USING off;
		IF n > 0 THEN
			RAISE EXCEPTION 'this database holds records outside province %', province
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		EXECUTE format('SELECT coalesce(max(%I), $1) + 1 FROM %s', rec.col, rec.tab) INTO n USING off;
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET GENERATED ALWAYS '
			       'SET MINVALUE %s SET MAXVALUE %s SET START WITH %s RESTART',
			       rec.tab, rec.col, off + 1, off + 9999999999, n);
	END LOOP;
	-- the columns that name those numbers: by name, and by foreign key
	FOR rec IN
		SELECT c.oid::regclass AS tab, a.attname::text AS col, a.atttypid = 'bigint[]'::regtype AS arr
		  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		 WHERE c.oid = ANY (touched) AND a.attidentity = '' AND NOT a.attisdropped
		   AND ((a.attname ~ '_pid$' AND a.atttypid = 'bigint'::regtype)
			OR (a.attname ~ '_pids$' AND a.atttypid = 'bigint[]'::regtype))
		UNION
		SELECT c.oid::regclass, a.attname::text, false
		  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		 WHERE c.oid::regclass::text || '.' || a.attname = ANY (fk_cols)
		   AND NOT (a.attname ~ '_pid$' AND a.atttypid = 'bigint'::regtype)
	LOOP
		IF rec.arr THEN
			EXECUTE format('UPDATE %1$s SET %2$I = ARRAY(SELECT CASE WHEN p < 10000000000 '
				       'THEN p + $1 ELSE p END FROM unnest(%2$I) WITH ORDINALITY AS u(p, i) ORDER BY i) '
				       'WHERE EXISTS (SELECT 1 FROM unnest(%2$I) p WHERE p < 10000000000)',
				       rec.tab, rec.col) USING off;
		ELSE
			EXECUTE format('UPDATE %s SET %I = %I + $1 WHERE %I < 10000000000',
				       rec.tab, rec.col, rec.col, rec.col) USING off;
		END IF;
	END LOOP;
	FOR i IN 1 .. coalesce(array_length(touched, 1), 0) LOOP
		EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', touched[i]);
	END LOOP;
	FOR i IN 1 .. coalesce(array_length(fk_tab, 1), 0) LOOP
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk_tab[i], fk_name[i], fk_def[i]);
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

-- A roll-up: its subscribed tables refuse writes (0022), and have the
-- replica identities the provinces publish by.
CREATE OR REPLACE FUNCTION sgz.rollup_subscriber() RETURNS void
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
	PERFORM sgz.rollup_identities();
	FOREACH t IN ARRAY sgz.rollup_tables() LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = 'rollup_read_only') THEN
			EXECUTE format('CREATE TRIGGER rollup_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE '
				       'ON %s FOR EACH STATEMENT EXECUTE FUNCTION sgz.rollup_refuse()', t);
		END IF;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION sgz.rollup_subscriber() FROM PUBLIC;
