/* run.tail's weights in the tests: likelihood ratios have mean 1 under the tilt, so the sample
 * mean of n weights lies within 4 se of 1; the se bounded too (a shift small enough, e.g. -1,
 * for the sample se to be reliable: the weights' variance is e^(c^2) - 1). */
#ifndef MCR_TEST_TAIL_WEIGHTS_H
#define MCR_TEST_TAIL_WEIGHTS_H

#include <criterion/criterion.h>
#include <math.h>

static inline void expect_mean_weight_one(const double *w, int n, double max_se)
{
    double sw = 0, sw2 = 0;
    for (int i = 0; i < n; i++) {
        sw += w[i];
        sw2 += w[i] * w[i];
    }
    double mw = sw / n, se = sqrt((sw2 / n - mw * mw) / (n - 1));
    cr_assert(fabs(mw - 1) <= 4 * se && se < max_se, "mean weight %g, se %g", mw, se);
}

#endif
