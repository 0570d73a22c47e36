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
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/util.h"

struct db;
struct record;
struct ui;	    /* the shell */
struct list_screen; /* screen_list.c */
struct form_screen; /* screen_form.c */

#define UI_KEY_ESC     27
#define UI_KEY_CTRL(c) (0x1f & (c))

/* Every text the interface shows, in English and Chinese (tui.c's table),
 * until gettext arrives. Texts with a %s take one argument. */
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
	M_NOT_YET,
	M_HELP_FOR,
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
	M_DO_EDIT,
	M_DO_BACK_ASK,
	/* list */
	M_FILTER_PROMPT,
	M_FILTERED,
	M_NO_ROWS,
	M_EXPORT_PROMPT,
	M_EXPORTED,
	M_DELETE_ASK,
	M_DELETED,
	M_REFERENCED,
	M_REFERENCED_BY,
	M_REFERENCED_SEP,
	M_CHANGED_SINCE,
	M_GONE,
	M_ERROR,
	M_LIST_FAILED,
	/* form */
	M_EDIT,
	M_NEW,
	M_SAVED,
	M_SAVED_NEXT,
	M_NOTHING_CHANGED,
	M_DISCARD_ASK,
	M_CONFLICT,
	M_CONFLICT_BODY,
	M_YOURS,
	M_THEIRS,
	M_TOOK_THEIRS,
	M_GONE_ASK,
	M_REFUSED,
	M_NO_DITTO,
	M_NO_PICK,
	M_HINT_PICK,
	M_HINT_DATE,
	M_HINT_REF,
	M_HINT_LIST,
	M_HINT_AUTO,
	M_PICK_TITLE,
	M_PICK_NONE,
	M_PICK_LOOKING,
	M_CONN_LOST,
	M_WARNING,
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

/* The text of m in the interface's language. Borrowed (static). */
const char *ui_tr(const struct ui *ui, enum ui_msg m);
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
/* Closes the top screen (freeing it). */
void ui_pop(struct ui *ui);
/* Shows the help of the top screen. */
void ui_help(struct ui *ui);
/* Opens a dialog over the screen: a title, a body (lines separated by
 * '\n'; copied), the answers; fn gets the answer (ctx borrowed). Esc
 * always dismisses it. */
void ui_ask(struct ui *ui, const char *title, const char *body, const struct ui_choice *choices,
	    size_t n, ui_answer_fn fn, void *ctx);
/* A dialog with one answer (Enter), for errors and notices. */
void ui_tell(struct ui *ui, const char *title, const char *body);

/* Draws UTF-8 s at (y, x) of stdscr in at most width columns (a double-width
 * character that would be cut is left out), in attr; with fill the rest of
 * width is padded. Returns the columns drawn. */
int ui_put(int y, int x, int width, const char *s, attr_t attr, bool fill);
/* Columns of UTF-8 s. */
int ui_width(const char *s);
/* The label of entity e in the interface's language. */
const char *ui_entity_label(const struct ui *ui, const struct dict_entity *e);
/* The label of field df in the interface's language. */
const char *ui_field_label(const struct ui *ui, const struct dict_field *df);
/* Attribute of a selected row or the title bar (colour is optional). */
attr_t ui_selected_attr(const struct ui *ui);

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
/* The keys of the list; the short ones depend on what is being typed. */
const struct ui_keyinfo *list_screen_keys(const struct list_screen *ls, size_t *n);
const struct ui_keyinfo *list_screen_status_keys(const struct list_screen *ls, size_t *n);
/* A form saved or deleted a record of this list: fetch again when shown.
 * values: the record as saved (for ditto), or NULL. */
void list_screen_changed(struct list_screen *ls, const char *const *values);
/* The values of the last record opened or saved from this list, or NULL. */
const char *const *list_screen_last(const struct list_screen *ls);

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
const struct ui_keyinfo *form_screen_keys(const struct form_screen *fs, size_t *n);
const struct ui_keyinfo *form_screen_status_keys(const struct form_screen *fs, size_t *n);
/* The line under the form: the current field's refusal or a hint. Borrowed
 * until the next call on fs; NULL for none. */
const char *form_screen_hint(struct form_screen *fs);

#endif
