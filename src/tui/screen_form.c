/* screen_form.c - the form screen of any entity of the data dictionary:
 * the form model (form.h) over one record (record.h), save, save-and-next,
 * ditto, the type-ahead picker (choices from the dictionary, references
 * from the database), and the dialogs of a save: a conflict with someone
 * else's save, a record deleted meanwhile, a lost connection. Whatever goes
 * wrong, the form keeps what was typed, and a draft (draft.h) keeps it
 * past the session: written when the connection is lost or the session
 * ends unasked, offered back at the next start, removed once saved or
 * discarded. The draft file format is the last section of this file until
 * it moves to src/tui/draft.c. */
#include "config.h"

#include "sgz/screens.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "sgz/browse.h"
#include "sgz/date.h"
#include "sgz/draft.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/log.h"
#include "sgz/panes.h"
#include "sgz/picker.h"
#include "sgz/record.h"
#include "sgz/related.h"
#include "sgz/validate.h"
#include "sgz/width.h"

struct form_screen {
	struct ui *ui;
	const struct dict_entity *e;
	struct form *form;
	struct record *rec;
	const struct form_origin *origin; /* told of a save (the list), or NULL */
	struct strbuf title;
	struct strbuf hint;
	struct picker pk;
	struct record *theirs; /* a conflict: the row as someone else saved it */
	bool next_after;       /* the save a dialog interrupted was a save-and-next */
	struct draft *draft;   /* the typing kept on disk, once written or restored */
	bool admin;	       /* the session sees full ID numbers */
	/* the related records below the fields (panes.h), and the first
	 * line of fields and panes on the screen */
	struct panes *panes;
	int scroll;
	/* a date that follows another (dict_field.due_from): what it was
	 * last filled with, and the setting's days (-1: not asked yet) */
	char *due_auto;
	long due_days;
	/* what a new record's form proposes (spec/work.md, Forms that help):
	 * who the user is, asked once; per field the text last proposed, and
	 * the value of its follow_from field it was last followed for */
	struct record_session session;
	bool session_asked;
	char **proposal;
	char **followed;
	/* a module's key on the record, in its panes (ui_list_key(): p a
	 * volunteer's certificate), and the panes' keys with it */
	const struct ui_list_key *module_key;
	struct ui_keyinfo *pane_keys;
	size_t npane_keys;
};

/* Rows each pane of related records shows under a form. */
#define FORM_PANE_ROWS 3

/* clang-format off */
static const struct ui_keyinfo form_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SAVE },
	{ "F3, Ctrl-N", "F3", M_SAVE_NEXT, M_DO_SAVE_NEXT },
	{ "F4, Ctrl-D", "F4", M_DITTO, M_DO_DITTO },
	{ "F5, Ctrl-P", "F5", M_PICK, M_DO_PICK },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Ctrl-J", NULL, M_NONE, M_DO_NEWLINE },
	{ "Left/Right, Home/End", NULL, M_NONE, M_DO_EDIT },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* A form with panes of related records: the form's keys and the panes'. */
static const struct ui_keyinfo form_pane_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SAVE },
	{ "F3, Ctrl-N", "F3", M_SAVE_NEXT, M_DO_SAVE_NEXT },
	{ "F4, Ctrl-D", "F4", M_DITTO, M_DO_DITTO },
	{ "F5, Ctrl-P", "F5", M_PICK, M_DO_PICK },
	{ "]", "]", M_PANE, M_DO_NEXT_PANE },
	{ "[", NULL, M_NONE, M_DO_PREV_PANE },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Ctrl-J", NULL, M_NONE, M_DO_NEWLINE },
	{ "Left/Right, Home/End", NULL, M_NONE, M_DO_EDIT },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* clang-format on */

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

/* ---- the screen ---- */

/* A person's ID number of the stored record as the form shows it: masked
 * unless the session is admin (browse_idnum_shown()). A child's record,
 * masked in the lists for everyone, shows here as an adult's does: opening
 * it was the reveal, and record_load() filed it in the audit trail. */
static char *idnum_shown(const struct form_screen *fs, const char *id)
{
	return browse_idnum_shown(id, fs->admin, false);
}

/* The stored record's key as the title shows it: "120110002000", a
 * person's "1201**********0051". */
static void key_text(const struct form_screen *fs, struct strbuf *sb)
{
	for (size_t i = 0, k = 0; i < fs->e->nfields; i++) {
		const struct dict_field *f = &fs->e->fields[i];
		if (!(f->flags & DF_KEY))
			continue;
		const char *v = fs->rec->key[k++];
		/* a person's key is his pid: shown as his masked number */
		if (dict_by_pid(fs->e, f))
			v = fs->rec->stored ? fs->rec->stored[i] : NULL;
		char *t = browse_is_idnum(f) && v ? idnum_shown(fs, v)
						  : form_value_text(f, v, ui_zh(fs->ui));
		sb_addf(sb, "%s%s", sb->len ? " " : "", t);
		free(t);
	}
}

/* The people of a stored record, shown as the lists show them: each ID
 * number field stands for the full number (the save and the checks use
 * it) and shows it masked, until the user types over it (form_set_masked()).
 * The form stays clean: nothing was typed. */
static void mask_people(struct form_screen *fs)
{
	for (size_t i = 0; i < fs->e->nfields; i++) {
		const char *v = fs->rec->values[i];
		const char *pid = record_pid(fs->rec, i);
		if (pid && v) {
			/* read masked from the view: stands for the person's pid */
			char *token = record_person_token(pid);
			form_set_masked(fs->form, i, token, v);
			form_set_clean_field(fs->form, i);
			free(token);
			continue;
		}
		if (record_is_new(fs->rec) || !browse_is_idnum(&fs->e->fields[i]) || !v || !*v)
			continue;
		char *shown = idnum_shown(fs, v);
		if (strcmp(shown, v) != 0) {
			form_set_masked(fs->form, i, v, shown);
			form_set_clean_field(fs->form, i);
		}
		free(shown);
	}
}

/* ---- what a new record starts with ---- */

static bool same_value(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void note_proposal(struct form_screen *fs, size_t i)
{
	free(fs->proposal[i]);
	fs->proposal[i] = form_text(fs->form, i);
}

/* Does field i show what was proposed, or nothing: a proposal may go
 * there, never over what the user typed, picked or a draft restored. */
static bool free_for_proposal(struct form_screen *fs, size_t i)
{
	char *t = form_text(fs->form, i);
	bool ok = !*t || (fs->proposal[i] && strcmp(t, fs->proposal[i]) == 0 &&
			  !form_field_dirty(fs->form, i));

	free(t);
	return ok;
}

static bool is_station_field(const struct dict_field *df)
{
	return df->type == DT_DIVISION && df->ref_table && df->ref_column &&
	       strcmp(df->ref_table, "sgz.station") == 0 && strcmp(df->ref_column, "township") == 0;
}

static bool is_worker_field(const struct dict_entity *e, const struct dict_field *df)
{
	return df->pick_table && strcmp(df->pick_table, "sgz.staff") == 0 && dict_by_pid(e, df);
}

/* Does a new record of e ask for what depends on who the user is (a
 * station, a worker)? Only then is the session asked. */
static bool asks_who(const struct dict_entity *e)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (!(e->fields[i].flags & DF_NOEXPORT) &&
		    (is_station_field(&e->fields[i]) || is_worker_field(e, &e->fields[i])))
			return true;
	return false;
}

