/* test_grid.c - the hours grid's model (grid.h) against a real PostgreSQL
 * started by tests/with-pg, as the superuser, a station user and a county
 * user (each block of tests on the fixtures' hours afresh; with migration
 * 0014 the two users cannot read a full number in any table): the stored
 * rows of an activity, masked, with the volunteers' pids; the save in one
 * statement, rows named by pid or by the number typed - stored rows
 * changed and deleted only at the version they were loaded at, a new row
 * over stored hours a conflict and never an overwrite (also when another
 * session stores it while the save runs), what was added, changed and
 * deleted counted, a save that waits on another session's update seeing
 * its version; the checks naming the row and the field (a day over 24
 * hours, the same volunteer twice by pid and by number, an unknown
 * volunteer), all or nothing; the station's volunteers for the type-ahead;
 * a prefix longer than the mask shows found in the user's scope, several
 * found all listed; full numbers typed looked up in the scope at once;
 * the totals of the grid's foot (people, hours) of rows loaded, edited and
 * saved, as the database then counts them. */
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
#define SUN	"120110197007070093" /* 张敏's first 16 digits */
#define QIAN	"120110198505050030" /* of the county's other station */
#define EVENT	"学雷锋志愿服务日"

/* Whom the tests of a block run as. */
struct role {
	const char *conninfo;
	bool admin;
	bool county; /* sees the county's other station */
};

static const struct role superuser = {"", true, true};
static const struct role station = {"user=zgz", false, false};
static const struct role county = {"user=dlq", false, true};

static struct db *su;	      /* the superuser: fixtures and checks */
static struct db *db;	      /* the role of the tests */
static const struct role *as; /* its role */

#define one(sql)	      dbtest_one(su, (sql))
#define assert_one(sql, want) dbtest_assert_one(su, (sql), (want))

static int setup(void **state)
{
	static const char *const fixtures[] = {"organizations", "stations",   "staff",
					       "volunteers",	"activities", "hours"};

	(void)state;
	su = dbtest_connect("");
	dbtest_load(su, fixtures, SGZ_ARRAY_LEN(fixtures));
	dbtest_exec(su, "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)"
			" VALUES ('" SUN "', '孙丽', '" STATION "', '2021-01-01'),"
			" ('" QIAN "', '钱芳', '120110002000', '2020-01-01')");
	free(one("SELECT sgz.user_add('zgz', '" STATION "', 'station')"));
	free(one("SELECT sgz.user_add('dlq', '120110000000', 'county')"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (db != su)
		db_close(db);
	db_close(su);
	return 0;
}

/* Before each test: the role of its block; the first test of a block
 * starts from the fixtures' hours. */
static int as_role(void **state)
{
	const struct role *r = *state;
	const char *src = getenv("SGZ_SRCDIR");
	char path[4096];

	if (r == as)
		return 0;
	if (db && db != su)
		db_close(db);
	dbtest_exec(su, "DELETE FROM sgz.hours");
	snprintf(path, sizeof(path), "%s/tests/db/fixtures/hours.csv", src ? src : ".");
	dbtest_import(su, "hours", path);
	db = r->conninfo[0] ? dbtest_connect(r->conninfo) : su;
	as = r;
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

/* The pid of volunteer v. Caller frees. */
static char *pid_of(const char *v)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT pid FROM sgz.volunteer WHERE id_number = '%s'", v);
	return one(sql);
}

static int take_stored(void *arg, const struct grid_stored_row *row)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s %s %s %s v%s%s;", row->masked, row->name ? row->name : "-", row->hours,
		row->note ? row->note : "-", row->version, row->full ? " FULL" : "");
	return 0;
}

static void test_stored_rows_load_masked_with_pids_names_and_versions(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(
	    grid_stored(db, STATION, "2024-03-05", EVENT, false, take_stored, &sb, &err), 0);
	/* 4.0 reads as typed hours do: 4; masked for everyone, the superuser too */
	assert_string_equal(sb_str(&sb), "1201**********0042 张敏 3.5 - v1;"
					 "1201**********0077 赵磊 4 - v1;");
	sb_reset(&sb);
	/* the activity-less hours of that day are another grid */
	assert_int_equal(grid_stored(db, STATION, "2024-03-05", "", false, take_stored, &sb, &err),
			 0);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
}

