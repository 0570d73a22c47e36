/* screen_desk.c - the desk (工作台; spec/work.md, Work screens 1; desk.h).
 *
 * One screen of lines, read when it is opened and again whenever it is
 * shown after a screen above it closed. Every line that counts something
 * opens it, by one mechanism: a line holds either a list of the desk
 * (deskdata.h, enum desk_list, for a station) or a record (a dictionary
 * entity and key). A list opens as the same screen with the list's
 * records as its lines; a record opens in the generic form. So the desk's
 * own lines, "my open cases" and its rows, a station's overdue visits, its
 * staffing, its year's activities, all open what they count.
 *
 * Station users see their own open cases by due date, overdue first
 * (逾期 5 天), then their station's figures; county users the month's
 * progress report, then each station's figures. A user without his own
 * staff record linked is told how to link one, and sees the rest. */
#include "config.h"

#include "sgz/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/deskdata.h"
#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/record.h"
#include "sgz/screens.h"
#include "sgz/util.h"
#include "sgz/width.h"

/* The user's own cases shown on the desk; the rest behind "more". */
#define DESK_CASES_SHOWN 8

enum act {
	ACT_NONE,
	ACT_LIST,
	ACT_RECORD,
};

/* One cell of a row of cells (a county's station): what Enter opens
 * when the cursor is on it (Left/Right move between them). */
struct cell {
	char *text;
	int x, w; /* columns from the line's start */
	enum act act;
	enum desk_list list; /* ACT_LIST, of the line's station */
	char *title;	     /* ACT_LIST: the list's title */
	const char *entity;  /* ACT_RECORD */
	char *key;	     /* ACT_RECORD */
};

#define DESK_CELLS 6

struct line {
	char *text;
	bool heading;
	struct cell cells[DESK_CELLS]; /* a row of cells, or none */
	int ncells;
	enum act act;
	enum desk_list list; /* ACT_LIST */
	char *station;	     /* ACT_LIST: the station, or NULL */
	char *title;	     /* ACT_LIST: the list's title */
	const char *entity;  /* ACT_RECORD */
	char *key;	     /* ACT_RECORD */
};

struct view {
	struct ui *ui;
	bool is_desk;	     /* else one list of the desk */
	enum desk_list list; /* a list: which, of which station */
	char *station;
	char *title;
	struct line *lines;
	size_t n, cap;
	int sel, top, height;
	int cell; /* in a row of cells: which */
	bool stale;
};

static const struct ui_view_ops desk_ops;

/* clang-format off */
static const struct ui_keyinfo desk_keys[] = {
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_DESK_CELL },
	{ "1-6", NULL, M_NONE, M_DO_MENU_ITEM },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_MAIN_MENU, M_DO_BACK },
	{ "q", "q", M_QUIT, M_DO_QUIT },
};

static const struct ui_keyinfo list_keys[] = {
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
};
/* clang-format on */

static void lines_free(struct view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->lines[i].text);
		free(v->lines[i].station);
		free(v->lines[i].title);
		free(v->lines[i].key);
		for (int c = 0; c < v->lines[i].ncells; c++) {
			free(v->lines[i].cells[c].text);
			free(v->lines[i].cells[c].title);
			free(v->lines[i].cells[c].key);
		}
	}
	free(v->lines);
	v->lines = NULL;
	v->n = v->cap = 0;
}

static struct line *add_line(struct view *v, char *text)
{
	struct line *l;

	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 32;
		v->lines = xreallocarray(v->lines, v->cap, sizeof(*v->lines));
	}
	l = &v->lines[v->n++];
	memset(l, 0, sizeof(*l));
	l->text = text;
	return l;
}

static void add_list_line(struct view *v, char *text, enum desk_list list, const char *station,
			  const char *title)
{
	struct line *l = add_line(v, text);

	l->act = ACT_LIST;
	l->list = list;
	l->station = station ? xstrdup(station) : NULL;
	l->title = xstrdup(title);
}

