/* cmd_rollup.c - sgz rollup publish|add|status: provinces rolled up by
 * PostgreSQL's logical replication (sgz(7), migration 0022).
 *
 * publish runs sgz.rollup_publish() on a province's database; add, on the
 * roll-up, reads the province's code from the province itself (the
 * connection string as sgz reaches it), makes the database a roll-up
 * (sgz.rollup_subscriber()) and creates the subscription sgz_PP, or
 * refreshes it; status lists sgz.rollup_status(). The work is the
 * database's; here are the arguments and the words. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/util.h"

static const char usage_lines[] = "sgz rollup publish PROVINCE\n"
				  "       sgz rollup add SERVICE|CONNINFO\n"
				  "       sgz rollup status\n";

static void usage(FILE *out)
{
	fprintf(out, "%s %s", _("Usage:"), usage_lines);
}

static int failed(const char *cmd, const struct sgz_err *err)
{
	char what[32];

	snprintf(what, sizeof what, "rollup %s", cmd);
	cli_say(what, err->msg);
	return err->status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE;
}

/* One value of a one-row result, or NULL (err set) */
static char *one_value(struct db *db, const char *sql, int n, const char *const *params,
		       struct sgz_err *err)
{
	PGresult *r = db_query(db, sql, n, params, err);
	char *v = NULL;

	if (!r)
		return NULL;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	else
		v = xstrdup("");
	PQclear(r);
	return v;
}

static int rollup_publish(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct sgz_err err;
	int status = SGZ_OK;

	if (argc != 2) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	const char *p[1] = { argv[1] };
	char *off = one_value(db, "SELECT sgz.rollup_publish($1)", 1, p, &err);
	if (!off) {
		status = failed("publish", &err);
		goto out;
	}
	fprintf(stderr,
		_("sgz rollup publish: this database is province %s; the publication sgz_rollup "
		  "lists the tables the reports read; people's pids begin at %s\n"),
		argv[1], off);
	free(off);
	char *wal = one_value(db, "SELECT current_setting('wal_level')", 0, NULL, &err);
	if (wal && strcmp(wal, "logical") != 0)
		fprintf(stderr,
			_("sgz rollup publish: the server's wal_level is %s: set wal_level = logical "
			  "and restart it before a roll-up subscribes\n"),
			wal);
	free(wal);
out:
	db_close(db);
	return status;
}

static int rollup_add(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct sgz_err err;
	int status = SGZ_OK;

	if (argc != 2 || !*argv[1]) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	/* a bare word is a service of pg_service.conf, as --db takes it */
	char *conninfo = strchr(argv[1], '=') || strstr(argv[1], "://")
				 ? xstrdup(argv[1])
				 : xasprintf("service=%s", argv[1]);

	/* The province, as it says itself. */
	struct db *prov = cli_connect_current(ctx, conninfo);
	if (!prov) {
		free(conninfo);
		return SGZ_EUSAGE;
	}
	sgz_err_clear(&err);
	char *code = one_value(prov,
			       "SELECT province FROM sgz.rollup_node WHERE kind = 'province'",
			       0, NULL, &err);
	db_close(prov);
	if (!code) {
		free(conninfo);
		return failed("add", &err);
	}
	if (!*code) {
		fprintf(stderr,
			_("sgz rollup add: %s is not a published province: run 'sgz rollup "
			  "publish PROVINCE' on it first\n"),
			argv[1]);
		free(code);
		free(conninfo);
		return SGZ_EUSAGE;
	}

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db) {
		free(code);
		free(conninfo);
		return SGZ_EUSAGE;
	}
	if (db_exec(db, "SELECT sgz.rollup_subscriber()", 0, NULL, &err) < 0) {
		status = failed("add", &err);
		goto out;
	}
	const char *p[2] = { code, conninfo };
	char *exists = one_value(db,
				 "SELECT count(*) FROM pg_subscription WHERE subname = 'sgz_' || $1 "
				 "AND subdbid = (SELECT oid FROM pg_database "
				 "WHERE datname = current_database())",
				 1, p, &err);
	if (!exists) {
		status = failed("add", &err);
		goto out;
	}
	bool again = strcmp(exists, "0") != 0;
	free(exists);
	char *sql = one_value(db,
			      again ? "SELECT format('ALTER SUBSCRIPTION %I REFRESH PUBLICATION', "
				      "'sgz_' || $1)"
				    : "SELECT format('CREATE SUBSCRIPTION %I CONNECTION %L "
				      "PUBLICATION sgz_rollup', 'sgz_' || $1, $2::text)",
			      again ? 1 : 2, p, &err);
	if (!sql || db_exec(db, sql, 0, NULL, &err) < 0) {
		free(sql);
		status = failed("add", &err);
		goto out;
	}
	free(sql);
	fprintf(stderr,
		again ? _("sgz rollup add: the subscription sgz_%s to province %s was refreshed\n")
		      : _("sgz rollup add: subscribed to province %s as sgz_%s; its rows arrive "
			  "in the background (sgz rollup status)\n"),
		code, code);
