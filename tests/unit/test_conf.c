/* test_conf.c - the configuration file: defaults, every key, ranges, errors
 * with file, line and key, the search order, and conf/sgz.ini itself. */
#include "config.h"

#include "sgz/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pwd.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/log.h"
#include "sgz/util.h"

#define DATA	SGZ_TEST_DATA "/conf"
#define EXAMPLE SGZ_TEST_DATA "/../../../conf/sgz.ini"

/* A private directory for each test; HOME points into it. */
static char *tmp;
static char *saved_home, *saved_config, *saved_state;

static char *dupenv(const char *name)
{
	const char *v = getenv(name);

	return v ? xstrdup(v) : NULL;
}

static void putenv_or_unset(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";

	(void)state;
	tmp = xasprintf("%s/test_conf-XXXXXX", base);
	if (!mkdtemp(tmp))
		return -1;
	saved_home = dupenv("HOME");
	saved_config = dupenv("SGZ_CONFIG");
	saved_state = dupenv("XDG_STATE_HOME");
	char *home = xasprintf("%s/home", tmp);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	free(home);
	unsetenv("SGZ_CONFIG");
	unsetenv("XDG_STATE_HOME");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	tmp = NULL;
	putenv_or_unset("HOME", saved_home);
	putenv_or_unset("SGZ_CONFIG", saved_config);
	putenv_or_unset("XDG_STATE_HOME", saved_state);
	free(saved_home);
	free(saved_config);
	free(saved_state);
	return 0;
}

/* Writes text to name under the test directory (creating directories).
 * Returns the path. Caller frees. */
