/* main.c - global options, configuration, dispatch to a subcommand or the
 * terminal interface (spec/cli.md). */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sgz/cli.h"
#include "sgz/conf.h"
#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/util.h"

static void usage(FILE *out)
{
	fputs("Usage: sgz [OPTION]... [COMMAND [ARG]...]\n"
	      "The terminal application of township social work stations (社工站).\n"
	      "Without a command, opens the terminal interface.\n"
	      "\n"
	      "Options:\n"
	      "  -c, --config FILE     read FILE (else $SGZ_CONFIG, ~/.config/sgz/sgz.ini,\n"
	      "                        /etc/sgz/sgz.ini)\n"
	      "  -d, --db CONNINFO     libpq conninfo or service=NAME (else $SGZ_DB,\n"
	      "                        [database] conninfo, the PG* environment)\n"
	      "  -L, --lang LANG       interface language: zh_CN or en\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and exit\n"
	      "\n"
	      "Commands:\n"
	      "  migrate [--status]                  apply pending schema migrations\n"
	      "  demo [--reset|--stop]               open the built-in demo database\n"
	      "  import ENTITY FILE [--dry-run] [--encoding auto|utf-8|gb18030]\n"
	      "  export ENTITY [--scope CODE] [-o FILE]\n"
	      "  report NAME [--year YYYY] [--month YYYY-MM] [--scope CODE]\n"
	      "              [--format text|csv] [-o FILE]\n"
	      "  user add ROLE --scope CODE --kind KIND | user list | user remove ROLE\n"
	      "\n"
	      "Exit status: 0 success, 1 data refused (nothing written), 2 usage,\n"
	      "configuration, connection or permission error.\n"
	      "See sgz(1) and sgz.ini(5).\n",
	      out);
}

struct command {
	const char *name;
	int (*run)(const struct cli_ctx *ctx, int argc, char **argv);
};

static const struct command commands[] = {
	{ "migrate", cli_migrate }, { "demo", cli_demo },     { "import", cli_import },
	{ "export", cli_export },   { "report", cli_report }, { "user", cli_user },
};

/* The locale of the environment; when it names a UTF-8 locale that this host
 * has not generated (LANG=zh_CN.UTF-8 on a fresh server), characters are
 * still UTF-8: use C.UTF-8 for them and leave the language to the
 * environment, rather than refuse the user. */
static void set_locale(void)
{
	if (setlocale(LC_ALL, ""))
		return;
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	for (size_t i = 0; i < SGZ_ARRAY_LEN(names); i++) {
		const char *v = getenv(names[i]);
		if (!v || !v[0])
			continue;
		if (strstr(v, "UTF-8") || strstr(v, "utf8") || strstr(v, "UTF8") ||
		    strstr(v, "utf-8"))
			setlocale(LC_CTYPE, "C.UTF-8");
		break;
	}
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
	if (log_open(conf->log_file, conf->log_level, &err) < 0)
		fprintf(stderr, "sgz: warning: %s; logging nowhere\n", err.msg);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'L' },   { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	    { NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *lang = NULL;
	struct sgz_conf conf;
	struct sgz_err err;
	int c, rc;

	set_locale();
	umask(077);
	sgz_err_clear(&err);
	/* "+": options after the command belong to the command. */
	while ((c = getopt_long(argc, argv, "+c:d:L:hV", opts, NULL)) != -1) {
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
		case 'h':
			usage(stdout);
			return SGZ_OK;
		case 'V':
			printf("sgz %s\n", PACKAGE_VERSION);
			return SGZ_OK;
		default:
			fputs("Try 'sgz --help' for more information.\n", stderr);
			return SGZ_EUSAGE;
		}
	}
	if (lang && !lang_valid(lang)) {
		fprintf(stderr, "sgz: --lang: '%s' is not a language of sgz (zh_CN or en)\n", lang);
		return SGZ_EUSAGE;
	}

	conf_defaults(&conf);
	if (conf_load(&conf, config_path, &err) < 0) {
		fprintf(stderr, "sgz: %s\n", err.msg);
		conf_free(&conf);
		return SGZ_EUSAGE;
	}
	open_log(&conf);
	i18n_init(lang ? lang : conf.language, SGZ_LOCALEDIR);

	struct cli_ctx ctx = { .conf = &conf, .lang = lang };
	ctx.conninfo = db ? db : getenv("SGZ_DB") ? getenv("SGZ_DB") : conf.conninfo;
	ctx.datadir = getenv("SGZ_DATADIR") && getenv("SGZ_DATADIR")[0] ? getenv("SGZ_DATADIR")
								      : SGZ_DATADIR;

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
	fprintf(stderr, "sgz: '%s' is not a command; try 'sgz --help'\n", argv[optind]);
	rc = SGZ_EUSAGE;
out:
	log_close();
	conf_free(&conf);
	return rc;
}
