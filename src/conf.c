/* conf.c - the ini files: the system file, then the user's, key by key;
 * keys, defaults and ranges; locked mode.
 *
 * iniparser parses (sections, quotes, comments, continuation lines), but it
 * lower-cases names, keeps no line numbers and reports errors through a
 * global callback that prints to stderr by default. So the file is first
 * read here, to tell "cannot read" from "empty" and to find the line of each
 * name; iniparser's messages are caught in a buffer (never the terminal);
 * then every entry of its dictionary is checked against conf_keys[]. */
#include "config.h"

#include "sgz/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "sgz/log.h"
#include "sgz/util.h"

#define CONF_USER_PATH	 ".config/sgz/sgz.ini" /* under the home directory */
#define CONF_MAX_SIZE	 (1024 * 1024)	       /* no real ini file comes near */
#define CONF_MAX_LINE	 1022		       /* iniparser 4.1: bytes per line */

enum conf_type {
	CONF_T_STRING,	 /* any text */
	CONF_T_PATH,	 /* "", an absolute path, or ~/... */
	CONF_T_INT,	 /* a plain integer in min..max */
	CONF_T_LANGUAGE, /* auto | zh_CN | en */
	CONF_T_COLOR,	 /* auto | always | never */
	CONF_T_LEVEL,	 /* error | warning | info | debug */
	CONF_T_BOOL,	 /* yes | no, and true, false, on, off, 1, 0 */
};

/* What a user's file may set. */
enum {
	CONF_F_PERSONAL = 1, /* also when locked, where the system file does not */
	CONF_F_SYSTEM = 2,   /* only the system file */
};

/* One row per key: the only list of keys, defaults and ranges in the code. */
struct conf_key {
	const char *section;
	const char *name;
	enum conf_type type;
	size_t offset;	 /* of the field in struct sgz_conf */
	const char *def; /* the default as it would be written; NULL: computed */
	long min, max;
	const char *unit;
	unsigned flags;
};

#define F(field) offsetof(struct sgz_conf, field)
static const struct conf_key conf_keys[] = {
    {"database", "conninfo", CONF_T_STRING, F(conninfo), "", 0, 0, NULL, 0},
    {"database", "report_conninfo", CONF_T_STRING, F(report_conninfo), "", 0, 0, NULL, 0},
    {"database", "report_max_lag", CONF_T_INT, F(report_max_lag), "300", 0, 604800, "seconds", 0},
    {"database", "connect_timeout", CONF_T_INT, F(connect_timeout), "10", 1, 600, "seconds", 0},
    {"database", "statement_timeout", CONF_T_INT, F(statement_timeout), "30000", 0, 86400000,
     "milliseconds", 0},
    {"database", "bulk_statement_timeout", CONF_T_INT, F(bulk_statement_timeout), "0", 0,
     86400000, "milliseconds", 0},
    {"database", "lock_timeout", CONF_T_INT, F(lock_timeout), "5000", 0, 86400000, "milliseconds",
     0},
    {"database", "idle_in_transaction_session_timeout", CONF_T_INT,
     F(idle_in_transaction_session_timeout), "60000", 0, 86400000, "milliseconds", 0},
    {"ui", "language", CONF_T_LANGUAGE, F(language), "auto", 0, 0, NULL, CONF_F_PERSONAL},
    {"ui", "color", CONF_T_COLOR, F(color), "auto", 0, 0, NULL, CONF_F_PERSONAL},
    {"export", "directory", CONF_T_PATH, F(export_dir), "~/sgz-exports", 0, 0, NULL, 0},
    {"log", "file", CONF_T_PATH, F(log_file), NULL, 0, 0, NULL, 0},
    {"log", "level", CONF_T_LEVEL, F(log_level), "warning", 0, 0, NULL, CONF_F_PERSONAL},
    {"demo", "pg_bindir", CONF_T_PATH, F(pg_bindir), "", 0, 0, NULL, 0},
    {"security", "locked", CONF_T_BOOL, F(security_locked), "no", 0, 0, NULL, CONF_F_SYSTEM},
};
#undef F

