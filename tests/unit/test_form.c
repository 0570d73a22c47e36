/* test_form.c - the form model over real entities of the data dictionary,
 * with Chinese text and no terminal: field order and marks, display in the
 * form's language, validation on leaving a field, refusals that keep every
 * other field, choice type-ahead, ditto, save-and-next with sticky fields,
 * multi-line fields; the labels and the model's messages through the zh_CN
 * catalogue (built into $SGZ_LOCALEDIR by make); the draft file format and
 * its files (draft.h). */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "sgz/dict.h"
#include "sgz/draft.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
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
	assert_text(en, "status", "Operating");
	assert_text(zh, "facilities", "办公用房;电脑");
	assert_text(en, "facilities", "Office;Computer");
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
	/* the English form's labels read back as the codes too */
	assert_int_equal(form_validate_all(en, &err), 0);
	v = form_values(en);
	for (size_t i = 0; i < form_count(en); i++)
		assert_string_equal(v[i], station_row[i]);
	form_values_free(en, v);
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

static void test_form_refused_value_moves_on_marked_and_keeps_every_field(void **state)
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
	/* refused, and the cursor moves on all the same (spec/work.md:
	 * moving never traps) */
	assert_int_equal(form_move(f, FORM_NEXT, &err), -1);
	assert_int_equal(form_current(f), fi(f, "status"));
	assert_non_null(strstr(err.msg, "whole number"));
	assert_string_equal(form_error(f, fi(f, "batch_year")), err.msg);
	assert_int_equal(form_first_error(f), (int)fi(f, "batch_year"));
	assert_text(f, "batch_year", "二〇二一");
	assert_text(f, "name", "新站名");
	assert_text(f, "status", "运营中");
	/* backwards moves too; leaving the field again says the reason again */
	assert_int_equal(form_move(f, FORM_PREV, &err), 0);
	assert_int_equal(form_current(f), fi(f, "batch_year"));
	assert_int_equal(form_move(f, FORM_PREV, &err), -1);
	assert_int_equal(form_current(f), fi(f, "name"));
	assert_non_null(form_error(f, fi(f, "batch_year")));
	go_to(f, "batch_year");
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
	/* the cursor left it all the same, the field marked */
	assert_int_equal(form_current(f), 1);
	assert_string_equal(form_error(f, 0), "a value is required");
	/* back, and back again out of it: before the first, the last */
	assert_int_equal(form_move(f, FORM_PREV, &err), 0);
	assert_int_equal(form_current(f), 0);
	assert_int_equal(form_move(f, FORM_PREV, &err), -1);
	assert_int_equal(form_current(f), form_count(f) - 1);
	/* save: the first refused field gets the cursor */
	assert_int_equal(form_validate_all(f, &err), -1);
	assert_int_equal(form_current(f), 0);
	form_free(f);
}

static void test_form_choice_type_ahead_by_code_or_label(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("stations"), true);
	const struct dict_field *status = dict_field_by_header(dict_find("stations"), "status");
	const struct dict_field *mode =
	    dict_field_by_header(dict_find("stations"), "operation_mode");
	struct sgz_err err;
	size_t idx[8];

	assert_int_equal(form_choice_matches(status, "", idx, 8), 5);
	assert_int_equal(form_choice_matches(status, "暂", idx, 8), 1);
	assert_string_equal(status->choices[idx[0]].code, "suspended");
	assert_int_equal(form_choice_matches(status, "OP", idx, 8), 1);
	assert_string_equal(status->choices[idx[0]].code, "operating");
	/* an English label's start, either case */
	assert_int_equal(form_choice_matches(mode, "integrated s", idx, 8), 1);
	assert_string_equal(mode->choices[idx[0]].code, "integrated");

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
    NULL, /* qualify_by: derived, none once qualified */
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

/* Forms that help (spec/work.md): a worker is sticky; a proposal shows in
 * the field, clean, and the first character typed replaces it; a masked
 * proposal stands for the person's token. */