/* s padded with spaces to w columns (cut at w when longer), then a gap. */
static void add_col(struct strbuf *sb, const char *s, int w)
{
	int used = ui_width(s);

	if (used > w) {
		size_t n;
		wchar_t *ws = width_from_utf8(s, &n);
		char *cut = NULL;
		if (ws) {
			size_t k = width_fit(ws, n, w, &used);
			cut = width_to_utf8(ws, k);
		}
		sb_adds(sb, cut ? cut : "");
		if (!cut)
			used = 0;
		free(cut);
		free(ws);
	} else {
		sb_adds(sb, s);
	}
	for (; used < w; used++)
		sb_addc(sb, ' ');
	sb_adds(sb, "  ");
}

/* How far a date is: days late (> 0) or left. */
static char *case_days(long late)
{
	if (late > 0)
		return xasprintf(_("%ld days overdue"), late);
	if (late == 0)
		return xstrdup(_("due today"));
	return xasprintf(_("due in %ld days"), -late);
}

static char *deadline_days(long late)
{
	if (late > 0)
		return xasprintf(_("deadline passed %ld days ago"), late);
	if (late == 0)
		return xstrdup(_("deadline today"));
	return xasprintf(_("deadline in %ld days"), -late);
}

static void label(struct view *v, const char *entity, const char *column, const char *code,
		  struct strbuf *out)
{
	const struct dict_entity *e = dict_find(entity);
	const struct dict_field *f = e ? dict_field_by_header(e, column) : NULL;

	if (f)
		dict_value_label_lang(f, code, ui_zh(v->ui), out);
	else
		sb_adds(out, code);
}

/* ---- the desk's lines ---- */

/* A station user's lines of her station. */
static void station_lines(struct view *v, const struct desk_station *s)
{
	char *title;

	add_line(v, xstrdup(s->name))->heading = true;
	title = xasprintf(_("%s: overdue visits"), s->name);
	add_list_line(v, xasprintf(_("  Overdue visits: %ld"), s->overdue), DESK_OVERDUE, s->code,
		      title);
	free(title);
	title = xasprintf(_("%s: visits due in the next 7 days"), s->name);
	add_list_line(v, xasprintf(_("  Visits due in the next 7 days: %ld"), s->due7), DESK_DUE7,
		      s->code, title);
	free(title);
	title = xasprintf(_("%s: activities without hours"), s->name);
	add_list_line(v,
		      xasprintf(_("  Activities of the last 10 working days without hours: %ld"),
				s->nohours),
		      DESK_NOHOURS, s->code, title);
	free(title);
	title = xasprintf(_("%s: qualification deadlines"), s->name);
	add_list_line(v,
		      xasprintf(_("  Staff past the 2-year qualification deadline: %ld, "
				  "deadline within 90 days: %ld"),
				s->dl_passed, s->dl_soon),
		      DESK_DEADLINE, s->code, title);
	free(title);
}

/* ---- a county's stations: a row of cells each ---- */

/* The cells' widths: the station, overdue visits, staffing, this year's
 * KPIs (met, served, individual %, large, small, trainings: 2 columns
 * apart), evaluations due, each with a gap of 2: 78 columns in all after
 * the margin's one. Staffing is as wide as "不足 12/12 3/3" (ok or low,
 * staff against the requirement, qualified against it). */
enum { W_NAME = 10, W_OVERDUE = 4, W_STAFF = 13, W_MEETS = 7, W_FIG = 4, W_EVAL = 6 };
#define W_KPI (W_MEETS + 5 * (W_FIG + 2))

static void add_cell(struct line *l, struct strbuf *t, char *text, int w, enum act act)
{
	struct cell *c = &l->cells[l->ncells++];
	struct strbuf one = {0};

	c->x = ui_width(sb_str(t));
	c->w = w;
	c->act = act;
	add_col(&one, text, w);
	sb_adds(t, sb_str(&one));
	/* what is drawn over it when it is selected: without the gap */
	c->text = xstrndup(sb_str(&one), one.len - 2);
	sb_free(&one);
	free(text);
}

static void cell_list(struct line *l, enum desk_list list, char *title)
{
	struct cell *c = &l->cells[l->ncells - 1];

	c->list = list;
	c->title = title;
}

