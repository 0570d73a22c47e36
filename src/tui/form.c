/* form.c - the record form: the model first (no curses but the line
 * editors' types), then the draw function. */
#include "config.h"

#include "sgz/form.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/width.h"

/* The widest label column, marks included; longer labels are cut. */
#define LABEL_MAX 26
/* Marks before a label: refused/current, required. */
#define MARKS 2

struct field {
	const struct dict_field *df;
	struct lineedit *le;
	char *error;  /* NULL: none */
	char *stored; /* read-only fields: the value loaded, or shown (form_show()) */
	bool edited;  /* changed other than by typing (a pick, ditto) */
	/* A picked person the screen may not show in full: the field shows
	 * masked and stands for value until its text changes. */
	char *hidden, *hidden_shown;
	/* the last such pick, for a ditto of the same value */
	char *last_hidden, *last_shown;
	/* what a reference refers to, shown beside its code, and the value
	 * it was looked up for (form_set_note()) */
	char *note, *noted;
	/* shows a value the form proposed (form_propose()): the first
	 * character typed replaces it */
	bool proposed;
};

struct form {
	const struct dict_entity *e;
	bool zh;
	struct field *fields;
	size_t n;
	size_t cur;
	size_t top; /* the first field on screen */
	char **ditto;
	int width;	 /* as last laid out */
	int label_width; /* marks included */
};

/* ---- fields ---- */

static bool readonly(const struct dict_field *df)
{
	return (df->flags & DF_NOEXPORT) != 0;
}

static size_t max_chars(const struct dict_field *df)
{
	switch (df->type) {
	case DT_TEXT:
	case DT_PATTERN:
		return (size_t)(df->max_len ? df->max_len : 200);
	case DT_DIVISION:
		return 32;
	case DT_DATE:
		return 20;
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
		return 32;
	case DT_BOOL:
		return 8;
	case DT_CHOICE:
		return 64;
	case DT_CHOICES:
	case DT_DIVISIONS:
		return 2000;
	}
	return 200;
}

struct form *form_new(const struct dict_entity *e, bool zh)
{
	struct form *f = xcalloc(1, sizeof(*f));

	f->e = e;
	f->zh = zh;
	f->n = e->nfields;
	f->fields = xcalloc(f->n ? f->n : 1, sizeof(*f->fields));
	for (size_t i = 0; i < f->n; i++) {
		f->fields[i].df = &e->fields[i];
		f->fields[i].le = lineedit_new(10, max_chars(&e->fields[i]));
		lineedit_set_multiline(f->fields[i].le, (e->fields[i].flags & DF_MULTILINE) != 0);
	}
	form_layout(f, 80);
	form_load(f, NULL);
	return f;
}

static void free_values(size_t n, char **v)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void form_free(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		lineedit_free(f->fields[i].le);
		free(f->fields[i].error);
		free(f->fields[i].stored);
		free(f->fields[i].hidden);
		free(f->fields[i].hidden_shown);
		free(f->fields[i].last_hidden);
		free(f->fields[i].last_shown);
		free(f->fields[i].note);
		free(f->fields[i].noted);
	}
	free(f->fields);
	free_values(f->n, f->ditto);
	free(f);
}

const struct dict_entity *form_entity(const struct form *f)
{
	return f->e;
}

size_t form_count(const struct form *f)
{
	return f->n;
}

const struct dict_field *form_dict_field(const struct form *f, size_t i)
{
	return f->fields[i].df;
}

struct lineedit *form_lineedit(struct form *f, size_t i)
{
	return f->fields[i].le;
}

/* ---- labels ---- */

/* The English labels of the dictionary that name different things (Name:
 * 姓名, 站点名称, 机构名称): no one translation serves them all. Built once. */
static const char **shared_labels;
static size_t nshared;

struct label_pair {
	const char *en, *zh;
};

static void note_label(struct label_pair **seen, size_t *n, const char *en, const char *zh)
{
	if (!en || !zh)
		return;
	for (size_t k = 0; k < *n; k++) {
		if (strcmp((*seen)[k].en, en) != 0)
			continue;
		if (strcmp((*seen)[k].zh, zh) == 0)
			return;
		for (size_t j = 0; j < nshared; j++)
			if (strcmp(shared_labels[j], en) == 0)
				return;
		shared_labels = xreallocarray(shared_labels, nshared + 1, sizeof(*shared_labels));
		shared_labels[nshared++] = en;
		return;
	}
	*seen = xreallocarray(*seen, *n + 1, sizeof(**seen));
	(*seen)[(*n)++] = (struct label_pair){en, zh};
}

