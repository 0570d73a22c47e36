/* termcheck.c - whether the interface can draw on the terminal at all,
 * asked before connecting: a terminal type curses cannot move the cursor
 * on (TERM=dumb) would leave a blank screen. Apart from tui.c because
 * <term.h> defines macros (lines, columns, ...) that clash with its names. */
#include "config.h"

#include "sgz/tui.h"

#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "sgz/i18n.h"

int tui_check_terminal(struct sgz_err *err)
{
	const char *term = getenv("TERM");
	const char *cup;
	int found = 0;
	bool moves;

	if (!term || !*term) {
		sgz_err_set(err, SGZ_EUSAGE, "%s",
			    _("TERM is not set, so sgz does not know how to draw on this "
			      "terminal.\nFix: export TERM=xterm-256color (or the name of your "
			      "terminal) and run sgz again."));
		return -1;
	}
	/* found: 1 an entry, 0 none by that name, -1 no terminfo database */
	if (setupterm(term, STDOUT_FILENO, &found) != OK || found != 1) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the terminal type \"%s\" (TERM) is not known on this system, so "
			      "sgz cannot draw on it.\nFix: export TERM=xterm-256color, or install "
			      "its description (apt-get install ncurses-term), and run sgz again."),
			    term);
		return -1;
	}
	cup = tigetstr("cup");
	moves = cup && cup != (const char *)-1;
	del_curterm(cur_term);
	if (!moves) {
		sgz_err_set(
		    err, SGZ_EUSAGE,
		    _("the terminal type \"%s\" (TERM) cannot move the cursor, so sgz "
		      "cannot draw its screens on it.\nFix: run sgz in a terminal such as "
		      "xterm, PuTTY or the Linux console with TERM set to its name (e.g. "
		      "TERM=xterm-256color); for scripts use the subcommands (sgz --help)."),
		    term);
		return -1;
	}
	return 0;
}
