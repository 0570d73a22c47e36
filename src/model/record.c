/* record.c - one record over the data dictionary: load by key, save with
 * row_version, insert, delete. Identifiers come from the dictionary, values
 * only as parameters. A save runs the dictionary's rules over the row first,
 * in a one-row staging table as the import does, so the form gets the
 * import's messages, each naming its field; the database's own constraints
 * stay the backstop, and their refusals are mapped to a field too. */
#include "config.h"

#include "sgz/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/date.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/transfer.h"
#include "sgz/validate.h"

/* Separates the parts of a list key; never in a value (control characters
 * are refused in every field that can be a key). */
#define KEY_SEP '\x1f'

/* ---- records ---- */

void record_error_init(struct record_error *re)
{
	memset(re, 0, sizeof(*re));
	sgz_err_clear(&re->err);
	re->field = -1;
}

void record_error_free(struct record_error *re)
{
	if (!re)
		return;
	record_free(re->stored);
	re->stored = NULL;
}

/* Empties re for a new call, keeping nothing of the last one. */
static void error_reset(struct record_error *re)
{
	record_error_free(re);
	record_error_init(re);
}

struct record *record_new(const struct dict_entity *e)
{
	struct record *r = xcalloc(1, sizeof(*r));

	r->e = e;
	r->values = xcalloc(e->nfields ? e->nfields : 1, sizeof(*r->values));
	r->pids = xcalloc(e->nfields ? e->nfields : 1, sizeof(*r->pids));
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].def && !(e->fields[i].flags & DF_NOEXPORT))
			r->values[i] = xstrdup(e->fields[i].def);
	return r;
}

/* A copy of the n strings of v (NULL stays NULL). */
static char **dup_strings(char *const *v, size_t n)
{
	char **d = xcalloc(n ? n : 1, sizeof(*d));

	for (size_t i = 0; i < n; i++)
		d[i] = v[i] ? xstrdup(v[i]) : NULL;
	return d;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* The people's own number (the key of a staff member, volunteer or
 * recipient), whose pid the database gives. */
static bool own_number(const struct dict_entity *e, const struct dict_field *f)
{
	return dict_by_pid(e, f) && strcmp(f->pid_column, "pid") == 0;
}

static size_t key_count(const struct dict_entity *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_KEY)
			n++;
	return n;
}

struct record *record_dup(const struct record *r)
{
	struct record *d = xcalloc(1, sizeof(*d));
	size_t nk = key_count(r->e);

	d->e = r->e;
	d->row_version = r->row_version;
	d->values = dup_strings(r->values, r->e->nfields);
	d->pids = dup_strings(r->pids, r->e->nfields);
	if (r->stored_pids)
		d->stored_pids = dup_strings(r->stored_pids, r->e->nfields);
	if (r->stored) {
		d->stored = xcalloc(r->e->nfields ? r->e->nfields : 1, sizeof(*d->stored));
		for (size_t i = 0; i < r->e->nfields; i++)
			d->stored[i] = r->stored[i] ? xstrdup(r->stored[i]) : NULL;
	}
	if (r->key) {
		d->key = xcalloc(nk ? nk : 1, sizeof(*d->key));
		for (size_t k = 0; k < nk; k++)
			d->key[k] = r->key[k] ? xstrdup(r->key[k]) : NULL;
	}
	return d;
}

static void free_key(const struct dict_entity *e, char **key)
{
	if (key)
		record_key_free(key, key_count(e));
}

static void free_stored(const struct dict_entity *e, char **stored)
{
	for (size_t i = 0; stored && i < e->nfields; i++)
		free(stored[i]);
	free(stored);
}

void record_free(struct record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->e->nfields; i++)
		free(r->values[i]);
	free(r->values);
	free_strings(r->pids, r->e->nfields);
	free_strings(r->stored_pids, r->e->nfields);
	free_stored(r->e, r->stored);
	free_key(r->e, r->key);
	free(r);
}

bool record_is_new(const struct record *r)
{
	return r->key == NULL;
}

const char *record_value(const struct record *r, size_t i)
{
	return i < r->e->nfields ? r->values[i] : NULL;
}

void record_set(struct record *r, size_t i, const char *v)
{
	if (i >= r->e->nfields)
		return;
	free(r->values[i]);
	r->values[i] = v && *v ? xstrdup(v) : NULL;
	free(r->pids[i]);
	r->pids[i] = NULL; /* typed: the number itself names the person */
}

void record_set_person(struct record *r, size_t i, const char *pid, const char *shown)
{
	if (i >= r->e->nfields)
		return;
	record_set(r, i, shown);
	r->pids[i] = pid && *pid ? xstrdup(pid) : NULL;
}

const char *record_pid(const struct record *r, size_t i)
{
	return i < r->e->nfields ? r->pids[i] : NULL;
}

char *record_person_token(const char *pid)
{
	struct strbuf sb = {0};

	sb_addf(&sb, "#%s", pid);
	return sb_detach(&sb);
}

