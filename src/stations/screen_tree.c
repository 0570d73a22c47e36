/* screen_tree.c - the division browser: the divisions as a tree by level
 * (province, prefecture, county, township/street, village/community),
 * starting at the division of the user's scope. One level at a time: the
 * subdivisions of one division in the list widget, fetched by key a page
 * at a time (divtree.h), with a breadcrumb of where it is. Right opens the
 * selected division's subdivisions, Left goes back up with the selection
 * where it was; `/` searches every level below; Enter, add and delete as
 * in the generic list (screen_list.c), through the same record.h; export
 * of what is shown, a level or a search, through divtree.h.
 *
 * Each level the user went down through is a frame that keeps its list,
 * so going back up costs no fetch of a position, only a reload of the
 * counts. A jump from a search result into a division several levels down
 * makes a frame for each level between, fetched only when the user goes
 * back up to it. */
#include "config.h"

#include "sgz/stations.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/divtree.h"
#include "sgz/division.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/listview.h"
#include "sgz/record.h"
#include "sgz/screens.h"

/* The nation, a province, a prefecture, a county, a township: villages
 * have nothing below them. */
#define MAX_FRAMES 5

/* The widths of the name column, and of the path a search shows. */
#define NAME_WIDTH	  30
#define SEARCH_NAME_WIDTH 20
#define MIN_PATH_WIDTH	  10

/* gettext with a context (msgctxt), as tui.c's: "prefecture" is a level
 * here (地级), a registration level elsewhere (地市级). */
#define pgettext(ctx, id) ctx_gettext(ctx "\004" id, id)

enum mode {
	MODE_TREE,
	MODE_FILTER, /* typing the search on the bottom line */
	MODE_EXPORT, /* typing the file to export to */
};

/* clang-format off */
static const struct ui_keyinfo tree_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Right, l", "h/l", M_LEVEL, M_DO_LEVEL_DOWN },
	{ "Left, h, Backspace", NULL, M_NONE, M_DO_LEVEL_UP },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "/", "/", M_FILTER, M_DO_FILTER_BELOW },
	{ "a, Insert", "a", M_ADD, M_DO_ADD_BELOW },
	{ "d, Delete", "d", M_DELETE, M_DO_DELETE },
	{ "e", "e", M_EXPORT, M_DO_EXPORT },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo filter_keys[] = {
	{ "Enter", "Enter", M_APPLY, M_DO_FILTER_BELOW },
	{ "Esc", "Esc", M_CLEAR, M_DO_FILTER_BELOW },
};

