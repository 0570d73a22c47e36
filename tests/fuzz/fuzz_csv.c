/* fuzz_csv.c - libFuzzer target: the CSV reader (src/core/csv.c).
 *
 * The first byte chooses the encoding and whether the rest arrives as a
 * regular file or through a pipe; csv.c is built with a read chunk of a few
 * bytes (CSV_IN_SIZE), so every split of a character or a line end between
 * chunks is tried. Besides the sanitizers, it checks what csv.h promises:
 * line numbers that never go back and never pass the input's last line,
 * fields of the length given that are UTF-8 without NUL, errors as
 * "FILE:LINE: reason", and records that csv_write_record() writes read back
 * unchanged (what an export and a re-import rely on).
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sgz/csv.h"
#include "sgz/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A pipe holds at least this much without a reader (Linux: 64 KiB). */
#define PIPE_ROOM 60000

static int memfd = -1, devnull = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("fuzz.csv", 0);
	devnull = open("/dev/null", O_RDONLY);
	if (memfd < 0 || devnull < 0)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
}

/* Puts data into the memory file; returns its path. */
static const char *as_file(const void *data, size_t n)
{
	check(ftruncate(memfd, 0) == 0, "ftruncate");
	check(pwrite(memfd, data, n, 0) == (ssize_t)n, "pwrite");
	return memfd_path;
}

/* Makes standard input a pipe that holds data and then ends. */
static void as_stdin(const void *data, size_t n)
{
	int fds[2];

	check(pipe(fds) == 0, "pipe");
	check(write(fds[1], data, n) == (ssize_t)n, "write to the pipe");
	close(fds[1]);
	check(dup2(fds[0], STDIN_FILENO) == STDIN_FILENO, "dup2");
	if (fds[0] != STDIN_FILENO)
		close(fds[0]);
}

/* Physical lines of the input: LF, CR LF and a lone CR end one, and 0x0A
 * and 0x0D are never part of a GB18030 character. */
static long count_lines(const uint8_t *s, size_t n)
{
	long lines = 1;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n')))
			lines++;
	}
	return lines;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i], lo = 0x80, hi = 0xBF;
		size_t need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return 0;
			lo = 0x80;
			hi = 0xBF;
		}
		i += need + 1;
	}
	return 1;
}

/* The records read. */
struct records {
	struct strbuf flat; /* each field and its length, and a mark after each record */
	struct strbuf csv;  /* the records written back by csv_write_record() */
	size_t count;
};

/* Reads everything r gives, checking each record. Returns the reader's last
 * status: 0 at the end, -1 after an error (err set). */
static int read_all(struct csv_reader *r, long max_line, struct records *out, struct sgz_err *err)
{
	struct csv_record rec;
	long last = 0;
	int rc;

	while ((rc = csv_reader_next(r, &rec, err)) == 1) {
		check(rec.line >= 1 && rec.line >= last, "a record's line went back");
		check(rec.line <= max_line, "a record's line is past the last line");
		check(rec.nfields >= 1 && rec.nfields <= CSV_MAX_FIELDS, "field count");
		last = rec.line;
		for (size_t i = 0; i < rec.nfields; i++) {
			check(strlen(rec.fields[i]) == rec.lens[i], "a field's length");
			check(valid_utf8((const unsigned char *)rec.fields[i], rec.lens[i]),
			      "a field that is not UTF-8");
			sb_addn(&out->flat, rec.fields[i], rec.lens[i]);
			sb_addf(&out->flat, "\x1F%zu\x1F", rec.lens[i]);
		}
		sb_addc(&out->flat, '\x1E');
		csv_write_record(&out->csv, (const char *const *)rec.fields, rec.nfields);
		out->count++;
		if (csv_reader_size(r) >= 0)
			check(csv_reader_offset(r) <= csv_reader_size(r), "offset past the size");
	}
	return rc;
}

/* An error names the file and a line no further than one past the input's
 * last, the line that ends it; a read error only the file. */
static void check_error(const struct sgz_err *err, const char *name, long max_line)
{
	size_t nlen = strlen(name);
	char *end;
	long line;

	check(err->status == SGZ_EDATA, "an error that is not SGZ_EDATA");
	check(!strncmp(err->msg, name, nlen) && err->msg[nlen] == ':', "an error without FILE:");
	line = strtol(err->msg + nlen + 1, &end, 10);
	check(end > err->msg + nlen + 1 && *end == ':', "an error without LINE:");
	check(line >= 1 && line <= max_line + 1, "an error's line is past the end");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding encs[] = {CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030,
						 CSV_ENC_AUTO};
	struct records got = {0}, again = {0};
	struct csv_reader *r;
	struct csv_record rec;
	struct sgz_err err, err2;
	const char *path;
	long max_line;
	int rc;

	if (size < 1)
		return 0;
	enum csv_encoding enc = encs[data[0] & 3];
	int piped = (data[0] & 4) && size - 1 <= PIPE_ROOM;
	data++;
	size--;
	max_line = count_lines(data, size);

	if (piped) {
		as_stdin(data, size);
		path = "-";
	} else {
		path = as_file(data, size);
	}
	sgz_err_clear(&err);
	r = csv_reader_open(path, enc, &err);
	if (!r) {
		/* only UTF-16 is refused at the door */
		check(err.status == SGZ_EDATA && strstr(err.msg, "UTF-16"), "open failed");
		goto out;
	}
	check(csv_reader_encoding(r) != CSV_ENC_AUTO, "no encoding chosen");
	rc = read_all(r, max_line, &got, &err);
	if (rc < 0)
		check_error(&err, csv_reader_name(r), max_line);
	sgz_err_clear(&err2);
	check(csv_reader_next(r, &rec, &err2) == rc, "a second call after the end differs");
	check(rc == 0 || !strcmp(err.msg, err2.msg), "the error does not repeat");
	csv_reader_free(r);

	/* What was read, written and read again, is the same. */
	r = csv_reader_open(as_file(sb_str(&got.csv), got.csv.len), CSV_ENC_UTF8, &err);
	check(r != NULL, "the written records do not open");
	rc = read_all(r, count_lines((const uint8_t *)sb_str(&got.csv), got.csv.len), &again, &err);
	if (rc < 0) {
		fprintf(stderr, "fuzz_csv: %s\n", err.msg);
		check(0, "the written records do not read back");
	}
	check(again.count == got.count, "the written records read back as more or fewer");
	check(again.flat.len == got.flat.len &&
		  !memcmp(sb_str(&again.flat), sb_str(&got.flat), got.flat.len),
	      "the written records read back different");
	csv_reader_free(r);
out:
	if (piped)
		dup2(devnull, STDIN_FILENO);
	sb_free(&got.flat);
	sb_free(&got.csv);
	sb_free(&again.flat);
	sb_free(&again.csv);
	return 0;
}
