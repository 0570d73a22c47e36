/* picker.c - the type-ahead picker of a form field (picker.h). */
#include "config.h"

#include "sgz/picker.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/browse.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"

/* clang-format off */
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
    {"yes", "是", "yes"},
    {"no", "否", "no"},
    {NULL, NULL, NULL},
};

void picker_init(struct picker *pk)
{
	memset(pk, 0, sizeof(*pk));
	pk->filter = lineedit_new(30, 100);
}

static void picker_clear(struct picker *pk)
{
	for (size_t i = 0; i < pk->n; i++) {
		free(pk->values[i]);
		free(pk->shown[i]);
		free(pk->labels[i]);
		free(pk->places[i]);
	}
	pk->n = 0;
	pk->sel = pk->top = 0;
}

static void ticks_clear(struct picker *pk)
{
	for (size_t i = 0; i < pk->ntk; i++) {
		free(pk->tk_tokens[i]);
		free(pk->tk_pids[i]);
		free(pk->tk_names[i]);
	}
	pk->ntk = 0;
}

void picker_close(struct picker *pk)
{
	picker_clear(pk);
	ticks_clear(pk);
	free(pk->day);
	free(pk->station);
	free(pk->have);
	pk->day = pk->station = pk->have = NULL;
	pk->many = false;
	free(pk->ticked);
	pk->ticked = NULL;
	free(pk->error);
	pk->error = NULL;
	pk->open = false;
}

void picker_free(struct picker *pk)
{
	picker_close(pk);
	free(pk->values);
	free(pk->shown);
	free(pk->labels);
	free(pk->places);
	free(pk->tk_tokens);
	free(pk->tk_pids);
	free(pk->tk_names);
	lineedit_free(pk->filter);
	memset(pk, 0, sizeof(*pk));
}

const struct ui_keyinfo *picker_keys(const struct picker *pk, size_t *n)
{
	if (pk->multi || pk->many) {
		*n = SGZ_ARRAY_LEN(pick_multi_keys);
		return pick_multi_keys;
	}
	*n = SGZ_ARRAY_LEN(pick_keys);
	return pick_keys;
}

static void picker_add(struct picker *pk, const char *value, const char *shown, const char *label,
		       const char *place)
{
	if (pk->n == pk->cap) {
		pk->cap = pk->cap ? pk->cap * 2 : 16;
		pk->values = xreallocarray(pk->values, pk->cap, sizeof(*pk->values));
		pk->shown = xreallocarray(pk->shown, pk->cap, sizeof(*pk->shown));
		pk->labels = xreallocarray(pk->labels, pk->cap, sizeof(*pk->labels));
		pk->places = xreallocarray(pk->places, pk->cap, sizeof(*pk->places));
	}
	pk->values[pk->n] = xstrdup(value);
	pk->shown[pk->n] = xstrdup(shown);
	pk->labels[pk->n] = xstrdup(label ? label : "");
	pk->places[pk->n] = xstrdup(place ? place : "");
	pk->n++;
}

/* many: the ticked attendee of pid ('#pid'), or pk->ntk */
static size_t tick_index(const struct picker *pk, const char *pid)
{
	size_t i = 0;

	while (i < pk->ntk && strcmp(pk->tk_pids[i], pid) != 0)
		i++;
	return i;
}

static void tick_add(struct picker *pk, const char *token, const char *pid, const char *name)
{
	if (pk->ntk == pk->tkcap) {
		pk->tkcap = pk->tkcap ? pk->tkcap * 2 : 8;
		pk->tk_tokens = xreallocarray(pk->tk_tokens, pk->tkcap, sizeof(*pk->tk_tokens));
		pk->tk_pids = xreallocarray(pk->tk_pids, pk->tkcap, sizeof(*pk->tk_pids));
		pk->tk_names = xreallocarray(pk->tk_names, pk->tkcap, sizeof(*pk->tk_names));
	}
	pk->tk_tokens[pk->ntk] = xstrdup(token);
	pk->tk_pids[pk->ntk] = xstrdup(pid);
	pk->tk_names[pk->ntk] = xstrdup(name && *name ? name : token);
	pk->ntk++;
}

