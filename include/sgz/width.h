/* width.h - display width of text in terminal columns: CJK characters take
 * two, combining marks none. Pure C over wchar_t and UTF-8 (the locale must
 * be a UTF-8 one for wcwidth). */
#ifndef SGZ_WIDTH_H
#define SGZ_WIDTH_H

#include <stddef.h>
#include <wchar.h>

/* Columns of one character: 0, 1 or 2; non-printable characters count as
 * 1 (they are shown as '?'). */
int width_wchar(wchar_t c);
/* Columns of n wide characters. */
int width_wcs(const wchar_t *s, size_t n);
/* Columns of a UTF-8 string (invalid bytes count 1 each). */
int width_utf8(const char *s);
/* How many of the n characters of s fit in `cols` columns without cutting a
 * double-width one; *used receives their width (may be NULL). */
size_t width_fit(const wchar_t *s, size_t n, int cols, int *used);
/* Breaks the n characters of s into lines of at most cols columns (cols
 * > 1): a line that would cut Latin text breaks after its last space when
 * there is one in its second half; Chinese breaks anywhere. The spaces at a
 * break are dropped. starts[k] and lens[k] receive line k; returns how
 * many lines there are, of which at most max are written. */
size_t width_wrap(const wchar_t *s, size_t n, int cols, size_t *starts, size_t *lens,
		  size_t max);
/* Decodes UTF-8 into a new wide string (invalid bytes become U+FFFD); *n
 * receives its length. Caller frees. */
wchar_t *width_from_utf8(const char *s, size_t *n);
/* Encodes n wide characters as a new UTF-8 string. Caller frees. */
char *width_to_utf8(const wchar_t *s, size_t n);

#endif
