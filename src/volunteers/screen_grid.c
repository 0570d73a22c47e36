/* screen_grid.c - the hours grid: the hours of many volunteers at one
 * station, date and activity typed as rows (ID number with type-ahead over
 * the station's volunteers, hours, note) and saved all at once in one
 * statement (grid.h). The header (station, date, activity) comes from the
 * activity or hours row the grid was opened from, or is typed. Once it is
 * known, the hours already stored for that activity are loaded as rows of
 * their own: changed in place (the stored hours shown beside the new ones
 * and on the hint line until the save), deleted with Ctrl-X after a
 * question (marked x), and saved with their row_version, so that someone
 * else's change since the grid opened is a conflict the grid shows again,
 * never a silent overwrite. A volunteer typed in a new row who has a
 * stored row is that row: the cursor moves to its hours; typed twice, or
 * with hours of her own in the new row, she is refused naming the row. The
 * foot counts the people and hours once saved and those stored now. Each field is checked with the
 * import's rules when the cursor leaves it; a refusal of the save names
 * its row and field. A volunteer is his pid, shown as lists show him:
 * the masked number (sgz.volunteer_v, sgz.hours_v) and the name; an admin
 * sees the full number, each one filed in the audit trail by
 * sgz.person_reveal(). The station's volunteers are fetched once, so
 * finding one by name, pinyin initials or the digits the mask shows (the
 * first four, the last four) costs no round trip; a longer prefix of the
 * number is found in the user's scope, and a number typed in full looked
 * up (grid.h), each once when the field is left; several found are shown
 * under the field, and F5 goes through them: none is picked silently.
 * What the user types shows as typed until the field is left. Rows pasted
 * from a spreadsheet (bracketed paste, tab-separated) fill rows, their
 * numbers looked up at once. Typed rows survive a lost session as a grid
 * draft (draft.h), which holds the numbers as the screen showed them. */
#include "config.h"

#include "sgz/volunteers.h"

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
#include "sgz/log.h"
#include "sgz/record.h"
#include "sgz/screens.h"
#include "sgz/validate.h"

#define VOLUNTEERS_MAX 5000
#define FIND_MAX       50 /* volunteers found by a prefix of the number */
#define NCOLS	       3

/* Fields of the hours entity (entities.c's order). */
enum { H_VOLUNTEER, H_DATE, H_STATION, H_ACTIVITY, H_HOURS, H_NOTE };

static const int head_field[NCOLS] = {H_STATION, H_DATE, H_ACTIVITY};
static const int row_field[NCOLS] = {H_VOLUNTEER, H_HOURS, H_NOTE};

/* A volunteer as the grid knows him. */
struct vol {
	char *pid;
	char *masked; /* his number as lists show it */
	char *name;
	char *initials;
	char *full; /* his full number: typed by the user, or revealed to an admin; else NULL */
};

struct grow {
	struct lineedit *f[NCOLS];
	char *err[NCOLS];
	/* The volunteer once known (completed, picked, looked up, stored):
	 * f[0] then shows him as lists do (shown()). pid NULL while typed. */
	struct vol v;
	char *unknown;		    /* a full number typed that the look-up did not find */
	char *version;		    /* a stored row: its row_version as loaded; NULL: new */
	char *was_hours, *was_note; /* a stored row: as loaded, canonical */
	bool drop;		    /* a stored row deleted at the save (asked) */
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
	size_t top;	  /* first row shown */
	size_t page;	  /* rows shown (the last draw's) */
	struct vol *vols; /* the station's volunteers */
	size_t nv;
	char *vstation;	      /* the station the volunteers are of */
	char *vname;	      /* its name, shown beside its code in the header */
	bool admin;	      /* the session sees full ID numbers (sgz.current_kind()) */
	struct vol *revealed; /* admin: the full numbers whose reveal is on file */
	size_t nrevealed;
	/* The volunteers matching what row match_row's ID field held
	 * (match_text), when several did or F5 goes through them: shown under
	 * the field. more: there may be others. */
	struct vol *matches;
	size_t nmatches;
	bool more;
	long match_row;
	char *match_text;
	char *loaded; /* the header the stored rows are of, or NULL */
	char *cycle;  /* F5: the text the cycle through matches started from */
	size_t cycle_at;
	bool typed;
	/* the cell the last editing key went to: the first character typed
	 * into another cell replaces its text, as in a spreadsheet, so that 2
	 * typed over a stored 1 is 2, never 12 */
	long edit_row;
	int edit_col;
	struct strbuf title, hint, foot;
	struct draft *draft;
};

/* clang-format off */
static const struct ui_keyinfo grid_keys[] = {
	{ "Tab, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Enter", NULL, M_NONE, M_DO_ROW_DONE },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "PgDn, PgUp", NULL, M_NONE, M_DO_PAGE_ROWS },
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

/* The widths of the ID, name, hours and stored hours columns; the note
 * takes the rest. */
#define ID_W	19
#define NAME_W	9
#define HOURS_W 6
#define WAS_W	8

/* The texts of a row sent to grid_save(): number, hours, note, shown. */
#define TEXTS 4

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

/* ---- volunteers ---- */

static void vol_free(struct vol *v)
{
	free(v->pid);
	free(v->masked);
	free(v->name);
	free(v->initials);
	free(v->full);
	memset(v, 0, sizeof(*v));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void vol_copy(struct vol *to, const struct vol *from)
{
	to->pid = dup_or_null(from->pid);
	to->masked = dup_or_null(from->masked);
	to->name = dup_or_null(from->name);
	to->initials = dup_or_null(from->initials);
	to->full = dup_or_null(from->full);
}

/* Appends a copy of the volunteer of the model to *all. */
static void vol_add(struct vol **all, size_t *n, const struct grid_volunteer *gv)
{
	struct vol v = {
	    .pid = (char *)gv->pid,
	    .masked = (char *)gv->masked,
	    .name = (char *)gv->name,
	    .initials = (char *)gv->initials,
	    .full = (char *)gv->full,
	};

	*all = xreallocarray(*all, *n + 1, sizeof(**all));
	vol_copy(&(*all)[(*n)++], &v);
}

static void vols_free(struct vol **all, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		vol_free(&(*all)[i]);
	free(*all);
	*all = NULL;
	*n = 0;
}

static void clear_matches(struct grid_screen *gs)
{
	vols_free(&gs->matches, &gs->nmatches);
	free(gs->match_text);
	gs->match_text = NULL;
	gs->match_row = -1;
	gs->more = false;
}

/* A volunteer's pid as a key, which no text typed equals. Caller frees. */
static char *pid_key(const char *pid)
{
	return xasprintf("\x1f%s", pid);
}

/* The volunteer of row r as a key: his pid's, or the text typed. Caller
 * frees. */
static char *row_key(struct grid_screen *gs, size_t r)
{
	return gs->rows[r].v.pid ? pid_key(gs->rows[r].v.pid) : text(gs, (long)r, 0);
}

static bool stored(const struct grid_screen *gs, size_t r)
{
	return gs->rows[r].version != NULL;
}

static void set_text(struct grid_screen *gs, long row, int col, const char *t)
{
	lineedit_set_utf8(*field(gs, row, col), t);
	set_err(gs, row, col, NULL);
	if (row >= 0 && col == 0) {
		vol_free(&gs->rows[row].v);
		free(gs->rows[row].unknown);
		gs->rows[row].unknown = NULL;
		if (row == gs->match_row)
			clear_matches(gs);
	}
}

/* Row r as a new empty row at index at (at most gs->n). */
static size_t insert_row(struct grid_screen *gs, size_t at)
{
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? gs->cap * 2 : 32;
		gs->rows = xreallocarray(gs->rows, gs->cap, sizeof(*gs->rows));
	}
	memmove(&gs->rows[at + 1], &gs->rows[at], (gs->n - at) * sizeof(*gs->rows));
	memset(&gs->rows[at], 0, sizeof(gs->rows[at]));
	for (int c = 0; c < NCOLS; c++) {
		const struct dict_field *df = field_df(gs, 0, c);
		gs->rows[at].f[c] = lineedit_new(c == 0	  ? ID_W
						 : c == 1 ? HOURS_W
							  : 20,
						 df->max_len);
	}
	gs->n++;
	return at;
}

static size_t add_row(struct grid_screen *gs)
{
	return insert_row(gs, gs->n);
}

static void free_row(struct grow *r)
{
	for (int c = 0; c < NCOLS; c++) {
		lineedit_free(r->f[c]);
		free(r->err[c]);
	}
	vol_free(&r->v);
	free(r->unknown);
	free(r->version);
	free(r->was_hours);
	free(r->was_note);
}

static void remove_row(struct grid_screen *gs, size_t r)
{
	free_row(&gs->rows[r]);
	memmove(&gs->rows[r], &gs->rows[r + 1], (gs->n - r - 1) * sizeof(*gs->rows));
	gs->n--;
}

/* A stored row becomes a new one (its stored row went, or the grid moved
 * to another activity): what it holds is saved as typed. */
static void make_new(struct grow *r)
{
	free(r->version);
	free(r->was_hours);
	free(r->was_note);
	r->version = r->was_hours = r->was_note = NULL;
	r->drop = false;
}

