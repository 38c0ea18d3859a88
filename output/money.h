/* Numbers as a reader of a risk memo expects them: amounts with thousands separators in the
 * currency's natural precision, rounded to what their standard error supports, and
 * probabilities as percentages. The same rules as python/mcrisk/units.py, so the binary's table
 * and the Python package's agree digit for digit. */
#ifndef MCR_MONEY_H
#define MCR_MONEY_H

#include <stddef.h>

/* Decimal places `currency` is quoted in: fiat and stablecoins 2 (JPY 0), BTC 8, ETH 6, SOL 4;
 * 2 when unknown. */
int mcr_money_decimals(const char *currency);

/* `v` with thousands separators and `decimals` places: 1234.5, 2 -> "1,234.50". NaN is "-"; a
 * value that rounds to zero has no minus sign. Returns buf. */
char *mcr_money(char *buf, size_t size, double v, int decimals);

/* "v +- se" rounded to the standard error's two leading digits, never finer than the currency's
 * `decimals`: 46184.6, 848.72, 2 -> "46,185 +- 849"; 0.25, 0.36, 2 -> "0.25 +- 0.36". */
char *mcr_money_se(char *buf, size_t size, double v, double se, int decimals);

/* The decimals mcr_money_se shows for a standard error `se`: its two leading digits, never finer
 * than `decimals`. */
int mcr_se_decimals(double se, int decimals);

/* A probability as a percentage with 2 decimals: 0.1234 -> "12.34%"; NaN is "-". */
char *mcr_percent(char *buf, size_t size, double p);

/* A confidence level as a percentage: 0.99 -> "99%", 0.995 -> "99.5%". */
char *mcr_level_text(char *buf, size_t size, double level);

#endif
