/* test_util.c - growable strings, formatting, errors, directories. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/util.h"

static char tmpdir[] = "/tmp/sgz-test-util.XXXXXX";

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes what the tests made under tmpdir (at most a few levels). */
static int group_teardown(void **state)
{
	static const char *const made[] = {"a/b/c", "a/b",  "a",	 "trail/x",
					   "trail", "file", "state/sgz", "state"};

	(void)state;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(made); i++) {
		char *p = xasprintf("%s/%s", tmpdir, made[i]);

		if (rmdir(p) < 0 && errno == ENOTDIR)
			unlink(p);
		free(p);
	}
	return rmdir(tmpdir);
}

static void test_strbuf_starts_empty_and_reads_as_empty_string(void **state)
{
	struct strbuf sb = {0};

	(void)state;
	assert_string_equal(sb_str(&sb), "");
	assert_int_equal(sb.len, 0);
	sb_init(&sb);
	assert_null(sb.buf);
	sb_free(&sb); /* nothing to free */
	assert_null(sb.buf);
}

static void test_strbuf_appends_bytes_strings_chars_and_formats(void **state)
{
	struct strbuf sb = {0};

	(void)state;
	sb_addn(&sb, "东城街道xyz", 12);
	sb_adds(&sb, ",");
	sb_addc(&sb, 'x');
	sb_addf(&sb, "-%d-%s", 42, "南城");
	assert_string_equal(sb_str(&sb), "东城街道,x-42-南城");
	assert_int_equal(sb.len, strlen("东城街道,x-42-南城"));
	assert_int_equal(sb.buf[sb.len], '\0');
	sb_free(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
}

static void test_strbuf_grows_past_its_first_allocation(void **state)
{
	struct strbuf sb = {0};
	char want[10001];

	(void)state;
	for (int i = 0; i < 10000; i++) {
		sb_addc(&sb, (char)('a' + i % 26));
		want[i] = (char)('a' + i % 26);
	}
	want[10000] = '\0';
	assert_int_equal(sb.len, 10000);
	assert_true(sb.cap > 10000);
	assert_string_equal(sb.buf, want);
	/* A formatted piece longer than the free space. */
	sb_reset(&sb);
	sb_addf(&sb, "%s%s", want, want);
	assert_int_equal(sb.len, 20000);
	assert_int_equal(strncmp(sb.buf + 10000, want, 10000), 0);
	sb_free(&sb);
}

static void test_strbuf_reset_empties_but_keeps_memory(void **state)
{
	struct strbuf sb = {0};
	char *buf;
	size_t cap;

	(void)state;
	sb_adds(&sb, "something long enough to allocate");
	buf = sb.buf;
	cap = sb.cap;
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	assert_ptr_equal(sb.buf, buf);
	assert_int_equal(sb.cap, cap);
	sb_adds(&sb, "again");
	assert_string_equal(sb_str(&sb), "again");
	sb_free(&sb);
}

static void test_strbuf_detach_hands_over_the_buffer(void **state)
{
	struct strbuf sb = {0};
	char *s;

	(void)state;
	sb_adds(&sb, "held");
	s = sb_detach(&sb);
	assert_string_equal(s, "held");
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(s);
	/* An empty buffer detaches as an allocated "". */
	s = sb_detach(&sb);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_xasprintf_formats_into_new_string(void **state)
{
	char *s = xasprintf("%s:%ld: %s", "a.csv", 12L, "坏数据");
	char *e;

	(void)state;
	assert_string_equal(s, "a.csv:12: 坏数据");
	free(s);
	e = xasprintf("%s", "");
	assert_string_equal(e, "");
	free(e);
}

static void test_xstrndup_stops_at_n_or_nul(void **state)
{
	char *a = xstrndup("abcdef", 3);
	char *b = xstrndup("ab", 10);
	char *c = xstrdup("东城");

	(void)state;
	assert_string_equal(a, "abc");
	assert_string_equal(b, "ab");
	assert_string_equal(c, "东城");
	free(a);
	free(b);
	free(c);
}

static void test_err_set_formats_and_clear_empties(void **state)
{
	struct sgz_err err;
	char longer[2000];

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(err.status, SGZ_OK);
	assert_string_equal(err.msg, "");
	sgz_err_set(&err, SGZ_EDATA, "%s:%d: %s", "f.csv", 3, "bad");
	assert_int_equal(err.status, SGZ_EDATA);
	assert_string_equal(err.msg, "f.csv:3: bad");
	/* A long message is cut to fit. */
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	sgz_err_set(&err, SGZ_EUSAGE, "%s", longer);
	assert_int_equal(err.status, SGZ_EUSAGE);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	sgz_err_clear(&err);
	assert_int_equal(err.status, SGZ_OK);
	assert_string_equal(err.msg, "");
	/* NULL is allowed. */
	sgz_err_set(NULL, SGZ_EDATA, "ignored");
	sgz_err_clear(NULL);
}

static int fatal_pipe = -1;

static void fatal_hook(void)
{
	if (write(fatal_pipe, "H", 1) != 1)
		_exit(3);
}

static void test_fatal_runs_hook_then_aborts(void **state)
{
	int fds[2], status;
	char c = 0;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		fatal_pipe = fds[1];
		sgz_set_fatal_hook(fatal_hook);
		if (!freopen("/dev/null", "w", stderr))
			_exit(4);
		/* More than any size_t can hold. */
		xreallocarray(NULL, SIZE_MAX / 2, 4);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, 'H');
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_mkdirs_creates_every_missing_component(void **state)
{
	char *path = xasprintf("%s/a/b/c", tmpdir);
	char *mid = xasprintf("%s/a/b", tmpdir);
	struct stat st;

	(void)state;
	assert_int_equal(sgz_mkdirs(path, 0700), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700 & ~0022 & 0777);
	assert_int_equal(stat(mid, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* Existing directories are fine. */
	assert_int_equal(sgz_mkdirs(path, 0700), 0);
	assert_int_equal(sgz_mkdirs(mid, 0700), 0);
	free(path);
	free(mid);
}

static void test_mkdirs_accepts_a_trailing_slash(void **state)
{
	char *path = xasprintf("%s/trail/x/", tmpdir);
	char *plain = xasprintf("%s/trail/x", tmpdir);
	struct stat st;

	(void)state;
	assert_int_equal(sgz_mkdirs(path, 0755), 0);
	assert_int_equal(stat(plain, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(path);
	free(plain);
}

static void test_mkdirs_fails_when_a_component_is_a_file(void **state)
{
	char *file = xasprintf("%s/file", tmpdir);
	char *below = xasprintf("%s/file/sub", tmpdir);
	FILE *f = fopen(file, "w");

	(void)state;
	assert_non_null(f);
	fclose(f);
	errno = 0;
	assert_int_equal(sgz_mkdirs(file, 0700), -1);
	assert_int_equal(errno, ENOTDIR);
	errno = 0;
	assert_int_equal(sgz_mkdirs(below, 0700), -1);
	assert_int_equal(errno, ENOTDIR);
	free(file);
	free(below);
}

/* Sets or unsets an environment variable; value NULL unsets. */
static void set_env(const char *name, const char *value)
{
	if (value)
		assert_int_equal(setenv(name, value, 1), 0);
	else
		assert_int_equal(unsetenv(name), 0);
}

static void test_state_dir_follows_xdg_then_home(void **state)
{
	char *saved_xdg = getenv("XDG_STATE_HOME") ? xstrdup(getenv("XDG_STATE_HOME")) : NULL;
	char *saved_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	struct passwd *pw = getpwuid(getuid());
	char *dir, *want;

	(void)state;
	set_env("XDG_STATE_HOME", "/srv/state");
	set_env("HOME", "/home/someone");
	dir = sgz_state_dir();
	assert_string_equal(dir, "/srv/state/sgz");
	free(dir);
	/* A relative XDG_STATE_HOME is ignored, as the XDG spec says. */
	set_env("XDG_STATE_HOME", "relative/state");
	dir = sgz_state_dir();
	assert_string_equal(dir, "/home/someone/.local/state/sgz");
	free(dir);
	set_env("XDG_STATE_HOME", NULL);
	dir = sgz_state_dir();
	assert_string_equal(dir, "/home/someone/.local/state/sgz");
	free(dir);
	/* No HOME: the password database. */
	set_env("HOME", "");
	dir = sgz_state_dir();
	want = xasprintf("%s/.local/state/sgz", pw && pw->pw_dir ? pw->pw_dir : "/tmp");
	assert_string_equal(dir, want);
	free(want);
	free(dir);

	set_env("XDG_STATE_HOME", saved_xdg);
	set_env("HOME", saved_home);
	free(saved_xdg);
	free(saved_home);
}

static void test_state_dir_can_be_made_with_mkdirs(void **state)
{
	char *saved_xdg = getenv("XDG_STATE_HOME") ? xstrdup(getenv("XDG_STATE_HOME")) : NULL;
	char *base = xasprintf("%s/state", tmpdir);
	char *dir, *want = xasprintf("%s/state/sgz", tmpdir);
	struct stat st;

	(void)state;
	set_env("XDG_STATE_HOME", base);
	dir = sgz_state_dir();
	assert_string_equal(dir, want);
	assert_int_equal(sgz_mkdirs(dir, 0700), 0);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	set_env("XDG_STATE_HOME", saved_xdg);
	free(saved_xdg);
	free(base);
	free(dir);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strbuf_starts_empty_and_reads_as_empty_string),
	    cmocka_unit_test(test_strbuf_appends_bytes_strings_chars_and_formats),
	    cmocka_unit_test(test_strbuf_grows_past_its_first_allocation),
	    cmocka_unit_test(test_strbuf_reset_empties_but_keeps_memory),
	    cmocka_unit_test(test_strbuf_detach_hands_over_the_buffer),
	    cmocka_unit_test(test_xasprintf_formats_into_new_string),
	    cmocka_unit_test(test_xstrndup_stops_at_n_or_nul),
	    cmocka_unit_test(test_err_set_formats_and_clear_empties),
	    cmocka_unit_test(test_fatal_runs_hook_then_aborts),
	    cmocka_unit_test(test_mkdirs_creates_every_missing_component),
	    cmocka_unit_test(test_mkdirs_accepts_a_trailing_slash),
	    cmocka_unit_test(test_mkdirs_fails_when_a_component_is_a_file),
	    cmocka_unit_test(test_state_dir_follows_xdg_then_home),
	    cmocka_unit_test(test_state_dir_can_be_made_with_mkdirs),
	};

	umask(022);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
