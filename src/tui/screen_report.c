/* screen_report.c - main menu item 5, the reports of spec/csv.md. Two
 * screens: the choice of a report, chosen like a menu, with its parameters
 * (scope, year, month, and the plan's level of its rows, --by) edited in
 * place; and the report run, shown as
 * report_write_text() lays it out for `sgz report --format text`, its
 * column names kept at the top and its Total row under the rows shown,
 * scrollable both ways, exportable as the CSV of `sgz report --format
 * csv`. The figures are the database's (report.h): a county user's cover
 * his county alone, by row-level security, and a scope outside his own is
 * refused there. */
#include "config.h"

#include "sgz/screens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/record.h"
#include "sgz/report.h"
#include "sgz/submit.h"
#include "sgz/width.h"

/* What the choice calls each report, in the interface's language, and what
 * it counts: report.c's names are the command line's. */
static const struct {
	const char *name;
	const char *title;
	const char *about;
} report_texts[] = {
    {"coverage", N_("Coverage"), N_("stations and service points per county")},
    {"staffing", N_("Staffing"), N_("social-work staff per station")},
    {"hours", N_("Volunteer hours"), N_("hours and star level per volunteer")},
    {"stars", N_("Volunteer stars"), N_("volunteers and their star levels per station")},
    {"caseload", N_("Caseload"), N_("open cases and visits per social worker")},
    {"kpi", N_("Station indicators"), N_("the yearly indicators per station")},
    {"contracts", N_("Contracts"), N_("purchased services per contract year")},
    {"progress", N_("Monthly progress"), N_("the monthly progress per county")},
    {"community", N_("Community organisations"), N_("organisations per community against the target")},
    {"training", N_("Training and supervision"), N_("trainings and supervisions per staff member")},
    {"plan", N_("Plan"), N_("the plan's targets per county: stations, staff, coverage, volunteers")},
    {"funds", N_("Funds"), N_("each contract year's money: per station, paid and unpaid")},
    {"submissions", N_("Submissions"), N_("each county's monthly report: on time, late or missing")},
    {"evaluation", N_("Evaluation scores"), N_("each scored indicator of the year's evaluations")},
};

static const char *report_title(const char *name)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(report_texts); i++)
		if (strcmp(report_texts[i].name, name) == 0)
			return _(report_texts[i].title);
	return name; /* a report newer than this table: its name will do */
}

static const char *report_about(const char *name)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(report_texts); i++)
		if (strcmp(report_texts[i].name, name) == 0)
			return _(report_texts[i].about);
	return "";
}

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* ==== the report run ==== */

/* clang-format off */
static const struct ui_keyinfo result_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_COUNTED },
	{ "e", "e", M_EXPORT, M_DO_EXPORT },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* The monthly progress: s submits the selected county's month. */
static const struct ui_keyinfo progress_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_COUNTED },
	{ "s", "s", M_SUBMIT, M_DO_SUBMIT },
	{ "e", "e", M_EXPORT, M_DO_EXPORT },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo export_keys[] = {
	{ "Enter", "Enter", M_EXPORT, M_DO_EXPORT },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};
/* clang-format on */

struct result {
	struct ui *ui;
	const char *name;
	struct report_result *r;
	char *text;    /* report_write_text()'s, each line ending in a NUL */
	size_t *lines; /* where each line starts in text */
	size_t nlines;
	long nrows; /* the lines of rows, after REPORT_TEXT_HEAD */
	int tail;   /* the lines after them: the rule and the Total row, the count */
	int note;   /* 1 when the line under the title says a standby lags */
	int *stops; /* the column where each report column starts */
	size_t nstops;
	int widest;	/* columns of the widest line */
	int hscroll;	/* columns scrolled off after the frozen first column */
	long top, sel;	/* the first row shown, the row selected */
	int rows;	/* rows of the report shown at the last draw */
	bool exporting; /* typing the file to export to */
	struct lineedit *input;
};

static const char *line_at(const struct result *v, size_t i)
{
	return i < v->nlines ? v->text + v->lines[i] : "";
}

static const char *row_line(const struct result *v, long row)
{
	return line_at(v, REPORT_TEXT_HEAD + (size_t)row);
}

/* The report's text in lines; the rule under the column names tells where
 * each column starts (runs of dashes, two spaces apart). */
static void result_lay_out(struct result *v)
{
	size_t size = 0, cap = 16;
	FILE *f = open_memstream(&v->text, &size);

	if (!f || report_write_text(v->r, f) < 0 || fclose(f) != 0)
		sgz_fatal("report: cannot lay the report out in memory");
	v->lines = xcalloc(cap, sizeof(*v->lines));
	for (size_t at = 0; at < size;) {
		char *nl = memchr(v->text + at, '\n', size - at);
		if (v->nlines == cap) {
			cap *= 2;
			v->lines = xreallocarray(v->lines, cap, sizeof(*v->lines));
		}
		v->lines[v->nlines++] = at;
		if (!nl)
			break;
		*nl = '\0';
		at = (size_t)(nl - v->text) + 1;
	}
	v->tail = report_text_tail(v->r);
	v->note = line_at(v, 1)[0] ? 1 : 0;
	v->nrows = (long)v->nlines - REPORT_TEXT_HEAD - v->tail;
	if (v->nrows < 0)
		v->nrows = 0;
	for (size_t i = 0; i < v->nlines; i++) {
		int w = width_utf8(line_at(v, i));
		if (w > v->widest)
			v->widest = w;
	}
	/* the rule is ASCII: bytes are columns */
	const char *rule = line_at(v, REPORT_TEXT_HEAD - 1);
	v->stops = xcalloc(strlen(rule) + 1, sizeof(*v->stops));
	for (int c = 0; rule[c]; c++)
		if (rule[c] == '-' && (c == 0 || rule[c - 1] != '-'))
			v->stops[v->nstops++] = c;
}