static const struct ui_keyinfo export_keys[] = {
	{ "Enter", "Enter", M_EXPORT, M_DO_EXPORT },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

struct tree;

/* Where one list's rows come from: the subdivisions of a frame's division
 * or the search below it. */
struct view_src {
	struct tree *t;
	int frame;
	bool search;
	/* The key the next `before` fetch starts from instead of the one the
	 * list asks about: how seek() puts a list on a row it has not held. */
	char *seek;
};

struct frame {
	char code[DIVISION_CODE_LEN + 1]; /* DIVTREE_NATION at the top for an admin */
	char *path;			  /* the breadcrumb: names from the province down */
	char *select;			  /* the key to select once the rows are fetched */
	struct listview *lv;		  /* the subdivisions; NULL until shown */
	struct listview *found;		  /* the search below the division, or NULL */
	struct view_src src, found_src;
};

struct tree {
	struct ui *ui;
	const struct dict_entity *e; /* divisions */
	struct divtree *dt;	     /* NULL when a test gave rows in memory */
	struct listview_source mem;  /* those rows (ui_rows_source()) */
	struct frame frames[MAX_FRAMES];
	int depth;
	enum mode mode;
	struct lineedit *input;
	bool stale;	       /* a form was opened: fetch again when shown */
	struct record *doomed; /* the record a delete dialog asks about */
	int height, width;     /* of the lists' rows */
	int path_width;	       /* of a search's path column */
	/* what tree_keys[] says works here: the status line, help */
	struct ui_keyinfo status[SGZ_ARRAY_LEN(tree_keys)];
	struct ui_keyinfo help[SGZ_ARRAY_LEN(tree_keys)];
};

static const char *ctx_gettext(const char *ctx_id, const char *id)
{
	const char *t = gettext(ctx_id);

	return t == ctx_id ? id : t;
}

/* The name of a level (the division list's own words: data/README.md). */
static const char *level_name(int level)
{
	switch (level) {
	case DIV_PROVINCE:
		return pgettext("division level", "province");
	case DIV_PREFECTURE:
		return pgettext("division level", "prefecture");
	case DIV_COUNTY:
		return pgettext("division level", "county");
	case DIV_TOWNSHIP:
		return pgettext("division level", "township");
	case DIV_VILLAGE:
		return pgettext("division level", "village");
	}
	return "";
}

static struct frame *top_frame(struct tree *t)
{
	return &t->frames[t->depth - 1];
}

/* The list on screen: the search's, if there is one, else the level's. */
static struct listview *shown(struct tree *t)
{
	struct frame *f = top_frame(t);

	return f->found ? f->found : f->lv;
}

/* A path ("天津市 > 市辖区 > 河东区 > 东新街道") in at most width columns:
 * the first step (which province) and as many of the last ones as fit
 * (where exactly), "..." for those left out. Caller frees. */
static char *fit_path(const char *path, int width)
{
	const char *first = strstr(path, " > "), *sep, *last = NULL;

	if (ui_width(path) <= width || !first)
		return xstrdup(path);
	for (sep = strstr(first + 3, " > "); sep; sep = strstr(sep + 3, " > ")) {
		char *fit = xasprintf("%.*s > ...%s", (int)(first - path), path, sep);
		if (ui_width(fit) <= width)
			return fit;
		free(fit);
		last = sep;
	}
	return xasprintf("...%s", last ? last : first);
}

/* ---- the source: divtree.h under the listview's interface ---- */

struct adapter {
	struct view_src *vs;
	struct listview_page *page;
};

static int add_row(void *arg, const struct divtree_row *row)
{
	struct adapter *a = arg;
	char children[24] = "", *path = NULL;
	const char *cells[5];
	int rc;

	/* a village can have nothing below it: an empty cell, not a 0 */
	if (row->level < DIV_VILLAGE)
		snprintf(children, sizeof(children), "%ld", row->children);
	cells[0] = row->code;
	cells[1] = row->name;
	cells[2] = level_name(row->level);
	cells[3] = children;
	/* the path's ends say most: the province and the parent */
	if (row->path)
		path = fit_path(row->path, a->vs->t->path_width);
	cells[4] = path;
	rc = listview_page_add(a->page, row->key, cells);
	free(path);
	return rc;
}

static int fetch(struct view_src *vs, const char *filter, enum divtree_fetch how, const char *key,
		 size_t n, struct listview_page *page, struct sgz_err *err)
{
	struct adapter a = {vs, page};
	struct tree *t = vs->t;

	return divtree_fetch(t->dt, t->frames[vs->frame].code, vs->search ? filter : NULL, how, key,
			     n, add_row, &a, err);
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	struct view_src *vs = ctx;

	if (!vs->t->dt)
		return vs->t->mem.first(vs->t->mem.ctx, filter, n, page, err);
	return fetch(vs, filter, DIVTREE_FIRST, NULL, n, page, err);
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	struct view_src *vs = ctx;

	if (!vs->t->dt)
		return vs->t->mem.after(vs->t->mem.ctx, filter, key, n, page, err);
	return fetch(vs, filter, DIVTREE_AFTER, key, n, page, err);
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	struct view_src *vs = ctx;
	char *seek = vs->seek;
	int rc;

	vs->seek = NULL;
	if (!vs->t->dt)
		rc = vs->t->mem.before(vs->t->mem.ctx, filter, seek ? seek : key, n, page, err);
	else
		rc = fetch(vs, filter, DIVTREE_BEFORE, seek ? seek : key, n, page, err);
	free(seek);
	return rc;
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	struct view_src *vs = ctx;

	if (!vs->t->dt)
		return vs->t->mem.last(vs->t->mem.ctx, filter, n, page, err);
	return fetch(vs, filter, DIVTREE_LAST, NULL, n, page, err);
}

/* ---- the lists ---- */

static int rows_for(int height)
{
	/* the path line, the column titles, the bottom line */
	return height - 3 > 1 ? height - 3 : 1;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* A new list of frame i's subdivisions, or of the search below it. */
static struct listview *new_list(struct tree *t, int i, bool search)
{
	struct frame *f = &t->frames[i];
	struct view_src *vs = search ? &f->found_src : &f->src;
	struct listview_source src = {src_first, src_after, src_before, src_last, vs};
	const struct dict_field *code = dict_field_by_header(t->e, "code");
	const struct dict_field *name = dict_field_by_header(t->e, "name");
	struct listview_column cols[5];
	struct listview *lv;
	int level_w = 0, used;

	vs->t = t;
	vs->frame = i;
	vs->search = search;
	for (int l = DIV_PROVINCE; l <= DIV_VILLAGE; l++)
		level_w = max_int(level_w, ui_width(level_name(l)));
	cols[0] =
	    (struct listview_column){ui_field_label(t->ui, code), DIVISION_CODE_LEN, LISTVIEW_LEFT};
	cols[1] = (struct listview_column){ui_field_label(t->ui, name),
					   search ? SEARCH_NAME_WIDTH : NAME_WIDTH, LISTVIEW_LEFT};
	/* TRANSLATORS: a column of the division browser: province, county... */
	cols[2] = (struct listview_column){_("Level"), max_int(level_w, ui_width(_("Level"))),
					   LISTVIEW_LEFT};
	/* TRANSLATORS: a column of the division browser: how many divisions
	 * are directly below the row's. */
	cols[3] = (struct listview_column){_("Subdivisions"),
					   max_int(5, ui_width(_("Subdivisions"))), LISTVIEW_RIGHT};
	used = cols[0].width + 1 + cols[1].width + 1 + cols[2].width + 1 + cols[3].width + 1;
	/* TRANSLATORS: a column of the division browser's search: the
	 * divisions between the one searched below and the row. */
	t->path_width = max_int(MIN_PATH_WIDTH, t->width - used);
	cols[4] = (struct listview_column){_("Path"), t->path_width, LISTVIEW_LEFT};
	lv = listview_new(&src, cols, search ? 5 : 4, t->height, t->width);
	/* the selection bar over the code only: a move rewrites two short
	 * runs, not two rows of Chinese text (spec/bench.md: <= 200 B) */
	listview_set_highlight(lv, LISTVIEW_HIGHLIGHT_FIRST);
	return lv;
}

static void free_frame(struct frame *f)
{
	listview_free(f->lv);
	listview_free(f->found);
	free(f->path);
	free(f->select);
	free(f->src.seek);
	free(f->found_src.seek);
	memset(f, 0, sizeof(*f));
}

/* Puts lv's selection on the row with key, which it may not hold: on the
 * first page a move, else a reload from that key (see view_src.seek). */
static int seek(struct listview *lv, struct view_src *vs, const char *key, struct sgz_err *err)
{
	int rc;

	for (int r = 0; listview_key_at(lv, r); r++) {
		if (strcmp(listview_key_at(lv, r), key) != 0)
			continue;
		while (r-- > 0)
			if (listview_move(lv, LISTVIEW_DOWN, err) < 0)
				return -1;
		return 0;
	}
	free(vs->seek);
	vs->seek = xstrdup(key);
	rc = listview_reload(lv, err);
	free(vs->seek);
	vs->seek = NULL;
	return rc;
}

/* Fetches the rows of frame i if it has none yet, the selection on the
 * row it should come back to; else fetches them again (counts change). */
static int load_frame(struct tree *t, int i, struct sgz_err *err)
{
	struct frame *f = &t->frames[i];

	if (f->lv) {
		if (f->found)
			return listview_reload(f->found, err);
		return listview_reload(f->lv, err);
	}
	/* kept, empty, when the fetch fails: the screen always has a list,
	 * and the next reload (another key, a form closed) fetches again */
	f->lv = new_list(t, i, false);
	int rc = listview_reload(f->lv, err);
	if (rc == 0 && f->select)
		rc = seek(f->lv, &f->src, f->select, err);
	free(f->select);
	f->select = NULL;
	return rc;
}

/* ---- paths ---- */

struct path_steps {
	size_t n;
	char code[MAX_FRAMES + 1][DIVISION_CODE_LEN + 1];
	char *name[MAX_FRAMES + 1];
};

static int add_step(void *arg, const char *code, const char *name)
{
	struct path_steps *p = arg;

	if (p->n == SGZ_ARRAY_LEN(p->code) || strlen(code) != DIVISION_CODE_LEN)
		return -1;
	memcpy(p->code[p->n], code, DIVISION_CODE_LEN + 1);
	p->name[p->n++] = xstrdup(name);
	return 0;
}

static void steps_free(struct path_steps *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->name[i]);
	p->n = 0;
}

/* The breadcrumb of the first n steps: 天津市 > 市辖区 > 河东区. Caller frees. */
static char *steps_text(const struct path_steps *p, size_t n)
{
	struct strbuf sb = {0};

	for (size_t i = 0; i < n && i < p->n; i++) {
		if (i)
			sb_adds(&sb, " > ");
		sb_adds(&sb, p->name[i]);
	}
	return sb_detach(&sb);
}

/* The code in a row's key; false for a key that is not a division's. */
static bool key_code(const struct tree *t, const char *key, char code[DIVISION_CODE_LEN + 1])
{
	size_t n = 0;
	char **parts = key ? record_key_decode(t->e, key, &n) : NULL;
	bool ok = parts && n == 1 && parts[0] && strlen(parts[0]) == DIVISION_CODE_LEN;

	if (ok)
		memcpy(code, parts[0], DIVISION_CODE_LEN + 1);
	record_key_free(parts, n);
	return ok;
}

static char *code_key(const struct tree *t, const char *code)
{
	const char **vals = xcalloc(t->e->nfields + 1, sizeof(*vals));
	char *key;

	vals[dict_field_index(t->e, dict_field_by_header(t->e, "code"))] = code;
	key = record_key_encode(t->e, vals);
	free(vals);
	return key;
}

/* ---- the screen ---- */

static void say_error(struct tree *t, const struct sgz_err *err)
{
	ui_tell_error(t->ui, err);
}

static void reload_shown(struct tree *t)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_reload(shown(t), &err) < 0)
		say_error(t, &err);
}

