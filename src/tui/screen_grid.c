/* screen_grid.c - the hours grid: the hours of many volunteers at one
 * station, date and activity typed as rows (ID number with type-ahead over
 * the station's volunteers, hours, note) and saved all at once in one
 * statement (grid.h). The header (station, date, activity) comes from the
 * activity or hours row the grid was opened from, or is typed. Each field
 * is checked with the import's rules when the cursor leaves it; a refusal
 * of the save names its row and field. Rows pasted from a spreadsheet
 * (bracketed paste, tab-separated) fill rows. Typed rows survive a lost
 * session as a grid draft (draft.h). */
#include "config.h"

#include "sgz/screens.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sgz/draft.h"
#include "sgz/form.h"
#include "sgz/grid.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"

#define VOLUNTEERS_MAX 5000
#define NCOLS	       3

/* Fields of the hours entity (entities.c's order). */
enum { H_VOLUNTEER, H_DATE, H_STATION, H_ACTIVITY, H_HOURS, H_NOTE };

static const int head_field[NCOLS] = {H_STATION, H_DATE, H_ACTIVITY};
static const int row_field[NCOLS] = {H_VOLUNTEER, H_HOURS, H_NOTE};

struct grow {
	struct lineedit *f[NCOLS];
	char *err[NCOLS];
};

struct grid_screen {
	struct ui *ui;
	const struct dict_entity *e;
	struct list_screen *origin;
	struct lineedit *head[NCOLS];
	char *head_err[NCOLS];
	struct grow *rows;
	size_t n, cap;
	long row; /* -1: the header */
	int col;
	size_t top; /* first row shown */
	char **ids, **names, **initials;
	size_t nv;
	char *vstation; /* the station the volunteers are of */
	char *cycle;	/* F5: the text the cycle through matches started from */
	size_t cycle_at;
	bool typed;
	struct strbuf title, hint;
	struct draft *draft;
};

/* clang-format off */
static const struct ui_keyinfo grid_keys[] = {
	{ "Tab, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Enter", NULL, M_NONE, M_DO_ROW_DONE },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SAVE_ALL },
	{ "F4, Ctrl-D", "F4", M_DITTO, M_DO_DITTO_ROW },
	{ "F5, Ctrl-P", "F5", M_PICK, M_DO_PICK_VOLUNTEER },
	{ "Ctrl-X", "^X", M_DEL_ROW, M_DO_DEL_ROW },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Paste", NULL, M_NONE, M_DO_PASTE_ROWS },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

static const int col_width[NCOLS] = {19, 6, 0}; /* the note takes the rest */

/* ---- rows and fields ---- */

static struct lineedit **field(struct grid_screen *gs, long row, int col)
{
	return row < 0 ? &gs->head[col] : &gs->rows[row].f[col];
}

static char **field_err(struct grid_screen *gs, long row, int col)
{
	return row < 0 ? &gs->head_err[col] : &gs->rows[row].err[col];
}

static const struct dict_field *field_df(const struct grid_screen *gs, long row, int col)
{
	return &gs->e->fields[row < 0 ? head_field[col] : row_field[col]];
}

static void set_err(struct grid_screen *gs, long row, int col, const char *msg)
{
	char **err = field_err(gs, row, col);

	free(*err);
	*err = msg ? form_tr_message(msg) : NULL;
}

static char *text(struct grid_screen *gs, long row, int col)
{
	return lineedit_get_utf8(*field(gs, row, col));
}

static void set_text(struct grid_screen *gs, long row, int col, const char *t)
{
	lineedit_set_utf8(*field(gs, row, col), t);
	set_err(gs, row, col, NULL);
}

static size_t add_row(struct grid_screen *gs)
{
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? gs->cap * 2 : 32;
		gs->rows = xreallocarray(gs->rows, gs->cap, sizeof(*gs->rows));
	}
	memset(&gs->rows[gs->n], 0, sizeof(gs->rows[gs->n]));
	for (int c = 0; c < NCOLS; c++) {
		const struct dict_field *df = field_df(gs, 0, c);
		gs->rows[gs->n].f[c] = lineedit_new(col_width[c] ? col_width[c] : 20, df->max_len);
	}
	return gs->n++;
}

