"""Reading MPS recorded-crime wide files: canonical rows, merging releases, and every error."""

from __future__ import annotations

from datetime import date

import pytest
from tests.measures.crime_files import write_csv

from saferhub.errors import InputError
from saferhub.rules.periods import Month
from saferhub.sources.mps import merge_releases, read_mps_file, read_mps_files

HEADER = ["MajorText", "MinorText", "LookUp_BoroughName", "202301", "202302", "202303"]
GOOD_ROWS = [
    ["Burglary", "Domestic Burglary", "Barnet", "10", "12", "9"],
    ["Robbery", "Robbery of Personal Property", "Barnet", "5", "0", "7"],
    ["Burglary", "Domestic Burglary", "London Heathrow and London City Airports", "0", "1", "0"],
]


def write(tmp_path, rows, header=HEADER, name="crime.csv"):
    return write_csv(tmp_path / name, header, rows)


def test_a_borough_file_becomes_one_row_per_area_category_and_month(tmp_path):
    release = read_mps_file(write(tmp_path, GOOD_ROWS))
    assert release.level == "borough"
    assert (release.first, release.last) == (Month(2023, 1), Month(2023, 3))
    rows = release.table.to_pylist()
    assert len(rows) == 9
    first = rows[0]
    assert first == {
        "area_code": "E09000003",
        "area_name": "Barnet",
        "area_type": "borough",
        "borough": "Barnet",
        "major_category": "Burglary",
        "minor_category": "Domestic Burglary",
        "month": date(2023, 1, 1),
        "count": 10,
        "source_release": "crime.csv",
    }
    airport = [r for r in rows if r["area_name"].startswith("London Heathrow")]
    assert {r["area_code"] for r in airport} == {None}


def test_a_ward_file_is_read_at_ward_level_with_its_borough(tmp_path):
    header = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", "202301"]
    rows = [["Burglary", "Domestic Burglary", "Burnt Oak", "E05013628", "Barnet", "4"]]
    release = read_mps_file(write_csv(tmp_path / "ward.csv", header, rows))
    assert release.level == "ward"
    (row,) = release.table.to_pylist()
    assert (row["area_code"], row["area_name"], row["borough"]) == (
        "E05013628",
        "Burnt Oak",
        "Barnet",
    )


def test_borough_names_are_matched_ignoring_case_and_spacing(tmp_path):
    rows = [["Burglary", "Domestic Burglary", " kingston  upon thames ", "1", "2", "3"]]
    release = read_mps_file(write(tmp_path, rows))
    assert set(release.table["area_name"].to_pylist()) == {"Kingston upon Thames"}


def test_a_newer_release_wins_every_month_it_shares_with_an_older_one(tmp_path):
    old = write(
        tmp_path,
        [
            ["Burglary", "Domestic Burglary", "Barnet", "10", "12", "9"],
            ["Theft", "Wildlife Crime", "Barnet", "1", "1", "1"],
        ],
        name="old.csv",
    )
    new = write(
        tmp_path,
        [["Burglary", "Domestic Burglary", "Barnet", "13", "8", "20"]],
        header=["MajorText", "MinorText", "LookUp_BoroughName", "202302", "202303", "202304"],
        name="new.csv",
    )
    # Given newest first: the order on the command line does not matter, the months do.
    counts = read_mps_files([new, old])
    by_month = {
        (r["month"], r["minor_category"]): (r["count"], r["source_release"])
        for r in counts.table.to_pylist()
    }
    assert by_month[(date(2023, 1, 1), "Domestic Burglary")] == (10, "old.csv")
    assert by_month[(date(2023, 2, 1), "Domestic Burglary")] == (13, "new.csv")
    assert by_month[(date(2023, 4, 1), "Domestic Burglary")] == (20, "new.csv")
    # The category the new release dropped altogether keeps the old release's figures.
    assert by_month[(date(2023, 2, 1), "Wildlife Crime")] == (1, "old.csv")
    assert counts.covered("borough") == {Month(2023, m) for m in (1, 2, 3, 4)}
    used = {r.file: r.months_used for r in counts.releases}
    assert used["old.csv"] == (Month(2023, 1), Month(2023, 2), Month(2023, 3))
    assert counts.notes == (
        "Theft / Wildlife Crime (borough figures), February 2023 to March 2023: taken from "
        "old.csv, because new.csv, the newer file for those months, does not have this "
        "category at all.",
    )


def test_a_category_the_newer_release_seems_to_have_renamed_is_not_counted_twice(tmp_path):
    old = write(tmp_path, [["Theft", "Wildlife Crime", "Barnet", "1", "1", "1"]], name="old.csv")
    new = write(
        tmp_path,
        [["Theft", "Other Theft", "Barnet", "2", "2", "2"]],
        header=["MajorText", "MinorText", "LookUp_BoroughName", "202302", "202303", "202304"],
        name="new.csv",
    )
    rows = read_mps_files([old, new]).table.to_pylist()
    assert {(r["month"], r["minor_category"]) for r in rows if r["month"].month in (2, 3)} == {
        (date(2023, 2, 1), "Other Theft"),
        (date(2023, 3, 1), "Other Theft"),
    }


