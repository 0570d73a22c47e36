/* cmd_migrate.c - sgz migrate [--status]. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "sgz/cli.h"
#include "sgz/i18n.h"
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
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			status_only = 1;
			break;
		case 'h':
			printf("%s sgz migrate [--status]\n", _("Usage:"));
			puts(_("Applies the pending schema migrations, each in its own transaction.\n"
			       "--status lists applied and pending migrations; exits 0 when the\n"
			       "schema is current, 1 when migrations are pending."));
			return SGZ_OK;
		default:
			cli_bad_option("migrate", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("sgz migrate: unexpected argument '%s'\n"), argv[optind]);
		return SGZ_EUSAGE;
	}
	struct db *db = cli_connect(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	sgz_err_clear(&err);
	if (status_only) {
		int pending = migrate_status(db, stdout, &err);
		if (pending < 0) {
			cli_say("migrate", err.msg);
			rc = SGZ_EUSAGE;
		} else {
			rc = pending ? SGZ_EDATA : SGZ_OK;
		}
	} else {
		int applied = 0;
		if (migrate_apply(db, &applied, &err) < 0) {
			cli_say("migrate", err.msg);
			if (applied)
				fprintf(stderr,
					ngettext("sgz migrate: %d migration was applied before it\n",
						 "sgz migrate: %d migrations were applied before it\n",
						 (unsigned long)applied),
					applied);
			rc = SGZ_EUSAGE;
		} else {
			if (applied)
				fprintf(stderr,
					ngettext("sgz migrate: applied %d migration; the schema is "
						 "current (%s)\n",
						 "sgz migrate: applied %d migrations; the schema is "
						 "current (%s)\n",
						 (unsigned long)applied),
					applied, sgz_migrations[sgz_migrations_count - 1].name);
			else
				fprintf(stderr, _("sgz migrate: the schema is current (%s)\n"),
					sgz_migrations[sgz_migrations_count - 1].name);
			rc = SGZ_OK;
		}
	}
	db_close(db);
	return rc;
}