static const char *const conf_languages[] = {"auto", "zh_CN", "en"};
static const char *const conf_colors[] = {"auto", "always", "never"};
static const char *const conf_bools[] = {"no", "yes", "false", "true", "off", "on", "0", "1"};

_Static_assert(SGZ_ARRAY_LEN(conf_keys) <= CONF_MAX_KEYS, "struct sgz_conf: source[] too small");

/* Where a section or key was seen: name as iniparser stores it. */
struct conf_mark {
	char *name; /* "section" or "section:key", lower case */
	int line;
};

/* The file as read here, with the line of every name. */
struct conf_file {
	const char *path;
	char *text;
	size_t len;
	struct conf_mark *marks;
	size_t nmarks;
};

/* The first error by line: the one a person fixes first. */
struct conf_error {
	const char *path;
	int line; /* 0 = unknown */
	int set;
	struct strbuf msg;
};

/* iniparser's messages, caught by conf_ini_message() while loading. */
static struct strbuf ini_messages;

static int conf_ini_message(const char *fmt, ...) SGZ_PRINTF(1, 2);

static int conf_ini_message(const char *fmt, ...)
{
	size_t start = ini_messages.len;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&ini_messages, fmt, ap);
	va_end(ap);
	/* One line in the log, never the terminal (the screen may be open). */
	char *copy = xstrdup(sb_str(&ini_messages) + start);
	for (char *p = copy; *p; p++) {
		if (*p == '\n')
			*p = ' ';
	}
	log_msg(LOG_DEBUG, "%s", copy);
	free(copy);
	return 0;
}

/* Locked: ~ is the password database's home directory, whatever $HOME
 * says (~/.pam_environment may set it). Set only while conf_load() runs;
 * conf_locked_home is conf_sources' passwd_home. */
static bool conf_passwd_home;
static const char *conf_locked_home;

static const char *conf_home(void)
{
	const char *home = conf_passwd_home ? conf_locked_home : getenv("HOME");

	if (!home || !home[0]) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && pw->pw_dir[0] ? pw->pw_dir : NULL;
	}
	return home;
}

/* The login name, from the password database, never $USER. */
static const char *conf_login(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name && pw->pw_name[0] ? pw->pw_name : NULL;
}

/* A path as written: "", or absolute, or ~ or ~/...; %u is the login name
 * and %% a %. 0 with *out (caller frees), or -1 with reason. */
static int conf_expand_path(const char *val, char **out, struct strbuf *reason)
{
	struct strbuf sb = {0};
	const char *p = val;

	if (val[0] == '~' && (val[1] == '/' || val[1] == '\0')) {
		const char *home = conf_home();
		if (!home) {
			sb_addf(reason, "\"%s\": cannot expand ~: no home directory", val);
			return -1;
		}
		sb_adds(&sb, home);
		p++;
	} else if (val[0] != '\0' && val[0] != '/') {
		sb_addf(reason, "\"%s\" is not an absolute path (write /... or ~/...)", val);
		return -1;
	}
	for (; *p; p++) {
		if (*p != '%') {
			sb_addc(&sb, *p);
			continue;
		}
		p++;
		if (*p == '%') {
			sb_addc(&sb, '%');
		} else if (*p == 'u') {
			const char *login = conf_login();
			if (!login) {
				sb_addf(reason, "\"%s\": cannot expand %%u: no login name for uid %ld",
					val, (long)getuid());
				sb_free(&sb);
				return -1;
			}
			sb_adds(&sb, login);
		} else {
			sb_addf(reason,
				"\"%s\": %%%.1s is not known (%%u is the login name, %%%% a %%)", val,
				p);
			sb_free(&sb);
			return -1;
		}
	}
	*out = sb_detach(&sb);
	return 0;
}

