/* cmd_transfer.c - sgz import and sgz export (spec/cli.md, csv.md). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/division.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/transfer.h"
#include "sgz/xlsx.h"

/* Every entity of spec/cli.md, built or not, so that a script gets a plain
 * answer rather than "unknown". */
static const char *const spec_entities[] = {
	"divisions",  "organizations", "stations", "service_points", "staff",
	"volunteers", "activities",    "hours",	   "recipients",     "cases",
	"visits",     "contracts",     "evaluations", "plans",
	"community_orgs", "outreach_visits", "supervisions", "trainings", "resources",
};

static const struct dict_entity *find_entity(const char *cmd, const char *name)
{
	const struct dict_entity *e = dict_find(name);

	if (e)
		return e;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(spec_entities); i++) {
		if (strcmp(spec_entities[i], name) == 0) {
			fprintf(stderr, _("sgz %s: %s: not available in this version of sgz yet\n"),
				cmd, name);
			return NULL;
		}
	}
	fprintf(stderr, _("sgz %s: '%s' is not an entity; one of:"), cmd, name);
	for (size_t i = 0; i < SGZ_ARRAY_LEN(spec_entities); i++)
		fprintf(stderr, " %s", spec_entities[i]);
	fputc('\n', stderr);
	return NULL;
}

int cli_import(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts io = { .encoding = CSV_ENC_AUTO, .progress = 1, .errors = stderr };
	struct import_result res;
	struct sgz_err err;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			io.dry_run = 1;
			break;
		case 'E':
			if (csv_encoding_parse(optarg, &io.encoding) < 0) {
				fprintf(stderr,
					_("sgz import: --encoding: '%s' is not auto, utf-8 or "
					  "gb18030\n"),
					optarg);
				return SGZ_EUSAGE;
			}
			break;
		case 'h':
			printf("%s sgz import ENTITY FILE [--dry-run] [--encoding auto|utf-8|gb18030]\n",
			       _("Usage:"));
			puts(_("Loads a CSV file (FILE - is standard input), all or nothing."));
			return SGZ_OK;
		default:
			cli_bad_option("import", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "%s sgz import ENTITY FILE [--dry-run] "
				"[--encoding auto|utf-8|gb18030]\n",
			_("Usage:"));
		return SGZ_EUSAGE;
	}
	const struct dict_entity *e = find_entity("import", argv[optind]);
	if (!e)
		return SGZ_EUSAGE;
	io.path = argv[optind + 1];

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	if (cli_bulk_session(ctx, db) < 0) {
		db_close(db);
		return SGZ_EUSAGE;
	}
	sgz_err_clear(&err);
	int rc = import_run(db, e, &io, &res, &err);
	if (rc == 0) {
		/* the English of cli.md for every count: scripts read it */
		if (io.dry_run)
			fprintf(stderr,
				ngettext("%ld rows valid, nothing imported (dry run)\n",
					 "%ld rows valid, nothing imported (dry run)\n",
					 (unsigned long)res.rows),
				res.rows);
		else
			fprintf(stderr,
				ngettext("%ld rows imported\n", "%ld rows imported\n",
					 (unsigned long)res.rows),
				res.rows);
		log_msg(LOG_INFO, "import %s %s: %ld rows%s", e->name, io.path, res.rows,
			io.dry_run ? " (dry run)" : "");
	} else if (err.status == SGZ_EDATA) {
		char *t = msg_tr(err.msg);
		fprintf(stderr, "%s\n", t);
		free(t);
		/* A broken file: the reader's message names the line. */
		if (res.errors == 0)
			fprintf(stderr,
				ngettext("%ld rows rejected, nothing imported\n",
					 "%ld rows rejected, nothing imported\n",
					 (unsigned long)(res.rejected + 1)),
				res.rejected + 1);
	} else {
		cli_say("import", err.msg);
		fputs(_("nothing imported\n"), stderr);
	}
	db_close(db);
	return rc == 0 ? SGZ_OK : (err.status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE);
}

int cli_export(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "labels", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_opts eo = { .path = "-" };
	char scope[DIVISION_CODE_LEN + 1];
	struct sgz_err err;
	long rows = 0;
	int c;

	sgz_err_clear(&err);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (division_code_normalize(optarg, scope, &err) < 0) {
				char *t = msg_tr(err.msg);
				fprintf(stderr, _("sgz export: --scope: %s\n"), t);
				free(t);
				return SGZ_EUSAGE;
			}
			eo.scope = scope;
			break;
		case 'o':
			eo.path = optarg;
			break;
		case 'l':
			eo.labels = 1;
			break;
		case 'h':
			printf("%s sgz export ENTITY [--scope CODE] [--labels] [-o FILE]\n",
			       _("Usage:"));
			puts(_("Writes a CSV file that sgz import reads back unchanged; --labels gives\n"
			     "it Chinese column titles and labels (是/否, 运营中) instead of codes,\n"
			     "which import reads too; -o FILE.xlsx writes an Excel workbook instead,\n"
			     "for people: Chinese column titles, ID numbers and codes as text, dates\n"
			     "as dates, money as numbers."));
			return SGZ_OK;
		default:
			cli_bad_option("export", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "%s sgz export ENTITY [--scope CODE] [--labels] [-o FILE]\n",
			_("Usage:"));
		return SGZ_EUSAGE;
	}
	if (cli_check_output(ctx, "export", eo.path) < 0)
		return SGZ_EUSAGE;
	const struct dict_entity *e = find_entity("export", argv[optind]);
	if (!e)
		return SGZ_EUSAGE;
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	if (cli_bulk_session(ctx, db) < 0) {
		db_close(db);
		return SGZ_EUSAGE;
	}
	/* the extension decides: cli.md gives export no --format */
	int rc = xlsx_path(eo.path) ? export_xlsx_run(db, e, &eo, &rows, &err)
				    : export_run(db, e, &eo, &rows, &err);
	if (rc < 0)
		cli_say("export", err.msg);
	else
		log_msg(LOG_INFO, "export %s: %ld rows", e->name, rows);
	db_close(db);
	return rc == 0 ? SGZ_OK : SGZ_EUSAGE;
}
