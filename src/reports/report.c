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
#include "sgz/xlsx.h"

/* What a column holds: how the text layout aligns it (and whether it gets
 * a bar), and what type its cells have in a workbook. */
enum report_col_kind {
	COL_TEXT,  /* names, codes and ID numbers: left-aligned; text cells */
	COL_BOOL,  /* yes/no: left-aligned; the CSV's words */
	COL_COUNT, /* a whole number: right-aligned */
	COL_DEC1,  /* hours and scores, one decimal: right-aligned */
	COL_MONEY, /* yuan, two decimals: right-aligned */
	COL_PCT,   /* a percentage, one decimal: right-aligned, then a bar */
};

struct report_col {
	const char *name;
	enum report_col_kind kind;
	const char *title_zh; /* the header of --labels and of a workbook */
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

/* The columns of spec/csv.md, in order, with their Chinese titles (the
 * progress report's are work.md's). */
/* clang-format off */
#define T(n, zh) { n, COL_TEXT, zh }
#define B(n, zh) { n, COL_BOOL, zh }
#define N(n, zh) { n, COL_COUNT, zh }
#define D(n, zh) { n, COL_DEC1, zh }
#define M(n, zh) { n, COL_MONEY, zh }
#define P(n, zh) { n, COL_PCT, zh }

static const struct report_col coverage_cols[] = {
	T("county_code", "县(区)代码"), T("county_name", "县(区)"), N("townships", "乡镇(街道)数"),
	N("stations_planned", "规划建站数"), N("stations_established", "已建站数"),
	P("coverage_pct", "站点覆盖率(%)"), N("villages", "村(社区)数"),
	N("villages_with_point", "有社工点的村(社区)数"), P("village_coverage_pct", "社工点覆盖率(%)"),
	N("target_stations", "建站目标"), B("target_met", "完成目标"),
};
static const struct report_col staffing_cols[] = {
	T("township_code", "乡镇(街道)代码"), T("station_name", "站点名称"), N("staff", "社工人数"),
	N("fulltime", "专职社工人数"), N("qualified", "持证社工人数"), P("qualified_pct", "持证率(%)"),
	N("overdue_unqualified", "逾期未取证人数"), N("required_staff", "合同要求人数"),
	N("required_qualified", "合同要求持证人数"), B("compliant", "配备达标"),
};
static const struct report_col hours_cols[] = {
	T("id_number", "身份证号"), T("name", "姓名"), T("station", "所属站点"),
	D("hours_year", "本年服务时长"), D("hours_total", "累计服务时长"), N("star", "星级"),
};
static const struct report_col stars_cols[] = {
	T("township_code", "乡镇(街道)代码"), T("station_name", "站点名称"),
	N("volunteers", "注册志愿者数"), N("active_volunteers", "本年服务志愿者数"),
	D("hours_year", "本年服务时长"), N("star1", "一星"), N("star2", "二星"), N("star3", "三星"),
	N("star4", "四星"), N("star5", "五星"),
};
static const struct report_col caseload_cols[] = {
	T("worker", "社工身份证号"), T("worker_name", "社工姓名"), T("station", "所属站点"),
	N("open_cases", "在办个案数"), N("high_risk", "高风险个案数"), N("visits_year", "本年走访次数"),
	N("overdue_visits", "逾期未走访个案数"),
};
static const struct report_col kpi_cols[] = {
	T("township_code", "乡镇(街道)代码"), T("station_name", "站点名称"),
	N("recipients_served", "服务对象数"), P("individual_pct", "个案服务占比(%)"),
	N("households_visited", "走访户数"), N("large_events", "大型活动次数"),
	N("small_events", "小型活动次数"), N("trainings", "能力提升培训次数"),
	D("volunteer_hours", "志愿服务时长"), B("meets_targets", "达到年度指标"),
};
static const struct report_col contracts_cols[] = {
	T("contract_no", "合同编号"), T("organization", "承接机构"), T("purchaser", "购买主体"),
	N("year_no", "周期第几年"), M("amount", "合同金额(元)"), D("score", "评估得分"),
	T("grade", "评估等级"), T("decision", "续签决定"),
};
static const struct report_col progress_cols[] = {
	T("county_code", "县(区)代码"), T("county_name", "县(区)"), T("month", "月份"),
	N("stations_cum", "累计建站数"), N("stations_month", "本月新建站数"),
	N("service_points_cum", "累计社工点数"), N("staff_cum", "累计社工人数"),
	N("qualified_cum", "持证社工人数"), N("volunteers_cum", "累计注册志愿者数"),
	D("hours_month", "本月志愿服务时长"), N("open_cases", "在办个案数"),
	N("visits_month", "本月走访次数"),
};

#undef T
#undef B
#undef N
#undef D
#undef M
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

/* ---- workbook ---- */

/* The type of a column's cells in a workbook. */
static struct xlsx_column xlsx_col(const struct report_col *col)
{
	struct xlsx_column x = { .title = col->title_zh, .type = XLSX_NUMBER, .decimals = -1 };

