/* cmd_show.c: not written yet. */
#include <stdio.h>

#include "cli/commands.h"

int cmd_show(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "casebook: %s: not implemented yet\n", argv[0]);
	return 1;
}
