/* transfer.h - the generic CSV import and export engine over the data
 * dictionary: COPY into a staging table, checks, one INSERT ... SELECT. */
#ifndef SGZ_TRANSFER_H
#define SGZ_TRANSFER_H

#include <stdio.h>

#include "sgz/csv.h"
#include "sgz/db.h"
#include "sgz/dict.h"

struct import_opts {
	const char *path; /* "-" = standard input */
	enum csv_encoding encoding;
	int dry_run;
	int progress; /* progress on stderr (when it is a terminal) */
	FILE *errors; /* where the FILE:LINE:COLUMN messages go */
};

struct import_result {
	long rows;     /* data rows read */
	long rejected; /* rows with at least one error */
	long errors;   /* error messages written */
	long warnings;
};

/* Imports a CSV file into entity e, all or nothing. Returns 0 when the rows
 * were written (or were all valid on a dry run), or -1: err->status 1 when
 * the data was refused (messages already written), 2 for other failures. */
int import_run(struct db *db, const struct dict_entity *e, const struct import_opts *opts,
	       struct import_result *res, struct sgz_err *err);

struct export_opts {
	const char *path;  /* "-" = standard output */
	const char *scope; /* normalised division code prefix, or NULL */
	/* --labels (work.md): the Chinese column titles, and booleans and
	 * choices as their Chinese labels (dict_value_label()), a file for
	 * people that import still reads back unchanged */
	int labels;
};

/* Writes entity e as CSV in the import format, sorted by key. A path ending
 * in .csv gets a UTF-8 BOM; the file appears only when complete. *rows gets
 * the row count. Returns 0 or -1 with err set. */
int export_run(struct db *db, const struct dict_entity *e, const struct export_opts *opts,
	       long *rows, struct sgz_err *err);

/* Writes entity e as an Excel workbook (xlsx.h): the columns and rows of
 * export_run(), under the Chinese titles (the labels import reads too), each
 * cell of its field's type: text for codes, ID numbers and phones, dates,
 * numbers, money with two decimals; booleans and choices as the CSV's
 * words, or with labels their Chinese labels. Rows are streamed from the server (single-row mode) into the
 * workbook. Audited as export_run() is. Returns 0 or -1 with err set. */
int export_xlsx_run(struct db *db, const struct dict_entity *e, const struct export_opts *opts,
		    long *rows, struct sgz_err *err);

/* Appends the SELECT of an export: the columns of e over its table, within
 * the prefix transfer_export_scope() set when scoped, sorted by key. */
void transfer_export_select(struct strbuf *sql, const struct dict_entity *e, int scoped);
/* Sets the scope transfer_export_select() reads: a normalised division
 * code, cut to its significant digits. 0 or -1 with err set. */
int transfer_export_scope(struct db *db, const char *scope, struct sgz_err *err);
/* Records an export of rows rows of e in the audit trail (rules.md: an
 * export the trail cannot record fails). 0 or -1 with err set. */
int transfer_export_audit(struct db *db, const struct dict_entity *e, const char *scope, long rows,
			  struct sgz_err *err);

/* Appends the SQL expression giving the canonical text of column f of the
 * row called alias, as export writes it and import reads it back. */
void transfer_export_expr(struct strbuf *sb, const struct dict_field *f, const char *alias);

/* Appends the exported columns of e as "expr AS column, ..." over the row
 * called t, in the import format's order. */
void transfer_export_columns(struct strbuf *sb, const struct dict_entity *e);

#endif