static void free_row(struct grow *r)
{
	for (int c = 0; c < NCOLS; c++) {
		lineedit_free(r->f[c]);
		free(r->err[c]);
	}
}

static bool row_empty(const struct grid_screen *gs, size_t r)
{
	for (int c = 0; c < NCOLS; c++)
		if (lineedit_len(gs->rows[r].f[c]))
			return false;
	return true;
}

/* Rows that hold something. */
static size_t rows_typed(const struct grid_screen *gs)
{
	size_t k = 0;

	for (size_t r = 0; r < gs->n; r++)
		k += !row_empty(gs, r);
	return k;
}

/* ---- the station's volunteers ---- */

static int take_volunteer(void *arg, const char *id, const char *name, const char *initials)
{
	struct grid_screen *gs = arg;

	gs->ids = xreallocarray(gs->ids, gs->nv + 1, sizeof(*gs->ids));
	gs->names = xreallocarray(gs->names, gs->nv + 1, sizeof(*gs->names));
	gs->initials = xreallocarray(gs->initials, gs->nv + 1, sizeof(*gs->initials));
	gs->ids[gs->nv] = xstrdup(id);
	gs->names[gs->nv] = xstrdup(name);
	gs->initials[gs->nv] = xstrdup(initials);
	gs->nv++;
	return 0;
}

static void free_volunteers(struct grid_screen *gs)
{
	for (size_t i = 0; i < gs->nv; i++) {
		free(gs->ids[i]);
		free(gs->names[i]);
		free(gs->initials[i]);
	}
	free(gs->ids);
	free(gs->names);
	free(gs->initials);
	gs->ids = gs->names = gs->initials = NULL;
	gs->nv = 0;
}

/* Fetched once per station: type-ahead then costs no round trip. */
static void load_volunteers(struct grid_screen *gs, const char *station)
{
	struct sgz_err err;

	if (gs->vstation && strcmp(gs->vstation, station) == 0)
		return;
	free_volunteers(gs);
	free(gs->vstation);
	gs->vstation = xstrdup(station);
	sgz_err_clear(&err);
	if (grid_volunteers(ui_db(gs->ui), station, VOLUNTEERS_MAX, take_volunteer, gs, &err) < 0)
		ui_say_error(gs->ui, &err);
}

/* Does volunteer v match t: an ID prefix (x or X alike), part of the name,
 * or the start of the name's pinyin initials ("zm" for 张敏)? */
static bool matches(const struct grid_screen *gs, size_t v, const char *t)
{
	size_t len = strlen(t);

	return strncasecmp(gs->ids[v], t, len) == 0 || (*t && strstr(gs->names[v], t)) ||
	       (*t && strncasecmp(gs->initials[v], t, len) == 0);
}

static size_t count_matches(const struct grid_screen *gs, const char *t, size_t *first)
{
	size_t k = 0;

	for (size_t v = 0; v < gs->nv; v++) {
		if (!matches(gs, v, t))
			continue;
		if (!k++ && first)
			*first = v;
	}
	return k;
}

static const char *name_of(const struct grid_screen *gs, const char *id)
{
	for (size_t v = 0; v < gs->nv; v++)
		if (strcmp(gs->ids[v], id) == 0)
			return gs->names[v];
	return NULL;
}

/* ---- validation on leaving a field ---- */

/* Checks field (row, col) with the dictionary's parsing; an ID prefix or a
 * name matching one volunteer of the station becomes the ID. 0, or -1 with
 * the field's error set. */
