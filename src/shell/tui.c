/* tui.c - the interface's shell: the main menu and the submenus of
 * entities, help, the dispatch of keys to the top screen, drawing it, the
 * poll loop, signals, resize, the terminal, the wait for a query (async.h's
 * hook: Esc cancels), bracketed paste, the drafts offered at the start.
 * The only part of the interface that knows the screens: it opens the
 * generic ones (screens.h) and the modules' (stations.h, volunteers.h),
 * and gives the modules' keys to the lists. The services the screens call
 * are ui.c's (ui.h); this drives their state (uistate.h). Only main and
 * cli reach the shell, through tui.h. */
#include "config.h"

#include "sgz/tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "sgz/async.h"
#include "sgz/browse.h"
#include "sgz/desk.h"
#include "sgz/cases.h"
#include "sgz/contracts.h"
#include "sgz/dict.h"
#include "sgz/draft.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/screens.h"
#include "sgz/stations.h"
#include "sgz/ui.h"
#include "sgz/uistate.h"
#include "sgz/validate.h"
#include "sgz/volunteers.h"

/* The design size (DESIGN.md): everything must fit in it. */
#define MIN_COLS 80
#define MIN_ROWS 24

/* Long enough for an arrow key's escape sequence over SSH, short enough that
 * Esc feels instant. */
#define ESC_DELAY_MS 50

/* A terminal that polls readable yet yields no key this many times in a row
 * has hung up (EOF or EIO): a split UTF-8 character costs one or two. */
#define EMPTY_READS_MAX 16

#define KEY_CTRL_L 12

/* Bracketed paste (xterm's mode 2004): the keys ncurses returns for the
 * marks around pasted text, and the most a paste may bring. A paste that
 * ends while a query runs waits whole in the paste buffer; KEY_PASTE_READY
 * (never a terminal's key) holds its place among the keys typed around it. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END	(KEY_MAX + 2)
#define KEY_PASTE_READY (KEY_MAX + 3)
#define PASTE_MAX	(1024 * 1024)

/* Drafts offered at the start: the dialog lists this many. */
#define DRAFTS_SHOWN 6

/* The main menu, in the order of spec/keys.md: users type the numbers blind. */
static const enum ui_msg menu_items[] = {
    M_STATIONS, M_VOLUNTEERS, M_CASES, M_CONTRACTS, M_REPORTS, M_ADMIN,
};

/* The entities behind each main menu item, by import name; NULL: not yet. */
static const char *const stations_menu[] = {"divisions", "stations", "service_points",
					    "staff",	 "plans",    "community_orgs",
					    "supervisions", "trainings", NULL};
static const char *const volunteers_menu[] = {"volunteers", "activities", "hours", NULL};
static const char *const cases_menu[] = {"recipients", "cases", "visits", "outreach_visits",
					 "resources", NULL};
/* (new entities go after the old ones: users type the numbers blind) */
static const char *const contracts_menu[] = {"organizations",	 "contracts", "evaluations",
					     "programmes",	 "indicators", "evaluation_scores",
					     "payments",	 "submissions", NULL};
static const char *const *const submenus[] = {
    stations_menu, volunteers_menu, cases_menu, contracts_menu, NULL, NULL,
};

/* The modules' keys on the generic lists (ui_list_key()): the shell knows
 * both, so neither knows the other. */
static const struct ui_list_key list_keys[] = {
    {"activities", L'g', {"g", "g", M_GRID, M_DO_GRID}, grid_screen_from_list},
    {"hours", L'g', {"g", "g", M_GRID, M_DO_GRID}, grid_screen_from_list},
    {"volunteers", L'p', {"p", "p", M_CERTIFICATE, M_DO_CERTIFICATE}, certificate_from_list},
    {"contracts", L'g', {"g", "g", M_SHEET, M_DO_SHEET}, evalsheet_from_list},
    {"evaluations", L'g', {"g", "g", M_SHEET, M_DO_SHEET}, evalsheet_from_list},
    {"stations", L'g', {"g", "g", M_SHEET, M_DO_SHEET}, evalsheet_from_list},
};

/* The modules' screens of one record (ui_record_opener()). */
static const struct ui_record_opener record_openers[] = {
    {"cases", casefile_open},
};

/* The modules' lines on top of a record's panes (ui_record_head()). */
static const struct ui_record_head record_heads[] = {
    {"stations", station_head_read, station_head_lines, station_head_draw, station_head_free},
    {"divisions", community_head_read, community_head_lines, community_head_draw,
     community_head_free},
};

/* One key per row, in the order help lists them (clang-format would pack them). */
/* clang-format off */
static const struct ui_keyinfo menu_keys[] = {
	{ "1-6", "1-6", M_OPEN, M_DO_OPEN_N },
	{ "0", NULL, M_NONE, M_DO_DESK },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
	{ "q", "q", M_QUIT, M_DO_QUIT },
};

static const struct ui_keyinfo submenu_keys[] = {
	{ "1-9", "1-9", M_OPEN, M_DO_OPEN_N },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};


static const struct ui_keyinfo help_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_CLOSE_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

/* Signals become flags and a byte on a pipe the loop polls (STYLE.md 8). */
static volatile sig_atomic_t sig_quit; /* the signal that ends the interface, or 0 */
static volatile sig_atomic_t sig_winch;
static volatile sig_atomic_t sig_cont;
static int sig_pipe[2] = {-1, -1};

