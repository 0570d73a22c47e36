/* cmd_later.c - subcommands of spec/cli.md whose modules are not built yet:
 * they say so plainly and exit 2, never pretending to work. */
#include "config.h"

#include <stdio.h>

#include "sgz/cli.h"

static int not_yet(const char *what)
{
	fprintf(stderr, "sgz %s: not available in this version of sgz yet\n", what);
	return SGZ_EUSAGE;
}

int cli_report(const struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return not_yet("report");
}

int cli_user(const struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return not_yet("user");
}
