#!/usr/bin/python3
"""Read an mcrisk result file (HDF5 layout 1) into numpy arrays and summary figures.

Needs only Debian's python3-h5py and python3-numpy; run it with /usr/bin/python3.

    import sys
    sys.path.insert(0, "tools")          # or set PYTHONPATH
    import mcrisk_results

    r = mcrisk_results.load("out.h5")
    print(r.provenance["seed"], r.provenance["isa"], r.scenarios, r.strategies)
    c = r.cell("crash", "put90")
    print(c.mean, c.mean_se, c.var_at(0.99), c.cvar_at(0.99))
    loss = -c.pnl                        # float64 [paths], loaded on first access
    book = c.components["book"]          # the P&L split by source; the parts add up to pnl

Per-path arrays are read lazily (on first access, then cached), so loading a file of 10^7 paths
costs nothing until an array is used; `Cell.drop()` releases them again.

As a script: `mcrisk_results.py FILE` prints a short summary; `mcrisk_results.py --selftest FILE`
checks the file's internal consistency (components add up to pnl, the stored summaries match the
arrays) and exits 0 when it holds, 1 otherwise, 2 when the file cannot be read.
"""

import math
import sys

try:
    import numpy as np
    import h5py
except ImportError as exc:  # the one-line message names the Debian package to install
    _PKG = {"numpy": "python3-numpy", "h5py": "python3-h5py"}.get(exc.name, exc.name)
    sys.stderr.write(f"mcrisk_results: {_PKG} is not installed (apt-get install {_PKG})\n")
    sys.exit(3)

__all__ = ["load", "Results", "Cell", "ResultError", "COMPONENTS", "GREEKS"]

#: P&L components in the order the engine defines them (engine/hedge.c); files list what they hold.
COMPONENTS = ("book", "hedge", "premium", "funding", "fees", "slippage", "financing", "yield")
#: Per-path net greeks of the hedged book, averaged over the horizon.
GREEKS = ("net_delta", "net_gamma", "net_vega")
#: Components that are a cost of hedging rather than its payoff.
COST_COMPONENTS = ("premium", "fees", "funding", "slippage")


class ResultError(Exception):
    """The file is not a readable mcrisk result (missing, not HDF5, or not layout 1)."""