const char *record_token_pid(const char *v)
{
	if (!v || v[0] != '#' || !v[1])
		return NULL;
	for (const char *p = v + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	return v + 1;
}

int record_ref_name(struct db *db, const struct dict_entity *e, const struct dict_field *f,
		    const char *value, char **name, struct sgz_err *err)
{
	struct strbuf sql = {0}, key = {0};
	const char *pid = record_token_pid(value);
	const char *params[1] = {pid ? pid : value};
	int rc = -1;

	*name = NULL;
	if (!value || !*value || !dict_shows_name(e, f))
		return 0;
	if (dict_by_pid(e, f) && !pid)
		/* a number typed: its pid in the reader's scope */
		sb_addf(&key, "SELECT l.pid FROM sgz.person_lookup('%s', ARRAY[$1::text]) l",
			dict_person_table(e, f));
	else
		sb_adds(&key, "$1");
	sb_adds(&sql, "SELECT ");
	dict_name_of_sql(e, f, sb_str(&key), &sql);
	PGresult *res = db_query(db, sb_str(&sql), 1, params, err);
	if (res) {
		if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			*name = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		rc = 0;
	}
	sb_free(&sql);
	sb_free(&key);
	return rc;
}

int record_session_load(struct db *db, struct record_session *s, struct sgz_err *err)
{
	static const char sql[] =
	    "SELECT (SELECT t.township FROM sgz.station t\n"
	    "         WHERE length(sgz.scope_prefix()) = 9\n"
	    "           AND t.township = rpad(sgz.scope_prefix(), 12, '0')),\n"
	    "       m.pid, m.id_number\n"
	    "  FROM (SELECT 1) one\n"
	    "  LEFT JOIN sgz.staff_v m ON m.pid = (SELECT sgz.user_staff())";
	PGresult *res;

	memset(s, 0, sizeof(*s));
	res = db_query(db, sql, 0, NULL, err);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		if (!PQgetisnull(res, 0, 0))
			s->station = xstrdup(PQgetvalue(res, 0, 0));
		if (!PQgetisnull(res, 0, 1) && !PQgetisnull(res, 0, 2)) {
			s->staff_pid = xstrdup(PQgetvalue(res, 0, 1));
			s->staff_shown = xstrdup(PQgetvalue(res, 0, 2));
		}
	}
	PQclear(res);
	return 0;
}

void record_session_free(struct record_session *s)
{
	free(s->station);
	free(s->staff_pid);
	free(s->staff_shown);
	memset(s, 0, sizeof(*s));
}

int record_follow(struct db *db, const struct dict_entity *e, const struct dict_field *f,
		  const char *from, char **value, char **shown, struct sgz_err *err)
{
	const struct dict_field *ff = f->follow_from ? dict_field_by_header(e, f->follow_from) : NULL;
	const char *pid = record_token_pid(from);
	char *found = NULL;
	const char *params[1];
	PGresult *res;

	*value = *shown = NULL;
	if (!ff || !f->follow_sql || !from || !*from)
		return 0;
	if (dict_by_pid(e, ff) && !pid) {
		/* a number typed in full: its pid in the reader's scope first */
		struct strbuf sql = {0};
		params[0] = from;
		sb_addf(&sql, "SELECT l.pid FROM sgz.person_lookup('%s', ARRAY[$1::text]) l",
			dict_person_table(e, ff));
		res = db_query(db, sb_str(&sql), 1, params, err);
		sb_free(&sql);
		if (!res)
			return -1;
		if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			found = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (!found)
			return 0;
		pid = found;
	}
	params[0] = pid ? pid : from;
	res = db_query(db, f->follow_sql, 1, params, err);
	free(found);
	if (!res)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		*value = xstrdup(PQgetvalue(res, 0, 0));
		if (PQnfields(res) > 1 && !PQgetisnull(res, 0, 1))
			*shown = xstrdup(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return 0;
}

static const struct dict_field *person_name_field(const struct dict_entity *e);
static void add_key_where(struct strbuf *sb, const struct dict_entity *e, int first);

int record_title(struct db *db, const struct record *r, bool zh, char **title,
		 struct sgz_err *err)
{
	const struct dict_entity *e = r->e;
	const struct dict_field *name = person_name_field(e);
	struct strbuf sql = {0}, out = {0};
	char *key = record_key(r);
	size_t nk;
	char **parts = record_key_decode(e, key, &nk);
	PGresult *res;
	int col = 0;

	*title = NULL;
	free(key);
	if (!parts) {
		sgz_err_set(err, SGZ_EUSAGE, "%s", _("bad record key"));
		return -1;
	}
	/* per key field its value and its name (or NULL), then the name of
	 * a person's own record, or what the entity shows */
	sb_adds(&sql, "SELECT ");
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & DF_KEY))
			continue;
		transfer_export_expr(&sql, f, "t");
		sb_adds(&sql, ", ");
		if (!name && dict_shows_name(e, f) && f->type != DT_DIVISIONS)
			dict_name_sql(e, f, "t", &sql);
		else
			sb_adds(&sql, "NULL");
		sb_adds(&sql, ", ");
	}
	if (name)
		sb_addf(&sql, "t.%s", name->column);
	else if (e->shown)
		sb_addf(&sql, "(SELECT %s FROM (SELECT t.*) r)", e->shown);
	else
		sb_adds(&sql, "NULL");
	sb_addf(&sql, " FROM %s t WHERE ", e->view ? e->view : e->table);
	add_key_where(&sql, e, 1);
	res = db_query(db, sb_str(&sql), (int)nk, (const char *const *)parts, err);
	record_key_free(parts, nk);
	sb_free(&sql);
	if (!res)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		*title = xstrdup("");
		return 0;
	}
	col = 2 * (int)nk;
	if (name && !PQgetisnull(res, 0, col))
		sb_adds(&out, PQgetvalue(res, 0, col));
	for (size_t i = 0, k = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		const char *v, *n;
		if (!(f->flags & DF_KEY))
			continue;
		v = PQgetisnull(res, 0, (int)(2 * k)) ? NULL : PQgetvalue(res, 0, (int)(2 * k));
		n = PQgetisnull(res, 0, (int)(2 * k + 1)) ? NULL : PQgetvalue(res, 0, (int)(2 * k + 1));
		k++;
		if (!v && !n)
			continue;
		if (out.len)
			sb_addc(&out, ' ');
		if (n && !*n)
			n = NULL;
		/* a person: his name, then his number masked; a case: its
		 * number, then its recipient; a station: its name */
		if (n && (dict_by_pid(e, f) || dict_shows_code(f)) && v)
			sb_addf(&out, dict_by_pid(e, f) ? "%2$s %1$s" : "%1$s %2$s", v, n);
		else if (n)
			sb_adds(&out, n);
		else
			dict_value_label_lang(f, v, zh, &out);
	}
	/* what the entity shows, unless the key said it already (a
	 * community organisation's name is part of its key) */
	if (!name && e->shown && !PQgetisnull(res, 0, col) && *PQgetvalue(res, 0, col) &&
	    !strstr(sb_str(&out), PQgetvalue(res, 0, col))) {
		sb_addc(&out, ' ');
		sb_adds(&out, PQgetvalue(res, 0, col));
	}
	PQclear(res);
	*title = sb_detach(&out);
	if (!*title)
		*title = xstrdup("");
	return 0;
}

