/* ui.h - the services every screen of the interface calls (ui.c): the
 * language table, drawing text measured in columns, the message and
 * status lines, dialogs, the screen stack's push and pop, errors said in
 * the user's language, drafts kept, pastes into a text field. Screens
 * include this, never the shell (tui.h, uistate.h): the shell includes
 * the screens and drives these services, so the arrows run one way
 * (tests/layers.sh). Nothing here includes libpq. */
#ifndef SGZ_UI_H
#define SGZ_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/listview.h"
#include "sgz/util.h"

struct db;
struct lineedit;
struct report_def;
struct report_params;
struct report_result;
struct ui; /* the interface's state (uistate.h) */

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
	M_DO_OPEN_COUNTED,
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
	M_NOTHING_TO_OPEN,
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
	M_DO_PAGE_ROWS,
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
	/* the volunteer's service certificate (src/volunteers/) */
	M_CERTIFICATE,
	M_DO_CERTIFICATE,
	M_CERTIFICATE_PROMPT,
	/* the desk (src/desk/) */
	M_DESK,
	M_DO_DESK,
	M_DO_MENU_ITEM,
	M_DO_DESK_CELL,
	/* related records (panes.c) and the case file (src/cases/) */
	M_PANE,
	M_DO_NEXT_PANE,
	M_DO_PREV_PANE,
	M_DO_ADD_RELATED,
	M_PARENT_GONE,
	M_VISIT,
	M_CLOSE_CASE,
	M_EDIT,
	M_DO_ADD_VISIT,
	M_DO_CLOSE_CASE,
	M_DO_EDIT_CASE,
	M_CASE_CLOSED_ALREADY,
	M_CLOSE_ANYWAY,
	/* the evaluation sheet (src/contracts/) */
	M_SHEET,
	M_SHEET_NEXT,
	M_DO_SHEET,
	M_DO_SHEET_NEXT,
	M_DO_SHEET_SAVE,
	M_DO_SHEET_RELOAD,
	M_KEEP_DRAFT,
	/* the progress report submitted (screen_report.c) */
	M_SUBMIT,
	M_DO_SUBMIT,
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

/* ---- the services (ui.c) ---- */

/* The text of m in the interface's language (gettext). Borrowed (static). */
const char *ui_tr(const struct ui *ui, enum ui_msg m);
/* Is the interface in Chinese (i18n_lang())? Choices and yes/no then show
 * the dictionary's Chinese labels. */
bool ui_zh(const struct ui *ui);
/* Borrowed for the interface's life. */
struct db *ui_db(struct ui *ui);
/* Where reports and counts run (report_db.h): [database]
 * report_conninfo's hot standby, connected the first time (read only, as
 * the same role), or ui_db(); the one time it falls back to ui_db() (no
 * standby answers), the message line says so. Borrowed: ask again for
 * each query, since the standby may be dropped. Never write through it. */
struct db *ui_report_db(struct ui *ui);
/* A query on ui_report_db()'s db failed with err: when that was the
 * standby and it is lost (report_db_failed()), it is dropped and the
 * message line says reports run on the main database from now on; then
 * true: ask ui_report_db() again and run the query once more. */
bool ui_report_db_failed(struct ui *ui, struct db *db, const struct sgz_err *err);
/* report_run() there, with [database] report_max_lag, a standby lost on
 * the way dropped and the report run again on the main connection. */
int ui_report_run(struct ui *ui, const struct report_def *def, const struct report_params *p,
		  struct report_result **out, struct sgz_err *err);
/* The screen must be drawn again. */
void ui_redraw(struct ui *ui);
/* Shows msg (copied; NULL clears) on the message line until the next key. */
void ui_say(struct ui *ui, const char *msg);
/* Puts the terminal's cursor at (y, x) after this draw (a text field). */
void ui_cursor(struct ui *ui, int y, int x);
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
/* What Enter does with a line asked by ui_ask_line(): ctx as given
 * there; line borrowed for the call. */
typedef void (*ui_line_fn)(struct ui *ui, void *ctx, const char *line);
/* Asks a line on the bottom line, over whatever screen is on top (a list,
 * a form): the prompt, text to start from (copied); Enter gives the line
 * to done(), Esc drops it. ctx is the interface's from then on:
 * free_ctx(ctx) (or NULL) when the line closes or another is asked, so it
 * outlives a question done() leaves open (ui_export_file()'s). */
void ui_ask_line(struct ui *ui, enum ui_msg prompt, const char *text, ui_line_fn done, void *ctx,
		 void (*free_ctx)(void *ctx));
/* A dialog with one answer (Enter), for errors and notices. */
void ui_tell(struct ui *ui, const char *title, const char *body);
/* What went wrong in a call of the model, err->msg in the interface's
 * language (form_tr_message()): on the message line (ui_say_error) or in
 * a dialog (ui_tell_error). A query the user cancelled says only that; a
 * lost connection first keeps every open form's typing as a draft. */
void ui_say_error(struct ui *ui, const struct sgz_err *err);
void ui_tell_error(struct ui *ui, const struct sgz_err *err);
/* Keeps the typing of every open screen that has some as a draft (its
 * ui_view_ops.keep: form_screen_keep(), grid_screen_keep()). Returns how
 * many were written. */
