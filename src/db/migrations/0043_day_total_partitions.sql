-- 0043: the volunteers' day totals partitioned by year, and the
-- partitions of a new year made when an import brings it (issue 15).
--
-- sgz.hours_day_total (0010: one row per volunteer and day, kept by the
-- hours' triggers for the 24-hour rule) grows as the hours do (49 million
-- rows, 5.5 GB in ten years of a province): it is partitioned by the year
-- of service_date as 0038 partitioned the hours, by the same function made
-- again here (0038 dropped it): the table made again from the catalogue,
-- one partition a year named hours_day_total_YYYY and a default, its key
-- (volunteer, service_date) holding the partition column as it is, its
-- row-level security and policy, grants and owner kept, the old table
-- dropped without CASCADE. sgz.partitions_ahead() (`sgz migrate`) covers
-- every table of the schema partitioned by range: this one too.
--
-- A new year's partitions were made only by `sgz migrate`: until then an
-- import of that year's hours or visits went into the default partition,
-- which the next `sgz migrate` had to empty. sgz.partitions_for() makes
-- them on demand, for the import (sgz import hours|visits), before its own
-- transaction: as the owner, only partitions of the partitioned tables a
-- file of the hours or the visits writes (the day totals and the trail's
-- year with them), only of the years from 30 years back to next year (a
-- date beyond is refused by the rules or kept in the default). It takes
-- no lock when the partitions are there. Making one takes an ACCESS
-- EXCLUSIVE lock on the table and its default partition until the
-- function's transaction ends (PostgreSQL checks the default holds no row
-- of the new year, a scan of the default): every reader and writer of the
-- table waits for it, a few milliseconds with the default empty; it waits
-- itself for the statements running on the table, at most the session's
-- lock_timeout (sgz.ini's, 5 s by default; 2 s if none), and then fails,
-- the import going on without it.
--
-- sgz.partition_add() is made safe for two callers at once (two imports
-- of the same new year, or one and `sgz migrate`): the second waits for
-- the first, then finds the partition made.

-- Makes sgz.TAB partitioned by year on COL, as 0038's header says (0038's
-- function, unchanged).
-- Makes sgz.TAB partitioned by year on COL, as the header says.
CREATE FUNCTION pg_temp.partition_table(tab name, col name) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	old regclass;
	root regclass;
	cols text;
	rec record;
	def text;
	y integer;
	first integer;
	typ regtype;
	pubs text[];
	ident "char";
	ident_idx text;
	rollup boolean := coalesce((SELECT kind = 'rollup' FROM sgz.rollup_node), false);
	published boolean;
