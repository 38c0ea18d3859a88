/* mcr_result ownership: releases what a run or mcr_h5_read allocated. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

void mcr_strategy_result_free_detail(mcr_strategy_result *c)
{
    mcr_field_set_free(&c->fields);
    free(c->tail_pnl);
    c->tail_pnl = NULL;
}

void mcr_result_free(mcr_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->cells && i < r->n_scenarios * r->n_strategies; i++)
        mcr_strategy_result_free_detail(&r->cells[i]);
    free(r->cells);
    for (int sc = 0; sc < MCR_MAX_SCENARIOS; sc++) {
        free(r->sample_paths[sc]);
        free(r->tail_weight[sc]);
    }
    free(r->prov.config_yaml);
    memset(r, 0, sizeof *r); /* safe to free twice, and reads as empty */
}
