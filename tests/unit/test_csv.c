/* test_csv.c - CSV reading (line numbers, encodings, errors) and writing.
 *
 * Fixtures in tests/unit/data: utf8.csv, crlf.csv (CRLF line ends), bom.csv
 * (UTF-8 with a byte order mark), gb18030.csv (made with
 * `iconv -f UTF-8 -t GB18030 gb18030.utf8.csv`; it has 4-byte GB18030
 * characters), multiline.csv (quoted newlines, "" escapes, blank lines),
 * malformed.csv (a quote inside an unquoted field on line 3), unclosed.csv
 * (a quote opened on line 3 and never closed), no-final-newline.csv and
 * empty-fields.csv. Larger inputs are made by the tests in a temporary
 * directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/csv.h"
#include "sgz/util.h"

#define DATA SGZ_TEST_DATA "/"

static char tmpdir[] = "/tmp/sgz-test-csv.XXXXXX";
static struct strbuf tmpfiles; /* NUL-separated paths to remove */

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < tmpfiles.len; i += strlen(tmpfiles.buf + i) + 1)
		unlink(tmpfiles.buf + i);
	sb_free(&tmpfiles);
	return rmdir(tmpdir);
}

/* Writes a file in the temporary directory. Returns its path. Caller frees. */
static char *write_tmp(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	sb_addn(&tmpfiles, path, strlen(path) + 1);
	return path;
}

/* Reads every record of r as "LINE:field|field\n" lines; an error ends the
 * dump with "ERR:message". Caller frees. */
static char *dump_reader(struct csv_reader *r, struct sgz_err *err)
{
	struct strbuf sb = {0};
	struct csv_record rec;
	int rc;

	while ((rc = csv_reader_next(r, &rec, err)) == 1) {
		sb_addf(&sb, "%ld:", rec.line);
		for (size_t i = 0; i < rec.nfields; i++) {
			assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
			if (i)
				sb_addc(&sb, '|');
			sb_adds(&sb, rec.fields[i]);
		}
		sb_addc(&sb, '\n');
	}
	if (rc < 0)
		sb_addf(&sb, "ERR:%s", err->msg);
	return sb_detach(&sb);
}

/* Opens path and dumps it; on an open error returns "OPEN:message". */
static char *dump(const char *path, enum csv_encoding enc, struct sgz_err *err)
{
	struct csv_reader *r;
	char *s;

	sgz_err_clear(err);
	r = csv_reader_open(path, enc, err);
	if (!r)
		return xasprintf("OPEN:%s", err->msg);
	s = dump_reader(r, err);
	csv_reader_free(r);
	return s;
}

static void assert_dump(const char *path, enum csv_encoding enc, const char *want)
{
	struct sgz_err err;
	char *got = dump(path, enc, &err);

	assert_string_equal(got, want);
	free(got);
}

/* Asserts that path gives the records, then "PATH:reason" as an error. */
static void assert_dump_error(const char *path, enum csv_encoding enc, const char *records,
			      const char *reason)
{
	char *want = xasprintf("%sERR:%s:%s", records, path, reason);

	assert_dump(path, enc, want);
	free(want);
}

/* Converts UTF-8 to GB18030. Caller frees. */
static char *to_gb18030(const char *s, size_t n, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t cap = 2 * n + 16;
	char *out = xmalloc(cap);
	char *ip = (char *)s, *op = out;
	size_t il = n, ol = cap;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	*outlen = cap - ol;
	return out;
}

/* Standard input replaced by a pipe fed by a child, in pieces of chunk
 * bytes; or by a file. */
struct stdin_swap {
	int saved;
	pid_t child;
};

static void stdin_from_pipe(struct stdin_swap *sw, const char *data, size_t len, size_t chunk)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	sw->child = fork();
	assert_true(sw->child >= 0);
	if (sw->child == 0) {
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);
		for (size_t off = 0; off < len;) {
			size_t n = len - off < chunk ? len - off : chunk;
			ssize_t w = write(fds[1], data + off, n);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	sw->saved = dup(STDIN_FILENO);
	assert_true(sw->saved >= 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
}

static void stdin_from_file(struct stdin_swap *sw, const char *path)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	sw->child = -1;
	sw->saved = dup(STDIN_FILENO);
	assert_true(sw->saved >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
}

static void stdin_restore(struct stdin_swap *sw)
{
	assert_int_equal(dup2(sw->saved, STDIN_FILENO), STDIN_FILENO);
	close(sw->saved);
	if (sw->child > 0) {
		int status;

		assert_int_equal(waitpid(sw->child, &status, 0), sw->child);
	}
}

static void test_csv_reads_utf8_records_with_chinese_text(void **state)
{
	(void)state;
	assert_dump(DATA "utf8.csv", CSV_ENC_AUTO,
		    "1:code|name|note\n"
		    "2:441900003000|东城街道|东莞市\n"
		    "3:110101001000|东华门街道|\n");
}

static void test_csv_strips_cr_of_crlf_line_ends(void **state)
{
	(void)state;
	assert_dump(DATA "crlf.csv", CSV_ENC_UTF8,
		    "1:code|name|note\n"
		    "2:441900003000|东城街道|东莞市\n"
		    "3:110101001000|东华门街道|\n");
}

static void test_csv_skips_utf8_byte_order_mark(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "bom.csv", CSV_ENC_UTF8, &err);
	struct csv_record rec;

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_reader_next(r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "code");
	assert_int_equal(rec.lens[0], 4);
	assert_int_equal(rec.line, 1);
	csv_reader_free(r);
	assert_dump(DATA "bom.csv", CSV_ENC_AUTO, "1:code|name\n2:441900003000|东城街道\n");
}

