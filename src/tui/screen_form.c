/* screen_form.c - the form screen of any entity of the data dictionary:
 * the form model (form.h) over one record (record.h), save, save-and-next,
 * ditto, the type-ahead picker (choices from the dictionary, references
 * from the database), and the dialogs of a save: a conflict with someone
 * else's save, a record deleted meanwhile, a lost connection. Whatever goes
 * wrong, the form keeps what was typed. */
#include "config.h"

#include "sgz/screens.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/browse.h"
#include "sgz/form.h"
#include "sgz/lineedit.h"
#include "sgz/record.h"
#include "sgz/width.h"

/* Rows of candidates a picker shows; references fetch this many. */
#define PICK_ROWS  10
#define PICK_FETCH 50

struct picker {
	bool open;
	size_t field;
	const struct dict_field *df;
	const struct dict_choice *choices; /* local: the field's (or yes/no) */
	bool multi;			   /* DT_CHOICES: ticks */
	bool remote;			   /* a reference: looked up in the database */
	bool append;			   /* a list of references: the pick is added */
	struct lineedit *filter;
	char **values; /* the candidates: what is stored ... */
	char **labels; /* ... and what describes it */
	size_t n, cap;
	bool *ticked; /* multi: per choice */
	size_t sel, top;
	bool stale; /* remote: the filter changed since the look-up */
};

struct form_screen {
	struct ui *ui;
	const struct dict_entity *e;
	struct form *form;
	struct record *rec;
	struct list_screen *origin;
	struct strbuf title;
	struct strbuf hint;
	struct picker pk;
	struct record *theirs; /* a conflict: the row as someone else saved it */
	bool next_after;       /* the save a dialog interrupted was a save-and-next */
};

/* clang-format off */
static const struct ui_keyinfo form_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SAVE },
	{ "F3, Ctrl-N", "F3", M_SAVE_NEXT, M_DO_SAVE_NEXT },
	{ "F4, Ctrl-D", "F4", M_DITTO, M_DO_DITTO },
	{ "F5, Ctrl-P", "F5", M_PICK, M_DO_PICK },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Left/Right, Home/End", NULL, M_NONE, M_DO_EDIT },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo pick_keys[] = {
	{ "Enter", "Enter", M_PICK, M_DO_PICK },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};

