/* test_xlsx.c - the workbook writer alone: rows past a sheet's end go on
 * to the next sheet under the same header, a value that is not of its
 * column's type is kept as text, a failed or abandoned workbook leaves no
 * file. The files are read back with python3-openpyxl, as tests/db/xlsx.sh
 * reads the exports. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/xlsx.h"

static char dir[] = "/tmp/sgz-test-xlsx.XXXXXX";

/* Runs Debian's python3 (where python3-openpyxl is, whatever else is first
 * on PATH) on path: prints `expr` of the workbook wb. Returns its output
 * without the last newline. Caller frees. */
static char *py(const char *path, const char *expr)
{
	char *cmd, buf[4096];
	size_t n;
	FILE *p;

	if (asprintf(&cmd,
		     "/usr/bin/python3 -c 'import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); "
		     "print(%s)' '%s'",
		     expr, path) < 0)
		return NULL;
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return strdup(buf);
}

static char *file_in_dir(const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		return NULL;
	return s;
}

static int dir_entries(void)
{
	char *cmd;
	int n = -1;
	FILE *p;

	if (asprintf(&cmd, "ls -A '%s' | wc -l", dir) < 0)
		return -1;
	p = popen(cmd, "r");
	free(cmd);
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static const struct xlsx_column cols[] = {
	{ "身份证号", XLSX_TEXT, 0 },
	{ "注册日期", XLSX_DATE, 0 },
	{ "服务时长", XLSX_NUMBER, 1 },
	{ "合同金额(元)", XLSX_MONEY, 0 },
};

static void test_xlsx_rows_past_a_sheet_go_on_to_the_next_under_the_header(void **state)
{
	(void)state;
	struct sgz_err err = { 0 };
	struct xlsx_opts xo = { .sheet = "志愿者", .sheet_rows = 3 };
	char *path = file_in_dir("split.xlsx"), *out;
	struct xlsx_writer *w = xlsx_open(path, cols, 4, &xo, &err);

	assert_non_null(w);
	for (int i = 0; i < 5; i++) {
		char id[19];
		snprintf(id, sizeof(id), "12011019700707004%d", i);
		const char *row[4] = { id, "2021-08-01", "2.5", "100" };
		assert_int_equal(xlsx_add_row(w, row, &err), 0);
	}
	assert_int_equal(xlsx_rows(w), 5);
	assert_int_equal(xlsx_finish(w, &err), 0);
	assert_int_equal(xlsx_commit(w, &err), 0);
	xlsx_free(w);

	out = py(path, "\";\".join(\"%s:%d:%s:%s\" % (s.title, s.max_row, s[\"A1\"].value, "
		       "s.freeze_panes) for s in wb.worksheets)");
	assert_string_equal(out, "志愿者:3:身份证号:A2;志愿者 (2):3:身份证号:A2;"
				 "志愿者 (3):2:身份证号:A2");
	free(out);
	out = py(path, "wb.worksheets[2][\"A2\"].value");
	assert_string_equal(out, "120110197007070044");
	free(out);
	free(path);
}

static void test_xlsx_value_not_of_its_type_is_kept_as_text(void **state)
{
	(void)state;
	struct sgz_err err = { 0 };
	char *path = file_in_dir("odd.xlsx"), *out;
	struct xlsx_writer *w = xlsx_open(path, cols, 4, NULL, &err);
	/* before Excel's first date; a unit; more digits than a double keeps */
	const char *row[4] = { "0123", "1899-12-31", "3小时", "123456789012345678" };
	const char *good[4] = { "110101199003077777", "2024-02-29", "24", "250000.5" };

	assert_non_null(w);
	assert_int_equal(xlsx_add_row(w, row, &err), 0);
	assert_int_equal(xlsx_add_row(w, good, &err), 0);
	assert_int_equal(xlsx_finish(w, &err), 0);
	assert_int_equal(xlsx_commit(w, &err), 0);
	xlsx_free(w);

	out = py(path, "[(c.value, c.data_type) for c in wb.active[2]]");
	assert_string_equal(out, "[('0123', 's'), ('1899-12-31', 's'), ('3小时', 's'), "
				 "('123456789012345678', 's')]");
	free(out);
	out = py(path, "[(str(c.value), c.data_type, c.number_format) for c in wb.active[3]]");
	assert_string_equal(out, "[('110101199003077777', 's', '@'), "
				 "('2024-02-29 00:00:00', 'd', 'yyyy-mm-dd'), ('24', 'n', '0.0'), "
				 "('250000.5', 'n', '#,##0.00')]");
	free(out);
	free(path);
}

static void test_xlsx_sheet_name_drops_what_excel_refuses(void **state)
{
	(void)state;
	struct sgz_err err = { 0 };
	struct xlsx_opts xo = { .sheet = "a/b:c[d]*?\\e'非常非常非常非常非常非常非常非常长的一个名字" };
	char *path = file_in_dir("name.xlsx"), *out;
	struct xlsx_writer *w = xlsx_open(path, cols, 1, &xo, &err);

	assert_non_null(w);
	assert_int_equal(xlsx_finish(w, &err), 0);
	assert_int_equal(xlsx_commit(w, &err), 0);
	xlsx_free(w);
	out = py(path, "wb.active.title");
	assert_string_equal(out, "a_b_c_d____e_非常非常非常非常非常非常非常非常长的"); /* 31 */
	free(out);
	free(path);
}

static void test_xlsx_unwritable_path_fails_at_open(void **state)
{
	(void)state;
	struct sgz_err err = { 0 };
	char *path = file_in_dir("no/such/dir.xlsx");

	assert_null(xlsx_open(path, cols, 4, NULL, &err));
	assert_non_null(strstr(err.msg, "cannot write"));
	assert_int_equal(err.status, SGZ_EUSAGE);
	free(path);
}

static void test_xlsx_abandoned_workbook_leaves_no_file(void **state)
{
	(void)state;
	struct sgz_err err = { 0 };
	char *path = file_in_dir("gone.xlsx");
	const char *row[4] = { "x", NULL, "", NULL };
	int before = dir_entries();

	struct xlsx_writer *w = xlsx_open(path, cols, 4, NULL, &err);
	assert_non_null(w);
	assert_int_equal(xlsx_add_row(w, row, &err), 0);
	xlsx_free(w);
	assert_int_equal(access(path, F_OK), -1);
	/* finished but not committed: no temporary file either */
	w = xlsx_open(path, cols, 4, NULL, &err);
	assert_non_null(w);
	assert_int_equal(xlsx_finish(w, &err), 0);
	xlsx_free(w);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(dir_entries(), before);
	free(path);
}

static void test_xlsx_path_is_by_extension_in_any_case(void **state)
{
	(void)state;
	assert_true(xlsx_path("a.xlsx"));
	assert_true(xlsx_path("报表.XLSX"));
	assert_false(xlsx_path("a.csv"));
	assert_false(xlsx_path("xlsx"));
	assert_false(xlsx_path("-"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xlsx_rows_past_a_sheet_go_on_to_the_next_under_the_header),
	    cmocka_unit_test(test_xlsx_value_not_of_its_type_is_kept_as_text),
	    cmocka_unit_test(test_xlsx_sheet_name_drops_what_excel_refuses),
	    cmocka_unit_test(test_xlsx_unwritable_path_fails_at_open),
	    cmocka_unit_test(test_xlsx_abandoned_workbook_leaves_no_file),
	    cmocka_unit_test(test_xlsx_path_is_by_extension_in_any_case),
	};
	char *cmd;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (asprintf(&cmd, "rm -rf '%s'", dir) >= 0) {
		if (system(cmd) != 0 && rc == 0)
			rc = 1;
		free(cmd);
	}
	return rc;
}
