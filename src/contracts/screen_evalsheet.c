/* screen_evalsheet.c - the evaluation sheet (contracts.h; programmes.md,
 * the indicator sheet): one evaluation of a contract year or of a station,
 * the indicator tree of its programme's set, each first-level indicator
 * with its weight and the running sum of the scores under it, the leaves
 * scored as the hours grid's fields are typed (Tab, Enter, Down next;
 * Shift-Tab, Up previous; Ctrl-K clears). The bottom line shows the
 * running total, its grade and the decision it would make as scores are
 * typed (the database's bands by sgz.grade()'s rule, evalsheet.h). A score
 * above its indicator's weight is refused with the database's message,
 * naming the indicator, the cursor kept on it and what was typed kept. F2
 * saves the evaluation and its scores in one statement, with what the
 * sheet was read as: a sheet someone else saved since is refused (0037),
 * naming who and when, every typed score kept on the screen and in the
 * draft; Ctrl-R reads the sheet again as stored and puts the typed scores
 * back over it, for F2 to save. F3 saves and opens the next contract year
 * of the same programme's cycle. A user who may not write the scores (a
 * station's) reads the sheet.
 *
 * What is typed and not saved is never lost: the session ending unasked
 * or the connection lost (the view's keep), Esc's "keep as a draft" and a
 * stale save keep it as a sheet draft (draft.h), offered at the next start
 * (tui.c: evalsheet_from_draft()) and when the same sheet is opened again;
 * the draft keeps what the sheet was read as when the typing started, so
 * a sheet changed since is refused on F2 as any stale save is. */
#include "config.h"

#include "sgz/contracts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/draft.h"
#include "sgz/evalsheet.h"
#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/record.h"
#include "sgz/screens.h"

struct sheet {
	struct ui *ui;
	struct list_screen *origin; /* told of a save, or NULL */
	struct evalsheet *s;
	size_t cur;	 /* the leaf with the cursor */
	int first;	 /* the first row shown */
	char buf[16];	 /* what is typed in the current leaf */
	int orig;	 /* its score when the cursor came to it */
	bool fresh;	 /* the next character typed replaces buf */
	bool dirty;	 /* typed and not saved */
	struct strbuf title;
	struct draft *draft;   /* the sheet draft written, or NULL */
	struct draft *offered; /* a draft of this sheet offered on opening */
};

/* clang-format off */
static const struct ui_keyinfo sheet_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SHEET_SAVE },
	{ "F3, Ctrl-N", "F3", M_SHEET_NEXT, M_DO_SHEET_NEXT },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Ctrl-R", NULL, M_NONE, M_DO_SHEET_RELOAD },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

static const char *label(struct sheet *sh, const char *column, const char *value,
			 struct strbuf *out)
{
	const struct dict_entity *e = dict_find("evaluations");
	const struct dict_field *f = e ? dict_field_by_header(e, column) : NULL;

	sb_reset(out);
	if (f && value)
		dict_value_label_lang(f, value, ui_zh(sh->ui), out);
	else if (value)
		sb_adds(out, value);
	return sb_str(out);
}

/* The label of a field of entity (evaluations, indicators). */
static const char *field_of(struct sheet *sh, const char *entity, const char *column)
{
	const struct dict_entity *e = dict_find(entity);
	const struct dict_field *f = e ? dict_field_by_header(e, column) : NULL;
	return f ? ui_field_label(sh->ui, f) : column;
}

static void set_title(struct sheet *sh)
{
	struct strbuf k = {0};
	struct evalsheet *s = sh->s;

	sb_reset(&sh->title);
	/* TRANSLATORS: the evaluation sheet's title: the contract or the
	 * station, its organisation's or its own name, the kind, the date. */
	sb_addf(&sh->title, _("Evaluation sheet %s %s %s %s"),
		s->contract_no ? s->contract_no : s->station, s->subject ? s->subject : "",
		label(sh, "kind", s->kind, &k), s->evaluated_on);
	sb_free(&k);
}