static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmp, name);
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(sgz_mkdirs(dir, 0700), 0);
	free(dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static char *read_text(const char *path)
{
	struct strbuf sb = {0};
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_addn(&sb, buf, n);
	fclose(fp);
	return sb_detach(&sb);
}

/* Loads text as t.ini over the defaults; *path receives the file (caller
 * frees) for the expected messages. */
static int load_text(const char *text, struct sgz_conf *c, struct sgz_err *err, char **path)
{
	char *p = write_file("t.ini", text);
	int rc;

	conf_defaults(c);
	sgz_err_clear(err);
	rc = conf_load_file(c, p, err);
	if (path)
		*path = p;
	else
		free(p);
	return rc;
}

/* Asserts that loading text fails with "T.INI:" + want. */
static void assert_text_error(const char *text, const char *want)
{
	struct sgz_conf c;
	struct sgz_err err;
	char *path;

	if (load_text(text, &c, &err, &path) == 0)
		fail_msg("accepted: %s", text);
	char *full = xasprintf("%s:%s", path, want);
	assert_string_equal(err.msg, full);
	assert_int_equal(err.status, SGZ_EUSAGE);
	free(full);
	free(path);
	conf_free(&c);
}

static void assert_conf_equal(const struct sgz_conf *a, const struct sgz_conf *b)
{
	assert_string_equal(a->conninfo, b->conninfo);
	assert_string_equal(a->report_conninfo, b->report_conninfo);
	assert_int_equal(a->report_max_lag, b->report_max_lag);
	assert_int_equal(a->connect_timeout, b->connect_timeout);
	assert_int_equal(a->statement_timeout, b->statement_timeout);
	assert_int_equal(a->lock_timeout, b->lock_timeout);
	assert_int_equal(a->idle_in_transaction_session_timeout,
			 b->idle_in_transaction_session_timeout);
	assert_string_equal(a->language, b->language);
	assert_int_equal(a->color, b->color);
	assert_string_equal(a->log_file, b->log_file);
	assert_int_equal(a->log_level, b->log_level);
	assert_string_equal(a->pg_bindir, b->pg_bindir);
	assert_string_equal(a->export_dir, b->export_dir);
	assert_int_equal(a->security_locked, b->security_locked);
}

static void test_conf_defaults_are_the_documented_ones(void **state)
{
	struct sgz_conf c;

	(void)state;
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	conf_defaults(&c);
	assert_null(c.system_path);
	assert_null(c.user_path);
	assert_false(c.locked);
	assert_string_equal(c.conninfo, "");
	assert_string_equal(c.report_conninfo, "");
	assert_int_equal(c.report_max_lag, 300);
	assert_int_equal(c.connect_timeout, 10);
	assert_int_equal(c.statement_timeout, 30000);
	assert_int_equal(c.lock_timeout, 5000);
	assert_int_equal(c.idle_in_transaction_session_timeout, 60000);
	assert_string_equal(c.language, "auto");
	assert_int_equal(c.color, CONF_COLOR_AUTO);
	assert_string_equal(c.log_file, "/xdg/state/sgz/sgz.log");
	assert_int_equal(c.log_level, LOG_WARNING);
	assert_string_equal(c.pg_bindir, "");
	char *exports = xasprintf("%s/sgz-exports", getenv("HOME"));
	assert_string_equal(c.export_dir, exports);
	free(exports);
	assert_false(c.security_locked);
	assert_int_equal(conf_source_of(&c, "database.conninfo"), CONF_SRC_DEFAULT);
	conf_free(&c);

	/* Without XDG_STATE_HOME: under the home directory. */
	unsetenv("XDG_STATE_HOME");
	conf_defaults(&c);
	char *want = xasprintf("%s/.local/state/sgz/sgz.log", getenv("HOME"));
	assert_string_equal(c.log_file, want);
	free(want);
	conf_free(&c);
}

static void test_conf_free_clears_and_accepts_null(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	assert_int_equal(conf_load_file(&c, DATA "/full.ini", &err), 0);
	conf_free(&c);
	assert_null(c.user_path);
	assert_null(c.conninfo);
	assert_null(c.export_dir);
	assert_null(c.language);
	assert_null(c.log_file);
	assert_null(c.pg_bindir);
	conf_free(&c); /* twice is harmless */
	conf_free(NULL);
}

static void test_conf_reads_every_key(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	sgz_err_clear(&err);
	assert_int_equal(conf_load_file(&c, DATA "/full.ini", &err), 0);
	assert_string_equal(c.user_path, DATA "/full.ini");
	assert_null(c.system_path);
	assert_string_equal(c.conninfo, "host=db.example dbname=sgz application_name='sgz # ; 1'");
	assert_string_equal(c.report_conninfo,
			    "service=sgz_report target_session_attrs=prefer-standby");
	assert_int_equal(c.report_max_lag, 60);
	assert_int_equal(c.connect_timeout, 20);
	assert_int_equal(c.statement_timeout, 0);
	assert_int_equal(c.lock_timeout, 86400000);
	assert_int_equal(c.idle_in_transaction_session_timeout, 1000);
	assert_string_equal(c.language, "zh_CN");
	assert_int_equal(c.color, CONF_COLOR_NEVER);
	assert_string_equal(c.log_file, "/var/log/sgz/sgz.log");
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_string_equal(c.pg_bindir, "/usr/lib/postgresql/15/bin");
	char *exports = xasprintf("/srv/sgz/exports/%s", getpwuid(getuid())->pw_name);
	assert_string_equal(c.export_dir, exports);
	free(exports);
	assert_int_equal(conf_source_of(&c, "ui.language"), CONF_SRC_USER);
	conf_free(&c);
}

static void test_conf_keeps_defaults_for_absent_keys(void **state)
{
	struct sgz_conf c, d;
	struct sgz_err err;

	(void)state;
	assert_int_equal(load_text("[database]\nlock_timeout = 7\n[ui]\n", &c, &err, NULL), 0);
	conf_defaults(&d);
	assert_int_equal(c.lock_timeout, 7);
	c.lock_timeout = d.lock_timeout;
	assert_conf_equal(&c, &d);
	conf_free(&c);
	conf_free(&d);
}

static void test_conf_enums_ignore_case_and_are_stored_canonical(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	assert_int_equal(load_text("[ui]\nlanguage = ZH_cn\ncolor = Always\n[log]\nlevel = INFO\n",
				   &c, &err, NULL),
			 0);
	assert_string_equal(c.language, "zh_CN");
	assert_int_equal(c.color, CONF_COLOR_ALWAYS);
	assert_int_equal(c.log_level, LOG_INFO);
	conf_free(&c);
	assert_int_equal(load_text("[ui]\nlanguage = EN\nlanguage = auto\n[log]\nlevel = error\n",
				   &c, &err, NULL),
			 0);
	assert_string_equal(c.language, "auto"); /* the last one wins */
	assert_int_equal(c.log_level, LOG_ERROR);
	conf_free(&c);
}

static void test_conf_quoted_values_keep_comment_characters(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	assert_int_equal(load_text("[database]\n"
				   "conninfo = \"password='a#b;c'  host=x \"\n"
				   "report_conninfo = host=y # the rest is a comment\n"
				   "[log]\nfile = ''\n[demo]\npg_bindir = \"\"\n",
				   &c, &err, NULL),
			 0);
	assert_string_equal(c.conninfo, "password='a#b;c'  host=x ");
	assert_string_equal(c.report_conninfo, "host=y");
	assert_string_equal(c.log_file, "");
	assert_string_equal(c.pg_bindir, "");
	conf_free(&c);
}

static void test_conf_paths_are_absolute_or_under_home(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	assert_int_equal(
	    load_text("[log]\nfile = ~/logs/sgz.log\n[demo]\npg_bindir = ~\n", &c, &err, NULL), 0);
	char *want = xasprintf("%s/logs/sgz.log", getenv("HOME"));
	assert_string_equal(c.log_file, want);
	assert_string_equal(c.pg_bindir, getenv("HOME"));
	free(want);
	conf_free(&c);
	assert_text_error("[log]\nfile = logs/sgz.log\n",
			  "2: log.file: \"logs/sgz.log\" is not an absolute path (write /... or "
			  "~/...)");
	assert_text_error("[demo]\npg_bindir = ~postgres/bin\n",
			  "2: demo.pg_bindir: \"~postgres/bin\" is not an absolute path (write "
			  "/... or ~/...)");
}

/* %u is the login name of the password database, never $USER; %% a %. */
static void test_conf_paths_expand_the_login_name(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;
	const char *login = getpwuid(getuid())->pw_name;

	(void)state;
	setenv("USER", "somebody-else", 1);
	setenv("LOGNAME", "somebody-else", 1);
	assert_int_equal(load_text("[export]\ndirectory = /srv/sgz/exports/%u/100%%\n"
				   "[log]\nfile = ~/logs/%u.log\n",
				   &c, &err, NULL),
			 0);
	char *want = xasprintf("/srv/sgz/exports/%s/100%%", login);
	assert_string_equal(c.export_dir, want);
	free(want);
	want = xasprintf("%s/logs/%s.log", getenv("HOME"), login);
	assert_string_equal(c.log_file, want);
	free(want);
	conf_free(&c);
	assert_text_error("[export]\ndirectory = /srv/%n\n",
			  "2: export.directory: \"/srv/%n\": %n is not known (%u is the login "
			  "name, %% a %)");
	assert_text_error("[export]\ndirectory = exports\n",
			  "2: export.directory: \"exports\" is not an absolute path (write /... "
			  "or ~/...)");
	/* empty: the interface writes no files */
	assert_int_equal(load_text("[export]\ndirectory =\n", &c, &err, NULL), 0);
	assert_string_equal(c.export_dir, "");
	conf_free(&c);
}

static void test_conf_unknown_key_names_file_line_and_key(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	assert_int_equal(conf_load_file(&c, DATA "/unknown_key.ini", &err), -1);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_string_equal(err.msg, DATA "/unknown_key.ini:3: ui.colour: unknown key");
	conf_free(&c);
	assert_text_error("[database]\n\n\nConnInfo = x\nPassword = secret\n",
			  "5: database.password: unknown key");
}

static void test_conf_unknown_section_names_file_and_line(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	assert_int_equal(conf_load_file(&c, DATA "/unknown_section.ini", &err), -1);
	assert_string_equal(err.msg, DATA "/unknown_section.ini:7: [datbase]: unknown section");
	conf_free(&c);
	/* Even an empty one. */
	assert_text_error("[ui]\ncolor = never\n[Colours]\n", "3: [colours]: unknown section");
}

static void test_conf_key_before_any_section_is_an_error(void **state)
{
	(void)state;
	assert_text_error("# comment\ncolor = never\n[ui]\n", "2: color: key before any [section]");
}

static void test_conf_out_of_range_names_line_key_and_range(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	assert_int_equal(conf_load_file(&c, DATA "/out_of_range.ini", &err), -1);
	assert_string_equal(err.msg, DATA "/out_of_range.ini:12: database.lock_timeout: "
					  "99999999999 is out of range (0..86400000 milliseconds)");
	conf_free(&c);
}

struct int_case {
	const char *key; /* in [database] */
	const char *value;
	int ok;
	const char *range;
};

static void test_conf_integer_ranges_hold_at_both_ends(void **state)
{
	static const struct int_case cases[] = {
	    {"connect_timeout", "1", 1, NULL},
	    {"connect_timeout", "600", 1, NULL},
	    {"connect_timeout", "0", 0, "1..600 seconds"},
	    {"connect_timeout", "601", 0, "1..600 seconds"},
	    {"statement_timeout", "0", 1, NULL},
	    {"statement_timeout", "86400000", 1, NULL},
	    {"statement_timeout", "-1", 0, "0..86400000 milliseconds"},
	    {"statement_timeout", "86400001", 0, "0..86400000 milliseconds"},
	    {"lock_timeout", "0", 1, NULL},
	    {"lock_timeout", "86400000", 1, NULL},
	    {"lock_timeout", "-1", 0, "0..86400000 milliseconds"},
	    {"lock_timeout", "86400001", 0, "0..86400000 milliseconds"},
	    {"idle_in_transaction_session_timeout", "0", 1, NULL},
	    {"idle_in_transaction_session_timeout", "86400000", 1, NULL},
	    {"idle_in_transaction_session_timeout", "-1", 0, "0..86400000 milliseconds"},
	    {"idle_in_transaction_session_timeout", "86400001", 0, "0..86400000 milliseconds"},
	    {"report_max_lag", "0", 1, NULL},
	    {"report_max_lag", "604800", 1, NULL},
	    {"report_max_lag", "-1", 0, "0..604800 seconds"},
	    {"report_max_lag", "604801", 0, "0..604800 seconds"},
	    /* Far beyond any integer type: still "out of range". */
	    {"lock_timeout", "123456789012345678901234567890", 0, "0..86400000 milliseconds"},
	    {"lock_timeout", "-123456789012345678901234567890", 0, "0..86400000 milliseconds"},
	};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(cases); i++) {
		const struct int_case *t = &cases[i];
		char *text = xasprintf("[database]\n%s = %s\n", t->key, t->value);

		if (t->ok) {
			struct sgz_conf c;
			struct sgz_err err;
			long want = strtol(t->value, NULL, 10);

			assert_int_equal(load_text(text, &c, &err, NULL), 0);
			int got = !strcmp(t->key, "connect_timeout")	 ? c.connect_timeout
				  : !strcmp(t->key, "statement_timeout") ? c.statement_timeout
				  : !strcmp(t->key, "lock_timeout")	 ? c.lock_timeout
				  : !strcmp(t->key, "report_max_lag")	 ? c.report_max_lag
				      : c.idle_in_transaction_session_timeout;
			assert_int_equal(got, want);
			conf_free(&c);
		} else {
			char *msg = xasprintf("2: database.%s: %s is out of range (%s)", t->key,
					      t->value, t->range);
			assert_text_error(text, msg);
			free(msg);
		}
		free(text);
	}
}