static const int handled_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGWINCH, SIGCONT};
static struct sigaction saved_actions[SGZ_ARRAY_LEN(handled_signals)];

static SCREEN *curses_screen;
static bool curses_on; /* between newterm() and endwin(): what the exit paths undo */
static bool paste_on;  /* bracketed paste asked of the terminal (after the first draw) */

/* ---- drawing: each screen is drawn whole into stdscr; curses sends only
 * the cells that differ from what the terminal already shows ---- */

/* The entity of item i of submenu s, or NULL. */
static const struct dict_entity *submenu_entity(const struct screen *s, int i)
{
	const char *const *names = submenus[s->item];

	return names ? dict_find(names[i]) : NULL;
}

static int submenu_count(const struct screen *s)
{
	const char *const *names = submenus[s->item];
	int n = 0;

	while (names && names[n])
		n++;
	return n;
}

static const char *screen_name(const struct ui *t, const struct screen *s)
{
	switch (s->kind) {
	case SCREEN_MENU:
		return ui_tr(t, M_MAIN_MENU);
	case SCREEN_SUBMENU:
		return ui_tr(t, menu_items[s->item]);
	case SCREEN_HELP:
		return ui_tr(t, M_HELP);
	case SCREEN_VIEW:
		return s->ops->title(s->view);
	}
	return "";
}

static const struct ui_keyinfo *screen_keys(const struct screen *s, size_t *n)
{
	switch (s->kind) {
	case SCREEN_MENU:
		*n = SGZ_ARRAY_LEN(menu_keys);
		return menu_keys;
	case SCREEN_SUBMENU:
		*n = SGZ_ARRAY_LEN(submenu_keys);
		return submenu_keys;
	case SCREEN_HELP:
		*n = SGZ_ARRAY_LEN(help_keys);
		return help_keys;
	case SCREEN_VIEW:
		return s->ops->keys(s->view, n);
	}
	*n = 0;
	return NULL;
}

/* The keys of the status line: what works right now. */
static const struct ui_keyinfo *status_keys(const struct screen *s, size_t *n)
{
	static const char *const ranges[] = {"1",   "1",   "1-2", "1-3", "1-4",
					     "1-5", "1-6", "1-7", "1-8", "1-9"};
	static struct ui_keyinfo sub[SGZ_ARRAY_LEN(submenu_keys)];
	int items;

	switch (s->kind) {
	case SCREEN_VIEW:
		if (s->ops->status_keys)
			return s->ops->status_keys(s->view, n);
		break;
	case SCREEN_SUBMENU:
		/* "1-5 open": the numbers this submenu has */
		items = submenu_count(s);
		memcpy(sub, submenu_keys, sizeof(sub));
		sub[0].short_key = ranges[items < 10 ? items : 9];
		*n = SGZ_ARRAY_LEN(sub);
		return sub;
	case SCREEN_MENU:
	case SCREEN_HELP:
		break;
	}
	return screen_keys(s, n);
}

/* The status line: the dialog's answers, or the keys that work here. */
static void draw_status(const struct ui *t, const struct screen *s)
{
	const struct ui_keyinfo *keys = NULL;
	size_t n = 0;

	if (t->line.open)
		keys = ui_line_keys(&n);
	else if (!t->dialog.open)
		keys = status_keys(s, &n);
	ui_draw_status(t, keys, n);
}

static void draw_title(const struct ui *t)
{
	const char *where = t->opts->where ? t->opts->where : "";
	int used, w;

	ui_put(0, 0, COLS, "", t->bar, true);
	used = 1 + ui_put(0, 1, COLS - 2, ui_tr(t, M_TITLE), t->bar, false);
	/* user@database on the right, shortened rather than over the title */
	w = ui_width(where);
	if (w > COLS - used - 3)
		w = COLS - used - 3;
	if (w > 0)
		ui_put(0, COLS - 1 - w, w, where, t->bar, false);
}

static void draw_heading(const char *a, const char *b)
{
	int x = 2;

	x += ui_put(2, x, COLS - x - 2, a, A_BOLD, false);
	ui_put(2, x, COLS - x - 2, b, A_BOLD, false);
}

/* Items as " N  Label", the selected one as a bar: every row highlights the
 * same width, so moving the selection rewrites just two short runs. */
static void draw_items(const char *const *labels, int n, int selected)
{
	char line[160];
	int i, w, width = 0;

	for (i = 0; i < n; i++) {
		w = ui_width(labels[i]);
		if (w > width)
			width = w;
	}
	width += 6;
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), " %d  %s", i + 1, labels[i]);
		ui_put(4 + i, 4, width, line, i == selected ? A_REVERSE : A_NORMAL,
			 i == selected);
	}
}

static void draw_menu(const struct ui *t, const struct screen *s)
{
	const char *labels[SGZ_ARRAY_LEN(menu_items)];
	int i;

	draw_heading(ui_tr(t, M_MAIN_MENU), "");
	for (i = 0; i < (int)SGZ_ARRAY_LEN(menu_items); i++)
		labels[i] = ui_tr(t, menu_items[i]);
	draw_items(labels, (int)SGZ_ARRAY_LEN(menu_items), s->selected);
	/* 0, the desk, apart: the items keep their numbers (keys.md) */
	ui_put(5 + (int)SGZ_ARRAY_LEN(menu_items), 4, COLS - 6, " 0  ", A_NORMAL, false);
	ui_put(5 + (int)SGZ_ARRAY_LEN(menu_items), 8, COLS - 10, ui_tr(t, M_DESK), A_NORMAL,
	       false);
}