/* Proposes in every empty field of a new record what the system knows:
 * today for a date of when it happened, a dictionary's proposal (接案),
 * a station user's station, the user's own staff member as the worker. */
static void propose_defaults(struct form_screen *fs)
{
	struct sgz_err err;
	struct sgz_date today;
	char day[11];

	if (!record_is_new(fs->rec))
		return;
	if (!fs->session_asked && ui_db(fs->ui) && asks_who(fs->e)) {
		fs->session_asked = true;
		sgz_err_clear(&err);
		if (record_session_load(ui_db(fs->ui), &fs->session, &err) < 0)
			log_msg(LOG_INFO, "no proposals: %s", err.msg);
	}
	date_today(&today);
	date_format(&today, day);
	for (size_t i = 0; i < fs->e->nfields; i++) {
		const struct dict_field *df = &fs->e->fields[i];
		const char *value = NULL, *shown = NULL;
		char *t;

		if (form_readonly(fs->form, i))
			continue;
		t = form_text(fs->form, i);
		if (*t) {
			free(t); /* filled: by the parent, a draft, save-and-next */
			continue;
		}
		free(t);
		if (df->type == DT_DATE && (df->flags & DF_NOW)) {
			value = day;
		} else if (df->proposed) {
			value = df->proposed;
		} else if (is_station_field(df)) {
			value = fs->session.station;
		} else if (is_worker_field(fs->e, df) && fs->session.staff_pid) {
			char *token = record_person_token(fs->session.staff_pid);
			form_propose(fs->form, i, token, fs->session.staff_shown);
			free(token);
			note_proposal(fs, i);
			continue;
		}
		if (value) {
			form_propose(fs->form, i, value, shown);
			note_proposal(fs, i);
		}
	}
}

/* A new record's fields that follow another (dict_field.follow_from: a
 * case's station its recipient's village, a visit's worker its case),
 * proposed again when that field's value changed, while the field is
 * empty or still shows what was proposed; one the database sets (a
 * visit's station, its case's) shown as it will be. */
static void follow_fields(struct form_screen *fs)
{
	struct db *db = ui_db(fs->ui);
	char **v;

	if (!db || !record_is_new(fs->rec))
		return;
	v = form_values(fs->form);
	for (size_t i = 0; i < fs->e->nfields; i++) {
		const struct dict_field *df = &fs->e->fields[i];
		const struct dict_field *ff =
		    df->follow_from ? dict_field_by_header(fs->e, df->follow_from) : NULL;
		char *value = NULL, *shown = NULL;
		struct sgz_err err;
		const char *from;

		if (!ff)
			continue;
		from = v[dict_field_index(fs->e, ff)];
		if (same_value(from, fs->followed[i]))
			continue;
		free(fs->followed[i]);
		fs->followed[i] = from ? xstrdup(from) : NULL;
		bool shown_only = form_readonly(fs->form, i);
		if (!from || (!shown_only && !free_for_proposal(fs, i))) {
			if (shown_only)
				form_show(fs->form, i, NULL);
			continue;
		}
		sgz_err_clear(&err);
		if (record_follow(db, fs->e, df, from, &value, &shown, &err) < 0)
			log_msg(LOG_INFO, "%s: not followed: %s", df->column, err.msg);
		if (shown_only) {
			/* what the database will set, shown; never saved */
			form_show(fs->form, i, value);
		} else if (value) {
			form_propose(fs->form, i, value, shown);
			note_proposal(fs, i);
		}
		free(value);
		free(shown);
	}
	form_values_free(fs->form, v);
}

static void set_title(struct form_screen *fs)
{
	struct ui *ui = fs->ui;
	struct strbuf key = {0};

	sb_reset(&fs->title);
	if (record_is_new(fs->rec)) {
		/* TRANSLATORS: a form's title: the entity, e.g. "Stations - new record". */
		sb_addf(&fs->title, _("%s - new record"), ui_entity_label(ui, fs->e));
		return;
	}
	/* named as the lists name it (a person by his name, a station by
	 * its township's); its key if the record is not found */
	char *named = NULL;
	struct sgz_err err;
	sgz_err_clear(&err);
	if (record_title(ui_db(ui), fs->rec, ui_zh(ui), &named, &err) < 0)
		log_msg(LOG_INFO, "record not named: %s", err.msg);
	if (named && *named)
		sb_adds(&key, named);
	else
		key_text(fs, &key);
	free(named);
	/* TRANSLATORS: a form's title: the entity and the record's key. */
	sb_addf(&fs->title, _("%s - edit %s"), ui_entity_label(ui, fs->e), sb_str(&key));
	sb_free(&key);
}

struct form_screen *form_screen_new(struct ui *ui, const struct dict_entity *e, struct record *r,
				    const struct form_origin *origin)
{
	struct form_screen *fs = xcalloc(1, sizeof(*fs));

	fs->ui = ui;
	fs->e = e;
	fs->rec = r ? r : record_new(e);
	fs->origin = origin;
	fs->form = form_new(e, ui_zh(ui));
	form_layout(fs->form, COLS - 2);
	form_load(fs->form, (const char *const *)fs->rec->values);
	if (origin && origin->last)
		form_set_ditto(fs->form, origin->last(origin->ctx));
	/* Without a list to ask (a draft's form), as the lists show anyone
	 * but an admin: masked. */
	fs->admin = origin && origin->admin && origin->admin(origin->ctx);
	mask_people(fs);
	picker_init(&fs->pk);
	set_title(fs);
	fs->panes = panes_new(ui, e, fs->rec, FORM_PANE_ROWS, NULL, &form_panes_opener);
	fs->module_key = ui_list_key(ui, e);
	if (fs->module_key) {
		size_t np;
		const struct ui_keyinfo *pk = panes_keys(&np);
		fs->pane_keys = xcalloc(np + 1, sizeof(*fs->pane_keys));
		memcpy(fs->pane_keys, pk, np * sizeof(*pk));
		fs->pane_keys[np] = fs->module_key->info;
		fs->npane_keys = np + 1;
	}
	fs->due_days = -1;
	fs->proposal = xcalloc(e->nfields ? e->nfields : 1, sizeof(*fs->proposal));
	fs->followed = xcalloc(e->nfields ? e->nfields : 1, sizeof(*fs->followed));
	propose_defaults(fs);
	return fs;
}

/* The panes' rows open through the form (panes.h). */
static void pane_open(struct ui *ui, const struct dict_entity *e, const char *key)
{
	form_screen_open(ui, e, key, NULL);
}

static void pane_add(struct ui *ui, const struct dict_entity *e, struct record *child)
{
	form_screen_push(ui, form_screen_new(ui, e, child, NULL));
}

const struct panes_opener form_panes_opener = {pane_open, pane_add};

bool form_screen_set(struct form_screen *fs, const char *column, const char *value)
{
	const struct dict_field *df = dict_field_by_header(fs->e, column);
	int i = df ? dict_field_index(fs->e, df) : -1;
	char *t;

	if (i < 0)
		return false;
	t = form_value_text(df, value, ui_zh(fs->ui));
	form_set_text(fs->form, (size_t)i, t);
	free(t);
	return true;
}

