/* dbtest.h - what the cmocka tests against a real PostgreSQL (tests/db)
 * share: connecting as a role, a migrated database with the national
 * divisions and fixtures, one statement, one value. Every failure fails the
 * test with the server's words. Include after <cmocka.h>. */
#ifndef SGZ_TESTS_DBTEST_H
#define SGZ_TESTS_DBTEST_H

#include <stddef.h>
#include <stdlib.h>

#include "sgz/db.h"

/* Connects with conninfo ("" for the environment's PG*: the superuser of
 * tests/with-pg; "user=ROLE" for a user). */
struct db *dbtest_connect(const char *conninfo);
/* Migrates, imports the national divisions, then the fixtures named
 * (tests/db/fixtures/NAME.csv), in that order. */
void dbtest_load(struct db *db, const char *const *fixtures, size_t n);
/* Imports one file into entity. */
void dbtest_import(struct db *db, const char *entity, const char *path);
/* Runs one statement. */
void dbtest_exec(struct db *db, const char *sql);
/* The first value of the first row ("" for none or NULL). Caller frees. */
char *dbtest_one(struct db *db, const char *sql);
/* Fails the test if s holds a 15- or 18-character ID number in full. */
void dbtest_assert_masked(const char *s);

#define dbtest_assert_one(db, sql, want)                                                           \
	do {                                                                                       \
		char *dbtest_v_ = dbtest_one((db), (sql));                                         \
		assert_string_equal(dbtest_v_, (want));                                            \
		free(dbtest_v_);                                                                   \
	} while (0)

#endif