static void draw_submenu(const struct ui *t, const struct screen *s)
{
	const char *labels[16];
	int i, n = submenu_count(s);

	draw_heading(ui_tr(t, menu_items[s->item]), "");
	for (i = 0; i < n && i < 16; i++) {
		const struct dict_entity *e = submenu_entity(s, i);
		labels[i] = e ? ui_entity_label(t, e) : "?";
	}
	draw_items(labels, n, s->selected);
}

static void draw_help(const struct ui *t)
{
	const struct screen *of = &t->stack[t->depth - 2];
	const struct ui_keyinfo *keys;
	size_t i, n;
	int w, kw = 0;

	struct strbuf title = {0};

	/* TRANSLATORS: the title of a help screen: the screen's name follows. */
	sb_addf(&title, _("Help: %s"), screen_name(t, of));
	draw_heading(sb_str(&title), "");
	sb_free(&title);
	keys = screen_keys(of, &n);
	for (i = 0; i < n; i++) {
		w = ui_width(keys[i].key);
		if (w > kw)
			kw = w;
	}
	for (i = 0; i < n && 4 + (int)i < LINES - 2; i++) {
		ui_put(4 + (int)i, 4, kw, keys[i].key, A_BOLD, false);
		ui_put(4 + (int)i, 4 + kw + 3, COLS - kw - 9, ui_tr(t, keys[i].text), A_NORMAL,
			 false);
	}
}

static void draw_too_small(struct ui *t)
{
	const char *m = ui_tr(t, M_TOO_SMALL);
	int w = ui_width(m);

	ui_put(LINES / 2, w < COLS ? (COLS - w) / 2 : 0, COLS - 1, m, A_NORMAL, false);
	/* q is the one key that works here (on_key), so the status line says so */
	if (ui_top(t)->kind == SCREEN_MENU && LINES >= 3) {
		w = ui_put(LINES - 1, 1, COLS - 2, "q ", A_NORMAL, false);
		ui_put(LINES - 1, 1 + w, COLS - 2 - w, ui_tr(t, M_QUIT), A_NORMAL, false);
	}
}

static bool too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_ROWS;
}

/* Shows the cursor where a text field wants it, hides it elsewhere. */
static void place_cursor(struct ui *t)
{
	bool want = t->cursor_y >= 0 && !t->dialog.open;

	if (want) {
		leaveok(stdscr, FALSE);
		wmove(stdscr, t->cursor_y, t->cursor_x);
	} else {
		leaveok(stdscr, TRUE);
	}
	if (want != t->cursor_on) {
		curs_set(want ? 1 : 0);
		t->cursor_on = want;
	}
}

/* Draws the top screen and sends the difference: one doupdate per loop. */
static void draw(struct ui *t)
{
	struct screen *s = ui_top(t);

	t->drawing = true;
	werase(stdscr);
	t->cursor_y = t->cursor_x = -1;
	if (too_small()) {
		draw_too_small(t);
	} else {
		draw_title(t);
		switch (s->kind) {
		case SCREEN_MENU:
			draw_menu(t, s);
			break;
		case SCREEN_SUBMENU:
			draw_submenu(t, s);
			break;
		case SCREEN_HELP:
			draw_help(t);
			break;
		case SCREEN_VIEW:
			s->ops->draw(s->view, 1, LINES - 2);
			break;
		}
		if (t->line.open)
			ui_draw_line(t, LINES - 2);
		/* a long message takes the rows above its own (until the next key);
		 * over a text field on its row (a list's filter), the rows above it */
		if (t->message)
			ui_put_lines(t->cursor_y == LINES - 2 ? LINES - 3 : LINES - 2, 1, COLS - 2,
				     3, t->message, A_NORMAL);
		draw_status(t, s);
		if (t->dialog.open)
			ui_draw_dialog(t);
	}
	place_cursor(t);
	wnoutrefresh(stdscr);
	doupdate();
	if (!paste_on && curses_on) {
		/* after the switch to the alternate screen, whose modes are its own */
		static const char on[] = "\033[?2004h";
		paste_on = write(STDOUT_FILENO, on, sizeof(on) - 1) == (ssize_t)sizeof(on) - 1;
	}
	t->dirty = false;
	t->drawing = false;
}

/* ---- keys ---- */

static void open_submenu_item(struct ui *t, struct screen *s, int i)
{
	const struct dict_entity *e = submenu_entity(s, i);
	struct list_screen *ls;

	s->selected = i;
	t->dirty = true;
	if (!e)
		return;
	if (strcmp(e->name, "divisions") == 0) {
		division_screen_open(t);
		return;
	}
	ls = list_screen_new(t, e);
	if (ls)
		list_screen_push(t, ls);
}

static void open_menu_item(struct ui *t, int i)
{
	/* a screen that cannot open has said why; the menu stays */
	if (submenus[i])
		ui_push_screen(t, SCREEN_SUBMENU, i);
	else if (menu_items[i] == M_REPORTS)
		report_screen_open(t);
	else if (menu_items[i] == M_ADMIN)
		admin_screen_open(t);
}

