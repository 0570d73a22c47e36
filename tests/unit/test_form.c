/* test_form.c - the form model over real entities of the data dictionary,
 * with Chinese text and no terminal: field order and marks, display in the
 * form's language, validation on leaving a field, refusals that keep every
 * other field, choice type-ahead, ditto, save-and-next with sticky fields. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "sgz/dict.h"
#include "sgz/form.h"
#include "sgz/util.h"

static size_t fi(const struct form *f, const char *column)
{
	const struct dict_field *df = dict_field_by_header(form_entity(f), column);

	if (!df)
		fail_msg("no field %s", column);
	return (size_t)dict_field_index(form_entity(f), df);
}

/* Types UTF-8 s into the current field, key by key. */
static void type(struct form *f, const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof(st));
	while (*s) {
		n = mbrtowc(&wc, s, strlen(s), &st);
		assert_true(n > 0 && n <= 4);
		assert_int_equal(form_key(f, false, (wint_t)wc), LINEEDIT_KEY_DONE);
		s += n;
	}
}

static void go_to(struct form *f, const char *column)
{
	form_focus(f, fi(f, column));
	assert_int_equal(form_current(f), fi(f, column));
}

static void assert_text(const struct form *f, const char *column, const char *want)
{
	char *t = form_text(f, fi(f, column));
	assert_string_equal(t, want);
	free(t);
}

/* The station of the fixtures, as record_load gives it. */
static const char *const station_row[] = {
    "120110001000",
    "东丽区张贵庄街道社会工作服务站",
    "2021",
    "operating",
    "2021-07-20",
    "purchased",
    "52120110MJ0000001Y",
    "yes",
    "yes",
    "office;computer",
    "urban",
};

static void test_form_fields_follow_the_dictionary_with_required_marks(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);

	assert_int_equal(form_count(f), 11);
	assert_string_equal(form_label(f, 0), "乡镇(街道)");
	assert_string_equal(form_dict_field(f, 3)->column, "status");
	assert_true(form_required(f, fi(f, "township")));
	assert_true(form_required(f, fi(f, "status")));
	assert_false(form_required(f, fi(f, "name"))); /* the database gives a default */
	assert_true(form_pickable(f, fi(f, "status")));
	assert_true(form_pickable(f, fi(f, "organization")));
	assert_false(form_pickable(f, fi(f, "name")));
	form_free(f);

	f = form_new(dict_find("cases"), false);
	assert_string_equal(form_label(f, 0), "Case number");
	assert_false(form_required(f, 0)); /* assigned when left empty */
	form_free(f);
}

static void test_form_shows_choices_and_booleans_in_its_language(void **state)
{
	(void)state;
	struct form *zh = form_new(dict_find("stations"), true);
	struct form *en = form_new(dict_find("stations"), false);

	form_load(zh, station_row);
	form_load(en, station_row);
	assert_text(zh, "status", "运营中");
	assert_text(en, "status", "operating");
	assert_text(zh, "facilities", "办公用房;电脑");
	assert_text(zh, "signage", "是");
	assert_text(zh, "name", "东丽区张贵庄街道社会工作服务站");
	assert_false(form_dirty(zh));
	/* and gives them back canonical */
	struct sgz_err err;
	assert_int_equal(form_validate_all(zh, &err), 0);
	char **v = form_values(zh);
	for (size_t i = 0; i < form_count(zh); i++)
		assert_string_equal(v[i], station_row[i]);
	form_values_free(zh, v);
	form_free(zh);
	form_free(en);
}

static void test_form_leaving_a_field_normalises_it(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);
	struct sgz_err err;

	form_load(f, station_row);
	go_to(f, "established_on");
	form_key(f, false, 0x0b); /* Ctrl-K clears */
	type(f, "2021年7月2日");
	assert_true(form_dirty(f));
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_int_equal(form_current(f), fi(f, "operation_mode"));
	assert_text(f, "established_on", "2021-07-02");
	assert_true(form_dirty(f));

	go_to(f, "township");
	form_key(f, false, 0x0b);
	type(f, "120110002");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_text(f, "township", "120110002000");
	form_free(f);
}

