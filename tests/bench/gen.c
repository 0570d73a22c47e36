/* gen.c - the benchmark data set of spec/bench.md: one province's social
 * work stations, staff, volunteers, hours, recipients, cases, visits,
 * contracts, evaluations and plans, in the import formats of spec/csv.md
 * and valid by spec/rules.md, so that `sgz import` takes every file (with
 * warnings, such as hours entered long after the service).
 *
 * Deterministic: the same options (and --today) give the same bytes. Its
 * own PRNG (splitmix64), one stream per entity; never rand(). Standalone:
 * C11 and libc only.
 *
 *   cc -O2 -o gen tests/bench/gen.c
 *   gen --divisions data/divisions-2022.csv --province 13 --scale 1 --seed 42 --out DIR
 *   gen ... --only hours --rows 1000000 --out DIR2
 *   gen ... --years 10 --out DIR3          # hours and visits of ten years
 *   gen ... --years 10 --year 2020 --only hours --out DIR4
 *
 * Files, in import order (the national division file itself comes first,
 * as given): divisions-villages.csv organizations.csv stations.csv
 * service_points.csv staff.csv volunteers.csv activities.csv hours.csv
 * recipients.csv cases.csv visits.csv indicators.csv programmes.csv
 * contracts.csv evaluations.csv evaluation_scores.csv payments.csv plans.csv community_orgs.csv supervisions.csv trainings.csv. Villages are generated for every township of the province and
 * do not change with --scale; every other count is multiplied by it. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- sizes at scale 1 (spec/bench.md) ---- */

#define BASE_STATIONS	2000
#define BASE_ORGS	50
#define BASE_STAFF	6000
#define BASE_VOLUNTEERS 200000
#define BASE_HOURS	5000000L
#define BASE_RECIPIENTS 100000
#define BASE_CASES	120000
#define BASE_VISITS	400000L
#define BASE_CONTRACTS	500

/* ---- allocation ---- */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "gen: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "gen: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "gen: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* ---- PRNG: splitmix64, one stream per purpose ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static struct rng rng_stream(uint64_t seed, uint64_t stream)
{
	struct rng r = {seed};
	struct rng m = {stream * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL};

	r.s ^= rng_next(&m);
	rng_next(&r);
	return r;
}

/* 0 <= result < n. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* lo <= result <= hi. */
static int rng_range(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int rng_pct(struct rng *r, int pct)
{
	return (int)rng_below(r, 100) < pct;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])
#define COUNT(arr)   ((int)(sizeof(arr) / sizeof((arr)[0])))

/* ---- dates: days since 1970-01-01 ---- */

static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int year_of(int day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

/* Every date from 1900 to 2100 as YYYY-MM-DD, formatted once. */
static int date_base, date_count;
static char (*date_text)[11];

static void dates_init(void)
{
	date_base = days_from_civil(1900, 1, 1);
	date_count = days_from_civil(2101, 1, 1) - date_base;
	date_text = xmalloc((size_t)date_count * sizeof(*date_text));
	for (int i = 0; i < date_count; i++) {
		int y, m, d;
		civil_from_days(date_base + i, &y, &m, &d);
		snprintf(date_text[i], sizeof(date_text[i]), "%04d-%02d-%02d", y, m, d);
	}
}

static const char *date_str(int day)
{
	if (day < date_base || day >= date_base + date_count) {
		fprintf(stderr, "gen: date out of range (%d)\n", day);
		exit(1);
	}
	return date_text[day - date_base];
}

/* ---- buffered CSV output ---- */

struct out {
	FILE *f;
	char *path;
	char *buf;
	size_t len, cap;
	long rows;
};

static struct out *out_open(const char *dir, const char *name, const char *header)
{
	struct out *o = xcalloc(1, sizeof(*o));
	size_t n = strlen(dir) + strlen(name) + 2;

	o->path = xmalloc(n);
	snprintf(o->path, n, "%s/%s", dir, name);
	o->f = fopen(o->path, "wb");
	if (!o->f) {
		fprintf(stderr, "gen: %s: %s\n", o->path, strerror(errno));
		exit(1);
	}
	o->cap = 1 << 20;
	o->buf = xmalloc(o->cap);
	o->len = 0;
	size_t h = strlen(header);
	memcpy(o->buf, header, h);
	o->buf[h] = '\n';
	o->len = h + 1;
	return o;
}

static void out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
		fprintf(stderr, "gen: %s: %s\n", o->path, strerror(errno));
		exit(1);
	}
	o->len = 0;
}

static void out_need(struct out *o, size_t n)
{
	if (o->len + n > o->cap) {
		out_flush(o);
		if (n > o->cap) {
			o->cap = n;
			o->buf = xrealloc(o->buf, o->cap);
		}
	}
}

