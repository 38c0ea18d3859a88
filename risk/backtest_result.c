/* Freeing a backtest result (backtest_result.h). */
#include "backtest_result.h"

#include <stdlib.h>
#include <string.h>

void mcr_backtest_free(mcr_backtest *b)
{
    free(b->day);
    free(b->spot);
    free(b->realised);
    free(b->var);
    free(b->es);
    free(b->hit);
    free(b->stats);
    free(b->correlation);
    memset(b, 0, sizeof *b);
}