static bool row_empty(const struct grid_screen *gs, size_t r)
{
	if (gs->rows[r].v.pid)
		return false;
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

/* The canonical text of row r's column c (hours, note), or NULL when it
 * does not parse or is empty. Caller frees. */
static char *canonical(struct grid_screen *gs, size_t r, int c)
{
	struct strbuf out = {0};
	struct sgz_err err;
	char *t = text(gs, (long)r, c), *v = NULL;

	sgz_err_clear(&err);
	if (dict_parse_value(field_df(gs, 0, c), t, &out, &err) == 0 && out.len)
		v = sb_detach(&out);
	sb_free(&out);
	free(t);
	return v;
}

static bool same(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && strcmp(a, b) == 0);
}

/* Has the user changed stored row r (its hours or note)? */
static bool row_changed(struct grid_screen *gs, size_t r)
{
	char *h, *n;
	bool changed;

	if (!stored(gs, r))
		return false;
	h = canonical(gs, r, 1);
	n = canonical(gs, r, 2);
	changed = !same(h, gs->rows[r].was_hours) || !same(n, gs->rows[r].was_note);
	free(h);
	free(n);
	return changed;
}

/* Has the user changed the hours (col 1) or the note (col 2) of stored
 * row r? */
static bool col_changed(struct grid_screen *gs, size_t r, int c)
{
	char *v;
	bool changed;

	if (!stored(gs, r) || gs->rows[r].drop)
		return false;
	v = canonical(gs, r, c);
	changed = !same(v, c == 1 ? gs->rows[r].was_hours : gs->rows[r].was_note);
	free(v);
	return changed;
}

static bool note_changed(struct grid_screen *gs, size_t r)
{
	return col_changed(gs, r, 2);
}

/* Is there anything the save would write? */
static bool unsaved(struct grid_screen *gs)
{
	for (size_t r = 0; r < gs->n; r++) {
		if (stored(gs, r) ? gs->rows[r].drop || row_changed(gs, r) : !row_empty(gs, r))
			return true;
	}
	return false;
}

/* ---- ID numbers as the screen shows them ---- */

/* The full number of pid whose reveal is on file, or NULL. Borrowed. */
static const char *revealed(const struct grid_screen *gs, const char *pid)
{
	for (size_t i = 0; pid && i < gs->nrevealed; i++)
		if (strcmp(gs->revealed[i].pid, pid) == 0)
			return gs->revealed[i].full;
	return NULL;
}

/* An admin is shown v's full number from now on: v->full is on file (typed
 * by the user, or revealed and filed). */
static void add_revealed(struct grid_screen *gs, const struct vol *v)
{
	struct grid_volunteer gv = {.pid = v->pid, .masked = v->masked, .full = v->full};

	if (!v->pid || !v->full || revealed(gs, v->pid))
		return;
	vol_add(&gs->revealed, &gs->nrevealed, &gv);
}

/* An admin's v with its full number: on file already, or revealed now
 * (sgz.person_reveal(): filed in the audit trail, spec/rules.md: every
 * reveal is audited). False when it could not be filed: then v stays
 * masked. */
static bool reveal(struct grid_screen *gs, struct vol *v)
{
	struct sgz_err err;
	const char *known;

	if (!gs->admin || !v->pid)
		return false;
	if (v->full)
		return true;
	if ((known = revealed(gs, v->pid))) {
		v->full = xstrdup(known);
		return true;
	}
	sgz_err_clear(&err);
	v->full = grid_reveal(ui_db(gs->ui), v->pid, &err);
	if (!v->full) {
		ui_say_error(gs->ui, &err);
		return false;
	}
	add_revealed(gs, v);
	return true;
}

/* v as this screen shows it: in full to an admin who typed the number or
 * whose reveal is on file, else masked as the lists mask it. Borrowed. */
static const char *shown(const struct grid_screen *gs, const struct vol *v)
{
	return gs->admin && v->full ? v->full : v->masked ? v->masked : "";
}

/* Row r stands for volunteer v from now on; typed: the user typed the
 * whole number (v->full: no reveal, and never kept for a session that
 * does not see numbers). */
static void set_vol(struct grid_screen *gs, size_t r, const struct vol *v, bool typed)
{
	struct grow *g = &gs->rows[r];

	vol_free(&g->v);
	free(g->unknown);
	g->unknown = NULL;
	vol_copy(&g->v, v);
	if (!gs->admin) {
		free(g->v.full);
		g->v.full = NULL;
	} else if (typed) {
		add_revealed(gs, &g->v);
	} else {
		reveal(gs, &g->v);
	}
	lineedit_set_utf8(g->f[0], shown(gs, &g->v));
}

/* A message of the model for this screen: ID numbers in it masked unless
 * the session sees them (the database names volunteers by number).
 * Returns a new string. Caller frees. */
static char *screen_text(const struct grid_screen *gs, const char *msg)
{
	return gs->admin ? xstrdup(msg) : idnum_mask_text(msg);
}

/* ---- the station's volunteers ---- */

static int take_volunteer(void *arg, const struct grid_volunteer *v)
{
	struct grid_screen *gs = arg;

	vol_add(&gs->vols, &gs->nv, v);
	return 0;
}

/* Fetched once per station: type-ahead then costs no round trip. */
static void load_volunteers(struct grid_screen *gs, const char *station)
{
	struct sgz_err err;

	if (gs->vstation && strcmp(gs->vstation, station) == 0)
		return;
	vols_free(&gs->vols, &gs->nv);
	free(gs->vstation);
	gs->vstation = xstrdup(station);
	free(gs->vname);
	gs->vname = NULL;
	/* its name beside its code, as the forms show a station */
	sgz_err_clear(&err);
	if (record_ref_name(ui_db(gs->ui), gs->e, field_df(gs, -1, 0), station, &gs->vname,
			    &err) < 0)
		log_msg(LOG_INFO, "grid station not named: %s", err.msg);
	sgz_err_clear(&err);
	if (grid_volunteers(ui_db(gs->ui), station, VOLUNTEERS_MAX, take_volunteer, gs, &gs->admin,
			    &err) < 0)
		ui_say_error(gs->ui, &err);
}

/* The station whose volunteers are offered, by its name (its code while
 * it has none). */
static const char *station_shown(const struct grid_screen *gs)
{
	if (gs->vname)
		return gs->vname;
	return gs->vstation ? gs->vstation : "";
}

/* Digits, and an X or x only last: what an ID number or its start is. */
static bool numberish(const char *t)
{
	if (!*t)
		return false;
	for (const char *p = t; *p; p++)
		if (!(*p >= '0' && *p <= '9') && !((*p == 'X' || *p == 'x') && !p[1]))
			return false;
	return true;
}

/* Longer than the first digits the mask shows: found in the database. */
#define MASK_SHOWS 4

static bool long_prefix(const char *t)
{
	size_t len = strlen(t);

	return numberish(t) && len > MASK_SHOWS && len < IDNUM_LEN;
}

/* Does volunteer v match t: the first or last digits the masked number
 * shows (x or X alike), part of the name, or the start of the name's
 * pinyin initials ("zm" for 张敏)? Everyone matches "". */
static bool matches(const struct vol *v, const char *t)
{
	size_t len = strlen(t), ml = strlen(v->masked);

	if (!*t || strcmp(v->masked, t) == 0)
		return true;
	if (numberish(t) && len <= MASK_SHOWS && ml == IDNUM_LEN &&
	    (strncasecmp(v->masked, t, len) == 0 || strcasecmp(v->masked + ml - len, t) == 0))
		return true;
	return strstr(v->name, t) || strncasecmp(v->initials, t, len) == 0;
}

static int take_match(void *arg, const struct grid_volunteer *v)
{
	struct grid_screen *gs = arg;

	vol_add(&gs->matches, &gs->nmatches, v);
	return 0;
}

/* The volunteers matching t for row's ID field, in gs->matches: the
 * station's (no round trip), or for a prefix longer than the mask shows
 * those of the user's scope (one round trip; an admin's one match
 * revealed and filed with it). Kept while row and t stay: F5 and the
 * field's check ask once. The number, or -1 with err set. */
static long find_matches(struct grid_screen *gs, long row, const char *t, struct sgz_err *err)
{
	long k;

	if (gs->match_text && gs->match_row == row && strcmp(gs->match_text, t) == 0)
		return (long)gs->nmatches;
	clear_matches(gs);
	if (long_prefix(t)) {
		char *prefix = xstrdup(t), *x = strchr(prefix, 'x');
		if (x)
			*x = 'X';
		k = grid_find(ui_db(gs->ui), prefix, FIND_MAX, gs->admin, take_match, gs, err);
		free(prefix);
		if (k < 0) {
			clear_matches(gs);
			return -1;
		}
		gs->more = k >= FIND_MAX;
		for (size_t i = 0; i < gs->nmatches; i++)
			add_revealed(gs, &gs->matches[i]);
	} else {
		for (size_t v = 0; v < gs->nv; v++) {
			if (!matches(&gs->vols[v], t))
				continue;
			gs->matches =
			    xreallocarray(gs->matches, gs->nmatches + 1, sizeof(*gs->matches));
			vol_copy(&gs->matches[gs->nmatches++], &gs->vols[v]);
		}
	}
	gs->match_row = row;
	gs->match_text = xstrdup(t);
	return (long)gs->nmatches;
}

