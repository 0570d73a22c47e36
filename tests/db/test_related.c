/* test_related.c - the records that belong to a record (spec/work.md,
 * "Related records"; related.h): each pane of the dictionary's children
 * is the child's list restricted to the parent's rows, in one keyset
 * statement, newest first where the dictionary says so, people named and
 * masked as lists mask them; the line of totals on top (the volunteer's
 * year's and lifetime hours and star, the activity's people and hours,
 * the case's next visit due); a new child filled with the parent's
 * fields; a parent deleted meanwhile. As a station user and a county
 * user, on the fixtures. */
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
#include "sgz/record.h"
#include "sgz/related.h"

static struct db *db;	  /* the superuser */
static struct db *clerk;  /* zgz, station user of 120110001 */
static struct db *county; /* dl, county user of 120110 */

/* Writes text into a scratch file and imports it into entity. */
static void import_text(const char *entity, const char *text)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/sgz-related.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		fail_msg("%s: cannot write", path);
	fputs(text, f);
	fclose(f);
	dbtest_import(db, entity, path);
	remove(path);
}

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions", "organizations", "stations", "service_points", "staff",
	    "volunteers", "activities", "hours", "recipients", "cases",
	    "visits", "contracts", "evaluations"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
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

/* The stored record of entity with key (record_key_encode(); a bare
 * value stands for the whole key of a one-field key), loaded as who. */
static struct record *load(struct db *who, const char *entity, const char *key)
{
	const struct dict_entity *e = dict_find(entity);
	struct record *r = NULL;
	struct record_error re;
	char *enc = NULL;

	if (key[0] != 'V') {
		const char **v = xcalloc(e->nfields + 1, sizeof(*v));
		for (size_t i = 0; i < e->nfields; i++)
			if (e->fields[i].flags & DF_KEY) {
				v[i] = key;
				break;
			}
		enc = record_key_encode(e, v);
		free(v);
		key = enc;
	}
	record_error_init(&re);
	if (record_load(who, dict_find(entity), key, &r, &re) != RECORD_OK)
		fail_msg("%s %s: not loaded: %s", entity, key, re.err.msg);
	record_error_free(&re);
	free(enc);
	return r;
}

/* A person's record key: his pid. */
static char *pid_of(const char *table, const char *id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT pid FROM %s WHERE id_number = '%s'", table, id);
	return dbtest_one(db, sql);
}

/* The child of entity parent named child. */
static const struct dict_child *child_of(const char *parent, const char *child, const char *label)
{
	size_t n;
	const struct dict_child *c = related_children(dict_find(parent), &n);

	for (size_t k = 0; k < n; k++)
		if (strcmp(c[k].entity, child) == 0 &&
		    (!label || (c[k].label && strcmp(c[k].label, label) == 0)))
			return &c[k];
	fail_msg("%s declares no child %s", parent, child);
	return NULL;
}

struct shown {
	const struct browse *b;
	const char *column;
	struct strbuf out;
};

static int take(void *arg, const char *key, const char *const *cells)
{
	struct shown *s = arg;

	(void)key;
	for (size_t c = 0; c < browse_ncolumns(s->b); c++)
		if (strcmp(browse_column(s->b, c)->column, s->column) == 0)
			sb_addf(&s->out, "%s%s", s->out.len ? "|" : "", cells[c] ? cells[c] : "");
	return 0;
}

/* Column of the rows of pane child of r (entity parent) as who sees
 * them, at most n, '|'-separated, in the pane's order. */
static char *pane(struct db *who, const struct record *r, const struct dict_child *c,
		  const char *column, size_t n)
{
	struct browse *b = related_browse(who, r->e, c, r);
	struct shown s = {b, column, {0}};
	struct sgz_err err;

	assert_non_null(b);
	sgz_err_clear(&err);
	if (browse_first(b, NULL, n, take, &s, &err) < 0)
		fail_msg("%s of %s: %s", c->entity, r->e->name, err.msg);
	browse_free(b);
	return sb_detach(&s.out);
}

#define assert_pane(who, r, c, column, n, want)                                                    \
	do {                                                                                       \
		char *got_ = pane((who), (r), (c), (column), (n));                                 \
		assert_string_equal(got_, (want));                                                 \
		free(got_);                                                                        \
	} while (0)

