/* screens.h - the screens of the interface and what they share with the
 * shell (tui.c): the language table, the message and status lines, the
 * screen stack, dialogs. The generic list (screen_list.c) and form
 * (screen_form.c) serve every entity of the data dictionary; a new entity
 * gets them by its dictionary entry alone. Nothing here includes libpq. */
#ifndef SGZ_SCREENS_H
#define SGZ_SCREENS_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/listview.h"
#include "sgz/util.h"

struct db;
struct draft;
struct lineedit;
struct picker;
struct record;
struct ui;	    /* the shell */
struct list_screen; /* screen_list.c */
struct form_screen; /* screen_form.c */
struct grid_screen; /* screen_grid.c */

#define UI_KEY_ESC     27
#define UI_KEY_CTRL(c) (0x1f & (c))

/* The texts the interface shows that are not formats: English msgids in
 * tui.c's table, shown in the interface's language by ui_tr() (gettext).
 * Texts with arguments are formats written where they are used, _("...")
 * so the compiler checks their arguments. */
enum ui_msg {
	M_NONE,
	M_TITLE,
	M_MAIN_MENU,
	M_STATIONS,
	M_VOLUNTEERS,
	M_CASES,
	M_CONTRACTS,
	M_REPORTS,
	M_ADMIN,
	M_TOO_SMALL,
	/* status line words */
	M_OPEN,
	M_HELP,
	M_QUIT,
	M_BACK,
	M_FILTER,
	M_ADD,
	M_DELETE,
	M_EXPORT,
	M_APPLY,
	M_CLEAR,
	M_CANCEL,
	M_SAVE,
	M_SAVE_NEXT,
	M_DITTO,
	M_PICK,
	M_TOGGLE,
	M_OK,
	M_DISCARD,
	M_KEEP_EDITING,
	M_KEEP_MINE,
	M_TAKE_THEIRS,
	M_SAVE_AS_NEW,
	M_RESTORE,
	M_REPLACE,
	M_KEEP_FILE,
	/* help lines */
	M_DO_MOVE,
	M_DO_OPEN,
	M_DO_OPEN_N,
	M_DO_HELP,
	M_DO_REDRAW,
	M_DO_QUIT,
	M_DO_BACK,
	M_DO_CLOSE_HELP,
	M_DO_LIST_MOVE,
	M_DO_COLUMNS,
	M_DO_FILTER,
	M_DO_OPEN_RECORD,
	M_DO_ADD,
	M_DO_DELETE,
	M_DO_EXPORT,
	M_DO_NEXT_FIELD,
	M_DO_PREV_FIELD,
	M_DO_SAVE,
	M_DO_SAVE_NEXT,
	M_DO_DITTO,
	M_DO_PICK,
	M_DO_CLEAR_FIELD,
	M_DO_NEWLINE,
	M_DO_EDIT,
	M_DO_BACK_ASK,
	/* list */
	M_FILTER_PROMPT,
	M_NO_ROWS,
	M_EXPORT_PROMPT,
	M_DELETE_ASK,
	M_DELETED,
	M_REFERENCED,
	M_REFERENCED_SEP,
	M_CHANGED_SINCE,
	M_GONE,
	M_ERROR,
	/* form */
	M_SAVED,
	M_SAVED_NEXT,
	M_NOTHING_CHANGED,
	M_DISCARD_ASK,
	M_CONFLICT,
	M_CONFLICT_BODY,
	M_TOOK_THEIRS,
	M_GONE_ASK,
	M_REFUSED,
	M_NO_DITTO,
	M_NO_PICK,
	M_HINT_DATE,
	M_HINT_LIST,
	M_HINT_AUTO,
	M_HINT_MULTILINE,
	M_PICK_NONE,
	M_PICK_LOOKING,
	/* the database, drafts, waiting */
	M_CONN_LOST,
	M_CONN_RESTORED,
	M_DRAFT_KEPT,
	M_DRAFTS,
	M_DRAFTS_BODY,
	M_DRAFTS_LATER,
	M_NEW_RECORD,
	M_DRAFT_CHANGED,
	M_DRAFT_GONE,
	M_WORKING,
	M_CANCELLED,
	/* the hours grid */
	M_GRID,
	M_DEL_ROW,
	M_DO_GRID,
	M_DO_SAVE_ALL,
	M_DO_DITTO_ROW,
	M_DO_DEL_ROW,
	M_DO_PASTE_ROWS,
	M_DO_ROW_DONE,
	M_DO_PICK_VOLUNTEER,
	/* the reports (screen_report.c) */
	M_RUN,
	M_PARAMETERS,
	M_DO_RUN,
	M_DO_RUN_N,
	M_DO_PARAMETERS,
	/* the division browser (screen_tree.c) */
	M_LEVEL,
	M_DO_LEVEL_DOWN,
	M_DO_LEVEL_UP,
	M_DO_ADD_BELOW,
	M_DO_FILTER_BELOW,
	/* the volunteer's service certificate (screen_list.c) */
	M_CERTIFICATE,
	M_DO_CERTIFICATE,
	M_CERTIFICATE_PROMPT,
	M_COUNT
};