static void test_form_refused_value_keeps_the_cursor_and_every_field(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);
	struct sgz_err err;

	form_load(f, station_row);
	go_to(f, "name");
	form_key(f, false, 0x0b);
	type(f, "新站名");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	form_key(f, false, 0x0b); /* batch_year */
	type(f, "二〇二一");
	assert_int_equal(form_move(f, FORM_NEXT, &err), -1);
	assert_int_equal(form_current(f), fi(f, "batch_year"));
	assert_non_null(strstr(err.msg, "whole number"));
	assert_string_equal(form_error(f, fi(f, "batch_year")), err.msg);
	assert_int_equal(form_first_error(f), (int)fi(f, "batch_year"));
	assert_text(f, "batch_year", "二〇二一");
	assert_text(f, "name", "新站名");
	assert_text(f, "status", "运营中");
	/* backwards is refused too: the reason must be dealt with */
	assert_int_equal(form_move(f, FORM_PREV, &err), -1);
	/* an edit clears the mark; a good value passes */
	form_key(f, false, 0x0b);
	assert_null(form_error(f, fi(f, "batch_year")));
	type(f, "2022");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);

	/* a bad date, then save: validate_all finds it */
	go_to(f, "established_on");
	form_key(f, false, 0x0b);
	type(f, "2021-02-30");
	go_to(f, "township");
	assert_int_equal(form_validate_all(f, &err), -1);
	assert_int_equal(form_current(f), fi(f, "established_on"));
	assert_text(f, "name", "新站名");
	form_free(f);
}

static void test_form_required_field_left_empty_is_refused(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), false);
	struct sgz_err err;

	assert_int_equal(form_current(f), 0);
	assert_int_equal(form_move(f, FORM_NEXT, &err), -1);
	assert_string_equal(err.msg, "a value is required");
	form_free(f);
}

static void test_form_choice_type_ahead_by_code_or_label(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);
	const struct dict_field *status = dict_field_by_header(dict_find("stations"), "status");
	struct sgz_err err;
	size_t idx[8];

	assert_int_equal(form_choice_matches(status, "", idx, 8), 5);
	assert_int_equal(form_choice_matches(status, "暂", idx, 8), 1);
	assert_string_equal(status->choices[idx[0]].code, "suspended");
	assert_int_equal(form_choice_matches(status, "OP", idx, 8), 1);
	assert_string_equal(status->choices[idx[0]].code, "operating");

	form_load(f, station_row);
	go_to(f, "status");
	form_key(f, false, 0x0b);
	type(f, "已");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_text(f, "status", "已挂牌");
	go_to(f, "operation_mode");
	form_key(f, false, 0x0b);
	type(f, "mix");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_text(f, "operation_mode", "混合");

	/* the start of two labels completes nothing */
	struct form *g = form_new(dict_find("staff"), true);
	go_to(g, "role");
	type(g, "社");
	assert_int_equal(form_move(g, FORM_NEXT, &err), -1);
	assert_non_null(strstr(err.msg, "is not one of"));
	form_free(g);
	form_free(f);
}

static const char *const staff_row[] = {
    "12011019850315002X", "王芳",	  "13812345678", "120110001000", "head",
    "bachelor",		  "intermediate", "2019-06-20",	 "2021-07-01",	 NULL,
    "52120110MJ0000001Y", "yes",	  "female",	 "1985-03-15",
};

static void test_form_ditto_copies_the_previous_record(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("staff"), true);
	struct sgz_err err;

	assert_int_equal(form_ditto(f), -1); /* nothing to copy yet */
	form_set_ditto(f, staff_row);
	go_to(f, "education");
	assert_int_equal(form_ditto(f), 0);
	assert_text(f, "education", "本科");
	assert_true(form_dirty(f));
	go_to(f, "left_on");
	assert_int_equal(form_ditto(f), -1); /* empty there */
	go_to(f, "education");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	char **v = form_values(f);
	assert_string_equal(v[fi(f, "education")], "bachelor");
	form_values_free(f, v);
	form_free(f);
}

