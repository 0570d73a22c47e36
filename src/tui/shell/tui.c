/* tui.c - the interface shell: the poll loop, signals, resize, the screen
 * stack (main menu, submenus of entities, lists, forms, help), dialogs, the
 * message and status lines, and the language table. The lists and forms
 * themselves are screen_list.c and screen_form.c. */
#include "config.h"

#include "sgz/tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "sgz/async.h"
#include "sgz/browse.h"
#include "sgz/dict.h"
#include "sgz/draft.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/picker.h"
#include "sgz/screens.h"
#include "sgz/validate.h"
#include "sgz/width.h"

/* The design size (DESIGN.md): everything must fit in it. */
#define MIN_COLS 80
#define MIN_ROWS 24

/* Long enough for an arrow key's escape sequence over SSH, short enough that
 * Esc feels instant. */
#define ESC_DELAY_MS 50

/* A terminal that polls readable yet yields no key this many times in a row
 * has hung up (EOF or EIO): a split UTF-8 character costs one or two. */
#define EMPTY_READS_MAX 16

#define KEY_CTRL_L 12

/* Keys typed while a query ran, kept for after it. */
#define PENDING_MAX 64
/* Bracketed paste (xterm's mode 2004): the keys ncurses returns for the
 * marks around pasted text, and the most a paste may bring. A paste that
 * ends while a query runs waits whole in the paste buffer; KEY_PASTE_READY
 * (never a terminal's key) holds its place among the keys typed around it. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END	(KEY_MAX + 2)
#define KEY_PASTE_READY (KEY_MAX + 3)
#define PASTE_MAX	(1024 * 1024)

/* Drafts offered at the start: the dialog lists this many. */
#define DRAFTS_SHOWN 6

/* The texts of enum ui_msg: English msgids, translated by ui_tr(). No
 * format strings here: those are written where they are used, so the
 * compiler checks their arguments. The main menu's names are the menu
 * context's (menu_label()): "Stations" the menu item is 站点台账, the
 * entity 社工站. */
static const char *const msgs[M_COUNT] = {
    [M_NONE] = "",
    [M_TITLE] = "sgz 社工站", /* the name, the same in every language */
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

/* The main menu, in the order of spec/keys.md: users type the numbers blind. */
static const enum ui_msg menu_items[] = {
    M_STATIONS, M_VOLUNTEERS, M_CASES, M_CONTRACTS, M_REPORTS, M_ADMIN,
};

/* The entities behind each main menu item, by import name; NULL: not yet. */
static const char *const stations_menu[] = {"divisions", "stations", "service_points",
					    "staff",	 "plans",    NULL};
static const char *const volunteers_menu[] = {"volunteers", "activities", "hours", NULL};
static const char *const cases_menu[] = {"recipients", "cases", "visits", NULL};
static const char *const contracts_menu[] = {"organizations", "contracts", "evaluations", NULL};
static const char *const *const submenus[] = {
    stations_menu, volunteers_menu, cases_menu, contracts_menu, NULL, NULL,
};

/* One key per row, in the order help lists them (clang-format would pack them). */
/* clang-format off */
static const struct ui_keyinfo menu_keys[] = {
	{ "1-6", "1-6", M_OPEN, M_DO_OPEN_N },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
	{ "q", "q", M_QUIT, M_DO_QUIT },
};

static const struct ui_keyinfo submenu_keys[] = {
	{ "1-9", "1-9", M_OPEN, M_DO_OPEN_N },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};


static const struct ui_keyinfo help_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_CLOSE_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

enum screen_kind {
	SCREEN_MENU,	/* the main menu */
	SCREEN_SUBMENU, /* the entities of a main menu item */
	SCREEN_HELP,	/* the keys of the screen below it */
	SCREEN_LIST,	/* an entity's list */
	SCREEN_FORM,	/* a record's form */
	SCREEN_GRID,	/* the hours grid */
	SCREEN_VIEW,	/* a screen of its own behind struct ui_view_ops */
};

struct screen {
	enum screen_kind kind;
	int item;     /* SCREEN_SUBMENU: index into menu_items */
	int selected; /* SCREEN_MENU, SCREEN_SUBMENU */
	struct list_screen *ls;
	struct form_screen *fs;
	struct grid_screen *gs;
	const struct ui_view_ops *ops; /* SCREEN_VIEW */
	void *view;
};

#define DIALOG_CHOICES 4

struct dialog {
	bool open;
	char *title;
	char *body;
	struct ui_choice choices[DIALOG_CHOICES];
	size_t n;
	ui_answer_fn fn;
	void *ctx;
};

struct pending_key {
	bool fn;
	wint_t wc;
};

struct ui {
	const struct tui_opts *opts;
	struct db *db;
	int fd;	       /* the terminal (standard input) */
	WINDOW *input; /* a 1x1 pad keys are read through: reading a pad never refreshes */
	attr_t bar;    /* the title bar: reverse, or a colour pair */
	struct screen stack[12];
	int depth;
	struct dialog dialog;
	char *message; /* the message line, until the next key */
	int cursor_y;  /* where a text field wants the cursor, or -1 */
	int cursor_x;
	bool cursor_on;	 /* the terminal's cursor is shown */
	bool dirty;	 /* the screen must be drawn again */
	bool quit;	 /* q on the main menu */
	int empty_reads; /* see EMPTY_READS_MAX */
	bool lost;	 /* the terminal hung up (noticed while a query ran) */
	bool cancelled;	 /* the user cancelled the query that just ended */
	bool drawing;	 /* inside draw(): a query's wait must not doupdate() */
	struct pending_key pending[PENDING_MAX];
	bool pasting;	  /* inside a bracketed paste */
	bool paste_ready; /* a whole paste waits in paste for its turn (KEY_PASTE_READY) */
	bool paste_over;  /* the paste brought more than PASTE_MAX: refused whole */
	bool paste_skip;  /* the rest of this paste is dropped: one waits already, */
	bool paste_lost;  /* or a cancel took it; said when the next one is delivered */
	wchar_t *paste;	  /* what it brought so far */
	size_t npaste, paste_cap;
	size_t npending;
	struct draft **drafts; /* offered at the start */
	size_t ndrafts;
	ui_rows_fn rows; /* tests: lists over rows in memory */
	void *rows_ctx;
};

/* Signals become flags and a byte on a pipe the loop polls (STYLE.md 8). */
static volatile sig_atomic_t sig_quit; /* the signal that ends the interface, or 0 */
static volatile sig_atomic_t sig_winch;
static volatile sig_atomic_t sig_cont;
static int sig_pipe[2] = {-1, -1};

static const int handled_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGWINCH, SIGCONT};
static struct sigaction saved_actions[SGZ_ARRAY_LEN(handled_signals)];

