/* csv.c - RFC 4180 reading (libcsv) with encoding detection, and writing.
 *
 * Input is read in fixed chunks and never held whole. A chunk becomes UTF-8
 * text (checked in place, or converted from GB18030 by iconv) and the text is
 * fed to libcsv one physical line at a time, so that every record knows the
 * line it starts on. A line ends in LF, CR LF or a lone CR (old Mac files),
 * as libcsv ends records. A problem found in a chunk (invalid bytes, a NUL)
 * cuts the text short and is reported once the text before it has been
 * parsed: the line count is then exactly the line of the bad byte.
 */
#include "config.h"

#include "sgz/csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The read chunk. tests/fuzz/ builds with a tiny one, so that short inputs
 * try every split of a character or a CR LF between two chunks. */
#ifndef CSV_IN_SIZE
#define CSV_IN_SIZE (64 * 1024)
#endif
#define IN_SIZE CSV_IN_SIZE
/* GB18030 to UTF-8 grows at most 3 bytes for 2. */
#define OUT_SIZE (2 * IN_SIZE + 16)
/* A longer record is almost always a quote that was never closed. */
#define MAX_RECORD (16 * 1024 * 1024)
/* In auto mode, past this many more bad bytes than Chinese characters in
 * UTF-8 the file is GB18030 and need not be read further. */
#define AUTO_BAD_ENOUGH 1024

/* libcsv's parser state before any field of a row (libcsv.c: ROW_NOT_BEGUN). */
#define LIBCSV_ROW_NOT_BEGUN 0

struct utf8_state {
	unsigned need;	      /* continuation bytes still expected */
	unsigned char lo, hi; /* range of the next continuation byte */
	long wide;	      /* lead bytes of 3- and 4-byte characters seen */
	long bad;	      /* bytes utf8_census() stepped over */
};

struct field_ref {
	size_t off, len;
};

struct pending_record {
	size_t first, n;
	long line;
};

struct csv_reader {
	char *name;
	int fd;
	int own_fd;
	off_t size;
	off_t nread; /* bytes read from fd by the main pass */
	enum csv_encoding enc;
	int detected; /* enc was chosen by CSV_ENC_AUTO */
	iconv_t cd;

	/* raw input: [in_pos, in_len) not yet taken */
	char *in;
	size_t in_pos, in_len;
	int eof;
	/* GB18030 converted to UTF-8 */
	char *out;
	int strip_bom;
	struct utf8_state u8;

	/* UTF-8 text being fed to libcsv: [text_pos, text_len) */
	const char *text;
	size_t text_pos, text_len;
	/* reason of a problem just after the text, reported when it runs out */
	char *pending;

	struct csv_parser parser;
	int parser_ready;
	long line;    /* physical line of the next byte fed */
	int after_cr; /* the last byte fed was a CR: an LF next is the same line end */
	int in_record;
	int too_wide;  /* the record being parsed passed CSV_MAX_FIELDS */
	int delivered; /* a record was handed out */
	int mixed;     /* auto mode chose UTF-8 for a file with some bytes that are not */
	long rec_line;
	size_t rec_first; /* first field of the record being parsed */

	/* fields of parsed records, each NUL-terminated */
	char *arena;
	size_t alen, acap;
	struct field_ref *fv;
	size_t nf, fcap;
	struct pending_record *rq;
	size_t nr, rnext, rcap;
	char **ptrs;
	size_t *lens;
	size_t pcap;

	int done;
	int failed;
	struct sgz_err fail;
};

int csv_encoding_parse(const char *s, enum csv_encoding *out)
{
	if (!strcasecmp(s, "auto"))
		*out = CSV_ENC_AUTO;
	else if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
		*out = CSV_ENC_UTF8;
	else if (!strcasecmp(s, "gb18030"))
		*out = CSV_ENC_GB18030;
	else
		return -1;
	return 0;
}

/* Checks n bytes of UTF-8 continuing from st. Returns n, or the index of the
 * first byte that cannot be part of valid UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF included). Counts the leads of 3- and 4-byte
 * characters in st->wide. */