int record_set_input(struct record *r, size_t i, const char *in, struct sgz_err *err)
{
	struct strbuf out = {0};
	int rc;

	if (i >= r->e->nfields) {
		sgz_err_set(err, SGZ_EUSAGE, "no such field");
		return -1;
	}
	rc = dict_parse_value(&r->e->fields[i], in, &out, err);
	if (rc == 0)
		record_set(r, i, sb_str(&out));
	sb_free(&out);
	return rc;
}

/* ---- keys ---- */

char *record_key_encode(const struct dict_entity *e, const char *const *values)
{
	struct strbuf sb = {0};
	int first = 1;

	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & DF_KEY))
			continue;
		if (!first)
			sb_addc(&sb, KEY_SEP);
		if (values[i]) {
			sb_addc(&sb, 'V');
			sb_adds(&sb, values[i]);
		} else {
			sb_addc(&sb, 'N');
		}
		first = 0;
	}
	return sb_detach(&sb);
}

void record_key_free(char **parts, size_t n)
{
	if (!parts)
		return;
	for (size_t k = 0; k < n; k++)
		free(parts[k]);
	free(parts);
}

char **record_key_decode(const struct dict_entity *e, const char *key, size_t *n)
{
	size_t nk = key_count(e), k = 0;
	char **parts = xcalloc(nk ? nk : 1, sizeof(*parts));
	const char *p = key;

	*n = nk;
	while (k < nk) {
		const char *end = strchr(p, KEY_SEP);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || (p[0] != 'V' && p[0] != 'N') || (p[0] == 'N' && len != 1))
			goto bad;
		parts[k++] = p[0] == 'V' ? xstrndup(p + 1, len - 1) : NULL;
		if (!end)
			break;
		p = end + 1;
	}
	if (k != nk || strchr(p, KEY_SEP))
		goto bad;
	return parts;
bad:
	record_key_free(parts, nk);
	return NULL;
}

char *record_key(const struct record *r)
{
	if (!r->key)
		return record_key_encode(r->e, (const char *const *)r->values);
	/* the stored key spread back over the fields */
	const char **v = xcalloc(r->e->nfields ? r->e->nfields : 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < r->e->nfields; i++)
		if (r->e->fields[i].flags & DF_KEY)
			v[i] = r->key[k++];
	char *s = record_key_encode(r->e, v);
	free(v);
	return s;
}

/* The key of r's values, as record->key holds it. */
static char **key_of_values(const struct record *r)
{
	size_t nk = key_count(r->e), k = 0;
	char **key = xcalloc(nk ? nk : 1, sizeof(*key));

	for (size_t i = 0; i < r->e->nfields; i++) {
		if (!(r->e->fields[i].flags & DF_KEY))
			continue;
		const char *v = dict_by_pid(r->e, &r->e->fields[i]) ? r->pids[i] : r->values[i];
		key[k++] = v ? xstrdup(v) : NULL;
	}
	return key;
}

/* ---- SQL from the dictionary ---- */

/* The type a parameter of field f is cast to. */
static const char *param_type(const struct dict_field *f)
{
	/* Lists travel as their ;-joined text. */
	if (f->type == DT_CHOICES || f->type == DT_DIVISIONS)
		return "text";
	return dict_sql_type(f);
}

/* Parameter $n as the value of column f. */
static void add_value_expr(struct strbuf *sb, const struct dict_field *f, int n)
{
	if (f->type == DT_CHOICES || f->type == DT_DIVISIONS)
		sb_addf(sb, "coalesce(string_to_array($%d::text, ';'), '{}')", n);
	else
		sb_addf(sb, "$%d::%s", n, param_type(f));
}

/* Where a record is read from: its masking view, or its table. */
static const char *read_from(const struct dict_entity *e)
{
	return e->view ? e->view : e->table;
}

/* The name of a person as written, for his own form: the view shows a
 * child's masked; sgz.person_name() files the open (0012). */
static const struct dict_field *person_name_field(const struct dict_entity *e)
{
	bool own = false;

	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && own_number(e, &e->fields[i]))
			own = true;
	return own ? dict_field_by_header(e, "name") : NULL;
}

/* Every field, then the pid of each person field, then the name of a
 * person as written (person_name_field()), then row_version: take_row()
 * reads them in this order. */
static void add_select_list(struct strbuf *sb, const struct dict_entity *e)
{
	for (size_t i = 0; i < e->nfields; i++) {
		transfer_export_expr(sb, &e->fields[i], "t");
		sb_adds(sb, ", ");
	}
	for (size_t i = 0; i < e->nfields; i++)
		if (dict_by_pid(e, &e->fields[i]))
			sb_addf(sb, "t.%s::text, ", e->fields[i].pid_column);
	if (person_name_field(e))
		sb_addf(sb, "sgz.person_name('%s', t.pid, 'form'), ", e->name);
	sb_adds(sb, "t.row_version");
}

/* "t.k1 = $n AND ..." over the key fields, parameters from $first on. A key
 * part that may be empty (an hours row without an activity) matches empty
 * to empty. */
static void add_key_where(struct strbuf *sb, const struct dict_entity *e, int first)
{
	int n = first;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & DF_KEY))
			continue;
		sb_addf(sb, "%st.%s %s $%d::%s", n == first ? "" : " AND ",
			dict_by_pid(e, f) ? f->pid_column : f->column,
			(f->flags & DF_REQUIRED) ? "=" : "IS NOT DISTINCT FROM", n,
			dict_by_pid(e, f) ? "bigint" : param_type(f));
		n++;
	}
}