static void result_free(void *view)
{
	struct result *v = view;

	if (!v)
		return;
	report_result_free(v->r);
	lineedit_free(v->input);
	free(v->text);
	free(v->lines);
	free(v->stops);
	free(v);
}

static const char *result_title(void *view)
{
	const struct result *v = view;

	return report_title(v->name);
}

static bool is_progress(const struct result *v)
{
	return strcmp(v->name, "progress") == 0;
}

static const struct ui_keyinfo *result_keys_fn(void *view, size_t *n)
{
	if (is_progress(view)) {
		*n = SGZ_ARRAY_LEN(progress_keys);
		return progress_keys;
	}
	*n = SGZ_ARRAY_LEN(result_keys);
	return result_keys;
}

static const struct ui_keyinfo *result_status_keys(void *view, size_t *n)
{
	const struct result *v = view;

	if (v->exporting) {
		*n = SGZ_ARRAY_LEN(export_keys);
		return export_keys;
	}
	return result_keys_fn(view, n);
}

/* Columns of the first report column and the gap after it: they stay put
 * when the rest scrolls right, so a row keeps its name. None when that
 * would leave too little room for the rest. */
static int frozen_cols(const struct result *v)
{
	int f = v->nstops > 1 ? v->stops[1] : 0;

	return f <= COLS / 2 ? f : 0;
}

static int max_hscroll(const struct result *v)
{
	return v->widest > COLS ? v->widest - COLS : 0;
}

/* Draws columns [from, from + width) of UTF-8 s at (y, x) in attr; a
 * double-width character cut by either edge shows as a space. With fill
 * the rest of width is padded, so that a highlight has one width. */
static void put_cols(int y, int x, const char *s, int from, int width, attr_t attr, bool fill)
{
	size_t n, i, k = 0;
	wchar_t *ws = width_from_utf8(s, &n);
	wchar_t *out = xcalloc((size_t)(width > 0 ? width : 0) + n + 1, sizeof(*out));
	int col = 0, used = 0;

	for (i = 0; i < n && used < width; i++) {
		wchar_t wc = ws[i];
		int w = width_wchar(wc);
		if (wcwidth(wc) < 0)
			wc = L'?'; /* never a control character on the terminal */
		if (col + w <= from) {
			col += w; /* left of the window */
			continue;
		}
		if (col < from) {
			/* cut by the left edge */
			for (int c = from; c < col + w && used < width; c++, used++)
				out[k++] = L' ';
		} else if (used + w > width) {
			break; /* cut by the right edge: padded below */
		} else {
			out[k++] = wc;
			used += w;
		}
		col += w;
	}
	if (fill || (i < n && used < width))
		for (; used < width; used++)
			out[k++] = L' ';
	wattrset(stdscr, (int)attr);
	if (k)
		mvwaddnwstr(stdscr, y, x, out, (int)k);
	wattrset(stdscr, A_NORMAL);
	free(out);
	free(ws);
}

/* One line of the report: the frozen first column, then the rest from the
 * horizontal scroll on; the selected row's first column highlighted (two
 * short runs change when the selection moves, spec/bench.md). */
static void draw_report_line(const struct result *v, int y, const char *s, attr_t attr, bool sel)
{
	int f = frozen_cols(v);

	if (f > 0) {
		put_cols(y, 0, s, 0, f - 2, sel ? ui_selected_attr(v->ui) : attr, sel);
		put_cols(y, f, s, f + v->hscroll, COLS - f, attr, false);
	} else {
		put_cols(y, 0, s, v->hscroll, COLS, sel ? ui_selected_attr(v->ui) : attr, sel);
	}
}

/* The lines of the Total row and the rule above it, kept under the rows. */
static int total_lines(const struct result *v)
{
	return v->tail > 1 ? v->tail - 1 : 0;
}

static int rows_for(const struct result *v, int height)
{
	/* the title, the standby's lag, the column names, the rule, the
	 * total, the bottom line */
	int n = height - 4 - v->note - total_lines(v);

	return n > 1 ? n : 1;
}

/* Keeps the selection on the screen, the screen within the rows. */
static void result_clamp(struct result *v)
{
	long maxtop = v->nrows > v->rows ? v->nrows - v->rows : 0;

	if (v->sel >= v->nrows)
		v->sel = v->nrows - 1;
	if (v->sel < 0)
		v->sel = 0;
	if (v->top > v->sel)
		v->top = v->sel;
	if (v->sel >= v->top + v->rows)
		v->top = v->sel - v->rows + 1;
	if (v->top > maxtop)
		v->top = maxtop;
	if (v->top < 0)
		v->top = 0;
	if (v->hscroll > max_hscroll(v))
		v->hscroll = max_hscroll(v);
}

