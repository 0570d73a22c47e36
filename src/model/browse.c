/* browse.c - lists over the data dictionary: keyset pages ordered by the
 * entity's key, the `/` filter over its search fields, the canonical text of
 * every cell, the look-up of a reference field, the export of a list. The
 * SQL is built from the dictionary (identifiers only); every value, the
 * filter and the keys included, is a parameter. */
#include "config.h"

#include "sgz/browse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sgz/db.h"
#include "sgz/transfer.h"
#include "sgz/record.h"

/* The canonical text of column f of row alias (export.c). */

struct browse {
	struct db *db;
	const struct dict_entity *e;
	const struct dict_field **cols; /* the list's columns */
	size_t ncols;
	const struct dict_field **keys; /* the key fields, in order */
	size_t nkeys;
};

enum fetch { FETCH_FIRST, FETCH_AFTER, FETCH_BEFORE, FETCH_LAST };

struct browse *browse_new(struct db *db, const struct dict_entity *e)
{
	struct browse *b = xcalloc(1, sizeof(*b));
	const struct dict_field *first = NULL;

	b->db = db;
	b->e = e;
	b->cols = xcalloc(e->nfields + 1, sizeof(*b->cols));
	b->keys = xcalloc(e->nfields + 1, sizeof(*b->keys));
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & DF_KEY))
			continue;
		if (!first)
			first = &e->fields[i];
		b->keys[b->nkeys++] = &e->fields[i];
	}
	if (!first)
		first = &e->fields[0];
	b->cols[b->ncols++] = first;
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_LIST) && &e->fields[i] != first)
			b->cols[b->ncols++] = &e->fields[i];
	return b;
}

void browse_free(struct browse *b)
{
	if (!b)
		return;
	free(b->cols);
	free(b->keys);
	free(b);
}

const struct dict_entity *browse_entity(const struct browse *b)
{
	return b->e;
}

size_t browse_ncolumns(const struct browse *b)
{
	return b->ncols;
}

const struct dict_field *browse_column(const struct browse *b, size_t i)
{
	return i < b->ncols ? b->cols[i] : NULL;
}

/* ---- SQL ---- */

static const char *key_type(const struct dict_field *f)
{
	switch (f->type) {
	case DT_DATE:
		return "date";
	case DT_INT:
		return f->sql_type ? f->sql_type : "integer";
	case DT_NUMBER:
	case DT_MONEY:
		return f->sql_type ? f->sql_type : "numeric";
	case DT_BOOL:
		return "boolean";
	case DT_TEXT:
	case DT_DIVISION:
	case DT_CHOICE:
	case DT_PATTERN:
	case DT_CHOICES:
	case DT_DIVISIONS:
		break;
	}
	return "text";
}

/* A key part that may be empty sorts as '' (no stored value is ''), so the
 * order is total and row comparison works; the others sort as stored, so
 * the key's index serves the query. */
static bool nullable(const struct dict_field *f)
{
	return !(f->flags & DF_REQUIRED);
}

static void add_key_order(struct strbuf *sb, const struct browse *b, bool desc)
{
	for (size_t k = 0; k < b->nkeys; k++) {
		const struct dict_field *f = b->keys[k];
		if (nullable(f))
			sb_addf(sb, "%scoalesce(t.%s::text, '')", k ? ", " : "", f->column);
		else
			sb_addf(sb, "%st.%s", k ? ", " : "", f->column);
		if (desc)
			sb_adds(sb, " DESC");
	}
}

/* "(k1, k2) > ($n, $n+1)" */
static void add_key_compare(struct strbuf *sb, const struct browse *b, const char *op, int first)
{
	sb_adds(sb, " AND (");
	for (size_t k = 0; k < b->nkeys; k++) {
		const struct dict_field *f = b->keys[k];
		if (nullable(f))
			sb_addf(sb, "%scoalesce(t.%s::text, '')", k ? ", " : "", f->column);
		else
			sb_addf(sb, "%st.%s", k ? ", " : "", f->column);
	}
	sb_addf(sb, ") %s (", op);
	for (size_t k = 0; k < b->nkeys; k++)
		sb_addf(sb, "%s$%d::%s", k ? ", " : "", first + (int)k,
			nullable(b->keys[k]) ? "text" : key_type(b->keys[k]));
	sb_adds(sb, ")");
}

/* The fields the filter searches: DF_SEARCH, or the key when there is none. */
static void add_filter(struct strbuf *sb, const struct dict_entity *e, const char *param)
{
	unsigned want = DF_SEARCH;
	int n = 0;

	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_SEARCH)
			n++;
	if (n == 0)
		want = DF_KEY;
	n = 0;
	sb_adds(sb, " AND (");
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & want)
			sb_addf(sb, "%st.%s::text ILIKE %s", n++ ? " OR " : "", e->fields[i].column,
				param);
	if (n == 0)
		sb_adds(sb, "false");
	sb_adds(sb, ")");
}

