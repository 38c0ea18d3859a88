/* The summary table of a result, as `mcrisk run` prints it and `mcrisk report` prints it back:
 * aligned text for a reader (a header block, a legend, per scenario one row per strategy with
 * mean, hedge cost, premium, VaR and CVaR with their standard errors, P(liquidation) where a
 * perpetual is held, hedge effectiveness, then the parameters solved at t0), or every figure as
 * CSV, Markdown or JSON for a program. */
#ifndef MCR_REPORT_H
#define MCR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "risk/result.h"

typedef enum mcr_report_format {
    MCR_FORMAT_TABLE,
    MCR_FORMAT_CSV,
    MCR_FORMAT_MARKDOWN,
    MCR_FORMAT_JSON
} mcr_report_format;

#define MCR_REPORT_WIDTH 120 /* columns the text table fits without --wide */

typedef struct mcr_report_options {
    mcr_report_format format;
    bool wide;        /* text: every level and figure, however wide */
    const char *file; /* the result file's name, for the header */
} mcr_report_options;

/* What the table says beside the figures, from the config the result was run with (NULL when it
 * cannot be loaded again: then USD, and a perpetual is assumed held where any path was
 * liquidated). */
typedef struct mcr_report_facts {
    const char *file;
    char config[MCR_PATH_MAX]; /* where the config came from */
    char currency[16];
    int decimals;              /* the currency's (money.h) */
    char asset[MCR_NAME_MAX];  /* the first asset's name, "" when unknown */
    double spot0;              /* its price at t0, NaN when unknown */
    char kind[MCR_MAX_STRATEGIES][64]; /* strategy type, "a+b" for a combination, "" unknown */
    bool holds_perp[MCR_MAX_STRATEGIES];
    bool close_at_horizon; /* costs.close_at_horizon (unknown: some cell has a close cost) */
    /* a collar's call strike relative to spot at t0 (solved when `auto`), per scenario; NaN: none */
    double call_strike[MCR_MAX_SCENARIOS][MCR_MAX_STRATEGIES];
    /* the price of the hedged asset that liquidates the strategy's (first) perpetual as opened
     * at t0, if the price moved there at once (strategies/liq_price.h); NaN: none */
    double liq_price[MCR_MAX_SCENARIOS][MCR_MAX_STRATEGIES];
    int liq_asset[MCR_MAX_STRATEGIES]; /* the asset that price is of */
    char assets[MCR_MAX_ASSETS][MCR_NAME_MAX];
    double spots[MCR_MAX_ASSETS];
} mcr_report_facts;

bool mcr_report_format_parse(const char *name, mcr_report_format *fmt);
/* What `mcrisk report` needs of a file read back: at least one scenario and one strategy, and
 * in every cell a risk table of at least one level, each in (0, 1). MCR_ERR_INPUT naming the
 * file and the cell otherwise. */
mcr_status mcr_report_check(const char *path, const mcr_result *r, mcr_error *err);

/* The facts of result r run with cfg (NULL: unknown). */
void mcr_report_facts_of(const mcr_result *r, const mcr_config *cfg, const char *file,
                         mcr_report_facts *f);

/* Print r's summary in opt->format (cfg as for mcr_report_facts_of). */
void mcr_report_print(FILE *out, const mcr_result *r, const mcr_config *cfg,
                      const mcr_report_options *opt);

/* One named figure of a cell, as the CSV, Markdown and JSON formats carry it. */
typedef struct mcr_figure {
    char name[48];
    double value;
} mcr_figure;

#define MCR_MAX_FIGURES (32 + 2 * MCR_N_FIELDS + 4 * MCR_MAX_LEVELS)

/* Every figure of cell c, in a fixed order (mean, mean_se, std, hedge_cost, the fields'
 * summaries, hedge_effectiveness, call_strike, liq_price0, var_<level>, var_se_<level>, cvar_<level>,
 * cvar_se_<level>; then, when the run had them, run.tail's tail_* and hedge_ratio: optimize's
 * hedge_ratio_*, named as the HDF5 attributes); the names are python/mcrisk's summary() columns.
 * Every cell of r has the same figures. Returns the count. */
int mcr_report_figures(const mcr_result *r, const mcr_report_facts *f, int c, mcr_figure *out);

/* The formats (report_text.c, report_data.c). */
void mcr_report_text(FILE *out, const mcr_result *r, const mcr_report_facts *f, bool wide);
void mcr_report_csv(FILE *out, const mcr_result *r, const mcr_report_facts *f);
void mcr_report_markdown(FILE *out, const mcr_result *r, const mcr_report_facts *f);
void mcr_report_json(FILE *out, const mcr_result *r, const mcr_report_facts *f);

/* The legend and the header block's lines, shared by the text and Markdown formats. */
extern const char mcr_report_legend[];
int mcr_report_header(const mcr_result *r, const mcr_report_facts *f, char lines[][512], int max);

#endif