static void test_conf_integers_must_be_plain(void **state)
{
	static const char *const bad[] = {"30s", "1e3", "0x10", "+5",	  "1 000", "3.5",
					  "--1", "-",	"",	"\" 5\"", "٣"};

	(void)state;
	assert_text_error("[database]\nstatement_timeout = 30s\n",
			  "2: database.statement_timeout: \"30s\" is not a plain integer (a number "
			  "of milliseconds, such as 30000)");
	assert_text_error("[database]\nconnect_timeout = 10 s\n",
			  "2: database.connect_timeout: \"10 s\" is not a plain integer (a number "
			  "of seconds, such as 10)");
	for (size_t i = 0; i < SGZ_ARRAY_LEN(bad); i++) {
		char *text = xasprintf("[database]\nlock_timeout = %s\n", bad[i]);
		struct sgz_conf c;
		struct sgz_err err;

		if (load_text(text, &c, &err, NULL) == 0)
			fail_msg("accepted lock_timeout = %s", bad[i]);
		assert_non_null(strstr(err.msg, ":2: database.lock_timeout: \""));
		assert_non_null(strstr(err.msg, "\" is not a plain integer"));
		conf_free(&c);
		free(text);
	}
}

static void test_conf_bad_choices_list_the_good_ones(void **state)
{
	(void)state;
	assert_text_error("[ui]\nlanguage = fr\n",
			  "2: ui.language: \"fr\" is not one of auto, zh_CN, en");
	assert_text_error("[ui]\nlanguage =\n",
			  "2: ui.language: \"\" is not one of auto, zh_CN, en");
	assert_text_error("[ui]\ncolor = blue\n",
			  "2: ui.color: \"blue\" is not one of auto, always, never");
	assert_text_error("[log]\nlevel = verbose\n",
			  "2: log.level: \"verbose\" is not one of error, warning, info, debug");
}

