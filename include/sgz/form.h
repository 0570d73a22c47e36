/* form.h - the record form: a pure model (one line editor per field of the
 * data dictionary, in the dictionary's order, which is spec/csv.md's column
 * order; the current field; required marks; validation on leaving a field
 * with the import's rules; a per-field error; dirty; ditto and sticky
 * values; the type-ahead matching of choices by code or Chinese label),
 * then, at the end, its curses draw function.
 *
 * Values come in and go out as the canonical text of the dictionary (what
 * is stored and exported); the fields show choices and booleans in the
 * form's language (运营中, 是) and accept any spelling the import accepts. */
#ifndef SGZ_FORM_H
#define SGZ_FORM_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/lineedit.h"
#include "sgz/util.h"

struct form;

/* Returns the form of entity e (borrowed; static in practice), labels and
 * choices in Chinese when zh, every field empty but for the dictionary's
 * defaults, laid out for 80 columns. Caller frees with form_free(). */
struct form *form_new(const struct dict_entity *e, bool zh);
void form_free(struct form *f);
const struct dict_entity *form_entity(const struct form *f);

/* ---- fields ---- */

/* One field per dictionary field, in its order. */
size_t form_count(const struct form *f);
const struct dict_field *form_dict_field(const struct form *f, size_t i);
/* Field i's editor. Borrowed until form_free(). */
struct lineedit *form_lineedit(struct form *f, size_t i);
/* The label in the form's language (form_dict_label()). Borrowed (static). */
const char *form_label(const struct form *f, size_t i);
/* A label of the dictionary, an entity's or a field's, in the interface's
 * language: the catalogue's translation of the English label (gettext).
 * In Chinese the dictionary's label_zh stands in where the catalogue has
 * none, and where one English label names different things in the
 * dictionary (Name: 姓名, 站点名称, 机构名称), which one translation cannot
 * serve. Borrowed (static). */
const char *form_dict_label(const char *label, const char *label_zh, bool zh);
/* Must a value be given (DF_REQUIRED, unless the database assigns it)? */
bool form_required(const struct form *f, size_t i);
/* Shown, never typed: derived by the database (DF_NOEXPORT). */
bool form_readonly(const struct form *f, size_t i);
/* Kept by save-and-next: references to other records (a station, a case),
 * dates and the fields marked DF_STICKY (a worker), which a run of entries
 * usually shares; never an assigned key. */
bool form_sticky(const struct form *f, size_t i);
/* Is there a list to pick field i from (choices or a reference)? */
bool form_pickable(const struct form *f, size_t i);
/* Field i's text as UTF-8. Caller frees. */
char *form_text(const struct form *f, size_t i);
/* Sets field i's text (a pick, a paste) as if typed: dirty, error cleared.
 * Returns 0, or -1 when the text was cut to the field's maximum. */
int form_set_text(struct form *f, size_t i, const char *text);
/* Sets field i to a value picked from a list that the screen must not
 * show in full (a person's ID number, spec/rules.md: display masks): the
 * field shows shown and stands for value (canonical) in validation and
 * form_values(). The first key that would change the text replaces it
 * all, and anything else that changes the text (form_set_text(), a paste)
 * ends it. A ditto of the same value shows it masked again. As if typed:
 * dirty, error cleared. */
void form_set_masked(struct form *f, size_t i, const char *value, const char *shown);
/* Proposes value (canonical) for field i of a new record (spec/work.md,
 * Forms that help: today, the user's station, a case's worker): shown
 * as shown (a person's masked number, standing for value as with
 * form_set_masked()) or as the value reads, the field clean; the first
 * character typed replaces it, other keys edit it. */
void form_propose(struct form *f, size_t i, const char *value, const char *shown);
/* Shows value (canonical; NULL: nothing) in read-only field i, as the
 * database will set it (a new visit's station, its case's): display
 * only, never saved. */
void form_show(struct form *f, size_t i, const char *value);
/* Does field i still show what form_propose() put there, untouched? */
bool form_proposed(const struct form *f, size_t i);
/* Does field i show a masked pick (form_set_masked())? */
bool form_masked(const struct form *f, size_t i);
/* Shows note beside field i's text (what a reference refers to: the name
 * of the station whose code it holds), looked up for value, the field's
 * value then (form_values()); NULL or "" notes nothing. */
