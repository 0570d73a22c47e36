/* deskdata.c - the desk's queries (deskdata.h).
 *
 * Two statements fill the desk: the user's own record and open cases, and
 * one row of figures per station in the scope. Each detail list is one
 * more. All run as the user, through the interface's wait hook (Esc
 * cancels): the scope is the database's (row-level security, the masking
 * views' own scope), people are read through the masking views or by the
 * columns of theirs every role may read, never a number column.
 *
 * A case's due date and "open" are the caseload report's (rules.md,
 * 0012_masking.sql): due = the last visit's next_due, else its date +
 * visit_interval_days, else the opening + visit_interval_days; open = not
 * closed and opened by today. The qualification deadline is hired_on + 2
 * years (rules.md, overdue unqualified), for active social-work staff not
 * qualified today. */
#include "config.h"

#include "sgz/deskdata.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/record.h"

/* A case's due date, over c (sgz.case_file or its view) and cfg.iv. */
#define DUE_SQL                                                                                    \
	"coalesce(lv.next_due, lv.visit_date + cfg.iv, c.opened_on + cfg.iv)"
/* A case's last visit up to today, lv (visit_date, next_due), over c: its
 * row of case_last_visit (0045) of this year or the latest before, one
 * probe of its key. Visits are never dated after the day they are
 * written (visit_check), so that row is today's last visit; were it
 * dated later (a clock set back), the visits up to today are read. COND
 * limits the cases looked up. */
#define LAST_VISIT_SQL(cond)                                                                       \
	"  LEFT JOIN LATERAL (SELECT l.visit_date, l.next_due FROM sgz.case_last_visit l\n"       \
	"                      WHERE " cond "l.case_no = c.case_no\n"                              \
	"                        AND l.year <= extract(year FROM current_date)::int\n"            \
	"                      ORDER BY l.year DESC LIMIT 1) sl ON true\n"                         \
	"  LEFT JOIN LATERAL (SELECT v.visit_date, v.next_due FROM sgz.visit v\n"                  \
	"                      WHERE sl.visit_date > current_date AND v.case_no = c.case_no\n"    \
	"                        AND v.visit_date <= current_date\n"                              \
	"                      ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST\n"          \
	"                      LIMIT 1) fv ON true\n"                                              \
	"  CROSS JOIN LATERAL (SELECT CASE WHEN sl.visit_date > current_date THEN fv.visit_date\n" \
	"                                  ELSE sl.visit_date END AS visit_date,\n"                \
	"                             CASE WHEN sl.visit_date > current_date THEN fv.next_due\n"   \
	"                                  ELSE sl.next_due END AS next_due) lv\n"
#define CFG_SQL                                                                                    \
	"cfg AS (\n"                                                                               \
	"  SELECT coalesce(max(s.value) FILTER (WHERE s.key = 'visit_interval_days'), 30)::int"    \
	" AS iv,\n"                                                                                \
	"         coalesce(max(s.value) FILTER (WHERE s.key = 'hours_due_working_days'), 10)::int" \
	" AS wd,\n"                                                                                \
	"         max(s.value) FILTER (WHERE s.key = 'target_recipients_served') AS t_served,\n"   \
	"         max(s.value) FILTER (WHERE s.key = 'target_individual_pct') AS t_individual,\n"  \
	"         max(s.value) FILTER (WHERE s.key = 'target_large_events') AS t_large,\n"         \
	"         max(s.value) FILTER (WHERE s.key = 'target_small_events') AS t_small,\n"         \
	"         max(s.value) FILTER (WHERE s.key = 'target_trainings') AS t_trainings,\n"        \
	"         coalesce(max(s.value) FILTER (WHERE s.key = 'progress_due_day'), 26)::int"        \
	" AS due_day\n"                                                                             \
	"    FROM sgz.setting s)"

/* The user's kind, today, his own staff record and its open cases; one
 * row even without a record (the cases' columns empty). */
