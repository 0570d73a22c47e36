-- 0036: indicator sets are shared reference data that every user reads and
-- admins and county users write. A county user changes a set only where
-- every programme naming it is a purchaser of his scope (another county's
-- programme keeps its sheet), and nobody changes the tree or the weights
-- of a set that has scored evaluations: their totals are sums of scores
-- within those weights, so a changed sheet is a new set. A name or the
-- guidance stays editable.

CREATE FUNCTION sgz.indicator_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	sets text[];
	fixed text[];
	r record;
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(DISTINCT n.indicator_set) INTO sets FROM new_rows n;
		fixed := sets;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(DISTINCT o.indicator_set) INTO sets FROM old_rows o;
		fixed := sets;
	ELSE
		SELECT array_agg(DISTINCT x.s) INTO sets
		  FROM (SELECT o.indicator_set FROM old_rows o
			UNION SELECT n.indicator_set FROM new_rows n) x(s);
		-- the tree or a weight changed: the rows (set, code, parent,
		-- weight) are not the same before and after
		SELECT array_agg(DISTINCT x.s) INTO fixed
		  FROM ((SELECT o.indicator_set, o.code, o.parent, o.weight FROM old_rows o
			 EXCEPT SELECT n.indicator_set, n.code, n.parent, n.weight FROM new_rows n)
			UNION
			(SELECT n.indicator_set, n.code, n.parent, n.weight FROM new_rows n
			 EXCEPT SELECT o.indicator_set, o.code, o.parent, o.weight FROM old_rows o))
		       x(s, c, p, w);
	END IF;
	SELECT p.indicator_set, p.code, p.purchaser INTO r FROM sgz.programme p
	 WHERE p.indicator_set = ANY (sets) AND NOT sgz.session_covers(p.purchaser)
	 ORDER BY p.indicator_set, p.code LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'indicator set % is used by programme % of %: outside your scope',
			r.indicator_set, r.code, r.purchaser
			USING ERRCODE = 'insufficient_privilege', COLUMN = 'indicator_set';
	END IF;
	IF fixed IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT s.set, coalesce(e.contract_no, e.station) AS what INTO r
	  FROM unnest(fixed) s(set)
	  CROSS JOIN LATERAL (SELECT es.contract_no, es.station FROM sgz.evaluation_score es
			       WHERE sgz.evaluation_set(es.contract_no, es.station) = s.set
			       ORDER BY es.evaluated_on, es.contract_no, es.station LIMIT 1) e
	 ORDER BY s.set LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'indicator set % has scored evaluations (%): its indicators are fixed; make a new set',
			r.set, r.what
			USING ERRCODE = 'check_violation', COLUMN = 'weight';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER indicator_guard_insert AFTER INSERT ON sgz.indicator
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_guard();
CREATE TRIGGER indicator_guard_update AFTER UPDATE ON sgz.indicator
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_guard();
CREATE TRIGGER indicator_guard_delete AFTER DELETE ON sgz.indicator
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sgz.indicator_guard();

REVOKE ALL ON FUNCTION sgz.indicator_guard() FROM PUBLIC;
