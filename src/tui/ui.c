/* ui.c - the services every screen calls (ui.h): the language table, text
 * measured in columns and drawn, the message and status lines, dialogs,
 * the stack's push and pop, errors said in the user's language, drafts
 * kept, pastes into a text field. The shell (src/shell/tui.c) holds the
 * menus, dispatches keys, draws the top screen and runs the poll loop;
 * it reaches this state through uistate.h. Nothing here knows a screen:
 * the stack holds views (struct ui_view_ops). */
#include "config.h"

#include "sgz/ui.h"

#include <curses.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/lineedit.h"
#include "sgz/report.h"
#include "sgz/report_db.h"
#include "sgz/uistate.h"
#include "sgz/width.h"

/* The texts of enum ui_msg: English msgids, translated by ui_tr(). No
 * format strings here: those are written where they are used, so the
 * compiler checks their arguments. The main menu's names are the menu
 * context's (menu_label()): "Stations" the menu item is 站点台账, the
 * entity 社工站. */
static const char *const msgs[M_COUNT] = {
    [M_NONE] = "",
    [M_TITLE] = N_("sgz social work stations"), /* the name, in the reader's language */
    [M_MAIN_MENU] = N_("Main menu"),
    [M_TOO_SMALL] = N_("terminal too small (need 80x24)"),
    [M_OPEN] = N_("open"),
    [M_HELP] = N_("help"),
    [M_QUIT] = N_("quit"),
    [M_BACK] = N_("back"),
    [M_FILTER] = N_("filter"),
    [M_ADD] = N_("add"),
    [M_DELETE] = N_("delete"),
    [M_EXPORT] = N_("export"),
    [M_APPLY] = N_("apply"),
    [M_CLEAR] = N_("clear"),
    [M_CANCEL] = N_("cancel"),
    [M_SAVE] = N_("save"),
    [M_SAVE_NEXT] = N_("save+next"),
    [M_DITTO] = N_("ditto"),
    [M_PICK] = N_("pick"),
    [M_TOGGLE] = N_("tick"),
    [M_OK] = N_("OK"),
    [M_DISCARD] = N_("discard"),
    [M_KEEP_EDITING] = N_("keep editing"),
    [M_KEEP_MINE] = N_("save mine over theirs"),
    [M_TAKE_THEIRS] = N_("take theirs"),
    [M_SAVE_AS_NEW] = N_("save as a new record"),
    [M_RESTORE] = N_("restore"),
    [M_REPLACE] = N_("replace"),
    [M_KEEP_FILE] = N_("keep the file"),
    [M_DO_MOVE] = N_("move the selection"),
    [M_DO_OPEN] = N_("open the selected screen"),
    [M_DO_OPEN_N] = N_("open screen N directly"),
    [M_DO_HELP] = N_("help for this screen"),
    [M_DO_REDRAW] = N_("redraw the whole screen"),
    [M_DO_QUIT] = N_("quit sgz"),
    [M_DO_BACK] = N_("back to the previous screen"),
    [M_DO_CLOSE_HELP] = N_("close this help"),
    [M_DO_LIST_MOVE] = N_("move in the list (fetched page by page)"),
    [M_DO_COLUMNS] = N_("scroll the columns after the first"),
    [M_DO_FILTER] = N_("filter: type, Enter applies, Esc clears"),
    [M_DO_OPEN_RECORD] = N_("open the record"),
    [M_DO_OPEN_COUNTED] = N_("open what the row counts: a station's page, the cases, the stations"),
    [M_DO_ADD] = N_("add a record"),
    [M_DO_DELETE] = N_("delete the record (asks first)"),
    [M_DO_EXPORT] = N_("export what the list shows to a CSV file"),
    [M_DO_NEXT_FIELD] = N_("next field (checks this one)"),
    [M_DO_PREV_FIELD] = N_("previous field"),
    [M_DO_SAVE] = N_("save and close"),
    [M_DO_SAVE_NEXT] = N_("save, then a new record keeping places and dates"),
    [M_DO_DITTO] = N_("ditto: copy this field from the previous record"),
    [M_DO_PICK] = N_("pick from the list for this field"),
    [M_DO_CLEAR_FIELD] = N_("clear the field"),
    [M_DO_NEWLINE] = N_("line break in a multi-line field (shown as ⏎)"),
    [M_DO_EDIT] = N_("edit: Left/Right, Home/End, Backspace, Delete"),
    [M_DO_BACK_ASK] = N_("back (asks before discarding what you typed)"),
    [M_FILTER_PROMPT] = N_("Filter: "),
    [M_NO_ROWS] = N_("(no records)"),
    [M_EXPORT_PROMPT] = N_("Export to: "),
    [M_DELETE_ASK] = N_("Delete this record?"),
    [M_DELETED] = N_("Deleted."),
    [M_REFERENCED] = N_("Cannot delete: the record is still referenced"),
    /* TRANSLATORS: between the items of "Referenced by 2 staff, 2 volunteers". */
    [M_REFERENCED_SEP] = N_(", "),
    [M_CHANGED_SINCE] = N_("Someone else changed this record meanwhile; nothing was deleted."),
    [M_GONE] = N_("The record is no longer there (deleted by someone else)."),
    [M_NOTHING_TO_OPEN] = N_("This report's rows open nothing."),
    [M_ERROR] = N_("Error"),
    [M_SAVED] = N_("Saved."),
    [M_SAVED_NEXT] = N_("Saved. Next record:"),
    [M_NOTHING_CHANGED] = N_("Nothing changed."),
    [M_DISCARD_ASK] = N_("Discard what you typed?"),
    [M_CONFLICT] = N_("Saved by someone else first"),
    [M_CONFLICT_BODY] = N_("Someone else saved this record after you opened it:"),
    [M_TOOK_THEIRS] = N_("Their version is shown; what you typed was not saved."),
    [M_GONE_ASK] = N_("Someone else deleted this record after you opened it."),
    [M_REFUSED] = N_("Not saved"),
    [M_NO_DITTO] = N_("Nothing to copy: no previous record has this field."),
    [M_NO_PICK] = N_("This field has no list to pick from."),
    [M_HINT_DATE] = N_("date: 2024-03-05, 2024/3/5 or 2024年3月5日"),
    [M_HINT_LIST] = N_("several values: separate them with ;"),
    [M_HINT_AUTO] = N_("leave empty to have it assigned"),
    [M_HINT_MULTILINE] = N_("several lines: Ctrl-J starts a new line (shown as ⏎)"),
    [M_PICK_NONE] = N_("(nothing matches)"),
    [M_PICK_LOOKING] = N_("(looking...)"),
    [M_CONN_LOST] = N_("Database connection"),
    [M_CONN_RESTORED] = N_("The database connection was lost and has been restored."),
    [M_DRAFT_KEPT] = N_("What you typed is kept as a draft."),
    [M_DRAFTS] = N_("Unsaved input"),
    [M_DRAFTS_BODY] = N_("sgz ended before this input was saved:"),
    [M_DRAFTS_LATER] = N_("r opens it again, d discards it, Esc asks again next time."),
    [M_NEW_RECORD] = N_("new record"),
    [M_DRAFT_CHANGED] = N_("Someone else changed this record since: saving shows what differs."),
    [M_DRAFT_GONE] = N_("The record is no longer there: what you typed opens as a new record."),
    [M_WORKING] = N_("Working... Esc cancels."),
    [M_CANCELLED] = N_("Cancelled."),
    [M_GRID] = N_("grid"),
    [M_DEL_ROW] = N_("del row"),
    [M_DO_GRID] = N_("enter the hours of one activity in a grid"),
    [M_DO_SAVE_ALL] = N_("save all rows"),
    [M_DO_DITTO_ROW] = N_("copy this field from the row above"),
    [M_DO_DEL_ROW] = N_("delete this row"),
    [M_DO_PASTE_ROWS] = N_("rows copied from a spreadsheet (ID, hours, note) fill rows"),
    [M_DO_ROW_DONE] = N_("next field; when the rest of the row is empty, the next row"),
    [M_DO_PICK_VOLUNTEER] = N_("the next volunteer matching what is typed"),
    [M_DO_PAGE_ROWS] = N_("a page of rows down or up, in the same column"),
    [M_RUN] = N_("run"),
    [M_PARAMETERS] = N_("parameters"),
    [M_DO_RUN] = N_("run the selected report with the scope, year and month shown"),
    [M_DO_RUN_N] = N_("run report N directly"),
    [M_DO_PARAMETERS] = N_("next field: scope, year, month, then the reports again"),
    /* TRANSLATORS: the status line of the division browser: "h/l levels". */
    [M_LEVEL] = N_("levels"),
    [M_DO_LEVEL_DOWN] = N_("open the divisions below the selected one"),
    [M_DO_LEVEL_UP] = N_("up one level, back to the division you came from"),
    [M_DO_ADD_BELOW] = N_("add a division at this level, its code prefix filled in"),
    [M_DO_FILTER_BELOW] = N_("filter: a name or a code prefix, at every level below; Esc clears"),
    [M_CERTIFICATE] = N_("certificate"),
    [M_DO_CERTIFICATE] = N_("the volunteer's service certificate, a PDF in the export directory"),
    [M_CERTIFICATE_PROMPT] = N_("Certificate to: "),
    [M_DESK] = N_("Desk"),
    [M_DO_DESK] = N_("the desk: what is due today, each line opening what it counts"),
    [M_DO_MENU_ITEM] = N_("open item N of the main menu"),
    [M_DO_DESK_CELL] = N_("a station's figure: the one Enter opens"),
    [M_PANE] = N_("pane"),
    [M_DO_NEXT_PANE] = N_("next pane of related records (Tab past the last field)"),
    [M_DO_PREV_PANE] = N_("previous pane; from the first, back to the fields"),
    [M_DO_ADD_RELATED] = N_("add one here, the record's fields filled in"),
    [M_PARENT_GONE] = N_("This record was deleted meanwhile: its related records are closed"),
    [M_VISIT] = N_("visit"),
    [M_CLOSE_CASE] = N_("close"),
    [M_EDIT] = N_("edit"),
    [M_DO_ADD_VISIT] = N_("log a visit: today, the case's worker, the next one due"),
    [M_DO_CLOSE_CASE] = N_("close the case: the date and the reason"),
    [M_DO_EDIT_CASE] = N_("edit the case"),
    [M_CASE_CLOSED_ALREADY] = N_("The case is closed already"),
    [M_CLOSE_ANYWAY] = N_("close anyway"),
    [M_SHEET] = N_("sheet"),
    [M_SHEET_NEXT] = N_("next year"),
    [M_DO_SHEET] = N_("the evaluation sheet: score the indicators of its programme's set"),
    [M_DO_SHEET_NEXT] = N_("save and open the next contract year of the same cycle"),
    [M_DO_SHEET_SAVE] = N_("save the evaluation and all its scores, all or nothing"),
    [M_DO_SHEET_RELOAD] = N_("read the sheet again as stored, keeping the scores you typed over it"),
    [M_KEEP_DRAFT] = N_("keep as a draft"),
    [M_SUBMIT] = N_("submit"),
    [M_DO_SUBMIT] = N_("submit the month's report of the selected county (asks first)"),
};

