/* cmd_migrate.c - sgz migrate [--status]. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/cli.h"
#include "sgz/i18n.h"
#include "sgz/db.h"
#include "sgz/migrate.h"

/* A province or a roll-up (sgz(7)) after migrations: the province
 * publishes again (the pids of a new key moved into its range, a replica
 * identity for a table that lost its primary key, the tables a migration
 * added), the roll-up's tables get their identities and the refusal of
 * writes again (0029). Nothing for a database that is neither. */
static int rollup_again(struct db *db)
{
	struct sgz_err err;
	sgz_err_clear(&err);
	PGresult *r = db_query(db,
			       "SELECT kind, province FROM sgz.rollup_node", 0, NULL, &err);
	if (!r) {
		cli_say("migrate", err.msg);
		return SGZ_EUSAGE;
	}
	int rc = SGZ_OK;
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "province") == 0) {
		const char *p[1] = { PQgetvalue(r, 0, 1) };
		if (db_exec(db, "SELECT sgz.rollup_publish($1)", 1, p, &err) < 0) {
			cli_say("migrate", err.msg);
			rc = SGZ_EUSAGE;
		} else {
			fprintf(stderr, _("sgz migrate: province %s published again to its roll-ups\n"),
				p[0]);
		}
	} else if (PQntuples(r) == 1) {
		if (db_exec(db, "SELECT sgz.rollup_subscriber()", 0, NULL, &err) < 0) {
			cli_say("migrate", err.msg);
			rc = SGZ_EUSAGE;
		} else {
			fputs(_("sgz migrate: this roll-up's tables are ready for the provinces; once "
				"they are migrated, run 'sgz rollup add' again for each\n"),
			      stderr);
		}
	}
	PQclear(r);
	return rc;
}

/* The partitions of the years ahead (0038, sgz.partitions_ahead()): each
 * year's own before its rows come, and the rows the default partition
 * caught moved into their year's. Only the schema's owner or a superuser
 * makes tables; for anyone else nothing is done and nothing said. */
static int partitions_ahead(struct db *db)
{
	struct sgz_err err;
	sgz_err_clear(&err);
	PGresult *r = db_query(db,
			       "SELECT CASE WHEN sgz.as_owner() OR (SELECT rolsuper FROM pg_roles "
			       "WHERE rolname = current_user) THEN sgz.partitions_ahead() END",
			       0, NULL, &err);
	if (!r) {
		cli_say("migrate", err.msg);
		return SGZ_EUSAGE;
	}
	int n = PQgetisnull(r, 0, 0) ? 0 : atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (n > 0)
		fprintf(stderr,
			ngettext("sgz migrate: added %d partition (a year's hours, visits or "
				 "audit trail)\n",
				 "sgz migrate: added %d partitions (a year's hours, visits or "
				 "audit trail)\n",
				 (unsigned long)n),
			n);
	return SGZ_OK;
}

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
	/* a migration rewrites whole tables (0038 moves every hours row into
	 * its year's partition): bulk_statement_timeout, not the screens' */
	if (cli_bulk_session(ctx, db) < 0) {
		db_close(db);
		return SGZ_EUSAGE;
	}
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
			rc = partitions_ahead(db);
			if (rc == SGZ_OK && applied)
				rc = rollup_again(db);
		}
	}
	db_close(db);
	return rc;
}