static void test_form_proposals_and_the_sticky_worker(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("cases"), true);
	struct sgz_err err;
	char **v;

	assert_true(form_sticky(f, fi(f, "worker")));
	assert_true(form_sticky(f, fi(f, "station")));
	assert_false(form_sticky(f, fi(f, "recipient")));
	assert_false(form_sticky(f, fi(f, "case_no")));
	form_propose(f, fi(f, "status"), "intake", NULL);
	assert_text(f, "status", "接案");
	assert_true(form_proposed(f, fi(f, "status")));
	form_propose(f, fi(f, "worker"), "#42", "1201**********0051");
	assert_text(f, "worker", "1201**********0051");
	assert_false(form_dirty(f));
	v = form_values(f);
	assert_string_equal(v[fi(f, "status")], "intake");
	assert_string_equal(v[fi(f, "worker")], "#42");
	form_values_free(f, v);
	/* typing replaces a proposal */
	go_to(f, "status");
	type(f, "评估");
	assert_text(f, "status", "评估");
	assert_false(form_proposed(f, fi(f, "status")));
	assert_true(form_dirty(f));
	assert_int_equal(form_validate(f, fi(f, "status"), &err), 0);
	/* a proposed date edited after a move of the cursor in it */
	form_propose(f, fi(f, "opened_on"), "2026-12-07", NULL);
	go_to(f, "opened_on");
	form_key(f, true, KEY_BACKSPACE);
	type(f, "1");
	assert_text(f, "opened_on", "2026-12-01");
	form_free(f);
}

/* A value the database sets (a visit's station, its case's) shown in its
 * read-only field before the save: the field's value as the form reads
 * it, clean, never typed over; nothing shown clears it. */
static void test_form_show_fills_a_read_only_field(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("visits"), true);
	size_t st = fi(f, "station");
	char **v;

	assert_true(form_readonly(f, st));
	form_show(f, st, "120110001000");
	assert_text(f, "station", "120110001000");
	assert_false(form_dirty(f));
	v = form_values(f);
	assert_string_equal(v[st], "120110001000");
	form_values_free(f, v);
	form_show(f, st, NULL);
	assert_text(f, "station", "");
	v = form_values(f);
	assert_null(v[st]);
	form_values_free(f, v);
	form_free(f);
}

/* A person picked by F5 shows masked (spec/rules.md: display masks) and
 * saves in full; typing replaces it, anything else that changes the text
 * ends it, a ditto of the same person is masked again. */
static void test_form_masked_pick_shows_masked_saves_full_and_typing_replaces_it(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("hours"), true);
	size_t v = fi(f, "volunteer");
	struct sgz_err err;
	char **values;

	go_to(f, "volunteer");
	form_set_masked(f, v, "120110197007070042", "1201**********0042");
	assert_text(f, "volunteer", "1201**********0042");
	assert_true(form_masked(f, v));
	assert_true(form_dirty(f));
	/* valid as the full number, and left as shown */
	assert_int_equal(form_validate(f, v, &err), 0);
	assert_null(form_error(f, v));
	assert_text(f, "volunteer", "1201**********0042");
	values = form_values(f);
	assert_string_equal(values[v], "120110197007070042");
	form_values_free(f, values);
	/* a cursor key keeps it; a character starts the field afresh */
	assert_int_equal(form_key(f, true, KEY_END), LINEEDIT_KEY_DONE);
	assert_true(form_masked(f, v));
	type(f, "1");
	assert_false(form_masked(f, v));
	assert_text(f, "volunteer", "1");
	assert_int_equal(form_validate(f, v, &err), -1);
	/* Backspace at the end of a pick empties it */
	form_set_masked(f, v, "120110197007070042", "1201**********0042");
	form_focus(f, v);
	assert_int_equal(form_key(f, true, KEY_BACKSPACE), LINEEDIT_KEY_DONE);
	assert_text(f, "volunteer", "");
	/* text changed otherwise (a paste into the editor) is taken as typed */
	form_set_masked(f, v, "120110197007070042", "1201**********0042");
	lineedit_set_utf8(form_lineedit(f, v), "120110199512310077");
	assert_false(form_masked(f, v));
	assert_int_equal(form_validate(f, v, &err), 0);
	values = form_values(f);
	assert_string_equal(values[v], "120110199512310077");
	form_values_free(f, values);
	/* the person picked for the record saved before: ditto masks it again */
	form_set_masked(f, v, "120110197007070042", "1201**********0042");
	form_load(f, NULL);
	assert_text(f, "volunteer", "");
	const char *prev[8] = {"120110197007070042", "2024-03-05", "120110001000"};
	form_set_ditto(f, prev);
	go_to(f, "volunteer");
	assert_int_equal(form_ditto(f), 0);
	assert_text(f, "volunteer", "1201**********0042");
	values = form_values(f);
	assert_string_equal(values[v], "120110197007070042");
	form_values_free(f, values);
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