/* Fills r from row `row` of res (add_select_list's columns). */
static void take_row(struct record *r, const PGresult *res, int row)
{
	const struct dict_entity *e = r->e;

	int c = (int)e->nfields;

	for (size_t i = 0; i < e->nfields; i++)
		record_set(r, i,
			   PQgetisnull(res, row, (int)i) ? NULL : PQgetvalue(res, row, (int)i));
	for (size_t i = 0; i < e->nfields; i++) {
		if (!dict_by_pid(e, &e->fields[i]))
			continue;
		r->pids[i] = PQgetisnull(res, row, c) ? NULL : xstrdup(PQgetvalue(res, row, c));
		c++;
	}
	const struct dict_field *name = person_name_field(e);
	if (name) {
		if (!PQgetisnull(res, row, c))
			record_set(r, (size_t)dict_field_index(e, name), PQgetvalue(res, row, c));
		c++;
	}
	r->row_version = atol(PQgetvalue(res, row, c));
	free_key(e, r->key);
	r->key = key_of_values(r);
	free_stored(e, r->stored);
	r->stored = dup_strings(r->values, e->nfields);
	free_strings(r->stored_pids, e->nfields);
	r->stored_pids = dup_strings(r->pids, e->nfields);
}

/* Whether field i differs from what was read: an update writes only those,
 * so that a role allowed to change some columns of a row (a station user
 * its station's facilities, not its status) can save the form. */
static bool changed(const struct record *r, size_t i)
{
	const char *a = r->values[i], *b = r->stored ? r->stored[i] : NULL;

	if (!r->stored)
		return true;
	if (dict_by_pid(r->e, &r->e->fields[i]) && r->pids[i]) {
		const char *sp = r->stored_pids ? r->stored_pids[i] : NULL;
		return !sp || strcmp(r->pids[i], sp) != 0;
	}
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

/* ---- errors of the database ---- */

/* The field a failed statement is about: the column the server names, or
 * the one whose name its constraint's name contains (staff_station_exists),
 * the longest such. -1 if none. */
static int error_field(const struct dict_entity *e, const PGresult *res)
{
	const char *col = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
	const char *con = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	int best = -1;

	for (size_t i = 0; col && i < e->nfields; i++)
		if (strcmp(e->fields[i].column, col) == 0)
			return (int)i;
	for (size_t i = 0; con && i < e->nfields; i++)
		if (strstr(con, e->fields[i].column) &&
		    (best < 0 || strlen(e->fields[i].column) > strlen(e->fields[best].column)))
			best = (int)i;
	return best;
}

/* The server's message for a person: a check's "Failing row contains
 * (...)" detail repeats the whole row and is left out. */
static void error_message(const PGresult *res, struct sgz_err *err)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);

	db_result_error(res, err);
	if (detail && strncmp(detail, "Failing row contains", 20) == 0 && state) {
		const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		enum sgz_status st = err->status;
		sgz_err_set(err, st, "%s", primary ? primary : _("refused by the database"));
	}
}

/* The field of column col (its own column or the pid column beside it,
 * 0012), or -1. */
static int field_of_column(const struct dict_entity *e, const char *col, size_t len)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const char *c = e->fields[i].column, *p = e->fields[i].pid_column;
		if ((strlen(c) == len && strncmp(c, col, len) == 0) ||
		    (p && strlen(p) == len && strncmp(p, col, len) == 0))
			return (int)i;
	}
	return -1;
}

/* A save refused for a key already stored (23505): said by the key's
 * fields in the reader's language ("已有个案、服务日期、服务类型相同的记
 * 录"), not by the database's constraint (visit_pkey, or a year's
 * partition's, visit_pkey_2026), and *field the first of them. The key's
 * columns are the detail's ("Key (case_no, visit_date, kind)=(...)"); a
 * key of expressions is the entity's own key fields. */
static void key_taken(const struct dict_entity *e, const PGresult *res, int *field,
		      struct sgz_err *err)
{
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *cols = detail && strncmp(detail, "Key (", 5) == 0 ? detail + 5 : NULL;
	const char *end = cols ? strstr(cols, ")=(") : NULL;
	bool zh = i18n_lang() == I18N_ZH;
	bool *named = xcalloc(e->nfields ? e->nfields : 1, sizeof(*named));
	struct strbuf names = {0};
	int first = -1;

	while (cols && end && cols < end) {
		size_t len = strcspn(cols, ",)");
		int f = field_of_column(e, cols, len);
		if (f >= 0) {
			named[f] = true;
			if (first < 0)
				first = f;
		}
		cols += len;
		cols += strspn(cols, ", ");
	}
	if (first < 0)
		for (size_t i = 0; i < e->nfields; i++)
			if (e->fields[i].flags & DF_KEY) {
				named[i] = true;
				if (first < 0)
					first = (int)i;
			}
	for (size_t i = 0; i < e->nfields; i++) {
		if (!named[i])
			continue;
		if (names.len)
			sb_adds(&names, _(", "));
		sb_adds(&names, zh && e->fields[i].label_zh ? e->fields[i].label_zh
							    : _(e->fields[i].label));
	}
	if (first >= 0) {
		*field = first;
		sgz_err_set(err, err->status, _("a record with the same %s is already stored"),
			    sb_str(&names));
	}
	sb_free(&names);
	free(named);
}

/* Runs a statement as db_query() does, keeping the failed result's fields
 * for the caller: *field (error_field()) and *state (SQLSTATE, 6 bytes). */
