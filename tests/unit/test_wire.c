/* test_wire.c - the thin-link budgets of spec/bench.md, in process: the
 * real shell, list screen and form, drawn by curses into a file
 * (newterm("xterm-256color", file, ...)) at 80x24, the list's rows from
 * memory instead of a database. Each step is a key as the poll loop
 * handles it, then one draw; the bytes curses wrote for it are counted.
 * Budgets: an idle redraw 0 B, one row down <= 200 B, a one-row scroll
 * <= 400 B, Page Down <= 1,500 B, main menu to the station list's first
 * screen <= 2,500 B, typing <= 1.5 x the UTF-8 bytes typed. In Chinese and
 * in English. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <cmocka.h>

#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/listview.h"
#include "sgz/screens.h"
#include "sgz/uistate.h"
#include "sgz/util.h"

#define ROWS 2000

/* ---- rows in memory: ROWS of any entity, keyed k000000.. ---- */

static bool zh;

/* The text of column c of row i: what a list of stations shows. */
static void cell(const struct dict_entity *e, size_t c, int i, char *buf, size_t len)
{
	const struct dict_field *df = &e->fields[c < e->nfields ? c : 0];

	switch (df->type) {
	case DT_DIVISION:
		snprintf(buf, len, "120110%03d000", i % 1000);
		break;
	case DT_INT:
	case DT_NUMBER:
	case DT_MONEY:
		snprintf(buf, len, "%d", 2019 + i % 5);
		break;
	case DT_DATE:
		snprintf(buf, len, "2021-%02d-%02d", 1 + i % 12, 1 + i % 28);
		break;
	case DT_CHOICE:
		snprintf(buf, len, "%s",
			 zh ? df->choices[i % 3].label_zh : df->choices[i % 3].code);
		break;
	case DT_TEXT:
	case DT_PATTERN:
	case DT_BOOL:
	case DT_CHOICES:
	case DT_DIVISIONS:
		snprintf(buf, len, "东丽区第%d街道社会工作服务站", i);
		break;
	}
}

/* The list's columns as browse.h makes them: the key, then DF_LIST. */
static size_t columns(const struct dict_entity *e, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_KEY) {
			idx[n++] = i;
			break;
		}
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_LIST) && (n == 0 || idx[0] != i))
			idx[n++] = i;
	return n;
}

static const struct dict_entity *listed; /* the entity whose rows are asked for */

static void add(struct listview_page *page, int i)
{
	size_t idx[64], n = columns(listed, idx);
	char bufs[64][80], key[16];
	const char *cells[64];

	snprintf(key, sizeof(key), "k%06d", i);
	for (size_t c = 0; c < n; c++) {
		cell(listed, idx[c], i, bufs[c], sizeof(bufs[c]));
		cells[c] = bufs[c];
	}
	listview_page_add(page, key, cells);
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	(void)ctx, (void)filter, (void)err;
	for (int i = 0; i < ROWS && (size_t)i < n; i++)
		add(page, i);
	return 0;
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	(void)ctx, (void)filter, (void)err;
	for (int i = atoi(key + 1) + 1; i < ROWS && n > 0; i++, n--)
		add(page, i);
	return 0;
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	int end = atoi(key + 1), start = end - (int)n;

	(void)ctx, (void)filter, (void)err;
	for (int i = start < 0 ? 0 : start; i < end; i++)
		add(page, i);
	return 0;
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	int start = ROWS - (int)n;

	(void)ctx, (void)filter, (void)err;
	for (int i = start < 0 ? 0 : start; i < ROWS; i++)
		add(page, i);
	return 0;
}

static void rows(void *ctx, const struct dict_entity *e, struct listview_source *src)
{
	(void)ctx;
	listed = e;
	*src = (struct listview_source){src_first, src_after, src_before, src_last, NULL};
}

/* ---- the terminal: a file ---- */

struct term {
	FILE *out, *in;
	SCREEN *screen;
	struct ui *ui;
	long mark;
};

static long written(struct term *t)
{
	struct stat st;

	fflush(t->out);
	assert_int_equal(fstat(fileno(t->out), &st), 0);
	return (long)st.st_size;
}

/* The bytes written since the last step. */
static long step(struct term *t)
{
	long now = written(t), n = now - t->mark;

	t->mark = now;
	return n;
}

static void start(struct term *t, const char *lang)
{
	const char *dir = getenv("SGZ_LOCALEDIR");

	zh = strcmp(lang, "zh_CN") == 0;
	i18n_init(lang, dir && *dir ? dir : SGZ_LOCALEDIR);
	setenv("TERM", "xterm-256color", 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	t->out = tmpfile();
	t->in = fopen("/dev/null", "r");
	assert_non_null(t->out);
	assert_non_null(t->in);
	t->screen = newterm("xterm-256color", t->out, t->in);
	assert_non_null(t->screen);
	set_term(t->screen);
	assert_int_equal(LINES, 24);
	assert_int_equal(COLS, 80);
	t->ui = ui_test_new(rows, NULL);
	ui_test_draw(t->ui);
	t->mark = written(t);
}

static void stop(struct term *t)
{
	ui_test_free(t->ui);
	endwin();
	delscreen(t->screen);
	fclose(t->out);
	fclose(t->in);
	i18n_init("en", SGZ_LOCALEDIR);
}

static void key(struct term *t, wint_t wc)
{
	ui_test_key(t->ui, false, wc);
	ui_test_draw(t->ui);
}

static void fkey(struct term *t, int code)
{
	ui_test_key(t->ui, true, (wint_t)code);
	ui_test_draw(t->ui);
}

/* Types UTF-8 s key by key, a draw after each, as keys come one at a time
 * over a slow link. */
static void type(struct term *t, const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof(st));
	while (*s) {
		n = mbrtowc(&wc, s, strlen(s), &st);
		assert_true(n > 0 && n <= 4);
		key(t, (wint_t)wc);
		s += n;
	}
}

