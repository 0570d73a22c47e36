/* stations.h - the stations module's screens (src/stations/): the
 * division browser over its queries (divtree.h), the station page. They use the interface's
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

/* The station page (stationpage.c; spec/work.md, Work screens 3): the
 * station's form and panes with, on top, the year's KPIs against the
 * targets and the staffing against the contract, the desk's figures of
 * the station; a ui_record_head of the stations the shell gives. */
struct record;
void *station_head_read(struct ui *ui, const struct record *r);
int station_head_lines(void *state);
void station_head_draw(void *state, struct ui *ui, int y, int x, int width);
void station_head_free(void *state);

/* A community's page (communitypage.c; issue 14): a village's or a
 * residents' committee's division form and its organisations' pane with,
 * on top, urban or rural and its active organisations against the target
 * of its kind, the community report's row; a ui_record_head of the
 * divisions the shell gives (nothing on top of other divisions). */
void *community_head_read(struct ui *ui, const struct record *r);
int community_head_lines(void *state);
void community_head_draw(void *state, struct ui *ui, int y, int x, int width);
void community_head_free(void *state);

#endif
