/* test_evalsheet.c - the evaluation sheet's queries (src/contracts/
 * evalsheet.c; programmes.md, the indicator sheet) as the users who send
 * them: a county user reads a contract year's sheet (the tree of its
 * programme's set, the scores stored, the next year of its cycle), saves
 * it in ONE statement (counted in SGZ_TRACE_SQL's trace) and the total is
 * the sum; a score above its weight refuses the whole save naming the
 * indicator, nothing stored (a new evaluation not created, stored scores
 * unchanged); the grade and decision as the database's; a station user
 * reads the sheet and may not save it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dbtest.h"
#include "sgz/db.h"
#include "sgz/evalsheet.h"

static struct db *db;	  /* the superuser */
static struct db *clerk;  /* zgz, station user of 120110001 */
static struct db *county; /* dl, county user of 120110 */

static const char *const data[] = {
    "INSERT INTO sgz.indicator (indicator_set, code, name, parent, weight) VALUES"
    " ('T1', 'A', '管理', NULL, 40), ('T1', 'A1', '制度', 'A', 20),"
    " ('T1', 'A2', '人员', 'A', 20), ('T1', 'B', '服务', NULL, 60)",
    "INSERT INTO sgz.programme (code, name, purchaser, kind, cycle_years, indicator_set)"
    " VALUES ('P2', '两年项目包', '120110000000', 'community_package', 2, 'T1')",
    "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method,"
    " cycle_start, year_no, starts_on, ends_on, amount, stations, programme) VALUES"
    " ('P2-1', '120110000000', '52120110MJ0000001Y', 'inquiry', 2024, 1, '2024-01-01',"
    "  '2024-12-31', 400000, '{120110001000}', 'P2'),"
    " ('P2-2', '120110000000', '52120110MJ0000001Y', 'inquiry', 2024, 2, '2025-01-01',"
    "  '2025-12-31', 400000, '{120110001000}', 'P2')",
};

static int setup(void **state)
{
	static const char *const fixtures[] = {"divisions", "organizations", "stations", "staff",
					       "contracts", "evaluations"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	for (size_t i = 0; i < SGZ_ARRAY_LEN(data); i++)
		dbtest_exec(db, data[i]);
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station', NULL)"));
	free(dbtest_one(db, "SELECT sgz.user_add('dl', '120110000000', 'county')"));
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

static struct evalsheet *load(struct db *c, const char *contract, const char *date)
{
	struct evalsheet *s = NULL;
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(evalsheet_load(c, contract, NULL, "annual", date, &s, &err), 0);
	assert_non_null(s);
	return s;
}

static struct evalsheet_row *row(struct evalsheet *s, const char *code)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].code, code) == 0)
			return &s->rows[i];
	fail_msg("no indicator %s", code);
	return NULL;
}

/* Statements in the trace file at path. */
static int traced(const char *path)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "-- sgz-trace ", 13) == 0)
			n++;
	fclose(f);
	return n;
}

static void test_read(void **state)
{
	struct evalsheet *s = load(county, "P2-1", "2024-12-31");

	(void)state;
	assert_true(s->found);
	assert_false(s->stored);
	assert_true(s->writable);
	assert_string_equal(s->indicator_set, "T1");
	assert_int_equal(s->n, 4);
	/* each first-level one followed by those under it */
	assert_string_equal(s->rows[0].code, "A");
	assert_false(s->rows[0].leaf);
	assert_string_equal(s->rows[1].code, "A1");
	assert_string_equal(s->rows[2].code, "A2");
	assert_string_equal(s->rows[3].code, "B");
	assert_true(s->rows[3].leaf);
	assert_int_equal(s->rows[3].weight, 600);
	assert_int_equal(s->rows[1].score, -1);
	assert_string_equal(s->next_contract, "P2-2");
	assert_int_equal(s->year_no, 1);
	assert_int_equal(s->cycle_years, 2);
	assert_int_equal(evalsheet_sum(s, NULL), -1);
	assert_string_equal(evalsheet_decision(s, -1), "pending");
	evalsheet_free(s);
}