static void *conf_field(struct sgz_conf *c, const struct conf_key *k)
{
	return (char *)c + k->offset;
}

/* Whether the field of k is a char * that c owns. */
static int conf_is_string(const struct conf_key *k)
{
	switch (k->type) {
	case CONF_T_STRING:
	case CONF_T_PATH:
	case CONF_T_LANGUAGE:
		return 1;
	case CONF_T_INT:
	case CONF_T_COLOR:
	case CONF_T_LEVEL:
	case CONF_T_BOOL:
		return 0;
	}
	abort();
}

static void conf_set_string(struct sgz_conf *c, const struct conf_key *k, char *s)
{
	char **field = conf_field(c, k);

	free(*field);
	*field = s;
}

static int conf_enum_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

static void conf_enum_reason(struct strbuf *reason, const char *s, const char *const *names,
			     size_t n)
{
	sb_addf(reason, "\"%s\" is not one of ", s);
	for (size_t i = 0; i < n; i++)
		sb_addf(reason, "%s%s", i ? ", " : "", names[i]);
}

/* A plain integer: an optional minus sign and digits, nothing else. Returns
 * 0, -1 when not an integer, -2 when far out of any range. */
static int conf_parse_int(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	int neg = 0, big = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > LLONG_MAX / 100)
			big = 1;
		else
			v = v * 10 + (*p - '0');
	}
	if (big)
		return -2;
	*out = neg ? -v : v;
	return 0;
}

/* Sets one key of c from its text. 0, or -1 with reason. */
static int conf_set(struct sgz_conf *c, const struct conf_key *k, const char *val,
		    struct strbuf *reason)
{
	long long n;
	int i;

	switch (k->type) {
	case CONF_T_STRING:
		conf_set_string(c, k, xstrdup(val));
		return 0;
	case CONF_T_PATH: {
		char *path;
		if (conf_expand_path(val, &path, reason) < 0)
			return -1;
		conf_set_string(c, k, path);
		return 0;
	}
	case CONF_T_INT:
		switch (conf_parse_int(val, &n)) {
		case -1:
			sb_addf(reason,
				"\"%s\" is not a plain integer (a number of %s, such as %s)", val,
				k->unit, k->def);
			return -1;
		case -2:
			n = LLONG_MAX;
			break;
		}
		if (n < k->min || n > k->max) {
			sb_addf(reason, "%s is out of range (%ld..%ld %s)", val, k->min, k->max,
				k->unit);
			return -1;
		}
		*(int *)conf_field(c, k) = (int)n;
		return 0;
	case CONF_T_LANGUAGE:
		i = conf_enum_index(conf_languages, SGZ_ARRAY_LEN(conf_languages), val);
		if (i < 0) {
			conf_enum_reason(reason, val, conf_languages,
					 SGZ_ARRAY_LEN(conf_languages));
			return -1;
		}
		conf_set_string(c, k, xstrdup(conf_languages[i]));
		return 0;
	case CONF_T_COLOR:
		i = conf_enum_index(conf_colors, SGZ_ARRAY_LEN(conf_colors), val);
		if (i < 0) {
			conf_enum_reason(reason, val, conf_colors, SGZ_ARRAY_LEN(conf_colors));
			return -1;
		}
		*(enum conf_color *)conf_field(c, k) = (enum conf_color)i;
		return 0;
	case CONF_T_LEVEL:
		if (log_level_parse(val, (enum log_level *)conf_field(c, k)) < 0) {
			static const char *const levels[] = {"error", "warning", "info", "debug"};
			conf_enum_reason(reason, val, levels, SGZ_ARRAY_LEN(levels));
			return -1;
		}
		return 0;
	case CONF_T_BOOL:
		i = conf_enum_index(conf_bools, SGZ_ARRAY_LEN(conf_bools), val);
		if (i < 0) {
			conf_enum_reason(reason, val, conf_bools, 2);
			return -1;
		}
		*(bool *)conf_field(c, k) = i % 2 == 1;
		return 0;
	}
	abort();
}