static void test_form_save_and_next_keeps_sticky_fields(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("staff"), true);

	form_load(f, staff_row);
	form_set_ditto(f, staff_row);
	assert_true(form_sticky(f, fi(f, "station")));
	assert_true(form_sticky(f, fi(f, "hired_on")));
	assert_false(form_sticky(f, fi(f, "id_number")));
	assert_false(form_sticky(f, fi(f, "name")));
	assert_false(form_sticky(f, fi(f, "gender")));
	form_next_record(f);
	assert_text(f, "station", "120110001000");
	assert_text(f, "hired_on", "2021-07-01");
	assert_text(f, "employer", "52120110MJ0000001Y");
	assert_text(f, "name", "");
	assert_text(f, "id_number", "");
	assert_text(f, "qualification", "无"); /* back to the default */
	assert_text(f, "gender", "");
	assert_false(form_dirty(f));
	assert_int_equal(form_current(f), fi(f, "id_number"));
	/* and ditto still has the record just saved */
	go_to(f, "name");
	assert_int_equal(form_ditto(f), 0);
	assert_text(f, "name", "王芳");
	form_free(f);
}

static void test_form_read_only_fields_are_skipped_and_kept(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("staff"), false);
	struct sgz_err err;

	form_load(f, staff_row);
	assert_true(form_readonly(f, fi(f, "gender")));
	go_to(f, "local_hukou");
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_int_equal(form_current(f), 0); /* wrapped past gender and birth date */
	assert_int_equal(form_move(f, FORM_PREV, &err), 0);
	assert_int_equal(form_current(f), fi(f, "local_hukou"));
	assert_int_equal(form_key(f, false, L'x'), LINEEDIT_KEY_DONE);
	char **v = form_values(f);
	assert_string_equal(v[fi(f, "gender")], "female");
	assert_string_equal(v[fi(f, "birth_date")], "1985-03-15");
	form_values_free(f, v);
	form_free(f);
}

static void test_form_chinese_text_is_typed_and_measured_in_columns(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("volunteers"), true);
	struct sgz_err err;

	form_layout(f, 80);
	go_to(f, "name");
	type(f, "欧阳娜娜");
	assert_int_equal(lineedit_cursor_col(form_lineedit(f, fi(f, "name"))), 8);
	assert_int_equal(form_move(f, FORM_NEXT, &err), 0);
	assert_text(f, "name", "欧阳娜娜");
	/* a label column wide enough for the longest Chinese label */
	assert_int_equal(form_label_width(f), 2 + 8 + 2);
	/* the id field is as wide as an id number, not the whole line */
	assert_int_equal(lineedit_width(form_lineedit(f, 0)), 20);
	form_free(f);
}

static void test_form_set_text_from_a_pick_clears_the_error(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);
	struct sgz_err err;

	go_to(f, "status");
	type(f, "不存在");
	assert_int_equal(form_move(f, FORM_NEXT, &err), -1);
	assert_non_null(form_error(f, fi(f, "status")));
	form_set_text(f, fi(f, "status"), "规划中");
	assert_null(form_error(f, fi(f, "status")));
	assert_int_equal(form_validate(f, fi(f, "status"), &err), 0);
	form_set_error(f, fi(f, "batch_year"), "a planned station needs a batch year");
	assert_int_equal(form_first_error(f), (int)fi(f, "batch_year"));
	form_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form_fields_follow_the_dictionary_with_required_marks),
	    cmocka_unit_test(test_form_shows_choices_and_booleans_in_its_language),
	    cmocka_unit_test(test_form_leaving_a_field_normalises_it),
	    cmocka_unit_test(test_form_refused_value_keeps_the_cursor_and_every_field),
	    cmocka_unit_test(test_form_required_field_left_empty_is_refused),
	    cmocka_unit_test(test_form_choice_type_ahead_by_code_or_label),
	    cmocka_unit_test(test_form_ditto_copies_the_previous_record),
	    cmocka_unit_test(test_form_save_and_next_keeps_sticky_fields),
	    cmocka_unit_test(test_form_read_only_fields_are_skipped_and_kept),
	    cmocka_unit_test(test_form_chinese_text_is_typed_and_measured_in_columns),
	    cmocka_unit_test(test_form_set_text_from_a_pick_clears_the_error),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