static bool is_leaf(const struct sheet *sh, size_t i)
{
	return i < sh->s->n && sh->s->rows[i].leaf;
}

/* The cursor onto leaf i: its score in the field. */
static void enter_leaf(struct sheet *sh, size_t i)
{
	sh->cur = i;
	sh->buf[0] = '\0';
	sh->orig = is_leaf(sh, i) ? sh->s->rows[i].score : -1;
	if (is_leaf(sh, i) && sh->s->rows[i].score >= 0)
		evalsheet_format(sh->s->rows[i].score, sh->buf);
	sh->fresh = true;
}

static void first_leaf(struct sheet *sh)
{
	size_t i = 0;
	while (i < sh->s->n && !sh->s->rows[i].leaf)
		i++;
	enter_leaf(sh, i);
	sh->first = 0;
}

/* What is typed in the current leaf, checked: true when it is a score
 * within the weight (or empty) and stored in the row; else the refusal
 * is said (the database's words) and false. */
static bool commit(struct sheet *sh)
{
	struct evalsheet_row *r;
	int v;

	if (!is_leaf(sh, sh->cur))
		return true;
	r = &sh->s->rows[sh->cur];
	if (!sh->buf[0]) {
		r->score = -1;
		return true;
	}
	v = evalsheet_parse(sh->buf);
	if (v < 0) {
		struct strbuf m = {0};
		/* TRANSLATORS: a score typed on the evaluation sheet that is not one. */
		sb_addf(&m, _("%s is not a score: a number from 0 with one decimal at most"), sh->buf);
		ui_say(sh->ui, sb_str(&m));
		sb_free(&m);
		return false;
	}
	if (v > r->weight) {
		struct strbuf m = {0};
		/* the database's rule and message (0025), said in the reader's language */
		sb_addf(&m, "score %d.%d of indicator %s is above its weight %d.%d", v / 10, v % 10,
			r->code, r->weight / 10, r->weight % 10);
		ui_say(sh->ui, sb_str(&m));
		sb_free(&m);
		return false;
	}
	r->score = v;
	return true;
}

/* Typing: the row's score follows what is typed when it is one within the
 * weight, so the sums and the bottom line change as it is typed. */
static void typed(struct sheet *sh)
{
	int v = sh->buf[0] ? evalsheet_parse(sh->buf) : -1;
	struct evalsheet_row *r = &sh->s->rows[sh->cur];

	sh->dirty = true;
	r->typed = true;
	if (!sh->buf[0])
		r->score = -1;
	else if (v >= 0 && v <= r->weight)
		r->score = v;
	else
		r->score = sh->orig; /* not a score (yet): the sums keep what it was */
}

static void step(struct sheet *sh, int dir)
{
	size_t i = sh->cur;

	if (!commit(sh))
		return;
	for (;;) {
		if (dir > 0) {
			if (i + 1 >= sh->s->n)
				break;
			i++;
		} else {
			if (i == 0)
				break;
			i--;
		}
		if (sh->s->rows[i].leaf) {
			enter_leaf(sh, i);
			return;
		}
	}
	enter_leaf(sh, sh->cur); /* at the end: stays */
}

static const char *sh_title(void *view)
{
	return sb_str(&((struct sheet *)view)->title);
}

static void put_right(int y, int x, int width, const char *s, attr_t a)
{
	int w = ui_width(s);
	ui_put(y, x, width, "", a, true);
	ui_put(y, x + (w < width ? width - w : 0), width, s, a, false);
}

