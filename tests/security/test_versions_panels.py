"""No lost updates on the panel pages: a stale minutes, action, case, IDVA, research,
attendance or listing form is refused, names what changed, and overwrites nothing; a
repeated state change ("close", "heard", "done") records nothing the second time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.panels.models import Action, Attendance, Case, Listing, Meeting, Research
from tests.factories import UserFactory
from tests.factories_panels import (
    ActionFactory,
    CaseFactory,
    ListingFactory,
    MeetingFactory,
    MemberAgencyFactory,
)
from tests.security.stale_forms import loaded, page_text, updates_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def council():
    return MemberAgencyFactory(name="Council community safety", kind=AgencyKind.COMMUNITY_SAFETY)


@pytest.fixture
def housing():
    return MemberAgencyFactory(name="Housing (member)", kind=AgencyKind.HOUSING)


def signed_in(agency, role=Role.COORDINATOR, name="first") -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, agency=agency, role=role))
    return client


@pytest.fixture
def alice(council):
    return signed_in(council, name="alice")


@pytest.fixture
def bob(council):
    return signed_in(council, name="bob")


def test_the_second_of_two_stale_minutes_forms_is_refused_and_keeps_the_first(alice, bob):
    meeting = MeetingFactory(date=TODAY)
    url = f"/marac/meetings/{meeting.pk}/minutes/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)

    first = alice.post(url, {**alices_page, "chair": "DI Shaw", "minutes": "Alice's minutes"})
    assert first.status_code == 302
    second = bob.post(url, {**bobs_page, "chair": "DI Shaw", "minutes": "Bob's minutes"})

    assert second.status_code == 200
    text = page_text(second)
    assert "Someone else changed this record" in text
    assert "Minutes: your value “Bob's minutes” → value saved now “Alice's minutes”" in text
    assert ">Bob's minutes</textarea>" in text  # Bob's entry is kept for him to reconcile
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("Alice's minutes", 2)


def test_after_seeing_the_difference_saving_again_is_a_deliberate_overwrite(alice, bob):
    meeting = MeetingFactory(date=TODAY)
    url = f"/marac/meetings/{meeting.pk}/minutes/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    alice.post(url, {**alices_page, "minutes": "Alice's minutes"})
    refused = bob.post(url, {**bobs_page, "minutes": "Bob's minutes"})
    again = refused.context["form"].data.copy()
    assert again["version"] == "2"  # the refused form now carries the version Bob has seen
    assert bob.post(url, again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Bob's minutes"


def test_a_stale_action_form_cannot_reset_done_to_open(council, housing, alice, bob):
    action = ActionFactory(owner_agency=housing)
    url = f"/marac/actions/{action.pk}/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    done = {"status": "done", "outcome": "Locks fitted", "completed_date": TODAY.isoformat()}
    assert alice.post(url, {**alices_page, **done}).status_code == 302

    second = bob.post(url, {**bobs_page, "status": "open", "outcome": ""})

    assert second.status_code == 200
    assert "Status: your value “Open” → value saved now “Done”" in page_text(second)
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("done", "Locks fitted")


def test_marking_an_action_done_twice_is_refused_the_second_time(council, housing, alice, bob):
    action = ActionFactory(owner_agency=housing)
    url = f"/marac/actions/{action.pk}/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    done = {"status": "done", "completed_date": TODAY.isoformat()}
    alice.post(url, {**alices_page, **done, "outcome": "Locks fitted"})

    second = bob.post(url, {**bobs_page, **done, "outcome": "Locks fitted by the council"})

    assert "was marked done after you opened this page" in page_text(second)
    action.refresh_from_db()
    assert action.outcome == "Locks fitted"
    assert updates_of(action) == 1


def test_closing_a_case_twice_records_one_closure(council, alice, bob):
    case = CaseFactory(referring_agency=council, status="review")
    page = f"/marac/cases/{case.pk}/"
    alices_page, bobs_page = loaded(alice, page), loaded(bob, page)
    url = f"/marac/cases/{case.pk}/status/"
    closing = {"target": "closed"}

    alice.post(url, {"version": alices_page["version"], **closing, "reason": "Risk reduced"})
    second = bob.post(
        url,
        {"version": bobs_page["version"], **closing, "reason": "Victim moved away"},
        follow=True,
    )

    assert f"Case {case.reference} is already closed" in page_text(second)
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "Risk reduced")
    assert updates_of(case) == 1


def test_a_second_close_from_a_fresh_page_is_refused_as_already_closed(council, alice):
    case = CaseFactory(referring_agency=council, status="closed", closure_reason="Risk reduced")
    response = alice.post(
        f"/marac/cases/{case.pk}/status/",
        {"target": "closed", "reason": "Again", "version": case.version},
        follow=True,
    )
    assert f"Case {case.reference} is already closed" in page_text(response)
    case.refresh_from_db()
    assert case.closure_reason == "Risk reduced"


def test_a_stale_idva_allocation_is_refused(council, housing, alice, bob):
    case = CaseFactory(referring_agency=council, status="screened")
    url = f"/marac/cases/{case.pk}/idva/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    alice.post(url, {**alices_page, "idva_agency": council.pk, "idva_name": "Sam Idowu"})

    second = bob.post(url, {**bobs_page, "idva_agency": housing.pk, "idva_name": "Jo Patel"})

    text = page_text(second)
    assert "IDVA's name: your value “Jo Patel” → value saved now “Sam Idowu”" in text
    case.refresh_from_db()
    assert (case.idva_agency, case.idva_name) == (council, "Sam Idowu")


def test_hearing_a_case_twice_from_stale_pages_is_refused(council, alice, bob):
    listing = ListingFactory(
        meeting=MeetingFactory(date=TODAY),
        case=CaseFactory(referring_agency=council, status="listed", referral_date=TODAY),
    )
    page = f"/marac/meetings/{listing.meeting.pk}/"
    alices_page, bobs_page = loaded(alice, page), loaded(bob, page)
    url = f"/marac/meetings/{listing.meeting.pk}/cases/{listing.pk}/heard/"
    assert alice.post(url, alices_page).status_code == 302

    second = bob.post(url, bobs_page, follow=True)

    assert "is already heard at this meeting" in page_text(second)
    listing.case.refresh_from_db()
    assert listing.case.status == "heard"
    assert updates_of(listing.case) == 2  # heard, and its heard date: once each


def test_two_officers_of_one_agency_writing_research_cannot_overwrite_each_other(council):
    listing = ListingFactory(meeting=MeetingFactory(date=TODAY + timedelta(days=3)))
    officer_a = signed_in(council, Role.PRACTITIONER, "officer.a")
    officer_b = signed_in(council, Role.PRACTITIONER, "officer.b")
    url = f"/marac/meetings/{listing.meeting.pk}/cases/{listing.pk}/research/"
    a_page, b_page = loaded(officer_a, url), loaded(officer_b, url)
    officer_a.post(url, {**a_page, "text": "Three call-outs since June"})

    second = officer_b.post(url, {**b_page, "text": "No police history"})

    text = page_text(second)
    assert "your value “No police history” → value saved now “Three call-outs since June”" in text
    assert Research.objects.get().text == "Three call-outs since June"


def test_stale_attendance_is_refused_and_names_the_agency(council, housing, alice, bob):
    meeting = MeetingFactory(date=TODAY)
    Attendance.objects.create(meeting=meeting, agency=housing, present=False)
    url = f"/marac/meetings/{meeting.pk}/attendance/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    alice.post(
        url, {**alices_page, f"present_{housing.pk}": "on", f"attendee_{housing.pk}": "J. Roe"}
    )

    second = bob.post(url, {**bobs_page, f"attendee_{council.pk}": "R. Adeyemi"})

    text = page_text(second)
    assert "Someone else changed this record" in text
    assert "Housing (member), present: your value “No” → value saved now “Yes”" in text
    assert "Housing (member), who attended: your value “(blank)” → value saved now “J. Roe”" in text
    assert 'value="R. Adeyemi"' in text
    housing_row = Attendance.objects.get(meeting=meeting, agency=housing)
    assert (housing_row.present, housing_row.attendee) == (True, "J. Roe")
    council_row = Attendance.objects.get(meeting=meeting, agency=council)
    assert council_row.attendee == ""


def test_a_stale_listing_form_cannot_list_the_case_twice(council, alice, bob):
    case = CaseFactory(referring_agency=council, status="screened")
    url = f"/marac/cases/{case.pk}/listing/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    alice.post(url, {**alices_page, "meeting_date": (TODAY + timedelta(days=7)).isoformat()})

    second = bob.post(url, {**bobs_page, "meeting_date": (TODAY + timedelta(days=14)).isoformat()})

    assert "cannot become 'listed for a meeting'" in page_text(second)
    assert Listing.objects.filter(case=case).count() == 1
    assert Meeting.objects.filter(date=TODAY + timedelta(days=14)).count() == 0


def test_a_stale_in_memory_case_is_refused_by_the_service_too(council):
    """Two requests that both read the case before either wrote: the slower one loses."""
    from saferhub.rules.panels import CaseState
    from saferhub.web.panels import services
    from saferhub.web.versioning import StaleRecord

    case = CaseFactory(referring_agency=council, status="review")
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.move(first, CaseState.CLOSED, "Risk reduced")
    with pytest.raises(StaleRecord) as refused:
        services.move(second, CaseState.CLOSED, "Victim moved away")
    assert [c.field for c in refused.value.changes] == ["closure_reason"]
    case.refresh_from_db()
    assert case.closure_reason == "Risk reduced"
    assert Action.objects.count() == 0