static PGresult *query_diag(struct db *db, const struct dict_entity *e, const char *sql,
			    int nparams, const char *const *params, int *field, char state[6],
			    struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);
	/* a save may wait on someone's lock: Esc or a signal cancels it */
	PGresult *res = db_async_run(db, sql, nparams, params);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	*field = -1;
	state[0] = '\0';
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res) {
		const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		snprintf(state, 6, "%s", s ? s : "");
		*field = error_field(e, res);
		error_message(res, err);
		if (strcmp(state, "23505") == 0)
			key_taken(e, res, field, err);
	} else {
		sgz_err_set(err, SGZ_EUSAGE, "%s", _("no result from the server"));
	}
	PQclear(res);
	log_msg(LOG_INFO, "statement failed: %s", err->msg);
	if (PQstatus(conn) != CONNECTION_OK) {
		struct sgz_err cerr;
		char lost[sizeof(err->msg)];
		snprintf(lost, sizeof(lost), "%s", err->msg);
		sgz_err_clear(&cerr);
		int rc = db_check(db, &cerr);
		err->status = SGZ_EUSAGE;
		err->conn_lost = 1;
		*field = -1;
		if (rc == 0)
			snprintf(
			    err->msg, sizeof(err->msg),
			    _("the database connection was lost (%.700s); it has been restored, "
			      "but nothing was saved"),
			    lost);
		else
			snprintf(err->msg, sizeof(err->msg), "%s", cerr.msg);
	}
	return NULL;
}

/* RECORD_REFUSED for data errors, RECORD_FAILED for the rest. */
static enum record_rc failed(const struct record_error *re)
{
	return re->err.status == SGZ_EDATA && !re->err.conn_lost ? RECORD_REFUSED : RECORD_FAILED;
}

static bool staged(const struct dict_field *f);

/* An update refused for a column the role may not change (rules.md,
 * Access: a station's status is the county's): names the fields changed,
 * of which one at least is not the user's to set. */
static void not_yours(const struct record *r, struct record_error *re)
{
	struct strbuf names = {0};

	re->field = -1;
	for (size_t i = 0; i < r->e->nfields; i++) {
		if (!staged(&r->e->fields[i]) || !changed(r, i))
			continue;
		if (re->field < 0)
			re->field = (int)i;
		sb_addf(&names, "%s%s", names.len ? ", " : "", _(r->e->fields[i].label));
	}
	sgz_err_set(&re->err, SGZ_EDATA,
		    _("your role may not change %s here: the county sets it (ask the county "
		      "civil-affairs bureau)"),
		    sb_str(&names));
	sb_free(&names);
}

/* ---- load ---- */

/* Loads the row whose key parts are key into *out. */
static enum record_rc load_parts(struct db *db, const struct dict_entity *e, char **key, size_t nk,
				 struct record **out, struct record_error *re)
{
	struct strbuf sql = {0};
	enum record_rc rc = RECORD_FAILED;
	int field;
	char state[6];

	*out = NULL;
	sb_adds(&sql, "SELECT ");
	add_select_list(&sql, e);
	sb_addf(&sql, " FROM %s t WHERE ", read_from(e));
	add_key_where(&sql, e, 1);
	PGresult *res = query_diag(db, e, sb_str(&sql), (int)nk, (const char *const *)key, &field,
				   state, &re->err);
	if (!res) {
		rc = failed(re);
		goto out;
	}
	if (PQntuples(res) == 0) {
		sgz_err_set(&re->err, SGZ_EDATA, "%s", _("the record is no longer there"));
		rc = RECORD_GONE;
	} else {
		*out = record_new(e);
		take_row(*out, res, 0);
		rc = RECORD_OK;
	}
	PQclear(res);
out:
	sb_free(&sql);
	return rc;
}

/* ---- sensitive records ---- */

/* The value of e's field called column in values, or NULL. */
static const char *value_of(const struct dict_entity *e, const char *const *values,
			    const char *column)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].column, column) == 0)
			return values[i];
	return NULL;
}

bool record_sensitive(const struct dict_entity *e, const char *const *values)
{
	const char *id =
	    strcmp(e->table, "sgz.recipient") == 0 ? value_of(e, values, "id_number") : NULL;
	struct sgz_date birth, today;

	/* the birth date of a normalised number: YYYYMMDD from the 7th digit */
	if (!id || strlen(id) != IDNUM_LEN)
		return false;
	if (sscanf(id + 6, "%4d%2d%2d", &birth.year, &birth.month, &birth.day) != 3)
		return false;
	date_today(&today);
	return idnum_age_on(&birth, &today) < 14;
}

/* Files the open of a sensitive record in the audit trail, under its
 * division when it has one. */
static int audit_open(struct db *db, const struct record *r, struct sgz_err *err)
{
	struct strbuf key = {0};
	const char *division =
	    r->e->scope_column ? value_of(r->e, (const char *const *)r->values, r->e->scope_column)
			       : NULL;
	for (size_t i = 0, k = 0; i < r->e->nfields; i++)
		if (r->e->fields[i].flags & DF_KEY)
			sb_addf(&key, "%s%s", k++ ? " " : "", r->values[i] ? r->values[i] : "");
	const char *params[4] = {r->e->table, r->e->name, sb_str(&key), division};
	int rc =
	    db_exec(db,
		    "SELECT sgz.audit_event('open', $1, jsonb_build_object('entity', $2::text, "
		    "'key', $3::text), $4)",
		    4, params, err);

	sb_free(&key);
	return rc;
}

enum record_rc record_load(struct db *db, const struct dict_entity *e, const char *key,
			   struct record **out, struct record_error *re)
{
	size_t nk;
	char **parts = record_key_decode(e, key, &nk);
	enum record_rc rc;

	error_reset(re);
	*out = NULL;
	if (!parts) {
		sgz_err_set(&re->err, SGZ_EUSAGE, "%s", _("bad record key"));
		return RECORD_FAILED;
	}
	rc = load_parts(db, e, parts, nk, out, re);
	record_key_free(parts, nk);
	/* rules.md: every open of a sensitive record is audited; one the
	 * trail cannot record is not shown */
	if (rc == RECORD_OK && !e->view && record_sensitive(e, (const char *const *)(*out)->values) &&
	    audit_open(db, *out, &re->err) < 0) {
		record_free(*out);
		*out = NULL;
		rc = failed(re);
	}
	return rc;
}