static const char me_sql[] =
    "WITH " CFG_SQL ",\n"
    "me AS (SELECT s.pid, s.name FROM sgz.staff_v s WHERE s.pid = (SELECT sgz.user_staff()))\n"
    "SELECT sgz.current_kind(), current_date::text, me.name,\n"
    "       (SELECT d.name FROM sgz.division d\n"
    "         WHERE d.code = rpad(sgz.scope_prefix(), 12, '0')),\n"
    "       x.case_no, x.recipient_name, x.due::text, current_date - x.due,\n"
    "       cfg.t_served::text, cfg.t_individual::text, cfg.t_large::text, cfg.t_small::text,\n"
    "       cfg.t_trainings::text, cfg.due_day,\n"
    /* the county's monthly progress report of this month and the last,
     * when the scope is a county: the day each was submitted */
    "       (SELECT b.submitted_on::text FROM sgz.submission b\n"
    "         WHERE length(sgz.scope_prefix()) = 6 AND b.report = 'progress'\n"
    "           AND b.division = rpad(sgz.scope_prefix(), 12, '0')\n"
    "           AND b.period = to_char(current_date, 'YYYY-MM')),\n"
    "       (SELECT b.submitted_on::text FROM sgz.submission b\n"
    "         WHERE length(sgz.scope_prefix()) = 6 AND b.report = 'progress'\n"
    "           AND b.division = rpad(sgz.scope_prefix(), 12, '0')\n"
    "           AND b.period = to_char(current_date - interval '1 month', 'YYYY-MM'))\n"
    "  FROM cfg\n"
    "  LEFT JOIN me ON true\n"
    "  LEFT JOIN LATERAL (\n"
    "    SELECT c.case_no, c.recipient_name, " DUE_SQL " AS due\n"
    "      FROM sgz.case_file_v c\n" LAST_VISIT_SQL("")
    "     WHERE c.worker_pid = me.pid AND c.closed_on IS NULL AND c.opened_on <= current_date\n"
    "  ) x ON true\n"
    " ORDER BY x.due, x.case_no COLLATE \"C\"";

/* The kind, today and the year's targets, for one station's figures. */
static const char targets_sql[] =
    "WITH " CFG_SQL "\n"
    "SELECT sgz.current_kind(), current_date::text, cfg.t_served::text,\n"
    "       cfg.t_individual::text, cfg.t_large::text, cfg.t_small::text, cfg.t_trainings::text\n"
    "  FROM cfg";

/* The scope as a range of codes (one station's, $1, when given), the
 * year's first day, and the first of the last hours_due_working_days
 * working days (Monday to Friday, today included). The scope's bounds are
 * subqueries, worked out once: the CTE is folded into each use, and a
 * bare sgz.scope_low() would be called for every row it bounds (2 calls a
 * case of the county, 110 ms of the desk's start on the province set). */
#define LIM_SQL                                                                                    \
	"lim AS (\n"                                                                               \
	"  SELECT coalesce($1::text, (SELECT sgz.scope_low())) AS lo,\n"                           \
	"         coalesce($1::text, (SELECT sgz.scope_high())) AS hi,\n"                          \
	"         date_trunc('year', current_date)::date AS y0,\n"                                 \
	"         (SELECT min(w.d)::date\n"                                                        \
	"            FROM (SELECT g.d FROM generate_series(current_date - 60, current_date,\n"     \
	"                                                  interval '1 day') g (d)\n"             \
	"                   WHERE extract(isodow FROM g.d) < 6\n"                                  \
	"                   ORDER BY g.d DESC LIMIT (SELECT cfg.wd FROM cfg)) w) AS since)"

/* One row per station of the scope: its name and every figure but the
 * cases'. Staffing as the staffing report counts it (rules.md: social-work
 * staff active today; the contract that binds the station today), the
 * year's activities as the kpi report does. */