static void test_save_one_statement(void **state)
{
	char path[] = "/tmp/evalsheet-trace-XXXXXX";
	struct evalsheet *s = load(county, "P2-1", "2024-12-31");
	struct sgz_err err;
	int fd, total = 0;

	(void)state;
	row(s, "A1")->score = 150;
	row(s, "A2")->score = 200;
	row(s, "B")->score = 505;
	assert_int_equal(evalsheet_sum(s, "A"), 350);
	assert_int_equal(evalsheet_sum(s, NULL), 855);
	/* the database's bands (90/80/60) by sgz.grade()'s rule */
	assert_string_equal(evalsheet_grade(s, 855), "good");
	assert_string_equal(evalsheet_decision(s, 855), "renew");
	assert_string_equal(evalsheet_decision(s, 595), "reprocure");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sgz_err_clear(&err);
	assert_int_equal(db_trace_open(path, &err), 0);
	assert_int_equal(evalsheet_save(county, s, &total, &err), 0);
	db_trace_close();
	assert_int_equal(traced(path), 1);
	unlink(path);
	assert_int_equal(total, 855);
	dbtest_assert_one(db,
			  "SELECT score || ' ' || (SELECT count(*) FROM sgz.evaluation_score x"
			  " WHERE x.evaluation_id = e.id) FROM sgz.evaluation e"
			  " WHERE contract_no = 'P2-1' AND kind = 'annual'",
			  "85.5 3");
	dbtest_assert_one(db, "SELECT sgz.grade(85.5)", evalsheet_grade(s, total));
	evalsheet_free(s);

	/* read back: the scores stored; a score cleared is removed */
	s = load(county, "P2-1", "2024-12-31");
	assert_true(s->stored);
	assert_int_equal(row(s, "B")->score, 505);
	row(s, "A2")->score = -1;
	assert_int_equal(evalsheet_save(county, s, &total, &err), 0);
	assert_int_equal(total, 655);
	row(s, "A2")->score = 200;
	assert_int_equal(evalsheet_save(county, s, &total, &err), 0);
	assert_int_equal(total, 855);
	evalsheet_free(s);
}

static void test_all_or_nothing(void **state)
{
	struct evalsheet *s = load(county, "P2-1", "2024-12-31");
	struct sgz_err err;
	int total = 0;

	(void)state;
	/* stored: A1 15, A2 20, B 50.5 (test_save_one_statement) */
	row(s, "A1")->score = 100;
	row(s, "A2")->score = 250; /* above its weight 20 */
	sgz_err_clear(&err);
	assert_int_equal(evalsheet_save(county, s, &total, &err), -1);
	assert_non_null(strstr(err.msg, "score 25.0 of indicator A2 is above its weight 20.0"));
	dbtest_assert_one(db,
			  "SELECT string_agg(indicator || '=' || score, ' ' ORDER BY indicator)"
			  " FROM sgz.evaluation_score WHERE contract_no = 'P2-1'",
			  "A1=15.0 A2=20.0 B=50.5");
	evalsheet_free(s);

	/* a new evaluation is not created either */
	s = load(county, "P2-2", "2025-12-31");
	row(s, "A1")->score = 100;
	row(s, "B")->score = 700;
	sgz_err_clear(&err);
	assert_int_equal(evalsheet_save(county, s, &total, &err), -1);
	assert_non_null(strstr(err.msg, "indicator B"));
	dbtest_assert_one(db, "SELECT count(*) FROM sgz.evaluation WHERE contract_no = 'P2-2'",
			  "0");
	evalsheet_free(s);
}

static void test_next_and_pick(void **state)
{
	struct evalsheet *s = load(county, "P2-1", "2024-12-31");
	struct sgz_err err;
	char *kind, *date;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(evalsheet_next(county, s, &kind, &date, &err), 1);
	assert_string_equal(kind, "annual");
	assert_string_equal(date, "2025-12-31");
	free(kind);
	free(date);
	evalsheet_free(s);
	/* the contract year's latest annual or final evaluation */
	assert_int_equal(evalsheet_pick(county, "P2-1", NULL, &kind, &date, &err), 1);
	assert_string_equal(date, "2024-12-31");
	free(kind);
	free(date);
	assert_int_equal(evalsheet_pick(county, "NO-SUCH", NULL, &kind, &date, &err), 0);
	s = load(county, "P2-2", "2025-12-31");
	assert_null(s->next_contract);
	evalsheet_free(s);
}

static void test_station_user(void **state)
{
	struct evalsheet *s = load(clerk, "P2-1", "2024-12-31");
	struct sgz_err err;
	int total;

	(void)state;
	assert_true(s->found);
	assert_false(s->writable);
	assert_int_equal(row(s, "B")->score, 505);
	row(s, "B")->score = 100;
	sgz_err_clear(&err);
	assert_int_equal(evalsheet_save(clerk, s, &total, &err), -1);
	dbtest_assert_one(db, "SELECT score FROM sgz.evaluation_score WHERE contract_no = 'P2-1'"
			  " AND indicator = 'B'", "50.5");
	evalsheet_free(s);
}

static void test_parse(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(evalsheet_parse("12"), 120);
	assert_int_equal(evalsheet_parse("12.5"), 125);
	assert_int_equal(evalsheet_parse("0"), 0);
	assert_int_equal(evalsheet_parse("12.55"), -1);
	assert_int_equal(evalsheet_parse("x"), -1);
	assert_int_equal(evalsheet_parse(""), -1);
	assert_int_equal(evalsheet_parse("101"), -1);
	evalsheet_format(125, buf);
	assert_string_equal(buf, "12.5");
	evalsheet_format(120, buf);
	assert_string_equal(buf, "12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_save_one_statement),
	    cmocka_unit_test(test_all_or_nothing),
	    cmocka_unit_test(test_next_and_pick),
	    cmocka_unit_test(test_station_user),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
