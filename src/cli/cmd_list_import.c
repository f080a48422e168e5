/*
 * cmd_list_import.c: `casebook list-import` (count/ and corroborate/). Stub.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

int cmd_list_import(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	(void)argc;
	(void)argv;
	cb_fail(&err, CB_ERR, "casebook list-import is not built yet");
	return cli_fail(&err);
}
