"""Numbers as a reader of a risk memo expects them: money with thousands separators in the
currency's natural precision, engineering notation (k, M, G) on axes, levels as percentages.

Kept free of numpy, pandas and matplotlib so the table code can use it anywhere."""

import math

#: Decimal places a currency is quoted in. Fiat and stablecoins in cents, coins in their own
#: customary units; anything else in 2.
_DECIMALS = {"USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "JPY": 0, "USDT": 2, "USDC": 2, "DAI": 2,
             "BTC": 8, "ETH": 6, "SOL": 4}
#: Engineering prefixes above one: thousands, millions, ...
_PREFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def currency_decimals(currency):
    """Decimal places of `currency` (2 when unknown)."""
    return _DECIMALS.get(str(currency).upper(), 2)


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def money(v, currency="USD", decimals=None):
    """`v` with thousands separators in the currency's precision: 1234.5 -> '1,234.50'.
    NaN and None are '-'. Values that round to zero print without a minus sign."""
    if is_missing(v):
        return "-"
    d = currency_decimals(currency) if decimals is None else decimals
    s = f"{float(v):,.{d}f}"
    return s[1:] if s.startswith("-") and float(s[1:].replace(",", "")) == 0.0 else s


def money_se(v, se, currency="USD"):
    """`v +- se` rounded to the standard error's precision (its two leading digits, never finer
    than the currency's): 46184.6, 848.72 -> '46,185 +- 849'; 0.25, 0.36 -> '0.25 +- 0.36'."""
    if is_missing(se):
        return money(v, currency)
    d = currency_decimals(currency)
    if float(se) > 0:
        d = max(0, min(d, 1 - math.floor(math.log10(float(se)))))
    return f"{money(v, currency, d)} +- {money(se, currency, d)}"


def eng(v, digits=3):
    """`v` in engineering notation with `digits` significant digits: 61234 -> '61.2k',
    -1.5e6 -> '-1.5M', 0.0123 -> '0.0123'. Below 1000 no prefix (no milli for money)."""
    if is_missing(v):
        return "-"
    v = float(v)
    if v == 0.0 or not math.isfinite(v):
        return "0" if v == 0.0 else str(v)
    a = abs(v)
    for scale, p in _PREFIXES:
        if a >= scale * (1 - 0.5 * 10 ** -digits):
            x = v / scale
            break
    else:
        x, p = v, ""
    mag = math.floor(math.log10(abs(x))) if x != 0 else 0
    dec = max(0, digits - 1 - mag)
    s = f"{x:.{dec}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s + p


def axis_labels(locs):
    """Tick labels for tick positions `locs` in engineering notation with one common prefix and
    the same decimals on every tick: [0, 20000, 40000] -> 0, 20k, 40k; [0, 2500, 5000] -> 0,
    2.5k, 5.0k."""
    finite = [float(x) for x in locs if math.isfinite(x)]
    if not finite:
        return [str(x) for x in locs]
    top = max(abs(x) for x in finite)
    scale, p = 1.0, ""
    for s, q in _PREFIXES:
        if top >= s:
            scale, p = s, q
            break
    # The fewest decimals (at most 8) that show every tick exactly: 2.5k needs one.
    scaled = [x / scale for x in finite]
    dec = next((d for d in range(9)
                if all(abs(v - round(v, d)) <= 1e-9 * max(1.0, abs(v)) for v in scaled)), 8)
    out = []
    for x in locs:
        s = f"{float(x) / scale:.{dec}f}"
        if s.startswith("-") and float(s) == 0.0:
            s = s[1:]
        out.append("0" if float(s) == 0.0 else s + p)
    return out


def level(a):
    """A confidence level as a percentage: 0.99 -> '99%', 0.995 -> '99.5%'."""
    return f"{100 * float(a):.10g}%"


def level_key(a):
    """A confidence level as a column-name suffix: 0.99 -> '0.99'."""
    return f"{float(a):.10g}"


def percent(v, decimals=2):
    return "-" if is_missing(v) else f"{100 * float(v):.{decimals}f}%"