static void sh_draw(void *view, int top, int height)
{
	struct sheet *sh = view;
	struct evalsheet *s = sh->s;
	struct strbuf l = {0}, v = {0};
	int width = COLS - 2, rows = height - 4, cw = 9, ww, name_w;
	char num[16];
	int total = evalsheet_sum(s, NULL);
	const char *decision;

	if (rows < 1)
		rows = 1;
	/* the weight's column as wide as its label (Weight (points)) */
	ww = ui_width(field_of(sh, "indicators", "weight")) + 2;
	if (ww < cw)
		ww = cw;
	name_w = width - 10 - ww - cw;
	ui_put(top, 1, width, sb_str(&sh->title), A_BOLD, true);
	if (s->contract_no)
		/* TRANSLATORS: the evaluation sheet's second line: programme, set, year N of M. */
		sb_addf(&l, _("Programme %s  indicator set %s  year %d of %d"),
			s->programme && *s->programme ? s->programme : "-",
			s->indicator_set ? s->indicator_set : "-", s->year_no, s->cycle_years);
	else
		/* TRANSLATORS: the evaluation sheet of a station: its indicator set. */
		sb_addf(&l, _("Indicator set %s"), s->indicator_set ? s->indicator_set : "-");
	if (!s->writable)
		sb_addf(&l, "  (%s)", _("read only"));
	ui_put(top + 1, 1, width, sb_str(&l), A_NORMAL, true);
	/* the header */
	ui_put(top + 2, 1, 10, field_of(sh, "indicators", "code"), A_UNDERLINE, true);
	ui_put(top + 2, 11, name_w, field_of(sh, "indicators", "name"), A_UNDERLINE, true);
	put_right(top + 2, 11 + name_w, ww, field_of(sh, "indicators", "weight"), A_UNDERLINE);
	put_right(top + 2, 11 + name_w + ww, cw, field_of(sh, "evaluations", "score"), A_UNDERLINE);
	if ((int)sh->cur < sh->first)
		sh->first = (int)sh->cur;
	if ((int)sh->cur >= sh->first + rows)
		sh->first = (int)sh->cur - rows + 1;
	/* a first-level indicator shown above its leaves when there is room */
	if (sh->first > 0 && sh->first == (int)sh->cur && s->rows[sh->cur].parent &&
	    !s->rows[sh->cur - 1].leaf)
		sh->first--;
	ui_cursor(sh->ui, -1, -1);
	for (int k = 0; k < rows; k++) {
		int y = top + 3 + k;
		size_t i = (size_t)(sh->first + k);
		if (i >= s->n) {
			ui_put(y, 1, width, "", A_NORMAL, true);
			continue;
		}
		const struct evalsheet_row *r = &s->rows[i];
		attr_t a = r->parent ? A_NORMAL : A_BOLD;
		sb_reset(&l);
		sb_addf(&l, "%s%s", r->parent ? "  " : "", r->code);
		ui_put(y, 1, 10, sb_str(&l), a, true);
		sb_reset(&l);
		sb_addf(&l, "%s%s", r->parent ? "  " : "", r->name);
		ui_put(y, 11, name_w, sb_str(&l), a, true);
		evalsheet_format(r->weight, num);
		put_right(y, 11 + name_w, ww, num, a);
		if (r->leaf && i == sh->cur && s->writable) {
			int x = 11 + name_w + ww;
			put_right(y, x, cw, sh->buf, ui_selected_attr(sh->ui));
			ui_cursor(sh->ui, y, x + cw - 1);
		} else {
			int sum = r->leaf ? r->score : evalsheet_sum(s, r->code);
			num[0] = '\0';
			if (sum >= 0)
				evalsheet_format(sum, num);
			put_right(y, 11 + name_w + ww, cw, num,
				  i == sh->cur ? ui_selected_attr(sh->ui) : a);
		}
	}
	/* the bottom line: the running total, its grade, its decision */
	sb_reset(&l);
	num[0] = '\0';
	if (total >= 0)
		evalsheet_format(total, num);
	/* TRANSLATORS: the evaluation sheet's bottom line: the total so far. */
	sb_addf(&l, _("Total %s"), total >= 0 ? num : "-");
	sb_addf(&l, "   %s %s", field_of(sh, "evaluations", "grade"),
		total >= 0 ? label(sh, "grade", evalsheet_grade(s, total), &v) : "-");
	decision = evalsheet_decision(s, total);
	if (decision)
		sb_addf(&l, "   %s %s", field_of(sh, "evaluations", "decision"), label(sh, "decision", decision, &v));
	ui_put(top + height - 1, 1, width, sb_str(&l), A_BOLD | A_REVERSE, true);
	sb_free(&l);
	sb_free(&v);
}

