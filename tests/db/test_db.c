/* test_db.c - the libpq layer and the migration runner against a real
 * PostgreSQL started by tests/with-pg (PGHOST etc. in the environment). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/db.h"
#include "sgz/log.h"
#include "sgz/migrate.h"

static struct db *connect_default(void)
{
	struct db_opts o = { .conninfo = "", .connect_timeout = 10, .statement_timeout = 30000,
			     .lock_timeout = 5000, .idle_in_transaction_session_timeout = 60000 };
	struct sgz_err err;

	sgz_err_clear(&err);
	struct db *db = db_connect(&o, &err);
	if (!db)
		fail_msg("connect: %s", err.msg);
	return db;
}

/* The first value of a one-row query. Caller frees. */
static char *scalar(struct db *db, const char *sql)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	PGresult *res = db_query(db, sql, 0, NULL, &err);
	if (!res)
		fail_msg("%s: %s", sql, err.msg);
	char *v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static void test_db_connect_sets_application_name(void **state)
{
	(void)state;
	struct db *db = connect_default();
	char *v = scalar(db, "SELECT current_setting('application_name')");
	assert_string_equal(v, "sgz");
	free(v);
	db_close(db);
}

static void test_db_session_timeouts_come_from_options(void **state)
{
	(void)state;
	struct db_opts o = { .conninfo = "", .statement_timeout = 1234, .lock_timeout = 567,
			     .idle_in_transaction_session_timeout = 8900 };
	struct sgz_err err;
	sgz_err_clear(&err);
	struct db *db = db_connect(&o, &err);
	assert_non_null(db);
	char *v = scalar(db, "SELECT current_setting('statement_timeout') || ' ' || "
			     "current_setting('lock_timeout') || ' ' || "
			     "current_setting('idle_in_transaction_session_timeout')");
	assert_string_equal(v, "1234ms 567ms 8900ms");
	free(v);
	db_close(db);
}

static void test_db_connect_failure_names_the_reason(void **state)
{
	(void)state;
	struct db_opts o = { .conninfo = "host=/nonexistent/sgz port=5432", .connect_timeout = 2 };
	struct sgz_err err;
	sgz_err_clear(&err);
	assert_null(db_connect(&o, &err));
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_non_null(strstr(err.msg, "cannot connect to the database"));
	assert_non_null(strstr(err.msg, "/nonexistent/sgz"));
}

static void test_db_query_passes_hostile_text_as_a_parameter(void **state)
{
	(void)state;
	static const char hostile[] = "'); DROP TABLE pg_class; -- \"引号\" \\ \t";
	const char *params[1] = { hostile };
	struct sgz_err err;
	struct db *db = connect_default();

	sgz_err_clear(&err);
	PGresult *res = db_query(db, "SELECT $1::text", 1, params, &err);
	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), hostile);
	PQclear(res);
	db_close(db);
}

static void test_db_errors_split_data_from_other_failures(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();

	sgz_err_clear(&err);
	assert_int_equal(db_exec(db, "SELECT 1 / 0", 0, NULL, &err), -1);
	assert_int_equal(err.status, SGZ_EDATA);
	assert_non_null(strstr(err.msg, "division by zero"));
	sgz_err_clear(&err);
	assert_int_equal(db_exec(db, "SELECT * FROM no_such_table", 0, NULL, &err), -1);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_int_equal(err.conn_lost, 0);
	/* The connection is still good after ordinary errors. */
	char *v = scalar(db, "SELECT 42");
	assert_string_equal(v, "42");
	free(v);
	db_close(db);
}

static void test_db_lost_connection_is_reset_and_reported(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();
	struct db *killer = connect_default();
	char pid[16];
	const char *params[1] = { pid };

	snprintf(pid, sizeof(pid), "%d", PQbackendPID(db_pgconn(db)));
	sgz_err_clear(&err);
	assert_int_equal(db_exec(killer, "SELECT pg_terminate_backend($1::integer)", 1, params,
				 &err),
			 0);
	sgz_err_clear(&err);
	assert_int_equal(db_exec(db, "SELECT 1", 0, NULL, &err), -1);
	assert_int_equal(err.conn_lost, 1);
	assert_non_null(strstr(err.msg, "was lost"));
	/* Reset: a new backend with the session settings applied again. */
	assert_int_not_equal(PQbackendPID(db_pgconn(db)), atoi(pid));
	char *v = scalar(db, "SELECT current_setting('application_name') || ' ' || "
			     "current_setting('statement_timeout')");
	assert_string_equal(v, "sgz 30s");
	free(v);
	db_close(killer);
	db_close(db);
}

