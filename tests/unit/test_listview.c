/* test_listview.c - the list model over a fake keyset source of 1,000 rows,
 * with Chinese text and no terminal; then drawing into a curses pad. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "sgz/listview.h"
#include "sgz/util.h"

#define ROWS   1000
#define HEIGHT 20
#define WIDTH  40

/* ---- a source over an array, keyed "k0000".."k0999", that records what
 * it was asked ---- */

enum call { CALL_FIRST, CALL_AFTER, CALL_BEFORE, CALL_LAST };

struct fake {
	bool gone[ROWS];
	bool fail;
	int calls;
	int ncalls[4];
	enum call last_call;
	char last_key[16];
	char last_filter[64];
	size_t max_n;
};

static struct fake fake;

static void name_of(int i, char *buf, size_t len)
{
	if (i % 10 == 0)
		snprintf(buf, len, "社会工作服务站%d", i);
	else
		snprintf(buf, len, "志愿者%d号", i);
}

static bool visible(int i, const char *filter)
{
	char name[64];

	if (fake.gone[i])
		return false;
	if (!filter)
		return true;
	name_of(i, name, sizeof(name));
	return strstr(name, filter) != NULL;
}

static void add(struct listview_page *page, int i)
{
	char key[16], name[64], num[16];
	const char *cells[3];

	snprintf(key, sizeof(key), "k%04d", i);
	name_of(i, name, sizeof(name));
	snprintf(num, sizeof(num), "%d", i * 3);
	cells[0] = key;
	cells[1] = name;
	cells[2] = num;
	assert_int_equal(listview_page_add(page, key, cells), 0);
}

static int record(enum call c, const char *filter, const char *key, size_t n, struct sgz_err *err)
{
	fake.calls++;
	fake.ncalls[c]++;
	fake.last_call = c;
	snprintf(fake.last_key, sizeof(fake.last_key), "%s", key ? key : "");
	snprintf(fake.last_filter, sizeof(fake.last_filter), "%s", filter ? filter : "");
	if (n > fake.max_n)
		fake.max_n = n;
	if (fake.fail) {
		sgz_err_set(err, SGZ_EUSAGE, "connection lost");
		return -1;
	}
	return 0;
}

static int key_index(const char *key)
{
	return atoi(key + 1);
}

/* Adds up to n visible rows from i going by step, in list order. */
static void add_run(struct listview_page *page, const char *filter, int i, int step, size_t n)
{
	int found[ROWS];
	size_t k = 0;

	for (; i >= 0 && i < ROWS && k < n; i += step) {
		if (visible(i, filter))
			found[k++] = i;
	}
	if (step > 0) {
		for (i = 0; i < (int)k; i++)
			add(page, found[i]);
	} else {
		for (i = (int)k - 1; i >= 0; i--)
			add(page, found[i]);
	}
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	(void)ctx;
	if (record(CALL_FIRST, filter, NULL, n, err) < 0)
		return -1;
	add_run(page, filter, 0, 1, n);
	return 0;
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	(void)ctx;
	if (record(CALL_AFTER, filter, key, n, err) < 0)
		return -1;
	add_run(page, filter, key_index(key) + 1, 1, n);
	return 0;
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	(void)ctx;
	if (record(CALL_BEFORE, filter, key, n, err) < 0)
		return -1;
	add_run(page, filter, key_index(key) - 1, -1, n);
	return 0;
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	(void)ctx;
	if (record(CALL_LAST, filter, NULL, n, err) < 0)
		return -1;
	add_run(page, filter, ROWS - 1, -1, n);
	return 0;
}

static const struct listview_source source = {src_first, src_after, src_before, src_last, NULL};

static const struct listview_column columns[] = {
    {"编号", 5, LISTVIEW_LEFT},
    {"名称", 16, LISTVIEW_LEFT},
    {"时数", 6, LISTVIEW_RIGHT},
};

static struct listview *open_list(void)
{
	struct listview *lv = listview_new(&source, columns, 3, HEIGHT, WIDTH);
	struct sgz_err err;

	memset(&fake, 0, sizeof(fake));
	sgz_err_clear(&err);
	assert_int_equal(listview_reload(lv, &err), 0);
	return lv;
}

static void go(struct listview *lv, enum listview_move m, int times)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	while (times-- > 0)
		assert_int_equal(listview_move(lv, m, &err), 0);
}

