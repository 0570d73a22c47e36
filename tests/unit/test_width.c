/* test_width.c - display width in columns and UTF-8 <-> wchar_t, with
 * Chinese text. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "sgz/width.h"

static void test_width_chinese_takes_two_columns_ascii_one(void **state)
{
	(void)state;
	assert_int_equal(width_wchar(L'社'), 2);
	assert_int_equal(width_wchar(L'a'), 1);
	assert_int_equal(width_wchar(L'，'), 2); /* full-width comma */
	assert_int_equal(width_wcs(L"社工站abc", 6), 9);
	assert_int_equal(width_wcs(L"社工站abc", 2), 4);
}

static void test_width_combining_mark_takes_none_control_takes_one(void **state)
{
	(void)state;
	assert_int_equal(width_wchar(0x0301), 0); /* combining acute */
	assert_int_equal(width_wcs(L"e\x0301", 2), 1);
	/* shown as '?', so it must occupy a column */
	assert_int_equal(width_wchar(L'\x07'), 1);
	assert_int_equal(width_wchar(L'\x1b'), 1);
}

static void test_width_utf8_counts_columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(width_utf8("社会工作服务站"), 14);
	assert_int_equal(width_utf8("3号楼 B座"), 9);
	assert_int_equal(width_utf8(""), 0);
	assert_int_equal(width_utf8(NULL), 0);
}

static void test_width_utf8_counts_each_invalid_byte_as_one(void **state)
{
	(void)state;
	/* a lone continuation byte, a cut-off 3-byte sequence, an overlong '/' */
	assert_int_equal(width_utf8("a\x80z"), 3);
	assert_int_equal(width_utf8("\xe7\xa4z"), 3);
	assert_int_equal(width_utf8("\xc0\xaf"), 2);
	/* the valid character after a bad byte still counts two */
	assert_int_equal(width_utf8("\xff社"), 3);
}

