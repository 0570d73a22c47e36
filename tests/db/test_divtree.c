/* test_divtree.c - the division browser's model (divtree.h) against a real
 * PostgreSQL started by tests/with-pg, over the national division list and
 * two villages: where a user's tree starts, the subdivisions of a division
 * page by page in both directions with their own counted, the parents of
 * migration 0001 (a township of a prefecture-level city without counties
 * hangs under the prefecture), the search below a division by Chinese
 * name or code prefix with each match's path, the path of a division, and
 * the export of what the browser shows. */
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

#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/divtree.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"

static struct db *db;
static char tmpdir[] = "/tmp/sgz-divtree.XXXXXX";

static void import_file(const char *entity, const char *path)
{
	FILE *quiet = fopen("/dev/null", "w");
	struct import_opts o = {.path = path, .encoding = CSV_ENC_AUTO, .errors = quiet};
	struct import_result res;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (import_run(db, dict_find(entity), &o, &res, &err) < 0)
		fail_msg("import %s: %s", entity, err.msg);
	if (quiet)
		fclose(quiet);
}

static void exec(const char *sql)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (db_exec(db, sql, 0, NULL, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
}

static int setup(void **state)
{
	struct db_opts o = {.conninfo = "", .connect_timeout = 10, .statement_timeout = 30000};
	const char *src = getenv("SGZ_SRCDIR");
	char path[4096];
	struct sgz_err err;

	(void)state;
	if (!mkdtemp(tmpdir))
		fail_msg("mkdtemp failed");
	sgz_err_clear(&err);
	db = db_connect(&o, &err);
	if (!db)
		fail_msg("connect: %s", err.msg);
	if (migrate_apply(db, NULL, &err) < 0)
		fail_msg("migrate: %s", err.msg);
	snprintf(path, sizeof(path), "%s/data/divisions-2022.csv", src ? src : ".");
	import_file("divisions", path);
	snprintf(path, sizeof(path), "%s/villages.csv", tmpdir);
	FILE *f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs("code,name\n120102011001,东新第一社区\n120102011201,东新示范村\n", f);
	fclose(f);
	import_file("divisions", path);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* ---- rows gathered into one line each: "code name level children [path]" ---- */

struct rows {
	size_t n;
	char line[64][160];
	char key[64][40];
};

static int gather(void *arg, const struct divtree_row *row)
{
	struct rows *r = arg;

	if (r->n == 64)
		return -1;
	snprintf(r->line[r->n], sizeof(r->line[0]), "%s %s %d %ld%s%s", row->code, row->name,
		 row->level, row->children, row->path ? " | " : "", row->path ? row->path : "");
	snprintf(r->key[r->n], sizeof(r->key[0]), "%s", row->key);
	r->n++;
	return 0;
}

static void fetch(struct divtree *dt, const char *node, const char *filter, enum divtree_fetch how,
		  const char *key, size_t n, struct rows *r)
{
	struct sgz_err err;

	memset(r, 0, sizeof(*r));
	sgz_err_clear(&err);
	if (divtree_fetch(dt, node, filter, how, key, n, gather, r, &err) < 0)
		fail_msg("fetch below '%s': %s", node, err.msg);
}

static void test_divtree_owner_starts_at_the_nation_and_may_change(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(divtree_open(dt, &err), 0);
	assert_string_equal(divtree_root(dt), DIVTREE_NATION);
	assert_true(divtree_may_add(dt));
	assert_true(divtree_may_delete(dt));
	divtree_free(dt);
}

static void test_divtree_provinces_page_by_key_both_ways(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct rows r, more, back, last;

	(void)state;
	fetch(dt, DIVTREE_NATION, NULL, DIVTREE_FIRST, NULL, 19, &r);
	assert_int_equal(r.n, 19);
	assert_string_equal(r.line[0], "110000000000 北京市 1 1");
	assert_string_equal(r.line[1], "120000000000 天津市 1 1");
	fetch(dt, DIVTREE_NATION, NULL, DIVTREE_AFTER, r.key[18], 19, &more);
	assert_int_equal(more.n, 12); /* 31 provinces */
	assert_string_equal(more.line[11], "650000000000 新疆维吾尔自治区 1 15");
	fetch(dt, DIVTREE_NATION, NULL, DIVTREE_BEFORE, more.key[0], 2, &back);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.line[1], r.line[18]); /* in list order, nearest last */
	fetch(dt, DIVTREE_NATION, NULL, DIVTREE_LAST, NULL, 3, &last);
	assert_int_equal(last.n, 3);
	assert_string_equal(last.line[2], more.line[11]);
	divtree_free(dt);
}

static void test_divtree_counts_subdivisions_and_follows_the_stored_parent(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct rows r;

	(void)state;
	fetch(dt, "120102000000", NULL, DIVTREE_FIRST, NULL, 30, &r);
	assert_int_equal(r.n, 13);
	assert_string_equal(r.line[10], "120102011000 东新街道 4 2");
	assert_string_equal(r.line[0], "120102001000 大王庄街道 4 0");
	fetch(dt, "120102011000", NULL, DIVTREE_FIRST, NULL, 30, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.line[0], "120102011001 东新第一社区 5 0");
	/* 东莞: no counties, its townships directly below the prefecture */
	fetch(dt, "441900000000", NULL, DIVTREE_FIRST, NULL, 3, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.line[0], "441900003000 东城街道 4 0");
	fetch(dt, "440000000000", NULL, DIVTREE_FIRST, NULL, 30, &r);
	assert_int_equal(r.n, 21);
	for (size_t i = 0; i < r.n; i++)
		if (strncmp(r.line[i], "441900000000", 12) == 0)
			assert_string_equal(r.line[i], "441900000000 东莞市 2 36");
	divtree_free(dt);
}

static void test_divtree_search_below_a_division_shows_each_path(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct rows r;

	(void)state;
	fetch(dt, DIVTREE_NATION, "东新街道", DIVTREE_FIRST, NULL, 19, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.line[0], "120102011000 东新街道 4 2 | 天津市 > 市辖区 > 河东区");
	fetch(dt, "120000000000", " 东新 ", DIVTREE_FIRST, NULL, 19, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.line[0], "120102011000 东新街道 4 2 | 市辖区 > 河东区");
	assert_string_equal(r.line[2], "120102011201 东新示范村 5 0 | 市辖区 > 河东区 > 东新街道");
	/* digits: a code prefix, the division searched below left out */
	fetch(dt, "120102000000", "120102", DIVTREE_FIRST, NULL, 30, &r);
	assert_int_equal(r.n, 15);
	assert_string_equal(r.line[0], "120102001000 大王庄街道 4 0 | ");
	char first[40];
	snprintf(first, sizeof(first), "%s", r.key[0]);
	fetch(dt, "120102000000", "12010201100", DIVTREE_AFTER, first, 30, &r);
	assert_int_equal(r.n, 2); /* 120102011000, 120102011001 */
	/* wildcards match themselves */
	fetch(dt, DIVTREE_NATION, "%", DIVTREE_FIRST, NULL, 19, &r);
	assert_int_equal(r.n, 0);
	/* nothing outside the division searched below */
	fetch(dt, "330000000000", "东新街道", DIVTREE_LAST, NULL, 19, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.line[0], "330105018000 东新街道 4 0 | 杭州市 > 拱墅区");
	divtree_free(dt);
}

struct steps {
	size_t n;
	char text[256];
};

static int step(void *arg, const char *code, const char *name)
{
	struct steps *s = arg;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s:%s", s->n++ ? " " : "", code, name);
	return 0;
}

static void test_divtree_path_runs_from_the_province_down(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct steps s = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(divtree_path(dt, "120102011201", step, &s, &err), 0);
	assert_string_equal(s.text, "120000000000:天津市 120100000000:市辖区 120102000000:河东区 "
				    "120102011000:东新街道 120102011201:东新示范村");
	memset(&s, 0, sizeof(s));
	assert_int_equal(divtree_path(dt, "441900003000", step, &s, &err), 0);
	assert_string_equal(s.text,
			    "440000000000:广东省 441900000000:东莞市 441900003000:东城街道");
	assert_int_equal(divtree_prefix_len(DIVTREE_NATION), 0);
	assert_int_equal(divtree_prefix_len("120102011000"), 9);
	assert_int_equal(divtree_prefix_len("441900000000"), 4);
	divtree_free(dt);
}

/* Exports node and filter as the division browser does; returns what was
 * written (static) or NULL. */
static char *export_text(struct divtree *dt, const char *node, const char *filter, long *rows,
			 struct sgz_err *err)
{
	static char buf[65536];
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	if (divtree_export(dt, node, filter, f, rows, err) < 0) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_divtree_export_writes_what_is_shown_in_the_import_format(void **state)
{
	struct divtree *dt = divtree_new(db);
	struct sgz_err err;
	long rows = -1;
	char *text;

	(void)state;
	sgz_err_clear(&err);
	text = export_text(dt, "120102011000", NULL, &rows, &err);
	assert_non_null(text);
	assert_int_equal(rows, 2);
	assert_string_equal(text, "code,name,urban_rural,population,households\n"
				  "120102011001,东新第一社区,,,\n"
				  "120102011201,东新示范村,,,\n");
	text = export_text(dt, "120000000000", "东新", &rows, &err);
	assert_non_null(text);
	assert_int_equal(rows, 3);
	assert_non_null(strstr(text, "120102011000,东新街道,,,\n"));
	struct sgz_err qerr;
	sgz_err_clear(&qerr);
	PGresult *res = db_query(db,
				 "SELECT count(*) FROM sgz.audit WHERE action = 'export' "
				 "AND new ->> 'entity' = 'divisions' AND new ->> 'filter' = '东新'",
				 0, NULL, &qerr);
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), "1");
	PQclear(res);
	divtree_free(dt);
}

