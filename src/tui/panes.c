/* panes.c - the panes of related records under a record (panes.h): the
 * rows of each, fetched by related.h's keyset statement, shown as lines
 * the width of the screen; the keys within a pane. */
#include "config.h"

#include "sgz/panes.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/browse.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/listview.h"
#include "sgz/log.h"
#include "sgz/record.h"
#include "sgz/related.h"
#include "sgz/width.h"

struct pane {
	const struct dict_child *c;
	const struct dict_entity *ce;
	struct browse *b;
	const struct dict_field **cols; /* the columns shown: the list's but the links */
	size_t *colix;			/* their index among the browse's columns */
	size_t ncols;
	char **keys;  /* the rows fetched: rows + 1 at most, the last telling "more" */
	char **lines; /* each row as one line */
	size_t n;
	bool more;    /* rows after the last shown */
	bool earlier; /* rows before the first shown */
	char *summary;
	char *error; /* what the statement said instead of rows */
	bool loaded;
	size_t sel;
};

struct panes {
	struct ui *ui;
	const struct panes_opener *op; /* opens a row, adds a child */
	const struct dict_entity *e;
	const struct record *r;
	struct pane *pane;
	size_t n;
	int rows;
	int focus;
	bool stale;  /* fetch everything again */
	bool closed; /* the parent is gone */
	bool no_summary;
	int admin; /* the session's kind, once a pane asked it; -1 before */
	/* a module's lines on top (ui_record_head()), read with the panes */
	const struct ui_record_head *head;
	void *head_state;
	bool head_read;
};

/* clang-format off */
static const struct ui_keyinfo pane_keys[] = {
	{ "], Tab", "]", M_PANE, M_DO_NEXT_PANE },
	{ "[, Shift-Tab", NULL, M_NONE, M_DO_PREV_PANE },
	{ "Up/Down, PgUp/PgDn", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "a", "a", M_ADD, M_DO_ADD_RELATED },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

const struct ui_keyinfo *panes_keys(size_t *n)
{
	*n = SGZ_ARRAY_LEN(pane_keys);
	return pane_keys;
}

struct panes *panes_new(struct ui *ui, const struct dict_entity *e, const struct record *r,
			int rows, const char *only, const struct panes_opener *op)
{
	struct panes *p = xcalloc(1, sizeof(*p));
	size_t n;
	const struct dict_child *c = related_children(e, &n);

	p->ui = ui;
	p->op = op;
	p->e = e;
	p->r = r;
	p->rows = rows < 1 ? 1 : rows;
	p->focus = -1;
	p->admin = -1;
	p->head = only ? NULL : ui_record_head(ui, e);
	p->pane = xcalloc(n + 1, sizeof(*p->pane));
	for (size_t k = 0; k < n; k++) {
		const struct dict_entity *ce = related_entity(&c[k]);
		if (!ce || (only && strcmp(only, c[k].entity) != 0))
			continue;
		struct pane *pn = &p->pane[p->n++];
		pn->c = &c[k];
		pn->ce = ce;
	}
	return p;
}

static void clear_rows(struct pane *pn)
{
	for (size_t i = 0; i < pn->n; i++) {
		free(pn->keys[i]);
		free(pn->lines[i]);
	}
	free(pn->keys);
	free(pn->lines);
	pn->keys = NULL;
	pn->lines = NULL;
	pn->n = 0;
}

static void clear_pane(struct pane *pn)
{
	clear_rows(pn);
	browse_free(pn->b);
	pn->b = NULL;
	free(pn->cols);
	free(pn->colix);
	pn->cols = NULL;
	pn->colix = NULL;
	pn->ncols = 0;
	free(pn->summary);
	free(pn->error);
	pn->summary = pn->error = NULL;
	pn->loaded = false;
}

static void drop_head(struct panes *p)
{
	if (p->head && p->head_state)
		p->head->free(p->head_state);
	p->head_state = NULL;
	p->head_read = false;
}

void panes_free(struct panes *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->n; k++)
		clear_pane(&p->pane[k]);
	drop_head(p);
	free(p->pane);
	free(p);
}

