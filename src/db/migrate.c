/* migrate.c - applies the embedded migrations: each in its own transaction,
 * all under one advisory lock, recorded in sgz.schema_migration. */
#include "config.h"

#include "sgz/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/log.h"

/* pg_advisory_lock key shared by every sgz migrate: "sgzmigr" in ASCII. */
static const char lock_sql[] = "SELECT pg_advisory_lock(7306062248568178)";
static const char unlock_sql[] = "SELECT pg_advisory_unlock(7306062248568178)";

static const char bootstrap_sql[] =
	"CREATE SCHEMA IF NOT EXISTS sgz;\n"
	"CREATE TABLE IF NOT EXISTS sgz.schema_migration (\n"
	"	version integer PRIMARY KEY,\n"
	"	name text NOT NULL,\n"
	"	checksum text NOT NULL,\n"
	"	applied_at timestamptz NOT NULL DEFAULT now(),\n"
	"	applied_by text NOT NULL DEFAULT current_user\n"
	")";

static const char exists_sql[] = "SELECT to_regclass('sgz.schema_migration') IS NOT NULL";

static const char applied_sql[] =
	"SELECT version, name, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ'), checksum\n"
	"  FROM sgz.schema_migration ORDER BY version";

static const char record_sql[] =
	"INSERT INTO sgz.schema_migration (version, name, checksum) VALUES ($1, $2, md5($3))";

struct applied {
	int n;
	int *versions;
	char **names;
	char **when;
};

static void applied_free(struct applied *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->names[i]);
		free(a->when[i]);
	}
	free(a->versions);
	free(a->names);
	free(a->when);
	memset(a, 0, sizeof(*a));
}