static bool label_shared(const char *label)
{
	static bool built;

	if (!built) {
		size_t ne, n = 0;
		const struct dict_entity *const *all = dict_entities(&ne);
		struct label_pair *seen = NULL;

		built = true;
		for (size_t a = 0; a < ne; a++) {
			note_label(&seen, &n, all[a]->label, all[a]->label_zh);
			for (size_t i = 0; i < all[a]->nfields; i++)
				note_label(&seen, &n, all[a]->fields[i].label,
					   all[a]->fields[i].label_zh);
		}
		free(seen);
	}
	for (size_t j = 0; j < nshared; j++)
		if (strcmp(shared_labels[j], label) == 0)
			return true;
	return false;
}

const char *form_dict_label(const char *label, const char *label_zh, bool zh)
{
	const char *t = label ? _(label) : "";

	if (zh && label_zh && (t == label || label_shared(label)))
		return label_zh;
	return t;
}

const char *form_label(const struct form *f, size_t i)
{
	const struct dict_field *df = f->fields[i].df;

	return form_dict_label(df->label, df->label_zh, f->zh);
}

bool form_required(const struct form *f, size_t i)
{
	unsigned fl = f->fields[i].df->flags;

	return (fl & DF_REQUIRED) && !(fl & (DF_AUTO | DF_NOEXPORT)) && !f->fields[i].df->def;
}

bool form_readonly(const struct form *f, size_t i)
{
	return readonly(f->fields[i].df);
}

bool form_sticky(const struct form *f, size_t i)
{
	const struct dict_field *df = f->fields[i].df;

	if (readonly(df) || (df->flags & DF_AUTO))
		return false;
	return df->ref_table != NULL || df->type == DT_DATE || (df->flags & DF_STICKY);
}

bool form_pickable(const struct form *f, size_t i)
{
	const struct dict_field *df = f->fields[i].df;

	if (readonly(df))
		return false;
	return df->type == DT_CHOICE || df->type == DT_CHOICES || df->type == DT_BOOL ||
	       (df->ref_table != NULL && df->ref_column != NULL) ||
	       (df->pick_table != NULL && df->pick_column != NULL) || df->pick_day != NULL;
}

char *form_text(const struct form *f, size_t i)
{
	return lineedit_get_utf8(f->fields[i].le);
}

const char *form_error(const struct form *f, size_t i)
{
	return f->fields[i].error;
}

void form_set_error(struct form *f, size_t i, const char *msg)
{
	free(f->fields[i].error);
	f->fields[i].error = msg ? xstrdup(msg) : NULL;
}

int form_first_error(const struct form *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->fields[i].error)
			return (int)i;
	return -1;
}

/* The field no longer stands for a hidden value. */
static void unhide(struct field *fd)
{
	free(fd->hidden);
	free(fd->hidden_shown);
	fd->hidden = fd->hidden_shown = NULL;
}

/* The hidden value field i stands for, if its text is still the masked
 * one it was given (anything that changed the text, a paste included,
 * ends it). */
static const char *hidden_value(const struct field *fd)
{
	char *text;
	bool same;

	if (!fd->hidden)
		return NULL;
	text = lineedit_get_utf8(fd->le);
	same = strcmp(text, fd->hidden_shown) == 0;
	free(text);
	return same ? fd->hidden : NULL;
}

int form_set_text(struct form *f, size_t i, const char *text)
{
	int rc;

	unhide(&f->fields[i]);
	f->fields[i].proposed = false;
	rc = lineedit_set_utf8(f->fields[i].le, text);

	lineedit_set_dirty(f->fields[i].le, true);
	f->fields[i].edited = true;
	form_set_error(f, i, NULL);
	return rc;
}

void form_set_masked(struct form *f, size_t i, const char *value, const char *shown)
{
	struct field *fd = &f->fields[i];

	form_set_text(f, i, shown);
	lineedit_home(fd->le);
	fd->hidden = xstrdup(value);
	fd->hidden_shown = xstrdup(shown);
	free(fd->last_hidden);
	free(fd->last_shown);
	fd->last_hidden = xstrdup(value);
	fd->last_shown = xstrdup(shown);
}