/* ---- languages ---- */

static void chinese(void)
{
	const char *dir = getenv("SGZ_LOCALEDIR");

	assert_int_equal(i18n_init("zh_CN", dir && *dir ? dir : SGZ_LOCALEDIR), I18N_ZH);
}

static void english(void)
{
	i18n_init("en", SGZ_LOCALEDIR);
}

static void test_form_labels_come_from_the_catalogue(void **state)
{
	(void)state;
	chinese();
	/* the catalogue's, not the dictionary's: the English label is the key */
	assert_string_equal(form_dict_label("Batch year", NULL, true), "建设批次");
	assert_string_equal(form_dict_label("Service points", NULL, true), "社工点");
	/* one English label for different things: the dictionary's Chinese */
	assert_string_equal(form_dict_label("Name", "姓名", true), "姓名");
	assert_string_equal(form_dict_label("Name", "站点名称", true), "站点名称");
	/* not in the catalogue: the dictionary's Chinese, else the English */
	assert_string_equal(form_dict_label("No such label", "某栏", true), "某栏");
	english();
	assert_string_equal(form_dict_label("Batch year", "建设批次", false), "Batch year");
}

static void test_form_model_messages_are_translated_with_their_arguments(void **state)
{
	char *t;

	(void)state;
	chinese();
	t = form_tr_message("no such day: 2021-02-30");
	assert_string_equal(t, "没有这一天:2021-02-30");
	free(t);
	/* reordered arguments */
	t = form_tr_message("no activity 'x' at station 120110001000 on 2024-01-02: add the "
			    "activity first, or leave it empty");
	assert_string_equal(
	    t, "社工站 120110001000 在 2024-01-02 没有活动\"x\":请先添加该活动,或留空");
	free(t);
	/* an argument that is a message itself, and a choice code */
	t = form_tr_message("not a phone number: give a mobile (11 digits from 13 to 19, such as "
			    "13812345678) or a landline with its area code (0891-6321234)");
	assert_non_null(strstr(t, "不是电话号码:请填手机号"));
	free(t);
	t = form_tr_message("a station with status operating needs the date it was established "
			    "(挂牌日期)");
	assert_string_equal(t, "状态为\"运营中\"的社工站需要填写挂牌日期");
	free(t);
	/* a field's choices: as a Chinese reader types them, not the codes */
	t = form_tr_message("'ga' is not one of: individual (个案), group (小组), community (社区)");
	assert_string_equal(t, "\"ga\"不是可选值之一:个案、小组、社区");
	free(t);
	/* a list of reasons */
	t = form_tr_message(
	    "organization 52X may not be eligible: not tax-qualified; violation record");
	assert_string_equal(t, "承接机构 52X 可能不符合条件:未依法纳税;有违法违规记录");
	free(t);
	/* unknown: as it was */
	t = form_tr_message("duplicate key value violates unique constraint");
	assert_string_equal(t, "duplicate key value violates unique constraint");
	free(t);
	english();
	t = form_tr_message("no such day: 2021-02-30");
	assert_string_equal(t, "no such day: 2021-02-30");
	free(t);
}