static void load(struct sheet *sh, const char *contract, const char *station, const char *kind,
		 const char *date);

/* A reader who may not write the scores is told so. */
static bool s_writable_say(struct sheet *sh)
{
	if (sh->s->writable && sh->s->indicator_set)
		return true;
	if (!sh->s->indicator_set) {
		struct strbuf m = {0};
		/* the database's message (0025) */
		sb_addf(&m, "the evaluation of %s has no indicator set: give its programme one",
			sh->s->contract_no ? sh->s->contract_no : sh->s->station);
		ui_say(sh->ui, sb_str(&m));
		sb_free(&m);
	} else {
		ui_say(sh->ui, _("You may read this evaluation sheet, not score it."));
	}
	return false;
}

/* ---- drafts ---- */

static void drop_draft(struct sheet *sh)
{
	draft_remove(sh->draft);
	draft_free(sh->draft);
	sh->draft = NULL;
}

/* The typed scores into sh->draft (made on the first write, its file
 * kept): the sheet, what it was read as, each typed leaf's score. */
static void fill_draft(struct sheet *sh)
{
	struct evalsheet *s = sh->s;
	struct strbuf title = {0}, k = {0}, col = {0};
	char num[16];

	sb_addf(&title, "%s %s %s", s->contract_no ? s->contract_no : s->station,
		label(sh, "kind", s->kind, &k), s->evaluated_on);
	if (!sh->draft) {
		sh->draft = draft_new("evaluations", NULL, 0, sb_str(&title));
	} else {
		free(sh->draft->title);
		sh->draft->title = xstrdup(sb_str(&title));
		for (size_t i = 0; i < sh->draft->n; i++) {
			free(sh->draft->columns[i]);
			free(sh->draft->texts[i]);
		}
		sh->draft->n = 0;
	}
	if (s->contract_no)
		draft_set(sh->draft, "sheet:contract", s->contract_no);
	else
		draft_set(sh->draft, "sheet:station", s->station);
	draft_set(sh->draft, "sheet:kind", s->kind);
	draft_set(sh->draft, "sheet:date", s->evaluated_on);
	draft_set(sh->draft, "sheet:version", s->version ? s->version : "");
	for (size_t i = 0; i < s->n; i++) {
		const struct evalsheet_row *r = &s->rows[i];
		if (!r->leaf || !r->typed)
			continue;
		num[0] = '\0';
		if (r->score >= 0)
			evalsheet_format(r->score, num);
		sb_reset(&col);
		sb_addf(&col, "score:%s", r->code);
		draft_set(sh->draft, sb_str(&col), num);
	}
	sb_free(&title);
	sb_free(&k);
	sb_free(&col);
}

/* Keeps the typed scores as a sheet draft: true when written. */
static bool keep_draft(struct sheet *sh, struct sgz_err *err)
{
	char *dir;
	int rc;

	if (!sh->s || !sh->dirty) {
		drop_draft(sh);
		return false;
	}
	fill_draft(sh);
	dir = draft_dir();
	rc = draft_write(sh->draft, dir, err);
	free(dir);
	return rc == 0;
}

static bool sh_keep(void *view, struct sgz_err *err)
{
	return keep_draft(view, err);
}

/* Puts draft d's typed scores on the sheet (each leaf it names, within
 * its weight): the number put. */