/* gettext with a context (msgctxt), as gettext.h's pgettext(), whose
 * name xgettext knows. */
#define pgettext(ctx, id) ctx_gettext(ctx "\004" id, id)

static const char *ctx_gettext(const char *ctx_id, const char *id)
{
	const char *t = gettext(ctx_id);

	return t == ctx_id ? id : t;
}

/* The main menu's names (spec/keys.md), in the menu's context. */
static const char *menu_label(enum ui_msg m)
{
	if (m == M_STATIONS)
		return pgettext("main menu", "Stations");
	if (m == M_VOLUNTEERS)
		return pgettext("main menu", "Volunteers");
	if (m == M_CASES)
		return pgettext("main menu", "Cases");
	if (m == M_CONTRACTS)
		return pgettext("main menu", "Contracts");
	if (m == M_REPORTS)
		return pgettext("main menu", "Reports");
	if (m == M_ADMIN)
		return pgettext("main menu", "Administration");
	return NULL;
}

static const char *tr(const struct ui *t, enum ui_msg m)
{
	const char *menu = menu_label(m);

	(void)t;
	if (menu)
		return menu;
	return msgs[m] && msgs[m][0] ? _(msgs[m]) : "";
}

/* ---- the services the screens use ---- */

const char *ui_tr(const struct ui *ui, enum ui_msg m)
{
	return tr(ui, m);
}

