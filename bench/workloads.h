/* The benchmark workloads of ../shared/WORKLOADS.md: each a config plus the figures its answer
 * must reproduce, so that speed is only ever compared between runs that agree on the answer. */
#ifndef MCR_WORKLOADS_H
#define MCR_WORKLOADS_H

#include "../engine/config.h"

/* A figure of the answer: the closed-form value and how to measure it on the P&L sample. */
typedef enum mcr_figure_kind { MCR_FIG_MEAN, MCR_FIG_STD, MCR_FIG_VAR, MCR_FIG_CVAR } mcr_figure_kind;

typedef struct mcr_expected {
    const char *name;     /* "mean S_T", "VaR99", ... */
    mcr_figure_kind kind;
    double level;         /* for VaR/CVaR */
    double offset;        /* the figure is (P&L statistic) + offset, e.g. S_T = P&L + S0 */
    double exact;
} mcr_expected;

#define MCR_MAX_EXPECTED 8

typedef struct mcr_workload {
    const char *id;
    const char *title;
    const char *yaml; /* the workload's config */
    /* Fill the closed-form figures for the loaded config; returns their count. */
    int (*expected)(const mcr_config *cfg, mcr_expected *out);
    double floor_path_steps; /* measured arithmetic floor at 2 threads here (WORKLOADS.md) */
} mcr_workload;

extern const mcr_workload mcr_workloads[];
extern const int mcr_n_workloads;

#endif