static void out_raw(struct out *o, const char *s, size_t n)
{
	out_need(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_s(struct out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

static void out_c(struct out *o, char c)
{
	out_need(o, 1);
	o->buf[o->len++] = c;
}

/* A field, quoted when it holds a comma, quote or line break (RFC 4180). */
static void out_field(struct out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		out_s(o, s);
		return;
	}
	out_c(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			out_c(o, '"');
		out_c(o, *s);
	}
	out_c(o, '"');
}

static void out_long(struct out *o, long v)
{
	char b[24];
	int n = 0;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;

	do {
		b[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[n++] = '-';
	out_need(o, (size_t)n);
	while (n)
		o->buf[o->len++] = b[--n];
}

/* Tenths as a number with at most one decimal: 35 -> 3.5, 20 -> 2. */
static void out_tenths(struct out *o, int t)
{
	out_long(o, t / 10);
	if (t % 10) {
		out_c(o, '.');
		out_c(o, (char)('0' + t % 10));
	}
}

static void out_date(struct out *o, int day)
{
	out_raw(o, date_str(day), 10);
}

static void out_end_row(struct out *o)
{
	out_c(o, '\n');
	o->rows++;
}

static long out_close(struct out *o)
{
	long rows = o->rows;

	out_flush(o);
	if (fclose(o->f) != 0) {
		fprintf(stderr, "gen: %s: %s\n", o->path, strerror(errno));
		exit(1);
	}
	free(o->buf);
	free(o->path);
	free(o);
	return rows;
}

/* ---- word lists ---- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",   "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",   "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余",   "杜",
    "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",   "谭",
    "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹",   "孟",
    "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶",   "黎",
    "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "孔", "欧阳", "司马",
};

static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建",
    "国", "文", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "欣",
    "佳", "雪", "梅", "琳", "晨", "阳", "婷", "倩", "颖", "慧", "莉", "丹", "兰", "凤", "海",
    "亮", "成", "志", "新", "春", "燕", "波", "东", "飞", "峰", "鑫", "博", "瑞", "子", "嘉",
    "怡", "思", "雨", "晓", "天", "一", "诗", "梓", "涵", "泽", "睿", "轩", "欢", "蕾", "冬",
    "秋", "月", "光", "荣", "福", "贵", "德", "胜", "利", "庆", "云", "山",
};

static const char *const village_head[] = {
    "东", "西", "南", "北", "前", "后", "大", "小", "上", "下", "新", "老", "王", "李", "张", "刘",
    "陈", "杨", "赵", "黄", "周", "吴", "马", "孙", "高", "石", "柳", "杏", "桃", "柏", "榆", "槐",
};

static const char *const village_tail[] = {
    "庄", "营", "屯", "堡", "河", "沟", "坡", "店", "集", "寨",
    "口", "湾", "桥", "岭", "台", "头", "家", "坊", "园", "峪",
};

static const char *const community_head[] = {
    "幸福", "和平", "建设", "光明", "振兴", "团结", "胜利", "朝阳", "新华", "文化",
    "育才", "康宁", "锦绣", "友谊", "永安", "长青", "民主", "安居", "春晖", "和美",
};

static const char *const org_brand[] = {
    "乐群", "同心", "阳光", "启航", "和谐", "善源", "仁爱", "益众", "馨家", "明德",
    "众和", "惠民", "春雨", "协力", "恒爱", "百合", "致远", "守望", "融和", "绿荫",
};

static const char *const skills_list[] = {
    "理发", "义诊", "法律咨询", "心理疏导", "家电维修", "书法",	    "摄影",	"急救",
    "手语", "烹饪", "辅导作业", "驾驶",	    "电脑维修", "文艺演出", "中医推拿",
};

static const char *const hour_notes[] = {
    "入户探访", "助老服务", "环境整治", "文明劝导", "图书整理",
    "陪伴就医", "爱心助学", "防疫值守", "助残服务", "代购代办",
};

static const char *const close_reasons[] = {
    "目标达成", "服务对象迁出", "转介至专业机构", "服务对象主动终止", "问题已解决", "服务对象去世",
};

static const char *const visit_summaries[] = {
    "入户了解家庭生活情况", "电话回访服务需求",	  "协助申请救助",     "陪同就医复查",
    "心理疏导与情绪支持",   "联系村委会协调资源", "评估家庭照料能力", "链接志愿者上门服务",
};

static const char *const evaluators[] = {
    "省社会工作评估中心",
    "某第三方评估机构",
    "市社会工作者协会",
    "某大学社会工作系",
};

/* Activity kinds and what they are called. */
enum { AK_LARGE, AK_SMALL, AK_TRAINING, AK_GROUP, AK_MEETING, AK_N };

static const char *const act_kind_code[AK_N] = {
    "large_event", "small_event", "training", "group_session", "meeting",
};

static const char *const act_theme[AK_N][8] = {
    {"学雷锋志愿服务日", "重阳节敬老活动", "社区邻里节", "春节送温暖活动", "国际志愿者日主题活动",
     "六一儿童节游园会", "中秋团圆活动", "全民健身运动会"},
    {"健康义诊", "便民理发", "防诈骗宣传", "垃圾分类宣传", "四点半课堂", "读书分享会", "手工制作",
     "法律咨询进村"},
    {"社工能力提升培训", "志愿者骨干培训", "心理健康知识培训", "个案管理实务培训", "消防安全培训",
     "政策法规培训", "急救知识培训", "督导培训"},
    {"老年人互助小组", "青少年成长小组", "妇女增能小组", "残疾人康复小组", "亲子沟通小组",
     "照顾者支持小组", "留守儿童陪伴小组", "健康生活小组"},
    {"居民议事会", "村民议事会", "志愿服务恳谈会", "民生微实事议事会", "邻里议事会",
     "老年协会议事会", "环境整治议事会", "服务需求座谈会"},
};

/* Per station and year: 2 large events, 6 small ones, 4 trainings, 2 group
 * sessions, 1 meeting (seed 002 annex 2 targets, a little over). */
static const int act_year_plan[] = {
    AK_LARGE,	 AK_LARGE,    AK_SMALL,	   AK_SMALL,	AK_SMALL, AK_SMALL, AK_SMALL,	AK_SMALL,
    AK_TRAINING, AK_TRAINING, AK_TRAINING, AK_TRAINING, AK_GROUP, AK_GROUP, AK_MEETING,
};

/* ---- identity numbers ---- */

/* GB 11643-1999: the check character of 17 digits. */
static char idnum_check(const char *d17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (d17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* The ID numbers handed out so far (the first 17 digits as a number), so that
 * none repeats across staff, volunteers and recipients. */
static uint64_t *id_set;
static size_t id_cap, id_used;

static int id_claim(uint64_t v)
{
	if ((id_used + 1) * 2 > id_cap) {
		size_t ncap = id_cap ? id_cap * 2 : 1 << 16;
		uint64_t *n = xcalloc(ncap, sizeof(*n));
		for (size_t i = 0; i < id_cap; i++) {
			if (!id_set[i])
				continue;
			size_t j = (size_t)((id_set[i] * 0x9E3779B97F4A7C15ULL) >> 20) & (ncap - 1);
			while (n[j])
				j = (j + 1) & (ncap - 1);
			n[j] = id_set[i];
		}
		free(id_set);
		id_set = n;
		id_cap = ncap;
	}
	size_t j = (size_t)((v * 0x9E3779B97F4A7C15ULL) >> 20) & (id_cap - 1);
	while (id_set[j]) {
		if (id_set[j] == v)
			return 0;
		j = (j + 1) & (id_cap - 1);
	}
	id_set[j] = v;
	id_used++;
	return 1;
}

/* A new, never-used ID number: address code `area` (6 digits), born on `birth`. */
static void idnum_make(struct rng *r, const char *area, int birth, char out[19])
{
	int y, m, d;

	civil_from_days(birth, &y, &m, &d);
	for (;;) {
		int seq = rng_range(r, 1, 999);
		snprintf(out, 19, "%.6s%04d%02d%02d%03d", area, y, m, d, seq);
		uint64_t v = strtoull(out, NULL, 10);
		if (id_claim(v))
			break;
	}
	out[17] = idnum_check(out);
	out[18] = '\0';
}

/* GB 32100-2015 alphabet and check character. */
static const char cc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static char credit_check(const char *c17)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (int)(strchr(cc_alpha, c17[i]) - cc_alpha) * w[i];
	int c = 31 - s % 31;
	return cc_alpha[c == 31 ? 0 : c];
}

/* GB 11714-1997: the check character of an 8-character organisation code. */
static char orgcode_check(const char *c8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	for (int i = 0; i < 8; i++) {
		int v = c8[i] >= 'A' ? c8[i] - 'A' + 10 : c8[i] - '0';
		s += v * w[i];
	}
	int c = 11 - s % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* A unified social credit code: kind "52" (民办非企业单位), "51" (社会团体), "91"
 * (enterprise); area: 6-digit registration division. */
static void credit_make(struct rng *r, const char *kind, const char *area, char out[19])
{
	char body[9];

	snprintf(body, sizeof(body), "%s%06u", kind[0] == '9' ? "MA" : "MJ",
		 (unsigned)rng_below(r, 1000000));
	body[8] = '\0';
	snprintf(out, 19, "%.2s%.6s%.8s", kind, area, body);
	out[16] = orgcode_check(body);
	out[17] = credit_check(out);
	out[18] = '\0';
}

static void phone_make(struct rng *r, char out[12])
{
	static const char *const prefixes[] = {"13", "15", "18", "17", "19", "14", "16"};

	snprintf(out, 12, "%s%09u", PICK(r, prefixes), (unsigned)rng_below(r, 1000000000));
}

static void name_make(struct rng *r, char *out, size_t n)
{
	if (rng_pct(r, 35))
		snprintf(out, n, "%s%s", PICK(r, surnames), PICK(r, given));
	else
		snprintf(out, n, "%s%s%s", PICK(r, surnames), PICK(r, given), PICK(r, given));
}

/* ---- the model ---- */

struct county {
	char code[13]; /* 12-digit code of the purchaser: the county, or the prefecture */
	char *name;
	int ntowns;	/* eligible townships (digits 7-9 < 400) */
	int first_town; /* index into towns, which are grouped by county */
	int nstations;	/* stations generated in it */
	int order;	/* position in the seeded county order */
	int org;	/* the organisation that runs its purchased stations */
};

struct village {
	char code[13];
	char name[32];
};

struct town {
	char code[13];
	char *name;
	int county;
	int nvill, first_vill;
};

enum { ST_PLANNED, ST_ESTABLISHED, ST_OPERATING, ST_SUSPENDED };
static const char *const station_status_code[] = {"planned", "established", "operating",
						  "suspended"};

struct station {
	int town;
	int status;
	int batch_year;
	int established; /* day, or -1 when planned */
	int mode;	 /* 0 purchased, 1 integrated, 2 mixed; -1 none */
	int org;	 /* organisation index or -1 */
	int first_staff, nstaff;
	int first_act, nact;
	int *recs; /* recipient indices */
	int nrec, caprec;
};

struct org {
	char code[19];
	int eligible;
};

enum { R_HEAD, R_FULLTIME, R_RESIDENT, R_POINT, R_SUPERVISOR, R_LEAD, R_COORD, R_ASSIST };
static const char *const role_code[] = {"head",	      "fulltime",     "resident",    "point_worker",
					"supervisor", "project_lead", "coordinator", "assistant"};

struct staff {
	char id[19];
	int station;
	int role;
	int hired, left; /* left = -1 while employed */
};

struct volunteer {
	char id[19];
	int station;
	int registered;
};

struct activity {
	int date;
	unsigned char kind, theme, seq;
};

struct recipient {
	char id[19];
	int station;
};

struct case_file {
	int station, rec, worker;
	int opened, closed; /* closed = -1 while open */
	int seq;
	unsigned char status, method, risk, reason;
};

struct model {
	uint64_t seed;
	double scale;
	char province[3];
	char *province_name;
	int today, end; /* end = today - 1: the last day anything happened */
	int end_year;
	int years;	/* --years: hours and visits of that many calendar years, or 0 */
	int year_only;	/* --year: only that year's hours, or 0 */
	int first_year; /* end_year - years + 1 */

	struct county *counties;
	int ncounties;
	struct town *towns;
	int ntowns;
	struct village *villages;
	int nvillages;

	struct org *orgs;
	int norgs;
	int *eligible;
	int neligible;

	struct station *stations;
	int nstations;
	int *active; /* stations that are not planned */
	int nactive;

	struct staff *staff;
	int nstaff;
	struct volunteer *vols;
	int nvols;
	struct activity *acts;
	int nacts;
	struct recipient *recs;
	int nrecs;
	struct case_file *cases;
	int ncases;

	long nhours, nvisits;
	int ncontracts;
};

/* ---- divisions ---- */

struct division_row {
	char code[13];
	char *name;
};

static int div_cmp(const void *a, const void *b)
{
	return strcmp(((const struct division_row *)a)->code,
		      ((const struct division_row *)b)->code);
}

static const struct division_row *div_find(const struct division_row *rows, int n, const char *code)
{
	struct division_row key;

	memcpy(key.code, code, 13);
	return bsearch(&key, rows, (size_t)n, sizeof(*rows), div_cmp);
}

static void read_divisions(struct model *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	char line[1024];
	struct division_row *rows = NULL;
	int n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line;
		if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
		    (unsigned char)s[2] == 0xBF)
			s += 3;
		s[strcspn(s, "\r\n")] = '\0';
		char *comma = strchr(s, ',');
		if (!comma || comma - s != 12 || strncmp(s, m->province, 2) != 0)
			continue;
		*comma = '\0';
		char *name = comma + 1;
		if (*name == '"') {
			name++;
			name[strcspn(name, "\"")] = '\0';
		}
		name[strcspn(name, ",")] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			rows = xrealloc(rows, (size_t)cap * sizeof(*rows));
		}
		memcpy(rows[n].code, s, 13);
		rows[n].name = xstrdup(name);
		if (strcmp(s + 2, "0000000000") == 0)
			m->province_name = xstrdup(name);
		n++;
	}
	fclose(f);
	if (n == 0 || !m->province_name) {
		fprintf(stderr, "gen: %s: no division of province %s\n", path, m->province);
		exit(1);
	}
	qsort(rows, (size_t)n, sizeof(*rows), div_cmp);

	/* Townships: level 4 (digits 10-12 zero, 7-9 not), digits 7-9 below 400. */
	m->towns = xcalloc((size_t)n, sizeof(*m->towns));
	m->counties = xcalloc((size_t)n, sizeof(*m->counties));
	for (int i = 0; i < n; i++) {
		const char *c = rows[i].code;
		if (strcmp(c + 9, "000") != 0 || strncmp(c + 6, "000", 3) == 0)
			continue;
		if (strncmp(c + 6, "400", 3) >= 0)
			continue;
		char county[13];
		snprintf(county, sizeof(county), "%.6s000000", c);
		const struct division_row *cd = div_find(rows, n, county);
		if (!cd || strncmp(c + 4, "00", 2) == 0) {
			snprintf(county, sizeof(county), "%.4s00000000", c);
			cd = div_find(rows, n, county);
		}
		if (!cd)
			continue;
		int ci = m->ncounties - 1;
		if (ci < 0 || strcmp(m->counties[ci].code, county) != 0) {
			ci = m->ncounties++;
			memcpy(m->counties[ci].code, county, 13);
			m->counties[ci].name = xstrdup(cd->name);
			m->counties[ci].first_town = m->ntowns;
		}
		struct town *t = &m->towns[m->ntowns++];
		memcpy(t->code, c, 13);
		t->name = xstrdup(rows[i].name);
		t->county = ci;
		m->counties[ci].ntowns++;
	}
	for (int i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
	if (m->ntowns == 0) {
		fprintf(stderr, "gen: %s: province %s has no townships\n", path, m->province);
		exit(1);
	}
}

/* Villages of every township of the province (not scaled): streets get
 * communities (001-199), towns a community or two and villages (200-399),
 * townships mostly villages. Seeded by the township code, so a township's
 * villages do not depend on the rest. */
static void make_villages(struct model *m, struct out *o)
{
	int cap = m->ntowns * 9;

	m->villages = xcalloc((size_t)cap, sizeof(*m->villages));
	for (int ti = 0; ti < m->ntowns; ti++) {
		struct town *t = &m->towns[ti];
		struct rng r = rng_stream(m->seed, 1000000000ULL + strtoull(t->code, NULL, 10));
		int tt = atoi((char[4]){t->code[6], t->code[7], t->code[8], 0});
		int ncomm, nvill;
		if (tt < 100) {
			ncomm = rng_range(&r, 3, 6);
			nvill = 0;
		} else if (tt < 200) {
			ncomm = rng_range(&r, 1, 2);
			nvill = rng_range(&r, 3, 6);
		} else {
			ncomm = rng_range(&r, 0, 1);
			nvill = rng_range(&r, 3, 7);
		}
		t->first_vill = m->nvillages;
		t->nvill = ncomm + nvill;
		int used_c[COUNT(community_head)] = {0};
		for (int k = 0; k < ncomm; k++) {
			struct village *v = &m->villages[m->nvillages++];
			int h;
			do
				h = (int)rng_below(&r, COUNT(community_head));
			while (used_c[h]);
			used_c[h] = 1;
			snprintf(v->code, sizeof(v->code), "%.9s%03d", t->code, k + 1);
			snprintf(v->name, sizeof(v->name), "%s社区", community_head[h]);
			int pop = rng_range(&r, 3000, 12000);
			out_s(o, v->code);
			out_c(o, ',');
			out_field(o, v->name);
			out_s(o, tt < 100 ? ",111," : ",121,");
			out_long(o, pop);
			out_c(o, ',');
			out_long(o, pop * 10 / rng_range(&r, 26, 32));
			out_end_row(o);
		}
		unsigned char used_v[COUNT(village_head) * COUNT(village_tail)] = {0};
		for (int k = 0; k < nvill; k++) {
			struct village *v = &m->villages[m->nvillages++];
			int h;
			do
				h = (int)rng_below(&r, COUNT(village_head) * COUNT(village_tail));
			while (used_v[h]);
			used_v[h] = 1;
			snprintf(v->code, sizeof(v->code), "%.9s%03d", t->code, 200 + k + 1);
			snprintf(v->name, sizeof(v->name), "%s%s村",
				 village_head[h / COUNT(village_tail)],
				 village_tail[h % COUNT(village_tail)]);
			int pop = rng_range(&r, 600, 4000);
			out_s(o, v->code);
			out_c(o, ',');
			out_field(o, v->name);
			out_s(o, rng_pct(&r, 15) ? ",210," : ",220,");
			out_long(o, pop);
			out_c(o, ',');
			out_long(o, pop * 10 / rng_range(&r, 26, 34));
			out_end_row(o);
		}
	}
}

/* ---- organisations ---- */

static void make_orgs(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 1);
	int n = (int)(BASE_ORGS * m->scale + 0.5);

	if (n < 2)
		n = 2;
	m->norgs = n;
	m->orgs = xcalloc((size_t)n, sizeof(*m->orgs));
	m->eligible = xcalloc((size_t)n, sizeof(int));
	for (int i = 0; i < n; i++) {
		struct org *g = &m->orgs[i];
		const struct county *c = &m->counties[rng_below(&r, (uint32_t)m->ncounties)];
		/* One in 25 is not eligible (a company, or a violation record). */
		int kind = i % 25 == 24 ? (i % 50 == 49 ? 2 : 1) : 0;
		int level = kind == 2 ? -1 : rng_pct(&r, 75) ? 0 : rng_pct(&r, 70) ? 1 : 2;
		static const char *const level_code[] = {"county", "prefecture", "province"};
		char area[7];
		if (level == 1)
			snprintf(area, sizeof(area), "%.4s00", c->code);
		else if (level == 2)
			snprintf(area, sizeof(area), "%.2s0000", c->code);
		else
			snprintf(area, sizeof(area), "%.6s", c->code);
		credit_make(&r, kind == 2 ? "91" : rng_pct(&r, 85) ? "52" : "51", area, g->code);
		g->eligible = kind == 0;
		if (g->eligible)
			m->eligible[m->neligible++] = i;
		char name[256];
		if (kind == 2)
			snprintf(name, sizeof(name), "%s%s信息科技有限公司", c->name,
				 PICK(&r, org_brand));
		else
			snprintf(name, sizeof(name), "%s%s社会工作服务%s",
				 level == 2 ? m->province_name : c->name,
				 org_brand[i % COUNT(org_brand)],
				 i / COUNT(org_brand) ? "社" : "中心");
		int full = rng_range(&r, 4, 60);
		out_s(o, g->code);
		out_c(o, ',');
		out_field(o, name);
		out_c(o, ',');
		out_date(o, days_from_civil(rng_range(&r, 2008, 2019), rng_range(&r, 1, 12),
					    rng_range(&r, 1, 28)));
		out_c(o, ',');
		if (level >= 0)
			out_s(o, level_code[level]);
		out_s(o, kind == 2 ? ",no,yes,no," : kind == 1 ? ",yes,yes,yes," : ",yes,yes,no,");
		out_long(o, full);
		out_c(o, ',');
		out_long(o, rng_range(&r, 2, full));
		out_end_row(o);
	}
}

/* ---- stations and service points ---- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static void make_stations(struct model *m, struct out *o, struct out *op)
{
	struct rng r = rng_stream(m->seed, 2);
	int want = (int)(BASE_STATIONS * m->scale + 0.5);
	int *order = xmalloc((size_t)m->ncounties * sizeof(int));
	int *picked = xmalloc((size_t)m->ntowns * sizeof(int));
	int npicked = 0;

	if (want < 1)
		want = 1;
	if (want > m->ntowns) {
		fprintf(stderr, "gen: province %s has %d townships: %d stations, not %d\n",
			m->province, m->ntowns, m->ntowns, want);
		want = m->ntowns;
	}
	/* Counties in a seeded order, each taken whole: a small scale is a county
	 * or two, the way a deployment starts. */
	for (int i = 0; i < m->ncounties; i++)
		order[i] = i;
	for (int i = m->ncounties - 1; i > 0; i--) {
		int j = (int)rng_below(&r, (uint32_t)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < m->ncounties; i++)
		m->counties[order[i]].order = i;
	for (int i = 0; i < m->ncounties && npicked < want; i++) {
		struct county *c = &m->counties[order[i]];
		for (int k = 0; k < c->ntowns && npicked < want; k++)
			picked[npicked++] = c->first_town + k;
		c->org = m->eligible[rng_below(&r, (uint32_t)m->neligible)];
	}
	qsort(picked, (size_t)npicked, sizeof(int), cmp_int);

	m->nstations = npicked;
	m->stations = xcalloc((size_t)npicked, sizeof(*m->stations));
	m->active = xmalloc((size_t)npicked * sizeof(int));
	for (int i = 0; i < npicked; i++) {
		struct station *s = &m->stations[i];
		const struct town *t = &m->towns[picked[i]];
		int tt = atoi((char[4]){t->code[6], t->code[7], t->code[8], 0});
		s->town = picked[i];
		m->counties[t->county].nstations++;
		int p = (int)rng_below(&r, 100);
		s->status = p < 3    ? ST_PLANNED
			    : p < 5  ? ST_SUSPENDED
			    : p < 30 ? ST_ESTABLISHED
				     : ST_OPERATING;
		s->org = -1;
		s->mode = -1;
		s->established = -1;
		out_s(o, t->code);
		out_s(o, ",,");
		if (s->status == ST_PLANNED) {
			s->batch_year = m->end_year + (int)rng_below(&r, 2);
			out_long(o, s->batch_year);
			out_s(o, ",planned,,,,no,no,,");
			out_end_row(o);
			continue;
		}
		m->active[m->nactive++] = i;
		/* --years N: every station open before the first of the N years. */
		s->batch_year = m->end_year - (m->years ? m->years + 4 : 6) + (int)rng_below(&r, 5);
		s->established = days_from_civil(s->batch_year, 1, 1) + rng_range(&r, 60, 330);
		int mp = (int)rng_below(&r, 100);
		s->mode = mp < 70 ? 0 : mp < 85 ? 1 : 2;
		if (s->mode != 1)
			s->org = m->counties[t->county].org;
		out_long(o, s->batch_year);
		out_c(o, ',');
		out_s(o, station_status_code[s->status]);
		out_c(o, ',');
		out_date(o, s->established);
		out_c(o, ',');
		static const char *const mode_code[] = {"purchased", "integrated", "mixed"};
		out_s(o, mode_code[s->mode]);
		out_c(o, ',');
		if (s->org >= 0)
			out_s(o, m->orgs[s->org].code);
		out_s(o, rng_pct(&r, 90) ? ",yes," : ",no,");
		out_s(o, rng_pct(&r, 70) ? "yes," : "no,");
		static const char *const fac[] = {"furniture",	     "computer",  "printer",
						  "archive_cabinet", "case_room", "group_room"};
		out_s(o, "office");
		for (int k = 0; k < COUNT(fac); k++)
			if (rng_pct(&r, 65)) {
				out_c(o, ';');
				out_s(o, fac[k]);
			}
		out_c(o, ',');
		if (tt < 100)
			out_s(o, rng_pct(&r, 60) ? "urban" : "suburban");
		else if (tt < 200)
			out_s(o, rng_pct(&r, 30)   ? "large_township;arterial"
				 : rng_pct(&r, 40) ? "arterial"
						   : "");
		else if (rng_pct(&r, 10))
			out_s(o, "relocation");
		out_end_row(o);

		/* Service points: 0-3, each serving one or two villages of its own
		 * township, no village twice. */
		int np = rng_range(&r, 0, 3), next = 0;
		for (int k = 0; k < np && next < t->nvill; k++) {
			const struct village *v = &m->villages[t->first_vill + next];
			int nv = rng_range(&r, 1, 2);
			if (next + nv > t->nvill)
				nv = t->nvill - next;
			out_s(op, t->code);
			out_c(op, ',');
			char name[64];
			snprintf(name, sizeof(name), "%s社工点", v->name);
			out_field(op, name);
			out_c(op, ',');
			for (int j = 0; j < nv; j++) {
				if (j)
					out_c(op, ';');
				out_s(op, m->villages[t->first_vill + next + j].code);
			}
			next += nv;
			if (rng_pct(&r, 15)) {
				out_s(op, ",,planned");
			} else {
				int lo = s->established, hi = m->end - 30;
				out_c(op, ',');
				out_date(op, rng_range(&r, lo, hi > lo ? hi : lo));
				out_s(op, ",operating");
			}
			out_end_row(op);
		}
	}
	free(order);
	free(picked);
	if (m->nactive == 0) {
		fprintf(stderr, "gen: no station is established at this scale\n");
		exit(1);
	}
}

/* ---- staff ---- */

static int social_work_role(int role)
{
	return role != R_COORD && role != R_ASSIST;
}

static void make_staff(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 3);
	int want = (int)(BASE_STAFF * m->scale + 0.5);

	if (want < m->nactive)
		want = m->nactive;
	m->staff = xcalloc((size_t)want, sizeof(*m->staff));
	/* An even share per station, the remainder to the first stations. */
	for (int a = 0; a < m->nactive; a++) {
		struct station *s = &m->stations[m->active[a]];
		const struct town *t = &m->towns[s->town];
		int n = want / m->nactive + (a < want % m->nactive);
		s->first_staff = m->nstaff;
		s->nstaff = n;
		for (int k = 0; k < n; k++) {
			struct staff *p = &m->staff[m->nstaff++];
			static const int later[] = {R_RESIDENT, R_RESIDENT,   R_FULLTIME,
						    R_POINT,	R_POINT,      R_COORD,
						    R_ASSIST,	R_SUPERVISOR, R_LEAD};
			p->station = m->active[a];
			p->role = k == 0   ? R_HEAD
				  : k == 1 ? R_RESIDENT
				  : k == 2 ? R_FULLTIME
					   : PICK(&r, later);
			p->hired = s->established + rng_range(&r, -60, k == 0 ? 30 : 700);
			if (p->hired > m->end - 30)
				p->hired = m->end - 30 - (int)rng_below(&r, 60);
			p->left = -1;
			if (k > 0 && rng_pct(&r, 12) && p->hired + 120 < m->end - 1)
				p->left = rng_range(&r, p->hired + 120, m->end - 1);
			int age =
			    p->role == R_RESIDENT ? rng_range(&r, 22, 44) : rng_range(&r, 23, 55);
			int birth = p->hired - age * 365 - rng_range(&r, 0, 300);
			char name[64], phone[12];
			idnum_make(&r, t->code, birth, p->id);
			name_make(&r, name, sizeof(name));
			phone_make(&r, phone);
			static const char *const edu[] = {
			    "bachelor", "bachelor", "bachelor", "bachelor",	 "college",
			    "college",	"college",  "master",	"below_college", "bachelor"};
			int q = (int)rng_below(&r, 100);
			static const char *const qual[] = {"none", "assistant", "intermediate",
							   "senior"};
			int qi = q < 40 ? 0 : q < 80 ? 1 : q < 97 ? 2 : 3;
			out_s(o, p->id);
			out_c(o, ',');
			out_field(o, name);
			out_c(o, ',');
			if (rng_pct(&r, 5)) {
				out_s(o, "0311-");
				out_long(o, rng_range(&r, 80000000, 89999999));
			} else {
				out_s(o, phone);
			}
			out_c(o, ',');
			out_s(o, t->code);
			out_c(o, ',');
			out_s(o, role_code[p->role]);
			out_c(o, ',');
			out_s(o, k == 0 && rng_pct(&r, 50) ? "master" : PICK(&r, edu));
			out_c(o, ',');
			out_s(o, qual[qi]);
			out_c(o, ',');
			if (qi) {
				int qd = p->hired + rng_range(&r, -1500, 700);
				if (qd > m->end)
					qd = m->end - (int)rng_below(&r, 30);
				out_date(o, qd);
			}
			out_c(o, ',');
			out_date(o, p->hired);
			out_c(o, ',');
			if (p->left >= 0)
				out_date(o, p->left);
			out_c(o, ',');
			if (s->org >= 0 && social_work_role(p->role))
				out_s(o, m->orgs[s->org].code);
			out_s(o, rng_pct(&r, 80) ? ",yes" : ",no");
			out_end_row(o);
		}
	}
}

/* ---- volunteers ---- */

static void make_volunteers(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 4);
	int want = (int)(BASE_VOLUNTEERS * m->scale + 0.5);
	double *w = xmalloc((size_t)m->nactive * sizeof(double));
	double sum = 0, acc = 0;
	int done = 0;

	if (want < 1)
		want = 1;
	m->vols = xcalloc((size_t)want, sizeof(*m->vols));
	for (int a = 0; a < m->nactive; a++) {
		double u = rng_unit(&r);
		w[a] = 0.3 + 2.0 * u * u;
		sum += w[a];
	}
	for (int a = 0; a < m->nactive; a++) {
		struct station *s = &m->stations[m->active[a]];
		const struct town *t = &m->towns[s->town];
		acc += w[a] / sum * want;
		int upto = a == m->nactive - 1 ? want : (int)(acc + 0.5);
		char team[160];
		snprintf(team, sizeof(team), "%s志愿服务队", t->name);
		for (; done < upto; done++) {
			struct volunteer *v = &m->vols[m->nvols++];
			char name[64], phone[12];
			v->station = m->active[a];
			int lo = s->established, hi = m->end - 30;
			if (m->years && hi >= days_from_civil(m->first_year, 1, 1))
				hi = days_from_civil(m->first_year, 1, 1) - 1;
			v->registered = rng_range(&r, lo, hi > lo ? hi : lo);
			int age = rng_range(&r, 17, 70);
			int birth = v->registered - age * 365 - rng_range(&r, 0, 300);
			idnum_make(&r, t->code, birth, v->id);
			name_make(&r, name, sizeof(name));
			out_s(o, v->id);
			out_c(o, ',');
			out_field(o, name);
			out_c(o, ',');
			if (rng_pct(&r, 85)) {
				phone_make(&r, phone);
				out_s(o, phone);
			}
			out_c(o, ',');
			out_s(o, t->code);
			out_c(o, ',');
			if (rng_pct(&r, 60))
				out_field(o, team);
			out_c(o, ',');
			out_date(o, v->registered);
			out_c(o, ',');
			if (rng_pct(&r, 30)) {
				char sk[128];
				int n = rng_range(&r, 1, 3);
				sk[0] = '\0';
				for (int k = 0; k < n; k++) {
					const char *skill = PICK(&r, skills_list);
					if (strstr(sk, skill))
						continue;
					if (sk[0])
						strcat(sk, rng_pct(&r, 50) ? "、" : ", ");
					strcat(sk, skill);
				}
				out_field(o, sk);
			}
			out_end_row(o);
		}
	}
	free(w);
}

/* ---- activities ---- */

static int act_cmp(const void *a, const void *b)
{
	const struct activity *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->seq - y->seq;
}

static void act_title(const struct activity *a, char *out, size_t n)
{
	snprintf(out, n, "%s第%d期", act_theme[a->kind][a->theme], a->seq);
}

static void make_activities(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 5);
	int cap = 0;

	for (int a = 0; a < m->nactive; a++) {
		const struct station *s = &m->stations[m->active[a]];
		cap += (m->end_year - year_of(s->established) + 1) * COUNT(act_year_plan);
	}
	m->acts = xcalloc((size_t)cap, sizeof(*m->acts));
	for (int a = 0; a < m->nactive; a++) {
		struct station *s = &m->stations[m->active[a]];
		const char *code = m->towns[s->town].code;
		s->first_act = m->nacts;
		for (int y = year_of(s->established); y <= m->end_year; y++) {
			int lo = days_from_civil(y, 1, 1), hi = days_from_civil(y, 12, 31);
			int seq[AK_N] = {0};
			if (lo < s->established)
				lo = s->established;
			if (hi > m->end)
				hi = m->end;
			for (int k = 0; k < COUNT(act_year_plan); k++) {
				int kind = act_year_plan[k];
				int d = rng_range(&r, lo, hi);
				seq[kind]++;
				if (hi < lo || d > m->end)
					continue;
				struct activity *ac = &m->acts[m->nacts++];
				ac->date = d;
				ac->kind = (unsigned char)kind;
				ac->theme = (unsigned char)rng_below(&r, 8);
				ac->seq = (unsigned char)seq[kind];
			}
		}
		s->nact = m->nacts - s->first_act;
		qsort(m->acts + s->first_act, (size_t)s->nact, sizeof(*m->acts), act_cmp);
		for (int k = 0; k < s->nact; k++) {
			const struct activity *ac = &m->acts[s->first_act + k];
			char title[128];
			act_title(ac, title, sizeof(title));
			out_s(o, code);
			out_c(o, ',');
			out_date(o, ac->date);
			out_c(o, ',');
			out_field(o, title);
			out_c(o, ',');
			out_s(o, act_kind_code[ac->kind]);
			out_c(o, ',');
			out_long(o, ac->kind == AK_LARGE ? rng_range(&r, 80, 500)
							 : rng_range(&r, 8, 60));
			out_end_row(o);
		}
	}
}

