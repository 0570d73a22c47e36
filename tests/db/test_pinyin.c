/* test_pinyin.c - finding people by the pinyin initials of their names
 * through the lists' `/` filter and a form's F5 picker (spec/work.md,
 * "Pinyin for every Chinese character"; migration 0013): the characters
 * GB 2312's first level lacks, surnames read as surnames, over the volunteers,
 * staff and recipients the fixtures and an import make. */
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

static struct db *db;

static int setup(void **state)
{
	static const char *const fixtures[] = {"divisions", "organizations", "stations",
					       "staff",	    "volunteers",    "recipients"};
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	(void)state;
	db = dbtest_connect("");
	dbtest_load(db, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* Three volunteers by an import, as the bulk import of volunteers
	 * computes the column: 金欣怡 (怡 is of GB 2312's second level), 单敏
	 * (单 as a surname is shan), 万俟卨 (the two-character surname). */
	snprintf(path, sizeof(path), "%s/sgz-pinyin.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		fail_msg("%s: cannot write", path);
	fputs("id_number,name,station,registered_on\n"
	      "120110199001010013,金欣怡,120110001000,2024-01-02\n"
	      "120110199001010072,单敏,120110001000,2024-01-02\n"
	      "120110199001010056,万俟卨,120110001000,2024-01-02\n",
	      f);
	fclose(f);
	dbtest_import(db, "volunteers", path);
	remove(path);
	dbtest_exec(db,
		    "UPDATE sgz.staff SET name = '曾婷' WHERE id_number = '12011019850315002X'");
	dbtest_exec(
	    db, "UPDATE sgz.recipient SET name = '翟梓萱' WHERE id_number = '120110195001010066'");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	return 0;
}

struct rows {
	char keys[16][128];
	int n;
};

static int take(void *arg, const char *key, const char *const *cells)
{
	struct rows *rs = arg;

	(void)key; /* a person's key is his pid (migration 0012) */
	/* the first column: the person's number, masked */
	if (rs->n < 16)
		snprintf(rs->keys[rs->n++], sizeof(rs->keys[0]), "%s", cells[0]);
	return 0;
}

/* The numbers (masked) the list of entity shows for the filter, space
 * separated. */
static void assert_filter(const char *entity, const char *filter, const char *want)
{
	struct browse *b = browse_new(db, dict_find(entity));
	struct rows rs = {0};
	struct sgz_err err;
	char got[1024] = "";

	sgz_err_clear(&err);
	if (browse_first(b, filter, 16, take, &rs, &err) < 0)
		fail_msg("%s /%s: %s", entity, filter, err.msg);
	for (int i = 0; i < rs.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? " " : "",
			 rs.keys[i]);
	browse_free(b);
	assert_string_equal(got, want);
}

static void test_list_filter_finds_characters_of_gb2312_level_two(void **state)
{
	(void)state;
	assert_filter("volunteers", "jxy", "1201**********0013");
	assert_filter("volunteers", "JX", "1201**********0013");
}

static void test_list_filter_reads_the_first_character_as_a_surname(void **state)
{
	(void)state;
	assert_filter("volunteers", "sm", "1201**********0072");
	/* dan, its first reading, is not how the name is said */
	assert_filter("volunteers", "dm", "");
	assert_filter("volunteers", "mqx", "1201**********0056");
	assert_filter("staff", "zt", "1201**********002X");
	assert_filter("recipients", "zzx", "1201**********0066");
}

static void test_list_filter_still_finds_the_names_of_before(void **state)
{
	(void)state;
	/* 张敏 and 赵磊 of the fixtures, all of GB 2312's first level */
	assert_filter("volunteers", "zm", "1201**********0042");
	assert_filter("volunteers", "zl", "1201**********0077");
}

struct picks {
	char v[16][128];
	int n;
};

static int pick(void *arg, const char *value, const char *shown, const char *label,
		const char *place)
{
	(void)place;
	struct picks *p = arg;

	(void)value; /* "#pid" */
	(void)label;
	if (p->n < 16)
		snprintf(p->v[p->n++], sizeof(p->v[0]), "%s", shown);
	return 0;
}

static void test_picker_finds_a_volunteer_by_initials(void **state)
{
	(void)state;
	const struct dict_field *volunteer = dict_field_by_header(dict_find("hours"), "volunteer");
	struct picks p = {0};
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(browse_lookup(db, volunteer, "jxy", 10, pick, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0], "1201**********0013");
	p.n = 0;
	assert_int_equal(browse_lookup(db, volunteer, "sm", 10, pick, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0], "1201**********0072");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_filter_finds_characters_of_gb2312_level_two),
	    cmocka_unit_test(test_list_filter_reads_the_first_character_as_a_surname),
	    cmocka_unit_test(test_list_filter_still_finds_the_names_of_before),
	    cmocka_unit_test(test_picker_finds_a_volunteer_by_initials),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
