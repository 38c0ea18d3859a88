"""Reading an mcrisk result file (HDF5 layout 1) generically: every group, dataset and attribute
the engine writes is read by walking the file, so datasets and attributes added later appear in
load() and summary() without a change here. Only the layout's skeleton is assumed:

    /                                  provenance attributes (config_yaml, seed, paths, ...)
    /scenarios/<scenario>/             scenario attributes; sample_paths [assets][n][steps + 1]
        strategies/<strategy>/         summary attributes; `risk` and any other compound
                                       dataset with a `level` field; per-path datasets
                                       (pnl, components/<name>, ...); hist_edges, hist_counts
"""

import math

import h5py
import numpy as np

from . import units

#: The P&L components in the engine's order; files may hold more, which come after these.
COMPONENTS = ("book", "hedge", "premium", "funding", "fees", "slippage", "financing", "yield")
#: Summary columns shown first, in this order; every other figure follows in file order.
_LEAD_COLUMNS = ("kind", "holds_perp", "mean", "mean_se", "std", "hedge_cost", "mean_premium",
                 "hedge_effectiveness", "p_liquidation", "p_liquidation_se")


class ResultError(Exception):
    """The file is not a readable mcrisk result, or lacks what was asked for."""


class Group(dict):
    """An HDF5 group as a dict of its members (sub-groups as Group, datasets as numpy arrays or
    scalars), with the group's attributes in `.attrs` (a dict)."""

    def __init__(self, *args, attrs=None, **kw):
        super().__init__(*args, **kw)
        self.attrs = attrs if attrs is not None else {}

    def __repr__(self):
        return f"Group({dict.__repr__(self)}, attrs={self.attrs!r})"


