/* grid.h - the hours of one station, date and activity as the hours grid
 * of the interface edits them: the rows stored for that activity, loaded
 * with their row_version; then the grid's rows saved at once - changed
 * stored rows updated (optimistic concurrency: a row someone else changed,
 * deleted or added meanwhile refuses the whole save as a conflict, never a
 * silent overwrite), stored rows the user deleted deleted, new rows
 * inserted - with the hours entity's checks re-run over the rows as arrays,
 * in ONE statement and so one round trip (spec/bench.md: a 50-row grid);
 * the database's triggers see every row at once. A refusal names the row
 * and the field. Also the volunteers for the grid's type-ahead.
 *
 * Volunteers are named by pid (migration 0012): the stored rows come from
 * sgz.hours_v and the volunteers from sgz.volunteer_v, their numbers
 * masked; a number the user typed in full is his own and is looked up
 * (sgz.person_lookup()), a prefix longer than the mask shows is found
 * (sgz.person_find()), and an admin sees a full number only through
 * sgz.person_reveal(), which files the 'open' in the audit trail. No
 * statement here names a column holding a full number, so all of it works
 * for users who cannot read them (migration 0014). No libpq here. */
#ifndef SGZ_GRID_H
#define SGZ_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/util.h"

struct db;

/* One row of the grid, canonical texts (dict_parse_value()); note may be
 * NULL or "". The volunteer is his pid, or for a row whose number was
 * typed and is not known yet the number itself (looked up in the save). */
struct grid_row {
	const char *pid;       /* the volunteer's pid (decimal); NULL: by volunteer */
	const char *volunteer; /* pid NULL: the full ID number typed; else unused */
	const char *shown;     /* the number as the screen shows it (masked, or typed), which
				* names the row a message of the database is about; may be NULL */
	const char *hours;
	const char *note;
	const char *version; /* a stored row: its row_version as loaded; NULL: a new row */
	bool drop;	     /* a stored row (version set) to delete; hours and note unused */
};

/* What a save did, or the first refusal (row, field) or warning. */
struct grid_result {
	size_t saved;	   /* rows inserted, changed or deleted */
	size_t added;	   /* new rows inserted */
	size_t changed;	   /* stored rows updated */
	size_t deleted;	   /* stored rows deleted */
	long row;	   /* 0-based row refused, or -1 */
	char column[32];   /* its column: volunteer, hours, note, service_date, row_version, ... */
	long dup_of;	   /* the row repeats the volunteer of this 0-based row, or -1 */
	char warning[512]; /* accepted with a warning (the first), or "" */
};

enum grid_rc {
	GRID_OK,       /* saved: res->added, changed, deleted, res->warning */
	GRID_REFUSED,  /* nothing saved: err->msg, res->row, res->column */
	GRID_CONFLICT, /* nothing saved: since the rows were loaded someone else changed or
			* deleted a stored row, or stored hours for a new row's volunteer;
			* res->row is the first such row, err->msg says what (load again) */
	GRID_FAILED,   /* the connection or another failure: err (err->conn_lost) */
};

/* Saves rows[0..n) as hours of station on date (YYYY-MM-DD) at activity
 * (NULL or "": none): a stored row (version set) updates the row of its
 * volunteer's pid it was loaded from if that row still has that
 * row_version, or deletes it (drop); a new row is inserted, and refused as
 * a conflict when the volunteer already has hours there. Stored rows that
 * did not change need not be sent. All or nothing. */
enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err);

/* One stored row of an activity (borrowed for the call): canonical texts. */
struct grid_stored_row {
	const char *pid;    /* the volunteer's */
	const char *masked; /* his ID number as lists show it */
	const char *full;   /* revealed: his full ID number (filed in the trail); else NULL */
	const char *name;   /* NULL when the volunteer is not readable */
	const char *hours;
	const char *note; /* NULL: none */
	const char *version;
};

