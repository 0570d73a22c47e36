/* screen_report.c - main menu item 5, the reports. */
#include "config.h"

#include "sgz/screens.h"

bool report_screen_open(struct ui *ui)
{
	(void)ui;
	return false;
}
