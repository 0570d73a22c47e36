/* divtree.c - the division browser's queries: the subdivisions of one
 * division by key with their own subdivisions counted per page, the search
 * below a division with each match's path, the path of a division, where a
 * user's tree starts, and the export of what the browser shows.
 *
 * The SQL is put together from the constant pieces below; every value (the
 * division, the filter, the key, the page size) is a parameter, or for the
 * export's COPY, which takes none, a setting local to its transaction. */
#include "config.h"

#include "sgz/divtree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sgz/async.h"
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/division.h"
#include "sgz/log.h"
#include "sgz/record.h"
#include "sgz/transfer.h"

struct divtree {
	struct db *db;
	const struct dict_entity *e; /* divisions */
	int code_field;		     /* index of its code in e->fields */
	char root[DIVISION_CODE_LEN + 1];
	bool may_add, may_delete;
};

struct divtree *divtree_new(struct db *db)
{
	struct divtree *dt = xcalloc(1, sizeof(*dt));

	dt->db = db;
	dt->e = dict_find("divisions");
	if (!dt->e)
		abort(); /* the dictionary always has it */
	dt->code_field = dict_field_index(dt->e, dict_field_by_header(dt->e, "code"));
	if (dt->code_field < 0)
		abort();
	return dt;
}

void divtree_free(struct divtree *dt)
{
	free(dt);
}

const char *divtree_root(const struct divtree *dt)
{
	return dt->root;
}

bool divtree_may_add(const struct divtree *dt)
{
	return dt->may_add;
}

bool divtree_may_delete(const struct divtree *dt)
{
	return dt->may_delete;
}

size_t divtree_prefix_len(const char *node)
{
	static const size_t len[] = {0, 2, 4, 6, 9, 12};

	if (!node || !*node)
		return 0;
	return len[division_level(node)];
}

/* ---- running a statement ---- */

/* The statement through the interface's wait hook (db_async_run()): its
 * rows, or NULL with err set, a lost connection reset and said as the
 * lists say it (form_tr_message() knows these texts). Caller clears. */
static PGresult *run(struct db *db, const char *sql, int np, const char *const *params,
		     struct sgz_err *err)
{
	return db_async_query(db, sql, np, params, err);
}

/* ---- where the tree starts ---- */

static const char open_sql[] = "SELECT sgz.scope_prefix(),\n"
			       "       has_table_privilege('sgz.division', 'INSERT'),\n"
			       "       has_table_privilege('sgz.division', 'DELETE'),\n"
			       "       session_user";

int divtree_open(struct divtree *dt, struct sgz_err *err)
{
	PGresult *res = run(dt->db, open_sql, 0, NULL, err);
	int rc = -1;

	if (!res)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		/* as the policies say it (migration 0004) */
		sgz_err_set(err, SGZ_EUSAGE, "role %s has no scope in this database",
			    PQntuples(res) == 1 ? PQgetvalue(res, 0, 3) : "?");
		goto out;
	}
	const char *prefix = PQgetvalue(res, 0, 0);
	size_t len = strlen(prefix);
	if (len > DIVISION_CODE_LEN) {
		sgz_err_set(err, SGZ_EUSAGE, "scope %s is not a division code prefix", prefix);
		goto out;
	}
	/* the scope's division: its code is the prefix padded with zeros */
	if (len == 0) {
		dt->root[0] = '\0';
	} else {
		memcpy(dt->root, prefix, len);
		memset(dt->root + len, '0', DIVISION_CODE_LEN - len);
		dt->root[DIVISION_CODE_LEN] = '\0';
	}
	dt->may_add = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	dt->may_delete = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* ---- the rows ---- */

/* The values of one statement, each written into the SQL as a parameter
 * ($n) or, for COPY, as the setting that carries it. */
struct args {
	bool settings;
	int n;
	const char *v[12];
};

static void add_arg(struct strbuf *sql, struct args *a, const char *value, const char *type)
{
	if (a->n == (int)SGZ_ARRAY_LEN(a->v))
		abort(); /* the statements below use at most 9 */
	a->v[a->n++] = value;
	if (a->settings)
		sb_addf(sql, "current_setting('sgz.divtree_%d')", a->n);
	else
		sb_addf(sql, "$%d", a->n);
	if (type)
		sb_addf(sql, "::%s", type);
}