/* The headings over the stations' cells, the KPIs' figures each named. */
static void county_heading(struct view *v)
{
	struct strbuf t = {0};

	add_col(&t, _("Station"), W_NAME);
	add_col(&t, _("Late"), W_OVERDUE);
	add_col(&t, _("Staffing"), W_STAFF);
	add_col(&t, _("KPIs"), W_MEETS);
	add_col(&t, _("Srv."), W_FIG);
	add_col(&t, _("Ind."), W_FIG);
	add_col(&t, _("Lrg."), W_FIG);
	add_col(&t, _("Sml."), W_FIG);
	add_col(&t, _("Trn."), W_FIG);
	add_col(&t, _("Evals"), W_EVAL);
	add_line(v, sb_detach(&t))->heading = true;
}

/* One station of a county as one row: its name opens its page, each
 * figure the records it counts. */
static void county_row(struct view *v, const struct desk_station *s)
{
	struct strbuf t = {0}, k = {0};
	struct line *l = add_line(v, NULL);
	const struct dict_entity *st = dict_find("stations");

	l->act = ACT_LIST; /* selectable; the cell says what opens */
	l->station = xstrdup(s->code);
	add_cell(l, &t, xstrdup(s->name), W_NAME, ACT_RECORD);
	if (st) {
		const char **values = xcalloc(st->nfields + 1, sizeof(*values));
		for (size_t i = 0; i < st->nfields; i++)
			if (st->fields[i].flags & DF_KEY) {
				values[i] = s->code;
				break;
			}
		l->cells[0].entity = "stations";
		l->cells[0].key = record_key_encode(st, values);
		free(values);
	}
	add_cell(l, &t, xasprintf("%ld", s->overdue), W_OVERDUE, ACT_LIST);
	cell_list(l, DESK_OVERDUE, xasprintf(_("%s: overdue visits"), s->name));
	/* staffing against the contract's requirement (report_staffing) */
	if (*s->compliant)
		sb_addf(&k, "%s %s/%s %s/%s",
			strcmp(s->compliant, "yes") == 0 ? _("ok") : _("low"), s->staff,
			*s->req_staff ? s->req_staff : "-", s->qualified,
			*s->req_qualified ? s->req_qualified : "-");
	else
		sb_addf(&k, "%s %s %s", _("none"), s->staff, s->qualified);
	add_cell(l, &t, sb_detach(&k), W_STAFF, ACT_LIST);
	cell_list(l, DESK_STAFF, xasprintf(_("%s: staff"), s->name));
	/* this year's KPIs against the targets (report_kpi, the settings) */
	{
		struct strbuf one = {0};
		char pct[32];
		if (*s->individual_pct)
			snprintf(pct, sizeof(pct), "%.0f%%", strtod(s->individual_pct, NULL));
		else
			snprintf(pct, sizeof(pct), "-");
		add_col(&one, strcmp(s->meets, "yes") == 0 ? _("met") : _("not met"), W_MEETS);
		add_col(&one, s->served, W_FIG);
		add_col(&one, pct, W_FIG);
		add_col(&one, s->large, W_FIG);
		add_col(&one, s->small, W_FIG);
		add_col(&one, s->trainings, W_FIG);
		one.len -= 2; /* the last gap is the cell's */
		add_cell(l, &t, xstrndup(sb_str(&one), one.len), W_KPI, ACT_LIST);
		sb_free(&one);
	}
	cell_list(l, DESK_KPI, xasprintf(_("%s: activities of the year"), s->name));
	add_cell(l, &t, xasprintf("%ld", s->eval_due), W_EVAL, ACT_LIST);
	cell_list(l, DESK_EVAL, xasprintf(_("%s: evaluations due"), s->name));
	l->text = sb_detach(&t);
}

