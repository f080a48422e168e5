/*
 * bench_dice.c: PPRL comparisons per second: casebook's Dice over two
 * encoded lists (cb_clk_dice on every pair, one core) beside a plain loop
 * of popcounts over the same bit arrays in the same run - the floor any
 * Dice implementation stands on. Prints both rates and their ratio.
 *
 *   bench_dice A.clk B.clk
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "corroborate/corroborate.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	cb_error err = CB_ERROR_INIT;
	cb_clks A = {0}, B = {0};
	double sink = 0, t0, t_dice, t_plain;
	uint64_t plain = 0, n = 0;
	if (argc != 3 || cb_clk_read(&A, argv[1], &err) < 0 || cb_clk_read(&B, argv[2], &err) < 0) {
		fprintf(stderr, "usage: bench_dice A.clk B.clk (%s)\n", err.msg);
		return 2;
	}
	t0 = now();
	for (size_t i = 0; i < A.n; i++)
		for (size_t j = 0; j < B.n; j++)
			sink += cb_clk_dice(&A.v[i], &B.v[j]);
	t_dice = now() - t0;
	n = (uint64_t)A.n * B.n;
	t0 = now();
	for (size_t i = 0; i < A.n; i++)
		for (size_t j = 0; j < B.n; j++) {
			const uint64_t *a = A.v[i].bits, *b = B.v[j].bits;
			int c = 0;
			for (int w = 0; w < CB_CLK_WORDS; w++)
				c += __builtin_popcountll(a[w] & b[w]);
			plain += (uint64_t)c;
		}
	t_plain = now() - t0;
	printf("dice comparisons/s (1 core): casebook %.3g, plain popcount loop %.3g, ratio %.2f "
	       "(%llu pairs; checksums %.1f %llu)\n",
	       n / t_dice, n / t_plain, (n / t_dice) / (n / t_plain), (unsigned long long)n, sink,
	       (unsigned long long)plain);
	cb_clks_free(&A);
	cb_clks_free(&B);
	return 0;
}
