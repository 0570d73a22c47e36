/* division.c - 12-digit statistical division codes: PP CC DD TTT VVV. */
#include "config.h"

#include "sgz/division.h"

#include <stddef.h>
#include <string.h>

/* Offsets and lengths of the five segments. */
static const struct {
	unsigned char off, len;
	const char *name;
} segments[] = {
    {0, 2, "province"}, {2, 2, "prefecture"}, {4, 2, "county"},
    {6, 3, "township"}, {9, 3, "village"},
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int segment_is_zero(const char *code, size_t seg)
{
	for (size_t i = 0; i < segments[seg].len; i++)
		if (code[segments[seg].off + i] != '0')
			return 0;
	return 1;
}

/* Segments in the order that must not go from zero to non-zero. */
static const size_t order[] = {0, 1, 3, 4};

static int zero_above(const char *code, size_t zero, size_t nonzero, struct sgz_err *err)
{
	sgz_err_set(err, SGZ_EDATA,
		    "division code %s: the %s digits are zero but the %s digits are not", code,
		    segments[zero].name, segments[nonzero].name);
	return -1;
}

/* How much of s (n bytes) to quote in a message: at most 40 bytes, cut on
 * a UTF-8 character boundary. */
static int quote_len(const char *s, size_t n)
{
	if (n <= 40)
		return (int)n;
	n = 40;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

int division_code_normalize(const char *in, char out[DIVISION_CODE_LEN + 1], struct sgz_err *err)
{
	const char *s = in;
	char code[DIVISION_CODE_LEN + 1];
	size_t n;
	size_t zero = SGZ_ARRAY_LEN(segments);

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	if (n == 0) {
		sgz_err_set(err, SGZ_EDATA, "division code is empty");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			sgz_err_set(err, SGZ_EDATA,
				    "division code may hold only the digits 0-9: \"%.*s\"",
				    quote_len(s, n), s);
			return -1;
		}
	}
	if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12) {
		sgz_err_set(err, SGZ_EDATA,
			    "division code must have 2, 4, 6, 9 or 12 digits: \"%.*s\" has %zu",
			    quote_len(s, n), s, n);
		return -1;
	}
	memcpy(code, s, n);
	memset(code + n, '0', DIVISION_CODE_LEN - n);
	code[DIVISION_CODE_LEN] = '\0';

	if (segment_is_zero(code, 0)) {
		sgz_err_set(err, SGZ_EDATA, "division code %s: the province digits are 00", code);
		return -1;
	}
	/* Once a segment is zero, all below must be too; the county segment
	 * alone may be 00 above a township, for the prefectures without
	 * counties (441900003000 is a township of 441900000000). */
	for (size_t k = 1; k < SGZ_ARRAY_LEN(order); k++) {
		size_t i = order[k];

		if (segment_is_zero(code, i)) {
			if (zero == SGZ_ARRAY_LEN(segments))
				zero = i;
		} else if (zero != SGZ_ARRAY_LEN(segments)) {
			return zero_above(code, zero, i, err);
		}
	}
	if (segment_is_zero(code, 1) && !segment_is_zero(code, 2))
		return zero_above(code, 1, 2, err);
	memcpy(out, code, sizeof(code));
	return 0;
}

enum division_level division_level(const char *code)
{
	if (!segment_is_zero(code, 4))
		return DIV_VILLAGE;
	if (!segment_is_zero(code, 3))
		return DIV_TOWNSHIP;
	if (!segment_is_zero(code, 2))
		return DIV_COUNTY;
	if (!segment_is_zero(code, 1))
		return DIV_PREFECTURE;
	return DIV_PROVINCE;
}

int division_parent(const char *code, char out[DIVISION_CODE_LEN + 1])
{
	size_t keep = 0;

	switch (division_level(code)) {
	case DIV_PROVINCE:
		return -1;
	case DIV_PREFECTURE:
		keep = 2;
		break;
	case DIV_COUNTY:
		keep = 4;
		break;
	case DIV_TOWNSHIP:
		/* County segment 00 (no counties): this gives the prefecture. */
		keep = 6;
		break;
	case DIV_VILLAGE:
		keep = 9;
		break;
	}
	memmove(out, code, keep); /* out may be code */
	memset(out + keep, '0', DIVISION_CODE_LEN - keep);
	out[DIVISION_CODE_LEN] = '\0';
	return 0;
}

const char *division_level_name(enum division_level level)
{
	switch (level) {
	case DIV_PROVINCE:
		return "province";
	case DIV_PREFECTURE:
		return "prefecture";
	case DIV_COUNTY:
		return "county";
	case DIV_TOWNSHIP:
		return "township";
	case DIV_VILLAGE:
		return "village";
	}
	return "unknown";
}

const char *division_township_kind(const char *code)
{
	int t = (code[6] - '0') * 100 + (code[7] - '0') * 10 + (code[8] - '0');

	if (t >= 1 && t <= 99)
		return "street";
	if (t >= 100 && t <= 199)
		return "town";
	if (t >= 200 && t <= 399)
		return "township";
	if (t >= 400 && t <= 599)
		return "zone";
	return NULL;
}
