/* fuzz_validate.c - libFuzzer target: every validator of src/core/validate.c
 * (resident ID numbers, credit codes, phones, hours) over the same text.
 *
 * Besides the sanitizers, it checks what validate.h promises: a value that
 * passes comes out in its canonical form, which passes again unchanged; an
 * ID number's check character and birth date agree with it; an error says
 * why and never repeats a whole ID number; masks are at most 18 characters.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/date.h"
#include "sgz/util.h"
#include "sgz/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_validate: %s\n", what);
		abort();
	}
}

static void fuzz_idnum(const char *s)
{
	char out[IDNUM_LEN + 1], again[IDNUM_LEN + 1], mask[IDNUM_LEN + 1];
	struct idnum_info info, info2;
	struct sgz_date today;
	struct sgz_err err;

	idnum_mask(s, mask);
	check(strlen(mask) <= IDNUM_LEN, "a mask longer than 18");
	sgz_err_clear(&err);
	if (idnum_normalize(s, out, &info, &err) < 0) {
		size_t digits = strspn(s, "0123456789");

		check(err.msg[0] != '\0', "an ID number refused without a reason");
		/* the messages never repeat a whole number (of 15 digits or more,
		 * an X at the end), which may be a real person's */
		if (digits >= 15 && (s[digits] == '\0' || !strcmp(s + digits, "X")))
			check(!strstr(err.msg, s), "an error repeats the ID number");
		return;
	}
	check(strlen(out) == IDNUM_LEN, "a normalised ID number not of 18 characters");
	for (int i = 0; i < 17; i++)
		check(out[i] >= '0' && out[i] <= '9', "a non-digit in an ID number");
	check(idnum_check_char(out) == out[17], "a wrong check character passed");
	check(date_valid(info.birth.year, info.birth.month, info.birth.day), "a bad birth date");
	date_today(&today);
	check(date_cmp(&info.birth, &today) <= 0, "a birth date in the future passed");
	check(idnum_age_on(&info.birth, &today) >= 0, "a negative age");
	check(idnum_normalize(out, again, &info2, &err) == 0, "a normalised ID number fails");
	check(!strcmp(out, again), "normalising an ID number twice changes it");
	check(info2.male == info.male && !date_cmp(&info.birth, &info2.birth), "info changed");
	idnum_mask(out, mask);
	check(strlen(mask) == IDNUM_LEN && !memcmp(mask, out, 4) && !memcmp(mask + 14, out + 14, 4),
	      "a mask that is not first 4, last 4");
}

static void fuzz_credit_code(const char *s)
{
	char out[CREDIT_CODE_LEN + 1], again[CREDIT_CODE_LEN + 1];
	struct sgz_err err;

	sgz_err_clear(&err);
	if (credit_code_normalize(s, out, &err) < 0) {
		check(err.msg[0] != '\0', "a credit code refused without a reason");
		return;
	}
	check(strlen(out) == CREDIT_CODE_LEN, "a credit code not of 18 characters");
	check(strspn(out, "0123456789ABCDEFGHJKLMNPQRTUWXY") == CREDIT_CODE_LEN,
	      "a credit code with a character outside its alphabet");
	check(credit_code_normalize(out, again, &err) == 0, "a normalised credit code fails");
	check(!strcmp(out, again), "normalising a credit code twice changes it");
	(void)credit_code_is_civil_affairs(out);
}

/* phone_normalize() and hours_normalize(): canonical and stable. */
static void fuzz_canonical(const char *s,
			   int (*normalize)(const char *, struct strbuf *, struct sgz_err *),
			   const char *what)
{
	struct strbuf out = {0}, again = {0};
	struct sgz_err err;

	sb_adds(&out, "untouched");
	sgz_err_clear(&err);
	if (normalize(s, &out, &err) < 0) {
		check(err.msg[0] != '\0', what);
		check(!strcmp(sb_str(&out), "untouched"), what);
		goto out;
	}
	check(out.len > 0, what);
	check(normalize(sb_str(&out), &again, &err) == 0, what);
	check(!strcmp(sb_str(&out), sb_str(&again)), what);
out:
	sb_free(&out);
	sb_free(&again);
}

static void check_hours(const char *s)
{
	struct strbuf out = {0};
	struct sgz_err err;

	if (hours_normalize(s, &out, &err) == 0) {
		double h = strtod(sb_str(&out), NULL);

		check(h > 0 && h <= 24, "hours out of (0, 24] passed");
		check(strspn(sb_str(&out), "0123456789.") == out.len, "hours not in digits");
	}
	sb_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);

	fuzz_idnum(s);
	fuzz_credit_code(s);
	fuzz_canonical(s, phone_normalize, "phone_normalize: not canonical and stable");
	fuzz_canonical(s, hours_normalize, "hours_normalize: not canonical and stable");
	check_hours(s);
	free(s);
	return 0;
}