static const char stations_sql[] =
    "WITH " CFG_SQL ",\n" LIM_SQL ",\n"
    "st AS (SELECT t.township, coalesce(d.name, t.name) AS name\n"
    "         FROM sgz.station t CROSS JOIN lim\n"
    "         LEFT JOIN sgz.division d ON d.code = t.township\n"
    "        WHERE t.township BETWEEN lim.lo AND lim.hi),\n"
    "act AS (\n"
    "  SELECT a.station,\n"
    "         count(*) FILTER (WHERE a.date >= lim.y0 AND a.kind = 'large_event') AS large,\n"
    "         count(*) FILTER (WHERE a.date >= lim.y0 AND a.kind = 'small_event') AS small,\n"
    "         count(*) FILTER (WHERE a.date >= lim.y0 AND a.kind = 'training') AS trainings,\n"
    "         count(*) FILTER (WHERE a.date >= lim.since\n"
    "                            AND NOT EXISTS (SELECT 1 FROM sgz.hours h\n"
    "                                             WHERE h.station = a.station\n"
    "                                               AND h.service_date = a.date\n"
    "                                               AND h.activity = a.title)) AS nohours\n"
    "    FROM sgz.activity a CROSS JOIN lim\n"
    "   WHERE a.station BETWEEN lim.lo AND lim.hi\n"
    "     AND a.date >= least(lim.y0, lim.since) AND a.date <= current_date\n"
    "   GROUP BY a.station),\n"
    "sf AS (\n"
    "  SELECT s.station, count(*) AS staff,\n"
    "         count(*) FILTER (WHERE q.ok) AS qualified,\n"
    "         count(*) FILTER (WHERE s.role = 'head') AS heads,\n"
    "         count(*) FILTER (WHERE NOT q.ok AND q.deadline < current_date) AS passed,\n"
    "         count(*) FILTER (WHERE NOT q.ok AND q.deadline BETWEEN current_date\n"
    "                                                      AND current_date + 90) AS soon\n"
    "    FROM sgz.staff s CROSS JOIN lim\n"
    "   CROSS JOIN LATERAL (SELECT s.qualification <> 'none' AND s.qualified_on <= current_date\n"
    "                              AS ok,\n"
    "                              (s.hired_on + interval '2 years')::date AS deadline) q\n"
    "   WHERE s.station BETWEEN lim.lo AND lim.hi\n"
    "     AND s.role NOT IN ('coordinator', 'assistant')\n"
    "     AND s.hired_on <= current_date AND (s.left_on IS NULL OR s.left_on > current_date)\n"
    "   GROUP BY s.station),\n"
    /* contract years that list a station: the one binding it today, and
     * those ending within 60 days (or in the last year) without a deciding
     * evaluation (rules.md: an annual or final one) */
    "ct AS (\n"
    "  SELECT u.township AS station, c.contract_no, c.starts_on, c.required_staff,\n"
    "         c.required_qualified,\n"
    "         c.starts_on <= current_date AND c.ends_on >= current_date AS binds,\n"
    "         c.starts_on <= current_date\n"
    "         AND c.ends_on BETWEEN current_date - 365 AND current_date + 60\n"
    "         AND NOT EXISTS (SELECT 1 FROM sgz.evaluation e\n"
    "                          WHERE e.contract_no = c.contract_no\n"
    "                            AND e.kind IN ('annual', 'final')) AS due\n"
    "    FROM sgz.contract c CROSS JOIN lim, unnest(c.stations) u (township)\n"
    "   WHERE u.township BETWEEN lim.lo AND lim.hi),\n"
    "req AS (SELECT DISTINCT ON (ct.station) ct.station, ct.required_staff, ct.required_qualified\n"
    "          FROM ct WHERE ct.binds\n"
    "         ORDER BY ct.station, ct.starts_on DESC, ct.contract_no COLLATE \"C\" DESC),\n"
    "ev AS (SELECT ct.station, count(DISTINCT ct.contract_no) AS n\n"
    "         FROM ct WHERE ct.due GROUP BY ct.station),\n"
    /* programmes.md, Targets per programme: those of the programme of the
     * contract that covers the station today, as the kpi report has them;
     * found for the scope at once (a look-up per station read every
     * programme through its policy once a station: 170 ms for a county) */
    "tg AS (SELECT DISTINCT ON (u.township) u.township, pr.target_recipients,\n"
    "              pr.target_individual_pct, pr.target_large_events,\n"
    "              pr.target_small_events, pr.target_trainings\n"
    "         FROM sgz.contract k JOIN sgz.programme pr ON pr.code = k.programme\n"
    "        CROSS JOIN lim, unnest(k.stations) u (township)\n"
    "        WHERE u.township BETWEEN lim.lo AND lim.hi\n"
    "          AND k.starts_on <= current_date AND k.ends_on >= current_date\n"
    "        ORDER BY u.township, k.starts_on DESC, k.contract_no)\n"
    "SELECT st.township, st.name, coalesce(act.nohours, 0),\n"
    "       coalesce(sf.passed, 0), coalesce(sf.soon, 0), coalesce(ev.n, 0),\n"
    "       coalesce(sf.staff, 0), coalesce(sf.qualified, 0),\n"
    "       req.required_staff, req.required_qualified,\n"
    "       CASE WHEN req.required_staff IS NOT NULL OR req.required_qualified IS NOT NULL THEN\n"
    "            sgz.report_yesno(coalesce(sf.staff, 0) >= coalesce(req.required_staff, 0)\n"
    "                             AND coalesce(sf.qualified, 0)\n"
    "                                 >= coalesce(req.required_qualified, 0)\n"
    /* programmes.md, Staffing: and an active head */
    "                             AND coalesce(sf.heads, 0) > 0)\n"
    "       END,\n"
    "       coalesce(act.large, 0), coalesce(act.small, 0), coalesce(act.trainings, 0),\n"
    "       g.target_recipients, g.target_individual_pct, g.target_large_events,\n"
    "       g.target_small_events, g.target_trainings\n"
    "  FROM st\n"
    "  LEFT JOIN tg g ON g.township = st.township\n"
    "  LEFT JOIN act ON act.station = st.township\n"
    "  LEFT JOIN sf ON sf.station = st.township\n"
    "  LEFT JOIN req ON req.station = st.township\n"
    "  LEFT JOIN ev ON ev.station = st.township\n"
    " ORDER BY st.township COLLATE \"C\"";

