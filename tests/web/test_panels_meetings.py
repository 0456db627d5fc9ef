"""Listing, meetings, hearing, actions, overdue actions and statistics through the test client."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from saferhub.rules.periods import Month
from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.panels.models import Action, Attendance, Case, Listing, Meeting, Research
from tests.factories import UserFactory
from tests.factories_panels import (
    ActionFactory,
    CaseFactory,
    ListingFactory,
    MeetingFactory,
    MemberAgencyFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def council():
    return MemberAgencyFactory(name="Council community safety", kind=AgencyKind.COMMUNITY_SAFETY)


@pytest.fixture
def housing():
    return MemberAgencyFactory(name="Housing (member)", kind=AgencyKind.HOUSING)


@pytest.fixture
def coordinator(client, council):
    client.force_login(UserFactory(username="coordinator", agency=council, role=Role.COORDINATOR))
    return client


@pytest.fixture
def referred(council):
    return CaseFactory(referral_date=TODAY - timedelta(days=3), referring_agency=council)


def test_a_case_listed_for_a_past_meeting_is_refused_on_the_date_field(coordinator, referred):
    past = (TODAY - timedelta(days=1)).isoformat()
    response = coordinator.post(
        f"/marac/cases/{referred.pk}/listing/", {"meeting_date": past, "version": 1}
    )
    assert "already taken place" in " ".join(response.context["form"].errors["meeting_date"])
    assert not Listing.objects.exists()
    referred.refresh_from_db()
    assert referred.status == "referred"


def test_listing_screens_the_referral_and_puts_it_on_the_agenda(coordinator, referred):
    response = coordinator.post(
        f"/marac/cases/{referred.pk}/listing/", {"meeting_date": TODAY.isoformat(), "version": 1}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/marac/meetings/{meeting.pk}/"
    referred.refresh_from_db()
    assert referred.status == "listed"
    page = coordinator.get(f"/marac/meetings/{meeting.pk}/").content.decode()
    assert referred.reference in page
    assert "Mark case" in page


def test_listing_past_the_cap_warns_then_lists_when_confirmed(coordinator, council):
    meeting = MeetingFactory(date=TODAY + timedelta(days=7))
    for _ in range(15):
        ListingFactory(meeting=meeting)
    case = CaseFactory(referring_agency=council, status="screened")
    url = f"/marac/cases/{case.pk}/listing/"
    first = coordinator.post(url, {"meeting_date": meeting.date.isoformat(), "version": 1})
    assert "would have 16 cases" in first.content.decode()
    assert not Listing.objects.filter(case=case).exists()
    coordinator.post(
        url, {"meeting_date": meeting.date.isoformat(), "confirm_over_cap": "on", "version": 1}
    )
    assert Listing.objects.filter(case=case, meeting=meeting).exists()
    assert (
        "more than 15 cases" in coordinator.get(f"/marac/meetings/{meeting.pk}/").content.decode()
    )


def test_a_case_cannot_skip_a_stage(coordinator, council):
    case = CaseFactory(referring_agency=council, status="referred")
    coordinator.post(f"/marac/cases/{case.pk}/status/", {"target": "review", "version": 1})
    case.refresh_from_db()
    assert case.status == "referred"


def test_closing_needs_a_reason(coordinator, council):
    case = CaseFactory(referring_agency=council, status="screened")
    coordinator.post(
        f"/marac/cases/{case.pk}/status/", {"target": "closed", "reason": "", "version": 1}
    )
    case.refresh_from_db()
    assert case.status == "screened"
    coordinator.post(
        f"/marac/cases/{case.pk}/status/", {"target": "closed", "reason": "Withdrawn", "version": 1}
    )
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "Withdrawn")


@pytest.fixture
def listed_today(council):
    listing = ListingFactory(
        meeting=MeetingFactory(date=TODAY),
        case=CaseFactory(referring_agency=council, status="listed", referral_date=TODAY),
    )
    return listing


def test_hearing_a_case_then_recording_and_completing_an_action(
    coordinator, listed_today, housing, council
):
    meeting, case = listed_today.meeting, listed_today.case
    response = coordinator.post(
        f"/marac/meetings/{meeting.pk}/cases/{listed_today.pk}/heard/", {"version": case.version}
    )
    assert response["Location"] == f"/marac/cases/{case.pk}/actions/new/"
    case.refresh_from_db()
    assert (case.status, case.heard_date) == ("heard", TODAY)
    coordinator.post(
        f"/marac/cases/{case.pk}/actions/new/",
        {
            "owner_agency": housing.pk,
            "risk_addressed": "housing",
            "description": "Fit additional locks",
            "due_date": (TODAY + timedelta(days=14)).isoformat(),
        },
    )
    action = Action.objects.get()
    assert (action.meeting, action.owner_agency) == (meeting, housing)
    case.refresh_from_db()
    assert case.status == "actions"

    officer = UserFactory(username="housing.officer", agency=housing, role=Role.PRACTITIONER)
    coordinator.force_login(officer)
    done = {
        "status": "done",
        "outcome": "Locks fitted",
        "completed_date": TODAY.isoformat(),
        "version": action.version,
    }
    coordinator.post(f"/marac/actions/{action.pk}/", done)
    action.refresh_from_db()
    assert (action.status, action.outcome, action.completed_date) == ("done", "Locks fitted", TODAY)


def test_a_meeting_that_has_not_happened_cannot_hear_cases(coordinator, council):
    listing = ListingFactory(meeting=MeetingFactory(date=TODAY + timedelta(days=2)))
    coordinator.post(
        f"/marac/meetings/{listing.meeting.pk}/cases/{listing.pk}/heard/", {"version": 1}
    )
    listing.case.refresh_from_db()
    assert listing.case.status == "listed"


def test_only_the_owner_agency_or_the_coordinator_updates_an_action(client, council, housing):
    action = ActionFactory(owner_agency=housing)
    other = MemberAgencyFactory(name="Another member")
    client.force_login(UserFactory(agency=other, role=Role.PRACTITIONER))
    assert client.get(f"/marac/actions/{action.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "done", "outcome": "", "completed_date": "TODAY"}, "outcome", "outcome"),
        (
            {"status": "done", "outcome": "Done", "completed_date": ""},
            "completed_date",
            "Give the date",
        ),
        (
            {"status": "done", "outcome": "Done", "completed_date": "TOMORROW"},
            "completed_date",
            "future",
        ),
        ({"status": "cancelled", "outcome": ""}, "outcome", "why"),
    ],
)
def test_action_updates_are_checked_field_by_field(coordinator, data, field, message):
    action = ActionFactory()
    dates = {"TODAY": TODAY.isoformat(), "TOMORROW": (TODAY + timedelta(days=1)).isoformat()}
    data = {k: dates.get(v, v) for k, v in data.items()} | {"version": action.version}
    response = coordinator.post(f"/marac/actions/{action.pk}/", data)
    assert message in " ".join(response.context["form"].errors[field])


def test_overdue_dashboard_counts_per_agency_and_lists_mine(client, council, housing):
    old = ActionFactory(owner_agency=housing, due_date=TODAY - timedelta(days=10))
    ActionFactory(owner_agency=housing, due_date=TODAY + timedelta(days=10))
    ActionFactory(owner_agency=council, due_date=TODAY - timedelta(days=1), status="done")
    client.force_login(UserFactory(agency=housing, role=Role.VIEWER))
    response = client.get("/marac/actions/overdue/")
    summary = {
        row["owner_agency__name"]: (row["open"], row["overdue"])
        for row in response.context["summary"]
    }
    assert summary == {"Housing (member)": (2, 1)}
    assert [a.pk for a in response.context["actions"]] == [old.pk]


def test_research_attendance_and_minutes(coordinator, listed_today, council, housing):
    meeting = listed_today.meeting
    coordinator.post(
        f"/marac/meetings/{meeting.pk}/cases/{listed_today.pk}/research/",
        {"text": "Two call-outs this month", "version": 0},
    )
    assert Research.objects.get().agency == council
    coordinator.post(
        f"/marac/meetings/{meeting.pk}/attendance/",
        {f"present_{council.pk}": "on", f"attendee_{council.pk}": "R. Adeyemi"},
    )
    assert {(a.agency, a.present) for a in Attendance.objects.all()} == {
        (council, True),
        (housing, False),
    }
    coordinator.post(
        f"/marac/meetings/{meeting.pk}/minutes/",
        {"chair": "DI Shaw", "minutes": "Quorate.", "version": meeting.version},
    )
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minutes) == ("DI Shaw", "Quorate.")


def test_a_new_meeting_in_the_past_is_refused(coordinator):
    response = coordinator.post(
        "/marac/meetings/new/", {"date": (TODAY - timedelta(days=1)).isoformat()}
    )
    assert "today or later" in " ".join(response.context["form"].errors["date"])


def test_statistics_page_counts_heard_cases_beside_the_ranges(coordinator, council):
    quarter = Month.of(TODAY).financial_quarter
    CaseFactory(referring_agency=council, status="actions", heard_date=TODAY, is_repeat=True)
    CaseFactory(referring_agency=council, status="listed")  # not heard: not counted
    response = coordinator.get("/marac/statistics/", {"quarter": quarter.key, "quarters": "2"})
    stats_page = response.content.decode()
    assert "1 case was heard" in stats_page
    assert "within expected range" in stats_page or "below expected range" in stats_page
    export = coordinator.get(
        "/marac/statistics/export.xlsx", {"quarter": quarter.key, "quarters": "2"}
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    assert "Cases and repeats" in book.sheetnames
    assert AuditEvent.objects.filter(action="export", summary__contains="statistics").exists()


def test_a_bad_quarter_is_a_field_error_not_a_crash(coordinator):
    response = coordinator.get("/marac/statistics/", {"quarter": "2023-Q9"})
    assert response.status_code == 200
    assert "is not a financial quarter" in " ".join(response.context["form"].errors["quarter"])
    assert (
        coordinator.get("/marac/statistics/export.xlsx", {"quarter": "2023-Q9"}).status_code == 400
    )


def test_the_agenda_exports_without_contact_details(coordinator, listed_today):
    meeting = listed_today.meeting
    response = coordinator.get(f"/marac/meetings/{meeting.pk}/agenda.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][1] == listed_today.case.reference
    assert all("Mobile" not in str(cell) for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="export", summary__contains="agenda").exists()


def test_every_case_page_view_is_audited_with_the_victim(coordinator, referred):
    coordinator.get(f"/marac/cases/{referred.pk}/")
    event = AuditEvent.objects.filter(action="view", object_type="panels.Case").latest("id")
    assert event.person_id == referred.victim_id


def test_case_list_counts_match_the_states(coordinator, council):
    CaseFactory(referring_agency=council, status="closed")
    assert Case.objects.count() == 1
    response = coordinator.get("/marac/cases/", {"status": "closed"})
    assert response.context["total"] == 1


def test_statistics_page_names_a_case_whose_repeat_flag_the_rule_disagrees_with(
    coordinator, council
):
    quarter = Month.of(TODAY).financial_quarter
    # Recorded as a repeat, but the victim has no earlier referral: not a repeat by the rule.
    wrong = CaseFactory(
        referring_agency=council, status="actions", heard_date=TODAY, is_repeat=True
    )
    response = coordinator.get("/marac/statistics/", {"quarter": quarter.key, "quarters": "1"})
    page = response.content.decode()
    assert "Repeat flags to correct" in page
    assert f"named below before publishing: {wrong.reference}." in page
