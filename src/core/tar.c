/* tar.c - POSIX ustar headers (IEEE Std 1003.1, pax: ustar Interchange
 * Format). Only regular files: an sgz backup holds nothing else, and a
 * reader that refuses links and devices cannot be led to write through
 * one. */
#include "config.h"

#include "sgz/tar.h"

#include <string.h>

/* Field offsets and lengths of the header block. */
enum {
	F_NAME = 0,
	L_NAME = 100,
	F_MODE = 100,
	F_UID = 108,
	F_GID = 116,
	F_SIZE = 124,
	L_SIZE = 12,
	F_MTIME = 136,
	F_CHKSUM = 148,
	L_CHKSUM = 8,
	F_TYPE = 156,
	F_MAGIC = 257, /* and the version, 263 */
	F_PREFIX = 345,
	L_PREFIX = 155,
};

/* The magic and version fields: POSIX's, and GNU tar's own. */
static const unsigned char posix_magic[8] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};
static const unsigned char gnu_magic[8] = {'u', 's', 't', 'a', 'r', ' ', ' ', '\0'};

/* Writes v as len-1 octal digits and a NUL; 0, or -1 if it does not fit. */
static int put_octal(unsigned char *field, size_t len, uint64_t v)
{
	for (size_t i = len - 1; i-- > 0;) {
		field[i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
	field[len - 1] = '\0';
	return v ? -1 : 0;
}

/* GNU's base-256: the first byte 0x80, the rest the value, big-endian. */
static void put_base256(unsigned char *field, size_t len, uint64_t v)
{
	for (size_t i = len; i-- > 1;) {
		field[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	field[0] = 0x80;
}

static unsigned checksum(const unsigned char *block)
{
	unsigned sum = 0;

	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += i >= F_CHKSUM && i < F_CHKSUM + L_CHKSUM ? ' ' : block[i];
	return sum;
}

/* Early tars summed signed chars; readers accept either sum. */
static int checksum_signed(const unsigned char *block)
{
	int sum = 0;

	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += i >= F_CHKSUM && i < F_CHKSUM + L_CHKSUM ? ' ' : (signed char)block[i];
	return sum;
}

int tar_header_make(unsigned char block[TAR_BLOCK], const char *name, uint64_t size, int64_t mtime)
{
	size_t n = strlen(name);

	if (n == 0 || n > L_NAME)
		return -1;
	memset(block, 0, TAR_BLOCK);
	memcpy(block + F_NAME, name, n);
	put_octal(block + F_MODE, 8, 0600);
	put_octal(block + F_UID, 8, 0);
	put_octal(block + F_GID, 8, 0);
	if (put_octal(block + F_SIZE, L_SIZE, size) < 0)
		put_base256(block + F_SIZE, L_SIZE, size);
	put_octal(block + F_MTIME, 12, mtime > 0 ? (uint64_t)mtime : 0);
	block[F_TYPE] = '0';
	memcpy(block + F_MAGIC, posix_magic, sizeof(posix_magic));
	/* six digits, a NUL and a space, as POSIX tar writes it */
	put_octal(block + F_CHKSUM, 7, checksum(block));
	block[F_CHKSUM + 7] = ' ';
	return 0;
}

/* Reads an octal field: leading blanks, digits, then NULs or blanks to the
 * end. 0, or -1 if anything else is there. */
static int get_octal(const unsigned char *field, size_t len, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	while (i < len && field[i] == ' ')
		i++;
	if (i == len || field[i] < '0' || field[i] > '7')
		return -1;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v >> 61)
			return -1;
		v = v << 3 | (uint64_t)(field[i] - '0');
	}
	for (; i < len; i++)
		if (field[i] != '\0' && field[i] != ' ')
			return -1;
	*out = v;
	return 0;
}

static int get_size(const unsigned char *field, uint64_t *out)
{
	if (field[0] == 0x80) {
		uint64_t v = 0;

		/* 11 bytes hold 88 bits; a size needs at most 63 of them */
		for (size_t i = 1; i < L_SIZE; i++) {
			if (v >> 55)
				return -1;
			v = v << 8 | field[i];
		}
		if (v >> 63)
			return -1;
		*out = v;
		return 0;
	}
	return get_octal(field, L_SIZE, out);
}

int tar_header_parse(const unsigned char block[TAR_BLOCK], char name[TAR_NAME_MAX], uint64_t *size,
		     struct sgz_err *err)
{
	uint64_t sum;
	size_t i;

	for (i = 0; i < TAR_BLOCK && block[i] == 0; i++)
		;
	if (i == TAR_BLOCK)
		return 0;
	if (get_octal(block + F_CHKSUM, L_CHKSUM, &sum) < 0 ||
	    (sum != checksum(block) && (int64_t)sum != checksum_signed(block))) {
		sgz_err_set(err, SGZ_EUSAGE, "not a tar header (bad checksum)");
		return -1;
	}
	if (memcmp(block + F_MAGIC, posix_magic, 8) != 0 &&
	    memcmp(block + F_MAGIC, gnu_magic, 8) != 0) {
		sgz_err_set(err, SGZ_EUSAGE, "not a ustar archive");
		return -1;
	}
	size_t nlen = strnlen((const char *)block + F_NAME, L_NAME);
	size_t plen = 0;
	/* GNU tar keeps other data (times) where ustar has the prefix */
	if (block[F_MAGIC + 5] == '\0')
		plen = strnlen((const char *)block + F_PREFIX, L_PREFIX);
	if (nlen == 0) {
		sgz_err_set(err, SGZ_EUSAGE, "a tar member without a name");
		return -1;
	}
	if (plen) {
		memcpy(name, block + F_PREFIX, plen);
		name[plen++] = '/';
	}
	memcpy(name + plen, block + F_NAME, nlen);
	name[plen + nlen] = '\0';
	if (block[F_TYPE] != '0' && block[F_TYPE] != '\0') {
		sgz_err_set(err, SGZ_EUSAGE, "tar member %s is not a regular file (type %c)", name,
			    block[F_TYPE] >= 0x20 && block[F_TYPE] < 0x7f ? block[F_TYPE] : '?');
		return -1;
	}
	if (get_size(block + F_SIZE, size) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "tar member %s has no valid size", name);
		return -1;
	}
	return 1;
}

size_t tar_padding(uint64_t size)
{
	return (size_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
}