/* The name of the volunteer of row r, or NULL. */
static const char *row_name(const struct grid_screen *gs, size_t r)
{
	return gs->rows[r].v.name;
}

/* The volunteers of the full numbers typed in rows[0..n) (canonical, no
 * volunteer known yet) looked up at once: a row found stands for its
 * volunteer, one not found keeps the number as unknown (said when its
 * field is checked, not asked again). */
struct looked {
	struct grid_screen *gs;
	const size_t *rows;
	char **ids;
	size_t n;
};

static int take_looked(void *arg, const struct grid_volunteer *gv)
{
	struct looked *l = arg;
	struct vol v = {
	    .pid = (char *)gv->pid,
	    .masked = (char *)gv->masked,
	    .name = (char *)gv->name,
	    .initials = (char *)gv->initials,
	    .full = (char *)gv->typed,
	};

	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] && strcmp(l->ids[i], gv->typed) == 0)
			set_vol(l->gs, l->rows[i], &v, true);
	return 0;
}

/* rows[0..n): rows whose ID field may hold a full number; ids[i] its
 * canonical form, or NULL. One round trip for all, none without one. */
static void look_up(struct grid_screen *gs, const size_t *rows, char **ids, size_t n)
{
	struct looked l = {.gs = gs, .rows = rows, .ids = ids, .n = n};
	struct sgz_err err;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ids[i] != NULL;
	if (k == 0)
		return;
	sgz_err_clear(&err);
	if (grid_lookup(ui_db(gs->ui), (const char *const *)ids, n, take_looked, &l, &err) < 0) {
		/* not known now: the save looks the number up */
		ui_say_error(gs->ui, &err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct grow *g = &gs->rows[rows[i]];
		if (!g->v.pid && ids[i]) {
			free(g->unknown);
			g->unknown = xstrdup(ids[i]);
		}
	}
}

/* The canonical full number row r's ID field holds when no volunteer is
 * known for it and it was not looked up in vain, or NULL. Caller frees. */
static char *to_look_up(struct grid_screen *gs, size_t r)
{
	struct strbuf canon = {0};
	struct sgz_err err;
	char *t, *id = NULL;

	if (gs->rows[r].v.pid)
		return NULL;
	t = text(gs, (long)r, 0);
	sgz_err_clear(&err);
	if (numberish(t) && strlen(t) >= IDNUM_LEN &&
	    dict_parse_value(field_df(gs, 0, 0), t, &canon, &err) == 0 && canon.len &&
	    !(gs->rows[r].unknown && strcmp(gs->rows[r].unknown, sb_str(&canon)) == 0))
		id = sb_detach(&canon);
	sb_free(&canon);
	free(t);
	return id;
}

/* Looks up at once the full numbers typed in rows from..to. */
static void look_up_rows(struct grid_screen *gs, size_t from, size_t to)
{
	size_t *rows = xcalloc(to - from + 1, sizeof(*rows)), n = 0;
	char **ids = xcalloc(to - from + 1, sizeof(*ids));

	for (size_t r = from; r < to && r < gs->n; r++) {
		char *id = to_look_up(gs, r);
		if (!id)
			continue;
		rows[n] = r;
		ids[n++] = id;
	}
	look_up(gs, rows, ids, n);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(rows);
}

/* ---- the hours stored for the activity ---- */

/* The header's key as one text, or NULL while the station or the date is
 * missing or refused. Caller frees. */
static char *header_key(struct grid_screen *gs)
{
	char *t[NCOLS], *key = NULL;

	for (int c = 0; c < NCOLS; c++)
		t[c] = text(gs, -1, c);
	if (*t[0] && *t[1] && !gs->head_err[0] && !gs->head_err[1])
		key = xasprintf("%s\n%s\n%s", t[0], t[1], t[2]);
	for (int c = 0; c < NCOLS; c++)
		free(t[c]);
	return key;
}

/* Row r shows stored row s as loaded. */
static void show_stored(struct grid_screen *gs, size_t r, const struct grid_stored_row *s)
{
	struct grow *g = &gs->rows[r];

	free(g->version);
	free(g->was_hours);
	free(g->was_note);
	g->version = xstrdup(s->version);
	g->was_hours = xstrdup(s->hours);
	g->was_note = s->note && *s->note ? xstrdup(s->note) : NULL;
}

struct fetched {
	struct grid_screen *gs;
	struct grid_stored_row *rows;
	size_t n;
};

static int take_stored(void *arg, const struct grid_stored_row *row)
{
	struct fetched *f = arg;

	f->rows = xreallocarray(f->rows, f->n + 1, sizeof(*f->rows));
	f->rows[f->n] = (struct grid_stored_row){
	    .pid = xstrdup(row->pid),
	    .masked = xstrdup(row->masked),
	    .full = dup_or_null(row->full), /* grid_stored() filed the reveal */
	    .name = dup_or_null(row->name),
	    .hours = xstrdup(row->hours),
	    .note = dup_or_null(row->note),
	    .version = xstrdup(row->version),
	};
	f->n++;
	return 0;
}

static void free_fetched(struct fetched *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free((char *)f->rows[i].pid);
		free((char *)f->rows[i].masked);
		free((char *)f->rows[i].full);
		free((char *)f->rows[i].name);
		free((char *)f->rows[i].hours);
		free((char *)f->rows[i].note);
		free((char *)f->rows[i].version);
	}
	free(f->rows);
}

/* The row of volunteer key (row_key(); stored_only: a stored row, else a
 * new one), or -1. */
static long find_row(struct grid_screen *gs, const char *key, bool stored_only)
{
	for (size_t r = 0; r < gs->n; r++) {
		char *k;
		bool hit;
		if (stored_only != stored(gs, r))
			continue;
		k = row_key(gs, r);
		hit = strcmp(k, key) == 0;
		free(k);
		if (hit)
			return (long)r;
	}
	return -1;
}

/* Puts stored row s into a row of its own at index at. */
static void place_stored(struct grid_screen *gs, size_t at, const struct grid_stored_row *s)
{
	struct vol v = {
	    .pid = (char *)s->pid,
	    .masked = (char *)s->masked,
	    .name = (char *)s->name,
	    .full = (char *)s->full,
	};

	insert_row(gs, at);
	show_stored(gs, at, s);
	if (gs->admin)
		add_revealed(gs, &v);
	set_vol(gs, at, &v, false);
	lineedit_set_utf8(gs->rows[at].f[1], s->hours);
	lineedit_set_utf8(gs->rows[at].f[2], s->note ? s->note : "");
}

/* After the last row that holds something. */
static size_t end_of_rows(const struct grid_screen *gs)
{
	size_t r = gs->n;

	while (r > 0 && row_empty(gs, r - 1))
		r--;
	return r;
}

/* The rows stored for the header's activity, loaded when the header
 * names another one (again: after a conflict, to show what is stored
 * now). A new activity: the rows of the one before go, those the user
 * changed staying as new rows (a volunteer twice is then refused as
 * typed twice); the stored ones come first. Again: the user's typing
 * stays over what is stored now, so that F2 saves it knowingly; a new row
 * whose volunteer has hours stored now becomes that stored row. Returns
 * true when rows were loaded. */
static bool load_stored(struct grid_screen *gs, bool again)
{
	char *key = header_key(gs);
	char *t[NCOLS];
	struct fetched f = {.gs = gs};
	struct sgz_err err;
	int rc;

	if (!key || (!again && gs->loaded && strcmp(gs->loaded, key) == 0)) {
		free(key);
		return false;
	}
	for (int c = 0; c < NCOLS; c++)
		t[c] = text(gs, -1, c);
	load_volunteers(gs, t[0]); /* the session's kind first: masks */
	sgz_err_clear(&err);
	rc = grid_stored(ui_db(gs->ui), t[0], t[1], t[2], gs->admin, take_stored, &f, &err);
	for (int c = 0; c < NCOLS; c++)
		free(t[c]);
	if (rc < 0) {
		ui_say_error(gs->ui, &err);
		free(key);
		free_fetched(&f);
		return false;
	}
	clear_matches(gs); /* the rows move */
	if (!again) {
		for (size_t r = gs->n; r-- > 0;) {
			if (!stored(gs, r))
				continue;
			if (gs->rows[r].drop || !row_changed(gs, r))
				remove_row(gs, r);
			else
				make_new(&gs->rows[r]);
		}
		for (size_t i = 0; i < f.n; i++)
			place_stored(gs, i, &f.rows[i]);
	} else {
		bool *seen = xcalloc(gs->n + f.n + 1, sizeof(*seen));
		for (size_t i = 0; i < f.n; i++) {
			const struct grid_stored_row *s = &f.rows[i];
			char *vk = pid_key(s->pid);
			long r = find_row(gs, vk, true);
			if (r < 0 && (r = find_row(gs, vk, false)) >= 0) {
				/* stored by someone else meanwhile: the typing
				 * now changes their row */
				show_stored(gs, (size_t)r, s);
			} else if (r >= 0 && strcmp(gs->rows[r].version, s->version) != 0) {
				bool mine = gs->rows[r].drop || row_changed(gs, (size_t)r);
				show_stored(gs, (size_t)r, s);
				if (!mine) {
					lineedit_set_utf8(gs->rows[r].f[1], s->hours);
					lineedit_set_utf8(gs->rows[r].f[2], s->note ? s->note : "");
				}
			} else if (r < 0) {
				r = (long)end_of_rows(gs);
				place_stored(gs, (size_t)r, s);
				memmove(&seen[r + 1], &seen[r],
					(gs->n - 1 - (size_t)r) * sizeof(*seen));
			}
			seen[r] = true;
			free(vk);
		}
		/* stored rows deleted meanwhile */
		for (size_t r = gs->n; r-- > 0;) {
			if (!stored(gs, r) || seen[r])
				continue;
			if (gs->rows[r].drop || !row_changed(gs, r))
				remove_row(gs, r);
			else
				make_new(&gs->rows[r]);
		}
		free(seen);
	}
	if (gs->n == 0 || !row_empty(gs, gs->n - 1))
		add_row(gs);
	free(gs->loaded);
	gs->loaded = key;
	free_fetched(&f);
	return true;
}

