/* Accuracy targets (target.h): rounds of doubling path counts, then the convergence table. The
 * wasted work of the rounds before the last is at most the last round's (1/2 + 1/4 + ...). */
#include "target.h"

#include <math.h>
#include <string.h>

#include "ckpt.h"

static uint64_t round_paths(const mcr_config *cfg, int k)
{
    double n = ldexp((double)cfg->paths, k);
    return n < cfg->target.max_paths ? (uint64_t)n : (uint64_t)cfg->target.max_paths;
}

/* The target figure's standard error in cell c. */
static double figure_se(const mcr_target *t, const mcr_strategy_result *c)
{
    const mcr_risk_row *row = &c->summary.risk[t->level_index < 0 ? 0 : t->level_index];
    return t->figure == MCR_TARGET_MEAN  ? c->summary.mean_se
           : t->figure == MCR_TARGET_VAR ? row->var_se
                                         : row->cvar_se;
}

/* The largest over the scenarios (NaN counts as not met). */
static double worst_se(const mcr_config *cfg, const mcr_result *r)
{
    double worst = 0;
    for (int sc = 0; sc < r->n_scenarios; sc++) {
        double se = figure_se(&cfg->target, mcr_result_cell(r, sc, cfg->target.strategy_index));
        worst = isnan(se) || se > worst ? se : worst;
    }
    return worst;
}

/* The round a checkpoint to resume belongs to (the one whose path count it holds), found by rank
 * 0; 0 when none is (round 0's resume then reports why). */
static int resumed_round(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c)
{
    int32_t found = 0;
    char inputs[sizeof(((mcr_provenance *)0)->input_files)]; /* as each round's run has them */
    mcr_data_inputs(cfg, inputs, sizeof inputs); /* (a target run has no path_file) */
    for (int k = 0; c->rank == 0 && opt->resume && opt->checkpoint; k++) {
        mcr_ckpt ck;
        mcr_error e = {0};
        mcr_ckpt_init(&ck, opt->checkpoint, cfg, round_paths(cfg, k), opt->sim.kernels->name,
                      inputs);
        if (mcr_ckpt_check(&ck, &e) == MCR_OK) {
            found = k;
            break;
        }
        if (round_paths(cfg, k) >= (uint64_t)cfg->target.max_paths)
            break;
    }
    c->ops->bcast(c, &found, sizeof found, 0);
    return found;
}

/* Row `row` of every cell's convergence table from a result of n paths (NULL: too few). */
static void fill_rows(mcr_result *out, const mcr_result *from, int row, uint64_t n)
{
    for (int i = 0; i < out->n_scenarios * out->n_strategies; i++) {
        mcr_strategy_result *c = &out->cells[i];
        const mcr_summary *s = from ? &from->cells[i].summary : NULL;
        double *r = c->convergence[row];
        r[0] = (double)n;
        r[1] = s ? s->mean_se : NAN;
        for (int l = 0; l < c->summary.n_levels; l++) {
            r[2 + 2 * l] = s ? s->risk[l].var_se : NAN;
            r[3 + 2 * l] = s ? s->risk[l].cvar_se : NAN;
        }
        c->n_convergence = MCR_CONVERGENCE_ROWS;
    }
}

/* The first 1/64, 1/16 and 1/4 of the paths, run on their own (no checkpoint, no stop: short). */
static mcr_status convergence(const mcr_config *round, const mcr_run_options *opt,
                              const mcr_comm *c, mcr_result *out, mcr_error *err)
{
    static const int parts[MCR_CONVERGENCE_ROWS - 1] = {64, 16, 4};
    uint64_t all = out->prov.paths;
    mcr_config cfg = *round;
    mcr_run_options o = *opt;
    o.checkpoint = NULL;
    o.resume = 0;
    o.quiet = 1;
    o.output = NULL;
    o.sim.stop = NULL;
    fill_rows(out, out, MCR_CONVERGENCE_ROWS - 1, all);
    for (int j = 0; j < MCR_CONVERGENCE_ROWS - 1; j++) {
        cfg.paths = all / (uint64_t)parts[j];
        if (cfg.paths < 2) {
            fill_rows(out, NULL, j, cfg.paths);
            continue;
        }
        mcr_result part;
        mcr_share sh;
        mcr_status st = mcr_run(&cfg, &o, c, &sh, &part, err);
        if (st != MCR_OK)
            return st;
        fill_rows(out, &part, j, cfg.paths);
        mcr_result_free(&part);
        mcr_share_free(&sh);
    }
    return MCR_OK;
}