void conf_defaults(struct sgz_conf *c)
{
	struct strbuf reason = {0};

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];

		if (!k->def || conf_set(c, k, k->def, &reason) == 0)
			continue;
		/* ~/sgz-exports without a home directory: no exports */
		if (k->type == CONF_T_PATH)
			conf_set_string(c, k, xstrdup(""));
		else
			sgz_fatal("bad built-in default %s.%s: %s", k->section, k->name,
				  sb_str(&reason));
	}
	sb_free(&reason);
	char *state = sgz_state_dir();
	c->log_file = xasprintf("%s/sgz.log", state);
	free(state);
}

void conf_free(struct sgz_conf *c)
{
	if (!c)
		return;
	free(c->system_path);
	free(c->user_path);
	c->system_path = c->user_path = NULL;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		if (conf_is_string(&conf_keys[i]))
			conf_set_string(c, &conf_keys[i], NULL);
	}
}

/* dst = a deep copy of src; dst holds nothing before. */
static void conf_copy(struct sgz_conf *dst, const struct sgz_conf *src)
{
	*dst = *src;
	dst->system_path = src->system_path ? xstrdup(src->system_path) : NULL;
	dst->user_path = src->user_path ? xstrdup(src->user_path) : NULL;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		if (conf_is_string(&conf_keys[i])) {
			char **field = conf_field(dst, &conf_keys[i]);

			*field = *field ? xstrdup(*field) : NULL;
		}
	}
}

static void conf_error_note(struct conf_error *e, int line, const char *fmt, ...) SGZ_PRINTF(3, 4);

/* Keeps the message if it is on an earlier line than the one kept (an
 * unknown line, 0, comes last). */
static void conf_error_note(struct conf_error *e, int line, const char *fmt, ...)
{
	va_list ap;

	if (e->set && (line == 0 || (e->line != 0 && e->line <= line)))
		return;
	sb_reset(&e->msg);
	if (line > 0)
		sb_addf(&e->msg, "%s:%d: ", e->path, line);
	else
		sb_addf(&e->msg, "%s: ", e->path);
	va_start(ap, fmt);
	sb_vaddf(&e->msg, fmt, ap);
	va_end(ap);
	e->line = line;
	e->set = 1;
}

static void conf_lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* Strips blanks (and a CR) at both ends, in place. */
static char *conf_strip(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

static void conf_mark(struct conf_file *f, char *name, int line)
{
	f->marks = xreallocarray(f->marks, f->nmarks + 1, sizeof(*f->marks));
	f->marks[f->nmarks].name = name;
	f->marks[f->nmarks].line = line;
	f->nmarks++;
}

/* Records the line of every [section] and key, read the way iniparser reads
 * them: names stripped and lower-cased, "section:key"; the key of a
 * continued line (ending in \) is on its first line. */
static void conf_scan(struct conf_file *f)
{
	char *text = xstrndup(f->text, f->len);
	char *section = xstrdup("");
	int lineno = 0, continued = 0;

	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		char *line = conf_strip(p, nl ? nl : p + strlen(p));
		size_t len = strlen(line);

		lineno++;
		if (continued) {
			continued = len > 0 && line[len - 1] == '\\';
			continue;
		}
		continued = len > 0 && line[len - 1] == '\\';
		if (len == 0 || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[' && line[len - 1] == ']') {
			char *close = strchr(line, ']');
			if (close == line + 1)
				continue; /* "[]": iniparser keeps the section */
			free(section);
			section = xstrdup(conf_strip(line + 1, close));
			conf_lower(section);
			conf_mark(f, xstrdup(section), lineno);
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq)
			continue; /* iniparser reports the syntax error */
		char *key = conf_strip(line, eq);
		conf_lower(key);
		conf_mark(f, xasprintf("%s:%s", section, key), lineno);
	}
	free(section);
	free(text);
}

