/* Range checks of model parameters with messages that name the key. */
#include "param_check.h"

#include <math.h>
#include <stdio.h>

static bool param_ok(const mcr_param *p)
{
    if (!isfinite(p->value) || p->value > p->hi)
        return false;
    return p->lo_open ? p->value > p->lo : p->value >= p->lo;
}

/* "> 0", ">= 0", "in [-1, 1]" or "in (0, 5]". */
static void range_text(const mcr_param *p, char *buf, size_t size)
{
    if (isinf(p->hi))
        snprintf(buf, size, "%s %g", p->lo_open ? ">" : ">=", p->lo);
    else
        snprintf(buf, size, "in %c%g, %g]", p->lo_open ? '(' : '[', p->lo, p->hi);
}

mcr_status mcr_params_check(const mcr_param *p, int n, const char *where, mcr_error *err)
{
    for (int i = 0; i < n; i++) {
        if (param_ok(&p[i]))
            continue;
        char range[64];
        range_text(&p[i], range, sizeof range);
        return mcr_fail(err, MCR_ERR_INPUT, "%s.%s: must be a number %s (got %g)", where,
                        p[i].key, range, p[i].value);
    }
    return MCR_OK;
}