static void test_csv_byte_order_mark_means_utf8_even_when_gb18030_asked(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "bom.csv", CSV_ENC_GB18030, &err);

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	csv_reader_free(r);
	assert_dump(DATA "bom.csv", CSV_ENC_GB18030, "1:code|name\n2:441900003000|东城街道\n");
}

static const char gb18030_want[] = "1:code|name|note\n"
				   "2:441900003000|东城街道|备注,含逗号\n"
				   "3:350527000000|金门县|㐀𠀀字\n";

static void test_csv_auto_detects_gb18030_file(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "gb18030.csv", CSV_ENC_AUTO, &err);

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_GB18030);
	csv_reader_free(r);
	assert_dump(DATA "gb18030.csv", CSV_ENC_AUTO, gb18030_want);
	assert_dump(DATA "gb18030.csv", CSV_ENC_GB18030, gb18030_want);
	/* The same text in UTF-8 reads the same and is detected as UTF-8. */
	r = csv_reader_open(DATA "gb18030.utf8.csv", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	csv_reader_free(r);
	assert_dump(DATA "gb18030.utf8.csv", CSV_ENC_AUTO, gb18030_want);
}

static void test_csv_refuses_gb18030_file_read_as_utf8_naming_the_line(void **state)
{
	struct sgz_err err;
	char *got = dump(DATA "gb18030.csv", CSV_ENC_UTF8, &err);

	(void)state;
	assert_non_null(strstr(got, "ERR:" DATA "gb18030.csv:2: invalid UTF-8 (byte 0xB6)"));
	assert_non_null(strstr(got, "--encoding gb18030"));
	assert_int_equal(err.status, SGZ_EDATA);
	/* The line before the bad one was delivered. */
	assert_true(!strncmp(got, "1:code|name|note\nERR:", 21));
	free(got);
}

static void test_csv_counts_lines_ended_by_a_lone_cr(void **state)
{
	static const char data[] = "a,b\r1,2\r\r3,\"x\ry\"\r4,5";
	static const char bad[] = "a,b\r1,2\r3,x\"y\r";
	char *path = write_tmp("cr.csv", data, sizeof(data) - 1);
	char *bad_path = write_tmp("cr-bad.csv", bad, sizeof(bad) - 1);

	(void)state;
	/* old Mac files: every record was on line 1 */
	assert_dump(path, CSV_ENC_AUTO, "1:a|b\n2:1|2\n4:3|x\ry\n6:4|5\n");
	assert_dump_error(bad_path, CSV_ENC_AUTO, "1:a|b\n2:1|2\n",
			  "3: malformed quoting (a field that holds a '\"' must be enclosed in "
			  "'\"', and each '\"' inside it doubled)");
	free(bad_path);
	free(path);
}

static void test_csv_counts_lf_crlf_and_cr_line_ends_mixed(void **state)
{
	static const char data[] = "a\r\nb\rc\nd\r\r\ne\n\rf\r\n";
	char *path = write_tmp("mixed-ends.csv", data, sizeof(data) - 1);
	size_t gblen;
	char *gb = to_gb18030(data, sizeof(data) - 1, &gblen);
	char *gb_path = write_tmp("mixed-ends-gb.csv", gb, gblen);

	(void)state;
	assert_dump(path, CSV_ENC_UTF8, "1:a\n2:b\n3:c\n4:d\n6:e\n8:f\n");
	assert_dump(gb_path, CSV_ENC_GB18030, "1:a\n2:b\n3:c\n4:d\n6:e\n8:f\n");
	free(gb_path);
	free(gb);
	free(path);
}

static void test_csv_counts_crlf_split_by_a_read_chunk_as_one_line_end(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;
	struct csv_reader *r;
	struct csv_record rec;
	char *path;
	long lines = 0;
	int rc;

	(void)state;
	/* lines of 10 bytes after one of 7, so that a CR ends the first
	 * 64 KiB chunk and its LF starts the next */
	sb_adds(&sb, "head1\r\n");
	while (sb.len < 64 * 1024 + 100)
		sb_adds(&sb, "12345678\r\n");
	assert_int_equal(sb.buf[64 * 1024 - 1], '\r');
	path = write_tmp("crlf-split.csv", sb.buf, sb.len);
	r = csv_reader_open(path, CSV_ENC_UTF8, &err);
	assert_non_null(r);
	while ((rc = csv_reader_next(r, &rec, &err)) == 1)
		assert_int_equal(rec.line, ++lines);
	assert_int_equal(rc, 0);
	assert_int_equal(lines, (long)(sb.len - 7) / 10 + 1);
	csv_reader_free(r);
	free(path);
	sb_free(&sb);
}

static void test_csv_keeps_quoted_newlines_commas_and_doubled_quotes(void **state)
{
	(void)state;
	assert_dump(DATA "multiline.csv", CSV_ENC_AUTO,
		    "1:id|note|name\n"
		    "2:1|第一行\n第二行, 有逗号|张三\n"
		    "5:2|他说\"你好\"|李四\n"
		    "6:3|跨\r\n三\n行|王五\n"
		    "11:4||赵六\n");
}

static void test_csv_reports_line_of_record_after_multiline_field(void **state)
{
	char *path = write_tmp("after-multiline.csv", "a,b\n\"x\ny\nz\",1\nnext,2\n", 21);

	(void)state;
	assert_dump(path, CSV_ENC_AUTO, "1:a|b\n2:x\ny\nz|1\n5:next|2\n");
	free(path);
}

