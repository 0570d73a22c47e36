/* test_dict.c - the data dictionary's cell parsing: the same rules for forms
 * and imports, with the canonical text they store. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/dict.h"

static const struct dict_field *field(const char *entity, const char *column)
{
	const struct dict_entity *e = dict_find(entity);
	assert_non_null(e);
	const struct dict_field *f = dict_field_by_header(e, column);
	assert_non_null(f);
	return f;
}

/* Parses s into out; returns the canonical text or the reason. */
static const char *parse(const struct dict_field *f, const char *s, struct strbuf *out,
			 struct sgz_err *err, int *rc)
{
	sgz_err_clear(err);
	*rc = dict_parse_value(f, s, out, err);
	return *rc == 0 ? sb_str(out) : err->msg;
}

#define ACCEPTS(f, in, want)                                                                       \
	do {                                                                                       \
		int rc_;                                                                           \
		const char *got_ = parse(f, in, &sb, &err, &rc_);                                  \
		assert_int_equal(rc_, 0);                                                          \
		assert_string_equal(got_, want);                                                   \
	} while (0)

#define REFUSES(f, in, reason)                                                                     \
	do {                                                                                       \
		int rc_;                                                                           \
		const char *got_ = parse(f, in, &sb, &err, &rc_);                                  \
		assert_int_equal(rc_, -1);                                                         \
		if (!strstr(got_, reason))                                                         \
			fail_msg("'%s': reason '%s' lacks '%s'", in, got_, reason);                \
		assert_int_equal(sb.len, 0);                                                       \
	} while (0)

static void test_dict_finds_entities_and_headers_by_name_or_chinese_label(void **state)
{
	(void)state;
	assert_non_null(dict_find("divisions"));
	assert_non_null(dict_find("stations"));
	assert_null(dict_find("nonsense"));
	const struct dict_entity *e = dict_find("divisions");
	assert_ptr_equal(dict_field_by_header(e, "区划代码"), dict_field_by_header(e, "code"));
	assert_ptr_equal(dict_field_by_header(e, "CODE"), dict_field_by_header(e, "code"));
	assert_null(dict_field_by_header(e, "colour"));
}

static void test_dict_every_entity_has_a_key_and_labels(void **state)
{
	(void)state;
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	assert_true(n >= 2);
	assert_int_equal(n, 24); /* every entity of spec/cli.md and programmes.md */
	for (size_t i = 0; i < n; i++) {
		int keys = 0;
		for (size_t j = 0; j < all[i]->nfields; j++) {
			const struct dict_field *f = &all[i]->fields[j];
			assert_non_null(f->label);
			assert_non_null(f->label_zh);
			/* A key part may be empty (an hours row without activity),
			 * but every entity has a required one. */
			if ((f->flags & DF_KEY) && (f->flags & DF_REQUIRED))
				keys++;
			/* Derived columns are never keys; one required is one the
			 * database always sets (a visit's station), which no
			 * one types: left empty, it is no error. */
			if (f->flags & DF_NOEXPORT) {
				struct strbuf out = {0};
				struct sgz_err err;
				assert_false(f->flags & DF_KEY);
				sgz_err_clear(&err);
				assert_int_equal(dict_parse_value(f, "", &out, &err), 0);
				sb_free(&out);
			}
		}
		assert_true(keys >= 1);
	}
}

static void test_dict_division_codes_are_padded(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("divisions", "code");

	ACCEPTS(f, "12", "120000000000");
	ACCEPTS(f, " 120110 ", "120110000000");
	ACCEPTS(f, "120110001", "120110001000");
	REFUSES(f, "1201100", "2, 4, 6, 9 or 12 digits");
	REFUSES(f, "", "required");
	sb_free(&sb);
}

static void test_dict_integers_have_ranges_and_no_separators(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("divisions", "population");

	ACCEPTS(f, "0", "0");
	ACCEPTS(f, "21893095", "21893095");
	ACCEPTS(f, "", "");
	REFUSES(f, "-1", "out of range");
	REFUSES(f, "1,000", "not a whole number");
	REFUSES(f, "12.5", "not a whole number");
	REFUSES(f, "abc", "not a whole number");
	f = field("stations", "batch_year");
	ACCEPTS(f, "2021", "2021");
	REFUSES(f, "1999", "between 2000 and 2100");
	sb_free(&sb);
}

