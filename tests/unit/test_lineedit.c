/* test_lineedit.c - the line editor's model with Chinese text, no terminal;
 * the key mapping; and the draw function into a curses pad in memory. */
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

#include "sgz/lineedit.h"

static void type(struct lineedit *le, const wchar_t *s)
{
	for (; *s; s++)
		assert_int_equal(lineedit_insert(le, *s), 0);
}

static void assert_text(const struct lineedit *le, const char *utf8)
{
	char *s = lineedit_get_utf8(le);

	assert_string_equal(s, utf8);
	free(s);
}

static void test_lineedit_cursor_column_counts_chinese_as_two(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	assert_int_equal(lineedit_insert(le, L'中'), 0);
	assert_int_equal(lineedit_cursor(le), 1);
	assert_int_equal(lineedit_cursor_col(le), 2);
	assert_int_equal(lineedit_insert(le, L'文'), 0);
	assert_int_equal(lineedit_cursor_col(le), 4);
	assert_int_equal(lineedit_insert(le, L'a'), 0);
	assert_int_equal(lineedit_cursor_col(le), 5);
	assert_int_equal(lineedit_insert(le, L'b'), 0);
	assert_int_equal(lineedit_cursor(le), 4);
	assert_int_equal(lineedit_cursor_col(le), 6);
	assert_text(le, "中文ab");
	lineedit_free(le);
}

