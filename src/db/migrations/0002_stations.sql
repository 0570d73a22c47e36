-- 0002: social work stations (乡镇(街道)社会工作服务站), one per township or
-- street (seeds 000 §3, 001, 003).

CREATE TABLE sgz.station (
	township text PRIMARY KEY
		CONSTRAINT station_township_exists REFERENCES sgz.division (code)
		CONSTRAINT station_township_level CHECK (sgz.division_level(township) = 4),
	name text NOT NULL
		CONSTRAINT station_name_valid
		CHECK (name <> '' AND length(name) <= 100 AND name !~ '[[:cntrl:]]'),
	batch_year smallint CONSTRAINT station_batch_year_valid CHECK (batch_year BETWEEN 2000 AND 2100),
	status text NOT NULL DEFAULT 'planned'
		CONSTRAINT station_status_valid
		CHECK (status IN ('planned', 'established', 'operating', 'suspended', 'closed')),
	established_on date,
	operation_mode text
		CONSTRAINT station_operation_mode_valid
		CHECK (operation_mode IN ('purchased', 'integrated', 'mixed')),
	-- Credit code of the undertaking organisation.
	organization text CONSTRAINT station_organization_valid CHECK (organization ~ '^[0-9A-HJ-NPQRTUW-Y]{18}$'),
	signage boolean,
	party_group boolean,
	facilities text[] NOT NULL DEFAULT '{}'
		CONSTRAINT station_facilities_valid
		CHECK (facilities <@ ARRAY['office', 'furniture', 'computer', 'printer',
					   'archive_cabinet', 'case_room', 'group_room']),
	site_tags text[] NOT NULL DEFAULT '{}'
		CONSTRAINT station_site_tags_valid
		CHECK (site_tags <@ ARRAY['relocation', 'border', 'urban', 'suburban',
					  'large_township', 'arterial']),
	row_version integer NOT NULL DEFAULT 1,
	-- rules.md: planned needs a batch year; any other status an established_on.
	CONSTRAINT station_planned_needs_batch_year
		CHECK (status <> 'planned' OR batch_year IS NOT NULL),
	CONSTRAINT station_established_needs_date
		CHECK (status = 'planned' OR established_on IS NOT NULL)
);

CREATE INDEX station_status_idx ON sgz.station (status, township);

-- The default name: {county name}{township name}社会工作服务站 (000 §3(5)).
CREATE FUNCTION sgz.station_default_name() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.name IS NULL OR NEW.name = '' THEN
		SELECT coalesce(c.name, '') || t.name || '社会工作服务站'
		  INTO NEW.name
		  FROM sgz.division t
		  LEFT JOIN sgz.division c ON c.code = t.parent AND c.level = 3
		 WHERE t.code = NEW.township;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER station_default_name BEFORE INSERT OR UPDATE ON sgz.station
	FOR EACH ROW EXECUTE FUNCTION sgz.station_default_name();

CREATE TRIGGER station_row_version BEFORE UPDATE ON sgz.station
	FOR EACH ROW
	EXECUTE FUNCTION sgz.bump_row_version();
