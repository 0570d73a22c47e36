/* report.c - the reports of spec/csv.md: which exist, what each takes, and
 * how they are written. The figures themselves are computed by the
 * database (sgz.report_NAME in migration 0005), under the caller's
 * row-level security; this file only runs them with parameters and lays
 * the rows out. */
#include "config.h"

#include "sgz/report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sgz/browse.h"
#include "sgz/csv.h"
#include "sgz/db.h"
#include "sgz/log.h"
#include "sgz/validate.h"
#include "sgz/width.h"

/* Columns of the text layout: how each is aligned, and whether it gets a
 * bar. */
enum report_col_kind {
	COL_TEXT,   /* left-aligned */
	COL_NUMBER, /* right-aligned */
	COL_PCT,    /* right-aligned, then a bar */
};

struct report_col {
	const char *name;
	enum report_col_kind kind;
};

struct report_def {
	const char *name;
	const char *title;    /* English */
	const char *title_zh; /* Chinese */
	enum report_period period;
	const char *sql; /* $1 = scope prefix, $2 = the day the figures are taken on */
	const struct report_col *cols;
	size_t ncols;
};

/* The columns of spec/csv.md, in order. */
/* clang-format off */
#define T(n) { n, COL_TEXT }
#define N(n) { n, COL_NUMBER }
#define P(n) { n, COL_PCT }

static const struct report_col coverage_cols[] = {
	T("county_code"), T("county_name"), N("townships"), N("stations_planned"),
	N("stations_established"), P("coverage_pct"), N("villages"), N("villages_with_point"),
	P("village_coverage_pct"), N("target_stations"), T("target_met"),
};
static const struct report_col staffing_cols[] = {
	T("township_code"), T("station_name"), N("staff"), N("fulltime"), N("qualified"),
	P("qualified_pct"), N("overdue_unqualified"), N("required_staff"),
	N("required_qualified"), T("compliant"),
};
static const struct report_col hours_cols[] = {
	T("id_number"), T("name"), T("station"), N("hours_year"), N("hours_total"), N("star"),
};
static const struct report_col stars_cols[] = {
	T("township_code"), T("station_name"), N("volunteers"), N("active_volunteers"),
	N("hours_year"), N("star1"), N("star2"), N("star3"), N("star4"), N("star5"),
};
static const struct report_col caseload_cols[] = {
	T("worker"), T("worker_name"), T("station"), N("open_cases"), N("high_risk"),
	N("visits_year"), N("overdue_visits"),
};
static const struct report_col kpi_cols[] = {
	T("township_code"), T("station_name"), N("recipients_served"), P("individual_pct"),
	N("households_visited"), N("large_events"), N("small_events"), N("trainings"),
	N("volunteer_hours"), T("meets_targets"),
};
static const struct report_col contracts_cols[] = {
	T("contract_no"), T("organization"), T("purchaser"), N("year_no"), N("amount"),
	N("score"), T("grade"), T("decision"),
};
static const struct report_col progress_cols[] = {
	T("county_code"), T("county_name"), T("month"), N("stations_cum"), N("stations_month"),
	N("service_points_cum"), N("staff_cum"), N("qualified_cum"), N("volunteers_cum"),
	N("hours_month"), N("open_cases"), N("visits_month"),
};

#undef T
#undef N
#undef P

#define REPORT(name, title, zh, period, cols)                                                      \
	{ name, title, zh, period, "SELECT * FROM sgz.report_" name "($1, $2::date)", cols,        \
	  SGZ_ARRAY_LEN(cols) }

static const struct report_def reports[] = {
	REPORT("coverage", "Coverage", "站点覆盖", REPORT_YEAR, coverage_cols),
	REPORT("staffing", "Staffing", "人员配备", REPORT_YEAR, staffing_cols),
	REPORT("hours", "Volunteer hours", "志愿服务时长", REPORT_YEAR, hours_cols),
	REPORT("stars", "Volunteer stars", "志愿者星级", REPORT_YEAR, stars_cols),
	REPORT("caseload", "Caseload", "个案工作量", REPORT_YEAR, caseload_cols),
	REPORT("kpi", "Station indicators", "站点考核指标", REPORT_YEAR, kpi_cols),
	REPORT("contracts", "Contracts", "购买服务合同", REPORT_CONTRACT_YEAR, contracts_cols),
	REPORT("progress", "Monthly progress", "每月进度", REPORT_MONTH, progress_cols),
};

static const char *const names[] = {
	"coverage", "staffing", "hours", "stars", "caseload", "kpi", "contracts", "progress",
};
/* clang-format on */
_Static_assert(SGZ_ARRAY_LEN(names) == SGZ_ARRAY_LEN(reports), "a report without its name");

const struct report_def *report_find(const char *name)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(reports); i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

