/* main.c - global options, configuration, dispatch to a subcommand or the
 * terminal interface (spec/cli.md). */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sgz/certificate.h"
#include "sgz/cli.h"
#include "sgz/conf.h"
#include "sgz/db.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/util.h"

/* The system file: configure's SGZ_SYSCONFDIR. Only the binary the tests
 * run (tests/sgz, built with SGZ_TEST_HOOKS) takes another directory from
 * the environment, so that no test reads the host's; the installed sgz has
 * no way to be pointed elsewhere, which locked mode depends on. */
static char *system_file(void)
{
#ifdef SGZ_TEST_HOOKS
	const char *dir = getenv("SGZ_TEST_SYSCONFDIR");

	if (dir && dir[0])
		return xasprintf("%s/sgz.ini", dir);
#endif
	return xstrdup(SGZ_SYSCONFDIR "/sgz.ini");
}

/* Locked, the home directory is the password database's; the tests' sgz
 * takes one from $SGZ_TEST_PASSWD_HOME, so that no test needs the real one. */
static const char *passwd_home(void)
{
#ifdef SGZ_TEST_HOOKS
	const char *home = getenv("SGZ_TEST_PASSWD_HOME");

	if (home && home[0])
		return home;
#endif
	return NULL;
}

static void usage(FILE *out)
{
	char *sys = system_file();

	fprintf(out, "%s sgz [OPTION]... [COMMAND [ARG]...]\n", _("Usage:"));
	fputs(_("The terminal application of township social work stations (社工站).\n"
		"Without a command, opens the terminal interface.\n"),
	      out);
	fputc('\n', out);
	fprintf(out,
		_("Options:\n"
		  "  -c, --config FILE     read FILE over the system file %s\n"
		  "                        (else $SGZ_CONFIG, else ~/.config/sgz/sgz.ini)\n"
		  "  -d, --db CONNINFO     libpq conninfo or service=NAME (else $SGZ_DB,\n"
		  "                        [database] conninfo, the PG* environment)\n"
		  "  -L, --lang LANG       interface language: zh_CN or en\n"
		  "      --locked          the system file decides: --db, --config, $SGZ_*\n"
		  "                        and $PG* are ignored (an SSH ForceCommand)\n"
		  "  -h, --help            show this help and exit\n"
		  "  -V, --version         show the version and exit\n"),
		sys);
	free(sys);
	fputc('\n', out);
	fputs(_("Commands:\n"), out);
	fprintf(out, "  %-34s  %s\n", "migrate [--status]", _("apply pending schema migrations"));
	fprintf(out, "  %-34s  %s\n", "demo [--reset|--stop]", _("open the built-in demo database"));
	fputs("  import ENTITY FILE [--dry-run] [--encoding auto|utf-8|gb18030]\n"
	      "  export ENTITY [--scope CODE] [-o FILE]\n"
	      "  report NAME [--year YYYY] [--month YYYY-MM] [--scope CODE]\n"
	      "              [--format text|csv] [-o FILE]\n"
	      "  certificate VOLUNTEER [--year YYYY] -o FILE.pdf\n"
	      "  user add ROLE --scope CODE --kind KIND | user list | user remove ROLE\n"
	      "  backup FILE | restore FILE [--force]\n"
	      "  rollup publish PROVINCE | rollup add SERVICE | rollup status\n"
	      "  submit progress --month YYYY-MM [--scope COUNTY]\n",
	      out);
	fputc('\n', out);
	fputs(_("Exit status: 0 success, 1 data refused (nothing written), 2 usage,\n"
		"configuration, connection or permission error.\n"
		"See sgz(1) and sgz.ini(5).\n"),
	      out);
}

struct command {
	const char *name;
	int (*run)(const struct cli_ctx *ctx, int argc, char **argv);
};

static const struct command commands[] = {
	{ "migrate", cli_migrate }, { "demo", cli_demo },     { "import", cli_import },
	{ "export", cli_export },   { "report", cli_report }, { "user", cli_user },
	{ "backup", cli_backup },   { "restore", cli_restore }, { "certificate", cli_certificate },
	{ "rollup", cli_rollup },   { "submit", cli_submit },
};

/* Does the locale name a character set other than UTF-8
 * (zh_CN.GB18030, en_US.ISO-8859-1)? */
static bool names_other_charset(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot)
		return false;
	dot++;
	size_t n = strcspn(dot, "@");
	return !((n == 5 && strncasecmp(dot, "UTF-8", 5) == 0) ||
		 (n == 4 && strncasecmp(dot, "utf8", 4) == 0));
}

