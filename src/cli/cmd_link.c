/*
 * cmd_link.c: `casebook link` (count/ and corroborate/). Stub.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

int cmd_link(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	(void)argc;
	(void)argv;
	cb_fail(&err, CB_ERR, "casebook link is not built yet");
	return cli_fail(&err);
}
