/* submit.h - a county's monthly progress report submitted (programmes.md,
 * Submission; src/reports/submit.c): what `sgz submit progress` and `s`
 * on the progress report screen both call, sgz.submit_progress() (0032),
 * which stores the report's row as it is now and refuses a month not yet
 * due naming its due date. No libpq here. */
#ifndef SGZ_SUBMIT_H
#define SGZ_SUBMIT_H

#include <stdbool.h>

#include "sgz/util.h"

struct db;

struct submit_result {
	char submitted_on[11], due_on[11]; /* YYYY-MM-DD */
	bool late;			   /* submitted after the due day */
	char *county_name;		   /* owned; "" when unknown */
};

/* Whether the session may submit at all (programmes.md: a county user or
 * an administrator; sgz.submit_progress() refuses everyone else): 1; 0
 * with err set to a refusal saying who may (SGZ_EUSAGE, msg_tr() knows
 * it); -1 with err set when the question fails. Asked before anything is
 * sent, so that a region or station user is told so in his language; the
 * database's refusal stays the backstop. */
int submit_allowed(struct db *db, struct sgz_err *err);

/* Submits the progress report of county (a division code; NULL: the
 * caller's scope, which must be a county) for month (YYYY-MM). One
 * statement. 0 with *out filled (submit_result_free()), or -1 with err
 * set (the database's message). */
int submit_progress(struct db *db, const char *county, const char *month,
		    struct submit_result *out, struct sgz_err *err);
void submit_result_free(struct submit_result *r);

#endif
