/* csv.h - RFC 4180 reading (libcsv) with encoding detection, and writing. */
#ifndef SGZ_CSV_H
#define SGZ_CSV_H

#include <stdio.h>
#include <sys/types.h>

#include "sgz/util.h"

/* A row of more fields is refused: no table has that many columns, and the
 * fields of one row are held in memory together. */
#define CSV_MAX_FIELDS 1024

enum csv_encoding {
	CSV_ENC_AUTO,	 /* valid UTF-8 is UTF-8, anything else GB18030 (below) */
	CSV_ENC_UTF8,	 /* a leading BOM is skipped */
	CSV_ENC_GB18030, /* converted to UTF-8 with iconv */
};

/* Parses auto|utf-8|utf8|gb18030 (any case). 0 or -1. */
int csv_encoding_parse(const char *s, enum csv_encoding *out);

/* One record. Fields are UTF-8, NUL-terminated; borrowed until the next
 * csv_reader_next() or csv_reader_free(). */
struct csv_record {
	size_t nfields;
	char **fields;
	size_t *lens;
	long line; /* 1-based physical line where the record starts */
};

struct csv_reader;

/* Opens path ("-" = standard input). A UTF-8 byte order mark means UTF-8
 * whatever enc says; CSV_ENC_AUTO reads a regular file through once to check
 * it, a pipe by its first 64 KiB. Text that is not all UTF-8 is taken as
 * GB18030 unless its Chinese is mostly good UTF-8 (3-byte characters
 * outnumber the bad bytes): that is a UTF-8 file with a line in another
 * encoding, and reading it as UTF-8 names that line. Returns NULL with err
 * set ("FILE: reason", SGZ_EUSAGE; UTF-16 input is SGZ_EDATA). Caller frees
 * with csv_reader_free(). */
struct csv_reader *csv_reader_open(const char *path, enum csv_encoding enc,
				   struct sgz_err *err);
/* Reads the next record: 1 = a record, 0 = end of file, -1 = error with err
 * set as "FILE:LINE: reason" (malformed quoting, invalid UTF-8 when the
 * encoding is utf-8, a byte sequence GB18030 cannot convert, a NUL byte, a
 * record over 16 MiB or of more than CSV_MAX_FIELDS fields, a second byte
 * order mark before the first record), SGZ_EDATA, or SGZ_EUSAGE for a read
 * error; the error repeats on later calls. Blank lines are skipped; a line
 * ends in LF, CR LF or a lone CR, inside quotes too. Blanks around an
 * unquoted field are dropped (libcsv), quoted ones kept. */
int csv_reader_next(struct csv_reader *r, struct csv_record *rec, struct sgz_err *err);
/* The encoding actually used (never CSV_ENC_AUTO after the first read). */
enum csv_encoding csv_reader_encoding(const struct csv_reader *r);
/* Bytes of input consumed so far and the total (-1 when unknown, a pipe). */
off_t csv_reader_offset(const struct csv_reader *r);
off_t csv_reader_size(const struct csv_reader *r);
/* The name used in messages ("-" is shown as "<stdin>"). Borrowed. */
const char *csv_reader_name(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* Writes one field, quoted only when it holds a comma, quote, CR or LF
 * (or leading/trailing space or tab). NULL = empty. */
void csv_write_field(struct strbuf *out, const char *s);
/* Writes a record of n fields and a CRLF-free "\n" line end. NULL = empty.
 * A record of one empty field is written as "" so that it is not a blank line. */
void csv_write_record(struct strbuf *out, const char *const *fields, size_t n);

#endif
