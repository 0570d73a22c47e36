/* test_plans.c - the plans of the statements lists send, as a user with a
 * scope sees them (issue 12, spec/bench.md): a page deep in a county's
 * hours is an index range, not a filter over every row before it; so are
 * a page of its visits and a page of the audit trail, read through its
 * masking view. Under row-level security the planner keeps a condition it
 * cannot prove leakproof out of the index; the test takes the statement sgz
 * itself sent (logged by the server for the role, with its parameters) and
 * asks the server, as that role, how it runs it. Asserts on the plan's
 * shape, never on time. */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dbtest.h"
#include "sgz/admin.h"
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/migrate.h"
#include "sgz/record.h"

static struct db *admin;

static int setup(void **state)
{
	static const char *const fixtures[] = {"divisions",  "organizations", "stations",
					       "staff",	     "volunteers",    "activities",
					       "hours",	     "recipients",    "cases",
					       "visits"};

	(void)state;
	admin = dbtest_connect("");
	dbtest_load(admin, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* Two volunteers' days since they registered, at both stations of the
	 * county: about 6,500 rows of hours in its scope. */
	dbtest_exec(admin, "INSERT INTO sgz.hours (volunteer, service_date, station, hours)"
		   " SELECT v.id_number, d::date, s.township, 1"
		   "   FROM sgz.volunteer v, sgz.station s,"
		   "        generate_series(v.registered_on, current_date - 1, '1 day') d"
		   "  WHERE NOT EXISTS (SELECT 1 FROM sgz.hours h WHERE h.volunteer = v.id_number"
		   "                      AND h.service_date = d::date)");
	dbtest_exec(admin, "ANALYZE sgz.hours");
	/* A phone call a day of each case, three kinds of contact in all on
	 * the days of the first: about 3,000 visits in the county. */
	dbtest_exec(admin, "INSERT INTO sgz.visit (case_no, visit_date, kind)"
		   " SELECT c.case_no, d::date, k"
		   "   FROM sgz.case_file c,"
		   "        generate_series(c.opened_on, coalesce(c.closed_on, current_date - 1),"
		   "                        '1 day') d,"
		   "        unnest(ARRAY['phone', 'office', 'outreach']) k"
		   "  WHERE NOT EXISTS (SELECT 1 FROM sgz.visit v WHERE v.case_no = c.case_no"
		   "                      AND v.visit_date = d::date AND v.kind = k)");
	dbtest_exec(admin, "ANALYZE sgz.visit");
	dbtest_exec(admin, "SELECT sgz.user_add('dongli_plans', '120110000000', 'county')");
	dbtest_exec(admin, "ALTER ROLE dongli_plans SET log_min_duration_statement = 0");
	/* 300 more volunteers and staff of the county, to whom no row of
	 * the pages refers: a page that joins every person of the scope to
	 * its rows shows as the rows its join filter removes. Their numbers
	 * are valid (check character of GB 11643), born 1980 on. */
	static const char people[] =
	    "WITH b AS (SELECT g, '120110' || to_char(date '1980-01-01' + g, 'YYYYMMDD') || '12'"
	    "                 || (g %% 10) AS b17"
	    "             FROM generate_series(1, 300) g),"
	    "     n AS (SELECT g, b17 || substr('10X98765432', (SELECT sum(substr(b17, i, 1)::int"
	    "                 * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])"
	    "                 FROM generate_series(1, 17) i)::int %% 11 + 1, 1) AS id FROM b)"
	    " INSERT INTO sgz.%s SELECT %s FROM n";
	char sql[1024];
	snprintf(sql, sizeof(sql), people, "volunteer (id_number, name, station, registered_on)",
		 "id, '志愿者' || g, '120110001000', date '2022-01-01'");
	dbtest_exec(admin, sql);
	snprintf(sql, sizeof(sql), people, "staff (id_number, name, station, role, hired_on)",
		 "id, '社工' || g, '120110001000', 'resident', date '2022-01-01'");
	dbtest_exec(admin, sql);
	dbtest_exec(admin, "ANALYZE sgz.volunteer");
	dbtest_exec(admin, "ANALYZE sgz.staff");
	/* an admin-kind user: the whole country, under the same policies */
	dbtest_exec(admin, "SELECT sgz.user_add('plans_admin', '120110000000', 'admin')");
	dbtest_exec(admin, "ALTER ROLE plans_admin SET log_min_duration_statement = 0");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(admin);
	return 0;
}

static int ignore(void *arg, const char *key, const char *const *cells)
{
	(void)arg;
	(void)key;
	(void)cells;
	return 0;
}

/* Whether a line of the server's log starts an entry (its prefix's
 * timestamp, "2026-01-31 ..."), rather than going on with a statement of
 * several lines. */
static bool log_entry(const char *line)
{
	static const char shape[] = "dddd-dd-dd ";

	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? line[i] < '0' || line[i] > '9' : line[i] != shape[i])
			return false;
	return true;
}

