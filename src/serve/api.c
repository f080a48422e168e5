/*
 * api.c: the JSON API under /api/ (docs/api.md).
 */
#include "serve/serve_int.h"

const cb_route cb_api_routes[] = {
	{NULL, NULL, NULL, 0},
};
