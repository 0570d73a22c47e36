/* test_validate.c - resident ID numbers, unified social credit codes, phone
 * numbers and service hours (spec/rules.md). The valid codes below were
 * computed outside sgz from the weights of the standards. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sgz/date.h"
#include "sgz/util.h"
#include "sgz/validate.h"

/* ---- helpers ---- */

#define FULLWIDTH_2 "\xEF\xBC\x92"	       /* ２ */
#define FULLWIDTH_4 "\xEF\xBC\x94"	       /* ４ */
#define XIAOSHI	    "\xE5\xB0\x8F\xE6\x97\xB6" /* 小时 */

static struct idnum_info assert_id_ok(const char *in, const char *want)
{
	char out[IDNUM_LEN + 1] = "";
	struct idnum_info info;
	struct sgz_err err;

	memset(&info, 0xA5, sizeof(info));
	sgz_err_clear(&err);
	if (idnum_normalize(in, out, &info, &err) != 0)
		fail_msg("\"%s\" refused: %s", in, err.msg);
	assert_string_equal(out, want);
	return info;
}

/* Asserts that in is refused with exactly msg, out left alone. */
static void assert_id_refused(const char *in, const char *msg)
{
	char out[IDNUM_LEN + 1] = "untouched";
	struct idnum_info info = {{1, 2, 3}, 4, 5, 6};
	struct sgz_err err;

	sgz_err_clear(&err);
	if (idnum_normalize(in, out, &info, &err) == 0)
		fail_msg("\"%s\" accepted as %s", in, out);
	assert_int_equal(err.status, SGZ_EDATA);
	assert_string_equal(err.msg, msg);
	assert_string_equal(out, "untouched");
	assert_int_equal(info.birth.year, 1);
	assert_int_equal(info.male, 4);
	assert_int_equal(info.born_pre1900, 6);
}

static void assert_birth(const struct idnum_info *info, int y, int m, int d)
{
	assert_int_equal(info->birth.year, y);
	assert_int_equal(info->birth.month, m);
	assert_int_equal(info->birth.day, d);
}