static void progress_line(struct view *v, const struct desk *d)
{
	int y = 0, m = 0, day = 0, due = d->due_day > 0 ? d->due_day : 26;
	long left;

	/* the monthly progress report is due by the setting's day (26th:
	 * 003 §5(1)); programmes.md */
	if (sscanf(d->today, "%d-%d-%d", &y, &m, &day) != 3)
		return;
	left = due - day;
	add_line(v, left >= 0 ? xasprintf(_("Progress report of %04d-%02d: due on day %d, %ld days "
					    "left (reports, monthly progress)"),
					  y, m, due, left)
			      : xasprintf(_("Progress report of %04d-%02d: day %d has passed "
					    "(reports, monthly progress)"),
					  y, m, due));
	if (!d->kind || strcmp(d->kind, "county") != 0)
		return; /* submitted by counties: a wider scope reads the submissions report */
	char *now = d->sub_this ? xasprintf(_("this month's submitted on %s"), d->sub_this)
				: xstrdup(_("this month's not submitted yet"));
	char *last = d->sub_last ? xasprintf(_("last month's submitted on %s"), d->sub_last)
				 : xstrdup(_("last month's not submitted"));
	/* TRANSLATORS: the desk: this month's report, then last month's */
	add_line(v, xasprintf(_("  %s; %s"), now, last));
	free(now);
	free(last);
}

static void desk_lines(struct view *v, const struct desk *d)
{
	/* all but station users oversee stations: the county's lines */
	bool county = !(d->kind && strcmp(d->kind, "station") == 0);

	free(v->title);
	v->title = *d->scope_name ? xasprintf("%s  %s", _("Desk"), d->scope_name)
				  : xstrdup(_("Desk"));
	if (d->linked) {
		long overdue = 0;
		for (size_t i = 0; i < d->ncases; i++)
			overdue += d->cases[i].late > 0;
		add_list_line(v,
			      xasprintf(_("My open cases (%s): %zu, overdue %ld"), d->me, d->ncases,
					overdue),
			      DESK_MY_CASES, NULL, _("My open cases"));
		v->lines[v->n - 1].heading = true;
		for (size_t i = 0; i < d->ncases && i < DESK_CASES_SHOWN; i++) {
			const struct desk_case *c = &d->cases[i];
			struct strbuf t = {0};
			char *days = case_days(c->late);
			sb_adds(&t, "  ");
			add_col(&t, c->case_no, 19);
			add_col(&t, c->recipient, 10);
			add_col(&t, c->due, 10);
			sb_adds(&t, days);
			free(days);
			struct line *l = add_line(v, sb_detach(&t));
			l->act = ACT_RECORD;
			l->entity = "cases";
			const char *vals[1] = {c->case_no};
			const struct dict_entity *e = dict_find("cases");
			const char **values = xcalloc(e->nfields + 1, sizeof(*values));
			for (size_t k = 0; k < e->nfields; k++)
				if (e->fields[k].flags & DF_KEY) {
					values[k] = vals[0];
					break;
				}
			l->key = record_key_encode(e, values);
			free(values);
		}
		if (d->ncases > DESK_CASES_SHOWN)
			add_list_line(v,
				      xasprintf(_("  ... %zu more"), d->ncases - DESK_CASES_SHOWN),
				      DESK_MY_CASES, NULL, _("My open cases"));
	} else if (!county) {
		/* her own cases are the desk's first lines: one line says why
		 * there are none, and how to have them */
		add_line(v, xstrdup(_("No staff record linked to your login: sgz user add ROLE ... "
				      "--staff ID_NUMBER")));
	}
	if (county) {
		progress_line(v, d);
		/* the targets once, each station's KPIs against them below */
		add_line(v, xasprintf(_("Targets of the year: served %s, individual %s%%, large "
					"events %s, small %s, trainings %s"),
				      d->t_served, d->t_individual, d->t_large, d->t_small,
				      d->t_trainings));
		if (d->nst > 0)
			county_heading(v);
	}
	for (size_t i = 0; i < d->nst; i++) {
		if (county)
			county_row(v, &d->st[i]);
		else
			station_lines(v, &d->st[i]);
	}
	if (d->nst == 0)
		add_line(v, xstrdup(_("No station in your scope.")));
	if (county && !d->linked)
		/* under the stations: a county officer rarely keeps cases */
		add_line(v, xstrdup(_("No staff record linked to your login: sgz user add ROLE ... "
				      "--staff ID_NUMBER")));
}

/* ---- a list's lines ---- */

