/* cmd_backup.c - sgz backup FILE, sgz restore FILE [--force]: the
 * arguments, the words and the exit statuses over backup.h. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sgz/backup.h"
#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/migrate.h"

/* A manifest may lack a key. */
static const char *or_unknown(const char *s)
{
	return s && s[0] ? s : "?";
}

static const char backup_usage[] = "sgz backup FILE\n";
static const char restore_usage[] = "sgz restore FILE [--force]\n";

/* Parses [--force] [--help] FILE. 1 to go on, 0 after --help, -1 on a
 * usage error (said). */
static int parse(int argc, char **argv, const char *usage, const char *help, int *force,
		 const char **file)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!force)
				goto bad;
			*force = 1;
			break;
		case 'h':
			printf("%s %s", _("Usage:"), usage);
			fputs(_(help), stdout);
			return 0;
		default:
			cli_bad_option(argv[0], argv, c);
			goto bad;
		}
	}
	if (argc - optind != 1)
		goto bad;
	*file = argv[optind];
	return 1;
bad:
	fprintf(stderr, "%s %s", _("Usage:"), usage);
	return -1;
}

int cli_backup(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct backup_summary sum;
	struct sgz_err err;
	const char *file = NULL;
	int status = SGZ_OK;

	switch (parse(argc, argv, backup_usage,
		      N_("Writes the schema sgz of the database, its data (the audit trail\n"
		      "included) and the roles it needs to FILE (- for standard output), as\n"
		      "the owner of the schema or a superuser. sgz restore reads it back.\n"),
		      NULL, &file)) {
	case 0:
		return SGZ_OK;
	case 1:
		break;
	default:
		return SGZ_EUSAGE;
	}
	/* No schema check: the backup before a migration is the one that counts. */
	struct db *db = cli_connect(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	if (backup_take(db, file, &sum, &err) < 0) {
		cli_say("backup", err.msg);
		status = SGZ_EUSAGE;
	} else {
		fprintf(stderr,
			_("sgz backup: database %s (schema %s) written to %s: %ld tables, %lld rows, "
			  "%lld audit entries, %ld users\n"),
			or_unknown(sum.database), or_unknown(sum.schema),
			strcmp(file, "-") == 0 ? _("standard output") : file, sum.tables, sum.rows,
			sum.audit, sum.users);
	}
	backup_summary_free(&sum);
	db_close(db);
	return status;
}

int cli_restore(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct backup_summary sum;
	struct sgz_err err;
	const char *file = NULL;
	int force = 0, status = SGZ_OK;

	switch (parse(argc, argv, restore_usage,
		      N_("Restores a backup made by sgz backup (- for standard input) into the\n"
		      "database, as a superuser or the owner the backup names: the roles\n"
		      "first, then the schema sgz and its data, all or nothing. A database\n"
		      "that holds a schema sgz is refused; --force replaces it.\n"),
		      &force, &file)) {
	case 0:
		return SGZ_OK;
	case 1:
		break;
	default:
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	if (backup_restore(db, file, force, &sum, &err) < 0) {
		cli_say("restore", err.msg);
		status = err.status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE;
		goto out;
	}
	/* TRANSLATORS: database, when, schema, the database restored into, counts */
	fprintf(stderr,
		_("sgz restore: the backup of database %s taken %s (schema %s) restored into "
		  "database %s: %ld tables, %lld rows, %lld audit entries, %ld users\n"),
		or_unknown(sum.database), or_unknown(sum.created), or_unknown(sum.schema),
		PQdb(db_pgconn(db)), sum.tables, sum.rows, sum.audit, sum.users);
	sgz_err_clear(&err);
	switch (migrate_is_current(db, &err)) {
	case 1:
		break;
	case 0:
		fputs(_("sgz restore: the schema is older than this sgz: run 'sgz migrate'\n"),
		      stderr);
		break;
	default:
		cli_say("restore", err.msg);
		break;
	}
out:
	backup_summary_free(&sum);
	db_close(db);
	return status;
}
