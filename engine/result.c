/* mcr_result ownership: releases what a run or mcr_h5_read allocated. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

void mcr_result_free(mcr_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->cells && i < r->n_scenarios * r->n_strategies; i++)
        free(r->cells[i].pnl);
    free(r->cells);
    free(r->prov.config_yaml);
    memset(r, 0, sizeof *r); /* safe to free twice, and reads as empty */
}