static void assert_credit_ok(const char *in, const char *want)
{
	char out[CREDIT_CODE_LEN + 1] = "";
	struct sgz_err err;

	sgz_err_clear(&err);
	if (credit_code_normalize(in, out, &err) != 0)
		fail_msg("\"%s\" refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

static void assert_credit_refused(const char *in, const char *msg)
{
	char out[CREDIT_CODE_LEN + 1] = "untouched";
	struct sgz_err err;

	sgz_err_clear(&err);
	if (credit_code_normalize(in, out, &err) == 0)
		fail_msg("\"%s\" accepted as %s", in, out);
	assert_int_equal(err.status, SGZ_EDATA);
	assert_string_equal(err.msg, msg);
	assert_string_equal(out, "untouched");
}

typedef int (*text_normalizer)(const char *, struct strbuf *, struct sgz_err *);

/* out holds something beforehand: a success replaces it. */
static void assert_text_ok(text_normalizer f, const char *in, const char *want)
{
	struct strbuf out = {NULL, 0, 0};
	struct sgz_err err;

	sb_adds(&out, "old");
	sgz_err_clear(&err);
	if (f(in, &out, &err) != 0)
		fail_msg("\"%s\" refused: %s", in, err.msg);
	assert_string_equal(sb_str(&out), want);
	sb_free(&out);
}

/* Asserts that in is refused with a message that contains reason and that
 * out is left alone. */
static void assert_text_refused(text_normalizer f, const char *in, const char *reason)
{
	struct strbuf out = {NULL, 0, 0};
	struct sgz_err err;

	sb_adds(&out, "untouched");
	sgz_err_clear(&err);
	if (f(in, &out, &err) == 0)
		fail_msg("\"%s\" accepted as \"%s\"", in, sb_str(&out));
	assert_int_equal(err.status, SGZ_EDATA);
	if (!strstr(err.msg, reason))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, err.msg, reason);
	assert_string_equal(sb_str(&out), "untouched");
	sb_free(&out);
}

/* An 18-digit number of Beijing Dongcheng born on d, sequence 001, with
 * its check character. */
static void id_born_on(const struct sgz_date *d, char out[IDNUM_LEN + 1])
{
	char buf[64];

	snprintf(buf, sizeof(buf), "110101%04d%02d%02d001", d->year, d->month, d->day);
	assert_int_equal(strlen(buf), IDNUM_LEN - 1);
	memcpy(out, buf, IDNUM_LEN - 1);
	out[IDNUM_LEN - 1] = idnum_check_char(buf);
	out[IDNUM_LEN] = '\0';
}

/* ---- resident ID numbers ---- */

static void test_idnum_check_char_follows_gb11643_weights(void **state)
{
	/* One first-17 for each remainder 0..10, in the order 1 0 X 9 ... 2. */
	static const struct {
		const char *first17;
		char check;
	} cases[] = {
	    {"11010119900101003", '1'},
	    {"11010119900101009", '0'},
	    {"11010119900101004", 'X'},
	    {"11010119900101018", '9'},
	    {"11010119900101005", '8'},
	    {"11010119900101000", '7'},
	    {"11010119900101006", '6'},
	    {"11010119900101001", '5'},
	    {"11010119900101007", '4'},
	    {"11010119900101002", '3'},
	    {"11010119900101008", '2'},
	    /* the standard's own example and rules.md's upgrade example */
	    {"44052418800101001", '4'},
	    {"11010519491231002", 'X'},
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(cases); i++)
		if (idnum_check_char(cases[i].first17) != cases[i].check)
			fail_msg("%s: got %c, want %c", cases[i].first17,
				 idnum_check_char(cases[i].first17), cases[i].check);
}

static void test_idnum_accepts_the_standards_example_with_pre1900_warning(void **state)
{
	struct idnum_info info;

	(void)state;
	info = assert_id_ok("440524188001010014", "440524188001010014");
	assert_birth(&info, 1880, 1, 1);
	assert_int_equal(info.born_pre1900, 1);
	assert_int_equal(info.male, 1);
	assert_int_equal(info.upgraded, 0);
}

static void test_idnum_warns_pre1900_only_before_1900(void **state)
{
	struct idnum_info info;

	(void)state;
	info = assert_id_ok("11010118991231001X", "11010118991231001X");
	assert_int_equal(info.born_pre1900, 1);
	info = assert_id_ok("110101190001010014", "110101190001010014");
	assert_birth(&info, 1900, 1, 1);
	assert_int_equal(info.born_pre1900, 0);
}

static void test_idnum_upgrades_15_digit_numbers(void **state)
{
	struct idnum_info info;

	(void)state;
	info = assert_id_ok("110105491231002", "11010519491231002X");
	assert_int_equal(info.upgraded, 1);
	assert_birth(&info, 1949, 12, 31);
	assert_int_equal(info.male, 0); /* sequence 002 */
	assert_int_equal(info.born_pre1900, 0);
	/* The upgrade is the same number as the 18-digit one. */
	info = assert_id_ok(" 110105491231002 ", "11010519491231002X");
	assert_int_equal(info.upgraded, 1);
}

static void test_idnum_stores_lower_case_x_as_upper_case(void **state)
{
	struct idnum_info info;

	(void)state;
	info = assert_id_ok("11010519491231002x", "11010519491231002X");
	assert_int_equal(info.upgraded, 0);
	assert_id_ok("11010119900101004x", "11010119900101004X");
}

static void test_idnum_trims_surrounding_blanks(void **state)
{
	(void)state;
	assert_id_ok("  440524188001010014", "440524188001010014");
	assert_id_ok("440524188001010014\t\r\n", "440524188001010014");
	assert_id_ok(" 11010519491231002x ", "11010519491231002X");
}

static void test_idnum_does_not_check_address_codes(void **state)
{
	(void)state;
	/* Retired county codes are on valid cards. */
	assert_id_ok("350402198001010018", "350402198001010018");
	assert_id_ok("320503197512310022", "320503197512310022");
	/* Hong Kong, Macao and Taiwan residence permits. */
	assert_id_ok("810000199001010019", "810000199001010019");
	assert_id_ok("820000199001010029", "820000199001010029");
	assert_id_ok("830000199001010039", "830000199001010039");
}

static void test_idnum_derives_gender_from_the_sequence(void **state)
{
	struct idnum_info info;

	(void)state;
	info = assert_id_ok("110101199001011237", "110101199001011237");
	assert_int_equal(info.male, 1);
	assert_birth(&info, 1990, 1, 1);
	info = assert_id_ok("110101199001011245", "110101199001011245");
	assert_int_equal(info.male, 0);
}

static void test_idnum_accepts_null_info(void **state)
{
	char out[IDNUM_LEN + 1];
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(idnum_normalize("440524188001010014", out, NULL, &err), 0);
	assert_string_equal(out, "440524188001010014");
	assert_int_equal(idnum_normalize("440524188001010013", out, NULL, NULL), -1);
}

static void test_idnum_refuses_bad_check_char_naming_the_expected_one(void **state)
{
	(void)state;
	assert_id_refused("540102199912311233", "bad check character: expected 7, got 3");
	/* rules.md's mask example is not a valid number itself */
	assert_id_refused("540102199912311231", "bad check character: expected 7, got 1");
	assert_id_refused("440524188001010013", "bad check character: expected 4, got 3");
	assert_id_refused("110105194912310020", "bad check character: expected X, got 0");
	assert_id_refused("11010119900101003X", "bad check character: expected 1, got X");
	assert_id_refused("11010119900101003x", "bad check character: expected 1, got X");
}

static void test_idnum_messages_do_not_repeat_the_number(void **state)
{
	char out[IDNUM_LEN + 1];
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(idnum_normalize("440524188001010013", out, NULL, &err), -1);
	assert_null(strstr(err.msg, "44052418800101001"));
	assert_null(strstr(err.msg, "4405"));
}

static void test_idnum_refuses_impossible_birth_dates(void **state)
{
	(void)state;
	/* Each with the check character its first 17 digits call for. */
	assert_id_refused("110101200102290015", "impossible birth date: 20010229");
	assert_id_refused("110101190002290011", "impossible birth date: 19000229");
	assert_id_refused("110101200113010015", "impossible birth date: 20011301");
	assert_id_refused("110101200101000012", "impossible birth date: 20010100");
	assert_id_refused("110101200101320016", "impossible birth date: 20010132");
	assert_id_refused("110101179912310010", "impossible birth date: 17991231 (before 1800)");
	/* An old number is checked after the upgrade. */
	assert_id_refused("110101490229001", "impossible birth date: 19490229");
	/* 29 February of leap years is fine. */
	assert_id_ok("110101200002290026", "110101200002290026");
	assert_id_ok("110101199602290016", "110101199602290016");
}

static void test_idnum_refuses_birth_dates_in_the_future(void **state)
{
	struct sgz_date today, tomorrow;
	struct tm tm;
	char id[IDNUM_LEN + 1], msg[64];
	struct idnum_info info;

	(void)state;
	date_today(&today);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = today.year - 1900;
	tm.tm_mon = today.month - 1;
	tm.tm_mday = today.day + 1;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	tomorrow.year = tm.tm_year + 1900;
	tomorrow.month = tm.tm_mon + 1;
	tomorrow.day = tm.tm_mday;

	id_born_on(&tomorrow, id);
	snprintf(msg, sizeof(msg), "birth date in the future: %04d%02d%02d", tomorrow.year,
		 tomorrow.month, tomorrow.day);
	assert_id_refused(id, msg);
	assert_id_refused("110101209901010017", "birth date in the future: 20990101");

	/* Born today is not the future. */
	id_born_on(&today, id);
	info = assert_id_ok(id, id);
	assert_int_equal(date_cmp(&info.birth, &today), 0);
}

static void test_idnum_refuses_wrong_length(void **state)
{
	static const char msg[] = "wrong length: 18 characters (or 15 digits for an old number) "
				  "needed, got %d";
	static const char *const bad[] = {"4405241880010100", "44052418800101001",
					  "4405241880010100140", "11010549123100",
					  "1101054912310021"};
	char want[128];

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++) {
		snprintf(want, sizeof(want), msg, (int)strlen(bad[i]));
		assert_id_refused(bad[i], want);
	}
	assert_id_refused("", "empty: a resident ID number has 18 characters");
	assert_id_refused(" \t ", "empty: a resident ID number has 18 characters");
}

