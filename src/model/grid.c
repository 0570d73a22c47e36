/* grid.c - the hours grid's model (grid.h): the rows stored for an
 * activity; the save, where the rows travel as text arrays and become the
 * `stage` the dictionary's checks of the hours entity (entities.c) are
 * written against, as on import. The checks, the lock and version check
 * of the stored rows the grid changes, their update or delete and the
 * insert of new rows are one statement, so a grid of any size is one
 * round trip and the triggers see all its rows. */
#include "config.h"

#include "sgz/grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/validate.h"

/* A text array literal of column col of rows: {"a","b",NULL}. */
static void add_array(struct strbuf *sb, const struct grid_row *rows, size_t n, int col)
{
	sb_addc(sb, '{');
	for (size_t i = 0; i < n; i++) {
		const char *v = col == 0   ? rows[i].volunteer
				: col == 1 ? rows[i].hours
				: col == 2 ? rows[i].note
				: col == 3 ? rows[i].version
					   : (rows[i].drop ? "t" : "f");
		if (i)
			sb_addc(sb, ',');
		if (!v || !*v) {
			sb_adds(sb, "NULL");
			continue;
		}
		sb_addc(sb, '"');
		for (; *v; v++) {
			if (*v == '"' || *v == '\\')
				sb_addc(sb, '\\');
			sb_addc(sb, *v);
		}
		sb_addc(sb, '"');
	}
	sb_addc(sb, '}');
}

/* One check of the dictionary as a branch of the issues: (line, column,
 * warning, message). */
static void add_check(struct strbuf *sb, const char *column, int warning, const char *sql)
{
	sb_addf(sb, "  UNION ALL SELECT c.l::integer, '%s', %d, c.m FROM (\n%s\n  ) c(l, m)\n",
		column, warning, sql);
}

