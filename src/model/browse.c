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

#include "sgz/async.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/record.h"
#include "sgz/transfer.h"
#include "sgz/validate.h"

enum kind { KIND_UNKNOWN, KIND_ADMIN, KIND_OTHER };

struct browse {
	struct db *db;
	const struct dict_entity *e;
	const struct dict_field **cols; /* the list's columns */
	size_t ncols;
	const struct dict_field **keys; /* the key fields, in order */
	size_t nkeys;
	const struct dict_field **order; /* the list's order (dict_entity.list_order) */
	size_t norder;
	enum kind kind; /* the session's, for masking */
	/* a pane of related records (browse_restrict()): a condition over
	 * the row t with its parameters $1..$nwhere, and the order reversed */
	char *where;
	char **where_params;
	int nwhere;
	bool reverse;
};

/* ---- masking ---- */

bool browse_is_idnum(const struct dict_field *f)
{
	/* the dictionary's F_IDNUM fields: 18-character text labelled so */
	return f->type == DT_TEXT && f->max_len == IDNUM_LEN && strcmp(f->label, "ID number") == 0;
}

/* Is the session's kind admin? Asked once per browse; an error (an older
 * schema) counts as not admin: masked. */
static bool session_admin(struct browse *b)
{
	struct sgz_err err;

	if (b->kind == KIND_UNKNOWN) {
		sgz_err_clear(&err);
		PGresult *res = db_async_query(b->db, "SELECT sgz.current_kind()", 0, NULL, &err);
		b->kind = res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
				  strcmp(PQgetvalue(res, 0, 0), "admin") == 0
			      ? KIND_ADMIN
			      : KIND_OTHER;
		PQclear(res);
	}
	return b->kind == KIND_ADMIN;
}

void browse_set_session_admin(struct browse *b, bool admin)
{
	b->kind = admin ? KIND_ADMIN : KIND_OTHER;
}

bool browse_session_admin(struct browse *b)
{
	/* a list over rows given without a database (the interface's own
	 * tests): nobody to ask, masked */
	if (!b || !b->db)
		return false;
	return session_admin(b);
}

char *browse_idnum_shown(const char *id, bool admin, bool sensitive)
{
	char masked[IDNUM_LEN + 1];

	if (!id)
		return xstrdup("");
	if (admin && !sensitive)
		return xstrdup(id);
	idnum_mask(id, masked);
	return xstrdup(masked);
}

/* "张**": the first character kept, one star for each of the others. */
static char *mask_name(const char *s)
{
	struct strbuf sb = {0};
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	for (; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		if (chars++ == 0) {
			size_t len = 1;
			while ((p[len] & 0xC0) == 0x80)
				len++;
			sb_addn(&sb, (const char *)p, len);
		} else {
			sb_addc(&sb, '*');
		}
	}
	return sb_detach(&sb);
}

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
	b->order = xcalloc(e->nfields + 1, sizeof(*b->order));
	if (e->list_order) {
		for (size_t k = 0; e->list_order[k]; k++)
			b->order[b->norder++] = dict_field_by_header(e, e->list_order[k]);
	} else {
		const struct dict_field *scope =
		    e->scope_column ? dict_field_by_header(e, e->scope_column) : NULL;
		if (scope)
			b->order[b->norder++] = scope;
		for (size_t k = 0; k < b->nkeys; k++)
			if (b->keys[k] != scope)
				b->order[b->norder++] = b->keys[k];
	}
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
	free(b->order);
	free(b->where);
	for (int i = 0; i < b->nwhere; i++)
		free(b->where_params[i]);
	free(b->where_params);
	free(b);
}

void browse_restrict(struct browse *b, const char *where, const char *const *params, int n,
		     const char *const *order, bool reverse)
{
	free(b->where);
	for (int i = 0; i < b->nwhere; i++)
		free(b->where_params[i]);
	free(b->where_params);
	b->where = where ? xstrdup(where) : NULL;
	b->nwhere = n;
	b->where_params = xcalloc((size_t)n + 1, sizeof(*b->where_params));
	for (int i = 0; i < n; i++)
		b->where_params[i] = params[i] ? xstrdup(params[i]) : NULL;
	if (order) {
		b->norder = 0;
		for (size_t k = 0; order[k]; k++) {
			const struct dict_field *f = dict_field_by_header(b->e, order[k]);
			if (f)
				b->order[b->norder++] = f;
		}
	}
	b->reverse = reverse;
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
	return dict_sql_type(f);
}

/* A person field of an entity read through its masking view: the list
 * sorts, pages and keys its rows by the person's pid (migration 0012),
 * which every user may read, never by the number. */
static bool by_pid(const struct browse *b, const struct dict_field *f)
{
	return dict_by_pid(b->e, f);
}

/* The column the list sorts and keys field f by. */
static const char *sort_column(const struct browse *b, const struct dict_field *f)
{
	return by_pid(b, f) ? f->pid_column : f->column;
}

/* A key part that may be empty sorts as '' (no stored value is ''), so the
 * order is total and row comparison works; the others sort as stored, so
 * the key's index serves the query. */
static bool nullable(const struct browse *b, const struct dict_field *f)
{
	return !(f->flags & DF_REQUIRED) && !by_pid(b, f);
}

/* A column as lists sort it, of the row called alias. */
static void add_sort_expr(struct strbuf *sb, const struct browse *b, const struct dict_field *f,
			  const char *alias)
{
	if (nullable(b, f))
		sb_addf(sb, "coalesce(%s.%s::text, '')", alias, sort_column(b, f));
	else
		sb_addf(sb, "%s.%s", alias, sort_column(b, f));
}

