/* related.c - the records that belong to a record, from the dictionary's
 * children (related.h): the pane's condition built from the links, the
 * parent's values as parameters, never typed into the SQL. */
#include "config.h"

#include "sgz/related.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/record.h"

const struct dict_child *related_children(const struct dict_entity *e, size_t *n)
{
	*n = 0;
	if (!e || !e->children)
		return NULL;
	while (e->children[*n].entity)
		(*n)++;
	return e->children;
}

const struct dict_entity *related_entity(const struct dict_child *c)
{
	return c && c->entity ? dict_find(c->entity) : NULL;
}

/* The number of links of c. */
static int nlinks(const struct dict_child *c)
{
	int n = 0;

	while (n < DICT_CHILD_LINKS && (c->on[n].column || c->on[n].via))
		n++;
	return n;
}

/* The parent's value that link l names: a person by pid (*pid set). */
static const char *parent_value(const struct dict_entity *e, const struct record *r,
				const struct dict_link *l, bool *pid)
{
	const struct dict_field *pf = dict_field_by_header(e, l->parent);
	int i = pf ? dict_field_index(e, pf) : -1;

	*pid = false;
	if (i < 0)
		return NULL;
	if (dict_by_pid(e, pf)) {
		*pid = true;
		return record_pid(r, (size_t)i);
	}
	return record_value(r, (size_t)i);
}

/* Replaces each "%1$s" of via by param. */
static void add_via(struct strbuf *sql, const char *via, const char *param)
{
	for (const char *p = via; *p; p++) {
		if (strncmp(p, "%1$s", 4) == 0) {
			sb_adds(sql, param);
			p += 3;
		} else {
			sb_addc(sql, *p);
		}
	}
}

/* The condition of link l over the child's row t, its value $n. */
static void add_link(struct strbuf *sql, const struct dict_entity *e,
		     const struct dict_entity *ce, const struct dict_link *l, int n)
{
	const struct dict_field *pf = dict_field_by_header(e, l->parent);
	const struct dict_field *cf = l->column ? dict_field_by_header(ce, l->column) : NULL;
	char param[16];

	snprintf(param, sizeof(param), "$%d", n);
	if (l->via) {
		add_via(sql, l->via, param);
	} else if (!cf || !pf) {
		sb_adds(sql, "false"); /* a dictionary error: no rows, never all */
	} else if (dict_by_pid(ce, cf)) {
		sb_addf(sql, "t.%s = %s::bigint", cf->pid_column, param);
	} else if (cf->type == DT_DIVISIONS) {
		sb_addf(sql, "t.%s @> ARRAY[%s::text]", cf->column, param);
	} else if (pf->type == DT_DIVISIONS) {
		sb_addf(sql, "t.%s = ANY (string_to_array(%s, ';'))", cf->column, param);
	} else {
		sb_addf(sql, "t.%s = %s::%s", cf->column, param, dict_sql_type(cf));
	}
}

struct browse *related_browse(struct db *db, const struct dict_entity *e,
			      const struct dict_child *c, const struct record *r)
{
	const struct dict_entity *ce = related_entity(c);
	const char *params[DICT_CHILD_LINKS];
	struct strbuf where = {0};
	struct browse *b;
	int n = nlinks(c);

	if (!ce || !r || record_is_new(r))
		return NULL;
	for (int k = 0; k < n; k++) {
		bool pid;
		params[k] = parent_value(e, r, &c->on[k], &pid);
		sb_adds(&where, k ? " AND " : "");
		add_link(&where, e, ce, &c->on[k], k + 1);
	}
	if (c->where)
		sb_addf(&where, "%s(%s)", n ? " AND " : "", c->where);
	b = browse_new(db, ce);
	browse_restrict(b, where.len ? sb_str(&where) : NULL, params, n, c->order,
			c->newest_first);
	sb_free(&where);
	return b;
}

bool related_linked(const struct dict_child *c, const struct dict_field *f)
{
	for (int k = 0; k < nlinks(c); k++)
		if (c->on[k].column && strcmp(c->on[k].column, f->column) == 0)
			return true;
	return false;
}