/* LIKE's wildcards and escape typed by the user match themselves. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
}

static int fetch(struct browse *b, enum fetch how, const char *filter, const char *key, size_t n,
		 browse_row_fn fn, void *arg, struct sgz_err *err)
{
	const struct dict_entity *e = b->e;
	struct strbuf sql = {0}, pattern = {0};
	const char *params[32];
	char **parts = NULL, limit[24];
	size_t nparts = 0;
	int np = 0, rc = -1;
	bool desc = how == FETCH_BEFORE || how == FETCH_LAST;

	if (b->nkeys + 2 > SGZ_ARRAY_LEN(params)) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: too many key fields", e->name);
		return -1;
	}
	if (how == FETCH_AFTER || how == FETCH_BEFORE) {
		parts = record_key_decode(e, key ? key : "", &nparts);
		if (!parts || nparts != b->nkeys) {
			sgz_err_set(err, SGZ_EUSAGE, "bad list key");
			goto out;
		}
	}
	sb_adds(&sql, "SELECT ");
	for (size_t k = 0; k < b->nkeys; k++) {
		transfer_export_expr(&sql, b->keys[k], "t");
		sb_adds(&sql, ", ");
	}
	for (size_t c = 0; c < b->ncols; c++) {
		transfer_export_expr(&sql, b->cols[c], "t");
		sb_adds(&sql, c + 1 < b->ncols ? ", " : "");
	}
	sb_addf(&sql, " FROM %s t WHERE true", e->table);
	if (filter && *filter) {
		sb_addc(&pattern, '%');
		add_escaped(&pattern, filter);
		sb_addc(&pattern, '%');
		params[np++] = sb_str(&pattern);
		add_filter(&sql, e, "$1");
	}
	if (parts) {
		add_key_compare(&sql, b, how == FETCH_AFTER ? ">" : "<", np + 1);
		for (size_t k = 0; k < nparts; k++)
			params[np++] = parts[k] ? parts[k] : (nullable(b->keys[k]) ? "" : NULL);
	}
	sb_adds(&sql, " ORDER BY ");
	add_key_order(&sql, b, desc);
	snprintf(limit, sizeof(limit), "%zu", n);
	params[np++] = limit;
	sb_addf(&sql, " LIMIT $%d::bigint", np);

	PGresult *res = db_query(b->db, sb_str(&sql), np, params, err);
	if (!res)
		goto out;
	int rows = PQntuples(res);
	const char **vals = xcalloc(e->nfields + 1, sizeof(*vals));
	const char **cells = xcalloc(b->ncols + 1, sizeof(*cells));
	for (int i = 0; i < rows; i++) {
		int r = desc ? rows - 1 - i : i;
		memset(vals, 0, (e->nfields + 1) * sizeof(*vals));
		for (size_t k = 0; k < b->nkeys; k++) {
			int fi = dict_field_index(e, b->keys[k]);
			vals[fi] = PQgetisnull(res, r, (int)k) ? NULL : PQgetvalue(res, r, (int)k);
		}
		for (size_t c = 0; c < b->ncols; c++) {
			int col = (int)(b->nkeys + c);
			cells[c] = PQgetisnull(res, r, col) ? NULL : PQgetvalue(res, r, col);
		}
		char *k = record_key_encode(e, vals);
		int stop = fn(arg, k, cells);
		free(k);
		if (stop < 0)
			break;
	}
	free(vals);
	free(cells);
	PQclear(res);
	rc = 0;
out:
	record_key_free(parts, nparts);
	sb_free(&sql);
	sb_free(&pattern);
	return rc;
}

int browse_first(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		 struct sgz_err *err)
{
	return fetch(b, FETCH_FIRST, filter, NULL, n, fn, arg, err);
}

int browse_after(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		 void *arg, struct sgz_err *err)
{
	return fetch(b, FETCH_AFTER, filter, key, n, fn, arg, err);
}

int browse_before(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		  void *arg, struct sgz_err *err)
{
	return fetch(b, FETCH_BEFORE, filter, key, n, fn, arg, err);
}

int browse_last(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		struct sgz_err *err)
{
	return fetch(b, FETCH_LAST, filter, NULL, n, fn, arg, err);
}

/* ---- export ---- */

static bool ends_with_csv(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

/* COPY takes no parameters: the filter travels in a setting local to the
 * transaction, read back by current_setting(). */
static void build_copy(const struct browse *b, bool filtered, struct strbuf *sql)
{
	const struct dict_entity *e = b->e;
	int first = 1;

	sb_adds(sql, "COPY (SELECT ");
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & DF_NOEXPORT)
			continue;
		if (!first)
			sb_adds(sql, ", ");
		transfer_export_expr(sql, &e->fields[i], "t");
		sb_addf(sql, " AS \"%s\"", e->fields[i].column);
		first = 0;
	}
	sb_addf(sql, " FROM %s t WHERE true", e->table);
	if (filtered)
		add_filter(sql, e, "current_setting('sgz.browse_filter')");
	sb_adds(sql, " ORDER BY ");
	add_key_order(sql, b, false);
	sb_adds(sql, ") TO STDOUT WITH (FORMAT csv, HEADER true)");
}

