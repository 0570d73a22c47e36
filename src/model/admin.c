/* admin.c - administration: users, settings, the audit trail and the state
 * of the database, for the interface's main menu item 6 and `sgz user`.
 *
 * Users are changed only by sgz.user_add() and sgz.user_remove()
 * (0004_access.sql), which run as the owner of the schema: roles belong to
 * the cluster, and an administrator of sgz needs no CREATEROLE of their
 * own. Role names reach SQL text only through format('%I') there; here they
 * are parameters. The lists page by key, never by OFFSET; their SQL is
 * assembled from the static fragments below, every value a parameter. */
#include "config.h"

#include "sgz/admin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/db.h"
#include "sgz/division.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/migrate.h"
#include "sgz/validate.h"

void admin_err_init(struct admin_err *e)
{
	sgz_err_clear(&e->err);
	e->denied = false;
	e->field = -1;
}

/* ---- running a statement ---- */

/* Runs a statement through async.h's hook (Esc cancels it in the
 * interface). The result (Caller frees with PQclear), or NULL with err set:
 * err->denied when the database refused the privilege; a lost connection
 * reset and said, as async.c says it. */
static PGresult *run(struct db *db, const char *sql, int np, const char *const *params,
		     struct admin_err *err)
{
	PGconn *conn = db_pgconn(db);
	PGresult *res = db_async_run(db, sql, np, params);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	if (res) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		db_result_error(res, &err->err);
		if (state && strcmp(state, "42501") == 0)
			err->denied = true;
		/* Esc in the interface: the words async.c uses for it */
		if (state && strcmp(state, "57014") == 0 && primary &&
		    strstr(primary, "user request"))
			sgz_err_set(&err->err, SGZ_EUSAGE, "the query was cancelled");
	} else if (PQstatus(conn) == CONNECTION_OK) {
		/* given up after a cancel */
		sgz_err_set(&err->err, SGZ_EUSAGE, "the query was cancelled");
	} else {
		sgz_err_set(&err->err, SGZ_EUSAGE, "%s", PQerrorMessage(conn));
	}
	PQclear(res);
	log_msg(LOG_INFO, "statement failed: %s", err->err.msg);
	if (PQstatus(conn) != CONNECTION_OK) {
		char lost[sizeof(err->err.msg)];
		struct sgz_err cerr;

		snprintf(lost, sizeof(lost), "%s", err->err.msg);
		sgz_err_clear(&cerr);
		int rc = db_check(db, &cerr);
		err->err.status = SGZ_EUSAGE;
		err->err.conn_lost = 1;
		err->denied = false;
		if (rc == 0)
			snprintf(err->err.msg, sizeof(err->err.msg),
				 "the database connection was lost (%.800s); it has been "
				 "restored, but the last action was not saved",
				 lost);
		else
			snprintf(err->err.msg, sizeof(err->err.msg), "%s", cerr.msg);
	}
	return NULL;
}

static char *trimmed(const char *s)
{
	size_t n;

	s = s ? s : "";
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* Masks every resident ID number in s (17 digits and a digit or X, not
 * part of a longer word), as the lists mask them for all but admins
 * (rules.md): the trail's keys and values name people by them. Returns a
 * new string. Caller frees. */
static char *mask_ids(const char *s)
{
	struct strbuf sb = {0};
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		const unsigned char *p = (const unsigned char *)s + i;
		if (isdigit(*p) && (i == 0 || !isalnum(p[-1])) && i + IDNUM_LEN <= n) {
			for (k = 0; k < IDNUM_LEN - 1 && isdigit(p[k]); k++)
				continue;
			if (k == IDNUM_LEN - 1 && (isdigit(p[k]) || p[k] == 'X') &&
			    (i + IDNUM_LEN == n || !isalnum(p[IDNUM_LEN]))) {
				char id[IDNUM_LEN + 1], masked[IDNUM_LEN + 1];
				memcpy(id, p, IDNUM_LEN);
				id[IDNUM_LEN] = '\0';
				idnum_mask(id, masked);
				sb_adds(&sb, masked);
				i += IDNUM_LEN;
				continue;
			}
		}
		sb_addc(&sb, s[i++]);
	}
	return sb_detach(&sb);
}

/* ---- users ---- */

const struct dict_choice admin_kinds[] = {
    {"admin", "管理员", "admin"},	    {"region", "地区官员", "region"},
    {"county", "县区人员", "county"},	    {"station", "站点人员", "station"},
    {"evaluator", "评估人员", "evaluator"}, {NULL, NULL, NULL},
};

/* The login names peer authentication maps to roles: the rule of the CHECK
 * on sgz.user_scope, said here first so the reason is ours. */