/* Up/Down, k/j, Enter, 1-N over n items; returns the item to open or -1. */
static int items_key(struct ui *t, struct screen *s, int n, bool fn, wint_t wc)
{
	if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (s->selected > 0) {
			s->selected--;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (s->selected < n - 1) {
			s->selected++;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		return s->selected;
	} else if (!fn && wc >= L'1' && wc < (wint_t)(L'1' + n) && wc <= L'9') {
		/* the selection follows, so Esc comes back to the item opened */
		s->selected = (int)(wc - L'1');
		return s->selected;
	}
	return -1;
}

static void menu_key(struct ui *t, struct screen *s, bool fn, wint_t wc)
{
	int i = items_key(t, s, (int)SGZ_ARRAY_LEN(menu_items), fn, wc);

	if (i >= 0)
		open_menu_item(t, i);
	else if (!fn && wc == L'0')
		desk_screen_open(t, false);
	else if (!fn && wc == L'q')
		t->quit = true;
}

/* Takes the terminal's size again and repaints everything: after a resize or
 * a suspend the terminal may have rearranged or lost what it showed. */
static void resize(struct ui *t)
{
	struct winsize ws;

	if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    is_term_resized(ws.ws_row, ws.ws_col))
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	t->dirty = true;
}

static void on_key(struct ui *t, bool fn, wint_t wc);

/* What a bracketed paste may go into (spec/keys.md): a text field with the
 * focus, or the grid. A list, a menu, a dialog, help, a report, the tree
 * take none of it: their keys are commands, and pasted text run as
 * commands deletes records ("dy" on a list). */
static void paste_done(struct ui *t)
{
	struct screen *s = ui_top(t);
	size_t n = t->npaste;
	bool over = t->paste_over, lost = t->paste_lost, taken = false;

	t->npaste = 0;
	t->paste_over = t->paste_lost = false;
	free(t->message);
	t->message = NULL;
	t->dirty = true;
	if (over) {
		ui_say(t, _("The pasted text is too long (over a million characters): nothing "
			    "was pasted."));
		return;
	}
	if (n == 0 && !lost)
		return;
	if (n > 0 && !t->dialog.open && t->line.open && !too_small()) {
		ui_line_paste(t, t->paste, n);
		taken = true;
	} else if (n > 0 && !t->dialog.open && !too_small()) {
		switch (s->kind) {
		case SCREEN_VIEW:
			taken = s->ops->paste && s->ops->paste(s->view, t->paste, n);
			break;
		case SCREEN_MENU:
		case SCREEN_SUBMENU:
		case SCREEN_HELP:
			break;
		}
	}
	if (lost && (taken || n == 0))
		ui_say(t, _("Text pasted while sgz was busy was left out: paste it again."));
	else if (!taken)
		ui_say(t, _("Pasted text goes only into a text field or the hours grid: nothing "
			    "was pasted here."));
}

enum paste_step {
	PASTE_NONE,  /* not part of a paste */
	PASTE_TAKEN, /* gathered (or dropped) as part of a paste */
	PASTE_ENDED, /* the end mark: the whole paste is in t->paste */
};

/* Gathers a bracketed paste from the keys as the terminal sends them,
 * whether the loop or a query's wait reads them: nothing between the
 * marks is ever a key, an Esc or an F-key included. */
static enum paste_step paste_gather(struct ui *t, bool fn, wint_t wc)
{
	if (fn && wc == KEY_PASTE_BEGIN) {
		if (t->pasting)
			return PASTE_TAKEN; /* no terminal nests them: go on gathering */
		t->pasting = true;
		if (t->paste_ready) {
			t->paste_skip = true; /* one paste waits already: this one goes */
		} else {
			t->npaste = 0;
			t->paste_over = false;
		}
		return PASTE_TAKEN;
	}
	if (!t->pasting)
		return fn && wc == KEY_PASTE_END ? PASTE_TAKEN /* an end without a beginning */
						 : PASTE_NONE;
	if (fn && wc == KEY_PASTE_END) {
		t->pasting = false;
		if (t->paste_skip) {
			t->paste_skip = false;
			t->paste_lost = true; /* said with the paste that waits, or alone */
			if (t->paste_ready)
				return PASTE_TAKEN;
			t->npaste = 0;
		}
		t->paste_ready = true;
		return PASTE_ENDED;
	}
	if (fn || t->paste_skip)
		return PASTE_TAKEN; /* a function key's sequence inside pasted text */
	if (t->npaste >= PASTE_MAX) {
		t->paste_over = true;
		return PASTE_TAKEN;
	}
	if (t->npaste == t->paste_cap) {
		t->paste_cap = t->paste_cap ? t->paste_cap * 2 : 256;
		t->paste = xreallocarray(t->paste, t->paste_cap, sizeof(*t->paste));
	}
	t->paste[t->npaste++] = (wchar_t)wc;
	return PASTE_TAKEN;
}

/* The paste that waited is delivered (KEY_PASTE_READY's turn came, or the
 * mark found no room among the keys typed ahead). */
static void paste_deliver(struct ui *t)
{
	if (!t->paste_ready)
		return;
	t->paste_ready = false;
	paste_done(t);
}