/* The headings of a list's columns, by the dictionary's labels: entity's
 * column (or "entity.column" of another) in w columns each; NULL ends. */
static void headings(struct view *v, const char *entity, const char *const *cols, const int *w)
{
	struct strbuf t = {0};

	for (size_t i = 0; cols[i]; i++) {
		const char *dot = strchr(cols[i], '.');
		char *ent = dot ? xstrndup(cols[i], (size_t)(dot - cols[i])) : xstrdup(entity);
		const struct dict_entity *e = dict_find(ent);
		const struct dict_field *f = e ? dict_field_by_header(e, dot ? dot + 1 : cols[i]) : NULL;
		add_col(&t, f ? ui_field_label(v->ui, f) : "", w[i]);
		free(ent);
	}
	add_line(v, sb_detach(&t))->heading = true;
}

static void item_headings(struct view *v, const char *entity)
{
	static const char *const cases[] = {"case_no", "recipient", "worker", "visits.next_due",
					    NULL};
	static const int cases_w[] = {19, 10, 8, 10};
	static const char *const activities[] = {"date", "kind", "title", NULL};
	static const int activities_w[] = {10, 8, 40};
	static const char *const staff[] = {"name", "id_number", "role", "qualify_by", NULL};
	static const int staff_w[] = {8, 18, 8, 10};
	static const char *const contracts[] = {"contract_no", "organization", "ends_on", NULL};
	static const int contracts_w[] = {16, 20, 10};

	if (strcmp(entity, "cases") == 0)
		headings(v, entity, cases, cases_w);
	else if (strcmp(entity, "activities") == 0)
		headings(v, entity, activities, activities_w);
	else if (strcmp(entity, "staff") == 0)
		headings(v, entity, staff, staff_w);
	else
		headings(v, "contracts", contracts, contracts_w);
}

static void item_lines(struct view *v, const struct desk_item *items, size_t n)
{
	if (n > 0)
		item_headings(v, items[0].entity);
	for (size_t i = 0; i < n; i++) {
		const struct desk_item *it = &items[i];
		struct strbuf t = {0};
		char *days = NULL;

		if (strcmp(it->entity, "cases") == 0) {
			add_col(&t, it->cells[0], 19);
			add_col(&t, it->cells[1], 10);
			add_col(&t, it->cells[2], 8);
			add_col(&t, it->cells[3], 10);
			days = case_days(it->days);
		} else if (strcmp(it->entity, "activities") == 0) {
			struct strbuf k = {0};
			add_col(&t, it->cells[0], 10);
			label(v, "activities", "kind", it->cells[2], &k);
			add_col(&t, sb_str(&k), 8);
			sb_free(&k);
			sb_adds(&t, it->cells[1]);
		} else if (strcmp(it->entity, "staff") == 0) {
			struct strbuf k = {0};
			add_col(&t, it->cells[0], 8);
			add_col(&t, it->cells[1], 18);
			label(v, "staff", "role", it->cells[2], &k);
			add_col(&t, sb_str(&k), 8);
			sb_free(&k);
			add_col(&t, *it->cells[3] ? it->cells[3] : "", 10);
			days = it->has_days ? deadline_days(it->days) : xstrdup(_("qualified"));
		} else {
			add_col(&t, it->cells[0], 16);
			add_col(&t, it->cells[1], 20);
			add_col(&t, it->cells[3], 10);
			days = it->days > 0 ? xasprintf(_("ended %ld days ago"), it->days)
					    : xasprintf(_("ends in %ld days"), -it->days);
		}
		if (days)
			sb_adds(&t, days);
		free(days);
		struct line *l = add_line(v, sb_detach(&t));
		l->act = ACT_RECORD;
		l->entity = it->entity;
		l->key = xstrdup(it->key);
	}
	if (n == 0)
		add_line(v, xstrdup(ui_tr(v->ui, M_NO_ROWS)));
}

/* ---- reading ---- */

static bool selectable(const struct line *l)
{
	return l->act != ACT_NONE;
}

static void select_first(struct view *v)
{
	v->sel = 0;
	while ((size_t)v->sel < v->n && !selectable(&v->lines[v->sel]))
		v->sel++;
	if ((size_t)v->sel >= v->n)
		v->sel = 0;
}

