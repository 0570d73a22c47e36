/* db.c - one libpq connection, after psql's model: every result checked,
 * every PGresult cleared, notices to the log, a lost connection reset and
 * reported to the caller. Parameters only, never values in SQL text. Every
 * statement sgz sends leaves through this file (db_pq_*() for the callers
 * that read results as they come), so that the trace (SGZ_TRACE_SQL)
 * misses none. */
#include "config.h"

#include "sgz/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sgz/log.h"

struct db {
	PGconn *conn;
	struct db_opts opts;
	char *conninfo;
	char *user;
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

/* ---- the trace of the SQL sent ----
 *
 * One record per statement, appended with one write(2), as a psql script
 * that replays it (psql -f): a header comment, then for a statement with
 * parameters
 *
 *	-- sgz-trace pid=P seq=N time=T backend=S user=U database=D protocol=extended
 *	   params=K bytes=B                  (one line)
 *	PREPARE sgz_trace AS
 *	SQL
 *	;
 *	EXECUTE sgz_trace('value', NULL, E'it''s\nquoted');
 *	DEALLOCATE sgz_trace;
 *
 * (P is sgz's process, S the server's, N counts the process's statements),
 * and for one without, "SQL\n;\n" alone (after a COPY ... FROM STDIN an
 * empty set of rows, "\.": the rows themselves are not recorded). SQL is
 * the statement's B bytes exactly as sent. PREPARE leaves the parameters'
 * types to the server as PQexecParams() without types does, and a
 * statement's first executions are planned with its values, as sgz's
 * unnamed statements always are. */

static int trace_fd = -1;
static unsigned long trace_seq;
static int trace_failed;

int db_trace_open(const char *path, struct sgz_err *err)
{
	struct stat st;
	int fd;

	db_trace_close();
	/* O_NONBLOCK: a FIFO with no reader is refused at once, not waited
	 * on; O_NOFOLLOW: a link planted at the name is not followed */
	fd = open(path,
		  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK,
		  0600);
	if (fd < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot open the trace: %s", path,
			    errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* the trace holds what the statements carry: people's names and ID
	 * numbers. Only a file of the user's own that nobody else may read. */
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    "%s: the trace must be a regular file of your own that only you may "
			    "read and write (mode 0600)",
			    path);
		close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
	trace_fd = fd;
	trace_seq = 0;
	trace_failed = 0;
	return 0;
}

void db_trace_close(void)
{
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = -1;
}

/* A header value: bytes other than [A-Za-z0-9_.-] as %XX, so that it is
 * one word on the header line whatever the role or database is called. */
static void trace_word(struct strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-')
			sb_addc(sb, (char)*p);
		else
			sb_addf(sb, "%%%02X", *p);
	}
}

/* A parameter as an SQL literal: NULL, '...', or E'...' when it holds a
 * quote, a backslash or a control character (so that a record's EXECUTE
 * is one line, read the same whatever standard_conforming_strings is). */