/* ---- quotas: n items spread over weights, each at most its cap ---- */

/* Fills k[i] (sum = total) proportional to w[i], k[i] <= cap[i]. Returns the
 * total placed (less than asked only when the caps add up to less). */
static long spread(long total, const double *w, const int *cap, int *k, int n)
{
	double sum = 0, acc = 0;
	long placed = 0, prev = 0;

	for (int i = 0; i < n; i++)
		sum += w[i];
	for (int i = 0; i < n; i++) {
		acc += w[i] / sum * (double)total;
		long upto = (long)(acc + 0.5);
		long want = upto - prev;
		prev = upto;
		k[i] = (int)(want < cap[i] ? want : cap[i]);
		placed += k[i];
	}
	/* What the caps cut off goes to whoever has room, round by round. */
	while (placed < total) {
		long before = placed;
		for (int i = 0; i < n && placed < total; i++)
			if (k[i] < cap[i]) {
				k[i]++;
				placed++;
			}
		if (placed == before)
			break;
	}
	return placed;
}

/* ---- hours ---- */

struct hour_row {
	int date;
	int act; /* index into m->acts, or -1 */
	int tenths;
};

static int hour_cmp(const void *a, const void *b)
{
	const struct hour_row *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->act < y->act ? -1 : x->act > y->act;
}

