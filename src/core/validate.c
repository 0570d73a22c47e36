/* validate.c - identity numbers and codes of spec/rules.md: resident ID
 * numbers (GB 11643-1999), unified social credit codes (GB 32100-2015),
 * phone numbers, and service hours. */
#include "config.h"

#include "sgz/validate.h"

#include <stdio.h>
#include <string.h>

/* Birth years before this are typing errors, not people (date_parse() and
 * the database take the same range). */
#define IDNUM_MIN_YEAR	 1800
#define IDNUM_OLD_LEN	 15
#define HOURS_MAX_TENTHS 240
#define PHONE_MAX_DIGITS 20

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips surrounding blanks: sets *start and returns the length left. */
static size_t trim(const char *in, const char **start)
{
	const char *s = in ? in : "";
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	*start = s;
	return n;
}

/* Describes the character at byte off of s (n bytes) for a message: the
 * whole UTF-8 character in quotes and its position in characters. */
static void describe_char(const char *s, size_t n, size_t off, char *buf, size_t size)
{
	unsigned char c = (unsigned char)s[off];
	size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	size_t pos = 1;

	for (size_t i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			pos++;
	if (len > n - off)
		len = n - off;
	for (size_t i = 1; i < len; i++) {
		if (((unsigned char)s[off + i] & 0xC0) != 0x80) {
			len = i;
			break;
		}
	}
	if (c == ' ')
		snprintf(buf, size, "a blank at position %zu", pos);
	else if (c < 0x20 || c == 0x7F || (c >= 0x80 && len == 1))
		snprintf(buf, size, "byte 0x%02X at position %zu", c, pos);
	else
		snprintf(buf, size, "\"%.*s\" at position %zu", (int)len, s + off, pos);
}

/* 1 if s (n bytes) looks like a number a spreadsheet shortened to
 * scientific notation, such as 4.40524E+17. */
static int is_scientific(const char *s, size_t n)
{
	size_t i = 0;

	if (i == n || !is_digit(s[i++]))
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i + 2 > n || (s[i] != 'E' && s[i] != 'e') || s[i + 1] != '+')
		return 0;
	i += 2;
	if (i == n)
		return 0;
	while (i < n && is_digit(s[i]))
		i++;
	return i == n;
}

/* ---- resident ID numbers ---- */

