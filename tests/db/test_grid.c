/* test_grid.c - the hours grid's save (grid.h) against a real PostgreSQL
 * started by tests/with-pg: many rows in one statement, a stored row
 * updated, the dictionary's checks naming the row and the field (a day
 * over 24 hours, the same volunteer twice, an unknown volunteer), all or
 * nothing, and the station's volunteers for the type-ahead. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/grid.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"

#define STATION "120110001000"
#define ZHANG	"120110197007070042"
#define ZHAO	"120110199512310077"
#define EVENT	"学雷锋志愿服务日"

static struct db *db;

static void import_file(const char *entity, const char *path)
{
	FILE *quiet = fopen("/dev/null", "w");
	struct import_opts o = {.path = path, .encoding = CSV_ENC_AUTO, .errors = quiet};
	struct import_result res;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (import_run(db, dict_find(entity), &o, &res, &err) < 0)
		fail_msg("import %s: %s", entity, err.msg);
	if (quiet)
		fclose(quiet);
}

static int setup(void **state)
{
	static const char *const fixtures[] = {"organizations", "stations",   "staff",
					       "volunteers",	"activities", "hours"};
	struct db_opts o = {.conninfo = "", .connect_timeout = 10, .statement_timeout = 30000};
	const char *src = getenv("SGZ_SRCDIR");
	char path[4096];
	struct sgz_err err;

	(void)state;
	if (!src)
		src = ".";
	sgz_err_clear(&err);
	db = db_connect(&o, &err);
	if (!db)
		fail_msg("connect: %s", err.msg);
	if (migrate_apply(db, NULL, &err) < 0)
		fail_msg("migrate: %s", err.msg);
	snprintf(path, sizeof(path), "%s/data/divisions-2022.csv", src);
	import_file("divisions", path);
	for (size_t i = 0; i < SGZ_ARRAY_LEN(fixtures); i++) {
		snprintf(path, sizeof(path), "%s/tests/db/fixtures/%s.csv", src, fixtures[i]);
		import_file(fixtures[i], path);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	return 0;
}

static char *one(const char *sql)
{
	struct sgz_err err;
	PGresult *r;
	char *v;

	sgz_err_clear(&err);
	r = db_query(db, sql, 0, NULL, &err);
	if (!r)
		fail_msg("%s: %s", sql, err.msg);
	v = xstrdup(PQntuples(r) && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return v;
}

static void assert_one(const char *sql, const char *want)
{
	char *v = one(sql);

	assert_string_equal(v, want);
	free(v);
}

static void test_save_many(void **state)
{
	struct grid_row rows[] = {{ZHANG, "4", "签到"}, {ZHAO, "2.5", NULL}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	/* the fixture's 3.5 hours of 张敏 at the event become 4: an update */
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 2, &res, &err), GRID_OK);
	assert_int_equal(res.saved, 2);
	assert_one("SELECT string_agg(volunteer || '=' || hours || '/' || coalesce(note, '-'), ' '"
		   " ORDER BY volunteer) FROM sgz.hours WHERE service_date = '2024-03-05'",
		   ZHANG "=4.0/签到 " ZHAO "=2.5/-");
	/* the same again changes nothing */
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 2, &res, &err), GRID_OK);
	assert_int_equal(res.saved, 0);
}

static void test_refusals(void **state)
{
	struct grid_row over[] = {{ZHAO, "1", NULL}, {ZHANG, "21", NULL}};
	struct grid_row twice[] = {{ZHAO, "1", NULL}, {ZHAO, "2", NULL}};
	struct grid_row unknown[] = {{ZHAO, "1", NULL}, {"11010519491231002X", "2", NULL}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	/* 张敏 has 4 hours at the event that day: 4 + 21 on another activity-less row */
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", "", over, 2, &res, &err),
			 GRID_REFUSED);
	assert_int_equal(res.row, 1);
	assert_string_equal(res.column, "hours");
	assert_non_null(strstr(err.msg, "more than 24"));
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", "", twice, 2, &res, &err),
			 GRID_REFUSED);
	assert_int_equal(res.row, 1);
	assert_string_equal(res.column, "volunteer");
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", "", unknown, 2, &res, &err),
			 GRID_REFUSED);
	assert_int_equal(res.row, 1);
	assert_string_equal(res.column, "volunteer");
	/* all or nothing: 赵磊's row of the refused grids is not there */
	assert_one("SELECT count(*) FROM sgz.hours WHERE service_date = '2024-03-05'"
		   " AND activity IS NULL",
		   "0");
}

static int take(void *arg, const char *id, const char *name, const char *initials)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s %s %s;", id, name, initials);
	return 0;
}

static void test_volunteers(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_volunteers(db, STATION, 100, take, &sb, &err), 0);
	assert_string_equal(sb_str(&sb), ZHANG " 张敏 zm;" ZHAO " 赵磊 zl;");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_save_many),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_volunteers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
