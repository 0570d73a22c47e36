/* db.c - one libpq connection, after psql's model: every result checked,
 * every PGresult cleared, notices to the log, a lost connection reset and
 * reported to the caller. Parameters only, never values in SQL text. */
#include "config.h"

#include "sgz/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/log.h"

struct db {
	PGconn *conn;
	struct db_opts opts;
	char *conninfo;
};

static void db_notice(void *arg, const char *message)
{
	(void)arg;
	size_t len = strlen(message);

	if (len && message[len - 1] == '\n')
		len--;
	log_msg(LOG_INFO, "server: %.*s", (int)len, message);
}

void db_result_error(const PGresult *res, struct sgz_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	enum sgz_status status = SGZ_EUSAGE;

	if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
		      strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		      strcmp(state, "P0001") == 0))
		status = SGZ_EDATA;
	if (!primary)
		primary = res ? PQresultErrorMessage(res) : "no result from the server";
	if (!primary || !primary[0])
		primary = "unknown database error";

	struct strbuf sb = { 0 };
	sb_adds(&sb, primary);
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	if (detail)
		sb_addf(&sb, " (%s)", detail);
	if (hint)
		sb_addf(&sb, " Hint: %s", hint);
	sgz_err_set(err, status, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* Applies the session settings of the configuration. */
static int db_setup_session(struct db *db, struct sgz_err *err)
{
	static const char sql[] =
		"SELECT set_config('statement_timeout', $1, false),\n"
		"       set_config('lock_timeout', $2, false),\n"
		"       set_config('idle_in_transaction_session_timeout', $3, false),\n"
		"       set_config('DateStyle', 'ISO, YMD', false),\n"
		"       set_config('IntervalStyle', 'iso_8601', false)";
	char v[3][24];
	const char *params[3] = { v[0], v[1], v[2] };

	snprintf(v[0], sizeof(v[0]), "%d", db->opts.statement_timeout);
	snprintf(v[1], sizeof(v[1]), "%d", db->opts.lock_timeout);
	snprintf(v[2], sizeof(v[2]), "%d", db->opts.idle_in_transaction_session_timeout);
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	return db_exec(db, sql, 3, params, err);
}

static void conn_error(PGconn *conn, struct sgz_err *err)
{
	const char *msg = conn ? PQerrorMessage(conn) : "out of memory";
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	sgz_err_set(err, SGZ_EUSAGE, "cannot connect to the database: %.*s", (int)len, msg);
}

struct db *db_connect(const struct db_opts *opts, struct sgz_err *err)
{
	char timeout[16];
	/* The user's conninfo may set connect_timeout; application_name and
	 * client_encoding come after it so they always win. */
	const char *keys[] = { "connect_timeout", "dbname", "application_name", "client_encoding",
			       NULL };
	const char *vals[] = { NULL, opts->conninfo, "sgz", "UTF8", NULL };

	if (opts->connect_timeout > 0) {
		snprintf(timeout, sizeof(timeout), "%d", opts->connect_timeout);
		vals[0] = timeout;
	}
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		conn_error(conn, err);
		PQfinish(conn);
		return NULL;
	}
	struct db *db = xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->opts = *opts;
	db->conninfo = xstrdup(opts->conninfo ? opts->conninfo : "");
	db->opts.conninfo = db->conninfo;
	if (db_setup_session(db, err) < 0) {
		db_close(db);
		return NULL;
	}
	log_msg(LOG_INFO, "connected to %s as %s", PQdb(conn), PQuser(conn));
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

PGconn *db_pgconn(struct db *db)
{
	return db->conn;
}

int db_check(struct db *db, struct sgz_err *err)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	log_msg(LOG_WARNING, "the database connection was lost; resetting it");
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		conn_error(db->conn, err);
		if (err)
			err->conn_lost = 1;
		return -1;
	}
	struct sgz_err serr;
	sgz_err_clear(&serr);
	if (db_setup_session(db, &serr) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s", serr.msg);
		if (err)
			err->conn_lost = 1;
		return -1;
	}
	if (err) {
		err->conn_lost = 1;
		if (!err->msg[0])
			sgz_err_set(err, SGZ_EUSAGE,
				    "the database connection was lost and has been restored; "
				    "the last action was not saved");
	}
	return 0;
}

