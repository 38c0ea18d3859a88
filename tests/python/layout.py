"""Layout checks of a matplotlib figure from the window extents (tight bounding boxes) of what
is drawn: every text inside the figure, no two texts overlapping, no text or legend on another
panel's data area, panels not overlapping, at most 3 panel columns, no offset or scientific
notation on the axes. Returns a list of problems (empty: the figure passes)."""

import re

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

TOL = 1.0  # pixels of overlap forgiven (anti-aliasing, rounding of extents)


def _overlap(a, b, tol=TOL):
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def _inside(a, box, tol=TOL):
    return (a.x0 >= box.x0 - tol and a.x1 <= box.x1 + tol and a.y0 >= box.y0 - tol
            and a.y1 <= box.y1 + tol)


def _drawn_ticks(axis):
    # The ticks the axis draws are those inside its view interval (Axis._update_ticks).
    return [t for t in axis._update_ticks()]


def texts(fig, renderer):
    """[(label, bbox, owner axes or None, inside)] of every visible, non-empty text drawn;
    inside: the text is meant to sit on its own axes' data area (annotations, cell values)."""
    out = []

    def add(t, what, ax=None, inside=False):
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip():
            out.append((f"{what} {t.get_text()!r}", t.get_window_extent(renderer), ax, inside))

    if fig._suptitle is not None:
        add(fig._suptitle, "suptitle")
    for t in fig.texts:
        if t is not fig._suptitle:
            add(t, "figure text")
    for ax in fig.axes:
        for t in (ax.title, ax._left_title, ax._right_title):
            add(t, "title", ax)
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                add(axis.label, "axis label", ax)
                add(axis.get_offset_text(), "offset text", ax)
                for tick in _drawn_ticks(axis):
                    add(tick.label1, "tick label", ax)
                    add(tick.label2, "tick label", ax)
        for t in ax.texts:
            add(t, "text", ax, inside=True)
        leg = ax.get_legend()
        if leg is not None:
            for t in leg.get_texts():
                add(t, "legend text", ax)
            add(leg.get_title(), "legend title", ax)
    return out


def problems(fig):
    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    bad = []
    fb = fig.bbox
    data_axes = [ax for ax in fig.axes if ax.axison]
    tx = texts(fig, renderer)
    for label, box, _, _ in tx:
        if not _inside(box, fb):
            bad.append(f"{label} is cut off by the figure's edge")
    for i in range(len(tx)):
        for j in range(i + 1, len(tx)):
            if _overlap(tx[i][1], tx[j][1]):
                bad.append(f"{tx[i][0]} overlaps {tx[j][0]}")
    for label, box, owner, inside in tx:
        for ax in data_axes:
            if inside and ax is owner:
                if not _inside(box, ax.bbox):
                    bad.append(f"{label} spills out of its panel")
                continue
            if _overlap(box, ax.bbox):
                bad.append(f"{label} overlaps a panel's data area")
        if label.startswith("offset text"):
            bad.append(f"{label}: an axis with an offset or multiplier")
        if label.startswith("tick label") and re.search(r"\de[+-]?\d", label):
            bad.append(f"{label}: scientific notation")
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is not None:
            lb = leg.get_window_extent(renderer)
            for other in data_axes:
                if _overlap(lb, other.bbox):
                    bad.append("a legend lies on a panel's data area")
            if not _inside(lb, fb):
                bad.append("a legend is cut off by the figure's edge")
    for i in range(len(data_axes)):
        for j in range(i + 1, len(data_axes)):
            if _overlap(data_axes[i].bbox, data_axes[j].bbox):
                bad.append("two panels overlap")
    panels = [ax for ax in data_axes if not hasattr(ax, "_colorbar")]
    cols = {round(ax.bbox.x0) for ax in panels}
    if len(cols) > 3:
        bad.append(f"{len(cols)} columns of panels (at most 3)")
    return bad


def pixels(fig, dpi):
    w, h = fig.get_size_inches()
    return w * dpi, h * dpi
