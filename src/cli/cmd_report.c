/* cmd_report.c - sgz report NAME [--year YYYY] [--month YYYY-MM] [--scope CODE]
 * [--by LEVEL] [--format text|csv|xlsx] [--labels] [-o FILE] (spec/cli.md, csv.md Reports). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/report.h"
#include "sgz/report_db.h"
#include "sgz/xlsx.h"

enum report_format { FORMAT_DEFAULT, FORMAT_TEXT, FORMAT_CSV, FORMAT_XLSX };

static void usage(FILE *out)
{
	size_t n;
	const char *const *names = report_names(&n);

	fprintf(out, "%s sgz report NAME [--year YYYY] [--month YYYY-MM] [--scope CODE]\n"
		     "                  [--by province|prefecture|county|township]\n"
		     "                  [--format text|csv|xlsx] [--labels] [-o FILE]\n",
		_("Usage:"));
	if (out != stdout) {
		fputs(_("Reports:"), out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, " %s", names[i]);
		fputc('\n', out);
		return;
	}
	fputs(_("Prints a report for your scope, or the division CODE within it. Figures\n"
	      "are as of 31 December of YYYY, or today without --year (contracts, funds:\n"
	      "the contract year YYYY, or this one); progress is monthly, as of the last day\n"
	      "of --month, or of this month, or today if earlier. --format text, for\n"
	      "people in the interface's language, is the default on a terminal, csv\n"
	      "otherwise; --labels gives the CSV or workbook Chinese column titles and\n"
	      "labels (是/否, 优秀) instead of codes. -o writes FILE (- is standard\n"
	      "output), CSV with a byte order mark when FILE ends in .csv, an Excel\n"
	      "workbook (xlsx) when it ends in .xlsx.\n"),
	      out);
	fputs(_("--by gives plan one row per province, prefecture, county (the default)\n"
		"or township.\n"),
	      out);
	fputs(_("Reports:"), out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %s", names[i]);
	fputc('\n', out);
}

/* Display widths need a UTF-8 LC_CTYPE; the text is UTF-8 whatever the
 * environment says, so measure it as such. */
static void ensure_utf8_ctype(void)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
		return;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		log_msg(LOG_WARNING, "report: no UTF-8 locale; Chinese text may be misaligned");
}

static int write_report(const struct report_result *r, enum report_format format, bool labels,
			FILE *out)
{
	switch (format) {
	case FORMAT_DEFAULT:
	case FORMAT_TEXT:
		ensure_utf8_ctype();
		return report_write_text(r, out);
	case FORMAT_CSV:
		return report_write_csv(r, labels, out);
	case FORMAT_XLSX:
		break; /* a workbook is written by name: write_file() */
	}
	return -1;
}

/* Writes the report to path (-o; "-" for a workbook): report_save() and
 * report_save_xlsx() put it in place whole. */
static int write_file(const struct report_result *r, enum report_format format, bool labels,
		      const char *path)
{
	struct sgz_err err;
	bool text = format == FORMAT_DEFAULT || format == FORMAT_TEXT;

	sgz_err_clear(&err);
	if (text)
		ensure_utf8_ctype();
	if (format == FORMAT_XLSX ? report_save_xlsx(r, labels, path, &err) < 0
				  : report_save(r, text, labels, path, &err) < 0) {
		cli_say("report", err.msg);
		return -1;
	}
	return 0;
}

/* Refuses a --month still to come (its figures do not exist yet), saying
 * so in the user's language: whether it was refused. */
static bool future_month(const char *opt, int year, int month)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (report_month_check(year, month, tm.tm_year + 1900, tm.tm_mon + 1) == 0)
		return false;
	/* TRANSLATORS: --month names a month after this one: what was typed,
	 * then this month. */
	fprintf(stderr, _("sgz report: --month %s has not come yet: the latest month is %04d-%02d\n"),
		opt, tm.tm_year + 1900, tm.tm_mon + 1);
	return true;
}