void form_screen_focus(struct form_screen *fs, const char *column)
{
	const struct dict_field *df = dict_field_by_header(fs->e, column);
	int i = df ? dict_field_index(fs->e, df) : -1;

	if (i >= 0)
		form_focus(fs->form, (size_t)i);
}

void form_screen_open(struct ui *ui, const struct dict_entity *e, const char *key,
		      const struct form_origin *origin)
{
	const struct ui_record_opener *op = ui_record_opener(ui, e);
	struct record_error re;
	struct record *r = NULL;

	if (op) {
		op->open(ui, e, key, origin);
		return;
	}
	record_error_init(&re);
	switch (record_load(ui_db(ui), e, key, &r, &re)) {
	case RECORD_OK:
		form_screen_push(ui, form_screen_new(ui, e, r, origin));
		break;
	case RECORD_GONE:
		ui_say(ui, ui_tr(ui, M_GONE));
		break;
	case RECORD_REFUSED:
	case RECORD_CONFLICT:
	case RECORD_REFERENCED:
	case RECORD_FAILED:
		ui_say_error(ui, &re.err);
		break;
	}
	record_error_free(&re);
}

void form_screen_free(struct form_screen *fs)
{
	if (!fs)
		return;
	picker_free(&fs->pk);
	panes_free(fs->panes);
	free(fs->due_auto);
	for (size_t i = 0; i < fs->e->nfields; i++) {
		free(fs->proposal[i]);
		free(fs->followed[i]);
	}
	free(fs->proposal);
	free(fs->followed);
	free(fs->pane_keys);
	record_session_free(&fs->session);
	draft_free(fs->draft);
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

/* The keys of a pane: the panes' and a module's key on the record. */
static const struct ui_keyinfo *in_pane_keys(const struct form_screen *fs, size_t *n)
{
	if (fs->pane_keys) {
		*n = fs->npane_keys;
		return fs->pane_keys;
	}
	return panes_keys(n);
}

const struct ui_keyinfo *form_screen_keys(const struct form_screen *fs, size_t *n)
{
	if (panes_focus(fs->panes) >= 0)
		return in_pane_keys(fs, n);
	if (panes_count(fs->panes)) {
		*n = SGZ_ARRAY_LEN(form_pane_keys);
		return form_pane_keys;
	}
	*n = SGZ_ARRAY_LEN(form_keys);
	return form_keys;
}

const struct ui_keyinfo *form_screen_status_keys(const struct form_screen *fs, size_t *n)
{
	if (fs->pk.open)
		return picker_keys(&fs->pk, n);
	if (panes_focus(fs->panes) >= 0)
		return in_pane_keys(fs, n);
	return form_screen_keys(fs, n);
}

/* "label: reason" of field i. */
static void field_reason(const struct form_screen *fs, size_t i, const char *reason,
			 struct strbuf *sb)
{
	/* TRANSLATORS: a field's label and why its value was refused. */
	sb_addf(sb, _("%s: %s"), form_label(fs->form, i), reason);
}

const char *form_screen_hint(struct form_screen *fs)
{
	struct ui *ui = fs->ui;
	size_t i = form_current(fs->form);
	const struct dict_field *df = form_dict_field(fs->form, i);
	const char *err = form_error(fs->form, i);

	sb_reset(&fs->hint);
	if (panes_focus(fs->panes) >= 0)
		return NULL;
	if (err) {
		field_reason(fs, i, err, &fs->hint);
		return sb_str(&fs->hint);
	}
	if ((df->flags & DF_AUTO) && record_is_new(fs->rec))
		return ui_tr(ui, M_HINT_AUTO);
	if (df->flags & DF_MULTILINE)
		return ui_tr(ui, M_HINT_MULTILINE);
	switch (df->type) {
	case DT_CHOICE:
	case DT_CHOICES: {
		struct strbuf list = {0};
		for (size_t c = 0; df->choices && df->choices[c].code; c++) {
			char *t = form_value_text(df, df->choices[c].code, ui_zh(ui));
			sb_addf(&list, "%s%s", !c ? "" : ui_zh(ui) ? " " : ", ", t);
			free(t);
		}
		/* TRANSLATORS: the hint under a choice field: its choices follow. */
		sb_addf(&fs->hint, _("F5 pick: %s"), sb_str(&list));
		sb_free(&list);
		if (df->type == DT_CHOICES) {
			sb_adds(&fs->hint, "  ");
			sb_adds(&fs->hint, ui_tr(ui, M_HINT_LIST));
		}
		return sb_str(&fs->hint);
	}
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
	if (df->pick_day)
		/* TRANSLATORS: the hint under a list of attendees. */
		return _("F5 tick the staff who attended (Space ticks, Enter takes them)");
	if (df->ref_table || df->pick_table) {
		size_t n;
		const struct dict_entity *const *all = dict_entities(&n);
		const char *table = df->ref_table ? df->ref_table : df->pick_table, *what = "";
		for (size_t k = 0; k < n; k++)
			if (strcmp(all[k]->table, table) == 0)
				what = ui_entity_label(ui, all[k]);
		/* TRANSLATORS: the hint under a reference field: the entity follows. */
		sb_addf(&fs->hint, _("F5 pick from: %s"), what);
		if (df->type == DT_DIVISIONS) {
			sb_adds(&fs->hint, "  ");
			sb_adds(&fs->hint, ui_tr(ui, M_HINT_LIST));
		}
		return sb_str(&fs->hint);
	}
	return NULL;
}

/* ---- the picker ---- */

static void open_picker(struct form_screen *fs)
{
	size_t i = form_current(fs->form);
	char *text;

	if (!form_pickable(fs->form, i)) {
		ui_say(fs->ui, ui_tr(fs->ui, M_NO_PICK));
		return;
	}
	text = form_text(fs->form, i);
	picker_open(&fs->pk, i, form_dict_field(fs->form, i), text);
	free(text);
	const struct dict_field *df = form_dict_field(fs->form, i);
	if (df->pick_day) {
		/* attendees: those listed ticked, the staff of the day offered */
		char **v = form_values(fs->form);
		int d = dict_field_index(fs->e, dict_field_by_header(fs->e, df->pick_day));
		int st = df->pick_station
			     ? dict_field_index(fs->e, dict_field_by_header(fs->e, df->pick_station))
			     : -1;
		picker_set_attendees(&fs->pk, v[i], st >= 0 ? v[st] : NULL, d >= 0 ? v[d] : NULL);
		form_values_free(fs->form, v);
	}
}

void form_screen_idle(struct form_screen *fs)
{
	if (picker_lookup(&fs->pk, fs->ui))
		ui_redraw(fs->ui);
}

static void move_on(struct form_screen *fs);

static void picker_key_form(struct form_screen *fs, bool fn, wint_t wc)
{
	struct picker *pk = &fs->pk;

	if (picker_key(pk, fn, wc) != PICKER_PICKED)
		return;
	/* the picked value into the field: a person masked as lists show
	 * it, a revealing pick audited */
	if (picker_put(pk, fs->ui, fs->form) <= 0)
		return;
	if (!pk->append)
		move_on(fs);
}

/* ---- a date that follows another ---- */

/* A new record's date that follows another (dict_field.due_from: a
 * visit's next due, its date plus visit_interval_days): filled in while
 * it is empty or still what it was filled with, never over a date typed. */
static void follow_dates(struct form_screen *fs)
{
	for (size_t i = 0; record_is_new(fs->rec) && i < fs->e->nfields; i++) {
		const struct dict_field *df = &fs->e->fields[i];
		const struct dict_field *from = df->due_from ? dict_field_by_header(fs->e, df->due_from)
							      : NULL;
		struct sgz_date d;
		struct sgz_err err;
		char *now, *ft, out[11];

		if (!from || !df->due_setting)
			continue;
		now = form_text(fs->form, i);
		if (*now && (!fs->due_auto || strcmp(now, fs->due_auto) != 0)) {
			free(now); /* typed */
			continue;
		}
		ft = form_text(fs->form, (size_t)dict_field_index(fs->e, from));
		sgz_err_clear(&err);
		if (fs->due_days < 0 && ui_db(fs->ui) && *ft) {
			if (related_setting(ui_db(fs->ui), df->due_setting, &fs->due_days, &err) < 0) {
				log_msg(LOG_INFO, "%s: %s", df->due_setting, err.msg);
				fs->due_days = 0;
			}
		}
		if (*ft && fs->due_days > 0 && date_parse(ft, &d, &err) == 0) {
			struct tm tm = {0};
			tm.tm_year = d.year - 1900;
			tm.tm_mon = d.month - 1;
			tm.tm_mday = d.day + (int)fs->due_days;
			tm.tm_hour = 12;
			time_t t = timegm(&tm);
			gmtime_r(&t, &tm);
			struct sgz_date due = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
			date_format(&due, out);
			if (strcmp(now, out) != 0) {
				/* followed, not typed: Esc asks nothing for it */
				form_set_text(fs->form, i, out);
				form_set_error(fs->form, i, NULL);
				form_set_clean_field(fs->form, i);
			}
			free(fs->due_auto);
			fs->due_auto = xstrdup(out);
		}
		free(ft);
		free(now);
	}
}

/* ---- drawing ---- */

/* The names beside the references' codes (spec/work.md: a station's code
 * with its name, a person as the list shows him), taken from the
 * dictionary (record_ref_name()); looked up again only when a field's
 * value changed since (loaded, typed in full, picked, dittoed): one
 * statement for each such change, none while a code is being typed. A
 * value that refers to nothing the user can see is marked. */
static void name_references(struct form_screen *fs)
{
	struct db *db = ui_db(fs->ui);
	char **v;

	if (!db)
		return;
	v = form_values(fs->form);
	for (size_t i = 0; i < form_count(fs->form); i++) {
		const struct dict_field *df = form_dict_field(fs->form, i);
		struct dict_field own;
		char *name = NULL;
		struct sgz_err err;

		/* the record's own key shown as its code (a station's
		 * township): in its form, the name beside it all the same */
		if (df->flags & DF_CODE) {
			own = *df;
			own.flags &= ~(unsigned)DF_CODE;
			df = &own;
		}
		/* a list of codes takes half the row, its names the rest */
		if (!dict_shows_name(fs->e, df) || same_value(v[i], form_noted(fs->form, i)))
			continue;
		sgz_err_clear(&err);
		if (v[i] && record_ref_name(db, fs->e, df, v[i], &name, &err) < 0)
			log_msg(LOG_INFO, "%s: no name: %s", df->column, err.msg);
		form_set_note(fs->form, i, v[i], name ? name : v[i] ? BROWSE_UNRESOLVED : NULL);
		free(name);
	}
	form_values_free(fs->form, v);
}

/* The line of fields and panes the screen starts at: the current field,
 * or the pane with the focus whole, in view. Fields and panes are one
 * column of lines, the fields first. */
static void scroll_to_focus(struct form_screen *fs, int rows)
{
	int nf = (int)form_count(fs->form), k = panes_focus(fs->panes), first, last;

	if (k < 0) {
		first = last = (int)form_current(fs->form);
	} else {
		first = nf;
		for (int j = 0; j < k; j++)
			first += panes_lines(fs->panes, (size_t)j);
		last = first + panes_lines(fs->panes, (size_t)k) - 1;
	}
	if (last >= fs->scroll + rows)
		fs->scroll = last - rows + 1;
	if (first < fs->scroll)
		fs->scroll = first;
	if (fs->scroll < 0)
		fs->scroll = 0;
}

/* The panes below the fields, from screen row y on (rows left), line
 * skip of them first. */
static void draw_panes(struct form_screen *fs, int y, int rows, int skip)
{
	for (size_t k = 0; k < panes_count(fs->panes) && rows > 0; k++) {
		int lines = panes_lines(fs->panes, k);
		if (skip >= lines) {
			skip -= lines;
			continue;
		}
		int shown = lines - skip < rows ? lines - skip : rows;
		panes_draw(fs->panes, k, y, 1, COLS - 2, skip, shown);
		y += shown;
		rows -= shown;
		skip = 0;
	}
}

void form_screen_draw(struct form_screen *fs, int top, int height)
{
	int rows = height - 2, cy = -1, cx = -1, nf = (int)form_count(fs->form);
	bool in_pane;
	const char *hint;

	follow_fields(fs);
	name_references(fs);
	follow_dates(fs);
	/* a record deleted meanwhile: said, the panes closed */
	panes_load(fs->panes);
	in_pane = panes_focus(fs->panes) >= 0;

	ui_put(top, 1, COLS - 2, sb_str(&fs->title), A_BOLD, false);
	/* a module's lines on top of the fields (the station page's figures) */
	int head = panes_head_lines(fs->panes);
	if (head > 0 && head < rows - 2) {
		panes_head_draw(fs->panes, top + 1, 1, COLS - 2);
		top += head;
		height -= head;
		rows -= head;
	}
	if (!panes_count(fs->panes)) {
		form_draw(stdscr, top + 1, 1, rows, COLS - 2, fs->form, L'_', true);
	} else {
		scroll_to_focus(fs, rows);
		int nfields = nf - fs->scroll;
		if (nfields > rows)
			nfields = rows;
		if (nfields > 0) {
			form_set_top(fs->form, (size_t)fs->scroll);
			form_draw(stdscr, top + 1, 1, nfields, COLS - 2, fs->form, L'_', !in_pane);
		}
		/* where form_draw() left the cursor: the current field */
		getyx(stdscr, cy, cx);
		draw_panes(fs, top + 1 + (nfields > 0 ? nfields : 0),
			   rows - (nfields > 0 ? nfields : 0), fs->scroll > nf ? fs->scroll - nf : 0);
	}
	if (in_pane) {
		ui_cursor(fs->ui, -1, -1);
	} else {
		if (!panes_count(fs->panes))
			getyx(stdscr, cy, cx);
		ui_cursor(fs->ui, cy, cx);
	}
	hint = form_screen_hint(fs);
	/* a long hint may take the row above when no field is drawn there */
	if (hint)
		ui_put_lines(top + height - 1, 1, COLS - 2,
			     !panes_count(fs->panes) && form_count(fs->form) < (size_t)rows ? 2 : 1,
			     hint, A_NORMAL);
	if (fs->pk.open)
		picker_draw(&fs->pk, fs->ui, form_label(fs->form, fs->pk.field),
			    form_label_width(fs->form) + 1, cy, top + 1, rows);
}

/* ---- drafts ---- */

/* The draft of what is typed now: the text of every field the user
 * changed (the others come from the record when it is restored, so a
 * draft never reverts someone else's later change unseen), and the
 * record it started from. A new record has none to come from: every
 * field that holds something, what the screen it was opened from filled
 * in too (a visit's case, added from the case file). */
static void fill_draft(struct form_screen *fs)
{
	struct strbuf title = {0};
	char *key = record_is_new(fs->rec) ? NULL : record_key(fs->rec);

	if (key)
		key_text(fs, &title);
	if (!fs->draft) {
		fs->draft = draft_new(fs->e->name, key, fs->rec->row_version, sb_str(&title));
	} else {
		/* the same file, the record it now stands for */
		free(fs->draft->key);
		fs->draft->key = key ? xstrdup(key) : NULL;
		fs->draft->row_version = fs->rec->row_version;
		free(fs->draft->title);
		fs->draft->title = xstrdup(sb_str(&title));
	}
	for (size_t i = 0; i < fs->e->nfields; i++) {
		bool dirty = form_field_dirty(fs->form, i);
		if (form_readonly(fs->form, i) || (!dirty && key))
			continue;
		char *t = form_text(fs->form, i);
		if (dirty || *t)
			draft_set(fs->draft, fs->e->fields[i].column, t);
		free(t);
	}
	free(key);
	sb_free(&title);
}

static void drop_draft(struct form_screen *fs);

bool form_screen_keep(struct form_screen *fs, struct sgz_err *err)
{
	char *dir;
	int rc;

	if (!form_dirty(fs->form)) {
		drop_draft(fs); /* nothing unsaved: an old draft says no more */
		return false;
	}
	fill_draft(fs);
	dir = draft_dir();
	rc = draft_write(fs->draft, dir, err);
	free(dir);
	return rc == 0;
}

/* Saved or discarded: the draft goes. */
static void drop_draft(struct form_screen *fs)
{
	draft_remove(fs->draft);
	draft_free(fs->draft);
	fs->draft = NULL;
}

/* Puts the draft's texts into the form, as typed. */
static void apply_draft(struct form_screen *fs, const struct draft *d)
{
	for (size_t i = 0; i < fs->e->nfields; i++) {
		const char *t = draft_get(d, fs->e->fields[i].column);
		char *now;
		if (!t || form_readonly(fs->form, i))
			continue;
		now = form_text(fs->form, i);
		if (strcmp(now, t) != 0)
			form_set_text(fs->form, i, t);
		free(now);
	}
}

struct form_screen *form_screen_from_draft(struct ui *ui, struct draft *d)
{
	const struct dict_entity *e = dict_find(d->entity);
	struct record *r = NULL;
	struct record_error re;
	struct form_screen *fs;
	const char *note = NULL;

	if (!e) {
		draft_free(d);
		return NULL;
	}
	record_error_init(&re);
	if (d->key) {
		switch (record_load(ui_db(ui), e, d->key, &r, &re)) {
		case RECORD_OK:
			/* changed since the typing started: the save shows the
			 * differences rather than overwrite them unseen */
			if (r->row_version != d->row_version) {
				r->row_version = d->row_version;
				note = ui_tr(ui, M_DRAFT_CHANGED);
			}
			break;
		case RECORD_GONE:
			note = ui_tr(ui, M_DRAFT_GONE);
			break;
		case RECORD_REFUSED:
		case RECORD_CONFLICT:
		case RECORD_REFERENCED:
		case RECORD_FAILED:
			ui_tell_error(ui, &re.err);
			record_error_free(&re);
			draft_free(d);
			return NULL;
		}
	}
	record_error_free(&re);
	fs = form_screen_new(ui, e, r, NULL);
	if (d->key && !r) {
		/* gone: a new record, its key as it was */
		size_t nk, k = 0;
		char **parts = record_key_decode(e, d->key, &nk);
		for (size_t i = 0; parts && i < e->nfields; i++) {
			if (!(e->fields[i].flags & DF_KEY) || k >= nk)
				continue;
			if (dict_by_pid(e, &e->fields[i])) {
				k++; /* a pid: the number is to be typed again */
				continue;
			}
			char *t = form_value_text(&e->fields[i], parts[k++], ui_zh(ui));
			if (*t && !draft_get(d, e->fields[i].column))
				form_set_text(fs->form, i, t);
			free(t);
		}
		record_key_free(parts, nk);
	}
	apply_draft(fs, d);
	fs->draft = d;
	if (note)
		ui_say(ui, note);
	return fs;
}

/* ---- saving ---- */

static void save(struct form_screen *fs, bool next);

/* After a save went through: tell the list, then close or start the next. */
static void saved(struct form_screen *fs, bool next, const char *warning)
{
	struct ui *ui = fs->ui;
	struct strbuf sb = {0};
	struct sgz_err err;
	char *title = NULL;

	drop_draft(fs);
	if (fs->origin) {
		/* the list shows the record saved, selected */
		char *key = record_key(fs->rec);
		fs->origin->saved(fs->origin->ctx, (const char *const *)fs->rec->values, key);
		free(key);
	}
	/* the message names it as the lists do, an assigned case number too */
	sgz_err_clear(&err);
	if (record_title(ui_db(ui), fs->rec, ui_zh(ui), &title, &err) < 0)
		log_msg(LOG_INFO, "saved record not named: %s", err.msg);
	if (warning && *warning) {
		/* what a rule accepted with a warning says more */
		char *why = form_tr_message(warning);
		/* TRANSLATORS: saved, with what a rule accepted with a warning. */
		sb_addf(&sb, _("Warning: %s"), why);
		free(why);
	} else if (title && *title) {
		/* TRANSLATORS: after a save: the entity and the record saved,
		 * e.g. "Saved: Case 120110001-2026-0003 Liu Guilan". */
		sb_addf(&sb, next ? _("Saved: %s %s. Next record:") : _("Saved: %s %s"),
			ui_entity_one(ui, fs->e), title);
	} else {
		sb_adds(&sb, ui_tr(ui, next ? M_SAVED_NEXT : M_SAVED));
	}
	free(title);
	ui_say(ui, sb_str(&sb));
	sb_free(&sb);
	if (!next) {
		ui_pop(ui); /* frees fs */
		return;
	}
	form_set_ditto(fs->form, (const char *const *)fs->rec->values);
	form_load(fs->form, (const char *const *)fs->rec->values);
	/* the people kept (a worker) stand for their pids, masked */
	mask_people(fs);
	form_next_record(fs->form);
	record_free(fs->rec);
	fs->rec = record_new(fs->e);
	panes_set_record(fs->panes, fs->rec);
	set_title(fs);
	propose_defaults(fs);
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
		panes_set_record(fs->panes, fs->rec);
		theirs = NULL;
	}
	if (answer == 'm') {
		save(fs, fs->next_after); /* may free fs */
	} else if (answer == 't') {
		form_load(fs->form, (const char *const *)fs->rec->values);
		mask_people(fs);
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
		bool id = browse_is_idnum(&fs->e->fields[i]);
		char *ta = id && a ? idnum_shown(fs, a) : form_value_text(&fs->e->fields[i], a, zh);
		char *tb = id && b ? idnum_shown(fs, b) : form_value_text(&fs->e->fields[i], b, zh);
		sb_addc(sb, '\n');
		/* TRANSLATORS: a field of the conflict dialog: label, my value, theirs. */
		sb_addf(sb, _("%s: %s (yours) / %s (theirs)"), form_label(fs->form, i), ta, tb);
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
	for (size_t i = 0; i < fs->e->nfields; i++) {
		if (record_pid(fs->rec, i))
			record_set_person(r, i, record_pid(fs->rec, i), record_value(fs->rec, i));
		else
			record_set(r, i, record_value(fs->rec, i));
	}
	record_free(fs->rec);
	fs->rec = r;
	panes_set_record(fs->panes, fs->rec);
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
		drop_draft(fs);
		ui_pop(ui);
		return;
	}
	/* what was typed goes into a copy: a refusal leaves the record as loaded */
	struct record *r = record_dup(fs->rec);
	values = form_values(fs->form);
	for (size_t i = 0; i < fs->e->nfields; i++) {
		if (form_readonly(fs->form, i))
			continue;
		const char *pid = fs->e->fields[i].pid_column ? record_token_pid(values[i]) : NULL;
		if (pid) {
			/* a person read or picked: his pid, shown masked */
			char *shown = form_text(fs->form, i);
			record_set_person(r, i, pid, shown);
			free(shown);
		} else {
			record_set(r, i, values[i]);
		}
	}
	form_values_free(fs->form, values);
	fs->next_after = next;
	record_error_init(&re);
	switch (record_save(ui_db(ui), r, &re)) {
	case RECORD_OK:
		record_free(fs->rec);
		fs->rec = r;
		panes_set_record(fs->panes, fs->rec);
		r = NULL;
		saved(fs, next, re.warning); /* may free fs */
		break;
	case RECORD_REFUSED: {
		char *why = form_tr_message(re.err.msg);
		if (re.field >= 0) {
			struct strbuf reason = {0};
			form_set_error(fs->form, (size_t)re.field, why);
			form_focus(fs->form, (size_t)re.field);
			field_reason(fs, (size_t)re.field, why, &reason);
			/* TRANSLATORS: the message line after a refused save. */
			sb_addf(&sb, _("Not saved: %s"), sb_str(&reason));
			sb_free(&reason);
			ui_say(ui, sb_str(&sb));
		} else {
			ui_tell(ui, ui_tr(ui, M_REFUSED), why);
		}
		free(why);
		break;
	}
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
		/* a lost connection: every open form's typing goes to its draft */
		ui_tell_error(ui, &re.err);
		break;
	}
	record_free(r);
	record_error_free(&re);
	sb_free(&sb);
}

/* ---- keys ---- */

/* Moves to the next or the previous field: always (spec/work.md, moving
 * never traps); the field left is checked, and its refusal said here and
 * marked beside it, holding the save. */
static void go_field(struct form_screen *fs, enum form_move m)
{
	struct sgz_err err;
	struct strbuf sb = {0}, reason = {0};
	size_t i = form_current(fs->form);
	int rc = form_move(fs->form, m, &err);

	if (!err.msg[0])
		return;
	field_reason(fs, i, err.msg, &reason);
	if (rc < 0)
		sb_adds(&sb, sb_str(&reason));
	else
		sb_addf(&sb, _("Warning: %s"), sb_str(&reason));
	ui_say(fs->ui, sb_str(&sb));
	sb_free(&reason);
	sb_free(&sb);
}

static void move_on(struct form_screen *fs)
{
	go_field(fs, FORM_NEXT);
}

static void on_discard_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct form_screen *fs = ctx;

	if (answer != 'y')
		return;
	drop_draft(fs);
	ui_pop(ui);
}