static void result_draw(void *view, int top, int height)
{
	struct result *v = view;
	struct strbuf count = {0};
	long nrows = v->nrows;
	int cw;

	v->rows = rows_for(v, height);
	result_clamp(v);
	/* curses finds the rows again when the report scrolls by one and
	 * moves them on the terminal instead of writing them */
	idlok(stdscr, TRUE);
	/* TRANSLATORS: the rows of a report, right of its title. */
	sb_addf(&count, ngettext("%ld row", "%ld rows", (unsigned long)nrows), nrows);
	cw = ui_width(sb_str(&count));
	ui_put(top, COLS - 1 - cw, cw, sb_str(&count), A_NORMAL, false);
	ui_put(top, 1, COLS - cw - 4, line_at(v, 0), A_BOLD, false);
	sb_free(&count);
	/* a standby's lag under the title, whatever is scrolled */
	if (v->note)
		ui_put(top + 1, 1, COLS - 2, line_at(v, 1), A_BOLD, false);
	top += v->note;
	draw_report_line(v, top + 1, line_at(v, REPORT_TEXT_HEAD - 2), A_BOLD, false);
	draw_report_line(v, top + 2, line_at(v, REPORT_TEXT_HEAD - 1), A_NORMAL, false);
	int i;
	for (i = 0; i < v->rows && v->top + i < v->nrows; i++)
		draw_report_line(v, top + 3 + i, row_line(v, v->top + i), A_NORMAL,
				 v->top + i == v->sel);
	/* the Total row right under the last row shown: on the screen
	 * whatever is scrolled */
	for (int k = 0; k < total_lines(v) && v->nrows > 0; k++)
		draw_report_line(v, top + 3 + i + k, row_line(v, v->nrows + k),
				 k == total_lines(v) - 1 ? A_BOLD : A_NORMAL, false);
	if (v->nrows == 0)
		ui_put(top + 3, 1, COLS - 2, ui_tr(v->ui, M_NO_ROWS), A_NORMAL, false);
	if (v->exporting) {
		int y = top - v->note + height - 1;
		int x = 1 + ui_put(y, 1, COLS - 2, ui_tr(v->ui, M_EXPORT_PROMPT), A_BOLD, false);
		int w = COLS - x - 2;
		if (lineedit_width(v->input) != w)
			lineedit_set_width(v->input, w);
		lineedit_draw(stdscr, y, x, v->input, A_NORMAL, L'_', true);
		ui_cursor(v->ui, y, x + lineedit_cursor_col(v->input));
	}
}

/* e: the file offered is named for the report, its scope and its day. */
static void start_export(struct result *v)
{
	const char *scope = report_result_scope(v->r);
	char day[16], *name;
	size_t k = 0;

	for (const char *p = report_result_as_of(v->r); *p && k + 1 < sizeof(day); p++)
		if (*p != '-')
			day[k++] = *p;
	day[k] = '\0';
	name = xasprintf("%s-%s%s%s.csv", v->name, scope, *scope ? "-" : "", day);
	lineedit_set_utf8(v->input, name);
	free(name);
	v->exporting = true;
}

static int write_export(void *ctx, FILE *out, long *rows, struct sgz_err *err)
{
	struct result *v = ctx;

	if (report_write_csv(v->r, false, out) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "write failed: %s", strerror(errno));
		return -1;
	}
	*rows = report_result_rows(v->r);
	return 0;
}

/* Enter on the file name: the CSV of `sgz report --format csv -o FILE`
 * into the export directory (ui_export()). */
static void do_export(struct result *v)
{
	char *name = lineedit_get_utf8(v->input);

	ui_export(v->ui, name, write_export, v);
	free(name);
}

/* The first column a Right shows: the next report column's, or as far as
 * the widest line needs. */
static int next_stop(const struct result *v, int dir)
{
	int f = frozen_cols(v), max = max_hscroll(v), h = v->hscroll;

	if (dir > 0) {
		for (size_t i = 0; i < v->nstops; i++)
			if (v->stops[i] - f > h)
				return v->stops[i] - f < max ? v->stops[i] - f : max;
		return max;
	}
	for (size_t i = v->nstops; i-- > 0;)
		if (v->stops[i] - f < h && v->stops[i] - f >= 0)
			return v->stops[i] - f;
	return 0;
}

/* Enter: what the selected row counts (report_opens()): a record by
 * the key the row gives, through the generic form (a station: its page),
 * or the entity's list restricted to the rows of the figure. */
