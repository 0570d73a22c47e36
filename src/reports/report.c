/* report.c - the reports of spec/csv.md: which exist, what each takes, and
 * how they are written. The figures themselves are computed by the
 * database (sgz.report_NAME in migration 0005), under the caller's
 * row-level security; this file only runs them with parameters and lays
 * the rows out. */
#include "config.h"

#include "sgz/report.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sgz/async.h"
#include "sgz/csv.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/validate.h"
#include "sgz/width.h"
#include "sgz/xlsx.h"

/* What a column holds: how the text layout aligns and shows it (and
 * whether it gets a bar), and what type its cells have in a workbook. */
enum report_col_kind {
	COL_TEXT,   /* names, codes, ID numbers, months: left-aligned; text cells */
	COL_BOOL,   /* yes/no: left-aligned; 是/否 for people (report_yes_no) */
	COL_CHOICE, /* a code of the column's choices: left-aligned; its label for people */
	COL_COUNT,  /* a whole number: right-aligned */
	COL_DEC1,   /* hours and scores, one decimal: right-aligned */
	COL_MONEY,  /* yuan, two decimals: right-aligned */
	COL_PCT,    /* a percentage, one decimal: right-aligned, then a bar */
};

/* What the text layout's last row, 合计 / Total, holds under a column. */
enum report_col_total {
	TOTAL_NONE,  /* nothing: text, levels, scores, booleans, shares without their parts */
	TOTAL_SUM,   /* the column's sum */
	TOTAL_SHARE, /* 100 × the total of column part / the total of column whole */
	TOTAL_COUNT, /* how many rows have a value: counties that submitted */
};

/* A code a report's column holds, with what people read for it. */
struct report_choice {
	const char *code;
	const char *label_zh; /* csv.md's label: --labels and the Chinese layout */
	const char *label_en; /* the English layout's */
};

struct report_col {
	const char *name;
	enum report_col_kind kind;
	const char *title_zh; /* the header of --labels, of a workbook, of the Chinese layout */
	const char *title_en; /* the heading of the English layout */
	enum report_col_total total;
	const char *part, *whole;	     /* TOTAL_SHARE: the columns it is recomputed from */
	const struct report_choice *choices; /* COL_BOOL, COL_CHOICE: NULL-terminated */
};

struct report_def {
	const char *name;
	const char *title;    /* English */
	const char *title_zh; /* Chinese */
	enum report_period period;
	const char *sql; /* $1 = scope prefix, $2 = the day the figures are taken on */
	const struct report_col *cols;
	size_t ncols;
	struct report_open opens; /* what Enter on a row opens */
	bool by; /* takes --by: sql's $3 the division level of its rows (plan) */
};

/* The values of the reports' booleans and choices (csv.md: Booleans,
 * grade, decision). The data dictionary has no field of these: grades and
 * decisions are computed, never entered; its booleans read 是/否 too. */
static const struct report_choice yes_no[] = {
	{ "yes", "是", "yes" },
	{ "no", "否", "no" },
	{ NULL, NULL, NULL },
};
static const struct report_choice grades[] = {
	{ "excellent", "优秀", "excellent" }, { "good", "良好", "good" },
	{ "pass", "合格", "pass" },	      { "fail", "不合格", "fail" },
	{ NULL, NULL, NULL },
};
static const struct report_choice decisions[] = {
	{ "renew", "续签", "renew" },		{ "reprocure", "重新采购", "re-procure" },
	{ "cycle_end", "周期届满", "cycle ended" }, { "pending", "待评估", "pending" },
	{ NULL, NULL, NULL },
};

/* The columns of spec/csv.md, in order, with their Chinese titles (the
 * progress report's are work.md's), their English headings and what the
 * Total row holds under them: counts, hours and money add up; a share is
 * recomputed from the totals of its parts where both are columns, else
 * left empty; levels, years of a cycle, scores and booleans do not add. */
/* clang-format off */
#define T(n, zh, en)           { n, COL_TEXT, zh, en, TOTAL_NONE, NULL, NULL, NULL }
#define B(n, zh, en)           { n, COL_BOOL, zh, en, TOTAL_NONE, NULL, NULL, yes_no }
#define C(n, zh, en, ch)       { n, COL_CHOICE, zh, en, TOTAL_NONE, NULL, NULL, ch }
#define N(n, zh, en)           { n, COL_COUNT, zh, en, TOTAL_SUM, NULL, NULL, NULL }
#define L(n, zh, en)           { n, COL_COUNT, zh, en, TOTAL_NONE, NULL, NULL, NULL }
#define D(n, zh, en)           { n, COL_DEC1, zh, en, TOTAL_SUM, NULL, NULL, NULL }
#define S(n, zh, en)           { n, COL_DEC1, zh, en, TOTAL_NONE, NULL, NULL, NULL }
#define M(n, zh, en)           { n, COL_MONEY, zh, en, TOTAL_SUM, NULL, NULL, NULL }
#define MN(n, zh, en)          { n, COL_MONEY, zh, en, TOTAL_NONE, NULL, NULL, NULL }
#define P(n, zh, en, pt, wh)   { n, COL_PCT, zh, en, TOTAL_SHARE, pt, wh, NULL }
#define Q(n, zh, en)           { n, COL_PCT, zh, en, TOTAL_NONE, NULL, NULL, NULL }

