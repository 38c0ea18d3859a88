/* The tail pass of run.tail (tail.h): the pilot, the shifted pass over a rank's share, and the
 * weighted figures on rank 0. */
#include "tail.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk/weighted.h"

/* The pilot's own paths: another seed, so the shift does not depend on the pass's draws. */
#define MCR_TAIL_PILOT_SEED 0x7461696c70696c6fULL /* "tailpilo" */

/* The likelihood ratio of a path whose assets' standardised sums of shifted normals are
 * zeta[0 .. na): prod_a exp(-c_a zeta_a + c_a^2 / 2) (models/tail_shift.h). */
static double weight_of(const double *c, const double *zeta, int na)
{
    double lw = 0.0;
    for (int a = 0; a < na; a++)
        lw += -c[a] * zeta[a] + 0.5 * c[a] * c[a];
    return exp(lw);
}

/* Simulate blocks [first / 64, ...) of `count` paths from `first` with shifts c[asset]: every
 * strategy's pnl[t] and zeta[path * n_assets + a] (local arrays of count paths). */
static mcr_status shifted_pass(const mcr_config *cfg, int sc, const mcr_sim_options *sim,
                               const double *c, uint64_t first, uint64_t count, double **pnl,
                               double *zeta, mcr_error *err)
{
    mcr_field_set out[MCR_MAX_STRATEGIES];
    memset(out, 0, sizeof out);
    for (int t = 0; t < cfg->n_strategies; t++) /* aimed at global path indices */
        out[t].at[MCR_FIELD_PNL] = (void *)((uintptr_t)pnl[t] - first * sizeof(double));
    mcr_sim_options o = *sim;
    o.stop = NULL;
    const size_t na = (size_t)cfg->n_assets;
    mcr_sim_range range = {.first_block = first / MCR_BLOCK_PATHS,
                           .n_blocks = (count + MCR_BLOCK_PATHS - 1) / MCR_BLOCK_PATHS,
                           .out = out,
                           .tilt = c,
                           .zeta = (double *)((uintptr_t)zeta - first * na * sizeof(double))};
    return count ? mcr_sim_blocks(cfg, sc, &o, &range, err) : MCR_OK;
}

/* |c|, signed for one asset: the tail_shift attribute. */
static double shift_of(const double *c, int na)
{
    double s = 0.0;
    for (int a = 0; a < na; a++)
        s += c[a] * c[a];
    return na == 1 ? c[0] : sqrt(s);
}

/* The pilot's window: the paths around the VaR whose zeta is averaged. */
static int pilot_window(int n) { return n / 64 < 16 ? 16 : n / 64; }

mcr_status mcr_tail_pilot(const mcr_config *cfg, int sc, const mcr_sim_options *sim, double *shift,
                          int *rounds, int *reached, mcr_error *err)
{
    mcr_config pc = *cfg;
    pc.seed = cfg->seed ^ MCR_TAIL_PILOT_SEED;
    pc.paths = (uint64_t)cfg->tail.pilot_paths;
    pc.vr.control_variate = MCR_CV_NONE; /* the pilot needs no control (the only VR allowed) */
    uint64_t n = pc.paths;
    const int ns = cfg->n_strategies, na = cfg->n_assets; /* the sim writes every pnl */
    double *pnl[MCR_MAX_STRATEGIES] = {0};
    double *buf = malloc((size_t)(2 + na + ns) * n * sizeof *buf);
    mcr_weighted_loss *scratch = malloc(n * sizeof *scratch);
    if (!buf || !scratch) {
        free(buf);
        free(scratch);
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the tail pilot");
    }
    double *loss = buf, *w = buf + n, *zeta = buf + 2 * n; /* zeta: na per path */
    for (int t = 0; t < ns; t++)
        pnl[t] = buf + (size_t)(2 + na + t) * n;
    const double *mine = pnl[cfg->tail.strategy_index];
    double c[MCR_MAX_SIM_ASSETS] = {0};
    mcr_status st = MCR_OK;
    *reached = 0;
    for (*rounds = 0; st == MCR_OK && !*reached && *rounds < MCR_TAIL_PILOT_ROUNDS; ++*rounds) {
        st = shifted_pass(&pc, sc, sim, c, 0, n, pnl, zeta, err);
        for (uint64_t i = 0; st == MCR_OK && i < n; i++) {
            loss[i] = -mine[i];
            w[i] = weight_of(c, zeta + i * (uint64_t)na, na);
        }
        if (st == MCR_OK)
            st = mcr_weighted_pilot_shift(zeta, na, loss, w, n, cfg->tail.level,
                                          pilot_window((int)n), scratch, c, reached, err);
    }
    memcpy(shift, c, (size_t)na * sizeof *shift);
    free(buf);
    free(scratch);
    return st;
}

