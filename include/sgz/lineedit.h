/* lineedit.h - the one-line text field: a pure model (a wchar_t buffer, the
 * cursor and the field's horizontal scroll, all in display columns, so CJK
 * double-width text edits and scrolls correctly) plus, at the end, the two
 * curses functions that map keys onto it and draw it.
 *
 * Horizontal scrolling: the field shows `width` columns of the text starting
 * at text column lineedit_scroll(). When the cursor would leave the field,
 * the text jumps by half a field rather than one character, so that typing
 * on costs one character on the wire until the next jump; when the whole
 * text fits, the field shows it all from column 0. A double-width character
 * cut in half by either edge shows as a space. */
#ifndef SGZ_LINEEDIT_H
#define SGZ_LINEEDIT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct lineedit;

/* What the field's `width` columns show: lead + text_cols + trail + fill
 * columns, left to right. */
struct lineedit_slice {
	size_t first;  /* index of the first character shown whole */
	size_t count;  /* characters shown whole */
	int lead;      /* spaces for a double-width character cut by the left edge (0 or 1) */
	int text_cols; /* columns of those characters */
	int trail;     /* spaces for a double-width character cut by the right edge (0 or 1) */
	int fill;      /* pad characters after the end of the text */
};

/* Returns an empty field `width` columns wide holding at most max characters
 * (0: no limit). Caller frees with lineedit_free(). */
struct lineedit *lineedit_new(int width, size_t max);
/* Frees le and its text; le may be NULL. */
void lineedit_free(struct lineedit *le);

/* Line breaks (DF_MULTILINE fields): a multi-line field holds '\n' as a
 * character of its text, typed with Ctrl-J (Enter still leaves the field)
 * and shown as LINEEDIT_BREAK_MARK, U+23CE RETURN SYMBOL: one column, East
 * Asian width neutral (never ambiguous-width), so it measures the same in
 * every terminal. Other fields refuse '\n'. */
#define LINEEDIT_BREAK_MARK L'\u23CE'

/* Lets le hold line breaks (off by default). */
void lineedit_set_multiline(struct lineedit *le, bool multiline);
bool lineedit_multiline(const struct lineedit *le);

/* Replaces the text with UTF-8 s (NULL: empty), cursor at its end, and
 * clears the dirty flag (the field now matches its source). Returns 0, or -1
 * when s was longer than the maximum and was cut to it. */
int lineedit_set_utf8(struct lineedit *le, const char *s);
/* Returns the text as UTF-8. Caller frees. */
char *lineedit_get_utf8(const struct lineedit *le);
/* Returns the text (NUL-terminated) and its length in *len (may be NULL).
 * Borrowed until the next change to le. */
const wchar_t *lineedit_text(const struct lineedit *le, size_t *len);

/* Changed by the user since lineedit_new(), lineedit_set_utf8() or
 * lineedit_set_dirty(le, false)? Any edit counts, even one undone. */
bool lineedit_dirty(const struct lineedit *le);
/* Sets the dirty flag: false after a save, true after a programmatic edit
 * that should count as the user's (ditto). */
void lineedit_set_dirty(struct lineedit *le, bool dirty);

/* Editing. Each returns 0, or -1 when it could do nothing (field full,
 * cursor already at that end, nothing to delete, unprintable character);
 * the caller may beep. Cursor moves step over a character and the
 * zero-width marks that follow it. */

/* Inserts c at the cursor; control and unprintable characters are refused,
 * but for '\n' in a multi-line field. */
int lineedit_insert(struct lineedit *le, wchar_t c);
/* Inserts a pasted string at the cursor in one go. In a one-line field only
 * its first line is taken: it stops at the first CR or LF (a spreadsheet
 * cell arrives as "text\r\n"); a multi-line field keeps its lines (CR LF
 * and CR become '\n'), trailing line ends dropped. Tabs become spaces;
 * other control characters are dropped.
 * Returns 0, or -1 when the maximum length cut the line short (what fits
 * is still inserted). */
int lineedit_paste(struct lineedit *le, const wchar_t *s, size_t n);
/* Deletes the character before the cursor (Backspace). */
int lineedit_backspace(struct lineedit *le);
/* Deletes the character under the cursor (Delete). */
int lineedit_delete(struct lineedit *le);
/* Empties the field (Ctrl-K, spec/keys.md). */
int lineedit_clear(struct lineedit *le);
/* Deletes from the start of the field to the cursor (Ctrl-U). */
int lineedit_kill_to_start(struct lineedit *le);
/* Moves the cursor one character left or right (Left, Right). */
int lineedit_left(struct lineedit *le);
int lineedit_right(struct lineedit *le);
/* Moves the cursor to the start or end (Home or Ctrl-A, End or Ctrl-E). */
int lineedit_home(struct lineedit *le);
int lineedit_end(struct lineedit *le);

/* Changes the field's width in columns (a resize) and scrolls to keep the
 * cursor in it. */
void lineedit_set_width(struct lineedit *le, int width);
int lineedit_width(const struct lineedit *le);
/* Length of the text in characters. */
size_t lineedit_len(const struct lineedit *le);
/* The cursor as a character index, 0 to lineedit_len(). */
size_t lineedit_cursor(const struct lineedit *le);
/* The cursor's column inside the field, 0 to width - 1: where the terminal
 * cursor goes. */
int lineedit_cursor_col(const struct lineedit *le);
/* Text columns scrolled off the left edge of the field. */
int lineedit_scroll(const struct lineedit *le);
/* Fills *out with what the field shows now. */
void lineedit_slice(const struct lineedit *le, struct lineedit_slice *out);

/* ---- curses side ---- */

enum lineedit_key {
	LINEEDIT_KEY_OTHER, /* not an editing key: the caller's (Tab, Enter, Esc, F-keys, Ctrl-W) */
	LINEEDIT_KEY_DONE,  /* edited the text or moved the cursor */
	LINEEDIT_KEY_REFUSED, /* an editing key that could do nothing (see above) */
};

/* Applies one key as wget_wch() returned it (fn: KEY_CODE_YES): printable
 * characters, Left, Right, Home, End, Backspace, Delete, Ctrl-A, Ctrl-E,
 * Ctrl-K, Ctrl-U; in a multi-line field Ctrl-J ('\n') inserts a break.
 * Leaves every other key to the caller, Ctrl-D and Ctrl-W included (ditto
 * and save, spec/keys.md). */
enum lineedit_key lineedit_key(struct lineedit *le, bool fn, wint_t wc);

/* Draws the field at (y, x) of win, `width` columns in attr, the columns
 * after the text filled with pad (e.g. '_' or '.': a pad, not underlining,
 * so the field costs no attribute changes); with focus, leaves win's cursor
 * on the field's cursor. Only the cells that differ from what win holds are
 * written, so typing a character costs about that character's bytes. The
 * field must fit in win. */
void lineedit_draw(WINDOW *win, int y, int x, const struct lineedit *le, attr_t attr, wchar_t pad,
		   bool focus);

#endif
