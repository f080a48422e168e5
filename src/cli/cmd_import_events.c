/* cmd_import_events.c: not written yet. */
#include <stdio.h>

#include "cli/commands.h"

int cmd_import_events(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "casebook: %s: not implemented yet\n", argv[0]);
	return 1;
}
