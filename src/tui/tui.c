/* tui.c - the interface shell: the poll loop, signals, resize, the screen
 * stack (main menu, submenus of entities, lists, forms, help), dialogs, the
 * message and status lines, and the language table. The lists and forms
 * themselves are screen_list.c and screen_form.c. */
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

#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/screens.h"

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

enum lang { LANG_EN, LANG_ZH };

/* Every text the interface shows, in both languages, until gettext arrives.
 * No format strings: the code puts the pieces together. */
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
    /* Appended to the screen's name. */
    [M_NOT_YET] = {": this screen is not available yet.", ":此功能尚未提供。"},
    [M_HELP_FOR] = {"Help: ", "帮助:"},
    [M_TOO_SMALL] = {"terminal too small (need 80x24)", "终端窗口太小(需要 80x24)"},
    [M_OPEN] = {"open", "打开"},
    [M_HELP] = {"help", "帮助"},
    [M_QUIT] = {"quit", "退出"},
    [M_BACK] = {"back", "返回"},
    [M_FILTER] = {"filter", "筛选"},
    [M_ADD] = {"add", "新增"},
    [M_DELETE] = {"delete", "删除"},
    [M_EXPORT] = {"export", "导出"},
    [M_APPLY] = {"apply", "确定"},
    [M_CLEAR] = {"clear", "清除"},
    [M_CANCEL] = {"cancel", "取消"},
    [M_SAVE] = {"save", "保存"},
    [M_SAVE_NEXT] = {"save+next", "保存并新增"},
    [M_DITTO] = {"ditto", "同上"},
    [M_PICK] = {"pick", "选择"},
    [M_TOGGLE] = {"tick", "勾选"},
    [M_OK] = {"OK", "确定"},
    [M_DISCARD] = {"discard", "放弃修改"},
    [M_KEEP_EDITING] = {"keep editing", "继续编辑"},
    [M_KEEP_MINE] = {"save mine over theirs", "用我的覆盖"},
    [M_TAKE_THEIRS] = {"take theirs", "采用对方的"},
    [M_SAVE_AS_NEW] = {"save as a new record", "另存为新记录"},
    [M_DO_MOVE] = {"move the selection", "上下移动"},
    [M_DO_OPEN] = {"open the selected screen", "打开所选功能"},
    [M_DO_OPEN_N] = {"open screen N directly", "直接打开第 N 项"},
    [M_DO_HELP] = {"help for this screen", "本屏帮助"},
    [M_DO_REDRAW] = {"redraw the whole screen", "重画整个屏幕"},
    [M_DO_QUIT] = {"quit sgz", "退出 sgz"},
    [M_DO_BACK] = {"back to the previous screen", "返回上一屏"},
    [M_DO_CLOSE_HELP] = {"close this help", "关闭帮助"},
    [M_DO_LIST_MOVE] = {"move in the list (fetched page by page)", "在列表中移动(按页读取)"},
    [M_DO_COLUMNS] = {"scroll the columns after the first", "左右滚动第一列之后的各列"},
    [M_DO_FILTER] = {"filter: type, Enter applies, Esc clears",
		     "筛选:输入后按 Enter 应用,Esc 清除"},
    [M_DO_OPEN_RECORD] = {"open the record", "打开记录"},
    [M_DO_ADD] = {"add a record", "新增记录"},
    [M_DO_DELETE] = {"delete the record (asks first)", "删除记录(先确认)"},
    [M_DO_EXPORT] = {"export what the list shows to a CSV file", "将列表内容导出为 CSV 文件"},
    [M_DO_NEXT_FIELD] = {"next field (checks this one)", "下一栏(检查本栏)"},
    [M_DO_PREV_FIELD] = {"previous field", "上一栏"},
    [M_DO_SAVE] = {"save and close", "保存并关闭"},
    [M_DO_SAVE_NEXT] = {"save and start the next record, keeping places and dates",
			"保存并新增下一条(保留站点、日期等)"},
    [M_DO_DITTO] = {"ditto: copy this field from the previous record", "同上:从上一条记录复制本栏"},
    [M_DO_PICK] = {"pick from the list for this field", "从列表中选择本栏的值"},
    [M_DO_CLEAR_FIELD] = {"clear the field", "清空本栏"},
    [M_DO_EDIT] = {"edit: Left/Right, Home/End, Backspace, Delete",
		   "编辑:左右、Home/End、退格、Delete"},
    [M_DO_BACK_ASK] = {"back (asks before discarding what you typed)", "返回(放弃输入前先确认)"},
    [M_FILTER_PROMPT] = {"Filter: ", "筛选:"},
    [M_FILTERED] = {"filter: ", "筛选:"},
    [M_NO_ROWS] = {"(no records)", "(没有记录)"},
    [M_EXPORT_PROMPT] = {"Export to: ", "导出到:"},
    [M_EXPORTED] = {" rows written to ", " 行已导出到 "},
    [M_DELETE_ASK] = {"Delete this record?", "删除这条记录?"},
    [M_DELETED] = {"Deleted.", "已删除。"},
    [M_REFERENCED] = {"Cannot delete: the record is still referenced", "不能删除:这条记录仍被引用"},
    [M_REFERENCED_BY] = {"Referenced by ", "引用它的有:"},
    [M_REFERENCED_SEP] = {", ", "、"},
    [M_CHANGED_SINCE] = {"Someone else changed this record meanwhile; nothing was deleted.",
			 "其他人刚修改了这条记录,未删除。"},
    [M_GONE] = {"The record is no longer there (deleted by someone else).",
		"这条记录已不存在(已被他人删除)。"},
    [M_ERROR] = {"Error", "错误"},
    [M_LIST_FAILED] = {"The list could not be read", "无法读取列表"},
    [M_EDIT] = {" - edit ", " - 修改 "},
    [M_NEW] = {" - new record", " - 新增"},
    [M_SAVED] = {"Saved.", "已保存。"},
    [M_SAVED_NEXT] = {"Saved. Next record:", "已保存。请录入下一条:"},
    [M_NOTHING_CHANGED] = {"Nothing changed.", "没有修改。"},
    [M_DISCARD_ASK] = {"Discard what you typed?", "放弃刚才输入的内容?"},
    [M_CONFLICT] = {"Saved by someone else first", "他人已先保存了这条记录"},
    [M_CONFLICT_BODY] = {"Someone else saved this record after you opened it:",
			 "你打开这条记录后,他人保存了修改:"},
    [M_YOURS] = {"yours", "你的"},
    [M_THEIRS] = {"theirs", "对方的"},
    [M_TOOK_THEIRS] = {"Their version is shown; what you typed was not saved.",
		       "已显示对方保存的内容,你的输入未保存。"},
    [M_GONE_ASK] = {"Someone else deleted this record after you opened it.",
		    "你打开这条记录后,他人删除了它。"},
    [M_REFUSED] = {"Not saved: ", "未保存:"},
    [M_NO_DITTO] = {"Nothing to copy: no previous record has this field.",
		    "没有可复制的内容:上一条记录此栏为空。"},
    [M_NO_PICK] = {"This field has no list to pick from.", "此栏没有可选列表。"},
    [M_HINT_PICK] = {"F5 pick: ", "F5 选择:"},
    [M_HINT_DATE] = {"date: 2024-03-05, 2024/3/5 or 2024年3月5日",
		     "日期:2024-03-05、2024/3/5 或 2024年3月5日"},
    [M_HINT_REF] = {"F5 pick from: ", "F5 从列表选择:"},
    [M_HINT_LIST] = {"several values: separate them with ;", "多个值用 ; 分隔"},
    [M_HINT_AUTO] = {"leave empty to have it assigned", "留空则自动编号"},
    [M_PICK_TITLE] = {"Pick: ", "选择:"},
    [M_PICK_NONE] = {"(nothing matches)", "(没有匹配项)"},
    [M_PICK_LOOKING] = {"(looking...)", "(查找中……)"},
    [M_CONN_LOST] = {"Database connection", "数据库连接"},
    [M_WARNING] = {"Warning: ", "提醒:"},
};