static void open_row(struct result *v)
{
	const struct report_open *o = report_opens(report_result_def(v->r));
	const struct dict_entity *e = o->entity ? dict_find(o->entity) : NULL;
	const char *args[REPORT_OPEN_ARGS] = {0};
	int n = 0;

	if (v->sel < 0 || v->sel >= report_result_rows(v->r))
		return; /* no rows */
	if (!e) {
		ui_say(v->ui, ui_tr(v->ui, M_NOTHING_TO_OPEN));
		return;
	}
	if (o->key[0]) {
		const char **values = xcalloc(e->nfields + 1, sizeof(*values));
		size_t k = 0;
		for (size_t i = 0; i < e->nfields && k < REPORT_OPEN_ARGS && o->key[k]; i++)
			if (e->fields[i].flags & DF_KEY)
				values[i] = report_result_cell(v->r, v->sel, o->key[k++]);
		bool whole = k > 0;
		for (size_t i = 0; i < e->nfields; i++)
			if ((e->fields[i].flags & DF_KEY) && !values[i])
				whole = false;
		if (!whole) {
			free(values);
			ui_say(v->ui, ui_tr(v->ui, M_NOTHING_TO_OPEN));
			return;
		}
		char *key = record_key_encode(e, values);
		free(values);
		form_screen_open(v->ui, e, key, NULL);
		free(key);
		return;
	}
	for (; n < REPORT_OPEN_ARGS && o->args[n]; n++) {
		args[n] = strcmp(o->args[n], "@as_of") == 0
			      ? report_result_as_of(v->r)
			      : report_result_cell(v->r, v->sel, o->args[n]);
		if (!args[n]) {
			ui_say(v->ui, ui_tr(v->ui, M_NOTHING_TO_OPEN));
			return;
		}
	}
	struct strbuf title = {0};
	const char *label = o->label ? report_result_cell(v->r, v->sel, o->label) : NULL;
	sb_adds(&title, ui_entity_label(v->ui, e));
	if (label)
		sb_addf(&title, " %s", label);
	if (o->what_zh)
		sb_addf(&title, " %s", ui_zh(v->ui) ? o->what_zh : o->what_en);
	struct list_screen *ls = list_screen_new_where(v->ui, e, o->where, args, n, sb_str(&title));
	if (ls)
		list_screen_push(v->ui, ls);
	sb_free(&title);
}

/* The county and month s submits: the selected row's county, the
 * report's month. */
struct submission {
	char county[16], month[8];
};

static void on_submit_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct submission *sub = ctx;
	struct submit_result sr;
	struct sgz_err err;
	struct strbuf m = {0};

	if (answer != 'y') {
		free(sub);
		return;
	}
	sgz_err_clear(&err);
	if (submit_progress(ui_db(ui), sub->county, sub->month, &sr, &err) < 0) {
		ui_say_error(ui, &err); /* not due yet: the database names the due date */
		free(sub);
		return;
	}
	if (sr.late)
		/* TRANSLATORS: s on the progress report: the county, the month, today, the due date. */
		sb_addf(&m, _("Submitted the progress report of %s for %s on %s, late: it was due on %s"),
			sr.county_name, sub->month, sr.submitted_on, sr.due_on);
	else
		/* TRANSLATORS: s on the progress report: the county, the month, today, the due date. */
		sb_addf(&m, _("Submitted the progress report of %s for %s on %s, on time (due on %s)"),
			sr.county_name, sub->month, sr.submitted_on, sr.due_on);
	ui_say(ui, sb_str(&m));
	sb_free(&m);
	submit_result_free(&sr);
	free(sub);
}

/* s: the selected county's month submitted as sgz submit progress does,
 * asked first. */
static void submit_row(struct result *v)
{
	static const struct ui_choice choices[] = {
	    {'y', "y", M_SUBMIT},
	    {'n', "n", M_CANCEL},
	};
	const char *county, *name, *as_of = report_result_as_of(v->r);
	struct submission *sub;
	struct strbuf body = {0};
	struct sgz_err err;

	if (v->sel < 0 || v->sel >= report_result_rows(v->r) || !as_of) {
		ui_say(v->ui, ui_tr(v->ui, M_NOTHING_TO_OPEN));
		return;
	}
	county = report_result_cell(v->r, v->sel, "county_code");
	name = report_result_cell(v->r, v->sel, "county_name");
	if (!county)
		return;
	/* only a county user or an administrator submits: said before
	 * anything is asked or sent, the database's refusal the backstop */
	sgz_err_clear(&err);
	if (ui_db(v->ui) && submit_allowed(ui_db(v->ui), &err) <= 0) {
		ui_say_error(v->ui, &err);
		return;
	}
	sub = xcalloc(1, sizeof(*sub));
	snprintf(sub->county, sizeof(sub->county), "%s", county);
	snprintf(sub->month, sizeof(sub->month), "%.7s", as_of);
	/* TRANSLATORS: asked before s submits: the county's name, the month. */
	sb_addf(&body, _("Submit the progress report of %s for %s as it is shown now?"),
		name ? name : county, sub->month);
	ui_ask(v->ui, ui_tr(v->ui, M_SUBMIT), sb_str(&body), choices, SGZ_ARRAY_LEN(choices),
	       on_submit_answer, sub);
	sb_free(&body);
}

