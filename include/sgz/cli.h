/* cli.h - the subcommands of spec/cli.md. */
#ifndef SGZ_CLI_H
#define SGZ_CLI_H

#include "sgz/conf.h"
#include "sgz/util.h"

struct db;
struct report_db;

struct cli_ctx {
	struct sgz_conf *conf;
	const char *conninfo; /* effective: --db, $SGZ_DB, or [database] conninfo */
	const char *lang;     /* --lang, or NULL for [ui] language */
	const char *datadir;  /* $SGZ_DATADIR or the installed data directory */
};

/* Connects with the configured timeouts; on failure prints the reason to
 * stderr and returns NULL. Caller closes with db_close(). */
struct db *cli_connect(const struct cli_ctx *ctx, const char *conninfo);
/* Connects and checks the schema is current (else says to run migrate). */
struct db *cli_connect_current(const struct cli_ctx *ctx, const char *conninfo);
/* The connection reports run on (report_db.h) beside main: [database]
 * report_conninfo as the same role as main, unless --db or $SGZ_DB chose
 * the database. Caller frees with report_db_free() before closing main. */
struct report_db *cli_report_db(const struct cli_ctx *ctx, struct db *main);
/* Checks that the interface can open: a UTF-8 locale and a terminal. On
 * failure says why (and how to fix it) on stderr and returns -1. */
int cli_check_terminal(void);
/* -o path of export and report: locked (an SSH front end), sgz writes
 * files only from the interface, into the export directory, so any path
 * but "-" (standard output) is refused, saying so on stderr: -1. Else 0. */
int cli_check_output(const struct cli_ctx *ctx, const char *cmd, const char *path);
/* For import and export: replaces the session's statement_timeout with
 * [database] bulk_statement_timeout. 0 or -1 (said on stderr). */
int cli_bulk_session(const struct cli_ctx *ctx, struct db *db);
/* "sgz CMD: MSG" on stderr (cmd NULL: "sgz: MSG"), msg, a lower layer's
 * or the database's English, in the reader's language (msg_tr()). */
void cli_say(const char *cmd, const char *msg);
/* getopt_long()'s refusal c ('?' or ':', with opterr 0 and an optstring
 * that starts with ':') in the reader's language, on stderr. */
void cli_bad_option(const char *cmd, char **argv, int c);
/* Opens the interface on conninfo. Returns an exit status. */
int cli_open_tui(const struct cli_ctx *ctx, const char *conninfo);

/* Each returns an exit status of spec/cli.md; argv[0] is the subcommand. */
int cli_migrate(const struct cli_ctx *ctx, int argc, char **argv);
int cli_demo(const struct cli_ctx *ctx, int argc, char **argv);
int cli_import(const struct cli_ctx *ctx, int argc, char **argv);
int cli_export(const struct cli_ctx *ctx, int argc, char **argv);
int cli_report(const struct cli_ctx *ctx, int argc, char **argv);
int cli_certificate(const struct cli_ctx *ctx, int argc, char **argv);
int cli_user(const struct cli_ctx *ctx, int argc, char **argv);
int cli_rollup(const struct cli_ctx *ctx, int argc, char **argv);
int cli_submit(const struct cli_ctx *ctx, int argc, char **argv);
int cli_backup(const struct cli_ctx *ctx, int argc, char **argv);
int cli_restore(const struct cli_ctx *ctx, int argc, char **argv);

#endif
