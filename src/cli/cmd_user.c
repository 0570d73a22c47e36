/* cmd_user.c - sgz user add|list|remove (spec/cli.md, rules.md Access). */
#include "config.h"

#include <stdio.h>

#include "sgz/cli.h"

int cli_user(const struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "sgz user: not available in this version of sgz yet\n");
	return SGZ_EUSAGE;
}
