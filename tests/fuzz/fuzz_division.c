/* fuzz_division.c - libFuzzer target: division codes (src/core/division.c).
 *
 * Besides the sanitizers, it checks what division.h promises: a code that
 * passes comes out as 12 digits that pass again unchanged; its parents lead
 * up to its province, each of a higher level and each a valid code itself;
 * its significant digits alone normalise to it too.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/division.h"
#include "sgz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_division: %s\n", what);
		abort();
	}
}

/* Significant digits of each level: a code of that level may be cut to them. */
static const size_t level_digits[] = {0, 2, 4, 6, 9, 12};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	char code[DIVISION_CODE_LEN + 1], again[DIVISION_CODE_LEN + 1];
	char parent[DIVISION_CODE_LEN + 1], cut[DIVISION_CODE_LEN + 1];
	struct sgz_err err;
	enum division_level level;
	int steps = 0;

	sgz_err_clear(&err);
	if (division_code_normalize(s, code, &err) < 0) {
		check(err.status == SGZ_EDATA && err.msg[0], "a code refused without a reason");
		goto out;
	}
	check(strlen(code) == DIVISION_CODE_LEN && strspn(code, "0123456789") == DIVISION_CODE_LEN,
	      "a normalised code not of 12 digits");
	check(division_code_normalize(code, again, &err) == 0 && !strcmp(code, again),
	      "normalising a code twice changes it");
	level = division_level(code);
	check(level >= DIV_PROVINCE && level <= DIV_VILLAGE, "a level out of range");
	check(strcmp(division_level_name(level), "unknown") != 0, "a level without a name");
	(void)division_township_kind(code);

	/* Cut to its level's digits (a township of a prefecture without
	 * counties, 441900003000, to 9 as any township), it is the same. */
	memcpy(cut, code, level_digits[level]);
	cut[level_digits[level]] = '\0';
	check(division_code_normalize(cut, again, &err) == 0 && !strcmp(code, again),
	      "a code's significant digits do not normalise to it");

	memcpy(parent, code, sizeof(code));
	while (division_parent(parent, parent) == 0) {
		enum division_level up = division_level(parent);

		check(up < level, "a parent not above its child");
		check(!strncmp(parent, code, 2), "a parent in another province");
		check(division_code_normalize(parent, again, &err) == 0 && !strcmp(parent, again),
		      "a parent that is not a valid code");
		level = up;
		check(++steps < 5, "too many parents");
	}
	check(level == DIV_PROVINCE, "the parents stop short of the province");
out:
	free(s);
	return 0;
}
