/* listview.c - the list/grid widget: the model first (no curses), then the
 * key mapping and the draw function. */
#include "config.h"

#include "sgz/listview.h"

#include "sgz/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/util.h"
#include "sgz/width.h"

/* Pages held around the screen before the farthest are dropped. */
#define PAGES_HELD 3

struct row {
	char *key;
	wchar_t **cells;      /* one per column, NUL-terminated */
	unsigned long serial; /* unique while the list lives: what the screen shows */
};

struct listview_page {
	size_t ncols;
	size_t limit; /* the n the source was asked for */
	size_t n;
	struct row *rows;
};

struct column {
	wchar_t *title;
	int width;
	enum listview_align align;
};

struct listview {
	struct listview_source src;
	struct column *cols;
	size_t ncols;
	int height, width;
	char *filter; /* NULL: none */

	struct row *rows; /* a window of the list, in list order */
	size_t count;
	size_t top;    /* rows[top] is on the first screen row */
	size_t sel;    /* rows[sel] is selected (when count > 0) */
	bool at_start; /* rows[0] is the first row of the list */
	bool at_end;   /* rows[count - 1] is the last */
	int first_col; /* the first scrolled column shown, 1.. */
	enum listview_highlight highlight;
	unsigned long next_serial;

	/* what the screen shows, per screen row: a row's serial (0: blank) and
	 * whether it was drawn selected */
	bool drawn_valid;
	int drawn_height, drawn_width, drawn_first_col;
	unsigned long *drawn;
	bool *drawn_sel;
	int drawn_cap;
};

/* ---- rows and pages ---- */

static void row_free(struct row *r, size_t ncols)
{
	size_t c;

	free(r->key);
	for (c = 0; c < ncols; c++)
		free(r->cells[c]);
	free(r->cells);
}

static struct listview_page *page_new(const struct listview *lv, size_t limit)
{
	struct listview_page *p = xcalloc(1, sizeof(*p));

	p->ncols = lv->ncols;
	p->limit = limit;
	p->rows = xcalloc(limit, sizeof(*p->rows));
	return p;
}

static void page_free(struct listview_page *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		row_free(&p->rows[i], p->ncols);
	free(p->rows);
	free(p);
}

int listview_page_add(struct listview_page *page, const char *key, const char *const *cells)
{
	struct row *r;
	size_t c;

	if (page->n >= page->limit)
		return -1;
	r = &page->rows[page->n++];
	r->key = xstrdup(key ? key : "");
	r->cells = xcalloc(page->ncols, sizeof(*r->cells));
	for (c = 0; c < page->ncols; c++)
		r->cells[c] = width_from_utf8(cells ? cells[c] : NULL, NULL);
	return 0;
}

static size_t page_size(const struct listview *lv)
{
	return lv->height > 0 ? (size_t)lv->height : 1;
}

enum fetch { FETCH_FIRST, FETCH_AFTER, FETCH_BEFORE, FETCH_LAST };

/* Asks the source for up to n rows; returns the page, or NULL with err set. */
static struct listview_page *fetch(struct listview *lv, enum fetch how, const char *filter,
				   const char *key, size_t n, struct sgz_err *err)
{
	struct listview_page *p = page_new(lv, n);
	const struct listview_source *s = &lv->src;
	int rc = -1;

	switch (how) {
	case FETCH_FIRST:
		rc = s->first(s->ctx, filter, n, p, err);
		break;
	case FETCH_AFTER:
		rc = s->after(s->ctx, filter, key, n, p, err);
		break;
	case FETCH_BEFORE:
		rc = s->before(s->ctx, filter, key, n, p, err);
		break;
	case FETCH_LAST:
		rc = s->last(s->ctx, filter, n, p, err);
		break;
	}
	if (rc < 0) {
		if (err && !err->msg[0])
			sgz_err_set(err, SGZ_EUSAGE, _("the list could not be read"));
		page_free(p);
		return NULL;
	}
	return p;
}

/* Moves the page's rows into the list at index at, giving them serials. */
static void take(struct listview *lv, struct listview_page *p, size_t at)
{
	size_t i;

	lv->rows = xreallocarray(lv->rows, lv->count + p->n, sizeof(*lv->rows));
	memmove(lv->rows + at + p->n, lv->rows + at, (lv->count - at) * sizeof(*lv->rows));
	for (i = 0; i < p->n; i++) {
		lv->rows[at + i] = p->rows[i];
		lv->rows[at + i].serial = ++lv->next_serial;
	}
	lv->count += p->n;
	p->n = 0;
	page_free(p);
}