static void tick_toggle(struct picker *pk, size_t k)
{
	size_t i = tick_index(pk, pk->values[k]);

	if (i < pk->ntk) {
		free(pk->tk_tokens[i]);
		free(pk->tk_pids[i]);
		free(pk->tk_names[i]);
		pk->ntk--;
		memmove(pk->tk_tokens + i, pk->tk_tokens + i + 1, (pk->ntk - i) * sizeof(char *));
		memmove(pk->tk_pids + i, pk->tk_pids + i + 1, (pk->ntk - i) * sizeof(char *));
		memmove(pk->tk_names + i, pk->tk_names + i + 1, (pk->ntk - i) * sizeof(char *));
		return;
	}
	tick_add(pk, pk->values[k], pk->values[k], pk->labels[k]);
}

static int tick_take(void *arg, const char *token, const char *pid, const char *name,
		     const char *place)
{
	struct picker *pk = arg;

	(void)place;
	if (tick_index(pk, pid) == pk->ntk)
		tick_add(pk, token, pid, name);
	return 0;
}

void picker_set_attendees(struct picker *pk, const char *value, const char *station,
			  const char *day)
{
	pk->many = true;
	pk->remote = true;
	pk->append = false;
	ticks_clear(pk);
	free(pk->have);
	free(pk->day);
	free(pk->station);
	pk->have = xstrdup(value ? value : "");
	pk->day = day && *day ? xstrdup(day) : NULL;
	pk->station = station && *station ? xstrdup(station) : NULL;
	lineedit_set_utf8(pk->filter, "");
	pk->stale = true;
}

static int picker_take(void *arg, const char *value, const char *shown, const char *label,
		       const char *place)
{
	picker_add(arg, value, shown, label, place);
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
		picker_add(pk, pk->choices[idx[k]].code, pk->choices[idx[k]].code,
			   pk->choices[idx[k]].label_zh, NULL);
	free(text);
}

static size_t choice_index(const struct picker *pk, const char *code)
{
	size_t c = 0;

	while (pk->choices[c].code && strcmp(pk->choices[c].code, code) != 0)
		c++;
	return c;
}

void picker_open(struct picker *pk, size_t field, const struct dict_field *df, const char *text)
{
	struct strbuf canon = {0};
	struct sgz_err err;

	picker_close(pk);
	pk->open = true;
	pk->field = field;
	pk->df = df;
	pk->remote = df->type != DT_CHOICE && df->type != DT_CHOICES && df->type != DT_BOOL;
	pk->multi = df->type == DT_CHOICES;
	pk->append = df->type == DT_DIVISIONS;
	pk->choices = df->type == DT_BOOL ? bool_choices : df->choices;
	sgz_err_clear(&err);
	if (pk->remote) {
		/* what was typed is where the look-up starts; a masked number
		 * (a pick) matches nothing, so the look-up starts from all */
		lineedit_set_utf8(pk->filter, pk->append || strchr(text, '*') ? "" : text);
		pk->stale = true;
		return;
	}
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
	sb_free(&canon);
}

bool picker_lookup(struct picker *pk, struct ui *ui)
{
	struct sgz_err err;
	char *text;

	if (!pk->open || !pk->remote || !pk->stale)
		return false;
	pk->stale = false;
	picker_clear(pk);
	free(pk->error);
	pk->error = NULL;
	text = lineedit_get_utf8(pk->filter);
	sgz_err_clear(&err);
	if (pk->many && (!pk->day || (pk->df->pick_station && !pk->station))) {
		/* whom to offer follows from the day (and the station) */
		pk->error = xstrdup(pk->day ? _("(fill in the station first)")
					    : _("(fill in the date first)"));
	} else if (pk->many && pk->have &&
		   browse_attendee_ticks(ui_db(ui), pk->have, pk->station, pk->day, tick_take, pk,
					 &err) < 0) {
		picker_clear(pk);
		pk->error = form_tr_message(err.msg);
		ui_say_error(ui, &err);
	} else if (pk->many) {
		free(pk->have); /* ticked now; the ticks are the picker's */
		pk->have = NULL;
		if (browse_lookup_attendees(ui_db(ui), text, pk->station, pk->day, PICK_FETCH,
					    picker_take, pk, &err) < 0) {
			picker_clear(pk);
			pk->error = form_tr_message(err.msg);
			ui_say_error(ui, &err);
		}
	} else if (browse_lookup(ui_db(ui), pk->df, text, PICK_FETCH, picker_take, pk, &err) < 0) {
		/* a refusal or a failure is no "no matches": the picker says
		 * why, as the message line does */
		picker_clear(pk);
		pk->error = form_tr_message(err.msg);
		ui_say_error(ui, &err);
	}
	free(text);
	return true;
}

