/* tui.c - the interface shell: the poll loop, signals, resize, the screen stack
 * and the main menu. The widgets (lists, forms, grids) build on this. */
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

/* The design size (DESIGN.md): everything must fit in it. */
#define MIN_COLS 80
#define MIN_ROWS 24

/* Long enough for an arrow key's escape sequence over SSH, short enough that
 * Esc feels instant. */
#define ESC_DELAY_MS 50

/* A terminal that polls readable yet yields no key this many times in a row
 * has hung up (EOF or EIO): a split UTF-8 character costs one or two. */
#define EMPTY_READS_MAX 16

#define KEY_ESC	   27
#define KEY_CTRL_L 12

enum lang { LANG_EN, LANG_ZH };

/* Every text the shell shows, in both languages, until gettext arrives. */
enum msg {
	M_NONE,
	M_TITLE,
	M_MAIN_MENU,
	M_STATIONS,
	M_VOLUNTEERS,
	M_CASES,
	M_CONTRACTS,
	M_REPORTS,
	M_ADMIN,
	M_NOT_YET,
	M_HELP_FOR,
	M_TOO_SMALL,
	M_OPEN,
	M_HELP,
	M_QUIT,
	M_BACK,
	M_DO_MOVE,
	M_DO_OPEN,
	M_DO_OPEN_N,
	M_DO_HELP,
	M_DO_REDRAW,
	M_DO_QUIT,
	M_DO_BACK,
	M_DO_CLOSE_HELP,
	M_COUNT
};

static const char *const msgs[M_COUNT][2] = {
    [M_NONE] = {"", ""},
    [M_TITLE] = {"sgz 社工站", "sgz 社工站"},
    [M_MAIN_MENU] = {"Main menu", "主菜单"},
    [M_STATIONS] = {"Stations", "站点台账"},
    [M_VOLUNTEERS] = {"Volunteers", "志愿服务"},
    [M_CASES] = {"Cases", "个案管理"},
    [M_CONTRACTS] = {"Contracts", "购买服务"},
    [M_REPORTS] = {"Reports", "统计报表"},
    [M_ADMIN] = {"Administration", "系统管理"},
    /* Appended to the screen's name: no format strings from a table. */
    [M_NOT_YET] = {": this screen is not available yet.", ":此功能尚未提供。"},
    [M_HELP_FOR] = {"Help: ", "帮助:"},
    [M_TOO_SMALL] = {"terminal too small (need 80x24)", "终端窗口太小(需要 80x24)"},
    [M_OPEN] = {"open", "打开"},
    [M_HELP] = {"help", "帮助"},
    [M_QUIT] = {"quit", "退出"},
    [M_BACK] = {"back", "返回"},
    [M_DO_MOVE] = {"move the selection", "上下移动"},
    [M_DO_OPEN] = {"open the selected screen", "打开所选功能"},
    [M_DO_OPEN_N] = {"open screen N directly", "直接打开第 N 项"},
    [M_DO_HELP] = {"help for this screen", "本屏帮助"},
    [M_DO_REDRAW] = {"redraw the whole screen", "重画整个屏幕"},
    [M_DO_QUIT] = {"quit sgz", "退出 sgz"},
    [M_DO_BACK] = {"back to the previous screen", "返回上一屏"},
    [M_DO_CLOSE_HELP] = {"close this help", "关闭帮助"},
};

/* The main menu, in the order of spec/keys.md: users type the numbers blind. */
static const enum msg menu_items[] = {
    M_STATIONS, M_VOLUNTEERS, M_CASES, M_CONTRACTS, M_REPORTS, M_ADMIN,
};

/* One key of a screen: the help screen lists them all, the status line those
 * with a short form. */
struct keyinfo {
	const char *key;       /* as the help screen shows it; key names are not translated */
	const char *short_key; /* on the status line, or NULL */
	enum msg short_text;
	enum msg text;
};

