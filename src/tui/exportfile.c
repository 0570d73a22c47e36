/* exportfile.c - what the interface writes for the user: the list's, the
 * division tree's and the report's e. The name typed is checked here, in
 * the user's language, before anything is asked of the database; the file
 * goes into the export directory only (outfile.h), and one that is there
 * already is replaced only after a question that names it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/i18n.h"
#include "sgz/outfile.h"
#include "sgz/ui.h"
#include "sgz/util.h"

/* The export that waits for the answer to "replace?". One dialog is open
 * at a time, so one of these; a new export forgets an unanswered one. */
static struct {
	char *name;
	ui_export_fn fn;
	void *ctx;
	const char *done;
} waiting;

/* A character as a message shows it: itself when it is printable ASCII
 * or Chinese, else its code (a control character must not reach the
 * terminal). */
static void add_char(struct strbuf *sb, unsigned c)
{
	char u[4] = {0};

	if (c == ' ') {
		sb_adds(sb, _("a blank"));
		return;
	}
	if (c == 0xFFFD) {
		sb_adds(sb, _("a byte that is not UTF-8"));
		return;
	}
	if (c > 0x20 && c < 0x7F) {
		u[0] = (char)c;
	} else if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
		   (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E)) {
		/* Chinese characters and punctuation, full-width forms */
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
	} else {
		sb_addf(sb, "U+%04X", c);
		return;
	}
	/* TRANSLATORS: a character named in a message, quoted. */
	sb_addf(sb, _("\"%s\""), u);
}

/* Says why name cannot be a file name; false when it can. */
static bool refuse_name(struct ui *ui, const char *name)
{
	struct strbuf sb = {0}, ch = {0};
	unsigned bad;

	switch (outfile_name_check(name, &bad)) {
	case OUTFILE_NAME_OK:
		return false;
	case OUTFILE_NAME_EMPTY:
		return true; /* nothing typed: nothing to do */
	case OUTFILE_NAME_PATH:
		sb_addf(&sb, _("Type a file name, not a path (no /): the file goes into %s"),
			ui_export_dir(ui));
		break;
	case OUTFILE_NAME_FIRST:
		add_char(&ch, bad);
		sb_addf(&sb,
			_("A file name begins with a letter, a Chinese character or a digit, "
			  "not %s"),
			sb_str(&ch));
		break;
	case OUTFILE_NAME_CHAR:
		add_char(&ch, bad);
		sb_addf(&sb,
			_("A file name holds only letters, Chinese characters, digits, - _ "
			  "and ., not %s"),
			sb_str(&ch));
		break;
	case OUTFILE_NAME_LONG:
		sb_addf(&sb, _("A file name has at most %d characters"), OUTFILE_NAME_MAX);
		break;
	}
	ui_say(ui, sb_str(&sb));
	sb_free(&sb);
	sb_free(&ch);
	return true;
}

/* Opens the export directory, or says why not. */
static struct outdir *open_dir(struct ui *ui)
{
	const char *dir = ui_export_dir(ui);
	struct strbuf sb = {0};
	struct outdir *d;
	int e;

	if (!*dir) {
		ui_say(ui, _("Exports are turned off here ([export] directory is empty)"));
		return NULL;
	}
	e = outdir_open(dir, &d);
	if (e == 0)
		return d;
	if (e == ELOOP)
		sb_addf(&sb,
			_("The export directory %s is a symbolic link: sgz writes only into "
			  "a real directory"),
			dir);
	else
		sb_addf(&sb, _("The export directory %s cannot be used: %s"), dir, strerror(e));
	ui_say(ui, sb_str(&sb));
	sb_free(&sb);
	return NULL;
}

/* Writes name into d through fn, replacing a file only with replace. */
static void write_file(struct ui *ui, struct outdir *d, const char *name, bool replace,
		       ui_export_fn fn, void *ctx, const char *done)
{
	struct strbuf sb = {0};
	struct outfile *f;
	struct sgz_err err;
	long rows = 0;
	int e;

	sgz_err_clear(&err);
	e = outfile_begin(d, name, &f);
	if (e != 0) {
		sb_addf(&sb, _("%s/%s: cannot write: %s"), outdir_path(d), name, strerror(e));
		ui_say(ui, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	if (fn(ctx, outfile_stream(f), &rows, &err) < 0) {
		outfile_abort(f);
		ui_tell_error(ui, &err);
		return;
	}
	e = outfile_commit(f, replace);
	if (e == EEXIST)
		sb_addf(&sb,
			_("%s appeared in %s meanwhile and is kept: export again to replace "
			  "it"),
			name, outdir_path(d));
	else if (e != 0)
		sb_addf(&sb, _("%s/%s: cannot write: %s"), outdir_path(d), name, strerror(e));
	else {
		char *path = xasprintf("%s/%s", outdir_path(d), name);
		if (done)
			sb_addf(&sb, "%s%s", done, path);
		else
			/* TRANSLATORS: after an export: the row count and the file. */
			sb_addf(&sb, _("%ld rows written to %s"), rows, path);
		free(path);
	}
	ui_say(ui, sb_str(&sb));
	sb_free(&sb);
}

static void forget_waiting(void)
{
	free(waiting.name);
	memset(&waiting, 0, sizeof(waiting));
}

static void on_replace_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct strbuf sb = {0};
	struct outdir *d;

	(void)ctx;
	if (!waiting.name)
		return;
	if (answer != 'y') {
		sb_addf(&sb, _("Nothing written: %s is kept"), waiting.name);
		ui_say(ui, sb_str(&sb));
		sb_free(&sb);
	} else if ((d = open_dir(ui)) != NULL) {
		write_file(ui, d, waiting.name, true, waiting.fn, waiting.ctx, waiting.done);
		outdir_close(d);
	}
	forget_waiting();
}

void ui_export(struct ui *ui, const char *name, ui_export_fn fn, void *ctx)
{
	ui_export_file(ui, name, fn, ctx, NULL);
}

void ui_export_file(struct ui *ui, const char *name, ui_export_fn fn, void *ctx, const char *done)
{
	static const struct ui_choice choices[] = {{'y', "y", M_REPLACE}, {'n', "n", M_KEEP_FILE}};
	struct strbuf sb = {0};
	enum outdir_entry entry;
	struct outdir *d;
	int e;

	forget_waiting();
	if (refuse_name(ui, name) || !(d = open_dir(ui)))
		return;
	e = outdir_lookup(d, name, &entry);
	if (e != 0) {
		sb_addf(&sb, _("%s/%s: cannot write: %s"), outdir_path(d), name, strerror(e));
		ui_say(ui, sb_str(&sb));
	} else if (entry == OUTDIR_OTHER) {
		sb_addf(&sb,
			_("%s is not a plain file (it is a symbolic link or a directory in "
			  "%s): sgz never writes through it; choose another name"),
			name, outdir_path(d));
		ui_say(ui, sb_str(&sb));
	} else if (entry == OUTDIR_FILE) {
		waiting.name = xstrdup(name);
		waiting.fn = fn;
		waiting.ctx = ctx;
		waiting.done = done;
		sb_addf(&sb, _("%s already exists (in %s).\nReplace it with this export?"), name,
			outdir_path(d));
		ui_ask(ui, ui_tr(ui, M_EXPORT), sb_str(&sb), choices, SGZ_ARRAY_LEN(choices),
		       on_replace_answer, NULL);
	} else {
		write_file(ui, d, name, false, fn, ctx, done);
	}
	outdir_close(d);
	sb_free(&sb);
}
