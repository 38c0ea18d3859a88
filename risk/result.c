/* mcr_result ownership: releases what a run or mcr_h5_read allocated. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

void mcr_strategy_result_free_detail(mcr_strategy_result *c)
{
    free(c->pnl);
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        free(c->component[k]);
    free(c->liquidation_step);
    free(c->trades);
    for (int k = 0; k < 3; k++)
        free(c->greeks[k]);
    c->pnl = NULL;
    memset(c->component, 0, sizeof c->component);
    c->liquidation_step = NULL;
    c->trades = NULL;
    memset(c->greeks, 0, sizeof c->greeks);
}

void mcr_result_free(mcr_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->cells && i < r->n_scenarios * r->n_strategies; i++)
        mcr_strategy_result_free_detail(&r->cells[i]);
    free(r->cells);
    for (int sc = 0; sc < MCR_MAX_SCENARIOS; sc++)
        free(r->sample_paths[sc]);
    free(r->prov.config_yaml);
    memset(r, 0, sizeof *r); /* safe to free twice, and reads as empty */
}

mcr_field_set mcr_strategy_result_fields(const mcr_strategy_result *c)
{
    mcr_field_set s = {.at = {[MCR_FIELD_PNL] = c->pnl,
                              [MCR_FIELD_LIQUIDATION_STEP] = c->liquidation_step,
                              [MCR_FIELD_TRADES] = c->trades}};
    for (int k = 0; k < MCR_N_COMPONENTS; k++)
        s.at[MCR_FIELD_COMPONENT + k] = c->component[k];
    for (int k = 0; k < 3; k++)
        s.at[MCR_FIELD_NET_DELTA + k] = c->greeks[k];
    return s;
}