/* One key per row, in the order help lists them (clang-format would pack them). */
/* clang-format off */
static const struct keyinfo menu_keys[] = {
	{ "1-6", "1-6", M_OPEN, M_DO_OPEN_N },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
	{ "q", "q", M_QUIT, M_DO_QUIT },
};

static const struct keyinfo later_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct keyinfo help_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_CLOSE_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

enum screen_kind {
	SCREEN_MENU,  /* the main menu */
	SCREEN_LATER, /* a menu item whose screen is not built yet */
	SCREEN_HELP,  /* the keys of the screen below it */
};

struct screen {
	enum screen_kind kind;
	int item; /* SCREEN_LATER: index into menu_items */
};

struct tui {
	const struct tui_opts *opts;
	enum lang lang;
	int fd;	       /* the terminal (standard input) */
	WINDOW *input; /* a 1x1 pad keys are read through: reading a pad never refreshes */
	attr_t bar;    /* the title bar: reverse, or a colour pair */
	struct screen stack[8];
	int depth;
	int selected;	 /* main menu */
	bool dirty;	 /* the screen must be drawn again */
	bool quit;	 /* q on the main menu */
	int empty_reads; /* see EMPTY_READS_MAX */
};

/* Signals become flags and a byte on a pipe the loop polls (STYLE.md 8). */
static volatile sig_atomic_t sig_quit; /* the signal that ends the interface, or 0 */
static volatile sig_atomic_t sig_winch;
static volatile sig_atomic_t sig_cont;
static int sig_pipe[2] = {-1, -1};

static const int handled_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGWINCH, SIGCONT};
static struct sigaction saved_actions[SGZ_ARRAY_LEN(handled_signals)];

static SCREEN *curses_screen;
static bool curses_on; /* between newterm() and endwin(): what the exit paths undo */

static const char *tr(const struct tui *t, enum msg m)
{
	return msgs[m][t->lang];
}

/* ---- text measured in columns (STYLE.md 9) ---- */

/* Decodes the next character of s into *wc and its columns into *width;
 * returns its length in bytes, 0 at the end. Anything undecodable or
 * unprintable becomes '?' so it can never move the cursor. */
static size_t next_char(const char *s, wchar_t *wc, int *width)
{
	mbstate_t st;
	size_t n;

	if (!*s)
		return 0;
	memset(&st, 0, sizeof(st));
	n = mbrtowc(wc, s, strnlen(s, MB_CUR_MAX), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*width = 1;
		return 1;
	}
	*width = wcwidth(*wc);
	if (*width < 0) {
		*wc = L'?';
		*width = 1;
	}
	return n;
}

static int text_width(const char *s)
{
	wchar_t wc;
	size_t n;
	int w, cols = 0;

	while ((n = next_char(s, &wc, &w)) > 0) {
		cols += w;
		s += n;
	}
	return cols;
}

/* Draws s at (y, x) in at most width columns, with attr. A wide character
 * that would be cut in half is left out and its place padded with a space;
 * with fill, the rest of width is padded too. Returns the columns drawn. */
static int put_text(int y, int x, int width, const char *s, attr_t attr, bool fill)
{
	wchar_t buf[64];
	wchar_t wc;
	size_t len, n = 0;
	int w, cols = 0;
	bool cut = false;

	if (width <= 0)
		return 0;
	wattrset(stdscr, (int)attr);
	wmove(stdscr, y, x);
	while ((len = next_char(s, &wc, &w)) > 0) {
		if (cols + w > width) {
			cut = true;
			break;
		}
		buf[n++] = wc;
		cols += w;
		s += len;
		if (n == SGZ_ARRAY_LEN(buf)) {
			waddnwstr(stdscr, buf, (int)n);
			n = 0;
		}
	}
	if (n)
		waddnwstr(stdscr, buf, (int)n);
	if (fill || cut) {
		for (; cols < width; cols++)
			waddch(stdscr, ' ');
	}
	wattrset(stdscr, A_NORMAL);
	return cols;
}

