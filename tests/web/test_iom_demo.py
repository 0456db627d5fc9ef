"""Loading the synthetic IOM extracts into the IOM app: all or nothing."""

from __future__ import annotations

import pytest

from saferhub.demo.iom import load
from saferhub.errors import InputError
from saferhub.synth import iom, offences
from saferhub.synth.partnership import write_extracts
from saferhub.synth.people import generate_people
from saferhub.synth.world import World
from saferhub.web.accounts.models import Programme
from saferhub.web.iom.models import Contact, Membership, Offence, PathwayReferral, TierRecord
from saferhub.web.people.models import Identifier, IdentifierKind, Involvement, Person
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world():
    w = World(seed=5, scale=0.2)
    generate_people(w)
    return w


@pytest.fixture
def extract_dir(world, tmp_path):
    write_extracts({**iom.generate(world), **offences.generate(world)}, tmp_path)
    return tmp_path


def people_in_db(world) -> dict[str, int]:
    made = Person.objects.bulk_create(
        [
            Person(first_name=p.first_name, last_name=p.last_name, gender=p.gender)
            for p in world.people
        ]
    )
    Identifier.objects.bulk_create(
        [
            Identifier(person=person, kind=IdentifierKind.PNC, value=p.pnc_id)
            for p, person in zip(world.people, made, strict=True)
            if p.pnc_id
        ]
    )
    return {p.person_id: person.pk for p, person in zip(world.people, made, strict=True)}


def test_the_extracts_load_the_cohort_and_its_records(world, extract_dir):
    police = AgencyFactory(name="Police", kind="police", programmes=[Programme.IOM.value])
    counts = load(extract_dir, people_in_db(world))
    spells = Membership.objects.count()
    assert counts["iom_spells"] == spells > 0
    assert TierRecord.objects.count() == counts["iom_tier_changes"]
    assert Contact.objects.count() == counts["iom_contacts"] > 0
    assert PathwayReferral.objects.count() == counts["iom_referrals"]
    assert Offence.objects.count() == counts["offences"]
    # Every member can be seen by the IOM agencies, and only while on the programme.
    assert Involvement.objects.filter(agency=police, reason="IOM cohort member").count() == spells
    current = Membership.objects.filter(leave_date__isnull=True).count()
    assert current == world.scaled(86)


def test_a_bad_row_loads_nothing(world, extract_dir):
    path = extract_dir / "iom_cohort.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("management")] = "Probation"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"iom_cohort\.csv, row 2, column 'management'"):
        load(extract_dir, people_in_db(world))
    assert not Membership.objects.exists()