static const struct report_col coverage_cols[] = {
	T("county_code", "县(区)代码", "County code"), T("county_name", "县(区)", "County"),
	N("townships", "乡镇(街道)数", "Townships"),
	N("stations_planned", "规划建站数", "Stations planned"),
	N("stations_established", "已建站数", "Stations established"),
	P("coverage_pct", "站点覆盖率(%)", "Coverage %", "stations_established", "townships"),
	N("villages", "村(社区)数", "Villages"),
	N("villages_with_point", "有社工点的村(社区)数", "Villages with a point"),
	P("village_coverage_pct", "社工点覆盖率(%)", "Village coverage %", "villages_with_point",
	  "villages"),
	N("target_stations", "建站目标", "Stations target"), B("target_met", "完成目标", "Target met"),
};
static const struct report_col staffing_cols[] = {
	T("township_code", "乡镇(街道)代码", "Township code"),
	T("station_name", "站点名称", "Station"), N("staff", "社工人数", "Staff"),
	N("fulltime", "专职社工人数", "Full-time"), N("qualified", "持证社工人数", "Qualified"),
	P("qualified_pct", "持证率(%)", "Qualified %", "qualified", "staff"),
	N("overdue_unqualified", "逾期未取证人数", "Unqualified past 2 years"),
	N("required_staff", "合同要求人数", "Staff required"),
	N("required_qualified", "合同要求持证人数", "Qualified required"),
	B("compliant", "配备达标", "Compliant"),
};
static const struct report_col hours_cols[] = {
	T("id_number", "身份证号", "ID number"), T("name", "姓名", "Name"),
	T("station", "所属站点", "Station"), D("hours_year", "本年服务时长", "Hours this year"),
	D("hours_total", "累计服务时长", "Hours in all"), L("star", "星级", "Star"),
};
static const struct report_col stars_cols[] = {
	T("township_code", "乡镇(街道)代码", "Township code"),
	T("station_name", "站点名称", "Station"), N("volunteers", "注册志愿者数", "Volunteers"),
	N("active_volunteers", "本年服务志愿者数", "Active this year"),
	D("hours_year", "本年服务时长", "Hours this year"), N("star1", "一星", "1 star"),
	N("star2", "二星", "2 stars"), N("star3", "三星", "3 stars"), N("star4", "四星", "4 stars"),
	N("star5", "五星", "5 stars"),
};
static const struct report_col caseload_cols[] = {
	T("worker", "社工身份证号", "Worker's ID number"), T("worker_name", "社工姓名", "Worker"),
	T("station", "所属站点", "Station"), N("open_cases", "在办个案数", "Open cases"),
	N("high_risk", "高风险个案数", "High risk"),
	N("visits_year", "本年走访次数", "Visits this year"),
	N("overdue_visits", "逾期未走访个案数", "Overdue visits"),
};
/* individual_pct's part (recipients with an individual case) is no column:
 * its total would be a guess from rounded shares. */
static const struct report_col kpi_cols[] = {
	T("township_code", "乡镇(街道)代码", "Township code"),
	T("station_name", "站点名称", "Station"),
	N("recipients_served", "服务对象数", "Recipients served"),
	Q("individual_pct", "个案服务占比(%)", "Individual %"),
	N("households_visited", "走访户数", "Households visited"),
	N("large_events", "大型活动次数", "Large events"),
	N("small_events", "小型活动次数", "Small events"),
	N("trainings", "能力提升培训次数", "Trainings"),
	D("volunteer_hours", "志愿服务时长", "Volunteer hours"),
	B("meets_targets", "达到年度指标", "Targets met"),
};
static const struct report_col contracts_cols[] = {
	T("contract_no", "合同编号", "Contract"), T("organization", "承接机构", "Organization"),
	T("purchaser", "购买主体", "Purchaser"), L("year_no", "周期第几年", "Year of cycle"),
	M("amount", "合同金额(元)", "Amount (yuan)"), S("score", "评估得分", "Score"),
	C("grade", "评估等级", "Grade", grades), C("decision", "续签决定", "Decision", decisions),
};
static const struct report_choice urban_rural[] = {
	{ "urban", "城市社区", "urban" },
	{ "rural", "农村社区", "rural" },
	{ NULL, NULL, NULL },
};
static const struct report_col community_cols[] = {
	T("community_code", "社区(村)代码", "Community code"),
	T("community_name", "社区(村)", "Community"),
	C("urban_rural", "城乡", "Urban/rural", urban_rural),
	N("orgs_active", "活跃社区社会组织数", "Active organisations"),
	N("orgs_registered", "其中登记", "Registered"), N("orgs_filed", "其中备案", "Filed"),
	N("orgs_target", "目标数", "Target"), B("target_met", "达到目标", "Target met"),
};
static const struct report_col training_cols[] = {
	T("id_number", "身份证号", "ID number"), T("name", "姓名", "Name"),
	T("station", "所属站点", "Station"), N("trainings", "培训次数", "Trainings"),
	D("training_hours", "培训学时", "Training hours"),
	N("supervisions", "督导次数", "Supervisions"),
	D("supervision_hours", "督导时长", "Supervision hours"),
};
static const struct report_col plan_cols[] = {
	T("division_code", "区划代码", "Division code"), T("division_name", "行政区划", "Division"),
	T("year", "年度", "Year"), N("stations", "已建站数", "Stations"),
	N("stations_target", "建站目标", "Stations target"),
	N("social_workers", "社工人数", "Social workers"),
	N("social_workers_target", "社工配备目标", "Social workers target"),
	N("qualified", "持证社工人数", "Qualified"), N("qualified_target", "持证社工目标", "Qualified target"),
	Q("point_coverage_pct", "社工点覆盖率(%)", "Point coverage %"),
	Q("point_coverage_target_pct", "社工点覆盖率目标(%)", "Coverage target %"),
	Q("volunteer_rate_pct", "志愿者注册率(%)", "Volunteer rate %"),
	Q("volunteer_rate_target_pct", "志愿者注册率目标(%)", "Volunteer rate target %"),
	B("targets_met", "完成目标", "Targets met"),
};
/* programmes.md: a contract year's money; amounts a station do not add up */
static const struct report_col funds_cols[] = {
	T("contract_no", "合同编号", "Contract"), T("programme", "所属项目", "Programme"),
	T("organization", "承接机构", "Organization"), L("year", "年度", "Year"),
	N("stations", "服务站点数", "Stations"), M("amount", "合同金额(元)", "Amount (yuan)"),
	MN("per_station", "每站金额(元)", "A station (yuan)"),
	MN("budget_per_station", "每站经费标准(元)", "Budget a station (yuan)"),
	M("paid", "已拨付(元)", "Paid (yuan)"), M("unpaid", "未拨付(元)", "Unpaid (yuan)"),
	C("grade", "评估等级", "Grade", grades),
};
static const struct report_choice submission_statuses[] = {
	{ "on_time", "按时", "on time" }, { "late", "逾期", "late" },
	{ "missing", "未报送", "missing" }, { NULL, NULL, NULL },
};
/* programmes.md: who submitted the month's progress report, and when */
static const struct report_col submissions_cols[] = {
	T("county_code", "县(区)代码", "County code"), T("county_name", "县(区)", "County"),
	T("month", "月份", "Month"), T("due_on", "报送期限", "Due on"),
	{ "submitted_on", COL_TEXT, "报送日期", "Submitted on", TOTAL_COUNT, NULL, NULL, NULL },
	C("status", "报送情况", "Status", submission_statuses),
};
static const struct report_choice evaluation_kinds[] = {
	{ "mid_term", "中期评估", "mid-term" }, { "annual", "年度评估", "annual" },
	{ "final", "末期评估", "final" }, { NULL, NULL, NULL },
};
/* programmes.md: each scored indicator of an evaluation; the weights and
 * scores of one evaluation add up to its full marks and its total */