char idnum_check_char(const char *first17)
{
	static const int weights[IDNUM_LEN - 1] = {7, 9, 10, 5,	 8, 4, 2, 1, 6,
						   3, 7, 9,  10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;

	for (size_t i = 0; i < IDNUM_LEN - 1; i++)
		sum += (first17[i] - '0') * weights[i];
	return map[sum % 11];
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int idnum_normalize(const char *in, char out[IDNUM_LEN + 1], struct idnum_info *info,
		    struct sgz_err *err)
{
	const char *s;
	size_t n = trim(in, &s);
	char id[IDNUM_LEN + 1];
	struct idnum_info res;
	struct sgz_date today;
	char expected;

	if (n == 0) {
		sgz_err_set(err, SGZ_EDATA, "empty: a resident ID number has 18 characters");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char what[64];

		if (is_digit(s[i]) ||
		    (i == IDNUM_LEN - 1 && n == IDNUM_LEN && (s[i] == 'X' || s[i] == 'x')))
			continue;
		if (is_scientific(s, n)) {
			sgz_err_set(err, SGZ_EDATA,
				    "a spreadsheet shortened the number to %.*s: format the "
				    "column as text and enter the number again",
				    (int)n, s);
			return -1;
		}
		describe_char(s, n, i, what, sizeof(what));
		sgz_err_set(err, SGZ_EDATA,
			    "only digits 0-9 and a final X of 18 characters are allowed: %s", what);
		return -1;
	}
	if (n != IDNUM_LEN && n != IDNUM_OLD_LEN) {
		sgz_err_set(err, SGZ_EDATA,
			    "wrong length: 18 characters (or 15 digits for an old number) needed, "
			    "got %zu",
			    n);
		return -1;
	}

	memset(&res, 0, sizeof(res));
	if (n == IDNUM_OLD_LEN) {
		/* Old numbers: 6-digit address, YYMMDD of a 19xx birth, sequence. */
		memcpy(id, s, 6);
		memcpy(id + 6, "19", 2);
		memcpy(id + 8, s + 6, IDNUM_OLD_LEN - 6);
		id[IDNUM_LEN - 1] = idnum_check_char(id);
		res.upgraded = 1;
	} else {
		memcpy(id, s, IDNUM_LEN);
		if (id[IDNUM_LEN - 1] == 'x')
			id[IDNUM_LEN - 1] = 'X';
	}
	id[IDNUM_LEN] = '\0';

	/* The date before the check character: a slip in the date segment is
	 * better named as such than as a wrong check character. The messages
	 * never repeat the whole number (personal information). */
	res.birth.year = digits_value(id + 6, 4);
	res.birth.month = digits_value(id + 10, 2);
	res.birth.day = digits_value(id + 12, 2);
	if (res.birth.year < IDNUM_MIN_YEAR) {
		sgz_err_set(err, SGZ_EDATA, "impossible birth date: %.8s (before %d)", id + 6,
			    IDNUM_MIN_YEAR);
		return -1;
	}
	if (!date_valid(res.birth.year, res.birth.month, res.birth.day)) {
		sgz_err_set(err, SGZ_EDATA, "impossible birth date: %.8s", id + 6);
		return -1;
	}
	date_today(&today);
	if (date_cmp(&res.birth, &today) > 0) {
		sgz_err_set(err, SGZ_EDATA, "birth date in the future: %.8s", id + 6);
		return -1;
	}
	expected = idnum_check_char(id);
	if (id[IDNUM_LEN - 1] != expected) {
		sgz_err_set(err, SGZ_EDATA, "bad check character: expected %c, got %c", expected,
			    id[IDNUM_LEN - 1]);
		return -1;
	}
	res.male = (id[16] - '0') % 2;
	res.born_pre1900 = res.birth.year < 1900;

	memcpy(out, id, sizeof(id));
	if (info)
		*info = res;
	return 0;
}

int idnum_age_on(const struct sgz_date *birth, const struct sgz_date *on)
{
	int age = on->year - birth->year;

	/* Month and day compared as a pair: a 29 February birthday falls on
	 * 1 March in common years. */
	if (on->month < birth->month || (on->month == birth->month && on->day < birth->day))
		age--;
	return age;
}

void idnum_mask(const char *id, char out[IDNUM_LEN + 1])
{
	size_t n = id ? strlen(id) : 0;

	if (n != IDNUM_LEN) {
		/* Not a normalised number: hide all of it rather than guess. */
		if (n > IDNUM_LEN)
			n = IDNUM_LEN;
		memset(out, '*', n);
		out[n] = '\0';
		return;
	}
	memcpy(out, id, 4);
	memset(out + 4, '*', IDNUM_LEN - 8);
	memcpy(out + IDNUM_LEN - 4, id + IDNUM_LEN - 4, 4);
	out[IDNUM_LEN] = '\0';
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char *idnum_mask_text(const char *text)
{
	struct strbuf sb = {0};
	const char *p = text ? text : "";

	while (*p) {
		size_t k = 0;
		if (p == text || !is_alnum(p[-1])) {
			while (k < IDNUM_LEN - 1 && is_digit(p[k]))
				k++;
			if (k == IDNUM_LEN - 1 && (is_digit(p[k]) || p[k] == 'X' || p[k] == 'x') &&
			    !is_alnum(p[k + 1])) {
				char id[IDNUM_LEN + 1], masked[IDNUM_LEN + 1];
				memcpy(id, p, IDNUM_LEN);
				id[IDNUM_LEN] = '\0';
				idnum_mask(id, masked);
				sb_adds(&sb, masked);
				p += IDNUM_LEN;
				continue;
			}
		}
		sb_addc(&sb, *p++);
	}
	return sb_detach(&sb);
}

/* ---- unified social credit codes ---- */

/* The 31 characters of GB 32100-2015 in the order of their values. */
static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int credit_value(char c)
{
	const char *p = c ? strchr(credit_alphabet, c) : NULL;

	return p ? (int)(p - credit_alphabet) : -1;
}

static char credit_check_char(const char *first17)
{
	static const int weights[CREDIT_CODE_LEN - 1] = {1,  3,	 9,  27, 19, 26, 16, 17, 20,
							 29, 25, 13, 8,	 24, 10, 30, 28};
	int sum = 0;

	for (size_t i = 0; i < CREDIT_CODE_LEN - 1; i++)
		sum += credit_value(first17[i]) * weights[i];
	return credit_alphabet[(31 - sum % 31) % 31];
}

int credit_code_normalize(const char *in, char out[CREDIT_CODE_LEN + 1], struct sgz_err *err)
{
	const char *s;
	size_t n = trim(in, &s);
	char code[CREDIT_CODE_LEN + 1];
	char expected;

	if (n == 0) {
		sgz_err_set(err, SGZ_EDATA,
			    "empty: a unified social credit code has 18 characters");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
		char what[64];

		if (credit_value(c) >= 0) {
			if (i < CREDIT_CODE_LEN)
				code[i] = c;
			continue;
		}
		describe_char(s, n, i, what, sizeof(what));
		if (c == 'I' || c == 'O')
			sgz_err_set(err, SGZ_EDATA,
				    "the letter %c is never used: %s (did you mean %c?)", c, what,
				    c == 'I' ? '1' : '0');
		else
			sgz_err_set(err, SGZ_EDATA,
				    "only digits 0-9 and the letters A-Z without I, O, S, V, Z are "
				    "allowed: %s",
				    what);
		return -1;
	}
	if (n != CREDIT_CODE_LEN) {
		sgz_err_set(err, SGZ_EDATA, "wrong length: 18 characters needed, got %zu", n);
		return -1;
	}
	code[CREDIT_CODE_LEN] = '\0';
	expected = credit_check_char(code);
	if (code[CREDIT_CODE_LEN - 1] != expected) {
		sgz_err_set(err, SGZ_EDATA, "bad check character: expected %c, got %c", expected,
			    code[CREDIT_CODE_LEN - 1]);
		return -1;
	}
	memcpy(out, code, sizeof(code));
	return 0;
}

int credit_code_is_civil_affairs(const char *code)
{
	return code && code[0] == '5';
}

/* ---- phone numbers ---- */

static const char phone_accepted[] =
    "a mobile (11 digits from 13 to 19, such as 13812345678) or a landline with its "
    "area code (0891-6321234)";

static int phone_refuse(struct sgz_err *err, const char *what)
{
	sgz_err_set(err, SGZ_EDATA, "%s: give %s", what, phone_accepted);
	return -1;
}

int phone_normalize(const char *in, struct strbuf *out, struct sgz_err *err)
{
	const char *s;
	size_t n = trim(in, &s);
	char d[PHONE_MAX_DIGITS + 1];
	size_t nd = 0, hyphens = 0, hyphen_at = 0, i = 0;
	int plus = 0;
	const char *mobile = NULL;
	size_t area, local;

	if (n == 0)
		return phone_refuse(err, "empty");
	if (s[0] == '+') {
		if (n < 3 || s[1] != '8' || s[2] != '6')
			return phone_refuse(err, "only +86 is accepted as a country code");
		plus = 1;
		i = 3;
	}
	/* Digits, with blanks anywhere and hyphens between digits. */
	for (; i < n; i++) {
		char what[64];

		if (is_digit(s[i])) {
			if (nd == PHONE_MAX_DIGITS)
				return phone_refuse(err, "too many digits");
			d[nd++] = s[i];
			continue;
		}
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] == '-') {
			size_t j = i + 1;

			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j == n || !is_digit(s[j]) || (nd == 0 && !plus))
				return phone_refuse(err, "a hyphen must stand between digits");
			if (nd == 0)
				continue; /* +86-138... */
			if (hyphens++ == 0)
				hyphen_at = nd;
			continue;
		}
		describe_char(s, n, i, what, sizeof(what));
		sgz_err_set(err, SGZ_EDATA, "not a phone number (%s): give %s", what,
			    phone_accepted);
		return -1;
	}
	d[nd] = '\0';
	if (nd == 0)
		return phone_refuse(err, "no digits");

	if (plus) {
		if (nd != 11 || d[0] != '1')
			return phone_refuse(err,
					    "after +86 only a mobile of 11 digits is accepted");
		mobile = d;
	} else if (nd == 13 && d[0] == '8' && d[1] == '6' && d[2] == '1') {
		mobile = d + 2;
	} else if (d[0] == '1') {
		mobile = d;
	}
	if (mobile) {
		size_t len = strlen(mobile);

		if (len != 11) {
			sgz_err_set(err, SGZ_EDATA, "a mobile number has 11 digits, got %zu", len);
			return -1;
		}
		if (mobile[1] < '3') {
			sgz_err_set(err, SGZ_EDATA,
				    "a mobile number starts with 13 to 19, not %.2s", mobile);
			return -1;
		}
		sb_reset(out);
		sb_adds(out, mobile);
		return 0;
	}
	if (d[0] != '0') {
		if (nd == 7 || nd == 8)
			return phone_refuse(err, "a landline needs its area code");
		return phone_refuse(err, "not a phone number");
	}

	/* Landline. Area codes 010 and 02x have 3 digits, all others 4, so the
	 * hyphen is not needed to split them; when given it must agree. */
	area = d[1] == '1' || d[1] == '2' ? 3 : 4;
	if (hyphens > 1)
		return phone_refuse(err, "one hyphen only, after the area code (no extension)");
	if (hyphens == 1 && hyphen_at != area) {
		sgz_err_set(err, SGZ_EDATA,
			    "area code %.*s: it is 010, 02x, or 0 and 3 more digits (0891)",
			    (int)hyphen_at, d);
		return -1;
	}
	local = nd > area ? nd - area : 0;
	if (local < 7 || local > 8) {
		sgz_err_set(err, SGZ_EDATA,
			    "a landline number has 7 or 8 digits after the area code %.*s, got %zu",
			    (int)(nd < area ? nd : area), d, local);
		return -1;
	}
	sb_reset(out);
	sb_addf(out, "%.*s-%s", (int)area, d, d + area);
	return 0;
}

