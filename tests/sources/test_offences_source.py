"""Reading the police offences extract: validated at the edge, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.errors import InputError
from saferhub.sources.offences import offence_catalogue, read_offences

HEADER = "offence_id,pnc_id,offence_date,offence_code\n"


def write(tmp_path, body: str, name: str = "offences.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_reads_offences_and_maps_codes_to_groups(tmp_path):
    table = read_offences(
        write(tmp_path, "O1,2019/123A,2023-01-05,28e\nO2,2019/123A,06/02/2023,8N\n")
    )
    rows = table.to_pylist()
    assert [r["offence_group"] for r in rows] == ["burglary_residential", "violence_with_injury"]
    assert rows[0]["offence_code"] == "28E"
    assert rows[1]["offence_date"] == date(2023, 2, 6)


def test_unknown_offence_code_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "O1,A,2023-01-05,28E\nO2,A,2023-01-06,XYZ\n")
    with pytest.raises(
        InputError,
        match=r"offences\.csv, row 3, column 'offence_code': 'XYZ' is not a Home Office offence code",
    ):
        read_offences(path)


def test_every_problem_is_reported_in_one_pass_and_nothing_is_read(tmp_path):
    path = write(tmp_path, "O1,A,2023-13-05,28E\nO1,,2023-01-06,8N\nO3,B,2023-01-07,\n")
    with pytest.raises(InputError) as caught:
        read_offences(path)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 4
    assert "row 2, column 'offence_date': '2023-13-05' is not a date" in messages[0]
    assert any("row 3, column 'pnc_id'" in m for m in messages)
    assert any("row 3, column 'offence_id': 'O1' is already used on row 2" in m for m in messages)
    assert any("row 4, column 'offence_code'" in m for m in messages)
    assert "nothing was imported" in str(caught.value)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "offences.csv"
    path.write_text("offence_id,pnc_id,date,offence_code\nO1,A,2023-01-01,8N\n", encoding="utf-8")
    with pytest.raises(InputError, match="the column 'offence_date' is missing"):
        read_offences(path)


def test_catalogue_groups_each_have_a_family_and_every_code_a_known_group():
    catalogue = offence_catalogue()
    assert set(group for _, group in catalogue.codes.values()) <= set(catalogue.groups)
    neighbourhood = {k for k, g in catalogue.groups.items() if g.neighbourhood_crime}
    assert {
        "burglary_residential",
        "robbery_personal",
        "theft_from_person",
        "theft_of_vehicle",
    } <= neighbourhood
    assert "Violence" in catalogue.family_order()