/* The locale of the environment when it is UTF-8. Characters are UTF-8
 * also when the environment names no locale (unset, C or POSIX: an SSH
 * client that sends no LANG, a ForceCommand) or a UTF-8 one this host has
 * not generated (zh_CN.UTF-8 on a fresh server): then C.UTF-8 for them,
 * and the language is i18n_pick()'s, rather than refuse the user. Only a
 * locale that names another character set (zh_CN.GB18030) is kept, for the
 * interface to refuse with how to set the terminal right. */
static void set_locale(void)
{
	static const char *const names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *ctype = NULL;

	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
		return;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(names) && !ctype; i++) {
		const char *v = getenv(names[i]);
		if (v && v[0])
			ctype = v;
	}
	if (ctype && names_other_charset(ctype))
		return;
	setlocale(LC_CTYPE, "C.UTF-8");
}

/* Locked: nothing in the environment may choose the database or what sgz
 * reads. Unsets every PG* variable (libpq's: PGHOST, PGDATABASE,
 * PGSERVICE, PGOPTIONS, ...) and SGZ_* (sgz's), and those that make libc
 * or curses load files the user chose (locale data, iconv modules,
 * terminfo); a user's ~/.pg_service.conf is not read either, only the
 * system's pg_service.conf. */
static void lock_environment(void)
{
	extern char **environ;
	static const char *const others[] = { "LOCPATH", "GCONV_PATH", "NLSPATH", "TERMINFO",
					      "TERMINFO_DIRS" };

	for (size_t i = 0; environ && environ[i];) {
		const char *e = environ[i];
		size_t n = strcspn(e, "=");
		bool drop = strncmp(e, "PG", 2) == 0 || strncmp(e, "SGZ_", 4) == 0;

		for (size_t j = 0; j < SGZ_ARRAY_LEN(others) && !drop; j++)
			drop = strlen(others[j]) == n && strncmp(e, others[j], n) == 0;
		if (!drop) {
			i++;
			continue;
		}
		char *name = xstrndup(e, n);
		unsetenv(name); /* environ changes: look again from the start */
		free(name);
		i = 0;
	}
	setenv("PGSERVICEFILE", "/dev/null", 1);
}

static int lang_valid(const char *s)
{
	return strcmp(s, "zh_CN") == 0 || strcmp(s, "en") == 0;
}

/* The log goes to the state directory by default; create it quietly. */
static void open_log(const struct sgz_conf *conf)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (!conf->log_file || !conf->log_file[0])
		return;
	char *dir = xstrdup(conf->log_file);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		sgz_mkdirs(dir, 0700);
	}
	free(dir);
	if (log_open(conf->log_file, conf->log_level, &err) < 0) {
		char *t = msg_tr(err.msg);
		fprintf(stderr, _("sgz: warning: %s; logging nowhere\n"), t);
		free(t);
	}
}

/* A refusal before the configuration is read: the language of --lang or
 * of the locale, the catalogue of the installed sgz (never a directory
 * the environment names: the configuration may lock sgz). */
static void early_language(const char *lang)
{
#ifdef SGZ_TEST_LOCALEDIR
	const char *localedir = SGZ_TEST_LOCALEDIR;
#else
	const char *localedir = SGZ_LOCALEDIR;
#endif
	set_locale();
	i18n_init(i18n_pick(lang && lang_valid(lang) ? lang : NULL, NULL), localedir);
}