static const struct report_col evaluation_cols[] = {
	T("contract_no", "合同编号", "Contract"), T("station", "所属站点", "Station"),
	C("kind", "评估类型", "Kind", evaluation_kinds), T("evaluated_on", "评估日期", "Evaluated on"),
	T("indicator", "指标编号", "Indicator"), T("indicator_name", "指标名称", "Indicator name"),
	D("weight", "分值", "Weight"), D("score", "得分", "Score"),
};
static const struct report_col progress_cols[] = {
	T("county_code", "县(区)代码", "County code"), T("county_name", "县(区)", "County"),
	T("month", "月份", "Month"), N("stations_cum", "累计建站数", "Stations"),
	N("stations_month", "本月新建站数", "New stations"),
	N("service_points_cum", "累计社工点数", "Service points"),
	N("staff_cum", "累计社工人数", "Social workers"),
	N("qualified_cum", "持证社工人数", "Qualified"),
	N("volunteers_cum", "累计注册志愿者数", "Volunteers"),
	D("hours_month", "本月志愿服务时长", "Volunteer hours"),
	N("open_cases", "在办个案数", "Open cases"), N("visits_month", "本月走访次数", "Visits"),
};

#undef T
#undef B
#undef C
#undef N
#undef L
#undef D
#undef S
#undef M
#undef MN
#undef P
#undef Q

#define REPORT(name, title, zh, period, cols, ...)                                                 \
	{ name, title, zh, period, "SELECT * FROM sgz.report_" name "($1, $2::date)", cols,        \
	  SGZ_ARRAY_LEN(cols), __VA_ARGS__, false }

/* What the rows open (struct report_open). A station's row: its station
 * page (the form of the station, stations' key the township). A county's
 * row: the stations of the county. A worker's row: the cases of the
 * worker open and overdue on the day of the figures, as report_caseload
 * counts them (rules.md: the due date of the last visit up to that day,
 * else its date + visit_interval_days, else the opening +
 * visit_interval_days); the worker as the report names him, by station,
 * number as the reader reads it (masked but to admins) and name. */
#define OPEN_STATION(col) { .entity = "stations", .key = { col } }
#define OPEN_COUNTY_OF(code, name)                                                                 \
	{ .entity = "stations",                                                                    \
	  .where = "t.township BETWEEN rpad(substr($1, 1, 6), 12, '0')"                            \
		   " AND rpad(substr($1, 1, 6), 12, '9')",                                          \
	  .args = { code }, .label = name }
#define OPEN_COUNTY OPEN_COUNTY_OF("county_code", "county_name")
#define OPEN_OVERDUE                                                                               \
	{ .entity = "cases", .column = "overdue_visits",                                           \
	  .where = "t.worker_pid IN (SELECT s.pid FROM sgz.staff_v s\n"                            \
		   "                  WHERE s.station = $1 AND s.id_number = $2 AND s.name = $3)\n" \
		   "AND t.opened_on <= $4::date AND (t.closed_on IS NULL OR t.closed_on > $4::date)\n" \
		   "AND coalesce((SELECT coalesce(v.next_due, v.visit_date\n"                      \
		   "                              + sgz.setting_value('visit_interval_days')::int)\n" \
		   "                FROM sgz.visit_v v\n"                                           \
		   "               WHERE v.case_no = t.case_no AND v.visit_date <= $4::date\n"      \
		   "               ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST LIMIT 1),\n" \
		   "              t.opened_on + sgz.setting_value('visit_interval_days')::int)\n"  \
		   "    < $4::date",                                                                   \
	  .args = { "station", "worker", "worker_name", "@as_of" }, .label = "worker_name",        \
	  .what_zh = "逾期未走访", .what_en = "overdue visits" }

