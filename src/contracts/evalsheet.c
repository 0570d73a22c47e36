/* evalsheet.c - the evaluation sheet's queries (evalsheet.h): the sheet
 * read in two statements in the reader's scope (the contract, the
 * station and the evaluation under their row-level security; indicator
 * sets are everyone's reference data), saved in one through
 * sgz.evaluation_sheet_save() (0033, 0037), whose triggers (0025) check
 * each score and keep the total the sum, with what the sheet was read as
 * (sgz.evaluation_sheet_version()): a sheet saved by someone else since
 * is refused. */
#include "config.h"

#include "sgz/evalsheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/db.h"

/* The evaluation's subject, set, bands, whether it is stored and
 * writable, and the next year of the same programme's cycle. */
static const char head_sql[] =
    "SELECT sgz.evaluation_set($1, $2), c.year_no, coalesce(p.cycle_years, 3),\n"
    "       coalesce(c.programme, ''),\n"
    "       coalesce(CASE WHEN $1::text IS NOT NULL THEN o.name ELSE d.name END, ''),\n"
    "       sgz.setting_value('grade_excellent'), sgz.setting_value('grade_good'),\n"
    "       sgz.setting_value('grade_pass'),\n"
    "       (c.contract_no IS NOT NULL OR t.township IS NOT NULL),\n"
    "       e.id IS NOT NULL,\n"
    "       has_function_privilege('sgz.evaluation_sheet_save(text, text, text, date, text[],"
    " numeric[], text)', 'EXECUTE')\n"
    "         AND sgz.evaluation_writable($1, $2),\n"
    "       (SELECT n.contract_no FROM sgz.contract n\n"
    "         WHERE n.purchaser = c.purchaser AND n.organization = c.organization\n"
    "           AND n.cycle_start = c.cycle_start AND n.year_no = c.year_no + 1\n"
    "           AND n.programme IS NOT DISTINCT FROM c.programme\n"
    "         ORDER BY n.contract_no LIMIT 1),\n"
    "       sgz.evaluation_sheet_version($1, $2, $3, $4::date)\n"
    "  FROM (SELECT 1) one\n"
    "  LEFT JOIN sgz.contract c ON c.contract_no = $1\n"
    "  LEFT JOIN sgz.programme p ON p.code = c.programme\n"
    "  LEFT JOIN sgz.organization o ON o.credit_code = c.organization\n"
    "  LEFT JOIN sgz.station t ON t.township = $2\n"
    "  LEFT JOIN sgz.division d ON d.code = $2\n"
    "  LEFT JOIN sgz.evaluation e ON e.contract_no IS NOT DISTINCT FROM $1\n"
    "   AND e.station IS NOT DISTINCT FROM $2 AND e.kind = $3 AND e.evaluated_on = $4::date";

/* The set's indicators, each first-level one followed by those under
 * it, with the scores stored. */
static const char rows_sql[] =
    "SELECT i.code, i.name, i.parent, (i.weight * 10)::int,\n"
    "       NOT EXISTS (SELECT 1 FROM sgz.indicator k\n"
    "                    WHERE k.indicator_set = i.indicator_set AND k.parent = i.code),\n"
    "       (s.score * 10)::int\n"
    "  FROM sgz.indicator i\n"
    "  LEFT JOIN sgz.evaluation_score s ON s.contract_no IS NOT DISTINCT FROM $2\n"
    "   AND s.station IS NOT DISTINCT FROM $3 AND s.kind = $4 AND s.evaluated_on = $5::date\n"
    "   AND s.indicator = i.code\n"
    " WHERE i.indicator_set = $1\n"
    " ORDER BY coalesce(i.parent, i.code) COLLATE \"C\", i.parent IS NOT NULL,\n"
    "          i.code COLLATE \"C\"";

