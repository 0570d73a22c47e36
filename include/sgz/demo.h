/* demo.h - the built-in demo: a private PostgreSQL cluster on a Unix socket
 * in the user's state directory, migrated and loaded with the demo data. */
#ifndef SGZ_DEMO_H
#define SGZ_DEMO_H

#include "sgz/conf.h"
#include "sgz/util.h"

struct demo_opts {
	const char *pg_bindir; /* "" or NULL = newest /usr/lib/postgresql/N/bin */
	const char *datadir;   /* where divisions-2022.csv and demo/ live */
	int reset;	       /* drop the cluster and build it anew */
	int quiet;	       /* no progress lines on stderr */
};

/* Returns the demo cluster directory, also its socket directory: the state
 * directory's demo/, or as root /var/lib/sgz/demo-HASH, one per state
 * directory, when the postgres user cannot reach that (see demo.c).
 * Creates nothing. Caller frees. */
char *demo_dir(void);
/* Creates (first use), starts (when stopped), migrates and loads the demo
 * cluster, serialised with other sgz demo runs by a lock in the state
 * directory. Removes PG* from the process environment: the demo never talks
 * to another server. *conninfo receives how to reach it. Caller frees.
 * 0, or -1 with err set (status 2) naming the log to read. */
int demo_prepare(const struct demo_opts *opts, char **conninfo, struct sgz_err *err);
/* Stops the demo server if it runs (not running is no error). Removes PG*
 * from the environment as demo_prepare() does. 0, or -1 with err set. */
int demo_stop(const struct demo_opts *opts, struct sgz_err *err);

#endif
