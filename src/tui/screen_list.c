/* screen_list.c - the list screen of any entity of the data dictionary:
 * rows fetched by key a page at a time through browse.h, a frozen first
 * column, the `/` filter, open, add, delete (asked first, refused with who
 * refers to the record), export of what the list shows; the hours grid of
 * an activity (g), the service certificate of a volunteer (p). */
#include "config.h"

#include "sgz/screens.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/browse.h"
#include "sgz/certificate.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/listview.h"
#include "sgz/outfile.h"
#include "sgz/record.h"
#include "sgz/width.h"

enum mode {
	MODE_LIST,
	MODE_FILTER,	  /* typing the filter on the bottom line */
	MODE_EXPORT,	  /* typing the file to export to */
	MODE_CERTIFICATE, /* typing the file of a volunteer's certificate */
};

struct list_screen {
	struct ui *ui;
	const struct dict_entity *e;
	struct browse *browse;
	struct listview *lv;
	enum mode mode;
	struct lineedit *input;
	bool reload;		  /* a form changed the rows: fetch again when drawn */
	char **last;		  /* the last record opened or saved, for ditto */
	struct record *doomed;	  /* the record a delete dialog asks about */
	struct certificate *cert; /* p: the certificate whose file is asked */
	char *cert_file;	  /* the name it is written under, for the trail */
	int height, width;	  /* of the list's rows */
};

/* clang-format off */
/* The keys of every list; the last, the hours grid or the certificate, only
 * where the list has one (has_grid(), has_certificate()), so it stays last. */
#define LIST_KEYS \
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE }, \
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS }, \
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD }, \
	{ "/", "/", M_FILTER, M_DO_FILTER }, \
	{ "a, Insert", "a", M_ADD, M_DO_ADD }, \
	{ "d, Delete", "d", M_DELETE, M_DO_DELETE }, \
	{ "e", "e", M_EXPORT, M_DO_EXPORT }, \
	{ "F1, ?", "?", M_HELP, M_DO_HELP }, \
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK }, \
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW }

static const struct ui_keyinfo list_keys[] = {
	LIST_KEYS,
	{ "g", "g", M_GRID, M_DO_GRID },
};

static const struct ui_keyinfo volunteer_keys[] = {
	LIST_KEYS,
	{ "p", "p", M_CERTIFICATE, M_DO_CERTIFICATE },
};

static const struct ui_keyinfo filter_keys[] = {
	{ "Enter", "Enter", M_APPLY, M_DO_FILTER },
	{ "Esc", "Esc", M_CLEAR, M_DO_FILTER },
};

