/* The frontier of report --frontier (output/frontier.h) on a hand-made result: cost from the
 * paired mean difference, CVaR at the highest level, the efficient set by hand, ties, and the
 * error without a comparison. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/frontier.h"

Test(frontier, efficient_set_by_hand)
{
    /* (cost, CVaR): a (0, 10), b (1, 8), c (2, 9) beaten by b, d (1, 8) tied with b, e (3, 1) */
    static const double cost[] = {0, 1, 2, 1, 3}, cvar[] = {10, 8, 9, 8, 1};
    static const int efficient[] = {1, 1, 0, 1, 1};
    mcr_strategy_result cells[5];
    memset(cells, 0, sizeof cells);
    mcr_result r = {.n_scenarios = 1, .n_strategies = 5, .cells = cells};
    for (int t = 0; t < 5; t++) {
        mcr_strategy_result *c = &cells[t];
        snprintf(c->strategy, sizeof c->strategy, "s%d", t);
        snprintf(c->diff.baseline, sizeof c->diff.baseline, "s0");
        c->summary.n_levels = 2;
        c->summary.risk[0] = (mcr_risk_row){0.95, 0, 0, 100, 0}; /* not the frontier's level */
        c->summary.risk[1] = (mcr_risk_row){0.99, 0, 0, cvar[t], 0.5};
        c->diff.mean = -cost[t];
        c->diff.mean_se = 0.25;
    }
    mcr_frontier_point p[5];
    mcr_error err = {0};
    cr_assert_eq(mcr_frontier_points(&r, 0, p, &err), MCR_OK, "%s", err.msg);
    for (int t = 0; t < 5; t++) {
        cr_assert_eq(p[t].cost, cost[t]);
        cr_assert_eq(p[t].cvar, cvar[t]);
        cr_assert_eq(p[t].cost_se, 0.25);
        cr_assert_eq(p[t].efficient, efficient[t], "strategy %d", t);
    }
    cells[0].diff.baseline[0] = '\0'; /* a run without a comparison */
    cr_assert_eq(mcr_frontier_points(&r, 0, p, &err), MCR_ERR_INPUT);
    cr_assert(strstr(err.msg, "no comparison with a baseline"));
}