static void test_db_notices_go_to_the_log_not_the_terminal(void **state)
{
	(void)state;
	char logpath[] = "/tmp/sgz-test-log.XXXXXX";
	char errpath[] = "/tmp/sgz-test-err.XXXXXX";
	int lfd = mkstemp(logpath), efd = mkstemp(errpath);
	struct sgz_err err;
	char buf[4096];

	assert_true(lfd >= 0 && efd >= 0);
	sgz_err_clear(&err);
	assert_int_equal(log_open(logpath, LOG_INFO, &err), 0);
	int saved = dup(STDERR_FILENO);
	dup2(efd, STDERR_FILENO);
	struct db *db = connect_default();
	assert_int_equal(db_exec(db, "DO $$ BEGIN RAISE NOTICE 'notice-for-the-log'; END $$", 0,
				 NULL, &err),
			 0);
	db_close(db);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	log_close();

	ssize_t n = pread(lfd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "notice-for-the-log"));
	n = pread(efd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	assert_null(strstr(buf, "notice-for-the-log"));
	close(lfd);
	close(efd);
	unlink(logpath);
	unlink(errpath);
}

static void test_db_copy_loads_rows_and_reports_bad_data(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();
	static const char rows[] = "1\t甲\n2\t乙\n3\t\\N\n";

	sgz_err_clear(&err);
	assert_int_equal(db_exec(db, "CREATE TEMP TABLE t (n integer, s text)", 0, NULL, &err), 0);
	assert_int_equal(db_copy_begin(db, "COPY t FROM STDIN", &err), 0);
	assert_int_equal(db_copy_put(db, rows, strlen(rows), &err), 0);
	assert_int_equal(db_copy_end(db, NULL, &err), 0);
	char *v = scalar(db, "SELECT count(*) || ' ' || count(s) FROM t");
	assert_string_equal(v, "3 2");
	free(v);

	assert_int_equal(db_copy_begin(db, "COPY t FROM STDIN", &err), 0);
	assert_int_equal(db_copy_put(db, "x\ty\n", 4, &err), 0);
	assert_int_equal(db_copy_end(db, NULL, &err), -1);
	assert_int_equal(err.status, SGZ_EDATA);
	assert_non_null(strstr(err.msg, "invalid input syntax"));
	db_close(db);
}

static void test_db_rollback_discards_an_open_transaction(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();

	sgz_err_clear(&err);
	assert_int_equal(db_exec(db, "CREATE TEMP TABLE r (n integer)", 0, NULL, &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	assert_int_equal(db_exec(db, "INSERT INTO r VALUES (1)", 0, NULL, &err), 0);
	db_rollback(db);
	char *v = scalar(db, "SELECT count(*) FROM r");
	assert_string_equal(v, "0");
	free(v);
	db_rollback(db); /* no transaction: harmless */
	db_close(db);
}

static void test_migrate_applies_once_then_is_a_no_op(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();
	int applied = -1;

	sgz_err_clear(&err);
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, (int)sgz_migrations_count);
	assert_int_equal(migrate_is_current(db, &err), 1);
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(applied, 0);
	char *v = scalar(db, "SELECT count(*) FROM sgz.schema_migration");
	assert_int_equal(atoi(v), (int)sgz_migrations_count);
	free(v);
	db_close(db);
}

static void test_migrate_refuses_a_newer_database(void **state)
{
	(void)state;
	struct sgz_err err;
	struct db *db = connect_default();
	int applied = -1;

	sgz_err_clear(&err);
	assert_int_equal(migrate_apply(db, &applied, &err), 0);
	assert_int_equal(db_exec(db,
				 "INSERT INTO sgz.schema_migration (version, name, checksum) "
				 "VALUES (9998, '9998_from_the_future', 'x')",
				 0, NULL, &err),
			 0);
	assert_int_equal(migrate_apply(db, &applied, &err), -1);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_non_null(strstr(err.msg, "newer than this program"));
	assert_int_equal(migrate_is_current(db, &err), -1);
	assert_int_equal(db_exec(db, "DELETE FROM sgz.schema_migration WHERE version = 9998", 0,
				 NULL, &err),
			 0);
	db_close(db);
}

static void test_migrations_are_embedded_in_version_order(void **state)
{
	(void)state;
	assert_true(sgz_migrations_count >= 1);
	for (size_t i = 0; i < sgz_migrations_count; i++) {
		assert_int_equal(sgz_migrations[i].version, (int)i + 1);
		assert_non_null(strstr(sgz_migrations[i].sql, ";"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_connect_sets_application_name),
		cmocka_unit_test(test_db_session_timeouts_come_from_options),
		cmocka_unit_test(test_db_connect_failure_names_the_reason),
		cmocka_unit_test(test_db_query_passes_hostile_text_as_a_parameter),
		cmocka_unit_test(test_db_errors_split_data_from_other_failures),
		cmocka_unit_test(test_db_lost_connection_is_reset_and_reported),
		cmocka_unit_test(test_db_notices_go_to_the_log_not_the_terminal),
		cmocka_unit_test(test_db_copy_loads_rows_and_reports_bad_data),
		cmocka_unit_test(test_db_rollback_discards_an_open_transaction),
		cmocka_unit_test(test_migrations_are_embedded_in_version_order),
		cmocka_unit_test(test_migrate_applies_once_then_is_a_no_op),
		cmocka_unit_test(test_migrate_refuses_a_newer_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