def _scalar(v):
    """An attribute as a plain Python value: str for text, int or float for numbers."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.generic):
        return v.item()
    return v


def _nan_attr(attrs, name):
    # Optional figures are absent from files written before they existed: NaN, not 0.
    return float(attrs[name]) if name in attrs else math.nan


class Cell:
    """One scenario x strategy cell: summary figures, risk rows and lazily read per-path arrays.

    Summary attributes (floats; NaN when the file predates them):
        mean, std, mean_se          P&L mean, standard deviation, standard error of the mean
        p_liquidation, p_liquidation_se
        hedge_effectiveness         1 - Var(pnl) / Var(book alone)
        trades_mean                 rebalancing trades per path
        net_delta, net_gamma, net_vega   their means over paths
        component_means             dict component -> mean P&L of that component
    Risk rows (numpy float64 arrays, one entry per confidence level, increasing):
        levels, var, var_se, cvar, cvar_se     VaR and CVaR are positive numbers for losses
    Per-path arrays (numpy, length paths, path order; None when the file does not hold them):
        pnl                         float64 P&L at the horizon
        components                  dict component -> float64 array; they add up to pnl
        liquidation_step            int32, step of liquidation, -1 when never liquidated
        trades                      uint32, rebalancing trades
        greeks                      dict net_delta/net_gamma/net_vega -> float64 array
    """

    def __init__(self, results, scenario, strategy, group):
        self._results = results
        self.scenario = scenario
        self.strategy = strategy
        self.group = group.name  # the HDF5 path of the cell
        a = group.attrs
        self.attrs = {k: _scalar(v) for k, v in a.items()}
        for name in ("mean", "std", "mean_se", "p_liquidation", "p_liquidation_se",
                     "hedge_effectiveness", "trades_mean") + GREEKS:
            setattr(self, name, _nan_attr(a, name))
        self.component_means = {k[5:]: float(v) for k, v in a.items() if k.startswith("mean_")
                                and k != "mean_se"}
        risk = group["risk"][()] if "risk" in group else np.zeros(0, _RISK_DTYPE)
        self.levels = np.asarray(risk["level"], dtype=np.float64)
        self.var = np.asarray(risk["var"], dtype=np.float64)
        self.var_se = np.asarray(risk["var_se"], dtype=np.float64)
        self.cvar = np.asarray(risk["cvar"], dtype=np.float64)
        self.cvar_se = np.asarray(risk["cvar_se"], dtype=np.float64)
        comps = group["components"] if "components" in group else {}
        self.component_names = [n for n in COMPONENTS if n in comps] + \
                               [n for n in comps if n not in COMPONENTS]
        self._has = {n for n in ("pnl", "liquidation_step", "trades") + GREEKS if n in group}
        self._cache = {}

    def __repr__(self):
        return f"<Cell {self.scenario}/{self.strategy} mean={self.mean:.6g}>"

    def _level_index(self, level):
        hits = np.flatnonzero(np.isclose(self.levels, level, rtol=0, atol=1e-12))
        if hits.size == 0:
            raise KeyError(f"level {level} not in {self.levels.tolist()}")
        return int(hits[0])

    def var_at(self, level):
        """VaR at confidence `level` (e.g. 0.99) as (value, standard error)."""
        i = self._level_index(level)
        return float(self.var[i]), float(self.var_se[i])

    def cvar_at(self, level):
        """CVaR (expected shortfall) at confidence `level` as (value, standard error)."""
        i = self._level_index(level)
        return float(self.cvar[i]), float(self.cvar_se[i])

    def _read(self, rel):
        if rel not in self._cache:
            with h5py.File(self._results.path, "r") as f:
                self._cache[rel] = f[f"{self.group}/{rel}"][()]
        return self._cache[rel]

    @property
    def pnl(self):
        """float64 [paths]: P&L at the horizon, in path order (None if not kept)."""
        return self._read("pnl") if "pnl" in self._has else None

    @property
    def components(self):
        """dict component name -> float64 [paths]; empty when the file holds none."""
        return {n: self._read(f"components/{n}") for n in self.component_names}

    @property
    def liquidation_step(self):
        """int32 [paths]: the step a path was liquidated at, -1 if never (None if absent)."""
        return self._read("liquidation_step") if "liquidation_step" in self._has else None

    @property
    def trades(self):
        """uint32 [paths]: rebalancing trades per path (None if absent)."""
        return self._read("trades") if "trades" in self._has else None

    @property
    def greeks(self):
        """dict net_delta/net_gamma/net_vega -> float64 [paths], those the file holds."""
        return {n: self._read(n) for n in GREEKS if n in self._has}

    def hedge_cost(self):
        """Expected cost of the hedge as (value, standard error), in P&L units.

        The book's P&L is the same on every strategy of a scenario (common random numbers), so it
        is what the unhedged position would have made: cost = E[book] - E[pnl], the mean of what
        every other component (hedge payoff, premium, fees, funding, ...) took away. Positive:
        hedging costs money on average. The error comes from the per-path difference when the
        arrays are there (else NaN). Without a book component, falls back to
        -E[premium + fees + funding + slippage].
        """
        if "book" in self.component_means and not math.isnan(self.mean):
            cost = self.component_means["book"] - self.mean
            se = math.nan
            if "book" in self.component_names and "pnl" in self._has:
                d = self.components["book"] - self.pnl
                if d.size > 1:
                    se = float(np.std(d, ddof=1) / math.sqrt(d.size))
            return cost, se
        cost = -sum(self.component_means.get(k, 0.0) for k in COST_COMPONENTS)
        return cost, math.nan

    def drop(self):
        """Forget the per-path arrays read so far (they are read again on the next access)."""
        self._cache.clear()


_RISK_DTYPE = np.dtype([(n, "<f8") for n in ("level", "var", "var_se", "cvar", "cvar_se")])


class Results:
    """A result file: provenance, scenario and strategy names in run order, and the cells.

    Attributes:
        path          the file name
        provenance    dict of the root attributes (mcrisk_version, git_revision, created_utc,
                      config_yaml, seed, paths, steps, horizon_days, threads, isa, rng, ...)
        config_yaml   the config exactly as run (also in provenance)
        paths, steps, horizon_days    shortcuts into provenance
        scenarios     list of scenario names, in run order
        strategies    list of strategy names, in run order
        cells         dict (scenario, strategy) -> Cell
    """

    def __init__(self, path):
        self.path = str(path)
        try:
            f = h5py.File(self.path, "r")
        except (OSError, ValueError) as exc:
            raise ResultError(f"{self.path}: cannot read result file: {exc}") from None
        with f:
            self.provenance = {k: _scalar(v) for k, v in f.attrs.items()}
            if "scenarios" not in f or "paths" not in f.attrs:
                raise ResultError(f"{self.path}: not an mcrisk result file (no /scenarios group "
                                  "or no provenance attributes)")
            self.scenarios = list(f["scenarios"].keys())  # creation order is tracked
            self.strategies = []
            self.cells = {}
            self._sample_paths = set()
            for s in self.scenarios:
                sg = f["scenarios"][s]
                if "sample_paths" in sg:
                    self._sample_paths.add(s)
                if "strategies" not in sg:
                    continue
                for t, g in sg["strategies"].items():
                    if t not in self.strategies:
                        self.strategies.append(t)
                    self.cells[(s, t)] = Cell(self, s, t, g)
        self.config_yaml = self.provenance.get("config_yaml", "")
        self.paths = int(self.provenance.get("paths", 0))
        self.steps = int(self.provenance.get("steps", 0))
        self.horizon_days = float(self.provenance.get("horizon_days", math.nan))

    def __repr__(self):
        return (f"<Results {self.path}: {len(self.scenarios)} scenarios x "
                f"{len(self.strategies)} strategies, {self.paths} paths>")

    def cell(self, scenario, strategy):
        """The Cell of `scenario` x `strategy` (KeyError naming both when absent)."""
        try:
            return self.cells[(scenario, strategy)]
        except KeyError:
            raise KeyError(f"no cell {scenario}/{strategy}; scenarios {self.scenarios}, "
                           f"strategies {self.strategies}") from None

    def __iter__(self):
        """Cells in run order: scenario by scenario, strategies within."""
        for s in self.scenarios:
            for t in self.strategies:
                if (s, t) in self.cells:
                    yield self.cells[(s, t)]

    def levels(self):
        """The confidence levels of the risk rows (those of the first cell)."""
        for c in self:
            return c.levels
        return np.zeros(0)

    def has_sample_paths(self, scenario):
        """True when the file keeps full price paths for `scenario`."""
        return scenario in self._sample_paths

    def sample_paths(self, scenario):
        """float64 [n][steps + 1] price paths kept for `scenario` (None when the file has none)."""
        if scenario not in self._sample_paths:
            return None
        with h5py.File(self.path, "r") as f:
            return f["scenarios"][scenario]["sample_paths"][()]

    def time_days(self):
        """float64 [steps + 1]: the simulation dates in days, 0 to horizon_days."""
        return np.linspace(0.0, self.horizon_days, self.steps + 1)


def load(path):
    """Open the mcrisk result file `path` and return a Results (ResultError if unreadable)."""
    return Results(path)


def selftest(path, out=sys.stdout):
    """Check a result file against itself; return the list of failures (empty: it holds).

    For every cell: the components add up to pnl path by path (to 1e-9 of the P&L scale), each
    mean_<component> attribute is the mean of its array, mean/std/mean_se agree with pnl,
    p_liquidation is the fraction of paths with liquidation_step >= 0, liquidation steps lie in
    [-1, steps], and VaR/CVaR agree with an independent evaluation of the README's estimators.
    """
    r = load(path)
    bad = []
    checked = 0

    def close(what, got, want, tol):
        if not (abs(got - want) <= tol):
            bad.append(f"{what}: {got!r} vs {want!r} (tolerance {tol:.3g})")

    for c in r:
        where = f"{c.scenario}/{c.strategy}"
        pnl = c.pnl
        if pnl is None:
            continue
        checked += 1
        n = pnl.size
        if n != r.paths:
            bad.append(f"{where}: pnl has {n} paths, provenance says {r.paths}")
            continue
        scale = max(1.0, float(np.max(np.abs(pnl))))
        comps = c.components
        if comps:
            total = np.zeros(n)
            for name, x in comps.items():
                total += x
                close(f"{where}: mean_{name}", c.component_means.get(name, math.nan),
                      float(np.mean(x)), 1e-9 * max(1.0, float(np.max(np.abs(x)))))
            err = float(np.max(np.abs(total - pnl)))
            if not err <= 1e-9 * scale:
                i = int(np.argmax(np.abs(total - pnl)))
                bad.append(f"{where}: components add up to {total[i]!r} at path {i}, "
                           f"pnl is {pnl[i]!r}")
        close(f"{where}: mean", c.mean, float(np.mean(pnl)), 1e-9 * scale)
        if n > 1:
            std = float(np.std(pnl, ddof=1))
            close(f"{where}: std", c.std, std, 1e-6 * max(std, 1e-12) + 1e-12 * scale)
            close(f"{where}: mean_se", c.mean_se, std / math.sqrt(n),
                  1e-6 * max(std / math.sqrt(n), 1e-12) + 1e-12 * scale)
        liq = c.liquidation_step
        if liq is not None:
            if liq.size and (liq.min() < -1 or liq.max() > r.steps):
                bad.append(f"{where}: liquidation_step outside [-1, {r.steps}]")
            close(f"{where}: p_liquidation", c.p_liquidation, float(np.mean(liq >= 0)), 1e-12)
        xs = np.sort(pnl)
        for i, a in enumerate(c.levels):
            p = 1.0 - a
            k = max(1, math.ceil(n * p - 1e-9))  # ranks count from 1
            close(f"{where}: VaR{a:g}", c.var[i], -xs[k - 1], 1e-9 * scale)
            m = min(math.floor(n * p + 1e-9), n - 1)
            tail = xs[:m].sum() + (n * p - m) * xs[m]
            close(f"{where}: CVaR{a:g}", c.cvar[i], -tail / (n * p), 1e-9 * scale)
        c.drop()
    if checked == 0:
        bad.append(f"{path}: no cell keeps its pnl; nothing to check")
    print(f"{path}: {checked} cells checked, {len(bad)} failures", file=out)
    return bad


def _summary(r, out=sys.stdout):
    p = r.provenance
    print(f"{r.path}: mcrisk {p.get('mcrisk_version')} ({p.get('git_revision')}), "
          f"seed {p.get('seed')}, {r.paths} paths x {r.steps} steps, "
          f"{r.horizon_days:g} days, isa {p.get('isa')}", file=out)
    lv = r.levels()
    top = float(lv[-1]) if lv.size else None
    for c in r:
        line = f"  {c.scenario:<12} {c.strategy:<20} mean {c.mean:10.4f} +- {c.mean_se:.4f}"
        if top is not None:
            v, vse = c.cvar_at(top)
            line += f"  CVaR{top:g} {v:10.4f} +- {vse:.4f}"
        print(line, file=out)


def main(argv):
    args = argv[1:]
    if len(args) == 2 and args[0] == "--selftest":
        try:
            bad = selftest(args[1])
        except ResultError as exc:
            print(f"mcrisk_results: {exc}", file=sys.stderr)
            return 2
        for b in bad:
            print(f"mcrisk_results: FAIL {b}", file=sys.stderr)
        return 1 if bad else 0
    if len(args) == 1 and not args[0].startswith("-"):
        try:
            _summary(load(args[0]))
        except ResultError as exc:
            print(f"mcrisk_results: {exc}", file=sys.stderr)
            return 2
        return 0
    print("usage: mcrisk_results.py [--selftest] RESULT.h5", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
