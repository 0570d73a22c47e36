/* screen_list.c - the list screen of any entity of the data dictionary:
 * rows fetched by key a page at a time through browse.h, a frozen first
 * column, the `/` filter, open, add, delete (asked first, refused with who
 * refers to the record), export of what the list shows; a module's key
 * where the shell gave one (ui_list_key(): g the hours grid, p a
 * volunteer's certificate), which may ask a line on the bottom line
 * (ui_ask_line()). */
#include "config.h"

#include "sgz/screens.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/browse.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/lineedit.h"
#include "sgz/listview.h"
#include "sgz/log.h"
#include "sgz/record.h"
#include "sgz/width.h"

enum mode {
	MODE_LIST,
	MODE_FILTER, /* typing the filter on the bottom line */
	MODE_EXPORT, /* typing the file to export to */
};

struct list_screen {
	struct ui *ui;
	const struct dict_entity *e;
	struct browse *browse;
	struct listview *lv;
	enum mode mode;
	struct lineedit *input;
	bool reload;		  /* a form changed the rows: fetch again when drawn */
	char *select;		  /* the key of the row to select then, or NULL */
	char **last;		  /* the last record opened or saved, for ditto */
	struct record *doomed;	  /* the record a delete dialog asks about */
	int height, width;	  /* of the list's rows */
	const struct ui_list_key *module_key; /* a module's key here (ui_list_key()) */
	struct ui_keyinfo *keys;	      /* list_keys, then module_key's */
	size_t nkeys;
	char *title; /* a list of some rows (list_screen_new_where()): what they are */
	struct form_origin origin; /* what its forms tell it (list_screen_origin()) */
};

/* clang-format off */
/* The keys of every list; a module's key (ui_list_key()) follows them. */
static const struct ui_keyinfo list_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "/", "/", M_FILTER, M_DO_FILTER },
	{ "a, Insert", "a", M_ADD, M_DO_ADD },
	{ "d, Delete", "d", M_DELETE, M_DO_DELETE },
	{ "e", "e", M_EXPORT, M_DO_EXPORT },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo filter_keys[] = {
	{ "Enter", "Enter", M_APPLY, M_DO_FILTER },
	{ "Esc", "Esc", M_CLEAR, M_DO_FILTER },
};