static SCREEN *curses_screen;
static bool curses_on; /* between newterm() and endwin(): what the exit paths undo */
static bool paste_on;  /* bracketed paste asked of the terminal (after the first draw) */

static const char *tr(const struct ui *t, enum ui_msg m)
{
	const char *menu = menu_label(m);

	(void)t;
	if (menu)
		return menu;
	return msgs[m] && msgs[m][0] ? _(msgs[m]) : "";
}

/* ---- the services the screens use (screens.h) ---- */

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

const char *ui_export_dir(const struct ui *ui)
{
	return ui->opts->export_dir ? ui->opts->export_dir : "";
}

void ui_redraw(struct ui *ui)
{
	ui->dirty = true;
}

void ui_say(struct ui *ui, const char *msg)
{
	free(ui->message);
	ui->message = msg && *msg ? xstrdup(msg) : NULL;
	ui->dirty = true;
}

void ui_cursor(struct ui *ui, int y, int x)
{
	ui->cursor_y = y;
	ui->cursor_x = x;
}

static struct screen *push(struct ui *t, enum screen_kind kind, int item)
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

void ui_push_list(struct ui *ui, struct list_screen *ls)
{
	push(ui, SCREEN_LIST, 0)->ls = ls;
}

void ui_push_form(struct ui *ui, struct form_screen *fs)
{
	push(ui, SCREEN_FORM, 0)->fs = fs;
}

void ui_push_grid(struct ui *ui, struct grid_screen *gs)
{
	push(ui, SCREEN_GRID, 0)->gs = gs;
}

void ui_push_view(struct ui *ui, const struct ui_view_ops *ops, void *view)
{
	struct screen *s = push(ui, SCREEN_VIEW, 0);

	s->ops = ops;
	s->view = view;
}

void ui_pop(struct ui *ui)
{
	struct screen *s;

	if (ui->depth <= 1)
		return;
	s = &ui->stack[--ui->depth];
	switch (s->kind) {
	case SCREEN_LIST:
		list_screen_free(s->ls);
		break;
	case SCREEN_FORM:
		form_screen_free(s->fs);
		break;
	case SCREEN_GRID:
		grid_screen_free(s->gs);
		break;
	case SCREEN_VIEW:
		s->ops->free(s->view);
		break;
	case SCREEN_MENU:
	case SCREEN_SUBMENU:
	case SCREEN_HELP:
		break;
	}
	memset(s, 0, sizeof(*s));
	/* the terminal may still show the popped screen's cells: draw all */
	ui->dirty = true;
}

void ui_help(struct ui *ui)
{
	if (ui->stack[ui->depth - 1].kind != SCREEN_HELP)
		push(ui, SCREEN_HELP, 0);
}

static void dialog_close(struct dialog *d)
{
	free(d->title);
	free(d->body);
	memset(d, 0, sizeof(*d));
}