void form_set_note(struct form *f, size_t i, const char *value, const char *note);
/* The value field i's note was looked up for, or NULL. */
const char *form_noted(const struct form *f, size_t i);
/* Field i's note, or NULL. */
const char *form_note(const struct form *f, size_t i);
/* Field i counts as not typed in (after form_set_masked() of a loaded value). */
void form_set_clean_field(struct form *f, size_t i);
/* The reason field i was refused, or NULL. Borrowed until it changes. */
const char *form_error(const struct form *f, size_t i);
/* Marks field i refused with msg (copied), or clears it (NULL). */
void form_set_error(struct form *f, size_t i, const char *msg);
/* The first field with an error, or -1. */
int form_first_error(const struct form *f);

/* ---- the cursor ---- */

size_t form_current(const struct form *f);
/* Puts the cursor on field i (a read-only one: the next editable), without
 * validating the field it leaves: for a refusal the database named. */
void form_focus(struct form *f, size_t i);

enum form_move {
	FORM_NEXT, /* Tab, Enter, Down: after the last field, the first */
	FORM_PREV, /* Shift-Tab, Up: before the first, the last */
};

/* Validates the current field (form_validate()) and moves: moving never
 * traps (spec/work.md). 0 (err->msg may hold a warning) or -1 (the field
 * left was refused: its error and err hold the reason, which holds the
 * save, not the cursor). */
int form_move(struct form *f, enum form_move m, struct sgz_err *err);

/* ---- values ---- */

/* Loads a record: canonical values[i] per field (NULL: empty); the form is
 * clean, without errors, the cursor on the first editable field. */
void form_load(struct form *f, const char *const *values);
/* The text field i shows for canonical value v (a choice's label in
 * Chinese). Caller frees. */
char *form_display(const struct form *f, size_t i, const char *v);
/* The text canonical value v of df reads as, in Chinese (zh: a choice's
 * label, 是/否) or as stored: for forms and list cells alike. "" for NULL.
 * Caller frees. */
char *form_value_text(const struct dict_field *df, const char *v, bool zh);
/* Parses field i with the import's rules (dict_parse_value()); a choice
 * typed as the start of exactly one code or label is completed. On success
 * the field shows the value normalised (2024/3/5 -> 2024-03-05) and its
 * error is cleared: 0, err->msg holding a warning if any. On failure -1 with
 * the reason in err and as the field's error; the text stays as typed. */
int form_validate(struct form *f, size_t i, struct sgz_err *err);
/* Validates every field; on the first refusal puts the cursor there and
 * returns -1 with the reason in err. */
int form_validate_all(struct form *f, struct sgz_err *err);
/* The canonical value of every field (read-only ones as loaded), NULL for
 * empty; the fields must have passed validation. Caller frees with
 * form_values_free(). */
char **form_values(const struct form *f);
void form_values_free(const struct form *f, char **values);

/* Has the user changed anything since the last load or form_set_clean()? */
bool form_dirty(const struct form *f);
/* Has the user changed field i (typed, picked, dittoed) since then? */
bool form_field_dirty(const struct form *f, size_t i);
void form_set_clean(struct form *f);

/* A message of the model in the interface's language: msg_tr()
 * (message.h). Caller frees. */
char *form_tr_message(const char *msg);

/* ---- heads-down entry ---- */

/* The previous record's canonical values, for ditto (copied; NULL: none). */
void form_set_ditto(struct form *f, const char *const *values);
/* Ditto: copies the current field from the previous record. 0, or -1 when
 * there is nothing to copy. */
int form_ditto(struct form *f);
/* Save-and-next: the ditto values become values (the record just saved),
 * the sticky fields keep theirs, the others go back to the dictionary's
 * defaults; clean, the cursor on the first editable field that is not
 * sticky. */
void form_next_record(struct form *f);

/* Fills out[0..max) with the indexes of the choices of df whose code
 * (ignoring case) or Chinese label starts with text (all for "") and
 * returns how many matched (may exceed max). */
size_t form_choice_matches(const struct dict_field *df, const char *text, size_t *out, size_t max);

/* ---- curses side ---- */

/* Applies an editing key to the current field (lineedit_key()); an edit
 * clears the field's error. */
enum lineedit_key form_key(struct form *f, bool fn, wint_t wc);

/* Sets the fields' widths for a form `width` columns wide. */
void form_layout(struct form *f, int width);
/* Columns of the label column (marks included): where the fields start. */
int form_label_width(const struct form *f);

/* Draws the form at (y, x) of win in height rows and width columns: per
 * field a mark column ('!' refused, '>' current), '*' for required, the
 * label, the field padded with pad; with focus, scrolled to keep the
 * current field in view and win's cursor on it. */
void form_draw(WINDOW *win, int y, int x, int height, int width, struct form *f, wchar_t pad,
	       bool focus);
/* The first field form_draw() draws (it still scrolls to the current
 * field): a screen that scrolls the fields with more below them. */
void form_set_top(struct form *f, size_t top);

#endif