static void test_idnum_refuses_non_digits(void **state)
{
	static const char pre[] = "only digits 0-9 and a final X of 18 characters are allowed: ";
	char want[160];

	(void)state;
	snprintf(want, sizeof(want), "%s\"A\" at position 18", pre);
	assert_id_refused("44052418800101001A", want);
	snprintf(want, sizeof(want), "%s\"X\" at position 11", pre);
	assert_id_refused("4405241880X1010014", want);
	/* X only ends an 18-character number, never an old one */
	snprintf(want, sizeof(want), "%s\"X\" at position 15", pre);
	assert_id_refused("11010549123100X", want);
	snprintf(want, sizeof(want), "%s\"-\" at position 7", pre);
	assert_id_refused("440524-188001010014", want);
	/* Positions count characters, and the whole character is quoted. */
	snprintf(want, sizeof(want), "%s\"" FULLWIDTH_4 "\" at position 2", pre);
	assert_id_refused("4" FULLWIDTH_4 "0524188001010014", want);
	snprintf(want, sizeof(want), "%sa blank at position 7", pre);
	assert_id_refused("440524 188001010014", want);
	snprintf(want, sizeof(want), "%sbyte 0x09 at position 7", pre);
	assert_id_refused("440524\t188001010014", want);
}

static void test_idnum_explains_spreadsheet_scientific_notation(void **state)
{
	(void)state;
	assert_id_refused("4.40524E+17", "a spreadsheet shortened the number to 4.40524E+17: "
					 "format the column as text and enter the number again");
	assert_id_refused(" 4.40524188001e+17 ",
			  "a spreadsheet shortened the number to 4.40524188001e+17: format the "
			  "column as text and enter the number again");
}