static int check_field(struct grid_screen *gs, long row, int col)
{
	const struct dict_field *df = field_df(gs, row, col);
	char *t = text(gs, row, col), *typed = text(gs, row, col);
	struct strbuf canon = {0}, msg = {0};
	struct sgz_err err;
	int rc = 0;

	sgz_err_clear(&err);
	if (row >= 0 && row_empty(gs, (size_t)row))
		goto out; /* an empty row is no row */
	if (row >= 0 && col == 0 && *t && strlen(t) < 18) {
		size_t first = 0, k = count_matches(gs, t, &first);
		if (k == 1) {
			free(t);
			t = xstrdup(gs->ids[first]);
		} else {
			if (k == 0)
				/* TRANSLATORS: the grid's ID field: what was typed, the station. */
				sb_addf(&msg, _("no volunteer of station %s matches %s"),
					gs->vstation ? gs->vstation : "", t);
			else
				/* TRANSLATORS: the grid's ID field: several volunteers match. */
				sb_addf(&msg, _("%zu volunteers match %s: type more, or F5"), k,
					t);
			set_err(gs, row, col, NULL);
			*field_err(gs, row, col) = sb_detach(&msg);
			rc = -1;
			goto out;
		}
	}
	if (dict_parse_value(df, t, &canon, &err) < 0) {
		set_err(gs, row, col, err.msg);
		rc = -1;
		goto out;
	}
	if (strcmp(typed, sb_str(&canon)) != 0)
		lineedit_set_utf8(*field(gs, row, col), sb_str(&canon));
	if (row >= 0 && col == 0 && canon.len) {
		/* one row per volunteer: said now, not only when saving */
		for (size_t r = 0; r < gs->n; r++) {
			char *other;
			if ((long)r == row)
				continue;
			other = text(gs, (long)r, 0);
			bool same = strcmp(other, sb_str(&canon)) == 0;
			free(other);
			if (same) {
				set_err(gs, row, col, NULL);
				/* TRANSLATORS: the grid's ID field: a volunteer typed twice. */
				*field_err(gs, row, col) = xasprintf(
				    _("the same volunteer as row %zu: each row needs its own"), r + 1);
				rc = -1;
				goto out;
			}
		}
	}
	set_err(gs, row, col, NULL);
	if (row < 0 && col == 0 && canon.len)
		load_volunteers(gs, sb_str(&canon));
out:
	sb_free(&canon);
	sb_free(&msg);
	free(t);
	free(typed);
	return rc;
}

/* ---- the screen ---- */

static void set_title(struct grid_screen *gs)
{
	sb_reset(&gs->title);
	/* TRANSLATORS: the hours grid's title: the entity and the rows typed. */
	sb_addf(&gs->title, _("%s - grid, %zu rows"), ui_entity_label(gs->ui, gs->e),
		rows_typed(gs));
}

struct grid_screen *grid_screen_new(struct ui *ui, const char *station, const char *date,
				    const char *activity, struct list_screen *origin)
{
	struct grid_screen *gs = xcalloc(1, sizeof(*gs));
	const char *given[NCOLS] = {station, date, activity};

	gs->ui = ui;
	gs->e = dict_find("hours");
	gs->origin = origin;
	for (int c = 0; c < NCOLS; c++) {
		gs->head[c] = lineedit_new(c == 0 ? 13 : c == 1 ? 11 : 24,
					   field_df(gs, -1, c)->max_len);
		lineedit_set_utf8(gs->head[c], given[c]);
	}
	add_row(gs);
	gs->row = station && *station && date && *date ? 0 : -1;
	if (station && *station)
		load_volunteers(gs, station);
	set_title(gs);
	return gs;
}

void grid_screen_free(struct grid_screen *gs)
{
	if (!gs)
		return;
	for (int c = 0; c < NCOLS; c++) {
		lineedit_free(gs->head[c]);
		free(gs->head_err[c]);
	}
	for (size_t r = 0; r < gs->n; r++)
		free_row(&gs->rows[r]);
	free(gs->rows);
	free_volunteers(gs);
	free(gs->vstation);
	free(gs->cycle);
	draft_free(gs->draft);
	sb_free(&gs->title);
	sb_free(&gs->hint);
	free(gs);
}

const char *grid_screen_title(const struct grid_screen *gs)
{
	return sb_str(&gs->title);
}