static const struct ui_keyinfo export_keys[] = {
	{ "Enter", "Enter", M_EXPORT, M_DO_EXPORT },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

/* ---- the source: browse.h under the listview's interface ---- */

struct adapter {
	struct list_screen *ls;
	struct listview_page *page;
};

/* Shows choices and booleans in the interface's language. */
static int add_row(void *arg, const char *key, const char *const *cells)
{
	struct adapter *a = arg;
	size_t n = browse_ncolumns(a->ls->browse);
	char **shown = xcalloc(n + 1, sizeof(*shown));
	int rc;

	for (size_t c = 0; c < n; c++)
		shown[c] =
		    form_value_text(browse_column(a->ls->browse, c), cells[c], ui_zh(a->ls->ui));
	rc = listview_page_add(a->page, key, (const char *const *)shown);
	for (size_t c = 0; c < n; c++)
		free(shown[c]);
	free(shown);
	return rc;
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_first(a.ls->browse, filter, n, add_row, &a, err);
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_after(a.ls->browse, filter, key, n, add_row, &a, err);
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_before(a.ls->browse, filter, key, n, add_row, &a, err);
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_last(a.ls->browse, filter, n, add_row, &a, err);
}

/* ---- the screen ---- */

static int column_width(const struct ui *ui, const struct dict_field *df)
{
	int w = df->width > 0 ? df->width : 8;
	int tw = ui_width(ui_field_label(ui, df));

	/* a choice shows whole: its label in the reader's language */
	if (df->type == DT_CHOICE) {
		for (size_t c = 0; df->choices && df->choices[c].code; c++) {
			char *t = form_value_text(df, df->choices[c].code, ui_zh(ui));
			int cw = ui_width(t);
			free(t);
			if (cw > w)
				w = cw;
		}
	}
	return tw > w ? tw : w;
}

static int rows_for(int height)
{
	/* heading, the column titles, the bottom line */
	return height - 3 > 1 ? height - 3 : 1;
}

struct list_screen *list_screen_new(struct ui *ui, const struct dict_entity *e)
{
	struct list_screen *ls = xcalloc(1, sizeof(*ls));
	struct listview_source src = {src_first, src_after, src_before, src_last, ls};
	struct listview_column *cols;
	struct sgz_err err;
	size_t n;

	ls->ui = ui;
	ls->e = e;
	ls->browse = browse_new(ui_db(ui), e);
	/* a test's rows in memory instead of the database */
	ui_rows_source(ui, e, &src);
	n = browse_ncolumns(ls->browse);
	cols = xcalloc(n, sizeof(*cols));
	for (size_t c = 0; c < n; c++) {
		const struct dict_field *df = browse_column(ls->browse, c);
		cols[c].title = ui_field_label(ui, df);
		cols[c].width = column_width(ui, df);
		cols[c].align = df->type == DT_INT || df->type == DT_NUMBER || df->type == DT_MONEY
				    ? LISTVIEW_RIGHT
				    : LISTVIEW_LEFT;
	}
	ls->height = rows_for(LINES - 2);
	ls->width = COLS;
	ls->lv = listview_new(&src, cols, n, ls->height, ls->width);
	free(cols);
	/* the selection bar over the key column only: a move rewrites two
	 * short runs, not two rows of Chinese text (spec/bench.md: <= 200 B) */
	listview_set_highlight(ls->lv, LISTVIEW_HIGHLIGHT_FIRST);
	ls->input = lineedit_new(COLS - 20, 200);
	sgz_err_clear(&err);
	if (listview_reload(ls->lv, &err) < 0) {
		ui_tell_error(ui, &err);
		list_screen_free(ls);
		return NULL;
	}
	return ls;
}

static void free_last(struct list_screen *ls)
{
	if (!ls->last)
		return;
	for (size_t i = 0; i < ls->e->nfields; i++)
		free(ls->last[i]);
	free(ls->last);
	ls->last = NULL;
}

void list_screen_free(struct list_screen *ls)
{
	if (!ls)
		return;
	listview_free(ls->lv);
	browse_free(ls->browse);
	lineedit_free(ls->input);
	record_free(ls->doomed);
	certificate_free(ls->cert);
	free(ls->cert_file);
	free_last(ls);
	free(ls);
}

const char *list_screen_title(const struct list_screen *ls)
{
	return ui_entity_label(ls->ui, ls->e);
}

void list_screen_changed(struct list_screen *ls, const char *const *values)
{
	ls->reload = true;
	if (!values)
		return;
	free_last(ls);
	ls->last = xcalloc(ls->e->nfields, sizeof(*ls->last));
	for (size_t i = 0; i < ls->e->nfields; i++)
		ls->last[i] = values[i] ? xstrdup(values[i]) : NULL;
}

bool list_screen_admin(struct list_screen *ls)
{
	return browse_session_admin(ls->browse);
}

const char *const *list_screen_last(const struct list_screen *ls)
{
	return (const char *const *)ls->last;
}

static bool has_grid(const struct list_screen *ls)
{
	return strcmp(ls->e->name, "activities") == 0 || strcmp(ls->e->name, "hours") == 0;
}

/* p: the service certificate of a volunteer (spec/keys.md). */
static bool has_certificate(const struct list_screen *ls)
{
	return strcmp(ls->e->name, "volunteers") == 0;
}

const struct ui_keyinfo *list_screen_keys(const struct list_screen *ls, size_t *n)
{
	if (has_certificate(ls)) {
		*n = SGZ_ARRAY_LEN(volunteer_keys);
		return volunteer_keys;
	}
	*n = SGZ_ARRAY_LEN(list_keys) - (has_grid(ls) ? 0 : 1);
	return list_keys;
}

const struct ui_keyinfo *list_screen_status_keys(const struct list_screen *ls, size_t *n)
{
	switch (ls->mode) {
	case MODE_LIST:
		break;
	case MODE_FILTER:
		*n = SGZ_ARRAY_LEN(filter_keys);
		return filter_keys;
	case MODE_EXPORT:
	case MODE_CERTIFICATE:
		*n = SGZ_ARRAY_LEN(export_keys);
		return export_keys;
	}
	return list_screen_keys(ls, n);
}

/* ---- drawing ---- */

static void draw_input(struct list_screen *ls, int y, enum ui_msg prompt)
{
	int x = 1 + ui_put(y, 1, COLS - 2, ui_tr(ls->ui, prompt), A_BOLD, false);
	int w = COLS - x - 2;

	if (lineedit_width(ls->input) != w)
		lineedit_set_width(ls->input, w);
	lineedit_draw(stdscr, y, x, ls->input, A_NORMAL, L'_', true);
	ui_cursor(ls->ui, y, x + lineedit_cursor_col(ls->input));
}

void list_screen_draw(struct list_screen *ls, int top, int height)
{
	struct sgz_err err;
	int rows = rows_for(height), x;

	sgz_err_clear(&err);
	if (rows != ls->height || COLS != ls->width) {
		ls->height = rows;
		ls->width = COLS;
		if (listview_resize(ls->lv, rows, COLS, &err) < 0)
			ui_say_error(ls->ui, &err);
	}
	if (ls->reload) {
		ls->reload = false;
		if (listview_reload(ls->lv, &err) < 0)
			ui_say_error(ls->ui, &err);
	}
	/* the heading: the entity, the filter in force */
	x = 1 + ui_put(top, 1, COLS - 2, list_screen_title(ls), A_BOLD, false);
	if (*listview_filter(ls->lv) && ls->mode != MODE_FILTER) {
		struct strbuf sb = {0};
		/* TRANSLATORS: after a list's name: the filter in force follows. */
		sb_addf(&sb, _("filter: %s"), listview_filter(ls->lv));
		ui_put(top, x + 2, COLS - x - 3, sb_str(&sb), A_NORMAL, false);
		sb_free(&sb);
	}
	/* werase() emptied the window: every row is drawn into it again, and
	 * curses sends the terminal only what differs */
	listview_invalidate(ls->lv);
	listview_draw(stdscr, top + 1, 0, ls->lv, A_BOLD, ui_selected_attr(ls->ui));
	if (!listview_selected_key(ls->lv))
		ui_put(top + 2, 1, COLS - 2, ui_tr(ls->ui, M_NO_ROWS), A_NORMAL, false);
	switch (ls->mode) {
	case MODE_LIST:
		break;
	case MODE_FILTER:
		draw_input(ls, top + height - 1, M_FILTER_PROMPT);
		break;
	case MODE_EXPORT:
		draw_input(ls, top + height - 1, M_EXPORT_PROMPT);
		break;
	case MODE_CERTIFICATE:
		draw_input(ls, top + height - 1, M_CERTIFICATE_PROMPT);
		break;
	}
}

/* ---- actions ---- */

static void say_error(struct list_screen *ls, const struct sgz_err *err)
{
	ui_tell_error(ls->ui, err);
}

static void reload(struct list_screen *ls)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_reload(ls->lv, &err) < 0)
		say_error(ls, &err);
}