static void test_conf_reports_the_first_error_by_line(void **state)
{
	(void)state;
	/* The dictionary holds color before language; the file has language first. */
	assert_text_error("[ui]\ncolor = auto\nlanguage = fr\ncolor = blue\n",
			  "3: ui.language: \"fr\" is not one of auto, zh_CN, en");
	/* A repeated key: the last one is the value, and its line is named. */
	assert_text_error("[ui]\ncolor = blue\ncolor = red\n",
			  "3: ui.color: \"red\" is not one of auto, always, never");
	/* Three errors: neither the first nor the last in the dictionary is the
	 * first in the file. */
	assert_text_error(
	    "[ui]\ncolor = auto\nlanguage = fr\n[log]\nlevel = x\n[ui]\ncolor = blue\n",
	    "3: ui.language: \"fr\" is not one of auto, zh_CN, en");
	/* A line ending in a backslash goes on: "[ui]" is part of the value. */
	assert_text_error("[database]\nconninfo = host=a \\\n[ui]\nlock_timeout = x\n",
			  "4: database.lock_timeout: \"x\" is not a plain integer (a number of "
			  "milliseconds, such as 5000)");
}

static void test_conf_error_leaves_conf_unchanged(void **state)
{
	struct sgz_conf c, d;
	struct sgz_err err;
	char *bad = write_file("bad.ini", "[ui]\ncolor = never\n[database]\nconnect_timeout = 0\n");

	(void)state;
	conf_defaults(&c);
	conf_defaults(&d);
	assert_int_equal(conf_load_file(&c, bad, &err), -1);
	assert_null(c.user_path);
	assert_conf_equal(&c, &d);

	/* Over a loaded file too. */
	assert_int_equal(conf_load_file(&c, DATA "/full.ini", &err), 0);
	assert_int_equal(conf_load_file(&c, bad, &err), -1);
	assert_string_equal(c.user_path, DATA "/full.ini");
	assert_null(c.system_path);
	assert_int_equal(c.color, CONF_COLOR_NEVER);
	assert_int_equal(c.connect_timeout, 20);
	conf_free(&c);
	conf_free(&d);
	free(bad);
}

