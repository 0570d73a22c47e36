/* date.h - calendar dates as accepted on import (spec/csv.md). */
#ifndef SGZ_DATE_H
#define SGZ_DATE_H

#include "sgz/util.h"

struct sgz_date {
	int year, month, day;
};

/* Parses YYYY-MM-DD, YYYY/M/D or YYYY年M月D日 (month and day of 1 or 2
 * digits in each form, surrounding blanks ignored, years 1800-9999). 0, or
 * -1 with err set (SGZ_EDATA) and out untouched. */
int date_parse(const char *s, struct sgz_date *out, struct sgz_err *err);
/* Writes YYYY-MM-DD (11 bytes with the NUL). */
void date_format(const struct sgz_date *d, char out[11]);
/* 1 if y-m-d is a real calendar day. */
int date_valid(int y, int m, int d);
/* Today in local time. */
void date_today(struct sgz_date *out);
/* <0, 0, >0 like strcmp. */
int date_cmp(const struct sgz_date *a, const struct sgz_date *b);

#endif