/* Hours in tenths: mostly whole or half hours. */
static int hours_tenths(struct rng *r, int max_half_hours)
{
	if (rng_pct(r, 80))
		return 5 * rng_range(r, 1, max_half_hours);
	return rng_range(r, 1, max_half_hours * 5);
}

/* Each volunteer's records on distinct days between registration (or
 * win_lo, if later) and win_hi, a fifth of them at one of the station's
 * activities (on the activity's day, at most one activity a day); at most 8
 * hours a record, so a day adds up to at most 16. */
static void make_hours_window(struct model *m, struct out *o, long total, struct rng r,
			      int win_lo, int win_hi)
{
	double *w = xcalloc((size_t)m->nvols, sizeof(double));
	int *cap = xcalloc((size_t)m->nvols, sizeof(int));
	int *k = xcalloc((size_t)m->nvols, sizeof(int));
	struct hour_row *rows = NULL;
	int rows_cap = 0;
	long written = 0;

	for (int i = 0; i < m->nvols; i++) {
		double u = rng_unit(&r);
		int from = m->vols[i].registered > win_lo ? m->vols[i].registered : win_lo;
		cap[i] = win_hi >= from ? win_hi - from + 1 : 0;
		w[i] = (double)cap[i] * (0.1 + 3.0 * u * u * u);
	}
	long placed = spread(total, w, cap, k, m->nvols);
	if (placed < total)
		fprintf(stderr, "gen: only %ld hours rows fit the volunteers' days\n", placed);

	for (int i = 0; i < m->nvols; i++) {
		const struct volunteer *v = &m->vols[i];
		const struct station *s = &m->stations[v->station];
		const char *code = m->towns[s->town].code;
		int n = k[i];
		if (n == 0)
			continue;
		if (n > rows_cap) {
			rows_cap = n * 2;
			rows = xrealloc(rows, (size_t)rows_cap * sizeof(*rows));
		}
		/* Activities of the station on or after registration, within the
		 * window. */
		int from = v->registered > win_lo ? v->registered : win_lo;
		int lo = 0, hi = s->nact;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (m->acts[s->first_act + mid].date < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		int top = lo, top_hi = s->nact;
		while (top < top_hi) {
			int mid = (top + top_hi) / 2;
			if (m->acts[s->first_act + mid].date <= win_hi)
				top = mid + 1;
			else
				top_hi = mid;
		}
		int navail = top - lo;
		int na = 0;
		for (int j = 0; j < n; j++)
			if (navail > 0 && rng_pct(&r, 20))
				na++;
		if (na > navail)
			na = navail;
		int got = 0;
		for (int j = 0; j < na; j++) {
			for (int tries = 0; tries < 8; tries++) {
				int a = s->first_act + lo + (int)rng_below(&r, (uint32_t)navail);
				int clash = 0;
				for (int q = 0; q < got && !clash; q++)
					clash = m->acts[rows[q].act].date == m->acts[a].date;
				if (clash)
					continue;
				rows[got].act = a;
				rows[got].date = m->acts[a].date;
				rows[got].tenths = hours_tenths(&r, 16);
				got++;
				break;
			}
		}
		/* The rest on distinct days: one day from each of nn equal slices. */
		int nn = n - got, span = cap[i];
		for (int j = 0; j < nn; j++) {
			int a = (int)((long)j * span / nn),
			    b = (int)((long)(j + 1) * span / nn) - 1;
			struct hour_row *h = &rows[got + j];
			h->date = from + rng_range(&r, a, b);
			h->act = -1;
			h->tenths = hours_tenths(&r, rng_pct(&r, 10) ? 16 : 8);
		}
		qsort(rows, (size_t)n, sizeof(*rows), hour_cmp);
		for (int j = 0; j < n; j++) {
			out_raw(o, v->id, 18);
			out_c(o, ',');
			out_date(o, rows[j].date);
			out_c(o, ',');
			out_raw(o, code, 12);
			out_c(o, ',');
			if (rows[j].act >= 0) {
				char title[128];
				act_title(&m->acts[rows[j].act], title, sizeof(title));
				out_field(o, title);
			}
			out_c(o, ',');
			out_tenths(o, rows[j].tenths);
			out_c(o, ',');
			if (rng_below(&r, 100) < 8)
				out_s(o, PICK(&r, hour_notes));
			out_end_row(o);
		}
		written += n;
	}
	m->nhours += written;
	free(rows);
	free(w);
	free(cap);
	free(k);
}

/* The hours: between each volunteer's registration and the day before
 * today; with --years N, total rows in each of the N calendar years ending
 * with today's (each year a stream of its own, so that --year Y writes
 * exactly that year's rows of the whole set). */
static void make_hours(struct model *m, struct out *o, long total)
{
	if (!m->years) {
		make_hours_window(m, o, total, rng_stream(m->seed, 6), INT_MIN, m->end);
		return;
	}
	for (int y = m->first_year; y <= m->end_year; y++) {
		if (m->year_only && y != m->year_only)
			continue;
		int lo = days_from_civil(y, 1, 1), hi = days_from_civil(y, 12, 31);
		make_hours_window(m, o, total, rng_stream(m->seed, 1000 + (uint64_t)y), lo,
				  hi < m->end ? hi : m->end);
	}
}

/* ---- recipients ---- */

enum { AGE_CHILD, AGE_ADULT, AGE_ELDER };

static void make_recipients(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 7);
	int want = (int)(BASE_RECIPIENTS * m->scale + 0.5);
	static const char *const adult_cat[] = {"dibao",
						"dibao_edge",
						"tekun",
						"temporary_assistance",
						"disabled",
						"vagrant",
						"relocated",
						"bereaved_parents",
						"domestic_violence",
						"single_parent",
						"offender_family",
						"other"};
	static const char *const elder_cat[] = {"left_behind_elderly",
						"empty_nest_elderly",
						"disabled_elderly",
						"dibao",
						"tekun",
						"disabled",
						"bereaved_parents"};
	static const char *const child_cat[] = {"child_in_difficulty", "de_facto_orphan", "dibao",
						"disabled", "single_parent"};

	if (want < 1)
		want = 1;
	m->recs = xcalloc((size_t)want, sizeof(*m->recs));
	for (int i = 0; i < want; i++) {
		struct recipient *p = &m->recs[m->nrecs++];
		int si = m->active[rng_below(&r, (uint32_t)m->nactive)];
		struct station *s = &m->stations[si];
		const struct town *t = &m->towns[s->town];
		const struct village *v =
		    &m->villages[t->first_vill + rng_below(&r, (uint32_t)t->nvill)];
		p->station = si;
		if (s->nrec == s->caprec) {
			s->caprec = s->caprec ? s->caprec * 2 : 16;
			s->recs = xrealloc(s->recs, (size_t)s->caprec * sizeof(int));
		}
		s->recs[s->nrec++] = i;

		/* Ages with a margin of two years from the category limits, so the
		 * file stays valid for a while after it was made. */
		int grp = rng_pct(&r, 20) ? AGE_CHILD : rng_pct(&r, 55) ? AGE_ELDER : AGE_ADULT;
		int age = grp == AGE_CHILD   ? rng_range(&r, 2, 13)
			  : grp == AGE_ELDER ? rng_range(&r, 62, 95)
					     : rng_range(&r, 20, 57);
		int birth = m->end - age * 365 - rng_range(&r, 0, 300);
		idnum_make(&r, v->code, birth, p->id);

		char cats[256];
		cats[0] = '\0';
		const char *const *list = grp == AGE_CHILD   ? child_cat
					  : grp == AGE_ELDER ? elder_cat
							     : adult_cat;
		int nlist = grp == AGE_CHILD   ? COUNT(child_cat)
			    : grp == AGE_ELDER ? COUNT(elder_cat)
					       : COUNT(adult_cat);
		if (grp == AGE_CHILD && rng_pct(&r, 50))
			strcat(cats, "left_behind_child");
		int ncat = rng_range(&r, cats[0] ? 0 : 1, 2);
		for (int c = 0; c < ncat; c++) {
			const char *cat = list[rng_below(&r, (uint32_t)nlist)];
			if (strstr(cats, cat))
				continue;
			if (cats[0])
				strcat(cats, ";");
			strcat(cats, cat);
		}
		char name[64], phone[12], addr[96];
		name_make(&r, name, sizeof(name));
		snprintf(addr, sizeof(addr), "%s%d号", v->name, rng_range(&r, 1, 300));
		out_s(o, p->id);
		out_c(o, ',');
		out_field(o, name);
		out_c(o, ',');
		if (grp != AGE_CHILD && rng_pct(&r, 60)) {
			phone_make(&r, phone);
			out_s(o, phone);
		}
		out_c(o, ',');
		out_s(o, v->code);
		out_c(o, ',');
		out_field(o, addr);
		out_c(o, ',');
		out_s(o, cats);
		out_c(o, ',');
		if (grp == AGE_CHILD) {
			name_make(&r, name, sizeof(name));
			phone_make(&r, phone);
			out_field(o, name);
			out_c(o, ',');
			out_s(o, phone);
		} else {
			out_c(o, ',');
		}
		out_end_row(o);
	}
}