/* Is field i the last one the cursor stops at? */
static bool last_field(const struct form_screen *fs, size_t i)
{
	for (size_t j = i + 1; j < form_count(fs->form); j++)
		if (!form_readonly(fs->form, j))
			return false;
	return true;
}

/* Into pane k of the related records, leaving the fields: the field
 * left is checked (its refusal shown, holding the save, not the cursor). */
static void enter_pane(struct form_screen *fs, int k)
{
	struct sgz_err err;

	if (panes_focus(fs->panes) < 0) {
		size_t i = form_current(fs->form);
		sgz_err_clear(&err);
		if (!form_readonly(fs->form, i) && form_validate(fs->form, i, &err) < 0) {
			struct strbuf sb = {0};
			field_reason(fs, i, err.msg, &sb);
			ui_say(fs->ui, sb_str(&sb));
			sb_free(&sb);
		}
	}
	panes_set_focus(fs->panes, k);
}

/* A key while a pane has the focus: ]/[ and Tab/Shift-Tab between the
 * panes (before the first, the fields), the pane's own, Esc as the form's;
 * the others do nothing there. True when it was taken. */
static bool pane_key(struct form_screen *fs, bool fn, wint_t wc)
{
	int k = panes_focus(fs->panes), n = (int)panes_count(fs->panes);

	if (k < 0 || is_esc(fn, wc) || (fn && wc == KEY_F(1)))
		return false;
	if ((!fn && (wc == L']' || wc == L'\t')) || (fn && wc == KEY_RIGHT)) {
		if (k + 1 < n)
			panes_set_focus(fs->panes, k + 1);
	} else if ((!fn && wc == L'[') || (fn && (wc == KEY_BTAB || wc == KEY_LEFT))) {
		panes_set_focus(fs->panes, k - 1);
	} else if (fs->module_key && !fn && wc == fs->module_key->wc) {
		/* no text field has the cursor: the record's module key (p) */
		char *key = record_key(fs->rec);
		fs->module_key->open(fs->ui, fs->e, key, NULL);
		free(key);
	} else {
		panes_key(fs->panes, fn, wc);
	}
	return true;
}

