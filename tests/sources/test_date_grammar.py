"""One date grammar for every extract: the same forms accepted, the same message refusing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.measures.needs_rows import person
from tests.measures.needs_rows import write_csv as write_caseload

from saferhub.errors import InputError
from saferhub.sources.caseload import read_caseload
from saferhub.sources.cohort import read_cohort
from saferhub.sources.dates import DATE_HINT, parse_date
from saferhub.sources.offences import read_offences

ACCEPTED = [
    ("2023-01-05", date(2023, 1, 5)),
    ("2023-1-5", date(2023, 1, 5)),
    ("2023-01-05 10:00", date(2023, 1, 5)),
    ("2023-01-05 10:00:59", date(2023, 1, 5)),
    ("2023-01-05T23:59:59.123456Z", date(2023, 1, 5)),
    ("2023-01-05T00:30:00+01:00", date(2023, 1, 5)),  # the day written, whatever the zone
    ("05/01/2023", date(2023, 1, 5)),
    ("5/1/2023", date(2023, 1, 5)),
    ("05/01/2023 10:00", date(2023, 1, 5)),
    (" 2023-01-05 ", date(2023, 1, 5)),
]
REFUSED = [
    "2023-13-05",  # no 13th month
    "31/02/2023",  # no 31 February
    "01/30/2023",  # a US date
    "05/01/23",  # a two-digit year
    "2023-01-05 foo",  # a time that is not a time
    "2023-01-05 24:00",
    "05/01/2023T10:00",
    "5 January 2023",
    "20230105",
]


@pytest.mark.parametrize(("text", "day"), ACCEPTED)
def test_every_documented_form_is_a_date(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_not(text):
    assert parse_date(text) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_and_uk_forms_name_the_same_day(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day:%d/%m/%Y}") == day
    assert parse_date(f"{day.isoformat()}T12:34:56") == day


def _offences(tmp_path, text):
    path = tmp_path / "offences.csv"
    path.write_text(f"offence_id,pnc_id,offence_date,offence_code\nO1,A,{text},28E\n", "utf-8")
    return lambda: read_offences(path).column("offence_date").to_pylist()[0]


def _caseload(tmp_path, text):
    path = write_caseload(tmp_path / "caseload.csv", [person("X123456", assessment_date=text)])
    return lambda: read_caseload(path).table.to_pyarrow().column("assessment_date").to_pylist()[0]


def _cohort(tmp_path, text):
    path = tmp_path / "iom_cohort.csv"
    path.write_text(
        "pnc_id,join_date,leave_date,management,tier,gender,ethnicity,date_of_birth\n"
        f"A,{text},,Statutory,Red,Male,White,1990-01-01\n",
        "utf-8",
    )
    return lambda: read_cohort(path).column("join_date").to_pylist()[0]


READERS = [_offences, _caseload, _cohort]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__.strip("_"))
@pytest.mark.parametrize("text", ["2021-01-05 10:00", "05/01/2021", "2021-01-05"])
def test_every_extract_reads_the_same_dates(tmp_path, reader, text):
    assert reader(tmp_path, text)() == date(2021, 1, 5)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__.strip("_"))
@pytest.mark.parametrize("text", ["2021-13-05", "01/30/2021"])
def test_every_extract_refuses_the_same_dates_with_the_same_message(tmp_path, reader, text):
    with pytest.raises(InputError) as caught:
        reader(tmp_path, text)()
    assert re.search(
        rf"'{re.escape(text)}' is not a date\. {re.escape(DATE_HINT)}", str(caught.value)
    )