/* ---- cases and visits ---- */

static int case_cmp(const void *a, const void *b)
{
	const struct case_file *x = a, *y = b;

	if (x->station != y->station)
		return x->station < y->station ? -1 : 1;
	if (x->opened != y->opened)
		return x->opened < y->opened ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static void case_no(const struct model *m, const struct case_file *c, char *out, size_t n)
{
	snprintf(out, n, "%.9s-%d-%04d", m->towns[m->stations[c->station].town].code,
		 year_of(c->opened), c->seq);
}

static void make_cases(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 8);
	int want = (int)(BASE_CASES * m->scale + 0.5);
	static const char *const method_code[] = {"individual", "group", "community"};
	static const char *const status_code[] = {"intake",	  "assessment", "planning",
						  "intervention", "review",	"closed"};
	static const char *const risk_code[] = {"low", "medium", "high", "critical"};

	if (want < 1)
		want = 1;
	m->cases = xcalloc((size_t)want, sizeof(*m->cases));
	for (int i = 0; i < want; i++) {
		struct case_file *c = &m->cases[m->ncases++];
		/* A recipient, the station of their township, and a social
		 * worker of it: opened while the worker was there. */
		c->rec = (int)rng_below(&r, (uint32_t)m->nrecs);
		c->station = m->recs[c->rec].station;
		const struct station *s = &m->stations[c->station];
		const struct staff *w = NULL;
		for (int tries = 0; tries < 6 && !w; tries++) {
			const struct staff *p =
			    &m->staff[s->first_staff + rng_below(&r, (uint32_t)s->nstaff)];
			if (social_work_role(p->role))
				w = p;
		}
		if (!w)
			w = &m->staff[s->first_staff]; /* the head */
		c->worker = (int)(w - m->staff);
		int lo = w->hired > s->established ? w->hired : s->established;
		int hi = w->left >= 0 ? w->left - 1 : m->end;
		if (hi < lo)
			hi = lo;
		c->opened = rng_range(&r, lo, hi);
		int p = (int)rng_below(&r, 100);
		c->method = (unsigned char)(p < 65 ? 0 : p < 88 ? 1 : 2);
		c->risk = (unsigned char)(rng_pct(&r, 50)   ? 0
					  : rng_pct(&r, 60) ? 1
					  : rng_pct(&r, 80) ? 2
							    : 3);
		c->closed = -1;
		if (rng_pct(&r, c->opened < m->end - 90 ? 50 : 5)) {
			c->status = 5;
			int last = c->opened + rng_range(&r, 14, 400);
			c->closed = last < m->end ? last : m->end;
			c->reason = (unsigned char)rng_below(&r, COUNT(close_reasons));
		} else {
			c->status = (unsigned char)rng_below(&r, 5);
		}
	}
	qsort(m->cases, (size_t)m->ncases, sizeof(*m->cases), case_cmp);
	for (int i = 0; i < m->ncases; i++) {
		struct case_file *c = &m->cases[i];
		const struct case_file *prev = i ? &m->cases[i - 1] : NULL;
		c->seq = prev && prev->station == c->station &&
				 year_of(prev->opened) == year_of(c->opened)
			     ? prev->seq + 1
			     : 1;
		char no[32];
		case_no(m, c, no, sizeof(no));
		out_s(o, no);
		out_c(o, ',');
		out_s(o, m->recs[c->rec].id);
		out_c(o, ',');
		out_s(o, m->towns[m->stations[c->station].town].code);
		out_c(o, ',');
		out_s(o, m->staff[c->worker].id);
		out_c(o, ',');
		out_s(o, method_code[c->method]);
		out_c(o, ',');
		out_date(o, c->opened);
		out_c(o, ',');
		out_s(o, status_code[c->status]);
		out_c(o, ',');
		out_s(o, risk_code[c->risk]);
		out_c(o, ',');
		if (c->closed >= 0) {
			out_date(o, c->closed);
			out_c(o, ',');
			out_s(o, close_reasons[c->reason]);
		} else {
			out_c(o, ',');
		}
		out_end_row(o);
	}
}