const char *const *report_names(size_t *n)
{
	*n = SGZ_ARRAY_LEN(names);
	return names;
}

const char *report_name(const struct report_def *def)
{
	return def->name;
}

enum report_period report_period(const struct report_def *def)
{
	return def->period;
}

/* ---- parameters ---- */

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int report_parse_year(const char *s, int *year)
{
	if (strlen(s) != 4 || !all_digits(s, 4))
		return -1;
	*year = atoi(s);
	return *year >= REPORT_YEAR_MIN && *year <= REPORT_YEAR_MAX ? 0 : -1;
}

int report_parse_month(const char *s, int *year, int *month)
{
	char y[5];

	if (strlen(s) != 7 || s[4] != '-' || !all_digits(s + 5, 2))
		return -1;
	memcpy(y, s, 4);
	y[4] = '\0';
	if (report_parse_year(y, year) < 0)
		return -1;
	*month = atoi(s + 5);
	return *month >= 1 && *month <= 12 ? 0 : -1;
}

int report_parse_scope(const char *s, char out[DIVISION_CODE_LEN + 1], struct sgz_err *err)
{
	/* the significant digits of each level: a prefecture's code covers
	 * whatever starts with its first four */
	static const size_t prefix_len[] = { 0, 2, 4, 6, 9, 12 };
	char code[DIVISION_CODE_LEN + 1];

	if (division_code_normalize(s, code, err) < 0)
		return -1;
	snprintf(out, DIVISION_CODE_LEN + 1, "%.*s", (int)prefix_len[division_level(code)], code);
	return 0;
}

struct report_result {
	const struct report_def *def;
	char *as_of;	  /* YYYY-MM-DD */
	char *scope;	  /* the prefix the figures cover */
	char *scope_name; /* its division's name, or NULL */
	bool admin;	  /* the session's kind: resident ID numbers shown whole */
	PGresult *res;
};

/* The day of the figures and the effective scope, in one round trip. It
 * also sets the transaction up for reports: JIT off (the queries are
 * estimated costly enough to trigger it, and compiling costs more than it
 * saves) and work_mem large enough that a province's aggregates and sorts
 * stay in memory.
 * $1 scope asked for (NULL: the caller's), $2 year, $3 month (NULL: the
 * current one), $4 'month' for a monthly report. */
static const char context_sql[] =
	"WITH a AS (\n"
	"  SELECT sgz.scope_prefix() AS own,\n"
	"         CASE WHEN $2::int IS NULL AND $4::text = 'month' THEN\n"
	"                (date_trunc('month', current_date) + interval '1 month - 1 day')::date\n"
	"              WHEN $2::int IS NULL THEN current_date\n"
	"              WHEN $4::text = 'month' THEN\n"
	"                (make_date($2::int, $3::int, 1) + interval '1 month - 1 day')::date\n"
	"              ELSE make_date($2::int, 12, 31) END AS as_of\n"
	"), b AS (\n"
	"  SELECT a.*, CASE WHEN $1::text IS NULL THEN own\n"
	"                   WHEN $1::text LIKE own || '%' THEN $1::text\n"
	"                   WHEN own LIKE $1::text || '%' THEN own END AS scope\n"
	"    FROM a\n"
	")\n"
	"SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true),\n"
	"       to_char(as_of, 'YYYY-MM-DD'), own, scope,\n"
	"       (SELECT d.name FROM sgz.division d WHERE d.code = rpad(scope, 12, '0')),\n"
	"       coalesce(sgz.current_kind() = 'admin', false)\n"
	"  FROM b";

/* The columns of context_sql. */
enum { CTX_JIT, CTX_WORK_MEM, CTX_AS_OF, CTX_OWN, CTX_SCOPE, CTX_SCOPE_NAME, CTX_ADMIN };

/* Runs a statement through browse.h's hook (the interface's wait, where
 * Esc cancels; without a hook a plain PQexecParams()). The rows, or NULL
 * with err set; a lost connection is reset and said, as db_query() does. */
static PGresult *query(struct db *db, const char *sql, int nparams, const char *const *params,
		       struct sgz_err *err)
{
	return browse_query(db, sql, nparams, params, err);
}

