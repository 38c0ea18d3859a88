/* The Brownian bridge over a uniform time grid: d standard normals -> the d increments of a
 * Brownian path, the first normal fixing the terminal value and each next one the midpoint of the
 * widest remaining gap (breadth first). With quasi-random normals this puts the coarse shape of the
 * path, which decides most payoffs, on the first (best distributed) Sobol dimensions (Moskowitz &
 * Caflisch 1996; Glasserman 2004, sec. 3.1.2 and 5.5.1). The map is linear and orthogonal up to the
 * scale: the increments are independent N(0, dt) whatever the order.
 * Weights are precomputed once per grid; a path costs 3 multiply-adds per step, no allocation. */
#ifndef MCR_BROWNIAN_BRIDGE_H
#define MCR_BROWNIAN_BRIDGE_H

#include "core/status.h"

/* One bridge point: W[m] = wl W[l] + wr W[r] + sd z, where W[l] and W[r] are already known
 * (W[0] = 0: a left end at time 0 is stored as wl = 0 with l = r). Indices count time steps. */
typedef struct mcr_bridge_point {
    int m, l, r;
    double wl, wr, sd;
} mcr_bridge_point;

typedef struct mcr_bridge {
    int steps;
    double dt;
    double sd_terminal;       /* sqrt(steps dt): W[steps] = sd_terminal z[0] */
    mcr_bridge_point *points; /* steps - 1 points, in the order of z[1], z[2], ... */
} mcr_bridge;

/* A bridge over `steps` (>= 1) steps of length dt (> 0). dt = 1 makes the increments standard
 * normals, ready for kernels that take one N(0,1) per step. Allocates; free with
 * mcr_bridge_free. */
mcr_status mcr_bridge_init(mcr_bridge *b, int steps, double dt, mcr_error *err);
void mcr_bridge_free(mcr_bridge *b);

/* dw[k] = W[k + 1] - W[k], k < steps, from z[0 .. steps) (z[0]: the terminal value). dw and z must
 * not overlap. */
void mcr_bridge_increments(const mcr_bridge *b, const double *z, double *dw);

#endif
