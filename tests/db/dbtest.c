/* dbtest.c - see dbtest.h. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <regex.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dbtest.h"
#include "sgz/dict.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"
#include "sgz/util.h"

struct db *dbtest_connect(const char *conninfo)
{
	struct db_opts o = {.conninfo = conninfo,
			    .connect_timeout = 10,
			    .statement_timeout = 30000,
			    .lock_timeout = 5000,
			    .idle_in_transaction_session_timeout = 60000};
	struct sgz_err err;

	sgz_err_clear(&err);
	struct db *d = db_connect(&o, &err);
	if (!d)
		fail_msg("connect '%s': %s", conninfo, err.msg);
	return d;
}

void dbtest_import(struct db *db, const char *entity, const char *path)
{
	FILE *quiet = fopen("/dev/null", "w");
	struct import_opts o = {.path = path, .encoding = CSV_ENC_AUTO, .errors = quiet};
	struct import_result res;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (import_run(db, dict_find(entity), &o, &res, &err) < 0)
		fail_msg("import %s: %s", entity, err.msg);
	if (quiet)
		fclose(quiet);
}

void dbtest_load(struct db *db, const char *const *fixtures, size_t n)
{
	const char *src = getenv("SGZ_SRCDIR");
	char path[4096];
	struct sgz_err err;

	if (!src)
		src = ".";
	sgz_err_clear(&err);
	if (migrate_apply(db, NULL, &err) < 0)
		fail_msg("migrate: %s", err.msg);
	snprintf(path, sizeof(path), "%s/data/divisions-2022.csv", src);
	dbtest_import(db, "divisions", path);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/tests/db/fixtures/%s.csv", src, fixtures[i]);
		dbtest_import(db, fixtures[i], path);
	}
}

void dbtest_exec(struct db *db, const char *sql)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (db_exec(db, sql, 0, NULL, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
}

char *dbtest_one(struct db *db, const char *sql)
{
	struct sgz_err err;
	PGresult *r;
	char *v;

	sgz_err_clear(&err);
	r = db_query(db, sql, 0, NULL, &err);
	if (!r)
		fail_msg("%s: %s", sql, err.msg);
	v = xstrdup(PQntuples(r) && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return v;
}

void dbtest_assert_masked(const char *s)
{
	regex_t re;

	assert_int_equal(regcomp(&re, "[0-9]{17}[0-9X]|[0-9]{15}", REG_EXTENDED | REG_NOSUB), 0);
	if (regexec(&re, s, 0, NULL, 0) == 0)
		fail_msg("a full ID number in \"%s\"", s);
	regfree(&re);
}
