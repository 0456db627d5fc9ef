"""The caseload extract reader: valid extracts in CSV and XLSX, and every kind of bad one.

A bad extract raises InputError naming the file, the row as a spreadsheet shows it and
the column, and nothing is imported (the reader returns no caseload at all).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tests.measures.needs_rows import COLUMNS, person, write_csv, write_xlsx

from saferhub.errors import InputError
from saferhub.sources.caseload import read_caseload


def _people():
    return [
        person("X000001", needs=("ete", "attitudes"), registrations=("mappa",)),
        person("X000002", setting="custody", gender="Female", ethnicity="Black or Black British"),
        person("X000003", setting="omic", assessment_date=None, ethnicity="Not stated"),
    ]


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_a_valid_csv_extract_becomes_one_row_per_person(tmp_path):
    caseload = read_caseload(write_csv(tmp_path / "caseload.csv", _people()))
    rows = {r["crn"]: r for r in caseload.table.to_pyarrow().to_pylist()}
    assert caseload.people == 3 and caseload.source == "caseload.csv"
    assert rows["X000001"]["need_ete"] is True and rows["X000001"]["need_finance"] is False
    assert rows["X000001"]["reg_mappa"] is True and rows["X000002"]["reg_mappa"] is False
    assert rows["X000002"]["ethnicity"] == "Black or Black British"
    assert rows["X000003"]["assessment_date"] is None
    assert rows["X000003"]["need_ete"] is None  # not assessed
    assert rows["X000003"]["ethnicity"] == "No Data"


def test_the_as_of_date_defaults_to_the_latest_assessment_and_gives_ages(tmp_path):
    rows = _people()
    rows[1]["assessment_date"] = "2021-10-15"
    rows[0]["date_of_birth"] = "2000-10-16"  # a day short of 21 on 15 October 2021
    caseload = read_caseload(write_csv(tmp_path / "caseload.csv", rows))
    assert (caseload.as_of, caseload.as_of_given) == (date(2021, 10, 15), False)
    ages = {r["crn"]: r["age"] for r in caseload.table.to_pyarrow().to_pylist()}
    assert ages["X000001"] == 20


def test_a_given_as_of_date_is_used_for_ages(tmp_path):
    caseload = read_caseload(write_csv(tmp_path / "c.csv", _people()), as_of=date(2030, 6, 15))
    assert caseload.as_of_given
    assert {r["age"] for r in caseload.table.to_pyarrow().to_pylist()} == {40}


def test_an_extract_with_ages_instead_of_dates_of_birth_is_accepted(tmp_path):
    rows = [dict(r, age="34") for r in _people()]
    columns = [c if c != "date_of_birth" else "age" for c in COLUMNS]
    caseload = read_caseload(write_csv(tmp_path / "ages.csv", rows, columns))
    assert {r["age"] for r in caseload.table.to_pyarrow().to_pylist()} == {34}


def test_codes_are_read_whatever_their_case_and_spacing(tmp_path):
    row = person("x000004", needs=("ete",))
    row.update(
        setting=" Community ", gender="f", need_ete="YES", need_finance="N", reg_iom=" no ",
        ethnicity="Asian, Asian British or Asian Welsh:  Indian", tier=" c1",
    )  # fmt: skip
    table = read_caseload(write_csv(tmp_path / "c.csv", [row])).table.to_pyarrow().to_pylist()
    assert table[0]["crn"] == "X000004" and table[0]["gender"] == "Female"
    assert table[0]["ethnicity"] == "Asian or Asian British" and table[0]["tier"] == "C1"
    assert (table[0]["need_ete"], table[0]["need_finance"]) == (True, False)


def test_an_xlsx_extract_reads_like_the_csv_one(tmp_path):
    rows = _people()
    rows[0]["date_of_birth"] = datetime(1990, 6, 15)  # Excel hands over real dates
    caseload = read_caseload(write_xlsx(tmp_path / "caseload.xlsx", rows))
    from_csv = read_caseload(write_csv(tmp_path / "caseload.csv", _people()))
    assert caseload.table.to_pyarrow().equals(from_csv.table.to_pyarrow())


def test_blank_lines_do_not_shift_the_row_numbers_in_messages(tmp_path):
    path = write_csv(tmp_path / "blank.csv", _people())
    lines = path.read_text().splitlines()
    lines.insert(2, "")  # a blank line after the first person
    lines[3] = lines[3].replace("custody", "prison", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as excinfo:
        read_caseload(path)
    assert _problems(excinfo) == [
        "blank.csv, row 4, column 'setting': 'prison' is not a setting; use community, custody "
        "(8 months or less to serve) or omic (custody with more than 8 months to serve)."
    ]


def _break(rows, column, value, index=1):
    rows[index][column] = value
    return rows


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda rows: _break(rows, "need_ete", "maybe"),
            "row 3, column 'need_ete': 'maybe' is not a need value; use yes, no or not assessed.",
        ),
        (
            lambda rows: _break(rows, "crn", "X000001"),
            "row 3, column 'crn': X000001 is also on row 2; list each person once.",
        ),
        (
            lambda rows: _break(rows, "date_of_birth", "2031-01-01"),
            "row 3, column 'date_of_birth': '2031-01-01' is after the as-of date, 2021-09-01: "
            "a date of birth cannot be in the future.",
        ),
        (
            lambda rows: _break(rows, "date_of_birth", "2015-01-01"),
            "row 3, column 'date_of_birth': '2015-01-01' gives an age outside 10 to 110 on "
            "2021-09-01, which is not possible on a probation caseload.",
        ),
        (
            lambda rows: _break(rows, "date_of_birth", "01/01/1900"),
            "row 3, column 'date_of_birth': '01/01/1900' gives an age outside 10 to 110",
        ),
        (
            lambda rows: _break(rows, "date_of_birth", "31/02/1990"),
            "row 3, column 'date_of_birth': '31/02/1990' is not a date",
        ),
        (
            lambda rows: _break(rows, "ethnicity", "Martian"),
            "row 3, column 'ethnicity': 'Martian' is not a recognised ethnicity",
        ),
        (
            lambda rows: _break(rows, "gender", "unknown"),
            "row 3, column 'gender': 'unknown' is not a gender",
        ),
        (
            lambda rows: _break(rows, "crn", "12345"),
            "row 3, column 'crn': '12345' is not a CRN",
        ),
        (
            lambda rows: _break(rows, "reg_weapons", ""),
            "row 3, column 'reg_weapons': is empty; give yes or no.",
        ),
        (
            lambda rows: _break(rows, "tier", "E9"),
            "row 3, column 'tier': 'E9' is not a tier",
        ),
        (
            lambda rows: _break(rows, "sentence_type", "community_order"),
            "row 3, column 'sentence_type': 'community_order' is not a custodial sentence, "
            "but the setting is custody.",
        ),
        (
            lambda rows: _break(rows, "need_ete", "yes", index=2),
            "row 4, column 'need_ete': is 'yes' but the row has no assessment_date",
        ),
        (
            lambda rows: _break(rows, "need_ete", "not assessed", index=0),
            "row 2, column 'need_ete': is not assessed, but the row has an assessment_date",
        ),
        (
            lambda rows: _break(rows, "assessment_date", "2021-13-01"),
            "row 3, column 'assessment_date': '2021-13-01' is not a date",
        ),
    ],
    ids=[
        "unknown need value",
        "duplicated CRN",
        "date of birth in the future",
        "age under 10",
        "age over 110",
        "no such date",
        "unknown ethnicity",
        "unknown gender",
        "malformed CRN",
        "blank registration",
        "unknown tier",
        "community order in custody",
        "need without an assessment",
        "assessed but a need not assessed",
        "impossible assessment date",
    ],
)
def test_a_bad_value_is_reported_by_file_row_and_column_and_nothing_is_imported(
    tmp_path, change, expected
):
    path = write_csv(tmp_path / "bad.csv", change(_people()))
    with pytest.raises(InputError, match="Fix the file") as excinfo:
        read_caseload(path)
    problems = _problems(excinfo)
    assert len(problems) == 1, problems
    assert problems[0].startswith("bad.csv, " + expected)


def test_a_missing_column_is_named_before_any_row_is_read(tmp_path):
    columns = [c for c in COLUMNS if c != "need_attitudes"]
    with pytest.raises(InputError) as excinfo:
        read_caseload(write_csv(tmp_path / "short.csv", _people(), columns))
    assert _problems(excinfo) == [
        "short.csv, row 1, column 'need_attitudes': the column is missing. See "
        "docs/formats/caseload-extract.md for the columns and the values they take."
    ]


def test_an_extract_without_dates_of_birth_or_ages_is_refused(tmp_path):
    columns = [c for c in COLUMNS if c != "date_of_birth"]
    with pytest.raises(InputError, match="needs date_of_birth or age"):
        read_caseload(write_csv(tmp_path / "no_ages.csv", _people(), columns))


def test_an_unknown_column_is_reported_not_ignored(tmp_path):
    rows = [dict(r, name="Someone") for r in _people()]
    with pytest.raises(InputError, match="column 'name': is not a column of the caseload"):
        read_caseload(write_csv(tmp_path / "extra.csv", rows, [*COLUMNS, "name"]))


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    rows = _people()
    rows[0]["gender"] = "?"
    rows[2]["tier"] = "Z9"
    with pytest.raises(InputError) as excinfo:
        read_caseload(write_csv(tmp_path / "two.csv", rows))
    assert [p.row for p in excinfo.value.problems] == [2, 4]


def test_a_row_with_too_few_values_is_named(tmp_path):
    path = write_csv(tmp_path / "ragged.csv", _people())
    lines = path.read_text().splitlines()
    lines[2] = "X000002,custody"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"ragged.csv, row 3: has 2 values but the header has"):
        read_caseload(path)


def test_without_assessment_dates_the_as_of_date_must_be_given(tmp_path):
    rows = [person(f"X00000{i}", assessment_date=None) for i in range(1, 3)]
    path = write_csv(tmp_path / "none.csv", rows)
    with pytest.raises(InputError, match="no assessment dates to take the as-of date from"):
        read_caseload(path)
    assert read_caseload(path, as_of=date(2021, 10, 15)).people == 2


def test_an_assessment_after_the_given_as_of_date_is_an_error(tmp_path):
    path = write_csv(tmp_path / "late.csv", _people())
    with pytest.raises(InputError, match="'2021-09-01' is after the as-of date, 2021-08-01"):
        read_caseload(path, as_of=date(2021, 8, 1))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("caseload.txt", "crn\n", "is a '.txt' file"),
        ("empty.csv", "", "is empty: it has no header row"),
        ("header_only.csv", ",".join(COLUMNS) + "\n", "has a header row but no people"),
        ("broken.xlsx", "not a workbook", "cannot be opened as an Excel workbook"),
    ],
)
def test_files_that_are_not_extracts_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_caseload(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="there is no file at"):
        read_caseload(tmp_path / "nowhere.csv")


def test_an_xlsx_problem_names_the_spreadsheet_row(tmp_path):
    rows = _people()
    rows[2]["need_ete"] = "maybe"
    path = write_xlsx(tmp_path / "caseload.xlsx", rows)
    with pytest.raises(InputError, match=r"caseload.xlsx, row 4, column 'need_ete': 'maybe'"):
        read_caseload(path)


def test_a_csv_saved_by_excel_in_windows_1252_is_decoded(tmp_path):
    rows = _people()
    rows[1]["gender"] = "Féminin"
    path = tmp_path / "excel.csv"
    text = write_csv(tmp_path / "utf8.csv", rows).read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputError, match="row 3, column 'gender': 'Féminin' is not a gender"):
        read_caseload(path)


def test_a_repeated_crn_is_found_even_when_another_crn_is_malformed(tmp_path):
    rows = [*_people(), person("X000001"), person("bad crn")]
    with pytest.raises(InputError) as excinfo:
        read_caseload(write_csv(tmp_path / "both.csv", rows))
    assert [(p.row, p.message[:22]) for p in excinfo.value.problems] == [
        (5, "X000001 is also on row"),
        (6, "'bad crn' is not a CRN"),
    ]