/* What one query asks for, and the texts its parameters point into. */
struct query {
	const char *node; /* "" for the nation */
	bool search;	  /* a filter was given */
	bool by_code;	  /* the filter is digits: a code prefix */
	char lo[DIVISION_CODE_LEN + 1], hi[DIVISION_CODE_LEN + 1];   /* node's range */
	char mlo[DIVISION_CODE_LEN + 1], mhi[DIVISION_CODE_LEN + 1]; /* the prefix's */
	char level[4];	     /* node's level, 0 for the nation */
	struct strbuf match; /* the name pattern */
	struct strbuf initials; /* the initials' pattern ("zgz%"), or empty */
};

/* The codes starting with prefix[0..len): from all zeros to all nines. */
static void code_range(const char *prefix, size_t len, char lo[DIVISION_CODE_LEN + 1],
		       char hi[DIVISION_CODE_LEN + 1])
{
	memcpy(lo, prefix, len);
	memcpy(hi, prefix, len);
	memset(lo + len, '0', DIVISION_CODE_LEN - len);
	memset(hi + len, '9', DIVISION_CODE_LEN - len);
	lo[DIVISION_CODE_LEN] = hi[DIVISION_CODE_LEN] = '\0';
}

/* Fills q; -1 with err set for a node that is not a division code. */
static int query_init(struct query *q, const char *node, const char *filter, struct sgz_err *err)
{
	size_t flen, start;

	memset(q, 0, sizeof(*q));
	q->node = node ? node : DIVTREE_NATION;
	if (*q->node && (strlen(q->node) != DIVISION_CODE_LEN ||
			 strspn(q->node, "0123456789") != DIVISION_CODE_LEN)) {
		sgz_err_set(err, SGZ_EUSAGE, "division %s is not a 12-digit division code",
			    q->node);
		return -1;
	}
	snprintf(q->level, sizeof(q->level), "%d", *q->node ? (int)division_level(q->node) : 0);
	code_range(q->node, divtree_prefix_len(q->node), q->lo, q->hi);
	/* blanks around the filter are not what the user looks for */
	filter = filter ? filter : "";
	start = strspn(filter, " \t");
	flen = strlen(filter + start);
	while (flen > 0 && (filter[start + flen - 1] == ' ' || filter[start + flen - 1] == '\t'))
		flen--;
	if (flen == 0)
		return 0;
	q->search = true;
	filter += start;
	q->by_code = flen <= DIVISION_CODE_LEN && strspn(filter, "0123456789") >= flen;
	if (q->by_code) {
		code_range(filter, flen, q->mlo, q->mhi);
		return 0;
	}
	/* LIKE's wildcards and escape typed by the user match themselves */
	sb_addc(&q->match, '%');
	for (size_t i = 0; i < flen; i++) {
		if (filter[i] == '%' || filter[i] == '_' || filter[i] == '\\')
			sb_addc(&q->match, '\\');
		sb_addc(&q->match, filter[i]);
	}
	sb_addc(&q->match, '%');
	/* ASCII letters (and digits) may be the start of the name's pinyin
	 * initials, kept with it (migration 0021): zgz finds 张贵庄街道 */
	bool letters = true;
	for (size_t i = 0; i < flen; i++)
		letters = letters && ((filter[i] >= 'a' && filter[i] <= 'z') ||
				      (filter[i] >= 'A' && filter[i] <= 'Z') ||
				      (filter[i] >= '0' && filter[i] <= '9'));
	for (size_t i = 0; letters && i < flen; i++)
		sb_addc(&q->initials, (char)(filter[i] >= 'A' && filter[i] <= 'Z'
						 ? filter[i] - 'A' + 'a'
						 : filter[i]));
	if (letters)
		sb_addc(&q->initials, '%');
	return 0;
}

