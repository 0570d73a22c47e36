/* cmd_user.c - sgz user add|list|remove (spec/cli.md, rules.md Access).
 *
 * The work is done in the database by sgz.user_add() and sgz.user_remove()
 * (0004_access.sql), which run as the owner of the schema: roles belong to
 * the cluster, and an sgz administrator needs no CREATEROLE of their own.
 * Role names reach SQL text only through format('%I') there; here they are
 * parameters. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/division.h"

static const char *const kinds[] = { "admin", "region", "county", "station", "evaluator" };

static const char add_sql[] = "SELECT sgz.user_add($1, $2, $3)";

static const char name_sql[] = "SELECT name FROM sgz.division WHERE code = $1";

static const char remove_sql[] = "SELECT sgz.user_remove($1)";

static const char list_sql[] =
	"SELECT u.role, u.kind, u.scope, coalesce(d.name, ''),\n"
	"       NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = u.role)\n"
	"  FROM sgz.user_scope u\n"
	"  LEFT JOIN sgz.division d ON d.code = u.scope\n"
	" ORDER BY u.role";

static const char usage[] = "Usage: sgz user add ROLE --scope CODE --kind KIND\n"
			    "       sgz user list\n"
			    "       sgz user remove ROLE\n";

static int kind_valid(const char *kind)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

/* The login names peer authentication maps to roles: the same rule as the
 * CHECK of sgz.user_scope, said here first so the message is ours. */
static int role_valid(const char *role)
{
	size_t n = strlen(role);

	if (n == 0 || n > 63 || !((role[0] >= 'a' && role[0] <= 'z') || role[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = role[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* Runs a statement. Returns the result (Caller frees with PQclear), or NULL
 * after printing the reason; *status gets the exit status: 2 for a refused
 * permission, with a message that says who may manage users. */
static PGresult *run(struct db *db, const char *cmd, const char *sql, int nparams,
		     const char *const *params, int *status)
{
	PGresult *res = PQexecParams(db_pgconn(db), sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	struct sgz_err err;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	sgz_err_clear(&err);
	db_result_error(res, &err);
	if (state && strcmp(state, "42501") == 0) {
		fprintf(stderr,
			"sgz user %s: permission denied: only an administrator of sgz (kind admin) "
			"or a superuser manages users (%s)\n",
			cmd, err.msg);
		*status = SGZ_EUSAGE;
	} else {
		fprintf(stderr, "sgz user %s: %s\n", cmd, err.msg);
		*status = err.status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE;
	}
	PQclear(res);
	return NULL;
}

static int user_add(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scope_arg = NULL, *kind = NULL;
	char scope[DIVISION_CODE_LEN + 1];
	struct sgz_err err;
	int c, status = SGZ_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			scope_arg = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			puts("Creates the login role ROLE if missing (no password: peer\n"
			     "authentication), makes it a member of the group of KIND (admin,\n"
			     "region, county, station, evaluator) and gives it the scope CODE,\n"
			     "a division code of 2 to 12 digits.");
			return SGZ_OK;
		default:
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1 || !scope_arg || !kind) {
		fputs(usage, stderr);
		return SGZ_EUSAGE;
	}
	const char *role = argv[optind];
	if (!role_valid(role)) {
		fprintf(stderr,
			"sgz user add: '%s' is not a role name sgz gives: a login name of "
			"lower-case letters, digits, _ . -, starting with a letter or _, at most "
			"63 characters\n",
			role);
		return SGZ_EDATA;
	}
	if (!kind_valid(kind)) {
		fprintf(stderr, "sgz user add: --kind: '%s' is not one of", kind);
		for (size_t i = 0; i < SGZ_ARRAY_LEN(kinds); i++)
			fprintf(stderr, " %s", kinds[i]);
		fputc('\n', stderr);
		return SGZ_EDATA;
	}
	sgz_err_clear(&err);
	if (division_code_normalize(scope_arg, scope, &err) < 0) {
		fprintf(stderr, "sgz user add: --scope: %s\n", err.msg);
		return SGZ_EDATA;
	}

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	const char *params[3] = { role, scope, kind };
	PGresult *res = run(db, "add", add_sql, 3, params, &status);
	if (res) {
		int created = strcmp(PQgetvalue(res, 0, 0), "created") == 0;
		PQclear(res);
		const char *p[1] = { scope };
		res = run(db, "add", name_sql, 1, p, &status);
		if (res) {
			fprintf(stderr, "%s user %s: kind %s, scope %s %s\n",
				created ? "created" : "updated", role, kind, scope,
				PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
			PQclear(res);
		}
	}
	db_close(db);
	return status;
}

static int user_list(const struct cli_ctx *ctx, int argc, char **argv)
{
	int status = SGZ_OK;

	(void)argv;
	if (argc != 1) {
		fputs(usage, stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	PGresult *res = run(db, "list", list_sql, 0, NULL, &status);
	if (res) {
		int n = PQntuples(res), wrole = 0, wkind = 0;
		/* Role names and kinds are ASCII (the CHECKs of user_scope), so
		 * bytes are columns; the division name, which is not, comes last. */
		for (int i = 0; i < n; i++) {
			int a = PQgetlength(res, i, 0), b = PQgetlength(res, i, 1);
			wrole = a > wrole ? a : wrole;
			wkind = b > wkind ? b : wkind;
		}
		for (int i = 0; i < n; i++)
			printf("%-*s  %-*s  %s  %s%s\n", wrole, PQgetvalue(res, i, 0), wkind,
			       PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
			       strcmp(PQgetvalue(res, i, 4), "t") == 0 ? "  (no such role)" : "");
		if (n == 0)
			fprintf(stderr, "sgz user list: no users yet\n");
		PQclear(res);
		if (fflush(stdout) != 0) {
			fprintf(stderr, "sgz user list: cannot write the list\n");
			status = SGZ_EUSAGE;
		}
	}
	db_close(db);
	return status;
}

static int user_remove(const struct cli_ctx *ctx, int argc, char **argv)
{
	int status = SGZ_OK;

	if (argc != 2) {
		fputs(usage, stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	const char *params[1] = { argv[1] };
	PGresult *res = run(db, "remove", remove_sql, 1, params, &status);
	if (res) {
		if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
			fprintf(stderr, "removed user %s\n", argv[1]);
		} else {
			fprintf(stderr, "sgz user remove: there is no user %s\n", argv[1]);
			status = SGZ_EDATA;
		}
		PQclear(res);
	}
	db_close(db);
	return status;
}

int cli_user(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return user_list(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "remove") == 0)
		return user_remove(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return SGZ_OK;
	}
	if (argc >= 2)
		fprintf(stderr, "sgz user: '%s' is not add, list or remove\n", argv[1]);
	fputs(usage, stderr);
	return SGZ_EUSAGE;
}
