"""Reading partner measure series (area, period, measure, value), and every error."""

from __future__ import annotations

from datetime import date

import pytest
from tests.measures.crime_files import write_csv, write_series

from saferhub.errors import InputError
from saferhub.measures.catalogue import default_catalogue
from saferhub.rules.periods import Month
from saferhub.sources.series import read_series_file, read_series_files

KNOWN = default_catalogue().series_names


def test_series_rows_are_read_with_canonical_names(tmp_path):
    path = write_series(
        tmp_path / "partner.csv",
        [("Barnet", "2023-09", "asb calls", "1,012"), ("E09000005", "202309", "ASB calls", 7)],
    )
    series = read_series_file(path, known_measures=KNOWN)
    assert series.table.to_pylist() == [
        {
            "area_code": "E09000003",
            "area_name": "Barnet",
            "month": date(2023, 9, 1),
            "measure": "ASB calls",
            "value": 1012.0,
            "source": "partner.csv",
        },
        {
            "area_code": "E09000005",
            "area_name": "Brent",
            "month": date(2023, 9, 1),
            "measure": "ASB calls",
            "value": 7.0,
            "source": "partner.csv",
        },
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [("Barnet", "2023-09", "ASB cals", 5)],
            "partner.csv, row 2, column 'measure': 'ASB cals' is not a measure the catalogue "
            'knows. Did you mean "ASB calls"?',
            id="unknown-measure",
        ),
        pytest.param(
            [("Barnett", "2023-09", "ASB calls", 5)],
            "partner.csv, row 2, column 'area': 'Barnett' is not a London borough name or ONS "
            'code. Did you mean "Barnet"?',
            id="unknown-area",
        ),
        pytest.param(
            [("Barnet", "Sept 23", "ASB calls", 5)],
            "partner.csv, row 2, column 'period': 'Sept 23' is not a month",
            id="bad-period",
        ),
        pytest.param(
            [("Barnet", "1999-01", "ASB calls", 5)],
            "partner.csv, row 2, column 'period': January 1999 is out of range",
            id="out-of-range-period",
        ),
        pytest.param(
            [("Barnet", "2023-09", "ASB calls", "-2")],
            "partner.csv, row 2, column 'value': -2 is not a count",
            id="negative-value",
        ),
        pytest.param(
            [("Barnet", "2023-09", "ASB calls", "many")],
            "partner.csv, row 2, column 'value': 'many' is not a number",
            id="non-numeric-value",
        ),
        pytest.param(
            [("Barnet", "2023-09", "ASB calls", 5), ("Barnet", "2023-09", "asb calls", 6)],
            "partner.csv, row 3: repeats line 2: ASB calls for Barnet in September 2023 is "
            "given twice",
            id="duplicated-area-month",
        ),
    ],
)
def test_a_bad_series_file_is_refused_naming_row_and_column(tmp_path, rows, expected):
    path = write_series(tmp_path / "partner.csv", rows)
    with pytest.raises(InputError) as excinfo:
        read_series_file(path, known_measures=KNOWN)
    assert expected in str(excinfo.value)
    assert "nothing was imported" in str(excinfo.value)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["area", "month", "measure", "value"],
            "row 1, column 'period': the column 'period' is missing",
        ),
        (
            ["area", "period", "measure", "value", "notes"],
            "row 1, column 'notes': 'notes' is not a column",
        ),
    ],
)
def test_a_series_file_with_the_wrong_columns_is_refused(tmp_path, header, expected):
    path = write_csv(
        tmp_path / "partner.csv", header, [["Barnet", "2023-09", "ASB calls", 5, ""][: len(header)]]
    )
    with pytest.raises(InputError, match=expected):
        read_series_file(path, known_measures=KNOWN)


def test_a_figure_given_in_two_files_is_refused(tmp_path):
    one = write_series(tmp_path / "one.csv", [("Barnet", "2023-09", "ASB calls", 5)])
    two = write_series(tmp_path / "two.csv", [("Barnet", "2023-09", "ASB calls", 6)])
    with pytest.raises(
        InputError,
        match=r"two\.csv, column 'measure': ASB calls for Barnet in "
        r"September 2023 is also in one\.csv",
    ):
        read_series_files([one, two], known_measures=KNOWN)


def test_a_month_in_the_future_is_refused(tmp_path):
    path = write_series(tmp_path / "partner.csv", [("Barnet", "2023-10", "ASB calls", 5)])
    with pytest.raises(InputError, match="October 2023 is out of range"):
        read_series_file(path, known_measures=KNOWN, not_after=Month(2023, 9))
