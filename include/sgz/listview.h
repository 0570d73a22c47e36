/* listview.h - the list/grid widget: a model over a window of rows fetched
 * by key through a data source (never by OFFSET, never the whole table),
 * plus the curses functions that map keys onto it and draw it.
 *
 * The model holds a few pages of rows around the screen. Moves that run off
 * the rows it holds ask the source for the page after the last key or before
 * the first one; Home and End ask for the first or last page; rows that
 * drift more than a few pages away are dropped. Each row's look depends only
 * on its data (the selected one is highlighted), never on its screen row, and
 * the model reports how the screen changed since it was last drawn (scrolled
 * by n, which rows to draw again), so a one-row move costs a terminal scroll
 * and a row or two, not a repaint. */
#ifndef SGZ_LISTVIEW_H
#define SGZ_LISTVIEW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/util.h"

struct listview;
struct listview_page; /* rows a source hands over; see listview_page_add() */

enum listview_align {
	LISTVIEW_LEFT,
	LISTVIEW_RIGHT, /* numbers */
};

struct listview_column {
	const char *title; /* UTF-8 */
	int width;	   /* display columns */
	enum listview_align align;
};

/* Where the rows come from (the model layer implements it over SQL with
 * keyset queries). Each callback adds at most n rows to page with
 * listview_page_add(), in list order (for `before` and `last` too: the rows
 * nearest the key or the end come last), and returns 0, or -1 with err set.
 * filter is NULL or the text the user typed after `/`; the source decides
 * what matches. key is a key the source gave with a row. */
struct listview_source {
	/* the first n rows */
	int (*first)(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err);
	/* the n rows after the row with key */
	int (*after)(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err);
	/* the n rows before the row with key */
	int (*before)(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err);
	/* the last n rows */
	int (*last)(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err);
	void *ctx; /* borrowed: passed to each callback */
};

/* Adds one row to page: its key and one UTF-8 string per column (NULL for
 * an empty cell), all copied. Returns 0, or -1 when the page already holds
 * the n rows asked for (the row is ignored). */
int listview_page_add(struct listview_page *page, const char *key, const char *const *cells);

/* Returns an empty list over src (copied; src->ctx stays the caller's) with
 * ncols columns (copied), `height` rows of `width` columns on screen below a
 * header line. Nothing is fetched until listview_reload(). Caller frees with
 * listview_free(). */
struct listview *listview_new(const struct listview_source *src, const struct listview_column *cols,
			      size_t ncols, int height, int width);
/* Frees lv and its rows; lv may be NULL. */
void listview_free(struct listview *lv);

/* Fetches the rows again, keeping the selection on the same data row at the
 * same screen row (or on the row that took its place, if it went); the
 * first page if nothing was loaded. Two keyset queries. 0, or -1 with err
 * set and the list unchanged. */
int listview_reload(struct listview *lv, struct sgz_err *err);
/* Ditto, the selection on the row with key (a record just saved), at the
 * selection's screen row, or on the row after where it would be when the
 * filter leaves it out. key NULL: listview_reload(). */
int listview_reload_at(struct listview *lv, const char *key, struct sgz_err *err);
/* Sets the filter (NULL or "": none) and fetches its first page.
 * 0, or -1 with err set and the list and the old filter unchanged. */
int listview_set_filter(struct listview *lv, const char *filter, struct sgz_err *err);
/* Returns the filter, "" for none. Borrowed until the next call on lv. */
const char *listview_filter(const struct listview *lv);

enum listview_move {
	LISTVIEW_UP,
	LISTVIEW_DOWN,
	LISTVIEW_PAGE_UP,
	LISTVIEW_PAGE_DOWN,
	LISTVIEW_HOME,
	LISTVIEW_END,
};

/* Moves the selection, fetching at most one page when it runs off the rows
 * held. 0 (moved or already there), or -1 with err set and nothing moved. */
int listview_move(struct listview *lv, enum listview_move move, struct sgz_err *err);

enum listview_highlight {
	LISTVIEW_HIGHLIGHT_ROW,	  /* the selected row's columns (the default) */
	LISTVIEW_HIGHLIGHT_FIRST, /* its frozen first column only */
};