/* The main menu, in the order of spec/keys.md: users type the numbers blind. */
static const enum ui_msg menu_items[] = {
    M_STATIONS, M_VOLUNTEERS, M_CASES, M_CONTRACTS, M_REPORTS, M_ADMIN,
};

/* The entities behind each main menu item, by import name; NULL: not yet. */
static const char *const stations_menu[] = {"divisions", "stations", "service_points",
					    "staff",	 "plans",    NULL};
static const char *const volunteers_menu[] = {"volunteers", "activities", "hours", NULL};
static const char *const cases_menu[] = {"recipients", "cases", "visits", NULL};
static const char *const contracts_menu[] = {"organizations", "contracts", "evaluations", NULL};
static const char *const *const submenus[] = {
    stations_menu, volunteers_menu, cases_menu, contracts_menu, NULL, NULL,
};

/* One key per row, in the order help lists them (clang-format would pack them). */
/* clang-format off */
static const struct ui_keyinfo menu_keys[] = {
	{ "1-6", "1-6", M_OPEN, M_DO_OPEN_N },
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

static const struct ui_keyinfo later_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo help_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_CLOSE_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};
/* clang-format on */

enum screen_kind {
	SCREEN_MENU,	/* the main menu */
	SCREEN_SUBMENU, /* the entities of a main menu item */
	SCREEN_LATER,	/* a menu item whose screen is not built yet */
	SCREEN_HELP,	/* the keys of the screen below it */
	SCREEN_LIST,	/* an entity's list */
	SCREEN_FORM,	/* a record's form */
};