static void open_selected(struct list_screen *ls)
{
	const char *key = listview_selected_key(ls->lv);
	struct record_error re;
	struct record *r = NULL;

	if (!key)
		return;
	record_error_init(&re);
	switch (record_load(ui_db(ls->ui), ls->e, key, &r, &re)) {
	case RECORD_OK:
		ui_push_form(ls->ui, form_screen_new(ls->ui, ls->e, r, ls));
		break;
	case RECORD_GONE:
		ui_say(ls->ui, ui_tr(ls->ui, M_GONE));
		reload(ls);
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		say_error(ls, &re.err);
		break;
	}
	record_error_free(&re);
}

/* "Referenced by 2 staff, 2 volunteers" / "引用它的有:工作人员 2 条、志愿者 2 条" */
/* The refusal of a delete: what still refers to the record, counted. */
static void refs_text(const struct ui *ui, const struct record_error *re, struct strbuf *sb)
{
	struct strbuf who = {0};

	sb_adds(sb, ui_tr(ui, M_REFERENCED));
	for (size_t i = 0; i < re->nrefs; i++) {
		const char *label = ui_entity_label(ui, re->refs[i].e);
		char *lower = xstrdup(label);
		/* English entity names are capitalised as titles; in a sentence not */
		if (lower[0] >= 'A' && lower[0] <= 'Z')
			lower[0] = (char)(lower[0] + 32);
		if (i)
			sb_adds(&who, ui_tr(ui, M_REFERENCED_SEP));
		/* TRANSLATORS: one entity that refers to a record: count and entity;
		 * zh_CN puts the count after the entity: "%2$s %1$ld 条". */
		sb_addf(&who, _("%ld %s"), re->refs[i].count, lower);
		free(lower);
	}
	if (re->nrefs) {
		sb_adds(sb, "\n");
		/* TRANSLATORS: the entities that still refer to the record follow. */
		sb_addf(sb, _("Referenced by %s"), sb_str(&who));
	}
	sb_free(&who);
	if (re->err.msg[0]) {
		sb_adds(sb, "\n\n");
		sb_adds(sb, re->err.msg);
	}
}