static size_t utf8_check(struct utf8_state *st, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c;

		if (st->need) {
			c = s[i];
			if (c < st->lo || c > st->hi)
				return i;
			st->lo = 0x80;
			st->hi = 0xBF;
			st->need--;
			i++;
			continue;
		}
		/* Mostly ASCII: skip eight bytes at a time. */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xC2 || c > 0xF4)
			return i;
		st->lo = 0x80;
		st->hi = 0xBF;
		if (c < 0xE0) {
			st->need = 1;
		} else if (c < 0xF0) {
			st->need = 2;
			st->wide++;
			if (c == 0xE0)
				st->lo = 0xA0;
			else if (c == 0xED)
				st->hi = 0x9F;
		} else {
			st->need = 3;
			st->wide++;
			if (c == 0xF0)
				st->lo = 0x90;
			else if (c == 0xF4)
				st->hi = 0x8F;
		}
		i++;
	}
	return n;
}

/* Checks n bytes as utf8_check() does but goes on past bytes that are not
 * UTF-8, counting them in st->bad. */
static void utf8_census(struct utf8_state *st, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while ((i += utf8_check(st, s + i, n - i)) < n) {
		st->bad++;
		if (st->need)
			st->need = 0; /* a character cut short: s[i] may start the next */
		else
			i++;
	}
}

/* Auto mode's choice for text that is not all UTF-8: Chinese in UTF-8 is
 * 3-byte characters, while GB18030 text is almost never valid UTF-8 for
 * long, so its Chinese characters make bad bytes instead. A file whose
 * Chinese is mostly good UTF-8 is UTF-8 with a few lines in another
 * encoding (pasted from a GB18030 file): read as UTF-8, the error then names
 * the first such line, where GB18030 would turn the rest into other
 * characters or stop at a line of good UTF-8. */
static int mostly_utf8(const struct utf8_state *st)
{
	return st->wide > st->bad;
}

/* The first failure sticks: every later csv_reader_next() repeats it. */
static SGZ_PRINTF(3, 4) void fail_set(struct csv_reader *r, enum sgz_status status, const char *fmt,
				      ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	r->fail.status = status;
	va_start(ap, fmt);
	vsnprintf(r->fail.msg, sizeof(r->fail.msg), fmt, ap);
	va_end(ap);
}

static SGZ_PRINTF(2, 3) void pending_set(struct csv_reader *r, const char *fmt, ...)
{
	struct strbuf sb = {0};
	va_list ap;

	if (r->pending)
		return;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->pending = sb_detach(&sb);
}