/* ---- drawing: each screen is drawn whole into stdscr; curses sends only
 * the cells that differ from what the terminal already shows ---- */

static const struct screen *top(const struct tui *t)
{
	return &t->stack[t->depth - 1];
}

static const char *screen_name(const struct tui *t, const struct screen *s)
{
	switch (s->kind) {
	case SCREEN_MENU:
		return tr(t, M_MAIN_MENU);
	case SCREEN_LATER:
		return tr(t, menu_items[s->item]);
	case SCREEN_HELP:
		return tr(t, M_HELP);
	}
	return "";
}

static const struct keyinfo *screen_keys(const struct screen *s, size_t *n)
{
	switch (s->kind) {
	case SCREEN_MENU:
		*n = SGZ_ARRAY_LEN(menu_keys);
		return menu_keys;
	case SCREEN_LATER:
		*n = SGZ_ARRAY_LEN(later_keys);
		return later_keys;
	case SCREEN_HELP:
		*n = SGZ_ARRAY_LEN(help_keys);
		return help_keys;
	}
	*n = 0;
	return NULL;
}

static void draw_title(const struct tui *t)
{
	const char *where = t->opts->where ? t->opts->where : "";
	int used, w;

	put_text(0, 0, COLS, "", t->bar, true);
	used = 1 + put_text(0, 1, COLS - 2, tr(t, M_TITLE), t->bar, false);
	/* user@database on the right, shortened rather than over the title */
	w = text_width(where);
	if (w > COLS - used - 3)
		w = COLS - used - 3;
	if (w > 0)
		put_text(0, COLS - 1 - w, w, where, t->bar, false);
}

static void draw_heading(const char *a, const char *b)
{
	int x = 2;

	x += put_text(2, x, COLS - x - 2, a, A_BOLD, false);
	put_text(2, x, COLS - x - 2, b, A_BOLD, false);
}

static void draw_menu(const struct tui *t)
{
	char line[128];
	int i, w, width = 0;

	draw_heading(tr(t, M_MAIN_MENU), "");
	/* Every row highlights the same width, so the selection reads as a bar
	 * and moving it rewrites just two short runs of cells. */
	for (i = 0; i < (int)SGZ_ARRAY_LEN(menu_items); i++) {
		w = text_width(tr(t, menu_items[i]));
		if (w > width)
			width = w;
	}
	width += 6;
	for (i = 0; i < (int)SGZ_ARRAY_LEN(menu_items); i++) {
		snprintf(line, sizeof(line), " %d  %s", i + 1, tr(t, menu_items[i]));
		put_text(4 + i, 4, width, line, i == t->selected ? A_REVERSE : A_NORMAL,
			 i == t->selected);
	}
}

static void draw_later(const struct tui *t, const struct screen *s)
{
	const char *name = tr(t, menu_items[s->item]);
	int x = 4;

	draw_heading(name, "");
	x += put_text(4, x, COLS - x - 2, name, A_NORMAL, false);
	put_text(4, x, COLS - x - 2, tr(t, M_NOT_YET), A_NORMAL, false);
}

static void draw_help(const struct tui *t)
{
	const struct screen *of = &t->stack[t->depth - 2];
	const struct keyinfo *keys;
	size_t i, n;
	int w, kw = 0;

	draw_heading(tr(t, M_HELP_FOR), screen_name(t, of));
	keys = screen_keys(of, &n);
	for (i = 0; i < n; i++) {
		w = text_width(keys[i].key);
		if (w > kw)
			kw = w;
	}
	for (i = 0; i < n && 4 + (int)i < LINES - 2; i++) {
		put_text(4 + (int)i, 4, kw, keys[i].key, A_BOLD, false);
		put_text(4 + (int)i, 4 + kw + 3, COLS - kw - 9, tr(t, keys[i].text), A_NORMAL,
			 false);
	}
}

