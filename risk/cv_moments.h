/* The control variate of run.variance_reduction.control_variate inside the block-statistics fold
 * (fold.h): per block the centred co-moments of the P&L y and the control x (the first asset's
 * spot at the horizon, whose mean the model knows), merged in block order (Chan et al.), so the
 * estimate is the same at any thread or rank count and after a resume (block statistics are
 * checkpointed). The coefficient comes from a pilot, the first blocks of the run, and the
 * estimate from the blocks after it: beta is independent of the paths it is applied to, so the
 * estimate is unbiased and its se exact for that beta (risk/control_variate.h; Glasserman 2004,
 * sec. 4.1). */
#ifndef MCR_CV_MOMENTS_H
#define MCR_CV_MOMENTS_H

#include <stdint.h>

#include "result.h"

typedef struct mcr_cv_moments {
    double n, mx, my;       /* paths, means of x and y */
    double m2x, m2y, cxy;   /* sums of squared and cross deviations from the means */
} mcr_cv_moments;

/* The moments of one block: y[0..count) and x[0..count). */
void mcr_cv_moments_of(const double *y, const double *x, int count, mcr_cv_moments *m);
/* a += b (the union of two disjoint sets of paths). */
void mcr_cv_moments_merge(mcr_cv_moments *a, const mcr_cv_moments *b);

/* s->mean and s->mean_se become the control-variate estimate mean(y - beta (x - x_mean)) over
 * `main` and its se, with beta = cxy / m2x of `pilot` (returned in *beta). False (s unchanged)
 * when the pilot's x is constant or main has fewer than 2 paths. */
bool mcr_cv_apply(const mcr_cv_moments *pilot, const mcr_cv_moments *main, double x_mean,
                  mcr_summary *s, double *beta);

#endif