static void test_idnum_age_counts_whole_years(void **state)
{
	const struct sgz_date birth = {1990, 6, 15};
	const struct sgz_date before = {2020, 6, 14}, on = {2020, 6, 15}, after = {2020, 12, 31};
	const struct sgz_date early = {2021, 1, 1}, same = {1990, 6, 15}, may = {2020, 5, 31};

	(void)state;
	assert_int_equal(idnum_age_on(&birth, &before), 29);
	assert_int_equal(idnum_age_on(&birth, &on), 30);
	assert_int_equal(idnum_age_on(&birth, &after), 30);
	assert_int_equal(idnum_age_on(&birth, &early), 30);
	assert_int_equal(idnum_age_on(&birth, &may), 29);
	assert_int_equal(idnum_age_on(&birth, &same), 0);
}

static void test_idnum_age_reaches_18_on_the_birthday(void **state)
{
	/* The child categories' boundary (under 18). */
	const struct sgz_date birth = {2006, 5, 20};
	const struct sgz_date eve = {2024, 5, 19}, day = {2024, 5, 20};

	(void)state;
	assert_int_equal(idnum_age_on(&birth, &eve), 17);
	assert_int_equal(idnum_age_on(&birth, &day), 18);
}

static void test_idnum_age_of_29_february_births(void **state)
{
	const struct sgz_date birth = {2000, 2, 29};
	const struct sgz_date feb28 = {2001, 2, 28}, mar1 = {2001, 3, 1};
	const struct sgz_date leap28 = {2004, 2, 28}, leap29 = {2004, 2, 29};

	(void)state;
	/* In common years the birthday is reached on 1 March. */
	assert_int_equal(idnum_age_on(&birth, &feb28), 0);
	assert_int_equal(idnum_age_on(&birth, &mar1), 1);
	assert_int_equal(idnum_age_on(&birth, &leap28), 3);
	assert_int_equal(idnum_age_on(&birth, &leap29), 4);
}

static void test_idnum_mask_keeps_first_and_last_four(void **state)
{
	char out[IDNUM_LEN + 1];

	(void)state;
	idnum_mask("540102199912311231", out);
	assert_string_equal(out, "5401**********1231");
	idnum_mask("11010519491231002X", out);
	assert_string_equal(out, "1101**********002X");
}

static void test_idnum_mask_text_masks_every_number_in_a_message(void **state)
{
	char *t;

	(void)state;
	t = idnum_mask_text("hours of 120110197007070042 on 2024-03-05 add up to 25.0, more "
			    "than 24; 11010519491231002x too");
	assert_string_equal(t, "hours of 1201**********0042 on 2024-03-05 add up to 25.0, more "
			       "than 24; 1101**********002x too");
	free(t);
	/* in Chinese text, at the ends */
	t = idnum_mask_text("120110199512310077在2024-03-05的服务时长合计25.0");
	assert_string_equal(t, "1201**********0077在2024-03-05的服务时长合计25.0");
	free(t);
	/* not a number of 18: a longer run of digits, a credit code, a date */
	t = idnum_mask_text("1201101970070700421 52120110MJ0000001Y 120110197007070042X 2024");
	assert_string_equal(t, "1201101970070700421 52120110MJ0000001Y 120110197007070042X 2024");
	free(t);
	t = idnum_mask_text(NULL);
	assert_string_equal(t, "");
	free(t);
}

