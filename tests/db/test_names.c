/* test_names.c - lists show references by name (spec/work.md, "People and
 * places, not codes"): the page query fetches the names of the people,
 * stations, divisions and organizations a row refers to in the same
 * statement, masked as rules.md says (a child's name 小* to all but
 * admins), a reference that does not resolve as its code and a mark; the
 * `/` filter finds rows by those names and people's pinyin initials, in
 * the reader's scope; the name beside a form's code. As the superuser
 * (admin), a station user and a county user. */
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
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/record.h"

#define STATION_NAME "张贵庄街道"

static struct db *db;	  /* the superuser: admin */
static struct db *clerk;  /* zgz, station user of 120110001 */
static struct db *county; /* dl, county user of 120110 */

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions",  "organizations", "stations",	 "service_points", "staff",
	    "volunteers", "activities",	   "hours",	 "recipients",	   "cases",
	    "visits",	  "contracts",	   "evaluations"};
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* a recipient of 丰年村街道 with a case at 张贵庄街道's station: the
	 * station's user reads the case, not the recipient */
	snprintf(path, sizeof(path), "%s/sgz-names.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		fail_msg("%s: cannot write", path);
	fputs("id_number,name,village,categories\n120110196001010079,孙丰年,120110002000,dibao\n",
	      f);
	fclose(f);
	dbtest_import(db, "recipients", path);
	f = fopen(path, "w");
	if (!f)
		fail_msg("%s: cannot write", path);
	fputs("case_no,recipient,station,worker,method,opened_on,status\n"
	      ",120110196001010079,120110001000,12011019850315002X,individual,2024-05-06,"
	      "intake\n",
	      f);
	fclose(f);
	dbtest_import(db, "cases", path);
	remove(path);
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station')"));
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

/* The rows of a list as text: each row's cells of the columns named,
 * '|'-separated, rows separated by newlines. */
struct shown {
	const struct browse *b;
	const char *const *columns;
	struct strbuf out;
};

static int take(void *arg, const char *key, const char *const *cells)
{
	struct shown *s = arg;

	(void)key;
	for (size_t k = 0; s->columns[k]; k++) {
		for (size_t c = 0; c < browse_ncolumns(s->b); c++)
			if (strcmp(browse_column(s->b, c)->column, s->columns[k]) == 0)
				sb_addf(&s->out, "%s%s", k ? "|" : "", cells[c] ? cells[c] : "");
	}
	sb_addc(&s->out, '\n');
	return 0;
}

/* What the list of entity shows as who, filtered, in columns. */
static char *list(struct db *who, const char *entity, const char *filter,
		  const char *const *columns)
{
	struct browse *b = browse_new(who, dict_find(entity));
	struct shown s = {b, columns, {0}};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (browse_first(b, filter, 20, take, &s, &err) < 0)
		fail_msg("%s /%s: %s", entity, filter ? filter : "", err.msg);
	browse_free(b);
	return sb_detach(&s.out);
}

static void assert_list(struct db *who, const char *entity, const char *filter,
			const char *const *columns, const char *want)
{
	char *got = list(who, entity, filter, columns);

	assert_string_equal(got, want);
	free(got);
}

static const char *const case_cols[] = {"case_no", "recipient", "station", "worker", NULL};
static const char *const hours_cols[] = {"volunteer", "station", "activity", NULL};

static void test_case_list_shows_people_and_the_station_by_name(void **state)
{
	(void)state;
	/* a station user: the child 小明 as 小*, the recipient outside his
	 * scope as the masked number and the mark */
	assert_list(clerk, "cases", NULL, case_cols,
		    "120110001-2024-0001|刘大爷|" STATION_NAME "|王芳\n"
		    "120110001-2024-0002|小*|" STATION_NAME "|李强\n"
		    "120110001-2024-0003|" BROWSE_UNRESOLVED "1201**********0079|" STATION_NAME
		    "|王芳\n");
	/* a county user reads every one of them; the child still masked */
	assert_list(county, "cases", NULL, case_cols,
		    "120110001-2024-0001|刘大爷|" STATION_NAME "|王芳\n"
		    "120110001-2024-0002|小*|" STATION_NAME "|李强\n"
		    "120110001-2024-0003|孙丰年|" STATION_NAME "|王芳\n");
	/* an admin reads the child's name; his scope spans counties: the
	 * township after its county, found by it */
	assert_list(db, "cases", "小", case_cols,
		    "120110001-2024-0002|小明|东丽区" STATION_NAME "|李强\n");
	static const char *const no[] = {"case_no", NULL};
	assert_list(db, "cases", "东丽区张贵庄", no,
		    "120110001-2024-0001\n120110001-2024-0002\n120110001-2024-0003\n");
	/* a county user's own county goes without saying */
	assert_list(county, "cases", "东丽区", no, "");
}

static void test_hours_list_shows_the_volunteer_and_the_station_by_name(void **state)
{
	(void)state;
	assert_list(clerk, "hours", NULL, hours_cols,
		    "张敏|" STATION_NAME "|学雷锋志愿服务日\n"
		    "赵磊|" STATION_NAME "|学雷锋志愿服务日\n"
		    "张敏|" STATION_NAME "|\n");
	/* a visit's case by its number and its recipient, and its worker;
	 * staff, a contract's purchaser and organization */
	static const char *const visit_cols[] = {"case_no", "worker", NULL};
	assert_list(clerk, "visits", NULL, visit_cols,
		    "120110001-2024-0001 刘大爷|王芳\n120110001-2024-0001 刘大爷|王芳\n");
	static const char *const evaluation_cols[] = {"contract_no", "kind", NULL};
	assert_list(county, "evaluations", NULL, evaluation_cols,
		    "DL-2024-001 东丽区乐群社会工作服务中心|annual\n"
		    "DL-2024-001 东丽区乐群社会工作服务中心|mid_term\n");
	static const char *const staff_cols[] = {"name", "station", NULL};
	assert_list(county, "staff", "王芳", staff_cols, "王芳|" STATION_NAME "\n");
	static const char *const contract_cols[] = {"purchaser", "organization", NULL};
	char *c = list(db, "contracts", NULL, contract_cols);
	char *org =
	    dbtest_one(db, "SELECT name FROM sgz.organization ORDER BY credit_code LIMIT 1");
	assert_non_null(strstr(c, org));
	assert_null(strstr(c, "52120110"));
	free(org);
	free(c);
}

static void test_filter_finds_cases_by_names_and_initials(void **state)
{
	(void)state;
	static const char *const no[] = {"case_no", NULL};

	/* the recipient's name and pinyin initials, any case */
	assert_list(clerk, "cases", "刘大爷", no, "120110001-2024-0001\n");
	assert_list(clerk, "cases", "ldy", no, "120110001-2024-0001\n");
	assert_list(county, "cases", "LDY", no, "120110001-2024-0001\n");
	/* the worker's */
	assert_list(county, "cases", "李强", no, "120110001-2024-0002\n");
	assert_list(county, "cases", "wf", no, "120110001-2024-0001\n120110001-2024-0003\n");
	/* the station's name */
	assert_list(clerk, "cases", "张贵庄", no,
		    "120110001-2024-0001\n120110001-2024-0002\n120110001-2024-0003\n");
	/* a child's masked name is all a station user finds her by */
	assert_list(clerk, "cases", "小明", no, "");
	assert_list(clerk, "cases", "xm", no, "");
	assert_list(db, "cases", "小明", no, "120110001-2024-0002\n");
	/* nobody outside the reader's scope: the station user cannot find
	 * 孙丰年 (丰年村街道), the county user can */
	assert_list(clerk, "cases", "孙丰年", no, "");
	assert_list(county, "cases", "sfn", no, "120110001-2024-0003\n");
	/* the digits a masked number shows still find it: the recipient's,
	 * the worker's (…002X, any case) */
	assert_list(clerk, "cases", "0066", no, "120110001-2024-0001\n");
	assert_list(county, "cases", "002x", no, "120110001-2024-0001\n120110001-2024-0003\n");
	/* what is no name finds nothing; wildcards match themselves */
	assert_list(county, "cases", "%", no, "");
}

static int take_pick(void *arg, const char *value, const char *shown, const char *label,
		     const char *place)
{
	(void)shown;
	(void)place;
	sb_addf(arg, "%s %s\n", value, label ? label : "");
	return 0;
}

/* What F5 offers for field column of entity as who, for text. */
static char *picks(struct db *who, const char *entity, const char *column, const char *text)
{
	const struct dict_entity *e = dict_find(entity);
	struct strbuf out = {0};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (browse_lookup(who, dict_field_by_header(e, column), text, 20, take_pick, &out, &err) < 0)
		fail_msg("%s.%s F5 %s: %s", entity, column, text, err.msg);
	return sb_detach(&out);
}

/* A visit's case picked with F5 by a station user: the cases she reads,
 * by number and recipient's name, found by the recipient's name and its
 * initials; an administrator sees the name too, not the number. */
static void test_a_case_is_picked_by_its_number_and_recipient(void **state)
{
	char *got;

	(void)state;
	got = picks(clerk, "visits", "case_no", "");
	assert_non_null(strstr(got, "120110001-2024-0001 刘大爷\n"));
	assert_non_null(strstr(got, "120110001-2024-0002 小*\n"));
	free(got);
	got = picks(clerk, "visits", "case_no", "ldy");
	assert_string_equal(got, "120110001-2024-0001 刘大爷\n");
	free(got);
	got = picks(clerk, "visits", "case_no", "刘大");
	assert_string_equal(got, "120110001-2024-0001 刘大爷\n");
	free(got);
	got = picks(clerk, "visits", "case_no", "120110001-2024-0001");
	assert_string_equal(got, "120110001-2024-0001 刘大爷\n");
	free(got);
	/* a record with no search field but its key: an evaluation's contract */
	got = picks(county, "evaluations", "contract_no", "");
	assert_true(strlen(got) > 0);
	free(got);
	got = picks(db, "visits", "case_no", "120110001-2024-0001");
	assert_string_equal(got, "120110001-2024-0001 刘大爷\n");
	free(got);
}

/* F5 on a division offers the reader's own first: a station user's
 * township and villages, not Beijing's districts; all are still found. */
static void test_a_division_is_picked_from_the_readers_scope_first(void **state)
{
	char *got;

	(void)state;
	got = picks(clerk, "recipients", "village", "");
	assert_int_equal(strncmp(got, "120110001000 ", 13), 0);
	assert_non_null(strstr(got, "\n120110001001 "));
	free(got);
	got = picks(clerk, "recipients", "village", "东城区");
	assert_non_null(strstr(got, "110101000000 东城区\n"));
	free(got);
	got = picks(county, "recipients", "village", "");
	assert_int_equal(strncmp(got, "120110000000 ", 13), 0);
	free(got);
}

/* A choice is found by the label the list shows, in the reader's
 * language: a case by its status, a recipient by a category of her list. */
static void test_filter_finds_rows_by_the_label_of_a_choice(void **state)
{
	(void)state;
	static const char *const no[] = {"case_no", NULL};
	static const char *const id[] = {"name", NULL};
	const char *dir = getenv("SGZ_LOCALEDIR");

	i18n_init("zh_CN", dir ? dir : "");
	assert_list(clerk, "cases", "介入", no, "120110001-2024-0001\n");
	assert_list(clerk, "cases", "接案", no, "120110001-2024-0003\n");
	assert_list(clerk, "recipients", "最低生活", id, "刘大爷\n");
	assert_list(clerk, "recipients", "留守", id, "小*\n");
	/* the English label is not a Chinese reader's, nor the code */
	assert_list(clerk, "cases", "Intervention", no, "");
	i18n_init("en", dir ? dir : "");
	assert_list(county, "cases", "interv", no, "120110001-2024-0001\n");
	assert_list(county, "cases", "介入", no, "");
}

static void test_filter_finds_visits_and_evaluations_by_names(void **state)
{
	(void)state;
	static const char *const cols[] = {"visit_date", NULL};
	static const char *const contract[] = {"kind", NULL};

	/* a visit by its case's recipient, by the initials too */
	assert_list(clerk, "visits", "刘大爷", cols, "2024-01-15\n2024-02-14\n");
	assert_list(county, "visits", "ldy", cols, "2024-01-15\n2024-02-14\n");
	/* an evaluation by its contract's organization */
	assert_list(county, "evaluations", "乐群", contract, "annual\nmid_term\n");
}

/* A list of codes: the names of its villages, in its order. */
static void test_a_service_points_villages_by_name(void **state)
{
	(void)state;
	static const char *const cols[] = {"name", "villages", NULL};
	const struct dict_entity *points = dict_find("service_points");
	struct sgz_err err;
	char *name = NULL;

	assert_list(clerk, "service_points", NULL, cols,
		    "张贵庄第一社工点|张贵庄第一社区;示范村\n");
	assert_list(county, "service_points", "示范", cols,
		    "张贵庄第一社工点|张贵庄第一社区;示范村\n");
	assert_list(county, "service_points", "丰年", cols, "");
	/* the names of a list typed, a code of nothing marked */
	sgz_err_clear(&err);
	assert_int_equal(record_ref_name(clerk, points, dict_field_by_header(points, "villages"),
					 "120110001201;120110001999", &name, &err),
			 0);
	assert_string_equal(name, "示范村;" BROWSE_UNRESOLVED "120110001999");
	free(name);
}

static void test_filter_finds_hours_by_the_volunteers_name(void **state)
{
	(void)state;
	static const char *const cols[] = {"volunteer", "service_date", NULL};

	assert_list(clerk, "hours", "张敏", cols, "张敏|2024-03-05\n张敏|2024-03-06\n");
	assert_list(county, "hours", "zl", cols, "赵磊|2024-03-05\n");
	/* the activity's title, as before */
	assert_list(county, "hours", "雷锋", cols, "张敏|2024-03-05\n赵磊|2024-03-05\n");
}

/* take() that keeps the key of the row too. */
struct walk {
	struct shown s;
	char key[256];
	int rows;
};

static int take_keyed(void *arg, const char *key, const char *const *cells)
{
	struct walk *w = arg;

	snprintf(w->key, sizeof(w->key), "%s", key);
	w->rows++;
	return take(&w->s, key, cells);
}

static void test_keyset_pages_keep_their_order_with_names(void **state)
{
	(void)state;
	struct browse *b = browse_new(county, dict_find("cases"));
	struct shown all = {b, case_cols, {0}};
	struct walk w = {{b, case_cols, {0}}, "", 0};
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(browse_first(b, NULL, 20, take, &all, &err), 0);
	/* a row at a time from the first, each after the last one's key */
	assert_int_equal(browse_first(b, NULL, 1, take_keyed, &w, &err), 0);
	for (int before = 0; w.rows != before && w.rows < 10;) {
		before = w.rows;
		assert_int_equal(browse_after(b, NULL, w.key, 1, take_keyed, &w, &err), 0);
	}
	assert_int_equal(w.rows, 3);
	assert_string_equal(sb_str(&w.s.out), sb_str(&all.out));
	sb_free(&w.s.out);
	sb_free(&all.out);
	browse_free(b);
}

/* The name a form shows beside a reference's code. */
static void test_the_name_beside_a_code(void **state)
{
	(void)state;
	const struct dict_entity *cases = dict_find("cases");
	const struct dict_field *station = dict_field_by_header(cases, "station");
	const struct dict_field *recipient = dict_field_by_header(cases, "recipient");
	struct sgz_err err;
	char *name = NULL;

	sgz_err_clear(&err);
	assert_int_equal(record_ref_name(clerk, cases, station, "120110001000", &name, &err), 0);
	assert_string_equal(name, STATION_NAME);
	free(name);
	/* a code that refers to nothing: no name */
	assert_int_equal(record_ref_name(clerk, cases, station, "120110009000", &name, &err), 0);
	assert_null(name);
	/* a person by pid, as the list shows him; a child masked */
	char *pid = dbtest_one(db, "SELECT pid FROM sgz.recipient WHERE name = '小明'");
	char *token = record_person_token(pid);
	assert_int_equal(record_ref_name(clerk, cases, recipient, token, &name, &err), 0);
	assert_string_equal(name, "小*");
	free(name);
	assert_int_equal(record_ref_name(db, cases, recipient, token, &name, &err), 0);
	assert_string_equal(name, "小明");
	free(name);
	free(token);
	free(pid);
	/* a person by the number typed, in the reader's scope */
	assert_int_equal(
	    record_ref_name(clerk, cases, recipient, "120110195001010066", &name, &err), 0);
	assert_string_equal(name, "刘大爷");
	free(name);
	assert_int_equal(
	    record_ref_name(clerk, cases, recipient, "120110196001010079", &name, &err), 0);
	assert_null(name);
	/* not a reference shown by name */
	assert_int_equal(record_ref_name(clerk, cases, dict_field_by_header(cases, "method"),
					 "group", &name, &err),
			 0);
	assert_null(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_case_list_shows_people_and_the_station_by_name),
	    cmocka_unit_test(test_hours_list_shows_the_volunteer_and_the_station_by_name),
	    cmocka_unit_test(test_filter_finds_cases_by_names_and_initials),
	    cmocka_unit_test(test_filter_finds_hours_by_the_volunteers_name),
	    cmocka_unit_test(test_filter_finds_rows_by_the_label_of_a_choice),
	    cmocka_unit_test(test_a_case_is_picked_by_its_number_and_recipient),
	    cmocka_unit_test(test_a_division_is_picked_from_the_readers_scope_first),
	    cmocka_unit_test(test_a_service_points_villages_by_name),
	    cmocka_unit_test(test_filter_finds_visits_and_evaluations_by_names),
	    cmocka_unit_test(test_keyset_pages_keep_their_order_with_names),
	    cmocka_unit_test(test_the_name_beside_a_code),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