char *grid_save_sql(void)
{
	const struct dict_entity *e = dict_find("hours");
	struct strbuf sql = {0};

	/* A dropped row stays in the stage with 0 hours: the checks of a
	 * volunteer's day then count neither it nor the stored row it
	 * replaces, and a new row of its volunteer is the same volunteer
	 * twice. */
	sb_adds(&sql,
		"WITH stage AS MATERIALIZED (\n"
		"  SELECT u.o::integer AS _line, u.v AS volunteer, l.pid AS volunteer_pid,\n"
		"         $5::text AS service_date,\n"
		"         $4::text AS station, nullif($6::text, '') AS activity,\n"
		"         CASE WHEN u.d THEN '0' ELSE u.h END AS hours,\n"
		"         CASE WHEN u.d THEN NULL ELSE u.n END AS note,\n"
		"         u.r::integer AS _version, coalesce(u.d, false) AS _drop\n"
		"    FROM unnest($1::text[], $2::text[], $3::text[], $7::text[], $8::boolean[])\n"
		"         WITH ORDINALITY AS u(v, h, n, r, d, o)\n"
		/* the volunteers by pid, as the checks compare them (0012) */
		"    LEFT JOIN sgz.person_lookup('volunteers', $1::text[]) l ON l.id_number = u.v),\n"
		/* the stored rows the grid changes or deletes, locked: a save
		 * of the same rows by someone else waits, and the versions
		 * compared below are the latest committed ones and stay so */
		"locked AS MATERIALIZED (\n"
		"  SELECT t.volunteer, t.row_version, t.hours FROM sgz.hours t\n"
		"   WHERE t.station = $4::text AND t.service_date = $5::date\n"
		"     AND t.activity IS NOT DISTINCT FROM nullif($6::text, '')\n"
		"     AND t.volunteer IN (SELECT s.volunteer FROM stage s\n"
		"                          WHERE s._version IS NOT NULL)\n"
		"     FOR UPDATE),\n"
		"issues AS MATERIALIZED (\n"
		"  SELECT _line AS line, 'volunteer'::text AS col, 0 AS warn,\n"
		"         format('the same volunteer as row %s: each row needs its own', first)\n"
		"           AS msg\n"
		"    FROM (SELECT _line, min(_line) OVER (PARTITION BY volunteer) AS first\n"
		"            FROM stage) x WHERE _line <> first\n"
		"  UNION ALL SELECT s._line, 'row_version', 0, CASE WHEN l.volunteer IS NULL\n"
		"         THEN 'deleted by someone else since the grid opened'\n"
		"         ELSE format('changed by someone else since the grid opened: %s h now',\n"
		"                     l.hours) END\n"
		"    FROM stage s LEFT JOIN locked l ON l.volunteer = s.volunteer\n"
		"   WHERE s._version IS NOT NULL AND NOT (s._drop AND l.volunteer IS NULL)\n"
		"     AND (l.volunteer IS NULL OR l.row_version <> s._version)\n"
		"  UNION ALL SELECT s._line, 'row_version', 0,\n"
		"         format('%s h stored by someone else since the grid opened', t.hours)\n"
		"    FROM stage s JOIN sgz.hours t ON t.volunteer = s.volunteer\n"
		"         AND t.service_date = s.service_date::date AND t.station = s.station\n"
		"         AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"   WHERE s._version IS NULL\n"
		"  UNION ALL SELECT s._line, 'station', 0, CASE WHEN p.prefix IS NULL\n"
		"         THEN 'you have no scope in this database: ask an administrator "
		"(sgz user add)'\n"
		"         ELSE format('%s is outside your scope (%s)', s.station, p.prefix) END\n"
		"    FROM stage s CROSS JOIN (SELECT sgz.scope_prefix() AS prefix OFFSET 0) p\n"
		"   WHERE p.prefix IS NULL OR s.station NOT LIKE p.prefix || '%'\n");
	for (size_t i = 0; e && i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		char *q;
		if (!f->ref_table || f->type == DT_DIVISIONS)
			continue;
		q = xasprintf("SELECT s._line, format('%%s does not exist: %s', s.%s)\n"
			      "  FROM stage s WHERE s.%s IS NOT NULL\n"
			      "   AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = s.%s)",
			      f->ref_hint ? f->ref_hint : "", f->column, f->column, f->ref_table,
			      f->ref_column, f->column);
		add_check(&sql, f->column, 0, q);
		free(q);
	}
	for (const struct dict_check *c = e ? e->checks : NULL; c && c->sql; c++)
		add_check(&sql, c->column, c->warning, c->sql);
	sb_adds(&sql,
		"),\n"
		"ok AS (SELECT NOT EXISTS (SELECT 1 FROM issues WHERE warn = 0) AS go),\n"
		"changed AS (\n"
		"  UPDATE sgz.hours t SET (hours, note) = ROW(s.hours::numeric, s.note)\n"
		"    FROM stage s, ok\n"
		"   WHERE ok.go AND s._version IS NOT NULL AND NOT s._drop\n"
		"     AND t.volunteer = s.volunteer AND t.service_date = s.service_date::date\n"
		"     AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"     AND t.row_version = s._version\n"
		"     AND (t.hours, t.note) IS DISTINCT FROM (s.hours::numeric, s.note)\n"
		"  RETURNING 1),\n"
		"removed AS (\n"
		"  DELETE FROM sgz.hours t USING stage s, ok\n"
		"   WHERE ok.go AND s._drop\n"
		"     AND t.volunteer = s.volunteer AND t.service_date = s.service_date::date\n"
		"     AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"     AND t.row_version = s._version\n"
		"  RETURNING 1),\n"
		"added AS (\n"
		"  INSERT INTO sgz.hours (volunteer, service_date, station, activity, hours, note)\n"
		"  SELECT s.volunteer, s.service_date::date, s.station, s.activity, s.hours::numeric,\n"
		"         s.note\n"
		"    FROM stage s, ok\n"
		"   WHERE ok.go AND s._version IS NULL\n"
		"  RETURNING 1)\n"
		"SELECT line, col, warn, msg, NULL::integer, NULL::integer, NULL::integer FROM issues\n"
		"UNION ALL SELECT NULL, NULL, 0, NULL, (SELECT count(*) FROM added)::integer,\n"
		"                 (SELECT count(*) FROM changed)::integer,\n"
		"                 (SELECT count(*) FROM removed)::integer\n"
		"ORDER BY 1 NULLS LAST, 3");
	return sb_detach(&sql);
}