static void test_lineedit_inserts_at_the_cursor_in_the_middle(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	type(le, L"社站");
	assert_int_equal(lineedit_left(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 2);
	type(le, L"工");
	assert_text(le, "社工站");
	assert_int_equal(lineedit_cursor(le), 2);
	assert_int_equal(lineedit_cursor_col(le), 4);
	lineedit_free(le);
}

static void test_lineedit_backspace_and_delete_remove_whole_double_width_characters(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	type(le, L"a中文b");
	assert_int_equal(lineedit_left(le), 0); /* before b */
	assert_int_equal(lineedit_backspace(le), 0);
	assert_text(le, "a中b");
	assert_int_equal(lineedit_cursor_col(le), 3);
	assert_int_equal(lineedit_left(le), 0); /* before 中 */
	assert_int_equal(lineedit_cursor_col(le), 1);
	assert_int_equal(lineedit_delete(le), 0);
	assert_text(le, "ab");
	assert_int_equal(lineedit_cursor_col(le), 1);
	lineedit_free(le);
}

static void test_lineedit_refuses_what_it_cannot_do(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	assert_int_equal(lineedit_backspace(le), -1);
	assert_int_equal(lineedit_delete(le), -1);
	assert_int_equal(lineedit_left(le), -1);
	assert_int_equal(lineedit_right(le), -1);
	assert_int_equal(lineedit_clear(le), -1);
	assert_int_equal(lineedit_insert(le, L'\t'), -1);
	assert_int_equal(lineedit_insert(le, L'\x1b'), -1);
	assert_int_equal(lineedit_insert(le, (wchar_t)0x9b), -1); /* C1 CSI */
	assert_int_equal(lineedit_len(le), 0);
	assert_false(lineedit_dirty(le));
	lineedit_free(le);
}

static void test_lineedit_home_end_and_moves_step_over_characters(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	type(le, L"张三x");
	assert_int_equal(lineedit_home(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 0);
	assert_int_equal(lineedit_home(le), -1);
	assert_int_equal(lineedit_right(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 2);
	assert_int_equal(lineedit_end(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 5);
	assert_int_equal(lineedit_end(le), -1);
	lineedit_free(le);
}

static void test_lineedit_left_right_keep_a_combining_mark_with_its_letter(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	type(le, L"ae\x0301");
	assert_int_equal(lineedit_left(le), 0);
	assert_int_equal(lineedit_cursor(le), 1); /* before e, not between e and its mark */
	assert_int_equal(lineedit_delete(le), 0);
	assert_text(le, "a");
	lineedit_free(le);
}

static void test_lineedit_ctrl_k_clears_the_whole_field(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);

	(void)state;
	type(le, L"社会工作服务站abc");
	assert_int_equal(lineedit_home(le), 0);
	assert_int_equal(lineedit_right(le), 0);
	assert_int_equal(lineedit_key(le, false, 0x0b), LINEEDIT_KEY_DONE); /* Ctrl-K */
	assert_int_equal(lineedit_len(le), 0);
	assert_int_equal(lineedit_cursor(le), 0);
	assert_int_equal(lineedit_scroll(le), 0);
	assert_text(le, "");
	assert_int_equal(lineedit_key(le, false, 0x0b), LINEEDIT_KEY_REFUSED);
	lineedit_free(le);
}

static void test_lineedit_ctrl_u_deletes_up_to_the_cursor(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	type(le, L"北京市海淀区");
	lineedit_left(le);
	lineedit_left(le);
	assert_int_equal(lineedit_key(le, false, 0x15), LINEEDIT_KEY_DONE); /* Ctrl-U */
	assert_text(le, "淀区");
	assert_int_equal(lineedit_cursor(le), 0);
	lineedit_free(le);
}

static void test_lineedit_keys_map_to_edits_and_leave_form_keys_alone(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	assert_int_equal(lineedit_key(le, false, L'站'), LINEEDIT_KEY_DONE);
	assert_int_equal(lineedit_key(le, false, L'?'), LINEEDIT_KEY_DONE); /* text, not help */
	assert_int_equal(lineedit_key(le, true, KEY_LEFT), LINEEDIT_KEY_DONE);
	assert_int_equal(lineedit_cursor(le), 1);
	assert_int_equal(lineedit_key(le, false, 0x01), LINEEDIT_KEY_DONE); /* Ctrl-A */
	assert_int_equal(lineedit_cursor(le), 0);
	assert_int_equal(lineedit_key(le, false, 0x05), LINEEDIT_KEY_DONE); /* Ctrl-E */
	assert_int_equal(lineedit_cursor(le), 2);
	assert_int_equal(lineedit_key(le, false, 0x7f), LINEEDIT_KEY_DONE); /* Backspace */
	assert_int_equal(lineedit_key(le, true, KEY_BACKSPACE), LINEEDIT_KEY_DONE);
	assert_int_equal(lineedit_key(le, true, KEY_BACKSPACE), LINEEDIT_KEY_REFUSED);
	assert_int_equal(lineedit_len(le), 0);
	/* Tab, Enter, Esc, F2, Ctrl-W (save), Ctrl-D (ditto), Ctrl-N, Ctrl-P */
	assert_int_equal(lineedit_key(le, false, L'\t'), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, L'\r'), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, 0x1b), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, true, KEY_F(2)), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, 0x17), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, 0x04), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, 0x0e), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_key(le, false, 0x10), LINEEDIT_KEY_OTHER);
	assert_int_equal(lineedit_len(le), 0);
	lineedit_free(le);
}

static void test_lineedit_scrolls_half_a_field_when_the_cursor_passes_the_right_edge(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);

	(void)state;
	type(le, L"abcdefghi");
	/* 9 columns and the cursor's cell: still fits */
	assert_int_equal(lineedit_scroll(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 9);
	type(le, L"j");
	/* the cursor would be at column 10: the text jumps by half the field */
	assert_int_equal(lineedit_scroll(le), 5);
	assert_int_equal(lineedit_cursor_col(le), 5);
	/* typing on needs no scrolling until the edge again */
	type(le, L"klmm");
	assert_int_equal(lineedit_scroll(le), 5);
	assert_int_equal(lineedit_cursor_col(le), 9);
	/* Home shows the start */
	lineedit_home(le);
	assert_int_equal(lineedit_scroll(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 0);
	lineedit_free(le);
}

static void test_lineedit_scroll_keeps_a_double_width_cursor_character_whole(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);
	int i;

	(void)state;
	type(le, L"社会工作服务站"); /* 14 columns */
	lineedit_home(le);
	/* move right onto 务 (columns 10-11): both its columns must show */
	for (i = 0; i < 5; i++)
		lineedit_right(le);
	assert_int_equal(lineedit_cursor(le), 5);
	assert_true(lineedit_scroll(le) > 0);
	assert_true(lineedit_cursor_col(le) >= 0);
	assert_true(lineedit_cursor_col(le) + 2 <= 10);
	lineedit_free(le);
}