static bool result_key(void *view, bool fn, wint_t wc)
{
	struct result *v = view;

	if (v->exporting) {
		if (is_enter(fn, wc)) {
			v->exporting = false;
			do_export(v);
		} else if (is_esc(fn, wc)) {
			v->exporting = false;
		} else {
			lineedit_key(v->input, fn, wc);
		}
		return true;
	}
	if (!fn && wc == L'e') {
		start_export(v);
		return true;
	}
	if (!fn && wc == L's' && is_progress(v)) {
		submit_row(v);
		return true;
	}
	if (is_enter(fn, wc)) {
		open_row(v);
		return true;
	}
	/* keys.md: Ctrl-F / Space and Ctrl-B / b are PgDn and PgUp's twins */
	if (!fn && (wc == 0x06 || wc == L' ' || wc == 0x02 || wc == L'b')) {
		fn = true;
		wc = wc == 0x06 || wc == L' ' ? KEY_NPAGE : KEY_PPAGE;
	}
	if (!fn)
		return false;
	switch (wc) {
	case KEY_UP:
		v->sel--;
		break;
	case KEY_DOWN:
		v->sel++;
		break;
	case KEY_PPAGE:
		/* a page moves the window too: the selection keeps its place */
		v->sel -= v->rows;
		v->top -= v->rows;
		break;
	case KEY_NPAGE:
		v->sel += v->rows;
		v->top += v->rows;
		break;
	case KEY_HOME:
		v->sel = v->top = 0;
		break;
	case KEY_END:
		v->sel = v->nrows - 1;
		break;
	case KEY_LEFT:
	case KEY_RIGHT:
		v->hscroll = next_stop(v, wc == KEY_RIGHT ? 1 : -1);
		break;
	default:
		return false;
	}
	result_clamp(v);
	return true;
}

/* A paste goes into the export file being typed, nowhere else. */
static bool result_paste(void *view, const wchar_t *s, size_t n)
{
	struct result *v = view;

	if (!v->exporting)
		return false;
	ui_paste_text(v->ui, v->input, s, n);
	return true;
}

static const struct ui_view_ops result_ops = {
    .title = result_title,
    .draw = result_draw,
    .key = result_key,
    .keys = result_keys_fn,
    .status_keys = result_status_keys,
    .idle = NULL,
    .free = result_free,
    .paste = result_paste,
};

/* ==== the choice ==== */

/* FIELD_BY is a choice (Left/Right), not typed: the level of the rows of
 * a report that takes --by (plan), reached by Tab only with such a report
 * chosen. */
enum field { FIELD_SCOPE, FIELD_YEAR, FIELD_MONTH, FIELD_BY, NFIELDS };

/* --by's levels by label, as report_parse_by() numbers them (1-4). */
static const char *const by_labels[] = {N_("province"), N_("prefecture"), N_("county"),
					N_("township")};
#define BY_DEFAULT 3 /* county, as sgz report without --by */

/* Wide enough for a 12-digit code and the cursor after it; what is longer
 * scrolls in the field and is kept whole. */
#define FIELD_COLS 14
#define FIELD_MAX  40