int main(int argc, char **argv)
{
	enum { OPT_LOCKED = 256 };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'L' },
		{ "locked", no_argument, NULL, OPT_LOCKED },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *lang = NULL;
	struct conf_sources src = { 0 };
	struct sgz_conf conf;
	struct sgz_err err, warning;
	int c, rc;

	umask(077);
	sgz_err_clear(&err);
	opterr = 0;
	/* "+": options after the command belong to the command. */
	while ((c = getopt_long(argc, argv, "+:c:d:L:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'L':
			lang = optarg;
			break;
		case OPT_LOCKED:
			src.locked = true;
			break;
		case 'h':
			early_language(lang);
			usage(stdout);
			return SGZ_OK;
		case 'V':
			printf("sgz %s\n", PACKAGE_VERSION);
			return SGZ_OK;
		default: {
			const char *word = optind > 0 ? argv[optind - 1] : "";
			char shortopt[3] = { '-', (char)optopt, '\0' };
			if (strncmp(word, "--", 2) != 0 && optopt)
				word = shortopt;
			int n = (int)strcspn(word, "=");
			early_language(lang);
			if (c == ':')
				fprintf(stderr, _("sgz: option %.*s needs a value\n"), n, word);
			else if (word[n] == '=' && optopt)
				fprintf(stderr, _("sgz: option %.*s takes no value\n"), n, word);
			else
				fprintf(stderr, _("sgz: %.*s is not an option of sgz\n"), n, word);
			fputs(_("Try 'sgz --help' for more information.\n"), stderr);
			return SGZ_EUSAGE;
		}
		}
	}
	if (lang && !lang_valid(lang)) {
		early_language(NULL);
		fprintf(stderr, _("sgz: --lang: '%s' is not a language of sgz (zh_CN or en)\n"),
			lang);
		return SGZ_EUSAGE;
	}

	/* the configuration first: whether sgz is locked decides what of the
	 * environment counts, the locale's variables excepted */
	char *sys = system_file();
	src.system_file = sys;
	src.config = config_path;
	src.config_env = getenv("SGZ_CONFIG");
	src.passwd_home = passwd_home();
	conf_defaults(&conf);
	rc = conf_load(&conf, &src, &err, &warning);
	free(sys);
	if (rc < 0) {
		/* the file's [ui] language is not known: --lang's or the locale's */
		early_language(lang);
		char *t = msg_tr(err.msg);
		fprintf(stderr, _("sgz: %s\n"), t);
		free(t);
		conf_free(&conf);
		return SGZ_EUSAGE;
	}
#ifdef SGZ_TEST_LOCALEDIR
	/* the tests' sgz: the build tree's catalogue, locked or not */
	const char *localedir = SGZ_TEST_LOCALEDIR, *datadir = SGZ_DATADIR;
#else
	const char *localedir = SGZ_LOCALEDIR, *datadir = SGZ_DATADIR;
#endif
	if (conf.locked) {
		lock_environment();
	} else {
		const char *v = getenv("SGZ_LOCALEDIR");
		if (v && v[0])
			localedir = v;
		v = getenv("SGZ_DATADIR");
		if (v && v[0])
			datadir = v;
	}
	set_locale();
	/* --lang and the user's own [ui] language are choices; the system
	 * file's is for a locale that says no language */
	bool mine = conf_source_of(&conf, "ui.language") == CONF_SRC_USER;
	i18n_init(i18n_pick(lang ? lang : mine ? conf.language : NULL, conf.language), localedir);
	if (conf.locked && (db || config_path))
		fprintf(stderr, _("sgz: locked: %s%s%s ignored; the system file decides\n"),
			db ? "--db" : "", db && config_path ? _(" and ") : "",
			config_path ? "--config" : "");
	if (warning.msg[0]) {
		char *t = msg_tr(warning.msg);
		fprintf(stderr, _("sgz: warning: %s\n"), t);
		free(t);
	}
	open_log(&conf);
	/* the tests' sgz runs the build tree's */
	certificate_set_drawer(SGZ_CERTIFICATE_DRAWER);

	/* the trace of the SQL sent, for the benchmarks: never when locked
	 * (lock_environment() has unset it; not even looked for) */
	const char *trace = conf.locked ? NULL : getenv("SGZ_TRACE_SQL");
	if (trace && trace[0] && db_trace_open(trace, &err) < 0) {
		char *t = msg_tr(err.msg);
		fprintf(stderr, _("sgz: SGZ_TRACE_SQL: %s\n"), t);
		free(t);
		rc = SGZ_EUSAGE;
		goto out;
	}

	struct cli_ctx ctx = { .conf = &conf, .lang = lang, .datadir = datadir };
	if (conf.locked)
		ctx.conninfo = conf.conninfo;
	else
		ctx.conninfo = db ? db : getenv("SGZ_DB") ? getenv("SGZ_DB") : conf.conninfo;

	if (optind >= argc) {
		rc = cli_open_tui(&ctx, ctx.conninfo);
		goto out;
	}
	for (size_t i = 0; i < SGZ_ARRAY_LEN(commands); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			rc = commands[i].run(&ctx, argc - optind, argv + optind);
			goto out;
		}
	}
	fprintf(stderr, _("sgz: '%s' is not a command; try 'sgz --help'\n"), argv[optind]);
	rc = SGZ_EUSAGE;
out:
	db_trace_close();
	log_close();
	conf_free(&conf);
	return rc;
}
