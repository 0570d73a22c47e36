/* entities_programmes.c - the dictionary's entries of spec/programmes.md:
 * programmes, indicator sets, the scores of an evaluation's indicators,
 * payments and submissions. Their rules are migration 0025's, checked
 * here over the staged rows with the same messages, so that an import or
 * a form names every offending line before the database refuses it. */
#include "config.h"

#include "sgz/entities_programmes.h"

#include "sgz/division.h"
#include "sgz/i18n.h"

/* ---- choices ---- */

static const struct dict_choice programme_kinds[] = {
	{ "station_operation", "社工站运营", "Station operation" },
	{ "community_package", "社区服务项目包", "Community package" },
	{ "other", "其他", "Other" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice payment_kinds[] = {
	{ "advance", "预付款", "Advance" },
	{ "installment", "进度款", "Installment" },
	/* "final" is an evaluation's kind too (末期评估): messages say which */
	{ "final", "尾款", "Final payment" },
	{ "performance", "绩效奖励", "Performance" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice report_kinds[] = {
	{ "progress", "进展月报", "Monthly progress" },
	{ NULL, NULL, NULL },
};

/* ---- validators ---- */

static int v_county(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return dict_v_level(in, out, err, DIV_COUNTY, DIV_COUNTY,
		       "a submission is a county's (6 significant digits)");
}

/* ---- programmes ---- */

#define F_TARGET(col, lbl, zh, mx)                                                                  \
	{ .column = col, .label = lbl, .label_zh = zh, .type = DT_INT, .width = 6, .min = 0,        \
	  .max = mx }

static const struct dict_field programme_fields[] = {
	{ .column = "code", .label = N_("Programme code"), .label_zh = "项目编号", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 14, .max_len = 50 },
	{ .column = "name", .label = N_("Name"), .label_zh = "项目名称", .type = DT_TEXT,
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 24, .max_len = 200 },
	{ .column = "purchaser", .label = N_("Purchaser"), .label_zh = "购买主体", .type = DT_DIVISION,
	  .flags = DF_REQUIRED | DF_LIST, .width = 12, .validate = dict_v_purchaser,
	  .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "not in the division list" },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "项目类型", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 10, .choices = programme_kinds },
	{ .column = "cycle_years", .label = N_("Cycle (years)"), .label_zh = "周期年数",
	  .type = DT_INT, .flags = DF_LIST, .width = 4, .min = 1, .max = 5,
	  .sql_type = "smallint", .def = "3", .proposed = "3" },
	{ .column = "budget_per_station", .label = N_("Budget per station (yuan a year)"),
	  .label_zh = "每站年度经费(元)", .type = DT_MONEY, .flags = DF_LIST, .width = 12,
	  .min = 0, .max = 999999999999.99, .sql_type = "numeric" },
	{ .column = "indicator_set", .label = N_("Indicator set"), .label_zh = "指标体系",
	  .type = DT_TEXT, .width = 12, .max_len = 50, .ref_table = "sgz.indicator",
	  .ref_column = "indicator_set", .ref_hint = "import its indicators first" },
	F_TARGET("target_recipients", N_("Target: recipients served"), "目标:服务对象数", 1000000),
	{ .column = "target_individual_pct", .label = N_("Target: casework %"),
	  .label_zh = "目标:个案服务占比(%)", .type = DT_NUMBER, .width = 5, .min = 0, .max = 100,
	  .scale = 1, .sql_type = "numeric" },
	F_TARGET("target_large_events", N_("Target: large events"), "目标:大型活动", 10000),
	F_TARGET("target_small_events", N_("Target: small events"), "目标:小型活动", 10000),
	F_TARGET("target_trainings", N_("Target: trainings"), "目标:培训", 10000),
	F_TARGET("target_households_visited", N_("Target: households visited"), "目标:入户探访",
		 1000000),
};

static const struct dict_check programme_checks[] = {
	{ .column = "cycle_years",
	  .sql = "SELECT s._line, format('contract %s is year %s of the cycle: the cycle cannot be "
		 "shorter', c.contract_no, c.year_no)\n"
		 "  FROM stage s JOIN sgz.contract c ON c.programme = s.code\n"
		 " WHERE c.year_no > s.cycle_years::int" },
	{ NULL },
};

static const struct dict_child programme_children[] = {
	{ .entity = "contracts", .on = {{ "programme", "code" }} },
	{ NULL },
};

const struct dict_entity programmes = {
	.name = "programmes", .table = "sgz.programme", .label = N_("Programmes"),
	.label_one = "Programme", .label_zh = "购买服务项目", .fields = programme_fields,
	.nfields = SGZ_ARRAY_LEN(programme_fields), .scope_column = "purchaser",
	.checks = programme_checks, .shown = "r.name", .children = programme_children,
};

/* ---- indicators ---- */

static const struct dict_field indicator_fields[] = {
	{ .column = "indicator_set", .label = N_("Indicator set"), .label_zh = "指标体系",
	  .type = DT_TEXT, .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST | DF_STICKY,
	  .width = 12, .max_len = 50 },
	{ .column = "code", .label = N_("Code"), .label_zh = "指标编号", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 8, .max_len = 20 },
	{ .column = "name", .label = N_("Name"), .label_zh = "指标名称", .type = DT_TEXT,
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 24, .max_len = 200 },
	{ .column = "parent", .label = N_("Parent indicator"), .label_zh = "上级指标",
	  .type = DT_TEXT, .flags = DF_LIST | DF_STICKY, .width = 8, .max_len = 20 },
	{ .column = "weight", .label = N_("Weight (points)"), .label_zh = "分值", .type = DT_NUMBER,
	  .flags = DF_REQUIRED | DF_LIST, .width = 5, .min = 0.1, .max = 100, .scale = 1,
	  .sql_type = "numeric" },
	{ .column = "guidance", .label = N_("Guidance"), .label_zh = "评分标准", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 30, .max_len = 2000 },
};

/* The sets the file touches as they will be: its rows over the stored
 * ones of the same key. */
#define INDICATOR_MERGED                                                                           \
	"WITH m AS (\n"                                                                            \
	"  SELECT s.indicator_set, s.code, s.parent, s.weight::numeric(4, 1) AS weight, s._line\n" \
	"    FROM stage s\n"                                                                       \
	"  UNION ALL\n"                                                                            \
	"  SELECT i.indicator_set, i.code, i.parent, i.weight, NULL FROM sgz.indicator i\n"       \
	"   WHERE i.indicator_set IN (SELECT q.indicator_set FROM stage q)\n"                     \
	"     AND NOT EXISTS (SELECT 1 FROM stage q WHERE q.indicator_set = i.indicator_set\n"     \
	"                                             AND q.code = i.code))\n"

static const struct dict_check indicator_checks[] = {
	{ .column = "parent",
	  .sql = INDICATOR_MERGED
		 "SELECT c._line, format('parent %s is not an indicator of the set %s', c.parent, "
		 "c.indicator_set)\n"
		 "  FROM m c WHERE c._line IS NOT NULL AND c.parent IS NOT NULL\n"
		 "   AND NOT EXISTS (SELECT 1 FROM m p WHERE p.indicator_set = c.indicator_set\n"
		 "                                      AND p.code = c.parent)" },
	{ .column = "parent",
	  .sql = INDICATOR_MERGED
		 "SELECT c._line, format('indicator %s: its parent %s is not a first-level "
		 "indicator', c.code, c.parent)\n"
		 "  FROM m c JOIN m p ON p.indicator_set = c.indicator_set AND p.code = c.parent\n"
		 " WHERE c._line IS NOT NULL AND p.parent IS NOT NULL" },
	{ .column = "weight",
	  .sql = INDICATOR_MERGED
		 "SELECT min(m._line), format('indicator set %s: the first-level weights add up to "
		 "%s, not 100', m.indicator_set, sum(m.weight) FILTER (WHERE m.parent IS NULL))\n"
		 "  FROM m GROUP BY m.indicator_set\n"
		 "HAVING sum(m.weight) FILTER (WHERE m.parent IS NULL) <> 100" },
	{ .column = "weight",
	  .sql = INDICATOR_MERGED
		 "SELECT coalesce(p._line, min(c._line)), format('indicator set %s: the indicators "
		 "under %s add up to %s, not its weight %s', p.indicator_set, p.code, "
		 "sum(c.weight), p.weight)\n"
		 "  FROM m c JOIN m p ON p.indicator_set = c.indicator_set AND p.code = c.parent\n"
		 " GROUP BY p.indicator_set, p.code, p.weight, p._line\n"
		 "HAVING sum(c.weight) <> p.weight AND coalesce(p._line, min(c._line)) IS NOT NULL" },
	{ NULL },
};

static const char *const indicators_order[] = {"indicator_set", "code", NULL};

const struct dict_entity indicators = {
	.name = "indicators", .table = "sgz.indicator", .label = N_("Indicators"),
	.label_one = "Indicator", .label_zh = "评估指标", .fields = indicator_fields,
	.nfields = SGZ_ARRAY_LEN(indicator_fields), .checks = indicator_checks,
	.list_order = indicators_order,
};

/* ---- evaluation scores ---- */

static const struct dict_field evaluation_score_fields[] = {
	{ .column = "contract_no", .label = N_("Contract"), .label_zh = "合同", .type = DT_TEXT,
	  .flags = DF_KEY | DF_SEARCH | DF_LIST | DF_STICKY, .width = 24, .max_len = 50,
	  .ref_table = "sgz.contract", .ref_column = "contract_no",
	  .ref_hint = "import the contract first" },
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_LIST | DF_STICKY, .width = 12, .validate = dict_v_township,
	  .ref_table = "sgz.station", .ref_column = "township",
	  .ref_hint = "import the station first" },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "评估类型", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_STICKY, .width = 8,
	  .choices = evaluation_kinds },
	{ .column = "evaluated_on", .label = N_("Evaluated on"), .label_zh = "评估日期",
	  .type = DT_DATE, .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_STICKY, .width = 10 },
	{ .column = "indicator", .label = N_("Indicator"), .label_zh = "指标编号", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .max_len = 20 },
	{ .column = "score", .label = N_("Score"), .label_zh = "得分", .type = DT_NUMBER,
	  .flags = DF_REQUIRED | DF_LIST, .width = 5, .min = 0, .max = 100, .scale = 1,
	  .sql_type = "numeric" },
	{ .column = "note", .label = N_("Note"), .label_zh = "扣分说明", .type = DT_TEXT,
	  .width = 20, .max_len = 1000 },
};

/* The staged scores of an evaluation given by one of its contract and
 * station, with the set it is scored by (0025's sgz.evaluation_set()),
 * looked up once for each contract or station of the file, not for every
 * score (0.1 ms a call: a second for the province's scores, each check). */
#define SCORE_SET                                                                                  \
	"WITH k AS MATERIALIZED (\n"                                                               \
	"       SELECT d.what, d.by_contract,\n"                                                    \
	"              sgz.evaluation_set(d.contract_no, d.station) AS set\n"                       \
	"         FROM (SELECT DISTINCT s.contract_no, s.station,\n"                                \
	"                      coalesce(s.contract_no, s.station) AS what,\n"                      \
	"                      s.contract_no IS NOT NULL AS by_contract\n"                         \
	"                 FROM stage s WHERE (s.contract_no IS NULL) <> (s.station IS NULL)) d),\n" \
	"x AS (SELECT s._line, s.indicator, s.score, k.what, k.set\n"                             \
	"        FROM stage s JOIN k ON k.what = coalesce(s.contract_no, s.station)\n"            \
	"                           AND k.by_contract = (s.contract_no IS NOT NULL)\n"            \
	"       WHERE (s.contract_no IS NULL) <> (s.station IS NULL))\n"

static const struct dict_check evaluation_score_checks[] = {
	{ .column = "contract_no",
	  .sql = "SELECT _line, 'an evaluation is of a contract year or of a station: give one of "
		 "them'\n"
		 "  FROM stage WHERE (contract_no IS NULL) = (station IS NULL)" },
	{ .column = "evaluated_on",
	  .sql = "SELECT s._line, format('no %s evaluation of %s on %s: import the evaluation "
		 "first', s.kind, coalesce(s.contract_no, s.station), s.evaluated_on)\n"
		 "  FROM stage s WHERE (s.contract_no IS NULL) <> (s.station IS NULL)\n"
		 "   AND NOT EXISTS (SELECT 1 FROM sgz.evaluation e\n"
		 "                    WHERE e.contract_no IS NOT DISTINCT FROM s.contract_no\n"
		 "                      AND e.station IS NOT DISTINCT FROM s.station\n"
		 "                      AND e.kind = s.kind AND e.evaluated_on = s.evaluated_on::date)" },
	{ .column = "indicator",
	  .sql = SCORE_SET "SELECT x._line, format('the evaluation of %s has no indicator set: give "
			   "its programme one', x.what)\n"
			   "  FROM x WHERE x.set IS NULL" },
	{ .column = "indicator",
	  .sql = SCORE_SET "SELECT x._line, format('indicator %s is not in the set %s of the "
			   "evaluation', x.indicator, x.set)\n"
			   "  FROM x WHERE x.set IS NOT NULL\n"
			   "   AND NOT EXISTS (SELECT 1 FROM sgz.indicator i\n"
			   "                    WHERE i.indicator_set = x.set AND i.code = x.indicator)" },
	{ .column = "indicator",
	  .sql = SCORE_SET "SELECT x._line, format('indicator %s has indicators under it: score "
			   "those', x.indicator)\n"
			   "  FROM x WHERE EXISTS (SELECT 1 FROM sgz.indicator i\n"
			   "                        WHERE i.indicator_set = x.set AND i.parent = x.indicator)" },
	{ .column = "score",
	  .sql = SCORE_SET "SELECT x._line, format('score %s of indicator %s is above its weight %s', "
			   "x.score::numeric(4, 1), x.indicator, i.weight)\n"
			   "  FROM x JOIN sgz.indicator i ON i.indicator_set = x.set AND i.code = x.indicator\n"
			   " WHERE x.score::numeric > i.weight" },
	{ NULL },
};

static const char *const evaluation_scores_order[] = {"contract_no", "station", "evaluated_on",
						      "kind", "indicator", NULL};

const struct dict_entity evaluation_scores = {
	.name = "evaluation_scores", .table = "sgz.evaluation_score",
	.label = N_("Evaluation scores"), .label_one = "Evaluation score",
	.label_zh = "评估指标得分", .fields = evaluation_score_fields,
	.nfields = SGZ_ARRAY_LEN(evaluation_score_fields), .checks = evaluation_score_checks,
	.list_order = evaluation_scores_order,
};

/* ---- payments ---- */

static const struct dict_field payment_fields[] = {
	{ .column = "contract_no", .label = N_("Contract"), .label_zh = "合同", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST | DF_STICKY, .width = 30,
	  .max_len = 50, .ref_table = "sgz.contract", .ref_column = "contract_no",
	  .ref_hint = "import the contract first" },
	{ .column = "paid_on", .label = N_("Paid on"), .label_zh = "支付日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "款项类型", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .choices = payment_kinds },
	{ .column = "amount", .label = N_("Amount (yuan)"), .label_zh = "金额(元)", .type = DT_MONEY,
	  .flags = DF_REQUIRED | DF_LIST, .width = 12, .min = 0.01, .max = 999999999999.99,
	  .sql_type = "numeric" },
	{ .column = "funding_source", .label = N_("Funding source"), .label_zh = "资金来源",
	  .type = DT_CHOICE, .flags = DF_LIST, .width = 12, .choices = funding_sources },
	{ .column = "note", .label = N_("Note"), .label_zh = "备注", .type = DT_TEXT, .width = 20,
	  .max_len = 1000 },
};

static const struct dict_check payment_checks[] = {
	/* the file's payments over the stored ones of the same key */
	{ .column = "amount",
	  .sql = "WITH m AS (\n"
		 "  SELECT s.contract_no, s.amount::numeric(14, 2) AS amount, s._line FROM stage s\n"
		 "  UNION ALL\n"
		 "  SELECT p.contract_no, p.amount, NULL FROM sgz.payment p\n"
		 "   WHERE p.contract_no IN (SELECT q.contract_no FROM stage q)\n"
		 "     AND NOT EXISTS (SELECT 1 FROM stage q WHERE q.contract_no = p.contract_no\n"
		 "                        AND q.paid_on::date = p.paid_on AND q.kind = p.kind))\n"
		 "SELECT max(m._line), format('payments of contract %s add up to %s, %s more than its "
		 "amount %s', m.contract_no, sum(m.amount), sum(m.amount) - c.amount, c.amount)\n"
		 "  FROM m JOIN sgz.contract c ON c.contract_no = m.contract_no\n"
		 " GROUP BY m.contract_no, c.amount HAVING sum(m.amount) > c.amount" },
	{ .column = "kind",
	  .sql = "SELECT s._line, format('a performance payment needs a year graded good or better: "
		 "contract %s is graded %s', s.contract_no, d.grade)\n"
		 "  FROM stage s CROSS JOIN LATERAL " DECIDING_SQL("s.contract_no") " d\n"
		 " WHERE s.kind = 'performance' AND d.grade IN ('pass', 'fail')" },
	{ .column = "paid_on", .warning = 1,
	  .sql = "SELECT s._line, format(CASE s.kind WHEN 'final'\n"
		 "         THEN 'final payment on %s comes before the deciding evaluation of "
		 "contract %s'\n"
		 "         ELSE 'performance payment on %s comes before the deciding evaluation of "
		 "contract %s' END, s.paid_on, s.contract_no)\n"
		 "  FROM stage s CROSS JOIN LATERAL " DECIDING_SQL("s.contract_no") " d\n"
		 " WHERE s.kind IN ('final', 'performance')\n"
		 "   AND (d.evaluated_on IS NULL OR s.paid_on::date < d.evaluated_on)" },
	{ NULL },
};

const struct dict_entity payments = {
	.name = "payments", .table = "sgz.payment", .label = N_("Payments"), .label_one = "Payment",
	.label_zh = "资金拨付", .fields = payment_fields, .nfields = SGZ_ARRAY_LEN(payment_fields),
	.checks = payment_checks,
};

/* ---- submissions ---- */

static const struct dict_field submission_fields[] = {
	{ .column = "division", .label = N_("County"), .label_zh = "县(区)", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 14, .validate = v_county,
	  .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "not in the division list" },
	{ .column = "report", .label = N_("Report"), .label_zh = "报表", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .choices = report_kinds,
	  .def = "progress", .proposed = "progress" },
	{ .column = "period", .label = N_("Month"), .label_zh = "月份", .type = DT_PATTERN,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 7,
	  .pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$",
	  .pattern_rule = "not a month (YYYY-MM, e.g. 2024-03)" },
	{ .column = "submitted_on", .label = N_("Submitted on"), .label_zh = "报送日期",
	  .type = DT_DATE, .flags = DF_LIST | DF_NOW, .width = 10 },
	{ .column = "submitted_by", .label = N_("Submitted by"), .label_zh = "报送人",
	  .type = DT_TEXT, .flags = DF_LIST, .width = 12, .max_len = 100 },
};

const struct dict_entity submissions = {
	.name = "submissions", .table = "sgz.submission", .label = N_("Submissions"),
	.label_one = "Submission", .label_zh = "报表报送", .fields = submission_fields,
	.nfields = SGZ_ARRAY_LEN(submission_fields), .scope_column = "division",
};
