"""Finding: the IOM selection list showed PNC IDs and offence histories of people the
viewer's agency had no link to, and the audit said only "viewed the selection list (30
people)", so a search of the audit by person missed the disclosure.

Now every listing names only people the viewer may see, counts the rest, and writes one
audit event whose subjects are every person shown, found by the audit page's person filter.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saferhub.web.accounts.models import Programme, Role
from saferhub.web.audit.models import AuditEvent, AuditSubject
from saferhub.web.people.access import today
from tests.factories import (
    AgencyFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories_iom import MembershipFactory, OffenceFactory, TierRecordFactory
from tests.factories_panels import (
    ListingFactory,
    MeetingFactory,
    MemberAgencyFactory,
    PerpetratorFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


def subjects_of(event) -> set[int]:
    return set(AuditSubject.objects.filter(event=event).values_list("person_id", flat=True))


def audit_page_finds(client, person_id: int, event) -> bool:
    client.force_login(UserFactory(role="administrator", agency=None, username="auditor"))
    page = client.get(reverse("audit:log"), {"person": person_id})
    return event in page.context["page"].object_list


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind="police", programmes=[Programme.IOM.value])


@pytest.fixture
def candidates(police):
    """Three high scorers: one the police work with, one they do not, one with no record."""
    day = today()
    seen = PersonFactory(first_name="Known", last_name="Candidate")
    IdentifierFactory(person=seen, value="18/000777C")
    InvolvementFactory(person=seen, agency=police)
    unseen = PersonFactory(first_name="Hidden", last_name="Stranger")
    IdentifierFactory(person=unseen, value="18/000888D")
    OffenceFactory(pnc_id="18/000777C", offence_date=day - timedelta(days=20))
    OffenceFactory(
        pnc_id="18/000888D", offence_date=day - timedelta(days=20), offence_group="robbery_personal"
    )
    OffenceFactory(
        pnc_id="18/000999E", offence_date=day - timedelta(days=30), offence_group="shoplifting"
    )
    return seen, unseen


def test_selection_list_names_no_one_the_agency_cannot_see(client, police, candidates):
    seen, unseen = candidates
    client.force_login(UserFactory(agency=police, role=Role.ANALYST, username="analyst"))
    text = client.get(reverse("iom:selection")).content.decode()
    assert "CANDIDATE" in text and "18/000777C" in text
    for leak in ("STRANGER", "Stranger", "18/000888D", "18/000999E", "Robbery", "Shoplifting"):
        assert leak not in text
    assert "2 more people not shown: your agency has no current involvement" in text
    event = AuditEvent.objects.filter(username="analyst").latest("id")
    assert subjects_of(event) == {seen.pk} and unseen.pk not in event.detail["person_ids"]
    assert event.detail["person_ids"] == [seen.pk]
    assert audit_page_finds(client, seen.pk, event)


def test_cohort_and_deselection_review_name_only_visible_members(client, police):
    day = today()
    mine = MembershipFactory(
        join_date=day - timedelta(days=800), pnc_id="17/000001D", person__last_name="Mine"
    )
    theirs = MembershipFactory(
        join_date=day - timedelta(days=800), pnc_id="17/000002E", person__last_name="Theirs"
    )
    for m in (mine, theirs):
        TierRecordFactory(membership=m, tier="Green", from_date=day)
        OffenceFactory(pnc_id=m.pnc_id, offence_date=day - timedelta(days=700))
    InvolvementFactory(person=mine.person, agency=police)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR, username="coord"))
    for route in ("iom:cohort", "iom:deselection"):
        text = client.get(reverse(route)).content.decode()
        assert "MINE" in text.upper()
        assert "THEIRS" not in text.upper() and "17/000002E" not in text
        assert "1 more person not shown" in text
        event = AuditEvent.objects.filter(username="coord").latest("id")
        assert subjects_of(event) == {mine.person_id}
        assert audit_page_finds(client, mine.person_id, event)
        client.force_login(UserFactory(agency=police, role=Role.COORDINATOR, username="coord"))


def test_people_search_names_every_result_in_one_event(client, police):
    found = PersonFactory(last_name="Okafor")
    InvolvementFactory(person=found, agency=police)
    PersonFactory(last_name="Okafor")  # not involved: neither shown nor counted
    client.force_login(UserFactory(agency=police, username="searcher"))
    text = client.get(reverse("people:search"), {"q": "Okafor"}).content.decode()
    assert "1 person found" in text and "not shown" not in text
    event = AuditEvent.objects.get(username="searcher", action="search")
    assert subjects_of(event) == {found.pk}
    assert audit_page_finds(client, found.pk, event)


@pytest.fixture
def marac(settings):
    settings.GRANT_PROGRAMME_GRACE_DAYS = 28
    council = MemberAgencyFactory(name="Council")
    meeting = MeetingFactory(date=today() - timedelta(days=60))
    open_case = ListingFactory(
        meeting=meeting, case__referring_agency=council, case__victim__last_name="Current"
    ).case
    old_case = ListingFactory(
        meeting=meeting,
        case__referring_agency=council,
        case__status="closed",
        case__victim__last_name="Longgone",
    ).case
    type(old_case).objects.filter(pk=old_case.pk).update(closed_on=today() - timedelta(days=40))
    perpetrator = PerpetratorFactory(case=open_case, person__last_name="Presentabuser")
    PerpetratorFactory(case=old_case, person__last_name="Oldabuser")
    return council, meeting, open_case, old_case, perpetrator


def test_marac_case_list_counts_cases_closed_beyond_the_grace(client, marac):
    council, _, open_case, old_case, _ = marac
    client.force_login(UserFactory(agency=council, role=Role.VIEWER, username="reader"))
    text = client.get(reverse("panels:cases")).content.decode()
    assert "CURRENT" in text
    assert "LONGGONE" not in text and old_case.reference not in text
    assert "1 more person not shown" in text
    event = AuditEvent.objects.filter(username="reader").latest("id")
    assert subjects_of(event) == {open_case.victim_id}
    assert audit_page_finds(client, open_case.victim_id, event)


def test_agenda_and_its_export_name_only_cases_in_sight(client, marac):
    council, meeting, open_case, old_case, perpetrator = marac
    client.force_login(UserFactory(agency=council, role=Role.VIEWER, username="reader"))
    text = client.get(reverse("panels:meeting", args=[meeting.pk])).content.decode()
    assert "CURRENT" in text and "Presentabuser" in text
    assert "LONGGONE" not in text and "Oldabuser" not in text
    assert "1 more person not shown" in text
    event = AuditEvent.objects.filter(username="reader").latest("id")
    assert subjects_of(event) == {open_case.victim_id, perpetrator.person_id}

    response = client.get(reverse("panels:agenda-export", args=[meeting.pk]))
    cells = [
        str(c) for row in load_workbook(io.BytesIO(response.content)).active.values for c in row
    ]
    assert any("Current" in c for c in cells)
    assert not any("Longgone" in c or "Oldabuser" in c or old_case.reference in c for c in cells)
    event = AuditEvent.objects.filter(username="reader", action="export").latest("id")
    assert subjects_of(event) == {open_case.victim_id, perpetrator.person_id}
    assert audit_page_finds(client, perpetrator.person_id, event)
