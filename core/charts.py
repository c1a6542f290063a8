"""The one chart module: an Answer's Chart specs rendered to PNG with matplotlib.

Analyses only emit specs (``custlens.answer.Chart``); every front end that shows a picture (the
shell's ``plot``, the report, exports) draws it here, so a chart looks the same everywhere.

    save(answer, "charts/")            -> [Path, ...]  one PNG per chart
    png_bytes(answer, answer.charts[0]) -> b"\\x89PNG..."
    data_uri(answer, chart)             -> "data:image/png;base64,..." (for self-contained HTML)

A chart reads the full frame of the table it names (``Table.frame``), not the rows shown;
bar and funnel charts draw as many categories as the table shows (a "top 10" table gives ten
bars; ``options={"top": N}`` overrides), and a pie sums the categories beyond them as "other".
Per kind: ``x`` is the label column and ``y`` the value columns (all numeric columns but ``x``
when empty); heatmap draws ``y`` columns across and ``x`` rows down, or pivots a long table with
``options={"columns": col, "values": col}``; histogram draws ``x`` (or ``y[0]``); network takes
``options={"source", "target", "value", "max_edges"}`` (defaulting to ``x``, ``y[0]``, no width
and 60 edges); scatter may name ``options={"label": col or [col, ...], "color": col}`` (points
labelled with the columns joined by an arrow, e.g. a rule's antecedents and consequents; coloured
by a numeric column). A spec naming something other than a column (a list where one column is
expected, a missing column) raises CustlensError, so a document leaves that chart out. matplotlib is imported on first use (Agg, no display), so
importing custlens stays fast.
"""

from __future__ import annotations

import base64
import io
import math
import re
import threading
from pathlib import Path

from .answer import Answer, Chart, _plain
from .errors import CustlensError
from .templates import pct

#: one answer's charts are drawn by one thread at a time (a second request waits for the PNG)
_LOCKS = [threading.Lock() for _ in range(16)]
MAX_CATEGORIES = 30  # at most this many bars, pie slices and funnel steps
MAX_NODES = 40
COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
          "#ccb974", "#64b5cd"]


def _figure(wide: bool = False):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9 if wide else 7.5, 4.8), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)  # the canvas savefig would switch to for a PNG: the layout measures text with it
    return fig, fig.add_subplot()


def _laid_out(fig) -> None:
    """Run the constrained layout once, then leave the figure without a layout engine: savefig
    with an engine draws the whole figure twice (once, not rendered, only to run the layout; then
    for the pixels), so laying it out first halves the drawing. The same positions as savefig's
    own layout: the same engine, run on the same state with the same (Agg, figure dpi) renderer."""
    engine = fig.get_layout_engine()
    if engine is not None and fig.axes:
        engine.execute(fig)
    fig.set_layout_engine(None)


def _frame_for(answer: Answer, chart: Chart):
    """The full frame, and how many categories a bar, pie or funnel chart shows."""
    try:
        table = answer.table(chart.table)
    except KeyError as exc:
        raise CustlensError(f"chart {chart.title!r}: {exc.args[0]}") from None
    frame = table.frame
    if frame is None or len(frame) == 0:
        raise CustlensError(f"chart {chart.title!r}: table {chart.table!r} has no rows to draw")
    top = int(chart.options.get("top") or len(table.rows) or len(frame))
    return frame, min(top, MAX_CATEGORIES)


def _need(frame, chart: Chart, *columns: str | None) -> None:
    wrong = [c for c in columns if c is not None and not isinstance(c, str)]
    if wrong:
        raise CustlensError(f"chart {chart.title!r}: {wrong[0]!r} is not a column name")
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise CustlensError(f"chart {chart.title!r}: table {chart.table!r} has no column(s) "
                            f"{', '.join(map(repr, missing))} (columns: {', '.join(map(str, frame.columns))})")


