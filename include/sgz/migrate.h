/* migrate.h - schema migrations embedded in the binary at build time. */
#ifndef SGZ_MIGRATE_H
#define SGZ_MIGRATE_H

#include <stdio.h>

#include "sgz/db.h"

struct sgz_migration {
	int version;	  /* NNNN of NNNN_name.sql */
	const char *name; /* the file's name without .sql */
	const char *sql;
};

/* The embedded migrations, in version order (generated file). */
extern const struct sgz_migration sgz_migrations[];
extern const size_t sgz_migrations_count;

/* Applies every pending migration, each in its own transaction, under an
 * advisory lock. Refuses a database with versions newer than the binary.
 * *applied receives how many ran (may be NULL). 0 or -1 with err set. */
int migrate_apply(struct db *db, int *applied, struct sgz_err *err);
/* Prints "applied"/"pending" lines for every version to out. Returns the
 * number pending, or -1 with err set. */
int migrate_status(struct db *db, FILE *out, struct sgz_err *err);
/* Returns 1 if the schema is current, 0 if migrations are pending, -1 on
 * error (including a database newer than the binary). */
int migrate_is_current(struct db *db, struct sgz_err *err);

#endif