const struct ui_keyinfo *grid_screen_keys(const struct grid_screen *gs, size_t *n)
{
	(void)gs;
	*n = SGZ_ARRAY_LEN(grid_keys);
	return grid_keys;
}

/* The line under the grid: the current field's refusal, or its name. */
static const char *hint(struct grid_screen *gs)
{
	const char *err = *field_err(gs, gs->row, gs->col);

	sb_reset(&gs->hint);
	if (gs->row >= 0)
		/* TRANSLATORS: the grid's hint line begins with the row number. */
		sb_addf(&gs->hint, _("Row %ld, "), gs->row + 1);
	sb_adds(&gs->hint, ui_field_label(gs->ui, field_df(gs, gs->row, gs->col)));
	if (err)
		sb_addf(&gs->hint, ": %s", err);
	else if (gs->row >= 0 && gs->col == 0)
		sb_addf(&gs->hint, ": %s", _("ID prefix or name, Tab completes"));
	else if (gs->row < 0 && gs->col == 1)
		sb_addf(&gs->hint, ": %s", ui_tr(gs->ui, M_HINT_DATE));
	return sb_str(&gs->hint);
}

static void draw_field(struct grid_screen *gs, long row, int col, int y, int x, int w)
{
	struct lineedit *le = *field(gs, row, col);
	bool focus = row == gs->row && col == gs->col;

	if (lineedit_width(le) != w)
		lineedit_set_width(le, w);
	lineedit_draw(stdscr, y, x, le, A_NORMAL, L'_', focus);
	if (focus)
		ui_cursor(gs->ui, y, x + lineedit_cursor_col(le));
}

void grid_screen_draw(struct grid_screen *gs, int top, int height)
{
	const char *why = hint(gs);
	/* a long hint takes two rows, the grid's last row giving way */
	int hint_lines = ui_lines(why, COLS - 2) > 1 ? 2 : 1;
	int x = 1, y = top + 1, body = height - 3 - hint_lines;
	int note_w = COLS - 43;

	ui_put(top, 1, COLS - 2, sb_str(&gs->title), A_BOLD, false);
	for (int c = 0; c < NCOLS; c++) {
		int w = c == 2 ? COLS - 2 - x - ui_width(ui_field_label(gs->ui, field_df(gs, -1, c))) - 2
			       : lineedit_width(gs->head[c]);
		if (gs->head_err[c])
			mvwaddch(stdscr, y, x - 1, '!');
		x += ui_put(y, x, COLS - x, ui_field_label(gs->ui, field_df(gs, -1, c)), A_NORMAL,
			    false) + 1;
		draw_field(gs, -1, c, y, x, w);
		x += w + 2;
	}
	/* column heads */
	y++;
	ui_put(y, 5, 19, ui_field_label(gs->ui, field_df(gs, 0, 0)), A_BOLD, false);
	ui_put(y, 35, 7, ui_field_label(gs->ui, field_df(gs, 0, 1)), A_BOLD, false);
	ui_put(y, 42, note_w, ui_field_label(gs->ui, field_df(gs, 0, 2)), A_BOLD, false);
	if (body < 1)
		body = 1;
	if (gs->row >= 0 && (size_t)gs->row < gs->top)
		gs->top = (size_t)gs->row;
	if (gs->row >= 0 && (size_t)gs->row >= gs->top + (size_t)body)
		gs->top = (size_t)gs->row - (size_t)body + 1;
	for (int i = 0; i < body && gs->top + (size_t)i < gs->n; i++) {
		size_t r = gs->top + (size_t)i;
		char num[32];
		char *id = text(gs, (long)r, 0);
		const char *name = name_of(gs, id);
		bool bad = false;
		y = top + 3 + i;
		for (int c = 0; c < NCOLS; c++)
			bad = bad || gs->rows[r].err[c];
		snprintf(num, sizeof(num), "%c%3zu", bad ? '!' : (long)r == gs->row ? '>' : ' ',
			 r + 1);
		ui_put(y, 0, 4, num, A_NORMAL, false);
		draw_field(gs, (long)r, 0, y, 5, 19);
		if (name)
			ui_put(y, 25, 9, name, A_NORMAL, false);
		draw_field(gs, (long)r, 1, y, 35, 6);
		draw_field(gs, (long)r, 2, y, 42, note_w);
		free(id);
	}
	ui_put_lines(top + height - 1, 1, COLS - 2, hint_lines, why, A_NORMAL);
}

