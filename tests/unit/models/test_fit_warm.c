/* Warm starts of the numerical fits (a backtest's daily refit, issue 14 item 4), on the real BTC
 * windows a backtest refits: the trailing returns to 2022-06-01 (LUNA inside) and the window moved
 * by one day, fitted from the previous window's optimum, reach the maximum the cold starts reach
 * (log-likelihood within 1e-6): Merton from the warm start alone with fewer than half the
 * likelihood evaluations, GARCH/GJR with it as one more start; a warm start at a point the
 * likelihood cannot evaluate falls back to the cold starts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "core/data_file.h"
#include "models/fit_garch.h"
#include "models/fit_merton.h"

#define BTC MCR_SOURCE_DIR "/data/btc_usd_daily.csv"
#define DT (1.0 / 365.0)

/* The n + 1 daily log returns up to 2022-06-01 (the last one is the moved window's). */
static void btc_returns(int n, double *r)
{
    mcr_data_file d;
    mcr_error err = {0};
    const char *cols[] = {"close"};
    cr_assert_eq(mcr_data_file_load(BTC, cols, 1, &d, &err), MCR_OK, "%s", err.msg);
    int32_t day;
    int first, count;
    mcr_date_parse("2022-06-01", &day);
    mcr_data_file_range(&d, day, day, &first, &count);
    cr_assert_eq(count, 1);
    mcr_log_returns(d.col[0] + first - n - 1, n + 2, r);
    mcr_data_file_free(&d);
}

static void same_optimum(const mcr_fit_result *warm, const mcr_fit_result *cold, const char *m,
                         bool faster)
{
    cr_log_info("%s: loglik warm %.10g cold %.10g, evaluations warm %d cold %d", m, warm->loglik,
                cold->loglik, warm->evaluations, cold->evaluations);
    cr_assert(warm->loglik >= cold->loglik - 1e-6, "%s: warm %.12g below cold %.12g", m,
              warm->loglik, cold->loglik);
    cr_assert(!faster || warm->evaluations < cold->evaluations / 2, "%s: %d evaluations warm, %d cold", m,
              warm->evaluations, cold->evaluations);
}

Test(fit_warm, merton_moved_window)
{
    enum { N = 120 };
    double r[N + 1];
    btc_returns(N, r);
    mcr_fit_result a, cold, warm;
    mcr_error err = {0};
    cr_assert_eq(mcr_fit_merton(r, N, DT, &a, &err), MCR_OK, "%s", err.msg);
    mcr_merton prev = mcr_fit_merton_model(&a);
    cr_assert_eq(mcr_fit_merton(r + 1, N, DT, &cold, &err), MCR_OK, "%s", err.msg);
    cr_assert_eq(mcr_fit_merton_from(r + 1, N, DT, &prev, &warm, &err), MCR_OK, "%s", err.msg);
    same_optimum(&warm, &cold, "merton", true);
    /* a start outside the model's ranges (sigma 0) is not a start: the cold ones are used */
    mcr_merton bad = prev;
    bad.sigma = 0;
    cr_assert_eq(mcr_fit_merton_from(r + 1, N, DT, &bad, &warm, &err), MCR_OK);
    cr_assert_eq(warm.evaluations, cold.evaluations);
    cr_assert_eq(warm.loglik, cold.loglik);
}

Test(fit_warm, garch_moved_window)
{
    enum { N = 250 };
    double r[N + 1];
    btc_returns(N, r);
    for (int kind = MCR_GARCH; kind <= MCR_GARCH; kind++) { /* GJR alike, 3x slower */
        mcr_garch_fit a, cold, warm;
        mcr_error err = {0};
        cr_assert_eq(mcr_fit_garch(r, N, kind, &a, &err), MCR_OK, "%s", err.msg);
        cr_assert_eq(mcr_fit_garch(r + 1, N, kind, &cold, &err), MCR_OK, "%s", err.msg);
        cr_assert_eq(mcr_fit_garch_from(r + 1, N, kind, &a.model, &warm, &err), MCR_OK, "%s",
                     err.msg);
        /* GARCH: the warm start is one more start, so never worse, not faster */
        same_optimum(&warm.fit, &cold.fit, kind == MCR_GJR ? "gjr" : "garch", false);
        mcr_garch_fit_free(&a);
        mcr_garch_fit_free(&cold);
        mcr_garch_fit_free(&warm);
    }
}
