/* date.c - calendar dates as accepted on import (spec/csv.md). */
#include "config.h"

#include "sgz/date.h"

#include <string.h>
#include <time.h>

#define DATE_MIN_YEAR 1800
#define DATE_MAX_YEAR 9999

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly min..max digits at *p into *out, advancing *p. 0 or -1. */
static int digits(const char **p, int min, int max, int *out)
{
	const char *s = *p;
	int v = 0, n = 0;

	while (n < max && is_digit(s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n < min || is_digit(s[n]))
		return -1;
	*p = s + n;
	*out = v;
	return 0;
}

/* Reads sep (one or more bytes) at *p, advancing *p. 0 or -1. */
static int expect(const char **p, const char *sep)
{
	size_t n = strlen(sep);

	if (strncmp(*p, sep, n))
		return -1;
	*p += n;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int date_parse(const char *s, struct sgz_date *out, struct sgz_err *err)
{
	/* The separators after year, month and day of each accepted form. */
	static const char *const forms[][3] = {
	    {"-", "-", ""},
	    {"/", "/", ""},
	    {"\xE5\xB9\xB4", "\xE6\x9C\x88", "\xE6\x97\xA5"}, /* 年 月 日 */
	};
	int y, m, d;
	size_t i;

	while (is_blank(*s))
		s++;
	for (i = 0; i < SGZ_ARRAY_LEN(forms); i++) {
		const char *p = s;

		if (digits(&p, 4, 4, &y) || expect(&p, forms[i][0]) || digits(&p, 1, 2, &m) ||
		    expect(&p, forms[i][1]) || digits(&p, 1, 2, &d) || expect(&p, forms[i][2]))
			continue;
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
	}
	if (i == SGZ_ARRAY_LEN(forms)) {
		sgz_err_set(err, SGZ_EDATA, "not a date (expected YYYY-MM-DD)");
		return -1;
	}
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) {
		sgz_err_set(err, SGZ_EDATA, "year out of range (%d to %d): %d", DATE_MIN_YEAR,
			    DATE_MAX_YEAR, y);
		return -1;
	}
	if (m < 1 || m > 12) {
		sgz_err_set(err, SGZ_EDATA, "no such month: %04d-%02d", y, m);
		return -1;
	}
	if (!date_valid(y, m, d)) {
		sgz_err_set(err, SGZ_EDATA, "no such day: %04d-%02d-%02d", y, m, d);
		return -1;
	}
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
}

static void put_digits(char *out, int v, int n)
{
	while (n--) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(const struct sgz_date *d, char out[11])
{
	put_digits(out, d->year, 4);
	out[4] = '-';
	put_digits(out + 5, d->month, 2);
	out[7] = '-';
	put_digits(out + 8, d->day, 2);
	out[10] = '\0';
}

void date_today(struct sgz_date *out)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
}

int date_cmp(const struct sgz_date *a, const struct sgz_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}
