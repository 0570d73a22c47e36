/* test_plans.c - the plans of the statements lists send, as a user with a
 * scope sees them (issue 12, spec/bench.md): a page deep in a county's
 * hours is an index range, not a filter over every row before it. Under
 * row-level security the planner keeps a condition it cannot prove
 * leakproof out of the index; the test takes the statement sgz itself sent
 * (logged by the server for the role, with its parameters) and asks the
 * server, as that role, how it runs it. Asserts on the plan's shape, never
 * on time. */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "dbtest.h"
#include "sgz/browse.h"
#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/record.h"

static struct db *admin;

static int setup(void **state)
{
	static const char *const fixtures[] = {"organizations", "stations",   "staff",
					       "volunteers",	"activities", "hours"};

	(void)state;
	admin = dbtest_connect("");
	dbtest_load(admin, fixtures, SGZ_ARRAY_LEN(fixtures));
	/* Two volunteers' days since they registered, at both stations of the
	 * county: about 6,500 rows of hours in its scope. */
	dbtest_exec(admin, "INSERT INTO sgz.hours (volunteer, service_date, station, hours)"
		   " SELECT v.id_number, d::date, s.township, 1"
		   "   FROM sgz.volunteer v, sgz.station s,"
		   "        generate_series(v.registered_on, current_date - 1, '1 day') d"
		   "  WHERE NOT EXISTS (SELECT 1 FROM sgz.hours h WHERE h.volunteer = v.id_number"
		   "                      AND h.service_date = d::date)");
	dbtest_exec(admin, "ANALYZE sgz.hours");
	dbtest_exec(admin, "SELECT sgz.user_add('dongli_plans', '120110000000', 'county')");
	dbtest_exec(admin, "ALTER ROLE dongli_plans SET log_min_duration_statement = 0");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(admin);
	return 0;
}

static int ignore(void *arg, const char *key, const char *const *cells)
{
	(void)arg;
	(void)key;
	(void)cells;
	return 0;
}

/* The last statement of the server's log that contains marker, as
 * "PREPARE q AS <sql>" and "EXECUTE q(<parameters>)". */
static void last_logged(const char *marker, char **prepare, char **execute)
{
	char path[4096], line[65536];
	const char *dir = getenv("SGZ_PG_DIR");
	FILE *f;

	*prepare = *execute = NULL;
	if (!dir)
		fail_msg("SGZ_PG_DIR is not set: run inside tests/with-pg");
	snprintf(path, sizeof(path), "%s/server.log", dir);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	bool want_params = false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		const char *at = strstr(line, "execute <unnamed>: ");
		if (at && strstr(at, marker)) {
			free(*prepare);
			free(*execute);
			*prepare = xasprintf("PREPARE q AS %s", at + strlen("execute <unnamed>: "));
			*execute = NULL;
			want_params = true;
			continue;
		}
		const char *p = strstr(line, "DETAIL:  parameters: ");
		if (want_params && p) {
			/* "$1 = '...', $2 = '...'" becomes "'...', '...'" */
			struct strbuf args = {0};
			p += strlen("DETAIL:  parameters: ");
			while (*p) {
				const char *eq = strstr(p, " = ");
				if (!eq)
					break;
				p = eq + 3;
				const char *end = strstr(p, ", $");
				size_t len = end ? (size_t)(end - p) : strlen(p);
				sb_addf(&args, "%s%.*s", args.len ? ", " : "", (int)len, p);
				p += len;
				if (*p)
					p += 2;
			}
			*execute = xasprintf("EXPLAIN (ANALYZE, COSTS OFF) EXECUTE q(%s)", sb_str(&args));
			sb_free(&args);
			want_params = false;
		}
	}
	fclose(f);
	if (!*prepare || !*execute)
		fail_msg("no statement with '%s' and its parameters in %s", marker, path);
}

static void test_plans_next_page_deep_in_a_county_is_an_index_range(void **state)
{
	(void)state;
	struct db *mine = dbtest_connect("user=dongli_plans");
	const struct dict_entity *e = dict_find("hours");
	struct browse *b = browse_new(mine, e);
	struct sgz_err err;

	/* the key of a row some 5,000 rows into the county's list: the
	 * volunteer by pid, as the list reads hours from sgz.hours_v */
	PGresult *res = PQexec(db_pgconn(admin),
			       "SELECT volunteer_pid, service_date, station FROM sgz.hours"
			       " WHERE station LIKE '120110%'"
			       " ORDER BY station, service_date, volunteer_pid, coalesce(activity, '')"
			       " OFFSET 5000 LIMIT 1");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	const char **v = calloc(e->nfields, sizeof(*v));
	v[dict_field_index(e, dict_field_by_header(e, "volunteer"))] = PQgetvalue(res, 0, 0);
	v[dict_field_index(e, dict_field_by_header(e, "service_date"))] = PQgetvalue(res, 0, 1);
	v[dict_field_index(e, dict_field_by_header(e, "station"))] = PQgetvalue(res, 0, 2);
	char *key = record_key_encode(e, v);
	free(v);
	PQclear(res);

	sgz_err_clear(&err);
	assert_int_equal(browse_after(b, NULL, key, 20, ignore, NULL, &err), 0);
	free(key);

	char *prepare, *execute;
	last_logged("FROM sgz.hours_v t WHERE true AND (", &prepare, &execute);
	dbtest_exec(mine, prepare);
	res = PQexec(db_pgconn(mine), execute);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	struct strbuf plan = {0};
	for (int r = 0; r < PQntuples(res); r++)
		sb_addf(&plan, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	const char *cond = strstr(sb_str(&plan), "Index Cond: ");
	if (!cond || !strstr(cond, "ROW(station, service_date, volunteer_pid) >="))
		fail_msg("the page is not an index range:\n%s", sb_str(&plan));
	const char *removed = strstr(sb_str(&plan), "Rows Removed by Filter: ");
	if (removed && atol(removed + strlen("Rows Removed by Filter: ")) > 20)
		fail_msg("a filter removes more than a page of rows:\n%s", sb_str(&plan));
	sb_free(&plan);
	free(prepare);
	free(execute);
	browse_free(b);
	db_close(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plans_next_page_deep_in_a_county_is_an_index_range),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