static void add_key_order(struct strbuf *sb, const struct browse *b, bool desc)
{
	for (size_t k = 0; k < b->nkeys; k++) {
		sb_adds(sb, k ? ", " : "");
		add_sort_expr(sb, b, b->keys[k], "t");
		if (desc)
			sb_adds(sb, " DESC");
	}
}

/* The list's order (browse.order). */
static void add_list_order(struct strbuf *sb, const struct browse *b, bool desc)
{
	for (size_t k = 0; k < b->norder; k++) {
		sb_adds(sb, k ? ", " : "");
		add_sort_expr(sb, b, b->order[k], "t");
		if (desc)
			sb_adds(sb, " DESC");
	}
}

/* Key part k of the row the page starts from: parameter $first + k. */
static void add_key_param(struct strbuf *sb, const struct browse *b, size_t k, int first)
{
	const struct dict_field *f = b->keys[k];

	sb_addf(sb, "$%d::%s", first + (int)k,
		by_pid(b, f) ? "bigint" : nullable(b, f) ? "text" : key_type(f));
}

/* Order column o of the row the page starts from: its key part, or, for
 * a column that is not part of the key (the station of a volunteer), read
 * from that row by its key, one look-up in the primary key. */
static void add_order_value(struct strbuf *sb, const struct browse *b, size_t o, int first)
{
	size_t k = 0;

	while (k < b->nkeys && b->keys[k] != b->order[o])
		k++;
	if (k < b->nkeys) {
		add_key_param(sb, b, k, first);
		return;
	}
	sb_adds(sb, "(SELECT ");
	add_sort_expr(sb, b, b->order[o], "a");
	sb_addf(sb, " FROM %s a WHERE ", b->e->table);
	for (k = 0; k < b->nkeys; k++) {
		sb_adds(sb, k ? " AND " : "");
		add_sort_expr(sb, b, b->keys[k], "a");
		sb_adds(sb, " = ");
		add_key_param(sb, b, k, first);
	}
	sb_adds(sb, ")");
}

/* "(o1, o2, ...) > (the same of the row with the key $first...)": in the
 * list's order, after (or before) the row the page starts from.
 *
 * When an order column may be empty (sorted as coalesce(x, ''), the
 * hours' activity), the comparison is made of two parts, split at the
 * first such column: the leading columns compared inclusively,
 * "(o1, o2) >= (v1, v2)", which is leakproof and bounds the range of the
 * index the planner reads (under row-level security a condition the
 * planner cannot prove leakproof, as coalesce(), is applied after the
 * policy's, never in the index: the full comparison alone was a filter
 * over every row of the scope before the page); and the rows of the
 * starting row's leading values up to it left out,
 * "NOT (o1 = v1 AND o2 = v2 AND (o3, ...) <= (v3, ...))". Together they are
 * the full comparison. The second is estimated as leaving nearly every
 * row: the full comparison repeated over the range counted the fraction
 * of its first column twice, and so few rows expected before a key deep
 * in a partitioned table that the planner appended every partition's
 * rows before it and sorted them (100,000 rows for the admin's previous
 * page at row 100,000 of the hours) instead of merging the partitions'
 * index ranges. */
static void add_key_compare(struct strbuf *sb, const struct browse *b, const char *op, int first)
{
	size_t n = 0;

	while (n < b->norder && !nullable(b, b->order[n]))
		n++;
	if (n == 0 || n == b->norder) {
		sb_adds(sb, " AND (");
		add_list_order(sb, b, false);
		sb_addf(sb, ") %s (", op);
		for (size_t o = 0; o < b->norder; o++) {
			sb_adds(sb, o ? ", " : "");
			add_order_value(sb, b, o, first);
		}
		sb_adds(sb, ")");
		return;
	}
	sb_adds(sb, " AND (");
	for (size_t o = 0; o < n; o++)
		sb_addf(sb, "%st.%s", o ? ", " : "", sort_column(b, b->order[o]));
	sb_addf(sb, ") %s= (", op);
	for (size_t o = 0; o < n; o++) {
		sb_adds(sb, o ? ", " : "");
		add_order_value(sb, b, o, first);
	}
	sb_adds(sb, ") AND NOT (");
	for (size_t o = 0; o < n; o++) {
		sb_addf(sb, "t.%s = ", sort_column(b, b->order[o]));
		add_order_value(sb, b, o, first);
		sb_adds(sb, " AND ");
	}
	sb_adds(sb, "(");
	for (size_t o = n; o < b->norder; o++) {
		sb_adds(sb, o > n ? ", " : "");
		add_sort_expr(sb, b, b->order[o], "t");
	}
	sb_addf(sb, ") %s= (", strcmp(op, ">") == 0 ? "<" : ">");
	for (size_t o = n; o < b->norder; o++) {
		sb_adds(sb, o > n ? ", " : "");
		add_order_value(sb, b, o, first);
	}
	sb_adds(sb, "))");
}

/* A name (DF_PINYIN) is found by the start of its pinyin initials too:
 * "zm" finds 张敏. pattern is the filter's "%text%": the initials are lower
 * case and compared from their start, "text%". */
static void add_pinyin(struct strbuf *sb, const struct dict_entity *e, const char *pattern)
{
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_PINYIN) && !(e->view && dict_names_masked(e->table)))
			sb_addf(sb, " OR t.initials LIKE lower(substr(%s, 2))", pattern);
}

/* A field's own way of being found (dict_field.match_sql): "@P" the
 * pattern, "@I" the initials' pattern or NULL. */
