/* async.h - queries that may take time, waited for without blocking the
 * user: every query of the model (list pages, the filter, a picker's
 * look-up, a save that waits on a lock, a report, an export) is sent
 * without blocking and waited for in poll() over the database's socket
 * and the caller's file descriptors (the terminal, the signal pipe), so
 * that the interface can cancel it (Esc). No libpq here: the database is
 * `struct db`, opaque, and a result `struct pg_result` (libpq's PGresult),
 * which the interface never sees. The statements still leave through
 * db.c's db_pq_*() (tests/layers.sh), so the trace misses none. */
#ifndef SGZ_ASYNC_H
#define SGZ_ASYNC_H

#include <stdbool.h>
#include <stdio.h>

#include "sgz/util.h"

struct db;
struct pg_result;

/* When one of the hook's descriptors is readable, or once the query has
 * run for DB_SLOW_MS, the wait asks check(ctx, slow); check must read
 * what made its descriptors readable (keys it does not act on are the
 * caller's to keep). A true answer cancels the query on the server
 * (PQcancel): the call then fails with err->msg "the query was cancelled".
 * Without a hook (the default) queries simply block. */

#define DB_SLOW_MS 500

struct db_wait {
	int fds[2]; /* polled with the database; -1: none */
	bool (*check)(void *ctx, bool slow);
	void *ctx; /* borrowed */
};

/* Installs the hook (copied; NULL removes it). */
void db_set_wait(const struct db_wait *w);

/* PQexecParams() through the hook. The statement's result, failed or not
 * (the caller checks and clears it), or NULL when none came (the
 * connection failed, or a cancelled query did not end in time). */
struct pg_result *db_async_run(struct db *db, const char *sql, int nparams,
			       const char *const *params);
/* db_async_run() for the model's queries: the result when the statement
 * succeeded (caller clears), else NULL with err set: the database's error,
 * "the query was cancelled", or a lost connection reset and said as the
 * lists say it (err->conn_lost; form_tr_message() knows these texts). */
struct pg_result *db_async_query(struct db *db, const char *sql, int nparams,
				 const char *const *params, struct sgz_err *err);

/* copy_sql (a COPY ... TO STDOUT with a header line) through the hook,
 * the rows written to out as they come. *rows receives the data rows
 * (the header not counted). 0, or -1 with err set (err must be clear on
 * entry): the database's error, a cancel, a lost connection. */
int db_async_copy_out(struct db *db, const char *copy_sql, FILE *out, long *rows,
		      struct sgz_err *err);

/* The database connection's socket, for the interface's poll loop, or -1
 * when there is none (the connection is down). */
int db_socket(struct db *db);
/* Reads what the server sent an idle connection (the socket polled
 * readable). 0 while the connection is good; -1 when it was lost (a
 * terminated backend, a restarted server): err says so, err->conn_lost is
 * set, and the connection has been reset if the server answers again. */
int db_idle_poll(struct db *db, struct sgz_err *err);

#endif
