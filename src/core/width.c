/* width.c - display width of text in terminal columns, and UTF-8 <-> wchar_t.
 * The conversion is our own strict UTF-8 (RFC 3629), not mbrtowc: it must
 * not depend on LC_CTYPE, and each bad byte must cost exactly one column. */
#include "config.h"

#include "sgz/width.h"

#include <stdint.h>
#include <string.h>

#include "sgz/util.h"

#define REPLACEMENT ((wchar_t)0xFFFD)

int width_wchar(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

int width_wcs(const wchar_t *s, size_t n)
{
	size_t i;
	int cols = 0;

	for (i = 0; i < n; i++)
		cols += width_wchar(s[i]);
	return cols;
}

/* Decodes one character of the NUL-terminated s into *c; returns the bytes
 * it took (at least 1 unless s is at its end). A byte that does not start a
 * valid sequence is taken alone and gives U+FFFD with *bad set. */
static size_t decode(const unsigned char *s, wchar_t *c, int *bad)
{
	unsigned char lo = 0x80, hi = 0xBF;
	uint32_t cp;
	size_t need, i;

	*bad = 0;
	if (s[0] < 0x80) {
		*c = (wchar_t)s[0];
		return s[0] ? 1 : 0;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		need = 1;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 2;
		cp = s[0] & 0x0F;
		if (s[0] == 0xE0)
			lo = 0xA0; /* overlong */
		else if (s[0] == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		need = 3;
		cp = s[0] & 0x07;
		if (s[0] == 0xF0)
			lo = 0x90; /* overlong */
		else if (s[0] == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF */
	} else {
		goto bad;
	}
	for (i = 1; i <= need; i++) {
		if (s[i] < lo || s[i] > hi)
			goto bad; /* also stops at the NUL */
		cp = (cp << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*c = (wchar_t)cp;
	return need + 1;
bad:
	*c = REPLACEMENT;
	*bad = 1;
	return 1;
}

int width_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	wchar_t c;
	size_t n;
	int bad, cols = 0;

	while ((n = decode(p, &c, &bad)) > 0) {
		cols += bad ? 1 : width_wchar(c);
		p += n;
	}
	return cols;
}

size_t width_fit(const wchar_t *s, size_t n, int cols, int *used)
{
	size_t i;
	int w, total = 0;

	for (i = 0; i < n; i++) {
		w = width_wchar(s[i]);
		if (total + w > cols)
			break;
		total += w;
	}
	if (used)
		*used = total;
	return i;
}

size_t width_wrap(const wchar_t *s, size_t n, int cols, size_t *starts, size_t *lens,
		  size_t max)
{
	size_t at = 0, lines = 0;

	while (at < n) {
		size_t fit = width_fit(s + at, n - at, cols, NULL), len = fit;
		if (fit == 0)
			fit = len = 1; /* a character wider than the line: never stall */
		if (at + fit < n && s[at + fit] != L' ') {
			/* not at a word's end: back to the last space, if not too far */
			size_t k = fit;
			while (k > fit / 2 && s[at + k - 1] != L' ')
				k--;
			if (k > fit / 2)
				fit = k, len = k - 1;
		}
		while (len > 0 && s[at + len - 1] == L' ')
			len--;
		if (lines < max) {
			starts[lines] = at;
			lens[lines] = len;
		}
		lines++;
		at += fit;
		while (at < n && s[at] == L' ')
			at++;
	}
	return lines;
}

wchar_t *width_from_utf8(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	wchar_t *out;
	size_t len = 0, k;
	int bad;

	/* never more characters than bytes */
	out = xmalloc((strlen((const char *)p) + 1) * sizeof(*out));
	while ((k = decode(p, &out[len], &bad)) > 0) {
		p += k;
		len++;
	}
	out[len] = L'\0';
	if (n)
		*n = len;
	return out;
}

/* Writes c as UTF-8 at out (room for 4 bytes); returns the bytes written.
 * Surrogates and values beyond Unicode become U+FFFD. */
static size_t encode(wchar_t wc, char *out)
{
	uint32_t c = (uint32_t)wc;

	if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		c = 0xFFFD;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

char *width_to_utf8(const wchar_t *s, size_t n)
{
	char *out;
	size_t i, len = 0;

	if (n > (SIZE_MAX - 1) / 4)
		sgz_fatal("text too long (%zu characters)", n);
	out = xmalloc(n * 4 + 1);
	for (i = 0; i < n; i++)
		len += encode(s[i], out + len);
	out[len] = '\0';
	return out;
}
