/* lineedit.c - the one-line text field: the model first (no curses), then
 * the key mapping and the draw function. */
#include "config.h"

#include "sgz/lineedit.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/util.h"
#include "sgz/width.h"

#define KEY_CTRL(c) (0x1f & (c))

struct lineedit {
	wchar_t *buf;	/* NUL-terminated */
	size_t len;	/* characters in buf */
	size_t cap;	/* room in buf, the NUL included */
	size_t max;	/* most characters allowed; 0: no limit */
	size_t cursor;	/* 0 to len */
	int cursor_col; /* text column of the cursor: a cache of width_wcs(buf, cursor) */
	int width;	/* the field, in columns */
	int scroll;	/* text columns left of the field */
	bool dirty;
	bool multiline; /* '\n' allowed */
};

/* ---- the model ---- */

/* Characters a field may display: what wcwidth() knows, NUL and C0/C1
 * controls excluded. */
static bool printable(wchar_t c)
{
	return c >= 0x20 && !(c >= 0x7f && c < 0xa0) && wcwidth(c) >= 0;
}

static void reserve(struct lineedit *le, size_t len)
{
	if (len + 1 <= le->cap)
		return;
	le->cap = le->cap ? le->cap : 32;
	while (le->cap < len + 1)
		le->cap *= 2;
	le->buf = xreallocarray(le->buf, le->cap, sizeof(*le->buf));
}

static bool zero_width(const struct lineedit *le, size_t i)
{
	return i < le->len && width_wchar(le->buf[i]) == 0;
}

/* The character boundary after i: the character and its zero-width marks. */
static size_t next_boundary(const struct lineedit *le, size_t i)
{
	if (i < le->len)
		i++;
	while (zero_width(le, i))
		i++;
	return i;
}

static size_t prev_boundary(const struct lineedit *le, size_t i)
{
	if (i > 0)
		i--;
	while (i > 0 && zero_width(le, i))
		i--;
	return i;
}

/* Recomputes the cursor's column and scrolls so the cursor's cell (both
 * columns of a double-width character under it) is inside the field. */
static void follow_cursor(struct lineedit *le)
{
	int cc, cw, total, s;

	cc = le->cursor_col = width_wcs(le->buf, le->cursor);
	cw = le->cursor < le->len ? width_wchar(le->buf[le->cursor]) : 1;
	if (cw < 1)
		cw = 1;
	total = cc + width_wcs(le->buf + le->cursor, le->len - le->cursor);
	if (le->width <= 0) {
		le->scroll = cc;
		return;
	}
	/* everything fits, the cell after the text included: show it all */
	if (total + 1 <= le->width) {
		le->scroll = 0;
		return;
	}
	if (cc >= le->scroll && cc + cw <= le->scroll + le->width)
		return;
	/* jump by half a field, so the next keystrokes need no scrolling */
	s = cc - le->width / 2;
	if (cc + cw > s + le->width)
		s = cc + cw - le->width;
	if (s > cc)
		s = cc;
	le->scroll = s > 0 ? s : 0;
}

static void changed(struct lineedit *le)
{
	le->dirty = true;
	follow_cursor(le);
}

struct lineedit *lineedit_new(int width, size_t max)
{
	struct lineedit *le = xcalloc(1, sizeof(*le));

	le->width = width;
	le->max = max;
	reserve(le, 0);
	le->buf[0] = L'\0';
	return le;
}

void lineedit_free(struct lineedit *le)
{
	if (!le)
		return;
	free(le->buf);
	free(le);
}

int lineedit_set_utf8(struct lineedit *le, const char *s)
{
	wchar_t *w;
	size_t n;
	int rc = 0;

	w = width_from_utf8(s, &n);
	if (le->max && n > le->max) {
		n = le->max;
		rc = -1;
	}
	reserve(le, n);
	wmemcpy(le->buf, w, n);
	le->buf[n] = L'\0';
	le->len = le->cursor = n;
	free(w);
	le->dirty = false;
	follow_cursor(le);
	return rc;
}

char *lineedit_get_utf8(const struct lineedit *le)
{
	return width_to_utf8(le->buf, le->len);
}

const wchar_t *lineedit_text(const struct lineedit *le, size_t *len)
{
	if (len)
		*len = le->len;
	return le->buf;
}

bool lineedit_dirty(const struct lineedit *le)
{
	return le->dirty;
}

void lineedit_set_dirty(struct lineedit *le, bool dirty)
{
	le->dirty = dirty;
}

/* Opens a gap of n characters at the cursor (room already checked). */
static void open_gap(struct lineedit *le, size_t n)
{
	reserve(le, le->len + n);
	wmemmove(le->buf + le->cursor + n, le->buf + le->cursor, le->len - le->cursor + 1);
	le->len += n;
}

/* Removes characters [from, to) and puts the cursor at from. */
static void cut(struct lineedit *le, size_t from, size_t to)
{
	wmemmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	le->cursor = from;
	changed(le);
}

void lineedit_set_multiline(struct lineedit *le, bool multiline)
{
	le->multiline = multiline;
}

bool lineedit_multiline(const struct lineedit *le)
{
	return le->multiline;
}