void panes_set_record(struct panes *p, const struct record *r)
{
	p->r = r;
	p->stale = true;
}

size_t panes_count(const struct panes *p)
{
	return p && !p->closed && p->r && !record_is_new(p->r) ? p->n : 0;
}

int panes_focus(const struct panes *p)
{
	return panes_count(p) ? p->focus : -1;
}

void panes_set_focus(struct panes *p, int k)
{
	p->focus = k >= 0 && (size_t)k < panes_count(p) ? k : -1;
}

void panes_hide_summary(struct panes *p)
{
	p->no_summary = true;
}

/* Does pane pn have a line of totals on top? */
static bool has_summary(const struct panes *p, const struct pane *pn)
{
	return !p->no_summary && pn->c->summary_sql && (pn->c->summary_fmt || pn->c->summary_fmts[0]);
}

int panes_lines(const struct panes *p, size_t k)
{
	return 1 + (has_summary(p, &p->pane[k]) ? 1 : 0) + p->rows;
}

void panes_stale(struct panes *p)
{
	p->stale = true;
}

const char *panes_selected_key(const struct panes *p, size_t k)
{
	const struct pane *pn = k < p->n ? &p->pane[k] : NULL;

	return pn && pn->sel < pn->n ? pn->keys[pn->sel] : NULL;
}

const struct dict_entity *panes_entity(const struct panes *p, size_t k)
{
	return k < p->n ? p->pane[k].ce : NULL;
}

/* ---- fetching ---- */

struct adder {
	struct panes *p;
	struct pane *pn;
};

/* s in exactly w columns as a list shows it (listview_fit(): a cut text
 * ends in a marker). The caller frees. */
static char *fit_utf8(const char *s, int w, enum listview_align align)
{
	size_t wn, len = 2 * (size_t)w + 16;
	wchar_t *ws = width_from_utf8(s, &wn), *out = xcalloc(len, sizeof(*out));
	size_t k = listview_fit(ws, wn, w, align, out, len);
	char *r = width_to_utf8(out, k);

	free(out);
	free(ws);
	return r;
}

/* One row as one line: each column shown in its width, as lists show it. */
static int add_row(void *arg, const char *key, const char *const *cells)
{
	struct adder *a = arg;
	struct pane *pn = a->pn;
	struct strbuf line = {0};

	for (size_t c = 0; c < pn->ncols; c++) {
		const struct dict_field *f = pn->cols[c];
		char *t = form_value_text(f, cells[pn->colix[c]], ui_zh(a->p->ui));
		int w = f->width < 8 ? 8 : f->width;
		char *cut = fit_utf8(t, w,
				     f->type == DT_INT || f->type == DT_NUMBER || f->type == DT_MONEY
					 ? LISTVIEW_RIGHT
					 : LISTVIEW_LEFT);
		sb_adds(&line, cut);
		if (c + 1 < pn->ncols)
			sb_addc(&line, ' ');
		free(cut);
		free(t);
	}
	pn->keys = xreallocarray(pn->keys, pn->n + 1, sizeof(*pn->keys));
	pn->lines = xreallocarray(pn->lines, pn->n + 1, sizeof(*pn->lines));
	pn->keys[pn->n] = xstrdup(key);
	pn->lines[pn->n] = sb_detach(&line);
	pn->n++;
	return 0;
}

enum page { PAGE_FIRST, PAGE_NEXT, PAGE_PREV };

/* Fetches a page of pane pn: rows + 1, the extra one telling whether
 * there are more that way. The rows shown stay when the fetch fails. */
