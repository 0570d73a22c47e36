/* test_date.c - date parsing, validity, formatting and order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sgz/date.h"
#include "sgz/util.h"

static void assert_parses(const char *s, int y, int m, int d)
{
	struct sgz_date date = {0, 0, 0};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (date_parse(s, &date, &err) != 0)
		fail_msg("\"%s\" refused: %s", s, err.msg);
	assert_int_equal(date.year, y);
	assert_int_equal(date.month, m);
	assert_int_equal(date.day, d);
}

static void assert_refused(const char *s, const char *msg)
{
	struct sgz_date date = {1, 2, 3};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (date_parse(s, &date, &err) == 0)
		fail_msg("\"%s\" accepted as %d-%d-%d", s, date.year, date.month, date.day);
	assert_int_equal(err.status, SGZ_EDATA);
	assert_string_equal(err.msg, msg);
	/* out is left alone */
	assert_int_equal(date.year, 1);
	assert_int_equal(date.month, 2);
	assert_int_equal(date.day, 3);
}

static void test_date_parses_iso_form(void **state)
{
	(void)state;
	assert_parses("2023-07-15", 2023, 7, 15);
	assert_parses("1800-01-01", 1800, 1, 1);
	assert_parses("9999-12-31", 9999, 12, 31);
	/* Month and day may have one digit in every form. */
	assert_parses("2023-7-5", 2023, 7, 5);
}

static void test_date_parses_slash_form_with_short_month_and_day(void **state)
{
	(void)state;
	assert_parses("2023/7/5", 2023, 7, 5);
	assert_parses("2023/07/05", 2023, 7, 5);
	assert_parses("2023/12/31", 2023, 12, 31);
}

static void test_date_parses_chinese_form(void **state)
{
	(void)state;
	assert_parses("2023年7月5日", 2023, 7, 5);
	assert_parses("2023年12月01日", 2023, 12, 1);
}

static void test_date_ignores_surrounding_blanks(void **state)
{
	(void)state;
	assert_parses("  2023-07-15\t", 2023, 7, 15);
	assert_parses("\r\n2023/7/5 \n", 2023, 7, 5);
	assert_parses(" 2023年7月5日 ", 2023, 7, 5);
}

static void test_date_refuses_what_is_not_a_date(void **state)
{
	static const char *const bad[] = {
	    "",
	    "   ",
	    "2023",
	    "2023-07",
	    "2023-07-",
	    "23-07-15",
	    "02023-07-15",
	    "2023-007-15",
	    "2023-07-015",
	    "2023.07.15",
	    "2023-07/15",
	    "2023/07-15",
	    "2023-07-15x",
	    "2023-07-15 12:00",
	    "2023年7月5",
	    "2023年7月5号",
	    "2023年7-5",
	    "２０２３-07-15",
	    "15/07/2023",
	    "2023-+7-15",
	    "2023- 7-15",
	    "45123",
	    "2023-07-15-01",
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++)
		assert_refused(bad[i], "not a date (expected YYYY-MM-DD)");
}

static void test_date_knows_leap_years(void **state)
{
	(void)state;
	assert_parses("2000-02-29", 2000, 2, 29);
	assert_parses("2024-02-29", 2024, 2, 29);
	assert_refused("2001-02-29", "no such day: 2001-02-29");
	assert_refused("1900-02-29", "no such day: 1900-02-29");
	assert_refused("2100/2/29", "no such day: 2100-02-29");
	assert_refused("2024-02-30", "no such day: 2024-02-30");
}

static void test_date_refuses_days_and_months_that_do_not_exist(void **state)
{
	(void)state;
	assert_refused("2023-04-31", "no such day: 2023-04-31");
	assert_refused("2023-06-31", "no such day: 2023-06-31");
	assert_refused("2023-09-31", "no such day: 2023-09-31");
	assert_refused("2023-11-31", "no such day: 2023-11-31");
	assert_refused("2023-01-32", "no such day: 2023-01-32");
	assert_refused("2023-01-00", "no such day: 2023-01-00");
	assert_refused("2023-13-01", "no such month: 2023-13");
	assert_refused("2023年0月1日", "no such month: 2023-00");
	assert_parses("2023-01-31", 2023, 1, 31);
	assert_parses("2023-12-31", 2023, 12, 31);
}

static void test_date_refuses_years_before_1800(void **state)
{
	(void)state;
	assert_refused("1799-12-31", "year out of range (1800 to 9999): 1799");
	assert_refused("0000-01-01", "year out of range (1800 to 9999): 0");
}

static void test_date_valid_checks_month_lengths(void **state)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	(void)state;
	for (int m = 1; m <= 12; m++) {
		assert_true(date_valid(2023, m, days[m - 1]));
		assert_false(date_valid(2023, m, days[m - 1] + (m == 2 ? 2 : 1)));
		assert_false(date_valid(2023, m, 0));
	}
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(2023, 0, 1));
	assert_false(date_valid(2023, 13, 1));
	assert_false(date_valid(0, 1, 1));
	assert_false(date_valid(10000, 1, 1));
}

static void test_date_format_pads_with_zeros(void **state)
{
	struct sgz_date d = {2023, 7, 5};
	struct sgz_date back;
	char out[11];

	(void)state;
	memset(out, 'x', sizeof(out));
	date_format(&d, out);
	assert_string_equal(out, "2023-07-05");
	assert_int_equal(date_parse(out, &back, NULL), 0);
	assert_int_equal(date_cmp(&d, &back), 0);
	d = (struct sgz_date){1800, 12, 31};
	date_format(&d, out);
	assert_string_equal(out, "1800-12-31");
}

static void test_date_cmp_orders_by_year_month_day(void **state)
{
	struct sgz_date a = {2023, 7, 5}, b = {2023, 7, 6}, c = {2023, 8, 1}, d = {2024, 1, 1},
			e = {2023, 7, 5};

	(void)state;
	assert_true(date_cmp(&a, &b) < 0);
	assert_true(date_cmp(&b, &a) > 0);
	assert_true(date_cmp(&b, &c) < 0);
	assert_true(date_cmp(&c, &d) < 0);
	assert_true(date_cmp(&d, &a) > 0);
	assert_int_equal(date_cmp(&a, &e), 0);
}

static void test_date_today_is_the_local_date(void **state)
{
	struct sgz_date today;
	struct tm before, after;
	time_t t;

	(void)state;
	t = time(NULL);
	localtime_r(&t, &before);
	date_today(&today);
	t = time(NULL);
	localtime_r(&t, &after);
	/* Midnight may pass between the calls: today is one of the two. */
	if (today.day != before.tm_mday)
		before = after;
	assert_int_equal(today.year, before.tm_year + 1900);
	assert_int_equal(today.month, before.tm_mon + 1);
	assert_int_equal(today.day, before.tm_mday);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_date_parses_iso_form),
	    cmocka_unit_test(test_date_parses_slash_form_with_short_month_and_day),
	    cmocka_unit_test(test_date_parses_chinese_form),
	    cmocka_unit_test(test_date_ignores_surrounding_blanks),
	    cmocka_unit_test(test_date_refuses_what_is_not_a_date),
	    cmocka_unit_test(test_date_knows_leap_years),
	    cmocka_unit_test(test_date_refuses_days_and_months_that_do_not_exist),
	    cmocka_unit_test(test_date_refuses_years_before_1800),
	    cmocka_unit_test(test_date_valid_checks_month_lengths),
	    cmocka_unit_test(test_date_format_pads_with_zeros),
	    cmocka_unit_test(test_date_cmp_orders_by_year_month_day),
	    cmocka_unit_test(test_date_today_is_the_local_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
