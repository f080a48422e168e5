/*
 * pages.c: the HTML pages of the web workspace.
 */
#include "serve/serve_int.h"

const cb_route cb_page_routes[] = {
	{NULL, NULL, NULL, 0},
};