static int first_pid(void *arg, const struct grid_stored_row *row)
{
	if (!*(char **)arg)
		*(char **)arg = xstrdup(row->pid);
	return 0;
}

static void test_a_stored_row_carries_its_volunteers_pid(void **state)
{
	char *pz = pid_of(ZHANG), *got = NULL;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(
	    grid_stored(db, STATION, "2024-03-05", EVENT, false, first_pid, &got, &err), 0);
	assert_non_null(got);
	assert_string_equal(got, pz);
	free(got);
	free(pz);
}

/* Issue 8 item 15: 3.5 h stored, typed again as a new row with 1: not
 * saved as 1.0 behind the user's back, whether the row names the
 * volunteer by the number typed or by pid. */
static void test_a_new_row_over_stored_hours_is_a_conflict_not_an_overwrite(void **state)
{
	char *pz = pid_of(ZHANG);
	struct grid_row typed[] = {{.volunteer = ZHANG, .hours = "1"}};
	struct grid_row by_pid[] = {{.pid = pz, .hours = "1"}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, typed, 1, &res, &err),
			 GRID_CONFLICT);
	assert_int_equal(res.row, 0);
	assert_non_null(strstr(err.msg, "3.5 h stored by someone else"));
	assert_int_equal(res.saved, 0);
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, by_pid, 1, &res, &err),
			 GRID_CONFLICT);
	assert_non_null(strstr(err.msg, "3.5 h stored by someone else"));
	assert_one("SELECT hours FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "3.5");
	free(pz);
}

