/* xlsx.h - Excel workbooks for people (libxlsxwriter): typed columns under a
 * frozen header row, written a row at a time in libxlsxwriter's constant
 * memory mode, so that a million rows cost no more memory than ten. The
 * cell types keep what spreadsheets otherwise mangle: an ID number stays
 * its 18 characters, not 1.20110197507205E+17. */
#ifndef SGZ_XLSX_H
#define SGZ_XLSX_H

#include <stddef.h>

#include "sgz/util.h"

/* What a column's cells are. A value that does not read as its type (a
 * date before 1900, a number with a unit) is written as text, never lost. */
enum xlsx_type {
	XLSX_TEXT,   /* a string cell in a column formatted as text (@): codes, ID
			numbers and phones stay as they are, even when edited */
	XLSX_DATE,   /* YYYY-MM-DD: a date, shown as yyyy-mm-dd */
	XLSX_NUMBER, /* a number, shown with `decimals` decimals (-1: as it is) */
	XLSX_MONEY,  /* a number shown with two decimals and thousands separators */
};

struct xlsx_column {
	const char *title; /* the header cell */
	enum xlsx_type type;
	int decimals; /* XLSX_NUMBER */
};

struct xlsx_opts {
	const char *sheet; /* the sheet's name (at most 31 characters; []:*?/\ become _) */
	const char *title; /* the document's title (its properties and the printed
			      page's header), or NULL */
	/* Rows per sheet, the header included; 0 = Excel's 1,048,576. More
	 * rows continue on a new sheet "NAME (2)" under the same header. */
	long sheet_rows;
};

struct xlsx_writer;

/* Starts a workbook for path: "-" is standard output; a path that is not a
 * regular file (a pipe, a device) is written as it is; any other is
 * written beside it and renamed into place by xlsx_commit(), so that it
 * appears only whole. The header row is written. Returns the writer
 * (Caller frees with xlsx_free()), or NULL with err set (SGZ_EUSAGE). */
struct xlsx_writer *xlsx_open(const char *path, const struct xlsx_column *cols, size_t ncols,
			      const struct xlsx_opts *opts, struct sgz_err *err);
/* Writes one row of ncols cells; NULL or "" is an empty cell. 0, or -1
 * with err set. */
int xlsx_add_row(struct xlsx_writer *w, const char *const *cells, struct sgz_err *err);
/* Data rows written so far. */
long xlsx_rows(const struct xlsx_writer *w);
/* Completes the workbook (column widths from the widest cell, the header's
 * filter) in its temporary file. 0, or -1 with err set. */
int xlsx_finish(struct xlsx_writer *w, struct sgz_err *err);
/* Puts the finished workbook in place: renamed to path, or copied to
 * standard output, the pipe or the device. 0, or -1 with err set. */
int xlsx_commit(struct xlsx_writer *w, struct sgz_err *err);
/* Frees w; a workbook not committed leaves no file behind. NULL is fine. */
void xlsx_free(struct xlsx_writer *w);

/* Whether path names a workbook: it ends in .xlsx (any case). */
int xlsx_path(const char *path);

#endif