void form_screen_key(struct form_screen *fs, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct ui *ui = fs->ui;

	if (fs->pk.open) {
		picker_key_form(fs, fn, wc);
		return;
	}
	if (pane_key(fs, fn, wc))
		return;
	if (panes_count(fs->panes) && !fn && wc == L']') {
		enter_pane(fs, 0);
		return;
	}
	if (panes_count(fs->panes) && !fn && wc == L'[') {
		enter_pane(fs, (int)panes_count(fs->panes) - 1);
		return;
	}
	if (panes_count(fs->panes) && last_field(fs, form_current(fs->form)) &&
	    ((fn && (wc == KEY_DOWN || wc == KEY_ENTER)) ||
	     (!fn && (wc == L'\t' || wc == L'\r' ||
		      (wc == L'\n' &&
		       !lineedit_multiline(form_lineedit(fs->form, form_current(fs->form)))))))) {
		enter_pane(fs, 0);
		return;
	}
	if (is_esc(fn, wc)) {
		if (form_dirty(fs->form)) {
			ui_ask(ui, ui_tr(ui, M_BACK), ui_tr(ui, M_DISCARD_ASK), discard,
			       SGZ_ARRAY_LEN(discard), on_discard_answer, fs);
		} else {
			drop_draft(fs);
			ui_pop(ui);
		}
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
	} else if (!fn && wc == L'\n' &&
		   lineedit_multiline(form_lineedit(fs->form, form_current(fs->form)))) {
		/* Ctrl-J: a line break; Enter still moves on */
		form_key(fs->form, fn, wc);
	} else if ((fn && (wc == KEY_DOWN || wc == KEY_ENTER)) ||
		   (!fn && (wc == L'\t' || wc == L'\r' || wc == L'\n'))) {
		move_on(fs);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		go_field(fs, FORM_PREV);
	} else {
		form_key(fs->form, fn, wc);
	}
}

