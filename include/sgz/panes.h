/* panes.h - the panes of related records under a record (spec/work.md,
 * "Related records"; related.h): a few rows each of the records that
 * belong to it, named as the lists name them; `]`/`[` (and Tab past the
 * last field) move between them, Enter opens a row, `a` adds one with the
 * parent's fields filled in. Each pane is one keyset statement limited
 * to the rows it shows (and a line of totals where the dictionary gives
 * one); a pane whose statement failed or was cancelled (Esc) says so in
 * its place and the screen stays usable; a parent deleted meanwhile is
 * said when the panes are fetched again, and they close. The form
 * (screen_form.c) and the case file (src/cases/) show them. */
#ifndef SGZ_PANES_H
#define SGZ_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/dict.h"
#include "sgz/ui.h"

struct record;
struct panes;

/* How a pane opens its selected row (key: record_key_encode()) and a new
 * child (taken, the parent's fields filled): the screen that shows the
 * panes gives these (the form's: form_panes_opener, screens.h), so the
 * panes know no form. */
struct panes_opener {
	void (*open)(struct ui *ui, const struct dict_entity *e, const char *key);
	void (*add)(struct ui *ui, const struct dict_entity *e, struct record *child);
};

/* The panes of the stored record r of e (borrowed: must outlive them),
 * each showing rows rows; only the child of entity only when only is not
 * NULL. None (panes_count() 0) for a new record. Nothing is fetched
 * before panes_load(). op (static) opens their rows. */
struct panes *panes_new(struct ui *ui, const struct dict_entity *e, const struct record *r,
			int rows, const char *only, const struct panes_opener *op);
void panes_free(struct panes *p);
/* r (borrowed) now stands for the parent: a saved form's record. */
void panes_set_record(struct panes *p, const struct record *r);
size_t panes_count(const struct panes *p);
/* No line of totals on top of the panes: the screen says it already. */
void panes_hide_summary(struct panes *p);
/* The pane with the focus, or -1 (the fields have it). */
int panes_focus(const struct panes *p);
void panes_set_focus(struct panes *p, int k);
/* Lines pane k takes on the screen, whatever it holds: its title, its
 * totals, its rows. */
int panes_lines(const struct panes *p, size_t k);
/* Fetches what is not fetched yet, or everything after panes_stale():
 * first whether the parent is still there (false when it is gone: said,
 * and the panes closed), then each pane's rows. */
bool panes_load(struct panes *p);
/* Everything is fetched again at the next panes_load() (a record opened
 * or added from a pane may have changed what they show). */
void panes_stale(struct panes *p);
/* Lines a module's head of the record takes (ui_record_head(): the
 * station page's figures), read with the panes; 0 for none. */
int panes_head_lines(const struct panes *p);
/* Draws it from row y of stdscr. */
void panes_head_draw(struct panes *p, int y, int x, int width);
/* Draws lines [skip, skip + lines) of pane k from row y of stdscr. */
void panes_draw(struct panes *p, size_t k, int y, int x, int width, int skip, int lines);
/* A key for the pane with the focus: Up/Down, PgUp/PgDn (Space, b) move
 * in its rows, Enter opens the row, a adds. True when taken. */
bool panes_key(struct panes *p, bool fn, wint_t wc);
/* The record of the selected row of pane k is opened: its key, or NULL. */
const char *panes_selected_key(const struct panes *p, size_t k);
/* Pane k's entity, or NULL. */
const struct dict_entity *panes_entity(const struct panes *p, size_t k);
/* The keys of a pane, for help and the status line. */
const struct ui_keyinfo *panes_keys(size_t *n);

#endif
