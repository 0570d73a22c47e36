/* test_stationpage.c - what the station page reads (spec/work.md, Work
 * screens 3), as the users who read it: a station user of 120110001 and a
 * county user of 120110. The qualification deadline, a field the
 * dictionary derives (dict_field.derived; rules.md: hired_on + 2 years,
 * for active social-work staff not qualified today), in the staff list
 * and the staff form, never exported; and one station's figures
 * (desk_station_load()), the desk's own for that station. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbtest.h"
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/deskdata.h"
#include "sgz/dict.h"
#include "sgz/record.h"
#include "sgz/related.h"
#include "sgz/transfer.h"

static struct db *db;	  /* the superuser */
static struct db *clerk;  /* zgz, station user of 120110001 */
static struct db *county; /* dl, county user of 120110 */

/* Beside the fixtures' 王芳 (head, qualified) and 李强 (resident, hired
 * 2021-07-15, unqualified): 赵敏, unqualified, hired a year ago; 孙丽, a
 * coordinator (no deadline: not social-work staff); 周涛, unqualified but
 * gone; 吴刚, qualified only next month (not qualified today); a contract
 * binding the station today, of 3 staff and 1 qualified; a case open at
 * the station. */
static const char *const dated[] = {
    "INSERT INTO sgz.staff (id_number, name, station, role, hired_on, left_on,"
    " qualification, qualified_on) VALUES"
    " ('120110199203040114', '赵敏', '120110001000', 'fulltime',"
    "  (current_date - interval '1 year')::date, NULL, 'none', NULL),"
    " ('120110199304050127', '孙丽', '120110001000', 'coordinator', '2020-01-01', NULL,"
    "  'none', NULL),"
    " ('120110198801010033', '周涛', '120110001000', 'resident', '2020-01-01',"
    "  current_date - 10, 'none', NULL),"
    " ('120110198902020046', '吴刚', '120110001000', 'resident', '2023-03-01', NULL,"
    "  'assistant', current_date + 30)",
    "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method,"
    " cycle_start, year_no, starts_on, ends_on, amount, stations, required_staff,"
    " required_qualified) VALUES ('DL-PAGE-1', '120110000000', '52120110MJ0000001Y',"
    " 'competitive_consultation', extract(year FROM current_date)::int, 1,"
    " current_date - 100, current_date + 100, 300000, ARRAY['120110001000'], 5, 2)",
    "INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on) VALUES"
    " ('120110001-2026-0951', '120110195001010066', '120110001000', '12011019850315002X',"
    "  'individual', current_date - 10)",
    "INSERT INTO sgz.activity (station, date, title, kind) VALUES"
    " ('120110001000', current_date, '本年培训', 'training')",
};

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions", "organizations", "stations", "staff", "volunteers", "activities",
	    "recipients", "cases", "visits", "contracts", "evaluations"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	for (size_t i = 0; i < SGZ_ARRAY_LEN(dated); i++)
		dbtest_exec(db, dated[i]);
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

/* The staff list's rows as "name|qualify_by" lines, and the key of the
 * row named want_key (its pid: lists key people by it). */
struct rows {
	const struct browse *b;
	struct strbuf out;
	const char *want_key;
	char *key;
};

static int take(void *arg, const char *key, const char *const *cells)
{
	struct rows *s = arg;
	const char *name = "", *by = "";

	for (size_t c = 0; c < browse_ncolumns(s->b); c++) {
		const char *col = browse_column(s->b, c)->column;
		if (strcmp(col, "name") == 0)
			name = cells[c] ? cells[c] : "";
		else if (strcmp(col, "qualify_by") == 0)
			by = cells[c] ? cells[c] : "";
	}
	sb_addf(&s->out, "%s|%s\n", name, by);
	if (s->want_key && strcmp(name, s->want_key) == 0)
		s->key = strdup(key);
	return 0;
}

static char *staff_list(struct db *who, const char *want_key, char **key)
{
	const struct dict_entity *e = dict_find("staff");
	struct browse *b = browse_new(who, e);
	struct rows s = {b, {0}, want_key, NULL};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (browse_first(b, NULL, 20, take, &s, &err) < 0)
		fail_msg("staff list: %s", err.msg);
	browse_free(b);
	if (key)
		*key = s.key;
	else
		free(s.key);
	return sb_detach(&s.out);
}

static char *deadline(int years_ago_plus, const char *from)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT (%s + interval '%d years')::date::text", from,
		 years_ago_plus);
	return dbtest_one(db, sql);
}

/* The staff list shows the deadline of those it applies to, and only
 * theirs; the column is the dictionary's, read-only. */
