import re

import pytest

from saferhub.errors import ConfigurationError
from saferhub.reports.charts import bar_chart, line_chart

MONTHS = ["Oct", "Nov", "Dec", "Jan"]


def monthly_trend(title="Burglary by month"):
    return line_chart(
        title,
        MONTHS,
        {"This year": [120, 131.5, None, 98], "Last year": [100, 110, 105, 101]},
        "Offences",
        x_label="Month",
        number_format="int",
    )


def test_line_chart_svg_is_the_same_for_the_same_input():
    assert monthly_trend().svg == monthly_trend().svg


def test_line_chart_svg_is_inline_titled_and_labelled():
    svg = monthly_trend().svg
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<title>Burglary by month</title>" in svg
    assert 'role="img"' in svg and 'aria-label="Burglary by month"' in svg
    assert "<metadata>" not in svg
    assert "This year" in svg  # legend text stays text


def test_line_chart_table_holds_the_plotted_data():
    table = monthly_trend().table
    assert table.columns == ["Month", "This year", "Last year"]
    assert table.rows[1] == ["Nov", 131.5, 110]
    assert table.rows[2][1] is None
    assert table.number_formats == {"This year": "int", "Last year": "int"}


def test_two_charts_on_one_page_share_no_element_ids():
    ids = [set(re.findall(r'id="([^"]+)"', monthly_trend(t).svg)) for t in ("A", "B")]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def test_chart_title_with_markup_characters_is_escaped():
    svg = monthly_trend('Crime & "ASB" <all>').svg
    assert "<title>Crime &amp; &quot;ASB&quot; &lt;all&gt;</title>" in svg


@pytest.mark.parametrize("horizontal", [False, True])
def test_bar_chart_is_deterministic_and_carries_its_data(horizontal):
    def draw():
        return bar_chart(
            "Offences by type",
            ["Violence against the person", "Theft", "Burglary"],
            {"2023": [20.5, 14.2, 8.1], "2022": [19.0, 15.0, 9.0]},
            "% of all offences",
            horizontal=horizontal,
            number_format="pct1",
        )

    chart = draw()
    assert chart.svg == draw().svg
    assert "<title>Offences by type</title>" in chart.svg
    assert chart.table.rows[0] == ["Violence against the person", 20.5, 19.0]
    assert chart.table.number_formats == {"2023": "pct1", "2022": "pct1"}


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ({}, "has no data series"),
        ({"This year": [1, 2]}, "series 'This year' has 2 values for 4 labels"),
        ({"This year": [1, 2, "3", 4]}, "series 'This year' value 3 is not a number"),
    ],
)
def test_bad_series_are_rejected(series, message):
    with pytest.raises(ConfigurationError, match=message):
        line_chart("Trend", MONTHS, series, "Offences")