def test_of_two_releases_ending_in_the_same_month_the_one_given_last_wins(tmp_path):
    one = read_mps_file(write(tmp_path, GOOD_ROWS[:1], name="a.csv"))
    two = read_mps_file(
        write(tmp_path, [["Burglary", "Domestic Burglary", "Barnet", "1", "1", "1"]], name="b.csv")
    )
    merged = merge_releases([one, two])
    assert set(merged.table["source_release"].to_pylist()) == {"b.csv"}


def test_ward_files_do_not_stand_in_for_borough_figures(tmp_path):
    header = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", "202301"]
    ward = write_csv(
        tmp_path / "ward.csv",
        header,
        [["Burglary", "Domestic Burglary", "Burnt Oak", "E05013628", "Barnet", "4"]],
    )
    counts = read_mps_files([ward])
    assert counts.covered("borough") == frozenset()
    assert counts.covered("ward") == {Month(2023, 1)}


def problems_of(excinfo) -> str:
    return str(excinfo.value)


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        pytest.param(
            ["MajorText", "MinorText", "Borough", "202301"],
            [["Burglary", "Domestic Burglary", "Barnet", "1"]],
            "crime.csv, row 1, column 'LookUp_BoroughName': the column 'LookUp_BoroughName' is "
            "missing. The column 'Borough' may be it, renamed.",
            id="renamed-column",
        ),
        pytest.param(
            HEADER,
            [["Burglary", "Domestic Burglary", "Barnet", "10", "ten", "9"]],
            "crime.csv, row 2, column '202302': 'ten' is not a count",
            id="non-numeric-count",
        ),
        pytest.param(
            HEADER,
            [["Burglary", "Domestic Burglary", "Barnet", "10", "-3", "9"]],
            "crime.csv, row 2, column '202302': '-3' is not a count",
            id="negative-count",
        ),
        pytest.param(
            HEADER,
            [["Burglary", "Domestic Burglary", "Barnet", "10", "", "9"]],
            "crime.csv, row 2, column '202302': is empty; write 0",
            id="empty-count",
        ),
        pytest.param(
            HEADER,
            [
                GOOD_ROWS[0],
                GOOD_ROWS[1],
                ["Burglary", "Domestic Burglary", "Barnet", "1", "2", "3"],
            ],
            "crime.csv, row 4: repeats line 2: the same category (Burglary / Domestic Burglary) "
            "and area (Barnet)",
            id="duplicated-area-months",
        ),
        pytest.param(
            HEADER,
            [["Burglary", "Domestic Burglary", "Barnett", "1", "2", "3"]],
            "crime.csv, row 2, column 'LookUp_BoroughName': 'Barnett' is not a London borough "
            'or an MPS unit we know. Did you mean "Barnet"?',
            id="unknown-area",
        ),
        pytest.param(
            ["MajorText", "MinorText", "LookUp_BoroughName", "200512", "200601"],
            [["Burglary", "Domestic Burglary", "Barnet", "1", "2"]],
            "crime.csv, row 1, column '200512': December 2005 is out of range",
            id="month-before-mps-data",
        ),
        pytest.param(
            ["MajorText", "MinorText", "LookUp_BoroughName", "202312", "202313"],
            [["Burglary", "Domestic Burglary", "Barnet", "1", "2"]],
            "crime.csv, row 1, column '202313': month 13 does not exist",
            id="month-13",
        ),
        pytest.param(
            ["MajorText", "MinorText", "LookUp_BoroughName", "202301", "202301"],
            [["Burglary", "Domestic Burglary", "Barnet", "1", "2"]],
            "crime.csv, row 1, column '202301': the column '202301' appears twice",
            id="repeated-month",
        ),
        pytest.param(
            ["MajorText", "MinorText", "LookUp_BoroughName", "202301", "202303"],
            [["Burglary", "Domestic Burglary", "Barnet", "1", "2"]],
            "crime.csv, row 1: has no column for February 2023 (202302)",
            id="missing-month-column",
        ),
        pytest.param(
            ["MajorText", "MinorText", "LookUp_BoroughName", "202301", "Total"],
            [["Burglary", "Domestic Burglary", "Barnet", "1", "1"]],
            "crime.csv, row 1, column 'Total': this column is neither a month",
            id="extra-column",
        ),
        pytest.param(
            HEADER,
            [["Burglary", "Domestic Burglary", "Barnet", "1", "2"]],
            "crime.csv, row 2: has 5 values but the header has 6 columns",
            id="short-row",
        ),
        pytest.param(
            HEADER,
            [["", "Domestic Burglary", "Barnet", "1", "2", "3"]],
            "crime.csv, row 2, column 'MajorText': is empty",
            id="empty-category",
        ),
        pytest.param(HEADER, [], "crime.csv: has a header but no rows of data", id="no-rows"),
        pytest.param(
            ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", "202301"],
            [["Burglary", "Domestic Burglary", "Burnt Oak", "W123", "Barnet", "1"]],
            "crime.csv, row 2, column 'WardCode': 'W123' is not an ONS ward code",
            id="bad-ward-code",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_file_row_and_column(tmp_path, header, rows, expected):
    path = write_csv(tmp_path / "crime.csv", header, rows)
    with pytest.raises(InputError) as excinfo:
        read_mps_file(path)
    assert expected in problems_of(excinfo)
    assert "nothing was imported" in problems_of(excinfo)


def test_a_month_after_the_latest_allowed_is_refused(tmp_path):
    path = write(tmp_path, GOOD_ROWS)
    with pytest.raises(InputError, match=r"column '202303': March 2023 is out of range"):
        read_mps_file(path, not_after=Month(2023, 2))


def test_row_numbers_count_spreadsheet_lines_including_blank_ones(tmp_path):
    path = tmp_path / "crime.csv"
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + ",".join(GOOD_ROWS[0])
        + "\n\n"
        + '"Robbery","Robbery of Personal Property","Barnet",1,x,3\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"crime\.csv, row 4, column '202302'"):
        read_mps_file(path)


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    rows = [
        ["Burglary", "Domestic Burglary", "Barnett", "1", "x", "3"],
        ["Burglary", "Domestic Burglary", "Brent", "1", "2", "y"],
    ]
    with pytest.raises(InputError) as excinfo:
        read_mps_file(write(tmp_path, rows))
    assert len(excinfo.value.problems) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "crime.csv: there is no file at"),
        (b"", "crime.csv: is empty: it has no header row"),
    ],
)
def test_a_missing_or_empty_file_is_refused(tmp_path, content, expected):
    path = tmp_path / "crime.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        read_mps_file(path)