static void test_save_changes_stored_rows_and_adds_new_ones_and_counts_them(void **state)
{
	char *vz = version_of(ZHANG), *vl = version_of(ZHAO);
	char *pz = pid_of(ZHANG), *pl = pid_of(ZHAO);
	struct grid_row rows[] = {
	    {.pid = pz, .hours = "4", .note = "签到", .version = vz}, /* changed */
	    {.pid = pl, .hours = "4", .version = vl}, /* sent unchanged: not counted */
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
	/* a new row of another day's activity-less grid, by the number typed */
	struct grid_row more[] = {{.volunteer = ZHAO, .hours = "2.5"}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-06", "", more, 1, &res, &err), GRID_OK);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.changed, 0);
	assert_one("SELECT volunteer_pid FROM sgz.hours WHERE volunteer = '" ZHAO "'"
		   " AND service_date = '2024-03-06'",
		   pl);
	/* the activity-less grid of 03-06 holds 张敏's visit: changed, with ZHAO's
	 * new row; and 孙丽 new, by pid */
	char *ps = pid_of(SUN);
	char *vv = one("SELECT row_version FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		       " AND service_date = '2024-03-06'");
	char *vz2 = one("SELECT row_version FROM sgz.hours WHERE volunteer = '" ZHAO "'"
			" AND service_date = '2024-03-06'");
	struct grid_row both[] = {{.pid = pz, .hours = "3", .note = "入户探访", .version = vv},
				  {.pid = pl, .hours = "1", .version = vz2},
				  {.pid = ps, .hours = "2"}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-06", "", both, 3, &res, &err), GRID_OK);
	assert_int_equal(res.changed, 2);
	assert_int_equal(res.added, 1);
	assert_one("SELECT string_agg(volunteer || '=' || hours, ' ' ORDER BY volunteer)"
		   " FROM sgz.hours WHERE service_date = '2024-03-06'",
		   ZHANG "=3.0 " SUN "=2.0 " ZHAO "=1.0");
	free(vv);
	free(vz2);
	free(ps);
	free(pz);
	free(pl);
}

static void test_a_stored_row_changed_by_someone_else_is_a_conflict(void **state)
{
	char *v = version_of(ZHANG), *pz = pid_of(ZHANG), *pl = pid_of(ZHAO);
	struct grid_row rows[] = {{.pid = pz, .hours = "5", .version = v},
				  {.pid = pl, .hours = "1"}};
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
	free(pz);
	free(pl);
}

static void test_a_stored_row_is_deleted_only_at_its_version(void **state)
{
	char *v = version_of(ZHAO), *pl = pid_of(ZHAO);
	struct grid_row rows[] = {{.pid = pl, .version = "999", .drop = true}};
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
	struct grid_row back[] = {{.pid = pl, .hours = "4"}};
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", EVENT, back, 1, &res, &err), GRID_OK);
	assert_int_equal(res.added, 1);
	free(v);
	free(pl);
}

/* Until a session waits on a lock in the grid's save (found in
 * pg_stat_activity, whose text of it is its first kilobyte, never by
 * sleeping). */
static void wait_for_the_grid(void)
{
	static const char *const waiting =
	    "SELECT count(*) FROM pg_stat_activity"
	    " WHERE wait_event_type = 'Lock' AND query LIKE 'WITH typed AS MATERIALIZED%'";

	for (int i = 0; i < 3000; i++) {
		char *n = one(waiting);
		bool yes = strcmp(n, "1") == 0;
		free(n);
		if (yes)
			break;
		free(one("SELECT pg_sleep(0.01)"));
	}
	assert_one(waiting, "1");
}

/* The grid's save in a session of its own as the block's role: exits 0
 * when it returns want. */
static pid_t save_elsewhere(const struct grid_row *rows, size_t n, const char *date,
			    const char *activity, enum grid_rc want)
{
	pid_t child;

	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct db_opts o = {
		    .conninfo = as->conninfo, .connect_timeout = 10, .statement_timeout = 30000};
		struct grid_result res;
		struct sgz_err err;
		sgz_err_clear(&err);
		struct db *mine = db_connect(&o, &err);
		enum grid_rc rc =
		    mine ? grid_save(mine, STATION, date, activity, rows, n, &res, &err)
			 : GRID_FAILED;
		_exit(rc == want ? 0 : 10 + (int)rc);
	}
	return child;
}

/* Two real sessions: another user's update of a stored row is still open
 * when the grid saves. The grid's save waits for it (the stored rows are
 * locked before their versions are compared) and then sees the new
 * version: a conflict, not a lost update. */
static void test_a_save_waiting_on_another_update_sees_its_version(void **state)
{
	char *v = version_of(ZHANG), *pz = pid_of(ZHANG);
	struct grid_row rows[] = {{.pid = pz, .hours = "2", .version = v}};
	struct db *other = dbtest_connect("");
	int status;
	pid_t child;

	(void)state;
	dbtest_exec(other, "BEGIN");
	dbtest_exec(other, "UPDATE sgz.hours SET hours = 7 WHERE volunteer = '" ZHANG "'"
			   " AND service_date = '2024-03-05' AND activity = '" EVENT "'");
	child = save_elsewhere(rows, 1, "2024-03-05", EVENT, GRID_CONFLICT);
	wait_for_the_grid();
	dbtest_exec(other, "COMMIT");
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_one("SELECT hours FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		   " AND service_date = '2024-03-05' AND activity = '" EVENT "'",
		   "7.0");
	db_close(other);
	free(v);
	free(pz);
}

/* Another session stores hours of a new row's volunteer while the grid
 * saves (after the statement's snapshot was taken, so its checks do not
 * see them): the unique key refuses the insert, a conflict of the whole
 * save, never an overwrite or a row silently left out. */
static void test_a_new_row_stored_meanwhile_is_a_conflict_of_the_whole_save(void **state)
{
	char *vz, *pz = pid_of(ZHANG), *pl = pid_of(ZHAO);
	struct db *other = dbtest_connect("");
	int status;
	pid_t child;

	(void)state;
	dbtest_exec(su, "INSERT INTO sgz.hours (volunteer, service_date, station, hours)"
			" VALUES ('" ZHANG "', '2024-03-04', '" STATION "', 1)");
	vz = one("SELECT row_version FROM sgz.hours WHERE volunteer = '" ZHANG "'"
		 " AND service_date = '2024-03-04'");
	struct grid_row rows[] = {{.pid = pz, .hours = "2", .version = vz},
				  {.pid = pl, .hours = "2"}};
	/* 张敏's row locked (its version kept), 赵磊's hours inserted: the
	 * grid's save waits on 张敏's row, then meets 赵磊's */
	dbtest_exec(other, "BEGIN");
	free(dbtest_one(other, "SELECT 1 FROM sgz.hours WHERE volunteer = '" ZHANG "'"
			       " AND service_date = '2024-03-04' FOR UPDATE"));
	dbtest_exec(other, "INSERT INTO sgz.hours (volunteer, service_date, station, hours)"
			   " VALUES ('" ZHAO "', '2024-03-04', '" STATION "', 3)");
	child = save_elsewhere(rows, 2, "2024-03-04", "", GRID_CONFLICT);
	wait_for_the_grid();
	dbtest_exec(other, "COMMIT");
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* all or nothing: 张敏's change is not there either */
	assert_one("SELECT string_agg(volunteer || '=' || hours, ' ' ORDER BY volunteer)"
		   " FROM sgz.hours WHERE service_date = '2024-03-04'",
		   ZHANG "=1.0 " ZHAO "=3.0");
	db_close(other);
	free(vz);
	free(pz);
	free(pl);
}

static void test_refusals(void **state)
{
	char *pz = pid_of(ZHANG), *pl = pid_of(ZHAO);
	struct grid_row over[] = {{.pid = pl, .hours = "1"}, {.pid = pz, .hours = "21"}};
	struct grid_row twice[] = {{.pid = pl, .hours = "1"}, {.volunteer = ZHAO, .hours = "2"}};
	struct grid_row unknown[] = {{.pid = pl, .hours = "1"},
				     {.volunteer = "11010519491231002X", .hours = "2"}};
	struct grid_result res;
	struct sgz_err err;

	(void)state;
	/* 张敏 has 7 hours at the event that day: 7 + 21 on an activity-less row */
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-05", "", over, 2, &res, &err),
			 GRID_REFUSED);
	assert_int_equal(res.row, 1);
	assert_string_equal(res.column, "hours");
	/* named as lists name him, whoever asks */
	assert_non_null(
	    strstr(err.msg, "hours of 张敏 (1201**********0042) on 2024-03-05 add up to 28.0"));
	/* one volunteer by pid and by the number typed: the same volunteer */
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
	assert_non_null(strstr(err.msg, "11010519491231002X is not registered"));
	/* all or nothing: 赵磊's row of the refused grids is not there */
	assert_one("SELECT count(*) FROM sgz.hours WHERE service_date = '2024-03-05'"
		   " AND activity IS NULL",
		   "0");
	free(pz);
	free(pl);
}

/* A number typed outside the user's scope is no volunteer of his: not
 * registered, as the database would say (the county's user has him). */
static void test_a_number_outside_the_scope_is_not_registered(void **state)
{
	struct grid_row rows[] = {{.volunteer = QIAN, .hours = "2", .shown = QIAN}};
	struct grid_result res;
	struct sgz_err err;
	enum grid_rc rc;

	(void)state;
	sgz_err_clear(&err);
	rc = grid_save(db, STATION, "2024-03-05", "", rows, 1, &res, &err);
	if (as->county) {
		assert_int_equal(rc, GRID_OK);
		assert_int_equal(res.added, 1);
		return;
	}
	assert_int_equal(rc, GRID_REFUSED);
	assert_int_equal(res.row, 0);
	assert_string_equal(res.column, "volunteer");
	assert_non_null(strstr(err.msg, QIAN " is not registered"));
}

static int take(void *arg, const struct grid_volunteer *v)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s %s %s %s%s%s;", v->masked, v->name, v->initials, v->station,
		v->typed ? " typed " : "", v->typed ? v->typed : "");
	if (v->full)
		sb_addf(sb, "FULL %s;", v->full);
	return 0;
}