/* The summary of pane c with its columns '|'-separated. */
static char *summary(struct db *who, const struct record *r, const struct dict_child *c)
{
	char *line = NULL;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (related_summary(who, r->e, c, r, "%1$s|%2$s|%3$s|%4$s", &line, &err) < 0)
		fail_msg("summary of %s: %s", c->entity, err.msg);
	return line ? line : xstrdup("(none)");
}

/* A station's panes: its staff, service points, volunteers, activities,
 * open cases (not the closed one) and the contracts whose stations
 * include it, named. */
static void test_station(void **state)
{
	struct db *who[] = {clerk, county};

	(void)state;
	for (size_t w = 0; w < SGZ_ARRAY_LEN(who); w++) {
		struct record *r = load(who[w], "stations", "120110001000");
		assert_pane(who[w], r, child_of("stations", "staff", NULL), "name", 5, "王芳|李强");
		assert_pane(who[w], r, child_of("stations", "service_points", NULL), "name", 5,
			    "张贵庄第一社工点");
		assert_pane(who[w], r, child_of("stations", "volunteers", NULL), "name", 5,
			    "张敏|赵磊");
		assert_pane(who[w], r, child_of("stations", "activities", NULL), "title", 5,
			    "学雷锋志愿服务日");
		/* the recipient by name, the closed case 0002 left out */
		assert_pane(who[w], r, child_of("stations", "cases", NULL), "case_no", 5,
			    "120110001-2024-0001");
		assert_pane(who[w], r, child_of("stations", "cases", NULL), "recipient", 5,
			    "刘大爷");
		assert_pane(who[w], r, child_of("stations", "contracts", NULL), "contract_no", 5,
			    "DL-2024-001");
		record_free(r);
	}
}

/* Limited to the rows asked: a pane of one row shows one. */
static void test_limit(void **state)
{
	struct record *r = load(clerk, "stations", "120110001000");

	(void)state;
	assert_pane(clerk, r, child_of("stations", "staff", NULL), "name", 1, "王芳");
	record_free(r);
}

/* A person's panes by pid: a staff member's cases as worker, a child's
 * name masked there as lists mask it; a recipient's cases and visits
 * (through his cases, newest first). */
static void test_people(void **state)
{
	char *wang = pid_of("sgz.staff", "12011019850315002X");
	char *li = pid_of("sgz.staff", "12011019900101003X");
	char *liu = pid_of("sgz.recipient", "120110195001010066");
	struct record *r;

	(void)state;
	r = load(clerk, "staff", wang);
	assert_pane(clerk, r, child_of("staff", "cases", NULL), "case_no", 5, "120110001-2024-0001");
	record_free(r);
	r = load(clerk, "staff", li);
	assert_pane(clerk, r, child_of("staff", "cases", NULL), "case_no", 5, "120110001-2024-0002");
	assert_pane(clerk, r, child_of("staff", "cases", NULL), "recipient", 5, "小*");
	record_free(r);
	r = load(county, "recipients", liu);
	assert_pane(county, r, child_of("recipients", "cases", NULL), "case_no", 5,
		    "120110001-2024-0001");
	assert_pane(county, r, child_of("recipients", "visits", NULL), "visit_date", 5,
		    "2024-02-14|2024-01-15");
	record_free(r);
	free(wang);
	free(li);
	free(liu);
}

/* A case's visits newest first, pages by key; the next visit due on top
 * (rules.md: the last visit's date plus visit_interval_days). */
static void test_case(void **state)
{
	struct record *r = load(clerk, "cases", "120110001-2024-0001");
	const struct dict_child *c = child_of("cases", "visits", NULL);
	struct browse *b = related_browse(clerk, r->e, c, r);
	struct shown s = {b, "visit_date", {0}};
	struct sgz_err err;
	char *line, *late, *want;

	(void)state;
	assert_pane(clerk, r, c, "visit_date", 5, "2024-02-14|2024-01-15");
	/* the next page after the newest: the older one */
	sgz_err_clear(&err);
	assert_int_equal(browse_first(b, NULL, 1, take, &s, &err), 0);
	assert_string_equal(sb_str(&s.out), "2024-02-14");
	sb_reset(&s.out);
	char *key = record_key_encode(dict_find("visits"),
				      (const char *const[]){"120110001-2024-0001", "2024-02-14",
							    "phone", NULL, NULL, NULL, NULL});
	assert_int_equal(browse_after(b, NULL, key, 5, take, &s, &err), 0);
	assert_string_equal(sb_str(&s.out), "2024-01-15");
	free(key);
	sb_free(&s.out);
	browse_free(b);
	line = summary(clerk, r, c);
	late = dbtest_one(db, "SELECT (current_date - date '2024-03-15')::text");
	want = xstrdup("2024-03-15|");
	{
		struct strbuf sb = {0};
		sb_addf(&sb, "%s%s||", want, late);
		free(want);
		want = sb_detach(&sb);
	}
	assert_string_equal(line, want);
	free(line);
	free(late);
	free(want);
	record_free(r);
}