/* Every message the parsers give the form has its translation: a message
 * reworded in dict.c or the validators without the catalogue fails here. */
static void test_form_every_parse_message_is_in_the_catalogue(void **state)
{
	static const struct {
		const char *entity, *column, *input;
	} bad[] = {
	    {"stations", "township", "110000000000"},
	    {"stations", "established_on", "2021-02-30"},
	    {"stations", "established_on", "2021-13-01"},
	    {"stations", "established_on", "someday"},
	    {"stations", "established_on", "1700-01-01"},
	    {"stations", "batch_year", "20x"},
	    {"stations", "batch_year", "3000"},
	    {"stations", "status", "sleeping"},
	    {"stations", "name", "a\x01z"},
	    {"stations", "signage", "maybe"},
	    {"stations", "facilities", "office;sofa"},
	    {"stations", "organization", "52120110MJ000000"},
	    {"staff", "id_number", ""},
	    {"staff", "id_number", "1201101992020200"},
	    {"staff", "id_number", "12011019920202001A"},
	    {"staff", "id_number", "120110199202020010"},
	    {"staff", "id_number", "120110199202300015"},
	    {"staff", "id_number", "120110209902020015"},
	    {"staff", "id_number", "1.20110199202E+17"},
	    {"staff", "phone", "abc"},
	    {"staff", "phone", "12012345678"},
	    {"staff", "phone", "1381234567"},
	    {"staff", "phone", "6321234"},
	    {"staff", "phone", "0891-632-1234"},
	    {"staff", "phone", "08916-321234"},
	    {"staff", "phone", "0891-63212"},
	    {"hours", "hours", "0"},
	    {"hours", "hours", "25"},
	    {"hours", "hours", "2.55"},
	    {"hours", "hours", "2,5"},
	    {"hours", "hours", "many"},
	    {"contracts", "amount", "25万"},
	    {"contracts", "amount", "1,000"},
	    {"contracts", "amount", "1.234"},
	    {"divisions", "urban_rural", "999"},
	    {"divisions", "population", "-1"},
	    {"cases", "case_no", "x"},
	    {"organizations", "credit_code", "123"},
	    {"organizations", "credit_code", "52120110MJ000000IY"},
	    {"recipients", "village", "120110000000"},
	};
	struct strbuf out = {0};
	struct sgz_err err;

	(void)state;
	chinese();
	for (size_t k = 0; k < SGZ_ARRAY_LEN(bad); k++) {
		const struct dict_entity *e = dict_find(bad[k].entity);
		const struct dict_field *df = e ? dict_field_by_header(e, bad[k].column) : NULL;
		if (!df)
			fail_msg("no field %s.%s", bad[k].entity, bad[k].column);
		sb_reset(&out);
		sgz_err_clear(&err);
		if (dict_parse_value(df, bad[k].input, &out, &err) == 0 && !err.msg[0])
			fail_msg("%s.%s accepted '%s'", bad[k].entity, bad[k].column, bad[k].input);
		char *t = form_tr_message(err.msg);
		if (strcmp(t, err.msg) == 0)
			fail_msg("not translated: %s", err.msg);
		free(t);
	}
	sb_free(&out);
	english();
}

static void test_form_refusal_of_a_field_is_in_the_interface_language(void **state)
{
	(void)state;
	chinese();
	struct form *f = form_new(dict_find("stations"), true);
	struct sgz_err err;

	form_load(f, station_row);
	go_to(f, "established_on");
	form_key(f, false, 0x0b);
	type(f, "2021-02-30");
	assert_int_equal(form_move(f, FORM_NEXT, &err), -1);
	assert_string_equal(err.msg, "没有这一天:2021-02-30");
	assert_string_equal(form_error(f, fi(f, "established_on")), "没有这一天:2021-02-30");
	form_free(f);
	english();
}

/* ---- multi-line fields ---- */

