/* hedge_ratio: optimize (optimize.h): the golden-section search on the pilot, the bootstrap of
 * the chosen ratio, and the scenario configs that carry the choices into the run. */
#include "optimize.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/pcg32.h"
#include "risk/risk.h"
#include "strategies/hedge_params.h"

/* The pilot's own paths, so the search does not see the run's; the bootstrap's draws. */
#define MCR_OPTIMIZE_SEED 0x6f7074696d697a65ULL /* "optimize" */
#define MCR_OPTIMIZE_RESAMPLE_SEED 0x626f6f7473747261ULL /* "bootstra" */
#define MCR_OPTIMIZE_TOL 1e-3 /* the search stops at a bracket of TOL x max_ratio */
#define MCR_OPTIMIZE_MAX_EVALS 24 /* the search takes 17 (0.618^15 < 0.001), the choice one more */

/* Where part p's hedge parameters start in its params (found by its kind's hedge_ratio row),
 * or SIZE_MAX when its kind has none (not a position hedge). */
static size_t hedge_at(const mcr_config *cfg, const mcr_part *p)
{
    const mcr_kind *kind = cfg->kinds.strategies->kinds[p->kind];
    size_t off;
    return mcr_keys_find(kind->keys, "hedge_ratio", &off)
               ? off - offsetof(mcr_hedge_params, hedge_ratio)
               : SIZE_MAX;
}

static const mcr_hedge_params *hedge_of(const mcr_config *cfg, const mcr_part *p)
{
    size_t at = hedge_at(cfg, p);
    return at == SIZE_MAX ? NULL : (const mcr_hedge_params *)(const void *)(p->params + at);
}

/* The same, to change (a copy of the config's). */
static mcr_hedge_params *hedge_in(mcr_config *cfg, mcr_part *p)
{
    return (mcr_hedge_params *)(void *)(p->params + hedge_at(cfg, p));
}

/* One search: the pilot's config (the strategy alone), its P&L at every tried ratio. */
typedef struct search {
    mcr_config *pc;
    mcr_hedge_params *h;
    const mcr_sim_options *sim;
    int scenario;
    uint64_t n;
    int n_evals;
    double ratio[MCR_OPTIMIZE_MAX_EVALS];
    double *pnl; /* [MCR_OPTIMIZE_MAX_EVALS][n] */
    double *scratch, *sample; /* n each */
} search;

static double objective(const mcr_hedge_params *h, const double *x, uint64_t n, double *scratch)
{
    if (h->objective == MCR_OBJECTIVE_VARIANCE) {
        double m = 0, ss = 0;
        for (uint64_t i = 0; i < n; i++)
            m += x[i];
        m /= (double)n;
        for (uint64_t i = 0; i < n; i++)
            ss += (x[i] - m) * (x[i] - m);
        return ss / (double)(n - 1);
    }
    mcr_summary s;
    mcr_risk_summarize(x, n, &h->level, 1, scratch, &s);
    return h->objective == MCR_OBJECTIVE_VAR ? s.risk[0].var : s.risk[0].cvar;
}

/* The pilot at ratio r: simulated, kept, and its objective. */
static mcr_status pilot_at(search *s, double r, double *f, mcr_error *err)
{
    if (s->n_evals == MCR_OPTIMIZE_MAX_EVALS)
        return mcr_fail(err, MCR_ERR_INTERNAL, "hedge_ratio: optimize: too many evaluations");
    double *pnl = s->pnl + (size_t)s->n_evals * s->n;
    s->h->hedge_ratio = r;
    mcr_field_set out;
    memset(&out, 0, sizeof out);
    out.at[MCR_FIELD_PNL] = pnl;
    mcr_sim_options o = *s->sim;
    o.stop = NULL;
    mcr_status st = mcr_simulate(s->pc, s->scenario, &o, &out, err);
    s->ratio[s->n_evals++] = r;
    *f = objective(s->h, pnl, s->n, s->scratch);
    return st;
}

/* The golden-section search of f over (0, max) (f unimodal there): the bracket's middle. */
typedef mcr_status (*objective_fn)(void *ctx, double r, double *f, mcr_error *err);