static void test_deadline_in_list(void **state)
{
	const struct dict_entity *e = dict_find("staff");
	const struct dict_field *f = dict_field_by_header(e, "qualify_by");
	char *zhao = deadline(2, "(current_date - interval '1 year')::date");
	char want[512];

	(void)state;
	assert_non_null(f);
	assert_true(f->flags & DF_NOEXPORT);
	assert_true(f->flags & DF_LIST);
	assert_non_null(f->derived);
	snprintf(want, sizeof(want), "赵敏|%s\n", zhao);
	for (int w = 0; w < 2; w++) {
		char *got = staff_list(w ? county : clerk, NULL, NULL);
		assert_non_null(strstr(got, "李强|2023-07-15\n"));
		assert_non_null(strstr(got, "王芳|\n"));	    /* qualified */
		assert_non_null(strstr(got, "孙丽|\n"));	    /* a coordinator */
		assert_non_null(strstr(got, "周涛|\n"));	    /* gone */
		assert_non_null(strstr(got, "吴刚|2025-03-01\n")); /* qualified only later */
		assert_non_null(strstr(got, want));
		free(got);
	}
	free(zhao);
}

/* The staff form reads it with the record; nothing writes or exports it. */
static void test_deadline_in_form(void **state)
{
	const struct dict_entity *e = dict_find("staff");
	const struct dict_field *f = dict_field_by_header(e, "qualify_by");
	struct record_error re;
	struct record *r = NULL;
	struct strbuf cols = {0};
	char *key = NULL;
	char *got = staff_list(clerk, "李强", &key);

	(void)state;
	free(got);
	assert_non_null(key);
	record_error_init(&re);
	assert_int_equal(record_load(clerk, e, key, &r, &re), RECORD_OK);
	assert_string_equal(record_value(r, (size_t)dict_field_index(e, f)), "2023-07-15");
	/* saved unchanged through the form's statement: the deadline is not
	 * a column of the table */
	assert_int_equal(record_save(clerk, r, &re), RECORD_OK);
	record_free(r);
	record_error_free(&re);
	free(key);
	transfer_export_columns(&cols, e);
	assert_null(strstr(sb_str(&cols), "qualify_by"));
	assert_null(strstr(sb_str(&cols), "interval"));
	sb_free(&cols);
}

/* The station's staff pane names who is past the deadline and whose
 * falls within 90 days, on top of its rows (dict_child.summary_sql). */
static void test_deadline_summary(void **state)
{
	const struct dict_entity *e = dict_find("stations");
	const char *key_values[1] = {"120110001000"};
	const char **values = calloc(e->nfields + 1, sizeof(*values));
	struct record_error re;
	struct record *r = NULL;
	struct sgz_err err;
	size_t n;
	const struct dict_child *c = related_children(e, &n);
	char *key, *line = NULL;

	(void)state;
	assert_true(n > 0);
	assert_string_equal(c[0].entity, "staff");
	values[0] = key_values[0];
	key = record_key_encode(e, values);
	free(values);
	record_error_init(&re);
	assert_int_equal(record_load(clerk, e, key, &r, &re), RECORD_OK);
	sgz_err_clear(&err);
	assert_int_equal(related_summary(clerk, e, &c[0], r, "%1$s|%2$s", &line, &err), 0);
	/* 李强 (2023-07-15) and 吴刚 (2025-03-01), in the order of their
	 * deadlines; none within 90 days */
	assert_string_equal(line, "李强、吴刚|-");
	free(line);
	dbtest_exec(db, "UPDATE sgz.staff SET hired_on = (current_date + 30 - interval '2 years')::date"
			" WHERE name = '赵敏'");
	assert_int_equal(related_summary(clerk, e, &c[0], r, "%1$s|%2$s", &line, &err), 0);
	assert_string_equal(line, "李强、吴刚|赵敏");
	free(line);
	dbtest_exec(db, "UPDATE sgz.staff SET hired_on = (current_date - interval '1 year')::date"
			" WHERE name = '赵敏'");
	record_free(r);
	record_error_free(&re);
	free(key);
}

/* A contract year's grade, derived from its latest annual or final
 * evaluation (the fixtures' DL-2024-001: 86 in its annual one, good; the
 * mid-term's 78.5 does not decide), none without one; in the contracts
 * list, and so in the station's contracts pane. */
struct grades {
	const struct browse *b;
	struct strbuf out;
};

static int take_grade(void *arg, const char *key, const char *const *cells)
{
	struct grades *g = arg;
	const char *no = "", *grade = "";

	(void)key;
	for (size_t c = 0; c < browse_ncolumns(g->b); c++) {
		const char *col = browse_column(g->b, c)->column;
		if (strcmp(col, "contract_no") == 0)
			no = cells[c] ? cells[c] : "";
		else if (strcmp(col, "grade") == 0)
			grade = cells[c] ? cells[c] : "";
	}
	sb_addf(&g->out, "%s|%s\n", no, grade);
	return 0;
}

static void test_contract_grade(void **state)
{
	const struct dict_entity *e = dict_find("contracts");
	struct sgz_err err;

	(void)state;
	for (int w = 0; w < 2; w++) {
		struct browse *b = browse_new(w ? county : clerk, e);
		struct grades g = {b, {0}};
		sgz_err_clear(&err);
		if (browse_first(b, NULL, 20, take_grade, &g, &err) < 0)
			fail_msg("contracts: %s", err.msg);
		browse_free(b);
		assert_non_null(strstr(sb_str(&g.out), "DL-2024-001|good\n"));
		assert_non_null(strstr(sb_str(&g.out), "DL-PAGE-1|\n"));
		sb_free(&g.out);
	}
}

