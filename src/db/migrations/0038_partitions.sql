-- 0038: the hours, the visits and the audit trail partitioned by calendar
-- year (issue 15, sgz(7)): declarative range partitions on service_date,
-- visit_date and at (a year of the trail runs from 1 January 00:00 in
-- China, Asia/Shanghai), one partition a year, named TABLE_YYYY, and a
-- DEFAULT partition, TABLE_default, that takes a row of a year without
-- its own, so that nothing typed is ever refused for want of a partition.
-- The partitions run from the first year of the rows, or ten years back
-- (the history a new database is given by imports), to next year.
-- `sgz migrate` (sgz.partitions_ahead()) adds the partitions of the years
-- from the first to the next, and moves any rows the default holds into
-- their own year's new partition.
--
-- Each table is made again from the catalogue as it is now, whatever
-- earlier migrations made of it: the old one is moved aside to the schema
-- sgz_unpartitioned, the new one made LIKE it (defaults, identity,
-- storage, comments, CHECKs), its rows copied, then from the old one's
-- catalogue entries: its unique keys and primary key (a key of a
-- partitioned table must hold the partition column: hours_key,
-- hours_pid_key and visit_pkey do; the trail's primary key (id) becomes
-- (id, at), the identity still numbering every entry once), foreign keys,
-- indexes, triggers (their enabled state too), row-level security and its
-- policies, the grants of the table and of its columns (0017), owner,
-- comment, replica identity (on each partition too: a published partition
-- is read by its own), and membership of publications (published through
-- the root, publish_via_partition_root). Every view, SQL function (BEGIN
-- ATOMIC) and policy of another table that depends on it (pg_depend) is
-- restated from its current definition (pg_get_viewdef,
-- pg_get_functiondef, pg_policy) with the old table's schema replaced, so
-- each keeps its identity, grants and dependents. The old table is then
-- dropped without CASCADE: anything still depending on it fails the
-- migration.
--
-- A partition is reached only through its root: it has no grants (the
-- root's do not reach it) and row-level security enabled with no policy,
-- so a role other than the owner reads and writes no partition directly.
--
-- On a roll-up the published tables' rows are not copied: the provinces'
-- subscriptions copy them again when refreshed (`sgz rollup add`, which
-- `sgz migrate` says to run on a roll-up).

-- The first instant of year Y for a partition column of type TYP, as SQL:
-- a date, or midnight of 1 January in China for a timestamptz.
CREATE FUNCTION sgz.partition_bound(typ regtype, y integer) RETURNS text
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
	SELECT CASE WHEN typ = 'date'::regtype THEN quote_literal(make_date(y, 1, 1)::text)
		    ELSE quote_literal(to_char(make_timestamptz(y, 1, 1, 0, 0, 0, 'Asia/Shanghai')
						 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00')
	       END;
END;
REVOKE ALL ON FUNCTION sgz.partition_bound(regtype, integer) FROM PUBLIC;

-- The year of a partition column's value, as an SQL expression over COL.
CREATE FUNCTION sgz.partition_year_sql(typ regtype, col name) RETURNS text
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
	SELECT CASE WHEN typ = 'date'::regtype THEN format('extract(year FROM %I)::integer', col)
		    ELSE format('extract(year FROM %I AT TIME ZONE ''Asia/Shanghai'')::integer', col)
	       END;
END;
REVOKE ALL ON FUNCTION sgz.partition_year_sql(regtype, name) FROM PUBLIC;

-- A partition just made: its owner the root's, row-level security on with
-- no policy and no grants (reached only through the root), the root's
-- replica identity, and its indexes named after the root's with the
-- partition's year (hours_key_2025, audit_pkey_default), as plans show them.
CREATE FUNCTION sgz.partition_dress(root regclass, part regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	ident "char" := (SELECT relreplident FROM pg_class WHERE oid = root);
	suffix text := substr((SELECT relname FROM pg_class WHERE oid = part),
			      length((SELECT relname FROM pg_class WHERE oid = root)) + 2);
	idx text;
	rec record;
BEGIN
	FOR rec IN SELECT c.relname AS have, r.relname || '_' || suffix AS want,
			  n.nspname
		     FROM pg_index pi JOIN pg_class c ON c.oid = pi.indexrelid
		     JOIN pg_namespace n ON n.oid = c.relnamespace
		     JOIN pg_inherits h ON h.inhrelid = pi.indexrelid
		     JOIN pg_class r ON r.oid = h.inhparent
		    WHERE pi.indrelid = part AND c.relname <> r.relname || '_' || suffix
	LOOP
		EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', rec.nspname, rec.have, rec.want);
	END LOOP;
	EXECUTE format('ALTER TABLE %s OWNER TO %I', part,
		       (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = root));
	EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', part);
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
	IF ident = 'f' THEN
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', part);
	ELSIF ident = 'n' THEN
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY NOTHING', part);
	ELSIF ident = 'i' THEN
		SELECT c.relname INTO idx
		  FROM pg_index ri JOIN pg_inherits h ON h.inhparent = ri.indexrelid
		  JOIN pg_class c ON c.oid = h.inhrelid
		  JOIN pg_index pi ON pi.indexrelid = c.oid AND pi.indrelid = part
		 WHERE ri.indrelid = root AND ri.indisreplident;
		EXECUTE format('ALTER TABLE %s REPLICA IDENTITY USING INDEX %I', part, idx);
	END IF;
END
$$;
REVOKE ALL ON FUNCTION sgz.partition_dress(regclass, regclass) FROM PUBLIC;

-- Year Y's partition of ROOT, made if missing; the rows of that year the
-- default partition holds are moved into it (the default detached, the
-- partition made and filled apart, then both attached: no trigger fires,
-- nothing is written to the trail, all in the caller's transaction).
-- True when it was made.
CREATE FUNCTION sgz.partition_add(root regclass, y integer) RETURNS boolean
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
REVOKE ALL ON FUNCTION sgz.partition_add(regclass, integer) FROM PUBLIC;

-- The partitions ahead, run by `sgz migrate`: for each table of the schema
-- partitioned by range (the hours, the visits, the trail), a partition for
-- every year from its first (the earliest of its partitions, or ten years
-- ago: the history a new database is given by imports) to the next, and
-- one for each year the default
-- partition holds rows of, those rows moved into it. Locks each table
-- while it works (a quiet hour; once a year is enough). The number of
-- partitions made.
CREATE FUNCTION sgz.partitions_ahead() RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
	y integer;
	n integer := 0;
	this_year integer := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer;
	first integer;
	def regclass;
	typ regtype;
	stray integer[];
BEGIN
	IF NOT (sgz.as_owner() OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
		RAISE EXCEPTION 'only the owner of the schema or a superuser may add partitions'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	FOR r IN SELECT c.oid::regclass AS root, a.attname AS col, c.relname, n.nspname
		   FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
		   JOIN pg_namespace n ON n.oid = c.relnamespace
		   JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
		  WHERE n.nspname = 'sgz' AND NOT c.relispartition AND p.partstrat = 'r'
		ORDER BY c.relname
	LOOP
		SELECT least(min(substr(k.relname, length(r.relname) + 2)::integer), this_year - 10)
		  INTO first
		  FROM pg_inherits h JOIN pg_class k ON k.oid = h.inhrelid
		 WHERE h.inhparent = r.root AND k.relname ~ ('^' || r.relname || '_[0-9]{4}$');
		first := coalesce(first, this_year - 10);
		stray := '{}';
		def := to_regclass(format('%I.%I', r.nspname, r.relname || '_default'));
		IF def IS NOT NULL THEN
			typ := (SELECT atttypid FROM pg_attribute WHERE attrelid = r.root AND attname = r.col);
			EXECUTE format('SELECT coalesce(array_agg(DISTINCT %s), ''{}'') FROM %s',
				       sgz.partition_year_sql(typ, r.col), def) INTO stray;
			first := least(first, (SELECT min(s) FROM unnest(stray) s));
		END IF;
		FOR y IN SELECT g FROM generate_series(first, this_year + 1) g
			 UNION SELECT s FROM unnest(stray) s ORDER BY 1
		LOOP
			IF sgz.partition_add(r.root, y) THEN
				n := n + 1;
			END IF;
		END LOOP;
	END LOOP;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION sgz.partitions_ahead() FROM PUBLIC;

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
SELECT pg_temp.partition_table('hours', 'service_date');
SELECT pg_temp.partition_table('visit', 'visit_date');
SELECT pg_temp.partition_table('audit', 'at');
DROP SCHEMA sgz_unpartitioned;
DROP FUNCTION pg_temp.partition_table(name, name);

-- A published table's partitions have the root's replica identity, on a
-- province and on a roll-up (0029's sgz.rollup_identities(), restated
-- from the catalogue with the partitions of each table added).
DO $$
DECLARE
	def text := pg_get_functiondef('sgz.rollup_identities()'::regprocedure);
	was text := 'WHERE c.oid = ANY (sgz.rollup_tables())';
BEGIN
	IF position(was IN def) = 0 THEN
		RAISE EXCEPTION '% cannot be partitioned by year: %', 'rollup_identities', 'the function is not as 0029 made it';
	END IF;
	EXECUTE replace(def, was, 'WHERE (c.oid = ANY (sgz.rollup_tables()) OR c.oid IN (SELECT t.relid '
			'FROM unnest(sgz.rollup_tables()) r, pg_partition_tree(r) t))');
END
$$;
