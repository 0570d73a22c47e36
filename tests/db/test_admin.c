/* test_admin.c - the model of administration (admin.h) against a real
 * PostgreSQL started by tests/with-pg: a user's checks give the reasons of
 * `sgz user add`; add, change, list and remove; a county user refused by
 * the database, and marked so; a setting saved once with its row_version,
 * refused when stale or when not a number; the trail paged by key in both
 * directions and filtered; a trail written in batches (the shape of a
 * later migration) taken apart into its changes; the database's state. */
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

#include "sgz/admin.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"

static struct db *db;

static struct db *connect_as(const char *user)
{
	char conninfo[128];
	struct db_opts o = {
	    .conninfo = conninfo, .connect_timeout = 10, .statement_timeout = 30000};
	struct sgz_err err;
	struct db *d;

	snprintf(conninfo, sizeof(conninfo), "%s%s", user ? "user=" : "", user ? user : "");
	sgz_err_clear(&err);
	d = db_connect(&o, &err);
	if (!d)
		fail_msg("connect %s: %s", user ? user : "", err.msg);
	return d;
}

static void exec_sql(struct db *d, const char *sql)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (db_exec_script(d, sql, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
}

static int setup(void **state)
{
	static const char divisions[] = "code,name\n"
					"120000000000,天津市\n"
					"120100000000,市辖区\n"
					"120110000000,东丽区\n";
	char path[] = "/tmp/sgz-test-admin-XXXXXX";
	FILE *quiet = fopen("/dev/null", "w");
	struct import_opts o = {.path = path, .encoding = CSV_ENC_AUTO, .errors = quiet};
	struct import_result res;
	struct sgz_err err;
	int fd;

	(void)state;
	db = connect_as(NULL);
	sgz_err_clear(&err);
	if (migrate_apply(db, NULL, &err) < 0)
		fail_msg("migrate: %s", err.msg);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, divisions, sizeof(divisions) - 1) < 0)
		fail_msg("cannot write %s", path);
	close(fd);
	if (import_run(db, dict_find("divisions"), &o, &res, &err) < 0)
		fail_msg("import divisions: %s", err.msg);
	unlink(path);
	if (quiet)
		fclose(quiet);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	return 0;
}

static void test_user_check_gives_the_reasons_of_sgz_user_add(void **state)
{
	struct strbuf out = {0};
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(admin_user_check(ADMIN_USER_ROLE, "Bad Name", &out, &err), -1);
	assert_non_null(strstr(err.msg, "'Bad Name' is not a role name sgz gives"));
	assert_int_equal(admin_user_check(ADMIN_USER_KIND, "boss", &out, &err), -1);
	assert_string_equal(err.msg, "'boss' is not one of admin region county station evaluator");
	assert_int_equal(admin_user_check(ADMIN_USER_SCOPE, "1201x", &out, &err), -1);
	assert_non_null(strstr(err.msg, "division code may hold only the digits 0-9"));
	assert_int_equal(admin_user_check(ADMIN_USER_KIND, "县区人员", &out, &err), 0);
	assert_string_equal(sb_str(&out), "county");
	assert_int_equal(admin_user_check(ADMIN_USER_SCOPE, " 120110 ", &out, &err), 0);
	assert_string_equal(sb_str(&out), "120110000000");
	assert_int_equal(admin_user_check(ADMIN_USER_ROLE, " li.na ", &out, &err), 0);
	assert_string_equal(sb_str(&out), "li.na");
	sb_free(&out);
}

struct seen {
	char keys[16][64];
	char cells[16][ADMIN_AUDIT_NCOLS][64];
	size_t n;
};

static int take(void *arg, const char *key, const char *const *cells)
{
	struct seen *s = arg;

	if (s->n == 16)
		return -1;
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	for (size_t c = 0; c < 3; c++)
		snprintf(s->cells[s->n][c], sizeof(s->cells[0][0]), "%s", cells[c] ? cells[c] : "");
	s->n++;
	return 0;
}

static int take_audit(void *arg, const char *key, const char *const *cells)
{
	struct seen *s = arg;

	if (s->n == 16)
		return -1;
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	for (size_t c = 0; c < ADMIN_AUDIT_NCOLS; c++)
		snprintf(s->cells[s->n][c], sizeof(s->cells[0][0]), "%s", cells[c] ? cells[c] : "");
	s->n++;
	return 0;
}