static void test_dict_dates_accept_the_three_forms(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("stations", "established_on");

	ACCEPTS(f, "2021-04-20", "2021-04-20");
	ACCEPTS(f, "2021/4/20", "2021-04-20");
	ACCEPTS(f, "2021年4月20日", "2021-04-20");
	REFUSES(f, "2001-02-29", "");
	REFUSES(f, "20/4/2021", "");
	sb_free(&sb);
}

static void test_dict_choices_take_code_or_chinese_label(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("stations", "status");

	ACCEPTS(f, "operating", "operating");
	ACCEPTS(f, "运营中", "operating");
	ACCEPTS(f, "OPERATING", "operating");
	REFUSES(f, "open", "is not one of: planned (规划中)");
	REFUSES(f, "", "required");
	sb_free(&sb);
}

static void test_dict_choice_lists_are_canonical(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("stations", "facilities");

	ACCEPTS(f, "computer;office", "office;computer");
	ACCEPTS(f, "电脑；办公用房、电脑", "office;computer");
	ACCEPTS(f, " office ; ", "office");
	REFUSES(f, "office;sofa", "'sofa' is not one of");
	sb_free(&sb);
}

static void test_dict_booleans_accept_every_spelling(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("stations", "signage");
	static const char *const yes[] = { "yes", "Y", "1", "true", "是" };
	static const char *const no[] = { "no", "n", "0", "FALSE", "否" };

	for (size_t i = 0; i < 5; i++) {
		ACCEPTS(f, yes[i], "yes");
		ACCEPTS(f, no[i], "no");
	}
	REFUSES(f, "maybe", "not yes or no");
	sb_free(&sb);
}

/* label(f, v): what --labels writes for the canonical value v. */
static const char *label(const struct dict_field *f, const char *v, struct strbuf *sb)
{
	sb_reset(sb);
	dict_value_label(f, v, sb);
	return sb_str(sb);
}

static void test_dict_value_labels_read_back_as_the_value(void **state)
{
	(void)state;
	struct strbuf sb = { 0 }, back = { 0 };
	struct sgz_err err;
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	assert_string_equal(label(field("stations", "status"), "operating", &sb), "运营中");
	assert_string_equal(label(field("stations", "signage"), "yes", &sb), "是");
	assert_string_equal(label(field("stations", "party_group"), "no", &sb), "否");
	assert_string_equal(label(field("stations", "facilities"), "office;computer", &sb),
			    "办公用房;电脑");
	assert_string_equal(label(field("stations", "name"), "张贵庄街道", &sb), "张贵庄街道");
	assert_string_equal(label(field("stations", "status"), "unknown", &sb), "unknown");
	assert_string_equal(label(field("stations", "status"), NULL, &sb), "");
	/* every choice of every field: its label parses back to its code */
	for (size_t a = 0; a < n; a++) {
		for (size_t i = 0; i < all[a]->nfields; i++) {
			const struct dict_field *f = &all[a]->fields[i];
			for (const struct dict_choice *c = f->choices; c && c->code; c++) {
				label(f, c->code, &sb);
				sgz_err_clear(&err);
				if (dict_parse_value(f, sb_str(&sb), &back, &err) != 0 ||
				    strcmp(sb_str(&back), c->code) != 0)
					fail_msg("%s.%s: %s reads back as '%s' (%s)", all[a]->name,
						 f->column, sb_str(&sb), sb_str(&back), err.msg);
			}
		}
	}
	sb_free(&back);
	sb_free(&sb);
}

/* Columns say what they hold (work.md): no two fields of one entity share
 * a label in either language; a person a field names is labelled by who
 * the person is, not by the number. */