void ui_delete_record(struct ui *ui, struct record *r, void (*reload_fn)(void *ctx), void *ctx)
{
	struct record_error re;
	struct strbuf sb = {0};

	record_error_init(&re);
	switch (record_delete(ui_db(ui), r, &re)) {
	case RECORD_OK:
		ui_say(ui, ui_tr(ui, M_DELETED));
		reload_fn(ctx);
		break;
	case RECORD_REFERENCED:
		refs_text(ui, &re, &sb);
		ui_tell(ui, ui_tr(ui, M_DELETE), sb_str(&sb));
		break;
	case RECORD_CONFLICT:
		ui_say(ui, ui_tr(ui, M_CHANGED_SINCE));
		reload_fn(ctx);
		break;
	case RECORD_GONE:
		ui_say(ui, ui_tr(ui, M_GONE));
		reload_fn(ctx);
		break;
	case RECORD_REFUSED:
	case RECORD_FAILED:
		ui_tell_error(ui, &re.err);
		break;
	}
	record_error_free(&re);
	sb_free(&sb);
}

static void reload_list(void *ctx)
{
	reload(ctx);
}

static void on_delete_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct list_screen *ls = ctx;

	if (answer == 'y' && ls->doomed)
		ui_delete_record(ui, ls->doomed, reload_list, ls);
	record_free(ls->doomed);
	ls->doomed = NULL;
}

/* What the delete dialog shows of the record: its list columns. */
static void describe(const struct list_screen *ls, const struct record *r, struct strbuf *sb)
{
	for (size_t c = 0; c < browse_ncolumns(ls->browse) && c < 4; c++) {
		const struct dict_field *df = browse_column(ls->browse, c);
		char *t = form_value_text(df, record_value(r, (size_t)dict_field_index(ls->e, df)),
					  ui_zh(ls->ui));
		sb_addf(sb, "\n%s: %s", ui_field_label(ls->ui, df), t);
		free(t);
	}
}

