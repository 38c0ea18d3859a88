/* The benchmark workloads of docs/DESIGN.md: each a config plus the figures its answer
 * must reproduce, so that speed is only ever compared between runs that agree on the answer. */
#ifndef MCR_WORKLOADS_H
#define MCR_WORKLOADS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "floor.h"

/* A figure of the answer: its reference value and how to measure it on the P&L sample of one
 * cell (scenario, strategy; 0, 0 unless stated). */
typedef enum mcr_figure_kind { MCR_FIG_MEAN, MCR_FIG_STD, MCR_FIG_VAR, MCR_FIG_CVAR } mcr_figure_kind;

typedef struct mcr_expected {
    const char *name;     /* "mean S_T", "VaR99", ... */
    mcr_figure_kind kind;
    double level;         /* for VaR/CVaR */
    double offset;        /* the figure is (P&L statistic) + offset, e.g. S_T = P&L + S0 */
    double exact;         /* the reference value */
    double rel_tol;       /* 0: pass when |z| <= 4; else when |est/exact - 1| <= rel_tol (for an
                           * asymptotic formula such as Derman-Kamal's, not an exact value) */
    double abs_tol;       /* > 0: pass when |est - exact| <= abs_tol (stored reference figures) */
    int scenario, strategy;
} mcr_expected;

#define MCR_MAX_EXPECTED 96

typedef struct mcr_workload {
    const char *id;
    const char *title;
    const char *yaml;          /* the timed config */
    const char *validate_yaml; /* the config validated against `expected`; NULL: yaml itself */
    /* Fill the reference figures for the validation config; returns their count (0: none for
     * this path count, the workload cannot be validated). */
    int (*expected)(const mcr_config *cfg, mcr_expected *out);
    uint64_t quick_paths; /* paths under --quick; 0: MCR_BENCH_QUICK_PATHS */
    bool per_strategy;    /* rate in strategy-path-steps (every scenario x strategy), not
                           * path-steps */
    /* Its floor is a delta hedge's (floor.h) with these terms, which must be the yaml's: the
     * floor's P&L is checked against the engine's before it is timed. NULL: the path kernel
     * alone, for a workload that holds spot only. */
    const mcr_hedge_floor *hedge_floor;
} mcr_workload;

/* How far (relative to the spot, per path) the hedge floor's P&L may be from the engine's: its
 * table delta is within 5e-7 of N(d1), over 720 hourly moves and trades. */
#define MCR_HEDGE_FLOOR_TOL 1e-6

#define MCR_BENCH_QUICK_PATHS 100000

extern const char mcr_ws_paths_note[]; /* the path counts WS has reference figures for */
/* WS's reference figures at cfg->paths, if stored (ws_reference.c). */
int mcr_ws_expected(const mcr_config *cfg, mcr_expected *out);

extern const mcr_workload mcr_workloads[];
extern const int mcr_n_workloads;

#endif
