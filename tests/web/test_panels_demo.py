"""Loading the synthetic MARAC extract: all-or-nothing, with errors naming file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from saferhub.demo.panels import check_actions, check_cases, load
from saferhub.errors import InputError
from saferhub.synth.marac import generate
from saferhub.synth.people import generate_people, people_rows
from saferhub.synth.world import World
from saferhub.web.panels.models import Action, Case, Meeting
from saferhub.web.people.models import Person
from tests.factories_panels import MemberAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def extracts():
    world = World(seed=11, scale=0.1)
    generate_people(world)
    out = generate(world)
    out["people.csv"] = people_rows(world.people) + out["people.csv"]
    return out


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: str(v) for k, v in row.items()} for row in rows)


def test_the_extract_loads_cases_meetings_and_actions(extracts, tmp_path):
    for kind in ("police", "voluntary", "housing", "community_safety"):
        MemberAgencyFactory(name=f"Member {kind}", kind=kind)
    used = {c["victim_id"] for c in extracts["marac_cases.csv"]}
    used |= {p for c in extracts["marac_cases.csv"] for p in c["perpetrator_ids"].split(";")}
    people = {
        r["person_id"]: Person.objects.create(
            first_name=r["first_name"], last_name=r["last_name"], gender=r["gender"]
        ).pk
        for r in extracts["people.csv"]
        if r["person_id"] in used
    }
    _write(tmp_path, "marac_cases.csv", extracts["marac_cases.csv"])
    _write(tmp_path, "marac_actions.csv", extracts["marac_actions.csv"])
    counts = load(tmp_path, people)
    assert counts["marac_cases"] == Case.objects.count() == len(extracts["marac_cases.csv"])
    assert counts["marac_actions"] == Action.objects.count()
    assert Meeting.objects.count() == counts["marac_meetings"]
    heard = Case.objects.exclude(heard_date=None)
    assert heard.exists()
    assert all(c.reference == f"M{c.pk:06d}" for c in Case.objects.all())
    repeats = Case.objects.filter(is_repeat=True)
    assert all(c.previous_case is not None for c in repeats)


def test_bad_case_rows_are_all_reported_with_row_and_column(extracts):
    rows = [dict(r) for r in extracts["marac_cases.csv"][:3]]
    rows[0]["victim_id"] = "V999999"
    rows[1]["referral_date"] = "2023-09-31"
    rows[2]["perpetrator_ids"] = rows[2]["victim_id"]
    people = {r["person_id"]: 1 for r in extracts["people.csv"]}
    with pytest.raises(InputError) as caught:
        check_cases(rows, people)
    text = str(caught.value)
    assert "marac_cases.csv, row 2, column 'victim_id': V999999 is not in people.csv." in text
    assert "row 3, column 'referral_date': '2023-09-31' is not a date. Write dates as" in text
    assert "row 4, column 'perpetrator_ids': the victim is also listed as a perpetrator." in text


def test_bad_action_rows_are_reported(extracts):
    rows = [dict(extracts["marac_actions.csv"][0])]
    rows[0]["status"] = "late"
    rows[0]["case_id"] = "M999999"
    with pytest.raises(
        InputError, match=r"row 2, column 'case_id'.*\n.*'late' must be open or done"
    ):
        check_actions(rows, {"M000001"})


def test_the_demo_s_stored_repeat_flags_all_agree_with_the_repeat_rule(extracts, tmp_path):
    from datetime import date

    from saferhub.app.marac import referral_history
    from saferhub.measures.marac import check_repeat_flags

    for kind in ("police", "voluntary", "housing", "community_safety"):
        MemberAgencyFactory(name=f"Member {kind}", kind=kind)
    people = {
        r["person_id"]: Person.objects.create(
            first_name=r["first_name"], last_name=r["last_name"], gender=r["gender"]
        ).pk
        for r in extracts["people.csv"]
    }
    _write(tmp_path, "marac_cases.csv", extracts["marac_cases.csv"])
    _write(tmp_path, "marac_actions.csv", extracts["marac_actions.csv"])
    load(tmp_path, people)
    history = referral_history(date(2000, 1, 1), date(2100, 1, 1))
    check = check_repeat_flags(history)
    assert check.checked == len(history) > 0
    assert any(r.is_repeat for r in history)
    assert check.agrees, [d.text for d in check.disagreements[:3]]