/* Reads the view again; the selection stays where it was when it can. */
static int reload(struct view *v, struct desk *keep, bool scoped)
{
	struct sgz_err err;
	int sel = v->sel;
	int rc = 0;

	sgz_err_clear(&err);
	lines_free(v);
	if (v->is_desk) {
		struct desk d;
		/* the counts are read where reports run (a hot standby); a
		 * standby lost is dropped and the primary asked */
		struct db *db = ui_report_db(v->ui);
		int loaded = desk_load(db, &d, scoped, &err);
		if (loaded < 0 && ui_report_db_failed(v->ui, db, &err)) {
			sgz_err_clear(&err);
			loaded = desk_load(ui_report_db(v->ui), &d, scoped, &err);
		}
		if (loaded < 0) {
			add_line(v, xstrdup(_("The desk could not be read.")));
			ui_say_error(v->ui, &err);
			rc = -1;
		} else {
			desk_lines(v, &d);
			if (keep)
				*keep = d;
			else
				desk_free(&d);
		}
	} else {
		struct desk_item *items;
		size_t n;
		if (desk_items(ui_db(v->ui), v->list, v->station, &items, &n, &err) < 0) {
			add_line(v, xstrdup(_("The list could not be read.")));
			ui_say_error(v->ui, &err);
			rc = -1;
		} else {
			item_lines(v, items, n);
			desk_items_free(items, n);
		}
	}
	if (sel > 0 && (size_t)sel < v->n && selectable(&v->lines[sel]))
		v->sel = sel;
	else
		select_first(v);
	ui_redraw(v->ui);
	return rc;
}

/* ---- the screen ---- */

static const char *v_title(void *view)
{
	struct view *v = view;

	return v->title ? v->title : _("Desk");
}

static int cell_of(const struct view *v, const struct line *l);

static void v_draw(void *view, int top, int height)
{
	struct view *v = view;
	attr_t sel = ui_selected_attr(v->ui);

	if (v->stale) {
		v->stale = false;
		reload(v, NULL, false);
	}
	ui_put(top, 1, COLS - 2, v_title(v), A_BOLD, false);
	top += 2;
	height -= 2;
	if (height < 1)
		return;
	v->height = height;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + height)
		v->top = v->sel - height + 1;
	for (int i = 0; i < height && (size_t)(v->top + i) < v->n; i++) {
		const struct line *l = &v->lines[v->top + i];
		bool on = v->top + i == v->sel && selectable(l);
		if (l->ncells) {
			/* a row of cells: the bar under the selected one */
			ui_put(top + i, 1, COLS - 2, l->text, A_NORMAL, false);
			if (on) {
				const struct cell *c = &l->cells[cell_of(v, l)];
				if (1 + c->x < COLS - 1)
					ui_put(top + i, 1 + c->x, COLS - 2 - c->x, c->text, sel,
					       false);
			}
			continue;
		}
		/* the bar under the text only: a move rewrites two short runs */
		ui_put(top + i, 1, COLS - 2, l->text,
		       on ? sel : l->heading ? A_BOLD : A_NORMAL, false);
	}
}

/* The selected cell of l: the view's, within l's. */
static int cell_of(const struct view *v, const struct line *l)
{
	if (v->cell < 0)
		return 0;
	return v->cell < l->ncells ? v->cell : l->ncells - 1;
}

static void move_sel(struct view *v, int by)
{
	int i = v->sel, last = v->sel;
	int step = by > 0 ? 1 : -1;

	for (int k = 0; k != by; k += step) {
		int j = i + step;
		while (j >= 0 && (size_t)j < v->n && !selectable(&v->lines[j]))
			j += step;
		if (j < 0 || (size_t)j >= v->n)
			break;
		i = last = j;
	}
	if (last != v->sel) {
		v->sel = last;
		ui_redraw(v->ui);
	}
}

static void open_list(struct view *v, const struct line *l);
static void open_list_of(struct view *v, enum desk_list list, const char *station,
			 const char *title);