static void test_divtree_county_user_starts_at_the_county(void **state)
{
	struct db_opts o = {.conninfo = "user=divtree_clerk", .connect_timeout = 10};
	struct divtree *dt;
	struct db *clerk;
	struct sgz_err err;
	struct rows r;

	(void)state;
	exec("SELECT sgz.user_add('divtree_clerk', '120102000000', 'county')");
	sgz_err_clear(&err);
	clerk = db_connect(&o, &err);
	if (!clerk)
		fail_msg("connect as the clerk: %s", err.msg);
	dt = divtree_new(clerk);
	assert_int_equal(divtree_open(dt, &err), 0);
	assert_string_equal(divtree_root(dt), "120102000000");
	assert_false(divtree_may_add(dt));
	assert_false(divtree_may_delete(dt));
	memset(&r, 0, sizeof(r));
	assert_int_equal(
	    divtree_fetch(dt, divtree_root(dt), NULL, DIVTREE_FIRST, NULL, 19, gather, &r, &err),
	    0);
	assert_int_equal(r.n, 13);
	divtree_free(dt);
	db_close(clerk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_divtree_owner_starts_at_the_nation_and_may_change),
	    cmocka_unit_test(test_divtree_provinces_page_by_key_both_ways),
	    cmocka_unit_test(test_divtree_counts_subdivisions_and_follows_the_stored_parent),
	    cmocka_unit_test(test_divtree_search_below_a_division_shows_each_path),
	    cmocka_unit_test(test_divtree_path_runs_from_the_province_down),
	    cmocka_unit_test(test_divtree_export_writes_what_is_shown_in_the_import_format),
	    cmocka_unit_test(test_divtree_county_user_starts_at_the_county),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
