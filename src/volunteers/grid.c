/* grid.c - the hours grid's model (grid.h): the rows stored for an
 * activity; the save, where the rows travel as text arrays and become the
 * `stage` the hours entity's checks are written against, as on import. The
 * checks, the lock and version check of the stored rows the grid changes,
 * their update or delete and the insert of new rows are one statement, so
 * a grid of any size is one round trip and the triggers see all its rows.
 * Every statement names volunteers by pid and reads their numbers only
 * through the masking views and sgz.person_*() (migration 0012). */
#include "config.h"

#include "sgz/grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/validate.h"

/* The text of column col of row r: 0 the number typed, 1 hours, 2 note,
 * 3 row_version, 4 drop, 5 pid. */
static const char *column_of(const struct grid_row *r, int col)
{
	switch (col) {
	case 0:
		return r->pid ? NULL : r->volunteer;
	case 1:
		return r->hours;
	case 2:
		return r->note;
	case 3:
		return r->version;
	case 4:
		return r->drop ? "t" : "f";
	case 5:
		return r->pid;
	}
	return NULL;
}

/* A text array literal of the texts v[0..n): {"a","b",NULL}. */
static void add_texts(struct strbuf *sb, const char *const *v, size_t n)
{
	sb_addc(sb, '{');
	for (size_t i = 0; i < n; i++) {
		const char *t = v[i];
		if (i)
			sb_addc(sb, ',');
		if (!t || !*t) {
			sb_adds(sb, "NULL");
			continue;
		}
		sb_addc(sb, '"');
		for (; *t; t++) {
			if (*t == '"' || *t == '\\')
				sb_addc(sb, '\\');
			sb_addc(sb, *t);
		}
		sb_addc(sb, '"');
	}
	sb_addc(sb, '}');
}

