/* Brownian-bridge weights over a uniform grid and the per-path map from normals to increments.
 * Given W at steps l < r, W at m in between is normal with mean
 * ((r - m) W[l] + (m - l) W[r]) / (r - l) and variance (m - l)(r - m) dt / (r - l) (Glasserman
 * 2004, eq. 3.8). Gaps are split at their midpoint, in breadth-first order, so z[1] fixes W at
 * T/2, z[2] and z[3] at T/4 and 3T/4, and so on (for steps not a power of two the midpoints are
 * rounded down). */
#include "brownian_bridge.h"

#include <math.h>
#include <stdlib.h>

mcr_status mcr_bridge_init(mcr_bridge *b, int steps, double dt, mcr_error *err)
{
    b->steps = 0;
    b->points = NULL;
    if (steps < 1)
        return mcr_fail(err, MCR_ERR_INPUT,
                        "Brownian bridge steps: must be an integer >= 1 (got %d)", steps);
    if (!(dt > 0.0) || !isfinite(dt))
        return mcr_fail(err, MCR_ERR_INPUT, "Brownian bridge dt: must be a number > 0 (got %g)",
                        dt);
    /* breadth-first queue of gaps [l, r]: the first gap and two per split, 2 steps - 1 in all */
    int *queue = malloc(sizeof(int) * 2 * (2 * (size_t)steps));
    b->points = malloc(sizeof *b->points * (size_t)(steps > 1 ? steps - 1 : 1));
    if (!queue || !b->points) {
        free(queue);
        free(b->points);
        b->points = NULL;
        return mcr_fail(err, MCR_ERR_NOMEM, "Brownian bridge: out of memory for %d steps", steps);
    }
    b->steps = steps;
    b->dt = dt;
    b->sd_terminal = sqrt((double)steps * dt);
    int head = 0, tail = 0, n = 0;
    queue[tail++] = 0;
    queue[tail++] = steps;
    while (head < tail) {
        int l = queue[head++], r = queue[head++];
        if (r - l < 2)
            continue;
        int m = l + (r - l) / 2;
        double gap = (double)(r - l);
        mcr_bridge_point *p = &b->points[n++];
        p->m = m;
        p->r = r;
        p->l = l == 0 ? r : l; /* W[0] = 0: weight 0 on any known point */
        p->wl = l == 0 ? 0.0 : (double)(r - m) / gap;
        p->wr = (double)(m - l) / gap;
        p->sd = sqrt((double)(m - l) * (double)(r - m) / gap * dt);
        queue[tail++] = l;
        queue[tail++] = m;
        queue[tail++] = m;
        queue[tail++] = r;
    }
    free(queue);
    return MCR_OK;
}

void mcr_bridge_free(mcr_bridge *b)
{
    free(b->points);
    b->points = NULL;
    b->steps = 0;
}

void mcr_bridge_increments(const mcr_bridge *b, const double *z, double *dw)
{
    /* dw[k - 1] holds W[k] until the differencing pass: no scratch */
    int d = b->steps;
    dw[d - 1] = b->sd_terminal * z[0];
    for (int i = 0; i < d - 1; i++) {
        const mcr_bridge_point *p = &b->points[i];
        dw[p->m - 1] = p->wl * dw[p->l - 1] + p->wr * dw[p->r - 1] + p->sd * z[i + 1];
    }
    for (int k = d - 1; k > 0; k--)
        dw[k] -= dw[k - 1];
}