struct screen {
	enum screen_kind kind;
	int item;     /* SCREEN_SUBMENU, SCREEN_LATER: index into menu_items */
	int selected; /* SCREEN_MENU, SCREEN_SUBMENU */
	struct list_screen *ls;
	struct form_screen *fs;
};

#define DIALOG_CHOICES 4

struct dialog {
	bool open;
	char *title;
	char *body;
	struct ui_choice choices[DIALOG_CHOICES];
	size_t n;
	ui_answer_fn fn;
	void *ctx;
};

struct ui {
	const struct tui_opts *opts;
	struct db *db;
	enum lang lang;
	int fd;	       /* the terminal (standard input) */
	WINDOW *input; /* a 1x1 pad keys are read through: reading a pad never refreshes */
	attr_t bar;    /* the title bar: reverse, or a colour pair */
	struct screen stack[12];
	int depth;
	struct dialog dialog;
	char *message; /* the message line, until the next key */
	int cursor_y;  /* where a text field wants the cursor, or -1 */
	int cursor_x;
	bool cursor_on;	 /* the terminal's cursor is shown */
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

static const char *tr(const struct ui *t, enum ui_msg m)
{
	return msgs[m][t->lang];
}

/* ---- the services the screens use (screens.h) ---- */

const char *ui_tr(const struct ui *ui, enum ui_msg m)
{
	return tr(ui, m);
}

bool ui_zh(const struct ui *ui)
{
	return ui->lang == LANG_ZH;
}

struct db *ui_db(struct ui *ui)
{
	return ui->db;
}

void ui_redraw(struct ui *ui)
{
	ui->dirty = true;
}

void ui_say(struct ui *ui, const char *msg)
{
	free(ui->message);
	ui->message = msg && *msg ? xstrdup(msg) : NULL;
	ui->dirty = true;
}

void ui_cursor(struct ui *ui, int y, int x)
{
	ui->cursor_y = y;
	ui->cursor_x = x;
}

static struct screen *push(struct ui *t, enum screen_kind kind, int item)
{
	struct screen *s;