static void enter_field(struct form *f);

void form_propose(struct form *f, size_t i, const char *value, const char *shown)
{
	struct field *fd = &f->fields[i];

	if (readonly(fd->df))
		return;
	if (shown && *shown) {
		form_set_masked(f, i, value, shown);
	} else {
		char *text = form_display(f, i, value);
		form_set_text(f, i, text);
		free(text);
		fd->proposed = true;
	}
	form_set_clean_field(f, i);
	if (i == f->cur)
		enter_field(f);
}

void form_show(struct form *f, size_t i, const char *value)
{
	char *text = value ? form_display(f, i, value) : NULL;

	free(f->fields[i].stored);
	f->fields[i].stored = value && *value ? xstrdup(value) : NULL;
	form_set_text(f, i, text ? text : "");
	free(text);
	form_set_clean_field(f, i);
}

bool form_proposed(const struct form *f, size_t i)
{
	return f->fields[i].proposed;
}

bool form_masked(const struct form *f, size_t i)
{
	return hidden_value(&f->fields[i]) != NULL;
}

void form_set_note(struct form *f, size_t i, const char *value, const char *note)
{
	struct field *fd = &f->fields[i];

	free(fd->note);
	free(fd->noted);
	fd->note = note && *note ? xstrdup(note) : NULL;
	fd->noted = value ? xstrdup(value) : NULL;
}

const char *form_noted(const struct form *f, size_t i)
{
	return f->fields[i].noted;
}

const char *form_note(const struct form *f, size_t i)
{
	return f->fields[i].note;
}

/* ---- the cursor ---- */

size_t form_current(const struct form *f)
{
	return f->cur;
}

/* The first editable field from i on in direction step (wrapping), or i. */
static size_t editable_from(const struct form *f, size_t i, int step)
{
	size_t j = i;

	for (size_t k = 0; k < f->n; k++) {
		if (!readonly(f->fields[j].df))
			return j;
		j = step > 0 ? (j + 1) % f->n : (j + f->n - 1) % f->n;
	}
	return i;
}

/* Entering a field puts the cursor after its text, where typing usually
 * goes, when the text fits; a longer text shows from its start. */
static void enter_field(struct form *f)
{
	struct lineedit *le = f->fields[f->cur].le;
	size_t len;
	const wchar_t *t = lineedit_text(le, &len);

	if (width_wcs(t, len) < lineedit_width(le))
		lineedit_end(le);
	else
		lineedit_home(le);
}

void form_focus(struct form *f, size_t i)
{
	if (i >= f->n)
		return;
	f->cur = editable_from(f, i, 1);
	enter_field(f);
}

int form_move(struct form *f, enum form_move m, struct sgz_err *err)
{
	size_t next = f->cur;
	/* the field left is checked, its refusal kept; the cursor moves */
	int rc = form_validate(f, f->cur, err);

	switch (m) {
	case FORM_NEXT:
		next = editable_from(f, (f->cur + 1) % f->n, 1);
		break;
	case FORM_PREV:
		next = editable_from(f, (f->cur + f->n - 1) % f->n, -1);
		break;
	}
	f->cur = next;
	enter_field(f);
	return rc;
}

/* ---- values ---- */

char *form_value_text(const struct dict_field *df, const char *v, bool zh)
{
	struct strbuf sb = {0};

	if (!v || !*v)
		return xstrdup("");
	dict_value_label_lang(df, v, zh, &sb);
	return sb_detach(&sb);
}

char *form_display(const struct form *f, size_t i, const char *v)
{
	return form_value_text(f->fields[i].df, v, f->zh);
}

/* Shows canonical v in field i, as loaded: clean. */
static void show(struct form *f, size_t i, const char *v)
{
	char *text = form_display(f, i, v);

	unhide(&f->fields[i]);
	f->fields[i].proposed = false;
	lineedit_set_utf8(f->fields[i].le, text);
	lineedit_home(f->fields[i].le);
	free(text);
	if (readonly(f->fields[i].df)) {
		free(f->fields[i].stored);
		f->fields[i].stored = v && *v ? xstrdup(v) : NULL;
	}
}