static void test_idnum_mask_hides_all_of_other_lengths(void **state)
{
	char out[IDNUM_LEN + 1];

	(void)state;
	idnum_mask("110105491231002", out);
	assert_string_equal(out, "***************");
	idnum_mask("4405241880010100140", out);
	assert_string_equal(out, "******************");
	idnum_mask("", out);
	assert_string_equal(out, "");
	idnum_mask(NULL, out);
	assert_string_equal(out, "");
}

/* ---- unified social credit codes ---- */

static void test_credit_code_accepts_valid_codes(void **state)
{
	static const char *const good[] = {
	    "91350100M000100Y43", /* a public code: check value 3 */
	    "52440300MJL000000Y", /* check value 30 */
	    "52350100MJ00000R00", /* 31 - 0 = 31, which is 0 */
	    "52350100MJ0000700X", "51110000500000000B", "531000005000000001", "12350100MB0000001Y",
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(good); i++)
		assert_credit_ok(good[i], good[i]);
}

static void test_credit_code_values_skip_i_o_s_v_z(void **state)
{
	(void)state;
	/* Every letter after a skipped one, whose value the skip shifts. */
	assert_credit_ok("5235JKLMNPQRTUWXY8", "5235JKLMNPQRTUWXY8");
	assert_credit_ok("52ABCDEFGH00000007", "52ABCDEFGH00000007");
	assert_credit_refused("5235JKLMNPQRTUWXY7", "bad check character: expected 8, got 7");
}

static void test_credit_code_upper_cases_and_trims(void **state)
{
	(void)state;
	assert_credit_ok("91350100m000100y43", "91350100M000100Y43");
	assert_credit_ok("  52440300mjl000000y\t", "52440300MJL000000Y");
}

static void test_credit_code_refuses_bad_check_char_naming_the_expected_one(void **state)
{
	(void)state;
	assert_credit_refused("91350100M000100Y44", "bad check character: expected 3, got 4");
	assert_credit_refused("52350100MJ00000R0Y", "bad check character: expected 0, got Y");
	assert_credit_refused("52440300mjl0000000", "bad check character: expected Y, got 0");
	/* A swap of two characters changes the check. */
	assert_credit_refused("91350100M000010Y43", "bad check character: expected J, got 3");
}

static void test_credit_code_refuses_letters_it_does_not_use(void **state)
{
	static const char pre[] =
	    "only digits 0-9 and the letters A-Z without I, O, S, V, Z are allowed: ";
	char want[160];

	(void)state;
	snprintf(want, sizeof(want), "%s\"S\" at position 9", pre);
	assert_credit_refused("91350100S000100Y43", want);
	snprintf(want, sizeof(want), "%s\"v\" at position 9", pre);
	assert_credit_refused("91350100v000100Y43", want);
	snprintf(want, sizeof(want), "%s\"Z\" at position 18", pre);
	assert_credit_refused("91350100M000100Y4Z", want);
	snprintf(want, sizeof(want), "%s\"-\" at position 9", pre);
	assert_credit_refused("91350100-M000100Y43", want);
	assert_credit_refused("9135010OM000100Y43",
			      "the letter O is never used: \"O\" at position 8 (did you mean 0?)");
	assert_credit_refused("9I350100M000100Y43",
			      "the letter I is never used: \"I\" at position 2 (did you mean 1?)");
	assert_credit_refused("9i350100M000100Y43",
			      "the letter I is never used: \"i\" at position 2 (did you mean 1?)");
}

static void test_credit_code_refuses_wrong_length(void **state)
{
	(void)state;
	assert_credit_refused("91350100M000100Y4", "wrong length: 18 characters needed, got 17");
	assert_credit_refused("91350100M000100Y430", "wrong length: 18 characters needed, got 19");
	/* An old 15-digit business registration number. */
	assert_credit_refused("350100100012345", "wrong length: 18 characters needed, got 15");
	assert_credit_refused("", "empty: a unified social credit code has 18 characters");
	assert_credit_refused("  ", "empty: a unified social credit code has 18 characters");
}