/* clang-format off */
static const struct ui_keyinfo choice_keys[] = {
	{ "1-8", "1-8", M_RUN, M_DO_RUN_N },
	{ "Enter", "Enter", M_RUN, M_DO_RUN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "Tab", "Tab", M_PARAMETERS, M_DO_PARAMETERS },
	{ "Shift-Tab", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "Left/Right, Home/End", NULL, M_NONE, M_DO_EDIT },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* In a field ? is a character: F1 is the help. */
static const struct ui_keyinfo field_status_keys[] = {
	{ "Enter", "Enter", M_RUN, M_DO_RUN },
	{ "Tab", "Tab", M_PARAMETERS, M_DO_PARAMETERS },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
};
/* clang-format on */

struct choice {
	struct ui *ui;
	const char *const *names;
	size_t n;
	int selected;
	int focus; /* -1: the reports; else the enum field being typed in */
	struct lineedit *field[NFIELDS];
	struct ui_keyinfo keys[SGZ_ARRAY_LEN(choice_keys)]; /* "1-N" as many as there are */
	int year, month;				    /* today's, for the hints */
	int by;						    /* FIELD_BY's level, 1-4 */
};

/* The choice and the parameters as last left, offered again the next time
 * the screen opens: leaving it loses nothing typed, and a day's reports
 * of one scope and year take their parameters once. */
static struct {
	int selected;
	char *text[NFIELDS];
	int by;
} kept;

static void choice_free(void *view)
{
	struct choice *c = view;

	if (!c)
		return;
	kept.selected = c->selected;
	kept.by = c->by;
	for (int i = 0; i < NFIELDS; i++) {
		free(kept.text[i]);
		kept.text[i] = lineedit_get_utf8(c->field[i]);
		lineedit_free(c->field[i]);
	}
	free(c);
}

static const char *choice_title(void *view)
{
	const struct choice *c = view;

	return ui_tr(c->ui, M_REPORTS);
}

static const struct ui_keyinfo *choice_keys_fn(void *view, size_t *n)
{
	struct choice *c = view;

	*n = SGZ_ARRAY_LEN(c->keys);
	return c->keys;
}

static const struct ui_keyinfo *choice_status_keys(void *view, size_t *n)
{
	const struct choice *c = view;

	if (c->focus >= 0) {
		*n = SGZ_ARRAY_LEN(field_status_keys);
		return field_status_keys;
	}
	return choice_keys_fn(view, n);
}

static const char *field_label(enum field f)
{
	switch (f) {
	case FIELD_SCOPE:
		return _("Scope");
	case FIELD_YEAR:
		return _("Year");
	case FIELD_MONTH:
		return _("Month");
	case FIELD_BY:
		/* TRANSLATORS: the reports screen's field of --by: the level
		 * of the divisions the plan report has a row of. */
		return _("By");
	case NFIELDS:
		break;
	}
	return "";
}

/* What the field takes and what empty means, beside it. */
static void field_hint(const struct choice *c, enum field f, struct strbuf *sb)
{
	switch (f) {
	case FIELD_SCOPE:
		sb_adds(sb, _("division code (2-12 digits); empty: your own scope"));
		break;
	case FIELD_YEAR:
		/* TRANSLATORS: the year field's hint: the years allowed and this year. */
		sb_addf(sb, _("YYYY, %d-%d; empty: %d, as of today"), REPORT_YEAR_MIN,
			REPORT_YEAR_MAX, c->year);
		break;
	case FIELD_MONTH:
		/* TRANSLATORS: the month field's hint: this month follows. */
		sb_addf(sb, _("YYYY-MM, for monthly progress; empty: %04d-%02d"), c->year,
			c->month);
		break;
	case FIELD_BY:
		/* TRANSLATORS: the hint of the plan's level field: the
		 * levels, as the field shows them. */
		sb_addf(sb, _("Left/Right: %s, %s, %s or %s; for the plan"), _(by_labels[0]),
			_(by_labels[1]), _(by_labels[2]), _(by_labels[3]));
		break;
	case NFIELDS:
		break;
	}
}

static int label_cols(void)
{
	int w = 0;

	for (int f = 0; f < NFIELDS; f++)
		if (ui_width(field_label((enum field)f)) > w)
			w = ui_width(field_label((enum field)f));
	return w;
}

/* The key that runs item i of the choice: 1-9, then a, b, c... (keys.md:
 * 1-9 open an item directly; the reports past nine take letters no key
 * of this screen uses). */
static wchar_t item_key(size_t i)
{
	return i < 9 ? (wchar_t)(L'1' + i) : (wchar_t)(L'a' + (i - 9));
}

static int item_of_key(const struct choice *c, wint_t wc)
{
	for (size_t i = 0; i < c->n; i++)
		if ((wint_t)item_key(i) == wc)
			return (int)i;
	return -1;
}

static int items_cols(const struct choice *c)
{
	int w = 0;

	for (size_t i = 0; i < c->n; i++)
		if (ui_width(report_title(c->names[i])) > w)
			w = ui_width(report_title(c->names[i]));
	return w + 6; /* " N  " before, two after */
}

static void choice_draw(void *view, int top, int height)
{
	struct choice *c = view;
	int iw = items_cols(c), lw = label_cols(), y, x;
	char line[160];

	(void)height;
	ui_put(top + 1, 2, COLS - 4, choice_title(c), A_BOLD, false);
	/* as the menus: the selected item a bar as wide as every other, so
	 * that a move rewrites two short runs */
	for (size_t i = 0; i < c->n; i++) {
		bool sel = (int)i == c->selected;
		y = top + 3 + (int)i;
		snprintf(line, sizeof(line), " %lc  %s", (wint_t)item_key(i), report_title(c->names[i]));
		ui_put(y, 4, iw, line, sel ? ui_selected_attr(c->ui) : A_NORMAL, sel);
		ui_put(y, 4 + iw + 2, COLS - iw - 7, report_about(c->names[i]), A_NORMAL, false);
	}
	for (int f = 0; f < NFIELDS; f++) {
		struct strbuf hint = {0};
		y = top + 4 + (int)c->n + f;
		ui_put(y, 4, lw, field_label((enum field)f), A_BOLD, false);
		x = 4 + lw + 2;
		if (f == FIELD_BY) {
			/* the level by its label, chosen, not typed */
			ui_put(y, x, FIELD_COLS, _(by_labels[c->by - 1]),
			       c->focus == f ? ui_selected_attr(c->ui) : A_UNDERLINE, true);
			if (c->focus == f)
				ui_cursor(c->ui, y, x);
		} else {
			lineedit_draw(stdscr, y, x, c->field[f], A_NORMAL, L'_', c->focus == f);
			if (c->focus == f)
				ui_cursor(c->ui, y, x + lineedit_cursor_col(c->field[f]));
		}
		field_hint(c, (enum field)f, &hint);
		ui_put(y, x + FIELD_COLS + 2, COLS - x - FIELD_COLS - 3, sb_str(&hint), A_NORMAL,
		       false);
		sb_free(&hint);
	}
}

/* Whether year-month has come (its figures exist); if not, says so into
 * sb, with this month. */
static bool month_come(const char *typed, int year, int month, struct strbuf *sb)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (report_month_check(year, month, tm.tm_year + 1900, tm.tm_mon + 1) == 0)
		return true;
	/* TRANSLATORS: a month after this one refused: what was typed, this month. */
	sb_addf(sb, _("Month: \"%s\" has not come yet: the latest month is %04d-%02d"), typed,
		tm.tm_year + 1900, tm.tm_mon + 1);
	return false;
}

/* Checks field f as typed: nothing (the default) or what its rule allows.
 * A refusal names the field and the rule on the message line; the text
 * stays as typed, to be corrected. */