static void drop(struct listview *lv, size_t from, size_t to)
{
	size_t i;

	if (from == to)
		return;
	for (i = from; i < to; i++)
		row_free(&lv->rows[i], lv->ncols);
	memmove(lv->rows + from, lv->rows + to, (lv->count - to) * sizeof(*lv->rows));
	lv->count -= to - from;
}

static void replace(struct listview *lv, struct listview_page *p)
{
	drop(lv, 0, lv->count);
	take(lv, p, 0);
	lv->top = lv->sel = 0;
}

static size_t rows_kept(const struct listview *lv)
{
	return PAGES_HELD * page_size(lv);
}

/* Appends the page after the last row held; drops rows far above the
 * screen. Returns the rows added or -1. */
static int load_after(struct listview *lv, struct sgz_err *err)
{
	struct listview_page *p;
	size_t n = page_size(lv), got, d;

	p = fetch(lv, FETCH_AFTER, lv->filter, lv->rows[lv->count - 1].key, n, err);
	if (!p)
		return -1;
	got = p->n;
	if (got < n)
		lv->at_end = true;
	take(lv, p, lv->count);
	if (lv->count > rows_kept(lv)) {
		d = lv->count - rows_kept(lv);
		if (d > lv->top)
			d = lv->top;
		if (d > 0) {
			drop(lv, 0, d);
			lv->top -= d;
			lv->sel -= d;
			lv->at_start = false;
		}
	}
	return (int)got;
}

/* Prepends the page before the first row held; drops rows far below the
 * screen. Returns the rows added or -1. */
static int load_before(struct listview *lv, struct sgz_err *err)
{
	struct listview_page *p;
	size_t n = page_size(lv), got, keep;

	p = fetch(lv, FETCH_BEFORE, lv->filter, lv->rows[0].key, n, err);
	if (!p)
		return -1;
	got = p->n;
	if (got < n)
		lv->at_start = true;
	take(lv, p, 0);
	lv->top += got;
	lv->sel += got;
	keep = lv->top + page_size(lv);
	if (keep < lv->sel + 1)
		keep = lv->sel + 1;
	if (keep < rows_kept(lv))
		keep = rows_kept(lv);
	if (lv->count > keep) {
		drop(lv, keep, lv->count);
		lv->at_end = false;
	}
	return (int)got;
}

/* Replaces the rows with the first or last page. */
static int load_end(struct listview *lv, enum fetch how, struct sgz_err *err)
{
	struct listview_page *p;
	size_t n = page_size(lv), got;

	p = fetch(lv, how, lv->filter, NULL, n, err);
	if (!p)
		return -1;
	got = p->n;
	replace(lv, p);
	if (how == FETCH_FIRST) {
		lv->at_start = true;
		lv->at_end = got < n;
	} else {
		lv->at_end = true;
		lv->at_start = got < n;
		lv->sel = lv->count ? lv->count - 1 : 0;
		lv->top = lv->count > n ? lv->count - n : 0;
	}
	return 0;
}

/* ---- the list ---- */

struct listview *listview_new(const struct listview_source *src, const struct listview_column *cols,
			      size_t ncols, int height, int width)
{
	struct listview *lv = xcalloc(1, sizeof(*lv));
	size_t c;

	lv->src = *src;
	lv->ncols = ncols;
	lv->cols = xcalloc(ncols, sizeof(*lv->cols));
	for (c = 0; c < ncols; c++) {
		lv->cols[c].title = width_from_utf8(cols[c].title, NULL);
		lv->cols[c].width = cols[c].width > 0 ? cols[c].width : 0;
		lv->cols[c].align = cols[c].align;
	}
	lv->height = height;
	lv->width = width;
	lv->first_col = 1;
	return lv;
}

void listview_free(struct listview *lv)
{
	size_t c;

	if (!lv)
		return;
	drop(lv, 0, lv->count);
	free(lv->rows);
	for (c = 0; c < lv->ncols; c++)
		free(lv->cols[c].title);
	free(lv->cols);
	free(lv->filter);
	free(lv->drawn);
	free(lv->drawn_sel);
	free(lv);
}

/* Scrolls so the selection is on screen. */
static void show_selection(struct listview *lv)
{
	size_t h = page_size(lv);

	if (lv->sel < lv->top)
		lv->top = lv->sel;
	else if (lv->sel >= lv->top + h)
		lv->top = lv->sel - h + 1;
}