	if (t->depth == (int)SGZ_ARRAY_LEN(t->stack))
		abort(); /* the shell never nests this deep */
	s = &t->stack[t->depth++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->item = item;
	t->dirty = true;
	return s;
}

void ui_push_list(struct ui *ui, struct list_screen *ls)
{
	push(ui, SCREEN_LIST, 0)->ls = ls;
}

void ui_push_form(struct ui *ui, struct form_screen *fs)
{
	push(ui, SCREEN_FORM, 0)->fs = fs;
}

void ui_pop(struct ui *ui)
{
	struct screen *s;

	if (ui->depth <= 1)
		return;
	s = &ui->stack[--ui->depth];
	switch (s->kind) {
	case SCREEN_LIST:
		list_screen_free(s->ls);
		break;
	case SCREEN_FORM:
		form_screen_free(s->fs);
		break;
	case SCREEN_MENU:
	case SCREEN_SUBMENU:
	case SCREEN_LATER:
	case SCREEN_HELP:
		break;
	}
	memset(s, 0, sizeof(*s));
	/* the terminal may still show the popped screen's cells: draw all */
	ui->dirty = true;
}

void ui_help(struct ui *ui)
{
	if (ui->stack[ui->depth - 1].kind != SCREEN_HELP)
		push(ui, SCREEN_HELP, 0);
}

static void dialog_close(struct dialog *d)
{
	free(d->title);
	free(d->body);
	memset(d, 0, sizeof(*d));
}

void ui_ask(struct ui *ui, const char *title, const char *body, const struct ui_choice *choices,
	    size_t n, ui_answer_fn fn, void *ctx)
{
	struct dialog *d = &ui->dialog;

	dialog_close(d);
	d->open = true;
	d->title = xstrdup(title ? title : "");
	d->body = xstrdup(body ? body : "");
	d->n = n < DIALOG_CHOICES ? n : DIALOG_CHOICES;
	memcpy(d->choices, choices, d->n * sizeof(*choices));
	d->fn = fn;
	d->ctx = ctx;
	ui->dirty = true;
}

void ui_tell(struct ui *ui, const char *title, const char *body)
{
	const struct ui_choice ok[] = {{'\r', "Enter", M_OK}};

	ui_ask(ui, title, body, ok, 1, NULL, NULL);
}

const char *ui_entity_label(const struct ui *ui, const struct dict_entity *e)
{
	return ui->lang == LANG_ZH && e->label_zh ? e->label_zh : e->label;
}

const char *ui_field_label(const struct ui *ui, const struct dict_field *df)
{
	return ui->lang == LANG_ZH && df->label_zh ? df->label_zh : df->label;
}

attr_t ui_selected_attr(const struct ui *ui)
{
	(void)ui;
	return A_REVERSE;
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

int ui_width(const char *s)
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

static int text_width(const char *s)
{
	return ui_width(s);
}

int ui_put(int y, int x, int width, const char *s, attr_t attr, bool fill)
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

static int put_text(int y, int x, int width, const char *s, attr_t attr, bool fill)
{
	return ui_put(y, x, width, s, attr, fill);
}

/* ---- drawing: each screen is drawn whole into stdscr; curses sends only
 * the cells that differ from what the terminal already shows ---- */

static struct screen *top(struct ui *t)
{
	return &t->stack[t->depth - 1];
}

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
		return tr(t, M_MAIN_MENU);
	case SCREEN_SUBMENU:
	case SCREEN_LATER:
		return tr(t, menu_items[s->item]);
	case SCREEN_HELP:
		return tr(t, M_HELP);
	case SCREEN_LIST:
		return list_screen_title(s->ls);
	case SCREEN_FORM:
		return form_screen_title(s->fs);
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
	case SCREEN_LATER:
		*n = SGZ_ARRAY_LEN(later_keys);
		return later_keys;
	case SCREEN_HELP:
		*n = SGZ_ARRAY_LEN(help_keys);
		return help_keys;
	case SCREEN_LIST:
		return list_screen_keys(s->ls, n);
	case SCREEN_FORM:
		return form_screen_keys(s->fs, n);
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
	case SCREEN_LIST:
		return list_screen_status_keys(s->ls, n);
	case SCREEN_FORM:
		return form_screen_status_keys(s->fs, n);
	case SCREEN_SUBMENU:
		/* "1-5 open": the numbers this submenu has */
		items = submenu_count(s);
		memcpy(sub, submenu_keys, sizeof(sub));
		sub[0].short_key = ranges[items < 10 ? items : 9];
		*n = SGZ_ARRAY_LEN(sub);
		return sub;
	case SCREEN_MENU:
	case SCREEN_LATER:
	case SCREEN_HELP:
		break;
	}
	return screen_keys(s, n);
}

static void draw_title(const struct ui *t)
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

/* Items as " N  Label", the selected one as a bar: every row highlights the
 * same width, so moving the selection rewrites just two short runs. */
static void draw_items(const char *const *labels, int n, int selected)
{
	char line[160];
	int i, w, width = 0;

	for (i = 0; i < n; i++) {
		w = text_width(labels[i]);
		if (w > width)
			width = w;
	}
	width += 6;
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), " %d  %s", i + 1, labels[i]);
		put_text(4 + i, 4, width, line, i == selected ? A_REVERSE : A_NORMAL,
			 i == selected);
	}
}