static void test_form_multiline_field_takes_line_breaks_from_ctrl_j(void **state)
{
	(void)state;
	struct form *f = form_new(dict_find("visits"), true);
	size_t summary = fi(f, "summary");
	char **v;

	assert_true(lineedit_multiline(form_lineedit(f, summary)));
	assert_false(lineedit_multiline(form_lineedit(f, fi(f, "case_no"))));
	go_to(f, "summary");
	type(f, "入户走访");
	assert_int_equal(form_key(f, false, L'\n'), LINEEDIT_KEY_DONE);
	type(f, "情况稳定");
	assert_text(f, "summary", "入户走访\n情况稳定");
	/* the break takes one column, shown as the mark */
	assert_int_equal(lineedit_cursor_col(form_lineedit(f, summary)), 8 + 1 + 8);
	/* a one-line field refuses it: Enter/Ctrl-J move on there */
	go_to(f, "case_no");
	assert_int_equal(form_key(f, false, L'\n'), LINEEDIT_KEY_OTHER);
	/* stored with the break, loaded back the same */
	v = form_values(f);
	assert_string_equal(v[summary], "入户走访\n情况稳定");
	form_load(f, (const char *const *)v);
	assert_text(f, "summary", "入户走访\n情况稳定");
	form_values_free(f, v);
	form_free(f);
}

static void test_form_multiline_paste_keeps_lines_one_line_paste_the_first(void **state)
{
	(void)state;
	struct lineedit *multi = lineedit_new(40, 100), *one = lineedit_new(40, 100);
	const wchar_t text[] = L"第一行\r\n第二行\r第三行\r\n";
	char *t;

	lineedit_set_multiline(multi, true);
	assert_int_equal(lineedit_paste(multi, text, wcslen(text)), 0);
	t = lineedit_get_utf8(multi);
	assert_string_equal(t, "第一行\n第二行\n第三行");
	free(t);
	assert_int_equal(lineedit_paste(one, text, wcslen(text)), 0);
	t = lineedit_get_utf8(one);
	assert_string_equal(t, "第一行");
	free(t);
	lineedit_free(multi);
	lineedit_free(one);
}

/* ---- drafts ---- */