/* The keys that work here, on the last row (spec/keys.md). */
static void draw_status(const struct tui *t, const struct screen *s)
{
	const struct keyinfo *keys;
	char line[256];
	size_t i, n, len = 0;
	int r;

	keys = screen_keys(s, &n);
	line[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!keys[i].short_key)
			continue;
		r = snprintf(line + len, sizeof(line) - len, "%s%s %s", len ? "  " : "",
			     keys[i].short_key, tr(t, keys[i].short_text));
		if (r < 0 || (size_t)r >= sizeof(line) - len)
			break;
		len += (size_t)r;
	}
	/* Never the last column of the last row: writing there scrolls some terminals. */
	put_text(LINES - 1, 1, COLS - 2, line, A_NORMAL, false);
}

static void draw_too_small(const struct tui *t)
{
	const char *m = tr(t, M_TOO_SMALL);
	int w = text_width(m);

	put_text(LINES / 2, w < COLS ? (COLS - w) / 2 : 0, COLS - 1, m, A_NORMAL, false);
	/* q is the one key that works here (on_key), so the status line says so */
	if (top(t)->kind == SCREEN_MENU && LINES >= 3) {
		w = put_text(LINES - 1, 1, COLS - 2, "q ", A_NORMAL, false);
		put_text(LINES - 1, 1 + w, COLS - 2 - w, tr(t, M_QUIT), A_NORMAL, false);
	}
}

static bool too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_ROWS;
}

/* Draws the top screen and sends the difference: one doupdate per loop. */
static void draw(struct tui *t)
{
	const struct screen *s = top(t);

	werase(stdscr);
	if (too_small()) {
		draw_too_small(t);
	} else {
		draw_title(t);
		switch (s->kind) {
		case SCREEN_MENU:
			draw_menu(t);
			break;
		case SCREEN_LATER:
			draw_later(t, s);
			break;
		case SCREEN_HELP:
			draw_help(t);
			break;
		}
		draw_status(t, s);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
}

/* ---- keys ---- */

static void push(struct tui *t, enum screen_kind kind, int item)
{
	if (t->depth == (int)SGZ_ARRAY_LEN(t->stack))
		abort(); /* the shell never nests this deep */
	t->stack[t->depth].kind = kind;
	t->stack[t->depth].item = item;
	t->depth++;
	t->dirty = true;
}

static void menu_key(struct tui *t, bool fn, wint_t wc)
{
	int last = (int)SGZ_ARRAY_LEN(menu_items) - 1;

	if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (t->selected > 0) {
			t->selected--;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (t->selected < last) {
			t->selected++;
			t->dirty = true;
		}
	} else if ((fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'))) {
		push(t, SCREEN_LATER, t->selected);
	} else if (!fn && wc >= L'1' && wc <= (wint_t)(L'1' + last)) {
		/* the selection follows, so Esc comes back to the item opened */
		t->selected = (int)(wc - L'1');
		push(t, SCREEN_LATER, t->selected);
	} else if (!fn && wc == L'q') {
		t->quit = true;
	}
}

/* Takes the terminal's size again and repaints everything: after a resize or
 * a suspend the terminal may have rearranged or lost what it showed. */
static void resize(struct tui *t)
{
	struct winsize ws;

	if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    is_term_resized(ws.ws_row, ws.ws_col))
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	t->dirty = true;
}

static void on_key(struct tui *t, bool fn, wint_t wc)
{
	const struct screen *s = top(t);

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
	if ((fn && wc == KEY_F(1)) || (!fn && wc == L'?')) {
		if (s->kind != SCREEN_HELP)
			push(t, SCREEN_HELP, 0);
		return;
	}
	if ((fn && wc == KEY_F(10)) || (!fn && wc == KEY_ESC)) {
		if (t->depth > 1) {
			t->depth--;
			t->dirty = true;
		}
		return;
	}
	switch (s->kind) {
	case SCREEN_MENU:
		menu_key(t, fn, wc);
		break;
	case SCREEN_LATER:
	case SCREEN_HELP:
		break;
	}
}

/* Handles every key already typed (type-ahead) before the next redraw.
 * Returns -1 when the terminal is gone: readable, yet nothing to read. */
static int read_keys(struct tui *t)
{
	wint_t wc;
	int rc, n = 0;

	/* After q the rest of the type-ahead is left for the shell. */
	while (!sig_quit && !t->quit && (rc = wget_wch(t->input, &wc)) != ERR) {
		n++;
		on_key(t, rc == KEY_CODE_YES, wc);
	}
	if (n > 0 || sig_quit) {
		t->empty_reads = 0;
		return 0;
	}
	return ++t->empty_reads < EMPTY_READS_MAX ? 0 : -1;
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
		sgz_err_set(err, SGZ_EUSAGE, "pipe: %s", strerror(errno));
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
		endwin();
	}
}