/* The cases' figures of each station of the scope that has cases: open
 * ones overdue and due within 7 days, and the recipients served this year
 * (rules.md: a case open at any time in the year), with an individual
 * case. The last visit is looked up for the open cases only. */
static const char cases_sql[] =
    "WITH " CFG_SQL ",\n" LIM_SQL ",\n"
    "c AS (\n"
    "  SELECT c.station, c.recipient_pid, c.method, c.closed_on IS NULL AS open,\n"
    "         " DUE_SQL " AS due\n"
    "    FROM sgz.case_file c CROSS JOIN cfg CROSS JOIN lim\n"
    LAST_VISIT_SQL("c.closed_on IS NULL AND ")
    "   WHERE c.station BETWEEN lim.lo AND lim.hi AND c.opened_on <= current_date\n"
    "     AND (c.closed_on IS NULL OR c.closed_on >= lim.y0))\n"
    "SELECT c.station,\n"
    "       count(*) FILTER (WHERE c.open AND c.due < current_date),\n"
    "       count(*) FILTER (WHERE c.open AND c.due BETWEEN current_date AND current_date + 7),\n"
    "       count(DISTINCT c.recipient_pid),\n"
    "       count(DISTINCT c.recipient_pid) FILTER (WHERE c.method = 'individual'),\n"
    "       sgz.report_pct(count(DISTINCT c.recipient_pid) FILTER (WHERE c.method = 'individual'),\n"
    "                      count(DISTINCT c.recipient_pid))\n"
    "  FROM c GROUP BY c.station ORDER BY c.station COLLATE \"C\"";

/* ---- the lists behind the figures ---- */

/* Cases: %s is the condition on c and due ($1 the station). */
#define CASES_SQL(cond)                                                                            \
	"WITH " CFG_SQL ",\n"                                                                      \
	"x AS (\n"                                                                                 \
	"  SELECT c.case_no, c.recipient_name, c.worker_name, c.station, c.worker_pid,\n"          \
	"         " DUE_SQL " AS due\n"                                                            \
	"    FROM sgz.case_file_v c CROSS JOIN cfg\n" LAST_VISIT_SQL("")                               \
	"   WHERE c.closed_on IS NULL AND c.opened_on <= current_date)\n"                          \
	"SELECT x.case_no, x.recipient_name, x.worker_name, x.due::text, current_date - x.due\n"   \
	"  FROM x WHERE " cond "\n"                                                                \
	" ORDER BY x.due, x.case_no COLLATE \"C\""

