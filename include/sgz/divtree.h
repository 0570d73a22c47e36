/* divtree.h - the model of the division browser: the divisions as a tree
 * by level (province, prefecture, county, township/street,
 * village/community), each division under the parent the stored `parent`
 * column gives (sgz.division_parent() of migration 0001, so a township of
 * a prefecture-level city without counties hangs under the prefecture).
 *
 * The rows below a division come by key a page at a time (keyset, never
 * OFFSET), each with the number of its own subdivisions, counted for the
 * whole page by one grouped query in the same statement. The search finds
 * the divisions at every level below one by a name fragment or a code
 * prefix, each with its path. The tree of a user starts at the division of
 * sgz.scope_prefix(). No libpq and no curses here: the database is
 * `struct db`, opaque; queries go through db_async_run(), so the interface's
 * wait hook (db_set_wait()) can cancel them. */
#ifndef SGZ_DIVTREE_H
#define SGZ_DIVTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sgz/util.h"

struct db;
struct divtree;

/* The root of the whole country: its subdivisions are the provinces. */
#define DIVTREE_NATION ""

/* One row of a page. Everything is borrowed for the call. */
struct divtree_row {
	const char *key;  /* record_key_encode() of the division: opens its record */
	const char *code; /* 12 digits */
	const char *name;
	int level;	  /* 1 province ... 5 village (enum division_level) */
	long children;	  /* the divisions directly below it */
	const char *path; /* a search's row: the names between the division
			   * searched below and this row's parent, " > " between
			   * them ("" for a direct subdivision); NULL otherwise */
};

/* Receives one row; returns 0, or -1 to stop (the fetch still succeeds). */
typedef int (*divtree_row_fn)(void *arg, const struct divtree_row *row);

enum divtree_fetch {
	DIVTREE_FIRST,	/* the first n rows */
	DIVTREE_AFTER,	/* the n rows after key */
	DIVTREE_BEFORE, /* the n rows before key */
	DIVTREE_LAST,	/* the last n rows */
};

/* Returns the browser's model over db (borrowed; must outlive it). Caller
 * frees with divtree_free(). */
struct divtree *divtree_new(struct db *db);
void divtree_free(struct divtree *dt);

/* Asks the server, in one round trip, where the session's tree starts and
 * whether it may add and delete divisions (the table's privileges). 0, or
 * -1 with err set: a role without a scope, a lost connection. */
int divtree_open(struct divtree *dt, struct sgz_err *err);
/* The code the tree starts at: DIVTREE_NATION for a session whose scope is
 * everything, else the division of its scope. Borrowed. */
const char *divtree_root(const struct divtree *dt);
bool divtree_may_add(const struct divtree *dt);
bool divtree_may_delete(const struct divtree *dt);

/* Fetches at most n rows below node (a 12-digit code or DIVTREE_NATION)
 * into fn, ordered by code (for DIVTREE_BEFORE and DIVTREE_LAST too: the
 * rows nearest the key or the end come last). Without a filter (NULL or
 * blank) the rows are node's direct subdivisions; with one, the divisions
 * at every level below node whose code starts with it (digits only) or
 * whose name contains it (anything else; case-insensitively, % and _
 * matching themselves), each with its path. 0, or -1 with err set
 * (err->conn_lost when the connection was lost). */
int divtree_fetch(struct divtree *dt, const char *node, const char *filter, enum divtree_fetch how,
		  const char *key, size_t n, divtree_row_fn fn, void *arg, struct sgz_err *err);

/* Receives one division of a path: its code and name. */
typedef int (*divtree_path_fn)(void *arg, const char *code, const char *name);

/* The path of code: its province first, code itself last, each step the
 * stored parent. 0, or -1 with err set. */
int divtree_path(struct divtree *dt, const char *code, divtree_path_fn fn, void *arg,
		 struct sgz_err *err);

/* Writes the rows divtree_fetch() shows for node and filter, all of them,
 * in the import format of spec/csv.md (the columns of `sgz export
 * divisions`, by code) to out, as browse_copy_export() does: audited in
 * the same transaction. *rows receives the row count. 0, or -1 with err
 * set. */
int divtree_export(struct divtree *dt, const char *node, const char *filter, FILE *out,
		   long *rows, struct sgz_err *err);

/* The significant digits of node (2, 4, 6, 9 or 12; 0 for DIVTREE_NATION):
 * the codes below it start with them. */
size_t divtree_prefix_len(const char *node);

#endif
