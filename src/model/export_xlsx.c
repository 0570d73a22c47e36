/* export_xlsx.c - sgz export -o FILE.xlsx: the export's rows as an Excel
 * workbook, each cell of the type its field has in the data dictionary.
 * The rows come from the server one at a time (libpq's single-row mode)
 * and go straight into the workbook, which holds none of them. */
#include "config.h"

#include "sgz/transfer.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/xlsx.h"

/* Whether a column of this SQL type holds numbers (a field kept as text for
 * a validator of its own, such as hours). */
static int numeric_sql_type(const char *t)
{
	static const char *const types[] = { "numeric", "integer", "smallint", "bigint" };

	for (size_t i = 0; t && i < SGZ_ARRAY_LEN(types); i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

/* The cell type of field f. Booleans and choices are the CSV's words
 * (yes/no, codes), or with --labels their Chinese labels, which import
 * reads back either way; lists are text. */
static struct xlsx_column field_column(const struct dict_field *f)
{
	struct xlsx_column c = { .title = f->label_zh ? f->label_zh : f->column,
				 .type = XLSX_TEXT,
				 .decimals = -1 };

	switch (f->type) {
	case DT_TEXT:
		if (numeric_sql_type(f->sql_type)) {
			c.type = XLSX_NUMBER;
			c.decimals = f->scale;
		}
		break;
	case DT_DIVISION:
	case DT_PATTERN:
	case DT_BOOL:
	case DT_CHOICE:
	case DT_CHOICES:
	case DT_DIVISIONS:
		break;
	case DT_DATE:
		c.type = XLSX_DATE;
		break;
	case DT_INT:
		c.type = XLSX_NUMBER;
		c.decimals = 0;
		break;
	case DT_NUMBER:
		c.type = XLSX_NUMBER;
		c.decimals = f->scale;
		break;
	case DT_MONEY:
		c.type = XLSX_MONEY;
		break;
	}
	return c;
}

/* Stops the query whose rows are no longer wanted; the rest is drained. */
static void cancel(PGconn *conn)
{
	char msg[256];
	PGcancel *cn = PQgetCancel(conn);

	if (cn) {
		PQcancel(cn, msg, sizeof(msg));
		PQfreeCancel(cn);
	}
}

int export_xlsx_run(struct db *db, const struct dict_entity *e, const struct export_opts *opts,
		    long *rows, struct sgz_err *err)
{
	struct xlsx_column *cols = xcalloc(e->nfields, sizeof(*cols));
	const struct dict_field **fields = xcalloc(e->nfields, sizeof(*fields));
	const char **cells = xcalloc(e->nfields, sizeof(*cells));
	struct strbuf *vals = xcalloc(e->nfields, sizeof(*vals));
	const char *label = e->label_zh ? e->label_zh : e->name;
	struct xlsx_opts xo = { .sheet = label, .title = label };
	struct xlsx_writer *w = NULL;
	struct strbuf sql = { 0 };
	PGconn *conn = db_pgconn(db);
	PGresult *res;
	int scoped = opts->scope && e->scope_column, failed = 0, rc = -1;
	size_t n = 0;

	*rows = 0;
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & DF_NOEXPORT)
			continue;
		fields[n] = &e->fields[i];
		cols[n++] = field_column(&e->fields[i]);
	}
	if (!(w = xlsx_open(opts->path, cols, n, &xo, err)))
		goto out;
	if (scoped && transfer_export_scope(db, opts->scope, err) < 0)
		goto out;
	transfer_export_select(&sql, e, scoped);
	if (!db_pq_send(db, sb_str(&sql)) || !PQsetSingleRowMode(conn)) {
		sgz_err_set(err, SGZ_EUSAGE, "export failed: %s", PQerrorMessage(conn));
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
		goto out;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (failed)
				break;
			for (size_t c = 0; c < n; c++) {
				cells[c] = PQgetisnull(res, 0, (int)c) ? NULL
								       : PQgetvalue(res, 0, (int)c);
				if (opts->labels && cells[c]) {
					sb_reset(&vals[c]);
					dict_value_label(fields[c], cells[c], &vals[c]);
					cells[c] = sb_str(&vals[c]);
				}
			}
			if (xlsx_add_row(w, cells, err) < 0) {
				failed = 1;
				cancel(conn);
			}
			break;
		case PGRES_TUPLES_OK:
			break;
		default:
			if (!failed)
				db_result_error(res, err);
			failed = 1;
			break;
		}
		PQclear(res);
	}
	if (failed)
		goto out;
	*rows = xlsx_rows(w);
	/* rules.md: every export is audited; the file appears only when the
	 * trail has it, as export_run()'s does */
	if (xlsx_finish(w, err) < 0 || transfer_export_audit(db, e, opts->scope, *rows, err) < 0 ||
	    xlsx_commit(w, err) < 0)
		goto out;
	rc = 0;
out:
	xlsx_free(w);
	sb_free(&sql);
	for (size_t c = 0; c < e->nfields; c++)
		sb_free(&vals[c]);
	free(vals);
	free(cells);
	free(fields);
	free(cols);
	return rc;
}
