/* stations.h - the stations module's screens (src/stations/): the
 * division browser over its queries (divtree.h). They use the interface's
 * services (ui.h) and the generic screens (screens.h); the shell opens
 * them. Nothing here includes libpq. */
#ifndef SGZ_STATIONS_H
#define SGZ_STATIONS_H

#include <stdbool.h>

#include "sgz/ui.h"

/* The division browser of the stations submenu: the divisions as a tree
 * by level (screen_tree.c). Pushes its screen, or says why it cannot and
 * returns false. */
bool division_screen_open(struct ui *ui);

#endif