/* The record of entity with key in its module's screen (the case file for
 * a case, the station page) or its form; said there when it is gone. */
static void open_key(struct view *v, const char *entity, const char *key)
{
	const struct dict_entity *e = dict_find(entity);

	if (!e)
		return;
	/* read again when shown after it */
	v->stale = true;
	form_screen_open(v->ui, e, key, NULL);
}

static void open_record(struct view *v, const struct line *l)
{
	open_key(v, l->entity, l->key);
}

static bool v_key(void *view, bool fn, wint_t wc)
{
	struct view *v = view;

	if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		move_sel(v, 1);
	} else if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		move_sel(v, -1);
	} else if (fn && wc == KEY_NPAGE) {
		move_sel(v, v->height > 1 ? v->height - 1 : 1);
	} else if (fn && wc == KEY_PPAGE) {
		move_sel(v, v->height > 1 ? -(v->height - 1) : -1);
	} else if (fn && wc == KEY_HOME) {
		select_first(v);
		v->top = 0;
		ui_redraw(v->ui);
	} else if (fn && wc == KEY_END) {
		move_sel(v, (int)v->n);
	} else if (fn && (wc == KEY_LEFT || wc == KEY_RIGHT) && (size_t)v->sel < v->n &&
		   v->lines[v->sel].ncells) {
		const struct line *l = &v->lines[v->sel];
		int c = cell_of(v, l) + (wc == KEY_RIGHT ? 1 : -1);
		if (c >= 0 && c < l->ncells)
			v->cell = c;
		ui_redraw(v->ui);
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		if ((size_t)v->sel < v->n && v->lines[v->sel].ncells) {
			const struct cell *c = &v->lines[v->sel].cells[cell_of(v, &v->lines[v->sel])];
			if (c->act == ACT_LIST)
				open_list_of(v, c->list, v->lines[v->sel].station, c->title);
			else if (c->act == ACT_RECORD && c->entity)
				open_key(v, c->entity, c->key);
		} else if ((size_t)v->sel < v->n) {
			const struct line *l = &v->lines[v->sel];
			if (l->act == ACT_LIST)
				open_list(v, l);
			else if (l->act == ACT_RECORD)
				open_record(v, l);
		}
	} else {
		return false;
	}
	return true;
}

static const struct ui_keyinfo *v_keys(void *view, size_t *n)
{
	struct view *v = view;

	if (v->is_desk) {
		*n = SGZ_ARRAY_LEN(desk_keys);
		return desk_keys;
	}
	*n = SGZ_ARRAY_LEN(list_keys);
	return list_keys;
}

static void v_free(void *view)
{
	struct view *v = view;

	lines_free(v);
	free(v->station);
	free(v->title);
	free(v);
}

static const struct ui_view_ops desk_ops = {
    .title = v_title,
    .draw = v_draw,
    .key = v_key,
    .keys = v_keys,
    .free = v_free,
};

static void open_list(struct view *v, const struct line *l)
{
	open_list_of(v, l->list, l->station, l->title);
}

static void open_list_of(struct view *v, enum desk_list list, const char *station,
			 const char *title)
{
	struct view *w = xcalloc(1, sizeof(*w));

	w->ui = v->ui;
	w->list = list;
	w->station = station ? xstrdup(station) : NULL;
	w->title = xstrdup(title);
	/* the figures may change behind the list: read again when shown */
	v->stale = true;
	reload(w, NULL, false);
	ui_push_view(v->ui, &desk_ops, w);
}

bool desk_screen_open(struct ui *ui, bool start)
{
	struct view *v = xcalloc(1, sizeof(*v));
	struct desk d;

	memset(&d, 0, sizeof(d));
	v->ui = ui;
	v->is_desk = true;
	if (reload(v, &d, start) == 0 && start &&
	    !(d.kind && (strcmp(d.kind, "station") == 0 || strcmp(d.kind, "county") == 0))) {
		desk_free(&d);
		v_free(v);
		return false;
	}
	desk_free(&d);
	ui_push_view(ui, &desk_ops, v);
	return true;
}

bool desk_screen_is(const struct ui_view_ops *ops)
{
	return ops == &desk_ops;
}
