/* An Aave/Compound-style loan: one collateral asset, one debt asset. Health factor, one
 * liquidation step, interest accrual and the liquidation price, on the ORACLE prices (the caller
 * passes whatever price the protocol sees: spot, lagged or a TWAP).
 *
 * Sources: Aave v3 documentation and contracts (aave-v3-core, LiquidationLogic.sol):
 *   health factor HF = sum(collateral_i x price_i x LT_i) / (debt x price_debt); a position with
 *   HF < 1 may be liquidated;
 *   a liquidator repays up to close_factor of the debt: v3's LiquidationLogic takes
 *   closeFactor = HF > CLOSE_FACTOR_HF_THRESHOLD (0.95) ? 0.5 : 1 (v2: always 0.5; v3.3 also
 *   closes fully positions under 2,000 USD, MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, not modelled);
 *   it receives collateral worth repaid x (1 + liquidation_bonus) at the oracle prices; when the
 *   collateral does not cover that, it takes all of it and repays collateral value / (1 + bonus)
 *   (_calculateAvailableCollateralToLiquidate);
 *   reserves require LT x (1 + bonus) <= 1 (ReserveConfigurator).
 * The protocol's share of the bonus (liquidation protocol fee) goes to the treasury, not back to
 * the borrower, so the borrower's loss is the same and it is not modelled separately.
 *
 * Units: collateral in units of the collateral asset (ETH, stETH), debt in units of the debt
 * asset (USD at price 1, or ETH); prices in USD per unit. Debt in another asset (borrow ETH
 * against stETH) is the same code with price_debt = the ETH price: then only the ratio
 * price_collateral / price_debt matters (mcr_loan_liquidation_ratio).
 *
 * The per-step functions are inline, allocate nothing and use selects, so an instrument kernel
 * can run them per path and step: accrue (mcr_loan_accrue), then test and liquidate once
 * (mcr_loan_liquidate), which repeats at later steps while HF < 1. */
#ifndef MCR_LENDING_H
#define MCR_LENDING_H

#include <math.h>

#include "core/keys.h"
#include "core/status.h"

typedef struct mcr_loan_params {
    double liquidation_threshold; /* LT in (0, 1] */
    double liquidation_bonus;     /* in [0, 0.5]; LT x (1 + bonus) <= 1 */
    double close_factor;          /* fraction of the debt one liquidation repays, (0, 1] */
    double full_close_hf;         /* HF at or below which the whole debt may be repaid
                                   * (Aave v3: 0.95); 0 = never (v2). In [0, 1] */
    double borrow_rate;           /* per year, continuously compounded, in [0, 10] */
    double supply_rate;           /* per year, continuously compounded, in [0, 10] */
} mcr_loan_params;

/* The position's state, per path. */
typedef struct mcr_loan {
    double collateral; /* units of the collateral asset, >= 0 */
    double debt;       /* units of the debt asset, >= 0 */
} mcr_loan;

/* What one liquidation step did. All 0 when HF >= 1. */
typedef struct mcr_liquidation {
    double repaid; /* debt repaid by the liquidator, debt units */
    double seized; /* collateral taken, collateral units */
    double bonus;  /* the part of `seized` beyond the repaid value: seized - repaid pd / pc,
                    * collateral units (the borrower's loss to the bonus) */
} mcr_liquidation;

/* Per-step growth factors: exp(borrow_rate dt), exp(supply_rate dt). */
typedef struct mcr_loan_growth {
    double debt, collateral;
} mcr_loan_growth;

/* The config keys of a loan's parameters; their rows hold the ranges above. */
extern const mcr_key mcr_loan_params_keys[];

/* Ranges above (the rows), and LT x (1 + bonus) <= 1; the error names WHERE.KEY. */
mcr_status mcr_loan_params_check(const mcr_loan_params *p, const char *where, mcr_error *err);

/* dt in years. Aave compounds per second; exp(r dt) is its limit (relative difference below
 * r^2 dt / 2 / 31,536,000 per step). */
mcr_loan_growth mcr_loan_growth_of(const mcr_loan_params *p, double dt);

static inline void mcr_loan_accrue(mcr_loan *loan, mcr_loan_growth g)
{
    loan->debt *= g.debt;
    loan->collateral *= g.collateral;
}

/* HF = collateral x pc x LT / (debt x pd); +infinity without debt (no NaN for 0/0). */
static inline double mcr_loan_health(const mcr_loan_params *p, const mcr_loan *loan, double pc,
                                     double pd)
{
    double debt_value = loan->debt * pd;
    double weighted = loan->collateral * pc * p->liquidation_threshold;
    return debt_value > 0.0 ? weighted / debt_value : INFINITY;
}

/* The collateral price at which HF = 1: debt x pd / (collateral x LT). +infinity without
 * collateral, 0 without debt. A long-collateral loan is liquidatable when pc < this. */
static inline double mcr_loan_liquidation_price(const mcr_loan_params *p, const mcr_loan *loan,
                                                double pd)
{
    double weighted = loan->collateral * p->liquidation_threshold;
    return weighted > 0.0 ? loan->debt * pd / weighted : INFINITY;
}

/* The same threshold for the ratio pc / pd (debt in another asset: stETH/ETH for an ETH loan
 * against stETH): debt / (collateral x LT). */
static inline double mcr_loan_liquidation_ratio(const mcr_loan_params *p, const mcr_loan *loan)
{
    return mcr_loan_liquidation_price(p, loan, 1.0);
}

/* Collateral value less debt value, USD. Delta: collateral to pc, -debt to pd. */
static inline double mcr_loan_equity(const mcr_loan *loan, double pc, double pd)
{
    return loan->collateral * pc - loan->debt * pd;
}

/* One liquidation step at oracle prices pc, pd > 0, applied to *loan in place:
 *   if HF < 1:  cf = HF <= full_close_hf ? 1 : close_factor;  repaid = cf x debt;
 *               seized = repaid x pd x (1 + bonus) / pc;
 *   if seized > collateral:  seized = collateral, repaid = collateral x pc / (pd (1 + bonus)).
 * A loan left with debt and no collateral (bad debt) stays at HF = 0 and later steps seize and
 * repay nothing; the caller decides what to do with the residual debt. */
static inline mcr_liquidation mcr_loan_liquidate(const mcr_loan_params *p, mcr_loan *loan,
                                                 double pc, double pd)
{
    double hf = mcr_loan_health(p, loan, pc, pd);
    double live = hf < 1.0 ? 1.0 : 0.0;
    double cf = hf <= p->full_close_hf ? 1.0 : p->close_factor;
    double gross = 1.0 + p->liquidation_bonus;
    double repaid = live * cf * loan->debt;
    double want = repaid * pd * gross / pc;
    double capped = want > loan->collateral ? 1.0 : 0.0;
    double seized = capped > 0.0 ? loan->collateral : want;
    repaid = capped > 0.0 ? loan->collateral * pc / (pd * gross) : repaid;
    loan->collateral -= seized;
    loan->debt -= repaid;
    loan->collateral = fmax(loan->collateral, 0.0); /* rounding of collateral - collateral */
    /* seized - repaid pd / pc in both cases, without the cancellation */
    return (mcr_liquidation){repaid, seized, seized * p->liquidation_bonus / gross};
}

#endif
