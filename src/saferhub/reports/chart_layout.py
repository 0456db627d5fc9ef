"""Margins around a chart's plot, worked out from the sizes of its labels.

matplotlib's `tight_layout` finds the margins by drawing the whole figure once to measure
every artist, which cost about a third of a chart's drawing time. A house-style chart has
few things outside its plot: the value axis's tick labels and label, the category labels
(rotated when crowded) and the legend above the plot. Their sizes follow from their texts,
so measuring those texts (cached: the same month names and tick values come up in every
chart) and adding them up gives the margins `tight_layout` would give, without a draw.

The arithmetic follows matplotlib's own geometry for the settings `charts.py` uses: a tick
is 3.5 pt long with its label 3.5 pt beyond, an axis label sits 4 pt beyond the tick labels,
the legend's box is anchored at 12% of the plot's height above it. `PAD` is
`tight_layout`'s default padding, so the charts keep the look they had.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

FONT_SIZE = 11.0
PAD = 1.08 * FONT_SIZE  # tight_layout's default space between the labels and the edge
TICK = 3.5 + 3.5  # tick length and the gap to its label (matplotlib's defaults), points
LABEL_PAD = 4.0  # gap between the tick labels and the axis label (axes.labelpad)
LEGEND_ABOVE = 0.12  # the legend's anchor above the plot, as a share of the plot's height
LEGEND_BORDER_AXES = 0.5 * FONT_SIZE  # legend.borderaxespad: anchor to the legend's box
LEGEND_BORDER = 0.4 * FONT_SIZE  # legend.borderpad: box edge to its entries
LEGEND_HANDLE = (2.0 + 0.8) * FONT_SIZE  # legend.handlelength + handletextpad
LEGEND_COLUMN_GAP = 2.0 * FONT_SIZE  # legend.columnspacing
LEGEND_ROW_GAP = 0.5 * FONT_SIZE  # legend.labelspacing
LEGEND_COLUMNS = 4
MIN_PLOT = 0.3  # the least share of the figure's width and height left to the plot
_DIAGONAL = math.sqrt(0.5)  # sin and cos of the 45° that crowded category labels turn


@dataclass(frozen=True)
class Frame:
    """What is drawn around the plot, as texts; `category_axis` is "x" or "y"."""

    category_labels: Sequence[str]
    rotated: bool
    category_axis: str
    value_ticks: Sequence[tuple[float, str]]  # (position as a share of the axis, text)
    value_label: str
    legend: Sequence[str]


def fit(figure: Figure, axes: Axes, frame: Frame, fonts: Sequence[str]) -> int:
    """Place the plot so every label fits inside `figure`, as `tight_layout` would, and
    return how many columns the legend may have (up to `LEGEND_COLUMNS`) to fit as well.

    Also pins the value axis's label beside the tick labels measured here, so drawing does
    not measure every tick label again to place it.
    """
    measure = functools.partial(_text_size, tuple(fonts))
    width, height = (float(v) * 72 for v in figure.get_size_inches())
    category = [measure(label) for label in frame.category_labels]
    ticks = [(where, measure(text)) for where, text in frame.value_ticks]
    label = measure(frame.value_label) if frame.value_label else (0.0, 0.0)
    limits = axes.get_xlim() if frame.category_axis == "x" else axes.get_ylim()
    places = [_share(position, limits) for position in range(len(category))]
    # Plot size and margins depend on each other (labels hang by a share of the plot);
    # start from the margins alone and refine twice, which settles to well under a point.
    entries = [measure(name) for name in frame.legend]
    plot_width, plot_height = width - 2 * PAD, height - 2 * PAD
    for _ in range(3):
        if frame.category_axis == "x":
            left, right, bottom, top = _column_margins(
                category, places, frame.rotated, ticks, label, plot_width, plot_height
            )
        else:
            left, right, bottom, top = _bar_margins(
                category, places, ticks, label, plot_width, plot_height
            )
        legend_top = LEGEND_ABOVE * plot_height - LEGEND_BORDER_AXES if entries else 0.0
        left, right = _within(width, left + PAD, right + PAD)
        top, bottom = _within(height, max(top, legend_top) + PAD, bottom + PAD)
        plot_width, plot_height = width - left - right, height - bottom - top
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    widest = max((size[0] for _, size in ticks), default=0.0)
    tallest = max((size[1] for _, size in ticks), default=0.0)
    # The category axis has no label (the data table names it); pinning its empty label
    # anywhere spares the draw measuring every category label to place it.
    if frame.category_axis == "x":
        axes.yaxis.set_label_coords(-(widest + TICK + LABEL_PAD) / plot_width, 0.5)
        axes.xaxis.set_label_coords(0.5, 0.0)
    else:
        axes.xaxis.set_label_coords(0.5, -(tallest + TICK + LABEL_PAD) / plot_height)
        axes.yaxis.set_label_coords(0.0, 0.5)
    # The legend starts at the plot's left edge, so no margin moves it away from the
    # figure's right edge: a legend too wide for one row wraps onto more instead.
    room = width - left - LEGEND_BORDER_AXES - PAD
    return next((n for n in range(LEGEND_COLUMNS, 1, -1) if _legend_width(entries, n) <= room), 1)


def _column_margins(
    category: list[tuple[float, float]],
    places: list[float],
    rotated: bool,
    ticks: list[tuple[float, tuple[float, float]]],
    label: tuple[float, float],
    plot_width: float,
    plot_height: float,
) -> tuple[float, float, float, float]:
    """Categories along the bottom, values up the left (line and column charts)."""
    widest_tick = max((w for _, (w, _h) in ticks), default=0.0)
    # The value label reads upwards, centred on the plot: its height is its thickness.
    left = widest_tick + TICK + (LABEL_PAD + label[1] if label[1] else 0.0)
    beyond = (label[0] - plot_height) / 2  # a label longer than the plot is tall
    right, bottom = 0.0, beyond
    for (w, h), place in zip(category, places, strict=True):
        if rotated:  # turned 45° and right-aligned to its tick: it hangs down and to the left
            across, down = w * _DIAGONAL + h * _DIAGONAL, w * _DIAGONAL + h * _DIAGONAL
            left = max(left, across - place * plot_width)
        else:  # centred under its tick
            down = h
            left = max(left, w / 2 - place * plot_width)
            right = max(right, w / 2 - (1 - place) * plot_width)
        bottom = max(bottom, down + TICK)
    top = max((h / 2 - (1 - where) * plot_height for where, (_w, h) in ticks), default=beyond)
    bottom = max(bottom, *(h / 2 - where * plot_height for where, (_w, h) in ticks), 0.0)
    return left, right, bottom, max(top, beyond, 0.0)


def _bar_margins(
    category: list[tuple[float, float]],
    places: list[float],
    ticks: list[tuple[float, tuple[float, float]]],
    label: tuple[float, float],
    plot_width: float,
    plot_height: float,
) -> tuple[float, float, float, float]:
    """Categories down the left, values along the bottom (horizontal bar charts)."""
    beyond = (label[0] - plot_width) / 2  # a value label wider than the plot
    left = max((w for w, _h in category), default=0.0) + TICK
    tallest_tick = max((h for _, (_w, h) in ticks), default=0.0)
    bottom = tallest_tick + TICK + (LABEL_PAD + label[1] if label[1] else 0.0)
    right = max((w / 2 - (1 - where) * plot_width for where, (w, _h) in ticks), default=beyond)
    right = max(right, beyond)
    left = max(left, beyond, *(w / 2 - where * plot_width for where, (w, _h) in ticks))
    # The y axis is inverted: the first category is at the top.
    top = max(
        (h / 2 - (1 - p) * plot_height for (_w, h), p in zip(category, places, strict=True)),
        default=0.0,
    )
    return left, max(right, 0.0), bottom, max(top, 0.0)


def _legend_width(entries: list[tuple[float, float]], columns: int) -> float:
    """The legend's width with its entries in `columns` columns, split as matplotlib
    splits them: in order, the first `len(entries) % columns` columns one entry longer."""
    if not entries:
        return 0.0
    filled, start = [], 0
    for index in range(min(columns, len(entries))):
        size = len(entries) // columns + (1 if index < len(entries) % columns else 0)
        filled.append(entries[start : start + size])
        start += size
    return (
        2 * LEGEND_BORDER
        + sum(LEGEND_HANDLE + max(w for w, _h in column) for column in filled)
        + LEGEND_COLUMN_GAP * (len(filled) - 1)
    )


def _within(size: float, first: float, second: float) -> tuple[float, float]:
    """Two opposite margins cut to leave the plot `MIN_PLOT` of `size`, `second` first.

    Labels too long to fit (e.g. a legend of many long names) are then cut off at the
    edge, as `tight_layout` left them, rather than squeezing the plot to nothing.
    """
    room = size * (1 - MIN_PLOT)
    second = max(min(second, room - first), min(PAD, second))
    return min(first, room - second), second


def _share(position: float, limits: tuple[float, float]) -> float:
    """Where `position` sits along an axis showing `limits`, from its start (0) to end (1)."""
    low, high = min(limits), max(limits)
    share = (position - low) / (high - low)
    return 1 - share if limits[0] > limits[1] else share


@functools.lru_cache(maxsize=4096)
def _text_size(fonts: tuple[str, ...], text: str) -> tuple[float, float]:
    """Width and height in points of one line of `text`, as the SVG backend measures it.

    The height is at least that of "lp", as matplotlib makes every line tall enough for
    ascenders and descenders. Called while drawing, under the house style, whose
    "sans-serif" is `fonts` (the cache key: asking for them by name instead would warn
    about each one not installed).
    """
    prop = FontProperties(family="sans-serif", size=FONT_SIZE)
    width, height, _descent = _MEASURE.get_text_width_height_descent(text, prop, ismath=False)
    _, line, _ = _MEASURE.get_text_width_height_descent("lp", prop, ismath=False)
    return width, max(height, line)


_MEASURE = TextToPath()