static const struct ui_keyinfo pick_multi_keys[] = {
	{ "Space", "Space", M_TOGGLE, M_DO_PICK },
	{ "Enter", "Enter", M_PICK, M_DO_PICK },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

static const struct dict_choice bool_choices[] = {
    {"yes", "是"},
    {"no", "否"},
    {NULL, NULL},
};

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* ---- the screen ---- */

static void set_title(struct form_screen *fs)
{
	struct ui *ui = fs->ui;

	sb_reset(&fs->title);
	sb_adds(&fs->title, ui_entity_label(ui, fs->e));
	if (record_is_new(fs->rec)) {
		sb_adds(&fs->title, ui_tr(ui, M_NEW));
		return;
	}
	sb_adds(&fs->title, ui_tr(ui, M_EDIT));
	for (size_t i = 0, k = 0; i < fs->e->nfields; i++) {
		if (!(fs->e->fields[i].flags & DF_KEY))
			continue;
		char *t = form_value_text(&fs->e->fields[i], fs->rec->key[k++], ui_zh(ui));
		sb_addf(&fs->title, "%s%s", i ? " " : "", t);
		free(t);
	}
}

struct form_screen *form_screen_new(struct ui *ui, const struct dict_entity *e, struct record *r,
				    struct list_screen *origin)
{
	struct form_screen *fs = xcalloc(1, sizeof(*fs));

	fs->ui = ui;
	fs->e = e;
	fs->rec = r ? r : record_new(e);
	fs->origin = origin;
	fs->form = form_new(e, ui_zh(ui));
	form_layout(fs->form, COLS - 2);
	form_load(fs->form, (const char *const *)fs->rec->values);
	if (origin)
		form_set_ditto(fs->form, list_screen_last(origin));
	fs->pk.filter = lineedit_new(30, 100);
	set_title(fs);
	return fs;
}

static void picker_clear(struct picker *pk)
{
	for (size_t i = 0; i < pk->n; i++) {
		free(pk->values[i]);
		free(pk->labels[i]);
	}
	pk->n = 0;
	pk->sel = pk->top = 0;
}

static void picker_close(struct picker *pk)
{
	picker_clear(pk);
	free(pk->ticked);
	pk->ticked = NULL;
	pk->open = false;
}

void form_screen_free(struct form_screen *fs)
{
	if (!fs)
		return;
	picker_close(&fs->pk);
	free(fs->pk.values);
	free(fs->pk.labels);
	lineedit_free(fs->pk.filter);
	form_free(fs->form);
	record_free(fs->rec);
	record_free(fs->theirs);
	sb_free(&fs->title);
	sb_free(&fs->hint);
	free(fs);
}

const char *form_screen_title(const struct form_screen *fs)
{
	return sb_str(&fs->title);
}

const struct ui_keyinfo *form_screen_keys(const struct form_screen *fs, size_t *n)
{
	(void)fs;
	*n = SGZ_ARRAY_LEN(form_keys);
	return form_keys;
}

const struct ui_keyinfo *form_screen_status_keys(const struct form_screen *fs, size_t *n)
{
	if (fs->pk.open && fs->pk.multi) {
		*n = SGZ_ARRAY_LEN(pick_multi_keys);
		return pick_multi_keys;
	}
	if (fs->pk.open) {
		*n = SGZ_ARRAY_LEN(pick_keys);
		return pick_keys;
	}
	return form_screen_keys(fs, n);
}

/* "label: reason" of field i. */
static void field_reason(const struct form_screen *fs, size_t i, const char *reason,
			 struct strbuf *sb)
{
	sb_adds(sb, form_label(fs->form, i));
	sb_adds(sb, ui_zh(fs->ui) ? ":" : ": ");
	sb_adds(sb, reason);
}

const char *form_screen_hint(struct form_screen *fs)
{
	struct ui *ui = fs->ui;
	size_t i = form_current(fs->form);
	const struct dict_field *df = form_dict_field(fs->form, i);
	const char *err = form_error(fs->form, i);

	sb_reset(&fs->hint);
	if (err) {
		field_reason(fs, i, err, &fs->hint);
		return sb_str(&fs->hint);
	}
	if ((df->flags & DF_AUTO) && record_is_new(fs->rec))
		return ui_tr(ui, M_HINT_AUTO);
	switch (df->type) {
	case DT_CHOICE:
	case DT_CHOICES:
		sb_adds(&fs->hint, ui_tr(ui, M_HINT_PICK));
		for (size_t c = 0; df->choices && df->choices[c].code; c++)
			sb_addf(&fs->hint, "%s%s", c ? " " : "",
				ui_zh(ui) && df->choices[c].label_zh ? df->choices[c].label_zh
								     : df->choices[c].code);
		if (df->type == DT_CHOICES) {
			sb_adds(&fs->hint, "  ");
			sb_adds(&fs->hint, ui_tr(ui, M_HINT_LIST));
		}
		return sb_str(&fs->hint);
	case DT_DATE:
		return ui_tr(ui, M_HINT_DATE);
	case DT_TEXT:
	case DT_DIVISION:
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
	case DT_BOOL:
	case DT_PATTERN:
	case DT_DIVISIONS:
		break;
	}
	if (df->ref_table) {
		size_t n;
		const struct dict_entity *const *all = dict_entities(&n);
		sb_adds(&fs->hint, ui_tr(ui, M_HINT_REF));
		for (size_t k = 0; k < n; k++)
			if (strcmp(all[k]->table, df->ref_table) == 0)
				sb_adds(&fs->hint, ui_entity_label(ui, all[k]));
		if (df->type == DT_DIVISIONS) {
			sb_adds(&fs->hint, "  ");
			sb_adds(&fs->hint, ui_tr(ui, M_HINT_LIST));
		}
		return sb_str(&fs->hint);
	}
	return NULL;
}

/* ---- the picker ---- */

static void picker_add(struct picker *pk, const char *value, const char *label)
{
	if (pk->n == pk->cap) {
		pk->cap = pk->cap ? pk->cap * 2 : 16;
		pk->values = xreallocarray(pk->values, pk->cap, sizeof(*pk->values));
		pk->labels = xreallocarray(pk->labels, pk->cap, sizeof(*pk->labels));
	}
	pk->values[pk->n] = xstrdup(value);
	pk->labels[pk->n] = xstrdup(label ? label : "");
	pk->n++;
}

static int picker_take(void *arg, const char *value, const char *label)
{
	picker_add(arg, value, label);
	return 0;
}

/* Choices matching the filter, from the dictionary: no query. */
static void picker_local(struct picker *pk)
{
	struct dict_field tmp = {.choices = pk->choices};
	char *text = lineedit_get_utf8(pk->filter);
	size_t idx[64], n;

	picker_clear(pk);
	n = form_choice_matches(&tmp, text, idx, SGZ_ARRAY_LEN(idx));
	for (size_t k = 0; k < n && k < SGZ_ARRAY_LEN(idx); k++)
		picker_add(pk, pk->choices[idx[k]].code, pk->choices[idx[k]].label_zh);
	free(text);
}

static size_t choice_index(const struct picker *pk, const char *code)
{
	size_t c = 0;

	while (pk->choices[c].code && strcmp(pk->choices[c].code, code) != 0)
		c++;
	return c;
}

static void open_picker(struct form_screen *fs)
{
	struct picker *pk = &fs->pk;
	size_t i = form_current(fs->form);
	const struct dict_field *df = form_dict_field(fs->form, i);
	char *text = form_text(fs->form, i);
	struct strbuf canon = {0};
	struct sgz_err err;

	if (!form_pickable(fs->form, i)) {
		ui_say(fs->ui, ui_tr(fs->ui, M_NO_PICK));
		free(text);
		return;
	}
	picker_close(pk);
	pk->open = true;
	pk->field = i;
	pk->df = df;
	pk->remote = df->type != DT_CHOICE && df->type != DT_CHOICES && df->type != DT_BOOL;
	pk->multi = df->type == DT_CHOICES;
	pk->append = df->type == DT_DIVISIONS;
	pk->choices = df->type == DT_BOOL ? bool_choices : df->choices;
	sgz_err_clear(&err);
	if (pk->remote) {
		/* what was typed is where the look-up starts */
		lineedit_set_utf8(pk->filter, pk->append ? "" : text);
		pk->stale = true;
	} else {
		lineedit_set_utf8(pk->filter, "");
		picker_local(pk);
		if (pk->multi) {
			size_t nc = 0;
			while (pk->choices[nc].code)
				nc++;
			pk->ticked = xcalloc(nc + 1, sizeof(*pk->ticked));
			if (dict_parse_value(df, text, &canon, &err) == 0) {
				for (const char *p = sb_str(&canon); *p;) {
					const char *end = strchr(p, ';');
					size_t len = end ? (size_t)(end - p) : strlen(p);
					char *code = xstrndup(p, len);
					pk->ticked[choice_index(pk, code)] = true;
					free(code);
					p += len + (end ? 1 : 0);
				}
			}
		} else if (dict_parse_value(df, text, &canon, &err) == 0 && canon.len) {
			/* the current value selected */
			for (size_t k = 0; k < pk->n; k++)
				if (strcmp(pk->values[k], sb_str(&canon)) == 0)
					pk->sel = k;
		}
	}
	sb_free(&canon);
	free(text);
}

void form_screen_idle(struct form_screen *fs)
{
	struct picker *pk = &fs->pk;
	struct sgz_err err;
	char *text;

	if (!pk->open || !pk->remote || !pk->stale)
		return;
	pk->stale = false;
	picker_clear(pk);
	text = lineedit_get_utf8(pk->filter);
	sgz_err_clear(&err);
	if (browse_lookup(ui_db(fs->ui), pk->df, text, PICK_FETCH, picker_take, pk, &err) < 0)
		ui_say(fs->ui, err.msg);
	free(text);
	ui_redraw(fs->ui);
}

static void move_on(struct form_screen *fs);

/* Puts the picked value into the field, as typed. */
static void pick(struct form_screen *fs)
{
	struct picker *pk = &fs->pk;
	struct strbuf sb = {0};
	size_t i = pk->field;

	if (pk->multi) {
		for (size_t c = 0; pk->choices[c].code; c++) {
			if (!pk->ticked[c])
				continue;
			char *t = form_value_text(pk->df, pk->choices[c].code, ui_zh(fs->ui));
			sb_addf(&sb, "%s%s", sb.len ? ";" : "", t);
			free(t);
		}
	} else if (pk->n == 0) {
		return;
	} else if (pk->append) {
		char *have = form_text(fs->form, i);
		sb_adds(&sb, have);
		if (!strstr(have, pk->values[pk->sel]))
			sb_addf(&sb, "%s%s", *have ? ";" : "", pk->values[pk->sel]);
		free(have);
	} else {
		char *t = form_value_text(pk->df, pk->values[pk->sel], ui_zh(fs->ui));
		sb_adds(&sb, t);
		free(t);
	}
	form_set_text(fs->form, i, sb_str(&sb));
	sb_free(&sb);
	picker_close(pk);
	if (!pk->append)
		move_on(fs);
}

static void picker_key(struct form_screen *fs, bool fn, wint_t wc)
{
	struct picker *pk = &fs->pk;
	size_t len = lineedit_len(pk->filter);
	char *before;

	if (is_esc(fn, wc)) {
		picker_close(pk);
		return;
	}
	if (is_enter(fn, wc)) {
		pick(fs);
		return;
	}
	if (fn && (wc == KEY_UP || wc == KEY_DOWN || wc == KEY_PPAGE || wc == KEY_NPAGE)) {
		size_t step = wc == KEY_UP || wc == KEY_DOWN ? 1 : PICK_ROWS;
		if (wc == KEY_UP || wc == KEY_PPAGE)
			pk->sel = pk->sel > step ? pk->sel - step : 0;
		else if (pk->n)
			pk->sel = pk->sel + step < pk->n ? pk->sel + step : pk->n - 1;
		return;
	}
	if (pk->multi && !fn && wc == L' ') {
		if (pk->n)
			pk->ticked[choice_index(pk, pk->values[pk->sel])] ^= true;
		return;
	}
	before = lineedit_get_utf8(pk->filter);
	lineedit_key(pk->filter, fn, wc);
	char *after = lineedit_get_utf8(pk->filter);
	if (strcmp(before, after) != 0 || lineedit_len(pk->filter) != len) {
		if (pk->remote) {
			pk->stale = true; /* looked up once the keys stop */
		} else {
			picker_local(pk);
		}
		pk->sel = pk->top = 0;
	}
	free(before);
	free(after);
}

static void draw_picker(struct form_screen *fs, int field_y, int top, int height)
{
	struct picker *pk = &fs->pk;
	int rows = PICK_ROWS, w = COLS - 8 < 60 ? COLS - 8 : 60;
	int bh = rows + 3, y, x = form_label_width(fs->form) + 1, fx;
	struct strbuf sb = {0};

	if (x + w > COLS - 1)
		x = COLS - 1 - w;
	y = field_y + 1;
	if (y + bh > top + height)
		y = field_y - bh;
	if (y < top)
		y = top;
	for (int r = 0; r < bh; r++) {
		bool edge = r == 0 || r == bh - 1;
		ui_put(y + r, x, w, "", A_NORMAL, true);
		mvwaddch(stdscr, y + r, x, edge ? '+' : '|');
		mvwaddch(stdscr, y + r, x + w - 1, edge ? '+' : '|');
		if (edge)
			mvwhline(stdscr, y + r, x + 1, '-', w - 2);
	}
	sb_adds(&sb, ui_tr(fs->ui, M_PICK_TITLE));
	sb_adds(&sb, form_label(fs->form, pk->field));
	ui_put(y, x + 2, w - 4, sb_str(&sb), A_BOLD, false);
	/* the filter */
	fx = x + 2 + ui_put(y + 1, x + 2, 2, "> ", A_NORMAL, false);
	if (lineedit_width(pk->filter) != w - 6)
		lineedit_set_width(pk->filter, w - 6);
	lineedit_draw(stdscr, y + 1, fx, pk->filter, A_NORMAL, L' ', true);
	ui_cursor(fs->ui, y + 1, fx + lineedit_cursor_col(pk->filter));
	/* the candidates */
	if (pk->sel < pk->top)
		pk->top = pk->sel;
	if (pk->sel >= pk->top + (size_t)rows)
		pk->top = pk->sel - (size_t)rows + 1;
	if (pk->n == 0)
		ui_put(y + 2, x + 2, w - 4,
		       ui_tr(fs->ui, pk->remote && pk->stale ? M_PICK_LOOKING : M_PICK_NONE),
		       A_NORMAL, false);
	for (int r = 0; r < rows && pk->top + (size_t)r < pk->n; r++) {
		size_t k = pk->top + (size_t)r;
		const char *label = pk->labels[k];
		sb_reset(&sb);
		if (pk->multi)
			sb_addf(&sb, "[%c] ",
				pk->ticked[choice_index(pk, pk->values[k])] ? 'x' : ' ');
		if (!pk->remote && ui_zh(fs->ui) && *label)
			sb_addf(&sb, "%s  %s", label, pk->values[k]);
		else
			sb_addf(&sb, "%s  %s", pk->values[k], label);
		ui_put(y + 2 + r, x + 1, w - 2, sb_str(&sb),
		       k == pk->sel ? ui_selected_attr(fs->ui) : A_NORMAL, k == pk->sel);
	}
	sb_free(&sb);
}

/* ---- drawing ---- */

void form_screen_draw(struct form_screen *fs, int top, int height)
{
	int rows = height - 2, cy, cx;
	const char *hint;

	ui_put(top, 1, COLS - 2, sb_str(&fs->title), A_BOLD, false);
	form_draw(stdscr, top + 1, 1, rows, COLS - 2, fs->form, L'_', true);
	getyx(stdscr, cy, cx);
	ui_cursor(fs->ui, cy, cx);
	hint = form_screen_hint(fs);
	if (hint)
		ui_put(top + height - 1, 1, COLS - 2, hint, A_NORMAL, false);
	if (fs->pk.open)
		draw_picker(fs, cy, top + 1, rows);
}

/* ---- saving ---- */

static void save(struct form_screen *fs, bool next);

/* After a save went through: tell the list, then close or start the next. */
static void saved(struct form_screen *fs, bool next, const char *warning)
{
	struct ui *ui = fs->ui;
	struct strbuf sb = {0};

	if (fs->origin)
		list_screen_changed(fs->origin, (const char *const *)fs->rec->values);
	if (warning && *warning) {
		sb_adds(&sb, ui_tr(ui, M_WARNING));
		sb_adds(&sb, warning);
	} else {
		sb_adds(&sb, ui_tr(ui, next ? M_SAVED_NEXT : M_SAVED));
	}
	ui_say(ui, sb_str(&sb));
	sb_free(&sb);
	if (!next) {
		ui_pop(ui); /* frees fs */
		return;
	}
	form_set_ditto(fs->form, (const char *const *)fs->rec->values);
	form_load(fs->form, (const char *const *)fs->rec->values);
	form_next_record(fs->form);
	record_free(fs->rec);
	fs->rec = record_new(fs->e);
	set_title(fs);
}

static void on_conflict_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct form_screen *fs = ctx;
	struct record *theirs = fs->theirs;

	fs->theirs = NULL;
	if (answer == 'm' || answer == 't') {
		/* their row_version: the next save goes over theirs, knowingly */
		record_free(fs->rec);
		fs->rec = theirs;
		theirs = NULL;
	}
	if (answer == 'm') {
		save(fs, fs->next_after); /* may free fs */
	} else if (answer == 't') {
		form_load(fs->form, (const char *const *)fs->rec->values);
		ui_say(ui, ui_tr(ui, M_TOOK_THEIRS));
	}
	/* Esc: keep editing over the row as it was loaded, so saving again
	 * meets the same conflict rather than overwriting unseen */
	record_free(theirs);
}

