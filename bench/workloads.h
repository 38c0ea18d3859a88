/* The benchmark workloads of docs/DESIGN.md: each a config plus the figures its answer
 * must reproduce, so that speed is only ever compared between runs that agree on the answer. */
#ifndef MCR_WORKLOADS_H
#define MCR_WORKLOADS_H

#include "config/config.h"

/* A figure of the answer: its reference value and how to measure it on the P&L sample of the
 * first strategy. */
typedef enum mcr_figure_kind { MCR_FIG_MEAN, MCR_FIG_STD, MCR_FIG_VAR, MCR_FIG_CVAR } mcr_figure_kind;

typedef struct mcr_expected {
    const char *name;     /* "mean S_T", "VaR99", ... */
    mcr_figure_kind kind;
    double level;         /* for VaR/CVaR */
    double offset;        /* the figure is (P&L statistic) + offset, e.g. S_T = P&L + S0 */
    double exact;         /* the reference value */
    double rel_tol;       /* 0: pass when |z| <= 4; else when |est/exact - 1| <= rel_tol (for an
                           * asymptotic formula such as Derman-Kamal's, not an exact value) */
} mcr_expected;

#define MCR_MAX_EXPECTED 8

typedef struct mcr_workload {
    const char *id;
    const char *title;
    const char *yaml;          /* the timed config */
    const char *validate_yaml; /* the config validated against `expected`; NULL: yaml itself */
    /* Fill the reference figures for the validation config; returns their count. */
    int (*expected)(const mcr_config *cfg, mcr_expected *out);
    double floor_path_steps;   /* arithmetic floor measured at 2 threads here (docs/DESIGN.md) */
    const char *floor_note;
} mcr_workload;

extern const mcr_workload mcr_workloads[];
extern const int mcr_n_workloads;

#endif