/* ---- drafts ---- */

static void fill_draft(struct grid_screen *gs)
{
	static const char *const head_names[NCOLS] = {"grid:station", "grid:date", "grid:activity"};
	struct strbuf title = {0}, col = {0};
	char *t[NCOLS];

	for (int c = 0; c < NCOLS; c++)
		t[c] = text(gs, -1, c);
	sb_addf(&title, "%s %s %s", t[0], t[1], t[2]);
	if (!gs->draft) {
		gs->draft = draft_new(gs->e->name, NULL, 0, sb_str(&title));
	} else {
		free(gs->draft->title);
		gs->draft->title = xstrdup(sb_str(&title));
	}
	for (int c = 0; c < NCOLS; c++)
		free(t[c]);
	/* the rows afresh: deleted ones must not come back */
	for (size_t i = 0; i < gs->draft->n; i++) {
		free(gs->draft->columns[i]);
		free(gs->draft->texts[i]);
	}
	gs->draft->n = 0;
	for (int c = 0; c < NCOLS; c++) {
		char *v = text(gs, -1, c);
		draft_set(gs->draft, head_names[c], v);
		free(v);
	}
	size_t k = 0;
	for (size_t r = 0; r < gs->n; r++) {
		if (row_empty(gs, r))
			continue;
		for (int c = 0; c < NCOLS; c++) {
			char *v = text(gs, (long)r, c);
			sb_reset(&col);
			sb_addf(&col, "%zu:%s", k, field_df(gs, 0, c)->column);
			draft_set(gs->draft, sb_str(&col), v);
			free(v);
		}
		k++;
	}
	sb_reset(&col);
	sb_addf(&col, "%zu", k);
	draft_set(gs->draft, "grid:rows", sb_str(&col));
	sb_free(&col);
	sb_free(&title);
}

static void drop_draft(struct grid_screen *gs)
{
	draft_remove(gs->draft);
	draft_free(gs->draft);
	gs->draft = NULL;
}

bool grid_screen_keep(struct grid_screen *gs, struct sgz_err *err)
{
	char *dir;
	int rc;

	if (!gs->typed || rows_typed(gs) == 0) {
		drop_draft(gs);
		return false;
	}
	fill_draft(gs);
	dir = draft_dir();
	rc = draft_write(gs->draft, dir, err);
	free(dir);
	return rc == 0;
}

struct grid_screen *grid_screen_from_draft(struct ui *ui, struct draft *d)
{
	struct grid_screen *gs;
	const char *rows = draft_get(d, "grid:rows");
	size_t n = rows ? (size_t)strtoul(rows, NULL, 10) : 0;
	struct strbuf col = {0};

	gs = grid_screen_new(ui, draft_get(d, "grid:station"), draft_get(d, "grid:date"),
			     draft_get(d, "grid:activity"), NULL);
	for (size_t k = 0; k < n && k < 100000; k++) {
		size_t r = k == 0 ? 0 : add_row(gs);
		for (int c = 0; c < NCOLS; c++) {
			sb_reset(&col);
			sb_addf(&col, "%zu:%s", k, field_df(gs, 0, c)->column);
			lineedit_set_utf8(gs->rows[r].f[c], draft_get(d, sb_str(&col)));
		}
	}
	sb_free(&col);
	if (n)
		add_row(gs);
	gs->typed = n > 0;
	gs->draft = d;
	set_title(gs);
	return gs;
}

/* ---- saving ---- */

static void focus(struct grid_screen *gs, long row, int col)
{
	gs->row = row;
	gs->col = col;
	free(gs->cycle);
	gs->cycle = NULL;
}