/* What gettext will pick for "auto": the messages locale, or the
 * environment when the locale could not be set (not installed). */
static enum lang pick_lang(const char *want)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *l;
	size_t i;

	if (want && strncmp(want, "zh", 2) == 0)
		return LANG_ZH;
	if (want && *want && strcmp(want, "auto") != 0)
		return LANG_EN;
	l = setlocale(LC_MESSAGES, NULL);
	if (!l || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0) {
		l = NULL;
		for (i = 0; i < SGZ_ARRAY_LEN(vars) && !l; i++) {
			l = getenv(vars[i]);
			if (l && !*l)
				l = NULL;
		}
	}
	return l && strncmp(l, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
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

static int term_start(struct tui *t, struct sgz_err *err)
{
	static bool atexit_done;
	const char *term = getenv("TERM");

	fflush(stdout);
	curses_screen = newterm(NULL, stdout, stdin);
	if (!curses_screen) {
		sgz_err_set(err, SGZ_EUSAGE,
			    "cannot use the terminal type \"%s\" (try TERM=xterm-256color)",
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
		sgz_err_set(err, SGZ_EUSAGE, "cannot set up the terminal");
		return -1;
	}
	keypad(t->input, TRUE);
	nodelay(t->input, TRUE); /* poll() says when; reading never waits */
	t->bar = pick_bar(t->opts);
	return 0;
}

static void term_stop(struct tui *t)
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

/* ---- the loop ---- */

static int loop(struct tui *t, struct sgz_err *err)
{
	struct pollfd pfd[2];

	for (;;) {
		if (sig_quit)
			return SGZ_OK; /* the caller exits */
		if (sig_winch || sig_cont) {
			sig_winch = sig_cont = 0;
			resize(t);
		}
		if (t->quit)
			return SGZ_OK;
		if (t->dirty)
			draw(t);

		pfd[0].fd = t->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sig_pipe[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			sgz_err_set(err, SGZ_EUSAGE, "poll: %s", strerror(errno));
			return SGZ_EUSAGE;
		}
		if (pfd[1].revents)
			drain_pipe();
		if ((pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) ||
		    ((pfd[0].revents & POLLIN) && read_keys(t) < 0)) {
			sgz_err_set(err, SGZ_EUSAGE,
				    "the terminal was lost (hang-up or read error)");
			return SGZ_EUSAGE;
		}
	}
}

int tui_run(struct db *db, const struct tui_opts *opts, struct sgz_err *err)
{
	struct tui t;
	int rc;

	(void)db; /* the screens that use it come with the widgets */
	memset(&t, 0, sizeof(t));
	t.opts = opts;
	t.fd = STDIN_FILENO;
	t.lang = pick_lang(opts->language);
	t.stack[0].kind = SCREEN_MENU;
	t.depth = 1;
	t.dirty = true;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    "the interface needs a terminal on standard input and output");
		return SGZ_EUSAGE;
	}
	if (signals_start(err) < 0)
		return SGZ_EUSAGE;
	if (term_start(&t, err) < 0) {
		rc = SGZ_EUSAGE;
		goto out;
	}
	rc = loop(&t, err);
out:
	term_stop(&t);
	signals_stop();
	return rc;
}