static void on_key(struct ui *t, bool fn, wint_t wc)
{
	struct screen *s = ui_top(t);

	if (fn && wc == KEY_PASTE_READY) {
		paste_deliver(t);
		return;
	}
	switch (paste_gather(t, fn, wc)) {
	case PASTE_NONE:
		break;
	case PASTE_TAKEN:
		return;
	case PASTE_ENDED:
		paste_deliver(t);
		return;
	}

	if (fn && wc == KEY_RESIZE) {
		resize(t);
		return;
	}
	if (!fn && wc == KEY_CTRL_L) {
		clearok(curscr, TRUE);
		t->dirty = true;
		return;
	}
	if (too_small()) {
		/* keys typed blind would act on a screen nobody sees; only quit works */
		if (s->kind == SCREEN_MENU && !fn && wc == L'q')
			t->quit = true;
		return;
	}
	if (t->message) {
		free(t->message);
		t->message = NULL;
		t->dirty = true;
	}
	if (t->dialog.open) {
		ui_dialog_key(t, fn, wc);
		return;
	}
	if (t->line.open) {
		ui_line_key(t, fn, wc);
		return;
	}
	/* lists and forms have text fields: they decide what ?, Esc and F1 mean */
	switch (s->kind) {
	case SCREEN_VIEW:
		t->dirty = true;
		if (s->ops->key(s->view, fn, wc))
			return;
		/* the desk over the main menu: the menu's numbers and q work
		 * there, typed blind as on the menu (keys.md) */
		if (t->depth == 2 && desk_screen_is(s->ops) && !fn) {
			int n = (int)SGZ_ARRAY_LEN(menu_items);
			if (wc >= L'1' && wc < (wint_t)(L'1' + n)) {
				ui_pop(t);
				t->stack[0].selected = (int)(wc - L'1');
				open_menu_item(t, t->stack[0].selected);
				return;
			}
			if (wc == L'q') {
				t->quit = true;
				return;
			}
		}
		break;
	case SCREEN_MENU:
	case SCREEN_SUBMENU:
	case SCREEN_HELP:
		break;
	}
	if ((fn && wc == KEY_F(1)) || (!fn && wc == L'?')) {
		ui_help(t);
		return;
	}
	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		ui_pop(t);
		return;
	}
	switch (s->kind) {
	case SCREEN_MENU:
		menu_key(t, s, fn, wc);
		break;
	case SCREEN_SUBMENU: {
		int i = items_key(t, s, submenu_count(s), fn, wc);
		if (i >= 0)
			open_submenu_item(t, s, i);
		break;
	}
	case SCREEN_HELP:
	case SCREEN_VIEW:
		break;
	}
}

/* Handles the keys typed while a query ran (see wait_check()), in the
 * order they came, then a paste whose mark found no room among them. */
static void run_pending(struct ui *t)
{
	while (t->npending > 0 && !sig_quit && !t->quit && !t->lost) {
		struct pending_key k = t->pending[0];
		memmove(t->pending, t->pending + 1, --t->npending * sizeof(*t->pending));
		t->cancelled = false;
		on_key(t, k.fn, k.wc);
	}
	t->npending = 0;
	if (!sig_quit && !t->quit && !t->lost)
		paste_deliver(t);
}

/* Is something typed or pasted while a query ran still to be handled? */
static bool keys_waiting(const struct ui *t)
{
	return t->npending > 0 || t->paste_ready;
}

/* Handles one key, then the keys typed while what it started ran. */
static void handle_key(struct ui *t, bool fn, wint_t wc)
{
	t->cancelled = false;
	on_key(t, fn, wc);
	run_pending(t);
}

/* Reads the next key: 1 and *fn, *wc set, or 0 when there is none. (No
 * Alt-Enter: it arrives as Esc then CR, which is also Esc then Enter typed
 * quickly over a slow link; Ctrl-J is the line break.) */
static int next_key(struct ui *t, bool *fn, wint_t *wc)
{
	int rc = wget_wch(t->input, wc);

	if (rc == ERR)
		return 0;
	*fn = rc == KEY_CODE_YES;
	return 1;
}

/* Handles every key already typed (type-ahead) before the next redraw.
 * Returns -1 when the terminal is gone: readable, yet nothing to read. */
static int read_keys(struct ui *t)
{
	wint_t wc;
	bool fn;
	int n = 0;

	/* After q the rest of the type-ahead is left for the shell. */
	while (!sig_quit && !t->quit && !t->lost && next_key(t, &fn, &wc)) {
		n++;
		handle_key(t, fn, wc);
	}
	if (t->lost)
		return -1;
	if (n > 0 || sig_quit) {
		t->empty_reads = 0;
		return 0;
	}
	return ++t->empty_reads < EMPTY_READS_MAX ? 0 : -1;
}

/* What waits for the keys to stop: a picker's look-up in the database runs
 * once the type-ahead is drained, never per keystroke. What is typed or
 * pasted while it runs is handled after it (and may start another). */
static void idle(struct ui *t)
{
	for (int rounds = 0; rounds < PENDING_MAX; rounds++) {
		struct screen *s = ui_top(t);

		t->cancelled = false;
		if (s->kind == SCREEN_VIEW && s->ops->idle && !too_small())
			s->ops->idle(s->view);
		if (!keys_waiting(t) || sig_quit || t->quit || t->lost)
			return;
		run_pending(t);
	}
}

