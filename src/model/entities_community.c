/* entities_community.c - the dictionary's entries of spec/programmes.md for
 * 三社联动 and the work around cases: community organisations, outreach
 * visits without a case, supervision and training of the staff, and
 * charitable resources. Each rule is also the database's (migration 0023),
 * with the same message: the import names the line and the column, the
 * form the field. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/dict.h"
#include "sgz/division.h"
#include "sgz/entities_community.h"
#include "sgz/i18n.h"
#include "sgz/validate.h"

/* ---- choice lists (spec/programmes.md, notes on columns) ---- */

static const struct dict_choice org_kinds[] = {
	{ "elderly", "为老服务", "Elderly care" },
	{ "children", "儿童服务", "Children" },
	{ "disability", "助残服务", "Disability" },
	{ "volunteer", "志愿服务", "Volunteering" },
	{ "culture", "文体娱乐", "Culture and sports" },
	{ "mediation", "纠纷调解", "Mediation" },
	{ "charity", "公益慈善", "Charity" },
	{ "other", "其他", "Other" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice org_registrations[] = {
	{ "registered", "登记", "Registered" },
	{ "filed", "备案", "Filed" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice org_statuses[] = {
	{ "active", "活跃", "Active" },
	{ "dormant", "休眠", "Dormant" },
	{ "dissolved", "注销", "Dissolved" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice supervision_kinds[] = {
	{ "individual", "个别督导", "Individual" },
	{ "group", "团体督导", "Group" },
	{ "on_site", "驻点督导", "On site" },
	{ "remote", "远程督导", "Remote" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice training_kinds[] = {
	{ "induction", "岗前培训", "Induction" },
	{ "continuing", "继续教育", "Continuing education" },
	{ "exam_prep", "考证辅导", "Exam preparation" },
	{ "cadre", "干部培训", "Cadre training" },
	{ NULL, NULL, NULL },
};

static const struct dict_choice resource_kinds[] = {
	{ "money", "资金", "Money" },
	{ "goods", "物资", "Goods" },
	{ "service", "服务", "Service" },
	{ "venue", "场地", "Venue" },
	{ NULL, NULL, NULL },
};

/* ---- validators ---- */

/* programmes.md: a community is a village or a residents' committee. */
static int v_community(const char *in, struct strbuf *out, struct sgz_err *err)
{
	if (division_level(in) != DIV_VILLAGE) {
		sgz_err_set(err, SGZ_EDATA, "%s is a %s code, not a village or community (12 digits)",
			    in, division_level_name(division_level(in)));
		return -1;
	}
	sb_adds(out, in);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A ';' list of staff: ID numbers, normalised, sorted, each once. An
 * element masked as the lists show it (1201**********0012) or a picked
 * person's token (#pid) is kept as it is: the database reads it (the
 * attendee of the stored row with that masked number, the person of that
 * pid; migration 0023). */
static int v_attendees(const char *in, struct strbuf *out, struct sgz_err *err)
{
	char *copy = xstrdup(in);
	char **items = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (char *save = NULL, *tok = strtok_r(copy, ";；", &save); tok;
	     tok = strtok_r(NULL, ";；", &save)) {
		while (*tok == ' ')
			tok++;
		size_t len = strlen(tok);
		while (len > 0 && tok[len - 1] == ' ')
			tok[--len] = '\0';
		if (!len)
			continue;
		char *item;
		if (tok[0] == '#' || strchr(tok, '*')) {
			item = xstrdup(tok);
		} else {
			char id[IDNUM_LEN + 1];
			struct idnum_info info;
			if (idnum_normalize(tok, id, &info, err) < 0) {
				rc = -1;
				break;
			}
			item = xstrdup(id);
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			items = xrealloc(items, cap * sizeof(*items));
		}
		items[n++] = item;
	}
	if (rc == 0) {
		qsort(items, n, sizeof(*items), cmp_str);
		for (size_t i = 0; i < n; i++) {
			if (i > 0 && strcmp(items[i], items[i - 1]) == 0)
				continue;
			if (out->len)
				sb_addc(out, ';');
			sb_adds(out, items[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(copy);
	return rc;
}

/* ---- field helpers ---- */

#define F_STATION(fl)                                                                              \
	{ .column = "station", .label = N_("Station"), .label_zh = "所属站点", .type = DT_DIVISION,    \
	  .flags = (fl) | DF_LIST, .width = 16, .validate = dict_v_township,                              \
	  .ref_table = "sgz.station", .ref_column = "township",                                      \
	  .ref_hint = "import the station first" }
#define F_PERSON(col, lbl, zh, fl, table)                                                          \
	{ .column = col, .label = lbl, .label_zh = zh, .type = DT_TEXT,                                \
	  .flags = (fl) | DF_SEARCH | DF_LIST, .width = 8, .max_len = 18, .validate = dict_v_idnum,       \
	  .pick_table = table, .pick_column = "id_number", .pid_column = col "_pid",                 \
	  .name_column = col "_name" }
#define F_HOURS(zh)                                                                                \
	{ .column = "hours", .label = N_("Hours"), .label_zh = zh, .type = DT_NUMBER,                  \
	  .flags = DF_REQUIRED | DF_LIST, .width = 5, .min = 0.5, .max = 200, .scale = 1,            \
	  .sql_type = "numeric" }
/* The attendees' numbers (masked in the view), and their names beside */
#define F_ATTENDEES(day, st)                                                                       \
	{ .column = "attendees", .label = N_("Attendees"), .label_zh = "参加人员", .type = DT_TEXT,    \
	  .flags = DF_REQUIRED, .width = 30, .max_len = 200000, .validate = v_attendees,             \
	  .export_sql = "sgz.staff_numbers(t.attendee_pids)", .pick_day = day,                       \
	  .pick_station = st, .pids_column = "attendee_pids" },                                      \
	{ .column = "attendee_names", .label = N_("Attendees' names"), .label_zh = "参加人员姓名",     \
	  .type = DT_TEXT, .flags = DF_NOEXPORT | DF_LIST, .width = 20,                              \
	  .derived = "@.attendee_names" }

/* Each attendee of the staged row s is a staff member active on the day
 * day (of station st, when given): found in the user's scope by number,
 * or by pid (#pid); a masked one is the database's to read. The numbers of
 * the whole file are looked up at once (one call, not one per attendee:
 * 12.8 s of a province's 15,584 supervisions). */
#define ATTENDEE_CHECK(day, st, msg, args)                                                         \
	"WITH l AS MATERIALIZED (\n"                                                              \
	"  SELECT l.id_number, l.pid FROM sgz.person_lookup('staff', ARRAY(\n"                     \
	"    SELECT DISTINCT x FROM stage q CROSS JOIN unnest(string_to_array(q.attendees, ';')) x\n" \
	"     WHERE x !~ '^#[0-9]+$' AND x !~ '[*]')) l)\n"                                       \
	"SELECT s._line, format('" msg "', " args ")\n"                                            \
	"  FROM stage s CROSS JOIN unnest(string_to_array(s.attendees, ';')) WITH ORDINALITY a(a, n)\n" \
	"  LEFT JOIN l ON l.id_number = a.a\n"                                                    \
	"  LEFT JOIN sgz.staff_v t\n"                                                            \
	"    ON t.pid = CASE WHEN a.a ~ '^#[0-9]+$' THEN substr(a.a, 2)::bigint ELSE l.pid END\n"   \
	" WHERE a.a !~ '[*]' AND (t.pid IS NULL OR t.hired_on > s." day "::date\n"                 \
	"    OR (t.left_on IS NOT NULL AND t.left_on <= s." day "::date)" st ")\n"                 \
	" ORDER BY s._line, a.n"

/* ---- community organisations ---- */

static const struct dict_field community_org_fields[] = {
	{ .column = "community", .label = N_("Community"), .label_zh = "所在社区(村)",
	  .type = DT_DIVISION, .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 16,
	  .validate = v_community, .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "import the community into divisions first" },
	{ .column = "name", .label = N_("Name"), .label_zh = "组织名称", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 20, .max_len = 200 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "服务类型", .type = DT_CHOICE,
	  .flags = DF_LIST, .width = 8, .choices = org_kinds },
	{ .column = "registration", .label = N_("Registration"), .label_zh = "登记备案",
	  .type = DT_CHOICE, .flags = DF_REQUIRED | DF_LIST, .width = 4,
	  .choices = org_registrations },
	{ .column = "credit_code", .label = N_("Credit code"), .label_zh = "统一社会信用代码",
	  .type = DT_TEXT, .width = 18, .max_len = 18, .validate = dict_v_credit_code },
	{ .column = "filed_on", .label = N_("Filed on"), .label_zh = "备案日期", .type = DT_DATE,
	  .width = 10 },
	{ .column = "members", .label = N_("Members"), .label_zh = "成员人数", .type = DT_INT,
	  .width = 6, .min = 0, .max = 1000000 },
	{ .column = "leader_name", .label = N_("Leader"), .label_zh = "负责人", .type = DT_TEXT,
	  .width = 8, .max_len = 50 },
	{ .column = "leader_phone", .label = N_("Leader's phone"), .label_zh = "负责人电话",
	  .type = DT_TEXT, .width = 13, .max_len = 20, .validate = dict_v_phone },
	{ .column = "incubated_by", .label = N_("Incubated by"), .label_zh = "孵化机构",
	  .type = DT_TEXT, .width = 18, .max_len = 18, .validate = dict_v_credit_code,
	  .ref_table = "sgz.organization", .ref_column = "credit_code",
	  .ref_hint = "import the organization first" },
	{ .column = "status", .label = N_("Status"), .label_zh = "状态", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 4, .choices = org_statuses, .def = "active" },
};

static const struct dict_check community_org_checks[] = {
	{ .column = "credit_code",
	  .sql = "SELECT _line, 'a registered organisation needs its unified social credit code, "
		 "starting with 5 (registered with civil affairs)'\n"
		 "  FROM stage WHERE registration = 'registered'\n"
		 "   AND (credit_code IS NULL OR credit_code NOT LIKE '5%')" },
	{ .column = "filed_on",
	  .sql = "SELECT _line, 'a filed organisation needs the date it was filed (备案日期)'\n"
		 "  FROM stage WHERE registration = 'filed' AND filed_on IS NULL" },
	{ NULL },
};

const struct dict_entity sgz_community_orgs = {
	.name = "community_orgs", .table = "sgz.community_org",
	.label = N_("Community organisations"), .label_one = "Community organisation",
	.label_zh = "社区社会组织", .fields = community_org_fields,
	.nfields = SGZ_ARRAY_LEN(community_org_fields), .scope_column = "community",
	.checks = community_org_checks, .shown = "r.name",
};

/* ---- outreach visits ---- */

static const struct dict_field outreach_visit_fields[] = {
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "visit_date", .label = N_("Visit date"), .label_zh = "走访日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "village", .label = N_("Village"), .label_zh = "村(社区)", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_STICKY, .width = 12,
	  .validate = v_community, .ref_table = "sgz.division", .ref_column = "code",
	  .ref_hint = "import the village into divisions first" },
	{ .column = "address", .label = N_("Address"), .label_zh = "住户地址", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 20, .max_len = 200 },
	F_PERSON("worker", N_("Worker"), "走访社工", DF_REQUIRED | DF_STICKY, "sgz.staff"),
	{ .column = "persons", .label = N_("Persons"), .label_zh = "户内人数", .type = DT_INT,
	  .width = 4, .min = 0, .max = 100 },
	{ .column = "needs", .label = N_("Needs"), .label_zh = "需求类别", .type = DT_CHOICES,
	  .flags = DF_LIST, .width = 16, .choices = sgz_recipient_categories },
	F_PERSON("recipient", N_("Recipient"), "服务对象", 0, "sgz.recipient"),
	{ .column = "summary", .label = N_("Summary"), .label_zh = "走访记录", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 30, .max_len = 4000 },
};

static const struct dict_check outreach_visit_checks[] = {
	{ .column = "village",
	  .sql = "SELECT s._line, format('village %s is not in the township of station %s', "
		 "s.village, s.station)\n"
		 "  FROM stage s WHERE left(s.village, 9) <> left(s.station, 9)" },
	{ .column = "visit_date",
	  .sql = "SELECT _line, format('%s is in the future', visit_date)\n"
		 "  FROM stage WHERE visit_date::date > current_date" },
	{ .column = "worker",
	  .sql = "SELECT s._line, format('worker %s is not an active staff member of station %s on "
		 "%s', s.worker, s.station, s.visit_date)\n"
		 "  FROM stage s WHERE NOT EXISTS (SELECT 1 FROM sgz.staff_v t\n"
		 "    WHERE t.pid = s.worker_pid AND t.station = s.station\n"
		 "      AND t.hired_on <= s.visit_date::date\n"
		 "      AND (t.left_on IS NULL OR t.left_on > s.visit_date::date))" },
	{ .column = "recipient",
	  .sql = "SELECT s._line, format('recipient %s is not registered: import the recipient "
		 "first', s.recipient)\n"
		 "  FROM stage s WHERE s.recipient IS NOT NULL AND s.recipient_pid IS NULL" },
	{ NULL },
};

const struct dict_entity sgz_outreach_visits = {
	.name = "outreach_visits", .table = "sgz.outreach_visit", .label = N_("Outreach visits"),
	.label_one = "Outreach visit", .label_zh = "入户走访", .fields = outreach_visit_fields,
	.nfields = SGZ_ARRAY_LEN(outreach_visit_fields), .scope_column = "station",
	.checks = outreach_visit_checks, .view = "sgz.outreach_visit_v",
};

/* ---- supervisions ---- */

static const struct dict_field supervision_fields[] = {
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "held_on", .label = N_("Held on"), .label_zh = "督导日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "督导方式", .type = DT_CHOICE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST, .width = 8, .choices = supervision_kinds },
	{ .column = "supervisor", .label = N_("Supervisor"), .label_zh = "督导人", .type = DT_TEXT,
	  .flags = DF_SEARCH | DF_LIST, .width = 8, .max_len = 100 },
	F_HOURS("时长(小时)"),
	F_ATTENDEES("held_on", "station"),
	{ .column = "topics", .label = N_("Topics"), .label_zh = "督导内容", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 30, .max_len = 4000 },
};

static const struct dict_check supervision_checks[] = {
	{ .column = "attendees",
	  .sql = ATTENDEE_CHECK("held_on", " OR t.station <> s.station",
				"attendee %s is not an active staff member of station %s on %s",
				"a, s.station, s.held_on") },
	{ NULL },
};

const struct dict_entity sgz_supervisions = {
	.name = "supervisions", .table = "sgz.supervision", .label = N_("Supervisions"),
	.label_one = "Supervision", .label_zh = "督导", .fields = supervision_fields,
	.nfields = SGZ_ARRAY_LEN(supervision_fields), .scope_column = "station",
	.checks = supervision_checks, .view = "sgz.supervision_v",
};

/* ---- trainings ---- */

static const struct dict_field training_fields[] = {
	{ .column = "title", .label = N_("Title"), .label_zh = "培训名称", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 20, .max_len = 200 },
	{ .column = "starts_on", .label = N_("Starts on"), .label_zh = "开始日期", .type = DT_DATE,
	  .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "organiser", .label = N_("Organiser"), .label_zh = "主办单位", .type = DT_TEXT,
	  .flags = DF_SEARCH | DF_LIST, .width = 12, .max_len = 200 },
	{ .column = "level", .label = N_("Level"), .label_zh = "培训级别", .type = DT_CHOICE,
	  .width = 6, .choices = sgz_registration_levels },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "培训类型", .type = DT_CHOICE,
	  .flags = DF_LIST, .width = 8, .choices = training_kinds },
	F_HOURS("学时"),
	F_ATTENDEES("starts_on", NULL),
};

static const struct dict_check training_checks[] = {
	{ .column = "attendees",
	  .sql = ATTENDEE_CHECK("starts_on", "", "attendee %s is not a staff member active on %s",
				"a, s.starts_on") },
	{ NULL },
};

const struct dict_entity sgz_trainings = {
	.name = "trainings", .table = "sgz.training", .label = N_("Trainings"),
	.label_one = "Training", .label_zh = "培训", .fields = training_fields,
	.nfields = SGZ_ARRAY_LEN(training_fields), .checks = training_checks,
	.view = "sgz.training_v",
};

/* ---- resources ---- */

static const struct dict_field resource_fields[] = {
	F_STATION(DF_KEY | DF_REQUIRED),
	{ .column = "received_on", .label = N_("Received on"), .label_zh = "接收日期",
	  .type = DT_DATE, .flags = DF_KEY | DF_REQUIRED | DF_LIST | DF_NOW, .width = 10 },
	{ .column = "donor", .label = N_("Donor"), .label_zh = "捐赠方", .type = DT_TEXT,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 16, .max_len = 200 },
	{ .column = "kind", .label = N_("Kind"), .label_zh = "资源类型", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 4, .choices = resource_kinds },
	{ .column = "value", .label = N_("Value (yuan)"), .label_zh = "价值(元)", .type = DT_MONEY,
	  .flags = DF_LIST, .width = 10, .min = 0, .max = 999999999999.99, .sql_type = "numeric" },
	{ .column = "description", .label = N_("Description"), .label_zh = "说明", .type = DT_TEXT,
	  .flags = DF_MULTILINE, .width = 20, .max_len = 4000 },
	{ .column = "case_no", .label = N_("Case"), .label_zh = "受助个案", .type = DT_PATTERN,
	  .flags = DF_LIST, .width = 19, .pattern = "^[0-9]{9}-[0-9]{4}-[0-9]{4,}$",
	  .pattern_rule = "not a case number (township-year-sequence, e.g. 120110001-2024-0007)",
	  .ref_table = "sgz.case_file", .ref_column = "case_no",
	  .ref_hint = "import the case first" },
};

static const struct dict_check resource_checks[] = {
	{ .column = "case_no",
	  .sql = "SELECT s._line, format('case %s is of station %s, not %s', s.case_no, c.station, "
		 "s.station)\n"
		 "  FROM stage s JOIN sgz.case_file_v c ON c.case_no = s.case_no\n"
		 " WHERE c.station <> s.station" },
	{ NULL },
};

const struct dict_entity sgz_resources = {
	.name = "resources", .table = "sgz.resource", .label = N_("Charitable resources"),
	.label_one = "Charitable resource", .label_zh = "慈善资源", .fields = resource_fields,
	.nfields = SGZ_ARRAY_LEN(resource_fields), .scope_column = "station",
	.checks = resource_checks,
};
