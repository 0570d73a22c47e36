/* test_desk.c - the desk's queries (src/desk/deskdata.c; spec/work.md, Work
 * screens 1) as the users who send them: a station user linked to her
 * staff record (sgz user add --staff, migration 0019) and a county user
 * without one, on the fixtures and records dated relative to today: a case
 * overdue by 5 days, one due within 7 days, one due later, an activity of
 * the last working days without hours and one with, a staff member past
 * the 2-year qualification deadline and one whose deadline is 30 days
 * away, a contract year ending without its evaluation. Each figure and the
 * records behind it; no full ID number in anything read; the link's
 * refusals and its end when the staff member is deleted. */
#include "config.h"

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbtest.h"
#include "sgz/db.h"
#include "sgz/deskdata.h"

static struct db *db;	  /* the superuser */
static struct db *clerk;  /* zgz, station user of 120110001, linked to 王芳 */
static struct db *county; /* dl, county user of 120110, not linked */

/* Records dated relative to today. 王芳 (12011019850315002X) is the
 * fixtures' head, 李强 (12011019900101003X) their resident, hired
 * 2021-07-15 and unqualified: past his deadline. */
static const char *const dated[] = {
    /* 赵敏: unqualified, her deadline (hired_on + 2 years) 30 days away;
     * 钱进: unqualified, a year to go */
    "INSERT INTO sgz.staff (id_number, name, station, role, hired_on) VALUES"
    " ('120110199203040114', '赵敏', '120110001000', 'resident',"
    "  (current_date + 30 - interval '2 years')::date),"
    " ('120110199304050127', '钱进', '120110001000', 'fulltime',"
    "  (current_date - interval '1 year')::date)",
    /* 王芳's: overdue by 5 days (a visit's next_due), due in 20 days (the
     * opening + 30); 李强's: due in 5 days */
    "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on) VALUES"
    " ('120110001-2026-0901', '120110195001010066', '120110001000', '12011019850315002X',"
    "  'individual', current_date - 40),"
    " ('120110001-2026-0902', '120110195001010066', '120110001000', '12011019850315002X',"
    "  'individual', current_date - 10),"
    " ('120110001-2026-0903', '120110195001010066', '120110001000', '12011019900101003X',"
    "  'group', current_date - 25)",
    "INSERT INTO sgz.visit (case_no, visit_date, kind, worker, next_due) VALUES"
    " ('120110001-2026-0901', current_date - 35, 'home_visit', '12011019850315002X',"
    "  current_date - 5)",
    /* activities: two days ago without hours, three days ago with, a month
     * ago without (older than the last 10 working days) */
    "INSERT INTO sgz.activity (station, date, title, kind) VALUES"
    " ('120110001000', current_date - 2, '社区议事会', 'meeting'),"
    " ('120110001000', current_date - 3, '敬老院探访', 'small_event'),"
    " ('120110001000', current_date - 30, '旧活动', 'other')",
    "INSERT INTO sgz.hours (volunteer, service_date, station, activity, hours) VALUES"
    " ('120110197007070042', current_date - 3, '120110001000', '敬老院探访', 2)",
    /* a contract year ending in 30 days, not evaluated */
    "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method,"
    " cycle_start, year_no, starts_on, ends_on, amount, stations, required_staff,"
    " required_qualified) VALUES ('DL-DESK-1', '120110000000', '52120110MJ0000001Y',"
    " 'competitive_consultation', extract(year FROM current_date)::int, 1,"
    " current_date - 300, current_date + 30, 300000, ARRAY['120110001000'], 3, 1)",
};

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions", "organizations", "stations", "staff",	"volunteers", "activities",
	    "hours",	 "recipients",	  "cases",    "visits", "contracts",  "evaluations"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	for (size_t i = 0; i < SGZ_ARRAY_LEN(dated); i++)
		dbtest_exec(db, dated[i]);
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station',"
			    " '12011019850315002X')"));
	free(dbtest_one(db, "SELECT sgz.user_add('dl', '120110000000', 'county')"));
	/* the county user's sessions count their calls of PL functions */
	dbtest_exec(db, "ALTER ROLE dl SET track_functions = 'pl'");
	clerk = dbtest_connect("user=zgz");
	county = dbtest_connect("user=dl");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(county);
	db_close(clerk);
	db_close(db);
	return 0;
}