static void add_match_sql(struct strbuf *sb, const struct dict_field *f, const char *pattern,
			  bool initials)
{
	for (const char *q = f->match_sql; *q; q++) {
		if (q[0] == '@' && q[1] == 'P') {
			sb_adds(sb, pattern);
			q++;
		} else if (q[0] == '@' && q[1] == 'I') {
			if (initials)
				sb_addf(sb, "lower(substr(%s, 2))", pattern);
			else
				sb_adds(sb, "NULL::text");
			q++;
		} else {
			sb_addc(sb, *q);
		}
	}
}

/* The key field that holds a person's pid, in a list of people whose view
 * masks their names (recipients); NULL. */
static const struct dict_field *person_key(const struct dict_entity *e)
{
	for (size_t i = 0; e->view && dict_names_masked(e->table) && i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && e->fields[i].pid_column &&
		    !e->fields[i].pick_table)
			return &e->fields[i];
	return NULL;
}

/* The people a filter of digits finds by the start of their numbers, which
 * the view shows masked: sgz.person_find() in the user's scope (0012).
 * pattern is the filter's "%text%". */
static void add_person_prefix(struct strbuf *sb, const struct dict_entity *e, const char *pattern)
{
	for (size_t i = 0; e->view && i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & DF_SEARCH) || !f->pid_column)
			continue;
		sb_addf(sb,
			" OR t.%s IN (SELECT p.pid FROM sgz.person_find('%s', "
			"substr(%s, 2, length(%s) - 2), 1000) p)",
			f->pid_column, dict_person_table(e, f), pattern, pattern);
	}
}

/* Can the filter text be part of a number as lists show it (digits, X,
 * the mask's stars)? Only then is a number column compared: a masked
 * number is worked out row by row (sgz.mask_id()), for every row of the
 * scope when few match. */
static bool numberish(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789Xx*", *s))
			return false;
	return true;
}

/* Can it be the start of pinyin initials (ASCII letters and digits)? */
static bool initialish(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* A choice column is found by the label the list shows for it, in the
 * reader's language (介入 finds the cases in intervention): the codes whose
 * label holds the text, as literals (the dictionary's codes, quoted). */
/* A literal of SQL: s quoted (the dictionary's codes and labels). */
static void add_literal(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (const char *q = s; *q; q++) {
		if (*q == '\'')
			sb_addc(sb, '\'');
		sb_addc(sb, *q);
	}
	sb_addc(sb, '\'');
}

/* A choice column is found by the pinyin initials of its Chinese labels
 * (rh finds 入户走访): the codes whose label's initials (0021) start with
 * the text, worked out once per statement. */
static void add_choice_initials(struct strbuf *sb, const struct dict_field *f, const char *param)
{
	if ((f->type != DT_CHOICE && f->type != DT_CHOICES) || !f->choices)
		return;
	sb_addf(sb, f->type == DT_CHOICE ? " OR t.%s IN (SELECT" : " OR t.%s && ARRAY(SELECT",
		f->column);
	sb_adds(sb, " v.c FROM (VALUES ");
	for (const struct dict_choice *c = f->choices; c->code; c++) {
		sb_adds(sb, c == f->choices ? "(" : ", (");
		add_literal(sb, c->code);
		sb_adds(sb, ", ");
		add_literal(sb, c->label_zh);
		sb_adds(sb, ")");
	}
	sb_addf(sb, ") v(c, l) WHERE sgz.text_initials(v.l) LIKE lower(substr(%s, 2)))", param);
}

static void add_choice_labels(struct strbuf *sb, const struct dict_field *f, const char *text)
{
	bool zh = i18n_lang() == I18N_ZH, any = false;
	size_t n = strlen(text);

	if ((f->type != DT_CHOICE && f->type != DT_CHOICES) || !f->choices || n == 0)
		return;
	for (const struct dict_choice *c = f->choices; c->code; c++) {
		const char *label = zh ? c->label_zh : c->label_en, *at = label;
		while (at && *at && strncasecmp(at, text, n) != 0)
			at++;
		if (!at || !*at)
			continue;
		if (any)
			sb_adds(sb, ", ");
		else if (f->type == DT_CHOICE)
			sb_addf(sb, " OR t.%s IN (", f->column);
		else
			sb_addf(sb, " OR t.%s && ARRAY[", f->column);
		add_literal(sb, c->code);
		any = true;
	}
	if (any)
		sb_adds(sb, f->type == DT_CHOICE ? ")" : "]::text[]");
}

/* The fields the filter searches: DF_SEARCH, or the key when there is none;
 * a number only for text that can be part of one. Then the names the list
 * shows for its references (spec/work.md: search finds what is shown), by
 * pinyin initials too for text that can be some. */
static void add_filter_terms(struct strbuf *sb, const struct dict_entity *e, const char *param,
			     const char *text)
{
	unsigned want = DF_KEY;
	bool number = numberish(text), initials = initialish(text);
	const struct dict_field *person = person_key(e);

	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_SEARCH)
			want = DF_SEARCH;
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & want) || (f->pid_column && !number))
			continue;
		if (person && (f->flags & DF_PINYIN)) {
			/* a person's name as the view shows it, by pid
			 * (sgz.person_match(): no mask worked out row by row) */
			sb_adds(sb, " OR ");
			dict_person_match_sql(e, person, "t", param, initials, sb);
			continue;
		}
		if (f->match_sql) {
			sb_adds(sb, " OR ");
			add_match_sql(sb, f, param, initials);
			continue;
		}
		sb_addf(sb, " OR t.%s::text ILIKE %s", f->column, param);
	}
	if (initials)
		add_pinyin(sb, e, param);
	if (number)
		add_person_prefix(sb, e, param);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		/* the names shown, and a key shown as its code by the name it
		 * refers to (a station by its township's) */
		if (!(f->flags & DF_LIST) ||
		    !(dict_shows_name(e, f) || ((f->flags & DF_CODE) && f->ref_table)))
			continue;
		sb_adds(sb, " OR ");
		dict_name_match_sql(e, &e->fields[i], "t", param, initials, sb);
	}
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & DF_LIST))
			continue;
		add_choice_labels(sb, &e->fields[i], text);
		if (initials && i18n_lang() == I18N_ZH)
			add_choice_initials(sb, &e->fields[i], param);
	}
}

