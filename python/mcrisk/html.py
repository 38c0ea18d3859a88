"""`python3 -m mcrisk html OUT.h5 -o report.html`: one self-contained HTML file, readable offline
and fit to attach to a memo. It holds the header (config, horizon, steps, paths, seed, levels,
currency, scenarios), the legend, the summary table per scenario, a scenario x strategy heatmap
of CVaR when there are several scenarios, every plot (inline SVG, or base64 PNG), the notes on
plots not drawn, every summary figure, the provenance and the config text. Nothing is loaded
from the network: no scripts, style sheets, fonts or images from anywhere else."""

import base64
import html as _html
import io
import math
import os
import re
import tempfile

from . import plots, units
from .reader import Result, summary
from .table import LEGEND

_CSS = """
body { font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; margin: 24px auto;
       max-width: 1400px; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px;
  border-bottom: 1px solid #ccc; padding-bottom: 3px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: #555; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; }
th { background: #f2f4f7; text-align: left; } td.num { text-align: right;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts th { width: 150px; } .legend { background: #f7f7f2; border-left: 4px solid #b8b8a0;
  padding: 6px 10px; max-width: 1100px; }
figure { margin: 14px 0 26px; } figure svg, figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 12px; } pre { background: #f6f6f6; padding: 10px;
  overflow-x: auto; font-size: 12px; } details { margin: 8px 0; } .wide { overflow-x: auto; }
"""


def _e(x):
    return _html.escape(str(x), quote=True)


def _facts(meta):
    p = meta["provenance"]
    cfg = p.get("config_path") or p.get("config_file") or "recorded in the file (below)"
    rows = [("result file", os.path.basename(meta["path"])), ("config", cfg),
            ("horizon", f"{meta['horizon_days']:g} days"), ("steps", f"{meta['steps']:,}"),
            ("paths", f"{meta['paths']:,}"), ("seed", p.get("seed", "?")),
            ("levels", ", ".join(units.level(a) for a in meta["levels"])),
            ("currency", meta["currency"]), ("assets", ", ".join(meta["assets"]) or "-"),
            ("scenarios", ", ".join(meta["scenarios"])),
            ("strategies", ", ".join(meta["strategies"]))]
    return ("<table class=\"facts\">" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>"
                                                 for k, v in rows) + "</table>")


def _pm(v, se, cur):
    return _e(units.money_se(v, se, cur)).replace(" +- ", " &plusmn; ")


def _clean(v):
    return None if isinstance(v, float) and math.isnan(v) else v