int listview_reload(struct listview *lv, struct sgz_err *err)
{
	return listview_reload_at(lv, NULL, err);
}

int listview_reload_at(struct listview *lv, const char *key, struct sgz_err *err)
{
	struct listview_page *above, *below;
	size_t k, want, sel, n = page_size(lv);

	if (lv->count == 0 && !key)
		return load_end(lv, FETCH_FIRST, err);
	/* the rows above the selection on screen, and one more to learn
	 * whether the list starts there; then a page from the selected key */
	k = lv->count ? lv->sel - lv->top : 0;
	if (k + 1 > n)
		k = n ? n - 1 : 0;
	/* a row to select (a record just saved): enough rows above it to fill
	 * the screen when it is near the end of the list */
	want = key && n > k + 1 ? n : k + 1;
	above = fetch(lv, FETCH_BEFORE, lv->filter, key ? key : lv->rows[lv->sel].key, want, err);
	if (!above)
		return -1;
	if (above->n > 0)
		below = fetch(lv, FETCH_AFTER, lv->filter, above->rows[above->n - 1].key, n, err);
	else
		below = fetch(lv, FETCH_FIRST, lv->filter, NULL, n, err);
	if (!below) {
		page_free(above);
		return -1;
	}
	lv->at_start = above->n < want;
	lv->at_end = below->n < n;
	/* the selected row, or the one after it if it has gone, or the one
	 * before if it was the last */
	sel = above->n;
	if (below->n == 0 && sel > 0)
		sel--;
	replace(lv, above);
	take(lv, below, lv->count);
	lv->sel = sel;
	lv->top = sel >= k ? sel - k : 0;
	if (key && lv->count - lv->top < n)
		lv->top = lv->count > n ? lv->count - n : 0;
	return 0;
}

int listview_set_filter(struct listview *lv, const char *filter, struct sgz_err *err)
{
	struct listview_page *p;
	char *f = filter && *filter ? xstrdup(filter) : NULL;
	size_t n = page_size(lv);

	p = fetch(lv, FETCH_FIRST, f, NULL, n, err);
	if (!p) {
		free(f);
		return -1;
	}
	free(lv->filter);
	lv->filter = f;
	replace(lv, p);
	lv->at_start = true;
	lv->at_end = lv->count < n;
	return 0;
}

const char *listview_filter(const struct listview *lv)
{
	return lv->filter ? lv->filter : "";
}

static int page_down(struct listview *lv, struct sgz_err *err)
{
	size_t h = page_size(lv), top;

	if (lv->top + 2 * h > lv->count && !lv->at_end && load_after(lv, err) < 0)
		return -1;
	top = lv->top + h;
	if (top + h > lv->count)
		top = lv->count > h ? lv->count - h : 0;
	if (top > lv->top)
		lv->top = top;
	lv->sel = lv->sel + h < lv->count ? lv->sel + h : lv->count - 1;
	show_selection(lv);
	return 0;
}

static int page_up(struct listview *lv, struct sgz_err *err)
{
	size_t h = page_size(lv);

	if (lv->top < h && !lv->at_start && load_before(lv, err) < 0)
		return -1;
	lv->top = lv->top > h ? lv->top - h : 0;
	lv->sel = lv->sel > h ? lv->sel - h : 0;
	show_selection(lv);
	return 0;
}

int listview_move(struct listview *lv, enum listview_move move, struct sgz_err *err)
{
	size_t h = page_size(lv);

	if (lv->count == 0)
		return 0;
	switch (move) {
	case LISTVIEW_UP:
		if (lv->sel == 0 && !lv->at_start && load_before(lv, err) < 0)
			return -1;
		if (lv->sel > 0)
			lv->sel--;
		break;
	case LISTVIEW_DOWN:
		if (lv->sel + 1 >= lv->count && !lv->at_end && load_after(lv, err) < 0)
			return -1;
		if (lv->sel + 1 < lv->count)
			lv->sel++;
		break;
	case LISTVIEW_PAGE_UP:
		return page_up(lv, err);
	case LISTVIEW_PAGE_DOWN:
		return page_down(lv, err);
	case LISTVIEW_HOME:
		if (!lv->at_start)
			return load_end(lv, FETCH_FIRST, err);
		lv->sel = lv->top = 0;
		break;
	case LISTVIEW_END:
		if (!lv->at_end || (lv->count < h && !lv->at_start))
			return load_end(lv, FETCH_LAST, err);
		lv->sel = lv->count - 1;
		lv->top = lv->count > h ? lv->count - h : 0;
		break;
	}
	show_selection(lv);
	return 0;
}

