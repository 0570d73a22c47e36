/* volunteers.h - the volunteers module's screens (src/volunteers/): the
 * hours grid, one activity and many volunteers, over the grid's queries
 * (grid.h); the service certificate of a volunteer (certificate.h). They use the interface's services (ui.h) and the generic
 * screens (screens.h); the shell opens them. Nothing here includes libpq. */
#ifndef SGZ_VOLUNTEERS_H
#define SGZ_VOLUNTEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "sgz/ui.h"
#include "sgz/util.h"

struct draft;
struct list_screen;
struct grid_screen; /* screen_grid.c */

/* ---- the hours grid (screen_grid.c) ---- */

/* The grid of hours of one station, date and activity (each may be NULL:
 * asked in the grid's header), opened from list origin (borrowed; may be
 * NULL). Freed by the stack. */
struct grid_screen *grid_screen_new(struct ui *ui, const char *station, const char *date,
				    const char *activity, struct list_screen *origin);
/* Opens gs (taken) on top of the stack. */
void grid_screen_push(struct ui *ui, struct grid_screen *gs);
/* g on the activities and the hours lists (a struct ui_list_key's open):
 * the grid of the selected row's activity (key, or NULL), the header
 * asking what the row does not give; origin told of a save. */
void grid_screen_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			   struct list_screen *origin);
void grid_screen_free(struct grid_screen *gs);
const char *grid_screen_title(const struct grid_screen *gs);
void grid_screen_draw(struct grid_screen *gs, int top, int height);
/* Handles one key; Esc asks before discarding typed rows. */
void grid_screen_key(struct grid_screen *gs, bool fn, wint_t wc);
/* A bracketed paste: tab-separated rows (ID, hours, note) fill rows; text
 * without tabs or line breaks goes into the current field. */
void grid_screen_paste(struct grid_screen *gs, const wchar_t *s, size_t n);
const struct ui_keyinfo *grid_screen_keys(const struct grid_screen *gs, size_t *n);
/* Keeps the typed rows as a grid draft (form_screen_keep()). */
bool grid_screen_keep(struct grid_screen *gs, struct sgz_err *err);
/* The grid of a grid draft (taken; draft_is_grid()). Freed by the stack. */
struct grid_screen *grid_screen_from_draft(struct ui *ui, struct draft *d);

/* ---- the volunteer's service certificate (screen_certificate.c) ---- */

/* p on the volunteers list or a volunteer's form (a struct ui_list_key's
 * open): the selected volunteer's certificate (key, or NULL: nothing)
 * read, then its file asked on the bottom line (ui_ask_line()) and
 * written into the export directory. origin is not used. */
void certificate_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			   struct list_screen *origin);

#endif