int ui_keep_drafts(struct ui *ui);

/* A bracketed paste into text field le, as lineedit_paste() takes it: a
 * one-line field its first line, tabs as spaces, so a paste never moves
 * to the next field nor runs as keys; what was left out (the other lines,
 * what the field's maximum cut) is said on the message line. True when
 * the text changed. */
bool ui_paste_text(struct ui *ui, struct lineedit *le, const wchar_t *s, size_t n);

/* Where a list's rows come from: the database through browse.h, unless a
 * test gave the interface a source of rows in memory (ui_test_new(),
 * uistate.h): then this fills *src and returns true. */
bool ui_rows_source(struct ui *ui, const struct dict_entity *e, struct listview_source *src);

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
/* One record of e, as a message names it (个案, Case). Borrowed (static). */
const char *ui_entity_one(const struct ui *ui, const struct dict_entity *e);
/* The label of field df in the interface's language. */
const char *ui_field_label(const struct ui *ui, const struct dict_field *df);
/* Attribute of a selected row or the title bar (colour is optional). */
attr_t ui_selected_attr(const struct ui *ui);

/* ---- screens: every screen above the shell's menus implements these (the
 * generic list and form, the modules' screens, a screen of its own), and
 * the stack holds it without knowing what it is. The view is the screen's
 * state, freed by free() when it is popped. ---- */
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
	/* Keeps what is typed and not saved as a draft (draft.h), when the
	 * session ends unasked or the connection is lost (ui_keep_drafts()):
	 * true when a draft was written, false when there was nothing to keep
	 * or the write failed (err set). NULL: nothing to keep. */
	bool (*keep)(void *view, struct sgz_err *err);
};

/* Opens view (taken) on top of the stack. */
void ui_push_view(struct ui *ui, const struct ui_view_ops *ops, void *view);

/* ---- keys a module adds to the generic lists ----
 *
 * A module's screen opened from the list of an entity (g on the activities
 * and the hours lists: the hours grid) without the generic list knowing
 * the module: the shell, which knows both, gives the interface a table of
 * these; the list of entity e shows its key in help and on the status
 * line, and the key opens the module's screen from the selected row. */
struct list_screen;
struct ui_list_key {
	const char *entity; /* dict_entity.name */
	wint_t wc;	    /* the key, a character */
	struct ui_keyinfo info;
	/* Opens the screen: key is the selected row's (record_key_encode()),
	 * or NULL when the list is empty; origin is the list (borrowed), to
	 * be told of changes (list_screen_changed()). */
	void (*open)(struct ui *ui, const struct dict_entity *e, const char *key,
		     struct list_screen *origin);
};

/* The key a module adds to the lists of e, or NULL. */
const struct ui_list_key *ui_list_key(const struct ui *ui, const struct dict_entity *e);

/* What opened a record's screen (the list of its entity) and is told what
 * was saved there: the list gives it to the form it opens, so the form
 * knows no list (no include circle). Every member but saved may be NULL;
 * the origin outlives the screens it is given to (the list under them). */
struct form_origin {
	void *ctx;
	/* A record was saved (values: as saved, for ditto; key: the row to
	 * select, record_key()) or deleted (both NULL): fetch again. */
	void (*saved)(void *ctx, const char *const *values, const char *key);
	/* The values of the last record opened or saved there (ditto), or NULL. */
	const char *const *(*last)(void *ctx);
	/* Does its session see full ID numbers (browse_session_admin())? */
	bool (*admin)(void *ctx);
};

/* A module's screen of one record of an entity, opened instead of the
 * generic form wherever a record of it is opened (Enter on a list or a
 * pane: form_screen_open()): the case file for a case. The shell gives
 * these too. */
struct ui_record_opener {
	const char *entity; /* dict_entity.name */
	/* as ui_list_key.open, key never NULL; origin (may be NULL) told of
	 * changes */
	void (*open)(struct ui *ui, const struct dict_entity *e, const char *key,
		     const struct form_origin *origin);
};

/* The module's screen of a record of e, or NULL. */
const struct ui_record_opener *ui_record_opener(const struct ui *ui, const struct dict_entity *e);

/* A module's lines on top of the panes of a stored record of an entity
 * (panes.h), shown by its generic form above the fields: the station
 * page's KPIs against the year's targets and staffing against the
 * contract. Read with the panes, again whenever they are; the shell
 * gives these too. */
struct record;
struct ui_record_head {
	const char *entity; /* dict_entity.name */
	/* Reads what the lines show of the stored record r: the state, or
	 * NULL to show nothing. */
	void *(*read)(struct ui *ui, const struct record *r);
	/* Lines the state takes on the screen (a few). */
	int (*lines)(void *state);
	/* Draws them from row y of stdscr, width columns from x. */
	void (*draw)(void *state, struct ui *ui, int y, int x, int width);
	void (*free)(void *state);
};

/* The module's lines on top of a record of e, or NULL. */
const struct ui_record_head *ui_record_head(const struct ui *ui, const struct dict_entity *e);

#endif