/* read() that retries on EINTR. Returns bytes read, 0 at end, -1 (errno). */
static ssize_t read_retry(int fd, char *buf, size_t n)
{
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Reads into in[in_len, IN_SIZE), until full or the end when full is
 * set (a pipe may return a few bytes at a time), else with one read(). */
static int read_more(struct csv_reader *r, int full)
{
	while (!r->eof && r->in_len < IN_SIZE) {
		ssize_t got = read_retry(r->fd, r->in + r->in_len, IN_SIZE - r->in_len);

		if (got < 0) {
			fail_set(r, SGZ_EUSAGE, "%s: read error: %s", r->name, strerror(errno));
			return -1;
		}
		if (got == 0)
			r->eof = 1;
		r->in_len += (size_t)got;
		r->nread += got;
		if (!full)
			break;
	}
	return 0;
}

static const char *utf8_hint(const struct csv_reader *r)
{
	if (r->mixed)
		return "the rest of the file is UTF-8: this line is in another encoding "
		       "(GB18030?); type it again or save the whole file as \"CSV UTF-8\"";
	return "a file saved by Excel on Chinese Windows is GB18030: try --encoding gb18030";
}

/* Takes the chunk in[in_pos, in_len) as UTF-8 text, cut short at the first
 * invalid byte or NUL. */
static void take_utf8(struct csv_reader *r)
{
	const unsigned char *s = (const unsigned char *)r->in + r->in_pos;
	size_t n = r->in_len - r->in_pos;
	size_t ok = utf8_check(&r->u8, s, n);
	const char *nul = memchr(s, '\0', ok);

	if (nul) {
		ok = (size_t)(nul - (const char *)s);
		pending_set(r, "NUL byte in the data (is this a CSV text file?)");
	} else if (ok < n) {
		pending_set(r, "invalid UTF-8 (byte 0x%02X); %s", s[ok], utf8_hint(r));
	}
	r->text = (const char *)s;
	r->text_pos = 0;
	r->text_len = ok;
	r->in_pos = r->in_len;
}

/* Gives the text more bytes. 1 = more text (possibly none before a pending
 * problem), 0 = end of input, -1 = error. */
static int fill_utf8(struct csv_reader *r)
{
	if (r->in_pos == r->in_len) {
		r->in_pos = r->in_len = 0;
		if (read_more(r, 0) < 0)
			return -1;
		if (r->in_len == 0) {
			if (r->u8.need) {
				fail_set(r, SGZ_EDATA,
					 "%s:%ld: invalid UTF-8 (a character cut off at the end of "
					 "the file); %s",
					 r->name, r->line, utf8_hint(r));
				return -1;
			}
			return 0;
		}
	}
	take_utf8(r);
	return 1;
}

static int fill_gb18030(struct csv_reader *r)
{
	for (;;) {
		if (r->in_pos < r->in_len) {
			char *ip = r->in + r->in_pos;
			size_t il = r->in_len - r->in_pos;
			char *op = r->out;
			size_t ol = OUT_SIZE;
			size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
			int e = errno;
			size_t n = (size_t)(op - r->out);
			const char *nul;

			r->in_pos = r->in_len - il;
			if (rc == (size_t)-1 && e == EILSEQ) {
				const unsigned char *b = (const unsigned char *)ip;

				if (r->detected)
					pending_set(
					    r,
					    "neither UTF-8 nor GB18030 text (bytes 0x%02X 0x%02X)",
					    b[0], il > 1 ? b[1] : 0);
				else
					pending_set(r, "invalid GB18030 (bytes 0x%02X 0x%02X)",
						    b[0], il > 1 ? b[1] : 0);
			}
			nul = memchr(r->out, '\0', n);
			if (nul) {
				n = (size_t)(nul - r->out);
				pending_set(r, "NUL byte in the data (is this a CSV text file?)");
			}
			r->text = r->out;
			r->text_pos = 0;
			r->text_len = n;
			/* GB18030's own byte order mark is U+FEFF too. */
			if (r->strip_bom && n >= 3 && !memcmp(r->out, "\xEF\xBB\xBF", 3))
				r->text_pos = 3;
			if (n > 0)
				r->strip_bom = 0;
			if (n > 0 || r->pending)
				return 1;
			/* EINVAL: a character split by the end of the chunk. */
		}
		if (r->eof) {
			if (r->in_pos < r->in_len) {
				fail_set(
				    r, SGZ_EDATA,
				    "%s:%ld: invalid GB18030 (a character cut off at the end of "
				    "the file)",
				    r->name, r->line);
				return -1;
			}
			return 0;
		}
		memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
		r->in_len -= r->in_pos;
		r->in_pos = 0;
		if (read_more(r, 0) < 0)
			return -1;
	}
}

static int fill(struct csv_reader *r)
{
	if (r->pending) {
		fail_set(r, SGZ_EDATA, "%s:%ld: %s", r->name, r->line, r->pending);
		return -1;
	}
	switch (r->enc) {
	case CSV_ENC_UTF8:
		return fill_utf8(r);
	case CSV_ENC_GB18030:
		return fill_gb18030(r);
	case CSV_ENC_AUTO:
		break;
	}
	abort(); /* resolved by csv_reader_open() */
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	size_t need = r->alen + len + 1;

	if (!r->in_record) {
		r->in_record = 1;
		r->rec_line = r->line;
	}
	if (r->nf - r->rec_first >= CSV_MAX_FIELDS) {
		r->too_wide = 1; /* refused by feed(); the rest is not kept */
		return;
	}
	if (need > r->acap) {
		size_t cap = r->acap ? r->acap : 4096;

		while (cap < need)
			cap *= 2;
		r->arena = xrealloc(r->arena, cap);
		r->acap = cap;
	}
	if (len)
		memcpy(r->arena + r->alen, s, len);
	r->arena[r->alen + len] = '\0';
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? 2 * r->fcap : 64;
		r->fv = xreallocarray(r->fv, r->fcap, sizeof(*r->fv));
	}
	r->fv[r->nf].off = r->alen;
	r->fv[r->nf].len = len;
	r->nf++;
	r->alen = need;
}