void ui_ask(struct ui *ui, const char *title, const char *body, const struct ui_choice *choices,
	    size_t n, ui_answer_fn fn, void *ctx)
{
	struct dialog *d = &ui->dialog;

	dialog_close(d);
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

const char *ui_field_label(const struct ui *ui, const struct dict_field *df)
{
	return form_dict_label(df->label, df->label_zh, ui_zh(ui));
}

int ui_keep_drafts(struct ui *ui)
{
	struct sgz_err err;
	int kept = 0;

	for (int i = 0; i < ui->depth; i++) {
		bool done;
		if (ui->stack[i].kind != SCREEN_FORM && ui->stack[i].kind != SCREEN_GRID)
			continue;
		sgz_err_clear(&err);
		if (ui->stack[i].kind == SCREEN_GRID)
			done = grid_screen_keep(ui->stack[i].gs, &err);
		else
			done = form_screen_keep(ui->stack[i].fs, &err);
		if (done)
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

void ui_paste_picker(struct ui *ui, struct picker *pk, const wchar_t *s, size_t n)
{
	struct lineedit *line = lineedit_new(1, 0);
	const wchar_t *text;
	size_t len;

	/* the first line, tabs as spaces, no control characters: each one a
	 * key the picker's filter takes as typed (but Space, a tick there) */
	ui_paste_text(ui, line, s, n);
	text = lineedit_text(line, &len);
	for (size_t i = 0; i < len && pk->open; i++)
		if (!(pk->multi && text[i] == L' '))
			picker_key(pk, false, (wint_t)text[i]);
	lineedit_free(line);
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

static int text_width(const char *s)
{
	return ui_width(s);
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

static int put_text(int y, int x, int width, const char *s, attr_t attr, bool fill)
{
	return ui_put(y, x, width, s, attr, fill);
}

/* ---- drawing: each screen is drawn whole into stdscr; curses sends only
 * the cells that differ from what the terminal already shows ---- */

static struct screen *top(struct ui *t)
{
	return &t->stack[t->depth - 1];
}

/* The entity of item i of submenu s, or NULL. */
static const struct dict_entity *submenu_entity(const struct screen *s, int i)
{
	const char *const *names = submenus[s->item];

	return names ? dict_find(names[i]) : NULL;
}

static int submenu_count(const struct screen *s)
{
	const char *const *names = submenus[s->item];
	int n = 0;

	while (names && names[n])
		n++;
	return n;
}

static const char *screen_name(const struct ui *t, const struct screen *s)
{
	switch (s->kind) {
	case SCREEN_MENU:
		return tr(t, M_MAIN_MENU);
	case SCREEN_SUBMENU:
		return tr(t, menu_items[s->item]);
	case SCREEN_HELP:
		return tr(t, M_HELP);
	case SCREEN_LIST:
		return list_screen_title(s->ls);
	case SCREEN_FORM:
		return form_screen_title(s->fs);
	case SCREEN_GRID:
		return grid_screen_title(s->gs);
	case SCREEN_VIEW:
		return s->ops->title(s->view);
	}
	return "";
}

static const struct ui_keyinfo *screen_keys(const struct screen *s, size_t *n)
{
	switch (s->kind) {
	case SCREEN_MENU:
		*n = SGZ_ARRAY_LEN(menu_keys);
		return menu_keys;
	case SCREEN_SUBMENU:
		*n = SGZ_ARRAY_LEN(submenu_keys);
		return submenu_keys;
	case SCREEN_HELP:
		*n = SGZ_ARRAY_LEN(help_keys);
		return help_keys;
	case SCREEN_LIST:
		return list_screen_keys(s->ls, n);
	case SCREEN_FORM:
		return form_screen_keys(s->fs, n);
	case SCREEN_GRID:
		return grid_screen_keys(s->gs, n);
	case SCREEN_VIEW:
		return s->ops->keys(s->view, n);
	}
	*n = 0;
	return NULL;
}

/* The keys of the status line: what works right now. */
static const struct ui_keyinfo *status_keys(const struct screen *s, size_t *n)
{
	static const char *const ranges[] = {"1",   "1",   "1-2", "1-3", "1-4",
					     "1-5", "1-6", "1-7", "1-8", "1-9"};
	static struct ui_keyinfo sub[SGZ_ARRAY_LEN(submenu_keys)];
	int items;

	switch (s->kind) {
	case SCREEN_LIST:
		return list_screen_status_keys(s->ls, n);
	case SCREEN_FORM:
		return form_screen_status_keys(s->fs, n);
	case SCREEN_GRID:
		return grid_screen_keys(s->gs, n);
	case SCREEN_VIEW:
		if (s->ops->status_keys)
			return s->ops->status_keys(s->view, n);
		break;
	case SCREEN_SUBMENU:
		/* "1-5 open": the numbers this submenu has */
		items = submenu_count(s);
		memcpy(sub, submenu_keys, sizeof(sub));
		sub[0].short_key = ranges[items < 10 ? items : 9];
		*n = SGZ_ARRAY_LEN(sub);
		return sub;
	case SCREEN_MENU:
	case SCREEN_HELP:
		break;
	}
	return screen_keys(s, n);
}

static void draw_title(const struct ui *t)
{
	const char *where = t->opts->where ? t->opts->where : "";
	int used, w;

	put_text(0, 0, COLS, "", t->bar, true);
	used = 1 + put_text(0, 1, COLS - 2, tr(t, M_TITLE), t->bar, false);
	/* user@database on the right, shortened rather than over the title */
	w = text_width(where);
	if (w > COLS - used - 3)
		w = COLS - used - 3;
	if (w > 0)
		put_text(0, COLS - 1 - w, w, where, t->bar, false);
}

static void draw_heading(const char *a, const char *b)
{
	int x = 2;

	x += put_text(2, x, COLS - x - 2, a, A_BOLD, false);
	put_text(2, x, COLS - x - 2, b, A_BOLD, false);
}

/* Items as " N  Label", the selected one as a bar: every row highlights the
 * same width, so moving the selection rewrites just two short runs. */
static void draw_items(const char *const *labels, int n, int selected)
{
	char line[160];
	int i, w, width = 0;

	for (i = 0; i < n; i++) {
		w = text_width(labels[i]);
		if (w > width)
			width = w;
	}
	width += 6;
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), " %d  %s", i + 1, labels[i]);
		put_text(4 + i, 4, width, line, i == selected ? A_REVERSE : A_NORMAL,
			 i == selected);
	}
}

static void draw_menu(const struct ui *t, const struct screen *s)
{
	const char *labels[SGZ_ARRAY_LEN(menu_items)];
	int i;

	draw_heading(tr(t, M_MAIN_MENU), "");
	for (i = 0; i < (int)SGZ_ARRAY_LEN(menu_items); i++)
		labels[i] = tr(t, menu_items[i]);
	draw_items(labels, (int)SGZ_ARRAY_LEN(menu_items), s->selected);
}

static void draw_submenu(const struct ui *t, const struct screen *s)
{
	const char *labels[16];
	int i, n = submenu_count(s);

	draw_heading(tr(t, menu_items[s->item]), "");
	for (i = 0; i < n && i < 16; i++) {
		const struct dict_entity *e = submenu_entity(s, i);
		labels[i] = e ? ui_entity_label(t, e) : "?";
	}
	draw_items(labels, n, s->selected);
}

static void draw_help(const struct ui *t)
{
	const struct screen *of = &t->stack[t->depth - 2];
	const struct ui_keyinfo *keys;
	size_t i, n;
	int w, kw = 0;

	struct strbuf title = {0};

	/* TRANSLATORS: the title of a help screen: the screen's name follows. */
	sb_addf(&title, _("Help: %s"), screen_name(t, of));
	draw_heading(sb_str(&title), "");
	sb_free(&title);
	keys = screen_keys(of, &n);
	for (i = 0; i < n; i++) {
		w = text_width(keys[i].key);
		if (w > kw)
			kw = w;
	}
	for (i = 0; i < n && 4 + (int)i < LINES - 2; i++) {
		put_text(4 + (int)i, 4, kw, keys[i].key, A_BOLD, false);
		put_text(4 + (int)i, 4 + kw + 3, COLS - kw - 9, tr(t, keys[i].text), A_NORMAL,
			 false);
	}
}

/* The keys that work here, on the last row (spec/keys.md). */
static void draw_status(const struct ui *t, const struct screen *s)
{
	const struct ui_keyinfo *keys = NULL;
	struct strbuf line = {0};
	size_t i, n = 0;

	if (t->dialog.open) {
		for (i = 0; i < t->dialog.n; i++)
			sb_addf(&line, "%s%s %s", i ? "  " : "", t->dialog.choices[i].key_name,
				tr(t, t->dialog.choices[i].text));
		if (t->dialog.n != 1 || t->dialog.choices[0].key != '\r')
			sb_addf(&line, "  Esc %s", tr(t, M_CANCEL));
	} else {
		keys = status_keys(s, &n);
		for (i = 0; i < n; i++) {
			if (!keys[i].short_key)
				continue;
			sb_addf(&line, "%s%s %s", line.len ? "  " : "", keys[i].short_key,
				tr(t, keys[i].short_text));
		}
	}
	/* Never the last column of the last row: writing there scrolls some terminals. */
	put_text(LINES - 1, 1, COLS - 2, sb_str(&line), A_NORMAL, false);
	sb_free(&line);
}

/* The dialog: a box in the middle, ASCII borders (never ambiguous-width
 * symbols), the body's lines wrapped to its width. */
static void draw_dialog(const struct ui *t)
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
		put_text(y + i, x, width, "", A_NORMAL, true);
		wattrset(stdscr, A_NORMAL);
		mvwaddch(stdscr, y + i, x, edge ? '+' : '|');
		mvwaddch(stdscr, y + i, x + width - 1, edge ? '+' : '|');
		if (edge)
			mvwhline(stdscr, y + i, x + 1, '-', width - 2);
	}
	put_text(y, x + 2, width - 4, d->title, A_BOLD, false);
	p = sb_str(&wrapped);
	for (i = 0; i < lines && *p; i++) {
		const char *nl = strchr(p, '\n');
		char *row = xstrndup(p, (size_t)(nl - p));
		put_text(y + 2 + i, x + 2, inner, row, A_NORMAL, false);
		free(row);
		p = nl + 1;
	}
	sb_free(&wrapped);
}

