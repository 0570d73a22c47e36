/* test_search.c - search finds what is shown (spec/work.md, "People and
 * places, not codes"; migration 0021): the `/` filter and the F5 pickers
 * find rows by the pinyin initials of the names of places (zgz: the cases,
 * staff and stations of 张贵庄街道), of activities' titles (sdbkt: 四点半课堂
 * and its hours) and of choices' labels (rh: the visits of kind 入户走访);
 * people through sgz.person_match(), which finds what the masking views
 * show and nothing more: a child under 14 only by his masked name and
 * first initial (but by admins), nobody outside the reader's scope, no
 * number in full; a picker's namesakes shown apart by their masked numbers
 * and stations. As a station user, a county user and the superuser
 * (admin), in Chinese. */
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
#include "sgz/divtree.h"
#include "sgz/i18n.h"

#define ZGZ "张贵庄街道"
#define FNC "丰年村街道"

static struct db *db;	  /* the superuser: admin */
static struct db *clerk;  /* zgz, station user of 120110001 */
static struct db *county; /* dl, county user of 120110 */

/* A failure's text as TAP comments, one line each. */
static void tap_note(const char *what, const char *got, const char *want)
{
	printf("# %s: got\n", what);
	for (const char *p = got; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("#   %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
	printf("# want\n");
	for (const char *p = want; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("#   %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
	fflush(stdout);
}

static void import_text(const char *entity, const char *csv)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/sgz-search.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		fail_msg("%s: cannot write", path);
	fputs(csv, f);
	fclose(f);
	dbtest_import(db, entity, path);
	remove(path);
}

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions",  "organizations", "stations",	 "service_points", "staff",
	    "volunteers", "activities",	   "hours",	 "recipients",	   "cases",
	    "visits",	  "contracts",	   "evaluations"};
	const char *dir = getenv("SGZ_LOCALEDIR");

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* namesakes at both stations; 四点半课堂 at both, hours at 丰年村's */
	import_text("staff", "id_number,name,station,role,hired_on\n"
			     "120110198808080018,周杰,120110001000,fulltime,2022-01-01\n"
			     "120110198909090020,周杰,120110002000,fulltime,2022-01-01\n");
	import_text("volunteers", "id_number,name,station,registered_on\n"
				  "120110199505050035,钱多多,120110002000,2022-01-01\n");
	import_text("activities", "station,date,title,kind\n"
				  "120110001000,2024-03-07,四点半课堂,small_event\n"
				  "120110002000,2024-03-07,四点半课堂,small_event\n");
	import_text("hours", "volunteer,service_date,station,activity,hours\n"
			     "120110199505050035,2024-03-07,120110002000,四点半课堂,2\n");
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station')"));
	free(dbtest_one(db, "SELECT sgz.user_add('dl', '120110000000', 'county')"));
	clerk = dbtest_connect("user=zgz");
	county = dbtest_connect("user=dl");
	i18n_init("zh_CN", dir ? dir : "");
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

/* The rows of a list: each row's cells of the columns named, '|'-separated,
 * one row a line. */
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

static void assert_list(struct db *who, const char *entity, const char *filter,
			const char *const *columns, const char *want)
{
	struct browse *b = browse_new(who, dict_find(entity));
	struct shown s = {b, columns, {0}};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (browse_first(b, filter, 20, take, &s, &err) < 0)
		fail_msg("%s /%s: %s", entity, filter ? filter : "", err.msg);
	browse_free(b);
	if (strcmp(sb_str(&s.out), want) != 0) {
		char what[256];
		snprintf(what, sizeof(what), "%s /%s", entity, filter ? filter : "");
		tap_note(what, sb_str(&s.out), want);
		fail();
	}
	sb_free(&s.out);
}

/* A pick: "label shown place" for a person (by pid), "value label" else. */
static int take_pick(void *arg, const char *value, const char *shown, const char *label,
		     const char *place)
{
	if (value[0] == '#')
		sb_addf(arg, "%s %s %s\n", label ? label : "", shown, place ? place : "-");
	else
		sb_addf(arg, "%s %s\n", value, label ? label : "");
	return 0;
}

static void assert_picks(struct db *who, const char *entity, const char *column,
			 const char *text, const char *want)
{
	const struct dict_entity *e = dict_find(entity);
	struct strbuf out = {0};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (browse_lookup(who, dict_field_by_header(e, column), text, 20, take_pick, &out, &err) <
	    0)
		fail_msg("%s.%s F5 %s: %s", entity, column, text, err.msg);
	if (strcmp(sb_str(&out), want) != 0) {
		char what[256];
		snprintf(what, sizeof(what), "%s.%s F5 %s", entity, column, text);
		tap_note(what, sb_str(&out), want);
		fail();
	}
	sb_free(&out);
}

static const char *const case_no[] = {"case_no", NULL};

/* zgz: the township's initials find what refers to its station. */
static void test_a_station_is_found_by_its_townships_initials(void **state)
{
	(void)state;
	static const char *const staff[] = {"name", "station", NULL};
	static const char *const station[] = {"township", NULL};

	assert_list(clerk, "cases", "zgz", case_no,
		    "120110001-2024-0001\n120110001-2024-0002\n");
	assert_list(county, "cases", "ZGZ", case_no,
		    "120110001-2024-0001\n120110001-2024-0002\n");
	assert_list(county, "cases", "fnc", case_no, "");
	assert_list(county, "staff", "zgz", staff,
		    "王芳|" ZGZ "\n李强|" ZGZ "\n周杰|" ZGZ "\n");
	assert_list(county, "staff", "fnc", staff, "周杰|" FNC "\n");
	/* a station user reads no other station's staff */
	assert_list(clerk, "staff", "fnc", staff, "");
	assert_list(county, "stations", "zgz", station, "120110001000\n");
	/* a recipient by her village's initials (示范村) */
	static const char *const name[] = {"name", NULL};
	assert_list(clerk, "recipients", "sfc", name, "刘大爷\n小*\n");
	/* F5: a case's station, a worker by his station's name or initials */
	assert_picks(county, "cases", "station", "zgz",
		     "120110001000 东丽区" ZGZ "社会工作服务站\n");
	assert_picks(county, "cases", "worker", "zgz",
		     "王芳 1201**********002X " ZGZ "\n李强 1201**********003X " ZGZ "\n"
		     "周杰 1201**********0018 " ZGZ "\n");
	assert_picks(county, "cases", "worker", "丰年村",
		     "周杰 1201**********0020 " FNC "\n");
	/* F5 on a division: a village, a township by their initials, the
	 * reader's first */
	assert_picks(clerk, "recipients", "village", "sfc", "120110001201 示范村\n");
	{
		const struct dict_entity *st = dict_find("stations");
		struct strbuf out = {0};
		struct sgz_err err;
		sgz_err_clear(&err);
		assert_int_equal(browse_lookup(county, dict_field_by_header(st, "township"), "zgz",
					       20, take_pick, &out, &err),
				 0);
		/* the reader's own first, then the country's */
		assert_int_equal(strncmp(sb_str(&out), "120110001000 " ZGZ "\n", 27), 0);
		assert_non_null(strstr(sb_str(&out), "130181102000 张古庄镇\n"));
		sb_free(&out);
	}
}

/* sdbkt: an activity by its title's initials, and its hours. */
static void test_an_activity_is_found_by_its_titles_initials(void **state)
{
	(void)state;
	static const char *const activity[] = {"station", "title", NULL};
	static const char *const hours[] = {"volunteer", "activity", NULL};

	assert_list(clerk, "activities", "sdbkt", activity, ZGZ "|四点半课堂\n");
	assert_list(county, "activities", "SDB", activity,
		    ZGZ "|四点半课堂\n" FNC "|四点半课堂\n");
	assert_list(county, "hours", "sdbkt", hours, "钱多多|四点半课堂\n");
	/* 丰年村's hours are not the station user's */
	assert_list(clerk, "hours", "sdbkt", hours, "");
	/* and 学雷锋志愿服务日 as before, by its title and its initials */
	assert_list(clerk, "hours", "xlf", hours,
		    "张敏|学雷锋志愿服务日\n赵磊|学雷锋志愿服务日\n");
	/* initials start the title: "dbkt" is no start */
	assert_list(county, "activities", "dbkt", activity, "");
}

/* rh: a choice by its Chinese label's initials. */
static void test_a_choice_is_found_by_its_labels_initials(void **state)
{
	(void)state;
	static const char *const visit[] = {"visit_date", "kind", NULL};
	static const char *const staff[] = {"name", NULL};
	const char *dir = getenv("SGZ_LOCALEDIR");

	assert_list(clerk, "visits", "rh", visit, "2024-01-15|home_visit\n");
	assert_list(county, "visits", "RH", visit, "2024-01-15|home_visit\n");
	assert_list(county, "visits", "dhhf", visit, "2024-02-14|phone\n");
	/* a role: 站长, 驻站社工 and 专职社工 all start zz; 督导 nobody */
	assert_list(county, "staff", "zz", staff, "王芳\n李强\n周杰\n周杰\n");
	assert_list(county, "staff", "dd", staff, "");
	/* a list of choices: a recipient's categories (空巢/独居老年人) */
	static const char *const name[] = {"name", NULL};
	assert_list(clerk, "recipients", "kc", name, "刘大爷\n");
	/* English labels have no initials */
	i18n_init("en", dir ? dir : "");
	assert_list(clerk, "visits", "rh", visit, "");
	i18n_init("zh_CN", dir ? dir : "");
}

/* People are found by what the views show of them: a child under 14 by
 * 小* and "x" (but by admins), nobody outside the scope; the same from
 * sgz.person_match() called by hand. */
static void test_people_are_found_only_as_the_views_show_them(void **state)
{
	(void)state;
	static const char *const name[] = {"name", NULL};
	char *n;

	/* the recipients list (its own names) */
	assert_list(clerk, "recipients", "刘大爷", name, "刘大爷\n");
	assert_list(county, "recipients", "ldy", name, "刘大爷\n");
	assert_list(clerk, "recipients", "小明", name, "");
	assert_list(county, "recipients", "xm", name, "");
	assert_list(county, "recipients", "明", name, "");
	assert_list(county, "recipients", "小*", name, "小*\n");
	assert_list(db, "recipients", "xm", name, "小明\n");
	/* the visits of a case, by its recipient */
	static const char *const visit[] = {"visit_date", NULL};
	assert_list(clerk, "visits", "ldy", visit, "2024-01-15\n2024-02-14\n");
	/* F5 on a case's recipient: a child masked and not found by his name */
	assert_picks(clerk, "cases", "recipient", "小明", "");
	assert_picks(county, "cases", "recipient", "xm", "");
	assert_picks(clerk, "cases", "recipient", "小",
		     "小* 1201**********0051 示范村\n");
	/* (an admin's scope spans counties: the village after its county) */
	assert_picks(db, "cases", "recipient", "xm", "小明 1201**********0051 东丽区示范村\n");
	/* F5 on a visit's case: by the recipient's initials, not the child's */
	assert_picks(clerk, "visits", "case_no", "ldy", "120110001-2024-0001 刘大爷\n");
	assert_picks(county, "visits", "case_no", "xm", "");
	/* the function itself, as each reader */
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', '%小明%', 'xm%')");
	assert_string_equal(n, "0");
	free(n);
	n = dbtest_one(county, "SELECT count(*) FROM sgz.person_match('recipients', '%小明%', 'xm%')");
	assert_string_equal(n, "0");
	free(n);
	n = dbtest_one(db, "SELECT count(*) FROM sgz.person_match('recipients', '%小明%', 'xm%')");
	assert_string_equal(n, "1");
	free(n);
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', '%小*%', 'x%')");
	assert_string_equal(n, "1");
	free(n);
	/* exactly what the view shows, whatever the patterns (0031): the
	 * child shows as 小* and x, so he is found by them, not by more */
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', NULL, 'x')");
	assert_string_equal(n, "1");
	free(n);
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', NULL, 'xm')");
	assert_string_equal(n, "0");
	free(n);
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', '小_', NULL)");
	assert_string_equal(n, "1");
	free(n);
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('recipients', '小明', NULL)");
	assert_string_equal(n, "0");
	free(n);
	n = dbtest_one(db, "SELECT count(*) FROM sgz.person_match('recipients', '小明', 'xm')");
	assert_string_equal(n, "1");
	free(n);
	/* nobody outside the scope: 钱多多 is 丰年村's */
	n = dbtest_one(clerk, "SELECT count(*) FROM sgz.person_match('volunteers', '%钱多多%', 'qdd%')");
	assert_string_equal(n, "0");
	free(n);
	n = dbtest_one(county, "SELECT count(*) FROM sgz.person_match('volunteers', '%钱多多%', 'qdd%')");
	assert_string_equal(n, "1");
	free(n);
	/* it gives pids, never a number */
	n = dbtest_one(county, "SELECT pg_get_function_result('sgz.person_match(text, text, text)'"
			       "::regprocedure)");
	assert_string_equal(n, "TABLE(pid bigint)");
	free(n);
}

/* Namesakes: F5 lists them all, each with its masked number and station;
 * a station user only his own. */
static void test_namesakes_are_shown_apart(void **state)
{
	(void)state;
	assert_picks(county, "cases", "worker", "周杰",
		     "周杰 1201**********0018 " ZGZ "\n周杰 1201**********0020 " FNC "\n");
	assert_picks(county, "cases", "worker", "zj",
		     "周杰 1201**********0018 " ZGZ "\n周杰 1201**********0020 " FNC "\n");
	assert_picks(clerk, "cases", "worker", "周杰", "周杰 1201**********0018 " ZGZ "\n");
	/* a volunteer: her station; nobody of another station's */
	assert_picks(county, "hours", "volunteer", "qdd", "钱多多 1201**********0035 " FNC "\n");
	assert_picks(clerk, "hours", "volunteer", "qdd", "");
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

/* The hours' filter is the first rows of each of its terms merged
 * (dict_entity.filter_by_terms): a row found by two terms once, pages
 * after and before a row in the list's order, as the whole list. */
static void test_filtered_hours_page_as_the_whole_list(void **state)
{
	(void)state;
	static const char *const cols[] = {"volunteer", "service_date", "activity", NULL};
	const char *want = "张敏|2024-03-05|学雷锋志愿服务日\n"
			   "赵磊|2024-03-05|学雷锋志愿服务日\n"
			   "张敏|2024-03-06|\n";
	struct sgz_err err;

	/* z: 张敏, 赵磊 (their initials) and 张贵庄街道 (its): each row once */
	assert_list(county, "hours", "z", cols, want);
	/* the station's name alone: its hours in order (read by the list's
	 * index in order, = ANY) */
	assert_list(county, "hours", "张贵庄", cols, want);
	assert_list(county, "hours", "丰年村", cols, "钱多多|2024-03-07|四点半课堂\n");
	sgz_err_clear(&err);
	for (int back = 0; back < 2; back++) {
		struct browse *b = browse_new(county, dict_find("hours"));
		struct walk w = {{b, cols, {0}}, "", 0};
		assert_int_equal((back ? browse_last : browse_first)(b, "z", 1, take_keyed, &w, &err),
				 0);
		for (int before = 0; w.rows != before && w.rows < 10;) {
			before = w.rows;
			assert_int_equal((back ? browse_before : browse_after)(b, "z", w.key, 1,
									      take_keyed, &w, &err),
					 0);
		}
		assert_int_equal(w.rows, 3);
		if (!back) {
			assert_string_equal(sb_str(&w.s.out), want);
		} else {
			assert_string_equal(sb_str(&w.s.out), "张敏|2024-03-06|\n"
							      "赵磊|2024-03-05|学雷锋志愿服务日\n"
							      "张敏|2024-03-05|学雷锋志愿服务日\n");
		}
		sb_free(&w.s.out);
		browse_free(b);
	}
	/* a page of two, then the next */
	struct browse *b = browse_new(county, dict_find("hours"));
	struct walk w = {{b, cols, {0}}, "", 0};
	assert_int_equal(browse_first(b, "z", 2, take_keyed, &w, &err), 0);
	assert_int_equal(browse_after(b, "z", w.key, 2, take_keyed, &w, &err), 0);
	assert_string_equal(sb_str(&w.s.out), want);
	sb_free(&w.s.out);
	browse_free(b);
	/* digits: the masked number's, as before */
	assert_list(clerk, "hours", "0042", cols,
		    "张敏|2024-03-05|学雷锋志愿服务日\n张敏|2024-03-06|\n");
}

/* The list's export writes what its filter finds, the same way. */
static void test_a_filtered_export_finds_the_same(void **state)
{
	(void)state;
	static const char *const want[][2] = {
	    {"hours", "120110002000,四点半课堂"}, {"visits", "home_visit"}, {"cases", "120110001-2024-0001"}};
	static const char *const text[] = {"sdbkt", "rh", "zgz"};

	for (size_t i = 0; i < SGZ_ARRAY_LEN(text); i++) {
		struct browse *b = browse_new(county, dict_find(want[i][0]));
		struct sgz_err err;
		long rows = -1;
		char buf[8192];
		FILE *f = tmpfile();
		size_t n;

		assert_non_null(f);
		sgz_err_clear(&err);
		if (browse_export(b, text[i], f, &rows, &err) < 0)
			fail_msg("%s /%s: %s", want[i][0], text[i], err.msg);
		assert_true(rows >= 1);
		rewind(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		assert_non_null(strstr(buf, want[i][1]));
		browse_free(b);
	}
}

static int take_division(void *arg, const struct divtree_row *row)
{
	sb_addf(arg, "%s %s\n", row->code, row->name);
	return 0;
}

/* The division browser's search below a division: by the initials of
 * the names too (zgz), letters in any case; digits stay a code's start. */
static void test_the_division_browser_finds_initials(void **state)
{
	(void)state;
	struct divtree *dt = divtree_new(county);
	struct strbuf out = {0};
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(divtree_fetch(dt, "120110000000", "ZGZ", DIVTREE_FIRST, NULL, 20,
				       take_division, &out, &err),
			 0);
	assert_string_equal(sb_str(&out), "120110001000 " ZGZ "\n120110001001 张贵庄第一社区\n");
	sb_reset(&out);
	assert_int_equal(divtree_fetch(dt, "120110000000", "sfc", DIVTREE_FIRST, NULL, 20,
				       take_division, &out, &err),
			 0);
	assert_string_equal(sb_str(&out), "120110001201 示范村\n");
	sb_reset(&out);
	/* by name as before */
	assert_int_equal(divtree_fetch(dt, "120110000000", "示范", DIVTREE_FIRST, NULL, 20,
				       take_division, &out, &err),
			 0);
	assert_string_equal(sb_str(&out), "120110001201 示范村\n");
	sb_free(&out);
	divtree_free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_station_is_found_by_its_townships_initials),
	    cmocka_unit_test(test_an_activity_is_found_by_its_titles_initials),
	    cmocka_unit_test(test_a_choice_is_found_by_its_labels_initials),
	    cmocka_unit_test(test_people_are_found_only_as_the_views_show_them),
	    cmocka_unit_test(test_namesakes_are_shown_apart),
	    cmocka_unit_test(test_filtered_hours_page_as_the_whole_list),
	    cmocka_unit_test(test_a_filtered_export_finds_the_same),
	    cmocka_unit_test(test_the_division_browser_finds_initials),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
