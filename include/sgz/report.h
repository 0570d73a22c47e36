/* report.h - the reports of spec/csv.md (Reports): the registry, running one
 * (the figures are the database's sgz.report_NAME functions, migration
 * 0005), and writing it as CSV or as text for people. */
#ifndef SGZ_REPORT_H
#define SGZ_REPORT_H

#include <stdio.h>

#include "sgz/db.h"
#include "sgz/util.h"

/* The period a report is taken over. */
enum report_period {
	REPORT_YEAR,	      /* --year YYYY: as of its 31 December; without it, today */
	REPORT_CONTRACT_YEAR, /* --year YYYY: the contract year; without it, this year */
	REPORT_MONTH,	      /* --month YYYY-MM: as of its last day; without it, this month */
};

struct report_def;

/* The report called name, or NULL. */
const struct report_def *report_find(const char *name);
/* The report names in the order of spec/csv.md; *n receives how many. */
const char *const *report_names(size_t *n);
const char *report_name(const struct report_def *def);
enum report_period report_period(const struct report_def *def);

#define REPORT_YEAR_MIN 2000
#define REPORT_YEAR_MAX 2100

struct report_params {
	/* Significant digits of a division code ("" = everything), or NULL
	 * for the caller's own scope. A scope wider than the caller's is
	 * narrowed to it; one outside it is an error. */
	const char *scope;
	int year;  /* 0 = the current year (as of today, or this month) */
	int month; /* REPORT_MONTH only: 1-12 with year, 0 = the current month */
};

struct report_result;

/* Runs def with p in a transaction of its own (none may be open). Returns 0
 * with *out set (Caller frees with report_result_free()), or -1 with err
 * set (SGZ_EUSAGE: a scope outside the caller's, a role without scope, a
 * database error). */
int report_run(struct db *db, const struct report_def *def, const struct report_params *p,
	       struct report_result **out, struct sgz_err *err);
void report_result_free(struct report_result *r);
long report_result_rows(const struct report_result *r);

/* Writes the report's CSV (spec/csv.md): header, then one record per row,
 * UTF-8, "\n" line ends. 0, or -1 on a write error (errno set). */
int report_write_csv(const struct report_result *r, FILE *out);
/* Writes the report for people: a title line (report, scope, date), then the
 * columns aligned in display columns (CJK text is two columns wide; the
 * locale's LC_CTYPE must be a UTF-8 one), numbers to the right, a bar after
 * each percentage, and a row count. 0, or -1 on a write error. */
int report_write_text(const struct report_result *r, FILE *out);

#endif
