/* test_wire_tree.c - the thin-link budgets of spec/bench.md for the
 * division browser (screen_tree.c), in process as tests/unit/test_wire.c
 * measures the lists: the real shell and browser drawn by curses into a
 * file at 80x24 (newterm("xterm-256color", ...)), the rows from memory
 * instead of a database: township-like rows with code, name, level and
 * count. Each step is a key as the poll loop handles it, then one draw.
 * Budgets: opening (main menu to the first screen) <= 2,500 B, idle 0 B,
 * one row down <= 200 B, a one-row scroll <= 400 B, Page Down <= 1,500 B;
 * a level down and back up are reported. In Chinese and in English. */
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

static bool zh;

/* Row i: a township of a county, as the browser shows it. */
static void add(struct listview_page *page, int i)
{
	static const char *const names[] = {"大王庄街道",   "东新街道",	  "中山门街道",
					    "天津铁厂街道", "丰年村街道", "万新街道"};
	char key[16], code[16], name[64], count[16];
	const char *cells[5];

	snprintf(key, sizeof(key), "k%06d", i);
	snprintf(code, sizeof(code), "120110%03d000", i % 1000);
	snprintf(name, sizeof(name), "%s%d", names[i % 6], i);
	snprintf(count, sizeof(count), "%d", i % 40);
	cells[0] = code;
	cells[1] = name;
	cells[2] = zh ? "乡级" : "township";
	cells[3] = count;
	cells[4] = "天津市 > 市辖区 > 东丽区";
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
	assert_string_equal(e->name, "divisions");
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

static void key(struct term *t, bool fn, wint_t wc)
{
	ui_test_key(t->ui, fn, wc);
	ui_test_draw(t->ui);
}

/* Does row y of the screen (curses' idea of it) hold text? */
static bool row_has(int y, const wchar_t *text)
{
	wchar_t w[256];
	int n = mvwinnwstr(stdscr, y, 0, w, 255);

	w[n > 0 ? n : 0] = L'\0';
	return wcsstr(w, text) != NULL;
}

static void tree_budgets(const char *lang)
{
	struct term t;
	long open, idle, down, scroll, page, in, out;

	start(&t, lang);
	key(&t, false, L'1'); /* the stations submenu */
	key(&t, false, L'1'); /* the division browser */
	open = step(&t);
	assert_true(row_has(1, zh ? L"全国" : L"Nationwide"));
	ui_test_draw(t.ui);
	idle = step(&t);
	key(&t, true, KEY_DOWN);
	down = step(&t);
	for (int i = 0; i < 30; i++) /* to the bottom row of the screen, and past it */
		key(&t, true, KEY_DOWN);
	step(&t);
	key(&t, true, KEY_DOWN);
	scroll = step(&t);
	key(&t, true, KEY_NPAGE);
	page = step(&t);
	key(&t, true, KEY_RIGHT); /* a level down */
	in = step(&t);
	assert_true(row_has(1, L"k000"));
	key(&t, true, KEY_LEFT); /* and back, on the same row */
	out = step(&t);
	assert_true(row_has(1, zh ? L"全国" : L"Nationwide"));
	print_message("# %s: open %ld B, idle %ld B, down %ld B, scroll %ld B, page %ld B, "
		      "level down %ld B, level up %ld B\n",
		      lang, open, idle, down, scroll, page, in, out);
	assert_int_equal(idle, 0);
	assert_true(open <= 2500);
	assert_true(down <= 200);
	assert_true(scroll <= 400);
	assert_true(page <= 1500);
	stop(&t);
}

static void test_wire_tree_budgets_in_chinese(void **state)
{
	(void)state;
	tree_budgets("zh_CN");
}

static void test_wire_tree_budgets_in_english(void **state)
{
	(void)state;
	tree_budgets("en");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wire_tree_budgets_in_chinese),
	    cmocka_unit_test(test_wire_tree_budgets_in_english),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
