/* test_report.c - the reports laid out for people without a database: the
 * text layout in either language (headings, labels of booleans and
 * choices, the Total row, shares recomputed from their parts), the CSV with
 * and without --labels, and the decimal arithmetic of the totals. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/i18n.h"
#include "sgz/report.h"
#include "sgz/width.h"

/* The report's text (or CSV with csv) in language lang. Caller frees. */
static char *lay_out(const struct report_result *r, const char *lang, int csv, bool labels)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	i18n_init(lang, NULL);
	assert_int_equal(csv ? report_write_csv(r, labels, f) : report_write_text(r, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Line n (0-based) of text, without its line end. Caller frees. */
static char *line(const char *text, int n)
{
	const char *p = text;

	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	assert_non_null(p);
	return strndup(p, strcspn(p, "\n"));
}

/* The blank-separated words of s joined by one space. Caller frees. */
static char *words(const char *s)
{
	char *out = calloc(strlen(s) + 1, 1), *o = out;

	assert_non_null(out);
	for (const char *p = s; *p;) {
		size_t n;
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		if (o != out)
			*o++ = ' ';
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	return out;
}

/* The display column just after the end of the first occurrence of what
 * in s. */
static int end_col(const char *s, const char *what)
{
	const char *at = strstr(s, what);
	char *prefix;
	int w;

	assert_non_null(at);
	prefix = strndup(s, (size_t)(at - s) + strlen(what));
	w = width_utf8(prefix);
	free(prefix);
	return w;
}

static int count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* Two counties of the progress report. */
static const char *const progress_cells[] = {
	"120110000000", "东丽区", "2024-06", "10", "1", "5", "40", "22", "78", "364.0", "8", "1",
	"120111000000", "西青区", "2024-06", "3",  "0", "2", "9",  "4",  "20", "12.5",  "0", "2",
};

static struct report_result *progress(void)
{
	return report_result_new(report_find("progress"), "2024-06-30", "12", "天津市", 2,
				 progress_cells);
}

static void test_report_text_english_has_headings_and_a_total_row(void **state)
{
	struct report_result *r = progress();
	char *t = lay_out(r, "en", 0, false);
	char *l;

	(void)state;
	l = line(t, 0);
	assert_string_equal(l, "Monthly progress — 天津市 (12) — 2024-06 (as of 2024-06-30)");
	free(l);
	l = line(t, 2);
	assert_non_null(strstr(l, "County code   County  Month    Stations  New stations"));
	free(l);
	/* 10 + 3, 364.0 + 12.5, 1 + 2; the county's name and the month add nothing */
	l = line(t, 7);
	char *w = words(l);
	assert_string_equal(w, "Total 13 1 7 49 26 98 376.5 8 3");
	free(w);
	/* right-aligned under the headings */
	char *head = line(t, 2);
	assert_int_equal(end_col(l, "376.5"), end_col(head, "Volunteer hours"));
	assert_int_equal(width_utf8(l), width_utf8(head));
	free(head);
	free(l);
	l = line(t, 8);
	assert_string_equal(l, "(2 rows)");
	free(l);
	assert_int_equal(count_lines(t), 9);
	assert_int_equal(report_text_tail(r), 3);
	free(t);
	report_result_free(r);
}

static void test_report_text_chinese_titles_total_and_count(void **state)
{
	struct report_result *r = progress();
	char *t = lay_out(r, "zh_CN", 0, false);
	char *l;

	(void)state;
	l = line(t, 0);
	assert_string_equal(l, "每月进度 — 天津市 (12) — 2024-06 (截至 2024-06-30)");
	free(l);
	l = line(t, 2);
	assert_non_null(strstr(l, "县(区)代码    县(区)  月份     累计建站数  本月新建站数"));
	free(l);
	l = line(t, 7);
	assert_true(strncmp(l, "合计 ", strlen("合计 ")) == 0);
	assert_non_null(strstr(l, "376.5"));
	free(l);
	l = line(t, 8);
	assert_string_equal(l, "(共 2 行)");
	free(l);
	free(t);
	report_result_free(r);
}

static const char *const contract_cells[] = {
	"DL-2024-001", "52120110MJ0000001Y", "120110000000", "2", "250000.00", "91.0",
	"excellent",   "renew",
	"DL-2024-002", "52120110MJ0000001Y", "120110000000", "3", "120000.50", "60.0",
	"pass",	       "cycle_end",
	"DL-2024-003", "52120110MJ0000001Y", "120110000000", "1", "80000.00",  NULL,
	NULL,	       "pending",
};

static void test_report_text_labels_choices_and_adds_only_what_adds_up(void **state)
{
	struct report_result *r = report_result_new(report_find("contracts"), "2024-12-31", "",
						     NULL, 3, contract_cells);
	char *zh = lay_out(r, "zh_CN", 0, false), *en = lay_out(r, "en", 0, false);
	char *l;

	(void)state;
	l = line(zh, 0);
	assert_string_equal(l, "购买服务合同 — 全部 — 2024 合同年度");
	free(l);
	l = line(zh, 4);
	assert_non_null(strstr(l, "优秀"));
	assert_non_null(strstr(l, "续签"));
	assert_null(strstr(l, "excellent"));
	free(l);
	l = line(zh, 5);
	assert_non_null(strstr(l, "合格"));
	assert_non_null(strstr(l, "周期届满"));
	free(l);
	l = line(zh, 6);
	assert_non_null(strstr(l, "待评估"));
	free(l);
	/* money adds up to the fen; the year of the cycle and the score do not */
	l = line(zh, 8);
	char *w = words(l), *head = line(zh, 2);
	assert_string_equal(w, "合计 450000.50");
	assert_int_equal(end_col(l, "450000.50"), end_col(head, "合同金额(元)"));
	free(head);
	free(w);
	free(l);
	l = line(en, 5);
	assert_non_null(strstr(l, "pass"));
	assert_non_null(strstr(l, "cycle ended"));
	free(l);
	l = line(en, 1 + 1);
	assert_non_null(strstr(l, "Grade"));
	assert_non_null(strstr(l, "Decision"));
	free(l);
	free(zh);
	free(en);
	report_result_free(r);
}

/* Two counties of the coverage report: 1 of 2 and 0 of 1 townships with a
 * station, 6 of 16 villages with a point in one of them only. */
static const char *const coverage_cells[] = {
	"130102000000", "长安区", "2", "2", "1", "50.0", "16", "6", "37.5", "2",  "no",
	"130104000000", "桥西区", "1", "1", "0", "0.0",	 "0",  "0", NULL,   NULL, NULL,
};

static void test_report_total_share_is_recomputed_from_its_parts(void **state)
{
	struct report_result *r = report_result_new(report_find("coverage"), "2024-12-31",
						     "13", "河北省", 2, coverage_cells);
	char *t = lay_out(r, "zh_CN", 0, false);
	char *l;

	(void)state;
	l = line(t, 3 + 1);
	assert_non_null(strstr(l, "否"));
	assert_null(strstr(l, " no"));
	free(l);
	/* 1 of 3 townships: 33.3, not the mean of 50.0 and 0.0; 6 of 16 villages */
	l = line(t, 7);
	assert_non_null(strstr(l, " 33.3 [#######.............]"));
	assert_non_null(strstr(l, " 37.5 [########............]"));
	/* the target of one county is the total of the targets given */
	assert_non_null(strstr(l, "  2"));
	free(l);
	free(t);
	report_result_free(r);
}

static void test_report_kpi_share_without_its_part_has_no_total(void **state)
{
	static const char *const cells[] = {
		"130102001000", "建北街道社会工作服务站", "3", "66.7", "2", "2", "1", "1", "15.9",
		"no",
		"130104001000", "振头街道社会工作服务站", "1", "100.0", "0", "0", "0", "0", "0.0",
		"yes",
	};
	struct report_result *r = report_result_new(report_find("kpi"), "2024-12-31", "13",
						     "河北省", 2, cells);
	char *t = lay_out(r, "en", 0, false);
	char *l = line(t, 7);

	(void)state;
	assert_true(strncmp(l, "Total", 5) == 0);
	assert_null(strstr(l, "["));   /* individual_pct: empty */
	assert_non_null(strstr(l, "  4")); /* recipients 3 + 1 */
	assert_non_null(strstr(l, "15.9"));
	free(l);
	free(t);
	report_result_free(r);
}

static void test_report_without_rows_has_no_total(void **state)
{
	struct report_result *r = report_result_new(report_find("progress"), "2024-06-30",
						     "12", "天津市", 0, NULL);
	char *t = lay_out(r, "en", 0, false);

	(void)state;
	assert_int_equal(report_text_tail(r), 1);
	assert_int_equal(count_lines(t), REPORT_TEXT_HEAD + 1);
	assert_null(strstr(t, "Total"));
	free(t);
	report_result_free(r);
}

/* A hot standby's lag past report_max_lag: the line under the title says
 * it in either language, in its two largest units; the CSV never has it. */
static void test_report_lag_is_said_under_the_title_never_in_the_csv(void **state)
{
	struct report_result *r = progress();
	char *t, *l, *csv, *plain;

	(void)state;
	plain = lay_out(r, "en", 0, false);
	assert_int_equal(report_result_lag(r), -1);
	i18n_init("en", NULL);
	assert_null(report_lag_note(r));
	l = line(plain, 1);
	assert_string_equal(l, "");
	free(l);
	report_result_set_lag(r, 3725);
	t = lay_out(r, "en", 0, false);
	l = line(t, 1);
	assert_string_equal(l, "Note: the standby is 1 hour 2 minutes behind; recent changes may "
			       "be missing");
	free(l);
	/* the rest is as it was, a line for a line */
	assert_int_equal(count_lines(t), count_lines(plain));
	l = line(t, 2);
	char *p2 = line(plain, 2);
	assert_string_equal(l, p2);
	free(p2);
	free(l);
	free(t);
	t = lay_out(r, "zh_CN", 0, false);
	l = line(t, 1);
	assert_string_equal(l, "注意:备库落后主库 1 小时 2 分钟,最近的修改可能尚未计入");
	free(l);
	free(t);
	report_result_set_lag(r, 2 * 86400 + 5);
	i18n_init("en", NULL);
	l = report_lag_note(r);
	assert_non_null(strstr(l, " 2 days 0 hours behind"));
	free(l);
	report_result_set_lag(r, 1);
	l = report_lag_note(r);
	assert_non_null(strstr(l, " 1 second behind"));
	free(l);
	csv = lay_out(r, "en", 1, false);
	assert_null(strstr(csv, "standby"));
	free(csv);
	free(plain);
	report_result_free(r);
}

static void test_report_csv_labels_give_chinese_titles_and_labels(void **state)
{
	struct report_result *r = report_result_new(report_find("contracts"), "2024-12-31", "",
						     NULL, 3, contract_cells);
	char *plain = lay_out(r, "en", 1, false), *labelled = lay_out(r, "en", 1, true);
	char *l;

	(void)state;
	l = line(plain, 0);
	assert_string_equal(l, "contract_no,organization,purchaser,year_no,amount,score,grade,decision");
	free(l);
	l = line(plain, 1);
	assert_string_equal(l, "DL-2024-001,52120110MJ0000001Y,120110000000,2,250000.00,91.0,excellent,renew");
	free(l);
	l = line(labelled, 0);
	assert_string_equal(l, "合同编号,承接机构,购买主体,周期第几年,合同金额(元),评估得分,评估等级,续签决定");
	free(l);
	l = line(labelled, 2);
	assert_string_equal(l, "DL-2024-002,52120110MJ0000001Y,120110000000,3,120000.50,60.0,合格,周期届满");
	free(l);
	l = line(labelled, 3);
	assert_string_equal(l, "DL-2024-003,52120110MJ0000001Y,120110000000,1,80000.00,,,待评估");
	free(l);
	/* the CSV is data: no Total row */
	assert_int_equal(count_lines(labelled), 4);
	free(plain);
	free(labelled);
	report_result_free(r);
}

static void test_report_progress_labels_are_work_md_titles(void **state)
{
	struct report_result *r = progress();
	char *t = lay_out(r, "en", 1, true);
	char *l = line(t, 0);

	(void)state;
	assert_string_equal(l, "县(区)代码,县(区),月份,累计建站数,本月新建站数,累计社工点数,累计社工人数,"
			       "持证社工人数,累计注册志愿者数,本月志愿服务时长,在办个案数,本月走访次数");
	free(l);
	free(t);
	report_result_free(r);
}

static void test_report_decimal_parse_and_format(void **state)
{
	long long v;
	char out[REPORT_DECIMAL_LEN];

	(void)state;
	assert_int_equal(report_decimal_parse("12", 0, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(report_decimal_parse("12.5", 2, &v), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(report_decimal_parse("-3.2", 1, &v), 0);
	assert_int_equal(v, -32);
	assert_int_equal(report_decimal_parse("1.25", 1, &v), -1);
	assert_int_equal(report_decimal_parse("", 0, &v), -1);
	assert_int_equal(report_decimal_parse("1x", 0, &v), -1);
	assert_int_equal(report_decimal_parse(".5", 1, &v), -1);
	assert_int_equal(report_decimal_parse("99999999999999999999", 0, &v), -1);
	report_decimal_format(1250, 2, out);
	assert_string_equal(out, "12.50");
	report_decimal_format(-32, 1, out);
	assert_string_equal(out, "-3.2");
	report_decimal_format(5, 1, out);
	assert_string_equal(out, "0.5");
	report_decimal_format(42, 0, out);
	assert_string_equal(out, "42");
}

static void test_report_share_rounds_half_away_from_zero(void **state)
{
	char out[REPORT_DECIMAL_LEN];

	(void)state;
	assert_int_equal(report_share(1, 16, out), 0); /* 6.25 */
	assert_string_equal(out, "6.3");
	assert_int_equal(report_share(2, 3, out), 0);
	assert_string_equal(out, "66.7");
	assert_int_equal(report_share(1, 3, out), 0);
	assert_string_equal(out, "33.3");
	assert_int_equal(report_share(10, 10, out), 0);
	assert_string_equal(out, "100.0");
	assert_int_equal(report_share(0, 7, out), 0);
	assert_string_equal(out, "0.0");
	assert_int_equal(report_share(1, 0, out), -1);
}

static void test_report_month_check_refuses_months_to_come(void **state)
{
	(void)state;
	assert_int_equal(report_month_check(2026, 12, 2026, 12), 0);
	assert_int_equal(report_month_check(2026, 11, 2026, 12), 0);
	assert_int_equal(report_month_check(2025, 12, 2026, 1), 0);
	assert_int_equal(report_month_check(2027, 1, 2026, 12), -1);
	assert_int_equal(report_month_check(2026, 2, 2026, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_text_english_has_headings_and_a_total_row),
		cmocka_unit_test(test_report_text_chinese_titles_total_and_count),
		cmocka_unit_test(test_report_text_labels_choices_and_adds_only_what_adds_up),
		cmocka_unit_test(test_report_total_share_is_recomputed_from_its_parts),
		cmocka_unit_test(test_report_kpi_share_without_its_part_has_no_total),
		cmocka_unit_test(test_report_without_rows_has_no_total),
		cmocka_unit_test(test_report_lag_is_said_under_the_title_never_in_the_csv),
		cmocka_unit_test(test_report_csv_labels_give_chinese_titles_and_labels),
		cmocka_unit_test(test_report_progress_labels_are_work_md_titles),
		cmocka_unit_test(test_report_decimal_parse_and_format),
		cmocka_unit_test(test_report_share_rounds_half_away_from_zero),
		cmocka_unit_test(test_report_month_check_refuses_months_to_come),
	};

	/* display widths of Chinese text need a UTF-8 LC_CTYPE */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