static size_t apply_draft(struct sheet *sh, const struct draft *d)
{
	size_t put = 0;

	for (size_t k = 0; k < d->n; k++) {
		const char *code = d->columns[k];
		if (strncmp(code, "score:", 6) != 0)
			continue;
		code += 6;
		for (size_t i = 0; i < sh->s->n; i++) {
			struct evalsheet_row *r = &sh->s->rows[i];
			int v = d->texts[k][0] ? evalsheet_parse(d->texts[k]) : -1;
			if (!r->leaf || strcmp(r->code, code) != 0)
				continue;
			if (d->texts[k][0] && (v < 0 || v > r->weight))
				break;
			r->score = v;
			r->typed = true;
			put++;
			break;
		}
	}
	if (put)
		sh->dirty = true;
	enter_leaf(sh, sh->cur);
	return put;
}

/* Whether draft d is of the sheet s shows. */
static bool draft_of(const struct draft *d, const struct evalsheet *s)
{
	const char *c = draft_get(d, "sheet:contract"), *t = draft_get(d, "sheet:station");

	return draft_is_sheet(d) && strcmp(draft_get(d, "sheet:kind"), s->kind) == 0 &&
	       strcmp(draft_get(d, "sheet:date"), s->evaluated_on) == 0 &&
	       (s->contract_no ? c && strcmp(c, s->contract_no) == 0
			       : !c && t && s->station && strcmp(t, s->station) == 0);
}

/* The sheet's digest without the time it was read: equal when nobody
 * wrote it in between (0037). */
static bool same_version(const char *a, const char *b)
{
	const char *x = a ? strchr(a, ':') : NULL, *y = b ? strchr(b, ':') : NULL;

	if (!x || !y)
		return (!a || !*a) && (!b || !*b);
	return strcmp(x, y) == 0;
}

/* Draft d (taken) put on the sheet: its scores over the stored ones, what
 * the sheet was read as then kept, so that a sheet saved by someone else
 * since is refused on F2 (and said now). */
static void restore_draft(struct sheet *sh, struct draft *d)
{
	const char *v = draft_get(d, "sheet:version");
	struct strbuf m = {0};
	size_t put;

	drop_draft(sh);
	sh->draft = d;
	put = apply_draft(sh, d);
	if (v && !same_version(v, sh->s->version)) {
		free(sh->s->version);
		sh->s->version = xstrdup(v);
		ui_say(sh->ui, _("Someone saved this sheet after you typed these scores: Ctrl-R reads it again keeping them, F2 then saves them."));
	} else {
		/* TRANSLATORS: a sheet draft restored: how many scores it put back. */
		sb_addf(&m, ngettext("%zu score you typed is back on the sheet: F2 saves it.",
				     "%zu scores you typed are back on the sheet: F2 saves them.",
				     (unsigned long)put),
			put);
		ui_say(sh->ui, sb_str(&m));
	}
	sb_free(&m);
}

static void on_offer_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct sheet *sh = ctx;
	struct draft *d = sh->offered;

	(void)ui;
	sh->offered = NULL;
	if (answer == 'r') {
		restore_draft(sh, d);
		return;
	}
	if (answer == 'd')
		draft_remove(d);
	draft_free(d); /* else: left on disk, offered again */
}

/* Opening a sheet that has a draft of this session's database and role:
 * offered, r puts it back, d discards it. */