static int stale_rows(const struct listview *lv, const struct listview_changes *ch, int *rows)
{
	int r, n = 0;

	for (r = 0; r < HEIGHT; r++) {
		if (listview_row_stale(lv, ch, r))
			rows[n++] = r;
	}
	return n;
}

/* ---- the model ---- */

static void test_listview_opens_on_the_first_page_and_selects_its_first_row(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.last_call, CALL_FIRST);
	assert_int_equal(fake.max_n, HEIGHT);
	assert_string_equal(listview_selected_key(lv), "k0000");
	assert_int_equal(listview_selected_row(lv), 0);
	assert_string_equal(listview_key_at(lv, HEIGHT - 1), "k0019");
	assert_null(listview_key_at(lv, HEIGHT));
	listview_free(lv);
}

static void
test_listview_moving_down_past_the_page_fetches_the_page_after_its_last_key(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	assert_int_equal(fake.calls, 1); /* all on the first page */
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	go(lv, LISTVIEW_DOWN, 1);
	assert_int_equal(fake.calls, 2);
	assert_int_equal(fake.last_call, CALL_AFTER);
	assert_string_equal(fake.last_key, "k0019");
	assert_int_equal(fake.max_n, HEIGHT);
	assert_string_equal(listview_selected_key(lv), "k0020");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	assert_string_equal(listview_key_at(lv, 0), "k0001");
	listview_free(lv);
}

static void test_listview_page_down_shows_the_next_page_by_key(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	go(lv, LISTVIEW_DOWN, 3);
	go(lv, LISTVIEW_PAGE_DOWN, 1);
	assert_int_equal(fake.last_call, CALL_AFTER);
	assert_string_equal(fake.last_key, "k0019");
	assert_string_equal(listview_key_at(lv, 0), "k0020");
	assert_string_equal(listview_selected_key(lv), "k0023");
	assert_int_equal(listview_selected_row(lv), 3);
	go(lv, LISTVIEW_PAGE_DOWN, 1);
	assert_string_equal(fake.last_key, "k0039");
	assert_string_equal(listview_key_at(lv, 0), "k0040");
	assert_int_equal(fake.ncalls[CALL_AFTER], 2);
	assert_true(fake.max_n <= HEIGHT);
	/* back and forth over rows already held: nothing fetched */
	fake.calls = 0;
	go(lv, LISTVIEW_PAGE_UP, 1);
	go(lv, LISTVIEW_PAGE_DOWN, 1);
	assert_int_equal(fake.calls, 0);
	assert_string_equal(listview_key_at(lv, 0), "k0040");
	listview_free(lv);
}