static void test_volunteers(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;
	bool admin = !as->admin;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_volunteers(db, STATION, 100, take, &sb, &admin, &err), 0);
	/* masked for everyone, by pid */
	assert_string_equal(sb_str(&sb), "1201**********0042 张敏 zm " STATION ";"
					 "1201**********0077 赵磊 zl " STATION ";"
					 "1201**********0093 孙丽 sl " STATION ";");
	assert_int_equal(admin, as->admin);
	sb_free(&sb);
}

/* More digits than the mask shows: found in the user's scope, each found
 * to the caller masked with the name (several: all of them, in the order
 * of their numbers), none revealed. */
static void test_a_prefix_longer_than_the_mask_is_found_in_the_scope(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_find(db, "12011019700707004", 50, false, take, &sb, &err), 1);
	assert_string_equal(sb_str(&sb), "1201**********0042 张敏 zm " STATION ";");
	sb_reset(&sb);
	/* two share these digits: both */
	assert_int_equal(grid_find(db, "1201101970070700", 50, false, take, &sb, &err), 2);
	assert_string_equal(sb_str(&sb), "1201**********0042 张敏 zm " STATION ";"
					 "1201**********0093 孙丽 sl " STATION ";");
	sb_reset(&sb);
	/* at most max */
	assert_int_equal(grid_find(db, "120110", 2, false, take, &sb, &err), 2);
	sb_reset(&sb);
	/* the county's other station: only in the county's scope */
	assert_int_equal(grid_find(db, "12011019850505", 50, false, take, &sb, &err),
			 as->county ? 1 : 0);
	if (as->county)
		assert_string_equal(sb_str(&sb), "1201**********0030 钱芳 qf 120110002000;");
	sb_reset(&sb);
	assert_int_equal(grid_find(db, "99999", 50, false, take, &sb, &err), 0);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
}