/* After a failed statement: record the error and check the connection. */
static void db_failed(struct db *db, PGresult *res, struct sgz_err *err)
{
	db_result_error(res, err);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		char lost[sizeof(((struct sgz_err *)0)->msg)];
		snprintf(lost, sizeof(lost), "%s", err ? err->msg : "");
		struct sgz_err cerr;
		sgz_err_clear(&cerr);
		int rc = db_check(db, &cerr);
		if (err) {
			err->conn_lost = 1;
			err->status = SGZ_EUSAGE;
			if (rc == 0)
				snprintf(err->msg, sizeof(err->msg),
					 "the database connection was lost (%.800s); it has been "
					 "restored, but the last action was not saved",
					 lost);
			else
				snprintf(err->msg, sizeof(err->msg), "%s", cerr.msg);
		}
	}
}

PGresult *db_query(struct db *db, const char *sql, int nparams, const char *const *params,
		   struct sgz_err *err)
{
	PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_failed(db, res, err);
	log_msg(LOG_INFO, "statement failed: %s", err ? err->msg : "");
	PQclear(res);
	return NULL;
}

int db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
	    struct sgz_err *err)
{
	PGresult *res = db_query(db, sql, nparams, params, err);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

int db_exec_script(struct db *db, const char *sql, struct sgz_err *err)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	db_failed(db, res, err);
	PQclear(res);
	return -1;
}

int db_begin(struct db *db, struct sgz_err *err)
{
	return db_exec(db, "BEGIN", 0, NULL, err);
}

int db_commit(struct db *db, struct sgz_err *err)
{
	return db_exec(db, "COMMIT", 0, NULL, err);
}

void db_rollback(struct db *db)
{
	PGTransactionStatusType ts = PQtransactionStatus(db->conn);
	struct sgz_err err;

	if (ts != PQTRANS_INTRANS && ts != PQTRANS_INERROR)
		return;
	sgz_err_clear(&err);
	if (db_exec(db, "ROLLBACK", 0, NULL, &err) < 0)
		log_msg(LOG_WARNING, "rollback failed: %s", err.msg);
}

int db_copy_begin(struct db *db, const char *copy_sql, struct sgz_err *err)
{
	PGresult *res = PQexec(db->conn, copy_sql);

	if (res && PQresultStatus(res) == PGRES_COPY_IN) {
		PQclear(res);
		return 0;
	}
	db_failed(db, res, err);
	PQclear(res);
	return -1;
}

int db_copy_put(struct db *db, const char *buf, size_t len, struct sgz_err *err)
{
	if (len > (size_t)0x7fffffff) {
		sgz_err_set(err, SGZ_EUSAGE, "COPY chunk too large");
		return -1;
	}
	if (PQputCopyData(db->conn, buf, (int)len) == 1)
		return 0;
	conn_error(db->conn, err);
	return -1;
}

int db_copy_end(struct db *db, const char *abort_reason, struct sgz_err *err)
{
	int rc = 0;

	if (PQputCopyEnd(db->conn, abort_reason) != 1) {
		conn_error(db->conn, err);
		rc = -1;
	}
	/* Drain every result of the COPY, keeping the first error. */
	PGresult *res;
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && !abort_reason) {
			db_failed(db, res, err);
			rc = -1;
		}
		PQclear(res);
	}
	if (abort_reason)
		return -1;
	if (rc == 0 && PQstatus(db->conn) != CONNECTION_OK) {
		db_failed(db, NULL, err);
		rc = -1;
	}
	return rc;
}