/* ---- the budgets ---- */

static void list_budgets(const char *lang)
{
	struct term t;
	long open, idle, down, scroll, page;

	start(&t, lang);
	key(&t, L'1'); /* the stations submenu */
	key(&t, L'2'); /* the station list */
	open = step(&t);
	ui_test_draw(t.ui);
	idle = step(&t);
	fkey(&t, KEY_DOWN);
	down = step(&t);
	for (int i = 0; i < 30; i++) /* to the bottom row of the screen, and past it */
		fkey(&t, KEY_DOWN);
	step(&t);
	fkey(&t, KEY_DOWN);
	scroll = step(&t);
	fkey(&t, KEY_NPAGE);
	page = step(&t);
	print_message("# %s: open %ld B, idle %ld B, down %ld B, scroll %ld B, page %ld B\n", lang,
		      open, idle, down, scroll, page);
	assert_int_equal(idle, 0);
	assert_true(open <= 2500);
	assert_true(down <= 200);
	assert_true(scroll <= 400);
	assert_true(page <= 1500);
	stop(&t);
}

static void test_wire_list_budgets_in_chinese(void **state)
{
	(void)state;
	list_budgets("zh_CN");
}

static void test_wire_list_budgets_in_english(void **state)
{
	(void)state;
	list_budgets("en");
}

static void typing_budget(const char *lang)
{
	static const char typed[] = "社会工作服务abcdef"; /* 6 Chinese, 6 ASCII: 24 bytes */
	struct term t;
	long bytes, idle;

	start(&t, lang);
	key(&t, L'1');
	key(&t, L'2');
	key(&t, L'a'); /* a new station */
	type(&t, "120110001");
	key(&t, L'\t'); /* to the name field */
	step(&t);
	type(&t, typed);
	bytes = step(&t);
	ui_test_draw(t.ui);
	idle = step(&t);
	print_message("# %s: typing %zu bytes of text cost %ld B\n", lang, strlen(typed), bytes);
	assert_int_equal(idle, 0);
	assert_true(bytes * 2 <= (long)strlen(typed) * 3);
	stop(&t);
}

static void test_wire_typing_costs_about_the_characters_in_chinese(void **state)
{
	(void)state;
	typing_budget("zh_CN");
}

static void test_wire_typing_costs_about_the_characters_in_english(void **state)
{
	(void)state;
	typing_budget("en");
}

/* The menu of spec/keys.md through the catalogue: what the file received
 * holds the Chinese names. */
static void test_wire_main_menu_speaks_the_catalogue(void **state)
{
	struct term t;
	char buf[8192];
	size_t n;

	(void)state;
	start(&t, "zh_CN");
	fflush(t.out);
	rewind(t.out);
	n = fread(buf, 1, sizeof(buf) - 1, t.out);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "站点台账"));
	assert_non_null(strstr(buf, "系统管理"));
	assert_non_null(strstr(buf, "退出"));
	fseek(t.out, 0, SEEK_END);
	stop(&t);
}

/* The text of row y of the screen, trailing spaces cut. */
static void screen_row(int y, char *buf, int size)
{
	int n;

	mvwinnstr(stdscr, y, 0, buf, size - 1);
	n = (int)strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

/* libpq's messages go on in "\n\t": on the message line each line is a
 * row of its own and the tab a space, never '?'. */
static void test_wire_message_line_shows_libpq_lines_and_tabs(void **state)
{
	struct term t;
	char a[256], b[256];

	(void)state;
	start(&t, "en");
	ui_say(t.ui, "connection to server failed: No such file or directory\n"
		     "\tIs the server running locally?\n");
	ui_test_draw(t.ui);
	screen_row(LINES - 3, a, sizeof(a));
	screen_row(LINES - 2, b, sizeof(b));
	assert_string_equal(a, " connection to server failed: No such file or directory");
	assert_string_equal(b, "  Is the server running locally?");
	assert_null(strchr(a, '?'));
	stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wire_list_budgets_in_chinese),
	    cmocka_unit_test(test_wire_list_budgets_in_english),
	    cmocka_unit_test(test_wire_typing_costs_about_the_characters_in_chinese),
	    cmocka_unit_test(test_wire_typing_costs_about_the_characters_in_english),
	    cmocka_unit_test(test_wire_main_menu_speaks_the_catalogue),
	    cmocka_unit_test(test_wire_message_line_shows_libpq_lines_and_tabs),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