def value(v):
    """An HDF5 attribute or dataset value as plain Python/numpy: text as str, numeric scalars as
    int/float, arrays as numpy arrays (text arrays as lists of str)."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray) and v.dtype.kind in "SO":
        return [value(x) for x in v.tolist()]
    return v


def _read_group(g):
    out = Group(attrs={k: value(v) for k, v in g.attrs.items()})
    for name, obj in g.items():
        if isinstance(obj, h5py.Group):
            out[name] = _read_group(obj)
        else:
            out[name] = value(obj[()])
    return out


def load(path):
    """The whole result file as nested dicts: `r.attrs` is the provenance,
    `r["scenarios"]["base"]["strategies"]["put90"]["pnl"]` a numpy array,
    `r["scenarios"]["base"]["strategies"]["put90"].attrs["mean"]` a float. Every member of the
    file is there, including any the engine adds later. Reads every per-path array: for large
    files use summary() and pnl() instead."""
    with Result(path) as r:
        return _read_group(r.file)


class Result:
    """An open result file with the layout's skeleton resolved: provenance, scenario and
    strategy names in run order, the parsed config, currency and asset names. Use as a context
    manager (or call close()); the module-level functions open one per call."""

    def __init__(self, path):
        self.path = str(path)
        try:
            self.file = h5py.File(self.path, "r")
        except FileNotFoundError:
            raise ResultError(f"{self.path}: cannot read result file: No such file or "
                              "directory") from None
        except (OSError, ValueError) as exc:
            msg = " ".join(str(exc).split())
            raise ResultError(f"{self.path}: cannot read result file: not an HDF5 file "
                              f"({msg})") from None
        f = self.file
        if "scenarios" not in f or not isinstance(f["scenarios"], h5py.Group):
            self.close()
            raise ResultError(f"{self.path}: not an mcrisk result file (no /scenarios group)")
        self.provenance = {k: value(v) for k, v in f.attrs.items()}
        self.scenarios = list(f["scenarios"].keys())  # creation order is tracked by the engine
        self.strategies = []
        for s in self.scenarios:
            sg = f["scenarios"][s]
            for t in (sg["strategies"].keys() if "strategies" in sg else ()):
                if t not in self.strategies:
                    self.strategies.append(t)
        self.config = _parse_config(self.provenance.get("config_yaml", ""))
        self.paths = int(self.provenance.get("paths", 0) or 0)
        self.steps = int(self.provenance.get("steps", 0) or 0)
        self.horizon_days = float(self.provenance.get("horizon_days", math.nan))
        self.currency = self._currency()
        self.assets = self._asset_names()
        self.kinds = self._strategy_kinds()
        self.levels = self._levels()

    # --- context management
    def close(self):
        if getattr(self, "file", None) is not None:
            self.file.close()
            self.file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- what the file does not spell out, taken from the config it records
    def _currency(self):
        """The quote currency: the file's `currency` attribute, else the config's
        market.currency (or top-level currency), else USD."""
        if self.provenance.get("currency"):
            return str(self.provenance["currency"])
        market = self.config.get("market") or {}
        cur = market.get("currency") or self.config.get("currency")
        return str(cur) if cur else "USD"

    def _asset_names(self):
        """Asset names in market.assets order (attribute `assets` of the file if present)."""
        names = self.provenance.get("assets") or self.provenance.get("asset_names")
        if names:
            return [str(n) for n in (names if isinstance(names, (list, tuple)) else [names])]
        assets = (self.config.get("market") or {}).get("assets") or []
        return [str(a.get("name", f"asset {i + 1}")) if isinstance(a, dict) else f"asset {i + 1}"
                for i, a in enumerate(assets)]

    def _strategy_kinds(self):
        """strategy name -> its config entry (type, instrument, ...)."""
        entries = self.config.get("strategies") or [{"name": "unhedged", "type": "none"}]
        return {str(e.get("name")): e for e in entries if isinstance(e, dict)}

    def _levels(self):
        for s in self.scenarios:
            for t in self.strategies:
                g = self.group(s, t)
                if g is not None and "risk" in g:
                    return [float(x) for x in g["risk"]["level"][()]]
        lv = (self.config.get("run") or {}).get("levels")
        return [float(x) for x in lv] if lv else []

    def holds_perp(self, strategy):
        """True when the strategy (or the book) holds a perpetual, so it can be liquidated.
        From the config; a strategy unknown to it holds one if any path was liquidated."""
        book = self.config.get("portfolio") or []
        if any("perp" in str(p.get("instrument", "")) for p in book if isinstance(p, dict)):
            return True
        e = self.kinds.get(strategy)
        if e is not None:
            return _entry_holds_perp(e)
        return any(float(self.group(s, strategy).attrs.get("p_liquidation", 0.0)) > 0
                   for s in self.scenarios if self.group(s, strategy) is not None)

    def kind(self, strategy):
        e = self.kinds.get(strategy)
        if e is None:
            return ""
        if "combine" in e:
            return "+".join(str(x.get("type", "")) for x in e["combine"] if isinstance(x, dict))
        return str(e.get("type", ""))

    # --- access
    def group(self, scenario, strategy):
        """The h5py group of a cell, or None."""
        try:
            return self.file["scenarios"][scenario]["strategies"][strategy]
        except KeyError:
            return None

    def _cell(self, scenario, strategy):
        g = self.group(scenario, strategy)
        if g is None:
            raise ResultError(f"{self.path}: no cell {scenario}/{strategy}; scenarios: "
                              f"{', '.join(self.scenarios)}; strategies: "
                              f"{', '.join(self.strategies)}")
        return g

    def cells(self):
        """(scenario, strategy) of every cell, scenario by scenario, in run order."""
        return [(s, t) for s in self.scenarios for t in self.strategies
                if self.group(s, t) is not None]

    def has_pnl(self, scenario, strategy):
        return "pnl" in self._cell(scenario, strategy)

    def pnl(self, scenario, strategy):
        """float64 [paths]: the cell's P&L in path order (ResultError when not kept)."""
        g = self._cell(scenario, strategy)
        if "pnl" not in g:
            raise ResultError(f"{self.path}: {scenario}/{strategy}: no per-path pnl in the file "
                              "(the run had run.keep_pnl: false); use histogram()")
        return g["pnl"][()]

    def components(self, scenario, strategy):
        """dict component -> float64 [paths] (engine order first); they add up to pnl."""
        g = self._cell(scenario, strategy)
        if "components" not in g:
            raise ResultError(f"{self.path}: {scenario}/{strategy}: no per-path components in "
                              "the file (the run had run.keep_pnl: false)")
        c = g["components"]
        names = [n for n in COMPONENTS if n in c] + [n for n in c if n not in COMPONENTS]
        return {n: c[n][()] for n in names}

    def histogram(self, scenario, strategy):
        """(edges [bins + 1], counts [bins], underflow, overflow) of the cell's P&L, as stored."""
        g = self._cell(scenario, strategy)
        if "hist_edges" not in g or "hist_counts" not in g:
            raise ResultError(f"{self.path}: {scenario}/{strategy}: no stored histogram")
        return (np.asarray(g["hist_edges"][()], dtype=np.float64),
                np.asarray(g["hist_counts"][()], dtype=np.float64),
                int(g.attrs.get("hist_underflow", 0)), int(g.attrs.get("hist_overflow", 0)))

    def risk(self, scenario, strategy):
        """Structured array of the risk table: level, var, var_se, cvar, cvar_se."""
        return self._cell(scenario, strategy)["risk"][()]

    def attrs(self, scenario, strategy):
        return {k: value(v) for k, v in self._cell(scenario, strategy).attrs.items()}

    def sample_paths(self, scenario):
        """float64 [assets][n][steps + 1] of the scenario's stored paths, or None."""
        sg = self.file["scenarios"].get(scenario)
        if sg is None or "sample_paths" not in sg:
            return None
        x = np.asarray(sg["sample_paths"][()], dtype=np.float64)
        return x[np.newaxis] if x.ndim == 2 else x

    def summary_rows(self):
        """One dict per cell of every summary figure (see summary())."""
        rows = []
        for s, t in self.cells():
            g = self.group(s, t)
            sg = self.file["scenarios"][s]
            row = {"kind": self.kind(t), "holds_perp": self.holds_perp(t)}
            for k, v in g.attrs.items():
                v = value(v)
                if np.isscalar(v) or isinstance(v, str):
                    row[k] = v
            for name, obj in g.items():
                if not isinstance(obj, h5py.Dataset):
                    continue
                if obj.dtype.names and "level" in obj.dtype.names:
                    prefix = "" if name == "risk" else f"{name}_"
                    data = obj[()]
                    for rec in data:
                        key = units.level_key(rec["level"])
                        for field in obj.dtype.names:
                            if field != "level":
                                row[f"{prefix}{field}_{key}"] = value(rec[field])
                elif obj.shape == ():
                    row[name] = value(obj[()])
            if "hedge_cost" not in row and "mean" in row and "mean_book" in row:
                # The definition: the strategy's mean P&L minus the book's (< 0: costs).
                row["hedge_cost"] = float(row["mean"]) - float(row["mean_book"])
            for k, v in sg.attrs.items():
                v = value(v)
                if np.isscalar(v) or isinstance(v, str):
                    row[f"scenario_{k}"] = v
            rows.append(((s, t), row))
        return rows


