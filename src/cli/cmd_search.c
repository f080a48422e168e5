/* cmd_search.c: not written yet. */
#include <stdio.h>

#include "cli/commands.h"

int cmd_search(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "casebook: %s: not implemented yet\n", argv[0]);
	return 1;
}