/* keys.md: Ctrl-F / Ctrl-B and Space / b are PgDn / PgUp's twins. */
static void test_listview_letter_twins_page_as_pgdn_and_pgup(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_key(lv, false, L' ', &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_key_at(lv, 0), "k0020");
	assert_int_equal(listview_key(lv, false, 0x06, &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_key_at(lv, 0), "k0040");
	assert_int_equal(listview_key(lv, false, L'b', &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_key_at(lv, 0), "k0020");
	assert_int_equal(listview_key(lv, false, 0x02, &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_key_at(lv, 0), "k0000");
	assert_int_equal(listview_key(lv, false, L'a', &err), LISTVIEW_KEY_OTHER);
	listview_free(lv);
}

static void test_listview_paging_through_everything_holds_only_a_few_pages(void **state)
{
	struct listview *lv = open_list();
	int i;

	(void)state;
	for (i = 0; i < ROWS / HEIGHT + 5; i++) {
		go(lv, LISTVIEW_PAGE_DOWN, 1);
		assert_true(listview_rows_held(lv) <= 3 * HEIGHT);
	}
	assert_string_equal(listview_selected_key(lv), "k0999");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	/* one page per fetch, about one fetch per page, never OFFSET-like
	 * rereading */
	assert_true(fake.max_n <= HEIGHT);
	assert_true(fake.calls <= ROWS / HEIGHT + 2);
	for (i = 0; i < ROWS / HEIGHT + 5; i++) {
		go(lv, LISTVIEW_PAGE_UP, 1);
		assert_true(listview_rows_held(lv) <= 3 * HEIGHT);
	}
	assert_string_equal(listview_selected_key(lv), "k0000");
	assert_true(fake.max_n <= HEIGHT);
	listview_free(lv);
}

static void test_listview_end_fetches_the_last_page_and_home_the_first(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	go(lv, LISTVIEW_END, 1);
	assert_int_equal(fake.last_call, CALL_LAST);
	assert_int_equal(fake.calls, 2);
	assert_string_equal(listview_selected_key(lv), "k0999");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	assert_string_equal(listview_key_at(lv, 0), "k0980");
	/* End again: already there, nothing fetched */
	go(lv, LISTVIEW_END, 1);
	assert_int_equal(fake.calls, 2);
	/* up a page from the last page: the rows before its first key */
	go(lv, LISTVIEW_PAGE_UP, 1);
	assert_int_equal(fake.last_call, CALL_BEFORE);
	assert_string_equal(fake.last_key, "k0980");
	assert_string_equal(listview_key_at(lv, 0), "k0960");
	assert_string_equal(listview_selected_key(lv), "k0979");
	go(lv, LISTVIEW_HOME, 1);
	assert_int_equal(fake.last_call, CALL_FIRST);
	assert_string_equal(listview_selected_key(lv), "k0000");
	assert_int_equal(listview_selected_row(lv), 0);
	assert_true(fake.max_n <= HEIGHT);
	listview_free(lv);
}

static void test_listview_up_from_the_first_row_held_fetches_the_page_before(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	go(lv, LISTVIEW_END, 1);
	go(lv, LISTVIEW_UP, HEIGHT - 1);
	assert_string_equal(listview_selected_key(lv), "k0980");
	assert_int_equal(fake.calls, 2);
	go(lv, LISTVIEW_UP, 1);
	assert_int_equal(fake.last_call, CALL_BEFORE);
	assert_string_equal(fake.last_key, "k0980");
	assert_string_equal(listview_selected_key(lv), "k0979");
	assert_int_equal(listview_selected_row(lv), 0);
	listview_free(lv);
}

static void test_listview_stops_at_both_ends_without_fetching_again(void **state)
{
	struct listview *lv = open_list();

	(void)state;
	go(lv, LISTVIEW_UP, 3);
	go(lv, LISTVIEW_PAGE_UP, 1);
	go(lv, LISTVIEW_HOME, 1);
	assert_int_equal(fake.calls, 1);
	assert_string_equal(listview_selected_key(lv), "k0000");
	go(lv, LISTVIEW_END, 1);
	go(lv, LISTVIEW_DOWN, 3);
	go(lv, LISTVIEW_PAGE_DOWN, 1);
	assert_int_equal(fake.calls, 2);
	assert_string_equal(listview_selected_key(lv), "k0999");
	listview_free(lv);
}

static void test_listview_reload_keeps_the_selection_on_the_same_data_row(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	go(lv, LISTVIEW_PAGE_DOWN, 5);
	go(lv, LISTVIEW_DOWN, 7);
	assert_string_equal(listview_selected_key(lv), "k0107");
	assert_int_equal(listview_selected_row(lv), 7);
	fake.calls = 0;
	assert_int_equal(listview_reload(lv, &err), 0);
	assert_int_equal(fake.calls, 2);
	assert_string_equal(listview_selected_key(lv), "k0107");
	assert_int_equal(listview_selected_row(lv), 7);
	assert_string_equal(listview_key_at(lv, 0), "k0100");
	/* the rows above the selection were asked for by its key */
	assert_int_equal(fake.ncalls[CALL_BEFORE], 1);
	assert_true(fake.max_n <= HEIGHT);
	listview_free(lv);
}

static void test_listview_reload_after_rows_above_go_keeps_the_same_data_row(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	go(lv, LISTVIEW_DOWN, 30);
	assert_string_equal(listview_selected_key(lv), "k0030");
	fake.gone[25] = fake.gone[29] = true;
	assert_int_equal(listview_reload(lv, &err), 0);
	assert_string_equal(listview_selected_key(lv), "k0030");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	listview_free(lv);
}

static void test_listview_reload_moves_to_the_next_row_when_the_selected_one_went(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	go(lv, LISTVIEW_DOWN, 5);
	fake.gone[5] = true;
	assert_int_equal(listview_reload(lv, &err), 0);
	assert_string_equal(listview_selected_key(lv), "k0006");
	assert_int_equal(listview_selected_row(lv), 5);
	/* the reload learnt that the list starts on screen */
	fake.calls = 0;
	go(lv, LISTVIEW_HOME, 1);
	assert_int_equal(fake.calls, 0);
	/* the last row going: the one before it */
	go(lv, LISTVIEW_END, 1);
	fake.gone[999] = true;
	assert_int_equal(listview_reload(lv, &err), 0);
	assert_string_equal(listview_selected_key(lv), "k0998");
	listview_free(lv);
}

/* A record just saved, selected by its key: near the end of the list the
 * rows above it fill the screen, not a lone row at the top. */
static void test_listview_reload_at_a_key_near_the_end_fills_the_screen(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_reload_at(lv, "k0995", &err), 0);
	assert_string_equal(listview_selected_key(lv), "k0995");
	assert_string_equal(listview_key_at(lv, 0), "k0980");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 5);
	assert_string_equal(listview_key_at(lv, HEIGHT - 1), "k0999");
	/* in the middle of the list: where the selection was on screen */
	go(lv, LISTVIEW_HOME, 1);
	go(lv, LISTVIEW_DOWN, 3);
	assert_int_equal(listview_reload_at(lv, "k0500", &err), 0);
	assert_string_equal(listview_selected_key(lv), "k0500");
	assert_int_equal(listview_selected_row(lv), 3);
	/* and Home still knows where the list starts */
	fake.calls = 0;
	go(lv, LISTVIEW_HOME, 1);
	assert_string_equal(listview_selected_key(lv), "k0000");
	listview_free(lv);
}

static void test_listview_filter_is_passed_to_the_source_and_refetches(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	go(lv, LISTVIEW_DOWN, 3);
	assert_int_equal(listview_set_filter(lv, "服务站", &err), 0);
	assert_int_equal(fake.last_call, CALL_FIRST);
	assert_string_equal(fake.last_filter, "服务站");
	assert_string_equal(listview_filter(lv), "服务站");
	assert_string_equal(listview_selected_key(lv), "k0000");
	assert_string_equal(listview_key_at(lv, 1), "k0010");
	/* moves keep asking with the filter */
	go(lv, LISTVIEW_PAGE_DOWN, 1);
	assert_string_equal(fake.last_filter, "服务站");
	assert_string_equal(listview_key_at(lv, 0), "k0200");
	/* Esc clears it */
	assert_int_equal(listview_set_filter(lv, NULL, &err), 0);
	assert_string_equal(listview_filter(lv), "");
	assert_string_equal(fake.last_filter, "");
	assert_string_equal(listview_key_at(lv, 1), "k0001");
	listview_free(lv);
}

static void test_listview_filter_matching_nothing_leaves_an_empty_list(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_set_filter(lv, "没有", &err), 0);
	assert_null(listview_selected_key(lv));
	assert_int_equal(listview_selected_row(lv), -1);
	go(lv, LISTVIEW_DOWN, 1);
	go(lv, LISTVIEW_END, 1);
	assert_null(listview_key_at(lv, 0));
	listview_free(lv);
}