static bool field_ok(struct choice *c, enum field f)
{
	char *s = lineedit_get_utf8(c->field[f]);
	char code[DIVISION_CODE_LEN + 1];
	struct strbuf sb = {0};
	struct sgz_err err;
	int year, month;
	bool ok = true;

	sgz_err_clear(&err);
	if (!*s) {
		free(s);
		return true;
	}
	switch (f) {
	case FIELD_SCOPE:
		if (report_parse_scope(s, code, &err) < 0) {
			/* TRANSLATORS: a scope refused: what was typed. */
			sb_addf(
			    &sb,
			    _("Scope: \"%s\" is not a division code of 2, 4, 6, 9 or 12 digits"),
			    s);
			ok = false;
		}
		break;
	case FIELD_YEAR:
		if (report_parse_year(s, &year) < 0) {
			/* TRANSLATORS: a year refused: what was typed, the years allowed. */
			sb_addf(&sb, _("Year: \"%s\" is not a year YYYY from %d to %d"), s,
				REPORT_YEAR_MIN, REPORT_YEAR_MAX);
			ok = false;
		}
		break;
	case FIELD_MONTH:
		if (report_parse_month(s, &year, &month) < 0) {
			/* TRANSLATORS: a month refused: what was typed, the years allowed. */
			sb_addf(&sb,
				_("Month: \"%s\" is not a month YYYY-MM of the years %d to %d"), s,
				REPORT_YEAR_MIN, REPORT_YEAR_MAX);
			ok = false;
		} else if (!month_come(s, year, month, &sb)) {
			ok = false;
		}
		break;
	case FIELD_BY:
	case NFIELDS:
		break;
	}
	if (!ok) {
		ui_say(c->ui, sb_str(&sb));
		c->focus = f;
	}
	sb_free(&sb);
	free(s);
	return ok;
}

/* The result screen of a report run, or NULL. */
static struct result *result_new(struct ui *ui, const char *name, struct report_result *r)
{
	struct result *v = xcalloc(1, sizeof(*v));

	v->ui = ui;
	v->name = name;
	v->r = r;
	v->input = lineedit_new(COLS - 20, 400);
	result_lay_out(v);
	v->rows = rows_for(v, LINES - 2);
	return v;
}

/* Runs the selected report with the fields as typed: checked first (the
 * first refused field takes the cursor), then through the shell's wait,
 * where Esc cancels. */
static void run(struct choice *c)
{
	const char *name = c->names[c->selected];
	const struct report_def *def = report_find(name);
	char scope[DIVISION_CODE_LEN + 1];
	struct report_params p = {0};
	struct report_result *r = NULL;
	struct sgz_err err;
	char *s;

	sgz_err_clear(&err);
	if (!def)
		return;
	bool monthly = report_period(def) == REPORT_MONTH;
	if (!field_ok(c, FIELD_SCOPE) || !field_ok(c, monthly ? FIELD_MONTH : FIELD_YEAR))
		return;
	s = lineedit_get_utf8(c->field[FIELD_SCOPE]);
	if (*s && report_parse_scope(s, scope, &err) == 0)
		p.scope = scope;
	free(s);
	s = lineedit_get_utf8(c->field[monthly ? FIELD_MONTH : FIELD_YEAR]);
	if (monthly && *s)
		report_parse_month(s, &p.year, &p.month);
	else if (*s)
		report_parse_year(s, &p.year);
	free(s);
	if (report_takes_by(def))
		p.by = c->by;
	if (!ui_db(c->ui))
		return; /* the tests' shell without a database */
	if (ui_report_run(c->ui, def, &p, &r, &err) < 0) {
		ui_say_error(c->ui, &err);
		return;
	}
	ui_push_view(c->ui, &result_ops, result_new(c->ui, name, r));
	/* back from the report to the reports, where 1-8 run one: a digit
	 * typed then never lands in a field */
	c->focus = -1;
}

/* The last field Tab reaches: the level for a report that takes --by,
 * else the month. */
static int last_field(const struct choice *c)
{
	const struct report_def *def = report_find(c->names[c->selected]);

	return def && report_takes_by(def) ? FIELD_BY : FIELD_MONTH;
}

/* Tab and Down from a field: the next one, after the month the reports;
 * Shift-Tab and Up the other way. A refused field keeps the cursor. */
static void move_focus(struct choice *c, int dir, bool wrap)
{
	int next = c->focus + dir, last = last_field(c);

	if (c->focus >= 0 && !field_ok(c, (enum field)c->focus))
		return;
	if (next > last)
		next = wrap ? -1 : last;
	if (next < -1)
		next = wrap ? last : -1;
	c->focus = next;
}

/* The report a period field is for: the month the monthly progress's, the
 * year the yearly reports'. */
static bool field_for(enum field f, const struct report_def *def)
{
	bool monthly = report_period(def) == REPORT_MONTH;

	switch (f) {
	case FIELD_SCOPE:
		return true;
	case FIELD_YEAR:
		return !monthly;
	case FIELD_MONTH:
		return monthly;
	case FIELD_BY:
		return report_takes_by(def);
	case NFIELDS:
		break;
	}
	return false;
}

/* Enter in a field: the chosen report runs with the fields as typed. A
 * month is typed for the monthly progress, which runs (the choice moving
 * to it) whatever was highlighted; a year for a yearly report, so with
 * the monthly progress chosen it is refused, saying where its month goes. */
