"""Real result files for the Python tests, made by the mcrisk binary of this tree.

The binary is $MCR_BINARY (the Criterion suite passes the one CMake built), else build/mcrisk
of the source tree; without either, the tests that need a file are skipped with that reason.
Each file is made once per test process, in a temporary directory removed at exit."""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

_TMP = tempfile.mkdtemp(prefix="mcr-pytest-")
atexit.register(shutil.rmtree, _TMP, True)
_MADE = {}

_MARKET = """market:
  rate: 0.0
  assets:
    - name: BTC
      spot: 60000
      model: {type: merton, mu: 0.0, sigma: 0.6, jump_intensity: 10, jump_mean: -0.05,
              jump_std: 0.1}
      implied_vol: {atm: 0.8, skew: -0.1}
portfolio:
  - {asset: BTC, instrument: spot, quantity: 2}
costs: {fee_bps: 5, slippage_bps: 1}
funding: {interval_hours: 8, rate: 0.0001}
margin: {mode: isolated, initial: 0.1, maintenance: 0.005, liquidation_fee: 0.005}
"""
_HEDGES = """strategies:
  - {name: unhedged, type: none}
  - {name: protective_put_90, type: protective_put, strike: 0.9}
  - {name: zero_cost_collar, type: collar, put_strike: 0.9, call_strike: auto}
  - {name: short_linear_perpetual, type: perp_hedge, contract: linear}
"""
_NO_PERP_HEDGES = """strategies:
  - {name: unhedged, type: none}
  - {name: put90, type: protective_put, strike: 0.9}
  - {name: collar, type: collar, put_strike: 0.9, call_strike: auto}
"""
#: Seven scenarios: the base, the three built-in historical ones and three custom stresses.
_SCENARIOS = [
    "{name: base}",
    "{name: black_thursday, use: black_thursday}",
    "{name: luna, use: luna}",
    "{name: ftx, use: ftx}",
    "{name: crash_30pct_at_t0, shock: {day: 0, return: -0.3}, vol_multiplier: 1.5}",
    "{name: vol_x2, vol_multiplier: 2}",
    "{name: rally, shock: {day: 2, return: 0.25}}",
]


def _run_yaml(paths, keep_pnl=True, sample_paths=60, days=30, steps=720):
    return (f"run: {{paths: {paths}, seed: 7, keep_pnl: {str(keep_pnl).lower()}, "
            f"sample_paths: {sample_paths}, levels: [0.95, 0.99]}}\n"
            f"horizon: {{days: {days}, steps: {steps}}}\n")


def _scenarios(n):
    return "scenarios:\n" + "".join(f"  - {s}\n" for s in _SCENARIOS[:n])


#: name -> config text (None: the built-in default config)
CONFIGS = {
    "one": _run_yaml(2000) + _MARKET + _HEDGES + _scenarios(1),
    "three": _run_yaml(1500) + _MARKET + _HEDGES + _scenarios(3),
    "seven": _run_yaml(1000) + _MARKET + _HEDGES + _scenarios(7),
    # keep_pnl false, no perpetual, no sample paths: stored histograms, no liquidation plot
    "nopnl": _run_yaml(1500, keep_pnl=False, sample_paths=0) + _MARKET + _NO_PERP_HEDGES +
             _scenarios(3),
    # the book alone: every hedge cost is zero (up to rounding)
    "unhedged": _run_yaml(1500) + _MARKET + "strategies:\n  - {name: unhedged, type: none}\n" +
                _scenarios(1),
    "two_assets": _run_yaml(1000, sample_paths=120, days=10, steps=48) + """market:
  assets:
    - {name: BTC, spot: 60000, model: {type: gbm, mu: 0.0, sigma: 0.6}}
    - {name: ETH, spot: 3000, model: {type: gbm, mu: 0.0, sigma: 0.8}}
  correlation: [[1.0, 0.7], [0.7, 1.0]]
portfolio:
  - {asset: BTC, instrument: spot, quantity: 1}
  - {asset: ETH, instrument: spot, quantity: 10}
strategies:
  - {name: unhedged, type: none}
  - {name: btc_put, type: protective_put, asset: BTC, strike: 0.9}
""" + _scenarios(1),
    # delta hedges: the instrument's default (linear_perp), spot, and inside a combination
    "delta": _run_yaml(1000, sample_paths=0) + _MARKET + """strategies:
  - {name: unhedged, type: none}
  - {name: delta_default, type: delta_hedge, rebalance: {every_steps: 24}}
  - {name: delta_spot, type: delta_hedge, instrument: spot, rebalance: {every_steps: 24}}
  - name: put_and_delta
    combine:
      - {type: protective_put, strike: 0.9}
      - {type: delta_hedge, rebalance: {every_steps: 24}}
""" + _scenarios(1),
    "default": None,
}


def binary():
    b = os.environ.get("MCR_BINARY") or os.path.join(ROOT, "build", "mcrisk")
    if not os.access(b, os.X_OK):
        raise unittest.SkipTest(f"no mcrisk binary at {b}: build it (cmake --build build) or "
                                "set MCR_BINARY")
    return b


def run_binary(*args, cwd=None):
    """(exit status, stdout, stderr) of the mcrisk binary."""
    p = subprocess.run([binary(), *args], cwd=cwd or _TMP, capture_output=True, text=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def result(name):
    """Path of the result file of CONFIGS[name], made on first use."""
    if name in _MADE:
        return _MADE[name]
    out = os.path.join(_TMP, f"{name}.h5")
    args = ["run", "--quiet", "-o", out]
    if CONFIGS[name] is None:
        args += ["--paths", "2000"]
    else:
        cfg = os.path.join(_TMP, f"{name}.yaml")
        with open(cfg, "w") as f:
            f.write(CONFIGS[name])
        args.insert(1, cfg)
    code, _, err = run_binary(*args)
    if code != 0:
        raise AssertionError(f"mcrisk {' '.join(args)} failed ({code}): {err}")
    _MADE[name] = out
    return out


def scratch(name):
    """A fresh path in the temporary directory."""
    return os.path.join(_TMP, name)


def python(*args, cwd=None, env=None):
    """(exit status, stdout, stderr) of `/usr/bin/python3 -m mcrisk ARGS` with the package."""
    e = dict(os.environ)
    e["PYTHONPATH"] = os.path.join(ROOT, "python")
    e.update(env or {})
    p = subprocess.run(["/usr/bin/python3", "-m", "mcrisk", *args], cwd=cwd or _TMP, env=e,
                       capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr
