/* grid.c - the hours grid's save (grid.h): the rows travel as text arrays
 * and become the `stage` the dictionary's checks of the hours entity
 * (entities.c) are written against, as on import; the checks, the update
 * of stored rows and the insert of new ones are one statement, so a grid
 * of any size is one round trip and the triggers see all its rows. */
#include "config.h"

#include "sgz/grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/db.h"
#include "sgz/dict.h"

/* A text array literal: {"a","b",NULL}. */
static void add_array(struct strbuf *sb, const struct grid_row *rows, size_t n, int col)
{
	sb_addc(sb, '{');
	for (size_t i = 0; i < n; i++) {
		const char *v = col == 0 ? rows[i].volunteer : col == 1 ? rows[i].hours : rows[i].note;
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

	sb_adds(&sql,
		"WITH stage AS MATERIALIZED (\n"
		"  SELECT u.o::integer AS _line, u.v AS volunteer, $5::text AS service_date,\n"
		"         $4::text AS station, nullif($6::text, '') AS activity, u.h AS hours,\n"
		"         u.n AS note\n"
		"    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(v, h, n, o)),\n"
		"issues AS MATERIALIZED (\n"
		"  SELECT _line AS line, 'volunteer'::text AS col, 0 AS warn,\n"
		"         format('the same volunteer as row %s: each row needs its own', first)\n"
		"           AS msg\n"
		"    FROM (SELECT _line, min(_line) OVER (PARTITION BY volunteer) AS first\n"
		"            FROM stage) x WHERE _line <> first\n"
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
		"   WHERE ok.go AND t.volunteer = s.volunteer AND t.service_date = s.service_date::date\n"
		"     AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"     AND (t.hours, t.note) IS DISTINCT FROM (s.hours::numeric, s.note)\n"
		"  RETURNING 1),\n"
		"added AS (\n"
		"  INSERT INTO sgz.hours (volunteer, service_date, station, activity, hours, note)\n"
		"  SELECT s.volunteer, s.service_date::date, s.station, s.activity, s.hours::numeric,\n"
		"         s.note\n"
		"    FROM stage s, ok\n"
		"   WHERE ok.go AND NOT EXISTS (SELECT 1 FROM sgz.hours t\n"
		"         WHERE t.volunteer = s.volunteer AND t.service_date = s.service_date::date\n"
		"           AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity)\n"
		"  RETURNING 1)\n"
		"SELECT line, col, warn, msg FROM issues\n"
		"UNION ALL SELECT NULL, NULL, (SELECT count(*) FROM changed)::integer\n"
		"                             + (SELECT count(*) FROM added)::integer, NULL\n"
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

enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err)
{
	struct strbuf a[3] = {{0}, {0}, {0}};
	const char *params[6];
	char *sql;
	PGresult *r;
	enum grid_rc rc = GRID_OK;

	memset(res, 0, sizeof(*res));
	res->row = -1;
	res->dup_of = -1;
	for (int c = 0; c < 3; c++) {
		add_array(&a[c], rows, n, c);
		params[c] = sb_str(&a[c]);
	}
	params[3] = station;
	params[4] = date;
	params[5] = activity ? activity : "";
	sql = grid_save_sql();
	r = db_query(db, sql, 6, params, err);
	if (!r) {
		if (err->status != SGZ_EDATA || err->conn_lost) {
			rc = GRID_FAILED;
			goto out;
		}
		/* a trigger or a constraint: the row and the field its message names */
		res->row = row_named(rows, n, err->msg);
		snprintf(res->column, sizeof(res->column), "%s",
			 strstr(err->msg, "add up to")	      ? "hours"
			 : strstr(err->msg, "not registered") ? "volunteer"
			 : strstr(err->msg, "hours of")	      ? "service_date"
							      : "hours");
		rc = GRID_REFUSED;
		goto out;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, 0)) {
			res->saved = (size_t)atol(PQgetvalue(r, i, 2));
		} else if (atoi(PQgetvalue(r, i, 2))) {
			if (!res->warning[0])
				snprintf(res->warning, sizeof(res->warning), "%s",
					 PQgetvalue(r, i, 3));
		} else if (rc == GRID_OK) {
			rc = GRID_REFUSED;
			res->row = atol(PQgetvalue(r, i, 0)) - 1;
			snprintf(res->column, sizeof(res->column), "%s", PQgetvalue(r, i, 1));
			sgz_err_set(err, SGZ_EDATA, "%s", PQgetvalue(r, i, 3));
			if (sscanf(PQgetvalue(r, i, 3), "the same volunteer as row %ld", &res->dup_of) ==
			    1)
				res->dup_of--;
		}
	}
	if (rc != GRID_OK)
		res->saved = 0;
out:
	PQclear(r);
	free(sql);
	for (int c = 0; c < 3; c++)
		sb_free(&a[c]);
	return rc;
}

int grid_volunteers(struct db *db, const char *station, size_t max,
		    int (*fn)(void *arg, const char *id, const char *name, const char *initials),
		    void *arg, struct sgz_err *err)
{
	char lim[24];
	const char *params[2] = {station, lim};
	PGresult *r;
	int rc = 0;

	snprintf(lim, sizeof(lim), "%zu", max);
	r = db_query(db,
		     "SELECT id_number, name, initials FROM sgz.volunteer WHERE station = $1"
		     " ORDER BY id_number LIMIT $2::integer",
		     2, params, err);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++)
		rc = fn(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
	PQclear(r);
	return 0;
}