char *picker_text(const struct picker *pk, const char *have, bool zh)
{
	struct strbuf sb = {0};

	if (pk->many) {
		/* the names, as the field shows the ticked set */
		for (size_t i = 0; i < pk->ntk; i++)
			sb_addf(&sb, "%s%s", i ? ";" : "", pk->tk_names[i]);
		return sb_detach(&sb);
	}
	if (pk->multi) {
		for (size_t c = 0; pk->choices[c].code; c++) {
			if (!pk->ticked[c])
				continue;
			char *t = form_value_text(pk->df, pk->choices[c].code, zh);
			sb_addf(&sb, "%s%s", sb.len ? ";" : "", t);
			free(t);
		}
		return sb_detach(&sb);
	}
	if (pk->n == 0)
		return NULL;
	if (pk->append) {
		sb_adds(&sb, have);
		if (!strstr(have, pk->values[pk->sel]))
			sb_addf(&sb, "%s%s", *have ? ";" : "", pk->values[pk->sel]);
		return sb_detach(&sb);
	}
	return form_value_text(pk->df, pk->values[pk->sel], zh);
}

int picker_put(struct picker *pk, struct ui *ui, struct form *form)
{
	char *have = form_text(form, pk->field);
	char *text = picker_text(pk, have, ui_zh(ui));
	struct sgz_err err;

	free(have);
	if (!text)
		return 0;
	if (pk->many) {
		struct strbuf value = {0};
		struct dict_field staff = {.pick_table = "sgz.staff", .pick_column = "id_number"};
		sgz_err_clear(&err);
		for (size_t i = 0; i < pk->ntk; i++) {
			/* a pick by pid filed as person pickers file theirs */
			if (pk->tk_tokens[i][0] == '#' &&
			    browse_audit_pick(ui_db(ui), &staff, pk->tk_tokens[i], false, &err) < 0) {
				ui_say_error(ui, &err);
				sb_free(&value);
				free(text);
				return -1;
			}
			sb_addf(&value, "%s%s", i ? ";" : "", pk->tk_tokens[i]);
		}
		if (pk->ntk)
			form_set_masked(form, pk->field, sb_str(&value), text);
		else
			form_set_text(form, pk->field, "");
		sb_free(&value);
	} else if (pk->remote && !pk->append) {
		const char *value = pk->values[pk->sel], *shown = pk->shown[pk->sel];
		sgz_err_clear(&err);
		if (browse_audit_pick(ui_db(ui), pk->df, value, strcmp(value, shown) == 0, &err) <
		    0) {
			ui_say_error(ui, &err);
			free(text);
			return -1;
		}
		if (strcmp(value, shown) != 0)
			form_set_masked(form, pk->field, value, shown);
		else
			form_set_text(form, pk->field, text);
	} else {
		form_set_text(form, pk->field, text);
	}
	free(text);
	picker_close(pk);
	return 1;
}

static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

enum picker_done picker_key(struct picker *pk, bool fn, wint_t wc)
{
	size_t len = lineedit_len(pk->filter);
	char *before, *after;

	if (is_esc(fn, wc)) {
		picker_close(pk);
		return PICKER_CLOSED;
	}
	if (is_enter(fn, wc))
		/* attendees: not before the ticked ones are known */
		return pk->many && pk->have ? PICKER_KEPT : PICKER_PICKED;
	/* Ctrl-F / Ctrl-B: PgDn / PgUp's twins (keys.md); Space and b are
	 * the filter's text here */
	if (!fn && (wc == 0x06 || wc == 0x02)) {
		fn = true;
		wc = wc == 0x06 ? KEY_NPAGE : KEY_PPAGE;
	}
	if (fn && (wc == KEY_UP || wc == KEY_DOWN || wc == KEY_PPAGE || wc == KEY_NPAGE)) {
		size_t step = wc == KEY_UP || wc == KEY_DOWN ? 1 : PICK_ROWS;
		if (wc == KEY_UP || wc == KEY_PPAGE)
			pk->sel = pk->sel > step ? pk->sel - step : 0;
		else if (pk->n)
			pk->sel = pk->sel + step < pk->n ? pk->sel + step : pk->n - 1;
		return PICKER_KEPT;
	}
	if (pk->multi && !fn && wc == L' ') {
		if (pk->n)
			pk->ticked[choice_index(pk, pk->values[pk->sel])] ^= true;
		return PICKER_KEPT;
	}
	if (pk->many && !fn && wc == L' ') {
		/* not on a list the look-up is about to replace */
		if (pk->n && !pk->have && !pk->stale)
			tick_toggle(pk, pk->sel);
		return PICKER_KEPT;
	}
	before = lineedit_get_utf8(pk->filter);
	lineedit_key(pk->filter, fn, wc);
	after = lineedit_get_utf8(pk->filter);
	if (strcmp(before, after) != 0 || lineedit_len(pk->filter) != len) {
		if (pk->remote)
			pk->stale = true; /* looked up once the keys stop */
		else
			picker_local(pk);
		pk->sel = pk->top = 0;
	}
	free(before);
	free(after);
	return PICKER_KEPT;
}