/* Numbers typed in full: looked up in the scope all at once, found ones
 * masked with the number asked for; nothing filed (the user has them). */
static void test_numbers_typed_in_full_are_looked_up_at_once(void **state)
{
	const char *ids[] = {ZHAO, "11010519491231002X", QIAN, ZHANG};
	struct strbuf sb = {0};
	struct sgz_err err;
	char *before = one("SELECT count(*) FROM sgz.audit WHERE action = 'open'");

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_lookup(db, ids, 4, take, &sb, &err), as->county ? 3 : 2);
	assert_string_equal(sb_str(&sb),
			    as->county ? "1201**********0042 张敏 zm " STATION " typed " ZHANG ";"
					 "1201**********0030 钱芳 qf 120110002000 typed " QIAN ";"
					 "1201**********0077 赵磊 zl " STATION " typed " ZHAO ";"
				       : "1201**********0042 张敏 zm " STATION " typed " ZHANG ";"
					 "1201**********0077 赵磊 zl " STATION " typed " ZHAO ";");
	assert_one("SELECT count(*) FROM sgz.audit WHERE action = 'open'", before);
	free(before);
	sb_free(&sb);
}

/* Hours as the grid's foot counts them: tenths, one decimal at most. */
static void test_tenths_and_the_tally_of_rows(void **state)
{
	struct grid_row rows[] = {
	    {.pid = "7", .hours = "3.5"},
	    {.pid = "7", .hours = "1"},		      /* the same volunteer: one person */
	    {.pid = "8", .hours = "2", .drop = true}, /* deleted at the save: out */
	    {.volunteer = ZHAO, .hours = "x"},	      /* typed, not yet refused: 0 h */
	    {.hours = "9"},			      /* no volunteer: no row */
	    {.volunteer = SUN, .hours = "12.0"},
	};
	struct grid_totals t;
	char buf[32];

	(void)state;
	assert_int_equal(grid_tenths("3.5"), 35);
	assert_int_equal(grid_tenths("4"), 40);
	assert_int_equal(grid_tenths("12.0"), 120);
	assert_int_equal(grid_tenths("0.50"), 5);
	assert_int_equal(grid_tenths("4.05"), -1);
	assert_int_equal(grid_tenths(".5"), -1);
	assert_int_equal(grid_tenths("4h"), -1);
	assert_int_equal(grid_tenths(""), -1);
	assert_int_equal(grid_tenths(NULL), -1);
	assert_string_equal(grid_hours_text(75, buf, sizeof(buf)), "7.5");
	assert_string_equal(grid_hours_text(40, buf, sizeof(buf)), "4.0");
	assert_string_equal(grid_hours_text(0, buf, sizeof(buf)), "0.0");
	grid_tally(rows, SGZ_ARRAY_LEN(rows), &t);
	assert_int_equal(t.people, 3);
	assert_int_equal(t.tenths, 165);
	grid_tally(rows, 0, &t);
	assert_int_equal(t.people, 0);
	assert_int_equal(t.tenths, 0);
}

/* The stored rows of a grid, as the screen holds them. */
struct held {
	struct grid_row rows[8];
	char *texts[24];
	size_t n, nt;
};

static char *keep(struct held *h, const char *s)
{
	return h->texts[h->nt++] = s ? xstrdup(s) : NULL;
}

static int hold(void *arg, const struct grid_stored_row *row)
{
	struct held *h = arg;

	if (h->n == SGZ_ARRAY_LEN(h->rows))
		return 1;
	h->rows[h->n++] = (struct grid_row){.pid = keep(h, row->pid),
					    .hours = keep(h, row->hours),
					    .version = keep(h, row->version)};
	return 0;
}