/* The row a message of the database is about: the first row whose
 * volunteer it names. */
static long row_named(const struct grid_row *rows, size_t n, const char *msg)
{
	for (size_t i = 0; msg && i < n; i++)
		if (rows[i].volunteer && *rows[i].volunteer && strstr(msg, rows[i].volunteer))
			return (long)i;
	return -1;
}

#define NARRAYS 5

enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err)
{
	struct strbuf a[NARRAYS] = {{0}, {0}, {0}, {0}, {0}};
	const char *params[8];
	char *sql;
	PGresult *r;
	enum grid_rc rc = GRID_OK;

	memset(res, 0, sizeof(*res));
	res->row = -1;
	res->dup_of = -1;
	for (int c = 0; c < NARRAYS; c++)
		add_array(&a[c], rows, n, c);
	params[0] = sb_str(&a[0]);
	params[1] = sb_str(&a[1]);
	params[2] = sb_str(&a[2]);
	params[3] = station;
	params[4] = date;
	params[5] = activity ? activity : "";
	params[6] = sb_str(&a[3]);
	params[7] = sb_str(&a[4]);
	sql = grid_save_sql();
	r = db_query(db, sql, 8, params, err);
	if (!r) {
		if (err->status != SGZ_EDATA || err->conn_lost) {
			rc = GRID_FAILED;
			goto out;
		}
		/* a trigger or a constraint: the row and the field its message names */
		res->row = row_named(rows, n, err->msg);
		if (strstr(err->msg, "hours_key")) {
			/* stored by someone else after the check above looked */
			snprintf(res->column, sizeof(res->column), "row_version");
			sgz_err_set(err, SGZ_EDATA,
				    "hours stored by someone else since the grid opened");
			rc = GRID_CONFLICT;
			goto out;
		}
		snprintf(res->column, sizeof(res->column), "%s",
			 strstr(err->msg, "add up to")	      ? "hours"
			 : strstr(err->msg, "not registered") ? "volunteer"
			 : strstr(err->msg, "hours of")	      ? "service_date"
							      : "hours");
		rc = GRID_REFUSED;
		goto out;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *col = PQgetvalue(r, i, 1), *msg = PQgetvalue(r, i, 3);
		if (PQgetisnull(r, i, 0)) {
			res->added = (size_t)atol(PQgetvalue(r, i, 4));
			res->changed = (size_t)atol(PQgetvalue(r, i, 5));
			res->deleted = (size_t)atol(PQgetvalue(r, i, 6));
		} else if (atoi(PQgetvalue(r, i, 2))) {
			if (!res->warning[0])
				snprintf(res->warning, sizeof(res->warning), "%s", msg);
		} else if (rc == GRID_OK) {
			rc = strcmp(col, "row_version") == 0 ? GRID_CONFLICT : GRID_REFUSED;
			res->row = atol(PQgetvalue(r, i, 0)) - 1;
			snprintf(res->column, sizeof(res->column), "%s", col);
			sgz_err_set(err, SGZ_EDATA, "%s", msg);
			if (sscanf(msg, "the same volunteer as row %ld", &res->dup_of) == 1)
				res->dup_of--;
		} else if (rc == GRID_REFUSED && strcmp(col, "row_version") == 0) {
			/* a conflict anywhere outweighs a refusal: the rows are
			 * loaded again before anything else is worth fixing */
			rc = GRID_CONFLICT;
			res->row = atol(PQgetvalue(r, i, 0)) - 1;
			res->dup_of = -1;
			snprintf(res->column, sizeof(res->column), "%s", col);
			sgz_err_set(err, SGZ_EDATA, "%s", msg);
		}
	}
	if (rc != GRID_OK)
		res->added = res->changed = res->deleted = 0;
	res->saved = res->added + res->changed + res->deleted;
out:
	PQclear(r);
	free(sql);
	for (int c = 0; c < NARRAYS; c++)
		sb_free(&a[c]);
	return rc;
}