static bool fetch(struct panes *p, struct pane *pn, enum page how)
{
	struct adder a = {p, pn};
	struct pane got = *pn;
	struct sgz_err err;
	size_t want = (size_t)p->rows + 1;
	int rc;

	a.pn = &got;
	got.keys = NULL;
	got.lines = NULL;
	got.n = 0;
	sgz_err_clear(&err);
	if (how == PAGE_FIRST)
		rc = browse_first(pn->b, NULL, want, add_row, &a, &err);
	else if (how == PAGE_NEXT)
		rc = browse_after(pn->b, NULL, pn->keys[pn->n - 1], want, add_row, &a, &err);
	else
		rc = browse_before(pn->b, NULL, pn->keys[0], want, add_row, &a, &err);
	if (rc < 0) {
		clear_rows(&got);
		free(pn->error);
		pn->error = form_tr_message(err.msg);
		if (err.conn_lost)
			ui_say_error(p->ui, &err);
		return false;
	}
	bool extra = got.n > (size_t)p->rows;
	if (extra && how == PAGE_PREV) {
		/* the extra row is the first: rows before it */
		free(got.keys[0]);
		free(got.lines[0]);
		memmove(got.keys, got.keys + 1, (got.n - 1) * sizeof(*got.keys));
		memmove(got.lines, got.lines + 1, (got.n - 1) * sizeof(*got.lines));
		got.n--;
	} else if (extra) {
		got.n--;
		free(got.keys[got.n]);
		free(got.lines[got.n]);
	}
	clear_rows(pn);
	pn->keys = got.keys;
	pn->lines = got.lines;
	pn->n = got.n;
	free(pn->error);
	pn->error = NULL;
	switch (how) {
	case PAGE_FIRST:
		pn->earlier = false;
		pn->more = extra;
		break;
	case PAGE_NEXT:
		pn->earlier = true;
		pn->more = extra;
		break;
	case PAGE_PREV:
		pn->earlier = extra;
		pn->more = true;
		break;
	}
	return true;
}

static void load_pane(struct panes *p, struct pane *pn)
{
	struct sgz_err err;
	struct db *db = ui_db(p->ui);

	clear_pane(pn);
	pn->loaded = true;
	pn->sel = 0;
	pn->b = related_browse(db, p->e, pn->c, p->r);
	if (!pn->b)
		return;
	/* the session's kind asked once for all the panes, not once each */
	if (p->admin >= 0)
		browse_set_session_admin(pn->b, p->admin == 1);
	size_t nc = browse_ncolumns(pn->b);
	pn->cols = xcalloc(nc + 1, sizeof(*pn->cols));
	pn->colix = xcalloc(nc + 1, sizeof(*pn->colix));
	for (size_t c = 0; c < nc; c++) {
		const struct dict_field *f = browse_column(pn->b, c);
		if (related_linked(pn->c, f))
			continue;
		pn->cols[pn->ncols] = f;
		pn->colix[pn->ncols++] = c;
	}
	if (!fetch(p, pn, PAGE_FIRST))
		return;
	if (p->admin < 0)
		p->admin = browse_session_admin(pn->b) ? 1 : 0;
	if (has_summary(p, pn)) {
		sgz_err_clear(&err);
		if (related_summary(db, p->e, pn->c, p->r,
				    pn->c->summary_fmt ? _(pn->c->summary_fmt) : NULL, &pn->summary,
				    &err) < 0)
			pn->error = form_tr_message(err.msg);
	}
}

bool panes_load(struct panes *p)
{
	struct sgz_err err;

	if (!panes_count(p))
		return !p->closed;
	if (p->stale) {
		p->stale = false;
		sgz_err_clear(&err);
		int there = related_exists(ui_db(p->ui), p->r, &err);
		if (there == 0) {
			p->closed = true;
			p->focus = -1;
			for (size_t k = 0; k < p->n; k++)
				clear_pane(&p->pane[k]);
			drop_head(p);
			ui_say(p->ui, ui_tr(p->ui, M_PARENT_GONE));
			return false;
		}
		for (size_t k = 0; k < p->n; k++)
			p->pane[k].loaded = false;
		drop_head(p);
	}
	if (p->head && !p->head_read) {
		p->head_read = true;
		p->head_state = p->head->read(p->ui, p->r);
	}
	for (size_t k = 0; k < p->n; k++)
		if (!p->pane[k].loaded)
			load_pane(p, &p->pane[k]);
	return true;
}

/* ---- drawing ---- */

int panes_head_lines(const struct panes *p)
{
	return panes_count(p) && p->head && p->head_state ? p->head->lines(p->head_state) : 0;
}

