"""Charts drawn on the server as inline SVG, each with the table of the data it shows.

The SVG is deterministic: the same input gives the same string, so reports can be
compared byte for byte. Text stays as text (screen readers and search can read it),
the colours are the Okabe-Ito colour-blind-safe palette, and every series also has
its own line style and marker (or bar hatching), so nothing relies on colour alone.

Figures are built with `matplotlib.figure.Figure`, not pyplot, so no GUI backend or
global figure registry is involved (matplotlib's advice for web servers).

The chart title is not drawn inside the image: the report shows it as the figure
caption and the SVG carries it as its <title> and accessible name.

Drawing is the slow part of a statistics page, so: a drawn chart is kept by its inputs
(`chart_memo`), and a page rebuilt after a write that left a chart's numbers alone reuses
it; margins are worked out from the labels' sizes (`chart_layout`) rather than by
`tight_layout`'s measuring draw; and each chart is drawn on the last figure of its shape
(`chart_figures`) rather than on a new one. A chart's bytes still depend on its inputs alone.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from saferhub.errors import ConfigurationError
from saferhub.reports import chart_figures
from saferhub.reports.chart_layout import Frame, fit
from saferhub.reports.chart_memo import Key, Memo, series_key
from saferhub.reports.chart_svg import to_svg
from saferhub.reports.document import Chart, Table, format_cell

# Okabe & Ito (2008), ordered so the first colours differ most for all common colour-vision types.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")

_RC = {
    "svg.hashsalt": "saferhub",  # fixed salt: element ids no longer change between runs
    "svg.fonttype": "none",  # keep text as <text>, not glyph paths
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 11,
    "axes.edgecolor": "#505a5f",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
}
_FIGSIZE = (8.0, 4.2)
_DRAWING = threading.Lock()
# Bounded so a long-running server holds a few megabytes of charts at most: an SVG is
# 10-25 kB, a PNG for Word about 100 kB. 256 SVGs cover every chart of many areas' pages.
_SVGS: Memo[str] = Memo(256)
_PNGS: Memo[bytes] = Memo(64)
T = TypeVar("T")


def _drawn(memo: Memo[T], key: Key, draw: Callable[[], T]) -> T:
    """The image kept under `key`, or `draw()`'s, drawn in the house style and then kept.

    rcParams are process-wide, so one chart is drawn at a time; a request whose chart is
    kept does not wait for that lock.
    """
    found = memo.get(key)
    if found is None:
        with _DRAWING, matplotlib.rc_context(_RC):
            found = memo.get(key)  # drawn by another request while this one waited
            if found is None:
                try:
                    found = draw()
                except BaseException:
                    chart_figures.forget()  # a figure left half-drawn is not reused
                    raise
                memo.put(key, found)
    return found


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    *,
    x_label: str = "Period",
    number_format: str | None = None,
    base: str | None = None,
    notes: tuple[str, ...] = (),
) -> Chart:
    """A line per series over `x_labels` (e.g. this year and last year, month by month).

    `None` leaves a gap in the line and a dash in the table. `number_format` is a
    `Table.number_formats` name applied to every series column and the y axis.
    """
    labels = _check(title, x_labels, series)

    def draw() -> str:
        figure, axes = _figure("line")
        _draw_lines(axes, labels, series, y_label, number_format)
        return to_svg(figure, title)

    # Every input the image shows; x_label, base and notes are only in the table.
    key = ("line", title, tuple(labels), series_key(series), y_label, number_format)
    return Chart(
        title,
        _drawn(_SVGS, key, draw),
        _table(title, x_label, labels, series, number_format, base, notes),
        kind="line",
        value_label=y_label,
    )


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    horizontal: bool = False,
    *,
    category_label: str = "Category",
    number_format: str | None = None,
    base: str | None = None,
    notes: tuple[str, ...] = (),
) -> Chart:
    """Grouped bars: one group per category, one bar per series.

    Horizontal bars suit long category names (e.g. offence types); they are drawn
    top to bottom in the order given, as the table lists them. `None` draws no bar
    and shows as a dash in the table.
    """
    labels = _check(title, categories, series)

    def draw() -> str:
        figure, axes = _bar_figure(labels, series, horizontal)
        _draw_bars(axes, labels, series, y_label, number_format, horizontal)
        return to_svg(figure, title)

    key = ("bar", title, tuple(labels), series_key(series), y_label, number_format, horizontal)
    return Chart(
        title,
        _drawn(_SVGS, key, draw),
        _table(title, category_label, labels, series, number_format, base, notes),
        kind="bar" if horizontal else "column",
        value_label=y_label,
    )


def _draw_lines(
    axes: Axes,
    labels: list[str],
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    number_format: str | None,
) -> None:
    positions = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        axes.plot(
            positions,
            [math.nan if value is None else value for value in values],
            label=name,
            color=PALETTE[index % len(PALETTE)],
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            marker=MARKERS[index % len(MARKERS)],
            linewidth=2.2,
            markersize=5.5,
        )
    crowded = _crowded(labels)
    axes.set_xticks(
        positions, labels, rotation=45 if crowded else 0, ha="right" if crowded else "center"
    )
    axes.set_xlim(-0.5, len(labels) - 0.5)
    plotted = [value for values in series.values() for value in values if value is not None]
    if plotted and min(plotted) >= 0:
        axes.set_ylim(bottom=0)  # counts and rates read honestly only against zero
    _finish(axes, y_label, number_format, list(series), labels, crowded)


def _bar_height(labels: list[str], series: Mapping[str, Sequence[float | None]]) -> float:
    return max(_FIGSIZE[1], 0.3 * len(labels) * max(1, len(series)) + 1.2)


def _draw_bars(
    axes: Axes,
    labels: list[str],
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    number_format: str | None,
    horizontal: bool,
) -> None:
    count = max(1, len(series))
    width = 0.8 / count
    positions = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        heights = [0 if value is None else value for value in values]
        style = {
            "label": name,
            "color": PALETTE[index % len(PALETTE)],
            "hatch": HATCHES[index % len(HATCHES)],
            "edgecolor": "white",
            "linewidth": 0.5,
        }
        if horizontal:
            axes.barh(offsets, heights, height=width, **style)
        else:
            axes.bar(offsets, heights, width=width, **style)
    if horizontal:
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_ylim(len(labels) - 0.5, -0.5)
        _finish(axes, y_label, number_format, list(series), labels, False, value_axis="x")
    else:
        crowded = _crowded(labels)
        axes.set_xticks(
            positions, labels, rotation=45 if crowded else 0, ha="right" if crowded else "center"
        )
        _finish(axes, y_label, number_format, list(series), labels, crowded)


def _check(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> list[str]:
    if not series:
        raise ConfigurationError(f"Chart '{title}' has no data series.")
    labels = [str(label) for label in labels]
    for name, values in series.items():
        if len(values) != len(labels):
            raise ConfigurationError(
                f"Chart '{title}': series '{name}' has {len(values)} values "
                f"for {len(labels)} labels."
            )
        for position, value in enumerate(values, start=1):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ConfigurationError(
                    f"Chart '{title}': series '{name}' value {position} is not a number."
                )
    return labels


def _crowded(labels: list[str]) -> bool:
    return sum(len(label) for label in labels) > 70


def _figure(shape: str, height: float | None = None) -> tuple[Figure, Axes]:
    return chart_figures.figure(shape, (_FIGSIZE[0], height or _FIGSIZE[1]))


def _bar_figure(
    labels: list[str], series: Mapping[str, Sequence[float | None]], horizontal: bool
) -> tuple[Figure, Axes]:
    if horizontal:
        return _figure("bar", _bar_height(labels, series))
    return _figure("column")


def _finish(
    axes: Axes,
    label: str,
    number_format: str | None,
    names: list[str],
    categories: list[str],
    rotated: bool,
    value_axis: str = "y",
) -> None:
    """Value axis, grid and legend, then margins that fit every label (`chart_layout`)."""
    formatter = FuncFormatter(lambda value, _position: format_cell(_tidy(value), number_format))
    if value_axis == "y":
        axes.set_ylabel(label)
        axes.yaxis.set_major_formatter(formatter)
        axes.grid(axis="y", color="#d8dadb", linewidth=0.8)
    else:
        axes.set_xlabel(label)
        axes.xaxis.set_major_formatter(formatter)
        axes.grid(axis="x", color="#d8dadb", linewidth=0.8)
    axes.set_axisbelow(True)
    legend = names if len(names) > 1 else []
    axis = axes.yaxis if value_axis == "y" else axes.xaxis
    # How many ticks the value axis gets depends on its length, which the margins set: fit
    # again until the ticks the margins were measured for are the ticks that will be drawn.
    measured: list[tuple[float, str]] | None = None
    for _ in range(3):
        ticks = _value_ticks(axis.get_majorticklocs(), axis.get_view_interval(), formatter)
        if ticks == measured:
            break
        frame = Frame(
            category_labels=categories,
            rotated=rotated,
            category_axis="x" if value_axis == "y" else "y",
            value_ticks=ticks,
            value_label=label,
            legend=legend,
        )
        columns = fit(axes.get_figure(), axes, frame, _RC["font.sans-serif"])
        measured = ticks
    if legend:
        axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(0, 1.12), ncols=columns)


def _value_ticks(
    locations: Sequence[float], limits: Sequence[float], formatter: FuncFormatter
) -> list[tuple[float, str]]:
    """The value axis's tick labels that will be drawn, each with its share of the axis."""
    low, high = min(limits), max(limits)
    span = (high - low) or 1.0
    slack = span * 1e-9  # matplotlib draws ticks this close to a limit too
    return [
        ((float(where) - low) / span, formatter(where, index))
        for index, where in enumerate(locations)
        if low - slack <= where <= high + slack
    ]


