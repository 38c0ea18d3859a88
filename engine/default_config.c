/* The built-in config `mcrisk run` uses when given none. Users see this text (it is stored in
 * every result file), so it lists every key with its default and says what it means.
 * Spot is normalised to 100 so every P&L, VaR and CVaR figure reads as a percentage of the
 * initial position value; for a GBM book they scale linearly with spot, so a real BTC price
 * (e.g. 60000) only rescales them. */
#include "config.h"

const char mcr_default_config_yaml[] =
    "# mcrisk built-in default config (schema 1): one BTC-like asset, long 1 unit, unhedged,\n"
    "# 30 days of hourly steps under geometric Brownian motion.\n"
    "# Copy it to a file, edit it and run `mcrisk run FILE.yaml`.\n"
    "run:\n"
    "  paths: 100000          # Monte Carlo paths\n"
    "  seed: 42               # same seed, same results at any thread count\n"
    "  threads: 0             # 0 = all cores\n"
    "  output: out.h5         # HDF5 result file\n"
    "  keep_pnl: true         # store the per-path P&L\n"
    "  sample_paths: 0        # full price paths to keep for plots (0 = none)\n"
    "  levels: [0.95, 0.99]   # VaR / CVaR confidence levels\n"
    "horizon:\n"
    "  days: 30               # may be fractional\n"
    "  steps: 720             # hourly: dt = days / 365 / steps years\n"
    "market:\n"
    "  rate: 0.0              # cash rate per year, continuously compounded\n"
    "  assets:\n"
    "    - name: BTC\n"
    "      spot: 100          # normalised: P&L reads as % of the initial value\n"
    "      model: {type: gbm, mu: 0.0, sigma: 0.8}   # 80% volatility per year, no drift\n"
    "portfolio:               # the book at risk\n"
    "  - {asset: BTC, instrument: spot, quantity: 1}\n"
    "strategies:              # hedges compared on the same paths\n"
    "  - {name: unhedged, type: none}\n"
    "scenarios:\n"
    "  - {name: base}\n";
