/* lcmcr.c: stub, being written. */
#include "count/count.h"

#include <stdlib.h>

void cb_lcmcr_defaults(cb_lcmcr_options *o)
{
	*o = (cb_lcmcr_options){10, 0.25, 0.25, 10000, 1000, 100, 1, NULL, NULL};
}

int cb_lcmcr_run(cb_lcmcr_result **out, const cb_patterns *p, const cb_lcmcr_options *opt,
		 cb_error *err)
{
	*out = NULL;
	return cb_fail(err, CB_ERR, "not yet");
}

void cb_lcmcr_result_free(cb_lcmcr_result *r)
{
	if (r)
		free(r->N);
	free(r);
}
