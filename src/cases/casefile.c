/* casefile.c - the case file's header (cases.h): the case, its
 * recipient's name and categories, its worker, and its next visit due by
 * rules.md, in one statement through the masking views. */
#include "config.h"

#include "sgz/cases.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/async.h"
#include "sgz/db.h"

/* rules.md: the due date is the last visit's next_due, else its date plus
 * visit_interval_days, else the opening plus visit_interval_days; overdue
 * when it is before today; a closed case is due nothing. */
static const char head_sql[] =
    "SELECT c.recipient_name, c.recipient, array_to_string(r.categories, ';'),\n"
    "       c.worker_name, c.worker_pid::text, c.worker, c.method, c.status, c.risk,\n"
    "       c.opened_on::text,\n"
    "       CASE WHEN c.status <> 'closed' THEN d.due::text END,\n"
    "       CASE WHEN c.status <> 'closed' THEN current_date - d.due ELSE 0 END,\n"
    "       c.closed_on::text\n"
    "  FROM sgz.case_file_v c\n"
    "  LEFT JOIN sgz.recipient_v r ON r.pid = c.recipient_pid\n"
    " CROSS JOIN LATERAL (SELECT coalesce(\n"
    "    (SELECT coalesce(v.next_due, v.visit_date + sgz.setting_value('visit_interval_days')::int)\n"
    "       FROM sgz.visit_v v WHERE v.case_no = c.case_no\n"
    "      ORDER BY v.visit_date DESC, v.next_due DESC NULLS LAST LIMIT 1),\n"
    "    c.opened_on + sgz.setting_value('visit_interval_days')::int) AS due) d\n"
    " WHERE c.case_no = $1";

static char *cell(PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : xstrdup(PQgetvalue(res, 0, col));
}

int casefile_head_read(struct db *db, const char *case_no, struct casefile_head *h,
		       struct sgz_err *err)
{
	const char *params[1] = {case_no};
	PGresult *res;
	int rc;

	memset(h, 0, sizeof(*h));
	res = db_async_query(db, head_sql, 1, params, err);
	if (!res)
		return -1;
	rc = PQntuples(res) == 1;
	if (rc) {
		h->recipient_name = cell(res, 0);
		h->recipient = cell(res, 1);
		h->categories = cell(res, 2);
		h->worker_name = cell(res, 3);
		h->worker_pid = cell(res, 4);
		h->worker = cell(res, 5);
		h->method = cell(res, 6);
		h->status = cell(res, 7);
		h->risk = cell(res, 8);
		h->opened_on = cell(res, 9);
		h->due = cell(res, 10);
		h->late = strtol(PQgetvalue(res, 0, 11), NULL, 10);
		h->overdue = h->late > 0 ? h->late : 0;
		h->closed_on = cell(res, 12);
	}
	PQclear(res);
	return rc;
}

void casefile_head_free(struct casefile_head *h)
{
	free(h->recipient_name);
	free(h->recipient);
	free(h->categories);
	free(h->worker_name);
	free(h->worker_pid);
	free(h->worker);
	free(h->method);
	free(h->status);
	free(h->risk);
	free(h->opened_on);
	free(h->due);
	free(h->closed_on);
	memset(h, 0, sizeof(*h));
}