static void on_row(int c, void *data)
{
	struct csv_reader *r = data;

	(void)c;
	if (r->nr == r->rcap) {
		r->rcap = r->rcap ? 2 * r->rcap : 16;
		r->rq = xreallocarray(r->rq, r->rcap, sizeof(*r->rq));
	}
	r->rq[r->nr].first = r->rec_first;
	r->rq[r->nr].n = r->nf - r->rec_first;
	r->rq[r->nr].line = r->rec_line;
	r->nr++;
	r->rec_first = r->nf;
	r->in_record = 0;
}

static int starts_with_bom(const char *s, size_t n)
{
	return n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3);
}

/* Only the first byte order mark is taken away: another one would stick to
 * the first column's name as an invisible character, or make its quotes
 * malformed. */
static void second_bom(struct csv_reader *r, long line)
{
	fail_set(r, SGZ_EDATA,
		 "%s:%ld: a second byte-order mark (U+FEFF, an invisible character) before the "
		 "first row: save the file again as \"CSV UTF-8\", or delete it with a text editor",
		 r->name, line);
}

/* Feeds the text up to and including the next line end (LF, CR LF or a lone
 * CR), or to its end, and counts the line. */
static int feed(struct csv_reader *r)
{
	const char *s = r->text + r->text_pos;
	size_t n = r->text_len - r->text_pos;
	const char *lf, *cr;
	size_t len;
	int line_end = 1;
	size_t pending_bytes;

	if (r->after_cr && s[0] == '\n') {
		/* the LF of a CR LF cut by the end of the text: counted already */
		len = 1;
		line_end = 0;
	} else {
		lf = memchr(s, '\n', n);
		cr = memchr(s, '\r', lf ? (size_t)(lf - s) : n);
		if (cr && cr + 1 < s + n && cr[1] == '\n')
			len = (size_t)(cr - s) + 2;
		else if (cr)
			len = (size_t)(cr - s) + 1;
		else if (lf)
			len = (size_t)(lf - s) + 1;
		else
			len = n;
		line_end = cr || lf;
	}
	r->after_cr = line_end && s[len - 1] == '\r';
	if (!r->delivered && r->nr == 0 && !r->in_record && starts_with_bom(s, n)) {
		second_bom(r, r->line);
		return -1;
	}

	if (csv_parse(&r->parser, s, len, on_field, on_row, r) != len) {
		/* CSV_EPARSE: memory is xrealloc's, which never fails. */
		fail_set(r, SGZ_EDATA,
			 "%s:%ld: malformed quoting (a field that holds a '\"' must be "
			 "enclosed in '\"', and each '\"' inside it doubled)",
			 r->name, r->line);
		return -1;
	}
	r->text_pos += len;
	if (!r->in_record && r->parser.pstate != LIBCSV_ROW_NOT_BEGUN) {
		r->in_record = 1;
		r->rec_line = r->line;
	}
	if (line_end)
		r->line++;
	if (r->too_wide) {
		fail_set(r, SGZ_EDATA,
			 "%s:%ld: more than %d fields in one row: no table of sgz has that many "
			 "columns (is this the right file?)",
			 r->name, r->rec_line, CSV_MAX_FIELDS);
		return -1;
	}
	pending_bytes = r->alen - (r->rec_first < r->nf ? r->fv[r->rec_first].off : r->alen);
	if (csv_get_buffer_size(&r->parser) > MAX_RECORD || pending_bytes > MAX_RECORD) {
		fail_set(r, SGZ_EDATA,
			 "%s:%ld: record longer than %d MiB (a quoted field that is never "
			 "closed?)",
			 r->name, r->rec_line, MAX_RECORD / (1024 * 1024));
		return -1;
	}
	return 0;
}

static int finish(struct csv_reader *r)
{
	r->done = 1;
	if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
		fail_set(r, SGZ_EDATA, "%s:%ld: quoted field not closed: the file ends inside it",
			 r->name, r->rec_line);
		return -1;
	}
	return 0;
}