/* A volunteer's hours newest first; on top the year's and the lifetime's
 * hours and the star level (rules.md: 1 star from 100 hours). */
static void test_volunteer(void **state)
{
	char *zhang = pid_of("sgz.volunteer", "120110197007070042");
	struct record *r = load(clerk, "volunteers", zhang);
	const struct dict_child *c = child_of("volunteers", "hours", NULL);
	char *line, *csv, *year, *want;
	struct strbuf sb = {0};

	(void)state;
	assert_pane(clerk, r, c, "service_date", 5, "2024-03-06|2024-03-05");
	line = summary(clerk, r, c);
	assert_string_equal(line, "0.0|5.5|0|☆☆☆☆☆");
	free(line);
	/* 100 hours more, on the five days before today */
	csv = dbtest_one(db, "SELECT 'volunteer,service_date,station,activity,hours,note' || E'\\n' ||"
			     " string_agg(format('120110197007070042,%s,120110001000,,20,',"
			     " current_date - k), E'\\n') FROM generate_series(1, 5) k");
	sb_addf(&sb, "%s\n", csv);
	import_text("hours", sb_str(&sb));
	sb_free(&sb);
	year = dbtest_one(db, "SELECT to_char(20 * count(*), 'FM9990.0') FROM generate_series(1, 5) k"
			      " WHERE extract(year FROM current_date - k) ="
			      " extract(year FROM current_date)");
	sb_addf(&sb, "%s|105.5|1|★☆☆☆☆", year);
	want = sb_detach(&sb);
	line = summary(county, r, c);
	assert_string_equal(line, want);
	free(line);
	free(want);
	free(year);
	free(csv);
	record_free(r);
	free(zhang);
}

/* An activity's hours by its station, date and title, with the people
 * and hours in all. */
static void test_activity(void **state)
{
	const struct dict_entity *e = dict_find("activities");
	char *key = record_key_encode(e, (const char *const[]){"120110001000", "2024-03-05",
								 "学雷锋志愿服务日", NULL, NULL});
	struct record *r = load(clerk, "activities", key);
	const struct dict_child *c = child_of("activities", "hours", NULL);
	char *line;

	(void)state;
	assert_pane(clerk, r, c, "volunteer", 5, "张敏|赵磊");
	line = summary(clerk, r, c);
	assert_string_equal(line, "2|7.5||");
	free(line);
	record_free(r);
	free(key);
}

/* An organization's contracts and the stations it runs; a contract's
 * evaluations; a service point's villages (a list of the parent's). */
static void test_others(void **state)
{
	struct record *r;

	(void)state;
	r = load(county, "organizations", "52120110MJ0000001Y");
	assert_pane(county, r, child_of("organizations", "contracts", NULL), "contract_no", 5,
		    "DL-2024-001");
	assert_pane(county, r, child_of("organizations", "stations", NULL), "township", 5,
		    "120110001000");
	record_free(r);
	r = load(county, "contracts", "DL-2024-001");
	assert_pane(county, r, child_of("contracts", "evaluations", NULL), "kind", 5,
		    "annual|mid_term");
	record_free(r);
	char *key = record_key_encode(dict_find("service_points"),
				      (const char *const[]){"120110001000", "张贵庄第一社工点", NULL,
							    NULL, NULL});
	r = load(clerk, "service_points", key);
	assert_pane(clerk, r, child_of("service_points", "divisions", NULL), "code", 5,
		    "120110001001|120110001201");
	/* its workers: the station's staff who work at service points */
	import_text("staff", "id_number,name,station,role,education,qualification,hired_on\n"
			     "120110199001010312,吴点,120110001000,point_worker,bachelor,none,"
			     "2024-03-01\n");
	assert_pane(clerk, r, child_of("service_points", "staff", NULL), "name", 5, "吴点");
	record_free(r);
	free(key);
}