/* The line of a section (its first) or key (its last: the value that wins). */
static int conf_line_of(const struct conf_file *f, const char *name, int section)
{
	int line = 0;

	for (size_t i = 0; i < f->nmarks; i++) {
		if (strcmp(f->marks[i].name, name) != 0)
			continue;
		line = f->marks[i].line;
		if (section)
			break;
	}
	return line;
}

static void conf_file_free(struct conf_file *f)
{
	for (size_t i = 0; i < f->nmarks; i++)
		free(f->marks[i].name);
	free(f->marks);
	free(f->text);
}

/* Reads the whole file, so that a file that exists but cannot be read is an
 * error here, not an empty file to iniparser (which reads a directory as
 * one, and a pipe only once; read() says EISDIR). 0, or -1 with err. */
static int conf_read(struct conf_file *f, struct sgz_err *err)
{
	struct strbuf sb = {0};
	struct stat st;
	char buf[8192];
	const char *why = NULL;
	int fd, rc = -1;

	/* O_NONBLOCK: a pipe without a writer must not hang the start. */
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		why = strerror(errno);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		why = strerror(errno);
		goto out;
	}
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
		why = "not a regular file";
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			why = strerror(errno);
			goto out;
		}
		if (n == 0)
			break;
		sb_addn(&sb, buf, (size_t)n);
		if (sb.len > CONF_MAX_SIZE) {
			why = "larger than 1 MiB: not a configuration file";
			goto out;
		}
	}
	f->len = sb.len;
	f->text = sb_detach(&sb);
	rc = 0;
out:
	if (why)
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot read: %s", f->path, why);
	sb_free(&sb);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The line number at the end of iniparser's "... in FILE (N)" or
 * "... in FILE (N):" (the file name may hold anything, so from the end). */
static int conf_ini_line(const char *msg, size_t len)
{
	const char *end = msg + len;
	int line = 0, scale = 1;

	if (end > msg && end[-1] == ':')
		end--;
	if (end == msg || end[-1] != ')')
		return 0;
	end--;
	for (; end > msg && end[-1] >= '0' && end[-1] <= '9'; end--) {
		if (scale > INT_MAX / 10)
			return 0;
		line += (end[-1] - '0') * scale;
		scale *= 10;
	}
	return end > msg && end[-1] == '(' ? line : 0;
}

/* Turns iniparser's first message into err. */
static void conf_ini_failed(const struct conf_file *f, struct sgz_err *err)
{
	const char *msg = sb_str(&ini_messages);
	size_t len = strcspn(msg, "\n");
	int line = conf_ini_line(msg, len);

	if (strstr(msg, "syntax error") && line > 0) {
		if (line == 1 && f->len >= 3 && memcmp(f->text, "\xef\xbb\xbf", 3) == 0)
			sgz_err_set(err, SGZ_EUSAGE,
				    "%s:1: syntax error: the file begins with a byte order mark "
				    "(BOM); save it as UTF-8 without BOM",
				    f->path);
		else
			sgz_err_set(err, SGZ_EUSAGE,
				    "%s:%d: syntax error (expected [section], key = value or a "
				    "# comment)",
				    f->path, line);
		return;
	}
	if (strstr(msg, "line too long") && line > 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s:%d: line too long (at most %d bytes)", f->path,
			    line, CONF_MAX_LINE);
		return;
	}
	if (strncmp(msg, "iniparser: ", 11) == 0) {
		msg += 11;
		len -= 11;
	}
	if (len == 0)
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot parse", f->path);
	else
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot parse: %.*s", f->path, (int)len, msg);
}

static int conf_section_known(const char *name, size_t len)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		if (strlen(conf_keys[i].section) == len &&
		    strncmp(conf_keys[i].section, name, len) == 0)
			return 1;
	}
	return 0;
}