static const struct ui_keyinfo export_keys[] = {
	{ "Enter", "Enter", M_EXPORT, M_DO_EXPORT },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

/* ---- the source: browse.h under the listview's interface ---- */

struct adapter {
	struct list_screen *ls;
	struct listview_page *page;
};

/* Shows choices and booleans in the interface's language. */
static int add_row(void *arg, const char *key, const char *const *cells)
{
	struct adapter *a = arg;
	size_t n = browse_ncolumns(a->ls->browse);
	char **shown = xcalloc(n + 1, sizeof(*shown));
	int rc;

	for (size_t c = 0; c < n; c++)
		shown[c] =
		    form_value_text(browse_column(a->ls->browse, c), cells[c], ui_zh(a->ls->ui));
	rc = listview_page_add(a->page, key, (const char *const *)shown);
	for (size_t c = 0; c < n; c++)
		free(shown[c]);
	free(shown);
	return rc;
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_first(a.ls->browse, filter, n, add_row, &a, err);
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_after(a.ls->browse, filter, key, n, add_row, &a, err);
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_before(a.ls->browse, filter, key, n, add_row, &a, err);
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	struct adapter a = {ctx, page};

	return browse_last(a.ls->browse, filter, n, add_row, &a, err);
}

/* ---- the screen ---- */

static int column_width(const struct ui *ui, const struct dict_field *df)
{
	int w = df->width > 0 ? df->width : 8;
	int tw = ui_width(ui_field_label(ui, df));

	/* a choice shows whole: its label in the reader's language */
	if (df->type == DT_CHOICE) {
		for (size_t c = 0; df->choices && df->choices[c].code; c++) {
			char *t = form_value_text(df, df->choices[c].code, ui_zh(ui));
			int cw = ui_width(t);
			free(t);
			if (cw > w)
				w = cw;
		}
	}
	return tw > w ? tw : w;
}

static int rows_for(int height)
{
	/* heading, the column titles, the bottom line */
	return height - 3 > 1 ? height - 3 : 1;
}

/* ---- what its forms tell it (struct form_origin) ---- */

/* A form saved the record with this key (record_key()), values as saved
 * (ditto): fetch again when shown, with that row selected; both NULL: a
 * record changed or deleted. */
static void origin_saved(void *ctx, const char *const *values, const char *key)
{
	struct list_screen *ls = ctx;

	list_screen_changed(ls, values);
	free(ls->select);
	ls->select = key ? xstrdup(key) : NULL;
}

/* The values of the last record opened or saved from this list, or NULL. */
static const char *const *origin_last(void *ctx)
{
	return (const char *const *)((struct list_screen *)ctx)->last;
}

/* Does the list's session see full ID numbers (browse_session_admin())? */
static bool origin_admin(void *ctx)
{
	return browse_session_admin(((struct list_screen *)ctx)->browse);
}

static struct list_screen *list_new(struct ui *ui, const struct dict_entity *e, const char *where,
				     const char *const *params, int nparams, const char *title);

struct list_screen *list_screen_new(struct ui *ui, const struct dict_entity *e)
{
	return list_new(ui, e, NULL, NULL, 0, NULL);
}

struct list_screen *list_screen_new_where(struct ui *ui, const struct dict_entity *e,
					  const char *where, const char *const *params,
					  int nparams, const char *title)
{
	return list_new(ui, e, where, params, nparams, title);
}

static struct list_screen *list_new(struct ui *ui, const struct dict_entity *e, const char *where,
				     const char *const *params, int nparams, const char *title)
{
	struct list_screen *ls = xcalloc(1, sizeof(*ls));
	struct listview_source src = {src_first, src_after, src_before, src_last, ls};
	struct listview_column *cols;
	struct sgz_err err;
	size_t n;

	ls->ui = ui;
	ls->origin = (struct form_origin){ls, origin_saved, origin_last, origin_admin};
	ls->e = e;
	ls->module_key = ui_list_key(ui, e);
	ls->nkeys = SGZ_ARRAY_LEN(list_keys) + (ls->module_key ? 1 : 0);
	ls->keys = xcalloc(ls->nkeys, sizeof(*ls->keys));
	memcpy(ls->keys, list_keys, sizeof(list_keys));
	if (ls->module_key)
		ls->keys[ls->nkeys - 1] = ls->module_key->info;
	ls->browse = browse_new(ui_db(ui), e);
	if (where)
		browse_restrict(ls->browse, where, params, nparams, NULL, false);
	ls->title = title ? xstrdup(title) : NULL;
	/* a test's rows in memory instead of the database */
	ui_rows_source(ui, e, &src);
	n = browse_ncolumns(ls->browse);
	cols = xcalloc(n, sizeof(*cols));
	for (size_t c = 0; c < n; c++) {
		const struct dict_field *df = browse_column(ls->browse, c);
		cols[c].title = ui_field_label(ui, df);
		cols[c].width = column_width(ui, df);
		cols[c].align = df->type == DT_INT || df->type == DT_NUMBER || df->type == DT_MONEY
				    ? LISTVIEW_RIGHT
				    : LISTVIEW_LEFT;
	}
	ls->height = rows_for(LINES - 2);
	ls->width = COLS;
	ls->lv = listview_new(&src, cols, n, ls->height, ls->width);
	free(cols);
	/* the selection bar over the key column only: a move rewrites two
	 * short runs, not two rows of Chinese text (spec/bench.md: <= 200 B) */
	listview_set_highlight(ls->lv, LISTVIEW_HIGHLIGHT_FIRST);
	ls->input = lineedit_new(COLS - 20, 200);
	sgz_err_clear(&err);
	if (listview_reload(ls->lv, &err) < 0) {
		ui_tell_error(ui, &err);
		list_screen_free(ls);
		return NULL;
	}
	return ls;
}

static void free_last(struct list_screen *ls)
{
	if (!ls->last)
		return;
	for (size_t i = 0; i < ls->e->nfields; i++)
		free(ls->last[i]);
	free(ls->last);
	ls->last = NULL;
}

void list_screen_free(struct list_screen *ls)
{
	if (!ls)
		return;
	listview_free(ls->lv);
	browse_free(ls->browse);
	lineedit_free(ls->input);
	record_free(ls->doomed);
	free_last(ls);
	free(ls->select);
	free(ls->keys);
	free(ls->title);
	free(ls);
}

const char *list_screen_title(const struct list_screen *ls)
{
	if (ls->title)
		return ls->title;
	return ui_entity_label(ls->ui, ls->e);
}

void list_screen_changed(struct list_screen *ls, const char *const *values)
{
	ls->reload = true;
	if (!values)
		return;
	free_last(ls);
	ls->last = xcalloc(ls->e->nfields, sizeof(*ls->last));
	for (size_t i = 0; i < ls->e->nfields; i++)
		ls->last[i] = values[i] ? xstrdup(values[i]) : NULL;
}

const struct form_origin *list_screen_origin(struct list_screen *ls)
{
	return &ls->origin;
}

const struct ui_keyinfo *list_screen_keys(const struct list_screen *ls, size_t *n)
{
	*n = ls->nkeys;
	return ls->keys;
}

const struct ui_keyinfo *list_screen_status_keys(const struct list_screen *ls, size_t *n)
{
	switch (ls->mode) {
	case MODE_LIST:
		break;
	case MODE_FILTER:
		*n = SGZ_ARRAY_LEN(filter_keys);
		return filter_keys;
	case MODE_EXPORT:
		*n = SGZ_ARRAY_LEN(export_keys);
		return export_keys;
	}
	return list_screen_keys(ls, n);
}

/* ---- drawing ---- */

static void draw_input(struct list_screen *ls, int y, enum ui_msg prompt)
{
	int x = 1 + ui_put(y, 1, COLS - 2, ui_tr(ls->ui, prompt), A_BOLD, false);
	int w = COLS - x - 2;

	if (lineedit_width(ls->input) != w)
		lineedit_set_width(ls->input, w);
	lineedit_draw(stdscr, y, x, ls->input, A_NORMAL, L'_', true);
	ui_cursor(ls->ui, y, x + lineedit_cursor_col(ls->input));
}

void list_screen_draw(struct list_screen *ls, int top, int height)
{
	struct sgz_err err;
	int rows = rows_for(height), x;

	sgz_err_clear(&err);
	if (rows != ls->height || COLS != ls->width) {
		ls->height = rows;
		ls->width = COLS;
		if (listview_resize(ls->lv, rows, COLS, &err) < 0)
			ui_say_error(ls->ui, &err);
	}
	if (ls->reload) {
		ls->reload = false;
		if (listview_reload_at(ls->lv, ls->select, &err) < 0)
			ui_say_error(ls->ui, &err);
		free(ls->select);
		ls->select = NULL;
	}
	/* the heading: the entity, the filter in force */
	x = 1 + ui_put(top, 1, COLS - 2, list_screen_title(ls), A_BOLD, false);
	if (*listview_filter(ls->lv) && ls->mode != MODE_FILTER) {
		struct strbuf sb = {0};
		/* TRANSLATORS: after a list's name: the filter in force follows. */
		sb_addf(&sb, _("filter: %s"), listview_filter(ls->lv));
		ui_put(top, x + 2, COLS - x - 3, sb_str(&sb), A_NORMAL, false);
		sb_free(&sb);
	}
	/* werase() emptied the window: every row is drawn into it again, and
	 * curses sends the terminal only what differs */
	listview_invalidate(ls->lv);
	listview_draw(stdscr, top + 1, 0, ls->lv, A_BOLD, ui_selected_attr(ls->ui));
	if (!listview_selected_key(ls->lv))
		ui_put(top + 2, 1, COLS - 2, ui_tr(ls->ui, M_NO_ROWS), A_NORMAL, false);
	switch (ls->mode) {
	case MODE_LIST:
		break;
	case MODE_FILTER:
		draw_input(ls, top + height - 1, M_FILTER_PROMPT);
		break;
	case MODE_EXPORT:
		draw_input(ls, top + height - 1, M_EXPORT_PROMPT);
		break;
	}
}

/* ---- actions ---- */

static void say_error(struct list_screen *ls, const struct sgz_err *err)
{
	ui_tell_error(ls->ui, err);
}

static void reload(struct list_screen *ls)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_reload(ls->lv, &err) < 0)
		say_error(ls, &err);
}