static void draw_too_small(struct ui *t)
{
	const char *m = tr(t, M_TOO_SMALL);
	int w = text_width(m);

	put_text(LINES / 2, w < COLS ? (COLS - w) / 2 : 0, COLS - 1, m, A_NORMAL, false);
	/* q is the one key that works here (on_key), so the status line says so */
	if (top(t)->kind == SCREEN_MENU && LINES >= 3) {
		w = put_text(LINES - 1, 1, COLS - 2, "q ", A_NORMAL, false);
		put_text(LINES - 1, 1 + w, COLS - 2 - w, tr(t, M_QUIT), A_NORMAL, false);
	}
}

static bool too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_ROWS;
}

/* Shows the cursor where a text field wants it, hides it elsewhere. */
static void place_cursor(struct ui *t)
{
	bool want = t->cursor_y >= 0 && !t->dialog.open;

	if (want) {
		leaveok(stdscr, FALSE);
		wmove(stdscr, t->cursor_y, t->cursor_x);
	} else {
		leaveok(stdscr, TRUE);
	}
	if (want != t->cursor_on) {
		curs_set(want ? 1 : 0);
		t->cursor_on = want;
	}
}

/* Draws the top screen and sends the difference: one doupdate per loop. */
static void draw(struct ui *t)
{
	struct screen *s = top(t);

	t->drawing = true;
	werase(stdscr);
	t->cursor_y = t->cursor_x = -1;
	if (too_small()) {
		draw_too_small(t);
	} else {
		draw_title(t);
		switch (s->kind) {
		case SCREEN_MENU:
			draw_menu(t, s);
			break;
		case SCREEN_SUBMENU:
			draw_submenu(t, s);
			break;
		case SCREEN_HELP:
			draw_help(t);
			break;
		case SCREEN_LIST:
			list_screen_draw(s->ls, 1, LINES - 2);
			break;
		case SCREEN_FORM:
			form_screen_draw(s->fs, 1, LINES - 2);
			break;
		case SCREEN_GRID:
			grid_screen_draw(s->gs, 1, LINES - 2);
			break;
		case SCREEN_VIEW:
			s->ops->draw(s->view, 1, LINES - 2);
			break;
		}
		/* a long message takes the rows above its own (until the next key);
		 * over a text field on its row (a list's filter), the rows above it */
		if (t->message)
			ui_put_lines(t->cursor_y == LINES - 2 ? LINES - 3 : LINES - 2, 1, COLS - 2,
				     3, t->message, A_NORMAL);
		draw_status(t, s);
		if (t->dialog.open)
			draw_dialog(t);
	}
	place_cursor(t);
	wnoutrefresh(stdscr);
	doupdate();
	if (!paste_on && curses_on) {
		/* after the switch to the alternate screen, whose modes are its own */
		static const char on[] = "\033[?2004h";
		paste_on = write(STDOUT_FILENO, on, sizeof(on) - 1) == (ssize_t)sizeof(on) - 1;
	}
	t->dirty = false;
	t->drawing = false;
}

/* ---- keys ---- */

static void open_submenu_item(struct ui *t, struct screen *s, int i)
{
	const struct dict_entity *e = submenu_entity(s, i);
	struct list_screen *ls;

	s->selected = i;
	t->dirty = true;
	if (!e)
		return;
	if (strcmp(e->name, "divisions") == 0) {
		division_screen_open(t);
		return;
	}
	ls = list_screen_new(t, e);
	if (ls)
		ui_push_list(t, ls);
}

static void open_menu_item(struct ui *t, int i)
{
	/* a screen that cannot open has said why; the menu stays */
	if (submenus[i])
		push(t, SCREEN_SUBMENU, i);
	else if (menu_items[i] == M_REPORTS)
		report_screen_open(t);
	else if (menu_items[i] == M_ADMIN)
		admin_screen_open(t);
}

