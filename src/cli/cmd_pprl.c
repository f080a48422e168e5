/*
 * cmd_pprl.c: `casebook pprl` (count/ and corroborate/). Stub.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

int cmd_pprl(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	(void)argc;
	(void)argv;
	cb_fail(&err, CB_ERR, "casebook pprl is not built yet");
	return cli_fail(&err);
}