int grid_stored(struct db *db, const char *station, const char *date, const char *activity,
		bool audit, int (*fn)(void *arg, const struct grid_stored_row *row), void *arg,
		struct sgz_err *err)
{
	const struct dict_entity *ve = dict_find("volunteers");
	const char *params[5] = {station, date, activity ? activity : "", audit ? "t" : "f",
				 ve ? ve->name : "volunteers"};
	struct strbuf hours = {0};
	struct sgz_err perr;
	PGresult *r;
	int rc = 0;

	/* the reveal is filed in the statement that reads the numbers: none
	 * reaches an admin's screen unrecorded */
	r = db_query(db,
		     "SELECT h.volunteer, v.name, h.hours::text, h.note, h.row_version::text,\n"
		     "       CASE WHEN $4::boolean THEN sgz.audit_event('open', 'sgz.volunteer',\n"
		     "            jsonb_build_object('entity', $5::text, 'key', h.volunteer,\n"
		     "                               'shown', 'hours grid'), h.station) END\n"
		     "  FROM sgz.hours h LEFT JOIN sgz.volunteer v ON v.id_number = h.volunteer\n"
		     " WHERE h.station = $1 AND h.service_date = $2::date\n"
		     "   AND h.activity IS NOT DISTINCT FROM nullif($3::text, '')\n"
		     " ORDER BY h.volunteer",
		     5, params, err);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		struct grid_stored_row row = {
		    .volunteer = PQgetvalue(r, i, 0),
		    .name = PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1),
		    .hours = PQgetvalue(r, i, 2),
		    .note = PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3),
		    .version = PQgetvalue(r, i, 4),
		};
		/* as typed hours are: 4.0 is 4 */
		sgz_err_clear(&perr);
		if (hours_normalize(row.hours, &hours, &perr) == 0)
			row.hours = sb_str(&hours);
		rc = fn(arg, &row);
	}
	sb_free(&hours);
	PQclear(r);
	return 0;
}

int grid_audit_reveal(struct db *db, const char *station, const char *const *ids, size_t n,
		      struct sgz_err *err)
{
	const struct dict_entity *ve = dict_find("volunteers");
	struct grid_row *rows;
	struct strbuf arr = {0};
	const char *params[3];
	int rc;

	if (n == 0)
		return 0;
	rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		rows[i].volunteer = ids[i];
	add_array(&arr, rows, n, 0);
	params[0] = sb_str(&arr);
	params[1] = station;
	params[2] = ve ? ve->name : "volunteers";
	rc = db_exec(db,
		     "SELECT sgz.audit_event('open', 'sgz.volunteer',\n"
		     "       jsonb_build_object('entity', $3::text, 'key', v, 'shown', 'hours grid'),\n"
		     "       nullif($2::text, ''))\n"
		     "  FROM unnest($1::text[]) v",
		     3, params, err);
	sb_free(&arr);
	free(rows);
	return rc;
}

int grid_volunteers(struct db *db, const char *station, size_t max,
		    int (*fn)(void *arg, const char *id, const char *name, const char *initials),
		    void *arg, bool *admin, struct sgz_err *err)
{
	char lim[24];
	const char *params[2] = {station, lim};
	PGresult *r;
	int rc = 0;

	*admin = false;
	snprintf(lim, sizeof(lim), "%zu", max);
	/* the session's kind in the same round trip: the grid masks ID
	 * numbers as the lists do */
	r = db_query(db,
		     "SELECT k.admin, v.id_number, v.name, v.initials\n"
		     "  FROM (SELECT coalesce(sgz.current_kind() = 'admin', false) AS admin) k\n"
		     "  LEFT JOIN LATERAL (SELECT id_number, name, initials FROM sgz.volunteer\n"
		     "                      WHERE station = $1 ORDER BY id_number\n"
		     "                      LIMIT $2::integer) v ON true",
		     2, params, err);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		*admin = strcmp(PQgetvalue(r, i, 0), "t") == 0;
		if (!PQgetisnull(r, i, 1))
			rc = fn(arg, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
				PQgetvalue(r, i, 3));
	}
	PQclear(r);
	return 0;
}