/* Runs conf_load_file with stderr caught; returns what was written there. */
static char *load_catching_stderr(struct sgz_conf *c, const char *path, struct sgz_err *err,
				  int *rc)
{
	char *out = xasprintf("%s/stderr", tmp);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int saved = dup(2);

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	*rc = conf_load_file(c, path, err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	char *text = read_text(out);
	free(out);
	return text;
}

static void test_conf_syntax_error_names_line_and_prints_nothing(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;
	int rc;

	(void)state;
	conf_defaults(&c);
	char *printed = load_catching_stderr(&c, DATA "/syntax.ini", &err, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_string_equal(err.msg, DATA "/syntax.ini:4: syntax error (expected [section], key "
					  "= value or a # comment)");
	assert_string_equal(printed, "");
	assert_null(c.user_path);
	free(printed);
	conf_free(&c);
	assert_text_error("[ui]\ncolor = never\n[log\n",
			  "3: syntax error (expected [section], key = value or a # comment)");
}

static void test_conf_byte_order_mark_is_named(void **state)
{
	(void)state;
	assert_text_error("\xef\xbb\xbf[ui]\ncolor = never\n",
			  "1: syntax error: the file begins with a byte order mark (BOM); save it "
			  "as UTF-8 without BOM");
}

static void test_conf_line_length_limit(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;
	struct strbuf sb = {0};

	(void)state;
	/* 1022 bytes: the longest line iniparser reads. */
	sb_adds(&sb, "[database]\nconninfo = ");
	for (int i = 0; i < 1022 - 11; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\n");
	assert_int_equal(load_text(sb_str(&sb), &c, &err, NULL), 0);
	assert_int_equal(strlen(c.conninfo), 1022 - 11);
	conf_free(&c);
	sb_adds(&sb, "report_conninfo = ");
	for (int i = 0; i < 1100; i++)
		sb_addc(&sb, 'y');
	sb_adds(&sb, "\n");
	assert_text_error(sb_str(&sb), "3: line too long (at most 1022 bytes)");
	sb_free(&sb);
}

static void test_conf_unreadable_file_is_an_error(void **state)
{
	struct sgz_conf c;
	struct sgz_err err;
	char *want;

	(void)state;
	conf_defaults(&c);

	/* A directory opens, but is no file: iniparser would read it as empty. */
	char *dir = xasprintf("%s/dir.ini", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(conf_load_file(&c, dir, &err), -1);
	want = xasprintf("%s: cannot read: %s", dir, strerror(EISDIR));
	assert_string_equal(err.msg, want);
	assert_int_equal(err.status, SGZ_EUSAGE);
	free(want);

	/* A dangling symbolic link. */
	char *link = xasprintf("%s/link.ini", tmp);
	assert_int_equal(symlink("nowhere.ini", link), 0);
	assert_int_equal(conf_load_file(&c, link, &err), -1);
	want = xasprintf("%s: cannot read: %s", link, strerror(ENOENT));
	assert_string_equal(err.msg, want);
	free(want);

	/* A pipe can be read once only. */
	char *fifo = xasprintf("%s/fifo.ini", tmp);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int fd = open(fifo, O_RDWR | O_NONBLOCK); /* so that opening it does not block */
	assert_true(fd >= 0);
	assert_int_equal(conf_load_file(&c, fifo, &err), -1);
	want = xasprintf("%s: cannot read: not a regular file", fifo);
	assert_string_equal(err.msg, want);
	free(want);
	close(fd);

	/* No permission: root reads anyway, so only as another user. */
	char *secret = write_file("secret.ini", "[ui]\ncolor = never\n");
	assert_int_equal(chmod(secret, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(conf_load_file(&c, secret, &err), -1);
		want = xasprintf("%s: cannot read: %s", secret, strerror(EACCES));
		assert_string_equal(err.msg, want);
		free(want);
	}
	assert_null(c.user_path);
	free(dir);
	free(link);
	free(fifo);
	free(secret);
	conf_free(&c);
}

static void test_conf_dev_null_means_defaults(void **state)
{
	struct sgz_conf c, d;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	conf_defaults(&d);
	assert_int_equal(conf_load_file(&c, "/dev/null", &err), 0);
	assert_string_equal(c.user_path, "/dev/null");
	assert_conf_equal(&c, &d);
	/* But an endless device is refused, not read forever. */
	assert_int_equal(conf_load_file(&c, "/dev/zero", &err), -1);
	assert_string_equal(err.msg,
			    "/dev/zero: cannot read: larger than 1 MiB: not a configuration file");
	conf_free(&c);
	conf_free(&d);
}

/* The system file of the tests, under the test directory. */
static char *sysfile(void)
{
	return xasprintf("%s/etc/sgz.ini", tmp);
}

/* Loads as sgz does with --config explicit_path (or NULL) and --locked as
 * locked; returns connect_timeout, or -1 on error. *path receives the
 * user's file read (caller frees), *c the configuration when c is not
 * NULL (caller frees with conf_free()). */
static int load_as(const char *explicit_path, bool locked, char **path, struct sgz_conf *out,
		   struct sgz_err *err, struct sgz_err *warning)
{
	struct sgz_conf c;
	char *sys = sysfile();
	char *home = xasprintf("%s/home", tmp);
	struct conf_sources s = {
	    .system_file = sys,
	    .config = explicit_path,
	    .config_env = getenv("SGZ_CONFIG"),
	    .locked = locked,
	    .passwd_home = home, /* the password database's, as far as locked knows */
	};
	int rc;

	conf_defaults(&c);
	sgz_err_clear(err);
	rc = conf_load(&c, &s, err, warning);
	free(sys);
	free(home);
	*path = c.user_path ? xstrdup(c.user_path) : NULL;
	rc = rc < 0 ? -1 : c.connect_timeout;
	if (out)
		*out = c;
	else
		conf_free(&c);
	return rc;
}

static int search(const char *explicit_path, char **path, struct sgz_err *err)
{
	struct sgz_err warning;

	return load_as(explicit_path, false, path, NULL, err, &warning);
}

static void test_conf_search_order(void **state)
{
	struct sgz_err err;
	char *path;
	char *explicit_path = write_file("explicit.ini", "[database]\nconnect_timeout = 11\n");
	char *env = write_file("env.ini", "[database]\nconnect_timeout = 12\n");
	char *user = write_file("home/.config/sgz/sgz.ini", "[database]\nconnect_timeout = 13\n");

	(void)state;
	setenv("SGZ_CONFIG", env, 1);
	assert_int_equal(search(explicit_path, &path, &err), 11);
	assert_string_equal(path, explicit_path);
	free(path);

	assert_int_equal(search(NULL, &path, &err), 12);
	assert_string_equal(path, env);
	free(path);

	setenv("SGZ_CONFIG", "", 1); /* set but empty: as if unset */
	assert_int_equal(search(NULL, &path, &err), 13);
	assert_string_equal(path, user);
	free(path);

	unsetenv("SGZ_CONFIG");
	assert_int_equal(search(NULL, &path, &err), 13);
	assert_string_equal(path, user);
	free(path);

	/* Only one user's file is read: ~/.config's is not under --config. */
	free(write_file("home/.config/sgz/sgz.ini", "[ui]\ncolor = never\n"));
	free(write_file("explicit.ini", "[log]\nlevel = info\n"));
	assert_int_equal(search(explicit_path, &path, &err), 10);
	assert_string_equal(path, explicit_path);
	free(path);

	/* Nothing anywhere: the defaults. */
	assert_int_equal(unlink(user), 0);
	assert_int_equal(search(NULL, &path, &err), 10);
	assert_null(path);
	free(explicit_path);
	free(env);
	free(user);
}

/* The system file, then the user's over it key by key: a user's file that
 * sets only the language no longer hides the system's database. */
static void test_conf_user_file_is_merged_over_the_system_file(void **state)
{
	struct sgz_conf c;
	struct sgz_err err, warning;
	char *path;
	char *sys = write_file("etc/sgz.ini", "[database]\nconninfo = dbname=sgz\n"
					      "connect_timeout = 20\n[ui]\nlanguage = en\n");
	char *user = write_file("home/.config/sgz/sgz.ini", "[ui]\nlanguage = zh_CN\n");
	char *env = write_file("env.ini", "[database]\nconnect_timeout = 12\n");

	(void)state;
	assert_int_equal(load_as(NULL, false, &path, &c, &err, &warning), 20);
	assert_string_equal(c.system_path, sys);
	assert_string_equal(c.user_path, user);
	assert_string_equal(c.conninfo, "dbname=sgz");
	assert_string_equal(c.language, "zh_CN");
	assert_int_equal(conf_source_of(&c, "database.conninfo"), CONF_SRC_SYSTEM);
	assert_int_equal(conf_source_of(&c, "ui.language"), CONF_SRC_USER);
	assert_int_equal(conf_source_of(&c, "ui.color"), CONF_SRC_DEFAULT);
	assert_false(c.locked);
	assert_string_equal(warning.msg, "");
	free(path);
	conf_free(&c);

	/* $SGZ_CONFIG and --config replace the user's file, not the system's. */
	setenv("SGZ_CONFIG", env, 1);
	assert_int_equal(load_as(NULL, false, &path, &c, &err, &warning), 12);
	assert_string_equal(path, env);
	assert_string_equal(c.conninfo, "dbname=sgz");
	assert_string_equal(c.language, "en");
	free(path);
	conf_free(&c);

	/* A broken system file stops sgz, even with a good user's file. */
	free(write_file("etc/sgz.ini", "[database]\nconninfo = dbname=sgz\nport = 5\n"));
	assert_int_equal(load_as(NULL, false, &path, NULL, &err, &warning), -1);
	char *want = xasprintf("%s:3: database.port: unknown key", sys);
	assert_string_equal(err.msg, want);
	free(want);
	free(path);
	free(sys);
	free(user);
	free(env);
}

/* Locked: the system file decides; the user's file sets only personal
 * keys the system file leaves alone; --config and $SGZ_CONFIG are not read. */
static void test_conf_locked_ignores_what_the_user_sets(void **state)
{
	struct sgz_conf c;
	struct sgz_err err, warning;
	char *path;
	char *sys = write_file("etc/sgz.ini", "[database]\nconninfo = dbname=sgz\n"
					      "[ui]\ncolor = never\n[security]\nlocked = yes\n");
	char *user = write_file("home/.config/sgz/sgz.ini",
				"[database]\nconninfo = dbname=postgres\nconnect_timeout = 3\n"
				"[ui]\nlanguage = zh_CN\ncolor = always\n"
				"[export]\ndirectory = ~\n[log]\nfile = ~/.bashrc\nlevel = debug\n"
				"[security]\nlocked = no\n");
	char *env = write_file("env.ini", "[database]\nconninfo = dbname=postgres\n");
	char *explicit_path = write_file("explicit.ini", "[database]\nconninfo = dbname=x\n");

	(void)state;
	setenv("SGZ_CONFIG", env, 1);
	assert_int_equal(load_as(explicit_path, false, &path, &c, &err, &warning), 10);
	assert_true(c.locked);
	assert_string_equal(c.conninfo, "dbname=sgz");
	assert_string_equal(c.user_path, user);
	assert_string_equal(c.language, "zh_CN");	/* personal, not set by the system */
	assert_int_equal(c.color, CONF_COLOR_NEVER);	/* the system's */
	assert_int_equal(c.log_level, LOG_DEBUG);	/* personal */
	char *exports = xasprintf("%s/home/sgz-exports", tmp);
	assert_string_equal(c.export_dir, exports); /* the default, not the user's ~ */
	free(exports);
	char *log = xasprintf("%s/home/.local/state/sgz/sgz.log", tmp);
	assert_string_equal(c.log_file, log);
	free(log);
	assert_string_equal(warning.msg, "");
	free(path);
	conf_free(&c);

	/* --locked does the same without the system file saying so. */
	free(write_file("etc/sgz.ini", "[database]\nconninfo = dbname=sgz\n"));
	assert_int_equal(load_as(explicit_path, true, &path, &c, &err, &warning), 10);
	assert_true(c.locked);
	assert_false(c.security_locked);
	assert_string_equal(c.conninfo, "dbname=sgz");
	free(path);
	conf_free(&c);

	/* A user's file that is wrong is skipped, with a warning: a forced
	 * command leaves no way to mend it. */
	free(write_file("home/.config/sgz/sgz.ini", "[ui]\ncolour = never\n"));
	assert_int_equal(load_as(NULL, true, &path, &c, &err, &warning), 10);
	char *want = xasprintf("%s:2: ui.colour: unknown key (skipped: sgz is locked)", user);
	assert_string_equal(warning.msg, want);
	free(want);
	assert_null(c.user_path);
	assert_string_equal(c.conninfo, "dbname=sgz");
	free(path);
	conf_free(&c);

	/* Not locked, [security] in a user's file is an error: only the
	 * system file locks. */
	assert_int_equal(unlink(sys), 0);
	unsetenv("SGZ_CONFIG");
	free(write_file("home/.config/sgz/sgz.ini", "[security]\nlocked = yes\n"));
	assert_int_equal(load_as(NULL, false, &path, NULL, &err, &warning), -1);
	want = xasprintf("%s:2: security.locked: only the system file may set this (sgz.ini(5))",
			 user);
	assert_string_equal(err.msg, want);
	free(want);
	free(path);
	free(sys);
	free(user);
	free(env);
	free(explicit_path);
}

/* Locked, ~ is the password database's home, whatever $HOME says. */
static void test_conf_locked_home_is_the_password_databases(void **state)
{
	struct sgz_conf c;
	struct sgz_err err, warning;
	char *path;
	char *home = xasprintf("%s/home", tmp);
	char *fake = xasprintf("%s/elsewhere", tmp);

	(void)state;
	setenv("HOME", fake, 1);
	free(write_file("elsewhere/.config/sgz/sgz.ini", "[ui]\ncolor = always\n"));
	free(write_file("etc/sgz.ini", "[security]\nlocked = true\n[log]\nfile = ~/sgz.log\n"));
	assert_int_equal(load_as(NULL, false, &path, &c, &err, &warning), 10);
	char *want = xasprintf("%s/sgz-exports", home);
	assert_string_equal(c.export_dir, want);
	free(want);
	want = xasprintf("%s/sgz.log", home);
	assert_string_equal(c.log_file, want);
	free(want);
	assert_null(path); /* not $HOME/.config/sgz/sgz.ini */
	assert_int_equal(c.color, CONF_COLOR_AUTO);
	conf_free(&c);

	/* not locked: $HOME */
	free(write_file("etc/sgz.ini", "[log]\nfile = ~/sgz.log\n"));
	assert_int_equal(load_as(NULL, false, &path, &c, &err, &warning), 10);
	want = xasprintf("%s/sgz.log", fake);
	assert_string_equal(c.log_file, want);
	free(want);
	assert_int_equal(c.color, CONF_COLOR_ALWAYS);
	free(path);
	conf_free(&c);
	setenv("HOME", home, 1);
	free(home);
	free(fake);

	assert_text_error("[ui]\ncolor = never\n[security]\nlocked = maybe\n",
			  "4: security.locked: only the system file may set this (sgz.ini(5))");
	free(write_file("etc/sgz.ini", "[security]\nlocked = maybe\n"));
	assert_int_equal(load_as(NULL, false, &path, NULL, &err, &warning), -1);
	want = xasprintf("%s/etc/sgz.ini:2: security.locked: \"maybe\" is not one of no, yes",
			 tmp);
	assert_string_equal(err.msg, want);
	free(want);
	free(path);
}

static void test_conf_named_file_must_exist(void **state)
{
	struct sgz_err err;
	char *path;
	char *missing = xasprintf("%s/missing.ini", tmp);
	char *want = xasprintf("%s: cannot read: %s", missing, strerror(ENOENT));

	(void)state;
	free(write_file("home/.config/sgz/sgz.ini", "[database]\nconnect_timeout = 13\n"));

	/* --config: no falling back to the next place. */
	setenv("SGZ_CONFIG", missing, 1);
	assert_int_equal(search(missing, &path, &err), -1);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_null(path);

	/* $SGZ_CONFIG likewise. */
	assert_int_equal(search(NULL, &path, &err), -1);
	assert_string_equal(err.msg, want);
	assert_null(path);
	free(missing);
	free(want);
}

static void test_conf_default_location_there_but_bad_is_an_error(void **state)
{
	struct sgz_err err;
	char *path;
	char *user = xasprintf("%s/home/.config/sgz/sgz.ini", tmp);

	(void)state;
	/* Invalid: an error, not a fall back to the system file alone. */
	free(write_file("home/.config/sgz/sgz.ini", "[ui]\ncolour = never\n"));
	assert_int_equal(search(NULL, &path, &err), -1);
	char *want = xasprintf("%s:2: ui.colour: unknown key", user);
	assert_string_equal(err.msg, want);
	free(want);

	/* A dangling symbolic link: there, but it cannot be read. */
	assert_int_equal(unlink(user), 0);
	assert_int_equal(symlink("gone.ini", user), 0);
	assert_int_equal(search(NULL, &path, &err), -1);
	want = xasprintf("%s: cannot read: %s", user, strerror(ENOENT));
	assert_string_equal(err.msg, want);
	free(want);

	/* A loop of links (the case of a directory we may not search, which
	 * root can always search). */
	assert_int_equal(unlink(user), 0);
	assert_int_equal(symlink("sgz.ini", user), 0);
	assert_int_equal(search(NULL, &path, &err), -1);
	want = xasprintf("%s: cannot read: %s", user, strerror(ELOOP));
	assert_string_equal(err.msg, want);
	free(want);

	/* A directory. */
	assert_int_equal(unlink(user), 0);
	assert_int_equal(mkdir(user, 0700), 0);
	assert_int_equal(search(NULL, &path, &err), -1);
	want = xasprintf("%s: cannot read: %s", user, strerror(EISDIR));
	assert_string_equal(err.msg, want);
	free(want);

	/* A directory on the way that we may not search (root may). */
	assert_int_equal(rmdir(user), 0);
	free(write_file("home/.config/sgz/sgz.ini", "[ui]\ncolor = never\n"));
	char *dir = xasprintf("%s/home/.config/sgz", tmp);
	assert_int_equal(chmod(dir, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(search(NULL, &path, &err), -1);
		want = xasprintf("%s: cannot read: %s", user, strerror(EACCES));
		assert_string_equal(err.msg, want);
		free(want);
	}
	assert_int_equal(chmod(dir, 0700), 0); /* so that teardown can remove it */
	free(dir);
	free(user);
}

/* conf/sgz.ini with every ";key = value" line made live. Caller frees. */
static char *example_uncommented(void)
{
	char *text = read_text(EXAMPLE);
	struct strbuf sb = {0};

	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (line[0] == ';')
			sb_addn(&sb, line + 1, len - 1);
		else
			sb_addn(&sb, line, len);
		line += len;
	}
	free(text);
	return sb_detach(&sb);
}

static void test_conf_example_file_is_valid_as_is(void **state)
{
	struct sgz_conf c, d;
	struct sgz_err err;

	(void)state;
	conf_defaults(&c);
	conf_defaults(&d);
	sgz_err_clear(&err);
	if (conf_load_file(&c, EXAMPLE, &err) < 0)
		fail_msg("%s", err.msg);
	assert_conf_equal(&c, &d);
	conf_free(&c);
	conf_free(&d);
}

static void test_conf_example_file_shows_every_default(void **state)
{
	struct sgz_conf c, d;
	struct sgz_err err;
	char *text = example_uncommented();

	(void)state;
	/* log.file's default, ~/.local/state/sgz/sgz.log, assumes no XDG_STATE_HOME;
	 * [security] is read only from the system file */
	struct sgz_err warning;
	char *path;
	free(write_file("etc/sgz.ini", text));
	if (load_as(NULL, false, &path, &c, &err, &warning) < 0)
		fail_msg("%s", err.msg);
	free(path);
	conf_defaults(&d);
	assert_conf_equal(&c, &d);
	conf_free(&c);
	conf_free(&d);
	free(text);
}

static void test_conf_example_file_documents_every_key(void **state)
{
	static const char *const keys[] = {
	    "database.conninfo",
	    "database.report_conninfo",
	    "database.report_max_lag",
	    "database.connect_timeout",
	    "database.statement_timeout",
	    "database.bulk_statement_timeout",
	    "database.lock_timeout",
	    "database.idle_in_transaction_session_timeout",
	    "ui.language",
	    "ui.color",
	    "export.directory",
	    "log.file",
	    "log.level",
	    "demo.pg_bindir",
	    "security.locked",
	};
	char *text = example_uncommented();
	struct strbuf seen = {0};
	char section[64] = "";

	(void)state;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char key[64];

		if (sscanf(line, "[%63[a-z]]", section) == 1)
			continue;
		if (sscanf(line, "%63[a-z_] =", key) == 1 && strchr(line, '='))
			sb_addf(&seen, "|%s.%s|", section, key);
	}
	for (size_t i = 0; i < SGZ_ARRAY_LEN(keys); i++) {
		char *want = xasprintf("|%s|", keys[i]);

		if (!strstr(sb_str(&seen), want))
			fail_msg("conf/sgz.ini does not document %s", keys[i]);
		free(want);
	}
	sb_free(&seen);
	free(text);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    T(test_conf_defaults_are_the_documented_ones),
	    T(test_conf_free_clears_and_accepts_null),
	    T(test_conf_reads_every_key),
	    T(test_conf_keeps_defaults_for_absent_keys),
	    T(test_conf_enums_ignore_case_and_are_stored_canonical),
	    T(test_conf_quoted_values_keep_comment_characters),
	    T(test_conf_paths_are_absolute_or_under_home),
	    T(test_conf_paths_expand_the_login_name),
	    T(test_conf_unknown_key_names_file_line_and_key),
	    T(test_conf_unknown_section_names_file_and_line),
	    T(test_conf_key_before_any_section_is_an_error),
	    T(test_conf_out_of_range_names_line_key_and_range),
	    T(test_conf_integer_ranges_hold_at_both_ends),
	    T(test_conf_integers_must_be_plain),
	    T(test_conf_bad_choices_list_the_good_ones),
	    T(test_conf_reports_the_first_error_by_line),
	    T(test_conf_error_leaves_conf_unchanged),
	    T(test_conf_syntax_error_names_line_and_prints_nothing),
	    T(test_conf_byte_order_mark_is_named),
	    T(test_conf_line_length_limit),
	    T(test_conf_unreadable_file_is_an_error),
	    T(test_conf_dev_null_means_defaults),
	    T(test_conf_search_order),
	    T(test_conf_user_file_is_merged_over_the_system_file),
	    T(test_conf_locked_ignores_what_the_user_sets),
	    T(test_conf_locked_home_is_the_password_databases),
	    T(test_conf_named_file_must_exist),
	    T(test_conf_default_location_there_but_bad_is_an_error),
	    T(test_conf_example_file_is_valid_as_is),
	    T(test_conf_example_file_shows_every_default),
	    T(test_conf_example_file_documents_every_key),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
