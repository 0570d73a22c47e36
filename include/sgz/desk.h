/* desk.h - the desk (工作台; spec/work.md, Work screens 1): the first screen
 * of station and county users, `0` from the main menu for everyone
 * (src/desk/screen_desk.c). It spans the modules (cases, stations,
 * volunteers, contracts) and opens their records through the generic
 * form, so it is a module of its own: above the interface's services,
 * below the shell, which alone includes this. */
#ifndef SGZ_DESK_H
#define SGZ_DESK_H

#include <stdbool.h>

#include "sgz/ui.h"

/* Pushes the desk, read now. start: the session's first screen, shown
 * only to station and county users (false, nothing pushed, for the
 * others). Returns whether it was pushed; a query that failed is said on
 * the desk itself. */
bool desk_screen_open(struct ui *ui, bool start);
/* Is the view of these ops the desk (whose unhandled digits and q are the
 * main menu's under it)? */
bool desk_screen_is(const struct ui_view_ops *ops);

#endif