/* The last statement of the server's log that contains marker, as
 * "PREPARE q AS <sql>" and "EXECUTE q(<parameters>)". */
static void last_logged(const char *marker, char **prepare, char **execute)
{
	char path[4096], line[65536];
	const char *dir = getenv("SGZ_PG_DIR");
	struct strbuf stmt = {0};
	FILE *f;

	*prepare = *execute = NULL;
	if (!dir)
		fail_msg("SGZ_PG_DIR is not set: run inside tests/with-pg");
	snprintf(path, sizeof(path), "%s/server.log", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	bool want_params = false, in_stmt = false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (in_stmt && !log_entry(line)) {
			sb_addf(&stmt, "\n%s", line);
			continue;
		}
		if (in_stmt && strstr(sb_str(&stmt), marker)) {
			free(*prepare);
			free(*execute);
			*prepare = xasprintf("PREPARE q AS %s", sb_str(&stmt));
			*execute = NULL;
			want_params = true;
		}
		in_stmt = false;
		const char *at = strstr(line, "execute <unnamed>: ");
		if (at) {
			sb_reset(&stmt);
			sb_adds(&stmt, at + strlen("execute <unnamed>: "));
			in_stmt = true;
			continue;
		}
		const char *p = strstr(line, "DETAIL:  parameters: ");
		if (want_params && p) {
			/* "$1 = '...', $2 = '...'" becomes "'...', '...'" */
			struct strbuf args = {0};
			p += strlen("DETAIL:  parameters: ");
			while (*p) {
				const char *eq = strstr(p, " = ");
				if (!eq)
					break;
				p = eq + 3;
				const char *end = strstr(p, ", $");
				size_t len = end ? (size_t)(end - p) : strlen(p);
				sb_addf(&args, "%s%.*s", args.len ? ", " : "", (int)len, p);
				p += len;
				if (*p)
					p += 2;
			}
			*execute = xasprintf("EXPLAIN (ANALYZE, COSTS OFF) EXECUTE q(%s)", sb_str(&args));
			sb_free(&args);
			want_params = false;
		}
	}
	fclose(f);
	sb_free(&stmt);
	if (!*prepare || !*execute)
		fail_msg("no statement with '%s' and its parameters in %s", marker, path);
}