static void load(struct db *c, struct desk *d)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (desk_load(c, d, false, &err) < 0)
		fail_msg("desk_load: %s", err.msg);
}

static void items(struct db *c, enum desk_list l, const char *station, struct desk_item **out,
		  size_t *n)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (desk_items(c, l, station, out, n, &err) < 0)
		fail_msg("desk_items(%d): %s", (int)l, err.msg);
	for (size_t i = 0; i < *n; i++)
		for (size_t k = 0; k < DESK_ITEM_CELLS; k++)
			if ((*out)[i].cells[k])
				dbtest_assert_masked((*out)[i].cells[k]);
}

static void test_station_desk(void **state)
{
	struct desk d;

	(void)state;
	load(clerk, &d);
	assert_string_equal(d.kind, "station");
	assert_true(d.linked);
	assert_string_equal(d.me, "王芳");
	/* her open cases by due date, the fixtures' long overdue one first */
	assert_int_equal(d.ncases, 3);
	assert_string_equal(d.cases[0].case_no, "120110001-2024-0001");
	assert_true(d.cases[0].late > 5);
	assert_string_equal(d.cases[1].case_no, "120110001-2026-0901");
	assert_int_equal(d.cases[1].late, 5);
	assert_string_equal(d.cases[1].recipient, "刘大爷");
	assert_string_equal(d.cases[2].case_no, "120110001-2026-0902");
	assert_int_equal(d.cases[2].late, -20);
	/* her station's figures, no other station */
	assert_int_equal(d.nst, 1);
	assert_string_equal(d.st[0].code, "120110001000");
	assert_string_equal(d.st[0].name, "张贵庄街道");
	assert_int_equal(d.st[0].overdue, 2);
	assert_int_equal(d.st[0].due7, 1);
	assert_int_equal(d.st[0].nohours, 1);
	assert_int_equal(d.st[0].dl_passed, 1);
	assert_int_equal(d.st[0].dl_soon, 1);
	desk_free(&d);
}

static void test_station_lists(void **state)
{
	struct desk_item *it;
	size_t n;

	(void)state;
	items(clerk, DESK_MY_CASES, NULL, &it, &n);
	assert_int_equal(n, 3);
	assert_string_equal(it[1].cells[0], "120110001-2026-0901");
	assert_string_equal(it[1].cells[2], "王芳");
	assert_int_equal(it[1].days, 5);
	desk_items_free(it, n);

	items(clerk, DESK_OVERDUE, "120110001000", &it, &n);
	assert_int_equal(n, 2);
	assert_string_equal(it[0].cells[0], "120110001-2024-0001");
	assert_string_equal(it[1].cells[0], "120110001-2026-0901");
	desk_items_free(it, n);

	items(clerk, DESK_DUE7, "120110001000", &it, &n);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].cells[0], "120110001-2026-0903");
	assert_string_equal(it[0].cells[2], "李强");
	assert_int_equal(it[0].days, -5);
	assert_string_equal(it[0].entity, "cases");
	desk_items_free(it, n);

	items(clerk, DESK_NOHOURS, "120110001000", &it, &n);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].cells[1], "社区议事会");
	assert_string_equal(it[0].entity, "activities");
	desk_items_free(it, n);

	/* the deadline passed first, then the one within 90 days; masked */
	items(clerk, DESK_DEADLINE, "120110001000", &it, &n);
	assert_int_equal(n, 2);
	assert_string_equal(it[0].cells[0], "李强");
	assert_string_equal(it[0].cells[1], "1201**********003X");
	assert_true(it[0].has_days && it[0].days > 0);
	assert_string_equal(it[1].cells[0], "赵敏");
	assert_int_equal(it[1].days, -30);
	assert_string_equal(it[1].entity, "staff");
	desk_items_free(it, n);

	/* another station's records are not hers */
	items(clerk, DESK_OVERDUE, "120110002000", &it, &n);
	assert_int_equal(n, 0);
	desk_items_free(it, n);
}

