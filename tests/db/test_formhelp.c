/* test_formhelp.c - what a new record's form proposes and how a record is
 * named (spec/work.md, Forms that help), read as the users who ask: a
 * station user linked to her staff record (sgz user add --staff), a county
 * user without one, and the superuser. record_session_load(): the station
 * user's station and own staff member, masked; nothing for the others.
 * record_follow(): a case's station from its recipient's village (by pid
 * or by the number typed), none where no station serves the village; a
 * visit's worker from its case, masked, none for a case out of sight.
 * record_title(): a case by its number and recipient, a child's name
 * masked for all but admins, a person by name and masked number, a
 * station by its code and township, an hours row by its people and
 * places; never a full ID number. */
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
#include "sgz/dict.h"
#include "sgz/record.h"
#include "sgz/util.h"

static struct db *db;	  /* the superuser */
static struct db *clerk;  /* zgz, station user of 120110001, linked to 王芳 */
static struct db *county; /* dl, county user of 120110, not linked */

static int setup(void **state)
{
	static const char *const fixtures[] = {
	    "divisions", "organizations", "stations", "service_points", "staff",
	    "volunteers", "activities",	  "hours",    "recipients",	"cases"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* a village of 万新街道, which has no station, and someone living there */
	dbtest_exec(db, "INSERT INTO sgz.division (code, name) VALUES ('120110003201', '万新村')");
	dbtest_exec(db, "INSERT INTO sgz.recipient (id_number, name, village) VALUES"
			" ('120110195202020017', '孙大爷', '120110003201')");
	free(dbtest_one(db, "SELECT sgz.user_add('zgz', '120110001000', 'station',"
			    " '12011019850315002X')"));
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


/* The pid of the person with this number in table, as the superuser reads it. */
static char *pid_of(const char *table, const char *number)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT pid FROM sgz.%s WHERE id_number = '%s'", table, number);
	return dbtest_one(db, sql);
}

static void test_session(void **state)
{
	struct record_session s;
	struct sgz_err err;
	char *pid = pid_of("staff", "12011019850315002X");

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(record_session_load(clerk, &s, &err), 0);
	assert_non_null(s.station);
	assert_string_equal(s.station, "120110001000");
	assert_non_null(s.staff_pid);
	assert_string_equal(s.staff_pid, pid);
	assert_string_equal(s.staff_shown, "1201**********002X");
	record_session_free(&s);

	assert_int_equal(record_session_load(county, &s, &err), 0);
	assert_null(s.station);
	assert_null(s.staff_pid);
	assert_null(s.staff_shown);
	record_session_free(&s);

	assert_int_equal(record_session_load(db, &s, &err), 0);
	assert_null(s.station);
	assert_null(s.staff_pid);
	record_session_free(&s);
	free(pid);
}

static void follow(struct db *c, const char *entity, const char *column, const char *from,
		   const char *want, const char *want_shown)
{
	const struct dict_entity *e = dict_find(entity);
	const struct dict_field *f = dict_field_by_header(e, column);
	char *value, *shown;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (record_follow(c, e, f, from, &value, &shown, &err) < 0)
		fail_msg("record_follow(%s.%s, %s): %s", entity, column, from, err.msg);
	if (!want)
		assert_null(value);
	else if (!value)
		fail_msg("%s.%s from %s: nothing, not %s", entity, column, from, want);
	else
		assert_string_equal(value, want);
	if (!want_shown)
		assert_null(shown);
	else
		assert_string_equal(shown ? shown : "(null)", want_shown);
	free(value);
	free(shown);
}

static void test_follow(void **state)
{
	char *liu = pid_of("recipient", "120110195001010066");
	char *sun = pid_of("recipient", "120110195202020017");
	char *li = pid_of("staff", "12011019900101003X");
	char *token, *worker;

	(void)state;
	/* a case's station: its recipient's village's, by pid or by number */
	token = record_person_token(liu);
	follow(county, "cases", "station", token, "120110001000", NULL);
	follow(clerk, "cases", "station", token, "120110001000", NULL);
	free(token);
	follow(county, "cases", "station", "120110195001010066", "120110001000", NULL);
	/* no station serves 万新村; and 孙大爷 is out of the station user's sight */
	token = record_person_token(sun);
	follow(county, "cases", "station", token, NULL, NULL);
	follow(clerk, "cases", "station", token, NULL, NULL);
	free(token);
	follow(county, "cases", "station", "", NULL, NULL);

	/* a visit's worker: its case's, masked */
	worker = record_person_token(li);
	follow(clerk, "visits", "worker", "120110001-2024-0002", worker, "1201**********003X");
	follow(county, "visits", "worker", "120110001-2024-0002", worker, "1201**********003X");
	follow(clerk, "visits", "worker", "120110001-2099-0001", NULL, NULL);
	free(worker);
	free(liu);
	free(sun);
	free(li);
}

/* The title of the record of entity with key (record_key_encode()'s
 * parts, each "V"-prefixed, joined by the unit separator), as c reads it. */
static void title(struct db *c, const char *entity, const char *key, const char *want)
{
	const struct dict_entity *e = dict_find(entity);
	struct record *r = NULL;
	struct record_error re;
	struct sgz_err err;
	char *t = NULL;

	record_error_init(&re);
	if (record_load(c, e, key, &r, &re) != RECORD_OK)
		fail_msg("record_load(%s): %s", entity, re.err.msg);
	record_error_free(&re);
	sgz_err_clear(&err);
	if (record_title(c, r, true, &t, &err) < 0)
		fail_msg("record_title(%s): %s", entity, err.msg);
	assert_string_equal(t, want);
	if (c != db)
		dbtest_assert_masked(t);
	free(t);
	record_free(r);
}

static void test_title(void **state)
{
	char *liu = pid_of("recipient", "120110195001010066");
	char *ming = pid_of("recipient", "120110201506010051");
	char *zhang = pid_of("volunteer", "120110197007070042");
	char key[200];

	(void)state;
	title(clerk, "cases", "V120110001-2024-0001", "120110001-2024-0001 刘大爷");
	/* a child's name masked but for admins */
	title(clerk, "cases", "V120110001-2024-0002", "120110001-2024-0002 小*");
	title(db, "cases", "V120110001-2024-0002", "120110001-2024-0002 小明");
	snprintf(key, sizeof(key), "V%s", liu);
	title(county, "recipients", key, "刘大爷 1201**********0066");
	snprintf(key, sizeof(key), "V%s", ming);
	title(county, "recipients", key, "小* 1201**********0051");
	title(county, "stations", "V120110001000", "120110001000 张贵庄街道");
	snprintf(key, sizeof(key), "V%s\x1fV2024-03-05\x1fV120110001000\x1fV学雷锋志愿服务日", zhang);
	title(clerk, "hours", key,
	      "张敏 1201**********0042 2024-03-05 张贵庄街道 学雷锋志愿服务日");
	free(liu);
	free(ming);
	free(zhang);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_session),
	    cmocka_unit_test(test_follow),
	    cmocka_unit_test(test_title),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
