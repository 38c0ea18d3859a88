/* The time grid (timegrid.h). */
#include "timegrid.h"

#include <math.h>

double mcr_timegrid_dt(mcr_timegrid g) { return g.days / 365.0 / g.steps; }

int mcr_timegrid_step_ceil(mcr_timegrid g, double years)
{
    return (int)ceil(years / mcr_timegrid_dt(g) - 1e-9);
}

int mcr_timegrid_step_at(mcr_timegrid g, double day)
{
    if (day >= g.days * (1 - 1e-12))
        return g.steps + 1;
    double k = day / (g.days / g.steps);
    int step = (int)ceil(k - 1e-9); /* a day on the grid is that step */
    return step < 0 ? 0 : step;
}