bool form_screen_paste(struct form_screen *fs, const wchar_t *s, size_t n)
{
	size_t i = form_current(fs->form);

	if (fs->pk.open) {
		picker_paste(&fs->pk, fs->ui, s, n);
		return true;
	}
	if (form_readonly(fs->form, i))
		return false;
	/* the field with the focus takes it; the focus stays there */
	if (ui_paste_text(fs->ui, form_lineedit(fs->form, i), s, n))
		form_set_error(fs->form, i, NULL);
	return true;
}

/* ---- the form as the stack holds it ---- */

static const char *view_title(void *view)
{
	return form_screen_title(view);
}

static void view_draw(void *view, int top, int height)
{
	form_screen_draw(view, top, height);
}

static bool view_key(void *view, bool fn, wint_t wc)
{
	form_screen_key(view, fn, wc); /* ?, Esc and F1 too: the form decides */
	return true;
}

static const struct ui_keyinfo *view_keys(void *view, size_t *n)
{
	return form_screen_keys(view, n);
}

static const struct ui_keyinfo *view_status_keys(void *view, size_t *n)
{
	return form_screen_status_keys(view, n);
}

static void view_idle(void *view)
{
	form_screen_idle(view);
}

static void view_free(void *view)
{
	form_screen_free(view);
}

