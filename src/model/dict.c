/* dict.c - lookups over the data dictionary and the parsing of one cell into
 * the canonical text that is stored, exported and shown. */
#include "config.h"

#include "sgz/dict.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sgz/date.h"
#include "sgz/division.h"
#include "sgz/validate.h"

extern const struct dict_entity *const sgz_entities[];
extern const size_t sgz_entities_count;

const struct dict_entity *const *dict_entities(size_t *n)
{
	*n = sgz_entities_count;
	return sgz_entities;
}

const struct dict_entity *dict_find(const char *name)
{
	for (size_t i = 0; i < sgz_entities_count; i++)
		if (strcmp(sgz_entities[i]->name, name) == 0)
			return sgz_entities[i];
	return NULL;
}

void dict_column_sql(const struct dict_field *f, const char *alias, struct strbuf *sql)
{
	if (!f->derived) {
		sb_addf(sql, "%s.%s", alias, f->column);
		return;
	}
	sb_addc(sql, '(');
	for (const char *p = f->derived; *p; p++) {
		if (p[0] == '@' && p[1] == '.')
			sb_adds(sql, alias);
		else
			sb_addc(sql, *p);
	}
	sb_addc(sql, ')');
}

const struct dict_field *dict_field_by_header(const struct dict_entity *e, const char *name)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (strcasecmp(f->column, name) == 0 ||
		    (f->label_zh && strcmp(f->label_zh, name) == 0) ||
		    (f->label_zh_was && strcmp(f->label_zh_was, name) == 0))
			return f;
	}
	return NULL;
}

int dict_field_index(const struct dict_entity *e, const struct dict_field *f)
{
	if (f < e->fields || f >= e->fields + e->nfields)
		return -1;
	return (int)(f - e->fields);
}

const char *dict_sql_type(const struct dict_field *f)
{
	switch (f->type) {
	case DT_TEXT:
	case DT_DIVISION:
	case DT_CHOICE:
	case DT_PATTERN:
		return f->sql_type ? f->sql_type : "text";
	case DT_DATE:
		return "date";
	case DT_INT:
		return f->sql_type ? f->sql_type : "integer";
	case DT_NUMBER:
	case DT_MONEY:
		return f->sql_type ? f->sql_type : "numeric";
	case DT_BOOL:
		return "boolean";
	case DT_CHOICES:
	case DT_DIVISIONS:
		return "text[]";
	}
	return "text";
}

const struct dict_choice *dict_choice_find(const struct dict_choice *choices, const char *s)
{
	for (const struct dict_choice *c = choices; c && c->code; c++)
		if (strcasecmp(c->code, s) == 0 || (c->label_zh && strcmp(c->label_zh, s) == 0) ||
		    (c->label_en && strcasecmp(c->label_en, s) == 0))
			return c;
	return NULL;
}

/* The label of choice c (found for code) in the reader's language. */
static const char *choice_label(const struct dict_choice *c, const char *code, int zh)
{
	const char *l = c ? (zh ? c->label_zh : c->label_en) : NULL;

	return l ? l : code;
}

void dict_value_label(const struct dict_field *f, const char *v, struct strbuf *out)
{
	dict_value_label_lang(f, v, 1, out);
}

void dict_value_label_lang(const struct dict_field *f, const char *v, int zh, struct strbuf *out)
{
	const struct dict_choice *c;

	if (!v)
		return;
	switch (f->type) {
	case DT_BOOL:
		if (zh && (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0))
			v = strcmp(v, "yes") == 0 ? "是" : "否";
		sb_adds(out, v);
		return;
	case DT_CHOICE:
		c = dict_choice_find(f->choices, v);
		sb_adds(out, choice_label(c, v, zh));
		return;
	case DT_CHOICES:
		for (const char *p = v; *p;) {
			size_t len = strcspn(p, ";");
			char *code = xstrndup(p, len);
			c = dict_choice_find(f->choices, code);
			if (p != v)
				sb_addc(out, ';');
			sb_adds(out, choice_label(c, code, zh));
			free(code);
			p += len + (p[len] == ';');
		}
		return;
	case DT_TEXT:
	case DT_DIVISION:
	case DT_DATE:
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
	case DT_PATTERN:
	case DT_DIVISIONS:
		break;
	}
	sb_adds(out, v);
}