def test_one_bad_file_means_nothing_is_imported_and_all_files_are_checked(tmp_path):
    good = write(tmp_path, GOOD_ROWS, name="good.csv")
    bad_one = write(
        tmp_path, [["Burglary", "Domestic Burglary", "Barnet", "x", "1", "1"]], name="bad1.csv"
    )
    bad_two = write(
        tmp_path, [["Burglary", "Domestic Burglary", "Nowhere", "1", "1", "1"]], name="bad2.csv"
    )
    with pytest.raises(InputError) as excinfo:
        read_mps_files([good, bad_one, bad_two])
    files = {p.file for p in excinfo.value.problems}
    assert files == {"bad1.csv", "bad2.csv"}


def test_a_windows_excel_file_with_a_byte_order_mark_or_cp1252_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    text = ",".join(HEADER) + "\r\n" + ",".join(GOOD_ROWS[0]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_mps_file(path).table.num_rows == 3
    path.write_bytes(text.replace("Domestic", "Dom\u00e9stic").encode("cp1252"))
    assert "Dom\u00e9stic Burglary" in read_mps_file(path).table["minor_category"].to_pylist()


@pytest.mark.golden
def test_the_real_files_import_completely(mps_data):
    counts = read_mps_files(
        [
            mps_data / "borough_10_21.csv",
            mps_data / "borough_21_23.csv",
            mps_data / "ward_21_23.csv",
        ]
    )
    assert min(counts.covered("borough")) == Month(2010, 4)
    assert max(counts.covered("borough")) == Month(2023, 11)
    assert counts.covered("ward") == frozenset(
        Month.from_index(i) for i in range(Month(2021, 12).index, Month(2023, 12).index)
    )
    boroughs_of_wards = {
        borough
        for borough, level in zip(
            counts.table["borough"].to_pylist(), counts.table["area_type"].to_pylist(), strict=True
        )
        if level == "ward"
    }
    assert "Aviation Security (SO18)" in boroughs_of_wards
    assert len(boroughs_of_wards) == 33


def test_the_release_notes_are_the_same_from_the_database_s_plain_rows(tmp_path):

    from saferhub.sources.mps import CANONICAL_SCHEMA, CrimeCounts

    old = write(tmp_path, GOOD_ROWS, name="old.csv")
    new = write(
        tmp_path,
        [["Burglary", "Domestic Burglary", "Brent", "1", "1", "1"]],
        header=["MajorText", "MinorText", "LookUp_BoroughName", "202302", "202303", "202304"],
        name="new.csv",
    )
    counts = read_mps_files([old, new])
    assert any(n.startswith("Barnet, London Heathrow") for n in counts.notes)
    plain = CrimeCounts(counts.table.cast(CANONICAL_SCHEMA), counts.releases, counts.months)
    assert plain.notes == counts.notes