/* ---- service hours ---- */

int hours_normalize(const char *in, struct strbuf *out, struct sgz_err *err)
{
	const char *s;
	size_t n = trim(in, &s);
	size_t i = 0, int_start, int_len, frac_start = 0, frac_len = 0;
	int negative = 0, tenths = 0;

	if (n == 0) {
		sgz_err_set(err, SGZ_EDATA, "empty: give the hours as a number such as 2 or 2.5");
		return -1;
	}
	if (s[0] == '-') {
		negative = 1;
		i++;
	}
	int_start = i;
	while (i < n && is_digit(s[i]))
		i++;
	int_len = i - int_start;
	if (i < n && s[i] == ',' && int_len > 0 && !negative) {
		size_t j = i + 1;

		while (j < n && is_digit(s[j]))
			j++;
		/* Three digits after a comma are a thousands separator. */
		if (j == n && j - i - 1 > 0 && j - i - 1 != 3) {
			sgz_err_set(err, SGZ_EDATA, "use a decimal point, not a comma: %.*s.%.*s",
				    (int)int_len, s + int_start, (int)(j - i - 1), s + i + 1);
			return -1;
		}
	}
	if (i < n && s[i] == '.') {
		frac_start = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		frac_len = i - frac_start;
	}
	if (i != n || int_len + frac_len == 0) {
		sgz_err_set(err, SGZ_EDATA, "not a number: give the hours such as 2 or 2.5");
		return -1;
	}
	/* 2.50 is 2.5: only significant decimals count. */
	while (frac_len && s[frac_start + frac_len - 1] == '0')
		frac_len--;
	if (frac_len > 1) {
		sgz_err_set(err, SGZ_EDATA, "at most one decimal: %.*s", (int)n, s);
		return -1;
	}
	while (int_len && s[int_start] == '0') {
		int_start++;
		int_len--;
	}
	if (int_len > 2) {
		tenths = HOURS_MAX_TENTHS + 1;
	} else {
		for (size_t k = 0; k < int_len; k++)
			tenths = tenths * 10 + (s[int_start + k] - '0');
		tenths = tenths * 10 + (frac_len ? s[frac_start] - '0' : 0);
	}
	if (negative || tenths == 0) {
		sgz_err_set(err, SGZ_EDATA, "must be more than 0");
		return -1;
	}
	if (tenths > HOURS_MAX_TENTHS) {
		sgz_err_set(err, SGZ_EDATA, "must be at most 24 (one day)");
		return -1;
	}
	sb_reset(out);
	if (tenths % 10)
		sb_addf(out, "%d.%d", tenths / 10, tenths % 10);
	else
		sb_addf(out, "%d", tenths / 10);
	return 0;
}