def _values(frame, chart: Chart) -> list[str]:
    """The value columns: ``y``, or every numeric column other than ``x``."""
    if chart.y:
        _need(frame, chart, *chart.y)
        return list(chart.y)
    cols = [c for c in frame.columns if c != chart.x and frame[c].dtype.kind in "iuf"]
    if not cols:
        raise CustlensError(f"chart {chart.title!r}: table {chart.table!r} has no numeric column to draw")
    return cols


def _labels(frame, chart: Chart) -> list[str]:
    if chart.x is None:
        return [str(i) for i in range(len(frame))]
    _need(frame, chart, chart.x)
    return [str(_plain(v)) for v in frame[chart.x]]  # dates as 2024-03-01, not 2024-03-01 00:00:00


def _numbers(series):
    import pandas as pd

    return pd.to_numeric(series, errors="coerce").fillna(0.0).astype(float)


def _thousands(ax, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


# ---------------------------------------------------------------------- one drawer per kind
def _bar(ax, frame, chart, top):
    import numpy as np

    frame = frame.head(top)
    labels, cols = _labels(frame, chart), _values(frame, chart)
    pos = np.arange(len(labels))
    width = 0.8 / len(cols)
    for i, col in enumerate(cols):
        ax.bar(pos + i * width - 0.4 + width / 2, _numbers(frame[col]), width, label=col,
               color=COLORS[i % len(COLORS)])
    ax.set_xticks(pos, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    _label_axes(ax, chart, cols)


def _label_axes(ax, chart, cols: list[str]) -> None:
    """The x label, thousands separators, and a legend for several series or a y label for one."""
    ax.set_xlabel(chart.x or "")
    _thousands(ax)
    if len(cols) > 1:
        ax.legend()
    else:
        ax.set_ylabel(cols[0])


def _series(ax, frame, chart, stacked: bool):
    labels, cols = _labels(frame, chart), _values(frame, chart)
    xs = range(len(labels))
    if stacked:
        ax.stackplot(xs, *[_numbers(frame[c]) for c in cols], labels=cols, colors=COLORS[:len(cols)], alpha=0.85)
    else:
        for i, col in enumerate(cols):
            ax.plot(xs, _numbers(frame[col]), marker="o" if len(labels) <= 40 else None, markersize=3,
                    label=col, color=COLORS[i % len(COLORS)])
    step = max(1, math.ceil(len(labels) / 15))
    ax.set_xticks(list(xs)[::step], labels[::step], rotation=45, ha="right")
    _label_axes(ax, chart, cols)


def _line(ax, frame, chart, top):
    _series(ax, frame, chart, stacked=False)


def _area(ax, frame, chart, top):
    _series(ax, frame, chart, stacked=True)


def _heatmap(ax, frame, chart, top):
    opts = chart.options
    if "columns" in opts and "values" in opts:
        _need(frame, chart, chart.x, opts["columns"], opts["values"])
        frame = frame.pivot_table(index=chart.x, columns=opts["columns"], values=opts["values"], aggfunc="sum")
        rows, cols = [str(v) for v in frame.index], [str(c) for c in frame.columns]
        grid = frame.to_numpy(dtype=float)
    else:
        rows, cols = _labels(frame, chart), _values(frame, chart)
        grid = frame[cols].apply(_numbers_keep_nan).to_numpy(dtype=float)
    image = ax.imshow(grid, aspect="auto", cmap=opts.get("cmap", "viridis"))
    ax.figure.colorbar(image, ax=ax)
    step_r, step_c = max(1, math.ceil(len(rows) / 30)), max(1, math.ceil(len(cols) / 30))
    ax.set_yticks(range(0, len(rows), step_r), rows[::step_r])
    ax.set_xticks(range(0, len(cols), step_c), cols[::step_c], rotation=45 if len(cols) > 8 else 0)
    ax.set_ylabel(chart.x or "")


def _numbers_keep_nan(series):
    import pandas as pd

    return pd.to_numeric(series, errors="coerce")


def _scatter(ax, frame, chart, top):
    x = chart.x
    cols = _values(frame, chart)
    _need(frame, chart, x)
    y = cols[0]
    xs, ys = _numbers(frame[x]), _numbers(frame[y])
    color = chart.options.get("color")
    if color:
        _need(frame, chart, color)
        points = ax.scatter(xs, ys, s=24, alpha=0.7, c=_numbers(frame[color]), cmap="viridis")
        ax.figure.colorbar(points, ax=ax, label=color)
    else:
        ax.scatter(xs, ys, s=24, alpha=0.7, color=COLORS[0])
    label = chart.options.get("label")
    if label:
        label = [label] if isinstance(label, str) else list(label)
        _need(frame, chart, *label)
        texts = [" → ".join(str(_plain(v)) for v in values) for values in zip(*(frame[c] for c in label))]
        for text, px, py in list(zip(texts, xs, ys))[:15]:
            ax.annotate(text[:40], (px, py), fontsize=7)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    _thousands(ax)


def _top_and_other(labels, values, top: int):
    if len(labels) <= top:
        return labels, list(values)
    return labels[:top] + ["other"], list(values[:top]) + [float(sum(values[top:]))]


def _pie(ax, frame, chart, top):
    labels, cols = _labels(frame, chart), _values(frame, chart)
    values = _numbers(frame[cols[0]]).clip(lower=0).tolist()
    labels, values = _top_and_other(labels, values, top)
    if not sum(values):
        raise CustlensError(f"chart {chart.title!r}: every value of {cols[0]!r} is zero or negative")
    ax.pie(values, labels=labels, autopct="%1.0f%%", colors=COLORS, startangle=90, counterclock=False)
    ax.axis("equal")


def _funnel(ax, frame, chart, top):
    frame = frame.head(top)
    labels, cols = _labels(frame, chart), _values(frame, chart)
    values = _numbers(frame[cols[0]]).tolist()
    top = max(values) or 1.0
    pos = list(range(len(values)))[::-1]  # first step at the top
    ax.barh(pos, values, left=[(top - v) / 2 for v in values], color=COLORS[0])
    for p, v in zip(pos, values):
        share = f" ({pct(v / values[0], 0)})" if values[0] else ""
        ax.text(top / 2, p, f"{v:,.0f}{share}", ha="center", va="center", color="white", fontsize=9)
    ax.set_yticks(pos, labels)
    ax.set_xticks([])


def _histogram(ax, frame, chart, top):
    column = chart.x or (chart.y[0] if chart.y else None) or _values(frame, chart)[0]
    _need(frame, chart, column)
    values = _numbers_keep_nan(frame[column]).dropna()
    ax.hist(values, bins=chart.options.get("bins", "auto" if len(values) < 100_000 else 50), color=COLORS[0])
    ax.set_xlabel(column)
    ax.set_ylabel("count")
    _thousands(ax, "x")


def _network(ax, frame, chart, top):
    opts = chart.options
    source, target = opts.get("source", chart.x), opts.get("target", chart.y[0] if chart.y else None)
    weight = opts.get("value")
    if source is None or target is None:
        raise CustlensError(f"chart {chart.title!r}: a network needs source and target columns "
                            "(x and y, or options source/target)")
    _need(frame, chart, source, target, weight)
    edges = frame.head(opts.get("max_edges", 60))
    nodes = list(dict.fromkeys([str(v) for pair in zip(edges[source], edges[target]) for v in pair]))[:MAX_NODES]
    place = {n: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
             for i, n in enumerate(nodes)}
    weights = _numbers(edges[weight]).tolist() if weight else [1.0] * len(edges)
    heaviest = max(weights) or 1.0
    for a, b, w in zip(edges[source], edges[target], weights):
        a, b = str(a), str(b)
        if a in place and b in place:
            (x0, y0), (x1, y1) = place[a], place[b]
            ax.plot([x0, x1], [y0, y1], color=COLORS[0], alpha=0.6, linewidth=0.5 + 5 * w / heaviest, zorder=1)
    ax.scatter([p[0] for p in place.values()], [p[1] for p in place.values()], s=120, color=COLORS[1], zorder=2)
    for name, (x, y) in place.items():
        ax.annotate(name[:28], (x, y), xytext=(6 * x, 6 * y), textcoords="offset points", fontsize=8,
                    ha="left" if x >= 0 else "right", va="center")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.3, 1.3)
    ax.axis("off")


DRAW = {"bar": _bar, "line": _line, "area": _area, "heatmap": _heatmap, "scatter": _scatter, "pie": _pie,
        "funnel": _funnel, "histogram": _histogram, "network": _network}


# ---------------------------------------------------------------------- public
def png_bytes(answer: Answer, chart: Chart) -> bytes:
    """One chart of ``answer`` as PNG bytes. Raises CustlensError when its table cannot draw it."""
    frame, top = _frame_for(answer, chart)
    fig, ax = _figure(wide=chart.kind in ("line", "area", "heatmap"))
    DRAW[chart.kind](ax, frame, chart, top)
    ax.set_title(chart.title)
    _laid_out(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def chart_png(answer: Answer, n: int) -> bytes:
    """Chart ``n`` (from 0) of ``answer`` as PNG, drawn once and kept with the answer: the HTTP
    service's downloads of the same chart never draw it again."""
    cached = answer._pngs.get(n)
    if cached is None:
        with _LOCKS[id(answer) % len(_LOCKS)]:
            cached = answer._pngs.get(n)
            if cached is None:
                cached = answer._pngs[n] = png_bytes(answer, answer.charts[n])
    return cached


def is_drawn(answer: Answer, n: int) -> bool:
    """Whether chart ``n`` of ``answer`` is drawn already (``chart_png`` costs nothing then)."""
    return n in answer._pngs


def data_uri(answer: Answer, chart: Chart) -> str:
    """The chart as a ``data:image/png;base64,...`` URI: an HTML page that shows it needs no file
    and no network."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(answer, chart)).decode("ascii")


def _pick(answer: Answer, chart: Chart | int | None) -> list[Chart]:
    if chart is None:
        return list(answer.charts)
    if isinstance(chart, int):
        if not 0 <= chart < len(answer.charts):
            raise CustlensError(f"there is no chart {chart + 1}: this answer has {len(answer.charts)}")
        return [answer.charts[chart]]
    return [chart]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "chart"


def save(answer: Answer, path: str | Path, chart: Chart | int | None = None) -> list[Path]:
    """Write the answer's charts (or one: a Chart or its 0-based number) as PNG files.

    ``path`` is a folder (one ``<analysis>_<title>.png`` per chart) or a ``.png`` file (with
    several charts: ``name_1.png``, ``name_2.png``...). Returns the files written."""
    charts = _pick(answer, chart)
    if not charts:
        raise CustlensError(f"this answer ({answer.title}) has no chart to draw")
    path = Path(path)
    if path.suffix.lower() == ".png":
        if not path.parent.exists():
            raise CustlensError(f"{path.parent}: folder does not exist")
        targets = [path] if len(charts) == 1 else [path.with_name(f"{path.stem}_{i}.png")
                                                   for i in range(1, len(charts) + 1)]
    else:
        if path.exists() and not path.is_dir():
            raise CustlensError(f"{path} is a file; give a folder or a name ending in .png")
        path.mkdir(parents=True, exist_ok=True)
        names = [f"{slug(answer.analysis)}_{slug(c.title)}" for c in charts]
        targets = [path / (f"{n}.png" if names.count(n) == 1 else f"{n}_{i}.png")
                   for i, n in enumerate(names, start=1)]
    for c, target in zip(charts, targets):
        n = next((i for i, known in enumerate(answer.charts) if known is c), None)
        target.write_bytes(chart_png(answer, n) if n is not None else png_bytes(answer, c))
    return targets