int cli_report(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "month", required_argument, NULL, 'm' },
		{ "scope", required_argument, NULL, 's' },
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "labels", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_params rp = { 0 };
	enum report_format format = FORMAT_DEFAULT;
	const char *path = "-", *year_opt = NULL, *month_opt = NULL, *by_opt = NULL;
	char scope[DIVISION_CODE_LEN + 1];
	struct report_result *r = NULL;
	struct sgz_err err;
	bool labels = false;
	int c, rc;

	sgz_err_clear(&err);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'y':
			year_opt = optarg;
			if (report_parse_year(optarg, &rp.year) < 0) {
				fprintf(stderr,
					_("sgz report: --year: '%s' is not a year YYYY (%d-%d)\n"),
					optarg, REPORT_YEAR_MIN, REPORT_YEAR_MAX);
				return SGZ_EUSAGE;
			}
			break;
		case 'm':
			month_opt = optarg;
			if (report_parse_month(optarg, &rp.year, &rp.month) < 0) {
				fprintf(stderr,
					_("sgz report: --month: '%s' is not a month YYYY-MM\n"),
					optarg);
				return SGZ_EUSAGE;
			}
			break;
		case 's':
			if (report_parse_scope(optarg, scope, &err) < 0) {
				char *t = msg_tr(err.msg);
				fprintf(stderr, _("sgz report: --scope: %s\n"), t);
				free(t);
				return SGZ_EUSAGE;
			}
			rp.scope = scope;
			break;
		case 'b':
			by_opt = optarg;
			if (report_parse_by(optarg, &rp.by) < 0) {
				fprintf(stderr,
					_("sgz report: --by: '%s' is not province, prefecture, county "
					  "or township\n"),
					optarg);
				return SGZ_EUSAGE;
			}
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0) {
				format = FORMAT_TEXT;
			} else if (strcmp(optarg, "csv") == 0) {
				format = FORMAT_CSV;
			} else if (strcmp(optarg, "xlsx") == 0) {
				format = FORMAT_XLSX;
			} else {
				fprintf(stderr,
					_("sgz report: --format: '%s' is not text, csv or xlsx\n"),
					optarg);
				return SGZ_EUSAGE;
			}
			break;
		case 'l':
			labels = true;
			break;
		case 'o':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return SGZ_OK;
		default:
			cli_bad_option("report", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	const struct report_def *def = report_find(argv[optind]);
	if (!def) {
		size_t n;
		const char *const *names = report_names(&n);
		fprintf(stderr, _("sgz report: '%s' is not a report; one of:"), argv[optind]);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %s", names[i]);
		fputc('\n', stderr);
		return SGZ_EUSAGE;
	}
	if (by_opt && !report_takes_by(def)) {
		fprintf(stderr, _("sgz report: %s: --by is for plan\n"), report_name(def));
		return SGZ_EUSAGE;
	}
	switch (report_period(def)) {
	case REPORT_YEAR:
	case REPORT_CONTRACT_YEAR:
		if (month_opt) {
			fprintf(stderr, _("sgz report: %s: --month is for progress; use --year\n"),
				report_name(def));
			return SGZ_EUSAGE;
		}
		break;
	case REPORT_MONTH:
		if (year_opt) {
			fprintf(stderr,
				_("sgz report: %s is monthly: use --month YYYY-MM, not --year\n"),
				report_name(def));
			return SGZ_EUSAGE;
		}
		if (month_opt && future_month(month_opt, rp.year, rp.month))
			return SGZ_EUSAGE;
		break;
	}
	if (labels && format == FORMAT_TEXT) {
		fputs(_("sgz report: --labels is for --format csv or xlsx: the text is for people "
			"already\n"),
		      stderr);
		return SGZ_EUSAGE;
	}
	if (cli_check_output(ctx, "report", path) < 0)
		return SGZ_EUSAGE;
	int to_stdout = strcmp(path, "-") == 0;
	/* -o FILE.xlsx is a workbook; text or CSV under that name would be a
	 * file no spreadsheet opens */
	if (!to_stdout && xlsx_path(path)) {
		if (format == FORMAT_TEXT || format == FORMAT_CSV) {
			fprintf(stderr,
				_("sgz report: %s: a .xlsx file is a workbook: use --format xlsx "
				  "or another name\n"),
				path);
			return SGZ_EUSAGE;
		}
		format = FORMAT_XLSX;
	}
	/* --labels asks for the CSV for people, on a terminal too */
	if (format == FORMAT_DEFAULT)
		format = to_stdout && isatty(STDOUT_FILENO) && !labels ? FORMAT_TEXT : FORMAT_CSV;
	if (format == FORMAT_XLSX && to_stdout && isatty(STDOUT_FILENO)) {
		fputs(_("sgz report: a workbook is not for the terminal: use -o FILE.xlsx\n"),
		      stderr);
		return SGZ_EUSAGE;
	}

	/* the report runs on report_conninfo (a hot standby) when it answers,
	 * as the role of the main connection (cli_report_db()) */
	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	struct report_db *rdb = cli_report_db(ctx, db);
	bool fell_back = false;
	rc = report_db_run(rdb, def, &rp, &r, &fell_back, &err);
	if (fell_back)
		fputs(_("sgz report: the standby of report_conninfo cannot be reached: the report "
			"runs on the main database\n"),
		      stderr);
	report_db_free(rdb);
	db_close(db);
	if (rc < 0) {
		cli_say("report", err.msg);
		return SGZ_EUSAGE;
	}
	/* the text says it in its header; CSV and workbooks are data */
	char *lag = format == FORMAT_TEXT ? NULL : report_lag_note(r);
	if (lag)
		fprintf(stderr, _("sgz %s: %s\n"), "report", lag);
	free(lag);

	if (to_stdout && format != FORMAT_XLSX) {
		rc = write_report(r, format, labels, stdout);
		if (fflush(stdout) != 0)
			rc = -1;
		if (rc < 0)
			fprintf(stderr, _("sgz report: <stdout>: write failed: %s\n"),
				strerror(errno));
	} else {
		rc = write_file(r, format, labels, path);
	}
	if (rc == 0)
		log_msg(LOG_INFO, "report %s --scope '%s': %ld rows", report_name(def),
			rp.scope ? rp.scope : "(own)", report_result_rows(r));
	report_result_free(r);
	return rc == 0 ? SGZ_OK : SGZ_EUSAGE;
}