static const char my_cases_sql[] = CASES_SQL("x.worker_pid = (SELECT sgz.user_staff())");
static const char overdue_sql[] = CASES_SQL("x.station = $1 AND x.due < current_date");
static const char due7_sql[] =
    CASES_SQL("x.station = $1 AND x.due BETWEEN current_date AND current_date + 7");

/* Activities: the station's, %s the condition on a. */
#define ACTIVITIES_SQL(cond)                                                                       \
	"SELECT a.station, a.date::text, a.title, a.kind, a.participants::text\n"                  \
	"  FROM sgz.activity a\n"                                                                  \
	" WHERE a.station = $1 AND " cond "\n"                                                     \
	" ORDER BY a.date DESC, a.title COLLATE \"C\""

static const char nohours_sql[] = ACTIVITIES_SQL(
    "a.date <= current_date\n"
    "   AND a.date >= (SELECT min(w.d)::date\n"
    "                    FROM (SELECT g.d FROM generate_series(current_date - 60, current_date,\n"
    "                                                          interval '1 day') g (d)\n"
    "                           WHERE extract(isodow FROM g.d) < 6\n"
    "                           ORDER BY g.d DESC\n"
    "                           LIMIT coalesce((SELECT s.value FROM sgz.setting s\n"
    "                                            WHERE s.key = 'hours_due_working_days'),"
    " 10)::int) w)\n"
    "   AND NOT EXISTS (SELECT 1 FROM sgz.hours h\n"
    "                    WHERE h.station = a.station AND h.service_date = a.date\n"
    "                      AND h.activity = a.title)");
static const char kpi_sql[] =
    ACTIVITIES_SQL("a.date >= date_trunc('year', current_date)::date AND a.date <= current_date");

/* Staff: the station's active social-work staff through the masking view,
 * %s the condition on s; the deadline for those not qualified today. */
#define STAFF_SQL(cond)                                                                            \
	"SELECT s.pid::text, s.name, s.id_number, s.role,\n"                                       \
	"       CASE WHEN s.qualification <> 'none' AND s.qualified_on <= current_date\n"          \
	"            THEN NULL ELSE (s.hired_on + interval '2 years')::date END AS deadline\n"     \
	"  FROM sgz.staff_v s\n"                                                                   \
	" WHERE s.station = $1 AND s.role NOT IN ('coordinator', 'assistant')\n"                   \
	"   AND s.hired_on <= current_date AND (s.left_on IS NULL OR s.left_on > current_date)\n"  \
	"   AND " cond "\n"                                                                        \
	" ORDER BY deadline NULLS LAST, s.name, s.pid"

#define STAFF_SELECT(cond)                                                                         \
	"SELECT y.pid, y.name, y.id_number, y.role, y.deadline::text, current_date - y.deadline\n" \
	"  FROM (" STAFF_SQL(cond) ") y"

static const char deadline_sql[] =
    STAFF_SELECT("NOT (s.qualification <> 'none' AND s.qualified_on <= current_date)\n"
		 "   AND (s.hired_on + interval '2 years')::date <= current_date + 90");
static const char staff_sql[] = STAFF_SELECT("true");

static const char eval_sql[] =
    "SELECT c.contract_no, o.name, c.year_no::text, c.ends_on::text, current_date - c.ends_on\n"
    "  FROM sgz.contract c\n"
    "  LEFT JOIN sgz.organization o ON o.credit_code = c.organization\n"
    " WHERE c.stations @> ARRAY[$1::text]\n"
    "   AND c.starts_on <= current_date\n"
    "   AND c.ends_on BETWEEN current_date - 365 AND current_date + 60\n"
    "   AND NOT EXISTS (SELECT 1 FROM sgz.evaluation e\n"
    "                    WHERE e.contract_no = c.contract_no AND e.kind IN ('annual', 'final'))\n"
    " ORDER BY c.ends_on, c.contract_no COLLATE \"C\"";