/* Says "Not saved: row 3, Hours: reason" with the field marked. */
static void refuse(struct grid_screen *gs, long row, int col, const char *why)
{
	struct strbuf sb = {0};

	if (row < 0)
		/* TRANSLATORS: a refused save of the grid: the field and the reason. */
		sb_addf(&sb, _("Not saved: %s: %s"), ui_field_label(gs->ui, field_df(gs, row, col)),
			why);
	else
		/* TRANSLATORS: a refused save of the grid: row, field and the reason. */
		sb_addf(&sb, _("Not saved: row %ld, %s: %s"), row + 1,
			ui_field_label(gs->ui, field_df(gs, row, col)), why);
	ui_say(gs->ui, sb_str(&sb));
	sb_free(&sb);
	focus(gs, row, col);
}

static void save(struct grid_screen *gs)
{
	struct ui *ui = gs->ui;
	struct grid_row *rows;
	char *head[NCOLS];
	char **texts;
	size_t k = 0, *at;
	struct grid_result res;
	struct sgz_err err;
	struct strbuf sb = {0};

	for (long r = -1; r < (long)gs->n; r++)
		for (int c = 0; c < NCOLS; c++)
			if (check_field(gs, r, c) < 0) {
				refuse(gs, r, c, *field_err(gs, r, c));
				return;
			}
	if (rows_typed(gs) == 0) {
		ui_say(ui, ui_tr(ui, M_NOTHING_CHANGED));
		return;
	}
	rows = xcalloc(gs->n, sizeof(*rows));
	texts = xcalloc(gs->n * NCOLS, sizeof(*texts));
	at = xcalloc(gs->n, sizeof(*at));
	for (size_t r = 0; r < gs->n; r++) {
		if (row_empty(gs, r))
			continue;
		for (int c = 0; c < NCOLS; c++)
			texts[k * NCOLS + (size_t)c] = text(gs, (long)r, c);
		rows[k].volunteer = texts[k * NCOLS];
		rows[k].hours = texts[k * NCOLS + 1];
		rows[k].note = texts[k * NCOLS + 2];
		at[k++] = r;
	}
	for (int c = 0; c < NCOLS; c++)
		head[c] = text(gs, -1, c);
	sgz_err_clear(&err);
	/* A successful save pops (frees) gs: what the cleanup needs is read now. */
	size_t ntexts = gs->n * NCOLS;
	switch (grid_save(ui_db(ui), head[0], head[1], head[2], rows, k, &res, &err)) {
	case GRID_OK:
		drop_draft(gs);
		if (gs->origin)
			list_screen_changed(gs->origin, NULL);
		/* TRANSLATORS: the grid saved. */
		sb_addf(&sb, ngettext("%zu row saved.", "%zu rows saved.", k), k);
		if (res.warning[0]) {
			char *why = form_tr_message(res.warning);
			sb_addf(&sb, "  %s", why);
			free(why);
		}
		ui_say(ui, sb_str(&sb));
		ui_pop(ui); /* frees gs */
		break;
	case GRID_REFUSED: {
		long row = res.row >= 0 && (size_t)res.row < k ? (long)at[res.row] : 0;
		int col = strcmp(res.column, "hours") == 0  ? 1
			  : strcmp(res.column, "note") == 0 ? 2
							    : 0;
		long hrow = -1;
		int hcol = strcmp(res.column, "station") == 0	   ? 0
			   : strcmp(res.column, "service_date") == 0 ? 1
			   : strcmp(res.column, "activity") == 0     ? 2
								     : -1;
		char *why;
		if (res.dup_of >= 0 && (size_t)res.dup_of < k)
			/* TRANSLATORS: a save of the grid refused: a volunteer typed twice. */
			why = xasprintf(_("the same volunteer as row %zu: each row needs its own"),
					at[res.dup_of] + 1);
		else
			why = form_tr_message(err.msg);
		if (hcol >= 0 && res.row < 0)
			row = hrow, col = hcol;
		else if (hcol >= 0)
			col = 0; /* the row's date or station: the row is named by its volunteer */
		set_err(gs, row, col, NULL);
		*field_err(gs, row, col) = xstrdup(why);
		refuse(gs, row, col, why);
		free(why);
		break;
	}
	case GRID_FAILED:
		ui_tell_error(ui, &err);
		break;
	}
	for (int c = 0; c < NCOLS; c++)
		free(head[c]);
	for (size_t i = 0; i < ntexts; i++)
		free(texts[i]);
	free(texts);
	free(rows);
	free(at);
	sb_free(&sb);
}