/* ---- the dictionary's rules over one row ---- */

static bool staged(const struct dict_field *f)
{
	return !(f->flags & DF_NOEXPORT);
}

/* Appends s to sb as the inside of a format() literal. */
static void add_format_literal(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\'')
			sb_adds(sb, "''");
		else if (*s == '%')
			sb_adds(sb, "%%");
		else
			sb_addc(sb, *s);
	}
}

struct check_ref {
	int field;   /* the field the message is about */
	int warning; /* accepted and reported */
};

/* One query over the staging table for every rule: the references of the
 * dictionary and its checks, each numbered so a message finds its field. */
static void build_checks(const struct dict_entity *e, struct strbuf *sql, struct check_ref **refs,
			 size_t *n)
{
	size_t cap = 8;

	*n = 0;
	*refs = xcalloc(cap, sizeof(**refs));
	sb_adds(sql, "SELECT c, m FROM (");
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!f->ref_table || !staged(f) || strcmp(f->ref_table, e->table) == 0)
			continue;
		if (*n == cap)
			*refs = xreallocarray(*refs, cap *= 2, sizeof(**refs));
		(*refs)[*n] = (struct check_ref){.field = (int)i};
		if (*n)
			sb_adds(sql, "\n  UNION ALL ");
		sb_addf(sql, "SELECT %zu AS c, x.m FROM (SELECT format('%%s does not exist: ", *n);
		add_format_literal(sql, f->ref_hint);
		if (f->type == DT_DIVISIONS)
			sb_addf(sql,
				"', v) FROM stage s, unnest(string_to_array(s.%s, ';')) v\n"
				"  WHERE NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = v)",
				f->column, f->ref_table, f->ref_column);
		else
			sb_addf(sql,
				"', s.%s) FROM stage s WHERE s.%s IS NOT NULL\n"
				"  AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = s.%s)",
				f->column, f->column, f->ref_table, f->ref_column, f->column);
		sb_adds(sql, ") x(m)");
		(*n)++;
	}
	for (const struct dict_check *c = e->checks; c && c->sql; c++) {
		const struct dict_field *f = dict_field_by_header(e, c->column);
		if (*n == cap)
			*refs = xreallocarray(*refs, cap *= 2, sizeof(**refs));
		(*refs)[*n] = (struct check_ref){.field = f ? dict_field_index(e, f) : -1,
						 .warning = c->warning};
		if (*n)
			sb_adds(sql, "\n  UNION ALL ");
		sb_addf(sql, "SELECT %zu AS c, x.m FROM (%s) x(l, m)", *n, c->sql);
		(*n)++;
	}
	sb_adds(sql, ") q ORDER BY c");
}

/* Stages r's row and runs the rules. RECORD_OK (warnings in re->warning)
 * or RECORD_REFUSED with the first error; inside the caller's transaction. */
static enum record_rc run_checks(struct db *db, const struct record *r, struct record_error *re)
{
	const struct dict_entity *e = r->e;
	struct strbuf sql = {0};
	struct check_ref *refs = NULL;
	size_t nrefs = 0;
	const char **params = xcalloc(2 * e->nfields + 1, sizeof(*params));
	enum record_rc rc = RECORD_FAILED;
	int np = 0, field;
	char state[6];
	PGresult *res = NULL;

	sb_adds(&sql, "CREATE TEMP TABLE stage (_line integer NOT NULL");
	for (size_t i = 0; i < e->nfields; i++)
		if (staged(&e->fields[i]))
			sb_addf(&sql, ", %s text", e->fields[i].column);
	/* the people the row names by pid, as an import stages them */
	for (size_t i = 0; i < e->nfields; i++)
		if (staged(&e->fields[i]) && e->fields[i].pid_column)
			sb_addf(&sql, ", %s bigint", e->fields[i].pid_column);
	sb_adds(&sql, ") ON COMMIT DROP");
	if (db_exec(db, sb_str(&sql), 0, NULL, &re->err) < 0)
		goto fail;
	sb_reset(&sql);
	sb_adds(&sql, "INSERT INTO stage VALUES (1");
	for (size_t i = 0; i < e->nfields; i++) {
		if (!staged(&e->fields[i]))
			continue;
		params[np] = r->values[i];
		sb_addf(&sql, ", $%d", ++np);
	}
	for (size_t i = 0; i < e->nfields; i++) {
		if (!staged(&e->fields[i]) || !e->fields[i].pid_column)
			continue;
		params[np] = dict_by_pid(e, &e->fields[i]) ? r->pids[i] : NULL;
		sb_addf(&sql, ", $%d::bigint", ++np);
	}
	sb_adds(&sql, ")");
	if (db_exec(db, sb_str(&sql), np, params, &re->err) < 0)
		goto fail;
	/* a number typed in full: its pid, in the user's scope */
	for (size_t i = 0; i < e->nfields; i++) {
		if (!staged(&e->fields[i]) || !e->fields[i].pid_column)
			continue;
		sb_reset(&sql);
		dict_stage_pid_sql(e, &e->fields[i], &sql);
		if (db_exec(db, sb_str(&sql), 0, NULL, &re->err) < 0)
			goto fail;
	}
	sb_reset(&sql);
	build_checks(e, &sql, &refs, &nrefs);
	if (nrefs == 0) {
		rc = RECORD_OK;
		goto out;
	}
	res = query_diag(db, e, sb_str(&sql), 0, NULL, &field, state, &re->err);
	if (!res)
		goto fail;
	rc = RECORD_OK;
	for (int row = 0; row < PQntuples(res); row++) {
		size_t c = (size_t)atol(PQgetvalue(res, row, 0));
		const char *m = PQgetvalue(res, row, 1);
		if (c >= nrefs)
			continue;
		if (refs[c].warning) {
			if (!re->warning[0])
				snprintf(re->warning, sizeof(re->warning), "%s", m);
			continue;
		}
		sgz_err_set(&re->err, SGZ_EDATA, "%s", m);
		re->field = refs[c].field;
		rc = RECORD_REFUSED;
		break;
	}
	goto out;
fail:
	rc = failed(re);
out:
	PQclear(res);
	free(refs);
	free(params);
	sb_free(&sql);
	return rc;
}