static bool view_paste(void *view, const wchar_t *s, size_t n)
{
	return form_screen_paste(view, s, n);
}

static bool view_keep(void *view, struct sgz_err *err)
{
	return form_screen_keep(view, err);
}

static const struct ui_view_ops form_view_ops = {
    .title = view_title,
    .draw = view_draw,
    .key = view_key,
    .keys = view_keys,
    .status_keys = view_status_keys,
    .idle = view_idle,
    .free = view_free,
    .paste = view_paste,
    .keep = view_keep,
};

void form_screen_push(struct ui *ui, struct form_screen *fs)
{
	ui_push_view(ui, &form_view_ops, fs);
}

/* ---- drafts (include/sgz/draft.h): the file format and the files ---- */

#define DRAFT_MAGIC "sgz-draft 1"

/* This session's database and role (draft_set_identity()). */
static char *identity_database, *identity_role;

void draft_set_identity(const char *database, const char *role)
{
	free(identity_database);
	free(identity_role);
	identity_database = database && *database ? xstrdup(database) : NULL;
	identity_role = role && *role ? xstrdup(role) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Two parts of an identity are the same: both absent, or equal. */
static bool same_part(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Was d typed against this session's database, as its role? */
static bool of_this_identity(const struct draft *d)
{
	return same_part(d->database, identity_database) && same_part(d->role, identity_role);
}

struct draft *draft_new(const char *entity, const char *key, long row_version, const char *title)
{
	struct draft *d = xcalloc(1, sizeof(*d));

	d->entity = xstrdup(entity ? entity : "");
	d->key = key ? xstrdup(key) : NULL;
	d->row_version = row_version;
	d->title = xstrdup(title ? title : "");
	d->host = xstrdup("");
	d->database = dup_or_null(identity_database);
	d->role = dup_or_null(identity_role);
	return d;
}

void draft_free(struct draft *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->columns[i]);
		free(d->texts[i]);
	}
	free(d->columns);
	free(d->texts);
	free(d->entity);
	free(d->key);
	free(d->title);
	free(d->host);
	free(d->database);
	free(d->role);
	free(d->path);
	free(d);
}

void draft_set(struct draft *d, const char *column, const char *text)
{
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->columns[i], column) == 0) {
			free(d->texts[i]);
			d->texts[i] = xstrdup(text ? text : "");
			return;
		}
	}
	d->columns = xreallocarray(d->columns, d->n + 1, sizeof(*d->columns));
	d->texts = xreallocarray(d->texts, d->n + 1, sizeof(*d->texts));
	d->columns[d->n] = xstrdup(column);
	d->texts[d->n] = xstrdup(text ? text : "");
	d->n++;
}

const char *draft_get(const struct draft *d, const char *column)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->columns[i], column) == 0)
			return d->texts[i];
	return NULL;
}

/* One value on one line: \ escapes the line ends and control bytes. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			sb_adds(sb, "\\\\");
		else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, (char)c);
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes add_escaped() on s[0..n). -1 on a bad escape. */
static int unescape(const char *s, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			sb_addc(out, s[i]);
			continue;
		}
		if (++i == n)
			return -1;
		switch (s[i]) {
		case '\\':
			sb_addc(out, '\\');
			break;
		case 'n':
			sb_addc(out, '\n');
			break;
		case 'r':
			sb_addc(out, '\r');
			break;
		case 't':
			sb_addc(out, '\t');
			break;
		case 'x': {
			int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			sb_addc(out, (char)(hi * 16 + lo));
			i += 2;
			break;
		}
		default:
			return -1;
		}
	}
	return 0;
}

void draft_format(const struct draft *d, struct strbuf *sb)
{
	sb_adds(sb, DRAFT_MAGIC "\nentity ");
	add_escaped(sb, d->entity);
	if (d->key) {
		sb_adds(sb, "\nkey ");
		add_escaped(sb, d->key);
	}
	sb_addf(sb, "\nversion %ld\ntitle ", d->row_version);
	add_escaped(sb, d->title);
	sb_addf(sb, "\nsaved %lld\nhost ", (long long)d->saved);
	add_escaped(sb, d->host);
	sb_addf(sb, "\npid %ld\n", d->pid);
	if (d->database) {
		sb_adds(sb, "database ");
		add_escaped(sb, d->database);
		sb_addc(sb, '\n');
	}
	if (d->role) {
		sb_adds(sb, "role ");
		add_escaped(sb, d->role);
		sb_addc(sb, '\n');
	}
	for (size_t i = 0; i < d->n; i++) {
		sb_adds(sb, "field ");
		add_escaped(sb, d->columns[i]);
		sb_addc(sb, ' ');
		add_escaped(sb, d->texts[i]);
		sb_addc(sb, '\n');
	}
}

/* A number of a draft's line; -1 if it is none. */
static long long line_number(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || end == s || *end ? -1 : v;
}

struct draft *draft_parse(const char *text, struct sgz_err *err)
{
	struct draft *d = draft_new("", NULL, 0, "");
	struct strbuf val = {0}, col = {0};
	const char *p = text;
	size_t lineno = 0;

	/* the file says whose it is, not this session */
	free(d->database);
	free(d->role);
	d->database = d->role = NULL;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *sp = memchr(p, ' ', len);
		size_t wlen = sp ? (size_t)(sp - p) : len;
		const char *arg = sp ? sp + 1 : p + len;
		size_t alen = len - (size_t)(arg - p);

