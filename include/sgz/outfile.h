/* outfile.h - the files sgz writes on a user's behalf (DESIGN.md, "Files
 * and the SSH front end"): all in one export directory, each by a file
 * name the user typed, never a path; nothing followed through a symbolic
 * link; an existing file replaced only when the caller says so (after
 * asking); a file that appears whole or not at all. Functions return 0 or
 * an errno value, for the caller to say in the user's language. */
#ifndef SGZ_OUTFILE_H
#define SGZ_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* The longest file name, in characters: 80 Chinese characters are 240
 * bytes, within every Linux file system's 255. */
#define OUTFILE_NAME_MAX 80

/* What a typed file name breaks, if anything. */
enum outfile_name {
	OUTFILE_NAME_OK,
	OUTFILE_NAME_EMPTY,
	OUTFILE_NAME_PATH,  /* holds a '/': a path */
	OUTFILE_NAME_FIRST, /* begins with neither a letter, a Chinese character nor a
			       digit (".bashrc", "..", "-rf") */
	OUTFILE_NAME_CHAR,  /* holds a character outside letters, Chinese characters,
			       digits, '-', '_', '.' (a blank, '\\', '*'), or is not UTF-8 */
	OUTFILE_NAME_LONG,  /* more than OUTFILE_NAME_MAX characters */
};

/* Checks name (UTF-8) against the rules above, in that order; *bad (may be
 * NULL) receives the character at fault for OUTFILE_NAME_FIRST and
 * OUTFILE_NAME_CHAR (0xFFFD for bytes that are not UTF-8). Letters are
 * A-Z and a-z, Chinese characters U+3400-U+4DBF and U+4E00-U+9FFF. */
enum outfile_name outfile_name_check(const char *name, unsigned *bad);

/* The export directory, open. */
struct outdir;

/* Opens the directory path (absolute), creating it with mode 0750 (and
 * its missing parents) when it does not exist; path itself may not be a
 * symbolic link (ELOOP) and must be a directory (ENOTDIR). 0 with *out
 * (close with outdir_close()), or an errno value. */
int outdir_open(const char *path, struct outdir **out);
/* Closes d; NULL is fine. */
void outdir_close(struct outdir *d);
/* The path d was opened by. Borrowed until outdir_close(). */
const char *outdir_path(const struct outdir *d);

/* What a name is in the directory. */
enum outdir_entry {
	OUTDIR_FREE,  /* nothing: a new file */
	OUTDIR_FILE,  /* a regular file: replace it only after asking */
	OUTDIR_OTHER, /* a symbolic link, a directory, a device: never written */
};

/* What name (checked by outfile_name_check()) is in d, never following a
 * symbolic link. 0 with *entry, or an errno value. */
int outdir_lookup(const struct outdir *d, const char *name, enum outdir_entry *entry);

/* A file being written. */
struct outfile;

/* Starts the file name in d: a new file of its own in d (O_CREAT|O_EXCL|
 * O_NOFOLLOW, mode 0640 whatever the umask), hidden under a name that
 * begins with a dot (which no typed name can), that becomes name at
 * outfile_commit(). A name that ends in .csv starts with a UTF-8 byte order
 * mark, so that Excel reads it. 0 with *out, or an errno value. */
int outfile_begin(struct outdir *d, const char *name, struct outfile **out);
/* Where to write. Borrowed until outfile_commit() or outfile_abort(). */
FILE *outfile_stream(struct outfile *f);
/* Finishes the file and gives it its name: without replace only if the
 * name is still free (EEXIST, and nothing changed, when something took it
 * meanwhile); with replace in place of whatever is there, which is never
 * opened, so that nothing it links to is written. Frees f, also on error
 * (the file then removed). 0 or an errno value. */
int outfile_commit(struct outfile *f, bool replace);
/* Removes the unfinished file and frees f; NULL is fine. */
void outfile_abort(struct outfile *f);

#endif