void form_load(struct form *f, const char *const *values)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct dict_field *df = f->fields[i].df;
		const char *v = values ? values[i] : (readonly(df) ? NULL : df->def);
		show(f, i, v);
		form_set_error(f, i, NULL);
		f->fields[i].edited = false;
	}
	f->cur = editable_from(f, 0, 1);
	f->top = 0;
	enter_field(f);
}

size_t form_choice_matches(const struct dict_field *df, const char *text, size_t *out, size_t max)
{
	size_t n = 0, len = text ? strlen(text) : 0;

	for (size_t c = 0; df->choices && df->choices[c].code; c++) {
		const struct dict_choice *ch = &df->choices[c];
		if (len == 0 || strncasecmp(ch->code, text, len) == 0 ||
		    (ch->label_zh && strncmp(ch->label_zh, text, len) == 0) ||
		    (ch->label_en && strncasecmp(ch->label_en, text, len) == 0)) {
			if (n < max)
				out[n] = c;
			n++;
		}
	}
	return n;
}

/* Trims blanks, as the parser does, to compare texts. */
static char *trimmed(const char *s)
{
	size_t n = strlen(s);

	while (*s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	return xstrndup(s, n);
}

int form_validate(struct form *f, size_t i, struct sgz_err *err)
{
	struct field *fd = &f->fields[i];
	struct strbuf out = {0};
	struct sgz_err perr;
	char *text, *shown;
	int rc;

	sgz_err_clear(err);
	if (readonly(fd->df))
		return 0;
	if (hidden_value(fd)) {
		/* a pick: valid, and shown as it is */
		form_set_error(f, i, NULL);
		return 0;
	}
	unhide(fd);
	text = lineedit_get_utf8(fd->le);
	sgz_err_clear(&perr);
	rc = dict_parse_value(fd->df, text, &out, &perr);
	if (rc < 0 && fd->df->type == DT_CHOICE) {
		/* type-ahead: the start of exactly one code or label */
		char *t = trimmed(text);
		size_t c;
		if (*t && form_choice_matches(fd->df, t, &c, 1) == 1) {
			sb_reset(&out);
			sb_adds(&out, fd->df->choices[c].code);
			sgz_err_clear(&perr);
			rc = 0;
		}
		free(t);
	}
	if (rc < 0) {
		char *why = form_tr_message(perr.msg);
		form_set_error(f, i, why);
		sgz_err_set(err, perr.status, "%s", why);
		free(why);
		goto out;
	}
	form_set_error(f, i, NULL);
	if (perr.msg[0]) {
		char *why = form_tr_message(perr.msg);
		sgz_err_set(err, SGZ_OK, "%s", why);
		free(why);
	}
	/* normalised, and shown as the form shows it */
	shown = form_display(f, i, sb_str(&out));
	if (strcmp(shown, text) != 0) {
		bool dirty = lineedit_dirty(fd->le);
		lineedit_set_utf8(fd->le, shown);
		lineedit_set_dirty(fd->le, dirty);
	}
	free(shown);
out:
	free(text);
	sb_free(&out);
	return rc;
}

int form_validate_all(struct form *f, struct sgz_err *err)
{
	for (size_t i = 0; i < f->n; i++) {
		if (form_validate(f, i, err) < 0) {
			f->cur = i;
			return -1;
		}
	}
	sgz_err_clear(err);
	return 0;
}

char **form_values(const struct form *f)
{
	char **v = xcalloc(f->n ? f->n : 1, sizeof(*v));
	struct strbuf out = {0};
	struct sgz_err err;

	for (size_t i = 0; i < f->n; i++) {
		const struct field *fd = &f->fields[i];
		if (readonly(fd->df)) {
			v[i] = fd->stored ? xstrdup(fd->stored) : NULL;
			continue;
		}
		if (hidden_value(fd)) {
			v[i] = xstrdup(hidden_value(fd));
			continue;
		}
		char *text = lineedit_get_utf8(fd->le);
		sgz_err_clear(&err);
		if (dict_parse_value(fd->df, text, &out, &err) == 0 && out.len)
			v[i] = xstrdup(sb_str(&out));
		free(text);
	}
	sb_free(&out);
	return v;
}

void form_values_free(const struct form *f, char **values)
{
	free_values(f->n, values);
}

bool form_field_dirty(const struct form *f, size_t i)
{
	return lineedit_dirty(f->fields[i].le) || f->fields[i].edited;
}

bool form_dirty(const struct form *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (form_field_dirty(f, i))
			return true;
	return false;
}

void form_set_clean_field(struct form *f, size_t i)
{
	lineedit_set_dirty(f->fields[i].le, false);
	f->fields[i].edited = false;
}

void form_set_clean(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		lineedit_set_dirty(f->fields[i].le, false);
		f->fields[i].edited = false;
	}
}