/* Can c go into le's text? */
static bool insertable(const struct lineedit *le, wchar_t c)
{
	return printable(c) || (c == L'\n' && le->multiline);
}

int lineedit_insert(struct lineedit *le, wchar_t c)
{
	if (!insertable(le, c) || (le->max && le->len >= le->max))
		return -1;
	open_gap(le, 1);
	le->buf[le->cursor++] = c;
	changed(le);
	return 0;
}

/* What pasted character i of s[0..n) becomes: 0 to drop it. CR LF and CR
 * are one line break. */
static wchar_t pasted(const wchar_t *s, size_t n, size_t i)
{
	if (s[i] == L'\t')
		return L' ';
	if (s[i] == L'\r')
		return i + 1 < n && s[i + 1] == L'\n' ? 0 : L'\n';
	return printable(s[i]) || s[i] == L'\n' ? s[i] : 0;
}

int lineedit_paste(struct lineedit *le, const wchar_t *s, size_t n)
{
	size_t i, take = 0, room;
	int rc = 0;

	/* a one-line field takes the first line; trailing line ends go */
	for (i = 0; i < n && (le->multiline || (s[i] != L'\r' && s[i] != L'\n')); i++)
		continue;
	n = i;
	while (n && (s[n - 1] == L'\r' || s[n - 1] == L'\n'))
		n--;
	room = le->max ? le->max - le->len : (size_t)-1;
	/* count first, so the text moves once */
	for (i = 0; i < n; i++) {
		if (!pasted(s, n, i))
			continue;
		if (take == room) {
			rc = -1;
			break;
		}
		take++;
	}
	if (take == 0)
		return rc;
	open_gap(le, take);
	for (i = 0; take > 0; i++) {
		wchar_t c = pasted(s, n, i);
		if (!c)
			continue;
		le->buf[le->cursor++] = c;
		take--;
	}
	changed(le);
	return rc;
}

int lineedit_backspace(struct lineedit *le)
{
	if (le->cursor == 0)
		return -1;
	cut(le, prev_boundary(le, le->cursor), le->cursor);
	return 0;
}

int lineedit_delete(struct lineedit *le)
{
	if (le->cursor == le->len)
		return -1;
	cut(le, le->cursor, next_boundary(le, le->cursor));
	return 0;
}

int lineedit_clear(struct lineedit *le)
{
	if (le->len == 0)
		return -1;
	cut(le, 0, le->len);
	return 0;
}

int lineedit_kill_to_start(struct lineedit *le)
{
	if (le->cursor == 0)
		return -1;
	cut(le, 0, le->cursor);
	return 0;
}

static int move_to(struct lineedit *le, size_t pos)
{
	if (pos == le->cursor)
		return -1;
	le->cursor = pos;
	follow_cursor(le);
	return 0;
}

int lineedit_left(struct lineedit *le)
{
	return move_to(le, prev_boundary(le, le->cursor));
}

int lineedit_right(struct lineedit *le)
{
	return move_to(le, next_boundary(le, le->cursor));
}

int lineedit_home(struct lineedit *le)
{
	return move_to(le, 0);
}

int lineedit_end(struct lineedit *le)
{
	return move_to(le, le->len);
}

void lineedit_set_width(struct lineedit *le, int width)
{
	le->width = width;
	follow_cursor(le);
}

int lineedit_width(const struct lineedit *le)
{
	return le->width;
}

size_t lineedit_len(const struct lineedit *le)
{
	return le->len;
}

size_t lineedit_cursor(const struct lineedit *le)
{
	return le->cursor;
}

int lineedit_cursor_col(const struct lineedit *le)
{
	return le->cursor_col - le->scroll;
}

int lineedit_scroll(const struct lineedit *le)
{
	return le->scroll;
}

void lineedit_slice(const struct lineedit *le, struct lineedit_slice *out)
{
	size_t i = 0;
	int col = 0, w, room;

	memset(out, 0, sizeof(*out));
	if (le->width <= 0)
		return;
	/* the characters wholly or partly left of the field */
	while (i < le->len && col + width_wchar(le->buf[i]) <= le->scroll)
		col += width_wchar(le->buf[i++]);
	if (i < le->len && col < le->scroll) {
		/* a double-width character straddles the left edge */
		w = width_wchar(le->buf[i++]);
		out->lead = col + w - le->scroll;
		if (out->lead > le->width)
			out->lead = le->width;
		while (zero_width(le, i))
			i++; /* its marks go with it */
	}
	out->first = i;
	room = le->width - out->lead;
	out->count = width_fit(le->buf + i, le->len - i, room, &out->text_cols);
	if (i + out->count < le->len)
		out->trail = room - out->text_cols; /* the next character does not fit */
	else
		out->fill = room - out->text_cols;
}

/* ---- curses side ---- */

enum lineedit_key lineedit_key(struct lineedit *le, bool fn, wint_t wc)
{
	int rc;

