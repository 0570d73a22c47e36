/* tar.h - the headers of a POSIX ustar archive, the container of an sgz
 * backup: enough to write regular files and read them back, checked. */
#ifndef SGZ_TAR_H
#define SGZ_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "sgz/util.h"

#define TAR_BLOCK    512
#define TAR_NAME_MAX 256 /* prefix "/" name, and the NUL */

/* Fills block with the header of a regular file of size bytes, mode 0600,
 * owned by nobody in particular (uid and gid 0, no user or group names).
 * Sizes past the 11 octal digits of ustar (8 GiB) are written in base 256,
 * as GNU tar and bsdtar do and read. 0, or -1 if name is empty or longer
 * than the 100 bytes of the name field. */
int tar_header_make(unsigned char block[TAR_BLOCK], const char *name, uint64_t size, int64_t mtime);
/* Reads a header block. Returns 1 for a regular file, with its name
 * (prefix joined, NUL-terminated) and size; 0 for a block of zeros, the
 * end of the archive; -1 with err set (status 2) for anything else: a bad
 * checksum, not ustar, not a regular file. */
int tar_header_parse(const unsigned char block[TAR_BLOCK], char name[TAR_NAME_MAX], uint64_t *size,
		     struct sgz_err *err);
/* How many zero bytes follow size bytes of data to end its last block. */
size_t tar_padding(uint64_t size);

#endif
