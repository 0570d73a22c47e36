/* cmd_submit.c - sgz submit progress --month YYYY-MM [--scope COUNTY]
 * (spec/programmes.md, Submission): the county's progress figures of the
 * month stored as reported, by submit_progress() (submit.h: also `s` on
 * the progress report screen), which also refuses a month not yet due,
 * naming the due date. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/division.h"
#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/report.h"
#include "sgz/submit.h"

static void usage(FILE *out)
{
	fprintf(out, "%s sgz submit progress --month YYYY-MM [--scope COUNTY]\n", _("Usage:"));
}

int cli_submit(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "scope", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char scope[DIVISION_CODE_LEN + 1], month[8];
	const char *county = NULL;
	struct sgz_err err;
	int c, year = 0, mon = 0;

	sgz_err_clear(&err);
	month[0] = '\0';
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (report_parse_month(optarg, &year, &mon) < 0) {
				fprintf(stderr,
					_("sgz submit: --month: '%s' is not a month YYYY-MM\n"),
					optarg);
				return SGZ_EUSAGE;
			}
			snprintf(month, sizeof(month), "%04d-%02d", year, mon);
			break;
		case 's':
			if (report_parse_scope(optarg, scope, &err) < 0) {
				char *t = msg_tr(err.msg);
				fprintf(stderr, _("sgz submit: --scope: %s\n"), t);
				free(t);
				return SGZ_EUSAGE;
			}
			county = scope;
			break;
		case 'h':
			usage(stdout);
			puts(_("Stores the county's monthly progress report of YYYY-MM as the progress\n"
			       "report gives it now, with the day and who submitted it; submitting\n"
			       "again replaces it. The month must have ended, or be this month on or\n"
			       "after its due day (setting progress_due_day). COUNTY: your scope if it\n"
			       "is a county."));
			return SGZ_OK;
		default:
			cli_bad_option("submit", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1 || !month[0]) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	if (strcmp(argv[optind], "progress") != 0) {
		fprintf(stderr, _("sgz submit: '%s' is not a report that is submitted (progress)\n"),
			argv[optind]);
		return SGZ_EUSAGE;
	}

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	struct submit_result sr;
	int status = SGZ_OK;
	if (submit_allowed(db, &err) <= 0) {
		cli_say("submit", err.msg);
		status = SGZ_EUSAGE; /* permission denied (cli.md) */
	} else if (submit_progress(db, county, month, &sr, &err) < 0) {
		cli_say("submit", err.msg);
		status = err.status == SGZ_EDATA ? SGZ_EDATA : SGZ_EUSAGE;
	} else {
		if (sr.late)
			/* TRANSLATORS: the county, the month, today, the due date */
			printf(_("submitted the progress report of %s for %s on %s, late: it was due "
				 "on %s\n"),
			       sr.county_name, month, sr.submitted_on, sr.due_on);
		else
			printf(_("submitted the progress report of %s for %s on %s, on time (due on "
				 "%s)\n"),
			       sr.county_name, month, sr.submitted_on, sr.due_on);
		submit_result_free(&sr);
	}
	db_close(db);
	return status;
}
