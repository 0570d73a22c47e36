/* export.c - the generic CSV export over the data dictionary: COPY (SELECT
 * ...) TO STDOUT in the import format, sorted by key, so that importing the
 * file again changes nothing. */
#include "config.h"

#include "sgz/transfer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sgz/division.h"

/* The canonical text of column f of the row called alias, as import reads
 * it back. Used by import.c too, to fill the columns a file lacks. */
void transfer_export_expr(struct strbuf *sb, const struct dict_field *f, const char *alias)
{
	struct strbuf col = {0};
	const char *c;

	dict_column_sql(f, alias, &col);
	c = sb_str(&col);
	switch (f->type) {
	case DT_TEXT:
	case DT_DIVISION:
	case DT_CHOICE:
	case DT_PATTERN:
		if (f->sql_type)
			sb_addf(sb, "%s::text", c);
		else
			sb_adds(sb, c);
		break;
	case DT_DATE:
		sb_addf(sb, "to_char(%s, 'YYYY-MM-DD')", c);
		break;
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
		sb_addf(sb, "%s::text", c);
		break;
	case DT_BOOL:
		sb_addf(sb, "CASE WHEN %s THEN 'yes' WHEN NOT %s THEN 'no' END", c, c);
		break;
	case DT_CHOICES:
	case DT_DIVISIONS:
		sb_addf(sb, "nullif(array_to_string(%s, ';'), '')", c);
		break;
	}
	sb_free(&col);
}

static int ends_with_csv(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

void transfer_export_columns(struct strbuf *sb, const struct dict_entity *e)
{
	int first = 1;

	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & DF_NOEXPORT)
			continue;
		if (!first)
			sb_adds(sb, ", ");
		transfer_export_expr(sb, &e->fields[i], "t");
		sb_addf(sb, " AS \"%s\"", e->fields[i].column);
		first = 0;
	}
}

/* The dictionary name of the people a person field of e names (a
 * volunteer of the hours: "volunteers"), as sgz.person_numbers() files
 * it in the trail. */
static const char *people_of(const struct dict_entity *e, const struct dict_field *f)
{
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	if (!f->pick_table)
		return e->name;
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i]->table, f->pick_table) == 0)
			return all[i]->name;
	return f->pick_table;
}

/* Field i of e as exported from the row t: a person's full number from
 * the numbers joined as n<i> (none for a person outside the user's scope:
 * import refuses the line), a person's own name as written from the
 * numbers of his key (users who are not admins may not read a recipient's
 * name, 0017). */
static void add_export_cell(struct strbuf *sb, const struct dict_entity *e, size_t i, long key)
{
	const struct dict_field *f = &e->fields[i];

	if (e->view && f->pid_column)
		sb_addf(sb, "n%zu.id_number", i);
	else if (e->view && f->export_sql)
		sb_adds(sb, f->export_sql);
	else if (e->view && key >= 0 && (f->flags & DF_PINYIN))
		sb_addf(sb, "n%ld.name", key);
	else
		transfer_export_expr(sb, f, "t");
}

/* The rows of an entity naming people (dict_entity.view) are read from its
 * table, as the user's row-level security gives them, but for the people's
 * numbers, which users who are not admins may not read there (migration
 * 0017): those come in full, as import reads them back, from
 * sgz.person_numbers() by the rows' pid columns, which files one trail
 * entry of how many it gave. */
