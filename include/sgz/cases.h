/* cases.h - the cases module (src/cases/): the case file, one case and
 * its visits as one screen (spec/work.md, Work screens 2): the header
 * (recipient with categories, worker, method, status, risk, opened on,
 * the next visit due and the days overdue or left, or the closing date), the visits newest first (a
 * pane of related records, panes.h), `a` logs a visit, `c` closes the
 * case; over the header's query (casefile.c). The screen uses the
 * interface's services (ui.h) and the generic screens (screens.h); the
 * shell opens it wherever a case is opened (ui_record_opener()). */
#ifndef SGZ_CASES_H
#define SGZ_CASES_H

#include <stdbool.h>

#include "sgz/dict.h"
#include "sgz/ui.h"
#include "sgz/util.h"

struct db;

/* ---- the header's query (casefile.c) ---- */

/* What the case file's header shows of one case, as read in the
 * reader's scope: people's names masked as lists show them, codes
 * canonical (the screen labels them). Strings owned; NULL when empty. */
struct casefile_head {
	char *recipient_name;
	char *recipient;  /* the number, masked */
	char *categories; /* codes, ';'-separated */
	char *worker_name;
	char *worker_pid;
	char *worker; /* the number, masked */
	char *method, *status, *risk, *opened_on;
	char *due;     /* the next visit due (rules.md), NULL for a closed case */
	long overdue;  /* days the due date has passed, 0 when not yet */
	long late;     /* today less the due date: < 0 the days left */
	char *closed_on; /* a closed case's closing date */
};

/* Reads the header of case case_no into *h (casefile_head_free() it).
 * One statement. 1 read, 0 when the case is not there (deleted, or out of
 * the reader's scope), -1 with err set. */
int casefile_head_read(struct db *db, const char *case_no, struct casefile_head *h,
		       struct sgz_err *err);
void casefile_head_free(struct casefile_head *h);

/* ---- the screen (screen_casefile.c) ---- */

/* The case file of the case with key (record_key_encode(): its number),
 * opened from origin (the list's, borrowed, may be NULL: told of changes
 * when the file closes). A ui_record_opener's open. */
void casefile_open(struct ui *ui, const struct dict_entity *e, const char *key,
		   const struct form_origin *origin);

#endif