mcr_status mcr_run_target(const mcr_config *cfg, const mcr_run_options *opt, const mcr_comm *c,
                          mcr_share *share, mcr_result *out, mcr_error *err)
{
    mcr_config round = *cfg; /* the same config text: the checkpoint's identity */
    mcr_run_options o = *opt;
    o.output = NULL; /* the rounds hold their arrays; the last one's are written at the end */
    int first = resumed_round(cfg, opt, c);
    for (int k = first;; k++) {
        round.paths = round_paths(cfg, k);
        o.resume = opt->resume && k == first;
        mcr_status st = mcr_run(&round, &o, c, share, out, err);
        if (st != MCR_OK || out->stopped)
            return st;
        double se = worst_se(cfg, out);
        bool met = se <= cfg->target.se, last = round.paths >= (uint64_t)cfg->target.max_paths;
        if (!opt->quiet && c->rank == 0)
            fprintf(stderr, "mcrisk: target round %d: %llu paths, se %.6g (target %.6g)%s\n",
                    k + 1, (unsigned long long)round.paths, se, cfg->target.se,
                    met ? ": met" : last ? ": not met at max_paths" : "");
        if (met || last) {
            out->target = (mcr_target_result){.rounds = k + 1, .met = met, .se = se};
            out->prov.resumed = opt->resume; /* also when a later round ran afresh */
            st = convergence(&round, opt, c, out, err);
            return st == MCR_OK && opt->output
                       ? mcr_run_write(&round, opt->output, out, c, share, err)
                       : st;
        }
        if (opt->checkpoint && c->rank == 0) { /* the next round starts its own */
            mcr_ckpt ck;
            mcr_ckpt_init(&ck, opt->checkpoint, &round, round.paths, opt->sim.kernels->name, NULL);
            mcr_ckpt_remove(&ck);
        }
        c->ops->barrier(c);
        mcr_result_free(out);
        mcr_share_free(share);
    }
}

void mcr_target_print(FILE *f, const mcr_config *cfg, const mcr_result *r)
{
    static const char *const names[] = {"mean", "VaR", "CVaR"};
    const mcr_target *t = &cfg->target;
    if (r->target.rounds == 0 || r->n_scenarios == 0)
        return;
    const mcr_strategy_result *c0 = mcr_result_cell(r, 0, t->strategy_index);
    fprintf(f, "\ntarget: se of %s", names[t->figure]);
    if (t->figure != MCR_TARGET_MEAN)
        fprintf(f, "%g", 100.0 * t->level);
    fprintf(f, " of %s <= %g: %s after %d round(s), %llu paths (largest se %.6g)\n", c0->strategy,
            t->se, r->target.met ? "met" : "NOT met (max_paths reached)", r->target.rounds,
            (unsigned long long)r->prov.paths, r->target.se);
    int l = t->level_index < 0 ? 0 : t->level_index;
    double pct = 100.0 * c0->summary.risk[l].level;
    for (int sc = 0; sc < r->n_scenarios; sc++) {
        const mcr_strategy_result *c = mcr_result_cell(r, sc, t->strategy_index);
        char var[32], cvar[32];
        snprintf(var, sizeof var, "VaR%g se", pct);
        snprintf(cvar, sizeof cvar, "CVaR%g se", pct);
        fprintf(f, "convergence of %s in scenario %s:\n  %-6s %14s %14s %14s %14s\n",
                c->strategy, c->scenario, "part", "paths", "mean se", var, cvar);
        for (int row = 0; row < c->n_convergence; row++) {
            const double *v = c->convergence[row];
            fprintf(f, "  %-6s %14.0f %14.6g %14.6g %14.6g\n",
                    row == 0 ? "1/64" : row == 1 ? "1/16" : row == 2 ? "1/4" : "all", v[0], v[1],
                    v[2 + 2 * l], v[3 + 2 * l]);
        }
    }
}