void panes_head_draw(struct panes *p, int y, int x, int width)
{
	if (panes_head_lines(p) > 0)
		p->head->draw(p->head_state, p->ui, y, x, width);
}

void panes_draw(struct panes *p, size_t k, int y, int x, int width, int skip, int lines)
{
	struct pane *pn = &p->pane[k];
	bool focused = p->focus == (int)k;
	attr_t sel = ui_selected_attr(p->ui);
	int total = panes_lines(p, k);

	for (int l = skip; l < total && l < skip + lines; l++) {
		int row = y + l - skip;
		int line = l;
		if (line == 0) {
			struct strbuf t = {0};
			const char *label = pn->c->label ? form_dict_label(pn->c->label, pn->c->label_zh,
									    ui_zh(p->ui))
							 : ui_entity_label(p->ui, pn->ce);
			sb_addf(&t, "%s %s ", focused ? ">" : "-", label);
			if (pn->earlier || pn->more)
				sb_addf(&t, "(%s%s%s) ", pn->earlier ? "^" : "",
					pn->earlier && pn->more ? " " : "", pn->more ? "v" : "");
			while (ui_width(sb_str(&t)) < width)
				sb_addc(&t, '-');
			ui_put(row, x, width, sb_str(&t), focused ? A_BOLD : A_NORMAL, true);
			sb_free(&t);
			continue;
		}
		line--;
		if (has_summary(p, pn)) {
			if (line == 0) {
				ui_put(row, x + 2, width - 2, pn->summary ? pn->summary : "", A_NORMAL,
				       true);
				continue;
			}
			line--;
		}
		if (pn->error) {
			ui_put(row, x + 2, width - 2, line == 0 ? pn->error : "", A_NORMAL, true);
			continue;
		}
		if (pn->n == 0) {
			ui_put(row, x + 2, width - 2, line == 0 ? ui_tr(p->ui, M_NO_ROWS) : "",
			       A_NORMAL, true);
			continue;
		}
		/* a line wider than the screen ends in the cut marker too */
		char *text = fit_utf8((size_t)line < pn->n ? pn->lines[line] : "", width - 2,
				      LISTVIEW_LEFT);
		ui_put(row, x + 2, width - 2, text,
		       focused && (size_t)line == pn->sel ? sel : A_NORMAL, true);
		free(text);
	}
}

/* ---- keys ---- */

static void open_row(struct panes *p, struct pane *pn)
{
	const char *key = pn->sel < pn->n ? pn->keys[pn->sel] : NULL;

	if (!key)
		return;
	panes_stale(p);
	p->op->open(p->ui, pn->ce, key);
}

static void add_child(struct panes *p, struct pane *pn)
{
	struct record *child = record_new(pn->ce);

	related_fill(pn->c, p->r, child);
	panes_stale(p);
	p->op->add(p->ui, pn->ce, child);
}

bool panes_key(struct panes *p, bool fn, wint_t wc)
{
	int k = panes_focus(p);
	struct pane *pn;

	if (k < 0)
		return false;
	pn = &p->pane[k];
	if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (pn->sel + 1 < pn->n)
			pn->sel++;
		else if (pn->more && fetch(p, pn, PAGE_NEXT))
			pn->sel = 0;
	} else if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (pn->sel > 0)
			pn->sel--;
		else if (pn->earlier && fetch(p, pn, PAGE_PREV))
			pn->sel = pn->n ? pn->n - 1 : 0;
	} else if ((fn && wc == KEY_NPAGE) || (!fn && (wc == L' ' || wc == UI_KEY_CTRL('F')))) {
		if (pn->more && fetch(p, pn, PAGE_NEXT))
			pn->sel = 0;
	} else if ((fn && wc == KEY_PPAGE) || (!fn && (wc == L'b' || wc == UI_KEY_CTRL('B')))) {
		if (pn->earlier && fetch(p, pn, PAGE_PREV))
			pn->sel = 0;
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		open_row(p, pn);
	} else if ((!fn && wc == L'a') || (fn && wc == KEY_IC)) {
		add_child(p, pn);
	} else {
		return false;
	}
	return true;
}