/* The largest first scrolled column that still leaves no room unused. */
static int last_first_column(const struct listview *lv)
{
	int room, c;

	if (lv->ncols < 2)
		return 1;
	room = lv->width - lv->cols[0].width;
	for (c = (int)lv->ncols - 1; c >= 1; c--) {
		room -= 1 + lv->cols[c].width;
		if (room < 0)
			return c + 1 < (int)lv->ncols ? c + 1 : c;
	}
	return 1;
}

void listview_set_highlight(struct listview *lv, enum listview_highlight highlight)
{
	lv->highlight = highlight;
	lv->drawn_valid = false;
}

int listview_scroll_columns(struct listview *lv, int delta)
{
	int f = lv->first_col + delta, max = last_first_column(lv);

	if (f > max)
		f = max;
	if (f < 1)
		f = 1;
	if (f == lv->first_col)
		return -1;
	lv->first_col = f;
	return 0;
}

int listview_resize(struct listview *lv, int height, int width, struct sgz_err *err)
{
	lv->height = height;
	lv->width = width;
	if (lv->first_col > last_first_column(lv))
		lv->first_col = last_first_column(lv);
	if (lv->count == 0)
		return 0;
	show_selection(lv);
	if (lv->top + page_size(lv) > lv->count && !lv->at_end && load_after(lv, err) < 0)
		return -1;
	return 0;
}

const char *listview_selected_key(const struct listview *lv)
{
	return lv->count ? lv->rows[lv->sel].key : NULL;
}

int listview_selected_row(const struct listview *lv)
{
	return lv->count ? (int)(lv->sel - lv->top) : -1;
}

const char *listview_key_at(const struct listview *lv, int r)
{
	if (r < 0 || r >= lv->height || lv->top + (size_t)r >= lv->count)
		return NULL;
	return lv->rows[lv->top + (size_t)r].key;
}

int listview_first_column(const struct listview *lv)
{
	return lv->first_col;
}

size_t listview_rows_held(const struct listview *lv)
{
	return lv->count;
}

/* ---- text in columns ---- */

size_t listview_fit(const wchar_t *s, size_t n, int width, enum listview_align align, wchar_t *out,
		    size_t outlen)
{
	size_t i, k = 0, fit;
	int used, pad, left, w;
	bool base = false, cut;

	if (outlen == 0)
		return 0;
	if (width <= 0 || outlen < (size_t)width + 1) {
		out[0] = L'\0';
		return 0;
	}
	fit = width_fit(s, n, width, &used);
	cut = false;
	for (i = fit; i < n && !cut; i++)
		cut = width_wchar(s[i]) > 0;
	if (cut) /* the text ends in a marker so nobody takes it for whole */
		fit = width_fit(s, n, width - 1, &used);
	pad = width - used - (cut ? 1 : 0);
	left = width - (cut ? 1 : 0); /* columns still to write */
	if (align == LISTVIEW_RIGHT) {
		for (; pad > 0; pad--, left--)
			out[k++] = L' ';
	}
	for (i = 0; i < fit; i++) {
		w = wcwidth(s[i]);
		if (w == 0) {
			/* a mark joins the character before it; none if there
			 * is no room left for the columns still to write */
			if (base && k + 1 + (size_t)left + (cut ? 1 : 0) + 1 <= outlen)
				out[k++] = s[i];
			continue;
		}
		out[k++] = w < 0 ? L'?' : s[i];
		left -= w < 0 ? 1 : w;
		base = true;
	}
	if (cut)
		out[k++] = L'\u2026';
	for (; left > 0; left--)
		out[k++] = L' ';
	out[k] = L'\0';
	return k;
}

/* The text of one cell of screen row r (-1: the header). */
static const wchar_t *cell_text(const struct listview *lv, int r, size_t c)
{
	if (r < 0)
		return lv->cols[c].title;
	if (lv->top + (size_t)r < lv->count)
		return lv->rows[lv->top + (size_t)r].cells[c];
	return L"";
}

/* The columns of row r (-1: the header) drawn in its attribute, of the
 * `used` its columns take. */