static void test_width_fit_stops_before_cutting_a_double_width_character(void **state)
{
	const wchar_t *s = L"社会工作服务站";
	int used = -1;

	(void)state;
	assert_int_equal(width_fit(s, 7, 7, &used), 3);
	assert_int_equal(used, 6);
	assert_int_equal(width_fit(s, 7, 8, &used), 4);
	assert_int_equal(used, 8);
	assert_int_equal(width_fit(s, 7, 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(width_fit(s, 7, 100, NULL), 7);
	assert_int_equal(width_fit(L"ab社", 3, 3, &used), 2);
	assert_int_equal(used, 2);
}

static void test_width_fit_keeps_combining_mark_with_its_character(void **state)
{
	int used;

	(void)state;
	/* "é" as e + U+0301 fills one column, mark included */
	assert_int_equal(width_fit(L"e\x0301x", 3, 1, &used), 2);
	assert_int_equal(used, 1);
}

static void test_width_from_utf8_decodes_chinese_and_ascii(void **state)
{
	size_t n = 0;
	wchar_t *w = width_from_utf8("站点A1", &n);

	(void)state;
	assert_int_equal(n, 4);
	assert_true(wcscmp(w, L"站点A1") == 0);
	free(w);
	w = width_from_utf8("\xf0\x9f\x98\x80", &n); /* 4-byte sequence */
	assert_int_equal(n, 1);
	assert_int_equal(w[0], 0x1F600);
	free(w);
}

static void test_width_from_utf8_replaces_each_bad_byte(void **state)
{
	size_t n = 0;
	wchar_t *w;

	(void)state;
	/* E7 A4 is 社 (E7 A4 BE) cut short; ED A0 80 is a surrogate */
	w = width_from_utf8("\xe7\xa4z\xed\xa0\x80", &n);
	assert_int_equal(n, 6);
	assert_int_equal(w[0], 0xFFFD);
	assert_int_equal(w[1], 0xFFFD);
	assert_int_equal(w[2], L'z');
	assert_int_equal(w[3], 0xFFFD);
	assert_int_equal(w[5], 0xFFFD);
	assert_int_equal(w[6], L'\0');
	free(w);
	w = width_from_utf8("\xf4\x90\x80\x80", &n); /* beyond U+10FFFF */
	assert_int_equal(n, 4);
	assert_int_equal(w[0], 0xFFFD);
	free(w);
	/* overlong forms of '/' in three and four bytes */
	w = width_from_utf8("\xe0\x80\xaf\xf0\x80\x80\xaf", &n);
	assert_int_equal(n, 7);
	assert_int_equal(w[0], 0xFFFD);
	assert_int_equal(w[3], 0xFFFD);
	free(w);
}

static void test_width_to_utf8_round_trips_chinese(void **state)
{
	const char *s = "社会工作服务站 No.3 😀";
	size_t n;
	wchar_t *w = width_from_utf8(s, &n);
	char *back = width_to_utf8(w, n);

	(void)state;
	assert_string_equal(back, s);
	free(back);
	back = width_to_utf8(w, 2);
	assert_string_equal(back, "社会");
	free(back);
	free(w);
}

static void test_width_to_utf8_replaces_surrogates(void **state)
{
	const wchar_t w[] = {L'a', (wchar_t)0xD800, L'b'};
	char *s = width_to_utf8(w, 3);

	(void)state;
	assert_string_equal(s, "a\xef\xbf\xbd\x62"); /* \x62: b */
	free(s);
}

static void test_width_wrap_breaks_chinese_by_columns(void **state)
{
	(void)state;
	/* 12 characters, 24 columns, in lines of 10 columns: 5 + 5 + 2 */
	const wchar_t *s = L"第二行服务时长不能超过二四";
	size_t starts[4], lens[4];

	assert_int_equal(width_wrap(s, 12, 10, starts, lens, 4), 3);
	assert_int_equal(starts[1], 5);
	assert_int_equal(lens[1], 5);
	assert_int_equal(starts[2], 10);
	assert_int_equal(lens[2], 2);
	/* an odd width never cuts a double-width character */
	assert_int_equal(width_wrap(s, 12, 9, starts, lens, 4), 3);
	assert_int_equal(lens[0], 4);
}

static void test_width_wrap_breaks_latin_after_a_space(void **state)
{
	(void)state;
	const wchar_t *s = L"hours of 张敏 add up to 25.0";
	size_t starts[4], lens[4], n = wcslen(s);

	/* "hours of 张敏 add" is 16 columns: the break falls inside "up" */
	assert_int_equal(width_wrap(s, n, 18, starts, lens, 4), 2);
	assert_int_equal(lens[0], wcslen(L"hours of 张敏 add"));
	assert_int_equal(starts[1], wcslen(L"hours of 张敏 add "));
	/* only as many lines as asked for are written, all are counted */
	assert_int_equal(width_wrap(s, n, 6, starts, lens, 1), 6); /* hours|of|张敏|add up|to 25.|0 */
	assert_int_equal(lens[0], 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_width_chinese_takes_two_columns_ascii_one),
	    cmocka_unit_test(test_width_combining_mark_takes_none_control_takes_one),
	    cmocka_unit_test(test_width_utf8_counts_columns_not_bytes),
	    cmocka_unit_test(test_width_utf8_counts_each_invalid_byte_as_one),
	    cmocka_unit_test(test_width_fit_stops_before_cutting_a_double_width_character),
	    cmocka_unit_test(test_width_fit_keeps_combining_mark_with_its_character),
	    cmocka_unit_test(test_width_from_utf8_decodes_chinese_and_ascii),
	    cmocka_unit_test(test_width_from_utf8_replaces_each_bad_byte),
	    cmocka_unit_test(test_width_to_utf8_round_trips_chinese),
	    cmocka_unit_test(test_width_to_utf8_replaces_surrogates),
	    cmocka_unit_test(test_width_wrap_breaks_chinese_by_columns),
	    cmocka_unit_test(test_width_wrap_breaks_latin_after_a_space),
	};

	/* wcwidth knows CJK only in a UTF-8 locale */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