static void draw_menu(const struct ui *t, const struct screen *s)
{
	const char *labels[SGZ_ARRAY_LEN(menu_items)];
	int i;

	draw_heading(tr(t, M_MAIN_MENU), "");
	for (i = 0; i < (int)SGZ_ARRAY_LEN(menu_items); i++)
		labels[i] = tr(t, menu_items[i]);
	draw_items(labels, (int)SGZ_ARRAY_LEN(menu_items), s->selected);
}

static void draw_submenu(const struct ui *t, const struct screen *s)
{
	const char *labels[16];
	int i, n = submenu_count(s);

	draw_heading(tr(t, menu_items[s->item]), "");
	for (i = 0; i < n && i < 16; i++) {
		const struct dict_entity *e = submenu_entity(s, i);
		labels[i] = e ? ui_entity_label(t, e) : "?";
	}
	draw_items(labels, n, s->selected);
}

static void draw_later(const struct ui *t, const struct screen *s)
{
	const char *name = tr(t, menu_items[s->item]);
	int x = 4;

	draw_heading(name, "");
	x += put_text(4, x, COLS - x - 2, name, A_NORMAL, false);
	put_text(4, x, COLS - x - 2, tr(t, M_NOT_YET), A_NORMAL, false);
}

static void draw_help(const struct ui *t)
{
	const struct screen *of = &t->stack[t->depth - 2];
	const struct ui_keyinfo *keys;
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
static void draw_status(const struct ui *t, const struct screen *s)
{
	const struct ui_keyinfo *keys = NULL;
	struct strbuf line = {0};
	size_t i, n = 0;

	if (t->dialog.open) {
		for (i = 0; i < t->dialog.n; i++)
			sb_addf(&line, "%s%s %s", i ? "  " : "", t->dialog.choices[i].key_name,
				tr(t, t->dialog.choices[i].text));
		if (t->dialog.n != 1 || t->dialog.choices[0].key != '\r')
			sb_addf(&line, "  Esc %s", tr(t, M_CANCEL));
	} else {
		keys = status_keys(s, &n);
		for (i = 0; i < n; i++) {
			if (!keys[i].short_key)
				continue;
			sb_addf(&line, "%s%s %s", line.len ? "  " : "", keys[i].short_key,
				tr(t, keys[i].short_text));
		}
	}
	/* Never the last column of the last row: writing there scrolls some terminals. */
	put_text(LINES - 1, 1, COLS - 2, sb_str(&line), A_NORMAL, false);
	sb_free(&line);
}

/* The dialog: a box in the middle, ASCII borders (never ambiguous-width
 * symbols), the body's lines wrapped to its width. */
static void draw_dialog(const struct ui *t)
{
	const struct dialog *d = &t->dialog;
	int width = COLS - 10 < 70 ? COLS - 10 : 70, inner = width - 4;
	struct strbuf wrapped = {0};
	const char *p;
	int lines = 0, y, x, i;

	/* wrap the body by columns */
	for (p = d->body; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *para = xstrndup(p, len);
		const char *q = para;
		do {
			wchar_t wc;
			int w, cols = 0;
			size_t k, take = 0;
			while ((k = next_char(q + take, &wc, &w)) > 0 && cols + w <= inner) {
				cols += w;
				take += k;
			}
			sb_addn(&wrapped, q, take);
			sb_addc(&wrapped, '\n');
			lines++;
			q += take;
		} while (*q);
		free(para);
		p += len + (nl ? 1 : 0);
	}
	if (lines > LINES - 8)
		lines = LINES - 8;
	y = (LINES - lines - 4) / 2;
	x = (COLS - width) / 2;
	for (i = 0; i < lines + 4; i++) {
		bool edge = i == 0 || i == lines + 3;
		put_text(y + i, x, width, "", A_NORMAL, true);
		wattrset(stdscr, A_NORMAL);
		mvwaddch(stdscr, y + i, x, edge ? '+' : '|');
		mvwaddch(stdscr, y + i, x + width - 1, edge ? '+' : '|');
		if (edge)
			mvwhline(stdscr, y + i, x + 1, '-', width - 2);
	}
	put_text(y, x + 2, width - 4, d->title, A_BOLD, false);
	p = sb_str(&wrapped);
	for (i = 0; i < lines && *p; i++) {
		const char *nl = strchr(p, '\n');
		char *row = xstrndup(p, (size_t)(nl - p));
		put_text(y + 2 + i, x + 2, inner, row, A_NORMAL, false);
		free(row);
		p = nl + 1;
	}
	sb_free(&wrapped);
}

static void draw_too_small(struct ui *t)
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
	struct screen *s = top(t);

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
		case SCREEN_LATER:
			draw_later(t, s);
			break;
		case SCREEN_HELP:
			draw_help(t);
			break;
		case SCREEN_LIST:
			list_screen_draw(s->ls, 1, LINES - 2);
			break;
		case SCREEN_FORM:
			form_screen_draw(s->fs, 1, LINES - 2);
			break;
		}
		if (t->message)
			put_text(LINES - 2, 1, COLS - 2, t->message, A_NORMAL, true);
		draw_status(t, s);
		if (t->dialog.open)
			draw_dialog(t);
	}
	place_cursor(t);
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
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
	ls = list_screen_new(t, e);
	if (ls)
		ui_push_list(t, ls);
}