/* Visits of each case on distinct days from its opening to its closing (or
 * yesterday), by its worker; the next one due a few weeks on, or none. */
static void make_visits(struct model *m, struct out *o, long total)
{
	struct rng r = rng_stream(m->seed, 9);
	double *w = xmalloc((size_t)m->ncases * sizeof(double));
	int *cap = xmalloc((size_t)m->ncases * sizeof(int));
	int *k = xmalloc((size_t)m->ncases * sizeof(int));
	static const char *const kinds[] = {"home_visit", "home_visit",	  "home_visit", "phone",
					    "phone",	  "phone",	  "office",	"outreach",
					    "referral",	  "group_session"};

	for (int i = 0; i < m->ncases; i++) {
		const struct case_file *c = &m->cases[i];
		int last = c->closed >= 0 ? c->closed : m->end;
		cap[i] = last - c->opened + 1;
		w[i] = 0.3 + rng_unit(&r) + (cap[i] > 365 ? 1.0 : (double)cap[i] / 365.0);
	}
	m->nvisits = spread(total, w, cap, k, m->ncases);
	for (int i = 0; i < m->ncases; i++) {
		const struct case_file *c = &m->cases[i];
		char no[32];
		case_no(m, c, no, sizeof(no));
		for (int j = 0; j < k[i]; j++) {
			int a = (int)((long)j * cap[i] / k[i]);
			int b = (int)((long)(j + 1) * cap[i] / k[i]) - 1;
			int d = c->opened + rng_range(&r, a, b);
			out_s(o, no);
			out_c(o, ',');
			out_date(o, d);
			out_c(o, ',');
			out_s(o, j == 0 ? "home_visit" : PICK(&r, kinds));
			out_c(o, ',');
			out_s(o, m->staff[c->worker].id);
			out_c(o, ',');
			if (j == 0)
				out_field(o, "首次入户评估\n建立专业关系,制定服务计划");
			else
				out_s(o, PICK(&r, visit_summaries));
			out_c(o, ',');
			if (c->closed < 0 || rng_pct(&r, 70))
				out_date(o, d + rng_range(&r, 14, 45));
			out_end_row(o);
		}
	}
	free(w);
	free(cap);
	free(k);
}

/* ---- contracts, evaluations, plans ---- */

static const struct model *sort_model;

static int county_cmp(const void *a, const void *b)
{
	const struct county *x = &sort_model->counties[*(const int *)a];
	const struct county *y = &sort_model->counties[*(const int *)b];

	return x->order - y->order;
}

/* Counties with established stations, in the seeded order. */
static int *counties_with_stations(const struct model *m, int *n)
{
	int *list = xmalloc((size_t)m->ncounties * sizeof(int));
	int *has = xcalloc((size_t)m->ncounties, sizeof(int));

	*n = 0;
	for (int a = 0; a < m->nactive; a++)
		has[m->towns[m->stations[m->active[a]].town].county] = 1;
	for (int i = 0; i < m->ncounties; i++)
		if (has[i])
			list[(*n)++] = i;
	sort_model = m;
	qsort(list, (size_t)*n, sizeof(int), county_cmp);
	free(has);
	return list;
}

/* One contract a county and year, the newest years first: a 3-year cycle
 * signed yearly (cycles start in 2021, 2024, ...), for the county's
 * purchased stations; evaluated mid-year and at the year's end. */
/* The indicator set every generated programme scores by (programmes.md:
 * first-level weights add up to 100, each parent's children to its
 * weight): code, name, parent, weight. */
static const struct {
	const char *code, *name, *parent;
	int weight;
} bench_set[] = {
	{"A", "管理", NULL, 40},  {"A1", "制度建设", "A", 20}, {"A2", "人员配备", "A", 20},
	{"B", "服务", NULL, 60},  {"B1", "个案服务", "B", 30}, {"B2", "小组与社区活动", "B", 30},
};

static void make_indicators(struct out *o)
{
	for (int i = 0; i < COUNT(bench_set); i++) {
		out_s(o, "BENCH,");
		out_s(o, bench_set[i].code);
		out_c(o, ',');
		out_field(o, bench_set[i].name);
		out_c(o, ',');
		if (bench_set[i].parent)
			out_s(o, bench_set[i].parent);
		out_c(o, ',');
		out_long(o, bench_set[i].weight);
		out_end_row(o);
	}
}

/* One evaluation's scores, the leaves of bench_set: score (tenths) spread
 * by weight, each within its weight, adding up to score exactly. */
static void out_scores(struct out *o, const char *no, const char *kind, int day, int score)
{
	int left = score, nleaves = 0, done = 0;

	for (int i = 0; i < COUNT(bench_set); i++)
		nleaves += bench_set[i].parent != NULL;
	for (int i = 0; i < COUNT(bench_set); i++) {
		if (!bench_set[i].parent)
			continue;
		int v = ++done == nleaves ? left : score * bench_set[i].weight / 100;
		left -= v;
		out_s(o, no);
		out_s(o, ",,");
		out_s(o, kind);
		out_c(o, ',');
		out_date(o, day);
		out_c(o, ',');
		out_s(o, bench_set[i].code);
		out_c(o, ',');
		out_tenths(o, v);
		out_s(o, ",");
		out_end_row(o);
	}
}

static void out_payment(struct out *o, const char *no, int day, const char *kind, long amount)
{
	out_s(o, no);
	out_c(o, ',');
	out_date(o, day);
	out_c(o, ',');
	out_s(o, kind);
	out_c(o, ',');
	out_long(o, amount);
	out_s(o, ".00,fiscal_budget,");
	out_end_row(o);
}

/* One programme a county with contracts (its purchaser's): a 3-year
 * cycle, 250,000 yuan a station, the indicator set BENCH, Suzhou's
 * annex-2 targets. */
static void make_programmes(struct model *m, struct out *o)
{
	int want = (int)(BASE_CONTRACTS * m->scale + 0.5);
	int nc, *cs = counties_with_stations(m, &nc);

	if (want < 1)
		want = 1;
	for (int i = 0; i < nc && i < want; i++) {
		const struct county *c = &m->counties[cs[i]];
		char name[256];
		out_s(o, "PG-");
		out_s(o, c->code);
		out_c(o, ',');
		snprintf(name, sizeof(name), "%s社工站运营项目", c->name);
		out_field(o, name);
		out_c(o, ',');
		out_s(o, c->code);
		out_s(o, ",station_operation,3,250000,BENCH,40,50,2,6,4,150");
		out_end_row(o);
	}
	free(cs);
}

static void make_contracts(struct model *m, struct out *o, struct out *oe, struct out *os,
			   struct out *opay)
{
	struct rng r = rng_stream(m->seed, 10);
	int want = (int)(BASE_CONTRACTS * m->scale + 0.5);
	int nc, *cs = counties_with_stations(m, &nc);
	static const char *const funding[] = {"social_assistance", "lottery_welfare",
					      "fiscal_budget", "community_welfare_subsidy"};