		lineno++;
		sb_reset(&val);
		if (lineno == 1) {
			if (len != strlen(DRAFT_MAGIC) || memcmp(p, DRAFT_MAGIC, len) != 0)
				goto bad;
		} else if (wlen == 5 && memcmp(p, "field", 5) == 0) {
			const char *sp2 = memchr(arg, ' ', alen);
			if (!sp2)
				goto bad;
			sb_reset(&col);
			if (unescape(arg, (size_t)(sp2 - arg), &col) < 0 ||
			    unescape(sp2 + 1, alen - (size_t)(sp2 + 1 - arg), &val) < 0)
				goto bad;
			draft_set(d, sb_str(&col), sb_str(&val));
		} else if (unescape(arg, alen, &val) < 0) {
			goto bad;
		} else if (wlen == 6 && memcmp(p, "entity", 6) == 0) {
			free(d->entity);
			d->entity = xstrdup(sb_str(&val));
		} else if (wlen == 3 && memcmp(p, "key", 3) == 0) {
			free(d->key);
			d->key = xstrdup(sb_str(&val));
		} else if (wlen == 5 && memcmp(p, "title", 5) == 0) {
			free(d->title);
			d->title = xstrdup(sb_str(&val));
		} else if (wlen == 4 && memcmp(p, "host", 4) == 0) {
			free(d->host);
			d->host = xstrdup(sb_str(&val));
		} else if (wlen == 8 && memcmp(p, "database", 8) == 0) {
			free(d->database);
			d->database = val.len ? xstrdup(sb_str(&val)) : NULL;
		} else if (wlen == 4 && memcmp(p, "role", 4) == 0) {
			free(d->role);
			d->role = val.len ? xstrdup(sb_str(&val)) : NULL;
		} else if (wlen == 7 && memcmp(p, "version", 7) == 0) {
			if ((d->row_version = (long)line_number(sb_str(&val))) < 0)
				goto bad;
		} else if (wlen == 5 && memcmp(p, "saved", 5) == 0) {
			long long t = line_number(sb_str(&val));
			if (t < 0)
				goto bad;
			d->saved = (time_t)t;
		} else if (wlen == 3 && memcmp(p, "pid", 3) == 0) {
			if ((d->pid = (long)line_number(sb_str(&val))) < 0)
				goto bad;
		}
		/* other lines: a newer sgz's, skipped */
		p += len + (nl ? 1 : 0);
	}
	if (lineno == 0 || !d->entity[0]) {
		lineno = lineno ? lineno : 1;
		goto bad;
	}
	sb_free(&val);
	sb_free(&col);
	return d;
bad:
	sgz_err_set(err, SGZ_EDATA, _("not a draft of sgz (line %zu)"), lineno);
	sb_free(&val);
	sb_free(&col);
	draft_free(d);
	return NULL;
}

char *draft_dir(void)
{
	char *state = sgz_state_dir();
	char *dir = xasprintf("%s/drafts", state);

	free(state);
	return dir;
}

/* Writes all of s to fd. 0 or -1 (errno set). */
static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int draft_write(struct draft *d, const char *dir, struct sgz_err *err)
{
	static unsigned seq;
	struct strbuf sb = {0};
	char host[256] = "";
	char *tmp = NULL;
	int fd = -1, rc = -1;

	if (sgz_mkdirs(dir, 0700) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!d->path)
		d->path = xasprintf("%s/%s-%lld-%ld-%u.draft", dir, d->entity,
				    (long long)time(NULL), (long)getpid(), seq++);
	gethostname(host, sizeof(host) - 1);
	free(d->host);
	d->host = xstrdup(host);
	d->pid = (long)getpid();
	d->saved = time(NULL);
	draft_format(d, &sb);
	tmp = xasprintf("%s/.draft-XXXXXX", dir);
	fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0 || fchmod(fd, 0600) < 0 || write_all(fd, sb.buf, sb.len) < 0 || fsync(fd) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", d->path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", d->path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, d->path) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", d->path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	sb_free(&sb);
	return rc;
}

struct draft *draft_read(const char *path, struct sgz_err *err)
{
	struct strbuf sb = {0};
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct draft *d;

	if (fd < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 && sb.len < 4 * 1024 * 1024)
		sb_addn(&sb, buf, (size_t)n);
	close(fd);
	if (n < 0 || memchr(sb_str(&sb), '\0', sb.len)) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %s", path, n < 0 ? strerror(errno) : "not text");
		sb_free(&sb);
		return NULL;
	}
	d = draft_parse(sb_str(&sb), err);
	sb_free(&sb);
	if (d)
		d->path = xstrdup(path);
	return d;
}

void draft_remove(struct draft *d)
{
	if (d && d->path) {
		unlink(d->path);
		free(d->path);
		d->path = NULL;
	}
}

/* Is the sgz that wrote d still running here (another session)? */
static bool writer_alive(const struct draft *d)
{
	char host[256] = "", path[64], stat[256] = "";
	const char *open_paren, *close_paren;
	FILE *f;

	gethostname(host, sizeof(host) - 1);
	if (d->pid <= 0 || d->pid == (long)getpid() || strcmp(d->host, host) != 0)
		return false;
	if (kill((pid_t)d->pid, 0) < 0 && errno != EPERM)
		return false;
	/* "pid (comm) state ...": a recycled pid is some other program, and a
	 * zombie nobody reaped (its terminal gone) edits nothing */
	snprintf(path, sizeof(path), "/proc/%ld/stat", d->pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	open_paren = strchr(stat, '(');
	close_paren = strrchr(stat, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return true;
	return close_paren - open_paren - 1 == 3 && strncmp(open_paren + 1, "sgz", 3) == 0 &&
	       close_paren[1] == ' ' && close_paren[2] != 'Z' && close_paren[2] != 'X';
}

static int newest_first(const void *a, const void *b)
{
	const struct draft *x = *(const struct draft *const *)a;
	const struct draft *y = *(const struct draft *const *)b;

	return x->saved < y->saved ? 1 : x->saved > y->saved ? -1 : strcmp(x->path, y->path);
}

struct draft **draft_list(const char *dir, size_t *n)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	struct draft **list = NULL;
	struct sgz_err err;

	*n = 0;
	if (!dh)
		return NULL;
	while ((de = readdir(dh)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 7 || strcmp(de->d_name + len - 6, ".draft") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		sgz_err_clear(&err);
		struct draft *d = draft_read(path, &err);
		free(path);
		/* another role's or database's typing is not this session's to
		 * see, restore or discard: it stays on disk untouched */
		if (!d || !of_this_identity(d) || writer_alive(d)) {
			draft_free(d);
			continue;
		}
		list = xreallocarray(list, *n + 1, sizeof(*list));
		list[(*n)++] = d;
	}
	closedir(dh);
	if (*n > 1)
		qsort(list, *n, sizeof(*list), newest_first);
	return list;
}

void draft_list_free(struct draft **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		draft_free(list[i]);
	free(list);
}

bool draft_is_grid(const struct draft *d)
{
	return d && draft_get(d, "grid:station") != NULL;
}

bool draft_is_sheet(const struct draft *d)
{
	return d && draft_get(d, "sheet:kind") != NULL && draft_get(d, "sheet:date") != NULL;
}