static const struct report_def reports[] = {
	REPORT("coverage", "Coverage", "站点覆盖", REPORT_YEAR, coverage_cols, OPEN_COUNTY),
	REPORT("staffing", "Staffing", "人员配备", REPORT_YEAR, staffing_cols,
	       OPEN_STATION("township_code")),
	REPORT("hours", "Volunteer hours", "志愿服务时长", REPORT_YEAR, hours_cols, { NULL }),
	REPORT("stars", "Volunteer stars", "志愿者星级", REPORT_YEAR, stars_cols,
	       OPEN_STATION("township_code")),
	REPORT("caseload", "Caseload", "个案工作量", REPORT_YEAR, caseload_cols, OPEN_OVERDUE),
	REPORT("kpi", "Station indicators", "站点考核指标", REPORT_YEAR, kpi_cols,
	       OPEN_STATION("township_code")),
	REPORT("contracts", "Contracts", "购买服务合同", REPORT_CONTRACT_YEAR, contracts_cols,
	       { .entity = "contracts", .key = { "contract_no" } }),
	REPORT("progress", "Monthly progress", "每月进度", REPORT_MONTH, progress_cols, OPEN_COUNTY),
	REPORT("community", "Community organisations", "社区社会组织", REPORT_YEAR, community_cols,
	       { .entity = "divisions", .key = { "community_code" } }),
	REPORT("training", "Training and supervision", "培训与督导", REPORT_YEAR, training_cols,
	       { NULL }),
	{ "plan", "Plan", "建设计划", REPORT_YEAR,
	  "SELECT * FROM sgz.report_plan($1, $2::date, $3::int)", plan_cols,
	  SGZ_ARRAY_LEN(plan_cols), OPEN_COUNTY_OF("division_code", "division_name"), true },
	REPORT("funds", "Funds", "资金拨付", REPORT_CONTRACT_YEAR, funds_cols,
	       { .entity = "contracts", .key = { "contract_no" } }),
	REPORT("submissions", "Submissions", "报表报送", REPORT_MONTH, submissions_cols,
	       { NULL }),
	REPORT("evaluation", "Evaluation scores", "评估指标得分", REPORT_YEAR, evaluation_cols,
	       { .entity = "evaluations", .key = { "contract_no", "station", "kind",
						  "evaluated_on" } }),
};

static const char *const names[] = {
	"coverage", "staffing", "hours", "stars", "caseload", "kpi", "contracts", "progress",
	"community", "training", "plan", "funds", "submissions", "evaluation",
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

bool report_takes_by(const struct report_def *def)
{
	return def->by;
}

static const char *const by_names[] = { "province", "prefecture", "county", "township" };

int report_parse_by(const char *s, int *level)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(by_names); i++)
		if (strcmp(s, by_names[i]) == 0) {
			*level = (int)i + 1;
			return 0;
		}
	return -1;
}

const char *report_by_name(int level)
{
	return level >= 1 && level <= 4 ? by_names[level - 1] : "county";
}

const struct report_open *report_opens(const struct report_def *def)
{
	return &def->opens;
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
	int by;		  /* the level of its rows for a report that takes --by (1-4), else 0 */
	bool admin;	  /* the session's kind: resident ID numbers shown whole */
	long lag;	  /* seconds a standby's figures are behind, past max_lag; or -1 */
	PGresult *res;	  /* the rows, or NULL for those of report_result_new() */
	long nrows;	  /* without res: the rows of cells */
	char **cells;	  /* without res: nrows × ncols, row by row, NULL for none */
	char ***names; /* per column, the text layout's names of its rows' codes, or NULL */
};

/* The day of the figures and the effective scope, in one round trip. It
 * also sets the transaction up for reports: JIT off (the queries are
 * estimated costly enough to trigger it, and compiling costs more than it
 * saves) and work_mem large enough that a province's aggregates and sorts
 * stay in memory. A month's figures are as of its last day or today,
 * whichever is earlier (never before its first: a clock behind the
 * client's). On a hot standby, how far its figures are behind the
 * primary: the time since the last transaction it replayed, unless it has
 * replayed all the primary sent (an idle primary sends nothing, and the
 * standby is then as current as it).
 * $1 scope asked for (NULL: the caller's), $2 year, $3 month (NULL: the
 * current one), $4 'month' for a monthly report. */
static const char context_sql[] =
	"WITH a AS (\n"
	"  SELECT sgz.scope_prefix() AS own,\n"
	"         CASE WHEN $2::int IS NULL THEN current_date\n"
	"              WHEN $4::text = 'month' THEN\n"
	"                least((make_date($2::int, $3::int, 1) + interval '1 month - 1 day')::date,\n"
	"                      greatest(current_date, make_date($2::int, $3::int, 1)))\n"
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
	"       coalesce(sgz.current_kind() = 'admin', false),\n"
	"       CASE WHEN pg_is_in_recovery()\n"
	"             AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()\n"
	"            THEN greatest(0, floor(extract(epoch FROM\n"
	"                                    now() - pg_last_xact_replay_timestamp())))::bigint\n"
	"       END\n"
	"  FROM b";

/* The columns of context_sql. */
enum { CTX_JIT, CTX_WORK_MEM, CTX_AS_OF, CTX_OWN, CTX_SCOPE, CTX_SCOPE_NAME, CTX_ADMIN, CTX_LAG };

/* Runs a statement through async.h's hook (the interface's wait, where
 * Esc cancels; without a hook a plain PQexecParams()). The rows, or NULL
 * with err set; a lost connection is reset and said, as db_query() does. */
static PGresult *query(struct db *db, const char *sql, int nparams, const char *const *params,
		       struct sgz_err *err)
{
	return db_async_query(db, sql, nparams, params, err);
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

int report_month_check(int year, int month, int this_year, int this_month)
{
	return year * 12 + month <= this_year * 12 + this_month ? 0 : -1;
}

/* The columns the text layout shows by name, the CSV keeping the codes
 * (csv.md: references by key): a station as the lists name it, its
 * township's name, its county's before it when the report covers more
 * than a county (names repeat across counties); an organisation (the
 * contracts' and the funds' organization, a unified credit code) by its
 * name. $1 the codes of the column as an array, $2 the report's scope;
 * each query gives (code, name). */
static const struct {
	const char *column;
	const char *sql;
} named_columns[] = {
    {"station",
     "SELECT d.code, CASE WHEN length($2::text) < 6 AND substr(d.code, 7) <> '000000'\n"
     "  THEN coalesce((SELECT c.name FROM sgz.division c\n"
     "                  WHERE c.code = left(d.code, 6) || '000000'), '') ELSE '' END || d.name\n"
     "  FROM sgz.division d WHERE d.code = ANY($1::text[])"},
    {"organization", "SELECT o.credit_code, o.name FROM sgz.organization o\n"
		     " WHERE o.credit_code = ANY($1::text[]) AND length($2::text) >= 0"},
};

struct code_name {
	const char *code, *name;
};

static int code_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct code_name *)a)->code, ((const struct code_name *)b)->code);
}

