/* W1 and its closed-form answer (../shared/WORKLOADS.md). */
#include "workloads.h"

#include <math.h>

static int w1_expected(const mcr_config *cfg, mcr_expected *out)
{
    const mcr_gbm *m = &cfg->assets[0].model.gbm;
    double s0 = cfg->assets[0].spot, t = cfg->horizon_days / 365.0;
    out[0] = (mcr_expected){"mean S_T", MCR_FIG_MEAN, 0, s0, mcr_gbm_mean(m, s0, t)};
    out[1] = (mcr_expected){"std S_T", MCR_FIG_STD, 0, 0, sqrt(mcr_gbm_variance(m, s0, t))};
    out[2] = (mcr_expected){"VaR99", MCR_FIG_VAR, 0.99, 0, mcr_gbm_var_long(m, s0, t, 0.99)};
    out[3] = (mcr_expected){"CVaR99", MCR_FIG_CVAR, 0.99, 0, mcr_gbm_cvar_long(m, s0, t, 0.99)};
    return 4;
}

const mcr_workload mcr_workloads[] = {
    {
        .id = "W1",
        .title = "GBM sigma 0.8, 1 y of 365 daily steps, long 1 spot",
        .yaml = "run: {paths: 1000000, seed: 42, levels: [0.99]}\n"
                "horizon: {days: 365, steps: 365}\n"
                "market:\n"
                "  assets:\n"
                "    - {name: BTC, spot: 100, model: {type: gbm, mu: 0.0, sigma: 0.8}}\n",
        .expected = w1_expected,
        .floor_path_steps = 9.7e8,
    },
};
const int mcr_n_workloads = sizeof mcr_workloads / sizeof mcr_workloads[0];
