"""The synthetic ASB extract, generated as of today, loads through the app's own services."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.utils import timezone

from saferhub.demo.asb import load
from saferhub.synth.asb import generate
from saferhub.synth.people import AGENCIES, generate_people, people_rows
from saferhub.synth.world import World
from saferhub.web.accounts.models import Agency
from saferhub.web.asb.models import AsbCase, Incident, Review, ReviewStatus, ToolUse
from saferhub.web.asb.privacy import visible_cases
from saferhub.web.people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def extracts():
    world = World(seed=5, scale=0.2, as_of=timezone.localdate())
    generate_people(world)
    out = generate(world)
    out["people.csv"] = people_rows(world.people) + out["people.csv"]
    return out


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_same_seed_gives_the_same_extract(extracts):
    world = World(seed=5, scale=0.2, as_of=timezone.localdate())
    generate_people(world)
    assert generate(world)["asb_incidents.csv"] == extracts["asb_incidents.csv"]


def test_the_demo_loads_cases_reviews_and_tool_uses_as_of_today(extracts, tmp_path):
    for name, kind, programmes in AGENCIES:
        Agency.objects.create(name=name, kind=kind, programmes=programmes)
    people = {
        r["person_id"]: Person.objects.create(
            first_name=r["first_name"], last_name=r["last_name"]
        ).pk
        for r in extracts["people.csv"]
    }
    for name, rows in extracts.items():
        if name.startswith("asb_") and rows:
            _write(tmp_path, name, rows)
    counts = load(tmp_path, people)
    assert counts["ASB cases"] == AsbCase.objects.count() == len(extracts["asb_cases.csv"])
    assert Incident.objects.count() == len(extracts["asb_incidents.csv"])
    assert ToolUse.objects.count() == len(extracts["asb_tool_uses.csv"]) > 0
    assert all(c.reference == f"ASB{c.pk:06d}" for c in AsbCase.objects.all())
    # The threshold is decided by the rule: most requests meet it, and one review is overdue.
    assert Review.objects.filter(threshold_met=True).exists()
    assert Review.objects.filter(status=ReviewStatus.COMPLETED).exclude(letter="").exists()
    today = timezone.localdate()
    assert Review.objects.filter(status=ReviewStatus.IN_REVIEW, due_on__lt=today).exists()
    # The housing provider sees only the cases it works.
    housing = Agency.objects.get(name="Barnet Homes")
    officer = UserFactory(username="housing.asb", role="practitioner", agency=housing)
    seen = visible_cases(officer)
    assert 0 < seen.count() < AsbCase.objects.count()
    assert not seen.exclude(agencies__agency=housing).exists()
