/* screen_tree.c - the division browser. */
#include "config.h"

#include "sgz/screens.h"

bool division_screen_open(struct ui *ui)
{
	struct list_screen *ls = list_screen_new(ui, dict_find("divisions"));

	if (!ls)
		return false;
	ui_push_list(ui, ls);
	return true;
}