static char *get_text(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

/* Checks that the database returns the columns this file lays out, so that
 * a migration and this table cannot drift apart unnoticed. */
static int check_columns(const struct report_def *def, const PGresult *res, struct sgz_err *err)
{
	int n = PQnfields(res);

	if (n != (int)def->ncols)
		goto bad;
	for (int i = 0; i < n; i++)
		if (strcmp(PQfname(res, i), def->cols[i].name) != 0)
			goto bad;
	return 0;
bad:
	sgz_err_set(err, SGZ_EUSAGE,
		    "report %s: the database returns other columns than this sgz expects "
		    "(is the schema from another version?)",
		    def->name);
	return -1;
}

int report_run(struct db *db, const struct report_def *def, const struct report_params *p,
	       struct report_result **out, struct sgz_err *err)
{
	char year[16], month[16];
	const char *period = def->period == REPORT_MONTH ? "month" : "year";
	const char *cparams[4] = { p->scope, NULL, NULL, period };
	struct report_result *r = NULL;
	PGresult *ctx = NULL;

	*out = NULL;
	if (p->year) {
		snprintf(year, sizeof(year), "%d", p->year);
		cparams[1] = year;
		if (def->period == REPORT_MONTH) {
			snprintf(month, sizeof(month), "%d", p->month);
			cparams[2] = month;
		}
	}
	if (db_begin(db, err) < 0)
		return -1;
	ctx = query(db, context_sql, 4, cparams, err);
	if (!ctx)
		goto fail;
	if (PQntuples(ctx) != 1) {
		sgz_err_set(err, SGZ_EUSAGE, "report %s: no context row", def->name);
		goto fail;
	}
	if (PQgetisnull(ctx, 0, CTX_OWN)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    "your role has no scope in this database; an administrator gives one "
			    "with sgz user add");
		goto fail;
	}
	if (PQgetisnull(ctx, 0, CTX_SCOPE)) {
		/* worded as the database's own refusals, which the
		 * interface has in Chinese */
		sgz_err_set(err, SGZ_EUSAGE, "division %s is outside your scope (%s)", p->scope,
			    PQgetvalue(ctx, 0, CTX_OWN));
		goto fail;
	}
	r = xcalloc(1, sizeof(*r));
	r->def = def;
	r->as_of = get_text(ctx, 0, CTX_AS_OF);
	r->scope = get_text(ctx, 0, CTX_SCOPE);
	r->scope_name = get_text(ctx, 0, CTX_SCOPE_NAME);
	r->admin = strcmp(PQgetvalue(ctx, 0, CTX_ADMIN), "t") == 0;
	PQclear(ctx);
	ctx = NULL;

	const char *params[2] = { r->scope, r->as_of };
	r->res = query(db, def->sql, 2, params, err);
	if (!r->res || check_columns(def, r->res, err) < 0)
		goto fail;
	if (db_commit(db, err) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	PQclear(ctx);
	report_result_free(r);
	db_rollback(db);
	return -1;
}

void report_result_free(struct report_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r->as_of);
	free(r->scope);
	free(r->scope_name);
	free(r);
}

long report_result_rows(const struct report_result *r)
{
	return PQntuples(r->res);
}

const char *report_result_as_of(const struct report_result *r)
{
	return r->as_of ? r->as_of : "";
}

const char *report_result_scope(const struct report_result *r)
{
	return r->scope ? r->scope : "";
}

static const char *cell(const struct report_result *r, int row, size_t col)
{
	return PQgetisnull(r->res, row, (int)col) ? NULL : PQgetvalue(r->res, row, (int)col);
}

int report_write_csv(const struct report_result *r, FILE *out)
{
	const struct report_def *def = r->def;
	const char **fields = xcalloc(def->ncols, sizeof(*fields));
	struct strbuf sb = { 0 };
	int rows = PQntuples(r->res);

	for (size_t c = 0; c < def->ncols; c++)
		fields[c] = def->cols[c].name;
	csv_write_record(&sb, fields, def->ncols);
	for (int i = 0; i < rows; i++) {
		for (size_t c = 0; c < def->ncols; c++)
			fields[c] = cell(r, i, c);
		csv_write_record(&sb, fields, def->ncols);
		if (sb.len >= 65536) {
			fwrite(sb.buf, 1, sb.len, out);
			sb_reset(&sb);
		}
	}
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, out);
	sb_free(&sb);
	free(fields);
	return ferror(out) ? -1 : 0;
}