static void test_listview_failed_fetch_leaves_list_and_filter_unchanged(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	fake.fail = true;
	assert_int_equal(listview_move(lv, LISTVIEW_DOWN, &err), -1);
	assert_string_equal(err.msg, "connection lost");
	assert_string_equal(listview_selected_key(lv), "k0019");
	assert_int_equal(listview_set_filter(lv, "站", &err), -1);
	assert_string_equal(listview_filter(lv), "");
	assert_int_equal(listview_reload(lv, &err), -1);
	assert_string_equal(listview_selected_key(lv), "k0019");
	assert_int_equal(listview_selected_row(lv), HEIGHT - 1);
	fake.fail = false;
	go(lv, LISTVIEW_DOWN, 1);
	assert_string_equal(listview_selected_key(lv), "k0020");
	listview_free(lv);
}

/* ---- what to redraw ---- */

static void test_listview_first_draw_redraws_everything(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;

	(void)state;
	listview_changes(lv, &ch);
	assert_true(ch.all);
	listview_drawn(lv);
	listview_changes(lv, &ch);
	assert_false(ch.all);
	assert_int_equal(ch.scroll, 0);
	assert_false(listview_row_stale(lv, &ch, 0));
	listview_invalidate(lv);
	listview_changes(lv, &ch);
	assert_true(ch.all);
	listview_free(lv);
}

static void test_listview_moving_within_the_page_redraws_two_rows(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;
	int rows[HEIGHT];

	(void)state;
	go(lv, LISTVIEW_DOWN, 4);
	listview_drawn(lv);
	go(lv, LISTVIEW_DOWN, 1);
	listview_changes(lv, &ch);
	assert_false(ch.all);
	assert_int_equal(ch.scroll, 0);
	assert_int_equal(stale_rows(lv, &ch, rows), 2);
	assert_int_equal(rows[0], 4);
	assert_int_equal(rows[1], 5);
	listview_free(lv);
}