static bool role_valid(const char *role)
{
	size_t n = strlen(role);

	if (n == 0 || n > 63 || !((role[0] >= 'a' && role[0] <= 'z') || role[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = role[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}

static int check_role(const char *role, struct sgz_err *err)
{
	if (role_valid(role))
		return 0;
	sgz_err_set(err, SGZ_EDATA,
		    "'%s' is not a role name sgz gives: a login name of lower-case letters, "
		    "digits, _ . -, starting with a letter or _, at most 63 characters",
		    role);
	return -1;
}

/* The dictionary's validator of the role field: the same check. */
static int v_role(const char *in, struct strbuf *out, struct sgz_err *err)
{
	if (check_role(in, err) < 0)
		return -1;
	sb_adds(out, in);
	return 0;
}

static const struct dict_field user_fields[] = {
    {.column = "role",
     .label = N_("User (login name)"),
     .label_zh = "用户(登录名)",
     .type = DT_TEXT,
     .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_SEARCH,
     .width = 16,
     .max_len = 63,
     .validate = v_role},
    {.column = "kind",
     .label = N_("Kind"),
     .label_zh = "类型",
     .type = DT_CHOICE,
     .flags = DF_REQUIRED | DF_LIST,
     .width = 9,
     .choices = admin_kinds},
    {.column = "scope",
     .label = N_("Scope"),
     .label_zh = "管辖范围",
     .type = DT_DIVISION,
     .flags = DF_REQUIRED | DF_LIST,
     .width = 12,
     .ref_table = "sgz.division",
     .ref_column = "code",
     .ref_hint = "not in the division list"},
};

const struct dict_entity admin_user_entity = {
    .name = "users",
    .table = "sgz.user_scope",
    .label = N_("Users"),
    .label_zh = "用户",
    .fields = user_fields,
    .nfields = SGZ_ARRAY_LEN(user_fields),
};

int admin_user_check(enum admin_user_field f, const char *text, struct strbuf *out,
		     struct sgz_err *err)
{
	char *t = trimmed(text);
	char code[DIVISION_CODE_LEN + 1];
	int rc = -1;

	sb_reset(out);
	switch (f) {
	case ADMIN_USER_ROLE:
		if (check_role(t, err) == 0) {
			sb_adds(out, t);
			rc = 0;
		}
		break;
	case ADMIN_USER_KIND:
		for (const struct dict_choice *c = admin_kinds; c->code && rc < 0; c++) {
			if (strcmp(c->code, t) == 0 || strcmp(c->label_zh, t) == 0) {
				sb_adds(out, c->code);
				rc = 0;
			}
		}
		if (rc < 0) {
			struct strbuf sb = {0};
			for (const struct dict_choice *c = admin_kinds; c->code; c++)
				sb_addf(&sb, "%s%s", c == admin_kinds ? "" : " ", c->code);
			sgz_err_set(err, SGZ_EDATA, "'%s' is not one of %s", t, sb_str(&sb));
			sb_free(&sb);
		}
		break;
	case ADMIN_USER_SCOPE:
		if (division_code_normalize(t, code, err) == 0) {
			sb_adds(out, code);
			rc = 0;
		}
		break;
	}
	free(t);
	return rc;
}

/* The user field a refusal of sgz.user_add() is about, from its words
 * (0004_access.sql): "scope ...", "kind ...", "role ...". */
static int refused_field(const char *msg)
{
	if (strncmp(msg, "scope ", 6) == 0)
		return ADMIN_USER_SCOPE;
	if (strncmp(msg, "kind ", 5) == 0)
		return ADMIN_USER_KIND;
	if (strncmp(msg, "role ", 5) == 0)
		return ADMIN_USER_ROLE;
	return -1;
}

/* The division's name comes back with the answer: one round trip. */
static const char add_sql[] = "SELECT sgz.user_add($1, $2, $3),\n"
			      "       (SELECT d.name FROM sgz.division d WHERE d.code = $2)";
static const char add_staff_sql[] = "SELECT sgz.user_add($1, $2, $3, $4),\n"
				    "       (SELECT d.name FROM sgz.division d WHERE d.code = $2)";

static const char remove_sql[] = "SELECT sgz.user_remove($1)";

static const char get_sql[] = "SELECT u.kind, u.scope FROM sgz.user_scope u WHERE u.role = $1";

int admin_user_add(struct db *db, const char *role, const char *kind, const char *scope,
		   struct admin_user_added *out, struct admin_err *err)
{
	return admin_user_add_staff(db, role, kind, scope, NULL, out, err);
}

int admin_user_add_staff(struct db *db, const char *role, const char *kind, const char *scope,
			 const char *staff, struct admin_user_added *out, struct admin_err *err)
{
	const char *in[ADMIN_USER_NFIELDS] = {role, kind, scope};
	struct strbuf v[ADMIN_USER_NFIELDS] = {{0}};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	for (int f = 0; f < ADMIN_USER_NFIELDS; f++) {
		if (admin_user_check((enum admin_user_field)f, in[f], &v[f], &err->err) < 0) {
			err->field = f;
			goto out;
		}
	}
	const char *params[4] = {sb_str(&v[0]), sb_str(&v[2]), sb_str(&v[1]), staff};
	PGresult *res = staff ? run(db, add_staff_sql, 4, params, err)
			      : run(db, add_sql, 3, params, err);
	if (!res) {
		if (!err->denied && err->err.status == SGZ_EDATA)
			err->field = refused_field(err->err.msg);
		goto out;
	}
	out->created = strcmp(PQgetvalue(res, 0, 0), "created") == 0;
	snprintf(out->scope, sizeof(out->scope), "%s", sb_str(&v[2]));
	snprintf(out->scope_name, sizeof(out->scope_name), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	rc = 0;
out:
	for (int f = 0; f < ADMIN_USER_NFIELDS; f++)
		sb_free(&v[f]);
	return rc;
}

int admin_user_get(struct db *db, const char *role, char kind[16], char scope[12 + 1],
		   struct admin_err *err)
{
	const char *params[1] = {role};
	PGresult *res = run(db, get_sql, 1, params, err);
	int rc = 0;

	kind[0] = scope[0] = '\0';
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		snprintf(kind, 16, "%s", PQgetvalue(res, 0, 0));
		snprintf(scope, 12 + 1, "%s", PQgetvalue(res, 0, 1));
		rc = 1;
	}
	PQclear(res);
	return rc;
}

int admin_user_remove(struct db *db, const char *role, struct admin_err *err)
{
	const char *params[1] = {role};
	PGresult *res = run(db, remove_sql, 1, params, err);
	int rc;

	if (!res)
		return -1;
	rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 1 : 0;
	PQclear(res);
	return rc;
}

/* ---- lists ---- */

/* The key's values of an audit row in the table's column order (jsonb
 * keeps an object's keys in its own order); an event's key is a string. */
#define AUDIT_KEY_TEXT                                                                             \
	"coalesce(CASE jsonb_typeof(a.key) WHEN 'object' THEN\n"                                   \
	"   (SELECT string_agg(v.value, ' ' ORDER BY att.attnum) FROM jsonb_each_text(a.key) v\n"  \
	"      LEFT JOIN pg_attribute att\n"                                                       \
	"        ON att.attrelid = to_regclass('sgz.' || quote_ident(a.table_name))\n"             \
	"       AND att.attname = v.key)\n"                                                        \
	"   ELSE a.key #>> '{}' END, '')"

/* Are ID numbers masked for this session (all but admins)? Once per
 * query: an initplan, not a call per row. */
#define MASKED "(SELECT sgz.current_kind()) IS DISTINCT FROM 'admin'"

/* The trail comes in two shapes: 0004's, a row per change, and that of a
 * later migration that writes a statement's changes of one division as
 * one row, a batch (changes, key_columns; old and new column by column:
 * {"column": [value, ...]}). Either way the trail reads here as one row
 * per change, (id, item), item 1 for a row that is no batch: a batch is
 * taken apart after the keyset scan of sgz.audit's primary key, never by
 * a view that would have to sort the whole trail.
 *
 * It is read through sgz.audit_v (migrations 0012, 0016), sgz.audit with
 * the ID numbers, birth dates and children's names masked for all but
 * admins, and the only way region and county users have from 0017 on: a
 * view over the table that states its reader's scope, as the table's
 * policy does. With the scope asked twice the planner takes a county's
 * rows for fewer than they are, and would sort every change before the
 * key rather than stop after a page: a page of the list without a filter
 * therefore takes its rows of the trail by key first, one more than it
 * shows (every row is at least one change), and takes them apart then. */
enum trail_shape {
	TRAIL_ROWS,
	TRAIL_BATCHES,
};

/* Asked once per connection: the schema does not change under a session. */
static const char shape_sql[] =
    "SELECT EXISTS (SELECT 1 FROM pg_attribute\n"
    "                WHERE attrelid = 'sgz.audit'::regclass AND attname = 'key_columns'\n"
    "                  AND NOT attisdropped)";

static int trail_shape(struct db *db, enum trail_shape *out, struct admin_err *err)
{
	static const struct db *known_db;
	static enum trail_shape known;

	if (known_db != db) {
		PGresult *res = run(db, shape_sql, 0, NULL, err);
		if (!res)
			return -1;
		known = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? TRAIL_BATCHES : TRAIL_ROWS;
		known_db = db;
		PQclear(res);
	}
	*out = known;
	return 0;
}

/* The trail as (id, item, at, who, table_name, action, keytext) per
 * change, in each shape, over the rows of the trail %s. A batch's item-th
 * change is the item-th value of each column's array. */
#define TRAIL_ROWS_SQL                                                                             \
	"SELECT a.id, 1::bigint AS item, a.at, a.who, a.table_name, a.action,\n"                   \
	"       " AUDIT_KEY_TEXT " AS keytext\n"                                                   \
	"  FROM %s a"
#define TRAIL_BATCHES_SQL                                                                          \
	"SELECT a.id, it.item, a.at, a.who, a.table_name, a.action,\n"                             \
	"       CASE WHEN a.changes IS NULL THEN " AUDIT_KEY_TEXT "\n"                             \
	"       ELSE coalesce((SELECT string_agg(coalesce(a.new, a.old) -> u.c\n"                  \
	"                                           ->> (it.item - 1)::int, ' ' ORDER BY u.ord)\n" \
	"                        FROM unnest(a.key_columns) WITH ORDINALITY u (c, ord)), '')\n"    \
	"       END AS keytext\n"                                                                  \
	"  FROM %s a\n"                                                                            \
	" CROSS JOIN LATERAL generate_series(1, coalesce(a.changes, 1)::bigint) it (item)"

/* The list of the trail over either shape (%s); its key "id:item". */
#define AUDIT_LIST_SQL                                                                             \
	"SELECT x.id::text || ':' || x.item::text, to_char(x.at, 'YYYY-MM-DD HH24:MI'), x.who,\n"  \
	"       x.table_name, x.action, x.keytext, " MASKED "\n"                                   \
	"  FROM (%s) x\n"                                                                          \
	" WHERE true"

/* One list: its SELECT (ending in a WHERE clause to add to; the trail's is
 * AUDIT_LIST_SQL), the filter over $1 (left open for `also`), the match of
 * `also` ($2), the key (and its second part). */
struct list_sql {
	const char *select;
	const char *filter;
	const char *also;
	const char *key;
	const char *key_type;
	const char *key2;  /* bigint */
	bool newest_first; /* the list runs from the highest key down */
	size_t ncols;
	int masked; /* the column of MASKED (the last cell masked when true), or 0 */
};

static const struct list_sql lists[] = {
    [ADMIN_LIST_USERS] =
	{
	    .select = "SELECT u.role, u.kind, u.scope, coalesce(d.name, ''),\n"
		      "       NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = u.role),\n"
		      "       coalesce(s.name || ' ' || s.id_number, '')\n"
		      "  FROM sgz.user_scope u\n"
		      "  LEFT JOIN sgz.division d ON d.code = u.scope\n"
		      "  LEFT JOIN sgz.staff_v s ON s.pid = u.staff_pid\n"
		      " WHERE true",
	    .filter = " AND (u.role ILIKE $1 OR u.kind ILIKE $1 OR u.scope LIKE $1"
		      " OR d.name ILIKE $1",
	    .also = " OR u.kind = ANY ($2::text[])",
	    /* bytewise: the same order in every collation, so keyset holds */
	    .key = "u.role COLLATE \"C\"",
	    .key_type = "text",
	    .ncols = ADMIN_USER_NCOLS,
	},
    [ADMIN_LIST_SETTINGS] =
	{
	    .select = "SELECT s.key, s.value::text, s.description\n"
		      "  FROM sgz.setting s\n"
		      " WHERE true",
	    .filter = " AND (s.key ILIKE $1 OR s.description ILIKE $1",
	    .also = " OR s.key = ANY ($2::text[])",
	    .key = "s.key COLLATE \"C\"",
	    .key_type = "text",
	    .ncols = ADMIN_SETTING_NCOLS,
	},
    [ADMIN_LIST_AUDIT] =
	{
	    .filter = " AND (x.table_name ILIKE $1 OR x.who ILIKE $1 OR x.keytext ILIKE $1",
	    .also = " OR x.table_name = ANY ($2::text[])",
	    /* the primary key's index, read backwards */
	    .key = "x.id",
	    .key_type = "bigint",
	    .key2 = "x.item",
	    .newest_first = true,
	    .ncols = ADMIN_AUDIT_NCOLS,
	    .masked = ADMIN_AUDIT_NCOLS,
	},
};

/* Splits the trail's key "id:item" into its digits. 0 or -1. */
static int split_key(const char *key, char id[24], char item[24])
{
	const char *colon = strchr(key, ':');
	size_t n = colon ? (size_t)(colon - key) : strlen(key);

	if (n == 0 || n >= 24 || strspn(key, "0123456789") != n)
		return -1;
	memcpy(id, key, n);
	id[n] = '\0';
	snprintf(item, 24, "%s", colon ? colon + 1 : "1");
	return *item && strspn(item, "0123456789") == strlen(item) ? 0 : -1;
}

/* LIKE's wildcards and escape typed by the user match themselves. */
static void add_pattern(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '%');
}

/* An array literal of the values: each quoted, quotes and backslashes
 * escaped. */
static void add_array(struct strbuf *sb, const char *const *values)
{
	sb_addc(sb, '{');
	for (size_t i = 0; values[i]; i++) {
		sb_adds(sb, i ? ",\"" : "\"");
		for (const char *p = values[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(sb, '\\');
			sb_addc(sb, *p);
		}
		sb_addc(sb, '"');
	}
	sb_addc(sb, '}');
}

int admin_list_fetch(struct db *db, enum admin_list l, enum admin_fetch how, const char *filter,
		     const char *const *also, const char *key, size_t n, admin_row_fn fn, void *arg,
		     struct admin_err *err)
{
	const struct list_sql *d = &lists[l];
	_Static_assert(ADMIN_AUDIT_NCOLS <= 8 && ADMIN_USER_NCOLS <= 8, "cells[] too small");
	struct strbuf sql = {0}, pattern = {0}, array = {0};
	const char *params[5];
	char limit[24];
	int np = 0;
	bool keyed = how == ADMIN_AFTER || how == ADMIN_BEFORE;
	/* before and last read backwards from the key or the end, then turn */
	bool reverse = how == ADMIN_BEFORE || how == ADMIN_LAST;
	bool desc = d->newest_first != reverse;

	char id[24], item[24];
	const char *op = (how == ADMIN_AFTER) != d->newest_first ? ">" : "<";

	if (keyed && (!key || (d->key2 && split_key(key, id, item) < 0))) {
		sgz_err_set(&err->err, SGZ_EUSAGE, "bad list key");
		return -1;
	}
	if (l == ADMIN_LIST_AUDIT) {
		enum trail_shape shape;
		char src[160], *inner;
		if (trail_shape(db, &shape, err) < 0)
			return -1;
		/* the parameters of a page without a filter: the key ($1, $2)
		 * and the limit ($3), or the limit ($1) */
		if ((filter && *filter) || n == 0)
			snprintf(src, sizeof(src), "sgz.audit_v");
		else if (keyed)
			snprintf(src, sizeof(src),
				 "(SELECT * FROM sgz.audit_v a WHERE a.id %s= $1::bigint\n"
				 "         ORDER BY a.id %s LIMIT $3::bigint + 1)",
				 op, desc ? "DESC" : "ASC");
		else
			snprintf(src, sizeof(src),
				 "(SELECT * FROM sgz.audit_v a ORDER BY a.id %s LIMIT $1::bigint)",
				 desc ? "DESC" : "ASC");
		inner = xasprintf(shape == TRAIL_BATCHES ? TRAIL_BATCHES_SQL : TRAIL_ROWS_SQL, src);
		sb_addf(&sql, AUDIT_LIST_SQL, inner);
		free(inner);
	} else {
		sb_adds(&sql, d->select);
	}
	if (filter && *filter) {
		add_pattern(&pattern, filter);
		params[np++] = sb_str(&pattern);
		sb_adds(&sql, d->filter);
		if (also && also[0]) {
			add_array(&array, also);
			params[np++] = sb_str(&array);
			sb_adds(&sql, d->also);
		}
		sb_adds(&sql, ")");
	}
	if (keyed && d->key2) {
		/* (key, key2) beyond the row's: the first part bounds the index scan */
		params[np++] = id;
		params[np++] = item;
		sb_addf(&sql, " AND %s %s= $%d::%s AND (%s %s $%d::%s OR %s %s $%d::bigint)",
			d->key, op, np - 1, d->key_type, d->key, op, np - 1, d->key_type, d->key2,
			op, np);
	} else if (keyed) {
		params[np++] = key;
		sb_addf(&sql, " AND %s %s $%d::%s", d->key, op, np, d->key_type);
	}
	sb_addf(&sql, "\n ORDER BY %s %s", d->key, desc ? "DESC" : "ASC");
	if (d->key2)
		sb_addf(&sql, ", %s %s", d->key2, desc ? "DESC" : "ASC");
	if (n > 0) {
		snprintf(limit, sizeof(limit), "%zu", n);
		params[np++] = limit;
		sb_addf(&sql, " LIMIT $%d::bigint", np);
	}
	PGresult *res = run(db, sb_str(&sql), np, params, err);
	sb_free(&sql);
	sb_free(&pattern);
	sb_free(&array);
	if (!res)
		return -1;
	int rows = PQntuples(res);
	const char *cells[8]; /* the widest list's columns */
	for (int i = 0; i < rows; i++) {
		int r = reverse ? rows - 1 - i : i;
		char *masked = NULL;
		for (size_t c = 0; c < d->ncols; c++)
			cells[c] = PQgetisnull(res, r, (int)c) ? NULL : PQgetvalue(res, r, (int)c);
		if (d->masked && strcmp(PQgetvalue(res, r, d->masked), "t") == 0 &&
		    cells[d->ncols - 1])
			cells[d->ncols - 1] = masked = mask_ids(cells[d->ncols - 1]);
		int stop = fn(arg, cells[0], cells);
		free(masked);
		if (stop < 0)
			break;
	}
	PQclear(res);
	return 0;
}

/* ---- settings ---- */

/* rules.md's settings: defaults as 0003_entities.sql inserts them; the
 * ranges are what the rule can mean (a percentage, a score of 0-100, a
 * count of days, hours of one decimal, yuan). */
static const struct admin_setting_rule setting_rules[] = {
    {"star1_hours", "100", 1, 100000, 1, "一星志愿者:累计服务时长(小时)"},
    {"star2_hours", "300", 1, 100000, 1, "二星志愿者:累计服务时长(小时)"},
    {"star3_hours", "600", 1, 100000, 1, "三星志愿者:累计服务时长(小时)"},
    {"star4_hours", "1000", 1, 100000, 1, "四星志愿者:累计服务时长(小时)"},
    {"star5_hours", "1500", 1, 100000, 1, "五星志愿者:累计服务时长(小时)"},
    {"registration_rate_target_pct", "13", 0, 100, 1, "志愿者注册率目标(占人口的百分比)"},
    {"visit_interval_days", "30", 1, 366, 0, "回访间隔(天):距上次回访或立案"},
    {"target_recipients_served", "40", 0, 100000, 0, "年度目标:每站服务对象人数"},
    {"target_individual_pct", "50", 0, 100, 1, "年度目标:个案服务对象占比(%)"},
    {"target_large_events", "2", 0, 1000, 0, "年度目标:每站大型活动次数"},
    {"target_small_events", "6", 0, 1000, 0, "年度目标:每站小型活动次数"},
    {"target_trainings", "4", 0, 1000, 0, "年度目标:每站能力培训次数"},
    {"open_tender_threshold", "2000000", 0, 1e12, 2, "公开招标金额门槛(元)"},
    {"grade_excellent", "90", 0, 100, 1, "评估等级为优秀的最低分"},
    {"grade_good", "80", 0, 100, 1, "评估等级为良好的最低分"},
    {"grade_pass", "60", 0, 100, 1, "评估等级为合格的最低分"},
    {"hours_due_working_days", "10", 1, 365, 0, "服务时长记录期限(工作日)"},
    {"community_orgs_urban_target", "10", 0, 1000, 0, "每个城市社区的社区社会组织目标数"},
    {"community_orgs_rural_target", "5", 0, 1000, 0, "每个农村社区的社区社会组织目标数"},
    {"progress_due_day", "26", 1, 28, 0, "每月进度报表报送日(每月几日)"},
};

const struct admin_setting_rule *admin_setting_rules(size_t *n)
{
	*n = SGZ_ARRAY_LEN(setting_rules);
	return setting_rules;
}

const struct admin_setting_rule *admin_setting_rule(const char *key)
{
	for (size_t i = 0; key && i < SGZ_ARRAY_LEN(setting_rules); i++)
		if (strcmp(setting_rules[i].key, key) == 0)
			return &setting_rules[i];
	return NULL;
}

int admin_setting_check(const char *key, const char *text, struct strbuf *out, struct sgz_err *err)
{
	const struct admin_setting_rule *r = admin_setting_rule(key);
	/* the column is numeric: any number where rules.md says nothing */
	struct dict_field f = {
	    .column = "value", .type = DT_NUMBER, .flags = DF_REQUIRED, .scale = 6};

	if (r) {
		f.min = r->min;
		f.max = r->max;
		f.scale = r->scale;
	}
	return dict_parse_value(&f, text, out, err);
}

static const char setting_get_sql[] =
    "SELECT s.value::text, s.description, s.row_version FROM sgz.setting s WHERE s.key = $1";

/* One statement: the check of row_version is the optimistic lock. */
static const char setting_save_sql[] = "UPDATE sgz.setting SET value = $2::numeric\n"
				       " WHERE key = $1 AND row_version = $3::integer";

int admin_setting_get(struct db *db, const char *key, struct admin_setting *out,
		      struct admin_err *err)
{
	const char *params[1] = {key};
	PGresult *res = run(db, setting_get_sql, 1, params, err);
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		snprintf(out->value, sizeof(out->value), "%s", PQgetvalue(res, 0, 0));
		snprintf(out->description, sizeof(out->description), "%s", PQgetvalue(res, 0, 1));
		out->row_version = atol(PQgetvalue(res, 0, 2));
		rc = 1;
	}
	PQclear(res);
	return rc;
}

int admin_setting_save(struct db *db, const char *key, const char *value, long row_version,
		       struct admin_err *err)
{
	struct strbuf v = {0};
	char version[24];
	int rc = -1;

	if (admin_setting_check(key, value, &v, &err->err) < 0)
		goto out;
	snprintf(version, sizeof(version), "%ld", row_version);
	const char *params[3] = {key, sb_str(&v), version};
	PGresult *res = run(db, setting_save_sql, 3, params, err);
	if (!res)
		goto out;
	rc = atoi(PQcmdTuples(res)) > 0 ? 1 : 0;
	PQclear(res);
out:
	sb_free(&v);
	return rc;
}

/* ---- one entry of the trail ---- */

/* The entry and one row per column of its old and new values, in the
 * table's column order (an event's details, which are no columns, after
 * them by name). $1 the id, $2 the item; OLDV and NEWV are the item's
 * value of column ks.k in each shape. */
#define ENTRY_SQL(ID, KEYTEXT, OLDV, NEWV, ITEM_OK)                                                \
	"SELECT " ID ", to_char(a.at, 'YYYY-MM-DD HH24:MI:SS'), a.who, a.table_name,\n"            \
	"       a.action, " KEYTEXT ",\n"                                                          \
	"       f.k, f.o, f.n, coalesce(f.changed, false), " MASKED "\n"                           \
	"  FROM sgz.audit_v a\n"                                                                   \
	"  LEFT JOIN LATERAL (\n"                                                                  \
	"	SELECT ks.k, v.oj #>> '{}' AS o, v.nj #>> '{}' AS n,\n"                                  \
	"	       a.old IS NOT NULL AND a.new IS NOT NULL AND v.oj IS DISTINCT FROM v.nj\n"         \
	"	       AS changed, att.attnum\n"                                                         \
	"	  FROM jsonb_object_keys(coalesce(a.old, '{}') || coalesce(a.new, '{}')) AS ks "         \
	"(k)\n"                                                                                    \
	"	 CROSS JOIN LATERAL (SELECT " OLDV " AS oj, " NEWV " AS nj) v\n"                   \
	"	  LEFT JOIN pg_attribute att\n"                                                          \
	"	    ON att.attrelid = to_regclass('sgz.' || quote_ident(a.table_name))\n"                \
	"	   AND att.attname = ks.k) f ON true\n"                                                  \
	" WHERE a.id = $1::bigint AND " ITEM_OK "\n"                                               \
	" ORDER BY f.attnum NULLS LAST, f.k"

static const char entry_rows_sql[] =
    ENTRY_SQL("a.id::text", AUDIT_KEY_TEXT, "a.old -> ks.k", "a.new -> ks.k", "$2::bigint = 1");

#define BATCH_VALUE(side)                                                                          \
	"CASE WHEN a.changes IS NULL THEN a." side " -> ks.k\n"                                    \
	"     ELSE a." side " -> ks.k -> ($2::int - 1) END"

static const char entry_batches_sql[] = ENTRY_SQL(
    "a.id::text || CASE WHEN coalesce(a.changes, 1) > 1 THEN '.' || $2::bigint ELSE '' END",
    "CASE WHEN a.changes IS NULL THEN " AUDIT_KEY_TEXT "\n"
    "     ELSE coalesce((SELECT string_agg(coalesce(a.new, a.old) -> u.c ->> ($2::int - 1),\n"
    "                                      ' ' ORDER BY u.ord)\n"
    "                      FROM unnest(a.key_columns) WITH ORDINALITY u (c, ord)), '') END",
    BATCH_VALUE("old"), BATCH_VALUE("new"), "$2::bigint BETWEEN 1 AND coalesce(a.changes, 1)");

static char *dup_cell(const PGresult *res, int r, int c, bool masked)
{
	if (PQgetisnull(res, r, c))
		return NULL;
	return masked ? mask_ids(PQgetvalue(res, r, c)) : xstrdup(PQgetvalue(res, r, c));
}

int admin_audit_entry_load(struct db *db, const char *id, struct admin_audit_entry **out,
			   struct admin_err *err)
{
	char idn[24], item[24];
	const char *params[2] = {idn, item};
	struct admin_audit_entry *e;
	enum trail_shape shape;
	PGresult *res;
	int rows;

	*out = NULL;
	if (split_key(id, idn, item) < 0) {
		sgz_err_set(&err->err, SGZ_EUSAGE, "bad list key");
		return -1;
	}
	if (trail_shape(db, &shape, err) < 0)
		return -1;
	res = run(db, shape == TRAIL_BATCHES ? entry_batches_sql : entry_rows_sql, 2, params, err);
	if (!res)
		return -1;
	rows = PQntuples(res);
	if (rows == 0) {
		PQclear(res);
		return 0;
	}
	bool masked = strcmp(PQgetvalue(res, 0, 10), "t") == 0;
	e = xcalloc(1, sizeof(*e));
	e->id = xstrdup(PQgetvalue(res, 0, 0));
	e->at = xstrdup(PQgetvalue(res, 0, 1));
	e->who = xstrdup(PQgetvalue(res, 0, 2));
	e->table = xstrdup(PQgetvalue(res, 0, 3));
	e->action = xstrdup(PQgetvalue(res, 0, 4));
	e->key = dup_cell(res, 0, 5, masked);
	e->fields = xcalloc((size_t)rows, sizeof(*e->fields));
	for (int r = 0; r < rows; r++) {
		if (PQgetisnull(res, r, 6))
			continue; /* no old or new row: a truncate */
		struct admin_audit_field *f = &e->fields[e->nfields++];
		f->column = xstrdup(PQgetvalue(res, r, 6));
		f->old_value = dup_cell(res, r, 7, masked);
		f->new_value = dup_cell(res, r, 8, masked);
		f->changed = strcmp(PQgetvalue(res, r, 9), "t") == 0;
	}
	PQclear(res);
	*out = e;
	return 1;
}

void admin_audit_entry_free(struct admin_audit_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nfields; i++) {
		free(e->fields[i].column);
		free(e->fields[i].old_value);
		free(e->fields[i].new_value);
	}
	free(e->fields);
	free(e->id);
	free(e->at);
	free(e->who);
	free(e->table);
	free(e->action);
	free(e->key);
	free(e);
}

/* ---- the database ---- */

/* What `sgz migrate --status` compares, the tables the user may count (a
 * column of theirs is enough: people's tables are read by column, 0017;
 * the counts below must not name one they may not, or the whole
 * statement would be refused), in one round trip. $1: the tables, as an
 * array. */
static const char info_sql[] =
    "SELECT current_database(), pg_size_pretty(pg_database_size(current_database())),\n"
    "       current_setting('server_version'), session_user::text,\n"
    "       coalesce(sgz.current_kind(), ''),\n"
    "       (SELECT coalesce(string_agg(m.version::text || ' ' || m.name, E'\\n'\n"
    "                                   ORDER BY m.version), '')\n"
    "          FROM sgz.schema_migration m),\n"
    "       (SELECT coalesce(string_agg(t, ' '), '') FROM unnest($1::text[]) t\n"
    "         WHERE has_any_column_privilege(t, 'SELECT'))";

static bool known_version(int v)
{
	for (size_t i = 0; i < sgz_migrations_count; i++)
		if (sgz_migrations[i].version == v)
			return true;
	return false;
}

/* Reads the "version name" lines of the applied migrations. */
static void info_versions(struct admin_dbinfo *info, const char *lines)
{
	const char *p = lines;
	int *applied = NULL;
	size_t napplied = 0;

	info->version_name = xstrdup("");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		int v = atoi(line);
		const char *name = strchr(line, ' ');

		applied = xreallocarray(applied, napplied + 1, sizeof(*applied));
		applied[napplied++] = v;
		if (v >= info->version) {
			info->version = v;
			free(info->version_name);
			info->version_name = xstrdup(name ? name + 1 : "");
		}
		if (!known_version(v))
			info->unknown++;
		free(line);
		p += len + (nl ? 1 : 0);
	}
	for (size_t i = 0; i < sgz_migrations_count; i++) {
		bool found = false;
		for (size_t k = 0; k < napplied && !found; k++)
			found = applied[k] == sgz_migrations[i].version;
		if (!found)
			info->pending++;
	}
	free(applied);
}

static bool word_in(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = words; (p = strstr(p, w)) != NULL; p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

int admin_dbinfo_load(struct db *db, struct admin_dbinfo *info, struct admin_err *err)
{
	size_t ne;
	const struct dict_entity *const *all = dict_entities(&ne);
	struct strbuf tables = {0};
	const char **names = xcalloc(ne + 2, sizeof(*names));
	PGresult *res;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	info->known = sgz_migrations_count ? sgz_migrations[sgz_migrations_count - 1].version : 0;
	info->known_name =
	    sgz_migrations_count ? sgz_migrations[sgz_migrations_count - 1].name : "";
	for (size_t i = 0; i < ne; i++)
		names[i] = all[i]->table;
	names[ne] = "sgz.audit";
	add_array(&tables, names);
	const char *params[1] = {sb_str(&tables)};
	res = run(db, info_sql, 1, params, err);
	if (!res)
		goto out;
	info->database = xstrdup(PQgetvalue(res, 0, 0));
	info->size = xstrdup(PQgetvalue(res, 0, 1));
	info->server = xstrdup(PQgetvalue(res, 0, 2));
	info->user = xstrdup(PQgetvalue(res, 0, 3));
	info->kind = xstrdup(PQgetvalue(res, 0, 4));
	info_versions(info, PQgetvalue(res, 0, 5));
	info->ncounts = ne + 1;
	info->counts = xcalloc(info->ncounts, sizeof(*info->counts));
	for (size_t i = 0; i < info->ncounts; i++) {
		info->counts[i].table = names[i];
		info->counts[i].rows = word_in(PQgetvalue(res, 0, 6), names[i]) ? 0 : -1;
	}
	PQclear(res);
	rc = 0;
out:
	if (rc < 0)
		admin_dbinfo_free(info);
	free(names);
	sb_free(&tables);
	return rc;
}

int admin_dbinfo_count(struct db *db, struct admin_dbinfo *info, struct admin_err *err)
{
	struct strbuf sql = {0};
	PGresult *res;

	/* identifiers from the dictionary, never from input; only the tables
	 * the user may read, or the whole statement would be refused */
	sb_adds(&sql, "SELECT true");
	for (size_t i = 0; i < info->ncounts; i++)
		if (info->counts[i].rows >= 0)
			sb_addf(&sql, ",\n (SELECT count(*) FROM %s)", info->counts[i].table);
	res = run(db, sb_str(&sql), 0, NULL, err);
	sb_free(&sql);
	if (!res)
		return -1;
	for (size_t i = 0, c = 1; i < info->ncounts; i++)
		if (info->counts[i].rows >= 0)
			info->counts[i].rows = atoll(PQgetvalue(res, 0, (int)c++));
	PQclear(res);
	info->counted = true;
	return 0;
}

void admin_dbinfo_free(struct admin_dbinfo *info)
{
	if (!info)
		return;
	free(info->database);
	free(info->size);
	free(info->server);
	free(info->user);
	free(info->kind);
	free(info->version_name);
	free(info->counts);
	memset(info, 0, sizeof(*info));
}