void transfer_export_select(struct strbuf *sql, const struct dict_entity *e, int scoped)
{
	int first = 1;
	long key = -1; /* the field holding the people's own numbers */

	for (size_t i = 0; e->view && i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && e->fields[i].pid_column &&
		    !e->fields[i].pick_table)
			key = (long)i;
	sb_adds(sql, "SELECT ");
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & DF_NOEXPORT)
			continue;
		if (!first)
			sb_adds(sql, ", ");
		add_export_cell(sql, e, i, key);
		sb_addf(sql, " AS \"%s\"", e->fields[i].column);
		first = 0;
	}
	sb_addf(sql, " FROM %s t", e->table);
	for (size_t i = 0; e->view && i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (f->pid_column && !(f->flags & DF_NOEXPORT))
			sb_addf(sql,
				"\n  LEFT JOIN sgz.person_numbers('%s') n%zu ON n%zu.pid = t.%s",
				people_of(e, f), i, i, f->pid_column);
	}
	if (scoped)
		sb_addf(sql, " WHERE t.%s LIKE current_setting('sgz.export_scope') || '%%'",
			e->scope_column);
	sb_adds(sql, " ORDER BY ");
	first = 1;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & DF_KEY))
			continue;
		if (!first)
			sb_adds(sql, ", ");
		if (e->view && e->fields[i].pid_column)
			add_export_cell(sql, e, i, key);
		else
			sb_addf(sql, "t.%s", e->fields[i].column);
		first = 0;
	}
}

static void build_select(const struct dict_entity *e, int scoped, struct strbuf *sql)
{
	sb_adds(sql, "COPY (");
	transfer_export_select(sql, e, scoped);
	sb_adds(sql, ") TO STDOUT WITH (FORMAT csv, HEADER true)");
}

/* The significant digits of a normalised division code: 2, 4, 6, 9 or 12. */
static size_t scope_prefix_len(const char *code)
{
	static const size_t len[] = { 0, 2, 4, 6, 9, 12 };

	return len[division_level(code)];
}

int transfer_export_scope(struct db *db, const char *scope, struct sgz_err *err)
{
	char prefix[DIVISION_CODE_LEN + 1];
	const char *params[1] = { prefix };

	snprintf(prefix, sizeof(prefix), "%.*s", (int)scope_prefix_len(scope), scope);
	return db_exec(db, "SELECT set_config('sgz.export_scope', $1, false)", 1, params, err) < 0
		       ? -1
		       : 0;
}

int transfer_export_audit(struct db *db, const struct dict_entity *e, const char *scope, long rows,
			  struct sgz_err *err)
{
	char nrows[24];
	const char *params[4] = { e->table, e->name, scope, nrows };

	snprintf(nrows, sizeof(nrows), "%ld", rows);
	return db_exec(db,
		       "SELECT sgz.audit_event('export', $1, jsonb_build_object('entity', $2::text, "
		       "'scope', $3::text, 'rows', $4::bigint), $3)",
		       4, params, err) < 0
		       ? -1
		       : 0;
}

/* The rows in the import format as the server writes them (COPY), header
 * first, into out; *n gets how many. 0 or -1 with err set. */
static int copy_rows(struct db *db, const struct dict_entity *e, int scoped, FILE *out, long *n,
		     struct sgz_err *err)
{
	struct strbuf sql = { 0 };
	PGresult *res;
	char *buf;
	int len, header = 1;

	build_select(e, scoped, &sql);
	res = db_pq_exec(db, sb_str(&sql));
	sb_free(&sql);
	if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
		db_result_error(res, err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	while ((len = PQgetCopyData(db_pgconn(db), &buf, 0)) > 0) {
		fwrite(buf, 1, (size_t)len, out);
		PQfreemem(buf);
		if (header)
			header = 0;
		else
			(*n)++;
	}
	while ((res = PQgetResult(db_pgconn(db))) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !err->msg[0])
			db_result_error(res, err);
		PQclear(res);
	}
	if (len == -2 || err->msg[0]) {
		if (!err->msg[0])
			sgz_err_set(err, SGZ_EUSAGE, "export failed: %s",
				    PQerrorMessage(db_pgconn(db)));
		return -1;
	}
	return 0;
}

/* The rows of copy_rows() for people (--labels): the Chinese titles, and
 * each cell as dict_value_label() gives it, a row at a time from the
 * server (single-row mode). 0 or -1 with err set. */
