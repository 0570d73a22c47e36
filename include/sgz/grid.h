/* grid.h - the hours of one station, date and activity as the hours grid
 * of the interface edits them: the rows stored for that activity, loaded
 * with their row_version; then the grid's rows saved at once - changed
 * stored rows updated (optimistic concurrency: a row someone else changed,
 * deleted or added meanwhile refuses the whole save as a conflict, never a
 * silent overwrite), stored rows the user deleted deleted, new rows
 * inserted - with the dictionary's checks of the hours entity re-run over
 * the rows as arrays, in ONE statement and so one round trip (spec/bench.md:
 * a 50-row grid); the database's triggers see every row at once. A refusal
 * names the row and the field. Also the station's volunteers for the
 * grid's type-ahead. No libpq here. */
#ifndef SGZ_GRID_H
#define SGZ_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/util.h"

struct db;

/* One row of the grid, canonical texts (dict_parse_value()); note may be
 * NULL or "". */
struct grid_row {
	const char *volunteer;
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
 * (NULL or "": none): a stored row (version set) updates the row it was
 * loaded from if that row still has that row_version, or deletes it
 * (drop); a new row is inserted, and refused as a conflict when the
 * volunteer already has hours there. Stored rows that did not change need
 * not be sent. All or nothing. */
enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err);

/* One stored row of an activity (borrowed for the call): canonical texts;
 * name is the volunteer's, NULL when the volunteer is not readable. */
struct grid_stored_row {
	const char *volunteer;
	const char *name;
	const char *hours;
	const char *note; /* NULL: none */
	const char *version;
};

/* Calls fn(arg, row) for each hours row stored for station on date (YYYY-
 * MM-DD) at activity (NULL or "": none), by volunteer. With audit, the
 * session is shown the volunteers' full ID numbers (an admin's), and each
 * is filed in the audit trail as an 'open' of the volunteer (spec/rules.md:
 * every reveal is audited) in the same statement. 0, or -1 with err set. */
int grid_stored(struct db *db, const char *station, const char *date, const char *activity,
		bool audit, int (*fn)(void *arg, const struct grid_stored_row *row), void *arg,
		struct sgz_err *err);

/* Files the reveal of the full ID numbers ids[0..n) of volunteers to an
 * admin in the grid of station ("": under the session's scope), an 'open'
 * of each volunteer in the audit trail. 0, or -1 with err set: then they
 * must not be shown. */
int grid_audit_reveal(struct db *db, const char *station, const char *const *ids, size_t n,
		      struct sgz_err *err);

/* Calls fn(arg, id_number, name, initials) for the volunteers of station
 * (at most max, by ID number); initials are the name's pinyin initials
 * (sgz.pinyin_initials()). *admin: may the session see full ID numbers
 * (sgz.current_kind() is admin; false when unknown)? 0 or -1 with err set. */
int grid_volunteers(struct db *db, const char *station, size_t max,
		    int (*fn)(void *arg, const char *id, const char *name, const char *initials),
		    void *arg, bool *admin, struct sgz_err *err);

/* The SQL of grid_save() (for tests and the bench): $1..$3 the text arrays
 * of volunteers, hours and notes, $4 station, $5 date, $6 activity, $7 the
 * row versions (text, NULL for new rows), $8 the drops (boolean). Caller
 * frees. */
char *grid_save_sql(void);

#endif
