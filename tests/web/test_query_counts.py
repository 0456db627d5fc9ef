"""The busiest pages issue a fixed number of queries, whatever the data size.

Each test builds a small and a larger world with the factories, counts the queries a page
issues on the small one, then pins the larger one to the same count: a template or view
that queried per row would fail here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    IdentifierFactory,
    InvolvementFactory,
    NoteFactory,
    PersonFactory,
    ShareFactory,
    UserFactory,
)
from tests.factories_iom import (
    ContactFactory,
    MembershipFactory,
    PathwayReferralFactory,
    TierRecordFactory,
)
from tests.factories_panels import (
    ActionFactory,
    CaseFactory,
    ChildFactory,
    ListingFactory,
    MeetingFactory,
    PerpetratorFactory,
    ResearchFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# Upper bounds, so a slow creep is caught as well as per-row queries.
MOST = {"person": 30, "search": 20, "home": 30, "agenda": 30, "cs_agenda": 30}
# A person in no programme, with no notes, flags, aliases or shares: the record page, its
# audit entry included.
PLAIN_PERSON_MOST = 9


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind=AgencyKind.POLICE, programmes=["da_marac", "iom"])


def _person_with_history(police, size: int):
    person = PersonFactory(last_name="Testperson")
    InvolvementFactory(person=person, agency=police)
    for n in range(size):
        other = AgencyFactory(name=f"Agency {size}-{n}")
        InvolvementFactory(person=person, agency=other)
        ShareFactory(person=person, agency=AgencyFactory(name=f"Shared {size}-{n}"))
        IdentifierFactory(person=person)
        FlagFactory(person=person, kind="weapons" if n % 2 else "iom", recorded_by=other)
        NoteFactory(person=person, agency=police, visibility="partnership")
        victim = PersonFactory()
        InvolvementFactory(person=victim, agency=police)
        case = CaseFactory(victim=victim, referring_agency=police, referral_date=TODAY)
        PerpetratorFactory(case=case, person=person)
        ListingFactory(case=case, meeting=MeetingFactory(date=TODAY + timedelta(days=n + 1)))
        for _ in range(2):
            ActionFactory(case=case, owner_agency=other, due_date=TODAY - timedelta(days=n))
        spell = MembershipFactory(
            person=person,
            join_date=TODAY - timedelta(days=400 * (n + 1)),
            leave_date=TODAY - timedelta(days=400 * n + 1) if n else None,
        )
        TierRecordFactory(membership=spell, tier="Red", from_date=spell.join_date)
        ContactFactory(membership=spell, agency=other, contact_date=spell.join_date)
        PathwayReferralFactory(membership=spell, referral_date=spell.join_date)
    return person


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# On PostgreSQL each audit append also takes the chain's lock (web/audit/sealing.py): a
# statement a page that SQLite's file lock spares.
AUDIT_APPEND_EXTRA = {"postgresql": 1}


def _same_count(client, small_url, large_url, django_assert_num_queries, most):
    expected = _count(client, small_url)
    assert expected <= most + AUDIT_APPEND_EXTRA.get(connection.vendor, 0)
    with django_assert_num_queries(expected):
        assert client.get(large_url).status_code == 200


def test_person_record_queries_are_fixed(client, police, django_assert_num_queries):
    small, large = _person_with_history(police, 1), _person_with_history(police, 6)
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    _same_count(
        client,
        f"/people/{small.pk}/",
        f"/people/{large.pk}/",
        django_assert_num_queries,
        MOST["person"],
    )


def test_a_person_in_no_programme_costs_no_programme_queries(
    client, police, django_assert_num_queries
):
    # Whether each programme holds anything about the person is asked in the person's own
    # query (picture.presence), so most records skip the programmes' queries altogether.
    busy, plain = _person_with_history(police, 1), PersonFactory(last_name="Plainperson")
    InvolvementFactory(person=plain, agency=police)
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    plain_count = _count(client, f"/people/{plain.pk}/")
    assert plain_count < _count(client, f"/people/{busy.pk}/")
    assert plain_count <= PLAIN_PERSON_MOST + AUDIT_APPEND_EXTRA.get(connection.vendor, 0)


def test_search_queries_are_fixed(client, police, django_assert_num_queries):
    for n in range(1):
        InvolvementFactory(person=PersonFactory(last_name=f"Fewfound{n}"), agency=police)
    for n in range(25):
        person = PersonFactory(last_name=f"Manyfound{n}")
        InvolvementFactory(person=person, agency=police)
        IdentifierFactory(person=person)
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    _same_count(
        client,
        "/people/?q=Fewfound",
        "/people/?q=Manyfound",
        django_assert_num_queries,
        MOST["search"],
    )


def test_home_queries_are_fixed(client, police, django_assert_num_queries):
    def give_work(size: int) -> None:
        person = _person_with_history(police, size)
        for case in CaseFactory._meta.model.objects.filter(perpetrators__person=person):
            case.idva_agency = police
            case.save()
            ActionFactory(case=case, owner_agency=police, due_date=TODAY - timedelta(days=1))
        client.get(f"/people/{person.pk}/")

    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    give_work(1)
    small = _count(client, "/")
    assert small <= MOST["home"]
    give_work(6)
    with django_assert_num_queries(small):
        response = client.get("/")
    work = response.context["work"]
    assert (work.open_actions, work.overdue_actions) == (7, 7)
    assert len(response.context["recent"]) == 2 and len(response.context["cases"]) == 7


def _meeting_with(cases: int, agency, panel: str = "da_marac"):
    """A coming meeting listing `cases` cases, each a repeat with a perpetrator, a child,
    research and an action: everything the agenda shows of a case."""
    meeting = MeetingFactory(panel=panel, date=TODAY + timedelta(days=30 + cases))
    earlier = CaseFactory(panel=panel, referring_agency=agency)
    for _ in range(cases):
        case = CaseFactory(
            panel=panel, referring_agency=agency, is_repeat=True, previous_case=earlier
        )
        listing = ListingFactory(meeting=meeting, case=case)
        PerpetratorFactory(case=case)
        ChildFactory(case=case)
        ResearchFactory(listing=listing, agency=agency)
        ActionFactory(case=case, owner_agency=agency)
    return meeting


def test_marac_agenda_queries_are_fixed(client, police, django_assert_num_queries):
    small, large = _meeting_with(1, police), _meeting_with(12, police)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    _same_count(
        client,
        f"/marac/meetings/{small.pk}/",
        f"/marac/meetings/{large.pk}/",
        django_assert_num_queries,
        MOST["agenda"],
    )


def test_cs_marac_agenda_queries_are_fixed(client, django_assert_num_queries):
    """The Community Safety MARAC lists 50 cases a meeting: no query per case, whatever
    each case holds."""
    council = AgencyFactory(
        name="Council", kind=AgencyKind.COMMUNITY_SAFETY, programmes=["asb_marac"]
    )
    small = _meeting_with(1, council, "asb_marac")
    large = _meeting_with(12, council, "asb_marac")
    client.force_login(UserFactory(agency=council, role=Role.COORDINATOR))
    _same_count(
        client,
        f"/cs-marac/meetings/{small.pk}/",
        f"/cs-marac/meetings/{large.pk}/",
        django_assert_num_queries,
        MOST["cs_agenda"],
    )
    # The plain lists the page reads are the same people and research as before.
    page = client.get(f"/cs-marac/meetings/{large.pk}/").content.decode()
    assert page.count("Council:</strong>") == 12 and page.count("Repeat</strong>") == 12
    for case in large.listings.values_list("case", flat=True):
        perpetrator = PerpetratorFactory._meta.model.objects.get(case=case)
        assert f"{escape(perpetrator.person.full_name)} (" in page
