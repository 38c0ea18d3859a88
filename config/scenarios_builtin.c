/* The named historical stress scenarios, in one table. Day 0 of each scenario is the date given
 * in `event`; every magnitude is approximate and rounded. Price legs are relative to the
 * previous leg (their product is the move from t0); they come from the published prices cited
 * beside them. Magnitudes marked "assumption" have no single published series behind them: they
 * are plausible stress levels chosen for the scenario, and a user may override any key beside
 * `use`. The README (Scenarios, "Built-in historical scenarios") carries the same table. */
#include "scenarios_builtin.h"

#include <string.h>

static const mcr_builtin_scenario builtins[] = {
    {
        .name = "black_thursday",
        .event = "2020-03-12 00:00 UTC (BTC about $7,900): the COVID crash, two legs in a day",
        .s = {
            /* Coin Metrics (State of the Network, 2020-03-23): $7,300 -> $5,690 between 10:00
             * and 11:00 UTC on 12 March and $5,800 -> $3,900 between 23:00 and 02:15 UTC; from
             * the $7,900 close of 11 March (CoinMarketCap) the first low is -28%, the second
             * -31.5% from the first. BTC closed 13 March near $5,560 (CoinMarketCap): +43% from
             * the low. */
            .n_shocks = 3,
            .shocks = {{.day = 0.44, .ret = -0.28}, {.day = 1.0, .ret = -0.315},
                       {.day = 1.9, .ret = 0.43}},
            /* 1-month realised vol 187% and 1-month ATM implied 184% on 16 March (Skew), from
             * about 65% implied on 9-10 March (Skew): vol x2 for the models, +0.8 on the
             * surface; skew -0.2 (puts bid) is an assumption. */
            .vol_multiplier = 2.0,
            .has_jump_multiplier = true,
            .jump_multiplier = 2.0, /* assumption */
            .implied_vol_shift = 0.8,
            .skew_shift = -0.2,
            /* BitMEX's perpetual traded up to ~$400 below spot at the low (LedgerPrime):
             * negative funding for two days, -0.1% per interval (assumption; BitMEX's cap was
             * 0.375%), then the usual +0.01%. */
            .n_funding_path = 2,
            .funding_path = {{.from_day = 0.0, .rate = -0.001}, {.from_day = 2.0, .rate = 0.0001}},
            /* order books emptied (Kaiko, via BTCMEX): liquidity x5 is an assumption */
            .slippage_multiplier = 5.0,
            .impact_multiplier = 5.0,
            /* BitMEX was down twice on 13 March, 45 minutes in all, around 02:00 UTC; Gemini
             * up to 90 minutes (currency.com, Invezz): 01:12-03:00 UTC, which holds an hourly
             * step */
            .has_no_rebalance = true,
            .no_rebalance = {.from_day = 1.05, .to_day = 1.125},
        },
    },
    {
        .name = "luna",
        .event = "2022-05-05 00:00 UTC (BTC about $39,700): TerraUSD (UST) and LUNA collapse",
        .s = {
            /* BTC closes (CoinMarketCap, CoinDesk/Dow Jones): about $36,500 on 5 May, $30,300 on
             * 9 May, low near $26,700 on 12 May (Binance, ~05:00 UTC), close near $29,000 on
             * 12 May; down 28.8% over the seven days to 11 May (Dow Jones Market Data). */
            .n_shocks = 4,
            .shocks = {{.day = 1.0, .ret = -0.08}, {.day = 5.0, .ret = -0.17},
                       {.day = 7.2, .ret = -0.12}, {.day = 7.8, .ret = 0.085}},
            .vol_multiplier = 1.5,  /* assumption */
            .has_jump_multiplier = true,
            .jump_multiplier = 1.5, /* assumption */
            .implied_vol_shift = 0.25, /* assumption: 30-day implied stayed below 100% (BVIN) */
            .skew_shift = -0.1,        /* assumption */
            .n_funding_path = 2,       /* assumption: mildly negative while BTC fell */
            .funding_path = {{.from_day = 5.0, .rate = -0.0003},
                             {.from_day = 9.0, .rate = 0.0001}},
            .slippage_multiplier = 2.0, /* assumption */
            .impact_multiplier = 2.0,
            /* UST as the margin coin: it slipped to $0.985 on 8 May, $0.6x on 10 May and $0.30
             * on 11 May, and never recovered (about $0.10-0.20 from 13 May). USDT itself touched
             * about $0.95 on 12 May for hours: override with depeg {from_day: 7, to_day: 7.5,
             * price: 0.95} for that case. */
            .has_depeg = true,
            .depeg = {.from_day = 6.0, .to_day = MCR_TO_HORIZON},
            .depeg_price = 0.3,
        },
    },
    {
        .name = "ftx",
        .event = "2022-11-07 00:00 UTC (BTC about $20,900): FTX halts withdrawals and fails",
        .s = {
            /* BTC closes (CoinMarketCap): about $18,500 on 8 November, $15,900 on 9 November
             * (CoinDesk BPI low $15,625, -14% on the day) */
            .n_shocks = 2,
            .shocks = {{.day = 2.0, .ret = -0.115}, {.day = 3.0, .ret = -0.14}},
            .vol_multiplier = 1.5, /* assumption */
            .has_jump_multiplier = true,
            .jump_multiplier = 1.5, /* assumption */
            /* 30-day implied (BVIN) went from record lows to above 100% (CryptoCompare) */
            .implied_vol_shift = 0.4,
            .skew_shift = -0.1, /* assumption */
            .n_funding_path = 2, /* assumption */
            .funding_path = {{.from_day = 1.5, .rate = -0.0005},
                             {.from_day = 4.0, .rate = 0.0001}},
            .slippage_multiplier = 3.0, /* assumption */
            .impact_multiplier = 3.0,
            /* the hedging venue is FTX: trading stops when withdrawals halt on 8 November
             * (~14:00 UTC) and never resumes (Chapter 11 on 11 November); the margin left there
             * is worth what claims traded at, 8-12 cents on the dollar in November 2022
             * (Cherokee Acquisition, via CoinDesk) and about 10 cents early in 2023 (Matrixport) */
            .has_no_rebalance = true,
            .no_rebalance = {.from_day = 1.6, .to_day = MCR_TO_HORIZON},
            .has_depeg = true,
            .depeg = {.from_day = 1.6, .to_day = MCR_TO_HORIZON},
            .depeg_price = 0.1,
            /* the venue itself fails then: positions and hedges at a venue the config names
             * `ftx` (venues: [{name: ftx, recovery: 0.1}]) become claims worth recovery of
             * their value; a config without one is unchanged */
            .has_venue_default = true,
            .venue_default = {.venue = "ftx", .day = 1.6},
        },
    },
};

#define N_BUILTINS ((int)(sizeof builtins / sizeof builtins[0]))

const mcr_builtin_scenario *mcr_builtin_scenario_find(const char *name)
{
    for (int i = 0; i < N_BUILTINS; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

const char *mcr_builtin_scenario_names(void) { return "black_thursday, luna, ftx"; }

int mcr_builtin_scenario_count(void) { return N_BUILTINS; }

const mcr_builtin_scenario *mcr_builtin_scenario_at(int i)
{
    return i >= 0 && i < N_BUILTINS ? &builtins[i] : NULL;
}
