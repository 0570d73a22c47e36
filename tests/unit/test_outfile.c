/* test_outfile.c - the export directory and its files: the names a user
 * may type (never a path, a hidden file or a character a shell or another
 * system reads otherwise), the directory never a symbolic link, a link
 * planted in it never followed, an existing file replaced only when asked
 * and never written through, files whole and mode 0640. */
#include "config.h"

#include "sgz/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sgz/util.h"

static char *tmp; /* a private directory for each test */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";

	(void)state;
	tmp = xasprintf("%s/test_outfile-XXXXXX", base);
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	tmp = NULL;
	return 0;
}

static void assert_name(const char *name, enum outfile_name want, unsigned want_bad)
{
	unsigned bad = 12345;

	if (outfile_name_check(name, &bad) != want)
		fail_msg("%s: got %d, want %d", name, outfile_name_check(name, NULL), want);
	assert_int_equal(bad, want_bad);
}

static void test_outfile_names_a_user_may_type(void **state)
{
	(void)state;
	assert_name("stations-20250101.csv", OUTFILE_NAME_OK, 0);
	assert_name("service_points-120110.csv", OUTFILE_NAME_OK, 0);
	assert_name("东丽区站点台账.csv", OUTFILE_NAME_OK, 0);
	assert_name("2025年报表", OUTFILE_NAME_OK, 0);
	assert_name("a..b", OUTFILE_NAME_OK, 0);
	assert_name("README", OUTFILE_NAME_OK, 0);
	/* 80 characters, Chinese: 240 bytes */
	struct strbuf sb = {0};
	for (int i = 0; i < OUTFILE_NAME_MAX; i++)
		sb_adds(&sb, "站");
	assert_name(sb_str(&sb), OUTFILE_NAME_OK, 0);
	sb_adds(&sb, "x");
	assert_name(sb_str(&sb), OUTFILE_NAME_LONG, 0);
	sb_free(&sb);
}

static void test_outfile_names_that_are_paths_are_refused(void **state)
{
	(void)state;
	assert_name("../x", OUTFILE_NAME_PATH, 0);
	assert_name("/tmp/x", OUTFILE_NAME_PATH, 0);
	assert_name("a/b.csv", OUTFILE_NAME_PATH, 0);
	assert_name("x/", OUTFILE_NAME_PATH, 0);
	assert_name("", OUTFILE_NAME_EMPTY, 0);
	assert_int_equal(outfile_name_check(NULL, NULL), OUTFILE_NAME_EMPTY);
}

static void test_outfile_hidden_and_odd_first_characters_are_refused(void **state)
{
	(void)state;
	assert_name(".bashrc", OUTFILE_NAME_FIRST, '.');
	assert_name(".ssh", OUTFILE_NAME_FIRST, '.');
	assert_name("..", OUTFILE_NAME_FIRST, '.');
	assert_name(".", OUTFILE_NAME_FIRST, '.');
	assert_name("-rf", OUTFILE_NAME_FIRST, '-');
	assert_name("_x", OUTFILE_NAME_FIRST, '_');
	assert_name("~x", OUTFILE_NAME_FIRST, '~');
	assert_name(" x", OUTFILE_NAME_FIRST, ' ');
	assert_name("，x", OUTFILE_NAME_FIRST, 0xFF0C);
}

static void test_outfile_characters_outside_the_safe_set_are_refused(void **state)
{
	(void)state;
	assert_name("a b.csv", OUTFILE_NAME_CHAR, ' ');
	assert_name("a\\b", OUTFILE_NAME_CHAR, '\\');
	assert_name("$(reboot)", OUTFILE_NAME_FIRST, '$');
	assert_name("x$(reboot)", OUTFILE_NAME_CHAR, '$');
	assert_name("a*", OUTFILE_NAME_CHAR, '*');
	assert_name("a;b", OUTFILE_NAME_CHAR, ';');
	assert_name("a\nb", OUTFILE_NAME_CHAR, '\n');
	assert_name("a\x1b[2Jb", OUTFILE_NAME_CHAR, 0x1B);
	assert_name("a\xC3\xA9", OUTFILE_NAME_CHAR, 0xE9);	 /* é: not a letter here */
	assert_name("a\xE3\x80\x82", OUTFILE_NAME_CHAR, 0x3002); /* 。 */
	/* not UTF-8: a GB18030 byte, an overlong '/', a surrogate, a cut end */
	assert_name("a\xD6\xD0", OUTFILE_NAME_CHAR, 0xFFFD); /* 中 in GB18030 */
	assert_name("a\xC0\xAF", OUTFILE_NAME_CHAR, 0xFFFD);
	assert_name("a\xED\xA0\x80", OUTFILE_NAME_CHAR, 0xFFFD);
	assert_name("a\xE7\xAB", OUTFILE_NAME_CHAR, 0xFFFD);
	assert_name("\xFF", OUTFILE_NAME_CHAR, 0xFFFD);
}

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Writes text as name into d: 0 or an errno value. */
static int put(struct outdir *d, const char *name, const char *text, bool replace)
{
	struct outfile *f;
	int e = outfile_begin(d, name, &f);

	if (e)
		return e;
	fputs(text, outfile_stream(f));
	return outfile_commit(f, replace);
}

static void test_outfile_directory_is_created_0750_and_never_a_link(void **state)
{
	struct outdir *d;
	struct stat st;
	char *dir = path_in("home/sgz-exports");
	char *link = path_in("link");

	(void)state;
	umask(077); /* as sgz runs */
	assert_int_equal(outdir_open(dir, &d), 0);
	assert_string_equal(outdir_path(d), dir);
	outdir_close(d);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0750);

	/* the directory a symbolic link (to the home directory, say) */
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(outdir_open(link, &d), ELOOP);
	assert_null(d);
	/* a file */
	char *file = path_in("file");
	write_text(file, "x");
	assert_int_equal(outdir_open(file, &d), ENOTDIR);
	assert_int_equal(outdir_open("relative", &d), EINVAL);
	free(file);
	free(dir);
	free(link);
	outdir_close(NULL);
}