/* The key named "section:key" as iniparser stores it, or NULL. */
static const struct conf_key *conf_key_find(const char *name)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		size_t len = strlen(k->section);

		if (strncmp(name, k->section, len) == 0 && name[len] == ':' &&
		    strcmp(name + len + 1, k->name) == 0)
			return k;
	}
	return NULL;
}

/* How one file is read: whose it is, and whether sgz is locked. */
struct conf_pass {
	enum conf_source source;
	bool locked;
};

/* May this file set key k of c? A user's file: not what only the system
 * file sets; locked, only personal keys the system file left alone. */
static bool conf_may_set(const struct sgz_conf *c, const struct conf_key *k,
			 const struct conf_pass *pass)
{
	if (pass->source != CONF_SRC_USER)
		return true;
	if (!pass->locked)
		return true;
	return (k->flags & CONF_F_PERSONAL) &&
	       c->source[k - conf_keys] != CONF_SRC_SYSTEM;
}

/* Checks every entry of d and sets c from it. 0, or -1 with e set. */
static int conf_apply(struct sgz_conf *c, const dictionary *d, const struct conf_file *f,
		      const struct conf_pass *pass, struct conf_error *e)
{
	struct strbuf reason = {0};

	for (ssize_t i = 0; i < d->size; i++) {
		const char *name = d->key[i], *val = d->val[i];

		if (!name)
			continue;
		if (!val) { /* a [section] */
			if (!conf_section_known(name, strlen(name)))
				conf_error_note(e, conf_line_of(f, name, 1),
						"[%s]: unknown section", name);
			continue;
		}
		int line = conf_line_of(f, name, 0);
		const struct conf_key *k = conf_key_find(name);
		const char *colon = strchr(name, ':');
		if (!k && colon == name) {
			conf_error_note(e, line, "%s: key before any [section]", name + 1);
		} else if (!k) {
			size_t seclen = colon ? (size_t)(colon - name) : strlen(name);
			/* Under an unknown section: that section is the error. */
			if (conf_section_known(name, seclen))
				conf_error_note(e, line, "%.*s.%s: unknown key", (int)seclen, name,
						colon ? colon + 1 : "");
		} else if ((k->flags & CONF_F_SYSTEM) && pass->source == CONF_SRC_USER &&
			   !pass->locked) {
			conf_error_note(e, line,
					"%s.%s: only the system file may set this (sgz.ini(5))",
					k->section, k->name);
		} else if (!conf_may_set(c, k, pass)) {
			log_msg(LOG_INFO, "%s:%d: %s.%s: ignored: sgz is locked", f->path, line,
				k->section, k->name);
		} else {
			sb_reset(&reason);
			if (conf_set(c, k, val, &reason) < 0)
				conf_error_note(e, line, "%s.%s: %s", k->section, k->name,
						sb_str(&reason));
			else
				c->source[k - conf_keys] = (unsigned char)pass->source;
		}
	}
	sb_free(&reason);
	return e->set ? -1 : 0;
}

/* Loads path over c, as pass says. 0, or -1 with err and c unchanged. */
static int conf_load_pass(struct sgz_conf *c, const char *path, const struct conf_pass *pass,
			  struct sgz_err *err)
{
	struct conf_file f = {.path = path};
	struct conf_error e = {.path = path};
	struct sgz_conf next = {0};
	dictionary *d = NULL;
	int rc = -1;

	if (conf_read(&f, err) < 0)
		goto out;
	conf_scan(&f);
	/* Set every time: nothing else may put iniparser's default (stderr) back. */
	iniparser_set_error_callback(conf_ini_message);
	sb_reset(&ini_messages);
	d = iniparser_load(path);
	if (!d || ini_messages.len > 0) {
		/* Also a dictionary cut short by an allocation failure. */
		conf_ini_failed(&f, err);
		goto out;
	}
	conf_copy(&next, c);
	if (conf_apply(&next, d, &f, pass, &e) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s", sb_str(&e.msg));
		goto out;
	}
	char **where = pass->source == CONF_SRC_SYSTEM ? &next.system_path : &next.user_path;
	free(*where);
	*where = xstrdup(path);
	conf_free(c);
	*c = next;
	memset(&next, 0, sizeof(next));
	rc = 0;
out:
	conf_free(&next);
	if (d)
		iniparser_freedict(d);
	sb_free(&ini_messages);
	sb_free(&e.msg);
	conf_file_free(&f);
	return rc;
}