char *form_tr_message(const char *msg)
{
	return msg_tr(msg);
}

/* ---- heads-down entry ---- */

void form_set_ditto(struct form *f, const char *const *values)
{
	free_values(f->n, f->ditto);
	f->ditto = NULL;
	if (!values)
		return;
	f->ditto = xcalloc(f->n ? f->n : 1, sizeof(*f->ditto));
	for (size_t i = 0; i < f->n; i++)
		f->ditto[i] = values[i] ? xstrdup(values[i]) : NULL;
}

int form_ditto(struct form *f)
{
	size_t i = f->cur;
	char *text;

	if (!f->ditto || !f->ditto[i] || readonly(f->fields[i].df))
		return -1;
	if (f->fields[i].last_hidden && strcmp(f->fields[i].last_hidden, f->ditto[i]) == 0) {
		/* the person picked before: masked again */
		char *value = xstrdup(f->fields[i].last_hidden);
		char *shown = xstrdup(f->fields[i].last_shown);
		form_set_masked(f, i, value, shown);
		free(value);
		free(shown);
		return 0;
	}
	text = form_display(f, i, f->ditto[i]);
	form_set_text(f, i, text);
	free(text);
	return 0;
}

void form_next_record(struct form *f)
{
	size_t first = f->n;

	for (size_t i = 0; i < f->n; i++) {
		const struct dict_field *df = f->fields[i].df;
		form_set_error(f, i, NULL);
		f->fields[i].edited = false;
		if (form_sticky(f, i)) {
			lineedit_set_dirty(f->fields[i].le, false);
			continue;
		}
		show(f, i, readonly(df) ? NULL : df->def);
		if (first == f->n && !readonly(df))
			first = i;
	}
	f->cur = first < f->n ? first : editable_from(f, 0, 1);
	f->top = 0;
	enter_field(f);
}

/* ---- curses side ---- */

enum lineedit_key form_key(struct form *f, bool fn, wint_t wc)
{
	struct field *fd = &f->fields[f->cur];
	size_t len = lineedit_len(fd->le);
	enum lineedit_key k;

	if (readonly(fd->df))
		return LINEEDIT_KEY_OTHER;
	if (fd->proposed) {
		/* a proposal is replaced by what is typed, or edited after a
		 * move of the cursor within it */
		fd->proposed = false;
		if (!fn && wc >= 0x20 && wc != 0x7f) {
			lineedit_set_utf8(fd->le, "");
			lineedit_set_dirty(fd->le, true);
		}
	}
	if (hidden_value(fd)) {
		/* a masked pick is replaced, not edited: the first editing key
		 * starts the field afresh */
		char *before = lineedit_get_utf8(fd->le), *after;
		k = lineedit_key(fd->le, fn, wc);
		after = lineedit_get_utf8(fd->le);
		/* a character refused: the field is full */
		if (strcmp(before, after) != 0 ||
		    (k == LINEEDIT_KEY_REFUSED && !fn && wc >= 0x20 && wc != 0x7f)) {
			unhide(fd);
			lineedit_set_utf8(fd->le, "");
			lineedit_set_dirty(fd->le, true);
			lineedit_key(fd->le, fn, wc);
			k = LINEEDIT_KEY_DONE; /* the text changed, whatever the key did to "" */
			form_set_error(f, f->cur, NULL);
		}
		free(before);
		free(after);
		return k;
	}
	k = lineedit_key(fd->le, fn, wc);
	/* an edit, not a cursor move, clears the refusal */
	if (k == LINEEDIT_KEY_DONE && fd->error && lineedit_len(fd->le) != len)
		form_set_error(f, f->cur, NULL);
	return k;
}

