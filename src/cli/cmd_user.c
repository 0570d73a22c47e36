/* cmd_user.c - sgz user add|list|remove (spec/cli.md, rules.md Access).
 *
 * The checks, the SQL and the work are the model's (admin.h), shared with
 * the interface's user screens, so both refuse the same input with the same
 * reasons. The work is done in the database by sgz.user_add() and
 * sgz.user_remove() (0004_access.sql); here are the arguments, the words
 * and the exit statuses. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/admin.h"
#include "sgz/cli.h"
#include "sgz/message.h"
#include "sgz/db.h"
#include "sgz/i18n.h"

static const char usage_lines[] = "sgz user add ROLE --scope CODE --kind KIND [--staff ID]\n"
				  "       sgz user list\n"
				  "       sgz user remove ROLE\n";

static void usage(FILE *out)
{
	fprintf(out, "%s %s", _("Usage:"), usage_lines);
}

/* Says why the model failed; returns the exit status: 2 for a refused
 * permission, with a message that says who may manage users. */
static int failed(const char *cmd, const struct admin_err *e)
{
	if (e->denied) {
		char *t = msg_tr(e->err.msg);
		fprintf(stderr,
			_("sgz user %s: permission denied: only an administrator of sgz (kind admin) "
			  "or a superuser manages users (%s)\n"),
			cmd, t);
		free(t);
		return SGZ_EUSAGE;
	}
	char *t = msg_tr(e->err.msg);
	fprintf(stderr, _("sgz user %s: %s\n"), cmd, t);
	free(t);
	return e->err.status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE;
}

static int user_add(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "staff", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* how each field's refusal is introduced: the option that gave it */
	static const char *const prefix[ADMIN_USER_NFIELDS] = { "", "--kind: ", "--scope: " };
	const char *scope = NULL, *kind = NULL, *staff = NULL;
	struct strbuf v = { 0 };
	struct admin_err e;
	int c, status = SGZ_OK;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			scope = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'S':
			staff = optarg;
			break;
		case 'h':
			usage(stdout);
			puts(_("Creates the login role ROLE if missing (no password: peer\n"
			       "authentication), makes it a member of the group of KIND (admin,\n"
			       "region, county, station, evaluator) and gives it the scope CODE,\n"
			       "a division code of 2 to 12 digits."));
			puts(_("--staff ID links the user to his own staff record (the ID number\n"
			       "of a staff member in the scope; \"\" removes the link)."));
			return SGZ_OK;
		default:
			cli_bad_option("user add", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1 || !scope || !kind) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	const char *in[ADMIN_USER_NFIELDS] = { argv[optind], kind, scope };

	/* refused before connecting: a typing error needs no database */
	admin_err_init(&e);
	for (int f = 0; f < ADMIN_USER_NFIELDS; f++) {
		if (admin_user_check((enum admin_user_field)f, in[f], &v, &e.err) < 0) {
			char *t = msg_tr(e.err.msg);
			fprintf(stderr, _("sgz user add: %s%s\n"), prefix[f], t);
			free(t);
			sb_free(&v);
			return SGZ_EDATA;
		}
	}
	sb_free(&v);

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	struct admin_user_added added;
	if (admin_user_add_staff(db, in[0], kind, scope, staff, &added, &e) < 0) {
		status = failed("add", &e);
	} else {
		struct strbuf k = { 0 };
		admin_user_check(ADMIN_USER_KIND, kind, &k, &e.err);
		/* the kind as the reader names it: its label in Chinese */
		const char *kname = sb_str(&k);
		for (const struct dict_choice *kc = admin_kinds; kc->code; kc++)
			if (i18n_lang() == I18N_ZH && strcmp(kc->code, kname) == 0)
				kname = kc->label_zh;
		fprintf(stderr,
			added.created ? _("created user %s: kind %s, scope %s %s\n")
				      : _("updated user %s: kind %s, scope %s %s\n"),
			in[0], kname, added.scope, added.scope_name);
		sb_free(&k);
	}
	db_close(db);
	return status;
}

/* The rows of the list, kept to align their columns. */
struct rows {
	char **cells; /* ADMIN_USER_NCOLS per row */
	size_t n;
};

static int take_row(void *arg, const char *key, const char *const *cells)
{
	struct rows *r = arg;

	(void)key;
	r->cells = xreallocarray(r->cells, (r->n + 1) * ADMIN_USER_NCOLS, sizeof(*r->cells));
	for (size_t c = 0; c < ADMIN_USER_NCOLS; c++)
		r->cells[r->n * ADMIN_USER_NCOLS + c] = xstrdup(cells[c] ? cells[c] : "");
	r->n++;
	return 0;
}

static int user_list(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct rows rows = { NULL, 0 };
	struct admin_err e;
	int status = SGZ_OK;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	admin_err_init(&e);
	if (admin_list_fetch(db, ADMIN_LIST_USERS, ADMIN_FIRST, NULL, NULL, NULL, 0, take_row,
			     &rows, &e) < 0) {
		status = failed("list", &e);
		goto out;
	}
	/* Role names and kinds are ASCII (the CHECKs of user_scope), so bytes
	 * are columns; the division name, which is not, comes last. */
	int wrole = 0, wkind = 0;
	for (size_t i = 0; i < rows.n; i++) {
		char **row = rows.cells + i * ADMIN_USER_NCOLS;
		int a = (int)strlen(row[ADMIN_USER_COL_ROLE]), b = (int)strlen(row[ADMIN_USER_COL_KIND]);
		wrole = a > wrole ? a : wrole;
		wkind = b > wkind ? b : wkind;
	}
	for (size_t i = 0; i < rows.n; i++) {
		char **row = rows.cells + i * ADMIN_USER_NCOLS;
		printf("%-*s  %-*s  %s  %s%s%s%s\n", wrole, row[ADMIN_USER_COL_ROLE], wkind,
		       row[ADMIN_USER_COL_KIND], row[ADMIN_USER_COL_SCOPE], row[ADMIN_USER_COL_NAME],
		       *row[ADMIN_USER_COL_STAFF] ? "  " : "", row[ADMIN_USER_COL_STAFF],
		       strcmp(row[ADMIN_USER_COL_MISSING], "t") == 0 ? "  (no such role)" : "");
	}
	if (rows.n == 0)
		fputs(_("sgz user list: no users yet\n"), stderr);
	if (fflush(stdout) != 0) {
		fputs(_("sgz user list: cannot write the list\n"), stderr);
		status = SGZ_EUSAGE;
	}
out:
	for (size_t i = 0; i < rows.n * ADMIN_USER_NCOLS; i++)
		free(rows.cells[i]);
	free(rows.cells);
	db_close(db);
	return status;
}

static int user_remove(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct admin_err e;
	int status = SGZ_OK;

	if (argc != 2) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	admin_err_init(&e);
	switch (admin_user_remove(db, argv[1], &e)) {
	case 1:
		fprintf(stderr, _("removed user %s\n"), argv[1]);
		break;
	case 0:
		fprintf(stderr, _("sgz user remove: there is no user %s\n"), argv[1]);
		status = SGZ_EDATA;
		break;
	default:
		status = failed("remove", &e);
		break;
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
		usage(stdout);
		return SGZ_OK;
	}
	if (argc >= 2)
		fprintf(stderr, _("sgz user: '%s' is not add, list or remove\n"), argv[1]);
	usage(stderr);
	return SGZ_EUSAGE;
}
