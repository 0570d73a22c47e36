/* evalsheet.h - the evaluation sheet's queries (src/contracts/evalsheet.c;
 * programmes.md, the indicator sheet): one evaluation of a contract year
 * or of a station, the indicator tree of its programme's set with the
 * scores stored, read in the reader's scope; saved, the evaluation and
 * its scores, in one statement (sgz.evaluation_sheet_save(), 0033; a
 * stale sheet refused, 0037).
 * Scores and weights are tenths (numeric(4, 1)). No curses here. */
#ifndef SGZ_EVALSHEET_H
#define SGZ_EVALSHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/util.h"

struct db;

/* One indicator: a first-level one (parent NULL) or one under it. */
struct evalsheet_row {
	char *code, *name, *parent;
	int weight; /* tenths */
	bool leaf;  /* scored (no indicator under it) */
	int score;  /* tenths; -1: not scored */
	bool typed; /* typed on the screen and not saved (the sheet's, not the database's) */
};

struct evalsheet {
	/* which evaluation: a contract year's or a station's */
	char *contract_no, *station, *kind, *evaluated_on;
	char *subject;	     /* the organisation's or the station's name */
	char *programme;     /* "" without one */
	char *indicator_set; /* NULL: none, nothing to score */
	int year_no, cycle_years; /* a contract year's; 0 for a station */
	/* the grade bands, sgz.setting_value('grade_*') (tenths): the rule
	 * of sgz.grade(), the bands the database's */
	int excellent, good, pass;
	bool found;	/* the contract or the station is there to be seen */
	bool stored;	/* the evaluation is stored */
	bool writable;	/* the reader may write its scores */
	char *next_contract; /* the next year of the same programme's cycle, or NULL */
	/* what the sheet was read as (sgz.evaluation_sheet_version(), 0037):
	 * "" while not stored; the save carries it, renewed by each save */
	char *version;
	struct evalsheet_row *rows;
	size_t n;
};

/* Reads the sheet of the kind evaluation of contract (or of station) on
 * date into a new *out (evalsheet_free()). Two statements. 0, or -1 with
 * err set. */
int evalsheet_load(struct db *db, const char *contract, const char *station, const char *kind,
		   const char *date, struct evalsheet **out, struct sgz_err *err);
void evalsheet_free(struct evalsheet *s);

/* Sum of the scores of the leaves (all of them when parent is NULL, else
 * those under parent), tenths; -1 when none is scored. */
int evalsheet_sum(const struct evalsheet *s, const char *parent);
/* The grade of a total (tenths): "excellent", "good", "pass", "fail". */
const char *evalsheet_grade(const struct evalsheet *s, int total);
/* The decision of programmes.md (pending, reprocure, renew, cycle_end) a
 * total would make of a contract year's annual or final evaluation; NULL
 * for a station's or a mid-term one (it decides nothing). */
const char *evalsheet_decision(const struct evalsheet *s, int total);

/* Stores the evaluation and the scores of s in one statement, with what s
 * was read as (s->version, renewed); *total receives the stored score
 * (tenths, -1 none). 0, or -1 with err set (the database's message: a
 * score above its weight names the indicator; a sheet saved by someone
 * else since it was read is refused naming who and when, SGZ_EDATA) and
 * nothing stored. */
int evalsheet_save(struct db *db, struct evalsheet *s, int *total, struct sgz_err *err);

/* Where the sheet after s goes (F3): the next contract year's latest
 * annual or final evaluation, else a new annual one a year after s's
 * date. 1 with *kind and *date set (caller frees), 0 when there is no
 * next year, -1 with err set. */
int evalsheet_next(struct db *db, const struct evalsheet *s, char **kind, char **date,
		   struct sgz_err *err);

/* The evaluation a contract year's sheet opens at (g on a contract):
 * its latest annual or final one, else a new annual one dated the end of
 * the contract year or today, whichever is first. Likewise for a
 * station (contract NULL). 1, 0 when not there, -1 with err set. */
int evalsheet_pick(struct db *db, const char *contract, const char *station, char **kind,
		   char **date, struct sgz_err *err);

/* Tenths from text "12", "12.5" (at most one decimal, 0-100): -1 when it
 * is not such a number. */
int evalsheet_parse(const char *s);
/* Tenths as "12.5" / "12" into buf (at least 16 bytes). */
void evalsheet_format(int tenths, char *buf);

#endif
