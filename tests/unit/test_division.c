/* test_division.c - division codes: normalising, levels, parents, kinds, and
 * the real division list of data/divisions-2022.csv. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/csv.h"
#include "sgz/division.h"
#include "sgz/util.h"

#define DIVISIONS_CSV SGZ_TEST_DATA "/../../../data/divisions-2022.csv"

static void assert_normalizes(const char *in, const char *want)
{
	char out[DIVISION_CODE_LEN + 1];
	struct sgz_err err;

	sgz_err_clear(&err);
	if (division_code_normalize(in, out, &err) != 0)
		fail_msg("\"%s\" refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

/* Asserts that in is refused with a message that contains reason. */
static void assert_refused(const char *in, const char *reason)
{
	char out[DIVISION_CODE_LEN + 1] = "untouched";
	struct sgz_err err;

	sgz_err_clear(&err);
	if (division_code_normalize(in, out, &err) == 0)
		fail_msg("\"%s\" accepted as %s", in, out);
	assert_int_equal(err.status, SGZ_EDATA);
	if (!strstr(err.msg, reason))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, err.msg, reason);
	assert_string_equal(out, "untouched");
}

static void test_division_pads_short_codes_to_12_digits(void **state)
{
	(void)state;
	assert_normalizes("44", "440000000000");
	assert_normalizes("4419", "441900000000");
	assert_normalizes("441302", "441302000000");
	assert_normalizes("441302001", "441302001000");
	assert_normalizes("441302001002", "441302001002");
}

static void test_division_ignores_surrounding_blanks(void **state)
{
	(void)state;
	assert_normalizes("  110101 ", "110101000000");
	assert_normalizes("\t110101001000\r\n", "110101001000");
}

static void test_division_refuses_other_lengths(void **state)
{
	static const char *const bad[] = {"4",	      "441",	    "44190",	   "4419000",
					  "44190000", "4419000030", "44190000300", "4419000030001"};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++)
		assert_refused(bad[i], "division code must have 2, 4, 6, 9 or 12 digits");
}

static void test_division_refuses_non_digits_and_empty(void **state)
{
	(void)state;
	assert_refused("", "division code is empty");
	assert_refused("   ", "division code is empty");
	assert_refused("4419 00", "only the digits 0-9");
	assert_refused("44-19", "only the digits 0-9");
	assert_refused("４４１９", "only the digits 0-9"); /* full-width digits */
	assert_refused("东莞市", "only the digits 0-9");
	assert_refused("+44", "only the digits 0-9");
}

static void test_division_refuses_zero_segment_above_nonzero(void **state)
{
	(void)state;
	assert_refused("00", "province digits are 00");
	assert_refused("000000000001", "province digits are 00");
	assert_refused("440019", "the prefecture digits are zero but the county digits are not");
	assert_refused("440000003",
		       "the prefecture digits are zero but the township digits are not");
	assert_refused("441302000001",
		       "the township digits are zero but the village digits are not");
	assert_refused("441900000001",
		       "the township digits are zero but the village digits are not");
}

static void test_division_accepts_township_under_prefecture_without_counties(void **state)
{
	(void)state;
	assert_normalizes("441900003", "441900003000");
	assert_normalizes("441900003001", "441900003001");
	assert_int_equal(division_level("441900003000"), DIV_TOWNSHIP);
	assert_int_equal(division_level("441900003001"), DIV_VILLAGE);
}

static void test_division_level_follows_from_the_code(void **state)
{
	(void)state;
	assert_int_equal(division_level("440000000000"), DIV_PROVINCE);
	assert_int_equal(division_level("441300000000"), DIV_PREFECTURE);
	assert_int_equal(division_level("441302000000"), DIV_COUNTY);
	assert_int_equal(division_level("441302001000"), DIV_TOWNSHIP);
	assert_int_equal(division_level("441302001002"), DIV_VILLAGE);
	assert_int_equal(division_level("110101000000"), DIV_COUNTY);
}

static void assert_parent(const char *code, const char *want)
{
	char out[DIVISION_CODE_LEN + 1];

	assert_int_equal(division_parent(code, out), 0);
	assert_string_equal(out, want);
}

static void test_division_parent_is_derived_from_the_code(void **state)
{
	char out[DIVISION_CODE_LEN + 1] = "untouched";
	char inplace[DIVISION_CODE_LEN + 1] = "441302001002";

	(void)state;
	assert_parent("441302001002", "441302001000");
	assert_parent("441302001000", "441302000000");
	assert_parent("441302000000", "441300000000");
	assert_parent("441300000000", "440000000000");
	assert_int_equal(division_parent("440000000000", out), -1);
	assert_string_equal(out, "untouched");
	/* Prefecture-level cities without counties. */
	assert_parent("441900003000", "441900000000");
	assert_parent("460400106000", "460400000000");
	assert_parent("441900003001", "441900003000");
	/* The output may be the input. */
	assert_int_equal(division_parent(inplace, inplace), 0);
	assert_string_equal(inplace, "441302001000");
}

static void test_division_level_names(void **state)
{
	(void)state;
	assert_string_equal(division_level_name(DIV_PROVINCE), "province");
	assert_string_equal(division_level_name(DIV_PREFECTURE), "prefecture");
	assert_string_equal(division_level_name(DIV_COUNTY), "county");
	assert_string_equal(division_level_name(DIV_TOWNSHIP), "township");
	assert_string_equal(division_level_name(DIV_VILLAGE), "village");
}