static void test_dict_labels_distinct_in_each_entity(void **state)
{
	(void)state;
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	for (size_t a = 0; a < n; a++) {
		const struct dict_entity *e = all[a];
		for (size_t i = 0; i < e->nfields; i++) {
			const struct dict_field *f = &e->fields[i];
			if (!f->label || !*f->label || !f->label_zh || !*f->label_zh)
				fail_msg("%s.%s has no label in one language", e->name, f->column);
			for (size_t j = i + 1; j < e->nfields; j++) {
				const struct dict_field *g = &e->fields[j];
				if (strcmp(f->label, g->label) == 0)
					fail_msg("%s: %s and %s are both labelled '%s'", e->name,
						 f->column, g->column, f->label);
				if (strcmp(f->label_zh, g->label_zh) == 0)
					fail_msg("%s: %s and %s are both labelled '%s'", e->name,
						 f->column, g->column, f->label_zh);
				/* a header of an earlier file names one field only */
				if (f->label_zh_was &&
				    (strcmp(f->label_zh_was, g->label_zh) == 0 ||
				     (g->label_zh_was &&
				      strcmp(f->label_zh_was, g->label_zh_was) == 0)))
					fail_msg("%s: %s's earlier label '%s' names %s too",
						 e->name, f->column, f->label_zh_was, g->column);
				if (g->label_zh_was && strcmp(g->label_zh_was, f->label_zh) == 0)
					fail_msg("%s: %s's earlier label '%s' names %s too",
						 e->name, g->column, g->label_zh_was, f->column);
			}
		}
	}
	assert_string_equal(field("cases", "recipient")->label_zh, "受助对象");
	assert_string_equal(field("cases", "recipient")->label, "Recipient");
	assert_string_equal(field("cases", "worker")->label_zh, "责任社工");
	assert_string_equal(field("cases", "worker")->label, "Worker");
	assert_string_equal(field("hours", "volunteer")->label_zh, "志愿者");
	assert_string_equal(field("visits", "worker")->label_zh, "社工");
}

/* The Chinese headers of files exported before the labels changed still
 * name their columns. */
static void test_dict_earlier_headers_still_read(void **state)
{
	(void)state;
	const struct dict_entity *cases = dict_find("cases");

	assert_ptr_equal(dict_field_by_header(cases, "服务对象身份证号"),
			 field("cases", "recipient"));
	assert_ptr_equal(dict_field_by_header(cases, "受助对象"), field("cases", "recipient"));
	assert_ptr_equal(dict_field_by_header(cases, "责任社工身份证号"), field("cases", "worker"));
	assert_ptr_equal(dict_field_by_header(cases, "责任社工"), field("cases", "worker"));
	assert_ptr_equal(dict_field_by_header(dict_find("hours"), "志愿者身份证号"),
			 field("hours", "volunteer"));
	assert_ptr_equal(dict_field_by_header(dict_find("visits"), "社工身份证号"),
			 field("visits", "worker"));
	assert_ptr_equal(dict_field_by_header(dict_find("visits"), "个案编号"),
			 field("visits", "case_no"));
	assert_ptr_equal(dict_field_by_header(dict_find("evaluations"), "合同编号"),
			 field("evaluations", "contract_no"));
}

/* Every choice has a label in both languages, each naming that choice only:
 * no label of one is another's code or label, so that what a form shows
 * (in either language) reads back as its own code. */
static void test_dict_choices_labelled_in_both_languages(void **state)
{
	(void)state;
	struct strbuf sb = {0}, back = {0};
	struct sgz_err err;
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	for (size_t a = 0; a < n; a++) {
		for (size_t i = 0; i < all[a]->nfields; i++) {
			const struct dict_field *f = &all[a]->fields[i];
			for (const struct dict_choice *c = f->choices; c && c->code; c++) {
				if (!c->label_zh || !*c->label_zh || !c->label_en || !*c->label_en)
					fail_msg("%s.%s: %s has no label in one language",
						 all[a]->name, f->column, c->code);
				for (const struct dict_choice *d = f->choices; d->code; d++) {
					if (d == c)
						continue;
					const char *mine[] = {c->code, c->label_zh, c->label_en};
					for (size_t k = 0; k < 3; k++)
						if (strcasecmp(mine[k], d->code) == 0 ||
						    strcmp(mine[k], d->label_zh) == 0 ||
						    strcasecmp(mine[k], d->label_en) == 0)
							fail_msg("%s.%s: '%s' of %s names %s too",
								 all[a]->name, f->column, mine[k],
								 c->code, d->code);
				}
				sb_reset(&sb);
				dict_value_label_lang(f, c->code, 0, &sb);
				assert_string_equal(sb_str(&sb), c->label_en);
				sgz_err_clear(&err);
				sb_reset(&back);
				if (dict_parse_value(f, sb_str(&sb), &back, &err) != 0 ||
				    strcmp(sb_str(&back), c->code) != 0)
					fail_msg("%s.%s: %s reads back as '%s' (%s)", all[a]->name,
						 f->column, sb_str(&sb), sb_str(&back), err.msg);
			}
		}
	}
	sb_reset(&sb);
	dict_value_label_lang(field("cases", "status"), "intervention", 0, &sb);
	assert_string_equal(sb_str(&sb), "Intervention");
	sb_reset(&sb);
	dict_value_label_lang(field("stations", "facilities"), "office;case_room", 0, &sb);
	assert_string_equal(sb_str(&sb), "Office;Counselling room");
	sb_reset(&sb);
	dict_value_label_lang(field("stations", "facilities"), "office;case_room", 1, &sb);
	assert_string_equal(sb_str(&sb), "办公用房;个案咨询室");
	sb_reset(&sb);
	dict_value_label_lang(field("stations", "signage"), "yes", 0, &sb);
	assert_string_equal(sb_str(&sb), "yes");
	sb_free(&back);
	sb_free(&sb);
}

