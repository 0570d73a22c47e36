/* test_reveal.c - people shown outside the lists, against a real
 * PostgreSQL started by tests/with-pg, as the superuser (an admin) and as
 * a station user (spec/rules.md: display masks, sensitive records): the
 * picker's look-up masks as the lists do; a pick of a child, or a pick
 * that shows an admin a full number, is filed as an 'open' in the audit
 * trail, a station user's pick of an adult is not; the grid knows which
 * sessions see full numbers, files each number it shows an admin
 * (sgz.person_reveal(): the stored rows, a volunteer picked, the one
 * volunteer a prefix finds) and never reveals one to a station user. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/browse.h"
#include "dbtest.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/grid.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"

#define STATION	 "120110001000"
#define ZHANG	 "120110197007070042"
#define ZHAO	 "120110199512310077"
#define LIU	 "120110195001010066" /* a recipient of 74 */
#define XIAOMING "120110201506010051" /* a recipient under 14 */
#define EVENT	 "学雷锋志愿服务日"

static struct db *db;	 /* the superuser: admin */
static struct db *clerk; /* zgz, station user of 120110001 */

#define one(sql)	       dbtest_one(db, (sql))
#define assert_one(sql, want) dbtest_assert_one(db, (sql), (want))

static int setup(void **state)
{
	static const char *const fixtures[] = {"divisions", "organizations", "stations",
					       "staff",	    "volunteers",    "activities",
					       "hours",	    "recipients"};

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	free(one("SELECT sgz.user_add('zgz', '120110001000', 'station')"));
	clerk = dbtest_connect("user=zgz");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(clerk);
	db_close(db);
	return 0;
}

struct picks {
	char value[8][32];
	char shown[8][64];
	char label[8][64];
	int n;
};

static int pick(void *arg, const char *value, const char *shown, const char *label,
		const char *place)
{
	(void)place;
	struct picks *p = arg;

	if (p->n < 8) {
		snprintf(p->value[p->n], sizeof(p->value[0]), "%s", value);
		snprintf(p->shown[p->n], sizeof(p->shown[0]), "%s", shown);
		snprintf(p->label[p->n], sizeof(p->label[0]), "%s", label ? label : "");
		p->n++;
	}
	return 0;
}

/* The pid of the person with number id in table (a static buffer). */
static const char *pid_of(const char *table, const char *id)
{
	static char buf[4][24];
	static int k;
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT pid FROM %s WHERE id_number = '%s'", table, id);
	char *v = one(sql);
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s", v ? v : "");
	free(v);
	return buf[k];
}

static const struct dict_field *case_recipient(void)
{
	return dict_field_by_header(dict_find("cases"), "recipient");
}

static const struct dict_field *hours_volunteer(void)
{
	return dict_field_by_header(dict_find("hours"), "volunteer");
}

static void test_browse_idnum_shown_masks_unless_admin_and_always_a_child(void **state)
{
	char *s;

	(void)state;
	s = browse_idnum_shown(ZHANG, false, false);
	assert_string_equal(s, "1201**********0042");
	free(s);
	s = browse_idnum_shown(ZHANG, true, false);
	assert_string_equal(s, ZHANG);
	free(s);
	s = browse_idnum_shown(XIAOMING, true, true);
	assert_string_equal(s, "1201**********0051");
	free(s);
}

static void test_the_pickers_look_up_masks_as_the_lists_do(void **state)
{
	struct picks p = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	/* a station user: every number masked, a child's name too */
	assert_int_equal(browse_lookup(clerk, case_recipient(), "", 10, pick, &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.shown[0], "1201**********0066");
	assert_string_equal(p.label[0], "刘大爷");
	assert_string_equal(p.shown[1], "1201**********0051");
	assert_string_equal(p.label[1], "小*");
	/* an admin: every number masked too (a number in full is a reveal,
	 * sgz.person_reveal()), the child's name shown (work.md) */
	p.n = 0;
	assert_int_equal(browse_lookup(db, case_recipient(), "", 10, pick, &p, &err), 0);
	assert_string_equal(p.shown[0], "1201**********0066");
	assert_string_equal(p.shown[1], "1201**********0051");
	assert_string_equal(p.label[1], "小明");
	/* the pick stands for the person's pid */
	char want[32];
	snprintf(want, sizeof(want), "#%s", pid_of("sgz.recipient", LIU));
	assert_string_equal(p.value[0], want);
}

static void test_a_pick_that_reveals_is_audited_and_no_other(void **state)
{
	struct sgz_err err;
	char child[24], adult[24], zhang[24];

	(void)state;
	sgz_err_clear(&err);
	snprintf(child, sizeof(child), "#%s", pid_of("sgz.recipient", XIAOMING));
	snprintf(adult, sizeof(adult), "#%s", pid_of("sgz.recipient", LIU));
	snprintf(zhang, sizeof(zhang), "#%s", pid_of("sgz.volunteer", ZHANG));
	/* a child picked by a station user: an open of a sensitive record */
	assert_int_equal(browse_audit_pick(clerk, case_recipient(), child, false, &err), 0);
	assert_one("SELECT count(*) || ' ' || min(who) || ' ' || min(table_name) || ' '"
		   " || min(division) FROM sgz.audit WHERE action = 'open'"
		   " AND key = to_jsonb('" XIAOMING "'::text)",
		   "1 zgz recipient 120110001201");
	/* an adult picked, by a station user or an admin: masked, nothing
	 * revealed, nothing filed */
	assert_int_equal(browse_audit_pick(clerk, hours_volunteer(), zhang, false, &err), 0);
	assert_int_equal(browse_audit_pick(clerk, case_recipient(), adult, false, &err), 0);
	assert_int_equal(browse_audit_pick(db, hours_volunteer(), zhang, false, &err), 0);
	assert_one("SELECT count(*) FROM sgz.audit WHERE action = 'open'"
		   " AND key IN (to_jsonb('" ZHANG "'::text), to_jsonb('" LIU "'::text))",
		   "0");
}

static int count_volunteers(void *arg, const struct grid_volunteer *v)
{
	(void)v;
	(*(int *)arg)++;
	return 0;
}

static void test_the_grid_knows_who_sees_full_numbers(void **state)
{
	struct sgz_err err;
	bool admin = true;
	int n = 0;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_volunteers(clerk, STATION, 100, count_volunteers, &n, &admin, &err),
			 0);
	assert_false(admin);
	assert_int_equal(n, 2);
	assert_int_equal(grid_volunteers(db, STATION, 100, count_volunteers, &n, &admin, &err), 0);
	assert_true(admin);
}