/* ---- signals ---- */

static void on_signal(int sig)
{
	int saved_errno = errno;
	ssize_t n;

	if (sig == SIGWINCH)
		sig_winch = 1;
	else if (sig == SIGCONT)
		sig_cont = 1;
	else
		sig_quit = sig;
	if (sig_pipe[1] >= 0) {
		n = write(sig_pipe[1], "", 1);
		(void)n; /* a full pipe already wakes the loop */
	}
	errno = saved_errno;
}

/* Installed before newterm(), so curses keeps its hands off SIGINT, SIGTERM
 * and SIGWINCH (it still handles SIGTSTP). A hang-up or interrupt signal
 * ignored on entry (nohup) stays ignored: the lost terminal still ends us. */
static int signals_start(struct sgz_err *err)
{
	struct sigaction sa;
	size_t i;

	sig_quit = sig_winch = sig_cont = 0;
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("pipe: %s"), strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < SGZ_ARRAY_LEN(handled_signals); i++) {
		int sig = handled_signals[i];

		sigaction(sig, NULL, &saved_actions[i]);
		if (saved_actions[i].sa_handler == SIG_IGN && sig != SIGWINCH && sig != SIGCONT)
			continue;
		sigaction(sig, &sa, NULL);
	}
	return 0;
}

static void signals_stop(void)
{
	size_t i;

	for (i = 0; i < SGZ_ARRAY_LEN(handled_signals); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

static void drain_pipe(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		continue;
}

/* ---- the terminal ---- */

/* Also the out-of-memory hook and an atexit handler: whoever ends the
 * process, the terminal comes back usable. */
static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		if (paste_on)
			putp("\033[?2004l"); /* bracketed paste off */
		paste_on = false;
		endwin();
	}
}

/* Colour is optional (DESIGN.md): A_REVERSE alone must do. NO_COLOR turns
 * the automatic choice off (no-color.org). */
static attr_t pick_bar(const struct tui_opts *opts)
{
	const char *no_color = getenv("NO_COLOR");
	bool want = false;

	switch (opts->color) {
	case CONF_COLOR_ALWAYS:
		want = true;
		break;
	case CONF_COLOR_AUTO:
		want = !no_color || !*no_color;
		break;
	case CONF_COLOR_NEVER:
		break;
	}
	if (!want || !has_colors() || start_color() == ERR)
		return A_REVERSE;
	use_default_colors();
	if (init_pair(1, COLOR_WHITE, COLOR_BLUE) == ERR)
		return A_REVERSE;
	return (attr_t)COLOR_PAIR(1) | A_BOLD;
}

static int term_start(struct ui *t, struct sgz_err *err)
{
	static bool atexit_done;
	const char *term = getenv("TERM");

	fflush(stdout);
	curses_screen = newterm(NULL, stdout, stdin);
	if (!curses_screen) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("cannot use the terminal type \"%s\" (try TERM=xterm-256color)"),
			    term ? term : "");
		return -1;
	}
	curses_on = true;
	sgz_set_fatal_hook(restore_terminal);
	if (!atexit_done)
		atexit_done = atexit(restore_terminal) == 0;

	cbreak(); /* not raw: Ctrl-C, Ctrl-Z and flow control keep their meaning */
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	leaveok(stdscr, TRUE); /* the cursor is hidden: no moves to park it */
	curs_set(0);
	set_escdelay(ESC_DELAY_MS);
	t->input = newpad(1, 1);
	if (!t->input) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot set up the terminal"));
		return -1;
	}
	keypad(t->input, TRUE);
	/* pasted text arrives between these marks: rows for the grid */
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	/* Home and End as PuTTY, the Linux console, rxvt, screen and tmux send
	 * them, whatever TERM says: unknown, they would arrive as Esc (back)
	 * and a digit (open item N) */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[H", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	nodelay(t->input, TRUE); /* poll() says when; reading never waits */
	t->bar = pick_bar(t->opts);
	return 0;
}

static void term_stop(struct ui *t)
{
	restore_terminal();
	sgz_set_fatal_hook(NULL);
	if (t->input)
		delwin(t->input);
	t->input = NULL;
	if (curses_screen)
		delscreen(curses_screen);
	curses_screen = NULL;
}

/* ---- waiting for a query (async.h's hook) ---- */

/* Asked while a query runs: when the terminal or the signal pipe is
 * readable, or once the query is slow. Esc or F10 cancels it; so do a
 * signal that ends sgz and a lost terminal; other keys wait for after. */
static bool wait_check(void *ctx, bool slow)
{
	struct ui *t = ctx;
	bool fn, cancel = false;
	wint_t wc;
	int n = 0;

	if (slow && !too_small() && !t->drawing) {
		/* only the message line: drawing a screen could start a query */
		ui_put(LINES - 2, 1, COLS - 2, ui_tr(t, M_WORKING), A_NORMAL, true);
		wnoutrefresh(stdscr);
		doupdate();
		t->dirty = true;
	}
	drain_pipe();
	while (!cancel && next_key(t, &fn, &wc)) {
		n++;
		/* a paste is gathered whole, never kept as keys (nor its Esc a cancel) */
		switch (paste_gather(t, fn, wc)) {
		case PASTE_NONE:
			break;
		case PASTE_TAKEN:
			continue;
		case PASTE_ENDED:
			fn = true;
			wc = KEY_PASTE_READY;
			break;
		}
		if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC))
			cancel = true;
		else if (t->npending < PENDING_MAX)
			t->pending[t->npending++] = (struct pending_key){fn, wc};
	}
	if (n > 0)
		t->empty_reads = 0;
	else if (!slow && !sig_quit && !sig_winch && !sig_cont &&
		 ++t->empty_reads >= EMPTY_READS_MAX)
		t->lost = true;
	if (sig_quit || t->lost)
		cancel = true;
	if (cancel) {
		t->cancelled = true;
		t->npending = 0;	/* what was typed after Esc was for the query */
		t->paste_ready = false; /* and so was a paste */
		t->npaste = 0;
		t->paste_skip = t->pasting; /* the rest of one still coming goes too */
	}
	return cancel;
}

