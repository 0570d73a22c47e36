/* report.h - the reports of spec/csv.md (Reports): the registry, running one
 * (the figures are the database's sgz.report_NAME functions, migration
 * 0005), and writing it as CSV or as text for people. */
#ifndef SGZ_REPORT_H
#define SGZ_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "sgz/division.h"
#include "sgz/util.h"

/* Opaque here, so that the interface can run reports without libpq. */
struct db;

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
/* Whether def's rows are divisions of a level report_params.by chooses
 * (plan: --by province|prefecture|county|township). */
bool report_takes_by(const struct report_def *def);
/* "province", "prefecture", "county" or "township" into *level, 1-4: 0,
 * or -1 for anything else. */
int report_parse_by(const char *s, int *level);
/* The word of level 1-4 (county for any other). */
const char *report_by_name(int level);

#define REPORT_YEAR_MIN 2000
#define REPORT_YEAR_MAX 2100

/* ---- the parameters as typed (the command line, the interface) ---- */

/* YYYY from REPORT_YEAR_MIN to REPORT_YEAR_MAX into *year. 0 or -1. */
int report_parse_year(const char *s, int *year);
/* YYYY-MM, the year as above, into *year and *month. 0 or -1. */
int report_parse_month(const char *s, int *year, int *month);
/* A division code of 2, 4, 6, 9 or 12 digits into the significant digits
 * report_params.scope takes ("120110" for 120110000000). 0, or -1 with
 * the reason in err. */
int report_parse_scope(const char *s, char out[DIVISION_CODE_LEN + 1], struct sgz_err *err);

struct report_params {
	/* Significant digits of a division code ("" = everything), or NULL
	 * for the caller's own scope. A scope wider than the caller's is
	 * narrowed to it; one outside it is an error. */
	const char *scope;
	int year;  /* 0 = the current year (as of today, or this month) */
	int month; /* REPORT_MONTH only: 1-12 with year, 0 = the current month */
	/* report_takes_by() only: the level of its rows' divisions, 1
	 * province to 4 township; 0 = county */
	int by;
	/* seconds a hot standby's figures may be behind the primary before
	 * the result says so (report_result_lag()): [database] report_max_lag */
	int max_lag;
};

struct report_result;

/* Runs def with p in a transaction of its own (none may be open). Returns 0
 * with *out set (Caller frees with report_result_free()), or -1 with err
 * set (SGZ_EUSAGE: a scope outside the caller's, a role without scope, a
 * database error, a cancelled query; err->conn_lost when the connection
 * was lost). The queries wait through async.h's hook, so in the
 * interface Esc cancels a long one. */
int report_run(struct db *db, const struct report_def *def, const struct report_params *p,
	       struct report_result **out, struct sgz_err *err);
void report_result_free(struct report_result *r);
long report_result_rows(const struct report_result *r);
/* The day the figures are taken on, YYYY-MM-DD. Borrowed from r. */
const char *report_result_as_of(const struct report_result *r);
/* The division prefix the figures cover ("" = every division). Borrowed. */
const char *report_result_scope(const struct report_result *r);
/* Seconds the figures are behind the primary, when they came from a hot
 * standby that lags more than report_params.max_lag; else -1. */
long report_result_lag(const struct report_result *r);
/* Sets it (the tests; report_result_new() leaves it -1). */
void report_result_set_lag(struct report_result *r, long seconds);
/* The line that says so in the interface's language (i18n_lang()), "注意:
 * 备库落后主库 12 分钟 5 秒,…", as the text layout's second line has
 * it; NULL when the figures are current. Caller frees. */
char *report_lag_note(const struct report_result *r);

/* A result of cells computed elsewhere (a stored snapshot; the tests):
 * nrows rows of def's columns, row by row, NULL for no value; as_of
 * YYYY-MM-DD, scope and its name as report_run() gives them. ID numbers
 * are shown whole, as to an admin. Copies everything. Caller frees with
 * report_result_free(). */
struct report_result *report_result_new(const struct report_def *def, const char *as_of,
					const char *scope, const char *scope_name, long nrows,
					const char *const *cells);

/* What Enter on a row of a report opens (spec/work.md, Reports for
 * people: rows open what they count), declared by each report in the
 * registry: a record of a dictionary entity by the key the row's columns
 * give (a station's row: its station page), or the entity's list
 * restricted to the rows the figure of column counts (a worker's overdue
 * visits: those cases; a county's row: its stations). The interface
 * opens it through the generic form and list, which open a module's
 * screen where one is given (ui.h). */