/* Drops the records already handed out, keeping the one being parsed. */
static void compact(struct csv_reader *r)
{
	size_t keep = r->rec_first;
	size_t base = keep < r->nf ? r->fv[keep].off : r->alen;

	if (base) {
		memmove(r->arena, r->arena + base, r->alen - base);
		r->alen -= base;
	}
	for (size_t i = keep; i < r->nf; i++) {
		r->fv[i - keep].off = r->fv[i].off - base;
		r->fv[i - keep].len = r->fv[i].len;
	}
	r->nf -= keep;
	r->rec_first = 0;
	r->nr = r->rnext = 0;
}

int csv_reader_next(struct csv_reader *r, struct csv_record *rec, struct sgz_err *err)
{
	struct pending_record *q;

	if (r->failed)
		goto fail;
	if (r->rnext == r->nr)
		compact(r);
	while (r->rnext == r->nr) {
		if (r->done)
			return 0;
		if (r->text_pos == r->text_len) {
			int rc = fill(r);

			if (rc < 0)
				goto fail;
			if (rc == 0 && finish(r) < 0)
				goto fail;
			continue;
		}
		if (feed(r) < 0)
			goto fail;
	}

	q = &r->rq[r->rnext++];
	if (!r->delivered && q->n > 0 &&
	    starts_with_bom(r->arena + r->fv[q->first].off, r->fv[q->first].len)) {
		second_bom(r, q->line);
		goto fail;
	}
	r->delivered = 1;
	if (q->n > r->pcap) {
		r->pcap = q->n;
		r->ptrs = xreallocarray(r->ptrs, r->pcap, sizeof(*r->ptrs));
		r->lens = xreallocarray(r->lens, r->pcap, sizeof(*r->lens));
	}
	for (size_t i = 0; i < q->n; i++) {
		r->ptrs[i] = r->arena + r->fv[q->first + i].off;
		r->lens[i] = r->fv[q->first + i].len;
	}
	rec->nfields = q->n;
	rec->fields = r->ptrs;
	rec->lens = r->lens;
	rec->line = q->line;
	return 1;

fail:
	if (err) {
		err->status = r->fail.status;
		memcpy(err->msg, r->fail.msg, sizeof(err->msg));
	}
	return -1;
}

/* Whole-file check of a regular file for CSV_ENC_AUTO: the first chunk is in
 * r->in already; the rest is read into r->out and the file offset put back
 * after the first chunk. st receives the census of the bytes read (the file
 * is valid UTF-8 when st->bad is 0 and no character is cut at its end); the
 * reading stops early once the file is plainly GB18030. 0, or -1 for a read
 * error. */
static int regular_file_census(struct csv_reader *r, off_t start, struct utf8_state *st)
{
	int eof = r->eof;

	utf8_census(st, (const unsigned char *)r->in, r->in_len);
	while (!eof && st->bad - st->wide < AUTO_BAD_ENOUGH) {
		ssize_t got = read_retry(r->fd, r->out, OUT_SIZE);

		if (got < 0) {
			fail_set(r, SGZ_EUSAGE, "%s: read error: %s", r->name, strerror(errno));
			return -1;
		}
		eof = got == 0;
		utf8_census(st, (const unsigned char *)r->out, (size_t)got);
	}
	if (eof && st->need)
		st->bad++; /* a character cut off at the end of the file */
	if (!r->eof && lseek(r->fd, start + (off_t)r->in_len, SEEK_SET) < 0) {
		fail_set(r, SGZ_EUSAGE, "%s: cannot seek: %s", r->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Chooses the encoding from the first chunk (and for a regular file in auto
 * mode, the whole file). 0 or -1. */
static int detect_encoding(struct csv_reader *r, enum csv_encoding enc, int regular, off_t start)
{
	const unsigned char *s = (const unsigned char *)r->in;
	size_t n = r->in_len;

	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		fail_set(r, SGZ_EDATA,
			 "%s:1: UTF-16 text is not supported: save the file as \"CSV UTF-8\" "
			 "or \"CSV\"",
			 r->name);
		return -1;
	}
	/* A UTF-8 byte order mark settles it, whatever enc says. */
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		r->enc = CSV_ENC_UTF8;
		r->in_pos = 3;
		return 0;
	}
	r->enc = enc;
	if (enc == CSV_ENC_AUTO) {
		struct utf8_state st = {0};

		r->detected = 1;
		if (regular) {
			if (regular_file_census(r, start, &st) < 0)
				return -1;
		} else {
			/* A pipe: judge by the first chunk; a character cut by the
			 * chunk's end is not held against it. */
			utf8_census(&st, s, n);
			if (r->eof && st.need)
				st.bad++;
		}
		r->mixed = st.bad > 0 && mostly_utf8(&st);
		r->enc = st.bad == 0 || r->mixed ? CSV_ENC_UTF8 : CSV_ENC_GB18030;
	}
	if (r->enc == CSV_ENC_GB18030) {
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1) {
			fail_set(r, SGZ_EUSAGE, "%s: cannot convert from GB18030: %s", r->name,
				 strerror(errno));
			return -1;
		}
		r->strip_bom = 1;
	}
	return 0;
}

