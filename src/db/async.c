/* async.c - queries waited for without blocking the user: sent with
 * db.c's db_pq_send*(), the database's socket polled with the interface's
 * descriptors (async.h's hook), a cancel sent on the hook's word (Esc), a
 * cancelled query given CANCEL_GRACE_MS to end, a lost connection reset
 * and said. Moved here from the lists' model (browse.c), whose pages,
 * records, reports, the division tree and administration all wait this
 * way. */
#include "config.h"

#include "sgz/async.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/db.h"
#include "sgz/log.h"

/* How long a cancelled query may take to end before the wait gives up on
 * it (a signal must still end sgz within 2 s). */
#define CANCEL_GRACE_MS 1000

static struct db_wait hook;
static bool have_hook;

void db_set_wait(const struct db_wait *w)
{
	have_hook = w != NULL;
	if (w)
		hook = *w;
}

/* ---- waiting for the server without blocking the user ---- */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cancel_query(PGconn *conn)
{
	PGcancel *c = PQgetCancel(conn);
	char why[256];

	if (c && !PQcancel(c, why, sizeof(why)))
		log_msg(LOG_WARNING, "cancel failed: %s", why);
	PQfreeCancel(c);
}

/* One wait for a query: since when, and whether the hook cancelled it. */
struct waiting {
	long start;
	bool slow_asked;
	bool cancelled;
	long cancelled_at;
};

static void waiting_start(struct waiting *w)
{
	memset(w, 0, sizeof(*w));
	w->start = now_ms();
}

static void ask_hook(PGconn *conn, struct waiting *w, bool slow)
{
	if (!w->cancelled && hook.check(hook.ctx, slow)) {
		w->cancelled = true;
		w->cancelled_at = now_ms();
		cancel_query(conn);
	}
}

/* Waits once for the server's socket (and the hook's descriptors) and
 * reads what came. 0, or -1 when the wait was given up: the cancelled
 * query did not end in time, or the connection failed (err set). */
static int wait_once(PGconn *conn, struct waiting *w, struct sgz_err *err)
{
	struct pollfd pfd[3];
	nfds_t n = 0;
	int timeout = -1;
	long now = now_ms();

	if (PQsocket(conn) < 0)
		return -1; /* no connection to wait on */
	pfd[n++] = (struct pollfd){.fd = PQsocket(conn), .events = POLLIN};
	if (!w->cancelled) {
		for (size_t i = 0; i < 2; i++)
			if (hook.fds[i] >= 0)
				pfd[n++] = (struct pollfd){.fd = hook.fds[i], .events = POLLIN};
		if (!w->slow_asked)
			timeout =
			    (int)(w->start + DB_SLOW_MS > now ? w->start + DB_SLOW_MS - now
								  : 0);
	} else {
		if (now - w->cancelled_at >= CANCEL_GRACE_MS) {
			sgz_err_set(err, SGZ_EUSAGE, "the query was cancelled");
			return -1;
		}
		timeout = (int)(w->cancelled_at + CANCEL_GRACE_MS - now);
	}
	int rc = poll(pfd, n, timeout);
	if (rc < 0 && errno != EINTR) {
		sgz_err_set(err, SGZ_EUSAGE, "poll: %s", strerror(errno));
		return -1;
	}
	if (rc == 0 && !w->cancelled && !w->slow_asked) {
		w->slow_asked = true;
		ask_hook(conn, w, true);
	}
	for (nfds_t i = 1; rc > 0 && i < n; i++) {
		if (pfd[i].revents) {
			ask_hook(conn, w, false);
			break;
		}
	}
	if (!PQconsumeInput(conn))
		return -1; /* the connection failed: PQerrorMessage() says how */
	return 0;
}

/* After a failed statement: the reason, and a lost connection reset. */
static void query_failed(struct db *db, const PGresult *res, struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);

	if (res)
		db_result_error(res, err);
	else
		sgz_err_set(err, SGZ_EUSAGE, "%s", PQerrorMessage(conn));
	if (PQstatus(conn) != CONNECTION_OK) {
		char lost[sizeof(err->msg)];
		struct sgz_err cerr;

		snprintf(lost, sizeof(lost), "%s", err->msg);
		sgz_err_clear(&cerr);
		int rc = db_check(db, &cerr);
		err->status = SGZ_EUSAGE;
		err->conn_lost = 1;
		if (rc == 0)
			snprintf(err->msg, sizeof(err->msg),
				 "the database connection was lost (%.800s); it has been "
				 "restored, but the last action was not saved",
				 lost);
		else
			snprintf(err->msg, sizeof(err->msg), "%s", cerr.msg);
	}
	log_msg(LOG_INFO, "statement failed: %s", err->msg);
}