/* Right: the subdivisions of the selected division. From a search, the
 * division may be several levels down: a frame for each level between,
 * so that Left goes up one level at a time. */
static void go_down(struct tree *t)
{
	struct frame *f = top_frame(t);
	const char *key = listview_selected_key(shown(t));
	char code[DIVISION_CODE_LEN + 1];
	struct path_steps p = {0};
	struct sgz_err err;
	int base = t->depth;

	if (!key)
		return;
	if (t->depth == MAX_FRAMES) {
		ui_say(t->ui, _("A village has no divisions below it."));
		return;
	}
	sgz_err_clear(&err);
	if (!t->dt) {
		/* a test's rows in memory: one more level of the same rows */
		struct frame *nf = &t->frames[t->depth++];
		nf->path = xstrdup(key);
		if (load_frame(t, t->depth - 1, &err) < 0)
			goto failed;
		return;
	}
	if (!key_code(t, key, code))
		return;
	if (division_level(code) == DIV_VILLAGE) {
		ui_say(t->ui, _("A village has no divisions below it."));
		return;
	}
	if (divtree_path(t->dt, code, add_step, &p, &err) < 0)
		goto failed;
	/* the steps below the frame's division, down to the one selected */
	size_t from = 0, level = *f->code ? (size_t)division_level(f->code) : 0;
	while (from < p.n && (size_t)division_level(p.code[from]) <= level)
		from++;
	if (from == p.n || strcmp(p.code[p.n - 1], code) != 0) {
		/* deleted meanwhile */
		ui_say(t->ui, ui_tr(t->ui, M_GONE));
		steps_free(&p);
		reload_shown(t);
		return;
	}
	for (size_t s = from; s < p.n && t->depth < MAX_FRAMES; s++) {
		struct frame *nf = &t->frames[t->depth++];
		memcpy(nf->code, p.code[s], DIVISION_CODE_LEN + 1);
		nf->path = steps_text(&p, s + 1);
		if (s + 1 < p.n)
			nf->select = code_key(t, p.code[s + 1]);
	}
	steps_free(&p);
	if (load_frame(t, t->depth - 1, &err) < 0)
		goto failed;
	return;
failed:
	while (t->depth > base)
		free_frame(&t->frames[--t->depth]);
	steps_free(&p);
	say_error(t, &err);
}

