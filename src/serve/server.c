/*
 * server.c: the HTTP server core of `casebook serve` (see serve.h and
 * serve_int.h). Stub until the core lands.
 */
#include "serve/serve_int.h"

int cb_serve_run(cb_store *st, const cb_serve_config *cfg, cb_error *err)
{
	(void)st;
	(void)cfg;
	return cb_fail(err, CB_ERR, "casebook serve is not built yet");
}
