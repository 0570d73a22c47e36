/* deskdata.h - the desk's queries (src/desk/deskdata.c; spec/work.md, Work
 * screens 1): what a station or county user has to do today, read as the
 * user (row-level security, the masking views: names and masked numbers,
 * never a number column of a people table), and the records behind each
 * figure. No curses here. */
#ifndef SGZ_DESKDATA_H
#define SGZ_DESKDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/util.h"

struct db;

/* One open case of the user's own (or of a list below): its due date is
 * the last visit's next_due, else its date + visit_interval_days, else the
 * opening + visit_interval_days (rules.md). */
struct desk_case {
	char *case_no;
	char *recipient; /* name as the masking view shows it */
	char *due;	 /* YYYY-MM-DD */
	long late;	 /* days past due (negative: days left) */
};

/* The figures of one station in the user's scope, counted as the staffing
 * and kpi reports count them; text figures "" when empty (no contract
 * binds the station: no requirement, compliant ""). */
struct desk_station {
	char *code, *name; /* township code, its division name */
	long overdue;	   /* open cases past their due date */
	long due7;	   /* open cases due within the next 7 days */
	long nohours;	   /* activities of the last working days without hours */
	long dl_passed;	   /* unqualified staff past hired_on + 2 years */
	long dl_soon;	   /* ... whose deadline falls within 90 days */
	long eval_due;	   /* contract years ending without a deciding evaluation */
	long individual;   /* recipients served with an individual case */
	char *staff, *qualified, *req_staff, *req_qualified, *compliant;
	char *served, *individual_pct, *large, *small, *trainings, *meets;
	/* the targets of its programme (programmes.md), NULL where it gives
	 * none or no contract with a programme covers it: the desk's apply */
	char *t_served, *t_individual, *t_large, *t_small, *t_trainings;
};

struct desk {
	char *kind;	/* the session's kind (sgz.current_kind()) */
	char *today;	/* the database's date */
	bool linked;	/* the user's own staff record is linked and in scope */
	char *me;	/* its name, or NULL */
	char *scope_name; /* the division of the user's scope */
	struct desk_case *cases; /* the user's open cases, by due date */
	size_t ncases;
	struct desk_station *st;
	size_t nst;
	/* the annual targets (settings; of one station's page, its programme's
	 * where it gives them) */
	char *t_served, *t_individual, *t_large, *t_small, *t_trainings;	/* a county's monthly progress report (programmes.md): the day of the
	 * month it is due (setting), the day this month's and last month's
	 * were submitted, or NULL (not yet, or the scope is no county) */
	int due_day;
	char *sub_this, *sub_last;
};

/* Reads the desk in three statements; scoped: the others only for station
 * and county users (the start, where the others see the menu). 0, or -1
 * with err set (the desk is then empty). d is overwritten: desk_free() it
 * first when reused. */
int desk_load(struct db *db, struct desk *d, bool scoped, struct sgz_err *err);
/* The figures of one station (a township code) as the desk counts them,
 * for its station page: d's kind, today and targets, and d->st[0] (nst 0
 * when the station is not in the reader's scope); no cases of the
 * user's. Three statements. 0, or -1 with err set. */
int desk_station_load(struct db *db, const char *station, struct desk *d, struct sgz_err *err);
void desk_free(struct desk *d);

/* The records behind a figure. */
enum desk_list {
	DESK_MY_CASES, /* the user's open cases, by due date */
	DESK_OVERDUE,  /* a station's overdue open cases */
	DESK_DUE7,     /* a station's open cases due within 7 days */
	DESK_NOHOURS,  /* a station's recent activities without hours */
	DESK_DEADLINE, /* a station's unqualified staff, deadline within 90 days or passed */
	DESK_STAFF,    /* a station's active social-work staff */
	DESK_KPI,      /* a station's activities of the year */
	DESK_EVAL,     /* a station's contract years awaiting their evaluation */
};

#define DESK_ITEM_CELLS 5

/* One record: the dictionary entity (dict_find()) and key
 * (record_key_encode()) it opens, the cells shown. The last cell of cases
 * and staff is a number of days (late > 0, left < 0), the caller says it. */
struct desk_item {
	const char *entity;
	char *key;
	char *cells[DESK_ITEM_CELLS];
	long days;
	bool has_days;
};

/* The records of list l (station: a township code; unused for
 * DESK_MY_CASES), in one statement. 0, or -1 with err set. */
int desk_items(struct db *db, enum desk_list l, const char *station, struct desk_item **out,
	       size_t *n, struct sgz_err *err);
void desk_items_free(struct desk_item *items, size_t n);

#endif
