/* grid.h - many hours rows of one station, date and activity saved at once
 * (the hours grid of the interface): the dictionary's checks of the hours
 * entity re-run over the rows as arrays, then one upsert, in ONE statement
 * and so one round trip (spec/bench.md: a 50-row grid); the database's
 * triggers see every row at once. A refusal names the row and the field.
 * Also the station's volunteers for the grid's type-ahead. No libpq here. */
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
};

/* What a save found: the first refusal (row, field) or warning. */
struct grid_result {
	size_t saved;	   /* rows inserted or changed */
	long row;	   /* 0-based row refused, or -1 */
	char column[32];   /* its column: volunteer, hours, note, service_date, ... */
	long dup_of;	   /* the row repeats the volunteer of this 0-based row, or -1 */
	char warning[512]; /* accepted with a warning (the first), or "" */
};

enum grid_rc {
	GRID_OK,      /* saved: res->saved, res->warning */
	GRID_REFUSED, /* nothing saved: err->msg, res->row, res->column */
	GRID_FAILED,  /* the connection or another failure: err (err->conn_lost) */
};

/* Saves rows[0..n) as hours of station on date (YYYY-MM-DD) at activity
 * (NULL or "": none): a row whose key (volunteer, date, station, activity)
 * is stored updates it, the others are inserted. All or nothing. */
enum grid_rc grid_save(struct db *db, const char *station, const char *date, const char *activity,
		       const struct grid_row *rows, size_t n, struct grid_result *res,
		       struct sgz_err *err);

/* Calls fn(arg, id_number, name, initials) for the volunteers of station
 * (at most max, by ID number); initials are the name's pinyin initials
 * (sgz.pinyin_initials()). 0 or -1 with err set. */
int grid_volunteers(struct db *db, const char *station, size_t max,
		    int (*fn)(void *arg, const char *id, const char *name, const char *initials),
		    void *arg, struct sgz_err *err);

/* The SQL of grid_save() (for tests and the bench): $1..$3 the text arrays
 * of volunteers, hours and notes, $4 station, $5 date, $6 activity.
 * Caller frees. */
char *grid_save_sql(void);

#endif