static void test_user_add_change_list_remove(void **state)
{
	struct admin_user_added added;
	struct admin_err e;
	struct seen s = {0};
	char kind[16], scope[13];

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_user_add(db, "li.na", "county", "120110", &added, &e), 0);
	assert_true(added.created);
	assert_string_equal(added.scope, "120110000000");
	assert_string_equal(added.scope_name, "东丽区");
	assert_int_equal(admin_user_add(db, "li.na", "region", "12", &added, &e), 0);
	assert_false(added.created);
	assert_int_equal(admin_user_get(db, "li.na", kind, scope, &e), 1);
	assert_string_equal(kind, "region");
	assert_string_equal(scope, "120000000000");

	/* a scope not in the division list: the database's reason, on its field */
	assert_int_equal(admin_user_add(db, "zhao", "station", "120199", &added, &e), -1);
	assert_int_equal(e.field, ADMIN_USER_SCOPE);
	assert_false(e.denied);
	assert_non_null(strstr(e.err.msg, "scope 120199000000 is not in the division list"));

	admin_err_init(&e);
	assert_int_equal(
	    admin_list_fetch(db, ADMIN_LIST_USERS, ADMIN_FIRST, "li", NULL, NULL, 10, take, &s, &e),
	    0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.keys[0], "li.na");
	assert_string_equal(s.cells[0][ADMIN_USER_COL_KIND], "region");

	assert_int_equal(admin_user_remove(db, "li.na", &e), 1);
	assert_int_equal(admin_user_remove(db, "li.na", &e), 0);
}

static void test_county_user_is_refused_by_the_database(void **state)
{
	struct admin_user_added added;
	struct admin_setting st;
	struct admin_err e;
	struct seen s = {0};
	struct db *county;

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_user_add(db, "clerk", "county", "120110", &added, &e), 0);
	county = connect_as("clerk");
	assert_int_equal(admin_list_fetch(county, ADMIN_LIST_USERS, ADMIN_FIRST, NULL, NULL, NULL,
					  10, take, &s, &e),
			 -1);
	assert_true(e.denied);
	admin_err_init(&e);
	assert_int_equal(admin_user_add(county, "sneaky", "admin", "12", &added, &e), -1);
	assert_true(e.denied);
	admin_err_init(&e);
	assert_int_equal(admin_setting_get(county, "grade_pass", &st, &e), 1);
	assert_int_equal(admin_setting_save(county, "grade_pass", "50", st.row_version, &e), -1);
	assert_true(e.denied);
	assert_non_null(strstr(e.err.msg, "permission denied for table setting"));
	db_close(county);
}

/* A county user reads people's tables by column (0017), and the database
 * screen still counts them: only the trail's table is closed to him. */
static void test_dbinfo_counts_what_a_county_user_may_read(void **state)
{
	struct admin_user_added added;
	struct admin_dbinfo info;
	struct admin_err e;
	struct db *county;
	bool staff = false;

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_user_add(db, "counter", "county", "120110", &added, &e), 0);
	county = connect_as("counter");
	assert_int_equal(admin_dbinfo_load(county, &info, &e), 0);
	assert_int_equal(admin_dbinfo_count(county, &info, &e), 0);
	for (size_t i = 0; i < info.ncounts; i++) {
		if (strcmp(info.counts[i].table, "sgz.staff") == 0) {
			assert_true(info.counts[i].rows >= 0);
			staff = true;
		}
		if (strcmp(info.counts[i].table, "sgz.audit") == 0)
			assert_int_equal(info.counts[i].rows, -1);
	}
	assert_true(staff);
	admin_dbinfo_free(&info);
	db_close(county);
}

static void test_setting_saved_once_with_its_row_version(void **state)
{
	struct admin_setting st;
	struct admin_err e;
	struct strbuf out = {0};

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_setting_get(db, "star1_hours", &st, &e), 1);
	assert_string_equal(st.value, "100");
	assert_int_equal(admin_setting_save(db, "star1_hours", "120", st.row_version, &e), 1);
	/* the row_version read before: someone saved since */
	assert_int_equal(admin_setting_save(db, "star1_hours", "130", st.row_version, &e), 0);
	assert_int_equal(admin_setting_get(db, "star1_hours", &st, &e), 1);
	assert_string_equal(st.value, "120");
	assert_int_equal(admin_setting_save(db, "star1_hours", "abc", st.row_version, &e), -1);
	assert_string_equal(e.err.msg, "not a number (digits with an optional decimal point)");
	assert_int_equal(admin_setting_check("grade_pass", "101", &out, &e.err), -1);
	assert_string_equal(e.err.msg, "out of range: must be between 0 and 100");
	assert_int_equal(admin_setting_check("no_such_key", "-1.5", &out, &e.err), 0);
	assert_int_equal(admin_setting_get(db, "no_such_key", &st, &e), 0);
	sb_free(&out);
}

