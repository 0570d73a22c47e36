/* uistate.h - the interface's state: what the services (ui.c) keep and
 * the shell (src/shell/tui.c) drives: the screen stack, the dialog, the
 * message line, the keys typed while a query ran, a paste being gathered.
 * Only ui.c, the shell and the tests include this; a screen sees
 * `struct ui` opaque, through ui.h (tests/layers.sh). */
#ifndef SGZ_UISTATE_H
#define SGZ_UISTATE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/ui.h"

struct draft;
struct report_db;
struct tui_opts;

enum screen_kind {
	SCREEN_MENU,	/* the main menu */
	SCREEN_SUBMENU, /* the entities of a main menu item */
	SCREEN_HELP,	/* the keys of the screen below it */
	SCREEN_VIEW,	/* a screen behind struct ui_view_ops */
};

struct screen {
	enum screen_kind kind;
	int item;     /* SCREEN_SUBMENU: index into the shell's menu */
	int selected; /* SCREEN_MENU, SCREEN_SUBMENU */
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

/* A line asked on the bottom line (ui_ask_line()). */
struct ask_line {
	bool open;
	enum ui_msg prompt;
	struct lineedit *le;
	ui_line_fn done;
	void *ctx;
	void (*free_ctx)(void *ctx);
};

struct pending_key {
	bool fn;
	wint_t wc;
};

/* Keys typed while a query ran, kept for after it. */
#define PENDING_MAX 64

/* Where lists get their rows in the tests (ui_test_new()). */
typedef void (*ui_rows_fn)(void *ctx, const struct dict_entity *e, struct listview_source *src);

struct ui {
	const struct tui_opts *opts; /* the shell's */
	const char *export_dir;	     /* tui_opts.export_dir, "" for none */
	struct db *db;
	struct report_db *reports; /* tui_opts.reports: where reports run, or NULL */
	int fd;	       /* the terminal (standard input) */
	WINDOW *input; /* a 1x1 pad keys are read through: reading a pad never refreshes */
	attr_t bar;    /* the title bar: reverse, or a colour pair */
	struct screen stack[12];
	int depth;
	struct dialog dialog;
	struct ask_line line; /* the line asked, under the dialog */
	char *message; /* the message line, until the next key */
	int cursor_y;  /* where a text field wants the cursor, or -1 */
	int cursor_x;
	bool cursor_on;	 /* the terminal's cursor is shown */
	bool dirty;	 /* the screen must be drawn again */
	bool quit;	 /* q on the main menu */
	int empty_reads; /* the shell's EMPTY_READS_MAX */
	bool lost;	 /* the terminal hung up (noticed while a query ran) */
	bool cancelled;	 /* the user cancelled the query that just ended */
	bool drawing;	 /* inside the shell's draw(): a query's wait must not doupdate() */
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
	const struct ui_list_key *list_keys; /* the modules' keys on lists */
	size_t nlist_keys;
	const struct ui_record_opener *openers; /* the modules' screens of a record */
	size_t nopeners;
	const struct ui_record_head *heads; /* the modules' lines on top of a record */
	size_t nheads;
	ui_rows_fn rows; /* tests: lists over rows in memory */
	void *rows_ctx;
};

/* ---- for the shell ---- */

/* Pushes a screen of kind (item: SCREEN_SUBMENU's) on the stack. */
struct screen *ui_push_screen(struct ui *t, enum screen_kind kind, int item);
/* The top of the stack. */
struct screen *ui_top(struct ui *t);
/* Closes the dialog (an answer came). */
void ui_dialog_close(struct dialog *d);
/* A key while the dialog is open: an answer closes it and calls its fn. */
void ui_dialog_key(struct ui *t, bool fn, wint_t wc);
/* A key while a line is asked: Enter gives it to its done(), Esc drops it. */
void ui_line_key(struct ui *t, bool fn, wint_t wc);
/* A paste into the line asked. */
void ui_line_paste(struct ui *t, const wchar_t *s, size_t n);
/* Draws the line asked on row y; its keys for the status line. */
void ui_draw_line(struct ui *t, int y);
const struct ui_keyinfo *ui_line_keys(size_t *n);
/* Closes the line asked, freeing its context. */
void ui_line_close(struct ui *t);
/* Draws the dialog over the screen. */
void ui_draw_dialog(const struct ui *t);
/* Draws the status line (the last row): the open dialog's answers, or the
 * short forms of keys[0..n). */
void ui_draw_status(const struct ui *t, const struct ui_keyinfo *keys, size_t n);

/* ---- for tests (tests/unit/test_wire.c): the shell over a curses screen
 * the caller set up (newterm(), set_term()), without a database, signals
 * or a poll loop; lists get their rows from rows(ctx, e, src). These are
 * the shell's (src/shell/tui.c). ---- */
/* Returns the shell on its main menu. Caller frees with ui_test_free(). */
struct ui *ui_test_new(ui_rows_fn rows, void *ctx);
void ui_test_free(struct ui *ui);
/* Handles one key as the poll loop would (fn: a KEY_ code). */
void ui_test_key(struct ui *ui, bool fn, wint_t wc);
/* Draws what changed, as the loop does before it waits (one doupdate). */
void ui_test_draw(struct ui *ui);

#endif
