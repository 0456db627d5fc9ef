"""Chart margins are worked out from the labels' sizes: every label, tick label and legend
entry must land inside the image, whatever their lengths, with the usual padding."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.backends.backend_svg import RendererSVG

from saferhub.reports import chart_figures, charts
from saferhub.reports.chart_layout import PAD

MONTHS = ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"]
NEEDS = [
    "Accommodation",
    "Education, training and employability",
    "Thinking and behaviour",
    "Lifestyle and associates",
]
CASES = {
    "monthly trend": (
        "line",
        MONTHS,
        {"12 months to Sep 23": [312, 401, None, 77] * 3, "12 months to Sep 22": [1] * 12},
    ),
    "rotated month labels": (
        "line",
        [f"{m} 2023" for m in MONTHS],
        {"A": list(range(12)), "B": [None] * 11 + [4], "C": [5] * 12},
    ),
    "big numbers": ("line", ["Q1", "Q2", "Q3"], {"Spend": [1_250_000, 2_500_000.5, 0]}),
    "negative changes": ("column", ["Barnet", "Brent", "Ealing"], {"% change": [-45.5, 12, 3]}),
    "long categories, rotated": (
        "column",
        ["Violence against the person", "Theft from the person", "Criminal damage and arson"],
        {"2023": [20.5, 14.2, 8.1]},
    ),
    "long categories, horizontal": (
        "bar",
        NEEDS,
        {"Community": [31.2, 45, 22.1, 40.3], "Custody": [41.2, 55, None, 50.3]},
    ),
    "one very long category": (
        "bar",
        ["Miscellaneous Crimes Against Society: Other Notifiable Offences"],
        {"Incidents": [12_345]},
    ),
    "legend too wide for one row": (
        "line",
        ["Jan", "Feb"],
        {f"Series number {n} with a long name": [n, n + 1] for n in range(6)},
    ),
}


def _drawn_figure(kind, labels, series, value_label, number_format):
    # A new figure, not one the charts reuse: this one is measured at a different dpi.
    chart_figures.forget()
    with matplotlib.rc_context(charts._RC):
        if kind == "line":
            figure, axes = charts._figure("line")
            charts._draw_lines(axes, labels, series, value_label, number_format)
        else:
            horizontal = kind == "bar"
            figure, axes = charts._bar_figure(labels, series, horizontal)
            charts._draw_bars(axes, labels, series, value_label, number_format, horizontal)
        chart_figures.forget()
        width, height = figure.get_size_inches() * 72
        figure.dpi = 72  # as the SVG backend draws: one unit a point
        renderer = RendererSVG(width, height, io.StringIO())
        return figure.get_tightbbox(renderer), width, height, axes


@pytest.mark.parametrize("number_format", [None, "pct1"])
@pytest.mark.parametrize("value_label", ["n", "% of assessed people in the group"])
@pytest.mark.parametrize("case", CASES)
def test_everything_drawn_fits_inside_the_image(case, value_label, number_format):
    kind, labels, series = CASES[case]
    inches, width, height, _ = _drawn_figure(kind, labels, series, value_label, number_format)
    drawn = [inches.x0 * 72, inches.y0 * 72, width - inches.x1 * 72, height - inches.y1 * 72]
    # Each side keeps tight_layout's padding, give or take rounding; nothing is cut off.
    assert all(space >= PAD - 1 for space in drawn), drawn


def test_labels_are_not_spaced_wider_than_the_padding_needs():
    inches, _, _, _ = _drawn_figure("bar", NEEDS, {"Share": [1, 2, 3, 4]}, "%", None)
    left = inches.x0 * 72
    assert PAD - 1 <= left <= PAD + 1  # the longest need starts one padding from the edge


def test_a_legend_too_wide_for_one_row_wraps_instead_of_running_off_the_image():
    _, _, _, axes = _drawn_figure("line", *CASES["legend too wide for one row"][1:], "n", None)
    assert axes.get_legend()._ncols < 4
    _, _, _, axes = _drawn_figure("line", *CASES["monthly trend"][1:], "n", None)
    assert axes.get_legend()._ncols == 4