static void test_csv_record_starting_with_multiline_first_field_keeps_its_first_line(void **state)
{
	static const char data[] = "h\n\n\"one\ntwo\nthree\"\n\"\n\"\n";
	char *path = write_tmp("first-field.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump(path, CSV_ENC_AUTO, "1:h\n3:one\ntwo\nthree\n6:\n\n");
	free(path);
}

static void test_csv_skips_blank_lines_but_counts_them(void **state)
{
	static const char data[] = "\n\nh1,h2\r\n\r\n  \n\t\nv1,v2\n\n";
	char *path = write_tmp("blank.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump(path, CSV_ENC_AUTO, "3:h1|h2\n7:v1|v2\n");
	free(path);
}

static void test_csv_rejects_quote_inside_unquoted_field(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "malformed.csv", CSV_ENC_AUTO, &err);
	char *got;
	struct csv_record rec;

	(void)state;
	assert_non_null(r);
	got = dump_reader(r, &err);
	assert_string_equal(got, "1:id|name\n2:1|张三\nERR:" DATA
				 "malformed.csv:3: malformed quoting (a field that holds a '\"' "
				 "must be enclosed in '\"', and each '\"' inside it doubled)");
	assert_int_equal(err.status, SGZ_EDATA);
	/* The error sticks. */
	sgz_err_clear(&err);
	assert_int_equal(csv_reader_next(r, &rec, &err), -1);
	assert_true(!strncmp(err.msg, DATA "malformed.csv:3: malformed quoting", 20));
	free(got);
	csv_reader_free(r);
}

static void test_csv_rejects_text_after_closing_quote(void **state)
{
	static const char data[] = "a,b\n\"x\"y,1\n";
	char *path = write_tmp("after-quote.csv", data, sizeof(data) - 1);
	struct sgz_err err;
	char *got = dump(path, CSV_ENC_AUTO, &err);

	(void)state;
	assert_non_null(strstr(got, "after-quote.csv:2: malformed quoting"));
	free(got);
	free(path);
}

static void test_csv_rejects_quote_left_open_at_end_of_file(void **state)
{
	struct sgz_err err;
	char *got = dump(DATA "unclosed.csv", CSV_ENC_AUTO, &err);

	(void)state;
	assert_string_equal(got,
			    "1:id|name\n2:1|张三\nERR:" DATA
			    "unclosed.csv:3: quoted field not closed: the file ends inside it");
	assert_int_equal(err.status, SGZ_EDATA);
	free(got);
}

static void test_csv_keeps_empty_trailing_fields(void **state)
{
	(void)state;
	assert_dump(DATA "empty-fields.csv", CSV_ENC_AUTO, "1:a|b|c\n2:1||\n3:||\n4:|x|\n");
}

static void test_csv_reads_last_line_without_newline(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "no-final-newline.csv", CSV_ENC_AUTO, &err);
	struct csv_record rec;
	int n = 0;

	(void)state;
	assert_non_null(r);
	while (csv_reader_next(r, &rec, &err) == 1)
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(rec.line, 3);
	assert_string_equal(rec.fields[1], "李四");
	/* End of file stays the end. */
	assert_int_equal(csv_reader_next(r, &rec, &err), 0);
	csv_reader_free(r);
}

static void test_csv_reads_no_records_from_empty_or_blank_file(void **state)
{
	char *empty = write_tmp("empty.csv", "", 0);
	char *blank = write_tmp("blank-only.csv", "\n\r\n  \n", 6);
	char *bom = write_tmp("bom-only.csv", "\xEF\xBB\xBF", 3);

	(void)state;
	assert_dump(empty, CSV_ENC_AUTO, "");
	assert_dump(empty, CSV_ENC_GB18030, "");
	assert_dump(blank, CSV_ENC_AUTO, "");
	assert_dump(bom, CSV_ENC_AUTO, "");
	free(empty);
	free(blank);
	free(bom);
}

