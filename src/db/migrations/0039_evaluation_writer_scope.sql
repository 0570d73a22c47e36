-- 0039: the writer of a stale evaluation sheet, told only within the
-- caller's scope. sgz.evaluation_sheet_writer() (0037) reads the trail as
-- its owner for any transactions it is given, so that anyone who may save
-- a sheet could ask who wrote any evaluation of any county, and when.
-- It now answers only from the trail's entries under the login's scope
-- prefix, as the trail's read policy has it (sgz.scope_low() and
-- scope_high() would not do: within a function of the owner they span
-- every scope, 0010). Outside it the save still says that the sheet
-- changed since it was opened, without a name.

CREATE OR REPLACE FUNCTION sgz.evaluation_sheet_writer(xids xid[], since timestamptz,
	OUT who text, OUT at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT a.who, a.at
	  FROM sgz.audit a
	 WHERE a.at >= since AND a.table_name IN ('evaluation', 'evaluation_score')
	   AND a.xact::xid = ANY (xids)
	   AND starts_with(a.division, (SELECT sgz.scope_prefix()))
	 ORDER BY a.at DESC, a.id DESC
	 LIMIT 1
$$;
