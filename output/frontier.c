/* The hedge-cost / CVaR frontier (frontier.h). The cost of a strategy is what it gives up in mean
 * P&L against the baseline (with run.baseline the unhedged book, the cost of hedging), with the
 * paired se of that difference; the risk is its CVaR at the run's highest level with its own se.
 * A strategy is efficient when no other is at least as good on both and better on one. */
#include "frontier.h"

#include <math.h>
#include <string.h>

mcr_status mcr_frontier_points(const mcr_result *r, int s, mcr_frontier_point *out,
                               mcr_error *err)
{
    const mcr_strategy_result *cells = mcr_result_cell(r, s, 0);
    if (r->n_strategies < 2 || !cells[0].diff.baseline[0])
        return mcr_fail(err, MCR_ERR_INPUT, "the result has no comparison with a baseline: a "
                        "frontier needs a run of at least two strategies");
    int top = cells[0].summary.n_levels - 1;
    if (top < 0)
        return mcr_fail(err, MCR_ERR_INPUT, "the result has no risk levels");
    for (int t = 0; t < r->n_strategies; t++) {
        const mcr_strategy_result *c = &cells[t];
        out[t] = (mcr_frontier_point){0.0 - c->diff.mean, c->diff.mean_se, c->summary.risk[top].cvar,
                                      c->summary.risk[top].cvar_se, c->diff.risk[top].cvar,
                                      c->diff.risk[top].cvar_se, 1};
    }
    for (int t = 0; t < r->n_strategies; t++)
        for (int o = 0; o < r->n_strategies && out[t].efficient; o++) {
            const mcr_frontier_point *a = &out[o], *b = &out[t];
            if (o != t && a->cost <= b->cost && a->cvar <= b->cvar &&
                (a->cost < b->cost || a->cvar < b->cvar))
                out[t].efficient = 0;
        }
    return MCR_OK;
}

mcr_status mcr_frontier_print(FILE *out, const mcr_result *r, mcr_error *err)
{
    mcr_frontier_point p[MCR_MAX_STRATEGIES];
    int width = 18;
    for (int t = 0; t < r->n_strategies; t++)
        width = (int)strlen(r->cells[t].strategy) > width ? (int)strlen(r->cells[t].strategy)
                                                          : width;
    for (int s = 0; s < r->n_scenarios; s++) {
        mcr_status st = mcr_frontier_points(r, s, p, err);
        if (st != MCR_OK)
            return st;
        const mcr_strategy_result *cells = mcr_result_cell(r, s, 0);
        double pct = 100.0 * cells[0].summary.risk[cells[0].summary.n_levels - 1].level;
        char cvar[32], dcvar[32];
        snprintf(cvar, sizeof cvar, "CVaR%g +- se", pct);
        snprintf(dcvar, sizeof dcvar, "dCVaR%g +- se", pct);
        fprintf(out, "%sscenario %s: cost = -(mean P&L - mean P&L of %s), paired se; "
                "* = efficient (no other strategy has lower cost and lower CVaR)\n",
                s ? "\n" : "", cells[0].scenario, cells[0].diff.baseline);
        fprintf(out, "  %-*s  %22s  %24s  %24s\n", width, "strategy", "cost +- se", cvar, dcvar);
        for (int t = 0; t < r->n_strategies; t++) {
            char a[48], b[48], c[48];
            snprintf(a, sizeof a, "%.4f +- %.4f", p[t].cost, p[t].cost_se);
            snprintf(b, sizeof b, "%.4f +- %.4f", p[t].cvar, p[t].cvar_se);
            snprintf(c, sizeof c, "%.4f +- %.4f", p[t].dcvar, p[t].dcvar_se);
            fprintf(out, "%c %-*s  %22s  %24s  %24s\n", p[t].efficient ? '*' : ' ', width,
                    cells[t].strategy, a, b, c);
        }
    }
    return MCR_OK;
}