static void test_county_desk(void **state)
{
	struct desk d;
	struct desk_item *it;
	size_t n;

	(void)state;
	load(county, &d);
	assert_string_equal(d.kind, "county");
	assert_false(d.linked);
	assert_null(d.me);
	assert_int_equal(d.ncases, 0);
	assert_string_equal(d.scope_name, "东丽区");
	assert_int_equal(d.nst, 2);
	assert_string_equal(d.st[0].code, "120110001000");
	assert_int_equal(d.st[0].overdue, 2);
	assert_int_equal(d.st[0].eval_due, 1);
	/* 王芳, 李强, 赵敏, 钱进 against the contract's 3 and 1 */
	assert_string_equal(d.st[0].staff, "4");
	assert_string_equal(d.st[0].qualified, "1");
	assert_string_equal(d.st[0].req_staff, "3");
	assert_string_equal(d.st[0].compliant, "yes");
	assert_string_equal(d.st[0].served, "1");
	assert_string_equal(d.st[0].meets, "no");
	assert_string_equal(d.t_served, "40");
	assert_string_equal(d.st[1].code, "120110002000");
	assert_int_equal(d.st[1].overdue, 0);
	assert_string_equal(d.st[1].compliant, "");
	desk_free(&d);

	items(county, DESK_EVAL, "120110001000", &it, &n);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].cells[0], "DL-DESK-1");
	assert_string_equal(it[0].entity, "contracts");
	assert_int_equal(it[0].days, -30);
	desk_items_free(it, n);

	items(county, DESK_STAFF, "120110001000", &it, &n);
	assert_int_equal(n, 4);
	desk_items_free(it, n);

	items(county, DESK_KPI, "120110001000", &it, &n);
	assert_int_equal(n, 3);
	desk_items_free(it, n);

	/* a county user's own cases: none without a link */
	items(county, DESK_MY_CASES, NULL, &it, &n);
	assert_int_equal(n, 0);
	desk_items_free(it, n);
}

static void test_link(void **state)
{
	(void)state;
	/* each user reads his own link, nobody else's */
	dbtest_assert_one(clerk,
			  "SELECT s.name FROM sgz.staff_v s WHERE s.pid = sgz.user_staff()", "王芳");
	dbtest_assert_one(county, "SELECT sgz.user_staff() IS NULL", "t");
	/* outside the user's scope, or no such staff member: refused, masked */
	dbtest_assert_one(db,
			  "SELECT count(*) FROM pg_roles WHERE rolname = 'fn'", "0");
	dbtest_exec(db, "DO $$ BEGIN PERFORM sgz.user_add('fn', '120110002000', 'station',"
			" '12011019850315002X'); RAISE EXCEPTION 'linked';"
			" EXCEPTION WHEN check_violation THEN"
			" IF SQLERRM <> 'staff member 1201**********002X is outside scope"
			" 120110002000' THEN RAISE EXCEPTION 'said: %', SQLERRM; END IF; END $$");
	dbtest_exec(db, "DO $$ BEGIN PERFORM sgz.user_add('fn', '120110001000', 'station',"
			" '110101199003070000'); RAISE EXCEPTION 'linked';"
			" EXCEPTION WHEN foreign_key_violation THEN NULL; END $$");
	/* a link to a staff member who is deleted ends; '' removes one */
	free(dbtest_one(db, "SELECT sgz.user_add('qj', '120110001000', 'station',"
			    " '120110199304050127')"));
	dbtest_assert_one(db, "SELECT s.name FROM sgz.user_scope u JOIN sgz.staff s"
			      " ON s.pid = u.staff_pid WHERE u.role = 'qj'", "钱进");
	/* NULL keeps the link */
	free(dbtest_one(db, "SELECT sgz.user_add('qj', '120110001000', 'station', NULL)"));
	dbtest_assert_one(db, "SELECT staff_pid IS NOT NULL FROM sgz.user_scope WHERE role = 'qj'",
			  "t");
	dbtest_exec(db, "DELETE FROM sgz.staff WHERE id_number = '120110199304050127'");
	dbtest_assert_one(db, "SELECT staff_pid IS NULL FROM sgz.user_scope WHERE role = 'qj'",
			  "t");
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station', '')"));
	dbtest_assert_one(clerk, "SELECT sgz.user_staff() IS NULL", "t");
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station',"
			    " '12011019850315002X')"));
	/* the user list's own table stays the admin's */
	dbtest_assert_one(clerk, "SELECT has_table_privilege('sgz.user_scope', 'SELECT')", "f");
}

