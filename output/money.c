/* Amounts with thousands separators in a currency's precision (money.h). */
#include "money.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int mcr_money_decimals(const char *currency)
{
    static const struct {
        const char *name;
        int decimals;
    } table[] = {{"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"CHF", 2}, {"JPY", 0}, {"USDT", 2},
                 {"USDC", 2}, {"DAI", 2}, {"BTC", 8}, {"ETH", 6}, {"SOL", 4}};
    for (size_t i = 0; currency && i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(currency, table[i].name) == 0)
            return table[i].decimals;
    return 2;
}

char *mcr_money(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return buf;
    }
    char digits[64];
    int n = snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    if (n <= 0 || n >= (int)sizeof digits || !isfinite(v)) { /* beyond any amount: as printed */
        snprintf(buf, size, "%g", v);
        return buf;
    }
    bool zero = strspn(digits, "0.") == (size_t)n;
    const char *dot = strchr(digits, '.');
    int whole = dot ? (int)(dot - digits) : n;
    char out[96];
    size_t k = 0;
    if (v < 0 && !zero)
        out[k++] = '-';
    for (int i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    for (int i = whole; i < n; i++)
        out[k++] = digits[i];
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

int mcr_se_decimals(double se, int decimals)
{
    if (!(se > 0) || !isfinite(se))
        return decimals;
    int lead = 1 - (int)floor(log10(se));
    return lead < decimals ? (lead < 0 ? 0 : lead) : decimals;
}

char *mcr_money_se(char *buf, size_t size, double v, double se, int decimals)
{
    if (isnan(se))
        return mcr_money(buf, size, v, decimals);
    int d = mcr_se_decimals(se, decimals);
    char a[48], b[48];
    snprintf(buf, size, "%s +- %s", mcr_money(a, sizeof a, v, d), mcr_money(b, sizeof b, se, d));
    return buf;
}

char *mcr_percent(char *buf, size_t size, double p)
{
    if (isnan(p))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2f%%", 100.0 * p);
    return buf;
}

char *mcr_level_text(char *buf, size_t size, double level)
{
    snprintf(buf, size, "%.10g%%", 100.0 * level);
    return buf;
}
