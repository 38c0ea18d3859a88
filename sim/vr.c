/* The draw transforms of run.variance_reduction (vr.h): for each block, the Brownian price
 * shocks of every asset and step, handed to the kernels through mcr_block.shocks.
 *
 * Pseudo-random normals come from the kernels' own normal draw (same AS241 normals) on streams
 * of their own: asset a of path p draws from mcr_pcg32_for_asset(seed, MCR_VR_STREAM + a, p),
 * never from the path's own streams (the kernels still take w's outputs there, so the jump and
 * variance draws stay exactly those of a plain run and independent of the given shocks).
 *
 * Antithetic: lanes 2k and 2k+1 of a block (global paths 2k, 2k+1: a block starts at a multiple
 * of 64) draw from the stream of pair p / 2, and the odd lane negates: w and -w, exactly.
 *
 * QMC: path p lies in block b = p / 64, randomisation r = b mod R, point n = (b div R) 64 +
 * p mod 64, so randomisation r holds contiguous Sobol points 0, 1, 2, ... whatever the path
 * count. Dimension k n_assets + a is bridge normal k of asset a (the terminal values first, on
 * the best-distributed dimensions); bridge normals past MCR_SOBOL_MAX_DIMS stay pseudo-random.
 * The bridge (dt = 1) turns them into the standard normal shocks of each step. */
#include "vr.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/pcg32.h"

/* First stream tag of the transforms' normals (asset tags 0..7 are the paths' own, 127 the data
 * models'). */
#define MCR_VR_STREAM 64

mcr_status mcr_vr_init(mcr_vr *vr, const mcr_config *cfg, int n_assets, mcr_error *err)
{
    memset(vr, 0, sizeof *vr);
    vr->antithetic = cfg->vr.antithetic;
    vr->qmc = cfg->vr.qmc == MCR_QMC_SOBOL;
    vr->on = vr->antithetic || vr->qmc;
    if (!vr->on)
        return MCR_OK;
    vr->n_assets = n_assets;
    vr->steps = cfg->steps;
    vr->seed = cfg->seed;
    if (!vr->qmc)
        return MCR_OK;
    vr->randomisations = cfg->vr.randomisations;
    int64_t d = (int64_t)cfg->steps * n_assets;
    vr->dims = d < MCR_SOBOL_MAX_DIMS ? (int)d : MCR_SOBOL_MAX_DIMS;
    mcr_status st = mcr_bridge_init(&vr->bridge, cfg->steps, 1.0, err);
    if (st != MCR_OK)
        return st;
    vr->sobol = calloc((size_t)vr->randomisations, sizeof *vr->sobol);
    if (!vr->sobol) {
        mcr_vr_free(vr);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the Sobol generators");
    }
    for (int r = 0; r < vr->randomisations; r++)
        if ((st = mcr_sobol_init(&vr->sobol[r], vr->dims, 1, cfg->seed, (uint64_t)r, err)) !=
            MCR_OK) {
            mcr_vr_free(vr);
            return st;
        }
    return MCR_OK;
}

void mcr_vr_free(mcr_vr *vr)
{
    if (vr->qmc) {
        for (int r = 0; vr->sobol && r < vr->randomisations; r++)
            mcr_sobol_free(&vr->sobol[r]);
        free(vr->sobol);
        mcr_bridge_free(&vr->bridge);
    }
    memset(vr, 0, sizeof *vr);
}

mcr_vr_work *mcr_vr_work_new(const mcr_vr *vr)
{
    mcr_vr_work *w = aligned_alloc(64, sizeof *w);
    if (!w)
        return NULL;
    memset(w, 0, offsetof(mcr_vr_work, draw));
    size_t rows = (size_t)vr->n_assets * (size_t)vr->steps * MCR_BLOCK_PATHS;
    w->shocks = malloc(rows * sizeof *w->shocks);
    if (vr->qmc) {
        w->x = malloc((size_t)vr->dims * sizeof *w->x);
        w->z = malloc((size_t)vr->dims * sizeof *w->z);
        w->zb = malloc((size_t)vr->steps * sizeof *w->zb);
        w->dw = malloc((size_t)vr->steps * sizeof *w->dw);
    }
    if (!w->shocks || (vr->qmc && (!w->x || !w->z || !w->zb || !w->dw))) {
        mcr_vr_work_free(w);
        return NULL;
    }
    return w;
}