static void clear_search(struct tree *t)
{
	struct frame *f = top_frame(t);

	listview_free(f->found);
	f->found = NULL;
	/* back on the level as it was, its counts fetched again */
	reload_shown(t);
}

/* Left: up one level, the selection on the division we came from. */
static void go_up(struct tree *t)
{
	struct sgz_err err;
	struct strbuf sb = {0};

	if (top_frame(t)->found) {
		clear_search(t);
		return;
	}
	if (t->depth == 1) {
		if (!*t->frames[0].code) {
			ui_say(t->ui, _("This is the top level."));
			return;
		}
		/* TRANSLATORS: Left at the division of the user's scope. */
		sb_addf(&sb, _("This is the top of your scope: %s."), t->frames[0].path);
		ui_say(t->ui, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	free_frame(&t->frames[--t->depth]);
	sgz_err_clear(&err);
	if (load_frame(t, t->depth - 1, &err) < 0)
		say_error(t, &err);
}

static void open_form(struct tree *t, struct record *r)
{
	/* no list to tell (form_screen_new()'s origin): the rows are fetched
	 * again when the form closes and this screen is drawn */
	t->stale = true;
	form_screen_push(t->ui, form_screen_new(t->ui, t->e, r, NULL));
}

static void open_selected(struct tree *t)
{
	const char *key = listview_selected_key(shown(t));
	struct record_error re;
	struct record *r = NULL;

	if (!key || !t->dt)
		return;
	record_error_init(&re);
	switch (record_load(ui_db(t->ui), t->e, key, &r, &re)) {
	case RECORD_OK:
		open_form(t, r);
		break;
	case RECORD_GONE:
		ui_say(t->ui, ui_tr(t->ui, M_GONE));
		reload_shown(t);
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		say_error(t, &re.err);
		break;
	}
	record_error_free(&re);
}

/* a: a new division below the one whose level is shown, its code started
 * with that division's significant digits: the user types the rest. */
static void add_below(struct tree *t)
{
	const char *node = top_frame(t)->code;
	size_t len = divtree_prefix_len(node);
	struct record *r;

	if (!t->dt)
		return;
	if (!divtree_may_add(t->dt)) {
		ui_say(t->ui, _("You may not add divisions."));
		return;
	}
	r = record_new(t->e);
	if (len > 0) {
		char *prefix = xstrndup(node, len);
		record_set(r, (size_t)dict_field_index(t->e, dict_field_by_header(t->e, "code")),
			   prefix);
		free(prefix);
	}
	open_form(t, r);
}

/* "Referenced by 2 stations" as the generic list says it (screen_list.c). */
static void reload_tree(void *ctx)
{
	reload_shown(ctx);
}

static void on_delete_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct tree *t = ctx;

	if (answer == 'y' && t->doomed)
		ui_delete_record(ui, t->doomed, reload_tree, t);
	record_free(t->doomed);
	t->doomed = NULL;
}

static void ask_delete(struct tree *t)
{
	const char *key = listview_selected_key(shown(t));

	if (!key || !t->dt)
		return;
	if (!divtree_may_delete(t->dt)) {
		ui_say(t->ui, _("You may not delete divisions."));
		return;
	}
	if (ui_ask_delete(t->ui, t->e, key, &t->doomed, on_delete_answer, t) == 0)
		reload_shown(t);
}

static void start_export(struct tree *t)
{
	const char *node = top_frame(t)->code;
	char name[128], day[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(name, sizeof(name), "divisions-%.*s-%s.csv",
		 *node ? (int)divtree_prefix_len(node) : 3, *node ? node : "all", day);
	lineedit_set_utf8(t->input, name);
	t->mode = MODE_EXPORT;
}

static int write_export(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct tree *t = ctx;
	struct frame *f = top_frame(t);

	return divtree_export(t->dt, f->code, f->found ? listview_filter(f->found) : NULL, out,
			      rows, err);
}

/* Enter on the file name: into the export directory (ui_export()). */
static void do_export(struct tree *t)
{
	char *name = lineedit_get_utf8(t->input);

	if (t->dt)
		ui_export(t->ui, name, write_export, t);
	free(name);
}

/* Enter on the search line: the search below the level's division, or
 * none for an empty one. */
static void apply_search(struct tree *t, const char *text)
{
	struct frame *f = top_frame(t);
	struct listview *lv;
	struct sgz_err err;

	if (!text || !*text) {
		if (f->found)
			clear_search(t);
		return;
	}
	sgz_err_clear(&err);
	lv = f->found ? f->found : new_list(t, t->depth - 1, true);
	if (listview_set_filter(lv, text, &err) < 0) {
		if (lv != f->found)
			listview_free(lv);
		say_error(t, &err);
		return;
	}
	f->found = lv;
}

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* The bottom line's text field: the search or the export file. */
static void input_key(struct tree *t, bool fn, wint_t wc)
{
	if (is_enter(fn, wc)) {
		enum mode m = t->mode;
		t->mode = MODE_TREE;
		if (m == MODE_FILTER) {
			char *text = lineedit_get_utf8(t->input);
			apply_search(t, text);
			free(text);
		} else {
			do_export(t);
		}
		return;
	}
	if (is_esc(fn, wc)) {
		/* Esc clears the search (spec/keys.md); for export it cancels */
		enum mode m = t->mode;
		t->mode = MODE_TREE;
		if (m == MODE_FILTER && top_frame(t)->found)
			clear_search(t);
		return;
	}
	lineedit_key(t->input, fn, wc);
}

static bool tree_key(void *view, bool fn, wint_t wc)
{
	struct tree *t = view;
	struct sgz_err err;

	if (t->mode != MODE_TREE) {
		input_key(t, fn, wc);
		return true;
	}
	/* Left and Right are the levels here, not the list's columns */
	if ((fn && wc == KEY_RIGHT) || (!fn && wc == L'l')) {
		go_down(t);
		return true;
	}
	if ((fn && (wc == KEY_LEFT || wc == KEY_BACKSPACE)) ||
	    (!fn && (wc == L'h' || wc == 127 || wc == L'\b'))) {
		go_up(t);
		return true;
	}
	sgz_err_clear(&err);
	switch (listview_key(shown(t), fn, wc, &err)) {
	case LISTVIEW_KEY_DONE:
		return true;
	case LISTVIEW_KEY_FAILED:
		say_error(t, &err);
		return true;
	case LISTVIEW_KEY_OTHER:
		break;
	}
	if (is_enter(fn, wc)) {
		open_selected(t);
	} else if (is_esc(fn, wc) && top_frame(t)->found) {
		clear_search(t); /* Esc clears the search before it leaves */
	} else if (!fn && wc == L'/') {
		struct frame *f = top_frame(t);
		lineedit_set_utf8(t->input, f->found ? listview_filter(f->found) : "");
		t->mode = MODE_FILTER;
	} else if ((!fn && wc == L'a') || (fn && wc == KEY_IC)) {
		add_below(t);
	} else if ((!fn && wc == L'd') || (fn && wc == KEY_DC)) {
		ask_delete(t);
	} else if (!fn && wc == L'e') {
		start_export(t);
	} else {
		return false; /* help, back: the shell's */
	}
	return true;
}

/* ---- drawing ---- */

static void draw_input(struct tree *t, int y, enum ui_msg prompt)
{
	int x = 1 + ui_put(y, 1, COLS - 2, ui_tr(t->ui, prompt), A_BOLD, false);
	int w = COLS - x - 2;

	if (lineedit_width(t->input) != w)
		lineedit_set_width(t->input, w);
	lineedit_draw(stdscr, y, x, t->input, A_NORMAL, L'_', true);
	ui_cursor(t->ui, y, x + lineedit_cursor_col(t->input));
}

static void resize_all(struct tree *t, int rows)
{
	struct sgz_err err;

	t->height = rows;
	t->width = COLS;
	for (int i = 0; i < t->depth; i++) {
		struct listview *lvs[2] = {t->frames[i].lv, t->frames[i].found};
		for (int k = 0; k < 2; k++) {
			sgz_err_clear(&err);
			if (lvs[k] && listview_resize(lvs[k], rows, COLS, &err) < 0)
				ui_say_error(t->ui, &err);
		}
	}
}

static void tree_draw(void *view, int top, int height)
{
	struct tree *t = view;
	struct frame *f = top_frame(t);
	struct strbuf head = {0};
	struct sgz_err err;
	struct listview *lv;
	char *path;
	int rows = rows_for(height), x;

	if (rows != t->height || COLS != t->width)
		resize_all(t, rows);
	if (t->stale) {
		t->stale = false;
		sgz_err_clear(&err);
		if (listview_reload(shown(t), &err) < 0)
			ui_say_error(t->ui, &err);
	}
	lv = shown(t);
	/* the path line: the browser, where it is, the search in force */
	x = 1 + ui_put(top, 1, COLS - 2, ui_entity_label(t->ui, t->e), A_BOLD, false) + 2;
	if (f->found && t->mode != MODE_FILTER) {
		sb_adds(&head, "  ");
		/* TRANSLATORS: after a list's name: the filter in force follows. */
		sb_addf(&head, _("filter: %s"), listview_filter(f->found));
	}
	path = fit_path(f->path ? f->path : "", COLS - x - 1 - ui_width(sb_str(&head)));
	x += ui_put(top, x, COLS - x - 1, path, A_NORMAL, false);
	ui_put(top, x, COLS - x - 1, sb_str(&head), A_NORMAL, false);
	free(path);
	sb_free(&head);
	/* werase() emptied the window: every row is drawn into it again, and
	 * curses sends the terminal only what differs */
	listview_invalidate(lv);
	listview_draw(stdscr, top + 1, 0, lv, A_BOLD, ui_selected_attr(t->ui));
	if (!listview_selected_key(lv))
		ui_put(top + 2, 1, COLS - 2, ui_tr(t->ui, M_NO_ROWS), A_NORMAL, false);
	switch (t->mode) {
	case MODE_TREE:
		break;
	case MODE_FILTER:
		draw_input(t, top + height - 1, M_FILTER_PROMPT);
		break;
	case MODE_EXPORT:
		draw_input(t, top + height - 1, M_EXPORT_PROMPT);
		break;
	}
}

/* ---- the shell's interface ---- */

static const char *tree_title(void *view)
{
	struct tree *t = view;

	return ui_entity_label(t->ui, t->e);
}

/* The keys that work: add and delete only where the database grants
 * them; Esc clears a search before it leaves. */
static size_t working_keys(struct tree *t, struct ui_keyinfo *out, bool status)
{
	size_t n = 0;

	for (size_t i = 0; i < SGZ_ARRAY_LEN(tree_keys); i++) {
		struct ui_keyinfo k = tree_keys[i];
		if (t->dt && k.text == M_DO_ADD_BELOW && !divtree_may_add(t->dt))
			continue;
		if (t->dt && k.text == M_DO_DELETE && !divtree_may_delete(t->dt))
			continue;
		if (status && k.short_text == M_BACK && top_frame(t)->found)
			k.short_text = M_CLEAR;
		out[n++] = k;
	}
	return n;
}

static const struct ui_keyinfo *tree_keys_fn(void *view, size_t *n)
{
	struct tree *t = view;

	*n = working_keys(t, t->help, false);
	return t->help;
}

static const struct ui_keyinfo *tree_status_keys(void *view, size_t *n)
{
	struct tree *t = view;

	switch (t->mode) {
	case MODE_TREE:
		break;
	case MODE_FILTER:
		*n = SGZ_ARRAY_LEN(filter_keys);
		return filter_keys;
	case MODE_EXPORT:
		*n = SGZ_ARRAY_LEN(export_keys);
		return export_keys;
	}
	*n = working_keys(t, t->status, true);
	return t->status;
}

static void tree_free(void *view)
{
	struct tree *t = view;

	if (!t)
		return;
	for (int i = 0; i < MAX_FRAMES; i++)
		free_frame(&t->frames[i]);
	lineedit_free(t->input);
	record_free(t->doomed);
	divtree_free(t->dt);
	free(t);
}

/* A paste goes into the search or the export file being typed; the
 * tree's own keys are commands. */
static bool tree_paste(void *view, const wchar_t *s, size_t n)
{
	struct tree *t = view;

	if (t->mode == MODE_TREE)
		return false;
	ui_paste_text(t->ui, t->input, s, n);
	return true;
}

static const struct ui_view_ops tree_ops = {
    .title = tree_title,
    .draw = tree_draw,
    .key = tree_key,
    .keys = tree_keys_fn,
    .status_keys = tree_status_keys,
    .idle = NULL,
    .free = tree_free,
    .paste = tree_paste,
};

/* The path of the user's top division, or the nation's name. */
static int root_path(struct tree *t, struct sgz_err *err)
{
	struct frame *f = &t->frames[0];
	struct path_steps p = {0};

	if (!t->dt || !*f->code) {
		/* TRANSLATORS: the top of the division browser, above the provinces. */
		f->path = xstrdup(_("Nationwide"));
		return 0;
	}
	if (divtree_path(t->dt, f->code, add_step, &p, err) < 0)
		return -1;
	f->path = p.n ? steps_text(&p, p.n) : xstrdup(f->code);
	steps_free(&p);
	return 0;
}

bool division_screen_open(struct ui *ui)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct sgz_err err;

	t->ui = ui;
	t->e = dict_find("divisions");
	t->input = lineedit_new(COLS - 20, 200);
	t->height = rows_for(LINES - 2);
	t->width = COLS;
	t->depth = 1;
	sgz_err_clear(&err);
	/* a test's rows in memory instead of the database */
	if (!ui_rows_source(ui, t->e, &t->mem)) {
		t->dt = divtree_new(ui_db(ui));
		if (divtree_open(t->dt, &err) < 0)
			goto failed;
		snprintf(t->frames[0].code, sizeof(t->frames[0].code), "%s", divtree_root(t->dt));
	}
	if (root_path(t, &err) < 0 || load_frame(t, 0, &err) < 0)
		goto failed;
	ui_push_view(ui, &tree_ops, t);
	return true;
failed:
	ui_tell_error(ui, &err);
	tree_free(t);
	return false;
}