static void ask_delete(struct list_screen *ls)
{
	static const struct ui_choice choices[] = {{'y', "y", M_DELETE}, {'n', "n", M_CANCEL}};
	const char *key = listview_selected_key(ls->lv);
	struct record_error re;
	struct strbuf body = {0};

	if (!key)
		return;
	record_error_init(&re);
	record_free(ls->doomed);
	ls->doomed = NULL;
	switch (record_load(ui_db(ls->ui), ls->e, key, &ls->doomed, &re)) {
	case RECORD_OK:
		sb_adds(&body, ui_tr(ls->ui, M_DELETE_ASK));
		describe(ls, ls->doomed, &body);
		ui_ask(ls->ui, ui_tr(ls->ui, M_DELETE), sb_str(&body), choices,
		       SGZ_ARRAY_LEN(choices), on_delete_answer, ls);
		break;
	case RECORD_GONE:
		ui_say(ls->ui, ui_tr(ls->ui, M_GONE));
		reload(ls);
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		say_error(ls, &re.err);
		break;
	}
	record_error_free(&re);
	sb_free(&body);
}

static void start_export(struct list_screen *ls)
{
	char name[128], day[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(name, sizeof(name), "%s-%s.csv", ls->e->name, day);
	lineedit_set_utf8(ls->input, name);
	ls->mode = MODE_EXPORT;
}

static int write_export(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct list_screen *ls = ctx;

	return browse_export(ls->browse, listview_filter(ls->lv), out, rows, err);
}

/* Enter on the file name: into the export directory (ui_export()). */
static void do_export(struct list_screen *ls)
{
	char *name = lineedit_get_utf8(ls->input);

	ui_export(ls->ui, name, write_export, ls);
	free(name);
}

/* p: the selected volunteer's certificate of every year, read now (a
 * volunteer gone or out of scope is said at once); then the file name is
 * asked, the volunteer's name in it. */
static void start_certificate(struct list_screen *ls)
{
	const char *key = listview_selected_key(ls->lv);
	size_t n = 0;
	char **parts = key ? record_key_decode(ls->e, key, &n) : NULL;
	/* the list keys its people by pid (browse.c), "#pid" as a token */
	const char *pid = parts && n == 1 && parts[0] ? parts[0] : NULL;
	if (pid && pid[0] == '#')
		pid = record_token_pid(pid);
	if (pid && (!pid[0] || strspn(pid, "0123456789") != strlen(pid)))
		pid = NULL;
	struct strbuf name = {0};
	struct sgz_err err;
	char day[16];
	time_t now = time(NULL);
	struct tm tm;

	sgz_err_clear(&err);
	certificate_free(ls->cert);
	ls->cert = NULL;
	if (!pid) {
		record_key_free(parts, n);
		return;
	}
	if (certificate_load(ui_db(ls->ui), strtoll(pid, NULL, 10), 0, &ls->cert, &err) < 0) {
		record_key_free(parts, n);
		say_error(ls, &err);
		return;
	}
	record_key_free(parts, n);
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	/* only what a typed name may hold (outfile.h): 阿依古丽·买买提 loses
	 * the dot */
	sb_adds(&name, "志愿服务证明-");
	for (const char *s = ls->cert->name; *s;) {
		unsigned char c = (unsigned char)*s;
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		char one[5] = {0};
		memcpy(one, s, strnlen(s, len));
		if (outfile_name_check(one, NULL) == OUTFILE_NAME_OK)
			sb_adds(&name, one);
		s += strnlen(s, len);
	}
	sb_addf(&name, "-%s.pdf", day);
	lineedit_set_utf8(ls->input, sb_str(&name));
	sb_free(&name);
	ls->mode = MODE_CERTIFICATE;
}

/* The certificate into out, then its issue into the trail: a certificate
 * the trail does not hold is not written (ui_export() removes it). */
static int write_certificate(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct list_screen *ls = ctx;

	if (certificate_pdf_write(ls->cert, out, err) < 0 ||
	    certificate_audit(ui_db(ls->ui), ls->cert, ls->cert_file, err) < 0)
		return -1;
	*rows = 1;
	return 0;
}

/* Enter on the certificate's file name: into the export directory. */
static void do_certificate(struct list_screen *ls)
{
	free(ls->cert_file);
	ls->cert_file = lineedit_get_utf8(ls->input);
	if (!certificate_pdf_path(ls->cert_file)) {
		ui_say(ls->ui, _("A certificate is a PDF: the file name ends in .pdf"));
		return;
	}
	ui_export_file(ls->ui, ls->cert_file, write_certificate, ls, _("Certificate written to "));
}

static void apply_filter(struct list_screen *ls, const char *filter)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_set_filter(ls->lv, filter, &err) < 0)
		say_error(ls, &err);
}

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* The bottom line's text field: the filter or the export file. */
static void input_key(struct list_screen *ls, bool fn, wint_t wc)
{
	char *text;

	if (is_enter(fn, wc)) {
		enum mode m = ls->mode;
		ls->mode = MODE_LIST;
		if (m == MODE_FILTER) {
			text = lineedit_get_utf8(ls->input);
			apply_filter(ls, text);
			free(text);
		} else if (m == MODE_CERTIFICATE) {
			do_certificate(ls);
		} else {
			do_export(ls);
		}
		return;
	}
	if (is_esc(fn, wc)) {
		/* Esc clears the filter (spec/keys.md); for export it cancels */
		if (ls->mode == MODE_FILTER && *listview_filter(ls->lv))
			apply_filter(ls, NULL);
		ls->mode = MODE_LIST;
		return;
	}
	lineedit_key(ls->input, fn, wc);
}