void mcr_vr_work_free(mcr_vr_work *w)
{
    if (!w)
        return;
    free(w->shocks);
    free(w->x);
    free(w->z);
    free(w->zb);
    free(w->dw);
    free(w);
}

/* Pseudo-random normals of asset a for every step into rows[step * 64 + lane]; antithetic: a
 * pair's two lanes share the stream of the pair and the odd one is negated. */
static void pseudo_normals(const mcr_vr *vr, const mcr_kernels *k, int a, uint64_t first,
                           mcr_vr_work *w, double *rows)
{
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        uint64_t p = first + (uint64_t)i;
        mcr_pcg32 g = mcr_pcg32_for_asset(vr->seed, MCR_VR_STREAM + a, vr->antithetic ? p / 2 : p);
        w->draw.rng_state[i] = g.state;
        w->draw.rng_inc[i] = g.inc;
    }
    k->normal(&w->draw, rows, vr->steps);
    if (!vr->antithetic)
        return;
    for (size_t t = 0; t < (size_t)vr->steps; t++)
        for (int i = 1; i < MCR_BLOCK_PATHS; i += 2)
            rows[t * MCR_BLOCK_PATHS + i] = -rows[t * MCR_BLOCK_PATHS + i];
}

/* The Sobol-bridge shocks of the block: the pseudo-random rows are already in place and give
 * the bridge normals past the Sobol dimensions. */
static void qmc_shocks(const mcr_vr *vr, uint64_t first, mcr_vr_work *w)
{
    const int na = vr->n_assets, steps = vr->steps;
    uint64_t b = first / MCR_BLOCK_PATHS, R = (uint64_t)vr->randomisations;
    const mcr_sobol *s = &vr->sobol[b % R];
    uint64_t n0 = (b / R) * MCR_BLOCK_PATHS;
    mcr_sobol_point(s, n0, w->x);
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        if (i > 0)
            mcr_sobol_next(s, n0 + (uint64_t)i - 1, w->x);
        mcr_sobol_normals(w->x, vr->dims, w->z);
        for (int a = 0; a < na; a++) {
            double *rows = w->shocks + (size_t)a * steps * MCR_BLOCK_PATHS;
            for (int t = 0; t < steps; t++) {
                int64_t d = (int64_t)t * na + a;
                w->zb[t] = d < vr->dims ? w->z[d] : rows[(size_t)t * MCR_BLOCK_PATHS + i];
            }
            mcr_bridge_increments(&vr->bridge, w->zb, w->dw);
            for (int t = 0; t < steps; t++)
                rows[(size_t)t * MCR_BLOCK_PATHS + i] = w->dw[t];
        }
    }
}

void mcr_vr_block(const mcr_vr *vr, const mcr_kernels *k, mcr_assets_block *b, uint64_t first,
                  mcr_vr_work *w)
{
    /* with qmc, only bridge normals past the Sobol dimensions are pseudo-random */
    bool pseudo = !vr->qmc || (int64_t)vr->steps * vr->n_assets > vr->dims;
    for (int a = 0; pseudo && a < vr->n_assets; a++)
        pseudo_normals(vr, k, a, first, w,
                       w->shocks + (size_t)a * vr->steps * MCR_BLOCK_PATHS);
    if (vr->qmc)
        qmc_shocks(vr, first, w);
    for (int a = 0; a < vr->n_assets; a++)
        b->asset[a].shocks = w->shocks + (size_t)a * vr->steps * MCR_BLOCK_PATHS;
}

int mcr_vr_group_of(const mcr_vr_config *c, uint64_t path)
{
    if (c->qmc != MCR_QMC_SOBOL)
        return -1;
    return (int)((path / MCR_BLOCK_PATHS) % (uint64_t)c->randomisations);
}
