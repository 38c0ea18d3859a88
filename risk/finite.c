/* Checks that every figure a run reports is finite (finite.h). */
#include "finite.h"

#include <math.h>
#include <stdio.h>

static mcr_status non_finite(const mcr_strategy_result *cell, const char *what, double v,
                             mcr_error *err)
{
    return mcr_fail(err, MCR_ERR_NUMERIC, "scenario %s, strategy %s: %s is %s: the parameters "
                    "take the model or the book beyond double precision (see README, Safety: "
                    "limits)", cell->scenario, cell->strategy, what,
                    isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf");
}

mcr_status mcr_check_finite_pnl(const mcr_comm *c, const mcr_share *sh,
                                const mcr_strategy_result *cell, mcr_error *err)
{
    const double *pnl = cell->fields.at[MCR_FIELD_PNL];
    uint64_t first = UINT64_MAX;
    double bad = 0;
    for (uint64_t i = 0; pnl && i < sh->count; i++)
        if (!isfinite(pnl[i])) {
            first = sh->first + i;
            bad = pnl[i];
            break;
        }
    uint64_t lowest = first;
    c->ops->allreduce(c, &lowest, 1, MCR_COMM_U64, MCR_COMM_MIN);
    if (lowest == UINT64_MAX)
        return MCR_OK;
    /* the value itself from the rank that holds it: NaN, +inf or -inf */
    double v = lowest == first ? (isnan(bad) ? 1 : bad > 0 ? 2 : 3) : 0;
    c->ops->allreduce(c, &v, 1, MCR_COMM_F64, MCR_COMM_MAX);
    char what[64];
    snprintf(what, sizeof what, "the P&L of path %llu", (unsigned long long)lowest);
    return non_finite(cell, what, v == 1 ? NAN : v == 2 ? INFINITY : -INFINITY, err);
}

mcr_status mcr_check_finite_summary(const mcr_strategy_result *cell, mcr_error *err)
{
    const mcr_summary *s = &cell->summary;
    const struct {
        const char *name;
        double v;
    } main[] = {{"the mean P&L", s->mean}, {"the std of the P&L", s->std},
                {"the standard error of the mean", s->mean_se}};
    for (size_t i = 0; i < sizeof main / sizeof main[0]; i++)
        if (!isfinite(main[i].v))
            return non_finite(cell, main[i].name, main[i].v, err);
    char what[64];
    for (int l = 0; l < s->n_levels; l++) {
        const mcr_risk_row *r = &s->risk[l];
        const double v[4] = {r->var, r->var_se, r->cvar, r->cvar_se};
        static const char *const names[4] = {"VaR", "the standard error of VaR", "CVaR",
                                             "the standard error of CVaR"};
        for (int k = 0; k < 4; k++)
            if (!isfinite(v[k])) {
                snprintf(what, sizeof what, "%s at %g", names[k], r->level);
                return non_finite(cell, what, v[k], err);
            }
    }
    for (int f = 0; f < MCR_N_FIELDS; f++)
        if (mcr_fields[f].summary != MCR_SUMMARY_NONE &&
            !isfinite(cell->stat[f])) {
            snprintf(what, sizeof what, "the summary of %s", mcr_fields[f].name);
            return non_finite(cell, what, cell->stat[f], err);
        }
    return MCR_OK;
}