/* ---- save ---- */

/* Field i of r as written: a person picked (or read) by pid writes his
 * pid, anything else its value. The column, and params[n] its value;
 * the expression of parameter $n+1 goes to vals. */
static const char *add_write_value(const struct record *r, size_t i, struct strbuf *vals,
				   const char **params, int n)
{
	const struct dict_field *f = &r->e->fields[i];

	if (dict_by_pid(r->e, f) && !own_number(r->e, f) && r->pids[i]) {
		params[n] = r->pids[i];
		sb_addf(vals, "$%d::bigint", n + 1);
		return f->pid_column;
	}
	params[n] = r->values[i];
	add_value_expr(vals, f, n + 1);
	return f->column;
}

/* What a write returns: the row (add_select_list()), or for an entity read
 * through its view, whose table the user may not read whole, the key and
 * row_version, by which the row is read back from the view. */
static void add_returning(struct strbuf *sql, const struct dict_entity *e)
{
	if (!e->view) {
		add_select_list(sql, e);
		return;
	}
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (f->flags & DF_KEY)
			sb_addf(sql, "t.%s::text, ", dict_by_pid(e, f) ? f->pid_column : f->column);
	}
	sb_adds(sql, "t.row_version");
}

/* The INSERT or UPDATE of r; params receives the values, then the stored
 * key and row_version for an update. Returns the parameter count; *whole
 * says whether the statement returns the whole row (add_select_list())
 * rather than add_returning()'s key. */
static int build_write(const struct record *r, struct strbuf *sql, const char **params,
		       char *version, size_t vlen, bool *whole)
{
	const struct dict_entity *e = r->e;
	int n = 0;

	*whole = !e->view;
	if (record_is_new(r)) {
		struct strbuf vals = {0};
		sb_addf(sql, "INSERT INTO %s AS t (", e->table);
		for (size_t i = 0; i < e->nfields; i++) {
			const struct dict_field *f = &e->fields[i];
			if (!staged(f))
				continue;
			if (n)
				sb_adds(&vals, ", ");
			const char *col = add_write_value(r, i, &vals, params, n);
			sb_addf(sql, "%s%s", n ? ", " : "", col);
			n++;
		}
		sb_addf(sql, ") VALUES (%s) RETURNING ", sb_str(&vals));
		sb_free(&vals);
	} else {
		sb_addf(sql, "UPDATE %s AS t SET ", e->table);
		for (size_t i = 0; i < e->nfields; i++) {
			const struct dict_field *f = &e->fields[i];
			struct strbuf val = {0};
			if (!staged(f) || !changed(r, i))
				continue;
			const char *col = add_write_value(r, i, &val, params, n);
			sb_addf(sql, "%s%s = %s", n ? ", " : "", col, sb_str(&val));
			sb_free(&val);
			n++;
		}
		if (n == 0) {
			/* Nothing changed: the row as stored, if nobody changed it. */
			*whole = true;
			sb_reset(sql);
			sb_adds(sql, "SELECT ");
			add_select_list(sql, e);
			sb_addf(sql, " FROM %s AS t WHERE ", read_from(e));
			add_key_where(sql, e, 1);
			size_t nk = key_count(e);
			for (size_t k = 0; k < nk; k++)
				params[n++] = r->key[k];
			snprintf(version, vlen, "%ld", r->row_version);
			params[n++] = version;
			sb_addf(sql, " AND t.row_version = $%d::integer", n);
			return n;
		}
		sb_adds(sql, " WHERE ");
		add_key_where(sql, e, n + 1);
		size_t nk = key_count(e);
		for (size_t k = 0; k < nk; k++)
			params[n++] = r->key[k];
		snprintf(version, vlen, "%ld", r->row_version);
		params[n++] = version;
		sb_addf(sql, " AND t.row_version = $%d::integer RETURNING ", n);
	}
	add_returning(sql, e);
	return n;
}

/* After an update matched no row: theirs, or gone. */
static enum record_rc conflict(struct db *db, const struct record *r, struct record_error *re)
{
	struct record *stored = NULL;
	enum record_rc rc = load_parts(db, r->e, r->key, key_count(r->e), &stored, re);

	if (rc == RECORD_OK) {
		re->stored = stored;
		sgz_err_set(&re->err, SGZ_EDATA, "%s",
			    _("someone else saved this record after it was opened"));
		return RECORD_CONFLICT;
	}
	if (rc == RECORD_GONE)
		sgz_err_set(&re->err, SGZ_EDATA, "%s",
			    _("someone else deleted this record after it was opened"));
	return rc;
}

enum record_rc record_save(struct db *db, struct record *r, struct record_error *re)
{
	const struct dict_entity *e = r->e;
	struct strbuf sql = {0};
	const char **params = xcalloc(2 * e->nfields + 2, sizeof(*params));
	char version[24], state[6];
	enum record_rc rc;
	int field, in_tx = 0;
	PGresult *res = NULL;