/* Up/Down, k/j, Enter, 1-N over n items; returns the item to open or -1. */
static int items_key(struct ui *t, struct screen *s, int n, bool fn, wint_t wc)
{
	if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (s->selected > 0) {
			s->selected--;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (s->selected < n - 1) {
			s->selected++;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		return s->selected;
	} else if (!fn && wc >= L'1' && wc < (wint_t)(L'1' + n) && wc <= L'9') {
		/* the selection follows, so Esc comes back to the item opened */
		s->selected = (int)(wc - L'1');
		return s->selected;
	}
	return -1;
}

static void menu_key(struct ui *t, struct screen *s, bool fn, wint_t wc)
{
	int i = items_key(t, s, (int)SGZ_ARRAY_LEN(menu_items), fn, wc);

	if (i >= 0)
		open_menu_item(t, i);
	else if (!fn && wc == L'q')
		t->quit = true;
}

/* Takes the terminal's size again and repaints everything: after a resize or
 * a suspend the terminal may have rearranged or lost what it showed. */
static void resize(struct ui *t)
{
	struct winsize ws;

	if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    is_term_resized(ws.ws_row, ws.ws_col))
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	t->dirty = true;
}

static void dialog_key(struct ui *t, bool fn, wint_t wc)
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
	dialog_close(d);
	t->dirty = true;
	if (fn_cb)
		fn_cb(t, ctx, answer);
}

static void on_key(struct ui *t, bool fn, wint_t wc);

/* What a bracketed paste may go into (spec/keys.md): a text field with the
 * focus, or the grid. A list, a menu, a dialog, help, a report, the tree
 * take none of it: their keys are commands, and pasted text run as
 * commands deletes records ("dy" on a list). */
static void paste_done(struct ui *t)
{
	struct screen *s = top(t);
	size_t n = t->npaste;
	bool over = t->paste_over, lost = t->paste_lost, taken = false;

	t->npaste = 0;
	t->paste_over = t->paste_lost = false;
	free(t->message);
	t->message = NULL;
	t->dirty = true;
	if (over) {
		ui_say(t, _("The pasted text is too long (over a million characters): nothing "
			    "was pasted."));
		return;
	}
	if (n == 0 && !lost)
		return;
	if (n > 0 && !t->dialog.open && !too_small()) {
		switch (s->kind) {
		case SCREEN_GRID:
			grid_screen_paste(s->gs, t->paste, n);
			taken = true;
			break;
		case SCREEN_LIST:
			taken = list_screen_paste(s->ls, t->paste, n);
			break;
		case SCREEN_FORM:
			taken = form_screen_paste(s->fs, t->paste, n);
			break;
		case SCREEN_VIEW:
			taken = s->ops->paste && s->ops->paste(s->view, t->paste, n);
			break;
		case SCREEN_MENU:
		case SCREEN_SUBMENU:
		case SCREEN_HELP:
			break;
		}
	}
	if (lost && (taken || n == 0))
		ui_say(t, _("Text pasted while sgz was busy was left out: paste it again."));
	else if (!taken)
		ui_say(t, _("Pasted text goes only into a text field or the hours grid: nothing "
			    "was pasted here."));
}

enum paste_step {
	PASTE_NONE,  /* not part of a paste */
	PASTE_TAKEN, /* gathered (or dropped) as part of a paste */
	PASTE_ENDED, /* the end mark: the whole paste is in t->paste */
};

/* Gathers a bracketed paste from the keys as the terminal sends them,
 * whether the loop or a query's wait reads them: nothing between the
 * marks is ever a key, an Esc or an F-key included. */
static enum paste_step paste_gather(struct ui *t, bool fn, wint_t wc)
{
	if (fn && wc == KEY_PASTE_BEGIN) {
		if (t->pasting)
			return PASTE_TAKEN; /* no terminal nests them: go on gathering */
		t->pasting = true;
		if (t->paste_ready) {
			t->paste_skip = true; /* one paste waits already: this one goes */
		} else {
			t->npaste = 0;
			t->paste_over = false;
		}
		return PASTE_TAKEN;
	}
	if (!t->pasting)
		return fn && wc == KEY_PASTE_END ? PASTE_TAKEN /* an end without a beginning */
						 : PASTE_NONE;
	if (fn && wc == KEY_PASTE_END) {
		t->pasting = false;
		if (t->paste_skip) {
			t->paste_skip = false;
			t->paste_lost = true; /* said with the paste that waits, or alone */
			if (t->paste_ready)
				return PASTE_TAKEN;
			t->npaste = 0;
		}
		t->paste_ready = true;
		return PASTE_ENDED;
	}
	if (fn || t->paste_skip)
		return PASTE_TAKEN; /* a function key's sequence inside pasted text */
	if (t->npaste >= PASTE_MAX) {
		t->paste_over = true;
		return PASTE_TAKEN;
	}
	if (t->npaste == t->paste_cap) {
		t->paste_cap = t->paste_cap ? t->paste_cap * 2 : 256;
		t->paste = xreallocarray(t->paste, t->paste_cap, sizeof(*t->paste));
	}
	t->paste[t->npaste++] = (wchar_t)wc;
	return PASTE_TAKEN;
}

/* The paste that waited is delivered (KEY_PASTE_READY's turn came, or the
 * mark found no room among the keys typed ahead). */
static void paste_deliver(struct ui *t)
{
	if (!t->paste_ready)
		return;
	t->paste_ready = false;
	paste_done(t);
}

