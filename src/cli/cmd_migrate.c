/* cmd_migrate.c - sgz migrate [--status]. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/migrate.h"

int cli_migrate(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int status_only = 0, c, rc;
	struct sgz_err err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			status_only = 1;
			break;
		case 'h':
			puts("Usage: sgz migrate [--status]\n"
			     "Applies the pending schema migrations, each in its own transaction.\n"
			     "--status lists applied and pending migrations; exits 0 when the\n"
			     "schema is current, 1 when migrations are pending.");
			return SGZ_OK;
		default:
			return SGZ_EUSAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sgz migrate: unexpected argument '%s'\n", argv[optind]);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	if (status_only) {
		int pending = migrate_status(db, stdout, &err);
		if (pending < 0) {
			fprintf(stderr, "sgz migrate: %s\n", err.msg);
			rc = SGZ_EUSAGE;
		} else {
			rc = pending ? SGZ_EDATA : SGZ_OK;
		}
	} else {
		int applied = 0;
		if (migrate_apply(db, &applied, &err) < 0) {
			fprintf(stderr, "sgz migrate: %s\n", err.msg);
			if (applied)
				fprintf(stderr, "sgz migrate: %d migration(s) were applied before it\n",
					applied);
			rc = SGZ_EUSAGE;
		} else {
			if (applied)
				fprintf(stderr, "sgz migrate: applied %d migration(s); the schema is "
						"current (%s)\n",
					applied, sgz_migrations[sgz_migrations_count - 1].name);
			else
				fprintf(stderr, "sgz migrate: the schema is current (%s)\n",
					sgz_migrations[sgz_migrations_count - 1].name);
			rc = SGZ_OK;
		}
	}
	db_close(db);
	return rc;
}
