/* conf.h - the ini file (iniparser): search order and keys of DESIGN.md.
 * Every key, its default and its range are documented in conf/sgz.ini and
 * sgz.ini(5); keep the three in step. */
#ifndef SGZ_CONF_H
#define SGZ_CONF_H

#include "sgz/log.h"
#include "sgz/util.h"

enum conf_color { CONF_COLOR_AUTO, CONF_COLOR_ALWAYS, CONF_COLOR_NEVER };

struct sgz_conf {
	char *path; /* the file that was read, NULL when none: defaults only */

	/* [database] */
	char *conninfo;	       /* libpq conninfo or "service=NAME"; "" = libpq env */
	char *report_conninfo; /* for reports (a hot standby); "" = conninfo */
	int connect_timeout;   /* seconds, 1..600 */
	int statement_timeout; /* milliseconds, 0..86400000 (0 = none) */
	int bulk_statement_timeout; /* import and export: milliseconds, 0 = none */
	int lock_timeout;      /* milliseconds, 0..86400000 */
	int idle_in_transaction_session_timeout; /* milliseconds, 0..86400000 */

	/* [ui] */
	char *language; /* "auto", "zh_CN" or "en" */
	enum conf_color color;

	/* [log] */
	char *log_file; /* "" = no log; default $state/sgz.log; "~/" expanded */
	enum log_level log_level;

	/* [demo] */
	char *pg_bindir; /* "" = newest /usr/lib/postgresql/N/bin; "~/" expanded */
};

/* Fills c with the built-in defaults, overwriting whatever c held. */
void conf_defaults(struct sgz_conf *c);
/* Loads the first found of explicit_path (--config, must exist), $SGZ_CONFIG
 * (if set and not empty; must exist), ~/.config/sgz/sgz.ini, /etc/sgz/sgz.ini
 * over what c holds (conf_defaults() first). A default location that does
 * not exist is skipped; with none found c keeps its values and path NULL.
 * Returns 0, or -1 with err "FILE:LINE: section.key: reason" (SGZ_EUSAGE)
 * and c unchanged. Never writes to the terminal (iniparser's messages go to
 * err and the log). */
int conf_load(struct sgz_conf *c, const char *explicit_path, struct sgz_err *err);
/* Loads exactly path over what c holds (conf_defaults() first). Same errors. */
int conf_load_file(struct sgz_conf *c, const char *path, struct sgz_err *err);
/* Frees the strings of c (not c itself) and sets them NULL; c may be NULL. */
void conf_free(struct sgz_conf *c);

#endif