static void on_key(struct ui *t, bool fn, wint_t wc)
{
	struct screen *s = top(t);

	if (fn && wc == KEY_PASTE_READY) {
		paste_deliver(t);
		return;
	}
	switch (paste_gather(t, fn, wc)) {
	case PASTE_NONE:
		break;
	case PASTE_TAKEN:
		return;
	case PASTE_ENDED:
		paste_deliver(t);
		return;
	}

	if (fn && wc == KEY_RESIZE) {
		resize(t);
		return;
	}
	if (!fn && wc == KEY_CTRL_L) {
		clearok(curscr, TRUE);
		t->dirty = true;
		return;
	}
	if (too_small()) {
		/* keys typed blind would act on a screen nobody sees; only quit works */
		if (s->kind == SCREEN_MENU && !fn && wc == L'q')
			t->quit = true;
		return;
	}
	if (t->message) {
		free(t->message);
		t->message = NULL;
		t->dirty = true;
	}
	if (t->dialog.open) {
		dialog_key(t, fn, wc);
		return;
	}
	/* lists and forms have text fields: they decide what ?, Esc and F1 mean */
	switch (s->kind) {
	case SCREEN_LIST:
		list_screen_key(s->ls, fn, wc);
		t->dirty = true;
		return;
	case SCREEN_FORM:
		form_screen_key(s->fs, fn, wc);
		t->dirty = true;
		return;
	case SCREEN_GRID:
		grid_screen_key(s->gs, fn, wc);
		t->dirty = true;
		return;
	case SCREEN_VIEW:
		t->dirty = true;
		if (s->ops->key(s->view, fn, wc))
			return;
		break;
	case SCREEN_MENU:
	case SCREEN_SUBMENU:
	case SCREEN_HELP:
		break;
	}
	if ((fn && wc == KEY_F(1)) || (!fn && wc == L'?')) {
		ui_help(t);
		return;
	}
	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		ui_pop(t);
		return;
	}
	switch (s->kind) {
	case SCREEN_MENU:
		menu_key(t, s, fn, wc);
		break;
	case SCREEN_SUBMENU: {
		int i = items_key(t, s, submenu_count(s), fn, wc);
		if (i >= 0)
			open_submenu_item(t, s, i);
		break;
	}
	case SCREEN_HELP:
	case SCREEN_LIST:
	case SCREEN_FORM:
	case SCREEN_GRID:
	case SCREEN_VIEW:
		break;
	}
}

/* Handles one key, then the keys typed while what it started ran (a
 * query: see wait_check()). */
static void handle_key(struct ui *t, bool fn, wint_t wc)
{
	t->cancelled = false;
	on_key(t, fn, wc);
	while (t->npending > 0 && !sig_quit && !t->quit && !t->lost) {
		struct pending_key k = t->pending[0];
		memmove(t->pending, t->pending + 1, --t->npending * sizeof(*t->pending));
		t->cancelled = false;
		on_key(t, k.fn, k.wc);
	}
	t->npending = 0;
	/* a paste whose mark found no room among the keys typed ahead */
	if (!sig_quit && !t->quit && !t->lost)
		paste_deliver(t);
}

/* Reads the next key: 1 and *fn, *wc set, or 0 when there is none. (No
 * Alt-Enter: it arrives as Esc then CR, which is also Esc then Enter typed
 * quickly over a slow link; Ctrl-J is the line break.) */
static int next_key(struct ui *t, bool *fn, wint_t *wc)
{
	int rc = wget_wch(t->input, wc);

	if (rc == ERR)
		return 0;
	*fn = rc == KEY_CODE_YES;
	return 1;
}

/* Handles every key already typed (type-ahead) before the next redraw.
 * Returns -1 when the terminal is gone: readable, yet nothing to read. */
static int read_keys(struct ui *t)
{
	wint_t wc;
	bool fn;
	int n = 0;

	/* After q the rest of the type-ahead is left for the shell. */
	while (!sig_quit && !t->quit && !t->lost && next_key(t, &fn, &wc)) {
		n++;
		handle_key(t, fn, wc);
	}
	if (t->lost)
		return -1;
	if (n > 0 || sig_quit) {
		t->empty_reads = 0;
		return 0;
	}
	return ++t->empty_reads < EMPTY_READS_MAX ? 0 : -1;
}

/* What waits for the keys to stop: a picker's look-up in the database runs
 * once the type-ahead is drained, never per keystroke. */
static void idle(struct ui *t)
{
	struct screen *s = top(t);

	t->cancelled = false;
	if (s->kind == SCREEN_FORM && !too_small())
		form_screen_idle(s->fs);
	else if (s->kind == SCREEN_VIEW && s->ops->idle && !too_small())
		s->ops->idle(s->view);
}

/* ---- signals ---- */

static void on_signal(int sig)
{
	int saved_errno = errno;
	ssize_t n;

	if (sig == SIGWINCH)
		sig_winch = 1;
	else if (sig == SIGCONT)
		sig_cont = 1;
	else
		sig_quit = sig;
	if (sig_pipe[1] >= 0) {
		n = write(sig_pipe[1], "", 1);
		(void)n; /* a full pipe already wakes the loop */
	}
	errno = saved_errno;
}

/* Installed before newterm(), so curses keeps its hands off SIGINT, SIGTERM
 * and SIGWINCH (it still handles SIGTSTP). A hang-up or interrupt signal
 * ignored on entry (nohup) stays ignored: the lost terminal still ends us. */
static int signals_start(struct sgz_err *err)
{
	struct sigaction sa;
	size_t i;

	sig_quit = sig_winch = sig_cont = 0;
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("pipe: %s"), strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < SGZ_ARRAY_LEN(handled_signals); i++) {
		int sig = handled_signals[i];

		sigaction(sig, NULL, &saved_actions[i]);
		if (saved_actions[i].sa_handler == SIG_IGN && sig != SIGWINCH && sig != SIGCONT)
			continue;
		sigaction(sig, &sa, NULL);
	}
	return 0;
}

static void signals_stop(void)
{
	size_t i;

	for (i = 0; i < SGZ_ARRAY_LEN(handled_signals); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

static void drain_pipe(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		continue;
}

/* ---- the terminal ---- */

/* Also the out-of-memory hook and an atexit handler: whoever ends the
 * process, the terminal comes back usable. */
static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		if (paste_on)
			putp("\033[?2004l"); /* bracketed paste off */
		paste_on = false;
		endwin();
	}
}

/* Colour is optional (DESIGN.md): A_REVERSE alone must do. NO_COLOR turns
 * the automatic choice off (no-color.org). */
static attr_t pick_bar(const struct tui_opts *opts)
{
	const char *no_color = getenv("NO_COLOR");
	bool want = false;

	switch (opts->color) {
	case CONF_COLOR_ALWAYS:
		want = true;
		break;
	case CONF_COLOR_AUTO:
		want = !no_color || !*no_color;
		break;
	case CONF_COLOR_NEVER:
		break;
	}
	if (!want || !has_colors() || start_color() == ERR)
		return A_REVERSE;
	use_default_colors();
	if (init_pair(1, COLOR_WHITE, COLOR_BLUE) == ERR)
		return A_REVERSE;
	return (attr_t)COLOR_PAIR(1) | A_BOLD;
}