#define REPORT_OPEN_ARGS 4
struct report_open {
	const char *entity; /* dict_entity.name; NULL: the rows open nothing */
	const char *column; /* the figure the rows opened are, NULL: the row */
	/* a record: its key fields' values, the row's columns in key order */
	const char *key[REPORT_OPEN_ARGS];
	/* or a list: an SQL condition over the entity's row t (of its
	 * masking view where it has one), $1... the row's columns args
	 * ("@as_of": the day the figures are taken on) */
	const char *where;
	const char *args[REPORT_OPEN_ARGS];
	const char *label; /* the row's column that names what the list is of */
	const char *what_zh, *what_en; /* after it: what the list holds */
};
/* What def's rows open; its entity NULL when nothing. */
const struct report_open *report_opens(const struct report_def *def);
/* The value of column name of row of r as the database gave it (masked
 * as the reader reads it), NULL for none or no such column. */
const char *report_result_cell(const struct report_result *r, long row, const char *name);
const struct report_def *report_result_def(const struct report_result *r);

/* Whether year-month is not after this_year-this_month: 0, or -1 for a
 * month still to come (refused: its figures do not exist yet). */
int report_month_check(int year, int month, int this_year, int this_month);

/* Writes the report's CSV (spec/csv.md): header, then one record per row,
 * UTF-8, "\n" line ends. With labels (--labels, work.md) the header is the
 * Chinese column titles and booleans and choices are their Chinese labels
 * (是/否, 优秀, 续签), a file for people. 0, or -1 on a write error (errno
 * set). */
int report_write_csv(const struct report_result *r, bool labels, FILE *out);
/* Writes the report to path as `sgz report -o` does, as text for people
 * (report_write_text()) or CSV (with labels as above): through a temporary
 * file beside it, renamed into place only when complete (a device or a
 * pipe is written as it is), the CSV with a UTF-8 byte order mark first
 * when path ends in .csv (Excel wants it). 0, or -1 with err set. */
int report_save(const struct report_result *r, bool text, bool labels, const char *path,
		struct sgz_err *err);
/* Writes the report to path as an Excel workbook (xlsx.h): the CSV's
 * columns under their Chinese titles (work.md's --labels headers), codes and
 * ID numbers as text, counts and figures as numbers (percentages and
 * hours with one decimal, money with two), booleans and choices as the
 * CSV's codes, or with labels their Chinese labels, the header frozen; the
 * document's title names the report, scope and date. "-" is standard
 * output. 0, or -1 with err set. */
int report_save_xlsx(const struct report_result *r, bool labels, const char *path,
		     struct sgz_err *err);
/* Writes the report for people in the interface's language (i18n_lang()),
 * one line each: a title line (report, scope, date), an empty line (or
 * report_lag_note() when a standby's figures lag), the column headings, a rule of dashes under each column (columns are
 * separated by two spaces), one line per row, then, when there are rows,
 * a rule and the row 合计 / Total (the sum of every column that adds up, a
 * share recomputed from the totals of its parts, nothing under the rest),
 * and the row count. Booleans and choices show as their labels (是/否,
 * 优秀, 续签). Columns are aligned in display columns (CJK text is two
 * columns wide; the locale's LC_CTYPE must be a UTF-8 one), numbers to the
 * right, a bar after each percentage. 0, or -1 on a write error. */
int report_write_text(const struct report_result *r, FILE *out);
/* The lines of report_write_text() before the first row, and after the
 * last (report_text_tail(): the rule and the Total row, then the count). */
#define REPORT_TEXT_HEAD 4
int report_text_tail(const struct report_result *r);

/* ---- the figures of the Total row (pure; for the tests) ---- */

#define REPORT_DECIMAL_LEN 32
/* A decimal of at most scale decimals ("12", "12.5", "-3.25") as an integer
 * of 10^-scale units into *out (12.5 at scale 2 is 1250). 0, or -1 for
 * anything else or an overflow. */
int report_decimal_parse(const char *s, int scale, long long *out);
/* v units of 10^-scale as a decimal with exactly scale decimals. */
void report_decimal_format(long long v, int scale, char out[REPORT_DECIMAL_LEN]);
/* 100 × part / whole with one decimal, rounded half away from zero (csv.md).
 * 0, or -1 for an empty whole (the cell stays empty). */
int report_share(long long part, long long whole, char out[REPORT_DECIMAL_LEN]);

#endif
