"""A chart drawn on a figure reused from an earlier chart is the chart a new figure gives:
nothing of the earlier chart (its lines, bars, legend, limits, ticks) shows through."""

from __future__ import annotations

import pytest

from saferhub.reports import chart_figures, charts
from saferhub.reports.charts import bar_chart, chart_png, line_chart

MONTHS = ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"]
CHARTS = [
    lambda: line_chart(
        "Two years",
        MONTHS,
        {"This": [5, 9, None, 3] * 3, "Last": [4] * 12},
        "n",
        number_format="int",
    ),
    lambda: line_chart("Gaps only", ["a", "b"], {"A": [None, None]}, "n"),
    lambda: line_chart("Below zero", ["Q1", "Q2", "Q3"], {"Change": [-12.5, 3.0, 40.0]}, "%"),
    lambda: line_chart(
        "Crowded", [f"{m} 2023" for m in MONTHS], {"A": list(range(12))}, "Referrals"
    ),
    lambda: bar_chart(
        "Columns", ["Red", "Amber", "Green"], {"Then": [3, 5, 8], "Now": [4, 2, 9]}, "Members"
    ),
    lambda: bar_chart(
        "Crowded columns",
        ["Violence against the person", "Theft from the person", "Criminal damage and arson"],
        {"% change": [-20.5, 14.2, None]},
        "% change",
        number_format="pct1",
    ),
    lambda: bar_chart(
        "Few bars", ["Accommodation", "Finance"], {"Share": [31.2, 12.0]}, "%", horizontal=True
    ),
    lambda: bar_chart(
        "Many bars",
        [f"Need {n}" for n in range(12)],
        {"Community": list(range(12)), "Custody": list(range(12, 0, -1))},
        "% of people",
        horizontal=True,
        number_format="pct1",
    ),
]


@pytest.fixture(autouse=True)
def no_kept_charts(monkeypatch):
    monkeypatch.setattr(charts, "_SVGS", charts.Memo(256))
    monkeypatch.setattr(charts, "_PNGS", charts.Memo(64))
    chart_figures.forget()
    yield
    chart_figures.forget()


def _svgs(order, new_figures):
    drawn = {}
    for index in order:
        charts._SVGS.clear()
        if new_figures:
            chart_figures.forget()
        drawn[index] = CHARTS[index]().svg
    return drawn


def test_charts_on_reused_figures_are_the_charts_on_new_figures():
    order = list(range(len(CHARTS)))
    new = _svgs(order, new_figures=True)
    assert _svgs(order, new_figures=False) == new
    assert _svgs(order[::-1], new_figures=False) == new
    assert _svgs(order[1::2] + order[::2], new_figures=False) == new


def test_word_pictures_on_reused_figures_are_the_pictures_on_new_figures():
    pictures = [make() for make in CHARTS]
    new = []
    for chart in pictures:
        charts._PNGS.clear()
        chart_figures.forget()
        new.append(chart_png(chart))
    charts._PNGS.clear()
    assert [chart_png(chart) for chart in reversed(pictures)] == new[::-1]


def test_a_drawing_that_fails_part_way_leaves_no_figure_to_reuse(monkeypatch):
    CHARTS[0]()
    assert "line" in chart_figures._KEPT

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(charts, "to_svg", broken)
    with pytest.raises(RuntimeError):
        line_chart("Other", ["a"], {"A": [1]}, "n")
    assert chart_figures._KEPT == {}
