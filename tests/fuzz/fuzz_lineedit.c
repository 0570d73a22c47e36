/* fuzz_lineedit.c - libFuzzer target: the line editor (src/tui/lineedit.c),
 * its pure wchar_t model fed key sequences, and its draw function into a
 * curses window that never reaches a terminal.
 *
 * The input is a field (width, maximum, one or many lines) and then a
 * sequence of operations: keys as wget_wch() returns them (characters,
 * function keys, controls), the model's own calls, pastes, replacing the
 * text with UTF-8 bytes, resizing. Characters come from a palette of the
 * hard cases (CJK, combining and zero-width marks, emoji, controls, line
 * breaks) or are any code point. After each operation it checks what
 * lineedit.h promises: the cursor in the text and its column in the field,
 * the slice filling the field exactly, the maximum kept, the text
 * NUL-terminated and unchanged through UTF-8.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sgz/lineedit.h"
#include "sgz/util.h"
#include "sgz/width.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The field is drawn at this column, so that its widest fits in 80. */
#define FIELD_X	  3
#define MAX_WIDTH 40

static WINDOW *win;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	SCREEN *scr;
	FILE *out, *in;

	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	/* A screen on /dev/null: the window's cells are all the draw touches. */
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (!out || !in)
		abort();
	scr = newterm("vt100", out, in);
	if (!scr)
		abort();
	win = newwin(3, 80, 0, 0);
	if (!win)
		abort();
	return 0;
}

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_lineedit: %s\n", what);
		abort();
	}
}

/* The input, read a byte at a time; 0 once it runs out. */
struct input {
	const uint8_t *p, *end;
};