static void open_selected(struct list_screen *ls)
{
	const char *key = listview_selected_key(ls->lv);
	struct record_error re;
	struct record *r = NULL;

	if (!key)
		return;
	if (ui_record_opener(ls->ui, ls->e)) {
		/* a module's screen of the record (the case file) */
		form_screen_open(ls->ui, ls->e, key, &ls->origin);
		return;
	}
	record_error_init(&re);
	switch (record_load(ui_db(ls->ui), ls->e, key, &r, &re)) {
	case RECORD_OK:
		form_screen_push(ls->ui, form_screen_new(ls->ui, ls->e, r, &ls->origin));
		break;
	case RECORD_GONE:
		ui_say(ls->ui, ui_tr(ls->ui, M_GONE));
		reload(ls);
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		say_error(ls, &re.err);
		break;
	}
	record_error_free(&re);
}

/* "Referenced by 2 staff, 2 volunteers" / "引用它的有:工作人员 2 条、志愿者 2 条" */
/* The refusal of a delete: what still refers to the record, counted. */
static void refs_text(const struct ui *ui, const struct record_error *re, struct strbuf *sb)
{
	struct strbuf who = {0};

	sb_adds(sb, ui_tr(ui, M_REFERENCED));
	for (size_t i = 0; i < re->nrefs; i++) {
		const char *label = ui_entity_label(ui, re->refs[i].e);
		char *lower = xstrdup(label);
		/* English entity names are capitalised as titles; in a sentence not */
		if (lower[0] >= 'A' && lower[0] <= 'Z')
			lower[0] = (char)(lower[0] + 32);
		if (i)
			sb_adds(&who, ui_tr(ui, M_REFERENCED_SEP));
		/* TRANSLATORS: one entity that refers to a record: count and entity;
		 * zh_CN puts the count after the entity: "%2$s %1$ld 条". */
		sb_addf(&who, _("%ld %s"), re->refs[i].count, lower);
		free(lower);
	}
	if (re->nrefs) {
		sb_adds(sb, "\n");
		/* TRANSLATORS: the entities that still refer to the record follow. */
		sb_addf(sb, _("Referenced by %s"), sb_str(&who));
	}
	sb_free(&who);
	if (re->err.msg[0]) {
		char *why = msg_tr(re->err.msg);
		sb_adds(sb, "\n\n");
		sb_adds(sb, why);
		free(why);
	}
}

