/* db.h - one libpq connection: checked results, timeouts, reconnect, COPY. */
#ifndef SGZ_DB_H
#define SGZ_DB_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "sgz/util.h"

struct db_opts {
	const char *conninfo; /* conninfo, "service=NAME", or "" for the libpq env */
	int connect_timeout;  /* seconds; 0 = libpq's default */
	int statement_timeout;	/* milliseconds; 0 = none */
	int lock_timeout;	/* milliseconds; 0 = none */
	int idle_in_transaction_session_timeout; /* milliseconds; 0 = none */
	/* the role to log in as, over whatever conninfo names (the report
	 * connection logs in as the main one did); NULL: conninfo's */
	const char *user;
	/* every transaction read only (default_transaction_read_only): the
	 * report connection, which never writes */
	bool read_only;
};

struct db;

/* Connects with application_name=sgz and the session settings of opts.
 * Returns NULL with err set (status 2). Caller frees with db_close(). */
struct db *db_connect(const struct db_opts *opts, struct sgz_err *err);
void db_close(struct db *db);
/* The underlying connection. Borrowed. */
PGconn *db_pgconn(struct db *db);

/* Runs a parameterised statement (params may be NULL for SQL NULL).
 * Returns the result (Caller frees with PQclear), or NULL with err set;
 * a lost connection is reset and reported with err->conn_lost. */
PGresult *db_query(struct db *db, const char *sql, int nparams, const char *const *params,
		   struct sgz_err *err);
/* As db_query() for statements whose rows are not needed. 0 or -1. */
int db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
	    struct sgz_err *err);
/* Runs several statements without parameters (a migration). 0 or -1. */
int db_exec_script(struct db *db, const char *sql, struct sgz_err *err);

int db_begin(struct db *db, struct sgz_err *err);
int db_commit(struct db *db, struct sgz_err *err);
/* Rolls back if a transaction is open; never fails loudly (logs). */
void db_rollback(struct db *db);

/* COPY ... FROM STDIN: start, send data, finish. On any error the COPY is
 * ended and err set. db_copy_end(db, reason) with reason != NULL aborts it. */
int db_copy_begin(struct db *db, const char *copy_sql, struct sgz_err *err);
int db_copy_put(struct db *db, const char *buf, size_t len, struct sgz_err *err);
int db_copy_end(struct db *db, const char *abort_reason, struct sgz_err *err);

/* Checks the connection; if it is bad, resets it once. 0 = good (or
 * restored, with err->conn_lost set), -1 = still down (err set). */
int db_check(struct db *db, struct sgz_err *err);

/* ---- every statement that reads its results itself ----
 *
 * PQexec(), PQexecParams() (text parameters, types left to the server),
 * PQsendQuery() and PQsendQueryParams() of db's connection, the result
 * unchecked, as libpq gives it: for a caller that reads a COPY or rows as
 * they come, or waits without blocking. Nothing outside db.c calls libpq
 * to send SQL (tests/layers.sh), so that the trace sees every statement. */
PGresult *db_pq_exec(struct db *db, const char *sql);
PGresult *db_pq_exec_params(struct db *db, const char *sql, int nparams, const char *const *params);
int db_pq_send(struct db *db, const char *sql);
int db_pq_send_params(struct db *db, const char *sql, int nparams, const char *const *params);

/* ---- the trace of the SQL sent (SGZ_TRACE_SQL, sgz(1)) ----
 *
 * From db_trace_open() on, every statement any connection of the process
 * sends is appended to the file at path, with its parameters, as a psql
 * script that replays it (the format is at the top of db.c). The file is
 * opened O_NOFOLLOW|O_CREAT|O_APPEND, mode 0600, and must be a regular
 * file of the user's own that nobody else may read. 0, or -1 with err
 * set. db_trace_close() ends the trace (also safe when none is open). */
int db_trace_open(const char *path, struct sgz_err *err);
void db_trace_close(void);

/* Formats a failed result as "message (DETAIL; HINT)" into err, choosing
 * status 1 for data errors (class 22, 23, 40001, P0001) and 2 otherwise. */
void db_result_error(const PGresult *res, struct sgz_err *err);

#endif