static void test_dict_text_refuses_control_characters_and_overlength(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("divisions", "name");
	char longname[400];

	ACCEPTS(f, "　东丽区 ", "东丽区"); /* ideographic and ASCII blanks trimmed */
	ACCEPTS(f, "O'Brien\"; DROP TABLE x; --", "O'Brien\"; DROP TABLE x; --");
	REFUSES(f, "a\x01b", "control character");
	REFUSES(f, "a\nb", "control character");
	memset(longname, 0, sizeof(longname));
	for (int i = 0; i < 101; i++)
		memcpy(longname + 3 * i, "区", 3);
	REFUSES(f, longname, "101 characters, at most 100");
	longname[300] = '\0';
	ACCEPTS(f, longname, longname);
	sb_free(&sb);
}

static void test_dict_patterns_state_their_rule(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *f = field("divisions", "urban_rural");

	ACCEPTS(f, "111", "111");
	ACCEPTS(f, "220", "220");
	REFUSES(f, "113", "urban-rural class code");
	f = field("stations", "township");
	REFUSES(f, "120110", "a station belongs to a township");
	ACCEPTS(f, "120110001", "120110001000");
	sb_free(&sb);
}

/* Each pattern is compiled once and kept: checking cells of two patterns
 * in turn, many times, gives each its own verdict every time. */
static void test_dict_patterns_kept_compiled_answer_each_for_itself(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	struct sgz_err err;
	const struct dict_field *urban = field("divisions", "urban_rural");
	const struct dict_field *caseno = field("cases", "case_no");

	for (int i = 0; i < 1000; i++) {
		ACCEPTS(urban, "121", "121");
		REFUSES(caseno, "121", "not a case number");
		ACCEPTS(caseno, "120110001-2024-0007", "120110001-2024-0007");
		REFUSES(urban, "120110001-2024-0007", "urban-rural class code");
	}
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dict_finds_entities_and_headers_by_name_or_chinese_label),
	    cmocka_unit_test(test_dict_every_entity_has_a_key_and_labels),
	    cmocka_unit_test(test_dict_division_codes_are_padded),
	    cmocka_unit_test(test_dict_integers_have_ranges_and_no_separators),
	    cmocka_unit_test(test_dict_dates_accept_the_three_forms),
	    cmocka_unit_test(test_dict_choices_take_code_or_chinese_label),
	    cmocka_unit_test(test_dict_choice_lists_are_canonical),
	    cmocka_unit_test(test_dict_booleans_accept_every_spelling),
	    cmocka_unit_test(test_dict_value_labels_read_back_as_the_value),
	    cmocka_unit_test(test_dict_labels_distinct_in_each_entity),
	    cmocka_unit_test(test_dict_earlier_headers_still_read),
	    cmocka_unit_test(test_dict_choices_labelled_in_both_languages),
	    cmocka_unit_test(test_dict_text_refuses_control_characters_and_overlength),
	    cmocka_unit_test(test_dict_patterns_state_their_rule),
	    cmocka_unit_test(test_dict_patterns_kept_compiled_answer_each_for_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