/* One key of a screen: help lists them all, the status line those with a
 * short form. */
struct ui_keyinfo {
	const char *key;       /* as help shows it; key names are not translated */
	const char *short_key; /* on the status line, or NULL */
	enum ui_msg short_text;
	enum ui_msg text;
};

/* One answer of a dialog: its key and what the status line calls it. */
struct ui_choice {
	wint_t key; /* a character; '\r' for Enter */
	const char *key_name;
	enum ui_msg text;
};

/* Called with the key chosen, or UI_KEY_ESC when the dialog was dismissed. */
typedef void (*ui_answer_fn)(struct ui *ui, void *ctx, wint_t answer);

/* ---- the shell's services (tui.c) ---- */

/* The text of m in the interface's language (gettext). Borrowed (static). */
const char *ui_tr(const struct ui *ui, enum ui_msg m);
/* Is the interface in Chinese (i18n_lang())? Choices and yes/no then show
 * the dictionary's Chinese labels. */
bool ui_zh(const struct ui *ui);
/* Borrowed for the interface's life. */
struct db *ui_db(struct ui *ui);
/* The screen must be drawn again. */
void ui_redraw(struct ui *ui);
/* Shows msg (copied; NULL clears) on the message line until the next key. */
void ui_say(struct ui *ui, const char *msg);
/* Puts the terminal's cursor at (y, x) after this draw (a text field). */
void ui_cursor(struct ui *ui, int y, int x);
/* Opens a screen on top of the stack; the stack owns it from then on. */
void ui_push_list(struct ui *ui, struct list_screen *ls);
void ui_push_form(struct ui *ui, struct form_screen *fs);
void ui_push_grid(struct ui *ui, struct grid_screen *gs);
/* Closes the top screen (freeing it). */
void ui_pop(struct ui *ui);
/* Shows the help of the top screen. */
void ui_help(struct ui *ui);
/* Opens a dialog over the screen: a title, a body (lines separated by
 * '\n'; copied), the answers; fn gets the answer (ctx borrowed). Esc
 * always dismisses it. */
void ui_ask(struct ui *ui, const char *title, const char *body, const struct ui_choice *choices,
	    size_t n, ui_answer_fn fn, void *ctx);
/* What an export writes into out (browse_export(), divtree_export(), a
 * report's CSV), with its row count in *rows. 0, or -1 with err set. */
typedef int (*ui_export_fn)(void *ctx, FILE *out, long *rows, struct sgz_err *err);
/* Exports into the export directory (tui_opts.export_dir) as the file the
 * user named (exportfile.c, outfile.h): a name that breaks a rule is
 * refused on the message line, naming the rule; a file of that name is
 * replaced only after a question that names it; then fn writes (ctx
 * borrowed until then: after the answer, when there is a question), and
 * the message line says how many rows went into which file. */
void ui_export(struct ui *ui, const char *name, ui_export_fn fn, void *ctx);
/* As ui_export(), the message line saying done and the file's path
 * rather than how many rows: a file that is not rows. */
void ui_export_file(struct ui *ui, const char *name, ui_export_fn fn, void *ctx,
		    const char *done);
/* The export directory, "" for none. Borrowed for the interface's life. */
const char *ui_export_dir(const struct ui *ui);
/* A dialog with one answer (Enter), for errors and notices. */
void ui_tell(struct ui *ui, const char *title, const char *body);
/* What went wrong in a call of the model, err->msg in the interface's
 * language (form_tr_message()): on the message line (ui_say_error) or in
 * a dialog (ui_tell_error). A query the user cancelled says only that; a
 * lost connection first keeps every open form's typing as a draft. */
void ui_say_error(struct ui *ui, const struct sgz_err *err);
void ui_tell_error(struct ui *ui, const struct sgz_err *err);
/* Keeps the typing of every open form as a draft (form_screen_keep()).
 * Returns how many were written. */
int ui_keep_drafts(struct ui *ui);

/* A bracketed paste into text field le, as lineedit_paste() takes it: a
 * one-line field its first line, tabs as spaces, so a paste never moves
 * to the next field nor runs as keys; what was left out (the other lines,
 * what the field's maximum cut) is said on the message line. True when
 * the text changed. */
