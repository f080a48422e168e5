/*
 * compare.h: field comparisons in levels (compare.c), for linkage.c.
 */
#ifndef CB_COMPARE_H
#define CB_COMPARE_H

#include <stdint.h>

#include "corroborate/corroborate.h"

#define CB_LEVEL_MISSING 3

/* The level of each field for records x and y: 0 disagree, 1 in part,
 * 2 agree, CB_LEVEL_MISSING when either lacks it. */
void cb_compare(uint8_t lv[CB_PF_N], const cb_prec *x, const cb_prec *y);

#endif