static void field_enter(struct choice *c)
{
	enum field f = (enum field)c->focus;
	const struct report_def *def = report_find(c->names[c->selected]);

	if (!field_ok(c, f) || !def)
		return;
	if (f == FIELD_MONTH && !field_for(f, def)) {
		for (size_t i = 0; i < c->n; i++) {
			const struct report_def *d = report_find(c->names[i]);
			if (d && field_for(f, d)) {
				c->selected = (int)i;
				break;
			}
		}
	} else if (!field_for(f, def)) {
		struct strbuf sb = {0};
		/* TRANSLATORS: Enter in the year field with a monthly report
		 * chosen: the report's title. */
		sb_addf(&sb, _("%s is by month, not by year: type the month under Month"),
			report_title(c->names[c->selected]));
		ui_say(c->ui, sb_str(&sb));
		sb_free(&sb);
		c->focus = FIELD_MONTH;
		return;
	}
	run(c);
}

/* Keys in the level field: Left/Right (Space the next one), Home/End,
 * Ctrl-K back to the default; nothing is typed. */
static void by_key(struct choice *c, bool fn, wint_t wc)
{
	int n = (int)SGZ_ARRAY_LEN(by_labels);

	if ((fn && wc == KEY_RIGHT) || (!fn && wc == L' '))
		c->by = c->by % n + 1;
	else if (fn && wc == KEY_LEFT)
		c->by = (c->by + n - 2) % n + 1;
	else if (fn && wc == KEY_HOME)
		c->by = 1;
	else if (fn && wc == KEY_END)
		c->by = n;
	else if (!fn && wc == UI_KEY_CTRL('K'))
		c->by = BY_DEFAULT;
}

static bool field_key(struct choice *c, bool fn, wint_t wc)
{
	if (is_enter(fn, wc)) {
		field_enter(c);
	} else if ((!fn && wc == L'\t') || (fn && wc == KEY_DOWN)) {
		move_focus(c, 1, !fn);
	} else if (fn && (wc == KEY_BTAB || wc == KEY_UP)) {
		move_focus(c, -1, wc == KEY_BTAB);
	} else if (is_esc(fn, wc)) {
		/* out of the fields to the reports, the text kept as typed
		 * and the key itself never typed; a second Esc goes back */
		c->focus = -1;
	} else if (fn && wc == KEY_F(1)) {
		return false; /* the shell's: help */
	} else if (c->focus == FIELD_BY) {
		by_key(c, fn, wc);
	} else {
		lineedit_key(c->field[c->focus], fn, wc);
	}
	return true;
}

static bool choice_key(void *view, bool fn, wint_t wc)
{
	struct choice *c = view;
	int n = (int)c->n;

	if (c->focus >= 0)
		return field_key(c, fn, wc);
	if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (c->selected > 0)
			c->selected--;
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (c->selected < n - 1)
			c->selected++;
	} else if (is_enter(fn, wc)) {
		run(c);
	} else if (!fn && item_of_key(c, wc) >= 0) {
		/* the selection follows, so Esc from the report comes back to it */
		c->selected = item_of_key(c, wc);
		run(c);
	} else if (!fn && wc == L'\t') {
		c->focus = FIELD_SCOPE;
	} else if (fn && wc == KEY_BTAB) {
		c->focus = last_field(c);
	} else {
		return false;
	}
	return true;
}

/* A paste goes into the scope, year or month being typed; the list of
 * reports takes none (its digits would run a report). */
static bool choice_paste(void *view, const wchar_t *s, size_t n)
{
	struct choice *c = view;

	if (c->focus < 0 || c->focus == FIELD_BY)
		return false;
	ui_paste_text(c->ui, c->field[c->focus], s, n);
	return true;
}

static const struct ui_view_ops choice_ops = {
    .title = choice_title,
    .draw = choice_draw,
    .key = choice_key,
    .keys = choice_keys_fn,
    .status_keys = choice_status_keys,
    .idle = NULL,
    .free = choice_free,
    .paste = choice_paste,
};

bool report_screen_open(struct ui *ui)
{
	static const char *const ranges[] = {"1",	"1",	 "1-2",	  "1-3",   "1-4",   "1-5",
					     "1-6",	"1-7",	 "1-8",	  "1-9",   "1-9, a", "1-9, a-b",
					     "1-9, a-c", "1-9, a-d", "1-9, a-e"};
	struct choice *c = xcalloc(1, sizeof(*c));
	time_t now = time(NULL);
	struct tm tm;

	c->ui = ui;
	c->names = report_names(&c->n);
	if (c->n >= SGZ_ARRAY_LEN(ranges))
		c->n = SGZ_ARRAY_LEN(ranges) - 1; /* as many as 24 rows hold with the fields */
	c->focus = -1;
	c->selected = kept.selected < (int)c->n ? kept.selected : 0;
	c->by = kept.by >= 1 && kept.by <= (int)SGZ_ARRAY_LEN(by_labels) ? kept.by : BY_DEFAULT;
	for (int f = 0; f < NFIELDS; f++) {
		c->field[f] = lineedit_new(FIELD_COLS, FIELD_MAX);
		lineedit_set_utf8(c->field[f], kept.text[f]);
	}
	memcpy(c->keys, choice_keys, sizeof(c->keys));
	c->keys[0].key = c->keys[0].short_key = ranges[c->n];
	localtime_r(&now, &tm);
	c->year = tm.tm_year + 1900;
	c->month = tm.tm_mon + 1;
	ui_push_view(ui, &choice_ops, c);
	return true;
}