bool ui_paste_text(struct ui *ui, struct lineedit *le, const wchar_t *s, size_t n);
/* A paste into the open picker pk: its first line typed into the filter. */
void ui_paste_picker(struct ui *ui, struct picker *pk, const wchar_t *s, size_t n);

/* Where a list's rows come from: the database through browse.h, unless a
 * test gave the shell a source of rows in memory (ui_test_new()): then
 * this fills *src and returns true. */
bool ui_rows_source(struct ui *ui, const struct dict_entity *e, struct listview_source *src);

/* ---- for tests (tests/unit/test_wire.c): the shell over a curses screen
 * the caller set up (newterm(), set_term()), without a database, signals
 * or a poll loop; lists get their rows from rows(ctx, e, src). ---- */
typedef void (*ui_rows_fn)(void *ctx, const struct dict_entity *e, struct listview_source *src);
/* Returns the shell on its main menu. Caller frees with ui_test_free(). */
struct ui *ui_test_new(ui_rows_fn rows, void *ctx);
void ui_test_free(struct ui *ui);
/* Handles one key as the poll loop would (fn: a KEY_ code). */
void ui_test_key(struct ui *ui, bool fn, wint_t wc);
/* Draws what changed, as the loop does before it waits (one doupdate). */
void ui_test_draw(struct ui *ui);

/* Draws UTF-8 s at (y, x) of stdscr in at most width columns (a double-width
 * character that would be cut is left out), in attr; with fill the rest of
 * width is padded. Returns the columns drawn. */
int ui_put(int y, int x, int width, const char *s, attr_t attr, bool fill);
/* Columns of UTF-8 s. */
int ui_width(const char *s);
/* Lines UTF-8 s takes when wrapped at width columns (width_wrap()). */
int ui_lines(const char *s, int width);
/* Draws s wrapped into at most max lines of width columns, the last one
 * on row bottom, each padded to width (the rest of a text longer than max
 * lines is left out). Returns the lines drawn. */
int ui_put_lines(int bottom, int x, int width, int max, const char *s, attr_t attr);
/* The label of entity e in the interface's language. */
const char *ui_entity_label(const struct ui *ui, const struct dict_entity *e);
/* The label of field df in the interface's language. */
const char *ui_field_label(const struct ui *ui, const struct dict_field *df);
/* Attribute of a selected row or the title bar (colour is optional). */
attr_t ui_selected_attr(const struct ui *ui);

/* ---- screens of their own: a screen that is not a list, form or grid of
 * the dictionary implements these, and the shell stacks it like the rest.
 * The view is the screen's state, freed by free() when it is popped. ---- */
struct ui_view_ops {
	const char *(*title)(void *view);
	/* Draws the screen in rows [top, top + height) of stdscr. */
	void (*draw)(void *view, int top, int height);
	/* Handles one key; false leaves it to the shell, which then takes F1
	 * and ? (help) and Esc and F10 (back, ui_pop()). */
	bool (*key)(void *view, bool fn, wint_t wc);
	/* Every key of the screen (help); the status line's too unless
	 * status_keys is set. */
	const struct ui_keyinfo *(*keys)(void *view, size_t *n);
	const struct ui_keyinfo *(*status_keys)(void *view, size_t *n); /* or NULL */
	/* Runs once the keys typed ahead are handled (a look-up); or NULL. */
	void (*idle)(void *view);
	void (*free)(void *view);
	/* A bracketed paste: true when a text field with the focus took it
	 * (ui_paste_text()); false, or NULL here, and the shell refuses it
	 * with a message. Never keys: pasted text is not commands. */
	bool (*paste)(void *view, const wchar_t *s, size_t n);
};

/* Opens view (taken) on top of the stack. */
void ui_push_view(struct ui *ui, const struct ui_view_ops *ops, void *view);

/* Main menu item 5: the reports (screen_report.c). Pushes its screen, or
 * says why it cannot and returns false. */
bool report_screen_open(struct ui *ui);
/* Main menu item 6: administration (screen_admin.c). */
bool admin_screen_open(struct ui *ui);
/* The division browser of the stations submenu: the divisions as a tree
 * by level (screen_tree.c). */
bool division_screen_open(struct ui *ui);

/* ---- the list screen (screen_list.c) ---- */

/* The list of entity e, its first page fetched. NULL with the reason said
 * (ui_tell) when the database refused. Freed by the stack. */
struct list_screen *list_screen_new(struct ui *ui, const struct dict_entity *e);
void list_screen_free(struct list_screen *ls);
const char *list_screen_title(const struct list_screen *ls);
/* Draws the list in rows [top, top + height) of stdscr. */
void list_screen_draw(struct list_screen *ls, int top, int height);
/* Handles one key (Esc too: a filter being typed is cleared first). */
void list_screen_key(struct list_screen *ls, bool fn, wint_t wc);
/* A bracketed paste: into the filter or the export file being typed;
 * false (refused) when the rows have the keys. */
