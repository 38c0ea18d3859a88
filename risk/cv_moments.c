/* Control-variate moments and the estimate (cv_moments.h). With beta fixed by the pilot,
 * Var(y - beta x) = (m2y - 2 beta cxy + beta^2 m2x) / (n - 1) on the main paths. */
#include "cv_moments.h"

#include <math.h>
#include <string.h>

void mcr_cv_moments_of(const double *y, const double *x, int count, mcr_cv_moments *m)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < count; i++) {
        m->mx += x[i];
        m->my += y[i];
    }
    m->n = count;
    m->mx /= count;
    m->my /= count;
    for (int i = 0; i < count; i++) {
        double dx = x[i] - m->mx, dy = y[i] - m->my;
        m->m2x += dx * dx;
        m->m2y += dy * dy;
        m->cxy += dx * dy;
    }
}

void mcr_cv_moments_merge(mcr_cv_moments *a, const mcr_cv_moments *b)
{
    double n = a->n + b->n;
    if (b->n == 0)
        return;
    double dx = b->mx - a->mx, dy = b->my - a->my, w = a->n * b->n / n;
    a->m2x += b->m2x + dx * dx * w;
    a->m2y += b->m2y + dy * dy * w;
    a->cxy += b->cxy + dx * dy * w;
    a->mx += dx * b->n / n;
    a->my += dy * b->n / n;
    a->n = n;
}

bool mcr_cv_apply(const mcr_cv_moments *pilot, const mcr_cv_moments *main, double x_mean,
                  mcr_summary *s, double *beta)
{
    if (!(pilot->m2x > 0) || main->n < 2)
        return false;
    double b = pilot->cxy / pilot->m2x;
    double ss = main->m2y - 2 * b * main->cxy + b * b * main->m2x;
    *beta = b;
    s->mean = main->my - b * (main->mx - x_mean);
    s->mean_se = sqrt((ss > 0 ? ss : 0) / (main->n - 1) / main->n);
    return true;
}
