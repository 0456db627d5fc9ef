"""No lost updates on the IOM pages: a stale leave, tier, outcome or settings form is
refused, names what changed, and overwrites nothing; leaving twice records one decision.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from saferhub.web.accounts.models import Programme, Role
from saferhub.web.iom import services
from saferhub.web.iom.models import IomSettings, Membership, SelectionDecision
from saferhub.web.people.access import today
from saferhub.web.versioning import StaleRecord
from tests.factories import AgencyFactory, IdentifierFactory, InvolvementFactory, UserFactory
from tests.factories_iom import MembershipFactory, PathwayReferralFactory, TierRecordFactory
from tests.security.stale_forms import loaded, page_text, updates_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind="police", programmes=[Programme.IOM.value])


def signed_in(agency, name, role=Role.COORDINATOR) -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, agency=agency, role=role))
    return client


@pytest.fixture
def alice(police):
    return signed_in(police, "alice")


@pytest.fixture
def bob(police):
    return signed_in(police, "bob")


@pytest.fixture
def member(police):
    day = today()
    m = MembershipFactory(join_date=day - timedelta(days=40), pnc_id="19/123456A")
    IdentifierFactory(person=m.person, value="19/123456A")
    InvolvementFactory(person=m.person, agency=police, start=day - timedelta(days=40))
    TierRecordFactory(membership=m, tier="Amber", from_date=m.join_date, reason="Selected")
    return m


def test_two_leave_the_cohort_posts_record_one_decision(member, alice, bob):
    url = f"/iom/members/{member.pk}/leave/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    leaving = {"leave_date": today().isoformat()}
    assert (
        alice.post(url, {**alices_page, **leaving, "leave_reason": "Offence-free"}).status_code
        == 302
    )

    second = bob.post(url, {**bobs_page, **leaving, "leave_reason": "Moved away"}, follow=True)

    assert "already ended" in page_text(second)
    member.refresh_from_db()
    assert member.leave_reason == "Offence-free"
    assert SelectionDecision.objects.filter(person=member.person, decision="remove").count() == 1


def test_leaving_raced_by_two_requests_that_both_loaded_the_spell_records_one_decision(
    member, police
):
    """Both requests read the spell before either wrote, as two servers would."""
    first, second = Membership.objects.get(pk=member.pk), Membership.objects.get(pk=member.pk)
    user = UserFactory(agency=police, role=Role.COORDINATOR)
    services.leave(
        membership=first,
        version=first.version,
        leave_date=today(),
        reason="Offence-free",
        user=user,
    )
    with pytest.raises(StaleRecord) as refused:
        services.leave(
            membership=second,
            version=second.version,
            leave_date=today(),
            reason="Moved away",
            user=user,
        )
    assert [c.field for c in refused.value.changes] == ["leave_reason"]
    assert SelectionDecision.objects.filter(person=member.person, decision="remove").count() == 1
    member.refresh_from_db()
    assert member.leave_reason == "Offence-free"


def test_leaving_twice_through_the_service_is_refused(member, police):
    user = UserFactory(agency=police, role=Role.COORDINATOR)
    services.leave(
        membership=member, version=member.version, leave_date=today(), reason="Done", user=user
    )
    with pytest.raises(services.AlreadyDone, match="already left the programme"):
        services.leave(
            membership=member, version=member.version, leave_date=today(), reason="Again", user=user
        )
    assert SelectionDecision.objects.filter(decision="remove").count() == 1


def test_a_stale_tier_change_is_refused(member, police):
    alice = signed_in(police, "alice.p", Role.PRACTITIONER)
    bob = signed_in(police, "bob.p", Role.PRACTITIONER)
    url = f"/iom/members/{member.pk}/tier/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    alice.post(
        url, {**alices_page, "tier": "Red", "from_date": today().isoformat(), "reason": "Arrested"}
    )

    yesterday = (today() - timedelta(days=1)).isoformat()
    second = bob.post(url, {**bobs_page, "tier": "Green", "from_date": yesterday, "reason": "Calm"})

    text = page_text(second)
    assert "Someone else changed this record" in text
    assert "The tier now is Amber" in text or "The tier now is Red" in text
    assert list(member.tier_changes.values_list("tier", flat=True)) == ["Amber", "Red"]


def test_a_stale_referral_outcome_is_refused(member, police):
    referral = PathwayReferralFactory(membership=member, referral_date=today())
    alice = signed_in(police, "alice.p", Role.PRACTITIONER)
    bob = signed_in(police, "bob.p", Role.PRACTITIONER)
    url = f"/iom/referrals/{referral.pk}/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    day = today().isoformat()
    alice.post(url, {**alices_page, "outcome": "achieved", "outcome_date": day, "notes": "Housed"})

    second = bob.post(url, {**bobs_page, "outcome": "not achieved", "outcome_date": day})

    assert "Outcome: your value “Not achieved” → value saved now “Achieved”" in page_text(second)
    referral.refresh_from_db()
    assert (referral.outcome, referral.notes) == ("achieved", "Housed")
    assert updates_of(referral) == 1


def test_stale_iom_settings_are_refused(alice, bob):
    IomSettings.current()
    url = "/iom/settings/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    plan = {
        f"{tier}_{part}": value
        for tier, low, high in (("red", 7, 7), ("amber", 5, 7), ("green", 2, 3), ("blue", 0, 0))
        for part, value in (("minimum", low), ("maximum", high))
    }
    alice.post(url, {**alices_page, **plan, "offence_free_months": 6})

    second = bob.post(url, {**bobs_page, **plan, "offence_free_months": 18})

    assert "your value “18” → value saved now “6”" in page_text(second)
    assert IomSettings.current().offence_free_months == 6