BEGIN
	old := format('sgz.%I', tab)::regclass;
	IF (SELECT relkind FROM pg_class WHERE oid = old) <> 'r' THEN
		RAISE EXCEPTION '% cannot be partitioned by year: %', tab, 'not a plain table';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = old) THEN
		RAISE EXCEPTION '% cannot be partitioned by year: %', tab, 'a foreign key refers to it';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite w ON d.classid = 'pg_rewrite'::regclass
				AND w.oid = d.objid JOIN pg_class v ON v.oid = w.ev_class
		    WHERE d.refobjid = old AND v.relkind = 'm') THEN
		RAISE EXCEPTION '% cannot be partitioned by year: %', tab, 'a materialized view reads it';
	END IF;
	published := old = ANY (sgz.rollup_tables());
	pubs := ARRAY(SELECT p.pubname::text FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
		       WHERE r.prrelid = old);
	ident := (SELECT relreplident FROM pg_class WHERE oid = old);
	ident_idx := (SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		       WHERE i.indrelid = old AND i.indisreplident);
	typ := (SELECT atttypid FROM pg_attribute WHERE attrelid = old AND attname = col);
	cols := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		  WHERE attrelid = old AND attnum > 0 AND NOT attisdropped);

	EXECUTE format('ALTER TABLE sgz.%I SET SCHEMA sgz_unpartitioned', tab);
	EXECUTE format('CREATE TABLE sgz.%I (LIKE sgz_unpartitioned.%I INCLUDING DEFAULTS INCLUDING IDENTITY '
		       'INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION '
		       'INCLUDING COMMENTS) PARTITION BY RANGE (%I)', tab, tab, col);
	root := format('sgz.%I', tab)::regclass;
	EXECUTE format('ALTER TABLE %s OWNER TO %I', root,
		       (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = old));
	EXECUTE format('COMMENT ON TABLE %s IS %L', root, obj_description(old, 'pg_class'));
	IF ident = 'f' THEN
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', root);
	ELSIF ident = 'n' THEN
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY NOTHING', root);
	END IF;
	-- the identity goes on from where it was
	FOR rec IN SELECT a.attname, pg_get_serial_sequence(format('sgz_unpartitioned.%I', tab), a.attname) AS o,
			  pg_get_serial_sequence(format('sgz.%I', tab), a.attname) AS n
		     FROM pg_attribute a WHERE a.attrelid = old AND a.attidentity <> ''
	LOOP
		EXECUTE format('SELECT setval(%L, last_value, is_called) FROM %s', rec.n, rec.o);
	END LOOP;

	-- the partitions: the default and the years of the rows (or ten years
	-- back) to next year
	EXECUTE format('CREATE TABLE sgz.%I PARTITION OF %s DEFAULT', tab || '_default', root);
	PERFORM sgz.partition_dress(root, format('sgz.%I', tab || '_default')::regclass);
	EXECUTE format('SELECT min(%s) FROM sgz_unpartitioned.%I', sgz.partition_year_sql(typ, col), tab)
		INTO first;
	first := least(coalesce(first, 9999), extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer - 10);
	FOR y IN first .. extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer + 1 LOOP
		PERFORM sgz.partition_add(root, y);
	END LOOP;

	IF NOT (rollup AND published) THEN
		EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM sgz_unpartitioned.%I',
			       root, cols, cols, tab);
	END IF;

	-- keys (with the partition column), foreign keys, other indexes
	FOR rec IN SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) AS d,
			  ARRAY(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a
				 ON a.attrelid = old AND a.attnum = k) AS keycols
		     FROM pg_constraint c WHERE c.conrelid = old AND c.contype IN ('p', 'u', 'f', 'x')
		    ORDER BY c.contype DESC, c.conname
	LOOP
		def := rec.d;
		IF rec.contype IN ('p', 'u') AND NOT col = ANY (rec.keycols) THEN
			def := regexp_replace(def, '^((PRIMARY KEY|UNIQUE)[^(]*\([^)]*)\)',
					      '\1, ' || quote_ident(col) || ')');
		END IF;
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', root, rec.conname,
			       replace(def, 'sgz_unpartitioned.', 'sgz.'));
	END LOOP;
	FOR rec IN SELECT pg_get_indexdef(i.indexrelid) AS d FROM pg_index i
		    WHERE i.indrelid = old
		      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
				       AND c.conrelid = old)
	LOOP
		EXECUTE replace(rec.d, 'sgz_unpartitioned.', 'sgz.');
	END LOOP;
	IF ident = 'i' THEN
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY USING INDEX %I', root, ident_idx);
	END IF;
	FOR rec IN SELECT h.inhrelid::regclass AS part FROM pg_inherits h WHERE h.inhparent = root LOOP
		PERFORM sgz.partition_dress(root, rec.part);
	END LOOP;

	-- triggers, as they were enabled
	FOR rec IN SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) AS d FROM pg_trigger t
		    WHERE t.tgrelid = old AND NOT t.tgisinternal ORDER BY t.tgname
	LOOP
		EXECUTE replace(rec.d, 'sgz_unpartitioned.', 'sgz.');
		IF rec.tgenabled = 'D' THEN
			EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', root, rec.tgname);
		ELSIF rec.tgenabled = 'R' THEN
			EXECUTE format('ALTER TABLE %s ENABLE REPLICA TRIGGER %I', root, rec.tgname);
		ELSIF rec.tgenabled = 'A' THEN
			EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', root, rec.tgname);
		END IF;
	END LOOP;

	-- row-level security and the policies
	IF (SELECT relrowsecurity FROM pg_class WHERE oid = old) THEN
		EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', root);
	END IF;
	IF (SELECT relforcerowsecurity FROM pg_class WHERE oid = old) THEN
		EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', root);
	END IF;
	FOR rec IN SELECT p.polname, p.polpermissive, p.polcmd,
			  CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
			       ELSE (SELECT string_agg(quote_ident(rolname), ', ') FROM pg_roles
				      WHERE oid = ANY (p.polroles)) END AS roles,
			  pg_get_expr(p.polqual, p.polrelid) AS qual,
			  pg_get_expr(p.polwithcheck, p.polrelid) AS wc
		     FROM pg_policy p WHERE p.polrelid = old ORDER BY p.polname
	LOOP
		EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', rec.polname, root,
			       CASE WHEN rec.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
			       CASE rec.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
				    WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
			       rec.roles,
			       CASE WHEN rec.qual IS NOT NULL
				    THEN ' USING (' || replace(rec.qual, 'sgz_unpartitioned.', 'sgz.') || ')' ELSE '' END,
			       CASE WHEN rec.wc IS NOT NULL
				    THEN ' WITH CHECK (' || replace(rec.wc, 'sgz_unpartitioned.', 'sgz.') || ')' ELSE '' END);
	END LOOP;

	-- grants of the table and of its columns
	FOR rec IN SELECT a.privilege_type, a.is_grantable,
			  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who
		     FROM pg_class c, aclexplode(c.relacl) a
		    WHERE c.oid = old AND a.grantee <> c.relowner
	LOOP
		EXECUTE format('GRANT %s ON %s TO %s%s', rec.privilege_type, root, rec.who,
			       CASE WHEN rec.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
	END LOOP;
	FOR rec IN SELECT t.attname, a.privilege_type, a.is_grantable,
			  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who
		     FROM pg_attribute t, aclexplode(t.attacl) a
		    WHERE t.attrelid = old AND t.attnum > 0 AND NOT t.attisdropped
	LOOP
		EXECUTE format('GRANT %s (%I) ON %s TO %s%s', rec.privilege_type, rec.attname, root, rec.who,
			       CASE WHEN rec.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
	END LOOP;

	-- what depends on the table: views, SQL functions, others' policies
	FOR rec IN SELECT DISTINCT v.oid::regclass AS v, v.reloptions
		     FROM pg_depend d JOIN pg_rewrite w ON d.classid = 'pg_rewrite'::regclass AND w.oid = d.objid
		     JOIN pg_class v ON v.oid = w.ev_class
		    WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = old AND v.oid <> old
	LOOP
		EXECUTE format('CREATE OR REPLACE VIEW %s%s AS %s', rec.v,
			       CASE WHEN rec.reloptions IS NOT NULL
				    THEN ' WITH (' || array_to_string(rec.reloptions, ', ') || ')' ELSE '' END,
			       replace(pg_get_viewdef(rec.v), 'sgz_unpartitioned.', 'sgz.'));
	END LOOP;
	FOR rec IN SELECT DISTINCT d.objid::regprocedure AS f
		     FROM pg_depend d
		    WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_class'::regclass
		      AND d.refobjid = old
	LOOP
		EXECUTE replace(pg_get_functiondef(rec.f), 'sgz_unpartitioned.', 'sgz.');
	END LOOP;
	FOR rec IN SELECT DISTINCT p.polname, p.polrelid::regclass AS t,
			  pg_get_expr(p.polqual, p.polrelid) AS qual,
			  pg_get_expr(p.polwithcheck, p.polrelid) AS wc
		     FROM pg_depend d JOIN pg_policy p ON d.classid = 'pg_policy'::regclass AND p.oid = d.objid
		    WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = old AND p.polrelid <> old
	LOOP
		EXECUTE format('ALTER POLICY %I ON %s%s%s', rec.polname, rec.t,
			       CASE WHEN rec.qual IS NOT NULL
				    THEN ' USING (' || replace(rec.qual, 'sgz_unpartitioned.', 'sgz.') || ')' ELSE '' END,
			       CASE WHEN rec.wc IS NOT NULL
				    THEN ' WITH CHECK (' || replace(rec.wc, 'sgz_unpartitioned.', 'sgz.') || ')' ELSE '' END);
	END LOOP;

	-- publications, through the root
	FOR y IN 1 .. coalesce(array_length(pubs, 1), 0) LOOP
		EXECUTE format('ALTER PUBLICATION %I SET (publish_via_partition_root = true)', pubs[y]);
		EXECUTE format('ALTER PUBLICATION %I ADD TABLE %s', pubs[y], root);
	END LOOP;

	-- nothing may still depend on the old table
	EXECUTE format('DROP TABLE sgz_unpartitioned.%I', tab);
	EXECUTE format('ANALYZE %s', root);
END
$$;

CREATE SCHEMA sgz_unpartitioned;
SELECT pg_temp.partition_table('hours_day_total', 'service_date');
DROP SCHEMA sgz_unpartitioned;
DROP FUNCTION pg_temp.partition_table(name, name);

-- Year Y's partition of ROOT, made if missing, as 0038's, with the
-- callers serialised: a caller that finds it missing takes the table's
-- SHARE UPDATE EXCLUSIVE lock (one such holder at a time; readers and
-- writers go on) and looks again before making it.
CREATE OR REPLACE FUNCTION sgz.partition_add(root regclass, y integer) RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	nsp text := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		      WHERE c.oid = root);
	rel text := (SELECT relname FROM pg_class WHERE oid = root);
	col name := (SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a
		      ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
		      WHERE p.partrelid = root AND p.partstrat = 'r' AND p.partnatts = 1);
	typ regtype;
	lo text;
	hi text;
	def regclass;
	part text;
	moved boolean;
BEGIN
	IF col IS NULL THEN
		RAISE EXCEPTION '% is not partitioned by year', root USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF y < 1900 OR y > 9998 THEN
		RAISE EXCEPTION 'year % is out of range', y USING ERRCODE = 'invalid_parameter_value';
	END IF;
	part := format('%I.%I', nsp, rel || '_' || y);
	IF to_regclass(part) IS NOT NULL THEN
		RETURN false;
	END IF;
	-- Another caller may be making it: wait for it, then look again (the
	-- lock taken, the catalogue is read afresh).
	EXECUTE format('LOCK TABLE %s IN SHARE UPDATE EXCLUSIVE MODE', root);
	IF to_regclass(part) IS NOT NULL THEN
		RETURN false;
	END IF;
	typ := (SELECT atttypid FROM pg_attribute WHERE attrelid = root AND attname = col);
	lo := sgz.partition_bound(typ, y);
	hi := sgz.partition_bound(typ, y + 1);
	def := to_regclass(format('%I.%I', nsp, rel || '_default'));
	IF def IS NOT NULL THEN
		EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %s AND %I < %s)',
			       def, col, lo, col, hi) INTO moved;
	END IF;
	IF moved THEN
		EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', root, def);
		EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS '
			       'INCLUDING STORAGE INCLUDING COMPRESSION)', part, root);
		EXECUTE format('INSERT INTO %s SELECT * FROM %s WHERE %I >= %s AND %I < %s',
			       part, def, col, lo, col, hi);
		EXECUTE format('DELETE FROM %s WHERE %I >= %s AND %I < %s', def, col, lo, col, hi);
		EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)',
			       root, part, lo, hi);
		EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', root, def);
	ELSE
		EXECUTE format('CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)',
			       part, root, lo, hi);
	END IF;
	PERFORM sgz.partition_dress(root, part::regclass);
	RETURN true;