	if (want < 1)
		want = 1;
	for (int i = 0; i < want; i++) {
		const struct county *c = &m->counties[cs[i % nc]];
		int ci = cs[i % nc];
		int year = m->end_year - i / nc;
		if (year < 2015)
			break;
		int cycle = 2021 + 3 * ((year - 2021 >= 0 ? year - 2021 : year - 2023) / 3);
		int year_no = year - cycle + 1;
		char list[4096], no[64];
		int nst = 0;
		list[0] = '\0';
		for (int pass = 0; pass < 2 && nst == 0; pass++)
			for (int a = 0; a < m->nactive; a++) {
				const struct station *s = &m->stations[m->active[a]];
				if (m->towns[s->town].county != ci || (pass == 0 && s->org < 0))
					continue;
				if (strlen(list) + 14 > sizeof(list))
					break;
				if (nst++)
					strcat(list, ";");
				strcat(list, m->towns[s->town].code);
			}
		long amount = (long)nst * rng_range(&r, 180, 260) * 1000;
		snprintf(no, sizeof(no), "GM-%.6s-%d", c->code, year);
		out_s(o, no);
		out_c(o, ',');
		out_s(o, c->code);
		out_c(o, ',');
		char pname[256];
		snprintf(pname, sizeof(pname), "%s民政局", c->name);
		out_field(o, pname);
		out_c(o, ',');
		out_s(o, m->orgs[c->org].code);
		out_c(o, ',');
		out_s(o, amount > 2000000  ? "open_tender"
			 : rng_pct(&r, 80) ? "competitive_consultation"
			 : rng_pct(&r, 50) ? "inquiry"
					   : "single_source");
		out_c(o, ',');
		out_long(o, cycle);
		out_c(o, ',');
		out_long(o, year_no);
		out_c(o, ',');
		out_date(o, days_from_civil(year - 1, 12, rng_range(&r, 10, 28)));
		out_c(o, ',');
		out_date(o, days_from_civil(year, 1, 1));
		out_c(o, ',');
		out_date(o, days_from_civil(year, 12, 31));
		out_c(o, ',');
		out_long(o, amount);
		out_s(o, ".00,");
		out_s(o, PICK(&r, funding));
		if (rng_pct(&r, 40))
			out_s(o, ";lottery_welfare");
		out_c(o, ',');
		out_s(o, list);
		out_c(o, ',');
		out_long(o, 3 * nst);
		out_c(o, ',');
		out_long(o, nst);
		out_s(o, ",PG-");
		out_s(o, c->code);
		out_end_row(o);
		m->ncontracts++;

		/* paid: 40% at the start, 40% mid-year, the rest once the
		 * year is graded good or better (programmes.md, Money) */
		int pay1 = days_from_civil(year, 1, 15), pay2 = days_from_civil(year, 7, 15);
		if (pay1 <= m->end)
			out_payment(opay, no, pay1, "advance", amount / 10 * 4);
		if (pay2 <= m->end)
			out_payment(opay, no, pay2, "installment", amount / 10 * 4);

		int mid = days_from_civil(year, 7, rng_range(&r, 1, 20));
		int fin = days_from_civil(year, 12, rng_range(&r, 10, 25));
		for (int e = 0; e < 2; e++) {
			int d = e ? fin : mid;
			if (d > m->end)
				continue;
			int score =
			    rng_pct(&r, 8) ? rng_range(&r, 450, 599) : rng_range(&r, 600, 985);
			/* programmes.md: a year graded fail ends its cycle, so a
			 * year the cycle's next year follows passed (the draws as
			 * before: the rest of the data set stays the same) */
			if (e == 1 && year_no < 3 && year < m->end_year && score < 600)
				score += 150;
			const char *kind = e == 0 ? "mid_term" : year_no == 3 ? "final" : "annual";
			out_s(oe, no);
			out_c(oe, ',');
			out_s(oe, kind);
			out_c(oe, ',');
			out_date(oe, d);
			out_c(oe, ',');
			out_s(oe, PICK(&r, evaluators));
			/* the score is its indicators' sum (evaluation_scores.csv) */
			out_s(oe, ",,");
			out_scores(os, no, kind, d, score);
			if (e == 1 && score >= 800 && d + 5 <= m->end)
				out_payment(opay, no, d + 5, "performance",
					    amount - 2 * (amount / 10 * 4));
			if (score < 600)
				out_field(oe, "服务记录不完整,\"三社联动\"机制未建立");
			out_end_row(oe);
		}
	}
	free(cs);
}

static void make_plans(struct model *m, struct out *o)
{
	int nc, *cs = counties_with_stations(m, &nc);

	for (int i = 0; i < nc; i++) {
		const struct county *c = &m->counties[cs[i]];
		for (int y = m->end_year - 5; y <= m->end_year; y++) {
			int step = y - (m->end_year - 5); /* 0..5 */
			int target = (c->ntowns * (40 + 12 * step) + 99) / 100;
			if (target > c->ntowns)
				target = c->ntowns;
			out_s(o, c->code);
			out_c(o, ',');
			out_long(o, y);
			out_c(o, ',');
			out_long(o, target);
			out_c(o, ',');
			out_long(o, target * 3);
			out_c(o, ',');
			out_tenths(o, step * 150 + 200);
			out_end_row(o);
		}
	}
	free(cs);
}

/* ---- 三社联动 (spec/programmes.md): community organisations, supervisions,
 * trainings ---- */

/* Every village or community: a residents' committee some 8 to 12
 * organisations, a villagers' committee 2 to 7; a quarter registered, the
 * rest filed; a few dormant or dissolved. */
static void make_community_orgs(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 21);
	static const char *const kinds[] = {"elderly", "children", "disability", "volunteer",
					    "culture", "mediation", "charity", "other"};
	static const char *const word[] = {"为老服务队", "儿童之家", "助残服务队", "志愿服务队",
					   "文体队", "调解小组", "公益慈善会", "议事会"};

	for (int v = 0; v < m->nvillages; v++) {
		const struct village *vl = &m->villages[v];
		int urban = atoi(vl->code + 9) < 200;
		int n = urban ? rng_range(&r, 8, 12) : rng_range(&r, 2, 7);
		for (int k = 0; k < n; k++) {
			int kind = (int)rng_below(&r, COUNT(kinds));
			int reg = rng_pct(&r, 25);
			char name[96], code[19];
			snprintf(name, sizeof(name), "%s%s%d", vl->name, word[kind], k + 1);
			out_s(o, vl->code);
			out_c(o, ',');
			out_field(o, name);
			out_c(o, ',');
			out_s(o, kinds[kind]);
			out_c(o, ',');
			if (reg) {
				credit_make(&r, "51", vl->code, code);
				out_s(o, "registered,");
				out_s(o, code);
				out_s(o, ",,");
			} else {
				out_s(o, "filed,,");
				out_date(o, m->end - rng_range(&r, 30, 2000));
				out_c(o, ',');
			}
			out_long(o, rng_range(&r, 5, 60));
			out_c(o, ',');
			int q = (int)rng_below(&r, 100);
			out_s(o, q < 90 ? "active" : q < 96 ? "dormant" : "dissolved");
			out_end_row(o);
		}
	}
}

static int staff_active(const struct staff *p, int day)
{
	return p->hired <= day && (p->left < 0 || p->left > day);
}

/* Each station's staff in a group supervision every quarter of the last
 * two years, once the station is open. */
static void make_supervisions(struct model *m, struct out *o)
{
	struct rng r = rng_stream(m->seed, 22);

	for (int a = 0; a < m->nactive; a++) {
		const struct station *s = &m->stations[m->active[a]];
		const struct town *t = &m->towns[s->town];
		for (int qd = m->end - 730 + rng_range(&r, 0, 60); qd < m->end; qd += 91) {
			int any = 0;
			for (int k = 0; k < s->nstaff; k++)
				any |= staff_active(&m->staff[s->first_staff + k], qd);
			if (!any || qd < s->established)
				continue;
			out_s(o, t->code);
			out_c(o, ',');
			out_date(o, qd);
			out_s(o, rng_pct(&r, 70) ? ",group," : ",on_site,");
			out_field(o, "督导专家");
			out_c(o, ',');
			out_long(o, rng_range(&r, 2, 4));
			out_c(o, ',');
			int first = 1;
			for (int k = 0; k < s->nstaff; k++) {
				const struct staff *p = &m->staff[s->first_staff + k];
				if (!staff_active(p, qd))
					continue;
				if (!first)
					out_c(o, ';');
				out_s(o, p->id);
				first = 0;
			}
			out_s(o, ",");
			out_end_row(o);
		}
	}
}

/* Each county's staff active on the day, at two trainings a year of the
 * last two years; a province-wide one of every station head. */
static void make_trainings(struct model *m, struct out *o)
{
	for (int c = 0; c < m->ncounties; c++) {
		const struct county *cy = &m->counties[c];
		for (int y = 0; y < 4; y++) {
			int day = m->end - 700 + y * 175 + c % 30;
			int first = 1;
			for (int i = 0; i < m->nstaff; i++) {
				const struct staff *p = &m->staff[i];
				if (m->towns[m->stations[p->station].town].county != c ||
				    !staff_active(p, day))
					continue;
				if (first) {
					char title[96];
					snprintf(title, sizeof(title), "%s社工继续教育第%d期", cy->name,
						 y + 1);
					out_field(o, title);
					out_c(o, ',');
					out_date(o, day);
					out_s(o, ",民政局,county,continuing,");
					out_long(o, 8 * (1 + y % 3));
					out_c(o, ',');
				} else {
					out_c(o, ';');
				}
				out_s(o, p->id);
				first = 0;
			}
			if (!first)
				out_end_row(o);
		}
	}
	int day = m->end - 200, first = 1;
	for (int i = 0; i < m->nstaff; i++) {
		const struct staff *p = &m->staff[i];
		if (p->role != R_HEAD || !staff_active(p, day))
			continue;
		if (first) {
			out_s(o, "全省乡镇(街道)社工站站长培训,");
			out_date(o, day);
			out_s(o, ",省民政厅,province,cadre,24,");
		} else {
			out_c(o, ';');
		}
		out_s(o, p->id);
		first = 0;
	}
	if (!first)
		out_end_row(o);
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fputs("usage: gen --divisions FILE --out DIR [--province PP] [--scale X] [--seed N]\n"
	      "           [--today YYYY-MM-DD] [--only ENTITY[,ENTITY...]] [--rows N]\n"
	      "           [--years N [--year Y]]\n"
	      "Writes the benchmark data set of spec/bench.md as import CSV files into DIR.\n"
	      "  --province PP  two-digit province code (default 13, 河北省)\n"
	      "  --scale X      multiply every count (default 1: 2,000 stations, 6,000 staff,\n"
	      "                 200,000 volunteers, 5,000,000 hours, 100,000 recipients,\n"
	      "                 120,000 cases, 400,000 visits, 500 contracts); 0.01 is about\n"
	      "                 one county. Villages do not scale.\n"
	      "  --seed N       PRNG seed (default 42)\n"
	      "  --today DATE   the day the data set is imported (default: today); nothing\n"
	      "                 happens on or after it\n"
	      "  --only LIST    write only these files (e.g. hours); the rest are still\n"
	      "                 generated in memory, so they refer to the same rows\n"
	      "  --rows N       hours rows (default 5,000,000 x scale; with --years, a year)\n"
	      "  --years N      hours and visits of N calendar years ending with today's:\n"
	      "                 the hours rows of one year in each (50,000,000 hours at\n"
	      "                 scale 1 and --years 10), the visits times N; every\n"
	      "                 station open and every volunteer registered before the\n"
	      "                 first of them\n"
	      "  --year Y       with --years: hours.csv holds only year Y's rows\n",
	      f);
}