static char *dup_cell(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : xstrdup(PQgetvalue(res, r, c));
}

static char *dup_text(const PGresult *res, int r, int c)
{
	return xstrdup(PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
}

static long cell_long(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? 0 : strtol(PQgetvalue(res, r, c), NULL, 10);
}

void desk_free(struct desk *d)
{
	if (!d)
		return;
	free(d->kind);
	free(d->today);
	free(d->me);
	free(d->scope_name);
	free(d->sub_this);
	free(d->sub_last);
	for (size_t i = 0; i < d->ncases; i++) {
		free(d->cases[i].case_no);
		free(d->cases[i].recipient);
		free(d->cases[i].due);
	}
	free(d->cases);
	for (size_t i = 0; i < d->nst; i++) {
		struct desk_station *s = &d->st[i];
		char **t[] = {&s->code,	     &s->name,		 &s->staff,  &s->qualified,
			      &s->req_staff, &s->req_qualified,	 &s->compliant, &s->served,
			      &s->individual_pct, &s->large,	 &s->small,  &s->trainings,
			      &s->meets, &s->t_served, &s->t_individual, &s->t_large, &s->t_small,
			      &s->t_trainings};
		for (size_t k = 0; k < SGZ_ARRAY_LEN(t); k++)
			free(*t[k]);
	}
	free(d->st);
	free(d->t_served);
	free(d->t_individual);
	free(d->t_large);
	free(d->t_small);
	free(d->t_trainings);
	memset(d, 0, sizeof(*d));
}

/* The figures of the stations of the scope (station NULL) or of one
 * station, in two statements, and whether each meets the year's targets
 * (d's, read before). 0, or -1 with err set. */
static int load_stations(struct db *db, struct desk *d, const char *station, struct sgz_err *err)
{
	const char *params[1] = {station};
	PGresult *res;
	int n;

	res = db_async_query(db, stations_sql, 1, params, err);
	if (!res)
		return -1;
	n = PQntuples(res);
	d->st = xcalloc((size_t)n + 1, sizeof(*d->st));
	d->nst = (size_t)n;
	for (int r = 0; r < n; r++) {
		struct desk_station *s = &d->st[r];
		s->code = dup_text(res, r, 0);
		s->name = dup_text(res, r, 1);
		s->nohours = cell_long(res, r, 2);
		s->dl_passed = cell_long(res, r, 3);
		s->dl_soon = cell_long(res, r, 4);
		s->eval_due = cell_long(res, r, 5);
		s->staff = dup_text(res, r, 6);
		s->qualified = dup_text(res, r, 7);
		s->req_staff = dup_text(res, r, 8);
		s->req_qualified = dup_text(res, r, 9);
		s->compliant = dup_text(res, r, 10);
		s->large = dup_text(res, r, 11);
		s->small = dup_text(res, r, 12);
		s->trainings = dup_text(res, r, 13);
		s->t_served = dup_cell(res, r, 14);
		s->t_individual = dup_cell(res, r, 15);
		s->t_large = dup_cell(res, r, 16);
		s->t_small = dup_cell(res, r, 17);
		s->t_trainings = dup_cell(res, r, 18);
		s->served = xstrdup("0");
		s->individual_pct = xstrdup("");
	}
	PQclear(res);

	res = db_async_query(db, cases_sql, 1, params, err);
	if (!res)
		return -1;
	/* both in the order of the codes: merged in one pass */
	size_t k = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *code = PQgetvalue(res, r, 0);
		while (k < d->nst && strcmp(d->st[k].code, code) < 0)
			k++;
		if (k == d->nst || strcmp(d->st[k].code, code) != 0)
			continue;
		struct desk_station *s = &d->st[k];
		s->overdue = cell_long(res, r, 1);
		s->due7 = cell_long(res, r, 2);
		free(s->served);
		s->served = dup_text(res, r, 3);
		s->individual = cell_long(res, r, 4);
		free(s->individual_pct);
		s->individual_pct = dup_text(res, r, 5);
	}
	PQclear(res);
	/* the year's targets (rules.md, Cases: all five), the programme's where
	 * it gives them (programmes.md) */
#define TARGET(x) strtod(s->x ? s->x : d->x ? d->x : "0", NULL)
	for (size_t i = 0; i < d->nst; i++) {
		struct desk_station *s = &d->st[i];
		double served = strtod(s->served, NULL), pct = TARGET(t_individual);
		bool met = served >= TARGET(t_served) &&
			   (pct <= 0 || (served > 0 && 100.0 * (double)s->individual >= pct * served)) &&
			   strtod(s->large, NULL) >= TARGET(t_large) &&
			   strtod(s->small, NULL) >= TARGET(t_small) &&
			   strtod(s->trainings, NULL) >= TARGET(t_trainings);
		s->meets = xstrdup(met ? "yes" : "no");
	}
#undef TARGET
	return 0;
}