/* An open case's last visit is its row of sgz.case_last_visit (0045), one
 * probe of its key, not a search of every year's visits: the desk shows
 * what that row says. A row dated after today (a clock set back) is not
 * today's last visit: the visits up to today are read instead. */
static void test_last_visit_kept(void **state)
{
	static const char *const set[] = {
	    /* the kept row says the next visit was due 9 days ago */
	    "UPDATE sgz.case_last_visit SET next_due = current_date - 9"
	    " WHERE case_no = '120110001-2026-0901'",
	    /* a kept row after today: the visit of 35 days ago decides */
	    "UPDATE sgz.case_last_visit SET visit_date = current_date + 3,"
	    " next_due = current_date + 40 WHERE case_no = '120110001-2026-0901'",
	    "UPDATE sgz.case_last_visit SET visit_date = current_date - 35,"
	    " next_due = current_date - 5 WHERE case_no = '120110001-2026-0901'"};
	static const long late[] = {9, 5, 5};
	struct desk d;

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(set); i++) {
		dbtest_exec(db, set[i]);
		load(clerk, &d);
		assert_int_equal(d.ncases, 3);
		assert_string_equal(d.cases[1].case_no, "120110001-2026-0901");
		assert_int_equal(d.cases[1].late, late[i]);
		desk_free(&d);
	}
}

/* The scope's bounds are worked out once per statement, not once per row
 * they bound (a bare sgz.scope_low() in the desk's range of stations was
 * called for every case of a county: 110 ms of the desk's start on the
 * province set). Counted by the server (track_functions) in a transaction
 * of the county user's: as many calls with 100 more open cases as
 * without (2 more a case before). */
static long scope_calls(void)
{
	/* a session of its own: a session's counts not yet reported to the
	 * server's statistics are part of the next transaction's */
	struct db *c = dbtest_connect("user=dl");
	struct desk d;

	dbtest_exec(c, "BEGIN");
	load(c, &d);
	assert_int_equal(d.nst, 2);
	desk_free(&d);
	char *calls = dbtest_one(c, "SELECT coalesce(pg_stat_get_xact_function_calls("
				    "'sgz.scope_low()'::regprocedure), 0)"
				    " + coalesce(pg_stat_get_xact_function_calls("
				    "'sgz.scope_high()'::regprocedure), 0)");
	dbtest_exec(c, "COMMIT");
	db_close(c);
	long n = atol(calls);
	free(calls);
	return n;
}

static void test_scope_bounds_once(void **state)
{
	(void)state;
	long before = scope_calls();
	dbtest_exec(db, "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method,"
			" opened_on)"
			" SELECT format('120110001-2025-%s', lpad(g::text, 4, '0')),"
			" '120110195001010066', '120110001000', '12011019850315002X', 'group',"
			" current_date - 100 FROM generate_series(5001, 5100) g");
	long after = scope_calls();
	dbtest_exec(db, "DELETE FROM sgz.case_file WHERE case_no LIKE '120110001-2025-5%'");
	if (before < 1 || after != before)
		fail_msg("sgz.scope_low() and scope_high() called %ld times for the county's desk,"
			 " %ld with 100 more cases", before, after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_station_desk),
	    cmocka_unit_test(test_station_lists),
	    cmocka_unit_test(test_county_desk),
	    cmocka_unit_test(test_link),
	    cmocka_unit_test(test_last_visit_kept),
	    cmocka_unit_test(test_scope_bounds_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