int browse_export(struct browse *b, const char *filter, const char *path, long *rows,
		  struct sgz_err *err)
{
	PGconn *conn = db_pgconn(b->db);
	struct strbuf sql = {0}, pattern = {0};
	bool filtered = filter && *filter, in_tx = false;
	char *tmp = xasprintf("%s.XXXXXX", path);
	FILE *out = NULL;
	int rc = -1, fd, len, header = 1;
	long n = 0;
	char *buf;

	*rows = 0;
	fd = mkstemp(tmp);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		return -1;
	}
	if (ends_with_csv(path))
		fputs("\xEF\xBB\xBF", out);
	if (db_begin(b->db, err) < 0)
		goto out;
	in_tx = true;
	if (filtered) {
		sb_addc(&pattern, '%');
		add_escaped(&pattern, filter);
		sb_addc(&pattern, '%');
		const char *params[1] = {sb_str(&pattern)};
		if (db_exec(b->db, "SELECT set_config('sgz.browse_filter', $1, true)", 1, params,
			    err) < 0)
			goto out;
	}
	build_copy(b, filtered, &sql);
	PGresult *res = PQexec(conn, sb_str(&sql));
	if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
		db_result_error(res, err);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	while ((len = PQgetCopyData(conn, &buf, 0)) > 0) {
		fwrite(buf, 1, (size_t)len, out);
		PQfreemem(buf);
		if (header)
			header = 0;
		else
			n++;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !err->msg[0])
			db_result_error(res, err);
		PQclear(res);
	}
	if (len == -2 || err->msg[0]) {
		if (!err->msg[0])
			sgz_err_set(err, SGZ_EUSAGE, "export failed: %s", PQerrorMessage(conn));
		goto out;
	}
	if (fflush(out) != 0 || ferror(out)) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s", path, strerror(errno));
		goto out;
	}
	/* rules.md: every export is audited, in the same transaction: an
	 * export the trail cannot record fails, and leaves no file */
	char nrows[24];
	snprintf(nrows, sizeof(nrows), "%ld", n);
	const char *audit[4] = {b->e->table, b->e->name, filtered ? filter : NULL, nrows};
	if (db_exec(b->db,
		    "SELECT sgz.audit_event('export', $1, jsonb_build_object('entity', $2::text, "
		    "'filter', $3::text, 'rows', $4::bigint))",
		    4, audit, err) < 0)
		goto out;
	if (db_commit(b->db, err) < 0)
		goto out;
	in_tx = false;
	rc = 0;
out:
	if (in_tx)
		db_rollback(b->db);
	if (fclose(out) != 0 && rc == 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	sb_free(&sql);
	sb_free(&pattern);
	if (rc == 0)
		*rows = n;
	return rc;
}

/* ---- reference look-up ---- */

static const struct dict_entity *entity_of_table(const char *table)
{
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i]->table, table) == 0)
			return all[i];
	return NULL;
}

int browse_lookup(struct db *db, const struct dict_field *f, const char *text, size_t n,
		  browse_pick_fn fn, void *arg, struct sgz_err *err)
{
	const struct dict_entity *e = f->ref_table ? entity_of_table(f->ref_table) : NULL;
	const struct dict_field *key, *label = NULL;
	struct strbuf sql = {0}, prefix = {0}, inner = {0};
	char limit[24];
	int rc = -1;

	if (!e || !(key = dict_field_by_header(e, f->ref_column))) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: not a reference the dictionary knows", f->column);
		return -1;
	}
	for (size_t i = 0; i < e->nfields && !label; i++)
		if ((e->fields[i].flags & DF_SEARCH) && &e->fields[i] != key &&
		    e->fields[i].type == DT_TEXT)
			label = &e->fields[i];
	add_escaped(&prefix, text ? text : "");
	sb_addc(&inner, '%');
	add_escaped(&inner, text ? text : "");
	sb_addc(&prefix, '%');
	sb_addc(&inner, '%');
	snprintf(limit, sizeof(limit), "%zu", n);
	const char *params[3] = {sb_str(&prefix), sb_str(&inner), limit};

	sb_adds(&sql, "SELECT ");
	transfer_export_expr(&sql, key, "t");
	if (label) {
		sb_adds(&sql, ", ");
		transfer_export_expr(&sql, label, "t");
	} else {
		sb_adds(&sql, ", NULL");
	}
	sb_addf(&sql, " FROM %s t WHERE (t.%s::text LIKE $1", e->table, key->column);
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_SEARCH) && &e->fields[i] != key)
			sb_addf(&sql, " OR t.%s::text ILIKE $2", e->fields[i].column);
	sb_addf(&sql, ") ORDER BY t.%s LIMIT $3::bigint", key->column);
	PGresult *res = db_query(db, sb_str(&sql), 3, params, err);
	if (!res)
		goto out;
	for (int r = 0; r < PQntuples(res); r++)
		if (fn(arg, PQgetvalue(res, r, 0),
		       PQgetisnull(res, r, 1) ? NULL : PQgetvalue(res, r, 1)) < 0)
			break;
	PQclear(res);
	rc = 0;
out:
	sb_free(&sql);
	sb_free(&prefix);
	sb_free(&inner);
	return rc;
}
