/* util.h - allocation that never returns NULL, growable strings, errors. */
#ifndef SGZ_UTIL_H
#define SGZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define SGZ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define SGZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SGZ_NORETURN __attribute__((noreturn))
#else
#define SGZ_PRINTF(f, a)
#define SGZ_NORETURN
#endif

/* Exit statuses of spec/cli.md. */
enum sgz_status {
	SGZ_OK = 0,
	SGZ_EDATA = 1,	/* the data was refused; nothing written */
	SGZ_EUSAGE = 2, /* usage, configuration, connection, permission */
};

/* An error the caller owns: the first message wins unless reset. */
struct sgz_err {
	enum sgz_status status;
	int conn_lost;	/* the database connection was lost (and reset) */
	char msg[1024];
};

/* Clears err. */
void sgz_err_clear(struct sgz_err *err);
/* Sets err's status and message (printf-style); err may be NULL. */
void sgz_err_set(struct sgz_err *err, enum sgz_status status, const char *fmt, ...)
	SGZ_PRINTF(3, 4);

/* Called before abort() on out-of-memory, so the terminal can be restored. */
void sgz_set_fatal_hook(void (*hook)(void));
/* Restores what the hook restores, prints msg to stderr and aborts. */
SGZ_NORETURN void sgz_fatal(const char *fmt, ...) SGZ_PRINTF(1, 2);

/* Allocators: never return NULL (sgz_fatal on failure). Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) SGZ_PRINTF(1, 2);

/* A growable NUL-terminated byte string; zero-initialise or sb_init(). */
struct strbuf {
	char *buf; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) SGZ_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) SGZ_PRINTF(2, 0);
/* Returns the string, "" if empty. Borrowed until the next change. */
const char *sb_str(const struct strbuf *sb);
/* Returns the buffer and empties sb. Caller frees. */
char *sb_detach(struct strbuf *sb);

/* Returns $XDG_STATE_HOME/sgz or ~/.local/state/sgz. Caller frees. */
char *sgz_state_dir(void);
/* mkdir -p with mode for each created component. 0 or -1 (errno set). */
int sgz_mkdirs(const char *path, unsigned mode);

#endif