/* a: the new child starts with the parent's fields: the station, a
 * worker by pid (shown masked), the case number. */
static void test_fill(void **state)
{
	char *wang = pid_of("sgz.staff", "12011019850315002X");
	struct record *st = load(clerk, "stations", "120110001000");
	struct record *w = load(clerk, "staff", wang);
	struct record *cs = load(clerk, "cases", "120110001-2024-0001");
	struct record *n;
	const struct dict_entity *e;

	(void)state;
	e = dict_find("staff");
	n = record_new(e);
	related_fill(child_of("stations", "staff", NULL), st, n);
	assert_string_equal(record_value(n, (size_t)dict_field_index(e, dict_field_by_header(e, "station"))),
			    "120110001000");
	record_free(n);
	e = dict_find("cases");
	n = record_new(e);
	related_fill(child_of("staff", "cases", NULL), w, n);
	size_t wi = (size_t)dict_field_index(e, dict_field_by_header(e, "worker"));
	assert_string_equal(record_pid(n, wi), wang);
	assert_string_equal(record_value(n, wi), "1201**********002X");
	record_free(n);
	e = dict_find("visits");
	n = record_new(e);
	related_fill(child_of("cases", "visits", NULL), cs, n);
	assert_string_equal(record_value(n, 0), "120110001-2024-0001");
	/* and the case's worker (dict_child.fill) */
	wi = (size_t)dict_field_index(e, dict_field_by_header(e, "worker"));
	assert_string_equal(record_pid(n, wi), wang);
	record_free(n);
	record_free(st);
	record_free(w);
	record_free(cs);
	free(wang);
}

/* A parent deleted meanwhile: related_exists() says so. */
static void test_gone(void **state)
{
	const struct dict_entity *e = dict_find("activities");
	char *key;
	struct record *r;
	struct sgz_err err;

	(void)state;
	import_text("activities", "station,date,title,kind\n120110001000,2024-04-01,将删除的活动,other\n");
	key = record_key_encode(e, (const char *const[]){"120110001000", "2024-04-01", "将删除的活动",
							  NULL, NULL});
	r = load(clerk, "activities", key);
	sgz_err_clear(&err);
	assert_int_equal(related_exists(clerk, r, &err), 1);
	dbtest_exec(db, "DELETE FROM sgz.activity WHERE title = '将删除的活动'");
	assert_int_equal(related_exists(clerk, r, &err), 0);
	record_free(r);
	free(key);
}

/* The setting a date follows: visit_interval_days, 30 by default. */
static void test_setting(void **state)
{
	long v = -1;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(related_setting(clerk, "visit_interval_days", &v, &err), 0);
	assert_int_equal(v, 30);
}

/* A contract's years of its cycle (programmes.md: the same purchaser,
 * organization and cycle_start), in order, itself among them; another
 * cycle of the same organization is not. */
static void test_cycle(void **state)
{
	struct record *r;

	(void)state;
	import_text("contracts",
		    "contract_no,purchaser,organization,procurement_method,cycle_start,year_no,"
		    "starts_on,ends_on,amount,stations\n"
		    "DL-2025-001,120110,52120110MJ0000001Y,competitive_consultation,2024,2,"
		    "2025-01-01,2025-12-31,250000,120110001000\n"
		    "DL-2027-001,120110,52120110MJ0000001Y,competitive_consultation,2027,1,"
		    "2027-01-01,2027-12-31,250000,120110001000\n");
	r = load(county, "contracts", "DL-2025-001");
	assert_pane(county, r, child_of("contracts", "contracts", NULL), "contract_no", 5,
		    "DL-2024-001|DL-2025-001");
	record_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_station), cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_people),  cmocka_unit_test(test_case),
	    cmocka_unit_test(test_volunteer), cmocka_unit_test(test_activity),
	    cmocka_unit_test(test_others),  cmocka_unit_test(test_fill),
	    cmocka_unit_test(test_gone),    cmocka_unit_test(test_setting),
	    cmocka_unit_test(test_cycle),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
