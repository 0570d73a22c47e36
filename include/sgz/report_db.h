/* report_db.h - the connection reports run on (DESIGN.md, "Beyond one
 * machine"): [database] report_conninfo, a hot standby, opened the first
 * time a report asks for it, logged in as the same role as the main
 * connection (so row-level security is the same there), every transaction
 * read only. When it is not set, reports run on the main connection; when
 * it cannot be reached, is not a standby (libpq's prefer-standby settled
 * on a primary) or has an older schema, or is lost, reports run on the
 * main connection from then on, and the caller is told so once. `sgz
 * report`, the reports screen and the desk's counts ask here. No libpq
 * here: the interface uses it too. */
#ifndef SGZ_REPORT_DB_H
#define SGZ_REPORT_DB_H

#include <stdbool.h>

#include "sgz/util.h"

struct db;
struct db_opts;
struct report_def;
struct report_params;
struct report_result;

struct report_db;

/* The report connection over main (borrowed; it must outlive the
 * result): opts as the main connection's (its timeouts), with conninfo
 * [database] report_conninfo ("" or NULL: reports run on main) and user
 * the role main logged in as. max_lag: [database] report_max_lag. Nothing
 * is connected yet. Caller frees with report_db_free(). */
struct report_db *report_db_new(struct db *main, const struct db_opts *opts, int max_lag);
/* Closes the standby's connection (never main) and frees rd; NULL is fine. */
void report_db_free(struct report_db *rd);

/* The connection the next report runs on: the standby's (connected now
 * the first time), or main. *fell_back is set true the one time it falls
 * back to main (the caller says so: sgz report on stderr, the interface
 * on its message line), else false. */
struct db *report_db_get(struct report_db *rd, bool *fell_back);
/* A query on db, the connection report_db_get() gave, failed with err:
 * whether the standby was lost (err->conn_lost, or it no longer answers),
 * in which case it is closed and main takes the reports from now on (run
 * the query again on report_db_get()'s). False for main's, or a standby
 * that still answers (a cancel, a refusal: err stands). */
bool report_db_failed(struct report_db *rd, struct db *db, const struct sgz_err *err);
/* Whether reports run on a standby now (its connection is open). */
bool report_db_on_standby(const struct report_db *rd);
/* [database] report_max_lag. */
int report_db_max_lag(const struct report_db *rd);

/* report_run() on report_db_get()'s connection with p's max_lag set to
 * the setting; a standby lost on the way is dropped and the report run
 * again on main. *fell_back as report_db_get() (it may fall back during
 * the run). Same returns as report_run(). */
int report_db_run(struct report_db *rd, const struct report_def *def,
		  const struct report_params *p, struct report_result **out, bool *fell_back,
		  struct sgz_err *err);

#endif
