/*
 * plot.c: the posterior of the hidden total as a picture - a histogram of
 * LCMCR's draws of N with the number observed, the median and the 95%
 * interval marked - in plain SVG that any browser or report shows. Our own
 * few lines of SVG: a plotting library would be a dependency for one
 * figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "count/count.h"
#include "util/buf.h"
#include "util/fileio.h"

#define W 640.0
#define H 360.0
#define ML 64.0 /* margins: left, right, top, bottom */
#define MR 20.0
#define MT 36.0
#define MB 56.0
#define BINS 40

/* A round step for about n ticks over span. */
static double tick_step(double span, int n)
{
	double raw = span / n, mag = pow(10, floor(log10(raw))), f = raw / mag;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

int cb_posterior_svg(const char *path, const cb_lcmcr_result *r, double observed, const char *title,
		     cb_error *err)
{
	cb_buf b = CB_BUF_INIT;
	long counts[BINS] = {0}, cmax = 1;
	double lo, hi, bw, pw = W - ML - MR, ph = H - MT - MB;
	int rc;

	if (!r || r->nsamples < 2)
		return cb_fail(err, CB_EINVAL, "no posterior draws to plot");
	lo = hi = r->N[0];
	for (long i = 0; i < r->nsamples; i++) {
		if (r->N[i] < lo)
			lo = r->N[i];
		if (r->N[i] > hi)
			hi = r->N[i];
	}
	/* the observed count belongs in the picture: the hidden part is the gap */
	if (observed < lo)
		lo = observed;
	lo = floor(lo * 0.98);
	hi = ceil(hi * 1.02);
	if (hi <= lo)
		hi = lo + 1;
	bw = (hi - lo) / BINS;
	for (long i = 0; i < r->nsamples; i++) {
		int k = (int)((r->N[i] - lo) / bw);
		if (k >= BINS)
			k = BINS - 1;
		if (k < 0)
			k = 0;
		if (++counts[k] > cmax)
			cmax = counts[k];
	}
#define X(v) (ML + ((v) - lo) / (hi - lo) * pw)
#define Y(c) (MT + ph - (double)(c) / cmax * ph)
	cb_buf_printf(&b, err,
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
		      "height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
		      "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		      W, H, W, H);
	cb_buf_puts(&b, "<text x=\"", err);
	cb_buf_printf(&b, err, "%.0f\" y=\"22\" font-size=\"14\" font-weight=\"bold\">", ML);
	for (const char *p = title ? title : "Posterior of the total N"; *p; p++) {
		if (*p == '<')
			cb_buf_puts(&b, "&lt;", err);
		else if (*p == '&')
			cb_buf_puts(&b, "&amp;", err);
		else
			cb_buf_putc(&b, *p, err);
	}
	cb_buf_puts(&b, "</text>\n", err);
	/* the 95% interval, shaded under the bars */
	cb_buf_printf(&b, err,
		      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#dbe8f3\"/>\n",
		      X(r->q025), MT, X(r->q975) - X(r->q025), ph);
	for (int k = 0; k < BINS; k++)
		if (counts[k])
			cb_buf_printf(&b, err,
				      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				      "fill=\"#1f5f8b\"/>\n",
				      X(lo + k * bw) + 0.5, Y(counts[k]), pw / BINS - 1, Y(0) - Y(counts[k]));
	/* axes and ticks */
	cb_buf_printf(&b, err,
		      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n"
		      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
		      ML, MT + ph, ML + pw, MT + ph, ML, MT, ML, MT + ph);
	double step = tick_step(hi - lo, 6);
	for (double v = ceil(lo / step) * step; v <= hi; v += step)
		cb_buf_printf(&b, err,
			      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>"
			      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n",
			      X(v), MT + ph, X(v), MT + ph + 5, X(v), MT + ph + 18, v);
	cb_buf_printf(&b, err,
		      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">N, people in all (observed and "
		      "unobserved)</text>\n"
		      "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">"
		      "posterior draws</text>\n",
		      ML + pw / 2, H - 14, MT + ph / 2, MT + ph / 2);
	/* observed and median */
	cb_buf_printf(&b, err,
		      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#a33a2f\" "
		      "stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
		      "<text x=\"%.1f\" y=\"%.1f\" fill=\"#a33a2f\">observed %.0f</text>\n",
		      X(observed), MT, X(observed), MT + ph, X(observed) + 4, MT + 12, observed);
	cb_buf_printf(&b, err,
		      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\" "
		      "stroke-width=\"2\"/>"
		      "<text x=\"%.1f\" y=\"%.1f\">median %.0f; 95%% interval %.0f-%.0f</text>\n",
		      X(r->q50), MT, X(r->q50), MT + ph, X(r->q50) + 4, MT + 28, r->q50, r->q025,
		      r->q975);
	cb_buf_puts(&b, "</svg>\n", err);
#undef X
#undef Y
	if (!b.ptr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	rc = cb_write_file_atomic(path, b.ptr, b.len, err);
	cb_buf_free(&b);
	return rc;
}