bool list_screen_paste(struct list_screen *ls, const wchar_t *s, size_t n);
/* The keys of the list; the short ones depend on what is being typed. */
const struct ui_keyinfo *list_screen_keys(const struct list_screen *ls, size_t *n);
const struct ui_keyinfo *list_screen_status_keys(const struct list_screen *ls, size_t *n);
/* A form saved or deleted a record of this list: fetch again when shown.
 * values: the record as saved (for ditto), or NULL. */
void list_screen_changed(struct list_screen *ls, const char *const *values);
/* The values of the last record opened or saved from this list, or NULL. */
const char *const *list_screen_last(const struct list_screen *ls);
/* Does the list's session see full ID numbers (browse_session_admin())? */
bool list_screen_admin(struct list_screen *ls);

/* Deletes r after the user said yes, and says how it went: refused where
 * the record is still referenced (what refers to it, counted, in a
 * dialog), changed or gone meanwhile, or the database's refusal.
 * reload_fn(ctx) runs when the list that showed r must be fetched again.
 * r stays the caller's. */
void ui_delete_record(struct ui *ui, struct record *r, void (*reload_fn)(void *ctx), void *ctx);

/* ---- the form screen (screen_form.c) ---- */

/* The form of record r (taken; NULL: a new record of e), opened from list
 * origin (borrowed; may be NULL). Freed by the stack. */
struct form_screen *form_screen_new(struct ui *ui, const struct dict_entity *e, struct record *r,
				    struct list_screen *origin);
void form_screen_free(struct form_screen *fs);
const char *form_screen_title(const struct form_screen *fs);
void form_screen_draw(struct form_screen *fs, int top, int height);
/* Handles one key; Esc and F10 ask before discarding typed input. */
void form_screen_key(struct form_screen *fs, bool fn, wint_t wc);
/* Runs what waits for the keys to stop (a picker's look-up). */
void form_screen_idle(struct form_screen *fs);
/* A bracketed paste into the field with the focus (or the open picker's
 * filter); false (refused) for a field that cannot be changed. */
bool form_screen_paste(struct form_screen *fs, const wchar_t *s, size_t n);
const struct ui_keyinfo *form_screen_keys(const struct form_screen *fs, size_t *n);
const struct ui_keyinfo *form_screen_status_keys(const struct form_screen *fs, size_t *n);
/* The line under the form: the current field's refusal or a hint. Borrowed
 * until the next call on fs; NULL for none. */
const char *form_screen_hint(struct form_screen *fs);
/* Keeps what is typed in fs as its draft (draft.h), if anything is: true
 * when a draft was written, false when there was nothing to keep or the
 * write failed (err set). */
bool form_screen_keep(struct form_screen *fs, struct sgz_err *err);
/* The form of draft d (taken): the record loaded again (the draft's
 * row_version kept, so a save over someone else's later change shows the
 * conflict), or a new record if it was one or is gone; the draft's texts
 * over it. NULL, the reason said, when the entity is unknown or the
 * database refused. Freed by the stack. */
struct form_screen *form_screen_from_draft(struct ui *ui, struct draft *d);

/* ---- the hours grid (screen_grid.c) ---- */

/* The grid of hours of one station, date and activity (each may be NULL:
 * asked in the grid's header), opened from list origin (borrowed; may be
 * NULL). Freed by the stack. */
struct grid_screen *grid_screen_new(struct ui *ui, const char *station, const char *date,
				    const char *activity, struct list_screen *origin);
void grid_screen_free(struct grid_screen *gs);
const char *grid_screen_title(const struct grid_screen *gs);
void grid_screen_draw(struct grid_screen *gs, int top, int height);
/* Handles one key; Esc asks before discarding typed rows. */
void grid_screen_key(struct grid_screen *gs, bool fn, wint_t wc);
/* A bracketed paste: tab-separated rows (ID, hours, note) fill rows; text
 * without tabs or line breaks goes into the current field. */
void grid_screen_paste(struct grid_screen *gs, const wchar_t *s, size_t n);
const struct ui_keyinfo *grid_screen_keys(const struct grid_screen *gs, size_t *n);
/* Keeps the typed rows as a grid draft (form_screen_keep()). */
bool grid_screen_keep(struct grid_screen *gs, struct sgz_err *err);
/* The grid of a grid draft (taken; draft_is_grid()). Freed by the stack. */
struct grid_screen *grid_screen_from_draft(struct ui *ui, struct draft *d);

#endif
