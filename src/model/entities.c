/* entities.c - the data dictionary's entries: one static table per entity.
 * Adding a field is one line here plus a migration. */
#include "config.h"

#include <string.h>

#include "sgz/dict.h"
#include "sgz/division.h"

/* ---- choice lists (spec/csv.md, Choice codes) ---- */

static const struct dict_choice station_status[] = {
	{ "planned", "规划中" },   { "established", "已挂牌" }, { "operating", "运营中" },
	{ "suspended", "暂停" },   { "closed", "撤销" },	 { NULL, NULL },
};

static const struct dict_choice operation_modes[] = {
	{ "purchased", "购买服务" },
	{ "integrated", "整合人员" },
	{ "mixed", "混合" },
	{ NULL, NULL },
};

static const struct dict_choice facilities[] = {
	{ "office", "办公用房" },	 { "furniture", "桌椅" },	  { "computer", "电脑" },
	{ "printer", "打印机" },	 { "archive_cabinet", "档案柜" }, { "case_room", "个案咨询室" },
	{ "group_room", "小组活动室" }, { NULL, NULL },
};

static const struct dict_choice site_tags[] = {
	{ "relocation", "易地搬迁安置点" }, { "border", "抵边村镇" },
	{ "urban", "城中街道" },	    { "suburban", "城郊街道" },
	{ "large_township", "规模较大乡镇" }, { "arterial", "交通干线沿线" },
	{ NULL, NULL },
};

/* ---- validators ---- */

static int township_only(const char *in, struct strbuf *out, struct sgz_err *err)
{
	if (division_level(in) != DIV_TOWNSHIP) {
		sgz_err_set(err, SGZ_EDATA,
			    "%s is a %s code; a station belongs to a township or street "
			    "(9 significant digits)",
			    in, division_level_name(division_level(in)));
		return -1;
	}
	sb_adds(out, in);
	return 0;
}

/* ---- divisions ---- */

static const struct dict_field division_fields[] = {
	{ .column = "code", .label = "Code", .label_zh = "区划代码", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 12 },
	{ .column = "name", .label = "Name", .label_zh = "名称", .type = DT_TEXT,
	  .flags = DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 24, .max_len = 100 },
	{ .column = "urban_rural", .label = "Urban-rural class", .label_zh = "城乡分类代码",
	  .type = DT_PATTERN, .flags = DF_LIST, .width = 6, .pattern = "^(11[12]|12[123]|2[12]0)$",
	  .pattern_rule = "not an urban-rural class code (111, 112, 121, 122, 123, 210 or 220)" },
	{ .column = "population", .label = "Population", .label_zh = "人口", .type = DT_INT,
	  .flags = DF_LIST, .width = 10, .min = 0, .max = 2000000000, .sql_type = "integer" },
	{ .column = "households", .label = "Households", .label_zh = "户数", .type = DT_INT,
	  .flags = DF_LIST, .width = 10, .min = 0, .max = 2000000000, .sql_type = "integer" },
};

static const struct dict_check division_checks[] = {
	{ "code",
	  "SELECT s._line, format('parent division %s does not exist: add it first, earlier "
	  "in the file', p.parent)\n"
	  "  FROM stage s CROSS JOIN LATERAL (SELECT sgz.division_parent(s.code) AS parent) p\n"
	  " WHERE p.parent IS NOT NULL\n"
	  "   AND NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = p.parent)\n"
	  "   AND NOT EXISTS (SELECT 1 FROM stage q WHERE q.code = p.parent AND q._line < s._line)" },
	{ NULL, NULL },
};

static const struct dict_entity divisions = {
	.name = "divisions",
	.table = "sgz.division",
	.label = "Divisions",
	.label_zh = "行政区划",
	.fields = division_fields,
	.nfields = SGZ_ARRAY_LEN(division_fields),
	.scope_column = "code",
	.checks = division_checks,
};

/* ---- stations ---- */

static const struct dict_field station_fields[] = {
	{ .column = "township", .label = "Township", .label_zh = "乡镇(街道)", .type = DT_DIVISION,
	  .flags = DF_KEY | DF_REQUIRED | DF_SEARCH | DF_LIST, .width = 12,
	  .validate = township_only },
	{ .column = "name", .label = "Name", .label_zh = "站点名称", .type = DT_TEXT,
	  .flags = DF_SEARCH | DF_LIST, .width = 30, .max_len = 100 },
	{ .column = "batch_year", .label = "Batch year", .label_zh = "建设批次", .type = DT_INT,
	  .flags = DF_LIST, .width = 6, .min = 2000, .max = 2100, .sql_type = "smallint" },
	{ .column = "status", .label = "Status", .label_zh = "状态", .type = DT_CHOICE,
	  .flags = DF_REQUIRED | DF_LIST, .width = 8, .choices = station_status },
	{ .column = "established_on", .label = "Established on", .label_zh = "挂牌日期",
	  .type = DT_DATE, .flags = DF_LIST, .width = 10 },
	{ .column = "operation_mode", .label = "Operation mode", .label_zh = "运营方式",
	  .type = DT_CHOICE, .width = 8, .choices = operation_modes },
	{ .column = "organization", .label = "Organization", .label_zh = "承接机构",
	  .type = DT_PATTERN, .width = 18, .pattern = "^[0-9A-HJ-NPQRTUW-Y]{18}$",
	  .pattern_rule = "not a unified social credit code (18 characters)" },
	{ .column = "signage", .label = "Signage", .label_zh = "统一标识", .type = DT_BOOL,
	  .width = 4 },
	{ .column = "party_group", .label = "Party group", .label_zh = "党组织", .type = DT_BOOL,
	  .width = 4 },
	{ .column = "facilities", .label = "Facilities", .label_zh = "设施配备", .type = DT_CHOICES,
	  .width = 20, .choices = facilities },
	{ .column = "site_tags", .label = "Site tags", .label_zh = "站点类型", .type = DT_CHOICES,
	  .width = 20, .choices = site_tags },
};

static const struct dict_check station_checks[] = {
	{ "township",
	  "SELECT s._line, format('township %s is not in the division list', s.township)\n"
	  "  FROM stage s\n"
	  " WHERE NOT EXISTS (SELECT 1 FROM sgz.division d WHERE d.code = s.township)" },
	{ "batch_year",
	  "SELECT s._line, 'a planned station needs a batch year'\n"
	  "  FROM stage s WHERE s.status = 'planned' AND s.batch_year IS NULL" },
	{ "established_on",
	  "SELECT s._line, format('a station with status %s needs the date it was established "
	  "(挂牌日期)', s.status)\n"
	  "  FROM stage s WHERE s.status <> 'planned' AND s.established_on IS NULL" },
	{ NULL, NULL },
};

static const struct dict_entity stations = {
	.name = "stations",
	.table = "sgz.station",
	.label = "Stations",
	.label_zh = "社工站",
	.fields = station_fields,
	.nfields = SGZ_ARRAY_LEN(station_fields),
	.scope_column = "township",
	.checks = station_checks,
};

const struct dict_entity *const sgz_entities[] = { &divisions, &stations };
const size_t sgz_entities_count = SGZ_ARRAY_LEN(sgz_entities);
