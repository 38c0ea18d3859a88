/* The model entry points of the kernel table, compiled once per ISA: one asset of any model
 * (dispatched once per call to its model's kernel), and several assets with correlated price
 * shocks. The multi-asset pass draws every asset's chunk in draw-contract order from its own
 * streams, merges its normals, replaces the price shocks w by z = L w in place (descending asset
 * order, as row a of L reads only rows j <= a), then advances every asset with its model's
 * chunk step. Passes are shorter than single-asset ones so that all assets' rows stay in L1/L2. */
#include <string.h>

#include "draws_simd.h"

#define MCR_MULTI_CHUNK 8
#define MCR_MULTI_ROWS (MCR_MULTI_CHUNK * MCR_BLOCK_PATHS)

void MCR_SUFFIX(mcr_model_paths)(mcr_block *b, const mcr_model_step *c, int n_steps,
                                 double *trace)
{
    if (c->data.ret) {
        MCR_SUFFIX(mcr_data_paths)(b, c, n_steps, trace, MCR_BLOCK_PATHS);
        return;
    }
    switch (c->type) {
    case MCR_MODEL_MERTON:
    case MCR_MODEL_KOU:
        MCR_SUFFIX(mcr_jumps_paths)(b, c, n_steps, trace);
        break;
    case MCR_MODEL_HESTON:
    case MCR_MODEL_BATES:
        MCR_SUFFIX(mcr_heston_paths)(b, c, n_steps, trace);
        break;
    default:
        MCR_SUFFIX(mcr_gbm_paths)(b, &(mcr_gbm_step){.drift = c->drift, .vol = c->vol}, n_steps,
                                  trace);
        break;
    }
}

/* One asset's transformed draws of one multi-asset pass. */
typedef struct mcr_asset_rows {
    double z[MCR_MULTI_ROWS];   /* price shocks: w, then z = L w */
    double eta[MCR_MULTI_ROWS]; /* heston, bates: the variance's own shocks */
    double jump[MCR_MULTI_ROWS + MCR_LANES];
    mcr_vm jump_mask[MCR_MULTI_CHUNK * MCR_VECS];
    int jump_at[MCR_MULTI_CHUNK * MCR_VECS];
    mcr_jump_list jumps;       /* vectors with a jump */
} mcr_asset_rows;

static bool mcr_has_variance(const mcr_model_step *c)
{
    return c->type == MCR_MODEL_HESTON || c->type == MCR_MODEL_BATES;
}

static void mcr_asset_draw(mcr_block *b, const mcr_model_step *c, int n, mcr_asset_rows *r)
{
    _Alignas(64) uint64_t start[MCR_BLOCK_PATHS];
    mcr_sparse jm = {r->jump, r->jump_mask, r->jump_at};
    mcr_sparse_buf tails;
    int n_size = mcr_jump_sizes(c);
    mcr_lcg_skip skip = mcr_lcg_skip_of(1 + n_size);
    bool sv = mcr_has_variance(c);
    memcpy(start, b->rng_state, sizeof start);
    mcr_fill_steps(b, n, r->z, sv ? r->eta : NULL, n_size >= 0 ? &skip : NULL, c->jump.cdf[0],
                   jm.mask);
    mcr_inverse_cdf_merged(r->z, n * MCR_BLOCK_PATHS, mcr_sparse_of(&tails));
    mcr_take_shocks(b, r->z, n, NULL);
    mcr_take_tilt(b, r->z, n, NULL); /* the independent w, before the correlation */
    if (sv)
        mcr_inverse_cdf_merged(r->eta, n * MCR_BLOCK_PATHS, mcr_sparse_of(&tails));
    if (n_size >= 0)
        mcr_jumps_of_chunk(b, start, c, n, jm, &r->jumps);
}

/* After the correlation: merton and kou fold their jumps into z (as the single-asset kernel
 * does, so that uncorrelated assets follow its paths bitwise), then every asset advances. */
