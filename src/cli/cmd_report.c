/* cmd_report.c - sgz report NAME ... (spec/cli.md). */
#include "config.h"

#include <stdio.h>

#include "sgz/cli.h"

int cli_report(const struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "sgz report: not available in this version of sgz yet\n");
	return SGZ_EUSAGE;
}
