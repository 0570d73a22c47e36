/* cmd_demo.c - sgz demo [--reset|--stop]: the built-in demo database. */
#include "config.h"

#include "sgz/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/demo.h"
#include "sgz/i18n.h"

static void demo_usage(FILE *out)
{
	fprintf(out, "%s sgz demo [--reset|--stop]\n", _("Usage:"));
	fputs(_("Opens the interface on the built-in demo database: a private PostgreSQL\n"
	      "cluster in ~/.local/state/sgz/demo, on a Unix socket only, created, started,\n"
	      "migrated and loaded with the demo data on first use.\n"
	      "\n"
	      "  --reset     remove the demo cluster and build it anew\n"
	      "  --stop      stop the demo server and exit\n"
	      "  -h, --help  show this help and exit\n"),
	      out);
}

int cli_demo(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct demo_opts opts = {
	    .pg_bindir = ctx->conf ? ctx->conf->pg_bindir : NULL,
	    .datadir = ctx->datadir,
	};
	struct sgz_err err;
	char *conninfo = NULL;
	int stop = 0, rc;

	sgz_err_clear(&err);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reset") == 0) {
			opts.reset = 1;
		} else if (strcmp(argv[i], "--stop") == 0) {
			stop = 1;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			demo_usage(stdout);
			return SGZ_OK;
		} else {
			fprintf(stderr,
				argv[i][0] == '-' ? _("sgz demo: unknown option '%s'\n")
						  : _("sgz demo: unexpected argument '%s'\n"),
				argv[i]);
			fputs(_("Try 'sgz demo --help' for more information.\n"), stderr);
			return SGZ_EUSAGE;
		}
	}
	if (opts.reset && stop) {
		fputs(_("sgz demo: --reset and --stop exclude each other\n"), stderr);
		return SGZ_EUSAGE;
	}

	if (stop) {
		if (demo_stop(&opts, &err) < 0) {
			cli_say("demo", err.msg);
			return err.status != SGZ_OK ? (int)err.status : SGZ_EUSAGE;
		}
		return SGZ_OK;
	}
	/* Say what is wrong with the terminal before minutes of setting up. */
	if (cli_check_terminal() < 0)
		return SGZ_EUSAGE;
	if (demo_prepare(&opts, &conninfo, &err) < 0) {
		cli_say("demo", err.msg);
		return err.status != SGZ_OK ? (int)err.status : SGZ_EUSAGE;
	}
	rc = cli_open_tui(ctx, conninfo);
	free(conninfo);
	return rc;
}
