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
	assert_int_equal(n, 14); /* every entity of spec/cli.md */
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
			/* Derived columns are never keys nor required. */
			if (f->flags & DF_NOEXPORT)
				assert_false(f->flags & (DF_KEY | DF_REQUIRED));
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
		cmocka_unit_test(test_dict_text_refuses_control_characters_and_overlength),
		cmocka_unit_test(test_dict_patterns_state_their_rule),
		cmocka_unit_test(test_dict_patterns_kept_compiled_answer_each_for_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