static mcr_status golden(objective_fn fn, void *ctx, double max, double *best, mcr_error *err)
{
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double a = 0, b = max, c = b - g * (b - a), d = a + g * (b - a), fc, fd;
    mcr_status st = fn(ctx, c, &fc, err);
    if (st == MCR_OK)
        st = fn(ctx, d, &fd, err);
    while (st == MCR_OK && b - a > MCR_OPTIMIZE_TOL * max) {
        if (fc <= fd) {
            b = d, d = c, fd = fc;
            c = b - g * (b - a);
            st = fn(ctx, c, &fc, err);
        } else {
            a = c, c = d, fc = fd;
            d = a + g * (b - a);
            st = fn(ctx, d, &fd, err);
        }
    }
    *best = 0.5 * (a + b);
    return st;
}

static mcr_status pilot_fn(void *ctx, double r, double *f, mcr_error *err)
{
    return pilot_at(ctx, r, f, err);
}

/* A bootstrap resample: path idx[i] of the pilot, its P&L at ratio r interpolated between the
 * two tried ratios around r (the nearest two beyond the ends). */
typedef struct resample {
    const search *s;
    const uint32_t *idx;
    const int *order; /* the tried ratios, ascending */
} resample;

static mcr_status resample_fn(void *ctx, double r, double *f, mcr_error *err)
{
    (void)err;
    const resample *b = ctx;
    const search *s = b->s;
    int j = 0;
    while (j + 2 < s->n_evals && s->ratio[b->order[j + 1]] < r)
        j++;
    int lo = b->order[j], hi = b->order[j + 1];
    double span = s->ratio[hi] - s->ratio[lo]; /* 0 if a ratio was tried twice */
    double t = span > 0 ? (r - s->ratio[lo]) / span : 0;
    const double *p = s->pnl + (size_t)lo * s->n, *q = s->pnl + (size_t)hi * s->n;
    for (uint64_t i = 0; i < s->n; i++)
        s->sample[i] = p[b->idx[i]] + t * (q[b->idx[i]] - p[b->idx[i]]);
    *f = objective(s->h, s->sample, s->n, s->scratch);
    return MCR_OK;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The search's choice, its bootstrap interval and the objective there (s->h: the strategy's
 * hedge parameters in the pilot's config). */
static mcr_status choose(search *s, uint64_t seed, mcr_ratio_choice *out, mcr_error *err)
{
    const mcr_hedge_params *h = s->h;
    double best, f;
    mcr_status st = golden(pilot_fn, s, h->max_ratio, &best, err);
    int evals = s->n_evals;
    if (st == MCR_OK) /* the objective at the choice itself, on the pilot */
        st = pilot_at(s, best, &f, err);
    if (st != MCR_OK)
        return st;
    int order[MCR_OPTIMIZE_MAX_EVALS];
    for (int i = 0; i < s->n_evals; i++)
        order[i] = i;
    for (int i = 1; i < s->n_evals; i++) /* insertion sort by ratio (ties: first tried) */
        for (int j = i; j > 0 && s->ratio[order[j - 1]] > s->ratio[order[j]]; j--) {
            int k = order[j];
            order[j] = order[j - 1];
            order[j - 1] = k;
        }
    uint32_t *idx = malloc(s->n * sizeof *idx);
    double boot[MCR_OPTIMIZE_BOOTSTRAP];
    if (!idx)
        return mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the hedge ratio's bootstrap");
    for (int b = 0; st == MCR_OK && b < MCR_OPTIMIZE_BOOTSTRAP; b++) {
        mcr_pcg32 g = mcr_pcg32_for_path(seed ^ MCR_OPTIMIZE_RESAMPLE_SEED, (uint64_t)b);
        for (uint64_t i = 0; i < s->n; i++) /* uniform on [0, n) by a 32x32 multiply */
            idx[i] = (uint32_t)(((uint64_t)mcr_pcg32_next(&g) * s->n) >> 32);
        resample rs = {s, idx, order};
        st = golden(resample_fn, &rs, h->max_ratio, &boot[b], err);
    }
    free(idx);
    qsort(boot, MCR_OPTIMIZE_BOOTSTRAP, sizeof boot[0], by_double);
    *out = (mcr_ratio_choice){.optimized = 1, .objective = h->objective, .level = h->level,
                              .ratio = best, .pilot_value = f, .pilot_paths = (int)s->n,
                              .evaluations = evals,
                              .lo = boot[(int)floor(0.025 * MCR_OPTIMIZE_BOOTSTRAP)],
                              .hi = boot[(int)ceil(0.975 * MCR_OPTIMIZE_BOOTSTRAP) - 1]};
    return st;
}

/* Strategy t of scenario sc: the search on the strategy alone, the choice into sc's config. */
static mcr_status optimize_one(const mcr_config *cfg, const mcr_sim_options *sim, int sc, int t,
                               mcr_config *scfg, mcr_ratio_choice *out, mcr_error *err)
{
    const mcr_hedge_params *mine = hedge_of(cfg, &cfg->strategies[t].parts[0]);
    mcr_config *pc = malloc(sizeof *pc);
    search s = {.pc = pc, .sim = sim, .scenario = sc, .n = (uint64_t)mine->pilot_paths};
    s.pnl = malloc((size_t)MCR_OPTIMIZE_MAX_EVALS * s.n * sizeof(double));
    s.scratch = malloc(2 * s.n * sizeof(double));
    mcr_status st = MCR_OK;
    if (!pc || !s.pnl || !s.scratch) {
        st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the hedge ratio's pilot");
    } else {
        s.sample = s.scratch + s.n;
        *pc = *cfg;
        pc->seed = cfg->seed ^ MCR_OPTIMIZE_SEED;
        pc->paths = s.n;
        /* independent pilot paths whatever run.variance_reduction says: the bootstrap
         * resamples paths, and antithetic pairs or Sobol blocks are not independent */
        pc->vr.antithetic = false;
        pc->vr.qmc = MCR_QMC_NONE;
        pc->vr.control_variate = MCR_CV_NONE;
        pc->strategies[0] = cfg->strategies[t];
        pc->n_strategies = 1;
        pc->baseline_index = 0;
        s.h = hedge_in(pc, &pc->strategies[0].parts[0]);
        st = choose(&s, pc->seed, out, err);
    }
    if (st == MCR_OK) {
        mcr_hedge_params *h = hedge_in(scfg, &scfg->strategies[t].parts[0]);
        h->hedge_ratio = out->ratio;
        h->ratio_optimize = 0;
    }
    free(pc);
    free(s.pnl);
    free(s.scratch);
    return st;
}

mcr_status mcr_optimize_hedges(const mcr_config *cfg, const mcr_sim_options *sim,
                               mcr_config **scenario_cfg, mcr_ratio_choice *choice,
                               mcr_error *err)
{
    const int ns = cfg->n_strategies;
    bool any = false;
    memset(choice, 0, (size_t)cfg->n_scenarios * (size_t)ns * sizeof *choice);
    for (int t = 0; t < ns; t++) {
        const mcr_strategy *s = &cfg->strategies[t];
        for (int j = 0; j < s->n_parts; j++) {
            const mcr_hedge_params *h = hedge_of(cfg, &s->parts[j]);
            if (!h || !h->ratio_optimize)
                continue;
            if (s->combined)
                return mcr_fail(err, MCR_ERR_INPUT, "strategy %s: hedge_ratio: optimize is for a "
                                "strategy of one type, not a part of combine", s->name);
            any = true;
        }
    }
    if (any && sim->replay)
        return mcr_fail(err, MCR_ERR_INPUT, "hedge_ratio: optimize needs simulated paths for its "
                        "pilot, not replayed ones (market.assets[].path_file)");
    mcr_status st = MCR_OK;
    for (int sc = 0; sc < cfg->n_scenarios; sc++) {
        scenario_cfg[sc] = NULL;
        if (!any || st != MCR_OK)
            continue;
        if (!(scenario_cfg[sc] = malloc(sizeof *scenario_cfg[sc]))) {
            st = mcr_fail(err, MCR_ERR_NOMEM, "out of memory for the optimized hedges");
            continue;
        }
        *scenario_cfg[sc] = *cfg;
        for (int t = 0; st == MCR_OK && t < ns; t++) {
            const mcr_hedge_params *h = hedge_of(cfg, &cfg->strategies[t].parts[0]);
            if (h && h->ratio_optimize)
                st = optimize_one(cfg, sim, sc, t, scenario_cfg[sc], &choice[sc * ns + t], err);
        }
    }
    return st;
}

double mcr_optimize_pilot_bytes(const mcr_config *cfg)
{
    double most = 0;
    for (int t = 0; t < cfg->n_strategies; t++) {
        const mcr_hedge_params *h = hedge_of(cfg, &cfg->strategies[t].parts[0]);
        double n = h && h->ratio_optimize ? h->pilot_paths : 0; /* search and choose's buffers */
        double bytes = n * ((MCR_OPTIMIZE_MAX_EVALS + 2) * sizeof(double) + sizeof(uint32_t));
        most = bytes > most ? bytes : most;
    }
    return most > 0 ? most + (cfg->n_scenarios + 1.0) * sizeof(mcr_config) : 0;
}