static void mcr_asset_advance(mcr_block *b, const mcr_model_step *c, int n, mcr_asset_rows *r,
                              mcr_sparse none, double *trace, int stride)
{
    mcr_sparse jm = {r->jump, r->jump_mask, r->jump_at};
    switch (c->type) {
    case MCR_MODEL_MERTON:
    case MCR_MODEL_KOU:
        mcr_fold_jumps(r->z, none, jm, &r->jumps, c->vol);
        MCR_SUFFIX(mcr_gbm_advance)(b, c, n, r->z, none, trace, stride);
        break;
    case MCR_MODEL_HESTON:
        MCR_SUFFIX(mcr_heston_advance)(b, c, n, r->z, none, r->eta, none, NULL, trace, stride);
        break;
    case MCR_MODEL_BATES:
        MCR_SUFFIX(mcr_heston_advance)(b, c, n, r->z, none, r->eta, none, &jm, trace, stride);
        break;
    default:
        MCR_SUFFIX(mcr_gbm_advance)(b, c, n, r->z, none, trace, stride);
        break;
    }
}

void MCR_SUFFIX(mcr_assets_paths)(mcr_assets_block *b, const mcr_assets_step *c, int n_steps,
                                  double *trace)
{
    const int na = c->n_assets;
    if (c->n_pegs > 0 && !trace) { /* pegged assets read their reference's trace */
        _Alignas(64) double local[MCR_MULTI_CHUNK * MCR_KERNEL_MAX_ASSETS * MCR_BLOCK_PATHS];
        for (int t = 0; t < n_steps; t += MCR_MULTI_CHUNK)
            MCR_SUFFIX(mcr_assets_paths)(b, c, n_steps - t < MCR_MULTI_CHUNK ? n_steps - t
                                                                               : MCR_MULTI_CHUNK,
                                         local);
        return;
    }
    mcr_asset_rows rows[MCR_KERNEL_MAX_ASSETS];
    /* merged normals: no lane reads a tail */
    double none_val[MCR_LANES] = {0};
    mcr_vm none_mask[MCR_MULTI_CHUNK * MCR_VECS] = {0};
    int none_at[MCR_MULTI_CHUNK * MCR_VECS] = {0};
    mcr_sparse none = {none_val, none_mask, none_at};
    for (int t = 0; t < n_steps; t += MCR_MULTI_CHUNK) {
        int n = n_steps - t < MCR_MULTI_CHUNK ? n_steps - t : MCR_MULTI_CHUNK;
        /* a data or pegged asset runs its own kernel and offers w = 0 (its rows of L are the
         * identity's) */
        for (int a = 0; a < na; a++)
            if (c->model[a].data.ret || c->pegged[a])
                memset(rows[a].z, 0, (size_t)n * MCR_BLOCK_PATHS * sizeof(double));
            else
                mcr_asset_draw(&b->asset[a], &c->model[a], n, &rows[a]);
        for (int a = na - 1; a >= 0; a--) {
            for (int v = 0; v < n * MCR_VECS; v++) {
                int o = v * MCR_LANES;
                mcr_vd s = mcr_vd_mul(mcr_vd_set(c->chol[a][0]), mcr_vd_loadu(rows[0].z + o));
                for (int j = 1; j <= a; j++)
                    s = mcr_vd_fma(mcr_vd_set(c->chol[a][j]), mcr_vd_loadu(rows[j].z + o), s);
                mcr_vd_storeu(rows[a].z + o, s);
            }
        }
        for (int a = 0; a < na; a++) {
            double *at = trace ? trace + ((size_t)t * na + a) * MCR_BLOCK_PATHS : NULL;
            if (c->pegged[a])
                continue;
            if (c->model[a].data.ret)
                MCR_SUFFIX(mcr_data_paths)(&b->asset[a], &c->model[a], n, at,
                                           na * MCR_BLOCK_PATHS);
            else
                mcr_asset_advance(&b->asset[a], &c->model[a], n, &rows[a], none, at,
                                  na * MCR_BLOCK_PATHS);
        }
        for (int a = 0; a < na; a++) /* after the others: on the reference's path */
            if (c->pegged[a]) {
                double *row = trace + (size_t)t * na * MCR_BLOCK_PATHS;
                MCR_SUFFIX(mcr_peg_paths)(&b->asset[a], &c->peg[a],
                                          row + (size_t)c->peg_to[a] * MCR_BLOCK_PATHS,
                                          row + (size_t)a * MCR_BLOCK_PATHS, n,
                                          na * MCR_BLOCK_PATHS);
            }
    }
}