	if (fn) {
		switch (wc) {
		case KEY_LEFT:
			rc = lineedit_left(le);
			break;
		case KEY_RIGHT:
			rc = lineedit_right(le);
			break;
		case KEY_HOME:
			rc = lineedit_home(le);
			break;
		case KEY_END:
			rc = lineedit_end(le);
			break;
		case KEY_BACKSPACE:
			rc = lineedit_backspace(le);
			break;
		case KEY_DC:
			rc = lineedit_delete(le);
			break;
		default: /* wc is a key code, not an enum */
			return LINEEDIT_KEY_OTHER;
		}
	} else if (wc == 0x7f || wc == KEY_CTRL('H')) {
		rc = lineedit_backspace(le);
	} else if (wc == KEY_CTRL('A')) {
		rc = lineedit_home(le);
	} else if (wc == KEY_CTRL('E')) {
		rc = lineedit_end(le);
	} else if (wc == KEY_CTRL('K')) {
		rc = lineedit_clear(le);
	} else if (wc == KEY_CTRL('U')) {
		rc = lineedit_kill_to_start(le);
	} else if (insertable(le, (wchar_t)wc)) {
		rc = lineedit_insert(le, (wchar_t)wc);
	} else {
		return LINEEDIT_KEY_OTHER;
	}
	return rc == 0 ? LINEEDIT_KEY_DONE : LINEEDIT_KEY_REFUSED;
}

/* One cell of the field: a character, or a run of characters when
 * zero-width marks follow it, as curses stores them in one cell. */
struct cell {
	wchar_t wch[CCHARW_MAX + 1];
	int col;   /* the cell's column in the field */
	int width; /* 1 or 2 */
};

/* Does win hold cell c at (y, x + c->col) already, in attr? Only the cell's
 * first column is read: curses keeps the second half of a double-width
 * character with its first. */
static bool cell_shown(WINDOW *win, int y, int x, const struct cell *c, attr_t attr)
{
	wchar_t wch[CCHARW_MAX + 1];
	cchar_t cc;
	attr_t a;
	short pair;

	if (mvwin_wch(win, y, x + c->col, &cc) == ERR)
		return false;
	if (getcchar(&cc, wch, &a, &pair, NULL) == ERR)
		return false;
	return wcscmp(wch, c->wch) == 0 && (a & ~A_COLOR) == (attr & ~A_COLOR) &&
	       pair == (short)PAIR_NUMBER(attr);
}

/* Appends to cells[*n] the field cells for s[0..n): one per character,
 * zero-width marks joined to theirs, unprintable ones shown as '?'. */
static void add_text(struct cell *cells, size_t *n, int *col, const wchar_t *s, size_t len)
{
	struct cell *c = NULL;
	size_t i, k = 0;
	int w;

	for (i = 0; i < len; i++) {
		w = wcwidth(s[i]);
		if (w == 0 && c && k < CCHARW_MAX) {
			c->wch[k++] = s[i];
			c->wch[k] = L'\0';
			continue;
		}
		if (w == 0)
			continue; /* a mark with no base in the field, or one too many */
		c = &cells[(*n)++];
		c->wch[0] = s[i] == L'\n' ? LINEEDIT_BREAK_MARK : w < 0 ? L'?' : s[i];
		c->wch[1] = L'\0';
		c->col = *col;
		c->width = w < 0 ? 1 : w;
		*col += c->width;
		k = 1;
	}
}

static void add_blank(struct cell *cells, size_t *n, int *col, wchar_t ch, int count)
{
	struct cell *c;

	for (; count > 0; count--) {
		c = &cells[(*n)++];
		c->wch[0] = ch;
		c->wch[1] = L'\0';
		c->col = (*col)++;
		c->width = 1;
	}
}

void lineedit_draw(WINDOW *win, int y, int x, const struct lineedit *le, attr_t attr, wchar_t pad,
		   bool focus)
{
	struct lineedit_slice sl;
	struct cell *cells;
	size_t n = 0, i, first;
	int col = 0;
	attr_t saved_attr;
	short saved_pair;
	cchar_t cc;

	if (le->width <= 0)
		return;
	lineedit_slice(le, &sl);
	cells = xcalloc((size_t)le->width, sizeof(*cells));
	add_blank(cells, &n, &col, L' ', sl.lead);
	add_text(cells, &n, &col, le->buf + sl.first, sl.count);
	add_blank(cells, &n, &col, L' ', sl.trail);
	add_blank(cells, &n, &col, pad, sl.fill);

	/* From the first cell that differs (often the one just typed) to the end
	 * of the field: a shorter run could leave half of a double-width
	 * character behind. Cells written unchanged cost nothing on the wire:
	 * doupdate() sends only what differs from the terminal. */
	for (first = 0; first < n; first++) {
		if (!cell_shown(win, y, x, &cells[first], attr))
			break;
	}
	if (first < n) {
		wattr_get(win, &saved_attr, &saved_pair, NULL);
		for (i = first; i < n; i++) {
			setcchar(&cc, cells[i].wch, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
				 NULL);
			mvwadd_wch(win, y, x + cells[i].col, &cc);
		}
		wattr_set(win, saved_attr, saved_pair, NULL);
	}
	free(cells);
	if (focus)
		wmove(win, y, x + lineedit_cursor_col(le));
}