static void test_lineedit_shows_the_whole_text_again_once_it_fits(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);

	(void)state;
	type(le, L"abcdefghij");
	assert_int_equal(lineedit_scroll(le), 5);
	lineedit_backspace(le);
	assert_int_equal(lineedit_scroll(le), 0);
	assert_int_equal(lineedit_cursor_col(le), 9);
	lineedit_free(le);
}

static void test_lineedit_pads_a_double_width_character_cut_by_the_left_edge(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);
	struct lineedit_slice sl;

	(void)state;
	/* a社会工作 fill 9 columns; typing 服 takes the cursor to column
	 * 11: the text jumps to scroll 11 - 10 / 2 = 6, the second half of
	 * 工 (columns 5-6) */
	type(le, L"a社会工作服");
	assert_int_equal(lineedit_scroll(le), 6);
	lineedit_slice(le, &sl);
	assert_int_equal(sl.lead, 1);
	assert_int_equal(sl.first, 4); /* 作 */
	assert_int_equal(sl.count, 2); /* 作服 */
	assert_int_equal(sl.text_cols, 4);
	assert_int_equal(sl.trail, 0);
	assert_int_equal(sl.fill, 5);
	assert_int_equal(lineedit_cursor_col(le), 5);
	/* 务站区 take it to column 17: scroll 12, half of 务 (11-12) */
	type(le, L"务站区");
	assert_int_equal(lineedit_scroll(le), 12);
	lineedit_slice(le, &sl);
	assert_int_equal(sl.lead, 1);
	assert_int_equal(sl.first, 7); /* 站 */
	assert_int_equal(sl.count, 2);
	assert_int_equal(sl.lead + sl.text_cols + sl.trail + sl.fill, 10);
	lineedit_free(le);
}

static void test_lineedit_pads_a_double_width_character_cut_by_the_right_edge(void **state)
{
	struct lineedit *le = lineedit_new(10, 0);
	struct lineedit_slice sl;

	(void)state;
	lineedit_set_utf8(le, "a社会工作服务站");
	lineedit_home(le);
	lineedit_slice(le, &sl);
	/* a 社会工作 = 9 columns; 服 would need columns 9-10 */
	assert_int_equal(sl.lead, 0);
	assert_int_equal(sl.first, 0);
	assert_int_equal(sl.count, 5);
	assert_int_equal(sl.text_cols, 9);
	assert_int_equal(sl.trail, 1);
	assert_int_equal(sl.fill, 0);
	lineedit_free(le);
}

static void test_lineedit_max_length_counts_characters_not_bytes(void **state)
{
	struct lineedit *le = lineedit_new(20, 3);

	(void)state;
	type(le, L"张三丰");
	assert_int_equal(lineedit_insert(le, L'x'), -1);
	assert_int_equal(lineedit_key(le, false, L'y'), LINEEDIT_KEY_REFUSED);
	assert_text(le, "张三丰");
	assert_int_equal(lineedit_set_utf8(le, "欧阳修文"), -1);
	assert_text(le, "欧阳修");
	assert_int_equal(lineedit_set_utf8(le, "欧阳"), 0);
	lineedit_free(le);
}

static void test_lineedit_paste_inserts_the_first_line_in_one_go(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);
	const wchar_t paste[] = L"东城\t街道\r\n第二行";

	(void)state;
	type(le, L"[]");
	lineedit_left(le);
	assert_int_equal(lineedit_paste(le, paste, wcslen(paste)), 0);
	assert_text(le, "[东城 街道]");
	assert_int_equal(lineedit_cursor(le), 6);
	assert_true(lineedit_dirty(le));
	lineedit_free(le);
}

static void test_lineedit_paste_drops_control_characters(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);
	const wchar_t paste[] = L"a\x1b[31mb\x07";

	(void)state;
	assert_int_equal(lineedit_paste(le, paste, wcslen(paste)), 0);
	assert_text(le, "a[31mb");
	lineedit_free(le);
}