/* The fields where theirs differs from what is being saved. */
static void conflict_body(const struct form_screen *fs, const struct record *mine,
			  const struct record *theirs, struct strbuf *sb)
{
	bool zh = ui_zh(fs->ui);

	sb_adds(sb, ui_tr(fs->ui, M_CONFLICT_BODY));
	for (size_t i = 0; i < fs->e->nfields; i++) {
		const char *a = record_value(mine, i), *b = record_value(theirs, i);
		if (form_readonly(fs->form, i) || (!a && !b) || (a && b && strcmp(a, b) == 0))
			continue;
		char *ta = form_value_text(&fs->e->fields[i], a, zh);
		char *tb = form_value_text(&fs->e->fields[i], b, zh);
		sb_addf(sb, "\n%s%s%s (%s) / %s (%s)", form_label(fs->form, i), zh ? ":" : ": ", ta,
			ui_tr(fs->ui, M_YOURS), tb, ui_tr(fs->ui, M_THEIRS));
		free(ta);
		free(tb);
	}
}

static void on_gone_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct form_screen *fs = ctx;

	(void)ui;
	if (answer != 'a')
		return;
	/* a new record with what was typed */
	struct record *r = record_new(fs->e);
	for (size_t i = 0; i < fs->e->nfields; i++)
		record_set(r, i, record_value(fs->rec, i));
	record_free(fs->rec);
	fs->rec = r;
	set_title(fs);
	save(fs, fs->next_after);
}

