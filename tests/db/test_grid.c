/* test_grid.c - the hours grid's model (grid.h) against a real PostgreSQL
 * started by tests/with-pg: the stored rows of an activity; the save in
 * one statement - stored rows changed and deleted only at the version
 * they were loaded at, a new row over stored hours a conflict and never
 * an overwrite, what was added, changed and deleted counted, a save that
 * waits on another session's update seeing its version; the dictionary's
 * checks naming the row and the field (a day over 24 hours, the same
 * volunteer twice, an unknown volunteer), all or nothing; and the
 * station's volunteers for the type-ahead. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "dbtest.h"
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

#define one(sql)	       dbtest_one(db, (sql))
#define assert_one(sql, want) dbtest_assert_one(db, (sql), (want))

static int setup(void **state)
{
	static const char *const fixtures[] = {"organizations", "stations",   "staff",
					       "volunteers",	"activities", "hours"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	return 0;
}

/* The row_version of the stored hours of volunteer v at the event. Caller frees. */
static char *version_of(const char *v)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT row_version FROM sgz.hours WHERE volunteer = '%s'"
		 " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		 v);
	return one(sql);
}

static int take_stored(void *arg, const struct grid_stored_row *row)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s %s %s %s v%s;", row->volunteer, row->name ? row->name : "-", row->hours,
		row->note ? row->note : "-", row->version);
	return 0;
}

static void test_stored_rows_of_the_activity_load_with_names_and_versions(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(
	    grid_stored(db, STATION, "2024-03-05", EVENT, false, take_stored, &sb, &err), 0);
	/* 4.0 reads as typed hours do: 4 */
	assert_string_equal(sb_str(&sb), ZHANG " 张敏 3.5 - v1;" ZHAO " 赵磊 4 - v1;");
	sb_reset(&sb);
	/* the activity-less hours of that day are another grid */
	assert_int_equal(grid_stored(db, STATION, "2024-03-05", "", false, take_stored, &sb, &err),
			 0);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
}

/* Issue 8 item 15: 3.5 h stored, typed again as a new row with 1: not
 * saved as 1.0 behind the user's back. */
static void test_a_new_row_over_stored_hours_is_a_conflict_not_an_overwrite(void **state)
{
	struct grid_row rows[] = {{ZHANG, "1", NULL, NULL, false}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 1, &res, &err),
			 GRID_CONFLICT);
	assert_int_equal(res.row, 0);
	assert_non_null(strstr(err.msg, "3.5 h stored by someone else"));
	assert_int_equal(res.saved, 0);
	assert_one("SELECT hours FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "3.5");
}

static void test_save_changes_stored_rows_and_adds_new_ones_and_counts_them(void **state)
{
	char *vz = version_of(ZHANG), *vl = version_of(ZHAO);
	struct grid_row rows[] = {
	    {ZHANG, "4", "签到", vz, false}, /* changed */
	    {ZHAO, "4", NULL, vl, false},    /* sent unchanged: not counted */
	};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 2, &res, &err), GRID_OK);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.saved, 1);
	assert_one("SELECT string_agg(volunteer || '=' || hours || '/' || coalesce(note, '-'), ' '"
		   " ORDER BY volunteer) FROM sgz.hours WHERE service_date = '2024-03-05'",
		   ZHANG "=4.0/签到 " ZHAO "=4.0/-");
	free(vz);
	free(vl);
	/* a new row of another day's activity-less grid, and the stored one */
	struct grid_row more[] = {{ZHAO, "2.5", NULL, NULL, false}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-06", "", more, 1, &res, &err), GRID_OK);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.changed, 0);
	/* the activity-less grid of 03-06 holds 张敏's visit: changed, with ZHAO's new row */
	char *vv = one("SELECT row_version FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		       " AND service_date = '2024-03-06'");
	char *vz2 = one("SELECT row_version FROM sgz.hours WHERE volunteer = '" ZHAO "'"
			" AND service_date = '2024-03-06'");
	struct grid_row both[] = {{ZHANG, "3", "入户探访", vv, false},
				  {ZHAO, "1", NULL, vz2, false}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-06", "", both, 2, &res, &err), GRID_OK);
	assert_int_equal(res.changed, 2);
	free(vv);
	free(vz2);
}

static void test_a_stored_row_changed_by_someone_else_is_a_conflict(void **state)
{
	char *v = version_of(ZHANG);
	struct grid_row rows[] = {{ZHANG, "5", NULL, v, false}, {ZHAO, "1", NULL, NULL, false}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	/* someone else saves first */
	free(one("UPDATE sgz.hours SET hours = 6 WHERE volunteer = '" ZHANG "'"
		 " AND service_date = '2024-03-05' AND activity = '" EVENT "' RETURNING 1"));
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 1, &res, &err),
			 GRID_CONFLICT);
	assert_int_equal(res.row, 0);
	assert_string_equal(res.column, "row_version");
	assert_non_null(
	    strstr(err.msg, "changed by someone else since the grid opened: 6.0 h now"));
	assert_one("SELECT hours FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "6.0");
	/* with the version as it is now the change goes through */
	free(v);
	v = version_of(ZHANG);
	rows[0].version = v;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 1, &res, &err), GRID_OK);
	assert_int_equal(res.changed, 1);
	free(v);
}