/* Is trail key a ("entry:change") listed before b, newest first? One entry
 * (a statement) may hold several changes, the last first. */
static bool trail_key_before(const char *a, const char *b)
{
	long ea = atol(a), eb = atol(b);
	const char *ca = strchr(a, ':'), *cb = strchr(b, ':');

	if (ea != eb)
		return ea > eb;
	return ca && cb && atol(ca + 1) > atol(cb + 1);
}

static void test_trail_pages_by_key_both_ways(void **state)
{
	struct admin_err e;
	struct seen first = {0}, after = {0}, before = {0}, last = {0}, filtered = {0};

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_FIRST, NULL, NULL, NULL, 3,
					  take_audit, &first, &e),
			 0);
	assert_int_equal(first.n, 3);
	/* newest first: the setting just saved */
	assert_string_equal(first.cells[0][ADMIN_AUDIT_COL_TABLE], "setting");
	assert_string_equal(first.cells[0][ADMIN_AUDIT_COL_ACTION], "update");
	assert_string_equal(first.cells[0][ADMIN_AUDIT_COL_KEY], "star1_hours");
	assert_true(trail_key_before(first.keys[0], first.keys[1]));
	assert_non_null(strstr(first.keys[0], ":1"));
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_AFTER, NULL, NULL,
					  first.keys[1], 3, take_audit, &after, &e),
			 0);
	assert_string_equal(after.keys[0], first.keys[2]);
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_BEFORE, NULL, NULL,
					  first.keys[2], 5, take_audit, &before, &e),
			 0);
	assert_int_equal(before.n, 2);
	assert_string_equal(before.keys[0], first.keys[0]);
	assert_string_equal(before.keys[1], first.keys[1]);
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_LAST, NULL, NULL, NULL, 2,
					  take_audit, &last, &e),
			 0);
	assert_int_equal(last.n, 2);
	assert_true(trail_key_before(last.keys[0], last.keys[1])); /* in list order */
	/* the filter over who, the table and the key; also: tables matched by label */
	const char *also[] = {"user_scope", NULL};
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_FIRST, "东丽", also, NULL, 16,
					  take_audit, &filtered, &e),
			 0);
	assert_true(filtered.n > 0);
	for (size_t i = 0; i < filtered.n; i++)
		assert_true(strcmp(filtered.cells[i][ADMIN_AUDIT_COL_TABLE], "user_scope") == 0 ||
			    strstr(filtered.cells[i][ADMIN_AUDIT_COL_KEY], "120110"));
}

static void test_trail_entry_has_old_and_new(void **state)
{
	struct admin_audit_entry *entry;
	struct admin_err e;
	struct seen first = {0};
	bool seen_value = false;

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_list_fetch(db, ADMIN_LIST_AUDIT, ADMIN_FIRST, "star1", NULL, NULL, 1,
					  take_audit, &first, &e),
			 0);
	assert_int_equal(admin_audit_entry_load(db, first.keys[0], &entry, &e), 1);
	assert_string_equal(entry->action, "update");
	for (size_t i = 0; i < entry->nfields; i++) {
		if (strcmp(entry->fields[i].column, "value") != 0)
			continue;
		seen_value = true;
		assert_string_equal(entry->fields[i].old_value, "100");
		assert_string_equal(entry->fields[i].new_value, "120");
		assert_true(entry->fields[i].changed);
	}
	assert_true(seen_value);
	/* the table's column order: the key first */
	assert_string_equal(entry->fields[0].column, "key");
	assert_false(entry->fields[0].changed);
	admin_audit_entry_free(entry);
}

/* A later migration writes a statement's changes as one row, a batch, old
 * and new column by column. The trail reads as its changes either way. */