static void test_plans_next_page_deep_in_a_county_is_an_index_range(void **state)
{
	(void)state;
	struct db *mine = dbtest_connect("user=dongli_plans");
	const struct dict_entity *e = dict_find("hours");
	struct browse *b = browse_new(mine, e);
	struct sgz_err err;

	/* the key of a row some 5,000 rows into the county's list: the
	 * volunteer by pid, as the list reads hours from sgz.hours_v */
	PGresult *res = PQexec(db_pgconn(admin),
			       "SELECT volunteer_pid, service_date, station FROM sgz.hours"
			       " WHERE station LIKE '120110%'"
			       " ORDER BY station, service_date, volunteer_pid, coalesce(activity, '')"
			       " OFFSET 5000 LIMIT 1");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	const char **v = calloc(e->nfields, sizeof(*v));
	v[dict_field_index(e, dict_field_by_header(e, "volunteer"))] = PQgetvalue(res, 0, 0);
	v[dict_field_index(e, dict_field_by_header(e, "service_date"))] = PQgetvalue(res, 0, 1);
	v[dict_field_index(e, dict_field_by_header(e, "station"))] = PQgetvalue(res, 0, 2);
	char *key = record_key_encode(e, v);
	free(v);
	PQclear(res);

	sgz_err_clear(&err);
	assert_int_equal(browse_after(b, NULL, key, 20, ignore, NULL, &err), 0);
	free(key);

	char *prepare, *execute;
	last_logged("FROM sgz.hours_v t WHERE true AND (", &prepare, &execute);
	dbtest_exec(mine, prepare);
	res = PQexec(db_pgconn(mine), execute);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	struct strbuf plan = {0};
	for (int r = 0; r < PQntuples(res); r++)
		sb_addf(&plan, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	const char *cond = strstr(sb_str(&plan), "Index Cond: ");
	if (!cond || !strstr(cond, "ROW(station, service_date, volunteer_pid) >="))
		fail_msg("the page is not an index range:\n%s", sb_str(&plan));
	const char *removed = strstr(sb_str(&plan), "Rows Removed by Filter: ");
	if (removed && atol(removed + strlen("Rows Removed by Filter: ")) > 20)
		fail_msg("a filter removes more than a page of rows:\n%s", sb_str(&plan));
	sb_free(&plan);
	free(prepare);
	free(execute);
	browse_free(b);
	db_close(mine);
}

/* The visits list, whose order starts with the station the database sets
 * from the case (never empty, so sorted as stored, 0018's dictionary):
 * a page deep in a county's visits is a range of visit_station_idx, not
 * every visit of the scope sorted by coalesce(station, ''). */
static void test_plans_visits_page_deep_in_a_county_is_an_index_range(void **state)
{
	(void)state;
	struct db *mine = dbtest_connect("user=dongli_plans");
	const struct dict_entity *e = dict_find("visits");
	struct browse *b = browse_new(mine, e);
	struct sgz_err err;

	PGresult *res = PQexec(db_pgconn(admin),
			       "SELECT case_no, visit_date, kind FROM sgz.visit"
			       " WHERE station LIKE '120110%'"
			       " ORDER BY station, visit_date, case_no, kind OFFSET 1500 LIMIT 1");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	const char **v = calloc(e->nfields, sizeof(*v));
	v[dict_field_index(e, dict_field_by_header(e, "case_no"))] = PQgetvalue(res, 0, 0);
	v[dict_field_index(e, dict_field_by_header(e, "visit_date"))] = PQgetvalue(res, 0, 1);
	v[dict_field_index(e, dict_field_by_header(e, "kind"))] = PQgetvalue(res, 0, 2);
	char *key = record_key_encode(e, v);
	free(v);
	PQclear(res);

	sgz_err_clear(&err);
	assert_int_equal(browse_after(b, NULL, key, 20, ignore, NULL, &err), 0);
	free(key);

	char *prepare, *execute;
	last_logged("FROM sgz.visit_v t WHERE true AND (", &prepare, &execute);
	dbtest_exec(mine, prepare);
	res = PQexec(db_pgconn(mine), execute);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	struct strbuf plan = {0};
	for (int r = 0; r < PQntuples(res); r++)
		sb_addf(&plan, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	if (strstr(sb_str(&plan), "COALESCE"))
		fail_msg("the visits are sorted by an expression:\n%s", sb_str(&plan));
	const char *scan = strstr(sb_str(&plan), "Index Scan using visit_station_idx");
	if (!scan || !strstr(scan, "ROW(station, visit_date"))
		fail_msg("the page is not a range of visit_station_idx:\n%s", sb_str(&plan));
	const char *removed = strstr(sb_str(&plan), "Rows Removed by Filter: ");
	if (removed && atol(removed + strlen("Rows Removed by Filter: ")) > 20)
		fail_msg("a filter removes more than a page of rows:\n%s", sb_str(&plan));
	sb_free(&plan);
	free(prepare);
	free(execute);
	browse_free(b);
	db_close(mine);
}

/* The plan of the last logged statement containing marker, run as the
 * user of mine, in JSON; its shape asserted by the server's jsonpath: an
 * index condition like cond, no sort of more than a page of rows, no
 * filter (of a scan or of a join) removing more than a page. */
static void assert_page_plan(struct db *mine, const char *marker, const char *cond, long page)
{
	char *prepare, *execute;

	last_logged(marker, &prepare, &execute);
	char *json = xasprintf("EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF)%s",
			       execute + strlen("EXPLAIN (ANALYZE, COSTS OFF)"));
	dbtest_exec(mine, prepare);
	PGresult *res = PQexec(db_pgconn(mine), json);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	char *plan = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	/* the same in text, for the messages */
	char *text_sql = xasprintf("EXPLAIN (ANALYZE)%s", execute + strlen("EXPLAIN (ANALYZE, COSTS OFF)"));
	struct strbuf text = {0};
	res = PQexec(db_pgconn(mine), text_sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	for (int r = 0; r < PQntuples(res); r++)
		sb_addf(&text, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	free(text_sql);
	dbtest_exec(mine, "DEALLOCATE q");

	const char *params[2] = {plan, cond};
	res = PQexecParams(
	    db_pgconn(admin),
	    "SELECT (SELECT count(*) FROM jsonb_path_query($1::jsonb, 'lax $.**.\"Index Cond\"') c"
	    "         WHERE c #>> '{}' LIKE $2),"
	    "       (SELECT coalesce(max(r::bigint), 0) FROM jsonb_path_query($1::jsonb,"
	    "         'lax $.** ? (@.\"Node Type\" == \"Sort\").Plans[*].\"Actual Rows\"') r),"
	    "       (SELECT coalesce(max(r::bigint), 0) FROM jsonb_path_query($1::jsonb,"
	    "         'lax $.**.\"Rows Removed by Filter\"') r),"
	    "       (SELECT coalesce(max(r::bigint), 0) FROM jsonb_path_query($1::jsonb,"
	    "         'lax $.**.\"Rows Removed by Join Filter\"') r)",
	    2, NULL, params, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	long conds = atol(PQgetvalue(res, 0, 0)), sorted = atol(PQgetvalue(res, 0, 1)),
	     filtered = atol(PQgetvalue(res, 0, 2)), joined = atol(PQgetvalue(res, 0, 3));
	PQclear(res);
	if (conds == 0 || sorted > page + 1 || filtered > page || joined > page)
		fprintf(stderr, "%s\n%s", prepare, sb_str(&text));
	if (conds == 0)
		fail_msg("no index condition like '%s' (the plan above)", cond);
	if (sorted > page + 1)
		fail_msg("%ld rows sorted for a page (the plan above)", sorted);
	if (filtered > page)
		fail_msg("a filter removes %ld rows for a page (the plan above)", filtered);
	if (joined > page)
		fail_msg("a join filter removes %ld rows for a page (the plan above)", joined);
	sb_free(&text);
	free(plan);
	free(json);
	free(prepare);
	free(execute);
}

struct keys {
	char key[20][256];
	size_t n;
};

static int take_keys(void *arg, const char *key, const char *const *cells)
{
	struct keys *k = arg;

	(void)cells;
	if (k->n < 20)
		snprintf(k->key[k->n++], sizeof(k->key[0]), "%s", key);
	return 0;
}

/* An admin-kind user's previous page deep in a partitioned list, and the
 * two statements a save sends to put the list back at that row (the rows
 * before it, then a page after the first of them, listview_reload_at()):
 * each a merge of the partitions' index ranges read from the key, never
 * the partitions' rows before (or after) it sorted, and the names of the
 * page's people looked up for its rows only. The policies' bounds are
 * initplans the planner cannot see: it expects a few rows where the
 * admin has them all. */
static void admin_pages_deep(const struct dict_entity *e, const char *deep_sql,
			     const char *const *fields, const char *marker, const char *before,
			     const char *after)
{
	struct db *mine = dbtest_connect("user=plans_admin");
	struct browse *b = browse_new(mine, e);
	struct keys above = {0}, below = {0};
	struct sgz_err err;

	PGresult *res = PQexec(db_pgconn(admin), deep_sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	const char **v = calloc(e->nfields, sizeof(*v));
	for (int i = 0; fields[i]; i++)
		v[dict_field_index(e, dict_field_by_header(e, fields[i]))] =
		    PQgetisnull(res, 0, i) ? NULL : PQgetvalue(res, 0, i);
	char *key = record_key_encode(e, v);
	free(v);
	PQclear(res);

	/* Page Up from the row */
	sgz_err_clear(&err);
	assert_int_equal(browse_before(b, NULL, key, 20, take_keys, &above, &err), 0);
	assert_int_equal(above.n, 20);
	assert_page_plan(mine, marker, before, 20);
	/* a save's reposition: the rows before the row saved, then a page
	 * from the first of them */
	assert_int_equal(browse_after(b, NULL, above.key[0], 20, take_keys, &below, &err), 0);
	assert_int_equal(below.n, 20);
	assert_page_plan(mine, marker, after, 20);
	/* the page after the first row above is the rows above, then the row */
	for (size_t i = 0; i + 1 < 20; i++)
		assert_string_equal(below.key[i], above.key[i + 1]);
	assert_string_equal(below.key[19], key);
	free(key);
	browse_free(b);
	db_close(mine);
}

static void test_plans_admin_hours_deep_are_index_ranges(void **state)
{
	static const char *const fields[] = {"volunteer", "service_date", "station", "activity",
					     NULL};

	(void)state;
	/* some 5,000 rows into the hours, 1,500 before their end */
	admin_pages_deep(dict_find("hours"),
			 "SELECT volunteer_pid, service_date, station, activity FROM sgz.hours"
			 " ORDER BY station, service_date, volunteer_pid, coalesce(activity, '')"
			 " OFFSET (SELECT count(*) - 1500 FROM sgz.hours) LIMIT 1",
			 fields, "FROM sgz.hours_v t WHERE true AND (",
			 "%ROW(station, service_date, volunteer_pid) <= ROW(%",
			 "%ROW(station, service_date, volunteer_pid) >= ROW(%");
}

static void test_plans_admin_visits_deep_are_index_ranges(void **state)
{
	static const char *const fields[] = {"case_no", "visit_date", "kind", NULL};

	(void)state;
	admin_pages_deep(dict_find("visits"),
			 "SELECT case_no, visit_date, kind FROM sgz.visit"
			 " ORDER BY station, visit_date, case_no, kind"
			 " OFFSET (SELECT count(*) - 500 FROM sgz.visit) LIMIT 1",
			 fields, "FROM sgz.visit_v t WHERE true AND (",
			 "%ROW(station, visit_date%) <%", "%ROW(station, visit_date%) >%");
}

struct trail_page {
	char keys[20][48];
	char cells[20][ADMIN_AUDIT_NCOLS][96];
	size_t n;
};

static int take_trail(void *arg, const char *key, const char *const *cells)
{
	struct trail_page *p = arg;

	if (p->n == 20)
		return -1;
	snprintf(p->keys[p->n], sizeof(p->keys[0]), "%s", key);
	for (size_t c = 0; c < ADMIN_AUDIT_NCOLS; c++)
		snprintf(p->cells[p->n][c], sizeof(p->cells[0][0]), "%s", cells[c] ? cells[c] : "");
	p->n++;
	return 0;
}

/* A county user's page of the trail deep in it, read through sgz.audit_v:
 * 20,000 changes (owner writes them), every other one in the county's
 * scope, ID numbers and a child's name in them. The page is a range of the
 * primary key read backwards, the county's rows only, every number
 * masked; an entry opens with its values masked. */
static void trail_page_deep(struct db *owner, const char *county)
{
	dbtest_exec(owner,
		    "INSERT INTO sgz.audit (who, table_name, action, key, old, new, division)"
		    " SELECT 'sgz_test', 'recipient', 'update',"
		    "        '{\"id_number\": \"120110201506010051\"}',"
		    "        '{\"id_number\": \"120110201506010051\", \"name\": \"小明\", "
		    "\"phone\": null}',"
		    "        '{\"id_number\": \"120110201506010051\", \"name\": \"小明\","
		    "          \"phone\": \"13700001234\", \"birth_date\": \"2015-06-01\"}',"
		    "        CASE WHEN g % 2 = 0 THEN '120110001000' ELSE '120111001000' END"
		    "   FROM generate_series(1, 20000) g");
	dbtest_exec(owner, "ANALYZE sgz.audit");
	char *deep = dbtest_one(owner, "SELECT id || ':1' FROM sgz.audit"
				       " WHERE division LIKE '120110%' ORDER BY id DESC"
				       " OFFSET 5000 LIMIT 1");
	struct db *mine = dbtest_connect(county);
	struct trail_page page = {0};
	struct admin_err e;

	admin_err_init(&e);
	assert_int_equal(admin_list_fetch(mine, ADMIN_LIST_AUDIT, ADMIN_AFTER, NULL, NULL, deep, 20,
					  take_trail, &page, &e),
			 0);
	assert_int_equal(page.n, 20);
	assert_true(atol(page.keys[0]) < atol(deep));
	for (size_t i = 0; i < page.n; i++) {
		char sql[128];
		assert_string_equal(page.cells[i][ADMIN_AUDIT_COL_KEY], "1201**********0051");
		snprintf(sql, sizeof(sql), "SELECT division FROM sgz.audit WHERE id = %ld",
			 atol(page.keys[i]));
		dbtest_assert_one(owner, sql, "120110001000");
	}

	char *prepare, *execute;
	last_logged("AND x.id <= $", &prepare, &execute);
	dbtest_exec(mine, prepare);
	PGresult *res = PQexec(db_pgconn(mine), execute);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	struct strbuf plan = {0};
	for (int r = 0; r < PQntuples(res); r++)
		sb_addf(&plan, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	const char *scan = strstr(sb_str(&plan), "Index Scan Backward using audit_pkey");
	if (!scan || !strstr(scan, "Index Cond: (id <= "))
		fail_msg("the trail's page is not a range of its primary key:\n%s", sb_str(&plan));
	/* the other county's rows, one in two, are all the filter may drop */
	const char *removed = strstr(sb_str(&plan), "Rows Removed by Filter: ");
	if (removed && atol(removed + strlen("Rows Removed by Filter: ")) > 40)
		fail_msg("a filter removes more than a page of rows:\n%s", sb_str(&plan));
	sb_free(&plan);
	free(prepare);
	free(execute);

	struct admin_audit_entry *entry;
	bool seen_name = false;
	assert_int_equal(admin_audit_entry_load(mine, page.keys[0], &entry, &e), 1);
	assert_string_equal(entry->key, "1201**********0051");
	for (size_t i = 0; i < entry->nfields; i++) {
		const struct admin_audit_field *f = &entry->fields[i];
		assert_string_not_equal(f->column, "birth_date");
		if (strcmp(f->column, "id_number") == 0)
			assert_string_equal(f->new_value, "1201**********0051");
		if (strcmp(f->column, "name") == 0) {
			seen_name = true;
			assert_string_equal(f->new_value, "小*");
		}
		if (strcmp(f->column, "phone") == 0)
			assert_true(f->changed);
	}
	assert_true(seen_name);
	admin_audit_entry_free(entry);
	/* the other county's entry is not the county's to open */
	char *other = dbtest_one(owner, "SELECT max(id) || ':1' FROM sgz.audit"
					" WHERE division LIKE '120111%'");
	assert_int_equal(admin_audit_entry_load(mine, other, &entry, &e), 0);
	free(other);
	free(deep);
	db_close(mine);
}

/* The trail (main menu 6) as a county user reads it, from sgz.audit_v
 * (migrations 0012, 0016; 0017 leaves county users no other way), in a schema
 * owned by a role that is not a superuser, as sgz(1) deploys it: the view
 * reads the trail as its owner, under the policy of the county. */
static void test_plans_trail_page_as_a_county_user_is_an_index_range(void **state)
{
	struct sgz_err err;

	(void)state;
	dbtest_exec(admin, "CREATE ROLE plans_owner LOGIN CREATEROLE");
	dbtest_exec(admin, "CREATE DATABASE plans_trail OWNER plans_owner");
	struct db *owner = dbtest_connect("dbname=plans_trail user=plans_owner");
	sgz_err_clear(&err);
	if (migrate_apply(owner, NULL, &err) < 0)
		fail_msg("migrate: %s", err.msg);
	dbtest_exec(owner, "INSERT INTO sgz.division (code, name) VALUES"
			   " ('120000000000', '天津市'), ('120100000000', '市辖区'),"
			   " ('120110000000', '东丽区'), ('120111000000', '西青区')");
	dbtest_exec(owner, "SELECT sgz.user_add('dongli_trail', '120110000000', 'county')");
	dbtest_exec(admin, "ALTER ROLE dongli_trail SET log_min_duration_statement = 0");
	trail_page_deep(owner, "dbname=plans_trail user=dongli_trail");
	db_close(owner);
}

/* In a schema a superuser owns (as the tests' own), whom row-level
 * security passes by: the view's own scope (0016) keeps the trail to the
 * county, and its page is still a range. */
static void test_plans_trail_of_a_superusers_schema_keeps_to_the_county(void **state)
{
	(void)state;
	trail_page_deep(admin, "user=dongli_plans");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plans_next_page_deep_in_a_county_is_an_index_range),
	    cmocka_unit_test(test_plans_visits_page_deep_in_a_county_is_an_index_range),
	    cmocka_unit_test(test_plans_admin_hours_deep_are_index_ranges),
	    cmocka_unit_test(test_plans_admin_visits_deep_are_index_ranges),
	    cmocka_unit_test(test_plans_trail_page_as_a_county_user_is_an_index_range),
	    cmocka_unit_test(test_plans_trail_of_a_superusers_schema_keeps_to_the_county),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