/* The rows q asks for, over sgz.division t. */
static void add_where(struct strbuf *sql, struct args *a, const struct query *q)
{
	if (!q->search) {
		/* the subdivisions: (parent, code) is indexed (migration 0001) */
		if (*q->node) {
			sb_adds(sql, "t.parent = ");
			add_arg(sql, a, q->node, "text");
		} else {
			sb_adds(sql, "t.parent IS NULL");
		}
		return;
	}
	/* every level below node: the codes that start with its significant
	 * digits (a division's parent always shares them), the node excluded */
	if (*q->node) {
		sb_adds(sql, "t.code BETWEEN ");
		add_arg(sql, a, q->lo, "text");
		sb_adds(sql, " AND ");
		add_arg(sql, a, q->hi, "text");
		sb_adds(sql, " AND t.code <> ");
		add_arg(sql, a, q->node, "text");
	} else {
		sb_adds(sql, "true");
	}
	if (q->by_code) {
		sb_adds(sql, " AND t.code BETWEEN ");
		add_arg(sql, a, q->mlo, "text");
		sb_adds(sql, " AND ");
		add_arg(sql, a, q->mhi, "text");
	} else {
		sb_adds(sql, " AND (t.name ILIKE ");
		add_arg(sql, a, sb_str(&q->match), "text");
		if (q->initials.len) {
			sb_adds(sql, " OR t.initials LIKE ");
			add_arg(sql, a, sb_str(&q->initials), "text");
		}
		sb_adds(sql, ")");
	}
}

/* The names between the division searched below and the row's parent:
 * the ancestors (at most four: a village's) deeper than the node. */
static const char path_joins[] = "  LEFT JOIN sgz.division a1 ON a1.code = p.parent\n"
				 "  LEFT JOIN sgz.division a2 ON a2.code = a1.parent\n"
				 "  LEFT JOIN sgz.division a3 ON a3.code = a2.parent\n"
				 "  LEFT JOIN sgz.division a4 ON a4.code = a3.parent\n";

/* The number of subdivisions of every row of the page: one grouped index
 * scan of (parent, code) over the page's codes, not a count per row. */
static const char count_join[] = "  LEFT JOIN (SELECT c.parent, count(*) AS n\n"
				 "               FROM sgz.division c\n"
				 "              WHERE c.parent IN (SELECT code FROM page)\n"
				 "              GROUP BY c.parent) k ON k.parent = p.code\n";

int divtree_fetch(struct divtree *dt, const char *node, const char *filter, enum divtree_fetch how,
		  const char *key, size_t n, divtree_row_fn fn, void *arg, struct sgz_err *err)
{
	struct query q;
	struct args a = {0};
	struct strbuf sql = {0};
	char **parts = NULL, limit[24];
	size_t nparts = 0;
	bool desc = how == DIVTREE_BEFORE || how == DIVTREE_LAST;
	int rc = -1;

	if (query_init(&q, node, filter, err) < 0)
		goto out;
	if (how == DIVTREE_AFTER || how == DIVTREE_BEFORE) {
		parts = record_key_decode(dt->e, key ? key : "", &nparts);
		if (!parts || nparts != 1 || !parts[0]) {
			sgz_err_set(err, SGZ_EUSAGE, "bad list key");
			goto out;
		}
	}
	snprintf(limit, sizeof(limit), "%zu", n);
	sb_adds(&sql, "WITH page AS (\n"
		      "  SELECT t.code, t.name, t.level, t.parent\n"
		      "    FROM sgz.division t\n"
		      "   WHERE ");
	add_where(&sql, &a, &q);
	if (parts) {
		sb_adds(&sql, how == DIVTREE_AFTER ? " AND t.code > " : " AND t.code < ");
		add_arg(&sql, &a, parts[0], "text");
	}
	sb_adds(&sql, desc ? "\n   ORDER BY t.code DESC LIMIT " : "\n   ORDER BY t.code LIMIT ");
	add_arg(&sql, &a, limit, "bigint");
	sb_adds(&sql, ")\nSELECT p.code, p.name, p.level, coalesce(k.n, 0), ");
	if (q.search) {
		sb_adds(&sql, "concat_ws(' > '");
		for (int i = 4; i >= 1; i--) {
			sb_addf(&sql, ", CASE WHEN a%d.level > ", i);
			add_arg(&sql, &a, q.level, "smallint");
			sb_addf(&sql, " THEN a%d.name END", i);
		}
		sb_adds(&sql, ")\n  FROM page p\n");
		sb_adds(&sql, path_joins);
	} else {
		sb_adds(&sql, "NULL\n  FROM page p\n");
	}
	sb_adds(&sql, count_join);
	sb_adds(&sql, desc ? " ORDER BY p.code DESC" : " ORDER BY p.code");

	PGresult *res = run(dt->db, sb_str(&sql), a.n, a.v, err);
	if (!res)
		goto out;
	const char **vals = xcalloc(dt->e->nfields + 1, sizeof(*vals));
	int rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		int r = desc ? rows - 1 - i : i;
		struct divtree_row row = {
		    .code = PQgetvalue(res, r, 0),
		    .name = PQgetvalue(res, r, 1),
		    .level = atoi(PQgetvalue(res, r, 2)),
		    .children = atol(PQgetvalue(res, r, 3)),
		    .path = PQgetisnull(res, r, 4) ? NULL : PQgetvalue(res, r, 4),
		};
		vals[dt->code_field] = row.code;
		char *k = record_key_encode(dt->e, vals);
		row.key = k;
		int stop = fn(arg, &row);
		free(k);
		if (stop < 0)
			break;
	}
	free(vals);
	PQclear(res);
	rc = 0;