static void test_outfile_new_file_is_whole_0640_with_a_bom_for_csv(void **state)
{
	struct outdir *d;
	struct outfile *f;
	struct stat st;
	enum outdir_entry entry;
	char *dir = path_in("ex");

	(void)state;
	umask(077);
	assert_int_equal(outdir_open(dir, &d), 0);
	assert_int_equal(outdir_lookup(d, "a.csv", &entry), 0);
	assert_int_equal(entry, OUTDIR_FREE);
	assert_int_equal(outfile_begin(d, "a.csv", &f), 0);
	fputs("code,name\n", outfile_stream(f));
	/* nothing under the name until it is whole */
	char *path = path_in("ex/a.csv");
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(outfile_commit(f, false), 0);
	assert_string_equal(read_text(path), "\xEF\xBB\xBF"
					     "code,name\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(outdir_lookup(d, "a.csv", &entry), 0);
	assert_int_equal(entry, OUTDIR_FILE);

	/* no BOM but for .csv; an aborted file leaves nothing */
	assert_int_equal(put(d, "a.txt", "text\n", false), 0);
	char *txt = path_in("ex/a.txt");
	assert_string_equal(read_text(txt), "text\n");
	assert_int_equal(outfile_begin(d, "b.csv", &f), 0);
	outfile_abort(f);
	outfile_abort(NULL);
	/* a name that breaks the rules is not even begun */
	assert_int_equal(outfile_begin(d, "../x", &f), EINVAL);
	assert_int_equal(outfile_begin(d, ".bashrc", &f), EINVAL);
	outdir_close(d);

	/* only a.csv and a.txt: no temporary file is left */
	int n = 0;
	char *ls = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(ls, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	assert_int_equal(n, 2);
	free(ls);
	free(txt);
	free(path);
	free(dir);
}

static void test_outfile_existing_file_is_kept_unless_replaced(void **state)
{
	struct outdir *d;
	char *dir = path_in("ex");
	char *path = path_in("ex/x.txt");
	char *outside = path_in("outside");

	(void)state;
	assert_int_equal(outdir_open(dir, &d), 0);
	assert_int_equal(put(d, "x.txt", "old\n", false), 0);
	/* a new file where one appeared meanwhile: refused, the old one kept */
	assert_int_equal(put(d, "x.txt", "new\n", false), EEXIST);
	assert_string_equal(read_text(path), "old\n");
	/* replaced when asked */
	assert_int_equal(put(d, "x.txt", "new\n", true), 0);
	assert_string_equal(read_text(path), "new\n");

	/* a hard link to a file outside: replacing the name leaves that
	 * file as it was */
	write_text(outside, "secret\n");
	char *hard = path_in("ex/hard.txt");
	assert_int_equal(link(outside, hard), 0);
	assert_int_equal(put(d, "hard.txt", "export\n", true), 0);
	assert_string_equal(read_text(outside), "secret\n");
	assert_string_equal(read_text(hard), "export\n");
	outdir_close(d);
	free(hard);
	free(outside);
	free(path);
	free(dir);
}

static void test_outfile_symlink_in_the_directory_is_never_followed(void **state)
{
	struct outdir *d;
	enum outdir_entry entry;
	char *dir = path_in("ex");
	char *target = path_in("bashrc");
	char *link = path_in("ex/planted.csv");
	char *dangling = path_in("ex/dangling.csv");
	char *gone = path_in("nothing-here");

	(void)state;
	assert_int_equal(outdir_open(dir, &d), 0);
	write_text(target, "# the user's shell start-up\n");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(symlink(gone, dangling), 0);
	assert_int_equal(outdir_lookup(d, "planted.csv", &entry), 0);
	assert_int_equal(entry, OUTDIR_OTHER);
	assert_int_equal(outdir_lookup(d, "dangling.csv", &entry), 0);
	assert_int_equal(entry, OUTDIR_OTHER);
	/* a new file cannot go through them */
	assert_int_equal(put(d, "planted.csv", "x\n", false), EEXIST);
	assert_int_equal(put(d, "dangling.csv", "x\n", false), EEXIST);
	assert_string_equal(read_text(target), "# the user's shell start-up\n");
	assert_int_equal(access(gone, F_OK), -1);
	/* and a replace replaces the link itself, never its target */
	assert_int_equal(put(d, "planted.csv", "x\n", true), 0);
	assert_string_equal(read_text(target), "# the user's shell start-up\n");
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* a directory of that name */
	char *sub = path_in("ex/sub");
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(outdir_lookup(d, "sub", &entry), 0);
	assert_int_equal(entry, OUTDIR_OTHER);
	outdir_close(d);
	free(sub);
	free(dir);
	free(target);
	free(link);
	free(dangling);
	free(gone);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    T(test_outfile_names_a_user_may_type),
	    T(test_outfile_names_that_are_paths_are_refused),
	    T(test_outfile_hidden_and_odd_first_characters_are_refused),
	    T(test_outfile_characters_outside_the_safe_set_are_refused),
	    T(test_outfile_directory_is_created_0750_and_never_a_link),
	    T(test_outfile_new_file_is_whole_0640_with_a_bom_for_csv),
	    T(test_outfile_existing_file_is_kept_unless_replaced),
	    T(test_outfile_symlink_in_the_directory_is_never_followed),
	};

	return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}
