/* The normal CDF's table (kernels/ncdf.h), computed once in long double. */
#include "ncdf.h"

#include <math.h>
#include <threads.h>

static double table[2 * MCR_NCDF_NODES];
static once_flag built = ONCE_FLAG_INIT;

static void build(void)
{
    for (int j = 0; j < MCR_NCDF_NODES; j++) {
        long double x = j / (long double)MCR_NCDF_SCALE; /* exact, as is x^2 / 2 */
        table[2 * j] = (double)(0.5L * erfcl(x * sqrtl(0.5L)));
        table[2 * j + 1] = (double)(expl(-0.5L * x * x) / sqrtl(2.0L * acosl(-1.0L)));
    }
}

const double *mcr_ncdf_table(void)
{
    call_once(&built, build);
    return table;
}

double mcr_ncdf_node(int j)
{
    const double *t = mcr_ncdf_table();
    return j <= 0 ? t[2 * -j] : 1.0 - t[2 * j];
}
