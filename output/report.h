/* The summary table of a result: one row per scenario and strategy, with mean, std and, per
 * confidence level, VaR and CVaR with their standard errors; as aligned text, CSV or Markdown. */
#ifndef MCR_REPORT_H
#define MCR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "risk/result.h"

typedef enum mcr_report_format { MCR_FORMAT_TABLE, MCR_FORMAT_CSV, MCR_FORMAT_MARKDOWN } mcr_report_format;

bool mcr_report_format_parse(const char *name, mcr_report_format *fmt);
/* What `mcrisk report` needs of a file read back: at least one scenario and one strategy, and
 * in every cell a risk table of at least one level, each in (0, 1). MCR_ERR_INPUT naming the
 * file and the cell otherwise. */
mcr_status mcr_report_check(const char *path, const mcr_result *r, mcr_error *err);

void mcr_report_print(FILE *out, const mcr_result *r, mcr_report_format fmt);

#endif