static void test_lineedit_paste_stops_at_the_maximum_length(void **state)
{
	struct lineedit *le = lineedit_new(20, 4);
	const wchar_t paste[] = L"社会工作服务站";

	(void)state;
	type(le, L"x");
	assert_int_equal(lineedit_paste(le, paste, wcslen(paste)), -1);
	assert_text(le, "x社会工");
	assert_int_equal(lineedit_cursor(le), 4);
	lineedit_free(le);
}

static void test_lineedit_set_and_get_utf8_and_the_dirty_flag(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);
	size_t n;

	(void)state;
	lineedit_insert(le, L'x');
	assert_int_equal(lineedit_set_utf8(le, "社工站"), 0);
	assert_false(lineedit_dirty(le));	  /* loaded: matches its source */
	assert_int_equal(lineedit_cursor(le), 3); /* at the end */
	assert_int_equal(lineedit_cursor_col(le), 6);
	assert_true(wcscmp(lineedit_text(le, &n), L"社工站") == 0);
	assert_int_equal(n, 3);
	lineedit_insert(le, L'1');
	assert_true(lineedit_dirty(le));
	lineedit_backspace(le);
	assert_true(lineedit_dirty(le)); /* any edit counts */
	lineedit_set_dirty(le, false);
	assert_false(lineedit_dirty(le));
	lineedit_left(le);
	assert_false(lineedit_dirty(le)); /* moving is not editing */
	assert_int_equal(lineedit_set_utf8(le, NULL), 0);
	assert_text(le, "");
	lineedit_free(le);
}

static void test_lineedit_narrower_field_scrolls_to_keep_the_cursor(void **state)
{
	struct lineedit *le = lineedit_new(20, 0);

	(void)state;
	lineedit_set_utf8(le, "社会工作服务站");
	assert_int_equal(lineedit_scroll(le), 0);
	lineedit_set_width(le, 8);
	assert_int_equal(lineedit_width(le), 8);
	assert_true(lineedit_cursor_col(le) >= 0 && lineedit_cursor_col(le) < 8);
	assert_int_equal(lineedit_scroll(le) + lineedit_cursor_col(le), 14);
	lineedit_free(le);
}

/* ---- drawing, into a pad: no terminal needed ---- */

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

/* The text of row y of win, cells read back: each double-width character
 * once. */
static char *row_text(WINDOW *win, int y, int x, int width)
{
	wchar_t line[128], wch[CCHARW_MAX + 1];
	size_t n = 0;
	cchar_t cc;
	attr_t a;
	short pair;
	int c, w;
	char *out = malloc(512);

	for (c = 0; c < width; c += w) {
		mvwin_wch(win, y, x + c, &cc);
		getcchar(&cc, wch, &a, &pair, NULL);
		line[n++] = wch[0];
		w = wcwidth(wch[0]) > 1 ? 2 : 1;
	}
	line[n] = L'\0';
	wcstombs(out, line, 512);
	return out;
}

static void test_lineedit_draw_pads_the_field_and_places_the_cursor(void **state)
{
	WINDOW *pad = newpad(3, 30);
	struct lineedit *le = lineedit_new(10, 0);
	char *s;

	(void)state;
	type(le, L"中文ab");
	lineedit_draw(pad, 1, 2, le, A_NORMAL, L'_', true);
	assert_int_equal(getcury(pad), 1);
	assert_int_equal(getcurx(pad), 2 + 6);
	s = row_text(pad, 1, 2, 10);
	assert_string_equal(s, "中文ab____");
	free(s);
	/* the cell before the field is untouched */
	s = row_text(pad, 1, 0, 2);
	assert_string_equal(s, "  ");
	free(s);
	lineedit_free(le);
	delwin(pad);
}