static void add_filter(struct strbuf *sb, const struct dict_entity *e, const char *param,
		       const char *text)
{
	sb_adds(sb, " AND (false");
	add_filter_terms(sb, e, param, text);
	sb_adds(sb, ")");
}

/* The terms of add_filter_terms()'s " OR a OR b ...", each alone: split
 * at the ORs outside parentheses and quotes. Caller frees each and the
 * array. */
static char **split_terms(const char *s, size_t *n)
{
	char **out = NULL;
	size_t cap = 0;
	int depth = 0;
	bool quoted = false;
	const char *from = NULL;

	*n = 0;
	for (const char *p = s;; p++) {
		bool end = *p == '\0';
		if (!end && *p == '\'')
			quoted = !quoted;
		if (!end && !quoted && *p == '(')
			depth++;
		if (!end && !quoted && *p == ')')
			depth--;
		if (end || (!quoted && depth == 0 && strncmp(p, " OR ", 4) == 0)) {
			if (from && p > from) {
				if (*n == cap) {
					cap = cap ? cap * 2 : 8;
					out = xreallocarray(out, cap, sizeof(*out));
				}
				out[(*n)++] = xstrndup(from, (size_t)(p - from));
			}
			if (end)
				break;
			from = p + 4;
			p += 3;
		}
	}
	return out;
}

/* A term "t.<the list's first order column> IN (<subquery>)" (the
 * stations whose name matches) as "= ANY (ARRAY(<subquery>))", which the
 * list's index reads in its order, a page's rows and no more; NULL for
 * any other term. Caller frees. */
