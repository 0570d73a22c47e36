/* screen_casefile.c - the case file (cases.h; spec/work.md, Work screens
 * 2): one case as one screen, read-only, the header over its visits
 * newest first; a logs a visit (today, the case's worker, the next due
 * following its date: visit_interval_days), c closes the case in its form
 * (the date today, the reason asked; a warning first when a visit is
 * due), e edits the case, Enter opens a visit. Whatever was opened from
 * here, the file is read again when it is back on top. */
#include "config.h"

#include "sgz/cases.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/date.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/panes.h"
#include "sgz/record.h"
#include "sgz/screens.h"

struct casefile {
	struct ui *ui;
	const struct dict_entity *e; /* cases */
	struct record *rec;	     /* the case as loaded: the panes' parent */
	const struct form_origin *origin; /* told of changes, or NULL */
	struct casefile_head head;
	bool have_head;
	bool stale;   /* read again at the next draw */
	bool changed; /* something was opened from here: the list is told */
	bool gone;
	struct panes *panes;
	struct strbuf title;
	int rows; /* the visits shown: what the screen leaves */
};

/* clang-format off */
static const struct ui_keyinfo casefile_keys[] = {
	{ "a", "a", M_VISIT, M_DO_ADD_VISIT },
	{ "c", "c", M_CLOSE_CASE, M_DO_CLOSE_CASE },
	{ "e", "e", M_EDIT, M_DO_EDIT_CASE },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "Up/Down, PgUp/PgDn", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* A closed case's: no c. */
static const struct ui_keyinfo closed_keys[] = {
	{ "a", "a", M_VISIT, M_DO_ADD_VISIT },
	{ "e", "e", M_EDIT, M_DO_EDIT_CASE },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
};
/* clang-format on */

static const char *case_no(const struct casefile *cf)
{
	return record_value(cf->rec, 0);
}

static void set_title(struct casefile *cf)
{
	sb_reset(&cf->title);
	/* TRANSLATORS: the case file's title: the case number and the recipient's name. */
	sb_addf(&cf->title, _("Case file %s %s"), case_no(cf),
		cf->have_head && cf->head.recipient_name ? cf->head.recipient_name : "");
}

/* Reads the header again; a case gone is said, its visits closed. */
static void reread(struct casefile *cf)
{
	struct sgz_err err;
	int rc;

	cf->stale = false;
	casefile_head_free(&cf->head);
	sgz_err_clear(&err);
	rc = casefile_head_read(ui_db(cf->ui), case_no(cf), &cf->head, &err);
	cf->have_head = rc == 1;
	if (rc < 0) {
		ui_say_error(cf->ui, &err);
	} else if (rc == 0 && !cf->gone) {
		cf->gone = true;
		ui_say(cf->ui, ui_tr(cf->ui, M_PARENT_GONE));
	}
	set_title(cf);
}

/* "label value" of field column of the cases (or another entity's),
 * value labelled as the forms show it. */
static void add_field(struct casefile *cf, struct strbuf *sb, const char *entity,
		      const char *column, const char *value)
{
	const struct dict_entity *e = dict_find(entity);
	const struct dict_field *f = e ? dict_field_by_header(e, column) : NULL;
	struct strbuf v = {0};

	if (!f)
		return;
	if (f->type == DT_CHOICES)
		dict_value_label_lang(f, value, ui_zh(cf->ui), &v);
	else if (value) {
		char *t = form_value_text(f, value, ui_zh(cf->ui));
		sb_adds(&v, t);
		free(t);
	}
	sb_addf(sb, "%s%s %s", sb->len ? "  " : "", ui_field_label(cf->ui, f),
		v.len ? sb_str(&v) : "-");
	sb_free(&v);
}

static void draw_head(struct casefile *cf, int y, int width)
{
	struct casefile_head *h = &cf->head;
	struct strbuf l = {0}, who = {0};

	if (!cf->have_head) {
		for (int k = 0; k < 3; k++)
			ui_put(y + k, 1, width, "", A_NORMAL, true);
		return;
	}
	sb_addf(&who, "%s %s", h->recipient_name ? h->recipient_name : "",
		h->recipient ? h->recipient : "");
	add_field(cf, &l, "cases", "recipient", sb_str(&who));
	add_field(cf, &l, "recipients", "categories", h->categories);
	ui_put(y, 1, width, sb_str(&l), A_NORMAL, true);
	sb_reset(&l);
	add_field(cf, &l, "cases", "worker", h->worker_name);
	add_field(cf, &l, "cases", "method", h->method);
	add_field(cf, &l, "cases", "status", h->status);
	add_field(cf, &l, "cases", "risk", h->risk);
	ui_put(y + 1, 1, width, sb_str(&l), A_NORMAL, true);
	sb_reset(&l);
	add_field(cf, &l, "cases", "opened_on", h->opened_on);
	if (h->closed_on) {
		add_field(cf, &l, "cases", "closed_on", h->closed_on);
	} else if (h->due) {
		/* the desk's words (spec/work.md: 逾期 5 天) */
		add_field(cf, &l, "visits", "next_due", h->due);
		sb_adds(&l, "  ");
		if (h->late > 0)
			/* TRANSLATORS: after the next visit's due date: how late it is. */
			sb_addf(&l, _("%ld days overdue"), h->late);
		else if (h->late == 0)
			sb_adds(&l, _("due today"));
		else
			sb_addf(&l, _("due in %ld days"), -h->late);
	}
	ui_put(y + 2, 1, width, sb_str(&l), h->overdue > 0 ? A_BOLD : A_NORMAL, true);
	sb_free(&l);
	sb_free(&who);
}

static const char *cf_title(void *view)
{
	return sb_str(&((struct casefile *)view)->title);
}

static void cf_draw(void *view, int top, int height)
{
	struct casefile *cf = view;
	int width = COLS - 2, rows = height - 5;

	if (rows < 1)
		rows = 1;
	if (rows != cf->rows || !cf->panes) {
		/* the visits fill what the header leaves */
		panes_free(cf->panes);
		cf->rows = rows;
		cf->panes = panes_new(cf->ui, cf->e, cf->rec, rows, "visits", &form_panes_opener);
		panes_hide_summary(cf->panes); /* the header says when the next is due */
		panes_set_focus(cf->panes, 0);
		cf->stale = false;
	}
	if (cf->stale) {
		reread(cf);
		panes_stale(cf->panes);
	}
	if (!cf->gone)
		panes_load(cf->panes);
	ui_put(top, 1, width, sb_str(&cf->title), A_BOLD, true);
	draw_head(cf, top + 1, width);
	for (int y = top + 4; y < top + height; y++)
		ui_put(y, 1, width, "", A_NORMAL, true);
	if (!cf->gone && panes_count(cf->panes))
		panes_draw(cf->panes, 0, top + 4, 1, width, 0, height - 4);
	ui_cursor(cf->ui, -1, -1);
}

/* a: a visit of this case: today, the case's worker, the next due
 * following the date (the visit form's dict_field.due_from). */
static void add_visit(struct casefile *cf)
{
	const struct dict_entity *ve = dict_find("visits");
	struct record *v;
	struct sgz_date today;
	char d[11];
	if (!ve || !cf->have_head)
		return;
	v = record_new(ve);
	record_set(v, (size_t)dict_field_index(ve, dict_field_by_header(ve, "case_no")), case_no(cf));
	date_today(&today);
	date_format(&today, d);
	record_set(v, (size_t)dict_field_index(ve, dict_field_by_header(ve, "visit_date")), d);
	if (cf->head.worker_pid)
		record_set_person(v, (size_t)dict_field_index(ve, dict_field_by_header(ve, "worker")),
				  cf->head.worker_pid, cf->head.worker);
	cf->stale = cf->changed = true;
	struct form_screen *fs = form_screen_new(cf->ui, ve, v, NULL);
	form_screen_focus(fs, "kind");
	form_screen_push(cf->ui, fs);
}

/* The case's form, loaded now (its row_version current): e edits it, c
 * closes it (status closed, closed today, the cursor on the reason). */
static void open_case_form(struct casefile *cf, bool closing)
{
	struct record_error re;
	struct record *r = NULL;
	char *key = record_key(cf->rec);

	record_error_init(&re);
	switch (record_load(ui_db(cf->ui), cf->e, key, &r, &re)) {
	case RECORD_OK: {
		struct form_screen *fs = form_screen_new(cf->ui, cf->e, r, NULL);
		if (closing) {
			struct sgz_date today;
			char d[11];
			date_today(&today);
			date_format(&today, d);
			form_screen_set(fs, "status", "closed");
			form_screen_set(fs, "closed_on", d);
			form_screen_focus(fs, "close_reason");
		}
		cf->stale = cf->changed = true;
		form_screen_push(cf->ui, fs);
		break;
	}
	case RECORD_GONE:
		cf->stale = true;
		ui_say(cf->ui, ui_tr(cf->ui, M_PARENT_GONE));
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		ui_say_error(cf->ui, &re.err);
		break;
	}
	record_error_free(&re);
	free(key);
}

static void on_close_answer(struct ui *ui, void *ctx, wint_t answer)
{
	(void)ui;
	if (answer == 'y')
		open_case_form(ctx, true);
}

/* c: close the case; a visit due (today or earlier) is warned of first. */
static void close_case(struct casefile *cf)
{
	static const struct ui_choice choices[] = {
	    {'y', "y", M_CLOSE_ANYWAY},
	    {'n', "n", M_CANCEL},
	};
	struct strbuf body = {0};
	struct sgz_date today;
	char d[11];

	if (!cf->have_head)
		return;
	if (cf->head.status && strcmp(cf->head.status, "closed") == 0) {
		ui_say(cf->ui, ui_tr(cf->ui, M_CASE_CLOSED_ALREADY));
		return;
	}
	date_today(&today);
	date_format(&today, d);
	if (!cf->head.due || strcmp(cf->head.due, d) > 0) {
		open_case_form(cf, true);
		return;
	}
	if (cf->head.overdue > 0)
		/* TRANSLATORS: asked before closing a case: the due date, the days late. */
		sb_addf(&body, _("A visit was due on %s, %ld days ago. Close the case anyway?"),
			cf->head.due, cf->head.overdue);
	else
		/* TRANSLATORS: asked before closing a case whose visit is due today. */
		sb_addf(&body, _("A visit is due today (%s). Close the case anyway?"), cf->head.due);
	ui_ask(cf->ui, ui_tr(cf->ui, M_CLOSE_CASE), sb_str(&body), choices,
	       SGZ_ARRAY_LEN(choices), on_close_answer, cf);
	sb_free(&body);
}

static bool cf_key(void *view, bool fn, wint_t wc)
{
	struct casefile *cf = view;

	if (fn && wc == KEY_F(1))
		return false;
	if (!fn && (wc == L'a' || wc == L'+')) {
		add_visit(cf);
	} else if (fn && wc == KEY_IC) {
		add_visit(cf);
	} else if (!fn && wc == L'c') {
		close_case(cf);
	} else if (!fn && wc == L'e') {
		open_case_form(cf, false);
	} else if (!cf->gone && cf->panes && panes_key(cf->panes, fn, wc)) {
		/* Enter opened a visit: read again when back */
		if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n')))
			cf->stale = cf->changed = true;
	} else {
		return false; /* Esc, ?: the shell's */
	}
	return true;
}

static const struct ui_keyinfo *cf_keys(void *view, size_t *n)
{
	(void)view;
	*n = SGZ_ARRAY_LEN(casefile_keys);
	return casefile_keys;
}

/* A closed case offers no c (c says it is closed). */
static const struct ui_keyinfo *cf_status_keys(void *view, size_t *n)
{
	struct casefile *cf = view;

	if (cf->have_head && cf->head.status && strcmp(cf->head.status, "closed") == 0) {
		*n = SGZ_ARRAY_LEN(closed_keys);
		return closed_keys;
	}
	return cf_keys(view, n);
}

static void cf_free(void *view)
{
	struct casefile *cf = view;

	if (cf->changed && cf->origin)
		cf->origin->saved(cf->origin->ctx, NULL, NULL);
	panes_free(cf->panes);
	casefile_head_free(&cf->head);
	record_free(cf->rec);
	sb_free(&cf->title);
	free(cf);
}

static const struct ui_view_ops casefile_ops = {
    .title = cf_title,
    .draw = cf_draw,
    .key = cf_key,
    .keys = cf_keys,
    .status_keys = cf_status_keys,
    .free = cf_free,
};

void casefile_open(struct ui *ui, const struct dict_entity *e, const char *key,
		   const struct form_origin *origin)
{
	struct record_error re;
	struct record *r = NULL;
	struct casefile *cf;

	record_error_init(&re);
	switch (record_load(ui_db(ui), e, key, &r, &re)) {
	case RECORD_OK:
		break;
	case RECORD_GONE:
		ui_say(ui, ui_tr(ui, M_GONE));
		record_error_free(&re);
		return;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		ui_say_error(ui, &re.err);
		record_error_free(&re);
		return;
	}
	record_error_free(&re);
	cf = xcalloc(1, sizeof(*cf));
	cf->ui = ui;
	cf->e = e;
	cf->rec = r;
	cf->origin = origin;
	reread(cf);
	ui_push_view(ui, &casefile_ops, cf);
}