out:
	record_key_free(parts, nparts);
	sb_free(&q.match);
	sb_free(&q.initials);
	sb_free(&sql);
	return rc;
}

/* ---- the path ---- */

/* Up the stored parents from code: at most five rows, by the primary key. */
static const char path_sql[] = "WITH RECURSIVE up (code, name, parent, level) AS (\n"
			       "  SELECT d.code, d.name, d.parent, d.level\n"
			       "    FROM sgz.division d WHERE d.code = $1::text\n"
			       "  UNION ALL\n"
			       "  SELECT d.code, d.name, d.parent, d.level\n"
			       "    FROM sgz.division d JOIN up ON d.code = up.parent\n"
			       ")\n"
			       "SELECT code, name FROM up ORDER BY level";

int divtree_path(struct divtree *dt, const char *code, divtree_path_fn fn, void *arg,
		 struct sgz_err *err)
{
	const char *params[1] = {code};
	PGresult *res = run(dt->db, path_sql, 1, params, err);

	if (!res)
		return -1;
	for (int r = 0; r < PQntuples(res); r++)
		if (fn(arg, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1)) < 0)
			break;
	PQclear(res);
	return 0;
}

/* ---- export ---- */

/* COPY takes no parameters: the values travel in settings local to the
 * transaction, set by one statement (into sql). */
static void set_args_sql(const struct args *a, struct strbuf *sql)
{
	sb_adds(sql, "SELECT ");
	for (int i = 1; i <= a->n; i++)
		sb_addf(sql, "%sset_config('sgz.divtree_%d', $%d, true)", i > 1 ? ", " : "", i, i);
}

int divtree_export(struct divtree *dt, const char *node, const char *filter, FILE *out,
		   long *rows, struct sgz_err *err)
{
	struct query q;
	struct args a = {.settings = true};
	struct strbuf sql = {0}, setup = {0};
	int rc;

	*rows = 0;
	if (query_init(&q, node, filter, err) < 0)
		return -1;
	sb_adds(&sql, "COPY (SELECT ");
	transfer_export_columns(&sql, dt->e);
	sb_adds(&sql, " FROM sgz.division t WHERE ");
	add_where(&sql, &a, &q);
	sb_adds(&sql, " ORDER BY t.code) TO STDOUT WITH (FORMAT csv, HEADER true)");
	if (a.n)
		set_args_sql(&a, &setup);
	/* filed under the division exported below */
	const char *audit[3] = {*q.node ? q.node : NULL, q.search ? filter : NULL,
				*q.node ? q.node : NULL};
	rc = browse_copy_export(dt->db, out, a.n ? sb_str(&setup) : NULL, a.v, a.n,
				sb_str(&sql),
				"SELECT sgz.audit_event('export', 'sgz.division', "
				"jsonb_build_object('entity', 'divisions', 'below', $1::text, "
				"'filter', $2::text, 'rows', $4::bigint), $3::text)",
				audit, 3, rows, err);
	sb_free(&sql);
	sb_free(&setup);
	sb_free(&q.match);
	sb_free(&q.initials);
	return rc;
}
