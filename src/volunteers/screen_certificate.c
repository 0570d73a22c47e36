/* screen_certificate.c - p on the volunteers list or on a volunteer's
 * form (its hours pane): the volunteer's
 * service certificate of every year, read when p is pressed (a volunteer
 * gone or out of scope is said at once); the file name asked on the
 * bottom line, the volunteer's name in it (ui_ask_line()); then the
 * PDF and its entry in the trail through ui_export_file(), into the export
 * directory. The certificate itself is certificate.c's and
 * certificate_pdf.c's. */
#include "config.h"

#include "sgz/volunteers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/certificate.h"
#include "sgz/i18n.h"
#include "sgz/outfile.h"
#include "sgz/record.h"
#include "sgz/screens.h"

/* The certificate whose file is asked, the list's while it asks. */
struct cert_ask {
	struct ui *ui;
	struct certificate *cert;
	char *file; /* the name it is written under, for the trail */
};

static void ask_free(void *ctx)
{
	struct cert_ask *a = ctx;

	certificate_free(a->cert);
	free(a->file);
	free(a);
}

/* The certificate into out, then its issue into the trail: a certificate
 * the trail does not hold is not written (ui_export() removes it). */
static int write_certificate(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct cert_ask *a = ctx;

	if (certificate_pdf_write(a->cert, out, err) < 0 ||
	    certificate_audit(ui_db(a->ui), a->cert, a->file, err) < 0)
		return -1;
	*rows = 1;
	return 0;
}

/* Enter on the certificate's file name: into the export directory. */
static void ask_done(struct ui *ui, void *ctx, const char *line)
{
	struct cert_ask *a = ctx;

	free(a->file);
	a->file = xstrdup(line);
	if (!certificate_pdf_path(a->file)) {
		ui_say(ui, _("A certificate is a PDF: the file name ends in .pdf"));
		return;
	}
	ui_export_file(ui, a->file, write_certificate, a, _("Certificate written to "));
}

void certificate_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			   struct list_screen *origin)
{
	(void)origin;
	size_t n = 0;
	char **parts = key ? record_key_decode(e, key, &n) : NULL;
	/* the list keys its people by pid (browse.c), "#pid" as a token */
	const char *pid = parts && n == 1 && parts[0] ? parts[0] : NULL;
	if (pid && pid[0] == '#')
		pid = record_token_pid(pid);
	if (pid && (!pid[0] || strspn(pid, "0123456789") != strlen(pid)))
		pid = NULL;
	struct strbuf name = {0};
	struct sgz_err err;
	struct cert_ask *a;
	char day[16];
	time_t now = time(NULL);
	struct tm tm;

	sgz_err_clear(&err);
	if (!pid) {
		record_key_free(parts, n);
		return;
	}
	a = xcalloc(1, sizeof(*a));
	a->ui = ui;
	if (certificate_load(ui_db(ui), strtoll(pid, NULL, 10), 0, &a->cert, &err) < 0) {
		record_key_free(parts, n);
		ask_free(a);
		ui_tell_error(ui, &err);
		return;
	}
	record_key_free(parts, n);
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	/* only what a typed name may hold (outfile.h): 阿依古丽·买买提 loses
	 * the dot */
	sb_adds(&name, "志愿服务证明-");
	for (const char *s = a->cert->name; *s;) {
		unsigned char c = (unsigned char)*s;
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		char one[5] = {0};
		memcpy(one, s, strnlen(s, len));
		if (outfile_name_check(one, NULL) == OUTFILE_NAME_OK)
			sb_adds(&name, one);
		s += strnlen(s, len);
	}
	sb_addf(&name, "-%s.pdf", day);
	ui_ask_line(ui, M_CERTIFICATE_PROMPT, sb_str(&name), ask_done, a, ask_free);
	sb_free(&name);
}