static int term_start(struct ui *t, struct sgz_err *err)
{
	static bool atexit_done;
	const char *term = getenv("TERM");

	fflush(stdout);
	curses_screen = newterm(NULL, stdout, stdin);
	if (!curses_screen) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("cannot use the terminal type \"%s\" (try TERM=xterm-256color)"),
			    term ? term : "");
		return -1;
	}
	curses_on = true;
	sgz_set_fatal_hook(restore_terminal);
	if (!atexit_done)
		atexit_done = atexit(restore_terminal) == 0;

	cbreak(); /* not raw: Ctrl-C, Ctrl-Z and flow control keep their meaning */
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	leaveok(stdscr, TRUE); /* the cursor is hidden: no moves to park it */
	curs_set(0);
	set_escdelay(ESC_DELAY_MS);
	t->input = newpad(1, 1);
	if (!t->input) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot set up the terminal"));
		return -1;
	}
	keypad(t->input, TRUE);
	/* pasted text arrives between these marks: rows for the grid */
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	/* Home and End as PuTTY, the Linux console, rxvt, screen and tmux send
	 * them, whatever TERM says: unknown, they would arrive as Esc (back)
	 * and a digit (open item N) */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[H", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	nodelay(t->input, TRUE); /* poll() says when; reading never waits */
	t->bar = pick_bar(t->opts);
	return 0;
}

static void term_stop(struct ui *t)
{
	restore_terminal();
	sgz_set_fatal_hook(NULL);
	if (t->input)
		delwin(t->input);
	t->input = NULL;
	if (curses_screen)
		delscreen(curses_screen);
	curses_screen = NULL;
}

/* ---- waiting for a query (async.h's hook) ---- */

/* Asked while a query runs: when the terminal or the signal pipe is
 * readable, or once the query is slow. Esc or F10 cancels it; so do a
 * signal that ends sgz and a lost terminal; other keys wait for after. */
static bool wait_check(void *ctx, bool slow)
{
	struct ui *t = ctx;
	bool fn, cancel = false;
	wint_t wc;
	int n = 0;

	if (slow && !too_small() && !t->drawing) {
		/* only the message line: drawing a screen could start a query */
		put_text(LINES - 2, 1, COLS - 2, tr(t, M_WORKING), A_NORMAL, true);
		wnoutrefresh(stdscr);
		doupdate();
		t->dirty = true;
	}
	drain_pipe();
	while (!cancel && next_key(t, &fn, &wc)) {
		n++;
		/* a paste is gathered whole, never kept as keys (nor its Esc a cancel) */
		switch (paste_gather(t, fn, wc)) {
		case PASTE_NONE:
			break;
		case PASTE_TAKEN:
			continue;
		case PASTE_ENDED:
			fn = true;
			wc = KEY_PASTE_READY;
			break;
		}
		if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC))
			cancel = true;
		else if (t->npending < PENDING_MAX)
			t->pending[t->npending++] = (struct pending_key){fn, wc};
	}
	if (n > 0)
		t->empty_reads = 0;
	else if (!slow && !sig_quit && !sig_winch && !sig_cont &&
		 ++t->empty_reads >= EMPTY_READS_MAX)
		t->lost = true;
	if (sig_quit || t->lost)
		cancel = true;
	if (cancel) {
		t->cancelled = true;
		t->npending = 0;	/* what was typed after Esc was for the query */
		t->paste_ready = false; /* and so was a paste */
		t->npaste = 0;
		t->paste_skip = t->pasting; /* the rest of one still coming goes too */
	}
	return cancel;
}

static void wait_start(struct ui *t)
{
	struct db_wait w = {{t->fd, sig_pipe[0]}, wait_check, t};

	db_set_wait(&w);
}

/* ---- drafts offered back ---- */

/* The record a draft is of, as the offer names it: ID numbers masked
 * (rules.md), whoever is asked. */
static void draft_title(const struct dict_entity *e, const struct draft *d, struct strbuf *sb)
{
	bool idnum_key = false;
	const char *p = d->title;

	for (size_t i = 0; e && i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && browse_is_idnum(&e->fields[i]))
			idnum_key = true;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (idnum_key && len == IDNUM_LEN) {
			char masked[IDNUM_LEN + 1], id[IDNUM_LEN + 1];
			memcpy(id, p, IDNUM_LEN);
			id[IDNUM_LEN] = '\0';
			idnum_mask(id, masked);
			sb_adds(sb, masked);
		} else {
			sb_addn(sb, p, len);
		}
		p += len;
		if (*p)
			sb_addc(sb, *p++);
	}
}

static void on_drafts_answer(struct ui *t, void *ctx, wint_t answer)
{
	(void)ctx;
	for (size_t i = 0; i < t->ndrafts; i++) {
		struct draft *d = t->drafts[i];
		if (answer == 'd') {
			draft_remove(d);
		} else if (answer == 'r' && t->depth < (int)SGZ_ARRAY_LEN(t->stack) - 2 &&
			   draft_is_grid(d)) {
			t->drafts[i] = NULL; /* taken */
			ui_push_grid(t, grid_screen_from_draft(t, d));
			continue;
		} else if (answer == 'r' && t->depth < (int)SGZ_ARRAY_LEN(t->stack) - 2) {
			struct form_screen *fs = form_screen_from_draft(t, d);
			t->drafts[i] = NULL; /* taken */
			if (fs)
				ui_push_form(t, fs);
			continue;
		}
	}
	draft_list_free(t->drafts, t->ndrafts);
	t->drafts = NULL;
	t->ndrafts = 0;
}

/* The drafts an earlier session left: a dialog lists them (entity, record,
 * when), r reopens them, d discards them, Esc leaves them for next time. */