static unsigned byte(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

static int more(const struct input *in)
{
	return in->p < in->end;
}

/* A character: one of the hard cases, or (high bit set) any code point. */
static wchar_t character(struct input *in)
{
	/* narrow and wide; CJK extension B, an emoji; combining, zero-width,
	 * joiner, variation selector, soft hyphen; Thai and its mark; controls;
	 * the break mark, the replacement character, a surrogate, past Unicode */
	static const wchar_t palette[] = L"a X中文ｗ\u3000"
					 L"\U00020000\U0001F600"
					 L"\u0301\u200B\u200D\uFE0F\u00AD"
					 L"\u0E01\u0E31"
					 L"\n\r\t\x01\x1B\x7F\x85\xA0"
					 L"\u23CE\uFFFD"
					 L"\xD800"
					 L"\x110000";
	unsigned b = byte(in);

	if (b & 0x80) {
		uint32_t cp = (uint32_t)(b & 0x7F) << 16;

		cp |= byte(in) << 8;
		cp |= byte(in);
		return (wchar_t)(cp % 0x110100);
	}
	return palette[b % (SGZ_ARRAY_LEN(palette) - 1)]; /* not its NUL */
}

static void check_model(const struct lineedit *le, size_t max)
{
	struct lineedit_slice sl;
	size_t len, cursor = lineedit_cursor(le);
	const wchar_t *text = lineedit_text(le, &len);
	int width = lineedit_width(le);
	char *utf8;
	wchar_t *back;
	size_t nback;

	check(len == lineedit_len(le), "lineedit_text() and lineedit_len() differ");
	check(text[len] == L'\0' && wcslen(text) == len, "the text is not NUL-terminated");
	check(max == 0 || len <= max, "the text is longer than its maximum");
	check(cursor <= len, "the cursor is past the text");
	check(lineedit_scroll(le) >= 0, "a negative scroll");
	lineedit_slice(le, &sl);
	if (width > 0) {
		int col = lineedit_cursor_col(le);

		check(col >= 0 && col < width, "the cursor is outside the field");
		check(sl.lead >= 0 && sl.lead <= 1 && sl.trail >= 0 && sl.trail <= 1 &&
			  sl.fill >= 0 && sl.text_cols >= 0,
		      "a slice with a negative or wide part");
		check(sl.lead + sl.text_cols + sl.trail + sl.fill == width,
		      "the slice does not fill the field");
		check(sl.first <= len && sl.count <= len - sl.first, "the slice is past the text");
		check(width_wcs(text + sl.first, sl.count) == sl.text_cols,
		      "the slice's columns are not its characters'");
	}
	/* through UTF-8 and back: what a save and a reload do */
	utf8 = lineedit_get_utf8(le);
	back = width_from_utf8(utf8, &nback);
	check(nback == len && !wmemcmp(back, text, len), "the text changes through UTF-8");
	free(back);
	free(utf8);
}

static void draw(const struct lineedit *le, struct input *in)
{
	static const wchar_t pads[] = {L'_', L'.', L' '};

	if (lineedit_width(le) > MAX_WIDTH)
		return;
	attr_t attr = byte(in) & 1 ? A_REVERSE : A_NORMAL;

	lineedit_draw(win, 1, FIELD_X, le, attr, pads[byte(in) % SGZ_ARRAY_LEN(pads)], true);
	if (lineedit_width(le) > 0)
		check(getcurx(win) == FIELD_X + lineedit_cursor_col(le),
		      "the window's cursor is not the field's");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fn_keys[] = {KEY_LEFT,	  KEY_RIGHT, KEY_HOME,	KEY_END,  KEY_BACKSPACE,
				      KEY_DC,	  KEY_UP,    KEY_DOWN,	KEY_F(2), KEY_ENTER,
				      KEY_RESIZE, KEY_BTAB,  KEY_NPAGE, KEY_F(5)};
	static const wint_t ctrl_keys[] = {0x01, 0x05, 0x0B, 0x15, 0x08, 0x7F, 0x0A,
					   0x0D, 0x09, 0x04, 0x17, 0x1B, 0x00, 0x03};
	struct input in = {data, data + size};
	int width = (int)(byte(&in) % (MAX_WIDTH + 1));
	size_t max = byte(&in) % 24;
	struct lineedit *le = lineedit_new(width, max);
	wchar_t paste[32];
	char bytes[32];
	size_t n;

	lineedit_set_multiline(le, byte(&in) & 1);
	werase(win);
	check_model(le, max);
	while (more(&in)) {
		switch (byte(&in) % 18) {
		case 0:
		case 1:
		case 2:
			(void)lineedit_key(le, false, (wint_t)character(&in));
			break;
		case 3:
			(void)lineedit_key(le, true,
					   (wint_t)fn_keys[byte(&in) % SGZ_ARRAY_LEN(fn_keys)]);
			break;
		case 4:
			(void)lineedit_key(le, false,
					   ctrl_keys[byte(&in) % SGZ_ARRAY_LEN(ctrl_keys)]);
			break;
		case 5:
			(void)lineedit_insert(le, character(&in));
			break;
		case 6:
			n = byte(&in) % SGZ_ARRAY_LEN(paste);
			for (size_t i = 0; i < n; i++)
				paste[i] = character(&in);
			(void)lineedit_paste(le, paste, n);
			break;
		case 7:
			n = byte(&in) % SGZ_ARRAY_LEN(bytes);
			for (size_t i = 0; i < n; i++) {
				unsigned b = byte(&in);

				bytes[i] = (char)(b ? b : '0'); /* no NUL inside */
			}
			bytes[n] = '\0';
			(void)lineedit_set_utf8(le, byte(&in) & 1 ? bytes : NULL);
			break;
		case 8:
			(void)lineedit_backspace(le);
			break;
		case 9:
			(void)lineedit_delete(le);
			break;
		case 10:
			(void)lineedit_clear(le);
			break;
		case 11:
			(void)lineedit_kill_to_start(le);
			break;
		case 12:
			(void)lineedit_left(le);
			break;
		case 13:
			(void)lineedit_right(le);
			break;
		case 14:
			(void)(byte(&in) & 1 ? lineedit_home(le) : lineedit_end(le));
			break;
		case 15:
			lineedit_set_width(le, (int)(byte(&in) % (MAX_WIDTH + 1)));
			break;
		case 16:
			lineedit_set_multiline(le, byte(&in) & 1);
			break;
		case 17:
			draw(le, &in);
			break;
		}
		check_model(le, max);
	}
	draw(le, &in);
	lineedit_free(le);
	return 0;
}