/* A query given up on after a cancel is still running: its results are
 * read (it ends soon: the server was told to cancel) before another is
 * sent. */
static void drain(PGconn *conn)
{
	PGresult *res;

	if (PQtransactionStatus(conn) != PQTRANS_ACTIVE)
		return;
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
}

/* PQexecParams() through the hook: the statement's result, failed or not
 * (NULL when none came: the connection failed, or the wait was given up
 * after a cancel, *cancelled then set). */
static PGresult *run(struct db *db, const char *sql, int np, const char *const *params,
		     bool *cancelled)
{
	PGconn *conn = db_pgconn(db);
	PGresult *res, *first = NULL;
	struct waiting w;
	struct sgz_err err;

	*cancelled = false;
	if (!have_hook)
		return db_pq_exec_params(db, sql, np, params);
	drain(conn);
	if (!db_pq_send_params(db, sql, np, params))
		return NULL;
	waiting_start(&w);
	while (PQisBusy(conn)) {
		sgz_err_clear(&err);
		if (wait_once(conn, &w, &err) < 0) {
			*cancelled = w.cancelled;
			if (PQstatus(conn) == CONNECTION_OK)
				return NULL; /* given up after a cancel */
			break;		     /* PQgetResult() says why */
		}
	}
	/* the first result is the statement's; read to the end */
	while ((res = PQgetResult(conn)) != NULL) {
		if (!first)
			first = res;
		else
			PQclear(res);
	}
	*cancelled = w.cancelled;
	return first;
}

PGresult *db_async_run(struct db *db, const char *sql, int np, const char *const *params)
{
	bool cancelled;

	return run(db, sql, np, params, &cancelled);
}

PGresult *db_async_query(struct db *db, const char *sql, int np, const char *const *params,
		       struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);
	bool cancelled;
	PGresult *res = run(db, sql, np, params, &cancelled);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	if (cancelled && PQstatus(conn) == CONNECTION_OK)
		sgz_err_set(err, SGZ_EUSAGE, "the query was cancelled");
	else
		query_failed(db, res, err);
	PQclear(res);
	return NULL;
}

int db_async_copy_out(struct db *db, const char *copy_sql, FILE *out, long *rows,
		      struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);
	struct waiting w;
	PGresult *res;
	int len, header = 1;
	long n = 0;
	char *buf;

	*rows = 0;
	/* the rows as they come, the hook asked while waiting: a big export
	 * can be cancelled */
	waiting_start(&w);
	if (!db_pq_send(db, copy_sql)) {
		query_failed(db, NULL, err);
		return -1;
	}
	while (have_hook && PQisBusy(conn))
		if (wait_once(conn, &w, err) < 0)
			break;
	res = PQgetResult(conn);
	if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
		if (w.cancelled && PQstatus(conn) == CONNECTION_OK)
			sgz_err_set(err, SGZ_EUSAGE, "the query was cancelled");
		else if (!err->msg[0])
			query_failed(db, res, err);
		PQclear(res);
		drain(conn);
		return -1;
	}
	PQclear(res);
	for (;;) {
		len = PQgetCopyData(conn, &buf, have_hook);
		if (len > 0) {
			fwrite(buf, 1, (size_t)len, out);
			PQfreemem(buf);
			if (header)
				header = 0;
			else
				n++;
			continue;
		}
		if (len == 0 && wait_once(conn, &w, err) == 0)
			continue;
		break;
	}
	if (len == 0) {
		/* given up after a cancel, or the connection failed */
		drain(conn);
	}
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !err->msg[0]) {
			if (w.cancelled)
				sgz_err_set(err, SGZ_EUSAGE, "the query was cancelled");
			else
				query_failed(db, res, err);
		}
		PQclear(res);
	}
	if (len == -2 || len == 0 || err->msg[0]) {
		if (!err->msg[0])
			query_failed(db, NULL, err);
		return -1;
	}
	*rows = n;
	return 0;
}

int db_socket(struct db *db)
{
	PGconn *conn = db ? db_pgconn(db) : NULL;

	return conn && PQstatus(conn) == CONNECTION_OK ? PQsocket(conn) : -1;
}

int db_idle_poll(struct db *db, struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);
	PGnotify *note;

	if (PQconsumeInput(conn) && PQstatus(conn) == CONNECTION_OK) {
		while ((note = PQnotifies(conn)) != NULL)
			PQfreemem(note);
		return 0;
	}
	query_failed(db, NULL, err);
	err->conn_lost = 1;
	return -1;
}