int conf_load_file(struct sgz_conf *c, const char *path, struct sgz_err *err)
{
	const struct conf_pass pass = {CONF_SRC_USER, false};

	return conf_load_pass(c, path, &pass, err);
}

/* Loads path if it exists: *found = 0 when there is nothing there. */
static int conf_load_if_there(struct sgz_conf *c, const char *path, const struct conf_pass *pass,
			      int *found, struct sgz_err *err)
{
	struct stat st;

	*found = 0;
	if (lstat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	/* Anything else is there but wrong: a directory on the way that we may
	 * not search, a dangling symbolic link. */
	*found = 1;
	return conf_load_pass(c, path, pass, err);
}

/* The user's file of the not locked: --config, $SGZ_CONFIG, ~/.config. */
static int conf_load_user(struct sgz_conf *c, const struct conf_sources *s, struct sgz_err *err)
{
	const struct conf_pass pass = {CONF_SRC_USER, false};
	const char *home;
	int found, rc = 0;

	if (s->config)
		return conf_load_pass(c, s->config, &pass, err);
	if (s->config_env && s->config_env[0])
		return conf_load_pass(c, s->config_env, &pass, err);
	home = conf_home();
	if (home) {
		char *path = xasprintf("%s/%s", home, CONF_USER_PATH);
		rc = conf_load_if_there(c, path, &pass, &found, err);
		free(path);
	}
	return rc;
}

int conf_load(struct sgz_conf *c, const struct conf_sources *s, struct sgz_err *err,
	      struct sgz_err *warning)
{
	struct sgz_conf next;
	bool locked = s->locked;
	int found, rc = -1;

	sgz_err_clear(warning);
	conf_locked_home = s->passwd_home;
	for (;;) {
		const struct conf_pass pass = {CONF_SRC_SYSTEM, locked};

		conf_passwd_home = locked;
		conf_defaults(&next);
		if (s->system_file &&
		    conf_load_if_there(&next, s->system_file, &pass, &found, err) < 0)
			goto out;
		if (locked || !next.security_locked)
			break;
		/* Locked by the file: read it again with ~ from the password
		 * database, not $HOME. */
		locked = true;
		conf_free(&next);
	}
	next.locked = locked;
	if (!locked) {
		if (conf_load_user(&next, s, err) < 0)
			goto out;
	} else {
		const struct conf_pass pass = {CONF_SRC_USER, true};
		const char *home = conf_home();
		struct sgz_err why;

		sgz_err_clear(&why);
		if (s->config || (s->config_env && s->config_env[0]))
			log_msg(LOG_INFO, "locked: --config and $SGZ_CONFIG are not read");
		if (home) {
			char *path = xasprintf("%s/%s", home, CONF_USER_PATH);
			if (conf_load_if_there(&next, path, &pass, &found, &why) < 0) {
				sgz_err_set(warning, SGZ_EUSAGE, "%s (skipped: sgz is locked)",
					    why.msg);
				log_msg(LOG_WARNING, "%s", warning->msg);
			}
			free(path);
		}
	}
	conf_free(c);
	*c = next;
	rc = 0;
out:
	if (rc < 0)
		conf_free(&next);
	conf_passwd_home = false;
	conf_locked_home = NULL;
	return rc;
}

enum conf_source conf_source_of(const struct sgz_conf *c, const char *key)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		size_t len = strlen(k->section);

		if (strncmp(key, k->section, len) == 0 && key[len] == '.' &&
		    strcmp(key + len + 1, k->name) == 0)
			return (enum conf_source)c->source[i];
	}
	abort();
}