static void wait_start(struct ui *t)
{
	struct db_wait w = {{t->fd, sig_pipe[0]}, wait_check, t};

	db_set_wait(&w);
}

/* ---- drafts offered back ---- */

/* The record a draft is of, as the offer names it: ID numbers masked
 * (rules.md), whoever is asked. */
static void draft_title(const struct dict_entity *e, const struct draft *d, struct strbuf *sb)
{
	bool idnum_key = false;
	const char *p = d->title;

	for (size_t i = 0; e && i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && browse_is_idnum(&e->fields[i]))
			idnum_key = true;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (idnum_key && len == IDNUM_LEN) {
			char masked[IDNUM_LEN + 1], id[IDNUM_LEN + 1];
			memcpy(id, p, IDNUM_LEN);
			id[IDNUM_LEN] = '\0';
			idnum_mask(id, masked);
			sb_adds(sb, masked);
		} else {
			sb_addn(sb, p, len);
		}
		p += len;
		if (*p)
			sb_addc(sb, *p++);
	}
}

static void on_drafts_answer(struct ui *t, void *ctx, wint_t answer)
{
	(void)ctx;
	for (size_t i = 0; i < t->ndrafts; i++) {
		struct draft *d = t->drafts[i];
		if (answer == 'd') {
			draft_remove(d);
		} else if (answer == 'r' && t->depth < (int)SGZ_ARRAY_LEN(t->stack) - 2 &&
			   draft_is_sheet(d)) {
			t->drafts[i] = NULL; /* taken */
			evalsheet_from_draft(t, d);
			continue;
		} else if (answer == 'r' && t->depth < (int)SGZ_ARRAY_LEN(t->stack) - 2 &&
			   draft_is_grid(d)) {
			t->drafts[i] = NULL; /* taken */
			grid_screen_push(t, grid_screen_from_draft(t, d));
			continue;
		} else if (answer == 'r' && t->depth < (int)SGZ_ARRAY_LEN(t->stack) - 2) {
			struct form_screen *fs = form_screen_from_draft(t, d);
			t->drafts[i] = NULL; /* taken */
			if (fs)
				form_screen_push(t, fs);
			continue;
		}
	}
	draft_list_free(t->drafts, t->ndrafts);
	t->drafts = NULL;
	t->ndrafts = 0;
}

/* The drafts an earlier session left: a dialog lists them (entity, record,
 * when), r reopens them, d discards them, Esc leaves them for next time. */
static void offer_drafts(struct ui *t)
{
	static const struct ui_choice choices[] = {
	    {'r', "r", M_RESTORE},
	    {'d', "d", M_DISCARD},
	};
	char *dir = draft_dir();
	struct strbuf body = {0};

	t->drafts = draft_list(dir, &t->ndrafts);
	free(dir);
	if (t->ndrafts == 0)
		return;
	sb_adds(&body, ui_tr(t, M_DRAFTS_BODY));
	for (size_t i = 0; i < t->ndrafts && i < DRAFTS_SHOWN; i++) {
		const struct draft *d = t->drafts[i];
		const struct dict_entity *e = dict_find(d->entity);
		struct strbuf title = {0};
		char when[32];
		struct tm tm;
		localtime_r(&d->saved, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		if (draft_is_grid(d))
			sb_addf(&title, "%s %s", ui_tr(t, M_GRID), d->title);
		else if (draft_is_sheet(d))
			sb_addf(&title, "%s %s", ui_tr(t, M_SHEET), d->title);
		else if (d->key)
			draft_title(e, d, &title);
		else
			sb_adds(&title, ui_tr(t, M_NEW_RECORD));
		sb_addf(&body, "\n  %s  %s  (%s)", e ? ui_entity_label(t, e) : d->entity,
			sb_str(&title), when);
		sb_free(&title);
	}
	if (t->ndrafts > DRAFTS_SHOWN)
		sb_addf(&body, "\n  ... (%zu)", t->ndrafts);
	sb_adds(&body, "\n\n");
	sb_adds(&body, ui_tr(t, M_DRAFTS_LATER));
	ui_ask(t, ui_tr(t, M_DRAFTS), sb_str(&body), choices, SGZ_ARRAY_LEN(choices), on_drafts_answer,
	       NULL);
	sb_free(&body);
}

/* ---- the loop ---- */

/* The database said something while idle: a lost connection is reset
 * and said, the typing of open forms kept as drafts. */
static void db_readable(struct ui *t)
{
	struct sgz_err err;
	struct strbuf sb = {0};

	sgz_err_clear(&err);
	if (db_idle_poll(t->db, &err) == 0)
		return;
	if (db_socket(t->db) >= 0) {
		sb_adds(&sb, ui_tr(t, M_CONN_RESTORED));
	} else {
		char *why = form_tr_message(err.msg);
		sb_adds(&sb, why);
		free(why);
	}
	if (ui_keep_drafts(t) > 0) {
		sb_addc(&sb, ' ');
		sb_adds(&sb, ui_tr(t, M_DRAFT_KEPT));
	}
	ui_say(t, sb_str(&sb));
	sb_free(&sb);
}

static int loop(struct ui *t, struct sgz_err *err)
{
	struct pollfd pfd[3];

	for (;;) {
		if (sig_quit)
			return SGZ_OK; /* the caller exits */
		if (sig_winch || sig_cont) {
			sig_winch = sig_cont = 0;
			resize(t);
		}
		if (t->quit)
			return SGZ_OK;
		idle(t);
		if (t->dirty)
			draw(t);
		if (keys_waiting(t)) {
			/* typed while a query drawing the screen ran */
			run_pending(t);
			continue;
		}

		nfds_t n = 2;
		pfd[0] = (struct pollfd){.fd = t->fd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
		pfd[2] =
		    (struct pollfd){.fd = t->db ? db_socket(t->db) : -1, .events = POLLIN};
		if (pfd[2].fd >= 0)
			n = 3;
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			sgz_err_set(err, SGZ_EUSAGE, "poll: %s", strerror(errno));
			return SGZ_EUSAGE;
		}
		if (pfd[1].revents)
			drain_pipe();
		if (n == 3 && pfd[2].revents)
			db_readable(t);
		if ((pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) ||
		    ((pfd[0].revents & POLLIN) && read_keys(t) < 0) || t->lost) {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("the terminal was lost (hang-up or read error)"));
			return SGZ_EUSAGE;
		}
	}
}

