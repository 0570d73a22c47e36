/* submit.c - a county's monthly progress report submitted (submit.h):
 * sgz.submit_progress() (0032) and the county's name, in one statement. */
#include "config.h"

#include "sgz/submit.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/db.h"

int submit_allowed(struct db *db, struct sgz_err *err)
{
	PGresult *res;
	bool allowed;

	res = db_query(db,
		       "SELECT has_function_privilege('sgz.submit_progress(text, text)', 'EXECUTE')",
		       0, NULL, err);
	if (!res)
		return -1;
	allowed = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (allowed)
		return 1;
	sgz_err_set(err, SGZ_EUSAGE,
		    "permission denied: only a county user or an administrator submits the "
		    "monthly progress report");
	return 0;
}

int submit_progress(struct db *db, const char *county, const char *month,
		    struct submit_result *out, struct sgz_err *err)
{
	const char *params[2] = {county, month};
	PGresult *res;

	memset(out, 0, sizeof(*out));
	res = db_query(db,
		       "SELECT s.submitted_on, s.due_on, s.late,\n"
		       "       (SELECT d.name FROM sgz.division d WHERE d.code = x.code)\n"
		       "  FROM sgz.submit_progress($1, $2) s\n"
		       " CROSS JOIN LATERAL (SELECT coalesce(rpad($1, 12, '0'),"
		       " rpad(sgz.scope_prefix(), 12, '0')) AS code) x",
		       2, params, err);
	if (!res)
		return -1;
	snprintf(out->submitted_on, sizeof(out->submitted_on), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->due_on, sizeof(out->due_on), "%s", PQgetvalue(res, 0, 1));
	out->late = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	out->county_name = xstrdup(PQgetisnull(res, 0, 3) ? "" : PQgetvalue(res, 0, 3));
	PQclear(res);
	return 0;
}

void submit_result_free(struct submit_result *r)
{
	free(r->county_name);
	r->county_name = NULL;
}
