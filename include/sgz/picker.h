/* picker.h - the type-ahead picker of a form field (F5): the choices of a
 * choice field filtered as you type, ticks for a field of several choices,
 * or the rows a reference or person field may name, looked up in the
 * database once the keys stop. The forms of the data dictionary and the
 * administration's user form share it. Nothing here includes libpq. */
#ifndef SGZ_PICKER_H
#define SGZ_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/lineedit.h"
#include "sgz/ui.h"

struct form;

/* Rows of candidates a picker shows; references fetch this many. */
#define PICK_ROWS  10
#define PICK_FETCH 50

struct picker {
	bool open;
	size_t field; /* the form's field it picks for */
	const struct dict_field *df;
	const struct dict_choice *choices; /* local: the field's (or yes/no) */
	bool multi;			   /* DT_CHOICES: ticks */
	bool remote;			   /* a reference: looked up in the database */
	bool append;			   /* a list of references: the pick is added */
	struct lineedit *filter;
	char **values; /* the candidates: what is stored ... */
	char **shown;  /* ... how it is shown (a masked ID number) ... */
	char **labels; /* ... and what describes it */
	char **places; /* ... and where a person is (his station's name), or "" */
	size_t n, cap;
	bool *ticked; /* multi: per choice */
	/* many: staff who attend (dict_field pick_day), ticked by pid */
	bool many;
	char *day, *station; /* the form's: whom the look-up offers */
	char *have;	     /* the field's value when opened, ticked once looked up */
	char **tk_tokens;    /* ... what the field will hold for each ticked ... */
	char **tk_pids;	     /* ... the '#pid' he is (or the token) ... */
	char **tk_names;     /* ... and his name */
	size_t ntk, tkcap;
	size_t sel, top;
	bool stale; /* remote: the filter changed since the look-up */
	char *error; /* remote: why the last look-up failed, translated */
};

/* What a key did to an open picker. */
enum picker_done {
	PICKER_KEPT,   /* still open */
	PICKER_PICKED, /* Enter: picker_text() is the field's new text */
	PICKER_CLOSED, /* Esc: closed, nothing picked */
};

void picker_init(struct picker *pk);
void picker_free(struct picker *pk);
/* Opens the picker for field (df; form_pickable()) whose text is now text: choices show at
 * once with the current one selected (or ticked); a reference is looked
 * up from what was typed at the next picker_lookup(). */
void picker_open(struct picker *pk, size_t field, const struct dict_field *df, const char *text);
void picker_close(struct picker *pk);
/* For a list of attendees (df->pick_day): value, the field's value (a
 * ';' list of '#pid's and numbers), comes ticked; the look-up offers the
 * staff active on day, of station when not NULL. Call after
 * picker_open(); a NULL or empty day (or station, when the field names
 * one) makes the picker say what to fill in first. */
void picker_set_attendees(struct picker *pk, const char *value, const char *station,
			  const char *day);
/* Handles one key of an open picker. */
enum picker_done picker_key(struct picker *pk, bool fn, wint_t wc);
/* After PICKER_PICKED: the field's new text (have: its text now, which a
 * list of references keeps and adds to), in the interface's language
 * (zh: Chinese labels). NULL when nothing was there to pick. Caller frees;
 * then picker_close(). */
char *picker_text(const struct picker *pk, const char *have, bool zh);
/* After PICKER_PICKED: puts the pick into field pk->field of form (a list
 * of references adds it to what the field holds) and closes the picker.
 * A person shows as the picker showed it - the ID number masked unless
 * the session may see it (form_set_masked()) - and a pick that revealed
 * something (a full number, a child's record) is filed in the audit trail
 * first (browse_audit_pick()). 1 when the field was set, 0 when there was
 * nothing to pick, -1 when the audit failed (said on the message line; the
 * picker stays open). */
int picker_put(struct picker *pk, struct ui *ui, struct form *form);
/* Once the keys stop: looks a reference up again if the filter changed.
 * True when it did (the screen must be drawn). */
bool picker_lookup(struct picker *pk, struct ui *ui);
/* Draws the open picker as a box under (or over) the field's row field_y,
 * from column x, within rows [top, top + height); label: the field's. */
void picker_draw(struct picker *pk, struct ui *ui, const char *label, int x, int field_y,
		 int top, int height);
/* The keys of an open picker, for the status line. */
const struct ui_keyinfo *picker_keys(const struct picker *pk, size_t *n);
/* A bracketed paste into the open picker pk: its first line (as
 * ui_paste_text() takes it, what was left out said on ui's message line)
 * typed into the filter. */
void picker_paste(struct picker *pk, struct ui *ui, const wchar_t *s, size_t n);

#endif
