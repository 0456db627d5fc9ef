"""Reading IOM cohort, tier history, pathways and custody files."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.errors import InputError
from saferhub.sources.cohort import read_cohort, read_pathways, read_tiers, tiers_from_cohort
from saferhub.sources.custody import read_custody

COHORT_HEADER = "pnc_id,join_date,leave_date,management,tier,gender,ethnicity,date_of_birth\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cohort_file(tmp_path, body: str):
    return write(tmp_path, "iom_cohort.csv", COHORT_HEADER + body)


def test_reads_spells_with_normalised_values(tmp_path):
    table = read_cohort(
        cohort_file(
            tmp_path,
            "A,2023-01-01,,statutory,red,M,White,1990-02-03\nB,2022-01-01,2022-06-30,Non statutory,,F,,\n",
        )
    )
    rows = table.to_pylist()
    assert rows[0]["management"] == "Statutory"
    assert rows[0]["tier"] == "Red"
    assert rows[0]["gender"] == "Male"
    assert rows[0]["leave_date"] is None
    assert rows[1]["management"] == "Non-statutory"
    assert rows[1]["tier"] is None
    assert rows[1]["ethnicity"] == "Not stated"


def test_leave_date_before_join_date_is_an_error(tmp_path):
    with pytest.raises(
        InputError,
        match=r"iom_cohort\.csv, row 2, column 'leave_date': the leave date 31/12/2022 is before the join date 01/01/2023",
    ):
        read_cohort(cohort_file(tmp_path, "A,2023-01-01,2022-12-31,Statutory,Red,M,White,\n"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "A,2022-01-01,2022-12-31,Statutory,,,,\nA,2022-12-31,,Statutory,,,,\n",
            r"row 3, column 'join_date': A joins again on 31/12/2022 but their spell on row 2 ends 31/12/2022",
        ),
        (
            "A,2022-01-01,,Statutory,,,,\nA,2023-01-01,2023-02-01,Statutory,,,,\n",
            r"row 3, column 'join_date': A joins again on 01/01/2023 but their spell on row 2 has no leave date",
        ),
    ],
)
def test_overlapping_memberships_are_an_error_naming_both_rows(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_cohort(cohort_file(tmp_path, body))


def test_consecutive_spells_are_allowed(tmp_path):
    table = read_cohort(
        cohort_file(
            tmp_path, "A,2022-01-01,2022-12-31,Statutory,,,,\nA,2023-01-01,,Statutory,,,,\n"
        )
    )
    assert table.num_rows == 2


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [
        ("A,2023-01-01,,Probation,,,,\n", "management", "'Probation' is not allowed here"),
        ("A,2023-01-01,,Statutory,Purple,,,\n", "tier", "'Purple' is not allowed here"),
        ("A,,,Statutory,,,,\n", "join_date", "'join_date' is empty"),
        ("A,2023-01-01,,Statutory,,,,31/02/1990\n", "date_of_birth", "'31/02/1990' is not a date"),
    ],
)
def test_bad_cohort_values_name_the_column(tmp_path, body, column, message):
    with pytest.raises(InputError, match=f"row 2, column '{column}': {message}"):
        read_cohort(cohort_file(tmp_path, body))


def test_tier_history_must_be_for_cohort_members_and_give_reasons(tmp_path):
    cohort = read_cohort(cohort_file(tmp_path, "A,2023-01-01,,Statutory,Red,,,\n"))
    path = write(
        tmp_path,
        "iom_tiers.csv",
        "pnc_id,tier,from_date,reason\nA,Red,2023-01-01,Selected\nZ,Amber,2023-02-01,Review\nA,Amber,2023-03-01,\n",
    )
    with pytest.raises(InputError) as caught:
        read_tiers(path, cohort)
    text = str(caught.value)
    assert "row 3, column 'pnc_id': Z is not in the IOM cohort file" in text
    assert "row 4, column 'reason': 'reason' is empty" in text


def test_without_a_tier_history_the_recorded_tier_applies_from_joining(tmp_path):
    cohort = read_cohort(
        cohort_file(tmp_path, "A,2023-01-01,,Statutory,Amber,,,\nB,2023-02-01,,Statutory,,,,\n")
    )
    tiers = tiers_from_cohort(cohort).to_pylist()
    assert tiers == [
        {
            "pnc_id": "A",
            "tier": "Amber",
            "from_date": date(2023, 1, 1),
            "reason": "Tier recorded in the cohort file",
        }
    ]


def test_pathway_referrals_are_validated(tmp_path):
    cohort = read_cohort(cohort_file(tmp_path, "A,2023-01-01,,Statutory,Red,,,\n"))
    good = write(
        tmp_path,
        "iom_pathways.csv",
        "pnc_id,pathway,provider,referral_date,outcome,outcome_date\n"
        "A,Accommodation,Housing,2023-02-01,Partially achieved,2023-04-01\n"
        "A,mental health,NHS,2023-02-01,,\n",
    )
    rows = read_pathways(good, cohort).to_pylist()
    assert rows[0]["outcome"] == "partially achieved"
    assert rows[1]["pathway"] == "Mental health"
    bad = write(
        tmp_path,
        "bad.csv",
        "pnc_id,pathway,provider,referral_date,outcome,outcome_date\n"
        "A,Knitting,X,2023-02-01,,\n"
        "A,Accommodation,X,2023-02-01,achieved,\n"
        "A,Accommodation,X,2023-02-01,withdrawn,2023-01-01\n",
    )
    with pytest.raises(InputError) as caught:
        read_pathways(bad, cohort)
    text = str(caught.value)
    assert "row 2, column 'pathway': 'Knitting' is not allowed here" in text
    assert "row 3, column 'outcome_date': the outcome 'achieved' needs the date" in text
    assert (
        "row 4, column 'outcome_date': the outcome date 01/01/2023 is before the referral date"
        in text
    )


CUSTODY_HEADER = "pnc_id,reception_date,release_date,custody_type\n"


def test_custody_spells_are_read(tmp_path):
    path = write(
        tmp_path, "custody.csv", CUSTODY_HEADER + "A,2023-01-01,2023-02-01,remand\nA,2023-02-01,,\n"
    )
    rows = read_custody(path).to_pylist()
    assert rows[1]["custody_type"] == "sentence"
    assert rows[1]["release_date"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "A,2023-02-01,2023-01-01,\n",
            r"row 2, column 'release_date': the release date 01/01/2023 is before the reception date",
        ),
        (
            "A,2023-01-01,2023-03-01,\nA,2023-02-01,2023-04-01,\n",
            r"row 3, column 'reception_date': A is received into custody on 01/02/2023 while still in the spell on row 2",
        ),
        ("A,2023-01-01,,\nA,2024-02-01,,\n", r"row 3, column 'reception_date'"),
        ("A,2023-01-01,,holiday\n", r"row 2, column 'custody_type'"),
    ],
)
def test_bad_custody_spells_are_errors(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_custody(write(tmp_path, "custody.csv", CUSTODY_HEADER + body))