int desk_load(struct db *db, struct desk *d, bool scoped, struct sgz_err *err)
{
	PGresult *res;

	memset(d, 0, sizeof(*d));
	res = db_async_query(db, me_sql, 0, NULL, err);
	if (!res)
		return -1;
	int n = PQntuples(res);
	if (n > 0) {
		d->kind = dup_text(res, 0, 0);
		d->today = dup_text(res, 0, 1);
		d->me = dup_cell(res, 0, 2);
		d->linked = d->me != NULL;
		d->scope_name = dup_text(res, 0, 3);
		d->t_served = dup_text(res, 0, 8);
		d->t_individual = dup_text(res, 0, 9);
		d->t_large = dup_text(res, 0, 10);
		d->t_small = dup_text(res, 0, 11);
		d->t_trainings = dup_text(res, 0, 12);
		d->due_day = (int)cell_long(res, 0, 13);
		d->sub_this = dup_cell(res, 0, 14);
		d->sub_last = dup_cell(res, 0, 15);
	}
	d->cases = xcalloc((size_t)n + 1, sizeof(*d->cases));
	for (int r = 0; r < n; r++) {
		if (PQgetisnull(res, r, 4))
			continue;
		struct desk_case *c = &d->cases[d->ncases++];
		c->case_no = dup_text(res, r, 4);
		c->recipient = dup_text(res, r, 5);
		c->due = dup_text(res, r, 6);
		c->late = cell_long(res, r, 7);
	}
	PQclear(res);
	if (scoped && !(d->kind && (strcmp(d->kind, "station") == 0 ||
				    strcmp(d->kind, "county") == 0)))
		return 0;
	if (load_stations(db, d, NULL, err) < 0) {
		desk_free(d);
		return -1;
	}
	return 0;
}

int desk_station_load(struct db *db, const char *station, struct desk *d, struct sgz_err *err)
{
	PGresult *res;

	memset(d, 0, sizeof(*d));
	res = db_async_query(db, targets_sql, 0, NULL, err);
	if (!res)
		return -1;
	if (PQntuples(res) > 0) {
		d->kind = dup_text(res, 0, 0);
		d->today = dup_text(res, 0, 1);
		d->t_served = dup_text(res, 0, 2);
		d->t_individual = dup_text(res, 0, 3);
		d->t_large = dup_text(res, 0, 4);
		d->t_small = dup_text(res, 0, 5);
		d->t_trainings = dup_text(res, 0, 6);
	}
	PQclear(res);
	d->cases = xcalloc(1, sizeof(*d->cases));
	if (load_stations(db, d, station, err) < 0) {
		desk_free(d);
		return -1;
	}
	/* the station's page shows its own targets: its programme's where it
	 * gives them */
	if (d->nst == 1) {
		struct desk_station *s = &d->st[0];
		char **own[] = {&s->t_served, &s->t_individual, &s->t_large, &s->t_small,
				&s->t_trainings};
		char **page[] = {&d->t_served, &d->t_individual, &d->t_large, &d->t_small,
				 &d->t_trainings};
		for (size_t k = 0; k < SGZ_ARRAY_LEN(own); k++)
			if (*own[k]) {
				free(*page[k]);
				*page[k] = xstrdup(*own[k]);
			}
	}
	return 0;
}