static void trace_literal(struct strbuf *sb, const char *v)
{
	const unsigned char *p;
	bool e = false;

	if (!v) {
		sb_adds(sb, "NULL");
		return;
	}
	for (p = (const unsigned char *)v; *p && !e; p++)
		e = *p == '\'' || *p == '\\' || *p < 0x20 || *p == 0x7f;
	sb_adds(sb, e ? "E'" : "'");
	for (p = (const unsigned char *)v; *p; p++) {
		if (!e)
			sb_addc(sb, (char)*p);
		else if (*p == '\'' || *p == '\\')
			sb_addf(sb, "\\%c", *p);
		else if (*p == '\n')
			sb_adds(sb, "\\n");
		else if (*p == '\r')
			sb_adds(sb, "\\r");
		else if (*p == '\t')
			sb_adds(sb, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			sb_addf(sb, "\\x%02x", *p);
		else
			sb_addc(sb, (char)*p);
	}
	sb_addc(sb, '\'');
}

/* Appends the record of a statement about to be sent. nparams < 0: the
 * simple protocol (PQexec: one or more statements, no parameters). */
static void trace(struct db *db, const char *sql, int nparams, const char *const *params,
		  bool copy_in)
{
	struct strbuf sb = {0};
	struct timespec ts;
	struct tm tm;
	char stamp[32];

	if (trace_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	sb_addf(&sb, "-- sgz-trace pid=%ld seq=%lu time=%s.%03ldZ backend=%d user=", (long)getpid(),
		++trace_seq, stamp, ts.tv_nsec / 1000000, PQbackendPID(db->conn));
	trace_word(&sb, PQuser(db->conn));
	sb_adds(&sb, " database=");
	trace_word(&sb, PQdb(db->conn));
	sb_addf(&sb, " protocol=%s params=%d bytes=%zu%s\n", nparams < 0 ? "simple" : "extended",
		nparams < 0 ? 0 : nparams, strlen(sql), copy_in ? " copy=in" : "");
	if (nparams > 0) {
		sb_adds(&sb, "PREPARE sgz_trace AS\n");
		sb_adds(&sb, sql);
		sb_adds(&sb, "\n;\nEXECUTE sgz_trace(");
		for (int i = 0; i < nparams; i++) {
			sb_adds(&sb, i ? ", " : "");
			trace_literal(&sb, params ? params[i] : NULL);
		}
		sb_adds(&sb, ");\nDEALLOCATE sgz_trace;\n");
	} else {
		sb_adds(&sb, sql);
		sb_adds(&sb, "\n;\n");
		if (copy_in)
			sb_adds(&sb, "\\.\n");
	}
	const char *p = sb_str(&sb);
	size_t left = sb.len;
	while (left > 0) {
		ssize_t w = write(trace_fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!trace_failed++)
				log_msg(LOG_WARNING, "the SQL trace: %s",
					w < 0 ? strerror(errno) : "nothing written");
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	sb_free(&sb);
}

PGresult *db_pq_exec(struct db *db, const char *sql)
{
	trace(db, sql, -1, NULL, false);
	return PQexec(db->conn, sql);
}

PGresult *db_pq_exec_params(struct db *db, const char *sql, int nparams, const char *const *params)
{
	trace(db, sql, nparams, params, false);
	return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
}

int db_pq_send(struct db *db, const char *sql)
{
	trace(db, sql, -1, NULL, false);
	return PQsendQuery(db->conn, sql);
}

int db_pq_send_params(struct db *db, const char *sql, int nparams, const char *const *params)
{
	trace(db, sql, nparams, params, false);
	return PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
}

/* Applies the session settings of the configuration. */
static int db_setup_session(struct db *db, struct sgz_err *err)
{
	static const char sql[] =
		"SELECT set_config('statement_timeout', $1, false),\n"
		"       set_config('lock_timeout', $2, false),\n"
		"       set_config('idle_in_transaction_session_timeout', $3, false),\n"
		"       set_config('DateStyle', 'ISO, YMD', false),\n"
		"       set_config('IntervalStyle', 'iso_8601', false),\n"
		"       set_config('default_transaction_read_only',\n"
		"                  CASE WHEN $4 = 'on' THEN 'on'\n"
		"                       ELSE current_setting('default_transaction_read_only') END, false)";
	char v[3][24];
	const char *params[4] = { v[0], v[1], v[2], db->opts.read_only ? "on" : "off" };

	snprintf(v[0], sizeof(v[0]), "%d", db->opts.statement_timeout);
	snprintf(v[1], sizeof(v[1]), "%d", db->opts.lock_timeout);
	snprintf(v[2], sizeof(v[2]), "%d", db->opts.idle_in_transaction_session_timeout);
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	return db_exec(db, sql, 4, params, err);
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
			       opts->user ? "user" : NULL, NULL };
	const char *vals[] = { NULL, opts->conninfo, "sgz", "UTF8", opts->user, NULL };

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
	db->user = opts->user ? xstrdup(opts->user) : NULL;
	db->opts.user = db->user;
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
	free(db->user);
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
	PGresult *res = db_pq_exec_params(db, sql, nparams, params);
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
	PGresult *res = db_pq_exec(db, sql);
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
	trace(db, copy_sql, -1, NULL, true);
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