/* Calls fn(arg, row) for each hours row stored for station on date (YYYY-
 * MM-DD) at activity (NULL or "": none), by the volunteer's pid. With reveal
 * (an admin's session only: the function is refused to others), the full
 * ID numbers too, each filed in the audit trail as an 'open' of the
 * volunteer (spec/rules.md: every reveal is audited) by the statement that
 * reads them. 0, or -1 with err set. */
int grid_stored(struct db *db, const char *station, const char *date, const char *activity,
		bool reveal, int (*fn)(void *arg, const struct grid_stored_row *row), void *arg,
		struct sgz_err *err);

/* A volunteer as the grid offers him (borrowed for the call). */
struct grid_volunteer {
	const char *pid;
	const char *masked; /* his ID number as lists show it */
	const char *name;
	const char *initials; /* the name's pinyin initials (sgz.pinyin_initials()) */
	const char *station;
	const char *typed; /* grid_lookup(): the number as it was asked for; else NULL */
	const char *full;  /* grid_find() with reveal and one found: the full number, filed */
};

typedef int (*grid_volunteer_fn)(void *arg, const struct grid_volunteer *v);

/* Calls fn(arg, v) for the volunteers of station (at most max, by pid).
 * *admin: may the session see full ID numbers (sgz.current_kind() is
 * admin; false when unknown)? One round trip: the type-ahead over names,
 * initials and the digits the mask shows then costs none. 0 or -1 with err
 * set. */
int grid_volunteers(struct db *db, const char *station, size_t max, grid_volunteer_fn fn, void *arg,
		    bool *admin, struct sgz_err *err);

/* The volunteers in the session's scope whose ID number starts with prefix
 * (digits; sgz.person_find()), at most max of them in the order of their
 * numbers, each to fn. With reveal (admins only) and exactly one found, his
 * full number too, filed in the audit trail in the same statement. The
 * number found, or -1 with err set. One round trip. */
long grid_find(struct db *db, const char *prefix, size_t max, bool reveal, grid_volunteer_fn fn,
	       void *arg, struct sgz_err *err);

/* The volunteers of the full ID numbers ids[0..n) the user typed, in the
 * session's scope (sgz.person_lookup(): a number the user has is not
 * revealed by finding it), each found to fn with v->typed the number asked
 * for. The number found, or -1 with err set. One round trip for all. */
long grid_lookup(struct db *db, const char *const *ids, size_t n, grid_volunteer_fn fn, void *arg,
		 struct sgz_err *err);

/* The full ID number of volunteer pid for an admin, filed in the audit
 * trail as an 'open' shown in the hours grid (sgz.person_reveal()).
 * Returns a new string, or NULL with err set (not an admin, no such
 * volunteer): then it must not be shown. Caller frees. */
char *grid_reveal(struct db *db, const char *pid, struct sgz_err *err);

/* The totals of the grid's foot: the people and hours of rows[0..n) once
 * saved - rows deleted at the save (drop) and rows without a volunteer
 * left out, each volunteer (pid, or the number typed) counted once, hours
 * that are no number of hours (typed, not yet refused) as 0. */
struct grid_totals {
	size_t people;
	long tenths; /* hours x 10: one decimal (spec/rules.md) */
};

void grid_tally(const struct grid_row *rows, size_t n, struct grid_totals *t);

/* Hours as text (grid_tenths()'s inverse): 75 is "7.5", 40 "4.0", as
 * reports show them. buf holds 32 bytes at least. */
const char *grid_hours_text(long tenths, char *buf, size_t len);

/* The tenths of hours text h ("3.5", "4", "12.0"), or -1 when it is no
 * number of hours with at most one decimal. */
long grid_tenths(const char *h);

/* The SQL of grid_save() (for tests and the bench): $1..$3 the text arrays
 * of typed ID numbers (NULL for rows named by pid), hours and notes, $4
 * station, $5 date, $6 activity, $7 the row versions (text, NULL for new
 * rows), $8 the drops (boolean), $9 the volunteers' pids (text, NULL for
 * rows named by number). Caller frees. */
char *grid_save_sql(void);

#endif