static int labelled_rows(struct db *db, const struct dict_entity *e, int scoped, FILE *out,
			 long *n, struct sgz_err *err)
{
	const struct dict_field **fields = xcalloc(e->nfields, sizeof(*fields));
	const char **cells = xcalloc(e->nfields, sizeof(*cells));
	struct strbuf sql = { 0 }, line = { 0 }, *vals = xcalloc(e->nfields, sizeof(*vals));
	PGconn *conn = db_pgconn(db);
	PGresult *res;
	size_t nf = 0;
	int rc = 0;

	for (size_t i = 0; i < e->nfields; i++)
		if (!(e->fields[i].flags & DF_NOEXPORT))
			fields[nf++] = &e->fields[i];
	for (size_t c = 0; c < nf; c++)
		cells[c] = fields[c]->label_zh ? fields[c]->label_zh : fields[c]->column;
	csv_write_record(&line, cells, nf);
	fwrite(line.buf, 1, line.len, out);
	transfer_export_select(&sql, e, scoped);
	if (!db_pq_send(db, sb_str(&sql)) || !PQsetSingleRowMode(conn)) {
		sgz_err_set(err, SGZ_EUSAGE, "export failed: %s", PQerrorMessage(conn));
		rc = -1;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			for (size_t c = 0; c < nf; c++) {
				sb_reset(&vals[c]);
				cells[c] = NULL;
				if (PQgetisnull(res, 0, (int)c))
					continue;
				dict_value_label(fields[c], PQgetvalue(res, 0, (int)c), &vals[c]);
				cells[c] = sb_str(&vals[c]);
			}
			sb_reset(&line);
			csv_write_record(&line, cells, nf);
			fwrite(line.buf, 1, line.len, out);
			(*n)++;
			break;
		case PGRES_TUPLES_OK:
			break;
		default:
			if (rc == 0)
				db_result_error(res, err);
			rc = -1;
			break;
		}
		PQclear(res);
	}
	for (size_t c = 0; c < e->nfields; c++)
		sb_free(&vals[c]);
	free(vals);
	sb_free(&line);
	sb_free(&sql);
	free(cells);
	free(fields);
	return rc;
}

int export_run(struct db *db, const struct dict_entity *e, const struct export_opts *opts,
	       long *rows, struct sgz_err *err)
{
	int to_stdout = strcmp(opts->path, "-") == 0;
	char *tmp = NULL;
	FILE *out = stdout;
	int rc = -1, scoped = opts->scope && e->scope_column;
	long n = 0;

	*rows = 0;
	if (scoped && transfer_export_scope(db, opts->scope, err) < 0)
		return -1;
	/* A file appears only whole: written beside it, then renamed. A path
	 * that is not a regular file (/dev/null, a pipe) is written directly. */
	struct stat st;
	int direct = !to_stdout && stat(opts->path, &st) == 0 && !S_ISREG(st.st_mode);
	if (direct) {
		if (!(out = fopen(opts->path, "w"))) {
			sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", opts->path,
				    strerror(errno));
			return -1;
		}
	} else if (!to_stdout) {
		tmp = xasprintf("%s.XXXXXX", opts->path);
		int fd = mkstemp(tmp);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", opts->path,
				    strerror(errno));
			if (fd >= 0)
				close(fd);
			free(tmp);
			return -1;
		}
	}
	if (!to_stdout && ends_with_csv(opts->path))
		fputs("\xEF\xBB\xBF", out);
	if ((opts->labels ? labelled_rows(db, e, scoped, out, &n, err)
			  : copy_rows(db, e, scoped, out, &n, err)) < 0)
		goto out;
	if (fflush(out) != 0 || ferror(out)) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s", to_stdout ? "<stdout>" : opts->path,
			    strerror(errno));
		goto out;
	}
	/* rules.md: every export is audited. An export the trail cannot record
	 * fails, and its file is not left behind. */
	if (transfer_export_audit(db, e, opts->scope, n, err) < 0)
		goto out;
	rc = 0;
out:
	if (!to_stdout) {
		if (fclose(out) != 0 && rc == 0) {
			sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s", opts->path,
				    strerror(errno));
			rc = -1;
		}
		if (rc == 0 && tmp && rename(tmp, opts->path) < 0) {
			sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", opts->path,
				    strerror(errno));
			rc = -1;
		}
		if (rc < 0 && tmp)
			unlink(tmp);
		free(tmp);
	}
	*rows = n;
	return rc;
}
