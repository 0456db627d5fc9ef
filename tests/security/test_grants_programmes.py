"""Programme involvements (IOM spell, MARAC or other panel case) used to give sight for
ever, or until someone remembered to end them. Now sight ends with the spell or case plus
a configurable grace period.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from saferhub.web.accounts.models import Programme, Role
from saferhub.web.iom.services import INVOLVEMENT_REASON
from saferhub.web.panels.privacy import panel_cases
from saferhub.web.panels.services import REFERRAL_REASON
from saferhub.web.people.access import today, visible_people
from tests.factories import AgencyFactory, IdentifierFactory, InvolvementFactory, UserFactory
from tests.factories_iom import MembershipFactory, TierRecordFactory
from tests.factories_panels import CaseFactory, MemberAgencyFactory, PerpetratorFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


def test_iom_sight_ends_with_the_spell_plus_the_grace(client, settings):
    settings.GRANT_PROGRAMME_GRACE_DAYS = 14
    police = AgencyFactory(name="Police", kind="police", programmes=[Programme.IOM.value])
    day = today()
    member = MembershipFactory(join_date=day - timedelta(days=300), pnc_id="19/000001A")
    IdentifierFactory(person=member.person, value="19/000001A")
    TierRecordFactory(membership=member, tier="Green", from_date=member.join_date)
    InvolvementFactory(
        person=member.person, agency=police, reason=INVOLVEMENT_REASON, start=member.join_date
    )
    coordinator = UserFactory(agency=police, role=Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(
        reverse("iom:leave", args=[member.pk]),
        {
            "leave_date": day.isoformat(),
            "leave_reason": "De-selected: offence-free",
            "version": member.version,
        },
    )
    assert response.status_code == 302
    seen = visible_people(coordinator, on=day + timedelta(days=14))
    assert seen.filter(pk=member.person_id).exists()
    gone = visible_people(coordinator, on=day + timedelta(days=15))
    assert not gone.filter(pk=member.person_id).exists()


def test_a_panel_case_is_seen_until_closure_plus_the_grace(client, settings):
    settings.GRANT_PROGRAMME_GRACE_DAYS = 28
    police, health = MemberAgencyFactory(name="Police"), MemberAgencyFactory(name="Health")
    case = CaseFactory(referring_agency=police, status="screened")
    perpetrator = PerpetratorFactory(case=case)
    for person in (case.victim, perpetrator.person):
        InvolvementFactory(person=person, agency=police, reason=REFERRAL_REASON, end=None)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    client.post(
        reverse("panels:case-status", args=[case.pk]),
        {"target": "closed", "reason": "Safe now", "version": case.version},
    )
    case.refresh_from_db()
    day = today()
    assert case.closed_on == day
    reader = UserFactory(agency=health, role=Role.VIEWER)
    assert panel_cases(reader, on=day + timedelta(days=28)).filter(pk=case.pk).exists()
    assert not panel_cases(reader, on=day + timedelta(days=29)).filter(pk=case.pk).exists()
    # The referring agency's own involvement with both people ends with the case too.
    referrer = UserFactory(agency=police, role=Role.PRACTITIONER)
    later = visible_people(referrer, on=day + timedelta(days=29))
    assert not later.filter(pk__in=[case.victim_id, perpetrator.person_id]).exists()
    assert visible_people(referrer, on=day + timedelta(days=28)).filter(pk=case.victim_id).exists()


def test_a_case_closed_long_ago_answers_not_found(client, settings):
    settings.GRANT_PROGRAMME_GRACE_DAYS = 28
    police = MemberAgencyFactory(name="Police")
    case = CaseFactory(referring_agency=police, status="closed")
    type(case).objects.filter(pk=case.pk).update(closed_on=today() - timedelta(days=29))
    client.force_login(UserFactory(agency=police, role=Role.VIEWER))
    assert client.get(reverse("panels:case", args=[case.pk])).status_code == 404
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, agency=None))
    assert client.get(reverse("panels:case", args=[case.pk])).status_code == 200


def test_a_person_with_another_open_case_keeps_the_referral_involvement(client):
    police = MemberAgencyFactory(name="Police")
    first = CaseFactory(referring_agency=police, status="screened")
    CaseFactory(referring_agency=police, status="screened", victim=first.victim)
    involvement = InvolvementFactory(
        person=first.victim, agency=police, reason=REFERRAL_REASON, end=None
    )
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    client.post(
        reverse("panels:case-status", args=[first.pk]),
        {"target": "closed", "reason": "x", "version": first.version},
    )
    involvement.refresh_from_db()
    assert involvement.end is None
