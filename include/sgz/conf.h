/* conf.h - the configuration (iniparser): the system file, then the user's
 * file, key by key; locked mode for SSH front ends (DESIGN.md). Every key,
 * its default and its range are documented in conf/sgz.ini and sgz.ini(5);
 * keep the three in step. */
#ifndef SGZ_CONF_H
#define SGZ_CONF_H

#include <stdbool.h>

#include "sgz/log.h"
#include "sgz/util.h"

enum conf_color { CONF_COLOR_AUTO, CONF_COLOR_ALWAYS, CONF_COLOR_NEVER };

/* Where a key's value came from. */
enum conf_source { CONF_SRC_DEFAULT, CONF_SRC_SYSTEM, CONF_SRC_USER };

#define CONF_MAX_KEYS 32

struct sgz_conf {
	char *system_path; /* the system file that was read, NULL when none */
	char *user_path;   /* the user's file that was read, NULL when none */
	bool locked;	   /* [security] locked of the system file, or --locked */

	/* [database] */
	char *conninfo;	       /* libpq conninfo or "service=NAME"; "" = libpq env */
	char *report_conninfo; /* for reports (a hot standby); "" = conninfo */
	int report_max_lag;    /* seconds a standby may lag unsaid, 0..604800 */
	int connect_timeout;   /* seconds, 1..600 */
	int statement_timeout; /* milliseconds, 0..86400000 (0 = none) */
	int bulk_statement_timeout; /* import and export: milliseconds, 0 = none */
	int lock_timeout;      /* milliseconds, 0..86400000 */
	int idle_in_transaction_session_timeout; /* milliseconds, 0..86400000 */

	/* [ui] */
	char *language; /* "auto", "zh_CN" or "en" */
	enum conf_color color;

	/* [export] */
	char *export_dir; /* where the interface writes files; "" = nowhere */

	/* [log] */
	char *log_file; /* "" = no log; default $state/sgz.log */
	enum log_level log_level;

	/* [demo] */
	char *pg_bindir; /* "" = newest /usr/lib/postgresql/N/bin */

	/* [security] */
	bool security_locked; /* only ever from the system file */

	/* conf_source of each key, in the order of conf.c's table */
	unsigned char source[CONF_MAX_KEYS];
};

/* Where conf_load() looks. */
struct conf_sources {
	const char *system_file; /* SGZ_SYSCONFDIR/sgz.ini; NULL for none */
	const char *config;	 /* --config FILE (must exist), or NULL */
	const char *config_env;	 /* $SGZ_CONFIG (must exist when not empty), or NULL */
	bool locked;		 /* --locked */
	const char *passwd_home; /* the home directory; NULL: the password database's */
};

/* Fills c with the built-in defaults, overwriting whatever c held. Paths
 * (~/, %u) are expanded with $HOME and the login name. */
void conf_defaults(struct sgz_conf *c);
/* Replaces what c holds (conf_defaults() or a load) with: the defaults,
 * then s->system_file when it exists, then the user's file over it key by
 * key: s->config, else s->config_env when not empty, else
 * ~/.config/sgz/sgz.ini when it exists. Locked (s->locked, or the system
 * file's [security] locked) is different: s->config and s->config_env are
 * not read, ~ is the home directory of the password database (never
 * $HOME), and the user's ~/.config/sgz/sgz.ini may set only [ui] keys and
 * [log] level, and only those the system file does not; a user's file that
 * is wrong is then skipped, with *warning set to why, since the user
 * cannot mend it under a forced command. Returns 0, or -1 with err "FILE:LINE:
 * section.key: reason" (SGZ_EUSAGE) and c unchanged. Never writes to the
 * terminal (iniparser's messages go to err and the log). */
int conf_load(struct sgz_conf *c, const struct conf_sources *s, struct sgz_err *err,
	      struct sgz_err *warning);
/* Loads exactly path over what c holds (conf_defaults() first), as a
 * user's file that is not locked. Same errors. */
int conf_load_file(struct sgz_conf *c, const char *path, struct sgz_err *err);
/* Where the value of key ("section.key") came from; abort()s on a key that
 * does not exist. */
enum conf_source conf_source_of(const struct sgz_conf *c, const char *key);
/* Frees the strings of c (not c itself) and sets them NULL; c may be NULL. */
void conf_free(struct sgz_conf *c);

#endif
