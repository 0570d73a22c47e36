/* fuzz_date.c - libFuzzer target: the date parser (src/core/date.c).
 *
 * Besides the sanitizers, it checks what date.h promises: a date that
 * parses is a real calendar day from 1800 to 9999, and its YYYY-MM-DD form
 * parses back to the same day; a refusal says why and leaves out alone.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/date.h"
#include "sgz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_date: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct sgz_date d = {-1, -1, -1}, again;
	struct sgz_err err;
	char text[11];

	sgz_err_clear(&err);
	if (date_parse(s, &d, &err) < 0) {
		check(err.status == SGZ_EDATA && err.msg[0], "a date refused without a reason");
		check(d.year == -1 && d.month == -1 && d.day == -1, "a refused date wrote out");
		goto out;
	}
	check(d.year >= 1800 && d.year <= 9999, "a year out of range passed");
	check(date_valid(d.year, d.month, d.day), "an impossible day passed");
	date_format(&d, text);
	check(strlen(text) == 10, "a formatted date not of 10 characters");
	check(date_parse(text, &again, &err) == 0, "a formatted date does not parse");
	check(date_cmp(&d, &again) == 0, "a formatted date parses to another day");
	check(date_cmp(&d, &d) == 0, "a date differs from itself");
out:
	/* any three numbers: date_valid() only says yes or no */
	if (size >= 3 * sizeof(int)) {
		int v[3];

		memcpy(v, data, sizeof(v));
		if (date_valid(v[0], v[1], v[2]))
			check(v[0] >= 1 && v[1] >= 1 && v[1] <= 12 && v[2] >= 1 && v[2] <= 31,
			      "date_valid() took an impossible day");
	}
	free(s);
	return 0;
}