static int fulls(void *arg, const struct grid_stored_row *row)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s=%s;", row->masked, row->full ? row->full : "-");
	return 0;
}

#define OPENS_OF(id)                                                                               \
	"SELECT count(*) FROM sgz.audit WHERE action = 'open' AND table_name = 'volunteer'"        \
	" AND new->>'shown' = 'hours grid' AND key = to_jsonb('" id "'::text)"

static void test_the_grid_files_the_numbers_it_shows_an_admin(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;
	char want[64];
	char *full, *pid = one("SELECT pid FROM sgz.volunteer WHERE id_number = '" ZHAO "'");

	(void)state;
	sgz_err_clear(&err);
	/* a station user's grid shows them masked: nothing filed */
	assert_int_equal(grid_stored(clerk, STATION, "2024-03-05", EVENT, false, fulls, &sb, &err),
			 0);
	assert_string_equal(sb_str(&sb), "1201**********0042=-;1201**********0077=-;");
	/* and cannot reveal one */
	sb_reset(&sb);
	assert_int_equal(grid_stored(clerk, STATION, "2024-03-05", EVENT, true, fulls, &sb, &err),
			 -1);
	assert_string_equal(sb_str(&sb), "");
	sgz_err_clear(&err);
	assert_null(grid_reveal(clerk, pid, &err));
	assert_non_null(strstr(err.msg, "permission denied"));
	assert_one(OPENS_OF(ZHANG), "0");
	assert_one(OPENS_OF(ZHAO), "0");
	/* an admin's: each volunteer shown in full, filed by the statement that
	 * reads them */
	sgz_err_clear(&err);
	assert_int_equal(grid_stored(db, STATION, "2024-03-05", EVENT, true, fulls, &sb, &err), 0);
	assert_string_equal(sb_str(&sb),
			    "1201**********0042=" ZHANG ";1201**********0077=" ZHAO ";");
	assert_one(OPENS_OF(ZHANG), "1");
	assert_one(OPENS_OF(ZHAO), "1");
	snprintf(want, sizeof(want), "%s %s", pid, STATION);
	assert_one("SELECT new->>'pid' || ' ' || division FROM sgz.audit WHERE action = 'open'"
		   " AND key = to_jsonb('" ZHAO "'::text)",
		   want);
	/* one picked by name: revealed by pid, filed */
	full = grid_reveal(db, pid, &err);
	assert_non_null(full);
	assert_string_equal(full, ZHAO);
	assert_one(OPENS_OF(ZHAO), "2");
	free(full);
	sb_free(&sb);
	free(pid);
}

static int find_fulls(void *arg, const struct grid_volunteer *v)
{
	struct strbuf *sb = arg;

	sb_addf(sb, "%s=%s;", v->masked, v->full ? v->full : "-");
	return 0;
}

/* A prefix longer than the mask shows: an admin's one volunteer found is
 * shown in full and filed in the same statement; several found are shown
 * masked and none is filed, and a station user's are never revealed. */
static void test_the_grid_files_a_prefix_found_only_when_it_finds_one(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(grid_find(db, "120110", 10, true, find_fulls, &sb, &err), 2);
	assert_string_equal(sb_str(&sb), "1201**********0042=-;1201**********0077=-;");
	assert_one(OPENS_OF(ZHANG), "1");
	sb_reset(&sb);
	assert_int_equal(grid_find(db, "1201101970", 10, true, find_fulls, &sb, &err), 1);
	assert_string_equal(sb_str(&sb), "1201**********0042=" ZHANG ";");
	assert_one(OPENS_OF(ZHANG), "2");
	sb_reset(&sb);
	assert_int_equal(grid_find(clerk, "1201101970", 10, false, find_fulls, &sb, &err), 1);
	assert_string_equal(sb_str(&sb), "1201**********0042=-;");
	assert_one(OPENS_OF(ZHANG), "2");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_browse_idnum_shown_masks_unless_admin_and_always_a_child),
	    cmocka_unit_test(test_the_pickers_look_up_masks_as_the_lists_do),
	    cmocka_unit_test(test_a_pick_that_reveals_is_audited_and_no_other),
	    cmocka_unit_test(test_the_grid_knows_who_sees_full_numbers),
	    cmocka_unit_test(test_the_grid_files_the_numbers_it_shows_an_admin),
	    cmocka_unit_test(test_the_grid_files_a_prefix_found_only_when_it_finds_one),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