void ui_delete_record(struct ui *ui, struct record *r, void (*reload_fn)(void *ctx), void *ctx)
{
	struct record_error re;
	struct strbuf sb = {0};

	record_error_init(&re);
	switch (record_delete(ui_db(ui), r, &re)) {
	case RECORD_OK:
		ui_say(ui, ui_tr(ui, M_DELETED));
		reload_fn(ctx);
		break;
	case RECORD_REFERENCED:
		refs_text(ui, &re, &sb);
		ui_tell(ui, ui_tr(ui, M_DELETE), sb_str(&sb));
		break;
	case RECORD_CONFLICT:
		ui_say(ui, ui_tr(ui, M_CHANGED_SINCE));
		reload_fn(ctx);
		break;
	case RECORD_GONE:
		ui_say(ui, ui_tr(ui, M_GONE));
		reload_fn(ctx);
		break;
	case RECORD_REFUSED:
	case RECORD_FAILED:
		ui_tell_error(ui, &re.err);
		break;
	}
	record_error_free(&re);
	sb_free(&sb);
}

static void reload_list(void *ctx)
{
	reload(ctx);
}

static void on_delete_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct list_screen *ls = ctx;

	if (answer == 'y' && ls->doomed)
		ui_delete_record(ui, ls->doomed, reload_list, ls);
	record_free(ls->doomed);
	ls->doomed = NULL;
}

void ui_delete_question(struct ui *ui, const struct record *r, struct strbuf *sb)
{
	struct sgz_err err;
	char *title = NULL;

	sgz_err_clear(&err);
	if (record_title(ui_db(ui), r, ui_zh(ui), &title, &err) < 0)
		log_msg(LOG_INFO, "record to delete not named: %s", err.msg);
	if (title && *title)
		/* TRANSLATORS: the delete dialog: the entity and the record,
		 * e.g. "Delete Case 120110001-2026-0003 Liu Guilan?". */
		sb_addf(sb, _("Delete %s %s?"), ui_entity_one(ui, r->e), title);
	else
		sb_adds(sb, ui_tr(ui, M_DELETE_ASK));
	free(title);
}

int ui_ask_delete(struct ui *ui, const struct dict_entity *e, const char *key,
		  struct record **doomed, ui_answer_fn fn, void *ctx)
{
	static const struct ui_choice choices[] = {{'y', "y", M_DELETE}, {'n', "n", M_CANCEL}};
	struct record_error re;
	struct strbuf body = {0};
	int rc = -1;

	record_error_init(&re);
	record_free(*doomed);
	*doomed = NULL;
	switch (record_load(ui_db(ui), e, key, doomed, &re)) {
	case RECORD_OK:
		ui_delete_question(ui, *doomed, &body);
		ui_ask(ui, ui_tr(ui, M_DELETE), sb_str(&body), choices, SGZ_ARRAY_LEN(choices), fn,
		       ctx);
		rc = 1;
		break;
	case RECORD_GONE:
		ui_say(ui, ui_tr(ui, M_GONE));
		rc = 0;
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		ui_tell_error(ui, &re.err);
		break;
	}
	record_error_free(&re);
	sb_free(&body);
	return rc;
}

static void ask_delete(struct list_screen *ls)
{
	const char *key = listview_selected_key(ls->lv);

	if (key && ui_ask_delete(ls->ui, ls->e, key, &ls->doomed, on_delete_answer, ls) == 0)
		reload(ls);
}

