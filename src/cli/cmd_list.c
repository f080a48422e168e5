/* cmd_list.c: not written yet. */
#include <stdio.h>

#include "cli/commands.h"

int cmd_list(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "casebook: %s: not implemented yet\n", argv[0]);
	return 1;
}