static int field_width(const struct form *f, size_t i, int room)
{
	const struct dict_field *df = f->fields[i].df;
	int w = room;

	switch (df->type) {
	case DT_DATE:
		w = 12;
		break;
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
		w = (df->width > 8 ? df->width : 8) + 4;
		break;
	case DT_BOOL:
		w = 6;
		break;
	case DT_DIVISION:
		w = 14;
		break;
	case DT_CHOICE: {
		w = 8;
		for (size_t c = 0; df->choices && df->choices[c].code; c++) {
			char *t = form_value_text(df, df->choices[c].code, f->zh);
			int cw = width_utf8(t);
			free(t);
			if (cw + 2 > w)
				w = cw + 2;
		}
		break;
	}
	case DT_TEXT:
	case DT_PATTERN:
		if (df->max_len && df->max_len <= 20 && !(df->flags & DF_MULTILINE))
			w = df->max_len + 2;
		/* a reference's code (a visit's case): room for its name beside */
		else if (df->ref_table && df->width > 0 && df->width + 2 < w)
			w = df->width + 2;
		break;
	case DT_CHOICES:
		break;
	case DT_DIVISIONS:
		/* a list of codes: half the row, their names beside (the
		 * text scrolls in its field when longer) */
		if (df->ref_table && room >= 40)
			w = room / 2;
		break;
	}
	return w < room ? w : room;
}

void form_layout(struct form *f, int width)
{
	int lw = 0, room;

	for (size_t i = 0; i < f->n; i++) {
		int w = width_utf8(form_label(f, i));
		if (w > lw)
			lw = w;
	}
	lw += MARKS + 2;
	if (lw > LABEL_MAX)
		lw = LABEL_MAX;
	f->label_width = lw;
	f->width = width;
	room = width - lw - 1;
	if (room < 4)
		room = 4;
	for (size_t i = 0; i < f->n; i++)
		lineedit_set_width(f->fields[i].le, field_width(f, i, room));
}

void form_set_top(struct form *f, size_t top)
{
	f->top = top < f->n ? top : f->n ? f->n - 1 : 0;
}

int form_label_width(const struct form *f)
{
	return f->label_width;
}

/* Writes UTF-8 s at (y, x) in at most cols columns, cut on a character. */
static void put(WINDOW *win, int y, int x, const char *s, int cols)
{
	size_t n;
	wchar_t *w = width_from_utf8(s, &n);
	size_t fit = width_fit(w, n, cols, NULL);

	for (size_t i = 0; i < fit; i++)
		if (width_wchar(w[i]) < 1 || w[i] < 0x20)
			w[i] = L'?';
	if (fit)
		mvwaddnwstr(win, y, x, w, (int)fit);
	free(w);
}

void form_draw(WINDOW *win, int y, int x, int height, int width, struct form *f, wchar_t pad,
	       bool focus)
{
	int cx = -1, cy = -1;

	if (height <= 0 || f->n == 0)
		return;
	if (width != f->width)
		form_layout(f, width);
	/* without the focus (it is below, in a pane) the fields stay where
	 * form_set_top() put them */
	if (focus && f->cur < f->top)
		f->top = f->cur;
	if (focus && f->cur >= f->top + (size_t)height)
		f->top = f->cur - (size_t)height + 1;
	for (int r = 0; r < height && f->top + (size_t)r < f->n; r++) {
		size_t i = f->top + (size_t)r;
		struct field *fd = &f->fields[i];
		int fx = x + f->label_width;
		const char *mark = fd->error ? "!" : (i == f->cur ? ">" : " ");

		put(win, y + r, x, mark, 1);
		put(win, y + r, x + 1, form_required(f, i) ? "*" : " ", 1);
		put(win, y + r, x + MARKS, form_label(f, i), f->label_width - MARKS - 1);
		if (readonly(fd->df)) {
			char *t = lineedit_get_utf8(fd->le);
			int nx = fx + width_utf8(t) + 1;
			put(win, y + r, fx, t, width - f->label_width);
			/* a reference's name beside its code (a visit's station) */
			if (*t && fd->note && nx < x + width)
				put(win, y + r, nx, fd->note, x + width - nx);
			free(t);
			continue;
		}
		lineedit_draw(win, y + r, fx, fd->le, A_NORMAL, pad, false);
		/* a reference's name beside its code */
		int nx = fx + lineedit_width(fd->le) + 1;
		if (fd->note && nx < x + width)
			put(win, y + r, nx, fd->note, x + width - nx);
		if (i == f->cur) {
			cy = y + r;
			cx = fx + lineedit_cursor_col(fd->le);
		}
	}
	if (focus && cy >= 0)
		wmove(win, cy, cx);
}