static int wanted(const char *only, const char *entity)
{
	if (!only)
		return 1;
	size_t n = strlen(entity);
	for (const char *p = only; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, entity, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A file that is written only when asked for: otherwise /dev/null. */
static struct out *out_maybe(const char *dir, const char *only, const char *entity,
			     const char *file, const char *header)
{
	if (wanted(only, entity))
		return out_open(dir, file, header);
	return out_open("/dev", "null", header);
}

static void report(const char *only, const char *entity, const char *file, long rows)
{
	if (wanted(only, entity))
		fprintf(stderr, "gen: %-22s %9ld rows\n", file, rows);
}

int main(int argc, char **argv)
{
	struct model m = {.seed = 42, .scale = 1.0, .province = "13"};
	const char *divisions = NULL, *dir = NULL, *only = NULL, *today = NULL;
	long hours_rows = -1;
	double t0 = now_seconds();

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		i++;
		if (strcmp(a, "--divisions") == 0)
			divisions = v;
		else if (strcmp(a, "--out") == 0)
			dir = v;
		else if (strcmp(a, "--province") == 0 && strlen(v) == 2)
			memcpy(m.province, v, 3);
		else if (strcmp(a, "--scale") == 0 && atof(v) > 0)
			m.scale = atof(v);
		else if (strcmp(a, "--seed") == 0)
			m.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--today") == 0)
			today = v;
		else if (strcmp(a, "--only") == 0)
			only = v;
		else if (strcmp(a, "--rows") == 0 && atol(v) >= 0)
			hours_rows = atol(v);
		else if (strcmp(a, "--years") == 0 && atoi(v) >= 1 && atoi(v) <= 50)
			m.years = atoi(v);
		else if (strcmp(a, "--year") == 0 && atoi(v) >= 1900)
			m.year_only = atoi(v);
		else {
			fprintf(stderr, "gen: bad option %s %s\n", a, v);
			usage(stderr);
			return 2;
		}
	}
	if (!divisions || !dir) {
		usage(stderr);
		return 2;
	}
	if (today) {
		int y, mo, d;
		if (sscanf(today, "%d-%d-%d", &y, &mo, &d) != 3 || y < 2000 || y > 2090) {
			fprintf(stderr, "gen: --today %s: not a date YYYY-MM-DD\n", today);
			return 2;
		}
		m.today = days_from_civil(y, mo, d);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		m.today = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	m.end = m.today - 1;
	m.end_year = year_of(m.end);
	m.first_year = m.end_year - m.years + 1;
	if (m.year_only && (!m.years || m.year_only < m.first_year || m.year_only > m.end_year)) {
		fprintf(stderr, "gen: --year %d: not one of the years of --years\n", m.year_only);
		return 2;
	}
	if (hours_rows < 0)
		hours_rows = (long)(BASE_HOURS * m.scale + 0.5);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	dates_init();
	read_divisions(&m, divisions);

	struct out *o;
	long n;

	o = out_maybe(dir, only, "divisions", "divisions-villages.csv",
		      "code,name,urban_rural,population,households");
	make_villages(&m, o);
	n = out_close(o);
	report(only, "divisions", "divisions-villages.csv", n);

	o = out_maybe(dir, only, "organizations", "organizations.csv",
		      "credit_code,name,registered_on,registration_level,social_work_scope,"
		      "tax_qualified,violation_record,fulltime_staff,professional_staff");
	make_orgs(&m, o);
	n = out_close(o);
	report(only, "organizations", "organizations.csv", n);

	o = out_maybe(dir, only, "stations", "stations.csv",
		      "township,name,batch_year,status,established_on,operation_mode,"
		      "organization,signage,party_group,facilities,site_tags");
	struct out *op = out_maybe(dir, only, "service_points", "service_points.csv",
				   "station,name,villages,established_on,status");
	make_stations(&m, o, op);
	n = out_close(o);
	report(only, "stations", "stations.csv", n);
	n = out_close(op);
	report(only, "service_points", "service_points.csv", n);

	o = out_maybe(dir, only, "staff", "staff.csv",
		      "id_number,name,phone,station,role,education,qualification,qualified_on,"
		      "hired_on,left_on,employer,local_hukou");
	make_staff(&m, o);
	n = out_close(o);
	report(only, "staff", "staff.csv", n);

	o = out_maybe(dir, only, "volunteers", "volunteers.csv",
		      "id_number,name,phone,station,team,registered_on,skills");
	make_volunteers(&m, o);
	n = out_close(o);
	report(only, "volunteers", "volunteers.csv", n);

	o = out_maybe(dir, only, "activities", "activities.csv",
		      "station,date,title,kind,participants");
	make_activities(&m, o);
	n = out_close(o);
	report(only, "activities", "activities.csv", n);

	if (wanted(only, "hours")) {
		o = out_open(dir, "hours.csv",
			     "volunteer,service_date,station,activity,hours,note");
		make_hours(&m, o, hours_rows);
		n = out_close(o);
		report(only, "hours", "hours.csv", n);
	}

	o = out_maybe(dir, only, "recipients", "recipients.csv",
		      "id_number,name,phone,village,address,categories,guardian_name,"
		      "guardian_phone");
	make_recipients(&m, o);
	n = out_close(o);
	report(only, "recipients", "recipients.csv", n);

	o = out_maybe(dir, only, "cases", "cases.csv",
		      "case_no,recipient,station,worker,method,opened_on,status,risk,closed_on,"
		      "close_reason");
	make_cases(&m, o);
	n = out_close(o);
	report(only, "cases", "cases.csv", n);

	if (wanted(only, "visits")) {
		o = out_open(dir, "visits.csv", "case_no,visit_date,kind,worker,summary,next_due");
		make_visits(&m, o, (long)(BASE_VISITS * m.scale * (m.years ? m.years : 1) + 0.5));
		n = out_close(o);
		report(only, "visits", "visits.csv", n);
	}

	o = out_maybe(dir, only, "contracts", "contracts.csv",
		      "contract_no,purchaser,purchaser_name,organization,procurement_method,"
		      "cycle_start,year_no,signed_on,starts_on,ends_on,amount,funding_source,"
		      "stations,required_staff,required_qualified,programme");
	struct out *oe = out_maybe(dir, only, "evaluations", "evaluations.csv",
				   "contract_no,kind,evaluated_on,evaluator,score,notes");
	struct out *os = out_maybe(dir, only, "evaluation_scores", "evaluation_scores.csv",
				   "contract_no,station,kind,evaluated_on,indicator,score,note");
	struct out *opay = out_maybe(dir, only, "payments", "payments.csv",
				     "contract_no,paid_on,kind,amount,funding_source,note");
	struct out *oi = out_maybe(dir, only, "indicators", "indicators.csv",
				   "indicator_set,code,name,parent,weight");
	make_indicators(oi);
	n = out_close(oi);
	report(only, "indicators", "indicators.csv", n);
	struct out *opg = out_maybe(dir, only, "programmes", "programmes.csv",
				    "code,name,purchaser,kind,cycle_years,budget_per_station,"
				    "indicator_set,target_recipients,target_individual_pct,"
				    "target_large_events,target_small_events,target_trainings,"
				    "target_households_visited");
	make_programmes(&m, opg);
	n = out_close(opg);
	report(only, "programmes", "programmes.csv", n);
	make_contracts(&m, o, oe, os, opay);
	n = out_close(o);
	report(only, "contracts", "contracts.csv", n);
	n = out_close(oe);
	report(only, "evaluations", "evaluations.csv", n);
	n = out_close(os);
	report(only, "evaluation_scores", "evaluation_scores.csv", n);
	n = out_close(opay);
	report(only, "payments", "payments.csv", n);

	o = out_maybe(dir, only, "plans", "plans.csv",
		      "division,year,stations_target,social_workers_target,"
		      "point_coverage_target_pct");
	make_plans(&m, o);
	n = out_close(o);
	report(only, "plans", "plans.csv", n);

	o = out_maybe(dir, only, "community_orgs", "community_orgs.csv",
		      "community,name,kind,registration,credit_code,filed_on,members,status");
	make_community_orgs(&m, o);
	n = out_close(o);
	report(only, "community_orgs", "community_orgs.csv", n);

	o = out_maybe(dir, only, "supervisions", "supervisions.csv",
		      "station,held_on,kind,supervisor,hours,attendees,topics");
	make_supervisions(&m, o);
	n = out_close(o);
	report(only, "supervisions", "supervisions.csv", n);

	o = out_maybe(dir, only, "trainings", "trainings.csv",
		      "title,starts_on,organiser,level,kind,hours,attendees");
	make_trainings(&m, o);
	n = out_close(o);
	report(only, "trainings", "trainings.csv", n);

	fprintf(stderr, "gen: province %s, scale %g, seed %llu, today %s: %.2f s\n", m.province,
		m.scale, (unsigned long long)m.seed, date_str(m.today), now_seconds() - t0);
	return 0;
}