/* ---- keys ---- */

/* Leaves the current field for (row, col) if it passes its check. */
static void go(struct grid_screen *gs, long row, int col)
{
	if (check_field(gs, gs->row, gs->col) < 0)
		return;
	if (row >= (long)gs->n)
		add_row(gs);
	focus(gs, row, col);
}

static void next_field(struct grid_screen *gs)
{
	if (gs->col < NCOLS - 1)
		go(gs, gs->row, gs->col + 1);
	else
		go(gs, gs->row + 1, 0);
}

/* Enter: the row is done when the rest of it is empty (the note is
 * optional), so one ID and its hours cost two keys more than their
 * characters (spec/bench.md). */
static void row_done(struct grid_screen *gs)
{
	bool rest_empty = gs->row >= 0 && gs->col > 0;

	for (int c = gs->col + 1; rest_empty && c < NCOLS; c++)
		if (lineedit_len(gs->rows[gs->row].f[c]))
			rest_empty = false;
	if (rest_empty)
		go(gs, gs->row + 1, 0);
	else
		next_field(gs);
}

static void prev_field(struct grid_screen *gs)
{
	if (gs->col > 0)
		go(gs, gs->row, gs->col - 1);
	else if (gs->row >= 0)
		go(gs, gs->row - 1, gs->row == 0 ? 0 : NCOLS - 1);
}

static void ditto(struct grid_screen *gs)
{
	char *t;

	if (gs->row < 1) {
		ui_say(gs->ui, ui_tr(gs->ui, M_NO_DITTO));
		return;
	}
	t = text(gs, gs->row - 1, gs->col);
	set_text(gs, gs->row, gs->col, t);
	gs->typed = true;
	free(t);
}

static void delete_row(struct grid_screen *gs)
{
	if (gs->row < 0)
		return;
	free_row(&gs->rows[gs->row]);
	memmove(&gs->rows[gs->row], &gs->rows[gs->row + 1],
		(gs->n - (size_t)gs->row - 1) * sizeof(*gs->rows));
	gs->n--;
	if (gs->n == 0)
		add_row(gs);
	if (gs->row >= (long)gs->n)
		gs->row = (long)gs->n - 1;
	focus(gs, gs->row, 0);
	gs->typed = true;
}

/* F5 in the ID field: the next volunteer matching what was typed. */
static void pick(struct grid_screen *gs)
{
	size_t k;

	if (gs->row < 0 || gs->col != 0) {
		ui_say(gs->ui, ui_tr(gs->ui, M_NO_PICK));
		return;
	}
	if (!gs->cycle) {
		gs->cycle = text(gs, gs->row, 0);
		gs->cycle_at = 0;
	}
	k = count_matches(gs, gs->cycle, NULL);
	if (k == 0) {
		ui_say(gs->ui, ui_tr(gs->ui, M_PICK_NONE));
		return;
	}
	for (size_t v = 0, i = 0; v < gs->nv; v++) {
		if (!matches(gs, v, gs->cycle))
			continue;
		if (i++ == gs->cycle_at % k) {
			lineedit_set_utf8(gs->rows[gs->row].f[0], gs->ids[v]);
			set_err(gs, gs->row, 0, NULL);
			break;
		}
	}
	gs->cycle_at++;
	gs->typed = true;
}

static void on_discard_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct grid_screen *gs = ctx;

	if (answer != 'y')
		return;
	drop_draft(gs);
	ui_pop(ui);
}