static void test_a_stored_row_is_deleted_only_at_its_version(void **state)
{
	char *v = version_of(ZHAO);
	struct grid_row rows[] = {{ZHAO, NULL, NULL, "999", true}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 1, &res, &err),
			 GRID_CONFLICT);
	assert_one("SELECT count(*) FROM sgz.hours WHERE volunteer = '" ZHAO "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "1");
	rows[0].version = v;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, rows, 1, &res, &err), GRID_OK);
	assert_int_equal(res.deleted, 1);
	assert_int_equal(res.saved, 1);
	assert_one("SELECT count(*) FROM sgz.hours WHERE volunteer = '" ZHAO "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "0");
	/* and back, as a new row */
	struct grid_row back[] = {{ZHAO, "4", NULL, NULL, false}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, back, 1, &res, &err), GRID_OK);
	assert_int_equal(res.added, 1);
	free(v);
}

/* Two real sessions: another user's update of a stored row is still open
 * when the grid saves. The grid's save waits for it (the stored rows are
 * locked before their versions are compared) and then sees the new
 * version: a conflict, not a lost update. The wait is found in
 * pg_stat_activity, never by sleeping. */
static void test_a_save_waiting_on_another_update_sees_its_version(void **state)
{
	struct db_opts o = {.conninfo = "", .connect_timeout = 10, .statement_timeout = 30000};
	char *v = version_of(ZHANG);
	struct sgz_err err;
	struct db *other;
	pid_t child;
	int status;

	(void)state;
	sgz_err_clear(&err);
	other = db_connect(&o, &err);
	assert_non_null(other);
	assert_int_equal(db_exec(other, "BEGIN", 0, NULL, &err), 0);
	assert_int_equal(db_exec(other,
				 "UPDATE sgz.hours SET hours = 7 WHERE volunteer = '" ZHANG "'"
				 " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
				 0, NULL, &err),
			 0);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* the grid: a session of its own */
		struct grid_row rows[] = {{ZHANG, "2", NULL, v, false}};
		struct grid_result res;
		struct db *mine = db_connect(&o, &err);
		enum grid_rc rc =
		    mine ? grid_save(mine, STATION, "2024-03-05", EVENT, rows, 1, &res, &err)
			 : GRID_FAILED;
		_exit(rc == GRID_CONFLICT ? 0 : 10 + (int)rc);
	}
	/* until the grid's save waits on the lock of the other update */
	for (int i = 0; i < 3000; i++) {
		char *n = one("SELECT count(*) FROM pg_stat_activity"
			      " WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'");
		bool waiting = strcmp(n, "1") == 0;
		free(n);
		if (waiting)
			break;
		free(one("SELECT pg_sleep(0.01)"));
	}
	assert_one("SELECT count(*) FROM pg_stat_activity"
		   " WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'",
		   "1");
	assert_int_equal(db_exec(other, "COMMIT", 0, NULL, &err), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_one("SELECT hours FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "7.0");
	db_close(other);
	free(v);
}

static void test_refusals(void **state)
{
	struct grid_row over[] = {{ZHAO, "1", NULL, NULL, false}, {ZHANG, "21", NULL, NULL, false}};
	struct grid_row twice[] = {{ZHAO, "1", NULL, NULL, false}, {ZHAO, "2", NULL, NULL, false}};
	struct grid_row unknown[] = {{ZHAO, "1", NULL, NULL, false},
				     {"11010519491231002X", "2", NULL, NULL, false}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	/* 张敏 has 7 hours at the event that day: 7 + 21 on an activity-less row */
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
	assert_int_equal(res.dup_of, 0);
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
	bool admin = false;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_volunteers(db, STATION, 100, take, &sb, &admin, &err), 0);
	assert_string_equal(sb_str(&sb), ZHANG " 张敏 zm;" ZHAO " 赵磊 zl;");
	assert_true(admin); /* the superuser */
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stored_rows_of_the_activity_load_with_names_and_versions),
	    cmocka_unit_test(test_a_new_row_over_stored_hours_is_a_conflict_not_an_overwrite),
	    cmocka_unit_test(test_save_changes_stored_rows_and_adds_new_ones_and_counts_them),
	    cmocka_unit_test(test_a_stored_row_changed_by_someone_else_is_a_conflict),
	    cmocka_unit_test(test_a_stored_row_is_deleted_only_at_its_version),
	    cmocka_unit_test(test_a_save_waiting_on_another_update_sees_its_version),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_volunteers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
