"""The people, agencies, users and MARAC extracts go through the one CSV reader.

Before, the demo read them with `csv.DictReader`: a missing column was a KeyError deep in
the load, and a file saved by Excel in Windows-1252 could not be read at all.
"""

from __future__ import annotations

import pytest

from saferhub.errors import InputError
from saferhub.sources.partnership import COLUMNS, PEOPLE_FILE, read_rows


def _write(path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def test_rows_carry_the_line_a_spreadsheet_shows_and_values_by_column(tmp_path):
    header = COLUMNS[PEOPLE_FILE]
    path = tmp_path / PEOPLE_FILE
    row = ["P000001", "Zoë", "Okoro", "", "1990-05-01", "F", "W1", "1 High St", "EN5", "", "", ""]
    _write(path, header, [row, [""] * len(header), row], encoding="cp1252")
    rows = read_rows(path)
    assert [r.line for r in rows] == [2, 4]
    assert rows[0]["first_name"] == "Zoë" and rows[0].get("crn") == ""


def test_a_missing_column_is_named_before_any_row_is_read(tmp_path):
    header = [c for c in COLUMNS[PEOPLE_FILE] if c != "date_of_birth"]
    path = tmp_path / PEOPLE_FILE
    _write(path, header, [["x"] * len(header)])
    with pytest.raises(InputError, match=r"people.csv.*the column 'date_of_birth' is missing"):
        read_rows(path)


def test_a_row_longer_than_its_header_is_refused_with_its_line(tmp_path):
    path = tmp_path / "agencies.csv"
    _write(path, ["name", "kind", "programmes"], [["Police", "police", "iom", "extra"]])
    with pytest.raises(InputError, match=r"agencies.csv, row 2.*4 values"):
        read_rows(path)