def _summary_tables(df):
    cur, levels = df.attrs["currency"], df.attrs["levels"]
    head = ["strategy", "kind", "mean P&amp;L &plusmn; se", "hedge cost", "premium"]
    for a in levels:
        head += [f"VaR {units.level(a)} &plusmn; se", f"CVaR {units.level(a)} &plusmn; se"]
    head += ["P(liq) &plusmn; se", "hedge eff."]
    out = []
    for s in df.attrs["scenarios"]:
        out.append(f"<h3>scenario {_e(s)}</h3><div class=\"wide\"><table class=\"summary\">"
                   "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
        for (rs, t), r in df.iterrows():
            if rs != s:
                continue
            d = {k: _clean(v) for k, v in r.items()}
            cells = [_pm(d.get("mean"), d.get("mean_se"), cur), units.money(d.get("hedge_cost"),
                                                                             cur),
                     units.money(d.get("mean_premium"), cur)]
            for a in levels:
                k = units.level_key(a)
                cells += [_pm(d.get(f"var_{k}"), d.get(f"var_se_{k}"), cur),
                          _pm(d.get(f"cvar_{k}"), d.get(f"cvar_se_{k}"), cur)]
            liq = "-"
            if d.get("holds_perp"):
                liq = (f"{units.percent(d.get('p_liquidation'))} &plusmn; "
                       f"{units.percent(d.get('p_liquidation_se'))}")
            cells += [liq, units.money(d.get("hedge_effectiveness"), decimals=2)]
            out.append(f"<tr><th>{_e(t)}</th><td>{_e(d.get('kind') or '')}</td>" +
                       "".join(f"<td class=\"num\">{c}</td>" for c in cells) + "</tr>")
        out.append("</table></div>")
    return "\n".join(out)


def _heatmap(df):
    """Scenario x strategy CVaR at the highest level as a table whose cells are shaded white
    (smallest loss) to dark red (largest)."""
    scen, strat, levels = df.attrs["scenarios"], df.attrs["strategies"], df.attrs["levels"]
    if len(scen) < 2 or not levels:
        return ""
    key = f"cvar_{units.level_key(levels[-1])}"
    vals = {idx: float(v) for idx, v in df[key].items() if not math.isnan(float(v))}
    lo, hi = min(vals.values()), max(vals.values())
    out = [f"<h2>CVaR {units.level(levels[-1])} by scenario and strategy</h2>",
           f"<p>In {_e(df.attrs['currency'])}; darker: larger loss.</p>",
           "<div class=\"wide\"><table class=\"heatmap\"><tr><th>strategy</th>" +
           "".join(f"<th>{_e(s)}</th>" for s in scen) + "</tr>"]
    for t in strat:
        row = [f"<tr><th>{_e(t)}</th>"]
        for s in scen:
            v = vals.get((s, t))
            if v is None:
                row.append("<td></td>")
                continue
            f = (v - lo) / (hi - lo) if hi > lo else 0.0
            rgb = (255 - int(152 * f), 245 - int(230 * f), 240 - int(219 * f))
            fg = "#fff" if f > 0.6 else "#000"
            row.append(f"<td class=\"num\" style=\"background:rgb{rgb};color:{fg}\">"
                       f"{_e(units.money(v, df.attrs['currency']))}</td>")
        out.append("".join(row) + "</tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _svg(fig, prefix):
    buf = io.StringIO()
    fig.savefig(buf, format="svg", dpi=plots.DPI)
    text = buf.getvalue()
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # Several SVGs share one page: give each its own ids so no reference crosses figures.
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', text)
    return text


def _png(fig, name):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=plots.DPI)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"<img alt=\"{_e(name)}\" src=\"data:image/png;base64,{data}\">"


def render(path, images="svg"):
    """The report of result file `path` as one HTML string."""
    df = summary(path)
    meta = df.attrs
    p = meta["provenance"]
    title = f"mcrisk risk report: {os.path.basename(meta['path'])}"
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
             f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(title)}</h1>",
             f"<p class=\"sub\">mcrisk {_e(p.get('mcrisk_version', '?'))} "
             f"({_e(p.get('git_revision', '?'))}), run {_e(p.get('created_utc', '?'))}</p>",
             _facts(meta), f"<p class=\"legend\">{_e(LEGEND)}</p>",
             "<h2>Summary</h2>", _summary_tables(df), _heatmap(df), "<h2>Plots</h2>"]
    with Result(path) as r:
        for k, (name, fig) in enumerate(plots.figures(r)):
            body = _svg(fig, f"f{k}-") if images == "svg" else _png(fig, name)
            parts.append(f"<figure id=\"{_e(name)}\">{body}<figcaption>{_e(name)}"
                         "</figcaption></figure>")
        notes = plots.notes(r)
    if notes:
        parts.append("<ul class=\"notes\">" + "".join(f"<li>{_e(n)}</li>" for n in notes) +
                     "</ul>")
    every = df.copy()
    every.columns = [str(c) for c in every.columns]
    parts += ["<h2>Every summary figure</h2><details><summary>one row per scenario and "
              "strategy, every attribute the file holds</summary><div class=\"wide\">",
              every.to_html(float_format=lambda v: f"{v:.6g}", border=0,
                            classes="figures"), "</div></details>",
              "<h2>Provenance</h2><table class=\"facts\">",
              "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in p.items()
                      if k != "config_yaml"),
              "</table>", "<h2>Config</h2>",
              f"<pre>{_e(p.get('config_yaml', '(not recorded)'))}</pre>", "</body></html>"]
    return "\n".join(x for x in parts if x) + "\n"


def write(path, out, images="svg"):
    """Write the report of `path` to `out` atomically (a temporary file renamed into place)."""
    text = render(path, images)
    d = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".mcrisk-report-", suffix=".html", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