static void test_credit_code_tells_civil_affairs_registration(void **state)
{
	(void)state;
	assert_int_equal(credit_code_is_civil_affairs("52350100MJ00000R00"), 1);
	assert_int_equal(credit_code_is_civil_affairs("51110000500000000B"), 1);
	assert_int_equal(credit_code_is_civil_affairs("531000005000000001"), 1);
	assert_int_equal(credit_code_is_civil_affairs("91350100M000100Y43"), 0);
	assert_int_equal(credit_code_is_civil_affairs("12350100MB0000001Y"), 0);
	assert_int_equal(credit_code_is_civil_affairs(""), 0);
	assert_int_equal(credit_code_is_civil_affairs(NULL), 0);
}

/* ---- phone numbers ---- */

static const char phone_accepted[] =
    "give a mobile (11 digits from 13 to 19, such as 13812345678) or a landline with its "
    "area code (0891-6321234)";

static void test_phone_accepts_mobiles_13_to_19(void **state)
{
	(void)state;
	assert_text_ok(phone_normalize, "13812345678", "13812345678");
	assert_text_ok(phone_normalize, "13000000000", "13000000000");
	assert_text_ok(phone_normalize, "19999999999", "19999999999");
	assert_text_ok(phone_normalize, "15987654321", "15987654321");
	assert_text_refused(phone_normalize, "12812345678",
			    "a mobile number starts with 13 to 19, not 12");
	assert_text_refused(phone_normalize, "10086000000",
			    "a mobile number starts with 13 to 19, not 10");
}

static void test_phone_removes_blanks_hyphens_and_country_code(void **state)
{
	(void)state;
	assert_text_ok(phone_normalize, " 138 1234 5678 ", "13812345678");
	assert_text_ok(phone_normalize, "138-1234-5678", "13812345678");
	assert_text_ok(phone_normalize, "+8613812345678", "13812345678");
	assert_text_ok(phone_normalize, "+86 138 1234 5678", "13812345678");
	assert_text_ok(phone_normalize, "+86-138-1234-5678", "13812345678");
	assert_text_ok(phone_normalize, "8613812345678", "13812345678");
}

static void test_phone_accepts_landlines_with_area_code(void **state)
{
	(void)state;
	assert_text_ok(phone_normalize, "0891-6321234", "0891-6321234");
	assert_text_ok(phone_normalize, "08916321234", "0891-6321234");
	assert_text_ok(phone_normalize, "0891 6321234", "0891-6321234");
	assert_text_ok(phone_normalize, "010-12345678", "010-12345678");
	assert_text_ok(phone_normalize, "01012345678", "010-12345678");
	assert_text_ok(phone_normalize, "02162345678", "021-62345678");
	assert_text_ok(phone_normalize, "0755-2345678", "0755-2345678");
}

static void test_phone_refuses_landline_without_area_code(void **state)
{
	(void)state;
	assert_text_refused(phone_normalize, "6321234", "a landline needs its area code: ");
	assert_text_refused(phone_normalize, "62345678", phone_accepted);
}

static void test_phone_refuses_extensions_and_odd_hyphens(void **state)
{
	(void)state;
	assert_text_refused(phone_normalize, "0891-6321234-123",
			    "one hyphen only, after the area code (no extension)");
	assert_text_refused(phone_normalize, "0891-6321234-", "a hyphen must stand between digits");
	assert_text_refused(phone_normalize, "-13812345678", "a hyphen must stand between digits");
	assert_text_refused(phone_normalize, "0891--6321234", "a hyphen must stand between digits");
	/* The hyphen must split the area code where area codes end. */
	assert_text_refused(phone_normalize, "089-16321234",
			    "area code 089: it is 010, 02x, or 0 and 3 more digits (0891)");
	assert_text_refused(phone_normalize, "0101-2345678",
			    "area code 0101: it is 010, 02x, or 0 and 3 more digits (0891)");
}