void picker_draw(struct picker *pk, struct ui *ui, const char *label, int x, int field_y,
		 int top, int height)
{
	int rows = PICK_ROWS, w = COLS - 8 < 60 ? COLS - 8 : 60;
	int bh = rows + 3, y, fx;
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
	/* TRANSLATORS: the picker's title: the field's label follows. */
	sb_addf(&sb, _("Pick: %s"), label);
	if (pk->many)
		/* TRANSLATORS: after the picker's title: how many are ticked. */
		sb_addf(&sb, _(" (%zu ticked)"), pk->ntk);
	ui_put(y, x + 2, w - 4, sb_str(&sb), A_BOLD, false);
	/* the filter */
	fx = x + 2 + ui_put(y + 1, x + 2, 2, "> ", A_NORMAL, false);
	if (lineedit_width(pk->filter) != w - 6)
		lineedit_set_width(pk->filter, w - 6);
	lineedit_draw(stdscr, y + 1, fx, pk->filter, A_NORMAL, L' ', true);
	ui_cursor(ui, y + 1, fx + lineedit_cursor_col(pk->filter));
	/* the candidates */
	if (pk->sel < pk->top)
		pk->top = pk->sel;
	if (pk->sel >= pk->top + (size_t)rows)
		pk->top = pk->sel - (size_t)rows + 1;
	if (pk->n == 0)
		ui_put(y + 2, x + 2, w - 4,
		       pk->error && !pk->stale
			   ? pk->error
			   : ui_tr(ui, pk->remote && pk->stale ? M_PICK_LOOKING : M_PICK_NONE),
		       pk->error && !pk->stale ? A_BOLD : A_NORMAL, false);
	for (int r = 0; r < rows && pk->top + (size_t)r < pk->n; r++) {
		size_t k = pk->top + (size_t)r;
		const char *desc = pk->labels[k];
		sb_reset(&sb);
		if (pk->multi)
			sb_addf(&sb, "[%c] ",
				pk->ticked[choice_index(pk, pk->values[k])] ? 'x' : ' ');
		else if (pk->many)
			sb_addf(&sb, "[%c] ", tick_index(pk, pk->values[k]) < pk->ntk ? 'x' : ' ');
		if (!pk->remote) {
			/* a choice: its label in the reader's language, no code */
			char *t = form_value_text(pk->df, pk->values[k], ui_zh(ui));
			sb_adds(&sb, t);
			free(t);
		} else if (pk->values[k][0] == '#') {
			/* a person, picked by pid: the name, then the number
			 * (masked) and the station that tell namesakes apart
			 * (work.md; issue 10: never one picked silently) */
			sb_addf(&sb, "%s %s", desc, pk->shown[k]);
			if (*pk->places[k])
				sb_addf(&sb, " %s", pk->places[k]);
		} else {
			sb_addf(&sb, "%s  %s", pk->shown[k], desc);
		}
		ui_put(y + 2 + r, x + 1, w - 2, sb_str(&sb),
		       k == pk->sel ? ui_selected_attr(ui) : A_NORMAL, k == pk->sel);
	}
	sb_free(&sb);
}

void picker_paste(struct picker *pk, struct ui *ui, const wchar_t *s, size_t n)
{
	struct lineedit *line = lineedit_new(1, 0);
	const wchar_t *text;
	size_t len;

	/* the first line, tabs as spaces, no control characters: each one a
	 * key the picker's filter takes as typed (but Space, a tick there) */
	ui_paste_text(ui, line, s, n);
	text = lineedit_text(line, &len);
	for (size_t i = 0; i < len && pk->open; i++)
		if (!((pk->multi || pk->many) && text[i] == L' '))
			picker_key(pk, false, (wint_t)text[i]);
	lineedit_free(line);
}