bool ui_zh(const struct ui *ui)
{
	(void)ui;
	return i18n_lang() == I18N_ZH;
}

struct db *ui_db(struct ui *ui)
{
	return ui->db;
}

/* Said once, the first time reports leave the standby. */
static void say_fell_back(struct ui *ui)
{
	ui_say(ui, _("No standby answers: reports run on the main database until sgz is "
		     "restarted."));
}

struct db *ui_report_db(struct ui *ui)
{
	bool fell_back = false;

	if (!ui->reports || !ui->db)
		return ui->db;
	struct db *db = report_db_get(ui->reports, &fell_back);
	if (fell_back)
		say_fell_back(ui);
	return db;
}

bool ui_report_db_failed(struct ui *ui, struct db *db, const struct sgz_err *err)
{
	if (!ui->reports || !report_db_failed(ui->reports, db, err))
		return false;
	say_fell_back(ui);
	return true;
}

int ui_report_run(struct ui *ui, const struct report_def *def, const struct report_params *p,
		  struct report_result **out, struct sgz_err *err)
{
	bool fell_back = false;
	int rc;

	if (!ui->reports)
		return report_run(ui->db, def, p, out, err);
	rc = report_db_run(ui->reports, def, p, out, &fell_back, err);
	if (fell_back)
		say_fell_back(ui);
	return rc;
}

