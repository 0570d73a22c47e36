/* outfile.c - the export directory and the files written into it: a name
 * checked character by character (no locale: the rules are the same in
 * every one), the directory opened once with O_DIRECTORY|O_NOFOLLOW and
 * every file reached through it (openat, fstatat, linkat, renameat), so
 * that neither a typed path nor a symbolic link planted in the directory
 * leads anywhere else. */
#include "config.h"

#include "sgz/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sgz/util.h"

#define OUTFILE_MODE 0640
#define OUTDIR_MODE  0750

struct outdir {
	int fd;
	char *path;
};

struct outfile {
	struct outdir *dir;
	FILE *fp;
	char *name;
	char tmp[64];
};

/* The next character of UTF-8 s at *i (advanced), or 0xFFFD for a byte
 * that does not begin a well-formed sequence (overlong forms and
 * surrogates included). */
static unsigned next_char(const unsigned char *s, size_t *i)
{
	unsigned c = s[*i], cp;
	int n;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
	} else {
		(*i)++;
		return 0xFFFD;
	}
	for (int k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return 0xFFFD;
	}
	*i += (size_t)n + 1;
	return cp;
}

/* A letter, a Chinese character or a digit: what a name may begin with. */
static bool is_alnum(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

enum outfile_name outfile_name_check(const char *name, unsigned *bad)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, n = 0;

	if (bad)
		*bad = 0;
	if (!name || !*name)
		return OUTFILE_NAME_EMPTY;
	if (strchr(name, '/'))
		return OUTFILE_NAME_PATH;
	while (s[i]) {
		unsigned c = next_char(s, &i);

		if (n == 0 && !is_alnum(c)) {
			if (bad)
				*bad = c;
			return c == 0xFFFD ? OUTFILE_NAME_CHAR : OUTFILE_NAME_FIRST;
		}
		if (!is_alnum(c) && c != '-' && c != '_' && c != '.') {
			if (bad)
				*bad = c;
			return OUTFILE_NAME_CHAR;
		}
		n++;
	}
	return n > OUTFILE_NAME_MAX ? OUTFILE_NAME_LONG : OUTFILE_NAME_OK;
}

/* Opens path as a directory, never through a symbolic link at its end.
 * The fd, or -1 with errno (ELOOP for a symbolic link). */
static int open_dir(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOTDIR && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		errno = ELOOP;
	return fd;
}

int outdir_open(const char *path, struct outdir **out)
{
	int fd, saved;

	*out = NULL;
	if (!path || path[0] != '/')
		return EINVAL;
	fd = open_dir(path);
	if (fd < 0 && errno == ENOENT) {
		char *parent = xstrdup(path);
		char *slash = strrchr(parent, '/');
		int rc = 0;

		if (slash != parent) {
			*slash = '\0';
			rc = sgz_mkdirs(parent, OUTDIR_MODE);
		}
		saved = errno;
		free(parent);
		if (rc < 0)
			return saved;
		if (mkdir(path, OUTDIR_MODE) < 0 && errno != EEXIST)
			return errno;
		fd = open_dir(path);
		/* the umask (077 in sgz) took the group's x and r away */
		if (fd >= 0 && fchmod(fd, OUTDIR_MODE) < 0) {
			saved = errno;
			close(fd);
			return saved;
		}
	}
	if (fd < 0)
		return errno;
	*out = xcalloc(1, sizeof(**out));
	(*out)->fd = fd;
	(*out)->path = xstrdup(path);
	return 0;
}

void outdir_close(struct outdir *d)
{
	if (!d)
		return;
	close(d->fd);
	free(d->path);
	free(d);
}

const char *outdir_path(const struct outdir *d)
{
	return d->path;
}

int outdir_lookup(const struct outdir *d, const char *name, enum outdir_entry *entry)
{
	struct stat st;

	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return errno;
		*entry = OUTDIR_FREE;
		return 0;
	}
	*entry = S_ISREG(st.st_mode) ? OUTDIR_FILE : OUTDIR_OTHER;
	return 0;
}

static bool ends_with_csv(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

int outfile_begin(struct outdir *d, const char *name, struct outfile **out)
{
	static unsigned counter;
	struct outfile *f;
	int fd = -1, saved;

	*out = NULL;
	if (outfile_name_check(name, NULL) != OUTFILE_NAME_OK)
		return EINVAL;
	f = xcalloc(1, sizeof(*f));
	/* O_EXCL: a name taken (by anything, a link included) is tried again
	 * under another */
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		unsigned r =
		    (unsigned)time(NULL) ^ ((unsigned)getpid() << 8) ^ counter++ * 2654435761u;
		snprintf(f->tmp, sizeof(f->tmp), ".sgz-%ld-%08x.tmp", (long)getpid(), r);
		fd = openat(d->fd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    OUTFILE_MODE);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		saved = errno;
		free(f);
		return saved;
	}
	if (fchmod(fd, OUTFILE_MODE) < 0 || !(f->fp = fdopen(fd, "w"))) {
		saved = errno;
		close(fd);
		unlinkat(d->fd, f->tmp, 0);
		free(f);
		return saved;
	}
	f->dir = d;
	f->name = xstrdup(name);
	if (ends_with_csv(name))
		fputs("\xEF\xBB\xBF", f->fp);
	*out = f;
	return 0;
}

FILE *outfile_stream(struct outfile *f)
{
	return f->fp;
}

static void outfile_free(struct outfile *f)
{
	free(f->name);
	free(f);
}

int outfile_commit(struct outfile *f, bool replace)
{
	int dfd = f->dir->fd, rc = 0;

	errno = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp))
		rc = errno ? errno : EIO;
	if (fclose(f->fp) != 0 && rc == 0)
		rc = errno;
	if (rc == 0 && replace && renameat(dfd, f->tmp, dfd, f->name) < 0)
		rc = errno;
	/* a new name: a link fails when the name was taken meanwhile */
	if (rc == 0 && !replace && linkat(dfd, f->tmp, dfd, f->name, 0) < 0)
		rc = errno;
	if (rc != 0 || !replace)
		unlinkat(dfd, f->tmp, 0);
	outfile_free(f);
	return rc;
}

void outfile_abort(struct outfile *f)
{
	if (!f)
		return;
	fclose(f->fp);
	unlinkat(f->dir->fd, f->tmp, 0);
	outfile_free(f);
}
