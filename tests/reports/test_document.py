import json
import math

import numpy as np
import pytest

from saferhub.errors import ConfigurationError
from saferhub.reports.document import (
    MISSING,
    Chart,
    Report,
    Section,
    Table,
    excel_number_format,
    excel_value,
    format_cell,
)


def offences_table(**changes) -> Table:
    fields = {
        "title": "Offences by type",
        "columns": ["Offence", "This year", "Change"],
        "rows": [["Burglary", 1234, 12.5], ["Robbery", "<5", None]],
        "base": "All recorded offences",
        "number_formats": {"This year": "int", "Change": "pct1"},
    }
    return Table(**(fields | changes))


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1234567, "int", "1,234,567"),
        (1234.4, "int", "1,234"),
        (14.01, "pct1", "14.0%"),
        (14.01, "pct2", "14.01%"),
        (14.05, "pct1", "14.1%"),  # half rounds away from zero, as Excel shows it
        (0.125, "pct2", "0.13%"),
        (-2.25, "pct1", "-2.3%"),
        (-0.04, "pct1", "0.0%"),  # never "-0.0%"
        (3.256, "rate2", "3.26"),
        (1500.0, "rate1", "1,500.0"),
        (42, None, "42"),
        (12345, None, "12,345"),
        (2.5, None, "2.50"),
        (None, "int", MISSING),
        ("<5", "int", "<5"),
        ("n/a", None, "n/a"),
        (np.int64(7), "int", "7"),
        (np.float64(12.345), "pct2", "12.35%"),
    ],
)
def test_cells_show_with_their_column_format(value, number_format, shown):
    assert format_cell(value, number_format) == shown


def test_percent_cells_are_stored_as_fractions_with_a_real_percent_format():
    # Excel multiplies by 100 for a % format: 0.1401 shows as 14.01%, as format_cell shows 14.01.
    assert excel_number_format(14.01, "pct2") == "#,##0.00%"
    assert excel_value(14.01, "pct2") == 0.1401
    assert excel_value(12.23, "pct1") == 0.1223
    assert excel_value(14.01, "rate2") == 14.01
    assert excel_value("<5", "pct1") == "<5" and excel_value(None, "pct1") is None
    assert excel_number_format(14, None) == "#,##0"
    assert excel_number_format(1.5, None) == "#,##0.00"


def test_row_with_wrong_number_of_cells_is_rejected_naming_table_and_row():
    with pytest.raises(
        ConfigurationError, match=r"Table 'Offences by type', row 2 has 2 cells; expected 3"
    ):
        offences_table(rows=[["Burglary", 1, 2.0], ["Robbery", 3]])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "table needs a non-empty title"),
        ({"columns": []}, "has no columns"),
        ({"rows": [["Burglary", True, 1.0]]}, r"row 1, column 'This year' is a true/false value"),
        ({"rows": [["Burglary", [1], 1.0]]}, r"row 1, column 'This year' is a list"),
        (
            {"number_formats": {"Rate": "int"}},
            "number format given for 'Rate', which is not a column",
        ),
        ({"number_formats": {"Change": "percent"}}, "unknown number format 'percent'"),
        ({"notes": "one note"}, "notes must be a list of texts"),
        ({"rows": ["Burglary,1,2"]}, "row 1 has text; expected 3"),
    ],
)
def test_bad_tables_are_rejected(changes, message):
    with pytest.raises(ConfigurationError, match=message):
        offences_table(**changes)


def test_numpy_values_and_nan_are_stored_as_plain_python():
    table = offences_table(rows=[["Burglary", np.int64(5), np.float64(math.nan)]])
    assert table.rows == [["Burglary", 5, None]]
    assert type(table.rows[0][1]) is int


def test_table_keeps_its_own_copy_of_rows():
    rows = [["Burglary", 1, 2.0]]
    table = offences_table(rows=rows)
    rows[0][1] = 999
    assert table.rows[0][1] == 1


def test_columns_are_numeric_when_formatted_or_holding_numbers():
    table = offences_table()
    assert [table.is_numeric_column(i) for i in range(3)] == [False, True, True]


def test_chart_needs_inline_svg():
    with pytest.raises(ConfigurationError, match="inline SVG"):
        Chart("Trend", '<?xml version="1.0"?><svg></svg>', offences_table())


def test_section_refuses_blocks_that_are_not_tables_or_charts():
    with pytest.raises(ConfigurationError, match="block 2 is a str"):
        Section("Overview", blocks=(offences_table(), "text"))


def test_report_refuses_a_section_of_the_wrong_type():
    with pytest.raises(ConfigurationError, match="section 1 is not a Section"):
        Report("Crime", sections=("Overview",))


def test_report_to_dict_is_json_with_every_figure():
    chart = Chart("Trend", "<svg></svg>", offences_table(title="Trend data"))
    report = Report(
        "Crime",
        "Year to September 2023",
        (Section("Overview", ("Crime rose.",), (offences_table(), chart)),),
        ("Counts of 1 to 4 are shown as <5.",),
    )
    data = json.loads(json.dumps(report.to_dict()))
    blocks = data["sections"][0]["blocks"]
    assert [block["kind"] for block in blocks] == ["table", "chart"]
    assert blocks[0]["rows"] == [["Burglary", 1234, 12.5], ["Robbery", "<5", None]]
    assert blocks[0]["number_formats"] == {"This year": "int", "Change": "pct1"}
    assert blocks[1]["table"]["title"] == "Trend data"
    assert data["notes"] == ["Counts of 1 to 4 are shown as <5."]