/* ---- validation on leaving a field ---- */

/* Row r's volunteer (key: row_key()) already has a row: says which in r's
 * ID field. */
static int refuse_twice(struct grid_screen *gs, size_t r, const char *key)
{
	for (size_t o = 0; o < gs->n; o++) {
		char *other;
		bool hit;
		if (o == r || row_empty(gs, o))
			continue;
		other = row_key(gs, o);
		hit = strcmp(other, key) == 0;
		free(other);
		if (!hit)
			continue;
		set_err(gs, (long)r, 0, NULL);
		if (stored(gs, o))
			/* TRANSLATORS: the grid's ID field: the volunteer has a stored row. */
			*field_err(gs, (long)r, 0) = xasprintf(
			    _("this volunteer's hours are stored in row %zu: change them there"),
			    o + 1);
		else
			/* TRANSLATORS: the grid's ID field: a volunteer typed twice. */
			*field_err(gs, (long)r, 0) = xasprintf(
			    _("the same volunteer as row %zu: each row needs its own"), o + 1);
		return -1;
	}
	return 0;
}

/* Row r's ID field names its volunteer: a full number typed, looked up
 * in the user's scope once; a prefix longer than the mask shows, found in
 * it; else the one volunteer of the station whose name, initials or shown
 * digits match. Several found are kept in gs->matches, shown under the
 * field: none is picked silently. 0, or -1 with the field's error set. */
static int check_volunteer(struct grid_screen *gs, size_t r)
{
	struct grow *g = &gs->rows[r];
	char *t = text(gs, (long)r, 0);
	struct strbuf msg = {0};
	struct sgz_err err;
	long k;
	int rc = 0;

	sgz_err_clear(&err);
	if (!g->v.pid && numberish(t) && strlen(t) >= IDNUM_LEN) {
		struct strbuf canon = {0};
		if (dict_parse_value(field_df(gs, 0, 0), t, &canon, &err) < 0) {
			set_err(gs, (long)r, 0, err.msg);
			sb_free(&canon);
			rc = -1;
			goto out;
		}
		look_up_rows(gs, r, r + 1);
		if (!g->v.pid && g->unknown && strcmp(g->unknown, sb_str(&canon)) == 0) {
			sb_addf(&msg, "volunteer %s is not registered: import the volunteer first",
				sb_str(&canon));
			set_err(gs, (long)r, 0, sb_str(&msg));
			rc = -1;
		}
		/* neither: the look-up failed (said); the save looks it up */
		sb_free(&canon);
		if (rc < 0)
			goto out;
	} else if (!g->v.pid && *t) {
		k = find_matches(gs, (long)r, t, &err);
		if (k < 0) {
			set_err(gs, (long)r, 0, err.msg);
			rc = -1;
			goto out;
		}
		if (k == 1) {
			struct vol v = {0};
			vol_copy(&v, &gs->matches[0]);
			clear_matches(gs);
			set_vol(gs, r, &v, false);
			vol_free(&v);
		} else {
			if (k == 0 && long_prefix(t))
				/* TRANSLATORS: the grid's ID field: the digits typed. */
				sb_addf(&msg,
					_("no volunteer in your scope has an ID number starting "
					  "with %s"),
					t);
			else if (k == 0)
				/* TRANSLATORS: the grid's ID field: what was typed, the station. */
				sb_addf(&msg, _("no volunteer of station %s matches %s"),
					station_shown(gs), t);
			else if (gs->more)
				/* TRANSLATORS: the grid's ID field: the most volunteers looked
				 * for match, and maybe more. */
				sb_addf(&msg,
					_("%zu or more volunteers match %s: type more, or F5"),
					(size_t)k, t);
			else
				/* TRANSLATORS: the grid's ID field: several volunteers match. */
				sb_addf(&msg, _("%zu volunteers match %s: type more, or F5"),
					(size_t)k, t);
			set_err(gs, (long)r, 0, NULL);
			*field_err(gs, (long)r, 0) = sb_detach(&msg);
			rc = -1;
			goto out;
		}
	}
	/* one row per volunteer, said now, not only when saving */
	if (g->v.pid && !stored(gs, r)) {
		char *key = pid_key(g->v.pid);
		rc = refuse_twice(gs, r, key);
		free(key);
	}
	if (rc == 0)
		set_err(gs, (long)r, 0, NULL);
out:
	sb_free(&msg);
	free(t);
	return rc;
}

/* Checks field (row, col) with the dictionary's parsing; a row's ID field
 * names its volunteer (check_volunteer()). 0, or -1 with the field's error
 * set. */