void grid_screen_key(struct grid_screen *gs, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct ui *ui = gs->ui;

	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		if (gs->typed && rows_typed(gs)) {
			ui_ask(ui, ui_tr(ui, M_BACK), ui_tr(ui, M_DISCARD_ASK), discard,
			       SGZ_ARRAY_LEN(discard), on_discard_answer, gs);
		} else {
			drop_draft(gs);
			ui_pop(ui);
		}
		return;
	}
	if (fn && wc == KEY_F(1)) {
		ui_help(ui);
	} else if ((fn && wc == KEY_F(2)) || (!fn && wc == UI_KEY_CTRL('W'))) {
		save(gs);
		return; /* gs may be freed */
	} else if ((fn && wc == KEY_F(4)) || (!fn && wc == UI_KEY_CTRL('D'))) {
		ditto(gs);
	} else if ((fn && wc == KEY_F(5)) || (!fn && wc == UI_KEY_CTRL('P'))) {
		pick(gs);
		return; /* keeps the cycle */
	} else if (!fn && wc == UI_KEY_CTRL('X')) {
		delete_row(gs);
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		row_done(gs);
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'\t')) {
		next_field(gs);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		prev_field(gs);
	} else if (lineedit_key(*field(gs, gs->row, gs->col), fn, wc) == LINEEDIT_KEY_DONE) {
		set_err(gs, gs->row, gs->col, NULL);
		gs->typed = true;
	}
	free(gs->cycle);
	gs->cycle = NULL;
	set_title(gs);
}

/* ---- paste ---- */

static char *utf8_of(const wchar_t *s, size_t n)
{
	struct strbuf sb = {0};
	char buf[MB_LEN_MAX];
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n; i++) {
		size_t k = wcrtomb(buf, s[i], &st);
		if (k != (size_t)-1)
			sb_addn(&sb, buf, k);
	}
	return sb_detach(&sb);
}

void grid_screen_paste(struct grid_screen *gs, const wchar_t *s, size_t n)
{
	char *all, *p;
	size_t r, pasted = 0;
	struct strbuf sb = {0};
	bool rows = gs->row >= 0 && (wmemchr(s, L'\t', n) || wmemchr(s, L'\n', n) ||
				     wmemchr(s, L'\r', n));

	if (!rows) {
		if (lineedit_paste(*field(gs, gs->row, gs->col), s, n) == 0 || n)
			gs->typed = true;
		set_err(gs, gs->row, gs->col, NULL);
		set_title(gs);
		return;
	}
	all = utf8_of(s, n);
	/* from the current row if it is empty, else after the last typed one */
	r = (size_t)gs->row;
	if (!row_empty(gs, r)) {
		r = gs->n;
		while (r > 0 && row_empty(gs, r - 1))
			r--;
	}
	for (p = all; *p;) {
		size_t len = strcspn(p, "\r\n");
		char *line = xstrndup(p, len), *cell = line;
		p += len;
		p += strspn(p, "\r\n");
		if (!*line) {
			free(line);
			continue;
		}
		if (r >= gs->n)
			add_row(gs);
		for (int c = 0; c < NCOLS; c++) {
			size_t cl = strcspn(cell, "\t");
			char save = cell[cl];
			cell[cl] = '\0';
			set_text(gs, (long)r, c, cell);
			cell[cl] = save;
			cell += cl + (save ? 1 : 0);
		}
		for (int c = 0; c < NCOLS; c++)
			check_field(gs, (long)r, c);
		free(line);
		r++;
		pasted++;
	}
	free(all);
	if (r >= gs->n)
		add_row(gs);
	focus(gs, (long)r, 0);
	gs->typed = true;
	/* TRANSLATORS: rows pasted into the grid. */
	sb_addf(&sb, ngettext("%zu row pasted.", "%zu rows pasted.", pasted), pasted);
	ui_say(gs->ui, sb_str(&sb));
	sb_free(&sb);
	set_title(gs);
}