/* A text array literal of column col of rows. */
static void add_array(struct strbuf *sb, const struct grid_row *rows, size_t n, int col)
{
	const char **v = xcalloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = column_of(&rows[i], col);
	add_texts(sb, v, n);
	free(v);
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

	/* The numbers typed are looked up in the user's scope once (a number
	 * the user has is no reveal); a row named by pid keeps it, and the
	 * dictionary's checks (by pid, 0012) name its volunteer masked, as
	 * lists do. A dropped row stays in the stage with 0 hours: the checks
	 * of a volunteer's day then count neither it nor the stored row it
	 * replaces, and a new row of its volunteer is the same volunteer
	 * twice. */
	sb_adds(&sql,
		"WITH typed AS MATERIALIZED (\n"
		"  SELECT l.id_number, l.pid FROM sgz.person_lookup('volunteers', $1::text[]) l),\n"
		"stage AS MATERIALIZED (\n"
		"  SELECT u.o::integer AS _line, coalesce(u.v, m.id_number) AS volunteer,\n"
		"         coalesce(u.p::bigint, t.pid) AS volunteer_pid,\n"
		"         $5::text AS service_date, $4::text AS station,\n"
		"         nullif($6::text, '') AS activity,\n"
		"         CASE WHEN u.d THEN '0' ELSE u.h END AS hours,\n"
		"         CASE WHEN u.d THEN NULL ELSE u.n END AS note,\n"
		"         u.r::integer AS _version, coalesce(u.d, false) AS _drop\n"
		"    FROM unnest($1::text[], $2::text[], $3::text[], $7::text[], $8::boolean[],\n"
		"                $9::text[]) WITH ORDINALITY AS u(v, h, n, r, d, p, o)\n"
		"    LEFT JOIN typed t ON u.p IS NULL AND t.id_number = u.v\n"
		"    LEFT JOIN sgz.volunteer_v m ON m.pid = u.p::bigint),\n"
		/* the stored rows the grid changes or deletes, locked: a save
		 * of the same rows by someone else waits, and the versions
		 * compared below are the latest committed ones and stay so */
		"locked AS MATERIALIZED (\n"
		"  SELECT t.volunteer_pid, t.row_version, t.hours FROM sgz.hours t\n"
		"   WHERE t.station = $4::text AND t.service_date = $5::date\n"
		"     AND t.activity IS NOT DISTINCT FROM nullif($6::text, '')\n"
		"     AND t.volunteer_pid IN (SELECT s.volunteer_pid FROM stage s\n"
		"                              WHERE s._version IS NOT NULL)\n"
		"     FOR UPDATE),\n"
		"issues AS MATERIALIZED (\n"
		"  SELECT _line AS line, 'volunteer'::text AS col, 0 AS warn,\n"
		"         format('the same volunteer as row %s: each row needs its own', first)\n"
		"           AS msg\n"
		"    FROM (SELECT _line, min(_line) OVER (PARTITION BY coalesce(volunteer_pid::text,\n"
		"                                           volunteer, _line::text)) AS first\n"
		"            FROM stage) x WHERE _line <> first\n"
		"  UNION ALL SELECT s._line, 'row_version', 0, CASE WHEN l.volunteer_pid IS NULL\n"
		"         THEN 'deleted by someone else since the grid opened'\n"
		"         ELSE format('changed by someone else since the grid opened: %s h now',\n"
		"                     l.hours) END\n"
		"    FROM stage s LEFT JOIN locked l ON l.volunteer_pid = s.volunteer_pid\n"
		"   WHERE s._version IS NOT NULL AND NOT (s._drop AND l.volunteer_pid IS NULL)\n"
		"     AND (l.volunteer_pid IS NULL OR l.row_version <> s._version)\n"
		"  UNION ALL SELECT s._line, 'row_version', 0,\n"
		"         format('%s h stored by someone else since the grid opened', t.hours)\n"
		"    FROM stage s JOIN sgz.hours t ON t.volunteer_pid = s.volunteer_pid\n"
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
		/* a person is checked by pid below */
		if (!f->ref_table || f->type == DT_DIVISIONS || f->pid_column)
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
		"     AND t.volunteer_pid = s.volunteer_pid AND t.service_date = s.service_date::date\n"
		"     AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"     AND t.row_version = s._version\n"
		"     AND (t.hours, t.note) IS DISTINCT FROM (s.hours::numeric, s.note)\n"
		"  RETURNING 1),\n"
		"removed AS (\n"
		"  DELETE FROM sgz.hours t USING stage s, ok\n"
		"   WHERE ok.go AND s._drop\n"
		"     AND t.volunteer_pid = s.volunteer_pid AND t.service_date = s.service_date::date\n"
		"     AND t.station = s.station AND t.activity IS NOT DISTINCT FROM s.activity\n"
		"     AND t.row_version = s._version\n"
		"  RETURNING 1),\n"
		/* by pid: the trigger a_pids (0012) writes the number. No ON
		 * CONFLICT: a new row whose volunteer has hours there is a
		 * conflict (the issues above; stored meanwhile, the unique
		 * violation of hours_pid_key), never an update or a skip */
		"added AS (\n"
		"  INSERT INTO sgz.hours (volunteer_pid, service_date, station, activity, hours,\n"
		"                         note)\n"
		"  SELECT s.volunteer_pid, s.service_date::date, s.station, s.activity,\n"
		"         s.hours::numeric, s.note\n"
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

/* Does msg name s, a number as shown or typed? Both masked: the database
 * names volunteers masked or in full, the screen shows them masked or in
 * full. */
static bool names(const char *msg, const char *s)
{
	char m[IDNUM_LEN + 1];

	if (!s || strlen(s) != IDNUM_LEN)
		return false;
	idnum_mask(s, m);
	return strstr(msg, m) != NULL;
}

/* The row a message of the database is about: the first row whose
 * volunteer it names. */
static long row_named(const struct grid_row *rows, size_t n, const char *msg)
{
	char *masked = msg ? idnum_mask_text(msg) : NULL;
	long row = -1;

	for (size_t i = 0; masked && i < n && row < 0; i++)
		if (names(masked, rows[i].shown) ||
		    (!rows[i].pid && names(masked, rows[i].volunteer)))
			row = (long)i;
	free(masked);
	return row;
}

#define NARRAYS 6

enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err)
{
	struct strbuf a[NARRAYS] = {{0}, {0}, {0}, {0}, {0}, {0}};
	const char *params[9];
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
	params[8] = sb_str(&a[5]);
	sql = grid_save_sql();
	r = db_query(db, sql, 9, params, err);
	if (!r) {
		if (err->status != SGZ_EDATA || err->conn_lost) {
			rc = GRID_FAILED;
			goto out;
		}
		/* a trigger or a constraint: the row and the field its message names */
		res->row = row_named(rows, n, err->msg);
		/* the key of the year's partition (hours_key_2024, 0038) */
		if (strstr(err->msg, "\"hours_key") || strstr(err->msg, "\"hours_pid_key")) {
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

/* The entity name the person functions take: the dictionary's. */
static const char *volunteers_entity(void)
{
	const struct dict_entity *ve = dict_find("volunteers");

	return ve ? ve->name : "volunteers";
}

int grid_stored(struct db *db, const char *station, const char *date, const char *activity,
		bool reveal, int (*fn)(void *arg, const struct grid_stored_row *row), void *arg,
		struct sgz_err *err)
{
	const char *params[4] = {station, date, activity ? activity : "", volunteers_entity()};
	struct strbuf hours = {0};
	struct sgz_err perr;
	PGresult *r;
	int rc = 0;

	/* the reveal is filed in the statement that reads the numbers: none
	 * reaches an admin's screen unrecorded. Two texts, not a CASE: the
	 * function is not even to be named in a statement of another user.
	 * By pid, as the hours list orders a day (hours_station_idx, 0014). */
	r = db_query(db,
		     reveal ? "SELECT h.volunteer_pid::text, h.volunteer, h.volunteer_name,\n"
			      "       h.hours::text, h.note, h.row_version::text,\n"
			      "       sgz.person_reveal($4::text, h.volunteer_pid, 'hours grid')\n"
			      "  FROM sgz.hours_v h\n"
			      " WHERE h.station = $1 AND h.service_date = $2::date\n"
			      "   AND h.activity IS NOT DISTINCT FROM nullif($3::text, '')\n"
			      " ORDER BY h.volunteer_pid"
			    : "SELECT h.volunteer_pid::text, h.volunteer, h.volunteer_name,\n"
			      "       h.hours::text, h.note, h.row_version::text, NULL::text\n"
			      "  FROM sgz.hours_v h\n"
			      " WHERE h.station = $1 AND h.service_date = $2::date\n"
			      "   AND h.activity IS NOT DISTINCT FROM nullif($3::text, '')\n"
			      " ORDER BY h.volunteer_pid",
		     reveal ? 4 : 3, params, err);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		struct grid_stored_row row = {
		    .pid = PQgetvalue(r, i, 0),
		    .masked = PQgetvalue(r, i, 1),
		    .name = PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2),
		    .hours = PQgetvalue(r, i, 3),
		    .note = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4),
		    .version = PQgetvalue(r, i, 5),
		    .full = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6),
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

/* fn for each row of r: pid, masked, name, initials, station, typed, full
 * from columns 0..6 (NULL or missing: none). */
static long each_volunteer(PGresult *r, int from, grid_volunteer_fn fn, void *arg)
{
	long n = 0;

	for (int i = 0; i < PQntuples(r); i++) {
		const char *t[7] = {0};
		if (PQgetisnull(r, i, from))
			continue;
		for (int c = 0; c < 7 && from + c < PQnfields(r); c++)
			t[c] = PQgetisnull(r, i, from + c) ? NULL : PQgetvalue(r, i, from + c);
		struct grid_volunteer v = {
		    .pid = t[0],
		    .masked = t[1] ? t[1] : "",
		    .name = t[2] ? t[2] : "",
		    .initials = t[3] ? t[3] : "",
		    .station = t[4] ? t[4] : "",
		    .typed = t[5],
		    .full = t[6],
		};
		n++;
		if (fn(arg, &v) != 0)
			break;
	}
	return n;
}

int grid_volunteers(struct db *db, const char *station, size_t max, grid_volunteer_fn fn, void *arg,
		    bool *admin, struct sgz_err *err)
{
	char lim[24];
	const char *params[2] = {station, lim};
	PGresult *r;

	*admin = false;
	snprintf(lim, sizeof(lim), "%zu", max);
	/* the session's kind in the same round trip: the grid shows an
	 * admin full numbers, each revealed (filed) */
	r = db_query(db,
		     "SELECT k.admin, v.pid::text, v.id_number, v.name, v.initials, v.station\n"
		     "  FROM (SELECT coalesce(sgz.current_kind() = 'admin', false) AS admin) k\n"
		     "  LEFT JOIN LATERAL (SELECT pid, id_number, name, initials, station\n"
		     "                       FROM sgz.volunteer_v WHERE station = $1\n"
		     "                      ORDER BY pid LIMIT $2::integer) v ON true",
		     2, params, err);
	if (!r)
		return -1;
	if (PQntuples(r) > 0)
		*admin = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	each_volunteer(r, 1, fn, arg);
	PQclear(r);
	return 0;
}

long grid_find(struct db *db, const char *prefix, size_t max, bool reveal, grid_volunteer_fn fn,
	       void *arg, struct sgz_err *err)
{
	char lim[24];
	const char *params[3] = {volunteers_entity(), prefix, lim};
	PGresult *r;
	long n;

	snprintf(lim, sizeof(lim), "%zu", max);
	/* the reveal only of the one found: several found are shown masked,
	 * and none of them is the user's pick yet */
	r = db_query(db,
		     reveal
			 ? "SELECT v.pid::text, v.id_number, v.name, v.initials, v.station,\n"
			   "       NULL::text, CASE WHEN count(*) OVER () = 1\n"
			   "           THEN sgz.person_reveal($1::text, v.pid, 'hours grid') END\n"
			   "  FROM sgz.person_find($1::text, $2::text, $3::integer)\n"
			   "       WITH ORDINALITY AS f(pid, o)\n"
			   "  JOIN sgz.volunteer_v v ON v.pid = f.pid\n"
			   " ORDER BY f.o"
			 : "SELECT v.pid::text, v.id_number, v.name, v.initials, v.station\n"
			   "  FROM sgz.person_find($1::text, $2::text, $3::integer)\n"
			   "       WITH ORDINALITY AS f(pid, o)\n"
			   "  JOIN sgz.volunteer_v v ON v.pid = f.pid\n"
			   " ORDER BY f.o",
		     3, params, err);
	if (!r)
		return -1;
	n = each_volunteer(r, 0, fn, arg);
	PQclear(r);
	return n;
}

long grid_lookup(struct db *db, const char *const *ids, size_t n, grid_volunteer_fn fn, void *arg,
		 struct sgz_err *err)
{
	struct strbuf arr = {0};
	const char *params[2];
	PGresult *r;
	long found;

	if (n == 0)
		return 0;
	add_texts(&arr, ids, n);
	params[0] = volunteers_entity();
	params[1] = sb_str(&arr);
	r = db_query(db,
		     "SELECT v.pid::text, v.id_number, v.name, v.initials, v.station, l.id_number\n"
		     "  FROM sgz.person_lookup($1::text, $2::text[]) l\n"
		     "  JOIN sgz.volunteer_v v ON v.pid = l.pid\n"
		     " ORDER BY l.id_number",
		     2, params, err);
	sb_free(&arr);
	if (!r)
		return -1;
	found = each_volunteer(r, 0, fn, arg);
	PQclear(r);
	return found;
}

char *grid_reveal(struct db *db, const char *pid, struct sgz_err *err)
{
	const char *params[2] = {volunteers_entity(), pid};
	PGresult *r;
	char *id = NULL;

	r = db_query(db, "SELECT sgz.person_reveal($1::text, $2::bigint, 'hours grid')", 2, params,
		     err);
	if (!r)
		return NULL;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		id = xstrdup(PQgetvalue(r, 0, 0));
	else
		sgz_err_set(err, SGZ_EDATA, "volunteer %s is not registered", pid);
	PQclear(r);
	return id;
}

long grid_tenths(const char *h)
{
	long v = 0;
	int digits = 0;

	if (!h)
		return -1;
	for (; *h >= '0' && *h <= '9'; h++, digits++) {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*h - '0');
	}
	v *= 10;
	if (*h == '.') {
		h++;
		if (*h >= '0' && *h <= '9')
			v += *h++ - '0';
		while (*h == '0')
			h++;
	}
	return digits && !*h ? v : -1;
}

const char *grid_hours_text(long tenths, char *buf, size_t len)
{
	snprintf(buf, len, "%s%ld.%ld", tenths < 0 ? "-" : "", labs(tenths) / 10,
		 labs(tenths) % 10);
	return buf;
}

/* A row's volunteer as a key: 'p' and the pid, or 'v' and the number. */
static char *row_volunteer_key(const struct grid_row *r)
{
	if (r->pid && *r->pid)
		return xasprintf("p%s", r->pid);
	if (r->volunteer && *r->volunteer)
		return xasprintf("v%s", r->volunteer);
	return NULL;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void grid_tally(const struct grid_row *rows, size_t n, struct grid_totals *t)
{
	char **keys = xcalloc(n + 1, sizeof(*keys));
	size_t k = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		long h;
		if (rows[i].drop || !(keys[k] = row_volunteer_key(&rows[i])))
			continue;
		k++;
		h = grid_tenths(rows[i].hours);
		if (h > 0)
			t->tenths += h;
	}
	/* sorted, each volunteer once: a grid of a thousand rows is drawn
	 * at every key */
	qsort(keys, k, sizeof(*keys), cmp_keys);
	for (size_t i = 0; i < k; i++)
		t->people += i == 0 || strcmp(keys[i], keys[i - 1]) != 0;
	for (size_t i = 0; i < k; i++)
		free(keys[i]);
	free(keys);
}
