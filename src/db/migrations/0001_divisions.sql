-- 0001: the schema, shared helpers, and administrative divisions.
--
-- Division codes are the 12-digit statistical codes PP CC DD TTT VVV; level
-- and parent follow from the code alone. Prefecture-level cities without
-- counties (东莞 441900, 中山 442000, 儋州 460400) have townships whose county
-- segment is 00: their parent is the prefecture.

CREATE SCHEMA IF NOT EXISTS sgz;

CREATE FUNCTION sgz.division_code_valid(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT code ~ '^[0-9]{12}$'
	   AND substr(code, 1, 2) <> '00'
	   AND (substr(code, 3, 2) <> '00' OR substr(code, 5) = '00000000')
	   AND (substr(code, 7, 3) <> '000' OR substr(code, 10) = '000')
	   AND (substr(code, 5, 2) <> '00' OR substr(code, 10) = '000')
$$;

CREATE FUNCTION sgz.division_level(code text) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT (CASE
		WHEN substr(code, 3) = '0000000000' THEN 1
		WHEN substr(code, 5) = '00000000' THEN 2
		WHEN substr(code, 7) = '000000' THEN 3
		WHEN substr(code, 10) = '000' THEN 4
		ELSE 5
	END)::smallint
$$;

-- Written out rather than over division_level() so that it stays a plain
-- expression: it runs for every row of a division import.
CREATE FUNCTION sgz.division_parent(code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE
		WHEN substr(code, 3) = '0000000000' THEN NULL
		WHEN substr(code, 5) = '00000000' THEN substr(code, 1, 2) || '0000000000'
		WHEN substr(code, 7) = '000000' THEN substr(code, 1, 4) || '00000000'
		WHEN substr(code, 10) = '000' THEN
			CASE WHEN substr(code, 5, 2) = '00'
			     THEN substr(code, 1, 4) || '00000000'
			     ELSE substr(code, 1, 6) || '000000' END
		ELSE substr(code, 1, 9) || '000'
	END
$$;

-- Optimistic concurrency: every editable table has row_version, bumped by
-- this trigger on every UPDATE (imports update only rows that change).
CREATE FUNCTION sgz.bump_row_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.row_version := OLD.row_version + 1;
	RETURN NEW;
END
$$;

CREATE TABLE sgz.division (
	code text PRIMARY KEY
		CONSTRAINT division_code_valid CHECK (sgz.division_code_valid(code)),
	name text NOT NULL
		CONSTRAINT division_name_valid
		CHECK (name <> '' AND length(name) <= 100 AND name !~ '[[:cntrl:]]'),
	level smallint NOT NULL GENERATED ALWAYS AS (sgz.division_level(code)) STORED,
	parent text GENERATED ALWAYS AS (sgz.division_parent(code)) STORED
		CONSTRAINT division_parent_exists REFERENCES sgz.division (code),
	-- NBS urban-rural classification of villages: 111 main urban area ...
	-- 220 village.
	urban_rural text
		CONSTRAINT division_urban_rural_valid
		CHECK (urban_rural IN ('111', '112', '121', '122', '123', '210', '220')),
	population integer CONSTRAINT division_population_valid CHECK (population >= 0),
	households integer CONSTRAINT division_households_valid CHECK (households >= 0),
	row_version integer NOT NULL DEFAULT 1
);

CREATE INDEX division_parent_idx ON sgz.division (parent, code);
CREATE INDEX division_name_idx ON sgz.division (name);

CREATE TRIGGER division_row_version BEFORE UPDATE ON sgz.division
	FOR EACH ROW
	EXECUTE FUNCTION sgz.bump_row_version();