def _tidy(value: float) -> int | float:
    # Tick values such as 1000.0 should read "1,000", not "1,000.00".
    value = float(value)
    return int(value) if value.is_integer() else value


def _table(
    title: str,
    first_column: str,
    labels: list[str],
    series: Mapping[str, Sequence[float | None]],
    number_format: str | None,
    base: str | None,
    notes: tuple[str, ...],
) -> Table:
    names = list(series)
    rows = [[label, *(series[name][i] for name in names)] for i, label in enumerate(labels)]
    formats = {name: number_format for name in names} if number_format else {}
    return Table(
        title, [first_column, *names], rows, base=base, notes=notes, number_formats=formats
    )


# ---------------------------------------------------------------------------------------------
# Redrawn as PNG for Word, which shows SVG only in recent versions


PNG_DPI = 200  # print resolution at the 16 cm a Word page gives a chart


def chart_png(chart: Chart) -> bytes:
    """`chart` redrawn from its data table as a PNG, in the same style as its SVG.

    Text cells in the table (e.g. "<5") are not figures: they draw as gaps, as `None` does.
    """
    table = chart.table
    labels = [format_cell(row[0]) for row in table.rows]
    series = {
        column: [row[index] if isinstance(row[index], int | float) else None for row in table.rows]
        for index, column in enumerate(table.columns[1:], start=1)
    }
    formats = [table.format_of(i) for i in range(1, len(table.columns))]
    number_format = formats[0] if formats and len(set(formats)) == 1 else None

    def draw() -> bytes:
        if chart.kind == "line":
            figure, axes = _figure("line")
            _draw_lines(axes, labels, series, chart.value_label, number_format)
        else:
            horizontal = chart.kind == "bar"
            figure, axes = _bar_figure(labels, series, horizontal)
            _draw_bars(axes, labels, series, chart.value_label, number_format, horizontal)
        buffer = io.BytesIO()
        # No "Software" stamp: the same chart gives the same bytes.
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()

    key = ("png", chart.kind, tuple(labels), series_key(series), chart.value_label, number_format)
    return _drawn(_PNGS, key, draw)