static void offer_draft(struct sheet *sh)
{
	static const struct ui_choice choices[] = {
	    {'r', "r", M_RESTORE},
	    {'d', "d", M_DISCARD},
	};
	char *dir = draft_dir();
	size_t n = 0;
	struct draft **list = draft_list(dir, &n);
	struct strbuf body = {0};
	char when[32];
	struct tm tm;

	free(dir);
	for (size_t i = 0; i < n && !sh->offered; i++)
		if (draft_of(list[i], sh->s)) {
			sh->offered = list[i];
			list[i] = NULL;
		}
	draft_list_free(list, n);
	if (!sh->offered)
		return;
	localtime_r(&sh->offered->saved, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	sb_adds(&body, ui_tr(sh->ui, M_DRAFTS_BODY));
	sb_addf(&body, "\n  %s %s  (%s)\n\n", ui_tr(sh->ui, M_SHEET), sh->offered->title, when);
	sb_adds(&body, ui_tr(sh->ui, M_DRAFTS_LATER));
	ui_ask(sh->ui, ui_tr(sh->ui, M_DRAFTS), sb_str(&body), choices, SGZ_ARRAY_LEN(choices),
	       on_offer_answer, sh);
	sb_free(&body);
}

/* Ctrl-R: the sheet read again as stored (its new version), the scores
 * typed put back over it. */
static void reload(struct sheet *sh)
{
	struct evalsheet *old = sh->s;
	char *code = is_leaf(sh, sh->cur) ? xstrdup(old->rows[sh->cur].code) : NULL;
	char *contract = old->contract_no ? xstrdup(old->contract_no) : NULL;
	char *station = old->station ? xstrdup(old->station) : NULL;
	char *kind = xstrdup(old->kind), *date = xstrdup(old->evaluated_on);
	struct draft *typed_scores;
	struct strbuf m = {0};
	size_t put;

	commit(sh); /* what is typed in the leaf, if it is a score */
	/* the typed scores, as a draft holds them */
	struct draft *kept = sh->draft;
	sh->draft = NULL;
	fill_draft(sh);
	typed_scores = sh->draft;
	sh->draft = kept;
	load(sh, contract, station, kind, date);
	if (sh->s != old) {
		put = apply_draft(sh, typed_scores);
		for (size_t i = 0; code && i < sh->s->n; i++)
			if (sh->s->rows[i].leaf && strcmp(sh->s->rows[i].code, code) == 0)
				enter_leaf(sh, i);
		if (put) {
			struct sgz_err err;
			sgz_err_clear(&err);
			keep_draft(sh, &err); /* the draft now of the sheet as read again */
		}
		/* TRANSLATORS: Ctrl-R on the evaluation sheet: the scores typed put back. */
		sb_addf(&m, ngettext("Read again as stored: %zu score you typed is kept over it; F2 saves it.",
				     "Read again as stored: %zu scores you typed are kept over it; F2 saves them.",
				     (unsigned long)put),
			put);
		ui_say(sh->ui, sb_str(&m));
	}
	draft_free(typed_scores);
	sb_free(&m);
	free(code);
	free(contract);
	free(station);
	free(kind);
	free(date);
}

static bool save(struct sheet *sh)
{
	struct sgz_err err;
	int total = -1;
	char num[16];

	if (!s_writable_say(sh))
		return false;
	if (!commit(sh))
		return false;
	sgz_err_clear(&err);
	if (evalsheet_save(ui_db(sh->ui), sh->s, &total, &err) < 0) {
		if (err.status == SGZ_EDATA && strstr(err.msg, "since it was opened")) {
			/* saved by someone else since it was read: every typed
			 * score stays, on the screen and in the draft */
			struct sgz_err kerr;
			char *t = msg_tr(err.msg);
			struct strbuf m = {0};
			sgz_err_clear(&kerr);
			keep_draft(sh, &kerr);
			/* TRANSLATORS: a stale save of the evaluation sheet: the
			 * database's refusal, then what to do. */
			sb_addf(&m, _("%s. Ctrl-R reads it again keeping your scores; F2 then saves them."),
				t);
			ui_say(sh->ui, sb_str(&m));
			sb_free(&m);
			free(t);
			return false;
		}
		ui_say_error(sh->ui, &err); /* the database's message, translated */
		return false;
	}
	sh->dirty = false;
	drop_draft(sh);
	for (size_t i = 0; i < sh->s->n; i++)
		sh->s->rows[i].typed = false;
	if (sh->origin)
		list_screen_changed(sh->origin, NULL);
	struct strbuf m = {0};
	num[0] = '\0';
	if (total >= 0)
		evalsheet_format(total, num);
	/* TRANSLATORS: the evaluation sheet saved: its stored score. */
	sb_addf(&m, _("Saved: score %s"), total >= 0 ? num : "-");
	ui_say(sh->ui, sb_str(&m));
	sb_free(&m);
	enter_leaf(sh, sh->cur);
	return true;
}

/* F3: saved, the next contract year of the same programme's cycle. */
static void save_next(struct sheet *sh)
{
	struct sgz_err err;
	char *kind = NULL, *date = NULL, *next;
	int rc;

	if (!sh->s->next_contract) {
		ui_say(sh->ui, _("This is the last contract year of its cycle: there is no next one."));
		return;
	}
	if (!save(sh))
		return;
	sgz_err_clear(&err);
	rc = evalsheet_next(ui_db(sh->ui), sh->s, &kind, &date, &err);
	if (rc < 0) {
		ui_say_error(sh->ui, &err);
	} else if (rc > 0) {
		next = xstrdup(sh->s->next_contract);
		load(sh, next, NULL, kind, date);
		free(next);
	}
	free(kind);
	free(date);
}

static void on_discard(struct ui *ui, void *ctx, wint_t answer)
{
	struct sheet *sh = ctx;
	struct sgz_err err;

	if (answer == 'y') {
		drop_draft(sh);
		ui_pop(ui);
	} else if (answer == 'k') {
		sgz_err_clear(&err);
		if (!keep_draft(sh, &err)) {
			ui_say_error(ui, &err);
			return;
		}
		ui_pop(ui);
		ui_say(ui, ui_tr(ui, M_DRAFT_KEPT));
	}
}

static bool sh_key(void *view, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'k', "k", M_KEEP_DRAFT},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct sheet *sh = view;
	struct ui *ui = sh->ui;
	size_t len = strlen(sh->buf);

	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		if (sh->dirty)
			ui_ask(ui, ui_tr(ui, M_BACK), ui_tr(ui, M_DISCARD_ASK), discard,
			       SGZ_ARRAY_LEN(discard), on_discard, sh);
		else
			ui_pop(ui);
		return true;
	}
	if (fn && wc == KEY_F(1))
		return false;
	if ((fn && wc == KEY_F(2)) || (!fn && wc == UI_KEY_CTRL('W'))) {
		save(sh);
	} else if (!fn && wc == UI_KEY_CTRL('R')) {
		reload(sh);
	} else if ((fn && wc == KEY_F(3)) || (!fn && wc == UI_KEY_CTRL('N'))) {
		save_next(sh);
	} else if ((fn && (wc == KEY_DOWN || wc == KEY_ENTER)) ||
		   (!fn && (wc == L'\t' || wc == L'\r' || wc == L'\n'))) {
		step(sh, 1);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		step(sh, -1);
	} else if (!is_leaf(sh, sh->cur)) {
		return wc == L'?' ? false : true;
	} else if (!fn && wc == UI_KEY_CTRL('K')) {
		if (s_writable_say(sh)) {
			sh->buf[0] = '\0';
			sh->fresh = false;
			typed(sh);
		}
	} else if ((fn && wc == KEY_BACKSPACE) || (!fn && (wc == 127 || wc == 8))) {
		if (s_writable_say(sh) && len) {
			sh->buf[len - 1] = '\0';
			sh->fresh = false;
			typed(sh);
		}
	} else if (!fn && ((wc >= L'0' && wc <= L'9') || wc == L'.')) {
		if (s_writable_say(sh)) {
			if (sh->fresh) {
				sh->buf[0] = '\0';
				len = 0;
				sh->fresh = false;
			}
			if (len + 1 < 8) {
				sh->buf[len] = (char)wc;
				sh->buf[len + 1] = '\0';
			}
			typed(sh);
		}
	} else {
		return false; /* ?, Ctrl-L: the shell's */
	}
	ui_redraw(ui);
	return true;
}