/* Sets how much of the selected row is highlighted. Only the first column
 * makes a move rewrite two short runs instead of two whole rows: about 45
 * bytes instead of 150 on an 80-column list of Chinese text. */
void listview_set_highlight(struct listview *lv, enum listview_highlight highlight);
/* Scrolls the columns after the frozen first one by delta columns (whole
 * columns). 0, or -1 when already at that end. */
int listview_scroll_columns(struct listview *lv, int delta);
/* Changes the size on screen, keeping the selection in view (fetching a
 * page if the taller list needs one). 0, or -1 with err set. */
int listview_resize(struct listview *lv, int height, int width, struct sgz_err *err);

/* The selected row's key, or NULL if the list is empty. Borrowed until the
 * next call that fetches or moves. */
const char *listview_selected_key(const struct listview *lv);
/* The screen row (0 to height - 1) of the selection, -1 if the list is empty. */
int listview_selected_row(const struct listview *lv);
/* The key of the row at screen row r, or NULL below the end. Borrowed as
 * listview_selected_key(). */
const char *listview_key_at(const struct listview *lv, int r);
/* Index of the first scrolled column shown after the frozen one (1 when not
 * scrolled). */
int listview_first_column(const struct listview *lv);
/* Rows the model holds now (at most a few pages). */
size_t listview_rows_held(const struct listview *lv);

/* Lays out s[0..n) in exactly width columns into out (room for outlen
 * characters, at least width + 1): cut before a double-width character
 * that would straddle the edge, padded with spaces (on the left if right
 * aligned), unprintable characters shown as '?'. Text that does not fit
 * ends in a U+2026 '…' in its last column, so a cut name or number never
 * passes for a whole one. Returns the characters
 * written; out is NUL-terminated. */
size_t listview_fit(const wchar_t *s, size_t n, int width, enum listview_align align, wchar_t *out,
		    size_t outlen);
/* The text of screen row r (-1: the header line) in exactly the list's
 * width: the frozen first column, then the scrolled ones, one space apart.
 * Returns the characters written, as listview_fit(). *hl receives the
 * columns the row's highlight covers (the columns in use, not the blank
 * after them, or only the first: listview_set_highlight()); may be NULL. */
size_t listview_line(const struct listview *lv, int r, wchar_t *out, size_t outlen, int *hl);

/* What changed on screen since listview_drawn(). */
struct listview_changes {
	bool all;   /* draw the header and every row */
	int scroll; /* the rows moved up by this many (down if negative): wscrl() them first */
};

/* Fills *ch with how the screen must change to show the model. */
void listview_changes(const struct listview *lv, struct listview_changes *ch);
/* Must screen row r be drawn again once ch->scroll has been applied? The
 * caller may set ch->scroll to 0 when it cannot scroll (the rows are then
 * compared where they are). */
bool listview_row_stale(const struct listview *lv, const struct listview_changes *ch, int r);
/* Records that the screen now shows the model. */
void listview_drawn(struct listview *lv);
/* Forgets what the screen shows (after werase or Ctrl-L): the next changes
 * are `all`. */
void listview_invalidate(struct listview *lv);

/* ---- curses side ---- */

enum listview_key {
	LISTVIEW_KEY_OTHER,  /* not a list key: the caller's (Enter, /, a, d, e, Esc) */
	LISTVIEW_KEY_DONE,   /* moved, or already at that end */
	LISTVIEW_KEY_FAILED, /* the source failed: err says why */
};

/* Applies one key as wget_wch() returned it: Up, Down, PgUp, PgDn, Home,
 * End, and Left/Right for the scrolled columns. */
enum listview_key listview_key(struct listview *lv, bool fn, wint_t wc, struct sgz_err *err);

/* Draws the header line at (y, x) of win in header_attr and the rows below
 * it, the selected one in selected_attr; draws only the rows that changed
 * and lets the terminal scroll the rest (idlok on win; wscrl when the list
 * spans the whole width of win). Then records that the screen shows the
 * model. */
void listview_draw(WINDOW *win, int y, int x, struct listview *lv, attr_t header_attr,
		   attr_t selected_attr);

#endif
