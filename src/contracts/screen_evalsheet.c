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
 * saves the evaluation and its scores in one statement; F3 saves and
 * opens the next contract year of the same programme's cycle. A user who
 * may not write the scores (a station's) reads the sheet. */
#include "config.h"

#include "sgz/contracts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/evalsheet.h"
#include "sgz/i18n.h"
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
};

/* clang-format off */
static const struct ui_keyinfo sheet_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SHEET_SAVE },
	{ "F3, Ctrl-N", "F3", M_SHEET_NEXT, M_DO_SHEET_NEXT },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
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
		ui_say_error(sh->ui, &err); /* the database's message, translated */
		return false;
	}
	sh->dirty = false;
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
	(void)ctx;
	if (answer == 'y')
		ui_pop(ui);
}

static bool sh_key(void *view, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
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
	sb_free(&sh->title);
	free(sh);
}

static const struct ui_view_ops sheet_ops = {
    .title = sh_title,
    .draw = sh_draw,
    .key = sh_key,
    .keys = sh_keys,
    .free = sh_free,
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
}