#: Strategy types that hold a perpetual when their `instrument` key is absent: perp_hedge always
#: (its `contract` is linear or inverse), delta_hedge by default (strategies/delta_hedge.c: the
#: instrument defaults to linear_perp; `instrument: spot` holds none).
_PERP_BY_DEFAULT = ("perp_hedge", "delta_hedge")


def _entry_holds_perp(e):
    if "combine" in e:
        return any(_entry_holds_perp(x) for x in e["combine"] if isinstance(x, dict))
    if "instrument" in e:
        return "perp" in str(e["instrument"])
    return str(e.get("type", "")) in _PERP_BY_DEFAULT


def _parse_config(text):
    """The config text recorded in the file as a dict ({} when absent or unreadable)."""
    if not text:
        return {}
    try:
        import yaml  # Debian's python3-yaml
    except ImportError:
        return {}
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return cfg if isinstance(cfg, dict) else {}


def summary(path):
    """A pandas DataFrame indexed by (scenario, strategy), one column per summary figure:

    - every scalar attribute of the strategy group (mean, std, mean_se, p_liquidation, ...,
      and whatever the engine adds later);
    - the risk table flattened: var_0.99, var_se_0.99, cvar_0.99, cvar_se_0.99 per level
      (another compound dataset with a `level` field, NAME, gives NAME_<field>_<level>);
    - hedge_cost = mean - mean_book (the strategy's mean P&L minus the book's; < 0: the hedge
      costs on average), kind (the strategy type from the config) and holds_perp;
    - scenario attributes as scenario_<name>.

    df.attrs holds the provenance (root attributes), the parsed config, currency, assets,
    levels, path, scenarios and strategies."""
    import pandas as pd  # Debian's python3-pandas; only summary() needs it

    with Result(path) as r:
        rows = r.summary_rows()
        meta = metadata(r)
    index = pd.MultiIndex.from_tuples([k for k, _ in rows], names=["scenario", "strategy"])
    df = pd.DataFrame([row for _, row in rows], index=index)
    lead = [c for c in _LEAD_COLUMNS if c in df.columns]
    df = df[lead + [c for c in df.columns if c not in lead]]
    df.attrs.update(meta)
    return df


def metadata(r):
    """What a report's header needs, as plain data."""
    return {"path": r.path, "provenance": dict(r.provenance), "config": r.config,
            "currency": r.currency, "assets": list(r.assets), "levels": list(r.levels),
            "scenarios": list(r.scenarios), "strategies": list(r.strategies),
            "paths": r.paths, "steps": r.steps, "horizon_days": r.horizon_days}


def pnl(path, scenario, strategy):
    """float64 [paths]: the P&L of one cell in path order (ResultError if not kept)."""
    with Result(path) as r:
        return r.pnl(scenario, strategy)


def components(path, scenario, strategy):
    """dict component -> float64 [paths]; the components add up to pnl path by path."""
    with Result(path) as r:
        return r.components(scenario, strategy)


def histogram(path, scenario, strategy):
    """(edges, counts, underflow, overflow) of one cell's stored P&L histogram."""
    with Result(path) as r:
        return r.histogram(scenario, strategy)


def sample_paths(path, scenario):
    """(asset names, float64 [assets][n][steps + 1]) of a scenario's stored paths, or None."""
    with Result(path) as r:
        x = r.sample_paths(scenario)
        return None if x is None else (list(r.assets), x)
