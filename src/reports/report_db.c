/* report_db.c - the connection reports run on: [database] report_conninfo
 * (a hot standby), opened lazily, or the main connection (report_db.h). */
#include "config.h"

#include "sgz/report_db.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/db.h"
#include "sgz/log.h"
#include "sgz/migrate.h"
#include "sgz/report.h"

enum rdb_state {
	RDB_UNTRIED, /* report_conninfo set, not connected yet */
	RDB_STANDBY, /* connected: reports run there */
	RDB_MAIN,    /* none set, or fallen back: reports run on main */
};

struct report_db {
	struct db *main; /* borrowed */
	struct db *standby;
	struct db_opts opts; /* conninfo and user are the copies below */
	char *conninfo, *user;
	int max_lag;
	enum rdb_state state;
};

struct report_db *report_db_new(struct db *main, const struct db_opts *opts, int max_lag)
{
	struct report_db *rd = xcalloc(1, sizeof(*rd));

	rd->main = main;
	rd->opts = *opts;
	rd->conninfo = xstrdup(opts->conninfo ? opts->conninfo : "");
	rd->user = opts->user ? xstrdup(opts->user) : NULL;
	rd->opts.conninfo = rd->conninfo;
	rd->opts.user = rd->user;
	rd->opts.read_only = true;
	rd->max_lag = max_lag;
	rd->state = rd->conninfo[0] ? RDB_UNTRIED : RDB_MAIN;
	return rd;
}

void report_db_free(struct report_db *rd)
{
	if (!rd)
		return;
	db_close(rd->standby);
	free(rd->conninfo);
	free(rd->user);
	free(rd);
}

/* Whether db, just connected to report_conninfo, can take the reports: a
 * server in recovery (a standby; prefer-standby settles on a primary when
 * no standby answers) whose schema is this sgz's. Else says why in the log. */
static bool usable_standby(struct db *db)
{
	struct sgz_err err;
	PGresult *res;
	bool ok;

	sgz_err_clear(&err);
	res = db_query(db, "SELECT pg_is_in_recovery()", 0, NULL, &err);
	if (!res) {
		log_msg(LOG_WARNING, "report_conninfo: %s", err.msg);
		return false;
	}
	ok = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok) {
		log_msg(LOG_WARNING, "report_conninfo reached a server that is not a standby");
		return false;
	}
	switch (migrate_is_current(db, &err)) {
	case 1:
		return true;
	case 0:
		log_msg(LOG_WARNING, "report_conninfo: the standby's schema is not current");
		return false;
	default:
		log_msg(LOG_WARNING, "report_conninfo: the schema check: %s", err.msg);
		return false;
	}
}

struct db *report_db_get(struct report_db *rd, bool *fell_back)
{
	struct sgz_err err;

	*fell_back = false;
	if (rd->state == RDB_STANDBY)
		return rd->standby;
	if (rd->state == RDB_MAIN)
		return rd->main;
	sgz_err_clear(&err);
	rd->standby = db_connect(&rd->opts, &err);
	if (rd->standby && usable_standby(rd->standby)) {
		rd->state = RDB_STANDBY;
		log_msg(LOG_INFO, "reports run on the standby");
		return rd->standby;
	}
	if (!rd->standby)
		log_msg(LOG_WARNING, "report_conninfo: %s", err.msg);
	db_close(rd->standby);
	rd->standby = NULL;
	rd->state = RDB_MAIN;
	*fell_back = true;
	log_msg(LOG_WARNING, "reports run on the main database");
	return rd->main;
}

bool report_db_failed(struct report_db *rd, struct db *db, const struct sgz_err *err)
{
	struct sgz_err perr;

	if (!db || db != rd->standby)
		return false;
	/* a standby stopped may leave the connection looking good until it
	 * is used again: ask it something. A cancel, a conflict with
	 * recovery or a refusal leave it answering: the error stands. */
	sgz_err_clear(&perr);
	if (!err->conn_lost && db_exec(db, "SELECT 1", 0, NULL, &perr) == 0)
		return false;
	log_msg(LOG_WARNING, "the standby was lost (%s); reports run on the main database",
		err->msg);
	db_close(rd->standby);
	rd->standby = NULL;
	rd->state = RDB_MAIN;
	return true;
}

bool report_db_on_standby(const struct report_db *rd)
{
	return rd->state == RDB_STANDBY;
}

int report_db_max_lag(const struct report_db *rd)
{
	return rd->max_lag;
}

int report_db_run(struct report_db *rd, const struct report_def *def,
		  const struct report_params *p, struct report_result **out, bool *fell_back,
		  struct sgz_err *err)
{
	struct report_params q = *p;
	struct db *db = report_db_get(rd, fell_back);

	q.max_lag = rd->max_lag;
	if (report_run(db, def, &q, out, err) == 0)
		return 0;
	if (!report_db_failed(rd, db, err))
		return -1;
	/* the standby went away under the report: the primary answers it */
	sgz_err_clear(err);
	*fell_back = true;
	return report_run(rd->main, def, &q, out, err);
}