	switch (col->kind) {
	case COL_TEXT:
	case COL_BOOL:
		x.type = XLSX_TEXT;
		break;
	case COL_COUNT:
		x.decimals = 0;
		break;
	case COL_DEC1:
	case COL_PCT:
		x.decimals = 1;
		break;
	case COL_MONEY:
		x.type = XLSX_MONEY;
		break;
	}
	return x;
}

/* What the figures are, for the workbook's title: the report, the scope,
 * the day. Caller frees. */
static char *xlsx_title(const struct report_result *r)
{
	struct strbuf sb = { 0 };

	sb_addf(&sb, "%s — ", r->def->title_zh);
	if (!r->scope[0])
		sb_adds(&sb, "全部");
	else if (r->scope_name)
		sb_addf(&sb, "%s (%s)", r->scope_name, r->scope);
	else
		sb_adds(&sb, r->scope);
	switch (r->def->period) {
	case REPORT_YEAR:
		sb_addf(&sb, " — 截至 %s", r->as_of);
		break;
	case REPORT_CONTRACT_YEAR:
		sb_addf(&sb, " — %.4s 合同年度", r->as_of);
		break;
	case REPORT_MONTH:
		sb_addf(&sb, " — %.7s (截至 %s)", r->as_of, r->as_of);
		break;
	}
	return sb_detach(&sb);
}

int report_save_xlsx(const struct report_result *r, const char *path, struct sgz_err *err)
{
	const struct report_def *def = r->def;
	struct xlsx_column *cols = xcalloc(def->ncols, sizeof(*cols));
	const char **cells = xcalloc(def->ncols, sizeof(*cells));
	char *title = xlsx_title(r);
	struct xlsx_opts xo = { .sheet = def->title_zh, .title = title };
	struct xlsx_writer *w = NULL;
	int rows = PQntuples(r->res), rc = -1;

	for (size_t c = 0; c < def->ncols; c++)
		cols[c] = xlsx_col(&def->cols[c]);
	if (!(w = xlsx_open(path, cols, def->ncols, &xo, err)))
		goto out;
	for (int i = 0; i < rows; i++) {
		for (size_t c = 0; c < def->ncols; c++)
			cells[c] = cell(r, i, c);
		if (xlsx_add_row(w, cells, err) < 0)
			goto out;
	}
	if (xlsx_finish(w, err) < 0 || xlsx_commit(w, err) < 0)
		goto out;
	rc = 0;
out:
	xlsx_free(w);
	free(title);
	free(cells);
	free(cols);
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

/* Numbers stand to the right; a percentage's figure does, before its bar. */
static int right_aligned(enum report_col_kind kind)
{
	switch (kind) {
	case COL_TEXT:
	case COL_BOOL:
	case COL_PCT:
		return 0;
	case COL_COUNT:
	case COL_DEC1:
	case COL_MONEY:
		return 1;
	}
	return 0;
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
		put_cell(out, def->cols[c].name, width[c], right_aligned(def->cols[c].kind),
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
			case COL_BOOL:
			case COL_COUNT:
			case COL_DEC1:
			case COL_MONEY:
				put_cell(out, s ? s : "", width[c], right_aligned(def->cols[c].kind),
					 last);
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