	error_reset(re);
	if (db_begin(db, &re->err) < 0) {
		rc = failed(re);
		goto out;
	}
	in_tx = 1;
	rc = run_checks(db, r, re);
	if (rc != RECORD_OK)
		goto out;
	bool whole;
	int n = build_write(r, &sql, params, version, sizeof(version), &whole);
	res = query_diag(db, e, sb_str(&sql), n, params, &field, state, &re->err);
	if (!res) {
		re->field = field;
		if (strcmp(state, "42501") == 0 && !record_is_new(r))
			not_yours(r, re);
		rc = failed(re);
		goto out;
	}
	if (PQntuples(res) == 0) {
		db_rollback(db);
		in_tx = 0;
		rc = conflict(db, r, re);
		goto out;
	}
	struct record *saved = NULL;
	if (whole) {
		saved = record_dup(r);
		take_row(saved, res, 0);
	} else {
		/* the row as the view shows it, read back by the key written */
		size_t nk = key_count(e);
		char **key = xcalloc(nk ? nk : 1, sizeof(*key));
		for (size_t k = 0; k < nk; k++)
			key[k] = PQgetisnull(res, 0, (int)k) ? NULL : xstrdup(PQgetvalue(res, 0, (int)k));
		rc = load_parts(db, e, key, nk, &saved, re);
		record_key_free(key, nk);
		if (rc != RECORD_OK)
			goto out;
	}
	if (db_commit(db, &re->err) < 0) {
		record_free(saved);
		rc = failed(re);
		goto out;
	}
	in_tx = 0;
	/* r becomes the row as stored */
	for (size_t i = 0; i < e->nfields; i++) {
		free(r->values[i]);
		r->values[i] = saved->values[i];
		saved->values[i] = NULL;
	}
	free_key(e, r->key);
	r->key = saved->key;
	saved->key = NULL;
	free_stored(e, r->stored);
	r->stored = saved->stored;
	saved->stored = NULL;
	for (size_t i = 0; i < e->nfields; i++) {
		free(r->pids[i]);
		r->pids[i] = saved->pids[i];
		saved->pids[i] = NULL;
	}
	free_strings(r->stored_pids, e->nfields);
	r->stored_pids = saved->stored_pids;
	saved->stored_pids = NULL;
	r->row_version = saved->row_version;
	record_free(saved);
	rc = RECORD_OK;
out:
	if (in_tx)
		db_rollback(db);
	PQclear(res);
	free(params);
	sb_free(&sql);
	return rc;
}

/* ---- delete ---- */

/* Counts, for each entity of the dictionary whose fields refer to r's
 * table, its rows that refer to r. */
static void count_refs(struct db *db, const struct record *r, struct record_error *re)
{
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);
	const struct dict_entity *who[RECORD_MAX_REFS];
	struct strbuf sql = {0};
	const char *params[64];
	int np = 0;
	size_t nwho = 0;

	sb_adds(&sql, "SELECT ");
	for (size_t a = 0; a < n && nwho < RECORD_MAX_REFS; a++) {
		const struct dict_entity *o = all[a];
		int conds = 0;
		for (size_t i = 0; i < o->nfields; i++) {
			const struct dict_field *f = &o->fields[i];
			if (!f->ref_table || strcmp(f->ref_table, r->e->table) != 0)
				continue;
			const struct dict_field *target = dict_field_by_header(r->e, f->ref_column);
			int ti = target ? dict_field_index(r->e, target) : -1;
			if (ti < 0 || !r->values[ti] || np >= (int)SGZ_ARRAY_LEN(params))
				continue;
			params[np++] = r->values[ti];
			if (!conds)
				sb_addf(&sql, "%s(SELECT count(*) FROM %s x WHERE ",
					nwho ? ", " : "", o->table);
			else
				sb_adds(&sql, " OR ");
			if (f->type == DT_DIVISIONS)
				sb_addf(&sql, "$%d::text = ANY (x.%s)", np, f->column);
			else
				sb_addf(&sql, "x.%s = $%d::%s", f->column, np, param_type(target));
			conds++;
		}
		if (conds) {
			sb_adds(&sql, ")");
			who[nwho++] = o;
		}
	}
	if (nwho == 0)
		goto out;
	struct sgz_err cerr;
	sgz_err_clear(&cerr);
	PGresult *res = db_query(db, sb_str(&sql), np, params, &cerr);
	if (!res)
		goto out;
	for (size_t k = 0; k < nwho && PQntuples(res) == 1; k++) {
		long c = atol(PQgetvalue(res, 0, (int)k));
		if (c > 0) {
			re->refs[re->nrefs].e = who[k];
			re->refs[re->nrefs].count = c;
			re->nrefs++;
		}
	}
	PQclear(res);
out:
	sb_free(&sql);
}

enum record_rc record_delete(struct db *db, const struct record *r, struct record_error *re)
{
	const struct dict_entity *e = r->e;
	struct strbuf sql = {0};
	size_t nk = key_count(e);
	const char **params = xcalloc(nk + 1, sizeof(*params));
	char version[24], state[6];
	enum record_rc rc;
	int field;

	error_reset(re);
	if (record_is_new(r)) {
		sgz_err_set(&re->err, SGZ_EDATA, "%s", _("the record is not stored"));
		rc = RECORD_GONE;
		goto out;
	}
	for (size_t k = 0; k < nk; k++)
		params[k] = r->key[k];
	snprintf(version, sizeof(version), "%ld", r->row_version);
	params[nk] = version;
	sb_addf(&sql, "DELETE FROM %s t WHERE ", e->table);
	add_key_where(&sql, e, 1);
	sb_addf(&sql, " AND t.row_version = $%zu::integer", nk + 1);
	PGresult *res =
	    query_diag(db, e, sb_str(&sql), (int)nk + 1, params, &field, state, &re->err);
	if (!res) {
		if (strcmp(state, "23503") == 0) {
			count_refs(db, r, re);
			rc = RECORD_REFERENCED;
		} else {
			re->field = field;
			rc = failed(re);
		}
		goto out;
	}
	long gone = atol(PQcmdTuples(res));
	PQclear(res);
	if (gone == 1) {
		rc = RECORD_OK;
		goto out;
	}
	rc = conflict(db, r, re);
out:
	free(params);
	sb_free(&sql);
	return rc;
}
