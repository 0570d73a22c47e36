/* cli.c - what the subcommands share: connecting, the schema check, and
 * opening the terminal interface. */
#include "config.h"

#include "sgz/cli.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/migrate.h"
#include "sgz/report_db.h"
#include "sgz/tui.h"

void cli_say(const char *cmd, const char *msg)
{
	char *t = msg_tr(msg);

	if (cmd)
		fprintf(stderr, _("sgz %s: %s\n"), cmd, t);
	else
		fprintf(stderr, _("sgz: %s\n"), t);
	free(t);
}

void cli_bad_option(const char *cmd, char **argv, int c)
{
	/* the word as given: a long option (--x, --x=v) is argv[optind - 1] */
	const char *word = optind > 0 ? argv[optind - 1] : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };

	if (strncmp(word, "--", 2) != 0 && optopt)
		word = shortopt;
	int n = (int)strcspn(word, "=");
	if (c == ':')
		fprintf(stderr, _("sgz %s: option %.*s needs a value\n"), cmd, n, word);
	else if (word[n] == '=' && optopt) /* --dry-run=yes */
		fprintf(stderr, _("sgz %s: option %.*s takes no value\n"), cmd, n, word);
	else
		fprintf(stderr, _("sgz %s: %.*s is not an option of sgz %s (see sgz %s --help)\n"),
			cmd, n, word, cmd, cmd);
}

/* The connection options of the configuration for conninfo. */
static struct db_opts conf_db_opts(const struct cli_ctx *ctx, const char *conninfo)
{
	return (struct db_opts){
		.conninfo = conninfo ? conninfo : "",
		.connect_timeout = ctx->conf->connect_timeout,
		.statement_timeout = ctx->conf->statement_timeout,
		.lock_timeout = ctx->conf->lock_timeout,
		.idle_in_transaction_session_timeout =
			ctx->conf->idle_in_transaction_session_timeout,
	};
}

struct db *cli_connect(const struct cli_ctx *ctx, const char *conninfo)
{
	struct db_opts o = conf_db_opts(ctx, conninfo);
	struct sgz_err err;

	sgz_err_clear(&err);
	struct db *db = db_connect(&o, &err);
	if (!db) {
		cli_say(NULL, err.msg);
		log_msg(LOG_ERROR, "%s", err.msg);
	}
	return db;
}

struct db *cli_connect_current(const struct cli_ctx *ctx, const char *conninfo)
{
	struct sgz_err err;
	struct db *db = cli_connect(ctx, conninfo);

	if (!db)
		return NULL;
	sgz_err_clear(&err);
	switch (migrate_is_current(db, &err)) {
	case 1:
		return db;
	case 0:
		fputs(_("sgz: the database schema is not current: run 'sgz migrate' first\n"),
		      stderr);
		break;
	default:
		cli_say(NULL, err.msg);
		/* A login role that was never made an sgz user. */
		if (strstr(err.msg, "permission denied for schema sgz"))
			fprintf(stderr,
				_("sgz: %s is not a user of sgz in this database: ask an "
				  "administrator (sgz user add)\n"),
				PQuser(db_pgconn(db)));
		break;
	}
	db_close(db);
	return NULL;
}

struct report_db *cli_report_db(const struct cli_ctx *ctx, struct db *main)
{
	const char *rc = ctx->conf->report_conninfo;
	/* --db and $SGZ_DB name the one database everything runs on */
	struct db_opts o = conf_db_opts(ctx, ctx->conninfo == ctx->conf->conninfo ? rc : "");

	o.user = PQuser(db_pgconn(main));
	return report_db_new(main, &o, ctx->conf->report_max_lag);
}

int cli_bulk_session(const struct cli_ctx *ctx, struct db *db)
{
	char ms[24];
	const char *params[1] = { ms };
	struct sgz_err err;

	sgz_err_clear(&err);
	snprintf(ms, sizeof(ms), "%d", ctx->conf->bulk_statement_timeout);
	if (db_exec(db, "SELECT set_config('statement_timeout', $1, false)", 1, params, &err) < 0) {
		cli_say(NULL, err.msg);
		return -1;
	}
	return 0;
}

int cli_check_output(const struct cli_ctx *ctx, const char *cmd, const char *path)
{
	if (!ctx->conf->locked || strcmp(path, "-") == 0)
		return 0;
	fprintf(stderr,
		_("sgz %s: -o %s: refused: sgz is locked, so it writes files only from the "
		  "interface, into the export directory; leave -o out (or write -o -) for "
		  "standard output\n"),
		cmd, path);
	return -1;
}

