"""Reading partner breakdowns (area, period, measure, category, value), and every error."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import pytest
from tests.measures.crime_files import write_csv

from saferhub.errors import InputError
from saferhub.rules.periods import Month
from saferhub.sources.partner_breakdowns import (
    COLUMNS,
    read_breakdowns_file,
    read_breakdowns_files,
)


def write(path, rows, header=COLUMNS):
    return write_csv(path, list(header), [list(r) for r in rows])


def test_rows_are_read_with_canonical_names_and_aliases(tmp_path):
    path = write(
        tmp_path / "partner.csv",
        [
            ("barnet", "2023-09", "prevent REFERRALS", "muu", "1,012"),
            ("Barnet", "202309", "ASB tools and powers", "CBO", "2"),
            ("National", "2023-09", "Prevent referrals national", "Far right", "40"),
            ("Barnet", "2023-09", "CCTV incidents by hour", "7", "3"),
            ("Barnet", "2023-09", "CCTV incidents by ward", "burnt oak", "3"),
            ("Barnet", "2023-08", "CCTV incidents by ward", "Burnt Oak", "3"),
        ],
    )
    table = read_breakdowns_file(path)
    rows = table.to_pylist()
    assert rows[0] == {
        "area_code": "E09000003",
        "area_name": "Barnet",
        "month": date(2023, 9, 1),
        "measure": "Prevent referrals",
        "category": "Mixed, unclear or unstable",
        "value": 1012,
        "source": "partner.csv",
    }
    assert [r["category"] for r in rows[1:]] == [
        "Criminal Behaviour Order",
        "Extreme right-wing",
        "07",
        "burnt oak",
        "burnt oak",  # one spelling per ward, whatever the letter case
    ]
    assert rows[2]["area_name"] == "England and Wales" and rows[2]["area_code"] == ""


def test_the_template_users_fill_in_is_valid():
    template = files("saferhub.data").joinpath("templates/partner-breakdowns.csv")
    assert read_breakdowns_file(str(template)).num_rows > 10


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ("Barnet", "2023-09", "Hate crim", "Antisemitic", 5),
            "partner.csv, row 2, column 'measure': 'Hate crim' is not a breakdown measure. "
            'Did you mean "Hate crime"?',
            id="unknown-measure",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitc", 5),
            "partner.csv, row 2, column 'category': 'Antisemitc' is not a category of Hate "
            'crime. Did you mean "Antisemitic"?',
            id="unknown-category",
        ),
        pytest.param(
            ("Barnet", "2023-09", "CCTV incidents by hour", "25", 5),
            "partner.csv, row 2, column 'category': '25' is not an hour of the day",
            id="bad-hour",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "", 5),
            "partner.csv, row 2, column 'category': is empty",
            id="empty-category",
        ),
        pytest.param(
            ("Barnett", "2023-09", "Hate crime", "Antisemitic", 5),
            "partner.csv, row 2, column 'area': 'Barnett' is not a London borough name or ONS "
            'code. Did you mean "Barnet"?',
            id="unknown-area",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Prevent referrals national", "Total", 5),
            "partner.csv, row 2, column 'area': 'Barnet' is not national",
            id="national-not-national",
        ),
        pytest.param(
            ("Barnet", "Sept 23", "Hate crime", "Antisemitic", 5),
            "partner.csv, row 2, column 'period': 'Sept 23' is not a month; write months as "
            "YYYY-MM, e.g. 2023-09.",
            id="bad-month",
        ),
        pytest.param(
            ("Barnet", "2031-01", "Hate crime", "Antisemitic", 5),
            "partner.csv, row 2, column 'period': January 2031 is out of range",
            id="future-month",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", -2),
            "partner.csv, row 2, column 'value': -2 is not a count: values must be whole "
            "numbers, 0 or more.",
            id="negative",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", 2.5),
            "partner.csv, row 2, column 'value': 2.5 is not a count",
            id="fraction",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", "nan"),
            "partner.csv, row 2, column 'value': nan is not a count",
            id="nan",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", "five"),
            "partner.csv, row 2, column 'value': 'five' is not a number.",
            id="not-a-number",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", ""),
            "partner.csv, row 2, column 'value': is empty; write 0 for none.",
            id="empty-value",
        ),
        pytest.param(
            ("Barnet", "2023-09", "Hate crime", "Antisemitic", "1e9"),
            "partner.csv, row 2, column 'value': 1e9 is more than any area records in a month",
            id="too-big",
        ),
    ],
)
def test_every_problem_names_file_row_and_column(tmp_path, row, expected):
    path = write(tmp_path / "partner.csv", [row])
    with pytest.raises(InputError) as caught:
        read_breakdowns_file(path, not_after=Month(2026, 11))
    assert expected in caught.value.message


def test_a_repeated_figure_is_refused(tmp_path):
    row = ("Barnet", "2023-09", "Hate crime", "Antisemitic", 5)
    path = write(
        tmp_path / "partner.csv", [row, ("Barnet", "2023-09", "hate crime", "antisemitic", 6)]
    )
    with pytest.raises(InputError) as caught:
        read_breakdowns_file(path)
    assert (
        "partner.csv, row 3: repeats line 2: Hate crime, Antisemitic for Barnet in September "
        "2023 is given twice; keep one row." in caught.value.message
    )


def test_columns_must_be_the_format(tmp_path):
    path = write(
        tmp_path / "partner.csv",
        [("Barnet", "2023-09", "Hate crime", "Antisemitic", 5)],
        header=["area", "month", "measure", "category", "value"],
    )
    with pytest.raises(InputError) as caught:
        read_breakdowns_file(path)
    assert "partner.csv, row 1, column 'period': the column 'period' is missing." in str(
        caught.value
    )
    assert "row 1, column 'month': 'month' is not a column of this format" in str(caught.value)


def test_a_ragged_row_and_an_empty_file_are_named(tmp_path):
    path = write_csv(tmp_path / "partner.csv", COLUMNS, [["Barnet", "2023-09"]])
    with pytest.raises(InputError, match="row 2: has 2 values but the header has 5"):
        read_breakdowns_file(path)
    empty = write_csv(tmp_path / "empty.csv", COLUMNS, [])
    with pytest.raises(InputError, match="has a header but no rows of data"):
        read_breakdowns_file(empty)


def test_a_figure_in_two_files_is_refused(tmp_path):
    row = ("Barnet", "2023-09", "Hate crime", "Antisemitic", 5)
    one = write(tmp_path / "one.csv", [row])
    two = write(tmp_path / "two.csv", [row])
    with pytest.raises(InputError) as caught:
        read_breakdowns_files([one, two])
    assert (
        "two.csv, column 'category': Hate crime, Antisemitic for Barnet in September 2023 is "
        "also in one.csv; give each figure in one file only." in caught.value.message
    )
