/* tui.h - the terminal interface. Nothing here includes libpq. */
#ifndef SGZ_TUI_H
#define SGZ_TUI_H

#include "sgz/conf.h"
#include "sgz/util.h"

struct db; /* opaque here: screens reach the database through the model */
struct report_db;

struct tui_opts {
	/* where reports run (report_db.h): a standby, opened at the first
	 * report, or the main connection; NULL: the main connection */
	struct report_db *reports;
	const char *language; /* "zh_CN", "en" or "auto" */
	enum conf_color color;
	const char *where; /* shown in the title line: "user@database" */
	/* what drafts record and are offered by (draft_set_identity()): the
	 * database, as stably named as can be, and the login role */
	const char *database;
	const char *role;
	/* [export] directory: where the interface writes files; "" or NULL
	 * for nowhere */
	const char *export_dir;
};

/* Can the interface draw on this terminal? TERM must be set and name a
 * terminfo entry that can move the cursor (TERM=dumb cannot: the screen
 * would stay blank). 0, or -1 with err set to why and how to fix it, in
 * the interface's language. Touches nothing on the terminal. */
int tui_check_terminal(struct sgz_err *err);
/* Runs the interface until the user quits; the terminal is restored on
 * every path. Returns an exit status of spec/cli.md. */
int tui_run(struct db *db, const struct tui_opts *opts, struct sgz_err *err);

#endif