static void test_trail_batches_are_taken_apart(void **state)
{
	struct admin_audit_entry *entry;
	struct admin_err e;
	struct seen first = {0}, after = {0}, before = {0}, filtered = {0};
	struct db *later = connect_as(NULL); /* a new session: the trail's shape asked again */
	char id[24], key[64];

	(void)state;
	/* once the migration is in, the columns are there already */
	PGresult *res =
	    db_query(later,
		     "SELECT count(*) FROM pg_attribute WHERE attrelid = 'sgz.audit'::regclass"
		     " AND attname = 'key_columns' AND NOT attisdropped",
		     0, NULL, NULL);
	bool had = res && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
	PQclear(res);
	if (!had)
		exec_sql(later, "ALTER TABLE sgz.audit ADD COLUMN changes integer,\n"
				"  ADD COLUMN key_columns text[]");
	exec_sql(later,
		 "INSERT INTO sgz.audit (who, table_name, action, key_columns, changes, old, new)\n"
		 "VALUES ('sgz_test', 'staff', 'update', '{id_number}', 2,\n"
		 "  '{\"id_number\": [\"A1\", \"B2\"], \"phone\": [\"1\", \"2\"]}',\n"
		 "  '{\"id_number\": [\"A1\", \"B2\"], \"phone\": [\"1\", \"9\"]}')");
	admin_err_init(&e);
	assert_int_equal(admin_list_fetch(later, ADMIN_LIST_AUDIT, ADMIN_FIRST, NULL, NULL, NULL, 3,
					  take_audit, &first, &e),
			 0);
	assert_int_equal(first.n, 3);
	snprintf(id, sizeof(id), "%ld", atol(first.keys[0]));
	snprintf(key, sizeof(key), "%s:2", id);
	assert_string_equal(first.keys[0], key);
	assert_string_equal(first.cells[0][ADMIN_AUDIT_COL_KEY], "B2");
	snprintf(key, sizeof(key), "%s:1", id);
	assert_string_equal(first.keys[1], key);
	assert_string_equal(first.cells[1][ADMIN_AUDIT_COL_KEY], "A1");
	assert_true(atol(first.keys[2]) < atol(id)); /* then the rows before the batch */

	assert_int_equal(admin_list_fetch(later, ADMIN_LIST_AUDIT, ADMIN_AFTER, NULL, NULL,
					  first.keys[0], 1, take_audit, &after, &e),
			 0);
	assert_string_equal(after.keys[0], first.keys[1]);
	assert_int_equal(admin_list_fetch(later, ADMIN_LIST_AUDIT, ADMIN_BEFORE, NULL, NULL,
					  first.keys[1], 5, take_audit, &before, &e),
			 0);
	assert_int_equal(before.n, 1);
	assert_string_equal(before.keys[0], first.keys[0]);
	assert_int_equal(admin_list_fetch(later, ADMIN_LIST_AUDIT, ADMIN_FIRST, "B2", NULL, NULL, 5,
					  take_audit, &filtered, &e),
			 0);
	assert_int_equal(filtered.n, 1);
	assert_string_equal(filtered.keys[0], first.keys[0]);

	assert_int_equal(admin_audit_entry_load(later, first.keys[0], &entry, &e), 1);
	snprintf(key, sizeof(key), "%s.2", id);
	assert_string_equal(entry->id, key);
	assert_string_equal(entry->key, "B2");
	assert_int_equal(entry->nfields, 2);
	assert_string_equal(entry->fields[1].column, "phone");
	assert_string_equal(entry->fields[1].old_value, "2");
	assert_string_equal(entry->fields[1].new_value, "9");
	assert_true(entry->fields[1].changed);
	assert_false(entry->fields[0].changed);
	admin_audit_entry_free(entry);
	snprintf(key, sizeof(key), "%s:3", id);
	assert_int_equal(admin_audit_entry_load(later, key, &entry, &e), 0);
	/* the trail goes back to its shape for whatever runs after */
	if (!had)
		exec_sql(later,
			 "ALTER TABLE sgz.audit DROP COLUMN changes, DROP COLUMN key_columns");
	db_close(later);
}

static void test_dbinfo_says_the_schema_version(void **state)
{
	struct admin_dbinfo info;
	struct admin_err e;

	(void)state;
	admin_err_init(&e);
	assert_int_equal(admin_dbinfo_load(db, &info, &e), 0);
	assert_string_equal(info.version_name, sgz_migrations[sgz_migrations_count - 1].name);
	assert_string_equal(info.known_name, info.version_name);
	assert_int_equal(info.pending, 0);
	assert_int_equal(info.unknown, 0);
	assert_string_equal(info.kind, "admin");
	assert_false(info.counted);
	assert_int_equal(admin_dbinfo_count(db, &info, &e), 0);
	assert_true(info.counted);
	assert_string_equal(info.counts[0].table, "sgz.division");
	assert_int_equal(info.counts[0].rows, 3);
	admin_dbinfo_free(&info);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_check_gives_the_reasons_of_sgz_user_add),
	    cmocka_unit_test(test_user_add_change_list_remove),
	    cmocka_unit_test(test_county_user_is_refused_by_the_database),
	    cmocka_unit_test(test_dbinfo_counts_what_a_county_user_may_read),
	    cmocka_unit_test(test_setting_saved_once_with_its_row_version),
	    cmocka_unit_test(test_trail_pages_by_key_both_ways),
	    cmocka_unit_test(test_trail_entry_has_old_and_new),
	    cmocka_unit_test(test_trail_batches_are_taken_apart),
	    cmocka_unit_test(test_dbinfo_says_the_schema_version),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