struct csv_reader *csv_reader_open(const char *path, enum csv_encoding enc, struct sgz_err *err)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	struct stat st;
	off_t start = 0;
	int regular;

	r->cd = (iconv_t)-1;
	r->line = 1;
	r->size = -1;
	if (!strcmp(path, "-")) {
		r->name = xstrdup("<stdin>");
		r->fd = STDIN_FILENO;
	} else {
		r->name = xstrdup(path);
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			fail_set(r, SGZ_EUSAGE, "%s: %s", r->name, strerror(errno));
			goto fail;
		}
		r->own_fd = 1;
	}
	if (fstat(r->fd, &st) < 0) {
		fail_set(r, SGZ_EUSAGE, "%s: %s", r->name, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		fail_set(r, SGZ_EUSAGE, "%s: is a directory", r->name);
		goto fail;
	}
	regular = S_ISREG(st.st_mode);
	if (regular) {
		start = lseek(r->fd, 0, SEEK_CUR);
		if (start < 0)
			start = 0;
		r->size = st.st_size - start;
	}

	r->in = xmalloc(IN_SIZE);
	r->out = xmalloc(OUT_SIZE);
	if (read_more(r, 1) < 0)
		goto fail;
	if (detect_encoding(r, enc, regular, start) < 0)
		goto fail;

	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_realloc_func(&r->parser, xrealloc);
	csv_set_blk_size(&r->parser, 4096);
	r->parser_ready = 1;
	return r;

fail:
	if (err) {
		err->status = r->fail.status;
		memcpy(err->msg, r->fail.msg, sizeof(err->msg));
	}
	csv_reader_free(r);
	return NULL;
}

enum csv_encoding csv_reader_encoding(const struct csv_reader *r)
{
	return r->enc;
}

off_t csv_reader_offset(const struct csv_reader *r)
{
	off_t unread = (off_t)(r->in_len - r->in_pos);

	/* UTF-8 text is the input itself; converted text has no exact offset. */
	if (r->enc == CSV_ENC_UTF8)
		unread += (off_t)(r->text_len - r->text_pos);
	return r->nread - unread;
}

off_t csv_reader_size(const struct csv_reader *r)
{
	return r->size;
}

const char *csv_reader_name(const struct csv_reader *r)
{
	return r->name;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->parser_ready)
		csv_free(&r->parser);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->own_fd)
		close(r->fd);
	free(r->ptrs);
	free(r->lens);
	free(r->rq);
	free(r->fv);
	free(r->arena);
	free(r->pending);
	free(r->out);
	free(r->in);
	free(r->name);
	free(r);
}

/* libcsv trims blanks around unquoted fields, so those must be quoted. */
static int needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_write_field(struct strbuf *out, const char *s)
{
	if (!s)
		s = "";
	if (!needs_quotes(s)) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (;;) {
		const char *q = strchr(s, '"');

		if (!q) {
			sb_adds(out, s);
			break;
		}
		sb_addn(out, s, (size_t)(q - s) + 1);
		sb_addc(out, '"');
		s = q + 1;
	}
	sb_addc(out, '"');
}

void csv_write_record(struct strbuf *out, const char *const *fields, size_t n)
{
	/* An empty line is no record at all when read back. */
	if (n == 1 && (!fields[0] || !fields[0][0])) {
		sb_adds(out, "\"\"\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(out, ',');
		csv_write_field(out, fields[i]);
	}
	sb_addc(out, '\n');
}