/* The names of column col of r's rows by one statement for all rows;
 * names[row] NULL where the code has none (shown as it is). Each code is
 * sent once where rows repeat it one after the other (a province's hours
 * report names 2,000 stations in 200,000 rows), and the rows find their
 * names by binary search. */
static int name_column(struct db *db, struct report_result *r, size_t col, const char *sql,
		       struct sgz_err *err)
{
	struct strbuf codes = {0};
	PGresult *res;
	const char *last = NULL;

	/* codes are digits and capitals (a division's, a credit code): safe
	 * in an array literal */
	sb_addc(&codes, '{');
	for (long i = 0; i < r->nrows; i++) {
		const char *v = PQgetisnull(r->res, (int)i, (int)col)
				    ? NULL
				    : PQgetvalue(r->res, (int)i, (int)col);
		if (v && *v && strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(v) &&
		    !(last && strcmp(last, v) == 0)) {
			sb_addf(&codes, "%s%s", codes.len > 1 ? "," : "", v);
			last = v;
		}
	}
	sb_addc(&codes, '}');
	const char *params[2] = {sb_str(&codes), r->scope ? r->scope : ""};
	res = query(db, sql, 2, params, err);
	sb_free(&codes);
	if (!res)
		return -1;
	/* the codes that have a name, sorted (a code is a key: once each) */
	int n = 0;
	struct code_name *found = xcalloc((size_t)PQntuples(res) + 1, sizeof(*found));
	for (int k = 0; k < PQntuples(res); k++)
		if (!PQgetisnull(res, k, 1) && *PQgetvalue(res, k, 1))
			found[n++] = (struct code_name){PQgetvalue(res, k, 0), PQgetvalue(res, k, 1)};
	qsort(found, (size_t)n, sizeof(*found), code_name_cmp);
	char **shown = xcalloc((size_t)r->nrows, sizeof(*shown));
	r->names[col] = shown;
	for (long i = 0; i < r->nrows; i++) {
		const char *v = PQgetisnull(r->res, (int)i, (int)col)
				    ? NULL
				    : PQgetvalue(r->res, (int)i, (int)col);
		struct code_name key = {v, NULL};
		const struct code_name *hit =
		    v ? bsearch(&key, found, (size_t)n, sizeof(*found), code_name_cmp) : NULL;
		if (hit)
			shown[i] = xstrdup(hit->name);
	}
	free(found);
	PQclear(res);
	return 0;
}