bool list_screen_paste(struct list_screen *ls, const wchar_t *s, size_t n)
{
	if (ls->mode == MODE_LIST)
		return false; /* the rows' keys are commands: "dy" would delete */
	ui_paste_text(ls->ui, ls->input, s, n);
	return true;
}

/* g: the hours grid of the selected activity (or the activity of the
 * selected hours row); the header asks what no row gives. */
static void open_grid(struct list_screen *ls)
{
	const char *key = listview_selected_key(ls->lv);
	const char *part[3] = {NULL, NULL, NULL}; /* station, date, activity */
	size_t n = 0, k = 0;
	char **parts = key ? record_key_decode(ls->e, key, &n) : NULL;

	for (size_t i = 0; parts && i < ls->e->nfields; i++) {
		const char *col = ls->e->fields[i].column;
		if (!(ls->e->fields[i].flags & DF_KEY) || k >= n)
			continue;
		if (strcmp(col, "station") == 0)
			part[0] = parts[k];
		else if (strcmp(col, "date") == 0 || strcmp(col, "service_date") == 0)
			part[1] = parts[k];
		else if (strcmp(col, "title") == 0 || strcmp(col, "activity") == 0)
			part[2] = parts[k];
		k++;
	}
	ui_push_grid(ls->ui, grid_screen_new(ls->ui, part[0], part[1], part[2], ls));
	record_key_free(parts, n);
}

void list_screen_key(struct list_screen *ls, bool fn, wint_t wc)
{
	struct sgz_err err;

	if (ls->mode != MODE_LIST) {
		input_key(ls, fn, wc);
		return;
	}
	sgz_err_clear(&err);
	switch (listview_key(ls->lv, fn, wc, &err)) {
	case LISTVIEW_KEY_DONE:
		return;
	case LISTVIEW_KEY_FAILED:
		say_error(ls, &err);
		return;
	case LISTVIEW_KEY_OTHER:
		break;
	}
	if (is_enter(fn, wc)) {
		open_selected(ls);
	} else if (is_esc(fn, wc)) {
		ui_pop(ls->ui); /* frees ls */
	} else if ((fn && wc == KEY_F(1)) || (!fn && wc == L'?')) {
		ui_help(ls->ui);
	} else if (!fn && wc == L'/') {
		lineedit_set_utf8(ls->input, listview_filter(ls->lv));
		ls->mode = MODE_FILTER;
	} else if ((!fn && wc == L'a') || (fn && wc == KEY_IC)) {
		ui_push_form(ls->ui, form_screen_new(ls->ui, ls->e, NULL, ls));
	} else if ((!fn && wc == L'd') || (fn && wc == KEY_DC)) {
		ask_delete(ls);
	} else if (!fn && wc == L'e') {
		start_export(ls);
	} else if (!fn && wc == L'g' && has_grid(ls)) {
		open_grid(ls);
	} else if (!fn && wc == L'p' && has_certificate(ls)) {
		start_certificate(ls);
	}
}