static char *cell(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

static int tenths(const char *v)
{
	/* a setting or a weight: numeric, at most one decimal kept */
	double d = strtod(v, NULL);
	return (int)(d * 10 + (d >= 0 ? 0.5 : -0.5));
}

int evalsheet_load(struct db *db, const char *contract, const char *station, const char *kind,
		   const char *date, struct evalsheet **out, struct sgz_err *err)
{
	const char *hp[4] = {contract, station, kind, date};
	struct evalsheet *s;
	PGresult *res;

	*out = NULL;
	res = db_async_query(db, head_sql, 4, hp, err);
	if (!res)
		return -1;
	s = xcalloc(1, sizeof(*s));
	s->contract_no = contract ? xstrdup(contract) : NULL;
	s->station = station ? xstrdup(station) : NULL;
	s->kind = xstrdup(kind);
	s->evaluated_on = xstrdup(date);
	s->indicator_set = cell(res, 0, 0);
	s->year_no = PQgetisnull(res, 0, 1) ? 0 : atoi(PQgetvalue(res, 0, 1));
	s->cycle_years = atoi(PQgetvalue(res, 0, 2));
	s->programme = cell(res, 0, 3);
	s->subject = cell(res, 0, 4);
	s->excellent = tenths(PQgetvalue(res, 0, 5));
	s->good = tenths(PQgetvalue(res, 0, 6));
	s->pass = tenths(PQgetvalue(res, 0, 7));
	s->found = strcmp(PQgetvalue(res, 0, 8), "t") == 0;
	s->stored = strcmp(PQgetvalue(res, 0, 9), "t") == 0;
	s->writable = strcmp(PQgetvalue(res, 0, 10), "t") == 0;
	s->next_contract = cell(res, 0, 11);
	s->version = cell(res, 0, 12);
	PQclear(res);
	if (s->found && s->indicator_set) {
		const char *rp[5] = {s->indicator_set, contract, station, kind, date};
		res = db_async_query(db, rows_sql, 5, rp, err);
		if (!res) {
			evalsheet_free(s);
			return -1;
		}
		s->n = (size_t)PQntuples(res);
		s->rows = xcalloc(s->n ? s->n : 1, sizeof(*s->rows));
		for (size_t i = 0; i < s->n; i++) {
			struct evalsheet_row *r = &s->rows[i];
			int k = (int)i;
			r->code = cell(res, k, 0);
			r->name = cell(res, k, 1);
			r->parent = cell(res, k, 2);
			r->weight = atoi(PQgetvalue(res, k, 3));
			r->leaf = strcmp(PQgetvalue(res, k, 4), "t") == 0;
			r->score = PQgetisnull(res, k, 5) ? -1 : atoi(PQgetvalue(res, k, 5));
		}
		PQclear(res);
	}
	*out = s;
	return 0;
}

void evalsheet_free(struct evalsheet *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->rows[i].code);
		free(s->rows[i].name);
		free(s->rows[i].parent);
	}
	free(s->rows);
	free(s->contract_no);
	free(s->station);
	free(s->kind);
	free(s->evaluated_on);
	free(s->subject);
	free(s->programme);
	free(s->indicator_set);
	free(s->next_contract);
	free(s->version);
	free(s);
}

int evalsheet_sum(const struct evalsheet *s, const char *parent)
{
	int sum = -1;

	for (size_t i = 0; i < s->n; i++) {
		const struct evalsheet_row *r = &s->rows[i];
		if (!r->leaf || r->score < 0)
			continue;
		if (parent && !(r->parent ? strcmp(r->parent, parent) == 0
					  : strcmp(r->code, parent) == 0))
			continue;
		sum = (sum < 0 ? 0 : sum) + r->score;
	}
	return sum;
}

/* sgz.grade()'s rule (0003) over the bands the database gave. */
const char *evalsheet_grade(const struct evalsheet *s, int total)
{
	if (total >= s->excellent)
		return "excellent";
	if (total >= s->good)
		return "good";
	if (total >= s->pass)
		return "pass";
	return "fail";
}

/* programmes.md, Cycle and renewal: as the evaluations' derived decision
 * (entities.c) and the contracts report. */
const char *evalsheet_decision(const struct evalsheet *s, int total)
{
	if (!s->contract_no || (strcmp(s->kind, "annual") != 0 && strcmp(s->kind, "final") != 0))
		return NULL;
	if (total < 0)
		return "pending";
	if (strcmp(evalsheet_grade(s, total), "fail") == 0)
		return "reprocure";
	return s->year_no < s->cycle_years ? "renew" : "cycle_end";
}

int evalsheet_save(struct db *db, struct evalsheet *s, int *total, struct sgz_err *err)
{
	struct strbuf codes = {0}, scores = {0};
	char buf[16];
	const char *p[7];
	PGresult *res;
	int rc = -1;

	sb_addc(&codes, '{');
	sb_addc(&scores, '{');
	for (size_t i = 0; i < s->n; i++) {
		const struct evalsheet_row *r = &s->rows[i];
		if (!r->leaf)
			continue;
		if (codes.len > 1) {
			sb_addc(&codes, ',');
			sb_addc(&scores, ',');
		}
		/* an array literal's element, quoted */
		sb_addc(&codes, '"');
		for (const char *c = r->code; *c; c++) {
			if (*c == '"' || *c == '\\')
				sb_addc(&codes, '\\');
			sb_addc(&codes, *c);
		}
		sb_addc(&codes, '"');
		if (r->score < 0) {
			sb_adds(&scores, "NULL");
		} else {
			evalsheet_format(r->score, buf);
			sb_adds(&scores, buf);
		}
	}
	sb_addc(&codes, '}');
	sb_addc(&scores, '}');
	p[0] = s->contract_no;
	p[1] = s->station;
	p[2] = s->kind;
	p[3] = s->evaluated_on;
	p[4] = sb_str(&codes);
	p[5] = sb_str(&scores);
	p[6] = s->version ? s->version : "";
	res = db_async_query(db,
			     "SELECT (v.total * 10)::int, v.version\n"
			     "  FROM sgz.evaluation_sheet_save($1, $2, $3, $4::date, $5::text[],"
			     " $6::numeric[], $7) v",
			     7, p, err);
	if (res) {
		*total = PQgetisnull(res, 0, 0) ? -1 : atoi(PQgetvalue(res, 0, 0));
		free(s->version);
		s->version = cell(res, 0, 1);
		s->stored = true;
		PQclear(res);
		rc = 0;
	}
	sb_free(&codes);
	sb_free(&scores);
	return rc;
}