void desk_items_free(struct desk_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		free(items[i].key);
		for (size_t c = 0; c < DESK_ITEM_CELLS; c++)
			free(items[i].cells[c]);
	}
	free(items);
}

/* The key of a record of entity name whose key fields (in the
 * dictionary's order) are vals. */
static char *key_of(const char *name, const char *const *keyvals, size_t nk)
{
	const struct dict_entity *e = dict_find(name);
	const char **values;
	size_t k = 0;
	char *key;

	if (!e)
		return xstrdup("");
	values = xcalloc(e->nfields + 1, sizeof(*values));
	for (size_t i = 0; i < e->nfields && k < nk; i++)
		if (e->fields[i].flags & DF_KEY)
			values[i] = keyvals[k++];
	key = record_key_encode(e, values);
	free(values);
	return key;
}

int desk_items(struct db *db, enum desk_list l, const char *station, struct desk_item **out,
	       size_t *n, struct sgz_err *err)
{
	const char *sql = NULL, *entity = NULL;
	const char *params[1] = {station};
	int np = 1;

	*out = NULL;
	*n = 0;
	switch (l) {
	case DESK_MY_CASES:
		sql = my_cases_sql;
		np = 0;
		entity = "cases";
		break;
	case DESK_OVERDUE:
		sql = overdue_sql;
		entity = "cases";
		break;
	case DESK_DUE7:
		sql = due7_sql;
		entity = "cases";
		break;
	case DESK_NOHOURS:
		sql = nohours_sql;
		entity = "activities";
		break;
	case DESK_KPI:
		sql = kpi_sql;
		entity = "activities";
		break;
	case DESK_DEADLINE:
		sql = deadline_sql;
		entity = "staff";
		break;
	case DESK_STAFF:
		sql = staff_sql;
		entity = "staff";
		break;
	case DESK_EVAL:
		sql = eval_sql;
		entity = "contracts";
		break;
	}
	PGresult *res = db_async_query(db, sql, np, np ? params : NULL, err);
	if (!res)
		return -1;
	int rows = PQntuples(res);
	struct desk_item *items = xcalloc((size_t)rows + 1, sizeof(*items));
	for (int r = 0; r < rows; r++) {
		struct desk_item *it = &items[r];
		it->entity = entity;
		if (strcmp(entity, "cases") == 0) {
			/* case_no, recipient, worker, due, days late */
			const char *k[1] = {PQgetvalue(res, r, 0)};
			it->key = key_of(entity, k, 1);
			for (int c = 0; c < 4; c++)
				it->cells[c] = dup_text(res, r, c);
			it->days = cell_long(res, r, 4);
			it->has_days = !PQgetisnull(res, r, 4);
		} else if (strcmp(entity, "activities") == 0) {
			/* station, date, title: the key; date, title, kind, participants */
			const char *k[3] = {PQgetvalue(res, r, 0), PQgetvalue(res, r, 1),
					    PQgetvalue(res, r, 2)};
			it->key = key_of(entity, k, 3);
			for (int c = 0; c < 4; c++)
				it->cells[c] = dup_text(res, r, c + 1);
		} else if (strcmp(entity, "staff") == 0) {
			/* pid (the key, as lists key people), name, masked number,
			 * role, deadline, days past it */
			const char *k[1] = {PQgetvalue(res, r, 0)};
			it->key = key_of(entity, k, 1);
			for (int c = 0; c < 4; c++)
				it->cells[c] = dup_text(res, r, c + 1);
			it->days = cell_long(res, r, 5);
			it->has_days = !PQgetisnull(res, r, 5);
		} else {
			/* contract_no, organization, year_no, ends_on, days past the end */
			const char *k[1] = {PQgetvalue(res, r, 0)};
			it->key = key_of(entity, k, 1);
			for (int c = 0; c < 4; c++)
				it->cells[c] = dup_text(res, r, c);
			it->days = cell_long(res, r, 4);
			it->has_days = true;
		}
	}
	PQclear(res);
	*out = items;
	*n = (size_t)rows;
	return 0;
}