static void test_phone_refuses_wrong_lengths(void **state)
{
	(void)state;
	assert_text_refused(phone_normalize, "1381234567", "a mobile number has 11 digits, got 10");
	assert_text_refused(phone_normalize, "138123456789",
			    "a mobile number has 11 digits, got 12");
	assert_text_refused(phone_normalize, "+86 138123456789",
			    "after +86 only a mobile of 11 digits is accepted");
	assert_text_refused(phone_normalize, "0891-632123",
			    "a landline number has 7 or 8 digits after the area code 0891, got 6");
	assert_text_refused(phone_normalize, "0891-632123456",
			    "a landline number has 7 or 8 digits after the area code 0891, got 9");
	assert_text_refused(phone_normalize, "08",
			    "a landline number has 7 or 8 digits after the area code 08, got 0");
	assert_text_refused(phone_normalize, "123456789012345678901", "too many digits");
}

static void test_phone_refuses_other_text_saying_what_is_accepted(void **state)
{
	(void)state;
	assert_text_refused(phone_normalize, "", phone_accepted);
	assert_text_refused(phone_normalize, "", "empty: ");
	assert_text_refused(phone_normalize, "abc", "not a phone number (\"a\" at position 1): ");
	assert_text_refused(phone_normalize, "abc", phone_accepted);
	assert_text_refused(phone_normalize, "138 1234 567a", phone_accepted);
	assert_text_refused(phone_normalize, "(0891)6321234", phone_accepted);
	assert_text_refused(phone_normalize, "+1 202 555 0123",
			    "only +86 is accepted as a country code");
	assert_text_refused(phone_normalize, "+86 0891 6321234",
			    "after +86 only a mobile of 11 digits is accepted");
	assert_text_refused(phone_normalize, "861381234567", "not a phone number: ");
	assert_text_refused(phone_normalize, "+86", "no digits");
}

/* ---- service hours ---- */

static void test_hours_accepts_one_decimal_up_to_24(void **state)
{
	(void)state;
	assert_text_ok(hours_normalize, "0.1", "0.1");
	assert_text_ok(hours_normalize, "24", "24");
	assert_text_ok(hours_normalize, "23.9", "23.9");
	assert_text_ok(hours_normalize, "2.5", "2.5");
	assert_text_ok(hours_normalize, "8", "8");
	assert_text_ok(hours_normalize, " 8 ", "8");
}

static void test_hours_canonical_form_drops_a_zero_decimal(void **state)
{
	(void)state;
	assert_text_ok(hours_normalize, "24.0", "24");
	assert_text_ok(hours_normalize, "3.0", "3");
	assert_text_ok(hours_normalize, "3.", "3");
	assert_text_ok(hours_normalize, "03", "3");
	assert_text_ok(hours_normalize, "2.50", "2.5"); /* a spreadsheet's two decimals */
	assert_text_ok(hours_normalize, "24.00", "24");
	assert_text_ok(hours_normalize, ".5", "0.5");
	assert_text_ok(hours_normalize, "00.5", "0.5");
}

static void test_hours_refuses_zero_and_negative(void **state)
{
	(void)state;
	assert_text_refused(hours_normalize, "0", "must be more than 0");
	assert_text_refused(hours_normalize, "0.0", "must be more than 0");
	assert_text_refused(hours_normalize, "0.00", "must be more than 0");
	assert_text_refused(hours_normalize, "-1", "must be more than 0");
	assert_text_refused(hours_normalize, "-0.5", "must be more than 0");
}

static void test_hours_refuses_more_than_24(void **state)
{
	(void)state;
	assert_text_refused(hours_normalize, "24.1", "must be at most 24");
	assert_text_refused(hours_normalize, "24.5", "must be at most 24");
	assert_text_refused(hours_normalize, "25", "must be at most 24");
	assert_text_refused(hours_normalize, "100", "must be at most 24");
	assert_text_refused(hours_normalize, "99999999999999999999999", "must be at most 24");
	assert_text_refused(hours_normalize, "000000000000000000000024.1", "must be at most 24");
}

static void test_hours_refuses_two_decimals(void **state)
{
	(void)state;
	assert_text_refused(hours_normalize, "2.25", "at most one decimal: 2.25");
	assert_text_refused(hours_normalize, "0.05", "at most one decimal");
	assert_text_refused(hours_normalize, "23.95", "at most one decimal");
	assert_text_refused(hours_normalize, "1.250", "at most one decimal");
}

static void test_hours_hints_a_point_for_a_decimal_comma(void **state)
{
	(void)state;
	assert_text_refused(hours_normalize, "1,5", "use a decimal point, not a comma: 1.5");
	assert_text_refused(hours_normalize, "2,25", "use a decimal point, not a comma: 2.25");
	/* Not a decimal comma: a thousands separator, or nothing after it */
	assert_text_refused(hours_normalize, "1,000", "not a number");
	assert_text_refused(hours_normalize, "1,", "not a number");
}