static int ends_with_csv(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

int report_save(const struct report_result *r, bool text, const char *path, struct sgz_err *err)
{
	struct stat st;
	char *tmp = NULL;
	FILE *out;
	int fd = -1, rc = -1, saved;

	/* a device or a pipe is written as it is: renaming would replace it */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		out = fopen(path, "w");
	} else {
		tmp = xasprintf("%s.XXXXXX", path);
		fd = mkstemp(tmp);
		out = fd >= 0 ? fdopen(fd, "w") : NULL;
	}
	if (!out) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	if (!text && tmp && ends_with_csv(path))
		fputs("\xEF\xBB\xBF", out);
	rc = text ? report_write_text(r, out) : report_write_csv(r, out);
	saved = errno;
	if (fclose(out) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && tmp && rename(tmp, path) < 0) {
		rc = -1;
		saved = errno;
	}
	if (rc < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s", path, strerror(saved));
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* ---- text ---- */

#define BAR_COLS 20
#define GAP	 "  "

static void pad(FILE *out, int n)
{
	while (n-- > 0)
		fputc(' ', out);
}

/* "[#######.............]": the share in twentieths, rounded. */
static void put_bar(FILE *out, const char *pct)
{
	double v = strtod(pct, NULL);
	int fill = (int)floor(v / (100.0 / BAR_COLS) + 0.5);

	if (fill < 0)
		fill = 0;
	if (fill > BAR_COLS)
		fill = BAR_COLS;
	fputc('[', out);
	for (int i = 0; i < BAR_COLS; i++)
		fputc(i < fill ? '#' : '.', out);
	fputc(']', out);
}

/* Writes s in a column of width cols, aligned; the last column of a row is
 * not padded on the right, so that lines carry no trailing blanks. */
static void put_cell(FILE *out, const char *s, int cols, int right, int last)
{
	int w = width_utf8(s);

	if (right)
		pad(out, cols - w);
	fputs(s, out);
	if (!right && !last)
		pad(out, cols - w);
}

static void put_title(const struct report_result *r, FILE *out)
{
	const struct report_def *def = r->def;

	fprintf(out, "%s %s — ", def->title, def->title_zh);
	if (!r->scope[0])
		fputs("all divisions 全部", out);
	else if (r->scope_name)
		fprintf(out, "%s (%s)", r->scope_name, r->scope);
	else
		fputs(r->scope, out);
	switch (def->period) {
	case REPORT_YEAR:
		fprintf(out, " — as of %s\n", r->as_of);
		break;
	case REPORT_CONTRACT_YEAR:
		fprintf(out, " — contract year %.4s\n", r->as_of);
		break;
	case REPORT_MONTH:
		fprintf(out, " — %.7s (as of %s)\n", r->as_of, r->as_of);
		break;
	}
}

/* A cell as the text layout shows it: a resident ID number (the hours
 * report's volunteer, the caseload's worker) masked in the middle unless
 * the session is an admin's (rules.md: display masks it). The CSV is data
 * for a script and keeps it whole, as `sgz export` does. */
static const char *shown_cell(const struct report_result *r, int row, size_t col,
			      char buf[IDNUM_LEN + 1])
{
	const char *s = cell(r, row, col), *name = r->def->cols[col].name;

	if (!s || r->admin || strlen(s) != IDNUM_LEN ||
	    (strcmp(name, "id_number") != 0 && strcmp(name, "worker") != 0))
		return s;
	idnum_mask(s, buf);
	return buf;
}

int report_write_text(const struct report_result *r, FILE *out)
{
	char masked[IDNUM_LEN + 1];
	const struct report_def *def = r->def;
	size_t n = def->ncols;
	int rows = PQntuples(r->res);
	int *width = xcalloc(n, sizeof(*width));

	for (size_t c = 0; c < n; c++) {
		int w = 0;
		for (int i = 0; i < rows; i++) {
			const char *s = shown_cell(r, i, c, masked);
			int cw = s ? width_utf8(s) : 0;
			if (cw > w)
				w = cw;
		}
		if (def->cols[c].kind == COL_PCT)
			w = (w > 5 ? w : 5) + 1 + BAR_COLS + 2; /* "100.0 [...]" */
		int hw = width_utf8(def->cols[c].name);
		width[c] = w > hw ? w : hw;
	}

	put_title(r, out);
	fputc('\n', out);
	for (size_t c = 0; c < n; c++) {
		if (c)
			fputs(GAP, out);
		put_cell(out, def->cols[c].name, width[c], def->cols[c].kind == COL_NUMBER,
			 c + 1 == n);
	}
	fputc('\n', out);
	for (size_t c = 0; c < n; c++) {
		if (c)
			fputs(GAP, out);
		for (int i = 0; i < width[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
	for (int i = 0; i < rows; i++) {
		for (size_t c = 0; c < n; c++) {
			const char *s = shown_cell(r, i, c, masked);
			int last = c + 1 == n;
			if (c)
				fputs(GAP, out);
			switch (def->cols[c].kind) {
			case COL_TEXT:
				put_cell(out, s ? s : "", width[c], 0, last);
				break;
			case COL_NUMBER:
				put_cell(out, s ? s : "", width[c], 1, last);
				break;
			case COL_PCT:
				/* An unknown share is blank, without a bar. */
				if (!s) {
					if (!last)
						pad(out, width[c]);
					break;
				}
				put_cell(out, s, width[c] - (1 + BAR_COLS + 2), 1, 0);
				fputc(' ', out);
				put_bar(out, s);
				break;
			}
		}
		fputc('\n', out);
	}
	fprintf(out, "(%d %s)\n", rows, rows == 1 ? "row" : "rows");
	free(width);
	return ferror(out) ? -1 : 0;
}