void related_fill(const struct dict_child *c, const struct record *r, struct record *child)
{
	const struct dict_entity *e = r->e, *ce = child->e;
	int n = nlinks(c), m = 0;

	while (m < DICT_CHILD_LINKS && c->fill[m].column)
		m++;
	for (int k = 0; k < n + m; k++) {
		const struct dict_link *l = k < n ? &c->on[k] : &c->fill[k - n];
		const struct dict_field *cf = l->column ? dict_field_by_header(ce, l->column) : NULL;
		const struct dict_field *pf = dict_field_by_header(e, l->parent);
		bool pid;
		const char *v;

		if (!cf || !pf || pf->type == DT_DIVISIONS)
			continue; /* through another record, or one of many */
		v = parent_value(e, r, l, &pid);
		if (!v)
			continue;
		size_t ci = (size_t)dict_field_index(ce, cf);
		if (pid && dict_by_pid(ce, cf))
			record_set_person(child, ci, v,
					  record_value(r, (size_t)dict_field_index(e, pf)));
		else if (!pid)
			record_set(child, ci, v);
	}
}

void related_format(const char *fmt, const char *const *args, int n, struct strbuf *out)
{
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == '%') {
			sb_addc(out, '%');
			p++;
		} else if (p[0] == '%' && p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's') {
			int a = p[1] - '1';
			sb_adds(out, a < n && args[a] ? args[a] : "");
			p += 3;
		} else {
			sb_addc(out, *p);
		}
	}
}

int related_summary(struct db *db, const struct dict_entity *e, const struct dict_child *c,
		    const struct record *r, const char *fmt, char **line, struct sgz_err *err)
{
	const char *params[DICT_CHILD_LINKS];
	int n = nlinks(c);

	*line = NULL;
	if (!c->summary_sql || !r || record_is_new(r))
		return 0;
	for (int k = 0; k < n; k++) {
		bool pid;
		params[k] = parent_value(e, r, &c->on[k], &pid);
	}
	PGresult *res = db_async_query(db, c->summary_sql, n, params, err);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		const char *args[9] = {0};
		int first = 0, cols;
		struct strbuf sb = {0};
		if (c->summary_fmts[0]) {
			/* the first column picks the words (unless fmt is given) */
			long k = PQgetisnull(res, 0, 0) ? -1 : strtol(PQgetvalue(res, 0, 0), NULL, 10);
			if (k < 0 || k >= (long)SGZ_ARRAY_LEN(c->summary_fmts) || !c->summary_fmts[k])
				k = 0;
			if (!fmt)
				fmt = _(c->summary_fmts[k]);
			first = 1;
		}
		cols = PQnfields(res) - first < 9 ? PQnfields(res) - first : 9;
		for (int i = 0; i < cols; i++)
			args[i] = PQgetisnull(res, 0, first + i) ? "" : PQgetvalue(res, 0, first + i);
		related_format(fmt ? fmt : "", args, cols, &sb);
		*line = sb_detach(&sb);
	}
	PQclear(res);
	return 0;
}

int related_exists(struct db *db, const struct record *r, struct sgz_err *err)
{
	const struct dict_entity *e = r->e;
	struct strbuf sql = {0};
	const char *params[16];
	int np = 0, rc = -1;

	sb_addf(&sql, "SELECT EXISTS (SELECT 1 FROM %s t WHERE true", e->view ? e->view : e->table);
	for (size_t i = 0, k = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & DF_KEY))
			continue;
		const char *v = r->key ? r->key[k] : NULL;
		k++;
		if (np >= (int)SGZ_ARRAY_LEN(params))
			break;
		if (!v) {
			sb_addf(&sql, " AND t.%s IS NULL", f->column);
			continue;
		}
		params[np++] = v;
		if (dict_by_pid(e, f))
			sb_addf(&sql, " AND t.%s = $%d::bigint", f->pid_column, np);
		else
			sb_addf(&sql, " AND t.%s = $%d::%s", f->column, np, dict_sql_type(f));
	}
	sb_adds(&sql, ")");
	PGresult *res = db_async_query(db, sb_str(&sql), np, params, err);
	if (res) {
		rc = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
	}
	sb_free(&sql);
	return rc;
}

int related_setting(struct db *db, const char *key, long *value, struct sgz_err *err)
{
	const char *params[1] = {key};
	PGresult *res =
	    db_async_query(db, "SELECT sgz.setting_value($1)::bigint", 1, params, err);

	if (!res)
		return -1;
	/* a setting not there: 0 */
	*value = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)
		     ? strtol(PQgetvalue(res, 0, 0), NULL, 10)
		     : 0;
	PQclear(res);
	return 0;
}
