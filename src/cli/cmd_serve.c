/*
 * cmd_serve.c: `casebook serve` - the web workspace (serve/serve.h).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "serve/serve.h"

int cmd_serve(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	(void)argc;
	(void)argv;
	cb_fail(&err, CB_ERR, "casebook serve is not built yet");
	return cli_fail(&err);
}