static const struct ui_keyinfo *sh_keys(void *view, size_t *n)
{
	(void)view;
	*n = SGZ_ARRAY_LEN(sheet_keys);
	return sheet_keys;
}

static void sh_free(void *view)
{
	struct sheet *sh = view;

	evalsheet_free(sh->s);
	draft_free(sh->draft);
	draft_free(sh->offered);
	sb_free(&sh->title);
	free(sh);
}

static const struct ui_view_ops sheet_ops = {
    .title = sh_title,
    .draw = sh_draw,
    .key = sh_key,
    .keys = sh_keys,
    .free = sh_free,
    .keep = sh_keep,
};

/* Reads the sheet into sh (replacing the one shown). */
static void load(struct sheet *sh, const char *contract, const char *station, const char *kind,
		 const char *date)
{
	struct evalsheet *s = NULL;
	struct sgz_err err;

	sgz_err_clear(&err);
	if (evalsheet_load(ui_db(sh->ui), contract, station, kind, date, &s, &err) < 0) {
		ui_say_error(sh->ui, &err);
		return;
	}
	evalsheet_free(sh->s);
	sh->s = s;
	sh->dirty = false;
	first_leaf(sh);
	set_title(sh);
	if (!s->indicator_set)
		s_writable_say(sh);
}

