/*
 * loglin.c: Poisson regression with a log link, fitted by iteratively
 * reweighted least squares, with the small dense linear algebra it needs.
 *
 * The capture-recapture tables are small (at most 2^16 - 1 rows and a few
 * dozen columns), so the normal equations X'WX beta = X'Wz are formed
 * explicitly and solved by GSL's Cholesky; no QR is needed at these sizes when the
 * columns are of moderate scale. Convergence is judged on the deviance, as
 * R's glm does (relative change below 1e-10), because a model whose MLE is
 * on the boundary (an interaction of two lists that share nobody) never
 * converges in its coefficients: one of them runs off to minus infinity
 * while the deviance and the other fitted values settle. Such fits are
 * flagged `boundary` rather than refused. Step halving guards against a
 * deviance that grows or overflows.
 */
#include "count/count.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#define MAX_ITER 100
#define EPS_DEV 1e-10
/* A fitted mean this small is an estimated zero cell. */
#define MU_ZERO 1e-8

int cb_cholesky(double *a, int n)
{
	double *diag = malloc(sizeof *diag * (size_t)(n > 0 ? n : 1));
	int rc = -1;

	if (!diag)
		return -1;
	for (int j = 0; j < n; j++)
		diag[j] = a[j * n + j];
	/* GSL's default handler aborts; a dependent design is an ordinary
	 * outcome here, reported through the status. */
	gsl_set_error_handler_off();
	gsl_matrix_view m = gsl_matrix_view_array(a, (size_t)n, (size_t)n);
	if (gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS)
		goto done;
	/* Relative to the column's own scale: a column that the others
	 * explain to twelve digits is dependent for our purposes. */
	for (int j = 0; j < n; j++) {
		double l = a[j * n + j];
		if (!(diag[j] > 0.0) || !(l * l > diag[j] * 1e-12))
			goto done;
	}
	rc = 0;
done:
	free(diag);
	return rc;
}

/* Solves L L' x = b in place in b, L from cb_cholesky. */
static void chol_solve(double *L, int n, double *b)
{
	gsl_matrix_view m = gsl_matrix_view_array(L, (size_t)n, (size_t)n);
	gsl_vector_view v = gsl_vector_view_array(b, (size_t)n);
	gsl_linalg_cholesky_svx(&m.matrix, &v.vector);
}

void cb_glm_clear(cb_glm *g)
{
	if (!g)
		return;
	free(g->beta);
	free(g->cov);
	free(g->mu);
	memset(g, 0, sizeof *g);
}

static double deviance_of(const double *y, const double *mu, size_t rows)
{
	double d = 0.0;
	for (size_t i = 0; i < rows; i++) {
		double v = -(y[i] - mu[i]);
		if (y[i] > 0.0)
			v += y[i] * log(y[i] / mu[i]);
		d += v;
	}
	return 2.0 * d;
}

/* eta = X beta, mu = exp(eta) with eta kept where exp stays finite. */
static void predict(const double *X, const double *beta, size_t rows, int p, double *eta,
		    double *mu)
{
	for (size_t i = 0; i < rows; i++) {
		const double *x = X + i * (size_t)p;
		double e = 0.0;
		for (int k = 0; k < p; k++)
			e += x[k] * beta[k];
		if (e > 700.0)
			e = 700.0;
		if (e < -700.0)
			e = -700.0;
		eta[i] = e;
		mu[i] = exp(e);
	}
}

/* Forms X'WX (into A) and X'W z (into b) at the current eta, mu. */
static void normal_equations(const double *X, const double *y, const double *eta,
			     const double *mu, size_t rows, int p, double *A, double *b)
{
	memset(A, 0, sizeof *A * (size_t)p * (size_t)p);
	memset(b, 0, sizeof *b * (size_t)p);
	for (size_t i = 0; i < rows; i++) {
		const double *x = X + i * (size_t)p;
		double w = mu[i];
		/* W z = mu * eta + (y - mu): no division by a tiny mu. */
		double wz = w * eta[i] + (y[i] - w);
		for (int r = 0; r < p; r++) {
			if (x[r] == 0.0)
				continue;
			double wx = w * x[r];
			b[r] += x[r] * wz;
			for (int c = 0; c <= r; c++)
				A[r * p + c] += wx * x[c];
		}
	}
	for (int r = 0; r < p; r++)
		for (int c = r + 1; c < p; c++)
			A[r * p + c] = A[c * p + r];
}