static int highlight_width(const struct listview *lv, int r, int used)
{
	if (r < 0)
		return used;
	switch (lv->highlight) {
	case LISTVIEW_HIGHLIGHT_ROW:
		return used;
	case LISTVIEW_HIGHLIGHT_FIRST:
		return lv->ncols > 0 && lv->cols[0].width < used ? lv->cols[0].width : used;
	}
	return used;
}

size_t listview_line(const struct listview *lv, int r, wchar_t *out, size_t outlen, int *hl)
{
	const wchar_t *text;
	size_t k = 0, c, i;
	int used = 0, w;

	if (hl)
		*hl = 0;
	if (lv->width <= 0 || outlen < (size_t)lv->width + 1) {
		if (outlen)
			out[0] = L'\0';
		return 0;
	}
	/* the frozen column, then the scrolled ones; out always keeps room
	 * for the columns still to write */
	for (i = 0; i < lv->ncols; i++) {
		c = i == 0 ? 0 : (size_t)lv->first_col + i - 1;
		if (c >= lv->ncols)
			break;
		if (i > 0) {
			if (used + 1 >= lv->width)
				break;
			out[k++] = L' ';
			used++;
		}
		w = lv->width - used;
		if (lv->cols[c].width < w)
			w = lv->cols[c].width;
		text = cell_text(lv, r, c);
		k += listview_fit(text, wcslen(text), w, lv->cols[c].align, out + k,
				  outlen - k - (size_t)(lv->width - used - w));
		used += w;
	}
	if (hl && (r < 0 || lv->top + (size_t)r < lv->count))
		*hl = highlight_width(lv, r, used);
	for (; used < lv->width; used++)
		out[k++] = L' ';
	out[k] = L'\0';
	return k;
}

/* ---- what the screen shows ---- */

static unsigned long shown_serial(const struct listview *lv, int r)
{
	size_t i = lv->top + (size_t)r;

	return i < lv->count ? lv->rows[i].serial : 0;
}

static bool shown_selected(const struct listview *lv, int r)
{
	return lv->count > 0 && lv->top + (size_t)r == lv->sel;
}

void listview_changes(const struct listview *lv, struct listview_changes *ch)
{
	unsigned long s;
	int r, h = lv->height;

	ch->all = !lv->drawn_valid || lv->drawn_height != h || lv->drawn_width != lv->width ||
		  lv->drawn_first_col != lv->first_col;
	ch->scroll = 0;
	if (ch->all || h < 2)
		return;
	/* serials are unique, so one row found elsewhere gives the shift */
	s = shown_serial(lv, 0);
	if (s && s == lv->drawn[0])
		return;
	for (r = 1; s && r < h; r++) {
		if (lv->drawn[r] == s) {
			ch->scroll = r;
			return;
		}
	}
	s = lv->drawn[0];
	for (r = 1; s && r < h; r++) {
		if (shown_serial(lv, r) == s) {
			ch->scroll = -r;
			return;
		}
	}
}

bool listview_row_stale(const struct listview *lv, const struct listview_changes *ch, int r)
{
	int from = r + ch->scroll;

	if (ch->all || !lv->drawn_valid || from < 0 || from >= lv->drawn_height)
		return true;
	return lv->drawn[from] != shown_serial(lv, r) ||
	       lv->drawn_sel[from] != shown_selected(lv, r);
}

void listview_drawn(struct listview *lv)
{
	int r, h = lv->height > 0 ? lv->height : 0;

	if (h > lv->drawn_cap) {
		lv->drawn = xreallocarray(lv->drawn, (size_t)h, sizeof(*lv->drawn));
		lv->drawn_sel = xreallocarray(lv->drawn_sel, (size_t)h, sizeof(*lv->drawn_sel));
		lv->drawn_cap = h;
	}
	for (r = 0; r < h; r++) {
		lv->drawn[r] = shown_serial(lv, r);
		lv->drawn_sel[r] = shown_selected(lv, r);
	}
	lv->drawn_height = h;
	lv->drawn_width = lv->width;
	lv->drawn_first_col = lv->first_col;
	lv->drawn_valid = true;
}

void listview_invalidate(struct listview *lv)
{
	lv->drawn_valid = false;
}

/* ---- curses side ---- */

enum listview_key listview_key(struct listview *lv, bool fn, wint_t wc, struct sgz_err *err)
{
	enum listview_move m;