static void assert_same(const char *a, const char *b)
{
	assert_string_equal(a ? a : "", b ? b : "");
}

/* One station's figures are the desk's for that station: as its station
 * user and as the county's. */
static void test_station_figures(void **state)
{
	struct desk all, one, mine;
	struct sgz_err err;
	const struct desk_station *d = NULL;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(desk_load(county, &all, false, &err), 0);
	for (size_t i = 0; i < all.nst; i++)
		if (strcmp(all.st[i].code, "120110001000") == 0)
			d = &all.st[i];
	assert_non_null(d);
	assert_int_equal(desk_station_load(county, "120110001000", &one, &err), 0);
	assert_int_equal(desk_station_load(clerk, "120110001000", &mine, &err), 0);
	for (int w = 0; w < 2; w++) {
		const struct desk *x = w ? &mine : &one;
		assert_int_equal(x->nst, 1);
		const struct desk_station *s = &x->st[0];
		assert_string_equal(s->code, d->code);
		assert_string_equal(s->name, d->name);
		assert_int_equal(s->overdue, d->overdue);
		assert_int_equal(s->dl_passed, d->dl_passed);
		assert_int_equal(s->dl_soon, d->dl_soon);
		assert_same(s->staff, d->staff);
		assert_same(s->qualified, d->qualified);
		assert_same(s->req_staff, d->req_staff);
		assert_same(s->req_qualified, d->req_qualified);
		assert_same(s->compliant, d->compliant);
		assert_same(s->served, d->served);
		assert_same(s->individual_pct, d->individual_pct);
		assert_same(s->trainings, d->trainings);
		assert_same(s->meets, d->meets);
		assert_same(x->t_served, all.t_served);
		assert_same(x->t_trainings, all.t_trainings);
	}
	/* the contract of 5 and 2 binds it: 李强, 赵敏, 吴刚 and 王芳 are
	 * social-work staff today, 王芳 alone qualified; 李强 and 吴刚 past their deadlines */
	assert_string_equal(d->staff, "4");
	assert_string_equal(d->qualified, "1");
	assert_string_equal(d->req_staff, "5");
	assert_string_equal(d->req_qualified, "2");
	assert_string_equal(d->compliant, "no");
	assert_int_equal(d->dl_passed, 2); /* and 吴刚, hired 2023-03-01 */
	assert_string_equal(d->trainings, "1");
	assert_string_equal(one.t_served, "40");
	desk_free(&mine);
	/* another station is not the station user's */
	assert_int_equal(desk_station_load(clerk, "120110002000", &mine, &err), 0);
	assert_int_equal(mine.nst, 0);
	desk_free(&mine);
	desk_free(&one);
	desk_free(&all);
}

/* programmes.md, Targets per programme: the station's page and the desk
 * judge the station by the targets of the programme of the contract that
 * binds it, as the kpi report does; the desk's own line keeps the
 * settings'. */
static void test_programme_targets(void **state)
{
	struct desk all, one;
	struct sgz_err err;
	const struct desk_station *d = NULL;

	(void)state;
	sgz_err_clear(&err);
	dbtest_exec(db, "INSERT INTO sgz.programme (code, name, purchaser, kind, target_recipients,"
			" target_individual_pct, target_large_events, target_small_events,"
			" target_trainings) VALUES ('PG', '东丽项目', '120110000000', 'other', 1, 0,"
			" 0, 0, 1)");
	dbtest_exec(db, "UPDATE sgz.contract SET programme = 'PG' WHERE contract_no = 'DL-PAGE-1'");
	assert_int_equal(desk_station_load(county, "120110001000", &one, &err), 0);
	assert_int_equal(one.nst, 1);
	assert_string_equal(one.t_served, "1");
	assert_string_equal(one.t_trainings, "1");
	assert_string_equal(one.t_large, "0");
	assert_string_equal(one.st[0].meets, "yes");
	dbtest_assert_one(county,
			  "SELECT meets_targets FROM sgz.report_kpi('120110', current_date)"
			  " WHERE township_code = '120110001000'",
			  "yes");
	assert_int_equal(desk_load(county, &all, false, &err), 0);
	for (size_t i = 0; i < all.nst; i++)
		if (strcmp(all.st[i].code, "120110001000") == 0)
			d = &all.st[i];
	assert_non_null(d);
	assert_string_equal(d->meets, "yes");
	assert_string_equal(all.t_served, "40");
	desk_free(&one);
	desk_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deadline_in_list),
	    cmocka_unit_test(test_deadline_in_form),
	    cmocka_unit_test(test_deadline_summary),
	    cmocka_unit_test(test_contract_grade),
	    cmocka_unit_test(test_station_figures),
	    cmocka_unit_test(test_programme_targets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