/* Every named column of r's report (named_columns[]). */
static int name_columns(struct db *db, struct report_result *r, struct sgz_err *err)
{
	if (r->nrows == 0)
		return 0;
	for (size_t c = 0; c < r->def->ncols; c++)
		for (size_t k = 0; k < SGZ_ARRAY_LEN(named_columns); k++)
			if (strcmp(r->def->cols[c].name, named_columns[k].column) == 0) {
				if (!r->names)
					r->names = xcalloc(r->def->ncols, sizeof(*r->names));
				if (name_column(db, r, c, named_columns[k].sql, err) < 0)
					return -1;
			}
	return 0;
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
	/* read only whichever database it runs on (a standby refuses a
	 * write; the primary's reports never make one either) */
	if (db_exec(db, "BEGIN READ ONLY", 0, NULL, err) < 0)
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
	r->lag = -1;
	if (!PQgetisnull(ctx, 0, CTX_LAG)) {
		long lag = strtol(PQgetvalue(ctx, 0, CTX_LAG), NULL, 10);
		if (lag > p->max_lag)
			r->lag = lag;
	}
	PQclear(ctx);
	ctx = NULL;

	char by[8];
	snprintf(by, sizeof(by), "%d", p->by >= 1 && p->by <= 4 ? p->by : 3);
	r->by = def->by ? (p->by >= 1 && p->by <= 4 ? p->by : 3) : 0;
	const char *params[3] = { r->scope, r->as_of, by };
	r->res = query(db, def->sql, def->by ? 3 : 2, params, err);
	if (!r->res || check_columns(def, r->res, err) < 0)
		goto fail;
	r->nrows = PQntuples(r->res);
	if (name_columns(db, r, err) < 0)
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

struct report_result *report_result_new(const struct report_def *def, const char *as_of,
					const char *scope, const char *scope_name, long nrows,
					const char *const *cells)
{
	struct report_result *r = xcalloc(1, sizeof(*r));
	size_t n = (size_t)nrows * def->ncols;

	r->def = def;
	r->as_of = xstrdup(as_of);
	r->scope = xstrdup(scope);
	r->scope_name = scope_name ? xstrdup(scope_name) : NULL;
	r->admin = true;
	r->lag = -1;
	r->nrows = nrows;
	r->cells = xcalloc(n ? n : 1, sizeof(*r->cells));
	for (size_t i = 0; i < n; i++)
		r->cells[i] = cells[i] ? xstrdup(cells[i]) : NULL;
	return r;
}

void report_result_free(struct report_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	if (r->cells)
		for (size_t i = 0; i < (size_t)r->nrows * r->def->ncols; i++)
			free(r->cells[i]);
	free(r->cells);
	for (size_t c = 0; r->names && c < r->def->ncols; c++) {
		for (long i = 0; r->names[c] && i < r->nrows; i++)
			free(r->names[c][i]);
		free(r->names[c]);
	}
	free(r->names);
	free(r->as_of);
	free(r->scope);
	free(r->scope_name);
	free(r);
}

long report_result_rows(const struct report_result *r)
{
	return r->nrows;
}

const char *report_result_as_of(const struct report_result *r)
{
	return r->as_of ? r->as_of : "";
}

const char *report_result_scope(const struct report_result *r)
{
	return r->scope ? r->scope : "";
}

long report_result_lag(const struct report_result *r)
{
	return r->lag;
}

void report_result_set_lag(struct report_result *r, long seconds)
{
	r->lag = seconds;
}

/* n units of a duration, in Chinese or English. */
static void put_units(struct strbuf *sb, long n, const char *zh_unit, const char *en_unit, bool zh)
{
	if (zh)
		sb_addf(sb, "%ld %s", n, zh_unit);
	else
		sb_addf(sb, "%ld %s%s", n, en_unit, n == 1 ? "" : "s");
}

char *report_lag_note(const struct report_result *r)
{
	bool zh = i18n_lang() == I18N_ZH;
	struct strbuf sb = { 0 };
	long s = r->lag;

	if (s < 0)
		return NULL;
	/* the two largest units: 2 天 3 小时, 5 分钟 20 秒 */
	sb_adds(&sb, zh ? "注意:备库落后主库 " : "Note: the standby is ");
	if (s >= 86400) {
		put_units(&sb, s / 86400, "天", "day", zh);
		sb_adds(&sb, " ");
		put_units(&sb, s % 86400 / 3600, "小时", "hour", zh);
	} else if (s >= 3600) {
		put_units(&sb, s / 3600, "小时", "hour", zh);
		sb_adds(&sb, " ");
		put_units(&sb, s % 3600 / 60, "分钟", "minute", zh);
	} else if (s >= 60) {
		put_units(&sb, s / 60, "分钟", "minute", zh);
		sb_adds(&sb, " ");
		put_units(&sb, s % 60, "秒", "second", zh);
	} else {
		put_units(&sb, s, "秒", "second", zh);
	}
	sb_adds(&sb, zh ? ",最近的修改可能尚未计入" : " behind; recent changes may be missing");
	return sb_detach(&sb);
}

static const char *cell(const struct report_result *r, long row, size_t col)
{
	if (!r->res)
		return r->cells[(size_t)row * r->def->ncols + col];
	return PQgetisnull(r->res, (int)row, (int)col) ? NULL : PQgetvalue(r->res, (int)row, (int)col);
}

const char *report_result_cell(const struct report_result *r, long row, const char *name)
{
	if (row < 0 || row >= r->nrows)
		return NULL;
	for (size_t c = 0; c < r->def->ncols; c++)
		if (strcmp(r->def->cols[c].name, name) == 0)
			return cell(r, row, c);
	return NULL;
}

const struct report_def *report_result_def(const struct report_result *r)
{
	return r->def;
}

/* What people read for a boolean's or a choice's code: its Chinese label
 * (zh) or English one; any other cell, or a code not in the list, as it is. */
static const char *cell_label(const struct report_col *col, const char *s, bool zh)
{
	if (!s || !col->choices)
		return s;
	for (const struct report_choice *c = col->choices; c->code; c++)
		if (strcmp(c->code, s) == 0)
			return zh ? c->label_zh : c->label_en;
	return s;
}

int report_write_csv(const struct report_result *r, bool labels, FILE *out)
{
	const struct report_def *def = r->def;
	const char **fields = xcalloc(def->ncols, sizeof(*fields));
	struct strbuf sb = { 0 };

	for (size_t c = 0; c < def->ncols; c++)
		fields[c] = labels ? def->cols[c].title_zh : def->cols[c].name;
	csv_write_record(&sb, fields, def->ncols);
	for (long i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < def->ncols; c++) {
			fields[c] = cell(r, i, c);
			if (labels)
				fields[c] = cell_label(&def->cols[c], fields[c], true);
		}
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

int report_save(const struct report_result *r, bool text, bool labels, const char *path,
		struct sgz_err *err)
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
	rc = text ? report_write_text(r, out) : report_write_csv(r, labels, out);
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
	case COL_CHOICE:
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

/* The level a report by --by adds up to, for its title: "" for the others. */
static const char *by_title(const struct report_result *r, bool zh)
{
	static const char *const en[] = {" — by province", " — by prefecture", " — by county",
					 " — by township"};
	static const char *const cn[] = {" — 按省级汇总", " — 按地市级汇总", " — 按县级汇总",
					 " — 按乡镇级汇总"};

	if (r->by < 1 || r->by > 4)
		return "";
	return zh ? cn[r->by - 1] : en[r->by - 1];
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
	sb_adds(&sb, by_title(r, true));
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

int report_save_xlsx(const struct report_result *r, bool labels, const char *path,
		     struct sgz_err *err)
{
	const struct report_def *def = r->def;
	struct xlsx_column *cols = xcalloc(def->ncols, sizeof(*cols));
	const char **cells = xcalloc(def->ncols, sizeof(*cells));
	char *title = xlsx_title(r);
	struct xlsx_opts xo = { .sheet = def->title_zh, .title = title };
	struct xlsx_writer *w = NULL;
	int rc = -1;

	for (size_t c = 0; c < def->ncols; c++)
		cols[c] = xlsx_col(&def->cols[c]);
	if (!(w = xlsx_open(path, cols, def->ncols, &xo, err)))
		goto out;
	for (long i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < def->ncols; c++) {
			cells[c] = cell(r, i, c);
			if (labels)
				cells[c] = cell_label(&def->cols[c], cells[c], true);
		}
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

/* ---- totals ---- */

/* Decimals of a column's figures. */
static int col_scale(enum report_col_kind kind)
{
	switch (kind) {
	case COL_TEXT:
	case COL_BOOL:
	case COL_CHOICE:
	case COL_COUNT:
		return 0;
	case COL_DEC1:
	case COL_PCT:
		return 1;
	case COL_MONEY:
		return 2;
	}
	return 0;
}

int report_decimal_parse(const char *s, int scale, long long *out)
{
	long long v = 0;
	int neg = 0, decimals = -1;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; *s; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || decimals == scale || v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		if (decimals >= 0)
			decimals++;
	}
	for (decimals = decimals < 0 ? 0 : decimals; decimals < scale; decimals++) {
		if (v > LLONG_MAX / 10)
			return -1;
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
}

void report_decimal_format(long long v, int scale, char out[REPORT_DECIMAL_LEN])
{
	unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	unsigned long long p = 1;

	for (int i = 0; i < scale; i++)
		p *= 10;
	if (scale == 0)
		snprintf(out, REPORT_DECIMAL_LEN, "%s%llu", v < 0 ? "-" : "", a);
	else
		snprintf(out, REPORT_DECIMAL_LEN, "%s%llu.%0*llu", v < 0 ? "-" : "", a / p, scale,
			 a % p);
}

int report_share(long long part, long long whole, char out[REPORT_DECIMAL_LEN])
{
	if (whole <= 0 || part < 0 || part > LLONG_MAX / 2000)
		return -1;
	/* tenths of a percent, half away from zero: (2000 p + w) / 2w */
	report_decimal_format((part * 2000 + whole) / (whole * 2), 1, out);
	return 0;
}

static int col_index(const struct report_def *def, const char *name)
{
	for (size_t c = 0; c < def->ncols; c++)
		if (strcmp(def->cols[c].name, name) == 0)
			return (int)c;
	return -1;
}

/* The sum of column c over the rows, at its scale, into *sum: 0, or -1 when
 * no row has a figure there or one is not a number. */
static int col_sum(const struct report_result *r, size_t c, long long *sum)
{
	int scale = col_scale(r->def->cols[c].kind), any = 0;
	long long v;

	*sum = 0;
	for (long i = 0; i < r->nrows; i++) {
		const char *s = cell(r, i, c);
		if (!s)
			continue;
		if (report_decimal_parse(s, scale, &v) < 0 || (v > 0 && *sum > LLONG_MAX - v) ||
		    (v < 0 && *sum < LLONG_MIN - v))
			return -1;
		*sum += v;
		any = 1;
	}
	return any ? 0 : -1;
}

/* The Total row's cells (totals[c] empty where the column has none).
 * Returns whether any column has one. */
static bool compute_totals(const struct report_result *r, char (*totals)[REPORT_DECIMAL_LEN])
{
	const struct report_def *def = r->def;
	bool any = false;
	long long sum, part, whole;

	for (size_t c = 0; c < def->ncols; c++) {
		const struct report_col *col = &def->cols[c];
		int p, w;

		totals[c][0] = '\0';
		switch (col->total) {
		case TOTAL_NONE:
			break;
		case TOTAL_SUM:
			if (col_sum(r, c, &sum) == 0) {
				report_decimal_format(sum, col_scale(col->kind), totals[c]);
				any = true;
			}
			break;
		case TOTAL_COUNT:
			sum = 0;
			for (long i = 0; i < r->nrows; i++)
				sum += cell(r, i, c) && *cell(r, i, c);
			snprintf(totals[c], REPORT_DECIMAL_LEN, "%lld", sum);
			any = true;
			break;
		case TOTAL_SHARE:
			p = col_index(def, col->part);
			w = col_index(def, col->whole);
			if (p < 0 || w < 0)
				abort(); /* the table names a column it does not have */
			if (col_sum(r, (size_t)p, &part) == 0 && col_sum(r, (size_t)w, &whole) == 0 &&
			    report_share(part, whole, totals[c]) == 0)
				any = true;
			break;
		}
	}
	return any && r->nrows > 0;
}

/* ---- text ---- */

#define BAR_COLS 20
#define GAP	 "  "

static void pad(struct strbuf *out, int n)
{
	while (n-- > 0)
		sb_addc(out, ' ');
}

/* Writes the line in out without the blanks it ends in, and empties out. */
static void put_line(struct strbuf *out, FILE *f)
{
	size_t n = out->len;

	while (n > 0 && out->buf[n - 1] == ' ')
		n--;
	fwrite(out->buf, 1, n, f);
	fputc('\n', f);
	sb_reset(out);
}

/* "[#######.............]": the share in twentieths, rounded. */
static void put_bar(struct strbuf *out, const char *pct)
{
	double v = strtod(pct, NULL);
	int fill = (int)floor(v / (100.0 / BAR_COLS) + 0.5);

	if (fill < 0)
		fill = 0;
	if (fill > BAR_COLS)
		fill = BAR_COLS;
	sb_addc(out, '[');
	for (int i = 0; i < BAR_COLS; i++)
		sb_addc(out, i < fill ? '#' : '.');
	sb_addc(out, ']');
}

/* Writes s in a column of width cols, aligned (put_line() drops the
 * blanks a line ends in). */
static void put_cell(struct strbuf *out, const char *s, int cols, int right)
{
	int w = width_utf8(s);

	if (right)
		pad(out, cols - w);
	sb_adds(out, s);
	if (!right)
		pad(out, cols - w);
}

static void put_title(const struct report_result *r, bool zh, FILE *out)
{
	const struct report_def *def = r->def;

	fprintf(out, "%s — ", zh ? def->title_zh : def->title);
	if (!r->scope[0])
		fputs(zh ? "全部" : "all divisions", out);
	else if (r->scope_name)
		fprintf(out, "%s (%s)", r->scope_name, r->scope);
	else
		fputs(r->scope, out);
	fputs(by_title(r, zh), out);
	switch (def->period) {
	case REPORT_YEAR:
		fprintf(out, zh ? " — 截至 %s\n" : " — as of %s\n", r->as_of);
		break;
	case REPORT_CONTRACT_YEAR:
		fprintf(out, zh ? " — %.4s 合同年度\n" : " — contract year %.4s\n", r->as_of);
		break;
	case REPORT_MONTH:
		fprintf(out, zh ? " — %.7s (截至 %s)\n" : " — %.7s (as of %s)\n", r->as_of, r->as_of);
		break;
	}
}

/* A cell as the text layout shows it: a resident ID number (the hours
 * report's volunteer, the caseload's worker) masked in the middle unless
 * the session is an admin's (rules.md: display masks it); a boolean or a
 * choice by its label. The CSV is data for a script and keeps them as
 * they are, as `sgz export` does. */
static const char *shown_cell(const struct report_result *r, long row, size_t col, bool zh,
			      char buf[IDNUM_LEN + 1])
{
	const char *s = cell(r, row, col), *name = r->def->cols[col].name;

	if (r->def->cols[col].choices)
		return cell_label(&r->def->cols[col], s, zh);
	/* a station, an organisation by its name, as the lists show them */
	if (r->names && r->names[col] && row >= 0 && row < r->nrows && r->names[col][row])
		return r->names[col][row];
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
	case COL_CHOICE:
	case COL_PCT:
		return 0;
	case COL_COUNT:
	case COL_DEC1:
	case COL_MONEY:
		return 1;
	}
	return 0;
}

/* The cells of one line under the column names (width[] wide), a
 * percentage's with its bar; NULL cells blank. */
static void put_row(const struct report_def *def, const char *const *cells, const int *width,
		    struct strbuf *line, FILE *out)
{
	for (size_t c = 0; c < def->ncols; c++) {
		const char *s = cells[c];
		if (c)
			sb_adds(line, GAP);
		switch (def->cols[c].kind) {
		case COL_TEXT:
		case COL_BOOL:
		case COL_CHOICE:
		case COL_COUNT:
		case COL_DEC1:
		case COL_MONEY:
			put_cell(line, s ? s : "", width[c], right_aligned(def->cols[c].kind));
			break;
		case COL_PCT:
			/* An unknown share is blank, without a bar. */
			if (!s || !*s) {
				pad(line, width[c]);
				break;
			}
			put_cell(line, s, width[c] - (1 + BAR_COLS + 2), 1);
			sb_addc(line, ' ');
			put_bar(line, s);
			break;
		}
	}
	put_line(line, out);
}

static void put_rule(const int *width, size_t n, struct strbuf *line, FILE *out)
{
	for (size_t c = 0; c < n; c++) {
		if (c)
			sb_adds(line, GAP);
		for (int i = 0; i < width[c]; i++)
			sb_addc(line, '-');
	}
	put_line(line, out);
}

int report_text_tail(const struct report_result *r)
{
	char(*totals)[REPORT_DECIMAL_LEN] = xcalloc(r->def->ncols, sizeof(*totals));
	bool any = compute_totals(r, totals);

	free(totals);
	return any ? 3 : 1;
}

int report_write_text(const struct report_result *r, FILE *out)
{
	char masked[IDNUM_LEN + 1];
	const struct report_def *def = r->def;
	bool zh = i18n_lang() == I18N_ZH;
	const char *total_word = zh ? "合计" : "Total";
	size_t n = def->ncols;
	int *width = xcalloc(n, sizeof(*width));
	const char **cells = xcalloc(n, sizeof(*cells));
	char(*totals)[REPORT_DECIMAL_LEN] = xcalloc(n, sizeof(*totals));
	bool has_total = compute_totals(r, totals);
	struct strbuf line = { 0 };

	/* 合计 stands in the first column, which then has no total of its own */
	if (has_total)
		totals[0][0] = '\0';
	for (size_t c = 0; c < n; c++) {
		int w = 0;
		for (long i = 0; i < r->nrows; i++) {
			const char *s = shown_cell(r, i, c, zh, masked);
			int cw = s ? width_utf8(s) : 0;
			if (cw > w)
				w = cw;
		}
		if (has_total) {
			int tw = width_utf8(c == 0 ? total_word : totals[c]);
			if (tw > w)
				w = tw;
		}
		if (def->cols[c].kind == COL_PCT)
			w = (w > 5 ? w : 5) + 1 + BAR_COLS + 2; /* "100.0 [...]" */
		const char *head = zh ? def->cols[c].title_zh : def->cols[c].title_en;
		int hw = width_utf8(head);
		width[c] = w > hw ? w : hw;
	}

	put_title(r, zh, out);
	/* the line under the title: empty, or how far a standby lags */
	char *note = report_lag_note(r);
	if (note)
		fputs(note, out);
	free(note);
	fputc('\n', out);
	for (size_t c = 0; c < n; c++) {
		if (c)
			sb_adds(&line, GAP);
		put_cell(&line, zh ? def->cols[c].title_zh : def->cols[c].title_en, width[c],
			 right_aligned(def->cols[c].kind));
	}
	put_line(&line, out);
	put_rule(width, n, &line, out);
	for (long i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < n; c++)
			cells[c] = shown_cell(r, i, c, zh, masked);
		put_row(def, cells, width, &line, out);
	}
	if (has_total) {
		put_rule(width, n, &line, out);
		for (size_t c = 0; c < n; c++)
			cells[c] = c == 0 ? total_word : totals[c];
		put_row(def, cells, width, &line, out);
	}
	sb_free(&line);
	if (zh)
		fprintf(out, "(共 %ld 行)\n", r->nrows);
	else
		fprintf(out, "(%ld %s)\n", r->nrows, r->nrows == 1 ? "row" : "rows");
	free(totals);
	free(cells);
	free(width);
	return ferror(out) ? -1 : 0;
}