int evalsheet_next(struct db *db, const struct evalsheet *s, char **kind, char **date,
		   struct sgz_err *err)
{
	const char *p[2] = {s->next_contract, s->evaluated_on};
	PGresult *res;

	*kind = *date = NULL;
	if (!s->next_contract)
		return 0;
	res = db_async_query(
	    db,
	    "SELECT coalesce((SELECT e.kind FROM sgz.evaluation e WHERE e.contract_no = $1\n"
	    "                    AND e.kind IN ('annual', 'final')\n"
	    "                  ORDER BY e.evaluated_on DESC, e.kind = 'final' DESC LIMIT 1),\n"
	    "                'annual'),\n"
	    "       coalesce((SELECT e.evaluated_on FROM sgz.evaluation e WHERE e.contract_no = $1\n"
	    "                    AND e.kind IN ('annual', 'final')\n"
	    "                  ORDER BY e.evaluated_on DESC, e.kind = 'final' DESC LIMIT 1),\n"
	    "                ($2::date + interval '1 year')::date)::text",
	    2, p, err);
	if (!res)
		return -1;
	*kind = cell(res, 0, 0);
	*date = cell(res, 0, 1);
	PQclear(res);
	return 1;
}

int evalsheet_pick(struct db *db, const char *contract, const char *station, char **kind,
		   char **date, struct sgz_err *err)
{
	const char *p[2] = {contract, station};
	PGresult *res;
	int rc;

	*kind = *date = NULL;
	res = db_async_query(
	    db,
	    "SELECT coalesce(e.kind, 'annual'),\n"
	    "       coalesce(e.evaluated_on,\n"
	    "                least(current_date, make_date(c.cycle_start + c.year_no - 1, 12, 31)),\n"
	    "                current_date)::text\n"
	    "  FROM (SELECT 1) one\n"
	    "  LEFT JOIN sgz.contract c ON c.contract_no = $1\n"
	    "  LEFT JOIN sgz.station t ON t.township = $2\n"
	    "  LEFT JOIN LATERAL (SELECT x.kind, x.evaluated_on FROM sgz.evaluation x\n"
	    "                      WHERE x.contract_no IS NOT DISTINCT FROM $1\n"
	    "                        AND x.station IS NOT DISTINCT FROM $2\n"
	    "                        AND x.kind IN ('annual', 'final')\n"
	    "                      ORDER BY x.evaluated_on DESC, x.kind = 'final' DESC LIMIT 1) e\n"
	    "    ON true\n"
	    " WHERE c.contract_no IS NOT NULL OR t.township IS NOT NULL",
	    2, p, err);
	if (!res)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
		*kind = cell(res, 0, 0);
		*date = cell(res, 0, 1);
	}
	PQclear(res);
	return rc;
}

int evalsheet_parse(const char *s)
{
	int v = 0, digits = 0, frac = -1;

	while (*s == ' ')
		s++;
	for (; *s && *s != ' '; s++) {
		if (*s >= '0' && *s <= '9') {
			if (frac >= 0) {
				if (frac >= 1)
					return -1; /* one decimal */
				frac++;
				v = v * 10 + (*s - '0');
			} else {
				if (++digits > 3)
					return -1;
				v = v * 10 + (*s - '0');
			}
		} else if (*s == '.' && frac < 0 && digits) {
			frac = 0;
		} else {
			return -1;
		}
	}
	while (*s == ' ')
		s++;
	if (*s || !digits)
		return -1;
	if (frac <= 0)
		v *= 10;
	return v > 1000 ? -1 : v;
}

void evalsheet_format(int tenths, char *buf)
{
	if (tenths % 10)
		snprintf(buf, 16, "%d.%d", tenths / 10, tenths % 10);
	else
		snprintf(buf, 16, "%d", tenths / 10);
}