static void test_listview_moving_down_past_the_bottom_scrolls_by_one(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;
	int rows[HEIGHT];

	(void)state;
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	listview_drawn(lv);
	go(lv, LISTVIEW_DOWN, 1);
	listview_changes(lv, &ch);
	assert_false(ch.all);
	assert_int_equal(ch.scroll, 1);
	/* the old selection, now one row up, and the new bottom row */
	assert_int_equal(stale_rows(lv, &ch, rows), 2);
	assert_int_equal(rows[0], HEIGHT - 2);
	assert_int_equal(rows[1], HEIGHT - 1);
	/* a caller that cannot scroll compares rows where they are: all moved */
	ch.scroll = 0;
	assert_int_equal(stale_rows(lv, &ch, rows), HEIGHT);
	listview_free(lv);
}

static void test_listview_moving_up_past_the_top_scrolls_by_minus_one(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;
	int rows[HEIGHT];

	(void)state;
	go(lv, LISTVIEW_END, 1);
	go(lv, LISTVIEW_UP, HEIGHT - 1);
	listview_drawn(lv);
	go(lv, LISTVIEW_UP, 1);
	listview_changes(lv, &ch);
	assert_int_equal(ch.scroll, -1);
	assert_int_equal(stale_rows(lv, &ch, rows), 2);
	assert_int_equal(rows[0], 0);
	assert_int_equal(rows[1], 1);
	listview_free(lv);
}

static void test_listview_several_moves_before_a_draw_add_up(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;
	int rows[HEIGHT];

	(void)state;
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	listview_drawn(lv);
	go(lv, LISTVIEW_DOWN, 3); /* type-ahead: three Downs, one draw */
	listview_changes(lv, &ch);
	assert_int_equal(ch.scroll, 3);
	assert_int_equal(stale_rows(lv, &ch, rows), 4);
	assert_int_equal(rows[0], HEIGHT - 4); /* the old selection */
	listview_free(lv);
}

static void test_listview_reload_redraws_every_row(void **state)
{
	struct listview *lv = open_list();
	struct listview_changes ch;
	struct sgz_err err;
	int rows[HEIGHT];

	(void)state;
	sgz_err_clear(&err);
	listview_drawn(lv);
	assert_int_equal(listview_reload(lv, &err), 0);
	listview_changes(lv, &ch);
	/* the data may have changed under the same keys */
	assert_int_equal(ch.scroll, 0);
	assert_int_equal(stale_rows(lv, &ch, rows), HEIGHT);
	listview_free(lv);
}

/* ---- text in columns ---- */

static void assert_fit(const char *s, int width, enum listview_align align, const wchar_t *want)
{
	wchar_t in[64], out[64];
	size_t n = mbstowcs(in, s, 64);

	listview_fit(in, n, width, align, out, 64);
	if (wcscmp(out, want) != 0)
		fail_msg("\"%s\" in %d columns: \"%ls\", want \"%ls\"", s, width, out, want);
}

static void test_listview_fit_cuts_before_a_half_character_and_pads_a_space(void **state)
{
	(void)state;
	assert_fit("社会工作服务站", 7, LISTVIEW_LEFT, L"社会工\u2026");
	assert_fit("社会工作服务站", 8, LISTVIEW_LEFT, L"社会工\u2026 ");
	assert_fit("社会工作服务站", 14, LISTVIEW_LEFT, L"社会工作服务站");
	assert_fit("社会工作服务站", 1, LISTVIEW_LEFT, L"\u2026");
	assert_fit("社区a", 6, LISTVIEW_LEFT, L"社区a ");
}

static void test_listview_fit_marks_a_cut_name_or_number(void **state)
{
	(void)state;
	/* 1440000.00 cut to 1440000.0 would read as a whole, wrong amount */
	assert_fit("1440000.00", 9, LISTVIEW_RIGHT, L"1440000.\u2026");
	assert_fit("1440000.00", 10, LISTVIEW_RIGHT, L"1440000.00");
	assert_fit("东丽区志愿服务站", 12, LISTVIEW_LEFT, L"东丽区志愿\u2026 ");
	assert_fit("合同金额(元)", 9, LISTVIEW_LEFT, L"合同金额\u2026");
	/* trailing combining marks are no cut */
	assert_fit("e\xcc\x81", 1, LISTVIEW_LEFT, L"e\x0301");
}

