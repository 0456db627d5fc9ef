"""Drawn charts are kept by their inputs: the same inputs give back the same image,
changed numbers draw a new one, and the memo never holds more than its size."""

from __future__ import annotations

import math
import threading

import pytest

from saferhub.reports import charts
from saferhub.reports.chart_memo import Memo, series_key
from saferhub.reports.charts import bar_chart, chart_png, line_chart

MONTHS = ["Oct", "Nov", "Dec", "Jan"]


@pytest.fixture(autouse=True)
def empty_memos(monkeypatch):
    monkeypatch.setattr(charts, "_SVGS", Memo(256))
    monkeypatch.setattr(charts, "_PNGS", Memo(64))


def trend(values=(120, 131.5, None, 98), title="Burglary by month", **options):
    return line_chart(
        title,
        MONTHS,
        {"This year": list(values), "Last year": [100, 110, 105, 101]},
        "Offences",
        number_format=options.pop("number_format", "int"),
        **options,
    )


def test_a_kept_chart_is_the_image_a_fresh_draw_gives():
    first = trend()
    kept = trend()
    assert kept.svg is first.svg  # not drawn again
    charts._SVGS.clear()
    fresh = trend()
    assert fresh.svg is not kept.svg and fresh.svg == kept.svg


def test_a_chart_whose_numbers_changed_is_drawn_again():
    before = trend()
    after = trend(values=(120, 131.5, None, 99))
    assert after.svg != before.svg
    assert after.table.rows[3][1] == 99
    assert len(charts._SVGS) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Robbery by month"},
        {"number_format": "rate1"},
        {"values": (120, 131.5, 0, 98)},  # a zero is not a gap
    ],
)
def test_every_input_the_image_shows_tells_charts_apart(change):
    assert trend(**change).svg != trend().svg


def test_inputs_only_the_table_shows_share_the_image_but_keep_their_own_table():
    plain = trend()
    noted = trend(x_label="Month", notes=("Provisional.",), base="All offences")
    assert noted.svg is plain.svg
    assert noted.table.columns[0] == "Month" and plain.table.columns[0] == "Period"
    assert noted.table.notes == ("Provisional.",) and plain.table.notes == ()


def test_whole_and_decimal_numbers_are_different_charts():
    whole = trend(values=(1, 2, 3, 4), number_format=None)
    decimal = trend(values=(1.0, 2.0, 3.0, 4.0), number_format=None)
    assert len(charts._SVGS) == 2
    assert whole.table.formatted_rows()[0][1] == "1"
    assert decimal.table.formatted_rows()[0][1] == "1.00"


def test_a_chart_with_a_nan_gap_finds_itself_again():
    first = trend(values=(1.0, math.nan, 3.0, 4.0))
    assert trend(values=(1.0, math.nan, 3.0, 4.0)).svg is first.svg


def test_bar_charts_are_kept_apart_from_line_charts_and_by_direction():
    args = ("Offences", ["Theft", "Burglary"], {"2023": [3, 4], "2022": [2, 5]}, "n")
    column, bar = bar_chart(*args), bar_chart(*args, horizontal=True)
    assert column.svg != bar.svg
    assert bar_chart(*args, horizontal=True).svg is bar.svg
    assert line_chart(*args).svg != column.svg
    assert len(charts._SVGS) == 3


def test_the_memo_holds_at_most_its_size_and_forgets_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(charts, "_SVGS", Memo(3))
    a, b, c = (trend(title=t) for t in "ABC")
    assert trend(title="A").svg is a.svg  # A is now the most recently used
    trend(title="D")
    assert len(charts._SVGS) == 3
    assert trend(title="A").svg is a.svg
    assert trend(title="C").svg is c.svg
    redrawn = trend(title="B")  # B was the least recently used: forgotten, drawn again
    assert redrawn.svg is not b.svg and redrawn.svg == b.svg
    assert len(charts._SVGS) == 3


def test_a_memo_evicts_in_least_recently_used_order():
    memo: Memo[str] = Memo(2)
    memo.put(("a",), "A")
    memo.put(("b",), "B")
    assert memo.get(("a",)) == "A"
    memo.put(("c",), "C")
    assert memo.get(("b",)) is None and memo.get(("a",)) == "A" and memo.get(("c",)) == "C"
    with pytest.raises(ValueError):
        Memo(0)


def test_series_keys_keep_the_order_of_the_series():
    assert series_key({"a": [1], "b": [2]}) != series_key({"b": [2], "a": [1]})


def test_a_png_for_word_is_kept_and_is_what_a_fresh_draw_gives():
    chart = trend()
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG") and chart_png(chart) is png
    charts._PNGS.clear()
    assert chart_png(chart) == png
    assert chart_png(trend(values=(1, 2, 3, 4))) != png


def test_charts_drawn_at_once_by_many_threads_are_the_charts_drawn_one_by_one():
    titles = [f"Chart {n}" for n in range(4)]
    expected = {t: trend(title=t).svg for t in titles}
    charts._SVGS.clear()
    results: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def work(title):
        try:
            results.append((title, trend(title=title).svg))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in titles * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 12
    assert all(svg == expected[title] for title, svg in results)
    assert len(charts._SVGS) == 4