/* Blanks around a cell are never data: ASCII space, tab and U+3000. */
static void trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	for (;;) {
		if (n && (*p == ' ' || *p == '\t')) {
			p++, n--;
		} else if (n >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) {
			p += 3, n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		else if (n >= 3 && memcmp(p + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	*s = p;
	*len = n;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t chars = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

static int parse_text(const struct dict_field *f, const char *s, size_t n, struct strbuf *out,
		      struct sgz_err *err)
{
	int max = f->max_len ? f->max_len : 200;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' && (f->flags & DF_MULTILINE))
			continue;
		if (c < 0x20 || c == 0x7f) {
			sgz_err_set(err, SGZ_EDATA,
				    "control character (byte 0x%02x) not allowed in this field", c);
			return -1;
		}
	}
	size_t chars = utf8_chars(s, n);
	if (chars > (size_t)max) {
		sgz_err_set(err, SGZ_EDATA, "too long: %zu characters, at most %d", chars, max);
		return -1;
	}
	sb_addn(out, s, n);
	return 0;
}

/* A plain decimal: optional minus, digits, optional point and digits. */
static int decimal_shape(const char *s, int *decimals)
{
	const char *p = s;
	int digits = 0;

	*decimals = 0;
	if (*p == '-')
		p++;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, (*decimals)++;
		if (*decimals == 0)
			return -1;
	}
	return (*p == '\0' && digits > 0) ? 0 : -1;
}

static void fmt_bound(char *buf, size_t size, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%g", v);
}

static int check_range(const struct dict_field *f, double v, struct sgz_err *err)
{
	char lo[32], hi[32];

	if (f->min == 0 && f->max == 0)
		return 0;
	if (v >= f->min && v <= f->max)
		return 0;
	fmt_bound(lo, sizeof(lo), f->min);
	fmt_bound(hi, sizeof(hi), f->max);
	sgz_err_set(err, SGZ_EDATA, "out of range: must be between %s and %s", lo, hi);
	return -1;
}

static int parse_int(const struct dict_field *f, const char *s, struct strbuf *out,
		     struct sgz_err *err)
{
	int decimals;

	if (decimal_shape(s, &decimals) < 0 || decimals > 0 || strlen(s) > 18) {
		sgz_err_set(err, SGZ_EDATA, "not a whole number (digits only, no separators)");
		return -1;
	}
	long long v = strtoll(s, NULL, 10);
	if (check_range(f, (double)v, err) < 0)
		return -1;
	sb_addf(out, "%lld", v);
	return 0;
}

static int parse_number(const struct dict_field *f, const char *s, int scale, struct strbuf *out,
			struct sgz_err *err)
{
	int decimals;

	if (decimal_shape(s, &decimals) < 0 || strlen(s) > 24) {
		sgz_err_set(err, SGZ_EDATA, "not a number (digits with an optional decimal point)");
		return -1;
	}
	if (decimals > scale) {
		if (scale == 0)
			sgz_err_set(err, SGZ_EDATA, "must be a whole number");
		else if (scale == 1)
			sgz_err_set(err, SGZ_EDATA, "at most %d decimal", scale);
		else
			sgz_err_set(err, SGZ_EDATA, "at most %d decimals", scale);
		return -1;
	}
	if (check_range(f, strtod(s, NULL), err) < 0)
		return -1;
	sb_adds(out, s);
	return 0;
}

/* Money is yuan. 25万 is the commonest slip: refuse it and show the yuan. */
static int parse_money(const struct dict_field *f, const char *s, struct strbuf *out,
		       struct sgz_err *err)
{
	const char *wan = strstr(s, "万");

	if (wan) {
		char num[64];
		size_t n = (size_t)(wan - s);
		int decimals;
		if (n < sizeof(num)) {
			memcpy(num, s, n);
			num[n] = '\0';
			if (decimal_shape(num, &decimals) == 0) {
				double yuan = strtod(num, NULL) * 10000.0;
				sgz_err_set(err, SGZ_EDATA,
					    "amounts are in yuan, not 万元: write %.2f for %s", yuan, s);
				return -1;
			}
		}
		sgz_err_set(err, SGZ_EDATA, "amounts are in yuan, not 万元 (write e.g. 250000)");
		return -1;
	}
	if (strchr(s, ',')) {
		sgz_err_set(err, SGZ_EDATA, "write the amount without separators (e.g. 250000.00)");
		return -1;
	}
	return parse_number(f, s, 2, out, err);
}

static int parse_bool(const char *s, struct strbuf *out, struct sgz_err *err)
{
	static const char *const yes[] = { "yes", "y", "1", "true", "是" };
	static const char *const no[] = { "no", "n", "0", "false", "否" };

	for (size_t i = 0; i < SGZ_ARRAY_LEN(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			sb_adds(out, "yes");
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			sb_adds(out, "no");
			return 0;
		}
	}
	sgz_err_set(err, SGZ_EDATA, "not yes or no (also 是/否, y/n, 1/0, true/false)");
	return -1;
}

static void choice_codes(const struct dict_choice *choices, struct strbuf *sb)
{
	for (const struct dict_choice *c = choices; c && c->code; c++) {
		if (c != choices)
			sb_adds(sb, ", ");
		sb_adds(sb, c->code);
		if (c->label_zh)
			sb_addf(sb, " (%s)", c->label_zh);
	}
}

static int parse_choice(const struct dict_field *f, const char *s, struct strbuf *out,
			struct sgz_err *err)
{
	const struct dict_choice *c = dict_choice_find(f->choices, s);

	if (!c) {
		struct strbuf sb = { 0 };
		choice_codes(f->choices, &sb);
		sgz_err_set(err, SGZ_EDATA, "'%s' is not one of: %s", s, sb_str(&sb));
		sb_free(&sb);
		return -1;
	}
	sb_adds(out, c->code);
	return 0;
}

/* Splits s at ; (and ；or 、, as typed on Chinese keyboards) and calls fn on
 * each trimmed, non-empty item. Stops at the first item fn refuses. */
static int split_list(const char *s, int (*fn)(const char *item, void *arg), void *arg)
{
	struct strbuf item = { 0 };
	int rc = 0;

	while (*s && rc == 0) {
		size_t n = 0, sep = 0;
		while (s[n]) {
			if (s[n] == ';') {
				sep = 1;
				break;
			}
			if (strncmp(s + n, "；", 3) == 0 || strncmp(s + n, "、", 3) == 0) {
				sep = 3;
				break;
			}
			n++;
		}
		const char *t = s;
		size_t tn = n;
		trim(&t, &tn);
		if (tn) {
			sb_reset(&item);
			sb_addn(&item, t, tn);
			rc = fn(sb_str(&item), arg);
		}
		s += n + sep;
	}
	sb_free(&item);
	return rc;
}

struct code_list {
	char (*codes)[DIVISION_CODE_LEN + 1];
	size_t n, cap;
	struct sgz_err *err;
};

static int add_code(const char *item, void *arg)
{
	struct code_list *l = arg;
	char code[DIVISION_CODE_LEN + 1];

	if (division_code_normalize(item, code, l->err) < 0)
		return -1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->codes = xreallocarray(l->codes, l->cap, sizeof(*l->codes));
	}
	memcpy(l->codes[l->n++], code, sizeof(code));
	return 0;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A ;-list of division codes, sorted and without repeats so that equal sets
 * compare equal. */
static int parse_divisions(const char *s, struct strbuf *out, struct sgz_err *err)
{
	struct code_list l = { .err = err };
	int rc = split_list(s, add_code, &l);

	if (rc == 0) {
		qsort(l.codes, l.n, sizeof(*l.codes), code_cmp);
		for (size_t i = 0; i < l.n; i++) {
			if (i && strcmp(l.codes[i], l.codes[i - 1]) == 0)
				continue;
			if (out->len)
				sb_addc(out, ';');
			sb_adds(out, l.codes[i]);
		}
	}
	free(l.codes);
	return rc;
}

/* A ;-list of choices (；and 、 too, as typed on Chinese keyboards). Kept in
 * the order of the choice list, without repeats, so that equal sets compare
 * equal as text. */
static int parse_choices(const struct dict_field *f, const char *s, struct strbuf *out,
			 struct sgz_err *err)
{
	size_t nchoices = 0;
	for (const struct dict_choice *c = f->choices; c && c->code; c++)
		nchoices++;
	char *seen = xcalloc(nchoices ? nchoices : 1, 1);
	struct strbuf item = { 0 };
	int rc = 0;
	const char *p = s;

	while (*p) {
		size_t n = 0, sep = 0;
		while (p[n]) {
			if (p[n] == ';') {
				sep = 1;
				break;
			}
			if (strncmp(p + n, "；", 3) == 0 || strncmp(p + n, "、", 3) == 0) {
				sep = 3;
				break;
			}
			n++;
		}
		const char *t = p;
		size_t tn = n;
		trim(&t, &tn);
		if (tn) {
			sb_reset(&item);
			sb_addn(&item, t, tn);
			const struct dict_choice *c = dict_choice_find(f->choices, sb_str(&item));
			if (!c) {
				struct strbuf sb = { 0 };
				choice_codes(f->choices, &sb);
				sgz_err_set(err, SGZ_EDATA, "'%s' is not one of: %s", sb_str(&item),
					    sb_str(&sb));
				sb_free(&sb);
				rc = -1;
				goto out;
			}
			seen[c - f->choices] = 1;
		}
		p += n + sep;
	}
	for (size_t i = 0, first = 1; i < nchoices; i++) {
		if (!seen[i])
			continue;
		if (!first)
			sb_addc(out, ';');
		sb_adds(out, f->choices[i].code);
		first = 0;
	}
out:
	sb_free(&item);
	free(seen);
	return rc;
}

/* The dictionary's patterns, each compiled once for the process: an
 * import checks one per cell, and compiling it each time was half the
 * time of a visits import. The patterns are the dictionary's static
 * strings, so the pointer names one; a cache this size holds all of
 * them (one is compiled each time only past it). */
#define PATTERN_CACHE 16

static const regex_t *compiled(const char *pattern, regex_t *scratch, bool *owned)
{
	static struct {
		const char *pattern;
		regex_t re;
	} cache[PATTERN_CACHE];
	static size_t n;

	for (size_t i = 0; i < n; i++)
		if (cache[i].pattern == pattern)
			return &cache[i].re;
	regex_t *re = n < PATTERN_CACHE ? &cache[n].re : scratch;
	if (regcomp(re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		sgz_fatal("bad pattern in the data dictionary: %s", pattern);
	*owned = re == scratch;
	if (!*owned)
		cache[n++].pattern = pattern;
	return re;
}

static int parse_pattern(const struct dict_field *f, const char *s, struct strbuf *out,
			 struct sgz_err *err)
{
	regex_t scratch;
	bool owned = false;
	const regex_t *re = compiled(f->pattern, &scratch, &owned);

	int match = regexec(re, s, 0, NULL, 0) == 0;
	if (owned)
		regfree(&scratch);
	if (!match) {
		sgz_err_set(err, SGZ_EDATA, "%s", f->pattern_rule ? f->pattern_rule : "bad format");
		return -1;
	}
	sb_adds(out, s);
	return 0;
}

int dict_parse_value(const struct dict_field *f, const char *in, struct strbuf *out,
		     struct sgz_err *err)
{
	const char *s = in ? in : "";
	size_t n = strlen(s);
	int rc = -1;

	sb_reset(out);
	trim(&s, &n);
	if (n == 0 && f->def) {
		sb_adds(out, f->def);
		return 0;
	}
	if (n == 0) {
		if ((f->flags & DF_REQUIRED) && !(f->flags & (DF_AUTO | DF_NOEXPORT))) {
			sgz_err_set(err, SGZ_EDATA, "a value is required");
			return -1;
		}
		return 0;
	}
	char *v = xstrndup(s, n);
	switch (f->type) {
	case DT_TEXT:
		rc = parse_text(f, v, n, out, err);
		break;
	case DT_DIVISION: {
		char code[DIVISION_CODE_LEN + 1];
		rc = division_code_normalize(v, code, err);
		if (rc == 0)
			sb_adds(out, code);
		break;
	}
	case DT_DATE: {
		struct sgz_date d;
		char iso[11];
		rc = date_parse(v, &d, err);
		if (rc == 0) {
			date_format(&d, iso);
			sb_adds(out, iso);
		}
		break;
	}
	case DT_INT:
		rc = parse_int(f, v, out, err);
		break;
	case DT_NUMBER:
		rc = parse_number(f, v, f->scale, out, err);
		break;
	case DT_MONEY:
		rc = parse_money(f, v, out, err);
		break;
	case DT_BOOL:
		rc = parse_bool(v, out, err);
		break;
	case DT_CHOICE:
		rc = parse_choice(f, v, out, err);
		break;
	case DT_CHOICES:
		rc = parse_choices(f, v, out, err);
		break;
	case DT_PATTERN:
		rc = parse_pattern(f, v, out, err);
		break;
	case DT_DIVISIONS:
		rc = parse_divisions(v, out, err);
		break;
	}
	free(v);
	if (rc == 0 && f->validate && out->len) {
		/* A validator may warn: rc 0 with a message. */
		char *norm = xstrdup(sb_str(out));
		sb_reset(out);
		rc = f->validate(norm, out, err);
		free(norm);
		if (rc == 0 && err)
			err->status = SGZ_OK;
	}
	if (rc < 0)
		sb_reset(out);
	return rc;
}

bool dict_by_pid(const struct dict_entity *e, const struct dict_field *f)
{
	return e->view && f->pid_column;
}

const char *dict_person_table(const struct dict_entity *e, const struct dict_field *f)
{
	if (!f->pid_column)
		return NULL;
	return f->pick_table ? f->pick_table : e->table;
}

void dict_stage_pid_sql(const struct dict_entity *e, const struct dict_field *f,
			struct strbuf *sql)
{
	/* identifiers and table names from the dictionary, never typed */
	sb_addf(sql,
		"UPDATE stage s SET %1$s = l.pid\n"
		"  FROM sgz.person_lookup('%2$s', ARRAY(SELECT DISTINCT q.%3$s FROM stage q\n"
		"                                        WHERE q.%1$s IS NULL AND q.%3$s IS NOT NULL)) l\n"
		" WHERE s.%1$s IS NULL AND l.id_number = s.%3$s",
		f->pid_column, dict_person_table(e, f), f->column);
}

/* ---- references shown by name (spec/work.md, "People and places, not
 * codes") ---- */

const struct dict_entity *dict_entity_of_table(const char *table)
{
	for (size_t i = 0; table && i < sgz_entities_count; i++)
		if (strcmp(sgz_entities[i]->table, table) == 0)
			return sgz_entities[i];
	return NULL;
}

/* The entity a ref_table field refers to, when it is shown by name. */
static const struct dict_entity *named_ref(const struct dict_field *f)
{
	const struct dict_entity *r = !(f->flags & DF_CODE) && f->ref_table && f->ref_column
					  ? dict_entity_of_table(f->ref_table)
					  : NULL;

	return r && r->shown ? r : NULL;
}

/* A person named by pid, shown by the view's name column. */
static bool named_person(const struct dict_entity *e, const struct dict_field *f)
{
	return dict_by_pid(e, f) && f->name_column && f->pick_table;
}

bool dict_shows_name(const struct dict_entity *e, const struct dict_field *f)
{
	return named_person(e, f) || named_ref(f);
}

bool dict_shows_code(const struct dict_field *f)
{
	const struct dict_entity *r = named_ref(f);

	return r && r->shown_keyed;
}

/* The referenced row r by its key: " FROM <view or table> r WHERE
 * r.<ref_column> = <value>" */
static void add_ref_from(const struct dict_entity *r, const struct dict_field *f,
			 struct strbuf *sql)
{
	sb_addf(sql, " FROM %s r WHERE r.%s = ", r->view ? r->view : r->table, f->ref_column);
}

/* The names of a list of codes (array, an SQL expression of text[]) in
 * its order, ';'-separated; a code that refers to nothing marked as one
 * alone is. */
static void add_list_names(const struct dict_entity *r, const struct dict_field *f,
			   const char *array, struct strbuf *sql)
{
	sb_addf(sql,
		"(SELECT string_agg(coalesce((SELECT %s FROM %s r WHERE r.%s = u.v), '%s' || u.v),"
		" ';' ORDER BY u.o) FROM unnest(%s) WITH ORDINALITY u(v, o))",
		r->shown, r->view ? r->view : r->table, f->ref_column, DICT_UNRESOLVED, array);
}

void dict_name_sql(const struct dict_entity *e, const struct dict_field *f, const char *alias,
		   struct strbuf *sql)
{
	const struct dict_entity *r = named_ref(f);

	if (named_person(e, f)) {
		sb_addf(sql, "%s.%s", alias, f->name_column);
		return;
	}
	if (!r) {
		sb_adds(sql, "NULL::text");
		return;
	}
	if (f->type == DT_DIVISIONS) {
		struct strbuf array = {0};
		sb_addf(&array, "%s.%s", alias, f->column);
		add_list_names(r, f, sb_str(&array), sql);
		sb_free(&array);
		return;
	}
	/* one look-up in the referenced table's key per row shown */
	sb_addf(sql, "(SELECT %s", r->shown);
	add_ref_from(r, f, sql);
	sb_addf(sql, "%s.%s)", alias, f->column);
}

/* The people of table (a view's entity's) whose name as the view shows it
 * matches pattern, or whose initials do (initials: 0021's person_match()
 * in the reader's scope, a child found only by what the view shows). */
static void add_person_match(struct strbuf *sql, const char *table, const char *pattern,
			     bool initials)
{
	sb_addf(sql, "(SELECT p.pid FROM sgz.person_match('%s', %s, ", table, pattern);
	if (initials)
		sb_addf(sql, "lower(substr(%s, 2))", pattern);
	else
		sb_adds(sql, "NULL");
	sb_adds(sql, ") p)");
}

bool dict_names_masked(const char *table)
{
	/* 0012's sgz.recipient_v: a child's name is 刘* but to admins */
	return table && strcmp(table, "sgz.recipient") == 0;
}

void dict_person_match_sql(const struct dict_entity *e, const struct dict_field *f,
			   const char *alias, const char *pattern, bool initials,
			   struct strbuf *sql)
{
	const char *table = dict_person_table(e, f);
	const struct dict_entity *p = dict_entity_of_table(table);

	if (!table) { /* not a person's field */
		sb_adds(sql, "false");
		return;
	}
	sb_addf(sql, "%s.%s IN ", alias, f->pid_column);
	if (dict_names_masked(table) || !p || !p->view) {
		add_person_match(sql, table, pattern, initials);
		return;
	}
	/* names the view shows as they are (staff, volunteers): compared
	 * there, in the reader's scope, without a function's call */
	sb_addf(sql, "(SELECT p.pid FROM %s p WHERE p.name ILIKE %s", p->view, pattern);
	if (initials)
		sb_addf(sql, " OR p.initials LIKE lower(substr(%s, 2))", pattern);
	sb_adds(sql, ")");
}

void dict_name_match_sql(const struct dict_entity *e, const struct dict_field *f,
			 const char *alias, const char *pattern, bool initials, struct strbuf *sql)
{
	const struct dict_entity *r;

	if (named_person(e, f)) {
		const struct dict_entity *p = dict_entity_of_table(f->pick_table);
		bool pinyin = false;
		for (size_t i = 0; initials && p && i < p->nfields; i++)
			pinyin = pinyin || (p->fields[i].flags & DF_PINYIN);
		/* the people of the reader's scope as the view shows them (a
		 * child's name masked, so not found by it), the referring rows
		 * by their pid column */
		dict_person_match_sql(e, f, alias, pattern, pinyin, sql);
		return;
	}
	/* a reference shown as its code (a station's township) is found by
	 * the name it refers to all the same */
	r = f->ref_table && f->ref_column ? dict_entity_of_table(f->ref_table) : NULL;
	if (!r || !r->shown) {
		sb_adds(sql, "false");
		return;
	}
	if (f->type == DT_DIVISIONS) {
		/* a code of the list whose name matches */
		sb_addf(sql,
			"EXISTS (SELECT 1 FROM unnest(%s.%s) u(v) JOIN %s r ON r.%s = u.v"
			" WHERE (%s) ILIKE %s",
			alias, f->column, r->view ? r->view : r->table, f->ref_column, r->shown,
			pattern);
		if (initials && r->shown_initials)
			sb_addf(sql, " OR (%s) LIKE lower(substr(%s, 2))", r->shown_initials,
				pattern);
		sb_adds(sql, ")");
		return;
	}
	sb_addf(sql, "%s.%s IN (SELECT r.%s FROM %s r WHERE (", alias, f->column, f->ref_column,
		r->view ? r->view : r->table);
	const struct dict_field *by = r->shown_by ? dict_field_by_header(r, r->shown_by) : NULL;
	if (by) {
		/* named by a person of its own (a case by its recipient) */
		dict_name_match_sql(r, by, "r", pattern, initials, sql);
	} else {
		sb_addf(sql, "(%s) ILIKE %s", r->shown, pattern);
		if (initials && r->shown_initials)
			sb_addf(sql, " OR (%s) LIKE lower(substr(%s, 2))", r->shown_initials,
				pattern);
	}
	sb_adds(sql, ")");
	/* the referenced rows of the reader's scope: a range of their key,
	 * not the country's divisions */
	if (r->scope_column)
		sb_addf(sql,
			" AND r.%s BETWEEN (SELECT sgz.scope_low()) AND (SELECT sgz.scope_high())",
			r->scope_column);
	sb_adds(sql, ")");
}

void dict_name_of_sql(const struct dict_entity *e, const struct dict_field *f, const char *value,
		      struct strbuf *sql)
{
	const struct dict_entity *r = named_ref(f);

	if (named_person(e, f)) {
		const struct dict_entity *p = dict_entity_of_table(f->pick_table);
		sb_addf(sql, "(SELECT p.name FROM %s p WHERE p.pid = (%s)::bigint)",
			p && p->view ? p->view : f->pick_table, value);
		return;
	}
	if (!r) {
		sb_adds(sql, "NULL::text");
		return;
	}
	if (f->type == DT_DIVISIONS) {
		struct strbuf array = {0};
		sb_addf(&array, "string_to_array((%s)::text, ';')", value);
		add_list_names(r, f, sb_str(&array), sql);
		sb_free(&array);
		return;
	}
	sb_addf(sql, "(SELECT %s", r->shown);
	add_ref_from(r, f, sql);
	sb_addf(sql, "(%s)::text)", value);
}

/* ---- the checks of one cell that several entities share ---- */

int dict_v_credit_code(const char *in, struct strbuf *out, struct sgz_err *err)
{
	char code[CREDIT_CODE_LEN + 1];

	if (credit_code_normalize(in, code, err) < 0)
		return -1;
	sb_adds(out, code);
	return 0;
}

int dict_v_phone(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return phone_normalize(in, out, err);
}

int dict_v_idnum(const char *in, struct strbuf *out, struct sgz_err *err)
{
	char id[IDNUM_LEN + 1];
	struct idnum_info info;

	if (idnum_normalize(in, id, &info, err) < 0)
		return -1;
	sb_adds(out, id);
	if (info.born_pre1900)
		sgz_err_set(err, SGZ_OK, "born before 1900 (%04d): check the number",
			    info.birth.year);
	return 0;
}

int dict_v_level(const char *in, struct strbuf *out, struct sgz_err *err,
		   enum division_level min, enum division_level max, const char *what)
{
	enum division_level l = division_level(in);

	if (l < min || l > max) {
		sgz_err_set(err, SGZ_EDATA, "%s is a %s code; %s", in, division_level_name(l), what);
		return -1;
	}
	sb_adds(out, in);
	return 0;
}

int dict_v_township(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return dict_v_level(in, out, err, DIV_TOWNSHIP, DIV_TOWNSHIP,
		       "a station belongs to a township or street (9 significant digits)");
}

int dict_v_purchaser(const char *in, struct strbuf *out, struct sgz_err *err)
{
	return dict_v_level(in, out, err, DIV_PROVINCE, DIV_TOWNSHIP,
		       "the purchaser is a civil-affairs office: province to township");
}
