/* test_tar.c - the ustar headers of a backup: written as tar(1) reads them,
 * read back, and anything but a checked regular file refused. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/tar.h"
#include "sgz/util.h"

static void assert_round_trip(const char *name, uint64_t size)
{
	unsigned char b[TAR_BLOCK];
	char got[TAR_NAME_MAX];
	uint64_t got_size = 0;
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(tar_header_make(b, name, size, 1700000000), 0);
	if (tar_header_parse(b, got, &got_size, &err) != 1)
		fail_msg("%s of %llu bytes: %s", name, (unsigned long long)size, err.msg);
	assert_string_equal(got, name);
	assert_true(got_size == size);
}

static void test_tar_header_round_trips(void **state)
{
	(void)state;
	assert_round_trip("sgz-backup.txt", 0);
	assert_round_trip("roles.csv", 1);
	assert_round_trip("database.dump", 512);
	assert_round_trip("database.dump", 077777777777ULL); /* the largest octal size */
	assert_round_trip(
	    "a-name-of-exactly-one-hundred-bytes-is-the-longest-that-fits-the-name-field-"
	    "of-a-ustar-header-xx",
	    3);
}

static void test_tar_header_is_posix_ustar(void **state)
{
	unsigned char b[TAR_BLOCK];

	(void)state;
	assert_int_equal(tar_header_make(b, "roles.csv", 1234, 0), 0);
	assert_memory_equal(b + 257, "ustar\00000", 8);	 /* "ustar", NUL, "00" */
	assert_memory_equal(b + 124, "00000002322", 12); /* 1234 in octal, NUL */
	assert_int_equal(b[156], '0');
	assert_memory_equal(b + 100, "0000600", 8);
	/* six octal digits, NUL, space */
	assert_int_equal(b[154], '\0');
	assert_int_equal(b[155], ' ');
}

static void test_tar_header_large_size_in_base256(void **state)
{
	unsigned char b[TAR_BLOCK];

	(void)state;
	assert_int_equal(tar_header_make(b, "database.dump", 0100000000000ULL, 0), 0);
	assert_int_equal(b[124], 0x80);
	assert_round_trip("database.dump", 0100000000000ULL); /* 8 GiB */
	assert_round_trip("database.dump", 5ULL << 40);
}

static void test_tar_header_refuses_long_or_empty_names(void **state)
{
	unsigned char b[TAR_BLOCK];
	char name[102];

	(void)state;
	memset(name, 'x', 101);
	name[101] = '\0';
	assert_int_equal(tar_header_make(b, name, 1, 0), -1);
	assert_int_equal(tar_header_make(b, "", 1, 0), -1);
}

static void assert_parse_refused(const unsigned char *b, const char *reason)
{
	char name[TAR_NAME_MAX];
	uint64_t size;
	struct sgz_err err;

	sgz_err_clear(&err);
	assert_int_equal(tar_header_parse(b, name, &size, &err), -1);
	assert_int_equal(err.status, SGZ_EUSAGE);
	if (!strstr(err.msg, reason))
		fail_msg("refused for \"%s\", not for \"%s\"", err.msg, reason);
}

/* Sets the checksum of a changed block again. */
static void fix_checksum(unsigned char *b)
{
	unsigned sum = 0;

	memset(b + 148, ' ', 8);
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += b[i];
	snprintf((char *)b + 148, 8, "%06o", sum);
	b[155] = ' ';
}

static void test_tar_header_refuses_what_is_not_a_checked_regular_file(void **state)
{
	unsigned char b[TAR_BLOCK], good[TAR_BLOCK];

	(void)state;
	assert_int_equal(tar_header_make(good, "roles.csv", 10, 0), 0);

	memcpy(b, good, TAR_BLOCK);
	b[0] = 'R';
	assert_parse_refused(b, "bad checksum");

	memcpy(b, good, TAR_BLOCK);
	b[156] = '2'; /* a symbolic link */
	fix_checksum(b);
	assert_parse_refused(b, "not a regular file (type 2)");

	memcpy(b, good, TAR_BLOCK);
	b[156] = '5'; /* a directory */
	fix_checksum(b);
	assert_parse_refused(b, "not a regular file");

	memcpy(b, good, TAR_BLOCK);
	memcpy(b + 257, "ustaR", 5);
	fix_checksum(b);
	assert_parse_refused(b, "not a ustar archive");

	memcpy(b, good, TAR_BLOCK);
	memcpy(b + 124, "0000000001x", 11);
	fix_checksum(b);
	assert_parse_refused(b, "no valid size");

	memcpy(b, good, TAR_BLOCK);
	memset(b, 0, 100);
	fix_checksum(b);
	assert_parse_refused(b, "without a name");

	/* a CSV file is not a tar header */
	memset(b, 0, TAR_BLOCK);
	memcpy(b, "code,name\n120110000000,东丽区\n", strlen("code,name\n120110000000,东丽区\n"));
	assert_parse_refused(b, "bad checksum");
}

static void test_tar_header_reads_gnu_tar_and_the_prefix(void **state)
{
	unsigned char b[TAR_BLOCK];
	char name[TAR_NAME_MAX];
	uint64_t size;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	/* GNU tar's magic: "ustar  \0", no prefix field */
	assert_int_equal(tar_header_make(b, "roles.csv", 7, 0), 0);
	memcpy(b + 257, "ustar  \0", 8);
	fix_checksum(b);
	assert_int_equal(tar_header_parse(b, name, &size, &err), 1);
	assert_string_equal(name, "roles.csv");
	assert_true(size == 7);

	/* POSIX: the prefix joined with a slash */
	assert_int_equal(tar_header_make(b, "roles.csv", 7, 0), 0);
	memcpy(b + 345, "backup", 6);
	fix_checksum(b);
	assert_int_equal(tar_header_parse(b, name, &size, &err), 1);
	assert_string_equal(name, "backup/roles.csv");
}

static void test_tar_zero_block_ends_the_archive(void **state)
{
	unsigned char b[TAR_BLOCK] = {0};
	char name[TAR_NAME_MAX];
	uint64_t size;
	struct sgz_err err;

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(tar_header_parse(b, name, &size, &err), 0);
}

static void test_tar_padding_fills_the_last_block(void **state)
{
	(void)state;
	assert_int_equal(tar_padding(0), 0);
	assert_int_equal(tar_padding(1), 511);
	assert_int_equal(tar_padding(511), 1);
	assert_int_equal(tar_padding(512), 0);
	assert_int_equal(tar_padding(513), 511);
	assert_int_equal(tar_padding(0100000000001ULL), 511);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tar_header_round_trips),
	    cmocka_unit_test(test_tar_header_is_posix_ustar),
	    cmocka_unit_test(test_tar_header_large_size_in_base256),
	    cmocka_unit_test(test_tar_header_refuses_long_or_empty_names),
	    cmocka_unit_test(test_tar_header_refuses_what_is_not_a_checked_regular_file),
	    cmocka_unit_test(test_tar_header_reads_gnu_tar_and_the_prefix),
	    cmocka_unit_test(test_tar_zero_block_ends_the_archive),
	    cmocka_unit_test(test_tar_padding_fills_the_last_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
