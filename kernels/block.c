/* Block set-up: every path of a block gets its own PCG32 stream per asset from (seed, asset,
 * global path index), so a path's numbers do not depend on which block, lane or thread simulates
 * it; and the multi-asset constants. */
#include <string.h>

#include "kernels.h"
#include "pcg32.h"

void mcr_block_init(mcr_block *b, uint64_t seed, uint64_t first_path, double log_s0)
{
    b->data_phase = 0;
    b->shocks = NULL;
    b->tilt_on = false;
    b->tilt = 0.0;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed, first_path + (uint64_t)i);
        b->rng_state[i] = g.state;
        b->rng_inc[i] = g.inc;
        b->log_price[i] = log_s0;
        b->variance[i] = 0.0;
        b->tilt_sum[i] = 0.0;
    }
}

void mcr_block_init_asset(mcr_block *b, const mcr_model_step *c, uint64_t seed, int asset,
                          uint64_t first_path, double log_s0)
{
    bool sv = c->type == MCR_MODEL_HESTON || c->type == MCR_MODEL_BATES;
    const mcr_data_step *d = c->data.ret ? &c->data : NULL;
    b->data_phase = 0;
    b->shocks = NULL;
    b->tilt_on = false;
    b->tilt = 0.0;
    for (int i = 0; i < MCR_BLOCK_PATHS; i++) {
        uint64_t path = first_path + (uint64_t)i;
        mcr_pcg32 g = mcr_pcg32_for_asset(seed, d ? MCR_DATA_STREAM : asset, path);
        b->rng_state[i] = g.state;
        b->rng_inc[i] = g.inc;
        b->log_price[i] = log_s0;
        b->tilt_sum[i] = 0.0;
        b->variance[i] = sv ? c->heston.v0 : d && d->fhs ? d->h0 : 0.0;
        b->data_left[i] = 0.0;
        b->data_sd[i] = 0.0;
        b->data_row[i] = d && d->walk ? d->first_row + (int32_t)(path % (uint64_t)d->n_windows) - 1
                                       : -1;
    }
}

void mcr_assets_step_init(mcr_assets_step *c, int n, const mcr_model_step *models,
                          const double *chol, int ld)
{
    memset(c, 0, sizeof *c);
    c->n_assets = n;
    for (int a = 0; a < n; a++) {
        c->model[a] = models[a];
        for (int j = 0; j <= a; j++)
            c->chol[a][j] = chol ? chol[a * ld + j] : (double)(j == a);
    }
}

void mcr_assets_step_peg(mcr_assets_step *c, int a, int to, const mcr_peg_step *peg,
                         double peg0)
{
    c->n_pegs += !c->pegged[a];
    c->pegged[a] = true;
    c->peg_to[a] = to;
    c->peg[a] = *peg;
    c->peg0[a] = peg0;
}

void mcr_assets_block_init(mcr_assets_block *b, const mcr_assets_step *c, uint64_t seed,
                           uint64_t first_path, const double *log_s0)
{
    for (int a = 0; a < c->n_assets; a++) {
        mcr_block_init_asset(&b->asset[a], &c->model[a], seed, a, first_path, log_s0[a]);
        for (int i = 0; c->pegged[a] && i < MCR_BLOCK_PATHS; i++) {
            b->asset[a].peg[i] = c->peg0[a];
            b->asset[a].peg_log_max[i] = log_s0[c->peg_to[a]];
        }
    }
}
