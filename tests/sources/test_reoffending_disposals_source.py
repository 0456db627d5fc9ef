"""Reading disposals for proven reoffending."""

from __future__ import annotations

import pytest

from saferhub.errors import InputError
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import read_offences

HEADER = "disposal_id,pnc_id,disposal_date,disposal_type,offence_id\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_disposals_of_every_type(tmp_path):
    path = write(
        tmp_path,
        "disposals.csv",
        HEADER
        + "D1,A,2023-01-01,caution,O1\nD2,A,2023-02-01,Conviction non-custodial,O2\n"
        + "D3,A,2023-03-01,conviction_custodial,O3\nD4,A,2023-09-01,release from custody,\n",
    )
    types = read_disposals(path).column("disposal_type").to_pylist()
    assert types == [
        "caution",
        "conviction_non_custodial",
        "conviction_custodial",
        "release_from_custody",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("D1,A,2023-01-01,fine,O1\n", r"row 2, column 'disposal_type': 'fine' is not allowed here"),
        (
            "D1,A,2023-01-01,caution,\n",
            r"row 2, column 'offence_id': a caution needs the offence_id",
        ),
        (
            "D1,A,2023-01-01,caution,O1\nD1,A,2023-01-02,caution,O1\n",
            r"row 3, column 'disposal_id': 'D1' is already used on row 2",
        ),
    ],
)
def test_bad_disposals_are_errors(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_disposals(write(tmp_path, "disposals.csv", HEADER + body))


def test_disposals_must_name_offences_in_the_extract_for_the_same_person(tmp_path):
    offences = read_offences(
        write(
            tmp_path,
            "offences.csv",
            "offence_id,pnc_id,offence_date,offence_code\nO1,A,2022-12-01,8N\n",
        )
    )
    path = write(
        tmp_path,
        "disposals.csv",
        HEADER + "D1,B,2023-01-01,caution,O1\nD2,A,2023-01-01,caution,O9\n",
    )
    with pytest.raises(InputError) as caught:
        read_disposals(path, offences)
    text = str(caught.value)
    assert (
        "row 2, column 'offence_id': offence 'O1' belongs to A in the offences extract, not B"
        in text
    )
    assert "row 3, column 'offence_id': offence 'O9' is not in the offences extract" in text