static void test_hours_refuses_non_numbers(void **state)
{
	/* 2h, 3小时, ２ (full-width) */
	static const char *const bad[] = {"abc", "2h",	"3" XIAOSHI, ".",   "1.2.3",
					  "+3",	 "1e1", "-",	     "2 5", FULLWIDTH_2};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++)
		assert_text_refused(hours_normalize, bad[i],
				    "not a number: give the hours such as 2 or 2.5");
	assert_text_refused(hours_normalize, "", "empty");
	assert_text_refused(hours_normalize, "  ", "empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_idnum_check_char_follows_gb11643_weights),
	    cmocka_unit_test(test_idnum_accepts_the_standards_example_with_pre1900_warning),
	    cmocka_unit_test(test_idnum_warns_pre1900_only_before_1900),
	    cmocka_unit_test(test_idnum_upgrades_15_digit_numbers),
	    cmocka_unit_test(test_idnum_stores_lower_case_x_as_upper_case),
	    cmocka_unit_test(test_idnum_trims_surrounding_blanks),
	    cmocka_unit_test(test_idnum_does_not_check_address_codes),
	    cmocka_unit_test(test_idnum_derives_gender_from_the_sequence),
	    cmocka_unit_test(test_idnum_accepts_null_info),
	    cmocka_unit_test(test_idnum_refuses_bad_check_char_naming_the_expected_one),
	    cmocka_unit_test(test_idnum_messages_do_not_repeat_the_number),
	    cmocka_unit_test(test_idnum_refuses_impossible_birth_dates),
	    cmocka_unit_test(test_idnum_refuses_birth_dates_in_the_future),
	    cmocka_unit_test(test_idnum_refuses_wrong_length),
	    cmocka_unit_test(test_idnum_refuses_non_digits),
	    cmocka_unit_test(test_idnum_explains_spreadsheet_scientific_notation),
	    cmocka_unit_test(test_idnum_age_counts_whole_years),
	    cmocka_unit_test(test_idnum_age_reaches_18_on_the_birthday),
	    cmocka_unit_test(test_idnum_age_of_29_february_births),
	    cmocka_unit_test(test_idnum_mask_keeps_first_and_last_four),
	    cmocka_unit_test(test_idnum_mask_text_masks_every_number_in_a_message),
	    cmocka_unit_test(test_idnum_mask_hides_all_of_other_lengths),
	    cmocka_unit_test(test_credit_code_accepts_valid_codes),
	    cmocka_unit_test(test_credit_code_values_skip_i_o_s_v_z),
	    cmocka_unit_test(test_credit_code_upper_cases_and_trims),
	    cmocka_unit_test(test_credit_code_refuses_bad_check_char_naming_the_expected_one),
	    cmocka_unit_test(test_credit_code_refuses_letters_it_does_not_use),
	    cmocka_unit_test(test_credit_code_refuses_wrong_length),
	    cmocka_unit_test(test_credit_code_tells_civil_affairs_registration),
	    cmocka_unit_test(test_phone_accepts_mobiles_13_to_19),
	    cmocka_unit_test(test_phone_removes_blanks_hyphens_and_country_code),
	    cmocka_unit_test(test_phone_accepts_landlines_with_area_code),
	    cmocka_unit_test(test_phone_refuses_landline_without_area_code),
	    cmocka_unit_test(test_phone_refuses_extensions_and_odd_hyphens),
	    cmocka_unit_test(test_phone_refuses_wrong_lengths),
	    cmocka_unit_test(test_phone_refuses_other_text_saying_what_is_accepted),
	    cmocka_unit_test(test_hours_accepts_one_decimal_up_to_24),
	    cmocka_unit_test(test_hours_canonical_form_drops_a_zero_decimal),
	    cmocka_unit_test(test_hours_refuses_zero_and_negative),
	    cmocka_unit_test(test_hours_refuses_more_than_24),
	    cmocka_unit_test(test_hours_refuses_two_decimals),
	    cmocka_unit_test(test_hours_hints_a_point_for_a_decimal_comma),
	    cmocka_unit_test(test_hours_refuses_non_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