static void save(struct form_screen *fs, bool next)
{
	static const struct ui_choice conflict_choices[] = {
	    {'m', "m", M_KEEP_MINE},
	    {'t', "t", M_TAKE_THEIRS},
	};
	static const struct ui_choice gone_choices[] = {{'a', "a", M_SAVE_AS_NEW}};
	struct ui *ui = fs->ui;
	struct record_error re;
	struct strbuf sb = {0};
	struct sgz_err err;
	char **values;

	if (form_validate_all(fs->form, &err) < 0) {
		field_reason(fs, form_current(fs->form), err.msg, &sb);
		ui_say(ui, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	if (!next && !record_is_new(fs->rec) && !form_dirty(fs->form)) {
		ui_say(ui, ui_tr(ui, M_NOTHING_CHANGED));
		ui_pop(ui);
		return;
	}
	/* what was typed goes into a copy: a refusal leaves the record as loaded */
	struct record *r = record_dup(fs->rec);
	values = form_values(fs->form);
	for (size_t i = 0; i < fs->e->nfields; i++)
		if (!form_readonly(fs->form, i))
			record_set(r, i, values[i]);
	form_values_free(fs->form, values);
	fs->next_after = next;
	record_error_init(&re);
	switch (record_save(ui_db(ui), r, &re)) {
	case RECORD_OK:
		record_free(fs->rec);
		fs->rec = r;
		r = NULL;
		saved(fs, next, re.warning); /* may free fs */
		break;
	case RECORD_REFUSED:
		if (re.field >= 0) {
			form_set_error(fs->form, (size_t)re.field, re.err.msg);
			form_focus(fs->form, (size_t)re.field);
			sb_adds(&sb, ui_tr(ui, M_REFUSED));
			field_reason(fs, (size_t)re.field, re.err.msg, &sb);
			ui_say(ui, sb_str(&sb));
		} else {
			ui_tell(ui, ui_tr(ui, M_REFUSED), re.err.msg);
		}
		break;
	case RECORD_CONFLICT:
		/* the form keeps the typing until the user chooses */
		conflict_body(fs, r, re.stored, &sb);
		record_free(fs->theirs);
		fs->theirs = re.stored;
		re.stored = NULL;
		ui_ask(ui, ui_tr(ui, M_CONFLICT), sb_str(&sb), conflict_choices,
		       SGZ_ARRAY_LEN(conflict_choices), on_conflict_answer, fs);
		break;
	case RECORD_GONE:
		ui_ask(ui, ui_tr(ui, M_GONE), ui_tr(ui, M_GONE_ASK), gone_choices,
		       SGZ_ARRAY_LEN(gone_choices), on_gone_answer, fs);
		break;
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		ui_tell(ui, ui_tr(ui, re.err.conn_lost ? M_CONN_LOST : M_ERROR), re.err.msg);
		break;
	}
	record_free(r);
	record_error_free(&re);
	sb_free(&sb);
}

/* ---- keys ---- */

static void move_on(struct form_screen *fs)
{
	struct sgz_err err;
	struct strbuf sb = {0};
	size_t i = form_current(fs->form);

	if (form_move(fs->form, FORM_NEXT, &err) == 0 && err.msg[0]) {
		sb_adds(&sb, ui_tr(fs->ui, M_WARNING));
		field_reason(fs, i, err.msg, &sb);
		ui_say(fs->ui, sb_str(&sb));
	}
	sb_free(&sb);
}

static void on_discard_answer(struct ui *ui, void *ctx, wint_t answer)
{
	(void)ctx;
	if (answer == 'y')
		ui_pop(ui);
}

void form_screen_key(struct form_screen *fs, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct ui *ui = fs->ui;
	struct sgz_err err;

	if (fs->pk.open) {
		picker_key(fs, fn, wc);
		return;
	}
	if (is_esc(fn, wc)) {
		if (form_dirty(fs->form))
			ui_ask(ui, ui_tr(ui, M_BACK), ui_tr(ui, M_DISCARD_ASK), discard,
			       SGZ_ARRAY_LEN(discard), on_discard_answer, fs);
		else
			ui_pop(ui);
	} else if (fn && wc == KEY_F(1)) {
		ui_help(ui);
	} else if ((fn && wc == KEY_F(2)) || (!fn && wc == UI_KEY_CTRL('W'))) {
		save(fs, false);
	} else if ((fn && wc == KEY_F(3)) || (!fn && wc == UI_KEY_CTRL('N'))) {
		save(fs, true);
	} else if ((fn && wc == KEY_F(4)) || (!fn && wc == UI_KEY_CTRL('D'))) {
		if (form_ditto(fs->form) < 0)
			ui_say(ui, ui_tr(ui, M_NO_DITTO));
	} else if ((fn && wc == KEY_F(5)) || (!fn && wc == UI_KEY_CTRL('P'))) {
		open_picker(fs);
	} else if ((fn && (wc == KEY_DOWN || wc == KEY_ENTER)) ||
		   (!fn && (wc == L'\t' || wc == L'\r' || wc == L'\n'))) {
		move_on(fs);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		form_move(fs->form, FORM_PREV, &err);
	} else {
		form_key(fs->form, fn, wc);
	}
}