static void open_menu_item(struct ui *t, int i)
{
	if (submenus[i])
		push(t, SCREEN_SUBMENU, i);
	else
		push(t, SCREEN_LATER, i);
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

static void dialog_key(struct ui *t, bool fn, wint_t wc)
{
	struct dialog *d = &t->dialog;
	wint_t answer = 0;
	ui_answer_fn fn_cb = d->fn;
	void *ctx = d->ctx;

	if ((fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC)) {
		answer = UI_KEY_ESC;
	} else if (fn && wc == KEY_ENTER) {
		wc = '\r';
		fn = false;
	}
	for (size_t i = 0; !answer && !fn && i < d->n; i++) {
		wint_t k = d->choices[i].key;
		if (wc == k || (k == '\r' && wc == '\n') ||
		    (k < 128 && wc < 128 && (wc | 0x20) == (k | 0x20) && k >= 'a'))
			answer = k;
	}
	if (!answer)
		return;
	/* the answer may open another dialog */
	dialog_close(d);
	t->dirty = true;
	if (fn_cb)
		fn_cb(t, ctx, answer);
}

static void on_key(struct ui *t, bool fn, wint_t wc)
{
	struct screen *s = top(t);

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
		dialog_key(t, fn, wc);
		return;
	}
	/* lists and forms have text fields: they decide what ?, Esc and F1 mean */
	switch (s->kind) {
	case SCREEN_LIST:
		list_screen_key(s->ls, fn, wc);
		t->dirty = true;
		return;
	case SCREEN_FORM:
		form_screen_key(s->fs, fn, wc);
		t->dirty = true;
		return;
	case SCREEN_MENU:
	case SCREEN_SUBMENU:
	case SCREEN_LATER:
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
	case SCREEN_LATER:
	case SCREEN_HELP:
	case SCREEN_LIST:
	case SCREEN_FORM:
		break;
	}
}

/* Handles every key already typed (type-ahead) before the next redraw.
 * Returns -1 when the terminal is gone: readable, yet nothing to read. */
static int read_keys(struct ui *t)
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

/* What waits for the keys to stop: a picker's look-up in the database runs
 * once the type-ahead is drained, never per keystroke. */
static void idle(struct ui *t)
{
	struct screen *s = top(t);

	if (s->kind == SCREEN_FORM && !too_small())
		form_screen_idle(s->fs);
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

/* The language main() chose with i18n_init() (which also binds gettext's
 * catalogue), unless the caller names one. */
static enum lang pick_lang(const char *want)
{
	if (want && strncmp(want, "zh", 2) == 0)
		return LANG_ZH;
	if (want && *want && strcmp(want, "auto") != 0)
		return LANG_EN;
	return i18n_lang() == I18N_ZH ? LANG_ZH : LANG_EN;
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

/* ---- the loop ---- */

static int loop(struct ui *t, struct sgz_err *err)
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
		idle(t);
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
	struct ui t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.opts = opts;
	t.db = db;
	t.fd = STDIN_FILENO;
	t.lang = pick_lang(opts->language);
	t.stack[0].kind = SCREEN_MENU;
	t.depth = 1;
	t.dirty = true;
	t.cursor_y = -1;

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
	while (t.depth > 1)
		ui_pop(&t);
	dialog_close(&t.dialog);
	free(t.message);
	term_stop(&t);
	signals_stop();
	return rc;
}
