/* entities.c - the data dictionary's entries: one static table per entity of
 * spec/csv.md, in its column order. Adding a field is one line here plus a
 * migration; its import, export, list and form follow from the line. */
#include "config.h"

#include <string.h>

#include "sgz/dict.h"
#include "sgz/entities_community.h"
#include "sgz/i18n.h"
#include "sgz/division.h"
#include "sgz/entities_programmes.h"
#include "sgz/validate.h"

/* ---- choice lists (spec/csv.md, Choice codes; rules.md for categories):
 * code, Chinese label, English label ---- */

static const struct dict_choice site_status[] = {
	{ "planned", "规划中", "Planned" },
	{ "established", "已挂牌", "Established" },
	{ "operating", "运营中", "Operating" },
	{ "suspended", "暂停", "Suspended" },
	{ "closed", "撤销", "Closed" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice operation_modes[] = {
	{ "purchased", "购买服务", "Purchased service" },
	{ "integrated", "整合人员", "Integrated staff" },
	{ "mixed", "混合", "Mixed" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice facilities[] = {
	{ "office", "办公用房", "Office" },
	{ "furniture", "桌椅", "Desks and chairs" },
	{ "computer", "电脑", "Computer" },
	{ "printer", "打印机", "Printer" },
	{ "archive_cabinet", "档案柜", "Filing cabinet" },
	{ "case_room", "个案咨询室", "Counselling room" },
	{ "group_room", "小组活动室", "Group activity room" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice site_tags[] = {
	{ "relocation", "易地搬迁安置点", "Relocation settlement" },
	{ "border", "抵边村镇", "Border area" },
	{ "urban", "城中街道", "Urban street" },
	{ "suburban", "城郊街道", "Suburban street" },
	{ "large_township", "规模较大乡镇", "Large township" },
	{ "arterial", "交通干线沿线", "Along a main road" },
	{ NULL, NULL, NULL },
};

const struct dict_choice sgz_registration_levels[] = {
	{ "county", "县级", "County" },
	{ "prefecture", "地市级", "Prefecture" },
	{ "province", "省级", "Province" },
	{ "national", "国家级", "National" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice staff_roles[] = {
	{ "head", "站长", "Station head" },
	{ "fulltime", "专职社工", "Full-time social worker" },
	{ "resident", "驻站社工", "Resident social worker" },
	{ "point_worker", "社工点社工", "Service point worker" },
	{ "supervisor", "督导", "Supervisor" },
	{ "project_lead", "项目主管", "Project lead" },
	{ "coordinator", "社区服务协调员", "Community coordinator" },
	{ "assistant", "协理员", "Assistant" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice educations[] = {
	{ "below_college", "大专以下", "Below college" },
	{ "college", "大专", "College" },
	{ "bachelor", "本科", "Bachelor" },
	{ "master", "硕士", "Master" },
	{ "doctor", "博士", "Doctorate" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice qualifications[] = {
	{ "none", "无", "None" },
	{ "assistant", "助理社会工作师", "Assistant social worker" },
	{ "intermediate", "社会工作师", "Social worker" },
	{ "senior", "高级社会工作师", "Senior social worker" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice activity_kinds[] = {
	{ "large_event", "大型活动", "Large event" },
	{ "small_event", "小型活动", "Small event" },
	{ "training", "能力提升培训", "Training" },
	{ "group_session", "小组活动", "Group session" },
	{ "meeting", "居民议事", "Residents' meeting" },
	{ "other", "其他", "Other" },
	{ NULL, NULL, NULL },
};

const struct dict_choice sgz_recipient_categories[] = {
	{ "dibao", "最低生活保障对象", "Minimum living allowance" },
	{ "dibao_edge", "低保边缘家庭", "Near the allowance line" },
	{ "tekun", "特困人员", "Extreme poverty support" },
	{ "temporary_assistance", "临时救助对象", "Temporary assistance" },
	{ "left_behind_child", "农村留守儿童", "Left-behind child" },
	{ "child_in_difficulty", "困境儿童", "Child in difficulty" },
	{ "de_facto_orphan", "事实无人抚养儿童", "De facto orphan" },
	{ "left_behind_elderly", "留守老年人", "Left-behind elderly" },
	{ "empty_nest_elderly", "空巢/独居老年人", "Elderly living alone" },
	{ "disabled_elderly", "失能/半失能老年人", "Elderly needing care" },
	{ "disabled", "残疾人", "Disabled" },
	{ "vagrant", "流浪乞讨人员", "Vagrant or beggar" },
	{ "relocated", "易地搬迁群众", "Relocated household" },
	{ "bereaved_parents", "计划生育特殊家庭(失独)", "Bereaved only-child parents" },
	{ "domestic_violence", "家暴家庭", "Domestic violence" },
	{ "single_parent", "单亲家庭", "Single parent" },
	{ "offender_family", "吸毒和服刑人员家庭", "Family of drug user or prisoner" },
	{ "other", "其他", "Other" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice case_methods[] = {
	{ "individual", "个案", "Individual" },
	{ "group", "小组", "Group" },
	{ "community", "社区", "Community" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice case_statuses[] = {
	{ "intake", "接案", "Intake" },
	{ "assessment", "评估", "Assessment" },
	{ "planning", "计划", "Planning" },
	{ "intervention", "介入", "Intervention" },
	{ "review", "评估回顾", "Review" },
	{ "closed", "结案", "Closed" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice risks[] = {
	{ "low", "低", "Low" },
	{ "medium", "中", "Medium" },
	{ "high", "高", "High" },
	{ "critical", "紧急", "Critical" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice visit_kinds[] = {
	{ "home_visit", "入户走访", "Home visit" },
	{ "phone", "电话回访", "Phone call" },
	{ "office", "来访接待", "Office visit" },
	{ "outreach", "外展", "Outreach" },
	{ "referral", "转介", "Referral" },
	{ "group_session", "小组活动", "Group session" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice procurement_methods[] = {
	{ "open_tender", "公开招标", "Open tender" },
	{ "invited_tender", "邀请招标", "Invited tender" },
	{ "competitive_negotiation", "竞争性谈判", "Competitive negotiation" },
	{ "competitive_consultation", "竞争性磋商", "Competitive consultation" },
	{ "single_source", "单一来源采购", "Single source" },
	{ "inquiry", "询价", "Request for quotation" },
	{ NULL, NULL, NULL },
};

const struct dict_choice funding_sources[] = {
	{ "social_assistance", "社会救助专项经费", "Social assistance funds" },
	{ "lottery_welfare", "福彩公益金", "Welfare lottery fund" },
	{ "fiscal_budget", "财政预算", "Fiscal budget" },
	{ "paired_aid", "对口援助资金", "Paired assistance" },
	{ "community_welfare_subsidy", "社区公益事业专项补助", "Community welfare subsidy" },
	{ "charity", "慈善资金", "Charity" },
	{ "other", "其他", "Other" },
	{ NULL, NULL, NULL },
};

const struct dict_choice evaluation_kinds[] = {
	{ "mid_term", "中期评估", "Mid-term" },
	{ "annual", "年度评估", "Annual" },
	{ "final", "末期评估", "Final" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice genders[] = {
	{ "male", "男", "Male" },
	{ "female", "女", "Female" },
	{ NULL, NULL, NULL },
};

/* ---- validators: the rules of include/sgz/validate.h as dictionary hooks ---- */

static int v_hours(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return hours_normalize(in, out, err);
}

static int v_village(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return dict_v_level(in, out, err, DIV_TOWNSHIP, DIV_VILLAGE,
		       "a recipient lives in a village (12 digits) or, where villages are not "
		       "registered, a township");
}

/* Each code of the list must be a village (12 digits). */
static int v_villages(const char *in, struct strbuf *out, struct sgz_err *err)
{
	for (const char *p = in; *p; p += DIVISION_CODE_LEN + (p[DIVISION_CODE_LEN] == ';')) {
		char code[DIVISION_CODE_LEN + 1];
		memcpy(code, p, DIVISION_CODE_LEN);
		code[DIVISION_CODE_LEN] = '\0';
		if (division_level(code) != DIV_VILLAGE) {
			sgz_err_set(err, SGZ_EDATA, "%s is a %s code, not a village (12 digits)",
				    code, division_level_name(division_level(code)));
			return -1;
		}
		if (!p[DIVISION_CODE_LEN])
			break;
	}
	sb_adds(out, in);
	return 0;
}

static int v_stations(const char *in, struct strbuf *out, struct sgz_err *err)
{
	for (const char *p = in; *p; p += DIVISION_CODE_LEN + (p[DIVISION_CODE_LEN] == ';')) {
		char code[DIVISION_CODE_LEN + 1];
		memcpy(code, p, DIVISION_CODE_LEN);
		code[DIVISION_CODE_LEN] = '\0';
		if (division_level(code) != DIV_TOWNSHIP) {
			sgz_err_set(err, SGZ_EDATA,
				    "%s is a %s code; stations are townships (9 significant digits)",
				    code, division_level_name(division_level(code)));
			return -1;
		}
		if (!p[DIVISION_CODE_LEN])
			break;
	}
	sb_adds(out, in);
	return 0;
}

/* ---- field helpers ---- */

#define CREDIT_PATTERN_RULE "not a unified social credit code"

#define F_IDNUM(col, zh, fl)                                                                       \
	{ .column = col, .label = N_("ID number"), .label_zh = zh, .type = DT_TEXT,                    \
	  .flags = (fl) | DF_SEARCH | DF_LIST, .width = 18, .max_len = 18, .validate = dict_v_idnum,      \
	  .pid_column = "pid" }
/* An ID number naming someone registered in table: F5 picks from it; the
 * person's pid is in column col_pid, his name (masked as rules.md says) in
 * the view's column col_name, which lists show in its width. Labelled by
 * who the person is; was: the Chinese label of files exported before. */
#define F_PERSON(col, lbl, zh, was, fl, table)                                                     \
	{ .column = col, .label = lbl, .label_zh = zh, .label_zh_was = was, .type = DT_TEXT,           \
	  .flags = (fl) | DF_SEARCH | DF_LIST, .width = 8, .max_len = 18, .validate = dict_v_idnum,       \
	  .pick_table = table, .pick_column = "id_number", .pid_column = col "_pid",                 \
	  .name_column = col "_name" }
/* A worker, kept by save-and-next (DF_STICKY) */
#define F_PERSON_STICKY(col, lbl, zh, was, fl, table) F_PERSON(col, lbl, zh, was, (fl) | DF_STICKY, table)
#define F_NAME(zh, max)                                                                            \
	{ .column = "name", .label = N_("Name"), .label_zh = zh, .type = DT_TEXT,                      \
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 12, .max_len = max }
/* A person's name: found by its pinyin initials too (DF_PINYIN). */
#define F_PERSON_NAME(zh)                                                                          \
	{ .column = "name", .label = N_("Name"), .label_zh = zh, .type = DT_TEXT,                      \
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST | DF_PINYIN, .width = 12, .max_len = 50 }
#define F_PHONE(col, lbl, zh)                                                                      \
	{ .column = col, .label = lbl, .label_zh = zh, .type = DT_TEXT, .width = 13,               \
	  .max_len = 20, .validate = dict_v_phone }
#define F_STATION(fl)                                                                              \
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,    \
	  .flags = (fl) | DF_LIST, .width = 16, .validate = dict_v_township,                              \
	  .ref_table = "sgz.station", .ref_column = "township",                                      \
	  .ref_hint = "import the station first" }
#define F_DERIVED_GENDER                                                                           \
	{ .column = "gender", .label = N_("Gender"), .label_zh = "性别", .type = DT_CHOICE,            \
	  .flags = DF_NOEXPORT, .width = 4, .choices = genders }
#define F_DERIVED_BIRTH                                                                            \
	{ .column = "birth_date", .label = N_("Birth date"), .label_zh = "出生日期", .type = DT_DATE,  \
	  .flags = DF_NOEXPORT, .width = 10 }

/* A contract year's grade (rules.md: from the score, the settings'
 * bands), as the contracts report labels it. */
const struct dict_choice grades[] = {
	{ "excellent", "优秀", "excellent" }, { "good", "良好", "good" },
	{ "pass", "合格", "pass" },	      { "fail", "不合格", "fail" },
	{ NULL, NULL, NULL },
};

/* What an evaluation decides of its contract year (rules.md), as the
 * contracts report labels it. */
static const struct dict_choice decisions[] = {
	{ "renew", "续签", "renew" },		{ "reprocure", "重新采购", "re-procure" },
	{ "cycle_end", "周期届满", "cycle ended" }, { "pending", "待评估", "pending" },
	{ NULL, NULL, NULL },
};

/* ---- related records (spec/work.md, "Related records"): what belongs to
 * a record, by the reference of the child that points at it ---- */

/* A case's next visit due (rules.md): the last visit's next_due, else
 * its date plus the interval, else the opening plus the interval; and
 * the days it is overdue by, 0 for a closed case or one not yet due. */
#define CASE_DUE_SQL                                                                               \
	"SELECT CASE WHEN c.status = 'closed' THEN 3 WHEN d.due < current_date THEN 0\n"             \
	"            WHEN d.due = current_date THEN 2 ELSE 1 END,\n"                                  \
	"       CASE WHEN c.status <> 'closed' THEN d.due::text END, abs(current_date - d.due)\n"     \
	"  FROM sgz.case_file_v c\n"                                                                  \
	" CROSS JOIN LATERAL (SELECT coalesce(\n"                                                     \
	"    (SELECT coalesce(v.next_due, v.visit_date + sgz.setting_value('visit_interval_days')::int)\n" \
	"       FROM sgz.visit_v v WHERE v.case_no = c.case_no\n"                                     \
	"      ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST LIMIT 1),\n"                    \
	"    c.opened_on + sgz.setting_value('visit_interval_days')::int) AS due) d\n"                \
	" WHERE c.case_no = $1"

static const char *const visits_newest[] = {"case_no", "visit_date", "kind", NULL};
static const char *const hours_by_volunteer[] = {"volunteer", "service_date", "station",
						 "activity", NULL};

/* The qualification deadline of the staff row a (rules.md, Stations:
 * overdue unqualified): hired_on + 2 years for social-work staff (not a
 * coordinator or an assistant) who have not left and are not qualified
 * today; NULL for the others. */
#define QUALIFY_BY(a)                                                                              \
	"CASE WHEN " a ".role NOT IN ('coordinator', 'assistant')\n"                               \
	"      AND (" a ".left_on IS NULL OR " a ".left_on > current_date)\n"                      \
	"      AND NOT (" a ".qualification <> 'none' AND " a ".qualified_on <= current_date)\n"   \
	"     THEN (" a ".hired_on + interval '2 years')::date END"

static const struct dict_child station_children[] = {
	/* who is past the qualification deadline, and whose falls within
	 * 90 days (each one's is the list's column) */
	{ .entity = "staff", .on = {{ "station", "township" }},
	  .summary_sql =
	      "SELECT coalesce(string_agg(t.name, '、' ORDER BY q.d, t.name)\n"
	      "                  FILTER (WHERE q.d < current_date), '-'),\n"
	      "       coalesce(string_agg(t.name, '、' ORDER BY q.d, t.name)\n"
	      "                  FILTER (WHERE q.d BETWEEN current_date AND current_date + 90), '-')\n"
	      "  FROM sgz.staff_v t CROSS JOIN LATERAL (SELECT " QUALIFY_BY("t") " AS d) q\n"
	      " WHERE t.station = $1",
	  .summary_fmt = N_("Past the qualification deadline: %1$s; within 90 days: %2$s") },
	{ .entity = "service_points", .on = {{ "station", "township" }} },
	{ .entity = "volunteers", .on = {{ "station", "township" }} },
	{ .entity = "activities", .on = {{ "station", "township" }}, .newest_first = true },
	{ .entity = "cases", .label = N_("Open cases"), .label_zh = "在办个案",
	  .on = {{ "station", "township" }}, .where = "t.status <> 'closed'" },
	{ .entity = "contracts", .on = {{ "stations", "township" }} },
	{ .entity = "outreach_visits", .on = {{ "station", "township" }}, .newest_first = true },
	{ .entity = "resources", .on = {{ "station", "township" }}, .newest_first = true },
	{ NULL },
};

static const struct dict_child service_point_children[] = {
	{ .entity = "divisions", .label = N_("Villages"), .label_zh = "服务村(社区)",
	  .on = {{ "code", "villages" }} },
	/* its staff (work.md): staff name no service point, so those of its
	 * station who work at service points (社工点社工) */
	{ .entity = "staff", .label = N_("Service point workers"), .label_zh = "社工点社工",
	  .on = {{ "station", "station" }}, .where = "t.role = 'point_worker'" },
	{ NULL },
};

static const struct dict_child staff_children[] = {
	{ .entity = "cases", .label = N_("Cases as worker"), .label_zh = "负责的个案",
	  .on = {{ "worker", "id_number" }} },
	{ .entity = "supervisions",
	  .on = {{ .parent = "id_number", .via = "t.attendee_pids @> ARRAY[(%1$s)::bigint]" }},
	  .newest_first = true },
	{ .entity = "trainings",
	  .on = {{ .parent = "id_number", .via = "t.attendee_pids @> ARRAY[(%1$s)::bigint]" }},
	  .newest_first = true },
	{ NULL },
};

static const struct dict_child volunteer_children[] = {
	{ .entity = "hours", .on = {{ "volunteer", "id_number" }}, .order = hours_by_volunteer,
	  .newest_first = true,
	  /* rules.md: the year's hours, the lifetime's, the star level from
	   * the lifetime's by the settings star1_hours..star5_hours */
	  .summary_sql =
	      "SELECT to_char(x.y / 10.0, 'FM9999999990.0'), to_char(x.l / 10.0, 'FM9999999990.0'),\n"
	      "       s.n::text, repeat('★', s.n) || repeat('☆', 5 - s.n)\n"
	      "  FROM (SELECT coalesce(sum(t.tenths) FILTER (\n"
	      "                 WHERE t.year = extract(year FROM current_date)::int), 0) AS y,\n"
	      "               coalesce(sum(t.tenths), 0) AS l\n"
	      "          FROM sgz.hours_year_total_v t WHERE t.volunteer_pid = $1::bigint) x\n"
	      " CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM generate_series(1, 5) k\n"
	      "    WHERE x.l >= ceil(10 * sgz.setting_value('star' || k || '_hours'))) s",
	  .summary_fmt = N_("This year %1$s h, in all %2$s h, star level %3$s %4$s") },
	{ NULL },
};

static const struct dict_child activity_children[] = {
	{ .entity = "hours",
	  .on = {{ "station", "station" }, { "service_date", "date" }, { "activity", "title" }},
	  .summary_sql = "SELECT count(DISTINCT t.volunteer_pid)::text,\n"
			 "       to_char(coalesce(sum(t.hours), 0), 'FM9999999990.0')\n"
			 "  FROM sgz.hours_v t\n"
			 " WHERE t.station = $1 AND t.service_date = $2::date AND t.activity = $3",
	  .summary_fmt = N_("%1$s people, %2$s hours in all") },
	{ NULL },
};

static const struct dict_child recipient_children[] = {
	{ .entity = "cases", .on = {{ "recipient", "id_number" }} },
	{ .entity = "visits",
	  .on = {{ .parent = "id_number",
		   .via = "t.case_no IN (SELECT c.case_no FROM sgz.case_file_v c\n"
			  "               WHERE c.recipient_pid = (%1$s)::bigint)" }},
	  .newest_first = true },
	{ NULL },
};

static const struct dict_child case_children[] = {
	{ .entity = "visits", .on = {{ "case_no", "case_no" }}, .fill = {{ "worker", "worker" }},
	  .order = visits_newest,
	  .newest_first = true, .summary_sql = CASE_DUE_SQL,
	  .summary_fmts = { N_("Next visit due %1$s, %2$s days overdue"),
			    N_("Next visit due %1$s, due in %2$s days"),
			    N_("Next visit due %1$s, due today"), N_("Closed: no visit due") } },
	{ NULL },
};

static const struct dict_child organization_children[] = {
	{ .entity = "contracts", .on = {{ "organization", "credit_code" }} },
	{ .entity = "stations", .label = N_("Stations it runs"), .label_zh = "承接的站点",
	  .on = {{ "organization", "credit_code" }} },
	{ NULL },
};

static const char *const evaluations_by_date[] = {"contract_no", "evaluated_on", "kind", NULL};

static const char *const contract_years_in_order[] = {"cycle_start", "year_no", NULL};
static const struct dict_child contract_children[] = {
	{ .entity = "evaluations", .on = {{ "contract_no", "contract_no" }},
	  .order = evaluations_by_date, .newest_first = true },
	{ .entity = "payments", .on = {{ "contract_no", "contract_no" }}, .newest_first = true },
	/* the rows of its cycle (programmes.md: same purchaser, organization
	 * and cycle_start), this one among them; last, so
	 * that the evaluations and payments show first on a form at 80x24 */
	{ .entity = "contracts", .label = N_("Years of the cycle"), .label_zh = "本周期各年度",
	  .on = {{ "purchaser", "purchaser" }, { "organization", "organization" },
		 { "cycle_start", "cycle_start" }},
	  .order = contract_years_in_order },
	{ NULL },
};

/* ---- divisions ---- */

static const struct dict_child division_children[] = {
	{ .entity = "community_orgs", .on = {{ "community", "code" }} },
	{ NULL },
};

/* What a reference to a division a shows (spec/work.md): its name, after
 * its county's when the reader's scope spans several counties and the
 * division lies below one (东丽区张贵庄街道): township names repeat from
 * county to county. */
#define DIVISION_SHOWN(a)                                                                          \
	"CASE WHEN length((SELECT sgz.scope_prefix())) < 6 AND substr(" a ".code, 7) <> '000000'"    \
	" THEN coalesce((SELECT c.name FROM sgz.division c"                                        \
	" WHERE c.code = left(" a ".code, 6) || '000000'), '') ELSE '' END || " a ".name"

static const struct dict_field division_fields[] = {
	{ .column = "code", .label = N_("Code"), .label_zh = "区划代码", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 12 },
	/* found by its initials too (0021: sgz.division.initials) */
	{ .column = "name", .label = N_("Name"), .label_zh = "名称", .type = DT_TEXT,
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST | DF_PINYIN, .width = 24, .max_len = 100 },
	{ .column = "urban_rural", .label = N_("Urban-rural class"), .label_zh = "城乡分类代码",
	  .type = DT_PATTERN, .flags = DF_LIST, .width = 6, .pattern = "^(11[12]|12[123]|2[12]0)$",
	  .pattern_rule = "not an urban-rural class code (111, 112, 121, 122, 123, 210 or 220)" },
	{ .column = "population", .label = N_("Population"), .label_zh = "人口", .type = DT_INT,
	  .flags = DF_LIST, .width = 10, .min = 0, .max = 2000000000, .sql_type = "integer" },
	{ .column = "households", .label = N_("Households"), .label_zh = "户数", .type = DT_INT,
	  .flags = DF_LIST, .width = 10, .min = 0, .max = 2000000000, .sql_type = "integer" },
};

static const struct dict_check division_checks[] = {
	{ .column = "code",
	  .sql = "SELECT s._line, format('parent division %s does not exist: add it first, "
		 "earlier in the file', p.parent)\n"
		 "  FROM stage s CROSS JOIN LATERAL (SELECT sgz.division_parent(s.code) AS parent) p\n"
		 " WHERE p.parent IS NOT NULL\n"
		 "   AND NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = p.parent)\n"
		 "   AND NOT EXISTS (SELECT 1 FROM stage q\n"
		 "                    WHERE q.code = p.parent AND q._line < s._line)" },
	{ NULL },
};

static const struct dict_entity divisions = {
	.name = "divisions", .table = "sgz.division", .label = N_("Divisions"), .label_one = "Division",
	.label_zh = "行政区划", .fields = division_fields,
	.nfields = SGZ_ARRAY_LEN(division_fields), .scope_column = "code",
	.checks = division_checks, .shown = DIVISION_SHOWN("r"), .shown_initials = "r.initials",
	.children = division_children,
};

/* ---- organizations ---- */

static const struct dict_field organization_fields[] = {
	{ .column = "credit_code", .label = N_("Credit code"), .label_zh = "统一社会信用代码",
	  .type = DT_TEXT, .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 18,
	  .max_len = 18, .validate = dict_v_credit_code },
	F_NAME("机构名称", 200),
	{ .column = "registered_on", .label = N_("Registered on"), .label_zh = "登记日期",
	  .type = DT_DATE, .width = 10 },
	{ .column = "registration_level", .label = N_("Registration level"), .label_zh = "登记级别",
	  .type = DT_CHOICE, .flags = DF_LIST, .width = 8, .choices = sgz_registration_levels },
	{ .column = "social_work_scope", .label = N_("Social work in scope"), .label_zh = "业务范围含社会工作",
	  .type = DT_BOOL, .width = 4 },
	{ .column = "tax_qualified", .label = N_("Tax qualified"), .label_zh = "依法纳税",
	  .type = DT_BOOL, .width = 4 },
	{ .column = "violation_record", .label = N_("Violation record"), .label_zh = "违法违规记录",
	  .type = DT_BOOL, .width = 4 },
	{ .column = "fulltime_staff", .label = N_("Full-time staff"), .label_zh = "专职人员数",
	  .type = DT_INT, .flags = DF_LIST, .width = 6, .min = 0, .max = 100000 },
	{ .column = "professional_staff", .label = N_("Professional staff"), .label_zh = "专业人员数",
	  .type = DT_INT, .width = 6, .min = 0, .max = 100000 },
};

static const struct dict_check organization_checks[] = {
	{ .column = "professional_staff",
	  .sql = "SELECT _line, format('%s professional staff are more than the %s full-time staff', "
		 "professional_staff, fulltime_staff)\n"
		 "  FROM stage WHERE professional_staff::int > fulltime_staff::int" },
	{ NULL },
};

static const struct dict_entity organizations = {
	.name = "organizations", .table = "sgz.organization", .label = N_("Organizations"), .label_one = "Organization",
	.label_zh = "承接机构", .fields = organization_fields,
	.nfields = SGZ_ARRAY_LEN(organization_fields), .checks = organization_checks,
	.shown = "r.name",
	.children = organization_children,
};

/* ---- stations ---- */

static const struct dict_field station_fields[] = {
	{ .column = "township", .label = N_("Township"), .label_zh = "乡镇(街道)", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST | DF_CODE, .width = 12,
	  .validate = dict_v_township, .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "not in the division list" },
	{ .column = "name", .label = N_("Name"), .label_zh = "站点名称", .type = DT_TEXT,
	  .flags = DF_SEARCH | DF_LIST, .width = 30, .max_len = 100 },
	{ .column = "batch_year", .label = N_("Batch year"), .label_zh = "建设批次", .type = DT_INT,
	  .flags = DF_LIST, .width = 6, .min = 2000, .max = 2100, .sql_type = "smallint" },
	{ .column = "status", .label = N_("Status"), .label_zh = "状态", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = site_status },
	{ .column = "established_on", .label = N_("Established on"), .label_zh = "挂牌日期",
	  .type = DT_DATE, .flags = DF_LIST, .width = 10 },
	{ .column = "operation_mode", .label = N_("Operation mode"), .label_zh = "运营方式",
	  .type = DT_CHOICE, .width = 8, .choices = operation_modes },
	{ .column = "organization", .label = N_("Organization"), .label_zh = "承接机构",
	  .type = DT_TEXT, .width = 18, .max_len = 18, .validate = dict_v_credit_code,
	  .ref_table = "sgz.organization", .ref_column = "credit_code",
	  .ref_hint = "import the organization first" },
	{ .column = "signage", .label = N_("Signage"), .label_zh = "统一标识", .type = DT_BOOL,
	  .width = 4 },
	{ .column = "party_group", .label = N_("Party group"), .label_zh = "党组织", .type = DT_BOOL,
	  .width = 4 },
	{ .column = "facilities", .label = N_("Facilities"), .label_zh = "设施配备", .type = DT_CHOICES,
	  .width = 20, .choices = facilities },
	{ .column = "site_tags", .label = N_("Site tags"), .label_zh = "站点类型", .type = DT_CHOICES,
	  .width = 20, .choices = site_tags },
};

static const struct dict_check station_checks[] = {
	{ .column = "batch_year",
	  .sql = "SELECT s._line, 'a planned station needs a batch year'\n"
		 "  FROM stage s WHERE s.status = 'planned' AND s.batch_year IS NULL" },
	{ .column = "established_on",
	  .sql = "SELECT s._line, format('a station with status %s needs the date it was "
		 "established (挂牌日期)', s.status)\n"
		 "  FROM stage s WHERE s.status <> 'planned' AND s.established_on IS NULL" },
	{ NULL },
};

static const struct dict_entity stations = {
	.name = "stations", .table = "sgz.station", .label = N_("Stations"), .label_one = "Station", .label_zh = "社工站",
	.fields = station_fields, .nfields = SGZ_ARRAY_LEN(station_fields),
	.scope_column = "township", .checks = station_checks,
	/* its township's name (张贵庄街道, spec/work.md): short and always
	 * there, its county's before it in a scope of several counties; a
	 * station deleted meanwhile names nothing */
	.shown = "(SELECT " DIVISION_SHOWN("d") " FROM sgz.division d WHERE d.code = r.township)",
	.shown_initials = "(SELECT d.initials FROM sgz.division d WHERE d.code = r.township)",
	.children = station_children,
};

/* ---- service points ---- */

static const struct dict_field service_point_fields[] = {
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "name", .label = N_("Name"), .label_zh = "社工点名称", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 20, .max_len = 100 },
	{ .column = "villages", .label = N_("Villages"), .label_zh = "服务村(社区)", .type = DT_DIVISIONS,
	  .flags = DF_LIST, .width = 26, .validate = v_villages, .ref_table = "sgz.division",
	  .ref_column = "code", .ref_hint = "import the villages into divisions first" },
	{ .column = "established_on", .label = N_("Established on"), .label_zh = "挂牌日期",
	  .type = DT_DATE, .flags = DF_LIST, .width = 10 },
	{ .column = "status", .label = N_("Status"), .label_zh = "状态", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = site_status },
};

static const struct dict_check service_point_checks[] = {
	{ .column = "villages",
	  .sql = "SELECT s._line, format('village %s is not in the township of station %s', v, "
		 "s.station)\n"
		 "  FROM stage s, unnest(string_to_array(s.villages, ';')) v\n"
		 " WHERE substr(v, 1, 9) <> substr(s.station, 1, 9)" },
	/* a point serving the village, stored (of the village's township: a
	 * point serves only its own township's villages) or on an earlier
	 * line (the lines' villages as a set, joined by village, not every
	 * line against every earlier one) */
	{ .column = "villages",
	  .sql = "SELECT s._line, format('village %s is already served by the point %s', v, "
		 "coalesce(o.name, q.name))\n"
		 "  FROM stage s CROSS JOIN unnest(string_to_array(s.villages, ';')) v\n"
		 "  LEFT JOIN sgz.service_point o ON o.villages @> ARRAY[v]\n"
		 "        AND o.station BETWEEN substr(v, 1, 9) AND substr(v, 1, 9) || '999'\n"
		 "        AND (o.station, o.name) <> (s.station, s.name)\n"
		 "        AND NOT EXISTS (SELECT 1 FROM stage r WHERE (r.station, r.name) = "
		 "(o.station, o.name))\n"
		 "  LEFT JOIN (SELECT DISTINCT q._line, q.name, qv\n"
		 "               FROM stage q, unnest(string_to_array(q.villages, ';')) qv) q\n"
		 "         ON q.qv = v AND q._line < s._line\n"
		 " WHERE o.name IS NOT NULL OR q.name IS NOT NULL" },
	{ .column = "established_on",
	  .sql = "SELECT s._line, format('a point with status %s needs the date it was "
		 "established', s.status)\n"
		 "  FROM stage s WHERE s.status <> 'planned' AND s.established_on IS NULL" },
	{ NULL },
};

static const struct dict_entity service_points = {
	.name = "service_points", .table = "sgz.service_point", .label = N_("Service points"), .label_one = "Service point",
	.label_zh = "社工点", .fields = service_point_fields,
	.nfields = SGZ_ARRAY_LEN(service_point_fields), .scope_column = "station",
	.checks = service_point_checks,
	.children = service_point_children,
};

/* ---- staff ---- */

static const struct dict_field staff_fields[] = {
	F_IDNUM("id_number", "身份证号", DF_KEY | DF_REQUIRED),
	F_PERSON_NAME("姓名"),
	F_PHONE("phone", N_("Phone"), "联系电话"),
	F_STATION(DF_REQUIRED),
	{ .column = "role", .label = N_("Role"), .label_zh = "岗位", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = staff_roles },
	{ .column = "education", .label = N_("Education"), .label_zh = "学历", .type = DT_CHOICE,
	  .width = 6, .choices = educations },
	{ .column = "qualification", .label = N_("Qualification"), .label_zh = "职业资格",
	  .type = DT_CHOICE, .flags = DF_LIST, .width = 10, .choices = qualifications,
	  .def = "none" },
	{ .column = "qualified_on", .label = N_("Qualified on"), .label_zh = "取证日期",
	  .type = DT_DATE, .width = 10 },
	{ .column = "hired_on", .label = N_("Hired on"), .label_zh = "入职日期", .type = DT_DATE,
	  .flags = DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "left_on", .label = N_("Left on"), .label_zh = "离职日期", .type = DT_DATE,
	  .width = 10 },
	/* rules.md: a social worker active and not qualified today is to
	 * qualify within 2 years of being hired; the others have no deadline */
	{ .column = "qualify_by", .label = N_("Qualify by"), .label_zh = "取证期限",
	  .type = DT_DATE, .flags = DF_NOEXPORT | DF_LIST, .width = 10,
	  .derived = QUALIFY_BY("@") },
	{ .column = "employer", .label = N_("Employer"), .label_zh = "用人单位", .type = DT_TEXT,
	  .width = 18, .max_len = 18, .validate = dict_v_credit_code, .ref_table = "sgz.organization",
	  .ref_column = "credit_code", .ref_hint = "import the organization first" },
	{ .column = "local_hukou", .label = N_("Local hukou"), .label_zh = "本地户籍", .type = DT_BOOL,
	  .width = 4 },
	F_DERIVED_GENDER,
	F_DERIVED_BIRTH,
};

static const struct dict_check staff_checks[] = {
	{ .column = "left_on",
	  .sql = "SELECT _line, format('left on %s, before being hired on %s', left_on, hired_on)\n"
		 "  FROM stage WHERE left_on::date < hired_on::date" },
	{ .column = "qualified_on",
	  .sql = "SELECT _line, format('a qualification (%s) needs the date it was obtained', "
		 "qualification)\n"
		 "  FROM stage WHERE coalesce(qualification, 'none') <> 'none' AND qualified_on IS NULL" },
	{ .column = "qualification",
	  .sql = "SELECT _line, 'a date obtained is given but the qualification is none'\n"
		 "  FROM stage WHERE qualified_on IS NOT NULL AND coalesce(qualification, 'none') = 'none'" },
	{ .column = "hired_on", .warning = 1,
	  .sql = "SELECT _line, format('resident social worker aged %s at hire: over 45 (000 §3(4))', "
		 "sgz.age_on(sgz.idnum_birth(id_number), hired_on::date))\n"
		 "  FROM stage WHERE role = 'resident' AND id_number ~ '^[0-9]{17}[0-9X]$'\n"
		 "   AND sgz.age_on(sgz.idnum_birth(id_number), hired_on::date) > 45" },
	{ .column = "education", .warning = 1,
	  .sql = "SELECT _line, 'education below college: the rule is college or above, "
		 "\"in principle\" (000 §3(4))'\n"
		 "  FROM stage WHERE education = 'below_college'" },
	{ NULL },
};

static const struct dict_entity staff = {
	.name = "staff", .table = "sgz.staff", .label = N_("Staff"), .label_one = "Staff member", .label_zh = "工作人员",
	.fields = staff_fields, .nfields = SGZ_ARRAY_LEN(staff_fields),
	.scope_column = "station", .checks = staff_checks,
	.view = "sgz.staff_v",
	.children = staff_children,
};

/* ---- volunteers ---- */

static const struct dict_field volunteer_fields[] = {
	F_IDNUM("id_number", "身份证号", DF_KEY | DF_REQUIRED),
	F_PERSON_NAME("姓名"),
	F_PHONE("phone", N_("Phone"), "联系电话"),
	F_STATION(DF_REQUIRED),
	{ .column = "team", .label = N_("Team"), .label_zh = "所属队伍", .type = DT_TEXT,
	  .flags = DF_SEARCH | DF_LIST, .width = 12, .max_len = 100 },
	{ .column = "registered_on", .label = N_("Registered on"), .label_zh = "注册日期",
	  .type = DT_DATE, .flags = DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "skills", .label = N_("Skills"), .label_zh = "技能特长", .type = DT_TEXT,
	  .width = 20, .max_len = 500 },
	F_DERIVED_GENDER,
	F_DERIVED_BIRTH,
};

static const struct dict_entity volunteers = {
	.name = "volunteers", .table = "sgz.volunteer", .label = N_("Volunteers"), .label_one = "Volunteer",
	.label_zh = "志愿者", .fields = volunteer_fields,
	.nfields = SGZ_ARRAY_LEN(volunteer_fields), .scope_column = "station",
	.view = "sgz.volunteer_v",
	.children = volunteer_children,
};

/* ---- activities ---- */

static const struct dict_field activity_fields[] = {
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "date", .label = N_("Date"), .label_zh = "活动日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "title", .label = N_("Title"), .label_zh = "活动名称", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST | DF_PINYIN, .width = 24,
	  .max_len = 200 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "活动类型", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = activity_kinds },
	{ .column = "participants", .label = N_("Participants"), .label_zh = "参与人数",
	  .type = DT_INT, .flags = DF_LIST, .width = 6, .min = 0, .max = 1000000 },
};

static const struct dict_entity activities = {
	.name = "activities", .table = "sgz.activity", .label = N_("Activities"), .label_one = "Activity",
	.label_zh = "活动", .fields = activity_fields, .nfields = SGZ_ARRAY_LEN(activity_fields),
	.scope_column = "station",
	.children = activity_children,
};

/* ---- hours ---- */

/* hours_station_idx (station, service_date, volunteer): a station's days */
static const char *const hours_order[] = {"station", "service_date", "volunteer", "activity",
					  NULL};

static const struct dict_field hours_fields[] = {
	F_PERSON("volunteer", N_("Volunteer"), "志愿者", "志愿者身份证号", DF_KEY | DF_REQUIRED,
		 "sgz.volunteer"),
	{ .column = "service_date", .label = N_("Service date"), .label_zh = "服务日期",
	  .type = DT_DATE, .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "activity", .label = N_("Activity"), .label_zh = "活动名称", .type = DT_TEXT,
	  .flags = DF_KEY | DF_SEARCH | DF_LIST | DF_STICKY, .width = 20, .max_len = 200,
	  /* by the activity's title and its initials (0021), by key */
	  .match_sql = "(t.station, t.service_date, t.activity) IN (SELECT a.station, a.date,"
		       " a.title FROM sgz.activity a WHERE (a.title ILIKE @P OR a.initials LIKE @I)"
		       " AND a.station BETWEEN (SELECT sgz.scope_low()) AND"
		       " (SELECT sgz.scope_high()))" },
	{ .column = "hours", .label = N_("Hours"), .label_zh = "服务时长", .type = DT_TEXT,
	  .flags = DF_REQUIRED | DF_LIST, .width = 5, .max_len = 8, .validate = v_hours,
	  .scale = 1, .sql_type = "numeric" },
	{ .column = "note", .label = N_("Note"), .label_zh = "备注", .type = DT_TEXT, .width = 20,
	  .max_len = 500 },
};

/* Every error check of hours is also refused by the database on write
 * (0003's and 0007's sgz.hours_check, the hours_key, row-level security):
 * an import runs them only to name the lines of a write that failed. */
static const struct dict_check hours_checks[] = {
	{ .column = "volunteer", .enforced = 1,
	  .sql = "SELECT s._line, format('volunteer %s is not registered: import the volunteer "
		 "first', s.volunteer)\n"
		 "  FROM stage s WHERE s.volunteer_pid IS NULL" },
	{ .column = "service_date", .enforced = 1,
	  .sql = "SELECT _line, format('%s is in the future', service_date)\n"
		 "  FROM stage WHERE service_date::date > current_date" },
	{ .column = "service_date", .enforced = 1,
	  .sql = "SELECT s._line, format('%s is before the volunteer registered (%s)', "
		 "s.service_date, v.registered_on)\n"
		 "  FROM stage s JOIN sgz.volunteer v ON v.pid = s.volunteer_pid\n"
		 " WHERE s.service_date::date < v.registered_on" },
	{ .column = "activity", .enforced = 1,
	  .sql = "SELECT s._line, format('no activity ''%s'' at station %s on %s: add the activity "
		 "first, or leave it empty', s.activity, s.station, s.service_date)\n"
		 "  FROM stage s WHERE s.activity IS NOT NULL\n"
		 "   AND NOT EXISTS (SELECT 1 FROM sgz.activity a WHERE a.station = s.station\n"
		 "                     AND a.date = s.service_date::date AND a.title = s.activity)" },
	/* One volunteer's day: the file's rows plus the stored ones it does not
	 * replace. Reported on the last line of the day in the file. */
	{ .column = "hours", .enforced = 1,
	  .sql = "WITH day AS (\n"
		 "  SELECT s.volunteer_pid, s.service_date::date AS d, max(s._line) AS line,\n"
		 "         min(s.volunteer) AS volunteer, sum(s.hours::numeric) AS filed\n"
		 "    FROM stage s WHERE s.volunteer_pid IS NOT NULL GROUP BY 1, 2),\n"
		 "kept AS (\n"
		 "  SELECT h.volunteer_pid, h.service_date AS d, sum(h.hours) AS h\n"
		 "    FROM sgz.hours h\n"
		 "    JOIN day ON day.volunteer_pid = h.volunteer_pid AND day.d = h.service_date\n"
		 "   WHERE NOT EXISTS (SELECT 1 FROM stage r WHERE r.volunteer_pid = h.volunteer_pid\n"
		 "           AND r.service_date::date = h.service_date AND r.station = h.station\n"
		 "           AND r.activity IS NOT DISTINCT FROM h.activity)\n"
		 "   GROUP BY 1, 2)\n"
		 "SELECT day.line, format('hours of %s on %s add up to %s, more than 24', "
		 "coalesce(v.name || ' (' || v.id_number || ')', day.volunteer), "
		 "day.d, day.filed + coalesce(kept.h, 0))\n"
		 "  FROM day LEFT JOIN kept USING (volunteer_pid, d)\n"
		 "  LEFT JOIN sgz.volunteer_v v ON v.pid = day.volunteer_pid\n"
		 " WHERE day.filed + coalesce(kept.h, 0) > 24" },
	/* 民政部令第67号 Art. 11: recorded within 10 working days. The working
	 * days after each distinct date, and the message, are worked out once
	 * per date, not per row, and by arithmetic (whole weeks, then the days
	 * left over) rather than by listing every day since: 98% of a
	 * historical file is late, and its dates lie years back. */
	{ .column = "service_date", .warning = 1,
	  .sql = "WITH late AS MATERIALIZED (\n"
		 "  SELECT x.d, format('recorded %s working days after the service (due within %s)',\n"
		 "                     x.n, x.due) AS msg\n"
		 "    FROM (SELECT d.d, sgz.setting_value('hours_due_working_days') AS due,\n"
		 "                 5 * ((current_date - d.d) / 7)\n"
		 "                 + (SELECT count(*) FROM generate_series(1, (current_date - d.d) % 7) k\n"
		 "                     WHERE extract(isodow FROM d.d + k) < 6) AS n\n"
		 "            FROM (SELECT DISTINCT service_date::date AS d FROM stage) d) x\n"
		 "   WHERE x.n > x.due)\n"
		 "SELECT s._line, late.msg\n"
		 "  FROM stage s JOIN late ON late.d = s.service_date::date\n"
		 " WHERE NOT EXISTS (SELECT 1 FROM sgz.hours h WHERE h.volunteer_pid = s.volunteer_pid\n"
		 "         AND h.service_date = s.service_date::date AND h.station = s.station\n"
		 "         AND h.activity IS NOT DISTINCT FROM s.activity)" },
	{ NULL },
};

static const struct dict_entity hours = {
	.name = "hours", .table = "sgz.hours", .label = N_("Service hours"), .label_one = "Service hours", .label_zh = "服务时长",
	.fields = hours_fields, .nfields = SGZ_ARRAY_LEN(hours_fields),
	.scope_column = "station", .list_order = hours_order, .checks = hours_checks, .enforced = 1,
	.view = "sgz.hours_v",
	.filter_by_terms = true,
};

/* ---- recipients ---- */

static const struct dict_field recipient_fields[] = {
	F_IDNUM("id_number", "身份证号", DF_KEY | DF_REQUIRED),
	F_PERSON_NAME("姓名"),
	F_PHONE("phone", N_("Phone"), "联系电话"),
	{ .column = "village", .label = N_("Village"), .label_zh = "所在村(社区)", .type = DT_DIVISION,
	  .flags = DF_REQUIRED | DF_LIST, .width = 12, .validate = v_village,
	  .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "import the village into divisions first" },
	{ .column = "address", .label = N_("Address"), .label_zh = "住址", .type = DT_TEXT,
	  .width = 24, .max_len = 200 },
	{ .column = "categories", .label = N_("Categories"), .label_zh = "对象类别",
	  .type = DT_CHOICES, .flags = DF_LIST, .width = 20, .choices = sgz_recipient_categories },
	{ .column = "guardian_name", .label = N_("Guardian"), .label_zh = "监护人", .type = DT_TEXT,
	  .width = 12, .max_len = 50 },
	F_PHONE("guardian_phone", N_("Guardian's phone"), "监护人电话"),
	F_DERIVED_GENDER,
	F_DERIVED_BIRTH,
};

static const struct dict_check recipient_checks[] = {
	{ .column = "categories",
	  .sql = "SELECT _line, p FROM (SELECT _line, sgz.recipient_category_problem(\n"
		 "    coalesce(string_to_array(categories, ';'), '{}'), sgz.idnum_birth(id_number),\n"
		 "    current_date) AS p FROM stage WHERE id_number ~ '^[0-9]{17}[0-9X]$') x\n"
		 " WHERE p IS NOT NULL" },
	{ NULL },
};

static const struct dict_entity recipients = {
	.name = "recipients", .table = "sgz.recipient", .label = N_("Recipients"), .label_one = "Recipient",
	.label_zh = "服务对象", .fields = recipient_fields,
	.nfields = SGZ_ARRAY_LEN(recipient_fields), .scope_column = "village",
	.checks = recipient_checks,
	.view = "sgz.recipient_v",
	.children = recipient_children,
};

/* ---- cases ---- */

static const struct dict_field case_fields[] = {
	{ .column = "case_no", .label = N_("Case number"), .label_zh = "个案编号", .type = DT_PATTERN,
	  .flags = DF_KEY | DF_REQUIRED | DF_AUTO | DF_SEARCH | DF_LIST, .width = 19,
	  .pattern = "^[0-9]{9}-[0-9]{4}-[0-9]{4,}$",
	  .pattern_rule = "not a case number (township-year-sequence, e.g. 120110001-2024-0007); "
			  "leave it empty to have one assigned",
	  /* the counters of the numbers given, locked before the rows are
	   * written, as the row trigger did before 0050 (only the user's, of
	   * the station's township: the others are refused by the checks) */
	  .stage_sql = "INSERT INTO sgz.case_counter AS c (prefix, last)\n"
		       "SELECT left(s.case_no, 14), max(split_part(s.case_no, '-', 3)::int)\n"
		       "  FROM stage s\n"
		       " WHERE s.case_no ~ '^[0-9]{9}-[0-9]{4}-[0-9]{4,9}$'\n"
		       "   AND left(s.case_no, 9) = left(s.station, 9)\n"
		       "   AND s.case_no LIKE (SELECT sgz.scope_prefix()) || '%'\n"
		       " GROUP BY 1 ORDER BY 1\n"
		       "ON CONFLICT (prefix) DO UPDATE SET last = excluded.last\n"
		       " WHERE c.last < excluded.last" },
	F_PERSON("recipient", N_("Recipient"), "受助对象", "服务对象身份证号", DF_REQUIRED,
		 "sgz.recipient"),
	/* the station that serves the recipient's village, when only one does */
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,
	  .flags = DF_REQUIRED | DF_LIST, .width = 16, .validate = dict_v_township,
	  .ref_table = "sgz.station", .ref_column = "township",
	  .ref_hint = "import the station first", .follow_from = "recipient",
	  .follow_sql = "SELECT min(x.st), NULL FROM (\n"
			"  SELECT s.township AS st FROM sgz.recipient_v p\n"
			"    JOIN sgz.station s ON s.township = left(p.village, 9) || '000'\n"
			"   WHERE p.pid = $1::bigint\n"
			"  UNION\n"
			"  SELECT t.station FROM sgz.recipient_v p\n"
			"    JOIN sgz.service_point t ON t.villages @> ARRAY[p.village]\n"
			"   WHERE p.pid = $1::bigint) x\n"
			"HAVING count(DISTINCT x.st) = 1" },
	F_PERSON_STICKY("worker", N_("Worker"), "责任社工", "责任社工身份证号", DF_REQUIRED,
			"sgz.staff"),
	{ .column = "method", .label = N_("Method"), .label_zh = "服务方式", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 6, .choices = case_methods },
	{ .column = "opened_on", .label = N_("Opened on"), .label_zh = "接案日期", .type = DT_DATE,
	  .flags = DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "status", .label = N_("Status"), .label_zh = "状态", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = case_statuses,
	  .proposed = "intake" },
	{ .column = "risk", .label = N_("Risk"), .label_zh = "风险等级", .type = DT_CHOICE,
	  .flags = DF_LIST, .width = 4, .choices = risks },
	{ .column = "closed_on", .label = N_("Closed on"), .label_zh = "结案日期", .type = DT_DATE,
	  .width = 10 },
	{ .column = "close_reason", .label = N_("Close reason"), .label_zh = "结案原因",
	  .type = DT_TEXT, .width = 20, .max_len = 500 },
};

static const struct dict_check case_checks[] = {
	{ .column = "recipient",
	  .sql = "SELECT s._line, format('recipient %s is not registered: import the recipient "
		 "first', s.recipient)\n"
		 "  FROM stage s WHERE s.recipient_pid IS NULL" },
	{ .column = "worker",
	  .sql = "SELECT s._line, format('worker %s is not an active staff member of station %s on "
		 "%s', s.worker, s.station, s.opened_on)\n"
		 "  FROM stage s WHERE NOT EXISTS (SELECT 1 FROM sgz.staff t\n"
		 "    WHERE t.pid = s.worker_pid AND t.station = s.station\n"
		 "      AND t.hired_on <= s.opened_on::date\n"
		 "      AND (t.left_on IS NULL OR t.left_on > s.opened_on::date))" },
	{ .column = "closed_on",
	  .sql = "SELECT _line, 'closing a case needs the date it was closed (结案日期)'\n"
		 "  FROM stage WHERE status = 'closed' AND closed_on IS NULL" },
	{ .column = "close_reason",
	  .sql = "SELECT _line, 'closing a case needs a reason (结案原因)'\n"
		 "  FROM stage WHERE status = 'closed' AND close_reason IS NULL" },
	{ .column = "closed_on",
	  .sql = "SELECT _line, format('a closing date is given but the status is %s', status)\n"
		 "  FROM stage WHERE status <> 'closed' AND closed_on IS NOT NULL" },
	{ .column = "closed_on",
	  .sql = "SELECT _line, format('closed on %s, before it was opened on %s', closed_on, "
		 "opened_on)\n"
		 "  FROM stage WHERE closed_on::date < opened_on::date" },
	{ NULL },
};

static const struct dict_entity cases = {
	.name = "cases", .table = "sgz.case_file", .label = N_("Cases"), .label_one = "Case", .label_zh = "个案",
	.fields = case_fields, .nfields = SGZ_ARRAY_LEN(case_fields),
	.scope_column = "station", .checks = case_checks,
	.view = "sgz.case_file_v",
	/* its number and its recipient, masked by the view (120110001-2024-0001 刘大爷) */
	.shown = "coalesce(r.recipient_name, '')", .shown_keyed = true,
	.shown_by = "recipient",
	.children = case_children,
};

/* ---- visits ---- */

static const struct dict_field visit_fields[] = {
	{ .column = "case_no", .label = N_("Case"), .label_zh = "个案", .label_zh_was = "个案编号",
	  .type = DT_PATTERN,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 28,
	  .pattern = "^[0-9]{9}-[0-9]{4}-[0-9]{4,}$",
	  .pattern_rule = "not a case number (township-year-sequence, e.g. 120110001-2024-0007)",
	  .ref_table = "sgz.case_file", .ref_column = "case_no",
	  .ref_hint = "import the case first" },
	{ .column = "visit_date", .label = N_("Visit date"), .label_zh = "服务日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "服务类型", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .choices = visit_kinds },
	/* the case's worker */
	{ .column = "worker", .label = N_("Worker"), .label_zh = "社工", .label_zh_was = "社工身份证号",
	  .type = DT_TEXT, .flags = DF_SEARCH | DF_LIST | DF_STICKY, .width = 8, .max_len = 18,
	  .validate = dict_v_idnum, .pick_table = "sgz.staff", .pick_column = "id_number",
	  .pid_column = "worker_pid", .name_column = "worker_name", .follow_from = "case_no",
	  .follow_sql = "SELECT '#' || c.worker_pid, c.worker FROM sgz.case_file_v c\n"
			" WHERE c.case_no = $1 AND c.worker_pid IS NOT NULL" },
	{ .column = "summary", .label = N_("Summary"), .label_zh = "服务记录", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 30, .max_len = 4000 },
	{ .column = "next_due", .label = N_("Next due"), .label_zh = "下次回访", .type = DT_DATE,
	  .flags = DF_LIST, .width = 10, .due_from = "visit_date",
	  .due_setting = "visit_interval_days" },
	/* the case's, set by the database (visit_check()); never empty, so the
	 * list sorts by the column, which visit_station_idx serves. An import
	 * finds it for the whole file, and the database checks it (0050). A
	 * new visit's form shows it as soon as the case is known. */
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,
	  .flags = DF_NOEXPORT | DF_REQUIRED, .width = 12, .ref_table = "sgz.station",
	  .ref_column = "township", .follow_from = "case_no",
	  .follow_sql = "SELECT c.station, NULL FROM sgz.case_file_v c WHERE c.case_no = $1",
	  .stage_sql = "UPDATE stage s SET station = c.station FROM sgz.case_file c\n"
		       " WHERE c.case_no = s.case_no" },
};

static const struct dict_check visit_checks[] = {
	{ .column = "worker",
	  .sql = "SELECT s._line, format('worker %s is not a staff member', s.worker)\n"
		 "  FROM stage s WHERE s.worker IS NOT NULL AND s.worker_pid IS NULL" },
	{ .column = "visit_date",
	  .sql = "SELECT s._line, format('visit on %s is before the case was opened (%s)', "
		 "s.visit_date, c.opened_on)\n"
		 "  FROM stage s JOIN sgz.case_file c ON c.case_no = s.case_no\n"
		 " WHERE s.visit_date::date < c.opened_on" },
	{ .column = "visit_date",
	  .sql = "SELECT _line, format('%s is in the future', visit_date)\n"
		 "  FROM stage WHERE visit_date::date > current_date" },
	{ .column = "next_due",
	  .sql = "SELECT _line, format('next due %s is not after the visit (%s)', next_due, "
		 "visit_date)\n"
		 "  FROM stage WHERE next_due::date <= visit_date::date" },
	{ NULL },
};

/* visit_station_idx (station, visit_date): a station's visits by day */
static const char *const visits_order[] = {"station", "visit_date", "case_no", "kind", NULL};

static const struct dict_entity visits = {
	.name = "visits", .table = "sgz.visit", .label = N_("Visits"), .label_one = "Visit", .label_zh = "走访记录",
	.fields = visit_fields, .nfields = SGZ_ARRAY_LEN(visit_fields),
	.scope_column = "station", .list_order = visits_order, .checks = visit_checks,
	.view = "sgz.visit_v",
};

/* ---- contracts ---- */

static const struct dict_field contract_fields[] = {
	{ .column = "contract_no", .label = N_("Contract number"), .label_zh = "合同编号",
	  .type = DT_TEXT, .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 16,
	  .max_len = 50 },
	{ .column = "purchaser", .label = N_("Purchaser"), .label_zh = "购买主体", .type = DT_DIVISION,
	  .flags = DF_REQUIRED | DF_LIST, .width = 12, .validate = dict_v_purchaser,
	  .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "not in the division list" },
	{ .column = "purchaser_name", .label = N_("Purchaser name"), .label_zh = "购买单位名称",
	  .type = DT_TEXT, .width = 20, .max_len = 200 },
	{ .column = "organization", .label = N_("Organization"), .label_zh = "承接机构",
	  .type = DT_TEXT, .flags = DF_REQUIRED | DF_LIST, .width = 18, .max_len = 18,
	  .validate = dict_v_credit_code, .ref_table = "sgz.organization", .ref_column = "credit_code",
	  .ref_hint = "import the organization first" },
	{ .column = "procurement_method", .label = N_("Procurement method"), .label_zh = "采购方式",
	  .type = DT_CHOICE, .flags = DF_REQUIRED, .width = 10, .choices = procurement_methods },
	{ .column = "cycle_start", .label = N_("Cycle start"), .label_zh = "周期起始年",
	  .type = DT_INT, .flags = DF_REQUIRED | DF_LIST, .width = 6, .min = 2000, .max = 2100,
	  .sql_type = "smallint" },
	{ .column = "year_no", .label = N_("Year of cycle"), .label_zh = "周期第几年", .type = DT_INT,
	  .flags = DF_REQUIRED | DF_LIST, .width = 3, .min = 1, .max = 5, .sql_type = "smallint" },
	/* rules.md: the grade that decides a contract year is its latest
	 * annual or final evaluation's; none before one */
	{ .column = "grade", .label = N_("Grade"), .label_zh = "评估等级", .type = DT_CHOICE,
	  .flags = DF_NOEXPORT | DF_LIST, .width = 6, .choices = grades,
	  .derived = "SELECT sgz.grade(e.score) FROM sgz.evaluation e\n"
		     " WHERE e.contract_no = @.contract_no AND e.kind IN ('annual', 'final')\n"
		     "   AND e.score IS NOT NULL\n"
		     " ORDER BY e.evaluated_on DESC, e.kind DESC LIMIT 1" },
	{ .column = "signed_on", .label = N_("Signed on"), .label_zh = "签订日期", .type = DT_DATE,
	  .width = 10 },
	{ .column = "starts_on", .label = N_("Starts on"), .label_zh = "服务开始", .type = DT_DATE,
	  .flags = DF_REQUIRED, .width = 10 },
	{ .column = "ends_on", .label = N_("Ends on"), .label_zh = "服务结束", .type = DT_DATE,
	  .flags = DF_REQUIRED, .width = 10 },
	{ .column = "amount", .label = N_("Amount (yuan)"), .label_zh = "合同金额(元)", .type = DT_MONEY,
	  .flags = DF_REQUIRED | DF_LIST, .width = 12, .min = 0, .max = 999999999999.99,
	  .sql_type = "numeric" },
	{ .column = "funding_source", .label = N_("Funding source"), .label_zh = "资金来源",
	  .type = DT_CHOICES, .width = 20, .choices = funding_sources },
	{ .column = "stations", .label = N_("Stations"), .label_zh = "服务站点", .type = DT_DIVISIONS,
	  .width = 26, .validate = v_stations, .ref_table = "sgz.station",
	  .ref_column = "township", .ref_hint = "import the station first" },
	{ .column = "required_staff", .label = N_("Required staff"), .label_zh = "配备人数要求",
	  .type = DT_INT, .width = 4, .min = 0, .max = 1000, .sql_type = "smallint" },
	{ .column = "required_qualified", .label = N_("Required qualified"),
	  .label_zh = "持证人数要求", .type = DT_INT, .width = 4, .min = 0, .max = 1000,
	  .sql_type = "smallint" },
	/* programmes.md: its cycle, budget, targets and indicator set */
	{ .column = "programme", .label = N_("Programme"), .label_zh = "所属项目", .type = DT_TEXT,
	  .width = 14, .max_len = 50, .ref_table = "sgz.programme", .ref_column = "code",
	  .ref_hint = "import the programme first" },
};

static const struct dict_check contract_checks[] = {
	{ .column = "ends_on",
	  .sql = "SELECT _line, format('ends on %s, before it starts on %s', ends_on, starts_on)\n"
		 "  FROM stage WHERE ends_on::date < starts_on::date" },
	{ .column = "required_qualified",
	  .sql = "SELECT _line, format('%s qualified required is more than the %s staff required', "
		 "required_qualified, required_staff)\n"
		 "  FROM stage WHERE required_qualified::int > required_staff::int" },
	{ .column = "stations",
	  .sql = "SELECT s._line, format('station %s is not within the purchaser %s', v, "
		 "s.purchaser)\n"
		 "  FROM stage s, unnest(string_to_array(s.stations, ';')) v\n"
		 " WHERE v NOT LIKE sgz.division_prefix(rpad(s.purchaser, 12, '0')) || '%'" },
	/* 001 §3(1), 002 annex 1: the undertaking organisation's eligibility. */
	{ .column = "organization", .warning = 1,
	  .sql = "SELECT s._line, 'organization ' || o.credit_code || ' may not be eligible: ' ||\n"
		 "       concat_ws('; ',\n"
		 "         CASE WHEN left(o.credit_code, 1) <> '5' THEN 'not registered with civil "
		 "affairs' END,\n"
		 "         CASE WHEN o.registration_level IS NULL THEN 'registration level unknown' END,\n"
		 "         CASE WHEN o.social_work_scope IS NOT TRUE THEN 'social work not in its scope' "
		 "END,\n"
		 "         CASE WHEN o.tax_qualified IS NOT TRUE THEN 'not tax-qualified' END,\n"
		 "         CASE WHEN o.violation_record IS NOT FALSE THEN 'violation record' END)\n"
		 "  FROM stage s JOIN sgz.organization o ON o.credit_code = s.organization\n"
		 " WHERE left(o.credit_code, 1) <> '5' OR o.registration_level IS NULL\n"
		 "    OR o.social_work_scope IS NOT TRUE OR o.tax_qualified IS NOT TRUE\n"
		 "    OR o.violation_record IS NOT FALSE" },
	{ .column = "procurement_method", .warning = 1,
	  .sql = "SELECT _line, format('%s yuan is above the open tender threshold (%s): "
		 "procurement is usually open_tender', amount, "
		 "sgz.setting_value('open_tender_threshold'))\n"
		 "  FROM stage WHERE amount::numeric > sgz.setting_value('open_tender_threshold')\n"
		 "   AND procurement_method <> 'open_tender'" },
	/* programmes.md, Cycle and renewal (0025's contract_cycle_check()) */
	{ .column = "year_no",
	  .sql = "SELECT s._line, format('year %s is past the %s-year cycle of programme %s', "
		 "s.year_no, p.cycle_years, p.code)\n"
		 "  FROM stage s JOIN sgz.programme p ON p.code = s.programme\n"
		 " WHERE s.year_no::int > p.cycle_years" },
	{ .column = "year_no",
	  .sql = "SELECT _line, format('year %s is past the 3-year cycle of a contract without a "
		 "programme', year_no)\n"
		 "  FROM stage WHERE programme IS NULL AND year_no::int > 3" },
	{ .column = "year_no",
	  .sql = "SELECT s._line, format('year %s was graded fail (contract %s, %s evaluation of %s, "
		 "score %s): procure anew', c.year_no, c.contract_no, d.kind, d.evaluated_on, "
		 "d.score)\n"
		 "  FROM stage s JOIN sgz.contract c ON c.purchaser = s.purchaser\n"
		 "   AND c.organization = s.organization AND c.cycle_start = s.cycle_start::smallint\n"
		 "   AND c.year_no = s.year_no::int - 1 AND c.contract_no <> s.contract_no\n"
		 " CROSS JOIN LATERAL " DECIDING_SQL("c.contract_no") " d\n"
		 " WHERE d.grade = 'fail'" },
	/* year N stored, or in the same file */
	{ .column = "year_no", .warning = 1,
	  .sql = "SELECT s._line, format('year %s (contract %s) has no deciding evaluation yet', "
		 "c.year_no, c.contract_no)\n"
		 "  FROM stage s JOIN (SELECT k.contract_no, k.purchaser, k.organization,\n"
		 "                            k.cycle_start, k.year_no::int FROM sgz.contract k\n"
		 "                     UNION SELECT q.contract_no, q.purchaser, q.organization,\n"
		 "                            q.cycle_start::smallint, q.year_no::int FROM stage q) c\n"
		 "    ON c.purchaser = s.purchaser\n"
		 "   AND c.organization = s.organization AND c.cycle_start = s.cycle_start::smallint\n"
		 "   AND c.year_no = s.year_no::int - 1 AND c.contract_no <> s.contract_no\n"
		 " CROSS JOIN LATERAL " DECIDING_SQL("c.contract_no") " d\n"
		 " WHERE d.grade IS NULL" },
	/* programmes.md, Money */
	{ .column = "amount",
	  .sql = "SELECT s._line, format('payments of contract %s add up to %s, %s more than its "
		 "amount %s', s.contract_no, p.paid, p.paid - s.amount::numeric(14, 2), "
		 "s.amount::numeric(14, 2))\n"
		 "  FROM stage s CROSS JOIN LATERAL (SELECT sum(y.amount) AS paid FROM sgz.payment y\n"
		 "                                    WHERE y.contract_no = s.contract_no) p\n"
		 " WHERE p.paid > s.amount::numeric" },
	{ .column = "amount", .warning = 1,
	  .sql = "SELECT s._line, format('%s yuan a station is below the programme''s budget of %s "
		 "a station', round(s.amount::numeric / cardinality(string_to_array(s.stations, ';')), "
		 "2), p.budget_per_station)\n"
		 "  FROM stage s JOIN sgz.programme p ON p.code = s.programme\n"
		 " WHERE s.stations IS NOT NULL AND p.budget_per_station IS NOT NULL\n"
		 "   AND s.amount::numeric / cardinality(string_to_array(s.stations, ';'))\n"
		 "       < p.budget_per_station" },
	/* programmes.md, Staffing: the figures are per station */
	{ .column = "required_staff", .warning = 1,
	  .sql = "SELECT _line, format('%s staff required: per station, not in total?', "
		 "required_staff)\n"
		 "  FROM stage WHERE required_staff::int > 20" },
	{ .column = "required_qualified", .warning = 1,
	  .sql = "SELECT _line, format('%s qualified staff required: per station, not in total?', "
		 "required_qualified)\n"
		 "  FROM stage WHERE required_qualified::int > 20" },
	{ NULL },
};

static const struct dict_entity contracts = {
	.name = "contracts", .table = "sgz.contract", .label = N_("Contracts"), .label_one = "Contract",
	.label_zh = "购买服务合同", .fields = contract_fields,
	.nfields = SGZ_ARRAY_LEN(contract_fields), .scope_column = "purchaser",
	.checks = contract_checks,
	/* its number and its organization */
	.shown = "coalesce((SELECT o.name FROM sgz.organization o"
		 " WHERE o.credit_code = r.organization), '')",
	.shown_keyed = true,
	.children = contract_children,
};

/* ---- evaluations ---- */

static const struct dict_field evaluation_fields[] = {
	/* programmes.md: a contract year's, or a station's (one of them) */
	{ .column = "contract_no", .label = N_("Contract"), .label_zh = "合同", .label_zh_was = "合同编号",
	  .type = DT_TEXT, .flags = DF_KEY | DF_SEARCH | DF_LIST, .width = 36,
	  .max_len = 50, .ref_table = "sgz.contract", .ref_column = "contract_no",
	  .ref_hint = "import the contract first" },
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_LIST, .width = 12, .validate = dict_v_township,
	  .ref_table = "sgz.station", .ref_column = "township",
	  .ref_hint = "import the station first" },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "评估类型", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .choices = evaluation_kinds },
	{ .column = "evaluated_on", .label = N_("Evaluated on"), .label_zh = "评估日期",
	  .type = DT_DATE, .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "evaluator", .label = N_("Evaluator"), .label_zh = "评估机构", .type = DT_TEXT,
	  .width = 16, .max_len = 200 },
	/* the sum of its indicators' scores when it has some */
	{ .column = "score", .label = N_("Score"), .label_zh = "评估得分", .type = DT_NUMBER,
	  .flags = DF_LIST, .width = 5, .min = 0, .max = 100, .scale = 1,
	  .sql_type = "numeric" },
	{ .column = "notes", .label = N_("Notes"), .label_zh = "评估意见", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 20, .max_len = 4000 },
	/* rules.md: the grade from the score (the settings' bands,
	 * sgz.grade()); an annual or final one decides the contract year as
	 * the contracts report does; a mid-term one informs only */
	{ .column = "grade", .label = N_("Grade"), .label_zh = "评估等级", .type = DT_CHOICE,
	  .flags = DF_NOEXPORT | DF_LIST, .width = 6, .choices = grades,
	  .derived = "sgz.grade(@.score)" },
	{ .column = "decision", .label = N_("Decision"), .label_zh = "续签决定", .type = DT_CHOICE,
	  .flags = DF_NOEXPORT | DF_LIST, .width = 8, .choices = decisions,
	  /* programmes.md: the cycle is the programme's, 3 years without one;
	   * an evaluation whose indicators are not scored yet decides nothing */
	  .derived = "SELECT CASE WHEN @.score IS NULL THEN 'pending'\n"
		     "            WHEN sgz.grade(@.score) = 'fail' THEN 'reprocure'\n"
		     "            WHEN c.year_no < coalesce((SELECT p.cycle_years FROM sgz.programme p\n"
		     "                                        WHERE p.code = c.programme), 3)\n"
		     "            THEN 'renew' ELSE 'cycle_end' END\n"
		     "  FROM sgz.contract c WHERE c.contract_no = @.contract_no\n"
		     "   AND @.kind IN ('annual', 'final')" },
};

/* An evaluation's indicator sheet: its scores, by the whole key (one of
 * contract and station is empty: compared as equal, as the keys are) */
static const struct dict_child evaluation_children[] = {
	{ .entity = "evaluation_scores",
	  .on = {{ "contract_no", "contract_no",
		   "t.contract_no IS NOT DISTINCT FROM nullif(%1$s::text, '')" },
		 { "station", "station", "t.station IS NOT DISTINCT FROM nullif(%1$s::text, '')" },
		 { "kind", "kind" }, { "evaluated_on", "evaluated_on" }} },
	{ NULL },
};

/* programmes.md: one of contract and station; the total is the sum; a
 * year graded fail ends its cycle; a performance payment needs good */
static const struct dict_check evaluation_checks[] = {
	{ .column = "contract_no",
	  .sql = "SELECT _line, 'an evaluation is of a contract year or of a station: give one of "
		 "them'\n"
		 "  FROM stage WHERE (contract_no IS NULL) = (station IS NULL)" },
	{ .column = "score",
	  .sql = "SELECT s._line, format('score %s differs from the sum of its indicator scores, %s', "
		 "s.score::numeric(4, 1), t.total)\n"
		 "  FROM stage s JOIN sgz.evaluation e\n"
		 "    ON e.contract_no IS NOT DISTINCT FROM s.contract_no\n"
		 "   AND e.station IS NOT DISTINCT FROM s.station\n"
		 "   AND e.kind = s.kind AND e.evaluated_on = s.evaluated_on::date\n"
		 " CROSS JOIN LATERAL (SELECT sum(x.score) AS total FROM sgz.evaluation_score x\n"
		 "                      WHERE x.evaluation_id = e.id) t\n"
		 " WHERE t.total <> s.score::numeric" },
	{ .column = "score",
	  .sql = "SELECT s._line, format('contract %s is year %s of the same cycle: a year graded fail "
		 "ends its cycle', n.contract_no, n.year_no)\n"
		 "  FROM stage s JOIN sgz.contract c ON c.contract_no = s.contract_no\n"
		 "  JOIN sgz.contract n ON n.purchaser = c.purchaser AND n.organization = c.organization\n"
		 "   AND n.cycle_start = c.cycle_start AND n.year_no = c.year_no + 1\n"
		 " WHERE s.kind IN ('annual', 'final') AND sgz.grade(s.score::numeric) = 'fail'" },
	{ .column = "score",
	  .sql = "SELECT s._line, format('contract %s has a performance payment: its year cannot be "
		 "graded %s', s.contract_no, sgz.grade(s.score::numeric))\n"
		 "  FROM stage s\n"
		 " WHERE s.kind IN ('annual', 'final') AND sgz.grade(s.score::numeric) IN ('pass', 'fail')\n"
		 "   AND EXISTS (SELECT 1 FROM sgz.payment p\n"
		 "                WHERE p.contract_no = s.contract_no AND p.kind = 'performance')" },
	{ NULL },
};

static const struct dict_entity evaluations = {
	.name = "evaluations", .table = "sgz.evaluation", .label = N_("Evaluations"), .label_one = "Evaluation",
	.label_zh = "评估", .fields = evaluation_fields,
	.nfields = SGZ_ARRAY_LEN(evaluation_fields), .checks = evaluation_checks,
	.children = evaluation_children,
};

/* ---- plans ---- */

static const struct dict_field plan_fields[] = {
	{ .column = "division", .label = N_("Division"), .label_zh = "行政区划", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 12, .ref_table = "sgz.division",
	  .ref_column = "code", .ref_hint = "not in the division list" },
	{ .column = "year", .label = N_("Year"), .label_zh = "年度", .type = DT_INT,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 4, .min = 2000, .max = 2100,
	  .sql_type = "smallint" },
	{ .column = "stations_target", .label = N_("Stations target"), .label_zh = "站点建设目标",
	  .type = DT_INT, .flags = DF_LIST, .width = 6, .min = 0, .max = 1000000 },
	{ .column = "social_workers_target", .label = N_("Social workers target"),
	  .label_zh = "社工配备目标", .type = DT_INT, .flags = DF_LIST, .width = 6, .min = 0,
	  .max = 10000000 },
	{ .column = "point_coverage_target_pct", .label = N_("Point coverage target %"),
	  .label_zh = "社工点覆盖率目标(%)", .type = DT_NUMBER, .flags = DF_LIST, .width = 5,
	  .min = 0, .max = 100, .scale = 1, .sql_type = "numeric" },
	{ .column = "qualified_target", .label = N_("Qualified target"), .label_zh = "持证社工目标",
	  .type = DT_INT, .flags = DF_LIST, .width = 6, .min = 0, .max = 10000000 },
	{ .column = "volunteer_rate_target_pct", .label = N_("Volunteer rate target %"),
	  .label_zh = "志愿者注册率目标(%)", .type = DT_NUMBER, .width = 5, .min = 0, .max = 100,
	  .scale = 1, .sql_type = "numeric" },
	{ .column = "community_orgs_urban_target", .label = N_("Organisations per urban community"),
	  .label_zh = "城市社区社会组织目标", .type = DT_INT, .width = 4, .min = 0, .max = 1000 },
	{ .column = "community_orgs_rural_target", .label = N_("Organisations per rural community"),
	  .label_zh = "农村社区社会组织目标", .type = DT_INT, .width = 4, .min = 0, .max = 1000 },
};

static const struct dict_entity plans = {
	.name = "plans", .table = "sgz.plan", .label = N_("Plans"), .label_one = "Plan", .label_zh = "建设计划",
	.fields = plan_fields, .nfields = SGZ_ARRAY_LEN(plan_fields), .scope_column = "division",
};

/* Menu and import order: what is referenced comes before what refers to it. */
const struct dict_entity *const sgz_entities[] = {
	&divisions, &organizations, &stations, &service_points, &staff,	    &volunteers,
	&activities, &hours,	     &recipients, &cases,	   &visits,
	&indicators, &programmes, &contracts,
	&evaluations, &evaluation_scores, &payments, &plans,
	&sgz_community_orgs, &sgz_outreach_visits, &sgz_supervisions, &sgz_trainings, &sgz_resources,
	&submissions,
};
const size_t sgz_entities_count = SGZ_ARRAY_LEN(sgz_entities);