static void test_listview_fit_right_aligns_numbers(void **state)
{
	(void)state;
	assert_fit("42", 5, LISTVIEW_RIGHT, L"   42");
	assert_fit("12.5", 4, LISTVIEW_RIGHT, L"12.5");
	assert_fit("社工", 5, LISTVIEW_RIGHT, L" 社工");
}

static void test_listview_fit_shows_control_characters_as_question_marks(void **state)
{
	wchar_t out[16];

	(void)state;
	listview_fit(L"a\x1b[m\n", 5, 6, LISTVIEW_LEFT, out, 16);
	assert_true(wcscmp(out, L"a?[m? ") == 0);
}

static void test_listview_fit_never_overruns_a_small_buffer(void **state)
{
	wchar_t out[5];

	(void)state;
	/* combining marks are dropped before the padding is */
	assert_int_equal(listview_fit(L"e\x0301\x0301\x0301", 4, 4, LISTVIEW_LEFT, out, 5), 4);
	assert_true(wcscmp(out, L"e   ") == 0);
}

static void test_listview_line_has_the_frozen_column_and_scrolls_the_rest(void **state)
{
	struct listview *lv = open_list();
	wchar_t line[128];
	int hl;

	(void)state;
	/* 编号 5 + 1 + 名称 16 + 1 + 时数 6 = 29 of 40 columns */
	listview_line(lv, 0, line, 128, &hl);
	assert_true(wcscmp(line, L"k0000 社会工作服务站0       0           ") == 0);
	assert_int_equal(hl, 29);
	listview_line(lv, -1, line, 128, &hl);
	assert_true(wcscmp(line, L"编号  名称               时数           ") == 0);
	/* everything fits: nothing to scroll */
	assert_int_equal(listview_scroll_columns(lv, 1), -1);
	listview_free(lv);
}

static void test_listview_narrow_list_cuts_the_last_column_and_scrolls_by_column(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;
	wchar_t line[128];
	int hl;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_resize(lv, HEIGHT, 20, &err), 0);
	/* 5 + 1 + 14 of the 16 columns of 名称: 社会工作服务站0 is cut, and
	 * marked so */
	listview_line(lv, 0, line, 128, &hl);
	assert_true(wcscmp(line, L"k0000 社会工作服务\u2026 ") == 0);
	listview_line(lv, -1, line, 128, &hl);
	assert_true(wcscmp(line, L"编号  名称          ") == 0);
	assert_int_equal(listview_resize(lv, HEIGHT, 19, &err), 0);
	listview_line(lv, 0, line, 128, &hl);
	assert_true(wcscmp(line, L"k0000 社会工作服务\u2026") == 0);
	/* scrolled: the frozen 编号, then 时数 */
	assert_int_equal(listview_scroll_columns(lv, 1), 0);
	assert_int_equal(listview_first_column(lv), 2);
	listview_line(lv, 1, line, 128, &hl);
	assert_true(wcscmp(line, L"k0001      3       ") == 0);
	assert_int_equal(hl, 12);
	assert_int_equal(listview_scroll_columns(lv, 1), -1);
	/* wide again: everything fits, nothing scrolled */
	assert_int_equal(listview_resize(lv, HEIGHT, WIDTH, &err), 0);
	assert_int_equal(listview_first_column(lv), 1);
	listview_free(lv);
}

static void test_listview_highlight_can_cover_only_the_frozen_column(void **state)
{
	struct listview *lv = open_list();
	wchar_t line[128];
	int hl;

	(void)state;
	listview_set_highlight(lv, LISTVIEW_HIGHLIGHT_FIRST);
	listview_line(lv, 0, line, 128, &hl);
	assert_int_equal(hl, 5);
	listview_line(lv, -1, line, 128, &hl);
	assert_int_equal(hl, 29); /* the header keeps its look */
	listview_set_highlight(lv, LISTVIEW_HIGHLIGHT_ROW);
	listview_line(lv, 0, line, 128, &hl);
	assert_int_equal(hl, 29);
	listview_free(lv);
}

static void test_listview_blank_rows_below_the_end_have_no_highlight(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;
	wchar_t line[128];
	int hl = -1;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_set_filter(lv, "服务站99", &err), 0);
	listview_line(lv, 0, line, 128, &hl);
	assert_int_equal(hl, 29);
	listview_line(lv, 1, line, 128, &hl);
	assert_int_equal(hl, 0);
	assert_int_equal(wcsspn(line, L" "), WIDTH);
	listview_free(lv);
}

