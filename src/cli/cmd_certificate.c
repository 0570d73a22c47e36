/* cmd_certificate.c - sgz certificate VOLUNTEER [--year YYYY] -o FILE
 * (spec/cli.md, work.md "Volunteer service certificate"): the PDF is made
 * in memory, its issue filed in the audit trail, and only then written:
 * FILE as a whole (a temporary file beside it, renamed onto it, mode
 * 0640), or standard output for "-". -o is refused when sgz is locked, as
 * for report and export: there sgz writes files only from the interface,
 * into the export directory. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sgz/certificate.h"
#include "sgz/cli.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/report.h"

static void usage(FILE *out)
{
	fputs(_("Usage: sgz certificate VOLUNTEER [--year YYYY] -o FILE.pdf\n"
		"Writes the volunteer's service certificate (志愿服务证明), a one-page A4\n"
		"PDF in Chinese: the hours by year and in total, the star level and the\n"
		"services of YYYY (without --year: of every year), as your scope holds\n"
		"them. VOLUNTEER is the ID number in full or #PID (the pid lists show).\n"
		"-o - writes the PDF to standard output (not a terminal). Every\n"
		"certificate issued is filed in the audit trail.\n"),
	      out);
}

/* Writes len bytes of buf to path whole: a temporary file beside it, mode
 * 0640, renamed onto it; a device or a pipe is written as it is. 0 or an
 * errno value. */
static int write_whole(const char *path, const char *buf, size_t len)
{
	struct stat st;
	char *tmp = NULL;
	int fd, e = 0;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	} else {
		tmp = xasprintf("%s.XXXXXX", path);
		fd = mkstemp(tmp);
		if (fd >= 0 && fchmod(fd, 0640) < 0)
			e = errno;
	}
	if (fd < 0) {
		e = errno;
		free(tmp);
		return e;
	}
	for (size_t off = 0; !e && off < len;) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno != EINTR)
			e = errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (close(fd) < 0 && !e)
		e = errno;
	if (!e && tmp && rename(tmp, path) < 0)
		e = errno;
	if (e && tmp)
		unlink(tmp);
	free(tmp);
	return e;
}

/* err's message, in the reader's language. */
static void say(const struct sgz_err *err)
{
	char *m = msg_tr(err->msg);

	fprintf(stderr, "sgz certificate: %s\n", m);
	free(m);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int cli_certificate(const struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"year", required_argument, NULL, 'y'},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	struct certificate *cert = NULL;
	struct sgz_err err;
	long long pid;
	int year = 0, c, rc = SGZ_EUSAGE;
	char *buf = NULL;
	size_t len = 0;

	sgz_err_clear(&err);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (report_parse_year(optarg, &year) < 0) {
				fprintf(stderr,
					_("sgz certificate: --year: '%s' is not a year YYYY "
					  "(%d-%d)\n"),
					optarg, REPORT_YEAR_MIN, REPORT_YEAR_MAX);
				return SGZ_EUSAGE;
			}
			break;
		case 'o':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return SGZ_OK;
		default:
			cli_bad_option("certificate", argv, c);
			return SGZ_EUSAGE;
		}
	}
	if (argc - optind != 1 || !path) {
		usage(stderr);
		return SGZ_EUSAGE;
	}
	bool to_stdout = strcmp(path, "-") == 0;
	if (!to_stdout && !certificate_pdf_path(path)) {
		fprintf(stderr,
			_("sgz certificate: -o %s: the certificate is a PDF: name a file "
			  "that ends in .pdf\n"),
			path);
		return SGZ_EUSAGE;
	}
	if (cli_check_output(ctx, "certificate", path) < 0)
		return SGZ_EUSAGE;
	if (to_stdout && isatty(STDOUT_FILENO)) {
		fputs(_("sgz certificate: a PDF is not for the terminal: use -o FILE.pdf\n"),
		      stderr);
		return SGZ_EUSAGE;
	}

	struct db *db = cli_connect_current(ctx, ctx->conninfo);
	if (!db)
		return SGZ_EUSAGE;
	if (certificate_find(db, argv[optind], &pid, &err) < 0 ||
	    certificate_load(db, pid, year, &cert, &err) < 0) {
		say(&err);
		goto out;
	}
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		fprintf(stderr, "sgz certificate: %s\n", strerror(errno));
		goto out;
	}
	int w = certificate_pdf_write(cert, mem, &err);
	if (fclose(mem) != 0 && w == 0) {
		fprintf(stderr, "sgz certificate: %s\n", strerror(errno));
		goto out;
	}
	if (w < 0) {
		say(&err);
		goto out;
	}
	/* filed before anyone can have the file */
	if (certificate_audit(db, cert, to_stdout ? "-" : base_name(path), &err) < 0) {
		say(&err);
		goto out;
	}
	if (to_stdout) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, _("sgz certificate: <stdout>: write failed: %s\n"),
				strerror(errno));
			goto out;
		}
	} else {
		int e = write_whole(path, buf, len);
		if (e) {
			fprintf(stderr, _("sgz certificate: %s: cannot write: %s\n"), path,
				strerror(e));
			goto out;
		}
	}
	log_msg(LOG_INFO, "certificate #%lld%s%.0d: %zu bytes", pid, year ? " --year " : "", year,
		len);
	rc = SGZ_OK;
out:
	free(buf);
	certificate_free(cert);
	db_close(db);
	return rc;
}