const char *ui_export_dir(const struct ui *ui)
{
	return ui->export_dir ? ui->export_dir : "";
}

void ui_redraw(struct ui *ui)
{
	ui->dirty = true;
}

void ui_say(struct ui *ui, const char *msg)
{
	free(ui->message);
	/* a message of the model or the database said as it came, in the
	 * reader's language; one of the interface's own is left as it is */
	ui->message = msg && *msg ? msg_tr(msg) : NULL;
	ui->dirty = true;
}

void ui_cursor(struct ui *ui, int y, int x)
{
	ui->cursor_y = y;
	ui->cursor_x = x;
}

struct screen *ui_push_screen(struct ui *t, enum screen_kind kind, int item)
{
	struct screen *s;

	if (t->depth == (int)SGZ_ARRAY_LEN(t->stack))
		abort(); /* the shell never nests this deep */
	s = &t->stack[t->depth++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->item = item;
	t->dirty = true;
	return s;
}

struct screen *ui_top(struct ui *t)
{
	return &t->stack[t->depth - 1];
}

void ui_push_view(struct ui *ui, const struct ui_view_ops *ops, void *view)
{
	struct screen *s = ui_push_screen(ui, SCREEN_VIEW, 0);

	s->ops = ops;
	s->view = view;
}

void ui_pop(struct ui *ui)
{
	struct screen *s;

	if (ui->depth <= 1)
		return;
	s = &ui->stack[--ui->depth];
	if (s->kind == SCREEN_VIEW) {
		s->ops->free(s->view);
#ifdef HAVE_MALLOC_TRIM
		/* A closed list, form or report leaves its rows freed in
		 * the heap, which glibc keeps (a report's text and result
		 * raise its thresholds past their size): give the pages
		 * back, so that a session holds what its open screens
		 * need, not the largest it ever showed (spec/bench.md,
		 * memory). A walk of a heap of a few hundred KB. */
		malloc_trim(0);
#endif
	}
	memset(s, 0, sizeof(*s));
	/* the terminal may still show the popped screen's cells: draw all */
	ui->dirty = true;
}

void ui_help(struct ui *ui)
{
	if (ui->stack[ui->depth - 1].kind != SCREEN_HELP)
		ui_push_screen(ui, SCREEN_HELP, 0);
}

void ui_dialog_close(struct dialog *d)
{
	free(d->title);
	free(d->body);
	memset(d, 0, sizeof(*d));
}

void ui_ask(struct ui *ui, const char *title, const char *body, const struct ui_choice *choices,
	    size_t n, ui_answer_fn fn, void *ctx)
{
	struct dialog *d = &ui->dialog;

	ui_dialog_close(d);
	d->open = true;
	d->title = xstrdup(title ? title : "");
	d->body = xstrdup(body ? body : "");
	d->n = n < DIALOG_CHOICES ? n : DIALOG_CHOICES;
	memcpy(d->choices, choices, d->n * sizeof(*choices));
	d->fn = fn;
	d->ctx = ctx;
	ui->dirty = true;
}

void ui_tell(struct ui *ui, const char *title, const char *body)
{
	const struct ui_choice ok[] = {{'\r', "Enter", M_OK}};

	ui_ask(ui, title, body, ok, 1, NULL, NULL);
}

const char *ui_entity_label(const struct ui *ui, const struct dict_entity *e)
{
	return form_dict_label(e->label, e->label_zh, ui_zh(ui));
}

const char *ui_entity_one(const struct ui *ui, const struct dict_entity *e)
{
	if (ui_zh(ui) && e->label_zh)
		return e->label_zh;
	return e->label_one ? e->label_one : ui_entity_label(ui, e);
}

const char *ui_field_label(const struct ui *ui, const struct dict_field *df)
{
	return form_dict_label(df->label, df->label_zh, ui_zh(ui));
}

int ui_keep_drafts(struct ui *ui)
{
	struct sgz_err err;
	int kept = 0;

	for (int i = 0; i < ui->depth; i++) {
		const struct screen *s = &ui->stack[i];
		if (s->kind != SCREEN_VIEW || !s->ops->keep)
			continue;
		sgz_err_clear(&err);
		if (s->ops->keep(s->view, &err))
			kept++;
		else if (err.msg[0])
			ui_say(ui, err.msg);
	}
	return kept;
}

/* Says err: kind decides where (a dialog or the message line). */
static void say_error(struct ui *ui, const struct sgz_err *err, bool dialog)
{
	struct strbuf sb = {0};
	char *why;

	if (ui->cancelled) {
		ui->cancelled = false;
		ui_say(ui, tr(ui, M_CANCELLED));
		return;
	}
	why = form_tr_message(err->msg);
	sb_adds(&sb, why);
	if (err->conn_lost && ui_keep_drafts(ui) > 0) {
		sb_adds(&sb, dialog ? "\n\n" : " ");
		sb_adds(&sb, tr(ui, M_DRAFT_KEPT));
	}
	if (dialog)
		ui_tell(ui, tr(ui, err->conn_lost ? M_CONN_LOST : M_ERROR), sb_str(&sb));
	else
		ui_say(ui, sb_str(&sb));
	free(why);
	sb_free(&sb);
}

void ui_say_error(struct ui *ui, const struct sgz_err *err)
{
	say_error(ui, err, false);
}

void ui_tell_error(struct ui *ui, const struct sgz_err *err)
{
	say_error(ui, err, true);
}

bool ui_rows_source(struct ui *ui, const struct dict_entity *e, struct listview_source *src)
{
	if (!ui->rows)
		return false;
	ui->rows(ui->rows_ctx, e, src);
	return true;
}

attr_t ui_selected_attr(const struct ui *ui)
{
	(void)ui;
	return A_REVERSE;
}

bool ui_paste_text(struct ui *ui, struct lineedit *le, const wchar_t *s, size_t n)
{
	size_t end = n, len = lineedit_len(le);
	bool lines;
	int rc;

	/* a spreadsheet's cell arrives as "text\r\n": one line, said nothing of */
	while (end > 0 && (s[end - 1] == L'\r' || s[end - 1] == L'\n'))
		end--;
	lines = !lineedit_multiline(le) && (wmemchr(s, L'\n', end) || wmemchr(s, L'\r', end));
	rc = lineedit_paste(le, s, n);
	if (lines)
		ui_say(ui, _("This field holds one line: only the first line was pasted."));
	else if (rc < 0)
		ui_say(ui, _("The field is full: the rest of the pasted text was left out."));
	return lineedit_len(le) != len;
}

/* ---- text measured in columns (STYLE.md 9) ---- */

/* Decodes the next character of s into *wc and its columns into *width;
 * returns its length in bytes, 0 at the end. A tab or line end (libpq's
 * messages go on in "\n\t") is a space on one row; anything undecodable or
 * unprintable becomes '?' so it can never move the cursor. */
static size_t next_char(const char *s, wchar_t *wc, int *width)
{
	mbstate_t st;
	size_t n;

	if (!*s)
		return 0;
	if (*s == '\t' || *s == '\n' || *s == '\r') {
		*wc = L' ';
		*width = 1;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(wc, s, strnlen(s, MB_CUR_MAX), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*width = 1;
		return 1;
	}
	*width = wcwidth(*wc);
	if (*width < 0) {
		*wc = L'?';
		*width = 1;
	}
	return n;
}

int ui_width(const char *s)
{
	wchar_t wc;
	size_t n;
	int w, cols = 0;

	while ((n = next_char(s, &wc, &w)) > 0) {
		cols += w;
		s += n;
	}
	return cols;
}

int ui_put(int y, int x, int width, const char *s, attr_t attr, bool fill)
{
	wchar_t buf[64];
	wchar_t wc;
	size_t len, n = 0;
	int w, cols = 0;
	bool cut = false;

	if (width <= 0)
		return 0;
	wattrset(stdscr, (int)attr);
	wmove(stdscr, y, x);
	while ((len = next_char(s, &wc, &w)) > 0) {
		if (cols + w > width) {
			cut = true;
			break;
		}
		buf[n++] = wc;
		cols += w;
		s += len;
		if (n == SGZ_ARRAY_LEN(buf)) {
			waddnwstr(stdscr, buf, (int)n);
			n = 0;
		}
	}
	if (n)
		waddnwstr(stdscr, buf, (int)n);
	if (fill || cut) {
		for (; cols < width; cols++)
			waddch(stdscr, ' ');
	}
	wattrset(stdscr, A_NORMAL);
	return cols;
}

/* Wraps s at width columns, each of its lines ('\n': a libpq message's
 * lines) a paragraph of its own, tabs as spaces; the first max lines (at
 * most 8) go into starts and lens. Returns how many lines s takes. The
 * caller frees *w. */
static size_t wrap_lines(const char *s, int width, wchar_t **w, size_t *starts, size_t *lens,
			 size_t max)
{
	size_t n, at = 0, lines = 0;
	wchar_t *t = *w = width_from_utf8(s, &n);

	for (size_t i = 0; i < n; i++)
		if (t[i] == L'\t' || t[i] == L'\r')
			t[i] = L' ';
	while (n > 0 && t[n - 1] == L'\n')
		n--;
	while (at < n) {
		size_t end = at, got, st[8], ln[8];

		while (end < n && t[end] != L'\n')
			end++;
		if (end == at) { /* an empty line between two */
			got = 1;
			st[0] = ln[0] = 0;
		} else {
			got = width_wrap(t + at, end - at, width, st, ln, SGZ_ARRAY_LEN(st));
		}
		for (size_t k = 0; k < got && k < SGZ_ARRAY_LEN(st) && lines + k < max; k++) {
			starts[lines + k] = at + st[k];
			lens[lines + k] = ln[k];
		}
		lines += got;
		at = end + 1;
	}
	return lines;
}

int ui_lines(const char *s, int width)
{
	size_t start[1], len[1];
	wchar_t *w;
	int lines = width > 1 ? (int)wrap_lines(s, width, &w, start, len, 0) : 1;

	if (width > 1)
		free(w);
	return lines;
}

int ui_put_lines(int bottom, int x, int width, int max, const char *s, attr_t attr)
{
	size_t starts[8], lens[8], lines;
	wchar_t *w;

	if (max < 1 || width < 2)
		return 0;
	if (max > (int)SGZ_ARRAY_LEN(starts))
		max = (int)SGZ_ARRAY_LEN(starts);
	lines = wrap_lines(s, width, &w, starts, lens, (size_t)max);
	if (lines > (size_t)max)
		lines = (size_t)max;
	for (size_t k = 0; k < lines; k++) {
		char *line = width_to_utf8(w + starts[k], lens[k]);
		ui_put(bottom - (int)(lines - 1 - k), x, width, line, attr, true);
		free(line);
	}
	free(w);
	return (int)lines;
}

/* ---- keys the modules add to lists ---- */

const struct ui_list_key *ui_list_key(const struct ui *ui, const struct dict_entity *e)
{
	for (size_t i = 0; i < ui->nlist_keys; i++)
		if (strcmp(ui->list_keys[i].entity, e->name) == 0)
			return &ui->list_keys[i];
	return NULL;
}

const struct ui_record_opener *ui_record_opener(const struct ui *ui, const struct dict_entity *e)
{
	for (size_t i = 0; i < ui->nopeners; i++)
		if (strcmp(ui->openers[i].entity, e->name) == 0)
			return &ui->openers[i];
	return NULL;
}

const struct ui_record_head *ui_record_head(const struct ui *ui, const struct dict_entity *e)
{
	for (size_t i = 0; i < ui->nheads; i++)
		if (strcmp(ui->heads[i].entity, e->name) == 0)
			return &ui->heads[i];
	return NULL;
}

/* ---- the status line and dialogs ---- */

/* The keys that work here, on the last row (spec/keys.md). */
void ui_draw_status(const struct ui *t, const struct ui_keyinfo *keys, size_t n)
{
	struct strbuf line = {0};
	size_t i;

	if (t->dialog.open) {
		for (i = 0; i < t->dialog.n; i++)
			sb_addf(&line, "%s%s %s", i ? "  " : "", t->dialog.choices[i].key_name,
				tr(t, t->dialog.choices[i].text));
		if (t->dialog.n != 1 || t->dialog.choices[0].key != '\r')
			sb_addf(&line, "  Esc %s", tr(t, M_CANCEL));
	} else {
		for (i = 0; i < n; i++) {
			if (!keys[i].short_key)
				continue;
			sb_addf(&line, "%s%s %s", line.len ? "  " : "", keys[i].short_key,
				tr(t, keys[i].short_text));
		}
	}
	/* Never the last column of the last row: writing there scrolls some terminals. */
	ui_put(LINES - 1, 1, COLS - 2, sb_str(&line), A_NORMAL, false);
	sb_free(&line);
}

/* The dialog: a box in the middle, ASCII borders (never ambiguous-width
 * symbols), the body's lines wrapped to its width. */
void ui_draw_dialog(const struct ui *t)
{
	const struct dialog *d = &t->dialog;
	int width = COLS - 10 < 70 ? COLS - 10 : 70, inner = width - 4;
	struct strbuf wrapped = {0};
	const char *p;
	int lines = 0, y, x, i;

	/* wrap the body by columns */
	for (p = d->body; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *para = xstrndup(p, len);
		const char *q = para;
		do {
			wchar_t wc;
			int w, cols = 0;
			size_t k, take = 0;
			while ((k = next_char(q + take, &wc, &w)) > 0 && cols + w <= inner) {
				cols += w;
				take += k;
			}
			sb_addn(&wrapped, q, take);
			sb_addc(&wrapped, '\n');
			lines++;
			q += take;
		} while (*q);
		free(para);
		p += len + (nl ? 1 : 0);
	}
	if (lines > LINES - 8)
		lines = LINES - 8;
	y = (LINES - lines - 4) / 2;
	x = (COLS - width) / 2;
	for (i = 0; i < lines + 4; i++) {
		bool edge = i == 0 || i == lines + 3;
		ui_put(y + i, x, width, "", A_NORMAL, true);
		wattrset(stdscr, A_NORMAL);
		mvwaddch(stdscr, y + i, x, edge ? '+' : '|');
		mvwaddch(stdscr, y + i, x + width - 1, edge ? '+' : '|');
		if (edge)
			mvwhline(stdscr, y + i, x + 1, '-', width - 2);
	}
	ui_put(y, x + 2, width - 4, d->title, A_BOLD, false);
	p = sb_str(&wrapped);
	for (i = 0; i < lines && *p; i++) {
		const char *nl = strchr(p, '\n');
		char *row = xstrndup(p, (size_t)(nl - p));
		ui_put(y + 2 + i, x + 2, inner, row, A_NORMAL, false);
		free(row);
		p = nl + 1;
	}
	sb_free(&wrapped);
}

void ui_dialog_key(struct ui *t, bool fn, wint_t wc)
{
	struct dialog *d = &t->dialog;
	wint_t answer = 0;
	ui_answer_fn fn_cb = d->fn;
	void *ctx = d->ctx;

	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		answer = UI_KEY_ESC;
	} else if (fn && wc == KEY_ENTER) {
		wc = '\r';
		fn = false;
	}
	for (size_t i = 0; !answer && !fn && i < d->n; i++) {
		wint_t k = d->choices[i].key;
		if (wc == k || (k == '\r' && wc == '\n') ||
		    (k < 128 && wc < 128 && (wc | 0x20) == (k | 0x20) && k >= 'a'))
			answer = k;
	}
	if (!answer)
		return;
	/* the answer may open another dialog */
	ui_dialog_close(d);
	t->dirty = true;
	if (fn_cb)
		fn_cb(t, ctx, answer);
}

/* ---- a line asked on the bottom line ---- */

/* clang-format off */
static const struct ui_keyinfo line_keys[] = {
	{ "Enter", "Enter", M_OK, M_DO_OPEN },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

void ui_line_close(struct ui *t)
{
	struct ask_line *l = &t->line;
	void (*free_ctx)(void *) = l->free_ctx;
	void *ctx = l->ctx;

	l->open = false;
	l->done = NULL;
	l->ctx = NULL;
	l->free_ctx = NULL;
	t->dirty = true;
	if (free_ctx)
		free_ctx(ctx);
}

void ui_ask_line(struct ui *ui, enum ui_msg prompt, const char *text, ui_line_fn done, void *ctx,
		 void (*free_ctx)(void *ctx))
{
	struct ask_line *l = &ui->line;

	ui_line_close(ui);
	if (!l->le)
		l->le = lineedit_new(40, 255);
	lineedit_set_utf8(l->le, text ? text : "");
	lineedit_end(l->le);
	l->prompt = prompt;
	l->done = done;
	l->ctx = ctx;
	l->free_ctx = free_ctx;
	l->open = true;
}

void ui_line_key(struct ui *t, bool fn, wint_t wc)
{
	struct ask_line *l = &t->line;

	t->dirty = true;
	if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		char *text = lineedit_get_utf8(l->le);
		ui_line_fn done = l->done;
		/* closed before done(), which may ask again; its context kept
		 * until the next line is asked or this one is closed */
		l->open = false;
		if (done)
			done(t, l->ctx, text);
		free(text);
		return;
	}
	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		ui_line_close(t);
		return;
	}
	lineedit_key(l->le, fn, wc);
}

void ui_line_paste(struct ui *t, const wchar_t *s, size_t n)
{
	ui_paste_text(t, t->line.le, s, n);
}

void ui_draw_line(struct ui *t, int y)
{
	struct ask_line *l = &t->line;
	int x, w;

	ui_put(y, 0, COLS, "", A_NORMAL, true);
	x = 1 + ui_put(y, 1, COLS - 2, ui_tr(t, l->prompt), A_BOLD, false);
	w = COLS - x - 2;
	if (w < 1)
		return;
	if (lineedit_width(l->le) != w)
		lineedit_set_width(l->le, w);
	lineedit_draw(stdscr, y, x, l->le, A_NORMAL, L'_', true);
	ui_cursor(t, y, x + lineedit_cursor_col(l->le));
}

const struct ui_keyinfo *ui_line_keys(size_t *n)
{
	*n = SGZ_ARRAY_LEN(line_keys);
	return line_keys;
}