/* ---- drawing, into a pad ---- */

static SCREEN *screen;
static FILE *devnull;

static int curses_up(void **state)
{
	(void)state;
	devnull = fopen("/dev/null", "w+");
	if (!devnull)
		return -1;
	screen = newterm("dumb", devnull, devnull);
	return screen ? 0 : -1;
}

static int curses_down(void **state)
{
	(void)state;
	endwin();
	delscreen(screen);
	fclose(devnull);
	return 0;
}

/* The text of row y of win from column 0, each double-width character
 * once, and the attribute of its first cell. */
static char *row_text(WINDOW *win, int y, int width, attr_t *first_attr)
{
	wchar_t line[128], wch[CCHARW_MAX + 1];
	size_t n = 0;
	cchar_t cc;
	attr_t a;
	short pair;
	int c, w;
	char *out = malloc(512);

	for (c = 0; c < width; c += w) {
		mvwin_wch(win, y, c, &cc);
		getcchar(&cc, wch, &a, &pair, NULL);
		if (c == 0 && first_attr)
			*first_attr = a & ~A_COLOR;
		line[n++] = wch[0];
		w = wcwidth(wch[0]) > 1 ? 2 : 1;
	}
	line[n] = L'\0';
	wcstombs(out, line, 512);
	return out;
}

static void assert_row(WINDOW *win, int y, const char *key, bool selected)
{
	attr_t a = 0;
	char *s = row_text(win, y, WIDTH, &a);

	if (strncmp(s, key, strlen(key)) != 0)
		fail_msg("row %d is \"%s\", want %s", y, s, key);
	free(s);
	assert_int_equal(a & A_REVERSE, selected ? A_REVERSE : 0);
}

static void test_listview_draw_shows_the_header_and_highlights_the_selected_row(void **state)
{
	WINDOW *pad = newpad(HEIGHT + 1, WIDTH);
	struct listview *lv = open_list();
	char *s;

	(void)state;
	go(lv, LISTVIEW_DOWN, 2);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	s = row_text(pad, 0, WIDTH, NULL);
	assert_string_equal(s, "编号  名称               时数           ");
	free(s);
	assert_row(pad, 1, "k0000", false);
	assert_row(pad, 3, "k0002", true);
	assert_row(pad, HEIGHT, "k0019", false);
	listview_free(lv);
	delwin(pad);
}

static void test_listview_draw_scrolls_the_rows_and_draws_the_new_one(void **state)
{
	WINDOW *pad = newpad(HEIGHT + 1, WIDTH);
	struct listview *lv = open_list();
	struct listview_changes ch;
	int r;

	(void)state;
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	go(lv, LISTVIEW_DOWN, 2);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	for (r = 0; r < HEIGHT; r++)
		assert_row(pad, 1 + r, listview_key_at(lv, r), r == HEIGHT - 1);
	assert_row(pad, HEIGHT, "k0021", true);
	/* the header stayed where it was */
	assert_row(pad, 0, "编号", false);
	listview_changes(lv, &ch);
	assert_false(ch.all);
	assert_int_equal(ch.scroll, 0);
	assert_false(listview_row_stale(lv, &ch, HEIGHT - 1));
	/* and back up past the top */
	go(lv, LISTVIEW_UP, HEIGHT + 1);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	for (r = 0; r < HEIGHT; r++)
		assert_row(pad, 1 + r, listview_key_at(lv, r), r == 0);
	assert_row(pad, 1, "k0000", true);
	listview_free(lv);
	delwin(pad);
}

static void test_listview_draw_beside_other_text_does_not_scroll_it(void **state)
{
	WINDOW *pad = newpad(HEIGHT + 1, WIDTH + 10);
	struct listview *lv = open_list();
	char *s;
	int r;

	(void)state;
	for (r = 0; r <= HEIGHT; r++)
		mvwprintw(pad, r, WIDTH + 1, "side%d", r);
	go(lv, LISTVIEW_DOWN, HEIGHT - 1);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	go(lv, LISTVIEW_DOWN, 1);
	listview_draw(pad, 0, 0, lv, A_BOLD, A_REVERSE);
	for (r = 0; r < HEIGHT; r++)
		assert_row(pad, 1 + r, listview_key_at(lv, r), r == HEIGHT - 1);
	s = row_text(pad, 5, WIDTH + 10, NULL);
	assert_non_null(strstr(s, "side5"));
	free(s);
	listview_free(lv);
	delwin(pad);
}