static char *scratch_dir(void)
{
	char *dir = xstrdup("/tmp/sgz-test-drafts-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_dir(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_draft_format_round_trips_every_byte(void **state)
{
	(void)state;
	struct draft *d = draft_new("visits", "V120110001-2024-0001\x1fV2024-03-05\x1fVhome_visit",
				    7, "120110001-2024-0001 2024-03-05");
	struct draft *back;
	struct strbuf sb = {0};
	struct sgz_err err;

	draft_set(d, "summary", "第一行\n第二行 \\ 反斜杠\t制表\r回车\x7f");
	draft_set(d, "next_due", "");
	draft_set(d, "summary", "换掉\n了"); /* replaces */
	d->saved = 1732247000;
	free(d->host);
	d->host = xstrdup("gw 1");
	d->pid = 42;
	draft_format(d, &sb);
	assert_null(strchr(sb_str(&sb), '\x1f'));
	assert_int_equal(strncmp(sb_str(&sb), "sgz-draft 1\n", 12), 0);
	sgz_err_clear(&err);
	back = draft_parse(sb_str(&sb), &err);
	assert_non_null(back);
	assert_string_equal(back->entity, "visits");
	assert_string_equal(back->key, d->key);
	assert_int_equal(back->row_version, 7);
	assert_string_equal(back->title, d->title);
	assert_int_equal((long)back->saved, 1732247000L);
	assert_string_equal(back->host, "gw 1");
	assert_int_equal(back->pid, 42);
	assert_int_equal(back->n, 2);
	assert_string_equal(draft_get(back, "summary"), "换掉\n了");
	assert_string_equal(draft_get(back, "next_due"), "");
	assert_null(draft_get(back, "worker"));
	draft_free(back);

	/* a new record has no key; unknown lines are a newer sgz's */
	sb_reset(&sb);
	sb_adds(&sb, "sgz-draft 1\nentity stations\ncolour blue\nfield name 新站\n");
	back = draft_parse(sb_str(&sb), &err);
	assert_non_null(back);
	assert_null(back->key);
	assert_string_equal(draft_get(back, "name"), "新站");
	draft_free(back);
	sb_free(&sb);
	draft_free(d);
}

static void test_draft_parse_refuses_what_is_not_a_draft(void **state)
{
	static const char *const bad[] = {
	    "",
	    "sgz-draft 2\nentity stations\n",
	    "hello\n",
	    "sgz-draft 1\nfield name x\n",		     /* no entity */
	    "sgz-draft 1\nentity stations\nfield name\n",    /* no text */
	    "sgz-draft 1\nentity stations\nfield a b\\q\n",  /* bad escape */
	    "sgz-draft 1\nentity stations\nversion seven\n", /* not a number */
	};
	struct sgz_err err;

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++) {
		sgz_err_clear(&err);
		struct draft *d = draft_parse(bad[i], &err);
		if (d)
			fail_msg("parsed: %s", bad[i]);
		assert_non_null(strstr(err.msg, "not a draft"));
	}
}

static void test_draft_write_is_atomic_private_and_keeps_its_file(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	char *sub = xasprintf("%s/state/drafts", dir);
	struct draft *d = draft_new("stations", NULL, 0, ""), *back;
	struct sgz_err err;
	struct stat st;
	char *first;
	size_t n;

	draft_set(d, "name", "丰年村社工站");
	sgz_err_clear(&err);
	assert_int_equal(draft_write(d, sub, &err), 0);
	assert_non_null(d->path);
	assert_int_equal(stat(d->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(d->pid, (long)getpid());
	first = xstrdup(d->path);
	/* written again: the same file, the new text, no temporary left */
	draft_set(d, "name", "改名");
	assert_int_equal(draft_write(d, sub, &err), 0);
	assert_string_equal(d->path, first);
	back = draft_read(first, &err);
	assert_non_null(back);
	assert_string_equal(draft_get(back, "name"), "改名");
	draft_free(back);
	struct draft **all = draft_list(sub, &n);
	assert_int_equal(n, 1); /* this process wrote it: not a live other session */
	draft_list_free(all, n);
	char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", sub);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	draft_remove(d);
	assert_null(d->path);
	assert_int_not_equal(access(first, F_OK), 0);
	free(first);
	draft_free(d);
	free(sub);
	remove_dir(dir);
	free(dir);
}

/* Writes text as dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void test_draft_list_is_newest_first_and_skips_live_sessions(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	char host[256] = "";
	struct draft **all;
	size_t n;
	char *live;

	gethostname(host, sizeof(host) - 1);
	put_file(dir, "a.draft",
		 "sgz-draft 1\nentity stations\nsaved 100\nhost elsewhere\npid 1\n");
	put_file(dir, "b.draft", "sgz-draft 1\nentity staff\nsaved 300\n");
	put_file(dir, "c.draft", "garbage\n");
	put_file(dir, "d.txt", "sgz-draft 1\nentity staff\n");
	put_file(dir, ".draft-tmp.draft", "sgz-draft 1\nentity staff\n");
	/* written here by a process that runs but is no sgz (a recycled pid):
	 * no live session holds it, so it is offered */
	live = xasprintf("sgz-draft 1\nentity visits\nsaved 200\nhost %s\npid %ld\n", host,
			 (long)getppid());
	put_file(dir, "e.draft", live);
	free(live);
	all = draft_list(dir, &n);
	assert_int_equal(n, 3);
	assert_string_equal(all[0]->entity, "staff");
	assert_string_equal(all[1]->entity, "visits");
	assert_string_equal(all[2]->entity, "stations");
	draft_list_free(all, n);
	remove_dir(dir);
	free(dir);
}

/* A draft records the database and role it was typed against, and is
 * offered to a session of the same two only: not to another role on the
 * same account, not against another database; a draft of an older sgz,
 * which recorded neither, to no session that knows its own. */
static void test_draft_is_offered_only_to_its_database_and_role(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	struct draft *d, **all;
	struct sgz_err err;
	size_t n;

	sgz_err_clear(&err);
	draft_set_identity("7316542012345678901/sgz", "zhangmin");
	d = draft_new("stations", NULL, 0, "");
	draft_set(d, "name", "张敏的输入");
	assert_int_equal(draft_write(d, dir, &err), 0);
	draft_free(d);
	put_file(dir, "old.draft", "sgz-draft 1\nentity staff\nsaved 100\nfield name 旧版\n");

	all = draft_list(dir, &n);
	assert_int_equal(n, 1);
	assert_string_equal(all[0]->database, "7316542012345678901/sgz");
	assert_string_equal(all[0]->role, "zhangmin");
	assert_string_equal(draft_get(all[0], "name"), "张敏的输入");
	draft_list_free(all, n);

	draft_set_identity("7316542012345678901/sgz", "lisi"); /* another role */
	all = draft_list(dir, &n);
	assert_int_equal(n, 0);
	draft_list_free(all, n);
	draft_set_identity("7316542012345678901/sgz_test", "zhangmin"); /* another database */
	all = draft_list(dir, &n);
	assert_int_equal(n, 0);
	draft_list_free(all, n);
	draft_set_identity("9999999999999999999/sgz", "zhangmin"); /* another cluster */
	all = draft_list(dir, &n);
	assert_int_equal(n, 0);
	draft_list_free(all, n);

	/* neither is touched by not being offered */
	char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 2", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	draft_set_identity(NULL, NULL);
	remove_dir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form_fields_follow_the_dictionary_with_required_marks),
	    cmocka_unit_test(test_form_shows_choices_and_booleans_in_its_language),
	    cmocka_unit_test(test_form_leaving_a_field_normalises_it),
	    cmocka_unit_test(test_form_refused_value_moves_on_marked_and_keeps_every_field),
	    cmocka_unit_test(test_form_required_field_left_empty_is_refused),
	    cmocka_unit_test(test_form_choice_type_ahead_by_code_or_label),
	    cmocka_unit_test(test_form_ditto_copies_the_previous_record),
	    cmocka_unit_test(test_form_show_fills_a_read_only_field),
	    cmocka_unit_test(test_form_masked_pick_shows_masked_saves_full_and_typing_replaces_it),
	    cmocka_unit_test(test_form_save_and_next_keeps_sticky_fields),
	    cmocka_unit_test(test_form_proposals_and_the_sticky_worker),
	    cmocka_unit_test(test_form_read_only_fields_are_skipped_and_kept),
	    cmocka_unit_test(test_form_chinese_text_is_typed_and_measured_in_columns),
	    cmocka_unit_test(test_form_set_text_from_a_pick_clears_the_error),
	    cmocka_unit_test(test_form_labels_come_from_the_catalogue),
	    cmocka_unit_test(test_form_model_messages_are_translated_with_their_arguments),
	    cmocka_unit_test(test_form_every_parse_message_is_in_the_catalogue),
	    cmocka_unit_test(test_form_refusal_of_a_field_is_in_the_interface_language),
	    cmocka_unit_test(test_form_multiline_field_takes_line_breaks_from_ctrl_j),
	    cmocka_unit_test(test_form_multiline_paste_keeps_lines_one_line_paste_the_first),
	    cmocka_unit_test(test_draft_format_round_trips_every_byte),
	    cmocka_unit_test(test_draft_parse_refuses_what_is_not_a_draft),
	    cmocka_unit_test(test_draft_write_is_atomic_private_and_keeps_its_file),
	    cmocka_unit_test(test_draft_list_is_newest_first_and_skips_live_sessions),
	    cmocka_unit_test(test_draft_is_offered_only_to_its_database_and_role),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
