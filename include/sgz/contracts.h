/* contracts.h - the contracts module's screens (src/contracts/): the
 * evaluation sheet (programmes.md, the indicator sheet; issue 13), one
 * evaluation of a contract year or of a station scored indicator by
 * indicator over its queries (evalsheet.h). The screen uses the
 * interface's services (ui.h) and the generic screens (screens.h); the
 * shell opens it (g on the contracts, evaluations and stations lists:
 * a struct ui_list_key). Nothing here includes libpq. */
#ifndef SGZ_CONTRACTS_H
#define SGZ_CONTRACTS_H

#include "sgz/dict.h"
#include "sgz/ui.h"

struct draft;
struct list_screen;

/* g on the contracts, the evaluations and the stations lists (a struct
 * ui_list_key's open): the sheet of the selected evaluation; of a
 * contract year or a station, its latest annual or final evaluation, else
 * a new annual one (evalsheet_pick()). key NULL: nothing. origin (the
 * list, borrowed) told of a save. */
void evalsheet_from_list(struct ui *ui, const struct dict_entity *e, const char *key,
			 struct list_screen *origin);

/* The sheet of a sheet draft (taken; draft_is_sheet()), offered at the
 * start: read as stored, the draft's scores put back over it, what it was
 * read as when the typing started kept (a sheet saved since is refused on
 * F2 and said). A sheet no longer there is said and the draft left. */
void evalsheet_from_draft(struct ui *ui, struct draft *d);

#endif