static int check_field(struct grid_screen *gs, long row, int col)
{
	const struct dict_field *df = field_df(gs, row, col);
	char *t = text(gs, row, col);
	struct strbuf canon = {0};
	struct sgz_err err;
	int rc = 0;

	sgz_err_clear(&err);
	if (row >= 0 && row_empty(gs, (size_t)row))
		goto out; /* an empty row is no row */
	if (row >= 0 && gs->rows[row].drop)
		goto out; /* deleted at the save: nothing of it is written */
	if (row >= 0 && col == 0) {
		rc = check_volunteer(gs, (size_t)row);
		goto out;
	}
	if (dict_parse_value(df, t, &canon, &err) < 0) {
		set_err(gs, row, col, err.msg);
		rc = -1;
		goto out;
	}
	if (strcmp(t, sb_str(&canon)) != 0)
		lineedit_set_utf8(*field(gs, row, col), sb_str(&canon));
	set_err(gs, row, col, NULL);
	if (row < 0 && col == 0 && canon.len)
		load_volunteers(gs, sb_str(&canon));
out:
	sb_free(&canon);
	free(t);
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

/* The first empty row, where typing goes (one is added if need be). */
static long first_empty(struct grid_screen *gs)
{
	size_t r = end_of_rows(gs);

	if (r >= gs->n)
		add_row(gs);
	return (long)r;
}

struct grid_screen *grid_screen_new(struct ui *ui, const char *station, const char *date,
				    const char *activity, struct list_screen *origin)
{
	struct grid_screen *gs = xcalloc(1, sizeof(*gs));

	gs->edit_row = -2;
	const char *given[NCOLS] = {station, date, activity};

	gs->ui = ui;
	gs->e = dict_find("hours");
	gs->origin = origin;
	gs->match_row = -1;
	for (int c = 0; c < NCOLS; c++) {
		gs->head[c] = lineedit_new(c == 0   ? 13
					   : c == 1 ? 11
						    : 24,
					   field_df(gs, -1, c)->max_len);
		lineedit_set_utf8(gs->head[c], given[c]);
	}
	add_row(gs);
	gs->row = -1;
	if (station && *station)
		load_volunteers(gs, station);
	if (station && *station && date && *date) {
		/* the activity's hours so far, then a row to type into */
		load_stored(gs, false);
		gs->row = first_empty(gs);
	}
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
	vols_free(&gs->vols, &gs->nv);
	free(gs->vstation);
	free(gs->vname);
	vols_free(&gs->revealed, &gs->nrevealed);
	clear_matches(gs);
	free(gs->loaded);
	free(gs->cycle);
	draft_free(gs->draft);
	sb_free(&gs->title);
	sb_free(&gs->hint);
	sb_free(&gs->foot);
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

/* The line under the grid: the current field's refusal, or its name; for
 * a stored row what is stored. */
static const char *hint(struct grid_screen *gs)
{
	const char *err = *field_err(gs, gs->row, gs->col);

	sb_reset(&gs->hint);
	if (gs->row >= 0 && gs->rows[gs->row].drop)
		/* TRANSLATORS: the grid's hint line: a stored row deleted at the save. */
		sb_addf(&gs->hint, _("Row %ld, deleted when the grid is saved (Ctrl-X keeps it), "),
			gs->row + 1);
	else if (gs->row >= 0 && stored(gs, (size_t)gs->row) && gs->rows[gs->row].was_hours &&
		 note_changed(gs, (size_t)gs->row) && !gs->rows[gs->row].was_note)
		/* TRANSLATORS: the grid's hint line: a stored row without a note
		 * given one, its stored hours (until the save). */
		sb_addf(&gs->hint, _("Row %ld, stored %s h, no note, "), gs->row + 1,
			gs->rows[gs->row].was_hours);
	else if (gs->row >= 0 && stored(gs, (size_t)gs->row) && gs->rows[gs->row].was_hours &&
		 note_changed(gs, (size_t)gs->row))
		/* TRANSLATORS: the grid's hint line: a stored row whose note was
		 * changed, its stored hours and note (until the save). */
		sb_addf(&gs->hint, _("Row %ld, stored %s h, note \"%s\", "), gs->row + 1,
			gs->rows[gs->row].was_hours,
			gs->rows[gs->row].was_note ? gs->rows[gs->row].was_note : "");
	else if (gs->row >= 0 && stored(gs, (size_t)gs->row) && gs->rows[gs->row].was_hours)
		/* TRANSLATORS: the grid's hint line: a stored row and its stored hours. */
		sb_addf(&gs->hint, _("Row %ld, stored %s h, "), gs->row + 1,
			gs->rows[gs->row].was_hours);
	else if (gs->row >= 0)
		/* TRANSLATORS: the grid's hint line begins with the row number. */
		sb_addf(&gs->hint, _("Row %ld, "), gs->row + 1);
	sb_adds(&gs->hint, ui_field_label(gs->ui, field_df(gs, gs->row, gs->col)));
	if (err)
		sb_addf(&gs->hint, ": %s", err);
	else if (gs->row >= 0 && gs->col == 0 && stored(gs, (size_t)gs->row) &&
		 !gs->rows[gs->row].drop)
		sb_addf(&gs->hint, ": %s", _("stored: Ctrl-X deletes the row"));
	else if (gs->row >= 0 && gs->col == 0)
		sb_addf(&gs->hint, ": %s",
			_("the ID number's first or last digits, or the name: Tab completes"));
	else if (gs->row < 0 && gs->col == 1)
		sb_addf(&gs->hint, ": %s", ui_tr(gs->ui, M_HINT_DATE));
	return sb_str(&gs->hint);
}

/* The grid's foot: the people and hours of the activity once the grid is
 * saved (its stored rows as edited, less those deleted, and the new rows
 * of volunteers recognised), and what is stored now while that differs. */
static const char *foot(struct grid_screen *gs)
{
	struct grid_row *now = xcalloc(gs->n + 1, sizeof(*now));
	struct grid_row *was = xcalloc(gs->n + 1, sizeof(*was));
	char **texts = xcalloc(2 * gs->n + 1, sizeof(*texts));
	struct grid_totals tn, ts;
	char hn[32], hs[32];
	size_t k = 0, ks = 0;

	for (size_t r = 0; r < gs->n; r++) {
		const struct grow *g = &gs->rows[r];
		if (stored(gs, r)) {
			was[ks].pid = g->v.pid;
			was[ks++].hours = g->was_hours;
		}
		/* a volunteer not recognised (yet) is nobody: neither a
		 * person nor hours of the activity */
		if (row_empty(gs, r) || !g->v.pid)
			continue;
		now[k].pid = g->v.pid;
		now[k].hours = texts[2 * r + 1] = text(gs, (long)r, 1);
		now[k++].drop = g->drop;
	}
	grid_tally(now, k, &tn);
	grid_tally(was, ks, &ts);
	sb_reset(&gs->foot);
	if (unsaved(gs))
		/* TRANSLATORS: the grid's foot: people and hours once saved, and stored now. */
		sb_addf(&gs->foot,
			_("Once saved: people %zu, hours %s; stored now: people %zu, hours %s"),
			tn.people, grid_hours_text(tn.tenths, hn, sizeof(hn)), ts.people,
			grid_hours_text(ts.tenths, hs, sizeof(hs)));
	else
		/* TRANSLATORS: the grid's foot: people and hours, nothing to save. */
		sb_addf(&gs->foot, _("In all: people %zu, hours %s, all stored"), tn.people,
			grid_hours_text(tn.tenths, hn, sizeof(hn)));
	for (size_t i = 0; i < 2 * gs->n; i++)
		free(texts[i]);
	free(texts);
	free(now);
	free(was);
	return sb_str(&gs->foot);
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

/* Digits of the row numbers: three, or as many as the last one has. */
static int num_digits(const struct grid_screen *gs)
{
	int d = 1;

	for (size_t n = gs->n; n >= 10; n /= 10)
		d++;
	return d < 3 ? 3 : d;
}

/* The volunteers matching the current ID field when several do, over the
 * rows under it (above it when there is more room there), whole lines so
 * that no row number stands beside them: each masked number and name
 * under the ID column, the one F5 shows marked; those that do not fit
 * counted. */
static void draw_matches(struct grid_screen *gs, int top, int body, int x)
{
	size_t n = gs->nmatches, fit;
	int i, below, above, lines, y;
	struct strbuf sb = {0};

	if (gs->row < 0 || gs->col != 0 || gs->match_row != gs->row || n < 2 ||
	    (size_t)gs->row < gs->top)
		return;
	i = (int)((size_t)gs->row - gs->top);
	below = body - 1 - i;
	above = i;
	lines = (int)(n + (gs->more ? 1 : 0));
	if (lines > 10)
		lines = 10;
	if (below < lines && above > below) {
		if (lines > above)
			lines = above;
		y = top + 3 + i - lines;
	} else {
		if (lines > below)
			lines = below;
		y = top + 3 + i + 1;
	}
	if (lines < 1)
		return;
	fit = (size_t)lines;
	if (fit < n || gs->more)
		fit = (size_t)lines - 1;
	for (size_t k = 0; k < fit; k++, y++) {
		const struct vol *v = &gs->matches[k];
		bool picked =
		    gs->rows[gs->row].v.pid && strcmp(gs->rows[gs->row].v.pid, v->pid) == 0;
		sb_reset(&sb);
		sb_addf(&sb, "%*s%c %s %s", x - 2, "", picked ? '>' : ' ', v->masked, v->name);
		ui_put(y, 0, COLS, sb_str(&sb), picked ? A_REVERSE : A_NORMAL, true);
	}
	if (fit < (size_t)lines) {
		sb_reset(&sb);
		sb_reset(&sb);
		sb_addf(&sb, "%*s", x - 2, "");
		if (gs->more)
			/* TRANSLATORS: the grid: more volunteers match than were looked for. */
			sb_adds(&sb, _("  ... and more: type more digits"));
		else
			/* TRANSLATORS: the grid: volunteers matching that do not fit. */
			sb_addf(&sb, _("  ... %zu more: type more, or F5"), n - fit);
		ui_put(y, 0, COLS, sb_str(&sb), A_NORMAL, true);
	}
	sb_free(&sb);
}

void grid_screen_draw(struct grid_screen *gs, int top, int height)
{
	const char *why = hint(gs);
	/* a long hint takes two rows, the grid's last row giving way */
	int hint_lines = ui_lines(why, COLS - 2) > 1 ? 2 : 1;
	/* the title, the header, the column heads; the rows; the foot, the hint */
	int x = 1, y = top + 1, body = height - 4 - hint_lines;
	/* the mark and the row number, then the columns */
	int digits = num_digits(gs);
	int id_x = digits + 2, name_x = id_x + ID_W + 1, hours_x = name_x + NAME_W + 1;
	int was_x = hours_x + HOURS_W + 1, note_x = was_x + WAS_W, note_w = COLS - note_x - 1;

	if (note_w < 1)
		note_w = 1;
	x += ui_put(top, 1, COLS - 2, sb_str(&gs->title), A_BOLD, false);
	if (gs->vname && gs->vstation) {
		/* the station by its name, while its code is the header's: on
		 * the title line, the header's activity keeping its width */
		char *t = text(gs, -1, 0);
		if (strcmp(t, gs->vstation) == 0)
			ui_put(top, x + 2, COLS - x - 3, gs->vname, A_NORMAL, false);
		free(t);
	}
	x = 1;
	for (int c = 0; c < NCOLS; c++) {
		int w = c == 2 ? COLS - 2 - x -
				     ui_width(ui_field_label(gs->ui, field_df(gs, -1, c))) - 2
			       : lineedit_width(gs->head[c]);
		if (gs->head_err[c])
			mvwaddch(stdscr, y, x - 1, '!');
		x += ui_put(y, x, COLS - x, ui_field_label(gs->ui, field_df(gs, -1, c)), A_NORMAL,
			    false) +
		     1;
		draw_field(gs, -1, c, y, x, w);
		x += w + 2;
	}
	/* column heads */
	y++;
	ui_put(y, id_x, ID_W, ui_field_label(gs->ui, field_df(gs, 0, 0)), A_BOLD, false);
	ui_put(y, hours_x, HOURS_W + 1 + WAS_W, ui_field_label(gs->ui, field_df(gs, 0, 1)), A_BOLD,
	       false);
	ui_put(y, note_x, note_w, ui_field_label(gs->ui, field_df(gs, 0, 2)), A_BOLD, false);
	if (body < 1)
		body = 1;
	gs->page = (size_t)body;
	if (gs->row >= 0 && (size_t)gs->row < gs->top)
		gs->top = (size_t)gs->row;
	if (gs->row >= 0 && (size_t)gs->row >= gs->top + (size_t)body)
		gs->top = (size_t)gs->row - (size_t)body + 1;
	for (int i = 0; i < body && gs->top + (size_t)i < gs->n; i++) {
		size_t r = gs->top + (size_t)i;
		struct grow *g = &gs->rows[r];
		char num[48];
		const char *name = row_name(gs, r);
		bool bad = false;
		char mark;
		y = top + 3 + i;
		for (int c = 0; c < NCOLS; c++)
			bad = bad || g->err[c];
		/* refused, current, deleted at the save, a stored row changed */
		mark = bad		    ? '!'
		       : (long)r == gs->row ? '>'
		       : g->drop	    ? 'x'
		       : row_changed(gs, r) ? '*'
					    : ' ';
		snprintf(num, sizeof(num), "%c%*zu", mark, digits < 24 ? digits : 24, r + 1);
		ui_put(y, 0, digits + 1, num, A_NORMAL, false);
		draw_field(gs, (long)r, 0, y, id_x, ID_W);
		if (name)
			ui_put(y, name_x, NAME_W, name, A_NORMAL, false);
		draw_field(gs, (long)r, 1, y, hours_x, HOURS_W);
		if (col_changed(gs, r, 1)) {
			/* the stored hours beside the new until the save */
			char *was = xasprintf(_("was %s"), g->was_hours);
			ui_put(y, was_x, WAS_W - 1, was, A_NORMAL, false);
			free(was);
		}
		if (g->drop)
			ui_put(y, note_x, note_w, _("(deleted at the save)"), A_NORMAL, true);
		else
			draw_field(gs, (long)r, 2, y, note_x, note_w);
	}
	draw_matches(gs, top, body, id_x);
	ui_put(top + height - 1 - hint_lines, 1, COLS - 2, foot(gs), A_NORMAL, true);
	ui_put_lines(top + height - 1, 1, COLS - 2, hint_lines, why, A_NORMAL);
}

/* ---- drafts ---- */

/* The rows a draft keeps: new ones, and stored ones changed or deleted
 * (with the row_version the change started from, so that a row someone
 * else changed meanwhile is a conflict when the draft is saved). The ID
 * numbers as the screen showed them, with the name: a draft file holds
 * no number the user was not shown. */
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
		const struct grow *g = &gs->rows[r];
		const char *name = row_name(gs, r);
		if (row_empty(gs, r) || (stored(gs, r) && !g->drop && !row_changed(gs, r)))
			continue;
		for (int c = 0; c < NCOLS; c++) {
			char *v = text(gs, (long)r, c);
			sb_reset(&col);
			sb_addf(&col, "%zu:%s", k, field_df(gs, 0, c)->column);
			draft_set(gs->draft, sb_str(&col), v);
			free(v);
		}
		if (name) {
			sb_reset(&col);
			sb_addf(&col, "%zu:name", k);
			draft_set(gs->draft, sb_str(&col), name);
		}
		if (g->version) {
			sb_reset(&col);
			sb_addf(&col, "%zu:row_version", k);
			draft_set(gs->draft, sb_str(&col), g->version);
		}
		if (g->drop) {
			sb_reset(&col);
			sb_addf(&col, "%zu:drop", k);
			draft_set(gs->draft, sb_str(&col), "yes");
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

	if (!gs->typed || !unsaved(gs)) {
		drop_draft(gs);
		return false;
	}
	fill_draft(gs);
	dir = draft_dir();
	rc = draft_write(gs->draft, dir, err);
	free(dir);
	return rc == 0;
}

/* The volunteer a draft's ID text stands for: the one stored row's or
 * station volunteer (named name, if given) shown so. NULL when none or
 * several are. Borrowed until the rows change. */
static const struct vol *draft_volunteer(struct grid_screen *gs, const char *t, const char *name)
{
	const struct vol *hit = NULL;
	size_t k = 0;

	for (size_t r = 0; r < gs->n; r++) {
		const struct vol *v = &gs->rows[r].v;
		if (!v->pid || !stored(gs, r))
			continue;
		if ((strcmp(shown(gs, v), t) == 0 || strcmp(v->masked, t) == 0) &&
		    (!name || same(name, v->name)) && (!hit || strcmp(hit->pid, v->pid) != 0))
			hit = v, k++;
	}
	for (size_t i = 0; strchr(t, '*') && i < gs->nv; i++) {
		const struct vol *v = &gs->vols[i];
		if (strcmp(v->masked, t) == 0 && (!name || same(name, v->name)) &&
		    (!hit || strcmp(hit->pid, v->pid) != 0))
			hit = v, k++;
	}
	return k == 1 ? hit : NULL;
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
		const char *t[NCOLS], *name, *version, *drop;
		const struct vol *hit;
		struct vol v = {0};
		long r = -1;
		for (int c = 0; c < NCOLS; c++) {
			sb_reset(&col);
			sb_addf(&col, "%zu:%s", k, field_df(gs, 0, c)->column);
			t[c] = draft_get(d, sb_str(&col));
			if (!t[c])
				t[c] = "";
		}
		sb_reset(&col);
		sb_addf(&col, "%zu:name", k);
		name = draft_get(d, sb_str(&col));
		sb_reset(&col);
		sb_addf(&col, "%zu:row_version", k);
		version = draft_get(d, sb_str(&col));
		sb_reset(&col);
		sb_addf(&col, "%zu:drop", k);
		drop = draft_get(d, sb_str(&col));
		if ((hit = draft_volunteer(gs, t[0], name)))
			vol_copy(&v, hit); /* the rows move */
		/* a stored row changed: the row as loaded now, with the version
		 * the typing started from */
		if (version && v.pid) {
			char *key = pid_key(v.pid);
			r = find_row(gs, key, true);
			free(key);
		}
		if (r < 0) {
			r = (long)end_of_rows(gs);
			if ((size_t)r >= gs->n)
				add_row(gs);
			if (v.pid)
				set_vol(gs, (size_t)r, &v, false);
			else
				lineedit_set_utf8(gs->rows[r].f[0], t[0]);
		}
		vol_free(&v);
		if (version) {
			free(gs->rows[r].version);
			gs->rows[r].version = xstrdup(version);
		}
		gs->rows[r].drop = version && drop && strcmp(drop, "yes") == 0;
		lineedit_set_utf8(gs->rows[r].f[1], t[1]);
		lineedit_set_utf8(gs->rows[r].f[2], t[2]);
	}
	sb_free(&col);
	/* numbers typed in full: their volunteers at once */
	look_up_rows(gs, 0, gs->n);
	if (n && !row_empty(gs, gs->n - 1))
		add_row(gs);
	if (gs->row >= 0)
		gs->row = first_empty(gs);
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
	/* the matches of a field left refused stay (kept by its row and
	 * text): shown again under it when it is back, F5 picks from them */
}

/* Says "Not saved: row 3, Hours: reason" with the field marked. */
static void refuse(struct grid_screen *gs, long row, int col, const char *why)
{
	struct strbuf sb = {0};
	char *said;

	if (row < 0)
		/* TRANSLATORS: a refused save of the grid: the field and the reason. */
		sb_addf(&sb, _("Not saved: %s: %s"), ui_field_label(gs->ui, field_df(gs, row, col)),
			why);
	else
		/* TRANSLATORS: a refused save of the grid: row, field and the reason. */
		sb_addf(&sb, _("Not saved: row %ld, %s: %s"), row + 1,
			ui_field_label(gs->ui, field_df(gs, row, col)), why);
	said = screen_text(gs, sb_str(&sb));
	ui_say(gs->ui, said);
	free(said);
	sb_free(&sb);
	focus(gs, row, col);
}

/* What a save did: "Saved: 2 added, 1 changed." */
static void say_saved(struct grid_screen *gs, const struct grid_result *res)
{
	struct strbuf sb = {0};

	if (res->deleted)
		/* TRANSLATORS: the grid saved: new rows, stored rows changed and deleted. */
		sb_addf(&sb, _("Saved: %zu added, %zu changed, %zu deleted."), res->added,
			res->changed, res->deleted);
	else
		/* TRANSLATORS: the grid saved: new rows and stored rows changed. */
		sb_addf(&sb, _("Saved: %zu added, %zu changed."), res->added, res->changed);
	if (res->warning[0]) {
		char *why = form_tr_message(res->warning), *said = screen_text(gs, why);
		sb_addf(&sb, "  %s", said);
		free(said);
		free(why);
	}
	ui_say(gs->ui, sb_str(&sb));
	sb_free(&sb);
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

	/* numbers typed in full not known yet: their volunteers at once */
	look_up_rows(gs, 0, gs->n);
	for (long r = -1; r < (long)gs->n; r++)
		for (int c = 0; c < NCOLS; c++)
			if (check_field(gs, r, c) < 0) {
				refuse(gs, r, c, *field_err(gs, r, c));
				return;
			}
	/* a header changed and not left: the rows stored for the activity it
	 * names now are shown before anything is saved to it */
	if (load_stored(gs, false)) {
		focus(gs, first_empty(gs), 0);
		set_title(gs);
		/* TRANSLATORS: the grid's header named another activity at F2. */
		ui_say(ui, _("The grid now shows the hours stored for this activity: check the "
			     "rows, then save again."));
		return;
	}
	/* new rows, and the stored rows changed or deleted */
	/* by pid, or the number typed when it is not known (the save looks
	 * it up); as shown, to name the row a refusal is about */
	rows = xcalloc(gs->n + 1, sizeof(*rows));
	texts = xcalloc(gs->n * TEXTS + 1, sizeof(*texts));
	at = xcalloc(gs->n + 1, sizeof(*at));
	for (size_t r = 0; r < gs->n; r++) {
		const struct grow *g = &gs->rows[r];
		char **t = &texts[k * TEXTS];
		if (row_empty(gs, r) || (stored(gs, r) && !g->drop && !row_changed(gs, r)))
			continue;
		t[0] = g->v.pid ? NULL : canonical(gs, r, 0);
		t[1] = text(gs, (long)r, 1);
		t[2] = text(gs, (long)r, 2);
		t[3] = text(gs, (long)r, 0);
		rows[k].pid = g->v.pid;
		rows[k].volunteer = t[0];
		rows[k].hours = t[1];
		rows[k].note = t[2];
		rows[k].shown = t[3];
		rows[k].version = g->version;
		rows[k].drop = g->drop;
		at[k++] = r;
	}
	size_t ntexts = gs->n * TEXTS;
	if (k == 0) {
		ui_say(ui, ui_tr(ui, M_NOTHING_CHANGED));
		goto out;
	}
	for (int c = 0; c < NCOLS; c++)
		head[c] = text(gs, -1, c);
	sgz_err_clear(&err);
	/* A successful save pops (frees) gs: what the cleanup needs is read now. */
	switch (grid_save(ui_db(ui), head[0], head[1], head[2], rows, k, &res, &err)) {
	case GRID_OK:
		drop_draft(gs);
		if (gs->origin)
			list_screen_changed(gs->origin, NULL);
		say_saved(gs, &res);
		ui_pop(ui); /* frees gs */
		break;
	case GRID_CONFLICT: {
		/* someone else's save since the grid opened: shown, never
		 * overwritten unseen; F2 again saves over what is shown */
		long row = res.row >= 0 && (size_t)res.row < k ? (long)at[res.row] : 0;
		char *why = form_tr_message(err.msg);
		char *id = row_key(gs, (size_t)row);
		struct strbuf sb = {0};
		load_stored(gs, true);
		/* the rows moved: the one refused is found by its volunteer */
		long now = find_row(gs, id, true);
		if (now < 0)
			now = find_row(gs, id, false);
		row = now >= 0 ? now : 0;
		/* TRANSLATORS: a grid save met someone else's change: the reason. */
		sb_addf(&sb, _("%s; the grid shows what is stored now: F2 saves yours over it"),
			why);
		set_err(gs, row, 1, NULL);
		refuse(gs, row, 1, sb_str(&sb));
		free(id);
		free(why);
		sb_free(&sb);
		break;
	}
	case GRID_REFUSED: {
		long row = res.row >= 0 && (size_t)res.row < k ? (long)at[res.row] : 0;
		int col = strcmp(res.column, "hours") == 0  ? 1
			  : strcmp(res.column, "note") == 0 ? 2
							    : 0;
		long hrow = -1;
		int hcol = strcmp(res.column, "station") == 0	     ? 0
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
		*field_err(gs, row, col) = screen_text(gs, why);
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
out:
	for (size_t i = 0; i < ntexts; i++)
		free(texts[i]);
	free(texts);
	free(rows);
	free(at);
}

/* ---- keys ---- */

/* A new row's volunteer has a stored row: when nothing else was typed in
 * the new row, the cursor moves to the stored row's hours, which are
 * edited in place (spec/work.md), and the new row is emptied; said. Else
 * the refusal stays on the field. */
static void to_stored_row(struct grid_screen *gs)
{
	struct grow *g;
	struct strbuf sb = {0};
	char *key;
	long o;

	if (gs->row < 0 || gs->col != 0 || stored(gs, (size_t)gs->row))
		return;
	g = &gs->rows[gs->row];
	if (!g->v.pid || lineedit_len(g->f[1]) || lineedit_len(g->f[2]))
		return;
	key = pid_key(g->v.pid);
	o = find_row(gs, key, true);
	free(key);
	if (o < 0 || gs->rows[o].drop)
		return;
	/* TRANSLATORS: the grid: a volunteer typed in a new row has a stored
	 * row, and the cursor moved there: volunteer, name, row. */
	sb_addf(&sb, _("%s %s has hours stored in row %ld: change them here."), shown(gs, &g->v),
		g->v.name ? g->v.name : "", o + 1);
	set_text(gs, gs->row, 0, "");
	focus(gs, o, 1);
	ui_say(gs->ui, sb_str(&sb));
	sb_free(&sb);
}

/* Leaves the current field for (row, col). Moving never traps (spec/work.md,
 * Forms that help): a field refused is marked and its refusal said as it
 * is left, and it holds the save, not the cursor; a volunteer typed again
 * moves the cursor to her stored row instead. Leaving the header for
 * another activity loads its stored rows, and typing then goes on under
 * them. */
static void go(struct grid_screen *gs, long row, int col)
{
	if (check_field(gs, gs->row, gs->col) < 0) {
		long r = gs->row;
		int c = gs->col;
		to_stored_row(gs);
		if (gs->row != r || gs->col != c)
			return;
		if (!(row == r && col == c)) {
			struct strbuf sb = {0};
			if (r >= 0)
				sb_addf(&sb, _("Row %ld, "), r + 1);
			sb_adds(&sb, ui_field_label(gs->ui, field_df(gs, r, c)));
			sb_addf(&sb, ": %s", *field_err(gs, r, c) ? *field_err(gs, r, c) : "");
			ui_say(gs->ui, sb_str(&sb));
			sb_free(&sb);
		}
	}
	if (gs->row < 0 && load_stored(gs, false) && row >= 0) {
		focus(gs, first_empty(gs), 0);
		set_title(gs);
		return;
	}
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

/* PgDn (dir 1), PgUp (-1): a page of rows on, in the same column; from
 * the header, the first row. */
static void page_rows(struct grid_screen *gs, int dir)
{
	size_t page = gs->page > 1 ? gs->page - 1 : 1;
	long row, at;

	if (gs->row < 0) {
		if (dir > 0)
			go(gs, 0, 0);
		return;
	}
	row = gs->row + dir * (long)page;
	if (row >= (long)gs->n)
		row = (long)gs->n - 1;
	if (row < 0)
		row = 0;
	if (row == gs->row)
		return;
	/* the cursor keeps its line on the screen: the rows scroll under it */
	at = gs->row >= (long)gs->top ? gs->row - (long)gs->top : 0;
	go(gs, row, gs->col);
	if (gs->row == row)
		gs->top = row >= at ? (size_t)(row - at) : 0;
}

static void prev_field(struct grid_screen *gs)
{
	if (gs->col > 0)
		go(gs, gs->row, gs->col - 1);
	else if (gs->row >= 0)
		go(gs, gs->row - 1, gs->row == 0 ? 0 : NCOLS - 1);
}

/* May the current field change? A stored row keeps its volunteer, and a
 * row deleted at the save is not edited: said, and false. */
static bool editable(struct grid_screen *gs)
{
	if (gs->row < 0)
		return true;
	if (gs->rows[gs->row].drop) {
		/* TRANSLATORS: the grid: a key in a row deleted at the save. */
		ui_say(gs->ui, _("This row is deleted when the grid is saved: Ctrl-X keeps it."));
		return false;
	}
	if (gs->col == 0 && stored(gs, (size_t)gs->row)) {
		/* TRANSLATORS: the grid: a key in the ID field of a stored row. */
		ui_say(gs->ui, _("A stored row keeps its volunteer: Ctrl-X deletes the row."));
		return false;
	}
	return true;
}

static void ditto(struct grid_screen *gs)
{
	char *t;

	if (gs->row < 1) {
		ui_say(gs->ui, ui_tr(gs->ui, M_NO_DITTO));
		return;
	}
	if (!editable(gs))
		return;
	if (gs->col == 0 && gs->rows[gs->row - 1].v.pid) {
		struct vol v = {0};
		vol_copy(&v, &gs->rows[gs->row - 1].v);
		set_text(gs, gs->row, 0, "");
		set_vol(gs, (size_t)gs->row, &v, false);
		vol_free(&v);
	} else {
		t = text(gs, gs->row - 1, gs->col);
		set_text(gs, gs->row, gs->col, t);
		free(t);
	}
	gs->typed = true;
}

static void delete_new_row(struct grid_screen *gs)
{
	remove_row(gs, (size_t)gs->row);
	if (gs->n == 0)
		add_row(gs);
	if (gs->row >= (long)gs->n)
		gs->row = (long)gs->n - 1;
	focus(gs, gs->row, 0);
	gs->typed = true;
}

static void on_drop_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct grid_screen *gs = ctx;

	(void)ui;
	if (answer != 'y' || gs->row < 0 || !stored(gs, (size_t)gs->row))
		return;
	gs->rows[gs->row].drop = true;
	for (int c = 0; c < NCOLS; c++)
		set_err(gs, gs->row, c, NULL);
	gs->typed = true;
}

/* Ctrl-X: a new row goes; a stored row is deleted at the save, after a
 * question, or kept again. */
static void delete_row(struct grid_screen *gs)
{
	static const struct ui_choice yes_no[] = {
	    {'y', "y", M_DELETE},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct grow *g;
	struct strbuf sb = {0};

	if (gs->row < 0)
		return;
	g = &gs->rows[gs->row];
	if (!stored(gs, (size_t)gs->row)) {
		delete_new_row(gs);
		return;
	}
	if (g->drop) {
		g->drop = false;
		/* TRANSLATORS: the grid: Ctrl-X on a row deleted at the save. */
		sb_addf(&sb, _("Row %ld is kept."), gs->row + 1);
		ui_say(gs->ui, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	/* TRANSLATORS: the grid asks before deleting a stored row: row, volunteer, name, hours. */
	sb_addf(&sb, _("Delete the stored hours of row %ld (%s %s, %s h) when the grid is saved?"),
		gs->row + 1, shown(gs, &g->v),
		row_name(gs, (size_t)gs->row) ? row_name(gs, (size_t)gs->row) : "",
		g->was_hours ? g->was_hours : "?");
	ui_ask(gs->ui, ui_tr(gs->ui, M_DEL_ROW), sb_str(&sb), yes_no, SGZ_ARRAY_LEN(yes_no),
	       on_drop_answer, gs);
	sb_free(&sb);
}

/* F5 in the ID field: the next volunteer matching what was typed (all of
 * the station's when one is shown), the matches shown under the field. */
static void pick(struct grid_screen *gs)
{
	struct sgz_err err;
	struct vol v = {0};
	long k;

	if (gs->row < 0 || gs->col != 0) {
		ui_say(gs->ui, ui_tr(gs->ui, M_NO_PICK));
		return;
	}
	if (!editable(gs))
		return;
	if (!gs->cycle) {
		/* a volunteer already shown: the cycle goes through all */
		gs->cycle = gs->rows[gs->row].v.pid ? xstrdup("") : text(gs, gs->row, 0);
		gs->cycle_at = 0;
	}
	sgz_err_clear(&err);
	k = find_matches(gs, gs->row, gs->cycle, &err);
	if (k < 0) {
		ui_say_error(gs->ui, &err);
		return;
	}
	if (k == 0) {
		ui_say(gs->ui, ui_tr(gs->ui, M_PICK_NONE));
		return;
	}
	vol_copy(&v, &gs->matches[gs->cycle_at % (size_t)k]);
	set_vol(gs, (size_t)gs->row, &v, false);
	vol_free(&v);
	set_err(gs, gs->row, 0, NULL);
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

/* An editing key in the current field. A volunteer shown (completed,
 * picked) is replaced, not edited: the first key that would change its
 * text starts the field afresh. */
static void edit_key(struct grid_screen *gs, bool fn, wint_t wc)
{
	struct lineedit *le = *field(gs, gs->row, gs->col);
	char *before = NULL, *after;
	enum lineedit_key k;

	if (gs->row >= 0 && gs->col == 0 && gs->rows[gs->row].v.pid)
		before = lineedit_get_utf8(le);
	else if (gs->row >= 0 && gs->rows[gs->row].drop)
		before = lineedit_get_utf8(le);
	else if ((gs->edit_row != gs->row || gs->edit_col != gs->col) && !fn && wc >= 0x20 &&
		 wc != 0x7f && editable(gs)) {
		/* the first character typed into a cell just entered */
		char *had = lineedit_get_utf8(le);
		if (had[0])
			lineedit_set_utf8(le, "");
		free(had);
	}
	gs->edit_row = gs->row;
	gs->edit_col = gs->col;
	k = lineedit_key(le, fn, wc);
	if (k == LINEEDIT_KEY_OTHER || (!before && k != LINEEDIT_KEY_DONE)) {
		free(before);
		return;
	}
	if (before) {
		/* a character refused: the field is full */
		after = lineedit_get_utf8(le);
		if (strcmp(before, after) != 0 ||
		    (k == LINEEDIT_KEY_REFUSED && !fn && wc >= 0x20 && wc != 0x7f)) {
			lineedit_set_utf8(le, before);
			if (editable(gs)) {
				set_text(gs, gs->row, 0, "");
				lineedit_key(le, fn, wc);
			}
		}
		free(after);
		free(before);
	}
	set_err(gs, gs->row, gs->col, NULL);
	if (gs->row >= 0 && gs->col == 0 && gs->row == gs->match_row)
		clear_matches(gs); /* what they matched is gone */
	gs->typed = true;
}

void grid_screen_key(struct grid_screen *gs, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct ui *ui = gs->ui;

	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		if (gs->typed && unsaved(gs)) {
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
		set_title(gs);
		return; /* keeps the cycle */
	} else if (!fn && wc == UI_KEY_CTRL('X')) {
		delete_row(gs);
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		row_done(gs);
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'\t')) {
		next_field(gs);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		prev_field(gs);
	} else if (fn && (wc == KEY_NPAGE || wc == KEY_PPAGE)) {
		page_rows(gs, wc == KEY_NPAGE ? 1 : -1);
	} else {
		edit_key(gs, fn, wc);
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
	char *all, *p, **ids;
	size_t r, pasted = 0, *at = NULL;
	struct strbuf sb = {0};
	bool rows =
	    gs->row >= 0 && (wmemchr(s, L'\t', n) || wmemchr(s, L'\n', n) || wmemchr(s, L'\r', n));

	if (!rows) {
		if (!editable(gs))
			return;
		if (gs->row >= 0 && gs->col == 0 && gs->rows[gs->row].v.pid)
			set_text(gs, gs->row, 0, ""); /* a volunteer shown is replaced */
		if (lineedit_paste(*field(gs, gs->row, gs->col), s, n) == 0 || n)
			gs->typed = true;
		set_err(gs, gs->row, gs->col, NULL);
		set_title(gs);
		return;
	}
	all = utf8_of(s, n);
	/* into empty rows: from the current row if it is empty, else after
	 * the last one that holds something; never over a row */
	r = (size_t)gs->row;
	if (!row_empty(gs, r))
		r = end_of_rows(gs);
	for (p = all; *p;) {
		size_t len = strcspn(p, "\r\n");
		char *line = xstrndup(p, len), *cell = line;
		p += len;
		p += strspn(p, "\r\n");
		if (!*line) {
			free(line);
			continue;
		}
		while (r < gs->n && !row_empty(gs, r))
			r++;
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
		at = xreallocarray(at, pasted + 1, sizeof(*at));
		at[pasted++] = r;
		free(line);
		r++;
	}
	free(all);
	/* the numbers pasted in full looked up at once, then each row checked */
	ids = xcalloc(pasted + 1, sizeof(*ids));
	for (size_t i = 0; i < pasted; i++)
		ids[i] = to_look_up(gs, at[i]);
	look_up(gs, at, ids, pasted);
	for (size_t i = 0; i < pasted; i++) {
		for (int c = 0; c < NCOLS; c++)
			check_field(gs, (long)at[i], c);
		free(ids[i]);
	}
	free(ids);
	free(at);
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

/* ---- opened from a list ---- */

/* g: the hours grid of the selected activity (or the activity of the
 * selected hours row); the header asks what no row gives. */
void grid_screen_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			   struct list_screen *origin)
{
	const char *part[3] = {NULL, NULL, NULL}; /* station, date, activity */
	size_t n = 0, k = 0;
	char **parts = key ? record_key_decode(e, key, &n) : NULL;

	for (size_t i = 0; parts && i < e->nfields; i++) {
		const char *col = e->fields[i].column;
		if (!(e->fields[i].flags & DF_KEY) || k >= n)
			continue;
		if (strcmp(col, "station") == 0)
			part[0] = parts[k];
		else if (strcmp(col, "date") == 0 || strcmp(col, "service_date") == 0)
			part[1] = parts[k];
		else if (strcmp(col, "title") == 0 || strcmp(col, "activity") == 0)
			part[2] = parts[k];
		k++;
	}
	grid_screen_push(ui, grid_screen_new(ui, part[0], part[1], part[2], origin));
	record_key_free(parts, n);
}

/* ---- the grid as the stack holds it ---- */

static const char *view_title(void *view)
{
	return grid_screen_title(view);
}

static void view_draw(void *view, int top, int height)
{
	grid_screen_draw(view, top, height);
}

static bool view_key(void *view, bool fn, wint_t wc)
{
	grid_screen_key(view, fn, wc); /* Esc and F1 too: the grid decides */
	return true;
}

static const struct ui_keyinfo *view_keys(void *view, size_t *n)
{
	return grid_screen_keys(view, n);
}

static void view_free(void *view)
{
	grid_screen_free(view);
}

static bool view_paste(void *view, const wchar_t *s, size_t n)
{
	grid_screen_paste(view, s, n);
	return true;
}

static bool view_keep(void *view, struct sgz_err *err)
{
	return grid_screen_keep(view, err);
}

static const struct ui_view_ops grid_view_ops = {
    .title = view_title,
    .draw = view_draw,
    .key = view_key,
    .keys = view_keys,
    .free = view_free,
    .paste = view_paste,
    .keep = view_keep,
};

void grid_screen_push(struct ui *ui, struct grid_screen *gs)
{
	ui_push_view(ui, &grid_view_ops, gs);
}