int cb_glm_poisson(cb_glm *out, const double *X, const double *y, size_t rows, int p,
		   const double *start, cb_error *err)
{
	double *A = NULL, *b = NULL, *eta = NULL, *beta_old = NULL;
	cb_glm g = {0};
	int rc = CB_OK;

	memset(out, 0, sizeof *out);
	if (p < 1 || rows < (size_t)p)
		return cb_fail(err, CB_EINVAL, "%d parameters for %zu cells", p, rows);
	g.p = p;
	g.beta = calloc((size_t)p, sizeof *g.beta);
	g.cov = calloc((size_t)p * (size_t)p, sizeof *g.cov);
	g.mu = calloc(rows, sizeof *g.mu);
	A = calloc((size_t)p * (size_t)p, sizeof *A);
	b = calloc((size_t)p, sizeof *b);
	eta = calloc(rows, sizeof *eta);
	beta_old = calloc((size_t)p, sizeof *beta_old);
	if (!g.beta || !g.cov || !g.mu || !A || !b || !eta || !beta_old) {
		rc = cb_fail(err, CB_ENOMEM, "out of memory");
		goto done;
	}

	if (start) {
		memcpy(g.beta, start, sizeof *g.beta * (size_t)p);
		predict(X, g.beta, rows, p, eta, g.mu);
	} else {
		for (size_t i = 0; i < rows; i++) {
			g.mu[i] = y[i] + 0.1;
			eta[i] = log(g.mu[i]);
		}
	}
	double dev_old = start ? deviance_of(y, g.mu, rows) : INFINITY;
	for (g.iterations = 1; g.iterations <= MAX_ITER; g.iterations++) {
		normal_equations(X, y, eta, g.mu, rows, p, A, b);
		if (cb_cholesky(A, p) < 0) {
			rc = cb_fail(err, CB_EINVAL,
				     "the model's columns are not independent on these cells");
			goto done;
		}
		memcpy(beta_old, g.beta, sizeof *g.beta * (size_t)p);
		chol_solve(A, p, b);
		memcpy(g.beta, b, sizeof *g.beta * (size_t)p);
		predict(X, g.beta, rows, p, eta, g.mu);
		double dev = deviance_of(y, g.mu, rows);
		/* Step halving, only once there is a previous fit to go back to. */
		for (int half = 0; isfinite(dev_old) && (!isfinite(dev) || dev > dev_old * (1 + 1e-7) + 1e-9) &&
				   half < 30;
		     half++) {
			for (int k = 0; k < p; k++)
				g.beta[k] = 0.5 * (g.beta[k] + beta_old[k]);
			predict(X, g.beta, rows, p, eta, g.mu);
			dev = deviance_of(y, g.mu, rows);
		}
		if (!isfinite(dev)) {
			rc = cb_fail(err, CB_EINVAL, "the fit diverged");
			goto done;
		}
		g.deviance = dev;
		if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < EPS_DEV) {
			g.converged = 1;
			break;
		}
		dev_old = dev;
	}
	if (g.iterations > MAX_ITER)
		g.iterations = MAX_ITER;

	/* The covariance at the final fit: the inverse of X'WX. */
	normal_equations(X, y, eta, g.mu, rows, p, A, b);
	if (cb_cholesky(A, p) < 0) {
		/* Only a boundary fit gets here (weights of ~0); the estimate
		 * stands, its variance does not. */
		for (int k = 0; k < p * p; k++)
			g.cov[k] = NAN;
	} else {
		/* The inverse from the factor: (L L')^-1 = L'^-1 L^-1. */
		gsl_matrix_view m = gsl_matrix_view_array(A, (size_t)p, (size_t)p);
		gsl_linalg_cholesky_invert(&m.matrix);
		memcpy(g.cov, A, sizeof *g.cov * (size_t)p * (size_t)p);
	}
	g.loglik = 0.0;
	for (size_t i = 0; i < rows; i++) {
		if (y[i] > 0.0)
			g.loglik += y[i] * log(g.mu[i]);
		g.loglik -= g.mu[i] + lgamma(y[i] + 1.0);
		if (g.mu[i] < MU_ZERO)
			g.boundary = 1;
	}
	*out = g;
	memset(&g, 0, sizeof g);
done:
	cb_glm_clear(&g);
	free(A);
	free(b);
	free(eta);
	free(beta_old);
	return rc;
}