/* On rank 0: the weighted figures of one strategy from its pnl and the weights of every path. */
static mcr_status figures(const double *pnl, const double *w, uint64_t n, double level,
                          double *loss, mcr_weighted_loss *scratch, mcr_tail_result *out,
                          mcr_error *err)
{
    for (uint64_t i = 0; i < n; i++)
        loss[i] = -pnl[i];
    mcr_weighted_tail tail;
    mcr_status st = mcr_weighted_tail_of(loss, w, n, level, scratch, &tail, err);
    if (st != MCR_OK)
        return st;
    out->var = tail.var;
    out->var_se = tail.var_se;
    out->cvar = tail.cvar;
    out->cvar_se = tail.cvar_se;
    out->ess = tail.ess;
    return MCR_OK;
}

/* This rank's doubles into rank 0's all[0..paths) (bit patterns: the gather moves words). */
static void gather(const mcr_comm *c, const mcr_share *sh, const double *mine, double *all)
{
    c->ops->gather_u64(c, (const uint64_t *)mine, (int)sh->count, (uint64_t *)all);
}

mcr_status mcr_tail_scenario(const mcr_config *cfg, int sc, const mcr_sim_options *sim,
                             const mcr_comm *c, const mcr_share *sh, mcr_strategy_result *cells,
                             double **weight, mcr_error *err)
{
    const int ns = cfg->n_strategies, na = cfg->n_assets;
    mcr_tail_result base = {.level = cfg->tail.level, .shifts = {cfg->tail.shift}};
    mcr_status st = MCR_OK;
    if (cfg->tail.shift_auto) /* every rank finds the same shift: no message needed */
        st = mcr_tail_pilot(cfg, sc, sim, base.shifts, &base.pilot_rounds, &base.pilot_reached,
                            err);
    base.shift = shift_of(base.shifts, na);
    st = mcr_comm_agree(c, st, err);
    if (st != MCR_OK)
        return st;

    /* the pass over this rank's share: one pnl per strategy, zeta and the weights */
    const uint64_t m = sh->count ? sh->count : 1, n = sh->paths;
    double *local[MCR_MAX_STRATEGIES] = {0}, *w = malloc(m * sizeof *w);
    double *zeta = malloc(m * (uint64_t)na * sizeof *zeta);
    bool ok = w != NULL && zeta != NULL && n <= INT32_MAX;
    for (int t = 0; t < ns; t++)
        ok = ok && (local[t] = malloc(m * sizeof(double))) != NULL;
    bool root = c->rank == 0, alone = c->size == 1;
    double *all_w = root && !alone ? malloc(n * sizeof *all_w) : w;
    double *all_pnl = root && !alone ? malloc(n * sizeof *all_pnl) : NULL;
    double *loss = root ? malloc(n * sizeof *loss) : NULL;
    mcr_weighted_loss *scratch = root ? malloc(n * sizeof *scratch) : NULL;
    ok = ok && (!root || (all_w && loss && scratch && (alone || all_pnl)));
    st = ok ? MCR_OK
            : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the tail pass of %llu paths (at "
                       "most 2^31 - 1)", (unsigned long long)n);
    if (st == MCR_OK)
        st = shifted_pass(cfg, sc, sim, base.shifts, sh->first, sh->count, local, zeta, err);
    for (uint64_t i = 0; st == MCR_OK && i < sh->count; i++)
        w[i] = weight_of(base.shifts, zeta + i * (uint64_t)na, na);
    free(zeta);
    st = mcr_comm_agree(c, st, err);

    if (st == MCR_OK && !alone)
        gather(c, sh, w, all_w);
    /* with keep_pnl the writer (rank 0 alone) takes every path's P&L and weight */
    const bool keep = cfg->keep_pnl && root;
    for (int t = 0; st == MCR_OK && t < ns; t++) {
        mcr_tail_result r = base;
        const double *p = local[t];
        if (!alone) {
            double *into = keep ? malloc(n * sizeof *into) : all_pnl;
            st = mcr_comm_agree(c, !root || into ? MCR_OK
                                        : mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the "
                                                   "tail pass's P&L of %llu paths",
                                                   (unsigned long long)n), err);
            if (st != MCR_OK)
                break;
            gather(c, sh, local[t], into);
            if (keep) { /* every path's, in place of this rank's share */
                free(local[t]);
                local[t] = into;
            }
            p = into;
        }
        if (root)
            st = figures(p, all_w, n, cfg->tail.level, loss, scratch, &r, err);
        st = mcr_comm_agree(c, st, err);
        c->ops->bcast(c, &r, sizeof r, 0);
        cells[t].tail = r;
    }
    for (int t = 0; t < ns; t++) {
        if (st == MCR_OK && keep) {
            free(cells[t].tail_pnl);
            cells[t].tail_pnl = local[t];
        } else {
            free(local[t]);
        }
    }
    if (st == MCR_OK && keep) {
        free(*weight);
        *weight = all_w; /* one rank: w itself */
        if (all_w == w)
            w = NULL;
        all_w = NULL;
    }
    if (all_w != w)
        free(all_w);
    free(w);
    free(all_pnl);
    free(loss);
    free(scratch);
    return st;
}