	/* keys.md: Ctrl-F / Ctrl-B and Space / b page too, for terminals whose
	 * terminfo has no PgDn / PgUp (vt100, whose \e[6~ would read as Esc) */
	if (!fn) {
		if (wc == 0x06 || wc == L' ')
			m = LISTVIEW_PAGE_DOWN;
		else if (wc == 0x02 || wc == L'b')
			m = LISTVIEW_PAGE_UP;
		else
			return LISTVIEW_KEY_OTHER;
		return listview_move(lv, m, err) == 0 ? LISTVIEW_KEY_DONE : LISTVIEW_KEY_FAILED;
	}
	switch (wc) {
	case KEY_UP:
		m = LISTVIEW_UP;
		break;
	case KEY_DOWN:
		m = LISTVIEW_DOWN;
		break;
	case KEY_PPAGE:
		m = LISTVIEW_PAGE_UP;
		break;
	case KEY_NPAGE:
		m = LISTVIEW_PAGE_DOWN;
		break;
	case KEY_HOME:
		m = LISTVIEW_HOME;
		break;
	case KEY_END:
		m = LISTVIEW_END;
		break;
	case KEY_LEFT:
		listview_scroll_columns(lv, -1);
		return LISTVIEW_KEY_DONE;
	case KEY_RIGHT:
		listview_scroll_columns(lv, 1);
		return LISTVIEW_KEY_DONE;
	default: /* wc is a key code, not an enum */
		return LISTVIEW_KEY_OTHER;
	}
	return listview_move(lv, m, err) == 0 ? LISTVIEW_KEY_DONE : LISTVIEW_KEY_FAILED;
}

/* Draws line r (-1: the header) at (y, x): the highlighted part in attr,
 * the blank after the columns in the window's normal attribute. */
static void draw_line(WINDOW *win, int y, int x, const struct listview *lv, int r, attr_t attr,
		      wchar_t *buf, size_t buflen)
{
	size_t n, i, split = 0;
	int hl, col = 0;

	n = listview_line(lv, r, buf, buflen, &hl);
	while (split < n && col < hl) {
		col += width_wchar(buf[split++]);
		while (split < n && wcwidth(buf[split]) == 0)
			split++;
	}
	i = split;
	if (split > 0) {
		wattrset(win, (int)attr);
		mvwaddnwstr(win, y, x, buf, (int)split);
	}
	wattrset(win, A_NORMAL);
	if (i < n)
		mvwaddnwstr(win, y, x + col, buf + i, (int)(n - i));
}

/* Scrolls lines [y, y + height) of win up by n (down if negative), as the
 * terminal will; false if curses could not. */
static bool scroll_rows(WINDOW *win, int y, int height, int n)
{
	int top = 0, bottom = 0, rc;
	bool was_scrollok = is_scrollok(win);

	if (height < 2 || wgetscrreg(win, &top, &bottom) == ERR ||
	    wsetscrreg(win, y, y + height - 1) == ERR)
		return false;
	scrollok(win, TRUE);
	rc = wscrl(win, n);
	scrollok(win, was_scrollok);
	wsetscrreg(win, top, bottom);
	return rc != ERR;
}

void listview_draw(WINDOW *win, int y, int x, struct listview *lv, attr_t header_attr,
		   attr_t selected_attr)
{
	struct listview_changes ch;
	wchar_t *buf;
	size_t buflen;
	int r;
	attr_t saved_attr;
	short saved_pair;

	if (lv->width <= 0 || lv->height <= 0)
		return;
	listview_changes(lv, &ch);
	/* wscrl moves whole window lines: only for a list as wide as win */
	if (ch.scroll && (x != 0 || lv->width != getmaxx(win) ||
			  !scroll_rows(win, y + 1, lv->height, ch.scroll)))
		ch.scroll = 0;
	wattr_get(win, &saved_attr, &saved_pair, NULL);
	buflen = 2 * (size_t)lv->width + 16; /* room for zero-width marks */
	buf = xmalloc(buflen * sizeof(*buf));
	if (ch.all)
		draw_line(win, y, x, lv, -1, header_attr, buf, buflen);
	for (r = 0; r < lv->height; r++) {
		if (listview_row_stale(lv, &ch, r))
			draw_line(win, y + 1 + r, x, lv, r,
				  shown_selected(lv, r) ? selected_attr : A_NORMAL, buf, buflen);
	}
	free(buf);
	wattr_set(win, saved_attr, saved_pair, NULL);
	idlok(win, TRUE);
	listview_drawn(lv);
}