/* Reads the applied versions; an absent table means none. 0 or -1. */
static int applied_load(struct db *db, struct applied *a, struct sgz_err *err)
{
	memset(a, 0, sizeof(*a));
	PGresult *res = db_query(db, exists_sql, 0, NULL, err);
	if (!res)
		return -1;
	int exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!exists)
		return 0;
	res = db_query(db, applied_sql, 0, NULL, err);
	if (!res)
		return -1;
	a->n = PQntuples(res);
	a->versions = xcalloc((size_t)a->n, sizeof(int));
	a->names = xcalloc((size_t)a->n, sizeof(char *));
	a->when = xcalloc((size_t)a->n, sizeof(char *));
	for (int i = 0; i < a->n; i++) {
		a->versions[i] = atoi(PQgetvalue(res, i, 0));
		a->names[i] = xstrdup(PQgetvalue(res, i, 1));
		a->when[i] = xstrdup(PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return 0;
}

static int applied_has(const struct applied *a, int version)
{
	for (int i = 0; i < a->n; i++)
		if (a->versions[i] == version)
			return i;
	return -1;
}

static int embedded_has(int version)
{
	for (size_t i = 0; i < sgz_migrations_count; i++)
		if (sgz_migrations[i].version == version)
			return 1;
	return 0;
}

static int latest_embedded(void)
{
	return sgz_migrations_count ? sgz_migrations[sgz_migrations_count - 1].version : 0;
}

/* A database with a version this binary does not know is newer: refuse. */
static int check_not_newer(const struct applied *a, struct sgz_err *err)
{
	for (int i = 0; i < a->n; i++) {
		if (!embedded_has(a->versions[i])) {
			sgz_err_set(err, SGZ_EUSAGE,
				    "the database schema has migration %04d (%s), which this sgz "
				    "does not know (it knows up to %04d): the database is newer than "
				    "this program; upgrade sgz",
				    a->versions[i], a->names[i], latest_embedded());
			return -1;
		}
	}
	return 0;
}

int migrate_is_current(struct db *db, struct sgz_err *err)
{
	struct applied a;
	int rc;

	if (applied_load(db, &a, err) < 0)
		return -1;
	if (check_not_newer(&a, err) < 0) {
		rc = -1;
		goto out;
	}
	rc = 1;
	for (size_t i = 0; i < sgz_migrations_count; i++)
		if (applied_has(&a, sgz_migrations[i].version) < 0)
			rc = 0;
out:
	applied_free(&a);
	return rc;
}

/* The self-check after each migration from 0010 on: no function of the
 * schema may take the caller's search_path (a policy or trigger calling it
 * would resolve rpad() or > in a schema the user made). A migration that
 * adds one fails, in its own transaction, naming the functions. */
static const char pinned_sql[] =
	"SELECT string_agg(f::text, ', ') FROM sgz.unpinned_functions() f";

static int pinned_check(struct db *db, const struct sgz_migration *m, struct sgz_err *err)
{
	PGresult *res;
	int rc = 0;

	if (m->version < 10)
		return 0;
	res = db_query(db, pinned_sql, 0, NULL, err);
	if (!res)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    "migration %s leaves functions that take the caller's search_path "
			    "(pin it with SET search_path = pg_catalog, pg_temp, or write an SQL "
			    "body as BEGIN ATOMIC): %.700s",
			    m->name, PQgetvalue(res, 0, 0));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

static int apply_one(struct db *db, const struct sgz_migration *m, struct sgz_err *err)
{
	char version[16];
	const char *params[3] = { version, m->name, m->sql };

	snprintf(version, sizeof(version), "%d", m->version);
	if (db_begin(db, err) < 0)
		return -1;
	/* which migration runs, for the roll-up's refusal of writes (0024) */
	if (db_exec(db, "SELECT set_config('sgz.migration', $1, true)", 1, params + 1, err) < 0)
		goto fail;
	if (db_exec_script(db, m->sql, err) < 0) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		sgz_err_set(err, SGZ_EUSAGE, "migration %s failed: %.900s", m->name, why);
		goto fail;
	}
	if (pinned_check(db, m, err) < 0)
		goto fail;
	if (db_exec(db, record_sql, 3, params, err) < 0)
		goto fail;
	if (db_commit(db, err) < 0)
		goto fail;
	log_msg(LOG_INFO, "applied migration %s", m->name);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int migrate_apply(struct db *db, int *applied_count, struct sgz_err *err)
{
	struct applied a = { 0 };
	int rc = -1, count = 0;

	if (applied_count)
		*applied_count = 0;
	if (db_exec(db, lock_sql, 0, NULL, err) < 0)
		return -1;
	if (db_exec_script(db, bootstrap_sql, err) < 0)
		goto out;
	if (applied_load(db, &a, err) < 0)
		goto out;
	if (check_not_newer(&a, err) < 0)
		goto out;
	for (size_t i = 0; i < sgz_migrations_count; i++) {
		if (applied_has(&a, sgz_migrations[i].version) >= 0)
			continue;
		if (apply_one(db, &sgz_migrations[i], err) < 0)
			goto out;
		count++;
	}
	rc = 0;
out:
	applied_free(&a);
	struct sgz_err uerr;
	sgz_err_clear(&uerr);
	if (db_exec(db, unlock_sql, 0, NULL, &uerr) < 0)
		log_msg(LOG_WARNING, "advisory unlock failed: %s", uerr.msg);
	if (applied_count)
		*applied_count = count;
	return rc;
}

int migrate_status(struct db *db, FILE *out, struct sgz_err *err)
{
	struct applied a;
	int pending = 0;

	if (applied_load(db, &a, err) < 0)
		return -1;
	for (size_t i = 0; i < sgz_migrations_count; i++) {
		const struct sgz_migration *m = &sgz_migrations[i];
		int k = applied_has(&a, m->version);
		if (k >= 0) {
			fprintf(out, "applied  %s  %s\n", m->name, a.when[k]);
		} else {
			fprintf(out, "pending  %s\n", m->name);
			pending++;
		}
	}
	for (int i = 0; i < a.n; i++)
		if (!embedded_has(a.versions[i]))
			fprintf(out, "unknown  %s  %s (newer than this sgz)\n",
				a.names[i], a.when[i]);
	int newer = check_not_newer(&a, err);
	applied_free(&a);
	return newer < 0 ? -1 : pending;
}
