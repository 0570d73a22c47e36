/* screen_admin.c - main menu item 6, administration. */
#include "config.h"

#include "sgz/screens.h"

bool admin_screen_open(struct ui *ui)
{
	(void)ui;
	return false;
}