static void test_division_township_kind_from_digits_7_to_9(void **state)
{
	static const struct {
		const char *code, *kind;
	} cases[] = {
	    {"441302000000", NULL},	  {"441302001000", "street"}, {"441302099000", "street"},
	    {"441302100000", "town"},	  {"441302199000", "town"},   {"441302200000", "township"},
	    {"441302399000", "township"}, {"441302400000", "zone"},   {"441302599000", "zone"},
	    {"441302600000", NULL},	  {"441302999000", NULL},     {"441302101203", "town"},
	    {"441900003000", "street"},
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(cases); i++) {
		const char *kind = division_township_kind(cases[i].code);

		if (!cases[i].kind)
			assert_null(kind);
		else
			assert_string_equal(kind, cases[i].kind);
	}
}

static int code_cmp(const void *a, const void *b)
{
	return memcmp(a, b, DIVISION_CODE_LEN);
}

/* Every code of the real list: 12 digits that normalise to themselves, whose
 * derived parent is in the list one level up (or the prefecture for the
 * townships of prefectures without counties). */
static void test_division_real_list_is_consistent(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DIVISIONS_CSV, CSV_ENC_AUTO, &err);
	struct csv_record rec;
	char(*codes)[DIVISION_CODE_LEN + 1] = NULL;
	size_t rows = 0, cap = 0, levels[DIV_VILLAGE + 1] = {0}, kinds[4] = {0};
	size_t under_prefecture = 0;
	int rc;

	(void)state;
	if (!r)
		fail_msg("%s", err.msg);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	assert_int_equal(csv_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[0], "code");
	assert_string_equal(rec.fields[1], "name");
	while ((rc = csv_reader_next(r, &rec, &err)) == 1) {
		char *code;
		const char *kind;

		if (rows == cap) {
			cap = cap ? 2 * cap : 1024;
			codes = xreallocarray(codes, cap, sizeof(*codes));
		}
		code = codes[rows++];
		assert_int_equal(rec.nfields, 2);
		assert_int_equal(rec.line, (long)rows + 1);
		assert_true(rec.lens[1] > 0);
		if (division_code_normalize(rec.fields[0], code, &err) != 0)
			fail_msg("line %ld: %s", rec.line, err.msg);
		assert_string_equal(code, rec.fields[0]);
		levels[division_level(code)]++;
		kind = division_township_kind(code);
		if (division_level(code) != DIV_TOWNSHIP)
			assert_null(kind);
		else if (!kind)
			fail_msg("township %s has no kind", code);
		else if (!strcmp(kind, "street"))
			kinds[0]++;
		else if (!strcmp(kind, "town"))
			kinds[1]++;
		else if (!strcmp(kind, "township"))
			kinds[2]++;
		else
			kinds[3]++;
	}
	if (rc < 0)
		fail_msg("%s", err.msg);
	csv_reader_free(r);

	/* data/README.md: 44,699 rows, 31 provinces, 342 prefectures. The
	 * codes give 2,975 counties and 41,351 townships/streets (the
	 * README's 2,978 and 41,352 add up to 4 more than its row count). */
	assert_int_equal(rows, 44699);
	assert_int_equal(levels[DIV_PROVINCE], 31);
	assert_int_equal(levels[DIV_PREFECTURE], 342);
	assert_int_equal(levels[DIV_COUNTY], 2975);
	assert_int_equal(levels[DIV_TOWNSHIP], 41351);
	assert_int_equal(levels[DIV_VILLAGE], 0);
	/* Streets, towns, townships and zones (rules.md). */
	assert_int_equal(kinds[0], 9066);
	assert_int_equal(kinds[1], 21377);
	assert_int_equal(kinds[2], 8198);
	assert_int_equal(kinds[3], 2710);

	qsort(codes, rows, sizeof(*codes), code_cmp);
	for (size_t i = 0; i < rows; i++) {
		char parent[DIVISION_CODE_LEN + 1];
		enum division_level level = division_level(codes[i]), plevel;

		if (i && code_cmp(codes[i - 1], codes[i]) == 0)
			fail_msg("%s appears twice", codes[i]);
		if (division_parent(codes[i], parent) != 0) {
			assert_int_equal(level, DIV_PROVINCE);
			continue;
		}
		plevel = division_level(parent);
		if (level == DIV_TOWNSHIP && plevel == DIV_PREFECTURE)
			under_prefecture++;
		else
			assert_int_equal(plevel, level - 1);
		if (!bsearch(parent, codes, rows, sizeof(*codes), code_cmp))
			fail_msg("parent %s of %s is not in the list", parent, codes[i]);
	}
	/* 东莞市 441900, 中山市 442000 and 儋州市 460400 have no counties
	 * (README): their 36, 23 and 18 townships hang under the prefecture. */
	assert_int_equal(under_prefecture, 36 + 23 + 18);
	free(codes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_division_pads_short_codes_to_12_digits),
	    cmocka_unit_test(test_division_ignores_surrounding_blanks),
	    cmocka_unit_test(test_division_refuses_other_lengths),
	    cmocka_unit_test(test_division_refuses_non_digits_and_empty),
	    cmocka_unit_test(test_division_refuses_zero_segment_above_nonzero),
	    cmocka_unit_test(test_division_accepts_township_under_prefecture_without_counties),
	    cmocka_unit_test(test_division_level_follows_from_the_code),
	    cmocka_unit_test(test_division_parent_is_derived_from_the_code),
	    cmocka_unit_test(test_division_level_names),
	    cmocka_unit_test(test_division_township_kind_from_digits_7_to_9),
	    cmocka_unit_test(test_division_real_list_is_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
