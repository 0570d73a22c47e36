/* screens.h - the generic screens of the interface: the list
 * (screen_list.c) and the form (screen_form.c) serve every entity of the
 * data dictionary, and a new entity gets them by its dictionary entry
 * alone; the reports (screen_report.c) and administration
 * (screen_admin.c) of the main menu. They call the services of ui.h; the
 * shell (src/shell/tui.c) and the modules' screens include this, the services
 * never do. Nothing here includes libpq. */
#ifndef SGZ_SCREENS_H
#define SGZ_SCREENS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/ui.h"
#include "sgz/util.h"

struct draft;
struct record;
struct list_screen; /* screen_list.c */
struct form_screen; /* screen_form.c */

/* Main menu item 5: the reports (screen_report.c). Pushes its screen, or
 * says why it cannot and returns false. */
bool report_screen_open(struct ui *ui);
/* Main menu item 6: administration (screen_admin.c). */
bool admin_screen_open(struct ui *ui);

/* ---- the list screen (screen_list.c) ---- */

/* The list of entity e, its first page fetched. NULL with the reason said
 * (ui_tell) when the database refused. Freed by the stack. */
struct list_screen *list_screen_new(struct ui *ui, const struct dict_entity *e);
/* Opens ls (taken) on top of the stack. */
void list_screen_push(struct ui *ui, struct list_screen *ls);
/* The list of the rows of e that where holds (an SQL condition over the
 * row t, $1... params: browse_restrict()), titled title: what a report's
 * row opens (report.h). NULL when the first page could not be read
 * (said). */
struct list_screen *list_screen_new_where(struct ui *ui, const struct dict_entity *e,
					  const char *where, const char *const *params,
					  int nparams, const char *title);
void list_screen_free(struct list_screen *ls);
const char *list_screen_title(const struct list_screen *ls);
/* Draws the list in rows [top, top + height) of stdscr. */
void list_screen_draw(struct list_screen *ls, int top, int height);
/* Handles one key (Esc too: a filter being typed is cleared first). */
void list_screen_key(struct list_screen *ls, bool fn, wint_t wc);
/* A bracketed paste: into the filter or the export file being typed;
 * false (refused) when the rows have the keys. */
bool list_screen_paste(struct list_screen *ls, const wchar_t *s, size_t n);
/* The keys of the list; the short ones depend on what is being typed. */
const struct ui_keyinfo *list_screen_keys(const struct list_screen *ls, size_t *n);
const struct ui_keyinfo *list_screen_status_keys(const struct list_screen *ls, size_t *n);
/* A form saved or deleted a record of this list: fetch again when shown.
 * values: the record as saved (for ditto), or NULL. */
void list_screen_changed(struct list_screen *ls, const char *const *values);
/* What a form opened from ls is told (ui.h): its saves; the list's ditto
 * values and session. Borrowed for the list's life. */
const struct form_origin *list_screen_origin(struct list_screen *ls);
/* Appends to sb the question before deleting r: the record named as the
 * lists show it (spec/work.md: 删除个案 120110001-2026-0003 刘桂兰?). */
void ui_delete_question(struct ui *ui, const struct record *r, struct strbuf *sb);
/* Loads the record of e at key into *doomed (freeing what it held) and
 * asks whether to delete it, naming it; fn gets the answer. Returns 1 when
 * asked, 0 when the record is gone meanwhile (said; the caller reloads),
 * -1 when it could not be read (told). */
int ui_ask_delete(struct ui *ui, const struct dict_entity *e, const char *key,
		  struct record **doomed, ui_answer_fn fn, void *ctx);
/* Deletes r after the user said yes, and says how it went: refused where
 * the record is still referenced (what refers to it, counted, in a
 * dialog), changed or gone meanwhile, or the database's refusal.
 * reload_fn(ctx) runs when the list that showed r must be fetched again.
 * r stays the caller's. */
void ui_delete_record(struct ui *ui, struct record *r, void (*reload_fn)(void *ctx), void *ctx);

/* ---- the form screen (screen_form.c) ---- */

/* How panes of related records open a row and a new child (panes.h):
 * through the form, which panes.c does not know. */
extern const struct panes_opener form_panes_opener;

/* The form of record r (taken; NULL: a new record of e), opened from
 * origin (borrowed; may be NULL; list_screen_origin()). Freed by the stack. */
struct form_screen *form_screen_new(struct ui *ui, const struct dict_entity *e, struct record *r,
				    const struct form_origin *origin);
/* Opens fs (taken) on top of the stack. */
void form_screen_push(struct ui *ui, struct form_screen *fs);
/* Sets the field of fs whose column is column to canonical value (NULL:
 * empty), shown as the form shows it, as if typed; false when fs has no
 * such field. */
bool form_screen_set(struct form_screen *fs, const char *column, const char *value);
/* Puts the cursor on the field whose column is column. */
void form_screen_focus(struct form_screen *fs, const char *column);
/* Opens the record of e with key (record_key_encode()): a module's
 * screen of it where the shell gave one (ui_record_opener(): the case
 * file), else its form, loaded now; origin (borrowed; may be NULL) is
 * told of a save. A record gone or refused is said. */
void form_screen_open(struct ui *ui, const struct dict_entity *e, const char *key,
		      const struct form_origin *origin);
void form_screen_free(struct form_screen *fs);
const char *form_screen_title(const struct form_screen *fs);
void form_screen_draw(struct form_screen *fs, int top, int height);
/* Handles one key; Esc and F10 ask before discarding typed input. */
void form_screen_key(struct form_screen *fs, bool fn, wint_t wc);
/* Runs what waits for the keys to stop (a picker's look-up). */
void form_screen_idle(struct form_screen *fs);
/* A bracketed paste into the field with the focus (or the open picker's
 * filter); false (refused) for a field that cannot be changed. */
bool form_screen_paste(struct form_screen *fs, const wchar_t *s, size_t n);
const struct ui_keyinfo *form_screen_keys(const struct form_screen *fs, size_t *n);
const struct ui_keyinfo *form_screen_status_keys(const struct form_screen *fs, size_t *n);
/* The line under the form: the current field's refusal or a hint. Borrowed
 * until the next call on fs; NULL for none. */
const char *form_screen_hint(struct form_screen *fs);
/* Keeps what is typed in fs as its draft (draft.h), if anything is: true
 * when a draft was written, false when there was nothing to keep or the
 * write failed (err set). */
bool form_screen_keep(struct form_screen *fs, struct sgz_err *err);
/* The form of draft d (taken): the record loaded again (the draft's
 * row_version kept, so a save over someone else's later change shows the
 * conflict), or a new record if it was one or is gone; the draft's texts
 * over it. NULL, the reason said, when the entity is unknown or the
 * database refused. Freed by the stack. */
struct form_screen *form_screen_from_draft(struct ui *ui, struct draft *d);

#endif
