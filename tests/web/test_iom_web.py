"""The IOM pages through the test client, as real roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from saferhub.web.accounts.models import Programme, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.iom.models import IomSettings, Membership, SelectionDecision, TierRecord
from saferhub.web.people.access import today
from saferhub.web.people.models import Involvement
from tests.factories import (
    AgencyFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories_iom import (
    ContactFactory,
    MembershipFactory,
    OffenceFactory,
    PathwayReferralFactory,
    TierRecordFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind="police", programmes=[Programme.IOM.value])


@pytest.fixture
def outsider():
    return AgencyFactory(name="Housing", kind="housing", programmes=[])


def user(agency, role=Role.COORDINATOR, name=None):
    return UserFactory(agency=agency, role=role, username=name or f"{agency.name.lower()}-{role}")


@pytest.fixture
def member(police):
    """A member who joined 40 days ago, Red then Amber, visible to the police."""
    day = today()
    m = MembershipFactory(join_date=day - timedelta(days=40), pnc_id="19/123456A")
    IdentifierFactory(person=m.person, value="19/123456A")
    InvolvementFactory(person=m.person, agency=police, start=day - timedelta(days=40))
    TierRecordFactory(membership=m, tier="Red", from_date=m.join_date, reason="Selected: violence")
    TierRecordFactory(
        membership=m, tier="Amber", from_date=day - timedelta(days=10), reason="Engaging well"
    )
    return m


def test_cohort_lists_members_with_tier_and_compliance(client, police, member):
    for k in range(7):
        ContactFactory(membership=member, contact_date=today() - timedelta(days=k))
    client.force_login(user(police, Role.VIEWER))
    response = client.get(reverse("iom:cohort"))
    assert response.status_code == 200
    text = response.content.decode()
    assert member.person.last_name.upper() in text
    assert "Amber" in text
    # 10 days Amber (daily, 10 required) + 18 days Red (daily, 18 required) = 28; 7 attended.
    assert "25%" in text
    assert AuditEvent.objects.filter(
        action="view", summary__startswith="Viewed the IOM cohort"
    ).exists()


def test_agencies_outside_the_iom_programme_are_refused(client, outsider, member):
    client.force_login(user(outsider, Role.COORDINATOR))
    assert client.get(reverse("iom:cohort")).status_code == 403
    assert client.get(reverse("iom:member", args=[member.pk])).status_code == 403


def test_a_member_the_agency_may_not_see_is_not_found(client, police):
    hidden = MembershipFactory()
    client.force_login(user(police, Role.VIEWER))
    assert client.get(reverse("iom:member", args=[hidden.pk])).status_code == 404
    assert hidden.person.last_name.upper() not in client.get(reverse("iom:cohort")).content.decode()


def test_member_page_shows_full_tier_history_and_is_audited(client, police, member):
    client.force_login(user(police, Role.PRACTITIONER))
    response = client.get(reverse("iom:member", args=[member.pk]))
    text = response.content.decode()
    assert "Selected: violence" in text and "Engaging well" in text
    assert AuditEvent.objects.filter(action="view", person_id=member.person_id).exists()


def test_coordinator_adds_a_person_by_judgement_with_a_reason(client, police):
    person = PersonFactory()
    IdentifierFactory(person=person, value="20/555555B")
    InvolvementFactory(person=person, agency=police)
    client.force_login(user(police))
    response = client.post(
        reverse("iom:add"),
        {
            "pnc_id": "20/555555b",
            "join_date": today().isoformat(),
            "by_judgement": "on",
            "join_reason": "Escalating violence",
            "management": "Non-statutory",
            "tier": "Red",
            "lead_practitioner": "",
            "police_officer": "PC 1 Test",
        },
    )
    membership = Membership.objects.get(person=person)
    assert response.status_code == 302
    assert membership.selection == "judgement"
    assert TierRecord.objects.get(membership=membership).tier == "Red"
    decision = SelectionDecision.objects.get(person=person)
    assert decision.reason == "Professional judgement: Escalating violence"
    assert Involvement.objects.filter(
        person=person, reason="IOM cohort member", agency=police
    ).exists()
    assert AuditEvent.objects.filter(action="create", person_id=person.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"join_reason": ""}, "join_reason", "This field is required"),
        ({"pnc_id": "99/999999Z"}, "pnc_id", "No person you may see has the PNC ID"),
        (
            {"join_date": (today() + timedelta(days=3)).isoformat()},
            "join_date",
            "cannot be in the future",
        ),
    ],
)
def test_bad_additions_show_errors_beside_the_field(client, police, changes, field, message):
    person = PersonFactory()
    IdentifierFactory(person=person, value="20/555555B")
    InvolvementFactory(person=person, agency=police)
    client.force_login(user(police))
    data = {
        "pnc_id": "20/555555B",
        "join_date": today().isoformat(),
        "join_reason": "Scored highly",
        "management": "Statutory",
        "tier": "Amber",
    } | changes
    response = client.post(reverse("iom:add"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Membership.objects.exists()


def test_a_second_overlapping_spell_is_refused(client, police, member):
    client.force_login(user(police))
    response = client.post(
        reverse("iom:add"),
        {
            "pnc_id": "19/123456A",
            "join_date": today().isoformat(),
            "join_reason": "Again",
            "management": "Statutory",
            "tier": "Red",
        },
    )
    assert "a new spell cannot overlap it" in " ".join(response.context["form"].errors["join_date"])


def test_leaving_records_date_reason_and_decision(client, police, member):
    client.force_login(user(police))
    too_early = member.join_date - timedelta(days=1)
    response = client.post(
        reverse("iom:leave", args=[member.pk]),
        {"leave_date": too_early.isoformat(), "leave_reason": "x", "version": member.version},
    )
    assert "before the join date" in " ".join(response.context["form"].errors["leave_date"])
    response = client.post(
        reverse("iom:leave", args=[member.pk]),
        {
            "leave_date": today().isoformat(),
            "leave_reason": "De-selected: offence-free",
            "version": member.version,
        },
    )
    member.refresh_from_db()
    assert response.status_code == 302
    assert member.leave_date == today()
    assert (
        SelectionDecision.objects.get(person=member.person, decision="remove").reason
        == "De-selected: offence-free"
    )


def test_practitioner_changes_tier_with_reason_and_one_change_a_day(client, police, member):
    client.force_login(user(police, Role.PRACTITIONER))
    url = reverse("iom:tier", args=[member.pk])
    response = client.post(
        url,
        {"tier": "Green", "from_date": today().isoformat(), "reason": "Offence-free", "version": 1},
    )
    assert response.status_code == 302
    response = client.post(
        url, {"tier": "Red", "from_date": today().isoformat(), "reason": "Arrested", "version": 2}
    )
    assert "one change a day" in " ".join(response.context["form"].errors["from_date"])
    response = client.post(
        url,
        {
            "tier": "Red",
            "from_date": (member.join_date - timedelta(days=1)).isoformat(),
            "reason": "x",
            "version": 2,
        },
    )
    assert "within the member's time" in " ".join(response.context["form"].errors["from_date"])
    assert list(member.tier_changes.values_list("tier", flat=True)) == ["Red", "Amber", "Green"]


def test_viewers_cannot_record_anything(client, police, member):
    client.force_login(user(police, Role.VIEWER))
    assert client.get(reverse("iom:tier", args=[member.pk])).status_code == 403
    assert client.get(reverse("iom:contact", args=[member.pk])).status_code == 403


def test_contacts_are_logged_and_counted_against_the_plan(client, police, member):
    client.force_login(user(police, Role.PRACTITIONER))
    response = client.post(
        reverse("iom:contact", args=[member.pk]),
        {
            "contact_date": today().isoformat(),
            "outcome": "missed",
            "method": "phone",
            "notes": "No answer",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("iom:member", args=[member.pk])).content.decode()
    assert "No answer" in page and "Missed" in page
    response = client.post(
        reverse("iom:contact", args=[member.pk]),
        {
            "contact_date": (member.join_date - timedelta(days=2)).isoformat(),
            "outcome": "attended",
            "method": "phone",
        },
    )
    assert "not on the programme" in " ".join(response.context["form"].errors["contact_date"])


def test_pathway_referral_and_outcome(client, police, member):
    client.force_login(user(police, Role.PRACTITIONER))
    response = client.post(
        reverse("iom:referral", args=[member.pk]),
        {
            "pathway": "ete",
            "provider": "Jobcentre Plus",
            "referral_date": today().isoformat(),
            "notes": "",
        },
    )
    assert response.status_code == 302
    referral = member.referrals.get()
    response = client.post(
        reverse("iom:outcome", args=[referral.pk]),
        {
            "outcome": "achieved",
            "outcome_date": (today() - timedelta(days=5)).isoformat(),
            "notes": "",
            "version": referral.version,
        },
    )
    assert "before the referral" in " ".join(response.context["form"].errors["outcome_date"])
    response = client.post(
        reverse("iom:outcome", args=[referral.pk]),
        {
            "outcome": "partially achieved",
            "outcome_date": today().isoformat(),
            "notes": "Part-time work",
            "version": referral.version,
        },
    )
    referral.refresh_from_db()
    assert referral.outcome == "partially achieved"


def test_selection_list_shows_score_breakdowns(client, police, member):
    outsider = PersonFactory(last_name="Candidate")
    IdentifierFactory(person=outsider, value="18/000777C")
    InvolvementFactory(person=outsider, agency=police)
    OffenceFactory(pnc_id="18/000777C", offence_date=today() - timedelta(days=20))
    OffenceFactory(pnc_id="19/123456A", offence_date=today() - timedelta(days=20))  # a member
    client.force_login(user(police, Role.ANALYST))
    response = client.get(reverse("iom:selection"))
    text = response.content.decode()
    assert "CANDIDATE" in text
    assert "1 \u00d7 gravity 7 \u00d7 recency 3" in text
    assert "19/123456A" not in text


def test_deselection_review_lists_offence_free_members(client, police):
    day = today()
    m = MembershipFactory(join_date=day - timedelta(days=800), pnc_id="17/000001D")
    InvolvementFactory(person=m.person, agency=police)
    TierRecordFactory(membership=m, tier="Green", from_date=day)
    OffenceFactory(pnc_id="17/000001D", offence_date=day - timedelta(days=700))
    client.force_login(user(police))
    text = client.get(reverse("iom:deselection")).content.decode()
    assert m.person.last_name in text


def test_board_section_renders_the_shared_report(client, police, member):
    OffenceFactory(pnc_id="19/123456A", offence_date=member.join_date - timedelta(days=100))
    PathwayReferralFactory(membership=member, referral_date=today())
    client.force_login(user(police, Role.ANALYST))
    response = client.get(reverse("iom:board"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Impact on offending" in text and "Cost of crime avoided" in text
    assert "Selection list (restricted" not in text  # no casework on the board page
    bad = client.get(reverse("iom:board"), {"to": "2023-13"})
    assert "is not a month" in bad.content.decode() or "not between" in bad.content.decode()


def test_coordinator_sets_the_contact_plan(client, police, member):
    client.force_login(user(police))
    data = {"offence_free_months": 6, "version": IomSettings.current().version}
    for tier, (low, high) in {
        "red": (7, 7),
        "amber": (5, 7),
        "green": (1, 2),
        "blue": (0, 0),
    }.items():
        data[f"{tier}_minimum"], data[f"{tier}_maximum"] = low, high
    assert client.post(reverse("iom:settings"), data).status_code == 302
    settings = IomSettings.current()
    assert settings.plan().standards["Amber"].minimum == 5
    assert settings.offence_free_months == 6
    data["green_maximum"] = 0.5
    response = client.post(reverse("iom:settings"), data)
    assert "below the minimum" in " ".join(response.context["form"].errors["green_maximum"])