void evalsheet_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			 struct list_screen *origin)
{
	char **parts = NULL, *kind = NULL, *date = NULL;
	const char *contract = NULL, *station = NULL;
	size_t n = 0;
	struct sgz_err err;
	struct sheet *sh;
	int rc = 1;

	if (!key) {
		ui_say(ui, ui_tr(ui, M_NOTHING_TO_OPEN));
		return;
	}
	parts = record_key_decode(e, key, &n);
	if (!parts || n < 1) {
		record_key_free(parts, n);
		return;
	}
	sgz_err_clear(&err);
	if (strcmp(e->name, "evaluations") == 0 && n == 4) {
		/* contract_no, station, kind, evaluated_on */
		contract = parts[0];
		station = parts[1];
		kind = parts[2] ? xstrdup(parts[2]) : NULL;
		date = parts[3] ? xstrdup(parts[3]) : NULL;
	} else {
		if (strcmp(e->name, "stations") == 0)
			station = parts[0];
		else
			contract = parts[0];
		rc = evalsheet_pick(ui_db(ui), contract, station, &kind, &date, &err);
	}
	if (rc < 0)
		ui_say_error(ui, &err);
	else if (rc == 0 || !kind || !date)
		ui_say(ui, ui_tr(ui, M_GONE));
	if (rc <= 0 || !kind || !date) {
		free(kind);
		free(date);
		record_key_free(parts, n);
		return;
	}
	sh = xcalloc(1, sizeof(*sh));
	sh->ui = ui;
	sh->origin = origin;
	load(sh, contract, station, kind, date);
	free(kind);
	free(date);
	record_key_free(parts, n);
	if (!sh->s) {
		sb_free(&sh->title);
		free(sh);
		return;
	}
	if (!sh->s->found) {
		ui_say(ui, ui_tr(ui, M_GONE));
		sh_free(sh);
		return;
	}
	ui_push_view(ui, &sheet_ops, sh);
	offer_draft(sh);
}

void evalsheet_from_draft(struct ui *ui, struct draft *d)
{
	struct sheet *sh = xcalloc(1, sizeof(*sh));

	sh->ui = ui;
	load(sh, draft_get(d, "sheet:contract"), draft_get(d, "sheet:station"),
	     draft_get(d, "sheet:kind"), draft_get(d, "sheet:date"));
	if (!sh->s || !sh->s->found) {
		if (sh->s)
			ui_say(ui, ui_tr(ui, M_GONE));
		draft_free(d); /* left on disk */
		sh_free(sh);
		return;
	}
	ui_push_view(ui, &sheet_ops, sh);
	restore_draft(sh, d);
}
