"""The person record's whole picture: each event, relation and note only for those who may
see it, warnings at the top, filters, and one audit event naming everyone shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.models import Note
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    InvolvementFactory,
    NoteFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories_iom import ContactFactory, MembershipFactory, TierRecordFactory
from tests.factories_panels import (
    ActionFactory,
    CaseFactory,
    ListingFactory,
    MeetingFactory,
    PerpetratorFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    """A perpetrator known to police (MARAC and IOM), probation (IOM only), housing (neither)
    and an IDVA service (MARAC only); his victim is known to the police alone."""
    police = AgencyFactory(name="Police", kind=AgencyKind.POLICE, programmes=["da_marac", "iom"])
    probation = AgencyFactory(name="Probation", kind=AgencyKind.PROBATION, programmes=["iom"])
    housing = AgencyFactory(name="Housing", kind=AgencyKind.HOUSING, programmes=[])
    idva = AgencyFactory(name="IDVA service", kind=AgencyKind.VOLUNTARY, programmes=["da_marac"])
    dean = PersonFactory(first_name="Dean", last_name="Harlow")
    vicky = PersonFactory(first_name="Vicky", last_name="Stone", gender="F")
    for agency in (police, probation, housing, idva):
        InvolvementFactory(person=dean, agency=agency)
    InvolvementFactory(person=vicky, agency=police)
    case = CaseFactory(
        victim=vicky,
        referring_agency=police,
        referral_date=TODAY - timedelta(days=30),
        status="actions",
        reference="M000777",
    )
    PerpetratorFactory(case=case, person=dean)
    ListingFactory(case=case, meeting=MeetingFactory(date=TODAY - timedelta(days=20)))
    ActionFactory(case=case, owner_agency=police, due_date=TODAY - timedelta(days=2))
    spell = MembershipFactory(person=dean, join_date=TODAY - timedelta(days=100))
    TierRecordFactory(membership=spell, tier="Red", from_date=spell.join_date)
    ContactFactory(membership=spell, agency=probation, contact_date=TODAY - timedelta(days=5))
    NoteFactory(person=dean, agency=housing, text="Housing-only note", visibility="agency")
    NoteFactory(person=dean, agency=police, text="Police note for all", visibility="partnership")
    FlagFactory(person=dean, kind="weapons", start=TODAY - timedelta(days=300))
    return locals()


def _open(client, viewer_agency, person, role=Role.PRACTITIONER, **params):
    client.force_login(UserFactory(agency=viewer_agency, role=role))
    response = client.get(f"/people/{person.pk}/", params)
    assert response.status_code == 200
    return response


def _programmes(response) -> set[str]:
    return {e.programme for e in response.context["events"]}


def test_an_agency_in_marac_and_iom_sees_every_programme_and_the_victim(client, world):
    response = _open(client, world["police"], world["dean"])
    assert _programmes(response) == {"record", "da_marac", "iom"}
    page = response.content.decode()
    assert "Referred to MARAC as perpetrator (intimate partner): case M000777" in page
    assert "IOM tier: Red" in page
    assert "IOM contact (face to face): attended" in page
    assert "Vicky STONE" in page
    assert "MARAC perpetrator: a victim is at high risk of harm" in page
    assert "In the IOM cohort (tier Red)" in page
    assert "Weapons marker" in page


def test_an_iom_only_agency_sees_no_marac_event_and_not_the_victim(client, world):
    response = _open(client, world["probation"], world["dean"])
    assert _programmes(response) == {"record", "iom"}
    page = response.content.decode()
    assert "M000777" not in page
    assert "Vicky" not in page
    assert "MARAC perpetrator" not in page


def test_an_agency_in_no_programme_sees_only_the_record_events(client, world):
    response = _open(client, world["housing"], world["dean"])
    assert _programmes(response) == {"record"}
    page = response.content.decode()
    assert "IOM" not in {e.programme_label for e in response.context["events"]}
    assert "Vicky" not in page


def test_a_marac_agency_not_involved_with_the_victim_sees_the_case_but_never_names_her(
    client, world
):
    response = _open(client, world["idva"], world["dean"])
    assert _programmes(response) == {"record", "da_marac"}
    assert response.context["picture"].related == []
    page = response.content.decode()
    assert "M000777" in page
    assert "Vicky" not in page and "STONE" not in page


def test_the_victims_record_warns_not_to_disclose_her_address(client, world):
    response = _open(client, world["police"], world["vicky"])
    page = response.content.decode()
    assert "MARAC victim: do not disclose their address or whereabouts" in page
    assert "Dean HARLOW" in page


def test_a_case_closed_past_the_grace_period_drops_off_the_chronology(client, world):
    case = world["case"]
    grace = settings.GRANT_PROGRAMME_GRACE_DAYS
    type(case).objects.filter(pk=case.pk).update(
        status="closed", closed_on=TODAY - timedelta(days=grace + 1)
    )
    response = _open(client, world["police"], world["dean"])
    assert "da_marac" not in _programmes(response)
    assert "Vicky" not in response.content.decode().split('id="related"')[1].split("</ul>")[0]


def test_agency_notes_show_only_to_their_agency_and_partnership_notes_to_all(client, world):
    housing_page = _open(client, world["housing"], world["dean"]).content.decode()
    assert "Housing-only note" in housing_page
    assert "Police note for all" in housing_page
    police_page = _open(client, world["police"], world["dean"]).content.decode()
    assert "Housing-only note" not in police_page
    assert "Police note for all" in police_page


def test_filter_by_programme_and_agency(client, world):
    response = _open(client, world["police"], world["dean"], programme="iom")
    assert _programmes(response) == {"iom"}
    response = _open(client, world["police"], world["dean"], agency=world["probation"].pk)
    events = response.context["events"]
    assert events and {e.agency_id for e in events} == {world["probation"].pk}


def test_an_unknown_filter_is_ignored_not_an_error(client, world):
    response = _open(client, world["police"], world["dean"], programme="nope", agency="x")
    assert _programmes(response) == {"record", "da_marac", "iom"}


def test_one_audit_event_names_the_person_and_every_related_person_shown(client, world):
    _open(client, world["police"], world["dean"])
    event = AuditEvent.objects.filter(action="view", object_type="people.Person").first()
    assert event.person_id == world["dean"].pk
    assert event.detail["person_ids"] == sorted([world["dean"].pk, world["vicky"].pk])
    # The event's own person is its person_id; the subjects name the others it showed.
    assert set(event.subjects.values_list("person_id", flat=True)) == {world["vicky"].pk}
    from saferhub.web.people.sar import audit_trail

    for person in (world["dean"], world["vicky"]):
        assert event in audit_trail(person.pk), "a search by either person finds the view"


def test_a_related_person_not_shown_is_not_named_in_the_audit(client, world):
    _open(client, world["idva"], world["dean"])
    event = AuditEvent.objects.filter(action="view", object_type="people.Person").first()
    assert event.detail["person_ids"] == [world["dean"].pk]


def test_each_event_links_to_its_case(client, world):
    response = _open(client, world["police"], world["dean"])
    marac = [e for e in response.context["events"] if e.programme == "da_marac"]
    assert marac and {e.url for e in marac} == {f"/marac/cases/{world['case'].pk}/"}


def test_a_practitioner_adds_a_note_for_the_partnership(client, world):
    client.force_login(UserFactory(agency=world["probation"], role=Role.PRACTITIONER))
    response = client.post(
        f"/people/{world['dean'].pk}/notes/new/",
        {"text": "Seen at the hostel", "visibility": "partnership"},
    )
    assert response.status_code == 302
    note = Note.objects.get(text="Seen at the hostel")
    assert (note.agency, note.visibility, note.written_on) == (
        world["probation"],
        "partnership",
        TODAY,
    )
    assert AuditEvent.objects.filter(action="create", object_type="people.Note").exists()


def test_an_empty_note_is_refused_on_the_text_field(client, world):
    client.force_login(UserFactory(agency=world["probation"], role=Role.PRACTITIONER))
    response = client.post(
        f"/people/{world['dean'].pk}/notes/new/", {"text": "  ", "visibility": "agency"}
    )
    assert response.status_code == 200
    assert "Enter the note." in response.content.decode()
    assert not Note.objects.filter(agency=world["probation"]).exists()


def test_no_note_on_a_person_the_agency_may_not_see(client, world):
    stranger = AgencyFactory(name="Stranger agency")
    client.force_login(UserFactory(agency=stranger, role=Role.PRACTITIONER))
    response = client.post(
        f"/people/{world['dean'].pk}/notes/new/", {"text": "x", "visibility": "agency"}
    )
    assert response.status_code == 404
    assert not Note.objects.filter(agency=stranger).exists()


def test_a_new_programme_source_adds_events_and_only_relations_the_viewer_may_see(world):
    from saferhub.web.people.picture import Contribution, Event, Relation, picture_of

    stranger = PersonFactory(first_name="Hidden", last_name="Neighbour")

    def asb(person, user, on):
        return Contribution(
            events=[Event(on, "asb", "ASB", "ASB complaint received")],
            relations=[
                Relation(world["vicky"].pk, "Complainant"),
                Relation(stranger.pk, "Complainant"),
            ],
        )

    viewer = UserFactory(agency=world["police"], role=Role.PRACTITIONER)
    whole = picture_of(world["dean"], viewer, TODAY, using=[asb])
    assert [e.title for e in whole.events] == ["ASB complaint received"]
    assert [r.person.pk for r in whole.related] == [world["vicky"].pk]
