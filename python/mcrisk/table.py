"""The summary table of a result file as text (a header block, a legend, one block of aligned
rows per scenario), CSV, Markdown or JSON. Text fits `width` columns (120) by showing the
highest confidence level only when every level would not fit; --wide shows every figure."""

import json
import math
import textwrap

import numpy as np

from . import units
from .reader import Result, metadata, summary, value

LEGEND = ("Mean is the P&L at the horizon (higher is better); hedge cost is the strategy's mean "
          "P&L minus the book's (< 0: the hedge costs on average); VaR and CVaR are losses "
          "(lower is better; < 0: even the tail is a gain); +- one standard error; P(liq) only "
          "for strategies holding a perpetual; eff. = 1 - Var(P&L) / Var(book).")


def header_lines(meta, width=120):
    """The header block: what was run, on what, with which levels and currency."""
    p = meta["provenance"]
    cfg = p.get("config_path") or p.get("config_file") or "as recorded in the file"
    lines = [
        f"mcrisk {p.get('mcrisk_version', '?')} ({p.get('git_revision', '?')}), "
        f"created {p.get('created_utc', '?')}: {meta['path']}",
        f"config: {cfg}; horizon {meta['horizon_days']:g} days in {meta['steps']:,} steps; "
        f"{meta['paths']:,} paths; seed {p.get('seed', '?')}; levels "
        f"{', '.join(units.level(a) for a in meta['levels'])}; currency {meta['currency']}",
        f"scenarios: {', '.join(meta['scenarios'])}",
    ]
    out = []
    for line in lines:
        out += textwrap.wrap(line, width, subsequent_indent="  ")
    return out


def _pm(v, se, cur):
    return units.money_se(v, se, cur)


def columns(df, wide, width):
    """[(title, function(row) -> str)] of the text table."""
    cur = df.attrs["currency"]
    levels = df.attrs["levels"]
    cols = [("mean +- se", lambda r: _pm(r.get("mean"), r.get("mean_se"), cur))]
    if wide:
        cols.append(("std", lambda r: units.money(r.get("std"), cur)))
    cols += [("hedge cost", lambda r: units.money(r.get("hedge_cost"), cur)),
             ("premium", lambda r: units.money(r.get("mean_premium"), cur))]

    def risk_cols(lvls):
        out = []
        for a in lvls:
            k = units.level_key(a)
            for name, key in (("VaR", "var"), ("CVaR", "cvar")):
                out.append((f"{name} {units.level(a)} +- se",
                            lambda r, key=key, k=k: _pm(r.get(f"{key}_{k}"),
                                                        r.get(f"{key}_se_{k}"), cur)))
        return out

    def liq(r):
        if not r.get("holds_perp"):
            return "-"
        s = units.percent(r.get("p_liquidation"))
        return s + (f" +- {units.percent(r.get('p_liquidation_se'))}" if wide else "")

    tail = [("P(liq)", liq),
            ("eff.", lambda r: units.money(r.get("hedge_effectiveness"), decimals=2))]
    every = cols + risk_cols(levels) + tail
    if wide or not levels or _width(df, every) <= width:
        return every
    return cols + risk_cols(levels[-1:]) + tail


def _cells(df, cols):
    rows = []
    for (s, t), r in df.iterrows():
        d = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        rows.append((s, t, [f(d) for _, f in cols]))
    return rows


def _width(df, cols):
    rows = _cells(df, cols)
    name = max([len("strategy")] + [len(t) for _, t, _ in rows])
    return name + sum(2 + max([len(c)] + [len(v[i]) for _, _, v in rows])
                      for i, (c, _) in enumerate(cols))


def text(path, wide=False, width=120):
    """The table as text: header, legend, then per scenario a title line and aligned rows."""
    df = summary(path)
    meta = df.attrs
    cols = columns(df, wide, width)
    rows = _cells(df, cols)
    name_w = max([len("strategy")] + [len(t) for _, t, _ in rows])
    widths = [max([len(c)] + [len(v[i]) for _, _, v in rows]) for i, (c, _) in enumerate(cols)]
    out = header_lines(meta, width if not wide else 10 ** 6)
    out += textwrap.wrap(LEGEND, width if not wide else 10 ** 6)
    if len(cols) < len(columns(df, True, width)):
        out.append("(highest level only to fit the width; --wide shows every level)")
    head = "strategy".ljust(name_w) + "".join("  " + c.rjust(w) for (c, _), w in zip(cols, widths))
    for s in meta["scenarios"]:
        out += ["", f"scenario {s}", head]
        for rs, t, vals in rows:
            if rs == s:
                out.append(t.ljust(name_w) + "".join("  " + v.rjust(w)
                                                     for v, w in zip(vals, widths)))
    return "\n".join(out) + "\n"


def csv(path):
    """Every figure and attribute, one row per cell; provenance as leading # comment lines."""
    df = summary(path)
    p = df.attrs["provenance"]
    lines = [f"# {k}: {v}" for k, v in p.items() if k != "config_yaml"]
    lines.append(f"# currency: {df.attrs['currency']}")
    return "\n".join(lines) + "\n" + df.to_csv(float_format="%.17g")


def markdown(path):
    """The table as Markdown: the header block, the legend, one table with every figure."""
    df = summary(path)
    meta = df.attrs
    out = [f"- {line}" for line in header_lines(meta, 10 ** 6)]
    out += ["", LEGEND, ""]
    cols = ["scenario", "strategy"] + list(df.columns)
    out.append("| " + " | ".join(cols) + " |")
    out.append("|" + "|".join("---" if c in ("scenario", "strategy", "kind") else "---:"
                              for c in cols) + "|")
    for (s, t), r in df.iterrows():
        vals = [s, t] + [_md(v) for v in r.values]
        out.append("| " + " | ".join(vals) + " |")
    return "\n".join(out) + "\n"


def _md(v):
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.6g}"
    return str(v).replace("|", "\\|")


def tree(path):
    """The whole summary tree as plain data: provenance, header facts, and per scenario and
    strategy every attribute and every dataset that is not per path (risk rows, histogram,
    ...); per-path datasets are listed with their shape and type."""
    import h5py

    with Result(path) as r:
        meta = metadata(r)
        paths = r.paths

        def walk(g):
            node = {"attrs": {k: _plain(value(v)) for k, v in g.attrs.items()}}
            for name, obj in g.items():
                if isinstance(obj, h5py.Group):
                    node[name] = walk(obj)
                elif name == "sample_paths" or (obj.ndim >= 1 and obj.shape[0] == paths
                                                and not name.startswith("hist_")):
                    node[name] = {"per_path": True, "shape": list(obj.shape),
                                  "dtype": str(obj.dtype)}
                else:
                    node[name] = _plain(obj[()])
            return node

        body = walk(r.file["scenarios"])
    meta = {k: _plain(v) for k, v in meta.items()}
    meta["scenarios_tree"] = body
    return meta


def _plain(v):
    if isinstance(v, np.ndarray):
        if v.dtype.names:
            return [{n: _plain(value(rec[n])) for n in v.dtype.names} for rec in v]
        return [_plain(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return v


def json_text(path):
    return json.dumps(tree(path), indent=1, default=str) + "\n"