static void start_export(struct list_screen *ls)
{
	char name[128], day[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(name, sizeof(name), "%s-%s.csv", ls->e->name, day);
	lineedit_set_utf8(ls->input, name);
	ls->mode = MODE_EXPORT;
}

static int write_export(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct list_screen *ls = ctx;

	return browse_export(ls->browse, listview_filter(ls->lv), out, rows, err);
}

/* Enter on the file name: into the export directory (ui_export()). */
static void do_export(struct list_screen *ls)
{
	char *name = lineedit_get_utf8(ls->input);

	ui_export(ls->ui, name, write_export, ls);
	free(name);
}

static void apply_filter(struct list_screen *ls, const char *filter)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_set_filter(ls->lv, filter, &err) < 0)
		say_error(ls, &err);
}

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* The bottom line's text field: the filter or the export file. */
static void input_key(struct list_screen *ls, bool fn, wint_t wc)
{
	char *text;

	if (is_enter(fn, wc)) {
		enum mode m = ls->mode;
		ls->mode = MODE_LIST;
		if (m == MODE_FILTER) {
			text = lineedit_get_utf8(ls->input);
			apply_filter(ls, text);
			free(text);
		} else {
			do_export(ls);
		}
		return;
	}
	if (is_esc(fn, wc)) {
		/* Esc clears the filter (spec/keys.md); for export it cancels */
		if (ls->mode == MODE_FILTER && *listview_filter(ls->lv))
			apply_filter(ls, NULL);
		ls->mode = MODE_LIST;
		return;
	}
	lineedit_key(ls->input, fn, wc);
}

bool list_screen_paste(struct list_screen *ls, const wchar_t *s, size_t n)
{
	if (ls->mode == MODE_LIST)
		return false; /* the rows' keys are commands: "dy" would delete */
	ui_paste_text(ls->ui, ls->input, s, n);
	return true;
}

void list_screen_key(struct list_screen *ls, bool fn, wint_t wc)
{
	struct sgz_err err;

	if (ls->mode != MODE_LIST) {
		input_key(ls, fn, wc);
		return;
	}
	sgz_err_clear(&err);
	switch (listview_key(ls->lv, fn, wc, &err)) {
	case LISTVIEW_KEY_DONE:
		return;
	case LISTVIEW_KEY_FAILED:
		say_error(ls, &err);
		return;
	case LISTVIEW_KEY_OTHER:
		break;
	}
	if (is_enter(fn, wc)) {
		open_selected(ls);
	} else if (is_esc(fn, wc)) {
		ui_pop(ls->ui); /* frees ls */
	} else if ((fn && wc == KEY_F(1)) || (!fn && wc == L'?')) {
		ui_help(ls->ui);
	} else if (!fn && wc == L'/') {
		lineedit_set_utf8(ls->input, listview_filter(ls->lv));
		ls->mode = MODE_FILTER;
	} else if ((!fn && wc == L'a') || (fn && wc == KEY_IC)) {
		form_screen_push(ls->ui, form_screen_new(ls->ui, ls->e, NULL, &ls->origin));
	} else if ((!fn && wc == L'd') || (fn && wc == KEY_DC)) {
		ask_delete(ls);
	} else if (!fn && wc == L'e') {
		start_export(ls);
	} else if (ls->module_key && !fn && wc == ls->module_key->wc) {
		ls->module_key->open(ls->ui, ls->e, listview_selected_key(ls->lv), ls);
	}
}

/* ---- the list as the stack holds it ---- */

static const char *view_title(void *view)
{
	return list_screen_title(view);
}

static void view_draw(void *view, int top, int height)
{
	list_screen_draw(view, top, height);
}

static bool view_key(void *view, bool fn, wint_t wc)
{
	list_screen_key(view, fn, wc); /* ?, Esc and F1 too: the list decides */
	return true;
}

static const struct ui_keyinfo *view_keys(void *view, size_t *n)
{
	return list_screen_keys(view, n);
}

static const struct ui_keyinfo *view_status_keys(void *view, size_t *n)
{
	return list_screen_status_keys(view, n);
}

static void view_free(void *view)
{
	list_screen_free(view);
}

static bool view_paste(void *view, const wchar_t *s, size_t n)
{
	return list_screen_paste(view, s, n);
}

static const struct ui_view_ops list_view_ops = {
    .title = view_title,
    .draw = view_draw,
    .key = view_key,
    .keys = view_keys,
    .status_keys = view_status_keys,
    .free = view_free,
    .paste = view_paste,
};

void list_screen_push(struct ui *ui, struct list_screen *ls)
{
	ui_push_view(ui, &list_view_ops, ls);
}