out:
	free(code);
	free(conninfo);
	db_close(db);
	return status;
}

static int rollup_status(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct sgz_err err;
	int status = SGZ_OK;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	/* a province: its publication, and the slot of each roll-up that
	 * subscribes with the WAL the server keeps for it */
	PGresult *r = db_query(db,
			       "SELECT n.province, s.slot_name, s.active, "
			       "pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), "
			       "s.confirmed_flush_lsn)) "
			       "FROM sgz.rollup_node n LEFT JOIN pg_replication_slots s "
			       "ON s.plugin = 'pgoutput' AND s.database = current_database() "
			       "AND s.slot_name LIKE 'sgz\\_%' WHERE n.kind = 'province' ORDER BY 2",
			       0, NULL, &err);
	if (!r) {
		status = failed("status", &err);
		goto out;
	}
	if (PQntuples(r) > 0) {
		printf(_("this database is province %s and publishes sgz_rollup\n"),
		       PQgetvalue(r, 0, 0));
		for (int i = 0; i < PQntuples(r); i++) {
			if (PQgetisnull(r, i, 1))
				continue;
			printf("%s  %s  ", PQgetvalue(r, i, 1),
			       strcmp(PQgetvalue(r, i, 2), "t") == 0 ? _("connected")
								     : _("not connected"));
			printf(_("WAL kept for it %s"), PQgetvalue(r, i, 3));
			putchar('\n');
		}
		PQclear(r);
		goto out;
	}
	PQclear(r);
	r = db_query(db,
			       "SELECT subscription, enabled, running, tables, tables_ready, "
			       "coalesce(lag_seconds::text, ''), apply_errors + sync_errors "
			       "FROM sgz.rollup_status()",
			       0, NULL, &err);
	if (!r) {
		status = failed("status", &err);
		goto out;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		bool enabled = strcmp(PQgetvalue(r, i, 1), "t") == 0;
		bool running = strcmp(PQgetvalue(r, i, 2), "t") == 0;
		int tables = atoi(PQgetvalue(r, i, 3)), ready = atoi(PQgetvalue(r, i, 4));
		const char *lag = PQgetvalue(r, i, 5), *errors = PQgetvalue(r, i, 6);
		const char *state = !enabled	       ? _("disabled")
				    : !running	       ? _("stopped")
				    : ready < tables   ? _("copying")
						       : _("streaming");
		printf("%s  %s  ", strncmp(name, "sgz_", 4) == 0 ? name + 4 : name, state);
		printf(_("tables %d/%d ready"), ready, tables);
		if (*lag) {
			fputs("  ", stdout);
			printf(_("last message %s s ago"), lag);
		}
		if (strcmp(errors, "0") != 0) {
			fputs("  ", stdout);
			printf(_("errors %s (see the server's log)"), errors);
		}
		putchar('\n');
	}
	if (PQntuples(r) == 0)
		fputs(_("sgz rollup status: this database subscribes to no province\n"), stderr);
	PQclear(r);
out:
	db_close(db);
	return status;
}

int cli_rollup(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "publish") == 0)
		return rollup_publish(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return rollup_add(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return rollup_status(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		puts(_("publish declares this database the province PROVINCE (the first two\n"
		       "digits of its division code) and publishes the tables the reports read;\n"
		       "add, on a roll-up database, subscribes to a published province; status\n"
		       "shows each province's subscription. See sgz(7)."));
		return SGZ_OK;
	}
	if (argc >= 2)
		fprintf(stderr, _("sgz rollup: '%s' is not publish, add or status\n"), argv[1]);
	usage(stderr);
	return SGZ_EUSAGE;
}