/* The interface needs UTF-8 for Chinese text. main() sets C.UTF-8 up
 * itself when the environment names no locale (SSH often arrives with
 * none, or C); what is left is a locale that names another character set,
 * which the terminal then probably uses too. */
static int locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The variable that chose the characters' locale, as "LC_ALL=...". */
static const char *ctype_setting(char *buf, size_t size)
{
	static const char *const names[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < SGZ_ARRAY_LEN(names); i++) {
		const char *v = getenv(names[i]);
		if (v && v[0]) {
			snprintf(buf, size, "%s=%s", names[i], v);
			return buf;
		}
	}
	return "LANG";
}

int cli_check_terminal(void)
{
	char setting[256];

	/* in English: a terminal that cannot show Chinese reads this */
	if (!locale_is_utf8()) {
		fprintf(stderr,
			"sgz: the locale %s is not UTF-8, so Chinese text cannot be shown.\n"
			"Fix: set the terminal (or the SSH client) to the UTF-8 character set, "
			"and LANG to zh_CN.UTF-8 or C.UTF-8 or leave it unset; then start sgz "
			"again.\n",
			ctype_setting(setting, sizeof(setting)));
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs(_("sgz: the interface needs a terminal; for scripts use the "
			"subcommands (sgz --help)\n"),
		      stderr);
		return -1;
	}
	/* a terminal type curses cannot draw on (TERM=dumb) would show nothing */
	struct sgz_err err;
	sgz_err_clear(&err);
	if (tui_check_terminal(&err) < 0) {
		cli_say(NULL, err.msg);
		return -1;
	}
	return 0;
}

/* What drafts record (draft.h): the database as stably named as the
 * server lets us (the cluster's system identifier, which no rename, move
 * or other host name changes, and the database's name; where
 * pg_control_system() is not granted, the server's host and port) and the
 * login role, session_user. *database and *role: caller frees. */
static void session_identity(struct db *db, char **database, char **role)
{
	static const char sysid_sql[] =
		"SELECT session_user, current_database(), s.system_identifier::text\n"
		"  FROM pg_catalog.pg_control_system() AS s";
	static const char plain_sql[] = "SELECT session_user, current_database()";
	PGconn *pg = db_pgconn(db);
	struct sgz_err err;
	PGresult *res;

	*database = *role = NULL;
	sgz_err_clear(&err);
	res = db_query(db, sysid_sql, 0, NULL, &err);
	if (res && PQntuples(res) == 1) {
		*role = xstrdup(PQgetvalue(res, 0, 0));
		*database = xasprintf("%s/%s", PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1));
		PQclear(res);
		return;
	}
	PQclear(res);
	log_msg(LOG_INFO, "the cluster's system identifier: %s", err.msg);
	sgz_err_clear(&err);
	res = db_query(db, plain_sql, 0, NULL, &err);
	if (!res || PQntuples(res) != 1)
		log_msg(LOG_WARNING, "the session's database and role: %s", err.msg);
	/* at worst what libpq connected with: never none, which old drafts have */
	*role = xstrdup(res && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : PQuser(pg));
	*database = xasprintf("%s:%s/%s", PQhost(pg) ? PQhost(pg) : "",
			      PQport(pg) ? PQport(pg) : "",
			      res && PQntuples(res) == 1 ? PQgetvalue(res, 0, 1) : PQdb(pg));
	PQclear(res);
}

int cli_open_tui(const struct cli_ctx *ctx, const char *conninfo)
{
	if (cli_check_terminal() < 0)
		return SGZ_EUSAGE;
	struct db *db = cli_connect_current(ctx, conninfo);
	if (!db)
		return SGZ_EUSAGE;

	PGconn *pg = db_pgconn(db);
	char *where = xasprintf("%s@%s", PQuser(pg), PQdb(pg));
	char *database, *role;
	session_identity(db, &database, &role);
	struct report_db *reports = cli_report_db(ctx, db);
	struct tui_opts o = {
		.reports = reports,
		.language = ctx->lang ? ctx->lang : ctx->conf->language,
		.color = ctx->conf->color,
		.where = where,
		.database = database,
		.role = role,
		.export_dir = ctx->conf->export_dir,
	};
	struct sgz_err err;
	sgz_err_clear(&err);
	int rc = tui_run(db, &o, &err);
	if (rc != SGZ_OK && err.msg[0])
		cli_say(NULL, err.msg);
	free(where);
	free(database);
	free(role);
	report_db_free(reports);
	db_rollback(db);
	db_close(db);
	return rc;
}
