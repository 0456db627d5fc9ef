"""Figures reused from one chart to the next, cleared of the last chart's data.

Building a matplotlib Figure, its Axes and the tick objects along both axes was about a
third of the time a chart took to draw. House-style charts come in three shapes (line,
column, horizontal bar), and drawing one sets everything its image depends on: ticks and
their labels, limits, axis label, grid, legend and margins. So the last figure of each
shape is kept, and the next chart of that shape is drawn on it once the artists that held
the last chart's data (lines, bars, legend) are removed and its data limits forgotten;
the tick objects, the costly part, are reused as they are. A chart drawn on a reused
figure is byte for byte the chart drawn on a new one (tests/reports/test_chart_memo.py).

Figures are not thread-safe: use these only while holding the charts' drawing lock.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

SHAPES = ("line", "column", "bar")

_KEPT: dict[str, tuple[Figure, Axes]] = {}


def figure(shape: str, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure of `size` inches with one empty Axes, for a chart of `shape`."""
    if shape not in SHAPES:
        raise ValueError(f"Unknown chart shape {shape!r}.")
    kept = _KEPT.get(shape)
    if kept is None:
        new = Figure(figsize=size)
        kept = _KEPT[shape] = (new, new.add_subplot())
        return kept
    reused, axes = kept
    for container in list(axes.containers):  # a bar series: its bars go with it
        container.remove()
    for artist in [*axes.lines, *axes.patches]:
        artist.remove()
    if (legend := axes.get_legend()) is not None:
        legend.remove()
    axes.relim()  # data limits from no data, as a new Axes has
    # A new Axes's view limits: (0, 1) upright, which also counts as never set, so a chart
    # with nothing to plot gets the default range rather than the last chart's.
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_autoscale_on(True)  # a line chart fixed its limits; the next one may not
    reused.set_size_inches(size)
    return kept


def forget() -> None:
    """Drop the kept figures, e.g. after a drawing failed part-way through one."""
    _KEPT.clear()