static void offer_drafts(struct ui *t)
{
	static const struct ui_choice choices[] = {
	    {'r', "r", M_RESTORE},
	    {'d', "d", M_DISCARD},
	};
	char *dir = draft_dir();
	struct strbuf body = {0};

	t->drafts = draft_list(dir, &t->ndrafts);
	free(dir);
	if (t->ndrafts == 0)
		return;
	sb_adds(&body, tr(t, M_DRAFTS_BODY));
	for (size_t i = 0; i < t->ndrafts && i < DRAFTS_SHOWN; i++) {
		const struct draft *d = t->drafts[i];
		const struct dict_entity *e = dict_find(d->entity);
		struct strbuf title = {0};
		char when[32];
		struct tm tm;
		localtime_r(&d->saved, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		if (draft_is_grid(d))
			sb_addf(&title, "%s %s", tr(t, M_GRID), d->title);
		else if (d->key)
			draft_title(e, d, &title);
		else
			sb_adds(&title, tr(t, M_NEW_RECORD));
		sb_addf(&body, "\n  %s  %s  (%s)", e ? ui_entity_label(t, e) : d->entity,
			sb_str(&title), when);
		sb_free(&title);
	}
	if (t->ndrafts > DRAFTS_SHOWN)
		sb_addf(&body, "\n  ... (%zu)", t->ndrafts);
	sb_adds(&body, "\n\n");
	sb_adds(&body, tr(t, M_DRAFTS_LATER));
	ui_ask(t, tr(t, M_DRAFTS), sb_str(&body), choices, SGZ_ARRAY_LEN(choices), on_drafts_answer,
	       NULL);
	sb_free(&body);
}

/* ---- the loop ---- */

/* The database said something while idle: a lost connection is reset
 * and said, the typing of open forms kept as drafts. */
static void db_readable(struct ui *t)
{
	struct sgz_err err;
	struct strbuf sb = {0};

	sgz_err_clear(&err);
	if (db_idle_poll(t->db, &err) == 0)
		return;
	if (db_socket(t->db) >= 0) {
		sb_adds(&sb, tr(t, M_CONN_RESTORED));
	} else {
		char *why = form_tr_message(err.msg);
		sb_adds(&sb, why);
		free(why);
	}
	if (ui_keep_drafts(t) > 0) {
		sb_addc(&sb, ' ');
		sb_adds(&sb, tr(t, M_DRAFT_KEPT));
	}
	ui_say(t, sb_str(&sb));
	sb_free(&sb);
}

static int loop(struct ui *t, struct sgz_err *err)
{
	struct pollfd pfd[3];

	for (;;) {
		if (sig_quit)
			return SGZ_OK; /* the caller exits */
		if (sig_winch || sig_cont) {
			sig_winch = sig_cont = 0;
			resize(t);
		}
		if (t->quit)
			return SGZ_OK;
		idle(t);
		if (t->dirty)
			draw(t);

		nfds_t n = 2;
		pfd[0] = (struct pollfd){.fd = t->fd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
		pfd[2] =
		    (struct pollfd){.fd = t->db ? db_socket(t->db) : -1, .events = POLLIN};
		if (pfd[2].fd >= 0)
			n = 3;
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			sgz_err_set(err, SGZ_EUSAGE, "poll: %s", strerror(errno));
			return SGZ_EUSAGE;
		}
		if (pfd[1].revents)
			drain_pipe();
		if (n == 3 && pfd[2].revents)
			db_readable(t);
		if ((pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) ||
		    ((pfd[0].revents & POLLIN) && read_keys(t) < 0) || t->lost) {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("the terminal was lost (hang-up or read error)"));
			return SGZ_EUSAGE;
		}
	}
}

static void ui_init(struct ui *t, const struct tui_opts *opts, struct db *db)
{
	memset(t, 0, sizeof(*t));
	t->opts = opts;
	t->db = db;
	t->fd = STDIN_FILENO;
	t->stack[0].kind = SCREEN_MENU;
	t->depth = 1;
	t->dirty = true;
	t->cursor_y = -1;
}

static void ui_fini(struct ui *t)
{
	while (t->depth > 1)
		ui_pop(t);
	dialog_close(&t->dialog);
	draft_list_free(t->drafts, t->ndrafts);
	t->drafts = NULL;
	t->ndrafts = 0;
	free(t->paste);
	t->paste = NULL;
	t->npaste = t->paste_cap = 0;
	free(t->message);
	t->message = NULL;
}

int tui_run(struct db *db, const struct tui_opts *opts, struct sgz_err *err)
{
	struct ui t;
	int rc;

	/* the language is i18n_init()'s, as main() chose it from opts->language */
	ui_init(&t, opts, db);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the interface needs a terminal on standard input and output"));
		return SGZ_EUSAGE;
	}
	if (signals_start(err) < 0)
		return SGZ_EUSAGE;
	if (term_start(&t, err) < 0) {
		rc = SGZ_EUSAGE;
		goto out;
	}
	wait_start(&t);
	/* drafts are of one database and role: only theirs are offered */
	draft_set_identity(opts->database, opts->role);
	offer_drafts(&t);
	rc = loop(&t, err);
	/* Ended unasked (a signal, the terminal gone): what is typed and not
	 * saved becomes drafts, offered back at the next start. */
	if (sig_quit || rc != SGZ_OK)
		ui_keep_drafts(&t);
out:
	db_set_wait(NULL);
	ui_fini(&t);
	draft_set_identity(NULL, NULL);
	term_stop(&t);
	signals_stop();
	return rc;
}

/* ---- for tests ---- */

static const struct tui_opts test_opts = {
    .language = NULL, .color = CONF_COLOR_NEVER, .where = "test@sgz"};

struct ui *ui_test_new(ui_rows_fn rows, void *ctx)
{
	struct ui *t = xmalloc(sizeof(*t));

	ui_init(t, &test_opts, NULL);
	t->rows = rows;
	t->rows_ctx = ctx;
	t->bar = A_REVERSE;
	cbreak();
	noecho();
	nonl();
	leaveok(stdscr, TRUE);
	curs_set(0);
	return t;
}

void ui_test_free(struct ui *ui)
{
	if (!ui)
		return;
	ui_fini(ui);
	free(ui);
}

void ui_test_key(struct ui *ui, bool fn, wint_t wc)
{
	handle_key(ui, fn, wc);
}

void ui_test_draw(struct ui *ui)
{
	idle(ui);
	if (ui->dirty)
		draw(ui);
}