END
$$;

-- The partitions the rows of a file of TAB ('hours' or 'visit') dated in
-- YEARS need, made if missing: TAB's, the day totals' with the hours', and
-- this year's of the trail, which the import writes. Years more than 30
-- back or after next year are left out (an hours record or a visit in the
-- future is refused; an older one waits in the default partition for
-- `sgz migrate`). For the import roles, before the import's transaction:
-- the number of partitions made. Each table in the order of its name, the
-- order `sgz migrate` takes them in.
CREATE FUNCTION sgz.partitions_for(tab text, years integer[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	this_year integer := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer;
	t text;
	y integer;
	n integer := 0;
BEGIN
	-- the session's lock_timeout (sgz.ini's, 5 s unless set), never none
	IF current_setting('lock_timeout') IN ('0', '0ms') THEN
		PERFORM set_config('lock_timeout', '2s', true);
	END IF;
	IF tab IS NULL OR tab NOT IN ('hours', 'visit') THEN
		RAISE EXCEPTION 'no partitions are made for %', tab USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR t IN SELECT u FROM unnest(CASE tab WHEN 'hours' THEN ARRAY['audit', 'hours', 'hours_day_total']
					       ELSE ARRAY['audit', 'visit'] END) u
		  WHERE (SELECT relkind FROM pg_class WHERE oid = to_regclass('sgz.' || u)) = 'p'
		 ORDER BY 1
	LOOP
		FOR y IN SELECT DISTINCT g FROM unnest(CASE WHEN t = 'audit' THEN ARRAY[this_year]
							    ELSE years END) g
			  WHERE g BETWEEN this_year - 30 AND this_year + 1 ORDER BY 1
		LOOP
			IF sgz.partition_add(format('sgz.%I', t)::regclass, y) THEN
				n := n + 1;
			END IF;
		END LOOP;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION sgz.partitions_for(text, integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sgz.partitions_for(text, integer[])
	TO sgz_admin, sgz_region, sgz_county, sgz_station;

-- The days an update or a delete of hours left at zero are deleted among
-- the partitions of the years the old rows span alone (0010's statement
-- with their first and last day added: a large statement hashes the
-- partitions it scans; a small one looks each day up in its own year's).
DO $$
DECLARE
	def text := pg_get_functiondef('sgz.hours_day_apply()'::regprocedure);
	was text := E'AND t.tenths = 0\n';
BEGIN
	IF position(was IN def) = 0 THEN
		RAISE EXCEPTION '% cannot be partitioned by year: %', 'hours_day_total', 'hours_day_apply() is not as 0010 made it';
	END IF;
	EXECUTE replace(def, was, E'AND t.tenths = 0\n\t\t\t   AND t.service_date BETWEEN (SELECT min(service_date) FROM old_rows)\n'
			|| E'\t\t\t\t\t\t  AND (SELECT max(service_date) FROM old_rows)\n');
END
$$;