static void unhold(struct held *h)
{
	for (size_t i = 0; i < h->nt; i++)
		free(h->texts[i]);
	memset(h, 0, sizeof(*h));
}

/* The people and hours stored at the activity-less grid of 2024-03-07. */
#define DAY_TOTALS                                                                                 \
	"SELECT count(DISTINCT volunteer_pid) || ' ' ||"                                           \
	" to_char(coalesce(sum(hours), 0), 'FM9999990.0') FROM sgz.hours"                          \
	" WHERE station = '" STATION "' AND service_date = '2024-03-07' AND activity IS NULL"

/* The foot of the grid: its tally of the stored rows is what is stored;
 * of the rows as edited (a change, a delete, a new row), what is stored
 * once they are saved. */
static void test_the_tally_of_a_grid_is_what_its_save_stores(void **state)
{
	char *pz = pid_of(ZHANG), *pl = pid_of(ZHAO);
	struct grid_row first[] = {{.pid = pz, .hours = "3.5"}, {.pid = pl, .hours = "4"}};
	struct held h = {0};
	struct grid_totals t;
	struct grid_result res;
	struct sgz_err err;
	char got[64], buf[32];

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-07", "", first, 2, &res, &err), GRID_OK);
	assert_int_equal(grid_stored(db, STATION, "2024-03-07", "", false, hold, &h, &err), 0);
	assert_int_equal(h.n, 2);
	grid_tally(h.rows, h.n, &t);
	snprintf(got, sizeof(got), "%zu %s", t.people, grid_hours_text(t.tenths, buf, sizeof(buf)));
	assert_string_equal(got, "2 7.5");
	assert_one(DAY_TOTALS, got);
	/* 张敏's hours changed, 赵磊's row deleted, 孙丽 typed by number */
	for (size_t i = 0; i < h.n; i++) {
		if (strcmp(h.rows[i].pid, pz) == 0)
			h.rows[i].hours = "2";
		else
			h.rows[i].drop = true;
	}
	h.rows[h.n++] = (struct grid_row){.volunteer = SUN, .hours = "1.5"};
	grid_tally(h.rows, h.n, &t);
	snprintf(got, sizeof(got), "%zu %s", t.people, grid_hours_text(t.tenths, buf, sizeof(buf)));
	assert_string_equal(got, "2 3.5");
	sgz_err_clear(&err);
	assert_int_equal(grid_save(db, STATION, "2024-03-07", "", h.rows, h.n, &res, &err),
			 GRID_OK);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.deleted, 1);
	assert_int_equal(res.added, 1);
	assert_one(DAY_TOTALS, got);
	unhold(&h);
	free(pz);
	free(pl);
}

/* clang-format off */
#define T(role, f) {#role ": " #f, f, as_role, NULL, (void *)&role}
#define BLOCK(role) \
	T(role, test_stored_rows_load_masked_with_pids_names_and_versions), \
	T(role, test_a_stored_row_carries_its_volunteers_pid), \
	T(role, test_a_new_row_over_stored_hours_is_a_conflict_not_an_overwrite), \
	T(role, test_save_changes_stored_rows_and_adds_new_ones_and_counts_them), \
	T(role, test_a_stored_row_changed_by_someone_else_is_a_conflict), \
	T(role, test_a_stored_row_is_deleted_only_at_its_version), \
	T(role, test_a_save_waiting_on_another_update_sees_its_version), \
	T(role, test_a_new_row_stored_meanwhile_is_a_conflict_of_the_whole_save), \
	T(role, test_refusals), \
	T(role, test_a_number_outside_the_scope_is_not_registered), \
	T(role, test_volunteers), \
	T(role, test_a_prefix_longer_than_the_mask_is_found_in_the_scope), \
	T(role, test_numbers_typed_in_full_are_looked_up_at_once), \
	T(role, test_tenths_and_the_tally_of_rows), \
	T(role, test_the_tally_of_a_grid_is_what_its_save_stores)
/* clang-format on */

int main(void)
{
	const struct CMUnitTest tests[] = {BLOCK(superuser), BLOCK(station), BLOCK(county)};

	return cmocka_run_group_tests(tests, setup, teardown);
}