static void test_csv_trims_blanks_around_unquoted_fields_only(void **state)
{
	static const char data[] = " a , \" b \" ,\tc\t\n";
	char *path = write_tmp("blanks.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump(path, CSV_ENC_AUTO, "1:a| b |c\n");
	free(path);
}

static void test_csv_reports_missing_file_as_usage_error(void **state)
{
	struct sgz_err err;
	struct csv_reader *r;

	(void)state;
	r = csv_reader_open(DATA "no-such-file.csv", CSV_ENC_AUTO, &err);
	assert_null(r);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_string_equal(err.msg, DATA "no-such-file.csv: No such file or directory");
	r = csv_reader_open(SGZ_TEST_DATA, CSV_ENC_AUTO, &err);
	assert_null(r);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_string_equal(err.msg, SGZ_TEST_DATA ": is a directory");
}

static void test_csv_reads_standard_input_named_stdin(void **state)
{
	struct stdin_swap sw;
	struct sgz_err err;
	struct csv_reader *r;
	char *got;

	(void)state;
	stdin_from_file(&sw, DATA "malformed.csv");
	r = csv_reader_open("-", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_string_equal(csv_reader_name(r), "<stdin>");
	assert_int_equal(csv_reader_size(r), 36);
	got = dump_reader(r, &err);
	assert_non_null(strstr(got, "ERR:<stdin>:3: malformed quoting"));
	free(got);
	csv_reader_free(r);
	/* csv_reader_free() leaves standard input open. */
	assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);
	stdin_restore(&sw);
}

static void test_csv_detects_gb18030_on_a_pipe(void **state)
{
	size_t gblen;
	static const char utf8[] = "code,name,note\n441900003000,东城街道,\"备注,含逗号\"\n"
				   "350527000000,金门县,㐀𠀀字\n";
	char *gb = to_gb18030(utf8, sizeof(utf8) - 1, &gblen);
	struct stdin_swap sw;
	struct sgz_err err;
	struct csv_reader *r;
	char *got;

	(void)state;
	stdin_from_pipe(&sw, gb, gblen, 5);
	r = csv_reader_open("-", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_GB18030);
	assert_int_equal(csv_reader_size(r), -1);
	got = dump_reader(r, &err);
	assert_string_equal(got, gb18030_want);
	free(got);
	csv_reader_free(r);
	stdin_restore(&sw);
	free(gb);
}

static void test_csv_names_line_of_invalid_utf8_beyond_pipe_sniff_window(void **state)
{
	struct strbuf sb = {0};
	struct stdin_swap sw;
	struct sgz_err err;
	struct csv_reader *r;
	char *got, *want;
	long line;

	(void)state;
	sb_adds(&sb, "id,name\n");
	for (line = 2; sb.len < 70000; line++)
		sb_addf(&sb, "%ld,\"name\nwith newline\"\n", line++);
	sb_adds(&sb, "x,\xB6\xAB\xB3\xC7\n"); /* 东城 in GB18030 */
	stdin_from_pipe(&sw, sb.buf, sb.len, 4096);
	r = csv_reader_open("-", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	got = dump_reader(r, &err);
	want = xasprintf("ERR:<stdin>:%ld: invalid UTF-8 (byte 0xB6)", line);
	assert_non_null(strstr(got, want));
	free(want);
	assert_int_equal(err.status, SGZ_EDATA);
	free(got);
	csv_reader_free(r);
	stdin_restore(&sw);
	sb_free(&sb);
}

/* Records "N,<text>" whose text mixes 1-, 2- and 4-byte GB18030 characters,
 * about len bytes of UTF-8 after a first line of pad ASCII bytes; the
 * expected dump goes to want. */
static void make_mixed_text(struct strbuf *utf8, struct strbuf *want, size_t pad, size_t len)
{
	static const char *const pieces[] = {"中", "㐀", "a", "文", "𠀀", "字", ",", "\""};
	long line = 1;

	sb_adds(utf8, "pad\n");
	sb_adds(want, "1:pad\n");
	for (size_t i = 0; i < pad; i++)
		sb_addc(utf8, 'p');
	if (pad) {
		sb_addc(utf8, '\n');
		sb_addf(want, "%ld:", ++line);
		for (size_t i = 0; i < pad; i++)
			sb_addc(want, 'p');
		sb_addc(want, '\n');
	}
	for (unsigned n = 0; utf8->len < len; n++) {
		sb_addf(utf8, "%u,\"", n);
		sb_addf(want, "%ld:%u|", ++line, n);
		for (unsigned k = 0; k < 20 + n % 37; k++) {
			const char *p = pieces[(n + k * 3) % SGZ_ARRAY_LEN(pieces)];

			sb_adds(utf8, !strcmp(p, "\"") ? "\"\"" : p);
			sb_adds(want, p);
		}
		sb_adds(utf8, "\"\n");
		sb_addc(want, '\n');
	}
}

static void test_csv_converts_gb18030_characters_split_across_read_chunks(void **state)
{
	(void)state;
	/* Padding shifts every chunk boundary by one byte, so that each
	 * boundary falls inside characters of 2 and 4 bytes in turn. */
	for (size_t pad = 0; pad < 4; pad++) {
		struct strbuf utf8 = {0}, want = {0};
		size_t gblen;
		char *gb, *path, *got;
		struct sgz_err err;

		make_mixed_text(&utf8, &want, pad, 300000);
		gb = to_gb18030(utf8.buf, utf8.len, &gblen);
		path = write_tmp("split-gb.csv", gb, gblen);
		assert_dump(path, CSV_ENC_GB18030, want.buf);
		got = dump(path, CSV_ENC_AUTO, &err);
		assert_string_equal(got, want.buf);
		free(got);
		/* And in UTF-8, where the same split has to pass the check. */
		path = (free(path), write_tmp("split-utf8.csv", utf8.buf, utf8.len));
		assert_dump(path, CSV_ENC_UTF8, want.buf);
		assert_dump(path, CSV_ENC_AUTO, want.buf);
		free(path);
		free(gb);
		sb_free(&utf8);
		sb_free(&want);
	}
}

static void test_csv_converts_gb18030_from_a_pipe_in_odd_pieces(void **state)
{
	struct strbuf utf8 = {0}, want = {0};
	struct stdin_swap sw;
	struct sgz_err err;
	struct csv_reader *r;
	size_t gblen;
	char *gb, *got;

	(void)state;
	make_mixed_text(&utf8, &want, 1, 200000);
	gb = to_gb18030(utf8.buf, utf8.len, &gblen);
	stdin_from_pipe(&sw, gb, gblen, 997);
	r = csv_reader_open("-", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_GB18030);
	got = dump_reader(r, &err);
	assert_string_equal(got, want.buf);
	assert_int_equal(csv_reader_offset(r), gblen);
	free(got);
	csv_reader_free(r);
	stdin_restore(&sw);
	free(gb);
	sb_free(&utf8);
	sb_free(&want);
}

static void test_csv_auto_checks_whole_regular_file_before_choosing_utf8(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;
	struct csv_reader *r;
	struct csv_record rec;
	char *path;
	long last = 0;
	int rc;

	(void)state;
	while (sb.len < 200000)
		sb_adds(&sb, "1,ascii only\n");
	sb_adds(&sb, "2,\xB6\xAB\xB3\xC7\n"); /* 东城 in GB18030, far past the first chunk */
	path = write_tmp("late-gb.csv", sb.buf, sb.len);
	r = csv_reader_open(path, CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_GB18030);
	assert_int_equal(csv_reader_offset(r), 0);
	while ((rc = csv_reader_next(r, &rec, &err)) == 1)
		last = rec.line;
	assert_int_equal(rc, 0);
	assert_int_equal(last, sb.len / 13 + 1);
	assert_string_equal(rec.fields[1], "东城");
	assert_int_equal(csv_reader_offset(r), csv_reader_size(r));
	assert_int_equal(csv_reader_size(r), sb.len);
	csv_reader_free(r);
	free(path);
	sb_free(&sb);
}

static void test_csv_rejects_bytes_neither_utf8_nor_gb18030(void **state)
{
	static const char data[] = "a,b\n1,\xB6\xAB\n2,\x80\x41\n";
	char *path = write_tmp("neither.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump_error(path, CSV_ENC_AUTO, "1:a|b\n2:1|东\n",
			  "3: neither UTF-8 nor GB18030 text (bytes 0x80 0x41)");
	assert_dump_error(path, CSV_ENC_GB18030, "1:a|b\n2:1|东\n",
			  "3: invalid GB18030 (bytes 0x80 0x41)");
	free(path);
}

/* A UTF-8 file with one line in GB18030 (李四光, typed on another machine). */
static const char utf8_with_gb_line[] = "id_number,name\n"
					"110101199001010001,张三丰\n"
					"110101199001010002,张三丰\n"
					"110101199001010003,张三丰\n"
					"110101199001010099,\xC0\xEE\xCB\xC4\xB9\xE2\n"
					"110101199001010005,王五\n";
static const char utf8_with_gb_line_want[] = "1:id_number|name\n"
					     "2:110101199001010001|张三丰\n"
					     "3:110101199001010002|张三丰\n"
					     "4:110101199001010003|张三丰\n"
					     "ERR:";
static const char utf8_with_gb_line_reason[] =
    ":5: invalid UTF-8 (byte 0xC0); the rest of the file is UTF-8: this line is in another "
    "encoding (GB18030?); type it again or save the whole file as \"CSV UTF-8\"";

static void test_csv_auto_names_the_gb18030_line_of_a_utf8_file(void **state)
{
	char *path = write_tmp("one-gb-line.csv", utf8_with_gb_line, sizeof(utf8_with_gb_line) - 1);
	char *want = xasprintf("%s%s%s", utf8_with_gb_line_want, path, utf8_with_gb_line_reason);
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(path, CSV_ENC_AUTO, &err);

	(void)state;
	/* read as GB18030 it stopped at line 2, "neither UTF-8 nor GB18030" */
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	csv_reader_free(r);
	assert_dump(path, CSV_ENC_AUTO, want);
	free(want);
	free(path);
}

static void test_csv_auto_names_the_gb18030_line_of_utf8_on_a_pipe(void **state)
{
	char *want = xasprintf("%s<stdin>%s", utf8_with_gb_line_want, utf8_with_gb_line_reason);
	struct stdin_swap sw;
	struct sgz_err err;
	struct csv_reader *r;
	char *got;

	(void)state;
	stdin_from_pipe(&sw, utf8_with_gb_line, sizeof(utf8_with_gb_line) - 1, 7);
	r = csv_reader_open("-", CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_encoding(r), CSV_ENC_UTF8);
	got = dump_reader(r, &err);
	assert_string_equal(got, want);
	free(got);
	csv_reader_free(r);
	stdin_restore(&sw);
	free(want);
}

static void test_csv_auto_takes_gb18030_with_a_few_utf8_lookalikes_as_gb18030(void **state)
{
	/* 琚啊 in GB18030 starts with a valid 3-byte UTF-8 character */
	static const char data[] = "a,b\n1,\xE8\xA2\xB0\xA1\n2,\xB6\xAB\n";
	char *path = write_tmp("lookalike-gb.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump(path, CSV_ENC_AUTO, "1:a|b\n2:1|琚啊\n3:2|东\n");
	free(path);
}

static void test_csv_rejects_gb18030_character_cut_by_end_of_file(void **state)
{
	static const char data[] = "a,b\n1,\xB6\xAB\n\n2,\xB6";
	char *path = write_tmp("cut-gb.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump_error(path, CSV_ENC_GB18030, "1:a|b\n2:1|东\n",
			  "4: invalid GB18030 (a character cut off at the end of the file)");
	free(path);
}

static void test_csv_rejects_utf8_character_cut_by_end_of_file(void **state)
{
	static const char data[] = "a,b\n1,\xE4\xB8";
	char *path = write_tmp("cut-utf8.csv", data, sizeof(data) - 1);
	struct sgz_err err;
	char *got = dump(path, CSV_ENC_UTF8, &err);

	(void)state;
	assert_non_null(strstr(got, "cut-utf8.csv:2: invalid UTF-8 (a character cut off at the "
				    "end of the file)"));
	free(got);
	free(path);
}

static void test_csv_rejects_overlong_and_surrogate_utf8(void **state)
{
	static const char *const bad[] = {
	    "x,\xC0\x80\n",	    /* overlong NUL */
	    "x,\xE0\x80\xAF\n",	    /* overlong '/' */
	    "x,\xED\xA0\x80\n",	    /* surrogate U+D800 */
	    "x,\xF4\x90\x80\x80\n", /* above U+10FFFF */
	    "x,\xE4\xB8\n",	    /* cut short by a newline */
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++) {
		struct sgz_err err;
		char *path = write_tmp("bad-utf8.csv", bad[i], strlen(bad[i]));
		char *got = dump(path, CSV_ENC_UTF8, &err);

		assert_non_null(strstr(got, "bad-utf8.csv:1: invalid UTF-8"));
		assert_int_equal(err.status, SGZ_EDATA);
		free(got);
		free(path);
	}
}

static void test_csv_rejects_nul_byte(void **state)
{
	static const char data[] = "a,b\n1,x\0y\n";
	char *path = write_tmp("nul.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump_error(path, CSV_ENC_UTF8, "1:a|b\n",
			  "2: NUL byte in the data (is this a CSV text file?)");
	free(path);
}

static void test_csv_refuses_utf16_with_advice(void **state)
{
	static const char data[] = "\xFF\xFE"
				   "a\0,\0b\0\n\0";
	char *path = write_tmp("utf16.csv", data, sizeof(data) - 1);

	struct sgz_err err;
	char *got = dump(path, CSV_ENC_AUTO, &err);
	char *want = xasprintf("OPEN:%s:1: UTF-16 text is not supported: save the file as "
			       "\"CSV UTF-8\" or \"CSV\"",
			       path);

	(void)state;
	assert_string_equal(got, want);
	assert_int_equal(err.status, SGZ_EDATA);
	free(want);
	free(got);
	free(path);
}

static void test_csv_skips_gb18030_byte_order_mark(void **state)
{
	static const char data[] = "\x84\x31\x95\x33"
				   "a,\xB6\xAB\n";
	char *path = write_tmp("gb-bom.csv", data, sizeof(data) - 1);

	(void)state;
	assert_dump(path, CSV_ENC_GB18030, "1:a|东\n");
	free(path);
}

static void test_csv_refuses_a_second_byte_order_mark(void **state)
{
	static const char utf8[] = "\xEF\xBB\xBF\xEF\xBB\xBF"
				   "code,name\n1,2\n";
	static const char gb[] = "\x84\x31\x95\x33\x84\x31\x95\x33"
				 "code,\xB6\xAB\n";
	static const char quoted[] = "\xEF\xBB\xBF\xEF\xBB\xBF\"code\",name\n";
	static const char reason[] = "1: a second byte-order mark (U+FEFF, an invisible "
				     "character) before the first row: save the file again as "
				     "\"CSV UTF-8\", or delete it with a text editor";
	char *path = write_tmp("bom2.csv", utf8, sizeof(utf8) - 1);
	char *gb_path = write_tmp("bom2-gb.csv", gb, sizeof(gb) - 1);
	struct sgz_err err;

	(void)state;
	/* it was the header's first cell, "\uFEFFcode": an unknown column */
	assert_dump_error(path, CSV_ENC_AUTO, "", reason);
	free(dump(path, CSV_ENC_AUTO, &err));
	assert_int_equal(err.status, SGZ_EDATA);
	assert_dump_error(gb_path, CSV_ENC_GB18030, "", reason);
	/* a quoted first cell was malformed quoting */
	gb_path = (free(gb_path), write_tmp("bom2-quoted.csv", quoted, sizeof(quoted) - 1));
	assert_dump_error(gb_path, CSV_ENC_AUTO, "", reason);
	/* one after the first record is data, a zero-width no-break space */
	path = (free(path), write_tmp("bom-later.csv", "a\n\357\273\277b\n", 6));
	assert_dump(path, CSV_ENC_UTF8, "1:a\n2:\357\273\277b\n");
	free(gb_path);
	free(path);
}

/* The peak resident memory of this process in KiB (VmHWM). */
static long peak_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void test_csv_refuses_a_row_of_more_than_max_fields(void **state)
{
	struct strbuf sb = {0};
	char *path, *reason;
	pid_t child;
	int status;

	(void)state;
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		sb_addf(&sb, "%sc%d", i ? "," : "", i);
	sb_adds(&sb, "\n");
	path = write_tmp("max-fields.csv", sb.buf, sb.len);
	{
		struct csv_reader *r;
		struct csv_record rec;
		struct sgz_err err;

		r = csv_reader_open(path, CSV_ENC_AUTO, &err);
		assert_non_null(r);
		assert_int_equal(csv_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.nfields, CSV_MAX_FIELDS);
		csv_reader_free(r);
	}
	free(path);
	sb.len--; /* one field more, after a first line */
	sb_addf(&sb, ",c%d\n", CSV_MAX_FIELDS);
	path = write_tmp("too-many-fields.csv", sb.buf, sb.len);
	reason = xasprintf("1: more than %d fields in one row: no table of sgz has that many "
			   "columns (is this the right file?)",
			   CSV_MAX_FIELDS);
	assert_dump_error(path, CSV_ENC_AUTO, "", reason);
	free(reason);
	free(path);

	/* A header of a million columns (7.9 MB) took 250 MB. In a child, whose
	 * peak starts at what it holds now. */
	sb_reset(&sb);
	sb_adds(&sb, "x0");
	for (int i = 1; i < 1000000; i++)
		sb_addf(&sb, ",x%d", i);
	sb_adds(&sb, "\n");
	path = write_tmp("wide.csv", sb.buf, sb.len);
	sb_free(&sb);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		long before = peak_rss_kib();
		struct sgz_err err;
		char *got = dump(path, CSV_ENC_AUTO, &err);
		long grown = peak_rss_kib() - before;

		if (!strstr(got, "wide.csv:1: more than"))
			_exit(2);
		_exit(grown < 8 * 1024 ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(path);
}

static void test_csv_offset_grows_to_size(void **state)
{
	struct sgz_err err;
	struct csv_reader *r = csv_reader_open(DATA "multiline.csv", CSV_ENC_AUTO, &err);
	struct csv_record rec;
	off_t prev = 0;

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_reader_size(r), 120);
	assert_int_equal(csv_reader_offset(r), 0);
	while (csv_reader_next(r, &rec, &err) == 1) {
		assert_true(csv_reader_offset(r) > prev);
		prev = csv_reader_offset(r);
	}
	assert_int_equal(csv_reader_offset(r), 120);
	csv_reader_free(r);
}

static void test_csv_reads_field_longer_than_a_read_chunk(void **state)
{
	struct strbuf sb = {0};
	struct sgz_err err;
	struct csv_reader *r;
	struct csv_record rec;
	char *path;

	(void)state;
	sb_adds(&sb, "id,text\n1,\"");
	for (int i = 0; i < 30000; i++)
		sb_adds(&sb, "长文本,\n"); /* 11 bytes, one line each */
	sb_adds(&sb, "\"\n2,end\n");
	path = write_tmp("long-field.csv", sb.buf, sb.len);
	r = csv_reader_open(path, CSV_ENC_AUTO, &err);
	assert_non_null(r);
	assert_int_equal(csv_reader_next(r, &rec, &err), 1);
	assert_int_equal(csv_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.lens[1], 30000 * 11);
	assert_true(!strncmp(rec.fields[1], "长文本,\n长文本,\n", 22));
	assert_int_equal(csv_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 30003);
	assert_string_equal(rec.fields[1], "end");
	assert_int_equal(csv_reader_next(r, &rec, &err), 0);
	csv_reader_free(r);
	free(path);
	sb_free(&sb);
}

static void test_csv_rejects_record_longer_than_16_mib(void **state)
{
	static char block[64 * 1024];
	char *path = xasprintf("%s/huge.csv", tmpdir);
	FILE *f = fopen(path, "wb");
	struct sgz_err err;
	char *got;

	(void)state;
	assert_non_null(f);
	memset(block, 'x', sizeof(block));
	for (size_t i = 63; i < sizeof(block); i += 64)
		block[i] = '\n';
	fputs("a\n\"never closed\n", f);
	for (int i = 0; i < 17 * 16; i++)
		assert_int_equal(fwrite(block, 1, sizeof(block), f), sizeof(block));
	assert_int_equal(fclose(f), 0);
	sb_addn(&tmpfiles, path, strlen(path) + 1);
	got = dump(path, CSV_ENC_UTF8, &err);
	assert_non_null(strstr(got, "huge.csv:2: record longer than 16 MiB (a quoted field that is "
				    "never closed?)"));
	free(got);
	free(path);
}

static void test_csv_encoding_parse_accepts_the_three_names_in_any_case(void **state)
{
	enum csv_encoding e = CSV_ENC_GB18030;

	(void)state;
	assert_int_equal(csv_encoding_parse("AUTO", &e), 0);
	assert_int_equal(e, CSV_ENC_AUTO);
	assert_int_equal(csv_encoding_parse("utf-8", &e), 0);
	assert_int_equal(e, CSV_ENC_UTF8);
	e = CSV_ENC_AUTO;
	assert_int_equal(csv_encoding_parse("UTF8", &e), 0);
	assert_int_equal(e, CSV_ENC_UTF8);
	assert_int_equal(csv_encoding_parse("Gb18030", &e), 0);
	assert_int_equal(e, CSV_ENC_GB18030);
	assert_int_equal(csv_encoding_parse("latin1", &e), -1);
	assert_int_equal(csv_encoding_parse("", &e), -1);
	assert_int_equal(csv_encoding_parse("utf-16", &e), -1);
}

static void test_csv_write_field_quotes_only_when_needed(void **state)
{
	static const char *const cases[][2] = {
	    {"plain", "plain"},
	    {"东城街道", "东城街道"},
	    {"", ""},
	    {"a,b", "\"a,b\""},
	    {"say \"hi\"", "\"say \"\"hi\"\"\""},
	    {"\"", "\"\"\"\""},
	    {"two\nlines", "\"two\nlines\""},
	    {"cr\r", "\"cr\r\""},
	    {" lead", "\" lead\""},
	    {"trail ", "\"trail \""},
	    {"\ttab", "\"\ttab\""},
	    {"in side", "in side"},
	    {"semi;colon", "semi;colon"},
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(cases); i++) {
		struct strbuf sb = {0};

		csv_write_field(&sb, cases[i][0]);
		assert_string_equal(sb_str(&sb), cases[i][1]);
		sb_free(&sb);
	}
}

static void test_csv_write_record_ends_in_lf_and_writes_null_as_empty(void **state)
{
	const char *fields[] = {"a", NULL, "", "b"};
	const char *one_empty[] = {""};
	const char *one_null[] = {NULL};
	struct strbuf sb = {0};

	(void)state;
	csv_write_record(&sb, fields, 4);
	assert_string_equal(sb_str(&sb), "a,,,b\n");
	/* A lone empty field must not become a blank line, which is no record. */
	sb_reset(&sb);
	csv_write_record(&sb, one_empty, 1);
	csv_write_record(&sb, one_null, 1);
	assert_string_equal(sb_str(&sb), "\"\"\n\"\"\n");
	sb_free(&sb);
}

static void test_csv_written_records_read_back_unchanged(void **state)
{
	static const char *const rows[][4] = {
	    {"code", "name", "note", "empty"},
	    {"441900003000", "东城街道", "a,b", ""},
	    {" lead", "trail ", "say \"hi\"", ""},
	    {"multi\nline", "cr\r\nlf", "\"", "\t"},
	    {"", "", "", ""},
	    {"㐀𠀀", ";", "x", "y"},
	};
	const char *one[] = {""};
	struct strbuf sb = {0}, want = {0};
	long line = 1;
	char *path;

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(rows); i++) {
		csv_write_record(&sb, rows[i], 4);
		sb_addf(&want, "%ld:%s|%s|%s|%s\n", line, rows[i][0], rows[i][1], rows[i][2],
			rows[i][3]);
		for (size_t k = 0; k < 4; k++)
			for (const char *p = rows[i][k]; *p; p++)
				line += *p == '\n';
		line++;
	}
	csv_write_record(&sb, one, 1);
	sb_addf(&want, "%ld:\n", line);
	path = write_tmp("round-trip.csv", sb.buf, sb.len);
	assert_dump(path, CSV_ENC_AUTO, want.buf);
	free(path);
	sb_free(&sb);
	sb_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_reads_utf8_records_with_chinese_text),
	    cmocka_unit_test(test_csv_strips_cr_of_crlf_line_ends),
	    cmocka_unit_test(test_csv_skips_utf8_byte_order_mark),
	    cmocka_unit_test(test_csv_byte_order_mark_means_utf8_even_when_gb18030_asked),
	    cmocka_unit_test(test_csv_auto_detects_gb18030_file),
	    cmocka_unit_test(test_csv_refuses_gb18030_file_read_as_utf8_naming_the_line),
	    cmocka_unit_test(test_csv_counts_lines_ended_by_a_lone_cr),
	    cmocka_unit_test(test_csv_counts_lf_crlf_and_cr_line_ends_mixed),
	    cmocka_unit_test(test_csv_counts_crlf_split_by_a_read_chunk_as_one_line_end),
	    cmocka_unit_test(test_csv_keeps_quoted_newlines_commas_and_doubled_quotes),
	    cmocka_unit_test(test_csv_reports_line_of_record_after_multiline_field),
	    cmocka_unit_test(
		test_csv_record_starting_with_multiline_first_field_keeps_its_first_line),
	    cmocka_unit_test(test_csv_skips_blank_lines_but_counts_them),
	    cmocka_unit_test(test_csv_rejects_quote_inside_unquoted_field),
	    cmocka_unit_test(test_csv_rejects_text_after_closing_quote),
	    cmocka_unit_test(test_csv_rejects_quote_left_open_at_end_of_file),
	    cmocka_unit_test(test_csv_keeps_empty_trailing_fields),
	    cmocka_unit_test(test_csv_reads_last_line_without_newline),
	    cmocka_unit_test(test_csv_reads_no_records_from_empty_or_blank_file),
	    cmocka_unit_test(test_csv_trims_blanks_around_unquoted_fields_only),
	    cmocka_unit_test(test_csv_reports_missing_file_as_usage_error),
	    cmocka_unit_test(test_csv_reads_standard_input_named_stdin),
	    cmocka_unit_test(test_csv_detects_gb18030_on_a_pipe),
	    cmocka_unit_test(test_csv_names_line_of_invalid_utf8_beyond_pipe_sniff_window),
	    cmocka_unit_test(test_csv_converts_gb18030_characters_split_across_read_chunks),
	    cmocka_unit_test(test_csv_converts_gb18030_from_a_pipe_in_odd_pieces),
	    cmocka_unit_test(test_csv_auto_checks_whole_regular_file_before_choosing_utf8),
	    cmocka_unit_test(test_csv_rejects_bytes_neither_utf8_nor_gb18030),
	    cmocka_unit_test(test_csv_auto_names_the_gb18030_line_of_a_utf8_file),
	    cmocka_unit_test(test_csv_auto_names_the_gb18030_line_of_utf8_on_a_pipe),
	    cmocka_unit_test(test_csv_auto_takes_gb18030_with_a_few_utf8_lookalikes_as_gb18030),
	    cmocka_unit_test(test_csv_rejects_gb18030_character_cut_by_end_of_file),
	    cmocka_unit_test(test_csv_rejects_utf8_character_cut_by_end_of_file),
	    cmocka_unit_test(test_csv_rejects_overlong_and_surrogate_utf8),
	    cmocka_unit_test(test_csv_rejects_nul_byte),
	    cmocka_unit_test(test_csv_refuses_utf16_with_advice),
	    cmocka_unit_test(test_csv_skips_gb18030_byte_order_mark),
	    cmocka_unit_test(test_csv_refuses_a_second_byte_order_mark),
	    cmocka_unit_test(test_csv_refuses_a_row_of_more_than_max_fields),
	    cmocka_unit_test(test_csv_offset_grows_to_size),
	    cmocka_unit_test(test_csv_reads_field_longer_than_a_read_chunk),
	    cmocka_unit_test(test_csv_rejects_record_longer_than_16_mib),
	    cmocka_unit_test(test_csv_encoding_parse_accepts_the_three_names_in_any_case),
	    cmocka_unit_test(test_csv_write_field_quotes_only_when_needed),
	    cmocka_unit_test(test_csv_write_record_ends_in_lf_and_writes_null_as_empty),
	    cmocka_unit_test(test_csv_written_records_read_back_unchanged),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