static void test_lineedit_draw_shows_a_space_for_a_half_cut_character(void **state)
{
	WINDOW *pad = newpad(3, 30);
	struct lineedit *le = lineedit_new(10, 0);
	char *s;

	(void)state;
	lineedit_set_utf8(le, "a社会工作服务站");
	lineedit_home(le);
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'.', false);
	s = row_text(pad, 0, 0, 10);
	assert_string_equal(s, "a社会工作 ");
	free(s);
	lineedit_free(le);
	delwin(pad);
}

static void test_lineedit_draw_writes_nothing_when_nothing_changed(void **state)
{
	WINDOW *pad = newpad(3, 30);
	struct lineedit *le = lineedit_new(10, 0);

	(void)state;
	type(le, L"社工");
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	untouchwin(pad);
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	assert_false(is_linetouched(pad, 0));
	assert_int_equal(getcurx(pad), 4);
	/* the cursor moving is not a change to the cells */
	lineedit_left(le);
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	assert_false(is_linetouched(pad, 0));
	assert_int_equal(getcurx(pad), 2);
	lineedit_end(le);
	type(le, L"站");
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	assert_true(is_linetouched(pad, 0));
	lineedit_free(le);
	delwin(pad);
}

static void test_lineedit_draw_after_insert_in_the_middle_leaves_no_half_character(void **state)
{
	WINDOW *pad = newpad(3, 30);
	struct lineedit *le = lineedit_new(10, 0);
	char *s;

	(void)state;
	type(le, L"社工");
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	lineedit_home(le);
	type(le, L"a");
	lineedit_draw(pad, 0, 0, le, A_NORMAL, L'_', true);
	s = row_text(pad, 0, 0, 10);
	assert_string_equal(s, "a社工_____");
	free(s);
	lineedit_free(le);
	delwin(pad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lineedit_cursor_column_counts_chinese_as_two),
	    cmocka_unit_test(test_lineedit_inserts_at_the_cursor_in_the_middle),
	    cmocka_unit_test(
		test_lineedit_backspace_and_delete_remove_whole_double_width_characters),
	    cmocka_unit_test(test_lineedit_refuses_what_it_cannot_do),
	    cmocka_unit_test(test_lineedit_home_end_and_moves_step_over_characters),
	    cmocka_unit_test(test_lineedit_left_right_keep_a_combining_mark_with_its_letter),
	    cmocka_unit_test(test_lineedit_ctrl_k_clears_the_whole_field),
	    cmocka_unit_test(test_lineedit_ctrl_u_deletes_up_to_the_cursor),
	    cmocka_unit_test(test_lineedit_keys_map_to_edits_and_leave_form_keys_alone),
	    cmocka_unit_test(
		test_lineedit_scrolls_half_a_field_when_the_cursor_passes_the_right_edge),
	    cmocka_unit_test(test_lineedit_scroll_keeps_a_double_width_cursor_character_whole),
	    cmocka_unit_test(test_lineedit_shows_the_whole_text_again_once_it_fits),
	    cmocka_unit_test(test_lineedit_pads_a_double_width_character_cut_by_the_left_edge),
	    cmocka_unit_test(test_lineedit_pads_a_double_width_character_cut_by_the_right_edge),
	    cmocka_unit_test(test_lineedit_max_length_counts_characters_not_bytes),
	    cmocka_unit_test(test_lineedit_paste_inserts_the_first_line_in_one_go),
	    cmocka_unit_test(test_lineedit_paste_drops_control_characters),
	    cmocka_unit_test(test_lineedit_paste_stops_at_the_maximum_length),
	    cmocka_unit_test(test_lineedit_set_and_get_utf8_and_the_dirty_flag),
	    cmocka_unit_test(test_lineedit_narrower_field_scrolls_to_keep_the_cursor),
	    cmocka_unit_test(test_lineedit_draw_pads_the_field_and_places_the_cursor),
	    cmocka_unit_test(test_lineedit_draw_shows_a_space_for_a_half_cut_character),
	    cmocka_unit_test(test_lineedit_draw_writes_nothing_when_nothing_changed),
	    cmocka_unit_test(
		test_lineedit_draw_after_insert_in_the_middle_leaves_no_half_character),
	};

	/* wcwidth knows CJK only in a UTF-8 locale */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, curses_up, curses_down);
}
