/* division.h - 12-digit statistical division codes (spec/csv.md, rules.md). */
#ifndef SGZ_DIVISION_H
#define SGZ_DIVISION_H

#include "sgz/util.h"

#define DIVISION_CODE_LEN 12

enum division_level {
	DIV_PROVINCE = 1,
	DIV_PREFECTURE = 2,
	DIV_COUNTY = 3,
	DIV_TOWNSHIP = 4,
	DIV_VILLAGE = 5,
};

/* Normalises a code of 2, 4, 6, 9 or 12 digits (surrounding blanks
 * ignored) to 12 digits in out. Returns 0, or -1 with the reason in err. */
int division_code_normalize(const char *in, char out[DIVISION_CODE_LEN + 1], struct sgz_err *err);
/* Level of a normalised code. */
enum division_level division_level(const char *code);
/* The parent code derived from the code alone: zero the lowest non-zero
 * segment, skipping the empty county segment of prefecture-level cities
 * without counties (441900003000 -> 441900000000). 0, or -1 for a province. */
int division_parent(const char *code, char out[DIVISION_CODE_LEN + 1]);
/* English level name: province, prefecture, county, township, village. */
const char *division_level_name(enum division_level level);
/* Township kind from digits 7-9 (rules.md): street, town, township, zone. */
const char *division_township_kind(const char *code);

#endif