static void ui_init(struct ui *t, const struct tui_opts *opts, struct db *db)
{
	memset(t, 0, sizeof(*t));
	t->opts = opts;
	t->export_dir = opts->export_dir;
	t->db = db;
	t->reports = opts->reports;
	t->list_keys = list_keys;
	t->nlist_keys = SGZ_ARRAY_LEN(list_keys);
	t->openers = record_openers;
	t->nopeners = SGZ_ARRAY_LEN(record_openers);
	t->heads = record_heads;
	t->nheads = SGZ_ARRAY_LEN(record_heads);
	t->fd = STDIN_FILENO;
	t->stack[0].kind = SCREEN_MENU;
	t->depth = 1;
	t->dirty = true;
	t->cursor_y = -1;
}

static void ui_fini(struct ui *t)
{
	while (t->depth > 1)
		ui_pop(t);
	ui_dialog_close(&t->dialog);
	ui_line_close(t);
	lineedit_free(t->line.le);
	t->line.le = NULL;
	draft_list_free(t->drafts, t->ndrafts);
	t->drafts = NULL;
	t->ndrafts = 0;
	free(t->paste);
	t->paste = NULL;
	t->npaste = t->paste_cap = 0;
	free(t->message);
	t->message = NULL;
}

int tui_run(struct db *db, const struct tui_opts *opts, struct sgz_err *err)
{
	struct ui t;
	int rc;

	/* the language is i18n_init()'s, as main() chose it from opts->language */
	ui_init(&t, opts, db);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the interface needs a terminal on standard input and output"));
		return SGZ_EUSAGE;
	}
	if (signals_start(err) < 0)
		return SGZ_EUSAGE;
	if (term_start(&t, err) < 0) {
		rc = SGZ_EUSAGE;
		goto out;
	}
	wait_start(&t);
	/* drafts are of one database and role: only theirs are offered */
	draft_set_identity(opts->database, opts->role);
	/* station and county users start on the desk (work.md) */
	desk_screen_open(&t, true);
	offer_drafts(&t);
	rc = loop(&t, err);
	/* Ended unasked (a signal, the terminal gone): what is typed and not
	 * saved becomes drafts, offered back at the next start. */
	if (sig_quit || rc != SGZ_OK)
		ui_keep_drafts(&t);
out:
	db_set_wait(NULL);
	ui_fini(&t);
	draft_set_identity(NULL, NULL);
	term_stop(&t);
	signals_stop();
	return rc;
}

/* ---- for tests ---- */

static const struct tui_opts test_opts = {
    .language = NULL, .color = CONF_COLOR_NEVER, .where = "test@sgz"};

struct ui *ui_test_new(ui_rows_fn rows, void *ctx)
{
	struct ui *t = xmalloc(sizeof(*t));

	ui_init(t, &test_opts, NULL);
	t->rows = rows;
	t->rows_ctx = ctx;
	t->bar = A_REVERSE;
	cbreak();
	noecho();
	nonl();
	leaveok(stdscr, TRUE);
	curs_set(0);
	return t;
}

void ui_test_free(struct ui *ui)
{
	if (!ui)
		return;
	ui_fini(ui);
	free(ui);
}

void ui_test_key(struct ui *ui, bool fn, wint_t wc)
{
	handle_key(ui, fn, wc);
}

void ui_test_draw(struct ui *ui)
{
	idle(ui);
	if (ui->dirty)
		draw(ui);
}