static void test_listview_keys_move_and_leave_the_others(void **state)
{
	struct listview *lv = open_list();
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(listview_key(lv, true, KEY_DOWN, &err), LISTVIEW_KEY_DONE);
	assert_int_equal(listview_key(lv, true, KEY_NPAGE, &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_selected_key(lv), "k0021");
	assert_int_equal(listview_key(lv, true, KEY_HOME, &err), LISTVIEW_KEY_DONE);
	assert_string_equal(listview_selected_key(lv), "k0000");
	assert_int_equal(listview_key(lv, false, L'/', &err), LISTVIEW_KEY_OTHER);
	assert_int_equal(listview_key(lv, true, KEY_ENTER, &err), LISTVIEW_KEY_OTHER);
	assert_int_equal(listview_key(lv, false, L'a', &err), LISTVIEW_KEY_OTHER);
	fake.fail = true;
	assert_int_equal(listview_key(lv, true, KEY_END, &err), LISTVIEW_KEY_FAILED);
	listview_free(lv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listview_opens_on_the_first_page_and_selects_its_first_row),
	    cmocka_unit_test(
		test_listview_moving_down_past_the_page_fetches_the_page_after_its_last_key),
	    cmocka_unit_test(test_listview_page_down_shows_the_next_page_by_key),
	    cmocka_unit_test(test_listview_letter_twins_page_as_pgdn_and_pgup),
	    cmocka_unit_test(test_listview_paging_through_everything_holds_only_a_few_pages),
	    cmocka_unit_test(test_listview_end_fetches_the_last_page_and_home_the_first),
	    cmocka_unit_test(test_listview_up_from_the_first_row_held_fetches_the_page_before),
	    cmocka_unit_test(test_listview_stops_at_both_ends_without_fetching_again),
	    cmocka_unit_test(test_listview_reload_keeps_the_selection_on_the_same_data_row),
	    cmocka_unit_test(test_listview_reload_after_rows_above_go_keeps_the_same_data_row),
	    cmocka_unit_test(test_listview_reload_moves_to_the_next_row_when_the_selected_one_went),
	    cmocka_unit_test(test_listview_reload_at_a_key_near_the_end_fills_the_screen),
	    cmocka_unit_test(test_listview_filter_is_passed_to_the_source_and_refetches),
	    cmocka_unit_test(test_listview_filter_matching_nothing_leaves_an_empty_list),
	    cmocka_unit_test(test_listview_failed_fetch_leaves_list_and_filter_unchanged),
	    cmocka_unit_test(test_listview_first_draw_redraws_everything),
	    cmocka_unit_test(test_listview_moving_within_the_page_redraws_two_rows),
	    cmocka_unit_test(test_listview_moving_down_past_the_bottom_scrolls_by_one),
	    cmocka_unit_test(test_listview_moving_up_past_the_top_scrolls_by_minus_one),
	    cmocka_unit_test(test_listview_several_moves_before_a_draw_add_up),
	    cmocka_unit_test(test_listview_reload_redraws_every_row),
	    cmocka_unit_test(test_listview_fit_cuts_before_a_half_character_and_pads_a_space),
	    cmocka_unit_test(test_listview_fit_right_aligns_numbers),
	    cmocka_unit_test(test_listview_fit_marks_a_cut_name_or_number),
	    cmocka_unit_test(test_listview_fit_shows_control_characters_as_question_marks),
	    cmocka_unit_test(test_listview_fit_never_overruns_a_small_buffer),
	    cmocka_unit_test(test_listview_line_has_the_frozen_column_and_scrolls_the_rest),
	    cmocka_unit_test(test_listview_narrow_list_cuts_the_last_column_and_scrolls_by_column),
	    cmocka_unit_test(test_listview_highlight_can_cover_only_the_frozen_column),
	    cmocka_unit_test(test_listview_blank_rows_below_the_end_have_no_highlight),
	    cmocka_unit_test(test_listview_draw_shows_the_header_and_highlights_the_selected_row),
	    cmocka_unit_test(test_listview_draw_scrolls_the_rows_and_draws_the_new_one),
	    cmocka_unit_test(test_listview_draw_beside_other_text_does_not_scroll_it),
	    cmocka_unit_test(test_listview_keys_move_and_leave_the_others),
	};

	/* wcwidth knows CJK only in a UTF-8 locale */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, curses_up, curses_down);
}