static char *ordered_term(const struct browse *b, const char *term)
{
	char head[128];
	size_t h, n = strlen(term);
	int depth = 0;
	bool quoted = false;
	struct strbuf sb = {0};

	if (b->norder == 0 || nullable(b, b->order[0]))
		return NULL;
	snprintf(head, sizeof(head), "t.%s IN (", sort_column(b, b->order[0]));
	h = strlen(head);
	if (n <= h || strncmp(term, head, h) != 0 || term[n - 1] != ')')
		return NULL;
	for (size_t i = h - 1; i < n; i++) {
		if (term[i] == '\'')
			quoted = !quoted;
		else if (!quoted && term[i] == '(')
			depth++;
		else if (!quoted && term[i] == ')' && --depth == 0 && i != n - 1)
			return NULL; /* "t.x IN (...) AND ...": not one subquery */
	}
	sb_addf(&sb, "t.%s = ANY (ARRAY%s)", sort_column(b, b->order[0]), term + h - 1);
	return sb_detach(&sb);
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

/* "SELECT <keys>, <columns>, <names>" of a page, of the row t. */
static void add_page_select(struct strbuf *sql, const struct browse *b)
{
	const struct dict_entity *e = b->e;

	sb_adds(sql, "SELECT ");
	for (size_t k = 0; k < b->nkeys; k++) {
		if (by_pid(b, b->keys[k]))
			sb_addf(sql, "t.%s::text", b->keys[k]->pid_column);
		else
			transfer_export_expr(sql, b->keys[k], "t");
		sb_adds(sql, ", ");
	}
	for (size_t c = 0; c < b->ncols; c++) {
		transfer_export_expr(sql, b->cols[c], "t");
		sb_adds(sql, c + 1 < b->ncols ? ", " : "");
	}
	/* then the name of each reference shown by name, in the same
	 * statement: a look-up per row of the page (dict_name_sql()) */
	for (size_t c = 0; c < b->ncols; c++) {
		if (!dict_shows_name(e, b->cols[c]))
			continue;
		sb_adds(sql, ", ");
		dict_name_sql(e, b->cols[c], "t", sql);
	}
}

/* " FROM <view> t WHERE true" with the restriction, the condition cond
 * (the filter's) and, after or before the row of the key at $first, the
 * page's start. */
static void add_page_where(struct strbuf *sql, const struct browse *b, const char *cond,
			   enum fetch how, int first)
{
	sb_addf(sql, " FROM %s t WHERE true", b->e->view ? b->e->view : b->e->table);
	if (b->where)
		sb_addf(sql, " AND (%s)", b->where);
	if (cond && cond[0] == ' ')
		sb_adds(sql, cond); /* add_filter()'s " AND (...)" */
	else if (cond)
		sb_addf(sql, " AND (%s)", cond);
	if (how == FETCH_AFTER || how == FETCH_BEFORE)
		add_key_compare(sql, b, how == FETCH_AFTER ? ">" : "<", first);
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
	bool desc;

	/* a pane newest first: its first page is the list's last, reversed */
	if (b->reverse)
		how = how == FETCH_FIRST	? FETCH_LAST
		      : how == FETCH_LAST	? FETCH_FIRST
		      : how == FETCH_AFTER ? FETCH_BEFORE
					   : FETCH_AFTER;
	desc = how == FETCH_BEFORE || how == FETCH_LAST;
	if (b->nkeys + 2 + (size_t)b->nwhere > SGZ_ARRAY_LEN(params)) {
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
	/* the parameters: the restriction's, the pattern, the key the page
	 * starts from, the limit */
	for (int i = 0; b->where && i < b->nwhere; i++)
		params[np++] = b->where_params[i];
	char ph[16] = "";
	if (filter && *filter) {
		sb_addc(&pattern, '%');
		add_escaped(&pattern, filter);
		sb_addc(&pattern, '%');
		params[np++] = sb_str(&pattern);
		snprintf(ph, sizeof(ph), "$%d", np);
	}
	int first = np + 1;
	for (size_t k = 0; parts && k < nparts; k++)
		params[np++] = parts[k] ? parts[k] : (nullable(b, b->keys[k]) ? "" : NULL);
	snprintf(limit, sizeof(limit), "%zu", n);
	params[np++] = limit;

	size_t nterms = 0;
	char **term = NULL;
	if (*ph && e->filter_by_terms) {
		struct strbuf terms = {0};
		add_filter_terms(&terms, e, ph, filter);
		term = split_terms(sb_str(&terms), &nterms);
		sb_free(&terms);
	}
	if (nterms) {
		/* each term's first rows by its own index, their keys and
		 * order only (no name looked up for a row not shown), then the
		 * first of them all, read again whole by key: no walk of the
		 * scope's rows when few match */
		add_page_select(&sql, b);
		sb_adds(&sql, " FROM (");
		for (size_t i = 0; i < nterms; i++) {
			sb_adds(&sql, i ? " UNION (SELECT " : "(SELECT ");
			for (size_t k = 0; k < b->nkeys; k++) {
				add_sort_expr(&sql, b, b->keys[k], "t");
				sb_addf(&sql, " AS k%zu, ", k);
			}
			for (size_t o = 0; o < b->norder; o++) {
				add_sort_expr(&sql, b, b->order[o], "t");
				sb_addf(&sql, " AS o%zu%s", o, o + 1 < b->norder ? ", " : "");
			}
			char *ordered = ordered_term(b, term[i]);
			add_page_where(&sql, b, ordered ? ordered : term[i],
				       parts ? how : FETCH_FIRST, first);
			free(ordered);
			sb_adds(&sql, " ORDER BY ");
			add_list_order(&sql, b, desc);
			sb_addf(&sql, " LIMIT $%d::bigint)", np);
			free(term[i]);
		}
		free(term);
		sb_addf(&sql, ") u JOIN %s t ON ", e->view ? e->view : e->table);
		for (size_t k = 0; k < b->nkeys; k++) {
			sb_adds(&sql, k ? " AND " : "");
			add_sort_expr(&sql, b, b->keys[k], "t");
			sb_addf(&sql, " = u.k%zu", k);
		}
		sb_adds(&sql, " ORDER BY ");
		for (size_t o = 0; o < b->norder; o++)
			sb_addf(&sql, "%su.o%zu%s", o ? ", " : "", o, desc ? " DESC" : "");
	} else {
		struct strbuf cond = {0};
		free(term);
		term = NULL;
		add_page_select(&sql, b);
		if (*ph)
			add_filter(&cond, e, ph, filter);
		add_page_where(&sql, b, *ph ? sb_str(&cond) : NULL, parts ? how : FETCH_FIRST,
			       first);
		sb_free(&cond);
		sb_adds(&sql, " ORDER BY ");
		add_list_order(&sql, b, desc);
	}
	if (nterms) {
		sb_addf(&sql, " LIMIT $%d::bigint", np);
	} else {
		/* The limit as a value the planner does not see: it plans for a
		 * tenth of the rows it expects rather than for the page's. Under
		 * the policies' bounds (initplans it cannot see either) it
		 * expects a few rows where there may be thousands, and for a page
		 * of a few it appended the rows of every partition of the hours
		 * or the visits after the key (before it, for a page up) and
		 * sorted them all rather than merging the partitions' index
		 * ranges in order: 1,500 rows sorted for a page on a test's
		 * county, 100,000 on the province set. For a tenth of them the
		 * ordered merge, which returns its first rows at once, is the
		 * cheaper plan, however few rows it expects. */
		sb_addf(&sql, " LIMIT (SELECT $%d::bigint)", np);
	}

	bool admin = session_admin(b);
	PGresult *res = db_async_query(b->db, sb_str(&sql), np, params, err);
	if (!res)
		goto out;
	int rows = PQntuples(res);
	const char **vals = xcalloc(e->nfields + 1, sizeof(*vals));
	const char **cells = xcalloc(b->ncols + 1, sizeof(*cells));
	char **masked = xcalloc(b->ncols + 1, sizeof(*masked));
	for (int i = 0; i < rows; i++) {
		int r = desc != b->reverse ? rows - 1 - i : i;
		memset(vals, 0, (e->nfields + 1) * sizeof(*vals));
		for (size_t k = 0; k < b->nkeys; k++) {
			int fi = dict_field_index(e, b->keys[k]);
			vals[fi] = PQgetisnull(res, r, (int)k) ? NULL : PQgetvalue(res, r, (int)k);
		}
		for (size_t c = 0; c < b->ncols; c++) {
			int col = (int)(b->nkeys + c);
			cells[c] = PQgetisnull(res, r, col) ? NULL : PQgetvalue(res, r, col);
		}
		bool child = record_sensitive(e, vals);
		int named = (int)(b->nkeys + b->ncols);
		for (size_t c = 0; c < b->ncols; c++) {
			const struct dict_field *f = b->cols[c];
			bool by_name = dict_shows_name(e, f);
			const char *name = NULL;
			if (by_name) {
				name =
				    PQgetisnull(res, r, named) ? NULL : PQgetvalue(res, r, named);
				named++;
			}
			if (!cells[c])
				continue;
			if (name && dict_shows_code(f) && *name) {
				/* a case's number, then its recipient */
				struct strbuf sb = {0};
				sb_addf(&sb, "%s %s", cells[c], name);
				masked[c] = sb_detach(&sb);
				cells[c] = masked[c];
				continue;
			}
			if (name) {
				/* masked by the view as rules.md says */
				cells[c] = *name ? name : cells[c];
				continue;
			}
			if (browse_is_idnum(f) && (!admin || child)) {
				masked[c] = browse_idnum_shown(cells[c], admin, child);
			} else if (child && strcmp(f->column, "name") == 0) {
				masked[c] = mask_name(cells[c]);
			}
			if (by_name) {
				/* a reference that does not resolve: its code, marked
				 * first, so that a narrow column still shows the mark */
				char *code = masked[c] ? masked[c] : xstrdup(cells[c]);
				struct strbuf sb = {0};
				sb_addf(&sb, "%s%s", BROWSE_UNRESOLVED, code);
				free(code);
				masked[c] = sb_detach(&sb);
			}
			if (masked[c])
				cells[c] = masked[c];
		}
		char *k = record_key_encode(e, vals);
		int stop = fn(arg, k, cells);
		free(k);
		for (size_t c = 0; c < b->ncols; c++) {
			free(masked[c]);
			masked[c] = NULL;
		}
		if (stop < 0)
			break;
	}
	free(masked);
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

/* COPY takes no parameters: the filter travels in a setting local to the
 * transaction, read back by current_setting(). */
static void build_copy(const struct browse *b, const char *filter, struct strbuf *sql)
{
	const struct dict_entity *e = b->e;

	sb_adds(sql, "COPY (SELECT ");
	transfer_export_columns(sql, e);
	/* the list as it shows: numbers masked */
	sb_addf(sql, " FROM %s t WHERE true", e->view ? e->view : e->table);
	if (filter && *filter)
		add_filter(sql, e, "current_setting('sgz.browse_filter')", filter);
	sb_adds(sql, " ORDER BY ");
	add_key_order(sql, b, false);
	sb_adds(sql, ") TO STDOUT WITH (FORMAT csv, HEADER true)");
}

int browse_copy_export(struct db *db, FILE *out, const char *setup_sql,
		       const char *const *setup_params, int nsetup, const char *copy_sql,
		       const char *audit_sql, const char *const *audit_params, int naudit,
		       long *rows, struct sgz_err *err)
{
	bool in_tx = false;
	const char *audit[BROWSE_AUDIT_MAX + 1];
	char nrows[24];
	int rc = -1;
	long n = 0;

	*rows = 0;
	if (naudit > BROWSE_AUDIT_MAX) {
		sgz_err_set(err, SGZ_EUSAGE, "export: too many audit parameters");
		return -1;
	}
	if (db_begin(db, err) < 0)
		goto out;
	in_tx = true;
	if (setup_sql && db_exec(db, setup_sql, nsetup, setup_params, err) < 0)
		goto out;
	if (db_async_copy_out(db, copy_sql, out, &n, err) < 0)
		goto out;
	if (fflush(out) != 0 || ferror(out)) {
		sgz_err_set(err, SGZ_EUSAGE, "write failed: %s", strerror(errno));
		goto out;
	}
	/* rules.md: every export is audited, in the same transaction: an
	 * export the trail cannot record fails (and its caller leaves no file) */
	snprintf(nrows, sizeof(nrows), "%ld", n);
	for (int i = 0; i < naudit; i++)
		audit[i] = audit_params[i];
	audit[naudit] = nrows;
	if (db_exec(db, audit_sql, naudit + 1, audit, err) < 0)
		goto out;
	if (db_commit(db, err) < 0)
		goto out;
	in_tx = false;
	rc = 0;
out:
	if (in_tx)
		db_rollback(db);
	if (rc == 0)
		*rows = n;
	return rc;
}

int browse_export(struct browse *b, const char *filter, FILE *out, long *rows,
		  struct sgz_err *err)
{
	struct strbuf sql = {0}, pattern = {0};
	bool filtered = filter && *filter;
	int rc;

	if (filtered) {
		sb_addc(&pattern, '%');
		add_escaped(&pattern, filter);
		sb_addc(&pattern, '%');
	}
	const char *setup[1] = {sb_str(&pattern)};
	const char *audit[3] = {b->e->table, b->e->name, filtered ? filter : NULL};
	build_copy(b, filter, &sql);
	rc = browse_copy_export(b->db, out,
				filtered ? "SELECT set_config('sgz.browse_filter', $1, true)" : NULL,
				setup, 1, sb_str(&sql),
				"SELECT sgz.audit_event('export', $1, jsonb_build_object('entity', "
				"$2::text, 'filter', $3::text, 'rows', $4::bigint))",
				audit, 3, rows, err);
	sb_free(&sql);
	sb_free(&pattern);
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
	const char *table = f->ref_table ? f->ref_table : f->pick_table;
	const char *column = f->ref_table ? f->ref_column : f->pick_column;
	const struct dict_entity *e = table ? entity_of_table(table) : NULL;
	const struct dict_field *key, *label = NULL;
	struct strbuf sql = {0}, prefix = {0}, inner = {0};
	char limit[24];
	int rc = -1;

	if (!e || !(key = dict_field_by_header(e, column))) {
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

	/* a person of a view (0012): picked by pid, shown masked */
	bool pid = e->view && key->pid_column;
	const struct dict_field *place = NULL;
	sb_adds(&sql, "SELECT ");
	if (pid)
		sb_addf(&sql, "'#' || t.%s, ", key->pid_column);
	transfer_export_expr(&sql, key, "t");
	if (label && e->view && label->name_column) {
		/* a person the record refers to (a case's recipient): by the
		 * name the view shows, masked as it masks it */
		sb_addf(&sql, ", t.%s", label->name_column);
	} else if (label) {
		sb_adds(&sql, ", ");
		transfer_export_expr(&sql, label, "t");
	} else {
		sb_adds(&sql, ", NULL");
	}
	/* the session's kind in the same round trip: masking needs it */
	sb_adds(&sql, browse_is_idnum(key) ? ", sgz.current_kind() = 'admin'" : ", false");
	/* where a person is, by name: his station, a recipient's village */
	for (size_t i = 0; pid && !place && i < e->nfields; i++)
		if ((e->fields[i].flags & DF_LIST) && !e->fields[i].pid_column &&
		    dict_shows_name(e, &e->fields[i]))
			place = &e->fields[i];
	sb_adds(&sql, ", ");
	if (place)
		dict_name_sql(e, place, "t", &sql);
	else
		sb_adds(&sql, "NULL::text");
	/* the view where there is one: what the reader may read (a station
	 * user reads no base table of people's records) */
	/* $1 and $2 typed even when nothing below compares them (nothing
	 * typed; a contract has no search field but its key): the server
	 * refuses a parameter of no type */
	sb_addf(&sql, " FROM %s t WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL",
		e->view ? e->view : e->table);
	if (text && *text) {
		/* what the entity's list filter finds (browse_first()), and
		 * the start of the key */
		sb_addf(&sql, " AND (t.%s::text LIKE $1", key->column);
		add_filter_terms(&sql, e, "$2", text);
		sb_adds(&sql, ")");
	}
	/* people in the order they were registered: their numbers are masked */
	if (pid)
		sb_addf(&sql, " ORDER BY t.%s LIMIT $3::bigint", key->pid_column);
	else if (e->scope_column)
		/* the reader's own first: a station user's villages before
		 * the country's divisions */
		sb_addf(&sql,
			" ORDER BY t.%s BETWEEN (SELECT sgz.scope_low()) AND"
			" (SELECT sgz.scope_high()) DESC, t.%s LIMIT $3::bigint",
			e->scope_column, key->column);
	else
		sb_addf(&sql, " ORDER BY t.%s LIMIT $3::bigint", key->column);
	PGresult *res = db_async_query(db, sb_str(&sql), 3, params, err);
	if (!res)
		goto out;
	const char **vals = xcalloc(e->nfields + 1, sizeof(*vals));
	for (int r = 0; r < PQntuples(res); r++) {
		if (pid) {
			/* masked by the view, a child's name too */
			int stop = fn(arg, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
				      PQgetisnull(res, r, 2) ? NULL : PQgetvalue(res, r, 2),
				      PQgetisnull(res, r, 4) ? NULL : PQgetvalue(res, r, 4));
			if (stop < 0)
				break;
			continue;
		}
		const char *value = PQgetvalue(res, r, 0);
		const char *desc = PQgetisnull(res, r, 1) ? NULL : PQgetvalue(res, r, 1);
		char *shown = NULL, *name = NULL;
		bool admin = strcmp(PQgetvalue(res, r, 2), "t") == 0, child;

		vals[dict_field_index(e, key)] = value;
		child = record_sensitive(e, vals);
		/* as the lists show them: the number masked unless admin, a
		 * child's number and name masked whoever asks */
		if (browse_is_idnum(key) && strlen(value) == IDNUM_LEN)
			shown = browse_idnum_shown(value, admin, child);
		if (child && desc)
			desc = name = mask_name(desc);
		int stop = fn(arg, value, shown ? shown : value, desc, NULL);
		free(shown);
		free(name);
		if (stop < 0)
			break;
	}
	free(vals);
	PQclear(res);
	rc = 0;
out:
	sb_free(&sql);
	sb_free(&prefix);
	sb_free(&inner);
	return rc;
}

/* The staff of sgz.staff_v active on day (of station st when given),
 * as the view shows them: '#pid', the masked number, the name and the
 * station's name. */
static void attendee_select(struct strbuf *sql, const struct dict_entity *e)
{
	const struct dict_field *place = dict_field_by_header(e, "station");

	sb_adds(sql, "SELECT '#' || t.pid, t.id_number, t.name, ");
	if (place)
		dict_name_sql(e, place, "t", sql);
	else
		sb_adds(sql, "NULL::text");
	sb_addf(sql, " FROM %s t", e->view ? e->view : e->table);
}

static int attendee_rows(PGresult *res, int first, browse_pick_fn fn, void *arg)
{
	for (int r = 0; r < PQntuples(res); r++) {
		int c = first;
		if (fn(arg, PQgetvalue(res, r, c), PQgetvalue(res, r, c + 1),
		       PQgetisnull(res, r, c + 2) ? NULL : PQgetvalue(res, r, c + 2),
		       PQgetisnull(res, r, c + 3) ? NULL : PQgetvalue(res, r, c + 3)) < 0)
			break;
	}
	return 0;
}

#define ACTIVE_ON                                                                          \
	" t.hired_on <= $3::date AND (t.left_on IS NULL OR t.left_on > $3::date)"          \
	" AND ($4::text IS NULL OR t.station = $4::text)"

int browse_lookup_attendees(struct db *db, const char *text, const char *station,
			    const char *day, size_t n, browse_pick_fn fn, void *arg,
			    struct sgz_err *err)
{
	const struct dict_entity *e = entity_of_table("sgz.staff");
	struct strbuf sql = {0}, prefix = {0}, inner = {0};
	char limit[24];
	PGresult *res;

	if (!e) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: not a reference the dictionary knows", "attendees");
		return -1;
	}
	add_escaped(&prefix, text ? text : "");
	sb_addc(&prefix, '%');
	sb_addc(&inner, '%');
	add_escaped(&inner, text ? text : "");
	sb_addc(&inner, '%');
	snprintf(limit, sizeof(limit), "%zu", n);
	const char *params[5] = {sb_str(&prefix), sb_str(&inner), day, station, limit};
	attendee_select(&sql, e);
	sb_adds(&sql, " WHERE $1::text IS NOT NULL AND $2::text IS NOT NULL AND" ACTIVE_ON);
	if (text && *text) {
		sb_adds(&sql, " AND (t.id_number LIKE $1");
		add_filter_terms(&sql, e, "$2", text);
		sb_adds(&sql, ")");
	}
	sb_adds(&sql, " ORDER BY t.station, t.name, t.pid LIMIT $5::bigint");
	res = db_async_query(db, sb_str(&sql), 5, params, err);
	sb_free(&sql);
	sb_free(&prefix);
	sb_free(&inner);
	if (!res)
		return -1;
	attendee_rows(res, 0, fn, arg);
	PQclear(res);
	return 0;
}

int browse_attendee_ticks(struct db *db, const char *list, const char *station, const char *day,
			  browse_pick_fn fn, void *arg, struct sgz_err *err)
{
	const struct dict_entity *e = entity_of_table("sgz.staff");
	struct strbuf sql = {0};
	PGresult *res;

	if (!e) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: not a reference the dictionary knows", "attendees");
		return -1;
	}
	const char *params[4] = {list ? list : "", "", day, station};
	/* each element of the list: a pid picked (#pid), or a number as the
	 * view shows it (masked) or in full; one of those active that day
	 * first. An element found nowhere comes back with its own text. */
	sb_adds(&sql, "SELECT a.tok, c.* FROM unnest(string_to_array($1::text, ';'))"
		      " WITH ORDINALITY a(tok, k) LEFT JOIN LATERAL (");
	attendee_select(&sql, e);
	sb_adds(&sql, " WHERE $2::text IS NOT NULL AND CASE WHEN a.tok ~ '^#[0-9]+$'"
		      " THEN t.pid = substr(a.tok, 2)::bigint"
		      " ELSE t.id_number IN (a.tok, sgz.mask_id(a.tok)) END"
		      " ORDER BY (" ACTIVE_ON ") DESC, t.pid LIMIT 1) c ON true"
		      " WHERE a.tok <> '' ORDER BY a.k");
	res = db_async_query(db, sb_str(&sql), 4, params, err);
	sb_free(&sql);
	if (!res)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *tok = PQgetvalue(res, r, 0);
		bool found = !PQgetisnull(res, r, 1);
		/* the token stays what it was: the database reads a masked
		 * one against the row's own attendees */
		if (fn(arg, tok, found ? PQgetvalue(res, r, 1) : tok,
		       found && !PQgetisnull(res, r, 3) ? PQgetvalue(res, r, 3) : NULL,
		       found && !PQgetisnull(res, r, 4) ? PQgetvalue(res, r, 4) : NULL) < 0)
			break;
	}
	PQclear(res);
	return 0;
}

int browse_audit_pick(struct db *db, const struct dict_field *f, const char *value,
		      bool shown_full, struct sgz_err *err)
{
	const char *table = f->ref_table ? f->ref_table : f->pick_table;
	const char *column = f->ref_table ? f->ref_column : f->pick_column;
	const struct dict_entity *e = table ? entity_of_table(table) : NULL;
	const struct dict_field *key = e ? dict_field_by_header(e, column) : NULL;
	struct strbuf sql = {0};
	const char **vals;
	bool child;
	int rc;

	if (!key || !browse_is_idnum(key) || !value || !*value)
		return 0;
	if (record_token_pid(value)) {
		/* picked by pid: what the picker showed was the view's, masked;
		 * the pick of a child's record is filed as its open (0012) */
		const char *params[2] = {e->name, record_token_pid(value)};
		return db_exec(db, "SELECT sgz.person_name($1, $2::bigint, 'picker')", 2, params, err);
	}
	vals = xcalloc(e->nfields + 1, sizeof(*vals));
	vals[dict_field_index(e, key)] = value;
	child = record_sensitive(e, vals);
	free(vals);
	if (!child && !shown_full)
		return 0; /* masked, and no child's: nothing was revealed */
	const char *params[3] = {e->table, e->name, value};
	/* filed under the record's own division, as record_load() files an
	 * open; nothing when the row is not readable (nothing was shown) */
	sb_addf(&sql,
		"SELECT sgz.audit_event('open', $1, jsonb_build_object('entity', $2::text,"
		" 'key', $3::text, 'shown', 'picker'), %s%s)"
		" FROM %s t WHERE t.%s = $3",
		e->scope_column ? "t." : "", e->scope_column ? e->scope_column : "NULL::text",
		e->table, key->column);
	rc = db_exec(db, sb_str(&sql), 3, params, err);
	sb_free(&sql);
	return rc;
}
