/* run.variance_reduction's draw transforms: antithetic pairs and randomised quasi-Monte Carlo
 * (Sobol points + Brownian bridge), given to the path kernels through their draw-transform hook
 * (kernels.h, mcr_block.shocks) before a block is simulated. Only the assets' Brownian price
 * shocks w change; everything else a path draws (jump counts and sizes, Heston's variance shock
 * eta, every uniform) stays the path's own PCG32 stream, exactly as without the key.
 * A block's shocks depend only on the seed and its global path indices, so results stay bitwise
 * identical at any thread or rank count and after a resume. Estimators: risk/vr_se.h. */
#ifndef MCR_VR_H
#define MCR_VR_H

#include <stdint.h>

#include "config/config.h"
#include "kernels/kernels.h"
#include "kernels/sobol.h"
#include "models/brownian_bridge.h"

/* The shared, read-only part (built once per simulated range). */
typedef struct mcr_vr {
    bool on;               /* antithetic or qmc */
    bool antithetic;       /* paths 2k, 2k+1 (same block) take w and -w */
    bool qmc;              /* Sobol + bridge */
    int randomisations;    /* qmc: R independent scramblings; block b uses number b % R */
    int n_assets, steps;
    int dims;              /* qmc: Sobol dimensions used, min(steps x assets, MCR_SOBOL_MAX_DIMS) */
    uint64_t seed;
    mcr_sobol *sobol;      /* [randomisations] */
    mcr_bridge bridge;     /* over the run's steps, dt = 1 (standard normal increments) */
} mcr_vr;

/* A thread's buffers for one block: the shocks of every asset and step, and a path's point. */
typedef struct mcr_vr_work {
    double *shocks;   /* [asset][step][MCR_BLOCK_PATHS] */
    uint32_t *x;      /* [dims]: one Sobol point */
    double *z, *dw;   /* [dims] the point's normals; [steps] one asset's bridge input, output */
    double *zb;       /* [steps] */
    mcr_block draw;   /* the pseudo-random normals' generators */
} mcr_vr_work;

/* From cfg->vr (nothing to do when it is off: vr->on false, no allocation). */
mcr_status mcr_vr_init(mcr_vr *vr, const mcr_config *cfg, int n_assets, mcr_error *err);
void mcr_vr_free(mcr_vr *vr);
/* NULL when out of memory; free with mcr_vr_work_free. */
mcr_vr_work *mcr_vr_work_new(const mcr_vr *vr);
void mcr_vr_work_free(mcr_vr_work *w);

/* The shocks of the block of paths [first, first + MCR_BLOCK_PATHS) into w, and every asset's
 * hook aimed at them (after mcr_assets_block_init, before the first kernel call). */
void mcr_vr_block(const mcr_vr *vr, const mcr_kernels *k, mcr_assets_block *b, uint64_t first,
                  mcr_vr_work *w);

/* The randomisation (0 .. R-1) of global path p, or -1 without qmc. */
int mcr_vr_group_of(const mcr_vr_config *c, uint64_t path);

#endif
